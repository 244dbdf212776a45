"""Full-text search of published items, ranked, on PostgreSQL and on SQLite alike.

What a reader types is read once (public/search_syntax.py) and written as each database's
query. On PostgreSQL a search reads one narrow table, `SearchEntry`: one row per item of either
kind with its weighted vector (title > standfirst > body), status, date, language and the
opening of its plain text, which triggers keep current (search migration 0002) and GIN
indexes; the query is read in the text search configuration of each item's language;
languages are those of `settings.CONTENT_LANGUAGES`. On SQLite an FTS5 index per kind holds
the same text in weighted columns, kept current with the entries by SQLite triggers (search
migration 0003); German items are matched by prefix, as FTS5 stems English only.

Only the newest 500 matches of each kind are ranked (RANKED_MATCHES), 1,000 in all. Finding
them takes a walk down the date index or one GIN scan, however common the word; ranking every
match of a common word read tens of thousands of vectors. So a word with more matches than that
lists the best of its newest 500 briefings and 500 excerpts, and older matches are not listed:
a year or a topic narrows the search to reach them. A rarer word has all its matches ranked.

The query (public/sql.py) finds the (kind, id) of a page's rows across both kinds,
best ranked first, with snippets made only for the rows shown. On PostgreSQL they come from the
opening SNIPPET_SOURCE_LENGTH characters of their text: an item matching only further on is
found but shows no snippet; FTS5 cuts them wherever the words are. Each kind then fetches its
rows for the cards.
"""

from html import unescape

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from articles.models import Article
from briefings.models import Briefing
from public import search_syntax, sql
from public.sql import MARK_START, MARK_STOP
from public.stream import StreamPage, for_listing, page_of, page_window
from publishing.models import attach_tags

# An item's language -> its text search configuration; `newsroom_search_config()` in SQL agrees.
SEARCH_CONFIGS = {"en": "english", "de": "german", "fr": "french", "tr": "turkish"}
FALLBACK_CONFIG = "simple"

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200

# Only the newest matches of each kind are ranked: ranking reads each match's whole vector.
RANKED_MATCHES = 500

# Snippets come from the opening of an item's text: ts_headline reads every word it is given.
# The entries keep the opening 1,000 characters (search migration 0002); this may only be less.
SNIPPET_SOURCE_LENGTH = 1000

KINDS = {"briefing": Briefing, "article": Article}


def kinds_wanted(data: dict) -> list[str]:
    return [data["kind"]] if data.get("kind") else list(KINDS)


def search_page(data: dict, number: int, per_page: int) -> StreamPage:
    page = page_of(ranked_rows(data, page_window(number, per_page)), number, per_page)
    fetched = for_listing([(kind, pk) for kind, pk, _headline in page.items], KINDS)
    items = []
    for kind, pk, headline in page.items:
        # An item deleted since its entry was read is left out.
        if item := fetched.get((kind, pk)):
            item.snippet = safe_snippet(headline)
            items.append(item)
    page.items = attach_tags(items)
    return page


def ranked_rows(data: dict, window: slice) -> list[tuple[str, int, str | None]]:
    """(kind, id, headline) in `window` of the newest matches of each kind, best ranked first."""
    if connection.vendor == "postgresql":
        return postgresql_ranked_rows(data, window)
    return sqlite_ranked_rows(data, window)


def safe_snippet(headline: str | None) -> SafeString | None:
    """The headline escaped whole; only the matches it marked become <mark> elements."""
    if not headline or MARK_START not in headline:
        return None
    escaped = escape(unescape(headline))
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


# PostgreSQL


def content_configs() -> dict[str, str]:
    """Each language an item may be written in -> its text search configuration."""
    return {
        language: SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)
        for language, _name in settings.CONTENT_LANGUAGES
    }


def languages_by_reading(text: str) -> dict[str, list[str]]:
    """The content languages grouped by how their configuration reads `text`, by configuration.

    Stemmers often read a query alike (a name, a word stemmed to itself): one group, one scan.
    """
    configs = sorted(set(content_configs().values()))
    reading_of = dict(zip(configs, sql.readings(configs, text), strict=True))
    groups: dict[str, tuple[str, list[str]]] = {}
    for language, config in content_configs().items():
        groups.setdefault(reading_of[config], (config, []))[1].append(language)
    return dict(groups.values())


def postgresql_ranked_rows(data: dict, window: slice) -> list[tuple[str, int, str | None]]:
    text = search_syntax.tsquery_text(search_syntax.parse(data["q"]))
    readings = languages_by_reading(text)
    matches = [
        sql.newest_matches(kind, data, text, readings, settings.LANGUAGE_CODE, RANKED_MATCHES)
        for kind in kinds_wanted(data)
    ]
    return sql.ranked_rows(matches, text, window, SNIPPET_SOURCE_LENGTH)


# SQLite


def expressions_by_language(text: str) -> dict[str, list[str]]:
    """The FTS5 query of `text` for each content language, grouped by query: German items are
    matched by prefix, the others as written (public/search_syntax.py)."""
    alternatives = search_syntax.parse(text)
    groups: dict[str, list[str]] = {}
    for language, _name in settings.CONTENT_LANGUAGES:
        expression = search_syntax.fts5_expression(alternatives, german=language == "de")
        if expression:
            groups.setdefault(expression, []).append(language)
    return groups


def sqlite_ranked_rows(data: dict, window: slice) -> list[tuple[str, int, str | None]]:
    expressions = expressions_by_language(data["q"])
    if not expressions:  # nothing asked to be present: FTS5 cannot search for absence
        return []
    kinds = kinds_wanted(data)
    matches = [sql.fts5_newest_matches(kind, data, expressions, RANKED_MATCHES) for kind in kinds]
    return sql.fts5_ranked_rows(matches, kinds, window)


# The form's choices


def topics_in_use() -> list[tuple[str, str]]:
    """(slug, name) of the tags published items carry, by name, in one query."""
    used = Q()
    for model in KINDS.values():
        tagged = model.tags.through.objects.filter(content_object__in=model.objects.published())
        used |= Q(pk__in=tagged.values("tag_id"))
    return list(Tag.objects.filter(used).order_by("name").values_list("slug", "name"))


def years_with_items() -> list[int]:
    """The years (in the site's time zone) with published items, newest first, in one query."""
    years = [
        model.objects.published()
        .order_by()
        .annotate(year=ExtractYear("published_at"))
        .values("year")
        for model in KINDS.values()
    ]
    return sorted({year for (year,) in years[0].union(years[1]).values_list("year")}, reverse=True)
