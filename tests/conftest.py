import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation

POSTGRESQL_ONLY = "postgresql"
LEFT_OUT = pytest.StashKey[int]()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{POSTGRESQL_ONLY}: tests a PostgreSQL feature; not collected on other databases",
    )


def pytest_collection_modifyitems(config, items):
    # Full-text search exists only on PostgreSQL; CI runs the suite there as well as on SQLite.
    if "postgresql" in django_settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if not item.get_closest_marker(POSTGRESQL_ONLY)]
    left_out = [item for item in items if item.get_closest_marker(POSTGRESQL_ONLY)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
        config.stash[LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter, config):
    if count := config.stash.get(LEFT_OUT, 0):
        terminalreporter.write_line(
            f"{count} PostgreSQL-only tests not collected on this database; "
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
