"""How much two drafts of one brief have in common: the measure behind `--variants` and the bank's audit."""

from __future__ import annotations

import re


def four_grams(text: str) -> set[str]:
    """The distinct runs of four Chinese characters in ``text``."""
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i:i + 4] for i in range(len(han) - 3)}


def overlap(a: str, b: str) -> float:
    """Shared 4-grams as a share of the smaller draft's: 1.0 means one draft is contained in the other."""
    ga, gb = four_grams(a), four_grams(b)
    return len(ga & gb) / min(len(ga), len(gb))


def without_brief_facts(result) -> str:
    """The draft's text with the user's own words and the 【待补充】 markers taken out: what the bank wrote."""
    text = result.draft.body_text
    ctx = result.plan.context
    for s in sorted({*ctx.brief_text.splitlines(), ctx.meeting_name, ctx.unit}, key=len, reverse=True):
        if s:
            text = text.replace(s, "")
    return re.sub(r"【待补充：[^】]*】", "", text)
