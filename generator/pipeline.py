"""The stages wired together, callable from Python as well as from the CLI.

    from generator.pipeline import generate
    result = generate("examples/school/brief.yaml", seed=42)
    print(result.draft.body_text)
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .bank import PhraseBank, default_bank
from .context import Overrides, build_context
from .load import load_brief
from .models import Draft, LoadedBrief, Plan
from .plan import make_plan
from .render import render


@dataclass(frozen=True)
class Result:
    loaded: LoadedBrief
    plan: Plan
    draft: Draft  # the speech
    documents: dict  # kind → Draft: every document asked for, rendered from the same plan


def generate(brief_path: Path | str, *, seed: Optional[int] = None, length: Optional[int] = None,
             points: Optional[int] = None, layout: Optional[str] = None, kinds: Optional[Iterable[str]] = None,
             avoid: Iterable[str] = (), bank: Optional[PhraseBank] = None,
             loaded: Optional[LoadedBrief] = None) -> Result:
    bank = bank or default_bank()
    loaded = loaded or load_brief(brief_path, bank.topics)
    overrides = Overrides(seed=seed, length=length, points=points, layout=layout,
                          kinds=tuple(kinds) if kinds else None)
    ctx = build_context(loaded, bank, overrides)
    plan = make_plan(ctx, bank, random.Random(ctx.seed), avoid)
    speech = render(plan)
    documents = {kind: speech if kind == plan.kind else render(plan, kind) for kind in ctx.kinds}
    return Result(loaded, plan, speech, documents)


def generate_variants(brief_path: Path | str, count: int, *, seed: Optional[int] = None,
                      avoid: Iterable[str] = (), **options) -> list[Result]:
    """``count`` drafts with consecutive seeds; each avoids the entries of the ones before it, so the
    alternatives really differ rather than reshuffling the same sentences."""
    avoided = {entry_id: 1 for entry_id in avoid}  # id → in how many earlier drafts it was used
    first = generate(brief_path, seed=seed, avoid=avoided, **options)
    results = [first]
    for i in range(1, count):
        for entry_id in results[-1].plan.entry_ids():
            avoided[entry_id] = avoided.get(entry_id, 0) + 1
        results.append(generate(brief_path, seed=first.plan.context.seed + i, avoid=avoided,
                                loaded=first.loaded, **options))
    return results


def plan_record(result: Result) -> dict:
    """What is needed to regenerate a draft exactly, and to avoid its entries next year."""
    ctx = result.plan.context
    return {
        "brief": result.loaded.path,
        "brief_sha256": result.loaded.digest,
        "seed": ctx.seed,
        "layout": result.plan.layout,
        "length": ctx.length,
        "meeting_date": ctx.meeting_date.isoformat(),
        "entry_ids": list(result.plan.entry_ids()),
        # What each paragraph speaks of: one facet of one topic, headline and sentences alike.
        "paragraphs": [
            {"part": part, "topic": item.topic, "facet": item.facet, "headline": item.headline.text,
             "facts": list(item.facts)}
            for part, items in (("成绩", result.plan.achievements), ("问题", result.plan.problems),
                                *((f"第{n}部分", s.items) for n, s in enumerate(result.plan.sections, 1)))
            for item in items
        ],
    }


def plan_json(result: Result) -> str:
    return json.dumps(plan_record(result), ensure_ascii=False, indent=2) + "\n"
