"""Feeds carry exactly the published items, keep their ids across edits and are cheap to poll."""

import datetime as dt
import io
import re

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from PIL import Image

from articles.models import Article, ArticleFigure
from briefings.models import Briefing
from people.models import Person, Publication
from publishing.models import Status
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC = {"PUBLIC-BRIEFING", "PUBLIC-ARTICLE"}

# Each feed, and the titles of the public items it should carry.
FEEDS = {
    "/feed/": PUBLIC,
    "/feed/atom/": PUBLIC,
    "/briefings/feed/": {"PUBLIC-BRIEFING"},
    "/briefings/feed/atom/": {"PUBLIC-BRIEFING"},
    "/articles/feed/": {"PUBLIC-ARTICLE"},
    "/articles/feed/atom/": {"PUBLIC-ARTICLE"},
    "/tags/region/feed/": PUBLIC,
    "/tags/region/feed/atom/": PUBLIC,
    "/publications/shared-review/feed/": {"PUBLIC-ARTICLE"},
    "/publications/shared-review/feed/atom/": {"PUBLIC-ARTICLE"},
    "/people/shared-person/feed/": PUBLIC,
    "/people/shared-person/feed/atom/": PUBLIC,
}

# The site-wide budget of a page: both kinds with their prefetches, one query for the tags of
# both, and the scope (tag, person).
MAX_QUERIES = 8


