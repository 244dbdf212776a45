"""An excerpt without a link to its original (a page saved as text names no address) says
where the original appeared, instead of a link that leads nowhere; editors find such excerpts
with the admin's filter."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import translation

from articles.models import Article
from tests.support.factories import ArticleFactory, BriefingFactory, PublicationFactory

pytestmark = pytest.mark.django_db

DATE = dt.date(2020, 10, 15)


@pytest.mark.parametrize(
    ("publication", "date", "line"),
    [
        ("ISW", DATE, "First published by ISW, October 15, 2020"),
        ("ISW", None, "First published by ISW"),
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


def test_an_excerpt_without_its_link_shows_its_source_line_and_no_dead_link(client):
    publication = PublicationFactory(name="Levant Policy Review")
    linked = ArticleFactory(publication=publication, original_date=DATE)
    unlinked = ArticleFactory(publication=publication, original_date=DATE, continue_url="")
    line = "First published by Levant Policy Review, October 15, 2020"

    page = client.get(unlinked.get_absolute_url()).content.decode()
    assert line in page
    assert 'class="continue"' not in page and "cite=" not in page

    page = client.get(linked.get_absolute_url()).content.decode()
    assert line not in page and 'class="continue"' in page

    feed = client.get("/feed/").content.decode()
    assert feed.count("First published by") == 1


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
