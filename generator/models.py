"""The frozen data that flows between stages.

Brief and Org are validated user input (pydantic, strict, no unknown keys).
Context, Plan and Draft are plain frozen dataclasses produced by the pipeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Optional, Union

import re
import unicodedata
from functools import partial
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, field_validator
from pydantic_core import PydanticCustomError

ORG_TYPES: dict[str, str] = {
    "agency": "机关",
    "school": "中小学校",
    "university": "高等学校",
    "soe": "国有企业",
    "private": "非公企业",
    "hospital": "医院",
    "village": "村",
    "community": "街道社区",
}

KINDS: dict[str, str] = {
    "review": "述职评议会讲话（党组织书记抓基层党建工作述职评议会上的点评讲话）",
    "work": "基层党建工作会议讲话（部署全年工作：形势背景、讲N点意见、号召）",
    "news": "会议新闻稿（第三人称报道会议和讲话要点，与讲话稿一致）",
    "host": "主持词（开场、议程、依次请书记述职、评议、请领导讲话、概括讲话要点、散会）",
}

LAYOUTS = ("separate", "two_part")

# ---------------------------------------------------------------- text from a brief is data

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_LINE_BREAKS = re.compile(r"[ \t\u3000\u00a0]*(?:\r\n|[\r\n\x0b\x0c\x85\u2028\u2029])+[ \t\u3000\u00a0]*")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2000-\u200a\u202f\u205f]+")
_SPACE_IN_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")  # zero-width and soft hyphen: pasted, never meant
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SEED_MAX = 2**32 - 1  # seeds are 32-bit: a derived seed is, and a recorded one must fit a document property


def _bad_char(ch: str) -> bool:
    if ch in "\t\n\r\x0b\x0c\x85":  # whitespace and line breaks are folded, not refused
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cs") or ch in _BIDI or (ord(ch) & 0xFFFE) == 0xFFFE


def fold_text(text: str) -> str:
    """One line of text, as a field of a document needs: line breaks and runs of spaces pasted from Word are
    folded (nothing between two Chinese characters, one space elsewhere) and "@" is written full-width, so
    no text can start a paragraph or heading of its own."""
    text = _INVISIBLE.sub("", text)

    def join(m: re.Match) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        if not before or not after:
            return ""
        cjk = re.compile(f"[{_CJK}]")
        return "" if cjk.match(before) or cjk.match(after) else " "

    text = _LINE_BREAKS.sub(join, text)
    text = _SPACES.sub(" ", text)
    # "@" starts a block marker in the rendered text; the full-width sign reads the same in Chinese.
    text = text.replace("@", "＠")
    return _SPACE_IN_CJK.sub("", text).strip()


def _clean(value: str, limit: int, required: bool = False) -> str:
    for i, ch in enumerate(value):
        if _bad_char(ch):
            raise PydanticCustomError(
                "dg_control", "第 {pos} 个字符是不可见的控制字符 {code}，不能写进文稿；请删去它（常见于从其他软件复制的文字）",
                {"pos": i + 1, "code": f"U+{ord(ch):04X}"})
    text = fold_text(value)
    if required and not text:
        raise PydanticCustomError("dg_empty", "不能为空")
    if len(text) > limit:
        raise PydanticCustomError("dg_long", "过长（{n} 字，上限 {limit} 字）；请精简",
                                  {"n": len(text), "limit": limit})
    return text


def Text(limit: int, required: bool = False):  # noqa: N802 — used as a type
    """A one-line string field of at most ``limit`` characters after folding."""
    return Annotated[str, AfterValidator(partial(_clean, limit=limit, required=required)),
                     Field(json_schema_extra={"maxLength": limit})]


def _clean_path(value: str) -> str:
    for i, ch in enumerate(value):
        if _bad_char(ch) or ch in "\t\n\r\x0b\x0c\x85":
            raise PydanticCustomError("dg_control", "第 {pos} 个字符是控制字符 {code}，不能出现在文件路径中；请删去它",
                                      {"pos": i + 1, "code": f"U+{ord(ch):04X}"})
    if len(value) > 1000:
        raise PydanticCustomError("dg_long", "路径过长（{n} 字，上限 1000 字）", {"n": len(value)})
    return value


PathText = Annotated[str, AfterValidator(_clean_path)]
Name = Text(40, required=True)  # a person's name, as the brief gives it


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True, str_strip_whitespace=True)


class DocxOptions(_Strict):
    fonts: dict[Text(40), Text(64)] = Field(default_factory=dict)
    reference: Optional[PathText] = None
    profile: Literal["standard", "reading"] = "standard"


class Org(_Strict):
    name: Text(80, required=True)
    short_name: Optional[Text(40)] = None
    type: Literal["agency", "school", "university", "soe", "private", "hospital", "village", "community"]
    superior: Optional[Text(80)] = None
    business: Optional[Text(40)] = None
    members: Optional[Text(40)] = None
    # Whom the speaker addresses (their own subordinate organisations) and how the unit as a whole is named.
    audience: Optional[Text(40)] = None  # 如“公司各党支部”“院属各党支部”
    whole: Optional[Text(20)] = None  # 如“全院”“全公司”
    scope: Literal["own", "system"] = "own"  # own: the unit's own branches; system: many units of a sector or region
    docx: DocxOptions = Field(default_factory=DocxOptions)


class Person(_Strict):
    name: Name
    title: Optional[Text(60)] = None


class Reporter(_Strict):
    """A secretary who reports at a review meeting, in the order called."""

    name: Name
    unit: Text(80, required=True)
    written: bool = False  # reports in writing rather than on site


class PrecedingReport(_Strict):
    """The work report given before a 工作会议讲话 (e.g. by the head of the organisation department)."""

    by: Name
    title: Optional[Text(60)] = None
    subject: Optional[Text(200)] = None


class Meeting(_Strict):
    name: Text(80, required=True)
    date: dt.date
    deployed_by: Optional[Text(80)] = None
    reporters: Optional[StrictInt] = Field(default=None, ge=0, le=999)
    written_reporters: Optional[StrictInt] = Field(default=None, ge=0, le=999)
    place: Optional[Text(80)] = None
    reporters_list: list[Reporter] = Field(default_factory=list, max_length=300)
    preceding_report: Optional[PrecedingReport] = None
    host: Optional[Person] = None
    attendees: Optional[Text(500)] = None

    @field_validator("date", mode="before")
    @classmethod
    def _accept_chinese_dates(cls, value):
        """Accept the ways people write a date (2026-1-20, 2026/1/20, 2026.1.20, 2026年1月20日)."""
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", value)
            if m:
                return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        return value


class Speaker(_Strict):
    name: Name
    title: Optional[Text(60)] = None


class Example(_Strict):
    who: Name
    did: Text(500, required=True)
    effect: Optional[Text(500)] = None  # what came of it; without it the draft asks for it (【待补充：取得的成效】)


class TopicFacts(_Strict):
    topic: Text(40, required=True)
    facet: Optional[Text(40)] = None  # which facet of the topic the facts are about; default: found by keywords
    facts: list[Text(500, required=True)] = Field(default_factory=list, max_length=30)
    examples: list[Example] = Field(default_factory=list, max_length=20)


KindName = Literal["review", "work", "news", "host"]


class Brief(_Strict):
    kind: KindName = "review"
    kinds: Optional[list[KindName]] = Field(default=None, max_length=4)  # the paper set to build from this brief; default: [kind]
    org: Union[str, dict]  # a path to org.yaml, or the org inline (validated as Org by load)
    meeting: Meeting
    speaker: Speaker
    review_year: Optional[StrictInt] = Field(default=None, ge=1990, le=2100)
    focus: list[Text(40, required=True)] = Field(default_factory=list, max_length=8)
    achievements: list[TopicFacts] = Field(default_factory=list, max_length=30)
    problems: list[TopicFacts] = Field(default_factory=list, max_length=30)
    points: Optional[StrictInt] = Field(default=None, ge=2, le=5)
    length: Optional[StrictInt] = Field(default=None, ge=1500, le=8000)
    layout: Optional[Literal["separate", "two_part"]] = None
    seed: Optional[StrictInt] = Field(default=None, ge=0, le=SEED_MAX)

    @field_validator("org", mode="before")
    @classmethod
    def _org_path_or_mapping(cls, value):
        if isinstance(value, str):
            return _clean_path(value)
        if not isinstance(value, dict):
            raise PydanticCustomError("dg_org", "应为单位配置文件的路径，或带缩进的单位信息")
        return value


@dataclass(frozen=True)
class LoadedBrief:
    """A validated brief with its resolved organisation and where it came from."""

    brief: Brief
    org: Org
    path: str
    digest: str  # sha256 of the brief and org texts, for reproducibility records
    org_dir: str = "."  # where relative paths of the org config (docx.reference) start
    docx_where: str = ""  # "file:line" of the org's docx settings, for messages of the Word exporter


# ---------------------------------------------------------------- context


@dataclass(frozen=True)
class Context:
    kind: str
    org: Org
    org_type: str
    unit: str  # how the unit is named in running text
    meeting_name: str
    meeting_date: dt.date
    review_year: int
    speaker_name: str
    speaker_title: str
    deployed_by: Optional[str]
    superior: Optional[str]
    business: Optional[str]
    members: str
    reporters: Optional[int]
    written_reporters: Optional[int]
    focus: tuple[str, ...]
    achievements: tuple[TopicFacts, ...]
    problems: tuple[TopicFacts, ...]
    points: Optional[int]
    length: int
    layout: Optional[str]
    seed: int
    brief_text: str  # every string the user gave, joined: used to allow their own words through filters
    digest: str = ""
    kinds: tuple[str, ...] = ("review",)  # the documents to write from this one plan
    reporters_list: tuple[Reporter, ...] = ()
    preceding_report: Optional[PrecedingReport] = None
    host: Optional[Person] = None
    attendees: Optional[str] = None
    audience: str = "各党支部"
    whole: str = "全单位"
    scope: str = "own"
    period: str = "year"  # what the meeting reviews: year, half (上半年) or quarter
    period_text: str = ""  # 2025年 / 2021年上半年
    horizon: str = "新的一年"  # what it plans: 新的一年 / 下半年

    def own_terms(self) -> list[str]:
        """Names and wording the user gave: never flagged by the checker, never filtered as foreign."""
        terms = [self.unit, self.org.name, self.meeting_name, self.speaker_name, self.superior, self.deployed_by]
        return [t for t in terms if t] + self.brief_text.splitlines()

    @property
    def speech_kind(self) -> str:
        """The speech every document of the set is built around: a 工作会议讲话 or a 述职评议会讲话."""
        return "work" if self.kind == "work" or "work" in self.kinds else "review"


# ---------------------------------------------------------------- plan


@dataclass(frozen=True)
class Chosen:
    """One bank entry chosen for a place in the speech, with its text already filled in."""

    entry_id: str
    text: str


@dataclass(frozen=True)
class Item:
    """An enumerated point: 一是…/一要… with a headline, elaborations and the brief's facts."""

    topic: str
    headline: Chosen
    elaborations: tuple[Chosen, ...] = ()
    facts: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    gap: Optional[str] = None  # what the user must add where a fact is missing
    facet: str = ""  # the one facet of the topic that headline and every sentence speak of
    evidence: Optional[Chosen] = None  # the brief's facts in a sentence of their own, right after the headline
    cases: Optional[Chosen] = None  # the brief's named examples (比如，X同志……)
    opener: Optional[Chosen] = None  # a short principle that opens a directive point (抓党建，关键在书记。)


