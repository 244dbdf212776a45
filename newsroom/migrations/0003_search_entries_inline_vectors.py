"""The entry functions compute an item's vector in their own statement, not by calling the kind's
vector function once per item.

A SQL function taking a row and reading from other tables is not inlined: each call went
through the function executor, which cost about a third as much as the words' parsing itself
when an import writes many entries at once. The expressions are those of the vector functions
(articles 0005, briefings 0003), which stay for the migrations that use them, so the entries
hold exactly what they held.
"""

import importlib

from django.db import migrations

from publishing.postgresql_only import on_postgresql

entries = importlib.import_module("newsroom.migrations.0002_search_entries")

# Title A, standfirst B, excerpt and editor's note C, figure captions D: articles 0005.
ARTICLE_VECTOR = """setweight(to_tsvector(config.cfg, coalesce(item.title, '')), 'A')
    || setweight(to_tsvector(config.cfg, coalesce(item.standfirst, '')), 'B')
    || setweight(to_tsvector(config.cfg, concat_ws(' ', item.excerpt, item.editor_note)), 'C')
    || setweight(to_tsvector(config.cfg, coalesce((
        SELECT string_agg(f.caption, ' ') FROM articles_articlefigure f
        WHERE f.article_id = item.id), '')), 'D')"""

# Title A, series and section titles B, bullets C, the lead figure's caption D: briefings 0003.
BRIEFING_VECTOR = """setweight(to_tsvector(config.cfg, coalesce(item.title, '')), 'A')
    || setweight(to_tsvector(config.cfg, concat_ws(' ', item.series, (
        SELECT string_agg(s.title, ' ') FROM briefings_section s
        WHERE s.briefing_id = item.id))), 'B')
    || setweight(to_tsvector(config.cfg, coalesce((
        SELECT string_agg(t.text, ' ') FROM briefings_bullet t
        WHERE t.briefing_id = item.id), '')), 'C')
    || setweight(to_tsvector(config.cfg, coalesce((
        SELECT f.caption FROM briefings_figure f WHERE f.briefing_id = item.id), '')), 'D')"""

# The item's text search configuration, once per row.
CONFIG = "CROSS JOIN LATERAL (SELECT newsroom_search_config(item.language) AS cfg) config"


def replaced(function: str) -> str:
    return function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def entries_function(kind: str, table: str, vector: str, text: str) -> str:
    select = (
        f"SELECT '{kind}', item.id, item.status, item.published_at, item.language, "
        f"{vector}, {entries.plain_opening(text)} FROM {table} item {CONFIG}"
    )
    return replaced(entries.entries_function(kind, select))


FORWARD = [
    entries_function("article", "articles_article", ARTICLE_VECTOR, entries.ARTICLE_TEXT),
    entries_function("briefing", "briefings_briefing", BRIEFING_VECTOR, entries.BRIEFING_TEXT),
]

BACKWARD = [replaced(entries.ARTICLE_ENTRIES), replaced(entries.BRIEFING_ENTRIES)]


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_search_entries"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
