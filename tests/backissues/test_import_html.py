"""Saved HTML pages of the old site: index pages, single posts, and what must never get through."""

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backissues.formats.htmlpage import parse_html
from backissues.parsing.errors import BackIssueError
from backissues.parsing.parsed import ParsedFile
from backissues.parsing.publication_index import PublicationIndex
from tests.support import paths

FIXTURES = paths.FIXTURES / "html"
PUBLICATIONS = PublicationIndex(
    {
        "Institute for the Study of War": ["ISW", "Institute for the Study of War (ISW)"],
        "Gulf Strategy Monitor": [],
        "Levant Policy Review": [],
    }
)
BERLIN = dt.timezone(dt.timedelta(hours=1))


def parse_fixture(name: str) -> ParsedFile:
    return parse_html((FIXTURES / name).read_text(encoding="utf-8"), name, PUBLICATIONS)


def page(*articles: str) -> str:
    """A saved page holding the given post markup."""
    return f"<!DOCTYPE html><html><body><main>{''.join(articles)}</main></body></html>"


def post(content: str, title: str = "Shared Rivers, Divided States") -> str:
    return (
        '<article class="post type-post"><h2 class="entry-title">'
        f'<a href="https://old-site.example/2020/12/01/rivers/">{title}</a></h2>'
        f'<div class="entry-content">{content}</div></article>'
    )


def parse_or_refuse(text: str) -> None:
    """Bad input may be refused, with BackIssueError and nothing else."""
    with contextlib.suppress(BackIssueError):
        parse_html(text, "bad.html")


def everything_in(parsed: ParsedFile) -> str:
    """All that the parse hands on, figures, tags, notes and addresses included."""
    return repr(parsed).lower()


@pytest.fixture(scope="module")
def index_page() -> ParsedFile:
    return parse_fixture("index-page.html")


@pytest.fixture(scope="module")
def single_post() -> ParsedFile:
    return parse_fixture("single-post.html")


# The index page


def test_index_page_holds_one_briefing_and_four_excerpts(index_page):
    assert index_page.format == "html"
    assert len(index_page.briefings) == 1
    assert [a.title for a in index_page.articles] == [
        "Militia Convoys Cross Into Eastern Syria",
        "Water Diplomacy on the Tigris",
        "Drone Attacks on Gulf Shipping",
        "Wasserknappheit am Euphrat",
    ]


def test_briefing_reads_like_a_text_page_and_takes_the_entry_title(index_page):
    briefing = index_page.briefings[0]
    assert briefing.title == "Iran in the Region: Review of the Fortnight"
    assert briefing.series is None
    assert (briefing.period_start, briefing.period_end) == (
        dt.date(2020, 11, 1),
        dt.date(2020, 11, 15),
    )
    assert briefing.editor == "Dr. Nadia Farouk"
    assert briefing.language == "en"
    assert len(briefing.overview) == 3
    assert [s.title for s in briefing.sections] == [
        "Iranian Involvement in Syria",
        "Iranian Involvement in Lebanon",
    ]
    assert [len(s.bullets) for s in briefing.sections] == [2, 1]


def test_briefing_lead_figure_keeps_image_caption_and_credit(index_page):
    figure = index_page.briefings[0].lead_figure
    assert figure.caption == "The Iranian envoy meets the governor of Deir ez-Zor"
    assert figure.credit == "Tasnim, November 8, 2020"
    assert figure.image == ("https://old-site.example/wp-content/uploads/2020/11/envoy-meeting.jpg")
    assert figure.alt == "Two delegations at a long table"


def test_no_caption_text_is_left_in_the_briefing(index_page):
    briefing = index_page.briefings[0]
    assert not any("envoy" in line for line in briefing.overview)


def test_old_addresses_come_from_the_title_links_and_are_the_source_reference(index_page):
    expected = [
        "https://old-site.example/2020/11/15/iran-regional-review/",
        "https://old-site.example/2020/11/13/militia-convoys-eastern-syria/",
        "https://old-site.example/2020/11/11/water-diplomacy-tigris/",
        "https://old-site.example/2020/11/09/drone-attacks-on-shipping/",
        "https://old-site.example/2020/11/08/wasserknappheit-euphrat/",
    ]
    items = index_page.items()
    assert [item.old_url for item in items] == expected
    assert [item.source_ref for item in items] == expected


