"""While an import runs, the search entries' GIN indexes gather new entries and merge them in bulk.

The entries' GIN indexes take each write at once (`fastupdate` off, see search 0001), so that
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

from backissues.writing.sql import merge_pending, partition_indexes, set_fastupdate, wait_for_locks

# How long the run waits for the lock before going on without pending lists.
LOCK_WAIT = "2s"


@contextmanager
def bulk_search_writes(enabled: bool = True) -> Iterator[None]:
    """Entries written inside are merged into the search index in bulk (PostgreSQL only)."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    indexes = partition_indexes()
    try:
        with transaction.atomic():
            wait_for_locks(LOCK_WAIT)
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
