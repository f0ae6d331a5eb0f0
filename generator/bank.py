"""The phrase bank: YAML data edited by contributors, loaded into immutable entries.

Entries are data, not code: placeholders use a small allow-listed ``{name}`` syntax and are
filled by plain substitution, never by Jinja.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .errors import BankError
from .models import KINDS, LAYOUTS, ORG_TYPES
from .paths import PHRASEBANK_DIR, cache_dir
from .yamlio import line_of, parse_date, read_yaml

# Placeholders an entry may use, with what they stand for (shown by lint and CONTRIBUTING).
PLACEHOLDERS: dict[str, str] = {
    "unit": "讲话人所在党组织的简称，如“学校党委”（做事的一方；讲单位全体用 {whole}）",
    "org_name": "单位全称",
    "superior": "上级党组织，如“区委教育工委”（简报未给时含此占位符的条目不会被选用）",
    "business": "单位的中心工作，如“教育教学”“医疗服务”",
    "members": "党员的称呼，如“党员教师”“党员职工”",
    "year": "述职所评的年度，如“2025”（写作“{year}年”）",
    "next_year": "下一年度",
    "meeting": "会议名称",
    "reporters": "现场述职的书记人数（阿拉伯数字，写作“{reporters}名”）",
    "written_reporters": "书面述职的书记人数",
    "named_reporters": "现场述职的前两三位书记，单位和姓名，如“第二党支部张桂兰、第一党支部周德明”（简报列出述职人时才有）",
    "deployed_by": "统一部署会议的上级，如“区委组织部”",
    "speaker": "讲话人姓名",
    "spirit": "当前应学习贯彻的会议精神，如“党的二十大和二十届历次全会精神”（按会议日期选取）",
    "milestone": "会议日期当年的重要节点，如“建党105周年”（按会议日期选取，没有时不选含此占位符的条目）",
    "audience": "讲话对象：本单位所属的各级党组织，如“公司各党支部”“院属各党支部”（单位配置 audience）",
    "whole": "本单位的全体，如“全院”“全公司”“全校”“全村”（单位配置 whole）",
    "period": "述职所评的时段，如“2025年”或“2021年上半年”（由会议名称和日期得出）",
    "horizon": "接下来要部署的时段，如“新的一年”或“下半年”（由会议名称和日期得出）",
    "fact": "简报中的事实（只用于事实框架句 fact_*），如“完成5个党支部按期换届”",
    "cases": "简报中的典型事例（只用于 fact_example），如“陈晨同志带领……，【待补充：取得的成效】”",
    "problem": "简报所列问题的一个分句（只用于 answer_problem），如“毕业年级学生党员外出实习期间参加组织生活不够经常”",
    "report_by": "会上作工作报告的同志，如“区委组织部李强同志”（工作会议讲话用；简报未给时不选含此占位符的条目）",
}
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")

# Slots: where an entry may stand, with the length range (Chinese characters after filling in
# typical values) that keeps a draft well-proportioned. Frame slots have no topic.
SLOTS: dict[str, dict] = {
    "opening": {"family": "frames", "min": 50, "max": 220, "desc": "开场：为什么开这个会，按谁的部署"},
    "affirmation": {"family": "frames", "min": 40, "max": 200, "desc": "肯定刚才的述职"},
    "reporters_named": {"family": "frames", "min": 30, "max": 150, "desc": "接在肯定述职之后，点到几位现场述职的书记：{named_reporters}"},
    "achievements_intro": {"family": "frames", "min": 30, "max": 180, "desc": "引出本年度成绩，以“：”结尾"},
    "problems_intro": {"family": "frames", "min": 30, "max": 200, "desc": "转入问题，以“：”结尾"},
    "problems_outro": {"family": "frames", "min": 15, "max": 120, "desc": "问题之后的收束句"},
    "transition": {"family": "frames", "min": 10, "max": 80, "desc": "引出意见，不含数目：模板接“，我讲N点意见。”"},
    "section_lead": {"family": "frames", "min": 40, "max": 220, "desc": "部署部分开头的形势任务段"},
    "closing": {"family": "frames", "min": 40, "max": 260, "desc": "结尾号召"},
    # 事实框架句：把简报的事实写成一个有主语的句子，紧接在小标题之后。按事实的形态选用。
    "fact_verb": {"family": "frames", "min": 2, "max": 40, "desc": "成绩事实以动词开头（完成……、组织……）：为它配上主语，须含 {fact}"},
    "fact_noun": {"family": "frames", "min": 2, "max": 40, "desc": "成绩事实自带主语（党员志愿服务队……）：配上时间状语，须含 {fact}"},
    "fact_own": {"family": "frames", "min": 2, "max": 40, "desc": "成绩事实自带时间或范围（全年、各支部……）：原样成句，须含 {fact}"},
    "fact_problem": {"family": "frames", "min": 2, "max": 40, "desc": "问题事实：原样或稍加引导成句，须含 {fact}"},
    "answer_problem": {"family": "frames", "min": 10, "max": 80, "desc": "回应简报所列问题的意见句，放在该条意见末尾：须含 {problem}（问题原话的一个分句）"},
    "fact_example": {"family": "frames", "min": 2, "max": 40, "desc": "典型事例：引出“某某同志……”，须含 {cases}"},
    "section_headline": {"family": "sections", "min": 8, "max": 32, "desc": "一、二、三、的标题，按分组（group）"},
    "parallel": {"family": "sections", "min": 50, "max": 220, "desc": "一、二、三、标题下的排比段（要……，要……，要……），按分组（group），可写 topics"},
    "situation": {"family": "situation", "min": 70, "max": 280, "desc": "形势与要求：按会议日期选用的当期提法（二到四句），须标注 valid_from / valid_until"},
    "spirit": {"family": "formulas", "min": 4, "max": 40, "desc": "当前会议精神的提法（有时效）"},
    "milestone": {"family": "formulas", "min": 4, "max": 30, "desc": "年度节点（有时效）"},
    "achievement_headline": {"family": "achievements", "min": 4, "max": 18, "desc": "成绩小标题，接在“一是”之后，不带句末标点"},
    "achievement_elaboration": {"family": "achievements", "min": 25, "max": 130, "desc": "成绩展开，完整句子，以“。”结尾"},
    "problem_headline": {"family": "problems", "min": 6, "max": 22, "desc": "问题小标题，接在“一是”之后，不带句末标点"},
    "problem_elaboration": {"family": "problems", "min": 25, "max": 150, "desc": "问题展开，完整句子，以“。”结尾"},
    "problem_cause": {"family": "problems", "min": 30, "max": 90, "desc": "问题分析句：简报写明的问题之后讲原因或危害，不再列举新的问题、不写数字和具体做法"},
    "directive_headline": {"family": "directives", "min": 4, "max": 18, "desc": "意见小标题，接在“一要”之后，以动词开头，不带句末标点"},
    "directive_elaboration": {"family": "directives", "min": 30, "max": 160, "desc": "意见展开，完整句子，以“。”结尾"},
    "principle": {"family": "directives", "min": 6, "max": 26, "desc": "意见开头的短句道理（抓党建，关键在书记。），以“。”结尾"},
    # 工作会议讲话（work）
    "work_context": {"family": "work", "min": 60, "max": 260, "desc": "工作会议讲话开头的形势与政策背景，可用 {spirit}"},
    "report_ack": {"family": "work", "min": 30, "max": 160, "desc": "肯定会上先作的工作报告，可用 {report_by}"},
    "work_transition": {"family": "work", "min": 10, "max": 80, "desc": "以“下面，我重点围绕”开头，不含数目：模板接“，讲N点意见。”"},
    "work_section_headline": {"family": "work", "min": 8, "max": 32, "desc": "工作会议讲话一、二、三、的标题，按分组（意义、任务、保障）"},
    "argument": {"family": "work", "min": 60, "max": 260, "desc": "“这是……的昭示/要求/选择：只有……才能……”论证段，按分组（历史、时代、现实）"},
    "work_closing": {"family": "work", "min": 40, "max": 260, "desc": "工作会议讲话结尾：“同志们，……希望大家……”，可用 {milestone}"},
    # 会议新闻稿（news）
    "news_affirm": {"family": "news", "min": 30, "max": 160, "desc": "新闻稿中“{speaker}指出，……”的肯定部分（第三人称）"},
    # 主持词（host）
    "host_opening": {"family": "host", "min": 30, "max": 200, "desc": "主持词开场：会议目的，不含“同志们”“现在开会”"},
    "host_rating": {"family": "host", "min": 20, "max": 150, "desc": "主持词：组织评议和民主测评"},
    "host_summary_lead": {"family": "host", "min": 20, "max": 140, "desc": "主持词：领导讲话后的概括开头，模板接“讲了N点意见：一是……”"},
    "host_closing": {"family": "host", "min": 30, "max": 220, "desc": "主持词结尾的贯彻要求，模板接“会议到此结束，散会。”"},
}
TOPIC_SLOTS = {s for s, spec in SLOTS.items() if spec["family"] in ("achievements", "problems", "directives")}
GROUP_SLOTS = {"section_headline", "parallel"}

ENTRY_KEYS = {"id", "slot", "text", "topic", "facet", "topics", "group", "org_types", "kinds", "layouts", "tone",
              "weight", "valid_from", "valid_until", "requires", "note"}
ID_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

# Time words are derived from an entry's text, never trusted to fit: an entry that says 一年来 is only for a
# meeting that reviews a whole year, 上半年 only for a half-year meeting, 岁末年初 only in its season.
YEAR_WORDS = ("一年来", "过去一年", "这一年", "全年", "新的一年", "新一年", "明年", "{next_year}", "年终")
HALF_WORDS = ("上半年", "下半年", "半年来", "半年")
SEASON_WORDS = {"岁末年初": (12, 1, 2), "新年伊始": (1, 2), "新春": (1, 2), "辞旧迎新": (12, 1, 2),
                # a year's start is spoken of at its start, not in July
                "开好局": (11, 12, 1, 2, 3, 4), "起好步": (11, 12, 1, 2, 3, 4), "今年的基层党建任务已经明确": (12, 1, 2, 3, 4)}
# Wording that speaks of a sector from outside (各非公企业党组织): for a speaker over many units only.
OUTSIDE_WORDS = ("各非公企业", "非公企业党组织", "国企党组织", "各国企", "两新组织党组织", "各村党组织", "各学校党组织",
                 "各医院党组织", "有的国企", "有的非公企业",
                 # a village's own committee does not push “一肩挑” or vet the candidates of its own election
                 "一肩挑", "人选资格关")
# …and the same from the inside of one unit: "有的医院" said by a hospital's own Party secretary.
OUTSIDE_RE = re.compile(r"(?:有的|个别|一些|少数|部分|各)(?:(?:医院|学校|高校|企业|国企|村|社区|机关)(?![党支委务民级干职])"
                        r"|(?:医院|学校|高校|企业|国企)党(?:组织|委))")  # "有的学校党组织": many schools


@lru_cache(maxsize=16384)
def _placeholders(text: str) -> frozenset[str]:
    # Asked for at every draw: the planner looks at each candidate's placeholders many times over.
    return frozenset(PLACEHOLDER_RE.findall(text))


def time_tags(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(the periods an entry fits, the months it fits); empty means any."""
    half = any(w in text for w in HALF_WORDS)
    year = any(w in text for w in YEAR_WORDS) or re.search(r"\{year\}年(?!上半年|一季度)", text) is not None
    periods: tuple[str, ...] = ("half",) if half else (("year",) if year else ())
    months = tuple(sorted({m for w, ms in SEASON_WORDS.items() if w in text for m in ms}))
    return periods, months


