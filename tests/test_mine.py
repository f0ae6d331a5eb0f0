"""draftgen mine: candidate bank entries proposed from a user's speeches, for a person to review.

The samples are others' writing: the candidates mined from them are checked here and never go into the
bank. Topic share on the samples: .venv/bin/python -m pytest tests/test_mine.py -k share -s
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT

from generator.bank import TOPIC_SLOTS, PhraseBank, default_bank
from generator.errors import InputError, RefusedError
from generator.mine import TopicGuesser, candidates_yaml, mine_documents, mine_paths, normalise
from generator.outline import outline_document
from generator.paths import PHRASEBANK_DIR
from generator.pipeline import generate
from generator.readers import document_from_draft, read_document

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="samples not present (../shared/samples)")

# Hand-labelled topics of the directive points of samples 2–4 (line of the point → acceptable topics).
# Where a point really treats two topics of the list, both are accepted; sample 4's points on 思想解放,
# 党内民主 and 创新 have no exact topic in topics.yaml and take the nearest ones.
TOPIC_LABELS = {
    "2-review-meeting-schools.txt": {
        13: {"政治建设"}, 15: {"组织生活"}, 17: {"组织建设"}, 21: {"党建与业务融合"}, 23: {"干部人才队伍", "党员教育管理"},
        25: {"作风建设"}, 29: {"责任落实"}, 31: {"责任落实"}, 33: {"考核督查问责"}},
    "3-review-meeting-company.txt": {
        49: {"理论武装"}, 53: {"组织建设", "组织生活"}, 57: {"干部人才队伍", "党员教育管理"}, 61: {"组织建设"},
        65: {"责任落实"}, 69: {"考核督查问责"}},
    "4-work-meeting-city.txt": {
        19: {"理论武装", "党建与业务融合"}, 21: {"服务群众"}, 23: {"党建与业务融合", "组织建设"},
        25: {"组织生活", "组织建设"}, 27: {"干部人才队伍"}, 33: {"组织建设"}, 35: {"党员教育管理", "品牌创建"},
        37: {"品牌创建", "组织建设"}, 39: {"责任落实"}},
}
FIELDS = {"id", "slot", "topic", "group", "org_types", "text", "source", "near_duplicate_of", "confidence", "notes"}


def where(c) -> tuple[str, int]:
    path, line = c.source.rsplit(":", 1)
    return Path(path).name, int(line)


@pytest.fixture(scope="module")
def sample_docs():
    if not SAMPLES.is_dir():
        pytest.skip("samples not present (../shared/samples)")
    return [read_document(p) for p in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture(scope="module")
def mined(sample_docs):
    return mine_documents(sample_docs)


# ---------------------------------------------------------------- the samples


def test_every_directive_section_yields_directive_candidates(sample_docs, mined):
    for doc in sample_docs[1:]:
        o = outline_document(doc)
        name = Path(doc.path).name
        for sec in o.sections:
            if sec.style in ("review", "argument"):
                continue  # achievements and problems; the argument triad of a work speech
            lines = {p.lines[0] for p in sec.points}
            heads = [c for c in mined if c.slot == "directive_headline" and where(c) in {(name, n) for n in lines}]
            bodies = {where(c)[1] for c in mined if c.slot == "directive_elaboration" and where(c)[0] == name}
            assert len(heads) == len(sec.points) >= 3, (name, sec.headline)
            assert lines <= bodies
            assert all(c.topic for c in heads)


def test_topic_share(mined, capsys):
    """The share of directive points of samples 2–4 whose topic is guessed right (against TOPIC_LABELS)."""
    heads = [c for c in mined if c.slot == "directive_headline" and where(c)[0] in TOPIC_LABELS]
    assert len(heads) == sum(len(v) for v in TOPIC_LABELS.values())
    right = [c for c in heads if c.topic in TOPIC_LABELS[where(c)[0]][where(c)[1]]]
    share = len(right) / len(heads)
    per_file = {f: sum(1 for c in right if where(c)[0] == f) for f in TOPIC_LABELS}
    with capsys.disabled():
        print(f"\nmine 主题猜中率（样稿 2–4 的意见条目，对照人工标注）：{len(right)}/{len(heads)}（{share:.0%}）；"
              + "，".join(f"{f[:1]}号 {n}/{len(TOPIC_LABELS[f])}" for f, n in per_file.items()))
    assert share >= 0.75
    # Elaborations share their point's topic.
    for c in mined:
        if c.slot == "directive_elaboration" and where(c)[0] in TOPIC_LABELS:
            head = next(h for h in heads if where(h) == where(c))
            assert c.topic == head.topic


def test_slots_by_part_and_shape(mined):
    by = lambda f: {c.slot for c in mined if where(c)[0] == f}  # noqa: E731
    review = by("2-review-meeting-schools.txt")
    assert {"opening", "affirmation", "achievements_intro", "achievement_headline", "achievement_elaboration",
            "problems_intro", "problem_headline", "problem_elaboration", "problems_outro", "transition",
            "section_headline", "directive_headline", "directive_elaboration"} <= review
    assert "closing" not in review  # its closing is only "谢谢大家！", which the template adds itself
    work = by("4-work-meeting-city.txt")
    assert {"work_context", "report_ack", "work_transition", "work_section_headline", "argument", "section_lead",
            "work_closing"} <= work and not {"opening", "affirmation", "transition", "closing"} & work
    arguments = [c for c in mined if c.slot == "argument"]
    assert [c.group for c in arguments] == ["历史", "时代", "现实"]
    assert all(c.text.startswith("这是") for c in arguments)
    assert {c.group for c in mined if c.slot == "work_section_headline"} == {"意义", "任务", "保障"}
    assert by("1-news-report.txt") == {"news_affirm", "directive_headline", "directive_elaboration"}


def test_texts_are_normalised(mined):
    for c in mined:
        assert not re.search(r"[\u4e00-\u9fff][,;:!?]|[,;:!?][\u4e00-\u9fff]", c.text), c.text
        assert not any(n.startswith("BL008") for n in c.notes)
        assert "\n" not in c.text and c.text == c.text.strip()
    texts = {(where(c), c.slot): c.text for c in mined}
    assert texts[(("2-review-meeting-schools.txt", 1), "opening")].startswith("按照{deployed_by}统一要求，今天我们召开")
    assert texts[(("2-review-meeting-schools.txt", 1), "achievements_intro")].startswith("{year}年，{unit}各基层党组织")
    assert texts[(("3-review-meeting-company.txt", 3), "affirmation")].startswith("刚才，{reporters}名党支部书记")
    assert texts[(("2-review-meeting-schools.txt", 9), "transition")] == "下面，就进一步落实好全面从严治党主体责任，进一步夯实基层党建"
    assert texts[(("3-review-meeting-company.txt", 5), "transition")] == "下面，就进一步加强和改进公司基层党建工作"
    assert texts[(("4-work-meeting-city.txt", 3), "work_transition")] == "下面，我重点围绕加强和创新基层党建工作"
    assert texts[(("2-review-meeting-schools.txt", 13), "directive_headline")] == "牢固树立“四个意识”"
    assert texts[(("1-news-report.txt", 9), "directive_headline")] == "增强管党治党意识，做到履职尽责不放松"
    assert texts[(("1-news-report.txt", 7), "news_affirm")].startswith("针对述职情况来看，{speaker}指出，")
    assert texts[(("4-work-meeting-city.txt", 39), "work_closing")].startswith("同志们，基层党建工作是一项固本强基的工作")


def test_lint_notes_and_confidence(mined):
    """What the bank would reject is said per candidate, and lowers its confidence."""
    stale = next(c for c in mined if c.slot == "directive_elaboration" and "十九大" in c.text)
    assert any(n.startswith("BL014") and "十九大" in n for n in stale.notes)
    digits = next(c for c in mined if c.slot == "work_closing")
    assert any(n.startswith("BL012") for n in digits.notes) and digits.confidence < 0.8
    blanks = [c for c in mined if "XXX同志" in c.text]
    assert blanks and all(any("占位符" in n for n in c.notes) for c in blanks)
    school = next(c for c in mined if "教研组" in c.text)
    assert "school" in school.org_types  # the bank's rule for words only schools use
    assert all(0 < c.confidence <= 1 for c in mined)
    assert all(c.near_duplicate_of is None for c in mined)  # the bank is the project's own writing


def test_suggested_ids_are_new_and_well_formed(mined):
    bank_ids = {e.id for e in default_bank().entries}
    ids = [c.id for c in mined]
    assert len(set(ids)) == len(ids) and not set(ids) & bank_ids
    assert all(re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", i) for i in ids)


# ---------------------------------------------------------------- generated drafts


def _without(bank: PhraseBank, ids: set[str]) -> PhraseBank:
    entries = tuple(e for e in bank.entries if e.id not in ids)
    by_slot: dict = {}
    for e in entries:
        by_slot.setdefault(e.slot, []).append(e)
    return PhraseBank(bank.topics, bank.groups, entries, bank.exclusive_vocabulary, bank.org_defaults,
                      bank.profiles, {k: tuple(v) for k, v in by_slot.items()})


def test_generated_draft_near_duplicates_and_held_out_topics(capsys):
    """Mining a generated draft finds its own bank entries again (near_duplicate_of); and with those
    entries held out of the bank, the topic guesser still names the plan's topics."""
    bank = default_bank()
    right = total = 0
    for example, seed in (("school", 1), ("company", 2)):
        result = generate(EXAMPLES / example / "brief.yaml", seed=seed)
        cands = mine_documents([document_from_draft(result.draft, f"{example}.md")])
        heads = {c.text: c for c in cands if c.slot == "directive_headline"}
        items = [i for s in result.plan.sections for i in s.items]
        for item in items:
            c = heads[item.headline.text]
            assert c.near_duplicate_of and c.near_duplicate_of["score"] >= 0.8
            assert c.near_duplicate_of["id"] == item.headline.entry_id or c.near_duplicate_of["score"] == 1.0
            assert any("几乎相同" in n for n in c.notes)
        guesser = TopicGuesser(_without(bank, set(result.plan.entry_ids())))
        for item in items:
            total += 1
            right += guesser.guess(item.headline.text, "".join(e.text for e in item.elaborations))[0] == item.topic
    with capsys.disabled():
        print(f"\nmine 主题猜中率（生成稿的意见条目，所用词条不参与学习）：{right}/{total}（{right / total:.0%}）")
    assert right / total >= 0.85


