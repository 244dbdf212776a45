from django.urls import path

from briefings import views

app_name = "briefings"
urlpatterns = [
    path("briefings/", views.BriefingListView.as_view(), name="list"),
    path(
        "briefings/<yyyy:year>/<nn:month>/<nn:day>/<slug:slug>/",
        views.BriefingDetailView.as_view(),
        name="detail",
    ),
]
