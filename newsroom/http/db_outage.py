"""Pages while the database is unreachable: 503 with a static maintenance page, not a traceback.

The page cache (listed before this middleware's work is needed) still answers the pages it
holds, since it asks only the cache. Anything else that needs the database and cannot reach it
(connection refused, or the backend's connection cut mid-request) answers the maintenance page,
rendered from a template that reads nothing from the database, with `Retry-After`.

A broken connection is not reused: Django marks it as having had an error, and at the end of
the request (and, with CONN_HEALTH_CHECKS, before its next use) finds it unusable and closes
it, so a request after the database returns opens a new one.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.log import log_response
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a reader, crawler or load balancer is asked to wait before trying again.
RETRY_AFTER = 30


def maintenance_response() -> HttpResponse:
    # Rendered without the request, so no context processor (user, session) touches the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # A CDN or browser must not keep the maintenance page in place of the real one.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Answers 503 for a view (or its template) that could not reach the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        response = maintenance_response()
        # Django's own helper, which marks the response as logged: the one line for this
        # failure, with the exception, rather than a second "Service Unavailable" line.
        log_response(
            "Database unreachable, maintenance page answered: %s",
            str(exception).strip(),
            response=response,
            request=request,
            logger=logger,
            exception=exception,
        )
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: a database error raised outside a view (e.g. in the flat pages or
    redirects fallback middleware) is an outage too. Django has logged it already."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return maintenance_response()
    return defaults.server_error(request)