# ---------------------------------------------------------------- the command


def test_mine_paths_writes_reviewable_yaml(tmp_path, sample_docs):
    out = tmp_path / "candidates.yaml"
    paths = [SAMPLES / "2-review-meeting-schools.txt", SAMPLES / "3-review-meeting-company.txt"]
    before = {p: p.stat().st_mtime_ns for p in PHRASEBANK_DIR.rglob("*")}
    report = mine_paths(paths, out, force=False)
    assert {p: p.stat().st_mtime_ns for p in PHRASEBANK_DIR.rglob("*")} == before  # the bank is untouched
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# draftgen mine 提取的候选词条（2 个文件，")
    assert "phrasebank/" in text[:800] and "Pull Request" in text[:800] and "CONTRIBUTING.md" in text[:800]
    data = yaml.safe_load(text)
    assert set(data) == {"candidates"} and data["candidates"]
    for c in data["candidates"]:
        assert {"id", "slot", "text", "source", "confidence"} <= set(c) <= FIELDS
        assert (c.get("topic") is not None) == (c["slot"] in TOPIC_SLOTS) or "未能判断主题" in " ".join(c.get("notes", []))
        assert re.search(r"\.txt:\d+$", c["source"])
    assert f"已写出 {out}：共 {len(data['candidates'])} 条候选词条，来自 2 个文件" in report
    assert "本命令不会修改词库" in report
    assert list(tmp_path.iterdir()) == [out]  # written atomically: no temporary file left behind


