"""Build templates/default.docx from the XML parts in templates/default/.

The parts are the template's source: readable, commented, diffable. The build drops the
comments (they are for us, not for Word) and zips the parts in a fixed order with fixed
timestamps, so the same source always gives the same bytes (tests check the committed
file against a fresh build).

    uv run python templates/build.py
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "default"
TARGET = HERE / "default.docx"
_COMMENT = re.compile(rb"\s*<!--.*?-->", re.S)


def build_bytes(source: Path = SOURCE) -> bytes:
    parts = sorted(p for p in source.rglob("*") if p.is_file())
    # Word wants [Content_Types].xml as the first entry of the package.
    parts.sort(key=lambda p: p.name != "[Content_Types].xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for part in parts:
            info = zipfile.ZipInfo(part.relative_to(source).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, _COMMENT.sub(b"", part.read_bytes()))
    return buffer.getvalue()


def main() -> int:
    TARGET.write_bytes(build_bytes())
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
