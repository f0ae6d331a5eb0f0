"""Every page-layout number of the Word output, in one place, each with where it comes from.

Standard profile: GB/T 9704-2012《党政机关公文格式》. A speech draft is not a 公文 in the strict sense, but
offices lay speeches out on the same page so they print and file like the rest of their papers.

Reading profile (大字版): a house convention, not GB/T — a copy to read aloud from at the lectern, with larger
type and wider line pitch on the same A4 page.

Units: Word measures lengths and character spacing in twips (1/20 pt, 1/1440 inch), font sizes in half-points.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

TWIPS_PER_PT = 20
TWIPS_PER_INCH = 1440
MM_PER_INCH = 25.4


def mm_to_twips(mm: float) -> int:
    return round(mm / MM_PER_INCH * TWIPS_PER_INCH)


def twips_to_mm(twips: float) -> float:
    return twips / TWIPS_PER_INCH * MM_PER_INCH


# 字号 → pt, as Word and WPS define them (GB/T 9704 names sizes by 号 only).
HAO_PT: Mapping[str, float] = MappingProxyType(
    {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
     "四号": 14, "小四": 12, "五号": 10.5}
)

# GB/T 9704-2012 §5.1 幅面尺寸: A4 (GB/T 148), 210 mm × 297 mm.
A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297

# §5.2.1 页边与版心尺寸: 天头（上白边）37 mm, 订口（左白边）28 mm, 版心 156 mm × 225 mm.
# The right and bottom margins follow: 210 − 28 − 156 = 26 mm, 297 − 37 − 225 = 35 mm.
MARGIN_TOP_MM = 37
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = A4_WIDTH_MM - MARGIN_LEFT_MM - 156  # 26
MARGIN_BOTTOM_MM = A4_HEIGHT_MM - MARGIN_TOP_MM - 225  # 35

# §5.2.3 行数和字数: 一般每面排 22 行，每行排 28 个字，并撑满版心.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# 225 mm / 22 lines = 10.23 mm = 579.8 twips. Word/WPS 公文 templates use 579 (28.95 pt, “固定值 28.95 磅”),
# rounded down so 22 lines always fit in the 版心.
LINE_PITCH_TWIPS = 579
# w:docGrid type. Word's “指定行和字符网格” (linesAndChars) squeezes 16 pt type into 15.79 pt cells, but
# LibreOffice (7.4) gives every character wider than a cell two cells — 14 characters a line. A line grid
# plus explicit character spacing (Profile.char_spacing_twips) gives 22 × 28 in Word, WPS and LibreOffice.
DOC_GRID_TYPE = "lines"

# §5.2.2 字体和字号: 如无特殊说明，各要素一般用 3 号仿宋体字.
BODY_PT = HAO_PT["三号"]
# §7.3.1 标题: 一般用 2 号小标宋体字，分一行或多行居中排布，梯形或菱形.
TITLE_PT = HAO_PT["二号"]
# §7.3.3 正文: 结构层次“一、”“（一）”“1.”“（1）”, 第一层黑体、第二层楷体、第三和第四层仿宋; all at 3 号.
HEADING_PT = HAO_PT["三号"]
# House convention for speeches: speaker and date under the title in 3 号楷体, centred.
META_PT = HAO_PT["三号"]
# §7.5 页码: 一般用 4 号半角宋体阿拉伯数字，数字左右各放一条一字线.
PAGE_NUMBER_PT = HAO_PT["四号"]
# §7.5: 一字线上距版心下边缘 7 mm.
PAGE_NUMBER_GAP_MM = 7
# §7.5: 单页码居右空一字，双页码居左空一字 — one character of the page-number size.
PAGE_NUMBER_INDENT_CHARS = 1
PAGE_NUMBER_DASH = "—"  # 一字线 U+2014, printed as “— 1 —”

# §7.3.3: 每个自然段左空二字，回行顶格.
FIRST_LINE_INDENT_CHARS = 2

# Font names. GB/T 9704 says 仿宋体/小标宋体/黑体/楷体; these are the names the fonts are installed under on
# Chinese office machines. Latin letters and digits use Times New Roman, the usual pairing in 公文 templates.
LATIN_FONT = "Times New Roman"
FONT_ROLES = ("body", "title", "heading1", "heading2", "meta", "page_number")
DEFAULT_FONTS: Mapping[str, str] = MappingProxyType(
    {
        "body": "仿宋_GB2312",
        "title": "方正小标宋简体",
        "heading1": "黑体",
        "heading2": "楷体_GB2312",
        "meta": "楷体_GB2312",
        "page_number": "宋体",  # §7.5 半角宋体: the digits too, so no Latin font for page numbers
    }
)
# What each Chinese face is, by its name, so a missing font can be given a stand-in of the same kind:
# 小标宋 (a heavy Song for titles), 仿宋, 楷体, 黑体, 宋体. Checked in this order (方正小标宋 contains 宋).
FONT_KIND_MARKERS = (("xbs", ("小标宋", "标宋", "中宋", "XBS", "Zhongsong")), ("fangsong", ("仿宋", "FangSong", "Fangsong")),
                     ("kai", ("楷", "Kai")), ("hei", ("黑", "Hei", "雅黑", "YaHei")), ("song", ("宋", "Song", "Sun")))
# w:altName in the font table: the face Word and WPS on Windows use when the named one is missing. Every
# Windows since 7 ships 宋体, 黑体, 仿宋 and 楷体 (SimSun, SimHei, FangSong, KaiTi); none ships 小标宋.
FONT_ALT_NAMES: Mapping[str, str] = MappingProxyType(
    {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "方正小标宋_GBK": "宋体", "黑体": "SimHei",
     "宋体": "SimSun", "仿宋": "FangSong", "楷体": "KaiTi"}
)
_KIND_ALT_NAMES: Mapping[str, str] = MappingProxyType(
    {"xbs": "宋体", "fangsong": "仿宋", "kai": "楷体", "hei": "黑体", "song": "宋体"})


def font_kind(name: str) -> str | None:
    for kind, markers in FONT_KIND_MARKERS:
        if any(m in name for m in markers):
            return kind
    return None


def font_alt_name(name: str) -> str:
    """The Windows face Word and WPS fall back to when ``name`` is missing (宋体 for an unknown Chinese face)."""
    if name in FONT_ALT_NAMES:
        return FONT_ALT_NAMES[name]
    alt = _KIND_ALT_NAMES.get(font_kind(name) or "song", "宋体")
    return "SimSun" if alt == name else alt


# Stand-ins for LibreOffice (PDF export) on machines without the named face, most alike first:
# (family as fontconfig lists it, set bold). The last of each list is in fonts-noto-cjk, which is all that
# many Linux machines have; with it the four roles still look different — title bold serif, body serif,
# 一、 headings bold sans, 楷体 roles (speaker line, （一） headings, a host's cues) plain sans.
FONT_STAND_INS: Mapping[str, tuple[tuple[str, bool], ...]] = MappingProxyType({
    "xbs": (("方正小标宋简体", False), ("方正小标宋_GBK", False), ("华文中宋", False), ("STZhongsong", False),
            ("Source Han Serif SC", True), ("思源宋体", True), ("Noto Serif CJK SC", True)),
    "fangsong": (("仿宋", False), ("FangSong", False), ("仿宋_GB2312", False), ("华文仿宋", False), ("STFangsong", False),
                 ("Source Han Serif SC", False), ("思源宋体", False), ("Noto Serif CJK SC", False)),
    "kai": (("楷体", False), ("KaiTi", False), ("楷体_GB2312", False), ("华文楷体", False), ("STKaiti", False),
            ("AR PL UKai CN", False), ("AR PL KaitiM GB", False), ("LXGW WenKai", False), ("霞鹜文楷", False),
            ("Noto Sans CJK SC", False)),
    "hei": (("黑体", False), ("SimHei", False), ("Source Han Sans SC", True), ("思源黑体", True),
            ("Noto Sans CJK SC", True)),
    "song": (("宋体", False), ("SimSun", False), ("NSimSun", False), ("Source Han Serif SC", False), ("思源宋体", False),
             ("Noto Serif CJK SC", False)),
})
FONT_CHARSET_GB2312 = "86"
FONT_FAMILY: Mapping[str, str] = MappingProxyType(
    {"仿宋_GB2312": "modern", "仿宋": "modern", "楷体_GB2312": "modern", "楷体": "modern", "黑体": "modern",
     "宋体": "auto", "方正小标宋简体": "script"}
)

# Text colour: §5.2.4 如无特殊说明，公文中文字的颜色均为黑色.
TEXT_COLOR = "000000"
HIGHLIGHT_GAPS = "yellow"  # 【待补充：……】 markers, so nobody prints a draft with holes in it


@dataclass(frozen=True)
class Profile:
    """One page layout. Lengths in mm and pt as the standard states them; twips derived."""

    name: str
    page_width_mm: float = A4_WIDTH_MM
    page_height_mm: float = A4_HEIGHT_MM
    margin_top_mm: float = MARGIN_TOP_MM
    margin_bottom_mm: float = MARGIN_BOTTOM_MM
    margin_left_mm: float = MARGIN_LEFT_MM
    margin_right_mm: float = MARGIN_RIGHT_MM
    lines_per_page: int = LINES_PER_PAGE
    chars_per_line: int = CHARS_PER_LINE
    line_pitch_twips: int = LINE_PITCH_TWIPS
    body_pt: float = BODY_PT
    title_pt: float = TITLE_PT
    heading1_pt: float = HEADING_PT
    heading2_pt: float = HEADING_PT
    meta_pt: float = META_PT
    page_number_pt: float = PAGE_NUMBER_PT
    page_number_gap_mm: float = PAGE_NUMBER_GAP_MM
    first_line_indent_chars: int = FIRST_LINE_INDENT_CHARS
    fonts: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FONTS))

    # ---- page geometry in twips
    @property
    def page_width_twips(self) -> int:
        return mm_to_twips(self.page_width_mm)

    @property
    def page_height_twips(self) -> int:
        return mm_to_twips(self.page_height_mm)

    @property
    def margins_twips(self) -> dict[str, int]:
        return {
            "top": mm_to_twips(self.margin_top_mm),
            "bottom": mm_to_twips(self.margin_bottom_mm),
            "left": mm_to_twips(self.margin_left_mm),
            "right": mm_to_twips(self.margin_right_mm),
        }

    @property
    def text_width_twips(self) -> int:
        m = self.margins_twips
        return self.page_width_twips - m["left"] - m["right"]

    @property
    def text_height_twips(self) -> int:
        m = self.margins_twips
        return self.page_height_twips - m["top"] - m["bottom"]

    # ---- document grid and character pitch
    @property
    def char_pitch_pt(self) -> float:
        return self.text_width_twips / TWIPS_PER_PT / self.chars_per_line

    @property
    def char_spacing_twips(self) -> int:
        """Character spacing (w:spacing in rPr, twips) that makes ``chars_per_line`` fit the 版心.

        156 mm holds 442.25 pt: 28 characters of 16 pt type need 448 pt, so each is condensed by 0.25 pt
        (“字符间距紧缩 0.25 磅”) — what Word's character grid does implicitly, written out so that every
        office suite lays out 28 per line. Zero when the characters fit as they are."""
        natural = math.floor(self.text_width_twips / (self.body_pt * TWIPS_PER_PT))
        if natural >= self.chars_per_line:
            return 0
        return math.floor((self.char_pitch_pt - self.body_pt) * TWIPS_PER_PT)

    # ---- sizes Word wants
    @staticmethod
    def half_points(pt: float) -> int:
        return round(pt * 2)

    @property
    def first_line_indent_twips(self) -> int:
        # Fallback for readers that ignore w:firstLineChars: two characters of body type.
        return round(self.first_line_indent_chars * self.body_pt * TWIPS_PER_PT)

    @property
    def page_number_indent_twips(self) -> int:
        return round(PAGE_NUMBER_INDENT_CHARS * self.page_number_pt * TWIPS_PER_PT)

    @property
    def footer_line_twips(self) -> int:
        # The page-number line is set at exactly its type size plus a little, so its middle — where the
        # 一字线 sits — is predictable in every office suite.
        return round(self.page_number_pt * 1.25 * TWIPS_PER_PT)

    @property
    def footer_distance_twips(self) -> int:
        # w:pgMar/@w:footer is measured from the paper's bottom edge to the bottom of the footer line.
        # Put the middle of that line (the 一字线) page_number_gap_mm below the 版心.
        dash_from_bottom_mm = self.margin_bottom_mm - self.page_number_gap_mm
        return mm_to_twips(dash_from_bottom_mm) - self.footer_line_twips // 2

    @property
    def header_distance_twips(self) -> int:
        return mm_to_twips(15)  # no header in a speech; Word's usual 1.5 cm keeps it out of the way

    # ---- title
    @property
    def title_max_chars(self) -> int:
        # A title line must fit the 版心: 156 mm / 22 pt ≈ 20 characters.
        return math.floor(self.text_width_twips / TWIPS_PER_PT / self.title_pt + 1e-9)


STANDARD = Profile(name="standard")

# 大字版 (house convention, not GB/T): 小二 (18 pt) body, 19 lines × 24 characters. Line pitch is the 版心 height
# over 19 lines (671 twips ≈ 33.6 pt, 1.86 × the type size — a touch airier than the standard's 1.81 ×), so a
# speaker's eye finds the next line easily; the title stays 2 号, page numbers stay 4 号.
READING = Profile(
    name="reading",
    lines_per_page=19,
    chars_per_line=24,
    line_pitch_twips=mm_to_twips(225) // 19,
    body_pt=HAO_PT["小二"],
    title_pt=HAO_PT["二号"],
    heading1_pt=HAO_PT["小二"],
    heading2_pt=HAO_PT["小二"],
    meta_pt=HAO_PT["小二"],
)

PROFILES: Mapping[str, Profile] = MappingProxyType({"standard": STANDARD, "reading": READING})


def get_profile(name: str = "standard", fonts: Mapping[str, str] | None = None) -> Profile:
    """The named profile, with font names replaced per role (keys already validated by the caller)."""
    base = PROFILES[name]
    if not fonts:
        return base
    merged = dict(base.fonts)
    merged.update(fonts)
    return replace(base, fonts=merged)


# ---------------------------------------------------------------- title lines (§7.3.1 梯形或菱形)

# Widths in hundredths of an em of title type. An office suite sets digits and Latin letters in the Latin font
# (Times New Roman: 0.5 em; its stand-ins on machines without it, e.g. DejaVu Serif, up to 0.64 em) and adds
# space between Chinese and a digit run (Word's and LibreOffice's autoSpaceDN, about a quarter em). Counting
# “2026” as two full-width characters left 2.25 pt of slack on a 20-character line, and the real line wrapped.
EM = 100
LATIN_WIDTH = 64
ASIAN_LATIN_GAP = 25

# Closing marks never start a line, opening marks never end one (避头尾).
_NO_LINE_START = set("，。、；：？！）》」』”’〕】…·%％")
_NO_LINE_END = set("（《「『“‘〔【")
# Terms that a title line must neither end nor start inside (no segmenter on the build path). Longer terms
# first only for readability: every occurrence of each is protected.
PROTECTED_TERMS = (
    "全面从严治党", "抓基层党建", "基层党组织", "党组织书记", "党支部书记", "党总支书记", "党委书记", "支部书记", "民主生活会", "组织生活会", "述职评议会", "述职评议", "基层党建", "党建工作", "主题教育",
    "党组织", "党支部", "党总支", "党工委", "党委", "党组", "委员会", "工作会议", "工作会", "推进会", "动员会",
    "部署会", "座谈会", "表彰会", "总结会", "培训班", "读书班", "开班式", "结业式", "评议会", "主持词",
    "书记", "基层", "党建", "工作", "述职", "评议", "会议", "大会", "讲话", "同志", "年度", "全面", "从严",
    "治党", "建设", "教育", "民主", "生活会", "组织", "领导", "干部", "推进", "会上", "部署", "动员", "总结",
    "表彰", "专题", "学习", "贯彻", "落实", "精神", "全县", "全市", "全省", "全区", "全镇", "全乡", "全校",
    "全院", "全系统", "集团", "公司", "学校", "医院", "社区", "街道", "乡镇", "机关", "系统", "中共", "召开",
)
# A year or date stays whole: “2025年度”, “1月20日”.
_DATE_RE = re.compile(r"\d+年度?|\d+月\d+日")
# Natural break points in meeting titles, cost 0: “…书记 | 抓基层党建”, “王明同志 | 在……”, “…召开 | 2025年度……”,
# around 暨 and after punctuation.
_GOOD_BEFORE = ("抓", "在", "暨", "——")
_GOOD_AFTER = ("召开", "暨", "，", "、", "：", "；", "》")
# Particles that read badly at a line end or start: “在 | …会议上的讲话”, “… | 的讲话”.
_BAD_AFTER = ("在", "抓", "的", "和", "与", "及", "对", "把")
_BAD_BEFORE = ("的", "和", "与", "及", "之", "上的")
_BREAK_COST = 6  # an ordinary break between two words
_GOOD_BREAK_COST = 0
_BAD_PARTICLE_COST = 10
_SPLIT_TERM_COST = 40
_SPLIT_BOOK_TITLE_COST = 40  # inside 《…》, when the book title fits on a line
# Per character between the longest and the shortest line, growing with the gap: a 19 | 9 title is top-heavy.
_IMBALANCE_COST = 2
_IMBALANCE_SQUARE_COST = 0.25
_HOURGLASS_COST = 12  # three lines with the middle one shortest: neither 梯形 nor 菱形
_EXTRA_LINE_COST = 14
_MIN_LINE_CHARS = 3  # never a lone character (nor two) on a line of its own
MAX_TITLE_LINES = 3


def _is_latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".-/%")


def _char_width(ch: str) -> int:
    if ch == " ":
        return 30
    return LATIN_WIDTH if ch.isascii() else EM


def title_width(text: str) -> int:
    """Width of a title line as an office suite sets it, in hundredths of an em (conservative)."""
    width = sum(_char_width(c) for c in text)
    for a, b in zip(text, text[1:]):
        if _is_latin(a) != _is_latin(b) and not a.isspace() and not b.isspace() and (
                not a.isascii() or not b.isascii()):
            width += ASIAN_LATIN_GAP
    return width


def _title_units(text: str) -> list[str]:
    """Split into unbreakable units: one Chinese character, or a run of Latin letters/digits, with
    punctuation glued to the side it must stay on."""
    units: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if _is_latin(ch):
            j = i
            while j < len(text) and _is_latin(text[j]):
                j += 1
            units.append(text[i:j])
            i = j
        elif ch == "—" and text[i + 1 : i + 2] == "—":
            units.append("——")
            i += 2
        else:
            units.append(ch)
            i += 1
    merged: list[str] = []
    carry = ""
    for u in units:
        if u[0] in _NO_LINE_START and merged:
            merged[-1] += u
        elif u[-1] in _NO_LINE_END:
            carry += u
            continue
        else:
            merged.append(carry + u)
        carry = ""
    if carry:
        if merged:
            merged[-1] += carry
        else:
            merged.append(carry)
    return merged


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every protected term and date in ``text``."""
    spans = [m.span() for m in _DATE_RE.finditer(text)]
    for term in PROTECTED_TERMS:
        start = text.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = text.find(term, start + 1)
    return spans


