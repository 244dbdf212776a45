"""The demo's figure images, drawn when the demo is loaded instead of kept in the repository:
schematic maps with their places, bar and line charts of illustrative figures, with their
labels. The same drawing gives the same bytes, so a second load finds the images it stored
the first time."""

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (960, 600)
SEA = "#cfe3ef"
LAND = "#efe6d2"
BORDER = "#8a7f6a"
INK = "#1f2a36"
ROUTE = "#b33a3a"
NEIGHBOUR = "#e4d8bd"
GRID = "#d9dde2"
MUTED = "#5b6470"


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


def bar_chart(title: str, unit: str, bars: list[tuple[str, float]]) -> Image.Image:
    """Bars with their labels below and their values above, on a common baseline."""
    image, draw = _canvas("white")
    base, top, left, right = 520, 150, 100, 900
    scale = (base - top) / max(value for _label, value in bars)
    step = (right - left) / len(bars)
    draw.line([(left, base), (right, base)], INK, width=2)
    for index, (label, value) in enumerate(bars):
        x = left + index * step + step * 0.2
        height = round(value * scale)
        draw.rectangle((x, base - height, x + step * 0.6, base), fill=ROUTE)
        draw.text((x, base + 12), label, fill=INK, font=_font(22))
        draw.text((x, base - height - 34), f"{value:g}", fill=INK, font=_font(24))
    draw.text((left, 80), unit, fill=INK, font=_font(22))
    _title(draw, title)
    return image


def line_chart(title: str, unit: str, points: list[tuple[str, float]]) -> Image.Image:
    """One line through the points, each labelled below the axis, on a scale from zero."""
    image, draw = _canvas("white")
    base, top, left, right = 520, 150, 100, 900
    highest = max(value for _label, value in points)
    step = (right - left) / (len(points) - 1)
    draw.line([(left, base), (right, base)], INK, width=2)
    for fraction in (0.5, 1):
        y = base - (base - top) * fraction
        draw.line([(left, y), (right, y)], GRID, width=1)
        draw.text((24, y - 12), f"{highest * fraction:g}", fill=INK, font=_font(20))
    placed = [
        (left + index * step, base - (base - top) * value / highest)
        for index, (_label, value) in enumerate(points)
    ]
    draw.line(placed, ROUTE, width=5, joint="curve")
    for (label, _value), (x, y) in zip(points, placed, strict=True):
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=ROUTE)
        draw.text((x - 24, base + 12), label, fill=INK, font=_font(20))
    draw.text((left, 80), unit, fill=INK, font=_font(22))
    _title(draw, title)
    return image


Point = tuple[int, int]


def schematic_map(
    title: str,
    border: list[Point],
    places: dict[str, Point],
    routes: list[tuple[str, str]],
    countries: dict[str, Point],
) -> Image.Image:
    """Two countries split by `border` (the left one paler), their names, places as dots with
    their names, and routes drawn between places."""
    image, draw = _canvas(LAND)
    draw.polygon([*border, (960, 600), (960, 56)], NEIGHBOUR, BORDER)
    for start, end in routes:
        draw.line([places[start], places[end]], ROUTE, width=7)
    for name, (x, y) in places.items():
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=INK)
        draw.text((x + 10, y - 38), name, fill=INK, font=_font(24))
    for name, position in countries.items():
        draw.text(position, name, fill=MUTED, font=_font(40))
    _title(draw, title)
    return image


