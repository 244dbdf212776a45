"""The public site's own SQL, behind named functions: several one-row queries answered in
one round trip, the newest rows of several querysets merged in the database, and full-text
search over the search entries: PostgreSQL's vectors, or SQLite's FTS5 index beside them.

Each function takes querysets built with `published()` and the ORM and only joins their
compiled SQL, so none restates what a reader may see; search reads "published" from the same
method's compiled condition.

Search is one query, written here as SQL rather than built through the ORM on each request: it
finds the (kind, id) of a page's rows across both kinds, best ranked first, with their
snippets; `ts_headline` (or FTS5's `snippet`), the costly part, runs only for the rows shown,
and on PostgreSQL only over the opening characters of their text it is given."""

import datetime as dt

from django.db import connection, connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import TaggedArticle
from briefings.models import TaggedBriefing
from publishing.models import PublishableQuerySet
from search.models import SearchEntry


def one_row(querysets: list[QuerySet]) -> list:
    """The columns of each queryset's single row, all in order, from one query. Each
    queryset must give exactly one row, as an aggregate without grouping does. Datetimes may
    come back as text: read them with `as_moment`."""
    parts, params = compiled(querysets)
    tables = [f"{part} AS part{number}" for number, part in enumerate(parts)]
    return fetch_row("SELECT * FROM " + " CROSS JOIN ".join(tables), params)


def first_values(querysets: list[QuerySet]) -> list:
    """The one column of each queryset's first row, or None where it has none, in one query
    of scalar subqueries (each an index probe when the queryset is ordered by an index).
    Datetimes may come back as text: read them with `as_moment`."""
    parts, params = compiled([queryset[:1] for queryset in querysets])
    return fetch_row("SELECT " + ", ".join(parts), params)


def newest_keys(querysets: list[QuerySet], window: slice) -> list[tuple[int, int]]:
    """(kind, pk) of the rows in `window` of the querysets merged newest first, where kind
    is the queryset's place in `querysets`.

    Each kind contributes at most `window.stop` rows, read in index order, before the merge:
    a union of whole tables would be sorted in full on every page.
    """
    arms, params = [], []
    for kind, qs in enumerate(querysets):
        newest = qs.order_by("-published_at", "-pk").values_list("pk", "published_at")
        sql, arm_params = newest[: window.stop].query.sql_with_params()
        arms.append(f"SELECT {kind} AS kind, * FROM ({sql}) AS arm{kind}")
        params.extend(arm_params)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(arms) + " ORDER BY 3 DESC, 2 DESC LIMIT %s OFFSET %s",
            [*params, window.stop - window.start, window.start],
        )
        return [(kind, pk) for kind, pk, _published in cursor.fetchall()]


def most_shared(querysets: list[QuerySet], fields: tuple[str, ...], limit: int) -> list[tuple]:
    """(kind, *fields, shared_tags) of the `limit` rows sharing the most tags, newest first
    among equals, where each queryset gives `values_list("pk", "published_at")` annotated with
    `shared_tags`, and kind is its place in `querysets`. The ranking reads only those columns
    (an index holds the first two); `fields` are read from each kind's table for the rows kept.
    """
    arms, params = [], []
    for kind, queryset in enumerate(querysets):
        sql, arm_params = queryset.query.sql_with_params()
        arms.append(f"SELECT {kind} AS kind, * FROM ({sql}) AS arm{kind}")
        params.extend(arm_params)
    order = "shared_tags DESC, published_at DESC, pk DESC"
    ranked = f"{' UNION ALL '.join(arms)} ORDER BY {order} LIMIT %s"
    tables = [(kind, queryset.model) for kind, queryset in enumerate(querysets)]
    columns = [
        "COALESCE("
        + ", ".join(f'row{kind}."{column(model, name)}"' for kind, model in tables)
        + ")"
        for name in fields
    ]
    joins = [
        f'LEFT JOIN "{model._meta.db_table}" AS row{kind} '
        f'ON ranked.kind = {kind} AND row{kind}."{column(model, "pk")}" = ranked.pk'
        for kind, model in tables
    ]
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(
            f"SELECT ranked.kind, {', '.join(columns)}, ranked.shared_tags"
            f" FROM ({ranked}) AS ranked {' '.join(joins)}"
            " ORDER BY ranked.shared_tags DESC, ranked.published_at DESC, ranked.pk DESC",
            [*params, limit],
        )
        return cursor.fetchall()


def column(model, name: str) -> str:
    return model._meta.pk.column if name == "pk" else model._meta.get_field(name).column


def compiled(querysets: list[QuerySet]) -> tuple[list[str], list]:
    """Each queryset's SQL in parentheses, and all their parameters in order."""
    parts, params = [], []
    for queryset in querysets:
        sql, query_params = queryset.query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(query_params)
    return parts, params


def fetch_row(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchone())