def _break_costs(text: str, units: list[str], limit: int) -> list[int]:
    """Cost of a line break before unit k (index k, 1 ≤ k < len(units))."""
    offsets = [0]
    for u in units:
        offsets.append(offsets[-1] + len(u))
    inside_term: set[int] = set()
    for start, end in protected_spans(text):
        inside_term.update(range(start + 1, end))
    in_book: set[int] = set()
    for m in re.finditer(r"《[^》]*》", text):
        if title_width(m.group(0)) <= limit:
            in_book.update(range(m.start() + 1, m.end()))
    costs = [0] * len(units)
    for k in range(1, len(units)):
        pos = offsets[k]
        before, after = text[:pos], text[pos:]
        cost = _BREAK_COST
        if after.startswith(_GOOD_BEFORE) or before.endswith(_GOOD_AFTER):
            cost = _GOOD_BREAK_COST
        if before.endswith(_BAD_AFTER) or after.startswith(_BAD_BEFORE):
            cost += _BAD_PARTICLE_COST
        if pos in inside_term:
            cost += _SPLIT_TERM_COST
        if pos in in_book:
            cost += _SPLIT_BOOK_TITLE_COST
        costs[k] = cost
    return costs


def break_title(text: str, max_chars: int = 20) -> list[str]:
    return list(_break_title_cached(text, max_chars))


