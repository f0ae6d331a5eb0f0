"""Wrong-character detection for the checker (DG801).

A character is reported as a probable slip when the text around it reads badly while putting a similar-
sounding or similar-looking character in its place reads as a common word: 拼博 → 拼搏, 总休方案 → 总体方案.
"Reads badly / well" is the unigram log-probability of the best segmentation under jieba's own dictionary
and frequencies, so the judgement comes from well-kept data rather than from hand-picked pairs:

- sound: characters sharing a toneless pinyin syllable (``phrasebank/rules/sound-groups.txt``, made from
  pypinyin's character table);
- shape: the groups of look-alike characters in ``phrasebank/rules/shape-similar.txt``;
- words: jieba's dictionary (``jieba.dt.FREQ``), loaded once by the checker's segmenter.

Only characters that stand alone in the segmentation (or inside a rare word with a far more common look-
or sound-alike) are considered, and only replacements by common characters (GB2312 level 1), so ordinary
prose stays quiet. Everything here is imported lazily: a clean generated draft never gets this far.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .paths import RULES_DIR

SHAPE_FILE = "shape-similar.txt"
SOUND_FILE = "sound-groups.txt"

# Function words and very common single-character words: slips among them are the business of the
# 的/地/得 and stray-character rules, and letting them be "wrong" here would flag ordinary prose.
_STOP = set(
    "的了在是和与有也就都而及把被对从向为以于等中上下个这那其之不要将并又还更最很让使给由所着过地得"
    "我你他她们它此每各该本再才已曾又或即则且但若如因此乃亦均皆共同一二三四五六七八九十百千万亿两几多"
    "来去到说讲看抓做能会可应须需好大小新老高低长短前后内外年月日时分次项条点位名人家")

# The commonest function words are never questioned here (的/地/得 have their own rule); the other
# words above only on stronger evidence.
_NEVER = set("的了在是和与及也就都而把被对从向为以于等之其这那个不地得着过所我你他她们它")

# Thresholds, in natural-log units of the segmentation probability (see module docstring). A replacement
# must make the neighbourhood this much more probable (less for a longer word, more for a function word);
# a rare word must be this many times rarer than its look- or sound-alike. Chosen on correct text (the
# bank's entries, the corrected samples) and on slips made by putting confusable characters into it.
MIN_GAIN = 9.5
MIN_WORD_FREQ = 20
RARE_WORD_FREQ = 30
RARE_RATIO = 300
LONG_WORD_BONUS = 1.5
STOP_PENALTY = 3.0
SWAP_WORD_FREQ = 500
_MAXW = 6
_CONTEXT = 3


@dataclass(frozen=True)
class Slip:
    start: int  # position in the text given
    wrong: str
    right: str
    word: str  # the common word the replacement makes
    gain: float


@lru_cache(maxsize=1)
def _level1() -> frozenset[str]:
    out = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(out)


def _common(c: str) -> bool:
    """GB2312 level 1: the 3,755 most common characters, the only ones offered as replacements."""
    return c in _level1()


def _toneless(syllable: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(ch))


def sound_groups_from_pypinyin() -> list[tuple[str, str]]:
    """(toneless syllable, its GB2312 characters) from pypinyin's character table, in a stable order.

    This is how ``phrasebank/rules/sound-groups.txt`` is made; the file is shipped so that checking needs
    neither pypinyin's import (its package loads a large phrase table) nor this pass, and a test keeps it
    equal to what the installed pypinyin gives."""
    from pypinyin.pinyin_dict import pinyin_dict

    by_sound: dict[str, list[str]] = {}
    for code in sorted(pinyin_dict):
        c = chr(code)
        if not (0x4E00 <= code <= 0x9FFF) or not _gb2312(c):
            continue
        for syllable in dict.fromkeys(_toneless(r) for r in pinyin_dict[code].split(",")):
            by_sound.setdefault(syllable, []).append(c)
    return sorted((k, "".join(v)) for k, v in by_sound.items())


def write_sound_groups(path: Path) -> None:
    lines = [SOUND_HEADER] + [f"{k}\t{v}" for k, v in sound_groups_from_pypinyin()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


SOUND_HEADER = ("# 同音字组（DG801 错别字检测用）：每行一个不带声调的拼音和读这个音的 GB2312 汉字，用制表符分隔。\n"
                "# 由 pypinyin 的汉字拼音表生成（MIT 授权，Copyright (c) 2016 mozillazg, 闲耘），不要手改：\n"
                "# python -m generator.typos sound-groups")


def _gb2312(c: str) -> bool:
    try:
        return len(c.encode("gb2312")) == 2
    except UnicodeEncodeError:
        return False


def read_sound_groups(path: Path) -> tuple[dict[str, str], list[str]]:
    groups, problems = {}, []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return {}, [f"{path}: 无法读取（{e}）"]
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        syllable, _, chars = line.partition("\t")
        if not syllable.isascii() or not syllable.isalpha() or not chars:
            problems.append(f"{path}:{n}: 应为“拼音<制表符>汉字”，实为“{line[:20]}”")
            continue
        groups[syllable] = chars
    return groups, problems


@lru_cache(maxsize=1)
def _sound_groups() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """syllable → common characters, and character → its syllables."""
    groups, _ = read_sound_groups(RULES_DIR / SOUND_FILE)
    by_sound: dict[str, tuple[str, ...]] = {}
    sounds: dict[str, list[str]] = {}
    for syllable, chars in groups.items():
        by_sound[syllable] = tuple(c for c in chars if _common(c))
        for c in chars:
            sounds.setdefault(c, []).append(syllable)
    return by_sound, {c: tuple(v) for c, v in sounds.items()}


def read_shape_groups(path: Path) -> tuple[list[tuple[str, ...]], list[str]]:
    """The look-alike groups and any problems with the file, each located ``file:line``."""
    groups, problems = [], []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return [], [f"{path}: 无法读取（{e}）"]
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        chars = [c for c in line.split("\t") if c]
        bad = [c for c in chars if len(c) != 1 or not ("\u4e00" <= c <= "\u9fff")]
        if bad:
            problems.append(f"{path}:{n}: 每组应为用制表符分隔的单个汉字，实有“{'、'.join(bad)}”")
            continue
        if len(set(chars)) < 2:
            problems.append(f"{path}:{n}: 一组至少要有两个不同的字")
            continue
        groups.append(tuple(chars))
    return groups, problems


@lru_cache(maxsize=1)
def _shape_index() -> dict[str, frozenset[str]]:
    groups, _ = read_shape_groups(RULES_DIR / SHAPE_FILE)
    out: dict[str, set[str]] = {}
    for g in groups:
        for c in g:
            out.setdefault(c, set()).update(x for x in g if x != c and _common(x))
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=8192)
def confusables(c: str) -> tuple[str, ...]:
    """Common characters that sound like ``c`` (any tone) or look like it."""
    by_sound, sounds = _sound_groups()
    out = dict.fromkeys(x for s in sounds.get(c, ()) for x in by_sound.get(s, ()) if x != c)
    out.update(dict.fromkeys(_shape_index().get(c, ())))
    return tuple(out)


KNOWN_WORD_FREQ = 1000


class Scorer:
    """Best-segmentation log-probability under jieba's dictionary."""

    def __init__(self, jieba_module, known_words: Iterable[str] = ()) -> None:
        # The genre's own words that jieba lacks count as common words: added to jieba's dictionary (as
        # jieba.add_word does, prefixes included), so segmentation knows them too.
        freq = jieba_module.dt.FREQ
        for w in known_words:
            if (freq.get(w) or 0) < KNOWN_WORD_FREQ:
                jieba_module.add_word(w, KNOWN_WORD_FREQ)
        self.freq = freq
        self.log_total = math.log(jieba_module.dt.total)

    def best(self, text: str) -> float:
        n, freq, lt = len(text), self.freq, self.log_total
        route = [0.0] * (n + 1)
        for i in range(n - 1, -1, -1):
            best = -lt + route[i + 1] + (math.log(freq.get(text[i], 0) or 1))
            for j in range(i + 2, min(n, i + _MAXW) + 1):
                f = freq.get(text[i:j])
                if f is None:
                    break  # jieba keeps every prefix of a word (with 0): nothing longer starts here
                if f:
                    s = math.log(f) - lt + route[j]
                    if s > best:
                        best = s
            route[i] = best
        return route[0]


