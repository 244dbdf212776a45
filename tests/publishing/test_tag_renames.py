"""A renamed tag's old addresses answer 301 to the new ones; a live slug always wins."""

import pytest
from django.conf import settings
from taggit.models import Tag

from publishing.models import RenamedTag
from tests.support.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tag():
    ArticleFactory(tags=["gulf-shipping"])
    return Tag.objects.get(slug="gulf-shipping")


def rename(tag: Tag, slug: str) -> None:
    tag.name = slug.replace("-", " ").title()
    tag.slug = slug
    tag.save()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/tags/gulf-shipping/", "/tags/red-sea-shipping/"),
        ("/de/tags/gulf-shipping/", "/de/tags/red-sea-shipping/"),
        ("/tags/gulf-shipping/feed/", "/tags/red-sea-shipping/feed/"),
        ("/tags/gulf-shipping/feed/atom/", "/tags/red-sea-shipping/feed/atom/"),
        ("/tags/gulf-shipping/?page=2", "/tags/red-sea-shipping/?page=2"),
    ],
)
def test_old_addresses_answer_301_to_the_new_ones(client, tag, old, new):
    rename(tag, "red-sea-shipping")

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_the_new_address_serves_the_archive(client, tag):
    rename(tag, "red-sea-shipping")

    assert client.get("/tags/red-sea-shipping/").status_code == 200


def test_renaming_twice_leads_straight_to_the_newest_slug(client, tag):
    rename(tag, "red-sea-shipping")
    rename(tag, "maritime-security")

    assert client.get("/tags/gulf-shipping/")["Location"] == "/tags/maritime-security/"
    assert client.get("/tags/red-sea-shipping/")["Location"] == "/tags/maritime-security/"


def test_a_tag_that_takes_the_old_slug_owns_it_again(client, tag):
    rename(tag, "red-sea-shipping")
    ArticleFactory(tags=["gulf-shipping"])

    assert client.get("/tags/gulf-shipping/").status_code == 200
    assert not RenamedTag.objects.filter(old_slug="gulf-shipping").exists()


def test_renaming_back_forgets_the_detour(client, tag):
    rename(tag, "red-sea-shipping")
    rename(tag, "gulf-shipping")

    assert client.get("/tags/gulf-shipping/").status_code == 200
    assert client.get("/tags/red-sea-shipping/")["Location"] == "/tags/gulf-shipping/"


def test_an_unknown_slug_is_still_a_404(client, tag):
    assert client.get("/tags/never-existed/").status_code == 404
    assert client.get("/tags/never-existed/feed/").status_code == 404


def test_deleting_the_tag_drops_its_old_slugs(client, tag):
    rename(tag, "red-sea-shipping")
    tag.delete()

    assert client.get("/tags/gulf-shipping/").status_code == 404


def test_editors_see_the_old_slugs_in_the_admin(admin_client, tag):
    rename(tag, "red-sea-shipping")

    page = admin_client.get(f"/{settings.ADMIN_URL}publishing/renamedtag/").content.decode()

    assert "gulf-shipping" in page
