"""The old site's WordPress export (WXR 1.0 to 1.2) as parsed posts, briefings and pages.

The export is streamed item by item and each item is cleared once read, so memory stays small
however large the file: `stream_wxr` hands its items on in parts, to be written while the rest
is read. Entities are never expanded and nothing is fetched from the network. Attachments may
come after the posts that show them, so a first, quick pass over the file collects a small map
of attachment id to image, and each post finds its featured image as it is read.
"""

import datetime as dt
import functools
import html
import multiprocessing
import os
import re
import threading
import zoneinfo
from collections import Counter, deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from queue import Full, Queue
from typing import BinaryIO
from urllib.parse import unquote, urljoin, urlsplit

import nh3
from django.conf import settings
from django.utils.text import slugify
from lxml import etree

from backissues.blocks.briefings import opens_briefing, parse_briefing_lines
from backissues.blocks.excerpts import read_title_line, take_labelled_notes
from backissues.formats.wxr_media import Attachment, embeds_as_links, image_key
from backissues.formats.wxr_terms import ExportTerms, is_declaration, term_slug
from backissues.parsing import html_text
from backissues.parsing.errors import BackIssueError
from backissues.parsing.language import detect_language
from backissues.parsing.lines import is_continue_line
from backissues.parsing.parsed import (
    ParsedArticle,
    ParsedBriefing,
    ParsedFigure,
    ParsedFile,
    ParsedFlatPage,
    ParsedItem,
)
from backissues.writing.terms import TAG_LENGTH, TITLE_LENGTH, fitted
from publishing import markup

# Namespaces are told by their address, whichever WXR version and scheme the export uses.
_NAMESPACE_PREFIXES = (
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$"), "wp"),
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/$"), "dc"),
    (re.compile(r"^https?://wellformedweb\.org/CommentAPI/$"), "wfw"),
)
_NO_DATE = "0000-00-00 00:00:00"
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
# A post's wp:status as the writer reads it; other statuses (trash, inherit, auto-draft) are
# skipped. Private posts, and posts with a password, were never open to every reader: they
# are imported as drafts, flagged for review.
_STATUSES = {
    "publish": "published",
    "future": "published",  # with its future date: scheduled
    "draft": "draft",
    "pending": "draft",
    "private": "private",
}
_PASSWORD_PROTECTED = "password-protected"
# WordPress's default category, in English and in German.
_DEFAULT_CATEGORIES = frozenset({"uncategorized", "allgemein"})
_BLOCK_EDITOR = "<!-- wp:"
_PAGE_TAGS = markup.ALLOWED_TAGS | {"h2", "h3", "h4", "h5", "h6", "hr"}
# The excerpt's last paragraph when it is only a link: "[Continue reading](https://…)".
_LAST_LINK = re.compile(r"(?:\A|\n\n)\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)\Z")
WHOLE_FILE = "whole file"
# WordPress reads an export only with a version like "1.2" (digits, a dot, digits).
_VERSION = re.compile(r"\A\d+\.\d+\Z")
# libxml2 refuses a namespace address that is not ASCII (an IRI), which XML allows and
# WordPress reads: that one complaint is let through; any other error refuses the file.
_TOLERATED_ERRORS = frozenset({"WAR_NS_URI"})
# Exports larger than this have their posts converted in worker processes, this many at a time,
# with at most this many chunks waiting to be merged: enough to keep the workers busy while a
# part is written, few enough to bound memory.
_PARALLEL_BYTES = 2_000_000
_CHUNK = 64
_IN_FLIGHT = 12
# Items in a part of a streamed export: about one batch of the writer.
_PART_ITEMS = 400
# Parts read ahead of the one being written.
_PARTS_AHEAD = 2


@dataclass
class _Item:
    """One <item>'s fields by their prefixed name, its terms and its post meta."""

    index: int
    line: int | None
    fields: dict[str, str] = field(default_factory=dict)
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # domain, nicename, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    @property
    def location(self) -> str:
        return f"item {self.index} ({self.get('wp:post_type') or 'item'} {self.get('wp:post_id')})"


def parse_wxr(
    path_or_file: str | Path | BinaryIO, source: str, *, parallel: bool = True
) -> ParsedFile:
    """Every post, page and image the export holds, all at once; a BackIssueError for anything
    else."""
    streamed = stream_wxr(path_or_file, source, parallel=parallel)
    whole = ParsedFile(source=source, format="wxr", encoding=streamed.encoding)
    for part in streamed.parts:
        whole.add(part)
    return whole


