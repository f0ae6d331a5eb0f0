"""`draftgen init`: copy the annotated starter brief and org config into a folder, never overwriting."""

from __future__ import annotations

from pathlib import Path

from .errors import RefusedError
from .export import write_text_atomic
from .paths import TEMPLATES_DIR

STARTER_FILES = ("brief.yaml", "org.yaml")


def write_starter(directory: Path) -> list[Path]:
    directory = Path(directory)
    targets = [directory / name for name in STARTER_FILES]
    existing = [p for p in targets if p.exists()]
    if existing:
        raise RefusedError(problems=[f"{p}: 文件已存在，未覆盖；请换一个目录或先移走该文件" for p in existing])
    if directory.exists() and not directory.is_dir():
        raise RefusedError(problems=[f"{directory}: 已存在同名文件，不是目录"])
    for name, target in zip(STARTER_FILES, targets):
        write_text_atomic(target, (TEMPLATES_DIR / "init" / name).read_text(encoding="utf-8"))
    return targets