@lru_cache(maxsize=256)  # a draft's title is broken for the page plan and again for the document
def _break_title_cached(text: str, max_chars: int) -> tuple[str, ...]:
    return tuple(_break_title(text, max_chars))


def _break_title(text: str, max_chars: int = 20) -> list[str]:
    """Break a title into balanced centred lines (GB/T 9704 §7.3.1: 词意完整，排列对称，梯形或菱形).

    Every line fits ``max_chars`` full-width characters as an office suite sets them (digits and the space
    before and after them counted generously), no line holds fewer than three characters, breaks fall
    between words (before 抓 and 在, after 召开, around 暨, never inside 基层党建, 党组织, 述职评议, a year or a
    《》 that fits a line), up to three lines keep a 梯形 or 菱形 shape, and the lines are as even as possible.
    A title the author already broke with newlines is kept as written.
    """
    text = text.strip()
    if "\n" in text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    limit = max_chars * EM
    if title_width(text) <= limit:
        return [text]
    units = _title_units(text)
    if len(units) < 2 * _MIN_LINE_CHARS:
        return [text]
    costs = _break_costs(text, units, limit)
    width = _slice_widths(units)
    total = width(0, len(units))
    min_lines = max(2, math.ceil(total / limit))
    best: tuple[float, list[int]] | None = None
    for n in range(min_lines, max(min_lines + 1, MAX_TITLE_LINES) + 1):
        found = _best_cuts(n, len(units), width, costs, limit, total) if n <= MAX_TITLE_LINES else \
            _best_cuts_dp(n, len(units), width, costs, limit, total)
        if found is not None:
            cost = found[0] + _EXTRA_LINE_COST * (n - min_lines)
            if best is None or cost < best[0]:
                best = (cost, found[1])
    if best is None:
        return _greedy_lines(units, limit)
    bounds = [0, *best[1], len(units)]
    return ["".join(units[a:b]) for a, b in zip(bounds, bounds[1:])]


