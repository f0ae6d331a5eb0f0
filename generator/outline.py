"""`draftgen outline`: find the parts of a speech (or of a news report of one) and the lines they stand on.

A speech of this genre has a fixed shape: title, salutation, opening, affirmation of the reports, the
year's achievements (一是…), problems (一是…), the transition "我讲N点意见", sections 一、二、三、 with
their points (一要…, 第一，…, （一）, 1.), closing. A news report of such a speech has its own: lead, who
reported, "X指出", "X要求，一是要……", who attended. ``outline_document`` finds each part it can, with
its line range, and says which parts it could not find.

It reads files with the checker's reader and finds enumeration markers with the checker's helpers, so
`check` and `outline` never disagree about what counts as "二要". Pure and light: no jieba, no pydantic.
Half-width punctuation (common in text copied from the web) is normalised before analysis; line numbers
stay those of the file.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .check import find_markers, Marker, group_series, Series, cn_number, cn_numeral, fix_text
from .errors import InputError
from .readers import Paragraph, SourceDocument, document_from_draft, read_documents

Pos = tuple[int, int]  # (index of a paragraph in the analysed list, character offset in its text)

SHAPES = {"review": "述职评议会讲话", "work": "工作会议讲话", "news": "会议新闻稿", "speech": "讲话稿（类型未能确定）"}
PART_NAMES = {
    "title": "标题", "meta": "署名和日期", "salutation": "称呼", "opening": "开场", "affirmation": "肯定述职",
    "achievements": "成绩", "problems": "问题", "transition": "过渡", "section": "部分", "lead": "开头段",
    "intro": "引言", "outro": "收束", "closing": "结尾",
    # news report
    "news_lead": "导语", "caption": "图片说明", "reporting": "述职情况", "news_affirm": "讲话肯定",
    "requirements": "讲话要求", "attendees": "参会人员",
}
# What each shape is expected to have, in reading order: reported as missing when not found.
EXPECTED = {
    "review": ("title", "salutation", "opening", "affirmation", "achievements", "problems", "transition", "section",
               "closing"),
    "work": ("title", "salutation", "opening", "affirmation", "transition", "section", "closing"),
    "speech": ("title", "salutation", "opening", "transition", "section", "closing"),
    "news": ("title", "news_lead", "reporting", "news_affirm", "requirements", "attendees"),
}
FORMATS = ("text", "yaml", "json")

# ---------------------------------------------------------------- cues (the genre's fixed wording)

_SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』）)]*")
_DECLARATION = re.compile(  # 讲三点意见, 讲两个方面, 谈3个问题, 讲以下几点
    "(?:讲|谈|提|说|强调|提出)(?:以下|如下|这么|这样)?(?P<num>[一二两三四五六七八九十几]{1,3}|\\d{1,2})"
    "(?:点|个方面|方面|条|个问题)(?:意见|要求|看法|体会|建议|想法|希望|认识)?")
_AFFIRM = re.compile(r"^(?:.{0,24}?刚才|听了|刚刚)")
_CLOSING = re.compile(r"^(?:同志们[，！,!]|谢谢大家|谢谢各位|让我们)")
_SALUTATION = re.compile(r"^(?:尊敬的)?[^。！？，]{0,16}?(?:同志们|朋友们|同志|代表们|书记们|老师们|同学们|委员们|来宾们?|嘉宾们?"
                         r"|各位[\u4e00-\u9fff]{1,8})[^。！？]{0,8}[：:]$")
_ARGUMENT = re.compile(r"^这是[\u4e00-\u9fff]{1,8}的[\u4e00-\u9fff]{2,4}[：:]")
# An intro to the year's achievements often opens with the year or a look back.
_INTRO_CUE = re.compile(r"^(?:\d{4}年|\{year\}|一年来|过去的一年|这一年|回顾|总的来|总体来|总的看|总体看|[^，。]{0,8}以来)")
_TURN_CUE = re.compile(r"^(?:但|然而|当然|同时|在肯定|在看到|坦率|客观|也要看到|也应看到|成绩值得|肯定成绩|总体来看|总的来看|对照)")
_OUTRO_CUE = re.compile(r"^(?:这些问题|上述问题|以上问题|对于?这些问题|对此|针对这些问题|查摆出的问题|这些差距|这些不足)")
_PROBLEM_WORDS = re.compile(
    r"不(?!断|折|忘)|没有|尚未|尚不|尚有|未能|欠缺|缺乏|缺少|短板|薄弱|弱项|差距|距离|偏差|偏[弱低少软]|两张皮|滞后|还有|仍有"
    r"|仍然|依然|仍需|还需|需要|需进一步|有待|现象|虚化|弱化|淡化|边缘化|乏力|松散|涣散|递减|失衡|走过场|上紧下松|上热下冷|问题")
_ACHIEVEMENT_WORDS = re.compile(
    r"更|日益|不断|明显|持续|进一步|显著|有效|扎实|筑牢|巩固|提升|提高|增强|强化|完善|规范|到位|有力|坚强|牢固|严格|凸显"
    r"|形成|成效|共识|严密|稳步|彰显|深化|走深|见效|破解|扩大|逐步|鲜明|良好|得到|推进|有序|迸发|共振|成风")
_PROBLEM_INTRO = re.compile(r"问题|不足|差距|短板|薄弱|弱项|挑战|不容回避|改进|忽视")
_ACHIEVEMENT_INTRO = re.compile(r"成绩|成效|特点|进展|亮点|收获|可喜|提高|提升|明显|好的|特色")
_REVIEW_HEADLINE = re.compile(r"成绩|问题|不足|差距|肯定|回顾|总结|成效|短板")
_NEWS_AFFIRM = re.compile(r"指出|肯定|认为|表示")
_NEWS_REQUIRE = re.compile(r"要求|强调")
_ATTENDEES = re.compile(r"(?:参加|出席|列席)(?:了)?(?:本次)?(?:会议|会)。?$")
_MARKER_RANK = {"h2": 0, "ar": 1, "par": 2}  # any other family (是/要/第/序/argument) ranks 3


# ---------------------------------------------------------------- results


@dataclass
class Point:
    """One enumerated point: 一要…, 一是…, 第一，…, （一）…, 1. …, or a "这是……的昭示：" argument."""

    marker: str
    number: int
    family: str
    headline: str
    start: Pos
    end: Pos
    lines: tuple[int, int] = (0, 0)
    text: str = ""  # the whole point, normalised
    points: list["Point"] = field(default_factory=list)  # a series nested inside this point

    @property
    def body(self) -> str:
        """The point without its marker and headline sentence."""
        i = self.text.find(self.headline)
        rest = self.text[i + len(self.headline):] if i >= 0 and self.headline else self.text
        return rest.lstrip("。！？；：，、 \n")


@dataclass
class Part:
    kind: str
    start: Pos
    end: Pos
    lines: tuple[int, int] = (0, 0)
    text: str = ""
    marker: str = ""
    number: int = 0
    headline: str = ""
    style: str = ""  # a section's point style: 要 / 是 / 第 / h2 / ar / argument / review
    parts: list["Part"] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    def child(self, kind: str) -> Optional["Part"]:
        return next((p for p in self.parts if p.kind == kind), None)


@dataclass
class Outline:
    path: str
    shape: str
    parts: list[Part]
    declared: Optional[int] = None
    declared_text: str = ""
    actual: int = 0
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def find(self, kind: str) -> list[Part]:
        """Every part of a kind, nested ones included, in reading order."""
        out: list[Part] = []

        def walk(parts: Sequence[Part]) -> None:
            for p in parts:
                if p.kind == kind:
                    out.append(p)
                walk(p.parts)
        walk(self.parts)
        return out

    @property
    def sections(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "section"]


# ---------------------------------------------------------------- the analysed text


@dataclass(frozen=True)
class _Unit:
    """A sentence, or the piece of one between two enumeration markers."""

    vi: int
    start: int
    end: int
    text: str

    @property
    def pos(self) -> Pos:
        return (self.vi, self.start)


class _Doc:
    """Normalised, non-empty paragraphs (a heading run into its paragraph is split off) with positions."""

    def __init__(self, paragraphs: Sequence[Paragraph]):
        self.paras: list[Paragraph] = []
        self.source_paragraphs = sum(1 for p in paragraphs if p.text.strip())
        for p in paragraphs:
            text = fix_text(p.text).strip()
            salutation = re.match(r"(?:同志们|各位[^。，：:]{1,10}?|老师们、同学们|同学们)[：:](?=.{20})", text)
            if salutation and p.role is None:  # "同志们：今天……" on one line
                self.paras.append(Paragraph(p.line, salutation.group(0), None))
                text = text[salutation.end():].strip()
            if text:
                self.paras.extend(_split_embedded_headings(Paragraph(p.line, text, p.role)))
        self.end: Pos = (len(self.paras), 0)
        self.markers: list[Marker] = find_markers(self.paras)
        _, of_marker = group_series(self.markers)
        seen: dict[int, Series] = {}
        for m in self.markers:
            s = of_marker.get(m.order)
            if s is not None and id(s) not in seen:
                seen[id(s)] = s
        self.series: list[Series] = list(seen.values())
        self.units: list[_Unit] = []
        cuts: dict[int, set[int]] = {}
        for m in self.markers:
            cuts.setdefault(m.pidx, set()).add(_marker_start(m))
        for vi, p in enumerate(self.paras):
            bounds = {0, len(p.text)} | cuts.get(vi, set())
            bounds |= {m.end() for m in _SENTENCE_END.finditer(p.text)}
            bounds = sorted(b for b in bounds if 0 <= b <= len(p.text))
            for a, b in zip(bounds, bounds[1:]):
                if p.text[a:b].strip():
                    self.units.append(_Unit(vi, a, b, p.text[a:b].strip()))
        # Indexes, so that every look-up by place costs a bisection, not a pass over the whole text:
        # a long file of short lines must take time in proportion to its size.
        self.unit_pos: list[Pos] = [u.pos for u in self.units]
        self.markers_in: dict[int, list[Marker]] = {}
        for m in self.markers:
            self.markers_in.setdefault(m.pidx, []).append(m)
        self.series.sort(key=lambda s: _mpos(s.items[0]))
        self.series_first: list[Pos] = [_mpos(s.items[0]) for s in self.series]
        self.series_at: dict[Pos, list[int]] = {}
        for s in self.series:
            for m in s.items:
                self.series_at.setdefault(_mpos(m), []).append(id(s))

    def text(self, start: Pos, end: Pos) -> str:
        pieces = []
        for vi in range(start[0], min(end[0], len(self.paras) - 1) + 1):
            t = self.paras[vi].text
            a = start[1] if vi == start[0] else 0
            b = end[1] if vi == end[0] else len(t)
            if a < b:
                pieces.append(t[a:b].strip())
        return "\n".join(x for x in pieces if x)

    def lines(self, start: Pos, end: Pos) -> tuple[int, int]:
        start = self.skip_space(start)
        vi, off = end
        if off == 0 or vi >= len(self.paras):
            vi -= 1
            while vi > start[0] and not self.paras[vi].text:
                vi -= 1
        vi = max(vi, start[0])
        first = self.paras[min(start[0], len(self.paras) - 1)].line
        return first, max(first, self.paras[min(vi, len(self.paras) - 1)].line)

    def skip_space(self, pos: Pos) -> Pos:
        vi, off = pos
        while vi < len(self.paras):
            t = self.paras[vi].text
            while off < len(t) and t[off].isspace():
                off += 1
            if off < len(t):
                return vi, off
            vi, off = vi + 1, 0
        return self.end

    def units_in(self, start: Pos, end: Pos) -> list[_Unit]:
        return self.units[bisect_left(self.unit_pos, start):bisect_left(self.unit_pos, end)]

    def series_from(self, start: Pos, end: Pos) -> list[Series]:
        """The series whose first marker lies in [start, end)."""
        return self.series[bisect_left(self.series_first, start):bisect_left(self.series_first, end)]

    def para_end(self, vi: int) -> Pos:
        return (vi + 1, 0)


def _split_embedded_headings(p: Paragraph) -> list[Paragraph]:
    """A long paragraph that holds "。二、标题一要……" (headings run together with the text): split it so each
    heading stands as its own paragraph, on the same line. Keeps the outline useful on one-paragraph texts."""
    if p.role in ("title", "heading1", "heading2") or len(p.text) < 200:
        return [p]
    rx = re.compile(r"(?<=[。！？；：”])\s*(?=([一二三四五六七八九十]{1,2})、)")
    cuts = [m.start() for m in rx.finditer(p.text) if cn_number(m.group(1))]
    if not cuts:
        return [p]
    out, prev = [], 0
    for c in [*cuts, len(p.text)]:
        piece = p.text[prev:c].strip()
        prev = c
        if not piece:
            continue
        if re.match(r"[一二三四五六七八九十]{1,2}、", piece):
            # The heading ends at its first sentence end, or where the first point glued to it begins.
            head_end = len(piece)
            glued = re.search(r"(?<=[\u4e00-\u9fff”])(?:一[要是]|第一[，,])", piece[3:80])
            stop = _SENTENCE_END.search(piece)
            if glued:
                head_end = glued.start() + 3
            if stop and stop.end() < head_end:
                head_end = stop.end()
            out.append(Paragraph(p.line, piece[:head_end].strip().rstrip("。"), "heading1"))
            piece = piece[head_end:].strip()
            if not piece:
                continue
        out.append(Paragraph(p.line, piece, None))
    return out


def _marker_start(m: Marker) -> int:
    if m.family in ("h1", "h2", "ar", "par"):
        return 0  # heading-style markers stand at the paragraph start (paragraphs are stripped)
    return m.pos


def _marker_end(m: Marker, doc: _Doc) -> int:
    text = doc.paras[m.pidx].text
    if m.family in ("h1", "h2", "ar", "par"):
        i = text.find(m.label)
        return (i if i >= 0 else 0) + len(m.label)
    return m.pos + len(m.label)


def _at_para_start(m: Marker) -> bool:
    return m.family in ("h1", "h2", "ar", "par") or m.pos == 0


def _mpos(m: Marker) -> Pos:
    return (m.pidx, _marker_start(m))


def _headline(text: str, offset: int) -> str:
    """The point's headline: the words after its marker, up to the first sentence end."""
    rest = text[offset:].lstrip("，,、：:．. \u3000")
    stop = re.search(r"[。！？；]", rest)
    return (rest[:stop.start()] if stop else rest).strip()