@dataclass(frozen=True)
class Facet:
    """One aspect of a topic (组织建设 → 组织设置, 支部标准化…): a paragraph speaks of one facet only."""

    id: str
    topic: str
    description: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A topic of the bank (组织建设 …) with its facets."""

    id: str
    group: str
    order: int
    description: str
    keywords: tuple[str, ...] = ()
    facets: tuple[Facet, ...] = ()


@dataclass(frozen=True)
class Group:
    """A theme that sections of directives are drawn from."""

    id: str
    name: str
    order: int
    default_topics: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One phrase-bank entry, with where it may be used and where it came from."""

    id: str
    slot: str
    text: str
    file: str
    line: int
    topic: Optional[str] = None
    facet: Optional[str] = None
    topics: tuple[str, ...] = ()  # section headlines: the topics the headline speaks of (empty: its whole group)
    group: Optional[str] = None
    org_types: tuple[str, ...] = ()  # empty: suits every type
    kinds: tuple[str, ...] = ()  # empty: every kind
    layouts: tuple[str, ...] = ()  # empty: every layout
    tone: Optional[str] = None
    weight: float = 1.0
    valid_from: Optional[dt.date] = None
    valid_until: Optional[dt.date] = None
    periods: tuple[str, ...] = ()  # derived from its time words: the meeting periods it fits (empty: any)
    months: tuple[int, ...] = ()  # derived from its season words: the months it fits (empty: any)
    outside: bool = False  # derived: speaks of a sector from outside, for a speaker over many units only
    # A sentence naming a concrete measure or fault (差额选举, 介绍信回执): used only where the user's brief
    # names one of these words, so that no draft claims what the unit did not report.
    requires: tuple[str, ...] = ()

    @property
    def placeholders(self) -> frozenset[str]:
        return _placeholders(self.text)

    def suits(self, *, org_type: str | None = None, kind: str | None = None, layout: str | None = None,
              date: dt.date | None = None, period: str | None = None, scope: str | None = None) -> bool:
        if period and self.periods and period not in self.periods:
            return False
        if date and self.months and date.month not in self.months:
            return False
        if scope == "own" and self.outside:
            return False
        if org_type and self.org_types and org_type not in self.org_types:
            return False
        if kind and self.kinds and kind not in self.kinds:
            return False
        if layout and self.layouts and layout not in self.layouts:
            return False
        if date:
            if self.valid_from and date < self.valid_from:
                return False
            if self.valid_until and date > self.valid_until:
                return False
        return True


