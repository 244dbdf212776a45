"""Full-text search of published items: ranked PostgreSQL search, a plain fallback on SQLite.

On PostgreSQL each kind stores a weighted `search_vector` that database triggers keep current
(see articles migrations 0005 and 0006), kept in the row and indexed with GIN. A query is read
as web-search syntax ("a phrase", -not, or), in the text search configuration of each item's
language; languages are those of `settings.CONTENT_LANGUAGES`.

Only the newest 500 matches of each kind are ranked (RANKED_MATCHES), 1,000 in all. Finding
them takes a walk down the date index or one GIN scan, however common the word; ranking every
match of a common word read tens of thousands of vectors. So a word with more matches than that
lists the best of its newest 500 briefings and 500 excerpts, and older matches are not listed:
a year or a topic narrows the search to reach them. A rarer word has all its matches ranked.

One query finds the (kind, pk) of a page's rows across both kinds, best ranked first (its SQL
wraps the ORM's SQL for each kind); each kind then fetches its rows with their snippets, so
`ts_headline`, the costly part, runs only for the rows shown, and only over the opening
SNIPPET_SOURCE_LENGTH characters of their text: an item matching only further on is found but
shows no snippet.
"""

import re
from html import unescape

from django import forms
from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models.functions import Coalesce, Left
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from articles.models import Article, ArticleFigure
from briefings.models import Briefing, Bullet
from newsroom.models import attach_tags
from newsroom.stream import StreamPage, parse_page_number, stream_page

# An item's language -> its text search configuration; `newsroom_search_config()` in SQL agrees.
SEARCH_CONFIGS = {"en": "english", "de": "german", "fr": "french", "tr": "turkish"}
FALLBACK_CONFIG = "simple"

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200

# Only the newest matches of each kind are ranked: ranking reads each match's whole vector.
RANKED_MATCHES = 500

# Snippets come from the opening of an item's text: ts_headline reads every word it is given.
SNIPPET_SOURCE_LENGTH = 1000

# Characters no editor types, so the snippet can be escaped whole and only these become <mark>.
MARK_START, MARK_STOP = "\ue000", "\ue001"

KINDS = {"briefing": Briefing, "article": Article}


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


def filtered_querysets(data: dict) -> list[models.QuerySet]:
    """The published items the form's kind, tag and year allow."""
    models_wanted = [KINDS[data["kind"]]] if data.get("kind") else list(KINDS.values())
    querysets = []
    for model in models_wanted:
        qs = model.objects.published()
        if data.get("tag"):
            qs = qs.filter(tags__slug=data["tag"])
        if data.get("year"):
            qs = qs.filter(published_at__year=data["year"])
        querysets.append(qs)
    return querysets


def search_page(data: dict, number: int, per_page: int) -> StreamPage:
    querysets = filtered_querysets(data)
    if connection.vendor == "postgresql":
        return ranked_page(querysets, data["q"], number, per_page)
    return stream_page([fallback_filter(qs, data["q"]) for qs in querysets], number, per_page)


# PostgreSQL


# An F(): a field name given as a string would be read as text and turned into a new vector.
F_VECTOR = models.F("search_vector")

NEWEST_FIRST = ("-published_at", "-pk")


def row_config() -> models.Func:
    return models.Func(
        models.F("language"), function="newsroom_search_config", output_field=models.TextField()
    )


def web_query(text: str, config) -> SearchQuery:
    return SearchQuery(text, config=config, search_type="websearch")


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


def matching_arms(qs: models.QuerySet, text: str, readings: dict) -> list[models.QuerySet]:
    """`qs` narrowed to the rows matching `text`, one queryset a reading, ranked against it.

    Each arm's only full-text condition is one constant query, which the GIN index answers
    exactly, without reading the vectors; one OR'ed condition per language would be a filter
    that reads the vector of every match.
    """
    arms = []
    for config, languages in readings.items():
        query = web_query(text, config)
        matching = qs.filter(language__in=languages, search_vector=query)
        arms.append(matching.annotate(rank=SearchRank(F_VECTOR, query)))
    return arms


