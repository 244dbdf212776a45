"""What an excerpt's byline holds besides names, the publication and the date.

Real bylines also carry the time the piece went out ("14:05 – PUBLICATION", "9.30 Uhr"), the
number of the dispatch ("No. 1234", "Nr. 12", "Issue 45", "#318"), and, before the text, the
place it was filed from in capitals ("GAZA – ", "MIDDLE EAST – "): a dateline. None of these is
the excerpt's text, a person, or a publication.
"""

import re

_SEPARATORS = " –—-|,;:/"
_DIGIT = re.compile(r"\d")
# A time of day: "14:05", "9.30 Uhr", "2:05 p.m.", "11 am", with a zone perhaps.
_TIME = (
    r"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:h|uhr|[ap]\.?\s?m\.?))?"
    r"|(?:[01]?\d|2[0-3])\.[0-5]\d\s*(?:h|uhr)"
    r"|(?:1[0-2]|0?[1-9])\s*[ap]\.?\s?m\.?(?![a-z]))"
    r"(?:\s*(?:gmt|utc|cet|cest|mez|mesz|est|edt|[+-]\d{1,2}(?::?\d{2})?))?"
)
# A dispatch's number: "No. 1234", "Nr. 12", "Issue 45", "Ausgabe 7", "#318".
_NUMBER = r"(?:(?:no|nr|n°|nº|№|issue|ausgabe|number)\.?\s*\d{1,6}|#\d{1,6})"
_STAMP = re.compile(rf"(?<![\w.:]){_TIME}(?![\w:])|(?<!\w){_NUMBER}(?!\d)", re.IGNORECASE)
# What a stamp taken out leaves: a space before a comma, a comma after another.
_LEFT_SPACE = re.compile(r"\s+([,;])")
_LEFT_COMMAS = re.compile(r"([,;])(?:\s*[,;])+")
# "GAZA – ", "MIDDLE EAST – ", "TEL AVIV/JERUSALEM — ": a short run of capitals, a dash, and
# then a sentence in mixed case.
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]*(?:[ /][A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]*){0,3}),?"
    r"\s+[–—-]+\s+(?=\S*[a-zà-öø-ÿ])"
)


def without_stamps(text: str) -> str:
    """`text` without its times of day and dispatch numbers, nor the separators they leave."""
    if not _DIGIT.search(text):
        return text.strip(_SEPARATORS)
    text = _LEFT_SPACE.sub(r"\1", _STAMP.sub("", text))
    return _LEFT_COMMAS.sub(r"\1", " ".join(text.split())).strip(_SEPARATORS)


def is_stamp_only(text: str) -> bool:
    """The text is only times of day and dispatch numbers."""
    return bool(text.strip(_SEPARATORS)) and not without_stamps(text)


def split_dateline(text: str) -> tuple[str | None, str]:
    """The place a text opens with in capitals before a dash, and the text after it."""
    match = _DATELINE.match(text)
    if match is None or len(match.group("place")) < 2:
        return None, text
    return match.group("place"), text[match.end() :]
