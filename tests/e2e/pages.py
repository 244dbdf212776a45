"""One address of each kind of public page, taken from the demo content, in both languages."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from taggit.models import Tag

from articles.models import Article
from briefings.models import Briefing
from sources.models import Source


def page_paths(language: str = "en") -> dict[str, str]:
    briefing = Briefing.objects.published().latest("published_at")
    article = Article.objects.published().filter(publication__isnull=False).latest("published_at")
    person = article.authors.first() or briefing.editor
    tag = Tag.objects.annotate(items=Count("taggit_taggeditem_items")).latest("items")
    month = timezone.localtime(briefing.published_at)
    with translation.override(language):
        return {
            "home": reverse("newsroom:home"),
            "briefing": briefing.get_absolute_url(),
            "excerpt": article.get_absolute_url(),
            "tag archive": reverse("newsroom:tag", args=[tag.slug]),
            "month archive": reverse(
                "newsroom:archive_month", kwargs={"year": month.year, "month": month.month}
            ),
            "search": reverse("newsroom:search") + "?q=Iran",
            "tag index": reverse("newsroom:tags"),
            "publication": article.publication.get_absolute_url(),
            "person": person.get_absolute_url(),
            "sources": reverse("sources:index"),
            "source": Source.objects.cited_in_published().first().get_absolute_url(),
        }


def every_page() -> list[tuple[str, str]]:
    """(label, path) for each page type in English and in German."""
    return [
        (f"{name} ({language})", path)
        for language in ("en", "de")
        for name, path in page_paths(language).items()
    ]
