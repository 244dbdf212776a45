"""The WordPress export parser: our own exports, broken and hostile files, the theme test data."""

import datetime as dt
import re
import subprocess
import sys
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest

from backissues.formats.wxr import parse_wxr
from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import ParsedArticle, ParsedBriefing
from tests.support import paths
from tests.support.paths import ROOT, SHARED

FIXTURES = paths.FIXTURES / "wxr"
THEME_DATA = SHARED / "wxr" / "themeunittestdata.wordpress.xml"


def parse(name: str):
    return parse_wxr(FIXTURES / name, name)


@pytest.fixture
def kickers(settings):
    settings.IMPORT_KICKER_CATEGORIES = ["analysis", "Analyse"]


# --- WXR 1.0, http namespaces, German ------------------------------------------------------


def test_wxr_1_0_post(kickers):
    parsed = parse("wxr-1.0-http.xml")
    assert (parsed.format, parsed.encoding, parsed.source) == ("wxr", "UTF-8", "wxr-1.0-http.xml")
    article = parsed.articles[0]
    assert article.title == "Die Häfen am Schatt al-Arab & ihre Zukunft"
    assert article.slug == "die-häfen-am-schatt-al-arab"
    assert article.language == "de"
    assert article.kicker == "Analyse"
    assert article.tags == ["Irak", "Häfen"]  # "Allgemein" is WordPress's default category
    assert article.published_at == dt.datetime(2012, 3, 15, 9, 30, tzinfo=dt.UTC)
    assert article.source_status == "published"
    assert article.source_ref == "http://alt.example.de/?p=101"
    assert article.old_url == "http://alt.example.de/2012/03/die-haefen-am-schatt-al-arab/"
    assert article.standfirst == "Ein Hafen, drei Nachbarn und *viel* Geld."
    assert article.authors == []  # WordPress's author posted the excerpt; they did not write it
    assert article.line == 20


def test_wxr_1_0_content_becomes_markdown_with_absolute_links():
    article = parse("wxr-1.0-http.xml").articles[0]
    assert article.excerpt == (
        "Die Regierung in Bagdad will den Hafen von Umm Qasr ausbauen. Das ist nicht neu, "
        "aber diesmal gibt es Geld aus dem Haushalt.\n\n"
        "Die Nachbarn sehen das mit gemischten Gefühlen:\n\n"
        "- Kuwait baut einen eigenen Hafen auf der Insel Bubiyan.\n"
        "- Iran verweist auf die Grenzverträge von 1975.\n\n"
        "Mehr dazu [im Februar](http://alt.example.de/2012/02/umm-qasr/) und bei "
        "[der Quelle](http://news.example.org/umm-qasr)."
    )


def test_caption_shortcode_becomes_a_figure_with_an_absolute_image_address():
    figure = parse("wxr-1.0-http.xml").articles[0].figures[0]
    assert figure.caption == "Der Hafen von Umm Qasr im Winter"
    assert figure.image == "http://alt.example.de/wp-content/uploads/2012/03/umm-qasr-300x200.jpg"
    assert figure.alt == "Kräne am Kai"


def test_dropped_shortcodes_and_comments_are_noted_by_item_and_counted():
    parsed = parse("wxr-1.0-http.xml")
    assert parsed.notes == [
        ("item 1 (post 101)", "1 comment(s) not imported"),
        ("item 1 (post 101)", "dropped 1 [gallery] shortcode(s)"),
    ]
    assert parsed.not_imported == {"comment": 1, "[gallery] shortcode": 1}


def test_draft_without_a_gmt_date_takes_its_local_date(settings):
    draft = parse("wxr-1.0-http.xml").articles[1]
    assert draft.source_status == "draft"
    assert draft.slug is None
    berlin = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    assert draft.published_at == dt.datetime(2012, 4, 2, 18, 15, tzinfo=berlin)


# --- WXR 1.1: scheduled post, featured image after the post, a page ------------------------


def test_future_post_is_published_with_its_future_date():
    article = parse("wxr-1.1-http.xml").articles[0]
    assert article.title == "Oman’s quiet mediation, explained"
    assert article.source_status == "published"
    assert article.published_at == dt.datetime(2031, 1, 5, 8, 0, tzinfo=dt.UTC)
    assert article.tags == ["Oman"]  # "Uncategorized" dropped


def test_featured_image_listed_after_its_post_becomes_the_first_figure():
    figure = parse("wxr-1.1-http.xml").articles[0].figures[0]
    assert figure.image == "http://old.example.org/blog/wp-content/uploads/2030/12/dhow.jpg"
    assert figure.caption == "Dhows in the harbour of Muttrah"
    assert figure.alt == "Wooden boats moored in a row"


