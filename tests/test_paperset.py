"""The meeting's paper set from one brief: speech, news report and host's script agree by construction."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES
from test_pipeline import allowed_numbers, assert_enumerations_consistent

from generator.bank import default_bank
from generator.models import ORG_TYPES
from generator.pipeline import generate
from generator.render import chinese_number, count_word
from generator.samplebriefs import sample_brief

HOSPITAL = EXAMPLES / "hospital" / "brief.yaml"
WORK = EXAMPLES / "work" / "brief.yaml"


def paragraphs(draft) -> list[str]:
    return [b.text for b in draft.blocks if b.role in ("paragraph", "closing", "cue")]


@pytest.mark.parametrize("seed", range(8))
def test_news_and_host_name_the_speech_points_and_people(seed):
    result = generate(HOSPITAL, seed=seed)
    plan, docs = result.plan, result.documents
    assert set(docs) == {"review", "news", "host"}
    news, host = "\n".join(paragraphs(docs["news"])), "\n".join(paragraphs(docs["host"]))
    # The news report's “一是要……” are the speech's real requirements, in order.
    positions = [news.index(f"{chinese_number(i)}是要{p.headline}") for i, p in enumerate(plan.requirement_points(), 1)]
    assert positions == sorted(positions)
    # The host sums up exactly the speech's points, by their real headlines and count.
    headlines = plan.point_headlines()
    summary = re.search(r"讲了(.)点意见：(.*)", host).group(0)
    assert summary.startswith(f"讲了{count_word(len(headlines))}点意见：")
    for i, h in enumerate(headlines, 1):
        assert f"{chinese_number(i)}是{h}" in summary
    speech = docs["review"].body_text
    assert f"我讲{count_word(len(headlines))}点意见" in speech
    # The reporters: called in the brief's order by the host, counted the same way everywhere.
    onsite = [r for r in result.loaded.brief.meeting.reporters_list if not r.written]
    calls = [m.group(1) for m in re.finditer(r"请(.+?)书记.+?同志述职", host)]
    assert calls == [r.unit for r in onsite]
    called = result.plan.context.secretaries  # 党支部书记 at a meeting of 党支部书记
    assert f"{len(onsite)}名{called}" in news and f"{len(onsite)}名{called}" in speech
    assert "另外，许芳同志作书面述职" in host and "1名书记以书面形式述职" in news
    # Names, unit and date agree.
    for doc in docs.values():
        text = doc.body_text
        assert "何志远" in text
        for n in set(re.findall(r"\d+", text)):
            assert n in allowed_numbers(result), (doc.kind, n)
    assert "1月22日" in news and "（2026年1月22日）" in docs["host"].body_text and "（2026年1月22日）" in speech
    assert "医院党委召开2025年度党支部书记抓基层党建工作述职评议会" == docs["news"].title


def test_news_has_no_gaps_when_the_brief_gives_every_fact():
    news = generate(HOSPITAL).documents["news"]
    assert news.gaps() == []
    assert paragraphs(news)[-1] == "医院领导班子成员、各党支部书记和支部委员、职能科室负责人参加会议。"


def test_missing_facts_in_news_and_host_are_marked_not_invented():
    school = generate(EXAMPLES / "school" / "brief.yaml", kinds=["review", "news", "host"])
    assert "【待补充：参加会议的人员】" in school.documents["news"].body_text
    assert "【待补充：现场述职的书记名单和顺序】" in school.documents["host"].body_text
    assert "13名党组织书记" in school.documents["news"].body_text or "13名党支部书记" in school.documents["news"].body_text


@pytest.mark.parametrize("seed", range(8))
def test_work_speech_shape(seed):
    result = generate(WORK, seed=seed)
    plan, speech = result.plan, result.draft
    assert plan.kind == "work" and set(result.documents) == {"work", "news", "host"}
    assert_enumerations_consistent(speech, plan)
    text = speech.body_text
    assert re.search(r"下面，我重点围绕.+，讲三点意见。", text)
    assert [s.style for s in plan.sections] == ["argument", "ordinal", "yao"]
    blocks = [b.text for b in speech.blocks]
    first = blocks.index(next(b.text for b in speech.blocks if b.role == "heading1"))
    triad = blocks[first + 1:first + 4]
    assert all(t.startswith("这是") and "只有" in t and "才" in t for t in triad), triad
    assert re.search(r"^第一，", text, re.M) and re.search(r"^一要", text, re.M)
    assert "刘洋同志" in text  # the report that preceded the speech is acknowledged by name
    for stale in ("建党100周年", "十九大", "十三五"):
        assert stale not in text
    news = result.documents["news"].body_text
    assert "区直机关工委副书记刘洋作工作报告" in news
    host = result.documents["host"].body_text
    assert "请区直机关工委副书记刘洋同志作工作报告" in host
    assert "主持人：区直机关工委副书记孙立" in result.documents["host"].blocks[1].text


@pytest.mark.parametrize("org_type", sorted(ORG_TYPES))
def test_every_kind_fits_every_unit_type(org_type):
    bank = default_bank()
    foreign = [w for w, types in bank.exclusive_vocabulary.items() if org_type not in types]
    for kind_set in (["review", "news", "host"], ["work", "news", "host"]):
        for seed in range(3):
            loaded = sample_brief(org_type, variant=seed)
            result = generate(loaded.path, seed=seed, loaded=loaded, kinds=kind_set)
            for doc in result.documents.values():
                text = doc.body_text
                assert not [w for w in foreign if w in text], (doc.kind, [w for w in foreign if w in text])
                assert not re.search(r"\{[a-z_]+\}", text)
                assert "建党100周年" not in text and "十九" not in text


@pytest.mark.parametrize("org_type", sorted(ORG_TYPES))
def test_every_document_checks_clean(org_type):
    """The proofreader (counts against sections, numbering, placeholders, stale formulas, punctuation,
    repetition) finds nothing in any document but the deliberate 【待补充】 markers."""
    from generator.check import check
    from generator.readers import document_from_draft

    for kind_set in (["review", "news", "host"], ["work", "news", "host"]):
        for seed in range(3):
            loaded = sample_brief(org_type, variant=seed)
            result = generate(loaded.path, seed=seed, loaded=loaded, kinds=kind_set)
            for doc in result.documents.values():
                codes = [f.code for f in check(document_from_draft(doc), date=doc.meeting_date)]
                assert set(codes) <= {"DG302"}, (doc.kind, codes)
                assert set(re.findall(r"\d+", doc.body_text)) <= {"2025", "2026", "1", "20", str(8 + seed), "105"}


def test_kinds_command_lists_every_kind(run_cli):
    code, out, _ = run_cli("kinds")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == ["review", "work", "news", "host"]


def test_build_writes_the_paper_set(run_cli, tmp_path):
    code, out, err = run_cli("build", HOSPITAL, "-o", tmp_path, "--format", "md,docx")
    assert code == 0, err
    stem = "2025年度党支部书记抓基层党建工作述职评议会"
    for name in ("讲话稿", "新闻稿", "主持词"):
        assert (tmp_path / f"{stem}-{name}.md").is_file() and (tmp_path / f"{stem}-{name}.docx").is_file()


def test_review_and_work_cannot_be_asked_together(run_cli, tmp_path):
    code, _, err = run_cli("build", HOSPITAL, "-o", tmp_path, "--kinds", "review,work")
    assert code == 2 and "一次只能选其一" in err
