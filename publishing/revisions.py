"""Two saved versions of an item side by side, as an editor reads them: the fields of the item
and of its parts (sections, bullets, figures) that differ, with the changed words marked."""

import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion import is_registered
from reversion.models import Version
from taggit.models import Tag, TaggedItemBase

WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    def marked(self) -> tuple[SafeString, SafeString]:
        """Both texts as HTML: words only the older has in <del>, only the newer has in <ins>."""
        old, new = WORDS.findall(self.before), WORDS.findall(self.after)
        before, after = [], []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
            removed, added = escape("".join(old[i1:i2])), escape("".join(new[j1:j2]))
            if tag == "equal":
                before.append(removed)
                after.append(added)
                continue
            if removed:
                before.append(f"<del>{removed}</del>")
            if added:
                after.append(f"<ins>{added}</ins>")
        return mark_safe("".join(before)), mark_safe("".join(after))


def compare(older: Version, newer: Version) -> list[FieldChange]:
    """What changed from `older` to `newer` (versions of one item), in the order of the form.
    A part is labelled as the older version numbers it; only an added part as the newer does."""
    before, after = readable_fields(older), readable_fields(newer)
    changes = []
    for key in [*before, *(key for key in after if key not in before)]:
        label, old = before.get(key) or (after[key][0], "")
        new = after.get(key, (label, ""))[1]
        if old != new:
            changes.append(FieldChange(label, old, new))
    return changes


def readable_fields(version: Version) -> dict[tuple, tuple[str, str]]:
    """(model, row, field) -> (label, text) for the item and every part saved with it.

    Rows are matched by id, so an edited bullet is one change; labels number each kind's parts
    in the order the page shows them ("Bullet 2 · Text")."""
    parts = [part for part in version.revision.version_set.all() if part._model is not None]
    parts.sort(key=lambda part: (part.pk != version.pk, part.content_type_id, page_order(part)))
    fields: dict[tuple, tuple[str, str]] = {}
    tags: list[str] = []
    numbers: dict[type, int] = {}
    for part in parts:
        model = part._model
        if issubclass(model, TaggedItemBase):
            tags.append(related_text(Tag, part.field_dict["tag_id"]))
            continue
        prefix = ""
        if part.pk != version.pk:
            numbers[model] = numbers.get(model, 0) + 1
            prefix = f"{capfirst(model._meta.verbose_name)} {numbers[model]} · "
        for field in shown_fields(model):
            value = part.field_dict.get(field.attname)
            key = (model._meta.label, part.object_id, field.name)
            fields[key] = (prefix + capfirst(field.verbose_name), as_text(field, value))
    fields[("tags",)] = (capfirst(_("tags")), ", ".join(sorted(tags)))
    return fields


def page_order(part: Version) -> tuple:
    # The overview's bullets before the sections' (no section sorts first), then by position.
    fields = part.field_dict
    return (fields.get("section_id") or 0, fields.get("position") or 0, int(part.object_id))


def shown_fields(model) -> list:
    """The fields an editor fills in that a version holds (tags are read from their own rows).
    A part's link to what holds it, itself versioned, is left out."""
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.editable
        and field.serialize
        and not (field.is_relation and is_registered(field.related_model))
    ]


def as_text(field, value) -> str:
    if value is None or value == "":
        return ""
    if field.many_to_many:
        return ", ".join(sorted(related_text(field.related_model, pk) for pk in value))
    if field.is_relation:
        return related_text(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.FileField):
        return str(value.name if hasattr(value, "name") else value)
    return str(value)


def related_text(model, pk) -> str:
    row = model._default_manager.filter(pk=pk).first()
    return str(row) if row else f"#{pk}"
