import nested_admin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleFigure
from images.admin import FIGURE_FIELDS, FigureInline, FigureThumbnailMixin, MissingImageFilter
from publishing.admin import PartAdminRules, PublishableAdmin
from publishing.admin_columns import hover_column


class ArticleFigureInline(FigureInline):
    """The original's images, in the order the page shows them."""

    model = ArticleFigure
    fields = [*FIGURE_FIELDS, "position"]
    sortable_field_name = "position"


class MissingLinkFilter(admin.SimpleListFilter):
    """Excerpts without a link to their original (a page saved as text names no address), for
    editors to find and complete; readers see where the original appeared instead."""

    title = _("link to the original")
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing (add it)")), ("present", _("Present"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(continue_url="")
        if self.value() == "present":
            return queryset.exclude(continue_url="")
        return queryset


@admin.register(Article)
class ArticleAdmin(PublishableAdmin, nested_admin.NestedModelAdmin):
    # The original's date is in the form: the list keeps what editors sort, check and open.
    list_display = [
        "list_title",
        "status_label",
        "published_on",
        "publication_name",
        "tag_list",
        "site_link",
    ]
    list_select_related = ["publication"]
    publication_name = hover_column(
        "publication", _("publication"), text=lambda article: article.publication or ""
    )
    list_filter = [*PublishableAdmin.list_filter, MissingLinkFilter, "publication"]
    search_fields = ["title", "standfirst", "excerpt", "editor_note", "publication__name"]
    autocomplete_fields = ["publication", "authors"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleFigureInline]
    textarea_rows = {"standfirst": 3, "excerpt": 14}
    fieldsets = [
        (None, {"fields": ["kicker", "title", "slug", "dateline", "standfirst"]}),
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
        (_("Publishing"), {"fields": PublishableAdmin.publishing_fields}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(ArticleFigure)
class ArticleFigureAdmin(PartAdminRules, FigureThumbnailMixin, admin.ModelAdmin):
    list_display = ["caption_cell", "thumbnail", "credit_cell", "article_title"]
    caption_cell = hover_column("caption", _("caption"), text=str)
    credit_cell = hover_column("credit", _("credit"))
    article_title = hover_column(
        "article", _("article excerpt"), text=lambda figure: figure.article
    )
    list_select_related = ["article"]
    list_filter = [MissingImageFilter]
    search_fields = ["caption", "credit", "alt", "article__title"]
    fields = ["article", *FIGURE_FIELDS, "position"]
    autocomplete_fields = ["article"]
    item_field = "article"
