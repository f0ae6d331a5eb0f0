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

# Thresholds, in natural-log units of the segmentation probability (see module docstring). THRESHOLD (with
# PAIR_BONUS) is the highest-recall setting of benchmarks/typo_dev.py (half the bank's entries and the
# corrected samples, slips put in from the same data) that flags at most 0.5% of its clean sentences and
# at most 0.5% of its slipped ones somewhere else; PAIR_THRESHOLD the lowest that adds no false alarm.
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
    gain: float  # the score (find_slips, find_word_slips) or the gain (find_swaps)
    kind: str = "char"  # "word": a common word written for a sound-alike one (find_word_slips); "pair": two
    # neighbouring characters for a sound-alike word (find_pair_slips), ``wrong`` and ``right`` two characters each;
    # "lm" and "lmpair": the same two kinds judged by the n-gram context (find_context_slips, find_context_pair_slips)


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
    table = _kept_tables()
    if table is None:
        return _channel_of(c)
    alts, costs, _, _ = table["channel"].get(c, _NO_CHANNEL)
    values = table["costs"]
    return tuple((alt, values[ord(k)]) for alt, k in zip(alts, costs))


@lru_cache(maxsize=8192)
def sound_costs(c: str) -> dict[str, float]:
    """meant character → cost, as in ``channel``, for the sound-alikes of a written ``c`` only."""
    table = _kept_tables()
    if table is None:
        return _sound_costs_of(c)
    _, _, alts, costs = table["channel"].get(c, _NO_CHANNEL)
    values = table["costs"]
    return {alt: values[ord(k)] for alt, k in zip(alts, costs)}


_NO_CHANNEL = ("", "", "", "")  # a character in no sound or shape group: nothing to mistake it for
_TABLES_FORMAT = b"typo-tables 2"


@lru_cache(maxsize=1)
def _kept_tables() -> dict | None:
    """Every character's channel and sound costs, and its toneless readings, worked out once per machine and kept
    in the user's cache under the digest of the sound and shape files and of this module (working them out for
    the thousand characters of a long text cost a check a tenth of a second). A cost is one of a few hundred
    values (a kind's probability over a group's size), so each is kept as its place in the list of them, a
    character: the file stays small and loads fast. None when caching is off."""
    import hashlib
    import marshal
    import os

    from . import diskcache

    if os.environ.get("DRAFTGEN_NO_CACHE"):
        return None
    h = hashlib.sha256(_TABLES_FORMAT + f"|{marshal.version}".encode())
    try:
        for path in (RULES_DIR / SOUND_FILE, RULES_DIR / SHAPE_FILE, Path(__file__)):
            h.update(b"\0" + path.read_bytes())
    except OSError:
        return None
    digest = h.hexdigest()
    name = f"typotables-{digest[:12]}.marshal"
    blob = diskcache.read(name, digest)
    if blob is not None:
        try:
            table = marshal.loads(blob)
            if isinstance(table, dict) and isinstance(table.get("channel"), dict) and \
                    isinstance(table.get("toneless"), dict) and isinstance(table.get("costs"), list):
                return table
        except (ValueError, EOFError, TypeError):
            pass  # damaged: made afresh, and the write replaces it
    _, sounds = _sound_groups()
    places: dict[float, str] = {}

    def packed(costs) -> str:
        return "".join(places.setdefault(cost, chr(len(places))) for cost in costs)

    chan = {}
    for c in sorted(set(sounds) | set(_shape_index())):
        pairs, by_sound = _channel_of(c), _sound_costs_of(c)
        chan[c] = ("".join(alt for alt, _ in pairs), packed(cost for _, cost in pairs), "".join(by_sound),
                   packed(by_sound.values()))
    table = {"channel": chan, "toneless": _toneless_by_char_of(), "costs": list(places)}
    diskcache.write(name, digest, marshal.dumps(table))
    return table


def _channel_of(c: str) -> tuple[tuple[str, float], ...]:
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


def _sound_costs_of(c: str) -> dict[str, float]:
    prob = _sound_channel(_sound_groups()[1].get(c, ()))
    return {alt: -math.log(p) for alt, p in prob.items() if alt != c and alt not in _NUMERALS}


@lru_cache(maxsize=8192)
def _channel_alts(c: str) -> dict[str, int]:
    """The characters of ``channel(c)``, each with its place in it: the rules intersect its keys with a
    neighbour's followers (in C) and keep the few they find in the channel's order. (A dict of strings and
    numbers, which the garbage collector does not track, where a set would be walked on every collection.)"""
    return {alt: k for k, (alt, _) in enumerate(channel(c))}


def confusables(c: str) -> tuple[str, ...]:
    """Common characters that sound like ``c`` (any tone, or a near sound) or look like it."""
    return tuple(alt for alt, _ in channel(c))


KNOWN_WORD_FREQ = 1000
_ROUTES_KEPT = 100_000  # written windows whose segmentation a Scorer keeps (a few per character checked)


