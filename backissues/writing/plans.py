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

    def flag(self, gap: str) -> None:
        """A gap found while the item is written: it too holds the item back."""
        self.gaps.append(gap)
        self.status = Status.DRAFT

    def reasons(self) -> str:
        """The gaps as an editor reads them on the item, one per line."""
        return "\n".join(REASONS.get(gap, gap) for gap in self.gaps)


# How a gap is told to an editor; a gap not named here (a new publication, a source status)
# says itself.
REASONS = {
    "title": "no title",
    "excerpt": "no excerpt text",
    "publication": "no publication named",
    "date": "no original date",
    "editor": "no editor named",
    "period_start": "no period start",
    "period_end": "no period end",
    "published_at": "no publication date: not guessed, set one on publishing",
}


def assess(item: ParsedItem, exported: bool) -> Assessment:
    """An item with any gap is flagged and stays a draft until an editor publishes it; so does
    one the source does not show to all (a WordPress draft, a private post). A post of an export
    has no byline of the old site's pages: its publication and original date are not expected."""
    gaps = item.missing_required() if exported else item.missing()
    if getattr(item, "figures", None) and "excerpt" in gaps:
        gaps.remove("excerpt")  # an image post shows its figures
    if item.published_at is None:
        gaps.append("published_at")
    if item.source_status not in CLEAN_SOURCE_STATUSES:
        gaps.append(f"source status {item.source_status!r}")
    return Assessment(Status.DRAFT if gaps else Status.PUBLISHED, gaps)


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
    # The same item in any format (publishing.identity); "" when the item has no such key.
    identity: str = ""
    # A row found as the same item from another source: its values before this item was built
    # into it, which filling keeps wherever they are not empty (writing/same_item.py).
    kept: dict[str, object] | None = None
    present: frozenset[str] = frozenset()  # the parts that row has already: "figures"…
    present_tags: frozenset[int] = frozenset()

    def wants(self, part: str) -> bool:
        """Whether the item's `part` is written: always, unless filling a row that has it."""
        return part not in self.present

    @property
    def kind(self) -> str:
        return self.model._meta.model_name


def by_model(plans: list[Plan]) -> dict[type[Publishable], list[Plan]]:
    grouped: dict[type[Publishable], list[Plan]] = {}
    for plan in plans:
        grouped.setdefault(plan.model, []).append(plan)
    return grouped
