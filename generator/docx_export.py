"""Word (.docx) output laid out as a 公文 page (GB/T 9704-2012), and PDF conversion through LibreOffice.

Every number comes from ``layout``. python-docx's default template is American (Calibri via theme fonts, blue
headings, 10 pt after paragraphs, a bundled thumbnail); this module rebuilds the styles part from scratch so
no theme font or theme colour can win over the Chinese fonts Word and WPS must use.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable, Mapping, Optional

from lxml import etree

from . import __version__, layout
from .errors import DraftgenError, InputError
from .models import DocxOptions, Draft

GAP_RE = re.compile(r"【待补充：[^】]*】")

# Block role → (paragraph style id, font role). Built-in Word style names, so Word shows them localised
# (标题, 副标题, 标题 1, 标题 2, 称呼, 结束语, 正文) and the navigation pane shows the outline.
ROLE_STYLES: Mapping[str, tuple[str, str]] = {
    "title": ("Title", "title"),
    "meta": ("Subtitle", "meta"),
    "salutation": ("Salutation", "body"),
    "heading1": ("Heading1", "heading1"),
    "heading2": ("Heading2", "heading2"),
    "paragraph": ("Normal", "body"),
    "closing": ("Closing", "body"),
    "cue": ("Cue", "meta"),  # a 主持词 stage direction, set in 楷体 so the host sees it is not to be read out
}

# ECMA-376 Part 1 sequence orders (§17.3.1.26 pPr, §17.3.2.28 rPr, §17.6.17 sectPr, §17.7.4.17 style).
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
SECTPR_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
    "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)
STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr",
    "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
)

CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PROPS_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # FMTID_UserDefinedProperties
CUSTOM_VALUE_MAX = 255  # Word truncates longer text properties, so long lists are split
DRAFT_STATUS = "草稿"

COMPATIBILITY_MODE = 15
EXTENDED_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


# ---------------------------------------------------------------- small XML helpers

# The namespaces this module writes, with python-docx's prefixes. Elements are made with lxml alone, as
# python-docx's OxmlElement makes them (each with its own prefix declared), so the two serialise alike and a
# build of the standard layout needs no python-docx at all.
_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def qn(tag: str) -> str:
    """w:p → {http://…/main}p"""
    prefix, local = tag.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def escape(text: str, entities: Optional[Mapping[str, str]] = None) -> str:
    """&, < and > (and ``entities``) as XML writes them in text."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for char, entity in (entities or {}).items():
        text = text.replace(char, entity)
    return text


def _el(tag: str, attrs: Optional[Mapping[str, object]] = None, *children):
    prefix = tag.split(":")[0]
    el = etree.Element(qn(tag), nsmap={prefix: _NS[prefix]})
    for key, value in (attrs or {}).items():
        el.set(qn(key), str(value))
    for child in children:
        if child is not None:
            el.append(child)
    return el


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _put(parent, child, order: tuple[str, ...]):
    """Insert ``child`` where the schema sequence wants it, replacing a child of the same name."""
    name = _local(child)
    rank = order.index(name)
    for existing in list(parent):
        if _local(existing) == name:
            parent.replace(existing, child)
            return child
    for existing in parent:
        local = _local(existing)
        if local in order and order.index(local) > rank:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def _rfonts(east_asia: str, latin: str = layout.LATIN_FONT, hint: bool = False):
    attrs = {"w:ascii": latin, "w:hAnsi": latin, "w:eastAsia": east_asia, "w:cs": latin}
    if hint:
        # “” ‘’ — … are shared by Latin and CJK fonts; the hint makes Word draw them full-width in Chinese.
        attrs["w:hint"] = "eastAsia"
    return _el("w:rFonts", attrs)


def _lang():
    return _el("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"})


def _size(pt: float):
    hp = layout.Profile.half_points(pt)
    return _el("w:sz", {"w:val": hp}), _el("w:szCs", {"w:val": hp})


def _style_rpr(east_asia: str, pt: float, *, latin: str = layout.LATIN_FONT, bold_off: bool = False,
               spacing: Optional[int] = None):
    sz, sz_cs = _size(pt)
    bold = (_el("w:b", {"w:val": "0"}), _el("w:bCs", {"w:val": "0"})) if bold_off else ()
    char_spacing = _el("w:spacing", {"w:val": spacing}) if spacing is not None else None
    return _el("w:rPr", None, _rfonts(east_asia, latin), *bold, _el("w:color", {"w:val": layout.TEXT_COLOR}),
               char_spacing, sz, sz_cs, _lang())


def _spacing(before: int = 0, after: int = 0, line: Optional[int] = None, rule: str = "exact"):
    attrs: dict[str, object] = {"w:before": before, "w:after": after}
    if line is not None:
        attrs.update({"w:line": line, "w:lineRule": rule})
    return _el("w:spacing", attrs)


def _ind(profile: layout.Profile, indent_first: bool, **extra):
    if indent_first:
        # w:firstLineChars for Word/WPS (follows the character grid), w:firstLine for everything else.
        attrs = {"w:firstLineChars": profile.first_line_indent_chars * 100,
                 "w:firstLine": profile.first_line_indent_twips}
    else:
        attrs = {"w:firstLineChars": 0, "w:firstLine": 0}
    attrs.update(extra)
    return _el("w:ind", attrs)


# ---------------------------------------------------------------- styles


def _style(sid: str, name: str, *, kind: str = "paragraph", based_on: Optional[str] = None,
           next_id: Optional[str] = None, ui_priority: Optional[int] = None, qformat: bool = False,
           default: bool = False, semi_hidden: bool = False, ppr=None, rpr=None, extra=()):
    attrs = {"w:type": kind, "w:styleId": sid}
    if default:
        attrs["w:default"] = "1"
    children = [_el("w:name", {"w:val": name})]
    if based_on:
        children.append(_el("w:basedOn", {"w:val": based_on}))
    if next_id:
        children.append(_el("w:next", {"w:val": next_id}))
    if ui_priority is not None:
        children.append(_el("w:uiPriority", {"w:val": ui_priority}))
    if semi_hidden:
        children += [_el("w:semiHidden"), _el("w:unhideWhenUsed")]
    if qformat:
        children.append(_el("w:qFormat"))
    return _el("w:style", attrs, *children, ppr, rpr, *extra)


def _paragraph_styles(profile: layout.Profile) -> list:
    pitch = profile.line_pitch_twips
    f = profile.fonts

    def ppr(*, indent_first: bool, jc: str, keep: bool = False, outline: Optional[int] = None, after: int = 0,
            widow_off: bool = False, off_grid: bool = False):
        children = []
        if keep:
            children += [_el("w:keepNext"), _el("w:keepLines")]
        if widow_off:
            # 孤行控制 off: every full page holds exactly the grid's 22 lines, as 公文 templates do.
            children.append(_el("w:widowControl", {"w:val": "0"}))
        if widow_off:
            # Word's default, written out because LibreOffice reads the flag inverted: “1” stops it hanging
            # line-end punctuation, which it then drops from justified lines (a 、 vanished from the PDF).
            children.append(_el("w:overflowPunct", {"w:val": "1"}))
        if off_grid:
            # Type larger than a grid line: without this LibreOffice gives each title line two grid lines.
            children.append(_el("w:snapToGrid", {"w:val": "0"}))
        children += [_spacing(0, after, pitch), _ind(profile, indent_first), _el("w:jc", {"w:val": jc})]
        if outline is not None:
            children.append(_el("w:outlineLvl", {"w:val": outline}))
        return _el("w:pPr", None, *children)

    footer_ppr = _el("w:pPr", None, _el("w:snapToGrid", {"w:val": "0"}),
                     _spacing(0, 0, profile.footer_line_twips), _ind(profile, False),
                     _el("w:jc", {"w:val": "center"}))
    header_ppr = copy.deepcopy(footer_ppr)
    return [
        _style("Normal", "Normal", default=True, qformat=True,
               ppr=ppr(indent_first=True, jc="both", widow_off=True),
               rpr=_style_rpr(f["body"], profile.body_pt, spacing=profile.char_spacing_twips)),
        _style("Title", "Title", based_on="Normal", next_id="Normal", ui_priority=10, qformat=True,
               ppr=ppr(indent_first=False, jc="center", keep=True, off_grid=True),
               rpr=_style_rpr(f["title"], profile.title_pt, bold_off=True, spacing=0)),
        _style("Subtitle", "Subtitle", based_on="Normal", next_id="Normal", ui_priority=11, qformat=True,
               ppr=ppr(indent_first=False, jc="center", keep=True), rpr=_style_rpr(f["meta"], profile.meta_pt)),
        _style("Heading1", "heading 1", based_on="Normal", next_id="Normal", ui_priority=9, qformat=True,
               ppr=ppr(indent_first=True, jc="both", keep=True, outline=0),
               rpr=_style_rpr(f["heading1"], profile.heading1_pt, bold_off=True)),
        _style("Heading2", "heading 2", based_on="Normal", next_id="Normal", ui_priority=9, qformat=True,
               ppr=ppr(indent_first=True, jc="both", keep=True, outline=1),
               rpr=_style_rpr(f["heading2"], profile.heading2_pt, bold_off=True)),
        _style("Salutation", "Salutation", based_on="Normal", next_id="Normal", ui_priority=99,
               ppr=ppr(indent_first=False, jc="left", keep=True), rpr=_style_rpr(f["body"], profile.body_pt)),
        _style("Closing", "Closing", based_on="Normal", ui_priority=99,
               ppr=ppr(indent_first=True, jc="both"), rpr=_style_rpr(f["body"], profile.body_pt)),
        _style("Cue", "Cue", based_on="Normal", next_id="Normal", ui_priority=99,
               ppr=ppr(indent_first=True, jc="both"), rpr=_style_rpr(f["meta"], profile.body_pt)),
        _style("Header", "header", based_on="Normal", ui_priority=99, semi_hidden=True, ppr=header_ppr,
               rpr=_style_rpr(f["body"], layout.HAO_PT["五号"], spacing=0)),
        _style("Footer", "footer", based_on="Normal", ui_priority=99, semi_hidden=True, ppr=footer_ppr,
               rpr=_style_rpr(f["page_number"], profile.page_number_pt, latin=f["page_number"], spacing=0)),
    ]


def _base_styles() -> list:
    table_pr = _el("w:tblPr", None, _el("w:tblInd", {"w:w": 0, "w:type": "dxa"}),
                   _el("w:tblCellMar", None, _el("w:top", {"w:w": 0, "w:type": "dxa"}),
                       _el("w:left", {"w:w": 108, "w:type": "dxa"}), _el("w:bottom", {"w:w": 0, "w:type": "dxa"}),
                       _el("w:right", {"w:w": 108, "w:type": "dxa"})))
    return [
        _style("DefaultParagraphFont", "Default Paragraph Font", kind="character", default=True, ui_priority=1,
               semi_hidden=True),
        _style("TableNormal", "Normal Table", kind="table", default=True, ui_priority=99, semi_hidden=True,
               extra=(table_pr,)),
        _style("NoList", "No List", kind="numbering", default=True, ui_priority=99, semi_hidden=True),
    ]


def _doc_defaults(profile: layout.Profile):
    sz, sz_cs = _size(profile.body_pt)
    rpr = _el("w:rPr", None, _rfonts(profile.fonts["body"]), _el("w:color", {"w:val": layout.TEXT_COLOR}),
              sz, sz_cs, _lang())
    ppr = _el("w:pPr", None, _spacing(0, 0))
    return _el("w:docDefaults", None, _el("w:rPrDefault", None, rpr), _el("w:pPrDefault", None, ppr))


def _install_styles(doc, profile: layout.Profile) -> None:
    """Replace the template's 160-odd themed styles with the few this document uses."""
    root = doc.styles.element
    latent = root.find(qn("w:latentStyles"))
    for child in list(root):
        root.remove(child)
    root.append(_doc_defaults(profile))
    if latent is not None:
        root.append(latent)
    for style in _base_styles() + _paragraph_styles(profile):
        root.append(style)


def _find_style(root, sid: str):
    for st in root.findall(qn("w:style")):
        if st.get(qn("w:styleId")) == sid:
            return st
    return None


def _apply_reference(doc, ref_path: Path, profile: layout.Profile, font_overrides: Mapping[str, str]) -> None:
    """pandoc's reference-doc behaviour: the reference's styles part replaces ours; styles it lacks are ours."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        ref = docx.Document(str(ref_path))
    except Exception as e:  # python-docx raises several unrelated types for a bad package
        raise InputError(f"docx.reference：无法读取参考文档“{ref_path}”：不是有效的 .docx 文件（{e}）") from e
    if not any(rel.reltype == RT.STYLES for rel in ref.part.rels.values()):
        raise InputError(f"docx.reference：参考文档“{ref_path}”中没有样式（word/styles.xml），请换一个用 Word 或 WPS 保存的 .docx")
    ours = {st.get(qn("w:styleId")): st for st in _base_styles() + _paragraph_styles(profile)}
    styles_part = doc.part._styles_part
    styles_part._element = copy.deepcopy(ref.styles.element)
    root = styles_part.element
    for sid, st in ours.items():
        if _find_style(root, sid) is None:
            root.append(st)
    # Styles of a Word-made reference often name theme fonts, so its theme comes along as well.
    ref_theme = _related(ref.part, RT.THEME)
    our_theme = _related(doc.part, RT.THEME)
    if ref_theme is not None and our_theme is not None:
        our_theme._blob = ref_theme.blob
    # Explicit per-role fonts still win over the reference.
    for role, font in font_overrides.items():
        for sid in _ROLE_STYLE_IDS.get(role, ()):
            st = _find_style(root, sid)
            if st is not None:
                _set_east_asia(st, font, latin=font if role == "page_number" else None)
        if role == "body":
            rpr_default = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
            if rpr_default is not None:
                _set_east_asia(rpr_default, font)


_ROLE_STYLE_IDS: Mapping[str, tuple[str, ...]] = {
    "body": ("Normal", "Salutation", "Closing"),
    "title": ("Title",),
    "meta": ("Subtitle", "Cue"),
    "heading1": ("Heading1",),
    "heading2": ("Heading2",),
    "page_number": ("Footer",),
}


def _related(part, reltype: str):
    return next((rel.target_part for rel in part.rels.values() if rel.reltype == reltype and not rel.is_external),
                None)


def _set_east_asia(container, font: str, latin: Optional[str] = None) -> None:
    """Set a style's (or rPrDefault's) East Asian font, dropping the theme attribute that would win over it."""
    rpr = container.find(qn("w:rPr"))
    if rpr is None:
        rpr = _el("w:rPr")
        if _local(container) == "style":
            _put(container, rpr, STYLE_ORDER)
        else:
            container.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _put(rpr, _el("w:rFonts"), RPR_ORDER)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    fonts.set(qn("w:eastAsia"), font)
    if latin:
        for attr in ("w:asciiTheme", "w:hAnsiTheme"):
            fonts.attrib.pop(qn(attr), None)
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)


# ---------------------------------------------------------------- package clean-up


def _strip_template(doc) -> None:
    """Drop template leftovers: a Word-2010 copy of the themed styles, a bibliography customXml item and the
    python-docx thumbnail that file managers would show instead of the speech."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (_RT_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            doc.part.rels.pop(rid)
    pkg_rels = doc.part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg_rels.pop(rid)
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture",):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    for el in settings.findall(qn("w:themeFontLang")):
        el.set(qn("w:eastAsia"), "zh-CN")
    # Word 2013+ layout (compatibility mode 15): python-docx's template says 14, which Word 365 opens in
    # “[兼容模式]”.
    for el in settings.iter(qn("w:compatSetting")):
        if el.get(qn("w:name")) == "compatibilityMode":
            el.set(qn("w:val"), str(COMPATIBILITY_MODE))


