"""The parser of one excerpt block of a back-issue page.

An excerpt block is: perhaps an editor's note in parentheses, the title line (perhaps behind the
old site's brand and a kicker: "MESOPOTAMIA NEWS FOCUS : Title"), the meta (authors, date,
publication) either on the title line or in one of the next paragraphs, perhaps a standfirst,
the excerpt's paragraphs and bullets, and the continue-reading line that ends the block.
"""

import re
from dataclasses import dataclass, field

from backissues.blocks.brand import find_brand
from backissues.blocks.bylines import is_stamp_only, split_dateline, without_stamps
from backissues.parsing.dates import Found, find_date, find_period
from backissues.parsing.language import detect_language
from backissues.parsing.lines import bullet_text, is_bullet, is_continue_line, tidy_caps
from backissues.parsing.names import is_name, leading_name, names_in_byline
from backissues.parsing.parsed import ParsedArticle
from backissues.parsing.publication_index import PublicationIndex

_KICKER_WORDS = 5
# "MESOPOTAMIA NEWS TODAY – Title": a kicker in capitals may end at a dash instead of a colon.
_CAPS_KICKER = re.compile(r"^(?P<kicker>[A-ZÄÖÜ][A-ZÄÖÜ ]{1,40}?)\s+[–—-]\s+(?P<title>\S.*)$")
_SPACED_COLON = re.compile(r"^(?P<kicker>[^:]{1,60}?)\s+:\s+(?P<title>\S.*)$")
# Where a period's start ends: a day or year, then the dash ("24 – March", "1. – 15.").
_RANGE_DASH = re.compile(r"\d\.?\s*[–—-]\s*\w")
_DASHES = re.compile(r"\s+[–—|]\s+|\s+-\s+")
_SEPARATORS = " –—-|,;"
_BYLINE = re.compile(r"^(?:by|von)\s+(?P<names>.+)$", re.IGNORECASE)
_NOTE_LABEL = re.compile(
    r"^(?:editor[’']?s note|anm(?:erkung)?\.? d(?:er)?\.? red(?:aktion)?\.?)\s*:\s*", re.IGNORECASE
)
_DATE_LABEL = re.compile(r"(?:[–—-]\s*)?\b(?:date|datum)\b\s*[–—:-]?\s*$", re.IGNORECASE)
_ALSO_AVAILABLE = re.compile(r"\balso available in\b.*$|\bauch auf\b.*$", re.IGNORECASE)
_ROLE = re.compile(
    r"(?P<name>(?:[A-ZÀ-ÖØ-Þ][\w’'\-]+\s+){1,3}[A-ZÀ-ÖØ-Þ][\w’'\-]+),\s+(?:an?\s+|the\s+)?"
    r"(?:senior\s+|research\s+|visiting\s+|non-?resident\s+|associate\s+|adjunct\s+)?"
    r"(?:fellow|researcher|analyst|professor|director|editor|correspondent|journalist|scholar|"
    r"expert|lecturer|head)\b"
)
_BIO_VERBS = ("is", "ist", "was", "war", "has", "hat")
_SENTENCE_END = (".", "!", "?", "…", "”", '"', "“", ")")
_SENTENCE_WORDS = 12
# Where a paragraph's date shows it is the meta line: near its start, or closing it.
_META_DATE_WITHIN = 80
_META_TAIL = 40
_LONGEST_DATE = 30
_META_SEARCH_PARAGRAPHS = 3
# A byline, a name or a publication's name standing alone is shorter than this.
_META_ONLY_LENGTH = 200
# An unknown publication written in capitals: "THE SOUFAN CENTER".
_CAPS_NAME_WORDS = 8
_ABBREVIATION_LETTERS = 5
# A part of a byline ("By A, B and C", a publication's name) is shorter than this in words.
_META_ALONE_WORDS = 12
# A dateline names a place, a few words long: a longer run of capitals is a heading or text.
_DATELINE_LENGTH = 60
_MARKDOWN_BLOCK_START = re.compile(r"^(?=[#>+*-]|\d+[.)]\s|```)")


@dataclass
class _Paragraph:
    line: int
    text: str
    bullet: bool = False


@dataclass
class _Meta:
    """What the title line or the meta paragraph says about the original."""

    date: object = None
    publication: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None  # the place the text opens with ("GAZA – ")


