"""All content in one archive, and back: `export_content` and `restore_content`.

The archive is a zip file holding
- `manifest.json`: the format, when it was made, how many rows of each model, the media files;
- `content.json`: the rows, in Django's JSON serialization, primary keys kept (so addresses
  built from them and links between rows stay as they were) and content types and permissions
  by natural key (their ids differ between databases);
- `media/…`: each figure's image and renditions, under their storage names.

Restoring loads the rows as `loaddata` does: without the models' save() (nothing is rendered,
slugged or re-stored again, dates of change stay) and with sequences reset after. It needs a
freshly migrated database, so no restored row can collide with one already there. Such a
database holds the rows that migrations seed (publications, the editorial groups), as they
seeded them: those are replaced by the archive's, which holds the same rows as editors have
kept or changed them, under the ids the content refers to.

With the content go the accounts and their groups, so the same people can go on working in
the same roles. Left out: search entries, which PostgreSQL triggers rebuild as the items are
loaded; and sessions, versions and the admin's log (pg_dump keeps them).
"""

import datetime as dt
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils.text import slugify

from images.models import CaptionedImage
from people.back_issue_publications import PUBLICATIONS
from publishing.roles import CONTRIBUTOR, EDITOR

# 2 added the accounts; an archive of format 1 restores its content, the groups staying as
# the migrations made them.
FORMAT = 2
READABLE_FORMATS = {1, 2}
# In the order they are loaded: a row after those it refers to.
CONTENT_MODELS = [
    "sites.Site",
    "taggit.Tag",
    "publishing.RenamedTag",
    "publishing.Category",
    "people.Publication",
    "people.Person",
    "articles.Article",
    "articles.ArticleFigure",
    "articles.TaggedArticle",
    "briefings.Briefing",
    "briefings.Section",
    "briefings.Bullet",
    "briefings.Figure",
    "briefings.SectionFigure",
    "briefings.TaggedBriefing",
    "publishing.OldAddress",
    "publishing.CategorizedItem",
    "taggit.TaggedItem",
    # Rebuilt from bullets' text by refresh_citations, but kept as they are, so a restore shows
    # what readers saw even if the recognising of citations has changed since.
    "sources.Source",
    "sources.Citation",
    "redirects.Redirect",
    "flatpages.FlatPage",
]
# A group before the users in it.
ACCOUNT_MODELS = ["auth.Group", settings.AUTH_USER_MODEL]
ARCHIVED_MODELS = CONTENT_MODELS + ACCOUNT_MODELS
# Rows made from other rows, rebuilt on restore.
DERIVED_MODELS = ["search.SearchEntry"]
# Not content: the version pages are cached under (publishing/content_version.py), which the
# restore's writes replace.
NOT_EXPORTED = ["publishing.ContentVersion"]
# A freshly migrated database already holds these; a restore replaces them.
PRESENT_WHEN_EMPTY = {"sites.Site"}


class RestoreRefused(Exception):
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, as JavaScript
    dates have them, and a restored item would differ from the exported one."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def content_models() -> list:
    return [apps.get_model(label) for label in CONTENT_MODELS]


def rows() -> Iterator:
    for model in map(apps.get_model, ARCHIVED_MODELS):
        yield from model._base_manager.order_by("pk").iterator()


def media_names() -> list[str]:
    """Every stored file a figure refers to: its image and its renditions."""
    names = set()
    for model in content_models():
        if issubclass(model, CaptionedImage):
            for image, renditions in model._base_manager.values_list("image", "renditions"):
                names.update([image] if image else [])
                names.update(rendition["name"] for rendition in renditions)
    return sorted(names)


def export_content(path: Path) -> dict:
    """Writes the archive; returns its manifest (with the media files found missing)."""
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if fresh and connection.vendor == "postgresql":
            # One snapshot for every query of the export, while editors go on writing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return write_archive(path)


def write_archive(path: Path) -> dict:
    names = media_names()
    manifest = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "rows": {label: apps.get_model(label)._base_manager.count() for label in ARCHIVED_MODELS},
        "media": [],
        "missing_media": [],
    }
    # Written beside the archive and renamed when complete: a failed export leaves no archive
    # that looks whole, and an older one of the same name stays until then.
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("content.json", "w") as raw, io.TextIOWrapper(raw, "utf-8") as text:
            serializers.serialize(
                "json", rows(), stream=text, use_natural_foreign_keys=True, cls=ExactJSONEncoder
            )
        for name in names:
            if not default_storage.exists(name):
                manifest["missing_media"].append(name)
                continue
            # Images are compressed already: stored as they are.
            info = zipfile.ZipInfo(f"media/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            with default_storage.open(name, "rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target)
            manifest["media"].append(name)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    partial.replace(path)
    return manifest


def seeded_rows() -> dict[str, list[int]]:
    """The ids of the rows that migrations seed: the publications still as the migration made
    them (from the list it reads), and the roles."""
    return {"people.Publication": seeded_publications(), "auth.Group": seeded_groups()}


def seeded_publications() -> list[int]:
    as_seeded = {
        (name, slugify(name), homepage, "\n".join(aliases))
        for name, homepage, aliases in PUBLICATIONS
    }
    found = apps.get_model("people.Publication").objects.values_list(
        "pk", "name", "slug", "homepage", "aliases"
    )
    return [pk for pk, *fields in found if tuple(fields) in as_seeded]


def seeded_groups() -> list[int]:
    # The editorial roles, whatever permissions migrations have given them since: the archive's
    # groups carry the permissions its site had.
    groups = apps.get_model("auth.Group").objects.filter(name__in=[CONTRIBUTOR, EDITOR])
    return list(groups.values_list("pk", flat=True))


def content_present(seeded: dict[str, list[int]]) -> list[str]:
    """The models that hold rows a freshly migrated database does not have."""
    return [
        label
        for label in ARCHIVED_MODELS + DERIVED_MODELS
        if label not in PRESENT_WHEN_EMPTY
        and apps.get_model(label)._base_manager.exclude(pk__in=seeded.get(label, [])).exists()
    ]


def restore_content(path: Path) -> dict:
    """Loads the archive into a freshly migrated database; returns its manifest."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") not in READABLE_FORMATS:
            raise RestoreRefused(f"Archive format {manifest.get('format')!r} is not {FORMAT}.")
        seeded = seeded_rows()
        if present := content_present(seeded):
            raise RestoreRefused(
                "The database holds content already (" + ", ".join(present) + "): restore "
                "into a new database, made with `manage.py migrate`."
            )
        with tempfile.TemporaryDirectory() as folder:
            content = archive.extract("content.json", folder)
            # Rows and files together: a file that cannot be written leaves no rows behind.
            with transaction.atomic():
                # An archive without a model's rows (an older format) keeps the seeded ones.
                for label in seeded.keys() & manifest["rows"].keys():
                    apps.get_model(label)._base_manager.filter(pk__in=seeded[label]).delete()
                call_command("loaddata", content, verbosity=0)
                for name in manifest["media"]:
                    with archive.open(f"media/{name}") as source:
                        restore_file(name, source)
    return manifest


def restore_file(name: str, source) -> None:
    """Stores a file under the name it had, replacing one of that name left from before."""
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, File(source, name=name))
    if stored != name:
        raise RestoreRefused(f"{name} was stored as {stored}.")