def two_char_keys(freq: dict) -> tuple[dict[str, str], dict[str, str]]:
    """The dictionary's two-character keys (words and prefixes of longer words): first character → the
    characters seen after it, and second character → those seen before it, run together."""
    after: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    for w in freq:
        if len(w) == 2:
            after.setdefault(w[0], []).append(w[1])
            before.setdefault(w[1], []).append(w[0])
    return {k: "".join(v) for k, v in after.items()}, {k: "".join(v) for k, v in before.items()}


class Scorer:
    """Best-segmentation log-probability under jieba's dictionary."""

    def __init__(self, jieba_module, known_words: Iterable[str] = (),
                 two_char: tuple[dict[str, str], dict[str, str]] | None = None) -> None:
        """``two_char``: ``two_char_keys`` of the dictionary as it is now, if already at hand."""
        # The genre's own words that jieba lacks count as common words: added to jieba's dictionary (as
        # jieba.add_word does, prefixes included), so segmentation knows them too.
        freq = jieba_module.dt.FREQ
        added = []
        for w in known_words:
            if (freq.get(w) or 0) < KNOWN_WORD_FREQ:
                jieba_module.add_word(w, KNOWN_WORD_FREQ)
                added.append(w)
        self.freq = freq
        self.log_total = math.log(jieba_module.dt.total)
        self._routes: dict[str, list[float]] = {}
        if two_char is None:
            self._after, self._before = two_char_keys(freq)
        else:  # the words just added bring their first two characters as a key
            self._after, self._before = dict(two_char[0]), dict(two_char[1])
            for w in added:
                if len(w) >= 2:
                    self._after[w[0]] = self._after.get(w[0], "") + w[1]
                    self._before[w[1]] = self._before.get(w[1], "") + w[0]
        # made once per character, as dicts of strings rather than sets (see charlm.CharLM.seen_after_set)
        self._after_sets: dict[str, dict[str, None]] = {}
        self._before_sets: dict[str, dict[str, None]] = {}

    def followers(self, c: str):
        """The characters x for which c + x is a key of the dictionary (a word or the start of one), as a set
        (the keys of a dict)."""
        got = self._after_sets.get(c)
        if got is None:
            got = self._after_sets[c] = dict.fromkeys(self._after.get(c, ""))
        return got.keys()

    def leaders(self, c: str):
        """The characters x for which x + c is a key of the dictionary, as a set (the keys of a dict)."""
        got = self._before_sets.get(c)
        if got is None:
            got = self._before_sets[c] = dict.fromkeys(self._before.get(c, ""))
        return got.keys()

    def best(self, text: str) -> float:
        route = [0.0] * (len(text) + 1)
        self._fill(text, route, len(text))
        return route[0]

    def route(self, text: str) -> list[float]:
        """route[k]: the best log-probability of segmenting text[k:] (route[0] is ``best(text)``). The written
        windows are kept: each is asked for once per candidate place, by more than one rule. The list is
        shared, not to be changed."""
        route = self._routes.get(text)
        if route is None:
            if len(self._routes) >= _ROUTES_KEPT:
                self._routes.clear()
            route = self._routes[text] = [0.0] * (len(text) + 1)
            self._fill(text, route, len(text))
        return route

    def best_replaced(self, text: str, route: list[float], end: int) -> float:
        """``best(text)`` for a text as long as the one ``route`` was made for and the same from ``end`` on:
        the segmentation of what follows ``end`` is the same, so only the positions before it are worked out."""
        new = route[:]
        self._fill(text, new, end)
        return new[0]

    def _fill(self, text: str, route: list[float], end: int) -> None:
        """route[k] for every k before ``end``, from route[end:]."""
        n, freq, lt = len(text), self.freq, self.log_total
        for i in range(end - 1, -1, -1):
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


@lru_cache(maxsize=4)
def _known_pattern(words: tuple[str, ...]):
    """One alternation of ``words``, the longest first (cached by the words as given: the checker passes the
    same tuple for every run)."""
    import re

    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def known_positions(run: str, known_words: Iterable[str]) -> set[int]:
    """Positions inside the genre's own words (纠治, 急难愁盼): never questioned."""
    rx = _known_pattern(tuple(known_words)) if known_words else None
    return {i for m in rx.finditer(run) for i in range(m.start(), m.end())} if rx is not None else set()


def _genre_bonus(genre: "Genre", ends: dict[int, str], begins: dict[int, str], at: int, end: int, n: int,
                 word: str) -> float:
    """PAIR_BONUS × ln(1 + times the genre writes ``word`` next to its neighbours), when ``word`` (at ``at``..
    ``end`` of a run of ``n``) fits between the words around it without cutting one."""
    if not PAIR_BONUS or not (at == 0 or at in ends) or not (end == n or end in begins):
        return 0.0
    seen = genre.count(ends.get(at, ""), word) + genre.count(word, begins.get(end, ""))
    return PAIR_BONUS * math.log1p(seen)


def _apart(found: list[Slip]) -> list[Slip]:
    """A slip also makes its neighbours look wrong (a word can be formed around them too): of any two within
    two characters, the stronger; in the order of the text."""
    kept: list[Slip] = []
    for slip in sorted(found, key=lambda x: -x.gain):
        if all(abs(slip.start - o.start) > 2 for o in kept):
            kept.append(slip)
    return sorted(kept, key=lambda x: x.start)