# ---------------------------------------------------------------- points


@dataclass
class _Series2:
    """A series as the outline uses it: markers (the checker's, or argument paragraphs) in order."""

    family: str
    items: list  # of Marker

    @property
    def first(self) -> Pos:
        return _mpos(self.items[0])


def _argument_series(doc: _Doc, start: Pos, end: Pos) -> Optional[_Series2]:
    """"这是历史的昭示：……这是时代的要求：……": a triad of arguments, usually one paragraph each."""
    items = []
    for u in doc.units_in(start, end):
        m = _ARGUMENT.match(u.text)
        if m:
            items.append(Marker(-1, doc.paras[u.vi], u.vi, u.start, "argument", len(items) + 1, m.group(0)[:-1]))
    return _Series2("argument", items) if len(items) >= 2 else None


def _candidate_series(doc: _Doc, start: Pos, end: Pos, exclude: set[int]) -> list[_Series2]:
    out = []
    for s in doc.series_from(start, end):
        if id(s) in exclude or s.family in ("h1",):
            continue
        items = [m for m in s.items if start <= _mpos(m) < end]
        if items:
            out.append(_Series2(s.items[0].family, items))
    arg = _argument_series(doc, start, end)
    if arg:
        out.append(arg)
    return out


def _pick_series(cands: list[_Series2]) -> Optional[_Series2]:
    """The series that structures a region: several items, markers at paragraph starts, the earliest
    (a later series is nested in its points); heading-like markers first where two start together."""
    if not cands:
        return None
    return min(cands, key=lambda s: (len(s.items) < 2, not _at_para_start(s.items[0]), s.first,
                                     _MARKER_RANK.get(s.family, 3)))


