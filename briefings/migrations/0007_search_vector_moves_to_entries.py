"""The briefings' vectors now live in search entries (newsroom 0002); their own column goes."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from publishing.postgresql_only import on_postgresql

# Going back, the column returns with its index as briefings 0003 and the later migration left it;
# newsroom 0002, undone next, fills it.
BACKWARD = [
    "ALTER TABLE briefings_briefing ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX briefing_search_vector ON briefings_briefing USING gin (search_vector) WITH (fastupdate = off)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0006_search_reads_vectors_inline"),
        ("newsroom", "0002_search_entries"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, on_postgresql(BACKWARD)),
        # The GIN index is PostgreSQL's, made there by SQL; dropping the column drops it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="briefing", name="briefing_search_vector"),
            ],
        ),
        migrations.RemoveField(model_name="briefing", name="search_vector"),
    ]
