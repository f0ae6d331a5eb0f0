"""Where LibreOffice put each paragraph: lines of a PDF (pdftotext -bbox-layout) mapped back to a Draft's
blocks, for the layout tests and benchmarks/widows.py."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.layout import STANDARD
from generator.models import Draft

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    block: int = -1  # index into draft.blocks


def pdf_lines(pdf: Path) -> list[Line]:
    """Every text line inside the 版心 (page numbers left out), page by page, top to bottom."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    bottom = (STANDARD.page_height_mm - STANDARD.margin_bottom_mm) * PT_PER_MM
    lines = []
    for page_no, page in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                             page, re.S):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            if y0 > bottom:
                continue
            text = "".join(re.findall(r">([^<]*)</word>", m.group(5)))
            lines.append(Line(page_no, x0, y0, x1, y1, text))
    return lines


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def assign_blocks(draft: Draft, lines: list[Line]) -> list[Line]:
    """Each line with the index of the block it belongs to (found by walking the text in order)."""
    ends, pos = [], 0
    for block in draft.blocks:
        pos += len(_squash(block.text))
        ends.append(pos)
    out, pos, b = [], 0, 0
    for line in lines:
        while b < len(ends) - 1 and pos >= ends[b]:
            b += 1
        out.append(Line(**{**line.__dict__, "block": b}))
        pos += len(_squash(line.text))
    return out


@dataclass(frozen=True)
class PageBreaks:
    pages: int
    widows: list[str]  # a paragraph's last line alone at the top of a page
    orphans: list[str]  # a paragraph's first line alone at the bottom of a page
    closing_alone: bool  # the last page holds nothing but the closing lines
    short_pages: int  # pages before the last with fewer lines than the grid holds


def page_breaks(draft: Draft, pdf: Path, tail: int) -> PageBreaks:
    lines = assign_blocks(draft, pdf_lines(pdf))
    widows, orphans = [], []
    pages = max(line.page for line in lines) + 1
    for p in range(1, pages):
        here = [line for line in lines if line.page == p]
        before = [line for line in lines if line.page == p - 1]
        if not here or not before:
            continue
        first, last_before = here[0], before[-1]
        if first.block == last_before.block:
            if len(here) == 1 or here[1].block != first.block:
                widows.append(first.text)
            if len(before) == 1 or before[-2].block != last_before.block:
                orphans.append(last_before.text)
    last_page = [line for line in lines if line.page == pages - 1]
    closing_blocks = set(range(len(draft.blocks) - tail, len(draft.blocks))) if tail else set()
    closing_alone = bool(closing_blocks) and all(line.block in closing_blocks for line in last_page)
    short = sum(1 for p in range(pages - 1)
                if len([line for line in lines if line.page == p]) < STANDARD.lines_per_page
                and p > 0)  # page 1 has the title block, whose lines are not all on the grid
    return PageBreaks(pages, widows, orphans, closing_alone, short)
