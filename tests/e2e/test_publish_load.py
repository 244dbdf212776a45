"""A short run of bench/publish_load.py: readers under wrk while an editor publishes through
the admin of a gunicorn server; no 5xx, and every publish visible. The bench itself runs for a
minute at 50 connections; this is its few-seconds version for CI. `make e2e` installs wrk."""

import json
import subprocess
import sys

import pytest

from tests.support.factories import ArticleFactory, BriefingFactory
from tests.support.paths import ROOT
from tests.support.server_urls import REDIS_URL, database_url

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgresql,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_readers_see_no_error_and_every_publish_while_an_editor_publishes():
    ArticleFactory.create_batch(30)
    BriefingFactory.create_batch(3)
    # The script, run as a bench is, on the test database; it removes its keys from Redis and
    # its drafts when done.
    command = [sys.executable, str(ROOT / "bench" / "publish_load.py"), "--json"]
    options = ["--database", database_url(), "--redis-url", REDIS_URL]
    run = subprocess.run(
        [*command, *options, "--seconds", "4", "--connections", "10"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.stdout, run.stderr
    results = json.loads(run.stdout)
    assert results["problems"] == []
    assert run.returncode == 0
    assert results["publishes"]["done"] == 4
    assert results["publishes"]["on_home_at_once"] == 4
    assert results["readers"]["requests"] > 0
