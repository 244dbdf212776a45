"""Items related to a detail page's item: published items of either kind sharing its tags.

The related items and everything their cards show cost at most four queries: one per kind
picks and fetches the items, one fetches the tags of all of them, one the articles' authors.
"""

from django.db.models import Count, Model, QuerySet, Value
from django.db.models.query import prefetch_related_objects
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from briefings.models import Briefing, TaggedBriefing
from newsroom.models import Publishable

RELATED_LIMIT = 5

# Each kind: its card's joined rows, and the table linking it to its tags.
KINDS: list[tuple[type[Publishable], tuple[str, ...], type[Model]]] = [
    (Briefing, ("editor", "lead_figure"), TaggedBriefing),
    (Article, ("publication",), TaggedArticle),
]


def related_items(item: Publishable, limit: int = RELATED_LIMIT) -> list[Publishable]:
    """Up to `limit` published items sharing the most tags with `item`, newest first among
    equals; never `item` itself. `item.tags` is read as prefetched by the detail page."""
    tag_ids = [tag.pk for tag in item.tags.all()]
    if not tag_ids:
        return []
    candidates = []
    for model, joined, _tagging in KINDS:
        others = model.objects.published()
        if isinstance(item, model):
            others = others.exclude(pk=item.pk)
        candidates += most_shared_tags(others, tag_ids, limit).select_related(*joined)
    candidates.sort(key=lambda other: (other.shared_tags, other.published_at), reverse=True)
    related = candidates[:limit]
    attach_tags(related)
    prefetch_related_objects([other for other in related if isinstance(other, Article)], "authors")
    return related


def most_shared_tags(items: QuerySet, tag_ids: list[int], limit: int) -> QuerySet:
    # Filtering on the tags before counting them counts only the shared ones.
    return (
        items.filter(tags__in=tag_ids)
        .annotate(shared_tags=Count("tags"))
        .order_by("-shared_tags", "-published_at", "-pk")[:limit]
    )


def attach_tags(items: list[Publishable]) -> None:
    """Fill each item's `tags` as prefetch_related would, for both kinds in one query.

    prefetch_related needs a query per kind, as each kind has its own tagging table.
    """
    if not items:
        return
    links = None
    for model, _joined, tagging in KINDS:
        pks = [item.pk for item in items if isinstance(item, model)]
        rows = (
            tagging.objects.filter(content_object_id__in=pks)
            .annotate(kind=Value(model._meta.label))
            .values_list("kind", "content_object_id", "tag_id", "tag__name", "tag__slug")
        )
        links = rows if links is None else links.union(rows, all=True)
    tags: dict[tuple[str, int], list[Tag]] = {}
    for kind, pk, tag_id, name, slug in sorted(links, key=lambda link: link[3]):
        tags.setdefault((kind, pk), []).append(Tag(pk=tag_id, name=name, slug=slug))
    for item in items:
        cached = Tag.objects.none()
        cached._result_cache = tags.get((item._meta.label, item.pk), [])
        item._prefetched_objects_cache = {"tags": cached}
