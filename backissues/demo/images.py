"""The demo's figure images, drawn when the demo is loaded instead of kept in the repository:
two simple maps and a bar chart, with their labels. The same drawing gives the same bytes, so a
second load finds the images it stored the first time."""

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (960, 600)
SEA = "#cfe3ef"
LAND = "#efe6d2"
BORDER = "#8a7f6a"
INK = "#1f2a36"
ROUTE = "#b33a3a"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _canvas(background: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", SIZE, background)
    return image, ImageDraw.Draw(image)


def _title(draw: ImageDraw.ImageDraw, text: str) -> None:
    draw.rectangle((0, 0, SIZE[0], 56), fill="white")
    draw.text((24, 12), text, fill=INK, font=_font(30))


def hormuz_shipping_lanes() -> Image.Image:
    """The Strait of Hormuz: Iran's coast, the tip of Oman, and the two lanes between them."""
    image, draw = _canvas(SEA)
    draw.polygon([(0, 56), (960, 56), (960, 250), (700, 210), (480, 260), (0, 200)], LAND, BORDER)
    draw.polygon([(380, 600), (470, 420), (560, 360), (620, 430), (700, 600)], LAND, BORDER)
    for offset in (0, 36):
        draw.line(
            [(0, 300 + offset), (420, 330 + offset), (700, 280 + offset), (960, 300 + offset)],
            ROUTE,
            width=5,
        )
    labels = [
        ((420, 120), "IRAN", 40),
        ((500, 520), "OMAN", 34),
        ((60, 380), "Persian Gulf", 26),
        ((760, 400), "Gulf of Oman", 26),
        ((560, 232), "Strait of Hormuz", 24),
    ]
    for position, text, size in labels:
        draw.text(position, text, fill=INK, font=_font(size))
    _title(draw, "Shipping lanes through the Strait of Hormuz")
    return image


def oil_discounts_chart() -> Image.Image:
    """Four quarters' discount on Iranian crude, each wider than the last (illustrative)."""
    image, draw = _canvas("white")
    base, scale = 520, 18
    draw.line([(100, base), (900, base)], INK, width=2)
    for index, (quarter, discount) in enumerate([("Q1", 6), ("Q2", 9), ("Q3", 13), ("Q4", 17)]):
        left = 160 + index * 190
        draw.rectangle((left, base - discount * scale, left + 110, base), fill=ROUTE)
        draw.text((left + 30, base + 12), quarter, fill=INK, font=_font(26))
        draw.text(
            (left + 28, base - discount * scale - 40), f"${discount}", fill=INK, font=_font(26)
        )
    draw.text(
        (100, 80), "Discount to Brent, dollars a barrel (illustrative)", fill=INK, font=_font(22)
    )
    _title(draw, "Iranian crude: a widening discount")
    return image


def iran_iraq_gas_links() -> Image.Image:
    """Iran and Iraq, with the two pipelines that carry Iranian gas to Baghdad and Basra."""
    image, draw = _canvas(LAND)
    draw.polygon(
        [(520, 56), (960, 56), (960, 600), (600, 600), (560, 420), (500, 250)], "#e4d8bd", BORDER
    )
    draw.polygon([(430, 600), (600, 600), (560, 520)], SEA, BORDER)
    towns = {
        "Baghdad": (330, 260),
        "Basra": (470, 520),
        "Naft Shahr": (520, 250),
        "Shalamcheh": (570, 500),
    }
    for name, (x, y) in towns.items():
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=INK)
        draw.text((x + 14, y - 14), name, fill=INK, font=_font(24))
    for start, end in (("Naft Shahr", "Baghdad"), ("Shalamcheh", "Basra")):
        draw.line([towns[start], towns[end]], ROUTE, width=7)
    draw.text((160, 420), "IRAQ", fill=INK, font=_font(40))
    draw.text((740, 300), "IRAN", fill=INK, font=_font(40))
    _title(draw, "Iranian gas for Iraqi power plants")
    return image


DRAWINGS: dict[str, Callable[[], Image.Image]] = {
    "hormuz-shipping-lanes.png": hormuz_shipping_lanes,
    "oil-discounts-chart.png": oil_discounts_chart,
    "iran-iraq-gas-links.png": iran_iraq_gas_links,
}


def draw_uploads(uploads: Path, folder: str = "demo") -> None:
    """Save every drawing where the export's attachment addresses point under `uploads`."""
    target = uploads / folder
    target.mkdir(parents=True, exist_ok=True)
    for name, drawing in DRAWINGS.items():
        drawing().save(target / name, format="PNG")
