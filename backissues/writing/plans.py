"""One item of a batch as planned: what identifies it, what becomes of it, what is written."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import models

from backissues.parsing.parsed import ParsedItem
from backissues.writing.rows_by_name import NameLookup
from briefings.models import Section
from publishing.models import Publishable, Status

if TYPE_CHECKING:
    from backissues.writing.items import FileItems

# What a source may say of an item's status without the item needing a look.
CLEAN_SOURCE_STATUSES = (None, "published", "scheduled")


@dataclass
class Assessment:
    """What the parse says about an item's state on the site."""

    status: str
    gaps: list[str]  # what is missing or doubtful; any gap flags the item for review


def assess(item: ParsedItem) -> Assessment:
    gaps = item.missing()
    if item.published_at is None:
        gaps.append("published_at")
    if item.source_status not in CLEAN_SOURCE_STATUSES:
        gaps.append(f"source status {item.source_status!r}")
    if item.source_status is None:
        # A page says nothing of status: an item lacking what readers need stays a draft.
        hidden = bool(item.missing_required()) or item.published_at is None
    else:
        # An export says whether the post was open to all; it stays so, flagged if something
        # is missing, unless its title is: a title made of its first words waits for an
        # editor. Any other status (a draft, a private post, one with a password) hides it.
        hidden = (
            item.source_status not in CLEAN_SOURCE_STATUSES
            or item.published_at is None
            or "title" in item.missing_required()
        )
    return Assessment(Status.DRAFT if hidden else Status.PUBLISHED, gaps)


@dataclass
class Parts:
    """What an item's row brings besides its own fields; replaced whenever the row is written."""

    # Foreign keys named by a name: attname -> (the rows named, the name's key).
    links: dict[str, tuple[NameLookup, str | None]] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)  # people's keys
    tags: list[str] = field(default_factory=list)  # tags' keys
    rows: list[models.Model] = field(default_factory=list)  # sections, figures
    bullets: list[tuple[Section | None, str, int]] = field(default_factory=list)


@dataclass
class Plan:
    """One item of a batch: what identifies it, what becomes of it, and what is written."""

    model: type[Publishable]
    item: ParsedItem
    ref: str
    assessment: Assessment
    digest: str
    uploads: list[Path | None]  # found for a briefing's lead figure, or each article figure
    file: "FileItems"  # the file the item is in
    outcome: str = "created"
    row: Publishable | None = None  # the site's row, else the one being built
    slug: str = ""  # the parser's slug, for a row without one yet
    parts: Parts = field(default_factory=Parts)

    @property
    def kind(self) -> str:
        return self.model._meta.model_name


def by_model(plans: list[Plan]) -> dict[type[Publishable], list[Plan]]:
    grouped: dict[type[Publishable], list[Plan]] = {}
    for plan in plans:
        grouped.setdefault(plan.model, []).append(plan)
    return grouped
