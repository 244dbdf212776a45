"""A stored, weighted full-text vector on each excerpt, kept current by PostgreSQL triggers.

Triggers rather than a refresh in Python: the importer inserts with `bulk_create`, editors save
through the admin, and a figure's caption changes the vector of its article; a trigger sees
every one of those writes. The figure triggers run once per statement, so a bulk insert of
many figures recomputes each article once. On SQLite the column exists and stays empty.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from publishing.postgresql_only import on_postgresql

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

# Title A, standfirst B, excerpt and editor's note C, figure captions D.
VECTOR_FUNCTION = """
CREATE FUNCTION articles_article_search_vector(a articles_article) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(cfg, coalesce(a.title, '')), 'A')
        || setweight(to_tsvector(cfg, coalesce(a.standfirst, '')), 'B')
        || setweight(to_tsvector(cfg, concat_ws(' ', a.excerpt, a.editor_note)), 'C')
        || setweight(to_tsvector(cfg, coalesce((
            SELECT string_agg(f.caption, ' ') FROM articles_articlefigure f
            WHERE f.article_id = a.id), '')), 'D')
    FROM newsroom_search_config(a.language) AS cfg
$$
"""

ROW_TRIGGER = [
    """
    CREATE FUNCTION articles_article_search_vector_row() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := articles_article_search_vector(NEW);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, standfirst, excerpt, editor_note, language
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_row()
    """,
]

FIGURE_TRIGGERS = [
    """
    CREATE FUNCTION articles_articlefigure_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        touched bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            touched := ARRAY(SELECT article_id FROM new_parts);
        ELSIF TG_OP = 'DELETE' THEN
            touched := ARRAY(SELECT article_id FROM old_parts);
        ELSE
            touched := ARRAY(SELECT article_id FROM new_parts
                             UNION SELECT article_id FROM old_parts);
        END IF;
        UPDATE articles_article a SET search_vector = articles_article_search_vector(a)
        WHERE a.id = ANY(touched);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_articlefigure_search_insert AFTER INSERT ON articles_articlefigure
    REFERENCING NEW TABLE AS new_parts
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articlefigure_search_vector()
    """,
    """
    CREATE TRIGGER articles_articlefigure_search_update AFTER UPDATE ON articles_articlefigure
    REFERENCING OLD TABLE AS old_parts NEW TABLE AS new_parts
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articlefigure_search_vector()
    """,
    """
    CREATE TRIGGER articles_articlefigure_search_delete AFTER DELETE ON articles_articlefigure
    REFERENCING OLD TABLE AS old_parts
    FOR EACH STATEMENT EXECUTE FUNCTION articles_articlefigure_search_vector()
    """,
]

FORWARD = [
    CONFIG_FUNCTION,
    VECTOR_FUNCTION,
    *ROW_TRIGGER,
    *FIGURE_TRIGGERS,
    "UPDATE articles_article a SET search_vector = articles_article_search_vector(a)",
    "CREATE INDEX article_search_vector ON articles_article USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX article_search_vector",
    "DROP FUNCTION articles_articlefigure_search_vector() CASCADE",
    "DROP FUNCTION articles_article_search_vector_row() CASCADE",
    "DROP FUNCTION articles_article_search_vector(articles_article)",
    "DROP FUNCTION newsroom_search_config(text)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_article_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        # The GIN index is PostgreSQL's; FORWARD creates it there, SQLite has none.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="article",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="article_search_vector"
                    ),
                ),
            ],
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
