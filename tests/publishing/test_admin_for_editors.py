"""What editors see around their work in the admin: only the models of their role in the
index and the menu, list cells cut short with their whole text on hover, and the site's icon."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from publishing.roles import CONTRIBUTOR, EDITOR
from tests.support.admin_addresses import ARTICLE_LIST, BRIEFING_LIST
from tests.support.factories import ArticleFactory, BriefingFactory, PublicationFactory
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db

INDEX = f"/{settings.ADMIN_URL}"

# Drafts and their parts, and the people and publications they name.
WRITING = {
    ("articles", "Article"),
    ("articles", "ArticleFigure"),
    ("briefings", "Briefing"),
    ("briefings", "Figure"),
    ("people", "Person"),
    ("people", "Publication"),
}
# Also the lists both kinds share: tags, their old addresses, the cited outlets.
EDITING = WRITING | {("taggit", "Tag"), ("publishing", "RenamedTag"), ("sources", "Source")}


def models_listed(app_list) -> set[tuple[str, str]]:
    return {(app["app_label"], model["object_name"]) for app in app_list for model in app["models"]}


@pytest.mark.parametrize(("role", "expected"), [(CONTRIBUTOR, WRITING), (EDITOR, EDITING)])
def test_a_role_sees_exactly_its_editorial_models_in_the_index_and_the_menu(
    django_user_model, role, expected
):
    client = staff_client(django_user_model, "someone", role)
    assert models_listed(client.get(INDEX).context["app_list"]) == expected
    # The menu beside every page is built from the same list.
    assert models_listed(client.get(BRIEFING_LIST).context["available_apps"]) == expected


def test_the_administrator_still_sees_the_internals(admin_client):
    listed = models_listed(admin_client.get(INDEX).context["app_list"])
    internals = {("axes", "AccessLog"), ("sites", "Site"), ("redirects", "Redirect")}
    assert (internals | {("flatpages", "FlatPage"), ("publishing", "Category")}) <= listed


def test_the_admin_pages_link_the_sites_icon(admin_client, client):
    public_icon = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/").content.decode())
    for address in [f"{INDEX}login/", INDEX, BRIEFING_LIST, f"{BRIEFING_LIST}add/"]:
        page = (client if address.endswith("login/") else admin_client).get(address)
        icon = re.search(r'<link rel="icon" href="([^"]+)"', page.content.decode())
        assert icon and icon[1] == public_icon[1], address
    assert finders.find(public_icon[1].removeprefix(settings.STATIC_URL))


LONG_TITLE = (
    "Spotlight on Iran: the Strait of Hormuz, tanker seizures and the insurers' new premiums "
    "for every ship that crosses the Gulf between October and December"
)


@pytest.mark.parametrize(
    ("factory", "changelist"), [(BriefingFactory, BRIEFING_LIST), (ArticleFactory, ARTICLE_LIST)]
)
def test_a_long_title_and_tags_in_a_list_carry_their_whole_text_on_hover(
    admin_client: Client, factory, changelist
):
    factory(title=LONG_TITLE, tags=["Strait of Hormuz", "Insurance"])
    html = admin_client.get(changelist).content.decode()
    title_cell = re.search(r'<th class="field-list_title">(.*?)</th>', html, re.S)[1]
    assert f'<span class="whole-on-hover" title="{LONG_TITLE}">{LONG_TITLE}</span>' in (
        title_cell.replace("&#x27;", "'")
    )
    assert 'title="Insurance, Strait of Hormuz"' in html


def test_a_list_date_is_the_day_with_the_time_on_hover(admin_client):
    moment = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)
    ArticleFactory(publication=PublicationFactory(name="Gulf Observer"), published_at=moment)
    html = admin_client.get(ARTICLE_LIST).content.decode()
    local = timezone.localtime(moment)  # the server's time zone decides the day
    expected = f'<time datetime="{local.isoformat()}" title="{local:%Y-%m-%d %H:%M}">{local.date()}'
    assert expected in html
    assert 'title="Gulf Observer">Gulf Observer</span>' in html
