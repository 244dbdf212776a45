"""The demo content loads, shows on the site, and loading it again changes nothing."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Article, ArticleFigure
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


def test_every_demo_figure_has_its_drawn_image_caption_and_credit(client):
    call_command("load_demo_content", stdout=StringIO())

    assert Figure.objects.count() == Briefing.objects.count()  # every briefing has a lead
    assert ArticleFigure.objects.values("article").distinct().count() >= 4
    for figure in [*Figure.objects.all(), *ArticleFigure.objects.all()]:
        assert default_storage.exists(figure.image.name), figure.image.name
        assert figure.renditions and all(
            default_storage.exists(r["name"]) for r in figure.renditions
        )
        assert figure.alt and figure.alt != figure.caption
        assert figure.caption and figure.credit == "Drawing: Spotlight on Iran"

    latest = Briefing.objects.published().first()
    page = client.get(latest.get_absolute_url()).content.decode()
    assert "<picture>" in page and "figure-missing" not in page
    # Six published briefings and four excerpts have an image; the home page lists them all.
    home = client.get("/").content.decode()
    assert home.count('<img class="card-image"') == 10


def test_the_summary_says_what_was_created_and_what_was_there():
    first, again = StringIO(), StringIO()
    call_command("load_demo_content", stdout=first)
    call_command("load_demo_content", stdout=again)
    briefings, excerpts = Briefing.objects.count(), Article.objects.count()
    images = Figure.objects.count() + ArticleFigure.objects.count()
    assert f"{briefings} briefings, {excerpts} excerpts, {images} figure images" in first.getvalue()
    assert "publications were already there (seeded)" in first.getvalue()
    assert again.getvalue().startswith("Demo content: nothing new")
