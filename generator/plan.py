"""Stage 3 — plan: decide *what* is said.

Chooses the layout, the sections and their order, which of the brief's facts go where, how many points
and how much elaboration fit the length budget, and which bank entries fill each place. Pure: every
random choice comes from the ``random.Random`` passed in.
"""

from __future__ import annotations

import math
import random
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Optional

from .bank import Lexicon, raw_bigrams, subjects_in
from .bank import content_bigrams as _bigrams
from .bank import SLOTS, Entry, PhraseBank, Topic, fill
from .errors import InputError
from .models import LAYOUTS, Chosen, Context, Example, Item, Plan, Section, TopicFacts

# Topics a speech falls back on when the brief names none, in the order real speeches take them.
FALLBACK_ACHIEVEMENT_TOPICS = ("政治建设", "组织建设", "党建与业务融合")
FALLBACK_PROBLEM_TOPICS = ("责任落实", "党建与业务融合", "党员教育管理")
GROUP_FILL_TOPICS = ("理论武装", "组织生活", "服务群众", "作风建设")
# When a speech needs more sections than the brief's topics cover, groups are added in this order.
GROUP_FILL_ORDER = ("政治引领", "组织体系", "责任落实", "融合发展", "作风纪律")
TWO_PART_GROUPS = ("回顾", "部署")
TYPE_SPECIFIC_BONUS = 2.0  # entries written for the unit's own type read more natural: prefer them
# The meeting spirit a speech is guided by, written out (党的二十大和二十届四中全会精神) rather than as {spirit}.
GUIDING_FORMULA = re.compile(r"二十大|二十届|全会精神|十九大|十九届")
# A sentence frame readers notice when it comes back: a subject, then "在一些党组织" and what is wrong there.
REPEATED_FRAME = re.compile(r"[\u4e00-\u9fff”]{2}在(?:一些|个别|少数|有的|部分)(?:基层)?(?:党组织|党支部|支部)")
FRAME_FREE = 2  # uses of such a frame a speech may have before further ones are disfavoured
FRAME_PENALTY = 0.05
HAN_SHARE = 0.88  # Chinese characters in a draft's length (the rest is punctuation and figures)
ENOUGH_TOLD = 2  # achievements with the brief's facts from which no fact-less praise is added
REPEAT_IN_PARAGRAPH = 0.001  # a sentence that repeats a phrase of its own paragraph: only when nothing else fits
QUANTIFIED = re.compile(r"^(?:个别|部分|一些|有的|少数)(?:基层党组织|党组织|党支部|支部)?")
FACT_HEADLINE_SUPPORT = 4  # problem sentences of its facet on the fact's own subject, for the fact to head them
HOT_MARGIN = 2  # the widest margin Chooser._overused is asked about
REPEATING_VALUES = ("business", "members", "unit")  # values that recur in many entries
FREE_REPEATS = 3  # after this many uses of one, entries that repeat it again are disfavoured
REPEAT_PENALTY = 0.1
OVERUSE_PENALTY = 0.001  # a phrase about to be overused loses even against entries of another lane
# Seeds in a row draw from different thirds ("lanes") of every pool of the bank, and start from different
# facets, so that seed 1, 2 and 3 of one brief read differently in substance; a seed's own lane is strongly
# preferred while it has entries left, then any entry may be drawn.
LANES = 3
DATED_BONUS = 20000.0  # outweighs the lane: a review intro that names what the year was (十五五开局之年) before a general one
YEAR_SAYING_SLOTS = frozenset({"achievements_intro"})
PERIOD_BONUS = 2000.0  # outweighs the lane: a half-year meeting's own frames come first
PRINCIPLE_SHARE = 0.4  # of directive points that open with a short principle, where the bank has one
LANE_BONUS = 1000.0
FACT_HEADLINE_LANE = 10.0  # the lane's weight when a headline is chosen for a brief's fact
SUBJECT_LANE = 10.0  # … when the first sentence of a point is chosen for the subject its headline names
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")

# Characters the templates add around the chosen texts; used to estimate the length while planning.
OVERHEAD = {"item": 3, "facts": 7, "example": 6, "heading": 2, "headline": 20, "transition": 8, "fixed": 20}

MAX_DIRECTIVE_ELABORATIONS = 4
STRAY_FROM = 2  # elaborations a paragraph has before one on another sub-subject ends it
MAX_POINT_SENTENCES = 6  # a directive point of a real speech: its headline, then two to five sentences
TWO_PART_MAX_LENGTH = 5500
MAX_ITEMS_PER_SECTION = 6
MAX_TASKS = 6  # 第一，……第六，: the tasks of a work speech's one section of tasks, at most
MAX_TWO_PART_DIRECTIVES = 9
TWO_PART_FEW_UNTIL = 3500  # 字: up to this length a two-part speech has at most six requirements


def points_for_length(length: int) -> int:
    # Most real speeches make three points whatever their length; very short ones two, very long ones more.
    if length <= 2200:
        return 2
    if length <= 6000:
        return 3
    if length <= 7200:
        return 4
    return 5


SHORT_SPEECH = 2000


def achievements_for_length(length: int) -> int:
    """How many achievement paragraphs a speech of this length carries (more only when the brief's facts
    need them)."""
    return 3 if length <= SHORT_SPEECH else (4 if length <= 4000 else 6)


def work_points_for_length(length: int) -> int:
    # why — what — how: three parts; a short one leaves out the why; a long one splits its tasks further.
    if length <= 2000:
        return 2
    if length <= 4000:
        return 3
    return 4 if length <= 6000 else 5


# Slots that speak of the year the speech plans (今年是“十五五”开局之年; 做好今年的基层党建工作): a meeting at a
# year's end that plans the next speaks of that one, as 明年, and takes its frame of the day.
AHEAD_SLOTS = frozenset(("situation", "report_ack", "work_context", "work_closing", "closing", "work_transition",
                         "argument", "host_opening", "transition"))


SECTION_HEADLINE_SLOTS = frozenset(("section_headline", "work_section_headline"))
HEADLINE_ECHO = 7  # characters in a row two part headlines of one speech may not share (基层党建工作 is six)

BRANCH_SECRETARIES = re.compile(r"(\d+名|几位|各位|各|各基层|基层)(?:基层)?党组织书记")


# (a fault of the brief's problems, advice that would feed it): the advice is never given where the fault is
# reported, unless the sentence is about cutting back (精简台账 answers the fault; merging meetings never does).
PROBLEM_CONFLICTS = (
    (re.compile("代替|合并|套开|以会代|混同"), re.compile("合并|套开|一并召开|合起来开"), None),
    (re.compile("台账|报表|填表|留痕|材料多|迎检"), re.compile("建立[^，。；]{0,12}台账|台账[^，。；]{0,4}(?:要|必须)|登记造册"),
     re.compile("精简|减少|清理|压减|整合|不能只|不是看|而不是|不要")),
    (re.compile("打卡|工作群|APP|App|小程序"), re.compile("打卡|拍照上传|线上签到"), re.compile("不能|防止|不要|清理")),
    # too few join (an ageing membership, three villages with no new member): not a call to bar the door
    (re.compile("老化|老龄化|年龄偏大|比例偏低|只发展|没有发展|未发展|青黄不接|后继乏人|积极性不高"),
     re.compile("违反程序|坚决纠正|严把|质量关|不为凑数|控制总量|宁缺毋滥|降低标准"), None),
)
DIRECTIVE_FAMILIES = frozenset(("directives", "sections"))


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
        # Words the unit's kind of speech must not use (another kind's, or the sector seen from outside).
        # "avoid" words are the same to the chooser; the bank may keep them in entries for other units.
        profile = bank.profiles.get(ctx.org_type, {})
        self.banned = tuple(w for w in (*profile.get("banned", ()), *profile.get("avoid", ()))
                            if w not in ctx.brief_text)
        # Seeds 3k, 3k+1 and 3k+2 take different lanes of one dealing; each block of three seeds, and each
        # unit, is dealt afresh, so the unit next door with the same seed reads differently too.
        self.lane = (ctx.seed or 0) % LANES
        # “讲两点意见” keeps every point in one section: asked for at great length, its points run fuller.
        self.max_sentences = MAX_POINT_SENTENCES + (3 if layout == "two_part" and ctx.length > TWO_PART_MAX_LENGTH else 0)
        self.lanes = _lanes(bank, ctx.org_type, f"{ctx.org.name}/{(ctx.seed or 0) // LANES}")
        # Four-character runs used so far: a paragraph of one facet names its subject often, and past a
        # few uses a phrase reads as a tic (the proofreader's DG702 counts the same runs).
        self.grams: dict[str, int] = {}
        self.hot_grams: set[str] = set()  # runs within HOT_MARGIN of the limit
        self.sentences: set[str] = set()
        # Entry text → passes the word checks; shared by every draft with the same word lists (a batch).
        if len(_CLEAN) > 64:
            _CLEAN.clear()
        self._clean: dict[str, bool] = _CLEAN.setdefault((self.foreign_words, self.banned), {})
        # One scan of a text for every unfit word, rather than a scan per word.
        # (longest first, ties by the words themselves: a pattern that differs from run to run would be
        # compiled, and cached, anew by every run)
        unfit = sorted({*self.foreign_words, *self.banned}, key=lambda w: (-len(w), w))
        self._unfit = re.compile("|".join(map(re.escape, unfit))) if unfit else None
        self._gram_memo: dict[str, tuple[str, ...]] = {}
        self._mention_memo: dict[str, tuple[str, ...]] = {}
        self._filled: dict[tuple, str] = {}
        self.gram_limit, self.phrase_limit, self.gram_ignore = _gram_rules(ctx.length)
        # Facet → the words of the brief's problem on it: the point that answers it takes them up.
        self.lasting: dict[str, str] = {}
        self.problem_facts: dict[str, tuple[str, ...]] = {}  # facet → the brief's facts of its problem
        self.subject_names: dict[tuple, tuple[str, ...]] = {}
        self.frame_uses = 0
        self.frame_reuses = 0
        self.section_heads: list[str] = []  # the part headlines drawn so far
        self.analysis_openers: set[str] = set()  # how the problems' analysis sentences open (说到底, 根子在…)
        self.specific_ids = frozenset(e.id for e in bank.entries if e.requires)
        # The unit's own word for a general one (a university serves 师生, not 群众): vocabulary.yaml's
        # profiles, “服务群众=服务师生”.
        # (never inside 人民群众, which every unit serves)
        self.own_words = dict(pair.split("=", 1) for pair in profile.get("replace", ()) if "=" in pair)
        if ctx.audience.endswith("各党支部") and ctx.scope != "system":
            # A unit whose own organisations are all branches (学校各党支部) calls them so: not 各级党组织 or
            # 各基层党组织, which speak of a system of many levels.
            self.own_words.update({"各基层党组织": "各党支部", "各级党组织": "各党支部", "各党组织": "各党支部"})
        if "股室" in ctx.brief_text and "处室" not in ctx.brief_text:
            self.own_words["处室"] = "股室"  # a county bureau's sections, as its brief calls them
        self._own_words = re.compile("(?<!人民)(?<!职工)(?<!患者)(?<!师生)(?:" + "|".join(
            map(re.escape, sorted(self.own_words, key=len, reverse=True))) + ")") if self.own_words else None
        self._frame_memo: dict[str, int] = {}
        # Requirements the brief's own problems forbid: where branches are faulted for holding 党课 inside
        # business meetings, no point tells them to merge meetings; where 台账 are too many, none asks for more.
        told = " ".join(f for tf in ctx.problems for f in tf.facts)
        self._contradicting = [(advice, relief) for fault, advice, relief in PROBLEM_CONFLICTS if fault.search(told)]

    def _contradicts(self, e: Entry) -> bool:
        return SLOTS[e.slot]["family"] in DIRECTIVE_FAMILIES and any(
            advice.search(e.text) and not (relief and relief.search(e.text)) for advice, relief in self._contradicting)

    def _grams_of(self, text: str) -> tuple[str, ...]:
        """The text's four-character runs, less the fixed formulas (a draft asks for the same texts often)."""
        found = self._gram_memo.get(text)
        if found is None:
            found = self._gram_memo[text] = _grams(text, self.gram_ignore)
        return found

    def _eligible(self, e: Entry, extra: Mapping[str, str] = {}) -> bool:
        if e.id in self.used:
            return False
        if any(self.values.get(name) is None and name not in extra for name in e.placeholders):
            return False
        # (a measure proposed may be found with a word between its keyword's characters; a claim, never)
        if e.requires and not any(w in self.ctx.brief_text if e.slot != "directive_elaboration"
                                  else mentions(w, self.ctx.brief_text) for w in e.requires):
            return False  # a concrete measure or fault the brief does not report would be invented
        if self._contradicting and self._contradicts(e):
            return False
        if e.slot in YEAR_SAYING_SLOTS and e.valid_until and e.valid_from and e.valid_from.year != self.ctx.review_year:
            return False  # (“2026年是‘十五五’开局之年” speaks of the year under review, whatever the meeting date)
        clean = self._clean.get(e.text)
        if clean is None:  # the word checks depend on the text and the word lists alone
            clean = self._clean[e.text] = self._unfit is None or self._unfit.search(e.text) is None
        return clean

    def _mentions(self, e: Entry) -> tuple[str, ...]:
        """Which recurring values (the unit's business, its members…) an entry names, by placeholder or
        literally (a hospital's own entries write 党员医务人员 out)."""
        found = self._mention_memo.get(e.text)
        if found is None:
            found = self._mention_memo[e.text] = tuple(
                p for p in REPEATING_VALUES if f"{{{p}}}" in e.text or (self.values.get(p) and self.values[p] in e.text))
        return found

    def available(self, slot: str, *, topic: str | None = None, group: str | None = None,
                  facet: str | None = None, extra: Mapping[str, str] = {}) -> list[Entry]:
        # (the frame of the day is that of the year planned: in December, next year's)
        date = self.ctx.frame_date if slot in AHEAD_SLOTS else self.ctx.meeting_date
        cands = self.bank.candidates(slot, topic=topic, group=group, facet=facet, org_type=self.ctx.org_type,
                                     kind=self.ctx.speech_kind, layout=self.layout, date=date,
                                     period=self.ctx.period, scope=self.ctx.scope)
        return [e for e in cands if self._eligible(e, extra)]

    def pick(self, slot: str, *, topic: str | None = None, group: str | None = None, facet: str | None = None,
             prefer: Callable[[Entry], float] | None = None, extra: Mapping[str, str] = {},
             lane_weight: float = LANE_BONUS) -> Chosen | None:
        """Draw an entry; ``extra`` gives values only this place has (the brief's fact for a fact frame).
        ``lane_weight`` below LANE_BONUS lets the preference outweigh the seed's lane (a headline that names
        what the brief's fact is about, from whichever lane)."""
        cands = self.available(slot, topic=topic, group=group, facet=facet, extra=extra)
        # A sentence never comes twice in one speech (a principle may open an elaboration of its facet).
        cands = [e for e in cands if not (_sentence_set(e.text) & self.sentences)]
        # Entries used in earlier drafts for this unit are avoided while fresh ones remain.
        fresh = [e for e in cands if e.id not in self.avoid] or cands
        if not fresh:
            return None
        def weight(e: Entry) -> float:
            return (e.weight * (TYPE_SPECIFIC_BONUS if e.org_types else 1.0) * (prefer(e) if prefer else 1.0)
                    * (lane_weight if self.lanes.get(e.id) == self.lane else 1.0)
                    / (1 + self.avoid.get(e.id, 0)) ** 4
                    * REPEAT_PENALTY ** sum(max(0, self.filled.get(p, 0) - FREE_REPEATS) for p in self._mentions(e))
                    * (_brevity(e) if self.ctx.length <= SHORT_SPEECH else 1.0)
                    # wording written for this meeting's period (上半年) before wording that fits any period
                    * (PERIOD_BONUS if e.periods and self.ctx.period != "year" else 1.0)
                    * (DATED_BONUS if e.id in dated else 1.0)
                    * OVERUSE_PENALTY ** self._overused(self._fill_all(e, extra))
                    * FRAME_PENALTY ** self._frame_excess(e.text)
                    # (two part headlines of one speech that say the same: 高标准推进基层党建工作 twice)
                    * (0.001 if slot in SECTION_HEADLINE_SLOTS and self._echoes_a_section(e.text) else 1.0))

        # An entry of another lane, without the period's own wording, weighs a thousandth of the others: it is
        # weighed at all (the costly part of a draw) only when none of them is fit for the place.
        half_year = self.ctx.period != "year"
        # (wording written for this date, among wording that fits any date, comes first whatever the lane:
        # the review of 2026 says it was the first year of the 十五五)
        # (not in a short speech, which goes straight to its points)
        dated = {e.id for e in fresh if e.valid_until} if slot in YEAR_SAYING_SLOTS and \
            self.ctx.length > SHORT_SPEECH else set()
        own = [e for e in fresh if self.lanes.get(e.id) == self.lane or (half_year and e.periods) or e.id in dated]
        weights = [weight(e) for e in own]
        if any(weights) and lane_weight >= LANE_BONUS:
            fresh = own
        else:
            weights = [weight(e) for e in fresh]
        if not any(weights):  # a preference of 0 rules an entry out, unless nothing else is left
            # (and then never a sentence on a concrete measure: that one was ruled out for what it claims)
            # (unless there is nothing else: the brief names the measure, and a speech beats none)
            weights = [0.0 if e.id in self.specific_ids else 1.0 for e in fresh]
            if not any(weights):
                weights = [1.0] * len(fresh)
        entry = self.rng.choices(fresh, weights=weights, k=1)[0]
        self.used.add(entry.id)
        if slot in SECTION_HEADLINE_SLOTS:
            self.section_heads.append(entry.text)
        values = {k: v for k, v in self.values.items() if v is not None}
        raw = entry.text
        if self._own_words is not None:  # (before the brief's words go in: those stay as the user wrote them)
            raw = self._own_words.sub(lambda m: self.own_words[m.group(0)], raw)
        text = fill(raw, {**values, **extra})
        if entry.slot in AHEAD_SLOTS and self.ctx.plans_ahead:
            # said in December of the year to come, of the year now ending
            text = text.replace("今年", "明年").replace("上一年", "今年").replace("过去一年", "今年")
        if self.ctx.secretaries == "党支部书记" and SLOTS[entry.slot]["family"] in ("frames", "host", "news"):
            # a meeting of 党支部书记 calls those who reported so, not by the general word
            text = BRANCH_SECRETARIES.sub(r"\1党支部书记", text)
        chosen = Chosen(entry.id, text)
        self._count(chosen, +1)
        return chosen

    def _echoes_a_section(self, text: str) -> bool:
        runs = _clauses(text, HEADLINE_ECHO)
        return any(runs & _clauses(h, HEADLINE_ECHO) for h in self.section_heads)

    def _fill_all(self, e: Entry, extra: Mapping[str, str]) -> str:
        """The entry as it would read here (or as written, when a value is missing), remembered per draft."""
        key = (e.text, tuple(extra.items()))
        text = self._filled.get(key)
        if text is None:
            text = self._filled[key] = fill(e.text, {**self.values, **extra}) if not any(
                self.values.get(p) is None and p not in extra for p in e.placeholders) else e.text
        return text

    def _overused(self, text: str, margin: int = HOT_MARGIN) -> int:
        """How many of the text's four-character runs, and of the unit's recurring values (a value is a
        phrase: it has the lower bar), are used up (within ``margin`` of the limit)."""
        # Only runs already near the limit can count: the set of those is small, often empty.
        hot, bar = self.hot_grams, self.gram_limit - margin
        runs = sum(1 for g in self._grams_of(text) if g in hot and self.grams[g] >= bar) if hot else 0
        values = sum(1 for p in REPEATING_VALUES
                     if self.values.get(p) and len(self.values[p]) > 4 and self.values[p] in text
                     and self.filled.get(p, 0) >= self.phrase_limit - margin)
        return runs + values

    def release(self, *chosen: Chosen) -> None:
        """Give back entries picked but not used (they would have overshot the length budget)."""
        for c in chosen:
            self.used.discard(c.entry_id)
            self._count(c, -1)

    def _frame_excess(self, text: str) -> int:
        """How far a text's sentence frames of the kind readers notice when repeated ("融合载体在一些党组织还
        比较缺乏" — the subject first, then where) would take the speech beyond FRAME_FREE uses."""
        n = self._frame_memo.get(text)
        if n is None:
            n = self._frame_memo[text] = len(REPEATED_FRAME.findall(text))
        return max(0, self.frame_uses + n - FRAME_FREE) if n else 0

    def _count(self, chosen: Chosen, sign: int) -> None:
        self.frame_uses += sign * len(REPEATED_FRAME.findall(chosen.text))
        if sign > 0:
            self.sentences |= _sentence_set(chosen.text)
        else:
            self.sentences -= _sentence_set(chosen.text)
        hot_from = self.gram_limit - HOT_MARGIN
        for g in self._grams_of(chosen.text):
            n = self.grams[g] = self.grams.get(g, 0) + sign
            if n >= hot_from:
                self.hot_grams.add(g)
            else:
                self.hot_grams.discard(g)
        for p in REPEATING_VALUES:
            if self.values.get(p):
                self.filled[p] = self.filled.get(p, 0) + sign * chosen.text.count(self.values[p])

    def need(self, slot: str, **kwargs) -> Chosen:
        chosen = self.pick(slot, **kwargs)
        if chosen is None and slot.startswith("fact_"):
            chosen = self._pick_again(slot, **kwargs)
        if chosen is None:
            what = "、".join(f"{k}={v}" for k, v in kwargs.items() if isinstance(v, str))
            raise InputError(problems=[f"词库中没有适用于本单位和会议日期的“{slot}”条目（{what}），请补充词库"])
        return chosen

    def _pick_again(self, slot: str, **kwargs) -> Chosen | None:
        """A fact frame is a few words around the brief's own: a brief with more facts (or examples) than the
        bank has frames gets one a second time, rather than no speech."""
        frames = {e.id for e in self.bank.by_slot.get(slot, ())}
        held = self.used & frames
        self.used -= held
        try:
            chosen = self.pick(slot, **kwargs)
        finally:
            self.used |= held
        if chosen is None:
            return None
        self.frame_reuses += 1
        return Chosen(f"{chosen.entry_id}#again{self.frame_reuses}", chosen.text)


