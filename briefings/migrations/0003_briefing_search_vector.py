"""A stored, weighted full-text vector on each briefing, kept current by PostgreSQL triggers.

A briefing's text lives mostly in its bullets, sections and lead figure, which the importer
inserts with `bulk_create` after the briefing: triggers on those tables recompute the vector of
each briefing a statement touched, once per statement. See articles 0005 for why triggers, and
for `newsroom_search_config`. On SQLite the column exists and stays empty.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from publishing.postgresql_only import on_postgresql

# Title A, series and section titles B, bullets C, the lead figure's caption D.
VECTOR_FUNCTION = """
CREATE FUNCTION briefings_briefing_search_vector(b briefings_briefing) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(cfg, coalesce(b.title, '')), 'A')
        || setweight(to_tsvector(cfg, concat_ws(' ', b.series, (
            SELECT string_agg(s.title, ' ') FROM briefings_section s
            WHERE s.briefing_id = b.id))), 'B')
        || setweight(to_tsvector(cfg, coalesce((
            SELECT string_agg(t.text, ' ') FROM briefings_bullet t
            WHERE t.briefing_id = b.id), '')), 'C')
        || setweight(to_tsvector(cfg, coalesce((
            SELECT f.caption FROM briefings_figure f WHERE f.briefing_id = b.id), '')), 'D')
    FROM newsroom_search_config(b.language) AS cfg
$$
"""

ROW_TRIGGER = [
    """
    CREATE FUNCTION briefings_briefing_search_vector_row() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := briefings_briefing_search_vector(NEW);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER briefings_briefing_search_vector
    BEFORE INSERT OR UPDATE OF title, series, language
    ON briefings_briefing FOR EACH ROW EXECUTE FUNCTION briefings_briefing_search_vector_row()
    """,
]

PART_FUNCTION = """
CREATE FUNCTION briefings_part_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        touched := ARRAY(SELECT briefing_id FROM new_parts);
    ELSIF TG_OP = 'DELETE' THEN
        touched := ARRAY(SELECT briefing_id FROM old_parts);
    ELSE
        touched := ARRAY(SELECT briefing_id FROM new_parts
                         UNION SELECT briefing_id FROM old_parts);
    END IF;
    UPDATE briefings_briefing b SET search_vector = briefings_briefing_search_vector(b)
    WHERE b.id = ANY(touched);
    RETURN NULL;
END
$$
"""

PART_TABLES = ("briefings_section", "briefings_bullet", "briefings_figure")


def part_triggers(table: str) -> list[str]:
    """Three triggers, as PostgreSQL allows transition tables on one event per trigger."""
    run = "FOR EACH STATEMENT EXECUTE FUNCTION briefings_part_search_vector()"
    return [
        f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_parts {run}",
        f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} "
        f"REFERENCING OLD TABLE AS old_parts NEW TABLE AS new_parts {run}",
        f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} "
        f"REFERENCING OLD TABLE AS old_parts {run}",
    ]


FORWARD = [
    VECTOR_FUNCTION,
    *ROW_TRIGGER,
    PART_FUNCTION,
    *[trigger for table in PART_TABLES for trigger in part_triggers(table)],
    "UPDATE briefings_briefing b SET search_vector = briefings_briefing_search_vector(b)",
    "CREATE INDEX briefing_search_vector ON briefings_briefing USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX briefing_search_vector",
    "DROP FUNCTION briefings_part_search_vector() CASCADE",
    "DROP FUNCTION briefings_briefing_search_vector_row() CASCADE",
    "DROP FUNCTION briefings_briefing_search_vector(briefings_briefing)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_search_vector"),
        ("briefings", "0002_import_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="briefing",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # The GIN index is PostgreSQL's; FORWARD creates it there, SQLite has none.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="briefing",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="briefing_search_vector"
                    ),
                ),
            ],
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
