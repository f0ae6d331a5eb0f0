"""How well `draftgen check` finds wrong characters in real official prose, and how often it cries wolf.

The yardstick is ECSpell's official-document set (../shared/data/ecspell-odw/, MIT): each line holds the
number of wrong characters, the sentence as written and the corrected sentence (same length). Every line is
checked as a one-paragraph document with all the rules, as `draftgen check` would, and the script prints

- detection recall: the share of wrong characters on which some finding is placed;
- false alarms: the share of correct sentences with any finding at all (the lines written without a slip,
  and, separately, the corrected form of every line);
- precision: the share of findings on the written lines that sit on a wrong character.

It is a yardstick only: no rule, word or confusion pair is taken from it.

    .venv/bin/python benchmarks/proofread.py [--show N] [--data PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.check import check  # noqa: E402
from generator.readers import Paragraph, SourceDocument  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ecspell-odw" / "odw.train.tsv"
DATE = dt.date(2026, 1, 20)
SPELLING = ("DG801", "DG802", "DG803", "DG804")


def findings_for(sentence: str):
    return check(SourceDocument("句子", (Paragraph(1, sentence),)), date=DATE)


def kind_of(wrong: str, right: str, next_to_another: bool) -> str:
    """How a wrong character relates to the right one, by the rules' own data (sound groups, shape groups):
    only totals by kind are printed, never the pairs."""
    from generator import typos

    how = "音近" if right in typos.sound_costs(wrong) else ("形近" if right in typos.confusables(wrong) else "音形都不近")
    return ("相邻两字都错·" if next_to_another else "单字错·") + how


def covered(finding) -> range:
    start = finding.column - 1
    return range(start, start + max(1, finding.length)) if finding.column else range(0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--show", type=int, default=0, help="print this many misses and false alarms")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"{args.data}: 找不到评测数据", file=sys.stderr)
        return 2
    rows = []
    for line in args.data.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and len(parts[1]) == len(parts[2]):
            rows.append((parts[1], parts[2]))
    t0 = time.perf_counter()
    wrong = found = 0
    hits = total_findings = 0
    clean_lines = clean_flagged = 0
    corrected_flagged = 0
    by_code: Counter = Counter()
    spell = {"found": 0, "hits": 0, "findings": 0, "clean_flagged": 0}  # the wrong-character rules alone
    fa_code: Counter = Counter()
    misses, alarms = [], []
    kinds: dict[str, list[int]] = {}  # kind of wrong character → [found, all]
    for written, right in rows:
        bad = {i for i, (a, b) in enumerate(zip(written, right)) if a != b}
        fs = findings_for(written)
        sp = [f for f in fs if f.code in SPELLING]
        spell["findings"] += len(sp)
        spell["hits"] += sum(bool(set(covered(f)) & bad) for f in sp)
        if bad:
            spell["found"] += len(bad & {i for f in sp for i in covered(f)})
            spotted = {i for f in fs for i in covered(f)}
            for i in bad:
                tally = kinds.setdefault(kind_of(written[i], right[i], i - 1 in bad or i + 1 in bad), [0, 0])
                tally[0] += i in spotted
                tally[1] += 1
        elif sp:
            spell["clean_flagged"] += 1
        if bad:
            wrong += len(bad)
            spots = {i for f in fs for i in covered(f)}
            found += len(bad & spots)
            if not bad <= spots:
                misses.append((written, right))
        else:
            clean_lines += 1
            if fs:
                clean_flagged += 1
        for f in fs:
            total_findings += 1
            on_target = bool(set(covered(f)) & bad)
            hits += on_target
            if on_target:
                by_code[f.code] += 1
        fc = findings_for(right) if bad else fs
        if fc:
            corrected_flagged += 1
            fa_code.update(f.code for f in fc)
            alarms.append((right, fc))
    secs = time.perf_counter() - t0
    print(f"评测数据：{args.data.name}，{len(rows)} 句，其中 {sum(1 for w, r in rows if w != r)} 句有错字，"
          f"共 {wrong} 个错字")
    print(f"检出率（字级）：{found}/{wrong} = {found / max(1, wrong):.1%}")
    print(f"误报（无错字的原句中有任何提示的比例）：{clean_flagged}/{clean_lines} = {clean_flagged / max(1, clean_lines):.1%}")
    print(f"误报（全部改正后的句子中有任何提示的比例）：{corrected_flagged}/{len(rows)} = "
          f"{corrected_flagged / max(1, len(rows)):.1%}")
    print(f"精确率（有错句子上的提示落在错字上的比例）：{hits}/{total_findings} = {hits / max(1, total_findings):.1%}")
    print("命中错字的规则：" + ("，".join(f"{c} {n}" for c, n in by_code.most_common()) or "无"))
    print("改正后句子上的提示：" + ("，".join(f"{c} {n}" for c, n in fa_code.most_common()) or "无"))
    print(f"只看错别字类规则（{'、'.join(SPELLING)}）：检出率 {spell['found'] / max(1, wrong):.1%}，"
          f"无错字原句的误报 {spell['clean_flagged']}/{clean_lines} = {spell['clean_flagged'] / max(1, clean_lines):.1%}，"
          f"精确率 {spell['hits']}/{spell['findings']} = {spell['hits'] / max(1, spell['findings']):.1%}")
    print("按错字的类别（全部规则）：" + "，".join(f"{k} {f}/{n} = {f / max(1, n):.0%}" for k, (f, n) in sorted(kinds.items())))
    print(f"用时 {secs:.1f} s")
    for written, right in misses[:args.show]:
        print("漏：", written, "→", right)
    for right, fs in alarms[:args.show]:
        print("误：", right, [f"{f.code} {f.message}" for f in fs])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
