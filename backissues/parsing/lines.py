"""What a line of a back-issue page is: a bullet, a continue-reading line, the pagination.

Shared by the page splitter and the two block parsers (`backissues.blocks.briefings`,
`backissues.blocks.excerpts`).
"""

import re
import unicodedata

_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*]|-(?=\s)|–(?=\s))\s*")
# "weiterlesen / click to continue", "More via", "Continue reading", "Read more at ...".
_CONTINUE = re.compile(
    r"^\s*(?:weiter\s*lesen|weiterlesen|mehr\s+lesen|zum\s+artikel|click\s+to\s+continue|"
    r"continue\s+reading|read\s+more|read\s+the\s+full|more\s+via|more\s+at|full\s+article)"
    r"\b[^.!?]{0,60}$",
    re.IGNORECASE,
)
_PAGINATION = re.compile(
    r"(?:neuere|ältere|aeltere|nächste|vorherige)\s+(?:artikel|beiträge|einträge)|"
    r"(?:next|previous|older|newer)\s+(?:articles|posts|entries)",
    re.IGNORECASE,
)
# "The meeting … (Mehr, October 4, 2020)." -> caption, credit; the caption may be empty.
_CREDITED = re.compile(r"^(?P<caption>.*?)\s*\((?P<credit>[^()]+)\)\s*\.?\s*$", re.DOTALL)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "der",
        "die",
        "das",
        "und",
        "im",
        "in",
        "von",
    ]
)


def clean_line(line: str) -> str:
    """Invisible characters dropped, odd spaces made plain, trailing space removed."""
    if line.isascii():
        return line.replace("\t", " ").rstrip()
    line = _INVISIBLE.sub("", unicodedata.normalize("NFC", line))
    return _SPACES.sub(" ", line).rstrip()


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line)) and bool(_BULLET.sub("", line, count=1).strip())


def bullet_text(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


def is_continue_line(line: str) -> bool:
    """A short line that only links to the rest of the piece."""
    return len(line) <= 80 and bool(_CONTINUE.match(line))


def is_pagination(line: str) -> bool:
    return len(line) <= 200 and bool(_PAGINATION.search(line))


def caption_and_credit(text: str) -> tuple[str | None, str | None]:
    """A figure's caption, and the credit it ends with in parentheses."""
    text = text.strip()
    match = _CREDITED.match(text)
    if match is None:
        return text or None, None
    return match.group("caption").strip() or None, match.group("credit").strip()


def tidy_caps(text: str) -> str:
    """ "TOP OF THE AGENDA" -> "Top of the Agenda"; text in mixed case is left alone."""
    if not text.isupper():
        return text
    words = text.split(" ")
    return " ".join(_tidy_word(word, first=not i) for i, word in enumerate(words))


def _tidy_word(word: str, first: bool) -> str:
    if word.startswith("("):
        return word  # "(ISW)": an abbreviation stays as written
    word = word.lower()
    return word if not first and word in _SMALL_WORDS else word[:1].upper() + word[1:]
