"""A short run of bench/publish_load.py: readers under wrk while an editor publishes through
the admin of a gunicorn server; no 5xx, and every publish visible. The bench itself runs for a
minute at 50 connections; this is its few-seconds version for CI. `make e2e` installs wrk."""

import sys
import uuid
from pathlib import Path

import pytest

from tests.newsroom.test_page_cache import REDIS_URL, database_url
from tests.support.factories import ArticleFactory, BriefingFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import publish_load  # noqa: E402

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_readers_see_no_error_and_every_publish_while_an_editor_publishes():
    ArticleFactory.create_batch(30)
    BriefingFactory.create_batch(3)
    # The run removes its keys from Redis when done.
    prefix = f"test-publish-load-{uuid.uuid4().hex}"
    results = publish_load.run(database_url(), REDIS_URL, 4, 10, prefix)
    assert publish_load.failures(results) == []
    assert results["publishes"]["done"] == 4
    assert results["publishes"]["on_home_at_once"] == 4
    assert results["readers"]["requests"] > 0
