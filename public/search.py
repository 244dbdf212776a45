"""Full-text search of published items: ranked PostgreSQL search, a plain fallback on SQLite.

On PostgreSQL a search reads one narrow table, `SearchEntry`: one row per item of either kind
with its weighted vector (title > standfirst > body), status, date, language and the opening of
its plain text, which triggers keep current (search migration 0002) and GIN indexes. A query
is read as web-search syntax ("a phrase", -not, or), in the text search configuration of each
item's language; languages are those of `settings.CONTENT_LANGUAGES`.

Only the newest 500 matches of each kind are ranked (RANKED_MATCHES), 1,000 in all. Finding
them takes a walk down the date index or one GIN scan, however common the word; ranking every
match of a common word read tens of thousands of vectors. So a word with more matches than that
lists the best of its newest 500 briefings and 500 excerpts, and older matches are not listed:
a year or a topic narrows the search to reach them. A rarer word has all its matches ranked.

The query (public/sql.py) finds the (kind, id) of a page's rows across both kinds,
best ranked first, with snippets made only for the rows shown and only from the opening
SNIPPET_SOURCE_LENGTH characters of their text: an item matching only further on is found but
shows no snippet. Each kind then fetches its rows for the cards.
"""

import re
from html import unescape

from django.conf import settings
from django.db import connection, models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from briefings.models import Briefing
from public import sql
from public.sql import MARK_START, MARK_STOP
from public.stream import StreamPage, for_listing, page_of, page_window, stream_page
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
    if connection.vendor == "postgresql":
        return ranked_page(data, number, per_page)
    querysets = [filtered_queryset(KINDS[kind], data) for kind in kinds_wanted(data)]
    return stream_page([fallback_filter(qs, data["q"]) for qs in querysets], number, per_page)


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


def ranked_rows(data: dict, window: slice) -> list[tuple[str, int, str | None]]:
    """(kind, id, headline) in `window` of the newest matches of each kind, best ranked first."""
    readings = languages_by_reading(data["q"])
    matches = [
        sql.newest_matches(kind, data, readings, settings.LANGUAGE_CODE, RANKED_MATCHES)
        for kind in kinds_wanted(data)
    ]
    return sql.ranked_rows(matches, data["q"], window, SNIPPET_SOURCE_LENGTH)


def ranked_page(data: dict, number: int, per_page: int) -> StreamPage:
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


def safe_snippet(headline: str | None) -> SafeString | None:
    """The headline escaped whole; only the matches it marked become <mark> elements."""
    if not headline or MARK_START not in headline:
        return None
    escaped = escape(unescape(headline))
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


# SQLite fallback: every word in one of the same fields, newest first, no ranking or snippets.


def filtered_queryset(model: type[models.Model], data: dict) -> models.QuerySet:
    """The published items of `model` the form's tag and year allow."""
    qs = model.objects.published()
    if data.get("tag"):
        qs = qs.filter(tags__slug=data["tag"])
    if data.get("year"):
        qs = qs.filter(published_at__year=data["year"])
    return qs


FALLBACK_FIELDS = {
    Briefing: ("title", "series", "sections__title", "bullets__text", "lead_figure__caption"),
    Article: ("title", "standfirst", "excerpt", "editor_note", "figures__caption"),
}


def query_terms(text: str) -> tuple[list[str], list[str]]:
    """Wanted and excluded words or phrases of web-search syntax; `or` is read as `and`."""
    wanted, excluded = [], []
    for token in re.findall(r'-?"[^"]+"|\S+', text):
        negated = token.startswith("-") and len(token) > 1
        term = token.lstrip("-").strip('"')
        if term and term.lower() != "or":
            (excluded if negated else wanted).append(term)
    return wanted, excluded


def fallback_filter(qs: models.QuerySet, text: str) -> models.QuerySet:
    model = qs.model

    def containing(term: str) -> models.QuerySet:
        anywhere = models.Q()
        for field in FALLBACK_FIELDS[model]:
            anywhere |= models.Q(**{f"{field}__icontains": term})
        # Through the parts' joins a row repeats; comparing primary keys counts it once.
        return model.objects.filter(anywhere).values("pk")

    wanted, excluded = query_terms(text)
    for term in wanted:
        qs = qs.filter(pk__in=containing(term))
    for term in excluded:
        qs = qs.exclude(pk__in=containing(term))
    return qs
