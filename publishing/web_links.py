"""Addresses readers follow from our pages: web pages only, never `javascript:`, `data:` or
another scheme a browser would run or that leads off the web."""

from urllib.parse import urlsplit

from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")
validate_web_url = URLValidator(schemes=list(WEB_SCHEMES))


def scheme_of(url: str) -> str:
    """The address's scheme, in lower case; "" for none, "invalid" for a malformed address."""
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return "invalid"


def is_web_url(url: str) -> bool:
    """Whether `url` is an absolute http(s) address."""
    return scheme_of(url) in WEB_SCHEMES


class WebURLField(models.URLField):
    """A URLField that accepts only http and https addresses."""

    default_validators = [validate_web_url]
