"""Wrong-character detection for the checker (DG801).

A character is reported as a probable slip when the text around it reads badly while putting a similar-
sounding or similar-looking character in its place reads as a common word: 拼博 → 拼搏, 总休方案 → 总体方案.
"Reads badly / well" is the unigram log-probability of the best segmentation under jieba's own dictionary
and frequencies, so the judgement comes from well-kept data rather than from hand-picked pairs:

- sound: characters sharing a pinyin syllable, with or without its tone, or one fuzzy step away (z/zh,
  n/l, an/ang…) (``phrasebank/rules/sound-groups.txt``, made from pypinyin's character table);
- shape: the groups of look-alike characters in ``phrasebank/rules/shape-similar.txt``;
- words: jieba's dictionary (``jieba.dt.FREQ``), loaded once by the checker's segmenter.

Only characters that stand alone in the segmentation (or inside a rare word) are questioned, and only
replacements by common characters (GB2312 level 1). Each replacement is scored as a noisy channel would:
the gain in segmentation log-probability minus the cost of writing the wrong character for the meant one
(``CHANNEL``). ``THRESHOLD`` was chosen on our own clean text with random slips put in
(``benchmarks/typo_dev.py``), never on an error corpus. Everything here is imported lazily: a clean
generated draft never gets this far.
"""

from __future__ import annotations

import math
import re
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
_NUMERALS = set("〇零一二三四五六七八九十百千万亿两")
_NEVER = set("的了在是和与及也就都而把被对从向为以于等之其这那个不地得着过所我你他她们它")

# Thresholds, in natural-log units of the segmentation probability (see module docstring). THRESHOLD is
# the highest-recall setting that flags at most 0.5% of the clean sentences of benchmarks/typo_dev.py
# (the bank's entries, the corrected samples, generated drafts, with slips put in from the same data).
MIN_GAIN = 9.5  # two neighbours swapped (find_swaps)
THRESHOLD = 5.0  # a wrong character: gain minus channel cost (find_slips)
MIN_WORD_FREQ = 20
RARE_WORD_FREQ = 30
RARE_RATIO = 300
LONG_WORD_BONUS = 0.5
STOP_PENALTY = 3.0
SWAP_WORD_FREQ = 500
_MAXW = 6
_CONTEXT = 3
_WINDOW = 5


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


_TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def _toneless(syllable: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(ch))


def _toned(syllable: str) -> str:
    """zhōng → zhong1; a syllable without a mark (the neutral tone) gets 5."""
    marks = [ch for ch in unicodedata.normalize("NFD", syllable) if ch in _TONE_MARKS]
    return _toneless(syllable) + (_TONE_MARKS[marks[0]] if marks else "5")


def sound_groups_from_pypinyin() -> list[tuple[str, str]]:
    """(syllable with its tone number, its GB2312 characters) from pypinyin's character table, in a stable order.

    This is how ``phrasebank/rules/sound-groups.txt`` is made; the file is shipped so that checking needs
    neither pypinyin's import (its package loads a large phrase table) nor this pass, and a test keeps it
    equal to what the installed pypinyin gives."""
    from pypinyin.pinyin_dict import pinyin_dict

    by_sound: dict[str, list[str]] = {}
    for code in sorted(pinyin_dict):
        c = chr(code)
        if not (0x4E00 <= code <= 0x9FFF) or not _gb2312(c):
            continue
        for syllable in dict.fromkeys(_toned(r) for r in pinyin_dict[code].split(",")):
            by_sound.setdefault(syllable, []).append(c)
    return sorted((k, "".join(v)) for k, v in by_sound.items())


