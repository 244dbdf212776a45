"""One publication, one row: a publication a migration made and the same one under a longer
name or another spelling (people/publication_spellings.py) become one row with every spelling;
their excerpts point at it."""

from django.db import migrations

from people.publication_spellings import Spelled, merged_rows


def merge_publications(apps, schema_editor):
    Publication = apps.get_model("people", "Publication")
    Article = apps.get_model("articles", "Article")
    rows = [Spelled(*row) for row in Publication.objects.values_list("pk", "name", "aliases")]
    for keep in merged_rows(rows):
        if not keep.merged:
            continue
        others = [row.pk for row in keep.merged]
        Article.objects.filter(publication_id__in=others).update(publication_id=keep.pk)
        Publication.objects.filter(pk=keep.pk).update(aliases=keep.all_aliases())
        Publication.objects.filter(pk__in=others).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_back_issue_publications"), ("articles", "0001_initial")]

    # Undoing it keeps the merged row: which excerpt named which spelling is not kept.
    operations = [migrations.RunPython(merge_publications, migrations.RunPython.noop)]
