"""Sitemaps of what readers may see: an index at /sitemap.xml and one sitemap per section.

Every section is built from `published()`, lists each address in both interface languages with
its hreflang alternates, and fetches its rows in one or two queries however many there are.
Addresses are made from SITE_URL, like the feeds', not from the Sites framework's domain.
"""

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property
from html import escape

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, DateTimeField, F, Max, QuerySet, Value
from django.db.models.functions import Cast, Greatest, TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from briefings.models import Briefing, TaggedBriefing
from people.models import Person, Publication
from public.feeds import absolute_url
from public.sql import as_moment, one_row
from public.stream import parse_page_number
from publishing.page_keys import SITEMAP, SOURCES, record
from publishing.paths import dated_path
from sources.models import Citation, Source

# Sitemaps list items, tags, people, publications and sources (flat pages are `site`).
SITEMAP_KEYS = (SITEMAP, SOURCES)


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

    def summaries(self) -> list[QuerySet]:
        """Querysets of one row each, (how many, when last changed), for the index: it lists
        the section when any count is above zero, dated by the latest change."""
        raise NotImplementedError

    # Whether the counts are of items, each an address per language, so the index knows how
    # many pages the section has; other sections list far fewer than a page holds.
    counts_items = False
    always_listed = False

    def items(self) -> list:
        return self.rows

    def get_protocol(self, protocol: str | None = None) -> str:
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None) -> str:
        return settings.SITE_URL.split("://", 1)[1]

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """The page's entries, each address made once and prefixed for each language.

        Django's i18n sitemaps activate each language and reverse each address once per
        language for the entry and again for each alternate: seconds with ten thousand items.
        Addresses differ between languages only by their prefix (/de/), so each item's
        address is made once, in the default language.
        """
        if not self.i18n:
            return super().get_urls(page=page, site=site, protocol=protocol)
        site = settings.SITE_URL
        prefixes = language_prefixes(self._languages())
        urls, latest, every_lastmod = [], None, True
        previous = None
        with translation.override(settings.LANGUAGE_CODE):
            # Each item comes once per language, one after the other.
            for item, language in self.paginator.page(page).object_list:
                if item is not previous:
                    previous = item
                    path = self.location(item)
                    lastmod = self._get("lastmod", (item, language))
                    every_lastmod = every_lastmod and lastmod is not None
                    if every_lastmod:
                        latest = latest_of(latest, lastmod)
                    addresses = {code: f"{site}{prefix}{path}" for code, prefix in prefixes.items()}
                    alternates = [
                        {"location": address, "lang_code": code}
                        for code, address in addresses.items()
                    ]
                    # The default language's address is unprefixed: it is the default already.
                    default = addresses[settings.LANGUAGE_CODE]
                    alternates.append({"location": default, "lang_code": "x-default"})
                urls.append(
                    {"location": addresses[language], "lastmod": lastmod, "alternates": alternates}
                )
        if every_lastmod and latest:
            self.latest_lastmod = latest
        return urls


def language_prefixes(languages: list[str]) -> dict[str, str]:
    """Each interface language -> what its addresses have before the default language's."""
    prefixes = {}
    for language in languages:
        with translation.override(language):
            prefixes[language] = reverse("newsroom:home").removesuffix("/")
    return prefixes


class ItemSitemap(PublicSitemap):
    """Every published item of a kind: rows of what its address and lastmod need, no models."""

    model: type[Briefing] | type[Article]
    url_name: str

    counts_items = True

    def summaries(self) -> list[QuerySet]:
        return [summary_of(self.model.objects.published())]

    def fetch(self):
        return (
            self.model.objects.published()
            .order_by("-published_at", "-pk")
            .annotate(changed=changed_at())
            .values_list("slug", "published_at", "changed", named=True)
        )

    def location(self, row) -> str:
        return dated_path(self.url_name, row.published_at, row.slug)

    def lastmod(self, row) -> dt.datetime:
        return row.changed


class BriefingSitemap(ItemSitemap):
    model = Briefing
    url_name = "briefings:detail"


