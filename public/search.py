"""Full-text search of published items: ranked PostgreSQL search, a plain fallback on SQLite.

On PostgreSQL a search reads one narrow table, `SearchEntry`: one row per item of either kind
with its weighted vector (title > standfirst > body), status, date, language and the opening of
its plain text, which triggers keep current (newsroom migration 0002) and GIN indexes. A query
is read as web-search syntax ("a phrase", -not, or), in the text search configuration of each
item's language; languages are those of `settings.CONTENT_LANGUAGES`.

Only the newest 500 matches of each kind are ranked (RANKED_MATCHES), 1,000 in all. Finding
them takes a walk down the date index or one GIN scan, however common the word; ranking every
match of a common word read tens of thousands of vectors. So a word with more matches than that
lists the best of its newest 500 briefings and 500 excerpts, and older matches are not listed:
a year or a topic narrows the search to reach them. A rarer word has all its matches ranked.

One query, written here as SQL rather than built through the ORM on each request, finds the
(kind, id) of a page's rows across both kinds, best ranked first, with their snippets:
`ts_headline`, the costly part, runs only for the rows shown, and only over the opening
SNIPPET_SOURCE_LENGTH characters of their text: an item matching only further on is found but
shows no snippet. Each kind then fetches its rows for the cards.
"""

import datetime as dt
import re
from html import unescape

from django import forms
from django.conf import settings
from django.db import connection, models
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from articles.models import Article, TaggedArticle
from briefings.models import Briefing, TaggedBriefing
from public.stream import StreamPage, parse_page_number, stream_page
from publishing.models import Status, attach_tags

# An item's language -> its text search configuration; `newsroom_search_config()` in SQL agrees.
SEARCH_CONFIGS = {"en": "english", "de": "german", "fr": "french", "tr": "turkish"}
FALLBACK_CONFIG = "simple"

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200

# Only the newest matches of each kind are ranked: ranking reads each match's whole vector.
RANKED_MATCHES = 500

# Snippets come from the opening of an item's text: ts_headline reads every word it is given.
# The entries keep the opening 1,000 characters (newsroom migration 0002); this may only be less.
SNIPPET_SOURCE_LENGTH = 1000

# Characters no editor types, so the snippet can be escaped whole and only these become <mark>.
MARK_START, MARK_STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxFragments=2, MaxWords=30, '
    'MinWords=12, FragmentDelimiter=" … "'
)

KINDS = {"briefing": Briefing, "article": Article}
TAGGED_ITEMS = {"briefing": TaggedBriefing, "article": TaggedArticle}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        min_length=MIN_QUERY_LENGTH,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "min_length": _("Type at least %(limit_value)d characters."),
            "max_length": _("Keep the search to %(limit_value)d characters or fewer."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Everything")), ("briefing", _("Briefings")), ("article", _("Excerpts"))],
    )
    tag = forms.SlugField(label=_("Topic"), required=False, allow_unicode=True)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)


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
    parsed = ", ".join(["websearch_to_tsquery(%s::regconfig, %s)::text"] * len(configs))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parsed}", [p for config in configs for p in (config, text)])
        reading_of = dict(zip(configs, cursor.fetchone(), strict=True))
    groups: dict[str, tuple[str, list[str]]] = {}
    for language, config in content_configs().items():
        groups.setdefault(reading_of[config], (config, []))[1].append(language)
    return dict(groups.values())


def narrowing(kind: str, data: dict) -> tuple[str, list]:
    """SQL conditions on entries `e` (and parameters) for the form's tag and year."""
    sql, params = "", []
    if data.get("tag"):
        tagged = TAGGED_ITEMS[kind]._meta.db_table
        sql += (
            f" AND e.item_id IN (SELECT ti.content_object_id FROM {tagged} ti"
            " JOIN taggit_tag t ON t.id = ti.tag_id WHERE t.slug = %s)"
        )
        params.append(data["tag"])
    if data.get("year"):
        # The year in the site's time zone, as the archives count it.
        start = timezone.make_aware(dt.datetime(data["year"], 1, 1))
        end = timezone.make_aware(dt.datetime(data["year"] + 1, 1, 1))
        sql += " AND e.published_at >= %s AND e.published_at < %s"
        params += [start, end]
    return sql, params


