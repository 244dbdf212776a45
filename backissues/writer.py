"""Saving parsed back-issue files: their items, the items' old addresses and flat pages.

A file is written in one transaction, alone or with other files (`write_files`): a failure
writes nothing of it. Each item is recognised by its source reference (a WXR guid, else a
fingerprint of what identifies it) and carries a hash of what the import wrote, so a re-run
leaves unchanged items untouched and an item an editor has changed since is kept unless
`overwrite` says otherwise.

Items are written in batches, with a fixed number of queries per batch however many items,
bullets, people or tags it has: existing rows are looked up together, new ones inserted in bulk.
People, publications and tags are found by name in run-wide caches (`WriteOptions.known`).
"""

import dataclasses
import functools
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, ArticleFigure, TaggedArticle
from backissues.errors import BackIssueError
from backissues.parsed import (
    ParsedArticle,
    ParsedBriefing,
    ParsedFigure,
    ParsedFile,
    ParsedFlatPage,
    ParsedItem,
)
from backissues.publication_index import PublicationIndex
from briefings.models import Briefing, Bullet, Figure, Section, TaggedBriefing
from images.checks import check_image
from images.models import CaptionedImage
from images.stored import StoredImage, store_image
from people.models import Person, Publication
from publishing import markup
from publishing.content_version import content_changed
from publishing.models import AT_UPDATE, OldAddress, Publishable, Status, render_markdown_fields
from publishing.web_links import WEB_SCHEMES, scheme_of
from sources.services import refresh_citations

KINDS = ("briefing", "article", "page", "redirect")
OUTCOMES = ("created", "updated", "unchanged", "kept", "flagged")
WRITTEN = ("created", "updated")
# What a source may say of an item's status without the item needing a look.
CLEAN_SOURCE_STATUSES = (None, "published", "scheduled")
UPLOADS = "wp-content/uploads/"
TAG_LENGTH = Tag._meta.get_field("name").max_length
SOURCE_REF_LENGTH = Article._meta.get_field("source_ref").max_length
FIGURE_FOLDER = "figures"
ALT_LENGTH = CaptionedImage._meta.get_field("alt").max_length
OLD_PATH_LENGTH = OldAddress._meta.get_field("path").max_length
# Items written together: bounds the memory a large export takes while written, and the
# parameters of one query (older SQLite builds allow 999).
BATCH_SIZE = 400
# An item's parts kept as rows, inserted in this order; bullets follow (a bullet names its
# section).
PART_MODELS = (Section, Figure, ArticleFigure)
TAGGINGS = {Briefing: TaggedBriefing, Article: TaggedArticle}
AUTHORSHIPS = Article.authors.through
# What a write of an existing item replaces, by the field naming the item.
REPLACED_PARTS = {
    Briefing: (
        (Bullet, "briefing"),
        (Section, "briefing"),
        (Figure, "briefing"),
        (TaggedBriefing, "content_object"),
    ),
    Article: (
        (ArticleFigure, "article"),
        (AUTHORSHIPS, "article"),
        (TaggedArticle, "content_object"),
    ),
}


# Slugs


def site_slug_base(text: str) -> str:
    """The slug `newsroom.models.unique_slug` starts from (a test keeps the two in step)."""
    return slugify(text, allow_unicode=False)[:190].strip("-") or "item"


# The longest slug taken from the source: room is left for "-2", "-3"… as unique_slug leaves.
PREFERRED_SLUG_LENGTH = Article._meta.get_field("slug").max_length - 10


def preferred_slug(wanted: str | None) -> str:
    """The parser's slug for an item, made safe and cut at a hyphen to fit; used when no row
    has it yet."""
    return shortened(slugify(unquote(wanted or "")), PREFERRED_SLUG_LENGTH, "-")