def _font_table(doc, profile: layout.Profile) -> None:
    """Declare the Chinese fonts with GB2312 charset and alternative names, so a machine without them still
    substitutes a Chinese face (Word reads w:altName and w:charset when a font is missing)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    part = _related(doc.part, RT.FONT_TABLE)
    if part is None:
        return
    root = parse_xml(part.blob)
    for font in root.findall(qn("w:font")):
        if font.get(qn("w:name")) not in ("Times New Roman", "Symbol"):
            root.remove(font)
    # Every face the document names: ours, and those of a reference document's styles.
    named = [f.get(qn("w:eastAsia")) for f in doc.styles.element.iter(qn("w:rFonts"))]
    names = list(dict.fromkeys([*profile.fonts.values(), *(n for n in named if n)]))
    for name in names:
        if name in (layout.LATIN_FONT, "Symbol"):
            continue
        children = [_el("w:altName", {"w:val": layout.font_alt_name(name)})]
        children += [_el("w:charset", {"w:val": layout.FONT_CHARSET_GB2312}),
                     _el("w:family", {"w:val": layout.FONT_FAMILY.get(name, "auto")}),
                     _el("w:pitch", {"w:val": "variable"})]
        root.append(_el("w:font", {"w:name": name}, *children))
    part._blob = _xml_bytes(root)


def _xml_bytes(el) -> bytes:
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------- page set-up and footers


def _setup_section(doc, profile: layout.Profile) -> None:
    sect = doc.sections[0]._sectPr
    margins = profile.margins_twips
    _put(sect, _el("w:pgSz", {"w:w": profile.page_width_twips, "w:h": profile.page_height_twips}), SECTPR_ORDER)
    _put(sect, _el("w:pgMar", {"w:top": margins["top"], "w:right": margins["right"],
                               "w:bottom": margins["bottom"], "w:left": margins["left"],
                               "w:header": profile.header_distance_twips,
                               "w:footer": profile.footer_distance_twips, "w:gutter": 0}), SECTPR_ORDER)
    # 文档网格: 22 lines fill the 版心; 28 characters a line come from the styles' character spacing.
    _put(sect, _el("w:docGrid", {"w:type": layout.DOC_GRID_TYPE, "w:linePitch": profile.line_pitch_twips}),
         SECTPR_ORDER)
    for attr in list(sect.attrib):
        if attr.startswith(qn("w:rsid")):
            del sect.attrib[attr]


def _reference_page_setup(doc, ref_path: Path) -> None:
    """A reference document's paper size, margins and grid replace GB/T 9704's, as pandoc's reference-doc
    keeps them: an office that made a template has its own page."""
    import docx

    ref = docx.Document(str(ref_path))
    ref_sect = ref.sections[-1]._sectPr
    sect = doc.sections[0]._sectPr
    for tag in ("w:pgSz", "w:pgMar", "w:docGrid"):
        found = ref_sect.find(qn(tag))
        if found is not None:
            _put(sect, copy.deepcopy(found), SECTPR_ORDER)


def _page_number_paragraph(p, profile: layout.Profile, odd: bool, direct: bool) -> None:
    """“— 1 —”: odd pages right, even pages left, each 空一字 (GB/T 9704 §7.5)."""
    for child in list(p):
        p.remove(child)
    indent = profile.page_number_indent_twips
    side = {"w:right": indent} if odd else {"w:left": indent}
    p.append(_el("w:pPr", None, _el("w:pStyle", {"w:val": "Footer"}), _el("w:snapToGrid", {"w:val": "0"}),
                 _spacing(0, 0, profile.footer_line_twips),
                 _ind(profile, False, **side), _el("w:jc", {"w:val": "right" if odd else "left"})))
    dash = layout.PAGE_NUMBER_DASH
    font = profile.fonts["page_number"]

    def run(*content):
        rpr = _el("w:rPr", None, _rfonts(font, latin=font, hint=True) if direct else _rfonts_hint_only())
        # 4号 even under a reference document, whose footer style is often 小四 or 小三 (§7.5).
        for el in _size(profile.page_number_pt):
            rpr.append(el)
        return _el("w:r", None, rpr, *content)

    def text(value: str):
        t = _el("w:t")
        t.text = value
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return t

    p.append(run(text(f"{dash} ")))
    p.append(run(_el("w:fldChar", {"w:fldCharType": "begin"})))
    p.append(run(_instr(" PAGE ")))
    p.append(run(_el("w:fldChar", {"w:fldCharType": "separate"})))
    p.append(run(text("1" if odd else "2")))
    p.append(run(_el("w:fldChar", {"w:fldCharType": "end"})))
    p.append(run(text(f" {dash}")))


def _instr(code: str):
    el = _el("w:instrText")
    el.text = code
    el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return el


def _rfonts_hint_only():
    return _el("w:rFonts", {"w:hint": "eastAsia"})


def _write_footers(doc, profile: layout.Profile, direct: bool) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        paragraphs = footer._element.findall(qn("w:p"))
        for extra in paragraphs[1:]:
            footer._element.remove(extra)
        _page_number_paragraph(paragraphs[0], profile, odd, direct)


# ---------------------------------------------------------------- body


def split_gaps(text: str) -> list[tuple[str, bool]]:
    """Text cut into (segment, is_gap_marker) so every 【待补充：……】 gets its own run."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in GAP_RE.finditer(text):
        if m.start() > pos:
            parts.append((text[pos:m.start()], False))
        parts.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


