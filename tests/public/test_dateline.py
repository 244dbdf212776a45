"""An excerpt's dateline (the place its original was written: "GAZA – ") is shown before the
standfirst as the original sets it, in small capitals with an en dash, and said to screen
readers as what it is; editors find the field next to the standfirst."""

import re

import pytest
from django.conf import settings
from django.utils.html import escape

from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PLACES = ["GAZA", "MIDDLE EAST", "TEL AVIV/JERUSALEM", "Erbil", "SANA’A", "O'HARE <AIRPORT>"]
STANDFIRSTS = ["Two delegations *met* again.", "", "A port wants a quay.\n\nAnd a second line."]


def standfirst_block(page: str) -> str:
    match = re.search(r'<div class="standfirst"[^>]*>(.*?)</div>', page, re.DOTALL)
    assert match, "no standfirst block"
    return match.group(1)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("standfirst", STANDFIRSTS)
def test_the_dateline_comes_before_the_standfirst(client, place, standfirst):
    article = ArticleFactory(dateline=place, standfirst=standfirst)
    block = standfirst_block(client.get(article.get_absolute_url()).content.decode())
    dateline = (
        '<p class="dateline"><span class="visually-hidden">Written in </span>'
        f'{escape(place)}<span aria-hidden="true"> –</span></p>'
    )
    # The label for screen readers, the place as written, the dash hidden from them; then the
    # standfirst, when there is one.
    assert block.strip().startswith(dateline), block
    assert block.strip().removeprefix(dateline).strip() == article.standfirst_html.strip()


def test_an_excerpt_without_a_dateline_shows_none(client):
    article = ArticleFactory(dateline="", standfirst="A port wants a quay.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="dateline"' not in page
    assert "A port wants a quay." in standfirst_block(page)


def test_the_admin_form_has_the_dateline_next_to_the_standfirst(admin_client):
    article = ArticleFactory(dateline="MIDDLE EAST")
    url = f"/{settings.ADMIN_URL}articles/article/{article.pk}/change/"
    page = admin_client.get(url).content.decode()
    names = re.findall(r'name="(slug|dateline|standfirst)"', page)
    assert names == ["slug", "dateline", "standfirst"]
    assert 'value="MIDDLE EAST"' in page
