"""Pieces every item card shows, made in Python: twenty cards a page repeat them, and through
an include and template filters each cost several times as much."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

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
    tags = item.tag_list
    if not tags:
        return ""
    links = format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((path_to("newsroom:tag", tag.slug), tag.name) for tag in tags),
    )
    return format_html('<ul class="tags" aria-label="{}">{}</ul>', _("Topics"), links)


@register.simple_tag
def author_links(article) -> str:
    """“by A, B”, each name linked to the person's page, or nothing without authors."""
    people = article.author_list
    if not people:
        return ""
    links = format_html_join(
        ", ", '<a href="{}">{}</a>', ((person.get_absolute_url(), person.name) for person in people)
    )
    return format_html('<span class="authors">{} {}</span>', _("by"), links)
