"""The search page: its form, and a page of results for what it asks."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from public.page_meta import PageMeta, PageMetaMixin, canonical_url, summary, web_page
from public.search import (
    MAX_QUERY_LENGTH,
    MIN_QUERY_LENGTH,
    search_page,
    topics_in_use,
    years_with_items,
)
from public.stream import parse_page_number
from publishing.page_keys import STREAM

# The fields that choose what a page of results shows, kept in its canonical address.
SEARCH_PARAMETERS = ("q", "kind", "tag", "year", "page")


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
    tag = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        error_messages={"invalid_choice": _("No published item carries the topic “%(value)s”.")},
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Nothing was published in %(value)s.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only choices that can find something: the topics and years of published items.
        self.fields["tag"].choices = [("", _("Any topic")), *topics_in_use()]
        years = [(year, str(year)) for year in years_with_items()]
        self.fields["year"].choices = [("", _("Any year")), *years]


class SearchView(PageMetaMixin, TemplateView):
    template_name = "public/search.html"

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

    def get_page_keys(self, context: dict) -> set[str]:
        # Any published item may come to match.
        return super().get_page_keys(context) | {STREAM}

    def get_page_meta(self, context: dict) -> PageMeta:
        form = context["form"]
        query = form.cleaned_data.get("q") if form.is_bound and form.is_valid() else ""
        title = gettext("Search: %(query)s") % {"query": query} if query else gettext("Search")
        canonical = canonical_url(self.request, keep=SEARCH_PARAMETERS)
        description = summary(title)
        return PageMeta(
            title=title,
            description=description,
            canonical=canonical,
            structured_data=web_page("SearchResultsPage", title, description, canonical),
            # Results are for the reader who asked; the items are indexed at their own pages.
            robots="noindex, follow",
        )
