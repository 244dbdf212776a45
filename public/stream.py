"""Pages of items, newest first, merged across kinds in a fixed number of queries.

A page is found without counting the whole table: one query asks for the (kind, pk) of
the page's rows plus one more (to know whether an older page exists), then each kind's
rows are fetched with what its card needs.
"""

from dataclasses import dataclass, field

from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from public.sql import newest_keys
from publishing.models import attach_tags
from publishing.numbers import whole_number


@dataclass
class StreamPage:
    number: int
    items: list = field(default_factory=list)
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


# No listing has a millionth page (twenty million items); below it, a page's offset stays far
# inside the database's 64-bit integers whatever ITEMS_PER_PAGE is.
LAST_POSSIBLE_PAGE = 1_000_000


def parse_page_number(raw: str | None) -> int:
    """`?page=` as a positive number; anything else is a page that does not exist."""
    if raw in (None, ""):
        return 1
    number = whole_number(raw)
    if number is None or not 1 <= number <= LAST_POSSIBLE_PAGE:
        raise Http404(_("No such page."))
    return number


def stream_page(querysets: list[models.QuerySet], number: int, per_page: int) -> StreamPage:
    """Page `number` of the union of `querysets`, which must each have `for_listing()`.

    A page past the end raises Http404; page 1 of nothing is an empty page.
    """
    window = page_window(number, per_page)
    if len(querysets) == 1:
        rows = list(querysets[0].for_listing().order_by("-published_at", "-pk")[window])
    else:
        keys = newest_keys(querysets, window)
        fetched = for_listing(keys, {kind: qs.model for kind, qs in enumerate(querysets)})
        rows = [fetched[key] for key in keys]
    return page_of(attach_tags(rows), number, per_page)


def page_window(number: int, per_page: int) -> slice:
    """The rows of page `number` and one more, which tells whether an older page exists."""
    offset = (number - 1) * per_page
    return slice(offset, offset + per_page + 1)


def page_of(rows: list, number: int, per_page: int) -> StreamPage:
    """Page `number` of the rows `page_window` chose; a page past the end raises Http404."""
    if number > 1 and not rows:
        raise Http404(_("No such page."))
    return StreamPage(number=number, items=rows[:per_page], has_next=len(rows) > per_page)


def for_listing(keys: list[tuple], models_by_kind: dict) -> dict[tuple, models.Model]:
    """{(kind, pk): item} for the (kind, pk) `keys`, with what a card shows: one query per
    kind, of the model `models_by_kind` gives it."""
    wanted: dict = {}
    for kind, pk in keys:
        wanted.setdefault(kind, []).append(pk)
    return {
        (kind, item.pk): item
        for kind, pks in wanted.items()
        for item in models_by_kind[kind].objects.filter(pk__in=pks).for_listing()
    }
