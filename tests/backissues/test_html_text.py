"""The HTML helpers the back-issue parsers share: wpautop, shortcodes, Markdown and text lines."""

import html

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backissues.parsing.html_text import (
    extract_figures,
    extract_shortcodes,
    html_opening_lines,
    html_to_lines,
    html_to_markdown,
    plain_text,
    wpautop,
)
from publishing.markup import render_markdown
from tests.support.exact_text import PREFORMATTED, preformatted_shown

# --- wpautop -------------------------------------------------------------------------------


def test_wpautop_blank_lines_make_paragraphs_and_single_newlines_breaks():
    html = wpautop("Tehran answered.\nNo one was surprised.\n\nThe talks resume in May.")
    assert html == (
        "<p>Tehran answered.<br />\nNo one was surprised.</p>\n<p>The talks resume in May.</p>"
    )


def test_wpautop_of_nothing_is_nothing():
    assert wpautop("") == ""
    assert wpautop(" \n\n ") == ""


def test_wpautop_normalises_windows_newlines():
    assert wpautop("One\r\n\r\nTwo") == "<p>One</p>\n<p>Two</p>"


@pytest.mark.parametrize(
    "block",
    [
        "<ul>\n<li>Gaza</li>\n<li>Rafah</li>\n</ul>",
        "<ol><li>Erbil</li></ol>",
        "<h2>The Gulf</h2>",
        '<div class="note">A note</div>',
        "<table><tr><td>Oil</td></tr></table>",
        "<figure><img src='x.jpg'></figure>",
    ],
)
def test_wpautop_does_not_wrap_block_elements(block):
    html = wpautop(f"Before.\n\n{block}\n\nAfter.")
    assert html.startswith("<p>Before.</p>")
    assert html.endswith("<p>After.</p>")
    assert "<p><" not in html.replace("<p>After", "").replace("<p>Before", "")


def test_wpautop_list_items_are_not_paragraphs():
    html = wpautop("<ul>\n<li>Gaza</li>\n<li>Rafah</li>\n</ul>")
    assert html == "<ul>\n<li>Gaza</li>\n<li>Rafah</li>\n</ul>"


def test_wpautop_puts_the_paragraph_inside_a_blockquote():
    assert wpautop("<blockquote>We will not retreat.</blockquote>") == (
        "<blockquote><p>We will not retreat.</p></blockquote>"
    )


def test_wpautop_paragraphs_inside_a_div_stay_paragraphs():
    html = wpautop("<div>\nFirst thought.\n\nSecond thought.\n</div>")
    assert "<p>First thought.</p>" in html
    assert "<p>Second thought.</p>" in html


def test_wpautop_leaves_pre_alone():
    html = wpautop("Code:\n\n<pre>line one\n\nline two\n</pre>\n\nEnd.")
    assert "<pre>line one\n\nline two\n</pre>" in html
    assert "<p>Code:</p>" in html and "<p>End.</p>" in html


def test_wpautop_keeps_newlines_inside_tags_and_scripts():
    html = wpautop(
        '<a\nhref="https://example.org">link</a> text\n\n<script>a = 1;\nb = 2;</script>'
    )
    assert '<a\nhref="https://example.org">' in html
    assert "a = 1;\nb = 2;" in html


def test_wpautop_two_br_tags_make_a_paragraph_break():
    assert wpautop("One<br><br>Two") == "<p>One</p>\n<p>Two</p>"


def test_wpautop_does_not_wrap_block_editor_comments():
    html = wpautop("<!-- wp:paragraph -->\n<p>Text</p>\n<!-- /wp:paragraph -->")
    assert "<p><!--" not in html
    assert "<p>Text</p>" in html


def test_wpautop_hr_stands_alone():
    assert wpautop("Above\n<hr />\nBelow") == "<p>Above</p>\n<hr />\n<p>Below</p>"


# --- shortcodes ----------------------------------------------------------------------------

