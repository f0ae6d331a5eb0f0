#!/usr/bin/env python3
"""Regenerate docs/page1.png and docs/page1-work.png: page 1 of a review speech (examples/school) and of a
work-meeting speech (examples/work) as Word output, rendered by LibreOffice.

    .venv/bin/python scripts/render_preview.py                       # both images under docs/
    .venv/bin/python scripts/render_preview.py --brief examples/company/brief.yaml --profile reading \\
        --out /tmp/reading.png --pdf /tmp/reading.pdf

Needs LibreOffice (soffice), poppler-utils (pdftoppm) and a CJK font (fonts-noto-cjk). Machines without the
公文 fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) get the same stand-in faces as `build --format pdf`.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULTS = ((ROOT / "examples" / "school" / "brief.yaml", ROOT / "docs" / "page1.png"),
            (ROOT / "examples" / "work" / "brief.yaml", ROOT / "docs" / "page1-work.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把示例讲话稿的 Word 输出第 1 页渲染为 PNG（经 LibreOffice）。")
    parser.add_argument("--brief", type=Path, default=None, help="简报文件（默认：学校述职评议会和区直机关工作会议两个示例）")
    parser.add_argument("--out", type=Path, default=None, help="输出 PNG 路径（与 --brief 同用）")
    parser.add_argument("--pdf", type=Path, default=None, help="同时保留整份 PDF 到此路径（与 --brief 同用）")
    parser.add_argument("--dpi", type=int, default=80, help="分辨率（默认 80）")
    parser.add_argument("--seed", type=int, default=None, help="随机种子（默认用简报中的种子）")
    parser.add_argument("--profile", choices=("standard", "reading"), default=None, help="版式：standard 或 reading（大字版）")
    args = parser.parse_args(argv)

    from generator.docx_export import convert_many, write_docx
    from generator.errors import DraftgenError
    from generator.pipeline import generate

    if shutil.which("pdftoppm") is None:
        print("未找到 pdftoppm：请安装 poppler-utils", file=sys.stderr)
        return 2
    if args.brief is not None:
        jobs = [(args.brief, args.out or ROOT / "docs" / "page1.png")]
    else:
        jobs = list(DEFAULTS)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="draftgen-preview-") as work:
            work_dir = Path(work)
            pairs = []
            for i, (brief, _) in enumerate(jobs):
                result = generate(brief, seed=args.seed)
                options = result.loaded.org.docx
                if args.profile:
                    options = dataclasses.replace(options, profile=args.profile)
                docx_path = work_dir / f"preview{i}.docx"
                write_docx(result.draft, docx_path, options, Path(result.loaded.path).parent)
                pairs.append((docx_path, docx_path.with_suffix(".pdf")))
            converted = time.perf_counter()
            convert_many(pairs)  # one LibreOffice run for every page
            convert_s = time.perf_counter() - converted
            for (_, pdf_path), (_, out) in zip(pairs, jobs):
                out.parent.mkdir(parents=True, exist_ok=True)
                stem = pdf_path.with_suffix("")
                subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile",
                                str(pdf_path), str(stem)], check=True)
                shutil.move(str(stem.with_suffix(".png")), str(out))
                print(f"已写出 {out}")
            if args.pdf:
                args.pdf.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(pairs[0][1], args.pdf)
    except DraftgenError as e:
        print(str(e), file=sys.stderr)
        return e.exit_code
    total_s = time.perf_counter() - started
    print(f"LibreOffice 转换 {convert_s:.1f} 秒，共 {total_s:.1f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
