"""A short run of bench/publish_load.py: readers under wrk while an editor publishes through
the admin of a gunicorn server; no error, and every publish shown on its pages. The bench
itself runs half a minute a run at 50 connections; this is its few-seconds version for CI,
which checks no speed target. `make e2e` installs wrk."""

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
    assert [each["publish_every_s"] for each in results["runs"]] == [None, 10, 1]
    assert all(each["readers"]["requests"] > 0 for each in results["runs"])
    every_second = results["runs"][2]["publishes"]
    assert every_second["done"] == 4
    # Each publish was seen on its home, tag, archive, feed and detail pages.
    assert set(every_second["not_shown"]) == {"home", "tag", "archive", "feed", "detail"}
    assert not any(every_second["not_shown"].values())
