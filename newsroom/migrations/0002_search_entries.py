"""Search reads one narrow table of entries, one per item of either kind, that triggers keep.

An entry holds what a search reads: the item's weighted vector, its status, publication date
and language, and the opening of its plain text, from which snippets are made. A search used
to read the vectors in the items' own wide rows and to assemble snippets from the items'
parts on each request; now it reads one table holding only what it needs.

Statement triggers on the items and on every table whose text goes into an entry (bullets,
sections, figures, an excerpt's figures) rewrite the entries of the items a statement touched,
once per statement, so bulk inserts of the importer cost one rewrite per item. The vectors are
weighted as before (see articles 0005 and briefings 0003, whose vector functions are reused);
the items' own vector columns and the triggers filling them go (articles 0008, briefings 0007).
On SQLite the table exists and stays empty.
"""

import importlib

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from publishing.postgresql_only import on_postgresql

# The opening of an item's plain text kept for snippets; public.search.SNIPPET_SOURCE_LENGTH.
SNIPPET_SOURCE_LENGTH = 1000

ENTRY_COLUMNS = "kind, item_id, status, published_at, language, vector, snippet_source"


def entries_function(kind: str, select: str) -> str:
    """A function writing the entries of the items of `kind` with the given ids: `select`
    gives their columns, in the order of ENTRY_COLUMNS, from rows of the items named `item`."""
    return f"""
    CREATE FUNCTION newsroom_write_{kind}_entries(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO newsroom_searchentry ({ENTRY_COLUMNS}) {select} WHERE item.id = ANY(ids)
        ON CONFLICT (kind, item_id) DO UPDATE SET
            status = EXCLUDED.status, published_at = EXCLUDED.published_at,
            language = EXCLUDED.language, vector = EXCLUDED.vector,
            snippet_source = EXCLUDED.snippet_source
    $$
    """


def plain_opening(html: str) -> str:
    """The opening of `html` without its tags; entities are decoded when a snippet is shown."""
    return f"left(regexp_replace({html}, '<[^>]*>', ' ', 'g'), {SNIPPET_SOURCE_LENGTH})"


ARTICLE_TEXT = """concat_ws(' ', item.standfirst_html, item.excerpt_html, item.editor_note_html,
    (SELECT string_agg(f.caption, ' ' ORDER BY f.position, f.id)
     FROM articles_articlefigure f WHERE f.article_id = item.id))"""

BRIEFING_TEXT = """concat_ws(' ',
    (SELECT string_agg(t.text_html, ' ' ORDER BY t.position, t.id)
     FROM briefings_bullet t WHERE t.briefing_id = item.id),
    (SELECT f.caption FROM briefings_figure f WHERE f.briefing_id = item.id))"""

ARTICLE_ENTRIES = entries_function(
    "article",
    "SELECT 'article', item.id, item.status, item.published_at, item.language, "
    f"articles_article_search_vector(item), {plain_opening(ARTICLE_TEXT)} "
    "FROM articles_article item",
)

BRIEFING_ENTRIES = entries_function(
    "briefing",
    "SELECT 'briefing', item.id, item.status, item.published_at, item.language, "
    f"briefings_briefing_search_vector(item), {plain_opening(BRIEFING_TEXT)} "
    "FROM briefings_briefing item",
)


def touched_by_statement(column: str, write: str) -> str:
    """The body of a statement trigger: `write` the entries of the ids in `column` of the
    statement's transition tables (new_rows, old_rows, whichever the event has)."""
    return f"""
    DECLARE
        touched bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            touched := ARRAY(SELECT {column} FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN
            touched := ARRAY(SELECT {column} FROM old_rows);
        ELSE
            touched := ARRAY(SELECT {column} FROM new_rows UNION SELECT {column} FROM old_rows);
        END IF;
        PERFORM {write}(touched);
        RETURN NULL;
    END
    """


def statement_triggers(table: str, function: str, events=("INSERT", "UPDATE", "DELETE")):
    """One trigger per event, as PostgreSQL allows transition tables on one event per trigger."""
    tables = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    return [
        f"CREATE TRIGGER {table}_search_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {tables[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for event in events
    ]


def trigger_function(name: str, column: str, write: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f"{touched_by_statement(column, write)}$$"
    )


DROP_ENTRIES = """
CREATE FUNCTION newsroom_drop_search_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM newsroom_searchentry e USING old_rows o
    WHERE e.kind = TG_ARGV[0] AND e.item_id = o.id;
    RETURN NULL;
END
$$
"""