def shortened(text: str, limit: int, separator: str) -> str:
    """`text` cut to at most `limit` characters, at the last `separator` when it has one."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    cut = cut.rsplit(separator, 1)[0] if separator in cut else cut[:limit]
    return cut.strip(separator)


@dataclass(frozen=True)
class SlugRule:
    """How a model makes a slug from a name, and numbered ones when that slug is taken."""

    base: Callable[[str], str]
    numbered: Callable[[str, int], str]  # (base, n)
    first_number: int


# newsroom.models.unique_slug: "title", "title-2", "title-3"…
SITE_SLUGS = SlugRule(site_slug_base, lambda base, n: f"{base}-{n}", 2)
# taggit's TagBase.save: "name", "name_1", "name_2"…
TAG_SLUGS = SlugRule(Tag().slugify, lambda base, n: f"{base}_{n}", 1)


def allocate_slugs(
    model: type[models.Model], rule: SlugRule, wanted: list[tuple[str, str]]
) -> list[str]:
    """A slug for each (preferred slug or "", name): the preferred one when free, else the one
    made from the name, numbered when taken; the slugs one-at-a-time saves would get, found with
    one query for all and one more for each slug already taken."""
    bases = [rule.base(name) for _, name in wanted]
    candidates = {*bases, *(preferred for preferred, _ in wanted if preferred)}
    taken = set(model.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    numbered_looked_up: set[str] = set()
    slugs = []
    for (preferred, _), base in zip(wanted, bases, strict=True):
        if preferred and preferred not in taken:
            slug = preferred
        elif base not in taken:
            slug = base
        else:
            if base not in numbered_looked_up:
                taken |= set(
                    model.objects.filter(slug__startswith=base).values_list("slug", flat=True)
                )
                numbered_looked_up.add(base)
            number = rule.first_number
            while (slug := rule.numbered(base, number)) in taken:
                number += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


# Rows found by name: people, publications, tags


class KnownNames:
    """Primary keys of a model's rows by casefolded name, loaded on first use and shared by the
    files of a run. A file's new rows join only once the file has committed: a failed file and
    a dry run roll theirs back."""

    def __init__(self, model: type[models.Model], order: tuple[str, ...]):
        self.model = model
        self.order = order  # which row a name stands for when several spell it alike
        self._pks: dict[str, int] | None = None

    def get(self, key: str) -> int | None:
        if self._pks is None:
            self._pks = {}
            for pk, name in self.model.objects.order_by(*self.order).values_list("pk", "name"):
                self._pks.setdefault(name.casefold(), pk)
        return self._pks.get(key)

    def add(self, pks: dict[str, int]) -> None:
        if self._pks is not None:  # else they are loaded with the rest
            self._pks.update(pks)


@dataclass
class KnownRows:
    people: KnownNames = field(default_factory=lambda: KnownNames(Person, ("name", "pk")))
    publications: KnownNames = field(
        default_factory=lambda: KnownNames(Publication, ("name", "pk"))
    )
    # taggit takes the oldest of the tags a name matches case-insensitively.
    tags: KnownNames = field(default_factory=lambda: KnownNames(Tag, ("pk",)))


class NamedRows:
    """The rows of one model a file finds or adds by name. A new row is built (and checked)
    when its name is first met; the new rows are inserted together before the items that
    name them."""

    def __init__(
        self, known: KnownNames, build: Callable[[str, str], models.Model], slugs: SlugRule
    ):
        self.known = known
        self.build = build  # (name, location) -> an unsaved row
        self.slugs = slugs
        self.waiting: dict[str, models.Model] = {}
        self.added: dict[str, int] = {}

    def key(self, name: str, location: str) -> tuple[str, bool]:
        """The name's key, and whether no row has the name yet (one is then added)."""
        key = name.casefold()
        if key in self.waiting or key in self.added or self.known.get(key) is not None:
            return key, False
        self.waiting[key] = self.build(name, location)
        return key, True

    def pk(self, key: str | None) -> int | None:
        if key is None:
            return None
        return self.added.get(key) or self.known.get(key)

    def insert_waiting(self) -> None:
        rows = list(self.waiting.values())
        if not rows:
            return
        wanted = [("", row.name) for row in rows]
        for row, slug in zip(
            rows, allocate_slugs(self.known.model, self.slugs, wanted), strict=True
        ):
            row.slug = slug
        self.known.model.objects.bulk_create(rows)
        self.added.update({key: row.pk for key, row in self.waiting.items()})
        self.waiting.clear()

    def share(self) -> None:
        """Once the file has committed: its new rows are known to the rest of the run."""
        self.known.add(self.added)