def stream_wxr(
    path_or_file: str | Path | BinaryIO, source: str, *, parallel: bool = True
) -> ParsedFile:
    """The export as a ParsedFile whose items come in parts (`ParsedFile.parts`), in the order
    of the file, each with its notes and rendered Markdown; the last part adds the notes on the
    whole file. An error found on the first pass is raised here, later ones by the parts.

    A large export's posts are converted in worker processes (`parallel`), chunk by chunk, while
    this process reads on; the result is the same, bar the order of the notes."""
    if isinstance(path_or_file, Path):
        path_or_file = str(path_or_file)
    with _read_errors():
        attachments, encoding = _attachments(path_or_file)
    if not isinstance(path_or_file, str):
        path_or_file.seek(0)
    head = ParsedFile(source=source, format="wxr", encoding=encoding)
    head.parts = _read_ahead(_parts(path_or_file, source, attachments, parallel))
    return head


def _read_ahead(parts: Generator[ParsedFile, None, None]) -> Generator[ParsedFile, None, None]:
    """The parts, read in a thread up to _PARTS_AHEAD ahead: the export is read on while its
    reader waits on the database, which lets other threads run."""
    queue: Queue = Queue(_PARTS_AHEAD)
    stop = threading.Event()
    end = object()

    def hand_on(value) -> None:
        while not stop.is_set():
            try:
                queue.put(value, timeout=0.1)
                return
            except Full:
                continue

    def read() -> None:
        try:
            for part in parts:
                hand_on(part)
                if stop.is_set():
                    break
            hand_on(end)
        except BaseException as error:  # raised again where the parts are taken
            hand_on(error)
        finally:
            parts.close()

    thread = threading.Thread(target=read, name="export-reader", daemon=True)
    thread.start()
    try:
        while (value := queue.get()) is not end:
            if isinstance(value, BaseException):
                raise value
            yield value
    finally:
        stop.set()
        thread.join()


def _parts(
    path_or_file: str | BinaryIO,
    source: str,
    attachments: dict[str, Attachment],
    parallel: bool,
) -> Generator[ParsedFile, None, None]:
    workers = os.cpu_count() or 1
    big = (
        isinstance(path_or_file, str)
        and os.path.isfile(path_or_file)
        and os.path.getsize(path_or_file) > _PARALLEL_BYTES
    )
    if not (parallel and big and workers > 1):
        with _read_errors():
            yield from _ExportReader(source, attachments).parts(path_or_file)
        return
    context = multiprocessing.get_context("fork")
    with _read_errors(), ProcessPoolExecutor(workers, mp_context=context) as pool:
        try:
            yield from _ExportReader(source, attachments, pool).parts(path_or_file)
        finally:  # left early (an error while the parts were written): drop the queued work
            pool.shutdown(cancel_futures=True)


@contextmanager
def _read_errors() -> Iterator[None]:
    """Errors reading the file as BackIssueErrors that say where and what."""
    try:
        yield
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position or (None,))[0]
        raise BackIssueError(
            f"not well-formed XML ({error.msg})", location=f"line {line}" if line else ""
        ) from error
    except OSError as error:
        raise BackIssueError(f"cannot be read ({error.strerror or error})") from error


def _iterparse(source, **options) -> etree.iterparse:
    # Recovering, so that a tolerated complaint does not stop the reading; the first pass then
    # refuses the file for any other (_check_well_formed).
    return etree.iterparse(
        source,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        recover=True,
        **options,
    )


def _check_well_formed(events: etree.iterparse) -> None:
    for entry in events.error_log:
        if entry.type_name not in _TOLERATED_ERRORS:
            message = entry.message.strip()
            raise BackIssueError(f"not well-formed XML ({message})", location=f"line {entry.line}")


def _check_rss(root: etree._Element) -> None:
    if root.tag != "rss":
        raise BackIssueError(
            f"not a WordPress export: the document is <{etree.QName(root).localname}>, not <rss>",
            location=f"line {root.sourceline}",
        )


def _check_version(version: str | None, line: int | None) -> None:
    """WordPress refuses an export without a WXR version, or with one it cannot read."""
    if version is None:
        raise BackIssueError(
            "not a WordPress export: no WXR version (<wp:wxr_version>) in the channel"
        )
    if not _VERSION.match(version):
        raise BackIssueError(
            f"not a WordPress export: the WXR version {version[:20]!r} is not one like 1.2",
            location=f"line {line}",
        )


