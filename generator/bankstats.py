"""`draftgen bank stats`: where the bank is thin, and which entries drafts never (or too often) use."""

from __future__ import annotations

import random
from collections import Counter

from .bank import PhraseBank
from .models import ORG_TYPES

THIN = 6  # fewer usable alternatives than this in a cell makes drafts repeat themselves
SLOT_ABBREV = {"achievement_headline": "成绩题", "achievement_elaboration": "成绩文", "problem_headline": "问题题",
               "problem_elaboration": "问题文", "directive_headline": "意见题", "directive_elaboration": "意见文"}


def coverage(bank: PhraseBank) -> dict[tuple[str, str, str], int]:
    """(topic, slot, org type) → how many entries a draft for that type can choose from."""
    cells: dict[tuple[str, str, str], int] = {}
    for topic in bank.topics:
        for slot in SLOT_ABBREV:
            for org_type in ORG_TYPES:
                cells[(topic, slot, org_type)] = len(bank.candidates(slot, topic=topic, org_type=org_type))
    return cells


def coverage_table(bank: PhraseBank) -> str:
    cells = coverage(bank)
    lines = ["覆盖矩阵（每格为某类单位可选的条目数：最少值/该主题槽位总数；带 ! 的格少于 %d 条）" % THIN]
    header = "主题".ljust(8, "　") + "".join(a.ljust(7, "　") for a in SLOT_ABBREV.values())
    lines.append(header)
    thin = []
    for topic in bank.topics:
        row = topic.ljust(8, "　")
        for slot in SLOT_ABBREV:
            counts = {t: cells[(topic, slot, t)] for t in ORG_TYPES}
            low = min(counts.values())
            total = len(bank.candidates(slot, topic=topic))
            mark = "!" if low < THIN else " "
            row += f"{low:>3}/{total:<3}{mark}".ljust(7, "　")
            thin += [(topic, slot, t, n) for t, n in counts.items() if n < THIN]
        lines.append(row)
    if thin:
        lines.append("偏少的格：" + "；".join(f"{t}×{SLOT_ABBREV[s]}×{o}={n}" for t, s, o, n in thin))
    return "\n".join(lines)


def usage_audit(bank: PhraseBank, drafts_per_type: int = 12) -> tuple[Counter, int]:
    """Generate drafts for every unit type, layout and several seeds; count how often each entry is used."""
    from .pipeline import generate
    from .samplebriefs import sample_brief

    used: Counter = Counter()
    n = 0
    rng = random.Random(20260120)
    for org_type in ORG_TYPES:
        for i in range(drafts_per_type):
            layout = ("separate", "two_part", None)[i % 3]
            kinds = ["work", "news", "host"] if layout is None else ["review", "news", "host"]
            length = rng.choice((2000, 3000, 4000, 5000))
            loaded = sample_brief(org_type, variant=i, length=length, layout=layout)
            result = generate(loaded.path, seed=rng.randrange(1 << 30), loaded=loaded, bank=bank, kinds=kinds)
            used.update(result.plan.entry_ids())
            n += 1
    return used, n


def usage_report(bank: PhraseBank, drafts_per_type: int = 12) -> str:
    used, n = usage_audit(bank, drafts_per_type)
    # Time-bound formulas are left out: most of them are for other years by design.
    never = [e for e in bank.entries if e.id not in used and e.slot not in ("spirit", "milestone")]
    share = {e.id: used[e.id] / n for e in bank.entries if e.id in used}
    often = sorted(((s, i) for i, s in share.items() if s > 0.5 and not i.startswith("fml-")), reverse=True)
    lines = [f"用法审计：为 {len(ORG_TYPES)} 类单位共生成 {n} 套文稿（述职评议会讲话或工作会议讲话，各带新闻稿和主持词），用到 {len(used)} / {len(bank.entries)} 个条目"]
    lines.append(f"从未被选中（{len(never)} 个）：" + ("、".join(e.id for e in never[:60]) + ("……" if len(never) > 60 else "")
                                              if never else "无"))
    lines.append(f"被过半稿件选中（{len(often)} 个）：" + ("、".join(f"{i}（{s:.0%}）" for s, i in often[:30]) if often else "无"))
    return "\n".join(lines)
