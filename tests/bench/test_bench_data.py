"""bench/make_data.py writes a coherent newsroom that the public pages can show."""

import importlib.util

import pytest

from articles.models import Article
from briefings.models import Briefing
from sources.models import Citation
from tests.support.paths import ROOT

pytestmark = pytest.mark.django_db

SCRIPT = ROOT / "bench" / "make_data.py"


def load_script():
    spec = importlib.util.spec_from_file_location("make_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_makes_the_asked_rows_and_the_site_shows_them(client):
    rows = load_script().make(excerpts=30, briefings=4, seed=1)

    assert rows["excerpts"] == Article.objects.published().count() == 30
    assert rows["briefings"] == Briefing.objects.published().count() == 4
    assert 4 * 3 <= rows["sections"] <= 4 * 5
    assert rows["bullets"] == rows["citations"] == Citation.objects.count()
    assert Article.objects.filter(language="de").exists()
    briefing = Briefing.objects.for_detail().first()
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert briefing.sections.first().bullets.first().text_html in page
    assert client.get("/tags/topic-000/").status_code == 200


def test_refuses_a_database_that_holds_items():
    script = load_script()
    script.make(excerpts=2, briefings=1, seed=1)

    with pytest.raises(SystemExit, match="already holds items"):
        script.make(excerpts=2, briefings=1, seed=1)
