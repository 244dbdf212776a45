"""A briefing as a newsletter: e-mail HTML that needs no stylesheet and no relative address,
plain text, both holding what the web page holds, offered on an admin page and as downloads."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django.utils.html import escape

from briefings.models import Briefing
from briefings.newsletter import TEXT_WIDTH, briefing_newsletter
from publishing.models import Status
from tests.support.admin_addresses import BRIEFING_LIST
from tests.support.factories import (
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    PersonFactory,
    SectionFactory,
)
from tests.support.images import small_png
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db

SITE_URL = "https://news.example.org"
SKIPPED = {"script", "style", "head", "title"}


class VisibleText(HTMLParser):
    """The text a reader sees, in order, as runs of text; only inside `within` when given."""

    def __init__(self, within: str | None = None):
        super().__init__(convert_charrefs=True)
        self.within = within
        self.depth = 0 if within else 1
        self.skipping = 0
        self.runs: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == self.within:
            self.depth += 1
        if tag in SKIPPED:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag == self.within:
            self.depth -= 1
        if tag in SKIPPED:
            self.skipping -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping and data.strip():
            self.runs.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return " ".join(self.runs)


def visible(html: str, within: str | None = None) -> VisibleText:
    parser = VisibleText(within)
    parser.feed(html)
    parser.close()
    return parser


def folded(text: str) -> str:
    return " ".join(text.split())


def appear_in_order(pieces: list[str], text: str) -> list[str]:
    """The pieces not found in `text` after the one before them: empty when all are in order."""
    missing, position = [], 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            missing.append(piece)
        else:
            position = found + len(piece)
    return missing


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def briefing() -> Briefing:
    briefing = BriefingFactory(
        series="Spotlight on Iran",
        title="Spotlight on Iran: October 1 – October 18, 2020",
        period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 18),
        editor=PersonFactory(name="Hamid Rezaei"),
        published_at=timezone.now() - dt.timedelta(days=1),
        tags=["Iran"],
    )
    FigureFactory(
        briefing=briefing,
        image=small_png(),
        alt="Delegations at a table",
        caption="Negotiators meet in Vienna",
        credit="Mehr, October 4, 2020",
    )
    BulletFactory(
        briefing=briefing,
        position=0,
        text="Talks resumed in *Vienna* after [a pause](https://example.com/talks) "
        "of three months (Mehr, October 4).",
    )
    BulletFactory(
        briefing=briefing,
        position=1,
        text="See also [last week's briefing](/briefings/) on the same talks.",
    )
    economy = SectionFactory(briefing=briefing, title="Economy", position=0)
    BulletFactory(
        briefing=briefing,
        section=economy,
        position=0,
        text="The rial fell to a record low against the dollar, a fall that traders blamed on "
        "new sanctions and on the central bank's reluctance to sell its reserves (Fars, "
        "October 13).",
    )
    BulletFactory(briefing=briefing, section=economy, position=1, text="Inflation reached 41%.")
    politics = SectionFactory(briefing=briefing, title="Domestic politics", position=1)
    BulletFactory(briefing=briefing, section=politics, position=0, text="Parliament met.")
    return Briefing.objects.for_detail().get(pk=briefing.pk)


def content_pieces(briefing: Briefing) -> list[str]:
    """What a reader must find, in this order, wherever the briefing is shown."""
    figure = briefing.lead_figure
    pieces = [
        briefing.title,
        "Oct. 1, 2020 – Oct. 18, 2020",
        briefing.editor.name,
        figure.caption,
        figure.credit,
    ]
    for bullet in briefing.overview:
        pieces += visible(bullet.text_html).runs
    for section in briefing.sections.all():
        pieces.append(section.title)
        for bullet in section.bullet_list:
            pieces += visible(bullet.text_html).runs
    return pieces


def test_the_newsletter_holds_what_the_web_page_holds_in_the_same_order(client, briefing):
    web_page = client.get(briefing.get_absolute_url())
    assert web_page.status_code == 200
    newsletter = briefing_newsletter(briefing)
    pieces = content_pieces(briefing)
    assert "(Mehr, October 4)." in " ".join(pieces)  # the citation, as typed, is text

    texts = {
        "web page": visible(web_page.content.decode(), within="article").text,
        "e-mail HTML": visible(newsletter.html).text,
        "plain text": folded(newsletter.text),
    }
    for name, text in texts.items():
        assert appear_in_order(pieces, text) == [], name


def test_the_email_html_needs_no_stylesheet_script_or_relative_address(briefing):
    html = briefing_newsletter(briefing).html
    parsed = visible(html)
    tags = [tag for tag, _attrs in parsed.tags]

    assert "script" not in tags and "style" not in tags and "link" not in tags
    assert "class=" not in html
    # Everything a reader sees has its style on it or on the element around it.
    for tag in ("h1", "h2", "p", "li", "a", "img", "table"):
        assert tag in tags
        assert all("style" in attrs for name, attrs in parsed.tags if name == tag), tag
    addresses = [
        attrs[name] for _tag, attrs in parsed.tags for name in ("href", "src") if name in attrs
    ]
    assert len(addresses) >= 5
    assert all(re.match(r"https?://", address) for address in addresses), addresses
    image = next(attrs for tag, attrs in parsed.tags if tag == "img")
    assert image["src"].startswith(f"{SITE_URL}/media/")
    assert image["alt"] == "Delegations at a table"
    assert f'href="{SITE_URL}/briefings/"' in html  # a bullet's relative link, made absolute
    assert f"{SITE_URL}{briefing.get_absolute_url()}" in parsed.text  # the footer


def test_the_plain_text_is_wrapped_with_dashed_bullets_underlined_titles_and_addresses(briefing):
    text = briefing_newsletter(briefing).text
    lines = text.splitlines()

    assert max(len(line) for line in lines) <= TEXT_WIDTH
    assert lines[0] == briefing.title
    assert set(lines[1]) == {"="}
    assert lines[lines.index("Economy") + 1] == "-" * len("Economy")
    assert lines[lines.index("Overview") + 1] == "--------"
    # The long bullet is wrapped, its lines after the first indented under its text.
    start = next(n for n, line in enumerate(lines) if line.startswith("- The rial fell"))
    assert lines[start + 1].startswith("  ") and not lines[start + 1].startswith("   ")
    # Links as addresses, after the words they were on.
    assert "a pause (https://example.com/talks)" in folded(text)
    assert f"last week's briefing ({SITE_URL}/briefings/)" in folded(text)
    assert "*" not in text and "<" not in text
    assert text.rstrip().endswith(f"{SITE_URL}{briefing.get_absolute_url()}")


def test_a_german_briefing_has_german_labels_and_dates(briefing):
    Briefing.objects.filter(pk=briefing.pk).update(language="de")
    german = Briefing.objects.for_detail().get(pk=briefing.pk)
    newsletter = briefing_newsletter(german)
    assert "Überblick" in newsletter.text and "Zeitraum: 1. Oktober 2020" in newsletter.text
    assert 'lang="de"' in newsletter.html


def newsletter_url(briefing) -> str:
    return f"/admin/briefings/briefing/{briefing.pk}/newsletter/"


@pytest.fixture
def viewer(django_user_model):
    """Staff who may only look at briefings: the newsletter changes nothing, so it is theirs."""
    client = staff_client(django_user_model, "viewer")
    user = django_user_model.objects.get(username="viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_briefing"))
    return client


def test_the_action_leads_to_the_newsletter_page_with_both_forms(viewer, briefing):
    response = viewer.post(
        BRIEFING_LIST,
        {"action": "newsletter", "index": "0", "_selected_action": [briefing.pk]},
    )
    assert response.status_code == 302 and response["Location"] == newsletter_url(briefing)

    page = viewer.get(newsletter_url(briefing))
    assert page.status_code == 200
    names = [t.name for t in page.templates]
    assert {"admin/briefings/briefing/newsletter.html", "admin/base_site.html"} <= set(names)
    newsletter = briefing_newsletter(briefing)
    tags = visible(page.content.decode()).tags
    textareas = [attrs for tag, attrs in tags if tag == "textarea"]
    assert [attrs["id"] for attrs in textareas] == ["newsletter-html", "newsletter-text"]
    assert all("readonly" in attrs for attrs in textareas)
    iframe = next(attrs for tag, attrs in tags if tag == "iframe")
    assert iframe["srcdoc"] == newsletter.html and "sandbox" in iframe
    assert page.context["newsletter"].text == newsletter.text
    # The source to copy, escaped once: a browser shows it as the file's text.
    assert f"readonly>{escape(newsletter.html)}</textarea>" in page.content.decode()


def test_the_change_form_links_to_the_newsletter(viewer, briefing):
    change_form = viewer.get(f"/admin/briefings/briefing/{briefing.pk}/change/")
    assert f'href="{newsletter_url(briefing)}"' in change_form.content.decode()


def test_the_downloads_are_files_named_after_the_briefing(viewer, briefing):
    html = viewer.get(newsletter_url(briefing), {"download": "html"})
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert html["Content-Disposition"] == f'attachment; filename="{briefing.slug}.html"'
    assert html.content.decode() == briefing_newsletter(briefing).html

    text = viewer.get(newsletter_url(briefing), {"download": "txt"})
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text["Content-Disposition"] == f'attachment; filename="{briefing.slug}.txt"'
    assert text.content.decode() == briefing_newsletter(briefing).text


@pytest.mark.parametrize("count", [0, 2])
def test_the_action_needs_exactly_one_briefing(viewer, count):
    briefings = BriefingFactory.create_batch(2)
    response = viewer.post(
        BRIEFING_LIST,
        {
            "action": "newsletter",
            "index": "0",
            "_selected_action": [b.pk for b in briefings[:count]],
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(BRIEFING_LIST)


def test_staff_who_may_not_see_briefings_get_no_newsletter(django_user_model, briefing):
    stranger = staff_client(django_user_model, "stranger")
    assert stranger.get(newsletter_url(briefing)).status_code == 403
    assert stranger.get(newsletter_url(briefing), {"download": "txt"}).status_code == 403


def test_a_draft_has_a_newsletter_too(viewer):
    draft = BriefingFactory(status=Status.DRAFT)
    BulletFactory(briefing=draft, text="Not yet out.")
    page = viewer.get(newsletter_url(draft))
    assert page.status_code == 200
    assert "Not yet out." in page.context["newsletter"].text
