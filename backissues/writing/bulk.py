"""Rows inserted in bulk: what saving one at a time would do to them, and the SQL that inserts
many at once."""

from collections.abc import Iterator

from django.db import connection, models

from newsroom.models import Publishable, render_markdown_fields


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def prepare_insert(row: Publishable) -> None:
    """What `save()` does to a row besides writing it, done for rows inserted in bulk:
    Briefing.save derives a missing title, Publishable.save renders the Markdown fields."""
    if not row.title:
        row.title = row.derived_title()
    render_markdown_fields(row)


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