ITEMS = {"article": "articles_article", "briefing": "briefings_briefing"}
PARTS = {
    "article": {"articles_articlefigure": "article_id"},
    "briefing": {
        "briefings_section": "briefing_id",
        "briefings_bullet": "briefing_id",
        "briefings_figure": "briefing_id",
    },
}

# The triggers that wrote the items' own vectors, and the functions they ran.
OLD_TRIGGER_FUNCTIONS = [
    "articles_article_search_vector_row()",
    "articles_articlefigure_search_vector()",
    "briefings_briefing_search_vector_row()",
    "briefings_part_search_vector()",
]


# On PostgreSQL the table is split by kind, so that the planner keeps statistics of each kind's
# words: a briefing holds many more words than an excerpt, and with both in one set of
# statistics a common word looked rare among briefings, which were then read from the GIN index
# in full instead of newest first. The table CreateModel made is still empty; the indexes it
# defers to the end of the migration are made on the partitioned table and so on each part.
PARTITIONED_TABLE = [
    "DROP TABLE newsroom_searchentry",
    """
    CREATE TABLE newsroom_searchentry (
        kind varchar(10) NOT NULL,
        item_id bigint NOT NULL,
        status varchar(10) NOT NULL,
        published_at timestamp with time zone NOT NULL,
        language varchar(8) NOT NULL,
        vector tsvector NOT NULL,
        snippet_source text NOT NULL,
        CONSTRAINT newsroom_searchentry_pkey PRIMARY KEY (kind, item_id)
    ) PARTITION BY LIST (kind)
    """,
    *(
        f"CREATE TABLE newsroom_searchentry_{kind} PARTITION OF newsroom_searchentry"
        f" FOR VALUES IN ('{kind}')"
        for kind in ITEMS
    ),
]


def forward_statements() -> list[str]:
    statements = [
        *(f"DROP FUNCTION {function} CASCADE" for function in OLD_TRIGGER_FUNCTIONS),
        *PARTITIONED_TABLE,
        # Vectors are read in the row, and the GIN index takes writes at once: see articles 0007.
        "ALTER TABLE newsroom_searchentry ALTER COLUMN vector SET STORAGE MAIN",
        "CREATE INDEX search_entry_vector ON newsroom_searchentry USING gin (vector)"
        " WITH (fastupdate = off)",
        ARTICLE_ENTRIES,
        BRIEFING_ENTRIES,
        DROP_ENTRIES,
    ]
    for kind, table in ITEMS.items():
        write = f"newsroom_write_{kind}_entries"
        statements += [
            trigger_function(f"{table}_search_entry", "id", write),
            *statement_triggers(table, f"{table}_search_entry", ("INSERT", "UPDATE")),
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} "
            "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION newsroom_drop_search_entries('{kind}')",
            f"SELECT {write}(ARRAY(SELECT id FROM {table}))",
        ]
        for part, column in PARTS[kind].items():
            statements += [
                trigger_function(f"{part}_search_entry", column, write),
                *statement_triggers(part, f"{part}_search_entry"),
            ]
    statements.append("ANALYZE newsroom_searchentry")
    return statements


def backward_statements() -> list[str]:
    """The items' vector triggers as articles 0005 and briefings 0003 made them."""
    articles = importlib.import_module("articles.migrations.0005_article_search_vector")
    briefings = importlib.import_module("briefings.migrations.0003_briefing_search_vector")
    statements = [
        f"DROP FUNCTION {table}_search_entry() CASCADE"
        for kind, table in ITEMS.items()
        for table in [table, *PARTS[kind]]
    ]
    statements += [
        "DROP FUNCTION newsroom_drop_search_entries() CASCADE",
        "DROP FUNCTION newsroom_write_article_entries(bigint[])",
        "DROP FUNCTION newsroom_write_briefing_entries(bigint[])",
        *articles.ROW_TRIGGER,
        *articles.FIGURE_TRIGGERS,
        *briefings.ROW_TRIGGER,
        briefings.PART_FUNCTION,
        *[trigger for table in briefings.PART_TABLES for trigger in briefings.part_triggers(table)],
        "UPDATE articles_article a SET search_vector = articles_article_search_vector(a)",
        "UPDATE briefings_briefing b SET search_vector = briefings_briefing_search_vector(b)",
    ]
    return statements


def forward(apps, schema_editor):
    on_postgresql(forward_statements())(apps, schema_editor)


def backward(apps, schema_editor):
    on_postgresql(backward_statements())(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_renamed_tag"),
        ("articles", "0007_search_reads_vectors_inline"),
        ("briefings", "0006_search_reads_vectors_inline"),
    ]

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
        # The GIN index is PostgreSQL's; `forward` creates it there, SQLite has none.
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
        migrations.RunPython(forward, backward),
    ]
