"""An export's categories and tags, kept whether or not an imported item uses them, and the
items' places in the categories.

A category is told by its slug, so two of one name stay two; a tag by its name, as taggit
tells tags. A category an editor has changed since is kept unless `overwrite` says otherwise.
"""

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
TITLE_LENGTH = Publishable._meta.get_field("title").max_length
WHOLE_FILE = "whole file"


def fitted(text: str, limit: int, what: str, notes: list[tuple[str, str]], location: str) -> str:
    """`text` cut at a word to `limit` characters, with a note when it had to be: WordPress
    allows longer titles, slugs and names than some of our fields."""
    if len(text) <= limit:
        return text
    cut = shortened(text, limit, " ")
    notes.append((location, f"{what} shortened to {limit} characters: {cut}"))
    return cut


def term_slug(slug: str, name: str) -> str:
    """A slug fit for an address: WordPress's own, with anything a slug may not hold left out
    (bidi controls, spaces), else one made of the name."""
    return slugify(slug, allow_unicode=True) or slugify(name, allow_unicode=True) or "category"


def our_slug(wordpress_slug: str, name: str = "") -> str:
    """The slug a category of the export is kept under."""
    return shortened(term_slug(wordpress_slug, name), CATEGORY_SLUG_LENGTH, "-")


def write_terms(
    terms: list[ParsedTerm], report: FileReport, tags: NameLookup, overwrite: bool
) -> None:
    """A file's categories and tags."""
    if categories := [term for term in terms if term.taxonomy == "category"]:
        write_categories(categories, report, overwrite)
    for term in terms:
        if term.taxonomy == "post_tag":
            write_tag(term, tags, report)


def write_tag(term: ParsedTerm, tags: NameLookup, report: FileReport) -> None:
    name = fitted(term.name or term.slug, TAG_LENGTH, "tag", report.notes, WHOLE_FILE)
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
        slug = our_slug(term.slug, term.name)
        if len(slug) < len(term_slug(term.slug, term.name)):
            note = f"category {term.name}: slug shortened to {len(slug)} characters: {slug}"
            report.notes.append((WHOLE_FILE, note))
        by_slug.setdefault(term.slug or slug, (term, slug))
    known = Category.objects.in_bulk([slug for _, slug in by_slug.values()], field_name="slug")
    rows: dict[str, Category] = {}
    outcomes: dict[str, str] = {}
    for wp_slug, (term, slug) in by_slug.items():
        name = fitted(term.name or slug, CATEGORY_NAME_LENGTH, "category", report.notes, WHOLE_FILE)
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


def write_members(members: list[tuple[type[Publishable], int, list[str], bool]]) -> None:
    """Each written item, (model, pk, WordPress category slugs, whether it is new), in its
    categories, in place of those it had; with no query when there is nothing to change."""
    replaced: dict[int, list[int]] = {}
    for model, pk, _, new in members:
        if not new:
            replaced.setdefault(ContentType.objects.get_for_model(model).pk, []).append(pk)
    for content_type_id, pks in replaced.items():
        CategorizedItem.objects.filter(content_type_id=content_type_id, object_id__in=pks).delete()
    wanted = {our_slug(slug) for _, _, slugs, _ in members for slug in slugs}
    if not wanted:
        return
    categories = Category.objects.in_bulk(wanted, field_name="slug")
    CategorizedItem.objects.bulk_create(
        CategorizedItem(
            category=categories[slug],
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
        )
        for model, pk, slugs, _ in members
        for slug in dict.fromkeys(map(our_slug, slugs))
        if slug in categories
    )
