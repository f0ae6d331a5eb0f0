"""`draftgen mine FILE... -o candidates.yaml`: propose phrase-bank entries from a user's own speeches.

Each file is outlined first (``generator.outline``); every part then suggests the slot its text would fill
(the opening → ``opening``, a point under 二、 → ``directive_headline`` and ``directive_elaboration``…).
Texts are normalised the way the bank wants them (full-width punctuation, the unit's name and business
replaced by placeholders where recognisable), topics are guessed from jieba keywords against the topic
list and the bank's own entries, each candidate is checked with the bank's lint rules and marked when it
nearly duplicates an entry already in the bank.

The output is a file for a person to review: it never goes into ``phrasebank/`` by itself. jieba is
imported only here, and only when topics are guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .bank import SLOTS, TOPIC_SLOTS, Entry, PhraseBank, default_bank
from .banklint import NEAR_DUPLICATE, bigrams, lint_entry
from .check import fix_text
from .errors import RefusedError
from .export import write_text_atomic
from .outline import _DECLARATION, Outline, Part, Point, outline_document
from .readers import read_documents
from .paths import PHRASEBANK_DIR
from .readers import SourceDocument

# Which slot a part's text would fill, by the shape of the speech it comes from.
FRAME_SLOTS = {
    "review": {"opening": "opening", "affirmation": "affirmation", "transition": "transition", "closing": "closing"},
    "work": {"opening": "work_context", "affirmation": "report_ack", "transition": "work_transition",
             "closing": "work_closing"},
    "speech": {"opening": "opening", "affirmation": "affirmation", "transition": "transition", "closing": "closing"},
    "news": {"news_affirm": "news_affirm"},
}
# How sure the slot is, by where the text was found: a numbered point is unmistakable, an opening less so.
SLOT_CONFIDENCE = {"headline": 0.95, "elaboration": 0.85, "frame": 0.8, "intro": 0.85, "lead": 0.75, "argument": 0.9}
UNSURE_SHAPE = 0.75  # the speech's kind could not be told: review or work slots are a guess
LINT_PENALTY = 0.8  # per bank-lint error the text would raise as it stands
TOPIC_MIN_SCORE = 0.05

_SENTENCE = re.compile(r"[^。！？]+[。！？]+[”’」』）]*|[^。！？]+$")
_ARGUMENT_GROUPS = {"历史": "历史", "时代": "时代", "现实": "现实"}


@dataclass
class Candidate:
    """A proposed bank entry and where it came from."""

    id: str
    slot: str
    text: str
    source: str  # file:line
    topic: Optional[str] = None
    group: Optional[str] = None
    org_types: tuple[str, ...] = ()
    near_duplicate_of: Optional[dict] = None  # {"id": …, "score": …}
    confidence: float = 0.0
    notes: list[str] = field(default_factory=list)
    topic_scores: tuple[tuple[str, float], ...] = ()  # best guesses first, for tests and tuning

    def as_dict(self) -> dict:
        d: dict = {"id": self.id, "slot": self.slot}
        if self.topic:
            d["topic"] = self.topic
        if self.group:
            d["group"] = self.group
        if self.org_types:
            d["org_types"] = list(self.org_types)
        d["text"] = self.text
        d["source"] = self.source
        if self.near_duplicate_of:
            d["near_duplicate_of"] = dict(self.near_duplicate_of)
        d["confidence"] = self.confidence
        if self.notes:
            d["notes"] = list(self.notes)
        return d


# ---------------------------------------------------------------- normalisation

_BUSINESS = ("教育教学", "教学科研", "生产经营", "医疗服务")
_MEMBERS = ("党员医务人员", "党员教师", "党员职工", "党员师生")
_REPLACEMENTS: tuple[tuple[re.Pattern, str], ...] = (
    # A blanked superior in "按照XXX党委统一要求" is whoever deployed the meeting.
    (re.compile(r"按照(?:[XＸ×]{2,}|[^，。]{0,10}?)(?:党委|党工委|组织部)?统一(要求|部署)"), r"按照{deployed_by}统一\1"),
    (re.compile(r"[XＸ×]{2,}(?:党委|党工委|党组|党总支)"), "{unit}"),
    (re.compile(r"(?<!集团)(?:公司|学校|医院|本单位)党委"), "{unit}"),
    (re.compile("|".join(_BUSINESS)), "{business}"),
    (re.compile("|".join(_MEMBERS)), "{members}"),
    (re.compile(r"(?<![\d{])20\d\d年"), "{year}年"),
    (re.compile(r"(?<![\d{])\d{1,3}(名|位)((?:基层)?(?:党支部|党组织|党总支)?书记)"), r"{reporters}名\2"),
)


def normalise(text: str) -> tuple[str, list[str]]:
    """Full-width punctuation, no line breaks, the unit's particulars as placeholders. Returns the text and
    what was replaced (so the reviewer can check it)."""
    text = fix_text(re.sub(r"\s*\n\s*", "", text)).strip()
    done = []
    for rx, repl in _REPLACEMENTS:
        new = rx.sub(repl, text)
        if new != text:
            done.append(re.sub(r"\\\d", "…", repl))
            text = new
    return text, done


def _strip_marker_words(headline: str, slot: str) -> str:
    h = headline.strip().rstrip("。！？；，、：")
    if slot == "directive_headline" and h.startswith("要") and len(h) > 3:
        h = h[1:]  # the template writes 一要 before the headline
    return h


def _transition_text(text: str, slot: str) -> str:
    """The transition without its count: the template adds "，我讲N点意见。" (or "，讲N点意见。")."""
    m = _DECLARATION.search(text)
    head = text[:m.start()] if m else text
    head = re.sub(r"[，,]?\s*(?:我就|我重点|我)?\s*$", "", head).rstrip("，,")
    if slot == "transition":
        head = re.sub(r"^下面[，,]\s*我(?:就)?", "下面，就" if "我就" in head[:5] else "下面，", head)
    return head


def _chunks(text: str, slot: str) -> list[str]:
    """A long body split at sentence ends into pieces that fit the slot's length."""
    top = SLOTS[slot]["max"]
    low = SLOTS[slot]["min"]
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    out: list[str] = []
    for s in sentences:
        if out and len(out[-1]) + len(s) <= top:
            out[-1] += s
        else:
            out.append(s)
    if len(out) > 1 and len(out[-1]) < low and len(out[-2]) + len(out[-1]) <= top * 1.3:
        last = out.pop()
        out[-1] += last
    return [c for c in out if len(c) >= 6]


