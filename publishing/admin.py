"""What the editors' lists of both kinds share: status, dates, tags, publish actions, the
editorial roles' rules (publishing/roles.py) and the history of saved versions."""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from publishing.admin_columns import (
    day_with_time_on_hover,
    hover_column,
    local_minute,
    whole_on_hover,
)
from publishing.content_version import changed_keys, content_changed, rows_keys
from publishing.item_parts import ItemPartsFormSet
from publishing.models import Category, RenamedTag, Status
from publishing.numbers import whole_number
from publishing.revisions import compare
from publishing.roles import may_edit, may_publish
from publishing.tag_merging import item_counts, merge_tags
from publishing.widgets import TagNamesField, TagSelect, tag_suggestions

# A link typed without a scheme ("www.example.org/x") is taken as https, as Django 6 will do.
ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


TAG_HELP = _(
    "Type part of a name and pick an existing tag. A name no tag has yet is offered last, as "
    "“New tag: …”; only choosing it makes the tag."
)


class EditorialRules:
    """For the admin of an item, of its parts and their inlines alike: a published or scheduled
    item, and every part of it, is changed or deleted only by those who may publish it. Checked
    on every request, so a POST that the page would not offer is refused all the same."""

    def is_locked(self, request, obj) -> bool:
        # `obj.item` is the item a part belongs to; an unsaved part may belong to none yet.
        item = getattr(obj, "item", None)
        return item is not None and not may_edit(request.user, item)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self.is_locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self.is_locked(request, obj) and super().has_delete_permission(request, obj)


class EditorialInlineRules(EditorialRules):
    """An inline is given the object it is shown in: nothing is added to a locked item. Its
    forms touch only the parts of the item being edited (publishing/item_parts.py)."""

    formset = ItemPartsFormSet

    def has_add_permission(self, request, obj=None) -> bool:
        return not self.is_locked(request, obj) and super().has_add_permission(request, obj)


