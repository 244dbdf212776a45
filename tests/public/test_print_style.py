"""Briefing pages on paper: a print stylesheet, linked for print only, that leaves the site's
chrome out, prints black on white and keeps bullets, figures and headings whole."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from tests.support.factories import BriefingFactory, BulletFactory, SectionFactory

pytestmark = pytest.mark.django_db


class Stylesheets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.links.append(attrs)


def rules(css: str) -> dict[str, str]:
    """Each selector of the stylesheet with its declarations, comments left out."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: dict[str, str] = {}
    for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            name = " ".join(selector.split())
            found[name] = found.get(name, "") + " ".join(declarations.split())
    return found


@pytest.fixture
def briefing_page(client) -> str:
    briefing = BriefingFactory()
    section = SectionFactory(briefing=briefing, title="Economy")
    BulletFactory(
        briefing=briefing, section=section, text="See [the report](https://example.com/r)."
    )
    response = client.get(briefing.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def print_rules(briefing_page) -> dict[str, str]:
    parser = Stylesheets()
    parser.feed(briefing_page)
    printed = [link for link in parser.links if link.get("media") == "print"]
    assert [link["href"] for link in printed] == ["/static/css/print.css"]
    # The screen stylesheet stays for every medium, so the print one only adjusts it.
    assert any(
        link["href"] == "/static/css/site.css" and "media" not in link for link in parser.links
    )
    path = finders.find("css/print.css")
    with open(path, encoding="utf-8") as stylesheet:
        return rules(stylesheet.read())


def test_the_briefing_page_links_the_print_stylesheet_with_no_inline_style(briefing_page):
    # The Content-Security-Policy allows the site's own stylesheets only.
    assert " style=" not in briefing_page


def test_the_sites_chrome_is_left_out(print_rules):
    for chrome in (".masthead", ".site-footer", ".language-switcher", ".site-search", ".skip"):
        assert "display: none" in print_rules[chrome], chrome


def test_black_serif_text_on_white_within_page_margins(print_rules):
    assert "margin:" in print_rules["@page"]
    assert "color: #000" in print_rules["body"] and "background: #fff" in print_rules["body"]
    assert "serif" in print_rules["body"]
    assert "max-width: 100%" in print_rules["img"]


def test_bullets_figures_and_headings_are_kept_whole(print_rules):
    for whole in (".bullets li", ".figure", "img"):
        assert "break-inside: avoid" in print_rules[whole], whole
    assert "break-after: avoid" in print_rules["h2"]
    assert "break-before: avoid" in print_rules["h2 + ul > li:first-child"]


def test_outside_links_show_their_address_but_the_continue_button_does_not(print_rules):
    assert 'content: " (" attr(href) ")"' in print_rules['a[href^="http"]::after']
    assert "content: none" in print_rules[".continue a::after"]