# ---------------------------------------------------------------- the planner's view of the entries' words

# A bigram that the entries of this many facets use says nothing of what a sentence is about (一些, 党员, 工作…).
GENERIC_FACET_SHARE = 0.25
# A facet keyword that this share of the facet's own entries names is the facet itself, not a sub-subject
# of it (党员日常管理 → 管理).
GENERAL_KEYWORD_SHARE = 0.3
RELATED_TOGETHER = 2  # entries of the facet that name two keywords together, for them to be one sub-subject
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Lexicon:
    """What a paragraph's sentences are about, as the planner tells it: the bigrams too common to say, and each
    facet's sub-subjects (党员日常管理: 流动党员, 党费, 积分…)."""

    generic: frozenset[str]
    subjects: dict[str, tuple[str, ...]]  # facet → its sub-subject keywords, longest first
    # facet → keyword → the keywords of one sub-subject with it: itself, those an entry of the facet names
    # together with it (储备 and 年轻干部), and spellings sharing a bigram (批评和自我批评, 批评与自我批评)
    related: dict[str, dict[str, frozenset[str]]]


@lru_cache(maxsize=16384)
def raw_bigrams(text: str) -> frozenset[str]:
    # Within runs of Chinese characters only: a placeholder or a digit is a word boundary.
    out: set[str] = set()
    for run in _HAN_RUN.findall(text):
        out.update(map(str.__add__, run, run[1:]))
    return frozenset(out)


