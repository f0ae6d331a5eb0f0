"""`draftgen schema` and `draftgen bank stats`."""

from __future__ import annotations

import json

from conftest import EXAMPLES, ROOT

from generator.bank import default_bank
from generator.bankstats import THIN, coverage, usage_audit
from generator.schema import render_schemas


def test_committed_schemas_are_current():
    for name, text in render_schemas().items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} 已过期：运行 draftgen schema --force 重新生成"


def test_brief_schema_knows_the_fields_topics_and_org_types():
    brief = json.loads(render_schemas()["brief.schema.json"])
    assert {"kind", "org", "meeting", "speaker", "focus", "achievements", "problems", "points", "length",
            "seed"} <= set(brief["properties"])
    assert "组织建设" in brief["properties"]["focus"]["items"]["enum"]
    assert "hospital" in brief["$defs"]["Org"]["properties"]["type"]["enum"]
    assert brief["properties"]["meeting"]["$ref"].endswith("Meeting")


def test_examples_point_editors_at_the_schemas():
    for brief in EXAMPLES.glob("*/brief.yaml"):
        first = brief.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/brief.schema.json"
        assert (brief.parent / "../../schemas/brief.schema.json").resolve().is_file()


def test_schema_command_refuses_to_overwrite(run_cli, tmp_path):
    code, out, _ = run_cli("schema", "-o", tmp_path)
    assert code == 0 and (tmp_path / "bank.schema.json").is_file()
    code, _, err = run_cli("schema", "-o", tmp_path)
    assert code == 2 and "已存在" in err


def test_coverage_cells_are_never_thin_for_any_unit_type():
    thin = {cell: n for cell, n in coverage(default_bank()).items() if n < THIN}
    assert thin == {}


def test_usage_audit_counts_real_drafts():
    used, drafts = usage_audit(default_bank(), drafts_per_type=2)
    assert drafts == 16
    assert sum(used.values()) > 16 * 30  # every draft uses dozens of entries
    assert max(used.values()) <= drafts


def test_stats_command_prints_matrix_and_audit(run_cli):
    code, out, _ = run_cli("bank", "stats", "--drafts", "1")
    assert code == 0
    assert "覆盖矩阵" in out and "用法审计" in out and "考核督查问责" in out
