"""What an import may write, counted: the importer's tests compare these before and after."""

from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from taggit.models import Tag

from articles.models import Article, ArticleFigure
from briefings.models import Briefing, Bullet, Figure, Section
from people.models import Person, Publication
from publishing.models import CategorizedItem, Category, OldAddress

IMPORTED_MODELS = [
    Article,
    ArticleFigure,
    Briefing,
    Bullet,
    Figure,
    Section,
    Person,
    Publication,
    Tag,
    FlatPage,
    OldAddress,
    Redirect,
    Category,
    CategorizedItem,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in IMPORTED_MODELS}


def update_stamps() -> dict[str, list]:
    """Each item's primary key and `updated_at`: unchanged when a re-import changes nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (Article, Briefing)
    }
