"""Every page costs a fixed, small number of SQL queries, however many items it lists."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleFigure
from briefings.models import Briefing
from people.models import Person, Publication
from public.sitemaps import SITEMAPS
from publishing.models import attach_tags
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8


DAY = timezone.localtime(timezone.now() - dt.timedelta(days=1)).replace(hour=20, minute=0)


def make_items(count: int, first: int = 0) -> None:
    """Items alternating between the kinds, all on one day, sharing a tag and people."""
    person = Person.objects.filter(slug="prolific").first() or PersonFactory(slug="prolific")
    publication = Publication.objects.filter(slug="busy-review").first() or PublicationFactory(
        slug="busy-review"
    )
    for i in range(first, first + count):
        when = DAY - dt.timedelta(minutes=i)
        tags = ["common", f"only-{i}"]
        # Half the items of each kind have an image, so cards show thumbnails.
        image = stored_image(f"figures/item-{i}.png") if i % 4 < 2 else {}
        if i % 2:
            article = ArticleFactory(
                published_at=when,
                publication=publication,
                authors=[person, PersonFactory()],
                tags=tags,
            )
            ArticleFigure.objects.create(article=article, alt="A chart", **image)
        else:
            FigureFactory(
                briefing=BriefingFactory(published_at=when, editor=person, tags=tags), **image
            )


def stored_image(name: str) -> dict:
    """A figure's image as stored with its renditions (the files themselves are not needed)."""
    rendition = {"name": f"renditions/{name}-480w.webp", "width": 480, "height": 300}
    return {
        "image": name,
        "image_width": 960,
        "image_height": 600,
        "renditions": [{**rendition, "type": "image/webp"}],
    }


def list_urls(day: dt.datetime) -> list[str]:
    return [
        "/",
        "/?page=2",
        "/briefings/",
        "/articles/",
        "/tags/",
        "/tags/common/",
        f"/archive/{day:%Y}/",
        f"/archive/{day:%Y/%m}/",
        f"/archive/{day:%Y/%m/%d}/",
        "/publications/busy-review/",
        "/people/prolific/",
        "/feed/",
        "/feed/atom/",
        "/feed.json",
        "/briefings/feed/",
        "/articles/feed/",
        "/tags/common/feed/",
        "/publications/busy-review/feed/",
        "/people/prolific/feed/atom/",
        "/sitemap.xml",
        *(f"/sitemap-{section}.xml" for section in SITEMAPS),
        "/search/?q=common",
        "/sources/",
    ]


def queries_per_page(client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        # Warmed once: a process caches a few lookups (the Site a feed names) on first use.
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.fixture
def small_page(settings):
    # Page 2 holds both kinds already with five items, so it is measured at both sizes.
    settings.ITEMS_PER_PAGE = 2


def test_list_pages_feeds_and_sitemaps_run_at_most_eight_queries(
    client, small_page, django_assert_max_num_queries
):
    make_items(60)
    for url in list_urls(DAY):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(url).status_code == 200, url
    # The cards measured show thumbnails of both kinds (page 1), and none (page 2).
    assert client.get("/").content.decode().count('<img class="card-image"') == 2
    assert '<img class="card-image"' not in client.get("/?page=2").content.decode()


def test_query_count_does_not_grow_with_the_number_of_items(client, small_page):
    make_items(5)
    with_five = queries_per_page(client, list_urls(DAY))
    make_items(55, first=5)
    with_sixty = queries_per_page(client, list_urls(DAY))
    assert with_five == with_sixty
    assert max(with_sixty.values()) <= MAX_QUERIES


@pytest.mark.parametrize("sections", [1, 4])
def test_detail_pages_run_a_fixed_number_of_queries(
    client, sections, django_assert_max_num_queries
):
    # A briefing: the item, its bullets, its sections, tags and related items; an excerpt: the
    # item, its authors, figures, tags and related items.
    make_items(6)
    briefing = Briefing.objects.first()
    for _ in range(sections):
        section = SectionFactory(briefing=briefing)
        BulletFactory.create_batch(3, briefing=briefing, section=section)
    for item in [briefing, Article.objects.first()]:
        with django_assert_max_num_queries(5):
            assert client.get(item.get_absolute_url()).status_code == 200


def test_cards_read_tags_and_authors_as_fetched_with_the_listing(django_assert_num_queries):
    make_items(4)
    articles = list(Article.objects.for_listing())
    briefings = list(Briefing.objects.for_listing())
    with django_assert_num_queries(1):
        attach_tags(articles + briefings)
    with django_assert_num_queries(0):
        assert all(len(article.tag_list) == 2 for article in articles)
        assert all(len(article.author_list) == 2 for article in articles)
        assert all(len(briefing.tag_list) == 2 for briefing in briefings)
    # Plain lists: reading them builds no queryset per item.
    assert all(isinstance(article.prefetched_tags, list) for article in articles)
