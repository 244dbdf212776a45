"""One item however many times, and in however many formats, it arrives.

An item whose source reference the site does not know may still be a row the site has: the same
back issue saved as text and as HTML, or a post on a saved page and in a WordPress export. It
is that row when it had the same old address (its WordPress permalink), or else when its
identity (publishing.identity: an excerpt's title, a briefing's period) is the row's and
nothing else known on both sides disagrees: an excerpt's publication and date, a briefing's
series and editor, their old addresses. Such an item fills what the row lacks (the link to the
original, figures, the series, the editor, tags) and changes nothing the row has, an editor's
changes included; with `--overwrite` it replaces the row as its own source's version would.
"""

from collections import defaultdict
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from articles.models import Article, ArticleFigure
from backissues.parsing.parsed import ParsedArticle
from backissues.writing.old_addresses import old_paths
from backissues.writing.plans import REASONS, Plan
from backissues.writing.report import item_location
from briefings.models import Briefing, Bullet, Figure
from publishing.identity import title_words
from publishing.models import OldAddress, Publishable

# The fields an item from another source may fill when the row has them empty.
FILLABLE = {
    Article: frozenset(
        {
            "kicker",
            "dateline",
            "standfirst",
            "original_date",
            "excerpt",
            "editor_note",
            "continue_url",
        }
    ),
    Briefing: frozenset({"series", "publisher", "period_start", "period_end"}),
}
LINKS = ("editor_id", "publication_id")
# The parts filled only when the row has none of them, each told by the rows of one model.
PARTS = {
    Article: {"authors": (Article.authors.through, "article_id")},
    Briefing: {"bullets": (Bullet, "briefing_id")},
}
# Figures: the row's are kept when one has its image; figures without any (a text page names
# no image file) give way to the item's when one of those has its image.
FIGURES = {Article: (ArticleFigure, "article_id"), Briefing: (Figure, "briefing_id")}
FIGURE_MODELS = (ArticleFigure, Figure)
# The review reason a filled field resolves.
RESOLVES = {"publication_id": "publication", "original_date": "date", "editor_id": "editor"}


def find_same_items(
    model: type[Publishable], plans: list[Plan], taken: set[int], overwrite: bool
) -> None:
    """Give each plan without a row the row it is the same item as, if there is one: one query
    for the batch, two more when it finds rows, and one per kind of part for rows to fill."""
    paths = {path for plan in plans for path in old_paths(plan.item)}
    identities = {plan.identity for plan in plans if plan.identity}
    if not paths and not identities:
        return
    rows = model.objects.filter(
        Q(import_identity__in=identities) | Q(old_addresses__path__in=paths)
    )
    rows = list(rows.distinct().select_related("publication" if model is Article else "editor"))
    if not rows:
        return
    addresses = defaultdict(set)
    for path, pk in OldAddress.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[row.pk for row in rows],
    ).values_list("path", "object_id"):
        addresses[pk].add(path)
    by_path = {path: row for row in rows for path in addresses[row.pk]}
    by_identity = defaultdict(list)
    for row in rows:
        by_identity[row.import_identity].append(row)
    for plan in plans:
        # The old address is the item's own: the row that had it is the item's, whatever else.
        found = [by_path[path] for path in old_paths(plan.item) if path in by_path]
        if found:
            row = found[0] if found[0].pk not in taken else None
        else:
            candidates = [row for row in by_identity[plan.identity] if row.pk not in taken]
            row = same_row(plan, candidates, addresses) if plan.identity else None
        if row is not None:
            taken.add(row.pk)
            take(plan, row, overwrite)
    load_present_parts(model, [plan for plan in plans if plan.kept is not None])


def same_row(plan: Plan, candidates: list[Publishable], addresses: dict) -> Publishable | None:
    """The one candidate agreeing best with the item; none when none agrees, or when several
    agree as well (the item is then flagged, not guessed)."""
    scored = []
    for row in candidates:
        score = agreement(plan, row, addresses[row.pk])
        if score is not None:
            scored.append((score, row))
    if not scored:
        return None
    best = max(score for score, _ in scored)
    rows = [row for score, row in scored if score == best]
    if len(rows) > 1:
        doubt = f"may be the same item as {len(rows)} others: compare them before publishing"
        plan.assessment.flag(doubt)
        plan.file.report.notes.append((item_location(plan.item), doubt))
        return None
    return rows[0]


