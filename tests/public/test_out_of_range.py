"""Numbers and dates in an address or query string that no page has answer 404, never a server
error, on PostgreSQL (where a number past 64 bits is a DataError) and SQLite (an OverflowError).

The property test walks the URL resolver, so a pattern added later is covered without a word
here: each pattern's parameters and the query parameters views read get huge, negative, zero,
non-ASCII and junk values."""

import contextlib
import datetime as dt
import re
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from publishing.roles import EDITOR
from sources.models import Citation, Source
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db

PUBLISHED = timezone.make_aware(dt.datetime(2020, 10, 15, 12, 0))

# Numbers no page has: past 64 bits, negative, zero, digits of other scripts, not numbers.
OUT_OF_RANGE = [
    "9223372036854775808",  # one past the largest 64-bit integer
    "99999999999999999999",
    "-1",
    "0",
    "٣",  # Arabic-Indic three
    "²",  # a digit to str.isdigit(), not to int()
    "１",  # fullwidth one
]


@pytest.fixture
def world():
    """One published item of each kind, with a publication, people, a tag and a cited source."""
    writer = PersonFactory(slug="writer")
    article = ArticleFactory(
        slug="border-economy",
        title="Border economy",
        publication=PublicationFactory(slug="review"),
        authors=[writer],
        tags=["region"],
        published_at=PUBLISHED,
    )
    briefing = BriefingFactory(
        slug="weekly", editor=writer, tags=["region"], published_at=PUBLISHED
    )
    bullet = BulletFactory(briefing=briefing)
    Citation.objects.create(bullet=bullet, source=Source.objects.create(name="Mehr", slug="mehr"))
    return article


LISTINGS = [
    "/",
    "/briefings/",
    "/articles/",
    "/tags/region/",
    "/publications/review/",
    "/people/writer/",
    "/sources/mehr/",
    "/search/?q=border",
    "/de/",
    "/de/people/writer/",
]


def with_query(url: str, **params: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("listing", LISTINGS)
def test_a_page_number_no_listing_has_is_404(client, world, listing, value):
    assert client.get(listing).status_code == 200
    assert client.get(with_query(listing, page=value)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/archive/9999/",
        "/archive/9999/12/",
        "/archive/9999/12/31/",
        "/archive/10000/",
        "/archive/0000/",
        "/archive/0001/",
        "/archive/0001/01/01/",
        "/archive/2020/0/",
        "/archive/2020/13/",
        "/archive/2020/10/32/",
        "/articles/9999/12/31/border-economy/",
        "/articles/0001/01/01/border-economy/",
        "/articles/2020/13/15/border-economy/",
        "/articles/2020/10/32/border-economy/",
        "/briefings/9999/12/31/weekly/",
        "/de/archive/9999/12/",
        "/?p=9223372036854775808",
        "/?p=99999999999999999999",
        "/sitemap-articles.xml?p=99999999999999999999",
        "/sitemap-articles.xml?p=٣",
    ],
)
def test_a_date_or_number_out_of_range_in_an_address_is_404(client, world, url):
    assert client.get(url).status_code == 404


def test_the_edges_of_the_archives_still_answer(client, world):
    """Years 2 to 9998 are dates like any other: empty, so 404, but never an overflow."""
    for url in ["/archive/0002/", "/archive/9998/12/", "/archive/9998/12/31/"]:
        assert client.get(url).status_code == 404, url
    ArticleFactory(published_at=timezone.make_aware(dt.datetime(2, 1, 5, 12, 0)))
    assert client.get("/archive/0002/01/05/").status_code == 200


@pytest.mark.parametrize("year", [*OUT_OF_RANGE, "1899", "3000"])
def test_a_search_year_out_of_range_is_the_forms_error(client, world, year):
    response = client.get(with_query("/search/", q="border", year=year))
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert "page" not in response.context


