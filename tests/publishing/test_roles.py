"""Editorial roles in the admin: what a Contributor, an Editor, a user with no role and an
administrator may do, driven through the admin's pages and by POSTs the pages do not offer."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articles.models import Article, ArticleFigure
from briefings.models import Briefing, Bullet
from people.models import Person, Publication
from publishing.models import Status
from publishing.roles import CONTRIBUTOR, EDITOR
from tests.support.admin_addresses import (
    ARTICLE_ADD,
    ARTICLE_LIST,
    BRIEFING_ADD,
    BRIEFING_LIST,
    change_url,
    delete_url,
)
from tests.support.admin_forms import AdminForm, form_errors, local_date_and_time
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db

KINDS = [(BriefingFactory, BRIEFING_LIST), (ArticleFactory, ARTICLE_LIST)]


def reload(item):
    return type(item).objects.get(pk=item.pk)


@pytest.fixture
def contributor(django_user_model) -> Client:
    return staff_client(django_user_model, "contributor", CONTRIBUTOR)


@pytest.fixture
def editor(django_user_model) -> Client:
    return staff_client(django_user_model, "editor", EDITOR)


@pytest.fixture
def administrator(django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def article_form(client, url: str = ARTICLE_ADD, **fields) -> AdminForm:
    form = AdminForm(client.get(url), "article")
    form.set(**fields)
    return form


# --- The roles -----------------------------------------------------------------------------


def test_the_migration_made_both_roles_and_only_the_editor_may_publish():
    def codenames(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    contributor, editor = codenames(CONTRIBUTOR), codenames(EDITOR)
    for model in ["briefing", "section", "bullet", "figure", "sectionfigure", "article"]:
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= contributor
    assert not {"publish_article", "publish_briefing"} & contributor
    assert {"publish_article", "publish_briefing", "delete_publication"} <= editor
    assert {"add_publication", "view_publication", "add_person", "view_person"} <= contributor
    assert not {"change_publication", "delete_publication"} & contributor
    assert not {"change_person", "delete_person"} & contributor
    assert contributor < editor
    assert not any("user" in name or "group" in name for name in editor)


# --- Contributor ---------------------------------------------------------------------------


def test_a_contributor_adds_and_edits_a_draft(contributor):
    response = contributor.post(
        ARTICLE_ADD, article_form(contributor, title="A draft", slug="a-draft").data
    )
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="a-draft")
    assert article.status == Status.DRAFT

    form = article_form(contributor, change_url(article), title="A better draft")
    response = contributor.post(change_url(article), form.data)
    assert response.status_code == 302, form_errors(response)
    assert reload(article).title == "A better draft"


def test_a_contributors_form_has_no_status_and_a_posted_one_is_ignored(contributor, now):
    form = AdminForm(contributor.get(BRIEFING_ADD), "briefing")
    assert "status" not in form.names and "published_at_0" not in form.names
    form.set(series="Spotlight on Iran", title="Posted as published")
    # What a hand-made POST could send: published, or scheduled for next week.
    form.data.update(status="published", **local_date_and_time(now + dt.timedelta(days=7)))
    response = contributor.post(BRIEFING_ADD, form.data)
    assert response.status_code == 302, form_errors(response)
    briefing = Briefing.objects.get(title="Posted as published")
    assert briefing.status == Status.DRAFT
    assert briefing.published_at < now + dt.timedelta(days=1)

    draft = ArticleFactory(status=Status.DRAFT)
    form = article_form(contributor, change_url(draft))
    form.data.update(status="published", **local_date_and_time(now))
    assert contributor.post(change_url(draft), form.data).status_code == 302
    assert reload(draft).status == Status.DRAFT
    assert not Article.objects.published().exists()


@pytest.mark.parametrize(("factory", "changelist"), KINDS)
def test_a_contributor_cannot_publish_or_unpublish_in_bulk(contributor, factory, changelist):
    draft = factory(status=Status.DRAFT)
    published = factory(status=Status.PUBLISHED)

    page = contributor.get(changelist)
    actions = [value for value, _label in page.context["action_form"].fields["action"].choices]
    assert "publish" not in actions and "unpublish" not in actions

    for action, item in [("publish", draft), ("unpublish", published)]:
        contributor.post(changelist, {"action": action, "_selected_action": [item.pk]})
    assert reload(draft).status == Status.DRAFT
    assert reload(published).status == Status.PUBLISHED


@pytest.mark.parametrize(("factory", "changelist"), KINDS)
def test_a_contributor_cannot_change_or_delete_a_published_or_scheduled_item(
    contributor, factory, changelist, tomorrow
):
    for item in [factory(status=Status.PUBLISHED), factory(published_at=tomorrow)]:
        title = item.title
        # The change page is only shown, and a POST to it is refused.
        page = contributor.get(change_url(item))
        assert page.status_code == 200
        assert not page.context["has_change_permission"]
        assert 'name="_save"' not in page.content.decode()
        assert contributor.post(change_url(item), {"title": "Changed"}).status_code == 403
        assert contributor.get(delete_url(item)).status_code == 403
        assert contributor.post(delete_url(item), {"post": "yes"}).status_code == 403
        # Nor by the bulk delete.
        response = contributor.post(
            changelist,
            {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
        )
        assert response.status_code == 403
        assert reload(item).title == title


def test_a_contributor_deletes_a_draft_but_not_its_published_parts(contributor):
    draft = BriefingFactory(status=Status.DRAFT)
    BulletFactory(briefing=draft)
    page = contributor.get(delete_url(draft))
    assert page.status_code == 200 and not page.context["perms_lacking"]
    assert contributor.post(delete_url(draft), {"post": "yes"}).status_code == 302
    assert not Briefing.objects.filter(pk=draft.pk).exists()
    assert not Bullet.objects.exists()


def test_a_contributor_cannot_give_a_figure_to_a_published_excerpt(contributor):
    published = ArticleFactory(status=Status.PUBLISHED)
    data = {"article": published.pk, "alt": "", "caption": "Sneaked in", "position": 0}
    response = contributor.post("/admin/articles/articlefigure/add/", data)
    assert response.status_code == 200
    assert "article" in response.context["adminform"].form.errors
    assert not ArticleFigure.objects.exists()

    figure = ArticleFigure.objects.create(article=published, caption="Original caption")
    url = f"/admin/articles/articlefigure/{figure.pk}/change/"
    assert contributor.post(url, {**data, "caption": "Changed"}).status_code == 403
    assert ArticleFigure.objects.get().caption == "Original caption"


def test_a_contributor_may_not_restore_or_recover_versions(contributor):
    item = BriefingFactory(status=Status.DRAFT)
    assert contributor.get(f"{BRIEFING_LIST}recover/").status_code == 403
    assert contributor.get(f"{BRIEFING_LIST}{item.pk}/history/1/").status_code == 403
    assert "Recover deleted" not in contributor.get(BRIEFING_LIST).content.decode()


# --- Publications and people: shown on published pages, so added by all, changed by editors

ROLES = ["administrator", "editor", "contributor"]
# Whether a role may change or delete a publication or person that exists.
MAY_CHANGE = {"administrator": True, "editor": True, "contributor": False}
NAMED_PAGES = {
    Publication: (PublicationFactory, {"homepage": "https://review.example.org/", "aliases": ""}),
    Person: (PersonFactory, {"bio": "Writes on the region."}),
}


def admin_list(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


@pytest.mark.parametrize("model", NAMED_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_adds_publications_and_people(request, role, model):
    client = request.getfixturevalue(role)
    _factory, fields = NAMED_PAGES[model]
    data = {**fields, "name": "Newly Added", "slug": "newly-added"}
    response = client.post(f"{admin_list(model)}add/", data)
    assert response.status_code == 302, form_errors(response)
    assert model.objects.filter(slug="newly-added").exists()


@pytest.mark.parametrize("model", NAMED_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_only_editors_change_publications_and_people(request, role, model):
    client = request.getfixturevalue(role)
    factory, fields = NAMED_PAGES[model]
    existing = factory(name="Original Name", **fields)
    changed = {
        **fields,
        "name": "Changed Name",
        "slug": existing.slug,
        # What a reader would follow from a published page.
        **({"homepage": "https://impostor.example/"} if model is Publication else {}),
    }
    response = client.post(change_url(existing), changed)
    if MAY_CHANGE[role]:
        assert response.status_code == 302, form_errors(response)
        assert reload(existing).name == "Changed Name"
    else:
        assert response.status_code == 403
        assert reload(existing).name == "Original Name"
        assert getattr(reload(existing), "homepage", "") == fields.get("homepage", "")
        page = client.get(change_url(existing))
        assert page.status_code == 200 and not page.context["has_change_permission"]
        assert 'name="_save"' not in page.content.decode()


@pytest.mark.parametrize("model", NAMED_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_only_editors_delete_publications_and_people(request, role, model):
    client = request.getfixturevalue(role)
    factory, fields = NAMED_PAGES[model]
    existing = factory(**fields)
    if MAY_CHANGE[role]:
        assert client.post(delete_url(existing), {"post": "yes"}).status_code == 302
        assert not model.objects.filter(pk=existing.pk).exists()
        return
    assert client.get(delete_url(existing)).status_code == 403
    assert client.post(delete_url(existing), {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [existing.pk], "post": "yes"}
    client.post(admin_list(model), bulk)
    assert model.objects.filter(pk=existing.pk).exists()


# An unordered list would come in any order, page by page (Django warns of it).
@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_a_contributor_picks_existing_publications_and_people_and_adds_new_ones(contributor):
    PublicationFactory(name="Regional Review")
    PublicationFactory(name="Another Regional Monthly")
    PersonFactory(name="Rana Writer")
    for field, term, found in [
        ("publication", "Regional", ["Another Regional Monthly", "Regional Review"]),
        ("authors", "Rana", ["Rana Writer"]),
    ]:
        response = contributor.get(
            "/admin/autocomplete/",
            {"app_label": "articles", "model_name": "article", "field_name": field, "term": term},
        )
        assert response.status_code == 200
        assert [result["text"] for result in json.loads(response.content)["results"]] == found

    html = contributor.get(ARTICLE_ADD).content.decode()
    assert 'id="add_id_publication"' in html and 'id="add_id_authors"' in html
    assert 'id="change_id_publication"' not in html

    # The "+" beside the field opens the add form in a popup, which hands the new one back.
    popup = {"_popup": "1", "_to_field": "id"}
    response = contributor.post(
        f"{admin_list(Publication)}add/?_to_field=id&_popup=1",
        {
            **popup,
            "name": "Fresh Quarterly",
            "slug": "fresh-quarterly",
            "homepage": "",
            "aliases": "",
        },
    )
    assert response.status_code == 200
    added = Publication.objects.get(slug="fresh-quarterly")
    assert json.loads(response.context["popup_response_data"])["value"] == str(added.pk)


# --- Editor --------------------------------------------------------------------------------


def test_an_editor_publishes_schedules_and_unpublishes_in_the_form(editor, yesterday, tomorrow):
    article = ArticleFactory(status=Status.DRAFT, slug="ready")
    reader = Client()

    form = article_form(editor, change_url(article), status="published")
    form.set(**local_date_and_time(yesterday))
    assert editor.post(change_url(article), form.data).status_code == 302
    assert reload(article).is_published
    assert reader.get(reload(article).get_absolute_url()).status_code == 200

    form = article_form(editor, change_url(article))
    form.set(**local_date_and_time(tomorrow))
    assert editor.post(change_url(article), form.data).status_code == 302
    assert reload(article).is_scheduled
    assert reader.get(reload(article).get_absolute_url()).status_code == 404

    form = article_form(editor, change_url(article), status="draft")
    assert editor.post(change_url(article), form.data).status_code == 302
    assert reload(article).status == Status.DRAFT


@pytest.mark.parametrize(("factory", "changelist"), KINDS)
def test_an_editor_publishes_unpublishes_and_deletes_in_bulk(editor, factory, changelist):
    drafts = factory.create_batch(2, status=Status.DRAFT)
    model = type(drafts[0])
    selected = [item.pk for item in drafts]

    editor.post(changelist, {"action": "publish", "_selected_action": selected})
    assert model.objects.published().count() == 2
    editor.post(changelist, {"action": "unpublish", "_selected_action": selected[:1]})
    assert model.objects.published().count() == 1

    response = editor.post(
        changelist, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )
    assert response.status_code == 302
    assert not model.objects.exists()


def test_an_editor_changes_and_deletes_a_published_briefing(editor):
    briefing = BriefingFactory(status=Status.PUBLISHED)
    SectionFactory(briefing=briefing)
    form = AdminForm(editor.get(change_url(briefing)), "briefing")
    form.set(title="Corrected after publication")
    assert editor.post(change_url(briefing), form.data).status_code == 302
    assert reload(briefing).title == "Corrected after publication"

    assert editor.post(delete_url(briefing), {"post": "yes"}).status_code == 302
    assert not Briefing.objects.exists()


# --- No role, and administrators -----------------------------------------------------------


def test_a_user_with_no_role_sees_no_content_in_the_admin(django_user_model):
    nobody = staff_client(django_user_model, "nobody")
    item = BriefingFactory(status=Status.DRAFT)

    index = nobody.get("/admin/")
    assert index.status_code == 200
    assert index.context["app_list"] == []
    for url in [BRIEFING_LIST, ARTICLE_LIST, change_url(item), BRIEFING_ADD]:
        assert nobody.get(url).status_code == 403, url
    assert nobody.post(delete_url(item), {"post": "yes"}).status_code == 403
    assert Briefing.objects.filter(pk=item.pk).exists()

    # Not staff at all: sent to the login page.
    reader = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    client = Client()
    client.force_login(reader)
    assert client.get(BRIEFING_LIST)["Location"].startswith("/admin/login/")


def test_previews_of_drafts_are_for_the_roles_only(django_user_model, contributor, editor):
    drafts = [BriefingFactory(status=Status.DRAFT), ArticleFactory(status=Status.DRAFT)]
    nobody = staff_client(django_user_model, "nobody")
    for item in drafts:
        assert contributor.get(item.get_absolute_url()).status_code == 200
        assert editor.get(item.get_absolute_url()).status_code == 200
        # Staff without a role are readers on the public site.
        assert nobody.get(item.get_absolute_url()).status_code == 404


def test_only_an_administrator_manages_users(administrator, editor, contributor):
    for url in ["/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/"]:
        assert administrator.get(url).status_code == 200, url
        assert editor.get(url).status_code == 403, url
        assert contributor.get(url).status_code == 403, url
    for url in ["/admin/sites/site/", "/admin/redirects/redirect/"]:
        assert editor.get(url).status_code == 403, url
