"""An excerpt page always says where and when its original first appeared, and who wrote it;
with the link to the original when it is known, and without a link that leads nowhere when it
is not (a page saved as text names no address); editors find such excerpts with the admin's
filter."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import translation

from articles.models import Article
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

DATE = dt.date(2020, 10, 15)


@pytest.mark.parametrize(
    ("publication", "date", "line"),
    [
        ("ISW", DATE, "First published in ISW on October 15, 2020"),
        ("ISW", None, "First published in ISW"),
        (None, DATE, "First published on October 15, 2020"),
        (None, None, ""),
    ],
)
def test_the_source_line_says_what_is_known_of_the_original(publication, date, line):
    article = ArticleFactory.build(
        publication=publication and PublicationFactory.build(name=publication), original_date=date
    )
    with translation.override("en"):
        assert article.source_line() == line


def test_the_source_lines_date_is_written_as_the_readers_language_writes_it():
    article = ArticleFactory.build(publication=None, original_date=DATE)
    with translation.override("de"):
        assert "15. Oktober 2020" in article.source_line()


def test_the_source_line_names_the_authors():
    article = ArticleFactory(
        publication=PublicationFactory(name="ISW"),
        original_date=DATE,
        authors=[PersonFactory(name="Nadia Karimi"), PersonFactory(name="Owen Fairbanks")],
    )
    with translation.override("en"):
        assert article.source_line() == (
            "First published in ISW on October 15, 2020, by Nadia Karimi and Owen Fairbanks"
        )


def test_an_excerpt_page_says_where_it_first_appeared_with_or_without_its_link(client):
    publication = PublicationFactory(name="Levant Policy Review")
    author = PersonFactory(name="Samir Haddad")
    linked = ArticleFactory(publication=publication, original_date=DATE, authors=[author])
    unlinked = ArticleFactory(
        publication=publication, original_date=DATE, authors=[author], continue_url=""
    )
    line = "First published in Levant Policy Review on October 15, 2020, by Samir Haddad"

    page = client.get(unlinked.get_absolute_url()).content.decode()
    assert f'<p class="source-line">{line}</p>' in page
    assert 'class="continue"' not in page and "cite=" not in page

    page = client.get(linked.get_absolute_url()).content.decode()
    assert f'<p class="source-line">{line}</p>' in page
    assert page.index(line) < page.index('class="continue"')
    assert f'href="{linked.continue_url}"' in page

    feed = client.get("/feed/").content.decode()
    assert feed.count("First published in") == 1


def test_the_source_line_is_escaped(client):
    article = ArticleFactory(publication=PublicationFactory(name="<b>Review</b>"))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "First published in &lt;b&gt;Review&lt;/b&gt;" in page


def test_the_admin_lists_excerpts_missing_their_link(admin_client):
    ArticleFactory(title="Has its link")
    ArticleFactory(title="Imported from a text page", continue_url="")
    url = f"/{settings.ADMIN_URL}articles/article/"
    missing = admin_client.get(url + "?link=missing").content.decode()
    present = admin_client.get(url + "?link=present").content.decode()
    assert "Imported from a text page" in missing and "Has its link" not in missing
    assert "Has its link" in present and "Imported from a text page" not in present


@pytest.mark.parametrize("kind", ["articles/article", "briefings/briefing"])
def test_the_admin_shows_an_items_review_reasons(admin_client, kind):
    factory = ArticleFactory if kind.startswith("articles") else BriefingFactory
    item = factory(needs_review=True, review_reasons="no publication named\nno original date")
    page = admin_client.get(f"/{settings.ADMIN_URL}{kind}/{item.pk}/change/").content.decode()
    assert 'name="review_reasons"' in page
    assert "no publication named\nno original date" in page
    assert Article.objects.filter(review_reasons__contains="no original date").exists() == (
        kind.startswith("articles")
    )