def parse_excerpt_lines(
    lines: list[str], first_line: int = 1, publications: PublicationIndex | None = None
) -> ParsedArticle:
    """The excerpt in `lines` (numbered from `first_line`), ending with its continue line."""
    publications = publications or PublicationIndex({})
    paragraphs = [
        _Paragraph(
            first_line + i, bullet_text(line) if is_bullet(line) else line.strip(), is_bullet(line)
        )
        for i, line in enumerate(lines)
        if line.strip()
    ]
    article = ParsedArticle(line=paragraphs[0].line if paragraphs else first_line)
    if paragraphs and not paragraphs[-1].bullet and is_continue_line(paragraphs[-1].text):
        article.continue_label = paragraphs.pop().text
    notes = _take_editor_notes(paragraphs)
    if paragraphs:
        _read_title(article, paragraphs.pop(0).text, publications)
    standfirst = [article.standfirst] if article.standfirst else []
    meta = _Meta(date=article.date, publication=article.publication, authors=article.authors)
    _take_meta_only_paragraphs(paragraphs, meta, publications)
    if meta.date is None:
        body_standfirst = _read_meta_paragraph(paragraphs, meta, publications)
        standfirst += _without_dateline(body_standfirst, meta, publications)
    article.date, article.publication, article.authors = meta.date, meta.publication, meta.authors
    article.dateline = meta.dateline
    article.standfirst = "\n\n".join(_escape_block(p) for p in standfirst) or None
    article.editor_note = "\n\n".join(_escape_block(p) for p in notes) or None
    article.excerpt = _markdown(paragraphs) or None
    text = " ".join(filter(None, [article.title, *notes, *(p.text for p in paragraphs)]))
    article.language = detect_language(text)
    return article


def take_labelled_notes(markdown: str) -> tuple[str, str | None]:
    """The Markdown without its paragraphs labelled as the editor's note ("Editor's note: …"),
    and those notes: how a post that gives its text whole marks the note."""
    blocks = markdown.split("\n\n")
    notes = [block for block in blocks if _NOTE_LABEL.match(block)]
    rest = [block for block in blocks if not _NOTE_LABEL.match(block)]
    note = "\n\n".join(block[_NOTE_LABEL.match(block).end() :].strip() for block in notes)
    return "\n\n".join(rest), note or None


def _paragraph(line_number: int, line: str) -> _Paragraph:
    if is_bullet(line):
        return _Paragraph(line_number, bullet_text(line), bullet=True)
    return _Paragraph(line_number, line.strip())


def _take_editor_notes(paragraphs: list[_Paragraph]) -> list[str]:
    """Leading "(…)" paragraphs, and any paragraph labelled as the editor's note."""
    notes = []
    while paragraphs and re.fullmatch(r"\(.+\)\.?", paragraphs[0].text, re.DOTALL):
        notes.append(paragraphs.pop(0).text.strip().rstrip(".")[1:-1].strip())
    for paragraph in list(paragraphs):
        if label := _NOTE_LABEL.match(paragraph.text):
            notes.append(paragraph.text[label.end() :].strip())
            paragraphs.remove(paragraph)
    return notes


def read_title_line(
    article: ParsedArticle, text: str, publications: PublicationIndex | None = None
) -> None:
    """The title line of a post whose source gives title and text apart (a WordPress export):
    brand, kicker and any meta come off the title; what the source said already is kept."""
    kicker, standfirst = article.kicker, article.standfirst
    _read_title(article, text, publications or PublicationIndex({}))
    article.kicker = kicker or article.kicker
    article.standfirst = standfirst or article.standfirst


