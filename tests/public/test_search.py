"""Search: ranked full-text search on PostgreSQL and on SQLite (FTS5), one page for both.

Every test not marked `postgresql` runs on both databases: CI runs the suite on each.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleFigure
from briefings.models import Bullet
from public import search as search_module
from public.search import content_configs, expressions_by_language, safe_snippet
from public.search_syntax import parse, tsquery_text
from publishing.models import Status
from search.models import SearchEntry
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    SectionFactory,
    days_ago,
)
from tests.support.paths import FIXTURES

pytestmark = pytest.mark.django_db

# What only PostgreSQL has: its configurations, its table's storage, its snippet source.
postgresql_only = pytest.mark.postgresql


def search(client, query: str, **filters) -> list[str]:
    """Titles of the results, in their order."""
    response = client.get("/search/", {"q": query, **filters})
    assert response.status_code == 200
    page = response.context["page"]
    return [item.title for item in page.items]


@pytest.fixture
def sanctions_briefing():
    briefing = BriefingFactory(title="Weekly briefing on the Levant")
    section = SectionFactory(briefing=briefing, title="Lebanon")
    BulletFactory(briefing=briefing, text="Hezbollah officials met a delegation in Beirut.")
    BulletFactory(briefing=briefing, section=section, text="New **sanctions** were announced.")
    return briefing


def test_words_in_different_bullets_find_the_briefing(client, sanctions_briefing):
    assert search(client, "Hezbollah sanctions") == ["Weekly briefing on the Levant"]


def test_an_article_is_found_by_its_excerpt_and_caption(client):
    article = ArticleFactory(title="Ports", excerpt="Grain shipments resumed at dawn.")
    ArticleFigure.objects.create(article=article, caption="A tanker in the harbour")
    assert search(client, "grain") == ["Ports"]
    assert search(client, "tanker") == ["Ports"]


def test_drafts_and_scheduled_items_never_appear(client, tomorrow):
    ArticleFactory(title="Published militia report", excerpt="militia")
    ArticleFactory(title="Draft militia report", excerpt="militia", status=Status.DRAFT)
    BriefingFactory(title="Scheduled militia briefing", published_at=tomorrow)
    assert search(client, "militia") == ["Published militia report"]


def test_filters_by_kind_tag_and_year(client):
    ArticleFactory(title="Tagged convoy", excerpt="convoy", tags=["border"])
    ArticleFactory(title="Untagged convoy", excerpt="convoy", published_at=days_ago(800))
    BriefingFactory(title="Convoy briefing")
    assert search(client, "convoy", kind="briefing") == ["Convoy briefing"]
    assert search(client, "convoy", tag="border") == ["Tagged convoy"]
    assert search(client, "convoy", year=days_ago(800).year) == ["Untagged convoy"]


def test_topic_and_year_are_chosen_from_those_of_published_items(client, tomorrow):
    ArticleFactory(title="Old", tags=["border"], published_at=days_ago(800))
    BriefingFactory(title="New", tags=["energy"])
    ArticleFactory(title="Draft", tags=["secret"], status=Status.DRAFT)
    BriefingFactory(title="Scheduled", tags=["later"], published_at=tomorrow)
    form = client.get("/search/").context["form"]
    assert [value for value, _label in form.fields["tag"].choices] == ["", "border", "energy"]
    years = sorted({days_ago(800).year, days_ago(2).year}, reverse=True)
    assert [value for value, _label in form.fields["year"].choices] == ["", *years]
    page = client.get("/search/").content.decode()
    assert '<select name="tag"' in page and '<option value="border">border</option>' in page
    assert '<select name="year"' in page


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"tag": "secret"}, "No published item carries the topic “secret”."),
        ({"year": "1999"}, "Nothing was published in 1999."),
    ],
)
def test_a_topic_or_year_without_items_is_named_in_a_message(client, filters, message):
    ArticleFactory(title="Convoy", tags=["border"])
    ArticleFactory(title="Hidden", tags=["secret"], status=Status.DRAFT)
    response = client.get("/search/", {"q": "convoy", **filters})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "page" not in response.context


@pytest.mark.parametrize(
    ("query", "message"),
    [("x", "at least 2 characters"), ("word " * 41, "200 characters or fewer")],
)
def test_a_short_or_long_query_gets_a_message_and_runs_no_search(client, query, message):
    ArticleFactory(title="Anything")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "page" not in response.context
    # Only the form's choices are read: its topics and its years.
    assert len(queries) == 2
    assert not any("search_" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_shows_the_form(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "Type a word or two" in response.content.decode()
    assert "page" not in response.context


def test_pages_keep_the_query(client, settings):
    settings.ITEMS_PER_PAGE = 2
    for n in range(3):
        ArticleFactory(title=f"Refinery {n}", excerpt="refinery")
    response = client.get("/search/", {"q": "refinery", "kind": "article"})
    assert 'href="?q=refinery&amp;kind=article&amp;page=2"' in response.content.decode()
    assert len(search(client, "refinery", page=2)) == 1
    assert client.get("/search/", {"q": "refinery", "page": 3}).status_code == 404


def test_the_search_page_runs_a_bounded_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.ITEMS_PER_PAGE = 10
    for n in range(12):
        ArticleFactory(title=f"Pipeline {n}", excerpt="pipeline", tags=["energy"])
        FigureFactory(briefing=BriefingFactory(title=f"Pipeline briefing {n}", tags=["energy"]))
    with django_assert_max_num_queries(8):
        assert len(search(client, "pipeline")) == 10


def test_the_header_has_a_search_box(client):
    assert 'action="/search/"' in client.get("/").content.decode()


def test_only_the_marks_of_a_snippet_are_markup():
    raw = "<script>alert(1)</script> &amp; \ue000Tehran\ue001 <b>talks</b>"
    assert safe_snippet(raw) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>Tehran</mark> &lt;b&gt;talks&lt;/b&gt;"
    )


def test_every_word_is_found_anywhere_in_any_case(client, sanctions_briefing):
    ArticleFactory(title="Hezbollah abroad", excerpt="Sanctions on banks.")
    found = search(client, "hezbollah SANCTIONS")
    assert sorted(found) == ["Hezbollah abroad", "Weekly briefing on the Levant"]
    assert search(client, "hezbollah -beirut") == ["Hezbollah abroad"]


def test_or_finds_either_word(client, sanctions_briefing):
    ArticleFactory(title="Kurdish politics", excerpt="Elections in Erbil.")
    ArticleFactory(title="Elsewhere", excerpt="Nothing of either.")
    found = search(client, "Hezbollah or Kurdish")
    assert sorted(found) == ["Kurdish politics", "Weekly briefing on the Levant"]


def test_or_binds_looser_than_and(client):
    # As PostgreSQL reads it: "a b or c" is "a and b" or "c".
    ArticleFactory(title="Both", excerpt="Grain and oil.")
    ArticleFactory(title="Grain only", excerpt="Grain.")
    ArticleFactory(title="Cranes", excerpt="Cranes.")
    assert sorted(search(client, "grain oil or cranes")) == ["Both", "Cranes"]


def test_the_form_explains_the_syntax_it_reads(client):
    help_text = client.get("/search/").content.decode()
    for example in ('("oil exports")', "(-Iraq)", " or for either word", "(refin*)"):
        assert example in help_text


def test_a_word_ending_in_a_star_is_a_prefix(client):
    ArticleFactory(title="Ports", excerpt="Refineries were shut.")
    ArticleFactory(title="Grain", excerpt="Grain shipments resumed.")
    assert search(client, "refin*") == ["Ports"]
    assert search(client, "refin") == []


def test_a_hyphenated_name_is_found_whole(client):
    ArticleFactory(title="Reported", excerpt="Al-Monitor reported it first.")
    ArticleFactory(title="Apart", excerpt="Al said the monitor was off.")
    assert search(client, "Al-Monitor") == ["Reported"]


def test_german_stemming_finds_the_singular(client):
    BriefingFactory(title="Wochenbericht", language="de")
    BulletFactory(
        briefing__title="Wochenbericht 2", briefing__language="de", text="Die Verhandlung"
    )
    assert search(client, "Verhandlungen") == ["Wochenbericht 2"]


def test_german_plurals_find_the_singular_with_or_without_umlaut(client):
    BriefingFactory(title="Wochenbericht", language="de")
    BulletFactory(briefing__title="Gespräch", briefing__language="de", text="Ein Gespräch in Wien")
    ArticleFactory(title="Triest", language="de", excerpt="Der Hafen von Triest.")
    assert search(client, "Gespräche") == ["Gespräch"]
    assert search(client, "Häfen") == ["Triest"]
    assert search(client, "Hafens") == ["Triest"]


def test_snippets_are_escaped_but_for_their_marks(client):
    ArticleFactory(
        title="Markup", excerpt="A `<script>alert(1)</script>` tag & sanctions <b>bold</b>."
    )
    (item,) = client.get("/search/", {"q": "sanctions"}).context["page"].items
    assert "<mark>sanctions</mark>" in item.snippet
    assert "<script>" not in item.snippet and "<b>" not in item.snippet
    assert "&lt;script&gt;" in item.snippet


def test_a_results_card_shows_the_words_found_in_place_of_its_teaser(client):
    ArticleFactory(
        title="Ports", standfirst="A standfirst no one searched for.", excerpt="Grain and oil."
    )
    page = client.get("/search/", {"q": "grain"}).content.decode()
    card = page[page.index('<article class="card') : page.index("</article>")]
    assert '<p class="card-text snippet"' in card and "<mark>Grain</mark>" in card
    assert "A standfirst no one searched for." not in page


def test_a_quoted_phrase_needs_the_words_together(client):
    ArticleFactory(title="Together", excerpt="The oil exports fell.")
    ArticleFactory(title="Apart", excerpt="Exports of grain rose; oil fell.")
    assert search(client, '"oil exports"') == ["Together"]
    assert sorted(search(client, "oil exports")) == ["Apart", "Together"]


def test_an_exclusion_and_or_behave_as_web_search(client):
    ArticleFactory(title="Iran", excerpt="Talks in Tehran.")
    ArticleFactory(title="Iraq", excerpt="Talks in Baghdad.")
    assert search(client, "talks -Baghdad") == ["Iran"]
    assert sorted(search(client, "Tehran or Baghdad")) == ["Iran", "Iraq"]


def test_a_title_match_ranks_above_a_body_match(client):
    # The title match is the older row, so the tie-break (newest first) cannot explain the order.
    ArticleFactory(title="The drought deepens", excerpt="Rivers are low.", standfirst="")
    ArticleFactory(title="Markets this week", excerpt="A note on the drought.", standfirst="")
    assert search(client, "drought") == ["The drought deepens", "Markets this week"]


def test_snippets_mark_the_matches(client, sanctions_briefing):
    response = client.get("/search/", {"q": "sanctions"})
    (item,) = response.context["page"].items
    assert "<mark>sanctions</mark>" in item.snippet
    assert "<mark>sanctions</mark>" in response.content.decode()


def test_the_vector_follows_edits_of_parts(client, sanctions_briefing):
    bullet = sanctions_briefing.bullets.first()
    bullet.text = "A ceasefire held."
    bullet.save()
    assert search(client, "ceasefire") == ["Weekly briefing on the Levant"]
    sanctions_briefing.bullets.all().delete()
    assert search(client, "ceasefire") == []
    FigureFactory(briefing=sanctions_briefing, caption="Harbour cranes at dusk")
    assert search(client, "cranes") == ["Weekly briefing on the Levant"]


@postgresql_only
def test_sql_and_python_agree_on_configurations():
    assert content_configs()["fa"] == "simple"
    with connection.cursor() as cursor:
        for language, config in content_configs().items():
            cursor.execute("SELECT newsroom_search_config(%s)::text", [language])
            assert cursor.fetchone()[0] == config


def test_an_item_in_a_language_without_a_configuration_is_found(client):
    ArticleFactory(title="Notes", language="fa", standfirst="", excerpt="Talks in Tehran.")
    assert search(client, "tehran") == ["Notes"]


def test_only_the_newest_matches_of_each_kind_are_ranked(client, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 2)
    older = {"standfirst": "", "published_at": days_ago(30)}
    ArticleFactory(title="The drought deepens", excerpt="Rivers are low.", **older)
    ArticleFactory(title="Markets", excerpt="A note on the drought.", standfirst="")
    ArticleFactory(title="Harvests", excerpt="The drought again.", standfirst="")
    BriefingFactory(title="Drought briefing", published_at=days_ago(40))
    # The older title match would rank first, but only the two newest excerpts are ranked.
    assert search(client, "drought") == ["Drought briefing", "Harvests", "Markets"]
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 3)
    assert sorted(search(client, "drought")[:2]) == ["Drought briefing", "The drought deepens"]


@postgresql_only
def test_a_snippet_comes_from_the_opening_of_the_text(client, monkeypatch):
    monkeypatch.setattr(search_module, "SNIPPET_SOURCE_LENGTH", 40)
    ArticleFactory(title="Early", standfirst="", excerpt="Grain shipments resumed.")
    ArticleFactory(title="Late", standfirst="", excerpt="Cranes idle. " * 5 + "Grain resumed.")
    response = client.get("/search/", {"q": "grain"})
    snippets = {item.title: item.snippet for item in response.context["page"].items}
    assert "<mark>Grain</mark>" in snippets["Early"]
    assert snippets["Late"] is None


@postgresql_only
def test_entries_are_split_by_kind_with_vectors_in_the_row_and_indexed_at_once():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attstorage FROM pg_inherits i"
            " JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'vector'"
            " WHERE i.inhparent = 'search_searchentry'::regclass"
        )
        assert sorted(cursor.fetchall()) == [
            ("search_searchentry_article", "m"),
            ("search_searchentry_briefing", "m"),
        ]
        cursor.execute(
            "SELECT c.reloptions FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'search_entry_vector'::regclass"
        )
        options = cursor.fetchall()
        assert len(options) == 2
        assert all("fastupdate=off" in option for (option,) in options)


def entry(item) -> SearchEntry | None:
    return SearchEntry.objects.filter(kind=item.kind, item_id=item.pk).first()


def entry_matches(item, text: str) -> bool:
    """Whether the item's entry matches `text` as a search of it would, whatever its status."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT vector @@ to_tsquery(newsroom_search_config(language), %s)"
                " FROM search_searchentry WHERE kind = %s AND item_id = %s",
                [tsquery_text(parse(text)), item.kind, item.pk],
            )
            return bool(cursor.fetchone()[0])
        (expression,) = [
            e for e, languages in expressions_by_language(text).items() if "en" in languages
        ]
        cursor.execute(
            f"SELECT count(*) FROM search_fts_{item.kind}"
            f" WHERE search_fts_{item.kind} MATCH %s AND rowid = %s",
            [expression, item.pk],
        )
        return bool(cursor.fetchone()[0])


