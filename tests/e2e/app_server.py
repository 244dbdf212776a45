"""The site as deployed, for Lighthouse: gunicorn with DEBUG off, collected static files served
by WhiteNoise, on 127.0.0.1 and a free port, using the test database."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from tests.support.django_setup import PLAIN_HTTP
from tests.support.gunicorn_server import GunicornServer, collect_static, free_port
from tests.support.server_urls import database_url


@contextmanager
def deployed_site(static_root: Path) -> Iterator[str]:
    """Yields the base URL of a gunicorn serving the test database; stops it afterwards."""
    port = free_port()
    environ = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "SECRET_KEY": "e2e-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "STATIC_ROOT": str(static_root),
        # The figures the test stored, served as a web server would serve them.
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.e2e.deployed_settings",
        **PLAIN_HTTP,
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    environ.pop("REDIS_URL", None)
    collect_static(environ)
    server = GunicornServer(environ, ready_path="/healthz", port=port)
    try:
        yield server.url()
    finally:
        server.stop()
