"""Purges of the HTTP caches in front of the app (Varnish; README "HTTP cache in front").

Every page the app shares names its dependency keys (publishing/page_keys.py) in its `xkey`
header. Once a change is committed, `pages_changed` names the keys it touched, and each cache in
HTTP_CACHE_PURGE_URLS is sent a PURGE naming them (deploy/varnish/default.vcl reads it):
`xkey-purge` removes the pages of items readers may no longer see (unpublished, scheduled
again, deleted), which must go at once; `xkey-softpurge` marks the others stale, so the cache
may answer them for a few seconds more while it fetches them again.

Sent from a thread of each cache's own: an editor's save never waits for a cache, and a cache
that hangs holds up no other. A request waits HTTP_CACHE_PURGE_TIMEOUT seconds at most to
connect and for the answer, is tried ATTEMPTS times, and is logged as an error, with its keys,
when the last try fails. Purges that came while one was sent go together in the next request.
A process that exits sends what is waiting first, for a bounded time, and logs what it could
not.
"""

import atexit
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from functools import reduce
from urllib.request import ProxyHandler, Request, build_opener

from django.conf import settings
from django.db import DatabaseError

from articles.models import Article
from briefings.models import Briefing
from publishing.page_keys import model_key

logger = logging.getLogger(__name__)

ATTEMPTS = 3
# Seconds before the second and the third try.
RETRY_DELAYS = (0.5, 2.0)
# Keys named in one header: well under Varnish's 8 KB limit on a header line.
KEYS_PER_REQUEST = 200
ITEM_MODELS = (Article, Briefing)
ITEM_KEY = re.compile(r"(?P<kind>[a-z]+)-(?P<pk>\d+)")
# Straight to the cache, whatever proxy the environment names for the web.
OPENER = build_opener(ProxyHandler({}))


@dataclass(frozen=True)
class Purge:
    """Keys whose pages go at once (`hard`), and keys whose pages turn stale (`soft`)."""

    hard: frozenset[str] = field(default_factory=frozenset)
    soft: frozenset[str] = field(default_factory=frozenset)

    def merge(self, other: "Purge") -> "Purge":
        hard = self.hard | other.hard
        return Purge(hard, (self.soft | other.soft) - hard)

    def requests(self, url: str) -> list[Request]:
        """The PURGE requests naming every key, KEYS_PER_REQUEST of each kind at most."""
        hard, soft = sorted(self.hard), sorted(self.soft)
        requests = []
        for start in range(0, max(len(hard), len(soft)), KEYS_PER_REQUEST):
            headers = {
                name: " ".join(keys[start : start + KEYS_PER_REQUEST])
                for name, keys in (("xkey-purge", hard), ("xkey-softpurge", soft))
                if keys[start : start + KEYS_PER_REQUEST]
            }
            requests.append(Request(url, method="PURGE", headers=headers))
        return requests


def purge_http_caches(sender, keys: set[str], **kwargs) -> None:
    """Receives `pages_changed`: queues one purge of `keys` for each cache."""
    if not settings.HTTP_CACHE_PURGE_URLS or not keys:
        return
    hidden = keys_of_hidden_items(keys)
    purge = Purge(frozenset(hidden), frozenset(keys) - hidden)
    for url in settings.HTTP_CACHE_PURGE_URLS:
        sender_for(url).submit(purge)


def keys_of_hidden_items(keys: set[str]) -> set[str]:
    """The keys of the items among `keys` that readers cannot see now (every item's, if the
    database cannot tell)."""
    wanted = {model._meta.model_name: set() for model in ITEM_MODELS}
    for key in keys:
        if (match := ITEM_KEY.fullmatch(key)) and match["kind"] in wanted:
            wanted[match["kind"]].add(int(match["pk"]))
    hidden = set()
    for model in ITEM_MODELS:
        pks = wanted[model._meta.model_name]
        if not pks:
            continue
        try:
            visible = set(model.objects.published().filter(pk__in=pks).values_list("pk", flat=True))
        except DatabaseError as error:
            logger.warning("Purging every item's pages at once, visibility unknown: %s", error)
            visible = set()
        hidden |= {model_key(model, pk) for pk in pks - visible}
    return hidden


class Sender:
    """The purges of one cache, sent in order from a thread of its own."""

    def __init__(self, url: str):
        self.url = url
        self.waiting: list[Purge] = []
        self.sending: Purge | None = None
        self.condition = threading.Condition()
        self.thread: threading.Thread | None = None

    def submit(self, purge: Purge) -> None:
        with self.condition:
            self.waiting.append(purge)
            self.condition.notify_all()
            # Started on first use, so in each worker process (threads do not survive a fork).
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="purge", daemon=True)
                self.thread.start()

    def run(self) -> None:
        while True:
            with self.condition:
                self.condition.wait_for(lambda: self.waiting)
                self.sending = reduce(Purge.merge, self.waiting)
                self.waiting = []
            try:
                send(self.url, self.sending)
            finally:
                with self.condition:
                    self.sending = None
                    self.condition.notify_all()

    def wait(self, timeout: float) -> Purge | None:
        """Waits until every purge is sent (or given up); returns what is still unsent."""
        with self.condition:
            self.condition.wait_for(lambda: not self.waiting and not self.sending, timeout)
            unsent = [*self.waiting, *([self.sending] if self.sending else [])]
            return reduce(Purge.merge, unsent) if unsent else None


def send(url: str, purge: Purge) -> None:
    """Sends the purge, tried ATTEMPTS times; the last failure is logged with its keys."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            for request in purge.requests(url):
                with OPENER.open(request, timeout=settings.HTTP_CACHE_PURGE_TIMEOUT) as answer:
                    answer.read()
            return
        except OSError as error:  # refused, timed out, or an answer other than 2xx
            if attempt == ATTEMPTS:
                log_unsent(url, purge, f"{ATTEMPTS} tries failed, the last: {error}")
                return
            logger.warning("Purge of %s failed (try %d of %d): %s", url, attempt, ATTEMPTS, error)
            time.sleep(RETRY_DELAYS[attempt - 1])


def log_unsent(url: str, purge: Purge, reason: str) -> None:
    logger.error(
        "HTTP cache %s not purged (%s): pages may be stale until they expire; keys to purge: "
        "%s; to soft-purge: %s",
        url,
        reason,
        " ".join(sorted(purge.hard)) or "none",
        " ".join(sorted(purge.soft)) or "none",
    )


SENDERS: dict[str, Sender] = {}
SENDERS_LOCK = threading.Lock()


def sender_for(url: str) -> Sender:
    with SENDERS_LOCK:
        if url not in SENDERS:
            SENDERS[url] = Sender(url)
        return SENDERS[url]


def longest_send() -> float:
    """Seconds one purge request may take with every try."""
    return ATTEMPTS * 2 * settings.HTTP_CACHE_PURGE_TIMEOUT + sum(RETRY_DELAYS)


@atexit.register
def send_before_exit(timeout: float | None = None) -> bool:
    """Waits for every cache's purges, `timeout` seconds in all (by default what one purge
    may take); logs those still unsent. Whether all were sent."""
    deadline = time.monotonic() + (longest_send() if timeout is None else timeout)
    all_sent = True
    for url, sender in list(SENDERS.items()):
        unsent = sender.wait(max(0.0, deadline - time.monotonic()))
        if unsent is not None:
            log_unsent(url, unsent, "the process ended first")
            all_sent = False
    return all_sent
