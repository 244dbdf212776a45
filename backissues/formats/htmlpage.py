"""Saved HTML pages of the old site: an index page of many posts, or a single post.

Each post (an element the WordPress theme marks `post`/`type-post`, or an `article`) is turned
into text lines of the text page's shape and read by the same block parsers as text pages; then
what only the markup knows is filled in: old and continue-reading addresses, image URLs, tags
and categories, the publication time, and the links inside the excerpt.
"""

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from backissues.blocks.briefings import parse_briefing_lines
from backissues.blocks.excerpts import parse_excerpt_lines, take_labelled_notes
from backissues.parsing.dates import find_date
from backissues.parsing.errors import BackIssueError
from backissues.parsing.html_text import html_to_lines, html_to_markdown
from backissues.parsing.lines import caption_and_credit, clean_line, is_continue_line
from backissues.parsing.parsed import ParsedArticle, ParsedBriefing, ParsedFigure, ParsedFile
from backissues.parsing.publication_index import PublicationIndex

# Never read: not the page's text, and where hostile markup hides.
UNSAFE_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed"}
    | {"applet", "form", "button", "input", "select", "textarea", "svg", "math"}
)
# Inside a post but not part of it: hidden labels, sharing buttons, related posts.
NOISE_CLASSES = ("screen-reader-text", "sharedaddy", "jp-relatedposts")
SAFE_LINK_SCHEMES = ("http", "https", "mailto", "")
WEB_SCHEMES = ("http", "https")
# WordPress's default categories say nothing about a post.
DEFAULT_CATEGORIES = frozenset({"uncategorized", "uncategorised", "allgemein", "unkategorisiert"})
# Where lazy-loading themes and Jetpack keep an image's real address, best first.
IMAGE_ATTRIBUTES = ("data-orig-file", "data-lazy-src", "data-src", "src")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
LIST_MARKER = re.compile(r"^\s*(?:[-*•]\s+|\d+[.)]\s+)", re.MULTILINE)
TEXT_BLOCKS = ".//p | .//ul | .//ol | .//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6"
# Where a post's continue link may stand outside its content: a paragraph or a block of text.
LATER_BLOCKS = ".//p | .//div[not(.//p or .//div)] | .//span[not(ancestor::p)]"
# An archive page's heading, and the labels WordPress puts before the archive's name.
PAGE_HEADINGS = ("page-title", "archive-title", "category-title", "taxonomy-title")
ARCHIVE_LABEL = re.compile(
    r"^\s*(?:category|kategorie|archive[s]?|archiv|series|serie)\s*:\s*", re.I
)
SERIES_WORDS = 2
# The blocks an excerpt is made of: paragraphs and lists.
EXCERPT_BLOCKS = ".//p | .//ul | .//ol | .//pre"


def parse_html(text: str, source: str, publications: PublicationIndex | None = None) -> ParsedFile:
    """Every post on one saved page of the old site. Raises BackIssueError when none is there."""
    root = _document(text)
    page_url = _page_url(root)
    _remove_unsafe(root)
    posts = _post_elements(root)
    parsed = ParsedFile(source=source, format="html")
    context = _Context(page_url, len(posts) == 1, publications or PublicationIndex({}), parsed)
    context.page_heading = _page_heading(root, posts)
    for post in posts:
        item = _parse_post(post, context)
        if isinstance(item, ParsedBriefing):
            parsed.briefings.append(item)
        elif item is not None:
            parsed.articles.append(item)
    if not parsed.items():
        raise BackIssueError(
            "no recognisable item: no post with a title or content (article.post, .entry-content)",
            location="line 1",
        )
    return parsed


@dataclass
class _Context:
    """What every post of a page is read with."""

    page_url: str | None
    single_post: bool
    publications: PublicationIndex
    parsed: ParsedFile
    # An archive page's own heading ("Category: Spotlight on Iran" gives "Spotlight on Iran").
    page_heading: str | None = None


