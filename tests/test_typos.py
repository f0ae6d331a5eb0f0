"""The wrong-character rule (DG801): its sound and shape data, the noisy-channel costs, the threshold, and
what a finding says."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

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
    off = float("inf")  # the context rule (which finds 先峰 too) has a test of its own
    scored = typo_candidates(para, rules, (), threshold=-100, context_threshold=off)
    (at, slip), = [(a, s) for a, s in scored if s.right == "锋"]
    assert at == 5 and slip.word == "先锋"
    below = slip.gain - 0.01
    assert any(s.right == "锋" for _, s in typo_candidates(para, rules, (), threshold=below, context_threshold=off))
    assert not any(s.right == "锋" for _, s in typo_candidates(para, rules, (), threshold=slip.gain + 0.01,
                                                             context_threshold=off))


def test_a_word_made_only_with_function_words_is_weak_evidence():
    # 办的是 → 为的是 would make a word of 的是 alone: not enough to call 办 a slip
    assert _dg801("他们说的是市场经济的词，办的是计划经济的事。") == []


def test_a_common_word_written_for_a_sound_alike_one():
    # 政制 and 几层 are dictionary words: only the genre's own word pairs (把政治建设, 在基层) tell
    found = _dg801("要把政制建设摆在首位，推动党的二十大精神在几层落地见效。")
    assert [(f.column, f.message) for f in found] == [(4, "“制”疑为“治”之误（政治）"), (22, "“几”疑为“基”之误（基层）")]
    assert found[0].suggestion.startswith("建议改为“治”")
    assert _dg801("要把政治建设摆在首位，推动党的二十大精神在基层落地见效。") == []


def test_the_word_rule_only_takes_sound_alikes():
    # 活力 → 活动 would make a pair the genre often writes (党组织活动), but 力 and 动 only look alike
    assert _dg801("一年来，各党组织活力得到了提升。") == []
    assert "动" not in typos.sound_costs("力") and "动" in typos.confusables("力")


def test_genre_pairs_file_is_read_and_its_problems_located(tmp_path):
    pairs, problems = typos.read_genre_bigrams(RULES_DIR / typos.GENRE_FILE)
    assert problems == [] and pairs["把\t政治"] >= 1 and pairs["在\t基层"] >= 1
    bad = tmp_path / "genre-bigrams.txt"
    bad.write_text("# 注释\n服务\t质量\t3\n服务\t质量\n", encoding="utf-8")
    pairs, problems = typos.read_genre_bigrams(bad)
    assert pairs == {"服务\t质量": 3}
    assert problems == [f"{bad}:3: 应为“词<制表符>词<制表符>次数”，实为“服务\t质量”"]


def test_genre_pairs_come_from_the_bank():
    # Most of the shipped pairs are still in the bank (it changes by pull request; regenerate now and then:
    # python -m generator.typos genre-bigrams).
    shipped = typos.read_genre_bigrams(RULES_DIR / typos.GENRE_FILE)[0]
    now = {f"{a}\t{b}" for a, b, _ in typos.genre_bigrams_from_bank()}
    assert len(set(shipped) & now) >= 0.8 * len(shipped)


def test_genre_index_cache_gives_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "pairs.txt"
    path.write_text("把\t政治\t2\n政治\t建设\t5\n一\t二\t1\n", encoding="utf-8")
    first = typos._load_genre.__wrapped__(str(path))  # builds and writes the cache
    assert list((tmp_path / "draftgen").glob("genre-*.marshal"))
    again = typos._load_genre.__wrapped__(str(path))  # read from the cache
    assert first == again and first[0] == {"把\t政治": 2, "政治\t建设": 5}  # 一 二: no two-character word
    assert first[3] == {"政治", "建设", "一二"}  # but 一 and 二 are written side by side
    (next((tmp_path / "draftgen").glob("genre-*.marshal"))).write_bytes(b"garbage")
    assert typos._load_genre.__wrapped__(str(path)) == first  # a broken cache is rebuilt


def test_a_bad_genre_pairs_line_is_a_rule_problem(tmp_path):
    import shutil

    from generator.check import validate_rules

    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    f = d / typos.GENRE_FILE
    f.write_text(f.read_text(encoding="utf-8") + "服务\t质量\t三\n", encoding="utf-8")
    n = len(f.read_text(encoding="utf-8").splitlines())
    assert validate_rules(d) == [f"{f}:{n}: 应为“词<制表符>词<制表符>次数”，实为“服务\t质量\t三”"]


def test_a_generated_draft_never_reads_the_genre_pairs():
    import subprocess
    import sys

    code = ("import datetime as dt\n"
            "from generator.check import check\n"
            "from generator.readers import Paragraph, SourceDocument\n"
            "from generator import typos\n"
            "check(SourceDocument('d', (Paragraph(1, '要把政制建设摆在首位。'),), kind='draft'), date=dt.date(2026, 1, 20))\n"
            "print(typos._load_genre.cache_info().currsize)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0"]


def test_the_genres_word_pairs_back_a_lone_character(monkeypatch):
    # 先锋 next to 党员 and 模范作用 is how the bank writes it: that tips 先峰 over the threshold
    text = "要充分发挥党员先峰模范作用。"
    assert [(f.column, f.message) for f in _dg801(text)] == [(9, "“峰”疑为“锋”之误（先锋）")]
    monkeypatch.setattr(typos, "PAIR_BONUS", 0.0)
    monkeypatch.setattr(typos, "LM_THRESHOLD", float("inf"))  # the context rule finds it on its own
    assert _dg801(text) == []


# A bank sentence (achievements.yaml) with 履 written 旅: 旅行 is a common word, so only the context tells
BANK_SENTENCE = "对长期不参加组织生活、不履行党员义务的党员，各党组织坚持教育帮助在前，对确实不合格的稳妥慎重做好组织处置。"


def test_the_context_rule_finds_a_character_that_still_makes_a_word(monkeypatch):
    slipped = BANK_SENTENCE.replace("履行", "旅行")
    assert [(f.column, f.message) for f in _dg801(slipped)] == [(13, "“旅”疑为“履”之误")]
    monkeypatch.setattr(typos, "LM_THRESHOLD", float("inf"))
    monkeypatch.setattr(typos, "LM_PAIR_THRESHOLD", float("inf"))
    assert _dg801(slipped) == []  # the dictionary rules alone read 旅行 as a fine word


def test_the_context_rule_leaves_a_correct_sentence_alone():
    assert _dg801(BANK_SENTENCE) == []
    assert _dg801("各级党组织要切实履行管党治党政治责任。") == []


def test_no_pair_bonus_for_a_word_that_cuts_through_its_neighbour():
    # 的总要求 → 的重要 would be a common pair, but 重要 would break 要求
    assert _dg801("要按照构建新发展格局的总要求来谋划和推进工作。") == []


def test_a_name_after_a_title_is_nobodys_slip():
    assert _dg801("区委组织部副部长刘洋作工作报告。") == []


def test_sound_word_index_cache_gives_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "sound-words.txt"
    path.write_text("# 注释\nqiang hua\t强化墙画\ngong zuo\t工作\n", encoding="utf-8")
    first = typos.read_sound_words(path)  # builds and writes the cache
    assert first == ({"qiang hua": "强化墙画", "gong zuo": "工作"}, [])
    assert list((tmp_path / "draftgen").glob("soundwords-*.marshal"))
    assert typos.read_sound_words(path) == first  # read from the cache
    next((tmp_path / "draftgen").glob("soundwords-*.marshal")).write_bytes(b"garbage")
    assert typos.read_sound_words(path) == first  # a broken cache is rebuilt


def test_a_bad_sound_words_line_is_located(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "sound-words.txt"
    path.write_text("qiang hua\t强化\nqiang\t强\n", encoding="utf-8")
    index, problems = typos.read_sound_words(path)
    assert index == {"qiang hua": "强化"} and len(problems) == 1 and f"{path}:2:" in problems[0]
    assert not list((tmp_path / "draftgen").glob("soundwords-*.marshal"))  # a faulty file is not cached


def test_the_kept_dictionary_equals_jiebas_own_load(tmp_path):
    code = (
        "import os, sys, jieba\n"
        "from generator import check, typos\n"
        f"os.environ['XDG_CACHE_HOME'] = {str(tmp_path)!r}\n"
        "j = check.segmenter()\n"  # no cache yet: jieba loads its own, and it is kept
        "own = (dict(j.dt.FREQ), j.dt.total)\n"
        "t = jieba.Tokenizer()\n"
        "fake = type('J', (), {'dt': t, 'DEFAULT_DICT': jieba.DEFAULT_DICT, 'DEFAULT_DICT_NAME': 'dict.txt',\n"
        "                      '__file__': jieba.__file__, '__version__': jieba.__version__})\n"
        "digest = check._dictionary_digest(fake)\n"
        "print(check._load_dictionary(fake, digest), (t.FREQ, t.total) == own, t.initialized)\n"
        "print(check.two_char_keys_now(t.FREQ) == typos.two_char_keys(own[0]))\n"
        "t.add_word('龘靐齉', 5)\n"  # the keys no longer describe the dictionary
        "print(check.two_char_keys_now(t.FREQ))\n"
        "kept = next((__import__('pathlib').Path(os.environ['XDG_CACHE_HOME']) / 'draftgen').glob('dictionary-*'))\n"
        "kept.write_bytes(kept.read_bytes()[:200])\n"
        "t2 = jieba.Tokenizer()\n"
        "print(check._load_dictionary(type('J', (), {'dt': t2}), digest))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "True", "None", "False"]


def test_the_checkers_cut_equals_jiebas():
    from generator import charlm, check as chk

    jieba = chk.segmenter()
    runs = {r for text in charlm.bank_texts()[:400] for r in re.findall("[\u4e00-\u9fd5]+", text)}
    runs |= {"学生生活", "抓好抓好落实", "总休方案", "拼博", "的"}
    for run in sorted(runs):
        tokens = jieba.lcut(run, HMM=False)
        starts = [sum(map(len, tokens[:k])) for k in range(len(tokens) + 1)]
        assert chk._dictionary_cut(run, jieba.dt.FREQ, jieba.dt.total) == tuple(zip(starts, starts[1:])), run
    # a character outside jieba's block of Chinese text is left to jieba: a token of its own
    assert chk._cut("学习\u9fef生活") == ((0, 2), (2, 3), (3, 5))