@lru_cache(maxsize=16384)
def subjects_in(text: str, keywords: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for k in keywords:  # longest first, so 流动党员 is not also counted as 党员
        if k in text:
            found.add(k)
            text = text.replace(k, "|")
    return frozenset(found)


def build_lexicon(topics, entries) -> Lexicon:
    per_facet: dict[str, set[str]] = {}
    texts: dict[str, list[str]] = {}
    for e in entries:
        if e.facet:
            per_facet.setdefault(e.facet, set()).update(raw_bigrams(e.text))
            texts.setdefault(e.facet, []).append(e.text)
    counts: dict[str, int] = {}
    for grams in per_facet.values():
        for g in grams:
            counts[g] = counts.get(g, 0) + 1
    generic = frozenset(g for g, n in counts.items() if n >= GENERIC_FACET_SHARE * max(1, len(per_facet)))
    subjects: dict[str, tuple[str, ...]] = {}
    for topic in topics.values():
        for f in topic.facets:
            own = texts.get(f.id, [])
            keep = [k for k in f.keywords
                    if sum(1 for t in own if k in t) < GENERAL_KEYWORD_SHARE * max(1, len(own))]
            subjects[f.id] = tuple(sorted(keep, key=len, reverse=True))
    related: dict[str, dict[str, frozenset[str]]] = {}
    for facet, keys in subjects.items():
        links = {k: {k} for k in keys}
        together: dict[tuple[str, str], int] = {}
        for t in texts.get(facet, []):
            named = sorted(subjects_in(t, keys))
            for i, a in enumerate(named):
                for b in named[i + 1:]:
                    together[(a, b)] = together.get((a, b), 0) + 1
        for (a, b), n in together.items():
            if n >= RELATED_TOGETHER:
                links[a].add(b)
                links[b].add(a)
        for a in keys:
            for b in keys:
                if raw_bigrams(a) & raw_bigrams(b):
                    links[a].add(b)
        related[facet] = {k: frozenset(v) for k, v in links.items()}
    return Lexicon(generic, subjects, related)


# Bigrams every facet's entries use: they say nothing of which facet a fact belongs to.
COMMON_BIGRAMS = frozenset("党组 组织 支部 党员 各党 党支 工作 建设 推动 加强 坚持 党建 基层 一些 有的 进一步 我们".split())
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")


def content_bigrams(text: str) -> frozenset[str]:
    """The two-character runs of a text's Chinese, less those every facet uses."""
    han = _NOT_HAN.sub("", text)
    return frozenset(han[i:i + 2] for i in range(len(han) - 1)) - COMMON_BIGRAMS


def facet_vocabularies(entries) -> dict[str, str]:
    """Facet → its entries' content bigrams as one string, "|甲乙|丙丁|…|" (a few dozen strings unpickle in
    no time, where sets of forty thousand would cost a small build a tenth of its time)."""
    vocab: dict[str, set[str]] = {}
    for e in entries:
        if e.facet:
            vocab.setdefault(e.facet, set()).update(content_bigrams(e.text))
    return {k: "|" + "|".join(sorted(v)) + "|" for k, v in vocab.items()}


@dataclass(frozen=True)
class PhraseBank:
    """The loaded, validated phrase bank."""

    topics: dict[str, Topic]
    groups: dict[str, Group]
    entries: tuple[Entry, ...]
    exclusive_vocabulary: dict[str, tuple[str, ...]]  # word -> org types it belongs to
    org_defaults: dict[str, dict[str, str]]
    profiles: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # type -> hallmarks, banned
    business_goals: dict[str, dict[str, str]] = field(default_factory=dict)  # 立德树人 -> {type: 教育教学}
    by_slot: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    # Facet → the content bigrams of its entries (for placing a brief's fact): made on first use, and before
    # the bank is cached, so a build reads it from the cache while `bank lint` never makes it.
    _vocabulary: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _lexicon: list = field(default_factory=list, compare=False, repr=False)  # [Lexicon] once made, likewise
    _memo: dict = field(default_factory=dict, compare=False, repr=False)  # candidates() answers

    @property
    def lexicon(self) -> Lexicon:
        if not self._lexicon:
            self._lexicon.append(build_lexicon(self.topics, self.entries))
        return self._lexicon[0]

    @property
    def facet_vocabulary(self) -> dict[str, str]:
        if not self._vocabulary:
            self._vocabulary.update(facet_vocabularies(self.entries))
        return self._vocabulary

    def __getstate__(self):  # the answers are not part of the bank: never pickled into the cache
        state = dict(self.__dict__)
        state["_memo"] = {}
        return state

    @property
    def facets(self) -> dict[str, Facet]:
        return {f.id: f for t in self.topics.values() for f in t.facets}

    def candidates(self, slot: str, *, topic: str | None = None, group: str | None = None,
                   facet: str | None = None, **filters) -> list[Entry]:
        # The bank never changes once loaded, and a draft asks the same questions many times over.
        key = (slot, topic, group, facet, tuple(sorted(filters.items())))
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) > 20_000:
                self._memo.clear()
            found = self._memo[key] = tuple(self._candidates(slot, topic=topic, group=group, facet=facet, **filters))
        return list(found)

    def _candidates(self, slot: str, *, topic: str | None = None, group: str | None = None,
                    facet: str | None = None, **filters) -> list[Entry]:
        out = []
        for e in self.by_slot.get(slot, ()):
            if topic is not None and e.topic != topic:
                continue
            if facet is not None and e.facet != facet:
                continue
            if group is not None and e.group != group:
                continue
            if e.suits(**filters):
                out.append(e)
        return out

    def get(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)


