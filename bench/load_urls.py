"""The site's addresses plus a view that does nothing, to measure what serving itself costs."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_patterns


def floor(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


# i18n_patterns may not be include()d, so the site's patterns are listed as they are.
urlpatterns = [path("bench-floor/", floor), *site_patterns]
