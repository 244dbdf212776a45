import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from newsroom.http.health import healthz
from newsroom.http.media import serve_media
from public.urls import crawler_patterns

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    # For load balancers and monitors: one address, in no language, outside the sitemap.
    path("healthz", healthz, name="healthz"),
    *crawler_patterns,
    # The public site in each interface language: English unprefixed, German under /de/.
    *i18n_patterns(path("", include("public.urls")), prefix_default_language=False),
]

# A database error outside a view (e.g. in a fallback middleware) answers the maintenance page.
handler500 = "newsroom.http.db_outage.server_error"

if settings.DEBUG:
    # In production a web server or the bucket serves media, with the same headers (README).
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{re.escape(media_prefix)}(?P<path>.*)$", serve_media))
