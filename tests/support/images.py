"""Image files for tests, made with Pillow (or by hand, for the ones Pillow would not write)."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
ORIENTATION, MAKE, BODY_SERIAL = 0x0112, 0x010F, 0xA431
CAMERA_SERIAL = "SERIAL-0042-XYZ"


def photo(width: int, height: int, image_format: str = "JPEG", **save_options) -> bytes:
    """A picture with gradients and detail, so encoders have something like a photo to do."""
    gradient = Image.linear_gradient("L").resize((width, height))
    detail = Image.effect_noise((width, height), 40).convert("L")
    image = Image.merge("RGB", (gradient, detail, gradient.transpose(Image.Transpose.ROTATE_180)))
    buffer = io.BytesIO()
    image.save(buffer, image_format, **save_options)
    return buffer.getvalue()


def photo_with_gps(width: int = 1000, height: int = 600) -> bytes:
    """A JPEG whose EXIF holds a GPS position, a camera serial and an orientation (rotate 90°)."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "Camera Maker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 1.0)})
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL] = CAMERA_SERIAL
    return photo(width, height, exif=exif)


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid PNG declaring width × height one-bit pixels, all black: a few kilobytes on disk,
    gigabytes once decoded to RGB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    compressor = zlib.compressobj(1)
    block = 1000
    rows = [compressor.compress(row * block) for _ in range(height // block)]
    data = b"".join(rows) + compressor.compress(row * (height % block)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script>
<rect width="10" height="10"/></svg>"""
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def small_png(name: str = "meeting.png") -> SimpleUploadedFile:
    """A 4 × 3 red PNG, as an editor uploads it."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color=(200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
