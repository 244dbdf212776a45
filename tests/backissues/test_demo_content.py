"""The demo content loads, shows on the site, and loading it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from briefings.models import Briefing, Bullet, Figure, Section
from people.models import Person, Publication
from sources.models import Citation

pytestmark = pytest.mark.django_db

MODELS = [Article, Briefing, Bullet, Citation, Figure, Person, Publication, Section]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_content_is_idempotent_and_visible(client):
    call_command("load_demo_content", stdout=StringIO())
    first = counts()
    assert first["Briefing"] >= 6 and first["Article"] >= 14 and first["Bullet"] > 30
    assert Article.objects.filter(language="de").exists()
    assert Briefing.objects.published().count() < Briefing.objects.count()  # one is scheduled

    call_command("load_demo_content", stdout=StringIO())
    assert counts() == first

    home = client.get("/").content.decode()
    latest = Briefing.objects.published().first()
    assert latest.title in home
    assert client.get(latest.get_absolute_url()).status_code == 200


def test_demo_briefings_cite_sources_readers_can_follow(client):
    call_command("load_demo_content", stdout=StringIO())

    assert Citation.objects.filter(source__slug="irna").exists()
    page = client.get("/sources/irna/")
    assert page.status_code == 200
    assert "IRNA" in page.content.decode()
