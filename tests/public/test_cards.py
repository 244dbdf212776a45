"""Item cards kept once rendered (public/cards.py): the pages they make are the same, a card
is rendered once for every list that shows it, and any change a card shows reaches readers at
once. A real database, and real cache backends: local memory, and Redis where marked."""

import pytest
from django.core.cache import caches
from django.test.signals import template_rendered
from taggit.models import Tag

from articles.models import Article
from public.cards import CARD_TEMPLATE
from publishing.content_version import content_changed
from tests.support.factories import ArticleFactory, BriefingFactory, FigureFactory, PersonFactory
from tests.support.server_urls import REDIS_URL

pytestmark = pytest.mark.django_db

LISTS = ["/", "/de/", "/articles/", "/briefings/", "/tags/borders/", "/de/tags/borders/"]


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def card_cache(request, settings):
    """Cards kept, in local memory or in Redis; pages built afresh (the page cache off)."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": "cards-test",
            }
        }
        caches["default"].clear()
    settings.CARD_CACHE_TIMEOUT = 300
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def items():
    person = PersonFactory(name="Dana Analyst")
    german = ArticleFactory(title="Grenzhandel", language="de", tags=["borders"], authors=[person])
    english = ArticleFactory(title="Border trade", tags=["borders", "trade"], authors=[person])
    briefing = BriefingFactory(editor=person, tags=["borders"])
    figure = FigureFactory(briefing=briefing, caption="Delegations meet")
    return {"german": german, "english": english, "figure": figure, "person": person}


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def card_renders(client, url: str) -> int:
    """How many cards a request for `url` rendered from their template."""
    rendered = []

    def count(sender, template, **kwargs):
        if template.name == CARD_TEMPLATE:
            rendered.append(template)

    template_rendered.connect(count)
    try:
        text(client, url)
    finally:
        template_rendered.disconnect(count)
    return len(rendered)


def test_pages_are_the_same_with_cards_kept(client, items, settings, card_cache):
    settings.CARD_CACHE_TIMEOUT = 0
    afresh = {url: text(client, url) for url in LISTS}
    settings.CARD_CACHE_TIMEOUT = 300
    for url in LISTS:
        assert text(client, url) == afresh[url], url
    # Again, now that every card is kept: in both languages, on every list sharing them.
    for url in LISTS:
        assert text(client, url) == afresh[url], url


def test_a_card_is_rendered_once_for_every_list_that_shows_it(client, items, card_cache):
    assert card_renders(client, "/") == 3
    assert card_renders(client, "/") == 0
    assert card_renders(client, "/tags/borders/") == 0
    # The German interface has cards of its own.
    assert card_renders(client, "/de/") == 3
    assert card_renders(client, "/de/tags/borders/") == 0


def test_a_kept_card_is_shown_until_the_content_version_changes(client, items, card_cache):
    assert "Border trade" in text(client, "/")
    # A write that sends no signal leaves the version alone: the kept card shows on every list.
    Article.objects.filter(pk=items["english"].pk).update(title="Quietly renamed")
    assert "Border trade" in text(client, "/tags/trade/")
    content_changed()
    assert "Quietly renamed" in text(client, "/tags/trade/")
    assert "Quietly renamed" in text(client, "/")


def test_changes_to_what_a_card_shows_reach_readers_at_once(client, items, card_cache):
    for url in LISTS:
        text(client, url)
    tag = Tag.objects.get(slug="trade")
    tag.name = "Commerce"
    tag.save()
    items["person"].name = "Dana Renamed"
    items["person"].save()
    publication = items["english"].publication
    publication.name = "Review Renamed"
    publication.save()
    figure = items["figure"]
    figure.caption = "Delegations part"
    figure.save()
    items["german"].tags.add("added-later")
    page = text(client, "/")
    for shown in ["Commerce", "Dana Renamed", "Review Renamed", "Delegations part", "added-later"]:
        assert shown in page, shown
    assert "Dana Analyst" not in page


def test_cards_are_rendered_while_the_cache_is_unreachable(client, items, settings):
    afresh = text(client, "/")
    # Nothing listens on port 1: every call to the cache fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.CARD_CACHE_TIMEOUT = 300
    assert text(client, "/") == afresh
    assert card_renders(client, "/") == 3
