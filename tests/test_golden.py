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
# example → seed (None: the brief's own or derived seed). Every document of the example's paper set.
CASES = {"school": 2026, "company": None, "hospital": None, "work": None}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_markdown(name):
    result = generate(EXAMPLES / name / "brief.yaml", seed=CASES[name])
    for kind, draft in result.documents.items():
        text = to_markdown(draft)
        path = GOLDEN / (f"{name}.md" if kind == result.plan.kind else f"{name}-{kind}.md")
        if os.environ.get("UPDATE_GOLDEN"):
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text