def fill(text: str, values: dict[str, str]) -> str:
    """Substitute allow-listed placeholders. A missing value is a programming error: callers filter first.

    A value that is itself a coordination (人才培养和科学研究) reads as a list (人才培养、科学研究) where the
    entry joins it to something else with 和/与 (党建和{business}), so no clause says 和 twice."""
    def value(m: re.Match) -> str:
        v = values[m.group(1)]
        joined = text[max(0, m.start() - 1):m.start()] in ("和", "与", "及") or text[m.end():m.end() + 1] in ("和", "与", "及")
        return v.replace("和", "、").replace("与", "、") if joined and ("和" in v or "与" in v) else v
    return PLACEHOLDER_RE.sub(value, text)


def _as_date(value, where: str, problems: list[str]) -> Optional[dt.date]:
    if value is None:
        return None
    if (date := parse_date(value)) is not None:
        return date
    problems.append(f"{where}: 日期应写作 2026-01-20 的形式，实为“{value}”")
    return None


def _as_tuple(value, where: str, field_name: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(f"{where}: {field_name} 应为字符串列表")
    return ()


def parse_entries(path: Path, data, lines, problems: list[str]) -> list[Entry]:
    """Turn one bank file's data into entries; structural problems are appended as messages."""
    entries: list[Entry] = []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        problems.append(f"{path}:1: 词库文件应包含 entries: 列表")
        return entries
    for i, raw in enumerate(data["entries"]):
        line = line_of(lines, ("entries", i))
        where = f"{path}:{line}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: 条目应为映射（id、slot、text……）")
            continue
        unknown = set(raw) - ENTRY_KEYS
        for key in sorted(unknown):
            problems.append(f"{path}:{line_of(lines, ('entries', i, key))}: 未知字段“{key}”")
        missing = [k for k in ("id", "slot", "text") if not raw.get(k)]
        if missing:
            problems.append(f"{where}: 缺少必填字段 {'、'.join(missing)}")
            continue
        weight = raw.get("weight", 1)
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
            try:
                weight = float(weight)
                assert weight > 0
            except (TypeError, ValueError, AssertionError):
                problems.append(f"{where}: weight 应为正数")
                weight = 1
        text = str(raw["text"]).strip()
        periods, months = time_tags(text)
        entries.append(
            Entry(
                periods=periods,
                months=months,
                outside=any(w in text for w in OUTSIDE_WORDS) or OUTSIDE_RE.search(text) is not None,
                id=str(raw["id"]),
                slot=str(raw["slot"]),
                text=text,
                file=str(path),
                line=line,
                topic=raw.get("topic"),
                facet=raw.get("facet"),
                topics=_as_tuple(raw.get("topics"), where, "topics", problems),
                group=raw.get("group"),
                org_types=_as_tuple(raw.get("org_types"), where, "org_types", problems),
                kinds=_as_tuple(raw.get("kinds"), where, "kinds", problems),
                layouts=_as_tuple(raw.get("layouts"), where, "layouts", problems),
                tone=raw.get("tone"),
                weight=float(weight),
                valid_from=_as_date(raw.get("valid_from"), where, problems),
                valid_until=_as_date(raw.get("valid_until"), where, problems),
                requires=_as_tuple(raw.get("requires"), where, "requires", problems),
            )
        )
    return entries


