"""The site while its database is unreachable, in this process: a database error is simulated
by a wrapper around every query. tests/newsroom/test_db_failure.py cuts a real server's
connection."""

import io
import json
import logging
import re
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db

MAINTENANCE = "Down for maintenance"


class Outage:
    """Makes every query fail as a refused or cut connection does; counts the attempts."""

    def __init__(self):
        self.attempts = 0

    def __call__(self, execute, sql, params, many, context):
        self.attempts += 1
        raise OperationalError("server closed the connection unexpectedly")

    def __enter__(self):
        self.wrapper = connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc_info):
        self.wrapper.__exit__(*exc_info)


@pytest.fixture
def json_log():
    """Every line the site logs during a test, as JSON, whichever logger writes it."""
    from newsroom.http.json_log import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def assert_maintenance_page(response) -> None:
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert MAINTENANCE in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.parametrize("path", ["/", "/articles/", "/tags/", "/search/?q=border"])
def test_public_pages_answer_the_maintenance_page(client, path):
    ArticleFactory()
    with Outage():
        assert_maintenance_page(client.get(path))


def test_detail_page_cut_off_midway_answers_the_maintenance_page(client):
    article = ArticleFactory()

    class CutAfterFirst(Outage):
        def __call__(self, execute, sql, params, many, context):
            self.attempts += 1
            if self.attempts == 1:
                return execute(sql, params, many, context)
            raise OperationalError("terminating connection due to administrator command")

    with CutAfterFirst() as outage:
        assert_maintenance_page(client.get(article.get_absolute_url()))
    assert outage.attempts >= 2


def test_maintenance_page_is_in_german_under_de(client):
    with Outage():
        response = client.get("/de/")
    assert response.status_code == 503
    assert 'lang="de"' in response.content.decode()
    assert MAINTENANCE not in response.content.decode()


def test_admin_answers_the_maintenance_page_to_a_logged_in_editor(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(editor)
    with Outage():
        assert_maintenance_page(client.get("/admin/"))
        assert_maintenance_page(client.get("/admin/articles/article/"))


def test_database_error_in_a_fallback_middleware_answers_the_maintenance_page():
    # No view matches: the redirects and flat pages fallbacks query the database.
    client = Client(raise_request_exception=False)
    with Outage():
        assert_maintenance_page(client.get("/no-such-page/"))


def test_cached_page_is_served_without_the_database(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 300
    ArticleFactory(title="ALREADY-CACHED")
    assert client.get("/").status_code == 200
    with Outage() as outage:
        response = client.get("/")
        assert response.status_code == 200
        assert "ALREADY-CACHED" in response.content.decode()
        assert outage.attempts == 0
        # A page not yet stored needs the database; its 503 is not stored either.
        assert_maintenance_page(client.get("/articles/"))
    assert client.get("/articles/").status_code == 200


def test_a_database_failure_is_logged_as_one_json_line(client, json_log):
    ArticleFactory()
    with Outage():
        client.get("/articles/?page=1")
    [line] = json_log()
    assert line["level"] == "ERROR"
    assert line["logger"] == "newsroom.http.db_outage"
    assert line["path"] == "/articles/"
    assert line["method"] == "GET"
    assert line["status"] == 503
    assert line["exception"] == "OperationalError"
    assert "server closed the connection" in line["message"]
    assert line["time"].endswith("+00:00")


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_fails_without_the_database(client):
    with Outage():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok"}


def test_healthz_degrades_without_the_cache(client, settings):
    # Nothing listens on port 9 (discard) of this machine: the cache cannot be reached.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "error"}


def test_healthz_is_never_stored_by_the_page_cache(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 300
    client.get("/healthz")
    with Outage():
        assert client.get("/healthz").status_code == 503


def test_healthz_is_not_in_the_sitemap(client):
    ArticleFactory()
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>([^<]+)</loc>", index)
    assert sections
    pages = [client.get(urlsplit(url).path).content.decode() for url in sections]
    assert all("healthz" not in page for page in [index, *pages])
