"""The shared cache left alone for a while once it has failed, in this process.

A Redis that does not answer costs each request that asks it the socket timeout. After a
failure the cache is skipped for CACHE_RETRY_AFTER seconds, then asked again: pages are built
afresh meanwhile (newsroom/http/page_cache.py) and saves leave the cache alone (the content version
in the database still reaches every server, publishing/content_version.py).
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from redis.exceptions import RedisError

# The cache being unreachable or not answering.
CACHE_ERRORS = (RedisError,)

Result = TypeVar("Result")


class CacheSkipped(Exception):
    """The cache was not asked: it failed less than CACHE_RETRY_AFTER seconds ago."""


_failed_at = float("-inf")


def call_cache(operation: Callable[[], Result]) -> Result:
    """`operation`'s result; raises CacheSkipped while the cache is left alone, and a cache
    error (after which it is left alone) when it fails."""
    global _failed_at
    if time.monotonic() < _failed_at + settings.CACHE_RETRY_AFTER:
        raise CacheSkipped
    try:
        return operation()
    except CACHE_ERRORS:
        _failed_at = time.monotonic()
        raise