def validate_entry(e: Entry, topics: dict, groups: dict) -> list[str]:
    """Schema-level problems of one entry (lint adds style checks on top)."""
    where = f"{e.file}:{e.line}"
    out = []
    if not ID_RE.match(e.id):
        out.append(f"{where}: id“{e.id}”只能由小写字母、数字和连字符组成")
    if e.slot not in SLOTS:
        out.append(f"{where}: 未知槽位 slot“{e.slot}”")
    if e.slot in TOPIC_SLOTS and e.topic not in topics:
        out.append(f"{where}: 槽位 {e.slot} 需要已登记的 topic，实为“{e.topic}”")
    elif e.slot in TOPIC_SLOTS and e.facet not in {f.id for f in topics[e.topic].facets}:
        names = "、".join(f.id for f in topics[e.topic].facets)
        out.append(f"{where}: 槽位 {e.slot} 需要主题“{e.topic}”下已登记的 facet（{names}），实为“{e.facet}”")
    for t in e.topics:
        if t not in topics:
            out.append(f"{where}: topics 中的“{t}”不是已登记的主题")
    if e.slot in GROUP_SLOTS and e.group not in groups:
        out.append(f"{where}: {e.slot} 需要已登记的 group，实为“{e.group}”")
    for t in e.org_types:
        if t not in ORG_TYPES:
            out.append(f"{where}: 未知单位类型“{t}”")
    for k in e.kinds:
        if k not in KINDS:
            out.append(f"{where}: 未知文稿类型“{k}”")
    for lay in e.layouts:
        if lay not in LAYOUTS:
            out.append(f"{where}: 未知版式“{lay}”")
    for name in sorted(e.placeholders - set(PLACEHOLDERS)):
        out.append(f"{where}: 未知占位符 {{{name}}}")
    return out


