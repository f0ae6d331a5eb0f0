"""The wrong-character rule (DG801): its sound and shape data, the noisy-channel costs, the threshold, and
what a finding says."""

from __future__ import annotations

import datetime as dt
import re

from generator import typos
from generator.check import check, load_rules, typo_candidates
from generator.paths import RULES_DIR
from generator.readers import Paragraph, SourceDocument

DATE = dt.date(2026, 1, 20)


def _dg801(text: str):
    doc = SourceDocument("t.txt", (Paragraph(1, text),), kind="txt")
    return [f for f in check(doc, date=DATE) if f.code == "DG801"]


def test_sound_groups_carry_tone_numbers():
    groups, problems = typos.read_sound_groups(RULES_DIR / typos.SOUND_FILE)
    assert problems == []
    assert all(re.fullmatch(r"[a-z]+[1-5]", k) for k in groups)
    assert "中" in groups["zhong1"] and "中" in groups["zhong4"] and "种" not in groups["zhong1"]


def test_a_sound_file_line_without_a_tone_is_located(tmp_path):
    bad = tmp_path / "sound-groups.txt"
    bad.write_text("# 注释\nzhong\t中忠\n", encoding="utf-8")
    groups, problems = typos.read_sound_groups(bad)
    assert groups == {}
    assert problems == [f"{bad}:2: 应为“带声调数字的拼音<制表符>汉字”，实为“zhong\t中忠”"]


def test_a_homophone_of_the_same_tone_costs_less_than_one_of_another_tone():
    cost = dict(typos.channel("博"))  # bo2
    assert cost["搏"] < cost["播"]  # 搏 bo2, 播 bo1
    assert all(c > 0 for c in cost.values())


def test_near_sounds_and_shapes_are_candidates_numbers_are_not():
    assert "宗" in typos.confusables("中")  # zh/z
    assert "蓝" in typos.confusables("男")  # n/l
    assert "体" in typos.confusables("休")  # shape
    assert "十" not in typos.confusables("提")  # 提 reads shi2 too, but a number is the writer's fact


def test_slip_found_once_with_what_to_write_instead():
    found = _dg801("坚决反对行式主义，力戒官僚主义。")
    assert [(f.column, f.message) for f in found] == [(5, "“行”疑为“形”之误（形式主义）")]
    assert found[0].severity == "疑似" and found[0].suggestion == "建议改为“形”：坚决反对形式主义，"
    assert _dg801("坚决反对形式主义，力戒官僚主义。") == []


def test_threshold_decides():
    para = Paragraph(1, "发挥党员先峰模范作用。")
    rules = load_rules()
    scored = typo_candidates(para, rules, (), threshold=-100)
    (at, slip), = [(a, s) for a, s in scored if s.right == "锋"]
    assert at == 5 and slip.word == "先锋"
    below = slip.gain - 0.01
    assert any(s.right == "锋" for _, s in typo_candidates(para, rules, (), threshold=below))
    assert not any(s.right == "锋" for _, s in typo_candidates(para, rules, (), threshold=slip.gain + 0.01))


def test_a_word_made_only_with_function_words_is_weak_evidence():
    # 办的是 → 为的是 would make a word of 的是 alone: not enough to call 办 a slip
    assert _dg801("他们说的是市场经济的词，办的是计划经济的事。") == []