class ArticleSitemap(ItemSitemap):
    model = Article
    url_name = "articles:detail"


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

    # Listed even before anything is published: the home page is always there.
    always_listed = True

    def summaries(self) -> list[QuerySet]:
        return items_summaries()

    def fetch(self) -> list[Listing]:
        briefings, articles = (
            model.objects.published().aggregate(changed=Max(changed_at()))["changed"]
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

    def summaries(self) -> list[QuerySet]:
        return items_summaries()

    def fetch(self) -> list[Listing]:
        months: dict[tuple[int, int], dt.datetime] = {}
        for model in (Briefing, Article):
            rows = (
                model.objects.published()
                .annotate(month=TruncMonth("published_at"))
                .order_by()
                .values("month")
                .annotate(changed=Max(changed_at()))
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
    grouped = rows.order_by().values(key).annotate(changed=Max(changed_at(item)))
    return {pk: moment for pk, moment in grouped.values_list(key, "changed") if pk is not None}


def summary_of(rows: QuerySet, item: str = "", *, dated=True) -> QuerySet:
    """One row: how many `rows` there are and when the newest published item behind them
    last changed (`item` is the path from `rows` to the item, when they are not items)."""
    latest = Max(changed_at(item) if dated else Cast(Value(None), DateTimeField()))
    return (
        rows.order_by()
        .annotate(whole=Value(1))
        .values("whole")  # a constant: one group, so one row however many rows there are
        .annotate(count=Count("pk"), latest=latest)
        .values("count", "latest")
    )


def changed_at(item: str = "") -> Greatest:
    """When an item last changed for readers (`item`: the path to it from the rows queried).
    An item reaches readers at its publication time even when it was last saved before."""
    prefix = f"{item}__" if item else ""
    return Greatest(F(f"{prefix}updated_at"), F(f"{prefix}published_at"))


def items_summaries() -> list[QuerySet]:
    return [summary_of(Briefing.objects.published()), summary_of(Article.objects.published())]


class TagSitemap(NamedPageSitemap):
    model = Tag
    ordering = ("name",)

    def summaries(self) -> list[QuerySet]:
        return [
            summary_of(
                TaggedBriefing.objects.filter(content_object__in=Briefing.objects.published()),
                "content_object",
            ),
            summary_of(
                TaggedArticle.objects.filter(content_object__in=Article.objects.published()),
                "content_object",
            ),
        ]

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

    def summaries(self) -> list[QuerySet]:
        return [summary_of(Article.objects.published().filter(publication__isnull=False))]

    def latest_changes(self) -> list[dict[int, dt.datetime]]:
        return [latest_by(Article.objects.published(), "publication_id")]


class PersonSitemap(NamedPageSitemap):
    model = Person

    def summaries(self) -> list[QuerySet]:
        authorship = Article.authors.through.objects.filter(article__in=Article.objects.published())
        return [
            summary_of(Briefing.objects.published().filter(editor__isnull=False)),
            summary_of(authorship, "article"),
        ]

    def latest_changes(self) -> list[dict[int, dt.datetime]]:
        authorship = Article.authors.through.objects.filter(article__in=Article.objects.published())
        return [
            latest_by(Briefing.objects.published(), "editor_id"),
            latest_by(authorship, "person_id", "article"),
        ]


class SourceSitemap(NamedPageSitemap):
    model = Source

    def summaries(self) -> list[QuerySet]:
        citations = Citation.objects.filter(bullet__briefing__in=Briefing.objects.published())
        return [summary_of(citations, "bullet__briefing")]

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

    def summaries(self) -> list[QuerySet]:
        return [summary_of(self.fetch(), dated=False)]


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
    """Each non-empty section's sitemap (and its further pages) with when it last changed.

    Every section's counts and latest change come in one query: reading the sections' rows
    took a query or two each and a third of a second with ten years of items.
    """
    record(request, SITEMAP_KEYS)
    sitemaps = {section: sitemap_class() for section, sitemap_class in SITEMAPS.items()}
    summaries = {section: sitemap.summaries() for section, sitemap in sitemaps.items()}
    values = iter(one_row([query for queries in summaries.values() for query in queries]))
    entries = []
    for section, sitemap in sitemaps.items():
        found = [(next(values), as_moment(next(values))) for _query in summaries[section]]
        count = sum(how_many for how_many, _latest in found)
        if not count and not sitemap.always_listed:
            continue
        lastmod = latest_of(*(latest for _how_many, latest in found))
        addresses = count * len(settings.LANGUAGES) if sitemap.counts_items else count
        location = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        entries.append({"location": location, "last_mod": lastmod})
        for page in range(2, math.ceil(addresses / sitemap.limit) + 1):
            entries.append({"location": f"{location}?p={page}", "last_mod": lastmod})
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    moments = [entry["last_mod"] for entry in entries]
    if moments and all(moments):
        response["Last-Modified"] = http_date(max(moments).timestamp())
    return response


@x_robots_tag
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section's sitemap, or its page `?p=` when it holds more than 50,000 addresses."""
    record(request, SITEMAP_KEYS)
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    try:
        urls = sitemap.get_urls(page=parse_page_number(request.GET.get("p")))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such sitemap page.") from error
    response = HttpResponse(urlset_xml(urls), content_type="application/xml")
    if lastmod := getattr(sitemap, "latest_lastmod", None):
        response["Last-Modified"] = http_date(lastmod.timestamp())
    return response


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def urlset_xml(urls: list[dict]) -> str:
    """The sitemap XML of `urls`, written directly: a template took seconds for 20,000.

    The entries of one item in each language share its lastmod and alternates, written once.
    """
    tz = timezone.get_current_timezone()
    parts = [URLSET_START]
    alternates, links = None, ""
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["alternates"] is not alternates:
            alternates = url["alternates"]
            lastmod = f"<lastmod>{day_of(url['lastmod'], tz)}</lastmod>" if url["lastmod"] else ""
            links = lastmod + "".join(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}"'
                f' href="{escape(alternate["location"])}"/>'
                for alternate in alternates
            )
        parts.append(f"{links}</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def day_of(moment: dt.date, tz: dt.tzinfo) -> str:
    """The date of `moment` in the site's time zone, as sitemaps give it."""
    if isinstance(moment, dt.datetime) and timezone.is_aware(moment):
        moment = moment.astimezone(tz)
    return f"{moment:%Y-%m-%d}"
