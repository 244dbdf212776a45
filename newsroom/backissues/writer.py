"""Saving one parsed back-issue file: its items, their old addresses and its flat pages.

A file is written in one transaction: a failure writes nothing of it. Each item is recognised
by its source reference (a WXR guid, else a fingerprint of what identifies it) and carries a
hash of what the import wrote, so a re-run leaves unchanged items untouched and an item an
editor has changed since is kept unless `overwrite` says otherwise.
"""

import dataclasses
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, ArticleFigure, Person, Publication
from articles.publications import PublicationIndex
from briefings.models import Briefing, Bullet, Figure, Section
from newsroom.backissues.errors import BackIssueError
from newsroom.backissues.parsed import (
    ParsedArticle,
    ParsedBriefing,
    ParsedFigure,
    ParsedFile,
    ParsedFlatPage,
    ParsedItem,
)
from newsroom.models import CaptionedImage, Publishable, Status, unique_slug

KINDS = ("briefing", "article", "page", "redirect")
OUTCOMES = ("created", "updated", "unchanged", "kept", "flagged")
# What a source may say of an item's status without the item needing a look.
CLEAN_SOURCE_STATUSES = (None, "published", "scheduled")
UPLOADS = "wp-content/uploads/"
TAG_LENGTH = Tag._meta.get_field("name").max_length
SOURCE_REF_LENGTH = Article._meta.get_field("source_ref").max_length
FIGURE_FOLDER = "figures"
ALT_LENGTH = CaptionedImage._meta.get_field("alt").max_length


@dataclass
class WriteOptions:
    dry_run: bool = False
    overwrite: bool = False
    series: str = ""  # for briefings whose source names none
    tags: list[str] = field(default_factory=list)  # put on every item
    media_root: Path | None = None  # a local copy of wp-content/uploads
    # Built once per run from the database; loaded by write_file when not given.
    publications: PublicationIndex | None = None


@dataclass
class ItemNote:
    kind: str
    label: str  # the item's title, or a briefing's period
    location: str  # where the item is in its file
    detail: str

    @classmethod
    def about(cls, kind: str, item: ParsedItem | ParsedFlatPage, detail: str) -> "ItemNote":
        return cls(kind, item_label(item), item_location(item), detail)


@dataclass
class FigureOwner:
    """The item a figure belongs to, as the report names it; `which` tells an article's apart."""

    kind: str
    item: ParsedItem
    which: str = ""

    def note(self, detail: str) -> ItemNote:
        return ItemNote.about(self.kind, self.item, self.which + detail)


@dataclass
class FileReport:
    source: str
    encoding: str | None = None
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    flagged: list[ItemNote] = field(default_factory=list)
    kept: list[ItemNote] = field(default_factory=list)
    missing_images: list[ItemNote] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (location, message)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def totals(self) -> Counter:
        return sum(self.counts.values(), Counter())

    def summary(self) -> str:
        """“created 3, unchanged 2”: the outcomes of the file's items and pages."""
        totals = sum((self.counts[kind] for kind in ("briefing", "article", "page")), Counter())
        return ", ".join(f"{o} {totals[o]}" for o in OUTCOMES if totals[o]) or "nothing to import"


def write_file(parsed: ParsedFile, *, options: WriteOptions) -> FileReport:
    """Save the items of one file in one transaction (rolled back on a dry run)."""
    writer = FileWriter(parsed, options)
    try:
        with transaction.atomic():
            writer.write()
            if options.dry_run:
                transaction.set_rollback(True)
    except BackIssueError as error:
        writer.discard_copied_files()
        raise error.located(parsed.source) from error
    except Exception:
        writer.discard_copied_files()
        raise
    return writer.report


@dataclass
class Assessment:
    """What the parse says about an item's state on the site."""

    status: str
    gaps: list[str]  # what is missing or doubtful; any gap flags the item for review