@lru_cache(maxsize=4)
def _known_pattern(words: tuple[str, ...]):
    import re

    return re.compile("|".join(map(re.escape, words))) if words else None


def find_slips(run: str, tokens: Sequence[tuple[int, int]], scorer: Scorer,
               skip: Iterable[int] = (), known_words: Iterable[str] = ()) -> list[Slip]:
    """Probable wrong characters in one run of Han characters, segmented as ``tokens`` (spans)."""
    freq = scorer.freq
    skip = set(skip)
    rx = _known_pattern(tuple(sorted(set(known_words), key=len, reverse=True))) if known_words else None
    if rx is not None:  # never question a character of the genre's own words
        for m in rx.finditer(run):
            skip.update(range(m.start(), m.end()))
    out: list[Slip] = []
    n = len(run)
    for ts, te in tokens:
        length = te - ts
        word = run[ts:te]
        stop = False
        if length == 1:
            if ts in skip:
                continue
            if word in _NEVER:
                continue
            stop = word in _STOP
            positions = (ts,)
            rare = False
        elif length <= 4 and (freq.get(word) or 0) <= RARE_WORD_FREQ:
            positions = tuple(i for i in range(ts, te) if i not in skip)
            rare = True
        else:
            continue
        best: Slip | None = None
        for i in positions:
            c = run[i]
            for alt in confusables(c):
                if rare:
                    new = word[:i - ts] + alt + word[i - ts + 1:]
                    f = freq.get(new) or 0
                    if f >= MIN_WORD_FREQ and f >= RARE_RATIO * max(1, freq.get(word) or 0):
                        gain = math.log(f / max(1, freq.get(word) or 0))
                        if best is None or gain > best.gain:
                            best = Slip(i, c, alt, new, gain)
                    continue
                for s in range(max(0, i - 3), i + 1):
                    head = run[s:i] + alt
                    if freq.get(head) is None:
                        continue  # jieba keeps every prefix of its words: no word starts so
                    for e in range(i + 2 if s == i else i + 1, min(n, s + 4) + 1):
                        new = head + run[i + 1:e]
                        f = freq.get(new)
                        if f is None:
                            break
                        if f < MIN_WORD_FREQ or e - s < 2:
                            continue
                        a, b = max(0, s - _CONTEXT), min(n, e + _CONTEXT)
                        before = run[a:b]
                        after = run[a:i] + alt + run[i + 1:b]
                        gain = scorer.best(after) - scorer.best(before)
                        # a longer word is stronger evidence; a function word needs more of it
                        need = MIN_GAIN - LONG_WORD_BONUS * (e - s - 2) + (STOP_PENALTY if stop else 0)
                        if gain >= need and (best is None or gain > best.gain):
                            best = Slip(i, c, alt, new, gain)
        if best is not None:
            out.append(best)
    return out


