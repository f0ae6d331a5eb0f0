"""Word output: every GB/T 9704 number checked in the XML, and a few LibreOffice conversions to measure the page."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator import __version__, layout
from generator.docx_export import (
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    STYLE_ORDER,
    _write_zip,
    convert_to_pdf,
    read_custom_properties,
    read_docx_text,
    write_docx,
)
from generator.errors import DraftgenError, InputError
from generator.layout import STANDARD, break_title
from generator.models import Block, DocxOptions, Draft

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TNR = "Times New Roman"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


# ---------------------------------------------------------------- a draft to export

TITLE = "在某某中学2025年度党支部书记抓基层党建工作述职评议会上的讲话"
HEADINGS = [
    ("heading1", "一、肯定成绩，切实增强做好党建工作的信心"),
    ("heading2", "（一）政治引领更加有力"),
    ("heading2", "（二）组织体系更加健全"),
    ("heading1", "二、正视问题，清醒认识存在的短板弱项"),
    ("heading1", "三、聚焦重点，推动基层党建工作提质增效"),
]
BODY = ("这次述职评议，既是对一年来基层党建工作的全面检阅，也是对各支部书记履职尽责情况的一次集中体检。"
        "从刚才的述职情况看，大家认识到位、准备充分，既讲了成绩，也查摆了问题，达到了交流经验、查找不足、"
        "明确方向的目的。")
GAP1 = "【待补充：某支部开展“三会一课”的具体做法】"
GAP2 = "【待补充：2025年党员发展人数】"


def make_draft(paragraphs_per_heading: int = 3, entry_ids: tuple[str, ...] = ("ach-h-zhengzhi-01", "pro-h-zuzhi-02")) -> Draft:
    blocks = [Block("title", TITLE), Block("meta", "王明\n（2026年1月20日）"), Block("salutation", "同志们："),
              Block("paragraph", BODY + "下面，我讲三点意见。")]
    for n, (role, text) in enumerate(HEADINGS):
        blocks.append(Block(role, text))
        for k in range(paragraphs_per_heading):
            body = BODY * 2
            if n == 1 and k == 0:
                body += f"例如，{GAP1}，值得学习借鉴。今年共发展党员{GAP2}名。"
            blocks.append(Block("paragraph", body))
    blocks.append(Block("closing", "同志们，让我们真抓实干、奋发有为，推动学校党建工作再上新台阶！"))
    return Draft(kind="review", title=TITLE, blocks=tuple(blocks), seed=20260120, entry_ids=entry_ids,
                 digest="9f2c1e0b7a", subject="2025年度述职评议会讲话稿（草稿）", keywords=("述职评议", "基层党建"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "draft.docx"
    write_docx(make_draft(), path)
    return path


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read(name))


def style(styles, sid: str):
    found = styles.xpath(f"w:style[@w:styleId='{sid}']", namespaces=NS)
    assert found, f"style {sid} missing"
    return found[0]


def attr(el, path: str, name: str):
    found = el.xpath(path, namespaces=NS)
    assert found, f"{path} missing"
    return found[0].get(w(name))


def body_paragraphs(path: Path):
    return part(path, "word/document.xml").xpath("/w:document/w:body/w:p", namespaces=NS)


# ---------------------------------------------------------------- layout numbers


def test_layout_numbers_follow_gbt_9704():
    p = STANDARD
    assert (p.page_width_twips, p.page_height_twips) == (11906, 16838)  # A4
    assert (p.margin_top_mm, p.margin_bottom_mm, p.margin_left_mm, p.margin_right_mm) == (37, 35, 28, 26)
    assert p.margins_twips == {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
    assert layout.twips_to_mm(p.text_width_twips) == pytest.approx(156, abs=0.1)
    assert layout.twips_to_mm(p.text_height_twips) == pytest.approx(225, abs=0.1)
    assert (p.lines_per_page, p.chars_per_line, p.line_pitch_twips) == (22, 28, 579)
    assert 22 * 579 <= p.text_height_twips < 23 * 579
    assert (p.body_pt, p.title_pt, p.heading1_pt, p.heading2_pt, p.page_number_pt) == (16, 22, 16, 16, 14)
    assert p.fonts == {"body": "仿宋_GB2312", "title": "方正小标宋简体", "heading1": "黑体", "heading2": "楷体_GB2312",
                       "meta": "楷体_GB2312", "page_number": "宋体"}
    # 28 condensed characters fit the 版心, 29 do not; a title line holds 20 characters of 22 pt.
    pitch = p.body_pt * 20 + p.char_spacing_twips
    assert p.char_spacing_twips == -5
    assert 28 * pitch <= p.text_width_twips < 29 * pitch
    assert p.title_max_chars == 20
    assert p.first_line_indent_twips == 640 and p.page_number_indent_twips == 280


def test_reading_profile_is_larger_with_wider_pitch():
    r = layout.READING
    assert r.body_pt in (18, 20) and r.body_pt > STANDARD.body_pt
    assert r.line_pitch_twips > STANDARD.line_pitch_twips
    assert r.lines_per_page * r.line_pitch_twips <= r.text_height_twips
    pitch = r.body_pt * 20 + r.char_spacing_twips
    assert r.chars_per_line * pitch <= r.text_width_twips < (r.chars_per_line + 1) * pitch
    assert r.margins_twips == STANDARD.margins_twips


# ---------------------------------------------------------------- title balancing (pure)


# Titles of every kind the examples and tests make, plus long ones and ones with 《》.
TITLES = [
    TITLE,
    "在2025年度基层党组织书记抓基层党建工作述职评议会上的讲话",
    "在2025年度党支部书记抓基层党建工作述职评议会上的讲话",
    "在2026年全区机关基层党建工作会议上的讲话",
    "医院党委召开2025年度党支部书记抓基层党建工作述职评议会",
    "区直机关工委召开2026年全区机关基层党建工作会议",
    "市发改委机关党委召开2025年度基层党组织书记抓基层党建工作述职评议会",
    "2025年度基层党组织书记抓基层党建工作述职评议会主持词",
    "2026年全区机关基层党建工作会议主持词",
    "在全市教育系统基层党组织书记述职评议会议上的讲话",
    "在全区2025年度基层党组织书记抓基层党建工作述职评议会上的讲话",
    "在中共某某市委员会2025年度全市基层党组织书记抓基层党建工作述职评议会暨基层党建工作推进会上的讲话",
    "在2026年全市卫生健康系统全面从严治党暨党风廉政建设工作会议上的讲话",
    "王明同志在学习贯彻《中国共产党章程》专题读书班结业式上的讲话",
    "在学习贯彻《关于新时代党的建设总要求》专题读书班上的讲话",
    "在《中国共产党支部工作条例（试行）》专题学习会上的讲话",
    "在全县基层党组织书记抓基层党建工作述职评议会上的讲话的",  # 27: must not leave a lone character
]


def split_terms(lines: list[str]) -> list[str]:
    """Protected terms (基层党建, 党组织, 述职评议, years …) that a break between these lines cuts."""
    text = "".join(lines)
    cuts, pos = set(), 0
    for line in lines[:-1]:
        pos += len(line)
        cuts.add(pos)
    return [text[a:b] for a, b in layout.protected_spans(text) if any(a < c < b for c in cuts)]


@pytest.mark.parametrize("title", TITLES)
def test_title_lines_fit_balance_and_keep_every_character(title):
    lines = break_title(title, 20)
    assert "".join(lines) == title
    assert all(layout.title_width(line) <= 2000 for line in lines)  # digits and their spacing counted generously
    assert all(len(line) >= 3 for line in lines)  # never a lone character
    assert len(lines) <= 3
    assert split_terms(lines) == []  # 基层党建, 党组织, 述职评议, 2025年度 stay whole
    for line in lines[1:]:
        assert line[0] not in "，。、；：？！）》”"
    for line in lines[:-1]:
        assert line[-1] not in "（《“"
    for book in re.findall(r"《[^》]*》", title):
        assert any(book in line for line in lines)  # a book title that fits a line is never broken
    chars = [layout.title_width(line) / 100 for line in lines]
    if len(lines) == 2:
        assert max(chars) - min(chars) <= 9.5  # not one long line over a stub
    if len(lines) == 3:  # 梯形 (steadily longer or shorter) or 菱形 (widest in the middle), never an hourglass
        assert not (chars[1] < chars[0] - 1 and chars[1] < chars[2] - 1)
    assert not re.search(r"\d\n\d", "\n".join(lines))  # digits stay together


def test_title_breaks_at_natural_points():
    assert break_title(TITLE) == ["在某某中学2025年度党支部书记", "抓基层党建工作述职评议会上的讲话"]
    assert break_title("在全市教育系统基层党组织书记述职评议会议上的讲话") == [
        "在全市教育系统基层党组织书记", "述职评议会议上的讲话"]
    # 20 characters counting “2026” as two: the real line is wider, so it is broken (it once left “话” alone).
    assert break_title("在2026年全区机关基层党建工作会议上的讲话") == ["在2026年全区机关", "基层党建工作会议上的讲话"]
    assert break_title("医院党委召开2025年度党支部书记抓基层党建工作述职评议会") == [
        "医院党委召开2025年度党支部书记", "抓基层党建工作述职评议会"]
    lines = break_title("在中共某某市委员会2025年度全市基层党组织书记抓基层党建工作述职评议会暨基层党建工作推进会上的讲话")
    assert len(lines) == 3 and lines[2].startswith("暨")
    assert break_title("在学习贯彻《关于新时代党的建设总要求》专题读书班上的讲话") == [
        "在学习贯彻", "《关于新时代党的建设总要求》", "专题读书班上的讲话"]  # 菱形, not 19 over 9
    assert break_title("市发改委机关党委召开2025年度基层党组织书记抓基层党建工作述职评议会") == [
        "市发改委机关党委召开", "2025年度基层党组织书记", "抓基层党建工作述职评议会"]  # 梯形
    assert break_title("在全校党建工作会议上的讲话") == ["在全校党建工作会议上的讲话"]
    assert break_title("在述职评议会上的讲话\n（摘要）") == ["在述职评议会上的讲话", "（摘要）"]  # author's own breaks
    assert "《中国共产党章程》" in "".join(break_title("王明同志在学习贯彻《中国共产党章程》专题读书班结业式上的讲话")[:1])


def test_very_long_titles_still_fit_and_balance():
    title = "在" + "基层党建工作推进会暨" * 16 + "上的讲话"  # 165 characters: nine lines or more
    lines = break_title(title, 20)
    assert "".join(lines) == title and len(lines) >= 9
    assert all(3 * 100 <= layout.title_width(line) <= 2000 for line in lines)
    assert split_terms(lines) == []


def test_title_width_counts_digits_and_their_spacing():
    assert layout.title_width("基层党建") == 400
    assert layout.title_width("在2026年") == 200 + 4 * layout.LATIN_WIDTH + 2 * layout.ASIAN_LATIN_GAP
    assert layout.title_width("2026年") == 100 + 4 * layout.LATIN_WIDTH + layout.ASIAN_LATIN_GAP


# ---------------------------------------------------------------- page set-up


def test_page_size_margins_and_grid(built):
    sect = part(built, "word/document.xml").xpath("//w:body/w:sectPr", namespaces=NS)[0]
    assert attr(sect, "w:pgSz", "w") == "11906" and attr(sect, "w:pgSz", "h") == "16838"
    assert attr(sect, "w:pgSz", "orient") is None
    mar = sect.find(w("pgMar"))
    assert {k: mar.get(w(k)) for k in ("top", "bottom", "left", "right", "gutter")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474", "gutter": "0"}
    assert int(mar.get(w("footer"))) == STANDARD.footer_distance_twips
    # The 一字线 (middle of the footer line) sits 7 mm below the 版心.
    dash_mm = layout.twips_to_mm(int(mar.get(w("footer"))) + STANDARD.footer_line_twips / 2)
    assert 35 - dash_mm == pytest.approx(7, abs=0.2)
    grid = sect.find(w("docGrid"))
    assert grid.get(w("type")) == layout.DOC_GRID_TYPE == "lines"
    assert grid.get(w("linePitch")) == "579"


def test_even_and_odd_footers_carry_dashed_page_numbers(built):
    settings = part(built, "word/settings.xml")
    assert settings.find(w("evenAndOddHeaders")) is not None
    doc = part(built, "word/document.xml")
    rels = part(built, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = {r.get(w("type")): targets[r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            for r in doc.xpath("//w:sectPr/w:footerReference", namespaces=NS)}
    assert set(refs) == {"default", "even"}
    for kind, side, cached in (("default", "right", "1"), ("even", "left", "2")):
        ftr = part(built, "word/" + refs[kind])
        paras = ftr.findall(w("p"))
        assert len(paras) == 1
        p = paras[0]
        assert attr(p, "w:pPr/w:jc", "val") == side
        assert attr(p, "w:pPr/w:ind", side) == "280"  # 空一字: one 14 pt character
        other = "left" if side == "right" else "right"
        assert attr(p, "w:pPr/w:ind", other) is None
        runs = p.findall(w("r"))
        pieces = []
        for r in runs:
            fld = r.find(w("fldChar"))
            if fld is not None:
                pieces.append(f"<{fld.get(w('fldCharType'))}>")
            elif r.find(w("instrText")) is not None:
                pieces.append(r.find(w("instrText")).text.strip())
            else:
                pieces.append(r.find(w("t")).text)
        assert pieces == ["— ", "<begin>", "PAGE", "<separate>", cached, "<end>", " —"]
        for r in runs:
            fonts = r.find(f"{w('rPr')}/{w('rFonts')}")
            assert fonts.get(w("eastAsia")) == fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "宋体"  # 半角宋体
            assert attr(r, "w:rPr/w:sz", "val") == "28"  # 4号


# ---------------------------------------------------------------- styles


def test_doc_defaults_fonts_language_and_spacing(built):
    styles = part(built, "word/styles.xml")
    rpr = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr", namespaces=NS)[0]
    fonts = rpr.find(w("rFonts"))
    assert (fonts.get(w("ascii")), fonts.get(w("hAnsi")), fonts.get(w("eastAsia"))) == (TNR, TNR, "仿宋_GB2312")
    assert attr(rpr, "w:sz", "val") == "32"
    assert attr(rpr, "w:lang", "eastAsia") == "zh-CN"
    assert attr(rpr, "w:color", "val") == "000000"
    spacing = styles.xpath("w:docDefaults/w:pPrDefault/w:pPr/w:spacing", namespaces=NS)[0]
    assert spacing.get(w("after")) == "0" and spacing.get(w("before")) == "0"


def test_no_theme_fonts_or_theme_colours_anywhere(built):
    with zipfile.ZipFile(built) as zf:
        for name in zf.namelist():
            if not name.endswith(".xml"):
                continue
            text = zf.read(name).decode("utf-8")
            for bad in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme", "w:themeColor"):
                assert bad not in text, f"{bad} in {name}"


@pytest.mark.parametrize(
    "sid, name, font, size, jc, first_chars, outline",
    [
        ("Normal", "Normal", "仿宋_GB2312", "32", "both", "200", None),
        ("Title", "Title", "方正小标宋简体", "44", "center", "0", None),
        ("Subtitle", "Subtitle", "楷体_GB2312", "32", "center", "0", None),
        ("Heading1", "heading 1", "黑体", "32", "both", "200", "0"),
        ("Heading2", "heading 2", "楷体_GB2312", "32", "both", "200", "1"),
        ("Salutation", "Salutation", "仿宋_GB2312", "32", "left", "0", None),
        ("Closing", "Closing", "仿宋_GB2312", "32", "both", "200", None),
    ],
)
def test_paragraph_styles(built, sid, name, font, size, jc, first_chars, outline):
    st = style(part(built, "word/styles.xml"), sid)
    assert attr(st, "w:name", "val") == name
    fonts = st.find(f"{w('rPr')}/{w('rFonts')}")
    assert (fonts.get(w("ascii")), fonts.get(w("hAnsi")), fonts.get(w("eastAsia"))) == (TNR, TNR, font)
    assert attr(st, "w:rPr/w:sz", "val") == size
    assert attr(st, "w:rPr/w:color", "val") == "000000"
    assert attr(st, "w:rPr/w:lang", "eastAsia") == "zh-CN"
    assert attr(st, "w:pPr/w:jc", "val") == jc
    assert attr(st, "w:pPr/w:ind", "firstLineChars") == first_chars
    assert attr(st, "w:pPr/w:ind", "firstLine") == ("640" if first_chars == "200" else "0")
    spacing = st.find(f"{w('pPr')}/{w('spacing')}")
    assert (spacing.get(w("before")), spacing.get(w("after"))) == ("0", "0")
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("579", "exact")
    lvl = st.xpath("w:pPr/w:outlineLvl/@w:val", namespaces=NS)
    assert (lvl[0] if lvl else None) == outline
    if sid in ("Title", "Heading1", "Heading2"):  # 黑体/楷体/小标宋 are not bold
        assert attr(st, "w:rPr/w:b", "val") == "0"
        assert st.find(f"{w('rPr')}/{w('i')}") is None


def test_body_condensed_to_28_per_line_and_title_not(built):
    styles = part(built, "word/styles.xml")
    assert attr(style(styles, "Normal"), "w:rPr/w:spacing", "val") == "-5"
    assert attr(style(styles, "Title"), "w:rPr/w:spacing", "val") == "0"
    assert attr(style(styles, "Title"), "w:pPr/w:snapToGrid", "val") == "0"


def test_heading_styles_show_in_navigation(built):
    doc = docx.Document(str(built))
    names = {s.name for s in doc.styles}
    assert {"Title", "Heading 1", "Heading 2"} <= names


# ---------------------------------------------------------------- body


def test_paragraphs_carry_roles_as_styles(built):
    got = read_docx_text(built)
    title_lines = break_title(TITLE)
    assert got[0] == ("Title", "\n".join(title_lines))
    assert got[1] == ("Subtitle", "王明\n（2026年1月20日）")
    assert got[2] == ("Salutation", "同志们：")
    assert got[3][0] == "Normal"
    headings = [(s, t) for s, t in got if s.startswith("Heading")]
    assert headings == [("Heading 1" if r == "heading1" else "Heading 2", t) for r, t in HEADINGS]
    assert got[-1] == ("Closing", "同志们，让我们真抓实干、奋发有为，推动学校党建工作再上新台阶！")
    assert len(got) == len(make_draft().blocks)


def test_title_is_one_paragraph_with_line_breaks_and_one_blank_line_follows(built):
    paras = body_paragraphs(built)
    title = paras[0]
    assert len(title.xpath(".//w:br", namespaces=NS)) == len(break_title(TITLE)) - 1
    assert attr(paras[1], "w:pPr/w:spacing", "after") == "579"  # 空一行 after the title block
    assert not paras[0].xpath("w:pPr/w:spacing", namespaces=NS)
    assert all(p.xpath("string(.)").strip() for p in paras)  # no empty paragraphs for spacing


def test_every_run_has_fonts_east_asian_hint_and_role_font(built):
    expected = {"Title": "方正小标宋简体", "Subtitle": "楷体_GB2312", "Heading1": "黑体", "Heading2": "楷体_GB2312",
                "Normal": "仿宋_GB2312", "Salutation": "仿宋_GB2312", "Closing": "仿宋_GB2312"}
    runs = 0
    for p in body_paragraphs(built):
        sid = attr(p, "w:pPr/w:pStyle", "val")
        for r in p.findall(w("r")):
            fonts = r.find(f"{w('rPr')}/{w('rFonts')}")
            assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == TNR
            assert fonts.get(w("eastAsia")) == expected[sid]
            assert fonts.get(w("hint")) == "eastAsia"  # “” — drawn full-width
            runs += 1
    assert runs > 30


def test_every_gap_marker_is_its_own_yellow_run(built):
    highlighted = []
    for r in part(built, "word/document.xml").iter(w("r")):
        text = "".join(t.text or "" for t in r.iter(w("t")))
        hl = r.find(f"{w('rPr')}/{w('highlight')}")
        if hl is not None:
            assert hl.get(w("val")) == "yellow"
            highlighted.append(text)
        else:
            assert "【待补充" not in text
    assert highlighted == [GAP1, GAP2]


def test_title_without_meta_marker_across_lines_and_unknown_role(tmp_path):
    title = "在【待补充：会议全称，例如某某县2025年度基层党组织书记抓党建述职评议会】上的讲话"
    draft = Draft(kind="review", title=title, blocks=(Block("title", title), Block("salutation", "同志们："),
                                                      Block("aside", "（此处插入视频）")))
    path = tmp_path / "t.docx"
    write_docx(draft, path)
    paras = body_paragraphs(path)
    assert len(paras[0].xpath(".//w:br", namespaces=NS)) >= 1  # the marker itself is broken across lines
    marked = "".join(t.text for r in paras[0].findall(w("r")) if r.find(f"{w('rPr')}/{w('highlight')}") is not None
                     for t in r.findall(w("t")))
    assert marked == title[1:-4]
    assert attr(paras[0], "w:pPr/w:spacing", "after") == "579"  # the blank line follows the title itself
    assert read_docx_text(path)[2] == ("Normal", "（此处插入视频）")


def test_child_order_follows_ecma_376_and_nothing_is_duplicated(built):
    orders = {"rPr": RPR_ORDER, "pPr": PPR_ORDER, "sectPr": SECTPR_ORDER, "style": STYLE_ORDER}
    with zipfile.ZipFile(built) as zf:
        names = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")]
    checked = 0
    for name in names:
        root = part(built, name)
        for tag, order in orders.items():
            for el in root.iter(w(tag)):
                children = [etree.QName(c).localname for c in el if etree.QName(c).namespace == W]
                assert all(c in order for c in children), (name, tag, children)
                ranks = [order.index(c) for c in children]
                assert ranks == sorted(ranks), (name, tag, children)
                single = [c for c in children if c not in ("headerReference", "footerReference", "tblStylePr")]
                assert len(set(single)) == len(single), (name, tag, children)
                checked += 1
        for r in root.iter(w("r")):
            assert len(r.findall(w("rPr"))) <= 1
            assert list(r)[0].tag == w("rPr") if r.find(w("rPr")) is not None else True
    assert checked > 50


def test_template_leftovers_are_gone(built):
    with zipfile.ZipFile(built) as zf:
        names = set(zf.namelist())
        types = zf.read("[Content_Types].xml").decode()
    assert not any("thumbnail" in n or "stylesWithEffects" in n or n.startswith("customXml/") for n in names)
    assert "stylesWithEffects" not in types
    font_table = part(built, "word/fontTable.xml")
    fonts = {f.get(w("name")): f for f in font_table.findall(w("font"))}
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体", TNR} <= set(fonts)
    assert attr(fonts["仿宋_GB2312"], "w:altName", "val") == "仿宋"
    assert attr(fonts["仿宋_GB2312"], "w:charset", "val") == "86"
    settings = part(built, "word/settings.xml")
    assert attr(settings, "w:themeFontLang", "eastAsia") == "zh-CN"


# ---------------------------------------------------------------- properties


def test_core_properties_mark_a_draft(built):
    cp = docx.Document(str(built)).core_properties
    assert cp.title == TITLE
    assert cp.subject == "2025年度述职评议会讲话稿（草稿）"
    assert cp.keywords == "述职评议; 基层党建"
    assert cp.category == "草稿" and cp.content_status == "草稿"
    assert "草稿" in cp.comments and "2 处【待补充】" in cp.comments and __version__ in cp.comments
    assert cp.author == "draftgen" and cp.language == "zh-CN"


def test_custom_properties_part_is_wired_and_complete(built):
    with zipfile.ZipFile(built) as zf:
        types = etree.fromstring(zf.read("[Content_Types].xml"))
        rels = etree.fromstring(zf.read("_rels/.rels"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.get("PartName")}
    assert overrides["/docProps/custom.xml"] == "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    rel = [r for r in rels if r.get("Target").endswith("docProps/custom.xml")]
    assert len(rel) == 1
    assert rel[0].get("Type") == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
    props = read_custom_properties(built)
    assert props["draftgen.version"] == __version__
    assert props["draftgen.seed"] == "20260120"
    assert props["draftgen.brief_sha256"] == "9f2c1e0b7a"
    assert props["draftgen.entry_ids.1"] == "ach-h-zhengzhi-01 pro-h-zuzhi-02"
    assert props["draftgen.entry_count"] == "2"
    root = part(built, "docProps/custom.xml")
    pids = [int(p.get("pid")) for p in root]
    assert pids == list(range(2, 2 + len(pids)))
    assert all(p.get("fmtid") == "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" for p in root)


def test_long_entry_id_lists_are_split_under_word_limit(tmp_path):
    ids = tuple(f"ach-h-topic-{i:03d}" for i in range(80))
    path = tmp_path / "long.docx"
    write_docx(make_draft(1, entry_ids=ids), path)
    props = read_custom_properties(path)
    chunks = [v for k, v in sorted(props.items(), key=lambda kv: kv[0]) if k.startswith("draftgen.entry_ids.")]
    assert len(chunks) > 1 and all(len(c) <= 255 for c in chunks)
    keys = sorted((k for k in props if k.startswith("draftgen.entry_ids.")), key=lambda k: int(k.rsplit(".", 1)[1]))
    assert " ".join(props[k] for k in keys).split() == list(ids)


# ---------------------------------------------------------------- options


def test_font_overrides_reach_defaults_styles_runs_and_font_table(tmp_path):
    path = tmp_path / "fonts.docx"
    write_docx(make_draft(1), path, DocxOptions(fonts={"body": "仿宋", "heading2": "楷体", "page_number": "SimSun"}))
    styles = part(path, "word/styles.xml")
    assert attr(styles, "w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", "eastAsia") == "仿宋"
    assert attr(style(styles, "Normal"), "w:rPr/w:rFonts", "eastAsia") == "仿宋"
    assert attr(style(styles, "Heading2"), "w:rPr/w:rFonts", "eastAsia") == "楷体"
    assert attr(style(styles, "Heading1"), "w:rPr/w:rFonts", "eastAsia") == "黑体"  # untouched
    for p in body_paragraphs(path):
        if attr(p, "w:pPr/w:pStyle", "val") == "Normal":
            assert {r.get(w("eastAsia")) for r in p.iter(w("rFonts"))} == {"仿宋"}
    with zipfile.ZipFile(path) as zf:
        footers = [n for n in zf.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
    assert len(footers) == 2
    for name in footers:
        assert {f.get(w("eastAsia")) for f in part(path, name).iter(w("rFonts"))} == {"SimSun"}
    assert "仿宋" in {f.get(w("name")) for f in part(path, "word/fontTable.xml").findall(w("font"))}


@pytest.mark.parametrize("fonts, message", [({"bodyy": "仿宋"}, "未知的字体角色“bodyy”"),
                                            ({"title": "  "}, "docx.fonts.title：字体名称不能为空")])
def test_bad_font_options_are_input_errors(tmp_path, fonts, message):
    with pytest.raises(InputError, match=message):
        write_docx(make_draft(1), tmp_path / "x.docx", DocxOptions(fonts=fonts))
    assert not (tmp_path / "x.docx").exists()


def make_reference(tmp_path: Path) -> Path:
    """A reference document as a user would make it: our output with Heading 1 restyled."""
    source = tmp_path / "source.docx"
    write_docx(make_draft(1), source)
    doc = docx.Document(str(source))
    h1 = doc.styles["Heading 1"].element
    h1.find(f"{w('rPr')}/{w('rFonts')}").set(w("eastAsia"), "华文中宋")
    h1.find(f"{w('rPr')}/{w('sz')}").set(w("val"), "36")
    doc.styles.element.remove(doc.styles["Closing"].element)  # a reference may lack some of our styles
    ref_dir = tmp_path / "org"
    ref_dir.mkdir()
    saved = tmp_path / "saved.docx"
    doc.save(str(saved))
    with zipfile.ZipFile(saved) as zin, zipfile.ZipFile(ref_dir / "模板.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/theme/theme1.xml":
                data = data.replace(b'name="Office Theme"', 'name="参考主题"'.encode())
            zout.writestr(item, data)
    return ref_dir


def test_reference_document_styles_replace_ours(tmp_path):
    base = make_reference(tmp_path)
    path = tmp_path / "out.docx"
    write_docx(make_draft(1), path, DocxOptions(reference="模板.docx"), base_dir=base)
    styles = part(path, "word/styles.xml")
    h1 = style(styles, "Heading1")
    assert attr(h1, "w:rPr/w:rFonts", "eastAsia") == "华文中宋"
    assert attr(h1, "w:rPr/w:sz", "val") == "36"
    assert attr(style(styles, "Closing"), "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"  # filled in from ours
    # The reference decides: runs carry no direct fonts that would override its styles.
    for p in body_paragraphs(path):
        for f in p.iter(w("rFonts")):
            assert f.get(w("eastAsia")) is None and f.get(w("ascii")) is None
    assert [s for s, _ in read_docx_text(path)][:5] == ["Title", "Subtitle", "Salutation", "Normal", "Heading 1"]
    with zipfile.ZipFile(path) as zf:
        assert "参考主题" in zf.read("word/theme/theme1.xml").decode()  # the reference's theme came along
    # Page set-up still follows GB/T 9704.
    assert attr(part(path, "word/document.xml"), "//w:sectPr/w:docGrid", "linePitch") == "579"


def test_reference_plus_font_override(tmp_path):
    base = make_reference(tmp_path)
    path = tmp_path / "out.docx"
    write_docx(make_draft(1), path, DocxOptions(reference="模板.docx", fonts={"heading1": "黑体"}), base_dir=base)
    assert attr(style(part(path, "word/styles.xml"), "Heading1"), "w:rPr/w:rFonts", "eastAsia") == "黑体"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("缺失.docx", None, "docx.reference：找不到参考文档“缺失.docx”"),
        ("模板.doc", b"old word", "参考文档应为 .docx 文件"),
        ("坏的.docx", b"not a zip", "不是有效的 .docx 文件"),
    ],
)
def test_bad_reference_is_input_error(tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(InputError, match=message):
        write_docx(make_draft(1), tmp_path / "out.docx", DocxOptions(reference=name), base_dir=tmp_path)


def test_reference_that_is_a_zip_but_not_word(tmp_path):
    with zipfile.ZipFile(tmp_path / "假的.docx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="docx.reference：无法读取参考文档"):
        write_docx(make_draft(1), tmp_path / "out.docx", DocxOptions(reference="假的.docx"), base_dir=tmp_path)


def test_reading_profile(tmp_path):
    path = tmp_path / "reading.docx"
    write_docx(make_draft(1), path, DocxOptions(profile="reading"))
    r = layout.READING
    styles = part(path, "word/styles.xml")
    normal = style(styles, "Normal")
    assert attr(normal, "w:rPr/w:sz", "val") == str(int(r.body_pt * 2))
    assert attr(normal, "w:pPr/w:spacing", "line") == str(r.line_pitch_twips)
    assert attr(normal, "w:pPr/w:ind", "firstLine") == str(int(r.body_pt * 40))
    assert attr(style(styles, "Heading1"), "w:rPr/w:sz", "val") == str(int(r.heading1_pt * 2))
    assert attr(part(path, "word/document.xml"), "//w:sectPr/w:docGrid", "linePitch") == str(r.line_pitch_twips)
    assert attr(body_paragraphs(path)[1], "w:pPr/w:spacing", "after") == str(r.line_pitch_twips)


def test_unwritable_target_is_a_draftgen_error(tmp_path):
    with pytest.raises(DraftgenError, match="无法写入"):
        write_docx(make_draft(1), tmp_path / "不存在的目录" / "x.docx")


# ---------------------------------------------------------------- convert_to_pdf without a real LibreOffice


def test_missing_libreoffice_is_an_input_error(tmp_path, monkeypatch, built):
    monkeypatch.setattr("generator.docx_export.find_soffice", lambda: None)
    with pytest.raises(InputError, match=r"未找到 LibreOffice（soffice）.*请安装 libreoffice-writer 或改用 --format docx"):
        convert_to_pdf(built, tmp_path / "x.pdf")


def test_failed_conversion_is_a_draftgen_error(tmp_path, monkeypatch, built):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr("generator.docx_export.find_soffice", lambda: str(fake))
    with pytest.raises(DraftgenError, match="LibreOffice 未能把“draft.docx”转换为 PDF.*could not be loaded"):
        convert_to_pdf(built, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- LibreOffice: the page as printed

needs_lo = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice（soffice）或 poppler-utils（pdftotext）未安装：跳过 PDF 版面测量",
)
PT_PER_MM = 72 / 25.4


def _pdf_lines(pdf: Path) -> list[list[dict]]:
    """Per page, every text line with its box (pt, origin top left) and text, from pdftotext -bbox-layout."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        lines = []
        for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                             page, re.S):
            words = re.findall(r">([^<]*)</word>", m.group(5))
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            lines.append({"x0": x0, "y0": y0, "x1": x1, "y1": y1, "text": "".join(words)})
        pages.append(lines)
    return pages


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> dict:
    """One conversion of a multi-page draft (≈1–2 s), shared by the layout tests below."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice（soffice）或 poppler-utils（pdftotext）未安装：跳过 PDF 版面测量")
    work = tmp_path_factory.mktemp("pdf")
    draft = make_draft(4)
    write_docx(draft, work / "draft.docx")
    convert_to_pdf(work / "draft.docx", work / "draft.pdf")
    return {"path": work / "draft.pdf", "pages": _pdf_lines(work / "draft.pdf"), "draft": draft}


def _body_top_bottom():
    top = STANDARD.margin_top_mm * PT_PER_MM
    bottom = (STANDARD.page_height_mm - STANDARD.margin_bottom_mm) * PT_PER_MM
    return top, bottom


@needs_lo
def test_pdf_is_a4_and_multi_page(pdf):
    info = subprocess.run(["pdfinfo", str(pdf["path"])], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert float(size.group(1)) == pytest.approx(595.3, abs=1) and float(size.group(2)) == pytest.approx(841.9, abs=1)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3


@needs_lo
def test_pdf_shows_title_headings_and_every_character(pdf):
    top, bottom = _body_top_bottom()
    text = "".join(l["text"] for page in pdf["pages"] for l in page if top - 10 < l["y0"] < bottom)
    assert TITLE in text
    for _, heading in HEADINGS:
        assert heading in text
    # Nothing dropped (LibreOffice once swallowed line-end punctuation): the body, character for character.
    expected = "".join(re.sub(r"\s", "", b.text) for b in pdf["draft"].blocks)
    assert re.sub(r"\s", "", text) == expected


@needs_lo
def test_pdf_full_page_has_22_lines_of_28_characters(pdf):
    top, bottom = _body_top_bottom()
    page = [l for l in pdf["pages"][1] if top - 10 < l["y0"] < bottom]
    assert abs(len(page) - 22) <= 1
    pitches = [b["y0"] - a["y0"] for a, b in zip(page, page[1:])]
    assert all(p == pytest.approx(579 / 20, abs=0.3) for p in pitches)
    # Lines that run from margin to margin hold 28 characters; 27 where 避头 moves “位、” down together.
    left = STANDARD.margin_left_mm * PT_PER_MM
    right = (STANDARD.page_width_mm - STANDARD.margin_right_mm) * PT_PER_MM
    full = [len(l["text"]) for l in page if abs(l["x0"] - left) < 2 and abs(l["x1"] - right) < 3]
    assert len(full) >= 10
    assert max(full) == 28 and full.count(28) > len(full) / 2 and min(full) >= 27
    # Paragraph first lines are indented two characters.
    indented = [l for l in page if l["x0"] > left + 20]
    assert all(l["x0"] - left == pytest.approx(32, abs=1.5) for l in indented)


@needs_lo
def test_pdf_page_numbers_odd_right_even_left_7mm_below(pdf):
    _, bottom = _body_top_bottom()
    left = STANDARD.margin_left_mm * PT_PER_MM
    right = (STANDARD.page_width_mm - STANDARD.margin_right_mm) * PT_PER_MM
    for index, expected in ((0, "—1—"), (1, "—2—")):
        footer = [l for l in pdf["pages"][index] if l["y0"] > bottom]
        assert [re.sub(r"\s", "", l["text"]) for l in footer] == [expected]
        box = footer[0]
        if index == 0:
            assert right - box["x1"] == pytest.approx(14, abs=2)  # right, 空一字
        else:
            assert box["x0"] - left == pytest.approx(14, abs=2)  # left, 空一字
        below_mm = ((box["y0"] + box["y1"]) / 2 - bottom) / PT_PER_MM
        assert below_mm == pytest.approx(7, abs=1.5)


# ---------------------------------------------------------------- Word 365, properties, fallbacks


def test_settings_declare_word_2013_and_later_layout(built):
    settings = part(built, "word/settings.xml")
    modes = settings.xpath("w:compat/w:compatSetting[@w:name='compatibilityMode']", namespaces=NS)
    assert [m.get(w("val")) for m in modes] == ["15"]


def test_app_properties_carry_nothing_false(built):
    root = part(built, "docProps/app.xml")
    fields = {etree.QName(el).localname: el.text for el in root}
    assert fields["Application"] == f"draftgen {__version__}"
    assert "Pages" not in fields and "Words" not in fields and "Lines" not in fields  # the office suite counts
    assert "AppVersion" not in fields and "Template" not in fields
    draft = make_draft()
    assert int(fields["Paragraphs"]) == len(draft.blocks)
    assert int(fields["Characters"]) == sum(len(re.sub(r"\s", "", b.text)) for b in draft.blocks)
    assert "Macintosh" not in etree.tostring(root, encoding="unicode")


def test_every_chinese_face_has_a_windows_fallback(tmp_path):
    path = tmp_path / "fonts.docx"
    write_docx(make_draft(1), path, DocxOptions(fonts={"title": "方正小标宋_GBK", "heading1": "微软雅黑"}))
    table = {f.get(w("name")): f for f in part(path, "word/fontTable.xml").findall(w("font"))}
    alt = {name: attr(f, "w:altName", "val") for name, f in table.items() if name not in (TNR, "Symbol")}
    assert alt == {"仿宋_GB2312": "仿宋", "方正小标宋_GBK": "宋体", "微软雅黑": "黑体", "楷体_GB2312": "楷体",
                   "宋体": "SimSun"}
    assert layout.font_alt_name("方正小标宋简体") == "宋体" and layout.font_alt_name("某某体") == "宋体"


def test_closing_keeps_with_the_last_paragraph(tmp_path):
    path = tmp_path / "closing.docx"
    draft = make_draft(1)
    draft = Draft(**{**draft.__dict__, "blocks": draft.blocks + (Block("closing", "谢谢大家！"),)})
    write_docx(draft, path)
    paras = body_paragraphs(path)
    last_body, closing, thanks = paras[-3], paras[-2], paras[-1]
    for p in (last_body, closing):
        assert p.xpath("w:pPr/w:keepNext", namespaces=NS)
    for p in (last_body, closing, thanks):
        assert attr(p, "w:pPr/w:widowControl", "val") is None  # on (Normal has it off for the 22-line grid)
    assert not thanks.xpath("w:pPr/w:keepNext", namespaces=NS)
    assert not paras[-4].xpath("w:pPr/w:keepNext|w:pPr/w:widowControl", namespaces=NS)


# ---------------------------------------------------------------- stand-in fonts for the PDF (no LibreOffice)


def test_stand_ins_keep_the_roles_apart_with_noto_only():
    from generator.docx_export import stand_in_plan

    noto = {"noto serif cjk sc", "noto sans cjk sc", "dejavu serif"}
    plan = stand_in_plan(["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"], noto)
    assert plan == {"方正小标宋简体": ("Noto Serif CJK SC", True), "仿宋_GB2312": ("Noto Serif CJK SC", False),
                    "黑体": ("Noto Sans CJK SC", True), "楷体_GB2312": ("Noto Sans CJK SC", False),
                    "宋体": ("Noto Serif CJK SC", False)}
    assert len({plan[f] for f in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312")}) == 4
    # Installed faces are left alone; a real 楷体 stand-in is preferred to a sans.
    plan = stand_in_plan(["仿宋_GB2312", "楷体_GB2312"], noto | {"仿宋_gb2312", "ar pl ukai cn"})
    assert plan == {"楷体_GB2312": ("AR PL UKai CN", False)}
    assert stand_in_plan(["仿宋_GB2312"], None) == {}  # no fontconfig: LibreOffice's own choice


def test_font_replacement_table_is_registry_xml():
    from generator.docx_export import font_replacement_xcu

    root = etree.fromstring(font_replacement_xcu({"仿宋_GB2312": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}).encode())
    pairs = root.xpath("//node")
    assert len(pairs) == 2
    props = {p.get("{http://openoffice.org/2001/registry}name"): p.findtext("value") for p in pairs[0]}
    assert props == {"Always": "true", "OnScreenOnly": "false", "ReplaceFont": "仿宋_GB2312",
                     "SubstituteFont": "Noto Serif CJK SC"}
    assert root.xpath("//item[1]/prop/value")[0].text == "true"  # the table is switched on


def test_missing_fonts_are_reported_once(capsys, monkeypatch):
    from generator import docx_export as dx

    monkeypatch.setattr(dx, "_warned_fonts", set())
    plan = {"方正小标宋简体": ("Noto Serif CJK SC", True)}
    dx._warn_missing_fonts(plan)
    dx._warn_missing_fonts(plan)
    err = capsys.readouterr().err
    assert err.count("提示：本机没有安装 方正小标宋简体") == 1
    assert "Noto Serif CJK SC（加粗）" in err and "Word 或 WPS" in err


# ---------------------------------------------------------------- reference mode: template's page, our roles


def make_reference_with_page(tmp_path: Path) -> Path:
    """A template with its own margins, a left-aligned italic Subtitle and a 小三 footer style."""
    base = make_reference(tmp_path)
    ref = base / "模板.docx"
    doc = docx.Document(str(ref))
    section = doc.sections[0]
    section.left_margin = section.right_margin = docx.shared.Mm(20)
    section.top_margin = docx.shared.Mm(30)
    sub = doc.styles["Subtitle"].element
    sub.find(f"{w('pPr')}/{w('jc')}").set(w("val"), "left")
    _put_italic = etree.SubElement(sub.find(w("rPr")), w("i"))
    sub.find(w("rPr")).remove(_put_italic)
    sub.find(w("rPr")).insert(1, _put_italic)
    doc.styles["Footer"].element.find(f"{w('rPr')}/{w('sz')}").set(w("val"), "30")
    doc.save(str(ref))
    return base


def test_reference_keeps_its_page_setup_and_our_roles(tmp_path):
    base = make_reference_with_page(tmp_path)
    path = tmp_path / "out.docx"
    write_docx(make_draft(1), path, DocxOptions(reference="模板.docx"), base_dir=base)
    sect = part(path, "word/document.xml").xpath("//w:body/w:sectPr", namespaces=NS)[0]
    assert attr(sect, "w:pgMar", "left") == attr(sect, "w:pgMar", "right") == str(layout.mm_to_twips(20))
    assert attr(sect, "w:pgMar", "top") == str(layout.mm_to_twips(30))
    paras = body_paragraphs(path)
    for p in paras[:2]:  # title and speaker/date: centred and upright whatever the template says
        assert attr(p, "w:pPr/w:jc", "val") == "center"
        assert all(r.xpath("w:rPr/w:i/@w:val", namespaces=NS) == ["0"] for r in p.findall(w("r")))
    with zipfile.ZipFile(path) as zf:
        footers = [n for n in zf.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
    for name in footers:
        assert {s.get(w("val")) for s in part(path, name).iter(w("sz"))} == {"28"}  # 4号, not the template's 15 pt


# ---------------------------------------------------------------- pagination model (pure)


def widow_draft() -> Draft:
    """Page 1: one title line, two meta lines and a blank line, then 18 body lines: the salutation, three
    4-line paragraphs and a 2-line one use 15, so the next 4-line paragraph leaves its last line to page 2."""
    four = ("基层党建工作要抓实抓细" * 10)[:109] + "。"  # 2 + 110 = 4 × 28: exactly four lines
    two = ("党员教育管理要常抓不懈" * 4)[:39] + "。"
    blocks = [Block("title", "在全校党建工作会议上的讲话"), Block("meta", "王明\n（2026年1月20日）"),
              Block("salutation", "同志们：")]
    blocks += [Block("paragraph", four) for _ in range(3)] + [Block("paragraph", two)]
    blocks += [Block("paragraph", four) for _ in range(4)]
    return Draft(kind="review", title=blocks[0].text, blocks=tuple(blocks))


def test_body_lines_follow_the_grid():
    assert layout.body_lines("基" * 26) == ["基" * 26]
    assert layout.body_lines("基" * 27) == ["基" * 26, "基"]
    # 避头: a full stop never starts a line; the character before it comes down with it.
    assert layout.body_lines("基" * 25 + "层。") == ["基" * 25, "层。"]
    assert len(layout.body_lines(("基层党建工作要抓实抓细" * 10)[:109] + "。")) == 4


def test_widow_control_only_where_a_last_line_would_stand_alone(tmp_path):
    draft = widow_draft()
    blocks = draft.blocks
    pages = layout.paginate(blocks)
    assert [len(p) for p in pages] == [1, 2, 1, 4, 4, 4, 2, 4, 4, 4, 4]
    assert pages[7] == [0, 0, 0, 1]  # three lines fill page 1, the last stands alone atop page 2
    assert layout.widow_blocks(pages, blocks) == [7]
    chosen = layout.plan_widow_control(blocks)
    assert chosen == {7}
    fixed = layout.paginate(blocks, widow_control=chosen)
    assert fixed[7] == [0, 0, 1, 1] and layout.widow_blocks(fixed, blocks) == []
    path = tmp_path / "w.docx"
    write_docx(draft, path)
    flagged = [i for i, p in enumerate(body_paragraphs(path)) if p.xpath("w:pPr/w:widowControl", namespaces=NS)]
    assert flagged == [7]  # nowhere else: every other page keeps its 22 lines


def test_the_package_writer_gives_zipfiles_own_bytes(built, monkeypatch):
    """_write_zip deflates shared members once per process; the archive stays what zipfile.writestr makes
    (headers, times, modes, order), for non-ASCII names and empty members too, whether reused or not."""
    import io
    import time

    with zipfile.ZipFile(built) as zf:
        members = [(n, zf.read(n)) for n in zf.namelist()] + [("word/名字.xml", b"<x/>"), ("empty.xml", b"")]
    monkeypatch.setattr(time, "time", lambda: 1767225601.0)
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    names = frozenset(n for n, _ in members)
    ours = []
    for reuse in (names, names, frozenset()):
        buffer = io.BytesIO()
        _write_zip(buffer, members, reuse=reuse)
        ours.append(buffer.getvalue())
    assert ours[0] == ours[1] == ours[2] == plain.getvalue()
    with zipfile.ZipFile(io.BytesIO(ours[1])) as zf:
        assert zf.testzip() is None and zf.read("word/名字.xml") == b"<x/>"