def _points(doc: _Doc, series: _Series2, end: Pos, exclude: set[int], depth: int = 0) -> list[Point]:
    """The points of a series, each running to the next marker; the last to ``end``."""
    out = []
    for i, m in enumerate(series.items):
        start = _mpos(m)
        stop = _mpos(series.items[i + 1]) if i + 1 < len(series.items) else end
        text = doc.paras[m.pidx].text
        label = m.label
        after = _marker_end(m, doc) + (1 if m.family == "argument" else 0)  # past the argument's colon
        nxt = [_marker_start(x) for x in doc.markers_in.get(m.pidx, ()) if _marker_start(x) >= after]
        head = _headline(text[:min(nxt, default=len(text))], after).rstrip("，,、；;")
        p = Point(label, m.number, m.family, head, start, stop)
        _finish_point(doc, p)
        if depth < 2:
            inner = _pick_series([c for c in _candidate_series(doc, (start[0], _marker_end(m, doc)), stop, exclude)
                                  if c.family != series.family or c.first != series.first])
            if inner and len(inner.items) >= 2:
                p.points = _points(doc, inner, stop, exclude, depth + 1)
        out.append(p)
    return out


def _series_end(doc: _Doc, series: _Series2, end: Pos) -> Pos:
    """Where a section's last point ends. Where every earlier point is one paragraph (or a few), a longer
    tail after the last one is a block of its own (a summing-up), not more of that point."""
    items = series.items
    if len(items) < 2:
        return end
    spans = [items[i + 1].pidx - items[i].pidx for i in range(len(items) - 1)]
    if min(spans) < 1:
        return end  # points run together within paragraphs: nothing to measure by
    last = items[-1].pidx
    if any(doc.markers_in.get(vi) for vi in range(last + 1, min(end[0], len(doc.paras)))):
        return end  # the last point holds a series of its own: its paragraphs are its body
    stop = last + max(spans)
    return (stop, 0) if (stop, 0) < end and end[0] - stop >= 1 else end


# A paragraph led by a short headline sentence (强化政治引领。要……) or a headline line of its own.
_HEADLINE_LEAD = re.compile(r"^(?![要我同这那但而总因所如在对])[\u4e00-\u9fff“”、]{4,24}[。！]?")