def assess(item: ParsedItem) -> Assessment:
    gaps = item.missing()
    if item.published_at is None:
        gaps.append("published_at")
    if item.source_status not in CLEAN_SOURCE_STATUSES:
        gaps.append(f"source status {item.source_status!r}")
    if item.source_status is None:
        # A page says nothing of status: an item lacking what readers need stays a draft.
        hidden = bool(item.missing_required()) or item.published_at is None
    else:
        # An export says whether the post was out; it stays so, flagged if something is missing.
        hidden = item.source_status == "draft" or item.published_at is None
    return Assessment(Status.DRAFT if hidden else Status.PUBLISHED, gaps)


def source_reference(item: ParsedItem, kind: str, *identity) -> str:
    """The parser's reference to the item (a guid, an old address), else a fingerprint of what
    identifies it, prefixed so it cannot be taken for a guid."""
    if item.source_ref is None:
        return fingerprint(kind, *identity)
    if len(item.source_ref) > SOURCE_REF_LENGTH:
        return "long-reference:" + hashlib.sha1(item.source_ref.encode()).hexdigest()
    return item.source_ref


def fingerprint(kind: str, *identity) -> str:
    folded = [" ".join(str(part or "").casefold().split()) for part in (kind, *identity)]
    return "fingerprint:" + hashlib.sha1("\n".join(folded).encode()).hexdigest()


def content_hash(item: ParsedItem, **decided) -> str:
    """A hash of everything the import writes of an item; its place in the file is not part."""
    data = {key: value for key, value in dataclasses.asdict(item).items() if key != "line"}
    data.update(decided)
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def has_content(figure: ParsedFigure | None) -> bool:
    return bool(figure and (figure.caption or figure.credit or figure.image))


def item_label(item: ParsedItem | ParsedFlatPage) -> str:
    if item.title:
        return item.title
    if isinstance(item, ParsedBriefing) and (item.period_start or item.period_end):
        return f"{item.period_start or '?'} – {item.period_end or '?'}"
    return ""


def item_location(item: ParsedItem | ParsedFlatPage) -> str:
    if item.line:
        return f"line {item.line}"
    return getattr(item, "old_url", None) or item.source_ref or ""


