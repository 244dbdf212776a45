"""Lists of items, newest first: the home page, each kind's list, a tag's items, and the
index of tags. Date archives (archives.py) and people and publications (people.py) build on
`StreamView`."""

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models import Count, QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from briefings.models import Briefing, TaggedBriefing
from public import scopes
from public.feeds import absolute_url
from public.old_addresses import current_address, plain_permalink
from public.page_meta import (
    PageMeta,
    PageMetaMixin,
    index_page,
    listed_page,
    organization_node,
    site_node,
    stream_titles,
    tagline,
)
from public.stream import parse_page_number, stream_page
from publishing.page_keys import STREAM, TAGS, row_key


class StreamView(PageMetaMixin, TemplateView):
    """A paginated list of items, newest first. Subclasses say which items and how to head it."""

    template_name = "public/stream.html"
    heading = ""
    # A page of something (a tag, a period, a person) with nothing published answers 404,
    # rather than reveal what drafts and scheduled items carry. Its reason, when it does:
    empty_message = ""

    def get_querysets(self) -> list[QuerySet]:
        return scopes.site_items()

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

    def get_page_meta(self, context: dict) -> PageMeta:
        return listed_page(self.request, str(context["heading"]), stream_titles(context["page"]))

    def get_page_keys(self, context: dict) -> set[str]:
        # The newest items, which any published change may join or leave.
        return super().get_page_keys(context) | {STREAM}


class HomeView(StreamView):
    template_name = "public/home.html"

    def get(self, request, *args, **kwargs):
        # WordPress's plain permalinks ("/?p=123", "/?page_id=12") are the home page's address
        # with a query, so the redirects fallback, which answers only 404s, never sees them.
        old_path = plain_permalink(request.GET)
        if old_path:
            new_path = current_address([old_path], request.user) or redirected_path(old_path)
            if not new_path:
                raise Http404(_("No item was imported from this old address."))
            return redirect(new_path, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_page_meta(self, context: dict) -> PageMeta:
        meta = listed_page(self.request, _("Middle East Briefings"), stream_titles(context["page"]))
        if meta.canonical != absolute_url(reverse("newsroom:home")):
            # Older pages of the stream are a list of items, not the site itself.
            return meta
        meta.description = tagline()
        search = absolute_url(reverse("newsroom:search"))
        meta.structured_data = {
            **site_node(),
            "description": meta.description,
            "inLanguage": get_language(),
            "publisher": organization_node(),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_terms}}"},
                "query-input": "required name=search_terms",
            },
        }
        return meta


def redirected_path(old_path: str) -> str:
    """Where an editor's redirect sends an old address; items' old addresses are not kept as
    redirects (public/old_addresses.py)."""
    moved = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path)
    return moved.values_list("new_path", flat=True).first() or ""


class KindListView(StreamView):
    """The newest items of one kind."""

    scope = staticmethod(scopes.site_items)

    def get_querysets(self) -> list[QuerySet]:
        return self.scope()


class BriefingListView(KindListView):
    template_name = "briefings/briefing_list.html"
    heading = gettext_lazy("Briefings")
    scope = staticmethod(scopes.briefings)


class ArticleListView(KindListView):
    template_name = "articles/article_list.html"
    heading = gettext_lazy("Article excerpts")
    scope = staticmethod(scopes.articles)


class SubjectStreamView(StreamView):
    """The items of one thing found by its slug (a tag, a publication, a person), which the
    template reads by its model's name (`tag`, `publication`, `person`)."""

    subject_model: type
    # A thing whose items are all drafts or scheduled has no page yet.
    empty_message = gettext_lazy("Nothing published here yet.")

    def subject_items(self, subject) -> list[QuerySet]:
        raise NotImplementedError

    def get_querysets(self) -> list[QuerySet]:
        self.subject = get_object_or_404(self.subject_model, slug=self.kwargs["slug"])
        return self.subject_items(self.subject)

    def get_heading(self) -> str:
        return self.subject.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.subject_model._meta.model_name] = self.subject
        return context

    def get_page_keys(self, context: dict) -> set[str]:
        return PageMetaMixin.get_page_keys(self, context) | {row_key(self.subject)}


class TagArchiveView(SubjectStreamView):
    template_name = "public/tag.html"
    empty_message = gettext_lazy("Nothing published carries this tag.")
    subject_model = Tag
    subject_items = staticmethod(scopes.tagged)


class TagIndexView(PageMetaMixin, TemplateView):
    template_name = "public/tag_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tags"] = tags_with_counts()
        return context

    def get_page_meta(self, context: dict) -> PageMeta:
        return index_page(self.request, _("Topics"), context["tags"])

    def get_page_keys(self, context: dict) -> set[str]:
        return {TAGS}


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
