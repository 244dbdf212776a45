"""URL reversing, remembered: a card's links are the same on every request.

Django's `reverse()` walks the URL patterns on each call, and a page of twenty cards
makes well over a hundred calls. The result depends only on the view name, its arguments,
the URLconf, the script prefix and (through the `/de/` prefix) the active language, so it is
remembered under all of them.
"""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


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


# Bounded: item addresses are many, and a long-running worker must not grow without end.
@lru_cache(maxsize=50_000)
def _remembered(viewname, args, kwargs, _language, _prefix, urlconf) -> str:
    return reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)
