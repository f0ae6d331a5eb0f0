"""Files kept in the user's cache folder (paths.cache_dir) between runs: the compiled Word package of the
standard layout, for one. Each file starts with a magic line and the digest of what it was made from; a file
that is missing, foreign (another user's), damaged or from other sources reads as None, and the caller makes
it afresh. Writes go beside the target and are renamed into place, so two builds at once never see half a
file. Failing to cache is never an error."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Optional

from .paths import cache_dir

_MAGIC = b"draftgen-cache\n"


def read(name: str, digest: str) -> Optional[bytes]:
    try:
        with open(cache_dir() / name, "rb") as f:
            if hasattr(os, "getuid") and os.fstat(f.fileno()).st_uid != os.getuid():
                return None
            head = f.read(len(_MAGIC) + len(digest) + 1)
            if head != _MAGIC + digest.encode("ascii") + b"\n":
                return None
            return f.read()
    except (OSError, ValueError):
        return None


def write(name: str, digest: str, data: bytes) -> None:
    if replace(cache_dir() / name, _MAGIC + digest.encode("ascii") + b"\n" + data):
        prune(name.split("-", 1)[0] + "-", keep=name)


def replace(path: Path, data: bytes, prefix: str = ".cache-") -> bool:
    """Write ``data`` beside ``path`` and rename it into place, so a reader (another build at the same moment)
    sees the old file or the new one, never half of one; whether that worked (failing is no error)."""
    import tempfile

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def read_table(name: str, digest: str) -> dict:
    """A dict kept with marshal (the compiled-pattern and dataclass-code caches); empty when missing or damaged."""
    import marshal

    blob = read(name, digest)
    if blob is not None:
        try:
            table = marshal.loads(blob)
            if isinstance(table, dict):
                return table
        except (ValueError, EOFError, TypeError):
            pass  # damaged: start afresh, and the next write replaces it
    return {}


def write_table(name: str, digest: str, table: dict, used: set, limit: int) -> None:
    """Write ``table``; past ``limit`` records, only those this run ``used``, so it cannot grow without end."""
    import marshal

    if len(table) > limit:
        table = {k: v for k, v in table.items() if k in used}
    try:
        blob = marshal.dumps(table)
    except ValueError:  # something marshal cannot write: go without the cache rather than fail a build
        return
    write(name, digest, blob)


KEEP = 4  # files kept per kind: a few bank versions (branches, an edited bank) without growing for ever


def prune(prefix: str, keep: str) -> None:
    """Remove all but the most recent few cache files of one kind (``prefix``), never ``keep`` itself. A
    file removed under another build's feet only makes that build compile afresh."""
    import time

    folder = cache_dir()
    try:
        found = sorted((p for p in folder.glob(prefix + "*") if p.name != keep and not p.name.startswith(".")),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        # A half-written file of a process killed while writing (a kill -9): gone after an hour.
        stale = [p for p in folder.glob(".*.tmp") if time.time() - p.stat().st_mtime > 3600]
    except OSError:
        return
    for old in stale:
        with contextlib.suppress(OSError):
            old.unlink()
    for old in found[KEEP - 1:]:
        with contextlib.suppress(OSError):
            old.unlink()
