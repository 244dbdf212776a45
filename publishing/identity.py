"""What makes an item the same one whichever format it arrived in: a key the importer stores
on the row (`Publishable.import_identity`) and looks a later import up by.

An excerpt is keyed by its title as words (case, accents' forms, punctuation and spacing do
not count: a text page and the saved HTML of the same post write it differently), a briefing
by its period. The rest of what identifies an item (an excerpt's publication and date, a
briefing's series) may be missing from one format, so the importer compares it with the row
rather than putting it into the key.
"""

import datetime as dt
import hashlib
import unicodedata


def title_words(title: str) -> str:
    """The title's letters and digits, casefolded, words separated by one space."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def article_identity(title: str | None) -> str:
    words = title_words(title or "")
    return _key("article", words) if words else ""


def briefing_identity(start: dt.date | None, end: dt.date | None) -> str:
    return _key("briefing", f"{start}/{end}") if start and end else ""


def _key(kind: str, text: str) -> str:
    return hashlib.sha1(f"{kind}\n{text}".encode()).hexdigest()
