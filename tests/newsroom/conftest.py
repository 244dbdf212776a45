"""App servers in processes of their own, and proxies of ours to the test database and Redis
that a test takes down or silences (tests/support/tcp_proxy.py)."""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import connection

from tests.support.app_server import AppServer
from tests.support.server_urls import REDIS_URL
from tests.support.tcp_proxy import SwitchableProxy


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def start_server(tmp_path):
    """Starts app servers on a database URL; stops them after the test."""
    servers = []

    def start(database: str, **settings: str) -> AppServer:
        log = tmp_path / f"server-{len(servers)}.log"
        server = AppServer(database, log, tmp_path / "media", **settings)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def proxy():
    """A proxy of ours to the test database."""
    db = connection.settings_dict
    proxy = SwitchableProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    yield proxy
    proxy.down()


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the shared Redis, whose keys go with the test."""
    prefix = f"test-page-cache-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    if keys := list(client.scan_iter(f"{prefix}:*")):
        client.delete(*keys)


@pytest.fixture
def redis_proxy():
    """A proxy of ours to the test Redis, to cut or silence."""
    host, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    proxy = SwitchableProxy(host, int(port))
    yield proxy
    proxy.down()


def redis_cache(prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def page_cache(request, settings):
    """The page cache on, in local memory or in Redis."""
    settings.PAGE_CACHE_TIMEOUT = 300
    settings.PAGE_CACHE_MAX_AGE = 60
    if request.param == "redis":
        settings.CACHES = redis_cache(request.getfixturevalue("redis_prefix"))
    return caches["default"]
