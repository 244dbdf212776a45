"""/robots.txt: crawl the public site, not the admin or search results; here is the sitemap."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import override

from public.feeds import absolute_url


def disallowed_paths() -> list[str]:
    # Search results are endless combinations of queries, in every interface language.
    searches = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            searches.append(reverse("newsroom:search"))
    return [reverse("admin:index"), *searches]


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed_paths()),
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap_index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
