"""Stage 3 — plan: decide *what* is said.

Chooses the layout, the sections and their order, which of the brief's facts go where, how many points
and how much elaboration fit the length budget, and which bank entries fill each place. Pure: every
random choice comes from the ``random.Random`` passed in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Optional

from .bank import Entry, PhraseBank, fill
from .errors import InputError
from .models import LAYOUTS, Chosen, Context, Example, Item, Plan, Section, TopicFacts

# Topics a speech falls back on when the brief names none, in the order real speeches take them.
FALLBACK_ACHIEVEMENT_TOPICS = ("政治建设", "组织建设", "党建与业务融合")
FALLBACK_PROBLEM_TOPICS = ("责任落实", "党建与业务融合", "党员教育管理")
# When a speech needs more sections than the brief's topics cover, groups are added in this order.
GROUP_FILL_ORDER = ("政治引领", "组织体系", "责任落实", "融合发展", "作风纪律")
TWO_PART_GROUPS = ("回顾", "部署")
TYPE_SPECIFIC_BONUS = 2.0  # entries written for the unit's own type read more natural: prefer them
REPEATING_VALUES = ("business", "members", "unit")  # values that recur in many entries
FREE_REPEATS = 3  # after this many uses of one, entries that repeat it again are disfavoured
REPEAT_PENALTY = 0.1

# Characters the templates add around the chosen texts; used to estimate the length while planning.
OVERHEAD = {"item": 3, "facts": 7, "example": 6, "heading": 2, "headline": 20, "transition": 8, "fixed": 20}

MAX_DIRECTIVE_ELABORATIONS = 4
TWO_PART_MAX_LENGTH = 5500
MAX_ITEMS_PER_SECTION = 6
MAX_TWO_PART_DIRECTIVES = 8


def points_for_length(length: int) -> int:
    # Most real speeches make three points whatever their length; very short ones two, very long ones more.
    if length <= 2200:
        return 2
    if length <= 6000:
        return 3
    if length <= 7200:
        return 4
    return 5


def work_points_for_length(length: int) -> int:
    # why — what — how: three parts; a long deployment speech splits its tasks over more sections.
    if length <= 4000:
        return 3
    return 4 if length <= 6000 else 5


class Chooser:
    """Draws bank entries for places in the speech: filtered by tags, weighted, never the same entry twice."""

    def __init__(self, bank: PhraseBank, ctx: Context, layout: str, rng: random.Random,
                 values: dict[str, Optional[str]], avoid: Iterable[str] = ()):
        self.bank, self.ctx, self.layout, self.rng = bank, ctx, layout, rng
        self.values = values
        # Entry id → in how many earlier drafts it was used. When every candidate was used before, the
        # least used is preferred, so that no two variants share more than they must.
        self.avoid = dict(avoid) if isinstance(avoid, Mapping) else {i: 1 for i in avoid}
        self.used: set[str] = set()
        # How often each value-placeholder has been filled: a unit's business named ten times reads as a tic.
        self.filled: dict[str, int] = {}
        # Exclusive words of other unit types, unless the user's own brief uses them.
        self.foreign_words = tuple(
            w for w, types in bank.exclusive_vocabulary.items()
            if ctx.org_type not in types and w not in ctx.brief_text
        )

    def _eligible(self, e: Entry) -> bool:
        if e.id in self.used:
            return False
        if any(self.values.get(name) is None for name in e.placeholders):
            return False
        return not any(w in e.text for w in self.foreign_words)

    def _mentions(self, e: Entry) -> list[str]:
        """Which recurring values (the unit's business, its members…) an entry names, by placeholder or
        literally (a hospital's own entries write 党员医务人员 out)."""
        return [p for p in REPEATING_VALUES
                if f"{{{p}}}" in e.text or (self.values.get(p) and self.values[p] in e.text)]

    def available(self, slot: str, *, topic: str | None = None, group: str | None = None) -> list[Entry]:
        cands = self.bank.candidates(slot, topic=topic, group=group, org_type=self.ctx.org_type,
                                     kind=self.ctx.speech_kind, layout=self.layout, date=self.ctx.meeting_date)
        return [e for e in cands if self._eligible(e)]

    def pick(self, slot: str, *, topic: str | None = None, group: str | None = None,
             prefer: Callable[[Entry], float] | None = None) -> Chosen | None:
        cands = self.available(slot, topic=topic, group=group)
        # Entries used in earlier drafts for this unit are avoided while fresh ones remain.
        fresh = [e for e in cands if e.id not in self.avoid] or cands
        if not fresh:
            return None
        weights = [e.weight * (TYPE_SPECIFIC_BONUS if e.org_types else 1.0) * (prefer(e) if prefer else 1.0)
                   / (1 + self.avoid.get(e.id, 0)) ** 4
                   * REPEAT_PENALTY ** sum(max(0, self.filled.get(p, 0) - FREE_REPEATS) for p in self._mentions(e))
                   for e in fresh]
        if not any(weights):  # a preference of 0 rules an entry out, unless nothing else is left
            weights = [1.0] * len(fresh)
        entry = self.rng.choices(fresh, weights=weights, k=1)[0]
        self.used.add(entry.id)
        chosen = Chosen(entry.id, fill(entry.text, {k: v for k, v in self.values.items() if v is not None}))
        self._count(chosen, +1)
        return chosen

    def release(self, *chosen: Chosen) -> None:
        """Give back entries picked but not used (they would have overshot the length budget)."""
        for c in chosen:
            self.used.discard(c.entry_id)
            self._count(c, -1)

    def _count(self, chosen: Chosen, sign: int) -> None:
        for p in REPEATING_VALUES:
            if self.values.get(p):
                self.filled[p] = self.filled.get(p, 0) + sign * chosen.text.count(self.values[p])

    def need(self, slot: str, **kwargs) -> Chosen:
        chosen = self.pick(slot, **kwargs)
        if chosen is None:
            what = "、".join(f"{k}={v}" for k, v in kwargs.items() if isinstance(v, str))
            raise InputError(problems=[f"词库中没有适用于本单位和会议日期的“{slot}”条目（{what}），请补充词库"])
        return chosen


@dataclass
class _ItemDraft:
    topic: str
    headline: Chosen
    elaborations: list[Chosen] = field(default_factory=list)
    facts: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    gap: Optional[str] = None
    slot: str = "directive_elaboration"

    def freeze(self) -> Item:
        return Item(self.topic, self.headline, tuple(self.elaborations), self.facts, self.examples, self.gap)

    def length(self) -> int:
        n = OVERHEAD["item"] + len(self.headline.text) + sum(len(c.text) for c in self.elaborations)
        if self.facts:
            n += OVERHEAD["facts"] + sum(len(f) + 1 for f in self.facts)
        n += sum(OVERHEAD["example"] + len(ex.who) + len(ex.did) for ex in self.examples)
        return n + (len(self.gap) if self.gap else 0)


@dataclass
class _SectionDraft:
    groups: list[str]
    headline: Chosen | None = None
    lead: list[Chosen] = field(default_factory=list)
    items: list[_ItemDraft] = field(default_factory=list)
    lead_group: str = ""
    style: str = "yao"
    topics: tuple[str, ...] = ()  # the topics its points may take; empty: every topic of its groups
    max_items: int = 99
    max_elaborations: int = 99

    def length(self) -> int:
        # A headline not chosen yet is counted at a typical length.
        head = OVERHEAD["heading"] + (len(self.headline.text) if self.headline else OVERHEAD["headline"])
        return head + sum(len(c.text) for c in self.lead) + sum(i.length() for i in self.items)


def _merge_facts(groups: Iterable[TopicFacts]) -> dict[str, tuple[list[str], list[Example]]]:
    out: dict[str, tuple[list[str], list[Example]]] = {}
    for tf in groups:
        facts, examples = out.setdefault(tf.topic, ([], []))
        facts += [f.strip().rstrip("。；;，,") for f in tf.facts if f.strip()]
        examples += list(tf.examples)
    return out


def _values(ctx: Context, chooser_spirit: Optional[str], milestone: Optional[str]) -> dict[str, Optional[str]]:
    return {
        "unit": ctx.unit,
        "org_name": ctx.org.name,
        "superior": ctx.superior,
        "business": ctx.business,
        "members": ctx.members,
        "year": str(ctx.review_year),
        "next_year": str(ctx.review_year + 1),
        "meeting": ctx.meeting_name,
        "reporters": str(ctx.reporters) if ctx.reporters else None,
        "written_reporters": str(ctx.written_reporters) if ctx.written_reporters else None,
        "deployed_by": ctx.deployed_by,
        "speaker": ctx.speaker_name,
        "spirit": chooser_spirit,
        "milestone": milestone,
        "report_by": (f"{ctx.preceding_report.title or ''}{ctx.preceding_report.by}同志"
                      if ctx.preceding_report else None),
    }


def choose_layout(ctx: Context, rng: random.Random) -> str:
    if ctx.layout:
        if ctx.layout == "two_part" and ctx.points not in (None, 2):
            raise InputError(problems=[f"layout: two_part 固定为“讲两点意见”，与 points: {ctx.points} 矛盾；请删去其一"])
        return ctx.layout
    # “讲两点意见” keeps every directive in one section; past about 5,500 字 that reads as a list, so
    # long speeches and those with more than two points take the separate layout.
    if ctx.points not in (None, 2) or ctx.length > TWO_PART_MAX_LENGTH:
        return "separate"
    return rng.choice(LAYOUTS)


def make_plan(ctx: Context, bank: PhraseBank, rng: random.Random, avoid: Iterable[str] = ()) -> Plan:
    """Plan the meeting's speech, and the extra wording of every other document asked for (news, host).

    One plan serves the whole paper set, so every document names the same points, people and numbers.
    """
    layout = choose_layout(ctx, rng) if ctx.speech_kind == "review" else "work"
    # Time-bound formulas first: they are values other entries refer to.
    probe = Chooser(bank, ctx, layout, rng, {}, avoid)
    spirit = probe.pick("spirit")
    milestone = probe.pick("milestone")
    values = _values(ctx, spirit.text if spirit else None, milestone.text if milestone else None)
    chooser = Chooser(bank, ctx, layout, rng, values, avoid)
    chooser.used |= probe.used
    topic_order = {t: bank.topics[t].order for t in bank.topics}
    by_order = lambda topics: sorted(dict.fromkeys(topics), key=lambda t: topic_order[t])  # noqa: E731

    frames: dict[str, Chosen] = {}
    for name, chosen in (("spirit", spirit), ("milestone", milestone)):
        if chosen:
            frames[name] = chosen
    with_milestone = lambda e: 2.0 if "milestone" in e.placeholders else 1.0  # noqa: E731

    achievements: list[_ItemDraft] = []
    problems: list[_ItemDraft] = []
    pro_facts = _merge_facts(ctx.problems)
    if ctx.speech_kind == "review":
        frames["opening"] = chooser.need("opening", prefer=lambda e: 3.0 if "deployed_by" in e.placeholders else 1.0)

        def prefer_counts(e: Entry) -> float:
            # The brief's counts are always used when it gives them (the news and host repeat them).
            if ctx.reporters and "reporters" not in e.placeholders:
                return 0.0
            return 4.0 if ctx.written_reporters and "written_reporters" in e.placeholders else 1.0

        frames["affirmation"] = chooser.need("affirmation", prefer=prefer_counts)
        for slot in ("achievements_intro", "problems_intro", "problems_outro", "transition"):
            frames[slot] = chooser.need(slot)
        frames["closing"] = chooser.need("closing", prefer=with_milestone)

        # Achievements: the focus topics and any topic the brief gives facts for.
        ach_facts = _merge_facts(ctx.achievements)
        ach_topics = by_order([*ctx.focus, *ach_facts]) or list(FALLBACK_ACHIEVEMENT_TOPICS)
        for topic in ach_topics:
            facts, examples = ach_facts.get(topic, ([], []))
            gap = None if facts or examples else f"【待补充：{topic}方面的具体做法、数据或典型事例】"
            achievements.append(_ItemDraft(topic, chooser.need("achievement_headline", topic=topic), [],
                                           tuple(facts), tuple(examples), gap, "achievement_elaboration"))

        # Problems: the brief's, or the ones nearly every unit has, stated generally.
        pro_topics = by_order(pro_facts) or [t for t in FALLBACK_PROBLEM_TOPICS][:3]
        for topic in pro_topics:
            facts, examples = pro_facts.get(topic, ([], []))
            item = _ItemDraft(topic, chooser.need("problem_headline", topic=topic), [], tuple(facts),
                              tuple(examples), None, "problem_elaboration")
            item.elaborations.append(chooser.need("problem_elaboration", topic=topic,
                                                  prefer=_not_echoing(item.headline)))
            problems.append(item)

        # Directives: every problem's topic gets one; then the focus topics.
        required = by_order([*pro_topics, *ctx.focus])
        if layout == "separate":
            n_sections = ctx.points or points_for_length(ctx.length)
            sections = _sections_separate(required, n_sections, bank, chooser)
        else:
            sections = _sections_two_part(required, bank, chooser)
    else:
        frames["work_context"] = chooser.need("work_context")
        frames["report_ack"] = chooser.need("report_ack", prefer=lambda e: float(
            ("report_by" in e.placeholders) == (ctx.preceding_report is not None)))
        frames["work_transition"] = chooser.need("work_transition")
        frames["work_closing"] = chooser.need("work_closing", prefer=with_milestone)
        # Last year's problems, where the brief gives them, are answered among the tasks.
        required = by_order([*ctx.focus, *pro_facts]) or list(FALLBACK_ACHIEVEMENT_TOPICS)
        sections = _sections_work(required, ctx.points or work_points_for_length(ctx.length), bank, chooser)

    for kind, slots in EXTRA_SLOTS.items():
        if kind in ctx.kinds:
            for slot in slots:
                frames[slot] = chooser.need(slot)

    counted = [k for k in frames if k not in ("spirit", "milestone") and k not in EXTRA_FRAME_SLOTS]
    frame_len = sum(len(frames[k].text) for k in counted)
    fixed = OVERHEAD["fixed"] + len(ctx.meeting_name) + len(ctx.speaker_name) + OVERHEAD["transition"]

    def estimate() -> int:
        return (fixed + frame_len + sum(i.length() for i in achievements) + sum(i.length() for i in problems)
                + sum(s.length() for s in sections))

    _fit_length(ctx, bank, chooser, achievements, problems, sections, estimate, layout)
    for sec in sections:
        if sec.headline is None:
            # Headlines last, once each section's points are known, so a headline speaks of what follows it.
            sec.headline = chooser.need("section_headline", group=sec.lead_group, prefer=_headline_fits(bank, sec))

    return Plan(
        kind=ctx.speech_kind,
        layout=layout,
        context=ctx,
        frames=frames,
        achievements=tuple(i.freeze() for i in achievements),
        problems=tuple(i.freeze() for i in problems),
        sections=tuple(Section("+".join(s.groups), s.headline, tuple(s.lead), tuple(i.freeze() for i in s.items),
                               s.style) for s in sections),
        target_length=ctx.length,
        estimated_length=estimate(),
    )


# The wording the news report and the host's script need beyond the speech's own.
EXTRA_SLOTS = {"news": ("news_affirm",), "host": ("host_opening", "host_rating", "host_summary_lead", "host_closing")}
EXTRA_FRAME_SLOTS = {slot for slots in EXTRA_SLOTS.values() for slot in slots}
WORK_TASK_GROUPS = ("政治引领", "组织体系", "融合发展", "作风纪律")
# What a deployment speech's last part (how the tasks get done) speaks of: responsibility, assessment, the
# secretaries who carry it out, and the style of work.
WORK_GUARANTEE_TOPICS = ("责任落实", "考核督查问责", "干部人才队伍", "作风建设")


def _sections_work(required: list[str], n: int, bank: PhraseBank, chooser: Chooser) -> list[_SectionDraft]:
    """工作会议讲话: why (a triad of arguments) — what (tasks, 第一，…) — how (responsibility, 一要…)."""
    sections: list[_SectionDraft] = []
    task_count = max(1, n - 2) if n >= 3 else 1
    if n >= 3:
        meaning = _SectionDraft(["意义"], chooser.need("work_section_headline", group="意义"), style="argument")
        meaning.lead = [chooser.need("argument", group=g) for g in ("历史", "时代", "现实")]
        sections.append(meaning)
    tasks_required = [t for t in required if bank.topics[t].group in WORK_TASK_GROUPS]
    tasks = _sections_separate(tasks_required, task_count, bank, chooser, allowed_groups=WORK_TASK_GROUPS)
    for sec in tasks:
        sec.style = "ordinal"
        if len(tasks) == 1:
            sec.headline = chooser.need("work_section_headline", group="任务")
    sections += tasks
    guarantee = _SectionDraft(["责任落实"], chooser.need("work_section_headline", group="保障"),
                              topics=WORK_GUARANTEE_TOPICS, max_items=4, max_elaborations=3)
    for topic in WORK_GUARANTEE_TOPICS[:2]:
        item = _directive(chooser, topic)
        if item:
            guarantee.items.append(item)
    sections.append(guarantee)
    return sections


def _not_echoing(headline: Chosen) -> Callable[[Entry], float]:
    """Prefer elaborations that take up the headline's subject, but never one that opens by repeating
    the headline's own words ("加强X。加强X，……")."""
    opening = headline.text[:4]
    grams = {headline.text[i:i + 2] for i in range(len(headline.text) - 1)}

    def weight(e: Entry) -> float:
        if e.text.startswith(opening):
            return 0.01
        shared = sum(1 for g in grams if g in e.text) / max(len(grams), 1)
        return 1.0 + 6.0 * shared
    return weight


def _headline_fits(bank: PhraseBank, sec: _SectionDraft) -> Callable[[Entry], float]:
    """Prefer a section headline that names a topic of the section's points; avoid one that names a topic
    of the same group that the section does not treat (a 品牌 headline over points on 组织生活)."""
    present = {i.topic for i in sec.items}
    absent = {t for t, topic in bank.topics.items() if topic.group in sec.groups and t not in present}
    words = lambda topics: [w for t in topics for w in bank.topics[t].keywords]  # noqa: E731
    present_words, absent_words = words(present), words(absent)

    def weight(e: Entry) -> float:
        if any(w in e.text for w in present_words):
            return 3.0
        if any(w in e.text for w in absent_words):
            return 0.05
        return 1.0
    return weight


def _directive(chooser: Chooser, topic: str) -> _ItemDraft | None:
    headline = chooser.pick("directive_headline", topic=topic)
    if headline is None:
        return None
    elaboration = chooser.pick("directive_elaboration", topic=topic, prefer=_not_echoing(headline))
    if elaboration is None:
        return None
    return _ItemDraft(topic, headline, [elaboration])


def _sections_separate(required: list[str], n: int, bank: PhraseBank, chooser: Chooser,
                       allowed_groups: Iterable[str] | None = None) -> list[_SectionDraft]:
    group_order = [g for g in bank.groups if g not in TWO_PART_GROUPS and g in (allowed_groups or bank.groups)]
    by_group: dict[str, list[str]] = {g: [] for g in group_order}
    for t in required:
        by_group[bank.topics[t].group].append(t)
    present = [g for g in group_order if by_group[g]]
    for g in (g for g in GROUP_FILL_ORDER if g in group_order):
        if len(present) >= n:
            break
        if g not in present:
            present.append(g)
    present.sort(key=group_order.index)
    sections = [[g] for g in present]
    # Too many groups for the number of points: merge the adjacent pair with the fewest topics.
    while len(sections) > n:
        sizes = [sum(len(by_group[g]) for g in a + b) for a, b in zip(sections, sections[1:])]
        i = sizes.index(min(sizes))
        sections[i:i + 2] = [sections[i] + sections[i + 1]]

    drafts = []
    for groups in sections:
        sec = _SectionDraft(groups)
        sec.lead_group = max(groups, key=lambda g: (len(by_group[g]), -groups.index(g)))
        topics = [t for g in groups for t in by_group[g]]
        fill_topics = [t for g in groups for t in (*bank.groups[g].default_topics,
                                                     *(x for x in bank.topics if bank.topics[x].group == g))]
        for t in fill_topics:
            if len(topics) >= 2:
                break
            if t not in topics:
                topics.append(t)
        for t in topics:
            item = _directive(chooser, t)
            if item:
                sec.items.append(item)
        drafts.append(sec)
    return drafts


def _sections_two_part(required: list[str], bank: PhraseBank, chooser: Chooser) -> list[_SectionDraft]:
    review = _SectionDraft(["回顾"], chooser.need("section_headline", group="回顾"))
    deploy = _SectionDraft(["部署"], chooser.need("section_headline", group="部署"))
    deploy.lead.append(chooser.need("section_lead"))
    topics = list(required)
    for g in GROUP_FILL_ORDER:
        if len(topics) >= 4:
            break
        for t in bank.groups[g].default_topics[:1]:
            if t not in topics:
                topics.append(t)
    order = {t: bank.topics[t].order for t in bank.topics}
    for t in sorted(topics, key=order.get)[:MAX_TWO_PART_DIRECTIVES]:
        item = _directive(chooser, t)
        if item:
            deploy.items.append(item)
    return [review, deploy]


def _fit_length(ctx, bank, chooser, achievements, problems, sections, estimate, layout) -> None:
    """Add elaboration and points, in the order a writer would, until the draft reaches its length budget.

    Nothing is ever cut mid-sentence and nothing is padded: each step adds one whole bank entry, and a
    step that would overshoot the budget by more than a few per cent is skipped.
    """
    target = ctx.length
    ceiling = target * 1.04
    order = {t: bank.topics[t].order for t in bank.topics}
    plain_groups = [g for g in bank.groups if g not in TWO_PART_GROUPS]

    def fits(chosen: Chosen | None) -> bool:
        if chosen is None:
            return False
        if estimate() + len(chosen.text) > ceiling:
            chooser.release(chosen)
            return False
        return True

    def add_elaboration(item: _ItemDraft) -> bool:
        chosen = chooser.pick(item.slot, topic=item.topic, prefer=_not_echoing(item.headline))
        if fits(chosen):
            item.elaborations.append(chosen)
            return True
        return False

    def add_lead(sec: _SectionDraft) -> bool:
        chosen = chooser.pick("section_lead")
        if fits(chosen):
            sec.lead.append(chosen)
            return True
        return False

    def add_item(sec: _SectionDraft, elaborations: int) -> bool:
        """Add a whole point: a headline with as many elaborations as its neighbours have by now."""
        groups = plain_groups if layout == "two_part" else sec.groups
        uses: dict[str, int] = {}
        for i in (i for s in sections for i in s.items):
            uses[i.topic] = uses.get(i.topic, 0) + 1
        in_groups = list(sec.topics) or [t for t in bank.topics if bank.topics[t].group in groups]
        # A fresh topic first; when the section's topics are used up, a second point on one of them.
        options = [t for t in in_groups if t not in uses] + sorted(
            (t for t in in_groups if uses.get(t) == 1), key=lambda t: order[t])
        for topic in options:
            item = _directive(chooser, topic)
            if item is None:
                continue
            while len(item.elaborations) < elaborations:
                more = chooser.pick("directive_elaboration", topic=topic, prefer=_not_echoing(item.headline))
                if more is None:
                    break
                item.elaborations.append(more)
            if estimate() + item.length() > ceiling:
                chooser.release(item.headline, *item.elaborations)
                return False
            sec.items.append(item)
            sec.items.sort(key=lambda i: order[i.topic])
            return True
        return False

    directive_sections = [s for s in sections if s.items]
    per_section = (5, 6, MAX_TWO_PART_DIRECTIVES) if layout == "two_part" else (3, 4, MAX_ITEMS_PER_SECTION)
    # (what to grow, up to how many[, elaborations of a new point]): the order in which a writer would let
    # a speech grow — fuller points before more points, so the points stay of a similar weight.
    rounds = [
        ("achievements", 1), ("directives", 2), ("items", per_section[0], 2), ("directives", 3),
        ("problems", 2), ("achievements", 2), ("items", per_section[1], 3), ("directives", 3),
        ("directives", MAX_DIRECTIVE_ELABORATIONS), ("achievements", 3), ("problems", 3),
        ("items", per_section[2], 3), ("directives", MAX_DIRECTIVE_ELABORATIONS),
    ]
    if layout == "two_part":
        # “讲两点意见” holds every point in one section: a long speech gets fuller points, not more of them.
        rounds += [("lead", 2), ("achievements", 4), ("problems", 4), ("directives", MAX_DIRECTIVE_ELABORATIONS + 3),
                   # Beyond about 5,500 字 (only when the brief asks for this layout): more of everything.
                   ("lead", 3), ("items", MAX_TWO_PART_DIRECTIVES + 2, MAX_DIRECTIVE_ELABORATIONS + 2),
                   ("achievements", 5), ("problems", 5), ("directives", MAX_DIRECTIVE_ELABORATIONS + 5)]
    elif layout == "separate":
        # The longest speeches (about 8,000 字) also let each point run a little fuller.
        rounds += [("directives", MAX_DIRECTIVE_ELABORATIONS + 1), ("achievements", 4), ("problems", 4)]
    elif layout == "work":
        # A deployment speech may list more tasks (第一…第八), then make each fuller.
        rounds += [("items", MAX_TWO_PART_DIRECTIVES, MAX_DIRECTIVE_ELABORATIONS),
                   ("directives", MAX_DIRECTIVE_ELABORATIONS + 3)]
    for what, limit, *extra in rounds:
        progress = True
        while progress:
            progress = False
            if what == "items":
                candidates = [s for s in directive_sections if len(s.items) < min(limit, s.max_items)]
                steps = [lambda s=s: add_item(s, extra[0]) for s in candidates]
            elif what == "lead":
                steps = [lambda s=s: add_lead(s) for s in directive_sections if s.lead and len(s.lead) < limit]
            else:
                pool = {"achievements": achievements, "problems": problems}.get(what) or [
                    i for s in sections for i in s.items if len(i.elaborations) < s.max_elaborations]
                steps = [lambda i=i: add_elaboration(i) for i in pool if len(i.elaborations) < limit]
            for step in steps:
                if estimate() >= target * 0.98:
                    return
                progress = step() or progress
