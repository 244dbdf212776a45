"""Search reads each briefing's vector from its row, and the GIN index takes writes at once.

See articles 0006 for why: a vector stored out of line costs a lookup in a second table each
time a row is tested or ranked, and GIN's pending list is read by every search. A second index
serves the search's walk through one language's items, newest first.
"""

from django.db import migrations, models

from publishing.postgresql_only import on_postgresql

FORWARD = [
    "ALTER TABLE briefings_briefing ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE briefings_briefing b SET search_vector = briefings_briefing_search_vector(b)",
    "ALTER INDEX briefing_search_vector SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('briefing_search_vector'::regclass)",
]

BACKWARD = [
    "ALTER INDEX briefing_search_vector RESET (fastupdate)",
    "ALTER TABLE briefings_briefing ALTER COLUMN search_vector SET STORAGE EXTENDED",
]


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0005_section_figure"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="briefing",
            index=models.Index(
                fields=["language", "status", "-published_at"], name="briefings_briefing_lang_pub"
            ),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
