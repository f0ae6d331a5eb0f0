"""The Word output as LibreOffice lays it out: titles, the closing, faces without the GB fonts, a reference
document's margins. One LibreOffice run converts every document these tests look at (≈5 s)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES
from pdf_layout import PT_PER_MM, assign_blocks, page_breaks, pdf_lines
from test_docx import TITLES, make_draft, make_reference_with_page, split_terms, widow_draft

from generator import docx_export, layout
from generator.docx_export import closing_tail, convert_many, write_docx
from generator.layout import STANDARD, break_title
from generator.models import Block, DocxOptions, Draft
from generator.pipeline import generate

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None or shutil.which("pdftohtml") is None,
    reason="LibreOffice（soffice）或 poppler-utils 未安装：跳过 PDF 版面测量",
)

SEED = 2  # the seed whose SOE speech once left “谢谢大家！” alone on its last page
LINE_SEEDS = (SEED, 5)  # the line model is held to LibreOffice on more than one wording of every example


def line_end_draft() -> tuple[Draft, list[str]]:
    """Paragraphs that put LibreOffice's line-end rules to the test, each with what it shows: a mark that may
    not start a line at the head of line 2, a mark that may not end one at the end of line 1, runs of digits,
    letters and percentages near the line end, and a closing mark after a closing quote."""
    cases = []
    for mark in "，。、；：？！）》」』”’〕】·～…%％—":
        cases.append(("start " + mark, "基" * 26 + mark + "层" * 30))
    for mark in "（《「『“‘〔【—":
        cases.append(("end " + mark, "基" * 25 + mark + "层" * 30))
    for n in (1, 2, 3, 4, 6, 8):
        for k in (1, 2, 3):
            cases.append((f"digits {n}×{k}", "基" * 3 + ("2" * n + "层" * 3) * k + "建" * 60))
            cases.append((f"line 2 digits {n}×{k}", "基" * 30 + ("8" * n + "层" * 4) * k + "建" * 40))
    for n in range(1, 7):
        for a in (18, 20, 22):
            cases.append((f"percent {n}@{a}", "基" * a + "9" * n + "%" + "层" * 40))
            cases.append((f"decimal {n}@{a}", "基" * a + "9" * n + ".5%" + "层" * 40))
            cases.append((f"letters {n}@{a}", "基" * a + "AI" * n + "层" * 40))
    for mark in "。，、）】”’》：；！？":  # digits and letters stay with a closing mark, not with ：；！？
        cases.append((f"digits after {mark}", "基" * 25 + mark + "2025年" + "层" * 40))
        cases.append((f"letters after {mark}", "基" * 24 + mark + "AI" + "层" * 40))
    cases.append(("gap marker then a year", "基" * 14 + "【待补充：取得的成效】。2025年，" + "层" * 40))
    cases.append(("after punctuation", "刚才，4名党组织书记作了口头述职，另有1名书记作了书面述职。" * 3))
    cases.append(("quote then stop", "基" * 23 + "“时间表”。" + "层" * 30))
    blocks = [Block("title", "版面测试"), Block("salutation", "同志们：")]
    blocks += [Block("paragraph", text) for _, text in cases]
    return Draft(kind="review", title="版面测试", blocks=tuple(blocks)), [name for name, _ in cases]


def exact_lines_draft() -> Draft:
    """Paragraphs of exactly three lines, so the body ends at the foot of page 2: a one-line title, the
    speaker and date, one blank line and 18 body lines fill page 1, and 22 more fill page 2."""
    three = "基层党建工作要抓实抓细" * 8
    three = three[:81] + "。"  # 2 characters of indent + 82 = 3 × 28
    blocks = [Block("title", "在全校党建工作会议上的讲话"), Block("meta", "王明\n（2026年1月20日）"),
              Block("salutation", "同志们：")]
    blocks += [Block("paragraph", three) for _ in range(13)]
    blocks.append(Block("closing", "谢谢大家！"))
    return Draft(kind="review", title=blocks[0].text, blocks=tuple(blocks))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, monkeypatch_module):
    work = tmp_path_factory.mktemp("lo")
    docs: dict[str, tuple[Draft, Path]] = {}

    def add(name: str, draft: Draft, options=None, base=None):
        path = work / f"{name}.docx"
        write_docx(draft, path, options, base)
        docs[name] = (draft, path)

    add("titles", Draft(kind="review", title=TITLES[0], blocks=tuple(Block("title", t) for t in TITLES)))
    for brief in sorted(EXAMPLES.glob("*/brief.yaml")):
        for seed in LINE_SEEDS:
            result = generate(brief, seed=seed)
            for kind, draft in result.documents.items():
                suffix = "" if seed == SEED else f"@{seed}"
                add(f"{brief.parent.name}-{kind}{suffix}", draft, result.loaded.org.docx, brief.parent)
    add("line-ends", line_end_draft()[0])
    add("exact", exact_lines_draft())
    with monkeypatch_module.context() as m:
        m.setattr(docx_export, "_keep_closing_together", lambda *a: None)
        add("exact-without-keep", exact_lines_draft())
    add("widow", widow_draft())
    with monkeypatch_module.context() as m:
        m.setattr(layout, "plan_widow_control", lambda *a, **k: frozenset())
        add("widow-without-fix", widow_draft())
    base = make_reference_with_page(work)
    add("reference", make_draft(2), DocxOptions(reference="模板.docx"), base)
    missing = convert_many([(path, path.with_suffix(".pdf")) for _, path in docs.values()], warn=False)
    return {name: (draft, path.with_suffix(".pdf")) for name, (draft, path) in docs.items()}, missing


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as m:
        yield m


def test_the_line_model_breaks_every_line_where_libreoffice_does(rendered):
    """layout.body_lines gives the text of every line of every body paragraph and heading as LibreOffice sets
    it: the rules (widths of Chinese, digits and letters, the space between them, 避头尾) on constructed cases,
    and every example with two seeds, so a change of wording cannot move a line end the model does not see."""
    docs, _ = rendered
    draft, pdf = docs["line-ends"]
    names = line_end_draft()[1]
    lines = assign_blocks(draft, pdf_lines(pdf))
    for i, name in enumerate(names, start=2):
        shown = [line.text for line in lines if line.block == i]
        assert layout.body_lines(draft.blocks[i].text) == shown, name
    checked = 0
    for name, (draft, pdf) in docs.items():
        if name in ("titles", "reference", "line-ends") or name.startswith(("exact", "widow")):
            continue
        lines = assign_blocks(draft, pdf_lines(pdf))
        for i, block in enumerate(draft.blocks):
            if block.role in ("title", "meta", "salutation"):
                continue
            shown = [line.text.replace(" ", "") for line in lines if line.block == i]
            assert [t.replace(" ", "") for t in layout.body_lines(block.text.strip("\n"))] == shown, (name, i)
            checked += 1
    assert checked >= 250


def test_every_title_line_is_as_broken_with_no_lone_character(rendered):
    docs, _ = rendered
    draft, pdf = docs["titles"]
    lines = assign_blocks(draft, pdf_lines(pdf))
    for i, title in enumerate(TITLES):
        shown = [line.text for line in lines if line.block == i]
        assert shown == break_title(title, STANDARD.title_max_chars), title  # no line wrapped again
        assert all(len(line) >= 3 for line in shown), shown
        assert split_terms(shown) == [], shown


def test_example_titles_render_on_their_planned_lines(rendered):
    docs, _ = rendered
    for name, (draft, pdf) in docs.items():
        if name in ("titles", "reference", "line-ends") or name.startswith(("exact", "widow")):
            continue
        lines = assign_blocks(draft, pdf_lines(pdf))
        shown = [line.text for line in lines if line.block == 0]
        assert shown == break_title(draft.title, STANDARD.title_max_chars), name
        assert min(len(s) for s in shown) >= 3, (name, shown)


def test_the_closing_never_stands_alone(rendered):
    docs, _ = rendered
    profile = STANDARD
    control = page_breaks(*docs["exact-without-keep"], tail=1)
    assert control.closing_alone, "the constructed draft should end its body at the foot of a page"
    draft, pdf = docs["exact"]
    assert not page_breaks(draft, pdf, tail=1).closing_alone
    lines = assign_blocks(draft, pdf_lines(pdf))
    last_page = [line.block for line in lines if line.page == lines[-1].page]
    assert last_page.count(len(draft.blocks) - 2) == 3  # the short last paragraph came along whole
    for name, (draft, pdf) in docs.items():
        if name in ("titles", "exact-without-keep", "line-ends"):
            continue
        tail = closing_tail(draft, profile)
        assert not page_breaks(draft, pdf, tail).closing_alone, name


def _faces(pdf: Path, page: int = 1) -> list[tuple[str, str]]:
    """(face, text) of every text run on a page: face = font family without the subset tag, plus “bold”."""
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    fonts = {m.group(1): m.group(2).split("+")[-1] for m in re.finditer(r'<fontspec id="(\d+)"[^>]*family="([^"]+)"', xml)}
    out = []
    for m in re.finditer(r'<text [^>]*font="(\d+)">(.*?)</text>', xml):
        inner = m.group(2)
        bold = "<b>" in inner
        out.append((fonts[m.group(1)] + (" bold" if bold else ""), re.sub(r"<[^>]+>", "", inner)))
    return out


def _face_of(runs: list[tuple[str, str]], pred) -> str:
    faces = {face for face, text in runs if pred(text) and re.search(r"[\u4e00-\u9fff]", text)}
    assert len(faces) == 1, faces
    return faces.pop()


def test_roles_keep_distinct_faces_without_the_gb_fonts(rendered):
    docs, missing = rendered
    speech, host = docs["work-work"], docs["work-host"]
    runs = _faces(speech[1], 1) + _faces(speech[1], 2) + _faces(speech[1], 3)
    heading = next(b.text for b in speech[0].blocks if b.role == "heading1")
    body = next(b.text for b in speech[0].blocks if b.role == "paragraph")
    title = _face_of(runs, lambda t: t in speech[0].title and len(t) > 3)
    body_face = _face_of(runs, lambda t: t in body and len(t) > 10)
    heading_face = _face_of(runs, lambda t: t in heading and len(t) > 3)
    host_runs = _faces(host[1], 1) + _faces(host[1], 2)
    cue = _face_of(host_runs, lambda t: re.fullmatch(r"（[^）]{2,4}）", t) is not None)
    assert cue == _face_of(host_runs, lambda t: t.startswith("主持人"))  # cues share the 楷体 role face
    assert len({title, body_face, heading_face, cue}) == 4, (title, body_face, heading_face, cue)
    if "仿宋_GB2312" in missing:  # stand-ins were used: pdffonts names the faces apart as well
        names = subprocess.run(["pdffonts", str(speech[1])], capture_output=True, text=True, check=True).stdout
        cjk = {line.split()[0].split("+")[-1] for line in names.splitlines()[2:] if "CJK" in line}
        assert len(cjk) >= 4, cjk  # title, body, 一、 heading, 楷体 roles


def test_reference_mode_keeps_the_templates_margins(rendered):
    docs, _ = rendered
    draft, pdf = docs["reference"]
    lines = [line for line in assign_blocks(draft, pdf_lines(pdf)) if line.page == 1]
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    assert left / PT_PER_MM == pytest.approx(20, abs=1.5)
    assert (595.3 - right) / PT_PER_MM == pytest.approx(20, abs=3)
    first = assign_blocks(draft, pdf_lines(pdf))
    title_lines = [line for line in first if line.block == 0]
    for line in title_lines:  # still centred between the template's margins
        assert (line.x0 + line.x1) / 2 == pytest.approx(595.3 / 2, abs=3)


def test_no_one_line_widows_and_the_model_matches_libreoffice(rendered):
    """layout.paginate predicts every line's page exactly as LibreOffice sets it, so the paragraphs given
    widow control are the right ones, and no example leaves a paragraph's last line alone atop a page."""
    docs, _ = rendered
    checked = 0
    for name, (draft, pdf) in docs.items():
        if name in ("titles", "reference", "widow-without-fix", "line-ends") or name.startswith("exact"):
            continue
        keep_next, keep_whole, closing_widow = docx_export.closing_keeps(draft, STANDARD)
        widow = closing_widow | layout.plan_widow_control(draft.blocks, STANDARD, keep_whole=keep_whole,
                                                          keep_next=keep_next)
        predicted = layout.paginate(draft.blocks, STANDARD, widow_control=widow, keep_whole=keep_whole,
                                    keep_next=keep_next)
        lines = assign_blocks(draft, pdf_lines(pdf))
        actual = [[line.page for line in lines if line.block == i] for i in range(len(draft.blocks))]
        assert predicted == actual, name
        assert page_breaks(draft, pdf, closing_tail(draft, STANDARD)).widows == [], name
        checked += 1
    assert checked >= 16
    control = page_breaks(*docs["widow-without-fix"], tail=0)
    assert len(control.widows) == 1  # the constructed widow is real in LibreOffice …
    fixed = page_breaks(*docs["widow"], tail=0)
    assert fixed.widows == [] and fixed.pages == control.pages  # … and gone with widow control on that paragraph


