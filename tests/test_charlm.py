"""The context rule's character trigram model (generator/charlm.py): counted from the bank, placeholders
filled, kept in the user's cache and pruned there like the other tables."""

from __future__ import annotations

import os

import pytest

from generator import charlm, diskcache


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "draftgen"


def test_bank_texts_fill_placeholders_with_typical_values():
    from generator.banklint import TYPICAL_VALUES

    texts = charlm.bank_texts()
    assert texts and not any("{" in t for t in texts)
    with_unit = [t for t in texts if TYPICAL_VALUES["unit"] in t]
    assert with_unit  # {unit} reads 学校党委, so the model learns the run around it, not a break


def test_the_model_is_built_from_the_bank_once_then_read_from_the_cache(cache_home):
    built = []

    def texts():
        built.append(1)
        return charlm.bank_texts()

    first = charlm.load(b"test\0" + charlm.bank_key(), texts)
    assert built == [1] and [p.name[:7] for p in cache_home.glob("charlm-*.marshal")] == ["charlm-"]
    second = charlm.load(b"test\0" + charlm.bank_key(), texts)
    assert built == [1]  # the second load reads the cache and never counts the bank again
    # the bank writes 履行党员义务: the model prefers it to 旅行党员义务
    s = "^不履行党员义务$"
    assert second.around(s, 2) > second.around(s.replace("履", "旅"), 2)
    assert second.around(s, 2) == first.around(s, 2)


def test_old_model_files_are_pruned_like_the_other_tables(cache_home):
    cache_home.mkdir(parents=True)
    old = [cache_home / f"charlm-{i:012d}.marshal" for i in range(6)]
    for i, path in enumerate(old):
        path.write_bytes(b"stale")
        os.utime(path, (1000 + i, 1000 + i))
    charlm.load(b"test\0" + charlm.bank_key(), charlm.bank_texts)
    left = sorted(p.name for p in cache_home.glob("charlm-*"))
    assert len(left) == diskcache.KEEP and all(p.name in left for p in old[-(diskcache.KEEP - 1):])
