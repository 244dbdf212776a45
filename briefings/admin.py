"""A briefing is edited on one page: fields, lead figure, overview bullets, sections of bullets.
From the list or that page, an editor starts the next issue or takes the briefing as a
newsletter."""

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from nested_admin.forms import SortableHiddenMixin

from briefings.models import Briefing, Bullet, Figure, Section, SectionFigure
from briefings.newsletter import Newsletter, briefing_newsletter
from briefings.next_briefing import start_next_briefing
from briefings.signals import bullets_saved
from images.admin import FIGURE_FIELDS, FigureInline, FigureThumbnailMixin, MissingImageFilter
from publishing.admin import EditorialInlineRules, PartAdminRules, PublishableAdmin
from publishing.admin_columns import hover_column
from publishing.models import render_markdown_fields

BULLET_TEXTAREA = {"rows": 4, "cols": 90}


class BulletTextarea(AdminTextareaWidget):
    """A bullet's Markdown, with a button that shows it as readers will see it, rendered by
    the site's own renderer (BriefingAdmin.bullet_preview_view)."""

    class Media:
        js = ["newsroom/admin/bullet_preview.js"]

    def __init__(self, preview_url, attrs=None):
        super().__init__({**BULLET_TEXTAREA, **(attrs or {})})
        self.preview_url = preview_url

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<button type="button" class="button bullet-preview-button" data-url="{}">{}</button>'
            '<div class="bullet-preview" aria-live="polite" hidden></div>',
            super().render(name, value, attrs, renderer),
            self.preview_url,
            _("Preview"),
        )


class BulletForm(forms.ModelForm):
    def has_changed(self) -> bool:
        # Dragging a bullet makes nested_admin renumber every row's position, the empty rows
        # offered for a new bullet too; a new row without text is still left out, not an error.
        if self.instance.pk is None and not (self["text"].value() or "").strip():
            return False
        return super().has_changed()


class BulletFormMixin(SortableHiddenMixin):
    """Bullets are ordered by dragging them by their handles; their positions are not shown."""

    form = BulletForm
    fields = ["text", "position"]
    sortable_field_name = "position"
    # New rows only when the editor adds one ("Add another bullet").
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            preview_url = reverse_lazy(f"{self.admin_site.name}:briefings_briefing_preview")
            kwargs["widget"] = BulletTextarea(preview_url)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LeadFigureInline(FigureInline):
    model = Figure
    max_num = 1
    extra = 1
    verbose_name = _("lead figure")
    verbose_name_plural = _("lead figure")


class OverviewBulletInline(EditorialInlineRules, BulletFormMixin, nested_admin.NestedTabularInline):
    """The briefing's own bullets: those in no section."""

    model = Bullet
    fk_name = "briefing"
    verbose_name = _("overview bullet")
    verbose_name_plural = _("overview")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(section__isnull=True)


class SectionBulletInline(EditorialInlineRules, BulletFormMixin, nested_admin.NestedTabularInline):
    model = Bullet
    fk_name = "section"


class SectionFigureInline(FigureInline):
    model = SectionFigure
    max_num = 1
    verbose_name = _("section figure")
    verbose_name_plural = _("section figure")


class SectionInline(EditorialInlineRules, SortableHiddenMixin, nested_admin.NestedStackedInline):
    model = Section
    fields = ["title", "position"]
    sortable_field_name = "position"
    inlines = [SectionFigureInline, SectionBulletInline]
    extra = 0


