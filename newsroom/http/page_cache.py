"""Whole public pages for anonymous readers, kept in the cache every app server shares.

A GET or HEAD without a session cookie (staff always have one) is answered from the cache when
it can be. A page is kept with the dependency keys of what it shows, recorded by its view
(publishing/page_keys.py), and the versions they had when it was built
(publishing/content_version.py): a change replaces the versions of the keys it touches, and a
page holding an older version of any of its keys is built again, as is one stored under an older
version of the database (a change made through a server that could not write to the cache).
Pages are keyed by scheme, host, interface language, path and sorted query string, hashed to a
fixed length, and fetched in one round trip with the versions of the keys most pages show
(`site`, `stream`); a page showing others (an item's page) asks for theirs in a second.

A page left behind by a change less than PAGE_CACHE_GRACE seconds ago is built again by one
worker, the first to ask (a short lock in the cache); the others answer the page as it was
meanwhile, never past the grace, after which each builds it. A page built while one of its keys
was replaced may show rows as they were: it is answered, not stored.

The query string is cut to the parameters the site's views read (USED_QUERY_PARAMETERS), for
the key and for the view alike, so junk parameters (`?utm_source=…`, a crawler's `?x=1`, `?x=2`)
share one page, and nothing built into it can carry them. Addresses that no view answers keep
their whole query string: an old address with a query may be a redirect (`/index.php?id=5`);
so does the admin, whose pages read parameters of their own (the login's `next`).

A page is kept for PAGE_CACHE_TIMEOUT seconds at most and never past the next scheduled
publication, so a scheduled item appears on time.

Only 200, 301 and 404 answers are stored, and only those the same for every reader: none that
sets a cookie, used a CSRF token or a message, or is marked private. Requests with a session
are never answered from the cache nor stored, and their answers are marked private.

Answers to anonymous readers carry an ETag and a Last-Modified date, so a conditional request
for an unchanged page gets 304, and may be reused by browsers and CDNs for PAGE_CACHE_MAX_AGE
seconds (none for a page answered as it was): they cannot be told of a publication, so only
briefly, unless a receiver of `pages_changed` purges them by the keys each stored page carries
in its `xkey` and `Surrogate-Key` headers.
"""

import datetime as dt
import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe, urlencode
from django.utils.translation import get_language_from_path, override

from articles.models import Article
from briefings.models import Briefing
from publishing.cache_breaker import CACHE_ERRORS, CacheSkipped, call_cache
from publishing.content_version import cache_key, database_version, key_versions, stale_since
from publishing.page_keys import SCHEDULE, SITE, STREAM, recorded

logger = logging.getLogger(__name__)

STORED_STATUSES = {200, 301, 404}
PRIVATE_DIRECTIVES = ("private", "no-cache", "no-store")
# Every query parameter a public view reads: `page` (lists, search), `q`, `kind`, `tag` and
# `year` (search), `p` (the home page's old WordPress permalinks, a sitemap's page).
USED_QUERY_PARAMETERS = ("kind", "p", "page", "q", "tag", "year")
# Shown by most pages (lists show the newest items): fetched with the page, in one round trip.
PREFETCHED_KEYS = (SITE, STREAM)


class PageCacheMiddleware:
    """Listed before the session, locale and CSRF middleware: a stored page is answered before
    they run, and a new page is seen once they have added their cookies and headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PAGE_CACHE_TIMEOUT <= 0 or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if not is_anonymous(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        keep_used_parameters(request)
        key = page_key(request)
        try:
            stored, since = call_cache(lambda: stored_page(key))
        except CacheSkipped:
            return self.get_response(request)
        except CACHE_ERRORS as error:
            logger.warning("Page cache unreachable, page built afresh: %s", error)
            return self.get_response(request)
        if since == math.inf:
            return answer(request, stored.response(), stored.expires)
        in_grace = since is not None and time.time() < since + settings.PAGE_CACHE_GRACE
        # A HEAD stores nothing, so leaves the rebuild to a GET.
        if in_grace and (request.method != "GET" or not claims_rebuild(key)):
            # Another worker builds it: the page as it was, for the grace at most.
            return answer(request, stored.response(), time.time())
        return self.build(request, key)

    def build(self, request: HttpRequest, key: str) -> HttpResponse:
        started = time.time()
        version = database_version()
        response = self.get_response(request)
        if not shareable(request, response):
            return response
        keys = dependency_keys(request)
        add_validators(response)
        response["xkey"] = response["Surrogate-Key"] = " ".join(sorted(keys))
        expires = time.time()
        try:
            stamp = Stamp(keys, started, version)
            expires = call_cache(lambda: store(request, key, stamp, response))
        except CacheSkipped:
            pass
        except CACHE_ERRORS as error:
            logger.warning("Page cache unreachable, page not stored: %s", error)
        return answer(request, response, expires)


def dependency_keys(request: HttpRequest) -> set[str]:
    """What the page shows (publishing/page_keys.py); a page whose view recorded nothing (a
    feed, "not found", a redirect) is left behind by any change of what readers see."""
    return {SITE, *(recorded(request) or {STREAM})}


def stored_page(key: str) -> tuple["StoredPage | None", float | None]:
    """The page stored at this address, and since when it is stale: infinity if it is not,
    None if it must be built again (none stored, stale too long, or from before a change
    recorded in the database). The keys most pages show come in the same round trip."""
    found = cache.get_many([key, *(cache_key(k) for k in PREFETCHED_KEYS)])
    stored = found.get(key)
    if stored is None or stored.database_version != database_version():
        return stored, None
    return stored, stale_since(stored.tokens, key_versions(stored.tokens, found))


def claims_rebuild(key: str) -> bool:
    """Whether this worker is the one to build a stale page again."""
    try:
        seconds = math.ceil(settings.PAGE_CACHE_GRACE)
        lock = call_cache(lambda: cache.add(rebuild_key(key), 1, seconds))
    except (CacheSkipped, *CACHE_ERRORS):
        return True
    return lock


def rebuild_key(key: str) -> str:
    return f"rebuild:{key}"


@dataclass(frozen=True)
class Stamp:
    """What a page was built from: its keys, when, and the database's version then."""

    keys: set[str]
    started: float
    database_version: str


