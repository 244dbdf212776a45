"""What a parser makes of a file, before anything is saved.

Unknown values are None (or empty lists), never guessed. `to_json` gives the shape of
`../shared/seeds/*.expected.json`; the writer reads the rest (status, tags, source reference).
"""

import datetime as dt
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from publishing.markup import render_inline_markdown, render_markdown


@dataclass
class ParsedFigure:
    caption: str | None = None
    credit: str | None = None
    image: str | None = None  # URL or path of the original file, when the source names one
    alt: str | None = None
    # The file's path under wp-content/uploads, when an export names it: found there in the
    # media root whatever address the image had (a CDN's, another site's).
    file: str | None = None

    def to_json(self) -> dict:
        return {"caption": self.caption, "credit": self.credit, "image": self.image}


@dataclass
class ParsedItem:
    """Fields every imported item has besides its own."""

    title: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    # A stable reference to the item in its source (a WXR guid); None means "fingerprint it".
    source_ref: str | None = None
    # The old site's address of the item, which will redirect to its new one.
    old_url: str | None = None
    # WordPress's "/?p=123", which any WordPress site answers whatever its permalinks.
    shortlink: str | None = None
    slug: str | None = None
    # When readers first saw the item; None: unknown, so the item stays a draft.
    published_at: dt.datetime | None = None
    # "published", "scheduled", "draft", "private" or "password-protected" as the source says;
    # None: decided by what is missing. Only the first two are published.
    source_status: str | None = None
    line: int | None = None  # where the item starts in its file, for messages
    categories: list[str] = field(default_factory=list)  # the source's category slugs

    # Fields whose absence keeps an item from being published.
    required: ClassVar[tuple[str, ...]] = ("title",)
    # Fields whose absence is reported and flagged for review, but does not hide the item.
    expected: ClassVar[tuple[str, ...]] = ()

    def missing(self) -> list[str]:
        return [name for name in (*self.required, *self.expected) if _is_empty(getattr(self, name))]

    def missing_required(self) -> list[str]:
        return [name for name in self.required if _is_empty(getattr(self, name))]


@dataclass
class ParsedSection:
    title: str
    bullets: list[str] = field(default_factory=list)


@dataclass
class ParsedBriefing(ParsedItem):
    series: str | None = None
    publisher: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    editor: str | None = None
    lead_figure: ParsedFigure | None = None
    overview: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)

    required: ClassVar[tuple[str, ...]] = ("period_start", "period_end")
    expected: ClassVar[tuple[str, ...]] = ("editor",)

    def all_bullets(self) -> list[str]:
        return [*self.overview, *(bullet for s in self.sections for bullet in s.bullets)]

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "series": self.series,
            "publisher": self.publisher,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            "editor": self.editor,
            "language": self.language,
            "lead_figure": self.lead_figure.to_json() if self.lead_figure else None,
            "overview": list(self.overview),
            "sections": [{"title": s.title, "bullets": list(s.bullets)} for s in self.sections],
        }


@dataclass
class ParsedArticle(ParsedItem):
    kicker: str | None = None
    # The place the original's first line names before a dash ("GAZA – "), as it writes it.
    dateline: str | None = None
    standfirst: str | None = None  # Markdown
    publication: str | None = None
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    editor_note: str | None = None  # Markdown
    excerpt: str | None = None  # Markdown: paragraphs and "- " lists
    continue_label: str | None = None
    continue_url: str | None = None
    figures: list[ParsedFigure] = field(default_factory=list)

    required: ClassVar[tuple[str, ...]] = ("title",)
    expected: ClassVar[tuple[str, ...]] = ("publication", "date")

    def missing(self) -> list[str]:
        gaps = super().missing()
        if _is_empty(self.excerpt) and _is_empty(self.editor_note):
            gaps.append("excerpt")
        return gaps

    def missing_required(self) -> list[str]:
        gaps = super().missing_required()
        if _is_empty(self.excerpt) and _is_empty(self.editor_note):
            gaps.append("excerpt")
        return gaps

    def to_json(self) -> dict:
        # The dateline only where there is one: the seed's expected shape names no such key.
        dateline = {"dateline": self.dateline} if self.dateline else {}
        return {
            "kicker": self.kicker,
            "title": self.title,
            **dateline,
            "standfirst": self.standfirst,
            "publication": self.publication,
            "authors": list(self.authors),
            "date": _iso(self.date),
            "language": self.language,
            "editor_note": self.editor_note,
            "excerpt": self.excerpt,
            "continue_label": self.continue_label,
            "continue_url": self.continue_url,
        }


