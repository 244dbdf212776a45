"""Versions of the dependency keys of public pages (publishing/page_keys.py), kept in the cache
every app server shares, and a version of the whole content in the database for when the cache
cannot be written.

A page is stored with the versions its keys had when it was built (newsroom/http/page_cache.py);
a change replaces the versions of the keys it touches, so only the pages showing what changed
are left behind. Signals find the keys: on a save (the row as it was and as it is now), a delete
and a many-to-many change of a model in the apps whose rows appear on public pages. Code
writing in bulk (`queryset.update()`, `bulk_create()`, which send no signals) calls
`content_changed(keys)` itself.

A key's version in the cache is a short history, newest first, of (token, since) pairs: a page
holding a token replaced less than PAGE_CACHE_GRACE seconds ago may still be answered while one
worker builds it again; a page holding an older token may not, and the history keeps no more
than that needs.

Keys are replaced at once, so the next request here sees the change, and again once the
transaction commits, so a page another server built from the old rows meanwhile is left behind
too; then `pages_changed` is sent, once per transaction, with every key it touched.

A server that cannot write the keys to the cache replaces the version in the database instead,
once the change is committed; so does one whose cache is its own (local memory), which the
other processes do not share. Each process reads that version at most every
CONTENT_VERSION_CHECK_INTERVAL seconds, and a page stored under an older one is not answered:
every page is left behind, on every server, as the keys could not be. It is written after the
commit, in its own statement, rather than inside the change's transaction, where its one row
would stay locked until the commit and every other change would queue for it.
"""

import logging
import math
import time
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from taggit.models import Tag, TaggedItemBase

from publishing.cache_breaker import CACHE_ERRORS, CacheSkipped, call_cache
from publishing.models import ContentVersion, Publishable
from publishing.page_keys import (
    ARCHIVE_LINKS,
    SCHEDULE,
    SITE,
    SITEMAP,
    STREAM,
    TAGS,
    model_key,
    pages_changed,
    row_key,
)

logger = logging.getLogger(__name__)

# The one row of the database's version.
DATABASE_VERSION_PK = 1
CACHE_KEY_PREFIX = "page-key:"
HISTORY_LENGTH = 8

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

# (token, since) pairs, newest first; a key never replaced has the token None.
Version = tuple[tuple[str | None, float], ...]
NEVER_REPLACED: Version = ((None, 0.0),)


# Keys of rows


def touched_keys(row) -> set[str]:
    """The keys of the pages a change of `row`, as it is now, leaves behind."""
    if isinstance(row, Tag):
        return {row_key(row), TAGS, STREAM, SITEMAP}
    if hasattr(row, "touched_page_keys"):
        return row.touched_page_keys()
    for field in row._meta.concrete_fields:
        # An item's part (a section, bullet, figure): every page showing the item records the
        # item's key; no query, as a delete of many parts runs this for each.
        if field.many_to_one and issubclass(field.related_model, Publishable):
            item_key = model_key(field.related_model, getattr(row, field.attname))
            return {item_key, *field.related_model.part_page_keys}
    try:
        # A part of a part (a section's figure), an old address: what the item touches.
        item = getattr(row, "item", None)
    except ObjectDoesNotExist:
        return set()
    if isinstance(item, Publishable):
        return item.touched_page_keys()
    return {SITE}


def rows_keys(rows: Iterable) -> set[str]:
    return set().union(*(touched_keys(row) for row in rows))


def changed_keys(before: set[str], after: set[str]) -> set[str]:
    """The keys of a change from `before` to `after`; an item that appears, disappears or
    changes period changes the archives' links and the tags' counts too."""
    moved = any(key == STREAM or key.startswith("archive-") for key in before ^ after)
    return before | after | ({ARCHIVE_LINKS, TAGS} if moved else set())


# Versions in the cache


def cache_key(key: str) -> str:
    return CACHE_KEY_PREFIX + key


def key_versions(keys: Iterable[str], found: dict | None = None) -> dict[str, Version]:
    """The versions of `keys`, from `found` (a get_many's answer) or else from the cache."""
    keys = list(keys)
    found = found or {}
    missing = [cache_key(key) for key in keys if cache_key(key) not in found]
    if missing:
        found = {**found, **cache.get_many(missing)}
    return {key: found.get(cache_key(key), NEVER_REPLACED) for key in keys}


def replaced(version: Version, now: float) -> Version:
    """`version` with a new token, keeping the tokens replaced within the grace."""
    entries = ((uuid.uuid4().hex, now), *version)
    kept = list(entries[:2])
    for newer, older in zip(entries[1:], entries[2:], strict=False):
        if newer[1] <= now - settings.PAGE_CACHE_GRACE or len(kept) >= HISTORY_LENGTH:
            break
        kept.append(older)
    return tuple(kept)


def replace_keys(keys: set[str]) -> None:
    now = time.time()
    versions = key_versions(keys)
    cache.set_many({cache_key(k): replaced(v, now) for k, v in versions.items()}, timeout=None)


