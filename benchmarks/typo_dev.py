"""The development set for the wrong-character rule (DG801): our own clean text with slips put in at random.

    .venv/bin/python benchmarks/typo_dev.py [--sentences N] [--seed S]

The thresholds in ``generator/typos.py`` are chosen here, never on an error corpus. Sentences come from text
the project owns or has corrected by hand: the corrected samples (tests/fixtures/check/clean/) and a fixed
half of the bank's entries (placeholders filled with typical values). The genre's word pairs used meanwhile
are counted from the other half (the shipped file counts the whole bank, every dev sentence included; drafts
generated from the bank are left out for the same reason). Each sampled sentence is checked twice:

- as it is (it has no slip, so any spelling finding on it is a false alarm);
- with one Han character replaced by a confusable one drawn from the rule's own data. Three in ten are the slip
  of a pinyin input method: a word replaced by a dictionary word of the same sound that differs in one
  character (真相 → 真想). The rest are single characters, the kind of confusion (homophone of the same tone,
  of another tone, near sound, look-alike) drawn by the channel prior ``typos.CHANNEL`` and the character
  uniformly within that kind.

It prints, for a range of each of the two thresholds (single characters, sound-alike words) with the other
at its shipped value, the share of slips found (a DG801 finding on the changed character, or
any spelling finding covering it) and the share of clean sentences with any spelling finding (DG801–DG804).
The context rules' model (``charlm``) is counted from the training half too. ``--grid`` prints only the two
context thresholds (one character, two) against each other, the others at their shipped values.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
import zlib
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


def _bank_entries() -> list[tuple[str, str]]:
    """(id, text) of every bank entry whose placeholders have a typical value."""
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
            out.append((str(entry.get("id", "")), _PLACEHOLDER.sub(lambda m: FILL[m.group(1)], text)))
    return out


def held_out(entry_id: str) -> bool:
    """Half the bank, fixed by id: its sentences are the dev set; the genre's word pairs come from the other half."""
    return zlib.crc32(entry_id.encode("utf-8")) % 2 == 1


def sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CLEAN.glob("*.txt"))]
    texts += [text for entry_id, text in _bank_entries() if held_out(entry_id)]
    seen, out = set(), []
    for text in texts:
        for line in text.splitlines():
            for s in _SPLIT.split(line.strip()):
                han = sum(1 for c in s if "\u4e00" <= c <= "\u9fff")
                if 8 <= han <= 120 and "【" not in s and s not in seen:
                    seen.add(s)
                    out.append(s)
    return out


def use_training_half() -> None:
    """The genre's word pairs from the half of the bank the dev set does not use (the shipped file counts
    the whole bank, every dev sentence included, and would make the dev set far too easy)."""
    from collections import Counter

    counts: Counter = Counter()
    for entry_id, text in _bank_entries():
        if not held_out(entry_id):
            counts.update(typos.bigrams_of(text))
    genre = typos.Genre({f"{a}\t{b}": n for (a, b), n in counts.items() if len(a) == 2 or len(b) == 2},
                        joined=typos.joined_runs(counts))
    typos._genre = lambda: genre
    # the context rule's n-gram model: the same half of the bank, never a dev sentence
    from generator import charlm

    lm = charlm.load(b"typo-dev training half\0" + charlm.bank_key(),
                     lambda: charlm.bank_texts(keep=lambda i: not held_out(i)))
    typos._lm = lambda: lm


WORD_SLIPS = 0.3
CONTEXT_FLOOR = 8.0  # the context rules' sweeps start here (scoring each slip lower would only cost time)
PAIR_SLIPS = 0.2


def pair_slip(sentence: str, rng: random.Random) -> tuple[str, int] | None:
    """A two-character word of the sentence with both characters replaced by sound-alikes: half the time
    another dictionary word read the same (the input method's candidate list: 强化 → 墙画), half the time two
    characters each of the same toneless syllable."""
    toneless = typos._toneless_groups()
    by_char = typos._toneless_by_char()
    spots = []
    for m in chk._HAN_RUN.finditer(sentence):
        spots += [m.start() + ts for ts, te in chk._cut(m.group(0)) if te - ts == 2]
    rng.shuffle(spots)
    as_word = rng.random() < 0.5
    for ts in spots[:30]:
        a, b = sentence[ts], sentence[ts + 1]
        if as_word:
            alts = [w for w in typos.sound_words(a, b) if w[0] != a and w[1] != b]
        else:
            xs = sorted({x for s in by_char.get(a, ()) for x in toneless.get(s, ()) if x != a})
            ys = sorted({y for s in by_char.get(b, ()) for y in toneless.get(s, ()) if y != b})
            alts = [rng.choice(xs) + rng.choice(ys)] if xs and ys else []
        if alts:
            return sentence[:ts] + rng.choice(alts) + sentence[ts + 2:], ts
    return None


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
    r = rng.random()
    if r < PAIR_SLIPS:
        slip = pair_slip(sentence, rng)
        if slip:
            return slip
    elif r < PAIR_SLIPS + WORD_SLIPS:
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