def find_slips(run: str, tokens: Sequence[tuple[int, int]], scorer: Scorer,
               skip: Iterable[int] = (), known_words: Iterable[str] = (), threshold: float | None = None) -> list[Slip]:
    """Probable wrong characters in one run of Han characters, segmented as ``tokens`` (spans).

    Each character standing alone or inside a rare word is tried against every character it may be a slip
    for; the score is the gain in segmentation log-probability of the neighbourhood minus the channel cost
    (see ``CHANNEL``). ``threshold`` (default ``THRESHOLD``) is the score a slip must reach."""
    threshold = THRESHOLD if threshold is None else threshold
    freq = scorer.freq
    skip = set(skip) | known_positions(run, known_words)  # never question a character of the genre's own words
    n = len(run)
    found: list[Slip] = []
    genre = _genre() if PAIR_BONUS else None
    ends = {te: run[ts:te] for ts, te in tokens}  # the word ending at, or beginning at, a position
    begins = {ts: run[ts:te] for ts, te in tokens}
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
            # A replacement can make a word only if it makes a key of the dictionary with what stands before or
            # after it. Most make none: the two-character keys rule them out without the large dictionary.
            alts = _channel_alts(c).keys()
            makes = alts & scorer.leaders(nxt) if nxt else set()
            for k, left in starts:
                if k == 1:
                    makes |= alts & scorer.followers(left)
                else:
                    makes.update(alt for alt in alts if freq.get(left + alt) is not None)
            for alt, cost in channel(c):
                if alt not in makes:
                    continue
                longest, made, made_at = 0, "", i
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
                            longest, made, made_at = len(new), new, i - k
                if nxt and freq.get(alt + nxt) is not None:  # a word starting with the replacement
                    for tail in tails[1:]:
                        new = alt + tail
                        f = freq.get(new)
                        if f is None:
                            break
                        if f >= MIN_WORD_FREQ and len(new) > longest:
                            longest, made, made_at = len(new), new, i
                if not longest:
                    continue
                if before is None:
                    route = scorer.route(run[a:b])
                    before = route[0]
                gain = scorer.best_replaced(run[a:i] + alt + run[i + 1:b], route, i + 1 - a) - before
                # a word made only with function words around the replacement (为的是) is weak evidence
                weak = STOP_PENALTY if all(x in _NEVER for x in made.replace(alt, "", 1)) else 0.0
                score = gain - cost - penalty - weak + LONG_WORD_BONUS * (min(longest, 4) - 2)
                # the made word fits between its neighbours, and the genre writes it next to them
                score += _genre_bonus(genre, ends, begins, made_at, made_at + longest, n, made)
                if score >= threshold and (best is None or score > best.gain):
                    best = Slip(i, c, alt, made, score)
            if best is not None:
                found.append(best)
    return _apart(found)


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


# ---------------------------------------------------------------- two neighbouring characters, one sound-alike word

# A pinyin input method offers whole words: a writer who picks the wrong candidate puts down two characters that
# are both wrong but sound like the meant word (强化 → 墙画). Trying one character at a time never finds these: the
# other wrong character is still there. So a pair of neighbouring characters is tried against the dictionary's
# words of the same sound (toneless syllables; any reading of the written characters), looked up in the shipped
# index ``rules/sound-words.txt`` (jieba's words as pypinyin reads them), kept in the user's cache once read.
SOUND_WORD_FREQ = 20  # the index holds the dictionary's two-character words at least this common
PAIR_SLIP_THRESHOLD = 6.5  # find_pair_slips: gain less costs (plus the genre's evidence); see benchmarks/typo_dev.py
PAIR_WORD_COST = 4.0  # find_pair_slips: the written pair is itself a common word (an input method's real-word slip)
PAIR_CHANNEL_WEIGHT = 0.5  # find_pair_slips: weight of the two characters' sound costs (as in ``channel``)
PAIR_OVER_ONE = 0.0  # find_pair_slips: how much better than changing one character the pair must read
_FAR = 20.0  # the cost of a reading the sound groups do not pair (never reached through the index)


SOUND_WORDS_FILE = "sound-words.txt"
SOUND_WORDS_HEADER = ("# 同音词索引（DG801 查“相邻两字写成同音的另一个词”用）：每行一个不带声调的双音节读音（用空格分隔）和 jieba 词典中"
                      "读这个音、词频不低于 {freq} 的双字词（按词频从高到低连写），用制表符分隔。\n"
                      "# 由 jieba 自带词典（MIT）和 pypinyin 的词语读音（MIT）生成，不要手改：\n"
                      "# python -m generator.typos sound-words")
_SOUND_LINE = re.compile(r"^([a-z]+ [a-z]+)\t((?:[\u4e00-\u9fff]{2})+)$", re.M)


