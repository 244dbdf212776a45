from django.db import migrations, models

from publishing.identity import briefing_identity


def key_imported_briefings(apps, schema_editor):
    """Briefings imported before the key existed get it from their period, so an import of the
    same briefing in another format finds them."""
    Briefing = apps.get_model("briefings", "Briefing")
    rows = list(
        Briefing.objects.filter(source_ref__isnull=False).only("pk", "period_start", "period_end")
    )
    for row in rows:
        row.import_identity = briefing_identity(row.period_start, row.period_end)
    Briefing.objects.bulk_update(rows, ["import_identity"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('briefings', '0002_bullets_in_their_sections_briefing'),
    ]

    operations = [
        migrations.AddField(
            model_name='briefing',
            name='import_identity',
            field=models.CharField(blank=True, db_index=True, editable=False, help_text="What makes an imported item the same one in any format (its title, or a briefing's period); a re-import in another format finds it by this.", max_length=40, verbose_name='import identity'),
        ),
        migrations.AddField(
            model_name='briefing',
            name='review_reasons',
            field=models.TextField(blank=True, help_text='What the importer found missing or doubtful, one per line; the item stays a draft until an editor publishes it.', verbose_name='review reasons'),
        ),
        migrations.RunPython(key_imported_briefings, migrations.RunPython.noop),
    ]
