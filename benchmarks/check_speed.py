"""How fast the checker is, and how often it cries wolf.

    .venv/bin/python benchmarks/check_speed.py

Prints
- cold: a fresh interpreter reading and checking a file of 10,000 Chinese characters, whole process, wall clock. A
  user's file gets every rule, so jieba is loaded (wrong characters, 的/地/得; the pinyin table is a shipped file); the same text
  checked as a generated draft (what `build` does) must leave jieba unloaded unless a doubled word needs it;
- warm: ``check()`` on the same draft in a process that has already checked it once;
- false alarms: findings per 10,000 characters on the corrected samples (tests/fixtures/check/clean/),
  which contain no slips, so every finding there is a false alarm.

Not a test: timings depend on the machine. Run it before and after changing a rule.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.check import check  # noqa: E402
from generator.readers import read_document  # noqa: E402

CLEAN = ROOT / "tests" / "fixtures" / "check" / "clean"
DATE = dt.date(2026, 1, 20)
TARGET = 10_000
RUNS = 5

_CHILD = """
import sys, time, datetime as dt
t0 = time.perf_counter()
from generator.readers import SourceDocument, read_document
from generator.check import check
t1 = time.perf_counter()
doc = read_document(sys.argv[1])
if sys.argv[2] == "draft":
    doc = SourceDocument(doc.path, doc.paragraphs, kind="draft")
findings = check(doc, date=dt.date(2026, 1, 20))
t2 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f} {'jieba' in sys.modules} {len(findings)}")
"""


def chars(text: str) -> int:
    """字数 as Word counts it for Chinese text: every non-space character."""
    return sum(1 for c in text if not c.isspace())


def build_draft(slip: bool) -> str:
    """About 10,000 Chinese characters of clean speech text, paragraphs from the corrected samples."""
    paragraphs = []
    for path in sorted(CLEAN.glob("*.txt"), reverse=True):
        paragraphs += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out, n = [], 0
    for p in paragraphs * 2:
        if n >= TARGET:
            break
        out.append(p)
        n += han(p)  # 10,000 Chinese characters, punctuation not counted
    if slip:
        out[len(out) // 2] = out[len(out) // 2].replace("。", "，要抓好抓好落实。", 1)
    return "\n\n".join(out) + "\n"


def han(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def cold(path: Path, mode: str) -> tuple[float, float, float, bool, int]:
    walls, imports, checks = [], [], []
    loaded, count = False, 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(RUNS):
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _CHILD, str(path), mode], capture_output=True, text=True, env=env,
                              cwd=ROOT, check=True)
        walls.append(time.perf_counter() - t)
        imp, chk, jieba, n = done.stdout.split()
        imports.append(float(imp))
        checks.append(float(chk))
        loaded, count = jieba == "True", int(n)
    return statistics.median(walls), statistics.median(imports), statistics.median(checks), loaded, count


def warm(path: Path, mode: str) -> float:
    from generator.readers import SourceDocument

    doc = read_document(path)
    if mode == "draft":
        doc = SourceDocument(doc.path, doc.paragraphs, kind="draft")
    check(doc, date=DATE)
    times = []
    for _ in range(RUNS * 2):
        t = time.perf_counter()
        check(doc, date=DATE)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def baseline() -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - t


def main() -> None:
    print(f"Python {sys.version.split()[0]}; median of {RUNS} runs\n")
    print(f"empty interpreter start-up: {baseline() * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        for slip, mode in ((False, "file"), (False, "draft"), (True, "draft")):
            text = build_draft(slip)
            path = Path(tmp) / ("draft-slip.txt" if slip else "draft.txt")
            path.write_text(text, encoding="utf-8")
            wall, imp, chk, loaded, n = cold(path, mode)
            w = warm(path, mode)
            label = ("a user's file (all rules)" if mode == "file" else
                     "as a generated draft" + (", one doubled word" if slip else ", clean"))
            print(f"\n{label}: {chars(text)} characters ({han(text)} han), {n} findings, jieba loaded: {loaded}")
            print(f"  cold (fresh process, whole): {wall * 1000:.0f} ms  "
                  f"[imports {imp * 1000:.0f} ms, check incl. rule loading{' and jieba' if loaded else ''} "
                  f"{chk * 1000:.0f} ms]")
            print(f"  warm check():                {w * 1000:.1f} ms")

    total_chars, findings = 0, Counter()
    for path in sorted(CLEAN.glob("*.txt")):
        doc = read_document(path)
        total_chars += chars(doc.text)
        findings.update(f.severity for f in check(doc, date=DATE))
    n = sum(findings.values())
    per = n / total_chars * 10_000
    detail = "，".join(f"{s} {findings.get(s, 0)}" for s in ("错误", "疑似", "提示"))
    print(f"\nfalse alarms on the corrected samples: {n} findings in {total_chars} characters "
          f"= {per:.2f} per 10,000 characters ({detail})")

    # Generated drafts: every document of every example, and drafts for every unit type, many seeds. The
    # 【待补充】 markers (DG302) are intended and not counted.
    from generator.pipeline import generate
    from generator.readers import document_from_draft
    from generator.samplebriefs import sample_brief
    from generator.models import ORG_TYPES

    drafts = []
    for brief in sorted((ROOT / "examples").glob("*/brief.yaml")):
        for seed in range(5):
            drafts += generate(brief, seed=seed).documents.values()
    for org_type in ORG_TYPES:
        for seed in range(5):
            loaded = sample_brief(org_type, variant=seed)
            drafts += generate(loaded.path, seed=seed, loaded=loaded, kinds=["review", "news", "host"]).documents.values()
            drafts += generate(loaded.path, seed=seed, loaded=loaded, kinds=["work"]).documents.values()
    gen_chars, gen_findings = 0, Counter()
    for draft in drafts:
        doc = document_from_draft(draft)
        gen_chars += chars(doc.text)
        gen_findings.update(f.code for f in check(doc, date=draft.meeting_date) if f.code != "DG302")
    g = sum(gen_findings.values())
    print(f"false alarms on {len(drafts)} generated drafts: {g} findings in {gen_chars} characters "
          f"= {g / gen_chars * 10_000:.2f} per 10,000 characters {dict(gen_findings) or ''}")
    # The same drafts with the spelling rules (which `build` leaves to `draftgen check`).
    spell = Counter()
    for draft in drafts:
        spell.update(f.code for f in check(document_from_draft(draft), date=draft.meeting_date, spelling=True)
                     if f.code.startswith("DG80"))
    s = sum(spell.values())
    print(f"spelling rules (DG80x) on the same drafts: {s} findings = {s / gen_chars * 10_000:.2f} per 10,000 "
          f"characters {dict(spell) or ''}")


if __name__ == "__main__":
    main()
