"""Rebuilding the structured citations of briefings from their bullets' text."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from briefings.models import Briefing, Bullet
from publishing.content_version import content_changed
from publishing.page_keys import SOURCES
from sources.citations import find_citations
from sources.models import Citation, Source


@transaction.atomic
def refresh_citations(briefings: Iterable[Briefing | int]) -> int:
    """Replace the citations of `briefings` (rows or pks) with those their bullets' text holds.

    Bulk throughout, as the importer writes bullets with bulk_create and no save(): a fixed
    number of queries whatever the number of bullets. Returns how many citations were written.
    """
    pks = [getattr(briefing, "pk", briefing) for briefing in briefings]
    bullets = Bullet.objects.filter(briefing__in=pks).values_list(
        "pk", "text", "briefing__period_start", "briefing__period_end"
    )
    found = {pk: find_citations(text, start, end) for pk, text, start, end in bullets}
    sources = sources_named({outlet for cited in found.values() for outlet, _date in cited})
    Citation.objects.filter(bullet__briefing__in=pks).delete()
    citations = Citation.objects.bulk_create(
        Citation(bullet_id=pk, source=sources[slugify(outlet)], date=date, position=position)
        for pk, cited in found.items()
        for position, (outlet, date) in enumerate(cited)
    )
    content_changed({SOURCES})
    return len(citations)


def refresh_briefings_citations(sender, briefing: Briefing, **kwargs) -> None:
    """Receives briefings.signals.bullets_saved."""
    refresh_citations([briefing])


def sources_named(names: set[str]) -> dict[str, Source]:
    """The Source of each name, by slug, creating those not seen before."""
    wanted = {slugify(name): name for name in sorted(names)}
    known = {source.slug: source for source in Source.objects.filter(slug__in=wanted)}
    missing = [Source(name=name, slug=slug) for slug, name in wanted.items() if slug not in known]
    if missing:
        # Another import may add the same outlet meanwhile: ignore it, then read both back.
        Source.objects.bulk_create(missing, ignore_conflicts=True)
        known = {source.slug: source for source in Source.objects.filter(slug__in=wanted)}
    return known
