import nested_admin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleFigure
from images.admin import FIGURE_FIELDS, FigureInline, FigureThumbnailMixin, MissingImageFilter
from publishing.admin import PartAdminRules, PublishableAdmin


class ArticleFigureInline(FigureInline):
    """The original's images, in the order the page shows them."""

    model = ArticleFigure
    fields = [*FIGURE_FIELDS, "position"]
    sortable_field_name = "position"


@admin.register(Article)
class ArticleAdmin(PublishableAdmin, nested_admin.NestedModelAdmin):
    list_display = [
        "title",
        "status_label",
        "published_at",
        "publication",
        "original_date",
        "tag_list",
        "site_link",
    ]
    list_select_related = ["publication"]
    list_filter = [*PublishableAdmin.list_filter, "publication"]
    search_fields = ["title", "standfirst", "excerpt", "editor_note", "publication__name"]
    autocomplete_fields = ["publication", "authors"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleFigureInline]
    textarea_rows = {"standfirst": 3, "excerpt": 14}
    fieldsets = [
        (None, {"fields": ["kicker", "title", "slug", "standfirst"]}),
        (
            _("Original"),
            {
                "fields": [
                    "publication",
                    "authors",
                    "original_date",
                    "continue_url",
                    "continue_label",
                ]
            },
        ),
        (None, {"fields": ["excerpt", "editor_note", "language", "tags"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "needs_review"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(ArticleFigure)
class ArticleFigureAdmin(PartAdminRules, FigureThumbnailMixin, admin.ModelAdmin):
    list_display = ["__str__", "thumbnail", "credit", "article"]
    list_select_related = ["article"]
    list_filter = [MissingImageFilter]
    search_fields = ["caption", "credit", "alt", "article__title"]
    fields = ["article", *FIGURE_FIELDS, "position"]
    autocomplete_fields = ["article"]
    item_field = "article"
