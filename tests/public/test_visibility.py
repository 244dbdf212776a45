"""Drafts and scheduled items never reach readers; a scheduled item appears once its time comes."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from articles.models import Article
from briefings.models import Briefing
from publishing.models import Status
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

SITE_URL = settings.SITE_URL


@pytest.fixture
def world(yesterday, tomorrow):
    """One of each state, all sharing the same tag, person and publication."""
    person = PersonFactory(name="Shared Person", slug="shared-person")
    publication = PublicationFactory(name="Shared Review", slug="shared-review")
    common = {"tags": ["region"], "published_at": yesterday}
    items = {
        "public_briefing": BriefingFactory(title="PUBLIC-BRIEFING", editor=person, **common),
        "public_article": ArticleFactory(
            title="PUBLIC-ARTICLE", publication=publication, authors=[person], **common
        ),
        "draft_briefing": BriefingFactory(
            title="DRAFT-BRIEFING", status=Status.DRAFT, editor=person, **common
        ),
        "draft_article": ArticleFactory(
            title="DRAFT-ARTICLE",
            status=Status.DRAFT,
            publication=publication,
            authors=[person],
            **common,
        ),
        "scheduled_briefing": BriefingFactory(
            title="SCHEDULED-BRIEFING",
            editor=person,
            tags=["region", "future-only"],
            published_at=tomorrow,
        ),
        "scheduled_article": ArticleFactory(
            title="SCHEDULED-ARTICLE",
            publication=publication,
            authors=[person],
            tags=["region", "future-only"],
            published_at=tomorrow,
        ),
    }
    return items


def public_urls(items) -> list[str]:
    """Every public listing, archive, tag, publication and person page that could show them."""
    urls = ["/", "/briefings/", "/articles/", "/tags/", "/tags/region/"]
    for item in items.values():
        local = timezone.localtime(item.published_at)
        urls += [
            f"/archive/{local:%Y}/",
            f"/archive/{local:%Y/%m}/",
            f"/archive/{local:%Y/%m/%d}/",
        ]
    urls += ["/publications/shared-review/", "/people/shared-person/"]
    return sorted(set(urls))


HIDDEN = ["DRAFT-BRIEFING", "DRAFT-ARTICLE", "SCHEDULED-BRIEFING", "SCHEDULED-ARTICLE"]


def test_published_queryset_is_status_and_time(world):
    assert set(Briefing.objects.published().values_list("title", flat=True)) == {"PUBLIC-BRIEFING"}
    assert set(Article.objects.published().values_list("title", flat=True)) == {"PUBLIC-ARTICLE"}


def test_drafts_and_scheduled_items_never_appear_to_readers(client, world):
    tomorrow = timezone.localtime(world["scheduled_article"].published_at)
    only_hidden = {f"/archive/{tomorrow:%Y/%m/%d}/"}
    for url in public_urls(world):
        response = client.get(url)
        if url in only_hidden:
            # A period holding only hidden items has no archive for readers.
            assert response.status_code == 404, url
            continue
        assert response.status_code == 200, url
        html = response.content.decode()
        for title in HIDDEN:
            assert title not in html, f"{title} leaked on {url}"
        assert "future-only" not in html, f"a tag used only by hidden items shows on {url}"
    for name in ("draft_briefing", "draft_article", "scheduled_briefing", "scheduled_article"):
        assert client.get(world[name].get_absolute_url()).status_code == 404, name
    # A tag whose only items are not yet public has no archive yet.
    assert client.get("/tags/future-only/").status_code == 404


def test_public_items_do_appear(client, world):
    home = client.get("/").content.decode()
    assert "PUBLIC-BRIEFING" in home and "PUBLIC-ARTICLE" in home
    for name in ("public_briefing", "public_article"):
        assert client.get(world[name].get_absolute_url()).status_code == 200


def test_scheduled_item_appears_once_its_time_has_passed(client, world):
    scheduled = world["scheduled_article"]
    assert "SCHEDULED-ARTICLE" not in client.get("/").content.decode()
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert "SCHEDULED-ARTICLE" in client.get("/").content.decode()
    assert "SCHEDULED-ARTICLE" in client.get("/tags/future-only/").content.decode()
    assert client.get(scheduled.get_absolute_url()).status_code in (200, 301)


def test_non_staff_user_sees_no_preview(world):
    reader = User.objects.create_user("reader", password="x")
    client = Client()
    client.force_login(reader)
    assert client.get(world["draft_briefing"].get_absolute_url()).status_code == 404
    assert "DRAFT-BRIEFING" not in client.get("/").content.decode()


# A publication or person whose items readers cannot see yet has no page, feed or sitemap entry.

HIDDEN_STATES = {
    "draft": lambda tomorrow: {"status": Status.DRAFT},
    "scheduled": lambda tomorrow: {"published_at": tomorrow},
}


def addresses_of(thing) -> list[str]:
    """The thing's page and feeds, in both interface languages."""
    page = thing.get_absolute_url()
    paths = [page, f"{page}feed/", f"{page}feed/atom/"]
    return paths + [f"/de{path}" for path in paths]


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_a_publication_or_person_only_hidden_items_use_has_no_pages(client, state, tomorrow):
    publication = PublicationFactory(slug="hidden-review")
    author = PersonFactory(slug="hidden-author")
    editor = PersonFactory(slug="hidden-editor")
    hidden = HIDDEN_STATES[state](tomorrow)
    article = ArticleFactory(publication=publication, authors=[author], **hidden)
    briefing = BriefingFactory(editor=editor, **hidden)
    # Made before any request: a request to /de/ leaves German active for get_absolute_url.
    addresses = {thing.slug: addresses_of(thing) for thing in [publication, author, editor]}

    for slug, paths in addresses.items():
        for address in paths:
            assert client.get(address).status_code == 404, address
        assert slug not in sitemaps_of_publications_and_people(client)

    for model, item in [(Article, article), (Briefing, briefing)]:
        model.objects.filter(pk=item.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(minutes=1)
        )
    for paths in addresses.values():
        for address in paths:
            assert client.get(address).status_code == 200, address
        assert f"{SITE_URL}{paths[3]}" in sitemaps_of_publications_and_people(client)


def sitemaps_of_publications_and_people(client) -> str:
    sections = ("publications", "people")
    return "".join(client.get(f"/sitemap-{section}.xml").content.decode() for section in sections)