DRAWINGS: dict[str, Callable[[], Image.Image]] = {
    "hormuz-shipping-lanes.png": hormuz_shipping_lanes,
    "oil-discounts-chart.png": partial(
        bar_chart,
        "Iranian crude: a widening discount",
        "Discount to Brent, dollars a barrel (illustrative)",
        [("Q1", 6), ("Q2", 9), ("Q3", 13), ("Q4", 17)],
    ),
    "iran-iraq-gas-links.png": partial(
        schematic_map,
        "Iranian gas for Iraqi power plants",
        [(520, 56), (500, 250), (560, 420), (600, 600)],
        {"Baghdad": (330, 260), "Basra": (470, 520), "Naft Shahr": (520, 250)}
        | {"Shalamcheh": (570, 500)},
        [("Naft Shahr", "Baghdad"), ("Shalamcheh", "Basra")],
        {"IRAQ": (160, 420), "IRAN": (740, 300)},
    ),
    # The briefings' lead figures.
    "border-incidents-by-week.png": partial(
        bar_chart,
        "Incidents on the Syrian-Iraqi border",
        "Incidents a week reported by Iranian media (illustrative)",
        [(f"Week {week}", count) for week, count in enumerate([4, 7, 5, 9, 6, 11], 1)],
    ),
    "lebanon-syria-crossings.png": partial(
        schematic_map,
        "Lebanon and Syria: the crossings in the news",
        [(470, 56), (500, 200), (430, 330), (480, 600)],
        {"Beirut": (180, 300), "Baalbek": (330, 210), "Masnaa": (440, 330)}
        | {"Qusayr": (560, 150), "Damascus": (620, 390)},
        [("Beirut", "Masnaa"), ("Masnaa", "Damascus"), ("Baalbek", "Qusayr")],
        {"LEBANON": (120, 480), "SYRIA": (700, 500)},
    ),
    "mehran-pilgrims.png": partial(
        line_chart,
        "Pilgrims crossing at Mehran",
        "Thousands a day in the week before Arbaeen (illustrative)",
        [(f"Day {day}", count) for day, count in enumerate([40, 55, 72, 96, 130, 150, 118], 1)],
    ),
    "rial-open-market.png": partial(
        line_chart,
        "The rial on the open market",
        "Thousand rials to the dollar (illustrative)",
        [("Apr", 820), ("May", 845), ("Jun", 900), ("Jul", 935), ("Aug", 985), ("Sep", 1050)],
    ),
    "turkey-iran-northern-iraq.png": partial(
        schematic_map,
        "Northern Iraq between Turkey and Iran",
        [(660, 56), (610, 250), (670, 420), (630, 600)],
        {"Sinjar": (120, 200), "Mosul": (280, 230), "Erbil": (420, 270)}
        | {"Kirkuk": (390, 400), "Sulaymaniyah": (520, 350)},
        [],
        {"TURKEY": (300, 70), "IRAQ": (200, 500), "IRAN": (760, 300)},
    ),
    "gulf-flights-by-week.png": partial(
        bar_chart,
        "Flights between Iran and the Gulf states",
        "Scheduled flights a week (illustrative)",
        [("Jan", 40), ("Mar", 46), ("May", 52), ("Jul", 61), ("Sep", 70), ("Nov", 78)],
    ),
    # The excerpts' figures.
    "iraq-syria-border-crossing.png": partial(
        schematic_map,
        "Al-Bukamal and Al-Qaim: one crossing, two sides",
        [(520, 56), (480, 300), (540, 600)],
        {"Deir ez-Zor": (160, 170), "Al-Bukamal": (380, 330), "Al-Qaim": (580, 300)}
        | {"Haditha": (760, 430)},
        [("Deir ez-Zor", "Al-Bukamal"), ("Al-Bukamal", "Al-Qaim"), ("Al-Qaim", "Haditha")],
        {"SYRIA": (150, 480), "IRAQ": (740, 180)},
    ),
    "kurdish-opposition-camps.png": partial(
        schematic_map,
        "Kurdish opposition camps near the Iranian border",
        [(640, 56), (590, 300), (650, 600)],
        {"Erbil": (200, 260), "Koya": (400, 300), "Sulaymaniyah": (420, 470)}
        | {"Piranshahr": (760, 210)},
        [],
        {"IRAQ": (120, 500), "IRAN": (760, 420)},
    ),
}


def draw_uploads(uploads: Path, folder: str = "demo") -> None:
    """Save every drawing where the export's attachment addresses point under `uploads`."""
    target = uploads / folder
    target.mkdir(parents=True, exist_ok=True)
    for name, drawing in DRAWINGS.items():
        drawing().save(target / name, format="PNG")
