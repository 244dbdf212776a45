"""Storing an image with its renditions, and removing both once nothing refers to them."""

import json
import posixpath
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from reversion.models import Version

from images.processing import (
    make_renditions,
    normalise,
    normalised_name,
    planned_renditions,
)


@dataclass
class StoredImage:
    name: str
    width: int
    height: int
    renditions: list[dict]
    written: list[str] = field(default_factory=list)  # files this store wrote


def store_image(storage, name: str, file, reuse_same: bool = False) -> StoredImage:
    """Store the normalised image under `name` (its extension corrected) and its renditions.

    With `reuse_same`, an identical file already stored under that name is kept with its
    renditions, so re-importing the same upload writes nothing: encoding is deterministic."""
    normalised = normalise(file)
    name = normalised_name(name, normalised.extension)
    if reuse_same and storage.exists(name) and storage.size(name) == len(normalised.content):
        renditions = [rendition for rendition, _ in planned_renditions(name, normalised)]
        written = []
    else:
        name = storage.save(name, ContentFile(normalised.content))
        renditions = make_renditions(storage, name, normalised)
        written = [name, *(rendition.name for rendition in renditions)]
    return StoredImage(
        name,
        normalised.width,
        normalised.height,
        [rendition.as_dict() for rendition in renditions],
        written,
    )


def upload_name(figure, field_name: str = "image") -> str:
    """Where the field's upload_to puts a new upload of this figure."""
    image_field = figure._meta.get_field(field_name)
    filename = posixpath.basename(getattr(figure, field_name).name)
    return image_field.generate_filename(figure, filename)


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
    from images.models import CaptionedImage

    return [model for model in apps.get_models() if issubclass(model, CaptionedImage)]


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
