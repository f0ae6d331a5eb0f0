"""Dataclasses made with the method cache behave as plainly made ones, and a damaged cache file is ignored."""

from __future__ import annotations

import dataclasses
from typing import Optional

import pytest

from generator import classcache


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty cache folder and table, with the cache installed in the dataclasses module."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DRAFTGEN_NO_CACHE", raising=False)
    monkeypatch.setattr(classcache, "_table", None)
    monkeypatch.setattr(classcache, "_added", False)
    monkeypatch.setattr(dataclasses, "exec", classcache._exec, raising=False)
    yield tmp_path / "draftgen"


def _make():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Point:
        x: int
        y: int = 2
        tags: tuple[str, ...] = ()
        note: Optional[str] = dataclasses.field(default=None, compare=False)

    @dataclasses.dataclass(order=True)
    class Count:
        n: int
        items: list = dataclasses.field(default_factory=list)

    return Point, Count


def _behaviour(Point, Count) -> list:
    p = Point(x=1, tags=("a",), note="n")
    out = [repr(p), p == Point(x=1, tags=("a",)), hash(p) == hash(Point(x=1, tags=("a",))), p.y]
    try:
        p.x = 5
    except dataclasses.FrozenInstanceError:
        out.append("frozen")
    try:
        Point(1)
    except TypeError as e:
        out.append(str(e))
    c = Count(3)
    c.items.append(1)
    out += [repr(c), Count(1) < Count(2), Count(2).items is not Count(2).items, dataclasses.astuple(c)]
    return out


def test_classes_made_from_cached_code_behave_as_plain_ones(fresh, monkeypatch):
    cached_first = _behaviour(*_make())
    classcache.save()
    assert list(fresh.glob("classes-*.marshal"))
    monkeypatch.setattr(classcache, "_table", None)  # a new process: read the code back from the file
    assert classcache._load()
    cached_again = _behaviour(*_make())
    monkeypatch.delattr(dataclasses, "exec")
    plain = _behaviour(*_make())
    assert cached_first == cached_again == plain
    assert "frozen" in plain and "positional" in plain[5]


def test_the_cached_code_is_what_the_builtin_compiles(fresh):
    _make()
    assert classcache._table
    for source, code in classcache._table.items():
        assert code == compile(source, "<string>", "exec", dont_inherit=True)
        # no future flag of this test module (annotations) leaks in: a return annotation stays an object
        assert not code.co_flags & 0x1000000


def test_a_damaged_or_foreign_cache_file_is_ignored(fresh, monkeypatch):
    _make()
    classcache.save()
    (path,) = fresh.glob("classes-*.marshal")
    path.write_bytes(path.read_bytes()[:300])  # cut short, as by a crash mid-write
    monkeypatch.setattr(classcache, "_table", None)
    assert _behaviour(*_make())[3] == 2
    monkeypatch.setattr(classcache, "_table", None)
    path.write_bytes(b"not a cache file at all")
    assert _behaviour(*_make())[3] == 2
