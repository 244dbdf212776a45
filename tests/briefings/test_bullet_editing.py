"""Editing bullets in the admin: the preview of a bullet as readers see it, and the briefing
form's rows, ordered by dragging, with no position boxes and no empty rows unasked."""

import re

import pytest
from django.conf import settings
from django.test import Client

from briefings.models import Bullet
from publishing.roles import CONTRIBUTOR, EDITOR
from tests.support.admin_addresses import BRIEFING_ADD, change_url
from tests.support.admin_forms import AdminForm, form_errors
from tests.support.factories import BriefingFactory, BulletFactory, SectionFactory
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db

PREVIEW = f"/{settings.ADMIN_URL}briefings/briefing/bullets/preview/"

MARKDOWN = (
    "Talks *resumed* in **Tehran**, said [the ministry](https://example.org/a?b=1&c=2) "
    "(Mehr, `October 4`) & more < less."
)
HOSTILE = (
    "Officials met *quietly*. <script>alert(1)</script> <img src=x onerror=alert(1)> "
    '[details](javascript:alert(1)) <a href="javascript:alert(2)">two</a>'
)


def preview(client: Client, text: str) -> str:
    response = client.post(PREVIEW, {"text": text})
    assert response.status_code == 200
    return response.json()["html"]


# --- The preview ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [MARKDOWN, HOSTILE, "Plain prose, as most bullets are."])
def test_the_preview_is_the_bullet_readers_get(admin_client, client, yesterday, text):
    shown = preview(admin_client, text)

    bullet = BulletFactory(text=text, briefing=BriefingFactory(published_at=yesterday))
    assert shown == bullet.text_html
    page = client.get(bullet.briefing.get_absolute_url()).content.decode()
    assert f"<li>{shown}</li>" in page


def test_the_preview_renders_markdown_and_sanitises_hostile_markup(admin_client):
    assert preview(admin_client, MARKDOWN) == (
        "Talks <em>resumed</em> in <strong>Tehran</strong>, said "
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">the ministry</a> '
        "(Mehr, <code>October 4</code>) &amp; more &lt; less."
    )
    shown = preview(admin_client, HOSTILE)
    assert "<em>quietly</em>" in shown
    for hostile in ["<script", "alert(1)</script>", "onerror", "javascript:", "<img"]:
        assert hostile not in shown


@pytest.mark.parametrize("role", [CONTRIBUTOR, EDITOR])
def test_contributors_and_editors_preview(django_user_model, role):
    client = staff_client(django_user_model, "writer", role)

    assert preview(client, "Talks *resumed*.") == "Talks <em>resumed</em>."


def test_the_preview_is_for_staff_who_may_write_briefings(client, django_user_model):
    anonymous = client.post(PREVIEW, {"text": "x"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(f"/{settings.ADMIN_URL}login/")

    no_role = staff_client(django_user_model, "no-role")
    assert no_role.post(PREVIEW, {"text": "x"}).status_code == 403


def test_the_preview_takes_only_a_post_with_its_csrf_token(django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.get(PREVIEW, {"text": "x"}).status_code == 405
    assert client.post(PREVIEW, {"text": "x"}).status_code == 403

    page = client.get(BRIEFING_ADD).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(PREVIEW, {"text": "*x*", "csrfmiddlewaretoken": token})
    assert (response.status_code, response.json()) == (200, {"html": "<em>x</em>"})


def test_a_preview_without_text_says_so(admin_client):
    response = admin_client.post(PREVIEW, {})

    assert response.status_code == 400
    assert response.json() == {"error": "No bullet text was sent to preview."}


# --- The briefing form's rows ------------------------------------------------------------------


def visible_position_inputs(html: str) -> list[str]:
    inputs = re.findall(r"<input[^>]*name=\"[^\"]*-position\"[^>]*>", html)
    assert inputs, "the form has no position fields at all"
    return [field for field in inputs if 'type="hidden"' not in field]


def test_the_add_form_has_no_position_boxes_and_no_empty_bullet_rows(admin_client):
    response = admin_client.get(BRIEFING_ADD)
    html = response.content.decode()

    assert visible_position_inputs(html) == []
    assert ">Position<" not in html  # no column heading for them either
    form = AdminForm(response, "briefing")
    assert form.data["bullets-TOTAL_FORMS"] == "0"
    assert form.data["sections-TOTAL_FORMS"] == "0"
    assert "bullet-preview-button" in html  # on the blank row "Add another" copies
    assert "newsroom/admin/bullet_preview.js" in html


def test_the_change_form_shows_saved_bullets_only_and_saves_their_new_order(admin_client):
    briefing = BriefingFactory()
    first = BulletFactory(briefing=briefing, text="First.", position=0)
    second = BulletFactory(briefing=briefing, text="Second.", position=1)
    section = SectionFactory(briefing=briefing, position=0)
    BulletFactory(briefing=briefing, section=section, text="In the section.", position=0)
    response = admin_client.get(change_url(briefing))
    html = response.content.decode()
    assert visible_position_inputs(html) == []
    form = AdminForm(response, "briefing")
    assert (form.data["bullets-TOTAL_FORMS"], form.data["bullets-INITIAL_FORMS"]) == ("2", "2")
    assert form.data["sections-0-bullets-TOTAL_FORMS"] == "1"

    # Dragged: the hidden positions, as nested_admin's script sets them.
    form.set(**{"bullets-0-position": "1", "bullets-1-position": "0"})
    response = admin_client.post(change_url(briefing), form.data)

    assert response.status_code == 302, form_errors(response)
    overview = Bullet.objects.filter(briefing=briefing, section__isnull=True)
    assert [bullet.pk for bullet in overview] == [second.pk, first.pk]
