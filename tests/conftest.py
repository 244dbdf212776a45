import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.utils import timezone, translation

POSTGRESQL_ONLY = "postgresql"
# Redis runs beside PostgreSQL where the suite runs on PostgreSQL (CI, docker-compose).
REDIS = "redis"
SERVER_MARKERS = (POSTGRESQL_ONLY, REDIS)
LEFT_OUT = pytest.StashKey[int]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "e2e: drives a browser against a live server; run by `make e2e` only"
    )
    config.addinivalue_line(
        "markers",
        f"{POSTGRESQL_ONLY}: tests a PostgreSQL feature; not collected on other databases",
    )
    config.addinivalue_line(
        "markers",
        f"{REDIS}: needs Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379/15); "
        "collected with the PostgreSQL tests only",
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test process serves no page: creating and dropping the test databases may take
    longer than a page's statement bound on a busy machine, so it has none. App servers the
    tests start read the bound from their environment as in production."""
    django_settings.DATABASE_STATEMENT_TIMEOUT = 0
    for database in django_settings.DATABASES.values():
        database.get("OPTIONS", {}).pop("options", None)


def needs_servers(item) -> bool:
    return any(item.get_closest_marker(marker) for marker in SERVER_MARKERS)


def pytest_collection_modifyitems(config, items):
    # Full-text search exists only on PostgreSQL; CI runs the suite there as well as on SQLite.
    if "postgresql" in django_settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if not needs_servers(item)]
    left_out = [item for item in items if needs_servers(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        config.stash[LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter, config):
    if count := config.stash.get(LEFT_OUT, 0):
        terminalreporter.write_line(
            f"{count} tests needing PostgreSQL or Redis not collected on this database; "
            "run with DATABASE_URL=postgres://… to include them"
        )


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def plain_http(settings):
    # The suite runs with DEBUG off, so with production's redirect to https on; the test
    # client speaks plain http, and a 301 to https would stand in for every page. Turned off
    # here rather than in the environment, so every test sees production's other settings
    # and tests/newsroom/test_security.py checks the redirect by turning it back on.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    # An empty cache of this process's own for each test (never the REDIS_URL one), and pages
    # built afresh: tests/newsroom/test_page_cache.py turns the page cache on where it is the
    # subject.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    caches["default"].clear()
    settings.PAGE_CACHE_TIMEOUT = 0
    # Cards rendered on every request too: tests/public/test_cards.py turns their cache on.
    settings.CARD_CACHE_TIMEOUT = 0
    # A cache failure in one test leaves the cache alone in none after it.
    settings.CACHE_RETRY_AFTER = 0
    # The content version in the database not read again a second later: a test asserting
    # that a stored page runs no query cannot depend on its own speed.
    settings.CONTENT_VERSION_CHECK_INTERVAL = 3600


@pytest.fixture(autouse=True)
def interface_language_reset():
    # A request to /de/ leaves German active in this thread; each test starts in English.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def yesterday(now):
    return now - dt.timedelta(days=1)


@pytest.fixture
def tomorrow(now):
    return now + dt.timedelta(days=1)
