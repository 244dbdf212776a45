"""What a <picture> element needs of a figure: sources by type, the <img> fallback, its size."""

from dataclasses import dataclass

# The image spans the text column: 44rem less the page's padding, or the viewport less it.
COLUMN_SIZES = "(min-width: 44rem) 41.5rem, calc(100vw - 2.5rem)"
# The <img> src for browsers without srcset: a width that suits most screens.
PREFERRED_SRC_WIDTH = 1200
# A card's thumbnail beside its text (static/css/site.css, .card-image).
THUMBNAIL_SIZES = "(min-width: 44rem) 10rem, 7rem"
THUMBNAIL_TYPE = "image/webp"


@dataclass(frozen=True)
class Source:
    type: str
    srcset: str


@dataclass(frozen=True)
class Picture:
    sources: list[Source]  # for <source> elements, best format first
    srcset: str  # the <img>'s own, in the original's format (empty without renditions)
    src: str
    width: int | None
    height: int | None
    sizes: str = COLUMN_SIZES

    @classmethod
    def of(cls, figure) -> "Picture":
        storage = figure.image.storage
        by_type: dict[str, list[dict]] = {}
        for rendition in figure.renditions:
            by_type.setdefault(rendition["type"], []).append(rendition)
        if not by_type:  # not made (yet): the stored original alone
            return cls([], "", figure.image.url, figure.image_width, figure.image_height)
        fallback_type = list(by_type)[-1]
        fallback = sorted(by_type.pop(fallback_type), key=lambda r: r["width"])
        sources = [Source(mime, srcset(storage, items)) for mime, items in by_type.items()]
        src = [r for r in fallback if r["width"] <= PREFERRED_SRC_WIDTH] or fallback
        return cls(
            sources,
            srcset(storage, fallback),
            storage.url(src[-1]["name"]),
            figure.image_width,
            figure.image_height,
        )


def srcset(storage, renditions: list[dict]) -> str:
    ordered = sorted(renditions, key=lambda r: r["width"])
    return ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in ordered)


@dataclass(frozen=True)
class Thumbnail:
    """A card's small <img>: the WebP renditions (every browser we serve reads WebP), so
    one element without <source>s; the stored original alone when there are none."""

    src: str
    srcset: str
    width: int | None
    height: int | None
    sizes: str = THUMBNAIL_SIZES

    @classmethod
    def of(cls, figure) -> "Thumbnail":
        storage = figure.image.storage
        webp = [r for r in figure.renditions if r["type"] == THUMBNAIL_TYPE]
        if not webp:
            return cls(figure.image.url, "", figure.image_width, figure.image_height)
        smallest = min(webp, key=lambda r: r["width"])
        return cls(
            storage.url(smallest["name"]),
            srcset(storage, webp),
            smallest["width"],
            smallest["height"],
        )
