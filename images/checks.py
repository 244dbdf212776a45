"""What an uploaded image must be: a JPEG, PNG, GIF or WebP, within the size and pixel limits,
and whole. Decided by the file's content, never by its name."""

import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Pillow's names for the accepted formats. Its JPEG reader also opens MPO, the JPEG variant
# many phone cameras write.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")

UNSUPPORTED = _("Upload a JPEG, PNG, GIF or WebP image. This file is not one of those.")
BROKEN = _("This image file is damaged or incomplete. Export it again and upload the new file.")
TOO_LARGE = _("The file is %(size)s; the limit is %(limit)s.")
TOO_MANY_PIXELS = _(
    "The image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); "
    "the limit is %(limit)s megapixels."
)


@dataclass(frozen=True)
class CheckedImage:
    format: str
    width: int
    height: int


def check_image(file) -> CheckedImage:
    """The format and size of an acceptable image file; a ValidationError otherwise.

    The size limits are checked from the header, before any pixel is decoded, so a small file
    declaring an enormous image (a decompression bomb) costs nothing. Only then is the image
    (each frame of an animation) decoded once, to refuse truncated and damaged files."""
    check_file_size(file)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError as error:
        raise ValidationError(UNSUPPORTED, code="unsupported") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow read a header beyond its own limit (set from ours) and names the pixel count.
        raise too_many_pixels(pixels=pixel_count(error)) from None
    except Exception as error:  # a header Pillow cannot read at all
        raise ValidationError(BROKEN, code="broken") from error
    with image:
        width, height = image.size
        if width * height > settings.IMAGE_MAX_PIXELS:
            raise too_many_pixels(width, height, width * height)
        try:
            # Counting an animation's frames reads their headers only; together they may not
            # exceed the limit either, as each is decoded when the animation is re-encoded.
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > settings.IMAGE_MAX_PIXELS:
                raise too_many_frames(frames)
            for frame in range(frames):
                image.seek(frame)
                image.load()
        except ValidationError:
            raise
        except Exception as error:
            raise ValidationError(BROKEN, code="broken") from error
        checked = CheckedImage(image.format, width, height)
    file.seek(0)
    return checked


def check_file_size(file) -> None:
    size = file.size
    if size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.IMAGE_MAX_BYTES),
            },
        )


def too_many_frames(frames: int) -> ValidationError:
    message = _(
        "The animation's %(frames)s frames have more pixels together than the limit of "
        "%(limit)s megapixels."
    )
    limit = f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}"
    return ValidationError(
        message, code="too_many_pixels", params={"frames": frames, "limit": limit}
    )


def pixel_count(error: Exception) -> int | None:
    found = re.search(r"\d+", str(error))
    return int(found.group()) if found else None


def too_many_pixels(
    width: int | None = None, height: int | None = None, pixels: int | None = None
) -> ValidationError:
    limit = f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}"
    if width is None or height is None:
        message = _("The image has %(megapixels)s megapixels; the limit is %(limit)s megapixels.")
        megapixels = f"{pixels / 1_000_000:,.0f}" if pixels else _("more")
        return ValidationError(
            message, code="too_many_pixels", params={"megapixels": megapixels, "limit": limit}
        )
    return ValidationError(
        TOO_MANY_PIXELS,
        code="too_many_pixels",
        params={
            "width": f"{width:,}",
            "height": f"{height:,}",
            "megapixels": f"{(pixels or 0) / 1_000_000:,.0f}",
            "limit": limit,
        },
    )
