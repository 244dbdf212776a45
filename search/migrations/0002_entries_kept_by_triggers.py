"""PostgreSQL triggers write the search entries, whatever writes an item or one of its parts.

Statement triggers on the items and on every table whose text goes into an entry (bullets,
sections, figures, an excerpt's figures) rewrite the entries of the items a statement touched,
once per statement, so bulk inserts of the importer cost one rewrite per item. Triggers rather
than a refresh in Python: the importer inserts with `bulk_create`, editors save through the
admin, and a figure's caption changes its item's entry; a trigger sees every one of those.

The entry functions compute an item's vector in their own statement: a SQL function taking a
row and reading from other tables is not inlined, and calling one per item cost about a third
as much as parsing the words when an import writes many entries at once.
"""

from django.db import migrations

from publishing.postgresql_only import on_postgresql

# The opening of an item's plain text kept for snippets; public.search.SNIPPET_SOURCE_LENGTH.
SNIPPET_SOURCE_LENGTH = 1000

ENTRY_COLUMNS = "kind, item_id, status, published_at, language, vector, snippet_source"

# Title A, standfirst B, excerpt and editor's note C, figure captions D.
ARTICLE_VECTOR = """setweight(to_tsvector(config.cfg, coalesce(item.title, '')), 'A')
    || setweight(to_tsvector(config.cfg, coalesce(item.standfirst, '')), 'B')
    || setweight(to_tsvector(config.cfg, concat_ws(' ', item.excerpt, item.editor_note)), 'C')
    || setweight(to_tsvector(config.cfg, coalesce((
        SELECT string_agg(f.caption, ' ') FROM articles_articlefigure f
        WHERE f.article_id = item.id), '')), 'D')"""

# Title A, series and section titles B, bullets C, the lead figure's caption D.
BRIEFING_VECTOR = """setweight(to_tsvector(config.cfg, coalesce(item.title, '')), 'A')
    || setweight(to_tsvector(config.cfg, concat_ws(' ', item.series, (
        SELECT string_agg(s.title, ' ') FROM briefings_section s
        WHERE s.briefing_id = item.id))), 'B')
    || setweight(to_tsvector(config.cfg, coalesce((
        SELECT string_agg(t.text, ' ') FROM briefings_bullet t
        WHERE t.briefing_id = item.id), '')), 'C')
    || setweight(to_tsvector(config.cfg, coalesce((
        SELECT f.caption FROM briefings_figure f WHERE f.briefing_id = item.id), '')), 'D')"""

ARTICLE_TEXT = """concat_ws(' ', item.standfirst_html, item.excerpt_html, item.editor_note_html,
    (SELECT string_agg(f.caption, ' ' ORDER BY f.position, f.id)
     FROM articles_articlefigure f WHERE f.article_id = item.id))"""

BRIEFING_TEXT = """concat_ws(' ',
    (SELECT string_agg(t.text_html, ' ' ORDER BY t.position, t.id)
     FROM briefings_bullet t WHERE t.briefing_id = item.id),
    (SELECT f.caption FROM briefings_figure f WHERE f.briefing_id = item.id))"""

# The item's text search configuration (migration 0001), once per row.
CONFIG = "CROSS JOIN LATERAL (SELECT newsroom_search_config(item.language) AS cfg) config"

ITEMS = {"article": "articles_article", "briefing": "briefings_briefing"}
VECTORS = {"article": ARTICLE_VECTOR, "briefing": BRIEFING_VECTOR}
TEXTS = {"article": ARTICLE_TEXT, "briefing": BRIEFING_TEXT}
PARTS = {
    "article": {"articles_articlefigure": "article_id"},
    "briefing": {
        "briefings_section": "briefing_id",
        "briefings_bullet": "briefing_id",
        "briefings_figure": "briefing_id",
    },
}


def plain_opening(html: str) -> str:
    """The opening of `html` without its tags; entities are decoded when a snippet is shown."""
    return f"left(regexp_replace({html}, '<[^>]*>', ' ', 'g'), {SNIPPET_SOURCE_LENGTH})"


def entries_function(kind: str) -> str:
    """A function writing the entries of the items of `kind` with the given ids."""
    select = (
        f"SELECT '{kind}', item.id, item.status, item.published_at, item.language, "
        f"{VECTORS[kind]}, {plain_opening(TEXTS[kind])} FROM {ITEMS[kind]} item {CONFIG}"
    )
    return f"""
    CREATE FUNCTION newsroom_write_{kind}_entries(ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO search_searchentry ({ENTRY_COLUMNS}) {select} WHERE item.id = ANY(ids)
        ON CONFLICT (kind, item_id) DO UPDATE SET
            status = EXCLUDED.status, published_at = EXCLUDED.published_at,
            language = EXCLUDED.language, vector = EXCLUDED.vector,
            snippet_source = EXCLUDED.snippet_source
    $$
    """


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


def trigger_function(name: str, column: str, write: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f"{touched_by_statement(column, write)}$$"
    )


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


DROP_ENTRIES = """
CREATE FUNCTION newsroom_drop_search_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_searchentry e USING old_rows o
    WHERE e.kind = TG_ARGV[0] AND e.item_id = o.id;
    RETURN NULL;
END
$$
"""


def forward_statements() -> list[str]:
    statements = [*(entries_function(kind) for kind in ITEMS), DROP_ENTRIES]
    for kind, table in ITEMS.items():
        write = f"newsroom_write_{kind}_entries"
        statements += [
            trigger_function(f"{table}_search_entry", "id", write),
            *statement_triggers(table, f"{table}_search_entry", ("INSERT", "UPDATE")),
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} "
            "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION newsroom_drop_search_entries('{kind}')",
        ]
        for part, column in PARTS[kind].items():
            statements += [
                trigger_function(f"{part}_search_entry", column, write),
                *statement_triggers(part, f"{part}_search_entry"),
            ]
    return statements


def backward_statements() -> list[str]:
    return [
        *(
            f"DROP FUNCTION {table}_search_entry() CASCADE"
            for kind, table in ITEMS.items()
            for table in [table, *PARTS[kind]]
        ),
        "DROP FUNCTION newsroom_drop_search_entries() CASCADE",
        *(f"DROP FUNCTION newsroom_write_{kind}_entries(bigint[])" for kind in ITEMS),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("articles", "0001_initial"),
        ("briefings", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            on_postgresql(forward_statements()), on_postgresql(backward_statements())
        ),
    ]
