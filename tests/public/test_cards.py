"""What a card on the list pages says of its item: a teaser a reader can use, and a small
thumbnail from the figure's renditions when the item has an image (none when it has not)."""

import re

import pytest
from django.utils import timezone

from articles.models import Article, ArticleFigure
from briefings.models import Briefing
from tests.support.factories import (
    ArticleFactory,
    BriefingFactory,
    BulletFactory,
    FigureFactory,
    SectionFactory,
)
from tests.support.images import photo, upload

pytestmark = pytest.mark.django_db

LONG_BULLET = (
    "Iranian outlets gave prominent coverage to talks on the next government in Baghdad and "
    "cast the pro-Iranian parties as guarantors of stability, while warning that Washington "
    "was pressing for limits on the Popular Mobilization Forces (Tasnim, July 1)."
)


def card_of(html: str, title: str) -> str:
    """The <article class="card …"> whose title is `title`."""
    cards = re.findall(r'<article class="card .*?</article>', html, re.S)
    return next(card for card in cards if f">{title}</a></h2>" in card)


def listed(briefing: Briefing) -> Briefing:
    return Briefing.objects.for_listing().get(pk=briefing.pk)


# --- Teasers ---------------------------------------------------------------------------------


def test_a_briefings_summary_is_its_teaser():
    briefing = BriefingFactory(summary="  Baghdad talks,\n and a quiet Gulf. ")
    BulletFactory(briefing=briefing, text="The first overview bullet.")
    assert listed(briefing).teaser == "Baghdad talks, and a quiet Gulf."


def test_without_a_summary_the_first_overview_bullet_is_shortened_at_a_word():
    briefing = BriefingFactory()
    section = SectionFactory(briefing=briefing)
    BulletFactory(briefing=briefing, section=section, text="A section's bullet.", position=0)
    BulletFactory(briefing=briefing, text="The *second* bullet.", position=2)
    BulletFactory(
        briefing=briefing, text=LONG_BULLET.replace("stability", "*stability*"), position=1
    )
    teaser = listed(briefing).teaser
    assert teaser.endswith("…") and len(teaser) <= 200
    assert teaser.startswith("Iranian outlets gave prominent coverage")
    assert "*" not in teaser and "<" not in teaser
    # Cut after a whole word of the bullet: what comes before the ellipsis is a prefix of it.
    assert LONG_BULLET.startswith(teaser[:-1]) and LONG_BULLET[len(teaser) - 1] == " "


def test_a_short_first_bullet_is_the_whole_teaser_and_the_detail_reads_it_too():
    briefing = BriefingFactory()
    BulletFactory(briefing=briefing, text="Tehran kept *quiet* on [Syria](https://x.example/).")
    assert listed(briefing).teaser == "Tehran kept quiet on Syria."
    detail = Briefing.objects.for_detail().get(pk=briefing.pk)
    assert detail.teaser == "Tehran kept quiet on Syria."


def test_an_excerpts_teaser_is_its_standfirst_else_its_opening_words():
    with_standfirst = ArticleFactory(standfirst="The *militias* move.", excerpt="Body text.")
    without = ArticleFactory(standfirst="", excerpt=LONG_BULLET)
    assert with_standfirst.teaser == "The militias move."
    assert without.teaser.endswith("…") and LONG_BULLET.startswith(without.teaser[:-1])


def test_an_item_with_nothing_to_tell_has_no_teaser(client):
    briefing = BriefingFactory(title="Nothing to tell")
    article = ArticleFactory(title="Nor here", standfirst="", excerpt="")
    assert listed(briefing).teaser == "" and article.teaser == ""
    html = client.get("/").content.decode()
    assert 'class="card-text"' not in card_of(html, "Nothing to tell")
    assert 'class="card-text"' not in card_of(html, "Nor here")