# A fact naming none of these is the unit's business, whatever topic the brief put it under (推动耕地保护党政同责
# 落地，全县新增补充耕地1860亩 under 政治建设).
PARTY_WORK = re.compile("党支部|党员|党组织|党小组|支部|书记|党课|党建|党日|组织生活|入党|党费|学习|培训|宣讲|党委")


def _brevity(e: Entry) -> float:
    """A short speech prefers the shorter wording of its frames (opening, affirmation, closing…)."""
    return (80 / max(len(e.text), 40)) ** 2 if SLOTS[e.slot]["family"] in ("frames", "work", "situation") else 1.0


@lru_cache(maxsize=16384)
def _sentence_set(text: str) -> frozenset[str]:
    return frozenset(x for x in re.findall(r"[^。！？]+[。！？]", text) if len(x) >= 6)


def _count_sentences(text: str) -> int:
    return max(1, len(re.findall(r"[。！？]", text)))


_CLEAN: dict[tuple, dict[str, bool]] = {}


@lru_cache(maxsize=8192)  # the same filled entries are weighed again at every pick
def _grams(text: str, ignore: tuple[str, ...] = ()) -> tuple[str, ...]:
    for term in ignore:
        if term in text:
            text = text.replace(term, "，")
    return tuple(run[i:i + 4] for run in HAN_RUN.findall(text) for i in range(len(run) - 3))


def _gram_rules(length: int) -> tuple[int, tuple[str, ...]]:
    """How often one four-character run may appear in a speech of this length before the proofreader's
    repetition rule (DG702) would call it overused, and the fixed formulas that rule does not count."""
    from .check import load_rules

    rules = load_rules()
    # (the rule counts Chinese characters only; a speech's length counts its punctuation too)
    threshold = max(rules.min_count, math.ceil(length * HAN_SHARE * rules.per_thousand / 1000))
    limit = threshold + max(2, threshold // 2)  # bare four-character runs get a higher bar than phrases
    return limit, threshold, tuple(sorted(rules.ignore, key=len, reverse=True))


def _lanes(bank: PhraseBank, org_type: str, block: str) -> "_LaneMap":
    """Entry id → lane: the entries a unit of this type may use, of each pool (one slot and facet, or slot
    and group), dealt out in turn — its type's own entries first, so that every lane gets some — in an order
    that depends on the block of three seeds: seeds 3k, 3k+1, 3k+2 take disjoint thirds of each pool, and
    another block deals the pools afresh. A pool is dealt when first asked about: a draft touches only some."""
    return _LaneMap(_pools(bank, org_type), zlib.crc32(f"{block}:".encode()))


class _LaneMap:
    def __init__(self, pools: tuple[dict, dict], start: int):
        self.pool_of, self.members = pools
        self.start = start
        self.lanes: dict[str, int] = {}

    def get(self, entry_id: str) -> int | None:
        lane = self.lanes.get(entry_id)
        if lane is None:
            pool = self.pool_of.get(entry_id)
            if pool is None:  # an entry this type of unit may not use
                return None
            # crc32 of "block:id", continued from the block's prefix (CRC runs on: crc32(b, crc32(a)) ==
            # crc32(a + b)), so a batch of briefs does not format every id again for each one.
            start, crc = self.start, zlib.crc32
            members = self.members[pool]
            order = sorted(members, key=lambda m: (m[1], crc(m[2], start)))
            for i, m in enumerate(order):
                self.lanes[m[0]] = i % LANES
            lane = self.lanes[entry_id]
        return lane


def _pools(bank: PhraseBank, org_type: str) -> tuple[dict, dict]:
    """The entries a unit of this type may use, by pool: (id, not type-specific, encoded id), in bank order."""
    key = (id(bank), org_type)
    cached = _POOL_CACHE.get(key)
    if cached is not None and cached[0] is bank:
        return cached[1]
    pool_of: dict[str, tuple] = {}
    members: dict[tuple, list] = {}
    for e in bank.entries:
        if not e.org_types or org_type in e.org_types:
            pool = (e.slot, e.facet, e.group)
            pool_of[e.id] = pool
            members.setdefault(pool, []).append((e.id, not e.org_types, e.id.encode()))
    if len(_POOL_CACHE) > 16:
        _POOL_CACHE.clear()
    _POOL_CACHE[key] = (bank, (pool_of, members))
    return pool_of, members


_POOL_CACHE: dict[tuple[int, str], tuple[PhraseBank, tuple[dict, dict]]] = {}


def _by_lane(options: list[str], lane: int, rng: random.Random) -> list[str]:
    """Facets in the order a seed tries them: its lane's facet first, the rest shuffled."""
    if not options:
        return options
    first = options[lane % len(options)]
    rest = [o for o in options if o != first]
    rng.shuffle(rest)
    return [first, *rest]


@dataclass
class _ItemDraft:
    topic: str
    facet: str
    headline: Chosen
    elaborations: list[Chosen] = field(default_factory=list)
    facts: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    gap: Optional[str] = None
    slot: str = "directive_elaboration"
    evidence: Optional[Chosen] = None
    cases: Optional[Chosen] = None
    opener: Optional[Chosen] = None
    about: str = ""  # the words of the problem a directive answers: its sentences take them up
    # The paragraph's closing sentence: for a point, the brief's problem it answers; for a problem the brief
    # states, the analysis of why it arises or what it costs (not a further fault).
    last: Optional[Chosen] = None
    costed: bool = False  # a problem the brief states has been told what it costs

    def freeze(self) -> Item:
        return Item(self.topic, self.headline, tuple(self.elaborations) + ((self.last,) if self.last else ()),
                    self.facts, self.examples, self.gap, self.facet, self.evidence, self.cases, self.opener)

    def sentences(self) -> int:
        """Sentences of the point, its headline included (a point of a real speech has two to five)."""
        return 1 + sum(_count_sentences(c.text) for c in (self.opener, self.evidence, self.cases, *self.elaborations,
                                                          self.last) if c)

    def length(self) -> int:
        n = OVERHEAD["item"] + len(self.headline.text) + sum(len(c.text) for c in self.elaborations)
        n += sum(len(c.text) for c in (self.evidence, self.cases, self.opener, self.last) if c)
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
    parallel: Optional[Chosen] = None

    def length(self) -> int:
        # A headline not chosen yet is counted at a typical length.
        head = OVERHEAD["heading"] + (len(self.headline.text) if self.headline else OVERHEAD["headline"])
        head += len(self.parallel.text) if self.parallel else 0
        return head + sum(len(c.text) for c in self.lead) + sum(i.length() for i in self.items)


# Facts that begin with one of these verbs need a subject ("完成5个党支部按期换届" → "医院党委完成……").
LEADING_VERBS = tuple("""完成 组织 开展 建成 创建 调整 新建 发展 评选 举办 培训 推动 实现 建立 打造 选派 落实 召开 累计 新增
排查 整改 帮助 解决 收集 走访 设立 成立 组建 选树 表彰 命名 制定 出台 修订 印发 引进 培养 吸收 整顿 转化 推出 实施 举行
慰问 结对 投入 筹集 争取 承办 获评 获得 荣获 入选 选拔 配备 设置 优化 规范 深化 推进 拓展 提升 提高 改造 建设 创办 编印
编发 录制 征集 查处 约谈 督查 检查 考核 表扬 评定 认定 选聘 聘请 共 办结 办理 回应 化解 受理 覆盖 联系 服务 参与 选送
举办 形成 总结 推广 挂牌 修建 改建 培育 打通 安排 派出 选拔 统筹 招录 接收 处理 开设 上线 录用 采集 建立健全
为 在 对 向 与 通过 围绕 按照 结合 确定 推行 实行 坚持 开通 制作 评出 命名 表彰
指导 帮扶 轮训 选配 配齐 健全 完善 开辟 发放 筹建 引导 带动 吸纳 评议 整治 清理 补齐 摸排 梳理 开发 对接 签订 选出 培树
全面 扎实 深入 持续 认真 积极 先后 分别 首次 率先 圆满 顺利 集中 及时 全力 大力 精心 逐一 逐个 高标准 高质量 按期
储备 吸引 带领 发起 搭建 举荐 推荐 评聘 招募 动员 号召 协调 促成 帮助解决 承接 认领 捐助 捐款 开办 成功
""".split())  # (the last line: adverbs, which open a clause as a verb does: 全面完成…, 按期完成…)
# Facts that carry their own time or scope words are used as they stand.
OWN_SUBJECT = re.compile(r"^(\d{4}年|全年|全[院校村区县市镇乡省部局委厂]|全公司|全社区|全系统|各|所属|我们|本|今年|去年|年内|一年来|年度)")
# Fixed seams that glue a fact to the end of a paragraph ("……。具体表现为：……"); facts lead instead.
SEAM_PHRASES = ("具体表现为", "从述职和日常检查看", "具体工作中", "从工作成效看", "在具体实践中", "具体来说")
SEAM_RE = re.compile(r"(?:^|[。；！？：])(" + "|".join(SEAM_PHRASES) + r")[，：,:]")
CASE_GAP = "【待补充：取得的成效】"
# What a named comrade did already says what came of it (获省科技进步一等奖, 销售猕猴桃2万多斤): no gap asked for.
STATES_RESULT = re.compile(r"\d|[一二三四五六七八九十百千万两]+(?:个|名|项|次|件|户|人|斤|元|亩|家|场|期|篇|条)|"
                           r"获|荣获|评为|入选|实现|带动|增收|销售|销量|解决了|化解了|达到|提高了|提升了|降低了|节约|挽回|创收|填补")
# A fact that opens with its own time (上半年为居民办实事38件): the frame adds none, the fact gets a subject.
TIME_PREFIX = re.compile(r"^(上半年|下半年|今年以来|今年|去年|全年|一年来|半年来|近年来|年内|年初以来|"
                         r"\d{4}年(?:以来|上半年|下半年|度)?|[一二三四五六七八九十\d]{1,2}月(?:份|以来)?)[，,]?")


@dataclass
class _FactGroup:
    """The brief's facts on one facet of one topic: they become the evidence of one paragraph."""

    topic: str
    facet: Optional[str]
    facts: list[str] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)


