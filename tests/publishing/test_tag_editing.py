"""Editors' tags: the tag box's suggestions, saving an item's tags without duplicates, and
merging tags of both kinds in the admin."""

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.test import Client
from taggit.models import Tag

from articles.models import Article
from briefings.models import Briefing
from publishing.models import RenamedTag
from publishing.roles import CONTRIBUTOR, EDITOR
from tests.support.admin_addresses import ARTICLE_ADD, BRIEFING_ADD, change_url
from tests.support.admin_forms import AdminForm, form_errors, local_date_and_time
from tests.support.factories import ArticleFactory, BriefingFactory, PublicationFactory
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db

ARTICLE_TAGS = f"/{settings.ADMIN_URL}articles/article/tags/"
BRIEFING_TAGS = f"/{settings.ADMIN_URL}briefings/briefing/tags/"
TAG_LIST = f"/{settings.ADMIN_URL}taggit/tag/"


def suggested(client: Client, url: str, term: str, page: int = 1) -> dict:
    response = client.get(url, {"term": term, "page": page})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


# --- Suggestions -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ARTICLE_TAGS, BRIEFING_TAGS])
@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR])
def test_suggestions_are_existing_tag_names_containing_the_term(django_user_model, url, role):
    ArticleFactory(tags=["Iraq", "Kurdistan", "Syria"])
    BriefingFactory(tags=["Iran", "Kurdish politics", "Northern Iraq"])
    client = staff_client(django_user_model, "writer", role)

    found = suggested(client, url, "ira")

    # Those starting with the term first; only names, nothing else of the tags.
    assert found == {
        "results": [
            {"id": "Iran", "text": "Iran"},
            {"id": "Iraq", "text": "Iraq"},
            {"id": "Northern Iraq", "text": "Northern Iraq"},
        ],
        "pagination": {"more": False},
    }
    assert suggested(client, url, "KURD")["results"] == [
        {"id": "Kurdish politics", "text": "Kurdish politics"},
        {"id": "Kurdistan", "text": "Kurdistan"},
    ]


def test_suggestions_come_a_page_at_a_time(admin_client):
    ArticleFactory(tags=[f"Topic {n:02}" for n in range(25)])

    first = suggested(admin_client, ARTICLE_TAGS, "topic")
    second = suggested(admin_client, ARTICLE_TAGS, "topic", page=2)

    assert [r["text"] for r in first["results"]] == [f"Topic {n:02}" for n in range(20)]
    assert first["pagination"] == {"more": True}
    assert [r["text"] for r in second["results"]] == [f"Topic {n:02}" for n in range(20, 25)]
    assert second["pagination"] == {"more": False}
    far = suggested(admin_client, ARTICLE_TAGS, "topic", page=2**63 - 1)
    assert far == {"results": [], "pagination": {"more": False}}


