"""Moving the dates a demo file was written with by a number of days, so the demo looks fresh.

The demo's files write dates three ways: "July 4, 2025" (periods, credits, title lines),
"July 4" (the sources bullets cite, in the year of the file) and "2025-07-04" (the export's
post dates). Each is moved by the same number of days and written back the same way.
"""

import datetime as dt
import re

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WRITTEN = re.compile(rf"\b({'|'.join(_MONTHS)}) (\d{{1,2}})(?:, (\d{{4}}))?(?!\d)")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A date without a year falls in the year before the day the files were written for when it
# would otherwise lie this far after that day: the files cite the past.
_YEARLESS_AHEAD = dt.timedelta(days=31)


def shift_dates(text: str, written_on: dt.date, days: int) -> str:
    """`text` with every date it writes moved by `days`; `written_on` places yearless dates."""
    if days == 0:
        return text
    moved = dt.timedelta(days=days)

    def written(match: re.Match) -> str:
        month, day, year = _MONTHS.index(match[1]) + 1, int(match[2]), match[3]
        date = _date(int(year) if year else written_on.year, month, day)
        if date is None:
            return match[0]
        if not year and date > written_on + _YEARLESS_AHEAD:
            date = _date(date.year - 1, month, day) or date
        new = date + moved
        return f"{_MONTHS[new.month - 1]} {new.day}" + (f", {new.year}" if year else "")

    def iso(match: re.Match) -> str:
        date = _date(int(match[1]), int(match[2]), int(match[3]))
        return (date + moved).isoformat() if date else match[0]

    return _ISO.sub(iso, _WRITTEN.sub(written, text))


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # "0000-00-00", WordPress's "no date"
        return None