@dataclass
class WriteOptions:
    dry_run: bool = False
    overwrite: bool = False
    series: str = ""  # for briefings whose source names none
    tags: list[str] = field(default_factory=list)  # put on every item
    media_root: Path | None = None  # a local copy of wp-content/uploads
    # Built once per run from the database; loaded by write_file when not given.
    publications: PublicationIndex | None = None
    # People, publications and tags by name, for all the files written with these options.
    known: KnownRows = field(default_factory=KnownRows)


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
    try:
        return write_files([parsed], options=options)[0]
    except BackIssueError as error:
        raise error.located(parsed.source) from error


def write_files(files: list[ParsedFile], *, options: WriteOptions) -> list[FileReport]:
    """Save several files in one transaction, so with one round of queries: all of them, or
    nothing when any fails, or when two of them hold the same item (FilesOverlap), which
    files written one by one would create once and then update."""
    batch = BatchWriter(files, options)
    rendered = {}  # one dict: a chain of many is slower to look in
    for parsed in files:
        rendered.update(parsed.rendered)
    try:
        with transaction.atomic(), markup.prerendered(rendered):
            relax_durability()
            batch.write()
            if options.dry_run:
                transaction.set_rollback(True)
    except Exception:
        batch.discard_copied_files()
        raise
    if not options.dry_run:
        batch.names.share()
        content_changed()  # rows were written in bulk, which sends no signals
    return [writer.report for writer in batch.writers]


class FilesOverlap(Exception):
    """Two files of one transaction hold the same item."""

    def __init__(self, kind: str, ref: str, first: str, second: str):
        super().__init__(f"the {kind} {ref} is in both {first} and {second}")


