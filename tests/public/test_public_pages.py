"""What readers get at each address, including addresses that are wrong."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


@pytest.mark.parametrize(
    "url",
    [
        "/?page=0",
        "/?page=-1",
        "/?page=abc",
        "/?page=99",
        "/briefings/?page=2",
        "/archive/2020/13/",
        "/archive/2020/00/",
        "/archive/2021/02/30/",
        "/archive/2020/10/32/",
        "/archive/1999/",
        "/briefings/2020/13/01/anything/",
        "/articles/2021/02/29/anything/",
        "/articles/2020/10/01/no-such-item/",
        "/tags/no-such-tag/",
        "/publications/no-such-publication/",
        "/people/no-such-person/",
    ],
)
def test_malformed_or_unknown_addresses_are_404(client, url):
    ArticleFactory(published_at=at(2020, 10, 15))
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unpadded_archive_address_redirects_to_the_canonical_one(client):
    ArticleFactory(published_at=at(2020, 3, 5))
    response = client.get("/archive/2020/3/5/")
    assert response.status_code == 301
    assert response["Location"] == "/archive/2020/03/05/"
    assert client.get("/archive/2020/3/?page=1")["Location"] == "/archive/2020/03/?page=1"


def test_detail_under_another_date_redirects_to_its_dated_address(client):
    article = ArticleFactory(published_at=at(2020, 10, 15), slug="strikes-on-idlib")
    response = client.get("/articles/2019/1/2/strikes-on-idlib/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/2020/10/15/strikes-on-idlib/"
    assert article.get_absolute_url() == "/articles/2020/10/15/strikes-on-idlib/"


def test_archives_link_to_the_neighbouring_periods_that_have_items(client):
    ArticleFactory(published_at=at(2019, 6, 1), title="Older")
    BriefingFactory(published_at=at(2020, 10, 15), title="Middle")
    ArticleFactory(published_at=at(2023, 1, 9), title="Newer")
    html = client.get("/archive/2020/").content.decode()
    assert 'href="/archive/2019/"' in html and 'href="/archive/2023/"' in html
    html = client.get("/archive/2020/10/").content.decode()
    assert 'href="/archive/2019/06/"' in html and 'href="/archive/2023/01/"' in html
    html = client.get("/archive/2020/10/15/").content.decode()
    assert 'href="/archive/2019/06/01/"' in html and 'href="/archive/2023/01/09/"' in html
    assert client.get("/archive/2021/").status_code == 404


def test_home_paginates_newer_and_older(client, settings):
    settings.ITEMS_PER_PAGE = 3
    for i in range(7):
        ArticleFactory(title=f"Item {i}", published_at=at(2020, 10, 1 + i))
    first = client.get("/").content.decode()
    assert "Item 6" in first and "Item 4" in first and "Item 3" not in first
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first
    last = client.get("/?page=3").content.decode()
    assert "Item 0" in last and 'rel="prev" href="?page=2"' in last and 'rel="next"' not in last


def test_briefing_page_shows_the_whole_digest(client):
    editor = PersonFactory(name="Dana Editor")
    briefing = BriefingFactory(
        series="Spotlight on the Region",
        title="",
        period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 18),
        editor=editor,
        published_at=at(2020, 10, 19),
        tags=["Iran"],
    )
    FigureFactory(briefing=briefing, caption="Ministers meet", credit="Agency, October 4, 2020")
    BulletFactory(briefing=briefing, text="Overview point with *emphasis*.", position=1)
    later = SectionFactory(briefing=briefing, title="Second section", position=2)
    earlier = SectionFactory(briefing=briefing, title="First section", position=1)
    BulletFactory(briefing=briefing, section=later, text="A later point (Fars, October 13).")
    BulletFactory(briefing=briefing, section=earlier, text="An early point (Mehr, October 4).")

    assert briefing.title == "Spotlight on the Region: October 1 – October 18, 2020"
    html = client.get(briefing.get_absolute_url()).content.decode()
    assert "<h1>Spotlight on the Region: October 1 – October 18, 2020</h1>" in html
    assert "Dana Editor" in html
    assert "<figcaption>Ministers meet" in html and "Agency, October 4, 2020" in html
    assert "Overview point with <em>emphasis</em>." in html
    assert html.index("First section") < html.index("Second section")
    assert "(Mehr, October 4)" in html
    assert '<time datetime="2020-10-01">' in html
    assert 'href="/tags/iran/"' in html


def test_article_page_shows_the_excerpt_and_links_to_the_original(client):
    author = PersonFactory(name="Rana Author")
    article = ArticleFactory(
        kicker="Focus",
        title="Eine Analyse",
        language="de",
        authors=[author],
        standfirst="Der Vorspann.",
        editor_note="Our *own* comment.",
        excerpt="Erster Absatz.\n\n- Punkt eins\n- Punkt zwei",
        continue_url="https://review.example.org/analyse",
        continue_label="weiterlesen",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'lang="de"' in html
    assert "Focus" in html and "Rana Author" in html and article.publication.name in html
    assert "<li>Punkt eins</li>" in html and "Our <em>own</em> comment." in html
    assert 'href="https://review.example.org/analyse" rel="noopener"' in html
    assert "weiterlesen" in html and "review.example.org" in html


def test_tag_index_counts_published_items_of_both_kinds(client):
    BriefingFactory(tags=["Iraq"])
    ArticleFactory(tags=["Iraq", "Gulf"])
    html = client.get("/tags/").content.decode()
    assert 'href="/tags/iraq/">Iraq</a> <span class="count">2</span>' in html
    assert 'href="/tags/gulf/">Gulf</a> <span class="count">1</span>' in html


def test_tags_with_letters_beyond_ascii_have_pages_and_feeds(client):
    article = ArticleFactory(tags=["Außenpolitik", "περιεχόμενο"])
    for url in ("/", "/articles/", "/tags/", article.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    for slug in ("außenpolitik", "περιεχόμενο"):
        assert article.get_absolute_url() in client.get(f"/tags/{slug}/").content.decode()
        assert client.get(f"/tags/{slug}/feed/").status_code == 200


def test_an_items_text_carries_its_language_and_the_labels_the_pages(client):
    german = ArticleFactory(title="Eine Analyse", language="de", standfirst="Der Vorspann.")
    english = BriefingFactory(title="A weekly look", language="en")
    german_url, english_url = german.get_absolute_url(), english.get_absolute_url()

    on_english_page = client.get(german_url).content.decode()
    assert '<h1 lang="de">Eine Analyse</h1>' in on_english_page
    assert '<div class="standfirst" lang="de">' in on_english_page
    assert '<article class="item excerpt">' in on_english_page  # its labels are English

    on_german_page = client.get("/de" + german_url).content.decode()
    assert "<h1>Eine Analyse</h1>" in on_german_page

    german_home = client.get("/de/").content.decode()
    assert f'<h2 class="card-title" lang="en"><a href="/de{english_url}">' in german_home
    assert f'<h2 class="card-title"><a href="/de{german_url}">' in german_home