def newest_matches(kind: str, data: dict, readings: dict, now: dt.datetime) -> tuple[str, list]:
    """SQL and parameters: (kind, item_id, published_at, rank) of the newest RANKED_MATCHES
    published entries of `kind` matching the text.

    One arm per reading, each limited on its own. Each arm's only full-text condition is one
    constant query, which the GIN index answers exactly, without reading the vectors; one OR'ed
    condition per language would be a filter that reads the vector of every match.

    Most items are in the site's own language: the planner may walk the date index, newest
    first, for the reading that covers it, which finds a common word's newest matches soon. An
    arm for other languages only finds all its matches through the GIN index and sorts them
    (OFFSET 0 keeps the limit out of its scan): the planner cannot know that words common among
    all items are rare among those languages' items, and walked through every item for them.
    """
    extra_sql, extra_params = narrowing(kind, data)
    newest = "ORDER BY published_at DESC, item_id DESC LIMIT %s"
    arms, params = [], []
    for config, languages in readings.items():
        query = "websearch_to_tsquery(%s::regconfig, %s)"
        matching = (
            f"SELECT e.kind, e.item_id, e.published_at, ts_rank(e.vector, {query}) AS rank"
            " FROM search_searchentry e"
            " WHERE e.kind = %s AND e.status = %s AND e.published_at <= %s"
            f" AND e.language = ANY(%s) AND e.vector @@ {query}{extra_sql}"
        )
        if settings.LANGUAGE_CODE in languages:
            arms.append(f"({matching} {newest})")
        else:
            arms.append(f"(SELECT * FROM ({matching} OFFSET 0) AS found {newest})")
        params += [config, data["q"], kind, Status.PUBLISHED, now, languages, config, data["q"]]
        params += [*extra_params, RANKED_MATCHES]
    if len(arms) == 1:
        return arms[0], params
    union = " UNION ALL ".join(arms)
    return f"(SELECT * FROM ({union}) AS arms {newest})", [*params, RANKED_MATCHES]


def ranked_rows(data: dict, window: slice) -> list[tuple[str, int, str | None]]:
    """(kind, id, headline) in `window` of the newest matches of each kind, best ranked first."""
    readings = languages_by_reading(data["q"])
    now = timezone.now()
    parts, params = [], []
    for kind in kinds_wanted(data):
        sql, kind_params = newest_matches(kind, data, readings, now)
        parts.append(sql)
        params += kind_params
    sql = (
        "SELECT page.kind, page.item_id, ts_headline(cfg, left(e.snippet_source, %s),"
        " websearch_to_tsquery(cfg, %s), %s)"
        f" FROM (SELECT * FROM ({' UNION ALL '.join(parts)}) AS ranked"
        " ORDER BY rank DESC, published_at DESC, item_id DESC LIMIT %s OFFSET %s) AS page"
        " JOIN search_searchentry e ON e.kind = page.kind AND e.item_id = page.item_id"
        " CROSS JOIN LATERAL newsroom_search_config(e.language) AS cfg"
        " ORDER BY page.rank DESC, page.published_at DESC, page.item_id DESC"
    )
    params = [SNIPPET_SOURCE_LENGTH, data["q"], HEADLINE_OPTIONS, *params]
    params += [window.stop - window.start, window.start]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ranked_page(data: dict, number: int, per_page: int) -> StreamPage:
    offset = (number - 1) * per_page
    rows = ranked_rows(data, slice(offset, offset + per_page + 1))
    if number > 1 and not rows:
        raise Http404(_("No such page."))
    page = StreamPage(number=number, has_next=len(rows) > per_page)
    rows = rows[:per_page]
    fetched = {}
    for kind, model in KINDS.items():
        pks = [pk for k, pk, _headline in rows if k == kind]
        if pks:
            for item in model.objects.filter(pk__in=pks).for_listing():
                fetched[(kind, item.pk)] = item
    for kind, pk, headline in rows:
        # An item deleted since its entry was read is left out.
        if item := fetched.get((kind, pk)):
            item.snippet = safe_snippet(headline)
            page.items.append(item)
    attach_tags(page.items)
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


class SearchView(TemplateView):
    template_name = "newsroom/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Without words there is nothing to search: an empty form, not an error.
        typed = self.request.GET.get("q", "").strip()
        form = SearchForm(self.request.GET) if typed else SearchForm()
        context["form"] = form
        if form.is_valid():
            number = parse_page_number(self.request.GET.get("page"))
            context["page"] = search_page(form.cleaned_data, number, settings.ITEMS_PER_PAGE)
        return context
