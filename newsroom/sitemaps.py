"""Sitemaps of what readers may see: an index at /sitemap.xml and one sitemap per section.

Every section is built from `published()`, lists each address in both interface languages with
its hreflang alternates, and fetches its rows in one or two queries however many there are.
Addresses are made from SITE_URL, like the feeds', not from the Sites framework's domain.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Greatest, TruncMonth
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date
from taggit.models import Tag

from articles.models import Article, Person, Publication, TaggedArticle
from briefings.models import Briefing, TaggedBriefing
from newsroom.feeds import absolute_url
from sources.models import Citation, Source

# An item reaches readers at its publication time even when it was last saved before then.
CHANGED = Greatest(F("updated_at"), F("published_at"))


def latest_of(*moments: dt.datetime | None) -> dt.datetime | None:
    return max(filter(None, moments), default=None)


class PublicSitemap(Sitemap):
    """A section listing each address in every interface language, with its alternates."""

    i18n = True
    alternates = True
    x_default = True

    @cached_property
    def rows(self) -> list:
        # The index asks for the count and the latest change; one fetch answers both.
        return list(self.fetch())

    def fetch(self):
        raise NotImplementedError

    def items(self) -> list:
        return self.rows

    def get_protocol(self, protocol: str | None = None) -> str:
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None) -> str:
        return settings.SITE_URL.split("://", 1)[1]

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {alt["lang_code"]: alt for alt in url["alternates"]}
            if "x-default" in by_language:
                # Django derives x-default by deleting "/en/" from the address, which with an
                # unprefixed default language would cut a slug such as "en"; the English
                # address is the default already.
                by_language["x-default"]["location"] = by_language[settings.LANGUAGE_CODE][
                    "location"
                ]
        return urls


class ItemSitemap(PublicSitemap):
    model: type[Briefing] | type[Article]

    def fetch(self):
        return (
            self.model.objects.published()
            .only("slug", "published_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item) -> dt.datetime:
        return max(item.updated_at, item.published_at)


class BriefingSitemap(ItemSitemap):
    model = Briefing


class ArticleSitemap(ItemSitemap):
    model = Article


@dataclass
class Listing:
    """A page of the site found by URL name, and when what it lists last changed."""

    url_name: str
    lastmod: dt.datetime | None
    kwargs: dict | None = None

    def get_absolute_url(self) -> str:
        return reverse(self.url_name, kwargs=self.kwargs)


class PageListSitemap(PublicSitemap):
    def lastmod(self, listing: Listing) -> dt.datetime | None:
        return listing.lastmod


class StaticSitemap(PageListSitemap):
    """The home page, the lists of each kind, the topics and the sources."""

    def fetch(self) -> list[Listing]:
        briefings, articles = (
            model.objects.published().aggregate(changed=Max(CHANGED))["changed"]
            for model in (Briefing, Article)
        )
        either = latest_of(briefings, articles)
        return [
            Listing("newsroom:home", either),
            Listing("briefings:list", briefings),
            Listing("articles:list", articles),
            Listing("newsroom:tags", either),
            Listing("sources:index", briefings),
        ]


class ArchiveSitemap(PageListSitemap):
    """Year and month archives that have published items (days would mostly repeat them)."""

    def fetch(self) -> list[Listing]:
        months: dict[tuple[int, int], dt.datetime] = {}
        for model in (Briefing, Article):
            rows = (
                model.objects.published()
                .annotate(month=TruncMonth("published_at"))
                .order_by()
                .values("month")
                .annotate(changed=Max(CHANGED))
            )
            for row in rows:
                key = (row["month"].year, row["month"].month)
                months[key] = latest_of(months.get(key), row["changed"])
        years: dict[int, dt.datetime] = {}
        for (year, _month), changed in months.items():
            years[year] = latest_of(years.get(year), changed)
        listings = [
            Listing("newsroom:archive_year", changed, {"year": year})
            for year, changed in years.items()
        ] + [
            Listing("newsroom:archive_month", changed, {"year": year, "month": month})
            for (year, month), changed in months.items()
        ]
        return sorted(listings, key=lambda listing: listing.get_absolute_url(), reverse=True)


class NamedPageSitemap(PublicSitemap):
    """Pages of things (tags, publications, people, sources) that have a published item.

    When each thing's items last changed is found by grouping the items by thing, one query
    per way a thing has items, and the things are then fetched by id: a subquery per thing
    took seconds with ten years of items.
    """

    model: type

    def latest_changes(self) -> list[dict[int, dt.datetime]]:
        raise NotImplementedError

    def fetch(self) -> list:
        latest: dict[int, dt.datetime] = {}
        for changes in self.latest_changes():
            for pk, changed in changes.items():
                latest[pk] = latest_of(latest.get(pk), changed)
        things = list(self.model.objects.filter(pk__in=latest).order_by(*self.ordering))
        for thing in things:
            thing.sitemap_lastmod = latest[thing.pk]
        return things

    ordering: tuple[str, ...] = ("pk",)

    def lastmod(self, thing) -> dt.datetime | None:
        return thing.sitemap_lastmod


def latest_by(rows: QuerySet, key: str, item: str = "") -> dict[int, dt.datetime]:
    """{value of `key`: when the newest published item behind it last changed}, in one query;
    `item` is the path from `rows` to the item, when `rows` are not items themselves."""
    prefix = f"{item}__" if item else ""
    changed = Greatest(F(f"{prefix}updated_at"), F(f"{prefix}published_at"))
    grouped = rows.order_by().values(key).annotate(changed=Max(changed))
    return {pk: moment for pk, moment in grouped.values_list(key, "changed") if pk is not None}


class TagSitemap(NamedPageSitemap):
    model = Tag
    ordering = ("name",)

    def latest_changes(self) -> list[dict[int, dt.datetime]]:
        return [
            latest_by(
                TaggedBriefing.objects.filter(content_object__in=Briefing.objects.published()),
                "tag_id",
                "content_object",
            ),
            latest_by(
                TaggedArticle.objects.filter(content_object__in=Article.objects.published()),
                "tag_id",
                "content_object",
            ),
        ]

    def location(self, tag: Tag) -> str:
        return reverse("newsroom:tag", kwargs={"slug": tag.slug})


class PublicationSitemap(NamedPageSitemap):
    model = Publication

    def latest_changes(self) -> list[dict[int, dt.datetime]]:
        return [latest_by(Article.objects.published(), "publication_id")]


class PersonSitemap(NamedPageSitemap):
    model = Person

    def latest_changes(self) -> list[dict[int, dt.datetime]]:
        authorship = Article.authors.through.objects.filter(article__in=Article.objects.published())
        return [
            latest_by(Briefing.objects.published(), "editor_id"),
            latest_by(authorship, "person_id", "article"),
        ]


class SourceSitemap(NamedPageSitemap):
    model = Source

    def latest_changes(self) -> list[dict[int, dt.datetime]]:
        citations = Citation.objects.filter(bullet__briefing__in=Briefing.objects.published())
        return [latest_by(citations, "source_id", "bullet__briefing")]


class FlatPageSitemap(PublicSitemap):
    """The old site's pages kept at their old addresses: one address each, no language twin,
    and no time of change recorded."""

    i18n = False

    def fetch(self):
        return FlatPage.objects.filter(
            sites=settings.SITE_ID, registration_required=False
        ).order_by("url")


# Section name -> sitemap class; a class, so each request starts with fresh rows.
SITEMAPS: dict[str, type[PublicSitemap]] = {
    "static": StaticSitemap,
    "briefings": BriefingSitemap,
    "articles": ArticleSitemap,
    "archives": ArchiveSitemap,
    "tags": TagSitemap,
    "publications": PublicationSitemap,
    "people": PersonSitemap,
    "sources": SourceSitemap,
    "pages": FlatPageSitemap,
}


@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Each non-empty section's sitemap (and its further pages) with when it last changed."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        if not sitemap.rows:
            continue
        location = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append({"location": location, "last_mod": lastmod})
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append({"location": f"{location}?p={page}", "last_mod": lastmod})
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    moments = [entry["last_mod"] for entry in entries]
    if moments and all(moments):
        response["Last-Modified"] = http_date(max(moments).timestamp())
    return response
