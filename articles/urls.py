from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path(
        "articles/<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("publications/<slug:slug>/", views.PublicationView.as_view(), name="publication"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
]
