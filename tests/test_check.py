"""The checker: one failing and one passing fixture per code with exact counts, the four samples as
ground truth, the corrected samples as the false-alarm check, --fix, output, and the rule data schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.check import (
    CODES,
    SEVERITIES,
    Finding,
    check,
    check_paths,
    fix_file,
    fix_text,
    format_findings,
    load_rules,
    validate_rules,
)
from generator.errors import BankError, InputError, RefusedError
from generator.models import Block, Draft
from generator.paths import RULES_DIR
from generator.readers import Paragraph, SourceDocument, document_from_draft, read_document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "check"
CLEAN = FIXTURES / "clean"
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
DATE = dt.date(2026, 1, 20)


def _doc(*texts: str, path: str = "t.txt") -> SourceDocument:
    return SourceDocument(path, tuple(Paragraph(i, t) for i, t in enumerate(texts, start=1)))


def _codes(findings) -> Counter:
    return Counter(f.code for f in findings)


# ---------------------------------------------------------------- fixtures: exact codes and counts

EXPECTED: dict[str, dict[str, int]] = {
    "DG101-fail.txt": {"DG101": 6},  # 抓好抓好 加强加强 不停停顿 也是是 就是要要 的的
    "DG102-fail.txt": {"DG102": 2},  # 动员动员 (maybe meant), 总是是
    "DG201-fail.md": {"DG201": 2},  # 讲三点 with two sections; 四个方面 with three items
    "DG202-fail.txt": {"DG202": 4},  # 四是 after 二是; 二要 twice; 四、 after 二、; 三、 after 四、
    "DG203-fail.txt": {"DG203": 2},  # 第一/二是; 首先/其次/第三
    "DG204-fail.txt": {"DG204": 2},  # （二） and 二是 without a first
    "DG205-fail.txt": {"DG205": 1},
    "DG301-fail.txt": {"DG301": 10},  # XXX ×× {{ }} {unit} 党的-- ____ ○○ 党的—— 20**年 X个
    "DG302-fail.txt": {"DG302": 2},
    "DG401-fail.txt": {"DG401": 6},
    "DG501-fail.txt": {"DG501": 4},  # 习总书记 总书记习近平 近平总书记 XJP
    "DG502-fail.txt": {"DG502": 2},
    "DG601-fail.txt": {"DG601": 3},  # one finding per paragraph
    "DG602-fail.txt": {"DG602": 3},
    "DG603-fail.txt": {"DG603": 3},
    "DG604-fail.txt": {"DG604": 1},
    "DG701-fail.txt": {"DG701": 1},
    "DG702-fail.txt": {"DG702": 1},
    "DG801-fail.txt": {"DG801": 10},  # 辅开 总休方案 行式主义 服务治量 政制建设 在几层 先峰; 墙画 功做 正知 (two at once)
    "DG802-fail.txt": {"DG802": 3},  # 再接再励 以身做则 部置
    "DG803-fail.txt": {"DG803": 6},  # 截止目前 清醒的认识到 扎实的推进 一个位次一个位次的追 做的很好 权利寻租
    "DG804-fail.txt": {"DG804": 6},  # 的是一条是 要在带头 习近平中国特色社会主义思想 书新篇章 展发 作工
}
FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("DG*"))


def test_every_code_has_a_failing_and_a_passing_fixture():
    codes = {name.split("-")[0] for name in FIXTURE_FILES}
    assert codes == set(CODES)
    for code in CODES:
        kinds = {name.split("-")[1].split(".")[0] for name in FIXTURE_FILES if name.startswith(code)}
        assert kinds == {"fail", "pass"}, code
    assert {n for n in FIXTURE_FILES if "-fail" in n} == set(EXPECTED)


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_fixture_exact_codes_and_counts(name):
    findings = check(read_document(FIXTURES / name), date=DATE)
    expected = EXPECTED.get(name, {})
    assert dict(_codes(findings)) == expected, format_findings(name, findings)
    for f in findings:
        assert f.severity == CODES[f.code][0]
        assert f.message and f.line >= 1


def test_codes_table_is_well_formed():
    for code, (severity, description) in CODES.items():
        assert code.startswith("DG") and len(code) == 5
        assert severity in SEVERITIES and description


def test_findings_carry_lines_excerpts_and_suggestions():
    findings = check(read_document(FIXTURES / "DG101-fail.txt"), date=DATE)
    assert [f.line for f in findings] == [3, 5, 7, 9, 11, 13]
    first = findings[0]
    assert first == Finding("DG101", "错误", 3, first.message, "要抓好抓好党建与业务工作的…", first.suggestion, False, 2, 4)
    assert "抓好抓好" in first.message and "要抓好党建与" in first.suggestion


def test_findings_are_sorted_by_line():
    doc = read_document(SAMPLES / "4-work-meeting-city.txt") if SAMPLES.is_dir() else read_document(
        FIXTURES / "DG301-fail.txt")
    lines = [f.line for f in check(doc, date=DATE)]
    assert lines == sorted(lines)


def test_stale_formulas_depend_on_the_date():
    doc = read_document(FIXTURES / "DG401-fail.txt")
    assert _codes(check(doc, date=dt.date(2021, 3, 1))) == {"DG401": 1}  # only 十四五收官之年 is wrong then
    assert _codes(check(doc, date=dt.date(2025, 6, 1))) == {"DG401": 5}  # 十四五收官之年 is right in 2025
    assert check(doc) == check(doc, date=dt.date.today())  # None means today


def test_stale_suggestions_are_filled_from_the_date():
    doc = _doc("以优异成绩向建党100周年献礼。", "今年是“十三五”规划收官之年。")
    found = check(doc, date=dt.date(2027, 3, 1))
    assert [f.suggestion for f in found] == ["改为“建党106周年”（2027年）", "2027年属“十五五”时期，请按实际改写"]


# ---------------------------------------------------------------- doubled words: the detail


@pytest.mark.parametrize("text", [
    "要层层压实责任，紧紧围绕中心，扎扎实实做好工作。",
    "世界潮流，浩浩荡荡。默默无闻，步步深入，牢牢把握，时时处处，高高飘扬。",
    "丰富学生生活，印发会议议程，树立管理理念，发展人民民主。",
    "今年是“十五五”开局之年，二〇二二年的工作。",
    "会后再研究研究，一个一个地抓落实。",
    "李丹丹同志发言。",
    "认认真真、明明白白、干干净净。",
])
def test_legitimate_doubling_is_not_flagged(text):
    assert not [f for f in check(_doc(text), date=DATE) if f.code in ("DG101", "DG102")]


@pytest.mark.parametrize("text,unit", [
    ("要抓好抓好党建工作。", "抓好"),
    ("越要加强加强基层党建工作。", "加强"),
    ("什么时候都不停停顿。", "停"),
    ("这也是是非常重要的。", "是"),
    ("我们就是要要把责任扛起来。", "要"),
    ("这是我们的的工作。", "的"),
    ("全面从严治党全面从严治党。", "全面从严治党"),
])
def test_slips_are_flagged(text, unit):
    found = [f for f in check(_doc(text), date=DATE) if f.code == "DG101"]
    assert len(found) == 1 and f"“{unit * 2}”" in found[0].message


_PROBE = """
import sys
from generator.readers import Paragraph, SourceDocument
from generator.check import check
doc = SourceDocument("x", (Paragraph(1, sys.argv[1]),), kind=sys.argv[2])
found = check(doc)
print("jieba" in sys.modules, "pypinyin" in sys.modules, " ".join(f.code for f in found))
"""


def _probe(text: str, kind: str = "draft") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _PROBE, text, kind], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_jieba_is_not_imported_when_nothing_is_suspicious():
    # the build path checks every generated draft: whitelisted reduplication must not load the segmenter
    done = _probe("要层层压实责任，紧紧围绕中心，扎扎实实、默默无闻地做好工作，让党旗高高飘扬。")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_jieba_is_loaded_quietly_when_a_doubling_needs_it():
    done = _probe("要抓好抓好党建工作。")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "DG101"]
    assert done.stderr == ""  # no "Building prefix dict" chatter


def test_a_users_file_gets_the_spelling_rules_with_one_quiet_load():
    done = _probe("我们要发扬顽强拼搏的精神，把这项工作全面辅开，扎实的推进各项工作。", kind="txt")
    assert done.returncode == 0, done.stderr
    # pypinyin's table is shipped as rules/sound-groups.txt: checking never imports it
    assert done.stdout.split() == ["True", "False", "DG801", "DG803"]
    assert done.stderr == ""
    # the same text as a generated draft: no segmenter, no spelling rules
    assert _probe("我们要发扬顽强拼搏的精神，把这项工作全面辅开，扎实的推进各项工作。").stdout.split() == ["False", "False"]


def test_a_first_marker_right_after_its_subject_starts_the_series():
    doc = _doc("他要求各党支部一要充分认识抓党建是最大的政绩；二要切实履行第一责任人职责；三要落实全面从严治党要求。")
    assert check(doc, date=DATE) == []
    assert _codes(check(_doc("今年的重点：二要抓学习；三要抓落实。"), date=DATE)) == {"DG204": 1}


# ---------------------------------------------------------------- the build path stays light


def test_bank_entries_need_no_segmentation():
    # Generated drafts are checked on every build; a doubling in a bank entry would load jieba each time.
    from generator.bank import default_bank
    from generator.check import _doubling_candidates

    rules = load_rules()
    leftovers = [(e.file, e.line, e.text) for e in default_bank().entries
                 if _doubling_candidates(Paragraph(1, e.text), rules, ())]
    assert leftovers == [], "add the word to phrasebank/rules/reduplication.yaml (words or joins)"


_BUILD_PROBE = """
import json, sys
from generator.pipeline import generate
from generator.commands import check_draft, _allowed_terms
from pathlib import Path
codes = set()
for brief in sorted(Path("examples").glob("*/brief.yaml")):
    for seed in range(4):
        result = generate(brief, seed=seed)
        for draft in result.documents.values():  # every document of the example's paper set
            codes |= {f.code for f in check_draft(draft, _allowed_terms(result))}
