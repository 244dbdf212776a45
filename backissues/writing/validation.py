"""Rows checked as an editor's form checks them, before they are written in bulk."""

import functools

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from backissues.parsing.errors import BackIssueError


@functools.cache
def _not_checked(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation or not f.editable]


def validated(instance: models.Model, location: str) -> models.Model:
    """The instance, once `full_clean` passes; else an error naming the item and the field.

    Relations and uniqueness are left out, as checking them costs a query each: the writer
    sets relations to rows it has just found or inserted, and keeps unique what must be (it
    looks source references, old paths and names up, and allocates slugs). So are the fields
    no editor edits (rendered HTML, hashes, references, times): the writer makes them, valid."""
    not_checked = _not_checked(type(instance))
    try:
        # Constraints are checked by the models' clean() too, without a query.
        instance.full_clean(exclude=not_checked, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{'' if name == NON_FIELD_ERRORS else name + ': '}{' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
        what = instance._meta.verbose_name
        raise BackIssueError(f"{what}: {problems}", location=location) from error
    return instance
