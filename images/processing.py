"""Images as they are stored and served: oriented, without metadata, and in a few widths.

Pillow is used directly rather than a thumbnailing library: we need a fixed set of widths made
once on upload and listed on the row (so a page needs no storage calls to build its srcset),
metadata stripped from the original too, and the same code for the importer. That is a few
dozen lines over Pillow, with no cache backend or lazy-generation machinery to keep in step."""

import io
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, ImageSequence, features

# Output format -> file extension, MIME type and encoder options.
ENCODINGS = {
    "JPEG": ("jpg", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
    "PNG": ("png", "image/png", {"optimize": False}),
    "GIF": ("gif", "image/gif", {}),
    "WEBP": ("webp", "image/webp", {"quality": 78, "method": 4}),
    "AVIF": ("avif", "image/avif", {"quality": 55, "speed": 8}),
}
# The stored original is kept at a higher quality: renditions are made from it again later.
ORIGINAL_OPTIONS = {"JPEG": {"quality": 90, "optimize": True}, "WEBP": {"quality": 90}}
# The format of the renditions an <img> falls back to; a WebP original needs none besides WebP.
FALLBACK_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": None}
RENDITION_FOLDER = "renditions"


@dataclass
class NormalisedImage:
    """An upload re-encoded: its bytes, format, and the decoded image renditions are made from."""

    content: bytes
    format: str
    image: Image.Image
    animated: bool

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    @property
    def extension(self) -> str:
        return ENCODINGS[self.format][0]


def normalise(file) -> NormalisedImage:
    """The image turned upright by its EXIF orientation and re-encoded without its metadata
    (EXIF, GPS position, camera serials, XMP, comments). The colour profile is kept."""
    file.seek(0)
    source = Image.open(file)
    image_format = "JPEG" if source.format == "MPO" else source.format
    animated = getattr(source, "n_frames", 1) > 1
    output = io.BytesIO()
    if animated:
        frames = [frame.copy() for frame in ImageSequence.Iterator(source)]
        durations = [frame.info.get("duration", 100) for frame in frames]
        image = bare(frames[0], source)
        image.save(
            output,
            image_format,
            save_all=True,
            append_images=[bare(frame, source) for frame in frames[1:]],
            duration=durations,
            loop=source.info.get("loop", 0),
        )
    else:
        source.load()
        # In place: a copy of a 24-megapixel image would cost another 72 MB.
        ImageOps.exif_transpose(source, in_place=True)
        image = bare(source, source)
        if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options = ORIGINAL_OPTIONS.get(image_format, ENCODINGS[image_format][2])
        image.save(output, image_format, **options, **colour_profile(image))
    return NormalisedImage(output.getvalue(), image_format, image, animated)


def bare(image: Image.Image, source: Image.Image) -> Image.Image:
    """The image with only what rendering needs of its info: no EXIF, XMP or comments."""
    kept = {key: source.info[key] for key in ("icc_profile", "transparency") if key in source.info}
    if "transparency" in image.info:
        kept["transparency"] = image.info["transparency"]
    image.info = kept
    return image


def colour_profile(image: Image.Image) -> dict:
    profile = image.info.get("icc_profile")
    return {"icc_profile": profile} if profile else {}


def normalised_name(name: str, extension: str) -> str:
    """The upload's name with the extension of what it really is."""
    root, _ = posixpath.splitext(name)
    return f"{root}.{extension}"


# Renditions


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    type: str  # MIME type

    def as_dict(self) -> dict:
        return {"name": self.name, "width": self.width, "height": self.height, "type": self.type}


def rendition_formats(original_format: str) -> list[str]:
    """Best first: the order of a <picture>'s sources."""
    formats = ["AVIF"] if features.check("avif") and settings.IMAGE_AVIF else []
    formats.append("WEBP")
    fallback = FALLBACK_FORMAT[original_format]
    if fallback:
        formats.append(fallback)
    return formats


def rendition_widths(width: int) -> list[int]:
    """The configured widths narrower than the original, and the original's own when it is
    narrower than the widest: an image is never enlarged, nor left without its full width."""
    configured = sorted(settings.IMAGE_RENDITION_WIDTHS)
    widths = [w for w in configured if w < width]
    if width < configured[-1]:
        widths.append(width)
    return widths


def rendition_name(original: str, width: int, image_format: str) -> str:
    """figures/2026/03/crossing.jpg -> renditions/figures/2026/03/crossing-800w.webp"""
    root, _ = posixpath.splitext(original)
    return f"{RENDITION_FOLDER}/{root}-{width}w.{ENCODINGS[image_format][0]}"


def planned_renditions(original: str, normalised: NormalisedImage) -> list[tuple[Rendition, str]]:
    """The renditions an image gets, with the format of each; none for an animation, whose
    original is served as it is."""
    if normalised.animated:
        return []
    planned = []
    for image_format in rendition_formats(normalised.format):
        for width in rendition_widths(normalised.width):
            height = max(1, round(normalised.height * width / normalised.width))
            name = rendition_name(original, width, image_format)
            mime = ENCODINGS[image_format][1]
            planned.append((Rendition(name, width, height, mime), image_format))
    return planned


def make_renditions(storage, original: str, normalised: NormalisedImage) -> list[Rendition]:
    """Encode and store each rendition under its derived name, replacing any left there."""
    planned = planned_renditions(original, normalised)
    resized = resized_images(normalised.image, {r.width: r.height for r, _ in planned})
    made = []
    for rendition, image_format in planned:
        data = encode(resized[rendition.width], image_format)
        storage.delete(rendition.name)  # one left by an earlier upload is replaced, not kept
        storage.save(rendition.name, ContentFile(data))
        made.append(rendition)
    return made


def resized_images(image: Image.Image, sizes: dict[int, int]) -> dict[int, Image.Image]:
    """Each width from the next wider one: resampling a 24-megapixel image once, not per size."""
    mode = "RGBA" if has_alpha(image) else "RGB"
    working = image if image.mode == mode else image.convert(mode)
    if image.mode == "CMYK":
        working.info.pop("icc_profile", None)  # a CMYK profile does not describe RGB pixels
    resized: dict[int, Image.Image] = {}
    for width in sorted(sizes, reverse=True):
        if width == working.width:
            resized[width] = working
        else:
            working = working.resize((width, sizes[width]), Image.Resampling.LANCZOS)
            resized[width] = working
    return resized


def has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def encode(image: Image.Image, image_format: str) -> bytes:
    output = io.BytesIO()
    if image_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    image.save(output, image_format, **ENCODINGS[image_format][2], **colour_profile(image))
    return output.getvalue()


def delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
