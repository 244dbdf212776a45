"""Contributors add publications and people but no longer change them: a publication's homepage
and a person's name and bio show on published pages, which only editors may change.

The permissions are written out here, as in 0004, so this migration keeps doing what it did."""

from django.db import migrations

ROLE = "Contributor"
REVOKED = [("articles", "change_publication"), ("articles", "change_person")]


def role_permissions(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ROLE).first()
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in REVOKED
    ]
    return group, permissions


def revoke(apps, schema_editor):
    group, permissions = role_permissions(apps)
    if group:
        group.permissions.remove(*permissions)


def grant_again(apps, schema_editor):
    group, permissions = role_permissions(apps)
    if group:
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0005_old_addresses_of_items")]

    operations = [migrations.RunPython(revoke, grant_again)]
