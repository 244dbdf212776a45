"""URL reversing, remembered: a card's links are the same on every request.

Django's `reverse()` walks the URL patterns on each call, and a page of twenty cards
makes well over a hundred calls. The result depends only on the view name, its arguments,
the URLconf, the script prefix and (through the `/de/` prefix) the active language, so it is
remembered under all of them. A dated item's address is different for every item, so what is
remembered is its pattern, which takes the item's date and slug.
"""

import datetime as dt
from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language

# Stand-ins reversed once per view name, then replaced by the item's own parts.
_DATED_MARKERS = {"year": "1901", "month": "02", "day": "03", "slug": "item-slug"}


def path_to(viewname: str, *args, **kwargs) -> str:
    """`reverse(viewname, args=args, kwargs=kwargs)`, from memory after the first call."""
    return _remembered(
        viewname,
        args,
        tuple(sorted(kwargs.items())),
        get_language(),
        get_script_prefix(),
        get_urlconf(),
    )


def dated_path(viewname: str, published_at: dt.datetime, slug: str) -> str:
    """The address of an item's page, `reverse(viewname, kwargs={year, month, day, slug})` with
    the date in the site's time zone, made from the view's remembered pattern."""
    local = timezone.localtime(published_at)
    pattern = _dated_pattern(viewname, get_language(), get_script_prefix(), get_urlconf())
    year, month, day = f"{local.year:04d}", f"{local.month:02d}", f"{local.day:02d}"
    return pattern.format(year=year, month=month, day=day, slug=quote(slug))


# Bounded: item addresses are many, and a long-running worker must not grow without end.
@lru_cache(maxsize=50_000)
def _remembered(viewname, args, kwargs, _language, _prefix, urlconf) -> str:
    return reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


@lru_cache(maxsize=64)
def _dated_pattern(viewname, _language, _prefix, urlconf) -> str:
    """The view's address as a format string with {year}, {month}, {day} and {slug}."""
    pattern = reverse(viewname, urlconf=urlconf, kwargs=_DATED_MARKERS)
    for name, marker in _DATED_MARKERS.items():
        if f"/{marker}/" not in pattern:
            raise ValueError(f"{viewname}: no /{marker}/ in {pattern}")
        pattern = pattern.replace(f"/{marker}/", f"/{{{name}}}/", 1)
    return pattern