def agreement(plan: Plan, row: Publishable, row_paths: set[str]) -> int | None:
    """How many of the traits known on both sides agree; None when one disagrees."""
    paths = set(old_paths(plan.item))
    if paths and row_paths and not paths & row_paths:
        return None  # both know their old addresses, and they are not the same
    pairs = []
    item = plan.item
    if isinstance(item, ParsedArticle):
        publication = plan.file.publication_name(item.publication)
        pairs += [
            (
                publication and title_words(publication),
                row.publication and title_words(row.publication.name),
            ),
            (item.date, row.original_date),
        ]
    else:
        editor = " ".join((item.editor or "").split())
        pairs += [
            (title_words(plan.file.series(item)), title_words(row.series)),
            (title_words(editor), row.editor and title_words(row.editor.name)),
        ]
    score = 0
    for ours, theirs in pairs:
        if ours and theirs:
            if ours != theirs:
                return None
            score += 1
    return score


def take(plan: Plan, row: Publishable, overwrite: bool) -> None:
    """The row is the item's: replaced by it with `overwrite` (the item's source becomes the
    row's), else filled where it is empty."""
    plan.row = row
    if overwrite:
        row.source_ref = plan.ref
        plan.outcome = "updated"
        return
    plan.outcome = "filled"
    plan.kept = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def load_present_parts(model: type[Publishable], plans: list[Plan]) -> None:
    """Which parts the rows to be filled have already, and their tags: a query per kind of part."""
    if not plans:
        return
    pks = [plan.row.pk for plan in plans]
    present = defaultdict(set)
    for part, (part_model, column) in PARTS[model].items():
        for pk in part_model.objects.filter(**{f"{column}__in": pks}).values_list(
            column, flat=True
        ):
            present[pk].add(part)
    figure_model, column = FIGURES[model]
    for pk, image in figure_model.objects.filter(**{f"{column}__in": pks}).values_list(
        column, "image"
    ):
        present[pk].add("figures" if image else "bare figures")
    tags = defaultdict(set)
    for pk, tag in model.tags.through.objects.filter(content_object_id__in=pks).values_list(
        "content_object_id", "tag_id"
    ):
        tags[pk].add(tag)
    for plan in plans:
        plan.present = frozenset(present[plan.row.pk])
        plan.present_tags = frozenset(tags[plan.row.pk])


def fill_gaps_only(plan: Plan, tag_pk: Callable[[str], int | None]) -> None:
    """Once the item is built into the row it fills: every value the row had is put back but
    for the empty ones the item fills; the outcome is "unchanged" when it fills nothing."""
    row, kept = plan.row, plan.kept
    filled = []
    for attname, value in kept.items():
        if (
            attname in FILLABLE[plan.model]
            and is_empty(value)
            and not is_empty(getattr(row, attname))
        ):
            filled.append(attname)
        else:
            setattr(row, attname, value)
    plan.parts.links = {
        attname: link
        for attname, link in plan.parts.links.items()
        if kept.get(attname) is None and link[1] is not None
    }
    filled += plan.parts.links
    plan.parts.tags = [key for key in plan.parts.tags if tag_pk(key) not in plan.present_tags]
    keep_figures_with_images(plan)
    if filled:
        resolve_reasons(row, filled)
    elif not (plan.parts.tags or plan.parts.rows or plan.parts.bullets or plan.parts.authors):
        plan.outcome = "unchanged"


def keep_figures_with_images(plan: Plan) -> None:
    """The item's figures replace the row's bare ones only when one of them has its image."""
    if "bare figures" not in plan.present:
        return
    figures = [row for row in plan.parts.rows if isinstance(row, FIGURE_MODELS)]
    if any(figure.image for figure in figures):
        plan.present |= {"figures to replace"}
    else:
        plan.parts.rows = [row for row in plan.parts.rows if row not in figures]


def clear_bare_figures(model: type[Publishable], plans: list[Plan]) -> None:
    """The figures without an image of the filled rows whose item brings figures with one."""
    pks = [plan.row.pk for plan in plans if "figures to replace" in plan.present]
    if pks:
        figure_model, column = FIGURES[model]
        figure_model.objects.filter(**{f"{column}__in": pks}, image="").delete()


def resolve_reasons(row: Publishable, filled: list[str]) -> None:
    """The review reasons the filled fields answer are taken off the row; it stays a draft."""
    resolved = {REASONS[RESOLVES[name]] for name in filled if name in RESOLVES}
    reasons = [line for line in row.review_reasons.splitlines() if line not in resolved]
    row.review_reasons = "\n".join(reasons)
    row.needs_review = bool(reasons)


def is_empty(value) -> bool:
    return value is None or value == ""
