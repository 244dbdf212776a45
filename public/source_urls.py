from django.urls import path

from public import source_views as views

app_name = "sources"
urlpatterns = [
    path("sources/", views.SourceIndexView.as_view(), name="index"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="detail"),
]
