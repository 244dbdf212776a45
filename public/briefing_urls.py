from django.urls import path

from public import briefing_views as views
from public.feeds import BriefingFeed, feed_paths

app_name = "briefings"
urlpatterns = [
    path("briefings/", views.BriefingListView.as_view(), name="list"),
    *feed_paths("briefings/feed/", BriefingFeed, "feed"),
    path(
        "briefings/<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/",
        views.BriefingDetailView.as_view(),
        name="detail",
    ),
]