def test_mine_paths_refuses(tmp_path):
    out = tmp_path / "c.yaml"
    out.write_text("mine\n", encoding="utf-8")
    src = tmp_path / "s.txt"
    src.write_text("同志们：\n刚才，大家作了述职。下面，我讲两点意见。\n一、加强政治建设\n一要加强学习。要用党的创新理论武装头脑。\n"
                   "二要坚定信念。要筑牢信仰之基。\n二、压实工作责任\n一要落实第一责任。书记要带头抓。\n二要严格考核。要用好考核结果。\n",
                   encoding="utf-8")
    with pytest.raises(RefusedError, match="已存在"):
        mine_paths([src], out, force=False)
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert "共" in mine_paths([src], out, force=True) and out.read_text(encoding="utf-8").startswith("# draftgen")
    with pytest.raises(RefusedError, match="要读取的文件"):
        mine_paths([src], src, force=True)
    target = PHRASEBANK_DIR / "mined.yaml"
    with pytest.raises(RefusedError, match="phrasebank/"):
        mine_paths([src], target, force=True)
    assert not target.exists()
    with pytest.raises(InputError, match="文件不存在"):
        mine_paths([tmp_path / "missing.txt"], tmp_path / "new.yaml", force=False)
    assert not (tmp_path / "new.yaml").exists()


def test_normalise():
    text, done = normalise("按照XXX党委统一部署,2025年,学校党委组织党员教师开展教育教学研讨,13名党支部书记述职。")
    assert text == "按照{deployed_by}统一部署，{year}年，{unit}组织{members}开展{business}研讨，{reporters}名党支部书记述职。"
    assert len(done) == 6


def test_candidates_yaml_round_trip():
    from generator.mine import Candidate

    c = Candidate("dir-h-zeren-99", "directive_headline", "{year}年：压实责任", "a.txt:3", "责任落实",
                  near_duplicate_of={"id": "x", "score": 0.9}, confidence=0.5, notes=["说明"])
    data = yaml.safe_load(candidates_yaml([c], 1))
    assert data["candidates"][0] == {"id": "dir-h-zeren-99", "slot": "directive_headline", "topic": "责任落实",
                                     "text": "{year}年：压实责任", "source": "a.txt:3",
                                     "near_duplicate_of": {"id": "x", "score": 0.9}, "confidence": 0.5,
                                     "notes": ["说明"]}


def test_jieba_is_imported_lazily():
    code = "import sys, generator.mine, generator.outline; assert 'jieba' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_mine_of_a_five_megabyte_file_of_short_lines_completes(tmp_path):
    # How long it takes is measured by benchmarks/mine_speed.py (it once took minutes), not asserted here.
    from test_outline import many_short_lines

    big = many_short_lines(tmp_path / "big.txt")
    mine_paths([big], tmp_path / "候选.yaml")
    data = yaml.safe_load((tmp_path / "候选.yaml").read_text(encoding="utf-8"))
    assert data["candidates"]
