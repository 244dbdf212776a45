"""Item cards rendered once and kept in the cache every app server shares, so the pages that
list the same items (the home page and its older pages, tags, archives, people, publications)
do not render each card again on every request.

A card is kept under its kind, its pk and the interface language, with the content version
(publishing/content_version.py) it was rendered under: any change a card could show (the item,
its tags, people, publication, figures) replaces the version, and a card kept under an older
one is rendered again. A card does not change when its item is published, so cards need no
bound before a scheduled publication. A page's cards are fetched in one round trip; a cache
that fails leaves them rendered afresh.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from publishing.cache_breaker import CACHE_ERRORS, CacheSkipped, call_cache
from publishing.content_version import versions_and_stored

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "includes/item_card.html"


def render_cards(items: list, context: Context) -> SafeString:
    """The cards of `items` in order, each rendered with `context` as an include would."""
    if settings.CARD_CACHE_TIMEOUT <= 0 or not items:
        return render_cards_afresh(items, context)
    keys = [card_key(item) for item in items]
    try:
        version, stored = call_cache(lambda: versions_and_stored(keys))
    except CacheSkipped:
        return render_cards_afresh(items, context)
    except CACHE_ERRORS as error:
        logger.warning("Card cache unreachable, cards rendered afresh: %s", error)
        return render_cards_afresh(items, context)
    cards, rendered = [], {}
    for item, key in zip(items, keys, strict=True):
        kept = stored.get(key)
        if kept is None or kept[0] != version:
            kept = rendered[key] = (version, render_card(item, context))
        cards.append(kept[1])
    if rendered:
        keep(rendered)
    return mark_safe("".join(cards))


def render_cards_afresh(items: list, context: Context) -> SafeString:
    return mark_safe("".join(render_card(item, context) for item in items))


def render_card(item, context: Context) -> str:
    template = get_template(CARD_TEMPLATE).template
    with context.push(item=item):
        return template.render(context)


def card_key(item) -> str:
    return f"card:{item._meta.label_lower}:{item.pk}:{get_language()}"


def keep(cards: dict[str, tuple[str, str]]) -> None:
    try:
        call_cache(lambda: cache.set_many(cards, settings.CARD_CACHE_TIMEOUT))
    except CacheSkipped:
        pass
    except CACHE_ERRORS as error:
        logger.warning("Card cache unreachable, cards not stored: %s", error)
