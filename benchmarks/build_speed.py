"""Whole-process timings of `draftgen build`, and proof that the build path never imports jieba.

    .venv/bin/python benchmarks/build_speed.py [--runs 7]

Prints the median wall time of a fresh `draftgen build` process for .md only and for .docx, and the
heaviest imports on that path (from `python -X importtime`).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "school" / "brief.yaml"


def run_build(fmt: str, out: Path, extra: list[str] | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, *(extra or []), "-m", "generator", "build", str(BRIEF), "-o", str(out), "--format", fmt,
           "--force"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)


def median_time(fmt: str, runs: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            proc = run_build(fmt, Path(tmp))
            times.append(time.perf_counter() - start)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr)
    return statistics.median(times)


def import_report(fmt: str) -> tuple[bool, list[tuple[int, str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        proc = run_build(fmt, Path(tmp), ["-X", "importtime"])
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and not m.group(2).strip() and len(m.group(2)) <= 2:  # top-level imports only
            rows.append((int(m.group(1)), m.group(3)))
    jieba = any(re.search(r"\|\s*jieba(\.|$)", line) for line in proc.stderr.splitlines())
    return jieba, sorted(rows, reverse=True)[:8]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for fmt in ("md", "docx", "docx,md"):
        print(f"draftgen build --format {fmt}: median {median_time(fmt, args.runs) * 1000:.0f} ms over {args.runs} runs")
    jieba, heaviest = import_report("docx,md")
    print(f"jieba imported on the build path: {'YES' if jieba else 'no'}")
    print("heaviest top-level imports (cumulative µs):")
    for us, name in heaviest:
        print(f"  {us:>8}  {name}")


if __name__ == "__main__":
    main()
