"""export_content and restore_content: everything comes back as it was, field by field and
byte by byte, into an emptied database; a database holding content is refused."""

import importlib
import json
import shutil
import zipfile

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from articles.models import ArticleFigure
from backups.archive import (
    ACCOUNT_MODELS,
    CONTENT_MODELS,
    DERIVED_MODELS,
    NOT_EXPORTED,
    content_models,
    content_present,
    media_names,
    seeded_rows,
)
from briefings.models import Figure, SectionFigure
from people.models import Publication
from publishing.content_version import CONTENT_APPS
from publishing.models import OldAddress, RenamedTag, Status
from search.models import SearchEntry
from sources.models import Citation
from sources.services import refresh_citations
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
    days_ago,
)
from tests.support.images import photo, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content(settings):
    """Some of everything an archive holds, with image files and their renditions."""
    settings.IMAGE_RENDITION_WIDTHS = [160]
    settings.IMAGE_AVIF = False
    Site.objects.filter(pk=django_settings.SITE_ID).update(domain="news.example.org", name="News")
    border, iran = Tag.objects.create(name="Border trade"), Tag.objects.create(name="Iran")
    iran.slug = "iran-news"
    iran.save()  # leaves a renamed tag behind
    publication = PublicationFactory(aliases="AL MONITOR\nAl-Monitor")
    authors = [PersonFactory(), PersonFactory()]
    article = ArticleFactory(
        publication=publication, authors=authors, tags=[border, iran], editor_note="*Ours*."
    )
    ArticleFigure.objects.create(
        article=article, image=upload("map.jpg", photo(320, 200)), alt="A map", caption="Map"
    )
    # Imported without its image: caption and credit only.
    ArticleFigure.objects.create(article=article, caption="Lost photo", credit="Agency")
    ArticleFactory(status=Status.DRAFT, publication=publication, source_ref="https://old/1")
    ArticleFactory(published_at=timezone.now() + timezone.timedelta(days=3))
    briefing = BriefingFactory(editor=authors[0], tags=[iran], published_at=days_ago(1))
    Figure.objects.create(
        briefing=briefing, image=upload("lead.png", photo(300, 200, "PNG")), alt="Lead"
    )
    section = SectionFactory(briefing=briefing)
    SectionFigure.objects.create(
        section=section, image=upload("section.jpg", photo(240, 160)), alt="Section"
    )
    BulletFactory(briefing=briefing, text="Overview point (Mehr, March 2).")
    BulletFactory(briefing=briefing, section=section, text="A *meeting* (Tasnim, March 3).")
    refresh_citations([briefing])
    Redirect.objects.create(site_id=1, old_path="/old-about/", new_path="/about/")
    OldAddress.objects.create(path="/?p=12", item=article)
    about = FlatPage.objects.create(url="/about/", title="About", content="<p>Who we are.</p>")
    about.sites.add(1)
    assert Citation.objects.count() == 2 and RenamedTag.objects.count() == 1
    assert len(media_names()) == 9  # three images, each in its format and WebP


def snapshot() -> dict:
    """Every row of every exported model (and their many-to-many links), every media file's
    bytes, and on PostgreSQL the search entries the triggers wrote."""
    tables = {}
    for model in content_models():
        rows = list(model._base_manager.order_by("pk").values())
        for row in rows:
            # Content types are restored by natural key: their ids differ between databases.
            if "content_type_id" in row:
                row["content_type_id"] = ContentType.objects.get_for_id(
                    row["content_type_id"]
                ).natural_key()
        tables[model._meta.label] = rows
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                # The links themselves, not their ids, which nothing refers to or shows.
                links = through.objects.values_list(*(f.attname for f in through._meta.fields[1:]))
                tables[through._meta.label] = sorted(links)
    if connection.vendor == "postgresql":
        entries = SearchEntry.objects.order_by("kind", "item_id").values()
        tables["search.SearchEntry"] = [{**e, "vector": str(e["vector"])} for e in entries]
    media = {name: default_storage.open(name).read() for name in media_names()}
    return {"tables": tables, "media": media}


def wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(django_settings.MEDIA_ROOT)


