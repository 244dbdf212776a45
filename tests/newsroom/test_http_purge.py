"""The HTTP caches in front are told of every committed change (newsroom/http/purge.py): one
PURGE to each, naming the change's keys, hard for items readers may no longer see; sent
after the save returns, retried, and logged with its keys when it finally fails."""

import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db import transaction

from articles.models import Article
from newsroom.http import purge
from publishing.models import Status
from publishing.page_keys import pages_changed, row_key
from tests.support.factories import ArticleFactory
from tests.support.manage_process import manage


class Cache:
    """An HTTP server on loopback that answers PURGE with the next of `statuses` (then 200)
    and keeps the headers of each."""

    def __init__(self, statuses: list[int] | None = None):
        self.statuses = list(statuses or [])
        self.purges: list = []  # the headers of each, read case-insensitively
        cache = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                cache.purges.append(self.headers)
                status = cache.statuses.pop(0) if cache.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keys(self, header: str) -> set[str]:
        return {key for sent in self.purges for key in sent.get(header, "").split()}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def caches(settings) -> Iterator[tuple[Cache, Cache]]:
    pair = Cache(), Cache()
    settings.HTTP_CACHE_PURGE_URLS = [cache.url for cache in pair]
    yield pair
    for cache in pair:
        cache.stop()


@pytest.fixture
def quick_retries(settings, monkeypatch):
    settings.HTTP_CACHE_PURGE_TIMEOUT = 0.2
    monkeypatch.setattr(purge, "RETRY_DELAYS", (0.05, 0.05))


def sent_everything() -> None:
    """Waits for the purges to this test's caches (others may still be sending theirs)."""
    for url in settings.HTTP_CACHE_PURGE_URLS:
        assert purge.sender_for(url).wait(10) is None


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_purged_softly_from_every_cache_in_one_request(caches):
    with transaction.atomic():
        article = ArticleFactory(title="NEW")
    sent_everything()
    for cache in caches:
        assert len(cache.purges) == 1
        # Readers may see the item: its pages may be answered stale while fetched again.
        assert {row_key(article), "stream"} <= cache.keys("xkey-softpurge")
        assert cache.keys("xkey-purge") == set()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["unpublish", "reschedule", "delete"])
def test_an_item_readers_may_no_longer_see_is_purged_at_once(caches, change):
    article = ArticleFactory(title="GOING")
    pk = article.pk
    sent_everything()
    for cache in caches:
        cache.purges.clear()
    if change == "unpublish":
        article.status = Status.DRAFT
        article.save()
    elif change == "reschedule":
        article.published_at = article.published_at.replace(year=2999)
        article.save()
    else:
        article.delete()
    sent_everything()
    key = row_key(Article(pk=pk))
    for cache in caches:
        assert key in cache.keys("xkey-purge")
        assert key not in cache.keys("xkey-softpurge")
        assert "stream" in cache.keys("xkey-softpurge")


@pytest.mark.django_db
def test_nothing_is_sent_for_a_change_never_committed(caches):
    # The test's own transaction never commits: the change is never announced.
    ArticleFactory(title="NEVER-COMMITTED")
    sent_everything()
    assert [cache.purges for cache in caches] == [[], []]


def test_many_keys_are_split_into_requests_each_naming_at_most_the_limit(caches):
    keys = {f"tag-{n}" for n in range(purge.KEYS_PER_REQUEST * 2 + 5)}
    pages_changed.send(sender=None, keys=keys)
    sent_everything()
    for cache in caches:
        assert len(cache.purges) == 3
        named = [len(sent["xkey-softpurge"].split()) for sent in cache.purges]
        assert max(named) == purge.KEYS_PER_REQUEST
        assert cache.keys("xkey-softpurge") == keys


def test_a_failed_purge_is_retried(caches, quick_retries, caplog):
    failing, answering = caches
    failing.statuses = [503, 503]
    pages_changed.send(sender=None, keys={"stream"})
    sent_everything()
    assert len(failing.purges) == 3
    assert len(answering.purges) == 1
    assert failing.keys("xkey-softpurge") == {"stream"}
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_purge_that_fails_every_try_is_logged_with_its_keys(caches, quick_retries, caplog):
    failing, answering = caches
    failing.statuses = [503] * purge.ATTEMPTS
    pages_changed.send(sender=None, keys={"stream", "tag-7"})
    sent_everything()
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert failing.url in errors[0].getMessage()
    assert "soft-purge: stream tag-7" in errors[0].getMessage()
    assert answering.keys("xkey-softpurge") == {"stream", "tag-7"}


@pytest.fixture
def silent_cache(settings) -> Iterator[str]:
    """A cache that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    settings.HTTP_CACHE_PURGE_URLS = [url]
    yield url
    listener.close()


@pytest.mark.django_db(transaction=True)
def test_a_hanging_cache_holds_no_save_and_is_logged_once_given_up(
    silent_cache, quick_retries, caplog
):
    with transaction.atomic():
        ArticleFactory(title="SAVED")
    # The save has returned while the cache still has not answered.
    assert purge.sender_for(silent_cache).wait(0) is not None
    sent_everything()
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert silent_cache in errors[0] and "timed out" in errors[0]


def test_purges_still_unsent_when_the_process_ends_are_logged(silent_cache, quick_retries, caplog):
    pages_changed.send(sender=None, keys={"stream"})
    assert not purge.send_before_exit(timeout=0.1)
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert "the process ended first" in errors[0] and "stream" in errors[0]
    # Given up on before the next test.
    sent_everything()


def test_a_purge_address_that_is_not_http_stops_the_start():
    result = manage("check", DEBUG="1", HTTP_CACHE_PURGE_URLS="varnish:80")
    assert result.returncode != 0
    assert result.stderr.startswith(
        "Configuration error: HTTP_CACHE_PURGE_URLS: 'varnish:80' is not an http:// or https://"
    )
