"""What a picture's header says: its kind, size in pixels and resolution, for its size in Word.

PNG, GIF and BMP are read here. JPEG and TIFF headers (JFIF and EXIF segments, TIFF directories)
are read by python-docx's image module, imported only when a report holds such a picture.
"""

from __future__ import annotations

import io
import struct

from ..records import record

EMU_PER_INCH = 914400


@record
class Picture:
    content_type: str
    ext: str  # of the part's name: png, jpg, gif, bmp, tiff
    px_width: int
    px_height: int
    horz_dpi: int
    vert_dpi: int

    @property
    def width(self) -> int:
        """The native width in EMU, at the picture's resolution (72 dpi when it gives none)."""
        return int(self.px_width / self.horz_dpi * EMU_PER_INCH)

    @property
    def height(self) -> int:
        return int(self.px_height / self.vert_dpi * EMU_PER_INCH)


def read_picture(data: bytes) -> Picture:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    if data.startswith(b"GIF87a") or data.startswith(b"GIF89a"):
        width, height = struct.unpack_from("<HH", data, 6)
        return Picture("image/gif", "gif", width, height, 72, 72)
    if data.startswith(b"BM"):
        width, height = struct.unpack_from("<LL", data, 0x12)
        horizontal, vertical = struct.unpack_from("<LL", data, 0x26)
        return Picture("image/bmp", "bmp", width, height, _bmp_dpi(horizontal), _bmp_dpi(vertical))
    return _other(data)


def _png(data: bytes) -> Picture:
    """IHDR gives the size; pHYs, when in pixels per metre, the resolution."""
    offset, size, dpi = 8, None, (72, 72)
    found_phys = False
    while offset + 8 <= len(data):
        length, kind = struct.unpack_from(">L4s", data, offset)
        start = offset + 8
        if kind == b"IHDR" and size is None:
            size = struct.unpack_from(">LL", data, start)
        elif kind == b"pHYs" and not found_phys:
            found_phys = True
            horizontal, vertical, unit = struct.unpack_from(">LLB", data, start)
            dpi = (_png_dpi(unit, horizontal), _png_dpi(unit, vertical))
        if kind == b"IEND":
            break
        offset += 12 + length
    if size is None:
        raise ValueError("no IHDR chunk in PNG image")
    return Picture("image/png", "png", size[0], size[1], dpi[0], dpi[1])


def _png_dpi(unit: int, per_unit: int) -> int:
    return int(round(per_unit * 0.0254)) if unit == 1 and per_unit else 72


def _bmp_dpi(per_metre: int) -> int:
    return 96 if per_metre == 0 else int(round(per_metre * 0.0254))


def _other(data: bytes) -> Picture:
    from docx.image.image import Image  # JPEG and TIFF only: python-docx reads their many variants

    image = Image.from_blob(data)
    return Picture(image.content_type, image.ext, image.px_width, image.px_height, image.horz_dpi, image.vert_dpi)
