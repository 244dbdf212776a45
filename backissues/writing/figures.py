"""Figures of imported items and their image files, copied from a local copy of the old site's
uploads into storage as an editor's upload is stored."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage

from backissues.parsing.parsed import ParsedFigure, ParsedItem
from backissues.writing.options import WriteOptions
from backissues.writing.report import FileReport, ItemNote, item_location
from backissues.writing.validation import validated
from images.checks import check_image
from images.models import CaptionedImage
from images.stored import StoredImage, store_image

UPLOADS = "wp-content/uploads/"
FIGURE_FOLDER = "figures"
ALT_LENGTH = CaptionedImage._meta.get_field("alt").max_length


def has_content(figure: ParsedFigure | None) -> bool:
    return bool(figure and (figure.caption or figure.credit or figure.image))


@dataclass
class FigureOwner:
    """The item a figure belongs to, as the report names it; `which` tells an article's apart."""

    kind: str
    item: ParsedItem
    which: str = ""

    def note(self, detail: str) -> ItemNote:
        return ItemNote.about(self.kind, self.item, self.which + detail)


class FigureFiles:
    """The image files of one file's figures: found under the media root, checked and copied
    to storage, and deleted again should the file's transaction fail."""

    def __init__(self, options: WriteOptions, report: FileReport):
        self.options = options
        self.report = report
        self.copied: list[str] = []  # names in storage

    def find_upload(self, figure: ParsedFigure | None) -> Path | None:
        """The path, under the media root, of the file a figure's image address names."""
        if not figure or not (figure.image or figure.file) or not self.options.media_root:
            return None
        path = unquote(urlsplit(figure.image or "").path)
        if figure.file:
            relative = Path(figure.file.lstrip("/"))
        elif UPLOADS in path:
            relative = Path(path.split(UPLOADS, 1)[1])
        else:
            return None
        root = Path(self.options.media_root).resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate.relative_to(root)

    def filled_figure(
        self, figure: CaptionedImage, parsed: ParsedFigure, upload: Path | None, owner: FigureOwner
    ) -> CaptionedImage:
        """A briefing's or an article's figure, filled from the parse and checked."""
        figure.caption = parsed.caption or ""
        figure.credit = parsed.credit or ""
        figure.alt = (parsed.alt or parsed.caption or "")[:ALT_LENGTH]
        stored = self.stored_image(parsed.image, upload, figure.alt, owner)
        if stored:
            figure.image = stored.name
            figure.image_width, figure.image_height = stored.width, stored.height
            figure.renditions = stored.renditions
        return validated(figure, item_location(owner.item))

    def stored_image(
        self, image: str | None, upload: Path | None, alt: str, owner: FigureOwner
    ) -> StoredImage | None:
        """The figure's image as stored, copied there if needed; None when there is none to
        keep, which the report lists."""
        if upload is None:
            reason = "no image in the source"
            if image:
                reason = f"not found under the media root: {image}"
                if not self.options.media_root:
                    reason = f"no media root given for {image}"
            self.report.missing_images.append(owner.note(reason))
            return None
        if not alt:
            self.report.missing_images.append(
                owner.note(f"left out, no alt text or caption: {image}")
            )
            return None
        if self.options.dry_run:
            return None
        try:
            return self.copy_to_storage(upload)
        except ValidationError as error:
            reason = " ".join(error.messages)
            self.report.missing_images.append(owner.note(f"left out, {reason}: {image}"))
            return None

    def copy_to_storage(self, upload: Path) -> StoredImage:
        """Check and store the image as an editor's upload is stored: upright, without its
        metadata, with renditions. Copied once: the same upload is already stored the same."""
        name = f"{FIGURE_FOLDER}/{upload.as_posix()}"
        source = Path(self.options.media_root).resolve() / upload
        with source.open("rb") as file:
            check_image(File(file))
            stored = store_image(default_storage, name, File(file), reuse_same=True)
        self.copied.extend(stored.written)
        return stored

    def discard_copied(self) -> None:
        for name in self.copied:
            default_storage.delete(name)
