"""Stage 2 — context: merge defaults < org config < brief < command-line options, derive years and budgets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Optional

from .bank import PhraseBank
from .models import Context, LoadedBrief

DEFAULT_LENGTH = 3000
CHARS_PER_MINUTE = 220  # a measured speaking pace for formal speeches read from a script


@dataclass(frozen=True)
class Overrides:
    """What the command line may set over the brief."""

    seed: Optional[int] = None
    length: Optional[int] = None
    points: Optional[int] = None
    layout: Optional[str] = None
    kinds: Optional[tuple[str, ...]] = None


def _brief_strings(loaded: LoadedBrief) -> str:
    """Every piece of text the user wrote: their own words are always allowed through vocabulary filters."""
    b, o = loaded.brief, loaded.org
    m = b.meeting
    parts = [o.name, o.short_name, o.superior, o.business, o.members, m.name, m.deployed_by, m.place, m.attendees,
             b.speaker.name, b.speaker.title]
    parts += [x for r in m.reporters_list for x in (r.unit, r.name)]
    if m.preceding_report:
        parts += [m.preceding_report.by, m.preceding_report.title, m.preceding_report.subject]
    if m.host:
        parts += [m.host.name, m.host.title]
    for group in (b.achievements, b.problems):
        for tf in group:
            parts += tf.facts
            parts += [f"{ex.post or ''}{ex.who}{ex.did}" for ex in tf.examples]
    return "\n".join(p for p in parts if p)


# What a meeting reviews, from its name: a 上半年 meeting reviews half a year and plans the second half.
PERIODS = (("上半年", "half"), ("半年", "half"), ("第一季度", "quarter"), ("一季度", "quarter"))


def meeting_period(name: str, review_year: int) -> tuple[str, str, str]:
    """(period, the period in words, the horizon planned) for a meeting's name."""
    for word, period in PERIODS:
        if word in name:
            if period == "half":
                return period, f"{review_year}年上半年", "下半年"
            return period, f"{review_year}年一季度", "接下来"
    return "year", f"{review_year}年", "新的一年"


# A unit that calls itself otherwise than its kind's default (集团党委, not 公司党委) is spoken of in its own
# words: 全集团, 集团各级党组织. Only where the org config does not say it (whole, audience).
WHOLE_OF = (("集团", "全集团"), ("公司", "全公司"), ("医院", "全院"), ("大学", "全校"), ("学院", "全院"),
            ("学校", "全校"), ("街道", "全街道"), ("镇", "全镇"), ("乡", "全乡"), ("村", "全村"), ("社区", "全社区"))
AUDIENCE_OF = (("集团", "集团各级党组织"), ("街道", "各社区党组织"), ("镇", "各村党组织"), ("乡", "各村党组织"),
               ("社区", "社区各党支部"), ("村", "村各党支部"))


def _own_word(short_name: str | None, default: str, table: tuple[tuple[str, str], ...]) -> str:
    for prefix, word in table:
        if short_name and short_name.startswith(prefix):
            # (the kind's default stands where it already fits: 公司党委 → 公司各党支部)
            return default if default.startswith(prefix) or default.endswith(word[-2:]) else word
    return default


def _as_business(value: str, org_type: str, bank: PhraseBank) -> str:
    """The unit's business as a field of work: a goal (立德树人) reads wrongly where the bank needs a field
    (立德树人领域, 立德树人骨干), so it is spoken of as the work it names (教育教学)."""
    goal = bank.business_goals.get(value)
    return (goal.get(org_type) or goal.get("default") or value) if goal else value


def derive_seed(loaded: LoadedBrief) -> int:
    """A stable seed from the brief's content, so an unseeded brief still gives the same draft every run."""
    return int(hashlib.sha256(loaded.digest.encode()).hexdigest()[:8], 16)


def build_context(loaded: LoadedBrief, bank: PhraseBank, overrides: Overrides = Overrides()) -> Context:
    b, org = loaded.brief, loaded.org
    defaults = bank.org_defaults.get(org.type, {})
    date = b.meeting.date
    # A述职 meeting held in the first quarter reviews the year before.
    review_year = b.review_year or (date.year - 1 if date.month <= 3 else date.year)
    seed = overrides.seed if overrides.seed is not None else (b.seed if b.seed is not None else derive_seed(loaded))
    period, period_text, horizon = meeting_period(b.meeting.name, review_year)
    return Context(
        kind=b.kind,
        org=org,
        org_type=org.type,
        unit=org.short_name or defaults.get("short_name", "党委"),
        meeting_name=b.meeting.name,
        meeting_date=date,
        review_year=review_year,
        speaker_name=b.speaker.name,
        speaker_title=b.speaker.title or "",
        deployed_by=b.meeting.deployed_by,
        superior=org.superior,
        business=_as_business(org.business or defaults.get("business", "中心工作"), org.type, bank),
        members=org.members or defaults.get("members", "党员"),
        # Counts follow the list of reporters when the brief gives one (load checks they agree).
        reporters=b.meeting.reporters if b.meeting.reporters is not None else (
            sum(1 for r in b.meeting.reporters_list if not r.written) or None),
        written_reporters=b.meeting.written_reporters if b.meeting.written_reporters is not None else (
            sum(1 for r in b.meeting.reporters_list if r.written) or None),
        focus=tuple(b.focus),
        achievements=tuple(b.achievements),
        problems=tuple(b.problems),
        points=overrides.points or b.points,
        length=overrides.length or b.length or DEFAULT_LENGTH,
        layout=overrides.layout or b.layout,
        seed=seed,
        brief_text=_brief_strings(loaded),
        digest=loaded.digest,
        kinds=tuple(overrides.kinds or b.kinds or (b.kind,)),
        reporters_list=tuple(b.meeting.reporters_list),
        preceding_report=b.meeting.preceding_report,
        host=b.meeting.host,
        attendees=b.meeting.attendees,
        audience=org.audience or _own_word(org.short_name, defaults.get("audience", "各党支部"), AUDIENCE_OF),
        whole=org.whole or _own_word(org.short_name, defaults.get("whole", "全单位"), WHOLE_OF),
        scope=org.scope,
        period=period,
        period_text=period_text,
        horizon=horizon,
        # (only a meeting late in the year looks to the next; one in June plans the rest of its own)
        plan_year=review_year + 1 if period == "year" and date.year == review_year and date.month >= 10 else date.year,
    )
