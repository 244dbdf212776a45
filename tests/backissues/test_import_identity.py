"""What makes two imports one item: the identity rules, tested over the classes of variation a
title, a publication, a date and an address show between formats."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from backissues.parsing.errors import BackIssueError
from backissues.writing import WriteOptions, write_file
from briefings.models import Briefing
from publishing.identity import article_identity, title_words
from publishing.models import Status
from tests.support.imported_rows import row_counts, update_stamps
from tests.support.parsed_items import a_briefing, a_file, an_article

pytestmark = pytest.mark.django_db
TITLE = "Water, borders and a quiet deal"


def from_html(**changes):
    """The article as another format gives it: a permalink, a link to the original."""
    fields = dict(
        source_ref="https://old.example/2021/03/deal/",
        old_url="https://old.example/2021/03/deal/",
        continue_url="https://www.al-monitor.com/example",
    )
    return an_article(**{**fields, **changes})


def import_twice(first, second, **options):
    write_file(a_file(first, source="one.txt"), options=WriteOptions())
    return write_file(a_file(second, source="two.html"), options=WriteOptions(**options))


# The title as words: what varies between a text page and the HTML of one post

SPACES = st.sampled_from([" ", "  ", "\u00a0", "\t"])
PUNCTUATION = st.sampled_from(["", ",", ":", " –", "!", "…", "’"])


@st.composite
def spellings_of(draw, title: str) -> str:
    words = title.replace(",", "").split()
    cased = [draw(st.sampled_from([w, w.upper(), w.lower(), w.capitalize()])) for w in words]
    return "".join(w + draw(PUNCTUATION) + draw(SPACES) for w in cased).strip()


@given(spellings_of(TITLE))
def test_a_title_is_the_same_whatever_its_case_punctuation_and_spacing(spelling):
    assert article_identity(spelling) == article_identity(TITLE)


@given(st.text(min_size=1).filter(lambda t: title_words(t) != title_words(TITLE)))
def test_other_words_are_another_title(title):
    assert article_identity(title) != article_identity(TITLE)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spellings_of(TITLE))
def test_a_later_format_with_the_title_spelt_otherwise_fills_the_same_row(spelling):
    Article.objects.all().delete()
    report = import_twice(an_article(continue_url=None), from_html(title=spelling))
    assert report.counts["article"]["filled"] == 1
    article = Article.objects.get()
    assert (article.title, article.continue_url) == (TITLE, "https://www.al-monitor.com/example")


# What tells two items with one title apart: any trait both know and that differs

DIFFERENT = {
    "publication": dict(publication="INSS"),
    "date": dict(date=dt.date(2021, 3, 11)),
    "permalink": dict(old_url="https://old.example/2022/01/another/"),
}


@pytest.mark.parametrize("trait", DIFFERENT)
def test_one_title_with_a_trait_that_differs_is_two_items(trait):
    first = (
        an_article(old_url="https://old.example/2021/03/deal/")
        if trait == "permalink"
        else an_article()
    )
    report = import_twice(first, from_html(**DIFFERENT[trait]))
    assert report.counts["article"]["created"] == 1
    assert Article.objects.count() == 2


@pytest.mark.parametrize("unknown", ["publication", "date"])
def test_a_trait_one_side_does_not_know_does_not_tell_items_apart(unknown):
    report = import_twice(an_article(continue_url=None), from_html(**{unknown: None}))
    assert report.counts["article"]["filled"] == 1
    assert Article.objects.get().continue_url == "https://www.al-monitor.com/example"


def test_an_item_like_several_rows_is_flagged_not_guessed():
    write_file(
        a_file(an_article(publication="INSS"), an_article(publication="Al-Monitor")),
        options=WriteOptions(),
    )
    report = write_file(
        a_file(from_html(publication=None), source="two.html"), options=WriteOptions()
    )
    assert Article.objects.count() == 3
    new = Article.objects.get(source_ref__startswith="https://")
    assert new.status == Status.DRAFT
    assert "may be the same item as 2 others" in new.review_reasons
    assert report.counts["article"]["created"] == 1


def test_filling_adds_only_what_the_row_lacks():
    first = an_article(continue_url=None, authors=[], kicker=None, tags=["Water"])
    later = from_html(
        authors=["Rita Okafor"], kicker="Focus", excerpt="Another text.", tags=["Dams"]
    )
    report = import_twice(first, later)
    article = Article.objects.get()
    assert report.counts["article"]["filled"] == 1
    assert article.excerpt.startswith("The agreement was never announced")
    assert (article.kicker, article.continue_url) == ("Focus", "https://www.al-monitor.com/example")
    assert [p.name for p in article.authors.all()] == ["Rita Okafor"]
    assert sorted(article.tags.names()) == ["Dams", "Water"]


def test_briefings_are_one_by_their_period_and_apart_by_their_series():
    write_file(a_file(a_briefing(editor=None)), options=WriteOptions(series=""))
    same = write_file(
        a_file(a_briefing(series="Spotlight"), source="two.html"), options=WriteOptions()
    )
    other = write_file(
        a_file(a_briefing(series="Another series"), source="three.html"), options=WriteOptions()
    )
    assert same.counts["briefing"]["filled"] == 1
    assert other.counts["briefing"]["created"] == 1
    assert sorted(Briefing.objects.values_list("series", flat=True)) == [
        "Another series",
        "Spotlight",
    ]
    assert Briefing.objects.get(series="Spotlight").editor.name == "Mara Lindqvist"


def test_a_dry_run_of_a_later_format_writes_nothing():
    write_file(a_file(an_article(continue_url=None)), options=WriteOptions())
    report = write_file(a_file(from_html(), source="two.html"), options=WriteOptions(dry_run=True))
    assert report.counts["article"]["filled"] == 1
    assert Article.objects.get().continue_url == ""


def test_two_items_of_one_file_never_fill_each_other():
    """A file's items are its own: two posts of one export with one title stay two."""
    posts = [
        dataclasses.replace(from_html(), source_ref=f"https://old.example/?p={n}", old_url=None)
        for n in (1, 2)
    ]
    write_file(a_file(*posts, source="export.xml"), options=WriteOptions())
    assert Article.objects.count() == 2


def test_a_later_file_that_fails_fills_nothing():
    write_file(a_file(an_article(continue_url=None)), options=WriteOptions())
    before, stamped = row_counts(), update_stamps()
    broken = a_file(from_html(), an_article(title="Broken", continue_url="not a link", line=9))
    with pytest.raises(BackIssueError, match="line 9"):
        write_file(broken, options=WriteOptions())
    assert (row_counts(), update_stamps()) == (before, stamped)
    assert Article.objects.get().continue_url == ""