@admin.register(Briefing)
class BriefingAdmin(PublishableAdmin, nested_admin.NestedModelAdmin):
    # The period is in the title and the editor in the form: the list keeps what editors sort,
    # check and open.
    list_display = ["list_title", "status_label", "published_on", "tag_list", "site_link"]
    search_fields = ["title", "series", "bullets__text", "sections__title"]
    autocomplete_fields = ["editor"]
    inlines = [LeadFigureInline, OverviewBulletInline, SectionInline]
    fieldsets = [
        (None, {"fields": ["series", "publisher", ("period_start", "period_end"), "editor"]}),
        (None, {"fields": ["title", "slug", "summary", "language", "tags"]}),
        (_("Publishing"), {"fields": PublishableAdmin.publishing_fields}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = [*PublishableAdmin.actions, "start_next_briefing", "newsletter"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bullets are saved with the formsets, so their citations are read only now.
        bullets_saved.send(sender=type(form.instance), briefing=form.instance)

    def get_urls(self):
        def named(suffix: str) -> str:
            return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

        return [
            path(
                "<path:object_id>/next/",
                self.admin_site.admin_view(self.next_briefing_view),
                name=named("next"),
            ),
            path(
                "bullets/preview/",
                self.admin_site.admin_view(self.bullet_preview_view),
                name=named("preview"),
            ),
            path(
                "<path:object_id>/newsletter/",
                self.admin_site.admin_view(self.newsletter_view),
                name=named("newsletter"),
            ),
            *super().get_urls(),
        ]

    def admin_url(self, name: str, briefing: Briefing) -> str:
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=[briefing.pk]
        )

    def the_one_selected(self, request, queryset) -> Briefing | None:
        """The one briefing an action works on; with more selected, a message and None."""
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(request, gettext("Select exactly one briefing."), messages.WARNING)
            return None
        return selected[0]

    # The next issue's skeleton: it only makes a draft, so the right to add briefings is enough.

    @admin.action(description=_("Start next week's briefing"), permissions=["add"])
    def start_next_briefing(self, request, queryset):
        source = self.the_one_selected(request, queryset)
        return self.started_from(request, source) if source else None

    @method_decorator(require_POST)
    def next_briefing_view(self, request, object_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        source = self.get_object(request, unquote(object_id))
        if source is None or not self.has_view_or_change_permission(request, source):
            raise PermissionDenied
        return self.started_from(request, source)

    def started_from(self, request, source: Briefing) -> HttpResponseRedirect:
        briefing = start_next_briefing(source, request.user)
        self.message_user(
            request,
            gettext("“%(briefing)s” was started as a draft from “%(source)s”.")
            % {"briefing": briefing, "source": source},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self.admin_url("change", briefing))

    # A bullet as readers will see it: the HTML its save would store, from the same renderer.

    @method_decorator(require_POST)
    def bullet_preview_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if "text" not in request.POST:
            return JsonResponse(
                {"error": gettext("No bullet text was sent to preview.")}, status=400
            )
        bullet = Bullet(text=request.POST["text"])
        render_markdown_fields(bullet)
        return JsonResponse({"html": bullet.text_html})

    # The newsletter: read-only, so whoever may see the briefing may take it.

    @admin.action(description=_("Newsletter: e-mail HTML and plain text"), permissions=["view"])
    def newsletter(self, request, queryset):
        briefing = self.the_one_selected(request, queryset)
        return HttpResponseRedirect(self.admin_url("newsletter", briefing)) if briefing else None

    def newsletter_view(self, request, object_id):
        found = self.get_object(request, unquote(object_id))
        if found is None or not self.has_view_or_change_permission(request, found):
            raise PermissionDenied
        briefing = get_object_or_404(Briefing.objects.for_detail(), pk=found.pk)
        newsletter = briefing_newsletter(briefing)
        download = request.GET.get("download")
        if download in ("html", "txt"):
            return newsletter_download(newsletter, download)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Newsletter: %(briefing)s") % {"briefing": briefing},
            "opts": self.opts,
            "original": briefing,
            "newsletter": newsletter,
        }
        return TemplateResponse(request, "admin/briefings/briefing/newsletter.html", context)


NEWSLETTER_FILES = {"html": "text/html", "txt": "text/plain"}


def newsletter_download(newsletter: Newsletter, extension: str) -> HttpResponse:
    content = newsletter.html if extension == "html" else newsletter.text
    response = HttpResponse(content, content_type=f"{NEWSLETTER_FILES[extension]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{newsletter.name}.{extension}"'
    return response


@admin.register(Figure)
class FigureAdmin(PartAdminRules, FigureThumbnailMixin, admin.ModelAdmin):
    list_display = ["caption_cell", "thumbnail", "credit_cell", "briefing_title"]
    caption_cell = hover_column("caption", _("caption"), text=str)
    credit_cell = hover_column("credit", _("credit"))
    briefing_title = hover_column("briefing", _("briefing"), text=lambda figure: figure.briefing)
    list_select_related = ["briefing"]
    list_filter = [MissingImageFilter]
    search_fields = ["caption", "credit", "alt", "briefing__title"]
    fields = ["briefing", *FIGURE_FIELDS]
    autocomplete_fields = ["briefing"]
    item_field = "briefing"
