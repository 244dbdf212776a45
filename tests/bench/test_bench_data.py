"""bench/make_data.py, run as a bench runs it, writes a coherent newsroom that the public pages
can show. It fills an SQLite file of the test's own, which the site then reads in a process of
its own."""

import json
import subprocess
import sys

import pytest

from tests.support.manage_process import manage
from tests.support.paths import ROOT

SCRIPT = ROOT / "bench" / "make_data.py"

# What the site finds in the filled database, and what it shows of it.
SITE_READS = """
import json
from django.test import Client
from django.test.utils import setup_test_environment
from articles.models import Article
from briefings.models import Briefing
from sources.models import Citation

setup_test_environment()
client = Client()
briefing = Briefing.objects.for_detail().first()
page = client.get(briefing.get_absolute_url()).content.decode()
print(json.dumps({
    "excerpts": Article.objects.published().count(),
    "briefings": Briefing.objects.published().count(),
    "citations": Citation.objects.count(),
    "german_excerpts": Article.objects.filter(language="de").count(),
    "bullet_on_its_page": briefing.sections.first().bullets.first().text_html in page,
    "tag_page_status": client.get("/tags/topic-000/").status_code,
}))
"""


def make_data(database: str) -> subprocess.CompletedProcess:
    options = ["--excerpts", "30", "--briefings", "4", "--seed", "1", "--database", database]
    return subprocess.run(
        [sys.executable, str(SCRIPT), *options, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[str, dict]:
    """A database the script filled once for this module (migrating it takes seconds), and
    the figures it printed."""
    database = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'bench.sqlite3'}"
    made = make_data(database)
    assert made.returncode == 0, made.stderr
    return database, json.loads(made.stdout)


def test_makes_the_asked_rows_and_the_site_shows_them(filled):
    database, rows = filled
    read = manage("shell", "-c", SITE_READS, DEBUG="1", DATABASE_URL=database)
    assert read.returncode == 0, read.stderr
    # The last line: the shell may say first what it imported.
    site = json.loads(read.stdout.splitlines()[-1])
    assert rows["excerpts"] == site["excerpts"] == 30
    assert rows["briefings"] == site["briefings"] == 4
    assert 4 * 3 <= rows["sections"] <= 4 * 5
    assert rows["bullets"] == rows["citations"] == site["citations"]
    assert site["german_excerpts"] > 0
    assert site["bullet_on_its_page"]
    assert site["tag_page_status"] == 200


def test_refuses_a_database_that_holds_items(filled):
    database, _ = filled
    again = make_data(database)
    assert again.returncode != 0
    assert "already holds items" in again.stderr
