"""The frozen data that flows between stages.

Brief and Org are validated user input (strict, no unknown keys): dataclasses whose field types say what each
field may hold (fields.py), read by fields.fast_convert or, for anything not plainly valid, by validation.py.
Context, Plan and Draft are plain frozen dataclasses produced by the pipeline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal, Optional, Union

from .fields import Before, Int, Items, PathText, clean_path, fold_text, text  # noqa: F401 — fold_text is re-exported

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

SEED_MAX = 2**32 - 1  # seeds are 32-bit: a derived seed is, and a recorded one must fit a document property

Name = text(40, required=True)  # a person's name, as the brief gives it
Path_ = Annotated[str, PathText()]


def _count(ge: int, le: int):
    return Optional[Annotated[int, Int(ge, le)]]


def _list(item, max_length: int):
    return Annotated[list[item], Items(max_length)]


def _date_text(value):
    """Accept the ways people write a date (2026-1-20, 2026/1/20, 2026.1.20, 2026年1月20日)."""
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", value)
        if m:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return value


def _org_path_or_mapping(value):
    from .fields import FieldProblem

    if isinstance(value, str):
        return clean_path(value)
    if not isinstance(value, dict):
        raise FieldProblem("dg_org", "应为单位配置文件的路径，或带缩进的单位信息")
    return value


_model = dataclass(frozen=True, kw_only=True)  # the brief and org models: read by fields.py and validation.py, never mutated


@_model
class DocxOptions:
    """How the Word file is laid out: fonts per role, a reference document, the page profile."""

    fonts: dict[text(40), text(64)] = field(default_factory=dict)
    reference: Optional[Path_] = None
    profile: Literal["standard", "reading"] = "standard"


@_model
class Org:
    """The speaker's organisation (org.yaml): its names, type, superior and how it is spoken of."""

    name: text(80, required=True)
    short_name: Optional[text(40)] = None
    type: Literal["agency", "school", "university", "soe", "private", "hospital", "village", "community"]
    superior: Optional[text(80)] = None
    business: Optional[text(40)] = None
    members: Optional[text(40)] = None
    # Whom the speaker addresses (their own subordinate organisations) and how the unit as a whole is named.
    audience: Optional[text(40)] = None  # 如“公司各党支部”“院属各党支部”
    whole: Optional[text(20)] = None  # 如“全院”“全公司”
    scope: Literal["own", "system"] = "own"  # own: the unit's own branches; system: many units of a sector or region
    docx: DocxOptions = field(default_factory=DocxOptions)


@_model
class Person:
    """Someone the brief names, with their title."""

    name: Name
    title: Optional[text(60)] = None


@_model
class Reporter:
    """A secretary who reports at a review meeting, in the order called."""

    name: Name
    unit: text(80, required=True)
    written: bool = False  # reports in writing rather than on site


@_model
class PrecedingReport:
    """The work report given before a 工作会议讲话 (e.g. by the head of the organisation department)."""

    by: Name
    title: Optional[text(60)] = None
    subject: Optional[text(200)] = None


@_model
class Meeting:
    """The meeting the speech is given at."""

    name: text(80, required=True)
    date: Annotated[dt.date, Before(_date_text)]
    deployed_by: Optional[text(80)] = None
    reporters: _count(0, 999) = None
    written_reporters: _count(0, 999) = None
    place: Optional[text(80)] = None
    reporters_list: _list(Reporter, 300) = field(default_factory=list)
    preceding_report: Optional[PrecedingReport] = None
    host: Optional[Person] = None
    attendees: Optional[text(500)] = None


@_model
class Speaker:
    """Who gives the speech."""

    name: Name
    title: Optional[text(60)] = None


@_model
class Example:
    """A named person's deed the speech may cite (比如，X同志……)."""

    who: Name
    did: text(500, required=True)
    effect: Optional[text(500)] = None  # what came of it; without it the draft asks for it (【待补充：取得的成效】)
    post: Optional[text(40)] = None  # the comrade's post (初三年级党支部书记), said before the name as speeches do


@_model
class TopicFacts:
    """The brief's facts and examples on one topic (and optionally one facet of it)."""

    topic: text(40, required=True)
    facet: Optional[text(40)] = None  # which facet of the topic the facts are about; default: found by keywords
    facts: _list(text(500, required=True), 30) = field(default_factory=list)
    examples: _list(Example, 20) = field(default_factory=list)


KindName = Literal["review", "work", "news", "host"]


@_model
class Brief:
    """The user's brief (brief.yaml): the meeting, the speaker, the unit's facts and what to stress."""

    kind: KindName = "review"
    kinds: Optional[Annotated[list[KindName], Items(4)]] = None  # the paper set to build from this brief; default: [kind]
    org: Annotated[Union[str, dict], Before(_org_path_or_mapping)]  # a path to org.yaml, or the org inline (validated as Org by load)
    meeting: Meeting
    speaker: Speaker
    review_year: _count(1990, 2100) = None
    focus: _list(text(40, required=True), 8) = field(default_factory=list)
    achievements: _list(TopicFacts, 30) = field(default_factory=list)
    problems: _list(TopicFacts, 30) = field(default_factory=list)
    points: _count(2, 5) = None
    length: _count(1500, 8000) = None
    layout: Optional[Literal["separate", "two_part"]] = None
    seed: _count(0, SEED_MAX) = None


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
    """Everything the planner needs, resolved from the brief, the org and the bank."""

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
    # The year the speech plans: a whole year reviewed at its end (a December meeting) plans the next one,
    # whose frame of the day it speaks of as 明年.
    plan_year: int = 0

    @property
    def secretaries(self) -> str:
        """What those who report are called: a meeting of 党支部书记 calls them so."""
        return "党支部书记" if "党支部书记" in self.meeting_name else "党组织书记"

    @property
    def plans_ahead(self) -> bool:
        return self.plan_year > self.meeting_date.year

    @property
    def frame_date(self) -> dt.date:
        """The date the frame of the day is chosen for: the planned year's start when it is still ahead."""
        return dt.date(self.plan_year, 1, 15) if self.plans_ahead else self.meeting_date

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
    """One requirement as a news report restates it, with its points."""

    headline: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """What the speech will say, in order: frames, achievements, problems and sections."""

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
    """One paragraph of a rendered document, with its role (title, heading1, paragraph …)."""

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
        return len("".join(self.body_text.split()))  # str.split() cuts at exactly the isspace() characters

    def gaps(self) -> list[str]:
        import re

        return re.findall(r"【待补充：[^】]*】", self.body_text)