class PartAdminRules(EditorialRules):
    """The admin of a part edited on its own page (a figure): it can be given only to an item
    the user may change."""

    item_field = ""  # the part's link to its item

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        item_model = db_field.related_model
        if db_field.name == self.item_field and not may_publish(request.user, item_model):
            kwargs["queryset"] = item_model.objects.exclude(status=Status.PUBLISHED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PublishableAdmin(EditorialRules, VersionAdmin):
    """Each save keeps a version (django-reversion, with the parts the models' registrations
    follow); editors compare them, restore one, and recover deleted items."""

    object_history_template = "admin/newsroom/object_history.html"
    change_list_template = "admin/newsroom/change_list.html"
    history_latest_first = True  # the recover list, newest deletion first
    formfield_overrides = {
        **ASSUME_HTTPS,
        models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 5})},
    }
    list_filter = ["status", "needs_review", "language", "tags"]
    # The review reasons stand by the flag they explain; an editor clears them once dealt with.
    publishing_fields = ["status", "published_at", "needs_review", "review_reasons"]
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at"]

    class Media:
        css = {"all": ["newsroom/admin/editing.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def has_publish_permission(self, request) -> bool:
        """Publishing, scheduling and unpublishing; restoring and recovering versions too, as a
        version may be a published one."""
        return may_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            # Ignored when posted: the item stays a draft, and its date cannot schedule it.
            fields += ["status", "published_at"]
        return fields

    # Height of a text box, in lines, where five does not suit the field.
    textarea_rows: dict[str, int] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["form_class"] = TagNamesField
            kwargs["help_text"] = TAG_HELP
            kwargs["widget"] = TagSelect(reverse_lazy(self.admin_url_name("tags")))
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.textarea_rows:
            field.widget.attrs["rows"] = self.textarea_rows[db_field.name]
        return field

    list_title = hover_column("title", _("title"))

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj) -> str:
        if obj.is_scheduled:
            return format_html(
                '<span title="{}">{}</span>', local_minute(obj.published_at), _("Scheduled")
            )
        return obj.get_status_display()

    @admin.display(description=_("publication date"), ordering="published_at")
    def published_on(self, obj) -> str:
        return day_with_time_on_hover(obj.published_at)

    @admin.display(description=_("tags"))
    def tag_list(self, obj) -> str:
        return whole_on_hover(", ".join(sorted(tag.name for tag in obj.tags.all())))

    def view_on_site(self, obj) -> str:
        # On the host the editor is logged into, not the Sites framework's domain: a draft's
        # preview needs the editor's session, which a redirect to another host would not carry.
        return obj.get_absolute_url()

    @admin.display(description=_("on site"))
    def site_link(self, obj) -> str:
        label = _("View") if obj.is_published else _("Preview")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    @admin.action(description=_("Publish the selected items"), permissions=["publish"])
    def publish(self, request, queryset):
        count = self.set_status(queryset, Status.PUBLISHED)
        message = ngettext("%d item published.", "%d items published.", count)
        self.message_user(request, message % count, messages.SUCCESS)

    @admin.action(
        description=_("Unpublish the selected items (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        count = self.set_status(queryset, Status.DRAFT)
        message = ngettext("%d item unpublished.", "%d items unpublished.", count)
        self.message_user(request, message % count, messages.SUCCESS)

    def set_status(self, queryset, status: Status) -> int:
        # update() sends no signals: the items' keys before and after are replaced here.
        rows = queryset.model.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        before = rows_keys(rows.all())
        count = rows.update(status=status, updated_at=timezone.now())
        content_changed(changed_keys(before, rows_keys(rows.all())))
        return count

    # Deleting: the items' last state is kept as a version, so "Recover deleted" finds even
    # those never saved here (imported ones).

    def delete_model(self, request, obj):
        self.keep_before_deleting(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self.keep_before_deleting(request, queryset)
        super().delete_queryset(request, queryset)

    def keep_before_deleting(self, request, items) -> None:
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Deleted."))
            for item in items:
                reversion.add_to_revision(item)

    def changelist_view(self, request, extra_context=None):
        # Not in a revision, as VersionAdmin would do for list_editable (unused here): the bulk
        # delete's versions must be saved while their items still exist, not once it is done.
        context = {"may_restore": self.has_publish_permission(request), **(extra_context or {})}
        return super(VersionAdmin, self).changelist_view(request, context)

    # Restoring and recovering write a version's status and date back.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def admin_url_name(self, suffix: str) -> str:
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    # The tag box's suggestions; history: the saved versions, newest first, any two compared.

    def get_urls(self):
        compare_url = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_compare",
        )
        tags_url = path(
            "tags/",
            self.admin_site.admin_view(self.tag_names_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_tags",
        )
        return [tags_url, compare_url, *super().get_urls()]

    def tag_names_view(self, request):
        """Existing tags' names for the tag box, to those who may write this kind."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        page = whole_number(request.GET.get("page", "1")) or 1
        return JsonResponse(tag_suggestions(request.GET.get("term", ""), page))

    def item_versions(self, object_id: str):
        return Version.objects.get_for_object_reference(self.model, object_id).select_related(
            "revision__user"
        )

    def history_view(self, request, object_id, extra_context=None):
        opts = self.opts
        versions = [
            {
                "version": version,
                "restore_url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=[object_id, version.pk],
                ),
            }
            for version in self.item_versions(unquote(object_id)).order_by("-pk")
        ]
        context = {
            "versions": versions,
            "may_restore": self.has_publish_permission(request),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self.item_versions(str(obj.pk))
        older, newer = (
            get_object_or_404(versions, pk=version_id(request.GET.get(name)))
            for name in ("old", "new")
        )
        if older.pk > newer.pk:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "title": _("Changes to %(item)s") % {"item": obj},
            "opts": self.opts,
            "original": obj,
            "older": older,
            "newer": newer,
            "changes": [(change, *change.marked()) for change in compare(older, newer)],
        }
        return TemplateResponse(request, "admin/newsroom/compare.html", context)


def version_id(value: str | None) -> int:
    """A version's id from the address; a missing or malformed one matches no version."""
    return whole_number(value) or 0


@admin.register(RenamedTag)
class RenamedTagAdmin(admin.ModelAdmin):
    """Old tag addresses that redirect; renaming a tag adds one, deleting one ends its 301."""

    list_display = ["old_slug", "tag"]
    search_fields = ["old_slug", "tag__name", "tag__slug"]
    list_select_related = ["tag"]
    readonly_fields = ["old_slug", "tag"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The old site's categories, kept with their tree and descriptions."""

    list_display = ["name_cell", "slug", "parent"]
    name_cell = hover_column("name", _("name"))
    search_fields = ["name", "slug", "description"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


# In place of taggit's admin, whose merge knows only taggit's own table of tagged items.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """The one vocabulary of both kinds; editors merge tags that mean the same."""

    list_display = ["name_cell", "slug_cell"]
    name_cell = hover_column("name", _("name"))
    slug_cell = hover_column("slug", _("slug"))
    ordering = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def has_merge_permission(self, request) -> bool:
        return request.user.has_perms(["taggit.change_tag", "taggit.delete_tag"])

    @admin.action(description=_("Merge the selected tags into one"), permissions=["merge"])
    def merge(self, request, queryset):
        tags = list(queryset.order_by(Lower("name")))
        if len(tags) < 2:
            self.message_user(
                request, gettext("Select two tags or more to merge."), messages.WARNING
            )
            return None
        if "keep" not in request.POST:
            return self.merge_confirmation(request, tags)
        keep = next((tag for tag in tags if str(tag.pk) == request.POST["keep"]), None)
        if keep is None:
            error = gettext("Choose the tag to keep, one of those selected.")
            return self.merge_confirmation(request, tags, error)
        merge_tags(keep, tags)
        merged = ", ".join(f"“{tag}”" for tag in tags if tag != keep)
        message = gettext("%(merged)s merged into “%(keep)s”.")
        self.message_user(request, message % {"merged": merged, "keep": keep}, messages.SUCCESS)
        return None

    def merge_confirmation(self, request, tags: list[Tag], error: str = "") -> TemplateResponse:
        counts = item_counts(tags)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge tags"),
            "opts": self.opts,
            "tags": [(tag, counts[tag.pk]) for tag in tags],
            "suggested": max(tags, key=lambda tag: counts[tag.pk]),
            "error": error,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/newsroom/merge_tags.html", context)