CAPTIONED = (
    'Before.\n\n[caption id="attachment_41" align="alignleft" width="300"]'
    '<a href="https://old.example.de/wp-content/uploads/2020/10/basra.jpg">'
    '<img src="https://old.example.de/wp-content/uploads/2020/10/basra-300x200.jpg" '
    'alt="The port of Basra" width="300" height="200" /></a> The port of <em>Basra</em> at dusk'
    "[/caption]\n\nAfter."
)


def test_caption_shortcode_becomes_a_figure():
    content, figures, dropped = extract_shortcodes(CAPTIONED)
    assert content == "Before.\n\n\n\nAfter."
    assert len(figures) == 1
    figure = figures[0]
    assert figure.caption == "The port of Basra at dusk"
    assert figure.image == "https://old.example.de/wp-content/uploads/2020/10/basra-300x200.jpg"
    assert figure.alt == "The port of Basra"
    assert not dropped


def test_caption_text_from_the_old_caption_attribute():
    _, figures, _ = extract_shortcodes(
        '[caption id="attachment_7" caption="Protest in <b>Amman</b> &amp; Zarqa"]'
        '<img src="a.jpg" alt="">[/caption]'
    )
    assert figures[0].caption == "Protest in Amman & Zarqa"
    assert figures[0].alt is None


def test_other_shortcodes_are_dropped_and_counted():
    content, figures, dropped = extract_shortcodes(
        'One [gallery ids="1,2,3"] two [embed]https://video.example/x[/embed] three '
        "[audio mp3=https://a.example/x.mp3] four [gallery link=file] five [contact-form]"
        "[my_plugin]some text[/my_plugin] six [video/]"
    )
    assert content == "One  two  three  four  five  six "
    assert figures == []
    assert dropped == {
        "gallery": 2,
        "embed": 1,
        "audio": 1,
        "contact-form": 1,
        "my_plugin": 1,
        "video": 1,
    }


def test_bracketed_words_in_text_are_not_shortcodes():
    text = "He called it [sic] a victory [Update the ministry denied it] in [1] and [a]."
    assert extract_shortcodes(text) == (text, [], {})


def test_escaped_shortcode_stays_as_text():
    content, _, dropped = extract_shortcodes("Write [[gallery]] to show a gallery.")
    assert content == "Write [gallery] to show a gallery."
    assert not dropped


def test_caption_without_image_or_text_is_dropped():
    content, figures, dropped = extract_shortcodes("A[caption][/caption]B")
    assert (content, figures, dropped) == ("AB", [], {"caption": 1})


def test_many_unclosed_shortcodes_are_each_dropped_and_counted():
    # How long it takes is measured by bench/parse_bench.py.
    content, figures, dropped = extract_shortcodes("[caption id=1] [embed] " * 20_000)
    assert content.strip() == "" and figures == []
    assert dropped == {"caption": 20_000, "embed": 20_000}


# --- html_to_markdown ----------------------------------------------------------------------


def test_markdown_paragraphs_emphasis_and_links():
    markdown = html_to_markdown(
        "<p>The <em>Kurdish</em> parties met in <strong>Erbil</strong>.</p>"
        '<p>Read the <a href="https://example.org/report">full report</a>.</p>'
    )
    assert markdown == (
        "The *Kurdish* parties met in **Erbil**.\n\n"
        "Read the [full report](https://example.org/report)."
    )


def test_markdown_lists_headings_and_quotes():
    markdown = html_to_markdown(
        "<h2>Main points</h2><ul><li>Oil exports rose</li><li>Gas fell</li></ul>"
        "<ol><li>First</li><li>Second</li></ol><blockquote><p>We stay.</p></blockquote>"
    )
    assert markdown == (
        "### Main points\n\n- Oil exports rose\n- Gas fell\n\n1. First\n2. Second\n\n> We stay."
    )


def test_markdown_adjacent_lists_stay_apart():
    assert html_to_markdown("<ul><li>a</li></ul><ul><li>b</li></ul>") == "- a\n\n- b"