def _attachments(source: str | BinaryIO) -> tuple[dict[str, Attachment], str | None]:
    """The first pass: the file checked (well-formed, with a WXR version), the export's
    attachments by id, and the file's encoding. Only the items and the version reach Python,
    and only attachments are read further."""
    events = _iterparse(source, events=("end",), tag=("item", "{*}wxr_version"))
    found: dict[str, Attachment] = {}
    version: tuple[str | None, int | None] = (None, None)
    for _, element in events:
        if element.tag != "item":
            if _name(element.tag) == "wp:wxr_version" and version[0] is None:
                version = ((element.text or "").strip(), element.sourceline)
            continue
        if _post_type(element) == "attachment":
            item = _read_item(element, 0)
            url = item.get("wp:attachment_url") or item.get("guid")
            if url:
                found[item.get("wp:post_id")] = Attachment(
                    url=url,
                    caption=html_text.plain_text(item.get("excerpt:encoded")) or None,
                    alt=item.meta.get("_wp_attachment_image_alt", "").strip() or None,
                    parent=item.get("wp:post_parent"),
                    file=item.meta.get("_wp_attached_file", "").strip() or None,
                )
        element.clear(keep_tail=False)
        parent = element.getparent()
        while element.getprevious() is not None:
            del parent[0]
    _check_well_formed(events)
    if events.root is None:
        raise BackIssueError("not a WordPress export: the document is empty")
    _check_rss(events.root)
    _check_version(*version)
    encoding = events.root.getroottree().docinfo.encoding
    return found, encoding


def _post_type(element: etree._Element) -> str:
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag.endswith("}post_type") and _name(tag) == "wp:post_type":
            return (child.text or "").strip()
    return ""