def _slice_widths(units: list[str]):
    """width(a, b): title_width of units[a:b] in O(1), from prefix sums of unit widths and the gaps
    between neighbouring units."""
    own = [title_width(u) for u in units]
    gaps = [0] + [title_width(a + b) - title_width(a) - title_width(b) for a, b in zip(units, units[1:])]
    pw, pg = [0], [0]
    for w in own:
        pw.append(pw[-1] + w)
    for g in gaps:
        pg.append(pg[-1] + g)

    def width(a: int, b: int) -> int:
        return pw[b] - pw[a] + (pg[b] - pg[a + 1] if b > a else 0)

    return width


def _shape_cost(line_w: list[int]) -> float:
    gap = (max(line_w) - min(line_w)) / EM
    imbalance = _IMBALANCE_COST * gap + _IMBALANCE_SQUARE_COST * gap * gap
    if len(line_w) >= 3:
        if _is_trapezoid_or_diamond(line_w):
            return imbalance / 2  # uneven lines are what a 梯形 or 菱形 is made of
        return imbalance + _HOURGLASS_COST
    return imbalance


def _best_cuts(n: int, count: int, width, costs: list[int], limit: int, total: int):
    """Every way to cut two or three lines (at most count² candidates), each line within bounds."""
    min_width = max(_MIN_LINE_CHARS * EM, total // n - 8 * EM)
    best: tuple[float, list[int]] | None = None
    for cuts in _cut_sets(count, width, n, limit, min_width):
        bounds = [0, *cuts, count]
        line_w = [width(a, b) for a, b in zip(bounds, bounds[1:])]
        cost = sum(costs[c] for c in cuts) + _shape_cost(line_w)
        if best is None or cost < best[0]:
            best = (cost, cuts)
    return best


def _best_cuts_dp(n: int, count: int, width, costs: list[int], limit: int, total: int):
    """Titles of four lines or more (rare): dynamic programming on break costs plus each line's distance
    from an even split, so the time stays polynomial however long the title."""
    avg = total / n
    min_width = _MIN_LINE_CHARS * EM
    inf = float("inf")
    # best[k][i]: cheapest way to set units[:i] in k lines; prev for the path back.
    best = [[inf] * (count + 1) for _ in range(n + 1)]
    prev = [[-1] * (count + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for k in range(1, n + 1):
        for i in range(1, count + 1):
            for j in range(i - 1, -1, -1):
                w = width(j, i)
                if w > limit:
                    break
                if w < min_width or best[k - 1][j] == inf:
                    continue
                dev = abs(w - avg) / EM
                cost = best[k - 1][j] + (costs[j] if j else 0) + _IMBALANCE_COST * dev + _IMBALANCE_SQUARE_COST * dev * dev
                if cost < best[k][i]:
                    best[k][i], prev[k][i] = cost, j
    if best[n][count] == inf:
        return None
    cuts, i = [], count
    for k in range(n, 0, -1):
        i = prev[k][i]
        cuts.append(i)
    return best[n][count], sorted(c for c in cuts if c)


def _is_trapezoid_or_diamond(widths: list[int]) -> bool:
    """梯形: lines grow or shrink steadily; 菱形: they grow to a widest middle, then shrink (±1 character)."""
    tol = EM
    peak = widths.index(max(widths))
    rising = all(b >= a - tol for a, b in zip(widths[:peak + 1], widths[1:peak + 1]))
    falling = all(b <= a + tol for a, b in zip(widths[peak:], widths[peak + 1:]))
    return rising and falling


def _cut_sets(count: int, width, n: int, limit: int, min_width: int):
    """Every choice of n−1 break indices whose lines are each within [min_width, limit]."""

    def rec(start: int, lines_left: int):
        if lines_left == 1:
            if min_width <= width(start, count) <= limit:
                yield []
            return
        for k in range(start + 1, count):
            w = width(start, k)
            if w > limit:
                break
            if w < min_width:
                continue
            for rest in rec(k, lines_left - 1):
                yield [k, *rest]

    yield from rec(0, n)


def _greedy_lines(units: list[str], limit: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for u in units:
        if cur and title_width(cur + u) > limit:
            lines.append(cur)
            cur = ""
        cur += u
    if cur:
        lines.append(cur)
    return lines


# ---------------------------------------------------------------- pagination model (one-line widows)

# The body is set on a fixed grid (28 full-width cells a line, 22 lines a page, widow control off so every
# full page holds 22 lines), so where each line and page breaks can be worked out here, exactly enough to
# predict a paragraph's last line falling alone at the top of a page. The line-end rules below are
# LibreOffice's, measured on its PDF output (tests/test_layout_lo.py holds the model to them on every example
# and several seeds):
# - a Chinese character is body_pt wide less the condensing (15.75 pt); the first-line indent is two
#   characters of the unspaced type (2 × 16 pt), so the first line holds 26 characters, the others 28;
# - digits and Latin letters are set in the Latin face at their own widths (Times New Roman's stand-in on
#   machines without it, DejaVu Serif: the face the test machines have), condensed like the rest;
# - between a Chinese character (not a punctuation mark) and a digit or letter (not “%” or “.”) LibreOffice
#   adds 0.224 em of space;
# - a run of digits and letters (“2026”, “98.5%”) never breaks inside;
# - a mark that may not start a line (，。、”） …) pulls the character before it down to the next line, and
#   that one too if it may not start a line either (“时间表”。” moves “表”。” down whole); a mark that may not
#   end a line (“（《) goes down with what follows. “…”, “—” and “%” may start a line;
# - a run of digits or letters right after a closing mark (。，、）】”) stays with it, so both go down.
KEEP_WITH_NEXT_ROLES = frozenset({"title", "meta", "salutation", "heading1", "heading2"})
BODY_ROLES = frozenset({"paragraph", "closing", "cue"})

# LibreOffice's kinsoku sets for Chinese, as measured (not the title's stricter house rules above).
_BODY_NO_START = frozenset("，。、；：？！）》」』”’〕】·～")
_BODY_NO_END = frozenset("（《「『“‘〔【")
# Closing marks that a run of digits or letters may not be broken from (“团队，【待补充】。2025年”: “。2025”
# goes down whole, with the character before the mark); after ：；！？ a line may break before digits.
_BODY_GLUED_TO_LATIN = frozenset("。，、）》」』〕】”’")
# Advance widths (em) of DejaVu Serif's characters, read from its hmtx table.
_LATIN_WIDTHS_EM: Mapping[str, float] = MappingProxyType({
    **{d: 0.6362 for d in "0123456789"}, "%": 0.9502, ".": 0.3179, "-": 0.3379, "/": 0.3369,
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (0.7222, 0.7349, 0.7651, 0.8018, 0.7300, 0.6938, 0.7988, 0.8721,
                                             0.3950, 0.4009, 0.7471, 0.6641, 1.0239, 0.8750, 0.8198, 0.6729,
                                             0.8198, 0.7529, 0.6851, 0.6670, 0.8428, 0.7222, 1.0278, 0.7119,
                                             0.6602, 0.6948))),
    **dict(zip("abcdefghijklmnopqrstuvwxyz", (0.5962, 0.6401, 0.5601, 0.6401, 0.5918, 0.3701, 0.6401, 0.6440,
                                             0.3198, 0.3101, 0.6060, 0.3198, 0.9482, 0.6440, 0.6021, 0.6401,
                                             0.6401, 0.4780, 0.5132, 0.4019, 0.6440, 0.5649, 0.8560, 0.5640,
                                             0.5649, 0.5269))),
})
_DIGIT_EM = 0.6362
_BODY_ASIAN_LATIN_GAP_EM = 0.224  # 3.56–3.60 pt at 16 pt fit every measured line
# The characters _is_latin accepts, and the units the line model makes (a run of them, or one other character).
_LATIN_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-/%")
_ALNUM_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_UNIT_RE = re.compile(r"[A-Za-z0-9.\-/%]+|.", re.S)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def body_lines(text: str, profile: Profile = None, indent_chars: int | None = None) -> list[str]:
    """The lines a body paragraph takes, broken where LibreOffice breaks them (see the rules above)."""
    profile = profile or STANDARD
    spacing = profile.char_spacing_twips / TWIPS_PER_PT
    cell = profile.body_pt + spacing
    gap = profile.body_pt * _BODY_ASIAN_LATIN_GAP_EM
    width = profile.text_width_twips / TWIPS_PER_PT + 0.01
    indent = (profile.first_line_indent_chars if indent_chars is None else indent_chars) * profile.body_pt

    def w(u: str, prev: str | None) -> float:
        if u[0] in _LATIN_SET:
            run = sum(_LATIN_WIDTHS_EM.get(ch, _DIGIT_EM) * profile.body_pt + spacing for ch in u)
            return run + (gap if prev is not None and _is_han(prev[-1]) and u[0] in _ALNUM_SET else 0.0)
        return cell + (gap if prev is not None and prev[-1] in _ALNUM_SET and _is_han(u) else 0.0)

    lines: list[str] = []
    for piece in text.split("\n"):
        units = _UNIT_RE.findall(piece)
        cur: list[str] = []
        used = indent if not lines else 0.0
        i = 0
        while i < len(units):
            u = units[i]
            uw = w(u, cur[-1] if cur else None)
            if cur and used + uw > width:
                # Break before u; move the break back while the next line would start with a mark that may
                # not start one, or this line end with a mark that may not end one.
                carry: list[str] = []
                nxt = u
                while len(cur) > 1 and (nxt in _BODY_NO_START or cur[-1][-1] in _BODY_NO_END or (
                        nxt[0] in _LATIN_SET and cur[-1][-1] in _BODY_GLUED_TO_LATIN)):
                    carry.insert(0, cur.pop())
                    nxt = carry[0]
                lines.append("".join(cur))
                cur, used, prev = [], 0.0, None
                for c in carry:
                    used += w(c, prev)
                    cur.append(c)
                    prev = c
                continue
            cur.append(u)
            used += uw
            i += 1
        lines.append("".join(cur))
    return lines


def block_line_counts(blocks, profile: Profile = None) -> list[int]:
    """Grid lines each block takes: title lines as broken, every other block as set on the grid."""
    profile = profile or STANDARD
    counts = []
    for block in blocks:
        if block.role == "title":
            counts.append(len(break_title(block.text, profile.title_max_chars)))
        elif block.role in ("meta", "salutation"):
            counts.append(len(block.text.strip("\n").split("\n")))
        else:
            counts.append(_body_line_count(block.text.strip("\n"), profile))
    return counts


_LINE_COUNTS: dict[tuple, int] = {}


def _body_line_count(text: str, profile: Profile) -> int:
    """len(body_lines(text, profile)), remembered: widow control paginates a draft again for every paragraph
    it fixes, and a batch meets the same paragraphs often."""
    key = (text, profile.body_pt, profile.char_spacing_twips, profile.text_width_twips, profile.first_line_indent_chars)
    count = _LINE_COUNTS.get(key)
    if count is None:
        if len(_LINE_COUNTS) > 50_000:
            _LINE_COUNTS.clear()
        count = _LINE_COUNTS[key] = len(body_lines(text, profile))
    return count


def paginate(blocks, profile: Profile = None, *, widow_control: frozenset[int] = frozenset(),
             keep_whole: frozenset[int] = frozenset(), keep_next: frozenset[int] = frozenset()) -> list[list[int]]:
    """Page of every line of every block, as an office suite fills the grid: blocks with keep-with-next
    stay on the page of the next block's first line; ``widow_control`` blocks leave no single line at
    either end of a page; ``keep_whole`` blocks are never split. Returns per block the page of each line."""
    profile = profile or STANDARD
    per_page = profile.lines_per_page
    counts = block_line_counts(blocks, profile)
    # The title block (title and speaker/date) is followed by one empty line (spacing after).
    head = 0
    while head < len(blocks) and blocks[head].role in ("title", "meta"):
        head += 1
    keeps = {i for i, b in enumerate(blocks) if b.role in KEEP_WITH_NEXT_ROLES} | set(keep_next)
    whole = {i for i, b in enumerate(blocks) if b.role in KEEP_WITH_NEXT_ROLES} | set(keep_whole)
    pages: list[list[int]] = [[] for _ in blocks]
    page, line = 0, 0  # line = grid lines used on the current page
    i = 0
    while i < len(blocks):
        # A chain of keep-with-next blocks travels with the first line of the block after it.
        j = i
        while j in keeps and j + 1 < len(blocks):
            j += 1
        if j > i:
            # (the next block's first line — with widow control, the least it can leave at a page's foot:
            # two lines, or all of a block of three or fewer, which cannot split two and one)
            first = counts[j] if j in whole else ((2 if counts[j] >= 4 else counts[j]) if j in widow_control else 1)
            chain = sum(counts[i:j]) + first
            if line + chain > per_page and line > 0 and chain <= per_page:
                page, line = page + 1, 0
        for k in range(i, j + 1):
            n = counts[k]
            room = per_page - line
            if k in whole and n > room and line > 0 and n <= per_page:
                page, line = page + 1, 0
                room = per_page
            elif k in widow_control and n > room and line > 0:
                first = min(room, n - 2)
                if first < 2:
                    page, line = page + 1, 0
                    room = per_page
                else:
                    room = first
            placed = 0
            while placed < n:
                take = min(n - placed, room)
                pages[k] += [page] * take
                placed += take
                line += take
                if placed < n:
                    page, line = page + 1, 0
                    room = per_page
                elif line >= per_page:
                    page, line = page + 1, 0
            if k + 1 == head:
                line += 1  # the empty line after the title block
                if line >= per_page:
                    page, line = page + 1, 0
        i = j + 1
    return pages


def widow_blocks(pages: list[list[int]], blocks) -> list[int]:
    """Body blocks whose last line stands alone at the top of a page."""
    out = []
    for i, (block, ps) in enumerate(zip(blocks, pages)):
        if block.role in BODY_ROLES and len(ps) > 1 and ps[-1] != ps[-2] and (len(ps) < 3 or ps[-2] == ps[-3]):
            out.append(i)
    return out


def plan_widow_control(blocks, profile: Profile = None, *, keep_whole: frozenset[int] = frozenset(),
                       keep_next: frozenset[int] = frozenset()) -> frozenset[int]:
    """The paragraphs that need widow control: those whose last line would stand alone at the top of a
    page. Only they get it, so every other page keeps its 22 lines; each costs its page one line."""
    chosen: set[int] = set()
    for _ in range(len(blocks)):
        pages = paginate(blocks, profile, widow_control=frozenset(chosen), keep_whole=keep_whole,
                         keep_next=keep_next)
        widows = [i for i in widow_blocks(pages, blocks) if i not in chosen]
        if not widows:
            break
        chosen.add(widows[0])  # earliest first: fixing it moves every later line
    return frozenset(chosen)