def test_markdown_nested_list_is_indented():
    markdown = html_to_markdown("<ul><li>Iraq<ul><li>Basra</li></ul></li><li>Syria</li></ul>")
    assert markdown == "- Iraq\n    - Basra\n- Syria"
    assert "<ul>\n<li>Basra</li>" in render_markdown(markdown)


def test_markdown_line_break_is_a_hard_break():
    markdown = html_to_markdown("<p>Line one<br>line two</p>")
    assert markdown == "Line one  \nline two"
    assert "<br" in render_markdown(markdown)


def test_markdown_folds_whitespace_and_drops_empty_paragraphs():
    markdown = html_to_markdown("<p>  Too \n\n many\t spaces </p><p>&nbsp;</p><p></p><p>End</p>")
    assert markdown == "Too many spaces\n\nEnd"


def test_markdown_keeps_non_ascii_text():
    markdown = html_to_markdown("<p>Die Verhandlungen über Gaza – „schwierig“, sagt Ağaoğlu.</p>")
    assert markdown == "Die Verhandlungen über Gaza – „schwierig“, sagt Ağaoğlu."


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        ("# not a heading", "\\# not a heading"),
        ("> not a quote", "\\> not a quote"),
        ("1. not a list", "1\\. not a list"),
        ("2020. A year", "2020\\. A year"),
        ("5 * 3 * 2", "5 \\* 3 \\* 2"),
        ("_emphasis_ but snake_case", "\\_emphasis\\_ but snake_case"),
        ("Ask the U.S.-led coalition", "Ask the U.S.-led coalition"),
        ("1.5 million", "1.5 million"),
        ("A - B", "A - B"),
        ("[a](https://x.example)", "\\[a\\](https://x.example)"),
        ("[sic]", "[sic]"),
    ],
)
def test_markdown_escapes_only_what_would_change_meaning(text, escaped):
    assert html_to_markdown(f"<p>{text}</p>") == escaped


@pytest.mark.parametrize(
    "text",
    ["- list", "# heading", "> quote", "1. item", "a * b * c", "_a_ b", "x [a](http://e.com) y"],
)
def test_escaped_text_renders_as_the_same_text(text):
    html = render_markdown(html_to_markdown(f"<p>{text}</p>"))
    assert html.startswith("<p>")
    assert plain_text(html) == text


def test_markdown_literal_tags_in_text_stay_text():
    markdown = html_to_markdown("<p>Use &lt;script&gt; and &amp;copy; here</p>")
    assert "<script" not in render_markdown(markdown)
    assert "&lt;script&gt;" in render_markdown(markdown)
    assert "&amp;copy;" in render_markdown(markdown)


def test_markdown_drops_scripts_styles_iframes_forms_images_and_comments():
    markdown = html_to_markdown(
        "<p>Kept</p><script>alert(1)</script><style>p{}</style>"
        '<iframe src="https://evil.example"></iframe><form><input value="x">Form text</form>'
        '<!-- a comment --><img src="x.jpg" alt="An image"><noscript>No</noscript>'
        '<figure><img src="y.jpg"><figcaption>A caption</figcaption></figure>'
    )
    assert markdown == "Kept"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "ftp://example.org/file",
        "/relative/path",
        "",
    ],
)
def test_markdown_links_other_than_http_or_mailto_keep_only_their_text(href):
    assert html_to_markdown(f'<p>Go <a href="{href}">there</a> now</p>') == "Go there now"


def test_markdown_relative_links_made_absolute_with_a_base_url():
    markdown = html_to_markdown(
        '<p><a href="/2020/10/iran/">Earlier</a></p>', base_url="https://old.example.de/"
    )
    assert markdown == "[Earlier](https://old.example.de/2020/10/iran/)"


def test_markdown_link_address_with_spaces_and_parentheses_is_encoded():
    markdown = html_to_markdown('<p><a href="https://example.org/a b(c)">x</a></p>')
    assert markdown == "[x](https://example.org/a%20b%28c%29)"


