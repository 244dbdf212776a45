"""Cited outlets: parsing inline citations, rebuilding them, and the public source pages."""

import datetime as dt
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command

from briefings.models import Briefing
from publishing.models import Status
from sources.citations import find_citations
from sources.models import Citation, Source
from sources.services import refresh_citations
from tests.support.factories import BriefingFactory, BulletFactory, SectionFactory
from tests.support.paths import SHARED

SEED = SHARED / "seeds" / "backissue-2020-10-18.txt"

OCTOBER = (dt.date(2020, 10, 1), dt.date(2020, 10, 18))
JANUARY = (dt.date(2021, 1, 1), dt.date(2021, 1, 10))


# Parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks resumed (Mehr, October 4).", [("Mehr", dt.date(2020, 10, 4))]),
        ("A raid (Farda News, October 13).", [("Farda News", dt.date(2020, 10, 13))]),
        ("A photo (Mehr, October 4, 2020).", [("Mehr", dt.date(2020, 10, 4))]),
        ("Older (ISNA, October 11, 2019).", [("ISNA", dt.date(2019, 10, 11))]),
        ("Abbreviated (Times of Israel, Oct. 3).", [("Times of Israel", dt.date(2020, 10, 3))]),
        ("Auf Deutsch (Tasnim, 12. Oktober).", [("Tasnim", dt.date(2020, 10, 12))]),
        ("Auch so (ILNA, Oktober 11).", [("ILNA", dt.date(2020, 10, 11))]),
        (
            "Two outlets (Reuters; AP, October 2).",
            [("Reuters", dt.date(2020, 10, 2)), ("AP", dt.date(2020, 10, 2))],
        ),
        (
            "Two in a row (Fars, October 13) and (Tasnim, October 12).",
            [("Fars", dt.date(2020, 10, 13)), ("Tasnim", dt.date(2020, 10, 12))],
        ),
    ],
)
def test_dated_parentheses_are_citations(text, expected):
    assert find_citations(text, *OCTOBER) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The guards (IRGC) deployed.",
        "It happened earlier (October 10).",
        "Two visitors (probably deputy foreign ministers) came.",
        "An undated outlet (Reuters) is not told apart from an acronym.",
        "A weekday (Monday, October 5) is not an outlet.",
        "Not a month (Mehr, Octember 4).",
        "Not a day (Mehr, October 40).",
        "Lower case (according to Mehr, October 4).",
        "Too many words (One Two Three Four Five, October 4).",
    ],
)
def test_other_parentheses_are_not_citations(text):
    assert find_citations(text, *OCTOBER) == []


def test_december_citations_in_a_january_briefing_belong_to_the_year_before():
    text = "Protests (IRNA, December 28) and a reply (Mehr, January 3)."
    assert find_citations(text, *JANUARY) == [
        ("IRNA", dt.date(2020, 12, 28)),
        ("Mehr", dt.date(2021, 1, 3)),
    ]


def test_a_citation_without_a_known_year_keeps_its_outlet_without_a_date():
    assert find_citations("(Mehr, October 4)", None, None) == [("Mehr", None)]


# Rebuilding


def cited(bullet) -> list[tuple[str, dt.date | None]]:
    return [(c.source.name, c.date) for c in bullet.citations.select_related("source")]


@pytest.mark.django_db
def test_refresh_replaces_citations_and_matches_outlets_whatever_their_case():
    briefing = BriefingFactory(period_start=OCTOBER[0], period_end=OCTOBER[1])
    first = BulletFactory(briefing=briefing, text="A (Mehr, October 4) and (Fars, October 13).")
    second = BulletFactory(
        briefing=briefing, section=SectionFactory(briefing=briefing), text="B (MEHR, October 12)."
    )
    refresh_citations([briefing])
    assert cited(first) == [("Mehr", dt.date(2020, 10, 4)), ("Fars", dt.date(2020, 10, 13))]
    assert cited(second) == [("Mehr", dt.date(2020, 10, 12))]
    assert Source.objects.count() == 2

    first.text = "Now only (ISNA, October 11)."
    first.save()
    refresh_citations([briefing.pk])
    assert cited(first) == [("ISNA", dt.date(2020, 10, 11))]
    assert Citation.objects.filter(bullet__briefing=briefing).count() == 2


@pytest.mark.django_db
def test_refresh_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    briefings = [BriefingFactory() for _ in range(3)]
    for n, briefing in enumerate(briefings):
        for i in range(10):
            BulletFactory(
                briefing=briefing, text=f"Item (Outlet {chr(65 + n)}{chr(65 + i)}, March 2)."
            )
    with django_assert_max_num_queries(8):
        refresh_citations(briefings)
    assert Citation.objects.count() == 30