@pytest.fixture
def editor(django_user_model) -> Client:
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", [*OUT_OF_RANGE, "abc", ""])
def test_the_admins_compare_view_answers_404_for_versions_out_of_range(editor, world, value):
    url = f"/{settings.ADMIN_URL}articles/article/{world.pk}/history/compare/"
    for query in [{"old": value, "new": "1"}, {"old": "1", "new": value}]:
        assert editor.get(with_query(url, **query)).status_code == 404, query


# --- Every public URL pattern, with hostile values -----------------------------------------

# Not public: the admin and nested_admin's helpers.
PRIVATE_PREFIXES = (settings.ADMIN_URL, "_nested_admin/")
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def public_routes() -> list[tuple[str, bool, dict[str, str]]]:
    """(route, whether it is under the language prefix, {parameter: its converter's regex}) of
    every URL pattern readers may reach, found by walking the URL resolver."""
    found = []

    def walk(patterns, prefix: str, localised: bool) -> None:
        for entry in patterns:
            pattern = entry.pattern
            is_language_prefix = isinstance(pattern, LocalePrefixPattern)
            route = prefix + ("" if is_language_prefix else str(pattern))
            if route.startswith(PRIVATE_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route, localised or is_language_prefix)
            elif isinstance(entry, URLPattern):
                regexes = {name: conv.regex for name, conv in pattern.converters.items()}
                found.append((route, localised, regexes))

    walk(get_resolver().url_patterns, "", False)
    return found


PUBLIC_ROUTES = public_routes()

# Each parameter's value on a page of the world above, so that a hostile value in one place
# reaches a page that exists; slugs by the route's first part. A new pattern whose parameter is
# not here fails test_every_route_answers_with_the_worlds_values, asking for one.
VALUES = {"year": "2020", "month": "10", "day": "15", "section": "articles"}
SLUGS = {
    "articles": "border-economy",
    "briefings": "weekly",
    "tags": "region",
    "publications": "review",
    "people": "writer",
    "sources": "mehr",
}
# Always sent: search reads its page and year only with words to search for.
BASE_QUERY = {"q": "border"}
# The numbers views read from the query: pages, search's year, the old site's permalinks.
QUERY_PARAMETERS = ["page", "year", "p", "page_id"]


def valid_value(route: str, name: str) -> str:
    return SLUGS[route.split("/")[0]] if name == "slug" else VALUES[name]


def address(route: str, language: str, values: dict[str, str], query: dict[str, str]) -> str:
    path = PARAMETER.sub(lambda match: quote(values[match.group(1)], safe=""), route)
    return f"{language}/{path}?{urlencode(query)}"


def test_the_walk_finds_every_public_pattern():
    routes = {route for route, _localised, _regexes in PUBLIC_ROUTES}
    assert len(routes) >= 30
    for expected in ["", "archive/<yyyy:year>/<nn:month>/<nn:day>/", "people/<slug:slug>/feed/"]:
        assert expected in routes
    assert ("sitemap.xml", False, {}) in PUBLIC_ROUTES and ("search/", True, {}) in PUBLIC_ROUTES
    assert not any(route.startswith(PRIVATE_PREFIXES) for route in routes)


def test_every_route_answers_with_the_worlds_values(client, world):
    for route, localised, regexes in PUBLIC_ROUTES:
        values = {name: valid_value(route, name) for name in regexes}
        for language in ["", "/de"] if localised else [""]:
            url = address(route, language, values, BASE_QUERY)
            assert client.get(url).status_code == 200, url


# Tried first: in the query, numbers out of range and digits int() reads and does not; in a
# path, those the converter lets through of them and of the edges of dates. Then hypothesis
# draws others: any number, any text, any value the converter matches.
QUERY_EDGES = ["9223372036854775808", "-1", "٣", "²"]
PATH_EDGES = [*QUERY_EDGES, "9999", "0000", "0001", "00", "13", "32"]
SOME_NUMBER = st.integers(min_value=-(2**80), max_value=2**80).map(str)
RANDOM_EXAMPLES = 3