def test_markdown_drops_event_handler_attributes():
    markdown = html_to_markdown('<p onclick="steal()">Text <b onmouseover="x()">bold</b></p>')
    assert markdown == "Text **bold**"
    assert "steal" not in render_markdown(markdown)


def test_markdown_emphasis_spaces_stay_outside_the_markers():
    assert html_to_markdown("<p>a<em> word </em>b<strong></strong>c</p>") == "a *word* bc"


def test_markdown_of_unclosed_tags():
    markdown = html_to_markdown("<p>Open <em>emphasis<p>Next <a href='https://x.example'>link")
    assert markdown.startswith("Open ")
    assert "emphasis" in markdown
    assert "[link](https://x.example)" in markdown


def test_markdown_of_emphasis_around_blocks_drops_the_emphasis():
    assert html_to_markdown("<em><p>One</p><p>Two</p></em>") == "One\n\nTwo"


def test_markdown_of_deeply_nested_markup_keeps_its_text():
    depth = 1000
    markdown = html_to_markdown("<div><span>" * depth + "deep" + "</span></div>" * depth)
    assert markdown == "deep"


def test_markdown_of_absurdly_nested_markup_does_not_crash():
    html_to_markdown("<div>" * 50_000 + "x" + "</div>" * 50_000)
    html_to_markdown("<em>" * 50_000 + "x")


def test_markdown_of_huge_input():
    paragraph = "<p>" + "Sanctions and oil. " * 50 + "</p>\n"
    markdown = html_to_markdown(paragraph * 5_000)  # about 5 MB; bench/parse_bench.py times it
    assert markdown.count("\n\n") == 4_999


def test_markdown_of_a_long_text_node_is_not_cut():
    assert len(html_to_markdown("<p>" + "x" * 11_000_000 + "</p>")) == 11_000_000


@pytest.mark.parametrize("html", ["", "   ", "<p></p>", "<!-- only -->", "\x00", "<<<>>>"])
def test_markdown_of_empty_or_junk_input(html):
    assert html_to_markdown(html).strip("<>") == ""


def test_markdown_table_rows_become_paragraphs():
    markdown = html_to_markdown(
        "<table><tr><th>Year</th><th>Oil</th></tr><tr><td>2020</td><td>3.1</td></tr></table>"
    )
    assert markdown == "Year | Oil\n\n2020 | 3.1"


@settings(max_examples=300, deadline=None)
@given(text=PREFORMATTED, wrapped=st.sampled_from(["{}", "<code>{}</code>", "<b>{}</b>"]))
def test_preformatted_text_reaches_readers_exactly(text, wrapped):
    shown = text.removeprefix("\n")  # HTML drops a newline opening a <pre>
    assume(shown.strip())
    pre = "<pre>" + wrapped.format(html.escape(text)) + "</pre>"
    for content in (f"<p>Before.</p>{pre}<p>After.</p>", wpautop(f"Before.\n\n{pre}\n\nAfter.")):
        rendered = render_markdown(html_to_markdown(content))
        assert preformatted_shown(rendered) == [shown]
        assert rendered.startswith("<p>Before.</p>") and rendered.endswith("<p>After.</p>")


def test_preformatted_text_keeps_breaks_drops_scripts_and_nothing_else():
    markdown = html_to_markdown(
        "<blockquote><pre>\n\tone<br>two  <em>three</em><script>x()</script>\n</pre></blockquote>"
    )
    assert preformatted_shown(render_markdown(markdown)) == ["\tone\ntwo  three\n"]
    assert "<blockquote>\n<pre>" in render_markdown(markdown)
    assert html_to_lines("<pre>\tone  two\n\n  three</pre>") == ["one two three"]


@pytest.mark.parametrize("html_text", ["<pre></pre>", "<pre>\n</pre>", "<pre> \t\n </pre>"])
def test_a_preformatted_block_of_blanks_shows_nothing(html_text):
    assert html_to_markdown(f"<p>a</p>{html_text}") == "a"


# --- html_to_lines -------------------------------------------------------------------------