def test_an_entry_follows_an_excerpt_through_edits_publishing_and_deletion(tomorrow):
    article = ArticleFactory(title="Ports", excerpt="Grain **shipments** resumed.", tags=["x"])
    found = entry(article)
    assert (found.status, found.published_at, found.language) == (
        Status.PUBLISHED,
        article.published_at,
        "en",
    )
    assert entry_matches(article, "grain")
    article.excerpt = "Cranes stood idle."
    article.editor_note = "A *quiet* week."
    article.save()
    assert entry_matches(article, "cranes quiet") and not entry_matches(article, "grain")
    figure = ArticleFigure.objects.create(article=article, caption="A tanker at dawn")
    assert entry_matches(article, "tanker")
    figure.caption = "A ferry at dawn"
    figure.save()
    assert entry_matches(article, "ferry") and not entry_matches(article, "tanker")
    figure.delete()
    assert not entry_matches(article, "ferry")
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    assert entry(article).status == Status.DRAFT
    article.refresh_from_db()
    article.status, article.published_at, article.language = Status.PUBLISHED, tomorrow, "de"
    article.save()
    found = entry(article)
    assert (found.status, found.published_at, found.language) == (
        Status.PUBLISHED,
        tomorrow,
        "de",
    )
    article.delete()
    assert entry(article) is None
    assert not SearchEntry.objects.exists()


