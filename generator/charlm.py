"""A character trigram model of the genre, for the context rule of DG801 (``typos.find_context_slips``).

It is counted from the project's own phrase bank (phrasebank/*.yaml), placeholders filled with the typical
values bank lint measures entries with (``banklint.TYPICAL_VALUES``), so it knows the genre's phrasing and
little else. Nothing derived is shipped: the counts are made at first use and kept in the user's cache
(``diskcache``) under the digest of the bank's files, so an edited bank is counted afresh.

The model is interpolated absolute discounting (Kneser–Ney's continuation counts at the unigram level):

    P3(c | a b) = max(n(abc) − D, 0) / n(ab·) + γ(ab) · P2(c | b)
    P2(b | a)   = max(n(ab) − D, 0) / n(a·) + γ(a) · P1(b)
    P1(b)       = (N1+(·b) + 1) / (N1+(··) + V)          D = 0.75

Bigrams counted fewer than ``BI_FLOOR`` times and trigrams fewer than ``TRI_FLOOR`` are dropped; their mass
goes to γ, so the model stays a distribution and loads fast. Runs of Han characters are the sentences: ``^``
and ``$`` mark a run's edges, as the checker questions one run at a time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

FORMAT = b"draftgen-charlm 3\n"
CACHE_KIND = "charlm"  # the cache file's prefix: diskcache keeps the newest few files of a kind
BOS, EOS = "^", "$"
BI_FLOOR = 2
TRI_FLOOR = 3
# Each occurrence in the bank counts three times: the floors then keep every n-gram the bank writes even
# once, and the discount takes a quarter of a single sighting rather than three quarters (the thresholds in
# typos.py were chosen on the dev set with this weight).
WEIGHT = 3
_HAN_RUN = re.compile("[\u4e00-\u9fff]+")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_V = 8000  # characters the unigram level spreads its floor over


def bank_texts(keep: Callable[[str], bool] | None = None) -> list[str]:
    """Every bank entry's text, or those whose id ``keep(id)`` allows, each placeholder filled with its typical
    value (a placeholder without one breaks the run, as a comma would)."""
    import yaml

    from .banklint import TYPICAL_VALUES
    from .paths import PHRASEBANK_DIR

    def value(m: re.Match) -> str:
        return TYPICAL_VALUES.get(m.group(1), "，")

    out = []
    for path in sorted(Path(PHRASEBANK_DIR).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries", []) if isinstance(data, dict) else []:
            text = entry.get("text") if isinstance(entry, dict) else None
            if isinstance(text, str) and (keep is None or keep(str(entry.get("id", "")))):
                out.append(_PLACEHOLDER.sub(value, text))
    return out


def count(runs: Iterable[str], weight: int = 1) -> tuple[Counter, Counter, Counter]:
    """Unigram, bigram and trigram counts of ``runs``, each run between the edge marks."""
    uni, bi, tri = Counter(), Counter(), Counter()
    for run in runs:
        s = BOS + run + EOS
        for i in range(len(s)):
            uni[s[i]] += weight
        for i in range(len(s) - 1):
            bi[s[i:i + 2]] += weight
        for i in range(len(s) - 2):
            tri[s[i:i + 3]] += weight
    return uni, bi, tri


_MAXC = 0x10FFFF


def tables(uni: Counter, bi: Counter, tri: Counter, bi_floor: int = BI_FLOOR, tri_floor: int = TRI_FLOOR) -> dict:
    """The model's plain tables, packed into strings so that marshal loads few objects (a string per history,
    not an entry per n-gram): per character its history count n(a·), four times the mass it passes down
    (discounts plus dropped bigrams) and its continuation count; per character the characters seen after it
    at least ``bi_floor`` times ("bf") and their counts as code points ("bc"), and the characters seen before
    it ("pre"); per two-character history with a trigram kept the characters seen after it ("tf") and, as
    code points, its count, four times the mass it passes down and the counts ("tc"). D = 0.75 keeps four
    times the mass whole."""
    hist1: Counter = Counter()
    lost1: Counter = Counter()
    cont: Counter = Counter()
    bf: dict[str, list[str]] = {}
    bc: dict[str, list[str]] = {}
    pre: dict[str, list[str]] = {}
    for ab, n in sorted(bi.items()):
        hist1[ab[0]] += n
        cont[ab[1]] += 1
        if n >= bi_floor:
            bf.setdefault(ab[0], []).append(ab[1])
            bc.setdefault(ab[0], []).append(chr(min(n, _MAXC)))
            pre.setdefault(ab[1], []).append(ab[0])
            lost1[ab[0]] += 3  # 4 × D
        else:
            lost1[ab[0]] += 4 * n
    one = {c: (hist1[c], lost1[c], cont[c]) for c in set(uni) | set(hist1)}
    hist2: Counter = Counter()
    lost2: Counter = Counter()
    tf: dict[str, list[str]] = {}
    tcounts: dict[str, list[str]] = {}
    for abc, n in sorted(tri.items()):
        h = abc[:2]
        hist2[h] += n
        if n >= tri_floor:
            tf.setdefault(h, []).append(abc[2])
            tcounts.setdefault(h, []).append(chr(min(n, _MAXC)))
            lost2[h] += 3
        else:
            lost2[h] += 4 * n
    tc = {h: chr(min(hist2[h], _MAXC)) + chr(min(lost2[h], _MAXC)) + "".join(v) for h, v in tcounts.items()}
    return {"one": one, "bf": {k: "".join(v) for k, v in bf.items()}, "bc": {k: "".join(v) for k, v in bc.items()},
            "pre": {k: "".join(v) for k, v in pre.items()}, "tf": {k: "".join(v) for k, v in tf.items()}, "tc": tc,
            "cont": sum(cont.values())}


class CharLM:
    def __init__(self, t: dict, order: int = 3) -> None:
        self.bf, self.bc, self.pre, self.tf, self.tc = t["bf"], t["bc"], t["pre"], t["tf"], t["tc"]
        denom = t["cont"] + _V
        self.floor = 1 / denom
        # per character: (n(a·), γ(a), P1(a))
        self.one = {c: (n, (l / 4 / n) if n else 1.0, (k + 1) / denom) for c, (n, l, k) in t["one"].items()}
        self.order = order
        if order < 3:
            self.tf = {}
        # Sets of characters, made once per character, kept as dicts of strings (``dict.fromkeys``): sets are
        # always tracked by the garbage collector, which walks every member on each full collection; a dict
        # holding only strings is not tracked. Their ``keys()`` intersect as sets do.
        self._after_sets: dict[str, dict[str, None]] = {}
        self._before_sets: dict[str, dict[str, None]] = {}
        self._last_logprobs: tuple[str, list[float]] = ("", [])

    def seen_after(self, a: str) -> str:
        """The characters seen after ``a`` (as often as the floor asks)."""
        return self.bf.get(a, "")

    def seen_before(self, b: str) -> str:
        return self.pre.get(b, "")

    def seen_after_set(self, a: str):
        """``seen_after(a)`` as a set (the keys of a dict), made once per character."""
        got = self._after_sets.get(a)
        if got is None:
            got = self._after_sets[a] = dict.fromkeys(self.bf.get(a, ""))
        return got.keys()

    def seen_before_set(self, b: str):
        got = self._before_sets.get(b)
        if got is None:
            got = self._before_sets[b] = dict.fromkeys(self.pre.get(b, ""))
        return got.keys()

    def p2(self, a: str, b: str) -> float:
        pb = self.one.get(b)
        p1 = pb[2] if pb else self.floor
        st = self.one.get(a)
        if not st or not st[0]:
            return p1
        f = self.bf.get(a)
        k = f.find(b) if f else -1
        return ((ord(self.bc[a][k]) - 0.75) / st[0] if k >= 0 else 0.0) + st[1] * p1

    def p3(self, a: str, b: str, c: str) -> float:
        h = a + b
        f = self.tf.get(h)
        if not f:
            return self.p2(b, c)
        cs = self.tc[h]
        hn = ord(cs[0])
        k = f.find(c)
        return ((ord(cs[k + 2]) - 0.75) / hn if k >= 0 else 0.0) + ord(cs[1]) / 4 / hn * self.p2(b, c)

    def around(self, s: str, j: int, width: int = 1, floor: float | None = None) -> float | None:
        """Log-probability of the characters whose n-gram includes one of s[j:j + width] (s padded with BOS/EOS);
        None as soon as it is sure to fall below ``floor`` (every factor is at most 1)."""
        p = 1.0
        low = math.exp(floor) if floor is not None else 0.0
        last = min(len(s) - 1, j + width + self.order - 2)
        for k in range(max(1, j), last + 1):
            p *= self.p3(s[k - 2], s[k - 1], s[k]) if k >= 2 else self.p2(s[k - 1], s[k])
            if p < low:
                return None
        return math.log(p)

    def logprobs(self, s: str) -> list[float]:
        """log P(s[k] | the characters before it) for each k (0 for s[0], the BOS mark): ``around(s, j, w)``
        is the sum of entries j .. j + w + order − 2. The last string's list is kept: both context rules ask
        for the same run in turn (the list is shared, not to be changed)."""
        if self._last_logprobs[0] == s:
            return self._last_logprobs[1]
        p2, p3, log = self.p2, self.p3, math.log
        out = [0.0] + [log(p3(s[k - 2], s[k - 1], s[k]) if k >= 2 else p2(s[k - 1], s[k])) for k in range(1, len(s))]
        self._last_logprobs = (s, out)
        return out

    def arounds(self, s: str, j: int, alts: Sequence[str], floors: Sequence[float] | None = None) -> list[float | None]:
        """``around(s with alt at j, j)`` for each alt, sharing the work that does not depend on alt; None for
        an alt whose value is sure to fall below its entry in ``floors`` (a log-probability)."""
        if self.order < 3:
            return [self.around(s[:j] + alt + s[j + 1:], j) for alt in alts]
        lows = [math.exp(f) for f in floors] if floors is not None else [0.0] * len(alts)
        p2, p3, tf, tc = self.p2, self.p3, self.tf, self.tc
        a1, n1 = s[j - 1], s[j + 1]
        h1 = s[j - 2] + a1 if j >= 2 else ""
        f1 = tf.get(h1) if h1 else None
        if f1:
            cs1 = tc[h1]
            hn1 = ord(cs1[0])
            g1 = ord(cs1[1]) / 4 / hn1
        n2 = s[j + 2] if j + 2 < len(s) else ""
        q3 = p2(n1, n2) if n2 else 1.0
        out = []
        log = math.log
        for alt, low in zip(alts, lows):
            q1 = p2(a1, alt)
            if f1:
                k = f1.find(alt)
                q1 = ((ord(cs1[k + 2]) - 0.75) / hn1 if k >= 0 else 0.0) + g1 * q1
            if q1 < low:  # the other two factors are at most 1
                out.append(None)
                continue
            t2 = p3(a1, alt, n1)
            if q1 * t2 < low:
                out.append(None)
                continue
            if n2:
                h = alt + n1
                f = tf.get(h)
                if f:
                    cs = tc[h]
                    hn = ord(cs[0])
                    k = f.find(n2)
                    t3 = ((ord(cs[k + 2]) - 0.75) / hn if k >= 0 else 0.0) + ord(cs[1]) / 4 / hn * q3
                else:
                    t3 = q3
            else:
                t3 = 1.0
            out.append(log(q1 * t2 * t3))
        return out


def build(texts: Iterable[str]) -> dict | None:
    """The model's tables from ``texts``; None when they hold no Han character."""
    counts = count((r for t in texts for r in _HAN_RUN.findall(t)), WEIGHT)
    return tables(*counts) if counts[0] else None