def test_lines_have_the_shape_of_a_text_page():
    lines = html_to_lines(
        "<p>October 1, 2020 – October 18, 2020<br>Editor: Dr. Jane Roe</p>"
        "<p>The meeting in Baghdad (<em>Mehr</em>, October 4, 2020).</p>"
        "<ul><li>Talks <strong>continue</strong>.</li>"
        "<li>Funds are <a href='x'>released</a>.</li></ul>"
        "<h3>Iranian Involvement in Syria</h3>"
        "<ul><li>Reinforcements arrived.</li></ul>"
    )
    assert lines == [
        "October 1, 2020 – October 18, 2020",
        "Editor: Dr. Jane Roe",
        "",
        "The meeting in Baghdad (Mehr, October 4, 2020).",
        "",
        "  • Talks continue.",
        "  • Funds are released.",
        "",
        "Iranian Involvement in Syria",
        "",
        "  • Reinforcements arrived.",
    ]


def test_lines_keep_text_unescaped():
    assert html_to_lines("<p>- 5 * 3 [sic] &amp; &lt;b&gt;</p>") == ["- 5 * 3 [sic] & <b>"]


def test_lines_of_a_list_item_with_paragraphs_are_one_line():
    assert html_to_lines("<ul><li><p>One</p><p>more</p></li></ul>") == ["  • One more"]


def test_lines_of_nothing():
    assert html_to_lines("") == []


@pytest.mark.parametrize(
    "html",
    [
        "<p>Spotlight on the Gulf</p><p>March 1 – March 14, 2021<br>Editor: Ann Lee</p><p>x</p>",
        "<p>One<br>two<br>three</p><p>four</p>",
        "<ul><li>First point</li><li>Second <em>point</em></li></ul><p>After</p>",
        "<blockquote><p>Quoted</p></blockquote><h2>Heading</h2>",
        "Bare text<div><p>in a div</p></div>",
        "<p>Only one</p>",
        "<p> </p>",
        "",
    ],
)
def test_opening_lines_are_the_first_lines_not_blank(html):
    whole = [line for line in html_to_lines(html) if line.strip()]
    assert html_opening_lines(html, 2) == whole[:2]
    assert html_opening_lines(html, 1) == whole[:1]


# --- figures and plain text ----------------------------------------------------------------


def test_block_editor_figures():
    figures = extract_figures(
        '<figure class="wp-block-image"><img src="https://e.example/a.jpg" alt="Tanks">'
        "<figcaption>Tanks near <em>Idlib</em></figcaption></figure>"
        '<figure class="wp-block-table"><table><tr><td>1</td></tr></table></figure>'
    )
    assert len(figures) == 1
    assert (figures[0].image, figures[0].alt, figures[0].caption) == (
        "https://e.example/a.jpg",
        "Tanks",
        "Tanks near Idlib",
    )


def test_plain_text_decodes_entities_and_folds_whitespace():
    assert plain_text("Gaza &amp; the <b>West\n Bank</b>") == "Gaza & the West Bank"


def test_a_caption_ending_in_parentheses_gives_the_credit():
    content = (
        '[caption id="attachment_9" width="300"]<img src="https://old.example/wp-content/uploads/'
        '2020/10/port.jpg" alt="A port" /> The port at dawn (Tasnim, October 4, 2020)[/caption]'
    )
    _, figures, _ = extract_shortcodes(content)
    assert figures[0].caption == "The port at dawn"
    assert figures[0].credit == "Tasnim, October 4, 2020"


@pytest.mark.parametrize(
    ("start", "first"),
    [("3", "3."), (" 7 ", "7."), ("0", "0."), ("-2", "1."), ("²", "1."), ("٣", "1."), ("x", "1.")]
    + [("99999999999", "1."), ("", "1.")],
)
def test_a_numbered_list_starts_where_a_browser_would_start_it(start, first):
    markdown = html_to_markdown(f'<ol start="{start}"><li>Erbil</li><li>Mosul</li></ol>')
    assert markdown.splitlines()[0] == f"{first} Erbil"
