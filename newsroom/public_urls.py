from django.urls import path

from newsroom import views

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
    path("tags/<slug:slug>/", views.TagArchiveView.as_view(), name="tag"),
]
