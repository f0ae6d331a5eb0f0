"""`draftgen init`: copy the annotated starter brief and org config into a folder, never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import RefusedError
from .export import OutputSet
from .paths import TEMPLATES_DIR

STARTER_FILES = ("brief.yaml", "org.yaml")


def write_starter(directory: Path) -> list[Path]:
    """Write both starter files, or neither. A name that exists in any form, a symbolic link too (even one
    that points nowhere), is refused: writing through a link would put the file somewhere unexpected."""
    directory = Path(directory)
    if os.path.lexists(directory) and not directory.is_dir():
        raise RefusedError(problems=[f"{directory}: 已存在同名文件，不是目录；请换一个目录"])
    targets = [directory / name for name in STARTER_FILES]
    problems = []
    for p in targets:
        if os.path.islink(p):
            problems.append(f"{p}: 是符号链接，未写入；请换一个目录或先移走该链接")
        elif os.path.lexists(p):
            problems.append(f"{p}: 文件已存在，未覆盖；请换一个目录或先移走该文件")
    if problems:
        raise RefusedError(problems=problems)
    with OutputSet(force=False) as out:
        for name, target in zip(STARTER_FILES, targets):
            out.add_text(target, (TEMPLATES_DIR / "init" / name).read_text(encoding="utf-8"))
        return out.commit()
