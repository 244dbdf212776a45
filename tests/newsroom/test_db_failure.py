"""A real app server whose database goes away and comes back: it reaches PostgreSQL through a
proxy of ours on loopback (tests/support/tcp_proxy.py) that the test takes down and brings back, or
has its backends terminated. Pages in the page cache are still served, the others answer the
maintenance page, and the server recovers by itself."""

import json

import pytest
from django.db import connection

from tests.support.factories import ArticleFactory
from tests.support.maintenance_page import assert_maintenance_page
from tests.support.server_urls import database_url, through

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


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
