"""Facet coverage of the phrase bank: how many entries each facet has per slot, and which entries lack a facet.

    python scripts/facet_coverage.py                 # the whole bank
    python scripts/facet_coverage.py phrasebank/problems.yaml   # only entries of these files
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.bank import TOPIC_SLOTS, read_bank  # noqa: E402

ABBREV = {"achievement_headline": "成绩题", "achievement_elaboration": "成绩文", "problem_headline": "问题题",
          "problem_elaboration": "问题文", "directive_headline": "意见题", "directive_elaboration": "意见文"}


def main(files: list[str]) -> int:
    bank, problems = read_bank()
    for p in problems:
        print("结构问题：", p)
    wanted = {str(Path(f).resolve()) for f in files}
    entries = [e for e in bank.entries if not wanted or str(Path(e.file).resolve()) in wanted]
    bad = []
    generic: Counter = Counter()
    typed: Counter = Counter()
    for e in entries:
        if e.slot not in TOPIC_SLOTS:
            continue
        facets = {f.id for f in bank.topics[e.topic].facets} if e.topic in bank.topics else set()
        if e.facet not in facets:
            bad.append(e)
            continue
        (typed if e.org_types else generic)[(e.facet, e.slot)] += 1
    slots = [s for s in ABBREV if any(e.slot == s for e in entries)]
    print("方面".ljust(10, "　"), "  ".join(ABBREV[s] for s in slots), "（通用条目数+单位专用条目数）")
    for topic in bank.topics.values():
        print(f"【{topic.id}】")
        for f in topic.facets:
            print("  " + f.id.ljust(9, "　"), "  ".join(f"{generic[(f.id, s)]:>3}+{typed[(f.id, s)]:<2}" for s in slots))
    print(f"未标注或标注错误的条目：{len(bad)}")
    for e in bad[:40]:
        print(f"  {e.file}:{e.line}: {e.id} topic={e.topic} facet={e.facet}")
    return 1 if bad or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