def _read_title(article: ParsedArticle, text: str, publications: PublicationIndex) -> None:
    """Kicker, title, and whatever meta and standfirst share the title's line."""
    text = text.strip().rstrip("–—- ").strip()
    if brand := find_brand(text):
        rest = text[brand.end :].strip()
        kicker, sep, title = rest.partition(":")
        if not sep and (dashed := _CAPS_KICKER.match(rest)):
            kicker, sep, title = dashed.group("kicker"), "–", dashed.group("title")
        if sep and len(kicker.split()) <= _KICKER_WORDS:
            # After a bare "MESOP" the words before the colon name the brand, not a kicker.
            kicker = kicker.strip(" –—-|") if brand.kicker_follows else ""
            article.kicker = tidy_caps(kicker) or None
            text = title.strip()
        else:
            text = rest
    elif (spaced := _SPACED_COLON.match(text)) and len(
        spaced.group("kicker").split()
    ) <= _KICKER_WORDS:
        article.kicker = tidy_caps(spaced.group("kicker").strip())
        text = spaced.group("title")
    title, slash, after = text.rpartition(" / ")
    if slash and _is_publication_text(after, publications):
        article.publication = _publication_name(after, publications)
        text = title.strip()
    segments = _segments(text)
    meta = _Meta(publication=article.publication)
    start = _first_meta_segment(segments, publications)
    if start is None:
        article.title = text or None
        return
    article.title = " – ".join(segments[:start])
    end = start
    while end < len(segments) and _read_meta_segment(segments[end], meta, publications):
        end += 1
    article.date, article.publication, article.authors = meta.date, meta.publication, meta.authors
    article.standfirst = " – ".join(segments[end:]) or None


def _segments(text: str) -> list[str]:
    """`text` cut at its dashes, except those inside a period ("February 24 – March 2, 2021"),
    which a title may hold."""
    period = find_period(text) if _RANGE_DASH.search(text) else None
    if period is None:
        return _DASHES.split(text)
    start, end = period.span
    before, after = _DASHES.split(text[:start]), _DASHES.split(text[end:])
    return [*before[:-1], before[-1] + text[start:end] + after[0], *after[1:]]


def _first_meta_segment(segments: list[str], publications: PublicationIndex) -> int | None:
    """The index of the first segment after the title that holds meta, if any does."""
    for index in range(1, len(segments)):
        if _is_meta_segment(segments[index], publications):
            return index
        following = segments[index + 1] if index + 1 < len(segments) else ""
        if _is_person(segments[index], publications) and _is_meta_segment(following, publications):
            return index
    return None


def _is_meta_segment(segment: str, publications: PublicationIndex) -> bool:
    if is_stamp_only(segment):
        return True
    segment = without_stamps(segment)
    return bool(
        find_date(segment)
        or _byline(segment)
        or _is_publication_text(segment, publications, loose=False)
    )


def _read_meta_segment(segment: str, meta: _Meta, publications: PublicationIndex) -> bool:
    """Take what one " – "-separated segment says; False when it is not meta."""
    if is_stamp_only(segment):
        return True
    segment = without_stamps(segment)
    if names := _byline(segment):
        meta.authors += [n for n in names if n not in meta.authors]
        return True
    if _is_person(segment, publications):
        meta.authors.append(leading_name(segment))
        return True
    found = find_date(segment)
    if found:
        meta.date = meta.date or found.start
        leftover = (segment[: found.span[0]] + " " + segment[found.span[1] :]).strip(" ,;")
        if leftover and meta.publication is None:
            meta.publication = _publication_name(leftover, publications)
        return True
    if _is_publication_text(segment, publications, loose=False):
        meta.publication = meta.publication or _publication_name(segment, publications)
        return True
    return False


def _take_meta_only_paragraphs(
    paragraphs: list[_Paragraph], meta: _Meta, publications: PublicationIndex
) -> None:
    """Bylines, names, publication names, times and dispatch numbers standing alone near the
    top ("14:05 – ISW", "AL MONITOR") are meta, not text."""
    for paragraph in list(paragraphs[: _META_SEARCH_PARAGRAPHS + 1]):
        if paragraph.bullet:
            break
        text = paragraph.text.strip(" –—-")
        if len(text) > _META_ONLY_LENGTH:
            break  # text, not a byline or a name
        if find_date(text):
            break  # the meta paragraph, read next
        if _take_meta_alone(_DASHES.split(text), meta, publications):
            paragraphs.remove(paragraph)


def _take_meta_alone(segments: list[str], meta: _Meta, publications: PublicationIndex) -> bool:
    """When every one of `segments` holds only meta (a stamp, a byline, a name, a known
    publication, or while none is known a publication's name in capitals), take it into
    `meta`. False, taking nothing, when one holds anything else."""
    readings = []
    for segment in segments:
        reading = _meta_alone(segment, meta, publications)
        if reading is None:
            return False
        readings.append(reading)
    for names, publication in readings:
        meta.authors += [name for name in names if name not in meta.authors]
        meta.publication = meta.publication or publication
    return True


