"""The language of an item, told from its words: the old site published in English and German."""

import re
from collections import Counter

_WORDS = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "that",
            "for",
            "with",
            "on",
            "was",
            "are",
            "by",
            "as",
            "from",
            "has",
            "have",
            "its",
            "an",
            "be",
            "this",
            "which",
            "at",
            "not",
            "it",
            "were",
            "their",
            "will",
            "after",
            "who",
            "would",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "mit",
            "von",
            "den",
            "zu",
            "im",
            "auf",
            "für",
            "ein",
            "eine",
            "einem",
            "einen",
            "dem",
            "des",
            "sich",
            "auch",
            "wird",
            "bei",
            "aus",
            "wie",
            "nach",
            "über",
            "gegen",
            "während",
            "vor",
            "hatten",
            "haben",
            "dass",
            "oder",
            "noch",
            "nur",
            "werden",
            "wurde",
            "sind",
            "war",
            "zum",
            "zur",
        ]
    ),
}
_TOKEN = re.compile(r"[^\W\d_]+")
# A few paragraphs tell the language as well as a whole (possibly huge) text would.
_SAMPLE = 5_000


def detect_language(text: str) -> str | None:
    """ "en" or "de" when the text's common words say so clearly; None when they do not."""
    tokens = Counter(_TOKEN.findall(text[:_SAMPLE].lower()))
    counts = {
        language: sum(tokens[word] for word in words.intersection(tokens))
        for language, words in _WORDS.items()
    }
    best = max(counts, key=counts.get)
    runner_up = min(counts.values())
    # Two common words at least, and clearly more of one language than the other.
    if counts[best] >= 2 and counts[best] > 2 * runner_up:
        return best
    return None
