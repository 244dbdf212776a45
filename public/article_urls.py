from django.urls import path

from public import article_views as views
from public.feeds import ArticleFeed, PersonFeed, PublicationFeed, feed_paths

app_name = "articles"
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    *feed_paths("articles/feed/", ArticleFeed, "feed"),
    path(
        "articles/<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("publications/<slug:slug>/", views.PublicationView.as_view(), name="publication"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    *feed_paths("publications/<slug:slug>/feed/", PublicationFeed, "publication_feed"),
    *feed_paths("people/<slug:slug>/feed/", PersonFeed, "person_feed"),
]
