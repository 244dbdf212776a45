"""SQLite's full-text search: an FTS5 index per kind, and triggers that keep it and the search
entries current whatever writes an item or one of its parts, as PostgreSQL's do (0002).

Each kind's index (`search_fts_article`, `search_fts_briefing`, the item's id as rowid) holds
the plain text of four columns ranked as PostgreSQL weighs them: the title, a heading (an
excerpt's standfirst; a briefing's series and section titles), the body (excerpt and editor's
note; bullets) and figure captions. Plain text, as snippets are cut from it: the triggers read
the rendered HTML through `newsroom_plain_text()` (search/sqlite_functions.py registers it on
every connection). The entries hold what `published()` asks; their vector and snippet source
stay empty on SQLite.

Words are read by `porter unicode61 remove_diacritics 2`: English stemming, accents and
umlauts folded, for every language; German is found by prefix (public/search_syntax.py).
Row triggers rewrite an item's entry at each write of it or of one of its parts.
"""

from django.db import migrations

from publishing.postgresql_only import on_sqlite

TOKENIZE = "porter unicode61 remove_diacritics 2"

ITEMS = {"article": "articles_article", "briefing": "briefings_briefing"}


def joined(select: str) -> str:
    """The values `select` gives, in its order, joined by spaces ('' when it gives none)."""
    return f"coalesce((SELECT group_concat(value, ' ') FROM ({select})), '')"


# Each column of a kind's index, as SQL over the item row `item`.
COLUMNS = {
    "article": {
        "title": "item.title",
        "heading": "newsroom_plain_text(item.standfirst_html)",
        "body": "newsroom_plain_text(item.excerpt_html || ' ' || item.editor_note_html)",
        "captions": joined(
            "SELECT caption AS value FROM articles_articlefigure"
            " WHERE article_id = item.id ORDER BY position, id"
        ),
    },
    "briefing": {
        "title": "item.title",
        "heading": "item.series || ' ' || "
        + joined(
            "SELECT title AS value FROM briefings_section"
            " WHERE briefing_id = item.id ORDER BY position, id"
        ),
        "body": "newsroom_plain_text("
        + joined(
            "SELECT text_html AS value FROM briefings_bullet"
            " WHERE briefing_id = item.id ORDER BY position, id"
        )
        + ")",
        "captions": joined(
            "SELECT caption AS value FROM briefings_figure WHERE briefing_id = item.id"
        ),
    },
}

# The tables whose rows are parts of an item, by the column naming their item.
PARTS = {
    "article": {"articles_articlefigure": "article_id"},
    "briefing": {
        "briefings_section": "briefing_id",
        "briefings_bullet": "briefing_id",
        "briefings_figure": "briefing_id",
    },
}


def index_table(kind: str) -> str:
    columns = ", ".join(COLUMNS[kind])
    return (
        f"CREATE VIRTUAL TABLE search_fts_{kind} USING fts5({columns}, tokenize = '{TOKENIZE}')"
    )


def writes(kind: str, where: str) -> list[str]:
    """The statements writing the index rows and entries of the items of `kind` `where` says."""
    columns = COLUMNS[kind]
    return [
        f"INSERT INTO search_fts_{kind} (rowid, {', '.join(columns)})"
        f" SELECT item.id, {', '.join(columns.values())} FROM {ITEMS[kind]} item WHERE {where}",
        "INSERT INTO search_searchentry"
        " (kind, item_id, status, published_at, language, vector, snippet_source)"
        f" SELECT '{kind}', item.id, item.status, item.published_at, item.language, '', ''"
        f" FROM {ITEMS[kind]} item WHERE {where}",
    ]


def rewrite(kind: str, item_id: str) -> str:
    """Trigger statements: the entry of the item `item_id` of `kind` dropped and written again
    from its rows, if it still exists."""
    statements = [
        f"DELETE FROM search_fts_{kind} WHERE rowid = {item_id}",
        f"DELETE FROM search_searchentry WHERE kind = '{kind}' AND item_id = {item_id}",
        *writes(kind, f"item.id = {item_id}"),
    ]
    return "".join(f"{statement};\n" for statement in statements)


def trigger(table: str, name: str, event: str, body: str, when: str = "") -> str:
    return (
        f"CREATE TRIGGER {table}_search_{name} AFTER {event} ON {table} FOR EACH ROW{when}"
        f" BEGIN\n{body}END"
    )


def triggers(kind: str, table: str, column: str) -> list[str]:
    """Triggers on `table`, whose `column` names the item of `kind` a row belongs to."""
    made = [
        trigger(table, "insert", "INSERT", rewrite(kind, f"NEW.{column}")),
        trigger(table, "update", "UPDATE", rewrite(kind, f"NEW.{column}")),
        trigger(table, "delete", "DELETE", rewrite(kind, f"OLD.{column}")),
    ]
    if column != "id":  # a part moved to another item: the item it left changes too
        moved = f" WHEN OLD.{column} IS NOT NEW.{column}"
        made.append(
            trigger(table, "move", f"UPDATE OF {column}", rewrite(kind, f"OLD.{column}"), moved)
        )
    return made


def forward_statements() -> list[str]:
    statements = []
    for kind, table in ITEMS.items():
        statements += [index_table(kind), *triggers(kind, table, "id")]
        for part, column in PARTS[kind].items():
            statements += triggers(kind, part, column)
        statements += writes(kind, "1")  # the items already written
    return statements


def backward_statements() -> list[str]:
    statements = []
    for kind, table in ITEMS.items():
        for triggered in [table, *PARTS[kind]]:
            statements += [
                f"DROP TRIGGER IF EXISTS {triggered}_search_{name}"
                for name in ("insert", "update", "delete", "move")
            ]
        statements.append(f"DROP TABLE search_fts_{kind}")
    return [*statements, "DELETE FROM search_searchentry"]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_entries_kept_by_triggers"),
        ("articles", "0003_dateline"),
        ("briefings", "0003_import_identity_and_review_reasons"),
    ]

    operations = [
        migrations.RunPython(on_sqlite(forward_statements()), on_sqlite(backward_statements())),
    ]
