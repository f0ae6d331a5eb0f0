"""The two readers of a brief agree: the fast one (fields.py, no pydantic) and pydantic's (validation.py).

The fast reader may give up on anything; what it accepts, pydantic must accept with the very same result.
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from generator.fields import Unsure, fast_convert
from generator.models import Brief, Org
from generator.validation import validate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_briefs import mutate_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*/"))


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _both(cls, data):
    """(fast result or None when unsure, pydantic result or None when it refuses)."""
    try:
        fast = fast_convert(cls, data)
    except Unsure:
        fast = None
    try:
        slow = validate(cls, data)
    except ValidationError:
        slow = None
    return fast, slow


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_read_without_pydantic_and_as_pydantic_reads_it(folder):
    for cls, name in ((Brief, "brief.yaml"), (Org, "org.yaml")):
        fast, slow = _both(cls, _read(folder / name))
        assert fast is not None, f"{folder.name}/{name}: the fast reader gave up on a plain example"
        assert fast == slow


def test_mutated_briefs_and_orgs_read_alike():
    rng = random.Random(20261203)
    accepted = refused = unsure = 0
    for i in range(1500):
        folder = EXAMPLES[i % len(EXAMPLES)]
        cls, name = (Brief, "brief.yaml") if i % 3 else (Org, "org.yaml")
        data = mutate_data(rng, _read(folder / name))
        fast, slow = _both(cls, data)
        if fast is not None:
            assert slow is not None, f"case {i}: the fast reader accepted what pydantic refuses: {data!r:.300}"
            assert fast == slow, f"case {i}: the readers disagree on {data!r:.300}"
            accepted += 1
        elif slow is None:
            refused += 1
        else:
            unsure += 1
    # The mutations must exercise both outcomes, or this test would prove nothing.
    print(f"accepted {accepted}, refused {refused}, left to pydantic and accepted {unsure}")
    assert accepted > 200 and refused > 200, (accepted, refused, unsure)


@pytest.mark.parametrize("change, expected", [
    ({"speaker": {"name": 2026}}, "2026"),  # a number where a name is wanted: pydantic writes it as text
    ({"speaker": {"name": "  王明  "}}, "王明"),  # spaces around a value
    ({"speaker": {"name": "王\n明"}}, "王明"),  # a name broken over lines
])
def test_values_the_fast_reader_leaves_to_pydantic_are_still_read(change, expected):
    data = {**_read(ROOT / "examples" / "school" / "brief.yaml"), **change}
    fast, slow = _both(Brief, data)
    assert slow is not None and slow.speaker.name == expected
    assert fast is None or fast == slow


@pytest.mark.parametrize("written, expected", [("2026年1月20日", dt.date(2026, 1, 20)), ("2026/1/5", dt.date(2026, 1, 5)),
                                               ("2026-01-20", dt.date(2026, 1, 20))])
def test_dates_as_people_write_them(written, expected):
    data = _read(ROOT / "examples" / "school" / "brief.yaml")
    data["meeting"] = {**data["meeting"], "date": written}
    fast, slow = _both(Brief, data)
    assert fast is not None and fast.meeting.date == expected == slow.meeting.date


def test_a_build_of_a_valid_brief_loads_no_pydantic(tmp_path):
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "build",
                           str(ROOT / "examples" / "school" / "brief.yaml"), "-o", str(tmp_path), "--seed", "3"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert "pydantic" not in imported and "jieba" not in imported
    assert list(tmp_path.glob("*.docx"))


def test_a_wrong_brief_is_still_worded_by_pydantic(tmp_path, run_cli):
    brief = tmp_path / "brief.yaml"
    text = (ROOT / "examples" / "school" / "brief.yaml").read_text(encoding="utf-8")
    brief.write_text(text + "\npionts: 3\n", encoding="utf-8")
    (tmp_path / "org.yaml").write_text((ROOT / "examples" / "school" / "org.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    code, out, err = run_cli("build", brief, "-o", tmp_path / "out")
    assert code == 2 and "未知字段" in err and "brief.yaml:" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
