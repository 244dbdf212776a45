"""Versions of briefings and excerpts: every admin save keeps one with the item's parts; an
editor compares two, restores one, and recovers a deleted item; readers then see its text."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from reversion.models import Version

from articles.models import Article, ArticleFigure
from briefings.models import Briefing, Bullet, Figure, Section
from publishing.models import Status
from publishing.roles import EDITOR
from search.models import SearchEntry
from tests.support.admin_addresses import BRIEFING_LIST, change_url, delete_url
from tests.support.admin_forms import AdminForm, add_briefing_in_admin, briefing_fields, form_errors
from tests.support.factories import ArticleFactory, BriefingFactory, BulletFactory, SectionFactory
from tests.support.images import small_png
from tests.support.import_command import GOOD, run_import
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model) -> Client:
    return staff_client(django_user_model, "editor", EDITOR)


def admin_url(item, view: str) -> str:
    return f"/admin/{item._meta.app_label}/{item._meta.model_name}/{item.pk}/{view}/"


def save_form(client, url: str, model_name: str, **fields):
    """GET an admin form, change `fields` as an editor would, POST it back."""
    form = AdminForm(client.get(url), model_name)
    form.set(**fields)
    response = client.post(url, form.data)
    assert response.status_code == 302, form_errors(response)
    return response


def history(client, item) -> list:
    response = client.get(admin_url(item, "history"))
    assert response.status_code == 200
    return response.context["versions"]


def public_page(item) -> str:
    response = Client().get(type(item).objects.get(pk=item.pk).get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def overview_texts(briefing) -> list[str]:
    return [bullet.text for bullet in briefing.bullets.filter(section__isnull=True)]


@pytest.fixture
def edited_briefing(editor, yesterday):
    """A briefing added in the admin, then saved again with changed title and bullets."""
    add_briefing_in_admin(
        editor,
        briefing_fields(yesterday, title="Talks in Muscat"),
        overview=["Envoys met *quietly* in Muscat.", "A bullet dropped later."],
        sections=[("Iran", ["The old Iran bullet."])],
    )
    briefing = Briefing.objects.get()
    save_form(
        editor,
        change_url(briefing),
        "briefing",
        title="Talks in Doha",
        **{
            "bullets-0-text": "Envoys met openly in Doha.",
            "bullets-1-DELETE": "on",
            "sections-0-bullets-0-text": "The new Iran bullet.",
        },
    )
    return briefing


def test_each_admin_save_keeps_a_version_listed_in_the_history(editor, edited_briefing):
    versions = history(editor, edited_briefing)
    assert len(versions) == 2
    newest, oldest = (entry["version"] for entry in versions)
    assert newest.object_repr == "Talks in Doha" and oldest.object_repr == "Talks in Muscat"
    # Each version holds the parts as they were then.
    assert {v.object_repr for v in oldest.revision.version_set.all()} >= {
        "A bullet dropped later.",
        "Iran",
        "The old Iran bullet.",
    }
    page = editor.get(admin_url(edited_briefing, "history")).content.decode()
    assert page.count('name="old"') == 2 and "Restore this version" in page


def test_the_comparison_shows_what_changed_in_the_item_and_its_parts(editor, edited_briefing):
    newest, oldest = (entry["version"] for entry in history(editor, edited_briefing))
    url = admin_url(edited_briefing, "history/compare")
    response = editor.get(url, {"old": oldest.pk, "new": newest.pk})
    assert response.status_code == 200
    changes = [(c.label, c.before, c.after) for c, *_ in response.context["changes"]]
    assert changes[0] == ("Title", "Talks in Muscat", "Talks in Doha")
    assert (
        "Bullet 1 · Text",
        "Envoys met *quietly* in Muscat.",
        "Envoys met openly in Doha.",
    ) in changes
    assert ("Bullet 2 · Text", "A bullet dropped later.", "") in changes
    assert ("Bullet 3 · Text", "The old Iran bullet.", "The new Iran bullet.") in changes
    assert not [c for c in changes if c[0] in ("Series", "Section 1 · Title")]  # unchanged

    html = response.content.decode()
    assert "Talks in <del>Muscat</del>" in html and "Talks in <ins>Doha</ins>" in html
    assert "Envoys met <del>*quietly*</del>" in html
    assert "<del>A bullet dropped later.</del>" in html
    assert "Bullet 3 · Text" in html

    # Versions of another item are not this one's to compare.
    other = BriefingFactory()
    assert (
        editor.get(
            admin_url(other, "history/compare"), {"old": oldest.pk, "new": newest.pk}
        ).status_code
        == 404
    )


def test_restoring_a_version_brings_back_its_text_and_bullets_on_the_public_page(
    editor, edited_briefing
):
    assert "Envoys met openly in Doha." in public_page(edited_briefing)
    oldest = history(editor, edited_briefing)[-1]

    form = AdminForm(editor.get(oldest["restore_url"]), "briefing")
    assert form.data["title"] == "Talks in Muscat"
    response = editor.post(oldest["restore_url"], form.data)
    assert response.status_code == 302, form_errors(response)

    briefing = Briefing.objects.get()
    assert briefing.title == "Talks in Muscat"
    assert overview_texts(briefing) == [
        "Envoys met *quietly* in Muscat.",
        "A bullet dropped later.",
    ]
    section = briefing.sections.get()
    assert [bullet.text for bullet in section.bullets.all()] == ["The old Iran bullet."]
    assert Bullet.objects.count() == 3

    page = public_page(briefing)
    assert "Envoys met <em>quietly</em> in Muscat." in page
    assert "A bullet dropped later." in page and "The old Iran bullet." in page
    assert "Doha" not in page and "The new Iran bullet." not in page
    assert len(history(editor, briefing)) == 3


def test_a_version_shown_for_restoring_changes_nothing_until_it_is_saved(editor, edited_briefing):
    editor.get(history(editor, edited_briefing)[-1]["restore_url"])
    assert Briefing.objects.get().title == "Talks in Doha"
    assert Bullet.objects.count() == 2


def test_restoring_an_excerpt_brings_back_its_figure_and_rendered_text(editor):
    article = ArticleFactory(excerpt="The *first* wording.")
    ArticleFigure.objects.create(article=article, caption="First caption", position=0)
    save_form(editor, change_url(article), "article", title="First title")
    save_form(
        editor,
        change_url(article),
        "article",
        title="Second title",
        excerpt="The second wording.",
        **{"figures-0-caption": "Second caption"},
    )
    assert "The second wording." in public_page(article)

    oldest = history(editor, article)[-1]
    form = AdminForm(editor.get(oldest["restore_url"]), "article")
    assert editor.post(oldest["restore_url"], form.data).status_code == 302

    article = Article.objects.get()
    assert (article.title, article.excerpt) == ("First title", "The *first* wording.")
    assert article.figures.get().caption == "First caption"
    page = public_page(article)
    assert "The <em>first</em> wording." in page and "second wording" not in page


# --- Deleting and recovering ---------------------------------------------------------------


def test_deleting_asks_for_confirmation_with_a_count_of_what_goes(editor):
    briefing = BriefingFactory()
    sections = SectionFactory.create_batch(2, briefing=briefing)
    for section in sections:
        BulletFactory.create_batch(2, briefing=briefing, section=section)
    BulletFactory(briefing=briefing)
    Figure.objects.create(briefing=briefing, caption="Lead")

    page = editor.get(delete_url(briefing)).content.decode()
    assert "Are you sure" in page
    assert "<li>Briefings: 1</li>" in page
    assert "<li>Sections: 2</li>" in page
    assert "<li>Bullets: 5</li>" in page
    assert "<li>Figures: 1</li>" in page
    assert Briefing.objects.exists()  # nothing goes before the confirmation

    article = ArticleFactory()
    ArticleFigure.objects.create(article=article, caption="One")
    ArticleFigure.objects.create(article=article, caption="Two")
    page = editor.get(delete_url(article)).content.decode()
    assert "<li>Article excerpts: 1</li>" in page and "<li>Figures: 2</li>" in page


def recover(client, model_list_url: str, title: str) -> None:
    recover_list = client.get(f"{model_list_url}recover/")
    assert recover_list.status_code == 200
    (deleted,) = [v for v in recover_list.context["deleted"] if v.object_repr == title]
    url = f"{model_list_url}recover/{deleted.pk}/"
    form = AdminForm(client.get(url), deleted.content_type.model)
    response = client.post(url, form.data)
    assert response.status_code == 302, form_errors(response)


def test_a_deleted_briefing_is_recovered_with_its_sections_and_bullets(editor, edited_briefing):
    url = edited_briefing.get_absolute_url()
    assert editor.post(delete_url(edited_briefing), {"post": "yes"}).status_code == 302
    assert not Briefing.objects.exists() and not Bullet.objects.exists()
    assert Client().get(url).status_code == 404
    assert "Recover deleted briefings" in editor.get(BRIEFING_LIST).content.decode()

    recover(editor, BRIEFING_LIST, "Talks in Doha")

    briefing = Briefing.objects.get()
    assert briefing.pk == edited_briefing.pk
    assert overview_texts(briefing) == ["Envoys met openly in Doha."]
    assert [b.text for b in briefing.sections.get().bullets.all()] == ["The new Iran bullet."]
    assert "Envoys met openly in Doha." in public_page(briefing)


def test_an_item_never_saved_in_the_admin_is_recoverable_once_deleted_there(editor):
    # As imported items are: deleting keeps their last state as a version.
    briefing = BriefingFactory(title="Imported briefing")
    section = SectionFactory(briefing=briefing, title="Imported section")
    BulletFactory(briefing=briefing, section=section, text="An imported bullet.")
    article = ArticleFactory(title="Imported excerpt")
    assert not Version.objects.exists()

    for item, changelist in [(briefing, BRIEFING_LIST), (article, "/admin/articles/article/")]:
        response = editor.post(
            changelist, {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"}
        )
        assert response.status_code == 302
        recover(editor, changelist, item.title)

    assert Briefing.objects.get().sections.get().title == "Imported section"
    assert Bullet.objects.get().text == "An imported bullet."
    assert Article.objects.get().title == "Imported excerpt"


def test_a_recovered_briefing_keeps_its_lead_figures_image(editor, yesterday):
    figure = {"image": small_png(), "alt": "Flags", "caption": "The meeting", "credit": "Mehr"}
    add_briefing_in_admin(editor, briefing_fields(yesterday), figure=figure)
    briefing = Briefing.objects.get()
    image = Figure.objects.get().image.name

    editor.post(delete_url(briefing), {"post": "yes"})
    assert not Figure.objects.exists()
    assert default_storage.exists(image)  # a version still refers to it

    recover(editor, BRIEFING_LIST, briefing.title)
    figure = Figure.objects.get()
    assert figure.image.name == image and default_storage.exists(image)
    assert figure.picture.src in public_page(briefing)


def test_importing_keeps_no_versions():
    run_import(GOOD)
    assert Briefing.objects.exists() and Article.objects.exists()
    assert not Version.objects.exists()


@pytest.mark.postgresql
def test_search_finds_a_restored_versions_text_not_the_replaced_one(editor, edited_briefing):
    def found(word: str) -> bool:
        return (
            edited_briefing.get_absolute_url()
            in Client().get("/search/", {"q": word}).content.decode()
        )

    assert found("Doha") and not found("Muscat")
    oldest = history(editor, edited_briefing)[-1]
    form = AdminForm(editor.get(oldest["restore_url"]), "briefing")
    assert editor.post(oldest["restore_url"], form.data).status_code == 302
    assert found("Muscat") and not found("Doha")

    editor.post(delete_url(edited_briefing), {"post": "yes"})
    assert not SearchEntry.objects.filter(kind="briefing").exists()
    recover(editor, BRIEFING_LIST, "Talks in Muscat")
    assert found("Muscat")
    assert Briefing.objects.get().status == Status.PUBLISHED
    assert Section.objects.count() == 1
