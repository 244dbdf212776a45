"""The parser of one briefing block of a back-issue page.

A briefing block starts with its period heading ("October 1, 2020 – October 18, 2020"), often run
together with "Editor: …"; then the lead image's caption and credit, the overview bullets, and
titled sections of bullets. A title line is a section only when bullets follow it.
"""

import re

from backissues.parsing.dates import Found, find_date, find_period
from backissues.parsing.errors import BackIssueError
from backissues.parsing.language import detect_language
from backissues.parsing.lines import (
    bullet_text,
    caption_and_credit,
    is_bullet,
    is_continue_line,
)
from backissues.parsing.names import leading_name
from backissues.parsing.parsed import ParsedBriefing, ParsedFigure, ParsedSection

_LABEL = r"(?:editor|edited by|herausgeber|redaktion|publisher|published by|herausgegeben von)"
_LABELLED = re.compile(rf"\b(?P<label>{_LABEL})\s*:?\s*", re.IGNORECASE)
_OVERVIEW = re.compile(
    r"^\s*(?:overview|summary|main points|highlights|überblick|zusammenfassung)\s*:?\s*$",
    re.IGNORECASE,
)
# A line naming the series (a programme's name, its publisher, their country) is a heading,
# not a sentence: no longer than this, no date in it, no sentence's end.
_MAX_SERIES_WORDS = 16
_SENTENCE_END = (".", "!", "?", ";", ",")
# The period stands within a heading's first characters; the rest of a long line is not read.
_HEADING_SCAN = 200
# A section title is a short line; a longer one is a paragraph that continues the list.
_MAX_TITLE_WORDS = 14


def heading_period(line: str) -> Found | None:
    """The period when `line` is a briefing heading: it starts with the period, or with a short
    series name and then the period."""
    found = find_period(line[:_HEADING_SCAN])
    if found is None:
        return None
    before = line[: found.span[0]].strip(" :–—-|")
    return found if not before or _names_series(before) else None


def _names_series(line: str) -> bool:
    """Whether `line` can be the series' heading: a short line that is no sentence or bullet."""
    line = line.strip()
    return (
        len(line.split()) <= _MAX_SERIES_WORDS
        and not line.endswith(_SENTENCE_END)
        and not is_bullet(line)
        and not is_continue_line(line)
        and find_date(line) is None
    )


def opens_briefing(opening: list[str]) -> bool:
    """Whether a text whose first lines that are not blank are `opening` (two of them) is a
    briefing to `parse_briefing_lines`: it starts with the heading, or with the series' name
    and then the heading."""
    return bool(opening) and (heading_period(opening[0]) is not None or _series_line_first(opening))


def _series_line_first(opening: list[str]) -> bool:
    return (
        len(opening) > 1
        and heading_period(opening[0]) is None
        and heading_period(opening[1]) is not None
        and _names_series(opening[0])
    )


def block_end(lines: list[str], start: int) -> int:
    """Where the briefing block that starts at `lines[start]` ends (exclusive): at the first text
    after its bullets that is neither a bullet nor a section title followed by bullets."""
    seen_bullet = False
    end = start + 1
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if is_continue_line(line):
            break
        if is_bullet(line):
            seen_bullet = True
        elif seen_bullet and not _bullets_follow(lines, index):
            break
        end = index + 1
    return end


def parse_briefing_lines(lines: list[str], first_line: int = 1) -> ParsedBriefing | None:
    """The briefing in `lines` (numbered from `first_line`), or None when the lines do not start
    with a briefing heading (optionally after a line naming the series)."""
    numbered = [(first_line + i, line) for i, line in enumerate(lines) if line.strip()]
    series = None
    if _series_line_first([line for _, line in numbered[:2]]):
        series = numbered.pop(0)[1].strip(" :–—-|")
    if not numbered or (period := heading_period(numbered[0][1])) is None:
        return None
    line_number, heading = numbered[0]
    if period.end < period.start:
        raise BackIssueError(
            f"the briefing's period ends ({period.end:%B %-d, %Y}) before it starts "
            f"({period.start:%B %-d, %Y})",
            location=f"line {line_number}",
        )
    briefing = ParsedBriefing(
        line=line_number,
        series=series or heading[: period.span[0]].strip(" :–—-|") or None,
        period_start=period.start,
        period_end=period.end,
    )
    rest = _read_labels(briefing, heading[period.span[1] :], numbered[1:])
    rest = _read_label_lines(briefing, rest)
    if not (briefing.editor or briefing.publisher or any(is_bullet(line) for _, line in rest)):
        return None  # a title with a date range over an excerpt's text
    _read_body(briefing, rest)
    text = " ".join([*briefing.overview, *(b for s in briefing.sections for b in s.bullets)])
    briefing.language = detect_language(text)
    return briefing


def _read_labels(
    briefing: ParsedBriefing, after_period: str, body: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Editor and publisher from the heading's tail (or the line after an empty label)."""
    labelled = list(_LABELLED.finditer(after_period))
    for i, match in enumerate(labelled):
        end = labelled[i + 1].start() if i + 1 < len(labelled) else len(after_period)
        value = after_period[match.end() : end].strip()
        if not value and i + 1 == len(labelled) and body and not is_bullet(body[0][1]):
            value = body.pop(0)[1].strip()  # "Editor:" at the line's end, the name below
        label = match.group("label").lower()
        if label.startswith("publish") or label.startswith("herausgegeben"):
            briefing.publisher = value.rstrip(".") or None
        else:
            briefing.editor = leading_name(value) or None
    return body


def _read_label_lines(
    briefing: ParsedBriefing, body: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """ "Editor: …" or "Publisher: …" on lines of their own before the first bullet."""
    kept = []
    for index, (number, line) in enumerate(body):
        if is_bullet(line):
            return kept + body[index:]
        if _LABELLED.match(line.strip()):
            _read_labels(briefing, line.strip(), [])
        else:
            kept.append((number, line))
    return kept


def _read_body(briefing: ParsedBriefing, body: list[tuple[int, str]]) -> None:
    """Caption lines before the first bullet, then the overview, then the sections."""
    first_bullet = next((i for i, (_, line) in enumerate(body) if is_bullet(line)), len(body))
    captions = [line.strip() for _, line in body[:first_bullet] if not _OVERVIEW.match(line)]
    if captions:
        caption, credit = caption_and_credit(captions[0])
        briefing.lead_figure = ParsedFigure(caption=caption, credit=credit)
    current: list[str] = briefing.overview
    for index in range(first_bullet, len(body)):
        line = body[index][1]
        if is_bullet(line):
            current.append(bullet_text(line))
        elif _OVERVIEW.match(line):
            current = briefing.overview
        elif _is_section_title(body, index):
            section = ParsedSection(title=line.strip().rstrip(":"))
            briefing.sections.append(section)
            current = section.bullets
        elif current:
            current[-1] = f"{current[-1]} {line.strip()}"  # a wrapped bullet's next line
        else:
            current.append(line.strip())


def _is_section_title(body: list[tuple[int, str]], index: int) -> bool:
    line = body[index][1].strip()
    following = body[index + 1][1] if index + 1 < len(body) else ""
    return (
        is_bullet(following)
        and len(line.split()) <= _MAX_TITLE_WORDS
        and not line.endswith((".", ";", ","))
    )


def _bullets_follow(lines: list[str], index: int) -> bool:
    for line in lines[index + 1 :]:
        if line.strip():
            return is_bullet(line)
    return False