@pytest.mark.django_db
def test_management_command_refreshes_every_briefing():
    BulletFactory(text="A (Mehr, March 2).")
    BulletFactory(text="B (Fars, March 3).")
    output = StringIO()
    call_command("refresh_citations", stdout=output)
    assert "2 citations in 2 briefings" in output.getvalue()
    assert sorted(Source.objects.values_list("name", flat=True)) == ["Fars", "Mehr"]


# Pages


def cite(text: str, **briefing_fields):
    briefing = BriefingFactory(**briefing_fields)
    bullet = BulletFactory(briefing=briefing, text=text)
    refresh_citations([briefing])
    return bullet


@pytest.mark.django_db
def test_source_index_counts_bullets_of_published_briefings_only(client, tomorrow):
    cite("A (Mehr, March 2) again (Mehr, March 3).")
    cite("B (Mehr, March 4).")
    cite("Draft (Mehr, March 5) (Hidden Outlet, March 5).", status=Status.DRAFT)
    cite("Scheduled (Later Outlet, March 6).", published_at=tomorrow)
    response = client.get("/sources/")
    assert response.status_code == 200
    assert [(s.name, s.bullet_count) for s in response.context["sources"]] == [("Mehr", 2)]
    assert b"Hidden Outlet" not in response.content
    assert b"Later Outlet" not in response.content


@pytest.mark.django_db
def test_source_page_lists_citing_bullets_newest_first_with_links(client, now):
    older = cite("Older (Mehr, March 2).", published_at=now - dt.timedelta(days=9))
    newer = cite("Newer (Mehr, March 9) (Mehr, March 10).", published_at=now)
    cite("Draft (Mehr, March 5).", status=Status.DRAFT)
    response = client.get("/sources/mehr/")
    assert response.status_code == 200
    assert list(response.context["bullets"]) == [newer, older]
    assert newer.briefing.get_absolute_url().encode() in response.content
    assert b"Draft" not in response.content


@pytest.mark.django_db
def test_source_page_is_paginated(client, settings):
    settings.ITEMS_PER_PAGE = 2
    for _ in range(3):
        cite("Item (Mehr, March 2).")
    assert len(client.get("/sources/mehr/").context["bullets"]) == 2
    assert len(client.get("/sources/mehr/?page=2").context["bullets"]) == 1
    assert client.get("/sources/mehr/?page=3").status_code == 404


@pytest.mark.django_db
def test_source_without_a_published_citation_is_a_404(client):
    cite("Draft (Mehr, March 5).", status=Status.DRAFT)
    assert client.get("/sources/mehr/").status_code == 404
    assert client.get("/sources/nobody/").status_code == 404


@pytest.mark.django_db
def test_source_pages_query_counts_do_not_grow(client, settings, django_assert_max_num_queries):
    settings.ITEMS_PER_PAGE = 5
    for n in range(30):
        cite(f"Item (Mehr, March 2) (Outlet {chr(65 + n)}, March 3).")
    for url in ["/sources/", "/sources/mehr/", "/sources/mehr/?page=2"]:
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200, url


# The seed page, through the importer


@pytest.mark.django_db
def test_seed_briefing_yields_its_citations(client):
    if not SEED.exists():
        pytest.skip(f"{SHARED} not present: the seed page is test data kept outside the repo")
    call_command("import_backissues", str(SEED), stdout=StringIO())  # refreshes citations
    briefing = Briefing.objects.get()
    found = set(
        Citation.objects.filter(bullet__briefing=briefing).values_list("source__name", "date")
    )
    for outlet, day in [
        ("Mehr", 4),
        ("Mehr", 12),
        ("Fars", 13),
        ("Fars", 14),
        ("Tasnim", 12),
        ("ILNA", 11),
        ("ISNA", 11),
        ("Farda News", 13),
    ]:
        assert (outlet, dt.date(2020, 10, day)) in found
    assert not Source.objects.filter(name__in=["IRGC", "SDF", "October"]).exists()
    response = client.get("/sources/mehr/")
    assert response.status_code == 200
    texts = [bullet.text for bullet in response.context["bullets"]]
    assert texts and all("Mehr" in text for text in texts)


@pytest.mark.django_db
def test_saving_a_briefing_in_the_admin_refreshes_its_citations(rf, admin_user):
    briefing = BriefingFactory()
    BulletFactory(briefing=briefing, text="Edited (Mehr, March 2).")
    request = rf.post(f"/{settings.ADMIN_URL}")
    request.user = admin_user
    form = SimpleNamespace(instance=briefing, save_m2m=lambda: None)
    admin.site._registry[Briefing].save_related(request, form, formsets=[], change=True)
    assert Citation.objects.filter(bullet__briefing=briefing, source__slug="mehr").exists()
