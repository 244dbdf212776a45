"""Parsed back-issue items as the parsers hand them to the writer: a briefing, an article and
a file holding them, each with every field filled, changed by keyword."""

import datetime as dt

from backissues.parsing.parsed import (
    ParsedArticle,
    ParsedBriefing,
    ParsedFigure,
    ParsedFile,
    ParsedSection,
)

WHEN = dt.datetime(2021, 3, 14, 9, 0, tzinfo=dt.UTC)


def a_briefing(**changes) -> ParsedBriefing:
    fields = dict(
        period_start=dt.date(2021, 3, 1),
        period_end=dt.date(2021, 3, 14),
        editor="Mara Lindqvist",
        published_at=WHEN,
        language="en",
        line=1,
        lead_figure=ParsedFigure(caption="Delegates at the crossing", credit="Agency, 3 March"),
        overview=["Talks resumed after a pause (Agency, March 2).", "Trade figures rose."],
        sections=[
            ParsedSection("Developments in the north", ["A convoy crossed.", "A bridge reopened."]),
            ParsedSection("Developments in the south", ["Elections were set."]),
        ],
    )
    return ParsedBriefing(**{**fields, **changes})


def an_article(**changes) -> ParsedArticle:
    fields = dict(
        title="Water, borders and a quiet deal",
        publication="AL MONITOR",
        authors=["Jonas Feld", "Rita Okafor"],
        date=dt.date(2021, 3, 10),
        excerpt="The agreement was never announced.\n\nIt still shapes the region.",
        continue_url="https://www.al-monitor.com/example",
        continue_label="weiterlesen / click to continue",
        kicker="Analysis",
        published_at=WHEN,
        language="en",
        line=30,
    )
    return ParsedArticle(**{**fields, **changes})


def a_file(*items, source="issue.txt", pages=(), **kwargs) -> ParsedFile:
    return ParsedFile(
        source=source,
        format="text",
        encoding="utf-8",
        briefings=[i for i in items if isinstance(i, ParsedBriefing)],
        articles=[i for i in items if isinstance(i, ParsedArticle)],
        pages=list(pages),
        **kwargs,
    )