class _ExportReader:
    def __init__(
        self,
        source: str,
        attachments: dict[str, Attachment],
        pool: ProcessPoolExecutor | None = None,
    ):
        self.source = source
        self.parsed = ParsedFile(source=source, format="wxr")  # the part being filled
        self.attachments = attachments
        self.pool = pool
        self.waiting: list[_Item] = []  # posts not yet handed to a worker, in order
        self.converting: deque[Future] = deque()  # chunks being converted, in order
        self.namespaces: set[str] = set()
        self.checked_root = False
        self.base_url = ""
        self.items = 0
        # Posts waiting for their images: item, post id, featured image's id, location.
        self.placed: list[tuple[ParsedItem, str, str, str]] = []
        self._by_parent: dict[str, list[Attachment]] | None = None
        self._by_image: dict[str, Attachment] | None = None
        # What is not imported, by what it is (ParsedFile.not_imported): items, and the rest.
        self.skipped: Counter = Counter()
        self.unkept: Counter = Counter()
        self.terms = ExportTerms()
        # Pages wait for the end of the file: a child page may come before its parent.
        self.pages: list[tuple[ParsedFlatPage, _Item]] = []
        self.page_places: dict[str, tuple[str, str]] = {}  # id -> (slug, parent id)
        self.given = 0  # items handed on in earlier parts

    def parts(self, source) -> Iterator[ParsedFile]:
        """The file's items in parts of about _PART_ITEMS, then the rest with the file's notes."""
        events = _iterparse(source, events=("start-ns", "end"))
        for event, value in events:
            if event == "start-ns":
                self.namespaces.add(value[1])
                continue
            if not self.checked_root:
                self._check_root(value)
            self._element(value)
            if self.parsed.item_count() >= _PART_ITEMS:
                yield self._take()
        self._drain()
        if not self.checked_root:
            raise BackIssueError("not a WordPress export: the document is empty")
        self._place_pages()
        self.parsed.terms = list(self.terms.terms.values())
        for kind, count in sorted(self.skipped.items()):
            self.parsed.notes.append((WHOLE_FILE, f"skipped {count} {kind} item(s)"))
        self.parsed.not_imported = Counter(
            {f"{kind} item": count for kind, count in self.skipped.items()}
        )
        self.parsed.not_imported.update(self.unkept + self.terms.not_imported())
        if self.given + self.parsed.item_count() + len(self.parsed.terms) == 0:
            raise BackIssueError(_nothing_to_import(self.parsed.not_imported))
        yield self._take()

    def _take(self) -> ParsedFile:
        """The part read so far, its posts given their featured images and its Markdown
        rendered; a new part is begun."""
        for parsed, post_id, thumbnail, location in self.placed:
            if thumbnail:
                self._lead_figure(parsed, thumbnail, location)
            self._show_attachments(parsed, post_id, location)
        self.placed = []
        part = self.parsed
        self.given += part.item_count()
        part.prerender()  # done already in the workers, for the posts they converted
        self.parsed = ParsedFile(source=self.source, format="wxr")
        return part

    def _check_root(self, element: etree._Element) -> None:
        """A WordPress export is an RSS document that declares WordPress's export namespace."""
        root = element.getroottree().getroot()
        _check_rss(root)
        if not any(_prefix(namespace) == "wp" for namespace in self.namespaces):
            raise BackIssueError(
                "not a WordPress export: an RSS feed without the wordpress.org/export namespace",
                location=f"line {root.sourceline}",
            )
        self.checked_root = True

    def _element(self, element: etree._Element) -> None:
        parent = element.getparent()
        if element.tag == "item":
            self.items += 1
            self._item(_read_item(element, self.items))
        elif parent is not None and parent.tag == "channel":
            self._channel_field(element)
        else:
            return  # a part of an item, read with it
        # Done with it: free it and whatever came before it in the stream.
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del parent[0]

    def _channel_field(self, element: etree._Element) -> None:
        name = _name(element.tag)
        if name == "wp:base_blog_url" or (name == "link" and not self.base_url):
            self.base_url = (element.text or "").strip()
        elif is_declaration(name):
            self.terms.declared(name, element, _name)
        elif name == "wp:author":  # WordPress's users posted the excerpts; they wrote none
            self.unkept["author"] += 1

    def _item(self, item: _Item) -> None:
        kind = _item_kind(item)
        if kind in ("post", "page"):
            self._count_unkept(item)
            self.terms.on_item(item.terms)
        if kind == "attachment":
            pass  # read on the first pass
        elif kind == "post" and self.pool:
            self._queue_post(item)
        elif kind == "post":
            self._post(item)
        elif kind == "page":
            self._page(item)
        else:
            self.skipped[kind or "not WordPress's"] += 1

    def _count_unkept(self, item: _Item) -> None:
        """A post's or page's parts that have no place here: comments, its post format."""
        if item.comments:
            self.unkept["comment"] += item.comments
            self.parsed.notes.append((item.location, f"{item.comments} comment(s) not imported"))
        for domain, nicename, name in item.terms:
            if domain == "post_format" and nicename:
                self.unkept["post format"] += 1
                note = f"post format {html.unescape(name) or nicename} not imported"
                self.parsed.notes.append((item.location, note))

    def _queue_post(self, item: _Item) -> None:
        self.waiting.append(item)
        if len(self.waiting) >= _CHUNK:
            self._submit()

    def _submit(self) -> None:
        if self.waiting:
            self.converting.append(self.pool.submit(_convert_posts, self.waiting, self.base_url))
            self.waiting = []
        while len(self.converting) > _IN_FLIGHT:  # bounds the memory held by waiting results
            self._merge(self.converting.popleft().result())

    def _drain(self) -> None:
        if self.pool:
            self._submit()
            while self.converting:
                self._merge(self.converting.popleft().result())

    def _merge(self, converted: "_ExportReader") -> None:
        self.parsed.add(converted.parsed)
        self.skipped.update(converted.skipped)
        self.unkept.update(converted.unkept)
        self.placed += converted.placed

    def _post(self, item: _Item) -> None:
        status = item.get("wp:status")
        if status not in _STATUSES:
            self.skipped[f"post with status {status or 'none'}"] += 1
            return
        html_content, figures = self._content(item)
        parsed = self._briefing(item, html_content, figures) or self._article(
            item, html_content, figures
        )
        title = _title(item.get("title"))
        if isinstance(parsed, ParsedArticle) and title:
            read_title_line(parsed, title)  # "MESOPOTAMIA NEWS FOCUS : Title" as on text pages
        else:
            parsed.title = title
        # WordPress's limits are wider than ours: cut to fit, with a note, never failing.
        notes = self.parsed.notes
        if parsed.title:
            parsed.title = fitted(parsed.title, TITLE_LENGTH, "title", notes, item.location)
        parsed.tags = [fitted(tag, TAG_LENGTH, "tag", notes, item.location) for tag in parsed.tags]
        parsed.slug = unquote(item.get("wp:post_name")) or None
        parsed.categories = [
            term_slug(slug) for domain, slug, _ in item.terms if slug and domain == "category"
        ]
        parsed.source_ref = item.get("guid") or f"wxr:post:{item.get('wp:post_id')}"
        parsed.old_url = item.get("link") or None
        parsed.shortlink = self._shortlink(item)
        parsed.published_at = _published_at(item)
        parsed.source_status = (
            _PASSWORD_PROTECTED if item.get("wp:post_password") else _STATUSES[status]
        )
        parsed.line = item.line
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        self.placed.append((parsed, item.get("wp:post_id"), thumbnail, item.location))

    def _content(self, item: _Item) -> tuple[str, list[ParsedFigure]]:
        """The post's content as HTML without shortcodes, and the figures it shows."""
        content, figures, dropped = html_text.extract_shortcodes(self._source_html(item))
        self._note_shortcodes(item, dropped)
        html_content = _autop(content)
        figures = [*figures, *html_text.extract_figures(html_content)]
        for figure in figures:
            figure.image = self._absolute(figure.image) if figure.image else None
        return html_content, figures

    def _source_html(self, item: _Item) -> str:
        """The item's content as HTML to read: frames and players as links to their source,
        with a note, and a CDATA section written in the text kept as text, as readers saw it."""
        content, sources = embeds_as_links(item.fields.get("content:encoded", ""))
        for url in sources:
            note = (
                f"embedded media kept as a link to {url}"
                if url
                else "embedded media without a source"
            )
            self.parsed.notes.append((item.location, note))
            self.unkept["embed (kept as a link)" if url else "embed without a source"] += 1
        return content.replace("<![CDATA[", "&lt;![CDATA[")

    def _note_shortcodes(self, item: _Item, dropped: Counter) -> None:
        for name, count in sorted(dropped.items()):
            self.parsed.notes.append((item.location, f"dropped {count} [{name}] shortcode(s)"))
            self.unkept[f"[{name}] shortcode"] += count

    def _briefing(
        self, item: _Item, html_content: str, figures: list[ParsedFigure]
    ) -> ParsedBriefing | None:
        # Most posts are not briefings: their opening lines tell, without reading them whole.
        if not opens_briefing(html_text.html_opening_lines(html_content, 2)):
            return None
        try:
            briefing = parse_briefing_lines(html_text.html_to_lines(html_content), item.line or 1)
        except BackIssueError as error:  # one bad heading should not stop a whole export
            self.parsed.notes.append((item.location, f"read as an article: {error.reason}"))
            return None
        if briefing is None:
            return None
        if figures:
            briefing.lead_figure = figures[0]
        briefing.tags = _tags(item, kickers=frozenset())
        self.parsed.briefings.append(briefing)
        return briefing

    def _article(
        self, item: _Item, html_content: str, figures: list[ParsedFigure]
    ) -> ParsedArticle:
        excerpt = html_text.html_to_markdown(html_content, base_url=self.base_url or None)
        excerpt, continue_label, continue_url = _continue_link(excerpt)
        excerpt, editor_note = take_labelled_notes(excerpt)
        standfirst = html_text.html_to_markdown(
            _autop(item.get("excerpt:encoded")), self.base_url or None
        )
        kickers = frozenset(name.casefold() for name in settings.IMPORT_KICKER_CATEGORIES)
        article = ParsedArticle(
            kicker=_kicker(item, kickers),
            standfirst=standfirst or None,
            excerpt=excerpt or None,
            editor_note=editor_note,
            continue_label=continue_label,
            continue_url=continue_url,
            figures=figures,
            tags=_tags(item, kickers),
            language=detect_language(" ".join([item.get("title"), standfirst, excerpt])),
        )
        self.parsed.articles.append(article)
        return article

    def _shortlink(self, item: _Item) -> str | None:
        post_id = item.get("wp:post_id")
        return self._absolute(f"/?p={post_id}") if post_id.isdigit() else None

    def _page(self, item: _Item) -> None:
        status, page_id = item.get("wp:status"), item.get("wp:post_id")
        slug = unquote(item.get("wp:post_name")) or slugify(_title(item.get("title")) or "")
        self.page_places[page_id] = (slug, item.get("wp:post_parent"))
        if status not in _STATUSES:
            self.skipped[f"page with status {status or 'none'}"] += 1
            return
        content, _, dropped = html_text.extract_shortcodes(self._source_html(item))
        self._note_shortcodes(item, dropped)
        page = ParsedFlatPage(
            url="",  # placed once all pages are read
            title=_title(item.get("title")) or slug,
            content=_sanitize_page(_autop(content)),
            source_ref=item.get("guid") or f"wxr:page:{page_id}",
            line=item.line,
            shortlink=f"/?page_id={page_id}" if page_id.isdigit() else None,
            # Not published, private or with a password: kept for signed-in staff only.
            hidden=status != "publish" or bool(item.get("wp:post_password")),
        )
        self.pages.append((page, item))

    def _place_pages(self) -> None:
        """Each page at its old permalink's path; under "?page_id=" permalinks, at its
        parents' slugs and its own, as WordPress's pretty permalinks would have it."""
        for page, item in self.pages:
            path = _link_path(item.get("link"))
            if not path:
                path = "/".join(self._page_slugs(item.get("wp:post_id")))
            page.url = "/" + "/".join(part for part in path.split("/") if part) + "/"
            self.parsed.pages.append(page)
        self.pages = []

    def _page_slugs(self, page_id: str) -> list[str]:
        slugs: list[str] = []
        seen: set[str] = set()
        while page_id in self.page_places and page_id not in seen:  # a loop ends the walk
            seen.add(page_id)
            slug, page_id = self.page_places[page_id]
            slugs.insert(0, slug)
        return slugs

    def _absolute(self, url: str) -> str:
        return urljoin(self.base_url + "/", url) if self.base_url else url

    def _lead_figure(self, parsed: ParsedItem, attachment_id: str, location: str) -> None:
        """The post's featured image first: a briefing's lead figure, an article's first."""
        attachment = self.attachments.get(attachment_id)
        if attachment is None:
            self.parsed.notes.append((location, f"featured image {attachment_id} not in the file"))
            return
        figure = attachment.figure(self._absolute(attachment.url))
        if isinstance(parsed, ParsedBriefing):
            parsed.lead_figure = figure
        elif isinstance(parsed, ParsedArticle):
            others = [f for f in parsed.figures if f.image != figure.image]
            parsed.figures = [figure, *others]

    def _show_attachments(self, parsed: ParsedItem, post_id: str, location: str) -> None:
        """The post's figures described by the attachments they show, and each image uploaded
        to the post but shown nowhere in it added as a figure: never dropped unsaid."""
        if self._by_parent is None:
            self._by_parent, self._by_image = {}, {}
            for attachment in self.attachments.values():
                self._by_parent.setdefault(attachment.parent, []).append(attachment)
                self._by_image.setdefault(image_key(self._absolute(attachment.url)), attachment)
        figures = _figures_of(parsed)
        for figure in figures:
            if attachment := self._by_image.get(image_key(figure.image)):
                attachment.describe(figure)
        shown = {image_key(figure.image) for figure in figures}
        for attachment in self._by_parent.get(post_id, ()) if post_id else ():
            url = self._absolute(attachment.url)
            if not attachment.is_image or image_key(url) in shown:
                continue
            shown.add(image_key(url))
            self.parsed.notes.append((location, f"attached image {url} added as a figure"))
            if isinstance(parsed, ParsedArticle):
                parsed.figures.append(attachment.figure(url))
            elif isinstance(parsed, ParsedBriefing) and parsed.lead_figure is None:
                parsed.lead_figure = attachment.figure(url)