# ---------------------------------------------------------------- topics


class TopicGuesser:
    """Guesses a text's topic: jieba words weighted against each topic's vocabulary, learned from the
    topic's keywords and description in topics.yaml and from the bank's entries on that topic."""

    HEADLINE_KEYWORD = 0.06
    BODY_KEYWORD = 0.01

    def __init__(self, bank: PhraseBank):
        from .check import segmenter  # jieba, loaded once and quietly

        self._jieba = segmenter()
        self._words: dict[str, list[str]] = {}
        self.bank = bank
        counts: dict[str, Counter] = {t: Counter() for t in bank.topics}
        for e in bank.entries:
            if e.slot in TOPIC_SLOTS and e.topic in counts:
                counts[e.topic].update(self.words(e.text))
        for t, topic in bank.topics.items():
            counts[t].update({w: 3 for w in self.words(topic.description)})
            counts[t].update({k: 5 for k in topic.keywords})
        df = Counter(w for c in counts.values() for w in c)
        n = len(counts)
        self.idf = {w: math.log((n + 1) / (d + 0.5)) for w, d in df.items()}
        self._vocab = frozenset(w for w, v in self.idf.items() if v > 0)
        self._longest = max(map(len, self._vocab), default=2)
        self.profiles: dict[str, dict[str, float]] = {}
        for t, c in counts.items():
            vec = {w: (1 + math.log(k)) * self.idf[w] for w, k in c.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self.profiles[t] = {w: v / norm for w, v in vec.items()}

    def known_words(self, text: str) -> list[str]:
        """The words of ``text`` that some topic profile knows, by longest match: only they count in
        the score, and matching them is several times faster than segmenting the whole text."""
        got = self._words.get(text)
        if got is not None:
            return got
        vocab, longest = self._vocab, self._longest
        out, i, n = [], 0, len(text)
        while i < n:
            for k in range(min(longest, n - i), 1, -1):
                if text[i:i + k] in vocab:
                    out.append(text[i:i + k])
                    i += k
                    break
            else:
                i += 1
        if len(self._words) > 4096:
            self._words.clear()
        self._words[text] = out
        return out

    def words(self, text: str) -> list[str]:
        got = self._words.get(text)
        if got is None:
            clean = re.sub(r"\{[a-z_]+\}", "", text)
            got = [w for w in self._jieba.lcut(clean, HMM=False) if len(w) >= 2 and re.match(r"[\u4e00-\u9fff]", w)]
            if len(self._words) > 4096:  # the same headlines and bodies come back for the topic and the group
                self._words.clear()
            self._words[text] = got
        return got

    BODY_CHARS = 500  # a point's topic shows in its first sentences; a runaway body must not cost more

    def scores(self, headline: str, body: str = "") -> list[tuple[str, float]]:
        """Topics by score, best first. The headline counts double: it says what the point is about."""
        headline, body = headline[:self.BODY_CHARS], body[:self.BODY_CHARS]
        c = Counter(self.known_words(body))
        for w in self.known_words(headline):
            c[w] += 2
        vec = {w: (1 + math.log(k)) * self.idf.get(w, 0.0) for w, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out = []
        for t, prof in self.profiles.items():
            s = sum(v * prof.get(w, 0.0) for w, v in vec.items()) / norm
            # topics.yaml keywords are the strongest hint: in the headline most, in the body a little.
            keywords = self.bank.topics[t].keywords
            s += sum(self.HEADLINE_KEYWORD for k in keywords if k in headline)
            s += sum(self.BODY_KEYWORD for k in keywords if k in body)
            out.append((t, round(s, 4)))
        return sorted(out, key=lambda x: -x[1])

    def guess(self, headline: str, body: str = "") -> tuple[Optional[str], float, tuple]:
        """The best topic, how sure (0–1, from its lead over the runner-up), and the ranking."""
        ranked = self.scores(headline, body)
        (best, s1), (_, s2) = ranked[0], ranked[1]
        if s1 < TOPIC_MIN_SCORE:
            return None, 0.0, tuple(ranked[:3])
        sure = min(1.0, 0.5 + (s1 - s2) / s1)
        return best, round(sure, 2), tuple(ranked[:3])

    def group_of(self, texts: Sequence[str]) -> Optional[str]:
        """A section's group: that of the topic its headline and points lean to."""
        totals: Counter = Counter()
        for text in texts:
            for t, s in self.scores(text)[:2]:
                totals[self.bank.topics[t].group] += s
        return totals.most_common(1)[0][0] if totals else None


_GUESSERS: dict[int, tuple[PhraseBank, TopicGuesser]] = {}


def _guesser(bank: PhraseBank) -> TopicGuesser:
    """One guesser per bank and process: learning the bank's vocabulary takes a tenth of a second."""
    kept = _GUESSERS.get(id(bank))
    if kept is None or kept[0] is not bank:
        kept = _GUESSERS[id(bank)] = (bank, TopicGuesser(bank))
    return kept[1]


# ---------------------------------------------------------------- mining


@dataclass
class _Raw:
    slot: str
    text: str
    path: str
    line: int
    kind: str  # headline / elaboration / frame / intro / lead / argument
    topic_text: tuple[str, str] = ("", "")  # (headline, body) the topic is guessed from
    point_key: Optional[int] = None  # candidates from one point share its topic
    group: Optional[str] = None


def _raw_candidates(o: Outline) -> list[_Raw]:
    out: list[_Raw] = []
    frames = FRAME_SLOTS[o.shape]
    path = o.path
    key = [0]

    def frame(p: Part, slot: str, kind: str = "frame") -> None:
        text = p.text
        if slot in ("transition", "work_transition"):
            text = _transition_text(text, slot)
        if slot == "news_affirm":  # "刘伟指出，……" → "{speaker}指出，……"
            text = re.sub(r"(^|[，。])[\u4e00-\u9fff]{2,3}(指出|强调|表示|认为)", r"\1{speaker}\2", text, count=1)
        if slot in ("closing", "work_closing"):
            text = re.sub(r"谢谢(?:大家|各位)[！!。]?", "", text).strip()
        if len(text) >= 6:
            out.append(_Raw(slot, text, path, p.lines[0], kind))

    def points(items: Sequence[Point], head_slot: str, body_slot: str) -> None:
        for pt in items:
            key[0] += 1
            head = _strip_marker_words(pt.headline, head_slot)
            body = pt.body
            if head:
                out.append(_Raw(head_slot, head, path, pt.lines[0], "headline", (head, body), key[0]))
            for chunk in _chunks(body, body_slot):
                out.append(_Raw(body_slot, chunk, path, pt.lines[0], "elaboration", (head, body), key[0]))

    def review(p: Part) -> None:
        word = "achievement" if p.kind == "achievements" else "problem"
        intro = p.child("intro")
        if intro:
            frame(intro, f"{p.kind}_intro", "intro")
        points(p.points, f"{word}_headline", f"{word}_elaboration")
        outro = p.child("outro")
        if outro and p.kind == "problems":
            frame(outro, "problems_outro", "intro")

    for p in o.parts:
        if p.kind in frames:
            frame(p, frames[p.kind])
        elif p.kind in ("achievements", "problems"):
            review(p)
        elif p.kind == "requirements":
            points(p.points, "directive_headline", "directive_elaboration")
        elif p.kind == "section":
            for child in p.parts:
                if child.kind in ("achievements", "problems"):
                    review(child)
                elif child.kind == "lead":
                    for chunk in _chunks(child.text, "section_lead"):
                        out.append(_Raw("section_lead", chunk, path, child.lines[0], "lead"))
            head_slot = "work_section_headline" if o.shape == "work" else "section_headline"
            if p.headline:
                out.append(_Raw(head_slot, p.headline, path, p.lines[0], "headline",
                                (p.headline, " ".join(x.headline for x in p.points)), None,
                                group=_work_group(p) if o.shape == "work" else None))
            if p.style == "argument":
                for pt in p.points:
                    group = next((g for w, g in _ARGUMENT_GROUPS.items() if w in pt.marker), None)
                    first = _chunks(pt.text, "argument")[:1]  # the argument proper; the rest is its evidence
                    if first:
                        out.append(_Raw("argument", first[0], path, pt.lines[0], "argument", group=group))
            elif p.style != "review":
                points(p.points, "directive_headline", "directive_elaboration")
    return out


def _work_group(section: Part) -> str:
    # A work speech argues why (a triad), sets tasks (第一，…), then makes people answerable (一要…).
    return {"argument": "意义", "第": "任务"}.get(section.style, "保障")


class _Ids:
    """Suggested ids in the bank's own style (dir-h-zhengzhi-07), numbered after the entries it has."""

    def __init__(self, bank: PhraseBank):
        self.stems: dict[tuple, Counter] = {}
        self.next: dict[str, int] = {}
        for e in bank.entries:
            m = re.match(r"^(.*?)-(\d+)$", e.id)
            if not m:
                continue
            stem, n = m.group(1), int(m.group(2))
            if not e.org_types:
                self.stems.setdefault((e.slot, e.topic or e.group), Counter())[stem] += 1
                self.stems.setdefault((e.slot, None), Counter())[stem] += 1
            self.next[stem] = max(self.next.get(stem, 1), n + 1)
        self.taken = {e.id for e in bank.entries}

    def suggest(self, slot: str, tag: Optional[str]) -> str:
        stems = self.stems.get((slot, tag)) or self.stems.get((slot, None))
        stem = stems.most_common(1)[0][0] if stems else f"mine-{slot.replace('_', '-')}"
        while True:
            n = self.next.get(stem, 1)
            self.next[stem] = n + 1
            cand = f"{stem}-{n:02d}"
            if cand not in self.taken:
                self.taken.add(cand)
                return cand


class _Duplicates:
    """Near-duplicates by character-bigram Dice, as `bank lint` measures them, through an inverted index."""

    def __init__(self, bank: PhraseBank):
        self.entries = list(bank.entries)
        self.grams = [bigrams(e.text) for e in self.entries]
        self.index: dict[str, list[int]] = {}
        for i, g in enumerate(self.grams):
            for b in g:
                self.index.setdefault(b, []).append(i)
        self.df = {b: len(v) for b, v in self.index.items()}
        self.sizes = [len(g) for g in self.grams]

    def best(self, text: str, threshold: float = NEAR_DUPLICATE) -> Optional[tuple[str, float]]:
        """The most similar entry if its Dice score reaches ``threshold``, else None.

        Prefix filtering keeps this cheap on long or common text: an entry scoring ≥ t shares at least
        k = ⌈t·|g|/(2−t)⌉ bigrams with the text, so it holds one of the |g|−k+1 rarest of them."""
        g = bigrams(text)
        if not g:
            return None
        k = math.ceil(threshold * len(g) / (2 - threshold) - 1e-9)
        known = [b for b in g if b in self.df]
        room = len(g) - k + 1 - (len(g) - len(known))  # bigrams no entry has are the rarest of all
        if room <= 0:
            return None
        rare = sorted(known, key=self.df.__getitem__)[:room]
        best = None
        lo, hi = len(g) * threshold / (2 - threshold), len(g) * (2 - threshold) / threshold
        sizes = self.sizes
        for i in sorted({i for b in rare for i in self.index[b] if lo <= sizes[i] <= hi}):  # Dice needs like sizes
            score = 2 * len(g & self.grams[i]) / (len(g) + sizes[i])
            if score >= threshold and (best is None or score > best[1]):
                best = (self.entries[i].id, score)
        return best


def mine_outlines(outlines: Iterable[Outline], bank: Optional[PhraseBank] = None,
                  today: Optional[dt.date] = None) -> list[Candidate]:
    """Candidate entries from outlined documents: slot, topic, normalised text, source, lint notes,
    near-duplicates and a confidence. Pure apart from loading jieba."""
    bank = bank or default_bank()
    today = today or dt.date.today()
    outlines = list(outlines)
    raws = [r for o in outlines for r in _raw_candidates(o)]
    shapes = {o.path: o.shape for o in outlines}
    guesser = _guesser(bank) if any(r.slot in TOPIC_SLOTS or r.slot == "section_headline" for r in raws) else None
    ids, dups = _Ids(bank), _Duplicates(bank)
    topic_of_point: dict[tuple[str, int], tuple] = {}
    out: list[Candidate] = []
    for r in raws:
        text, replaced = normalise(r.text)
        topic, topic_sure, ranking, group = None, 1.0, (), r.group
        if r.slot in TOPIC_SLOTS and guesser is not None:
            k = (r.path, r.point_key)
            if k not in topic_of_point:
                topic_of_point[k] = guesser.guess(*r.topic_text)
            topic, topic_sure, ranking = topic_of_point[k]
        elif r.slot == "section_headline" and guesser is not None:
            group = guesser.group_of([r.topic_text[0], r.topic_text[1]])
        exclusive = sorted({t for w, types in bank.exclusive_vocabulary.items() if w in text for t in types})
        org_types = tuple(exclusive)
        entry = Entry("candidate", r.slot, text, r.path, r.line, topic=topic, group=group, org_types=org_types)
        notes = [f"已替换为占位符：{'、'.join(dict.fromkeys(replaced))}，请核对"] if replaced else []
        skip = {"BL002"} | ({"BL004"} if r.slot in TOPIC_SLOTS and topic is None else set())  # said below
        lint = [f for f in lint_entry(entry, bank, today) if f.code not in skip]
        notes += [f"{f.code} {f.message}" for f in lint]
        if r.slot in TOPIC_SLOTS and topic is None:
            notes.append("未能判断主题，请按 draftgen topics 填写 topic")
        if re.search(r"(?<![\u4e00-\u9fff])[XＸ]{2,}|--", text):
            notes.append("含未填写的占位符（XX、--），请改写")
        if exclusive:
            notes.append(f"用了{'/'.join(exclusive)}类单位的专属词语，已按词库规则填写 org_types")
        conf = SLOT_CONFIDENCE[r.kind] * (topic_sure if r.slot in TOPIC_SLOTS else 1.0)
        if shapes.get(r.path) == "speech":
            conf *= UNSURE_SHAPE
        conf *= LINT_PENALTY ** sum(1 for f in lint if f.severity == "错误")
        dup = dups.best(text)
        near = {"id": dup[0], "score": round(dup[1], 2)} if dup and dup[1] >= NEAR_DUPLICATE else None
        if near:
            notes.append(f"与词库条目 {near['id']} 几乎相同（相似度 {near['score']:.2f}），不必重复收录")
        out.append(Candidate(ids.suggest(r.slot, topic or group), r.slot, text, f"{r.path}:{r.line}", topic, group,
                             org_types, near, round(conf, 2), notes, ranking))
    return out


def mine_documents(docs: Iterable[SourceDocument], bank: Optional[PhraseBank] = None) -> list[Candidate]:
    return mine_outlines([outline_document(d) for d in docs], bank)


# ---------------------------------------------------------------- output

HEADER = """\
# draftgen mine 提取的候选词条（{files} 个文件，共 {count} 条）。这是供人审阅的草稿，不是词库文件。
#
# 使用方法：
#   1. 逐条审阅：核对 slot（槽位）、topic（主题）、group（分组）；confidence 越低越需要仔细看。
#   2. 按 notes 修改：删去具体数字和人名，改掉未填的 XX，过期的提法改用 {{spirit}}、{{milestone}} 或标注有效期。
#   3. 标有 near_duplicate_of 的条目与词库已有条目几乎相同，不必收录。
#   4. 把要收录的条目移入 phrasebank/ 中对应的文件（见 CONTRIBUTING.md“词库文件”），
#      删去 source、confidence、near_duplicate_of、notes 字段（它们不是词库字段），id 可按需修改。
#   5. 运行 draftgen bank lint 和 make test，然后按 CONTRIBUTING.md 通过 Pull Request 提交。
#
# 注意：只收录本单位自己写的文字；别人已发表的讲话不能照抄进词库（CONTRIBUTING.md“原创”一条）。
# 本命令不会修改 phrasebank/。
"""


def candidates_yaml(candidates: Sequence[Candidate], files: int) -> str:
    import yaml

    # libyaml's emitter where PyYAML has it: the pure-Python one takes seconds on a few thousand candidates
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump({"candidates": [c.as_dict() for c in candidates]}, Dumper=dumper, allow_unicode=True,
                     sort_keys=False, width=1000, default_flow_style=False)
    return HEADER.format(files=files, count=len(candidates)) + body


def summary(candidates: Sequence[Candidate], output: Path, files: int) -> str:
    lines = [f"已写出 {output}：共 {len(candidates)} 条候选词条，来自 {files} 个文件"]
    by_slot = Counter(c.slot for c in candidates)
    if by_slot:
        lines.append("按槽位（slot）：" + "，".join(f"{s} {n}" for s, n in
                                                sorted(by_slot.items(), key=lambda x: list(SLOTS).index(x[0]))))
    topical = [c for c in candidates if c.slot in TOPIC_SLOTS]
    if topical:
        sure = sum(1 for c in topical if c.topic and c.confidence >= 0.6)
        lines.append(f"主题：需要主题的 {len(topical)} 条中，{sure} 条较有把握（置信度 ≥ 0.6），其余请重点核对")
    dups = sum(1 for c in candidates if c.near_duplicate_of)
    lines.append(f"与词库几乎相同（相似度 ≥ {NEAR_DUPLICATE}）：{dups} 条，已标注 near_duplicate_of")
    fix = sum(1 for c in candidates if any(n.startswith("BL") for n in c.notes))
    lines.append(f"需要修改才能入库（数字、占位符、过期提法、长度等，见各条 notes）：{fix} 条")
    lines.append("请逐条审阅、改写后移入 phrasebank/，运行 draftgen bank lint，再按 CONTRIBUTING.md 提交 Pull Request；"
                 "本命令不会修改词库。")
    return "\n".join(lines)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def mine_paths(paths: Iterable[str | Path], output: Path, force: bool = False) -> str:
    """What ``draftgen mine FILE... -o candidates.yaml`` does: write the candidates file (atomically) and
    return the terminal summary. Refuses to write into phrasebank/ or over a file without ``force``."""
    output = Path(output)
    if _inside(output, PHRASEBANK_DIR):
        raise RefusedError(problems=[f"{output}: 不能直接写入词库目录 phrasebank/；请写到别处，审阅后按 CONTRIBUTING.md "
                                     f"通过 Pull Request 把条目移入词库"])
    paths = [Path(p) for p in paths]
    if any(output.resolve() == p.resolve() for p in paths):
        raise RefusedError(problems=[f"{output}: 是要读取的文件之一，不能用候选词条覆盖它；请另给一个文件名"])
    if output.exists() and not force:
        raise RefusedError(problems=[f"{output}: 文件已存在，未覆盖；如需替换请加 --force"])
    if output.is_dir():
        raise RefusedError(problems=[f"{output}: 是目录，请给出文件名，如 candidates.yaml"])
    docs = read_documents(paths)
    candidates = mine_documents(docs)
    write_text_atomic(output, candidates_yaml(candidates, len(docs)))
    return summary(candidates, output, len(docs))