def png_upload(name: str) -> SimpleUploadedFile:
    # A real image: saving a figure re-encodes its upload.
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color=(40, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(yesterday, tomorrow):
    """A public item of each kind with everything an entry shows, and hidden ones beside them."""
    person = PersonFactory(name="Shared Person", slug="shared-person")
    publication = PublicationFactory(name="Shared Review", slug="shared-review")
    shared = {"tags": ["region"], "published_at": yesterday}
    briefing = BriefingFactory(title="PUBLIC-BRIEFING", editor=person, **shared)
    BulletFactory(briefing=briefing, text="An overview bullet.")
    section = SectionFactory(briefing=briefing, title="Border crossings")
    BulletFactory(briefing=briefing, section=section, text="A section bullet.")
    FigureFactory(briefing=briefing, image=png_upload("lead.png"), alt="A meeting")
    article = ArticleFactory(
        title="PUBLIC-ARTICLE", publication=publication, authors=[person], **shared
    )
    ArticleFigure.objects.create(article=article, image=png_upload("chart.png"), alt="A chart")
    BriefingFactory(title="DRAFT-BRIEFING", status=Status.DRAFT, editor=person, **shared)
    ArticleFactory(
        title="SCHEDULED-ARTICLE",
        publication=publication,
        authors=[person],
        tags=["region", "future-only"],
        published_at=tomorrow,
    )
    return {"briefing": briefing, "article": article, "person": person}


def parsed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def entries_by_title(client, url: str) -> dict:
    return {entry.title: entry for entry in parsed(client, url).entries}


@pytest.mark.parametrize("url", FEEDS)
def test_feed_parses_and_carries_exactly_the_published_items(client, world, url):
    assert set(entries_by_title(client, url)) == FEEDS[url]


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_briefing_entry_carries_full_content_editor_tags_and_lead_image(client, world, url):
    entry = entries_by_title(client, url)["PUBLIC-BRIEFING"]
    content = entry.content[0].value if "content" in entry else entry.description
    assert "An overview bullet." in content
    assert "Border crossings" in content and "A section bullet." in content
    assert entry.author == "Shared Person"
    assert [tag.term for tag in entry.tags] == ["region"]
    (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosure.href.startswith("http") and enclosure.href.endswith(".png")
    assert enclosure.type == "image/png"
    assert int(enclosure.length) > 0


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_article_entry_carries_excerpt_continue_link_and_authors(client, world, url):
    entry = entries_by_title(client, url)["PUBLIC-ARTICLE"]
    content = entry.content[0].value if "content" in entry else entry.description
    assert "First paragraph of the excerpt." in content
    assert world["article"].continue_url in content
    assert entry.author == "Shared Person"
    assert entry.link.endswith(world["article"].get_absolute_url())


def test_entries_are_newest_first_with_published_and_updated_dates(client, world):
    Article.objects.filter(pk=world["article"].pk).update(
        published_at=timezone.now() - dt.timedelta(hours=1)
    )
    entries = parsed(client, "/feed/atom/").entries
    assert [entry.title for entry in entries] == ["PUBLIC-ARTICLE", "PUBLIC-BRIEFING"]
    for entry in entries:
        assert entry.published_parsed and entry.updated_parsed
        assert entry.updated_parsed >= entry.published_parsed


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_ids_are_tag_uris_that_survive_an_edit(client, world, url):
    before = {entry.title: (entry.id, entry.link) for entry in parsed(client, url).entries}
    briefing = Briefing.objects.get(pk=world["briefing"].pk)
    briefing.slug = "renamed"
    briefing.published_at -= dt.timedelta(days=3)
    briefing.save()
    after = {entry.title: (entry.id, entry.link) for entry in parsed(client, url).entries}
    assert after["PUBLIC-BRIEFING"][0] == before["PUBLIC-BRIEFING"][0]
    assert after["PUBLIC-BRIEFING"][1] != before["PUBLIC-BRIEFING"][1]
    assert all(guid.startswith("tag:") for guid, _link in after.values())


def test_rss_guid_is_not_a_permalink(client, world):
    assert 'isPermaLink="false"' in client.get("/feed/").content.decode()


def test_json_feed_has_the_required_keys_and_the_published_items(client, world):
    response = client.get("/feed.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["home_page_url"].startswith("http")
    assert feed["feed_url"].endswith("/feed.json")
    assert {item["title"] for item in feed["items"]} == PUBLIC
    rss_ids = {entry.id for entry in parsed(client, "/feed/").entries}
    assert {item["id"] for item in feed["items"]} == rss_ids
    for item in feed["items"]:
        assert item["content_html"] and item["url"].startswith("http")
        assert dt.datetime.fromisoformat(item["date_published"]).tzinfo is not None
        (author,) = item["authors"]
        assert author["name"] == "Shared Person"
        assert author["url"].endswith("/people/shared-person/")


@pytest.mark.parametrize("url", [*FEEDS, "/feed.json"])
def test_unchanged_feed_answers_304_and_a_change_answers_200(client, world, url):
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    # An edit to a public item, even an older one, changes every feed that carries it.
    Article.objects.filter(pk=world["article"].pk).update(
        updated_at=timezone.now() + dt.timedelta(minutes=1)
    )
    Briefing.objects.filter(pk=world["briefing"].pk).update(
        updated_at=timezone.now() + dt.timedelta(minutes=1)
    )
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 200


def test_last_modified_is_the_latest_change_of_a_published_item(client, world):
    latest = max(
        max(item.updated_at, item.published_at) for item in (world["briefing"], world["article"])
    )
    assert client.get("/feed/")["Last-Modified"] == http_date(latest.timestamp())


def test_a_scope_with_nothing_published_is_not_revealed(client, world):
    assert client.get("/tags/future-only/feed/").status_code == 404
    assert client.get("/tags/no-such-tag/feed/").status_code == 404
    assert client.get("/people/nobody/feed/atom/").status_code == 404


def make_items(count: int) -> None:
    """Items of both kinds sharing the tag, person and publication of `world`."""
    person = Person.objects.get(slug="shared-person")
    publication = Publication.objects.get(slug="shared-review")
    for i in range(count):
        briefing = BriefingFactory(editor=person, tags=["region", f"only-{i}"])
        SectionFactory(briefing=briefing)
        BulletFactory(briefing=briefing)
        FigureFactory(briefing=briefing, image=png_upload(f"lead-{i}.png"))
        article = ArticleFactory(
            publication=publication, authors=[person, PersonFactory()], tags=["region"]
        )
        ArticleFigure.objects.create(article=article, image=png_upload(f"figure-{i}.png"))


def queries_per_feed(client) -> dict[str, int]:
    counts = {}
    for url in [*FEEDS, "/feed.json"]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_count_is_small_and_does_not_grow_with_the_number_of_items(client, world):
    make_items(2)
    client.get("/feed/")  # The first feed of the process also looks up the current Site.
    with_few = queries_per_feed(client)
    make_items(20)
    with_many = queries_per_feed(client)
    assert with_few == with_many
    assert max(with_many.values()) <= MAX_QUERIES


ALTERNATE = re.compile(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"')


def test_each_page_advertises_its_own_feed(client, world):
    pages = {
        "/": "/feed/",
        "/briefings/": "/briefings/feed/",
        "/articles/": "/articles/feed/",
        world["briefing"].get_absolute_url(): "/feed/",
        "/tags/region/": "/tags/region/feed/",
        "/publications/shared-review/": "/publications/shared-review/feed/",
        "/people/shared-person/": "/people/shared-person/feed/",
    }
    for page, feed in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert ALTERNATE.findall(response.content.decode()) == [feed], page
        assert client.get(feed).status_code == 200, feed
