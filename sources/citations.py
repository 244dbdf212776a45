"""Inline source citations in briefing bullets: “(Mehr, October 4)” -> ("Mehr", 2020-10-04).

The rule: a parenthesis is a citation only when it is a list of outlets separated by
semicolons and its last outlet carries a date, e.g. “(Fars, October 13)”, “(Mehr, October 4,
2020)”, “(Reuters; AP, May 2)”, “(Tasnim, 12. Oktober)”. An outlet is one to four capitalised
words, with “of”, “the”, “al” and the like allowed between them. An undated parenthesis is not
taken: “(IRGC)”, “(SDF)” and “(Reuters)” look alike, and only the date tells a source apart.
An undated outlet in a list shares the date of the next dated one.
"""

import datetime as dt
import re

MONTHS = {
    **{
        name: number
        for number, names in enumerate(
            [
                ("january", "jan", "januar", "jänner"),
                ("february", "feb", "februar"),
                ("march", "mar", "märz", "maerz"),
                ("april", "apr"),
                ("may", "mai"),
                ("june", "jun", "juni"),
                ("july", "jul", "juli"),
                ("august", "aug"),
                ("september", "sep", "sept"),
                ("october", "oct", "oktober", "okt"),
                ("november", "nov"),
                ("december", "dec", "dezember", "dez"),
            ],
            start=1,
        )
        for name in names
    }
}

# A word starting with a capital, and the small words that may join two of them.
WORD = r"[A-ZÄÖÜ][\w'’.&-]*"
JOINER = r"(?:of|the|al|el|de|der|die|des|du|la|le)"
OUTLET = rf"{WORD}(?:\s+(?:{JOINER}\s+)?{WORD}){{0,3}}"
MONTH = r"[A-Za-zäÄ]+\.?"
MONTH_DAY = rf"(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})"
DAY_MONTH = rf"(?P<day_first>\d{{1,2}})\.?\s+(?P<month_after>{MONTH})"  # German: “4. Oktober”
DATE = rf"(?:{MONTH_DAY}|{DAY_MONTH})"
YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
PART = re.compile(rf"^(?P<outlet>{OUTLET})(?:,\s+{DATE}{YEAR})?$")
PARENTHESIS = re.compile(r"\(([^()]{2,120})\)")

# Words that open a date, not an outlet: “(Monday, October 5)”.
NOT_OUTLETS = set(MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
}  # fmt: skip

# A citation dated this long after the period's end belongs to the year before: December
# citations in a briefing of early January.
LATEST_AFTER_PERIOD = dt.timedelta(days=31)

Citation = tuple[str, dt.date | None]


def find_citations(
    text: str, period_start: dt.date | None, period_end: dt.date | None
) -> list[Citation]:
    """The (outlet, date) citations of `text`, in order; the date is None when no year is known."""
    found: list[Citation] = []
    for match in PARENTHESIS.finditer(text):
        found.extend(citations_in(match.group(1), period_start, period_end))
    return found


def citations_in(
    inside: str, period_start: dt.date | None, period_end: dt.date | None
) -> list[Citation]:
    """The citations of one parenthesis's content, or none if it is not a citation."""
    parts = [PART.match(part.strip()) for part in inside.split(";")]
    if not all(parts) or not parts[-1].group("day") and not parts[-1].group("day_first"):
        return []
    if any(part.group("outlet").split()[0].lower() in NOT_OUTLETS for part in parts):
        return []
    cited: list[Citation] = []
    date: dt.date | None = None
    for part in reversed(parts):
        if part.group("day") or part.group("day_first"):
            try:
                date = cited_date(part, period_start, period_end)
            except NotADate:
                return []
        cited.append((part.group("outlet"), date))
    return cited[::-1]


class NotADate(ValueError):
    """A parenthesis shaped like a citation whose date names no real day."""


def cited_date(
    part: re.Match, period_start: dt.date | None, period_end: dt.date | None
) -> dt.date | None:
    """The part's date, or None when its year cannot be told."""
    month = MONTHS.get((part.group("month") or part.group("month_after")).rstrip(".").lower())
    day = int(part.group("day") or part.group("day_first"))
    if month is None:
        raise NotADate
    if part.group("year"):
        return real_date(int(part.group("year")), month, day)
    reference = period_end or period_start
    if reference is None:
        real_date(2000, month, day)  # a leap year: the day exists in some year
        return None
    try:
        date = real_date(reference.year, month, day)
    except NotADate:
        date = None
    if date is None or date > reference + LATEST_AFTER_PERIOD:
        return real_date(reference.year - 1, month, day)
    return date


def real_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise NotADate from error
