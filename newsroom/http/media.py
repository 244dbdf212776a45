"""Uploaded files as Django serves them while developing, with the headers a web server or
bucket should send in production too (README "Uploads"): nothing in them runs as a page of
ours, and only images are shown in the browser."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.static import serve

# The formats the image upload accepts (images/checks.py) and the renditions made;
# anything else, SVG included, is offered as a download.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
MEDIA_POLICY = "default-src 'none'; sandbox"


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    return with_media_headers(response)


def with_media_headers(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in INLINE_TYPES:
        response["Content-Disposition"] = "attachment"
    return response
