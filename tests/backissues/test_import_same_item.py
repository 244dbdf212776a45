"""One item, one row, however many times and in however many formats it is imported.

The fixtures under import/same-issue/ are one back issue (a briefing and two excerpts) saved as
text (no addresses, no images, no editor), as a saved HTML page (permalinks, images, the editor,
the links to the originals) and as a WordPress export of the same posts (categories and tags).
"""

import pytest
from PIL import Image

from articles.models import Article
from briefings.models import Briefing
from publishing.models import Status
from tests.support.import_command import run_import
from tests.support.imported_rows import row_counts, update_stamps
from tests.support.paths import FIXTURES

pytestmark = pytest.mark.django_db

ISSUE = FIXTURES / "import" / "same-issue"
TEXT, HTML, WXR = ISSUE / "issue.txt", ISSUE / "issue.html", ISSUE / "issue.xml"
LINKS = {
    "Dams, rivers and a slow negotiation": "https://www.al-monitor.com/invented/dams-rivers",
    "Quiet channels between old rivals": "https://www.inss.org.il/invented/quiet-channels",
}


@pytest.fixture
def uploads(tmp_path):
    """The old site's uploads holding the images the HTML page and the export name."""
    folder = tmp_path / "uploads" / "2021" / "05"
    folder.mkdir(parents=True)
    for name in ("ferries.jpg", "dam.jpg"):
        Image.new("RGB", (640, 480), color=(90, 120, 60)).save(folder / name)
    return tmp_path / "uploads"


def run(path, uploads=None, *args) -> str:
    media = ("--media-root", uploads) if uploads else ()
    return run_import(path, *media, *args)[0]


def one_row_each() -> tuple[Briefing, dict[str, Article]]:
    assert Briefing.objects.count() == 1
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted(LINKS)
    return Briefing.objects.get(), {a.title: a for a in Article.objects.all()}


def assert_filled_from_the_later_formats(briefing: Briefing, articles: dict[str, Article]):
    assert briefing.editor.name == "Dr. Selma Aydin"
    assert briefing.lead_figure.image.name.endswith("2021/05/ferries.jpg")
    assert briefing.lead_figure.caption == "Ferries waiting at the quay of an invented port"
    assert {title: a.continue_url for title, a in articles.items()} == LINKS
    dams = articles["Dams, rivers and a slow negotiation"]
    assert [f.image.name.rsplit("/", 1)[-1] for f in dams.figures.all()] == ["dam.jpg"]


def test_an_issue_as_text_then_as_html_is_one_row_per_item_with_what_html_adds(uploads):
    run(TEXT)
    text_rows = {a.title: a.pk for a in Article.objects.all()}
    assert not any(Article.objects.values_list("continue_url", flat=True))

    out = run(HTML, uploads)

    briefing, articles = one_row_each()
    assert {title: a.pk for title, a in articles.items()} == text_rows
    assert_filled_from_the_later_formats(briefing, articles)
    assert "filled" in out.splitlines()[1]  # the summary table's heading
    # What the text page had stays as it was: its excerpt, its publication, its date.
    dams = articles["Dams, rivers and a slow negotiation"]
    assert dams.publication.name == "Al-Monitor" and str(dams.original_date) == "2021-05-12"
    assert dams.excerpt.startswith("Negotiators met again")


def test_text_html_and_the_export_of_the_same_posts_leave_one_row_per_item(uploads):
    run(TEXT)
    run(HTML, uploads)
    run(WXR, uploads)

    briefing, articles = one_row_each()
    assert_filled_from_the_later_formats(briefing, articles)
    # The export's categories and tags join the item's tags.
    assert {"Irak", "Water"} <= set(articles["Dams, rivers and a slow negotiation"].tags.names())
    # Its old addresses are kept, from the page and from the export.
    assert set(
        articles["Quiet channels between old rivals"].old_addresses.values_list("path", flat=True)
    ) == {
        "/2021/05/23/quiet-channels/",
        "/?p=5103",
    }


@pytest.mark.parametrize(
    "order",
    [(TEXT, WXR), (WXR, TEXT), (HTML, TEXT), (HTML, WXR), (WXR, HTML), (TEXT, WXR, HTML)],
    ids=lambda order: "-".join(path.suffix[1:] for path in order),
)
def test_any_order_of_formats_leaves_one_row_per_item_and_a_rerun_changes_nothing(order, uploads):
    for path in order:
        run(path, uploads)
    one_row_each()
    before, stamped = row_counts(), update_stamps()

    for path in order:
        run(path, uploads)

    assert row_counts() == before
    assert update_stamps() == stamped


def test_the_same_issue_in_one_run_is_one_row_per_item(uploads):
    """Files of one run share transactions: two holding the same item are written apart."""
    run_import(TEXT, HTML, "--media-root", uploads)
    briefing, articles = one_row_each()
    assert_filled_from_the_later_formats(briefing, articles)


def test_a_later_format_fills_gaps_but_keeps_an_editors_changes(uploads):
    run(TEXT)
    dams = Article.objects.get(title="Dams, rivers and a slow negotiation")
    dams.excerpt = "An editor's shorter excerpt."
    dams.kicker = ""
    dams.save()

    run(HTML, uploads)

    dams.refresh_from_db()
    assert dams.excerpt == "An editor's shorter excerpt."
    assert dams.continue_url == LINKS[dams.title]
    assert dams.edited_since_import  # still the editor's: a changed source would not replace it


def test_overwrite_replaces_the_row_with_the_later_formats_version(uploads):
    run(TEXT)
    dams = Article.objects.get(title="Dams, rivers and a slow negotiation")
    dams.excerpt = "An editor's shorter excerpt."
    dams.save()

    run(HTML, uploads, "--overwrite")

    _, articles = one_row_each()
    dams = articles["Dams, rivers and a slow negotiation"]
    assert dams.excerpt.startswith("Negotiators met again")
    assert dams.source_ref == "https://old-site.example/2021/05/23/dams-rivers/"


def test_rerunning_with_a_series_updates_the_briefing_rather_than_adding_one():
    run(TEXT)
    run(TEXT, None, "--series", "Spotlight on Iran")
    briefing = Briefing.objects.get()
    assert briefing.series == "Spotlight on Iran"
    stamped = update_stamps()
    run(TEXT, None, "--series", "Spotlight on Iran")
    run(TEXT)
    assert update_stamps() == stamped


def test_an_item_filled_by_another_format_stays_held_back_until_an_editor_publishes_it(
    uploads,
):
    run(TEXT)
    briefing = Briefing.objects.get()
    assert (briefing.status, briefing.review_reasons) == (Status.DRAFT, "no editor named")

    run(HTML, uploads)

    briefing.refresh_from_db()
    assert briefing.editor.name == "Dr. Selma Aydin"
    assert (briefing.status, briefing.needs_review, briefing.review_reasons) == (
        Status.DRAFT,
        False,
        "",
    )
