"""When two publication rows are one publication: the same name once a parenthesised short form
is left off (“Institute for the Study of War (ISW)”), or one's name among the other's spellings.
A migration made some of the rows, an import or an editor the others; they are merged into one
row holding every spelling, so excerpts name one publication and its page lists them all.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from people.back_issue_publications import PUBLICATIONS
from publishing.identity import title_words

_SHORT_FORM = re.compile(r"\s*\([A-Z0-9&.\-]{2,12}\)\s*$")
# The names the migrations seed: the row kept when one of them is among a publication's rows.
SEEDED = frozenset(title_words(name) for name, _homepage, _aliases in PUBLICATIONS)


def base_name(name: str) -> str:
    """The name as words, without a parenthesised short form at its end."""
    return title_words(_SHORT_FORM.sub("", name)) or title_words(name)


def spelling_lines(aliases: str) -> list[str]:
    """A publication's other spellings, as editors write them: one per line."""
    return [line.strip() for line in aliases.splitlines() if line.strip()]


@dataclass
class Spelled:
    """A publication row as its spellings: (primary key, name, other spellings one per line)."""

    pk: int
    name: str
    aliases: str
    merged: list["Spelled"] = field(default_factory=list)

    def spellings(self) -> set[str]:
        return {title_words(self.name), *map(title_words, spelling_lines(self.aliases))}

    def all_aliases(self) -> str:
        """Its spellings and those of the rows merged into it, its own name left out."""
        lines = spelling_lines(self.aliases)
        for other in self.merged:
            lines += [other.name, *spelling_lines(other.aliases)]
        own = title_words(self.name)
        kept: dict[str, str] = {}
        for line in lines:
            if title_words(line) != own:
                kept.setdefault(line.casefold(), line)
        return "\n".join(kept.values())


def same_publication(one: Spelled, other: Spelled) -> bool:
    return (
        base_name(one.name) == base_name(other.name)
        or title_words(other.name) in one.spellings()
        or title_words(one.name) in other.spellings()
    )


def merged_rows(rows: Iterable[Spelled]) -> list[Spelled]:
    """The rows to keep, each with the rows that are the same publication merged into it: the
    seeded row when there is one, else the oldest."""
    ordered = sorted(rows, key=lambda row: (title_words(row.name) not in SEEDED, row.pk))
    kept: list[Spelled] = []
    for row in ordered:
        home = next((keep for keep in kept if same_publication(keep, row)), None)
        if home is None:
            kept.append(row)
        else:
            home.merged.append(row)
    return kept