_CENTRED_ROLES = ("title", "meta")


def _add_runs(p, text: str, east_asia: Optional[str], upright: bool = False) -> None:
    """Runs for ``text``; newlines become w:br, and each 【待补充：……】 marker is its own highlighted run(s)
    (found before splitting lines, so a marker broken across title lines stays highlighted)."""

    def run(gap: bool, *content):
        rpr = _el("w:rPr", None, _rfonts(east_asia, hint=True) if east_asia else _rfonts_hint_only())
        if upright:
            _put(rpr, _el("w:i", {"w:val": "0"}), RPR_ORDER)
            _put(rpr, _el("w:iCs", {"w:val": "0"}), RPR_ORDER)
        if gap:
            _put(rpr, _el("w:highlight", {"w:val": layout.HIGHLIGHT_GAPS}), RPR_ORDER)
        p.append(_el("w:r", None, rpr, *content))

    for segment, gap in split_gaps(text):
        for k, piece in enumerate(segment.split("\n")):
            if k:
                run(gap, _el("w:br"))
            if piece:
                t = _el("w:t")
                t.text = piece
                if piece != piece.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run(gap, t)


def _write_body(body, draft: Draft, profile: layout.Profile, direct: bool) -> None:
    sect = body.find(qn("w:sectPr"))
    paragraphs = []
    for block in draft.blocks:
        sid, font_role = ROLE_STYLES.get(block.role, ("Normal", "body"))
        if block.role == "title":
            lines = layout.break_title(block.text, profile.title_max_chars)
        else:
            lines = block.text.strip("\n").split("\n")
        ppr = _el("w:pPr", None, _el("w:pStyle", {"w:val": sid}))
        if not direct and block.role in _CENTRED_ROLES:
            # A reference's Title/Subtitle may be left-aligned or italic (Word's own Subtitle is): the title,
            # speaker and date stay centred and upright whatever the template says.
            _put(ppr, _el("w:jc", {"w:val": "center"}), PPR_ORDER)
        p = _el("w:p", None, ppr)
        _add_runs(p, "\n".join(lines), profile.fonts[font_role] if direct else None,
                  upright=not direct and block.role in _CENTRED_ROLES)
        sect.addprevious(p)
        paragraphs.append((block.role, p))
    # One empty line after the title block (title and speaker/date), as after a 公文 title (§7.3.2).
    last_head = None
    for role, p in paragraphs:
        if role in ("title", "meta"):
            last_head = p
        else:
            break
    if last_head is not None:
        _put(last_head.find(qn("w:pPr")), _spacing(0, profile.line_pitch_twips), PPR_ORDER)
    _keep_closing_together(paragraphs, draft, profile, direct)