def test_restore_brings_back_everything_exported(content, tmp_path):
    before = snapshot()
    if connection.vendor == "postgresql":
        assert len(before["tables"]["search.SearchEntry"]) == 4  # rebuilt, not restored
    archive = tmp_path / "content.zip"
    call_command("export_content", str(archive), verbosity=0)
    wipe()
    assert not FlatPage.objects.exists() and not media_names()

    call_command("restore_content", str(archive), verbosity=0)
    after = snapshot()
    assert after["media"] == before["media"]
    assert after["tables"].keys() == before["tables"].keys()
    for label, rows in before["tables"].items():
        assert after["tables"][label] == rows, label
    # New rows continue after the restored ones (sequences were reset).
    assert Tag.objects.create(name="After restore").pk > max(
        t["id"] for t in before["tables"]["taggit.Tag"]
    )


def test_restored_site_answers_its_pages(content, tmp_path, client):
    archive = tmp_path / "content.zip"
    call_command("export_content", str(archive), verbosity=0)
    wipe()
    call_command("restore_content", str(archive), verbosity=0)
    figure = ArticleFigure.objects.exclude(image="").get()
    page = client.get(figure.article.get_absolute_url())
    assert page.status_code == 200 and figure.image.name in page.content.decode()
    assert client.get("/about/").status_code == 200
    assert client.get("/tags/iran/").status_code == 301


def test_restore_refuses_a_database_holding_content(content, tmp_path):
    archive = tmp_path / "content.zip"
    call_command("export_content", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="holds content already"):
        call_command("restore_content", str(archive), verbosity=0)


def seed_as_migrations_do() -> None:
    """The publications and groups of a freshly migrated database, into an emptied one."""
    call_command("flush", interactive=False, verbosity=0)
    seeds = importlib.import_module("people.migrations.0002_back_issue_publications")
    seeds.add_publications(apps, schema_editor=None)
    roles = importlib.import_module("publishing.migrations.0002_editorial_roles")
    for name, grants in roles.ROLES.items():
        granted = roles.permission_keys(grants)
        Group.objects.create(name=name).permissions.set(
            p
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in granted
        )


def test_only_rows_as_the_migrations_seed_them_count_as_an_empty_database():
    seed_as_migrations_do()
    assert Publication.objects.count() == 7 and Group.objects.count() == 2
    assert content_present(seeded_rows()) == []

    Publication.objects.filter(name="INSS").update(aliases="INSS Insight")
    Group.objects.create(name="Interns")
    User.objects.create_user("admin")
    assert content_present(seeded_rows()) == ["people.Publication", "auth.Group", "auth.User"]


def as_format_1(archive, older) -> None:
    """The archive as it was written before it carried the accounts."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(older, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        manifest["format"] = 1
        manifest["rows"] = {k: v for k, v in manifest["rows"].items() if k in CONTENT_MODELS}
        target.writestr("manifest.json", json.dumps(manifest))
        rows = json.loads(source.read("content.json"))
        accounts = {label.lower() for label in ACCOUNT_MODELS}
        target.writestr("content.json", json.dumps([r for r in rows if r["model"] not in accounts]))
        for name in source.namelist():
            if name.startswith("media/"):
                target.writestr(name, source.read(name))


def test_an_archive_without_accounts_keeps_the_groups_migrations_made(content, tmp_path):
    archive, older = tmp_path / "content.zip", tmp_path / "format-1.zip"
    call_command("export_content", str(archive), verbosity=0)
    as_format_1(archive, older)
    before = snapshot()
    wipe()
    seed_as_migrations_do()
    groups = {g.name: set(g.permissions.all()) for g in Group.objects.all()}

    call_command("restore_content", str(older), verbosity=0)
    assert snapshot() == before
    assert {g.name: set(g.permissions.all()) for g in Group.objects.all()} == groups


def test_export_does_not_overwrite_an_archive_unless_forced(tmp_path):
    archive = tmp_path / "content.zip"
    archive.write_text("precious")
    with pytest.raises(CommandError, match="exists"):
        call_command("export_content", str(archive), verbosity=0)
    call_command("export_content", str(archive), "--force", verbosity=0)
    assert archive.read_bytes()[:2] == b"PK"


def test_every_content_model_is_exported_or_rebuilt():
    models = {
        model._meta.label
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
    }
    assert models - {"sites.Site"} <= set(CONTENT_MODELS) | set(DERIVED_MODELS) | set(NOT_EXPORTED)
