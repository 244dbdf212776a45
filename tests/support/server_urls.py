"""Where another process finds the test database and the test Redis, directly or through a
proxy of ours (tests/support/tcp_proxy.py)."""

import os
from urllib.parse import quote

from django.db import connection

from tests.support.tcp_proxy import SwitchableProxy

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def database_url() -> str:
    """The test database's URL, for another process to use."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def through(proxy: SwitchableProxy) -> str:
    """The test database's URL, by way of the proxy."""
    direct = database_url()
    return direct.replace(direct.split("@", 1)[1].split("/", 1)[0], f"127.0.0.1:{proxy.port}")


def redis_through(proxy: SwitchableProxy) -> str:
    """The test Redis's URL, by way of the proxy."""
    return f"redis://127.0.0.1:{proxy.port}/{REDIS_URL.rsplit('/', 1)[1]}"
