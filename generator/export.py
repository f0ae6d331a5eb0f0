"""Stage 6 — export: the only writer of files. .docx, .md, .txt (and .pdf through LibreOffice).

Every file is written to a temporary file in the target folder and renamed into place, so a failure
never leaves a half-written draft; an existing file is replaced only with ``force``.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .errors import InputError, RefusedError
from .models import DocxOptions, Draft

FORMATS = ("docx", "md", "txt", "pdf")
_MD_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### "}
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def to_markdown(draft: Draft) -> str:
    """One block per paragraph with a blank line between, so block i stands on line 2i+1."""
    return "\n\n".join(_MD_PREFIX.get(b.role, "") + b.text for b in draft.blocks) + "\n"


def to_text(draft: Draft) -> str:
    return "\n\n".join(b.text for b in draft.blocks) + "\n"


def output_stem(meeting_name: str, suffix: str = "讲话稿") -> str:
    name = _UNSAFE_FILENAME.sub("_", meeting_name).strip(" .") or "draft"
    return f"{name}-{suffix}"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it into place, on failure remove it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=target.suffix + ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def planned_paths(out_dir: Path, stem: str, formats: Iterable[str]) -> list[Path]:
    return [out_dir / f"{stem}.{fmt}" for fmt in formats]


def refuse_existing(paths: Iterable[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise RefusedError(problems=[f"{p}: 文件已存在，未覆盖；如需替换请加 --force" for p in existing])


def write_draft(draft: Draft, out_dir: Path, stem: str, formats: Iterable[str], *, force: bool = False,
                docx_options: Optional[DocxOptions] = None, base_dir: Optional[Path] = None) -> list[Path]:
    """Write ``draft`` in each format. All targets are checked before anything is written."""
    formats = list(dict.fromkeys(formats))
    targets = planned_paths(out_dir, stem, formats)
    refuse_existing(targets, force)
    writers: dict[str, Callable[[Path], None]] = {
        "md": lambda p: write_text_atomic(p, to_markdown(draft)),
        "txt": lambda p: write_text_atomic(p, to_text(draft)),
        "docx": lambda p: _write_docx(draft, p, docx_options, base_dir),
        "pdf": lambda p: _write_pdf(draft, p, docx_options, base_dir),
    }
    if "pdf" in formats:
        from .docx_export import NO_SOFFICE, find_soffice

        if find_soffice() is None:  # checked first, so no other format is written either
            raise InputError(problems=[NO_SOFFICE])
    for fmt, target in zip(formats, targets):
        writers[fmt](target)
    return targets


def _write_docx(draft: Draft, target: Path, options, base_dir) -> None:
    from .docx_export import write_docx  # python-docx is imported only when a .docx is asked for

    with atomic_path(target) as tmp:
        write_docx(draft, tmp, options, base_dir)


def _write_pdf(draft: Draft, target: Path, options, base_dir) -> None:
    from .docx_export import convert_to_pdf, write_docx

    with tempfile.TemporaryDirectory(prefix="draftgen-pdf-") as work:
        docx_path = Path(work) / "draft.docx"
        write_docx(draft, docx_path, options, base_dir)
        with atomic_path(target) as tmp:
            convert_to_pdf(docx_path, tmp)
