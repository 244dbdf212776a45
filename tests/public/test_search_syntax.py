"""A search as readers type it: whatever they type, each database gets a well-formed query, and
the search page answers with results or a message, never an error."""

import importlib
import sqlite3

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from public.search_syntax import fts5_expression, parse, tsquery_text
from tests.support.factories import ArticleFactory

SQLITE_INDEX = importlib.import_module("search.migrations.0003_sqlite_full_text")

# Text made of what either database's own query syntax is made of, with words and spaces.
SYNTAX = st.lists(
    st.sampled_from(
        list("\"-*^:()+{}[],.'&|!<>~ \t") + ["NEAR", "AND", "OR", "NOT", "or", "ä", "_", "x"]
    ),
    max_size=60,
).map("".join)
TYPED = st.one_of(SYNTAX, st.text(max_size=200))

HOSTILE = [
    '"unbalanced quote',
    'oil" exports"',
    "-",
    "- -",
    "or or",
    "or",
    "NEAR(oil exports)",
    "oil*",
    "*",
    "^oil",
    "title: oil",
    "body:oil",
    "{title body}: oil",
    "oil + exports",
    "oil & exports | !iraq",
    "'oil':* <-> exports",
    "_ __",
    "oil " * 40,
]


@pytest.fixture(scope="module")
def fts5_table():
    database = sqlite3.connect(":memory:")
    database.execute(SQLITE_INDEX.index_table("article"))
    database.execute(
        "INSERT INTO search_fts_article VALUES ('Oil exports', 'Iraq', 'NEAR the port', 'x')"
    )
    yield database
    database.close()


@settings(max_examples=400, deadline=None)
@given(text=TYPED, german=st.booleans())
def test_any_text_makes_a_query_fts5_reads(fts5_table, text, german):
    expression = fts5_expression(parse(text), german=german)
    if expression is not None:
        fts5_table.execute(
            "SELECT rowid FROM search_fts_article WHERE search_fts_article MATCH ?", [expression]
        ).fetchall()


@pytest.mark.django_db
@pytest.mark.postgresql
@settings(max_examples=200, deadline=None)
@given(text=TYPED)
def test_any_text_makes_a_query_postgresql_reads(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery('english', %s)::text", [tsquery_text(parse(text))])


def test_syntax_characters_are_read_as_words_or_dropped():
    assert fts5_expression(parse("NEAR(oil exports)")) == '("NEAR oil" AND "exports")'
    assert fts5_expression(parse("title:oil ^port")) == '("title oil" AND "port")'
    assert fts5_expression(parse('-"')) is None
    assert tsquery_text(parse("oil & exports | !iraq")) == "(('oil') & ('exports') & ('iraq'))"


def test_terms_phrases_prefixes_and_alternatives():
    alternatives = parse('"oil exports" refin* -Iraq or Iran')
    assert fts5_expression(alternatives) == (
        '(("oil exports" AND "refin" *) NOT ("Iraq")) OR ("Iran")'
    )
    assert tsquery_text(alternatives) == (
        "(('oil' <-> 'exports') & ('refin':*) & !('Iraq')) | (('Iran'))"
    )


def fts5_finds(database, text: str, german: bool) -> list[int]:
    expression = fts5_expression(parse(text), german=german)
    query = "SELECT rowid FROM search_fts_article WHERE search_fts_article MATCH ? ORDER BY rowid"
    return [rowid for (rowid,) in database.execute(query, [expression])]


@pytest.mark.parametrize(
    ("text", "german", "found"),
    [
        ("Verhandlungen", True, [1, 2]),  # stem and prefix: both numbers
        ("Verhandlungen", False, [2]),  # English reading: the word as written
        ("Gesprache", True, [3]),  # umlauts folded
        ("gespräch", False, [3]),  # Gespräche, by FTS5's English stemmer: the plural's s
        ("Häuser", True, [4]),  # the stem "häus", folded: not "Haus" (Haus is not a prefix)
        ("sanction", False, [5]),  # English stemming
    ],
)
def test_what_the_sqlite_index_finds_of_german_and_english_words(text, german, found):
    database = sqlite3.connect(":memory:")
    database.execute(SQLITE_INDEX.index_table("article"))
    for rowid, body in enumerate(
        ["Die Verhandlung", "Die Verhandlungen", "Gespräche", "Häuser", "Sanctions"], start=1
    ):
        database.execute(
            "INSERT INTO search_fts_article (rowid, body) VALUES (?, ?)", [rowid, body]
        )
    assert fts5_finds(database, text, german) == found


def test_german_words_are_cut_to_a_stem_and_matched_by_prefix():
    assert fts5_expression(parse("Verhandlungen Gespräche"), german=True) == (
        '("verhandlung" * AND "gespräch" *)'
    )
    # Short words and phrases are matched whole: a short prefix matches unrelated words.
    assert fts5_expression(parse('Rat "die Lage"'), german=True) == '("Rat" AND "die Lage")'


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE)
def test_the_search_page_answers_any_query(client, query):
    ArticleFactory(title="Oil exports", excerpt="NEAR the port of Basra.")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "page" in response.context or response.context["form"].errors
