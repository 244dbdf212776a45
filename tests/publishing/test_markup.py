"""Editor text is Markdown rendered to HTML that keeps only an allow-list."""

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publishing.code_blocks import fenced
from publishing.markup import (
    _markdown_to_html,
    _plain_paragraphs,
    prerendered,
    render_inline_markdown,
    render_markdown,
)
from tests.support.exact_text import PREFORMATTED, preformatted_shown
from tests.support.factories import ArticleFactory, BulletFactory

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<p onclick="alert(1)">text</p>',
    "<iframe src='https://evil.example/'></iframe>",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_is_removed(text):
    html = render_markdown(text).lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "data:", "<style"):
        assert bad not in html


def test_allowed_markup_survives():
    html = render_markdown(
        "*em* **strong** [site](https://example.org/) [mail](mailto:desk@example.org)"
        "\n\n- one\n- two"
    )
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">site</a>' in html
    assert 'href="mailto:desk@example.org"' in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html


def test_inline_markdown_drops_the_paragraph_wrapper():
    assert render_inline_markdown("A *point* (Mehr, October 4).") == (
        "A <em>point</em> (Mehr, October 4)."
    )
    assert render_inline_markdown("") == ""


@pytest.mark.django_db
def test_html_is_rendered_on_save():
    article = ArticleFactory(excerpt="<script>x()</script>Plain *text*", editor_note="")
    assert "<script" not in article.excerpt_html and "<em>text</em>" in article.excerpt_html
    bullet = BulletFactory(text='Say <b onmouseover="x()">hi</b>')
    assert bullet.text_html == "Say hi"


PROSE = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 .,;:'\"()?-+*_#>[]&<`!\n\t\u00a0äß–“”")),
    max_size=80,
)


@settings(max_examples=400, deadline=None)
@given(PROSE)
def test_the_plain_prose_shortcut_renders_exactly_as_markdown_does(text):
    fast = _plain_paragraphs(text)
    if text.strip() and fast is not None:
        assert fast == _markdown_to_html(text)


LINES = st.lists(
    st.tuples(
        st.sampled_from(["", "- ", "-  ", "* ", "1. "]), PROSE.filter(lambda t: "\n" not in t)
    ),
    min_size=1,
    max_size=4,
).map(lambda lines: "\n".join(marker + text for marker, text in lines))
BLOCKS = st.lists(LINES, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=400, deadline=None)
@given(BLOCKS)
def test_the_shortcut_renders_paragraphs_and_lists_exactly_as_markdown_does(text):
    fast = _plain_paragraphs(text)
    if text.strip() and fast is not None:
        assert fast == _markdown_to_html(text)


def test_plain_prose_takes_the_shortcut_and_markup_does_not():
    assert _plain_paragraphs("Talks resumed (Mehr, October 4).\n\nTrade rose.") == (
        "<p>Talks resumed (Mehr, October 4).</p>\n<p>Trade rose.</p>"
    )
    assert _plain_paragraphs("Two points:\n\n- one\n- two") == (
        "<p>Two points:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )
    assert _plain_paragraphs("Talks *resumed*.") is None
    assert _plain_paragraphs("- a *list*") is None
    assert _plain_paragraphs("- one\n\n- two") is None  # one list of paragraphs
    assert _plain_paragraphs("- one\n  - nested") is None


def test_prerendered_text_is_taken_as_given_within_its_block_only():
    with prerendered({(False, "*a*"): "<p>given</p>", (True, "*b*"): "given"}):
        assert render_markdown("*a*") == "<p>given</p>"
        assert render_inline_markdown("*b*") == "given"
        assert render_markdown("*b*") == "<p><em>b</em></p>"
    assert render_markdown("*a*") == "<p><em>a</em></p>"


# --- Fenced code: its text exactly -----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(code=PREFORMATTED, quotes=st.integers(0, 2))
def test_a_fenced_block_shows_its_text_exactly(code, quotes):
    prefix = "> " * quotes
    block = "\n".join(prefix + line for line in fenced(code).split("\n"))
    rendered = render_markdown(f"Before.\n\n{block}\n\nAfter.")
    assert preformatted_shown(rendered) == [code]
    assert rendered.count("<blockquote>") == quotes
    assert rendered.startswith("<p>Before.</p>") and "<p>After.</p>" in rendered


def test_an_editors_fence_keeps_tabs_spaces_and_blank_lines_and_escapes_markup_once():
    rendered = render_markdown(
        "Code:\n```python\n\tif a  <  b:\n\n  \n# &amp; <script>alert(1)</script>\n```\nDone."
    )
    assert preformatted_shown(rendered) == [
        "\tif a  <  b:\n\n  \n# &amp; <script>alert(1)</script>"
    ]
    assert "<script" not in rendered and "class=" not in rendered  # no language attribute
    assert rendered.endswith("<p>Done.</p>")


def test_a_fence_runs_to_a_longer_closing_or_to_the_end_of_its_text_or_quote():
    assert preformatted_shown(render_markdown("````\n```\nstill code\n`````\nout")) == [
        "```\nstill code"
    ]
    assert preformatted_shown(render_markdown("```\nnever closed\n\n\tend")) == [
        "never closed\n\n\tend"
    ]
    quoted = render_markdown("> ```\n> quoted\n>\n> code\nafter")
    assert preformatted_shown(quoted) == ["quoted\n\ncode"]
    assert quoted.endswith("<p>after</p>")


@pytest.mark.parametrize("text", ["Inline ``` ticks", "~~~\nnot a fence\n~~~", "\\`\\`\\`\nx"])
def test_what_is_not_a_fence_stays_prose(text):
    assert "<pre>" not in render_markdown(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markup_inside_a_fence_is_shown_as_text(text):
    rendered = render_markdown(fenced(text))
    assert rendered == f"<pre><code>{html.escape(text, quote=False)}</code></pre>"