def _figures_of(parsed: ParsedItem) -> list[ParsedFigure]:
    if isinstance(parsed, ParsedArticle):
        return parsed.figures
    lead = getattr(parsed, "lead_figure", None)
    return [lead] if lead else []


def _convert_posts(items: list[_Item], base_url: str) -> _ExportReader:
    """In a worker process: a chunk of posts, converted as the reading process would, their
    Markdown rendered; their featured images are found by the reading process."""
    reader = _ExportReader("", attachments={})
    reader.base_url = base_url
    for item in items:
        reader._post(item)
    reader.parsed.prerender()
    return reader


def _item_kind(item: _Item) -> str:
    """The item's post type; an item without one is a post only if WordPress's namespace gives
    it an id (an item whose fields are all in another namespace is not WordPress's)."""
    return item.get("wp:post_type") or ("post" if item.get("wp:post_id") else "")


def _nothing_to_import(not_imported: Counter) -> str:
    found = ", ".join(f"{count} {what}" for what, count in sorted(not_imported.items()))
    return "nothing to import: no post, page, category or tag" + (
        f" (only {found})" if found else ""
    )


def _prefix(namespace: str) -> str | None:
    return next(
        (prefix for pattern, prefix in _NAMESPACE_PREFIXES if pattern.match(namespace)), None
    )


