from django.db import migrations, models

from publishing.identity import article_identity


def key_imported_excerpts(apps, schema_editor):
    """Excerpts imported before the key existed get it from their title, so an import of the
    same item in another format finds them."""
    Article = apps.get_model("articles", "Article")
    rows = list(Article.objects.filter(source_ref__isnull=False).only("pk", "title"))
    for row in rows:
        row.import_identity = article_identity(row.title)
    Article.objects.bulk_update(rows, ["import_identity"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='import_identity',
            field=models.CharField(blank=True, db_index=True, editable=False, help_text="What makes an imported item the same one in any format (its title, or a briefing's period); a re-import in another format finds it by this.", max_length=40, verbose_name='import identity'),
        ),
        migrations.AddField(
            model_name='article',
            name='review_reasons',
            field=models.TextField(blank=True, help_text='What the importer found missing or doubtful, one per line; the item stays a draft until an editor publishes it.', verbose_name='review reasons'),
        ),
        migrations.RunPython(key_imported_excerpts, migrations.RunPython.noop),
    ]
