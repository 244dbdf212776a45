from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from briefings.models import Briefing
from people.models import Person, Publication
from public.views import PublishableDetailView, StreamView


class ArticleListView(StreamView):
    template_name = "articles/article_list.html"
    heading = _("Article excerpts")

    def get_querysets(self) -> list:
        return [Article.objects.published()]


class ArticleDetailView(PublishableDetailView):
    model = Article


# A publication or person whose items are all drafts or scheduled has no page yet.
NOTHING_PUBLISHED = _("Nothing published here yet.")


class PublicationView(StreamView):
    template_name = "articles/publication.html"
    empty_message = NOTHING_PUBLISHED

    def get_querysets(self) -> list:
        self.publication = get_object_or_404(Publication, slug=self.kwargs["slug"])
        return [Article.objects.published().filter(publication=self.publication)]

    def get_heading(self) -> str:
        return self.publication.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["publication"] = self.publication
        return context


class PersonView(StreamView):
    """What one person wrote (excerpted articles) or edited (briefings)."""

    template_name = "articles/person.html"
    empty_message = NOTHING_PUBLISHED

    def get_querysets(self) -> list:
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        return [
            Briefing.objects.published().filter(editor=self.person),
            Article.objects.published().filter(authors=self.person),
        ]

    def get_heading(self) -> str:
        return self.person.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        return context