@lru_cache(maxsize=1)
def _toneless_by_char() -> dict[str, tuple[str, ...]]:
    """character → its toneless syllables (every reading the sound groups give it)."""
    table = _kept_tables()
    return _toneless_by_char_of() if table is None else table["toneless"]


def _toneless_by_char_of() -> dict[str, tuple[str, ...]]:
    _, sounds = _sound_groups()
    return {c: tuple(dict.fromkeys(s[:-1] for s in v)) for c, v in sounds.items()}


def sound_words_from_dictionary(freq: dict[str, int]) -> list[tuple[str, str]]:
    """("syllable syllable", words run together) for the dictionary's common two-character words, each read as
    pypinyin reads the word (银行 yin hang, not xing), commonest first; how ``rules/sound-words.txt`` is made."""
    from pypinyin import Style, lazy_pinyin

    by_sound: dict[str, list[tuple[int, str]]] = {}
    for w, f in freq.items():
        if len(w) == 2 and f >= SOUND_WORD_FREQ and all(_gb2312(c) and "\u4e00" <= c <= "\u9fff" for c in w):
            syllables = lazy_pinyin(w, style=Style.NORMAL, errors="ignore")
            if len(syllables) == 2 and all(x.isascii() and x.isalpha() for x in syllables):
                by_sound.setdefault(" ".join(syllables).replace("ü", "v"), []).append((-f, w))
    return sorted((k, "".join(w for _, w in sorted(v))) for k, v in by_sound.items())


