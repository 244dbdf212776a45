"""Items of one year, month or day, with links to the neighbouring periods that have items."""

import datetime as dt

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from public import scopes
from public.page_meta import PageMetaMixin
from public.sql import as_moment, first_values
from public.views.streams import StreamView
from publishing.dates import aware_start, day_range, month_range, parse_date, year_range
from publishing.page_keys import ARCHIVE_LINKS


class DateArchiveView(StreamView):
    """Items of one year, month or day; an empty period is a 404. Subclasses name the period."""

    template_name = "public/archive.html"
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
            qs.filter(published_at__gte=start, published_at__lt=end) for qs in scopes.site_items()
        ]

    def get_heading(self) -> str:
        return date_format(self.day, self.label_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous_period"], context["next_period"] = self.neighbours()
        context["enclosing_periods"] = self.enclosing_periods()
        return context

    def get_page_keys(self, context: dict) -> set[str]:
        period = ("%Y", "%Y-%m", "%Y-%m-%d")[len(self.url_parts) - 1]
        own = {f"archive-{self.day.strftime(period)}", ARCHIVE_LINKS}
        return PageMetaMixin.get_page_keys(self, context) | own

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
        for qs in scopes.site_items():
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
