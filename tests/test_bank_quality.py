"""Issue-level guarantees of the bank over every kind of unit, both layouts and many seeds."""

from __future__ import annotations

import datetime as dt
import re
from itertools import combinations

import pytest
from conftest import EXAMPLES, SAMPLES

from generator.bank import TOPIC_SLOTS, default_bank
from generator.models import ORG_TYPES
from generator.pipeline import generate, generate_variants
from generator.samplebriefs import sample_brief
from generator.variety import overlap, without_brief_facts

BANK = default_bank()
STALE_FOR_2026 = ("十九大", "十九届", "十三五", "建党100周年", "百年华诞", "疫情防控", "新冠", "党史学习教育",
                  "十四五”规划收官", "十四五规划收官")


def run(org_type, *, seed, layout=None, length=3000, variant=0, date=dt.date(2026, 1, 20)):
    loaded = sample_brief(org_type, variant=variant, length=length, layout=layout, date=date)
    return generate(loaded.path, seed=seed, loaded=loaded)


def test_topics_and_minimum_counts_per_slot():
    required = {"政治建设", "理论武装", "组织建设", "组织生活", "党员教育管理", "责任落实", "作风建设", "纪律建设",
                "党建与业务融合", "品牌创建", "干部人才队伍", "考核督查问责", "服务群众", "意识形态"}
    assert required <= set(BANK.topics)
    for topic in BANK.topics:
        for slot in TOPIC_SLOTS:
            generic = [e for e in BANK.by_slot[slot] if e.topic == topic and not e.org_types]
            assert len(generic) >= 6, (topic, slot, len(generic))
    for slot in ("opening", "affirmation", "achievements_intro", "problems_intro", "problems_outro", "transition",
                 "section_lead", "closing"):
        assert len(BANK.by_slot[slot]) >= 10, slot
    for group in ("政治引领", "组织体系", "融合发展", "作风纪律", "责任落实", "回顾", "部署"):
        assert len([e for e in BANK.by_slot["section_headline"] if e.group == group]) >= 8, group


def test_every_org_type_has_entries_of_its_own():
    for org_type in ORG_TYPES:
        own = [e for e in BANK.entries if org_type in e.org_types]
        assert len(own) >= 10, (org_type, len(own))


@pytest.mark.parametrize("org_type", sorted(ORG_TYPES))
@pytest.mark.parametrize("layout", ["separate", "two_part"])
def test_drafts_for_every_type_and_layout(org_type, layout):
    foreign = [w for w, types in BANK.exclusive_vocabulary.items() if org_type not in types]
    for seed in range(6):
        result = run(org_type, seed=seed, layout=layout, variant=seed)
        text = result.draft.body_text
        ids = result.plan.entry_ids()
        assert len(ids) == len(set(ids))
        assert not [w for w in foreign if w in text], [w for w in foreign if w in text]
        # (“2025年是‘十四五’规划收官之年” in a January 2026 review speaks of the year reviewed, and is right)
        about_now = re.sub(r"2025年[^。：]*[。：]", "", text)
        assert not [s for s in STALE_FOR_2026 if s in about_now]
        assert set(re.findall(r"\d+", text)) <= {"2025", "2026", "1", "20", str(8 + seed), "105"}
        declared = re.findall(r"我讲(.)点意见", text)
        headings = [b for b in result.draft.blocks if b.role == "heading1"]
        assert declared == ["两" if len(headings) == 2 else "三四五"[len(headings) - 3]]


@pytest.mark.parametrize("target", [1500, 2000, 3000, 5000, 8000])
def test_length_lands_within_ten_percent(target):
    errors = []
    for org_type in sorted(ORG_TYPES):
        for layout in ("separate", "two_part"):
            for seed in range(3):
                chars = run(org_type, seed=seed, layout=layout, length=target, variant=seed).draft.char_count()
                errors.append((chars - target) / target)
    worst = max(errors, key=abs)
    assert abs(worst) <= 0.10, worst


@pytest.mark.parametrize("target", [2000, 3000, 5000, 8000])
def test_work_speech_length_lands_within_ten_percent(target):
    errors = []
    for org_type in sorted(ORG_TYPES):
        loaded = sample_brief(org_type, length=target)
        chars = generate(loaded.path, seed=1, loaded=loaded, kinds=["work"]).draft.char_count()
        errors.append((chars - target) / target)
    assert abs(max(errors, key=abs)) <= 0.10, errors


