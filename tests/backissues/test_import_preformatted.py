"""A post's <pre> blocks reach readers exactly as the export holds them: every space, tab,
blank line and character, in the classic and block editors' content and in saved pages."""

import html
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from articles.models import Article
from backissues.formats.htmlpage import parse_html
from backissues.formats.wxr import parse_wxr
from publishing.markup import render_markdown
from tests.support.exact_text import PREFORMATTED, preformatted_shown

EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_name>{slug}</wp:post_name><wp:post_date_gmt>2020-03-0{post_id} 08:00:00</wp:post_date_gmt>
</item>"""
# How each editor stores a <pre>: the classic editor's content goes through WordPress's
# paragraphs (wpautop); the block editor's code and preformatted blocks do not.
EDITORS = {
    "classic": "Before the listing.\n\n<pre>{}</pre>\n\nAfter the listing.",
    "code": (
        "<!-- wp:paragraph --><p>Before the listing.</p><!-- /wp:paragraph -->\n"
        '<!-- wp:code --><pre class="wp-block-code"><code>{}</code></pre><!-- /wp:code -->\n'
        "<!-- wp:paragraph --><p>After the listing.</p><!-- /wp:paragraph -->"
    ),
    "preformatted": (
        "<!-- wp:paragraph --><p>Before the listing.</p><!-- /wp:paragraph -->\n"
        '<!-- wp:preformatted --><pre class="wp-block-preformatted">{}</pre>'
        "<!-- /wp:preformatted -->\n"
        "<!-- wp:paragraph --><p>After the listing.</p><!-- /wp:paragraph -->"
    ),
}
# A listing of every kind of line Markdown or HTML would read as markup.
LISTING = (
    "# not a heading\n\tindented by a tab\n  two spaces\t\tand two tabs\n\n"
    "    \n- not a list\n1. not numbered\n> not quoted\n```\n~~~\n"
    "C:\\path\\to\\file \\* \\\\ \\`\nif a < b && c > d: print('&amp;')\n  ]]> trailing  "
)


def export(posts: list[tuple[str, str]]) -> bytes:
    """An export holding a post per (editor, listing), in the order given."""
    items = "".join(
        ITEM.format(
            title=f"Listing {number}",
            slug=f"listing-{number}",
            post_id=number,
            content=EDITORS[editor].format(html.escape(listing)).replace("]]>", "]]]]><![CDATA[>"),
        )
        for number, (editor, listing) in enumerate(posts, start=1)
    )
    return EXPORT.format(items=items).encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listing=PREFORMATTED, editor=st.sampled_from(sorted(EDITORS)))
def test_a_posts_preformatted_text_is_read_exactly(listing, editor):
    shown = listing.removeprefix("\n")  # HTML drops a newline opening a <pre>
    assume(shown.strip())
    [article] = parse_wxr(BytesIO(export([(editor, listing)])), "export.xml").articles
    rendered = render_markdown(article.excerpt)
    assert preformatted_shown(rendered) == [shown]
    assert rendered.startswith("<p>Before the listing.</p>")
    assert rendered.endswith("<p>After the listing.</p>")


@pytest.mark.django_db
def test_an_imported_listing_is_shown_exactly_on_the_public_page(tmp_path, client):
    path = tmp_path / "export.xml"
    path.write_bytes(export([(editor, LISTING) for editor in sorted(EDITORS)]))
    call_command("import_backissues", str(path), stdout=StringIO(), stderr=StringIO())
    articles = Article.objects.filter(title__startswith="Listing").order_by("title")
    assert articles.count() == len(EDITORS)
    for article in articles:
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200
        assert preformatted_shown(page.content.decode()) == [LISTING]


def saved_page(content: str) -> str:
    """A saved page of the old site holding one post."""
    return (
        '<!DOCTYPE html><html><body><main><article class="post type-post">'
        '<h2 class="entry-title"><a href="https://old-site.example/2020/12/01/dams/">Dams</a></h2>'
        f'<div class="entry-content">{content}</div></article></main></body></html>'
    )


@settings(max_examples=60, deadline=None)
@given(listing=PREFORMATTED)
def test_a_saved_pages_preformatted_text_is_read_exactly(listing):
    # The page's text is read for bylines and dates first: a listing opening with code, as
    # listings do, is no byline (one that is only a name in capitals may be read as one).
    listing = "def flow(river, season):\n" + listing
    content = f"<p>The dams hold.</p><pre>{html.escape(listing)}</pre><p>After the listing.</p>"
    [article] = parse_html(saved_page(content), "page.html").articles
    assert preformatted_shown(render_markdown(article.excerpt)) == [listing]
