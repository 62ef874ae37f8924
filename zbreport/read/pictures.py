"""What a picture's header says: its kind, size in pixels and resolution, for its size in Word.

Read where the narrative is read (a damaged header is the clerk's error there, at its line), and
again by the Word writer, which sizes the picture by it.

PNG, GIF, BMP, JPEG (its JFIF or Exif segment) and TIFF, read as python-docx read them when it
wrote zbreport's reports, so a picture keeps the size it had: 72 dpi where a file gives none
(96 for a BMP), the resolution rounded to whole dots per inch.
"""

from __future__ import annotations

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
        return int(self.px_width / (self.horz_dpi or 72) * EMU_PER_INCH)  # a resolution of 0: Word's default

    @property
    def height(self) -> int:
        return int(self.px_height / (self.vert_dpi or 72) * EMU_PER_INCH)


def picture_problem(data: bytes) -> str | None:
    """Why Word could not be given this picture at its size, or None: a header cut short or
    damaged, or a width or height of 0."""
    try:
        picture = read_picture(data)
    except Exception:  # noqa: BLE001 - a header from anywhere: whatever it breaks in the reader, it is damaged
        return "图片已损坏：读不出它的尺寸"
    sizes = (picture.px_width, picture.px_height, picture.horz_dpi, picture.vert_dpi)
    if not all(isinstance(size, int) for size in sizes):
        return "图片已损坏：读不出它的尺寸"
    if min(picture.px_width, picture.px_height) <= 0:
        return "图片的宽或高为 0"
    return None