def test_long_speeches_reach_eight_thousand():
    chars = run("soe", seed=1, length=8000, layout="separate").draft.char_count()
    assert abs(chars - 8000) / 8000 <= 0.10, chars


def test_a_2021_speech_may_celebrate_the_centenary_and_a_2026_one_may_not():
    texts_2021 = [run("agency", seed=s, date=dt.date(2021, 6, 20)).draft.body_text for s in range(12)]
    assert any("建党100周年" in t for t in texts_2021)
    assert not any("二十大" in t for t in texts_2021)
    texts_2026 = [run("agency", seed=s).draft.body_text for s in range(12)]
    assert not any("建党100周年" in t or "十九大" in t for t in texts_2026)


@pytest.mark.parametrize("brief", sorted(EXAMPLES.glob("*/brief.yaml")), ids=lambda p: p.parent.name)
def test_variants_share_at_most_40_percent_of_four_grams(brief):
    # Paragraphs on the brief's facets name those facets' subjects (换届, 廉洁风险) in every variant, so
    # four-character runs recur more than sentences do; sentences are held to 10% in test_coherence.py.
    texts = [without_brief_facts(r) for r in generate_variants(brief, 4)]
    worst = max(overlap(a, b) for a, b in combinations(texts, 2))
    assert worst <= 0.40, worst


def test_avoiding_last_years_entries():
    brief = EXAMPLES / "school" / "brief.yaml"
    last_year = generate(brief, seed=5)
    avoided = set(last_year.plan.entry_ids())
    this_year = generate(brief, seed=6, avoid=avoided)
    reused = set(this_year.plan.entry_ids()) & avoided
    # Only time-bound formulas (one current form) may recur.
    # Only time-bound formulas (one current form) and the frames that wrap the brief's own facts may recur.
    assert {i for i in reused if not i.startswith(("fml-", "fr-f", "frh-f"))} == set()


ALLOWED_FORMULAS = ("习近平新时代中国特色社会主义思想", "以习近平同志为核心的党中央", "在思想上政治上行动上同党中央保持高度一致")


def test_bank_and_templates_are_original():
    samples = "".join(p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.txt"))
    if not samples:
        pytest.skip("../shared/samples/ 不存在")
    han = re.sub(r"[^\u4e00-\u9fff]", "", samples)
    windows = {han[i:i + 12] for i in range(len(han) - 11)}
    from generator.paths import TEMPLATES_DIR

    texts = [e.text for e in BANK.entries] + [p.read_text(encoding="utf-8") for p in TEMPLATES_DIR.rglob("*.j2")]
    copied = []
    for text in texts:
        for allowed in ALLOWED_FORMULAS:
            text = text.replace(allowed, "，")
        for clause in re.findall(r"[\u4e00-\u9fff]{12,}", text):
            hits = [clause[i:i + 12] for i in range(len(clause) - 11) if clause[i:i + 12] in windows]
            if hits:
                copied.append(hits[0])
    assert copied == []


def test_sections_follow_the_order_real_speeches_take():
    """Politics and theory first, organisation, integration, style, responsibility and accountability last."""
    group_order = list(BANK.groups)
    for org_type in sorted(ORG_TYPES):
        for seed in range(4):
            plan = run(org_type, seed=seed, layout="separate", variant=seed, length=5000).plan
            firsts = [group_order.index(s.group.split("+")[0]) for s in plan.sections]
            assert firsts == sorted(firsts), [s.group for s in plan.sections]
            topic_rank = [BANK.topics[i.topic].order for s in plan.sections for i in s.items]
            assert topic_rank == sorted(topic_rank)
            assert [BANK.topics[i.topic].order for i in plan.achievements] == sorted(
                BANK.topics[i.topic].order for i in plan.achievements)


def test_the_bank_takes_only_the_thought_as_its_guide():
    """"以……为指导" names 习近平新时代中国特色社会主义思想 (or its period's form), never a session's 精神."""
    import re

    from generator.bank import default_bank

    wrong = [e.id for e in default_bank().entries if re.search(r"以(?:\{spirit\}|党的[^，。]{0,30}精神)为指导", e.text)]
    assert not wrong, wrong