def _unnumbered_points(doc: _Doc, start: Pos, end: Pos) -> list[Point]:
    """Points without numbers: headings of the second level, or paragraphs that each open with a short
    headline sentence of the same shape. Two at least, and most of the region's paragraphs."""
    vis = [vi for vi in range(start[0], min(end[0], len(doc.paras))) if doc.paras[vi].text]
    if len(vis) < 2:
        return []
    heads: list[tuple[int, str]] = []
    if sum(doc.paras[vi].role == "heading2" for vi in vis) >= 2:
        heads = [(vi, doc.paras[vi].text.rstrip("。")) for vi in vis if doc.paras[vi].role == "heading2"]
    else:
        for vi in vis:
            t = doc.paras[vi].text
            first = _SENTENCE_END.search(t)
            head = t[:first.start()] if first else t
            if len(head) <= 24 and _HEADLINE_LEAD.fullmatch(head + (first.group(0)[:1] if first else "")) and \
                    (first is None or len(t) > first.end() + 10) and "，" not in head:
                heads.append((vi, head))
        if len(heads) < 2 or len(heads) * 2 < len(vis):
            return []
    out = []
    for i, (vi, head) in enumerate(heads):
        stop = (heads[i + 1][0], 0) if i + 1 < len(heads) else end
        p = Point("", i + 1, "headline", head, (vi, 0), stop)
        _finish_point(doc, p)
        out.append(p)
    return out


def _finish_point(doc: _Doc, p: Point) -> None:
    p.lines = doc.lines(p.start, p.end)
    p.text = doc.text(p.start, p.end)


def _part(doc: _Doc, kind: str, start: Pos, end: Pos, **kw) -> Part:
    start = doc.skip_space(start)
    return Part(kind, start, end, doc.lines(start, end), doc.text(start, end), **kw)


# ---------------------------------------------------------------- achievements and problems


def _scores(doc: _Doc, s: _Series2, region_start: Pos) -> Optional[tuple[float, float]]:
    """How much a series reads like achievements and like problems: from the words that introduce it and
    from its headlines. None for a list of requirements (一是要……)."""
    heads = [_headline(doc.paras[m.pidx].text, _marker_end(m, doc)) for m in s.items]
    if sum(h.startswith("要") for h in heads) * 2 >= len(heads):
        return None
    intro = "".join(u.text for u in doc.units_in(region_start, s.first)[-2:])
    ach = prob = 0.0
    for h in heads:
        item = _item_reading(h)
        prob += item == "problems"
        ach += item == "achievements"
    n = len(heads)
    return (2 * bool(_ACHIEVEMENT_INTRO.search(intro)) + 3 * ach / n,
            2 * bool(_PROBLEM_INTRO.search(intro)) + 3 * prob / n)


def _item_reading(headline: str) -> Optional[str]:
    """A negation outweighs a word of progress (“成效还不够明显”); a bare “问题” does not (“问题逐步破解”)."""
    negations = {m.group(0) for m in _PROBLEM_WORDS.finditer(headline)}
    progress = bool(_ACHIEVEMENT_WORDS.search(headline))
    if negations - {"问题", "两张皮"} or (negations and not progress):
        return "problems"
    return "achievements" if progress else None


def _classify(doc: _Doc, series: list[_Series2], region_start: Pos) -> list[tuple[str, _Series2]]:
    """Which of the region's lists are the achievements and which the problems. A speech gives its
    achievements first, so two lists are read that way unless their words clearly say otherwise."""
    scored = [(s, sc) for s in series if (sc := _scores(doc, s, region_start)) is not None][:2]
    if len(scored) == 2:
        (s0, (a0, p0)), (s1, (a1, p1)) = scored
        if p0 + a1 > a0 + p1 + 1.0:
            return [("problems", s0), ("achievements", s1)]
        if max(a0, p1) >= 1.0:
            return [("achievements", s0), ("problems", s1)]
        scored = scored[:1]
    if len(scored) == 1:
        s0, (a0, p0) = scored[0]
        if max(a0, p0) >= 1.5 and a0 != p0:
            return [("achievements" if a0 > p0 else "problems", s0)]
    return []


def _review_parts(doc: _Doc, start: Pos, end: Pos, open_frame: bool) -> list[Part]:
    """Achievements and problems in [start, end). ``open_frame``: the region begins inside the opening or
    the affirmation, whose last sentences may already be the achievements' introduction."""
    lists: list[_Series2] = []
    for s in sorted(_candidate_series(doc, start, end, set()), key=lambda s: s.first):
        if s.family not in ("是", "第", "序") or len(s.items) < 2:
            continue
        if lists and s.first < _mpos(lists[-1].items[-1]):
            continue  # nested in the items of a list already taken
        lists.append(s)
    found = sorted(_classify(doc, lists, start), key=lambda x: x[1].first)
    parts: list[Part] = []
    boundary, boundary_open = start, open_frame
    for i, (kind, s) in enumerate(found):
        region_end = _mpos(found[i + 1][1].items[0]) if i + 1 < len(found) else end
        intro_start = _intro_start(doc, boundary, s.first, boundary_open)
        last = s.items[-1]
        last_end, outro_start = _last_review_item_end(doc, last, region_end)
        if i + 1 < len(found):
            part_end = last_end  # what follows belongs to the next part's introduction
        else:
            part_end = end
        points = _points(doc, _Series2(s.family, s.items), last_end, set())
        part = _part(doc, kind, intro_start, part_end, points=points)
        if intro_start < s.first and doc.text(intro_start, s.first):
            part.parts.append(_part(doc, "intro", intro_start, s.first))
        tail_start = outro_start or last_end
        if tail_start < part_end and doc.text(tail_start, part_end):
            part.parts.append(_part(doc, "outro", tail_start, part_end))
        parts.append(part)
        boundary, boundary_open = last_end, False
    return parts


def _intro_start(doc: _Doc, boundary: Pos, marker: Pos, open_frame: bool) -> Pos:
    units = doc.units_in(boundary, marker)
    if not units:
        return marker
    if not open_frame:
        return units[0].pos
    anchor_para = units[0].vi
    for u in units[1:]:
        if u.vi != anchor_para or _INTRO_CUE.match(u.text):
            return u.pos
    if units[-1].text.endswith(("：", ":")) and len(units) > 1:
        return units[-1].pos
    return marker