@dataclass
class _Post:
    """What a post's markup says, before the block parsers read its lines."""

    title: str
    lines: list[str]
    figures: list[ParsedFigure]
    continue_label: str | None
    continue_url: str | None
    content: etree._Element
    line: int
    # Paragraphs the theme shows above the title: the editor's note on the piece.
    notes: list[str]
    categories: list[str]


# The document


def _document(text: str) -> etree._Element:
    """The parsed page; lxml reads bytes so an encoding declaration in the text is harmless."""
    data = CONTROL_CHARACTERS.sub("", text).encode("utf-8", "replace")
    parser = lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )
    try:
        return lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise BackIssueError(f"no recognisable item: not an HTML page ({error})") from error


def _page_url(root: etree._Element) -> str | None:
    """The page's own address, against which relative links are resolved."""
    candidates = root.xpath(
        "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content | //base/@href"
    )
    return next((url for url in map(_web_url, candidates) if url), None)


def _remove_unsafe(root: etree._Element) -> None:
    """Scripts and their kin dropped, event handlers and script links removed, everywhere."""
    for element in list(root.iter(tag=etree.Element)):
        if element.tag in UNSAFE_TAGS:
            element.drop_tree()
            continue
        for name in [name for name in element.attrib if name.lower().startswith("on")]:
            del element.attrib[name]
        if element.tag == "a" and _scheme(element.get("href", "")) not in SAFE_LINK_SCHEMES:
            del element.attrib["href"]


def _post_elements(root: etree._Element) -> list[etree._Element]:
    """The outermost post elements that hold a title or content, in page order: those the theme
    marks as posts, else `article` elements (which a theme might also wrap around its loop)."""
    candidates = root.xpath(f"//*[{_has_class('post')} or {_has_class('type-post')}]")
    candidates = candidates or root.xpath("//article")
    chosen = set(candidates)
    return [
        element
        for element in candidates
        if not any(ancestor in chosen for ancestor in element.iterancestors())
        and (
            _first(element, "entry-title") is not None
            or _first(element, "entry-content") is not None
        )
    ]


# One post


def _parse_post(
    element: etree._Element, context: _Context
) -> ParsedArticle | ParsedBriefing | None:
    post = _read_post(element, context.page_url)
    if post is None:
        return None
    item = _briefing(post, context) or _article(post, context)
    item.old_url = item.source_ref = _title_url(element, context)
    item.tags = _terms(element)
    item.published_at = _published_at(element)
    return item


def _read_post(element: etree._Element, page_url: str | None) -> _Post | None:
    """The post's title, figures, continue link and the content's text lines; None when it has
    neither title nor text."""
    _drop_all(element.xpath(" | ".join(f".//*[{_has_class(name)}]" for name in NOISE_CLASSES)))
    title_element = _first(element, "entry-title")
    title = _text(title_element) if title_element is not None else ""
    notes = _notes_above(element, title_element, page_url)
    content = _content(element)
    figures = _take_figures(content, page_url)
    continue_label, continue_url = _take_continue_link(element, content, page_url)
    lines = _lines(content)
    if not title and not any(line.strip() for line in lines):
        return None
    line = element.sourceline or 1
    return _Post(
        title,
        lines,
        figures,
        continue_label,
        continue_url,
        content,
        line,
        notes,
        _categories(element),
    )


def _content(post: etree._Element) -> etree._Element:
    """The post's content blocks as one: a theme may split it ("entry-content", then a later
    block holding the rest of the text or the continue link)."""
    blocks = post.xpath(f".//*[{_has_class('entry-content')} or {_has_class('entry-summary')}]")
    blocks = [b for b in blocks if not any(a in blocks for a in b.iterancestors())]
    if len(blocks) == 1:
        return blocks[0]
    content = lxml_html.Element("div")
    content.extend(copy.deepcopy(block) for block in blocks)
    return content


