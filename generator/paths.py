"""Where the shipped data lives, both in a source checkout and in an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # In a wheel the data is installed as generator/<name>; in a checkout it sits beside generator/.
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


TEMPLATES_DIR = _data_dir("templates")
PHRASEBANK_DIR = _data_dir("phrasebank")
RULES_DIR = PHRASEBANK_DIR / "rules"


def cache_dir() -> Path:
    """The user's cache folder: $XDG_CACHE_HOME/draftgen, else ~/.cache/draftgen. Never /tmp, where any user
    could plant a file under a predictable name, and never the package folder, which may be read-only."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "draftgen"