def test_an_entry_follows_a_briefing_and_its_parts(client, sanctions_briefing):
    briefing = sanctions_briefing
    assert entry_matches(briefing, "Hezbollah sanctions lebanon levant")
    section = briefing.sections.get()
    section.title = "Syria"
    section.save()
    assert entry_matches(briefing, "syria") and not entry_matches(briefing, "lebanon")
    section.delete()  # with its bullet
    assert not entry_matches(briefing, "sanctions") and not entry_matches(briefing, "syria")
    FigureFactory(briefing=briefing, caption="Harbour cranes at dusk")
    assert entry_matches(briefing, "cranes")
    BulletFactory(briefing=briefing, text="A ceasefire held.")
    assert entry_matches(briefing, "ceasefire")
    briefing.title = "Weekly briefing on Iraq"
    briefing.status = Status.DRAFT
    briefing.save()
    assert entry_matches(briefing, "iraq") and entry(briefing).status == Status.DRAFT
    assert search(client, "ceasefire") == []
    briefing.delete()
    assert entry(briefing) is None


def test_a_part_moved_to_another_item_leaves_the_first_one(client, sanctions_briefing):
    other = BriefingFactory(title="Weekly briefing on the Gulf")
    sanctions_briefing.bullets.filter(text__contains="Hezbollah").update(briefing=other)
    assert search(client, "Hezbollah") == ["Weekly briefing on the Gulf"]
    assert entry_matches(sanctions_briefing, "sanctions")


