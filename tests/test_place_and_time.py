"""A speech of its place and its time: the speaker's own level, the unit's hallmarks, the meeting's period,
the formulas of the day, and the rhythm of a real speech."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.bank import OUTSIDE_WORDS, default_bank, fill, time_tags
from generator.coherence import SENTENCE, directive_sentence_lengths, spread
from generator.context import meeting_period
from generator.models import ORG_TYPES, Brief, LoadedBrief, Meeting, Org, Speaker, TopicFacts
from generator.pipeline import generate
from generator.samplebriefs import sample_brief

BANK = default_bank()


def build(org_type, seed=0, kind="review", **options):
    loaded = sample_brief(org_type, variant=seed, kind=kind, facts=True, **options)
    return generate(loaded.path, seed=seed, loaded=loaded, kinds=[kind])


def brief_on(date: dt.date, name: str, org_type: str = "school", kind: str = "review", **org) -> LoadedBrief:
    brief = Brief(kind=kind, org=org_type, meeting=Meeting(name=name, date=date),
                  speaker=Speaker(name="王明", title="党委书记"), focus=["组织建设", "党员教育管理", "服务群众"],
                  problems=[TopicFacts(topic="责任落实")])
    org.setdefault("short_name", "单位党委")
    return LoadedBrief(brief=brief, org=Org(name="中共某单位委员会", type=org_type, **org),
                       path=f"<{name}>", digest=name + str(date) + org_type + kind)


@pytest.mark.parametrize("org_type", sorted(ORG_TYPES))
def test_speaker_addresses_own_organisations_and_carries_the_units_hallmarks(org_type):
    profile = BANK.profiles[org_type]
    for seed in range(3):
        for kind in ("review", "work"):
            result = build(org_type, seed, kind)
            text = result.draft.body_text
            ctx = result.plan.context
            assert ctx.audience in text, (seed, kind, ctx.audience)
            assert not [w for w in OUTSIDE_WORDS if w in text], (seed, kind)
            missing = [h for h in profile["hallmarks"] if not any(f in text for f in h.split("|"))]
            assert missing == [], (seed, kind, missing)
            assert [w for w in (*profile["banned"], *profile.get("avoid", ())) if w in text] == [], (seed, kind)


def test_a_speaker_over_many_units_may_speak_of_them_from_outside():
    outside = [e for e in BANK.entries if e.outside]
    assert outside, "the bank has wording for a speaker over a whole sector"
    assert not any(e.suits(scope="own") for e in outside)
    assert all(e.suits(scope="system") for e in outside)


def test_audience_and_whole_come_from_the_org_config():
    loaded = brief_on(dt.date(2026, 1, 20), "2025年度基层党组织书记抓基层党建工作述职评议会", "soe",
                      audience="集团各级党组织", whole="全集团")
    text = generate(loaded.path, seed=1, loaded=loaded).draft.body_text
    assert "集团各级党组织" in text


@pytest.mark.parametrize("short_name, own, other", [
    ("社区党委", "社区各党支部", "各社区党组织"),  # a community speaks to its own branches
    ("街道党工委", "各社区党组织", "社区各党支部"),  # a sub-district speaks to the communities under it
    ("镇党委", "各村党组织", "村各党支部"),
])
def test_a_speaker_names_the_organisations_of_its_own_level(short_name, own, other):
    org_type = "village" if short_name.startswith("镇") else "community"
    for seed in range(3):
        loaded = brief_on(dt.date(2026, 1, 20), "2025年度基层党组织书记抓基层党建工作述职评议会", org_type,
                          short_name=short_name)
        result = generate(loaded.path, seed=seed, loaded=loaded)
        text = result.draft.body_text
        assert result.plan.context.audience == own
        assert own in text and other not in text, (seed, short_name)


@pytest.mark.parametrize("date, name", [
    (dt.date(2021, 6, 25), "2021年上半年基层党组织书记抓基层党建工作述职评议会"),
    (dt.date(2026, 1, 16), "2025年度基层党组织书记抓基层党建工作述职评议会"),
    (dt.date(2026, 7, 1), "2026年上半年基层党组织书记抓基层党建工作述职评议会"),
])
@pytest.mark.parametrize("org_type", ["school", "hospital", "village"])
def test_time_words_fit_the_date_and_the_period(date, name, org_type):
    for seed in range(3):
        loaded = brief_on(date, name, org_type)
        result = generate(loaded.path, seed=seed, loaded=loaded)
        text = result.draft.body_text
        if date.month not in (12, 1, 2):
            assert "岁末年初" not in text
        assert "迎接“十五五”开局之年" not in text and "迎接十五五" not in text
        if "上半年" in name:
            assert result.plan.context.period == "half"
            for word in ("一年来", "过去一年", "全年", "新的一年", "明年"):
                assert word not in text, (seed, word)
            assert "下半年" in text, seed
            assert f"{date.year + 1}年" not in text
        # The formulas of the day.
        assert "习近平新时代中国特色社会主义思想" in text, seed
        if date.year == 2026:
            assert "二十届四中全会" in text or "十五五" in text, seed
            assert "十九届" not in text and "十三五" not in text
        if date.year == 2021:
            assert any(w in text for w in ("党史学习教育", "建党100周年", "建党一百周年", "百年")), seed


def test_time_words_are_derived_from_the_text():
    assert time_tags("一年来，各党组织……") == (("year",), ())
    assert time_tags("上半年，各党组织……") == (("half",), ())
    assert time_tags("岁末年初，召开这次会议") == ((), (1, 2, 12))
    assert time_tags("{year}年，各党组织……")[0] == ("year",)
    assert time_tags("各党组织要……")[0] == ()
    assert meeting_period("2021年上半年述职评议会", 2021) == ("half", "2021年上半年", "下半年")
    assert meeting_period("2025年度述职评议会", 2025) == ("year", "2025年", "新的一年")


def test_frame_of_the_day_for_every_year_the_bank_supports():
    for year in range(2019, 2028):
        for month in (1, 7):
            date = dt.date(year, month, 15)
            options = [e for e in BANK.by_slot["situation"] if e.suits(date=date) and not e.org_types]
            assert len(options) >= 2, date
            assert all("习近平新时代中国特色社会主义思想" in e.text for e in options)


def test_coordinated_business_reads_as_a_list_where_it_is_joined():
    values = {"business": "人才培养和科学研究"}
    assert fill("统筹谋划党建和{business}", values) == "统筹谋划党建和人才培养、科学研究"
    assert fill("推动{business}高质量发展", values) == "推动人才培养和科学研究高质量发展"


@pytest.mark.parametrize("org_type", sorted(ORG_TYPES))
def test_rhythm_of_the_directives(org_type):
    for seed in range(3):
        for kind in ("review", "work"):
            plan = build(org_type, seed, kind).plan
            lengths = directive_sentence_lengths(plan)
            assert spread(lengths) >= 10, (seed, kind, spread(lengths))
            points = [i for s in plan.sections for i in s.items]
            # One 排比 passage: under a section's headline, or opening the point it speaks of.
            openers = [BANK.get(i.opener.entry_id) for i in points if i.opener]
            assert any(s.parallel for s in plan.sections) or any(e.slot == "parallel" for e in openers), (seed, kind)
            # ...and it speaks of what the points under it speak of.
            for s in plan.sections:
                if s.parallel:
                    e, present = BANK.get(s.parallel.entry_id), {i.topic for i in s.items}
                    assert (present <= set(e.topics)) if e.topics else (
                        {BANK.topics[t].group for t in present} == {e.group}), (seed, kind, e.id, present)
            for i in points:
                if i.opener and BANK.get(i.opener.entry_id).slot == "parallel":
                    e = BANK.get(i.opener.entry_id)
                    assert not e.topics or i.topic in e.topics, (seed, kind, e.id, i.topic)
            # After its headline a point says two to five sentences.
            after = [sum(len(SENTENCE.findall(c.text)) for c in (i.opener, *i.elaborations) if c) for i in points]
            assert all(2 <= n <= 5 for n in after), (seed, kind, after)
            assert any(i.opener for i in points), (seed, kind)


@pytest.mark.parametrize("org_type", sorted(ORG_TYPES))
def test_a_half_year_work_speech_looks_ahead_to_the_second_half(org_type):
    date, name = dt.date(2026, 7, 1), "2026年上半年全区基层党建工作推进会"
    for seed in range(3):
        loaded = brief_on(date, name, org_type, kind="work")
        text = generate(loaded.path, seed=seed, loaded=loaded, kinds=["work"]).draft.body_text
        assert "下半年" in text, seed
        assert not any(w in text for w in ("一年来", "过去一年", "新的一年", "明年")), seed


@pytest.mark.parametrize("kind", ("review", "work"))
def test_a_year_end_meeting_plans_the_next_year_in_its_frame_of_the_day(kind):
    # On 18 December 2026 the 开局之年 is nearly over: the speech plans 2027 and speaks of it as 明年.
    from generator.models import ORG_TYPES
    from generator.pipeline import generate
    from generator.samplebriefs import sample_brief

    for org_type in sorted(ORG_TYPES):
        for seed in range(3):
            loaded = sample_brief(org_type, variant=seed, kind=kind, date=dt.date(2026, 12, 18), facts=True)
            result = generate(loaded.path, seed=seed, loaded=loaded, kinds=[kind])
            text = result.draft.body_text
            assert result.plan.context.plans_ahead
            # (the review of 2026 may say what the year was: 2026年是“十五五”开局之年; no plan opens one)
            planned = re.sub(r"(?:过去的)?2026年[^。：]*[。：]", "", text)
            assert "开局之年" not in planned and "开好局" not in planned, (org_type, seed)
            assert not re.search(r"今年是|做好今年|抓好今年|上一年", text), (org_type, seed)
            assert "习近平新时代中国特色社会主义思想" in text
    # In January the planned year has begun: 今年 is right again.
    loaded = sample_brief("soe", kind=kind, date=dt.date(2027, 1, 12), facts=True)
    assert not generate(loaded.path, seed=0, loaded=loaded, kinds=[kind]).plan.context.plans_ahead


def test_a_university_speaks_of_its_teachers_and_students_where_others_say_the_masses():
    from generator.pipeline import generate
    from generator.samplebriefs import sample_brief

    replaced = 0
    for seed in range(4):
        for kind in ("review", "work"):
            loaded = sample_brief("university", variant=seed, kind=kind, facts=True)
            text = generate(loaded.path, seed=seed, loaded=loaded, kinds=[kind]).draft.body_text
            assert not re.search(r"服务群众|群众身边|凝聚群众|联系群众|群众满意", text), (seed, kind)
            assert "人民师生" not in text
            replaced += len(re.findall(r"服务师生|师生身边|凝聚师生|联系师生|师生满意|师生反映|师生的", text))
    assert replaced  # the bank's general words were there to replace
    # A community's general 单位 is its 社区.
    loaded = sample_brief("community", facts=True)
    assert not re.search(r"(一些|有的|个别)单位", generate(loaded.path, seed=0, loaded=loaded).draft.body_text)


@pytest.mark.parametrize("date, said", [(dt.date(2026, 12, 22), "“十五五”"), (dt.date(2027, 1, 12), "“十五五”"),
                                        (dt.date(2026, 1, 20), "“十四五”")])
def test_a_review_says_what_the_year_under_review_was(date, said):
    # Readers missed it: a review of 2026 names the first year of the 十五五, one of 2025 its last year.
    from generator.check import check
    from generator.readers import Paragraph, SourceDocument

    year = 2026 if said == "“十五五”" else 2025
    named = 0
    for seed in range(3):
        loaded = sample_brief("school", variant=seed, kind="review", date=date, facts=True, length=3500)
        result = generate(loaded.path, seed=seed, loaded=loaded, kinds=["review"])
        intro = result.draft.body_text.split("一是", 1)[0]
        named += bool(re.search(rf"{year}年[^。]*{said}", intro))
        doc = SourceDocument("t.md", tuple(Paragraph(i, t) for i, t in enumerate(result.draft.body_text.split("\n"), 1)))
        assert "DG401" not in [f.code for f in check(doc, date=date)]
    assert named >= 2


def test_a_statement_about_a_named_year_is_not_a_stale_formula():
    from generator.check import check
    from generator.readers import Paragraph, SourceDocument

    def codes(text: str, on: dt.date) -> list[str]:
        return [f.code for f in check(SourceDocument("t.txt", (Paragraph(1, text),)), date=on)]

    assert "DG401" not in codes("2026年是“十五五”开局之年，我们开局良好。", dt.date(2027, 1, 12))
    assert "DG401" in codes("今年是“十五五”开局之年，我们要开好局。", dt.date(2027, 1, 12))
    assert "DG401" in codes("2027年是“十五五”开局之年。", dt.date(2027, 1, 12))
    assert "DG401" in codes("2026年，我们深入学习贯彻十九届五中全会精神。", dt.date(2026, 3, 1))


@pytest.mark.parametrize("org_type, goal, field", [("university", "立德树人", "人才培养"),
                                                  ("hospital", "救死扶伤", "医疗服务")])
def test_a_business_written_as_a_goal_is_spoken_of_as_the_work_it_names(org_type, goal, field):
    for seed in range(3):
        for kind in ("review", "work"):
            loaded = brief_on(dt.date(2026, 12, 20), "2026年度基层党组织书记抓基层党建工作述职评议会"
                              if kind == "review" else "2027年全面从严治党暨基层党建工作会议", org_type, kind,
                              business=goal)
            result = generate(loaded.path, seed=seed, loaded=loaded)
            text = result.draft.body_text
            assert result.plan.context.business == field
            assert not re.search(goal + "(?:领域|骨干|岗位|一线|的调整|的组织方式|的每个环节|这个中心)", text), (seed, kind)