def as_moment(value: str | dt.datetime | None) -> dt.datetime | None:
    """A datetime column read by `one_row`/`first_values`: SQLite hands back a subquery's
    datetime as text, naive and in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


# --- full-text search ----------------------------------------------------------------------

TAGGED_ITEMS = {"briefing": TaggedBriefing, "article": TaggedArticle}

# Characters no editor types, so the snippet can be escaped whole and only these become <mark>.
MARK_START, MARK_STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxFragments=2, MaxWords=30, '
    'MinWords=12, FragmentDelimiter=" … "'
)


def readings(configs: list[str], text: str) -> list[str]:
    """How each text search configuration reads the tsquery `text`, in one query."""
    parsed = ", ".join(["to_tsquery(%s::regconfig, %s)::text"] * len(configs))
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
    kind: str, data: dict, text: str, readings: dict, main_language: str, limit: int
) -> tuple[str, list]:
    """SQL and parameters: (kind, item_id, published_at, rank) of the newest `limit`
    published entries of `kind` matching the tsquery `text`, for `readings` (configuration ->
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
        query = "to_tsquery(%s::regconfig, %s)"
        matching = (
            f"SELECT kind, item_id, published_at, ts_rank(vector, {query}) AS rank"
            f" FROM {entries} WHERE kind = %s AND {published_sql}"
            f" AND language = ANY(%s) AND vector @@ {query}{extra_sql}"
        )
        if main_language in languages:
            arms.append(f"({matching} {newest})")
        else:
            arms.append(f"(SELECT * FROM ({matching} OFFSET 0) AS found {newest})")
        params += [config, text, kind, *published_params, languages, config, text]
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
    characters of the item's text, marking the tsquery `text`."""
    entries = SearchEntry._meta.db_table
    parts = [sql for sql, _params in matches]
    sql = (
        "SELECT page.kind, page.item_id, ts_headline(cfg, left(e.snippet_source, %s),"
        " to_tsquery(cfg, %s), %s)"
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


# --- full-text search on SQLite (FTS5, search migration 0003) ------------------------------

# bm25's weights of an index's columns (title, heading, body, captions), as ts_rank weighs
# PostgreSQL's A, B, C and D by default.
FTS5_WEIGHTS = "1.0, 0.4, 0.2, 0.1"
# The columns a snippet is cut from, by preference: body, captions, heading.
SNIPPET_COLUMNS = (2, 3, 1)
SNIPPET_TOKENS = 30


def fts5_newest_matches(
    kind: str, data: dict, expressions: dict[str, list[str]], limit: int
) -> tuple[str, list]:
    """SQL and parameters: (kind, item_id, published_at, rank, expression) of the newest
    `limit` published entries of `kind` matching, for `expressions` (FTS5 query -> the
    languages it reads), as `newest_matches` does on PostgreSQL."""
    entries = SearchEntry._meta.db_table
    index = f"search_fts_{kind}"
    published_sql, published_params = published_entries()
    extra_sql, extra_params = narrowing(kind, data)
    newest = "ORDER BY published_at DESC, item_id DESC LIMIT %s"
    arms, params = [], []
    for expression, languages in expressions.items():
        arms.append(
            f"SELECT * FROM (SELECT {entries}.kind, {entries}.item_id, {entries}.published_at,"
            f" -bm25({index}, {FTS5_WEIGHTS}) AS rank, %s AS expression"
            f" FROM {index} JOIN {entries} ON {entries}.kind = %s"
            f" AND {entries}.item_id = {index}.rowid"
            f" WHERE {index} MATCH %s AND {published_sql}"
            f" AND {entries}.language IN ({', '.join(['%s'] * len(languages))}){extra_sql}"
            f" {newest})"
        )
        params += [expression, kind, expression, *published_params, *languages]
        params += [*extra_params, limit]
    union = " UNION ALL ".join(arms)
    return f"SELECT * FROM (SELECT * FROM ({union}) {newest})", [*params, limit]


def fts5_snippet(kind: str, column: int) -> str:
    """SQL: the snippet of one column of the page row's item, cut where its matches are."""
    index = f"search_fts_{kind}"
    return (
        f"(SELECT snippet({index}, {column}, %s, %s, ' … ', {SNIPPET_TOKENS}) FROM {index}"
        f" WHERE {index} MATCH page.expression AND {index}.rowid = page.item_id)"
    )


def fts5_ranked_rows(
    matches: list[tuple[str, list]], kinds: list[str], window: slice
) -> list[tuple[str, int, str | None]]:
    """(kind, id, snippet) in `window` of the union of `matches` (`fts5_newest_matches` of
    each of `kinds`), best ranked first; the snippet from the first column with a match."""
    snippets, snippet_params = [], []
    for column in SNIPPET_COLUMNS:
        cases = " ".join(f"WHEN '{kind}' THEN {fts5_snippet(kind, column)}" for kind in kinds)
        snippets.append(f"CASE page.kind {cases} END")
        snippet_params += [MARK_START, MARK_STOP] * len(kinds)
    order = "ORDER BY rank DESC, published_at DESC, item_id DESC"
    sql = (
        f"SELECT page.kind, page.item_id, {', '.join(snippets)}"
        f" FROM (SELECT * FROM ({' UNION ALL '.join(sql for sql, _params in matches)})"
        f" {order} LIMIT %s OFFSET %s) AS page {order}"
    )
    params = [*snippet_params, *(param for _sql, match_params in matches for param in match_params)]
    params += [window.stop - window.start, window.start]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(kind, pk, first_marked(found)) for kind, pk, *found in cursor.fetchall()]


def first_marked(snippets: list[str | None]) -> str | None:
    return next((snippet for snippet in snippets if snippet and MARK_START in snippet), None)
