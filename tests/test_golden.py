"""Golden drafts: the examples rendered with fixed seeds, reviewed by reading them.

After an intended change to the bank or templates, regenerate with
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and read the diff before committing it.
"""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLES, ROOT

from generator.export import to_markdown
from generator.pipeline import generate

GOLDEN = ROOT / "tests" / "golden"
CASES = {"school": 2026, "company": None}  # company: the brief's own seed


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_markdown(name):
    result = generate(EXAMPLES / name / "brief.yaml", seed=CASES[name])
    text = to_markdown(result.draft)
    path = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text
