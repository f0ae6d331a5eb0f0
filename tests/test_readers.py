"""Reading users' files into numbered paragraphs: encodings, Markdown, .docx, and generated drafts."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.models import Block, Draft
from generator.readers import Paragraph, SourceDocument, decode_text, document_from_draft, read_document

CLEAN = Path(__file__).parent / "fixtures" / "check" / "clean"
TEXT = "同志们：\n\n今天召开述职评议会议。\n要把责任扛在肩上。\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- text files and encodings


def test_txt_lines_are_file_lines_including_empty_ones(tmp_path):
    doc = read_document(_write(tmp_path, "讲话.txt", TEXT.encode("utf-8")))
    assert isinstance(doc, SourceDocument)
    assert doc.paragraphs == (
        Paragraph(1, "同志们："), Paragraph(2, ""), Paragraph(3, "今天召开述职评议会议。"), Paragraph(4, "要把责任扛在肩上。"),
    )
    assert doc.kind == "txt" and doc.encoding == "utf-8"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_ends_count_the_same(tmp_path, newline):
    doc = read_document(_write(tmp_path, "a.txt", TEXT.replace("\n", newline).encode("utf-8")))
    assert [p.line for p in doc.paragraphs] == [1, 2, 3, 4]
    assert doc.paragraphs[2].text == "今天召开述职评议会议。"


def test_utf8_with_bom(tmp_path):
    doc = read_document(_write(tmp_path, "a.txt", TEXT.encode("utf-8-sig")))
    assert doc.encoding == "utf-8-sig"
    assert doc.paragraphs[0].text == "同志们："  # no BOM left in the text


def test_gb18030(tmp_path):
    doc = read_document(_write(tmp_path, "a.txt", TEXT.encode("gb18030")))
    assert doc.encoding == "gb18030"
    assert doc.paragraphs[2].text == "今天召开述职评议会议。"


@pytest.mark.parametrize("path", sorted(CLEAN.glob("*.txt")), ids=lambda p: p.name)
def test_real_speeches_round_trip_through_gb18030(path):
    text = path.read_text(encoding="utf-8")
    decoded, encoding = decode_text(text.encode("gb18030"), path)
    assert (decoded, encoding) == (text, "gb18030")


@pytest.mark.parametrize("raw", [
    "基层党建工作会议".encode("utf-16-le"),
    "基層黨建工作會議，要把責任扛在肩上。".encode("big5"),
    "こんにちは、基層の会議です。".encode("shift_jis"),
    "café crème à la carte".encode("latin-1"),
    bytes(range(128, 256)) * 4,
], ids=["utf-16", "big5", "shift-jis", "latin-1", "binary"])
def test_other_encodings_are_refused_not_misread(tmp_path, raw):
    path = _write(tmp_path, "讲话稿.txt", raw)
    with pytest.raises(InputError) as e:
        read_document(path)
    message = str(e.value)
    assert "讲话稿.txt" in message and "UTF-8" in message and "GB18030" in message


def test_missing_file_and_wrong_types(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        read_document(tmp_path / "没有.txt")
    with pytest.raises(InputError, match="不支持的文件类型"):
        read_document(_write(tmp_path, "a.pdf", b"%PDF"))
    with pytest.raises(InputError, match=r"\.doc"):
        read_document(_write(tmp_path, "a.doc", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(InputError, match="目录"):
        (tmp_path / "d.txt").mkdir()
        read_document(tmp_path / "d.txt")


# ---------------------------------------------------------------- Markdown

MD = """# 在述职评议会议上的讲话

（2026年1月20日）

同志们：

## 一、**提高**政治站位

### （一）加强理论武装

