"""`/healthz`: whether this app server can reach its database and its cache, for a load
balancer or a monitor. One `SELECT 1` and one cache write and read; never cached.

Only the database decides the status. Without the cache pages are built afresh
(newsroom/http/page_cache.py), slower but correct; and the cache is shared by every app server, so
failing on it would take them all out of the load balancer at once while they could still
serve. Its state is reported, as "degraded", for a monitor to alert on; a cache that failed a
moment ago is reported so without being asked again (publishing/cache_breaker.py).

Exempt from the redirect to https (SECURE_REDIRECT_EXEMPT): a load balancer probes the app's
port over plain http.
"""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from publishing.cache_breaker import CACHE_ERRORS, CacheSkipped, call_cache

PROBE_KEY = "healthz-probe"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "error"
    return "ok"


def cache_state() -> str:
    # A key of the probe's own: app servers sharing the cache probe it at the same moments.
    token = uuid.uuid4().hex
    key = f"{PROBE_KEY}:{token}"
    try:
        answered = call_cache(lambda: probe(key, token))
    except (CacheSkipped, *CACHE_ERRORS):
        return "error"
    return "ok" if answered == token else "error"


def probe(key: str, token: str) -> str | None:
    cache.set(key, token, timeout=10)
    answered = cache.get(key)
    cache.delete(key)
    return answered


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_state(), "cache": cache_state()}
    if checks["database"] != "ok":
        status = "error"
    elif checks["cache"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, **checks}, status=503 if status == "error" else 200)