# An export uses a few dozen element names, each many thousand times.
@functools.lru_cache(maxsize=256)
def _name(tag: str) -> str:
    """ "{https://wordpress.org/export/1.2/}post_type" -> "wp:post_type"; "title" stays."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    prefix = _prefix(namespace)
    return f"{prefix}:{local}" if prefix else tag


def _read_item(element: etree._Element, index: int) -> _Item:
    item = _Item(index=index, line=element.sourceline)
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name, text = _name(child.tag), child.text or ""
        if name == "category":
            item.terms.append((child.get("domain", ""), child.get("nicename", ""), text.strip()))
        elif name == "wp:postmeta":
            meta = {_name(part.tag): part.text or "" for part in child if isinstance(part.tag, str)}
            item.meta[meta.get("wp:meta_key", "").strip()] = meta.get("wp:meta_value", "")
        elif name == "wp:comment":
            item.comments += 1
        else:
            item.fields[name] = text
    return item


def _continue_link(excerpt: str) -> tuple[str, str | None, str | None]:
    """The excerpt without its closing "continue reading" link, and that link's text and URL."""
    match = _LAST_LINK.search(excerpt)
    if not match or not is_continue_line(match.group("label")):
        return excerpt, None, None
    return excerpt[: match.start()], match.group("label"), match.group("url")