def validated(instance: models.Model, location: str) -> models.Model:
    """The instance, once `full_clean` passes; else an error naming the item and the field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{'' if name == NON_FIELD_ERRORS else name + ': '}{' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
        what = instance._meta.verbose_name
        raise BackIssueError(f"{what}: {problems}", location=location) from error
    return instance


class FileWriter:
    def __init__(self, parsed: ParsedFile, options: WriteOptions):
        self.parsed = parsed
        self.options = options
        self.publications = options.publications or PublicationIndex.load()
        self.report = FileReport(parsed.source, parsed.encoding, notes=list(parsed.notes))
        self.copied_files: list[str] = []
        self.references: set[str] = set()

    def write(self) -> None:
        if self.parsed.encoding == "windows-1252":
            self.report.notes.append(("file", "not UTF-8: read as Windows-1252"))
        for briefing in self.parsed.briefings:
            self.write_briefing(briefing)
        for article in self.parsed.articles:
            self.write_article(article)
        for page in self.parsed.pages:
            self.write_page(page)

    def discard_copied_files(self) -> None:
        for name in self.copied_files:
            default_storage.delete(name)

    # Briefings

    def write_briefing(self, item: ParsedBriefing) -> None:
        series = item.series or self.options.series
        # Without a period, a briefing is told apart by its title and first bullet.
        unplaced = () if item.period_start or item.period_end else (item.title, item.overview[:1])
        ref = self.reference(
            item, "briefing", series, item.period_start, item.period_end, *unplaced
        )
        assessment = assess(item)
        upload = self.find_upload(item.lead_figure)
        digest = content_hash(
            item,
            status=assessment.status,
            series=series,
            tags=self.options.tags,
            upload=str(upload) if upload else None,
        )
        existing = Briefing.objects.filter(source_ref=ref).first()
        outcome = self.outcome(existing, digest)
        briefing = existing
        if outcome in ("created", "updated"):
            briefing = existing or Briefing(source_ref=ref)
            briefing.series = series
            briefing.publisher = item.publisher or ""
            briefing.period_start = item.period_start
            briefing.period_end = item.period_end
            briefing.editor = self.person(item.editor, item)
            briefing.title = item.title or ""
            self.fill_publishable(briefing, item, assessment, digest)
            self.save_item(briefing, item)
            briefing.tags.set(self.tags_for(item))
            self.write_bullets(briefing, item)
            self.write_figure(briefing, item, upload)
        self.record("briefing", item, outcome, briefing, assessment.gaps)
        self.write_redirect(item, briefing)

    def write_bullets(self, briefing: Briefing, item: ParsedBriefing) -> None:
        location = item_location(item)
        briefing.sections.all().delete()
        briefing.bullets.all().delete()
        self.add_bullets(briefing, None, item.overview, location)
        for position, parsed_section in enumerate(item.sections):
            section = Section(briefing=briefing, title=parsed_section.title, position=position)
            validated(section, location).save()
            self.add_bullets(briefing, section, parsed_section.bullets, location)

    def add_bullets(self, briefing, section, texts: list[str], location: str) -> None:
        texts = [text for text in texts if text.strip()]
        for position, text in enumerate(texts):
            bullet = Bullet(briefing=briefing, section=section, text=text, position=position)
            validated(bullet, location).save()

    def write_figure(self, briefing: Briefing, item: ParsedBriefing, upload: Path | None) -> None:
        existing = Figure.objects.filter(briefing=briefing).first()
        if not has_content(item.lead_figure):
            if existing:
                existing.delete()
            return
        figure = existing or Figure(briefing=briefing)
        self.save_figure(figure, item.lead_figure, upload, FigureOwner("briefing", item))

    # Articles

    def write_article(self, item: ParsedArticle) -> None:
        ref = self.reference(item, "article", item.publication, item.title, item.date)
        assessment = assess(item)
        uploads = [self.find_upload(figure) for figure in item.figures]
        # Which files were found is added only with figures: the hash of an article without
        # figures stays what it was before figures were kept.
        found = {"uploads": [str(u) if u else None for u in uploads]} if item.figures else {}
        digest = content_hash(item, status=assessment.status, tags=self.options.tags, **found)
        existing = Article.objects.filter(source_ref=ref).first()
        outcome = self.outcome(existing, digest)
        article = existing
        if outcome in ("created", "updated"):
            article = existing or Article(source_ref=ref)
            article.publication = self.publication(item.publication, item, assessment)
            article.title = item.title or self.placeholder_title(item)
            article.kicker = item.kicker or ""
            article.standfirst = item.standfirst or ""
            article.original_date = item.date
            article.excerpt = item.excerpt or ""
            article.editor_note = item.editor_note or ""
            article.continue_url = item.continue_url or ""
            article.continue_label = (
                item.continue_label or Article._meta.get_field("continue_label").get_default()
            )
            self.fill_publishable(article, item, assessment, digest)
            self.save_item(article, item)
            article.authors.set([self.person(name, item) for name in item.authors if name])
            article.tags.set(self.tags_for(item, item.kicker))
            self.write_article_figures(article, item, uploads)
        self.record("article", item, outcome, article, assessment.gaps)
        self.write_redirect(item, article)

    def write_article_figures(
        self, article: Article, item: ParsedArticle, uploads: list[Path | None]
    ) -> None:
        article.figures.all().delete()
        kept = [
            (figure, upload)
            for figure, upload in zip(item.figures, uploads, strict=True)
            if has_content(figure)
        ]
        for position, (parsed, upload) in enumerate(kept):
            figure = ArticleFigure(article=article, position=position)
            self.save_figure(
                figure, parsed, upload, FigureOwner("article", item, f"figure {position + 1}: ")
            )

    def publication(
        self, text: str | None, item: ParsedArticle, assessment: Assessment
    ) -> Publication | None:
        """The publication a parsed name stands for; a name never seen before is added and the
        item flagged, so an editor can make it an alias of a known one."""
        if not text or not text.strip():
            return None
        name = self.publications.canonical(text)
        if name is None and (match := self.publications.find_in(text)):
            name = match.name
        if name:
            return Publication.objects.get_or_create(name=name)[0]
        known = Publication.objects.filter(name__iexact=text.strip()).first()
        if known:
            return known
        assessment.gaps.append(f"publication (new: {text.strip()})")
        publication = Publication(name=text.strip())
        publication.slug = unique_slug(Publication, publication.name)
        validated(publication, item_location(item)).save()
        return publication

    def placeholder_title(self, item: ParsedArticle) -> str:
        """A title an editor can find the untitled excerpt by, in the admin."""
        return f"Untitled excerpt ({self.parsed.source}, {item_location(item)})"[:300]

    # Both kinds

    def reference(self, item: ParsedItem, kind: str, *identity) -> str:
        """The item's source reference, unique in its file: an export may give two items one
        guid, and each would otherwise overwrite the other on every run."""
        ref = source_reference(item, kind, *identity)
        if ref in self.references:
            ref = fingerprint(kind, ref, *identity)
            self.report.notes.append(
                (item_location(item), "same reference as an earlier item: told apart by its title")
            )
        self.references.add(ref)
        return ref

    def outcome(self, existing: Publishable | None, digest: str) -> str:
        if existing is None:
            return "created"
        if existing.source_hash == digest:
            return "unchanged"
        if existing.edited_since_import and not self.options.overwrite:
            return "kept"
        return "updated"

    def fill_publishable(
        self, instance: Publishable, item: ParsedItem, assessment: Assessment, digest: str
    ) -> None:
        """Set the fields both kinds share; the title (or a briefing's period) is set already."""
        model = type(instance)
        if not instance.slug:
            instance.slug = self.free_slug(model, item.slug) or unique_slug(
                model, instance.title or instance.derived_title()
            )
        instance.status = assessment.status
        instance.published_at = self.published_at(item, instance)
        if item.language:
            instance.language = item.language
        instance.needs_review = bool(assessment.gaps)
        instance.source_hash = digest

    def free_slug(self, model, wanted: str | None) -> str:
        slug = slugify(unquote(wanted or ""))[:200].strip("-")
        return slug if slug and not model.objects.filter(slug=slug).exists() else ""

    def published_at(self, item: ParsedItem, instance: Publishable):
        when = item.published_at
        if when is None:
            # A draft still needs a date; an editor sets the real one on publishing.
            return instance.published_at if instance.pk else timezone.now()
        return timezone.make_aware(when) if timezone.is_naive(when) else when

    def save_item(self, instance: Publishable, item: ParsedItem) -> None:
        validated(instance, item_location(item)).save()
        # The import's own write: any later change of updated_at is an editor's.
        type(instance).objects.filter(pk=instance.pk).update(imported_at=instance.updated_at)
        instance.imported_at = instance.updated_at

    def person(self, name: str | None, item: ParsedItem) -> Person | None:
        name = " ".join((name or "").split())
        if not name:
            return None
        known = Person.objects.filter(name__iexact=name).first()
        if known:
            return known
        person = Person(name=name, slug=unique_slug(Person, name))
        validated(person, item_location(item)).save()
        return person

    def tags_for(self, item: ParsedItem, *more: str | None) -> list[str]:
        names: dict[str, str] = {}
        for name in (*item.tags, *self.options.tags, *more):
            name = " ".join((name or "").split())
            if len(name) > TAG_LENGTH:
                raise BackIssueError(
                    f"a tag is longer than {TAG_LENGTH} characters: {name[:60]}…",
                    location=item_location(item),
                )
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def record(
        self, kind: str, item: ParsedItem, outcome: str, row: Publishable, gaps: list[str]
    ) -> None:
        self.report.count(kind, outcome)
        if outcome == "kept":
            self.report.kept.append(
                ItemNote.about(kind, item, "edited since the last import; --overwrite replaces it")
            )
        elif row.needs_review:
            self.report.count(kind, "flagged")
            detail = ", ".join(gaps) or "needs review"
            self.report.flagged.append(ItemNote.about(kind, item, detail))

    # Old addresses and pages

    def write_redirect(self, item: ParsedItem, row: Publishable) -> None:
        if not item.old_url:
            return
        parts = urlsplit(item.old_url)
        old_path = parts.path + (f"?{parts.query}" if parts.query else "")
        new_path = row.get_absolute_url()
        if old_path in ("", "/", new_path):
            return
        redirect = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path).first()
        if redirect and redirect.new_path == new_path:
            self.report.count("redirect", "unchanged")
            return
        outcome = "updated" if redirect else "created"
        redirect = redirect or Redirect(site_id=settings.SITE_ID, old_path=old_path)
        redirect.new_path = new_path
        validated(redirect, item_location(item)).save()
        self.report.count("redirect", outcome)

    def write_page(self, page: ParsedFlatPage) -> None:
        path = urlsplit(page.url).path.strip("/")
        url = f"/{path}/" if path else "/"
        existing = FlatPage.objects.filter(url=url).first()
        if existing and (existing.title, existing.content) == (page.title, page.content):
            self.report.count("page", "unchanged")
            return
        # Flat pages keep no history: a differing one may be an editor's, so it is kept.
        if existing and not self.options.overwrite:
            self.report.count("page", "kept")
            self.report.kept.append(
                ItemNote.about("page", page, "differs from the import; --overwrite replaces it")
            )
            return
        flatpage = existing or FlatPage(url=url)
        flatpage.title, flatpage.content = page.title, page.content
        validated(flatpage, item_location(page) or url).save()
        flatpage.sites.add(settings.SITE_ID)
        self.report.count("page", "updated" if existing else "created")

    # Images

    def find_upload(self, figure: ParsedFigure | None) -> Path | None:
        """The path, under the media root, of the file a figure's image address names."""
        if not figure or not figure.image or not self.options.media_root:
            return None
        path = unquote(urlsplit(figure.image).path)
        if UPLOADS not in path:
            return None
        relative = Path(path.split(UPLOADS, 1)[1])
        root = Path(self.options.media_root).resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate.relative_to(root)

    def save_figure(
        self, figure: CaptionedImage, parsed: ParsedFigure, upload: Path | None, owner: FigureOwner
    ) -> None:
        """Fill a briefing's or an article's figure from the parse and save it."""
        figure.caption = parsed.caption or ""
        figure.credit = parsed.credit or ""
        figure.alt = (parsed.alt or parsed.caption or "")[:ALT_LENGTH]
        figure.image = self.stored_image(parsed.image, upload, figure.alt, owner) or ""
        validated(figure, item_location(owner.item)).save()

    def stored_image(
        self, image: str | None, upload: Path | None, alt: str, owner: FigureOwner
    ) -> str | None:
        """The storage name of the figure's image, copied there if needed; None when there is
        none to keep, which the report lists."""
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
        return self.copy_to_storage(upload)

    def copy_to_storage(self, upload: Path) -> str:
        """Copy once: a file already stored under the same name and size is the same upload."""
        name = f"{FIGURE_FOLDER}/{upload.as_posix()}"
        source = Path(self.options.media_root).resolve() / upload
        if default_storage.exists(name) and default_storage.size(name) == source.stat().st_size:
            return name
        with source.open("rb") as file:
            stored = default_storage.save(name, File(file))
        self.copied_files.append(stored)
        return stored
