"""draftgen outline: the parts of a speech and their lines.

The four samples are compared with hand-made outlines in tests/golden/outline/ (written by reading each
sample, not by saving the tool's output); generated drafts are compared with the plan that produced them.
Accuracy figures: .venv/bin/python -m pytest tests/test_outline.py -k accuracy -s
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT

from generator.errors import InputError
from generator.export import to_markdown
from generator.outline import Score, outline_dict, outline_document, outline_paths, score_outline
from generator.pipeline import generate
from generator.readers import Paragraph, SourceDocument, read_document

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
GOLDEN = ROOT / "tests" / "golden" / "outline"
STEMS = ["1-news-report", "2-review-meeting-schools", "3-review-meeting-company", "4-work-meeting-city"]
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="samples not present (../shared/samples)")


def golden(stem: str) -> dict:
    return yaml.safe_load((GOLDEN / f"{stem}.yaml").read_text(encoding="utf-8"))


def sample(stem: str) -> SourceDocument:
    return read_document(SAMPLES / f"{stem}.txt")


def one_paragraph(doc: SourceDocument) -> SourceDocument:
    """The same text run together into a single line, as it comes out of some web pages and PDFs."""
    return SourceDocument(doc.path, (Paragraph(1, "".join(p.text for p in doc.paragraphs)),))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the samples against hand-made outlines


@needs_samples
@pytest.mark.parametrize("stem", STEMS)
def test_sample_matches_golden(stem):
    g = golden(stem)
    found = outline_dict(outline_document(sample(stem)))
    s = score_outline(found, g)
    assert s.misses == []
    assert (s.parts_exact, s.lists_count_ok, s.points_lines_ok, s.points_headline_ok) == (
        s.parts, s.lists, s.points, s.points)
    assert found["shape"] == g["shape"]


@needs_samples
def test_accuracy_report(capsys):
    """The accuracy on the samples as files, as .docx and run into one paragraph (lines not compared)."""
    as_files, one_para = Score(counts_ok=True), Score(counts_ok=True)
    for stem in STEMS:
        g = golden(stem)
        as_files = as_files.add(score_outline(outline_dict(outline_document(sample(stem))), g))
        one_para = one_para.add(score_outline(outline_dict(outline_document(one_paragraph(sample(stem)))), g,
                                              lines=False))
    with capsys.disabled():
        print(f"\n大纲准确率（4 个样稿，对照人工标注）：{as_files.summary()}")
        print(f"同样的文字连成一段（不比行号）：{one_para.summary()}")
    assert as_files.parts_exact == as_files.parts and as_files.points_lines_ok == as_files.points
    # One paragraph loses the news report's paragraphs and headings run into their first sentence,
    # but the enumerations and counts survive.
    assert one_para.lists_count_ok == one_para.lists and one_para.counts_ok
    assert one_para.parts_found / one_para.parts >= 0.8


@needs_samples
@pytest.mark.parametrize("stem", STEMS[1:])
def test_sample_as_docx_and_markdown(tmp_path, stem):
    """The same text as a Word file (one paragraph per line, 一、 in Heading 1) and as Markdown (## 一、)."""
    import docx

    lines = (SAMPLES / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line, style="Heading 1" if line[:2] in ("一、", "二、", "三、") else None)
    document.save(tmp_path / "s.docx")
    md = write(tmp_path, "s.md", "\n".join(("## " + x) if x[:2] in ("一、", "二、", "三、") else x for x in lines) + "\n")
    for path in (tmp_path / "s.docx", md):
        s = score_outline(outline_dict(outline_document(read_document(path))), golden(stem))
        assert s.misses == [], path.suffix


# ---------------------------------------------------------------- generated drafts against their plans


def _counts(o) -> dict:
    ach, pro = o.find("achievements"), o.find("problems")
    return {
        "declared": o.declared,
        "sections": len(o.sections),
        "headlines": [s.headline for s in o.sections],
        "points": [len(s.points) for s in o.sections],
        "point_headlines": [[p.headline for p in s.points] for s in o.sections if s.style != "argument"],
        "achievements": [p.headline for p in ach[0].points] if ach else [],
        "problems": [p.headline for p in pro[0].points] if pro else [],
        "missing": o.missing,
        "shape": o.shape,
    }


def _expected(plan) -> dict:
    return {
        "declared": plan.points,
        "sections": len(plan.sections),
        "headlines": plan.point_headlines(),
        # An argument section's triad stands in its lead (这是……的昭示：), one paragraph each.
        "points": [len(s.lead) if s.style == "argument" else len(s.items) for s in plan.sections],
        "point_headlines": [[i.headline.text for i in s.items] for s in plan.sections if s.style != "argument"],
        # (a single achievement or problem is not numbered “一是”, so it is no list)
        "achievements": [i.headline.text for i in plan.achievements] if len(plan.achievements) > 1 else [],
        "problems": [i.headline.text for i in plan.problems] if len(plan.problems) > 1 else [],
        "missing": [],
        "shape": plan.kind,
    }


# Seeds, and the options that change a draft's shape: layout, number of points, length.
VARIANTS = {
    "school": lambda seed: {"points": 2 + seed % 4, "length": 2500 + 500 * (seed % 6)},
    "company": lambda seed: {"layout": ("separate", "two_part")[seed % 2], "length": 2500 + 700 * (seed % 4)},
    "work": lambda seed: {"points": 3 + seed % 2},
}


@pytest.mark.parametrize("example", sorted(VARIANTS))
def test_generated_drafts_match_their_plans(tmp_path, example):
    """For many seeds: the .md export's outline has the plan's count, sections, headlines and points."""
    seen = set()
    for seed in range(30):
        try:
            result = generate(EXAMPLES / example / "brief.yaml", seed=seed, **VARIANTS[example](seed))
        except InputError as e:  # the work speech's bank is still being filled in
            pytest.skip(f"{example}: {e}")
        path = write(tmp_path, f"{example}-{seed}.md", to_markdown(result.draft))
        o = outline_document(read_document(path))
        assert _counts(o) == _expected(result.plan), f"seed {seed}"
        assert o.declared == o.actual
        seen.add((result.plan.layout, result.plan.points))
    assert len(seen) >= 2  # more than one shape was exercised


@pytest.mark.parametrize("example", ["school", "company"])
def test_generated_news_report(tmp_path, example):
    for seed in range(5):
        result = generate(EXAMPLES / example / "brief.yaml", seed=seed, kinds=("review", "news"))
        path = write(tmp_path, "news.md", to_markdown(result.documents["news"]))
        o = outline_document(read_document(path))
        assert o.shape == "news" and o.missing == []
        points = o.find("requirements")[0].points
        assert [p.headline for p in points] == ["要" + r.headline for r in result.plan.requirement_points()]


def test_outline_of_a_draft_object():
    from generator.outline import outline_draft

    result = generate(EXAMPLES / "school" / "brief.yaml", seed=7)
    o = outline_draft(result.draft)
    assert [len(s.points) for s in o.sections] == [len(s.items) for s in result.plan.sections]


# ---------------------------------------------------------------- texts that are not laid out like the samples

NO_HEADINGS = """\
今天召开支部书记述职评议会，主要是听取各支部书记一年来抓党建工作的情况，查找不足，明确方向。
刚才，8名支部书记作了述职，讲得都很实在，问题也找得比较准。
一年来，各支部做了大量工作，成效比较明显，主要表现在：一是学习教育更加扎实。各支部坚持集中学习。二是组织建设更加规范。支部换届按期完成。
同时也要看到，工作中还存在一些不足：一是责任传导还不到位。有的书记满足于开会布置。二是融合发展还不够深入。党建和业务结合得还不紧。
下面，我讲3个问题。
第一，要提高政治站位。各支部要把政治建设放在首位，一是要认真学习，二是要对标对表。
第二，要夯实组织基础。严格落实组织生活制度。
第三，要压实工作责任。书记要当好第一责任人。
谢谢大家！
"""


def test_no_headings_no_salutation_arabic_count(tmp_path):
    o = outline_document(read_document(write(tmp_path, "a.txt", NO_HEADINGS)))
    assert (o.shape, o.declared, o.actual) == ("review", 3, 3)
    assert [(s.marker, s.headline, s.lines) for s in o.sections] == [
        ("第一", "要提高政治站位", (6, 6)), ("第二", "要夯实组织基础", (7, 7)), ("第三", "要压实工作责任", (8, 8))]
    assert [p.headline for p in o.sections[0].points] == ["要认真学习", "要对标对表"]
    assert [p.headline for p in o.find("achievements")[0].points] == ["学习教育更加扎实", "组织建设更加规范"]
    assert [p.headline for p in o.find("problems")[0].points] == ["责任传导还不到位", "融合发展还不够深入"]
    assert o.missing == ["title", "salutation"]
    assert any("没有“一、二、三、”小标题" in n for n in o.notes)
    text = outline_paths([tmp_path / "a.txt"])
    assert "宣布“讲3个问题”（3 点），实有 3 个部分，一致" in text and "未找到：标题、称呼" in text


NESTED = """\
# 在机关党建工作推进会上的讲话

同志们：

刚才，机关党委作了工作报告，我完全赞同。下面，我讲两点意见。

## 一、关于思想建设

思想建设是基础性建设。

第一，要加强理论学习。一是要坚持集中学习，二是要抓好个人自学，三是要用好线上平台。

第二，要抓好意识形态工作。管好阵地，把好导向。

## 二、关于组织建设

第一，要建强支部。落实标准化规范化要求。

第二，要管好党员。

（一）严格发展程序。把政治标准放在首位。

（二）抓好日常教育。用好“三会一课”。

同志们，让我们以更加务实的作风，推动机关党建工作再上新台阶！
"""


def test_nested_series(tmp_path):
    o = outline_document(read_document(write(tmp_path, "n.md", NESTED)))
    assert (o.shape, o.declared, o.actual, o.missing) == ("work", 2, 2, ["opening"])
    first, second = o.sections
    assert [p.marker for p in first.points] == ["第一", "第二"]
    assert [(p.marker, p.headline) for p in first.points[0].points] == [
        ("一是", "要坚持集中学习"), ("二是", "要抓好个人自学"), ("三是", "要用好线上平台")]
    assert first.child("lead").lines == (9, 9)
    assert second.points[1].lines == (19, 23)
    assert [(p.marker, p.headline, p.lines) for p in second.points[1].points] == [
        ("（一）", "严格发展程序", (21, 21)), ("（二）", "抓好日常教育", (23, 23))]
    assert o.find("closing")[0].lines == (25, 25)


@needs_samples
def test_single_long_paragraph():
    o = outline_document(one_paragraph(sample("2-review-meeting-schools")))
    assert (o.declared, o.actual) == (3, 3)
    assert [len(s.points) for s in o.sections] == [3, 3, 3]
    assert [s.headline for s in o.sections][0] == "突出政治统领，充分发挥基层党组织的战斗堡垒作用"
    assert len(o.find("achievements")[0].points) == len(o.find("problems")[0].points) == 3
    assert {p.lines for p in o.parts} == {(1, 1)}
    assert any("全文只有一段" in n for n in o.notes)


def test_declared_count_disagrees(tmp_path):
    text = "同志们：\n刚才，大家作了述职。下面，我讲三点意见。\n一、加强政治建设\n一要学习。二要落实。\n二、加强组织建设\n一要建强支部。\n"
    o = outline_document(read_document(write(tmp_path, "m.txt", text)))
    assert (o.declared, o.actual) == (3, 2)
    assert any("实有 2 个部分，请核对" in n for n in o.notes)
    assert "不一致，请核对" in outline_paths([tmp_path / "m.txt"])


def test_text_without_structure_says_what_is_missing(tmp_path):
    o = outline_document(read_document(write(tmp_path, "p.txt", "这是一段普通的说明文字，没有讲话稿的结构。\n")))
    assert o.sections == [] and o.declared is None
    assert {"transition", "section", "closing"} <= set(o.missing)
    assert outline_document(read_document(write(tmp_path, "e.txt", "\n\n"))).notes == ["文件中没有文字"]


# ---------------------------------------------------------------- output formats and errors


@needs_samples
def test_formats():
    paths = [SAMPLES / f"{stem}.txt" for stem in STEMS[:2]]
    text = outline_paths(paths)
    assert "├─ 一、突出政治统领，充分发挥基层党组织的战斗堡垒作用（3条）  第11–17行" in text
    assert "条数：讲话要求 3 条" in text
    data = yaml.safe_load(outline_paths(paths, "yaml"))
    assert json.loads(outline_paths(paths, "json")) == data
    second = data["files"][1]
    assert (second["shape_name"], second["declared"], second["actual"]) == ("述职评议会讲话", 3, 3)
    section = next(p for p in second["parts"] if p["part"] == "section")
    assert section["points"][0] == {"marker": "一要", "number": 1, "lines": [13, 13], "headline": "牢固树立“四个意识”"}


def test_errors(tmp_path):
    with pytest.raises(InputError) as e:
        outline_paths([tmp_path / "missing.txt", tmp_path / "old.doc"])
    assert len(e.value.problems) == 2 and "文件不存在" in e.value.problems[0]
    write(tmp_path, "a.txt", NO_HEADINGS)
    with pytest.raises(InputError, match="未知的输出格式"):
        outline_paths([tmp_path / "a.txt"], "xml")


def test_outline_does_not_load_jieba(tmp_path):
    path = write(tmp_path, "a.txt", NO_HEADINGS)
    code = ("import sys; from generator.outline import outline_paths; outline_paths([sys.argv[1]]); "
            "assert 'jieba' not in sys.modules and 'pydantic' not in sys.modules")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT)


