"""Which dependency keys a change touches (publishing/page_keys.py), before and after it, and
`pages_changed`, sent once per committed change; a change whose keys could not be written to the
cache reaches every server through the database."""

import datetime as dt

import pytest
from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from taggit.models import Tag

from articles.models import Article
from publishing.models import Status
from publishing.page_keys import pages_changed
from tests.support.factories import ArticleFactory, BriefingFactory, BulletFactory, PersonFactory

pytestmark = pytest.mark.django_db

OCTOBER = dt.datetime(2020, 10, 4, 12, tzinfo=dt.UTC)
MARCH = dt.datetime(2021, 3, 9, 12, tzinfo=dt.UTC)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs a change and what its commit runs."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@pytest.fixture
def sent():
    """The keys of each `pages_changed` sent while the test's changes commit."""
    announced: list[set[str]] = []

    def receiver(sender, keys, **kwargs):
        announced.append(keys)

    pages_changed.connect(receiver)
    yield announced
    pages_changed.disconnect(receiver)


@pytest.fixture
def given(commit, sent):
    """Makes rows in a change committed before the one a test looks at."""

    def make(setup):
        made = commit(setup)
        sent.clear()
        return made

    return make


def item_keys(article, period: dt.datetime, *tags: Tag) -> set[str]:
    return {
        f"article-{article.pk}",
        f"publication-{article.publication_id}",
        *(f"person-{person.pk}" for person in article.authors.all()),
        *(f"tag-{tag.pk}" for tag in tags),
        f"archive-{period:%Y}",
        f"archive-{period:%Y-%m}",
        f"archive-{period:%Y-%m-%d}",
        "stream",
        "sitemap",
        "schedule",
    }


def test_an_edit_touches_the_item_its_period_tags_people_and_lists(sent, commit, given):
    article = given(
        lambda: ArticleFactory(tags=["Borders"], published_at=OCTOBER, authors=[PersonFactory()])
    )
    tag = Tag.objects.get()
    article.title = "Edited"
    commit(article.save)
    assert sent == [item_keys(article, OCTOBER, tag)]


def test_a_move_touches_the_old_and_new_period_and_their_links(sent, commit, given):
    article = given(lambda: ArticleFactory(tags=["Borders"], published_at=OCTOBER))
    tag = Tag.objects.get()
    article.published_at = MARCH
    commit(article.save)
    moved = item_keys(article, OCTOBER, tag) | item_keys(article, MARCH, tag)
    assert sent == [moved | {"archive-links", "tags"}]


def test_a_draft_touches_only_its_own_page_and_the_schedule(sent, commit, given):
    draft = given(lambda: ArticleFactory(status=Status.DRAFT, tags=["Borders"]))
    draft.title = "Still a draft"
    commit(draft.save)
    assert sent == [{f"article-{draft.pk}", "schedule"}]


def test_unpublishing_touches_what_the_item_showed(sent, commit, given):
    article = given(lambda: ArticleFactory(tags=["Borders"], published_at=OCTOBER))
    tag = Tag.objects.get()
    article.status = Status.DRAFT
    commit(article.save)
    assert sent == [item_keys(article, OCTOBER, tag) | {"archive-links", "tags"}]


def test_retagging_touches_the_old_and_the_new_tag(sent, commit, given):
    article = given(lambda: ArticleFactory(tags=["Borders"], published_at=OCTOBER))
    old = Tag.objects.get()
    commit(lambda: article.tags.set(["Water"]))
    new = Tag.objects.get(name="Water")
    assert len(sent) == 1
    assert {f"tag-{old.pk}", f"tag-{new.pk}", f"article-{article.pk}", "tags"} <= sent[0]


def test_a_tag_rename_touches_its_pages_and_the_lists_naming_it(sent, commit, given):
    given(lambda: ArticleFactory(tags=["Borders"]))
    tag = Tag.objects.get()
    tag.name = "Frontiers"
    commit(tag.save)
    assert sent == [{f"tag-{tag.pk}", "tags", "stream", "sitemap"}]


def test_a_bullet_touches_its_briefing_and_the_sources(sent, commit, given):
    bullet = given(lambda: BulletFactory(briefing=BriefingFactory(published_at=OCTOBER)))
    briefing = bullet.briefing
    bullet.text = "Said otherwise."
    commit(bullet.save)
    # Every page showing the briefing records its key; feeds and search show the stream.
    assert sent == [{f"briefing-{briefing.pk}", "stream", "sources"}]


def test_a_flat_page_touches_every_page(sent, commit):
    commit(lambda: FlatPage.objects.create(url="/a/"))
    assert sent == [{"site"}]


def test_one_transaction_announces_its_changes_once(sent, commit, given):
    first, second = given(lambda: (ArticleFactory(), ArticleFactory()))

    def both():
        with transaction.atomic():
            for article in (first, second):
                article.title = f"Edited {article.pk}"
                article.save()

    commit(both)
    assert len(sent) == 1
    assert {f"article-{first.pk}", f"article-{second.pk}"} <= sent[0]


def test_a_rolled_back_change_announces_nothing_and_the_next_one_is_announced(sent, commit, given):
    article = given(ArticleFactory)

    def rolled_back_then_saved():
        with transaction.atomic():
            article.title = "Never"
            article.save()
            transaction.set_rollback(True)
        with transaction.atomic():
            Article.objects.get(pk=article.pk).save()

    commit(rolled_back_then_saved)
    assert len(sent) == 1
    assert f"article-{article.pk}" in sent[0]


def test_a_failing_receiver_does_not_fail_the_save(commit, caplog):
    def failing(sender, keys, **kwargs):
        raise RuntimeError("purge refused")

    pages_changed.connect(failing)
    try:
        commit(ArticleFactory)
    finally:
        pages_changed.disconnect(failing)
    assert "purge refused" in caplog.text