# What a reader may get: the page, a redirect to its canonical address, or 404. Never a 5xx;
# and never a page at an address with a path edge in it: at most a redirect from an item's
# address under another real date ("13" as its day) to its own.
ANSWERS = {200, 301, 302, 404}
NOT_A_PAGE = {301, 404}


def assert_no_server_error(
    client, route: str, localised: bool, place: str, edges: list[str], regex: str = ".*"
) -> None:
    """Hostile values in `place` (a parameter, or "?name" for the query) of `route`, the rest
    of the address as on a page that exists."""
    values = {name: valid_value(route, name) for name in PARAMETER.findall(route)}
    languages = ["", "/de"] if localised else [""]

    def url_with(value: str, language: str) -> str:
        if place.startswith("?"):
            return address(route, language, values, {**BASE_QUERY, place[1:]: value})
        return address(route, language, {**values, place: value}, BASE_QUERY)

    @hypothesis_settings(
        max_examples=RANDOM_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        value=st.one_of(SOME_NUMBER, st.text(max_size=12), st.from_regex(regex, fullmatch=True)),
        language=st.sampled_from(languages),
    )
    def answers_without_error(value: str, language: str) -> None:
        url = url_with(value, language)
        status = client.get(url).status_code
        edge_in_path = not place.startswith("?") and value in PATH_EDGES
        assert status in (NOT_A_PAGE if edge_in_path else ANSWERS), f"{url} answered {status}"

    for index, value in enumerate(edges):
        # Both languages in turn: a prefix is one more thing the resolver reads.
        language = languages[index % len(languages)]
        answers_without_error = example(value=value, language=language)(answers_without_error)
    answers_without_error()


@pytest.mark.parametrize(
    ("route", "localised", "regexes"),
    [pytest.param(*entry, id=entry[0] or "home") for entry in PUBLIC_ROUTES],
)
def test_no_hostile_value_anywhere_is_a_server_error(client, world, route, localised, regexes):
    for name, regex in regexes.items():
        edges = [value for value in PATH_EDGES if re.fullmatch(regex, value)]
        assert_no_server_error(client, route, localised, name, edges, regex)
    for name in QUERY_PARAMETERS:
        assert_no_server_error(client, route, localised, f"?{name}", QUERY_EDGES)


# --- Every admin page that takes a number or an id, with hostile values -----------------------

HOSTILE_IDS = ["9223372036854775808", "99999999999999999999", "-1", "٣", "abc"]
# What the changelists read from their query string: page, ordering, date drill-down, filters.
HOSTILE_LIST_QUERIES = [
    {"p": "99999999999999999999"},
    {"p": "-1"},
    {"o": "99999999999999999999"},
    {"o": "abc.-٣"},
    {"published_at__year": "99999"},
    {"published_at__year": "2020", "published_at__month": "13"},
    {"published_at__year": "2020", "published_at__month": "2", "published_at__day": "31"},
    {"id__exact": "99999999999999999999"},
    {"q": "\x00"},
]


def admin_addresses(value: str) -> list[str]:
    """Every address of every model's admin that takes parameters, each given `value`."""
    addresses = []
    for model_admin in admin.site._registry.values():
        for pattern in model_admin.urls:
            parameters = pattern.pattern.regex.groups
            if not parameters or not pattern.name:
                continue
            with contextlib.suppress(NoReverseMatch):
                addresses.append(reverse(f"admin:{pattern.name}", args=[value] * parameters))
    return addresses


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_no_admin_page_fails_on_an_id_out_of_range(admin_client, world, value):
    addresses = admin_addresses(value)
    assert len(addresses) > 50
    failed = [url for url in addresses if admin_client.get(url).status_code >= 500]
    assert failed == []


def test_no_changelist_fails_on_a_query_out_of_range(admin_client, world):
    changelists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    failed = [
        (url, query)
        for url in changelists
        for query in HOSTILE_LIST_QUERIES
        if admin_client.get(url, query).status_code >= 500
    ]
    assert failed == []
