"""The publications the back issues excerpt most, with the ways the old site spelled them.

Rows are only added: a publication an editor already has (by name, in any case) is left alone.
"""

from django.db import migrations
from django.utils.text import slugify

PUBLICATIONS = [
    (
        "Institute for the Study of War",
        "https://www.understandingwar.org/",
        ["ISW", "INSTITUTE FOR THE STUDY OF WAR", "Institute for the Study of War (ISW)"],
    ),
    ("Turkeyscope", "https://dayan.org/", []),
    ("Human Rights Watch", "https://www.hrw.org/", ["HRW", "Witness"]),
    (
        "INSS",
        "https://www.inss.org.il/",
        ["Institute for National Security Studies", "INSS Insight"],
    ),
    ("Al-Monitor", "https://www.al-monitor.com/", ["AL MONITOR", "Al Monitor", "AL-MONITOR"]),
    (
        "The Soufan Center",
        "https://thesoufancenter.org/",
        ["Soufan Center", "THE SOUFAN CENTER", "IntelBrief"],
    ),
    (
        "The Washington Institute",
        "https://www.washingtoninstitute.org/",
        ["Washington Institute for Near East Policy", "Fikra Forum", "FIKRA FORUM"],
    ),
]


def add_publications(apps, schema_editor):
    Publication = apps.get_model("articles", "Publication")
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
    dependencies = [("articles", "0002_import_fingerprint")]

    # Undoing it keeps the rows: editors may have linked excerpts to them since.
    operations = [migrations.RunPython(add_publications, migrations.RunPython.noop)]
