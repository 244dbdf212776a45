from django.urls import path

from public import feeds, search, views
from publishing.tag_renames import follow_renamed_tags

app_name = "newsroom"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("archive/<yyyy:year>/", views.YearArchiveView.as_view(), name="archive_year"),
    path("archive/<yyyy:year>/<nn:month>/", views.MonthArchiveView.as_view(), name="archive_month"),
    path(
        "archive/<yyyy:year>/<nn:month>/<nn:day>/",
        views.DayArchiveView.as_view(),
        name="archive_day",
    ),
    path("tags/", views.TagIndexView.as_view(), name="tags"),
    path("tags/<tagslug:slug>/", follow_renamed_tags(views.TagArchiveView.as_view()), name="tag"),
    path("search/", search.SearchView.as_view(), name="search"),
    *feeds.feed_paths("feed/", feeds.SiteFeed, "feed"),
    path("feed.json", feeds.json_feed, name="feed_json"),
    *feeds.feed_paths("tags/<tagslug:slug>/feed/", feeds.TagFeed, "tag_feed", follow_renamed_tags),
]
