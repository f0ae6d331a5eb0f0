"""Briefs for every kind of unit, built in code: for the bank's usage audit and for tests.

They carry no facts of their own (so every achievement becomes a 【待补充】 gap): they exercise the
bank, not a particular unit.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .models import Brief, LoadedBrief, Meeting, Org, Speaker, TopicFacts

UNITS: dict[str, tuple[str, str]] = {
    "agency": ("中共某市发展和改革委员会机关委员会", "市发改委机关党委"),
    "school": ("中共某市第一中学委员会", "学校党委"),
    "university": ("中共某大学委员会", "学校党委"),
    "soe": ("中共某能源集团有限公司委员会", "公司党委"),
    "private": ("中共某科技股份有限公司委员会", "公司党委"),
    "hospital": ("中共某市人民医院委员会", "医院党委"),
    "village": ("中共某村委员会", "村党委"),
    "community": ("中共某街道工作委员会", "街道党工委"),
}

FOCUS_SETS = (
    ("责任落实", "组织建设", "党员教育管理", "党建与业务融合"),
    ("政治建设", "理论武装", "组织生活", "服务群众"),
    ("意识形态", "干部人才队伍", "作风建设", "纪律建设"),
    ("品牌创建", "考核督查问责", "组织建设", "服务群众"),
)


def sample_brief(org_type: str, *, variant: int = 0, length: int = 3000, layout: str | None = None,
                 date: dt.date = dt.date(2026, 1, 20)) -> LoadedBrief:
    name, short = UNITS[org_type]
    focus = FOCUS_SETS[variant % len(FOCUS_SETS)]
    problems = focus[1:3]
    brief = Brief(
        kind="review",
        org=org_type,
        meeting=Meeting(name=f"{date.year - 1}年度基层党组织书记抓基层党建工作述职评议会", date=date,
                        reporters=8 + variant, deployed_by="上级党组织" if variant % 2 else None),
        speaker=Speaker(name="张同", title="党委书记"),
        focus=list(focus),
        problems=[TopicFacts(topic=t) for t in problems],
        length=length,
        layout=layout,
    )
    org = Org(name=name, short_name=short, type=org_type)
    digest = hashlib.sha256(f"{org_type}/{variant}/{length}/{layout}/{date}".encode()).hexdigest()
    return LoadedBrief(brief=brief, org=org, path=f"<{org_type}-{variant}>", digest=digest)
