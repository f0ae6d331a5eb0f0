"""Where the shipped data lives, both in a source checkout and in an installed wheel."""

from __future__ import annotations

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
