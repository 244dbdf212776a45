"""Django, set up for a bench script run from the command line."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The servers of benches and tests answer plain http on loopback: no redirect to https, and
# cookies sent over http, whatever production's defaults are.
PLAIN_HTTP = {"SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0"}


def setup_django(**environ: str) -> None:
    """Django configured from the environment with `environ` on top; static files are served
    from static/ as they are, so a bench needs no collectstatic manifest."""
    os.environ.update(environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
