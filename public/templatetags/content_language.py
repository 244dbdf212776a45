"""Marks an item's own text with its language where it differs from the interface's."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def lang_of(item) -> str:
    """` lang="de"` for an element holding a German item's text on an English page; else
    nothing, so labels around it keep the page's language."""
    if item.language and item.language != get_language():
        return format_html(' lang="{}"', item.language)
    return ""