# ---------------------------------------------------------------- size: linear in the input


def many_short_lines(path: Path, size: int = 5_000_000) -> Path:
    """A text of ~``size`` bytes in short lines (4–30 characters) cut from the bank, with the genre's
    markers sprinkled in: the kind of file that used to take minutes."""
    import random

    from generator.bank import default_bank

    rng = random.Random(13)
    texts = [e.text for e in default_bank().entries]
    markers = ["一是", "二是", "三是", "一要", "二要", "一、", "二、", "（一）", "第一，", "同志们，", "下面，我讲三点意见。"]
    lines, total = [], 0
    while total < size:
        t = rng.choice(texts)
        a = rng.randint(0, max(0, len(t) - 5))
        line = t[a:a + rng.randint(4, 30)]
        if rng.random() < 0.03:  # a point every ~30 lines (~500 characters), as in real speeches
            line = rng.choice(markers) + line
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_outline_of_a_five_megabyte_file_of_short_lines_completes(tmp_path):
    # How long it takes is measured by benchmarks/mine_speed.py (look-ups by place once scanned the whole
    # text and took minutes), not asserted here.
    big = many_short_lines(tmp_path / "big.txt")
    text = outline_paths([big])
    assert text.startswith(str(big))


# ---------------------------------------------------------------- seen on real speeches


