"""Small files written several to a transaction: the same rows and reports as one by one."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import ParsedFigure
from backissues.writing import FileReport, WriteOptions
from backissues.writing.batching import write_all
from briefings.models import Briefing
from tests.support.imported_rows import row_counts
from tests.support.parsed_items import a_briefing, a_file, an_article

pytestmark = pytest.mark.django_db


def a_page(number: int, **article_changes):
    """A text page's parse: a briefing of its own fortnight and an article."""
    end = dt.date(2021, 1, 3) + dt.timedelta(days=14 * number)
    briefing = a_briefing(period_start=end - dt.timedelta(days=13), period_end=end)
    article = an_article(**{"title": f"Excerpt {number}", **article_changes})
    return a_file(briefing, article, source=f"page-{number}.txt")


def written(files, options=None) -> list[tuple[str, FileReport | Exception]]:
    results = ((Path(parsed.source), parsed) for parsed in files)
    return [
        (str(path), outcome) for path, _, outcome in write_all(results, options or WriteOptions())
    ]


def queries_to_write(files) -> int:
    with CaptureQueriesContext(connection) as captured:
        written(files)
    return len(captured.captured_queries)


def test_many_small_files_cost_the_queries_of_one():
    written([a_page(0)])  # people, publications and tags exist from here on
    assert queries_to_write([a_page(1), a_page(2)]) == queries_to_write(
        [a_page(number) for number in range(3, 13)]
    )
    assert Briefing.objects.count() == 13 and Article.objects.count() == 13


def test_a_failing_file_in_a_batch_writes_nothing_and_the_others_import():
    broken = a_page(2, title="x" * 301)
    results = written([a_page(1), broken, a_page(3)])

    assert [source for source, _ in results] == ["page-1.txt", "page-2.txt", "page-3.txt"]
    error = results[1][1]
    assert isinstance(error, BackIssueError)
    assert (error.source, error.location) == ("page-2.txt", "line 30")
    assert all(isinstance(report, FileReport) for _, report in (results[0], results[2]))
    assert Briefing.objects.count() == 2
    assert set(Article.objects.values_list("title", flat=True)) == {"Excerpt 1", "Excerpt 3"}


def test_an_item_in_two_files_of_a_batch_is_created_then_updated_as_one_by_one():
    first = a_page(1)
    again = a_page(2)
    again.articles[0].title = first.articles[0].title
    again.articles[0].excerpt = "A later version of the same excerpt."

    results = written([first, again])

    assert [report.counts["article"]["created"] for _, report in results] == [1, 0]
    assert results[1][1].counts["article"]["updated"] == 1
    assert Article.objects.get().excerpt == "A later version of the same excerpt."
    assert row_counts()["Briefing"] == 2


def test_rows_written_in_a_batch_are_marked_as_the_imports_own_write():
    written([a_page(1), a_page(2)])
    for row in [*Briefing.objects.all(), *Article.objects.all()]:
        assert row.imported_at == row.updated_at
        assert not row.edited_since_import
    again = written([a_page(1), a_page(2)])
    assert all(report.counts["article"]["unchanged"] == 1 for _, report in again)


