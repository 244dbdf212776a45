"""The images and embedded media of an export's posts.

Nothing a post shows is lost without a word: an attachment becomes a figure of the post it
belongs to (by `post_parent`) or whose image it is (by its address), and a player or frame
from another site, which this site does not embed, becomes a link to its source.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from backissues.parsing.lines import caption_and_credit
from backissues.parsing.parsed import ParsedFigure

# WordPress's resized copies: "photo-300x200.jpg" is a size of "photo.jpg".
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff")
# A frame or player, with whatever it holds, or an <embed>.
_EMBED_ELEMENT = re.compile(
    r"<(?P<tag>iframe|video|audio|object)\b[^>]*>.*?</(?P=tag)\s*>|<(?P<single>embed)\b[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_SOURCE = re.compile(r"""\b(?:src|data)\s*=\s*(["'])(?P<url>.+?)\1""", re.IGNORECASE | re.DOTALL)
# [embed]URL[/embed], [youtube URL], [video src="…"] and the other players' shortcodes.
_EMBED_SHORTCODE = re.compile(
    r"\[embed\b[^\]]*\](?P<embedded>.*?)\[/embed\]"
    r"|\[(?:youtube|vimeo)\s+(?P<bare>[^\]\s]+)\s*\]"
    r"|\[(?:video|audio)\b(?P<attrs>[^\]]*)\](?:.*?\[/(?:video|audio)\])?",
    re.IGNORECASE | re.DOTALL,
)
_PLAYER_SOURCE = re.compile(
    r"""\b(?:src|mp4|m4v|webm|ogv|wmv|flv|mp3|m4a|ogg|wav|wma)\s*=\s*["']?(?P<url>[^"'\s\]]+)""",
    re.IGNORECASE,
)


@dataclass
class Attachment:
    url: str  # as the export gives it, maybe relative to the site's address
    caption: str | None
    alt: str | None
    parent: str = ""  # the id of the post it was uploaded to
    file: str | None = None  # its path under wp-content/uploads (_wp_attached_file)

    @property
    def is_image(self) -> bool:
        return urlsplit(self.url).path.lower().endswith(_IMAGE_SUFFIXES)

    def figure(self, url: str) -> ParsedFigure:
        """The attachment as a figure, its image at `url` (made absolute)."""
        caption, credit = caption_and_credit(self.caption or "")
        return ParsedFigure(caption, credit, url, self.alt, file=self.file)

    def describe(self, figure: ParsedFigure) -> None:
        """Fill in what a figure showing this image lacks."""
        if not figure.caption and self.caption:
            figure.caption, figure.credit = caption_and_credit(self.caption)
        figure.alt = figure.alt or self.alt
        figure.file = figure.file or self.file


def image_key(url: str | None) -> str:
    """An image's address as its sizes share it: its path, without a size suffix."""
    try:
        path = unquote(urlsplit(url or "").path)
    except ValueError:
        return ""
    return _SIZE_SUFFIX.sub("", path).casefold()


def embeds_as_links(content: str) -> tuple[str, list[str]]:
    """The content with each frame, player and embed shortcode replaced by a paragraph linking
    to its source, and those sources ("" for one that named none, which is left out)."""
    sources: list[str] = []

    def link(url: str) -> str:
        url = html.unescape(url).strip()
        sources.append(url)
        if not url:
            return ""
        escaped = html.escape(url)
        return f'\n\n<p><a href="{escaped}">{escaped}</a></p>\n\n'

    def element(match: re.Match) -> str:
        found = _SOURCE.search(match.group(0))
        return link(found.group("url") if found else "")

    def shortcode(match: re.Match) -> str:
        if match.group("attrs") is not None:
            found = _PLAYER_SOURCE.search(match.group("attrs"))
            return link(found.group("url") if found else "")
        return link(match.group("embedded") or match.group("bare") or "")

    if "<" in content:
        content = _EMBED_ELEMENT.sub(element, content)
    if "[" in content:
        content = _EMBED_SHORTCODE.sub(shortcode, content)
    return content, sources
