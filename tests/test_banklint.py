"""`draftgen bank lint`: one failing fixture per code, the shipped bank clean, CLI output and exit codes."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from generator.banklint import CODES, lint_paths

FIXTURES = ROOT / "tests" / "fixtures" / "bank"
TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_has_a_failing_fixture_that_yields_exactly_that_code(code):
    path = FIXTURES / f"{code}.yaml"
    findings = lint_paths([path], today=TODAY)
    assert [f.code for f in findings] == [code], [str(f) for f in findings]
    finding = findings[0]
    assert finding.file == str(path)
    assert finding.line >= 3  # the entry's own line, not the top of the file


def test_passing_fixture_has_no_findings():
    assert lint_paths([FIXTURES / "good.yaml"], today=TODAY) == []


def test_shipped_bank_is_clean():
    findings = lint_paths(today=TODAY)
    assert findings == [], "\n".join(map(str, findings))


def test_cli_reports_file_line_code_and_fails(run_cli):
    code, out, err = run_cli("bank", "lint", FIXTURES / "BL012.yaml")
    assert code == 1
    assert f"{FIXTURES / 'BL012.yaml'}:3: BL012 含有阿拉伯数字" in out
    assert "1 个错误" in out


def test_cli_passes_on_the_bank(run_cli):
    code, out, _ = run_cli("bank", "lint")
    assert code == 0, out
    assert "未发现问题" in out
