"""GB/T 9704-2012 《党政机关公文格式》: the page and type an official document is set in, as data.

The default template (templates/default/) follows it; `template check` compares an agency's
template with it and warns where they differ. Lengths in millimetres, sizes in points.
"""

from __future__ import annotations

from ..records import field, record




@record
class PageLayout:
    name: str
    paper_mm: tuple[float, float]  # width, height
    margins_mm: dict[str, float]  # top, bottom, left, right
    tolerance_mm: float  # the standard's ± for 天头 and 订口
    body_size_pt: float
    chars_per_line: int
    lines_per_page: int
    first_line_indent_chars: int
    # Heading level → the face it is set in, by a part of its name in Chinese and in English
    # ("楷体_GB2312", "KaiTi", "STKaiti" are all 楷体).
    heading_faces: dict[int, tuple[str, str]] = field(default_factory=dict)

    def face_name(self, level: int) -> str:
        return self.heading_faces[level][0]


GBT9704 = PageLayout(
    name="GB/T 9704-2012",
    paper_mm=(210.0, 297.0),
    margins_mm={"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0},
    tolerance_mm=1.0,
    body_size_pt=16.0,  # 3号
    chars_per_line=28,
    lines_per_page=22,
    first_line_indent_chars=2,
    heading_faces={1: ("黑体", "hei"), 2: ("楷体", "kai"), 3: ("仿宋", "fangsong"), 4: ("仿宋", "fangsong")},
)