def test_bulk_inserted_parts_write_the_entry_of_each_item():
    briefings = BriefingFactory.create_batch(2)
    Bullet.objects.bulk_create(
        [
            Bullet(briefing=b, text=f"Convoy {n}", text_html=f"Convoy {n}")
            for b in briefings
            for n in (1, 2)
        ]
    )
    for briefing in briefings:
        assert entry_matches(briefing, '"convoy 1" "convoy 2"')


def test_an_import_writes_entries_its_items_are_found_by(client):
    good = FIXTURES / "import" / "text" / "issue-2021-05-09.txt"
    call_command("import_backissues", str(good), stdout=StringIO(), stderr=StringIO())
    response = client.get("/search/", {"q": "electricity payments"})
    (briefing,) = response.context["page"].items
    assert briefing.kind == "briefing"
    assert "<mark>electricity</mark> <mark>payments</mark>" in briefing.snippet
    assert [
        item.kind for item in client.get("/search/", {"q": "dams upstream"}).context["page"].items
    ] == ["article"]


@postgresql_only
def test_the_snippet_source_is_the_plain_text_of_the_parts_in_order(sanctions_briefing):
    article = ArticleFactory(title="Ports", excerpt="Grain **shipments** resumed.")
    assert "Grain  shipments  resumed." in entry(article).snippet_source
    ArticleFigure.objects.create(article=article, caption="A tanker at dawn")
    assert entry(article).snippet_source.endswith("A tanker at dawn")
    assert entry(sanctions_briefing).snippet_source.startswith("Hezbollah officials")
    FigureFactory(briefing=sanctions_briefing, caption="Harbour cranes at dusk")
    assert entry(sanctions_briefing).snippet_source.endswith("Harbour cranes at dusk")