def rank_facets(text: str, topic: Topic, bank: Optional[PhraseBank] = None) -> list[str]:
    """The topic's facets whose keywords the text names, best first (longer keywords weigh more); when no
    keyword is named and a bank is given, the facets whose own entries share the most words with the text."""
    scores = {f.id: sum(len(k) for k in f.keywords if k in text) for f in topic.facets}
    ranked = [f for f, n in sorted(scores.items(), key=lambda kv: -kv[1]) if n > 0]
    if ranked or bank is None:
        return ranked
    grams = _bigrams(text)
    vocab = _facet_vocabulary(bank)
    shared = {f.id: sum(1 for g in grams if f"|{g}|" in vocab.get(f.id, "")) for f in topic.facets}
    return [f for f, n in sorted(shared.items(), key=lambda kv: -kv[1]) if n >= 2]


def _facet_vocabulary(bank: PhraseBank) -> dict[str, str]:
    return bank.facet_vocabulary


# ---- lexical cohesion inside a facet: a paragraph's sentences share its subject's words

COHESION_BONUS = 4.0  # per content bigram shared with the paragraph's headline and fact (up to 4)
SAME_SUBJECT_BONUS = 5.0
OFF_SUBJECT = 0.02  # about another sub-subject than the headline's or the fact's: only if nothing else is left
# … for the first sentences after a brief's fact or under a point answering one: below another lane's
OFF_SUBJECT_STRICT = 0.0005
STRICT_SENTENCES = 1
OFF_SUBJECT_SOFT = 0.2  # … than the paragraph's sentences so far (its headline names none)
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_raw_bigrams, _subjects_in = raw_bigrams, subjects_in


def _lexicon(bank: PhraseBank) -> Lexicon:
    return bank.lexicon


@lru_cache(maxsize=16384)
def _content_bigrams(text: str, generic: frozenset[str]) -> frozenset[str]:
    return _raw_bigrams(text) - generic


def content_bigrams(text: str, bank: PhraseBank) -> frozenset[str]:
    """The character bigrams of a text that say what it is about: those the entries of few facets use."""
    return _content_bigrams(text, _lexicon(bank).generic)


def subjects(text: str, facet: str, bank: PhraseBank) -> frozenset[str]:
    """The sub-subjects of the facet that a text names (党员日常管理: 流动党员, 党费, 积分…)."""
    return _subjects_in(text, _lexicon(bank).subjects.get(facet, ()))


def _in_paragraph(chooser: "Chooser", item: "_ItemDraft") -> Callable[[Entry], float]:
    """_cohering for a paragraph being planned: its headline, facts and the problem it answers lead; the
    first sentences after a brief's fact, or under a point that answers one, keep to its subject even at
    the cost of the lane (a reader sees them first)."""
    strict = bool(item.facts or item.about) and len(item.elaborations) < STRICT_SENTENCES
    base = _cohering(chooser, item.facet, lambda: " ".join((item.headline.text, *item.facts, item.about)),
                     lambda: "".join(c.text for c in item.elaborations), strict)
    specific = chooser.specific_ids

    def weight(e: Entry) -> float:
        if e.id in specific:
            # A sentence on a concrete measure (红色物业, 示范岗) goes only where the paragraph's own facts
            # name it — elsewhere in the speech it would claim it of another subject — and once: it says
            # more than the brief did, and twice would tell the brief's measure over in other words.
            own = " ".join((item.headline.text, *item.facts, item.about,
                            *(f"{x.who}{x.did}{x.effect or ''}" for x in item.examples)))
            if not any(w in own for w in e.requires) or any(c.entry_id in specific for c in item.elaborations):
                return 0.0
        return base(e)
    return weight


def off_subject(theirs: frozenset[str], own: frozenset[str], facet: str, bank: PhraseBank) -> bool:
    """Whether sub-subjects a sentence names (``theirs``) are all foreign to those of its paragraph (``own``)."""
    if not theirs or not own:
        return False
    related = _lexicon(bank).related.get(facet, {})
    near = frozenset().union(*(related.get(k, frozenset((k,))) for k in own))
    return not theirs & near


def _cohering(chooser: "Chooser", facet: str, anchor: Callable[[], str],
              said: Callable[[], str] = lambda: "", strict: bool = False) -> Callable[[Entry], float]:
    """Prefer entries that share content words with the paragraph's headline and fact (``anchor``), and
    avoid ones about another sub-subject of the facet than theirs — or, when they name none, than the
    paragraph's sentences so far (``said``). Both are read when the entry is weighed: a paragraph grows.

    The preference works inside the seed's own lane only: where its lane has run dry and a seed draws from
    the others', favouring the best match would make it draw the sentences their own seeds draw first (the
    problems' pools are small: forcing the subject across lanes made seeds share up to a fifth of their
    sentences)."""
    bank = chooser.bank

    def weight(e: Entry) -> float:
        text = anchor()
        in_lane = chooser.lanes.get(e.id) == chooser.lane
        if not in_lane and not strict:
            return 1.0
        w = 1.0 + (COHESION_BONUS * min(4, len(content_bigrams(text, bank) & content_bigrams(e.text, bank)))
                   if in_lane else 0.0)
        theirs = subjects(e.text, facet, bank)
        if not theirs:
            return w
        own = subjects(text, facet, bank)
        # (the facet's own name — 组织设置 in a headline — speaks of it in general, not of one subject)
        own = frozenset(k for k in own if k not in facet) or own
        if own:
            if off_subject(theirs, own, facet, bank):
                return w * (OFF_SUBJECT_STRICT if strict else OFF_SUBJECT)
            return w * (SAME_SUBJECT_BONUS if in_lane else 1.0)
        if off_subject(theirs, subjects(said(), facet, bank), facet, bank):
            return w * OFF_SUBJECT_SOFT
        return w
    return weight


def group_facts(groups: Iterable[TopicFacts], bank: PhraseBank, move: bool = False) -> list[_FactGroup]:
    """The brief's facts by (topic, facet): the facet the brief names, else the one the fact's words point to.

    A fact whose words point to no facet of its topic but clearly to one of another topic goes there when
    ``move`` (the problems: a problem under a headline of another subject is never answered; an achievement
    rather joins its topic's paragraph, whose headline is general enough); one that points nowhere joins
    another paragraph of its topic; a topic named with no facts stays a group of its own
    whose facet the plan chooses."""
    out: dict[tuple[str, Optional[str]], _FactGroup] = {}
    loose: list[tuple[str, Optional[str], Example]] = []
    for tf in groups:
        topic = bank.topics[tf.topic]
        facts = [f.strip().rstrip("。；;，,") for f in tf.facts if f.strip()]
        if not facts and not tf.examples:
            out.setdefault((tf.topic, tf.facet), _FactGroup(tf.topic, tf.facet))
        for fact in facts:
            home = tf.topic
            facet = tf.facet or next(iter(rank_facets(fact, topic)), None)
            if facet is None and not tf.facet and move:
                # Its words name no facet of its topic but clearly one of another (党员年龄偏大 under 组织建设
                # is about 党员发展): the paragraph follows what the fact is about.
                home, facet = _elsewhere(fact, bank, topic.group) or \
                    (tf.topic, next(iter(rank_facets(fact, topic, bank)), None))
            out.setdefault((home, facet), _FactGroup(home, facet)).facts.append(fact)
        for ex in tf.examples:
            loose.append((tf.topic, tf.facet or next(iter(rank_facets(ex.did, topic, bank)), None), ex))
    for topic, facet, ex in loose:
        # A named example goes with the facts of its topic when its own words do not say where it belongs.
        if facet is None:
            facet = next((f for (t, f) in out if t == topic and f is not None), None)
        out.setdefault((topic, facet), _FactGroup(topic, facet)).examples.append(ex)
    # Facts that matched no facet join a matched paragraph of their topic, if there is one.
    for (topic, facet), group in list(out.items()):
        if facet is None and (group.facts or group.examples):
            home = next((g for (t, f), g in out.items() if t == topic and f is not None and (g.facts or g.examples)),
                        None)
            if home:
                home.facts += group.facts
                home.examples += group.examples
                del out[(topic, facet)]
    return list(out.values())


ELSEWHERE_SCORE = 4  # keyword characters a fact must name in another topic's facet to move there


def _elsewhere(fact: str, bank: PhraseBank, group: str) -> Optional[tuple[str, str]]:
    """(topic, facet) of another topic of the same group (the broad subject the brief chose: 组织体系) whose
    facet keywords the fact names strongly, if exactly one is best. Across groups a fact is evidence of what
    the brief files it under (三会一课记录不全 as a sign of weak 责任落实)."""
    scored = sorted(((sum(len(k) for k in f.keywords if k in fact), t.id, f.id)
                     for t in bank.topics.values() if t.group == group for f in t.facets), reverse=True)
    if scored and scored[0][0] >= ELSEWHERE_SCORE and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1], scored[0][2]
    return None


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
        # (the first on-site reporters, unit and name: a review speaks of some of those it heard by name)
        "named_reporters": "、".join(f"{r.unit}{r.name}" for r in [r for r in ctx.reporters_list if not r.written][:3])
        if len([r for r in ctx.reporters_list if not r.written]) >= 2 else None,
        "report_by": (f"{ctx.preceding_report.title or ''}{ctx.preceding_report.by}同志"
                      if ctx.preceding_report else None),
        "audience": ctx.audience,
        "whole": ctx.whole,
        "period": ctx.period_text,
        "horizon": ctx.horizon,
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