def test_cards_show_the_teasers_escaped(client):
    BulletFactory(
        briefing=BriefingFactory(title="Bullet card"), text="Talks <script>alert(1)</script> end."
    )
    BriefingFactory(title="Summary card", summary='<img src=x onerror="alert(2)">')
    ArticleFactory(title="Excerpt card", standfirst="", excerpt="Opening <b>words</b> here.")
    html = client.get("/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in card_of(html, "Summary card")
    assert '<p class="card-text">Opening words here.</p>' in card_of(html, "Excerpt card")


def test_the_lead_figures_caption_is_no_longer_the_teaser(client):
    briefing = FigureFactory(
        caption="Delegates at the crossing", briefing=BriefingFactory(title="Captioned")
    ).briefing
    BulletFactory(briefing=briefing, text="What the week was about.")
    card = card_of(client.get("/").content.decode(), "Captioned")
    assert "Delegates at the crossing" not in card
    assert '<p class="card-text">What the week was about.</p>' in card


def test_a_briefings_summary_describes_its_page(client):
    briefing = BriefingFactory(summary="The week in one line & more.")
    BulletFactory(briefing=briefing, text="The first overview bullet.")
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert '<meta name="description" content="The week in one line &amp; more.">' in page


def test_the_json_feed_gives_each_item_its_teaser(client):
    BriefingFactory(summary="The week in one line.")
    items = client.get("/feed.json").json()["items"]
    assert [item["summary"] for item in items] == ["The week in one line."]


# --- Thumbnails ------------------------------------------------------------------------------


def with_images() -> tuple[Briefing, Article]:
    briefing = BriefingFactory(title="Pictured briefing", tags=["gulf"])
    FigureFactory(briefing=briefing, image=upload("lead.jpg", photo(1000, 600)), alt="A chart")
    article = ArticleFactory(title="Pictured excerpt", tags=["gulf"])
    ArticleFigure.objects.create(article=article, caption="No file", position=0)
    ArticleFigure.objects.create(
        article=article, image=upload("map.jpg", photo(900, 600)), alt="A map", position=1
    )
    BriefingFactory(title="Plain briefing", tags=["gulf"])
    FigureFactory(briefing=BriefingFactory(title="Caption only", tags=["gulf"]))
    ArticleFactory(title="Plain excerpt", tags=["gulf"])
    return briefing, article


def thumbnail(card: str) -> str | None:
    found = re.search(r'<img class="card-image"[^>]*>', card)
    return found and found.group(0)


@pytest.mark.parametrize("path", ["/", "/tags/gulf/", "archive", "/briefings/", "/articles/"])
def test_cards_of_items_with_an_image_show_a_thumbnail_from_its_renditions(client, path):
    briefing, article = with_images()
    if path == "archive":
        path = f"/archive/{timezone.localtime(briefing.published_at):%Y}/"
    html = client.get(path).content.decode()
    assert briefing.title in html or article.title in html
    for item, alt in [(briefing, "A chart"), (article, "A map")]:
        if item.title not in html:  # the list of the other kind
            continue
        img = thumbnail(card_of(html, item.title))
        figure = item.lead_image
        webp = sorted(
            (r for r in figure.renditions if r["type"] == "image/webp"), key=lambda r: r["width"]
        )
        srcset = ", ".join(f"/media/{r['name']} {r['width']}w" for r in webp)
        assert f'srcset="{srcset}"' in img and 'sizes="' in img
        assert f'src="/media/{webp[0]["name"]}"' in img
        assert f'width="{webp[0]["width"]}" height="{webp[0]["height"]}"' in img
        assert f'alt="{alt}"' in img and 'loading="lazy"' in img
    for title in ["Plain briefing", "Caption only", "Plain excerpt"]:
        if title in html:
            card = card_of(html, title)
            assert thumbnail(card) is None and "<img" not in card


def test_an_excerpts_thumbnail_is_its_first_figure_with_an_image():
    _briefing, article = with_images()
    listed_article = Article.objects.for_listing().get(pk=article.pk)
    assert listed_article.lead_image.alt == "A map"


def test_a_thumbnails_alt_text_is_escaped(client):
    briefing = BriefingFactory(title="Quoted alt")
    FigureFactory(
        briefing=briefing,
        image=upload("lead.jpg", photo(600, 400)),
        alt='A map" onerror="alert(1)',
        caption="<script>alert(2)</script>",
    )
    card = card_of(client.get("/").content.decode(), "Quoted alt")
    assert 'alt="A map&quot; onerror=&quot;alert(1)"' in card
    assert "<script>" not in client.get(briefing.get_absolute_url()).content.decode()


def test_an_image_without_renditions_is_its_own_thumbnail(client):
    # An animation is served as it is, without renditions.
    briefing = BriefingFactory(title="Animated")
    FigureFactory(
        briefing=briefing,
        image="figures/animated.gif",
        image_width=300,
        image_height=200,
        alt="A moving map",
    )
    img = thumbnail(card_of(client.get("/").content.decode(), "Animated"))
    assert 'src="/media/figures/animated.gif"' in img and "srcset" not in img
    assert 'width="300" height="200"' in img