def read_bank(directory: Path | None = None) -> tuple[PhraseBank, list[str]]:
    """Load every bank file under ``directory``; return the bank and the problems found while parsing.

    Schema problems of single entries (unknown slot, topic, placeholder…) are not checked here: see
    ``load_bank`` and ``banklint``.
    """
    directory = Path(directory or PHRASEBANK_DIR)
    problems: list[str] = []
    tdata, tlines, _ = read_yaml(directory / "topics.yaml")
    groups = {
        g["id"]: Group(g["id"], g["name"], i, tuple(g.get("default_topics", ())))
        for i, g in enumerate(tdata["groups"])
    }
    topics = {
        t["id"]: Topic(t["id"], t["group"], i, t["description"], tuple(t.get("keywords", ())),
                       tuple(Facet(f["id"], t["id"], f.get("description", ""), tuple(f.get("keywords", ())))
                             for f in t.get("facets", ())))
        for i, t in enumerate(tdata["topics"])
    }
    vdata, _, _ = read_yaml(directory / "vocabulary.yaml")
    exclusive = {word: tuple(block["org_types"]) for block in vdata["exclusive"] for word in block["words"]}
    org_defaults = vdata.get("org_defaults", {})
    profiles = {t: {k: tuple(v or ()) for k, v in spec.items()} for t, spec in (vdata.get("profiles") or {}).items()}
    entries: list[Entry] = []
    for path in bank_files(directory):
        data, lines, _ = read_yaml(path)
        entries += parse_entries(path, data, lines, problems)
    by_slot: dict[str, list[Entry]] = {}
    for e in entries:
        by_slot.setdefault(e.slot, []).append(e)
    goals = {k: dict(v) for k, v in (vdata.get("business_goals") or {}).items()}
    bank = PhraseBank(topics, groups, tuple(entries), exclusive, org_defaults, profiles, goals,
                      {k: tuple(v) for k, v in by_slot.items()})
    return bank, problems


