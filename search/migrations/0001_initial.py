"""The search entries' table: one narrow row per item of either kind, which search reads.

On PostgreSQL the table is split by kind, so that the planner keeps statistics of each kind's
words: a briefing holds many more words than an excerpt, and with both in one set of
statistics a common word looked rare among briefings, which were then read from the GIN index
in full instead of newest first. The vectors are stored in the row (storage MAIN), so testing
and ranking one costs no lookup in a second table; and the GIN index takes each write at once
(`fastupdate` off), so that no search reads through a list of pending entries (an import turns
it on for its run: backissues/writing/search_index.py). On SQLite the table is plain; migration
0003 gives it an FTS5 index beside it.

Migration 0002 makes the triggers that write the entries.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from publishing.postgresql_only import on_postgresql

KINDS = ("article", "briefing")

# The table CreateModel made is still empty; the indexes it defers to the end of the migration
# are made on the partitioned table, and so on each part.
PARTITIONED_TABLE = [
    "DROP TABLE search_searchentry",
    """
    CREATE TABLE search_searchentry (
        kind varchar(10) NOT NULL,
        item_id bigint NOT NULL,
        status varchar(10) NOT NULL,
        published_at timestamp with time zone NOT NULL,
        language varchar(8) NOT NULL,
        vector tsvector NOT NULL,
        snippet_source text NOT NULL,
        CONSTRAINT search_searchentry_pkey PRIMARY KEY (kind, item_id)
    ) PARTITION BY LIST (kind)
    """,
    *(
        f"CREATE TABLE search_searchentry_{kind} PARTITION OF search_searchentry"
        f" FOR VALUES IN ('{kind}')"
        for kind in KINDS
    ),
    "ALTER TABLE search_searchentry ALTER COLUMN vector SET STORAGE MAIN",
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)"
    " WITH (fastupdate = off)",
]

# The text search configuration of an item's language; public.search.SEARCH_CONFIGS agrees.
CONFIG_FUNCTION = """
CREATE FUNCTION newsroom_search_config(language text) RETURNS regconfig
LANGUAGE sql STABLE AS $$
    SELECT (CASE language
        WHEN 'en' THEN 'english' WHEN 'de' THEN 'german'
        WHEN 'fr' THEN 'french' WHEN 'tr' THEN 'turkish'
        ELSE 'simple' END)::regconfig
$$
"""

FORWARD = [*PARTITIONED_TABLE, CONFIG_FUNCTION]

# The table itself goes with CreateModel's undoing.
BACKWARD = ["DROP FUNCTION newsroom_search_config(text)"]


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "kind",
                        "item_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("kind", models.CharField(max_length=10)),
                ("item_id", models.BigIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")], max_length=10
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("language", models.CharField(max_length=8)),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
                ("snippet_source", models.TextField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["kind", "status", "-published_at"], name="search_entry_pub"
                    ),
                    models.Index(
                        fields=["kind", "language", "status", "-published_at"],
                        name="search_entry_lang_pub",
                    ),
                ],
            },
        ),
        # The GIN index is PostgreSQL's; FORWARD creates it there, SQLite has none.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="searchentry",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["vector"], name="search_entry_vector"
                    ),
                ),
            ],
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