def test_build_warns_once_about_missing_fonts_only_for_pdf(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr(docx_export, "_warned_fonts", set())
    monkeypatch.setattr(docx_export, "installed_font_families", lambda: {"noto serif cjk sc", "noto sans cjk sc"})
    seen = {}

    def fake_soffice(soffice, profile_dir, out_dir, sources, names):  # the conversion itself is tested above
        seen["xcu"] = (profile_dir / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
        for source in sources:
            (out_dir / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4\n")

    monkeypatch.setattr(docx_export, "_run_soffice", fake_soffice)
    brief = EXAMPLES / "school" / "brief.yaml"
    code, _, err = run_cli("build", brief, "-o", tmp_path / "pdf", "--format", "docx,pdf")
    assert code == 0, err
    assert err.count("提示：本机没有安装") == 1
    assert "方正小标宋简体 → Noto Serif CJK SC（加粗）" in err and "楷体_GB2312 → Noto Sans CJK SC" in err
    assert "<value>方正小标宋简体</value>" in seen["xcu"]  # the table LibreOffice was given

    def no_lookup():
        raise AssertionError("fonts are looked up only when a PDF is made")

    monkeypatch.setattr(docx_export, "installed_font_families", no_lookup)
    code, _, err = run_cli("build", brief, "-o", tmp_path / "docx", "--format", "docx")
    assert code == 0 and "提示" not in err
