"""Editors write limited Markdown; readers get it as sanitized HTML, rendered once on save."""

import html
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

import markdown
import nh3

from publishing.code_blocks import ExactCodeBlocks

ALLOWED_TAGS = {
    *{"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "sup"},
    "pre",  # fenced code and the old site's <pre>, whitespace kept
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Plain prose: nothing Markdown would read as markup, so paragraphs of escaped text are exactly
# what Markdown makes of it, many times faster. Most imported bullets and excerpts are such text.
_MARKUP_CHARACTERS = re.compile(r"[\\`*_\[\]<>&#!=~|{}\x00-\x1f\x7f]|^[-+\d\s]|\s$")
_PARAGRAPH_BREAK = re.compile(r"\n\n+")
_LIST_MARKER = "- "


# (inline, text) -> HTML rendered beforehand, e.g. by the importer's worker processes.
_prerendered: ContextVar[Mapping[tuple[bool, str], str]] = ContextVar(
    "prerendered", default=MappingProxyType({})
)


@contextmanager
def prerendered(rendered: Mapping[tuple[bool, str], str]) -> Iterator[None]:
    """Within the block, texts in `rendered` are not rendered again."""
    token = _prerendered.set(rendered)
    try:
        yield
    finally:
        _prerendered.reset(token)


def render_markdown(text: str) -> str:
    """Markdown to HTML that keeps only an allow-list of tags, attributes and link schemes."""
    if (known := _prerendered.get().get((False, text))) is not None:
        return known
    if not text.strip():
        return ""
    return _sanitize(_plain_paragraphs(text) or _markdown_to_html(text))


_converters = threading.local()


def _markdown_to_html(text: str) -> str:
    """Markdown's HTML, from a converter kept per thread: building one costs a fifth of a
    conversion, and a converter must not be shared by threads."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(
            output_format="html", extensions=[ExactCodeBlocks()]
        )
    return converter.reset().convert(text)


def _plain_paragraphs(text: str) -> str | None:
    """The HTML Markdown would make of `text` when it is plain prose, in paragraphs and simple
    "- " lists; None when it is not."""
    blocks = []
    after_list = False
    for paragraph in _PARAGRAPH_BREAK.split(text.strip("\n")):
        items = _plain_list_items(paragraph)
        if items is not None:
            if after_list:  # Markdown joins two lists into one of paragraphs
                return None
            blocks.append(
                "<ul>\n" + "".join(f"<li>{_escape(item)}</li>\n" for item in items) + "</ul>"
            )
        elif _MARKUP_CHARACTERS.search(paragraph):
            return None
        else:
            blocks.append(f"<p>{_escape(paragraph)}</p>")
        after_list = items is not None
    return "\n".join(blocks)


def _plain_list_items(paragraph: str) -> list[str] | None:
    """The items of a paragraph that is a "- " list of plain lines, one item a line."""
    lines = paragraph.split("\n")
    if not all(line.startswith(_LIST_MARKER) for line in lines):
        return None
    items = [line.removeprefix(_LIST_MARKER) for line in lines]
    if any(_MARKUP_CHARACTERS.search(item) or not item for item in items):
        return None
    return items


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _sanitize(html_text: str) -> str:
    return nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_inline_markdown(text: str) -> str:
    """Like render_markdown, for one paragraph shown inside an element of its own (a bullet)."""
    if (known := _prerendered.get().get((True, text))) is not None:
        return known
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
