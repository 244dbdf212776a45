"""The parts of an item (a briefing's sections, bullets and figures, an excerpt's figures) and
the one rule every form of the admin keeps: it touches only the parts of the item it edits.

nested_admin loads whatever part ids a form posts, so that a bullet can be dragged from one
section into another; a posted id of another item's part would change, move or delete that
part, on a page readers see. `ItemPartsFormSet`, the formset of every inline at every level,
loads only the parts of the item being edited and refuses a form posting any other id.
"""

from functools import cache

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet

from publishing.models import Publishable
from publishing.numbers import whole_number

FOREIGN_PART = _(
    "This form holds a part that does not belong to this item (id %(id)s), so nothing was "
    "saved. Reload the page and make the change again."
)


@cache
def item_lookup(model: type[models.Model]) -> str:
    """The lookup from a part to its item, found by following foreign keys until one points at
    an item, nearest first: "briefing" for a bullet, "section__briefing" for a section figure.
    """
    paths: list[tuple[type[models.Model], list[str]]] = [(model, [])]
    seen = {model}
    while paths:
        current, path = paths.pop(0)
        for field in current._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one):
                continue
            target = field.related_model
            if issubclass(target, Publishable):
                return "__".join([*path, field.name])
            if target not in seen:
                seen.add(target)
                paths.append((target, [*path, field.name]))
    raise ImproperlyConfigured(f"{model._meta.label} is not a part of any item.")


def item_pk(obj: models.Model) -> int | None:
    """The id of the item that `obj` is or belongs to; None while that item is unsaved."""
    if isinstance(obj, Publishable):
        return obj.pk
    names = item_lookup(type(obj)).split("__")
    for name in names[:-1]:
        field = type(obj)._meta.get_field(name)
        if getattr(obj, field.attname) is None:
            return None
        obj = getattr(obj, name)
    return getattr(obj, type(obj)._meta.get_field(names[-1]).attname)


def parts_of(model: type[models.Model], item: int | None) -> models.QuerySet:
    """The `model` parts of one item (none for an unsaved item)."""
    parts = model._default_manager.all()
    return parts.none() if item is None else parts.filter(**{item_lookup(model): item})


class ItemPartsFormSet(NestedInlineFormSet):
    """The formset of every inline of an item's form, nested ones too: it loads only parts of
    the item being edited, and a form posting the id of any other part makes the formset, and
    so the whole save, invalid. Parts may still move within the item, between its sections."""

    def item(self) -> int | None:
        # `instance` is the item, or the part a nested inline is shown in (a section).
        return item_pk(self.instance)

    def get_queryset(self):
        # Bound, nested_admin loads the posted ids whatever parent they have, so that a part
        # dragged from another section is found; here only among the item's own, and only ids
        # that are numbers (nested_admin would pass junk on to the database).
        if not hasattr(self, "_own_parts"):
            if self.is_bound:
                numbers = map(whole_number, self.posted_ids())
                ids = [number for number in numbers if number is not None]
                parts = parts_of(self.model, self.item()).filter(pk__in=ids)
            else:
                parts = super().get_queryset() & parts_of(self.model, self.item())
            self._own_parts = parts
        return self._own_parts

    def posted_ids(self) -> list[str | None]:
        """The part id each form posted, as posted."""
        pk_name = self.model._meta.pk.name
        return [
            self.data.get(f"{self.add_prefix(i)}-{pk_name}") for i in range(self.total_form_count())
        ]

    def clean(self):
        super().clean()
        # The item's parts among those posted, as the forms were given them.
        own = {str(part.pk) for part in self.get_queryset()}
        # Every form, those marked for deletion and those for new parts too: nested_admin
        # deletes by the posted id unchecked, and saves a new part's form over a posted id.
        for posted in self.posted_ids():
            if posted and posted not in own:
                raise ValidationError(FOREIGN_PART, code="foreign_part", params={"id": posted})


def rows_in_order(inline_admin_formset, position_field: str) -> list:
    """An inline's rows as its form shows them again after an error: by their posted position,
    rows with the same position in page order, rows without one (or a malformed one) last.
    Replaces nested_admin's `formsetsort` filter, whose sort fails with a server error on two
    equal positions or one that is not a number."""
    rows = list(inline_admin_formset)
    if not position_field:
        return rows

    def position(row) -> int | None:
        return whole_number(str(row.form[position_field].data or "").strip())

    placed = [row for row in rows if position(row) is not None]
    return sorted(placed, key=position) + [row for row in rows if position(row) is None]
