"""Sources are read from bullets' text, so the admin lists them without editing them."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from publishing.admin_columns import hover_column
from sources.models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name_cell", "slug", "citation_count"]
    name_cell = hover_column("name", _("name"))
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, source: Source) -> int:
        return source.citation_count

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
