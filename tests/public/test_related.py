"""Related items on detail pages: published items of either kind sharing the most tags."""

import datetime as dt

import pytest

from articles.models import Article
from briefings.models import Briefing
from public.related import related_items
from publishing.models import Status, attach_tags
from tests.support.factories import ArticleFactory, BriefingFactory, PersonFactory, days_ago

pytestmark = pytest.mark.django_db


def detail(model, pk):
    """The item as its detail page fetches it."""
    return attach_tags([model.objects.for_detail().get(pk=pk)])[0]


def test_items_sharing_more_tags_come_first_then_the_newest():
    item = BriefingFactory(tags=["iran", "iraq", "oil"])
    three = ArticleFactory(tags=["iran", "iraq", "oil"], published_at=days_ago(30))
    two = BriefingFactory(tags=["iran", "oil", "other"], published_at=days_ago(20))
    one_newer = ArticleFactory(tags=["iraq"], published_at=days_ago(1))
    one_older = BriefingFactory(tags=["oil"], published_at=days_ago(10))
    ArticleFactory(tags=["unrelated"])
    related = related_items(detail(Briefing, item.pk))
    assert related == [three, two, one_newer, one_older]


def test_at_most_five_and_never_the_item_itself():
    item = ArticleFactory(tags=["iran"])
    for n in range(4):
        ArticleFactory(tags=["iran"], published_at=days_ago(n + 3))
        BriefingFactory(tags=["iran"], published_at=days_ago(n + 3))
    related = related_items(detail(Article, item.pk))
    assert len(related) == 5
    assert item not in related


def test_drafts_and_scheduled_items_never_appear(tomorrow):
    item = BriefingFactory(tags=["iran"])
    BriefingFactory(tags=["iran"], status=Status.DRAFT)
    ArticleFactory(tags=["iran"], status=Status.DRAFT)
    ArticleFactory(tags=["iran"], published_at=tomorrow)
    published = ArticleFactory(tags=["iran"])
    assert related_items(detail(Briefing, item.pk)) == [published]


def test_an_item_without_tags_has_no_related_items():
    item = BriefingFactory()
    ArticleFactory(tags=["iran"])
    assert related_items(detail(Briefing, item.pk)) == []


def test_the_related_list_is_one_query_with_what_it_shows(django_assert_num_queries):
    item = BriefingFactory(tags=["iran"])
    article = ArticleFactory(tags=["iran", "zagros"], published_at=days_ago(3))
    briefing = BriefingFactory(tags=["iran", "gulf"], published_at=days_ago(4))
    shown = detail(Briefing, item.pk)
    with django_assert_num_queries(1):
        related = related_items(shown)
        assert [other.get_absolute_url() for other in related] == [
            article.get_absolute_url(),
            briefing.get_absolute_url(),
        ]
        assert [(other.kind, other.title) for other in related] == [
            ("article", article.title),
            ("briefing", briefing.title),
        ]


@pytest.mark.parametrize("count", [3, 12])
def test_detail_pages_show_related_items_in_a_fixed_number_of_queries(
    client, count, django_assert_max_num_queries
):
    item = BriefingFactory(tags=["iran"], published_at=days_ago(1))
    excerpt = ArticleFactory(tags=["iran"], published_at=days_ago(1))
    for n in range(count):
        when = days_ago(3) - dt.timedelta(minutes=n)
        ArticleFactory(tags=["iran"], published_at=when, authors=[PersonFactory()])
        BriefingFactory(tags=["iran"], published_at=when)
    draft = ArticleFactory(tags=["iran"], status=Status.DRAFT, title="A draft never shown")
    for shown in (item, excerpt):
        with django_assert_max_num_queries(8):
            response = client.get(shown.get_absolute_url())
        related = response.context["related"]
        assert len(related) == 5
        assert shown not in related
        assert draft.title.encode() not in response.content
        assert b'id="related-heading"' in response.content
        assert related[0].get_absolute_url().encode() in response.content
