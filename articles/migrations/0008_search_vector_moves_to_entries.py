"""The articles' vectors now live in search entries (newsroom 0002); their own column goes."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from publishing.postgresql_only import on_postgresql

# Going back, the column returns with its index as articles 0005 and the later migration left it;
# newsroom 0002, undone next, fills it.
BACKWARD = [
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX article_search_vector ON articles_article USING gin (search_vector) WITH (fastupdate = off)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_search_reads_vectors_inline"),
        ("newsroom", "0002_search_entries"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, on_postgresql(BACKWARD)),
        # The GIN index is PostgreSQL's, made there by SQL; dropping the column drops it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="article", name="article_search_vector"),
            ],
        ),
        migrations.RemoveField(model_name="article", name="search_vector"),
    ]