def load(key: bytes, texts: Callable[[], Iterable[str]], order: int = 3) -> CharLM | None:
    """The model, from the user's cache or built from ``texts()`` (and cached); ``key`` stands for what
    ``texts()`` gives, which is read only when the model is built. None when the texts hold no Han character.
    DRAFTGEN_NO_CACHE=1 builds it every time, as it does the other caches."""
    import hashlib
    import marshal
    import os

    from . import diskcache

    if os.environ.get("DRAFTGEN_NO_CACHE"):
        t = build(texts())
        return None if t is None else CharLM(t, order)
    digest = hashlib.sha256(FORMAT + f"{BI_FLOOR}\0{TRI_FLOOR}\0{WEIGHT}\0".encode() + key).hexdigest()[:32]
    name = f"{CACHE_KIND}-{digest[:12]}.marshal"
    blob = diskcache.read(name, digest)
    if blob is not None:
        try:
            t = marshal.loads(blob)
            if isinstance(t, dict):
                return CharLM(t, order)
        except (ValueError, EOFError, TypeError, KeyError):
            pass  # damaged: build afresh, and the write replaces it
    t = build(texts())
    if t is None:
        return None
    diskcache.write(name, digest, marshal.dumps(t))
    return CharLM(t, order)


def bank_key() -> bytes:
    """The digest of the bank's files: the model is rebuilt when the bank changes."""
    import hashlib

    from .paths import PHRASEBANK_DIR

    h = hashlib.sha256()
    for path in sorted(Path(PHRASEBANK_DIR).glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


@lru_cache(maxsize=1)
def model() -> CharLM | None:
    """The model of the whole bank, as the checker uses it."""
    return load(bank_key(), bank_texts)
