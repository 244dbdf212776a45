"""A briefing as a newsletter: e-mail HTML with its styles inline, and plain text.

Mail programs drop `<style>` elements and external stylesheets and cannot resolve the site's
relative addresses, so every element carries its own `style`, and every link and image names
SITE_URL. The bullets' HTML is the sanitized HTML rendered on save, given styles on the way.
"""

import html
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from briefings.models import Briefing

TEXT_WIDTH = 72
MUTED = "#5b616b"
ACCENT = "#8a2a1b"

# The styles of the elements a bullet's sanitized HTML may hold (publishing/markup.py).
BULLET_STYLES = {
    "a": f"color: {ACCENT}; text-decoration: underline;",
    "p": "margin: 0 0 8px;",
    "ul": "margin: 8px 0; padding-left: 20px;",
    "ol": "margin: 8px 0; padding-left: 20px;",
    "li": "margin: 0 0 4px;",
    "blockquote": f"margin: 8px 0; padding-left: 12px; border-left: 3px solid {MUTED};",
    "code": "font-family: Menlo, Consolas, monospace; font-size: 14px;",
}
VOID_ELEMENTS = {"br"}


@dataclass(frozen=True)
class Newsletter:
    html: str
    text: str
    name: str  # the downloads' file name, without extension


def briefing_newsletter(briefing: Briefing) -> Newsletter:
    """Both forms, in the briefing's own language (labels and dates alike). Fetch the briefing
    with `Briefing.objects.for_detail()` to read it in a fixed number of queries."""
    with translation.override(briefing.language):
        return Newsletter(newsletter_html(briefing), newsletter_text(briefing), briefing.slug)


def absolute(address: str) -> str:
    """`address` on SITE_URL, unless it names its own origin (media in object storage)."""
    return urljoin(f"{settings.SITE_URL}/", address)


def period_text(briefing: Briefing) -> str:
    """The period as the briefing's web page writes it."""
    days = [day for day in (briefing.period_start, briefing.period_end) if day]
    return " – ".join(date_format(day, "DATE_FORMAT") for day in days)


def one_to_one(obj, name: str):
    """A reverse one-to-one relation (a figure), or None where there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def email_figure(figure) -> dict | None:
    if figure is None:
        return None
    picture = figure.picture
    return {
        "src": absolute(picture.src) if picture else "",
        "alt": figure.alt,
        "caption": figure.caption,
        "credit": figure.credit,
    }


def sections(briefing: Briefing) -> list[dict]:
    return [
        {
            "title": section.title,
            "figure": email_figure(one_to_one(section, "figure")),
            "bullets": [bullet.text_html for bullet in section.bullet_list],
        }
        for section in briefing.sections.all()
    ]


# --- HTML ----------------------------------------------------------------------------------


def newsletter_html(briefing: Briefing) -> str:
    context = {
        "briefing": briefing,
        "period": period_text(briefing),
        "web_address": absolute(briefing.get_absolute_url()),
        "lead_figure": email_figure(one_to_one(briefing, "lead_figure")),
        "overview": [styled(bullet.text_html) for bullet in briefing.overview],
        "sections": [
            {**section, "bullets": [styled(text) for text in section["bullets"]]}
            for section in sections(briefing)
        ],
        "site_name": settings.SITE_NAME,
    }
    return render_to_string("briefings/newsletter/briefing.html", context)


class _StyledHTML(HTMLParser):
    """Sanitized HTML again, each element with its inline style and each link absolute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "href" in attributes:
            attributes["href"] = absolute(attributes["href"] or "")
        if tag in BULLET_STYLES:
            attributes["style"] = BULLET_STYLES[tag]
        written = "".join(
            f' {name}="{html.escape(value or "")}"' for name, value in attributes.items()
        )
        self.out.append(f"<{tag}{written}>")

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))


def styled(sanitized_html: str) -> SafeString:
    parser = _StyledHTML()
    parser.feed(sanitized_html)
    parser.close()
    # Safe: it is the sanitizer's output, re-serialized with every value escaped.
    return mark_safe("".join(parser.out))


# --- Plain text ----------------------------------------------------------------------------


class _LinkedText(HTMLParser):
    """The text of a bullet's HTML, each link followed by its address: “talks (https://…)”."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.out)))
        elif tag in ("br", "p", "li"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.out[start:]).strip()
            address = absolute(href)
            if href and text != address and urlsplit(address).scheme in ("http", "https"):
                self.out.append(f" ({address})")

    def handle_data(self, data):
        self.out.append(data)


def linked_text(sanitized_html: str) -> str:
    parser = _LinkedText()
    parser.feed(sanitized_html)
    parser.close()
    return " ".join("".join(parser.out).split())


def wrapped(text: str, first: str = "", rest: str = "") -> str:
    # Addresses are never broken: a mail program turns only a whole one into a link.
    return textwrap.fill(
        text,
        TEXT_WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def underlined(title: str, rule: str) -> str:
    return f"{wrapped(title)}\n{rule * min(len(title), TEXT_WIDTH)}"


def bullet_lines(bullets: list[str]) -> str:
    return "\n\n".join(wrapped(linked_text(text), "- ", "  ") for text in bullets)


def figure_text(figure: dict | None) -> str:
    if not figure or not (figure["caption"] or figure["credit"]):
        return ""
    credit = f"({figure['credit']})" if figure["credit"] else ""
    return wrapped(" ".join(part for part in (figure["caption"], credit) if part))


def newsletter_text(briefing: Briefing) -> str:
    facts = [
        (_("Period"), period_text(briefing)),
        (_("Editor"), briefing.editor.name if briefing.editor else ""),
        (_("Publisher"), briefing.publisher),
    ]
    blocks = [
        underlined(briefing.title, "="),
        "\n".join(wrapped(f"{label}: {value}") for label, value in facts if value),
        figure_text(email_figure(one_to_one(briefing, "lead_figure"))),
    ]
    if overview := [bullet.text_html for bullet in briefing.overview]:
        blocks += [underlined(_("Overview"), "-"), bullet_lines(overview)]
    for section in sections(briefing):
        blocks += [underlined(section["title"], "-"), figure_text(section["figure"])]
        blocks.append(bullet_lines(section["bullets"]))
    web_address = absolute(briefing.get_absolute_url())
    blocks.append(f"{_('Read this briefing on the web:')}\n{web_address}")
    return "\n\n".join(block for block in blocks if block) + "\n"