def test_continue_links_keep_their_label_and_address(index_page):
    assert [(a.continue_label, a.continue_url) for a in index_page.articles] == [
        ("More via", "https://isw.example/backgrounder/militia-convoys-eastern-syria"),
        (
            "weiterlesen / click to continue",
            "https://levant-review.example/papers/water-diplomacy-tigris",
        ),
        # Not marked as the "more" link: the last paragraph is only a continue-reading link.
        (
            "weiterlesen / click to continue",
            "https://gulf-monitor.example/briefs/drone-attacks-shipping",
        ),
        (
            "weiterlesen",
            "https://old-site.example/2020/11/08/wasserknappheit-euphrat/#more-4087",
        ),
    ]
    assert not any("weiterlesen" in (a.excerpt or "") for a in index_page.articles)


def test_brand_prefix_gives_the_kicker_and_leaves_the_title(index_page):
    kickers = {a.title: a.kicker for a in index_page.articles}
    assert kickers["Water Diplomacy on the Tigris"] == "Analysis"
    assert kickers["Wasserknappheit am Euphrat"] == "Hintergrund"
    assert kickers["Drone Attacks on Gulf Shipping"] is None  # the brand alone, no kicker
    assert not any("MESOPOTAMIA" in a.title for a in index_page.articles)


def test_meta_is_read_as_on_text_pages(index_page):
    convoys, water, drones, _ = index_page.articles
    assert (convoys.publication, convoys.date) == (
        "Institute for the Study of War",
        dt.date(2020, 11, 12),
    )
    assert (water.publication, water.authors, water.date) == (
        "Levant Policy Review",
        ["Leyla Demir"],
        dt.date(2020, 11, 10),
    )
    assert (drones.publication, drones.date) == ("Gulf Strategy Monitor", dt.date(2020, 11, 3))


def test_languages_are_detected_per_item(index_page):
    assert [a.language for a in index_page.articles] == ["en", "en", "en", "de"]


def test_excerpt_keeps_the_links_of_paragraphs_the_parser_left_whole(index_page):
    water = index_page.articles[1]
    assert water.excerpt.startswith("Turkey and Iraq met twice this autumn")
    assert (
        "A [study of seasonal flows](https://levant-review.example/papers/tigris-flows) shows"
        in water.excerpt
    )


def test_excerpt_bullets_stay_a_list(index_page):
    drones = index_page.articles[2]
    assert drones.excerpt.startswith("Bottom Line Up Front\n\n- Small drones have struck")
    assert drones.excerpt.count("\n- ") == 3


def test_tags_and_categories_become_tags_in_page_order(index_page):
    assert index_page.briefings[0].tags == ["Iran", "Syrien", "IRGC", "Hezbollah"]
    assert [a.tags for a in index_page.articles] == [
        ["Syrien", "ISW"],
        ["Analyse", "Wasser"],
        ["Golf"],
        ["Irak"],
    ]


def test_publication_time_is_aware_and_the_published_one_not_the_update(index_page):
    briefing, convoys, _, drones, german = index_page.items()
    assert briefing.published_at == dt.datetime(2020, 11, 15, 18, 30, tzinfo=BERLIN)
    assert convoys.published_at == dt.datetime(2020, 11, 13, 8, 5, tzinfo=BERLIN)
    assert drones.published_at is None  # no time element: unknown, not guessed
    assert german.published_at.utcoffset() == dt.timedelta(hours=1)  # a date alone, made aware
    assert german.published_at.date() == dt.date(2020, 11, 8)


def test_excerpt_figures_keep_image_caption_and_credit(index_page):
    (figure,) = index_page.articles[1].figures
    assert figure.image == (
        "https://old-site.example/wp-content/uploads/2020/11/dam-reservoir-300x200.jpg"
    )
    assert figure.caption == "The reservoir behind the new upstream dam"
    assert figure.credit == "Levant Policy Review, November 2, 2020"


def test_header_sidebar_footer_pagination_and_scripts_are_ignored(index_page):
    text = everything_in(index_page)
    for outside in (
        "ältere artikel",
        "neuere beiträge",
        "neueste beiträge",
        "powered by",
        "tracker",
    ):
        assert outside not in text
    assert "analysen aus dem nahen osten" not in text


