"""Whole-process timings of `draftgen build` and `draftgen check`, side by side with cn-gov-docx laying out the
same text and with the floor, a bare "import docx; save" script; and the drafts per second of a batch.

    .venv/bin/python benchmarks/build_speed.py [--runs 15] [--batch 60]

cn-gov-docx is installed (once) into the benchmark's own environment, benchmarks/.venv, with pip; when it
cannot be had the comparison with it is left out and said so. Every command runs as a fresh process; the
commands take turns within each round (the order rotating from round to round), so a machine that is busy
for a while slows all of them alike, and the medians are compared. "warm cache" is the normal case (the
compiled bank in ~/.cache/draftgen from an earlier run); "cold cache" starts every run with an empty one.
Also prints whether jieba or rich is imported on the build path (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "school" / "brief.yaml"
VENV = Path(__file__).resolve().parent / ".venv"
SEED = "42"

# cn-gov-docx laying out the draft's own text: title, meta lines, headings and paragraphs from the .md.
CN_GOV_SCRIPT = """
import sys
from cn_gov_docx import CnGovDocx
doc = CnGovDocx()
for block in open(sys.argv[1], encoding="utf-8").read().split("\\n\\n"):
    if block.startswith("# "):
        doc.add_title(block[2:])
    elif block.startswith("## "):
        doc.add_h1(block[3:])
    elif block.startswith("### "):
        doc.add_h2(block[4:])
    elif block.strip():
        doc.add_text(block)
doc.save(sys.argv[2])
"""
FLOOR_SCRIPT = "import sys, docx; docx.Document().save(sys.argv[1])"


def benchmark_python() -> Path | None:
    """benchmarks/.venv with cn-gov-docx, made on first use; None when it cannot be installed."""
    py = VENV / "bin" / "python"
    if py.exists() and subprocess.run([py, "-c", "import cn_gov_docx"], capture_output=True).returncode == 0:
        return py
    print("installing cn-gov-docx into benchmarks/.venv …", file=sys.stderr)
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    done = subprocess.run([py, "-m", "pip", "install", "-q", "cn-gov-docx"], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"cn-gov-docx could not be installed; comparing with the floor only:\n{done.stderr[-800:]}",
              file=sys.stderr)
        return None
    return py


def clean_draft(path: Path) -> None:
    """About 10,000 characters of clean speech text (the corrected samples), as benchmarks/check_speed.py."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from check_speed import build_draft

    path.write_text(build_draft(slip=False), encoding="utf-8")


def make_batch(folder: Path, count: int) -> None:
    """``count`` briefs: the four examples in turn, each copy with its own seed, one folder each."""
    examples = sorted(p.parent for p in (ROOT / "examples").glob("*/brief.yaml"))
    for i in range(count):
        src = examples[i % len(examples)]
        dst = folder / f"{i:03d}-{src.name}"
        shutil.copytree(src, dst)
        brief = dst / "brief.yaml"
        text = re.sub(r"(?m)^seed:.*\n", "", brief.read_text(encoding="utf-8"))
        brief.write_text(text + f"seed: {1000 + i}\n", encoding="utf-8")


# An installed tool runs from byte-compiled modules (pip compiles them on install, as it did cn-gov-docx's); a
# shell with PYTHONDONTWRITEBYTECODE set would instead make every run compile draftgen's source anew.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list, env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env or ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # check exits 1 when it finds an error-level slip
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr}")
    return elapsed


def import_report(tmp: Path) -> dict[str, bool]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "build", str(BRIEF), "-o",
                           str(tmp / "imp"), "--format", "docx,md"], capture_output=True, text=True, cwd=ROOT, env=ENV)
    names = {m.group(1).split(".")[0] for m in re.finditer(r"\|\s*([\w.]+)\s*$", proc.stderr, re.M)}
    return {name: name in names for name in ("jieba", "rich", "pydantic", "docx")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="rounds of alternating runs")
    parser.add_argument("--batch", type=int, default=60, help="briefs in the batch measurement")
    args = parser.parse_args()
    cn_py = benchmark_python()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        draftgen = [sys.executable, "-m", "generator"]
        subprocess.run([*draftgen, "build", str(BRIEF), "-o", str(tmp / "text"), "--format", "md", "--seed", SEED],
                       check=True, capture_output=True, cwd=ROOT, env=ENV)
        text = next((tmp / "text").glob("*.md"))
        clean = tmp / "clean-10k.txt"
        clean_draft(clean)
        cold_env = lambda: {**ENV, "XDG_CACHE_HOME": tempfile.mkdtemp(dir=tmp)}  # noqa: E731
        build = [*draftgen, "build", str(BRIEF), "-o", str(tmp / "out"), "--seed", SEED, "--force", "--format"]
        commands = {
            "draftgen build → .docx": lambda: timed([*build, "docx"]),
            "draftgen build → .md": lambda: timed([*build, "md"]),
            "draftgen build → .docx (cold cache)": lambda: timed([*build, "docx"], cold_env()),
            "draftgen check 10k 字": lambda: timed([*draftgen, "check", str(clean), "--date", "2026-01-20"]),
            "floor: import docx; save": lambda: timed([sys.executable, "-c", FLOOR_SCRIPT, str(tmp / "floor.docx")]),
        }
        if cn_py is not None:
            commands["cn-gov-docx, same text"] = lambda: timed([cn_py, "-c", CN_GOV_SCRIPT, str(text),
                                                                str(tmp / "cn.docx")])
        for run in commands.values():  # warm the file cache and the bank cache once
            run()
        times: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for r in range(args.runs):
            for name in names[r % len(names):] + names[:r % len(names)]:
                times[name].append(commands[name]())
        med = {name: statistics.median(ts) for name, ts in times.items()}
        print(f"whole process, median of {args.runs} alternating runs (examples/school, seed {SEED}):")
        for name, value in med.items():
            print(f"  {name:<38} {value * 1000:6.0f} ms")
        floor = med["floor: import docx; save"]
        cn = med.get("cn-gov-docx, same text")
        print("ratios:")
        for name in ("draftgen build → .docx", "draftgen build → .md", "draftgen build → .docx (cold cache)"):
            vs_cn = f"{med[name] / cn:.2f}× cn-gov-docx, " if cn else ""
            print(f"  {name:<38} {vs_cn}{med[name] / floor:.2f}× floor")
        print(f"  {'draftgen check 10k 字':<38} {med['draftgen check 10k 字'] / floor:.2f}× floor")
        if cn is None:
            print("  (cn-gov-docx could not be installed: no comparison with it)")

        batch = tmp / "batch"
        make_batch(batch, args.batch)
        start = time.perf_counter()
        proc = subprocess.run([*draftgen, "build", str(batch), "-o", str(tmp / "batch-out"), "--format", "docx"],
                              capture_output=True, text=True, cwd=ROOT, env=ENV)
        whole = time.perf_counter() - start
        summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
        docx_count = len(list((tmp / "batch-out").glob("*.docx")))
        loop = re.search(r"用时 ([\d.]+) 秒", summary)
        print(f"batch of {args.batch} briefs → {docx_count} .docx in one process: {whole:.2f} s whole process, "
              f"{docx_count / whole:.0f} .docx/s")
        if loop:
            print(f"  building alone (the summary's time): {float(loop.group(1)):.2f} s, "
                  f"{docx_count / max(float(loop.group(1)), 1e-3):.0f} .docx/s")
        print(f"  summary: {summary}")
        imports = import_report(tmp)
        print("imported on the build path: " + ", ".join(f"{k} {'YES' if v else 'no'}" for k, v in imports.items()))


if __name__ == "__main__":
    main()
