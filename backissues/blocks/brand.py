"""The old site's brand in front of an excerpt's title, however it was typed.

The site put its own name before many titles: "MESOPOTAMIA NEWS FOCUS : Title", "MESOP NEWS
ANALYSIS: Title". Typed by hand, the name comes misspelt ("MEOPOTAMIA NEWS", "MESOPOTAMIEN
NEWS") and in its other forms ("MESOP MIDEAST WATCH", the name of one of its newsletters). Only
what follows the full "… NEWS" is a kicker; the words after a bare "MESOP" are the brand's own
name, not a kicker.
"""

import re
from dataclasses import dataclass

# The brand's first word as written in full, and its short form.
_FULL_NAME = "mesopotamia"
_SHORT_NAMES = ("mesop", "mesopot")
_NEWS = "news"
# Typing slips tolerated in the brand's long name (a letter left out, doubled or swapped).
_FULL_NAME_SLIPS = 2
_WORD = re.compile(r"[A-Za-zÄÖÜäöü]+")


@dataclass(frozen=True)
class Brand:
    """Where the brand ends in the text, and whether a kicker may follow it."""

    end: int
    kicker_follows: bool


def find_brand(text: str) -> Brand | None:
    """The brand at the start of `text`, or None."""
    words = list(_WORD.finditer(text[:80]))
    if not words or text[: words[0].start()].strip(" \"'“”„«»*_-"):
        return None
    first = words[0].group()
    news = len(words) > 1 and _close_to(words[1].group().lower(), _NEWS, 1)
    news = news and _adjacent(text, words)
    # A misspelling counts only where the brand shows as such: in capitals, or before "NEWS";
    # "Mesopotamian marshes" is a title's first words.
    exact = first.lower() in (_FULL_NAME, *_SHORT_NAMES)
    if not exact and not (
        (news or first.isupper()) and _close_to(first.lower(), _FULL_NAME, _FULL_NAME_SLIPS)
    ):
        return None
    if news:
        return Brand(_after_separators(text, words[1].end()), kicker_follows=True)
    return Brand(_after_separators(text, words[0].end()), kicker_follows=False)


def _adjacent(text: str, words: list[re.Match]) -> bool:
    """The second word follows the first with only spaces or joining marks between them."""
    return not text[words[0].end() : words[1].start()].strip(" -_.")


def _after_separators(text: str, index: int) -> int:
    while index < len(text) and text[index] in " -_.":
        index += 1
    return index


def _close_to(word: str, target: str, slips: int) -> bool:
    """Whether `word` is `target` with at most `slips` letters added, left out or changed."""
    if abs(len(word) - len(target)) > slips:
        return False
    previous = list(range(len(target) + 1))
    for i, letter in enumerate(word, 1):
        current = [i]
        for j, wanted in enumerate(target, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != wanted))
            )
        previous = current
    return previous[-1] <= slips
