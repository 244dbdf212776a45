"""A change leaves behind only the stored pages that show what changed (their dependency keys,
publishing/page_keys.py), in every language; a page left behind is answered as it was for a
short grace while one worker builds it again; HTTP caches are told each page's keys."""

import datetime as dt
import time

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from newsroom.http.page_cache import PageCacheMiddleware, page_key, rebuild_key
from publishing.content_version import DatabaseVersionMemo, content_changed, database_version
from publishing.models import ContentVersion, Status
from publishing.page_keys import record
from tests.support.factories import ArticleFactory, PersonFactory
from tests.support.server_urls import REDIS_URL

pytestmark = pytest.mark.django_db

# A moment well in the past, so items of both months are published.
OCTOBER = dt.datetime(2020, 10, 4, 12, tzinfo=dt.UTC)
MARCH = dt.datetime(2021, 3, 9, 12, tzinfo=dt.UTC)


def queries(client, url: str) -> int:
    """How many SQL queries answering `url` took (none: answered from the stored page)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def text(client, url: str) -> str:
    return client.get(url).content.decode()


@pytest.fixture
def site():
    """An article, a neighbour sharing its tag (whose page lists it as related), and an
    unrelated article: another tag, month, publication and author."""
    edited = ArticleFactory(title="EDITED-OLD", tags=["Borders"], published_at=OCTOBER)
    neighbour = ArticleFactory(title="NEIGHBOUR", tags=["Borders"], published_at=OCTOBER)
    other = ArticleFactory(
        title="OTHER", tags=["Water"], published_at=MARCH, authors=[PersonFactory()]
    )
    return edited, neighbour, other


def both_languages(*paths: str) -> list[str]:
    return [*paths, *(f"/de{path}" for path in paths)]


def dependent_pages(edited, neighbour) -> list[str]:
    return both_languages(
        "/",
        "/articles/",
        "/tags/borders/",
        "/archive/2020/",
        "/archive/2020/10/",
        "/archive/2020/10/04/",
        edited.get_absolute_url(),
        neighbour.get_absolute_url(),
    ) + ["/feed/", "/feed/atom/", "/tags/borders/feed/", "/articles/feed/"]


def unrelated_pages(other) -> list[str]:
    return both_languages(
        other.get_absolute_url(),
        "/tags/water/",
        "/archive/2021/03/",
        other.publication.get_absolute_url(),
        other.authors.get().get_absolute_url(),
        "/tags/",
    )


def test_editing_an_item_rebuilds_the_pages_showing_it_and_keeps_the_others(
    client, page_cache, site
):
    edited, neighbour, other = site
    pages = dependent_pages(edited, neighbour) + unrelated_pages(other) + ["/sitemap-articles.xml"]
    for url in pages:
        client.get(url)
    assert all(queries(client, url) == 0 for url in pages)

    edited.title = "EDITED-NEW"
    edited.save()

    for url in dependent_pages(edited, neighbour):
        page = text(client, url)
        assert "EDITED-NEW" in page, url
        assert "EDITED-OLD" not in page, url
    assert queries(client, "/sitemap-articles.xml") > 0
    for url in unrelated_pages(other):
        assert queries(client, url) == 0, url


def test_renaming_a_tag_rebuilds_the_pages_showing_it(client, page_cache, site):
    edited, neighbour, other = site
    showing = both_languages(edited.get_absolute_url(), "/tags/", "/archive/2020/10/")
    unrelated = other.get_absolute_url()
    for url in [*showing, unrelated]:
        client.get(url)

    tag = Tag.objects.get(name="Borders")
    tag.name, tag.slug = "Frontiers", "frontiers"
    tag.save()

    for url in showing:
        assert "Frontiers" in text(client, url), url
    assert client.get("/tags/borders/").status_code == 301
    assert queries(client, unrelated) == 0


def test_an_unpublished_item_disappears_from_every_page_and_language(client, page_cache, site):
    edited, neighbour, _other = site
    lists = dependent_pages(edited, neighbour)
    for url in lists:
        client.get(url)

    Article.objects.get(pk=neighbour.pk).delete()
    edited.status = Status.DRAFT
    edited.save()

    for url in both_languages(edited.get_absolute_url(), "/tags/borders/", "/archive/2020/10/"):
        assert client.get(url).status_code == 404, url
    for url in both_languages("/", "/articles/") + ["/feed/", "/articles/feed/"]:
        assert "EDITED-OLD" not in text(client, url), url


def test_moving_an_item_to_another_period_rebuilds_both_periods_and_their_links(
    client, page_cache, site
):
    edited, neighbour, _other = site
    neighbour.delete()
    for url in ["/archive/2020/10/", "/archive/2021/03/"]:
        client.get(url)

    edited.published_at = MARCH - dt.timedelta(days=1)
    edited.save()

    assert client.get("/archive/2020/10/").status_code == 404
    march = text(client, "/archive/2021/03/")
    assert "EDITED-OLD" in march
    # Its link to the previous period with items is gone with October's only item.
    assert "/archive/2020/10/" not in march


def test_search_results_show_a_newly_published_match(client, page_cache, site):
    page = text(client, "/search/?q=neighbour")
    assert "NEIGHBOUR" in page
    assert "CORRIDOR" not in page
    ArticleFactory(title="CORRIDOR neighbour")
    assert "CORRIDOR" in text(client, "/search/?q=neighbour")


def test_shared_pages_carry_their_keys_for_http_caches(client, page_cache, site):
    edited, _neighbour, _other = site
    response = client.get(edited.get_absolute_url())
    keys = set(response["xkey"].split())
    tag = Tag.objects.get(name="Borders")
    assert {f"article-{edited.pk}", f"tag-{tag.pk}", "site"} <= keys
    assert f"publication-{edited.publication_id}" in keys
    assert response["Surrogate-Key"] == response["xkey"]
    # Answered from the stored page, with the same keys.
    assert client.get(edited.get_absolute_url())["xkey"] == response["xkey"]
    assert {"stream", "site"} <= set(client.get("/de/")["xkey"].split())


def test_a_change_disables_nothing_of_the_next_change(client, page_cache, site):
    """Each save is seen, however many follow one another."""
    edited, _neighbour, _other = site
    for number in range(3):
        edited.title = f"TITLE-{number}"
        edited.save()
        assert f"TITLE-{number}" in text(client, "/")
        assert f"TITLE-{number}" in text(client, edited.get_absolute_url())


UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


# Stale while revalidate, on the middleware itself, with a clock of the test's


class Builds:
    """A view whose pages say how many times it was asked, showing one key; `during` runs
    while a page is built, as another worker's request arriving meanwhile."""

    def __init__(self):
        self.count = 0
        self.during = None

    def __call__(self, request):
        self.count += 1
        record(request, {"article-1"})
        if self.during:
            during, self.during = self.during, None
            during()
        return HttpResponse(f"build {self.count}")


@pytest.fixture
def middleware(page_cache):
    views = Builds()
    return PageCacheMiddleware(views), views


def get(middleware, path: str = "/page/"):
    request = RequestFactory().get(path, HTTP_HOST="testserver")
    return middleware(request)


def test_a_stale_page_is_answered_during_the_grace_while_one_worker_rebuilds_it(middleware):
    cached, views = middleware
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert get(cached).content == b"build 1"
        clock.shift(60)
        content_changed({"article-1"})
        clock.shift(settings.PAGE_CACHE_GRACE - 1)
        answered_meanwhile = []
        views.during = lambda: answered_meanwhile.append(get(cached))
        assert get(cached).content == b"build 2"
        # The request arriving while the page was built got the page as it was, unbuilt.
        assert [r.content for r in answered_meanwhile] == [b"build 1"]
        assert "max-age=0" in answered_meanwhile[0]["Cache-Control"]
        assert views.count == 2
        assert get(cached).content == b"build 2"
        assert views.count == 2


def test_a_stale_page_is_never_answered_past_the_grace(middleware):
    cached, views = middleware
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        get(cached)
        content_changed({"article-1"})
        # Another worker claimed the rebuild and never finished it.
        cache.add(rebuild_key(page_key(RequestFactory().get("/page/"))), 1, 3600)
        clock.shift(settings.PAGE_CACHE_GRACE - 0.5)
        assert get(cached).content == b"build 1"
        clock.shift(1)
        assert get(cached).content == b"build 2"


