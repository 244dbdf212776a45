"""Old addresses kept with their items, and the redirects the importer made to items moved there.

A redirect to an item's address answered 301 whether or not the item was published, so a
draft's slug could be read from an old address. Such redirects become old addresses of their
items, which answer only while the item is published; other redirects stay as they are."""

import re
from urllib.parse import unquote

import django.db.models.deletion
from django.db import migrations, models

# The items' addresses as they were when this migration was written.
ITEM_PATH = re.compile(r"^/(?P<kind>articles|briefings)/\d{4}/\d{2}/\d{2}/(?P<slug>[^/]+)/$")
MODELS = {"articles": ("articles", "article"), "briefings": ("briefings", "briefing")}


def redirects_to_old_addresses(apps, schema_editor):
    Redirect = apps.get_model("redirects", "Redirect")
    OldAddress = apps.get_model("newsroom", "OldAddress")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for redirect in Redirect.objects.all():
        match = ITEM_PATH.match(redirect.new_path)
        if not match:
            continue
        app_label, model_name = MODELS[match["kind"]]
        item = apps.get_model(app_label, model_name).objects.filter(slug=match["slug"]).first()
        if item is None:
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        OldAddress.objects.get_or_create(
            path=unquote(redirect.old_path),
            defaults={"content_type": content_type, "object_id": item.pk},
        )
        redirect.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("articles", "0010_web_links_only"),
        ("briefings", "0008_publish_permission"),
        ("newsroom", "0004_editorial_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="OldAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "path",
                    models.CharField(
                        help_text="The path on the old site, decoded, e.g. “/2019/05/title/” or "
                        "“/?p=123”.",
                        max_length=1000,
                        unique=True,
                        verbose_name="old address",
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "old address",
                "verbose_name_plural": "old addresses",
                "indexes": [
                    models.Index(fields=["content_type", "object_id"], name="old_address_item")
                ],
            },
        ),
        migrations.RunPython(redirects_to_old_addresses, migrations.RunPython.noop),
    ]
