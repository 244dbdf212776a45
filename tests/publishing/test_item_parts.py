"""An item's form touches only that item's parts: whatever part ids a POST carries, in any inline
at any level, for any role, another item's sections, bullets and figures are neither changed,
moved nor deleted (publishing/item_parts.py)."""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, connection, models, transaction
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from nested_admin.formsets import NestedInlineFormSet

from articles.models import ArticleFigure
from briefings.models import Briefing, Bullet, Figure, Section, SectionFigure
from publishing.item_parts import ItemPartsFormSet
from publishing.models import Publishable, Status
from publishing.roles import CONTRIBUTOR, EDITOR
from tests.support.admin_addresses import change_url
from tests.support.admin_forms import AdminForm, form_errors
from tests.support.factories import ArticleFactory, BriefingFactory, BulletFactory, SectionFactory
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db

# Every table whose rows readers see, or that keeps the items' history.
CONTENT_APPS = [
    "publishing",
    "people",
    "search",
    "articles",
    "briefings",
    "sources",
    "taggit",
    "reversion",
]
ACTIONS = ["change", "move", "delete"]
# The formsets of the two forms; the test finds them on the page, and fails if one is missing.
KNOWN_FORMSETS = {
    "briefing": {"lead_figure", "bullets", "sections", "sections-0-figure", "sections-0-bullets"},
    "article": {"figures"},
}
TEXT_FIELDS = ("text", "title", "caption")
DEFACED = "Defaced through another item's form"


def snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def others_parts(now) -> list[models.Model]:
    """Every kind of part, in a published briefing and a published excerpt of someone else's."""
    briefing = BriefingFactory(status=Status.PUBLISHED)
    parts = [
        Figure.objects.create(briefing=briefing, caption="Their lead figure"),
        BulletFactory(briefing=briefing, text="Their overview bullet"),
    ]
    for number in range(2):
        section = SectionFactory(briefing=briefing, title=f"Their section {number}")
        parts += [
            section,
            SectionFigure.objects.create(section=section, caption=f"Their figure {number}"),
            BulletFactory(briefing=briefing, section=section, text=f"Their bullet {number}"),
        ]
    article = ArticleFactory(status=Status.PUBLISHED)
    parts += [
        ArticleFigure.objects.create(article=article, caption=f"Their image {n}", position=n)
        for n in range(2)
    ]
    return parts


@pytest.fixture
def own_drafts():
    """The attacker's own drafts, with a section so that its nested inlines are on the page and
    without figures, so that a figure's inline has room for one."""
    briefing = BriefingFactory(status=Status.DRAFT)
    BulletFactory(briefing=briefing, text="My overview bullet")
    section = SectionFactory(briefing=briefing, title="My section")
    BulletFactory(briefing=briefing, section=section, text="My bullet")
    return {"briefing": briefing, "article": ArticleFactory(status=Status.DRAFT)}


@dataclass
class Inline:
    prefix: str
    model: type[models.Model]
    admin: admin.options.InlineModelAdmin


def inlines_on_page(response) -> list[Inline]:
    """Every inline formset of a change form, nested ones included (not the blank templates)."""
    found = []
    pending = [
        (inline.formset, inline.opts) for inline in response.context["inline_admin_formsets"]
    ]
    while pending:
        formset, inline_admin = pending.pop(0)
        found.append(Inline(formset.prefix, formset.model, inline_admin))
        for form in formset.forms:
            nested = zip(
                getattr(form, "nested_formsets", []),
                getattr(form, "nested_inlines", []),
                strict=True,
            )
            pending += [(formset, inline) for formset, inline in nested]
    return found


def others_part(inline: Inline, parts: list[models.Model], user) -> models.Model:
    """Someone else's part of the kind this inline shows (an overview bullet for the overview)."""
    request = RequestFactory().get("/")
    request.user = user
    pks = [part.pk for part in parts if isinstance(part, inline.model)]
    return inline.admin.get_queryset(request).filter(pk__in=pks).first()


def attack(form: AdminForm, inline: Inline, action: str, part: models.Model) -> None:
    """Put `part` into the inline's first row, as if it were one of the item's own."""
    prefix = inline.prefix
    initial = int(form.data[f"{prefix}-INITIAL_FORMS"])
    form.data[f"{prefix}-INITIAL_FORMS"] = str(max(initial, 1))
    form.data[f"{prefix}-TOTAL_FORMS"] = str(max(int(form.data[f"{prefix}-TOTAL_FORMS"]), 1))
    form.data[f"{prefix}-0-id"] = str(part.pk)
    text_field = next(name for name in TEXT_FIELDS if hasattr(part, name))
    # A move keeps the part as it is; only the inline it is posted in is another item's.
    form.data[f"{prefix}-0-{text_field}"] = (
        DEFACED if action == "change" else getattr(part, text_field)
    )
    if hasattr(part, "position"):
        form.data.setdefault(f"{prefix}-0-position", str(part.position))
    if action == "delete":
        form.data[f"{prefix}-0-DELETE"] = "on"
    # The rows nested in the replaced one are the item's own, posted under `part` now: left out.
    for name in list(form.data):
        if name.startswith(f"{prefix}-0-") and name.endswith("-TOTAL_FORMS"):
            form.data[name] = form.data[name.replace("-TOTAL_FORMS", "-INITIAL_FORMS")] = "0"


