"""The compiled-pattern cache gives back exactly what re.compile gives, and survives a damaged file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import regexcache

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(regexcache._sre is None, reason="this Python has no re._compiler to cache for")

PATTERNS = [
    r"[\u4e00-\u9fff]{4,}", r"(?P<num>[一二三四五六七八九十]{1,3}|\d{1,2})(?:个|点|条|项)", r"(.{1,8})\1",
    r"(?<![A-Za-z0-9])[XＸ](?=\s?[\u4e00-\u9fff])", r"截止(?=到?(?:\d|目前))", r"^\s*[（(]\s*(\d{1,2})\s*[）)]",
    r"(?i)draftgen", r"[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]",
]


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache folder and table, with the cache installed in front of re's compiler."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(regexcache, "_table", None)
    monkeypatch.setattr(regexcache, "_added", False)
    monkeypatch.setattr(re._compiler, "compile", regexcache._compile)
    re.purge()
    yield tmp_path / "draftgen"
    re.purge()


def _compile_all():
    re.purge()  # past re's own in-process cache, to the compiler step
    return [re.compile(p, re.M if i % 2 else 0) for i, p in enumerate(PATTERNS)]


def test_a_pattern_rebuilt_from_its_record_equals_a_freshly_compiled_one(fresh, monkeypatch):
    first = _compile_all()
    regexcache.save()
    assert list(fresh.glob("regex-*.marshal"))
    monkeypatch.setattr(regexcache, "_table", None)  # as a new process: read the records back from the file
    regexcache._load()
    assert all((p, re.M if i % 2 else 0) in regexcache._table for i, p in enumerate(PATTERNS))
    again = _compile_all()
    monkeypatch.setattr(re._compiler, "compile", regexcache._original)
    plain = _compile_all()
    # Pattern equality compares the pattern, its flags and the engine's code.
    assert again == plain == first
    assert [p.groupindex for p in again] == [p.groupindex for p in plain]
    text = "截止目前，一是三个方面：X光与Ｘ同志，讲讲讲讲，DraftGen"
    assert [[m.span() for m in p.finditer(text)] for p in again] == [[m.span() for m in p.finditer(text)] for p in plain]


def test_a_damaged_or_foreign_cache_file_is_ignored(fresh, monkeypatch):
    _compile_all()
    regexcache.save()
    (path,) = fresh.glob("regex-*.marshal")
    path.write_bytes(path.read_bytes()[:200])  # cut short, as by a crash mid-write by an older version
    monkeypatch.setattr(regexcache, "_table", None)
    assert _compile_all() == [re.compile(p, re.M if i % 2 else 0) for i, p in enumerate(PATTERNS)]
    monkeypatch.setattr(regexcache, "_table", None)
    path.write_bytes(b"not a cache file at all")
    assert _compile_all()[0].findall("一二三四五六") == ["一二三四五六"]


def test_the_command_fills_its_caches_and_a_second_run_gives_the_same_draft(tmp_path):
    """The compiled patterns and the dataclasses' compiled methods (generator/classcache.py) alike."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1767225600"}
    outs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        done = subprocess.run([sys.executable, "-m", "generator", "build", str(ROOT / "examples" / "school" / "brief.yaml"),
                               "-o", str(out), "--seed", "5", "-f", "md"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        outs.append(next(out.glob("*.md")).read_text(encoding="utf-8"))
    assert list((tmp_path / "cache" / "draftgen").glob("regex-*.marshal"))
    assert list((tmp_path / "cache" / "draftgen").glob("classes-*.marshal"))
    assert outs[0] == outs[1]


def test_beyond_its_limit_the_file_keeps_only_what_the_last_run_used(fresh, monkeypatch):
    monkeypatch.setattr(regexcache, "_LIMIT", 5)
    monkeypatch.setattr(regexcache, "_used", set())
    for i in range(4):
        re.compile(f"甲{i}[\u4e00-\u9fff]")
    regexcache.save()  # four records: within the limit
    monkeypatch.setattr(regexcache, "_table", None)
    monkeypatch.setattr(regexcache, "_used", set())
    re.purge()
    for p in ("甲0[\u4e00-\u9fff]", "乙[\u4e00-\u9fff]", "丙[\u4e00-\u9fff]"):
        re.compile(p)
    regexcache.save()  # six records would pass the limit: only this run's three are written
    monkeypatch.setattr(regexcache, "_table", None)
    kept = {p for p, _ in regexcache._load()}
    assert kept == {"甲0[\u4e00-\u9fff]", "乙[\u4e00-\u9fff]", "丙[\u4e00-\u9fff]"}


def test_a_second_run_compiles_nothing_new(tmp_path):
    """Every pattern a build makes is the same from run to run (no set's order in it), so once the cache is
    filled a build neither compiles nor writes it again."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    stamps = []
    for n in range(3):
        done = subprocess.run([sys.executable, "-m", "generator", "build", str(ROOT / "examples" / "school" / "brief.yaml"),
                               "-o", str(tmp_path / "out"), "-f", "md", "--force"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        (path,) = (tmp_path / "cache" / "draftgen").glob("regex-*.marshal")
        stamps.append((path.stat().st_mtime_ns, path.read_bytes()))
    assert stamps[1] == stamps[2]