@dataclass(frozen=True)
class Section:
    """A numbered section (一、二、). ``style`` is how its points are marked: 一要 (yao), 第一， (ordinal),
    or a triad of argument paragraphs (argument)."""

    group: str
    headline: Chosen
    lead: tuple[Chosen, ...] = ()
    items: tuple[Item, ...] = ()
    style: str = "yao"
    parallel: Optional[Chosen] = None  # a 排比 paragraph under the headline, before the points


@dataclass(frozen=True)
class Requirement:
    headline: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    kind: str
    layout: str
    context: Context
    frames: dict[str, Chosen]
    achievements: tuple[Item, ...]
    problems: tuple[Item, ...]
    sections: tuple[Section, ...]
    target_length: int
    estimated_length: int

    @property
    def points(self) -> int:
        return len(self.sections)

    def point_headlines(self) -> list[str]:
        """The speech's N points by their real headlines (一、二、三、), as the host sums them up."""
        return [s.headline.text for s in self.sections]

    def requirement_points(self) -> list["Requirement"]:
        """The speech's requirements as a news report gives them (“X要求，一是要……”): the directive
        sections with their points; in the two-part layout (whose 一、 is the review) the directives
        themselves; never the argument triad of a work speech, which states reasons, not requirements."""
        if self.layout == "two_part":
            return [Requirement(i.headline.text) for i in self.sections[1].items]
        return [Requirement(s.headline.text, tuple(i.headline.text for i in s.items))
                for s in self.sections if s.style != "argument"]

    def entry_ids(self) -> list[str]:
        ids = [c.entry_id for c in self.frames.values()]
        for item in self.items():
            ids += [item.headline.entry_id, *(e.entry_id for e in item.elaborations)]
            ids += [c.entry_id for c in (item.evidence, item.cases, item.opener) if c]
        ids += [c.entry_id for sec in self.sections for c in (sec.headline, *sec.lead, sec.parallel) if c]
        return ids

    def items(self) -> list[Item]:
        """Every enumerated point of the speech: achievements, problems, then the directives."""
        return [*self.achievements, *self.problems, *(i for s in self.sections for i in s.items)]


# ---------------------------------------------------------------- draft

BlockRole = Literal["title", "meta", "salutation", "heading1", "heading2", "paragraph", "closing"]


@dataclass(frozen=True)
class Block:
    role: str
    text: str


@dataclass(frozen=True)
class Draft:
    """A rendered document: an ordered list of blocks, plus what export and the terminal need to know."""

    kind: str
    title: str
    blocks: tuple[Block, ...]
    meeting_date: Optional[dt.date] = None
    seed: Optional[int] = None
    entry_ids: tuple[str, ...] = ()
    digest: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)

    @property
    def body_text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def char_count(self) -> int:
        """字数 as Word counts it for Chinese text: every non-space character."""
        return sum(1 for ch in self.body_text if not ch.isspace())

    def gaps(self) -> list[str]:
        import re

        return re.findall(r"【待补充：[^】]*】", self.body_text)
