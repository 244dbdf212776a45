"""A version of everything readers can see, kept in the cache that every app server shares.

Cached pages are stored under the version (newsroom/page_cache.py), so replacing it leaves
them all behind at once, on every server using the same cache, without finding and deleting
each. Signals replace it on any save, delete or many-to-many change of a model in the apps
whose rows appear on public pages; code writing in bulk (`queryset.update()`, `bulk_create()`,
which send no signals) calls `content_changed()` itself.
"""

import logging
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from newsroom.cache_breaker import CACHE_ERRORS, CacheSkipped, call_cache

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"

# Apps whose rows appear on public pages: items and their parts, tags, publications and people,
# sources, old addresses and flat pages (and the site they belong to).
CONTENT_APPS = (
    "newsroom",
    "articles",
    "briefings",
    "sources",
    "taggit",
    "redirects",
    "flatpages",
    "sites",
)

# Written only by sources.services.refresh_citations, in bulk, which calls content_changed().
# A delete receiver would make its one DELETE a fetch plus a DELETE per hundred rows.
WRITTEN_IN_BULK_ONLY = {"sources.citation"}


def current_version() -> str:
    """The version pages are stored under; started afresh if the cache has lost it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Another server may start one at the same moment: whichever is added first is kept.
        candidate = new_version()
        cache.add(VERSION_KEY, candidate, timeout=None)
        version = cache.get(VERSION_KEY, candidate)
    return version


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
    is left behind too."""
    replace_cached_version()
    transaction.on_commit(replace_cached_version)


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
