"""A real app server whose database goes away and comes back: it reaches PostgreSQL through a
proxy of ours on loopback (tests/support/tcp_proxy.py) that the test takes down and brings back, or
has its backends terminated. Pages in the page cache are still served, the others answer the
maintenance page, and the server recovers by itself."""

import json
import os
import subprocess
import sys
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from django.db import connection

from tests.newsroom.test_page_cache import csrf_token, database_url
from tests.support.factories import ArticleFactory
from tests.support.paths import ROOT
from tests.support.tcp_proxy import SwitchableProxy

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

TIMEOUT = 15


class AppServer:
    """tests/support/app_server.py on a free port, logging JSON lines to a file."""

    def __init__(self, database: str, log: Path, media: Path, **settings: str):
        environ = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "test",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database,
            # The page cache in the server's own memory: one process, and Redis left out.
            "REDIS_URL": "",
            "PAGE_CACHE_TIMEOUT": "300",
            "MEDIA_ROOT": str(media),
            "LOG_FORMAT": "json",
            **settings,
        }
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "support" / "app_server.py")],
            env=environ,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        port = self.process.stdout.readline().strip()
        assert port, "the app server did not start"
        self.url = f"http://127.0.0.1:{port}"
        # An anonymous reader's, and a logged-in editor's (its cookies kept).
        self.reader = build_opener()
        self.editor = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, data: dict | None = None, editor: bool = False):
        """Status, headers and text of a page, to a reader or to the editor."""
        browser = self.editor if editor else self.reader
        body = urlencode(data).encode() if data else None
        try:
            with browser.open(f"{self.url}{path}", body, timeout=TIMEOUT) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def log_in(self, username: str, password: str) -> None:
        _, _, form = self.get("/admin/login/", editor=True)
        fields = {"username": username, "password": password, "next": "/admin/"}
        status, _, page = self.get(
            "/admin/login/", {"csrfmiddlewaretoken": csrf_token(form), **fields}, editor=True
        )
        assert status == 200 and "Log out" in page

    def log_lines(self) -> list[dict]:
        # Python's own warnings (not logged) are plain lines on the same stderr.
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def start_server(tmp_path):
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
    db = connection.settings_dict
    proxy = SwitchableProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    yield proxy
    proxy.down()


def through(proxy: SwitchableProxy) -> str:
    """The test database's URL, by way of the proxy."""
    direct = database_url()
    return direct.replace(direct.split("@", 1)[1].split("/", 1)[0], f"127.0.0.1:{proxy.port}")


def assert_maintenance_page(status: int, headers: dict, page: str) -> None:
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Down for maintenance" in page
    assert "Traceback" not in page and "Error" not in page


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


def test_outage_answers_maintenance_pages_keeps_cached_ones_and_recovers(
    start_server, proxy, editor
):
    ArticleFactory(title="CACHED-BEFORE")
    waiting = ArticleFactory(title="ASKED-FOR-DURING-OUTAGE")
    server = start_server(through(proxy))
    status, _, home = server.get("/")
    assert status == 200 and "CACHED-BEFORE" in home
    server.log_in("editor", "pw")

    proxy.down()
    status, _, home = server.get("/")
    assert status == 200 and "CACHED-BEFORE" in home
    assert_maintenance_page(*server.get(waiting.get_absolute_url()))
    assert_maintenance_page(*server.get("/admin/", editor=True))
    status, _, health = server.get("/healthz")
    assert status == 503
    assert json.loads(health) == {"status": "error", "database": "error", "cache": "ok"}

    proxy.up()
    status, _, page = server.get(waiting.get_absolute_url())
    assert status == 200 and "ASKED-FOR-DURING-OUTAGE" in page
    status, _, admin = server.get("/admin/", editor=True)
    assert status == 200 and "Log out" in admin
    assert server.get("/healthz")[0] == 200

    # One JSON line for each page that failed, naming the request and the exception.
    failures = [line for line in server.log_lines() if "exception" in line]
    assert [(line["method"], line["path"], line["status"]) for line in failures] == [
        ("GET", waiting.get_absolute_url(), 503),
        ("GET", "/admin/", 503),
    ]
    for line in failures:
        assert line["level"] == "ERROR"
        assert line["logger"] == "newsroom.http.db_outage"
        assert line["exception"] in ("OperationalError", "InterfaceError")
        assert line["time"]


def test_terminated_backends_are_replaced_on_the_next_request(start_server, editor):
    first = ArticleFactory(title="BEFORE-TERMINATION")
    second = ArticleFactory(title="AFTER-TERMINATION")
    server = start_server(database_url())
    assert server.get(first.get_absolute_url())[0] == 200
    server.log_in("editor", "pw")

    # Only this test database's backends, other than the test's own connection.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1

    # The persistent connection is found dead before it is used (CONN_HEALTH_CHECKS).
    status, _, page = server.get(second.get_absolute_url())
    assert status == 200 and "AFTER-TERMINATION" in page
    assert server.get("/admin/", editor=True)[0] == 200
    assert not [line for line in server.log_lines() if line["level"] == "ERROR"]