def stale_since(tokens: dict[str, str | None], versions: dict[str, Version]) -> float | None:
    """When the first of a page's `tokens` was replaced: infinity if none was (the page is
    current), None if longer ago than the history keeps."""
    since = math.inf
    for key, token in tokens.items():
        version = versions.get(key, NEVER_REPLACED)
        if version[0][0] == token:
            continue
        pairs = zip(version, version[1:], strict=False)
        replaced_at = next((newer[1] for newer, older in pairs if older[0] == token), None)
        if replaced_at is None:
            return None
        since = min(since, replaced_at)
    return since


def replace_cached_keys(keys: set[str]) -> bool:
    """Whether the keys were replaced in the cache; a failure is logged, not raised to an
    editor whose change is saved."""
    try:
        call_cache(lambda: replace_keys(keys))
    except CacheSkipped:
        logger.warning("Page keys not replaced in the cache, which failed a moment ago")
        return False
    except CACHE_ERRORS as error:
        logger.error("Page keys not replaced in the cache: %s", error)
        return False
    return True


# A change, and its commit


class PendingChange:
    """The keys a transaction touched, replaced again and announced once it commits."""

    def __init__(self, keys: set[str], failed: bool):
        self.keys = keys
        self.failed = failed
        self.done = False

    def is_scheduled(self, connection) -> bool:
        # A rollback drops the callbacks registered since; the keys are then started afresh.
        waiting = any(entry[1] == self.commit for entry in connection.run_on_commit)
        return waiting and not self.done

    def commit(self) -> None:
        self.done = True
        failed = not replace_cached_keys(self.keys) or self.failed
        # A cache of this process's own cannot tell the other processes either.
        if failed or isinstance(caches["default"], LocMemCache):
            replace_database_version()
        for receiver, result in pages_changed.send_robust(sender=None, keys=set(self.keys)):
            if isinstance(result, Exception):
                logger.error("A receiver of pages_changed failed: %s: %s", receiver, result)


def content_changed(keys: Iterable[str] = (SITE, SCHEDULE)) -> None:
    """Leave the pages showing `keys` behind: now, and again once the transaction commits
    (then in the database too if the cache could not be written). Without keys, every page."""
    keys = set(keys)
    failed = not replace_cached_keys(keys)
    connection = transaction.get_connection()
    change = getattr(connection, "pending_page_change", None)
    if change is not None and change.is_scheduled(connection):
        change.keys |= keys
        change.failed |= failed
        return
    change = PendingChange(keys, failed)
    connection.pending_page_change = change
    # Run at once outside a transaction.
    transaction.on_commit(change.commit)


# The version in the database


class DatabaseVersionMemo:
    """The database's version as this process last read (or wrote) it, and when."""

    token = ""
    read_at = float("-inf")


def replace_database_version() -> None:
    """A failure is logged, not raised to an editor whose change is saved."""
    token = uuid.uuid4().hex
    try:
        versions = ContentVersion.objects.filter(pk=DATABASE_VERSION_PK)
        if not versions.update(token=token):
            row = ContentVersion(pk=DATABASE_VERSION_PK, token=token)
            ContentVersion.objects.bulk_create([row], ignore_conflicts=True)
    except DatabaseError as error:
        logger.error("Content version not replaced in the database: %s", error)
        return
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


# Signals


def before_save(sender, instance, **kwargs) -> None:
    """An item's keys as it was: its old periods, tags and people are left behind too."""
    old = sender._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._page_keys_before = touched_keys(old) if old else set()


def after_save(sender, instance, **kwargs) -> None:
    after = touched_keys(instance)
    if "_page_keys_before" in instance.__dict__:
        after = changed_keys(instance.__dict__.pop("_page_keys_before"), after)
    content_changed(after)


def before_delete(sender, instance, **kwargs) -> None:
    content_changed(changed_keys(touched_keys(instance), set()))


# After an add or removal the rows added or removed are named; before a clear they are still
# there to be found.
M2M_ACTIONS = {"post_add", "post_remove", "pre_clear"}


def on_m2m_change(sender, instance, action, model, pk_set, **kwargs) -> None:
    """The item's keys, and those of the tags or authors added or removed."""
    if action in M2M_ACTIONS and sender._meta.app_label in CONTENT_APPS:
        others = model._base_manager.filter(pk__in=pk_set) if pk_set else []
        content_changed(touched_keys(instance) | rows_keys(others))


def connect_content_signals() -> None:
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.label_lower
            # Tag links change through the tags manager, which sends m2m_changed.
            if name in WRITTEN_IN_BULK_ONLY or issubclass(model, TaggedItemBase):
                continue
            if issubclass(model, Publishable):
                pre_save.connect(before_save, sender=model, dispatch_uid=f"page-keys-{name}")
            post_save.connect(after_save, sender=model, dispatch_uid=f"content-save-{name}")
            pre_delete.connect(before_delete, sender=model, dispatch_uid=f"content-delete-{name}")
    m2m_changed.connect(on_m2m_change, dispatch_uid="content-m2m")
