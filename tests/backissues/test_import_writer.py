"""Writing parsed back issues: idempotent, atomic per file, respectful of editors' changes."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from PIL import Image
from taggit.models import Tag

from articles.models import Article, ArticleFigure
from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import (
    ParsedFigure,
    ParsedFile,
    ParsedFlatPage,
    ParsedSection,
)
from backissues.parsing.publication_index import PublicationIndex
from backissues.writing import WriteOptions, write_file
from backissues.writing.sql import relax_durability
from briefings.models import Briefing, Bullet, Figure, Section
from people.models import Person, Publication
from publishing.markup import render_inline_markdown, render_markdown
from publishing.models import OldAddress, Status, unique_slug
from tests.support.imported_rows import row_counts, update_stamps
from tests.support.parsed_items import a_briefing, a_file, an_article

pytestmark = pytest.mark.django_db


def edit_as_editor(row) -> None:
    row.refresh_from_db()
    row.title = "An editor's better title"
    row.save()


# Publication names


def test_publication_index_finds_the_longest_spelling_as_a_whole_word():
    index = PublicationIndex(
        {"Institute for the Study of War": ["ISW"], "INSS": ["INSS Insight"], "Al-Monitor": []}
    )
    text = "SDF releases detainees / INSTITUTE  FOR THE STUDY OF WAR (ISW)"
    match = index.find_in(text)
    assert match.name == "Institute for the Study of War"
    assert text[match.start : match.end] == "INSTITUTE  FOR THE STUDY OF WAR"
    assert index.find_in("Read INSS Insight no. 5").name == "INSS"
    assert index.find_in("al monitor, October 5").name == "Al-Monitor"
    assert index.find_in("MISSING INSSIGHT") is None
    assert index.canonical("al–monitor") == "Al-Monitor"


def test_publication_index_loads_the_back_issue_spellings():
    index = PublicationIndex.load()
    assert index.find_in("MESOPOTAMIA NEWS : IntelBrief: Sanctions").name == "The Soufan Center"
    assert index.find_in("FIKRA FORUM, 2 Oct").name == "The Washington Institute"
    assert Publication.objects.get(name="Turkeyscope").homepage == "https://dayan.org/"


# Writing


def test_writes_a_briefing_with_its_parts_in_order():
    report = write_file(a_file(a_briefing()), options=WriteOptions(series="Spotlight"))
    briefing = Briefing.objects.get()
    assert report.counts["briefing"]["created"] == 1
    assert briefing.status == Status.PUBLISHED and not briefing.needs_review
    assert briefing.title == "Spotlight: March 1 – March 14, 2021"
    assert briefing.editor.name == "Mara Lindqvist"
    assert [b.text for b in briefing.bullets.filter(section=None)] == [
        "Talks resumed after a pause (Agency, March 2).",
        "Trade figures rose.",
    ]
    assert [(s.title, s.bullets.count()) for s in briefing.sections.all()] == [
        ("Developments in the north", 2),
        ("Developments in the south", 1),
    ]
    assert briefing.lead_figure.caption == "Delegates at the crossing"
    assert briefing.source_ref.startswith("fingerprint:")


def test_writes_an_article_with_its_publication_people_and_tags():
    Person.objects.create(name="Jonas Feld", slug="jonas-feld")
    write_file(a_file(an_article()), options=WriteOptions(tags=["Back issues"]))
    article = Article.objects.get()
    assert article.publication.name == "Al-Monitor"  # an alias of the migration's row
    assert sorted(p.name for p in article.authors.all()) == ["Jonas Feld", "Rita Okafor"]
    assert Person.objects.filter(name__iexact="jonas feld").count() == 1
    assert sorted(article.tags.names()) == ["Back issues"]  # its kicker stays a kicker
    assert article.kicker == "Analysis"
    assert article.original_date == dt.date(2021, 3, 10)
    assert "never announced" in article.excerpt_html


def test_second_run_creates_and_changes_nothing():
    parsed = a_file(a_briefing(), an_article(old_url="https://old.example/2021/03/deal/"))
    write_file(parsed, options=WriteOptions())
    before, stamped = row_counts(), update_stamps()

    report = write_file(parsed, options=WriteOptions())

    assert row_counts() == before
    assert update_stamps() == stamped
    assert report.counts["briefing"]["unchanged"] == report.counts["article"]["unchanged"] == 1
    assert report.counts["redirect"]["unchanged"] == 1
    assert report.summary() == "unchanged 2"


def test_a_changed_source_updates_the_item_in_place():
    write_file(a_file(an_article()), options=WriteOptions())
    changed = a_file(an_article(excerpt="A new first paragraph."))
    report = write_file(changed, options=WriteOptions())
    assert report.counts["article"]["updated"] == 1
    assert Article.objects.get().excerpt == "A new first paragraph."


def test_dry_run_writes_nothing_but_reports_what_would_happen():
    before = row_counts()
    report = write_file(
        a_file(a_briefing(), an_article(publication="Gulf Quarterly")),
        options=WriteOptions(dry_run=True),
    )
    assert row_counts() == before
    assert report.counts["briefing"]["created"] == report.counts["article"]["created"] == 1
    assert report.counts["article"]["flagged"] == 1


def test_a_broken_item_writes_nothing_of_its_file_and_names_line_and_field():
    good = a_file(an_article(title="Another quiet deal"), source="good.txt")
    broken = a_file(
        a_briefing(), an_article(line=42, continue_url="not a link"), source="broken.txt"
    )
    with pytest.raises(BackIssueError) as caught:
        write_file(broken, options=WriteOptions())
    assert str(caught.value).startswith("broken.txt, line 42: ")
    assert "continue_url" in caught.value.reason
    assert Briefing.objects.count() == Article.objects.count() == 0

    write_file(good, options=WriteOptions())
    assert Article.objects.get().title == "Another quiet deal"


def test_a_period_ending_before_it_starts_is_refused():
    backwards = a_briefing(period_start=dt.date(2021, 3, 14), period_end=dt.date(2021, 3, 1))
    with pytest.raises(BackIssueError, match="must end on or after its start"):
        write_file(a_file(backwards), options=WriteOptions())


def test_an_editors_change_survives_a_reimport_unless_overwritten():
    write_file(a_file(an_article()), options=WriteOptions())
    edit_as_editor(Article.objects.get())
    changed = a_file(an_article(excerpt="The source changed too."))

    report = write_file(changed, options=WriteOptions())
    assert report.counts["article"]["kept"] == 1
    assert report.kept[0].label == "Water, borders and a quiet deal"
    assert Article.objects.get().title == "An editor's better title"

    report = write_file(changed, options=WriteOptions(overwrite=True))
    assert report.counts["article"]["updated"] == 1
    article = Article.objects.get()
    assert (article.title, article.excerpt) == (
        "Water, borders and a quiet deal",
        "The source changed too.",
    )


def test_an_editors_change_is_left_alone_when_the_source_is_unchanged():
    write_file(a_file(an_article()), options=WriteOptions())
    edit_as_editor(Article.objects.get())
    report = write_file(a_file(an_article()), options=WriteOptions(overwrite=True))
    assert report.counts["article"]["unchanged"] == 1
    assert Article.objects.get().title == "An editor's better title"


def test_items_with_gaps_are_flagged_and_stay_drafts_with_their_reasons():
    parsed = a_file(
        a_briefing(editor=None),
        an_article(title=None, line=50),
        an_article(title="Undated piece", published_at=None),
        an_article(title="Unknown outlet", publication="Gulf Quarterly"),
    )
    report = write_file(parsed, options=WriteOptions())

    briefing = Briefing.objects.get()
    assert briefing.status == Status.DRAFT and briefing.needs_review
    assert briefing.review_reasons == "no editor named"
    # Named by its first words, never by the file's path on the server.
    untitled = Article.objects.get(title="The agreement was never announced. It still shapes…")
    assert untitled.status == Status.DRAFT and untitled.needs_review
    undated = Article.objects.get(title="Undated piece")
    assert undated.status == Status.DRAFT
    assert undated.review_reasons == "no publication date: not guessed, set one on publishing"
    outlet = Article.objects.get(title="Unknown outlet")
    assert outlet.status == Status.DRAFT and outlet.needs_review
    assert outlet.publication.name == "Gulf Quarterly"

    flagged = {(note.kind, note.label): note.detail for note in report.flagged}
    assert flagged[("briefing", "2021-03-01 – 2021-03-14")] == "no editor named"
    assert flagged[("article", "")] == "no title"
    assert flagged[("article", "Undated piece")] == (
        "no publication date: not guessed, set one on publishing"
    )
    assert flagged[("article", "Unknown outlet")] == (
        "publication seen for the first time: Gulf Quarterly"
    )
    assert report.flagged[1].location == "line 50"
    assert report.counts["article"]["flagged"] == 3


def test_a_draft_in_the_source_stays_a_draft_and_is_flagged():
    write_file(a_file(an_article(source_status="draft")), options=WriteOptions())
    article = Article.objects.get()
    assert article.status == Status.DRAFT and article.needs_review


def test_a_published_post_of_an_export_is_held_back_when_incomplete():
    post = an_article(title=None, excerpt=None, source_status="published", line=7)
    write_file(a_file(post, source="export.xml"), options=WriteOptions())
    article = Article.objects.get()
    assert article.status == Status.DRAFT and article.needs_review
    assert article.review_reasons.splitlines() == ["no title", "no excerpt text"]


def test_a_post_of_an_export_needs_no_byline_of_the_old_sites_pages():
    post = an_article(publication=None, date=None, source_status="published")
    parsed = dataclasses.replace(a_file(post, source="export.xml"), format="wxr")
    write_file(parsed, options=WriteOptions())
    article = Article.objects.get()
    assert (article.status, article.needs_review, article.review_reasons) == (
        Status.PUBLISHED,
        False,
        "",
    )


def test_a_published_post_without_a_title_waits_as_a_draft_named_by_its_first_words():
    post = an_article(title=None, source_status="published", line=7)
    write_file(a_file(post, source="export.xml"), options=WriteOptions())
    article = Article.objects.get()
    assert (article.status, article.needs_review) == (Status.DRAFT, True)
    assert article.title == "The agreement was never announced. It still shapes…"


def test_a_future_date_schedules_the_item(tomorrow):
    write_file(a_file(an_article(published_at=tomorrow)), options=WriteOptions())
    assert Article.objects.get().is_scheduled


def test_the_parsers_slug_is_used_when_free():
    Article.objects.create(title="Taken", slug="taken-slug")
    write_file(
        a_file(an_article(slug="quiet-deal"), an_article(title="Second", slug="taken-slug")),
        options=WriteOptions(),
    )
    assert Article.objects.filter(slug="quiet-deal").exists()
    assert Article.objects.filter(slug="second").exists()


# Old addresses and pages


def test_old_addresses_answer_with_a_permanent_redirect(client):
    parsed = a_file(
        an_article(old_url="https://old.example/2021/03/10/quiet-deal/", source_ref="guid-7"),
        a_briefing(old_url="https://old.example/?p=12"),
    )
    write_file(parsed, options=WriteOptions())
    article, briefing = Article.objects.get(), Briefing.objects.get()

    response = client.get("/2021/03/10/quiet-deal/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200
    # "/?p=12" is the home page's own address with a query; the home page follows it.
    assert OldAddress.objects.get(path="/?p=12").item == briefing
    response = client.get("/?p=12")
    assert (response.status_code, response["Location"]) == (301, briefing.get_absolute_url())
    assert client.get("/?p=13").status_code == 404
    assert client.get("/?p=latest").status_code == 200


def test_a_redirect_follows_the_item_to_its_new_address(client):
    parsed = a_file(an_article(old_url="https://old.example/deal/"))
    write_file(parsed, options=WriteOptions())
    Article.objects.update(slug="renamed-deal")
    report = write_file(parsed, options=WriteOptions())
    assert report.counts["redirect"]["unchanged"] == 1
    assert client.get("/deal/")["Location"].endswith("/renamed-deal/")


def test_flat_pages_render_at_their_old_address_and_import_once(client):
    page = ParsedFlatPage(url="https://old.example/about/", title="About us", content="<p>We.</p>")
    write_file(a_file(pages=[page]), options=WriteOptions())
    report = write_file(a_file(pages=[page]), options=WriteOptions())
    assert report.counts["page"]["unchanged"] == 1

    html = client.get("/about/").content.decode()
    assert "<h1>About us</h1>" in html and "<p>We.</p>" in html


def test_a_flat_page_that_differs_is_kept_unless_overwritten():
    write_file(
        a_file(pages=[ParsedFlatPage(url="/about/", title="About", content="Old")]),
        options=WriteOptions(),
    )
    changed = a_file(pages=[ParsedFlatPage(url="/about/", title="About", content="New")])
    assert write_file(changed, options=WriteOptions()).counts["page"]["kept"] == 1
    assert write_file(changed, options=WriteOptions(overwrite=True)).counts["page"]["updated"]
    assert FlatPage.objects.get().content == "New"


# Images


def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2021" / "03"
    folder.mkdir(parents=True)
    Image.new("RGB", (640, 480), color=(90, 120, 60)).save(folder / "crossing.jpg")
    return tmp_path / "uploads"


def test_a_figure_without_its_image_keeps_caption_and_credit_and_is_listed(tmp_path):
    figure = ParsedFigure(
        caption="Delegates", credit="Agency", image="https://old.example/wp-content/uploads/x.jpg"
    )
    report = write_file(
        a_file(a_briefing(lead_figure=figure)),
        options=WriteOptions(media_root=uploads(tmp_path)),
    )
    saved = Figure.objects.get()
    assert (saved.caption, saved.credit, saved.missing_image) == ("Delegates", "Agency", True)
    assert "not found under the media root" in report.missing_images[0].detail


def test_a_figure_image_is_copied_from_the_media_root_once(tmp_path):
    figure = ParsedFigure(
        caption="Delegates at the crossing",
        image="https://old.example/wp-content/uploads/2021/03/crossing.jpg",
    )
    options = WriteOptions(media_root=uploads(tmp_path))
    write_file(a_file(a_briefing(lead_figure=figure)), options=options)
    saved = Figure.objects.get()
    assert saved.image.name == "figures/2021/03/crossing.jpg"
    assert saved.alt == "Delegates at the crossing"
    with Image.open(default_storage.open(saved.image.name)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (640, 480))
    assert [r["width"] for r in saved.renditions if r["type"] == "image/webp"] == [480, 640]
    assert all(default_storage.exists(r["name"]) for r in saved.renditions)

    write_file(a_file(a_briefing(lead_figure=figure, title="Renamed")), options=options)
    assert Figure.objects.get().image.name == "figures/2021/03/crossing.jpg"


def test_a_failed_file_and_a_dry_run_leave_no_copied_image(tmp_path):
    figure = ParsedFigure(
        caption="Delegates", image="https://old.example/wp-content/uploads/2021/03/crossing.jpg"
    )
    options = WriteOptions(media_root=uploads(tmp_path))
    broken = a_file(a_briefing(lead_figure=figure), an_article(continue_url="nonsense"))
    with pytest.raises(BackIssueError):
        write_file(broken, options=options)
    write_file(a_file(a_briefing(lead_figure=figure)), options=WriteOptions(dry_run=True))
    assert not default_storage.exists("figures/2021/03/crossing.jpg")


def two_figures() -> list[ParsedFigure]:
    """The featured image, whose file the media root has, then one whose file is lost."""
    return [
        ParsedFigure(
            caption="Delegates at the crossing",
            credit="Agency, 3 March",
            image="https://old.example/wp-content/uploads/2021/03/crossing.jpg",
            alt="Two delegations at a border post",
        ),
        ParsedFigure(
            caption="The dam at dusk",
            credit="Reuters",
            image="https://old.example/wp-content/uploads/2021/03/dam.jpg",
        ),
    ]


def test_an_excerpts_figures_are_kept_in_order_and_one_without_its_file_is_listed(tmp_path):
    options = WriteOptions(media_root=uploads(tmp_path))
    report = write_file(a_file(an_article(figures=two_figures())), options=options)

    featured, lost = Article.objects.get().figures.all()
    assert (featured.position, featured.caption, featured.credit) == (
        0,
        "Delegates at the crossing",
        "Agency, 3 March",
    )
    assert featured.alt == "Two delegations at a border post"
    assert featured.image.name == "figures/2021/03/crossing.jpg"
    assert (lost.position, lost.caption, lost.credit) == (1, "The dam at dusk", "Reuters")
    assert lost.missing_image
    [note] = report.missing_images
    assert (note.kind, note.label) == ("article", "Water, borders and a quiet deal")
    assert note.detail.startswith("figure 2: not found under the media root:")
    assert note.detail.endswith("/2021/03/dam.jpg")
    assert not [message for _, message in report.notes if "figure" in message]


def test_reimporting_an_article_with_figures_changes_nothing(tmp_path):
    options = WriteOptions(media_root=uploads(tmp_path))
    parsed = a_file(an_article(figures=two_figures()))
    write_file(parsed, options=options)
    before, stamped = row_counts(), update_stamps()
    figures = list(ArticleFigure.objects.values_list("pk", "caption", "image"))

    report = write_file(parsed, options=options)
    assert report.counts["article"]["unchanged"] == 1
    assert (row_counts(), update_stamps()) == (before, stamped)
    assert list(ArticleFigure.objects.values_list("pk", "caption", "image")) == figures


def test_a_changed_source_replaces_the_articles_figures(tmp_path):
    options = WriteOptions(media_root=uploads(tmp_path))
    write_file(a_file(an_article(figures=two_figures())), options=options)
    write_file(a_file(an_article(figures=two_figures()[1:])), options=options)
    assert list(Article.objects.get().figures.values_list("position", "caption")) == [
        (0, "The dam at dusk")
    ]


def test_the_article_page_shows_its_figures_caption_and_credit(client, tmp_path):
    write_file(
        a_file(an_article(figures=two_figures())),
        options=WriteOptions(media_root=uploads(tmp_path)),
    )
    with CaptureQueriesContext(connection) as queries:
        html = client.get(Article.objects.get().get_absolute_url()).content.decode()
    # All the figures come in one query, however many there are.
    assert sum("articles_articlefigure" in q["sql"] for q in queries.captured_queries) == 1
    assert 'alt="Two delegations at a border post"' in html
    assert html.index("Delegates at the crossing") < html.index("The dam at dusk")
    assert '<span class="credit">(Agency, 3 March)</span>' in html
    assert '<span class="credit">(Reuters)</span>' in html
    assert html.count("figure figure-missing") == 1 and "figure-placeholder" not in html


def test_imported_at_marks_the_imports_own_write():
    write_file(a_file(an_article()), options=WriteOptions())
    article = Article.objects.get()
    assert article.imported_at == article.updated_at
    assert not article.edited_since_import
    article.save()
    assert article.edited_since_import


@pytest.mark.parametrize("model", [Article, Briefing])
def test_imported_at_is_prepared_after_updated_at(model):
    # ImportTimeField reads the time Django has just given updated_at.
    names = [field.name for field in model._meta.concrete_fields]
    assert names.index("imported_at") > names.index("updated_at")


def test_a_reference_too_long_to_store_is_hashed_and_still_recognised():
    parsed = a_file(an_article(source_ref="https://old.example/?p=1&" + "x" * 400))
    write_file(parsed, options=WriteOptions())
    assert Article.objects.get().source_ref.startswith("long-reference:")
    assert write_file(parsed, options=WriteOptions()).counts["article"]["unchanged"] == 1


def test_two_items_sharing_a_reference_are_both_kept_and_reimport_changes_nothing():
    parsed = a_file(
        an_article(title="First of two", source_ref="guid-568"),
        an_article(title="Second of two", source_ref="guid-568"),
    )
    write_file(parsed, options=WriteOptions())
    report = write_file(parsed, options=WriteOptions())
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "First of two",
        "Second of two",
    ]
    assert report.counts["article"]["unchanged"] == 2


def test_a_tag_too_long_to_store_fails_its_file_naming_the_item():
    with pytest.raises(BackIssueError, match="tag is longer than 100 characters") as raised:
        write_file(a_file(an_article(tags=["x" * 101])), options=WriteOptions())
    assert raised.value.location == "line 30"
    assert Article.objects.count() == 0


# Queries: a fixed number per file, however many items it has


def queries_to_write(parsed, options: WriteOptions) -> int:
    with CaptureQueriesContext(connection) as queries:
        write_file(parsed, options=options)
    return len(queries.captured_queries)


def run_options() -> WriteOptions:
    """Options as the command gives them: publication spellings loaded once for the run."""
    return WriteOptions(publications=PublicationIndex.load())


def a_page_of(count: int, start: int = 0) -> ParsedFile:
    """A briefing and `count` excerpts, each with new people, a new publication and new tags."""
    articles = [
        an_article(
            title=f"Excerpt {n}",
            authors=[f"Author {n}", f"Co-author {n}"],
            publication=f"Gazette {n}",
            tags=[f"Topic {n}"],
            old_url=f"https://old.example/{n}/",
            line=10 + n,
        )
        for n in range(start, start + count)
    ]
    briefing = a_briefing(period_start=dt.date(2021, 3, 1 + start), old_url=f"/b/{start}/")
    return a_file(briefing, *articles, source=f"page-{start}.txt")


def test_a_files_queries_do_not_grow_with_its_items():
    options = run_options()
    write_file(a_page_of(1, start=0), options=options)  # the run loads names once, here
    small = queries_to_write(a_page_of(2, start=1), options)
    large = queries_to_write(a_page_of(9, start=3), options)
    assert small == large
    # Three more refresh the briefing's cited sources, one per kind looks for the same item
    # under another reference; on PostgreSQL one relaxes the commit.
    assert large <= 26 + 3 + 2 + (connection.vendor == "postgresql")


def test_rewriting_an_unchanged_file_costs_a_few_queries():
    parsed = a_page_of(5)
    write_file(parsed, options=run_options())
    # Its briefings, its articles and its redirects are each looked up once, in a savepoint;
    # on PostgreSQL one more relaxes the commit.
    assert queries_to_write(parsed, run_options()) == 5 + (connection.vendor == "postgresql")


def test_new_slugs_are_those_unique_slug_gives_and_unique_within_the_file():
    Article.objects.create(title="Taken", slug="water-borders-and-a-quiet-deal")
    long_title = "A very long title " * 15
    titled = ["Water, borders and a quiet deal", "Water, borders and a quiet deal", long_title, "—"]
    expected = [unique_slug(Article, title) for title in titled[1:]]
    write_file(
        a_file(*(an_article(title=title, line=n) for n, title in enumerate(titled, 1))),
        options=WriteOptions(),
    )
    slugs = list(
        Article.objects.exclude(title="Taken").order_by("pk").values_list("slug", flat=True)
    )
    assert slugs == [
        "water-borders-and-a-quiet-deal-2",
        "water-borders-and-a-quiet-deal-3",
        expected[1],
        expected[2],
    ]
    assert expected[0] == "water-borders-and-a-quiet-deal-2"


def test_a_tag_is_found_whatever_its_case_and_a_new_one_gets_a_free_slug():
    old = Tag.objects.create(name="analysis", slug="analysis")
    Tag.objects.create(name="Other", slug="gulf-politics")
    write_file(a_file(an_article(tags=["Gulf politics", "ANALYSIS"])), options=WriteOptions())
    article = Article.objects.get()
    assert sorted(article.tags.values_list("pk", flat=True))[0] == old.pk
    assert sorted(article.tags.values_list("slug", flat=True)) == ["analysis", "gulf-politics_1"]
    assert Tag.objects.count() == 3


def test_a_run_forgets_the_people_publications_and_tags_of_a_dry_run_and_a_failed_file():
    options = WriteOptions()
    new_names = dict(publication="Gulf Quarterly", tags=["New topic"], authors=["Nadia Brandt"])
    write_file(a_file(an_article(**new_names)), options=dataclasses.replace(options, dry_run=True))
    broken = a_file(an_article(**new_names), an_article(title="Broken", continue_url="nonsense"))
    with pytest.raises(BackIssueError):
        write_file(broken, options=options)

    report = write_file(a_file(an_article(**new_names)), options=options)

    article = Article.objects.get()
    assert article.publication.name == "Gulf Quarterly"
    assert [p.name for p in article.authors.all()] == ["Nadia Brandt"]
    assert "New topic" in article.tags.names()
    assert report.flagged[0].detail == "publication seen for the first time: Gulf Quarterly"
    # Once the file has committed, the run knows them: a later file adds no second row.
    write_file(a_file(an_article(title="Another", **new_names)), options=options)
    assert Person.objects.filter(name="Nadia Brandt").count() == 1
    assert Publication.objects.filter(name="Gulf Quarterly").count() == 1
    assert Tag.objects.filter(name="New topic").count() == 1


def test_a_changed_briefing_replaces_its_bullets_sections_figure_and_tags():
    write_file(a_file(a_briefing(tags=["Old topic"])), options=WriteOptions())
    changed = a_briefing(
        tags=["New topic"],
        lead_figure=None,
        overview=["Only this."],
        sections=[ParsedSection("Developments in the east", ["A port reopened."])],
    )
    report = write_file(a_file(changed), options=WriteOptions())
    briefing = Briefing.objects.get()
    assert report.counts["briefing"]["updated"] == 1
    assert [b.text for b in briefing.bullets.filter(section=None)] == ["Only this."]
    assert [(s.title, [b.text for b in s.bullets.all()]) for s in briefing.sections.all()] == [
        ("Developments in the east", ["A port reopened."])
    ]
    assert not Figure.objects.exists()
    assert list(briefing.tags.names()) == ["New topic"]
    assert briefing.imported_at == briefing.updated_at
    assert Bullet.objects.count() == 2 and Section.objects.count() == 1


def test_an_old_address_given_twice_in_a_file_redirects_to_the_later_item():
    parsed = a_file(
        an_article(title="First", old_url="https://old.example/same/"),
        an_article(title="Second", old_url="https://old.example/same/"),
    )
    report = write_file(parsed, options=WriteOptions())
    assert report.counts["redirect"] == {"created": 1, "updated": 1}
    second = Article.objects.get(title="Second")
    assert OldAddress.objects.get().item == second


def test_a_briefings_period_is_checked_without_a_query():
    # The database constraint, validated by Django, would cost a savepoint and a SELECT 1.
    with CaptureQueriesContext(connection) as captured:
        write_file(a_file(a_briefing()), options=WriteOptions())
    assert Briefing.objects.count() == 1
    assert not any("SELECT 1" in query["sql"] for query in captured.captured_queries)


def test_markdown_rendered_where_the_file_was_parsed_is_what_the_models_would_render():
    parsed = a_file(
        an_article(excerpt="It *still* shapes the region.\n\n- one\n- two"), a_briefing()
    )
    parsed.prerender()
    assert parsed.rendered
    write_file(parsed, options=WriteOptions())
    article, bullet = Article.objects.get(), Bullet.objects.first()
    assert article.excerpt_html == render_markdown(article.excerpt)
    assert bullet.text_html == render_inline_markdown(bullet.text)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_files_transaction_alone_skips_waiting_for_the_wal_flush():
    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with transaction.atomic():
        relax_durability()
        assert setting() == "off"
    assert setting() == "on"


# Slugs and old addresses longer than the site's


LONG_SLUG = "-".join(["word"] * 70)  # 349 characters
# WordPress keeps a non-ASCII slug percent-encoded, up to 200 characters.
ENCODED_SLUG = "%d8%a7%d9%84%d8%b9%d8%b1%d8%a7%d9%82-" * 5 + "%d8%a7%d9%84"


def test_a_slug_longer_than_the_site_allows_is_shortened_at_a_hyphen_and_noted(client):
    parsed = a_file(
        an_article(slug=LONG_SLUG, old_url=f"https://old.example/2021/03/10/{LONG_SLUG}/"),
        an_article(title="Another", slug=LONG_SLUG, line=40),
    )
    report = write_file(parsed, options=WriteOptions())
    first, second = Article.objects.order_by("pk")
    assert len(first.slug) <= 190 and first.slug.endswith("-word")
    assert LONG_SLUG.startswith(first.slug) and second.slug != first.slug
    assert ("line 30", f"slug shortened to {len(first.slug)} characters: {first.slug}") in (
        report.notes
    )
    response = client.get(f"/2021/03/10/{LONG_SLUG}/")
    assert response["Location"] == first.get_absolute_url()


def test_a_long_percent_encoded_slug_imports_and_its_old_address_redirects(client):
    old_url = f"https://old.example/2021/03/10/{ENCODED_SLUG}/"
    write_file(a_file(an_article(slug=ENCODED_SLUG, old_url=old_url)), options=WriteOptions())
    article = Article.objects.get()
    assert article.slug == "water-borders-and-a-quiet-deal"  # from the title: ASCII slugs
    # As a browser asks for it: encoded, in capitals.
    response = client.get(f"/2021/03/10/{ENCODED_SLUG.upper()}/")
    assert response["Location"] == article.get_absolute_url()
