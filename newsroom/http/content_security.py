"""The Content-Security-Policy header: strict on the public site, looser in the admin.

Public pages run only scripts from our own origin (they have none inline; JSON-LD is data,
which browsers do not run). The admin's own scripts and django-nested-admin's build markup
with inline styles and `javascript:` links, which the strict policy would break; the admin is
used by logged-in staff only and escapes what editors type, so there it allows inline code and
styles and keeps the rest of the policy (no plugins, no framing, forms and base to our origin).
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_ALLOWANCES = {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None and request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            parts.update = ADMIN_ALLOWANCES
        return parts
