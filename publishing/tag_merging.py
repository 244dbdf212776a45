"""Merging tags: every item of the merged tags, of any kind, takes the one kept, once; the
merged tags' addresses redirect to it (publishing/tag_renames.py) and the merged tags go."""

from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef
from taggit.models import ItemBase, Tag

from publishing.content_version import content_changed
from publishing.models import RenamedTag


def tagged_item_tables() -> list[tuple[type[ItemBase], list[str]]]:
    """Every table linking tags to items (one per kind, and taggit's generic one), each with
    the columns that tell its item: an item kind's own link, or content type and id."""
    tables = []
    for relation in Tag._meta.related_objects:
        through = relation.related_model
        if issubclass(through, ItemBase) and relation.field.name == "tag":
            item_columns = [
                field.attname
                for field in through._meta.concrete_fields
                if not field.primary_key and field.name != "tag"
            ]
            tables.append((through, item_columns))
    return tables


def move_tagged_items(through: type[models.Model], item_columns: list[str], keep, merged) -> None:
    """Gives `keep` every item `merged` tags in one table, leaving each item tagged once."""
    same_item = {column: OuterRef(column) for column in item_columns}
    rows = through._base_manager.filter(tag__in=merged)
    # Items that already have the kept tag, or that another merged tag moves earlier.
    rows.filter(Exists(through._base_manager.filter(tag=keep, **same_item))).delete()
    rows.filter(Exists(rows.filter(pk__lt=OuterRef("pk"), **same_item))).delete()
    rows.update(tag=keep)


@transaction.atomic
def merge_tags(keep: Tag, merged: list[Tag]) -> None:
    """Merges `merged` into `keep`, in one transaction: their items, their old addresses and
    their own addresses go to `keep`, and they are deleted."""
    merged = [tag for tag in merged if tag.pk != keep.pk]
    if not merged:
        return
    for through, item_columns in tagged_item_tables():
        move_tagged_items(through, item_columns, keep, merged)
    RenamedTag.objects.filter(tag__in=merged).update(tag=keep)
    slugs = [tag.slug for tag in merged]
    Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()
    RenamedTag.objects.bulk_create(
        [RenamedTag(old_slug=slug, tag=keep) for slug in slugs],
        update_conflicts=True,
        unique_fields=["old_slug"],
        update_fields=["tag"],
    )
    # The moves and the renames are written in bulk, without signals.
    content_changed()


def item_counts(tags: list[Tag]) -> dict[int, int]:
    """How many items, of all kinds, each of `tags` is given to."""
    counts = dict.fromkeys((tag.pk for tag in tags), 0)
    for through, _item_columns in tagged_item_tables():
        rows = through._base_manager.filter(tag__in=tags).values("tag").annotate(n=Count("pk"))
        for row in rows:
            counts[row["tag"]] += row["n"]
    return counts
