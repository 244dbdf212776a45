"""A briefing is edited on one page: fields, lead figure, overview bullets, sections of bullets."""

import nested_admin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from briefings.models import Briefing, Bullet, Figure, Section, SectionFigure
from newsroom.admin import (
    FIGURE_FIELDS,
    EditorialInlineRules,
    FigureThumbnailMixin,
    MissingImageFilter,
    PartAdminRules,
    PublishableAdmin,
)
from sources.services import refresh_citations

BULLET_TEXTAREA = {"rows": 4, "cols": 90}


class BulletFormMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget.attrs.update(BULLET_TEXTAREA)
        return field


class LeadFigureInline(
    EditorialInlineRules, FigureThumbnailMixin, nested_admin.NestedStackedInline
):
    model = Figure
    fields = FIGURE_FIELDS
    max_num = 1
    extra = 1
    verbose_name = _("lead figure")
    verbose_name_plural = _("lead figure")


class OverviewBulletInline(EditorialInlineRules, BulletFormMixin, nested_admin.NestedTabularInline):
    """The briefing's own bullets: those in no section."""

    model = Bullet
    fk_name = "briefing"
    fields = ["text", "position"]
    sortable_field_name = "position"
    extra = 1
    verbose_name = _("overview bullet")
    verbose_name_plural = _("overview")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(section__isnull=True)


class SectionBulletInline(EditorialInlineRules, BulletFormMixin, nested_admin.NestedTabularInline):
    model = Bullet
    fk_name = "section"
    fields = ["text", "position"]
    sortable_field_name = "position"
    extra = 1


class SectionFigureInline(
    EditorialInlineRules, FigureThumbnailMixin, nested_admin.NestedStackedInline
):
    model = SectionFigure
    fields = FIGURE_FIELDS
    max_num = 1
    extra = 0
    verbose_name = _("section figure")
    verbose_name_plural = _("section figure")


class SectionInline(EditorialInlineRules, nested_admin.NestedStackedInline):
    model = Section
    fields = ["title", "position"]
    sortable_field_name = "position"
    inlines = [SectionFigureInline, SectionBulletInline]
    extra = 0


@admin.register(Briefing)
class BriefingAdmin(PublishableAdmin, nested_admin.NestedModelAdmin):
    list_display = [
        "title",
        "status_label",
        "published_at",
        "period_start",
        "editor",
        "tag_list",
        "site_link",
    ]
    list_select_related = ["editor"]
    search_fields = ["title", "series", "bullets__text", "sections__title"]
    autocomplete_fields = ["editor"]
    inlines = [LeadFigureInline, OverviewBulletInline, SectionInline]
    fieldsets = [
        (None, {"fields": ["series", "publisher", ("period_start", "period_end"), "editor"]}),
        (None, {"fields": ["title", "slug", "language", "tags"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "needs_review"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bullets are saved with the formsets, so their citations are read only now.
        refresh_citations([form.instance])


@admin.register(Figure)
class FigureAdmin(PartAdminRules, FigureThumbnailMixin, admin.ModelAdmin):
    list_display = ["__str__", "thumbnail", "credit", "briefing"]
    list_select_related = ["briefing"]
    list_filter = [MissingImageFilter]
    search_fields = ["caption", "credit", "alt", "briefing__title"]
    fields = ["briefing", *FIGURE_FIELDS]
    autocomplete_fields = ["briefing"]
    item_field = "briefing"
