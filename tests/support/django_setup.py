"""Django set up in a process of its own (an app server of the tests, a bench script), from the
environment with a few settings on top."""

import os

# The servers of benches and tests answer plain http on loopback: no redirect to https, and
# cookies sent over http, whatever production's defaults are.
PLAIN_HTTP = {"SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0"}


def setup_django(**environ: str) -> None:
    """Django configured from the environment with `environ` on top; static files are served
    from static/ as they are, so no collectstatic manifest is needed."""
    os.environ.update(environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