# A single post


def test_single_post_takes_its_address_from_the_canonical_link(single_post):
    (article,) = single_post.articles
    assert article.old_url == "https://old-site.example/2020/11/05/kurdish-parties-resume-talks/"
    assert article.source_ref == article.old_url


def test_single_post_fields(single_post):
    (article,) = single_post.articles
    assert (article.kicker, article.title) == ("Focus", "Kurdish Parties Resume Talks in Qamishli")
    assert article.standfirst.startswith("Two rival Kurdish blocs agree to meet again")
    assert (article.publication, article.authors, article.date) == (
        "Levant Policy Review",
        ["Omar Haddad"],
        dt.date(2020, 11, 4),
    )
    assert article.excerpt.startswith("The talks resumed in a school hall")
    assert article.continue_label == "weiterlesen / click to continue"
    assert article.continue_url == "https://levant-review.example/2020/11/04/kurdish-talks-qamishli"
    assert article.published_at == dt.datetime(2020, 11, 5, 7, 45, tzinfo=BERLIN)
    assert article.tags == ["Kurdistan", "Syrien", "PYD", "Qamishli"]


def test_single_post_lazy_image_is_resolved_against_the_page(single_post):
    (figure,) = single_post.articles[0].figures
    assert (
        figure.image == "https://old-site.example/wp-content/uploads/2020/11/qamishli-meeting.jpg"
    )
    assert figure.caption == "Delegates of both blocs in a school hall in Qamishli"
    assert figure.credit == "Rudaw, November 3, 2020"


def test_single_post_leaves_out_sharing_buttons_comments_and_navigation(single_post):
    text = everything_in(single_post)
    for outside in ("teilen mit", "twitter", "very helpful summary", "kommentar", "ältere artikel"):
        assert outside not in text


# Pieces of markup


def test_post_without_a_continue_link_is_kept_as_a_draft_with_a_note():
    parsed = parse_html(page(post("<p>The two dams hold back most of the spring flood.</p>")), "p")
    (article,) = parsed.articles
    assert article.continue_label is None and article.source_status == "draft"
    assert "kept as a draft" in parsed.notes[0][1]


def test_a_link_ending_the_text_is_not_taken_for_the_continue_link_unless_it_reads_as_one():
    content = '<p>Read on.</p><p><a href="https://example.org/report.pdf">The full report</a></p>'
    (article,) = parse_html(page(post(content)), "p").articles
    assert article.continue_url is None
    assert "[The full report](https://example.org/report.pdf)" in article.excerpt


def test_uncaptioned_images_are_figures_and_smileys_are_not():
    content = (
        '<p><a href="https://old-site.example/wp-content/uploads/dam.jpg">'
        '<img src="https://old-site.example/wp-content/uploads/dam-300x200.jpg" alt="A dam">'
        "</a></p>"
        '<p>Water levels fell again <img class="wp-smiley" src="https://s.w.org/smile.png"></p>'
        '<p><a class="more-link" href="https://example.org/rivers">weiterlesen</a></p>'
    )
    (article,) = parse_html(page(post(content)), "p").articles
    (figure,) = article.figures
    # The link around the thumbnail names the full-size original.
    assert figure.image == "https://old-site.example/wp-content/uploads/dam.jpg"
    assert (figure.caption, figure.credit, figure.alt) == (None, None, "A dam")


def test_caption_that_is_only_a_credit():
    content = (
        '<figure class="wp-caption"><img src="https://old-site.example/a.jpg">'
        "<figcaption>(Photo: Reuters)</figcaption></figure><p>The river at dusk.</p>"
    )
    (article,) = parse_html(page(post(content)), "p").articles
    assert (article.figures[0].caption, article.figures[0].credit) == (None, "Photo: Reuters")


def test_relative_addresses_without_a_page_address():
    content = (
        '<img src="./saved_files/river.jpg" alt="River">'
        '<p><a class="more-link" href="/2020/12/01/rivers/">weiterlesen</a></p>'
    )
    html = page(post(content).replace("https://old-site.example", ""))
    (article,) = parse_html(html, "p").articles
    assert article.figures[0].image == "./saved_files/river.jpg"  # the saved page's own copy
    assert article.continue_url is None  # no address to make it absolute against
    assert article.old_url is None and article.source_ref is None


