"""The next issue of a series: a draft with last week's skeleton and none of its content.

Editors rebuild the same briefing every week (series, editor, tags, the same section titles);
this makes that skeleton in one step and leaves the writing to them.
"""

import datetime as dt

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from briefings.models import Briefing, Section
from publishing.models import Status


def next_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period that follows `start`–`end` and is as long, counting both ends: a briefing of
    October 1–18 (18 days) is followed by October 19–November 5; one of a week by the next
    week. Periods follow the source's own length rather than a fixed week, as some series run
    fortnightly or over holidays."""
    length = end - start
    following_start = end + dt.timedelta(days=1)
    return following_start, following_start + length


def next_publication_date(source: Briefing, period_end: dt.date | None) -> dt.datetime:
    """On the new period's last day, at the time of day the source was published (a series
    goes out at its usual hour); without a period, now. A date already past is kept: the
    draft is dated for the period it covers, and the editor confirms the date on publishing."""
    if period_end is None:
        return timezone.now()
    usual_time = timezone.localtime(source.published_at).time()
    return timezone.make_aware(dt.datetime.combine(period_end, usual_time))


@transaction.atomic
def start_next_briefing(source: Briefing, user=None) -> Briefing:
    """A new draft of `source`'s series for the following period, with its section titles in
    order and no bullets, figures or title (the title is then made from series and period)."""
    period_start = period_end = None
    if source.period_start and source.period_end:
        period_start, period_end = next_period(source.period_start, source.period_end)
    with reversion.create_revision():
        briefing = Briefing.objects.create(
            series=source.series,
            publisher=source.publisher,
            editor=source.editor,
            language=source.language,
            period_start=period_start,
            period_end=period_end,
            status=Status.DRAFT,
            published_at=next_publication_date(source, period_end),
        )
        briefing.tags.set(source.tags.all())
        Section.objects.bulk_create(
            Section(briefing=briefing, title=section.title, position=position)
            for position, section in enumerate(source.sections.all())
        )
        # The history's first version, saying where the draft came from.
        reversion.add_to_revision(briefing)
        reversion.set_user(user)
        reversion.set_comment(_("Started from “%(source)s”.") % {"source": source})
    return briefing
