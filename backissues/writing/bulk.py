"""Rows inserted in bulk: what saving one at a time would do to them (the SQL that inserts
them is in writing/sql.py)."""

from collections.abc import Iterator

from publishing.models import Publishable, render_markdown_fields


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def prepare_insert(row: Publishable) -> None:
    """What `save()` does to a row besides writing it, done for rows inserted in bulk:
    Briefing.save derives a missing title, Publishable.save renders the Markdown fields."""
    if not row.title:
        row.title = row.derived_title()
    render_markdown_fields(row)
