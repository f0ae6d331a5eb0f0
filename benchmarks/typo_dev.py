"""The development set for the wrong-character rule (DG801): our own clean text with slips put in at random.

    .venv/bin/python benchmarks/typo_dev.py [--sentences N] [--seed S]

The thresholds in ``generator/typos.py`` are chosen here, never on an error corpus. Sentences come from text
the project owns or has corrected by hand: the corrected samples (tests/fixtures/check/clean/), every bank
entry (placeholders filled with typical values) and drafts generated from examples/ with several seeds. Each
sampled sentence is checked twice:

- as it is (it has no slip, so any spelling finding on it is a false alarm);
- with one Han character replaced by a confusable one drawn from the rule's own data. Three in ten are the slip
  of a pinyin input method: a word replaced by a dictionary word of the same sound that differs in one
  character (真相 → 真想). The rest are single characters, the kind of confusion (homophone of the same tone,
  of another tone, near sound, look-alike) drawn by the channel prior ``typos.CHANNEL`` and the character
  uniformly within that kind.

It prints, for a range of thresholds, the share of slips found (a DG801 finding on the changed character, or
any spelling finding covering it) and the share of clean sentences with any spelling finding (DG801–DG804).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import check as chk  # noqa: E402
from generator import typos  # noqa: E402
from generator.readers import Paragraph, SourceDocument  # noqa: E402

CLEAN = ROOT / "tests" / "fixtures" / "check" / "clean"
DATE = dt.date(2026, 1, 20)
SPELLING = ("DG801", "DG802", "DG803", "DG804")
FILL = {"unit": "学校党委", "org_name": "某某中学党委", "superior": "区委教育工委", "business": "教育教学",
        "members": "党员教师", "year": "2025", "next_year": "2026", "meeting": "述职评议会", "reporters": "13",
        "written_reporters": "2", "deployed_by": "区委教育工委", "speaker": "王明", "spirit": "党的二十大精神",
        "milestone": "建党105周年", "audience": "学校各党支部", "whole": "全校", "period": "2025年",
        "horizon": "新的一年"}
_SPLIT = re.compile("(?<=[。！？；])")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _bank_texts() -> list[str]:
    import yaml

    out = []
    for path in sorted((ROOT / "phrasebank").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries", []) if isinstance(data, dict) else []:
            text = entry.get("text") if isinstance(entry, dict) else None
            if not isinstance(text, str):
                continue
            if any(k not in FILL for k in _PLACEHOLDER.findall(text)):
                continue
            out.append(_PLACEHOLDER.sub(lambda m: FILL[m.group(1)], text))
    return out


def _draft_texts(seeds=(1, 2)) -> list[str]:
    from generator.pipeline import generate

    out = []
    for brief in sorted((ROOT / "examples").glob("*/brief.yaml")):
        for seed in seeds:
            result = generate(brief, seed=seed)
            out += [d.body_text for d in result.documents.values()]
    return out


def sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("*.txt"))]
    texts += _bank_texts() + _draft_texts()
    seen, out = set(), []
    for text in texts:
        for line in text.splitlines():
            for s in _SPLIT.split(line.strip()):
                han = sum(1 for c in s if "\u4e00" <= c <= "\u9fff")
                if 8 <= han <= 120 and "【" not in s and s not in seen:
                    seen.add(s)
                    out.append(s)
    return out


WORD_SLIPS = 0.3


def word_slip(sentence: str, rng: random.Random) -> tuple[str, int] | None:
    """A pinyin input method's slip: a word of the sentence replaced by another dictionary word that sounds
    the same except for one character (the writer picked the wrong word from the candidate list)."""
    freq = chk._scorer().freq
    by_sound, sounds = typos._sound_groups()
    toneless = typos._toneless_groups()
    spots = []
    for m in chk._HAN_RUN.finditer(sentence):
        for ts, te in chk._cut(m.group(0)):
            if 2 <= te - ts <= 4:
                spots += [(m.start() + ts, m.start() + te, k) for k in range(te - ts)]
    rng.shuffle(spots)
    for ts, te, k in spots[:30]:
        word = sentence[ts:te]
        c = word[k]
        pool = {x for s in sounds.get(c, ()) for x in toneless.get(s[:-1], ()) if x != c}
        alts = sorted(w for w in (word[:k] + x + word[k + 1:] for x in pool) if (freq.get(w) or 0) >= typos.MIN_WORD_FREQ)
        if alts:
            new = rng.choice(alts)
            return sentence[:ts] + new + sentence[te:], ts + k
    return None


def corrupt(sentence: str, rng: random.Random) -> tuple[str, int] | None:
    """One Han character replaced by a confusable one: with probability WORD_SLIPS a whole-word slip of a
    pinyin input method, otherwise a character of the kind drawn by the channel prior."""
    if rng.random() < WORD_SLIPS:
        slip = word_slip(sentence, rng)
        if slip:
            return slip
    by_sound, sounds = typos._sound_groups()
    toneless = typos._toneless_groups()
    shape = typos._shape_index()
    spots = [i for i, c in enumerate(sentence) if "\u4e00" <= c <= "\u9fff"]
    for _ in range(20):
        i = rng.choice(spots)
        c = sentence[i]
        kinds = list(typos.CHANNEL)
        kind = rng.choices(kinds, weights=[typos.CHANNEL[k] for k in kinds])[0]
        mine = sounds.get(c, ())
        if kind == "tone":
            pool = [x for s in mine for x in by_sound.get(s, ())]
        elif kind == "sound":
            pool = [x for s in mine for x in toneless.get(s[:-1], ()) if s not in sounds.get(x, ())]
        elif kind == "fuzzy":
            pool = [x for s in mine for near in sorted(typos._fuzzy(s[:-1])) for x in toneless.get(near, ())]
        else:
            pool = sorted(shape.get(c, ()))
        pool = [x for x in dict.fromkeys(pool) if x != c]
        if pool:
            return sentence[:i] + rng.choice(pool) + sentence[i + 1:], i
    return None


def scored(sentence: str, floor: float):
    """(DG801 slips with their scores, positions covered by the other spelling findings)."""
    para = Paragraph(1, sentence)
    rules = chk.load_rules()
    others = set()
    for f in chk.check(SourceDocument("句子", (para,)), date=DATE):
        if f.code in SPELLING and f.code != "DG801":
            others.update(range(f.column - 1, f.column - 1 + max(1, f.length)))
    slips = [(at, slip) for at, slip in chk.typo_candidates(para, rules, (), threshold=floor)]
    return slips, others


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--floor", type=float, default=0.0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    pool = sentences()
    rng = random.Random(args.seed)
    sample = rng.sample(pool, min(args.sentences, len(pool)))
    clean, dirty = [], []
    for s in sample:
        clean.append(scored(s, args.floor))
        bad = corrupt(s, rng)
        if bad:
            text, at = bad
            dirty.append((at, scored(text, args.floor)))
    han = sum(sum(1 for c in s if "\u4e00" <= c <= "\u9fff") for s in sample)
    print(f"开发集：{len(pool)} 句可选，抽 {len(sample)} 句（{han} 个汉字），其中 {len(dirty)} 句放入一个错字；"
          f"用时 {time.perf_counter() - t0:.1f} s")
    print("阈值  检出率  无错句误报  错句上其他位置的提示")
    for t in [args.floor + x / 2 for x in range(0, 25)]:
        fa = sum(1 for slips, others in clean if others or any(sl.gain >= t for _, sl in slips))
        hit = sum(1 for at, (slips, others) in dirty
                  if at in others or any(p == at and sl.gain >= t for p, sl in slips))
        stray = sum(1 for at, (slips, others) in dirty if any(p != at and sl.gain >= t for p, sl in slips))
        mark = " ←" if abs(t - typos.THRESHOLD) < 1e-9 else ""
        print(f"{t:5.1f}  {hit / max(1, len(dirty)):6.1%}  {fa / max(1, len(clean)):6.1%}  "
              f"{stray / max(1, len(dirty)):6.1%}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
