"""Every address of the public site.

`urlpatterns` answer in each interface language (the project's URLs put them under
i18n_patterns: English unprefixed, German under /de/); `crawler_patterns` answer once for the
whole site. Each content kind keeps its namespace (`briefings:`, `articles:`, `sources:`);
pages of both kinds are `newsroom:`.
"""

from django.urls import URLPattern, include, path, register_converter

from public import feeds, robots, sitemaps
from public.converters import TwoDigitConverter, UnicodeSlugConverter, YearConverter
from public.views import archives, items, people, search, sources, streams
from publishing.tag_renames import follow_renamed_tags

register_converter(YearConverter, "yyyy")
register_converter(TwoDigitConverter, "nn")
register_converter(UnicodeSlugConverter, "tagslug")

DATED = "<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/"


def feed_paths(
    route: str, feed_class: type[feeds.PublishedItemsFeed], name: str, wrap=lambda view: view
) -> list[URLPattern]:
    """The RSS feed at `route` and its Atom twin at `route` + `atom/`, each passed to `wrap`."""
    return [
        path(route, wrap(feed_class()), name=name),
        path(f"{route}atom/", wrap(feed_class(feeds.AtomWithContent)), name=f"{name}_atom"),
    ]


def kind_paths(prefix: str, list_view, detail_view, feed_class) -> list[URLPattern]:
    """One kind's list, its feeds and its items at their dated addresses."""
    return [
        path(f"{prefix}/", list_view.as_view(), name="list"),
        *feed_paths(f"{prefix}/feed/", feed_class, "feed"),
        path(f"{prefix}/{DATED}", detail_view.as_view(), name="detail"),
    ]


site_patterns = [
    path("", streams.HomeView.as_view(), name="home"),
    path("archive/<yyyy:year>/", archives.YearArchiveView.as_view(), name="archive_year"),
    path(
        "archive/<yyyy:year>/<nn:month>/", archives.MonthArchiveView.as_view(), name="archive_month"
    ),
    path(
        "archive/<yyyy:year>/<nn:month>/<nn:day>/",
        archives.DayArchiveView.as_view(),
        name="archive_day",
    ),
    path("tags/", streams.TagIndexView.as_view(), name="tags"),
    path("tags/<tagslug:slug>/", follow_renamed_tags(streams.TagArchiveView.as_view()), name="tag"),
    path("search/", search.SearchView.as_view(), name="search"),
    *feed_paths("feed/", feeds.SiteFeed, "feed"),
    path("feed.json", feeds.json_feed, name="feed_json"),
    *feed_paths("tags/<tagslug:slug>/feed/", feeds.TagFeed, "tag_feed", follow_renamed_tags),
]

briefing_patterns = kind_paths(
    "briefings", streams.BriefingListView, items.BriefingDetailView, feeds.BriefingFeed
)

article_patterns = [
    *kind_paths("articles", streams.ArticleListView, items.ArticleDetailView, feeds.ArticleFeed),
    path("publications/<slug:slug>/", people.PublicationView.as_view(), name="publication"),
    path("people/<slug:slug>/", people.PersonView.as_view(), name="person"),
    *feed_paths("publications/<slug:slug>/feed/", feeds.PublicationFeed, "publication_feed"),
    *feed_paths("people/<slug:slug>/feed/", feeds.PersonFeed, "person_feed"),
]

source_patterns = [
    path("sources/", sources.SourceIndexView.as_view(), name="index"),
    path("sources/<slug:slug>/", sources.SourceDetailView.as_view(), name="detail"),
]

urlpatterns = [
    path("", include((site_patterns, "newsroom"))),
    path("", include((briefing_patterns, "briefings"))),
    path("", include((article_patterns, "articles"))),
    path("", include((source_patterns, "sources"))),
]

# For crawlers, once for the whole site: each sitemap lists both languages' addresses.
crawler_patterns = [
    path("robots.txt", robots.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
]
