"""Dates as the old site wrote them: "17 Oct 2020", "October 15, 2020", "27.02.2021", periods.

`find_date` finds one full date in a text; `find_period` a from–to heading such as
"October 1, 2020 – October 18, 2020" or "February 18 – March 4, 2021", where the start may
leave out its year and month.
"""

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    # English, German and the usual abbreviations; "Mai"/"May" and "März"/"Maerz" both occur.
    "january": 1, "jan": 1, "januar": 1, "jänner": 1,
    "february": 2, "feb": 2, "februar": 2,
    "march": 3, "mar": 3, "märz": 3, "maerz": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juni": 6,
    "july": 7, "jul": 7, "juli": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12, "dezember": 12, "dez": 12,
}  # fmt: skip

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DASH = r"\s*(?:[–—‒-]|\bto\b|\bbis\b)\s*"


def _date_pattern(p: str, year_required: bool, bare_day: bool = False) -> str:
    """One date, its groups prefixed with `p` so a period can hold two.

    `bare_day` adds the day alone ("1 – 18 October 2020") or with its year ("October 1 – 18, 2020").
    """
    year = rf"(?P<{p}y{{n}}>\d{{{{4}}}})"
    opt = "" if year_required else "?"
    forms = [
        # October 15, 2020 / Oct. 9 2020 / Oct 9th, 2020
        rf"(?P<{p}m1>{_MONTH})\.?\s+(?P<{p}d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*{year.format(n=1)}){opt}",
        # 17 Oct 2020 / 15. Oktober 2020 / 5th October, 2020
        rf"(?P<{p}d2>\d{{1,2}})(?:\.|st|nd|rd|th)?\s*(?P<{p}m2>{_MONTH})\b\.?(?:,?\s*{year.format(n=2)}){opt}",
        # 27.02.2021 / 27.02.
        rf"(?P<{p}d3>\d{{1,2}})\.(?P<{p}m3>\d{{1,2}})\.(?:{year.format(n=3)}){opt}",
        # 2021-02-27
        rf"(?P<{p}y4>\d{{4}})-(?P<{p}m4>\d{{1,2}})-(?P<{p}d4>\d{{1,2}})",
    ]
    if bare_day:
        forms.append(rf"(?P<{p}d5>\d{{1,2}})\.?(?:,?\s*{year.format(n=5)}){opt}")
    # A year may run into the next word, as in "October 18, 2020Editor:".
    return r"(?<![\w.])(?:" + "|".join(forms) + r")(?!\d)"


_DATE = re.compile(_date_pattern("", year_required=True), re.IGNORECASE)
_PERIOD = re.compile(
    _date_pattern("s", year_required=False, bare_day=True)
    + _DASH
    + _date_pattern("e", year_required=True, bare_day=True),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """A date or period found in a text, with where it stands."""

    start: dt.date
    end: dt.date  # the same as start for a single date
    span: tuple[int, int]


# Every full date has a year of four digits, and so has a period's end: a text without one
# is passed over at once, sparing the long patterns above.
_YEAR = re.compile(r"\d{4}")


def find_date(text: str) -> Found | None:
    """The first valid full date in `text`."""
    if not _YEAR.search(text):
        return None
    for match in _DATE.finditer(text):
        day, month, year = _parts(match, "")
        if day and month and year and (value := _valid(year, month, day)):
            return Found(value, value, match.span())
    return None


def find_period(text: str) -> Found | None:
    """The first from–to period in `text`; the start takes its missing month and year from the end.

    The end may precede the start: the caller reports that, naming where it stands.
    """
    if not _YEAR.search(text):
        return None
    for match in _PERIOD.finditer(text):
        end_day, end_month, end_year = _parts(match, "e")
        day, month, year = _parts(match, "s")
        end_month = end_month or month
        end = _valid(end_year, end_month, end_day)
        if end is None or not (month or end_month):
            continue
        month = month or end_month
        if year is None:
            # "December 28 – January 3, 2021" starts in the year before.
            year = end_year - 1 if month > end_month else end_year
        start = _valid(year, month, day)
        if start is not None:
            return Found(start, end, match.span())
    return None


def _parts(match: re.Match, prefix: str) -> tuple[int | None, int | None, int | None]:
    groups = {k[len(prefix) :]: v for k, v in match.groupdict().items() if k.startswith(prefix)}
    groups = {k: v for k, v in groups.items() if v is not None and k[:1] in "dmy"}
    day = month = year = None
    for key, value in groups.items():
        if key[0] == "d":
            day = int(value)
        elif key[0] == "y":
            year = int(value)
        else:
            month = int(value) if value.isdigit() else MONTHS[value.lower()]
    return day, month, year


def _valid(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if not (year and month and day) or not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
