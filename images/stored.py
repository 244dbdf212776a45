"""Storing an image with its renditions (images/removal.py removes them)."""

import posixpath
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

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
