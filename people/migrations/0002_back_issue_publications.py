"""The publications the back issues excerpt most, with the ways the old site spelled them
(people/back_issue_publications.py, which a restore reads too).

Rows are only added: a publication an editor already has (by name, in any case) is left alone.
"""

from django.db import migrations
from django.utils.text import slugify

from people.back_issue_publications import PUBLICATIONS


def add_publications(apps, schema_editor):
    Publication = apps.get_model("people", "Publication")
    for name, homepage, aliases in PUBLICATIONS:
        if Publication.objects.filter(name__iexact=name).exists():
            continue
        Publication.objects.create(
            name=name,
            slug=free_slug(Publication, slugify(name)),
            homepage=homepage,
            aliases="\n".join(aliases),
        )


def free_slug(model, base: str) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    # Undoing it keeps the rows: editors may have linked excerpts to them since.
    operations = [migrations.RunPython(add_publications, migrations.RunPython.noop)]