def bank_files(directory: Path) -> list[Path]:
    """The entry files of a bank folder (topics and vocabulary are registries, not entries)."""
    return sorted(p for p in Path(directory).glob("*.yaml") if p.name not in ("topics.yaml", "vocabulary.yaml"))


def load_bank(directory: Path | None = None) -> PhraseBank:
    """Load the bank for generation; any schema problem raises BankError (run `draftgen bank lint`)."""
    bank, problems = read_bank(directory)
    seen: dict[str, Entry] = {}
    for e in bank.entries:
        problems += validate_entry(e, bank.topics, bank.groups)
        if e.id in seen:
            problems.append(f"{e.file}:{e.line}: id“{e.id}”重复（已见于 {seen[e.id].file}:{seen[e.id].line}）")
        seen.setdefault(e.id, e)
    if problems:
        raise BankError(problems=problems + ["词库有误，请运行 draftgen bank lint 查看详情"])
    return bank


# ---------------------------------------------------------------- compiled cache

# Bumped whenever the pickled shape changes in a way the source digest below would not notice.
_CACHE_FORMAT = 1
_CACHE_MAGIC = b"draftgen-bank\n"


def _cache_key(directory: Path) -> str:
    """A digest of everything the compiled bank depends on: every bank and rule file's bytes, the code that
    parses them, the folder's path (entries remember their file) and the Python version."""
    h = hashlib.sha256()
    h.update(f"{_CACHE_FORMAT}|{sys.version}|{directory}".encode())
    files = sorted(directory.glob("*.yaml")) + sorted((directory / "rules").glob("*.yaml"))
    files += [Path(__file__), Path(__file__).with_name("yamlio.py"), Path(__file__).with_name("models.py")]
    for path in files:
        data = path.read_bytes()
        h.update(f"\0{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def _read_cache(path: Path, key: str) -> Optional[PhraseBank]:
    """The cached bank, or None when the file is missing, foreign, truncated or from other sources."""
    import pickle

    try:
        with open(path, "rb") as f:
            if hasattr(os, "getuid") and os.fstat(f.fileno()).st_uid != os.getuid():
                return None  # only ever unpickle a file this user wrote
            if f.read(len(_CACHE_MAGIC)) != _CACHE_MAGIC or f.read(64).decode("ascii", "replace") != key:
                return None
            bank = pickle.load(f)
    except Exception:  # unreadable or corrupt: fall back to the YAML, and rewrite it
        return None
    return bank if isinstance(bank, PhraseBank) else None


def _write_cache(path: Path, key: str, bank: PhraseBank) -> None:
    """Written whole and renamed into place (diskcache.replace). Failing to cache is never an error."""
    import pickle

    from .diskcache import prune, replace

    try:
        data = _CACHE_MAGIC + key.encode("ascii") + pickle.dumps(bank, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something in the bank pickle cannot hold: go without the cache
        return
    if replace(path, data, prefix=".bank-"):
        prune("bank-", keep=path.name)


def load_bank_cached(directory: Path | None = None) -> PhraseBank:
    """``load_bank`` through the compiled cache. Only a bank that passed validation is ever cached, so an
    invalid bank is read from its YAML every time and reports every problem ``file:line``.
    DRAFTGEN_NO_CACHE=1 turns this cache (and the compiled templates' one) off."""
    directory = Path(directory or PHRASEBANK_DIR).resolve()
    if os.environ.get("DRAFTGEN_NO_CACHE"):
        return load_bank(directory)
    try:
        key = _cache_key(directory)
    except OSError:  # a file vanished or cannot be read: the normal load reports it
        return load_bank(directory)
    path = cache_dir() / f"bank-{key[:32]}.pickle"
    bank = _read_cache(path, key)
    if bank is None:
        bank = load_bank(directory)
        bank.facet_vocabulary, bank.lexicon  # noqa: B018 — made now, so the cached bank carries them
        _write_cache(path, key, bank)
    return bank


@lru_cache(maxsize=4)
def default_bank() -> PhraseBank:
    return load_bank_cached(PHRASEBANK_DIR)
