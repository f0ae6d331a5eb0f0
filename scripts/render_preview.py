#!/usr/bin/env python3
"""Regenerate docs/page1.png: the first page of an example speech as Word output, rendered by LibreOffice.

    .venv/bin/python scripts/render_preview.py                       # examples/school → docs/page1.png
    .venv/bin/python scripts/render_preview.py --brief examples/company/brief.yaml --profile reading \\
        --out /tmp/reading.png --pdf /tmp/reading.pdf

Needs LibreOffice (soffice), poppler-utils (pdftoppm) and a CJK font (fonts-noto-cjk). Machines without the
公文 fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) get fontconfig aliases for this run only, so the
picture shows a serif body and a sans heading rather than whatever fallback comes first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
# Stand-ins used only for the preview: 仿宋/楷体/宋体 look closest to a serif, 黑体 is a sans, 小标宋 a bold serif.
SERIF_NAMES = ("仿宋_GB2312", "仿宋", "FangSong", "楷体_GB2312", "楷体", "KaiTi", "宋体", "SimSun")
SANS_NAMES = ("黑体", "SimHei")
BOLD_SERIF_NAMES = ("方正小标宋简体", "方正小标宋_GBK", "小标宋")


def fontconfig_file(directory: Path) -> Path:
    rules = ['<include ignore_missing="yes">/etc/fonts/fonts.conf</include>']
    for names, family, bold in ((SERIF_NAMES, SERIF, False), (SANS_NAMES, SANS, False),
                                (BOLD_SERIF_NAMES, SERIF, True)):
        for name in names:
            weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else ""
            rules.append(f'<match target="pattern"><test name="family"><string>{name}</string></test>'
                         f'<edit name="family" mode="assign" binding="strong"><string>{family}</string></edit>'
                         f"{weight}</match>")
    path = directory / "fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    + "\n".join(rules) + "\n</fontconfig>\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把示例讲话稿的 Word 输出第 1 页渲染为 PNG（经 LibreOffice）。")
    parser.add_argument("--brief", type=Path, default=ROOT / "examples" / "school" / "brief.yaml", help="简报文件")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "page1.png", help="输出 PNG 路径")
    parser.add_argument("--pdf", type=Path, default=None, help="同时保留整份 PDF 到此路径")
    parser.add_argument("--dpi", type=int, default=80, help="分辨率（默认 80）")
    parser.add_argument("--seed", type=int, default=None, help="随机种子（默认用简报中的种子）")
    parser.add_argument("--profile", choices=("standard", "reading"), default=None, help="版式：standard 或 reading（大字版）")
    parser.add_argument("--system-fonts", action="store_true", help="不设字体替换，按系统默认回退字体渲染")
    args = parser.parse_args(argv)

    from generator.docx_export import convert_to_pdf, write_docx
    from generator.errors import DraftgenError
    from generator.pipeline import generate

    if shutil.which("pdftoppm") is None:
        print("未找到 pdftoppm：请安装 poppler-utils", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        result = generate(args.brief, seed=args.seed)
        options = result.loaded.org.docx
        if args.profile:
            options = options.model_copy(update={"profile": args.profile})
        with tempfile.TemporaryDirectory(prefix="draftgen-preview-") as work:
            work_dir = Path(work)
            docx_path = work_dir / "preview.docx"
            pdf_path = work_dir / "preview.pdf"
            write_docx(result.draft, docx_path, options, Path(result.loaded.path).parent)
            if not args.system_fonts:
                os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(work_dir))
            converted = time.perf_counter()
            convert_to_pdf(docx_path, pdf_path)
            convert_s = time.perf_counter() - converted
            args.out.parent.mkdir(parents=True, exist_ok=True)
            stem = work_dir / "page"
            subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile",
                            str(pdf_path), str(stem)], check=True)
            shutil.move(str(stem.with_suffix(".png")), str(args.out))
            if args.pdf:
                args.pdf.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(pdf_path, args.pdf)
    except DraftgenError as e:
        print(str(e), file=sys.stderr)
        return e.exit_code
    total_s = time.perf_counter() - started
    print(f"已写出 {args.out}（LibreOffice 转换 {convert_s:.1f} 秒，共 {total_s:.1f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