def test_malformed_addresses_are_dropped():
    content = (
        '<figure class="wp-caption"><a href="http://[broken.jpg"><img src="http://[x.jpg"></a>'
        "<figcaption>The old bridge</figcaption></figure>"
        '<p><a class="more-link" href="https://[::1">weiterlesen</a></p>'
    )
    (article,) = parse_html(page(post(content)), "p").articles
    assert (article.figures[0].caption, article.figures[0].image) == ("The old bridge", None)
    assert (article.continue_label, article.continue_url) == ("weiterlesen", None)


def test_an_encoding_declaration_in_the_text_is_harmless():
    html = '<?xml version="1.0" encoding="ISO-8859-1"?>' + page(post("<p>Flüsse & Dämme</p>"))
    (article,) = parse_html(html, "p").articles
    assert article.excerpt == "Flüsse & Dämme"


# Hostile markup


def test_hostile_markup_never_reaches_the_output():
    parsed = parse_fixture("hostile.html")
    (article,) = parsed.articles
    assert article.title == "Border Crossings Reopen After Talks"
    # The title's script link is gone; the page's own address stands in for it.
    assert article.old_url == "https://old-site.example/2020/11/02/border-crossings/"
    assert article.continue_url is None  # not the page's address either
    assert article.figures[0].image is None
    assert article.tags == ["Zoll"]
    assert "[Figures from the chamber of commerce](https://trade.example/crossings)" in (
        article.excerpt
    )
    text = everything_in(parsed)
    for bad in ("script", "alert", "onerror", "onclick", "onload", "evil.example", "display"):
        assert bad not in text


# Pages that are not back issues, or broken


def test_page_without_an_item_is_refused():
    with pytest.raises(BackIssueError, match="no recognisable item"):
        parse_fixture("no-item.html")


@pytest.mark.parametrize("text", ["", "   \n", "\x00\x01", "<html></html>", "plain words"])
def test_empty_or_plain_text_is_refused(text):
    with pytest.raises(BackIssueError, match="no recognisable item"):
        parse_html(text, "p")


def test_truncated_page_keeps_the_posts_before_the_cut():
    text = (FIXTURES / "index-page.html").read_text(encoding="utf-8")
    cut = text.index("The new dams upstream")
    parsed = parse_html(text[:cut], "cut.html", PUBLICATIONS)
    assert len(parsed.briefings) == 1
    assert [a.title for a in parsed.articles] == [
        "Militia Convoys Cross Into Eastern Syria",
        "Water Diplomacy on the Tigris",
    ]


def test_page_cut_anywhere_parses_or_is_refused():
    text = (FIXTURES / "single-post.html").read_text(encoding="utf-8")
    for end in range(0, len(text), 97):
        parse_or_refuse(text[:end])


def test_huge_line_and_deep_nesting():
    huge = "<p>" + "Euphrat " * 100_000 + "</p>"
    deep = "<div>" * 5_000 + "<p>The deepest paragraph.</p>" + "</div>" * 5_000
    parsed = parse_html(page(post(huge + deep)), "big.html")
    assert parsed.articles[0].excerpt.startswith("Euphrat Euphrat")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_text_parses_or_is_refused(text):
    parse_or_refuse(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=500))
def test_random_bytes_read_as_text_parse_or_are_refused(data):
    parse_or_refuse(data.decode("cp1252", errors="replace"))


TAGS = ["<article class='post'>", "<div class='entry-content'>", "<h2 class='entry-title'>", "<p>"]
TAGS += ["</p>", "</div>", "</article>", "<figure class='wp-caption'>", "<img src='x.jpg'>"]
TAGS += ["<a class='more-link' href='https://e.org/'>", "</a>", "<time datetime='2020-13-45'>"]
TAGS += ["<ul><li>", "weiterlesen", "October 1, 2020 – October 18, 2020", "(Credit)", "&amp;"]
TAGS += ["<a href='http://[broken.jpg'>", "<img data-src='http://[x'>", "<time>", "<h1>"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TAGS) | st.text(max_size=20), max_size=40))
def test_random_theme_markup_parses_or_is_refused(pieces):
    parse_or_refuse("".join(pieces))