KEEP_WHOLE_LINES = 6  # a last paragraph up to this long moves whole to the closing's page


def closing_tail(draft: Draft, profile: layout.Profile) -> int:
    """How many blocks at the end are closing lines (“谢谢大家！”, “散会。”): the trailing closing-role
    blocks, or else a last paragraph that fits on one line."""
    blocks = draft.blocks
    n = 0
    while n < len(blocks) - 1 and blocks[-1 - n].role == "closing":
        n += 1
    if n == 0 and len(blocks) > 1 and blocks[-1].role in ("paragraph", "closing") and (
            len(blocks[-1].text) <= profile.chars_per_line - profile.first_line_indent_chars):
        n = 1
    return n


def closing_keeps(draft: Draft, profile: layout.Profile) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """Block indices that get (keep with next, keep lines together, widow control) so the closing lines
    never stand alone on the last page: they keep with the last body paragraph, which brings at least two
    of its lines along. Widow control here costs no grid line, as nothing follows the last page."""
    tail = closing_tail(draft, profile)
    n = len(draft.blocks)
    if not tail or n <= tail:
        return frozenset(), frozenset(), frozenset()
    last_body = n - tail - 1
    # LibreOffice moves only one line of a paragraph kept with the next, widow control or not: a short last
    # paragraph moves whole; a long one (which would leave a gap) brings what widow control gives it.
    whole = len(draft.blocks[last_body].text) <= KEEP_WHOLE_LINES * profile.chars_per_line
    return (frozenset(range(last_body, n - 1)), frozenset({last_body}) if whole else frozenset(),
            frozenset(range(last_body, n)))


