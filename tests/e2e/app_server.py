"""The site as deployed, for Lighthouse: gunicorn with DEBUG off, collected static files served
by WhiteNoise, on 127.0.0.1 and a free port, using the test database. The server is the load
bench's (bench/load.py)."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.paths import ROOT
from tests.newsroom.test_page_cache import database_url

sys.path.insert(0, str(ROOT / "bench"))
import benchsetup  # noqa: E402
from load import Server, collect_static, free_port  # noqa: E402


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
        **benchsetup.PLAIN_HTTP,
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    environ.pop("REDIS_URL", None)
    collect_static(environ)
    server = Server(environ, port=port, ready_path="/healthz")
    try:
        yield server.url()
    finally:
        server.stop()
