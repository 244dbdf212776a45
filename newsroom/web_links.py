"""Addresses readers follow from our pages: web pages only, never `javascript:`, `data:` or
another scheme a browser would run or that leads off the web."""

from urllib.parse import urlsplit

from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")
validate_web_url = URLValidator(schemes=list(WEB_SCHEMES))


def is_web_url(url: str) -> bool:
    """Whether `url` is an absolute http(s) address (what the importer may store)."""
    try:
        return urlsplit(url.strip()).scheme.lower() in WEB_SCHEMES
    except ValueError:
        return False


class WebURLField(models.URLField):
    """A URLField that accepts only http and https addresses."""

    default_validators = [validate_web_url]