def relax_durability() -> None:
    """Let PostgreSQL commit this file's transaction without waiting for its WAL flush.

    A file is still all or nothing; a server crash may forget the last files committed, and
    importing them again brings them back, as an import is idempotent. Waiting for the flush
    cost about a third of a small page's time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


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
        # An export says whether the post was open to all; it stays so, flagged if something
        # is missing. Any other status (a draft, a private post, one with a password) hides it.
        hidden = item.source_status not in CLEAN_SOURCE_STATUSES or item.published_at is None
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
    # Its old addresses are kept apart from the item (write_old_addresses).
    data = {
        key: value for key, value in plain_data(item).items() if key not in ("line", "shortlink")
    }
    data.update(decided)
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def plain_data(value):
    """`dataclasses.asdict` without its deep copies, which cost more than the hash: the same
    dicts and lists, holding the item's own strings and dates."""
    kind = type(value)
    if kind is str or value is None:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(value):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: plain_data(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        if all(type(part) is str for part in value):  # bullets, tags, authors
            return list(value)
        return [plain_data(part) for part in value]
    if isinstance(value, dict):
        return {key: plain_data(part) for key, part in value.items()}
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, by class


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


def batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def checked_by_name(model: type[models.Model]) -> Callable[[str, str], models.Model]:
    """A builder, for NamedRows, of a checked and unsaved row of `model` with a given name."""

    def build(name: str, location: str) -> models.Model:
        return validated(model(name=name), location)

    return build


def prepare_insert(row: Publishable) -> None:
    """What `save()` does to a row besides writing it, done for rows inserted in bulk:
    Briefing.save derives a missing title, Publishable.save renders the Markdown fields."""
    if not row.title:
        row.title = row.derived_title()
    render_markdown_fields(row)


def old_paths(item: ParsedItem) -> list[str]:
    """The item's old addresses as kept (newsroom.models.OldAddress): their paths, decoded as
    requests give them, with any query ("/?p=123")."""
    paths = []
    for url in (item.old_url, item.shortlink):
        parts = urlsplit(url or "")
        path = unquote(parts.path) + (f"?{parts.query}" if parts.query else "")
        if path not in ("", "/"):
            paths.append(path)
    return list(dict.fromkeys(paths))


def page_url(page: ParsedFlatPage) -> str:
    path = urlsplit(page.url).path.strip("/")
    return f"/{path}/" if path else "/"


def insert_values(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows given as plain values (numbers, text, None) for `columns`, as few statements
    as the database's parameter limit allows; no model instance is built or prepared."""
    if not rows:
        return
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
    row_placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = connection.ops.bulk_batch_size(columns, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [value for row in chunk for value in row]
            cursor.execute(into + ", ".join([row_placeholders] * len(chunk)), params)


def reserve_primary_keys(rows: dict[type[models.Model], list[models.Model]]) -> bool:
    """Give the rows primary keys from their tables' sequences, before they are inserted; False
    where the database has no sequence to take them from (SQLite)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        for model, group in rows.items():
            if not group:
                continue
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(group)],
            )
            for row, (pk,) in zip(group, cursor.fetchall(), strict=True):
                row.pk = pk
    return True


@dataclass
class Parts:
    """What an item's row brings besides its own fields; replaced whenever the row is written."""

    # Foreign keys named by a name: attname -> (the rows named, the name's key).
    links: dict[str, tuple[NamedRows, str | None]] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)  # people's keys
    tags: list[str] = field(default_factory=list)  # tags' keys
    rows: list[models.Model] = field(default_factory=list)  # sections, figures
    bullets: list[tuple[Section | None, str, int]] = field(default_factory=list)


@dataclass
class Plan:
    """One item of a batch: what identifies it, what becomes of it, and what is written."""

    model: type[Publishable]
    item: ParsedItem
    ref: str
    assessment: Assessment
    digest: str
    uploads: list[Path | None]  # found for a briefing's lead figure, or each article figure
    file: "FileWriter"  # the file the item is in
    outcome: str = "created"
    row: Publishable | None = None  # the site's row, else the one being built
    slug: str = ""  # the parser's slug, for a row without one yet
    parts: Parts = field(default_factory=Parts)

    @property
    def kind(self) -> str:
        return self.model._meta.model_name


def by_model(plans: list[Plan]) -> dict[type[Publishable], list[Plan]]:
    grouped: dict[type[Publishable], list[Plan]] = {}
    for plan in plans:
        grouped.setdefault(plan.model, []).append(plan)
    return grouped


class NameRows:
    """The people, publications and tags the files of one transaction find or add by name."""

    def __init__(self, known: KnownRows):
        self.people = NamedRows(known.people, checked_by_name(Person), SITE_SLUGS)
        self.publications = NamedRows(known.publications, checked_by_name(Publication), SITE_SLUGS)
        # Tags are not checked, as taggit does not check them: tag_names checks their length.
        self.tags = NamedRows(known.tags, lambda name, _: Tag(name=name), TAG_SLUGS)

    def all(self) -> tuple[NamedRows, ...]:
        return (self.people, self.publications, self.tags)

    def insert_waiting(self) -> None:
        for rows in self.all():
            rows.insert_waiting()

    def share(self) -> None:
        """Once the transaction has committed: its new rows are known to the rest of the run."""
        for rows in self.all():
            rows.share()


class BatchWriter:
    """The files of one transaction, their items written together in batches of BATCH_SIZE."""

    def __init__(self, files: list[ParsedFile], options: WriteOptions):
        self.options = options
        self.names = NameRows(options.known)
        publication_index = options.publications or PublicationIndex.load()
        self.writers = [
            FileWriter(parsed, options, self.names, publication_index) for parsed in files
        ]
        # Which file holds each item: two files' items in one batch would both be created.
        self.holders: dict[tuple[str, str], FileWriter] = {}

    def write(self) -> None:
        whole = [writer for writer in self.writers if writer.parsed.parts is None]
        for writer in self.writers:
            if writer.parsed.parts is not None:
                self.write_stream(writer)
        self.write_parsed([(writer, writer.parsed) for writer in whole])

    def write_stream(self, writer: "FileWriter") -> None:
        """A streamed file's parts, each written as it is read, with its rendered Markdown."""
        try:
            for part in writer.parsed.take_parts():
                writer.report.notes += part.notes
                with markup.prerendered(part.rendered):
                    self.write_parsed([(writer, part)])
        finally:
            writer.parsed.close()

    def write_parsed(self, parsed: list[tuple["FileWriter", ParsedFile]]) -> None:
        items = [(writer, item) for writer, part in parsed for item in part.items()]
        for batch in batches(items, BATCH_SIZE):
            self.write_items(batch)
        for writer, part in parsed:
            for pages in batches(part.pages, BATCH_SIZE):
                writer.write_pages(pages)

    def hold(self, plan: Plan) -> None:
        holder = self.holders.setdefault((plan.kind, plan.ref), plan.file)
        if holder is not plan.file:
            raise FilesOverlap(plan.kind, plan.ref, holder.parsed.source, plan.file.parsed.source)

    def discard_copied_files(self) -> None:
        for writer in self.writers:
            writer.discard_copied_files()

    def write_items(self, items: list[tuple["FileWriter", ParsedItem]]) -> None:
        plans = [writer.plan(item) for writer, item in items]
        for plan in plans:
            self.hold(plan)
        self.find_rows(plans)
        written = [plan for plan in plans if plan.outcome in WRITTEN]
        for plan in written:
            plan.file.build(plan)
        self.names.insert_waiting()
        self.save(written)
        # Their bullets' sources ("(Mehr, October 4)"), for the reader's /sources/ pages.
        if briefings := [plan.row for plan in written if plan.model is Briefing]:
            refresh_citations(briefings)
        self.write_old_addresses(plans)
        for plan in plans:
            plan.file.record(plan)

    def find_rows(self, plans: list[Plan]) -> None:
        """Each item's row, if the site has it, and so its outcome: one query per kind."""
        for model, group in by_model(plans).items():
            rows = model.objects.filter(source_ref__in=[plan.ref for plan in group])
            found = {row.source_ref: row for row in rows}
            for plan in group:
                plan.row = found.get(plan.ref)
                plan.outcome = self.outcome(plan.row, plan.digest)

    def outcome(self, existing: Publishable | None, digest: str) -> str:
        if existing is None:
            return "created"
        if existing.source_hash == digest:
            return "unchanged"
        if existing.edited_since_import and not self.options.overwrite:
            return "kept"
        return "updated"

    # Saving: the batch's rows and their parts

    def save(self, plans: list[Plan]) -> None:
        """Save the rows and their parts. Where primary keys can be reserved (PostgreSQL), a new
        row's parts go in first: its search vector, computed as the row is inserted, then holds
        them, where parts inserted after would recompute it once for each kind of part."""
        for plan in plans:
            for attname, (rows, key) in plan.parts.links.items():
                setattr(plan.row, attname, rows.pk(key))
            plan.row.imported_at = AT_UPDATE
        created: dict[type[Publishable], list[Publishable]] = {}
        for model, group in by_model(plans).items():
            self.give_slugs(model, [plan for plan in group if not plan.row.slug])
            updated = [plan.row for plan in group if plan.outcome == "updated"]
            for row in updated:  # rare: one at a time
                row.save()
            self.clear_parts(model, updated)
            created[model] = [plan.row for plan in group if plan.outcome == "created"]
            for row in created[model]:
                prepare_insert(row)
        parts_first = reserve_primary_keys(created)
        if parts_first:
            self.save_parts(plans)
        for model, rows in created.items():
            model.objects.bulk_create(rows)
        if not parts_first:
            self.save_parts(plans)

    def give_slugs(self, model: type[Publishable], plans: list[Plan]) -> None:
        wanted = [(plan.slug, plan.row.title or plan.row.derived_title()) for plan in plans]
        for plan, slug in zip(plans, allocate_slugs(model, SITE_SLUGS, wanted), strict=True):
            plan.row.slug = slug

    def clear_parts(self, model: type[Publishable], rows: list[Publishable]) -> None:
        """The parts of updated rows, which their new parts replace."""
        if not rows:
            return
        pks = [row.pk for row in rows]
        for part, name in REPLACED_PARTS[model]:
            part.objects.filter(**{f"{name}__in": pks}).delete()

    def save_parts(self, plans: list[Plan]) -> None:
        parts: dict[type[models.Model], list[models.Model]] = {model: [] for model in PART_MODELS}
        for plan in plans:
            for row in plan.parts.rows:
                parts[type(row)].append(row)
        for model, rows in parts.items():
            model.objects.bulk_create(rows)
        render_inline = markup.render_inline_markdown
        # The many small parts go in as plain values, not model instances: Bullet.save's
        # rendering done here, a section's bullet given the section's briefing.
        insert_values(
            Bullet,
            ("briefing_id", "section_id", "text", "text_html", "position"),
            [
                (plan.row.pk, section and section.pk, text, render_inline(text), position)
                for plan in plans
                for section, text, position in plan.parts.bullets
            ],
        )
        insert_values(
            AUTHORSHIPS,
            ("article_id", "person_id"),
            [
                (plan.row.pk, pk)
                for plan in plans
                for pk in dict.fromkeys(self.names.people.pk(key) for key in plan.parts.authors)
            ],
        )
        for model, group in by_model(plans).items():
            insert_values(
                TAGGINGS[model],
                ("content_object_id", "tag_id"),
                [
                    (plan.row.pk, pk)
                    for plan in group
                    for pk in dict.fromkeys(self.names.tags.pk(key) for key in plan.parts.tags)
                ],
            )

    def write_old_addresses(self, plans: list[Plan]) -> None:
        """Each item's old address, kept with the item: it redirects only while the item is
        published. An address another item had is given to this one."""
        wanted = [(plan, path) for plan in plans for path in old_paths(plan.item)]
        if not wanted:
            return
        known = {
            address.path: address
            for address in OldAddress.objects.filter(path__in=[path for _, path in wanted])
        }
        added: dict[str, OldAddress] = {}
        for plan, path in wanted:
            if len(path) > OLD_PATH_LENGTH:
                note = f"old address longer than {OLD_PATH_LENGTH} characters: not kept"
                plan.file.report.notes.append((item_location(plan.item), note))
                continue
            content_type = ContentType.objects.get_for_model(plan.model)
            address = known.get(path)
            item = (content_type.pk, plan.row.pk)
            if address and (address.content_type_id, address.object_id) == item:
                plan.file.report.count("redirect", "unchanged")
                continue
            outcome = "updated" if address else "created"
            address = address or OldAddress(path=path)
            address.content_type_id, address.object_id = item
            if address.pk:
                address.save()
            else:  # an old path twice in a file: the later item's is the one saved
                added[path] = known[path] = address
            plan.file.report.count("redirect", outcome)
        OldAddress.objects.bulk_create(added.values())


class FileWriter:
    """What is made of one file's items: their plans, rows and parts, and the file's report."""

    def __init__(
        self,
        parsed: ParsedFile,
        options: WriteOptions,
        names: NameRows,
        publication_index: PublicationIndex,
    ):
        self.parsed = parsed
        self.options = options
        self.publication_index = publication_index
        self.report = FileReport(parsed.source, parsed.encoding, notes=list(parsed.notes))
        if parsed.encoding == "windows-1252":
            self.report.notes.append(("file", "not UTF-8: read as Windows-1252"))
        self.copied_files: list[str] = []
        self.references: set[str] = set()
        self.people, self.publications, self.tags = names.all()

    def discard_copied_files(self) -> None:
        for name in self.copied_files:
            default_storage.delete(name)

    # Planning: what identifies each item, and whether the site has it already

    def plan(self, item: ParsedItem) -> Plan:
        if isinstance(item, ParsedBriefing):
            return self.plan_briefing(item)
        return self.plan_article(item)

    def plan_briefing(self, item: ParsedBriefing) -> Plan:
        series = self.series(item)
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
        return Plan(Briefing, item, ref, assessment, digest, [upload], self)

    def plan_article(self, item: ParsedArticle) -> Plan:
        ref = self.reference(item, "article", item.publication, item.title, item.date)
        assessment = assess(item)
        uploads = [self.find_upload(figure) for figure in item.figures]
        # Which files were found is added only with figures: the hash of an article without
        # figures stays what it was before figures were kept.
        found = {"uploads": [str(u) if u else None for u in uploads]} if item.figures else {}
        digest = content_hash(item, status=assessment.status, tags=self.options.tags, **found)
        return Plan(Article, item, ref, assessment, digest, uploads, self)

    def series(self, item: ParsedBriefing) -> str:
        return item.series or self.options.series

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

    # Building: each written item's row and parts, checked, in the order of the file

    def build(self, plan: Plan) -> None:
        plan.row = plan.row or plan.model(source_ref=plan.ref)
        if plan.model is Briefing:
            self.build_briefing(plan)
        else:
            self.build_article(plan)

    def build_briefing(self, plan: Plan) -> None:
        item, briefing = plan.item, plan.row
        location = item_location(item)
        plan.parts.links["editor_id"] = (self.people, self.person_key(item.editor, location))
        briefing.series = self.series(item)
        briefing.publisher = item.publisher or ""
        briefing.period_start = item.period_start
        briefing.period_end = item.period_end
        briefing.title = item.title or ""
        self.fill_publishable(plan)
        validated(briefing, location)
        plan.parts.tags = self.tag_keys(item)
        self.add_bullets(plan, None, item.overview)
        for position, parsed_section in enumerate(item.sections):
            section = Section(briefing=briefing, title=parsed_section.title, position=position)
            plan.parts.rows.append(validated(section, location))
            self.add_bullets(plan, section, parsed_section.bullets)
        if has_content(item.lead_figure):
            figure, owner = Figure(briefing=briefing), FigureOwner("briefing", item)
            plan.parts.rows.append(
                self.filled_figure(figure, item.lead_figure, plan.uploads[0], owner)
            )

    def continue_url(self, item: ParsedArticle, location: str) -> str:
        """The link to the original, dropped with a note when it has another scheme than
        http(s) (a `javascript:` or `data:` link in an old page would run in our readers'
        browsers). An address without a scheme is left to fail validation, naming the item."""
        url = item.continue_url or ""
        if scheme_of(url) not in ("", *WEB_SCHEMES):
            self.report.notes.append((location, "continue-reading link dropped: not http(s)"))
            return ""
        return url

    def add_bullets(self, plan: Plan, section: Section | None, texts: list[str]) -> None:
        # Bullets are not checked: a text that is not blank is all their one field needs.
        texts = [text for text in texts if text.strip()]
        plan.parts.bullets += [(section, text, position) for position, text in enumerate(texts)]

    def build_article(self, plan: Plan) -> None:
        item, article = plan.item, plan.row
        location = item_location(item)
        publication = self.publication_key(item.publication, plan)
        plan.parts.links["publication_id"] = (self.publications, publication)
        article.title = item.title or self.placeholder_title(item)
        article.kicker = item.kicker or ""
        article.standfirst = item.standfirst or ""
        article.original_date = item.date
        article.excerpt = item.excerpt or ""
        article.editor_note = item.editor_note or ""
        article.continue_url = self.continue_url(item, location)
        article.continue_label = (
            item.continue_label or Article._meta.get_field("continue_label").get_default()
        )
        self.fill_publishable(plan)
        validated(article, location)
        plan.parts.authors = [
            key for name in item.authors if name and (key := self.person_key(name, location))
        ]
        plan.parts.tags = self.tag_keys(item, item.kicker)
        kept = [
            (figure, upload)
            for figure, upload in zip(item.figures, plan.uploads, strict=True)
            if has_content(figure)
        ]
        for position, (parsed, upload) in enumerate(kept):
            figure = ArticleFigure(article=article, position=position)
            owner = FigureOwner("article", item, f"figure {position + 1}: ")
            plan.parts.rows.append(self.filled_figure(figure, parsed, upload, owner))

    def publication_key(self, text: str | None, plan: Plan) -> str | None:
        """The key of the publication a parsed name stands for; a name never seen before is
        added and the item flagged, so an editor can make it an alias of a known one."""
        if not text or not text.strip():
            return None
        name = self.publication_index.canonical(text)
        if name is None and (match := self.publication_index.find_in(text)):
            name = match.name
        key, added = self.publications.key(name or text.strip(), item_location(plan.item))
        if added and not name:
            plan.assessment.gaps.append(f"publication (new: {text.strip()})")
        return key

    def placeholder_title(self, item: ParsedArticle) -> str:
        """A title an editor can find the untitled excerpt by, in the admin."""
        return f"Untitled excerpt ({self.parsed.source}, {item_location(item)})"[:300]

    def fill_publishable(self, plan: Plan) -> None:
        """Set the fields both kinds share; the title (or a briefing's period) is set already.
        A row without a slug gets one when saved."""
        instance, item, assessment = plan.row, plan.item, plan.assessment
        if not instance.slug:
            plan.slug = preferred_slug(item.slug)
            if len(plan.slug) < len(slugify(unquote(item.slug or ""))):
                note = f"slug shortened to {len(plan.slug)} characters: {plan.slug}"
                self.report.notes.append((item_location(item), note))
        instance.status = assessment.status
        instance.published_at = self.published_at(item, instance)
        if item.language:
            instance.language = item.language
        instance.needs_review = bool(assessment.gaps)
        instance.source_hash = plan.digest

    def published_at(self, item: ParsedItem, instance: Publishable):
        when = item.published_at
        if when is None:
            # A draft still needs a date; an editor sets the real one on publishing.
            return instance.published_at if instance.pk else timezone.now()
        return timezone.make_aware(when) if timezone.is_naive(when) else when

    def person_key(self, name: str | None, location: str) -> str | None:
        name = " ".join((name or "").split())
        return self.people.key(name, location)[0] if name else None

    def tag_keys(self, item: ParsedItem, *more: str | None) -> list[str]:
        location = item_location(item)
        return [self.tags.key(name, location)[0] for name in self.tag_names(item, *more)]

    def tag_names(self, item: ParsedItem, *more: str | None) -> list[str]:
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

    def record(self, plan: Plan) -> None:
        kind, item = plan.kind, plan.item
        self.report.count(kind, plan.outcome)
        if plan.outcome == "kept":
            self.report.kept.append(
                ItemNote.about(kind, item, "edited since the last import; --overwrite replaces it")
            )
        elif plan.row.needs_review:
            self.report.count(kind, "flagged")
            detail = ", ".join(plan.assessment.gaps) or "needs review"
            self.report.flagged.append(ItemNote.about(kind, item, detail))

    # Old addresses and pages

    def write_pages(self, pages: list[ParsedFlatPage]) -> None:
        urls = [page_url(page) for page in pages]
        known: dict[str, FlatPage] = {}
        for flatpage in FlatPage.objects.filter(url__in=urls):
            known.setdefault(flatpage.url, flatpage)
        for page, url in zip(pages, urls, strict=True):
            self.write_page(page, url, known)

    def write_page(self, page: ParsedFlatPage, url: str, known: dict[str, FlatPage]) -> None:
        existing = known.get(url)
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
        known[url] = flatpage
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
        self.copied_files.extend(stored.written)
        return stored
