"""Date ranges of the public archives, in the site's time zone."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _


def parse_date(year: int, month: str | int = 1, day: str | int = 1) -> dt.date:
    """A real calendar date, or Http404 for one such as 2021/02/30."""
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404(_("No such date.")) from None


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
