"""A version of everything readers can see, kept in the cache that every app server shares,
and in the database.

Cached pages are stored under the version (newsroom/http/page_cache.py), so replacing it leaves
them all behind at once, on every server using the same cache, without finding and deleting
each. Signals replace it on any save, delete or many-to-many change of a model in the apps
whose rows appear on public pages; code writing in bulk (`queryset.update()`, `bulk_create()`,
which send no signals) calls `content_changed()` itself.

A server that cannot reach the cache cannot replace the version there, and the servers that
can would go on answering pages stored before the change. So the version is replaced in the
database too, once the change is committed, and each process reads it from there at most every
CONTENT_VERSION_CHECK_INTERVAL seconds: a page stored under an older database version is not
answered either. It is written after the commit, in its own statement, rather than inside the
change's transaction, where its one row would stay locked until the commit and every other
change (an editor's save behind an import) would queue for it.
"""

import logging
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from publishing.cache_breaker import CACHE_ERRORS, CacheSkipped, call_cache
from publishing.models import ContentVersion

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
# The one row of the database's version.
DATABASE_VERSION_PK = 1

# Apps whose rows appear on public pages: items and their parts, tags, publications and people,
# sources, old addresses and flat pages (and the site they belong to).
CONTENT_APPS = (
    "publishing",
    "people",
    "search",
    "articles",
    "briefings",
    "sources",
    "taggit",
    "redirects",
    "flatpages",
    "sites",
)

# Written only in bulk: citations by sources.services.refresh_citations, which calls
# content_changed() (a delete receiver would make its one DELETE a fetch plus a DELETE per
# hundred rows), and the version itself.
WRITTEN_IN_BULK_ONLY = {"sources.citation", "publishing.contentversion"}


def current_version() -> str:
    """The version pages are stored under; started afresh if the cache has lost it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Another server may start one at the same moment: whichever is added first is kept.
        candidate = new_version()
        cache.add(VERSION_KEY, candidate, timeout=None)
        version = cache.get(VERSION_KEY, candidate)
    return version


def versions_and_stored(keys: list[str]) -> tuple[str, dict]:
    """The version of both the cache and the database, and what the cache holds under `keys`,
    in one round trip to the cache."""
    found = cache.get_many([VERSION_KEY, *keys])
    cache_version = found.pop(VERSION_KEY, None) or current_version()
    return f"{cache_version}:{database_version()}", found


def new_version() -> str:
    return uuid.uuid4().hex


def replace_version() -> None:
    cache.set(VERSION_KEY, new_version(), timeout=None)


def replace_cached_version() -> None:
    """Replaces the version in the cache; a cache that fails (or failed a moment ago) is
    logged, not raised to an editor whose change is saved."""
    try:
        call_cache(replace_version)
    except CacheSkipped:
        logger.warning("Content version not replaced in the cache, which failed a moment ago")
    except CACHE_ERRORS as error:
        logger.error("Content version not replaced in the cache: %s", error)


def content_changed() -> None:
    """Leave every cached page behind: now, so the next request here sees the change, and again
    once the transaction commits, so a page another server built from the old rows meanwhile
    is left behind too; and in the database once committed, for servers the cache fails."""
    replace_cached_version()
    transaction.on_commit(replace_versions)


def replace_versions() -> None:
    """Both versions, once the change is committed; a failure is logged, not raised to an
    editor whose change is saved."""
    try:
        replace_database_version()
    except DatabaseError as error:
        logger.error("Content version not replaced in the database: %s", error)
    replace_cached_version()


class DatabaseVersionMemo:
    """The database's version as this process last read (or wrote) it, and when."""

    token = ""
    read_at = float("-inf")


def replace_database_version() -> None:
    token = new_version()
    versions = ContentVersion.objects.filter(pk=DATABASE_VERSION_PK)
    if not versions.update(token=token):
        row = ContentVersion(pk=DATABASE_VERSION_PK, token=token)
        ContentVersion.objects.bulk_create([row], ignore_conflicts=True)
    DatabaseVersionMemo.token = token
    DatabaseVersionMemo.read_at = time.monotonic()


def database_version() -> str:
    """The database's version, read at most every CONTENT_VERSION_CHECK_INTERVAL seconds; the
    last one read while the database cannot be reached, so stored pages are still answered."""
    now = time.monotonic()
    if now < DatabaseVersionMemo.read_at + settings.CONTENT_VERSION_CHECK_INTERVAL:
        return DatabaseVersionMemo.token
    DatabaseVersionMemo.read_at = now
    try:
        row = ContentVersion.objects.filter(pk=DATABASE_VERSION_PK)
        DatabaseVersionMemo.token = row.values_list("token", flat=True).first() or ""
    except DatabaseError as error:
        logger.warning("Content version not read from the database: %s", error)
    return DatabaseVersionMemo.token


def on_write(sender, **kwargs) -> None:
    content_changed()


def on_m2m_change(sender, action: str, **kwargs) -> None:
    if action.startswith("post_") and sender._meta.app_label in CONTENT_APPS:
        content_changed()


def connect_content_signals() -> None:
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in WRITTEN_IN_BULK_ONLY:
                continue
            post_save.connect(on_write, sender=model, dispatch_uid=f"content-save-{model}")
            post_delete.connect(on_write, sender=model, dispatch_uid=f"content-delete-{model}")
    m2m_changed.connect(on_m2m_change, dispatch_uid="content-m2m")
