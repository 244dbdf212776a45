"""The SQL of full-text search on PostgreSQL, over the search entries (`SearchEntry`).

One query, written here as SQL rather than built through the ORM on each request, finds the
(kind, id) of a page's rows across both kinds, best ranked first, with their snippets:
`ts_headline`, the costly part, runs only for the rows shown, and only over the opening
characters of their text it is given. "Published" is `published()`'s own condition, compiled
from the queryset, not written out here.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from articles.models import TaggedArticle
from briefings.models import TaggedBriefing
from publishing.models import PublishableQuerySet
from search.models import SearchEntry

TAGGED_ITEMS = {"briefing": TaggedBriefing, "article": TaggedArticle}

# Characters no editor types, so the snippet can be escaped whole and only these become <mark>.
MARK_START, MARK_STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxFragments=2, MaxWords=30, '
    'MinWords=12, FragmentDelimiter=" … "'
)


def readings(configs: list[str], text: str) -> list[str]:
    """How each text search configuration reads `text`, as tsquery text, in one query."""
    parsed = ", ".join(["websearch_to_tsquery(%s::regconfig, %s)::text"] * len(configs))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parsed}", [p for config in configs for p in (config, text)])
        return list(cursor.fetchone())


def published_entries() -> tuple[str, list]:
    """The WHERE condition (and its parameters) of `published()` on the search entries, whose
    columns it names by their table: the entries carry their item's status and date."""
    query = PublishableQuerySet(SearchEntry).published().query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.where)
    return sql, list(params)


def narrowing(kind: str, data: dict) -> tuple[str, list]:
    """SQL conditions on the entries (and parameters) for the form's tag and year."""
    entries = SearchEntry._meta.db_table
    sql, params = "", []
    if data.get("tag"):
        tagged = TAGGED_ITEMS[kind]._meta.db_table
        sql += (
            f" AND {entries}.item_id IN (SELECT ti.content_object_id FROM {tagged} ti"
            " JOIN taggit_tag t ON t.id = ti.tag_id WHERE t.slug = %s)"
        )
        params.append(data["tag"])
    if data.get("year"):
        # The year in the site's time zone, as the archives count it.
        start = timezone.make_aware(dt.datetime(data["year"], 1, 1))
        end = timezone.make_aware(dt.datetime(data["year"] + 1, 1, 1))
        sql += f" AND {entries}.published_at >= %s AND {entries}.published_at < %s"
        params += [start, end]
    return sql, params


def newest_matches(
    kind: str, data: dict, readings: dict, main_language: str, limit: int
) -> tuple[str, list]:
    """SQL and parameters: (kind, item_id, published_at, rank) of the newest `limit`
    published entries of `kind` matching the text, for `readings` (configuration ->
    the languages it reads alike).

    One arm per reading, each limited on its own. Each arm's only full-text condition is one
    constant query, which the GIN index answers exactly, without reading the vectors; one OR'ed
    condition per language would be a filter that reads the vector of every match.

    Most items are in the site's own language: the planner may walk the date index, newest
    first, for the reading that covers it, which finds a common word's newest matches soon. An
    arm for other languages only finds all its matches through the GIN index and sorts them
    (OFFSET 0 keeps the limit out of its scan): the planner cannot know that words common among
    all items are rare among those languages' items, and walked through every item for them.
    """
    entries = SearchEntry._meta.db_table
    published_sql, published_params = published_entries()
    extra_sql, extra_params = narrowing(kind, data)
    newest = "ORDER BY published_at DESC, item_id DESC LIMIT %s"
    arms, params = [], []
    for config, languages in readings.items():
        query = "websearch_to_tsquery(%s::regconfig, %s)"
        matching = (
            f"SELECT kind, item_id, published_at, ts_rank(vector, {query}) AS rank"
            f" FROM {entries} WHERE kind = %s AND {published_sql}"
            f" AND language = ANY(%s) AND vector @@ {query}{extra_sql}"
        )
        if main_language in languages:
            arms.append(f"({matching} {newest})")
        else:
            arms.append(f"(SELECT * FROM ({matching} OFFSET 0) AS found {newest})")
        params += [config, data["q"], kind, *published_params, languages, config, data["q"]]
        params += [*extra_params, limit]
    if len(arms) == 1:
        return arms[0], params
    union = " UNION ALL ".join(arms)
    return f"(SELECT * FROM ({union}) AS arms {newest})", [*params, limit]


def ranked_rows(
    matches: list[tuple[str, list]], text: str, window: slice, snippet_length: int
) -> list[tuple[str, int, str | None]]:
    """(kind, id, headline) in `window` of the union of `matches` (`newest_matches` of each
    kind), best ranked first, each headline made from the opening `snippet_length`
    characters of the item's text."""
    entries = SearchEntry._meta.db_table
    parts = [sql for sql, _params in matches]
    sql = (
        "SELECT page.kind, page.item_id, ts_headline(cfg, left(e.snippet_source, %s),"
        " websearch_to_tsquery(cfg, %s), %s)"
        f" FROM (SELECT * FROM ({' UNION ALL '.join(parts)}) AS ranked"
        " ORDER BY rank DESC, published_at DESC, item_id DESC LIMIT %s OFFSET %s) AS page"
        f" JOIN {entries} e ON e.kind = page.kind AND e.item_id = page.item_id"
        " CROSS JOIN LATERAL newsroom_search_config(e.language) AS cfg"
        " ORDER BY page.rank DESC, page.published_at DESC, page.item_id DESC"
    )
    params = [snippet_length, text, HEADLINE_OPTIONS]
    params += [param for _sql, match_params in matches for param in match_params]
    params += [window.stop - window.start, window.start]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