def test_a_page_changed_twice_is_stale_since_the_first_change(middleware):
    cached, views = middleware
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        get(cached)
        cache.add(rebuild_key(page_key(RequestFactory().get("/page/"))), 1, 3600)
        content_changed({"article-1"})
        clock.shift(settings.PAGE_CACHE_GRACE - 1)
        content_changed({"article-1"})
        clock.shift(1.5)
        # Within the grace of the second change, past the first's.
        assert get(cached).content == b"build 2"


def test_a_page_built_while_its_key_changed_is_not_kept(middleware):
    cached, views = middleware
    views.during = lambda: content_changed({"article-1"})
    assert get(cached).content == b"build 1"
    assert get(cached).content == b"build 2"
    assert get(cached).content == b"build 2"


def test_a_page_left_alone_by_changes_is_answered_as_stored(middleware):
    cached, views = middleware
    get(cached)
    content_changed({"article-2", "tag-1"})
    assert get(cached).content == b"build 1"
    content_changed()
    assert get(cached).content == b"build 2"


def test_an_unpublished_item_leaves_no_page_past_the_grace(client, page_cache, site):
    edited, _neighbour, _other = site
    url = edited.get_absolute_url()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.get(url)
        edited.status = Status.DRAFT
        edited.save()
        cache.add(rebuild_key(page_key(RequestFactory().get(url))), 1, 60)
        clock.shift(settings.PAGE_CACHE_GRACE - 1)
        assert client.get(url).status_code == 200
        clock.shift(1.1)
        assert client.get(url).status_code == 404


# A change made through a server that cannot write to the cache


def shared_redis(prefix: str, location: str = REDIS_URL) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.mark.redis
def test_a_change_through_a_server_that_cannot_write_the_cache_reaches_the_others(
    settings, redis_prefix, django_capture_on_commit_callbacks
):
    """One Redis for the servers that reach it; the change is made through one that cannot,
    and the others see it at their next read of the database's version."""
    reachable = shared_redis(redis_prefix)
    settings.CACHES = reachable
    settings.PAGE_CACHE_TIMEOUT = 300
    settings.CONTENT_VERSION_CHECK_INTERVAL = 1
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="BEFORE")
    reader = Client()
    assert "BEFORE" in reader.get("/").content.decode()

    settings.CACHES = shared_redis(redis_prefix, UNREACHABLE_REDIS)
    previous = database_version()
    article.title = "AFTER"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()

    settings.CACHES = reachable
    # Another server's process, which read the database's version just before the change:
    # until its next read, it answers the page stored before.
    DatabaseVersionMemo.token = previous
    DatabaseVersionMemo.read_at = time.monotonic()
    assert "BEFORE" in reader.get("/").content.decode()
    DatabaseVersionMemo.read_at -= settings.CONTENT_VERSION_CHECK_INTERVAL
    assert "AFTER" in reader.get("/").content.decode()


@pytest.mark.redis
def test_the_database_version_is_replaced_only_when_the_shared_cache_could_not_be_written(
    settings, redis_prefix, django_capture_on_commit_callbacks
):
    settings.CACHES = shared_redis(redis_prefix)
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert not ContentVersion.objects.exists()

    settings.CACHES = shared_redis(redis_prefix, UNREACHABLE_REDIS)
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert ContentVersion.objects.get().token == DatabaseVersionMemo.token


def test_a_cache_of_each_processs_own_tells_the_others_through_the_database(
    django_capture_on_commit_callbacks,
):
    """Without Redis each worker process keeps its own pages: every change reaches the others
    through the database."""
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory()
    first = ContentVersion.objects.get().token
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory()
    assert ContentVersion.objects.get().token != first