def newest_matches(qs: models.QuerySet, text: str, readings: dict) -> tuple[str, tuple]:
    """SQL and parameters: (pk, published_at, rank) of the newest RANKED_MATCHES in `qs`."""
    # Each arm is limited on its own, so the planner may walk the date index for a common word.
    arms = [
        arm.order_by(*NEWEST_FIRST).values_list("pk", "published_at", "rank")[:RANKED_MATCHES]
        for arm in matching_arms(qs, text, readings)
    ]
    if len(arms) > 1:
        arms = [arms[0].union(*arms[1:], all=True).order_by(*NEWEST_FIRST)[:RANKED_MATCHES]]
    return arms[0].query.sql_with_params()


def ranked_keys(querysets: list[models.QuerySet], text: str, window: slice) -> list[tuple]:
    """The (kind, pk) in `window` of the newest matches of each kind, best ranked first."""
    readings = languages_by_reading(text)
    parts, params = [], []
    for kind, qs in enumerate(querysets):
        sql, sql_params = newest_matches(qs, text, readings)
        columns = "pk, published_at, rank"
        parts.append(f"(SELECT {kind:d}, {columns} FROM ({sql}) AS newest ({columns}))")
        params.extend(sql_params)
    by_rank = " ORDER BY rank DESC, published_at DESC, pk DESC LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(parts) + by_rank,
            [*params, window.stop - window.start, window.start],
        )
        return [(kind, pk) for kind, pk, _published_at, _rank in cursor.fetchall()]


def ranked_page(querysets: list[models.QuerySet], text: str, number: int, per_page: int):
    offset = (number - 1) * per_page
    keys = ranked_keys(querysets, text, slice(offset, offset + per_page + 1))
    if number > 1 and not keys:
        raise Http404(_("No such page."))
    page = StreamPage(number=number, has_next=len(keys) > per_page)
    keys = keys[:per_page]
    fetched = {}
    for kind, qs in enumerate(querysets):
        pks = [pk for k, pk in keys if k == kind]
        if pks:
            for item in with_snippets(qs.model, pks, text):
                fetched[(kind, item.pk)] = item
    page.items = [fetched[key] for key in keys]
    return page


def with_snippets(model: type[models.Model], pks: list[int], text: str) -> list:
    headline = SearchHeadline(
        Left(plain_text(SNIPPET_SOURCES[model]()), SNIPPET_SOURCE_LENGTH),
        web_query(text, row_config()),
        config=row_config(),
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_fragments=2,
        max_words=30,
        min_words=12,
        fragment_delimiter=" … ",
    )
    items = attach_tags(
        list(model.objects.filter(pk__in=pks).for_listing().annotate(headline=headline))
    )
    for item in items:
        item.snippet = safe_snippet(item.headline)
    return items


def joined(model: type[models.Model], parent: str, field: str) -> models.Subquery:
    """The `field` of every part of the outer row, in order, as one string."""
    parts = model.objects.filter(**{parent: models.OuterRef("pk")}).order_by().values(parent)
    return models.Subquery(
        parts.annotate(text=StringAgg(field, " ", order_by=("position", "id"))).values("text")
    )


def spaced(*parts) -> models.Func:
    return models.Func(
        models.Value(" "), *parts, function="concat_ws", output_field=models.TextField()
    )


def briefing_text():
    return spaced(
        joined(Bullet, "briefing", "text_html"),
        Coalesce("lead_figure__caption", models.Value("")),
    )


def article_text():
    return spaced(
        "standfirst_html",
        "excerpt_html",
        "editor_note_html",
        joined(ArticleFigure, "article", "caption"),
    )


SNIPPET_SOURCES = {Briefing: briefing_text, Article: article_text}


def plain_text(html) -> models.Func:
    """The rendered HTML without its tags; entities are decoded in `safe_snippet`."""
    return models.Func(
        html,
        models.Value("<[^>]*>"),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def safe_snippet(headline: str | None) -> SafeString | None:
    """The headline escaped whole; only the matches it marked become <mark> elements."""
    if not headline or MARK_START not in headline:
        return None
    escaped = escape(unescape(headline))
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


# SQLite fallback: every word in one of the same fields, newest first, no ranking or snippets.

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