def test_suggestions_only_for_staff_who_may_write_items(client, django_user_model):
    ArticleFactory(tags=["Iraq"])

    anonymous = client.get(ARTICLE_TAGS, {"term": "ir"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(f"/{settings.ADMIN_URL}login/")

    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    assert client.get(ARTICLE_TAGS, {"term": "ir"}).status_code == 302

    no_role = staff_client(django_user_model, "no-role")
    assert no_role.get(ARTICLE_TAGS, {"term": "ir"}).status_code == 403
    assert no_role.get(BRIEFING_TAGS, {"term": "ir"}).status_code == 403


# --- Saving an item's tags -------------------------------------------------------------------


def article_form(client, **fields) -> AdminForm:
    form = AdminForm(client.get(ARTICLE_ADD), "article")
    form.set(
        title="Oil and the border",
        publication=str(PublicationFactory().pk),
        language="en",
        status="draft",
        **local_date_and_time(Article._meta.get_field("published_at").default()),
        **fields,
    )
    return form


def test_an_existing_tag_in_any_case_is_given_not_made_again(admin_client):
    BriefingFactory(tags=["Iraq", "Kurdistan"])
    before = set(Tag.objects.values_list("pk", flat=True))

    form = article_form(admin_client, tags=["iraq", " Kurdistan ", "IRAQ"])
    response = admin_client.post(ARTICLE_ADD, form.data)

    assert response.status_code == 302, form_errors(response)
    assert sorted(Article.objects.get().tags.names()) == ["Iraq", "Kurdistan"]
    assert set(Tag.objects.values_list("pk", flat=True)) == before


def test_a_new_tag_is_made_when_the_editor_adds_one(admin_client):
    ArticleFactory(tags=["Iraq"])

    form = article_form(admin_client, tags=["Iraq", "Middle East, the"])
    response = admin_client.post(ARTICLE_ADD, form.data)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(title="Oil and the border")
    # One name a value: a comma or a space in a name makes no second tag.
    assert sorted(article.tags.names()) == ["Iraq", "Middle East, the"]
    assert Tag.objects.count() == 2


def test_a_too_long_tag_name_is_refused_by_name(admin_client):
    name = "x" * 101
    form = article_form(admin_client, tags=["Iraq", name])

    response = admin_client.post(ARTICLE_ADD, form.data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tags"]
    assert errors == [f"A tag name has at most 100 characters; “{name}” has 101."]
    assert not Article.objects.exists() and not Tag.objects.exists()


def test_the_change_form_shows_the_items_tags_chosen(admin_client):
    article = ArticleFactory(tags=["Iraq", "Kurdistan"])
    ArticleFactory(tags=["Syria"])

    form = AdminForm(admin_client.get(change_url(article)), "article")

    assert sorted(form.data["tags"]) == ["Iraq", "Kurdistan"]
    response = admin_client.post(change_url(article), form.data)
    assert response.status_code == 302, form_errors(response)
    assert sorted(article.tags.names()) == ["Iraq", "Kurdistan"]


def test_a_contributor_adds_a_briefing_with_an_existing_and_a_new_tag(django_user_model):
    ArticleFactory(tags=["Iran"])
    client = staff_client(django_user_model, "writer", CONTRIBUTOR)
    form = AdminForm(client.get(BRIEFING_ADD), "briefing")
    form.set(
        series="Spotlight on Iran",
        period_start="2020-10-01",
        period_end="2020-10-18",
        language="en",
        tags=["IRAN", "Hormuz"],
    )

    response = client.post(BRIEFING_ADD, form.data)

    assert response.status_code == 302, form_errors(response)
    assert sorted(Briefing.objects.get().tags.names()) == ["Hormuz", "Iran"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Hormuz", "Iran"]


# --- Merging tags ----------------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_TIMEOUT = 300


def merge(client, tags: list[Tag], keep: Tag | None):
    data = {"action": "merge", ACTION_CHECKBOX_NAME: [str(tag.pk) for tag in tags]}
    if keep is not None:
        data["keep"] = str(keep.pk)
    return client.post(TAG_LIST, data)


def test_merging_moves_items_of_both_kinds_once_and_redirects_the_old_address(
    django_user_model, yesterday, page_cache
):
    both = ArticleFactory(tags=["Gulf shipping", "Shipping in the Gulf"], published_at=yesterday)
    article = ArticleFactory(tags=["Shipping in the Gulf"], published_at=yesterday)
    briefing = BriefingFactory(
        tags=["Gulf-shipping", "Shipping in the Gulf"], published_at=yesterday
    )
    untouched = BriefingFactory(tags=["Oman"], published_at=yesterday)
    keep, merged, third = (
        Tag.objects.get(name=name)
        for name in ["Gulf shipping", "Shipping in the Gulf", "Gulf-shipping"]
    )
    older = RenamedTag.objects.create(old_slug="gulf-trade", tag=merged)
    reader = Client()
    assert "Shipping in the Gulf" in reader.get("/tags/").content.decode()  # now cached
    editor = staff_client(django_user_model, "editor", EDITOR)

    confirmation = merge(editor, [keep, merged, third], keep=None)
    assert confirmation.status_code == 200
    assert not RenamedTag.objects.filter(tag=keep).exists()  # asking writes nothing
    response = merge(editor, [keep, merged, third], keep)

    assert response.status_code == 302
    assert list(Tag.objects.order_by("name").values_list("name", flat=True)) == [
        "Gulf shipping",
        "Oman",
    ]
    for item in [both, article, briefing]:
        assert list(item.tags.names()) == ["Gulf shipping"], item
        assert item.tagged_items.count() == 1
    assert list(untouched.tags.names()) == ["Oman"]
    renamed = dict(RenamedTag.objects.values_list("old_slug", "tag"))
    assert renamed == {
        "shipping-in-the-gulf": keep.pk,
        "gulf-shipping_1": keep.pk,
        "gulf-trade": keep.pk,
    }
    assert older.pk in RenamedTag.objects.values_list("pk", flat=True)
    redirect = reader.get("/tags/shipping-in-the-gulf/")
    assert (redirect.status_code, redirect["Location"]) == (301, "/tags/gulf-shipping/")
    assert reader.get("/tags/gulf-trade/")["Location"] == "/tags/gulf-shipping/"
    # The cached tag index is left behind at once.
    index = reader.get("/tags/").content.decode()
    assert "Shipping in the Gulf" not in index and "Gulf shipping" in index
    archive = reader.get("/tags/gulf-shipping/").content.decode()
    for item in [both, article, briefing]:
        assert item.get_absolute_url() in archive


def test_the_confirmation_offers_the_tag_with_most_items(admin_client):
    ArticleFactory(tags=["Iraq", "Irak"])
    BriefingFactory(tags=["Iraq"])
    tags = list(Tag.objects.all())

    html = merge(admin_client, tags, keep=None).content.decode()

    iraq = Tag.objects.get(name="Iraq")
    assert f'name="keep" value="{iraq.pk}" checked' in html
    assert "Iraq (iraq), 2 items" in html and "Irak (irak), 1 item" in html


def test_a_keep_not_among_the_selected_merges_nothing(admin_client):
    ArticleFactory(tags=["Iraq", "Irak", "Syria"])
    iraq, irak, syria = (Tag.objects.get(name=n) for n in ["Iraq", "Irak", "Syria"])

    response = merge(admin_client, [iraq, irak], keep=syria)

    assert response.status_code == 200
    assert "Choose the tag to keep, one of those selected." in response.content.decode()
    assert Tag.objects.count() == 3 and not RenamedTag.objects.exists()


@pytest.mark.parametrize("role", [CONTRIBUTOR, None])
def test_only_editors_merge_tags(django_user_model, role):
    ArticleFactory(tags=["Iraq", "Irak"])
    tags = list(Tag.objects.all())
    client = staff_client(django_user_model, "writer", role)

    assert client.get(TAG_LIST).status_code == 403
    assert merge(client, tags, tags[0]).status_code == 403
    assert Tag.objects.count() == 2


def test_staff_who_may_change_but_not_delete_tags_cannot_merge(django_user_model):
    ArticleFactory(tags=["Iraq", "Irak"])
    tags = list(Tag.objects.all())
    client = staff_client(django_user_model, "tagger")
    user = django_user_model.objects.get(username="tagger")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="taggit", codename__in=["view_tag", "change_tag"]
        )
    )

    assert "Merge the selected tags" not in client.get(TAG_LIST).content.decode()
    response = merge(client, tags, tags[0])
    assert response.status_code == 200  # the list again: no such action for this user
    assert Tag.objects.count() == 2
