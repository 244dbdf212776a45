"""Several one-row queries answered in one round trip to the database."""

import datetime as dt

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def one_row(querysets: list[QuerySet]) -> list:
    """The columns of each queryset's single row, all in order, from one query. Each
    queryset must give exactly one row, as an aggregate without grouping does. Datetimes may
    come back as text: read them with `as_moment`."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, query_params = queryset.query.sql_with_params()
        parts.append(f"({sql}) AS part{number}")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM " + " CROSS JOIN ".join(parts), params)
        return list(cursor.fetchone())


def first_values(querysets: list[QuerySet]) -> list:
    """The one column of each queryset's first row, or None where it has none, in one query
    of scalar subqueries (each an index probe when the queryset is ordered by an index).
    Datetimes may come back as text: read them with `as_moment`."""
    parts, params = [], []
    for queryset in querysets:
        sql, query_params = queryset[:1].query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


def as_moment(value: str | dt.datetime | None) -> dt.datetime | None:
    """A datetime column read by `one_row`/`first_values`: SQLite hands back a subquery's
    datetime as text, naive and in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value
