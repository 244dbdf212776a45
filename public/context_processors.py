from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject


def site(request) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "language_links": SimpleLazyObject(lambda: language_links(request)),
    }


def language_links(request) -> list[dict[str, str]]:
    """This page's address in each interface language, for hreflang links and the switcher."""
    here = request.build_absolute_uri()
    return [
        {"code": code, "name": name, "url": translate_url(here, code)}
        for code, name in settings.LANGUAGES
    ]