def _keep_closing_together(paragraphs, draft: Draft, profile: layout.Profile, direct: bool) -> None:
    keep_next, keep_whole, widow = closing_keeps(draft, profile)
    if direct:
        # One-line widows elsewhere: widow control for just the paragraphs whose last line the grid would
        # put alone at the top of a page (predicted by layout.paginate), so every other page keeps 22 lines.
        widow = widow | layout.plan_widow_control(draft.blocks, profile, keep_whole=keep_whole,
                                                  keep_next=keep_next)
    for k, (_, p) in enumerate(paragraphs):
        ppr = p.find(qn("w:pPr"))
        if k in keep_next:
            _put(ppr, _el("w:keepNext"), PPR_ORDER)
        if k in keep_whole:
            _put(ppr, _el("w:keepLines"), PPR_ORDER)
        if k in widow:
            _put(ppr, _el("w:widowControl"), PPR_ORDER)


# ---------------------------------------------------------------- properties


def _now() -> dt.datetime:
    # SOURCE_DATE_EPOCH makes builds reproducible (reproducible-builds.org convention).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _core_properties(doc, draft: Draft, now: Optional[dt.datetime] = None) -> None:
    cp = doc.core_properties
    now = now or _now()
    values = _core_values(draft)
    cp.title = values["title"]
    cp.subject = values["subject"]
    cp.keywords = values["keywords"]
    cp.category = DRAFT_STATUS
    cp.content_status = DRAFT_STATUS
    cp.author = "draftgen"
    cp.last_modified_by = "draftgen"
    cp.language = "zh-CN"
    cp.revision = 1
    cp.created = now
    cp.modified = now
    cp.comments = values["comments"]


def _app_xml(draft: Draft) -> bytes:
    """docProps/app.xml with only what is true: python-docx's says “Microsoft Macintosh Word”, 1 page, 0 words.
    Pages and lines depend on the office suite's layout, so they are left for it to fill in on saving."""
    texts = [b.text for b in draft.blocks]
    with_spaces = sum(len(t.replace("\n", "")) for t in texts)
    without = sum(len(re.sub(r"\s", "", t)) for t in texts)
    xml = (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           f'<Properties xmlns="{EXTENDED_PROPS_NS}" xmlns:vt="{VT_NS}">'
           f"<Application>draftgen {escape(__version__)}</Application><DocSecurity>0</DocSecurity>"
           f"<Paragraphs>{len(texts)}</Paragraphs><Characters>{without}</Characters>"
           f"<CharactersWithSpaces>{with_spaces}</CharactersWithSpaces></Properties>")
    return xml.encode("utf-8")


def _app_properties(doc, draft: Draft) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    xml = _app_xml(draft)
    package = doc.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = xml
            return
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, xml, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def custom_properties(draft: Draft) -> list[tuple[str, str]]:
    """What is recorded in docProps/custom.xml so a draft can be traced and replayed."""
    props = [("draftgen.version", __version__), ("draftgen.kind", draft.kind), ("draftgen.status", DRAFT_STATUS)]
    if draft.seed is not None:
        props.append(("draftgen.seed", str(draft.seed)))
    if draft.digest:
        props.append(("draftgen.brief_sha256", draft.digest))
    props.append(("draftgen.entry_count", str(len(draft.entry_ids))))
    for i, chunk in enumerate(_chunks(draft.entry_ids, CUSTOM_VALUE_MAX), start=1):
        props.append((f"draftgen.entry_ids.{i}", chunk))
    return props


def _chunks(ids: Iterable[str], limit: int) -> list[str]:
    chunks: list[str] = []
    cur = ""
    for entry in ids:
        candidate = f"{cur} {entry}" if cur else entry
        if len(candidate) > limit and cur:
            chunks.append(cur)
            cur = entry
        else:
            cur = candidate
    if cur:
        chunks.append(cur)
    return chunks


