"""A batch's rows and their parts saved: updated rows one at a time (they are rare), new rows
and every part in bulk, with a fixed number of queries however many items the batch holds."""

from django.db import models

from articles.models import Article, ArticleFigure, TaggedArticle
from backissues.writing.bulk import prepare_insert
from backissues.writing.plans import Plan, by_model
from backissues.writing.rows_by_name import NameLookups
from backissues.writing.same_item import clear_bare_figures
from backissues.writing.slugs import SITE_SLUGS, allocate_slugs
from backissues.writing.sql import insert_values, reserve_primary_keys
from briefings.models import Briefing, Bullet, Figure, Section, TaggedBriefing
from publishing import markup
from publishing.models import AT_UPDATE, Publishable

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


def save(plans: list[Plan], names: NameLookups) -> None:
    """Save the rows and their parts. Where primary keys can be reserved (PostgreSQL), a new
    row's parts go in first: its search vector, computed as the row is inserted, then holds
    them, where parts inserted after would recompute it once for each kind of part."""
    for plan in plans:
        for attname, (lookup, key) in plan.parts.links.items():
            setattr(plan.row, attname, lookup.pk(key))
        # A filled row an editor has changed stays changed: it keeps its import time.
        if plan.kept is None or not plan.row.edited_since_import:
            plan.row.imported_at = AT_UPDATE
    created: dict[type[Publishable], list[Publishable]] = {}
    for model, group in by_model(plans).items():
        give_slugs(model, [plan for plan in group if not plan.row.slug])
        updated = [plan.row for plan in group if plan.outcome == "updated"]
        filled = [plan.row for plan in group if plan.outcome == "filled"]
        for row in updated + filled:  # rare: one at a time
            row.save()
        clear_parts(model, updated)  # a filled row keeps its parts: it only gains
        clear_bare_figures(model, [plan for plan in group if plan.outcome == "filled"])
        created[model] = [plan.row for plan in group if plan.outcome == "created"]
        for row in created[model]:
            prepare_insert(row)
    parts_first = reserve_primary_keys(created)
    if parts_first:
        save_parts(plans, names)
    for model, rows in created.items():
        model.objects.bulk_create(rows)
    if not parts_first:
        save_parts(plans, names)


def give_slugs(model: type[Publishable], plans: list[Plan]) -> None:
    wanted = [(plan.slug, plan.row.title or plan.row.derived_title()) for plan in plans]
    for plan, slug in zip(plans, allocate_slugs(model, SITE_SLUGS, wanted), strict=True):
        plan.row.slug = slug


def clear_parts(model: type[Publishable], rows: list[Publishable]) -> None:
    """The parts of updated rows, which their new parts replace."""
    if not rows:
        return
    pks = [row.pk for row in rows]
    for part, name in REPLACED_PARTS[model]:
        part.objects.filter(**{f"{name}__in": pks}).delete()


def save_parts(plans: list[Plan], names: NameLookups) -> None:
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
            for pk in dict.fromkeys(names.people.pk(key) for key in plan.parts.authors)
        ],
    )
    for model, group in by_model(plans).items():
        insert_values(
            TAGGINGS[model],
            ("content_object_id", "tag_id"),
            [
                (plan.row.pk, pk)
                for plan in group
                for pk in dict.fromkeys(names.tags.pk(key) for key in plan.parts.tags)
                if pk not in plan.present_tags
            ],
        )
