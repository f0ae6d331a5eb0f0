"""Measures of a draft's coherence, from its plan and its text: the figures behind the coherence tests and
``benchmarks/coherence.py``.

- every paragraph's headline and sentences come from one facet;
- no facet is both praised (achievements) and criticised (problems);
- every problem is answered by a directive of the same facet;
- every fact and named example of the brief appears in the speech;
- no fixed seam phrase ("具体表现为：") glues a fact to a paragraph;
- how many sentences two drafts share verbatim;
- how many elaboration sentences take up their paragraph's headline or fact (lexical cohesion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .bank import PhraseBank
from .models import Plan
from .plan import SEAM_RE, content_bigrams, off_subject, subjects

ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[是要]|第[一二三四五六七八九十]+，|[一二三四五六七八九十]+、)")
SENTENCE = re.compile(r"[^。！？]+[。！？]")


@dataclass(frozen=True)
class Coherence:
    mixed_paragraphs: list[str]  # headlines of paragraphs whose entries come from more than one facet
    contradictions: set[str]  # facets both praised and criticised
    unanswered: list[str]  # problem facets no directive takes up
    missing_facts: list[str]  # facts or examples of the brief not found in the text
    seams: list[str]  # seam phrases found in the text

    @property
    def ok(self) -> bool:
        return not (self.mixed_paragraphs or self.contradictions or self.unanswered or self.missing_facts
                    or self.seams)


def measure(plan: Plan, text: str, bank: PhraseBank) -> Coherence:
    entries = {e.id: e for e in bank.entries}
    mixed = []
    for item in plan.items():
        # (a headline that is the brief's own fact is recorded as the fact frame, fr-fp-01#1, which has no
        # facet: the paragraph's facet was matched to the fact's words)
        # (nor has the sentence naming the brief's problem a point answers: it is of that problem's facet)
        facets = {entries[c.entry_id.split("#")[0]].facet for c in (item.headline, *item.elaborations)
                  if (c is not item.headline or "#" not in c.entry_id)
                  and entries[c.entry_id.split("#")[0]].slot != "answer_problem"}
        if facets != {item.facet}:
            mixed.append(item.headline.text)
    praised = {i.facet for i in plan.achievements}
    criticised = {i.facet for i in plan.problems}
    answered = {i.facet for s in plan.sections for i in s.items}
    ctx = plan.context
    wanted = [f for tf in (*ctx.achievements, *ctx.problems) for f in tf.facts if f.strip()]
    wanted = [f.strip().rstrip("。；;，,") for f in wanted]
    wanted += [f"{ex.post or ''}{ex.who}同志{ex.did.rstrip('。；，')}" for tf in ctx.achievements for ex in tf.examples]
    if plan.kind == "work":
        wanted += [f"{ex.post or ''}{ex.who}同志{ex.did.rstrip('。；，')}" for tf in ctx.problems for ex in tf.examples]
    return Coherence(
        mixed_paragraphs=mixed,
        contradictions=praised & criticised,
        unanswered=[f for f in (i.facet for i in plan.problems) if f not in answered],
        missing_facts=[f for f in wanted if f not in text],
        seams=SEAM_RE.findall(text),
    )


@dataclass(frozen=True)
class Cohesion:
    sentences: int  # elaboration sentences of the enumerated points
    sharing: int  # of them, those sharing a content bigram with their headline or the brief's fact
    off_subject: int  # of them, those about another sub-subject of the facet than their headline or fact

    @property
    def share(self) -> float:
        return self.sharing / self.sentences if self.sentences else 1.0


def cohesion(plan: Plan, bank: PhraseBank) -> Cohesion:
    """Lexical cohesion inside the paragraphs: does each elaboration sentence take up a content word
    (a bigram few facets use) of its headline or fact, and does it stay on their sub-subject?"""
    total = sharing = off = 0
    for item in plan.items():
        anchor = " ".join((item.headline.text, *item.facts, *(ex.did for ex in item.examples)))
        grams = content_bigrams(anchor, bank)
        own = subjects(anchor, item.facet, bank)
        for c in item.elaborations:
            for sentence in SENTENCE.findall(c.text):
                total += 1
                sharing += bool(grams & content_bigrams(sentence, bank))
                off += off_subject(subjects(sentence, item.facet, bank), own, item.facet, bank)
    return Cohesion(total, sharing, off)


def sentences(draft, own: tuple[str, ...] = ()) -> list[str]:
    """The sentences of a draft's paragraphs, with the ordinal markers (一是、二要) taken off; sentences
    that carry one of ``own`` (the brief's facts and examples, which every draft must repeat) are left out."""
    out = []
    for block in draft.blocks:
        if block.role != "paragraph":
            continue
        for s in SENTENCE.findall(block.text):
            if not any(o in s for o in own):
                out.append(ORDINAL.sub("", s.strip()))
    return out


def brief_words(plan: Plan) -> tuple[str, ...]:
    """The brief's facts and named examples: what every draft of the brief must say."""
    ctx = plan.context
    facts = [f.strip().rstrip("。；;，,") for tf in (*ctx.achievements, *ctx.problems) for f in tf.facts if f.strip()]
    facts += [ex.did.rstrip("。；，") for tf in (*ctx.achievements, *ctx.problems) for ex in tf.examples]
    return tuple(f for f in facts if f)


def shared_sentences(a, b, own: tuple[str, ...] = ()) -> float:
    """The share of the sentences of draft ``a`` that draft ``b`` also has, word for word (the larger of
    the two directions), leaving out the sentences that carry the brief's own words (``own``)."""
    sa, sb = sentences(a, own), sentences(b, own)
    if not sa or not sb:
        return 0.0
    set_a, set_b = set(sa), set(sb)
    return max(sum(1 for s in sa if s in set_b) / len(sa), sum(1 for s in sb if s in set_a) / len(sb))


# Words every headline may use that say nothing of what it is about.
GENERIC_WORDS = set("""加强 推进 提升 提高 持续 更加 进一步 不断 深化 强化 坚持 推动 全面 扎实 切实 着力 工作 建设 明显 稳步 
有效 有力 不够 存在 还有 仍有 问题 差距 作用 水平 能力 质量 方面 到位 落实 抓好 抓实 做好 发挥 增强 得到 取得 成效 效果 
进一步 深入 积极 不足 薄弱 需要 有待 党建 基层 党组织 党员""".split())


def headline_echo(headline: str, body: str) -> bool:
    """Whether a content word of the headline (a noun or verb that says what it is about) reappears in its
    paragraph. Uses jieba, so it is for measurement, never for the build."""
    import jieba.posseg as pseg

    from .check import segmenter

    segmenter()  # loads jieba once, quietly, with its dictionary cache in the user's cache folder

    words = [w for w, flag in pseg.cut(headline)
             if len(w) >= 2 and w not in GENERIC_WORDS and flag[:1] in ("n", "v", "a", "l", "i")]
    if not words:
        return True
    # A compound counts as taken up when its head or tail does (思想基础 … 思想).
    return any(w in body or (len(w) >= 4 and (w[:2] in body or w[-2:] in body)) for w in words)


def item_paragraphs(plan: Plan) -> list[tuple[str, str]]:
    """(headline, the rest of its paragraph) for every enumerated point of a plan."""
    out = []
    for item in plan.items():
        body = "".join(c.text for c in (item.evidence, *item.elaborations, item.cases) if c)
        out.append((item.headline.text, body))
    return out


def text_paragraphs(text: str) -> list[tuple[str, str]]:
    """(headline, rest) for the enumerated points of a plain-text speech (一是……。……), for the samples.
    A headline standing on a line of its own takes the lines below it, up to the next point or heading."""
    marker = re.compile(r"^(?:[一二三四五六七八九十]+[是要]|第[一二三四五六七八九十]+[，,])(.+?)[。：:]")
    heading = re.compile(r"^[一二三四五六七八九十]+、")
    out: list[list[str]] = []
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        m = marker.match(line)
        if m:
            out.append([m.group(1), line[m.end():]])
        elif heading.match(line):
            out.append(["", ""])  # a section heading ends the point before it
        elif out and out[-1][0]:
            out[-1][1] += line
    return [(h, b) for h, b in out if h and len(b) > 10]


def directive_sentence_lengths(plan: Plan) -> list[int]:
    """The length in characters of every sentence of the directive points (headlines included): the
    rhythm of the part a speech is remembered by."""
    out = []
    for sec in plan.sections:
        for item in sec.items:
            parts = [item.headline.text + "。", *(c.text for c in (item.opener, *item.elaborations) if c)]
            out += [len(s) for p in parts for s in SENTENCE.findall(p)]
    return out


def spread(values: list[int]) -> float:
    """Standard deviation (population) of a list of lengths."""
    if not values:
        return 0.0
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