def _notes_above(
    post: etree._Element, title: etree._Element | None, page_url: str | None
) -> list[str]:
    """The text blocks the post shows before its title, as Markdown: an editor's note, which
    the old site put above the piece ("(We document this because …)")."""
    if title is None:
        return []
    blocks = title.xpath("preceding::p | preceding::div[not(.//p or .//div)]")
    blocks = [b for b in blocks if post in b.iterancestors() and not _in_meta(b) and _text(b)]
    notes = [html_to_markdown(_markup(b), base_url=page_url).strip() for b in blocks]
    return [_note_text(note) for note in notes if note]


def _in_meta(element: etree._Element) -> bool:
    return any(
        set(a.get("class", "").split()) & {"entry-meta", "posted-on", "byline"}
        for a in (element, *element.iterancestors())
    )


def _note_text(note: str) -> str:
    """The note without its parentheses or its label ("Editor's note:")."""
    rest, labelled = take_labelled_notes(note.strip())
    note = labelled or rest
    if note.startswith("(") and note.rstrip(".").endswith(")"):
        return note.rstrip(".")[1:-1].strip()
    return note


def _briefing(post: _Post, context: _Context) -> ParsedBriefing | None:
    """The post as a briefing, when its content (or else its title) opens with the period
    heading. The entry title is the briefing's own title: read before the content, a short one
    would be taken for the series' name. A post with a continue link whose title holds the
    period is an excerpt ("Situation Report: February 24 – March 2, 2021")."""
    parsed = context.parsed
    briefing = parse_briefing_lines(post.lines, post.line)
    if briefing is None and post.continue_label is None:
        briefing = parse_briefing_lines([post.title, *post.lines], post.line)
    if briefing is None:
        return None
    briefing.title = post.title or None
    # Without a series line, the page's heading (a category archive) or a category names it: a
    # programme's name of several words ("Spotlight on Iran"), not a topic ("Iran").
    programmes = (name for name in post.categories if len(name.split()) >= SERIES_WORDS)
    briefing.series = briefing.series or context.page_heading or next(programmes, None)
    if post.figures:
        briefing.lead_figure = post.figures[0]
    if len(post.figures) > 1:
        left_out = len(post.figures) - 1
        parsed.notes.append((f"line {post.line}", f"{left_out} figure(s) after the lead left out"))
    return briefing


def _article(post: _Post, context: _Context) -> ParsedArticle:
    """The post as an excerpt. Its continue line is the link the markup marks, so it is not
    handed to the parser, which would otherwise judge it by its wording."""
    article = parse_excerpt_lines([post.title, "", *post.lines], post.line, context.publications)
    article.continue_label = post.continue_label
    article.continue_url = post.continue_url
    if post.notes:
        article.editor_note = "\n\n".join(filter(None, [*post.notes, article.editor_note]))
    article.figures = post.figures
    article.excerpt = _with_links(article.excerpt, post.content, context.page_url)
    if article.continue_label is None:
        context.parsed.notes.append(
            (f"line {post.line}", "no continue-reading link after this text; kept as a draft")
        )
        article.source_status = "draft"
    return article


def _lines(content: etree._Element) -> list[str]:
    return [clean_line(line) for line in html_to_lines(_markup(content))]


def _title_url(element: etree._Element, context: _Context) -> str | None:
    """The title's link; on a single-post page without one, the page's own address."""
    links = element.xpath(f".//*[{_has_class('entry-title')}]//a/@href")
    url = next((url for url in (_web_url(link, context.page_url) for link in links) if url), None)
    if url is None and context.single_post:
        return context.page_url
    return url


# Figures and the continue-reading link, taken out of the content


def _take_figures(content: etree._Element, page_url: str | None) -> list[ParsedFigure]:
    """Captioned images and loose ones, in page order, taken out of the content."""
    candidates = content.xpath(f".//figure[.//img] | .//*[{_has_class('wp-caption')}] | .//img")
    elements: list[etree._Element] = []
    for element in candidates:  # in document order: a figure comes before its image
        if any(ancestor in elements for ancestor in element.iterancestors()):
            continue
        if {"emoji", "wp-smiley"} & set(element.get("class", "").split()):
            continue
        elements.append(element)
    figures = [_figure(element, page_url) for element in elements]
    _drop_all(elements)
    return [figure for figure in figures if figure.image or figure.caption or figure.credit]


