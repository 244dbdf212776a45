"""Links to other sites, written only when they are web addresses.

The URL fields accept only http(s) (publishing/web_links.py), but a row written without
validation (a shell, an old import) must not put a `javascript:` link on a page."""

from django import template

from publishing.web_links import is_web_url

register = template.Library()


@register.filter
def web_url(url: str) -> str:
    return url if url and is_web_url(url) else ""
