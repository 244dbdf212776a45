"""“Start next week's briefing”: a draft with the source's skeleton for the following period,
made from the briefing list or the change form, by anyone who may add briefings."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from briefings.models import Briefing, Bullet, Figure
from briefings.next_briefing import next_period
from publishing.models import Status
from publishing.roles import CONTRIBUTOR
from tests.support.admin_addresses import BRIEFING_LIST
from tests.support.factories import (
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    SectionFactory,
)
from tests.support.staff import staff_client

pytestmark = pytest.mark.django_db


def start_next(client: Client, *selected: Briefing):
    return client.post(
        BRIEFING_LIST,
        # As the list's form sends it: "index" is the action bar's number.
        {
            "action": "start_next_briefing",
            "index": "0",
            "_selected_action": [b.pk for b in selected],
        },
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def contributor(django_user_model) -> Client:
    return staff_client(django_user_model, "contributor", CONTRIBUTOR)


@pytest.fixture
def last_week() -> Briefing:
    """A published briefing of October 1–18, 2020, with all there is to copy or leave out."""
    briefing = BriefingFactory(
        series="Spotlight on Iran",
        publisher="Centre for Iranian Studies",
        title="",
        slug="",
        language="de",
        period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 18),
        published_at=timezone.make_aware(dt.datetime(2020, 10, 19, 9, 30)),
        tags=["Iran", "Sanctions"],
    )
    FigureFactory(briefing=briefing)
    BulletFactory(briefing=briefing, text="An overview bullet.")
    for position, title in enumerate(["Domestic politics", "Economy", "Foreign relations"]):
        # Made out of order, so that the copy must follow `position`, not the ids.
        section = SectionFactory(briefing=briefing, title=title, position=10 - position)
        BulletFactory(briefing=briefing, section=section, text=f"A bullet on {title}.")
    return briefing


def test_the_draft_copies_the_skeleton_and_none_of_the_content(contributor, last_week):
    response = start_next(contributor, last_week)

    new = Briefing.objects.exclude(pk=last_week.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/briefings/briefing/{new.pk}/change/"
    assert any("was started as a draft" in text for text in message_texts(response))

    assert (new.series, new.publisher, new.editor, new.language) == (
        "Spotlight on Iran",
        "Centre for Iranian Studies",
        last_week.editor,
        "de",
    )
    assert sorted(tag.name for tag in new.tags.all()) == ["Iran", "Sanctions"]
    assert (new.period_start, new.period_end) == (dt.date(2020, 10, 19), dt.date(2020, 11, 5))
    # The title is made from series and period, in the site's language, as for a new briefing.
    assert new.title == "Spotlight on Iran: October 19 – November 5, 2020"
    assert new.slug != last_week.slug
    assert new.status == Status.DRAFT
    # On the new period's last day, at the hour the series went out.
    local = timezone.localtime(new.published_at)
    assert (local.date(), local.hour, local.minute) == (dt.date(2020, 11, 5), 9, 30)

    assert [s.title for s in new.sections.all()] == [
        "Foreign relations",
        "Economy",
        "Domestic politics",
    ]
    assert [s.position for s in new.sections.all()] == [0, 1, 2]
    assert not Bullet.objects.filter(briefing=new).exists()
    assert not Figure.objects.filter(briefing=new).exists()
    # The source is untouched.
    assert last_week.sections.count() == 3 and last_week.bullets.count() == 4
    # Its history starts with a version that holds the sections.
    version = Version.objects.get_for_object(new).get()
    assert "Started from" in version.revision.comment
    assert version.revision.version_set.count() == 1 + 3 + 2  # briefing, sections, tag links


def test_the_draft_is_not_visible_to_readers(contributor, last_week, client):
    start_next(contributor, last_week)
    new = Briefing.objects.exclude(pk=last_week.pk).get()

    assert not Briefing.objects.published().filter(pk=new.pk).exists()
    assert client.get(new.get_absolute_url()).status_code == 404
    assert new.title not in client.get("/briefings/").content.decode()


@pytest.mark.parametrize(
    ("start", "end", "following"),
    [
        # 18 days, counting both ends: the next 18 days.
        (
            dt.date(2020, 10, 1),
            dt.date(2020, 10, 18),
            (dt.date(2020, 10, 19), dt.date(2020, 11, 5)),
        ),
        # A week, Monday to Sunday: the next week, across a year's end.
        (dt.date(2020, 12, 28), dt.date(2021, 1, 3), (dt.date(2021, 1, 4), dt.date(2021, 1, 10))),
        # A single day: the next day.
        (dt.date(2021, 3, 1), dt.date(2021, 3, 1), (dt.date(2021, 3, 2), dt.date(2021, 3, 2))),
    ],
)
def test_the_next_period_follows_on_and_is_as_long(start, end, following):
    assert next_period(start, end) == following


def test_a_week_long_briefing_is_followed_by_the_next_week(contributor):
    week = BriefingFactory(period_start=dt.date(2021, 3, 1), period_end=dt.date(2021, 3, 7))
    start_next(contributor, week)
    new = Briefing.objects.exclude(pk=week.pk).get()
    assert (new.period_start, new.period_end) == (dt.date(2021, 3, 8), dt.date(2021, 3, 14))


def test_without_a_period_the_draft_has_none_and_is_dated_now(contributor):
    undated = BriefingFactory(period_start=None, period_end=None, series="Spotlight")
    before = timezone.now()
    start_next(contributor, undated)
    new = Briefing.objects.exclude(pk=undated.pk).get()
    assert new.period_start is None and new.period_end is None
    assert new.published_at >= before
    assert new.title == "Spotlight"


@pytest.mark.parametrize("count", [0, 2])
def test_it_needs_exactly_one_briefing(contributor, count):
    briefings = BriefingFactory.create_batch(2)
    response = start_next(contributor, *briefings[:count])
    assert response.status_code == 302 and response["Location"].endswith(BRIEFING_LIST)
    assert Briefing.objects.count() == 2
    if count:
        assert "Select exactly one briefing." in message_texts(response)
    else:  # Django's own refusal, before any action runs
        assert any("Items must be selected" in text for text in message_texts(response))


def test_a_user_who_may_not_add_briefings_is_refused(django_user_model, last_week):
    reader = staff_client(django_user_model, "reader")
    reader_user = django_user_model.objects.get(username="reader")
    reader_user.user_permissions.add(Permission.objects.get(codename="view_briefing"))

    page = reader.get(BRIEFING_LIST)
    assert page.status_code == 200
    actions = [value for value, _label in page.context["action_form"].fields["action"].choices]
    assert "start_next_briefing" not in actions
    # A POST the page does not offer, on the list and on the change form's button alike.
    start_next(reader, last_week)
    assert reader.post(f"/admin/briefings/briefing/{last_week.pk}/next/").status_code == 403
    assert Briefing.objects.count() == 1


def test_the_change_form_button_starts_the_next_briefing(contributor, last_week):
    change_form = contributor.get(f"/admin/briefings/briefing/{last_week.pk}/change/")
    next_url = f"/admin/briefings/briefing/{last_week.pk}/next/"
    assert f'action="{next_url}"' in change_form.content.decode()

    assert contributor.get(next_url).status_code == 405  # a GET changes nothing
    response = contributor.post(next_url)
    new = Briefing.objects.exclude(pk=last_week.pk).get()
    assert response["Location"] == f"/admin/briefings/briefing/{new.pk}/change/"
    assert new.status == Status.DRAFT