def _figure(element: etree._Element, page_url: str | None) -> ParsedFigure:
    image = element if element.tag == "img" else next(iter(element.xpath(".//img")), None)
    captions = element.xpath(f".//figcaption | .//*[{_has_class('wp-caption-text')}]")
    caption, credit = caption_and_credit(_text(captions[0]) if captions else "")
    if image is None:
        return ParsedFigure(caption=caption, credit=credit)
    alt = " ".join(image.get("alt", "").split()) or None
    return ParsedFigure(caption, credit, _image_url(image, page_url), alt)


def _image_url(image: etree._Element, page_url: str | None) -> str | None:
    """The image's address; a link around it to an image file names the full-size original."""
    wrapper = image.getparent()
    full_size = wrapper.get("href", "") if wrapper is not None and wrapper.tag == "a" else ""
    if not full_size.split("?")[0].lower().endswith(IMAGE_EXTENSIONS):
        full_size = ""
    candidates = [image.get("data-orig-file"), full_size]
    candidates += [image.get(name) for name in IMAGE_ATTRIBUTES[1:]]
    for candidate in filter(None, candidates):
        if _scheme(candidate) == "data":
            continue  # a lazy-loading placeholder
        if url := _web_url(candidate, page_url):
            return url
        if not page_url and _is_relative_path(candidate):
            return candidate.strip()  # a saved page's own copy, next to the file
    return None


def _take_continue_link(
    post: etree._Element, content: etree._Element, page_url: str | None
) -> tuple[str | None, str | None]:
    """The "more" link, or else the content's last paragraph when it is only a continue-reading
    link, or else such a paragraph in a later block of the post: its label and address."""
    anchors = content.xpath(f".//a[{_has_class('more-link')}]")
    anchors = anchors or post.xpath(f".//a[{_has_class('more-link')}]")
    anchors = anchors or _link_only_continue(_last_text_block(content))
    anchors = anchors or _link_only_continue(
        [block for block in post.xpath(LATER_BLOCKS) if not _in_content(block)]
    )
    if not anchors:
        return None, None
    anchor = anchors[-1]
    label = _text(anchor) or None
    url = _web_url(anchor.get("href", ""), page_url)
    anchor.drop_tree()
    return label, url


def _last_text_block(content: etree._Element) -> list[etree._Element]:
    """The content's last block that holds text (empty spacer paragraphs follow some)."""
    for block in reversed(content.xpath(TEXT_BLOCKS)):
        if _text(block):
            return [block]
    return []


def _in_content(element: etree._Element) -> bool:
    return any(
        set(a.get("class", "").split()) & {"entry-content", "entry-summary"}
        for a in (element, *element.iterancestors())
    )


def _link_only_continue(blocks: list[etree._Element]) -> list[etree._Element]:
    """The continue-reading links among `blocks` that are the whole of their block."""
    found = []
    for block in blocks:
        anchors = block.xpath(".//a")
        text = _text(block)
        if len(anchors) == 1 and _text(anchors[0]) == text and is_continue_line(text):
            found.append(anchors[0])
    return found


# The excerpt's links


def _with_links(excerpt: str | None, content: etree._Element, page_url: str | None) -> str | None:
    """The excerpt with each of its blocks that the parser left as the page had it replaced by
    that block's Markdown from the HTML, which keeps links and emphasis.

    A block the parser changed (a date or byline cut from its start) has no counterpart and
    stays as the parser wrote it.
    """
    if not excerpt:
        return excerpt
    from_html: dict[str, str] = {}
    for block in content.xpath(EXCERPT_BLOCKS):
        markup = _markup(block)
        key = _comparable("\n".join(html_to_lines(markup)))
        from_html.setdefault(key, html_to_markdown(markup, base_url=page_url).strip())
    blocks = excerpt.split("\n\n")
    return "\n\n".join(from_html.get(_comparable(block)) or block for block in blocks)