def test_single_newlines_are_line_breaks_and_blockquotes_quotes():
    excerpt = parse("wxr-1.1-http.xml").articles[0].excerpt
    assert excerpt == (
        "Muscat has once again hosted talks that neither side will admit took place.  \n"
        "The format is familiar by now.\n\n"
        "> We listen more than we speak, said an official who was not there."
    )


def test_page_becomes_a_flat_page_with_sanitized_html():
    parsed = parse("wxr-1.1-http.xml")
    [page] = parsed.pages
    assert page.url == "/blog/about/"
    assert page.title == "About this blog"
    assert page.source_ref == "http://old.example.org/blog/?page_id=2"
    assert "<h2>Contact</h2>" in page.content
    assert '<a href="mailto:editor@example.org" rel="noopener noreferrer">' in page.content
    assert "onclick" not in page.content and "script" not in page.content
    assert "contact-form" not in page.content


def test_other_item_types_are_skipped_and_counted():
    notes = parse("wxr-1.1-http.xml").notes
    assert ("item 2 (page 2)", "dropped 1 [contact-form] shortcode(s)") in notes
    assert ("whole file", "skipped 1 nav_menu_item item(s)") in notes


# --- WXR 1.2, https namespaces: a briefing, block-editor content ---------------------------


def test_briefing_shaped_post_becomes_a_briefing():
    parsed = parse("wxr-1.2-https.xml")
    [briefing] = parsed.briefings
    assert isinstance(briefing, ParsedBriefing)
    assert briefing.title == "Spotlight on the Levant: March 1 – March 14, 2021"
    assert (briefing.period_start, briefing.period_end) == (
        dt.date(2021, 3, 1),
        dt.date(2021, 3, 14),
    )
    assert briefing.editor == "Dr. Miriam Invented"
    assert briefing.overview == [
        "Trade across the northern crossings resumed after a two-week pause.",
        "The ministry announced new rules for fuel imports.",
    ]
    assert [(s.title, len(s.bullets)) for s in briefing.sections] == [
        ("Economy", 2),
        ("Diplomacy", 1),
    ]
    assert briefing.lead_figure.image == (
        "https://digest.example.net/wp-content/uploads/2021/03/border-crossing.jpg"
    )
    assert briefing.lead_figure.caption.startswith("Trucks waiting at an invented border")
    assert briefing.source_ref == "https://digest.example.net/?p=301"
    assert briefing.published_at == dt.datetime(2021, 3, 15, 7, 0, tzinfo=dt.UTC)
    assert briefing.source_status == "published"
    assert briefing.tags == ["Syria", "Briefings"]
    assert briefing.language == "en"


def test_block_editor_post(kickers):
    article = parse("wxr-1.2-https.xml").articles[0]
    assert article.kicker == "Analysis"
    assert article.tags == ["Ports & Shipping", "Economy"]
    assert article.source_ref == "wxr:post:303"  # its guid is empty
    assert article.standfirst == "A thirty-year concession, and who gains from it."
    assert article.excerpt == (
        "The agreement signed this week gives an invented consortium the right to run the "
        "container terminal for thirty years.\n\n"
        "- Tariffs are frozen for five years.\n- Local staff keep their contracts."
    )
    assert (article.continue_label, article.continue_url) == (
        "Continue reading",
        "https://news.example.com/port-deal",
    )
    [figure] = article.figures
    assert figure.caption == "The container terminal, as the consortium imagines it"
    assert figure.alt == "Container cranes"


def test_untitled_pending_post_is_a_draft_without_a_title():
    article = parse("wxr-1.2-https.xml").articles[1]
    assert article.title is None
    assert article.source_status == "draft"
    assert "title" in article.missing_required()


def test_a_private_page_is_kept_hidden_and_a_query_permalink_uses_the_slug():
    parsed = parse("wxr-1.2-https.xml")
    assert [(p.url, p.title, p.hidden, p.shortlink) for p in parsed.pages] == [
        ("/internal-notes/", "Internal notes", True, "/?page_id=306"),
        ("/impressum/", "Impressum", False, "/?page_id=307"),
    ]


def test_reads_an_open_file_too():
    with open(FIXTURES / "wxr-1.2-https.xml", "rb") as file:
        assert len(parse_wxr(file, "upload").items()) == 3


# --- bad and hostile files -----------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_truncated_export_names_the_line(tmp_path):
    text = (FIXTURES / "wxr-1.2-https.xml").read_text(encoding="utf-8")
    cut = text[: text.index("Why the port deal matters")]
    with pytest.raises(BackIssueError) as raised:
        parse_wxr(write(tmp_path, cut), "export.xml")
    assert raised.value.location == f"line {cut.count(chr(10)) + 1}"
    assert "not well-formed XML" in raised.value.reason


