"""What the GB/T 9704 layout costs: writing the example speech with draftgen's Word exporter against the
plain python-docx writing that a basic exporter does (default template, one paragraph per block).

    .venv/bin/python benchmarks/docx_cost.py [--runs 15]

Both are timed in one process after a warm-up (median), so the figure is the exporter's own cost; the
whole-process time of `draftgen build` is measured by benchmarks/build_speed.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.docx_export import write_docx  # noqa: E402
from generator.pipeline import generate  # noqa: E402


def plain_docx(draft, path: Path) -> None:
    """A basic exporter: python-docx's default template, Title/Heading styles, no layout work."""
    from docx import Document

    doc = Document()
    for block in draft.blocks:
        if block.role == "title":
            doc.add_heading(block.text, level=0)
        elif block.role == "heading1":
            doc.add_heading(block.text, level=1)
        else:
            doc.add_paragraph(block.text)
    doc.save(str(path))


def median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    draft = generate(ROOT / "examples" / "school" / "brief.yaml").draft
    with tempfile.TemporaryDirectory() as tmp:
        plain = median_ms(lambda: plain_docx(draft, Path(tmp) / "plain.docx"), args.runs)
        full = median_ms(lambda: write_docx(draft, Path(tmp) / "full.docx"), args.runs)
    print(f"plain python-docx writer:      {plain:6.1f} ms")
    print(f"draftgen GB/T 9704 exporter:   {full:6.1f} ms")


if __name__ == "__main__":
    main()