def _autop(content: str) -> str:
    """Classic-editor content gets WordPress's paragraphs; block-editor content has its own."""
    return content if _BLOCK_EDITOR in content else html_text.wpautop(content)


def _title(text: str) -> str | None:
    """Entities decoded and any markup dropped; an empty title is None."""
    title = html_text.plain_text(text) if "<" in text or "&" in text else " ".join(text.split())
    return title or None


# WXR 1.0 wrote tags with domain "tag" and repeated each category without a domain.
_TERM_DOMAINS = {"post_tag": "post_tag", "tag": "post_tag", "category": "category", "": "category"}


def _term_names(item: _Item, domain: str) -> list[str]:
    return [
        html.unescape(name)
        for kind, _, name in item.terms
        if _TERM_DOMAINS.get(kind) == domain and name
    ]


def _kicker(item: _Item, kickers: frozenset[str]) -> str | None:
    return next((n for n in _term_names(item, "category") if n.casefold() in kickers), None)


def _tags(item: _Item, kickers: frozenset[str]) -> list[str]:
    """Tags, then categories other than kickers and WordPress's default one; no repeats."""
    names = [
        *_term_names(item, "post_tag"),
        *(
            name
            for name in _term_names(item, "category")
            if name.casefold() not in kickers and name.casefold() not in _DEFAULT_CATEGORIES
        ),
    ]
    seen: set[str] = set()
    return [name for name in names if not (name.casefold() in seen or seen.add(name.casefold()))]


def _published_at(item: _Item) -> dt.datetime | None:
    """The GMT date; for drafts, which have none, the local date in the site's time zone."""
    gmt = _date(item.get("wp:post_date_gmt"), dt.UTC)
    return gmt or _date(item.get("wp:post_date"), zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _date(text: str, zone: dt.tzinfo) -> dt.datetime | None:
    if not text or text == _NO_DATE:
        return None
    try:
        return dt.datetime.strptime(text, _DATE_FORMAT).replace(tzinfo=zone)
    except ValueError:
        return None


def _link_path(link: str) -> str:
    """The old permalink's path, decoded; "" when the permalink was "/?page_id=…"."""
    try:
        return unquote(urlsplit(link).path).strip("/")
    except ValueError:
        return ""


def _sanitize_page(page_html: str) -> str:
    return nh3.clean(
        page_html,
        tags=_PAGE_TAGS,
        attributes=markup.ALLOWED_ATTRIBUTES,
        url_schemes=markup.ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
