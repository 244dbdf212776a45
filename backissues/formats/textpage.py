"""The page splitter: a back-issue page as text, cut into item blocks for the block parsers.

The briefing block starts with its period heading and ends after its last bullets; each excerpt
block ends at its continue-reading line. The old site's pagination line is dropped.
"""

import datetime as dt
import re

from django.utils import timezone

from backissues.blocks import briefings as briefing_blocks
from backissues.blocks.excerpts import parse_excerpt_lines
from backissues.parsing.errors import BackIssueError
from backissues.parsing.lines import clean_line, is_continue_line, is_pagination
from backissues.parsing.parsed import ParsedBriefing, ParsedFile
from backissues.parsing.publication_index import PublicationIndex

# Items of one page were posted the same day; the first on the page is the newest.
_PAGE_TIME = dt.time(12, 0)
_NUL_OR_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def parse_text(text: str, source: str, publications: PublicationIndex | None = None) -> ParsedFile:
    """Every item on one page saved as text. Raises BackIssueError when none is there."""
    parsed = ParsedFile(source=source, format="text")
    lines = [clean_line(_NUL_OR_CONTROL.sub("", line)) for line in text.splitlines()]
    lines = ["" if is_pagination(line) else line for line in lines]
    publications = publications or PublicationIndex({})
    for start, end, briefing in _blocks(lines):
        if briefing is not None:
            parsed.briefings.append(briefing)
            continue
        article = parse_excerpt_lines(lines[start:end], start + 1, publications)
        if article.continue_label is None:
            parsed.notes.append(
                (
                    f"line {article.line}",
                    "no continue-reading line after this text; kept as a draft",
                )
            )
            article.source_status = "draft"
        parsed.articles.append(article)
    if not parsed.briefings and all(a.continue_label is None for a in parsed.articles):
        raise BackIssueError(
            "no recognisable item: no briefing period heading and no continue-reading line",
            location="line 1",
        )
    _date_items(parsed)
    return parsed


def _blocks(lines: list[str]) -> list[tuple[int, int, ParsedBriefing | None]]:
    """(start, end, the briefing or None) of each block: the briefing's (a page has one at
    most), and one per continue-reading line."""
    blocks = []
    start = 0
    briefing_seen = False
    while start < len(lines):
        while start < len(lines) and not lines[start].strip():
            start += 1
        if start == len(lines):
            break
        briefing, end = (None, start) if briefing_seen else _briefing_at(lines, start)
        if briefing is not None:
            briefing_seen = True
        elif end == start:
            while end < len(lines) and not is_continue_line(lines[end]):
                end += 1
            end = min(end + 1, len(lines))
        blocks.append((start, end, briefing))
        start = end
    return blocks


def _briefing_at(lines: list[str], start: int) -> tuple[ParsedBriefing | None, int]:
    """The briefing starting at `lines[start]` and where its block ends; None when there is
    none. A block that a continue-reading line closes is an excerpt whose title holds a date
    range ("Situation Report: February 24 – March 2, 2021"), not a briefing."""
    heading = _heading_index(lines, start)
    if briefing_blocks.heading_period(lines[heading]) is None:
        return None, start
    end = briefing_blocks.block_end(lines, heading)
    following = next((line for line in lines[end:] if line.strip()), "")
    if is_continue_line(following):
        return None, start
    briefing = briefing_blocks.parse_briefing_lines(lines[start:end], start + 1)
    # A line above the heading that names no series is a block of its own; the briefing follows.
    if (
        briefing is None
        and heading > start
        and briefing_blocks.parse_briefing_lines(lines[heading:end], heading + 1)
    ):
        return None, heading
    return briefing, end


def _heading_index(lines: list[str], start: int) -> int:
    """The heading is the block's first line, or its second after a line naming the series."""
    if briefing_blocks.heading_period(lines[start]):
        return start
    following = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), start)
    return following if briefing_blocks.heading_period(lines[following]) else start


def _date_items(parsed: ParsedFile) -> None:
    """Give each item the page's date: the briefing's last day, else the newest excerpt's date.

    Without either, the items keep no date and are imported as drafts.
    """
    dates = [b.period_end for b in parsed.briefings if b.period_end]
    dates = dates or [a.date for a in parsed.articles if a.date]
    if not dates:
        return
    noon = timezone.make_aware(dt.datetime.combine(max(dates), _PAGE_TIME))
    for position, item in enumerate(_page_order(parsed)):
        item.published_at = noon - dt.timedelta(minutes=position)


def _page_order(parsed: ParsedFile) -> list:
    return sorted(parsed.items(), key=lambda item: item.line or 0)
