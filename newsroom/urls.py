import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path, register_converter

from newsroom.http.health import healthz
from newsroom.http.media import serve_media
from public.converters import TwoDigitConverter, UnicodeSlugConverter, YearConverter
from public.robots import robots_txt
from public.sitemaps import sitemap_index, sitemap_section

register_converter(YearConverter, "yyyy")
register_converter(TwoDigitConverter, "nn")
register_converter(UnicodeSlugConverter, "tagslug")

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    # For crawlers, once for the whole site: each sitemap lists both languages' addresses.
    # For load balancers and monitors: one address, in no language, outside the sitemap.
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
    # The public site in each interface language: English unprefixed, German under /de/.
    *i18n_patterns(
        path("", include("public.urls")),
        path("", include("public.briefing_urls")),
        path("", include("public.article_urls")),
        path("", include("public.source_urls")),
        prefix_default_language=False,
    ),
]

# A database error outside a view (e.g. in a fallback middleware) answers the maintenance page.
handler500 = "newsroom.http.db_outage.server_error"

if settings.DEBUG:
    # In production a web server or the bucket serves media, with the same headers (README).
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{re.escape(media_prefix)}(?P<path>.*)$", serve_media))