def _custom_xml(draft: Draft) -> bytes:
    rows = []
    for pid, (name, value) in enumerate(custom_properties(draft), start=2):  # pid 0 and 1 are reserved
        rows.append(f'<property fmtid="{CUSTOM_PROPS_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
                    f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>")
    xml = (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           f'<Properties xmlns="{CUSTOM_PROPS_NS}" xmlns:vt="{VT_NS}">{"".join(rows)}</Properties>')
    return xml.encode("utf-8")


def _custom_properties_part(doc, draft: Draft) -> None:
    # python-docx has no API for custom properties: write the part, content type and relationship ourselves.
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    xml = _custom_xml(draft)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            package.rels.pop(rid)
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


# ---------------------------------------------------------------- public API


def validate_options(options: DocxOptions, base_dir: Optional[Path] = None) -> Optional[Path]:
    """Check docx options before any work; returns the resolved reference document, if any."""
    unknown = sorted(set(options.fonts) - set(layout.FONT_ROLES))
    if unknown:
        raise InputError(f"docx.fonts：未知的字体角色“{'、'.join(unknown)}”；可用的有 {'、'.join(layout.FONT_ROLES)}")
    for role, name in options.fonts.items():
        if not str(name).strip():
            raise InputError(f"docx.fonts.{role}：字体名称不能为空")
    if not options.reference:
        return None
    base = base_dir or Path.cwd()
    ref = Path(options.reference).expanduser()
    if not ref.is_absolute():
        ref = base / ref
    if ref.suffix.lower() != ".docx":
        raise InputError(f"docx.reference：参考文档应为 .docx 文件，实为“{options.reference}”；"
                         "请在 Word 或 WPS 中另存为 .docx 后再指定")
    if not ref.is_file():
        raise InputError(f"docx.reference：找不到参考文档“{options.reference}”（查找位置：{ref}）")
    if not zipfile.is_zipfile(ref):
        raise InputError(f"docx.reference：“{options.reference}”不是有效的 .docx 文件（无法按 zip 打开）")
    return ref


def write_docx(draft: Draft, path: Path, options: Optional[DocxOptions] = None,
               base_dir: Optional[Path] = None) -> None:
    """Write ``draft`` to ``path`` as a .docx laid out per GB/T 9704 (or the reading profile)."""
    options = options or DocxOptions()
    reference = validate_options(options, base_dir)
    fonts = {role: name.strip() for role, name in options.fonts.items()}
    profile = layout.get_profile(options.profile, fonts)
    if reference is None and _core_values_fit(draft):
        members = _standard_members(draft, options.profile, fonts, profile)
        shared = frozenset(name for name, _ in members if name not in _PER_DRAFT)
    else:
        members = _python_docx_members(draft, reference, options.profile, fonts, profile)
        shared = frozenset()
    try:
        _write_zip(path, members, reuse=shared)
    except OSError as e:
        raise DraftgenError(f"无法写入“{path}”：{e.strerror or e}") from e


def _write_zip(path, members: list[tuple[str, bytes]], *, reuse: frozenset[str] = frozenset()) -> None:
    """The package as python-docx writes it with zipfile: members in its order, each deflated at zlib's
    default level, stamped with the time of writing, mode 0600 — the same bytes, made here so that the
    members every draft shares (``reuse``: styles, theme, footers…) are deflated once per process, not once
    per draft. tests/test_docx.py holds it to zipfile's bytes."""
    import struct
    import time
    import zlib

    year, month, day, hour, minute, second = time.localtime(time.time())[:6]
    dos_time, dos_date = hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day
    out, central = bytearray(), bytearray()
    for name, data in members:
        packed = _DEFLATED.get(data) if name in reuse else None
        if packed is None:
            deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            packed = (zlib.crc32(data), deflate.compress(data) + deflate.flush())
            if name in reuse:
                if len(_DEFLATED) > 256:
                    _DEFLATED.clear()
                _DEFLATED[data] = packed
        crc, body = packed
        try:
            raw, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw, flags = name.encode("utf-8"), 0x800
        offset = len(out)
        out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, zipfile.ZIP_DEFLATED, dos_time, dos_date,
                           crc, len(body), len(data), len(raw), 0)
        out += raw
        out += body
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, _CREATE_SYSTEM, 20, 0, flags,
                               zipfile.ZIP_DEFLATED, dos_time, dos_date, crc, len(body), len(data), len(raw),
                               0, 0, 0, 0, 0o600 << 16, offset)
        central += raw
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    blob = bytes(out + central + end)
    if hasattr(path, "write"):
        path.write(blob)
    else:
        with open(path, "wb") as f:
            f.write(blob)


_DEFLATED: dict[bytes, tuple[int, bytes]] = {}  # a shared member's bytes → (crc, deflated bytes)
_CREATE_SYSTEM = 0 if os.name == "nt" else 3  # as zipfile records the system that made the archive


def _python_docx_members(draft: Draft, reference: Optional[Path], profile_name: str, fonts: Mapping[str, str],
                         profile: layout.Profile) -> list[tuple[str, bytes]]:
    """The package built with python-docx: with a reference document, whose styles decide (as pandoc
    does), or for a draft whose properties python-docx must judge (a title over 255 characters)."""
    import docx

    direct = reference is None
    doc = docx.Document()
    if direct:
        _prepare_standard(doc, profile)
    else:
        _strip_template(doc)
        _install_styles(doc, profile)
        _apply_reference(doc, reference, profile, fonts)
        _setup_section(doc, profile)
        _reference_page_setup(doc, reference)
        _write_footers(doc, profile, direct)
    _write_body(doc.element.body, draft, profile, direct)
    _font_table(doc, profile)
    _core_properties(doc, draft)
    _custom_properties_part(doc, draft)
    _app_properties(doc, draft)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _zip_members(buffer.getvalue())