print(json.dumps({"codes": sorted(codes), "jieba": "jieba" in sys.modules}))
"""


@pytest.mark.skipif(not (ROOT / "examples" / "school" / "brief.yaml").exists(), reason="examples not present")
def test_generated_drafts_check_clean_without_jieba():
    done = subprocess.run([sys.executable, "-c", _BUILD_PROBE], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result["codes"]) <= {"DG302"}  # only the deliberate 【待补充】 markers
    assert result["jieba"] is False


# ---------------------------------------------------------------- allowed terms


@pytest.mark.parametrize("text,term", [
    ("请XX科技公司党支部介绍经验。", "XX科技公司"),
    ("十九大街社区党委要带头落实。", "十九大街社区"),
    ("习总书记工作室的同志们辛苦了。", "习总书记工作室"),
    ("红星红星幼儿园党支部要带头。", "红星红星幼儿园"),
    ("快乐(星)幼儿园党支部要带头。", "快乐(星)幼儿园"),
])
def test_allowed_terms_are_never_flagged(text, term):
    assert check(_doc(text), date=DATE), "the term should be flagged without the allowance"
    assert check(_doc(text), date=DATE, allowed_terms=[term]) == []


# ---------------------------------------------------------------- the four samples (ground truth)

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples not present")


def _sample(name: str) -> list[Finding]:
    return check(read_document(SAMPLES / name), date=DATE)


def _has(findings, code: str, line: int, needle: str) -> bool:
    return any(f.code == code and f.line == line and needle in f.message + f.excerpt for f in findings)


@needs_samples
def test_sample_slips_are_all_found():
    f1, f2, f3, f4 = (_sample(n) for n in (
        "1-news-report.txt", "2-review-meeting-schools.txt", "3-review-meeting-company.txt", "4-work-meeting-city.txt"))
    # doubled words
    assert _has(f1, "DG101", 11, "抓好抓好")
    assert _has(f4, "DG101", 7, "停停") and _has(f4, "DG101", 9, "是是") and _has(f4, "DG101", 11, "加强加强")
    # placeholders: XXX 13× and XX 1× in file 2; XX 8× and 党的-- 3× in file 4
    dg301_2 = [f for f in f2 if f.code == "DG301"]
    assert Counter(f.message.split("“")[1].split("”")[0] for f in dg301_2) == {"XXX": 13, "XX": 1}
    dg301_4 = [f for f in f4 if f.code == "DG301"]
    assert sum("“XX”" in f.message for f in dg301_4) == 8
    assert sum("--" in f.message for f in dg301_4) == 3 and len(dg301_4) == 11
    # stale formulas
    assert _has(f2, "DG401", 13, "十九大")
    assert _has(f3, "DG401", 51, "十九届系列全会")
    assert _has(f3, "DG401", 47, "十三五规划收官之年")
    assert _has(f1, "DG401", 13, "中国共产党成立100周年")
    assert _has(f4, "DG401", 39, "建党100周年")
    assert _has(f4, "DG401", 13, "抗击新冠疫情")
    # half-width punctuation in all four files
    for findings in (f1, f2, f3, f4):
        assert sum(f.code == "DG601" for f in findings) >= 7
        assert all(f.fixable for f in findings if f.code == "DG601")


@needs_samples
def test_sample_reduplication_is_not_flagged():
    legit = ["层层", "紧紧", "扎扎", "实实", "浩浩", "荡荡", "默默", "步步", "牢牢", "时时", "高高"]
    for path in sorted(SAMPLES.glob("*.txt")):
        for f in check(read_document(path), date=DATE):
            if f.code in ("DG101", "DG102"):
                assert not any(w in f.message for w in legit), f


@needs_samples
def test_samples_have_consistent_enumeration():
    for path in sorted(SAMPLES.glob("*.txt")):
        findings = check(read_document(path), date=DATE)
        assert not [f for f in findings if f.code.startswith("DG2")], path.name


@needs_samples
def test_sample_counts_are_stable():
    # the whole picture, so a rule change that adds noise on real text shows up here
    got = {p.name: dict(_codes(check(read_document(p), date=DATE))) for p in sorted(SAMPLES.glob("*.txt"))}
    assert got == {
        "1-news-report.txt": {"DG601": 7, "DG101": 1, "DG401": 1},
        "2-review-meeting-schools.txt": {"DG301": 14, "DG601": 18, "DG401": 1},
        "3-review-meeting-company.txt": {"DG601": 22, "DG401": 3},  # 巩固……主题教育成果 looks back
        "4-work-meeting-city.txt": {"DG601": 17, "DG301": 11, "DG101": 3, "DG401": 3},
    }


# ---------------------------------------------------------------- the corrected samples: false alarms

CLEAN_FILES = sorted(CLEAN.glob("*.txt"))


def test_clean_fixtures_are_present():
    assert len(CLEAN_FILES) == 4


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.name)
def test_corrected_samples_are_clean(path):
    findings = check(read_document(path), date=DATE)
    assert not [f for f in findings if f.severity == "错误"], format_findings(path.name, findings)
    assert sum(f.severity == "疑似" for f in findings) <= 1
    assert len(findings) <= 2


# ---------------------------------------------------------------- generated drafts


def test_checking_a_draft_reports_export_line_numbers():
    draft = Draft(kind="review", title="讲话", blocks=(
        Block("title", "在述职评议会议上的讲话"),
        Block("salutation", "同志们："),
        Block("paragraph", "下面，我讲两点意见。"),
        Block("heading1", "一、提高政治站位"),
        Block("paragraph", "要抓好抓好理论学习。比如，【待补充：本单位的典型事例】。"),
        Block("heading1", "二、强化责任落实"),
        Block("paragraph", "要层层压实责任。"),
    ))
    findings = check(document_from_draft(draft), date=DATE)
    assert [(f.line, f.code) for f in findings] == [(9, "DG101"), (9, "DG302")]


# ---------------------------------------------------------------- fix


@pytest.mark.parametrize("before,after", [
    ("今天,我们开会。", "今天，我们开会。"),
    ("大会强调:要抓落实;要见成效!对吗?", "大会强调：要抓落实；要见成效！对吗？"),
    ("党支部(总支)书记", "党支部（总支）书记"),
    ("今天, 我们开会", "今天，我们开会"),
    ("会议。。大家，，好", "会议。大家，好"),
    ("会议，,大家", "会议，大家"),
    ("还有很多工作。。。", "还有很多工作。。。"),  # an intended ellipsis: a person decides
    ("共1,000人，12:30开始", "共1,000人，12:30开始"),
    ("见 http://example.com/a?b=1 网站", "见 http://example.com/a?b=1 网站"),
    ("See (above), done!", "See (above), done!"),
    ("[链接](http://x)文字", "[链接](http://x)文字"),
])
def test_fix_text(before, after):
    assert fix_text(before) == after


def test_fix_text_leaves_allowed_terms_alone():
    assert fix_text("A,B公司,很好", allowed_terms=["A,B公司"]) == "A,B公司，很好"


def test_fix_file_writes_beside_and_refuses_to_overwrite(tmp_path):
    src = tmp_path / "讲话.md"
    src.write_text("# 标题\n\n今天,我们开会。。\n", encoding="utf-8")
    out = fix_file(src, in_place=False)
    assert out == tmp_path / "讲话.fixed.md"
    assert out.read_text(encoding="utf-8") == "# 标题\n\n今天，我们开会。\n"
    assert src.read_text(encoding="utf-8") == "# 标题\n\n今天,我们开会。。\n"  # never touched by default
    with pytest.raises(RefusedError, match="讲话.fixed.md"):
        fix_file(src, in_place=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["讲话.fixed.md", "讲话.md"]  # no temp files left


def test_fix_file_in_place_keeps_encoding_bom_and_line_ends(tmp_path):
    gb = tmp_path / "a.txt"
    gb.write_bytes("今天,开会\r\n第二行!\r\n".encode("gb18030"))
    assert fix_file(gb, in_place=True) == gb
    assert gb.read_bytes() == "今天，开会\r\n第二行！\r\n".encode("gb18030")
    bom = tmp_path / "b.txt"
    bom.write_bytes("今天,开会\n".encode("utf-8-sig"))
    out = fix_file(bom)
    assert out.read_bytes() == "今天，开会\n".encode("utf-8-sig")


def test_fix_docx_keeps_run_formatting(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("讲话", 0)
    p = d.add_paragraph()
    p.add_run("今天")
    bold = p.add_run(",我们")
    bold.bold = True
    p.add_run("召开会议(扩大)。。")
    src = tmp_path / "讲话.docx"
    d.save(str(src))
    out = fix_file(src)
    assert out.name == "讲话.fixed.docx"
    fixed = docx.Document(str(out))
    runs = fixed.paragraphs[1].runs
    assert [r.text for r in runs] == ["今天", "，我们", "召开会议（扩大）。"]
    assert [bool(r.bold) for r in runs] == [False, True, False]
    assert read_document(out).paragraphs[1].text == "今天，我们召开会议（扩大）。"


# ---------------------------------------------------------------- output and the command


def test_format_text_and_json():
    findings = check(_doc("要抓好抓好党建,工作。"), date=DATE)
    text = format_findings("讲话.txt", findings)
    lines = text.splitlines()
    assert lines[0].startswith("讲话.txt:1: DG101 错误 “抓好抓好”重复") and "「" in lines[0] and " → " in lines[0]
    assert lines[1].startswith("讲话.txt:1: DG601 提示 ")
    assert lines[-1] == "讲话.txt：错误 1 处，疑似 0 处，提示 1 处"
    data = json.loads(format_findings("讲话.txt", findings, fmt="json"))
    assert data["file"] == "讲话.txt" and data["counts"] == {"错误": 1, "疑似": 0, "提示": 1}
    assert [f["code"] for f in data["findings"]] == ["DG101", "DG601"]
    assert set(data["findings"][0]) == {"code", "severity", "line", "message", "excerpt", "suggestion", "fixable",
                                        "column", "length"}
    assert format_findings("a.txt", []) == "a.txt：未发现问题"


def test_check_paths_exit_codes_and_grouping(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("要抓好抓好党建工作。\n", encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text("# 标题\n\n今天,我们开会。\n", encoding="utf-8")
    text, code = check_paths([good], date=DATE)
    assert code == 0 and text.startswith(f"{good}:3: DG601 提示")
    text, code = check_paths([bad, good], date=DATE)
    assert code == 1
    blocks = text.split("\n\n")
    assert blocks[0].startswith(f"{bad}:1: DG101") and blocks[1].startswith(f"{good}:3: DG601")
    assert blocks[-1] == "共检查 2 个文件：错误 1 处，疑似 0 处，提示 1 处"
    out, code = check_paths([bad, good], date=DATE, fmt="json")
    data = json.loads(out)
    assert code == 1 and data["exit_code"] == 1 and [len(f["findings"]) for f in data["files"]] == [1, 1]


def test_check_paths_reports_every_unreadable_file_first(tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text("好。\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        check_paths([tmp_path / "a.txt", ok, tmp_path / "b.pdf"], date=DATE)
    assert len(e.value.problems) == 2 and "a.txt" in e.value.problems[0] and "b.pdf" in e.value.problems[1]


def test_check_paths_fix(tmp_path):
    src = tmp_path / "讲话.txt"
    src.write_text("今天,我们开会。\n要抓好抓好党建。\n", encoding="utf-8")
    text, code = check_paths([src], date=DATE, fix=True)
    target = tmp_path / "讲话.fixed.txt"
    assert target.read_text(encoding="utf-8") == "今天，我们开会。\n要抓好抓好党建。\n"
    assert text.splitlines()[0] == f"{src}：已自动修正 1 处标点，写入 {target}"
    assert f"{target}:2: DG101" in text and "DG601" not in text and code == 1
    with pytest.raises(RefusedError):
        check_paths([src], date=DATE, fix=True)
    text, code = check_paths([src], date=DATE, in_place=True)
    assert src.read_text(encoding="utf-8") == "今天，我们开会。\n要抓好抓好党建。\n"
    text, code = check_paths([src], date=DATE, fix=True, in_place=True)
    assert "没有可自动修正的问题" in text


# ---------------------------------------------------------------- rule data files


def test_shipped_rule_data_is_valid():
    assert validate_rules() == []
    rules = load_rules()
    assert {"层层", "紧紧", "扎扎实实", "浩浩荡荡", "默默无闻", "步步", "牢牢", "时时", "高高"} <= rules.words
    assert {f.id for f in rules.formulas} >= {"nineteenth-congress", "party-centenary", "covid-control"}


def _broken_rules(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    redup = d / "reduplication.yaml"
    redup.write_text(redup.read_text(encoding="utf-8").replace("  - 紧紧\n", "  - 紧紧\n  - 层层\n  - 认真\n", 1),
                     encoding="utf-8")
    stale = d / "stale.yaml"
    text = stale.read_text(encoding="utf-8")
    text = text.replace("patterns: ['党的十九大', '十九大']", "patterns: ['党的十九大(', '十九大']", 1)
    text = text.replace("    valid_from: 2017-10-18\n", "    valid_from: 2017年10月18日\n    colour: red\n", 1)
    text = text.replace("suggestion: 党的二十大（精神）", "suggestion: 党的二十大{session}", 1)
    stale.write_text(text, encoding="utf-8")
    (d / "extra.yaml").write_text("words: []\n", encoding="utf-8")
    return d


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def test_rule_data_problems_are_located(tmp_path):
    d = _broken_rules(tmp_path)
    problems = validate_rules(d)
    redup, stale = d / "reduplication.yaml", d / "stale.yaml"
    dup_line = _line_of(redup, "  - 认真") - 1  # the second 层层
    first = _line_of(redup, "  - 层层")
    expected = [
        f"{d / 'extra.yaml'}:1: 未知的规则文件",
        f"{redup}:{dup_line}: “层层”重复（已见于第 {first} 行）",
        f"{redup}:{_line_of(redup, '  - 认真')}: “认真”中没有紧挨着重复的字或词",
        f"{stale}:{_line_of(stale, 'colour: red')}: 未知字段“colour”",
        f"{stale}:{_line_of(stale, '党的十九大(')}: 正则表达式“党的十九大(”有误",
        f"{stale}:{_line_of(stale, '- id: nineteenth-congress')}: valid_from 应写作 2026-01-20 形式的日期",
        f"{stale}:{_line_of(stale, '{session}')}: 未知占位符 {{session}}",
    ]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)
    assert len(problems) == len(expected), problems
    with pytest.raises(BankError):
        load_rules(d)


def test_yaml_syntax_error_in_rules_is_located(tmp_path):
    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    (d / "names.yaml").write_text("names:\n  - id: x\n    patterns: [unclosed\n", encoding="utf-8")
    problems = validate_rules(d)
    assert len(problems) == 1 and problems[0].startswith(f"{d / 'names.yaml'}:") and "YAML" in problems[0]


# ---------------------------------------------------------------- false alarms seen on real text


def _only(findings, code: str) -> list:
    return [f for f in findings if f.code == code]


def test_dg502_not_in_xi_jinpings_own_speech_or_quotations():
    body = "我们要深入学习新时代中国特色社会主义思想。"
    own = SourceDocument("x.txt", (Paragraph(1, "在全国组织工作会议上的讲话", "title"), Paragraph(3, "习近平", "meta"),
                                   Paragraph(5, body)))
    assert _only(check(own, date=DATE), "DG502") == []
    other = SourceDocument("x.txt", (Paragraph(1, "在全县组织工作会议上的讲话", "title"), Paragraph(3, "王明", "meta"),
                                     Paragraph(5, body)))
    assert len(_only(check(other, date=DATE), "DG502")) == 1
    titled = SourceDocument("x.md", (Paragraph(1, "习近平在全国组织工作会议上的讲话"), Paragraph(3, body)))
    assert _only(check(titled, date=DATE), "DG502") == []
    about = SourceDocument("x.md", (Paragraph(1, "学习习近平总书记重要讲话精神的体会"), Paragraph(3, body)))
    assert len(_only(check(about, date=DATE), "DG502")) == 1  # a talk about his speech is not his
    quoted = _doc("习近平总书记强调：“要用新时代中国特色社会主义思想武装头脑。”")
    assert _only(check(quoted, date=DATE), "DG502") == []
    assert len(_only(check(_doc("要用新时代中国特色社会主义思想武装头脑。"), date=DATE), "DG502")) == 1


@pytest.mark.parametrize("text", [
    "近年来，我们先后开展了党史学习教育、党纪学习教育，党员干部受到深刻教育。",
    "要巩固深化党纪学习教育成果，推动学纪知纪明纪守纪。",
    "2025年，我们开展了深入贯彻中央八项规定精神学习教育，作风建设取得新成效。",
])
def test_dg401_not_on_retrospective_mentions_of_a_campaign(text):
    assert _only(check(_doc(text), date=DATE), "DG401") == []


def test_dg401_campaigns_before_they_start_and_while_current():
    text = "今年要扎实开展党纪学习教育。"
    assert _only(check(_doc(text), date=dt.date(2024, 1, 20)), "DG401") == []  # announced ahead
    assert _only(check(_doc(text), date=dt.date(2024, 5, 20)), "DG401") == []  # under way
    assert len(_only(check(_doc(text), date=DATE), "DG401")) == 1  # over


def test_dg702_does_not_count_the_speechs_own_subject():
    title = Paragraph(1, "在人民医院党委2025年度述职评议会上的讲话", "title")
    heads = ["学习理论", "抓好党建", "服务患者", "培养人才", "推进改革", "防范风险", "改进作风", "严明纪律",
             "建强支部", "凝聚人心"]
    tails = ["见到实效", "落到实处", "取得突破", "形成合力", "走在前列", "久久为功", "善作善成", "持之以恒",
             "一抓到底", "常抓不懈"]
    sentences = [f"{h}，要坚持马克思主义，人民医院党委要带头，述职评议会以后要{t}。" for h, t in zip(heads, tails)]
    doc = SourceDocument("x.txt", (title, *(Paragraph(i + 3, s) for i, s in enumerate(sentences))))
    assert _only(check(doc, date=DATE), "DG702") == []
    # the same repetition of an ordinary phrase is still reported
    other = SourceDocument("x.txt", (title, *(Paragraph(i + 3, s.replace("要坚持马克思主义", "要切实加强工作力度"))
                                              for i, s in enumerate(sentences))))
    assert _only(check(other, date=DATE), "DG702")


@pytest.mark.parametrize("text", [
    "今年的工作有三个特点：一是思想统一。二是措施有力，具体有：一是抓学习，二是抓制度，三是抓落实。三是成效明显。",
    "在全市考核中名列第六、第七位，全省排名第三。",
    "这里我强调一点，要抓落实。",
    "文件提出12个方面的措施，要逐项对照落实。",
])
def test_enumeration_not_on_nested_series_rankings_or_remarks(text):
    assert [f for f in check(_doc(text), date=DATE) if f.code.startswith("DG2")] == []


def test_enumeration_still_catches_a_real_gap_after_a_nested_series():
    text = "一是思想统一，具体有：一是抓学习，二是抓制度。二是措施有力。四是成效明显。"
    assert _codes(check(_doc(text), date=DATE)) == {"DG202": 1}


def test_shipped_sound_words_are_jieba_words_read_by_pypinyin():
    from generator import check as chk
    from generator.typos import SOUND_WORDS_FILE, read_sound_words, sound_words_from_dictionary

    shipped, problems = read_sound_words(RULES_DIR / SOUND_WORDS_FILE)
    assert problems == []
    assert sorted(shipped.items()) == sound_words_from_dictionary(chk._scorer().freq), \
        "python -m generator.typos sound-words"


def test_two_wrong_characters_side_by_side_are_one_finding_with_the_word():
    fs = check(_doc("要进一步墙画监督执纪问责。"), date=DATE)
    assert [(f.code, f.length) for f in fs] == [("DG801", 2)]
    assert "“墙画”疑为“强化”之误" in fs[0].message and "强化监督" in fs[0].suggestion


def test_one_character_changed_is_preferred_to_two():
    fs = check(_doc("坚持问题导向，狠抓整改落食。"), date=DATE)
    assert [(f.code, f.length) for f in fs] == [("DG801", 1)] and "“食”疑为“实”" in fs[0].message


def test_shipped_sound_groups_are_pypinyins():
    from generator.typos import SOUND_FILE, read_sound_groups, sound_groups_from_pypinyin

    shipped, problems = read_sound_groups(RULES_DIR / SOUND_FILE)
    assert problems == []
    assert sorted(shipped.items()) == sound_groups_from_pypinyin(), "python -m generator.typos sound-groups"


def test_confusables_come_from_sound_and_shape():
    from generator.typos import confusables

    assert "搏" in confusables("博") and "体" in confusables("休") and "铺" in confusables("辅")
    assert "党" in confusables("档")  # same sound
    assert all(len(c) == 1 for c in confusables("权"))


def test_spelling_rule_data_problems_are_located(tmp_path):
    d = tmp_path / "rules"
    shutil.copytree(RULES_DIR, d)
    shape = d / "shape-similar.txt"
    shape.write_text(shape.read_text(encoding="utf-8") + "休\n体\tab\n", encoding="utf-8")
    spelling = d / "spelling.yaml"
    spelling.write_text(spelling.read_text(encoding="utf-8").replace("  - id: word-001\n", "  - id: word-001\n    colour: red\n"),
                        encoding="utf-8")
    n = len(shape.read_text(encoding="utf-8").splitlines())
    problems = validate_rules(d)
    assert f"{shape}:{n - 1}: 一组至少要有两个不同的字" in problems
    assert any(p.startswith(f"{shape}:{n}: 每组应为用制表符分隔的单个汉字") for p in problems)
    assert any(p.startswith(f"{spelling}:") and "未知字段“colour”" in p for p in problems)
    assert len(problems) == 3, problems


def test_the_table_screen_never_hides_a_match():
    """_table_matches skips a text no pattern of the table can match (one joined alternation per flags);
    over real rule tables and texts that hold their terms, screened and unscreened matches are the same."""
    from generator import check as C

    rules = C.load_rules()
    tables = [rules.formulas, rules.names, rules.misused]
    texts = [
        "我们要全面贯彻党的十九届五中全会精神，开好“十三五”收官之年，深入开展党史学习教育。",
        "习总书记强调，要坚持不忘初心、牢记使命主题教育成果，努力实现“十四五”开局。",
        "今年以来，各支部认真落实三会一课制度，截止目前已完成换届。",
        "一段与任何规则都无关的平常文字，讲的是天气和日程。",
    ]
    for table in tables:
        screen = C._table_screen(table)
        assert screen is not None  # the shipped tables join: otherwise every paragraph pays for every pattern
        for text in texts + [p for r in table[:40] for rx in r.patterns for p in [rx.pattern] if rx.pattern.isalnum()]:
            C._SCREENS[id(table)] = (table, None)
            plain = C._table_matches(text, table)
            C._SCREENS[id(table)] = (table, screen)
            assert C._table_matches(text, table) == plain
    assert any(C._table_matches(t, rules.formulas) for t in texts)  # the texts do hold some stale formulas
