"""The admin's figure forms, shared by both kinds: the thumbnail an editor checks, the filter
for figures imported without their file, and the inline every figure form starts from."""

import nested_admin
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from publishing.admin import EditorialInlineRules


class MissingImageFilter(admin.SimpleListFilter):
    """Figures imported without their file, for editors to find and upload."""

    title = _("image")
    parameter_name = "image"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing (upload it)")), ("present", _("Present"))]

    def queryset(self, request, queryset):
        missing = models.Q(image="") | models.Q(image__isnull=True)
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "present":
            return queryset.exclude(missing)
        return queryset


THUMBNAIL_WIDTH = 160


# The fields every figure form shows, in order; its owner and position come around them.
FIGURE_FIELDS = ["image", "thumbnail", "alt", "caption", "credit"]


class FigureThumbnailMixin:
    """The image as an editor checks it: its smallest rendition, or a note that it is missing."""

    readonly_fields = ["thumbnail"]

    @admin.display(description=_("thumbnail"))
    def thumbnail(self, figure) -> str:
        if not figure or not figure.image:
            return _("No image yet")
        height = None
        if figure.image_width and figure.image_height:
            height = round(THUMBNAIL_WIDTH * figure.image_height / figure.image_width)
        return format_html(
            '<img src="{}" alt="" width="{}"{}>',
            figure.card_thumbnail.src,
            THUMBNAIL_WIDTH,
            format_html(' height="{}"', height) if height else "",
        )


class FigureInline(EditorialInlineRules, FigureThumbnailMixin, nested_admin.NestedStackedInline):
    """An item's figure, edited within the item's form."""

    fields = FIGURE_FIELDS
    extra = 0