def find_swaps(run: str, tokens: Sequence[tuple[int, int]], scorer: Scorer, skip: Iterable[int] = ()) -> list[Slip]:
    """Two neighbouring characters in the wrong order (作工 → 工作): both stand alone in the segmentation,
    and in the other order they make a common word that reads far better in place."""
    freq, skip = scorer.freq, set(skip)
    singles = [ts for ts, te in tokens if te - ts == 1]
    out: list[Slip] = []
    for ts, te in tokens:  # a rare word whose reverse is a far commoner one (作工 → 工作)
        word = run[ts:te]
        if te - ts == 2 and ts not in skip and ts + 1 not in skip and (freq.get(word) or 0) <= RARE_WORD_FREQ:
            f = freq.get(word[::-1]) or 0
            if f >= SWAP_WORD_FREQ and f >= RARE_RATIO * max(1, freq.get(word) or 0):
                out.append(Slip(ts, word, word[::-1], word[::-1], math.log(f / max(1, freq.get(word) or 0))))
    for a, b in zip(singles, singles[1:]):
        if b != a + 1 or a in skip or b in skip or run[a] in _NEVER or run[b] in _NEVER or run[a] == run[b]:
            continue
        swapped = run[b] + run[a]
        if (freq.get(swapped) or 0) < SWAP_WORD_FREQ or freq.get(run[a:b + 1]):
            continue
        lo, hi = max(0, a - _CONTEXT), min(len(run), b + 1 + _CONTEXT)
        gain = scorer.best(run[lo:a] + swapped + run[b + 1:hi]) - scorer.best(run[lo:hi])
        if gain >= MIN_GAIN:
            out.append(Slip(a, run[a:b + 1], swapped, swapped, gain))
    return out


if __name__ == "__main__":  # python -m generator.typos sound-groups: remake the shipped sound table
    import sys

    if sys.argv[1:] != ["sound-groups"]:
        raise SystemExit("用法：python -m generator.typos sound-groups")
    write_sound_groups(RULES_DIR / SOUND_FILE)
