"""Pages of items, newest first, merged across kinds in a fixed number of queries.

A page is found without counting the whole table: one query asks for the (kind, pk) of
the page's rows plus one more (to know whether an older page exists), then each kind's
rows are fetched with what its card needs.
"""

from dataclasses import dataclass, field

from django.db import connections, models
from django.http import Http404
from django.utils.translation import gettext as _

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
    offset = (number - 1) * per_page
    window = slice(offset, offset + per_page + 1)
    if len(querysets) == 1:
        rows = attach_tags(
            list(querysets[0].for_listing().order_by("-published_at", "-pk")[window])
        )
    else:
        rows = _merged_rows(querysets, window)
    if number > 1 and not rows:
        raise Http404(_("No such page."))
    return StreamPage(number=number, items=rows[:per_page], has_next=len(rows) > per_page)


def _merged_rows(querysets: list[models.QuerySet], window: slice) -> list:
    keys = _merged_keys(querysets, window)
    wanted: dict[int, list] = {}
    for kind, pk in keys:
        wanted.setdefault(kind, []).append(pk)
    fetched = {
        (kind, obj.pk): obj
        for kind, pks in wanted.items()
        for obj in querysets[kind].model.objects.filter(pk__in=pks).for_listing()
    }
    return attach_tags([fetched[key] for key in keys])


def _merged_keys(querysets: list[models.QuerySet], window: slice) -> list[tuple[int, int]]:
    """(kind, pk) of the rows in `window` of the merged stream, newest first.

    Each kind contributes at most `window.stop` rows, read in index order, before the merge:
    a union of whole tables would be sorted in full on every page.
    """
    arms, params = [], []
    for kind, qs in enumerate(querysets):
        newest = qs.order_by("-published_at", "-pk").values_list("pk", "published_at")
        sql, arm_params = newest[: window.stop].query.sql_with_params()
        arms.append(f"SELECT {kind} AS kind, * FROM ({sql}) AS arm{kind}")
        params.extend(arm_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(arms) + " ORDER BY 3 DESC, 2 DESC LIMIT %s OFFSET %s",
            [*params, window.stop - window.start, window.start],
        )
        return [(kind, pk) for kind, pk, _published in cursor.fetchall()]