def _last_review_item_end(doc: _Doc, m: Marker, region_end: Pos) -> tuple[Pos, Optional[Pos]]:
    """Where the last item of an achievements or problems list ends, and where a closing remark on the
    problems ("这些问题……") begins, if it does."""
    vi = m.pidx
    text = doc.paras[vi].text
    rest = text[_marker_end(m, doc):]
    end = min(doc.para_end(vi), region_end)
    headline_only = len(_SENTENCE_END.findall(rest.rstrip("。！？") + "。")) <= 1 and len(rest) <= 60
    if headline_only:
        # "一是思想基础更加牢固。" on a line of its own: the paragraphs below it are its body.
        j = vi + 1
        while (j, 0) < region_end and j < len(doc.paras):
            t = doc.paras[j].text
            if (t.endswith(("：", ":")) or _TURN_CUE.match(t) or doc.paras[j].role in ("heading1", "heading2")
                    or any(x.pos == 0 for x in doc.markers_in.get(j, ())) or _ARGUMENT.match(t)):
                break
            end = min(doc.para_end(j), region_end)
            j += 1
    head_end = (vi, _marker_end(m, doc) + len(_headline(text, _marker_end(m, doc))))
    for u in doc.units_in(head_end, end):
        if _OUTRO_CUE.match(u.text) and u.pos > head_end:
            return u.pos, u.pos
        if region_end[0] == vi and u.pos > head_end and _TURN_CUE.match(u.text):
            return u.pos, None  # the next list's introduction begins in this same paragraph
    return end, None


# ---------------------------------------------------------------- the speech


@dataclass
class _Head:
    start: Pos
    content: Pos  # where the section's text begins, after its heading
    marker: str
    number: int
    headline: str


def _section_heads(doc: _Doc) -> list[_Head]:
    heads = []
    for vi, p in enumerate(doc.paras):
        m = next((x for x in doc.markers_in.get(vi, ()) if x.family == "h1"), None)
        if m is not None or p.role == "heading1":
            marker = m.label if m else ""
            number = m.number if m else len(heads) + 1
            headline = p.text[_marker_end(m, doc):].strip() if m else p.text
            heads.append(_Head((vi, 0), (vi + 1, 0), marker, number, headline.rstrip("。")))
    return heads


def _heads_from_series(doc: _Doc, after: Pos) -> list[_Head]:
    """No 一、二、三、 headings: the series that follows "讲N点意见" marks the sections."""
    first = next((m for m in doc.markers if _mpos(m) >= after and m.family != "h1"), None)
    if first is None or first.number != 1:
        return []
    s = next(s for s in doc.series if first in s.items)
    heads = []
    for m in s.items[s.items.index(first):]:
        text = doc.paras[m.pidx].text
        head = _headline(text, _marker_end(m, doc))
        k = text.find(head, _marker_end(m, doc)) + len(head)
        stop = _SENTENCE_END.match(text, k)
        heads.append(_Head(_mpos(m), (m.pidx, stop.end() if stop else k), m.label, m.number, head))
    return heads


def _front_matter(doc: _Doc) -> tuple[list[Part], int]:
    """Title, name-and-date lines and salutation at the top; returns them and the first body paragraph."""
    parts: list[Part] = []
    vi = 0
    n = len(doc.paras)
    if n and (doc.paras[0].role == "title" or _looks_like_title(doc.paras[0].text, doc.paras[1].text if n > 1 else "")):
        parts.append(_part(doc, "title", (0, 0), (1, 0)))
        vi = 1
        meta_start = vi
        while vi < n and vi - meta_start < 3 and _looks_like_meta(doc.paras[vi].text) and doc.paras[vi].role is None:
            vi += 1
        if vi > meta_start:
            parts.append(_part(doc, "meta", (meta_start, 0), (vi, 0)))
    for j in range(vi, min(vi + 2, n)):
        t = doc.paras[j].text
        if len(t) <= 24 and _SALUTATION.match(t):
            parts.append(_part(doc, "salutation", (j, 0), (j + 1, 0)))
            vi = j + 1
            break
    return parts, vi


def _looks_like_title(text: str, following: str) -> bool:
    if len(text) > 60 or re.search(r"[。！？；，：,:;]$", text) or re.search(r"[。！？]", text):
        return False
    if re.match(r"[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]", text):
        return False
    return bool(re.search(r"讲话|发言|致辞|报告|党课|会议|会上|召开", text)) or _looks_like_meta(following) \
        or bool(_SALUTATION.match(following))