def read_picture(data: bytes) -> Picture:
    """The header's kind, size and resolution. A header too short for what it announces raises
    ValueError or struct.error (the reader has checked the kind from the first bytes)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    if data[6:10] == b"JFIF":
        return _jpeg(data, exif=False)
    if data[6:10] == b"Exif":
        return _jpeg(data, exif=True)
    if data.startswith(b"GIF87a") or data.startswith(b"GIF89a"):
        width, height = struct.unpack_from("<HH", data, 6)
        return Picture("image/gif", "gif", width, height, 72, 72)
    if data.startswith(b"MM\x00*") or data.startswith(b"II*\x00"):
        width, height, horizontal, vertical = _tiff(data)
        return Picture("image/tiff", "tiff", width, height, horizontal, vertical)  # type: ignore[arg-type]
    if data.startswith(b"BM"):
        width, height = struct.unpack_from("<LL", data, 0x12)
        horizontal, vertical = struct.unpack_from("<LL", data, 0x26)
        return Picture("image/bmp", "bmp", width, height, _bmp_dpi(horizontal), _bmp_dpi(vertical))
    if data.startswith(b"\xff\xd8\xff"):  # a JPEG with neither a JFIF nor an Exif segment first
        return _jpeg(data, exif=None)
    raise ValueError("not a picture Word shows")


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


# ---------------------------------------------------------------- JPEG

_STANDALONE = frozenset(b"\x01\xd8\xd9\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7")  # markers without a segment
_START_OF_FRAME = frozenset(b"\xc0\xc1\xc2\xc3\xc5\xc6\xc7\xc9\xca\xcb\xcd\xce\xcf")
_START_OF_SCAN, _END_OF_IMAGE, _APP0, _APP1 = 0xDA, 0xD9, 0xE0, 0xE1


def _jpeg(data: bytes, exif: bool | None) -> Picture:
    """The size from the first start-of-frame segment; the resolution from the JFIF segment
    (APP0), or the Exif one (APP1, a TIFF directory inside), whichever the file begins with;
    72 dpi when it says none."""
    segments = _jpeg_segments(data)
    frame = next((offset for code, offset in segments if code in _START_OF_FRAME), None)
    if frame is None:
        raise ValueError("no start of frame (SOFn) marker in image")
    height, width = struct.unpack_from(">HH", data, frame + 3)
    dpi = (72, 72)
    if exif is False:
        app0 = next((offset for code, offset in segments if code == _APP0), None)
        if app0 is None:
            raise ValueError("no APP0 marker in image")
        units = data[app0 + 9]
        x, y = struct.unpack_from(">HH", data, app0 + 10)
        dpi = (_jfif_dpi(units, x), _jfif_dpi(units, y))
    elif exif:
        app1 = next((offset for code, offset in segments if code == _APP1), None)
        if app1 is None:
            raise ValueError("no APP1 marker in image")
        if data[app1 + 2 : app1 + 8] == b"Exif\x00\x00":
            (length,) = struct.unpack_from(">H", data, app1)
            _, _, horizontal, vertical = _tiff(data[app1 + 8 : app1 + length])
            dpi = (horizontal, vertical)  # type: ignore[assignment]
    return Picture("image/jpeg", "jpg", width, height, dpi[0], dpi[1])


def _jpeg_segments(data: bytes) -> list[tuple[int, int]]:
    """(marker code, offset of its segment) of each marker up to the start of the scan."""
    found: list[tuple[int, int]] = []
    start = 0
    code = None
    while code != _END_OF_IMAGE:
        position = start
        while True:
            position = data.index(b"\xff", position)
            position += 1
            while position < len(data) and data[position] == 0xFF:
                position += 1
            if position >= len(data):
                raise ValueError("unexpected end of file")
            if data[position] != 0x00:
                break
        code, offset = data[position], position + 1
        length = 0 if code in _STANDALONE else struct.unpack_from(">H", data, offset)[0]
        found.append((code, offset))
        if code == _START_OF_SCAN:
            break
        start = offset + length
    return found


def _jfif_dpi(units: int, density: int) -> int:
    return density if units == 1 else int(round(density * 2.54)) if units == 2 else 72


# ---------------------------------------------------------------- TIFF (and Exif's directory)

_IMAGE_WIDTH, _IMAGE_LENGTH, _X_RESOLUTION, _Y_RESOLUTION, _RESOLUTION_UNIT = 256, 257, 282, 283, 296
_SIZE_TAGS = frozenset({_IMAGE_WIDTH, _IMAGE_LENGTH, _X_RESOLUTION, _Y_RESOLUTION, _RESOLUTION_UNIT})


def _tiff(data: bytes) -> tuple[object, object, object, object]:
    """Width, height and resolution from the first image directory (None for a size it lacks)."""
    order = ">" if data[:2] == b"MM" else "<"

    def read(fmt: str, at: int):
        return struct.unpack_from(order + fmt, data, at)[0]

    directory = read("L", 4)
    entries: dict[int, object] = {}
    for index in range(read("H", directory)):
        at = directory + 2 + index * 12
        tag, kind, count, value_at = read("H", at), read("H", at + 2), read("L", at + 4), read("L", at + 8)
        if tag not in _SIZE_TAGS:  # a camera's make, a date…: not read (a short text sits in the entry itself)
            continue
        if kind == 3:  # SHORT
            value = read("H", at + 8) if count == 1 else "multiple"
        elif kind == 4:  # LONG
            value = read("L", at + 8) if count == 1 else "multiple"
        elif kind == 5:  # RATIONAL; 0/0 says nothing
            numerator, denominator = read("L", value_at), read("L", value_at + 4)
            value = numerator / denominator if count == 1 and denominator else None if count == 1 else "multiple"
        else:
            value = None
        entries[tag] = value

    def dpi(tag: int):
        if not isinstance(entries.get(tag), (int, float)):
            return 72
        unit = entries.get(_RESOLUTION_UNIT, 2)
        if unit == 1:  # an aspect ratio only
            return 72
        return int(round(entries[tag] * (1 if unit == 2 else 2.54)))  # type: ignore[operator]

    return entries.get(_IMAGE_WIDTH), entries.get(_IMAGE_LENGTH), dpi(_X_RESOLUTION), dpi(_Y_RESOLUTION)
