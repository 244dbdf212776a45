"""The editors' admin, driven through its real forms, and what readers then see on the site."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from briefings.models import Briefing, Bullet, Figure
from publishing.models import Status
from tests.support.admin_addresses import ARTICLE_ADD, ARTICLE_LIST, BRIEFING_LIST
from tests.support.admin_forms import (
    AdminForm,
    add_briefing_in_admin,
    briefing_fields,
    form_errors,
)
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    PublicationFactory,
    SectionFactory,
)
from tests.support.images import small_png

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# --- A briefing made through the admin, seen by readers ------------------------------------


def test_editor_creates_a_briefing_with_nested_inlines_and_readers_see_it(editor_client, yesterday):
    response = add_briefing_in_admin(
        editor_client,
        briefing_fields(yesterday),
        figure={
            "image": small_png(),
            "alt": "Two men shake hands in front of flags",
            "caption": "Foreign ministers meet in Tehran",
            "credit": "Mehr, October 4, 2020",
        },
        overview=["Talks *resumed* in Tehran.", "Sanctions were extended."],
        sections=[
            ("Iran", ["Iran bullet one.", "Iran bullet two."]),
            ("Syria", ["Syria bullet one.", "Syria bullet two."]),
        ],
    )
    assert response["Location"] == BRIEFING_LIST

    briefing = Briefing.objects.get()
    assert briefing.title == "Spotlight on Iran: October 1 – October 18, 2020"
    assert briefing.slug == "spotlight-on-iran-october-1-october-18-2020"
    assert briefing.status == Status.PUBLISHED
    assert briefing.published_at == yesterday.replace(microsecond=0)
    assert sorted(briefing.tags.names()) == ["Iran", "Syria"]

    figure = Figure.objects.get(briefing=briefing)
    assert figure.caption == "Foreign ministers meet in Tehran"
    assert figure.credit == "Mehr, October 4, 2020"
    assert figure.alt == "Two men shake hands in front of flags"
    assert figure.image.name.startswith("figures/") and figure.image.name.endswith(".png")
    assert (figure.image.width, figure.image.height) == (4, 3)

    overview = Bullet.objects.filter(briefing=briefing, section__isnull=True)
    assert [b.text for b in overview] == ["Talks *resumed* in Tehran.", "Sanctions were extended."]
    assert [s.title for s in briefing.sections.all()] == ["Iran", "Syria"]
    for section in briefing.sections.all():
        bullets = list(section.bullets.all())
        assert [b.text for b in bullets] == [
            f"{section.title} bullet one.",
            f"{section.title} bullet two.",
        ]
        assert all(b.briefing_id == briefing.pk for b in bullets)
    assert Bullet.objects.count() == 6

    reader = Client()
    local = timezone.localtime(briefing.published_at)
    for url in ["/", f"/archive/{local:%Y}/{local:%m}/", "/tags/iran/"]:
        assert briefing.get_absolute_url() in page(reader, url), url

    detail = page(reader, briefing.get_absolute_url())
    assert "Talks <em>resumed</em> in Tehran." in detail
    assert "Sanctions were extended." in detail
    assert detail.index("Iran bullet two.") < detail.index("Syria bullet one.")
    # The page serves the figure's renditions, made from the upload when it was saved.
    assert figure.picture.src in detail and figure.picture.src.endswith("-4w.png")
    assert "Foreign ministers meet in Tehran" in detail
    assert "noindex" not in detail and "Preview" not in detail


def test_reordering_sections_in_the_change_form_reorders_the_public_page(editor_client):
    briefing = BriefingFactory()
    first = SectionFactory(briefing=briefing, title="First section", position=0)
    second = SectionFactory(briefing=briefing, title="Second section", position=1)
    BulletFactory(briefing=briefing, section=first, text="In the first.")
    BulletFactory(briefing=briefing, text="An overview bullet.")
    change_url = f"/{settings.ADMIN_URL}briefings/briefing/{briefing.pk}/change/"

    form = AdminForm(editor_client.get(change_url), "briefing")
    assert form.data["sections-0-id"] == str(first.pk)
    assert form.data["sections-1-id"] == str(second.pk)
    assert form.data["bullets-INITIAL_FORMS"] == "1"  # the overview lists no section's bullet
    form.set(**{"sections-0-position": "1", "sections-1-position": "0"})
    response = editor_client.post(change_url, form.data)
    assert response.status_code == 302, form_errors(response)

    assert [s.title for s in briefing.sections.all()] == ["Second section", "First section"]
    # Nothing else moved: the overview bullet stayed out of the sections, the other stayed in.
    assert Bullet.objects.get(text="An overview bullet.").section is None
    assert Bullet.objects.get(text="In the first.").section == first
    detail = page(Client(), briefing.get_absolute_url())
    assert detail.index("Second section") < detail.index("First section")


# --- Changelists and their actions ----------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "changelist"), [(BriefingFactory, BRIEFING_LIST), (ArticleFactory, ARTICLE_LIST)]
)
def test_publish_and_unpublish_actions(editor_client, factory, changelist):
    drafts = factory.create_batch(2, status=Status.DRAFT)
    bystander = factory(status=Status.DRAFT)
    selected = [item.pk for item in drafts]
    model = type(bystander)

    response = editor_client.post(
        changelist, {"action": "publish", "_selected_action": selected}, follow=True
    )
    assert response.status_code == 200
    assert "2 items published." in response.content.decode()
    assert set(model.objects.published().values_list("pk", flat=True)) == set(selected)

    response = editor_client.post(
        changelist, {"action": "unpublish", "_selected_action": selected[:1]}, follow=True
    )
    assert "1 item unpublished." in response.content.decode()
    assert list(model.objects.published().values_list("pk", flat=True)) == selected[1:]


def test_briefing_changelist_shows_status_tags_dates_and_searches(editor_client, yesterday):
    briefing = BriefingFactory(title="Ceasefire talks", published_at=yesterday, tags=["Iran"])
    BulletFactory(briefing=briefing, text="Envoys met in Muscat.")
    BriefingFactory(title="Unrelated draft", status=Status.DRAFT)

    html = page(editor_client, BRIEFING_LIST)
    assert "Ceasefire talks" in html and "Unrelated draft" in html
    assert ">Published<" in html and ">Draft<" in html
    assert (
        '<td class="field-tag_list"><span class="whole-on-hover" title="Iran">Iran</span></td>'
        in html
    )
    assert "published_at__year=" in html  # the date hierarchy

    local = timezone.localtime(yesterday)
    drilled = page(
        editor_client,
        f"{BRIEFING_LIST}?published_at__year={local.year}&published_at__month={local.month}"
        f"&published_at__day={local.day}",
    )
    assert "Ceasefire talks" in drilled

    found = page(editor_client, f"{BRIEFING_LIST}?q=Muscat")  # searches the bullets too
    assert "Ceasefire talks" in found and "Unrelated draft" not in found
    drafts = page(editor_client, f"{BRIEFING_LIST}?status__exact=draft")
    assert "Unrelated draft" in drafts and "Ceasefire talks" not in drafts


def test_article_changelist_shows_status_tags_dates_and_searches(editor_client, yesterday):
    publication = PublicationFactory(name="Gulf Observer")
    ArticleFactory(
        title="Oil and the border", publication=publication, published_at=yesterday, tags=["Iraq"]
    )
    ArticleFactory(title="Something else entirely", status=Status.DRAFT)

    html = page(editor_client, ARTICLE_LIST)
    assert "Oil and the border" in html and "Something else entirely" in html
    assert ">Published<" in html and ">Draft<" in html
    assert (
        '<td class="field-tag_list"><span class="whole-on-hover" title="Iraq">Iraq</span></td>'
        in html
    )
    assert "published_at__year=" in html

    local = timezone.localtime(yesterday)
    drilled = page(
        editor_client,
        f"{ARTICLE_LIST}?published_at__year={local.year}&published_at__month={local.month}",
    )
    assert "Oil and the border" in drilled

    found = page(editor_client, f"{ARTICLE_LIST}?q=Gulf+Observer")  # by publication name
    assert "Oil and the border" in found and "Something else entirely" not in found


# --- Drafts are previews for staff only ----------------------------------------------------


def test_a_draft_is_a_noindexed_preview_for_staff_and_404_for_everyone_else(
    client, editor, django_user_model
):
    draft = BriefingFactory(title="Not ready yet", status=Status.DRAFT)
    url = draft.get_absolute_url()

    assert Client().get(url).status_code == 404

    reader = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    client.force_login(reader)
    assert client.get(url).status_code == 404

    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not ready yet" in html
    assert "Preview" in html
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"] == "noindex"


# --- The article form's widgets ------------------------------------------------------------


def test_article_add_form_has_autocompletes_and_a_tag_box(editor_client):
    ArticleFactory(tags=["Iraq", "Kurdistan"])

    html = page(editor_client, ARTICLE_ADD)

    publication = re.search(r'<select name="publication"[^>]*>', html)
    authors = re.search(r'<select name="authors"[^>]*>', html)
    assert publication and "admin-autocomplete" in publication.group(0)
    assert 'data-model-name="article"' in publication.group(0)
    assert authors and "admin-autocomplete" in authors.group(0)
    assert "multiple" in authors.group(0)
    assert f'data-ajax--url="/{settings.ADMIN_URL}autocomplete/"' in html

    # Suggestions are fetched as the editor types: the page does not carry the vocabulary.
    tags = re.search(r'<select name="tags"[^>]*>(.*?)</select>', html, flags=re.S)
    assert tags and 'class="tag-select"' in tags.group(0) and "multiple" in tags.group(0)
    assert f'data-ajax--url="/{settings.ADMIN_URL}articles/article/tags/"' in tags.group(0)
    assert "<option" not in tags.group(1)
    assert "Kurdistan" not in html
    assert "newsroom/admin/tag_select.js" in html
    assert "admin/js/vendor/select2/select2.full" in html
    assert "pick an existing tag" in html and "comma-separated" not in html


# --- Hostile input --------------------------------------------------------------------------

HOSTILE = (
    "Officials met *quietly*. <script>alert(1)</script> <img src=x onerror=alert(1)> "
    "[details](javascript:alert(1))"
)


def test_hostile_bullet_markup_never_reaches_the_public_page(editor_client, yesterday):
    add_briefing_in_admin(
        editor_client,
        briefing_fields(yesterday),
        overview=[HOSTILE],
        sections=[("Hostile section", [HOSTILE])],
    )
    briefing = Briefing.objects.get()
    assert Bullet.objects.filter(text=HOSTILE).count() == 2  # the editor's text is kept as typed

    html = page(Client(), briefing.get_absolute_url())
    assert html.count("Officials met <em>quietly</em>.") == 2
    # The page's own JSON-LD is the one script; the bullet's text inside it is plain and escaped.
    data = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(data) == 1 and "<" not in data[0] and "onerror" not in data[0]
    html = html.replace(data[0], "").replace('<script type="application/ld+json">', "")
    assert "<script" not in html.lower()
    assert "onerror" not in html.lower()
    assert "javascript:" not in html.lower()
