"""Site-wide pages: the merged stream, date archives and tags; and the detail-page base."""

import datetime as dt

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models import Count, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from briefings.models import Briefing, TaggedBriefing
from public.old_addresses import current_address
from public.related import related_items
from public.sql import as_moment, first_values
from public.stream import parse_page_number, stream_page
from publishing.dates import aware_start, day_range, month_range, parse_date, year_range
from publishing.models import attach_tags


def published_items():
    return [Briefing.objects.published(), Article.objects.published()]


class StreamView(TemplateView):
    """A paginated list of items, newest first. Subclasses say which items and how to head it."""

    template_name = "newsroom/stream.html"
    heading = ""
    # A page of something (a tag, a period, a person) with nothing published answers 404,
    # rather than reveal what drafts and scheduled items carry. Its reason, when it does:
    empty_message = ""

    def get_querysets(self) -> list:
        return published_items()

    def get_heading(self) -> str:
        return self.heading

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number = parse_page_number(self.request.GET.get("page"))
        context["page"] = stream_page(self.get_querysets(), number, settings.ITEMS_PER_PAGE)
        if self.empty_message and not context["page"].items:
            raise Http404(self.empty_message)
        context["heading"] = self.get_heading()
        return context


class HomeView(StreamView):
    template_name = "newsroom/home.html"

    def get(self, request, *args, **kwargs):
        # WordPress's plain permalinks ("/?p=123") are the home page's address with a query,
        # so the redirects fallback, which answers only 404s, never sees them.
        post_id = request.GET.get("p", "")
        if post_id.isdigit():
            old_path = f"/?p={post_id}"
            new_path = current_address([old_path], request.user) or redirected_path(old_path)
            if not new_path:
                raise Http404(_("No item was imported from this old address."))
            return redirect(new_path, permanent=True)
        return super().get(request, *args, **kwargs)


def redirected_path(old_path: str) -> str:
    """Where an editor's redirect sends an old address; items' old addresses are not kept as
    redirects (public/old_addresses.py)."""
    moved = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path)
    return moved.values_list("new_path", flat=True).first() or ""


class TagIndexView(TemplateView):
    template_name = "newsroom/tag_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tags"] = tags_with_counts()
        return context


def tags_with_counts() -> list[Tag]:
    """Tags used by at least one published item, with how many of each kind, in two queries:
    the published items' tag links counted by tag across both kinds, then those tags.

    A count per tag in a subquery rebuilt the set of published items for every tag: 18 s
    with 300 tags and ten years of items.
    """
    counts: dict[int, dict[str, int]] = {}
    uses = [tag_uses(TaggedBriefing, Briefing), tag_uses(TaggedArticle, Article)]
    for tag_id, kind, count in uses[0].union(uses[1], all=True):
        counts.setdefault(tag_id, {})[kind] = count
    tags = list(Tag.objects.filter(pk__in=counts).order_by("name"))
    for tag in tags:
        tag.briefing_count = counts[tag.pk].get("briefing", 0)
        tag.article_count = counts[tag.pk].get("article", 0)
    return tags


def tag_uses(through, model):
    """(tag id, kind, how many published items of `model` carry it)."""
    return (
        through.objects.filter(content_object__in=model.objects.published())
        .order_by()
        .values("tag_id")
        .annotate(count=Count("*"), kind=Value(model._meta.model_name))
        .values_list("tag_id", "kind", "count")
    )


class TagArchiveView(StreamView):
    template_name = "newsroom/tag.html"
    empty_message = gettext_lazy("Nothing published carries this tag.")

    def get_querysets(self) -> list:
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return [qs.filter(tags=self.tag) for qs in published_items()]

    def get_heading(self) -> str:
        return self.tag.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        return context


class DateArchiveView(StreamView):
    """Items of one year, month or day; an empty period is a 404. Subclasses name the period."""

    template_name = "newsroom/archive.html"
    empty_message = gettext_lazy("Nothing was published in this period.")
    period = ""
    url_parts: tuple[str, ...] = ()
    label_format = ""

    @staticmethod
    def period_range(day: dt.date) -> tuple[dt.date, dt.date]:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.day = parse_date(**self.kwargs)
        canonical = self.period_url(self.day)
        if canonical != request.path:
            # An unpadded month or day has one canonical spelling.
            query = request.META.get("QUERY_STRING", "")
            return redirect(f"{canonical}?{query}" if query else canonical, permanent=True)
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def period_url(cls, day: dt.date) -> str:
        kwargs = {name: getattr(day, name) for name in cls.url_parts}
        return reverse(f"newsroom:archive_{cls.period}", kwargs=kwargs)

    def get_querysets(self) -> list:
        self.bounds = tuple(aware_start(d) for d in self.period_range(self.day))
        start, end = self.bounds
        return [
            qs.filter(published_at__gte=start, published_at__lt=end) for qs in published_items()
        ]

    def get_heading(self) -> str:
        return date_format(self.day, self.label_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous_period"], context["next_period"] = self.neighbours()
        context["enclosing_periods"] = self.enclosing_periods()
        return context

    def enclosing_periods(self) -> list[dict]:
        """Links up from a day to its month and year, from a month to its year."""
        coarser = [YearArchiveView, MonthArchiveView][: len(self.url_parts) - 1]
        return [
            {
                "url": view.period_url(self.day),
                "label": date_format(self.day, view.label_format),
            }
            for view in coarser
        ]

    def neighbours(self) -> tuple[dict | None, dict | None]:
        """Links to the nearest earlier and later periods that have items."""
        start, end = self.bounds
        probes = []
        for qs in published_items():
            earlier = qs.filter(published_at__lt=start).order_by("-published_at")
            later = qs.filter(published_at__gte=end).order_by("published_at")
            probes += [earlier.values_list("published_at"), later.values_list("published_at")]
        moments = [as_moment(value) for value in first_values(probes)]
        latest_before = max(filter(None, moments[0::2]), default=None)
        earliest_after = min(filter(None, moments[1::2]), default=None)
        return self.period_link(latest_before), self.period_link(earliest_after)

    def period_link(self, moment: dt.datetime | None) -> dict | None:
        if moment is None:
            return None
        day = timezone.localtime(moment).date()
        return {"url": self.period_url(day), "label": date_format(day, self.label_format)}


class YearArchiveView(DateArchiveView):
    period = "year"
    url_parts = ("year",)
    label_format = "Y"
    period_range = staticmethod(year_range)


class MonthArchiveView(DateArchiveView):
    period = "month"
    url_parts = ("year", "month")
    label_format = "YEAR_MONTH_FORMAT"
    period_range = staticmethod(month_range)


class DayArchiveView(DateArchiveView):
    period = "day"
    url_parts = ("year", "month", "day")
    label_format = "DATE_FORMAT"
    period_range = staticmethod(day_range)


class PublishableDetailView(DetailView):
    """An item at its canonical dated address, with its related items; drafts and scheduled
    items only as staff previews."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).for_detail()

    def get_object(self, queryset=None):
        return attach_tags([super().get_object(queryset)])[0]

    def get(self, request, *args, **kwargs):
        parse_date(**{k: self.kwargs[k] for k in ("year", "month", "day")})
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if canonical != request.path:
            return redirect(canonical, permanent=True)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published:
            response["X-Robots-Tag"] = "noindex"
            response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        context["related"] = related_items(self.object)
        return context
