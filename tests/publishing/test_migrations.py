import ast
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from people.back_issue_publications import PUBLICATIONS
from people.models import Publication
from tests.support.factories import ArticleFactory, BulletFactory

pytestmark = pytest.mark.django_db

OUR_APPS = [
    config
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR)
]

# The tables whose text goes into an item's search entry, and the triggers that rewrite it.
SEARCHED_TABLES = {
    "articles_article": {"insert", "update", "delete"},
    "articles_articlefigure": {"insert", "update", "delete"},
    "briefings_briefing": {"insert", "update", "delete"},
    "briefings_section": {"insert", "update", "delete"},
    "briefings_bullet": {"insert", "update", "delete"},
    "briefings_figure": {"insert", "update", "delete"},
}


def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return names


def test_no_migration_reads_another_migration():
    """A migration says what it does in itself: one reading another breaks once that one is
    squashed away."""
    migrations = [
        path for config in OUR_APPS for path in (Path(config.path) / "migrations").glob("[0-9]*.py")
    ]
    assert migrations
    for path in migrations:
        modules = imported_modules(path)
        assert "importlib" not in modules, path
        assert not any(".migrations" in module for module in modules), path


def test_a_migrated_database_holds_the_back_issue_publications():
    found = Publication.objects.values_list("name", "homepage", "aliases")
    assert set(found) == {(name, home, "\n".join(aka)) for name, home, aka in PUBLICATIONS}


def search_triggers() -> dict[str, set[str]]:
    """{table: the events whose triggers rewrite search entries}, on either database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table, lower(event_manipulation)"
                " FROM information_schema.triggers WHERE trigger_name LIKE '%%_search_%%'"
            )
            found = cursor.fetchall()
        else:
            cursor.execute(
                "SELECT tbl_name, sql FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE '%%_search_%%'"
            )
            event = re.compile(r"AFTER (INSERT|UPDATE|DELETE)")
            found = [(table, event.search(sql)[1].lower()) for table, sql in cursor.fetchall()]
    triggers: dict[str, set[str]] = {}
    for table, event in found:
        triggers.setdefault(table, set()).add(event)
    return triggers


def test_search_triggers_follow_every_table_an_entry_reads():
    assert search_triggers() == SEARCHED_TABLES


@pytest.mark.postgresql
def test_search_entries_are_split_by_kind():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits"
            " WHERE inhparent = 'search_searchentry'::regclass ORDER BY 1"
        )
        assert cursor.fetchall() == [
            ("search_searchentry_article",),
            ("search_searchentry_briefing",),
        ]


def test_a_bullet_is_kept_in_its_sections_briefing_by_the_database():
    """The rule's enforcement is tested in test_item_parts; here, that the migrations make it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname FROM pg_constraint"
                " WHERE conrelid = 'briefings_bullet'::regclass AND contype = 'f'"
            )
            names = {name for (name,) in cursor.fetchall()}
            assert "bullet_in_its_sections_briefing" in names
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'trigger' AND name NOT LIKE '%%_search_%%'"
            )
            assert {name for (name,) in cursor.fetchall()} == {
                "bullet_in_its_sections_briefing_insert",
                "bullet_in_its_sections_briefing_update",
                "section_takes_its_bullets_along",
            }


@pytest.mark.django_db(transaction=True)
def test_items_written_before_the_search_migrations_are_found(client):
    ArticleFactory(title="Ports", excerpt="Grain shipments resumed.")
    BulletFactory(briefing__title="Levant", text="A ceasefire held.")
    call_command("migrate", "search", "0002", verbosity=0)
    try:
        call_command("migrate", "search", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)
    found = client.get("/search/", {"q": "grain or ceasefire"}).context["page"].items
    assert sorted(item.title for item in found) == ["Levant", "Ports"]
