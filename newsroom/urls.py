from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, register_converter

from newsroom.converters import TwoDigitConverter, UnicodeSlugConverter, YearConverter

register_converter(YearConverter, "yyyy")
register_converter(TwoDigitConverter, "nn")
register_converter(UnicodeSlugConverter, "tagslug")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("", include("newsroom.public_urls")),
    path("", include("briefings.urls")),
    path("", include("articles.urls")),
    path("", include("sources.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
