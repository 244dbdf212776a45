"""The public site's own SQL, behind named functions: several one-row queries answered in
one round trip, and the newest rows of several querysets merged in the database.

Each function takes querysets built with `published()` and the ORM and only joins their
compiled SQL, so none restates what a reader may see."""

import datetime as dt

from django.db import connection, connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def one_row(querysets: list[QuerySet]) -> list:
    """The columns of each queryset's single row, all in order, from one query. Each
    queryset must give exactly one row, as an aggregate without grouping does. Datetimes may
    come back as text: read them with `as_moment`."""
    parts, params = compiled(querysets)
    tables = [f"{part} AS part{number}" for number, part in enumerate(parts)]
    return fetch_row("SELECT * FROM " + " CROSS JOIN ".join(tables), params)


def first_values(querysets: list[QuerySet]) -> list:
    """The one column of each queryset's first row, or None where it has none, in one query
    of scalar subqueries (each an index probe when the queryset is ordered by an index).
    Datetimes may come back as text: read them with `as_moment`."""
    parts, params = compiled([queryset[:1] for queryset in querysets])
    return fetch_row("SELECT " + ", ".join(parts), params)


def newest_keys(querysets: list[QuerySet], window: slice) -> list[tuple[int, int]]:
    """(kind, pk) of the rows in `window` of the querysets merged newest first, where kind
    is the queryset's place in `querysets`.

    Each kind contributes at most `window.stop` rows, read in index order, before the merge:
    a union of whole tables would be sorted in full on every page.
    """
    arms, params = [], []
    for kind, qs in enumerate(querysets):
        newest = qs.order_by("-published_at", "-pk").values_list("pk", "published_at")
        sql, arm_params = newest[: window.stop].query.sql_with_params()
        arms.append(f"SELECT {kind} AS kind, * FROM ({sql}) AS arm{kind}")
        params.extend(arm_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(arms) + " ORDER BY 3 DESC, 2 DESC LIMIT %s OFFSET %s",
            [*params, window.stop - window.start, window.start],
        )
        return [(kind, pk) for kind, pk, _published in cursor.fetchall()]


def compiled(querysets: list[QuerySet]) -> tuple[list[str], list]:
    """Each queryset's SQL in parentheses, and all their parameters in order."""
    parts, params = [], []
    for queryset in querysets:
        sql, query_params = queryset.query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(query_params)
    return parts, params


def fetch_row(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchone())


def as_moment(value: str | dt.datetime | None) -> dt.datetime | None:
    """A datetime column read by `one_row`/`first_values`: SQLite hands back a subquery's
    datetime as text, naive and in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value
