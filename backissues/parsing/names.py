"""People's names as back issues write them: "Dr. Raz Zimmt", "By BELKIS WILLE"."""

import re

from backissues.parsing.dates import MONTHS
from backissues.parsing.lines import tidy_caps

_HONORIFICS = frozenset(
    ["dr", "dr.", "prof", "prof.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "gen.", "col.", "amb."]
)
_PARTICLES = frozenset(
    [
        "al",
        "abu",
        "bin",
        "ibn",
        "van",
        "von",
        "de",
        "da",
        "del",
        "der",
        "la",
        "le",
        "du",
        "el",
        "ben",
    ]
)
# Capitalised words that stand after or beside names on the old site but are not names.
_NOT_NAMES = frozenset(
    [
        "overview",
        "senior",
        "fellow",
        "director",
        "analyst",
        "correspondent",
        "researcher",
        "professor",
        "summary",
        "highlights",
        "contents",
        "introduction",
        "main",
        "key",
        "points",
        "publisher",
        "editor",
        "editors",
        "published",
        "date",
        "issue",
        "no",
        "the",
        "and",
        "in",
        "of",
        "up",
        "on",
        "by",
        "for",
        "to",
        "at",
        "with",
        "from",
        "this",
        "that",
        "his",
        "her",
        "its",
        "insight",
        "analysis",
        "focus",
        "report",
        "brief",
        "commentary",
        "policy",
        "watch",
        "update",
        "news",
        "also",
        "available",
        "überblick",
        "zusammenfassung",
        "inhalt",
        "herausgeber",
        "redaktion",
        "autor",
        "datum",
    ]
) | frozenset(MONTHS)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?|(?:al|el)-[A-ZÀ-ÖØ-Þ][\w'’\-]*|[A-Z]\.)$")


def leading_name(text: str, max_words: int = 4) -> str | None:
    """The person's name at the start of `text`, ending before the first word that cannot be
    part of a name; None when fewer than two name words stand there."""
    words = text.split()
    taken: list[str] = []
    honorifics = 0
    for raw in words:
        word = raw.rstrip(",;:")
        if len(taken) == honorifics and word.lower() in _HONORIFICS:
            taken.append(word)
            honorifics += 1
            continue
        if not _is_name_word(word) or len(taken) - honorifics >= max_words:
            break
        taken.append(word)
        if word != raw:  # a comma or colon ends the name
            break
    while len(taken) > honorifics and taken[-1].lower() in _PARTICLES:
        taken.pop()
    half = (len(taken) - honorifics) // 2
    if half and taken[honorifics : honorifics + half] == taken[honorifics + half :]:
        del taken[honorifics + half :]  # "David Pollock David Pollock is ...": name, then bio
    if len(taken) - honorifics < 2:
        return None
    return " ".join(tidy_caps(w) if len(w) > 2 and w.isupper() else w for w in taken)


def is_name(text: str) -> bool:
    """The whole of `text` is one person's name."""
    text = text.strip().rstrip(",;")
    return bool(text) and leading_name(text) == _tidy(text)


def names_in_byline(text: str) -> list[str]:
    """The names of "A and B", "A, B & C", up to the first part that is not a name
    ("Jane Doe, Senior Fellow")."""
    names = []
    for part in re.split(r",\s*|\s+(?:and|und|&)\s+", text.strip()):
        if not is_name(part):
            break
        names.append(leading_name(part))
    return names


def _is_name_word(word: str) -> bool:
    lower = word.lower()
    if lower in _PARTICLES:
        return True
    if lower.rstrip(".") in _NOT_NAMES or any(ch.isdigit() for ch in word):
        return False
    return bool(_NAME_WORD.match(word))


def _tidy(text: str) -> str:
    return " ".join(tidy_caps(w) if len(w) > 2 and w.isupper() else w for w in text.split())
