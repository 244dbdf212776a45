"""Search reads each excerpt's vector from its row, and the GIN index takes writes at once.

A vector stored out of line (TOAST) costs a lookup in a second table each time a row is tested
or ranked, a cost the planner does not see: a common word made it test or rank thousands of
them. Stored in the row (storage MAIN; only a vector too large for a page still goes out of
line), testing and ranking a vector is cheap, and the long texts of the row go out of line
instead. Existing vectors are rewritten so they move in.

With `fastupdate` on, the vectors the triggers write wait in a pending list that every search
reads through in full until a vacuum merges it. Writes are few and searches many, so writes
pay instead. A second index serves the search's walk through one language's items, newest first.
"""

from django.db import migrations, models

from publishing.postgresql_only import on_postgresql

FORWARD = [
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE articles_article a SET search_vector = articles_article_search_vector(a)",
    "ALTER INDEX article_search_vector SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('article_search_vector'::regclass)",
]

BACKWARD = [
    "ALTER INDEX article_search_vector RESET (fastupdate)",
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_articlefigure_renditions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["language", "status", "-published_at"], name="articles_article_lang_pub"
            ),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