正文里有**加粗**、*强调*和[链接](http://example.com)，还有 `代码`。

- 列表项
> 引用的话

---
<!-- 注释 -->
请____同志发言。
"""


def test_markdown_roles_markup_and_line_numbers(tmp_path):
    doc = read_document(_write(tmp_path, "讲话.md", MD.encode("utf-8")))
    by_line = {p.line: p for p in doc.paragraphs}
    assert doc.kind == "md"
    assert by_line[1] == Paragraph(1, "在述职评议会议上的讲话", "title")
    assert by_line[3] == Paragraph(3, "（2026年1月20日）")
    assert by_line[7] == Paragraph(7, "一、提高政治站位", "heading1")
    assert by_line[9] == Paragraph(9, "（一）加强理论武装", "heading2")
    assert by_line[11].text == "正文里有加粗、强调和链接，还有 代码。"
    assert by_line[13].text == "列表项"
    assert by_line[14].text == "引用的话"
    assert by_line[16].text == "" and by_line[17].text == ""  # a rule and a comment
    assert by_line[18].text == "请____同志发言。"  # a blank to fill is not emphasis markup
    assert len(doc.paragraphs) == 18


def test_markdown_front_matter_keeps_numbering(tmp_path):
    doc = read_document(_write(tmp_path, "a.md", "---\ntitle: XXX\n---\n正文。\n".encode("utf-8")))
    assert [(p.line, p.text) for p in doc.paragraphs] == [(1, ""), (2, ""), (3, ""), (4, "正文。")]


# ---------------------------------------------------------------- .docx


def test_docx_paragraph_numbers_and_styles(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("在述职评议会议上的讲话", 0)
    d.add_paragraph("")
    d.add_paragraph("同志们：")
    d.add_heading("一、提高政治站位", 1)
    d.add_heading("（一）加强理论武装", 2)
    d.add_paragraph("正文。")
    path = tmp_path / "讲话.docx"
    d.save(str(path))
    doc = read_document(path)
    assert doc.kind == "docx"
    assert doc.paragraphs == (
        Paragraph(1, "在述职评议会议上的讲话", "title"),
        Paragraph(2, "", None),
        Paragraph(3, "同志们：", None),
        Paragraph(4, "一、提高政治站位", "heading1"),
        Paragraph(5, "（一）加强理论武装", "heading2"),
        Paragraph(6, "正文。", None),
    )


def test_broken_docx_is_named(tmp_path):
    path = _write(tmp_path, "坏文件.docx", b"not a zip file")
    with pytest.raises(InputError) as e:
        read_document(path)
    assert "坏文件.docx" in str(e.value) and "Word" in str(e.value)


# ---------------------------------------------------------------- generated drafts

DRAFT = Draft(
    kind="review",
    title="在述职评议会议上的讲话",
    blocks=(
        Block("title", "在述职评议会议上的讲话"),
        Block("meta", "（2026年1月20日）"),
        Block("salutation", "同志们："),
        Block("paragraph", "今天召开述职评议会议。"),
        Block("heading1", "一、提高政治站位"),
        Block("heading2", "（一）加强理论武装"),
        Block("paragraph", "要把责任扛在肩上。"),
        Block("closing", "谢谢大家！"),
    ),
)


def test_draft_blocks_are_numbered_as_in_the_md_export():
    doc = document_from_draft(DRAFT)
    assert [p.line for p in doc.paragraphs] == [1, 3, 5, 7, 9, 11, 13, 15]
    assert [p.role for p in doc.paragraphs] == [b.role for b in DRAFT.blocks]
    assert doc.kind == "draft"


def test_draft_numbering_matches_a_file_written_the_way_the_md_export_writes(tmp_path):
    marks = {"title": "# ", "heading1": "## ", "heading2": "### "}
    md = "\n\n".join(marks.get(b.role, "") + b.text for b in DRAFT.blocks) + "\n"
    from_file = read_document(_write(tmp_path, "draft.md", md.encode("utf-8")))
    lines = {p.line: p.text for p in from_file.paragraphs}
    for p in document_from_draft(DRAFT).paragraphs:
        assert lines[p.line] == p.text