class _Review:
    """Achievements and problems, one facet per paragraph, the brief's facts leading their paragraphs."""

    def __init__(self, ctx: Context, bank: PhraseBank, chooser: Chooser, rng: random.Random):
        self.ctx, self.bank, self.chooser, self.rng = ctx, bank, chooser, rng
        self.fact_headlines = 0

    def facet_ready(self, facet: str, family: str) -> bool:
        return bool(self.chooser.available(f"{family}_headline", facet=facet)
                    and self.chooser.available(f"{family}_elaboration", facet=facet))

    def choose_facet(self, topic: str, family: str, exclude: set[str]) -> Optional[str]:
        options = [f.id for f in self.bank.topics[topic].facets
                   if f.id not in exclude and self.facet_ready(f.id, family)]
        return next(iter(_by_lane(options, self.chooser.lane, self.rng)), None)

    def problems(self, groups: list[_FactGroup], praised: set[str] = frozenset()) -> list[_ItemDraft]:
        """``praised``: the facets the brief's own achievements are about. A problem the brief names without
        facts takes another facet of its topic (the facts are firm; the problem's facet is ours to choose),
        so the achievement keeps the headline its fact is about."""
        items, used = [], set()
        for g in groups:
            facet = g.facet
            if facet is None or facet in used or not self.facet_ready(facet, "problem"):
                free = not (g.facts or g.examples)
                facet = (free and self.choose_facet(g.topic, "problem", used | praised)) or \
                    self.choose_facet(g.topic, "problem", used)
            if facet is None:
                continue
            used.add(facet)
            items.append(self.item(g, facet, "problem"))
        return items

    def achievements(self, groups: list[_FactGroup], criticised: set[str],
                     criticised_topics: set[str] = frozenset()) -> list[_ItemDraft]:
        items, used = [], set(criticised)
        for g in groups:
            if g.topic in criticised_topics and not (g.facts or g.examples):
                continue  # praising in general what the problems then criticise reads as a contradiction
            facet = g.facet
            if facet in used:
                # Never praise what the problems criticise: take the next facet the facts point to.
                text = "".join(g.facts) + "".join(e.did for e in g.examples)
                facet = next((f for f in rank_facets(text, self.bank.topics[g.topic]) if f not in used), None)
            if facet is None or not self.facet_ready(facet, "achievement"):
                facet = self.choose_facet(g.topic, "achievement", used) or facet
            if facet is None:
                continue
            used.add(facet)
            items.append(self.item(g, facet, "achievement"))
        return items

    def _supported(self, fact: str, facet: str, least: int = FACT_HEADLINE_SUPPORT) -> bool:
        """Whether enough problem sentences of the facet take up the fact's own words for it to head them."""
        found = 0
        for e in self.chooser.available("problem_elaboration", facet=facet):
            if _takes_up(fact, e.text, facet, self.bank):
                found += 1
                if found >= least:
                    return True
        return False

    def item(self, g: _FactGroup, facet: str, family: str) -> _ItemDraft:
        ch = self.chooser
        said = _bigrams("".join(g.facts) + "".join(e.did for e in g.examples))
        told = " ".join((*g.facts, *(e.did for e in g.examples)))
        on_subject = _cohering(ch, facet, lambda: told)
        # A short problem the brief states plainly is the paragraph's own headline (一是流动党员底数不清。);
        # its other facts follow as evidence, and the sentences after it speak of its subject.
        # Only a fact about the paragraph's facet heads it: a brief may give “三会一课记录不全” as evidence of
        # weak responsibility, and a headline on 三会一课 over sentences on 一岗双责 would say two things.
        topic = self.bank.topics[g.topic]
        named = {f.strip().rstrip("。；;，,") for tf in self.ctx.problems if tf.topic == g.topic and tf.facet
                 for f in tf.facts}
        lead = headline_fact(f for f in g.facts if f in named or facet in rank_facets(f, topic)) \
            if family == "problem" else None
        demoted = lead is not None and not self._supported(lead, facet)
        if demoted:
            # Nothing in the bank speaks of what the fact names: under it as a headline, general sentences
            # would read as another subject. A general headline then leads, and the fact is its example.
            lead = None
        # (recorded as the frame that states a problem fact as it stands, “{fact}。”, with the number of
        # its use: the headline is the brief's words, and that frame, having none of its own, may recur)
        plain = next((e for e in self.bank.candidates("fact_problem") if e.text == "{fact}。"), None)
        if lead is not None and plain is not None:
            self.fact_headlines += 1
            headline = Chosen(f"{plain.id}#{self.fact_headlines}", lead)
            ch._count(headline, +1)
        else:
            # What the fact is about decides the headline before the seed's lane does (a fact on new branches
            # under a headline on 换届 says two things); without facts the lane keeps seeds apart.
            told_subjects = subjects(told, facet, self.bank)

            def restates(e: Entry) -> bool:
                shared = len(said & _bigrams(e.text))
                return bool(said and shared * 2 >= len(said)) or _shares_run(e.text, told, 3)
            # A problem's headline over its fact shares a word with it where the bank has such a headline
            # (党员教育培训内容… over 集中学习培训的时间, not 党性教育的深度…).
            near = family == "problem" and bool(g.facts) and any(
                said & _bigrams(e.text) and not restates(e) for e in ch.available(f"{family}_headline", facet=facet))

            def fits(e: Entry) -> float:
                # Never a headline on another sub-subject than the facts' ("处置不合格党员" over 外出务工党员);
                # over a fact that could have headed the paragraph itself, one in general terms, so that the
                # fact reads as its example and not as the headline said again.
                # (a keyword that is the facet's own name — 日常管理 of 党员日常管理 — speaks of it in general)
                theirs = frozenset(k for k in subjects(e.text, facet, self.bank) if k not in facet)
                if off_subject(theirs, told_subjects, facet, self.bank):
                    return 0.0
                if told and other_people(e.text, told):
                    return 0.0  # “对党务干部的激励……” over a fact on 社区工作者: two subjects in one paragraph
                if family == "problem" and not g.facts and theirs and not self._supported(e.text, facet, 2):
                    return 0.05  # a headline on one sub-subject the bank has hardly a sentence on
                if family == "achievement" and (g.facts or g.examples) and theirs and not theirs & told_subjects:
                    return 0.02  # “支部按期换届更加规范” over new branches: the facts name no 换届
                if family == "problem" and g.facts:
                    # The problem's fact follows as its evidence: not under a headline that says what it says
                    # ("流动党员管理存在薄弱环节。比如，流动党员管理还有盲区。"), but under one more general.
                    # (nor one that says the fact's own phrase: "“两张皮”问题尚未根本解决" over "“两张皮”问题仍然存在")
                    if restates(e) or theirs & told_subjects:
                        return 0.001
                    return (0.3 if theirs else 1.0) * (0.02 if near and not said & _bigrams(e.text) else 1.0)
                return 1.0
            # (a problem's headline over its fact as evidence speaks more generally than the fact)
            about = (lambda e: 1.0) if family == "problem" else _about(said)
            headline = ch.need(f"{family}_headline", facet=facet,
                               prefer=lambda e: about(e) * on_subject(e) * fits(e),
                               lane_weight=FACT_HEADLINE_LANE if said else LANE_BONUS)
        item = _ItemDraft(g.topic, facet, headline, [], tuple(g.facts), tuple(g.examples), None,
                          f"{family}_elaboration")
        evidence = [f for f in g.facts if f != headline.text]
        if evidence:
            # (a fact that could have headed the paragraph, under a headline more general: "比如，……")
            slot, text = _fact_slot(evidence[0], family), join_facts(evidence)
            timed = TIME_PREFIX.match(text) if family == "achievement" else None
            if timed and len(text) > timed.end():
                # “上半年，我们为居民办实事38件。”: the fact's own time, then a subject, never a second time phrase
                rest = text[timed.end():]
                # (a verb after 我们 — 我们为居民办实事; a noun after the unit's whole — 全校高考本科上线人数…)
                subject = "" if OWN_SUBJECT.match(rest) else "我们" if rest.startswith(LEADING_VERBS) else (
                    ch.values.get("whole") or "")
                text = f"{timed.group(1)}，{subject}{rest}"
                slot = "fact_own"
            # A result of the unit's business (新增补充耕地1860亩) is the whole unit's doing, not its Party
            # committee's: said with 我们, never with the committee as its subject.
            business = self.bank.topics[g.topic].group == "融合发展" or not PARTY_WORK.search(text)
            if family == "problem":
                # A problem's fact is said as it stands (“部分临床党支部受排班影响……。”): after its headline,
                # "比如，……" would make the problem an example of itself.
                plainly = lambda e: float(e.text == "{fact}。")  # noqa: E731
                item.evidence = ch.pick(slot, extra={"fact": text}, prefer=plainly)
                if item.evidence is None or item.evidence.text != f"{text}。":
                    if item.evidence is not None:
                        ch.release(item.evidence)
                    item.evidence = ch._pick_again(slot, extra={"fact": text}, prefer=plainly) or \
                        ch.need(slot, extra={"fact": text})
            else:
                item.evidence = ch.need(slot, extra={"fact": text}, prefer=(
                    (lambda e: float("{unit}" not in e.text)) if business else None))
        if g.examples:
            cases = "；".join(f"{ex.post or ''}{ex.who}同志{ex.did.rstrip('。；，')}"
                             f"{'' if not ex.effect and STATES_RESULT.search(ex.did) else '，' + (ex.effect or CASE_GAP).rstrip('。')}"
                             for ex in g.examples)
            item.cases = ch.need("fact_example", extra={"cases": cases})
        if family == "achievement" and not g.facts and not g.examples:
            item.gap = f"【待补充：{facet}方面的具体做法、数据或典型事例】"
            ch._count(Chosen("", item.gap), +1)  # its words count towards repetition like any other
        first = _not_echoing(headline, headline.text in g.facts)
        people = _of_their_people(told)
        about = lambda e, about=_about(said): about(e) * people(e)  # noqa: E731
        cohere = _in_paragraph(ch, item)
        # After a fact, a sentence that takes it up: not one that opens with another time phrase, nor with a
        # short sentence of its own (“排查整顿的关口前移了。”), which after a fact reads as a stray sub-heading.
        after_fact = (lambda e: first(e) * about(e) * cohere(e) * (CAPTION_AFTER_FACT if TIME_OPENING.match(e.text) else 1.0)
                      * (CAPTION_AFTER_FACT if CAPTION_OPENING.match(e.text) else 1.0)) \
            if g.facts else (lambda e: first(e) * cohere(e))
        if family == "achievement" and (g.facts or g.examples):
            # Praise of what the brief reports only: never a sentence on another sub-subject of the facet
            # (换届 after new branches), which would praise what nobody reported.
            own = frozenset(k for k in subjects(told, facet, self.bank) if k not in facet)
            on_told = after_fact
            after_fact = lambda e: on_told(e) * float(  # noqa: E731
                not off_subject(subjects(e.text, facet, self.bank), own, facet, self.bank))
        if _fact_headed(item):
            weigh = after_fact
            after_fact = lambda e: weigh(e) * float(_takes_up(headline.text, e.text, facet, self.bank))  # noqa: E731
        elif not g.facts and subjects(headline.text, facet, self.bank):
            # A headline of the bank on one sub-subject (处置不合格党员) is taken up by the first sentence too.
            weigh = after_fact
            after_fact = lambda e: weigh(e) * (  # noqa: E731
                1.0 if _takes_up(headline.text, e.text, facet, self.bank) else 0.01)
        if not (family == "problem" and _tells_how_it_shows(g.facts)):
            item.elaborations.append(ch.need(item.slot, facet=facet, prefer=after_fact))
        else:
            # A fact that says how the problem shows takes one sentence more only on its very subject (what it
            # means, how widely it shows), never one on a further fault.
            fact = " ".join(g.facts)
            on_it = lambda e: after_fact(e) * float(_takes_up(fact, e.text, facet, self.bank))  # noqa: E731
            more = ch.pick(item.slot, facet=facet, prefer=on_it)
            if more is not None and _takes_up(fact, more.text, facet, self.bank) and not _repeats_clause(item, more.text):
                item.elaborations.append(more)
            elif more is not None:
                ch.release(more)
        if family == "problem" and g.facts and self.ctx.length > SHORT_SPEECH and _gives_its_cause(g.facts):
            # The brief says why (受排班影响): a cause of the bank's would override it; what it costs may follow.
            fresh = _not_repeating(ch, item)
            item.last = ch.pick("problem_cause", facet=facet, prefer=lambda e: fresh(e) * people(e) * float(
                not CAUSE.search(e.text)) * (1e-5 if e.text[:3] in ch.analysis_openers else 1.0))
            if item.last and CAUSE.search(item.last.text):
                ch.release(item.last)
                item.last = None
            if item.last:
                ch.analysis_openers.add(item.last.text[:3])
                item.costed = True
        elif family == "problem" and g.facts and self.ctx.length > SHORT_SPEECH:
            # A problem the brief states closes on why it arises or what it costs: analysis, where further
            # sentences of faults would lay on the unit what nobody reported.
            fresh = _not_repeating(ch, item)
            item.last = ch.pick("problem_cause", facet=facet, prefer=lambda e: fresh(e) * people(e) * (
                1.0 if CAUSE.search(e.text) else 0.05) * (1e-5 if e.text[:3] in ch.analysis_openers else 1.0))
            if item.last:  # (two problems that both say “根子在于……” read as a form filled twice)
                ch.analysis_openers.add(item.last.text[:3])
        return item


# A problem fact of two clauses or more already says how the problem shows (…推迟补开，参会率不高): a sentence of
# the bank's on a further symptom would lay on the unit a fault nobody reported.
def _tells_how_it_shows(facts: Iterable[str]) -> bool:
    return sum(len([c for c in re.split(r"[，；,;]", f) if len(c.strip()) >= 4]) for f in facts) >= 2


# A fact that gives its own cause (受排班影响, 由于…, 工学矛盾): no cause of the bank's over it.
OWN_CAUSE = re.compile(r"受[^，。；]{1,12}影响|由于|因为|因[^，。；]{1,8}(?:而|导致)|导致|工学矛盾|排班|倒班|订单|农忙|忙于")


def _gives_its_cause(facts: Iterable[str]) -> bool:
    return any(OWN_CAUSE.search(f) for f in facts)


# A problem_cause sentence that says why a problem arises (说到底……); the others say what it costs
# (这个问题不解决……, 长此以往……). A long speech tells both, the cost first.
CAUSE = re.compile("说到底|根子|根源|表面上看|深层|究其|归根|从机制|原因")


# An entry that opens with a short sentence of a single clause (“志愿服务项目化水平提高了。”): after a fact
# it reads as a stray sub-heading, a bare claim tacked on.
CAPTION_AFTER_FACT = 0.002
CAPTION_OPENING = re.compile(r"^[^，。；：！？、]{2,14}[。！]")

# A brief's problem fact short and plain enough to stand as the problem's headline: one clause or two, no
# figures (figures are evidence, not a headline), no list or example of its own.
FACT_HEADLINE_MAX = 22
_NOT_A_HEADLINE = re.compile(r"[0-9０-９；;：:？?！!【（(]|^(?:比如|例如|如：)")


def headline_fact(facts: Iterable[str]) -> Optional[str]:
    """The first of a problem's facts that can be its headline as the brief words it, if any."""
    for fact in facts:
        if len(fact) <= FACT_HEADLINE_MAX and fact.count("，") <= 1 and not _NOT_A_HEADLINE.search(fact):
            return fact
    return None


# The people a headline or a fact speaks of: a paragraph whose headline names one group and whose fact
# another ("党务干部" over 社区工作者的薪酬) reads as two subjects. Longer names first: 支部书记 before 书记.
# (not the people served — 患者, 居民: a fault of the staff is often told by what patients say)
PEOPLE = re.compile("|".join(sorted((
    "党务干部", "党务工作者", "党支部书记", "支部书记", "党组织书记", "书记", "社区工作者", "村干部", "网格员",
    "青年教师", "教师", "老师", "医务人员", "医生", "护士", "职工", "员工", "青年", "年轻干部",
    "老党员", "流动党员", "党员干部", "班子成员", "积极分子", "后备干部", "党务岗位"),
    key=len, reverse=True)))


def _shares_run(text: str, other: str, n: int) -> bool:
    """Whether the two texts' Chinese share a run of n characters (punctuation and quotes left out)."""
    a, b = _NOT_HAN.sub("", text), _NOT_HAN.sub("", other)
    # (a run through 的 is grammar, not a phrase: 培训的 is no restatement)
    return any("的" not in a[i:i + n] and a[i:i + n] in b for i in range(len(a) - n + 1))


def _of_their_people(told: str) -> Callable[[Entry], float]:
    """After a brief's fact on some people (社区工作者), sentences on other people (党务干部) come last."""
    return lambda e: 0.05 if told and other_people(e.text, told) else 1.0


def other_people(headline: str, fact: str) -> bool:
    """Whether the headline names people of whom the fact says nothing, while the fact names others."""
    named, told = set(PEOPLE.findall(headline)), set(PEOPLE.findall(fact))
    if not named or not told:
        return False
    return not any(a in b or b in a for a in named for b in told)


TIME_OPENING = re.compile(r"^(?:一年来|过去一年|这一年|\{year\}年|\{period\}|\d{4}年|半年来|上半年|今年以来)")


def _about(said: frozenset[str]) -> Callable[[Entry], float]:
    """Prefer wording that shares words with what the brief says here, but not wording that restates it."""
    def weight(e: Entry) -> float:
        if not said:
            return 1.0
        mine = _bigrams(e.text)
        shared = len(said & mine) / max(1, min(len(said), len(mine)))
        return 0.1 if shared > 0.6 else 1.0 + 8.0 * shared
    return weight