def write_sound_words(path: Path) -> None:
    from . import check

    freq = check._scorer().freq
    lines = [SOUND_WORDS_HEADER.format(freq=SOUND_WORD_FREQ)] + [f"{k}\t{v}" for k, v in sound_words_from_dictionary(freq)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_sound_words(path: Path) -> tuple[dict[str, str], list[str]]:
    """The index ("syllable syllable" → words run together) and any problems with the file, located file:line.
    A file that reads cleanly is kept in the user's cache under the digest of its bytes."""
    import hashlib
    import marshal

    from . import diskcache

    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return {}, [f"{path}: 无法读取（{e}）"]
    digest = hashlib.sha256(data).hexdigest()[:32]
    blob = diskcache.read("soundwords-" + digest[:12] + ".marshal", digest)
    if blob is not None:
        try:
            index = marshal.loads(blob)
            if isinstance(index, dict):
                return index, []
        except (ValueError, EOFError, TypeError):
            pass
    index = dict(_SOUND_LINE.findall(text))
    problems = []
    if len(index) != sum(1 for line in text.splitlines() if line.strip() and not line.startswith("#")):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not line.startswith("#") and not _SOUND_LINE.fullmatch(line):
                problems.append(f"{path}:{n}: 应为“两个不带声调的拼音<制表符>双字词连写”，实为“{line[:20]}”")
    if not problems:
        diskcache.write("soundwords-" + digest[:12] + ".marshal", digest, marshal.dumps(index))
    return index, problems


@lru_cache(maxsize=1)
def _sound_index() -> dict[str, str]:
    return read_sound_words(RULES_DIR / SOUND_WORDS_FILE)[0]


def sound_words(a: str, b: str) -> list[str]:
    """The common two-character words read like ``a`` + ``b`` (in any of their readings), commonest first."""
    return list(_sound_words(a, b))


@lru_cache(maxsize=65536)
def _sound_words(a: str, b: str) -> tuple[str, ...]:
    index = _sound_index()
    toneless = _toneless_by_char()
    out: dict[str, None] = {}
    for x in toneless.get(a, ()):
        for y in toneless.get(b, ()):
            run = index.get(f"{x} {y}", "")
            out.update(dict.fromkeys(run[i:i + 2] for i in range(0, len(run), 2)))
    return tuple(out)


def find_pair_slips(run: str, tokens: Sequence[tuple[int, int]], scorer: Scorer, skip: Iterable[int] = (),
                    threshold: float | None = None) -> list[Slip]:
    """Two neighbouring wrong characters that together sound like a common word (墙画 → 强化): the pair is a
    word of its own in the segmentation, or both characters stand alone (or inside rare words); replacing both
    by the word reads far better in place. A pair that is itself a common word needs ``PAIR_WORD_COST`` more."""
    threshold = PAIR_SLIP_THRESHOLD if threshold is None else threshold
    freq, skip, n = scorer.freq, set(skip), len(run)
    loose = set()  # positions standing alone or inside a rare word
    pairs = set()  # starts of two-character tokens
    for ts, te in tokens:
        if te - ts == 1 or (te - ts <= 4 and (freq.get(run[ts:te]) or 0) <= RARE_WORD_FREQ):
            loose.update(range(ts, te))
        if te - ts == 2:
            pairs.add(ts)
    genre = _genre() if PAIR_BONUS else None
    ends = {te: run[ts:te] for ts, te in tokens}
    begins = {ts: run[ts:te] for ts, te in tokens}
    out: list[Slip] = []
    for i in range(n - 1):
        a, b = run[i], run[i + 1]
        if i in skip or i + 1 in skip or a in _NEVER or b in _NEVER or a in _NUMERALS or b in _NUMERALS:
            continue
        if not (i in pairs or (i in loose and i + 1 in loose)):
            continue
        if genre is not None and genre.writes(run[i:i + 2]):
            continue  # the genre's own word, even where jieba lacks it
        written = freq.get(run[i:i + 2]) or 0
        before = None
        best: Slip | None = None
        one = 0.0  # the best gain with one character changed: if that reads as well, it is find_slips' case
        cost_a, cost_b = sound_costs(a), sound_costs(b)
        for w in sound_words(a, b):
            if w == run[i:i + 2]:
                continue
            if before is None:
                lo, hi = max(0, i - _WINDOW), min(n, i + 2 + _WINDOW)
                route = scorer.route(run[lo:hi])
                before = route[0]
            gain = scorer.best_replaced(run[lo:i] + w + run[i + 2:hi], route, i + 2 - lo) - before
            if w[0] == a or w[1] == b:
                one = max(one, gain)
                continue
            cost = PAIR_CHANNEL_WEIGHT * (cost_a.get(w[0], _FAR) + cost_b.get(w[1], _FAR))
            score = gain - cost - (PAIR_WORD_COST if written > RARE_WORD_FREQ else 0.0)
            score += _genre_bonus(genre, ends, begins, i, i + 2, n, w)
            if score >= threshold and (best is None or score > best.gain):
                best = Slip(i, run[i:i + 2], w, w, score, "pair")
        if best is not None and best.gain - one >= PAIR_OVER_ONE:
            out.append(best)
    return _apart(out)


# ---------------------------------------------------------------- the genre's word pairs

# A common word written for another that sounds the same (真相 → 真想, 机制 → 机智) is a word either way, so the
# dictionary alone cannot tell; the words around it can. The pairs of neighbouring words in the bank (our own
# writing: ``python -m generator.typos genre-bigrams`` counts them into ``rules/genre-bigrams.txt``) say which
# word this genre puts after 服务 or before 作用.
GENRE_FILE = "genre-bigrams.txt"
GENRE_HEADER = ("# 本类文稿的相邻词对（DG801 查“同音的另一个词”用）：每行“前一个词<制表符>后一个词<制表符>次数”。\n"
                "# 由词库条目（phrasebank/*.yaml 的 text）按 jieba 分词统计，不要手改；词库改动较多后重新生成：\n"
                "# python -m generator.typos genre-bigrams")
PAIR_WEIGHT = 2.0  # log-count of the genre's pairs the replacement makes, against the dictionary's evidence
PAIR_THRESHOLD = 1.0
PAIR_BONUS = 4.0  # find_slips: per ln(1 + times the genre writes the made word next to its neighbour)


_PAIR_LINE = re.compile(r"^([^\t#\n][^\t\n]*)\t([^\t\n]+)\t(\d+)$", re.M)


def read_genre_bigrams(path: Path) -> tuple[dict[str, int], list[str]]:
    """The pairs ("word<tab>word" → count) and any problems with the file, each located ``file:line``."""
    pairs, _, problems, _ = _load_genre(str(path))
    return pairs, problems


_GENRE_CACHE_FORMAT = b"draftgen-genre 4\n"


@lru_cache(maxsize=4)
def _load_genre(path_name: str) -> tuple[dict[str, int], dict[str, str], list[str], set[str]]:
    """(pairs, index for ``Genre``, problems, two-character runs the genre writes: see ``joined_runs``). A file that reads cleanly is kept, indexed, in the user's cache
    folder under the digest of its bytes: indexing 24,000 pairs anew would cost every check a twentieth of a
    second. marshal holds plain data only, and only a file this user wrote is read."""
    import hashlib
    import marshal
    import os

    from .paths import cache_dir

    path = Path(path_name)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return {}, {}, [f"{path}: 无法读取（{e}）"], set()
    cached = cache_dir() / f"genre-{hashlib.sha256(_GENRE_CACHE_FORMAT + data).hexdigest()[:32]}.marshal"
    if not os.environ.get("DRAFTGEN_NO_CACHE"):
        try:
            with open(cached, "rb") as f:
                if (not hasattr(os, "getuid") or os.fstat(f.fileno()).st_uid == os.getuid()) and \
                        f.read(len(_GENRE_CACHE_FORMAT)) == _GENRE_CACHE_FORMAT:
                    pairs, around, joined = marshal.loads(f.read())  # far faster than marshal.load(f)
                    if isinstance(pairs, dict) and isinstance(around, dict) and isinstance(joined, set):
                        return pairs, around, [], joined
        except Exception:  # missing, foreign or corrupt: read the text, and write the cache anew
            pass
    found = _PAIR_LINE.findall(text)  # one pass over the whole file; lines only when something is wrong
    # Only pairs with a two-character word are ever looked up (find_word_slips)
    pairs = {f"{a}\t{b}": int(n) for a, b, n in found if len(a) == 2 or len(b) == 2}
    problems = []
    if len(found) != sum(1 for line in text.splitlines() if line.strip() and not line.startswith("#")):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not line.startswith("#") and not _PAIR_LINE.fullmatch(line):
                problems.append(f"{path}:{n}: 应为“词<制表符>词<制表符>次数”，实为“{line[:20]}”")
    around = _index_pairs(pairs)
    joined = joined_runs((a, b) for a, b, _ in found)
    if not problems and not os.environ.get("DRAFTGEN_NO_CACHE"):
        from .diskcache import replace

        replace(cached, _GENRE_CACHE_FORMAT + marshal.dumps((pairs, around, joined)), prefix=".genre-")
    return pairs, around, problems, joined


def joined_runs(pairs: Iterable[tuple[str, str]]) -> set[str]:
    """The two-character runs the genre writes: its two-character words, and two single characters side by side
    (a word of the genre that jieba lacks, such as 楼栋 or 树牢, is cut into two single characters)."""
    out = set()
    for a, b in pairs:
        if len(a) == 1 and len(b) == 1:
            out.add(a + b)
        out.update(w for w in (a, b) if len(w) == 2)
    return out


def _index_pairs(pairs: dict[str, int]) -> dict[str, str]:
    """"neighbour<tab>kept character<side>" → the two-character words seen there, run together: side 0/1 after
    the neighbour keeping its first/second character, 2/3 before it. Flat strings, so that the cached index
    loads fast."""
    around: dict[str, list[str]] = {}
    for key in sorted(pairs):  # a stable order: ties go the same way in every process
        a, b = key.split("\t")
        if len(b) == 2:
            around.setdefault(f"{a}\t{b[0]}0", []).append(b)
            around.setdefault(f"{a}\t{b[1]}1", []).append(b)
        if len(a) == 2:
            around.setdefault(f"{b}\t{a[0]}2", []).append(a)
            around.setdefault(f"{b}\t{a[1]}3", []).append(a)
    return {k: "".join(v) for k, v in around.items()}


def genre_bigrams_from_bank(directory: Path | None = None) -> list[tuple[str, str, int]]:
    """Neighbouring-word counts over every bank entry's text (placeholders break a run of words)."""
    from collections import Counter

    import yaml

    from . import check
    from .paths import PHRASEBANK_DIR

    check._scorer()  # the genre's own words segment as words
    counts: Counter = Counter()
    for path in sorted(Path(directory or PHRASEBANK_DIR).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries", []) if isinstance(data, dict) else []:
            text = entry.get("text") if isinstance(entry, dict) else None
            if isinstance(text, str):
                counts.update(bigrams_of(re.sub(r"\{\w+\}", "，", text)))
    return sorted((a, b, n) for (a, b), n in counts.items())


def bigrams_of(text: str) -> list[tuple[str, str]]:
    from . import check

    out = []
    for m in check._HAN_RUN.finditer(text):
        run = m.group(0)
        words = [run[s:e] for s, e in check._cut(run)]
        out += zip(words, words[1:])
    return out


def write_genre_bigrams(path: Path) -> None:
    lines = [GENRE_HEADER] + [f"{a}\t{b}\t{n}" for a, b, n in genre_bigrams_from_bank()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class Genre:
    """The genre's word pairs ("word<tab>word" → count), and the two-character words seen next to a word by
    that word and a character they keep: only a word differing from the written one in one character is a
    candidate."""

    def __init__(self, pairs: dict[str, int], around: dict[str, str] | None = None,
                 joined: set[str] | None = None) -> None:
        self.pairs = pairs
        self.around = _index_pairs(pairs) if around is None else around
        self.joined = joined_runs(k.split("\t") for k in pairs) if joined is None else joined

    def writes(self, run: str) -> bool:
        """Whether the genre writes these two characters side by side (as a word, or as two single ones)."""
        return run in self.joined

    def count(self, a: str, b: str) -> int:
        return self.pairs.get(f"{a}\t{b}", 0)

    def candidates(self, prev: str, word: str, nxt: str) -> list[str]:
        g = self.around.get
        run = (g(f"{prev}\t{word[0]}0", "") + g(f"{prev}\t{word[1]}1", "") + g(f"{nxt}\t{word[0]}2", "") +
               g(f"{nxt}\t{word[1]}3", ""))
        return list(dict.fromkeys(run[i:i + 2] for i in range(0, len(run), 2)))


@lru_cache(maxsize=1)
def _genre() -> Genre:
    pairs, around, _, joined = _load_genre(str(RULES_DIR / GENRE_FILE))
    return Genre(pairs, around, joined)


def find_word_slips(run: str, tokens: Sequence[tuple[int, int]], scorer: Scorer, skip: Iterable[int] = (),
                    threshold: float | None = None) -> list[Slip]:
    """A common two-character word written for a sound-alike one (机智 for 机制): the written word never
    stands next to its neighbours in the genre's own writing, the other one does."""
    threshold = PAIR_THRESHOLD if threshold is None else threshold
    genre, freq, skip = _genre(), scorer.freq, set(skip)
    words = [run[s:e] for s, e in tokens]
    out: list[Slip] = []
    for k, (ts, te) in enumerate(tokens):
        w = words[k]
        if te - ts != 2 or ts in skip or ts + 1 in skip or (freq.get(w) or 0) <= RARE_WORD_FREQ:
            continue  # a lone or rare word is find_slips' business
        prev = words[k - 1] if k else ""
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if genre.count(prev, w) or genre.count(w, nxt):
            continue  # the genre writes it so
        best: Slip | None = None
        for other in genre.candidates(prev, w, nxt):
            if other == w:
                continue
            j = 0 if other[0] != w[0] else 1
            cost = sound_costs(w[j]).get(other[j])  # an input method's slip sounds alike; shape plays no part
            f = freq.get(other) or 0
            if cost is None or f < MIN_WORD_FREQ:
                continue
            made = genre.count(prev, other) + genre.count(other, nxt)
            score = PAIR_WEIGHT * math.log1p(made) + math.log(f / freq[w]) - cost
            if score >= threshold and (best is None or score > best.gain):
                best = Slip(ts + j, w[j], other[j], other, score, "word")
        if best is not None:
            out.append(best)
    return out



# ---------------------------------------------------------------- a character that still makes a word: the context

# A wrong character that still forms a word with its neighbour (再/在, 做/作, 权利/权力, 走有 for 走在) reads
# well to the dictionary; the characters around it, in the running text of the genre, tell. A character
# trigram model counted from the bank (``charlm``) scores the window i−2..i+2 with the written character and
# with each it may be a slip for; the gain, less the channel's cost, plus the dictionary's segmentation gain
# at LM_SEGMENT_WEIGHT, must reach LM_THRESHOLD (two characters for a sound-alike word: LM_PAIR_THRESHOLD).
# Both chosen on the dev set (benchmarks/typo_dev.py --grid): the highest recall whose clean false alarms stay
# within a quarter point of the context rules off, short of the very edge (12.0/12.0 sits on it).
LM_THRESHOLD = 12.0
LM_PAIR_THRESHOLD = 12.5
LM_SEGMENT_WEIGHT = 0.5
LM_PAIR_CHANNEL_WEIGHT = 0.5  # a sound-alike word's two sound costs count half: the input method offers it whole
_LM_NEVER = set("的地得") | _NUMERALS  # never questioned: 的/地/得 have their own rule (DG803)
# Segmenting is the costly part, so only a candidate whose n-gram score reaches LM_NEED (two characters:
# LM_PAIR_NEED) is segmented. Fixed rather than tied to the thresholds, so that the dev set's sweep sees the
# candidates a check sees.
LM_NEED = 4.0
LM_PAIR_NEED = 5.0
BOS_EOS = ("^", "$")
# How far below the exact test a candidate is dropped early: rounding never drops one the test would keep.
_SLACK = 1e-6


def _lm():
    from . import charlm

    return charlm.model()


def context_candidates(run: str, lm, skip: Iterable[int] = (), need: float = -math.inf):
    """(position, written, candidate, n-gram gain, channel cost) for every questioned character and every
    candidate that has been seen next to one of its neighbours and whose gain less cost may reach ``need``
    (the gain is at most minus the written window's log-probability)."""
    s = BOS_EOS[0] + run + BOS_EOS[1]
    skip = set(skip)
    lps = None  # worked out at the first place with a candidate (in the genre's own prose a run may have none)
    span = lm.order
    for i, c in enumerate(run):
        if i in skip or c in _LM_NEVER:
            continue
        j = i + 1
        # 的/地/得 are offered too: leaving them out lost slips on the dev set and no false alarm
        place = _channel_alts(c)
        alts = place.keys()
        near = alts & lm.seen_after_set(s[j - 1]) | alts & lm.seen_before_set(s[j + 1])
        if not near:
            continue
        if lps is None:
            lps = lm.logprobs(s)
        base = sum(lps[j:j + span])
        room = -base - need  # a candidate costing more cannot reach need
        costs = channel(c)
        cands = [costs[k] for k in sorted(place[alt] for alt in near) if costs[k][1] <= room]
        if not cands:
            continue
        floors = [base + need + cost for _, cost in cands] if need != -math.inf else None
        for (alt, cost), lp in zip(cands, lm.arounds(s, j, [alt for alt, _ in cands], floors)):
            if lp is not None:
                yield i, c, alt, lp - base, cost


def context_pair_candidates(run: str, lm, skip: Iterable[int] = (), need: float = -math.inf, weight: float = 0.0,
                            skip_pairs: Iterable[int] = ()):
    """(position, written pair, sound-alike word, n-gram gain, the two characters' sound costs) for two
    neighbouring characters both replaced by a dictionary word read the same (the input method's wrong
    candidate: 墙画 for 强化), leaving out those whose gain less ``weight`` times the cost cannot reach ``need``,
    and the pairs starting at ``skip_pairs``."""
    s = BOS_EOS[0] + run + BOS_EOS[1]
    skip, skip_pairs = set(skip), set(skip_pairs)
    lps = None
    for i in range(len(run) - 1):
        a, b = run[i], run[i + 1]
        if i in skip or i + 1 in skip or i in skip_pairs or a in _LM_NEVER or b in _LM_NEVER:
            continue
        words = [w for w in _sound_words(a, b) if w[0] != a and w[1] != b]
        if not words:
            continue
        j = i + 1
        if lps is None:
            lps = lm.logprobs(s)
        base = sum(lps[j:j + 1 + lm.order])
        room = -base - need
        if room < 0:
            continue
        cost_a, cost_b = sound_costs(a), sound_costs(b)
        for w in words:
            cost = cost_a.get(w[0], _FAR) + cost_b.get(w[1], _FAR)
            if weight * cost > room:
                continue
            # a word whose window is sure to read too badly is left before its last factors are worked out
            lp = lm.around(s[:j] + w + s[j + 2:], j, 2, floor=base + need + weight * cost - _SLACK)
            if lp is not None:
                yield i, a + b, w, lp - base, cost


def find_context_pair_slips(run: str, tokens: Sequence[tuple[int, int]], scorer: Scorer, skip: Iterable[int] = (),
                            known_words: Iterable[str] = (), threshold: float | None = None, lm=None) -> list[Slip]:
    """Two neighbouring characters written for a dictionary word of the same sound, judged by the n-gram
    model and the dictionary's segmentation, as ``find_context_slips`` judges one character."""
    threshold = LM_PAIR_THRESHOLD if threshold is None else threshold
    lm = _lm() if lm is None else lm
    if lm is None:
        return []
    skip = set(skip) | known_positions(run, known_words)
    genre = _genre()
    # a pair the bank writes is the genre's own: never questioned, so its candidates are not even scored
    own = [i for i in range(len(run) - 1) if genre.writes(run[i:i + 2])]
    best: dict[int, Slip] = {}
    for i, ab, w, gain, cost in context_pair_candidates(run, lm, skip, LM_PAIR_NEED, LM_PAIR_CHANNEL_WEIGHT, own):
        score = gain - LM_PAIR_CHANNEL_WEIGHT * cost
        if score < LM_PAIR_NEED:
            continue
        score += LM_SEGMENT_WEIGHT * _segmentation_gain(scorer, run, i, ab, w)
        _keep_best(best, Slip(i, ab, w, w, score, "lmpair"), threshold)
    return _apart(list(best.values()))


def find_context_slips(run: str, tokens: Sequence[tuple[int, int]], scorer: Scorer, skip: Iterable[int] = (),
                       known_words: Iterable[str] = (), threshold: float | None = None, lm=None) -> list[Slip]:
    """Wrong characters that still make words: the n-gram model reads the window far better with a
    confusable character in place (see ``charlm``)."""
    threshold = LM_THRESHOLD if threshold is None else threshold
    lm = _lm() if lm is None else lm
    if lm is None:
        return []
    skip = set(skip) | known_positions(run, known_words)
    genre = _genre()
    # a character the bank writes next to either neighbour is the genre's own wording: never questioned, so
    # its candidates are not even scored (in the genre's own prose, that is most characters)
    skip.update(i for i in range(len(run)) if genre.writes(run[max(0, i - 1):i + 1]) or genre.writes(run[i:i + 2]))
    best: dict[int, Slip] = {}
    for i, c, alt, gain, cost in context_candidates(run, lm, skip, LM_NEED):
        score = gain - cost
        if score < LM_NEED:
            continue
        score += LM_SEGMENT_WEIGHT * _segmentation_gain(scorer, run, i, c, alt)
        _keep_best(best, Slip(i, c, alt, alt, score, "lm"), threshold)
    return _apart(list(best.values()))


def _segmentation_gain(scorer: Scorer, run: str, at: int, wrong: str, alt: str) -> float:
    """How much better the dictionary segments the window around ``at`` with ``alt`` in place of ``wrong``
    (the scorer keeps the written window's segmentation: every candidate at one place shares it)."""
    lo, hi = max(0, at - _WINDOW), min(len(run), at + len(wrong) + _WINDOW)
    route = scorer.route(run[lo:hi])
    return scorer.best_replaced(run[lo:at] + alt + run[at + len(wrong):hi], route, at + len(wrong) - lo) - route[0]


def _keep_best(best: dict[int, Slip], slip: Slip, threshold: float) -> None:
    """The strongest candidate at each place, once it reaches the threshold."""
    if slip.gain >= threshold and (slip.start not in best or slip.gain > best[slip.start].gain):
        best[slip.start] = slip


if __name__ == "__main__":  # python -m generator.typos sound-groups|genre-bigrams|sound-words: remake a shipped table
    import sys

    if sys.argv[1:] == ["sound-groups"]:
        write_sound_groups(RULES_DIR / SOUND_FILE)
    elif sys.argv[1:] == ["genre-bigrams"]:
        write_genre_bigrams(RULES_DIR / GENRE_FILE)
    elif sys.argv[1:] == ["sound-words"]:
        write_sound_words(RULES_DIR / SOUND_WORDS_FILE)
    else:
        raise SystemExit("用法：python -m generator.typos sound-groups|genre-bigrams|sound-words")
