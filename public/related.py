"""Items related to a detail page's item: published items of either kind sharing its tags.

One query finds them: each kind counts the tags its items share with the item, the two are
joined with UNION ALL, and the database keeps the five sharing most, newest first among
equals, ranking by no more than each item's pk and date (an index holds both), then reads
what the related list shows (title, address, date, kind) for those five only, so the list
costs no further query.
"""

from django.db.models import Count, QuerySet

from articles.models import Article
from briefings.models import Briefing
from public.sql import as_moment, most_shared
from publishing.models import Publishable

RELATED_LIMIT = 5
KINDS: list[type[Publishable]] = [Briefing, Article]
FIELDS = ("pk", "title", "slug", "published_at", "language")


def related_items(item: Publishable, limit: int = RELATED_LIMIT) -> list[Publishable]:
    """Up to `limit` published items sharing the most tags with `item`, newest first among
    equals; never `item` itself. `item.tags` is read as prefetched by the detail page.

    The items are unsaved-looking shells holding only FIELDS and `shared_tags`: enough for
    their title, kind and `get_absolute_url()`.
    """
    tag_ids = [tag.pk for tag in item.tag_list]
    if not tag_ids:
        return []
    per_kind = [sharing_tags(model, item, tag_ids) for model in KINDS]
    related = []
    for kind, *values, shared_tags in most_shared(per_kind, FIELDS, limit):
        other = KINDS[kind](**dict(zip(FIELDS, values, strict=True)))
        other.published_at = as_moment(other.published_at)
        other.shared_tags = shared_tags
        related.append(other)
    return related


def sharing_tags(model: type[Publishable], item: Publishable, tag_ids: list[int]) -> QuerySet:
    others = model.objects.published()
    if isinstance(item, model):
        others = others.exclude(pk=item.pk)
    # Filtering on the tags before counting them counts only the shared ones.
    return (
        others.filter(tags__in=tag_ids)
        .order_by()
        .values_list("pk", "published_at")
        .annotate(shared_tags=Count("tags"))
    )
