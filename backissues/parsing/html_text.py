"""HTML from the old site as our Markdown or as text-page lines, and WordPress's own markup rules.

`wpautop` turns WordPress's stored post content (paragraphs as blank lines) into HTML;
`extract_shortcodes` takes the shortcodes out of it first; `html_to_markdown` and `html_to_lines`
read the HTML. Pure functions: no database, no network.
"""

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from backissues.parsing.lines import caption_and_credit
from backissues.parsing.parsed import ParsedFigure
from publishing.code_blocks import fenced
from publishing.numbers import whole_number

# --- wpautop -------------------------------------------------------------------------------

_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|"
    "header|footer|nav|figure|figcaption|details|menu|summary"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCKS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_HR = re.compile(r"(<hr\s*/?>)", re.IGNORECASE)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Elements whose content autop must not touch; <pre> is a block, the others may sit in text.
_KEPT_ELEMENTS = re.compile(
    r"<(pre|script|style|svg|textarea)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG_OR_COMMENT = re.compile(r"<!--.*?(?:-->|$)|<[^>]*>?", re.DOTALL)
_OPENING_EDGE = re.compile(rf"<(?:{_BLOCKS})\b[^>]*>", re.IGNORECASE)
_CLOSING_EDGE = re.compile(rf"</(?:{_BLOCKS})>", re.IGNORECASE)
_TAG_NAME = re.compile(r"</?([a-z0-9]+)", re.IGNORECASE)
# Blocks whose text WordPress leaves unwrapped: it never puts a <p> inside them.
_TEXT_BLOCKS = frozenset(
    {
        "p",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "caption",
        "figcaption",
        "legend",
        "summary",
        "pre",
        "address",
        "figure",
        "hr",
        "col",
        "area",
    }
)
_ONLY_COMMENTS = re.compile(r"^(?:\s|<!--.*?-->)*$", re.DOTALL)
_NEWLINE_IN_TAG = "\x01"
_PLACEHOLDER = re.compile(r"\x02(\d+)\x02")


def wpautop(text: str) -> str:
    """WordPress's paragraphs: blank lines become <p>…</p>, single newlines <br />.

    Block-level elements are not wrapped in <p>, and <pre> (like <script>, <style>, <svg> and
    <textarea>) keeps its content untouched.
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text, kept = _keep_elements(text)
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    # A newline inside a tag or comment is not a line of text.
    text = _TAG_OR_COMMENT.sub(lambda m: m.group(0).replace("\n", _NEWLINE_IN_TAG), text)
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n\s*\n", text)]
    html = "\n".join(_autop_chunk(chunk) for chunk in chunks if chunk.strip())
    html = html.replace(_NEWLINE_IN_TAG, "\n")
    return _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], html)


def _keep_elements(text: str) -> tuple[str, list[str]]:
    """Elements autop must leave alone, swapped for numbered placeholders."""
    kept: list[str] = []

    def placeholder(match: re.Match) -> str:
        kept.append(match.group(0))
        token = f"\x02{len(kept) - 1}\x02"
        return f"\n\n{token}\n\n" if match.group(1).lower() == "pre" else token

    return _KEPT_ELEMENTS.sub(placeholder, text.replace("\x02", "")), kept


def _autop_chunk(chunk: str) -> str:
    """One blank-line-separated chunk: at most a block tag opening it and one closing it."""
    if _ONLY_COMMENTS.match(chunk) or _PLACEHOLDER.fullmatch(chunk.strip()):
        return chunk.strip()
    opening, middle, closing = _chunk_edges(chunk)
    middle = middle.strip()
    if not middle:
        return opening + closing
    middle = _line_breaks(middle)
    names = {_tag_name(tag) for tag in (opening, closing) if tag}
    if _wraps_in_paragraph(names, bool(opening and closing)):
        middle = f"<p>{middle}</p>"
    return opening + middle + closing


def _chunk_edges(chunk: str) -> tuple[str, str, str]:
    """A block tag opening the chunk, what is between, a block tag closing it (at its very end:
    the tail is looked at, not the whole chunk scanned)."""
    opening = _OPENING_EDGE.match(chunk)
    rest = chunk[opening.end() :] if opening else chunk
    body = rest.removesuffix("\n")
    start = body.rfind("</")
    if start != -1 and _CLOSING_EDGE.fullmatch(body, start):
        return (opening.group(0) if opening else ""), body[:start], body[start:]
    return (opening.group(0) if opening else ""), body, ""


def _wraps_in_paragraph(edge_names: set[str], whole_element: bool) -> bool:
    if "blockquote" in edge_names:
        return True  # WordPress moves the paragraph inside the quote
    return not whole_element and not (edge_names & _TEXT_BLOCKS)


def _line_breaks(text: str) -> str:
    text = _BR.sub("<br />", text)
    return re.sub(r"(?<!<br />)[ \t]*\n", "<br />\n", text)


def _tag_name(tag: str) -> str:
    return _TAG_NAME.match(tag).group(1).lower()


# --- shortcodes ----------------------------------------------------------------------------

_SHORTCODE_TAG = re.compile(r"\[(?P<closing>/)?(?P<name>[A-Za-z][\w-]*)(?P<attrs>[^\[\]]*)\]")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
# Shortcodes WordPress and common plugins use; other bracketed words ("[sic]", "[Update …]")
# count as shortcodes only when they have attributes or a closing tag.
_KNOWN_SHORTCODES = frozenset(
    {
        "caption",
        "wp_caption",
        "gallery",
        "embed",
        "audio",
        "video",
        "playlist",
        "soundcloud",
        "youtube",
        "vimeo",
        "tweet",
        "twitter",
        "instagram",
        "googlemaps",
        "polldaddy",
        "slideshow",
        "contact-form",
    }
)
_CAPTION_SHORTCODES = frozenset({"caption", "wp_caption"})


@dataclass
class _Tag:
    match: re.Match

    @property
    def name(self) -> str:
        return self.match.group("name").lower()

    @property
    def is_closing(self) -> bool:
        return bool(self.match.group("closing"))


def extract_shortcodes(content: str) -> tuple[str, list[ParsedFigure], Counter]:
    """The content without its shortcodes, the figures its [caption]s make, and how many of
    each other shortcode were dropped (by name).

    `[[name]]` is WordPress's way to write a literal `[name]`, and stays as that text.
    """
    tags = [_Tag(match) for match in _SHORTCODE_TAG.finditer(content)]
    closings = _closing_positions(tags)
    figures: list[ParsedFigure] = []
    dropped: Counter = Counter()
    pieces: list[str] = []
    position = index = 0
    while index < len(tags):
        tag = tags[index]
        start, end = tag.match.span()
        index += 1
        if start < position or tag.is_closing:
            continue
        if _is_escaped(content, start, end):
            pieces.append(content[position : start - 1] + content[start:end])
            position = end + 1
            continue
        closing = _next_closing(closings, tag.name, index)
        if closing is not None:
            inner = content[end : tags[closing].match.start()]
            end, index = tags[closing].match.end(), closing + 1
        elif tag.name in _KNOWN_SHORTCODES or _looks_like_shortcode(tag.match.group("attrs")):
            inner = ""
        else:
            continue
        pieces.append(content[position:start])
        position = end
        figure = _caption_figure(tag, inner) if tag.name in _CAPTION_SHORTCODES else None
        if figure:
            figures.append(figure)
        else:
            dropped[tag.name] += 1
    pieces.append(content[position:])
    return "".join(pieces), figures, dropped


def _closing_positions(tags: list[_Tag]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, tag in enumerate(tags):
        if tag.is_closing:
            positions.setdefault(tag.name, []).append(index)
    return positions


def _next_closing(closings: dict[str, list[int]], name: str, after: int) -> int | None:
    positions = closings.get(name, [])
    found = bisect.bisect_left(positions, after)
    return positions[found] if found < len(positions) else None


def _is_escaped(content: str, start: int, end: int) -> bool:
    return content[start - 1 : start] == "[" and content[end : end + 1] == "]"


def _looks_like_shortcode(attrs: str) -> bool:
    return attrs.rstrip().endswith("/") or bool(_ATTRIBUTE.search(attrs))


def _caption_figure(tag: _Tag, inner: str) -> ParsedFigure | None:
    """[caption id="attachment_7" caption="…"]<a><img src alt></a> Text[/caption]."""
    root = _parse(inner)
    image = root.find(".//img") if root is not None else None
    caption = _fold(root.text_content()) if root is not None else ""
    if not caption:
        caption = plain_text(_attributes(tag.match.group("attrs")).get("caption", ""))
    if image is None and not caption:
        return None
    caption, credit = caption_and_credit(caption)
    return ParsedFigure(
        caption=caption,
        credit=credit,
        image=(image.get("src") or "").strip() or None if image is not None else None,
        alt=_fold(image.get("alt") or "") or None if image is not None else None,
    )


def _attributes(text: str) -> dict[str, str]:
    return {
        match.group(1).lower(): next(g for g in match.groups()[1:] if g is not None)
        for match in _ATTRIBUTE.finditer(text)
    }


# --- reading HTML --------------------------------------------------------------------------

# Comments and processing instructions go at parse time; the HTML parser never fetches anything.
# huge_tree keeps a long text intact (without it libxml2 drops text nodes over 10 MB).
_PARSER = lxml.html.HTMLParser(
    no_network=True, remove_comments=True, remove_pis=True, huge_tree=True
)
_DROPPED = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "form",
        "noscript",
        "object",
        "embed",
        "video",
        "audio",
        "img",
        "picture",
        "source",
        "track",
        "svg",
        "math",
        "canvas",
        "button",
        "input",
        "select",
        "textarea",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "map",
        "area",
    }
)
_BLOCK_ELEMENTS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "main",
        "nav",
        "address",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "center",
        "details",
        "summary",
        "hgroup",
        "fieldset",
        "legend",
        "body",
        "html",
        "pre",
        "hr",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol", "menu"})
_CELLS = frozenset({"td", "th"})
_EMPHASIS = frozenset({"em", "i", "cite", "dfn", "var"})
_STRONG = frozenset({"strong", "b"})
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Below this depth an element's text is read whole, so walking never exhausts the stack.
_MAX_DEPTH = 150
_LINE_BREAK = "\ue000"  # stands for <br> until whitespace is folded
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def _parse(html: str) -> etree._Element | None:
    """The HTML's <body> (or None when there is nothing to read)."""
    if not html.strip():
        return None
    try:
        document = lxml.html.document_fromstring(html.replace("\x00", ""), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return document.find("body") if document.find("body") is not None else document


def plain_text(html: str) -> str:
    """The text of an HTML snippet, entities decoded and whitespace folded."""
    root = _parse(html)
    return _fold(root.text_content()) if root is not None else ""


def _fold(text: str) -> str:
    if text.isascii():  # the common case, done faster by split
        return " ".join(text.split())
    return _ASCII_SPACE.sub(" ", text).strip()


def _is_image_figure(element: etree._Element) -> bool:
    return element.tag == "figure" and element.find(".//img") is not None


def extract_figures(html: str) -> list[ParsedFigure]:
    """The block editor's image figures (<figure><img src alt><figcaption>…</figcaption>), and
    each image outside a figure as a figure without a caption: an image is never dropped."""
    root = _parse(html)
    if root is None:
        return []
    figures = []
    for figure in root.iter("figure", "img"):
        if figure.tag == "img":
            if not any(parent.tag == "figure" for parent in figure.iterancestors()):
                src, alt = (figure.get("src") or "").strip(), _fold(figure.get("alt") or "")
                figures.append(ParsedFigure(image=src or None, alt=alt or None))
            continue
        image = figure.find(".//img")
        if image is None:
            continue
        caption = figure.find(".//figcaption")
        figures.append(
            ParsedFigure(
                caption=_fold(caption.text_content()) or None if caption is not None else None,
                image=(image.get("src") or "").strip() or None,
                alt=_fold(image.get("alt") or "") or None,
            )
        )
    return figures


@dataclass
class _Block:
    kind: str  # "p", "h" (heading), "li" or "pre" (its text exactly as written)
    text: str
    quote: int = 0  # blockquote nesting
    depth: int = 0  # list nesting, for "li"
    number: int | None = None  # the item's number in an ordered list
    list_id: int = 0  # items of one (outermost) list share it


class _EnoughBlocks(Exception):
    """The reader has the blocks it was asked for."""


class _BlockReader:
    """Walks an HTML tree and cuts its text into blocks; `inline` formats em, strong and links.
    With a `limit`, it stops once it has that many blocks."""

    def __init__(self, inline: "_InlineStyle", limit: int | None = None):
        self.inline = inline
        self.limit = limit
        self.blocks: list[_Block] = []
        self.pieces: list[str] = []
        self.kind = "p"
        self.quote = 0
        self.lists: list[list[int | None]] = []  # per open list: [next number or None]
        self.in_item = 0
        self.lists_opened = 0

    def read(self, root: etree._Element) -> list[_Block]:
        try:
            self._children(root, 0)
            self._flush()
        except _EnoughBlocks:
            pass
        return self.blocks

    def _flush(self) -> None:
        text = _fold_block("".join(self.pieces))
        if text.strip():
            depth = max(len(self.lists) - 1, 0)
            number = self.lists[-1][0] if self.lists and self.kind == "li" else None
            self._add(_Block(self.kind, text, self.quote, depth, number, self.lists_opened))
        self.pieces = []
        self.kind = "p"

    def _add(self, block: _Block) -> None:
        self.blocks.append(block)
        if len(self.blocks) == self.limit:
            raise _EnoughBlocks

    def _preformatted(self, element: etree._Element) -> None:
        """A <pre> is one block of its text as written; a block of blanks shows nothing."""
        self._flush()
        text = _preformatted_text(element, 0).removeprefix("\n")  # HTML drops that newline
        if text.strip():
            self._add(_Block("pre", text, self.quote, list_id=self.lists_opened))

    def _text(self, text: str | None) -> None:
        if text:
            self.pieces.append(self.inline.text(text))

    def _children(self, element: etree._Element, depth: int) -> None:
        self._text(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self._element(child, depth + 1)
            self._text(child.tail)

    def _element(self, element: etree._Element, depth: int) -> None:
        tag = element.tag.lower()
        if tag in _DROPPED or _is_image_figure(element):
            return
        if depth > _MAX_DEPTH:
            self._text(element.text_content())
        elif tag == "br":
            self.pieces.append(_LINE_BREAK)
        elif tag in _LISTS:
            self._list(element, depth, ordered=tag == "ol")
        elif tag == "li":
            self._item(element, depth)
        elif self.in_item and (tag in _BLOCK_ELEMENTS or tag in _HEADINGS or tag == "blockquote"):
            self.pieces.append(" ")  # one item is one line, whatever its inner blocks
            self._children(element, depth)
            self.pieces.append(" ")
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
            self._children(element, depth)
            self._flush()
            self.quote -= 1
        elif tag in _HEADINGS:
            self._flush()
            self.kind = "h"
            self._children(element, depth)
            self._flush()
        elif tag == "pre":
            self._preformatted(element)
        elif tag in _BLOCK_ELEMENTS:
            self._flush()
            self._children(element, depth)
            self._flush()
        elif tag in _CELLS:
            if element.getprevious() is not None:
                self.pieces.append(self.inline.text(" | "))
            self._children(element, depth)
        else:
            self._inline(element, tag, depth)

    def _inline(self, element: etree._Element, tag: str, depth: int) -> None:
        if _has_block(element):  # formatting around blocks cannot be written inline: drop it
            self._children(element, depth)
            return
        outer, self.pieces = self.pieces, []
        self._children(element, depth)
        inner, self.pieces = "".join(self.pieces), outer
        self.pieces.append(self.inline.element(tag, element, inner))

    def _list(self, element: etree._Element, depth: int, ordered: bool) -> None:
        self._flush()
        if not self.lists:
            self.lists_opened += 1
        self.lists.append([_list_start(element) if ordered else None])
        self._children(element, depth)
        self._flush()
        self.lists.pop()

    def _item(self, element: etree._Element, depth: int) -> None:
        self._flush()
        if not self.lists:  # a stray <li>: an unordered list of its own
            self.lists_opened += 1
            self.lists.append([None])
            self._item(element, depth)
            self.lists.pop()
            return
        self.kind = "li"
        self.in_item += 1
        self._children_of_item(element, depth)
        self.in_item -= 1
        self._flush()
        if self.lists[-1][0] is not None:
            self.lists[-1][0] += 1

    def _children_of_item(self, element: etree._Element, depth: int) -> None:
        """The item's own text first; a nested list flushes it and follows as its own items."""
        self._text(element.text)
        for child in element:
            if isinstance(child.tag, str) and child.tag.lower() in _LISTS:
                number, kind = self.lists[-1][0], self.kind
                self._flush()
                self.in_item -= 1
                self._element(child, depth + 1)
                self.in_item += 1
                self.kind = kind
                self.lists[-1][0] = number
            elif isinstance(child.tag, str):
                self._element(child, depth + 1)
            self._text(child.tail)


def _preformatted_text(element: etree._Element, depth: int) -> str:
    """The element's text as a browser shows it in a <pre>: <br> a newline, markup dropped."""
    if depth > _MAX_DEPTH:
        return element.text_content()
    pieces = [element.text or ""]
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag == "br":
            pieces.append("\n")
        elif tag is not None and tag not in _DROPPED:
            pieces.append(_preformatted_text(child, depth + 1))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _list_start(element: etree._Element) -> int:
    # ASCII digits, as browsers read them ("²" and "٣" are no number); else the list starts at 1.
    start = whole_number(element.get("start", "1").strip())
    return start if start is not None and start < 10**8 else 1


def _has_block(element: etree._Element) -> bool:
    blocking = _BLOCK_ELEMENTS | _HEADINGS | _LISTS | {"li", "blockquote"}
    return any(
        isinstance(node.tag, str) and node.tag.lower() in blocking
        for node in element.iterdescendants()
    )


def _fold_block(text: str) -> str:
    """Runs of ASCII whitespace as one space; line breaks kept, without spaces around them."""
    lines = (_fold(line) for line in text.split(_LINE_BREAK))
    return "\n".join(line for line in lines if line.strip())


class _InlineStyle:
    """Plain text: what the text-page parser reads."""

    def text(self, text: str) -> str:
        return text

    def element(self, tag: str, element: etree._Element, inner: str) -> str:
        return inner


class _MarkdownStyle(_InlineStyle):
    """Our limited Markdown: *emphasis*, **strong**, [links](https://…); other markup dropped."""

    def __init__(self, base_url: str | None):
        self.base_url = base_url

    def text(self, text: str) -> str:
        return _escape_inline(text)

    def element(self, tag: str, element: etree._Element, inner: str) -> str:
        if tag in _EMPHASIS:
            return _wrap(inner, "*")
        if tag in _STRONG:
            return _wrap(inner, "**")
        if tag == "a":
            return self._link(element, inner)
        return inner

    def _link(self, element: etree._Element, inner: str) -> str:
        href = _safe_href(element.get("href") or "", self.base_url)
        if href is None or not inner.strip():
            return inner
        lead, label, trail = _split_spaces(inner)
        label = label.replace("[", "\\[").replace("]", "\\]").replace(_LINE_BREAK, " ")
        return f"{lead}[{label}]({href}){trail}"


def _wrap(inner: str, marker: str) -> str:
    """`marker` around the text, with the spaces outside, so `<em> x </em>` stays emphasis."""
    lead, core, trail = _split_spaces(inner)
    return f"{lead}{marker}{core}{marker}{trail}" if core else inner


def _split_spaces(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


def _safe_href(href: str, base_url: str | None) -> str | None:
    """The link's absolute address when it is http(s) or mailto; None for anything else."""
    href = href.strip()
    if base_url and href and not href.startswith("#"):
        href = urljoin(base_url, href)
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    if scheme not in _LINK_SCHEMES:
        return None
    return re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", href)


# Text that Markdown would read as markup. Kept minimal: emphasis markers, inline code, an
# HTML tag or entity, a backslash escape; list, heading and quote markers only at a line's start.
_INLINE_SPECIAL = re.compile(
    r"\*|`|(?<!\w)_|_(?!\w)|\\(?=[\\`*_{}\[\]()#+\-.!>|])|<(?=[A-Za-z/!?])|&(?=#?\w+;)"
)
_MAYBE_SPECIAL = re.compile(r"[*`_\\<&\]]")
_INLINE_ESCAPES = {"<": "&lt;", "&": "&amp;"}
_LINE_START = re.compile(r"^(?:[-+#>]|\d+[.)](?=\s|$)|=+\s*$)")
_LINK_LOOKALIKE = re.compile(r"\]\s*[(\[:]")


def _escape_inline(text: str) -> str:
    if not _MAYBE_SPECIAL.search(text):  # a quick scan: most text has nothing to escape
        return text
    escaped = _INLINE_SPECIAL.sub(
        lambda m: _INLINE_ESCAPES.get(m.group(0), "\\" + m.group(0)), text
    )
    if _LINK_LOOKALIKE.search(escaped):  # "[a](b)" written as text must stay text
        escaped = escaped.replace("[", "\\[").replace("]", "\\]")
    return escaped


def _escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if not match:
        return line
    marker = match.group(0)
    if marker[0].isdigit():
        digits = marker.rstrip(".)")
        return f"{digits}\\{marker[len(digits) :]}{line[len(marker) :]}"
    return "\\" + line


def _blocks(html: str, style: _InlineStyle, limit: int | None = None) -> list[_Block]:
    root = _parse(html)
    return _BlockReader(style, limit).read(root) if root is not None else []


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """The HTML as our limited Markdown: paragraphs, lists, headings, quotes, emphasis and links.

    Relative links are made absolute against `base_url` when one is given; links that are not
    http(s) or mailto keep only their text. Images, scripts, forms and the like are dropped.
    """
    parts: list[str] = []
    previous: _Block | None = None
    for block in _blocks(html, _MarkdownStyle(base_url)):
        text = _markdown_block(block)
        if previous is not None:
            parts.append("\n" if _same_list(previous, block) else "\n\n")
        parts.append(_quoted(text, block.quote))
        previous = block
    return "".join(parts)


def _same_list(previous: _Block, block: _Block) -> bool:
    return previous.kind == block.kind == "li" and previous.list_id == block.list_id


def _markdown_block(block: _Block) -> str:
    if block.kind == "pre":
        return fenced(block.text)
    lines = [_escape_line_start(line) for line in block.text.split("\n")]
    if block.kind == "h":
        return "### " + " ".join(lines)
    text = "  \n".join(lines)  # a <br> inside a paragraph is a hard line break
    if block.kind == "li":
        marker = f"{block.number}. " if block.number is not None else "- "
        indent = "    " * block.depth
        return indent + marker + text.replace("\n", "\n" + indent + " " * len(marker))
    return text


def _quoted(text: str, level: int) -> str:
    """The block inside `level` blockquotes (Markdown joins adjacent quoted blocks)."""
    if not level:
        return text
    prefix = "> " * level
    return "\n".join(prefix + line for line in text.split("\n"))


def _block_lines(block: _Block) -> list[str]:
    if block.kind == "li":
        return ["  • " + block.text.replace("\n", " ")]
    if block.kind == "pre":  # one paragraph, as the Markdown has it in one block
        return [_fold(block.text)]
    return block.text.split("\n")


def html_to_lines(html: str) -> list[str]:
    """The HTML as the old site's text pages have it: a line per paragraph or heading with a
    blank line between them, each list item a line "  • text", markup reduced to plain text."""
    lines: list[str] = []
    previous: _Block | None = None
    for block in _blocks(html, _InlineStyle()):
        if previous is not None and not _same_list(previous, block):
            lines.append("")
        lines.extend(_block_lines(block))
        previous = block
    return lines


def html_opening_lines(html: str, count: int) -> list[str]:
    """The first `count` lines of `html_to_lines(html)` that are not blank, reading no more of
    the HTML than they need: each block gives one line at least."""
    lines = [line for block in _blocks(html, _InlineStyle(), count) for line in _block_lines(block)]
    return [line for line in lines if line.strip()][:count]
