"""Columns of the editors' lists. Every list fits a window 1280 pixels wide
(static/newsroom/admin/lists.css): a long cell is cut short with "…", so a column that may be
cut carries its whole text as a tooltip."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html


def whole_on_hover(text: Any) -> str:
    return format_html('<span class="whole-on-hover" title="{}">{}</span>', text, text)


def hover_column(field: str, description: str, text: Callable[[Any], str] | None = None):
    """A column showing `field` (or `text` of the row), sorted by `field`, whole on hover."""

    @admin.display(description=description, ordering=field)
    def column(model_admin, obj) -> str:
        return whole_on_hover(text(obj) if text else getattr(obj, field))

    return column


def local_minute(moment) -> str:
    """A time as editors read it in lists: local, to the minute, "2026-12-09 09:00"."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def day_with_time_on_hover(moment) -> str:
    """A narrow date column: the local day, and its time on hover."""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        local_minute(local),
        local.date().isoformat(),
    )
