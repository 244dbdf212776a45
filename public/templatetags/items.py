"""Pieces every item card shows, made in Python: twenty cards a page repeat them, and through
an include and template filters each cost several times as much."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from public.cards import render_cards
from publishing.paths import path_to

register = template.Library()


@register.simple_tag
def published_link(item) -> str:
    """The item's publication date, linked to the archive of that day."""
    local = timezone.localtime(item.published_at)
    return format_html(
        '<a class="date" href="{}"><time datetime="{}">{}</time></a>',
        item.get_day_archive_url(),
        local.isoformat(),
        date_format(local, "DATE_FORMAT"),
    )


@register.simple_tag
def tag_links(item) -> str:
    """The item's topics as a list of links, or nothing when it has none."""
    links = [(path_to("newsroom:tag", tag.slug), tag.name) for tag in item.tag_list]
    return linked_names(
        links,
        '<li><a href="{}">{}</a></li>',
        "",
        '<ul class="tags" aria-label="{}">{}</ul>',
        _("Topics"),
    )


@register.simple_tag
def author_links(article) -> str:
    """“by A, B”, each name linked to the person's page, or nothing without authors."""
    links = [(person.get_absolute_url(), person.name) for person in article.author_list]
    return linked_names(
        links, '<a href="{}">{}</a>', ", ", '<span class="authors">{} {}</span>', _("by")
    )


def linked_names(
    links: list[tuple[str, str]], link: str, separator: str, around: str, label: str
) -> str:
    """(address, name) pairs written with `link` and joined by `separator`, inside `around`
    with its `label`; nothing when there are none."""
    if not links:
        return ""
    return format_html(around, label, format_html_join(separator, link, links))


@register.simple_tag(takes_context=True)
def item_cards(context, items) -> str:
    """The cards of `items`, kept once rendered (public/cards.py)."""
    return render_cards(list(items), context)
