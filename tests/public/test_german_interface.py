"""The German interface: every public page under /de/ in German, dates spelled per language,
language versions linked both ways, and a complete message catalogue committed compiled."""

import ast
import datetime as dt
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation.template import templatize

from briefings.models import Briefing
from publishing.dates import period_label
from publishing.models import Status
from sources.services import refresh_citations
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)

MESSAGES = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


# The catalogue


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural and msgstr (a list)."""
    entries, entry, field = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field][-1] += ast.literal_eval(line)
        else:
            keyword, text = line.split(" ", 1)
            field = "msgstr" if keyword.startswith("msgstr") else keyword
            entry.setdefault(field, []).append(ast.literal_eval(text))
    for entry in entries:
        for key in ("msgctxt", "msgid", "msgid_plural"):
            if key in entry:
                entry[key] = entry[key][0]
    return entries


def messages() -> list[dict]:
    return [e for e in read_po(MESSAGES / "django.po") if e["msgid"]]


def compiled() -> gettext.GNUTranslations:
    with open(MESSAGES / "django.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)


def served(entry: dict, catalogue: gettext.GNUTranslations) -> list[str]:
    """What the compiled catalogue gives for `entry`: one text, or one per plural form."""
    if "msgid_plural" in entry:
        return [catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
    if "msgctxt" in entry:
        return [catalogue.pgettext(entry["msgctxt"], entry["msgid"])]
    return [catalogue.gettext(entry["msgid"])]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = read_po(MESSAGES / "django.po")
    assert len(entries) > 100
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", set()), entry["msgid"]
        if entry["msgid"]:
            assert all(entry["msgstr"]), f"untranslated: {entry['msgid']!r}"
            assert len(entry["msgstr"]) == (2 if "msgid_plural" in entry else 1), entry["msgid"]


def test_translations_keep_their_placeholders():
    for entry in messages():
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in entry["msgstr"]:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry["msgid"]


def test_compiled_catalogue_matches_the_po_file():
    catalogue = compiled()
    assert catalogue.info()["language"] == "de"
    for entry in messages():
        assert served(entry, catalogue) == entry["msgstr"], f"stale .mo: {entry['msgid']!r}"


GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
PGETTEXT_CALLS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
# The calls Django's templatize() writes for {% translate %} and {% blocktranslate %}.
QUOTED = r"u'(?:[^'\\]|\\.)*'"
TEMPLATE_CALL = re.compile(rf"\b(_|gettext|pgettext|ngettext|npgettext)\(({QUOTED}(?:, {QUOTED})*)")


def marked_in_python(source: str) -> set[tuple[str, str]]:
    marked = set()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id in GETTEXT_CALLS and texts:
            marked.add(("", texts[0]))
        elif node.func.id in PGETTEXT_CALLS and len(texts) >= 2:
            marked.add((texts[0], texts[1]))
    return marked


def marked_in_template(source: str) -> set[tuple[str, str]]:
    marked = set()
    for function, arguments in TEMPLATE_CALL.findall(templatize(source)):
        texts = ast.literal_eval(f"({arguments},)")
        marked.add((texts[0], texts[1]) if function.startswith("p") else ("", texts[0]))
    return marked


def test_catalogue_holds_every_string_the_code_marks():
    """A string marked after the last makemessages would stay English on every German page."""
    base = Path(settings.BASE_DIR)
    marked = set()
    ours = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == base]
    for folder in ours:
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                marked |= marked_in_python(path.read_text(encoding="utf-8"))
    for path in (base / "templates").rglob("*.html"):
        marked |= marked_in_template(path.read_text(encoding="utf-8"))
    assert ("", "Page not found") in marked and ("action", "Search") in marked
    known = {(e.get("msgctxt", ""), e["msgid"]) for e in messages()}
    assert marked - known == set(), "run makemessages -l de and translate"


# What a reader sees


class VisibleText(HTMLParser):
    """A page's text and the attributes read out or shown (labels, placeholders, alt text)."""

    SHOWN_ATTRIBUTES = {"aria-label", "placeholder", "alt", "title"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [v for k, v in attrs.items() if k in self.SHOWN_ATTRIBUTES and v]
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_phrases() -> list[tuple[str, str]]:
    """(msgid, phrase) for each literal phrase of a message that German says differently.

    From the .po file, whose match with the compiled catalogue is tested above: a message that
    lost its translation reads as English there, not as a word German happens to share.
    """
    phrases = []
    for entry in messages():
        german = " ".join(entry["msgstr"])
        for english in filter(None, [entry["msgid"], entry.get("msgid_plural")]):
            for part in PLACEHOLDER.split(english):
                phrase = re.sub(r"^\W+|\W+$", "", part)
                if re.search(r"[A-Za-z]", phrase) and not contains(german, phrase):
                    phrases.append((english, phrase))
    return phrases


def contains(text: str, phrase: str) -> bool:
    """Whole words only, so "by" does not match inside "Abbey"."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def untranslated(html: str, phrases: list[tuple[str, str]]) -> list[str]:
    text = visible_text(html)
    return sorted({english for english, phrase in phrases if contains(text, phrase)})


def test_the_check_finds_an_english_phrase_left_on_a_german_page():
    phrases = english_phrases()
    page = '<nav aria-label="Weitere Beiträge"><a rel="next">Older →</a></nav>'
    assert untranslated(page, phrases) == ["Older"]
    assert "Search" in untranslated('<input placeholder="Search">', phrases)
    assert untranslated("<p>Seite 2: Older Man</p>", phrases) == ["Older"]
    assert untranslated("<p>Seite 2 · Baby Boomer · Gesuch</p>", phrases) == []
    assert untranslated("<script>var s = 'Older';</script>", phrases) == []


@pytest.fixture
def german_site(db, settings):
    """Content in German (an interface word in it would be a false alarm), two items a page."""
    settings.ITEMS_PER_PAGE = 2
    editor = PersonFactory(name="Jana Beispiel", slug="jana-beispiel")
    author = PersonFactory(name="Karl Muster", slug="karl-muster")
    review = PublicationFactory(name="Nahost-Rundschau", slug="nahost-rundschau")
    briefing = BriefingFactory(
        series="Blick auf die Region",
        title="Blick auf die Region: Anfang Oktober",
        slug="blick-anfang-oktober",
        publisher="Zentrum für Regionalstudien",
        editor=editor,
        language="de",
        period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 18),
        published_at=at(2020, 10, 18),
        tags=["Golfstaaten"],
    )
    FigureFactory(briefing=briefing, caption="Delegationen in der Hauptstadt", credit="Agentur")
    BulletFactory(briefing=briefing, text="Gespräche in der Hauptstadt (Mehr, 4. Oktober).")
    section = SectionFactory(briefing=briefing, title="Entwicklungen am Golf")
    BulletFactory(briefing=briefing, section=section, text="Neue Häfen (Mehr, 12. Oktober).")
    refresh_citations([briefing])
    article = ArticleFactory(
        title="Milizen und die Grenzwirtschaft",
        slug="milizen-grenzwirtschaft",
        kicker="Analyse",
        publication=review,
        authors=[author],
        language="de",
        original_date=dt.date(2020, 10, 15),
        standfirst="Wie der Handel bewaffnete Gruppen *finanziert*.",
        excerpt="Erster Absatz des Auszugs.\n\nZweiter Absatz des Auszugs.",
        editor_note="Unsere eigene Einordnung.",
        continue_label="",
        published_at=at(2020, 10, 20),
        tags=["Golfstaaten"],
    )
    ArticleFactory(
        title="Ältere Lage in Bagdad",
        kicker="Hintergrund",
        publication=review,
        language="de",
        standfirst="Ein Rückblick.",
        excerpt="Ein Absatz.",
        published_at=at(2020, 9, 2),
    )
    with translation.override("de"):
        return {"briefing": briefing.get_absolute_url(), "article": article.get_absolute_url()}


GERMAN_PAGES = [
    "/de/",
    "/de/?page=2",
    "/de/briefings/",
    "/de/articles/",
    "briefing",
    "article",
    "/de/tags/",
    "/de/tags/golfstaaten/",
    "/de/archive/2020/",
    "/de/archive/2020/10/",
    "/de/archive/2020/10/18/",
    "/de/publications/nahost-rundschau/",
    "/de/people/jana-beispiel/",
    "/de/people/karl-muster/",
    "/de/sources/",
    "/de/sources/mehr/",
    "/de/search/",
    "/de/search/?q=Hauptstadt",
    "/de/search/?q=a",
    "/de/search/?q=Wolkenkuckucksheim",
]


@pytest.mark.parametrize("page", GERMAN_PAGES)
def test_german_pages_show_no_english_interface_string(client, german_site, page):
    response = client.get(german_site.get(page, page))
    assert response.status_code == 200
    assert untranslated(response.content.decode(), english_phrases()) == []


def test_german_pages_show_what_each_page_is_for(client, german_site):
    """The walk above passes on an empty page too; these pages must really show their parts."""
    pages = {
        page: visible_text(client.get(german_site.get(page, page)).content.decode())
        for page in GERMAN_PAGES
    }
    assert "Älter" in pages["/de/"] and "Neuer" in pages["/de/?page=2"]
    assert "Zeitraum" in pages["briefing"] and "Überblick" in pages["briefing"]
    assert "Mehr zum Thema" in pages["briefing"]
    assert "Anmerkung der Redaktion" in pages["article"] and "Weiterlesen" in pages["article"]
    assert "Archiv" in pages["/de/archive/2020/10/"]
    # The item found, with a snippet of its text (a bullet or a caption, as the database finds).
    found = pages["/de/search/?q=Hauptstadt"]
    assert "Blick auf die Region: Anfang Oktober" in found and "in der Hauptstadt" in found
    assert "Geben Sie mindestens 2 Zeichen ein." in pages["/de/search/?q=a"]
    assert (
        "Zu „Wolkenkuckucksheim“ wurde nichts gefunden."
        in pages["/de/search/?q=Wolkenkuckucksheim"]
    )
    assert "Gespräche in der Hauptstadt" in pages["/de/sources/mehr/"]


def test_german_not_found_and_error_pages(client, german_site):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html and '<html lang="de">' in html
    assert untranslated(html, english_phrases()) == []
    with translation.override("de"):
        error = render_to_string("500.html")
    assert "Etwas ist schiefgelaufen" in error and '<html lang="de">' in error
    assert untranslated(error, english_phrases()) == []


def test_german_previews_for_staff(admin_client, german_site, tomorrow):
    draft = BriefingFactory(
        title="Entwurf zur Lage", series="Blick", publisher="Zentrum", status=Status.DRAFT
    )
    scheduled = ArticleFactory(
        title="Später",
        kicker="",
        standfirst="Vorspann.",
        excerpt="Ein Absatz.",
        published_at=tomorrow,
        language="de",
    )
    for item, expected in ((draft, "Dies ist ein Entwurf"), (scheduled, "geplant für")):
        with translation.override("de"):
            url = item.get_absolute_url()
        html = admin_client.get(url).content.decode()
        assert expected in html
        assert untranslated(html, english_phrases()) == []


# Dates


def test_german_dates_on_detail_pages_and_archive_headings(client, german_site):
    briefing = client.get(german_site["briefing"]).content.decode()
    assert ">1. Oktober 2020</time> – <time" in briefing
    assert ">18. Oktober 2020</time>" in briefing
    article = client.get(german_site["article"]).content.decode()
    assert ">15. Oktober 2020</time>" in article and ">20. Oktober 2020</time>" in article
    assert "<h1>Oktober 2020</h1>" in client.get("/de/archive/2020/10/").content.decode()
    assert "<h1>18. Oktober 2020</h1>" in client.get("/de/archive/2020/10/18/").content.decode()
    assert "<h1>2020</h1>" in client.get("/de/archive/2020/").content.decode()
    month = client.get("/de/archive/2020/10/").content.decode()
    assert "← September 2020" in month


def test_english_dates_stay_as_they_were(client, german_site):
    english = german_site["briefing"].removeprefix("/de")
    briefing = client.get(english).content.decode()
    assert ">Oct. 1, 2020</time> – <time" in briefing and ">Oct. 18, 2020</time>" in briefing
    assert "<h1>October 2020</h1>" in client.get("/archive/2020/10/").content.decode()
    assert "<h1>Oct. 18, 2020</h1>" in client.get("/archive/2020/10/18/").content.decode()


def test_feeds_spell_the_period_in_their_language(client, german_site):
    assert "Zeitraum: 1. Oktober – 18. Oktober 2020" in client.get("/de/briefings/feed/").text
    assert "Period: October 1 – October 18, 2020" in client.get("/briefings/feed/").text


def test_period_label_per_language():
    october = (dt.date(2020, 10, 1), dt.date(2020, 10, 18))
    new_year = (dt.date(2020, 12, 28), dt.date(2021, 1, 3))
    with translation.override("en"):
        assert period_label(*october) == "October 1 – October 18, 2020"
        assert period_label(*new_year) == "December 28, 2020 – January 3, 2021"
        assert period_label(None, dt.date(2021, 1, 3)) == "January 3, 2021"
    with translation.override("de"):
        assert period_label(*october) == "1. Oktober – 18. Oktober 2020"
        assert period_label(*new_year) == "28. Dezember 2020 – 3. Januar 2021"
        assert period_label(dt.date(2021, 1, 3), None) == "3. Januar 2021"


def test_a_derived_title_does_not_depend_on_the_interface_language(db):
    with translation.override("de"):
        briefing = BriefingFactory(
            title="", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 10, 18)
        )
    assert Briefing.objects.get(pk=briefing.pk).title.endswith("October 1 – October 18, 2020")


# Language versions


def switcher_links(html: str) -> dict[str, str]:
    """hreflang -> address of the footer's language switcher links."""
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switcher)
    return {code: urlsplit(url)._replace(scheme="", netloc="").geturl() for url, code in links}


@pytest.mark.parametrize(
    "page", ["/de/", "briefing", "article", "/de/archive/2020/10/", "/de/search/?q=Hauptstadt"]
)
def test_language_versions_link_each_other(client, german_site, page):
    german = german_site.get(page, page)
    english = german.removeprefix("/de")
    german_html = client.get(german).content.decode()
    english_html = client.get(english).content.decode()
    assert '<html lang="de">' in german_html and '<html lang="en">' in english_html
    assert switcher_links(german_html) == {"en": english}
    assert switcher_links(english_html) == {"de": german}
    assert "Zum Inhalt springen" in german_html and "Skip to content" in english_html
