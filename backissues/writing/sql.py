"""The importer's own SQL, behind named functions: rows inserted as plain values, primary keys
reserved from their sequences, the search index's pending lists, and the durability and lock
waits of an import's transactions. PostgreSQL-only statements say so and are skipped
elsewhere by their callers or here."""

from django.db import connection, models


def insert_values(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows given as plain values (numbers, text, None) for `columns`, as few statements
    as the database's parameter limit allows; no model instance is built or prepared."""
    if not rows:
        return
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
    row_placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = connection.ops.bulk_batch_size(columns, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [value for row in chunk for value in row]
            cursor.execute(into + ", ".join([row_placeholders] * len(chunk)), params)


def reserve_primary_keys(rows: dict[type[models.Model], list[models.Model]]) -> bool:
    """Give the rows primary keys from their tables' sequences, before they are inserted; False
    where the database has no sequence to take them from (SQLite)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        for model, group in rows.items():
            if not group:
                continue
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(group)],
            )
            for row, (pk,) in zip(group, cursor.fetchall(), strict=True):
                row.pk = pk
    return True


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


def wait_for_locks(seconds: str) -> None:
    """How long this transaction's statements wait for a lock before failing (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{seconds}'")


def relax_durability() -> None:
    """Let PostgreSQL commit this file's transaction without waiting for its WAL flush.

    A file is still all or nothing; a server crash may forget the last files committed, and
    importing them again brings them back, as an import is idempotent. Waiting for the flush
    cost about a third of a small page's time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