def _comparable(text: str) -> str:
    """Text as words only: no Markdown escapes, list markers or invisible characters (as the
    parser reads it), odd spaces folded."""
    text = LIST_MARKER.sub("", MARKDOWN_ESCAPE.sub(r"\1", clean_line(text)))
    return " ".join(unicodedata.normalize("NFKC", text).split())


# Tags and the publication time


def _page_heading(root: etree._Element, posts: list[etree._Element]) -> str | None:
    """The archive's name from the page's heading, outside every post, on a category or
    archive page (a search or home page's heading names no series)."""
    query = " or ".join(_has_class(name) for name in PAGE_HEADINGS)
    archive = bool(root.xpath(f"//body[{_has_class('category')} or {_has_class('archive')}]"))
    for heading in root.xpath(f"//*[{query}]"):
        if any(post in heading.iterancestors() for post in posts):
            continue
        text = _text(heading)
        if archive or ARCHIVE_LABEL.match(text):
            return ARCHIVE_LABEL.sub("", text).strip() or None
    return None


def _categories(post: etree._Element) -> list[str]:
    """The post's categories, the default one left out."""
    links = post.xpath(
        f".//*[{_has_class('cat-links')}]//a"
        " | .//a[contains(concat(' ', normalize-space(@rel), ' '), ' category ')]"
    )
    names = [_text(link) for link in links]
    return list(dict.fromkeys(n for n in names if n and n.casefold() not in DEFAULT_CATEGORIES))


def _terms(post: etree._Element) -> list[str]:
    """Categories and tags, once each, in page order; the default category left out."""
    links = post.xpath(
        f".//*[{_has_class('cat-links')} or {_has_class('tags-links')}]//a"
        " | .//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]"
        " | .//a[contains(concat(' ', normalize-space(@rel), ' '), ' category ')]"
    )
    terms: dict[str, str] = {}
    for link in links:
        name = _text(link)
        if name and name.casefold() not in DEFAULT_CATEGORIES:
            terms.setdefault(name.casefold(), name)
    return list(terms.values())


def _published_at(post: etree._Element) -> dt.datetime | None:
    """From the post's first publication-time element; "updated" times are not it."""
    for query in (
        f".//time[{_has_class('published')}]",
        f".//time[{_has_class('entry-date')}]",
        f".//*[{_has_class('posted-on')}]//time",
    ):
        for element in post.xpath(query):
            if moment := _moment(element):
                return moment
    return None


def _moment(time_element: etree._Element) -> dt.datetime | None:
    """An aware datetime from the `datetime` attribute, else from the date in the text."""
    try:
        value = dt.datetime.fromisoformat(time_element.get("datetime", "").strip())
    except ValueError:
        found = find_date(_text(time_element))
        if found is None:
            return None
        value = dt.datetime.combine(found.start, dt.time.min)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


# Small helpers


def _has_class(name: str) -> str:
    """An XPath test for one class among an element's classes."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _first(element: etree._Element, class_name: str) -> etree._Element | None:
    return next(iter(element.xpath(f".//*[{_has_class(class_name)}]")), None)


def _drop_all(elements: list[etree._Element]) -> None:
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()


def _markup(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode", method="html", with_tail=False)


def _text(element: etree._Element) -> str:
    """An element's text on one line, as the text page shows it."""
    return " ".join(" ".join(html_to_lines(_markup(element))).split())


def _scheme(url: str) -> str:
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return "invalid"


def _web_url(url: str, base: str | None = None) -> str | None:
    """`url` made absolute against `base`, when that gives an http(s) address."""
    if not url.strip():
        return None  # not the base itself: an empty or removed link leads nowhere
    try:
        absolute = urljoin(base or "", url.strip())
        return absolute if urlsplit(absolute).scheme.lower() in WEB_SCHEMES else None
    except ValueError:
        return None


def _is_relative_path(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc and bool(parts.path)
