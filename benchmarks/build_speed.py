"""How long each stage of a build takes on the sample project (load, check, render with the template, save).

    uv run python benchmarks/build_speed.py [--repeat N]

Prints the median and best time per stage; run it before and after a change that may
touch a hot path. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from zbreport.assemble import assemble
from zbreport.check.rules import check_report
from zbreport.format import GB2021
from zbreport.read.project import load_project
from zbreport.write.docx import render_docx
from zbreport.read.template import load_template

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "zibo-2024"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    stages: dict[str, list[float]] = {"load": [], "check": [], "assemble": [], "render": [], "save": []}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.docx"
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            loaded = load_project(SAMPLE, GB2021)
            t1 = time.perf_counter()
            check_report(loaded.report)
            t2 = time.perf_counter()
            template = load_template()
            document = assemble(loaded.report, template.placeholder_texts()).document
            t3 = time.perf_counter()
            docx = render_docx(document, template)
            t4 = time.perf_counter()
            docx.save(str(out))
            t5 = time.perf_counter()
            for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                stages[name].append(seconds)
    for name, times in stages.items():
        print(f"{name:7} median {statistics.median(times) * 1000:8.1f} ms   best {min(times) * 1000:8.1f} ms")
    total = sum(statistics.median(t) for t in stages.values())
    print(f"{'total':7} median {total * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
