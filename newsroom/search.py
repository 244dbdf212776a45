"""Full-text search of published items: ranked PostgreSQL search, a plain fallback on SQLite.

On PostgreSQL each kind stores a weighted `search_vector` that database triggers keep current
(see articles migration 0005). A query is read as web-search syntax ("a phrase", -not, or),
in the text search configuration of each item's language. One query finds the (kind, pk, rank)
of a page's rows across both kinds; each kind then fetches its rows with their snippets, so
`ts_headline`, the costly part, runs only for the rows shown.
"""

import re
from html import unescape

from django import forms
from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from articles.models import Article, ArticleFigure
from briefings.models import Briefing, Bullet
from newsroom.stream import StreamPage, parse_page_number, stream_page

# An item's language -> its text search configuration; `newsroom_search_config()` in SQL agrees.
SEARCH_CONFIGS = {"en": "english", "de": "german", "fr": "french", "tr": "turkish"}
FALLBACK_CONFIG = "simple"

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200

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


def row_config() -> models.Func:
    return models.Func(
        models.F("language"), function="newsroom_search_config", output_field=models.TextField()
    )


def web_query(text: str, config) -> SearchQuery:
    return SearchQuery(text, config=config, search_type="websearch")


def matches(text: str) -> models.Q:
    """One constant query per configuration, so each branch can use the GIN index."""
    condition = ~models.Q(language__in=list(SEARCH_CONFIGS)) & models.Q(
        search_vector=web_query(text, FALLBACK_CONFIG)
    )
    for language, config in SEARCH_CONFIGS.items():
        condition |= models.Q(language=language, search_vector=web_query(text, config))
    return condition


# An F(): a field name given as a string would be read as text and turned into a new vector.
F_VECTOR = models.F("search_vector")


def rank(text: str) -> models.Case:
    """Ranked against a constant query per configuration: parsing the query per row is slow."""
    return models.Case(
        *[
            models.When(language=language, then=SearchRank(F_VECTOR, web_query(text, cfg)))
            for language, cfg in SEARCH_CONFIGS.items()
        ],
        default=SearchRank(F_VECTOR, web_query(text, FALLBACK_CONFIG)),
        output_field=models.FloatField(),
    )


def ranked_page(querysets: list[models.QuerySet], text: str, number: int, per_page: int):
    offset = (number - 1) * per_page
    keyed = [
        qs.filter(matches(text))
        .order_by()
        .annotate(
            kind=models.Value(i),
            rank=rank(text),
        )
        .values_list("kind", "pk", "rank", "published_at")
        for i, qs in enumerate(querysets)
    ]
    union = keyed[0].union(*keyed[1:], all=True) if len(keyed) > 1 else keyed[0]
    keys = list(union.order_by("-rank", "-published_at", "-pk")[offset : offset + per_page + 1])
    if number > 1 and not keys:
        raise Http404(_("No such page."))
    page = StreamPage(number=number, has_next=len(keys) > per_page)
    keys = keys[:per_page]
    fetched = {}
    for kind, qs in enumerate(querysets):
        pks = [pk for k, pk, _rank, _at in keys if k == kind]
        if pks:
            for item in with_snippets(qs.model, pks, text):
                fetched[(kind, item.pk)] = item
    page.items = [fetched[(kind, pk)] for kind, pk, _rank, _at in keys]
    return page


def with_snippets(model: type[models.Model], pks: list[int], text: str) -> list:
    headline = SearchHeadline(
        plain_text(SNIPPET_SOURCES[model]()),
        web_query(text, row_config()),
        config=row_config(),
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_fragments=2,
        max_words=30,
        min_words=12,
        fragment_delimiter=" … ",
    )
    items = list(model.objects.filter(pk__in=pks).for_listing().annotate(headline=headline))
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