def _looks_like_meta(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[。！？：:；，]$", text) and not re.search(r"[。！？]", text)


def _find(doc: _Doc, rx: re.Pattern, start: Pos, end: Pos) -> Optional[_Unit]:
    return next((u for u in doc.units_in(start, end) if rx.search(u.text)), None)


def _speech(doc: _Doc, path: str) -> Outline:
    out = Outline(path, "speech", [])
    front, body = _front_matter(doc)
    out.parts += front
    body_start: Pos = (body, 0)
    heads = _section_heads(doc)
    first_sec = heads[0].start if heads else doc.end
    trans_unit = _find(doc, _DECLARATION, body_start, first_sec)
    if not heads and trans_unit is not None:
        heads = _heads_from_series(doc, (trans_unit.vi, trans_unit.end))
        if heads:
            out.notes.append(f"没有“一、二、三、”小标题，按“{_said(trans_unit.text)}”之后的“{heads[0].marker}……”划分部分")
        first_sec = heads[0].start if heads else doc.end
    if trans_unit is not None:
        d = _DECLARATION.search(trans_unit.text)
        out.declared = cn_number(d.group("num"))
        out.declared_text = d.group(0)
    close_from = heads[-1].content if heads else ((trans_unit.vi, trans_unit.end) if trans_unit else body_start)
    closing = _closing(doc, close_from)
    closing_start = closing.pos if closing else doc.end

    # The preamble: opening, affirmation, achievements and problems, transition.
    pre_end = min(trans_unit.pos if trans_unit else first_sec, first_sec)
    aff = _find(doc, _AFFIRM, body_start, pre_end)
    review = _review_parts(doc, aff.pos if aff else body_start, pre_end, open_frame=True)
    first_review = review[0].start if review else None
    # Each part of the preamble runs to the start of the next one found.
    starts = [x for x in (aff.pos if aff else None, first_review, trans_unit.pos if trans_unit else None,
                          first_sec, closing_start) if x is not None]
    if doc.skip_space(body_start) < min(starts):
        out.parts.append(_part(doc, "opening", body_start, min(starts)))
    if aff:
        out.parts.append(_part(doc, "affirmation", aff.pos, min(x for x in starts if x > aff.pos)))
    out.parts += review
    if trans_unit:
        out.parts.append(_part(doc, "transition", trans_unit.pos, min(first_sec, closing_start)))

    # Sections.
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else closing_start
        end = min(end, closing_start) if closing_start > h.start else end
        sec = _part(doc, "section", h.start, end, marker=h.marker, number=h.number, headline=h.headline)
        inner: list[Part] = []
        if i == 0 and not review and (_REVIEW_HEADLINE.search(h.headline) or trans_unit and trans_unit.pos < h.start):
            inner = _review_parts(doc, h.content, end, open_frame=False)
            if inner and not _REVIEW_HEADLINE.search(h.headline) and len(inner) < 2:
                inner = []
        if inner:
            sec.style = "review"
            sec.parts = inner
            lead_end = inner[0].start
            if doc.skip_space(h.content) < lead_end:
                sec.parts.insert(0, _part(doc, "lead", h.content, lead_end))
        else:
            exclude = set(doc.series_at.get(h.start, ()))
            chosen = _pick_series(_candidate_series(doc, h.content, end, exclude))
            if chosen is not None:
                sec.style = chosen.family
                points_end = _series_end(doc, chosen, end)
                sec.points = _points(doc, chosen, points_end, exclude)
                if doc.skip_space(h.content) < chosen.first:
                    sec.parts.append(_part(doc, "lead", h.content, chosen.first))
                if points_end < end and doc.text(points_end, end):
                    sec.parts.append(_part(doc, "outro", points_end, end))
            elif (unnumbered := _unnumbered_points(doc, h.content, end)):
                sec.style = "headline"
                sec.points = unnumbered
                if doc.skip_space(h.content) < unnumbered[0].start:
                    sec.parts.append(_part(doc, "lead", h.content, unnumbered[0].start))
            elif doc.skip_space(h.content) < end:
                sec.parts.append(_part(doc, "lead", h.content, end))
        out.parts.append(sec)
    if closing:
        out.parts.append(_part(doc, "closing", closing.pos, doc.end))
    out.actual = len(heads)
    affirmation_text = next((p.text for p in out.parts if p.kind == "affirmation"), "")
    # The kind of meeting is what the speech says it is: achievements and problems alone are in many speeches.
    frame = "".join(p.text for p in out.parts if p.kind in ("title", "meta", "opening", "affirmation"))
    if "述职" in frame:
        out.shape = "review"
    elif "报告" in affirmation_text or any(s.style == "argument" for s in out.sections) or \
            re.search(r"工作会议|推进会|部署会|工作会", frame):
        out.shape = "work"
    return out


def _closing(doc: _Doc, close_from: Pos) -> Optional[_Unit]:
    """The closing call: a paragraph opening with 同志们，/让我们/谢谢大家 after the last point of the last
    section (one inside that section is part of it), or else among the last two paragraphs."""
    cands = [u for u in doc.units_in(close_from, doc.end) if _CLOSING.match(u.text)]
    if not cands:
        return None
    last_marker = max((_mpos(m) for m in doc.markers if m.family != "reset"), default=close_from)
    after = [u for u in cands if u.pos > last_marker]
    if after:
        return after[0]
    tail = [u for u in cands if u.start == 0 and u.vi >= len(doc.paras) - 2]
    return tail[0] if tail else None


def _said(text: str) -> str:
    """The declaration as written: 讲三点意见, 强调几点意见."""
    d = _DECLARATION.search(text)
    return d.group(0) if d else ""


# ---------------------------------------------------------------- the news report


def _is_news(doc: _Doc) -> bool:
    if any(_DECLARATION.search(u.text) for u in doc.units) or not doc.paras:
        return False
    if any(len(p.text) <= 24 and _SALUTATION.match(p.text) for p in doc.paras[:3]):
        return False
    text = "\n".join(p.text for p in doc.paras)
    required = re.search(r"(?:要求|强调)[，：,:]\s*(?:一是|首先|第一)", text)
    reported = re.search(r"召开", text) and re.search(r"指出|讲话", text) and _ATTENDEES.search(doc.paras[-1].text)
    return bool(required or reported)


def _news(doc: _Doc, path: str) -> Outline:
    out = Outline(path, "news", [])
    vi = 0
    if doc.paras and (doc.paras[0].role == "title" or _looks_like_title(doc.paras[0].text, "")):
        out.parts.append(_part(doc, "title", (0, 0), (1, 0)))
        vi = 1
    # The requirements: the series right after "X要求，".
    req_series = None
    for s in doc.series:
        m = s.items[0]
        before = doc.paras[m.pidx].text[max(0, m.pos - 12):m.pos]
        if m.number == 1 and _NEWS_REQUIRE.search(before):
            req_series = _Series2(m.family, list(s.items))
            break
    req_start = (req_series.items[0].pidx, 0) if req_series else doc.end
    attendees_vi = len(doc.paras) - 1 if doc.paras and _ATTENDEES.search(doc.paras[-1].text) else None
    tail = (attendees_vi, 0) if attendees_vi is not None and attendees_vi > vi else doc.end
    requirements: Optional[Part] = None
    if req_series:
        # The last point is its paragraph; anything between it and the attendees still belongs to the part.
        last_end = min(doc.para_end(req_series.items[-1].pidx), tail)
        requirements = _part(doc, "requirements", req_start, max(tail, last_end),
                             points=_points(doc, req_series, last_end, set()))
    for j in range(vi, len(doc.paras)):
        if (j, 0) >= req_start or (j, 0) >= tail:
            break
        t = doc.paras[j].text
        if j == vi:
            kind = "news_lead"
        elif t[:1] in "△▲▼●" or (len(t) <= 40 and not re.search(r"[。！？]$", t)):
            kind = "caption"
        elif "述职" in t and re.match(r"(?:会上|会议上|会议中|随后|首先)", t):
            kind = "reporting"  # checked first: this paragraph often also says the leader 肯定/指出 something
        elif _NEWS_AFFIRM.search(t):
            kind = "news_affirm"
        elif "述职" in t:
            kind = "reporting"
        elif out.parts and out.parts[-1].kind == "news_lead":
            kind = "news_lead"
        else:
            kind = "other"
        if out.parts and out.parts[-1].kind == kind and kind != "caption":
            prev = out.parts.pop()
            out.parts.append(_part(doc, kind, prev.start, (j + 1, 0)))
        else:
            out.parts.append(_part(doc, kind, (j, 0), (j + 1, 0)))
    if requirements:
        out.parts.append(requirements)
        out.actual = len(requirements.points)
    if attendees_vi is not None and attendees_vi > vi:
        out.parts.append(_part(doc, "attendees", (attendees_vi, 0), doc.end))
    others = [p for p in out.parts if p.kind == "other"]
    for p in others:
        out.notes.append(f"第{_range(p.lines)}行未能归入新闻稿的任何部分")
    out.parts = [p for p in out.parts if p.kind != "other"]
    return out


# ---------------------------------------------------------------- public


def outline_document(doc: SourceDocument) -> Outline:
    """The outline of a read document: its shape, parts with line ranges, declared and actual counts."""
    d = _Doc(doc.paragraphs)
    if not d.paras:
        out = Outline(doc.path, "speech", [])
        out.notes.append("文件中没有文字")
        return out
    out = _news(d, doc.path) if _is_news(d) else _speech(d, doc.path)
    _report_gaps(d, out)
    return out


def outline_draft(draft, path: str = "草稿") -> Outline:
    """The outline of a generated Draft, numbered as in its .md export."""
    return outline_document(document_from_draft(draft, path))


def _report_gaps(doc: _Doc, out: Outline) -> None:
    kinds = {p.kind for p in out.parts} | {c.kind for p in out.parts for c in p.parts}
    expected = EXPECTED[out.shape]
    if out.shape == "news" and "述职" not in "".join(p.text for p in doc.paras):
        expected = tuple(k for k in expected if k != "reporting")  # a work meeting has no reports to review
    out.missing = [k for k in expected if k not in kinds]
    if out.shape == "speech" and "主持词" in (doc.paras[0].text if doc.paras else ""):
        out.notes.append("这是主持词：outline 只分析讲话稿和会议新闻稿的结构")
    elif out.shape == "speech":
        out.notes.append("未能判断是述职评议会讲话还是工作会议讲话（没有找到肯定述职或工作报告的话）")
    if out.shape != "news":
        if out.declared is not None and out.declared != out.actual:
            out.notes.append(f"宣布“{out.declared_text}”，实有 {out.actual} 个部分，请核对")
        elif out.declared_text and out.declared is None:
            out.notes.append(f"宣布“{out.declared_text}”，没有说明具体数目")
        for s in out.sections:
            if not s.points and s.style != "review":
                out.notes.append(f"{s.marker or '部分'}{_short(s.headline)}（第{_range(s.lines)}行）中没有找到一要、第一、（一）等序号条目")
    if doc.source_paragraphs <= 2 and sum(len(p.text) for p in doc.paras) > 300:
        out.notes.append("全文只有一段：各部分按句子划分，行号相同；小标题与正文连写时，小标题可能带上正文的第一句")


def _range(lines: tuple[int, int]) -> str:
    a, b = lines
    return f"{a}" if a == b else f"{a}–{b}"


def _short(text: str, n: int = 20) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


def part_name(part: Part, shape: str) -> str:
    if part.kind == "affirmation" and shape == "work":
        return "肯定工作报告"
    if part.kind == "section":
        return f"第{cn_numeral(part.number)}部分" if part.number else "部分"
    return PART_NAMES.get(part.kind, part.kind)


# ---------------------------------------------------------------- output


def _point_dict(p: Point) -> dict:
    d = {"marker": p.marker, "number": p.number, "lines": list(p.lines), "headline": p.headline}
    if p.points:
        d["points"] = [_point_dict(x) for x in p.points]
    return d


def _part_dict(p: Part, shape: str) -> dict:
    d: dict = {"part": p.kind, "name": part_name(p, shape), "lines": list(p.lines)}
    if p.kind == "section":
        d.update(marker=p.marker, number=p.number, headline=p.headline, style=p.style or None)
    else:
        d["excerpt"] = _short(p.text, 30)
    if p.parts:
        d["parts"] = [_part_dict(c, shape) for c in p.parts]
    if p.points or p.kind in ("section", "achievements", "problems", "requirements"):
        d["count"] = len(p.points)
        d["points"] = [_point_dict(x) for x in p.points]
    return d


def outline_dict(o: Outline) -> dict:
    """The outline as plain data (what --format yaml/json print)."""
    return {
        "file": o.path,
        "shape": o.shape,
        "shape_name": SHAPES[o.shape],
        "declared": o.declared,
        "actual": o.actual,
        "parts": [_part_dict(p, o.shape) for p in o.parts],
        "missing": [PART_NAMES[k] for k in o.missing],
        "notes": list(o.notes),
    }


def format_tree(o: Outline) -> str:
    lines = [f"{o.path}（{SHAPES[o.shape]}）"]

    def label(p: Part) -> str:
        where = f"第{_range(p.lines)}行"
        if p.kind == "section":
            count = "" if p.style == "review" else f"（{len(p.points)}条）"
            return f"{p.marker}{p.headline}{count}  {where}"
        count = f"（{len(p.points)}条）" if p.kind in ("achievements", "problems", "requirements") else ""
        text = "" if p.kind in ("achievements", "problems", "requirements") else "  " + _short(p.text, 24)
        return f"{part_name(p, o.shape)}{count}  {where}{text}"

    def point_label(p: Point) -> str:
        return f"{p.marker + ' ' if p.marker else ''}{_short(p.headline, 28)}  第{_range(p.lines)}行"

    def walk(nodes: list, prefix: str) -> None:
        for i, node in enumerate(nodes):
            last = i == len(nodes) - 1
            text = label(node) if isinstance(node, Part) else point_label(node)
            lines.append(prefix + ("└─ " if last else "├─ ") + text)
            children = [*node.parts, *node.points] if isinstance(node, Part) else list(node.points)
            if isinstance(node, Part):
                children.sort(key=lambda c: c.start)
            walk(children, prefix + ("   " if last else "│  "))

    walk(o.parts, "")
    if o.shape == "news":
        lines.append(f"条数：讲话要求 {o.actual} 条")
    elif o.declared_text:
        said = f"宣布“{o.declared_text}”" + (f"（{o.declared} 点）" if o.declared is not None else "")
        verdict = "没有说明具体数目" if o.declared is None else "一致" if o.declared == o.actual else "不一致，请核对"
        lines.append(f"条数：{said}，实有 {o.actual} 个部分，{verdict}")
    else:
        lines.append(f"条数：没有找到“讲N点意见”，实有 {o.actual} 个部分")
    if o.missing:
        lines.append("未找到：" + "、".join(PART_NAMES[k] for k in o.missing))
    for note in o.notes:
        lines.append("说明：" + note)
    return "\n".join(lines)


def outline_paths(paths: Iterable[str | Path], fmt: str = "text") -> str:
    """What ``draftgen outline FILE... [--format text|yaml|json]`` prints."""
    if fmt not in FORMATS:
        raise InputError(problems=[f"--format: 未知的输出格式“{fmt}”，可用 text、yaml 或 json"])
    outlines = [outline_document(d) for d in read_documents(paths)]
    if fmt == "text":
        return "\n\n".join(format_tree(o) for o in outlines)
    data = {"files": [outline_dict(o) for o in outlines]}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=120).rstrip("\n")