def test_malformed_xml_names_the_line(tmp_path):
    text = (FIXTURES / "wxr-1.1-http.xml").read_text(encoding="utf-8")
    broken = text.replace("<wp:post_id>201</wp:post_id>", "<wp:post_id>201</wp:post>")
    with pytest.raises(BackIssueError) as raised:
        parse_wxr(write(tmp_path, broken), "export.xml")
    line = broken[: broken.index("</wp:post>")].count("\n") + 1
    assert raised.value.location == f"line {line}"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<html><body><p>Hello</p></body></html>", "not a WordPress export"),
        ('<rss version="2.0"><channel><title>A feed</title></channel></rss>', "no WXR version"),
        ("", "not well-formed XML"),
        ("Just some text.", "not well-formed XML"),
        ("\x89PNG\r\n\x1a\n", "not well-formed XML"),
    ],
)
def test_file_that_is_not_an_export(tmp_path, text, reason):
    with pytest.raises(BackIssueError, match=reason):
        parse_wxr(write(tmp_path, text), "export.xml")


def test_missing_file():
    with pytest.raises(BackIssueError, match="cannot be read"):
        parse_wxr(Path("/nonexistent/export.xml"), "export.xml")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY local SYSTEM "file:///etc/passwd">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&lol9;</title><content:encoded>Text &local; more</content:encoded>
<wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt></item>
</channel></rss>"""


def test_entities_are_never_expanded(tmp_path):
    try:
        parsed = parse_wxr(write(tmp_path, BILLION_LAUGHS), "export.xml")
    except BackIssueError:
        return  # refusing the file is as good as not expanding it
    [article] = parsed.articles
    assert "lol" not in (article.title or "")
    assert "root:" not in (article.excerpt or "")


def test_entities_in_a_small_dtd_are_not_expanded_either(tmp_path):
    small = BILLION_LAUGHS.replace("&lol9;", "&lol2;").split("\n")
    small = "\n".join(line for line in small if not re.search(r"ENTITY lol[3-9]", line))
    [article] = parse_wxr(write(tmp_path, small), "export.xml").articles
    assert article.title is None
    assert "lol" not in article.excerpt and "root:" not in article.excerpt


def test_an_external_dtd_is_not_fetched(tmp_path):
    text = (FIXTURES / "wxr-1.2-https.xml").read_text(encoding="utf-8")
    doctype = '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/never.dtd">\n<rss'
    parsed = parse_wxr(write(tmp_path, text.replace("<rss", doctype, 1)), "export.xml")
    assert len(parsed.items()) == 3


def test_item_with_odd_fields_is_still_read(tmp_path):
    text = (FIXTURES / "wxr-1.2-https.xml").read_text(encoding="utf-8")
    odd = text.replace("2021-03-16 10:00:00", "yesterday").replace(
        "<![CDATA[2021-03-16 12:00:00]]>", ""
    )
    article = parse_wxr(write(tmp_path, odd), "export.xml").articles[0]
    assert article.published_at is None


# --- size ----------------------------------------------------------------------------------


def test_a_100_mb_export_streams_in_bounded_memory(tmp_path):
    """A 100 MB export (10 MB of it posts, the rest skipped items) parses in a fraction of the
    memory its tree would take: the process's peak, Django included, stays under 300 MB. How
    long it takes is measured by bench/parse_bench.py."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.big_export", str(tmp_path / "big.xml")]
        + ["500", "4700"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    count, size, peak, seconds = result.stdout.split()
    print(f"{int(size) / 1e6:.0f} MB in {float(seconds):.1f} s, peak {int(peak) / 1e6:.0f} MB")
    assert int(count) == 500
    assert int(size) > 100_000_000
    assert int(peak) < 300_000_000


# --- the WordPress theme unit test data (never copied into the repo) -----------------------


@pytest.fixture(scope="module")
def theme_data():
    if not THEME_DATA.exists():
        pytest.skip(f"{SHARED} not present: the WordPress theme unit test data is not here")
    return THEME_DATA


@pytest.fixture
def theme(theme_data, kickers):
    return parse_wxr(theme_data, "themeunittestdata.wordpress.xml")


def by_title(parsed, title: str):
    return next(item for item in parsed.items() if item.title == title)


def test_theme_data_has_58_posts_21_pages(theme):
    assert len(theme.items()) == 58
    assert len(theme.pages) == 21
    assert ("whole file", "skipped 70 nav_menu_item item(s)") in theme.notes


def test_theme_data_statuses(theme):
    now = dt.datetime.now(dt.UTC)
    statuses = Counter(
        "scheduled"
        if item.source_status == "published" and item.published_at > now
        else item.source_status
        for item in theme.items()
    )
    assert statuses == {"published": 55, "scheduled": 1, "draft": 1, "password-protected": 1}
    assert by_title(theme, "Scheduled").published_at == dt.datetime(
        2030, 1, 1, 19, 0, 18, tzinfo=dt.UTC
    )
    assert by_title(theme, "Draft").source_status == "draft"


def test_theme_data_tags_and_categories(theme):
    many_tags = by_title(theme, "Edge Case: Many Tags")
    assert {"8BIT", "alignment", "Articles", "captions", "Codex"} <= set(many_tags.tags)
    assert "content περιεχόμενο" in by_title(theme, "Template: Excerpt (Defined)").tags
    categories = by_title(theme, "Edge Case: Many Categories").tags
    assert {"aciform", "antiquarianism", "Classic"} <= set(categories)
    assert "Uncategorized" not in categories


def test_theme_data_caption_figures(theme):
    article = by_title(theme, "Post Format: Image (Caption)")
    assert isinstance(article, ParsedArticle)
    figure = next(f for f in article.figures if f.caption == "Bell on wharf in San Francisco")
    assert figure.alt == "Bell on Wharf"
    assert figure.image.startswith("https://wpthemetestdata.files.wordpress.com/2008/06/100_5478")
    alignment = by_title(theme, "Markup: Image Alignment")
    assert len([f for f in alignment.figures if f.caption]) >= 3


def test_theme_data_featured_image(theme):
    article = by_title(theme, "Template: Featured Image (Horizontal)")
    assert article.figures[0].image.startswith("https://wpthemetestdata.files.wordpress.com/")


def test_theme_data_titles_and_untitled_post(theme):
    titles = {item.title for item in theme.items()}
    assert "Markup: Title With Markup" in titles
    assert "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>" in titles
    assert None in titles  # "Edge Case: No Title"


def test_theme_data_pages_have_paths_and_non_ascii_titles(theme):
    pages = {page.url: page for page in theme.pages}
    assert pages["/about/"].title == "About The Tests"
    assert pages["/level-1/level-2/level-3/"].title == "Level 3"
    assert "/greek/" in pages and pages["/greek/"].title == "Ελληνικά-Greek"
    assert any("Επίπεδο" in page.title for page in theme.pages)
    assert all(page.url.startswith("/") and page.url.endswith("/") for page in theme.pages)
    assert all("<script" not in page.content for page in theme.pages)


def test_theme_data_shortcodes_are_noted_and_players_kept_as_links(theme):
    dropped = [message for _, message in theme.notes if "shortcode" in message]
    assert any("[gallery]" in message for message in dropped)
    linked = [message for _, message in theme.notes if "kept as a link" in message]
    assert any(message.endswith(".mp3") for message in linked)  # an [audio] shortcode
    assert any(message.endswith(".ogg") for message in linked)  # an <audio> element
    # The gallery shows the images uploaded to its post: each becomes one of its figures.
    gallery = next(a for a in theme.articles if a.source_ref.endswith("?p=555"))
    assert len(gallery.figures) >= 20


def test_the_old_sites_brand_and_kicker_come_off_a_posts_title(tmp_path):
    text = (FIXTURES / "wxr-1.2-https.xml").read_text(encoding="utf-8")
    branded = text.replace(
        "Why the port deal matters", "MESOPOTAMIA NEWS FOCUS : Why the port deal matters"
    )
    article = next(
        a
        for a in parse_wxr(write(tmp_path, branded), "export.xml").articles
        if a.title and "port deal" in a.title
    )
    assert (article.kicker, article.title) == ("Focus", "Why the port deal matters")


def test_a_large_export_converted_in_worker_processes_parses_the_same(tmp_path, monkeypatch):
    path = tmp_path / "export.xml"
    path.write_text((FIXTURES / "wxr-1.2-https.xml").read_text(encoding="utf-8"))
    alone = parse_wxr(path, "export.xml", parallel=False)
    monkeypatch.setattr("backissues.formats.wxr._PARALLEL_BYTES", 0)
    monkeypatch.setattr("backissues.formats.wxr._CHUNK", 1)
    together = parse_wxr(path, "export.xml")
    assert [a.to_json() for a in together.articles] == [a.to_json() for a in alone.articles]
    assert [b.to_json() for b in together.briefings] == [b.to_json() for b in alone.briefings]
    assert sorted(together.notes) == sorted(alone.notes)
    assert [a.figures for a in together.articles] == [a.figures for a in alone.articles]
