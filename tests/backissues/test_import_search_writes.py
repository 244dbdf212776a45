"""An import merges its search entries into the GIN indexes in bulk, and leaves them as it found
them: taking each write at once, with nothing pending."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from backissues.writing.search_index import bulk_search_writes, partition_indexes
from tests.support.paths import FIXTURES

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

GOOD = FIXTURES / "import" / "text" / "issue-2021-05-09.txt"


def fastupdate() -> dict[str, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_class c"
            " WHERE c.oid = ANY(%s::regclass[]) ORDER BY 1",
            [partition_indexes()],
        )
        return {name: "fastupdate=off" not in options for name, options in cursor.fetchall()}


def found(kind: str, words: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM newsroom_searchentry"
            " WHERE kind = %s AND vector @@ plainto_tsquery('english', %s)",
            [kind, words],
        )
        return cursor.fetchone()[0]


def test_each_kind_has_its_index():
    assert len(partition_indexes()) == 2


def test_entries_written_meanwhile_are_found_and_the_indexes_take_writes_at_once_after():
    assert set(fastupdate().values()) == {False}
    with bulk_search_writes():
        assert set(fastupdate().values()) == {True}
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO newsroom_searchentry VALUES ('article', 1, 'published', now(), 'en',"
                " to_tsvector('english', 'ferries crossing the strait'), 'Ferries')"
            )
        assert found("article", "ferry strait") == 1
    assert set(fastupdate().values()) == {False}
    assert found("article", "ferry strait") == 1


def test_an_import_leaves_the_indexes_taking_writes_at_once():
    call_command("import_backissues", str(GOOD), stdout=StringIO(), stderr=StringIO())
    assert set(fastupdate().values()) == {False}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM newsroom_searchentry")
        assert cursor.fetchone()[0] > 0