def stale_search_entries() -> list[tuple[int]]:
    """Per kind, items whose search entry is missing or differs from one written afresh."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE written_entries AS SELECT kind, item_id, vector"
            " FROM search_searchentry"
        )
        cursor.execute(
            "SELECT newsroom_write_briefing_entries(array_agg(id)) FROM briefings_briefing"
        )
        cursor.execute("SELECT newsroom_write_article_entries(array_agg(id)) FROM articles_article")
        cursor.execute(
            "SELECT kinds.kind, count(w.item_id) FILTER (WHERE w.vector IS DISTINCT FROM e.vector)"
            " + count(*) FILTER (WHERE w.item_id IS NULL)"
            " FROM (VALUES ('briefing'), ('article')) AS kinds (kind)"
            " LEFT JOIN search_searchentry e ON e.kind = kinds.kind"
            " LEFT JOIN written_entries w ON w.kind = e.kind AND w.item_id = e.item_id"
            " GROUP BY kinds.kind ORDER BY kinds.kind DESC"
        )
        rows = [(count,) for _kind, count in cursor.fetchall()]
        cursor.execute("DROP TABLE written_entries")
        return rows


def briefings_found(words: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_searchentry"
            " WHERE kind = 'briefing' AND vector @@ plainto_tsquery('english', %s)",
            [words],
        )
        return cursor.fetchone()[0]


@pytest.mark.postgresql
def test_the_search_entries_of_a_batch_hold_all_their_parts():
    # Entries follow every part of a batch's items, whatever order the rows went in.
    pictured = an_article(figures=[ParsedFigure(caption="Ferry at the crossing")])
    written([a_page(1), a_file(pictured, source="pictured.txt")])
    assert stale_search_entries() == [(0,), (0,)]
    assert briefings_found("convoy crossed") == 1

    changed = a_page(1)
    changed.briefings[0].sections[0].bullets = ["A ferry resumed service."]
    results = written([changed])
    assert results[0][1].counts["briefing"]["updated"] == 1
    assert stale_search_entries() == [(0,), (0,)]
    assert (briefings_found("convoy crossed"), briefings_found("ferry resumed")) == (0, 1)


# The weighting search promises, written out as the items' own vector functions once computed
# it: title A, standfirst B, excerpt and editor's note C, figure captions D; and title A, series
# and section titles B, bullets C, the lead figure's caption D.
ARTICLE_VECTOR = """setweight(to_tsvector(cfg, coalesce(a.title, '')), 'A')
    || setweight(to_tsvector(cfg, coalesce(a.standfirst, '')), 'B')
    || setweight(to_tsvector(cfg, concat_ws(' ', a.excerpt, a.editor_note)), 'C')
    || setweight(to_tsvector(cfg, coalesce((
        SELECT string_agg(f.caption, ' ') FROM articles_articlefigure f
        WHERE f.article_id = a.id), '')), 'D')"""
BRIEFING_VECTOR = """setweight(to_tsvector(cfg, coalesce(b.title, '')), 'A')
    || setweight(to_tsvector(cfg, concat_ws(' ', b.series, (
        SELECT string_agg(s.title, ' ') FROM briefings_section s
        WHERE s.briefing_id = b.id))), 'B')
    || setweight(to_tsvector(cfg, coalesce((
        SELECT string_agg(t.text, ' ') FROM briefings_bullet t
        WHERE t.briefing_id = b.id), '')), 'C')
    || setweight(to_tsvector(cfg, coalesce((
        SELECT f.caption FROM briefings_figure f WHERE f.briefing_id = b.id), '')), 'D')"""


def entries_unlike_vector_functions() -> int:
    """Entries whose vector differs from the one the weighting above computes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM search_searchentry e JOIN articles_article a"
            "  ON e.kind = 'article' AND e.item_id = a.id"
            "  CROSS JOIN LATERAL newsroom_search_config(a.language) AS cfg"
            f"  WHERE e.vector IS DISTINCT FROM {ARTICLE_VECTOR})"
            " + (SELECT count(*) FROM search_searchentry e JOIN briefings_briefing b"
            "  ON e.kind = 'briefing' AND e.item_id = b.id"
            "  CROSS JOIN LATERAL newsroom_search_config(b.language) AS cfg"
            f"  WHERE e.vector IS DISTINCT FROM {BRIEFING_VECTOR})"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgresql
def test_the_entries_vectors_are_those_the_kinds_vector_functions_compute():
    pictured = an_article(
        figures=[ParsedFigure(caption="Ferry at the crossing"), ParsedFigure(caption="Quay")]
    )
    written([a_page(1), a_page(2), a_file(pictured, source="pictured.txt")])
    assert Article.objects.count() == 3
    assert entries_unlike_vector_functions() == 0
