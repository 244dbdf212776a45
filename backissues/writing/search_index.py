"""While an import runs, the search entries' GIN indexes gather new entries and merge them in bulk.

The entries' GIN indexes take each write at once (`fastupdate` off, see newsroom 0002), so that
searches never read through a list of pending entries. For an import that is the dearest part
of writing an entry: each of its words is put into the index on its own, which cost more than
computing the entry. For the run, `fastupdate` is turned on: entries wait in the index's pending
list, which PostgreSQL merges in bulk whenever it reaches `gin_pending_list_limit`, and once the
run is over what is left is merged and the setting turned off again. Searches find the same
items meanwhile, reading the pending list as well.

Changing the setting locks the index against searches for an instant; should a long search
hold it (or the database role not own the index), the run goes on without it rather than make
searches wait behind it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

# How long the run waits for the lock before going on without pending lists.
LOCK_WAIT = "2s"


def partition_indexes() -> list[str]:
    """The GIN indexes of the entry table's parts (one per kind)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.inhrelid::regclass::text FROM pg_inherits i"
            " WHERE i.inhparent = 'search_entry_vector'::regclass ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def set_fastupdate(indexes: list[str], on: bool) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(f"ALTER INDEX {quote(index)} SET (fastupdate = {'on' if on else 'off'})")


def merge_pending(indexes: list[str]) -> None:
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


@contextmanager
def bulk_search_writes(enabled: bool = True) -> Iterator[None]:
    """Entries written inside are merged into the search index in bulk (PostgreSQL only)."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    indexes = partition_indexes()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            set_fastupdate(indexes, on=True)
    except DatabaseError:  # the lock was not granted in time, or the role may not alter it
        yield
        return
    try:
        yield
    finally:
        merge_pending(indexes)  # the bulk of it, while searches still read the index
        with transaction.atomic():
            set_fastupdate(indexes, on=False)
            merge_pending(indexes)  # what was written meanwhile