@dataclass(frozen=True)
class StoredPage:
    """A page as kept: plain values, cheaper to (un)pickle than the response object, with the
    tokens its keys had when it was built."""

    tokens: dict[str, str | None]
    database_version: str
    expires: float  # a Unix time
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


def store(request: HttpRequest, key: str, stamp: Stamp, response: HttpResponse) -> float:
    """Keeps a GET's page as long as it may be kept; returns when it expires (a Unix time).
    A page built while one of its keys was replaced may show rows as they were: not kept."""
    versions = key_versions([*stamp.keys, SCHEDULE])
    # The next request builds it again, whether another worker's or this one's.
    cache.delete(rebuild_key(key))
    if any(version[0][1] >= stamp.started for version in versions.values()):
        return time.time()
    schedule = f"{versions[SCHEDULE][0][0]}:{stamp.database_version}"
    seconds = int(lifetime(schedule))
    expires = time.time() + seconds
    if seconds >= 1 and request.method == "GET":
        tokens = {k: versions[k][0][0] for k in stamp.keys}
        headers = tuple(response.headers.items())
        page = StoredPage(
            tokens, stamp.database_version, expires, response.status_code, headers, response.content
        )
        cache.set(key, page, seconds)
    return expires


def is_anonymous(request: HttpRequest) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
    )


def keep_used_parameters(request: HttpRequest) -> None:
    """Cuts the query string to USED_QUERY_PARAMETERS where a public view answers the
    address."""
    if set(request.GET) <= set(USED_QUERY_PARAMETERS) or not answered_by_a_public_view(request):
        return
    used = [(name, request.GET.getlist(name)) for name in USED_QUERY_PARAMETERS]
    query = urlencode([(name, values) for name, values in used if values], doseq=True)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def answered_by_a_public_view(request: HttpRequest) -> bool:
    if request.path_info.startswith(f"/{settings.ADMIN_URL}"):
        return False
    # Resolved in the address's language, as the language prefix (/de/) is part of the patterns.
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        with override(language):
            resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return True


def page_key(request: HttpRequest) -> str:
    # Sorted by name only: the order of a name's values matters (the view reads the last).
    query = urlencode(sorted(request.GET.lists(), key=lambda pair: pair[0]), doseq=True)
    # The interface language comes from the address alone (/de/…), as LocaleMiddleware finds
    # it with i18n_patterns(prefix_default_language=False).
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    address = repr((request.scheme, request.get_host(), language, request.path, query))
    return f"page:{hashlib.sha256(address.encode()).hexdigest()}"


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer is the same for every anonymous reader, so it may be stored."""
    cache_control = response.get("Cache-Control", "").lower()
    messages = getattr(request, "_messages", None)
    return (
        response.status_code in STORED_STATUSES
        and not response.streaming
        and not response.cookies
        # Set once a CSRF token has been asked for, e.g. by a form with {% csrf_token %}.
        and "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
        and not (messages is not None and (messages.used or messages.added_new))
        and not any(directive in cache_control for directive in PRIVATE_DIRECTIVES)
        and not has_vary_header(response, "*")
    )


def add_validators(response: HttpResponse) -> None:
    """ETag, Last-Modified (feeds date themselves) and the headers a page really varies on."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()
    # LocaleMiddleware adds Accept-Language to unprefixed addresses, but the language comes
    # from the address, so a CDN would keep a copy per browser language for nothing.
    vary = [h for h in cc_delim_re.split(response.get("Vary", "")) if h]
    del response["Vary"]
    patch_vary_headers(response, [h for h in vary if h.lower() != "accept-language"] + ["Cookie"])


def answer(request: HttpRequest, response: HttpResponse, expires: float) -> HttpResponse:
    """The page, or 304 to a conditional request for it, with how long it may be reused."""
    max_age = max(0, min(settings.PAGE_CACHE_MAX_AGE, int(expires - time.time())))
    patch_cache_control(response, public=True, max_age=max_age)
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )


def lifetime(version: str) -> float:
    """Seconds a page built now may be kept: until the next scheduled publication at most."""
    upcoming = next_publication(version)
    if upcoming is None:
        return settings.PAGE_CACHE_TIMEOUT
    return min(settings.PAGE_CACHE_TIMEOUT, upcoming - time.time())


def next_publication(version: str) -> float | None:
    """When the next scheduled item reaches readers (a Unix time), looked up once a version of
    the `schedule` key, which saving or deleting any item replaces."""
    key = f"next-publication:{version}"
    found = cache.get(key)
    if found is None:
        moment = next_scheduled_moment()
        found = (moment.timestamp() if moment else None,)
        keep = settings.PAGE_CACHE_TIMEOUT
        if moment:
            keep = min(keep, moment.timestamp() - time.time())
        if int(keep) >= 1:
            cache.set(key, found, int(keep))
    return found[0]


def next_scheduled_moment() -> dt.datetime | None:
    """The earliest future publication date of either kind, in one query on their indexes."""
    briefings, articles = (
        model.objects.scheduled().order_by().values_list("published_at", flat=True)
        for model in (Briefing, Article)
    )
    return briefings.union(articles, all=True).order_by("published_at").first()
