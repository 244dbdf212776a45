"""An export's categories and tags, kept whether or not an imported item uses them, and the
items' places in the categories.

A category is told by its slug, so two of one name stay two; a tag by its name, as taggit
tells tags. A category an editor has changed since is kept unless `overwrite` says otherwise.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify
from taggit.models import Tag

from backissues.parsing.parsed import ParsedTerm
from backissues.writing.report import FileReport, ItemNote
from backissues.writing.rows_by_name import NameLookup
from backissues.writing.slugs import shortened
from publishing.models import CategorizedItem, Category, Publishable

CATEGORY_NAME_LENGTH = Category._meta.get_field("name").max_length
CATEGORY_SLUG_LENGTH = Category._meta.get_field("slug").max_length
TAG_LENGTH = Tag._meta.get_field("name").max_length
TAG_SLUG_LENGTH = Tag._meta.get_field("slug").max_length
WHOLE_FILE = "whole file"


def fitted(text: str, limit: int, what: str, report: FileReport, location: str) -> str:
    """`text` cut at a word to `limit` characters, with a note when it had to be: WordPress
    allows longer names than some of our fields."""
    if len(text) <= limit:
        return text
    cut = shortened(text, limit, " ")
    report.notes.append((location, f"{what} shortened to {limit} characters: {cut}"))
    return cut


def term_slug(slug: str, name: str) -> str:
    """A slug fit for an address: WordPress's own, with anything a slug may not hold left out
    (bidi controls, spaces), else one made of the name."""
    return slugify(slug, allow_unicode=True) or slugify(name, allow_unicode=True) or "category"


@dataclass
class FileTerms:
    """A file's terms, and the categories of its written items, written at the file's end."""

    terms: list[ParsedTerm] = field(default_factory=list)
    # (model, row pk, WordPress category slugs) of each item written
    members: list[tuple[type[Publishable], int, list[str]]] = field(default_factory=list)

    def write(self, report: FileReport, tags: NameLookup, overwrite: bool) -> None:
        categories = write_categories(
            [t for t in self.terms if t.taxonomy == "category"], report, overwrite
        )
        for term in self.terms:
            if term.taxonomy == "post_tag":
                write_tag(term, tags, report)
        write_members(self.members, categories)


def write_tag(term: ParsedTerm, tags: NameLookup, report: FileReport) -> None:
    name = fitted(term.name or term.slug, TAG_LENGTH, "tag", report, WHOLE_FILE)
    key, added = tags.key(name, WHOLE_FILE)
    slug = slugify(term.slug, allow_unicode=True)
    if added and slug and len(slug) <= TAG_SLUG_LENGTH:
        tags.prefer(key, slug)
    report.count("tag", "created" if added else "unchanged")


def write_categories(
    terms: list[ParsedTerm], report: FileReport, overwrite: bool
) -> dict[str, Category]:
    """The categories by WordPress slug, created or updated, then placed under their parents
    (a parent may come after its child)."""
    by_slug: dict[str, tuple[ParsedTerm, str]] = {}
    for term in terms:
        slug = fitted(term_slug(term.slug, term.name), CATEGORY_SLUG_LENGTH, "slug", report, "")
        by_slug.setdefault(term.slug or slug, (term, slug))
    known = Category.objects.in_bulk([slug for _, slug in by_slug.values()], field_name="slug")
    rows: dict[str, Category] = {}
    outcomes: dict[str, str] = {}
    for wp_slug, (term, slug) in by_slug.items():
        name = fitted(term.name or slug, CATEGORY_NAME_LENGTH, "category", report, WHOLE_FILE)
        row = known.get(slug) or Category(slug=slug)
        outcomes[wp_slug] = "created" if row.pk is None else "unchanged"
        if (row.name, row.description) != (name, term.description):
            if row.pk and not overwrite:
                outcomes[wp_slug] = "kept"
            else:
                outcomes[wp_slug] = outcomes[wp_slug].replace("unchanged", "updated")
                row.name, row.description = name, term.description
        rows[wp_slug] = row
    Category.objects.bulk_create([row for row in rows.values() if row.pk is None])
    for wp_slug, (term, _) in by_slug.items():
        outcome, row = outcomes[wp_slug], rows[wp_slug]
        moved = outcome != "kept" and place(rows, wp_slug, term, report)
        if moved or outcome == "updated":
            row.save()
        if moved and outcome == "unchanged":
            outcome = "updated"
        report.count("category", outcome)
        if outcome == "kept":
            detail = "differs from the import; --overwrite replaces it"
            report.kept.append(ItemNote("category", row.name, WHOLE_FILE, detail))
    return rows


def place(rows: dict[str, Category], wp_slug: str, term: ParsedTerm, report: FileReport) -> bool:
    """Put the category under its parent; whether that moved it."""
    parent = rows.get(term.parent) if term.parent else None
    if term.parent and parent is None:
        parent = Category.objects.filter(slug=term_slug(term.parent, "")).first()
        if parent is None:
            note = f"category {term.name}: its parent {term.parent} is not in the file"
            report.notes.append((WHOLE_FILE, note))
    row = rows[wp_slug]
    parent_id = parent.pk if parent and parent.pk != row.pk else None
    if row.parent_id == parent_id:
        return False
    row.parent_id = parent_id
    return True


def write_members(
    members: list[tuple[type[Publishable], int, list[str]]], categories: dict[str, Category]
) -> None:
    """Each written item in its categories, in place of those it had."""
    if not members:
        return
    rows, by_type = [], {}
    for model, pk, slugs in members:
        content_type = ContentType.objects.get_for_model(model)
        by_type.setdefault(content_type.pk, []).append(pk)
        rows += [
            CategorizedItem(category=categories[slug], content_type=content_type, object_id=pk)
            for slug in dict.fromkeys(slugs)
            if slug in categories
        ]
    for content_type_id, pks in by_type.items():
        CategorizedItem.objects.filter(content_type_id=content_type_id, object_id__in=pks).delete()
    CategorizedItem.objects.bulk_create(rows)