def attacks(client, user, item, parts):
    """Each inline of the item's form, attacked in each way: (inline, action, response,
    content before, content after)."""
    url = change_url(item)
    page = client.get(url)
    inlines = inlines_on_page(page)
    assert {inline.prefix for inline in inlines} == KNOWN_FORMSETS[item._meta.model_name]
    for inline in inlines:
        part = others_part(inline, parts, user)
        assert part is not None, f"no part of another item for {inline.prefix}"
        for action in ACTIONS:
            form = AdminForm(page, item._meta.model_name)
            attack(form, inline, action, part)
            before = snapshot()
            response = client.post(url, form.data)
            yield inline, action, response, before, snapshot()


ROLES = {"administrator": None, "editor": EDITOR, "contributor": CONTRIBUTOR}


def logged_in(django_user_model, role: str):
    """A client logged in with `role` (an administrator is a superuser), and its user."""
    client = staff_client(django_user_model, role, ROLES[role])
    user = django_user_model.objects.get(username=role)
    if role == "administrator":
        user.is_superuser = True
        user.save()
    return client, user


@pytest.fixture(params=ROLES)
def role(request, django_user_model):
    return logged_in(django_user_model, request.param)


@pytest.mark.parametrize("kind", ["briefing", "article"])
def test_another_items_parts_are_never_changed_moved_or_deleted(
    role, kind, own_drafts, others_parts
):
    client, user = role
    for inline, action, response, before, after in attacks(
        client, user, own_drafts[kind], others_parts
    ):
        where = f"{action} through {inline.prefix}"
        assert response.status_code == 200, f"{where}: answered {response.status_code}"
        assert after == before, f"{where} changed the content"
        errors = [str(error) for error in form_errors(response)]
        assert any("does not belong to this item" in error for error in errors), where


def test_without_the_rule_every_attack_changes_what_readers_see(
    monkeypatch, django_user_model, own_drafts, others_parts
):
    # The attacks above are real: with the formset's checks taken out, each one gets through.
    monkeypatch.setattr(ItemPartsFormSet, "get_queryset", NestedInlineFormSet.get_queryset)
    monkeypatch.setattr(ItemPartsFormSet, "clean", NestedInlineFormSet.clean)
    client, user = logged_in(django_user_model, "contributor")
    for kind in ("briefing", "article"):
        for inline, action, _response, before, after in attacks(
            client, user, own_drafts[kind], others_parts
        ):
            assert after != before, f"{action} through {inline.prefix} changed nothing"


def test_every_inline_of_every_items_admin_keeps_to_the_items_parts():
    item_admins = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, Publishable)
    ]
    assert len(item_admins) == 2
    pending = [inline for model_admin in item_admins for inline in model_admin.inlines]
    while pending:
        inline = pending.pop()
        assert issubclass(inline.formset, ItemPartsFormSet), inline
        pending += getattr(inline, "inlines", [])


def test_a_bullet_still_moves_between_the_items_own_sections(django_user_model, own_drafts):
    contributor, _user = logged_in(django_user_model, "contributor")
    briefing = own_drafts["briefing"]
    second = SectionFactory(briefing=briefing, title="My second section")
    page = contributor.get(change_url(briefing))
    form = AdminForm(page, "briefing")
    moving = Bullet.objects.get(section__title="My section")
    # What the page's script posts when a bullet is dragged into the second section.
    first, other = ("sections-0", "sections-1")
    if form.data[f"{first}-id"] != str(moving.section_id):
        first, other = other, first
    for name in ("id", "text", "position"):
        form.data[f"{other}-bullets-0-{name}"] = form.data.pop(f"{first}-bullets-0-{name}")
    form.data[f"{other}-bullets-0-section"] = str(second.pk)
    form.data.pop(f"{first}-bullets-0-section", None)
    form.data[f"{first}-bullets-TOTAL_FORMS"] = form.data[f"{first}-bullets-INITIAL_FORMS"] = "0"
    form.data[f"{other}-bullets-TOTAL_FORMS"] = form.data[f"{other}-bullets-INITIAL_FORMS"] = "1"
    response = contributor.post(change_url(briefing), form.data)
    assert response.status_code == 302, form_errors(response)
    moving.refresh_from_db()
    assert (moving.section, moving.briefing) == (second, briefing)


