"""A picture's size in Word comes from its header: pixels at the resolution the file gives, 72 dpi
when it gives none, shrunk to the text block when wider. Headers made here, byte by byte."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import run_cli
from zbreport.read.pictures import picture_problem, read_picture

EMU_PER_INCH = 914400


def png(width: int, height: int, dots_per_metre: int | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    physical = chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1)) if dots_per_metre else b""
    rows = zlib.compress(b"".join(b"\x00" + b"\x80" * 3 * width for _ in range(height)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + physical + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def jfif(width: int, height: int, units: int, density: int) -> bytes:
    app0 = b"JFIF\x00\x01\x01" + bytes([units]) + struct.pack(">HH", density, density) + b"\x00\x00"
    frame = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame + b"\xff\xd9"


def tiff_directory(order: str, entries: list[tuple[int, int, int]], rationals: dict[int, tuple[int, int]]) -> bytes:
    """A TIFF header and first directory: (tag, type, value) entries, RATIONAL ones pointing after it."""
    head = (b"MM\x00*" if order == ">" else b"II*\x00") + struct.pack(order + "L", 8)
    after = 8 + 2 + 12 * len(entries) + 4
    body, extra = struct.pack(order + "H", len(entries)), b""
    for tag, kind, value in entries:
        if kind == 5:
            body += struct.pack(order + "HHLL", tag, kind, 1, after + len(extra))
            extra += struct.pack(order + "LL", *rationals[tag])
        elif kind == 3:
            body += struct.pack(order + "HHLHH", tag, kind, 1, value, 0)
        else:
            body += struct.pack(order + "HHLL", tag, kind, 1, value)
    return head + body + b"\x00\x00\x00\x00" + extra


def exif_first(width: int, height: int, dpi: int, unit: int) -> bytes:
    directory = tiff_directory("<", [(282, 5, 0), (283, 5, 0), (296, 3, unit)], {282: (dpi, 1), 283: (dpi, 1)})
    app1 = b"Exif\x00\x00" + directory
    frame = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + b"\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame + b"\xff\xd9"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png(300, 200), ("image/png", "png", 300, 200, 72, 72)),
        (png(300, 200, 5906), ("image/png", "png", 300, 200, 150, 150)),  # 5906 dots a metre: 150 dpi
        (b"GIF89a" + struct.pack("<HH", 30, 20) + b"\x00" * 8, ("image/gif", "gif", 30, 20, 72, 72)),
        (b"BM" + b"\x00" * 16 + struct.pack("<LL", 50, 40) + b"\x00" * 12 + struct.pack("<LL", 3780, 3780), ("image/bmp", "bmp", 50, 40, 96, 96)),
        (jfif(800, 600, 1, 150), ("image/jpeg", "jpg", 800, 600, 150, 150)),
        (jfif(800, 600, 2, 118), ("image/jpeg", "jpg", 800, 600, 300, 300)),  # dots a centimetre
        (jfif(800, 600, 0, 1), ("image/jpeg", "jpg", 800, 600, 72, 72)),  # an aspect ratio only
        (exif_first(640, 480, 200, 2), ("image/jpeg", "jpg", 640, 480, 200, 200)),
        (exif_first(640, 480, 200, 1), ("image/jpeg", "jpg", 640, 480, 72, 72)),
        (tiff_directory(">", [(256, 3, 120), (257, 4, 90), (282, 5, 0)], {282: (600, 2)}), ("image/tiff", "tiff", 120, 90, 300, 72)),
    ],
    ids=["png", "png-dpi", "gif", "bmp", "jfif", "jfif-cm", "jfif-ratio", "exif", "exif-ratio", "tiff"],
)
def test_a_picture_header_gives_kind_size_and_resolution(data, expected):
    picture = read_picture(data)
    assert (picture.content_type, picture.ext, picture.px_width, picture.px_height, picture.horz_dpi, picture.vert_dpi) == expected
    assert picture.width == int(expected[2] / expected[4] * EMU_PER_INCH)


def test_pictures_keep_their_printed_size_in_the_report(project: Path):
    folder = project / "sections" / "图片"
    folder.mkdir()
    (folder / "照片.jpg").write_bytes(jfif(600, 300, 1, 200))  # 3 × 1.5 inches
    (folder / "相机.jpg").write_bytes(exif_first(2400, 1200, 100, 2))  # 24 inches: shrunk to the text block
    with (project / "sections" / "6-other.md").open("a", encoding="utf-8") as file:
        file.write("\n![照片](图片/照片.jpg)\n\n![相机](图片/相机.jpg)\n")
    out = project / "报告.docx"
    assert run_cli("build", project, "-o", out).code in (0, 1)
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        extents = re.findall(rb'<wp:extent cx="(\d+)" cy="(\d+)"/>', package.read("word/document.xml"))
    assert {"word/media/image1.jpg", "word/media/image2.jpg"} <= set(names)
    assert extents[0] == (str(3 * EMU_PER_INCH).encode(), str(int(1.5 * EMU_PER_INCH)).encode())
    width, height = (int(v) for v in extents[1])
    assert abs(width - 156 * 36000) < 36000 and abs(2 * height - width) <= 2  # the GB/T 9704 text block, proportions kept


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 5, "已损坏"),  # the PNG signature, then nothing readable
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "已损坏"),  # a JFIF segment cut short, no frame
        (b"GIF89a\x01", "已损坏"),
        (png(0, 10), "宽或高为 0"),
    ],
    ids=["png-cut", "jpeg-cut", "gif-cut", "png-no-width"],
)
def test_a_damaged_picture_is_the_clerk_s_error_at_its_line(project: Path, data: bytes, said: str):
    """A picture whose first bytes say PNG or JPEG but whose header cannot be read: an error at
    the Markdown line that inserts it (it was an internal error, from the Word writer)."""
    (project / "sections" / "坏.png").write_bytes(data)
    section = project / "sections" / "6-other.md"
    text = section.read_text(encoding="utf-8") + "\n![示意图](坏.png)\n"
    section.write_text(text, encoding="utf-8")
    line = text.count("\n")
    for command in (("check", project), ("build", project, "-o", project / "报告.docx")):
        result = run_cli(*command)
        assert result.code == 1, result.output
        assert f"6-other.md:{line}" in result.output and said in result.output and "内部错误" not in result.output


def test_a_resolution_of_0_is_word_s_default():
    """A header saying 0 dots per inch (a PNG of 10 dots a metre) is sized at 72 dpi, not divided by 0."""
    picture = read_picture(png(144, 72, 10))
    assert picture.horz_dpi == 0 and (picture.width, picture.height) == (2 * EMU_PER_INCH, EMU_PER_INCH)


def test_a_camera_s_short_texts_and_empty_resolutions_are_read_past():
    """An Exif or TIFF directory keeps a text of up to four bytes (a maker "LG") in the entry
    itself, not at an offset; a resolution of 0/0 says nothing. Neither makes a picture damaged."""
    maker = (271, 2, int.from_bytes(b"LG\x00\x00", "little"))
    directory = tiff_directory("<", [(256, 3, 40), (257, 3, 30), maker, (282, 5, 0), (283, 5, 0)], {282: (0, 0), 283: (0, 0)})
    picture = read_picture(directory)
    assert (picture.px_width, picture.px_height, picture.horz_dpi, picture.vert_dpi) == (40, 30, 72, 72)
    assert picture_problem(directory) is None
    app1 = b"Exif\x00\x00" + tiff_directory("<", [maker, (282, 5, 0), (296, 3, 2)], {282: (300, 1)})
    frame = struct.pack(">BHHB", 8, 300, 400, 1) + b"\x01\x11\x00"
    photo = b"\xff\xd8\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + b"\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame + b"\xff\xd9"
    assert (read_picture(photo).px_width, read_picture(photo).horz_dpi) == (400, 300)


def test_a_directory_without_a_size_is_damaged_not_an_internal_error(project: Path):
    no_width = tiff_directory(">", [(257, 3, 30)], {})
    assert picture_problem(no_width) == "图片已损坏：读不出它的尺寸"
    (project / "sections" / "scan.tif").write_bytes(no_width)
    section = project / "sections" / "6-other.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n![扫描件](scan.tif)\n", encoding="utf-8")
    result = run_cli("check", project)
    assert result.code == 1 and "已损坏" in result.output and "内部错误" not in result.output