@dataclass
class ParsedFlatPage:
    """A WordPress page, imported as a flat page at its old address."""

    url: str
    title: str
    content: str  # sanitized HTML
    source_ref: str | None = None
    line: int | None = None
    # WordPress's "/?page_id=12", which any WordPress site answers whatever its permalinks.
    shortlink: str | None = None
    hidden: bool = False  # a draft or private page: for signed-in staff only


@dataclass
class ParsedTerm:
    """A category or tag of an export, kept whether or not an imported item uses it."""

    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str
    parent: str = ""  # the parent category's slug
    description: str = ""


@dataclass
class ParsedFile:
    source: str  # the path as given on the command line
    format: str  # "text", "html" or "wxr"
    encoding: str | None = None
    briefings: list[ParsedBriefing] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    pages: list[ParsedFlatPage] = field(default_factory=list)
    terms: list[ParsedTerm] = field(default_factory=list)
    # What the file holds that is not imported, by what it is ("comment", "author"…): the
    # summary counts and lists it, and the notes say where each one is.
    not_imported: Counter = field(default_factory=Counter)
    # What was read but not kept, as (location, message): dropped shortcodes, missing files.
    notes: list[tuple[str, str]] = field(default_factory=list)
    # The items' Markdown as HTML, by (inline, text): rendered where a page is parsed (a worker
    # process, when the command reads ahead) so the writing process need not.
    rendered: dict[tuple[bool, str], str] = field(default_factory=dict)
    # A WordPress export streamed: its items come in parts (ParsedFiles) as it is read, and are
    # counted, not kept, as they are taken (`take_parts`); the lists above stay empty.
    parts: Generator["ParsedFile", None, None] | None = None
    taken: Counter = field(default_factory=Counter)

    def items(self) -> list[ParsedItem]:
        return [*self.briefings, *self.articles]

    def item_count(self) -> int:
        return len(self.briefings) + len(self.articles) + len(self.pages)

    def item_counts(self) -> dict[str, int]:
        """Items by kind: those held, and those of a stream taken so far."""
        held = {
            "briefing": len(self.briefings),
            "article": len(self.articles),
            "page": len(self.pages),
        }
        return {kind: count + self.taken[kind] for kind, count in held.items()}

    def take_parts(self) -> Iterator["ParsedFile"]:
        """A stream's parts, as they are read."""
        for part in self.parts or ():
            self.taken.update(part.item_counts())
            yield part

    def close(self) -> None:
        """Stop reading a stream left before its end (its writing failed)."""
        if self.parts is not None:
            self.parts.close()

    def add(self, part: "ParsedFile") -> None:
        """Hold a part's items, notes and rendered Markdown too."""
        self.briefings += part.briefings
        self.articles += part.articles
        self.pages += part.pages
        self.terms += part.terms
        self.not_imported.update(part.not_imported)
        self.notes += part.notes
        self.rendered.update(part.rendered)

    def prerender(self) -> None:
        texts = [
            (False, t) for a in self.articles for t in (a.standfirst, a.excerpt, a.editor_note)
        ]
        texts += [(True, t) for b in self.briefings for t in b.all_bullets()]
        for inline, text in texts:
            if text and (inline, text) not in self.rendered:
                render = render_inline_markdown if inline else render_markdown
                self.rendered[inline, text] = render(text)

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "briefings": [b.to_json() for b in self.briefings],
            "articles": [a.to_json() for a in self.articles],
        }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []
