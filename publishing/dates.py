"""Date ranges of the public archives, in the site's time zone; dates spelled out per language."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# The years an address may name. A period's end is the start of the next one, and its start is
# compared in UTC, which may be the day before: both must be dates Python holds (years 1-9999).
FIRST_YEAR, LAST_YEAR = dt.MINYEAR + 1, dt.MAXYEAR - 1


def parse_date(year: int, month: str | int = 1, day: str | int = 1) -> dt.date:
    """A real calendar date within the years addresses may name, or Http404 for one such as
    2021/02/30 or 9999/12/31."""
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404(_("No such date.")) from None
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise Http404(_("No such date."))
    return date


def aware_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def year_range(day: dt.date) -> tuple[dt.date, dt.date]:
    return day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1)


def month_range(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def day_range(day: dt.date) -> tuple[dt.date, dt.date]:
    return day, day + dt.timedelta(days=1)


# A date with its month in full, per interface language: Django's English DATE_FORMAT
# abbreviates the month ("Oct. 18, 2020").
FULL_DATE_FORMATS = {"en": "F j, Y", "de": "j. F Y"}


def full_date(day: dt.date) -> str:
    return date_format(day, FULL_DATE_FORMATS.get(get_language(), "DATE_FORMAT"))


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    """“October 1 – October 18, 2020” (in German “1. Oktober – 18. Oktober 2020”), or the one
    date that is known, in the active language."""
    if start and end and start != end:
        same_year = start.year == end.year
        first = date_format(start, "MONTH_DAY_FORMAT") if same_year else full_date(start)
        return f"{first} – {full_date(end)}"
    known = start or end
    return full_date(known) if known else ""
