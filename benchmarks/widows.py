#!/usr/bin/env python3
"""One-line widows and a lone closing in the Word output, as LibreOffice paginates it.

    .venv/bin/python benchmarks/widows.py            # every example × seeds 0–2, every document of each

Each document is written as .docx, all are converted in one LibreOffice run, and the PDF's lines
(pdftotext -bbox-layout) are mapped back to the draft's paragraphs. Reported: pages, one-line widows (a
paragraph's last line alone at the top of a page), one-line orphans, whether the closing (“谢谢大家！”,
“散会。”) stands alone on the last page, and how many pages hold a line less than the grid to avoid a widow. Needs LibreOffice and poppler-utils.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="统计 Word 输出中的孤行（经 LibreOffice 分页）")
    parser.add_argument("--seeds", type=int, default=3, help="每个示例的种子数（默认 3）")
    parser.add_argument("-v", "--verbose", action="store_true", help="列出每处孤行")
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        print("需要 LibreOffice（soffice）和 poppler-utils（pdftotext）", file=sys.stderr)
        return 2

    from pdf_layout import page_breaks

    from generator import layout
    from generator.docx_export import closing_tail, convert_many, write_docx
    from generator.pipeline import generate

    docs = []
    with tempfile.TemporaryDirectory(prefix="draftgen-widows-") as work:
        work_dir = Path(work)
        for brief in sorted((ROOT / "examples").glob("*/brief.yaml")):
            for seed in range(args.seeds):
                result = generate(brief, seed=seed)
                options = result.loaded.org.docx
                profile = layout.get_profile(options.profile)
                for kind, draft in result.documents.items():
                    name = f"{brief.parent.name}-{seed}-{kind}"
                    path = work_dir / f"{name}.docx"
                    write_docx(draft, path, options, brief.parent)
                    docs.append((name, draft, path, closing_tail(draft, profile)))
        started = time.perf_counter()
        convert_many([(path, path.with_suffix(".pdf")) for _, _, path, _ in docs], warn=False)
        convert_s = time.perf_counter() - started
        widows = orphans = alone = pages = short = 0
        for name, draft, path, tail in docs:
            pb = page_breaks(draft, path.with_suffix(".pdf"), tail)
            pages += pb.pages
            widows += len(pb.widows)
            orphans += len(pb.orphans)
            alone += pb.closing_alone
            short += pb.short_pages
            if args.verbose and (pb.widows or pb.closing_alone):
                print(f"{name}: 孤行 {pb.widows}" + ("；结尾单独成页" if pb.closing_alone else ""))
    print(f"文稿 {len(docs)} 份，共 {pages} 页（LibreOffice 转换 {convert_s:.1f} 秒）")
    print(f"页首孤行（段落末行单独在页首）：{widows} 处；页末孤行（段落首行单独在页末）：{orphans} 处")
    print(f"结尾单独成页：{alone} 份；为避免孤行而少排一行的页（第 2 页起、末页除外）：{short} 页")
    return 0 if alone == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
