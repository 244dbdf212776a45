"""Short plain text made from an item's Markdown-rendered HTML: what a card or a page's
description shows of it. Plain text, so a template escapes it like any other value."""

from html import unescape

from django.utils.html import strip_tags

# A card's teaser: two or three lines of the text column.
TEASER_LENGTH = 200


def plain_text(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def shortened(text: str, length: int = TEASER_LENGTH) -> str:
    """`text` cut at a word to at most `length` characters, an ellipsis ending what was cut."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    # End on a whole word, unless the text is one very long word.
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:.") + "…"


def teaser(*htmls: str, length: int = TEASER_LENGTH) -> str:
    """The first of `htmls` with words in it, as plain text shortened to `length`."""
    texts = (plain_text(html) for html in htmls if html)
    return shortened(next((text for text in texts if text), ""), length)