# ---------------------------------------------------------------- accuracy against a hand-made outline


def _flatten(parts: list[dict], prefix: str = "") -> dict[str, dict]:
    """Parts keyed by their place: opening, problems/outro, section1, section1/lead…"""
    out: dict[str, dict] = {}
    for p in parts:
        key = prefix + (f"section{p.get('number')}" if p["part"] == "section" else p["part"])
        out[key] = p
        out.update(_flatten(p.get("parts") or [], key + "/"))
    return out


def _flatten_points(points: list[dict], prefix: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i, p in enumerate(points or [], 1):
        key = f"{prefix}#{i}"
        out[key] = p
        out.update(_flatten_points(p.get("points") or [], key))
    return out


@dataclass
class Score:
    """How an outline compares with a hand-made one, counted in parts, point lists and points."""

    parts: int = 0
    parts_found: int = 0  # a part of the same kind at the same place
    parts_exact: int = 0  # … with the same line range
    extra_parts: int = 0  # found, but not in the hand-made outline
    lists: int = 0  # sections, achievements, problems, requirements and nested series
    lists_count_ok: int = 0  # the same number of points
    points: int = 0
    points_lines_ok: int = 0
    points_headline_ok: int = 0
    sections: int = 0
    section_headlines_ok: int = 0
    counts_ok: bool = False  # declared and actual count
    misses: list[str] = field(default_factory=list)
    lines_compared: bool = True

    def add(self, other: "Score") -> "Score":
        return Score(*(getattr(self, f) + getattr(other, f) for f in
                       ("parts", "parts_found", "parts_exact", "extra_parts", "lists", "lists_count_ok", "points",
                        "points_lines_ok", "points_headline_ok", "sections", "section_headlines_ok")),
                     self.counts_ok and other.counts_ok,
                     self.misses + other.misses, self.lines_compared and other.lines_compared)

    def summary(self) -> str:
        pct = lambda a, b: f"{a}/{b}（{100 * a / b:.0f}%）" if b else "0/0"  # noqa: E731
        if not self.lines_compared:
            return (f"部分：找到 {pct(self.parts_found, self.parts)}，多出 {self.extra_parts}；"
                    f"条目列表数目正确 {pct(self.lists_count_ok, self.lists)}；"
                    f"条目小标题正确 {pct(self.points_headline_ok, self.points)}；"
                    f"部分标题正确 {pct(self.section_headlines_ok, self.sections)}；条数{'正确' if self.counts_ok else '有误'}")
        return (f"部分：找到 {pct(self.parts_found, self.parts)}，行号完全正确 {pct(self.parts_exact, self.parts)}，"
                f"多出 {self.extra_parts}；条目列表数目正确 {pct(self.lists_count_ok, self.lists)}；"
                f"条目行号正确 {pct(self.points_lines_ok, self.points)}，条目小标题正确 {pct(self.points_headline_ok, self.points)}；"
                f"部分标题正确 {pct(self.section_headlines_ok, self.sections)}；条数{'正确' if self.counts_ok else '有误'}")


def score_outline(found: dict, golden: dict, *, lines: bool = True) -> Score:
    """Compare ``outline_dict`` output with a hand-made outline of the same file (tests/golden/outline/).
    With ``lines=False`` line ranges are not compared (for the same text run into one paragraph)."""
    s = Score(lines_compared=lines)
    fp, gp = _flatten(found["parts"]), _flatten(golden["parts"])
    same = (lambda a, b: list(a) == list(b)) if lines else (lambda a, b: True)  # noqa: E731
    for key, g in gp.items():
        if g["part"] == "section":
            s.sections += 1
            if (fp.get(key) or {}).get("headline") == g["headline"]:
                s.section_headlines_ok += 1
            else:
                s.misses.append(f"{key}：标题应为“{g['headline']}”，实为“{(fp.get(key) or {}).get('headline')}”")
    for key, g in gp.items():
        s.parts += 1
        f = fp.get(key)
        if f is None:
            s.misses.append(f"缺少 {key}（第{_range(tuple(g['lines']))}行）")
            continue
        s.parts_found += 1
        if same(f["lines"], g["lines"]):
            s.parts_exact += 1
        else:
            s.misses.append(f"{key}：应为第{_range(tuple(g['lines']))}行，实为第{_range(tuple(f['lines']))}行")
    s.extra_parts = len(set(fp) - set(gp))
    s.misses += [f"多出 {k}" for k in sorted(set(fp) - set(gp))]
    for key, g in gp.items():
        if "points" not in g:
            continue
        fpts = _flatten_points((fp.get(key) or {}).get("points") or [], key)
        gpts = _flatten_points(g["points"], key)
        lists = {key: len(g["points"])}
        for k, p in gpts.items():
            if p.get("points"):
                lists[k] = len(p["points"])
        for k, n in lists.items():
            s.lists += 1
            got = fp.get(k, {}).get("points") if k == key else (fpts.get(k) or {}).get("points")
            if len(got or []) == n:
                s.lists_count_ok += 1
            else:
                s.misses.append(f"{k}：应有 {n} 条，实有 {len(got or [])} 条")
        for k, p in gpts.items():
            s.points += 1
            f = fpts.get(k)
            if f and same(f["lines"], p["lines"]):
                s.points_lines_ok += 1
            elif f:
                s.misses.append(f"{k}：应为第{_range(tuple(p['lines']))}行，实为第{_range(tuple(f['lines']))}行")
            if f and f["headline"] == p["headline"]:
                s.points_headline_ok += 1
            elif f:
                s.misses.append(f"{k}：小标题应为“{p['headline']}”，实为“{f['headline']}”")
    s.counts_ok = found.get("declared") == golden.get("declared") and found.get("actual") == golden.get("actual")
    if not s.counts_ok:
        s.misses.append(f"条数：应为宣布 {golden.get('declared')}、实有 {golden.get('actual')}，"
                        f"实为 {found.get('declared')}、{found.get('actual')}")
    return s
