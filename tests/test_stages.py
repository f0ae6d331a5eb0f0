"""Unit tests of the small stages: context (defaults and derived values), render helpers, export."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from generator.bank import default_bank
from generator.context import Overrides, build_context, derive_seed
from generator.export import atomic_path, to_markdown, to_text, write_draft
from generator.models import Block, Draft, Org
from generator.render import _blocks, chinese_number, count_word
from generator.samplebriefs import sample_brief

BANK = default_bank()


def ctx_for(date=dt.date(2026, 1, 20), **org_fields):
    loaded = sample_brief("hospital", date=date)
    if org_fields:
        org = Org(**{"name": "中共某医院委员会", "type": "hospital", **org_fields})
        loaded = type(loaded)(loaded.brief, org, loaded.path, loaded.digest)
    return build_context(loaded, BANK)


@pytest.mark.parametrize("date, year", [
    (dt.date(2026, 1, 20), 2025),  # a first-quarter meeting reviews the year before
    (dt.date(2026, 3, 31), 2025),
    (dt.date(2026, 4, 1), 2026),
    (dt.date(2025, 12, 30), 2025),
])
def test_review_year_follows_the_meeting_date(date, year):
    assert ctx_for(date).review_year == year


def test_org_type_defaults_fill_what_the_org_config_leaves_out():
    ctx = build_context(sample_brief("hospital"), BANK)
    assert (ctx.business, ctx.members) == ("医疗服务", "党员医务人员")
    own = ctx_for(business="医疗救治", members="党员医护人员", short_name="院党委")
    assert (own.business, own.members, own.unit) == ("医疗救治", "党员医护人员", "院党委")


def test_command_line_overrides_the_brief():
    loaded = sample_brief("school", length=3000)
    ctx = build_context(loaded, BANK, Overrides(seed=5, length=4500, kinds=("review", "news")))
    assert (ctx.seed, ctx.length, ctx.kinds) == (5, 4500, ("review", "news"))
    assert build_context(loaded, BANK).seed == derive_seed(loaded)


@pytest.mark.parametrize("n, text", [(1, "一"), (2, "二"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text


def test_two_is_liang_before_a_measure_word():
    assert count_word(2) == "两" and count_word(3) == "三"


def test_template_lines_without_a_role_are_a_bug_not_text():
    assert _blocks("@title 标题\n\n@p 正文。", "t") == [Block("title", "标题"), Block("paragraph", "正文。")]
    with pytest.raises(RuntimeError):
        _blocks("@p 正文。\n没有角色的一行", "t")
    with pytest.raises(RuntimeError):
        _blocks("@p 一段。@p 另一段。", "t")


DRAFT = Draft(kind="review", title="在会上的讲话", blocks=(
    Block("title", "在会上的讲话"), Block("meta", "王明"), Block("salutation", "同志们："),
    Block("heading1", "一、要点"), Block("paragraph", "一要抓好落实。"), Block("closing", "谢谢大家！")))


def test_markdown_puts_block_i_on_line_2i_plus_1():
    lines = to_markdown(DRAFT).splitlines()
    for i, block in enumerate(DRAFT.blocks):
        assert lines[2 * i].endswith(block.text)
    assert lines[0] == "# 在会上的讲话" and lines[6] == "## 一、要点"
    assert to_text(DRAFT).splitlines()[0] == "在会上的讲话"


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "稿.md"
    target.write_text("原稿", encoding="utf-8")
    with pytest.raises(ValueError):
        with atomic_path(target) as tmp:
            tmp.write_text("半截", encoding="utf-8")
            raise ValueError("disk full")
    assert target.read_text(encoding="utf-8") == "原稿"
    assert os.listdir(tmp_path) == ["稿.md"]


def test_write_draft_refuses_all_when_one_exists(tmp_path):
    (tmp_path / "稿.docx").write_text("x", encoding="utf-8")
    from generator.errors import RefusedError

    with pytest.raises(RefusedError):
        write_draft(DRAFT, tmp_path, "稿", ["md", "docx"])
    assert not (tmp_path / "稿.md").exists()
    paths = write_draft(DRAFT, tmp_path, "稿", ["md", "docx"], force=True)
    assert [p.name for p in paths] == ["稿.md", "稿.docx"]
