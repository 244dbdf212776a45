"""The outlets briefings cite, and the bullets citing one of them."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import ListView

from briefings.models import Briefing, Bullet
from public.page_meta import PageMeta, PageMetaMixin, index_page, listed_page
from public.stream import parse_page_number
from publishing.page_keys import SOURCES
from sources.models import Citation, Source


class SourceIndexView(PageMetaMixin, ListView):
    """The outlets cited in published briefings, with how many bullets cite each."""

    template_name = "sources/source_index.html"
    context_object_name = "sources"

    def get_queryset(self):
        return Source.objects.cited_in_published()

    def get_page_meta(self, context: dict) -> PageMeta:
        return index_page(self.request, _("Sources"), context["sources"])

    def get_page_keys(self, context: dict) -> set[str]:
        return {SOURCES}


class SourceDetailView(PageMetaMixin, ListView):
    """The published bullets citing one outlet, newest briefing first; none is a 404."""

    template_name = "sources/source_detail.html"
    context_object_name = "bullets"
    allow_empty = False

    def get_paginate_by(self, queryset) -> int:
        return settings.ITEMS_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        # Read as every listing reads its page (public/stream.py), not by Django's int().
        self.kwargs[self.page_kwarg] = parse_page_number(self.request.GET.get(self.page_kwarg))
        return super().paginate_queryset(queryset, page_size)

    def get_queryset(self):
        self.source = get_object_or_404(Source, slug=self.kwargs["slug"])
        citing = Citation.objects.filter(source=self.source).values("bullet")
        return (
            Bullet.objects.filter(pk__in=citing, briefing__in=Briefing.objects.published())
            .select_related("briefing")
            .order_by("-briefing__published_at", "-briefing_id", "position", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source"] = self.source
        return context

    def get_page_meta(self, context: dict) -> PageMeta:
        titles = list(dict.fromkeys(bullet.briefing.title for bullet in context["bullets"]))
        about = {"@type": "Organization", "name": self.source.name}
        return listed_page(self.request, self.source.name, titles, about=about)

    def get_page_keys(self, context: dict) -> set[str]:
        return {SOURCES}