OTHER_SPEECH = """在全市教育系统党建工作推进会上的讲话

各位老师：

今年以来，全市教育系统党建工作取得新进展。一是思想基础更加牢固。各校认真组织学习。二是组织体系更加健全。各校都建立了党组织。

同时也要看到，一是个别支部活动不够经常。二是少数党员作用发挥不够。

下面，我强调几点意见。

一、抓好理论学习

一要坚持集中学习。每月安排一次集体学习。

二要抓好个人自学。每名党员制定学习计划。

同志们，学习是立身之本，各校要把学习抓在经常。

总之，理论学习要常抓不懈，久久为功。

二、建强基层组织

建强支部班子。要把政治过硬、业务精通的党员选进支部委员会，形成坚强的领导集体。

规范组织生活。要严格落实“三会一课”制度，增强组织生活的政治性和时代性。

发挥党员作用。要设立党员先锋岗，让党员在急难险重任务中站得出来、冲得上去。

同志们，让我们以更加饱满的精神状态，推动全市教育系统党建工作再上新台阶！
"""


def test_outline_of_a_speech_that_is_not_a_review_meeting(tmp_path):
    o = outline_document(read_document(write(tmp_path, "s.txt", OTHER_SPEECH)))
    assert o.shape == "work"  # 推进会 on the title, no 述职: not 述职评议会讲话
    assert o.find("salutation")[0].lines == (3, 3)  # 各位老师：
    assert (o.declared, o.actual) == (None, 2)
    assert "强调几点意见" in o.declared_text
    first, second = o.sections
    # the block after 一要…二要… is the section's own summing-up, not part of 二要
    assert [p.lines for p in first.points] == [(13, 13), (15, 15)]
    assert first.child("outro").lines == (17, 19)
    # unnumbered points: paragraphs led by a short headline sentence
    assert [(p.headline, p.lines) for p in second.points] == [
        ("建强支部班子", (23, 23)), ("规范组织生活", (25, 25)), ("发挥党员作用", (27, 27))]
    # the closing is the last paragraph, not the 同志们， inside the first section
    assert o.find("closing")[0].lines == (29, 29)


def test_declaration_is_quoted_as_written(tmp_path):
    text = "同志们：\n下面，我强调几点意见。\n一要抓学习。要坚持集中学习。\n二要抓落实。要坚持问题导向。\n"
    o = outline_document(read_document(write(tmp_path, "d.txt", text)))
    assert any("按“强调几点意见”之后" in n for n in o.notes), o.notes
    assert not any("讲调" in n for n in o.notes)


@pytest.mark.parametrize("salutation", ["各位代表：", "各位老师：", "老师们、同学们：", "尊敬的各位领导，同志们：", "同志们："])
def test_salutations(tmp_path, salutation):
    text = f"在全县教育大会上的讲话\n\n{salutation}\n\n今天，我们召开全县教育大会。\n"
    o = outline_document(read_document(write(tmp_path, "t.txt", text)))
    assert o.find("salutation") and o.find("salutation")[0].lines == (3, 3)
