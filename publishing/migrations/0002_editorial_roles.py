"""The editorial roles as groups: Contributor and Editor (README: Roles and revisions).

The lists are written out here rather than imported, so this migration keeps making the roles
it made when first run, whatever the code later says."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = "add", "change", "view"
ALL = "add", "change", "delete", "view"

# Drafts of both kinds and all their parts; deleting a draft's parts is part of editing it.
# Publications and people are added, not changed: a publication's homepage and a person's name
# and bio show on published pages, which only editors may change.
CONTRIBUTOR = {
    "articles": {"article": ALL, "articlefigure": ALL},
    "people": {"publication": ("add", "view"), "person": ("add", "view")},
    "briefings": {
        "briefing": ALL,
        "section": ALL,
        "bullet": ALL,
        "figure": ALL,
        "sectionfigure": ALL,
    },
}

# Everything on content: publishing too, and the lists shared by both kinds.
EDITOR = {
    "articles": {**CONTRIBUTOR["articles"], "article": (*ALL, "publish")},
    "people": {"publication": ALL, "person": ALL},
    "briefings": {**CONTRIBUTOR["briefings"], "briefing": (*ALL, "publish")},
    "taggit": {"tag": ALL},
    "publishing": {"renamedtag": ("change", "delete", "view")},
    "sources": {"source": ("view",)},
}

ROLES = {"Contributor": CONTRIBUTOR, "Editor": EDITOR}


def permission_keys(grants: dict) -> set[tuple[str, str]]:
    """A role's grants as (app label, codename) pairs."""
    return {
        (app_label, f"{action}_{model}")
        for app_label, models in grants.items()
        for model, actions in models.items()
        for action in actions
    }


def make_roles(apps, schema_editor):
    # Permissions are otherwise made after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        wanted = permission_keys(grants)
        found = [
            permission
            for permission in Permission.objects.filter(
                content_type__app_label__in={app_label for app_label, _ in wanted}
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"Role {name}: no such permissions {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(found)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("people", "0001_initial"),
        ("articles", "0001_initial"),
        ("briefings", "0001_initial"),
        ("sources", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
