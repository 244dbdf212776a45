from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from people.models import Person, Publication
from publishing.admin import ASSUME_HTTPS
from publishing.admin_columns import hover_column


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    formfield_overrides = ASSUME_HTTPS
    list_display = ["name_cell", "homepage_cell", "article_count"]
    name_cell = hover_column("name", _("name"))
    homepage_cell = hover_column("homepage", _("homepage"))
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    # Given explicitly: a query with a count (GROUP BY) leaves the model's ordering out, and
    # the excerpt form's autocomplete would list publications in no order.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("excerpts"), ordering="article_count")
    def article_count(self, obj) -> int:
        return obj.article_count


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name_cell", "slug"]
    name_cell = hover_column("name", _("name"))
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