def write_sound_groups(path: Path) -> None:
    lines = [SOUND_HEADER] + [f"{k}\t{v}" for k, v in sound_groups_from_pypinyin()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


SOUND_HEADER = ("# 同音字组（DG801 错别字检测用）：每行一个带声调数字的拼音（zhong1，轻声为 5）和读这个音的 GB2312 汉字，"
                "用制表符分隔。\n"
                "# 由 pypinyin 的汉字拼音表生成（MIT 授权，Copyright (c) 2016 mozillazg, 闲耘），不要手改：\n"
                "# python -m generator.typos sound-groups")

_SYLLABLE = re.compile(r"[a-z]+[1-5]")


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
        if not _SYLLABLE.fullmatch(syllable) or not chars:
            problems.append(f"{path}:{n}: 应为“带声调数字的拼音<制表符>汉字”，实为“{line[:20]}”")
            continue
        groups[syllable] = chars
    return groups, problems


# Sounds people mix up when typing by pinyin or speaking a dialect: flat and retroflex initials, n/l, f/h,
# front and back nasals. A character with such a sound is a weaker candidate than a true homophone.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def _fuzzy(syllable: str) -> set[str]:
    """Toneless syllables one fuzzy step from ``syllable`` (zhong → zong; lin → ling, nin)."""
    out = set()
    for a, b in _FUZZY_INITIALS:
        for x, y in ((a, b), (b, a)):
            if syllable.startswith(x) and not (x == "z" and syllable.startswith("zh")) and \
                    not (x == "c" and syllable.startswith("ch")) and not (x == "s" and syllable.startswith("sh")):
                out.add(y + syllable[len(x):])
    for a, b in _FUZZY_FINALS:
        for x, y in ((a, b), (b, a)):
            if syllable.endswith(x):
                out.add(syllable[:-len(x)] + y)
    out.discard(syllable)
    return out


@lru_cache(maxsize=1)
def _sound_groups() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """toned syllable → common characters, and character → its toned syllables."""
    groups, _ = read_sound_groups(RULES_DIR / SOUND_FILE)
    by_sound: dict[str, tuple[str, ...]] = {}
    sounds: dict[str, list[str]] = {}
    for syllable, chars in groups.items():
        by_sound[syllable] = tuple(c for c in chars if _common(c))
        for c in chars:
            sounds.setdefault(c, []).append(syllable)
    return by_sound, {c: tuple(v) for c, v in sounds.items()}


@lru_cache(maxsize=1)
def _toneless_groups() -> dict[str, tuple[str, ...]]:
    by_sound, _ = _sound_groups()
    out: dict[str, dict[str, None]] = {}
    for syllable, chars in by_sound.items():
        out.setdefault(syllable[:-1], {}).update(dict.fromkeys(chars))
    return {k: tuple(v) for k, v in out.items()}


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


# The noisy channel: how likely a writer who meant one character puts down another of each kind. A prior, not
# fitted to any error corpus: a wrong character typed by pinyin is mostly a homophone of the same tone, less
# often of another tone or a near sound; a handwritten or OCR slip is a look-alike. Within a kind each
# character is equally likely, so a big homophone group (shi4, yi4) makes each of its members less likely.
CHANNEL = {"tone": 0.5, "sound": 0.2, "fuzzy": 0.1, "shape": 0.2}


@lru_cache(maxsize=4096)
def _sound_channel(mine: tuple[str, ...]) -> dict[str, float]:
    """P(written | meant) by sound alone, for a written character read as ``mine``; shared by every
    character with the same readings."""
    by_sound, _ = _sound_groups()
    toneless = _toneless_groups()
    prob: dict[str, float] = {}

    def add(group: tuple[str, ...], p: float) -> None:
        for alt in group:
            if p > prob.get(alt, 0.0):
                prob[alt] = p

    for s in mine:
        group = by_sound.get(s, ())
        add(group, CHANNEL["tone"] / max(1, len(group)))
    for base in dict.fromkeys(s[:-1] for s in mine):
        group = toneless.get(base, ())
        add(group, CHANNEL["sound"] / max(1, len(group)))
        for near in sorted(_fuzzy(base)):
            group = toneless.get(near, ())
            add(group, CHANNEL["fuzzy"] / max(1, len(group)))
    return prob


@lru_cache(maxsize=8192)
def channel(c: str) -> tuple[tuple[str, float], ...]:
    """(character the writer may have meant, cost) for a written ``c``: cost is -log P(c written | meant)."""
    _, sounds = _sound_groups()
    shape = _shape_index()
    prob = dict(_sound_channel(sounds.get(c, ())))
    for alt in sorted(shape.get(c, ())):  # a stable order: ties go the same way in every process
        p = CHANNEL["shape"] / max(1, len(shape.get(alt, ())))
        if p > prob.get(alt, 0.0):
            prob[alt] = p
    prob.pop(c, None)
    # Numbers are the writer's facts: 提三点 is never 十三点.
    return tuple((alt, -math.log(p)) for alt, p in prob.items() if alt not in _NUMERALS)


def confusables(c: str) -> tuple[str, ...]:
    """Common characters that sound like ``c`` (any tone, or a near sound) or look like it."""
    return tuple(alt for alt, _ in channel(c))


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
               skip: Iterable[int] = (), known_words: Iterable[str] = (), threshold: float | None = None) -> list[Slip]:
    """Probable wrong characters in one run of Han characters, segmented as ``tokens`` (spans).

    Each character standing alone or inside a rare word is tried against every character it may be a slip
    for; the score is the gain in segmentation log-probability of the neighbourhood minus the channel cost
    (see ``CHANNEL``). ``threshold`` (default ``THRESHOLD``) is the score a slip must reach."""
    threshold = THRESHOLD if threshold is None else threshold
    freq = scorer.freq
    skip = set(skip)
    rx = _known_pattern(tuple(sorted(set(known_words), key=len, reverse=True))) if known_words else None
    if rx is not None:  # never question a character of the genre's own words
        for m in rx.finditer(run):
            skip.update(range(m.start(), m.end()))
    n = len(run)
    found: list[Slip] = []
    for ts, te in tokens:
        length = te - ts
        word = run[ts:te]
        if length == 1:
            if ts in skip or word in _NEVER:
                continue
        elif length > 4 or (freq.get(word) or 0) > RARE_WORD_FREQ:
            continue
        for i in range(ts, te):
            if i in skip:
                continue
            c = run[i]
            penalty = STOP_PENALTY if c in _STOP else 0.0
            a, b = max(0, i - _WINDOW), min(n, i + _WINDOW + 1)
            before = None
            best: Slip | None = None
            # jieba keeps every prefix of its words (with 0): a word can start at s only if run[s:i] is one
            starts = [(i - s, run[s:i]) for s in range(max(0, i - 3), i) if freq.get(run[s:i]) is not None]
            tails = [run[i + 1:e] for e in range(i + 1, min(n, i + _MAXW) + 1)]
            nxt = tails[1] if len(tails) > 1 else ""
            for alt, cost in channel(c):
                longest, made = 0, ""
                for k, left in starts:
                    head = left + alt
                    if freq.get(head) is None:
                        continue
                    for tail in tails[:_MAXW - k]:
                        new = head + tail
                        f = freq.get(new)
                        if f is None:
                            break
                        if f >= MIN_WORD_FREQ and len(new) > longest:
                            longest, made = len(new), new
                if nxt and freq.get(alt + nxt) is not None:  # a word starting with the replacement
                    for tail in tails[1:]:
                        new = alt + tail
                        f = freq.get(new)
                        if f is None:
                            break
                        if f >= MIN_WORD_FREQ and len(new) > longest:
                            longest, made = len(new), new
                if not longest:
                    continue
                if before is None:
                    before = scorer.best(run[a:b])
                gain = scorer.best(run[a:i] + alt + run[i + 1:b]) - before
                # a word made only with function words around the replacement (为的是) is weak evidence
                weak = STOP_PENALTY if all(x in _NEVER for x in made.replace(alt, "", 1)) else 0.0
                score = gain - cost - penalty - weak + LONG_WORD_BONUS * (min(longest, 4) - 2)
                if score >= threshold and (best is None or score > best.gain):
                    best = Slip(i, c, alt, made, score)
            if best is not None:
                found.append(best)
    # A slip also makes its neighbours look wrong (a word can be formed around them too): keep the
    # strongest of any two within two characters.
    found.sort(key=lambda x: -x.gain)
    out: list[Slip] = []
    for slip in found:
        if all(abs(slip.start - o.start) > 2 for o in out):
            out.append(slip)
    return sorted(out, key=lambda x: x.start)


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