def test_the_database_keeps_a_sections_bullets_in_its_briefing():
    section = SectionFactory()
    bullet = BulletFactory(briefing=section.briefing, section=section)
    other = BriefingFactory()
    # Writes that send no signal and call no save(), as scripts and bulk code do.
    mismatches = [
        lambda: Bullet.objects.filter(pk=bullet.pk).update(briefing=other),
        lambda: Bullet.objects.bulk_create([Bullet(briefing=other, section=section, text="x")]),
    ]
    for write in mismatches:
        with pytest.raises(IntegrityError), transaction.atomic():
            write()
            connection.check_constraints()
    Section.objects.filter(pk=section.pk).update(briefing=other)
    bullet.refresh_from_db()
    assert bullet.briefing == other


@pytest.mark.parametrize("positions", [("0", "0"), ("x", "1"), ("-1", "٣")])
def test_a_form_with_errors_is_shown_again_whatever_positions_it_posted(
    django_user_model, own_drafts, positions
):
    client, _user = logged_in(django_user_model, "contributor")
    briefing = own_drafts["briefing"]
    form = AdminForm(client.get(change_url(briefing)), "briefing")
    form.fill_formset("bullets", [{"text": "Another bullet"}])
    form.data["bullets-0-position"], form.data["bullets-1-position"] = positions
    form.data["period_end"] = "2000-01-01"  # before the period's start: the form has an error
    response = client.post(change_url(briefing), form.data)
    assert response.status_code == 200
    assert "Another bullet" in response.content.decode()


# --- Any mix of posted ids ------------------------------------------------------------------


def others_rows(briefing) -> dict[str, list[dict]]:
    """Every row that is not the briefing or one of its parts: what its form must never touch.
    Written out here, not taken from publishing/item_parts.py, which is what is tested."""
    querysets = {
        "briefing": Briefing.objects.exclude(pk=briefing.pk),
        "section": Section.objects.exclude(briefing=briefing),
        "bullet": Bullet.objects.exclude(briefing=briefing),
        "figure": Figure.objects.exclude(briefing=briefing),
        "section figure": SectionFigure.objects.exclude(section__briefing=briefing),
        "article figure": ArticleFigure.objects.all(),
    }
    return {name: list(rows.order_by("pk").values()) for name, rows in querysets.items()}


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_mix_of_posted_ids_touches_another_items_parts(
    data, django_user_model, own_drafts, others_parts
):
    """Rows of the briefing's form, in any inline, get ids of its own parts, of another item's,
    or junk, with any of them marked for deletion: whatever the form answers, nothing outside
    the briefing changes."""
    if not django_user_model.objects.filter(username="contributor").exists():
        logged_in(django_user_model, "contributor")
    client = Client()
    client.force_login(django_user_model.objects.get(username="contributor"))
    briefing = own_drafts["briefing"]
    page = client.get(change_url(briefing))
    inlines = inlines_on_page(page)
    form = AdminForm(page, "briefing")
    for _ in range(data.draw(st.integers(1, 4), label="rows changed")):
        inline = data.draw(st.sampled_from(inlines), label="inline")
        own = [str(pk) for pk in own_parts(briefing, inline.model)]
        others = [str(part.pk) for part in others_parts if isinstance(part, inline.model)]
        posted = data.draw(st.sampled_from([*own, *others, "", "0", "-1", "x"]), label="id")
        row = data.draw(st.integers(0, 2), label="row")
        prefix = inline.prefix
        total = max(int(form.data[f"{prefix}-TOTAL_FORMS"]), row + 1)
        form.data[f"{prefix}-TOTAL_FORMS"] = str(total)
        if data.draw(st.booleans(), label="counted as a saved row"):
            form.data[f"{prefix}-INITIAL_FORMS"] = str(max(total, row + 1))
        form.data[f"{prefix}-{row}-id"] = posted
        if data.draw(st.booleans(), label="deleted"):
            form.data[f"{prefix}-{row}-DELETE"] = "on"
    before = others_rows(briefing)
    response = client.post(change_url(briefing), form.data)
    assert response.status_code in (200, 302)
    assert others_rows(briefing) == before


def own_parts(briefing, model) -> list[int]:
    """Ids of the briefing's parts of one kind."""
    lookup = "section__briefing" if model is SectionFigure else "briefing"
    return list(model.objects.filter(**{lookup: briefing}).values_list("pk", flat=True))
