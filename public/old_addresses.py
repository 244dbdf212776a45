"""The old site's addresses of imported items, answered with 301 to the item while the reader
may see it, and 404 otherwise: a draft's, a scheduled item's or a withdrawn item's address
gives nothing of it away."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from publishing.models import OldAddress


def current_address(paths: list[str], user) -> str | None:
    """Where the item that had one of `paths` on the old site is now, if `user` may see it
    (`PublishableQuerySet.visible_to`: readers only what is published)."""
    address = (
        OldAddress.objects.filter(path__in=paths)
        .select_related("content_type")
        .order_by("path")
        .first()
    )
    if address is None:
        return None
    model = address.content_type.model_class()
    item = model.objects.visible_to(user).filter(pk=address.object_id).first()
    return item.get_absolute_url() if item else None


# WordPress's plain permalinks: a post's "/?p=123", a page's "/?page_id=12".
PLAIN_PERMALINK_KEYS = ("p", "page_id")


def plain_permalink(query) -> str | None:
    """The old address a request's query names ("/?page_id=12"), if it names one."""
    for key in PLAIN_PERMALINK_KEYS:
        value = query.get(key, "")
        if value.isdigit():
            return f"/?{key}={value}"
    return None


def old_path_variants(path: str) -> list[str]:
    """The path as asked, and with the trailing slash WordPress's permalinks end in."""
    return [path] if path.endswith("/") else [path, path + "/"]


class OldAddressFallbackMiddleware:
    """Where the site has nothing, an item's old address answers 301 to the item."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        new_path = current_address(old_path_variants(request.path), request.user)
        return HttpResponsePermanentRedirect(new_path) if new_path else response
