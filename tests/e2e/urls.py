"""The site's addresses plus its uploads: with DEBUG off Django serves no media, and in
production a web server does; the e2e browser needs to see the images an editor uploads."""

import re

from django.conf import settings
from django.urls import re_path

from newsroom.http.media import serve_media
from newsroom.urls import handler500
from newsroom.urls import urlpatterns as site_urlpatterns

media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
urlpatterns = [
    re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media),
    *site_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