def _meta_alone(
    segment: str, meta: _Meta, publications: PublicationIndex
) -> tuple[list[str], str | None] | None:
    """(authors, publication) that one part of a line names, when it holds nothing else."""
    if segment.count(" ") >= _META_ALONE_WORDS:
        return None  # a sentence: no need to read it for names
    rest = without_stamps(segment)
    if not rest:
        return ([], None) if segment.strip(_SEPARATORS) else None
    if names := _byline(rest) or ([leading_name(rest)] if _is_person(rest, publications) else []):
        return names, None
    if _is_publication_text(rest, publications, loose=meta.publication is None):
        return [], _publication_name(rest, publications)
    return None


def _read_meta_paragraph(
    paragraphs: list[_Paragraph], meta: _Meta, publications: PublicationIndex
) -> list[str]:
    """Find the meta paragraph among the first few; take its meta out of `paragraphs`.

    Returns the standfirst's paragraphs: those between the title and the meta paragraph, and a
    sentence standing before the meta on its line.
    """
    for index, paragraph in enumerate(paragraphs[:_META_SEARCH_PARAGRAPHS]):
        if paragraph.bullet:
            break
        text = paragraph.text
        found = _meta_date(text)
        if found is None:
            continue
        meta.date = found.start
        before, after = text[: found.span[0]], text[found.span[1] :]
        standfirst = [p.text for p in paragraphs[:index]]
        lead = _read_before_date(before, meta, publications)
        rest = _read_after_date(after, meta, publications)
        del paragraphs[: index + 1]
        opening = [text for kind, text in (lead, ("excerpt", rest)) if kind == "excerpt" and text]
        paragraphs[:0] = [_Paragraph(paragraph.line, t) for t in opening]
        if lead[0] == "standfirst":
            standfirst.append(lead[1])
        return standfirst
    return []


def _without_dateline(
    standfirst: list[str], meta: _Meta, publications: PublicationIndex
) -> list[str]:
    """The standfirst's paragraphs without the place the first opens with ("GAZA – "), which
    is the dateline (unless the meta line named one). A standfirst on the title line keeps
    such a label: run into the byline's dashes, it is the text's own opening there."""
    place, rest = _dateline_of(standfirst[0], publications) if standfirst else (None, "")
    if place is None:
        return standfirst
    meta.dateline = meta.dateline or place
    return [rest, *standfirst[1:]]


def _dateline_of(text: str, publications: PublicationIndex) -> tuple[str | None, str]:
    """The place `text` opens with in capitals before a dash, unless it names a publication,
    and the text after it; (None, text) when there is none."""
    place, rest = split_dateline(text)
    if place is None or len(place) > _DATELINE_LENGTH:
        return None, text
    if publications.find_in(place) or not rest.strip():
        return None, text
    return place, rest


def _meta_date(text: str) -> Found | None:
    """A date near the paragraph's start, or one closing it: where the meta line has it.
    Only the two ends are searched, so a long paragraph costs no more than a short one."""
    head = find_date(text[: _META_DATE_WITHIN + _LONGEST_DATE])
    if head and head.span[0] <= _META_DATE_WITHIN:
        return head
    offset = max(len(text) - _META_TAIL - _LONGEST_DATE, 0)
    tail = find_date(text[offset:])
    if tail and len(text) - (offset + tail.span[1]) <= _META_TAIL:
        return Found(tail.start, tail.end, (offset + tail.span[0], offset + tail.span[1]))
    return None


def _read_before_date(text: str, meta: _Meta, publications: PublicationIndex) -> tuple[str, str]:
    """What stands before the meta paragraph's date: ("bio" | "author" | "standfirst" |
    "excerpt" | "", text)."""
    text = _DATE_LABEL.sub("", _ALSO_AVAILABLE.sub("", text)).strip(_SEPARATORS)
    text = without_stamps(text)
    if not text:
        return "", ""
    segments = _DASHES.split(text)
    if _take_meta_alone(segments, meta, publications):  # "By A – Publication –", "14:05 – ISW –"
        return "author", text
    if meta.publication is None and (match := publications.find_in(text)):
        meta.publication = match.name
    name = leading_name(text)
    if name and re.match(
        rf"{re.escape(name)}\s+(?:{re.escape(name)}\s+)?(?:{'|'.join(_BIO_VERBS)})\b",
        _tidy_name_case(text),
    ):
        meta.authors.append(name)
        return "bio", text
    if names := _byline(text):
        meta.authors += names
        return "author", text
    if _is_person(text, publications):
        meta.authors.append(leading_name(text))
        return "author", text
    if text.endswith(_SENTENCE_END) or len(text.split()) >= _SENTENCE_WORDS:
        if role := _ROLE.search(text):
            meta.authors.append(leading_name(role.group("name")) or role.group("name"))
        return "standfirst", text
    return "excerpt", text