def _fact_slot(fact: str, family: str) -> str:
    if family == "problem":
        return "fact_problem"
    if OWN_SUBJECT.match(fact):
        return "fact_own"
    return "fact_verb" if fact.startswith(LEADING_VERBS) else "fact_noun"


def join_facts(facts: Iterable[str]) -> str:
    facts = list(facts)
    return ("；" if any("，" in f for f in facts) else "，").join(facts)


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
    by_order = lambda groups: sorted(groups, key=lambda g: topic_order[g.topic])  # noqa: E731

    frames: dict[str, Chosen] = {}
    for name, chosen in (("spirit", spirit), ("milestone", milestone)):
        if chosen:
            frames[name] = chosen
    with_milestone = lambda e: 2.0 if "milestone" in e.placeholders else 1.0  # noqa: E731
    # The speaker addresses their own subordinate organisations by name (公司各党支部) somewhere near the end.
    to_audience = lambda e: 1.0 if "audience" in e.placeholders else 0.0  # noqa: E731

    review = _Review(ctx, bank, chooser, rng)
    pro_groups = by_order(group_facts(ctx.problems, bank, move=True))
    ach_groups = group_facts(ctx.achievements, bank)
    if ctx.speech_kind == "review":
        # Who called the meeting and who reported in writing are facts of the brief: said where given.
        frames["opening"] = chooser.need("opening", prefer=lambda e: float(
            not ctx.deployed_by or "deployed_by" in e.placeholders))

        def prefer_counts(e: Entry) -> float:
            # The brief's counts are always used when it gives them (the news and host repeat them).
            if ctx.reporters and "reporters" not in e.placeholders:
                return 0.0
            if (ctx.reporters or 0) > 5 and "几位" in e.text:  # thirteen secretaries are not “几位”
                return 0.0
            return float(not ctx.written_reporters or "written_reporters" in e.placeholders)

        frames["affirmation"] = chooser.need("affirmation", prefer=prefer_counts)
        # Some of those who reported, by name, after the general word on the reports (where the brief lists them).
        named = chooser.pick("reporters_named")
        if named:
            frames["reporters_named"] = named
        # Achievements: the topics the brief gives facts for, and the focus topics.
        named = {g.topic for g in ach_groups}
        # Focus topics without facts fill the achievements up to what the length allows; facts always stay.
        room = max(0, achievements_for_length(ctx.length) - len(ach_groups)) if ctx.length <= SHORT_SPEECH else 99
        # A paragraph of praise with nothing from the brief in it would be ours, not theirs: where the brief
        # gives two achievements or more, its focus topics without facts are taken up by the points only.
        told = sum(1 for g in ach_groups if g.facts or g.examples)
        if told >= ENOUGH_TOLD:
            room = 0
        ach_groups += [_FactGroup(t, None) for t in dict.fromkeys(ctx.focus) if t not in named][:room]
        if not ach_groups:
            ach_groups = [_FactGroup(t, None) for t in FALLBACK_ACHIEVEMENT_TOPICS]
        # Problems: the brief's, or the ones nearly every unit has, stated generally.
        if not pro_groups:
            pro_groups = [_FactGroup(t, None) for t in FALLBACK_PROBLEM_TOPICS]
    else:
        # A work speech reviews last year only through what the brief says of it: no gaps to fill.
        ach_groups = [g for g in ach_groups if g.facts or g.examples]
    # Problems are placed first so that no achievement praises a facet they criticise.
    problems = review.problems(pro_groups, {g.facet for g in ach_groups if g.facet and (g.facts or g.examples)})
    criticised_topics = {i.topic for i in problems}
    if ctx.speech_kind == "review":
        # A review praises at least three things: where the brief's topics are all criticised, the ones
        # nearly every unit can name.
        fill = [t for t in (*FALLBACK_ACHIEVEMENT_TOPICS, *GROUP_FILL_TOPICS) if t not in criticised_topics]
        named = {g.topic for g in ach_groups if g.topic not in criticised_topics or g.facts or g.examples}
        for topic in fill:
            if len(named) >= min(3, achievements_for_length(ctx.length)) or told >= ENOUGH_TOLD:
                break
            if topic not in named:
                ach_groups.append(_FactGroup(topic, None))
                named.add(topic)
    achievements = review.achievements(by_order(ach_groups), {i.facet for i in problems}, criticised_topics)
    achievements.sort(key=lambda i: topic_order[i.topic])
    if achievements:
        # After a work report that reviewed the year, the speech says so and only recalls the main results.
        recalls = ctx.speech_kind == "work" and ctx.preceding_report is not None
        no_report = _no_report_unless(ctx)
        frames["achievements_intro"] = chooser.need("achievements_intro", prefer=lambda e: no_report(e) * (
            (1.0 if "报告" in e.text else 0.0) if recalls else 1.0))
    if problems:
        # No word of achievements when the speech has none; no "几个问题" before a single one.
        frames["problems_intro"] = chooser.need("problems_intro", prefer=lambda e: 0.0 if (
            (not achievements and re.search("成绩|同时|也要|肯定", e.text))
            or (len(problems) == 1 and re.search("几|一些|以下|主要|不少|集中表现|薄弱环节|短板弱项", e.text))
            or (len(problems) > 1 and "一个问题" in e.text)) else 1.0)
        # "这些问题" after one problem, "这个问题" after several: the outro agrees in number too.
        frames["problems_outro"] = chooser.need("problems_outro", prefer=lambda e: 0.0 if (
            (len(problems) == 1 and re.search("这些|以上|几|各项", e.text))
            or (len(problems) > 1 and "这个问题" in e.text)) else 1.0)

    # Every problem is answered by a point on the same facet; the focus topics get points of their own.
    answers = [(i.topic, i.facet) for i in problems]
    chooser.answering = {i.facet: " ".join((i.headline.text, *i.facts)) for i in problems}
    chooser.problem_facts = {i.facet: tuple(i.facts) for i in problems if i.facts}
    focus = [(t, None) for t in ctx.focus if t not in {a for a, _ in answers}]
    if ctx.length <= SHORT_SPEECH:
        focus = focus[:max(0, 3 - len(answers))]  # a short speech answers its problems first
    required = sorted([*answers, *focus], key=lambda tf: topic_order[tf[0]])
    if ctx.speech_kind == "review":
        frames["transition"] = chooser.need("transition")
        frames["closing"] = chooser.need("closing", prefer=lambda e: with_milestone(e) * to_audience(e))  # noqa
        if layout == "separate":
            n_sections = ctx.points or points_for_length(ctx.length)
            sections = _sections_separate(required, n_sections, bank, chooser, rng)
        else:
            sections = _sections_two_part(required, bank, chooser, rng)
    else:
        # A half-year work meeting looks ahead to the second half by name (下半年): its context says so.
        frames["work_context"] = chooser.need("work_context", prefer=lambda e: 1.0 if ctx.period == "year" or (
            "{horizon}" in e.text or "下半年" in e.text) else 0.0)
        if ctx.preceding_report:  # no report was given before the speech: none to acknowledge
            frames["report_ack"] = chooser.need("report_ack", prefer=lambda e: float("report_by" in e.placeholders))
        frames["work_transition"] = chooser.need("work_transition", prefer=_no_report_unless(ctx))
        frames["work_closing"] = chooser.need("work_closing", prefer=lambda e: with_milestone(e) * to_audience(e))
        if not required:
            required = [(t, None) for t in FALLBACK_ACHIEVEMENT_TOPICS]
        sections = _sections_work(required, ctx.points or work_points_for_length(ctx.length), bank, chooser, rng)

    # The frame of the day: the formulas current on the meeting date, in a few sentences before the points.
    situation = chooser.pick("situation")
    if situation:
        frames["situation"] = situation
        # The frame of the day states the guiding formulas: the sentence that leads into the points right
        # after it does not say them a third time.
        for name in ("transition", "work_transition"):
            said = frames.get(name)
            if said and GUIDING_FORMULA.search(said.text):
                chooser.release(said)
                no_report = _no_report_unless(ctx)
                frames[name] = chooser.need(name, prefer=lambda e: 0.0 if (
                    "{spirit}" in e.text or GUIDING_FORMULA.search(e.text)) else no_report(e))
        # …nor does a work speech's opening context say them before it (the formula twice, and in two forms:
        # 二十届历次全会精神, then 二十届四中全会精神).
        said = frames.get("work_context")
        if said and (GUIDING_FORMULA.search(said.text) or "中国特色社会主义思想" in said.text):
            chooser.release(said)
            frames["work_context"] = chooser.need("work_context", prefer=lambda e: 0.0 if (
                "{spirit}" in e.text or GUIDING_FORMULA.search(e.text) or "中国特色社会主义思想" in e.text) else (
                1.0 if ctx.period == "year" or "{horizon}" in e.text or "下半年" in e.text else 0.01))
        # The frame of the day opens the part of the directives: a plain lead after it says the same again.
        for sec in sections:
            if sec.lead and sec.style != "argument":  # (an argument section's lead is its 这是…只有…才 triad)
                chooser.release(*sec.lead)
                sec.lead = []
    if ctx.length > SHORT_SPEECH:  # a short speech has no room for a 排比 passage of its own
        _add_parallel(chooser, bank, sections)
    _carry_hallmarks(ctx, bank, chooser, rng, frames, achievements, problems, sections)
    _ensure_a_principle(chooser, sections)

    for kind, slots in EXTRA_SLOTS.items():
        if kind in ctx.kinds:
            for slot in slots:
                if slot == "host_rating" and ctx.speech_kind != "review":
                    continue  # a work meeting has no 述职 and no rating
                frames[slot] = chooser.need(slot)

    counted = [k for k in frames if k not in ("spirit", "milestone") and k not in EXTRA_FRAME_SLOTS]
    frame_len = sum(len(frames[k].text) for k in counted)
    fixed = OVERHEAD["fixed"] + len(ctx.meeting_name) + len(ctx.speaker_name) + OVERHEAD["transition"]

    def estimate() -> int:
        return (fixed + frame_len + sum(i.length() for i in achievements) + sum(i.length() for i in problems)
                + sum(s.length() for s in sections))

    _fit_length(ctx, bank, chooser, rng, achievements, problems, sections, estimate, layout, frames)
    _trim_to_length(ctx, bank, chooser, [*achievements, *problems, *(i for s in sections for i in s.items)], estimate)
    _trim_overuse(chooser, [*achievements, *problems, *(i for s in sections for i in s.items)])
    _drop_repeated_clauses(chooser, [*achievements, *problems, *(i for s in sections for i in s.items)])
    _answer_honestly(chooser, [i for s in sections for i in s.items])
    _settle_parallel(chooser, bank, sections)
    for sec in sections:
        if sec.headline is None:
            # Headlines last, once each section's points are known, so a headline speaks of what follows it.
            sec.headline = _section_headline(chooser, bank, sec)

    return Plan(
        kind=ctx.speech_kind,
        layout=layout,
        context=ctx,
        frames=frames,
        achievements=tuple(i.freeze() for i in achievements),
        problems=tuple(i.freeze() for i in problems),
        sections=tuple(Section("+".join(s.groups), s.headline, tuple(s.lead), tuple(i.freeze() for i in s.items),
                               s.style, s.parallel) for s in sections),
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
Wanted = tuple  # (topic, facet or None): a point the plan must make


def _sections_work(required: list[Wanted], n: int, bank: PhraseBank, chooser: Chooser,
                   rng: random.Random) -> list[_SectionDraft]:
    """工作会议讲话: why (a triad of arguments) — what (tasks, 第一，…) — how (responsibility, 一要…)."""
    sections: list[_SectionDraft] = []
    # A mid-year 推进会 goes straight to the second half's tasks: the "why" belongs to the year's first meeting.
    why = n >= 3 and chooser.ctx.period == "year"
    task_count = max(1, n - 2) if why else (max(1, n - 1) if n >= 2 else 1)
    if why:
        meaning = _SectionDraft(["意义"], chooser.need("work_section_headline", group="意义"), style="argument")
        meaning.lead = [chooser.need("argument", group=g) for g in ("历史", "时代", "现实")]
        sections.append(meaning)
    tasks_required = [w for w in required if bank.topics[w[0]].group in WORK_TASK_GROUPS]
    guarantee_required = [w for w in required if bank.topics[w[0]].group not in WORK_TASK_GROUPS]
    tasks = _sections_separate(tasks_required, task_count, bank, chooser, rng, allowed_groups=WORK_TASK_GROUPS)
    for sec in tasks:
        sec.style = "ordinal"
        sec.max_items = MAX_TASKS if len(tasks) == 1 else 99  # nine tasks in one list read as a list, not a speech
        if len(tasks) == 1 and len(sec.groups) > 1:
            # One section holds tasks of several groups: a headline on the year's tasks as a whole.
            sec.headline = chooser.need("work_section_headline", group="任务")
    sections += tasks
    guarantee = _SectionDraft(["责任落实"], chooser.need("work_section_headline", group="保障"),
                              topics=WORK_GUARANTEE_TOPICS, max_items=4, max_elaborations=3)
    wanted = guarantee_required + [(t, None) for t in WORK_GUARANTEE_TOPICS[:2]
                                   if t not in {w[0] for w in guarantee_required}]
    if chooser.ctx.length <= SHORT_SPEECH:
        wanted = wanted[:max(1, len(guarantee_required))]
    for topic, facet in wanted[:4]:
        item = _directive(chooser, topic, facet, rng, _used_facets(sections + [guarantee]))
        if item:
            guarantee.items.append(item)
    sections.append(guarantee)
    return sections


def _ensure_a_principle(chooser: Chooser, sections: list[_SectionDraft]) -> None:
    """At least one point of every speech opens with a short principle instead of a verb."""
    points = [i for s in sections for i in s.items]
    if any(i.opener for i in points):
        return
    for item in sorted(points, key=lambda i: i.sentences()):
        on_point = _principle_fits(chooser, item)
        if item.sentences() < chooser.max_sentences and any(
                on_point(e) for e in chooser.available("principle", facet=item.facet)):
            fresh = _not_repeating(chooser, item)
            item.opener = _pick_opener(chooser, item, lambda e: fresh(e) * on_point(e))
            if item.opener:
                return


def _pick_opener(chooser: Chooser, item: _ItemDraft, prefer: Callable[[Entry], float]) -> Optional[Chosen]:
    """A principle of the point's facet to open it, unless the one drawn says again what the point says
    (“学以致用、用以促学” before a sentence that opens so)."""
    opener = chooser.pick("principle", facet=item.facet, prefer=prefer)
    if opener and _says_again(chooser, item, opener.text):
        chooser.release(opener)
        return None
    return opener


def _principle_fits(chooser: Chooser, item: _ItemDraft) -> Callable[[Entry], float]:
    """A principle that opens a point speaks of the point's own subject: not “组织设置跟着工作走，覆盖才能不留
    空白” over a point on 换届 (a principle on one sub-subject of the facet only over a point on it)."""
    bank = chooser.bank
    # (the facet's own name, 组织设置, speaks of it in general)
    own = frozenset(k for k in subjects(" ".join((item.headline.text, *(c.text for c in item.elaborations))),
                                        item.facet, bank) if k not in item.facet)

    def weight(e: Entry) -> float:
        theirs = frozenset(k for k in subjects(e.text, item.facet, bank) if k not in item.facet)
        return 0.0 if theirs and (not own or off_subject(theirs, own, item.facet, bank)) else 1.0
    return weight


def _add_parallel(chooser: Chooser, bank: PhraseBank, sections: list[_SectionDraft]) -> None:
    """One 排比 paragraph per speech: under the headline of the first section whose points all speak of what
    it speaks of; where no section is of one subject (“讲两点意见”, a mixed section), opening the point it
    speaks of — a 排比 on 讲政治 at the head of seven points on other things reads as their subject."""
    for sec in sections:
        if sec.style == "argument" or not sec.items:
            continue
        groups = list(dict.fromkeys(bank.topics[i.topic].group for i in sec.items))

        def covers(e: Entry, items=sec.items) -> float:
            return (3.0 if e.topics else 1.0) if _speaks_for(e, items, bank) else 0.0
        for group in groups:
            if any(covers(e) for e in chooser.available("parallel", group=group)):
                sec.parallel = chooser.pick("parallel", group=group, prefer=covers)
                if sec.lead:  # the 排比 takes the place of the section's plain lead: one opening, not two
                    chooser.release(*sec.lead)
                    sec.lead = []
                return
    # First one on a point's own topic, wherever that point stands; else one on the point's group in general,
    # and then only opening a section's first point, where it reads as the lead of the points that follow
    # (as the fourth point's opening, 抓基层、打基础 over 发展党员 speaks of something else).
    for general in (False, True):
        for sec in sections:
            if sec.style == "argument":
                continue
            for n, item in enumerate(sec.items):
                if item.opener is not None or item.sentences() >= chooser.max_sentences or (general and n):
                    continue
                group = bank.topics[item.topic].group

                def about(e: Entry, topic: str = item.topic) -> float:
                    return float(not e.topics) if general else float(topic in e.topics)
                if any(about(e) for e in chooser.available("parallel", group=group)):
                    item.opener = chooser.pick("parallel", group=group, prefer=about)
                    return


def _speaks_for(e: Entry, items: list[_ItemDraft], bank: PhraseBank) -> bool:
    """Whether a 排比 speaks of what all these points speak of: every one of their topics, or, written for a
    group in general, their one group."""
    present = {i.topic for i in items}
    if e.topics:
        return present <= set(e.topics)
    return {bank.topics[t].group for t in present} == {e.group}


def _settle_parallel(chooser: Chooser, bank: PhraseBank, sections: list[_SectionDraft]) -> None:
    """A section that has grown points of other subjects since it got its 排比 hands the passage to the point
    it speaks of (as that point's opening), or, with none free, takes another that fits the section now."""
    for sec in sections:
        if sec.parallel is None:
            continue
        e = bank.get(sec.parallel.entry_id)
        if _speaks_for(e, sec.items, bank):
            return
        home = next((i for i in sec.items if i.opener is None and i.sentences() < chooser.max_sentences
                     and _speaks_for(e, [i], bank)), None)
        if home is not None:
            home.opener, sec.parallel = sec.parallel, None
            return
        chooser.release(sec.parallel)
        sec.parallel = None
        _add_parallel(chooser, bank, sections)
        return


def _carry_hallmarks(ctx: Context, bank: PhraseBank, chooser: Chooser, rng: random.Random, frames: dict,
                     achievements: list[_ItemDraft], problems: list[_ItemDraft], sections: list[_SectionDraft]) -> None:
    """Every speech of a kind of unit carries that kind's hallmarks (a hospital's 党委领导下的院长负责制):
    one missing is added as a sentence of a paragraph of the same facet, or as a point of its own."""
    def text() -> str:
        parts = [c.text for c in frames.values()]
        for i in (*achievements, *problems, *(i for s in sections for i in s.items)):
            parts += [c.text for c in (i.headline, i.evidence, i.cases, i.opener, *i.elaborations) if c]
        parts += [c.text for s in sections for c in (s.headline, s.parallel, *s.lead) if c]
        return "".join(parts)

    for hallmark in bank.profiles.get(ctx.org_type, {}).get("hallmarks", ()):
        forms = hallmark.split("|")
        if any(f in text() for f in forms):
            continue
        carries = lambda e, forms=forms: 1.0 if any(f in e.text for f in forms) else 0.0  # noqa: E731
        placed = False
        for family, items in (("directive", [i for s in sections for i in s.items]), ("achievement", achievements),
                              # (not a problem the brief states: a further fault nobody reported)
                              ("problem", [i for i in problems if not i.facts])):
            # A paragraph whose carrying entry lies in this seed's lane first (so seeds differ), then the
            # shortest, so no point swells.
            def order(i: _ItemDraft) -> tuple:
                lanes = {chooser.lanes.get(e.id) for e in chooser.available(f"{family}_elaboration", facet=i.facet)
                         if carries(e)}
                return (chooser.lane not in lanes, len(i.elaborations), rng.random())
            for item in sorted(items, key=order):
                if any(carries(e) for e in chooser.available(f"{family}_elaboration", facet=item.facet)):
                    cohere = _echo_and_cohere(chooser, item)
                    fresh = _not_repeating(chooser, item)
                    chosen = chooser.pick(f"{family}_elaboration", facet=item.facet,
                                          prefer=lambda e, cohere=cohere, fresh=fresh: carries(e) * cohere(e) * fresh(e))
                    if chosen is None:
                        continue
                    # (never a sentence that says again what the paragraph said: 村集体经济 three times)
                    if item.sentences() + _count_sentences(chosen.text) > chooser.max_sentences or \
                            _says_again(chooser, item, chosen.text):
                        chooser.release(chosen)
                        continue
                    item.elaborations.append(chosen)
                    placed = True
                    break
            if placed:
                break
        if placed or ctx.length <= SHORT_SPEECH:
            continue  # a short speech has no room for a point of its own
        # No paragraph of the speech has a fitting facet: a point of its own, in the section of its group.
        options = [e for e in chooser.available("directive_elaboration") if carries(e)]
        targets = [s for s in sections if s.items and s.style != "argument"]
        if not options or not targets:
            continue
        # A point of the section its topic belongs to, so the section's headline still speaks of it.
        fitting = [e for e in options if any(bank.topics[e.topic].group in s.groups for s in targets)] or options
        # (the seed's own lane first: the hallmark is every seed's, its sentence need not be)
        entry = rng.choice([e for e in fitting if chooser.lanes.get(e.id) == chooser.lane] or fitting)
        points = [i for s in sections for i in s.items]
        same = next((i for i in points if i.facet == entry.facet and len(i.elaborations) >= 2), None)
        if same is not None:
            # A point on that facet is there already, full: the hallmark's sentence takes the place of its
            # last one, rather than a second point on one subject (“第六” and “第七” on 后备力量).
            # (never one that carries another hallmark, nor the point's first)
            marks = [f for h in bank.profiles.get(ctx.org_type, {}).get("hallmarks", ()) for f in h.split("|")]
            spare = [k for k in range(1, len(same.elaborations)) if not any(f in same.elaborations[k].text for f in marks)]
            chosen = chooser.pick("directive_elaboration", facet=entry.facet, prefer=carries) if spare else None
            if chosen is not None:
                chooser.release(same.elaborations.pop(spare[-1]))
                same.elaborations.append(chosen)
                continue
        home = next((s for s in targets if bank.topics[entry.topic].group in s.groups), targets[-1])
        item = _directive(chooser, entry.topic, entry.facet, rng, set())
        if item:
            more = chooser.pick("directive_elaboration", facet=entry.facet, prefer=carries)
            if more is not None:
                # (the hallmark's sentence takes the place of the point's second one when it would run long)
                while len(item.elaborations) > 1 and \
                        item.sentences() + _count_sentences(more.text) > chooser.max_sentences:
                    chooser.release(item.elaborations.pop())
                item.elaborations.append(more)
            home.items.append(item)


def _strays(chooser: Chooser, item: _ItemDraft, chosen: Chosen) -> bool:
    """Whether a sentence drawn to lengthen an achievement or problem is about another sub-subject of the
    facet than its headline or fact: a writer stops the paragraph rather than change its subject — once it
    says two things (keywords are a rough guide to a subject: 年龄 and 年轻干部 are one)."""
    # A problem says how it shows in several ways before it changes subject (real reviews give problems a
    # fifth of the speech; their pools are the smallest).
    # A point of the directives keeps to its headline's subject from its second sentence on: "稳妥处置不合格
    # 党员" says nothing of 流动党员 (a speech still short lets it go on: see _fit_length's loose pass).
    if _fact_headed(item):
        # Under the brief's own words as its headline, every sentence takes them up (外出务工党员管理难 is not
        # followed by 党员档案).
        return not _takes_up(item.headline.text, chosen.text, item.facet, chooser.bank, exact=False)
    # An achievement the brief reports is about what it reports: a second sentence on another sub-subject
    # (换届 after new branches) would praise what nobody reported.
    told = item.slot == "achievement_elaboration" and bool(item.facts or item.examples)
    start = 1 if told else {"problem_elaboration": 1, "directive_elaboration": 1}.get(item.slot, STRAY_FROM)
    if len(item.elaborations) < start:
        return False
    bank = chooser.bank
    own = subjects(" ".join((item.headline.text, *item.facts, item.about)), item.facet, bank)
    if told:  # (the facet's own name — 组织设置 in its headline — speaks of it in general, not of a subject)
        own = frozenset(k for k in own if k not in item.facet) or own
    return off_subject(subjects(chosen.text, item.facet, bank), own, item.facet, bank)


def _fact_headed(item: _ItemDraft) -> bool:
    """A problem whose headline is the brief's own fact."""
    return item.slot == "problem_elaboration" and item.headline.text in item.facts


def _fact_words(fact: str, bank: PhraseBank) -> frozenset[str]:
    """What a fact names, less its quantifier ("个别支部" is in many sentences that say nothing of it)."""
    return content_bigrams(QUANTIFIED.sub("", fact), bank)


def _takes_up(fact: str, text: str, facet: str, bank: PhraseBank, exact: bool = True) -> bool:
    """Whether a sentence speaks of what a fact names: of its very sub-subject (流动党员) where the fact names
    one — a shared "底数" does not make 党费 a sentence on 流动党员 — or, not ``exact``, of one near it (the
    sentences after the first may widen a little); where it names none, of its content words."""
    own = subjects(fact, facet, bank)
    if own:
        if not exact:
            related = _lexicon(bank).related.get(facet, {})
            own = frozenset().union(*(related.get(k, frozenset((k,))) for k in own))
        return bool(subjects(text, facet, bank) & own)
    return bool(_fact_words(fact, bank) & content_bigrams(text, bank))


def _echo_and_cohere(chooser: Chooser, item: _ItemDraft) -> Callable[[Entry], float]:
    echo, cohere = _not_echoing(item.headline, item.headline.text in item.facts), _in_paragraph(chooser, item)
    fresh = _not_repeating(chooser, item)
    return lambda e: echo(e) * cohere(e) * fresh(e)


def _not_repeating(chooser: Chooser, item: _ItemDraft) -> Callable[[Entry], float]:
    """Avoid a sentence that says again a phrase the paragraph's sentences already used ("一件接着一件办……
    一件接着一件推动解决"; "对症下药" twice in one point): four characters in a row in common, other than the
    headline's and the fact's own words (the subject is named again on purpose) and the fixed formulas."""
    said = _said(chooser, item)
    if not said:
        return lambda e: 1.0

    def weight(e: Entry) -> float:
        return REPEAT_IN_PARAGRAPH if said.intersection(chooser._grams_of(e.text)) else 1.0
    return weight


def _says_again(chooser: Chooser, item: _ItemDraft, text: str) -> bool:
    """Whether ``text`` repeats a phrase (four characters) of the paragraph's sentences, as _not_repeating reads it."""
    return bool(_said(chooser, item).intersection(chooser._grams_of(text)))


MIN_AFTER_HEADLINE = 2  # sentences a point says after its headline
CLAUSE = 8  # characters in a row that make a repeated clause, whatever their words


def _clauses(text: str, width: int = CLAUSE) -> set[str]:
    """The runs of ``width`` Chinese characters in a row of a text (its punctuation left out)."""
    bare = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {bare[k:k + width] for k in range(len(bare) - width + 1)}


def _repeats_clause(item: _ItemDraft, text: str) -> bool:
    """Whether ``text`` says again a clause of the paragraph's sentences (党委前置研究讨论重大经营管理事项 twice)."""
    mine = _clauses(text)
    # (the brief's fact too: a bank sentence that says eight of its characters in a row restates it)
    return any(mine & _clauses(c.text) for c in (*item.elaborations, item.opener, item.cases, item.evidence) if c) \
        or any(mine & _clauses(f) for f in item.facts)


def _said(chooser: Chooser, item: _ItemDraft) -> set[str]:
    """The phrases (four characters) a further sentence of the paragraph must not say again: those of its
    sentences so far, less the headline's and the fact's own words — which may come back once (the subject is
    named again on purpose), not in every sentence (“结合不紧” four times in one problem)."""
    own = {g for t in (item.headline.text, *item.facts, item.about) for g in chooser._grams_of(t)}
    # (the fact as its evidence states the fact: that is not a second use of its words)
    stated = {g for c in (item.evidence,) if c for g in chooser._grams_of(c.text)} - own
    used = {g for c in (*item.elaborations, item.opener, item.cases) if c for g in chooser._grams_of(c.text)}
    # The paragraph's subject (its facet's and sub-subjects' names: 组织生活会, 流动党员) may be named in
    # every sentence; what is said of it (结合不紧) only once more.
    key = (item.topic, item.facet)
    names = chooser.subject_names.get(key)
    if names is None:
        names = chooser.subject_names[key] = _subject_names(chooser.bank, item.topic, item.facet)
    return stated | {g for g in used if g not in own or not any(g in k for k in names)}


def _subject_names(bank: PhraseBank, topic: str, facet: Optional[str]) -> tuple[str, ...]:
    t = bank.topics.get(topic)
    if t is None:
        return ()
    names = [*t.keywords, t.id]
    for f in t.facets:
        if f.id == facet:
            names += [f.id, *f.keywords]
    names += list(_lexicon(bank).subjects.get(facet or "", ()))
    return tuple(n for n in names if len(n) >= 4)


def _not_echoing(headline: Chosen, is_fact: bool = False) -> Callable[[Entry], float]:
    """Prefer elaborations that take up the headline's subject, but never one that opens by repeating
    the headline's own words ("加强X。加强X，……")."""
    opening = headline.text[:4]
    grams = {headline.text[i:i + 2] for i in range(len(headline.text) - 1)}
    # A headline that is the brief's own words (一是流动党员底数不清。) is not said again in the next
    # sentence: six of its characters in a row would.
    runs = {run[i:i + 6] for run in _HAN.findall(headline.text) for i in range(len(run) - 5)} \
        if is_fact else set()

    def weight(e: Entry) -> float:
        if any(r in e.text for r in runs):
            return 0.0
        if e.text.startswith(opening):
            return 0.01
        if runs:
            # (every seed has this headline: a preference here would have the seeds draw alike; the
            # lane-bound preference of _cohering takes up its words)
            return 1.0
        shared = sum(1 for g in grams if g in e.text) / max(len(grams), 1)
        return 1.0 + 6.0 * shared
    return weight


def _section_headline(chooser: Chooser, bank: PhraseBank, sec: _SectionDraft) -> Chosen:
    """A headline that speaks of exactly the topics of the section's points: one written for those topics
    if the bank has it, else one that speaks of the section's group in general terms."""
    present = {i.topic for i in sec.items}
    point_groups = {bank.topics[t].group for t in present}

    topic_groups = {t.group for t in bank.topics.values()}

    def weight(e: Entry) -> float:
        if not e.topics:
            # a headline on one group of topics in general terms, over points of that group only (not "推动
            # 党建与中心工作深度融合" over seven points of which one is on 融合); a work speech's own groups
            # (任务, 保障) speak of the tasks in general
            return 1.0 if e.group not in topic_groups or point_groups <= {e.group} else 0.0
        if present <= set(e.topics):
            # (not one naming more than the points speak of: 组织生活 over four points on 组织建设 promises
            # what the section does not say)
            return 6.0 if set(e.topics) == present else 0.0
        return 0.0
    groups = [sec.lead_group] + [g for g in sec.groups if g != sec.lead_group]
    for group in groups:
        if any(weight(e) for e in chooser.available("section_headline", group=group)):
            return chooser.need("section_headline", group=group, prefer=weight)
    # Points of several groups: a headline that speaks of the year's tasks as a whole.
    if len(point_groups) > 1 and chooser.available("section_headline", group="部署"):
        return chooser.need("section_headline", group="部署")
    return chooser.need("section_headline", group=sec.lead_group)


def _used_facets(sections: Iterable[_SectionDraft]) -> set[str]:
    return {i.facet for s in sections for i in s.items}


def _directive(chooser: Chooser, topic: str, facet: Optional[str], rng: random.Random,
               taken: set[str]) -> _ItemDraft | None:
    """One point (一要…): a headline and a first elaboration of one facet — the one asked for, or a facet of
    the topic no other point takes, chosen by the seed."""
    if facet is None:
        options = _by_lane([f.id for f in chooser.bank.topics[topic].facets
                            if f.id not in taken and _may_raise(chooser.ctx, f.id)], chooser.lane, rng)
    else:
        options = [facet]
    for f in options:
        if not chooser.available("directive_elaboration", facet=f):
            continue
        about = chooser.answering.get(f, "")
        # The point answering a problem speaks of the problem's own subject (流动党员 → 织密流动党员管理网络).
        headline = chooser.pick("directive_headline", facet=f,
                                prefer=_cohering(chooser, f, lambda: about) if about else None)
        if headline is None:
            continue
        item = _ItemDraft(topic, f, headline, [], about=about)
        # The first sentence of a point speaks of what its headline names (稳妥处置不合格党员 → 不合格党员;
        # 严格执行请示报告制度 → 请示报告), from another lane if its own has nothing on that subject.
        words = content_bigrams(headline.text, chooser.bank)
        on_headline = [e for e in chooser.available("directive_elaboration", facet=f)
                       if words & content_bigrams(e.text, chooser.bank)]
        named = bool(subjects(headline.text, f, chooser.bank))
        # (from the seed's own lane unless the headline names a sub-subject: seeds would share sentences;
        # never one that opens by saying the headline again)
        ids = {e.id for e in on_headline if (named or chooser.lanes.get(e.id) == chooser.lane)
               and not e.text.startswith(headline.text[:4])}
        cohere = _echo_and_cohere(chooser, item)
        elaboration = chooser.pick(
            "directive_elaboration", facet=f,
            prefer=(lambda e: cohere(e) * (1.0 if e.id in ids else 0.0)) if ids else cohere,
            lane_weight=SUBJECT_LANE if named else LANE_BONUS)
        if elaboration is None:
            chooser.release(headline)
            continue
        item.elaborations.append(elaboration)
        # Some points open with a short principle rather than a verb: the rhythm of a speech, not a list.
        # (only from the seed's own lane: with two principles a facet, another seed's would repeat)
        on_point = _principle_fits(chooser, item)
        if rng.random() < PRINCIPLE_SHARE and any(chooser.lanes.get(e.id) == chooser.lane and on_point(e)
                                                  for e in chooser.available("principle", facet=f)):
            fresh = _not_repeating(chooser, item)
            # (nor one that says the headline over again: "坚持书记抓、抓书记。书记抓，还要抓书记。")
            said = _bigrams(headline.text)
            item.opener = _pick_opener(chooser, item, lambda e: fresh(e) * on_point(e) * (
                0.02 if said and len(said & _bigrams(e.text)) > len(said) / 2 else 1.0))
        meets: set[str] = set()
        if about:
            # The point answering a problem of the brief names a measure for that problem where the bank has
            # one (薪酬待遇偏低 → 薪酬待遇动态调整), not only what every such point says.
            meets = {e.id for e in chooser.available("directive_elaboration", facet=f)
                     if e.requires and any(mentions(w, about) for w in e.requires)}
            # (from the seed's own lane: the brief's problems are the same every seed, and seeds would share it)
            meets = {i for i in meets if chooser.lanes.get(i) == chooser.lane}
            measure = chooser.pick("directive_elaboration", facet=f, prefer=lambda e: float(e.id in meets)) \
                if meets else None
            # (room for it, and for the sentence naming the problem: a point says two to five sentences)
            if measure is not None and measure.entry_id in meets and \
                    item.sentences() + _count_sentences(measure.text) + 1 <= chooser.max_sentences:
                item.elaborations.append(measure)
            elif measure is not None:
                chooser.release(measure)
        # A point says at least two things after its headline (a short speech may say one).
        if item.sentences() < 3 and chooser.ctx.length > SHORT_SPEECH:
            more = chooser.pick("directive_elaboration", facet=f, prefer=_echo_and_cohere(chooser, item))
            for _ in range(3):  # (a second sentence that says the first again is no second thing)
                if not more or not _says_again(chooser, item, more.text):
                    break
                chooser.release(more)
                more = chooser.pick("directive_elaboration", facet=f, prefer=_echo_and_cohere(chooser, item))
            item.elaborations += [more] if more else []
        clause = problem_clause(chooser.problem_facts.get(f, ()))
        # (a measure for the problem may already lead the point: its headline named the subject)
        measured = bool(about) and any(_answers(chooser.bank, c.entry_id, about) for c in item.elaborations)
        if clause and not measured:
            # The point that answers a problem of the brief says which one: the reader hears it taken up.
            # (not where a measure written for that problem answers it: a sentence naming it again is a seam)
            item.last = chooser.need("answer_problem", extra={"problem": clause})
        return item
    return None


# Facets a point is drawn on only where the brief speaks of them: a point on rectifying weak branches, in a
# speech whose brief reports none, tells the room there are some (and sits oddly beside 全部达标).
ONLY_IF_TOLD = {"软弱涣散整顿": ("后进", "涣散", "整顿", "薄弱", "晋位升级", "软弱")}


def _may_raise(ctx: Context, facet: str) -> bool:
    words = ONLY_IF_TOLD.get(facet)
    return words is None or any(w in ctx.brief_text for w in words)


def _answers(bank, entry_id: str, about: str) -> bool:
    """Whether a chosen sentence is a measure written for the problem a point answers."""
    try:
        e = bank.get(entry_id.split("#")[0])
    except KeyError:
        return False
    return bool(e.requires) and any(mentions(w, about) for w in e.requires)


ANSWER_CLAIMS = "这些方面"  # an answering sentence saying the point's measures meet the problem
ANSWER_SHARED = 2  # content bigrams the point must share with the problem for its measures to meet it


def _answer_honestly(chooser: Chooser, items: list[_ItemDraft]) -> None:
    """An answering sentence says “前面讲到的……问题，就要从这些方面入手” only where the point's sentences do
    speak of that problem; elsewhere it puts the problem on the agenda of the work the point is about."""
    for item in items:
        if item.last is None or ANSWER_CLAIMS not in item.last.text:
            continue
        clause = problem_clause(chooser.problem_facts.get(item.facet, ()))
        said = set().union(*(content_bigrams(c.text, chooser.bank) for c in item.elaborations)) if item.elaborations else set()
        if len(content_bigrams(clause, chooser.bank) & said) >= ANSWER_SHARED:
            continue
        other = chooser.pick("answer_problem", extra={"problem": clause},
                             prefer=lambda e: float(ANSWER_CLAIMS not in e.text)) or \
            chooser._pick_again("answer_problem", extra={"problem": clause},
                                prefer=lambda e: float(ANSWER_CLAIMS not in e.text))
        if other is not None and ANSWER_CLAIMS not in other.text:
            chooser.release(item.last)
            item.last = other
        elif other is not None:
            chooser.release(other)


NUMBERED = re.compile(r"[\d％%]|[一二三四五六七八九十百千]+[名个项次件人户]")


# (“两张皮”问题仍然存在 → “两张皮”: “……仍然存在的问题” says twice that it is a problem)
STILL_SO = re.compile(r"(?:的?(?:问题|现象|情况))?(?:仍然|依然|依旧|仍|还|也)?(?:存在|时有发生|仍有发生|有发生|较为突出|比较突出|突出)$")


_MENTION_MEMO: dict[tuple[str, str], bool] = {}


def mentions(word: str, text: str) -> bool:
    """Whether a text names a keyword, also with a word or two between its characters, as people write the same
    fault: 挂钩不紧 in “挂钩不够紧密”, 参学率低 in “参学率偏低” (for keywords of three characters or more, within
    one clause)."""
    if word in text:
        return True
    if len(word) < 3:
        return False
    key = (word, text)
    hit = _MENTION_MEMO.get(key)
    if hit is None:
        pattern = re.compile("[^，。；、：]{0,2}".join(map(re.escape, word)))
        hit = any(m.end() - m.start() <= len(word) + 2 for m in pattern.finditer(text))
        _MENTION_MEMO[key] = hit
    return hit


def problem_clause(facts: Iterable[str]) -> str:
    """The brief's problem as the object of “针对……的问题”: its first clause that has no number in it (the
    numbers were said with the problem), cut at a clause boundary, without a closing particle."""
    for fact in facts:
        clauses = [c.strip() for c in re.split(r"[，；。,;]", fact)]
        # “临床一线支部因倒班多，组织生活参学率偏低” → 临床一线支部组织生活参学率偏低: the first clause gives
        # the cause, the problem is what follows it, said of the same subject
        because = re.fullmatch(r"(.{2,}?)(?:因为|因|由于)[^，]{1,12}", clauses[0]) if len(clauses) > 1 else None
        if because and len(clauses[1]) >= 4 and not NUMBERED.search(clauses[1]):
            return re.sub(r"的?(?:现象|情况|问题)$", "", STILL_SO.sub("", because.group(1) + clauses[1])).rstrip("的")
        # “全镇外出流动党员213名，联系管理不够经常” → 全镇外出流动党员联系管理不够经常: the count goes, its
        # subject stays with what is said of it
        head = re.fullmatch(r"(.{4,}?[\u4e00-\u9fff])\d+(?:\.\d+)?[名个人户家所]", clauses[0]) if len(clauses) > 1 else None
        if head and not NUMBERED.search(clauses[1]) and len(clauses[1]) >= 4 and \
                not re.search(r"(?:仅|只|共|达|有|为|占|约|超|近|逾|不足|不到)$", head.group(1)) and \
                not re.search("党员|干部|支部|书记|职工|教师|群众|人员|医生|护士", clauses[1]):
            return re.sub(r"的?(?:现象|情况|问题)$", "", head.group(1) + clauses[1]).rstrip("的")
        for clause in clauses:
            if re.fullmatch(r"受[^，。；]{1,12}影响", clause) or re.match(r"因为|由于", clause):
                continue  # (a cause, not the problem: 受订单生产任务影响, 由于工学矛盾突出)
            # (…存在以业务会代替党课的现象 → …存在以业务会代替党课: "的现象的问题" says it twice)
            clause = re.sub(r"的?(?:现象|情况|问题)$", "", STILL_SO.sub("", clause.strip())).rstrip("的")
            if len(clause) >= 6 and not NUMBERED.search(clause):
                return clause
    return ""


def _sections_separate(required: list[Wanted], n: int, bank: PhraseBank, chooser: Chooser, rng: random.Random,
                       allowed_groups: Iterable[str] | None = None) -> list[_SectionDraft]:
    group_order = [g for g in bank.groups if g not in TWO_PART_GROUPS and g in (allowed_groups or bank.groups)]
    by_group: dict[str, list[Wanted]] = {g: [] for g in group_order}
    for w in required:
        by_group[bank.topics[w[0]].group].append(w)
    present = [g for g in group_order if by_group[g]]
    for g in (g for g in GROUP_FILL_ORDER if g in group_order):
        if len(present) >= n:
            break
        if g not in present:
            present.append(g)
    present.sort(key=group_order.index)
    sections = [[g] for g in present]
    # Too many groups for the number of points: merge the adjacent pair with the fewest wanted points.
    while len(sections) > n:
        sizes = [sum(len(by_group[g]) for g in a + b) for a, b in zip(sections, sections[1:])]
        i = sizes.index(min(sizes))
        sections[i:i + 2] = [sections[i] + sections[i + 1]]

    drafts: list[_SectionDraft] = []
    for groups in sections:
        sec = _SectionDraft(groups)
        sec.lead_group = max(groups, key=lambda g: (len(by_group[g]), -groups.index(g)))
        wanted = [w for g in groups for w in by_group[g]]
        if not wanted:
            # A section the brief says nothing about speaks of one of its group's usual topics.
            defaults = list(bank.groups[sec.lead_group].default_topics)
            wanted = [(rng.choice(defaults), None)] if defaults else []
        for topic, facet in wanted:
            item = _directive(chooser, topic, facet, rng, _used_facets(drafts + [sec]))
            if item:
                sec.items.append(item)
        drafts.append(sec)
        while len(sec.items) < 2 and _add_point(sec, bank, chooser, rng, drafts, 1):
            pass
    return drafts


def _add_point(sec: _SectionDraft, bank: PhraseBank, chooser: Chooser, rng: random.Random,
               sections: list[_SectionDraft], elaborations: int, ceiling: Optional[Callable[[int], bool]] = None,
               groups: Iterable[str] | None = None) -> bool:
    """Add a point on a facet no point takes yet: a facet of a topic the section already treats if there is
    one (the headline stays specific), else of another topic of its groups."""
    taken = _used_facets(sections) | _used_facets([sec])
    treated = list(dict.fromkeys(i.topic for i in sec.items))
    groups = list(groups or sec.groups)
    others = list(sec.topics) or [t for t in bank.topics if bank.topics[t].group in groups]
    others = [t for t in others if t not in treated]
    rng.shuffle(others)
    for topic in treated + others:
        item = _directive(chooser, topic, None, rng, taken)
        if item is None:
            continue
        while len(item.elaborations) < elaborations:
            more = chooser.pick("directive_elaboration", facet=item.facet, prefer=_echo_and_cohere(chooser, item))
            if more is None:
                break
            if item.sentences() + _count_sentences(more.text) > chooser.max_sentences or _strays(chooser, item, more) \
                    or _says_again(chooser, item, more.text):
                chooser.release(more)
                break
            item.elaborations.append(more)
        too_often = any(chooser._overused(c.text, margin=-1) for c in (item.headline, *item.elaborations))
        if ceiling is not None and (too_often or not ceiling(item.length())):
            chooser.release(item.headline, *item.elaborations)
            return False
        sec.items.append(item)
        order = {t: bank.topics[t].order for t in bank.topics}
        sec.items.sort(key=lambda i: order[i.topic])  # stable: facets of one topic keep their drawn order
        return True
    return False


def _sections_two_part(required: list[Wanted], bank: PhraseBank, chooser: Chooser,
                       rng: random.Random) -> list[_SectionDraft]:
    ctx_length = chooser.ctx.length
    review = _SectionDraft(["回顾"], chooser.need("section_headline", group="回顾"))
    deploy = _SectionDraft(["部署"], chooser.need("section_headline", group="部署"))
    deploy.lead.append(chooser.need("section_lead"))
    wanted = list(required)
    for g in GROUP_FILL_ORDER:
        if len(wanted) >= (3 if ctx_length <= SHORT_SPEECH else 4):
            break
        for t in bank.groups[g].default_topics[:1]:
            if t not in {w[0] for w in wanted}:
                wanted.append((t, None))
    order = {t: bank.topics[t].order for t in bank.topics}
    for topic, facet in sorted(wanted, key=lambda w: order[w[0]])[:MAX_TWO_PART_DIRECTIVES]:
        item = _directive(chooser, topic, facet, rng, _used_facets([deploy]))
        if item:
            deploy.items.append(item)
    return [review, deploy]


def _trim_to_length(ctx: Context, bank: PhraseBank, chooser: Chooser, items: list[_ItemDraft],
                    estimate: Callable[[], int]) -> None:
    """A short speech whose first sentences already run over: the fullest paragraphs give up a sentence
    (their last but one that carries the unit's hallmark), one at a time and never their only one, until the
    speech is within its length."""
    forms = [f for h in bank.profiles.get(ctx.org_type, {}).get("hallmarks", ()) for f in h.split("|")]
    while estimate() > ctx.length * 1.06:
        spare = [(item, k) for item in items if len(item.elaborations) > 1
                 for k in [max((k for k, c in enumerate(item.elaborations)
                                if not any(f in c.text for f in forms)), default=None)] if k is not None]
        if not spare:
            return
        item, k = max(spare, key=lambda pair: (len(pair[0].elaborations), pair[0].length()))
        chooser.release(item.elaborations.pop(k))


def _drop_repeated_clauses(chooser: Chooser, items: list[_ItemDraft]) -> None:
    """No paragraph says a clause twice, however its sentences came to it (a unit's hallmark sentence beside a
    sentence of the same facet that says the same): of the two, the one that is not the hallmark's goes."""
    for item in items:
        # (the brief's facts, as the paragraph states them: a bank sentence saying them again goes too,
        # unless it carries the unit's hallmark)
        stated = set().union(*(_clauses(f) for f in item.facts)) if item.facts else set()
        k = 0
        while k < len(item.elaborations):
            later = item.elaborations[k]
            earlier = next((c for c in item.elaborations[:k] if _clauses(c.text) & _clauses(later.text)), None)
            if earlier is None and not (stated & _clauses(later.text) and not later.entry_id.startswith("hm-")):
                k += 1
                continue
            drop = earlier if earlier is not None and later.entry_id.startswith("hm-") \
                and earlier is not item.elaborations[0] else later
            item.elaborations.remove(drop)
            chooser.release(drop)
            if item.sentences() - 1 < MIN_AFTER_HEADLINE:
                # a point says two things at least: another sentence of its facet in place of the one dropped
                fill, tried = None, []
                for _ in range(6):
                    fill = chooser.pick(item.slot, facet=item.facet, prefer=_echo_and_cohere(chooser, item))
                    if fill is None or not _repeats_clause(item, fill.text):
                        break
                    tried.append(fill)  # (kept out of the draw until a fitting one is found)
                    fill = None
                chooser.release(*tried)
                if fill is not None:
                    item.elaborations.insert(item.elaborations.index(earlier) + 1 if earlier in item.elaborations
                                             else len(item.elaborations), fill)
                else:
                    item.elaborations.insert(min(k, len(item.elaborations)), drop)  # better said twice than once
                    chooser._count(drop, +1)
                    chooser.used.add(drop.entry_id)
                    k += 1
                    continue
            k = 0


def _no_report_unless(ctx: Context) -> Callable[[Entry], float]:
    """A sentence that speaks of the report (把报告提出的各项任务) only where a report was given before the speech."""
    return lambda e: 0.0 if "报告" in e.text and not ctx.preceding_report else 1.0


def _trim_overuse(chooser: Chooser, items: list[_ItemDraft]) -> None:
    """A phrase (four characters) used more often than the proofreader's repetition rule allows: its last
    elaborations go, from the longest paragraphs first, while each keeps one (what the checker would flag,
    the planner never writes)."""
    while True:
        over = {g for g, n in chooser.grams.items() if n > chooser.gram_limit}
        if not over:
            return
        candidates = [(len(i.elaborations), k, i) for k, i in enumerate(items) if len(i.elaborations) > 1
                      and over.intersection(chooser._grams_of(i.elaborations[-1].text))]
        if not candidates:
            return
        _, _, item = max(candidates, key=lambda c: (c[0], c[1]))
        chooser.release(item.elaborations.pop())


FACT_PROBLEM_SENTENCES = 1  # the bank's sentences after a brief's problem fact (one more above 5,000 字)


def _fit_length(ctx, bank, chooser, rng, achievements, problems, sections, estimate, layout, frames) -> None:
    """Add elaboration and points, in the order a writer would, until the draft reaches its length budget.

    Nothing is ever cut mid-sentence and nothing is padded: each step adds one whole bank entry of the
    paragraph's own facet, and a step that would overshoot the budget by more than a few per cent is skipped.
    """
    target = ctx.length
    ceiling = target * 1.04
    plain_groups = [g for g in bank.groups if g not in TWO_PART_GROUPS]

    def fits(chosen: Chosen | None) -> bool:
        if chosen is None:
            return False
        # (the chosen text is already counted: one more use than the limit allows is one too many)
        if estimate() + len(chosen.text) > ceiling or chooser._overused(chosen.text, margin=-1):
            chooser.release(chosen)
            return False
        return True

    fact_problem_most = FACT_PROBLEM_SENTENCES + (1 if target > 5000 else 0)
    own_lane = [True]  # first pass: a paragraph grows only from its seed's own lane
    # Last resort for a speech still well short: a paragraph may go on to a second subject of its facet
    # (the length the user's time slot asks for matters more than a paragraph's single subject).
    loose = [False]

    def add_elaboration(item: _ItemDraft) -> bool:
        if item.slot == "problem_elaboration" and item.facts and (
                len(item.elaborations) >= fact_problem_most or _tells_how_it_shows(item.facts)):
            # A problem the brief states is told by its fact; more of the bank's sentences around it would
            # lay further faults at the unit's door that nobody reported. What it costs may still be said.
            if item.costed or item.last is None or not CAUSE.search(item.last.text):
                return False  # (a paragraph that closes on what it costs has said it)
            item.costed = True
            fresh, people = _not_repeating(chooser, item), _of_their_people(" ".join(item.facts))
            # (nor the words of the sentence closing the problems: "如果任其发展" twice in a few lines)
            outro = frames["problems_outro"].text if "problems_outro" in frames else ""
            cost = chooser.pick("problem_cause", facet=item.facet,
                                prefer=lambda e: fresh(e) * people(e) * float(not CAUSE.search(e.text)) * (
                                    1e-5 if e.text[:3] in chooser.analysis_openers else 1.0) * (
                                    0.01 if outro and _shares_run(e.text, outro, 3) else 1.0))
            # (the seed's own lane first — the brief's facets are the same every seed — but a stated problem
            # is told what it costs in any case: the problems are a fifth of a review)
            if cost is not None and CAUSE.search(cost.text):
                chooser.release(cost)
                return False
            if fits(cost):
                item.elaborations.append(cost)
                chooser.analysis_openers.add(cost.text[:3])
                return True
            return False
        chosen = chooser.pick(item.slot, facet=item.facet, prefer=_echo_and_cohere(chooser, item))
        # Another seed's sentence makes two variants alike: first every paragraph and point grows from the
        # seed's own lane (new points bring fresh pools), and only then, if the speech is still short, from any.
        # (a problem's first two sentences excepted: their pools are small, and a problem must say how it shows)
        if chosen and ((own_lane[0] and chooser.lanes.get(chosen.entry_id) != chooser.lane
                        and not (item.slot == "problem_elaboration" and len(item.elaborations) < 2))
                       or ((not loose[0] or _fact_headed(item) or item.slot == "achievement_elaboration"
                            and (item.facts or item.examples)) and _strays(chooser, item, chosen))
                       or item.slot == "directive_elaboration" and
                       item.sentences() + _count_sentences(chosen.text) > chooser.max_sentences
                       # no second time phrase opening a sentence of one paragraph (“2025年，……。2025年，……”)
                       or TIME_OPENING.match(chosen.text) and any(
                           TIME_OPENING.match(c.text) for c in (item.evidence, *item.elaborations) if c)
                       # a paragraph stops before it repeats itself (when the speech is short by far, before it
                       # repeats a whole clause)
                       or (_repeats_clause(item, chosen.text) if loose[0] else _says_again(chooser, item, chosen.text))):
            chooser.release(chosen)
            return False
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
        return _add_point(sec, bank, chooser, rng, sections, elaborations,
                          ceiling=lambda n: estimate() + n <= ceiling, groups=groups)

    directive_sections = [s for s in sections if s.items]
    # “讲两点意见” of a usual length keeps its requirements to six (more reads as a flat list); a long one may
    # have nine.
    two_part_most = MAX_TWO_PART_DIRECTIVES if target > TWO_PART_FEW_UNTIL else 6
    per_section = (5, 6, two_part_most) if layout == "two_part" else (3, 4, MAX_ITEMS_PER_SECTION)
    # (what to grow, up to how many[, elaborations of a new point]): the order in which a writer would let
    # a speech grow — fuller points before more points, so the points stay of a similar weight.
    # Achievement and problem paragraphs stay short (fact + one or two sentences) below about 5,000 字:
    # their facets are the brief's, the same for every seed, and their pools are the smallest.
    review_depth = 2 if target <= 3000 else 3
    # More facets before fuller points: every facet brings its own pool, so seeds share less.
    # Problems grow early (real reviews give them 15–30%), fuller when the brief names only two.
    problem_depth = review_depth + (2 if len(problems) <= 2 and target > SHORT_SPEECH else 1) + (
        1 if target > 4000 else 0)
    rounds = [
        ("achievements", 1), ("problems", 2), ("directives", 2), ("items", per_section[0], 2),
        ("problems", problem_depth), ("achievements", 2), ("items", per_section[1], 2), ("directives", 3),
        ("items", per_section[2], 2), ("directives", MAX_DIRECTIVE_ELABORATIONS),
        ("achievements", review_depth),
    ]
    if layout == "two_part":
        # “讲两点意见” holds every point in one section: a long speech gets fuller points, not more of them.
        rounds += [("lead", 2), ("achievements", 4), ("problems", 4), ("directives", MAX_DIRECTIVE_ELABORATIONS + 3),
                   # Beyond about 5,500 字 (only when the brief asks for this layout): more of everything.
                   ("lead", 3), ("items", (MAX_TWO_PART_DIRECTIVES + 6) if target > TWO_PART_FEW_UNTIL
                                 else two_part_most, MAX_DIRECTIVE_ELABORATIONS + 2),
                   ("achievements", 5), ("problems", 5), ("directives", MAX_DIRECTIVE_ELABORATIONS + 5)]
    elif layout == "separate":
        # The longest speeches (about 8,000 字) also let each point run a little fuller.
        rounds += [("directives", MAX_DIRECTIVE_ELABORATIONS + 1), ("achievements", 4), ("problems", 4)]
    elif layout == "work":
        # A deployment speech may list more tasks (第一…第八), then make each fuller.
        rounds += [("items", MAX_TWO_PART_DIRECTIVES, MAX_DIRECTIVE_ELABORATIONS),
                   ("directives", MAX_DIRECTIVE_ELABORATIONS + 3)]
    if layout == "work" and ctx.preceding_report is not None:
        # The report before the speech reviewed the year: the speech recalls each result in a sentence or
        # two and spends its length on what is to be done.
        rounds = [r for r in rounds if r[0] != "achievements"]
    for what, limit, *extra in [*rounds, ("any lane", 0), *rounds, ("loose", 0), *rounds]:
        if what == "any lane":
            own_lane[0] = False
            continue
        if what == "loose":
            if estimate() >= target * 0.95:
                break
            loose[0] = True
            continue
        progress = True
        while progress:
            progress = False
            if what == "items":
                candidates = [s for s in directive_sections if len(s.items) < min(limit, s.max_items)]
                steps = [lambda s=s: add_item(s, extra[0]) for s in candidates]
            elif what == "lead":
                limit = 0 if "situation" in frames else limit  # the frame of the day is the lead
                steps = [lambda s=s: add_lead(s) for s in directive_sections if s.lead and len(s.lead) < limit]
            else:
                pool = {"achievements": achievements, "problems": problems}[what] if what != "directives" else [
                    i for s in sections for i in s.items if len(i.elaborations) < s.max_elaborations]
                # (with three paragraphs or fewer, a second one from the seed's own lane: pools are small)
                if what == "achievements" and target <= 3000 and (len(achievements) > 3 or not own_lane[0]):
                    # A paragraph the brief's fact carries needs one sentence more, not three.
                    pool = [i for i in pool if not (i.evidence and len(i.elaborations) >= 1)]
                steps = [lambda i=i: add_elaboration(i) for i in pool if len(i.elaborations) < limit]
            for step in steps:
                if estimate() >= target * 0.98:
                    return
                progress = step() or progress
    # Still well short (paragraphs that would only repeat themselves stop early): one point more per section
    # before the speech falls short of its time slot.
    if estimate() < target * 0.95:
        for sec in directive_sections:
            if estimate() >= target * 0.95:
                break
            add_item(sec, 2)
