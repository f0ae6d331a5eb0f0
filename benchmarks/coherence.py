"""Coherence figures over 8 unit types × 2 kinds of speech × 3 seeds, on briefs that carry facts.

    .venv/bin/python benchmarks/coherence.py [--without-cohesion]

Per unit type and kind: paragraphs whose entries come from more than one facet, facets both praised and
criticised, problems no directive answers, brief facts missing from the text, seam phrases, the largest
share of sentences two seeds have in common (leaving out the sentences that carry the brief's facts), the worst length error at 3,000 字, and the share of headlines
whose content words reappear in their paragraph; then lexical cohesion inside the paragraphs: the share of
elaboration sentences that share a content bigram (one few facets use) with their headline or the brief's
fact, and the share about another sub-subject of the facet than their headline or fact (流动党员 → 党费).
``--without-cohesion`` plans with the preference for such sentences turned off, for comparison. Then the same headline share on sample speeches 3 and 4,
and the length error at 1,500–8,000 字 for both kinds. Then, for place and time: hallmarks of each unit type
present, its banned terms, time words that do not fit the meeting's date and period, drafts that carry the
day's formulas, and the spread (standard deviation) of sentence lengths in the directive part.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.bank import default_bank  # noqa: E402
from generator import plan as planning  # noqa: E402
from generator.coherence import (brief_words, cohesion, directive_sentence_lengths, headline_echo,  # noqa: E402
                                 item_paragraphs, measure, shared_sentences, spread, text_paragraphs)
from generator.models import ORG_TYPES  # noqa: E402
from generator.pipeline import generate  # noqa: E402
from generator.samplebriefs import sample_brief  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"
SEEDS = (0, 1, 2)


def build(org_type: str, kind: str, seed: int, length: int = 3000):
    loaded = sample_brief(org_type, variant=seed, kind=kind, facts=True, length=length)
    return generate(loaded.path, seed=seed, loaded=loaded, kinds=[kind])


# Meetings whose time words are checked: a January review, a June half-year review, a July half-year review.
DATES = ((dt.date(2026, 1, 16), "2025年度基层党组织书记抓基层党建工作述职评议会"),
         (dt.date(2021, 6, 25), "2021年上半年基层党组织书记抓基层党建工作述职评议会"),
         (dt.date(2026, 7, 1), "2026年上半年基层党组织书记抓基层党建工作述职评议会"))
YEAR_WORDS = ("一年来", "过去一年", "全年", "新的一年", "明年")
FORMULAS = {2026: ("二十届四中全会", "十五五"), 2021: ("党史学习教育", "建党100周年", "十四五")}


def time_violations(text: str, date: dt.date, name: str) -> int:
    bad = 0
    if date.month not in (12, 1, 2):
        bad += text.count("岁末年初")
    bad += sum(text.count(w) for w in ("迎接“十五五”开局之年", "迎接十五五")) if date.year == 2026 else 0
    if "上半年" in name:
        bad += sum(text.count(w) for w in YEAR_WORDS) + (0 if "下半年" in text else 1)
    return bad


def place_and_time(bank) -> None:
    """Issue of place and time: per unit type and kind, over 3 seeds and the three meeting dates."""
    print("\nplace and time (3 seeds × 3 meeting dates): hallmarks present / wanted, banned terms, time-word "
          "violations, drafts with the day's formulas, directive sentence-length spread (min)")
    print("unit        kind    hallmarks banned time formulas  spread")
    for kind in ("review", "work"):
        for org_type in ORG_TYPES:
            profile = bank.profiles.get(org_type, {})
            have = want = banned = bad = formulas = drafts = 0
            spreads = []
            for date, name in DATES:
                for seed in SEEDS:
                    loaded = sample_brief(org_type, variant=seed, kind=kind, facts=True, date=date)
                    brief = dataclasses.replace(loaded.brief, meeting=dataclasses.replace(
                        loaded.brief.meeting, name=name, date=date))
                    loaded = type(loaded)(brief=brief, org=loaded.org, path=loaded.path, digest=loaded.digest + name)
                    result = generate(loaded.path, seed=seed, loaded=loaded, kinds=[kind])
                    text = result.draft.body_text
                    hallmarks = profile.get("hallmarks", ())
                    want += len(hallmarks)
                    have += sum(any(f in text for f in h.split("|")) for h in hallmarks)
                    banned += sum(text.count(w) for w in profile.get("banned", ()))
                    bad += time_violations(text, date, name)
                    wanted = FORMULAS.get(date.year, ())
                    formulas += "习近平新时代中国特色社会主义思想" in text and (not wanted or any(w in text for w in wanted))
                    drafts += 1
                    spreads.append(spread(directive_sentence_lengths(result.plan)))
            print(f"{org_type:<11} {kind:<7} {have:>4}/{want:<4} {banned:>6} {bad:>4} {formulas:>4}/{drafts:<4} "
                  f"{min(spreads):>6.1f}")


def main() -> None:
    if "--without-cohesion" in sys.argv:
        planning._cohering = lambda *a, **k: (lambda e: 1.0)
        print("(the preference for sentences on the paragraph's subject turned off)")
    bank = default_bank()
    print("unit        kind    mixed contra unans. facts seams overlap len-err headline-echo cohesion off-subj")
    sentences = sharing = off = 0
    totals = {"mixed": 0, "contra": 0, "unanswered": 0, "facts": 0, "seams": 0}
    worst_overlap = 0.0
    mean_shares: list[float] = []
    for kind in ("review", "work"):
        for org_type in ORG_TYPES:
            results = [build(org_type, kind, seed) for seed in SEEDS]
            c = [measure(r.plan, r.draft.body_text, bank) for r in results]
            mixed = sum(len(x.mixed_paragraphs) for x in c)
            contra = sum(len(x.contradictions) for x in c)
            unanswered = sum(len(x.unanswered) for x in c)
            facts = sum(len(x.missing_facts) for x in c)
            seams = sum(len(x.seams) for x in c)
            own = brief_words(results[0].plan)
            shares = [shared_sentences(a.draft, b.draft, own) for a, b in combinations(results, 2)]
            overlap = max(shares)
            mean_shares.append(sum(shares) / len(shares))
            error = max((abs(r.draft.char_count() - 3000) / 3000 for r in results))
            pairs = [p for r in results for p in item_paragraphs(r.plan)]
            echo = sum(headline_echo(h, body) for h, body in pairs) / len(pairs)
            lex = [cohesion(r.plan, bank) for r in results]
            n, share, foreign = (sum(x.sentences for x in lex), sum(x.sharing for x in lex),
                                 sum(x.off_subject for x in lex))
            sentences, sharing, off = sentences + n, sharing + share, off + foreign
            for k, v in zip(totals, (mixed, contra, unanswered, facts, seams)):
                totals[k] += v
            worst_overlap = max(worst_overlap, overlap)
            print(f"{org_type:<11} {kind:<7} {mixed:>5} {contra:>6} {unanswered:>6} {facts:>5} {seams:>5} "
                  f"{overlap:>7.1%} {error:>7.1%} {echo:>13.0%} {share / n:>8.0%} {foreign / n:>8.0%}")
    print("totals:", "  ".join(f"{k} {v}" for k, v in totals.items()),
          f" worst overlap {worst_overlap:.1%}, mean over units and kinds {sum(mean_shares) / len(mean_shares):.1%}")
    print(f"cohesion: {sharing}/{sentences} elaboration sentences ({sharing / sentences:.1%}) share a content word "
          f"with their headline or fact; {off} ({off / sentences:.1%}) speak of another sub-subject of the facet")
    for name in ("3-review-meeting-company.txt", "4-work-meeting-city.txt"):
        path = SAMPLES / name
        if path.is_file():
            pairs = text_paragraphs(path.read_text(encoding="utf-8"))
            echo = sum(headline_echo(h, b) for h, b in pairs) / max(len(pairs), 1)
            print(f"sample {name}: {len(pairs)} headlines, {echo:.0%} with a content word in their paragraph")
    place_and_time(bank)
    print("\nlength error (worst / mean |error|) over 8 unit types × 3 seeds, briefs with facts")
    for target in (1500, 2000, 3000, 5000, 6500, 8000):
        cells = []
        for kind in ("review", "work"):
            errors = [(build(t, kind, s, target).draft.char_count() - target) / target
                      for t in ORG_TYPES for s in SEEDS]
            cells.append(f"{kind} {max(errors, key=abs):+6.1%} / {sum(map(abs, errors)) / len(errors):5.1%}")
        print(f"{target:>6}  " + "   ".join(cells))


if __name__ == "__main__":
    main()
