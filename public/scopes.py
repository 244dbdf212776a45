"""Which published items a page or feed lists: the whole site, one kind, or the items of a
tag, publication or person. Listings and feeds of the same scope read them from here."""

from django.db.models import QuerySet
from taggit.models import Tag

from articles.models import Article
from briefings.models import Briefing
from people.models import Person, Publication


def site_items() -> list[QuerySet]:
    return [Briefing.objects.published(), Article.objects.published()]


def briefings() -> list[QuerySet]:
    return [Briefing.objects.published()]


def articles() -> list[QuerySet]:
    return [Article.objects.published()]


def tagged(tag: Tag) -> list[QuerySet]:
    return [queryset.filter(tags=tag) for queryset in site_items()]


def from_publication(publication: Publication) -> list[QuerySet]:
    return [Article.objects.published().filter(publication=publication)]


def by_person(person: Person) -> list[QuerySet]:
    """What one person wrote (excerpted articles) or edited (briefings)."""
    return [
        Briefing.objects.published().filter(editor=person),
        Article.objects.published().filter(authors=person),
    ]
