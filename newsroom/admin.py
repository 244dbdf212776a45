"""What the editors' lists of both kinds share: status, dates, tags, publish actions."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.content_version import content_changed
from newsroom.models import RenamedTag, Status
from newsroom.widgets import TagAutocompleteWidget

# A link typed without a scheme ("www.example.org/x") is taken as https, as Django 6 will do.
ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class PublishableAdmin(admin.ModelAdmin):
    formfield_overrides = {
        **ASSUME_HTTPS,
        models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 5})},
    }
    list_filter = ["status", "needs_review", "language", "tags"]
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at"]

    class Media:
        css = {"all": ["newsroom/admin/editing.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    # Height of a text box, in lines, where five does not suit the field.
    textarea_rows: dict[str, int] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = TagAutocompleteWidget()
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.textarea_rows:
            field.widget.attrs["rows"] = self.textarea_rows[db_field.name]
        return field

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj) -> str:
        if obj.is_scheduled:
            return format_html(
                '<span title="{}">{}</span>',
                timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M"),
                _("Scheduled"),
            )
        return obj.get_status_display()

    @admin.display(description=_("tags"))
    def tag_list(self, obj) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description=_("on site"))
    def site_link(self, obj) -> str:
        label = _("View") if obj.is_published else _("Preview")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    @admin.action(description=_("Publish the selected items"))
    def publish(self, request, queryset):
        count = self.set_status(queryset, Status.PUBLISHED)
        message = ngettext("%d item published.", "%d items published.", count)
        self.message_user(request, message % count, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected items (back to draft)"))
    def unpublish(self, request, queryset):
        count = self.set_status(queryset, Status.DRAFT)
        message = ngettext("%d item unpublished.", "%d items unpublished.", count)
        self.message_user(request, message % count, messages.SUCCESS)

    def set_status(self, queryset, status: Status) -> int:
        count = queryset.update(status=status, updated_at=timezone.now())
        content_changed()  # update() sends no signals
        return count


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
            figure.thumbnail_url,
            THUMBNAIL_WIDTH,
            format_html(' height="{}"', height) if height else "",
        )


@admin.register(RenamedTag)
class RenamedTagAdmin(admin.ModelAdmin):
    """Old tag addresses that redirect; renaming a tag adds one, deleting one ends its 301."""

    list_display = ["old_slug", "tag"]
    search_fields = ["old_slug", "tag__name", "tag__slug"]
    list_select_related = ["tag"]
    readonly_fields = ["old_slug", "tag"]

    def has_add_permission(self, request) -> bool:
        return False