def scored(sentence: str, floor: float, context_floor: float):
    """(DG801 slips with their scores, positions covered by the other spelling findings); the context rules'
    slips from ``context_floor`` up, the others' from ``floor``."""
    para = Paragraph(1, sentence)
    rules = chk.load_rules()
    others = set()
    for f in chk.check(SourceDocument("句子", (para,)), date=DATE):
        if f.code in SPELLING and f.code != "DG801":
            others.update(range(f.column - 1, f.column - 1 + max(1, f.length)))
    slips = chk.typo_candidates(para, rules, (), threshold=floor, word_threshold=floor, pair_threshold=floor,
                                context_threshold=float("inf"))
    slips += chk.context_candidates(para, rules, (), threshold=context_floor)
    return slips, others


def sweep(clean, dirty, kind: str, fixed: dict[str, float], default: float, floor: float, steps: int = 20) -> None:
    def fires(sl, t):
        return sl.gain >= (t if sl.kind == kind else fixed[sl.kind])

    name = {"char": "单字", "word": "同音词", "pair": "相邻两字", "lm": "上下文·单字", "lmpair": "上下文·两字"}[kind]
    print(f"阈值（{name}）  检出率  无错句误报  错句上其他位置的提示")
    for t in [floor + x / 2 for x in range(0, steps + 1)]:
        fa = sum(1 for slips, others in clean if others or any(fires(sl, t) for _, sl in slips))
        hit = sum(1 for at, (slips, others) in dirty
                  if at in others or any(p <= at < p + len(sl.wrong) and fires(sl, t) for p, sl in slips))
        stray = sum(1 for at, (slips, others) in dirty
                    if any(not p <= at < p + len(sl.wrong) and fires(sl, t) for p, sl in slips))
        mark = " ←" if abs(t - default) < 1e-9 else ""
        print(f"{t:5.1f}  {hit / max(1, len(dirty)):6.1%}  {fa / max(1, len(clean)):6.1%}  "
              f"{stray / max(1, len(dirty)):6.1%}{mark}")


def grid(clean, dirty, fixed: dict[str, float], singles, pairs) -> None:
    """Slips found and clean sentences flagged for every pair of context thresholds (one character, two),
    the other rules at their shipped values; ``—`` is the context rules off (the baseline)."""
    def fires(sl, lm, lmpair):
        t = {**fixed, "lm": lm, "lmpair": lmpair}
        return sl.gain >= t[sl.kind]

    def rates(lm, lmpair):
        fa = sum(1 for slips, others in clean if others or any(fires(sl, lm, lmpair) for _, sl in slips))
        hit = sum(1 for at, (slips, others) in dirty
                  if at in others or any(p <= at < p + len(sl.wrong) and fires(sl, lm, lmpair) for p, sl in slips))
        return hit / max(1, len(dirty)), fa / max(1, len(clean))

    inf = float("inf")
    hit0, fa0 = rates(inf, inf)
    print(f"上下文规则关闭：检出率 {hit0:.2%}  无错句误报 {fa0:.2%}")
    print("单字\\两字 " + "".join(f"{t:>16.1f}" for t in pairs) + f"{'—':>16}")
    for lm in singles:
        cells = [rates(lm, t) for t in list(pairs) + [inf]]
        print(f"{lm:8.1f}  " + "".join(f"{h:8.2%}/{f:6.2%} " for h, f in cells))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--floor", type=float, default=0.0, help="lowest threshold shown")
    ap.add_argument("--grid", action="store_true", help="only the two context thresholds, one against the other")
    args = ap.parse_args()
    t0 = time.perf_counter()
    use_training_half()
    pool = sentences()
    rng = random.Random(args.seed)
    sample = rng.sample(pool, min(args.sentences, len(pool)))
    clean, dirty = [], []
    for s in sample:
        clean.append(scored(s, args.floor - 10, args.floor + CONTEXT_FLOOR))
        bad = corrupt(s, rng)
        if bad:
            text, at = bad
            dirty.append((at, scored(text, args.floor - 10, args.floor + CONTEXT_FLOOR)))
    han = sum(sum(1 for c in s if "\u4e00" <= c <= "\u9fff") for s in sample)
    print(f"开发集：{len(pool)} 句可选，抽 {len(sample)} 句（{han} 个汉字），其中 {len(dirty)} 句放入一个错字；"
          f"用时 {time.perf_counter() - t0:.1f} s")
    fixed = {"char": typos.THRESHOLD, "word": typos.PAIR_THRESHOLD, "pair": typos.PAIR_SLIP_THRESHOLD,
             "lm": typos.LM_THRESHOLD, "lmpair": typos.LM_PAIR_THRESHOLD}
    if args.grid:
        start = args.floor + CONTEXT_FLOOR
        grid(clean, dirty, fixed, [start + x / 2 for x in range(21)], [start + x / 2 for x in range(15)])
        return 0
    sweep(clean, dirty, "char", fixed, typos.THRESHOLD, args.floor)
    sweep(clean, dirty, "word", fixed, typos.PAIR_THRESHOLD, args.floor)
    sweep(clean, dirty, "pair", fixed, typos.PAIR_SLIP_THRESHOLD, args.floor)
    sweep(clean, dirty, "lm", fixed, typos.LM_THRESHOLD, args.floor + CONTEXT_FLOOR, steps=20)
    sweep(clean, dirty, "lmpair", fixed, typos.LM_PAIR_THRESHOLD, args.floor + CONTEXT_FLOOR, steps=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