def _zip_members(blob: bytes) -> list[tuple[str, bytes]]:
    """A package's members, in its order."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def _prepare_standard(doc, profile: layout.Profile) -> None:
    _strip_template(doc)
    _install_styles(doc, profile)
    _setup_section(doc, profile)
    _write_footers(doc, profile, True)


# ---------------------------------------------------------------- the standard layout without python-docx
#
# Every part of a standard-layout package but the body and the properties is the same for all drafts of one
# profile and font set. That package is built once with python-docx, for a probe draft whose properties are
# markers, and kept in the user's cache folder; a build then parses only word/document.xml, adds the body
# with the very code the python-docx path uses, fills the markers in and zips. tests/test_docx.py holds the
# two paths to the same bytes, member by member.

_PROBE_TIME = dt.datetime(1901, 1, 1)
_PROBE = {"title": "\ue000title\ue001", "subject": "\ue000subject\ue001", "keywords": "\ue000keywords\ue001",
          "comments": "\ue000comments\ue001"}
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's own settings
_SKELETON_FORMAT = 1
_SKELETONS: dict[tuple, list[tuple[str, bytes]]] = {}


def _core_values(draft: Draft) -> dict[str, str]:
    """What _core_properties writes that differs from draft to draft."""
    gaps = len(draft.gaps())
    note = f"本文件由 draftgen {__version__} 自动生成，是草稿，须经人工核实事实、审改后方可使用。"
    if gaps:
        note += f"文中有 {gaps} 处【待补充】（黄色突出显示），请逐一补全。"
    if draft.seed is not None:
        note += f"生成种子：{draft.seed}。"
    return {"title": draft.title, "subject": draft.subject or draft.title, "keywords": "; ".join(draft.keywords),
            "comments": note}


def _core_values_fit(draft: Draft) -> bool:
    # python-docx refuses a core property over 255 characters; such a draft goes its way and gets its answer.
    return all(len(v) <= 255 for v in _core_values(draft).values())


def _standard_members(draft: Draft, profile_name: str, fonts: Mapping[str, str],
                      profile: layout.Profile) -> list[tuple[str, bytes]]:
    members = []
    for name, data in _skeleton(profile_name, fonts, profile):
        if name == "word/document.xml":
            root = etree.fromstring(data, _PARSER)
            _write_body(root.find(qn("w:body")), draft, profile, True)
            data = etree.tostring(root, encoding="UTF-8", standalone=True)
        elif name == "docProps/core.xml":
            text = data.decode("utf-8").replace(_PROBE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                _now().strftime("%Y-%m-%dT%H:%M:%SZ"))
            for key, value in _core_values(draft).items():
                text = text.replace(_PROBE[key], _xml_text(value))
            data = text.encode("utf-8")
        elif name == "docProps/custom.xml":
            data = _custom_xml(draft)
        elif name == "docProps/app.xml":
            data = _app_xml(draft)
        members.append((name, data))
    return members


_PER_DRAFT = ("word/document.xml", "docProps/core.xml", "docProps/custom.xml", "docProps/app.xml")


def _xml_text(value: str) -> str:
    """Text as lxml serialises it inside an element."""
    return escape(value).replace("\r", "&#13;")


def _skeleton(profile_name: str, fonts: Mapping[str, str], profile: layout.Profile) -> list[tuple[str, bytes]]:
    key = (profile_name, tuple(sorted(fonts.items())))
    found = _SKELETONS.get(key)
    if found is None:
        found = _SKELETONS[key] = _cached_skeleton(key, profile)
    return found


def _skeleton_digest(key: tuple) -> str:
    """Everything the probe package depends on: this code, the layout numbers, python-docx's own code and
    template (found without importing it), lxml's version and the profile and fonts."""
    import hashlib
    import importlib.util

    h = hashlib.sha256(repr((_SKELETON_FORMAT, __version__, key, etree.LXML_VERSION)).encode())
    files = [Path(__file__), Path(layout.__file__)]
    spec = importlib.util.find_spec("docx")
    if spec is not None and spec.submodule_search_locations:
        base = Path(next(iter(spec.submodule_search_locations)))
        files += sorted(base.rglob("*.py")) + sorted((base / "templates").glob("*"))
    for path in files:
        if path.is_file():
            data = path.read_bytes()
            h.update(f"\0{path.name}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()


def _cached_skeleton(key: tuple, profile: layout.Profile) -> list[tuple[str, bytes]]:
    from . import diskcache

    digest = None if os.environ.get("DRAFTGEN_NO_CACHE") else _skeleton_digest(key)
    if digest is not None:
        blob = diskcache.read(f"docx-{digest[:32]}.zip", digest)
        if blob is not None:
            try:
                return _zip_members(blob)
            except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
                pass  # a damaged cache file: build afresh and replace it
    members = _probe_package(profile)
    if digest is not None:
        buffer = io.BytesIO()
        _write_zip(buffer, members)
        diskcache.write(f"docx-{digest[:32]}.zip", digest, buffer.getvalue())
    return members


def _probe_package(profile: layout.Profile) -> list[tuple[str, bytes]]:
    import docx

    doc = docx.Document()
    _prepare_standard(doc, profile)
    probe = Draft(kind="review", title=_PROBE["title"], blocks=(), subject=_PROBE["subject"])
    _font_table(doc, profile)
    cp = doc.core_properties
    _core_properties(doc, probe, now=_PROBE_TIME)
    cp.keywords = _PROBE["keywords"]
    cp.comments = _PROBE["comments"]
    _custom_properties_part(doc, probe)
    _app_properties(doc, probe)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _zip_members(buffer.getvalue())


def read_docx_text(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph; line breaks come back as newlines."""
    import docx

    document = docx.Document(str(path))
    return [(p.style.name if p.style is not None else "Normal", p.text) for p in document.paragraphs]


def read_custom_properties(path: Path) -> dict[str, str]:
    """docProps/custom.xml as a dict, e.g. to replay a draft from its seed and entry ids."""
    with zipfile.ZipFile(path) as zf:
        try:
            root = etree.fromstring(zf.read("docProps/custom.xml"), _PARSER)
        except KeyError:
            return {}
    out = {}
    for prop in root.findall(f"{{{CUSTOM_PROPS_NS}}}property"):
        value = next(iter(prop), None)
        out[prop.get("name")] = (value.text or "") if value is not None else ""
    return out


# ---------------------------------------------------------------- PDF through LibreOffice

CONVERT_TIMEOUT_S = 180
NO_SOFFICE = "未找到 LibreOffice（soffice），无法转换为 PDF：请安装 libreoffice-writer 或改用 --format docx"


def find_soffice() -> Optional[str]:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    mac = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
    return mac if os.path.exists(mac) else None


def convert_to_pdf(docx_path: Path, pdf_path: Path) -> None:
    """Convert one .docx to PDF with LibreOffice headless (see ``convert_many``)."""
    convert_many([(Path(docx_path), Path(pdf_path))])


def convert_many(pairs: list[tuple[Path, Path]], *, warn: bool = True) -> list[str]:
    """Convert several .docx files to PDF in one LibreOffice run (start-up is most of the cost).

    LibreOffice runs in a throw-away profile, so a running LibreOffice or a parallel conversion cannot block
    or share state with this one. The profile carries a font replacement table for the Chinese faces the
    documents name but this machine lacks, so title, body, headings and cues keep faces of their own kind
    instead of all falling back to one sans face. Returns the missing faces; with ``warn``, says so once per
    process on stderr."""
    soffice = find_soffice()
    if soffice is None:
        raise InputError(NO_SOFFICE)
    for docx_path, _ in pairs:
        if not docx_path.is_file():
            raise DraftgenError(f"转换 PDF 失败：找不到“{docx_path}”")
    profile_dir = Path(tempfile.mkdtemp(prefix="draftgen-lo-profile-"))
    in_dir = Path(tempfile.mkdtemp(prefix="draftgen-lo-in-"))
    out_dir = Path(tempfile.mkdtemp(prefix="draftgen-lo-out-"))
    try:
        installed = installed_font_families()
        named: list[str] = []
        sources = []
        for i, (docx_path, _) in enumerate(pairs):
            source = in_dir / f"{i:03d}.docx"  # plain names: LibreOffice names its output after its input
            shutil.copyfile(docx_path, source)
            named += east_asian_fonts(source)
            sources.append(source)
        named = list(dict.fromkeys(named))
        plan = stand_in_plan(named, installed)
        bold = {name for name, (_, b) in plan.items() if b}
        if bold:
            for source in sources:
                _embolden_styles(source, bold)
        (profile_dir / "user").mkdir()
        (profile_dir / "user" / "registrymodifications.xcu").write_text(
            font_replacement_xcu({name: family for name, (family, _) in plan.items()}), encoding="utf-8")
        if warn and plan:
            _warn_missing_fonts(plan)
        _run_soffice(soffice, profile_dir, out_dir, sources, [docx_path.name for docx_path, _ in pairs])
        for source, (docx_path, pdf_path) in zip(sources, pairs):
            produced = out_dir / (source.stem + ".pdf")
            if not produced.is_file():
                raise DraftgenError(f"LibreOffice 未能把“{docx_path.name}”转换为 PDF")
            try:
                shutil.move(str(produced), str(pdf_path))
            except OSError as e:
                raise DraftgenError(f"无法写入“{pdf_path}”：{e.strerror or e}") from e
        return list(plan)
    finally:
        for d in (profile_dir, in_dir, out_dir):
            shutil.rmtree(d, ignore_errors=True)


def _run_soffice(soffice: str, profile_dir: Path, out_dir: Path, sources: list[Path], names: list[str]) -> None:
    cmd = [soffice, f"-env:UserInstallation={profile_dir.as_uri()}", "--headless", "--invisible", "--norestore",
           "--nologo", "--nolockcheck", "--nodefault", "--convert-to", "pdf:writer_pdf_Export",
           "--outdir", str(out_dir), *(str(s) for s in sources)]
    timeout = CONVERT_TIMEOUT_S * max(1, len(sources) // 4)  # a batch takes longer than one file
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise DraftgenError(f"LibreOffice 转换“{'、'.join(names)}”超时（{timeout} 秒），已中止") from None
    missing = [name for s, name in zip(sources, names) if not (out_dir / (s.stem + ".pdf")).is_file()]
    if proc.returncode != 0 or missing:
        detail = (err or out).decode("utf-8", "replace").strip().splitlines()[-3:]
        shown = "、".join(missing or names)
        raise DraftgenError(f"LibreOffice 未能把“{shown}”转换为 PDF（退出码 {proc.returncode}）"
                            + (f"：{' '.join(detail)}" if detail else ""))


# ---- fonts for the PDF: which are missing, and what stands in for them

_warned_fonts: set[str] = set()


def installed_font_families() -> Optional[set[str]]:
    """Every family name fontconfig knows (Chinese and English names alike), or None without fontconfig
    (Windows, macOS: LibreOffice's own substitution is left alone there)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip().casefold() for line in out.splitlines() for name in line.split(",") if name.strip()}


def east_asian_fonts(docx_path: Path) -> list[str]:
    """The East Asian faces a .docx names in its defaults, styles, body and footers."""
    names: list[str] = []
    with zipfile.ZipFile(docx_path) as zf:
        for item in zf.namelist():
            if re.fullmatch(r"word/(styles|document|footer\d*|header\d*)\.xml", item):
                root = etree.fromstring(zf.read(item))
                names += [f.get(qn("w:eastAsia")) for f in root.iter(qn("w:rFonts")) if f.get(qn("w:eastAsia"))]
    return list(dict.fromkeys(names))


def stand_in_plan(named: Iterable[str], installed: Optional[set[str]]) -> dict[str, tuple[str, bool]]:
    """For each named face that is not installed: (installed stand-in of the same kind, set it bold)."""
    if installed is None:
        return {}
    plan = {}
    for name in named:
        if name.casefold() in installed:
            continue
        kind = layout.font_kind(name)
        for family, bold in layout.FONT_STAND_INS.get(kind or "song", ()):
            if family.casefold() in installed:
                plan[name] = (family, bold)
                break
    return plan


def font_replacement_xcu(pairs: Mapping[str, str]) -> str:
    """LibreOffice's font replacement table (Tools ▸ Options ▸ Fonts) as registrymodifications.xcu.
    “Always” is needed: without it fontconfig's own fallback is taken first, and every missing face comes
    out as the same sans face."""
    items = ['<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
             '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>']
    for i, (name, family) in enumerate(pairs.items()):
        props = "".join(f'<prop oor:name="{key}" oor:op="fuse"><value>{escape(value)}</value></prop>'
                        for key, value in (("Always", "true"), ("OnScreenOnly", "false"), ("ReplaceFont", name),
                                           ("SubstituteFont", family)))
        items.append('<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
                     f'<node oor:name="_{i}" oor:op="replace">{props}</node></item>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            + "\n".join(items) + "\n</oor:items>\n")


def _embolden_styles(docx_path: Path, fonts: set[str]) -> None:
    """Set bold the styles whose face is stood in for by a regular-weight family that the real face is
    heavier than (小标宋 titles, 黑体 headings), in the copy being converted only."""
    with zipfile.ZipFile(docx_path) as zf:
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    out: list[tuple[zipfile.ZipInfo, bytes]] = []
    for info, data in items:
        if info.filename == "word/styles.xml":
            root = etree.fromstring(data)
            for st in root.findall(qn("w:style")):
                rpr = st.find(qn("w:rPr"))
                fonts_el = rpr.find(qn("w:rFonts")) if rpr is not None else None
                if fonts_el is not None and fonts_el.get(qn("w:eastAsia")) in fonts:
                    _put(rpr, _el("w:b"), RPR_ORDER)
                    _put(rpr, _el("w:bCs"), RPR_ORDER)
            data = _xml_bytes(root)
        out.append((info, data))
    with zipfile.ZipFile(docx_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:
            zf.writestr(info, data)


def _warn_missing_fonts(plan: Mapping[str, tuple[str, bool]]) -> None:
    new = [name for name in plan if name not in _warned_fonts]
    if not new:
        return
    _warned_fonts.update(plan)
    used = "，".join(f"{name} → {family}{'（加粗）' if bold else ''}" for name, (family, bold) in plan.items())
    print(f"提示：本机没有安装 {'、'.join(plan)}，PDF 中用相近字体代替（{used}）。"
          "在装有这些字体的电脑上用 Word 或 WPS 打开 .docx，可以看到标准字体。", file=sys.stderr)


def _kill_group(proc: subprocess.Popen) -> None:
    # soffice is a wrapper script; the real soffice.bin is its child, so end the whole session we started.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
