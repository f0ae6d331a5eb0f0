"""Briefs for every kind of unit, built in code: for the bank's usage audit and for tests.

By default they carry no facts of their own (so every achievement becomes a 【待补充】 gap): they exercise
the bank, not a particular unit. With ``facts=True`` they carry a few facts of the kind a unit of that type
would write, for the coherence measures (facts lead their paragraphs, problems are answered).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from .models import Brief, Example, LoadedBrief, Meeting, Org, PrecedingReport, Speaker, TopicFacts

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


# (topic, fact) pairs a unit of each type might write; the example is (topic, who, did).
FACTS: dict[str, dict] = {
    "agency": {"achievements": [("组织建设", "完成4个处室党支部按期换届"), ("理论武装", "举办读书班3期，轮训党员干部120人次")],
               "example": ("党建与业务融合", "刘洋", "带领综合处党员组建项目服务专班"),
               "problems": [("作风建设", "个别处室文件会议多、调研少"), ("干部人才队伍", "部分支部书记由业务骨干兼任，党务培训不够")]},
    "school": {"achievements": [("组织建设", "调整成立年级党支部6个"), ("党员教育管理", "发展党员5名")],
               "example": ("服务群众", "李华", "带领党员教师开展课后延时服务"),
               "problems": [("组织生活", "有的支部主题党日内容单一"), ("党建与业务融合", "党建与教育教学结合不够紧")]},
    "university": {"achievements": [("组织建设", "建成样板党支部4个"), ("党员教育管理", "发展学生党员86名")],
                   "example": ("党建与业务融合", "周敏", "带领教工党支部组建科研攻关团队"),
                   "problems": [("干部人才队伍", "部分教师党支部书记“双带头人”作用发挥不充分"),
                                ("意识形态", "个别讲座论坛审批把关不够严")]},
    "soe": {"achievements": [("党建与业务融合", "组建党员突击队15支"), ("纪律建设", "排查廉洁风险点42个")],
            "example": ("党员教育管理", "王强", "带领检修班党员攻克设备故障难题"),
            "problems": [("组织生活", "基层项目部“三会一课”落实不够规范"), ("责任落实", "部分支部书记抓党建精力投入不足")]},
    "private": {"achievements": [("组织建设", "新建车间党支部3个"), ("党员教育管理", "开展党员技能比武2次")],
                "example": ("服务群众", "陈芳", "带领党员志愿服务队走访困难职工"),
                "problems": [("党员教育管理", "流动党员管理还有盲区"), ("党建与业务融合", "党建工作与生产经营结合不够紧")]},
    "hospital": {"achievements": [("组织建设", "完成5个党支部按期换届"), ("服务群众", "组织党员医务人员下乡义诊12次")],
                 "example": ("党建与业务融合", "陈晨", "带领内科党员成立“夜间门诊”服务小组"),
                 "problems": [("纪律建设", "个别科室廉洁风险点排查不够细"), ("服务群众", "门诊服务态度投诉仍有发生")]},
    "village": {"achievements": [("服务群众", "为群众办实事23件"), ("组织建设", "建成村党群服务中心")],
                "example": ("党员教育管理", "赵刚", "带领党员示范户发展特色种植"),
                "problems": [("干部人才队伍", "村干部年龄偏大"), ("党员教育管理", "外出务工党员管理难")]},
    "community": {"achievements": [("服务群众", "组建党员志愿服务队8支"), ("组织建设", "在小区成立党支部11个")],
                  "example": ("服务群众", "孙丽", "带领网格党员上门走访独居老人"),
                  "problems": [("党员教育管理", "流动党员底数不清"), ("组织生活", "部分支部组织生活会批评不够")]},
}


def _facts(org_type: str) -> tuple[list[TopicFacts], list[TopicFacts], list[str]]:
    table = FACTS[org_type]
    achievements: dict[str, TopicFacts] = {}
    for topic, fact in table["achievements"]:
        achievements.setdefault(topic, TopicFacts(topic=topic)).facts.append(fact)
    topic, who, did = table["example"]
    achievements.setdefault(topic, TopicFacts(topic=topic)).examples.append(Example(who=who, did=did))
    problems = [TopicFacts(topic=t, facts=[f]) for t, f in table["problems"]]
    return list(achievements.values()), problems, [*achievements, *(p.topic for p in problems)]


def sample_brief(org_type: str, *, variant: int = 0, length: int = 3000, layout: str | None = None,
                 date: dt.date = dt.date(2026, 1, 20), kind: str = "review", facts: bool = False) -> LoadedBrief:
    name, short = UNITS[org_type]
    focus = FOCUS_SETS[variant % len(FOCUS_SETS)]
    achievements: list[TopicFacts] = []
    problems = [TopicFacts(topic=t) for t in focus[1:3]]
    if facts:
        achievements, problems, named = _facts(org_type)
        focus = tuple(dict.fromkeys(named))[:4]
    brief = Brief(
        kind=kind,
        org=org_type,
        meeting=(Meeting(name=f"{date.year - 1}年度基层党组织书记抓基层党建工作述职评议会", date=date,
                         reporters=8 + variant, deployed_by="上级党组织" if variant % 2 else None)
                 if kind == "review" else
                 Meeting(name=f"{date.year}年基层党建工作会议", date=date,
                         preceding_report=PrecedingReport(by="李清", title="党委副书记") if variant % 2 else None)),
        speaker=Speaker(name="张同", title="党工委书记" if org_type == "community" else "党委书记"),
        focus=list(focus),
        achievements=achievements,
        problems=problems,
        length=length,
        layout=layout,
    )
    # The community unit is a 街道党工委: it speaks to the 社区 Party organisations of the whole 街道.
    org = Org(name=name, short_name=short, type=org_type, **({"whole": "全街道"} if org_type == "community" else {}))
    digest = hashlib.sha256(f"{org_type}/{variant}/{length}/{layout}/{date}/{kind}/{facts}".encode()).hexdigest()
    return LoadedBrief(brief=brief, org=org, path=f"<{org_type}-{variant}>", digest=digest)
