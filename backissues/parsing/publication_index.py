"""Recognising a publication by any of its spellings in a piece of text.

Back issues write a publication's name many ways ("AL MONITOR", "Al-Monitor", "(ISW)"). An index,
built once per import run from the publications and their aliases, finds the longest known name
in a text, comparing case-insensitively with punctuation and runs of whitespace folded to one
space, and only at word boundaries.
"""

import re
import unicodedata
from dataclasses import dataclass

from people.publication_spellings import spelling_lines


@dataclass(frozen=True)
class Match:
    name: str  # the publication's canonical name
    start: int  # span of the matched spelling in the text searched
    end: int


class PublicationIndex:
    def __init__(self, names: dict[str, list[str]]):
        """`names` maps each canonical name to its other spellings."""
        self._canonical: dict[str, str] = {}
        for name, aliases in names.items():
            for alias in aliases:
                self._canonical.setdefault(fold(alias)[0], name)
        # A publication's own name wins over another one's alias of the same spelling.
        for name in names:
            self._canonical[fold(name)[0]] = name
        self._canonical.pop("", None)
        spellings = sorted(self._canonical, key=len, reverse=True)
        alternatives = "|".join(re.escape(s) for s in spellings) or "(?!)"
        # A lookahead finds overlapping matches: one candidate at every word start.
        self._pattern = re.compile(rf"(?<![^ ])(?=({alternatives})(?![^ ]))")

    @classmethod
    def load(cls) -> "PublicationIndex":
        from people.models import Publication

        rows = Publication.objects.values_list("name", "aliases")
        return cls({name: spelling_lines(aliases) for name, aliases in rows})

    def find_in(self, text: str) -> Match | None:
        """The longest known spelling occurring in `text` (the first, if several are as long)."""
        best = None
        for found in self._pattern.finditer(folded(text)):
            if best is None or len(found.group(1)) > len(best.group(1)):
                best = found
        if best is None:
            return None
        spelling = best.group(1)
        start, end = best.start(1), best.start(1) + len(spelling)
        origin = fold(text)[1]  # worked out only for a hit: most texts name no publication
        return Match(self._canonical[spelling], origin[start], origin[end - 1] + 1)

    def canonical(self, text: str) -> str | None:
        """The canonical name when `text` is, as a whole, one known spelling."""
        return self._canonical.get(folded(text))


_NOT_ASCII_ALNUM = re.compile(r"[^0-9a-z]+")


def folded(text: str) -> str:
    """`fold(text)`'s text alone; plain ASCII, the common case, takes a quicker road."""
    if text.isascii():
        return _NOT_ASCII_ALNUM.sub(" ", text.lower()).strip()
    return fold(text)[0]


def fold(text: str) -> tuple[str, list[int]]:
    """`text` casefolded, punctuation and whitespace as single spaces, trimmed; and for each
    character of the result, the index of the character of `text` it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKC", char).casefold():
            if part.isalnum():
                chars.append(part)
                origin.append(index)
            elif chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin
