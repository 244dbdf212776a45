"""What the import of one file did: counts by kind and outcome, and the notes an editor reads."""

from collections import Counter
from dataclasses import dataclass, field

from backissues.parsing.parsed import ParsedBriefing, ParsedFlatPage, ParsedItem

KINDS = ("briefing", "article", "page", "redirect", "category", "tag")
OUTCOMES = ("created", "updated", "filled", "unchanged", "kept", "flagged")


def item_label(item: ParsedItem | ParsedFlatPage) -> str:
    if item.title:
        return item.title
    if isinstance(item, ParsedBriefing) and (item.period_start or item.period_end):
        return f"{item.period_start or '?'} – {item.period_end or '?'}"
    return ""


def item_location(item: ParsedItem | ParsedFlatPage) -> str:
    if item.line:
        return f"line {item.line}"
    return getattr(item, "old_url", None) or item.source_ref or ""


@dataclass
class ItemNote:
    kind: str
    label: str  # the item's title, or a briefing's period
    location: str  # where the item is in its file
    detail: str

    @classmethod
    def about(cls, kind: str, item: ParsedItem | ParsedFlatPage, detail: str) -> "ItemNote":
        return cls(kind, item_label(item), item_location(item), detail)


@dataclass
class FileReport:
    source: str
    encoding: str | None = None
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    flagged: list[ItemNote] = field(default_factory=list)
    kept: list[ItemNote] = field(default_factory=list)
    missing_images: list[ItemNote] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (location, message)
    # What the file holds that was not imported, by what it is: always listed.
    not_imported: Counter = field(default_factory=Counter)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def totals(self) -> Counter:
        return sum(self.counts.values(), Counter())

    def summary(self) -> str:
        """“created 3, unchanged 2”: the outcomes of the file's items, pages and terms."""
        totals = sum((self.counts[k] for k in KINDS if k != "redirect"), Counter())
        return ", ".join(f"{o} {totals[o]}" for o in OUTCOMES if totals[o]) or "nothing to import"