def _read_after_date(text: str, meta: _Meta, publications: PublicationIndex) -> str:
    """Meta segments right after the date are taken; the text after them opens the excerpt."""
    segments = _DASHES.split(" " + text.strip() + " ")
    segments = [s.strip() for s in segments]
    if segments and not segments[0]:
        segments.pop(0)
    taken = 0
    while taken < len(segments) and segments[taken] and not find_date(segments[taken]):
        segment = segments[taken]
        if meta.publication and _opens_with_place(segments[taken:], meta, publications):
            # The publication named, another label in capitals before the text is where the
            # piece was filed.
            meta.dateline = meta.dateline or segment
            taken += 1
            break
        if is_stamp_only(segment):
            pass
        elif _is_publication_text(segment, publications):
            # Named on the title line already, it is still a publication, not a person.
            meta.publication = meta.publication or _publication_name(segment, publications)
        elif (names := _byline(segment)) or _is_person(segment, publications):
            meta.authors += names or [leading_name(segment)]
        else:
            break
        taken += 1
    return " – ".join(s for s in segments[taken:] if s)


def _opens_with_place(segments: list[str], meta: _Meta, publications: PublicationIndex) -> bool:
    """The first of `segments` is a dateline before the text that follows it, and not the
    publication already named, written again in capitals ("… / HG" then "HARBOUR GAZETTE")."""
    place, _ = _dateline_of(" – ".join(segments), publications)
    named = (meta.publication or "").casefold()
    return place == segments[0] and _publication_name(place, publications).casefold() != named


def _is_publication_text(text: str, publications: PublicationIndex, loose: bool = True) -> bool:
    """A known publication's spelling that makes up most of `text`; with `loose`, also a short
    phrase in capitals, as the old site wrote unknown publications."""
    text = text.strip(" ,;()")
    match = publications.find_in(text)
    if match and len((text[: match.start] + text[match.end :]).split()) <= 3:
        return True
    letters = [c for c in text if c.isalpha()]
    return loose and bool(letters) and text.isupper() and len(text.split()) <= _CAPS_NAME_WORDS


def _publication_name(text: str, publications: PublicationIndex) -> str:
    match = publications.find_in(text)
    if match:
        return match.name
    text = text.strip(" ,;–—-")
    if text.startswith("(") != text.endswith(")"):
        text = text.strip("()")  # a parenthesis the cut left unpaired
    if text.isupper() and text.isalpha() and len(text) <= _ABBREVIATION_LETTERS:
        return text  # an abbreviation ("CTC"), not a name in capitals
    return tidy_caps(text)


def _is_person(text: str, publications: PublicationIndex) -> bool:
    """A name that is not a publication's ("AL MONITOR" reads like one). A name in capitals
    with no "By" before it is a label (a publication, a place: "MIDDLE EAST"), not a person."""
    return (
        not text.isupper() and is_name(text) and publications.canonical(text.strip(" ,;")) is None
    )


def _byline(text: str) -> list[str]:
    match = _BYLINE.match(text.strip())
    return names_in_byline(match.group("names").strip(" –—-")) if match else []


def _tidy_name_case(text: str) -> str:
    return " ".join(tidy_caps(w) if len(w) > 2 and w.isupper() else w for w in text.split())


def _markdown(paragraphs: list[_Paragraph]) -> str:
    """Paragraphs as Markdown blocks; runs of bullets as one "- " list."""
    blocks: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.bullet:
            item = f"- {paragraph.text}"
            joined = index and paragraphs[index - 1].bullet
            blocks[-1:] = [f"{blocks[-1]}\n{item}"] if joined else [*blocks[-1:], item]
        else:
            blocks.append(_escape_block(paragraph.text))
    return "\n\n".join(blocks)


def _escape_block(text: str) -> str:
    """A paragraph that would read as a list or heading in Markdown, kept a paragraph."""
    return _MARKDOWN_BLOCK_START.sub("\\\\", text, count=1)
