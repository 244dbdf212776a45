"""Removing an image and its renditions once nothing refers to them: no figure, and no saved
version of one."""

import json

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete
from reversion.models import Version

from images.fields import FigureImageField


def remove_on_commit(storage, original: str, renditions: list[dict]) -> None:
    """Delete an image and its renditions once the transaction that dropped them commits,
    unless a figure still refers to the image (a re-import may recreate the same figure) or a
    saved version of one does (restoring it, or recovering a deleted item, brings it back)."""
    rendition_names = [rendition["name"] for rendition in renditions]

    def remove() -> None:
        if original and is_referenced(original):
            return
        for name in [original, *rendition_names] if original else rendition_names:
            storage.delete(name)

    transaction.on_commit(remove)


def captioned_image_models() -> list:
    """The models holding figure images: CaptionedImage's subclasses, known by their field, as
    images.models (which stores and removes through this module) cannot be imported here."""
    return [
        model
        for model in apps.get_models()
        if any(isinstance(field, FigureImageField) for field in model._meta.concrete_fields)
    ]


def is_referenced(name: str) -> bool:
    models = captioned_image_models()
    return any(model.objects.filter(image=name).exists() for model in models) or in_a_version(
        name, models
    )


def in_a_version(name: str, models: list) -> bool:
    # Versions hold their fields as JSON text, the name as a JSON string among them.
    return Version.objects.filter(
        content_type__in=ContentType.objects.get_for_models(*models).values(),
        serialized_data__contains=json.dumps(name),
    ).exists()


def remove_deleted_figure_files(sender, instance, **kwargs) -> None:
    if instance.image or instance.renditions:
        remove_on_commit(instance.image.storage, instance.image.name or "", instance.renditions)


def connect_removal_on_delete() -> None:
    # A signal rather than delete(): cascades and queryset deletes do not call delete().
    for model in captioned_image_models():
        uid = f"remove-files-{model._meta.label}"
        post_delete.connect(remove_deleted_figure_files, sender=model, dispatch_uid=uid)
