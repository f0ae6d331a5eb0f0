"""`draftgen check` from the command line: exit codes, formats, dates, briefs, fixes."""

from __future__ import annotations

import json
import re

from conftest import EXAMPLES, SAMPLES
import pytest


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_errors_give_exit_1_and_located_lines(run_cli, tmp_path):
    path = write(tmp_path, "稿.txt", "同志们：\n\n我们要抓好抓好基层党建工作。\n")
    code, out, _ = run_cli("check", path, "--date", "2026-01-20")
    assert code == 1
    assert f"{path}:3: DG101 错误" in out and "抓好抓好" in out


def test_clean_text_gives_exit_0(run_cli, tmp_path):
    path = write(tmp_path, "稿.txt", "同志们：\n\n我们要持续抓好基层党建工作。\n")
    code, out, _ = run_cli("check", path, "--date", "2026-01-20")
    assert code == 0, out


def test_json_format(run_cli, tmp_path):
    path = write(tmp_path, "稿.md", "# 标题\n\n深入学习贯彻党的十九大精神。\n")
    code, out, _ = run_cli("check", path, "--date", "2026-01-20", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [f["code"] for f in data["files"][0]["findings"]] == ["DG401"]


def test_date_comes_from_the_draft_itself(run_cli, tmp_path):
    text = "# 在会上的讲话\n\n王明\n\n（2021年6月20日）\n\n以优异成绩庆祝建党100周年。\n"
    path = write(tmp_path, "稿.md", text)
    assert run_cli("check", path)[0] == 0  # 2021: the centenary is current
    assert run_cli("check", path, "--date", "2026-01-20")[0] == 1


def test_brief_names_are_never_flagged(run_cli, tmp_path):
    # A unit named after a road looks like a stale formula (十三五) unless the brief names it.
    path = write(tmp_path, "稿.txt", "同志们：\n\n十三五路社区党支部工作扎实。\n")
    assert run_cli("check", path, "--date", "2026-01-20")[0] == 1
    brief = tmp_path / "brief.yaml"
    text = re.sub(r"  reporters: 13.*\n", "  reporters_list: [{name: 赵刚, unit: 十三五路社区党支部}]\n",
                  (EXAMPLES / "school" / "brief.yaml").read_text(encoding="utf-8"))
    text = re.sub(r"  written_reporters: 2.*\n", "", text)
    assert "十三五路" in text
    brief.write_text(text, encoding="utf-8")
    (tmp_path / "org.yaml").write_text((EXAMPLES / "school" / "org.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    code, out, err = run_cli("check", path, "--brief", brief)
    assert code == 0, out + err


def test_fix_writes_beside_and_never_over_the_input(run_cli, tmp_path):
    path = write(tmp_path, "稿.txt", "同志们:\n\n我们要抓好基层党建,推动工作。。\n")
    code, out, _ = run_cli("check", path, "--fix", "--date", "2026-01-20")
    fixed = tmp_path / "稿.fixed.txt"
    assert fixed.read_text(encoding="utf-8") == "同志们：\n\n我们要抓好基层党建，推动工作。\n"
    assert path.read_text(encoding="utf-8").startswith("同志们:")
    code, _, err = run_cli("check", path, "--fix", "--date", "2026-01-20")
    assert code == 2 and "已存在" in err


def test_unreadable_file_exit_2(run_cli, tmp_path):
    path = tmp_path / "稿.txt"
    path.write_bytes("同志们".encode("utf-16"))
    code, _, err = run_cli("check", path)
    assert code == 2 and str(path) in err and "Traceback" not in err


def test_bad_date_exit_2(run_cli, tmp_path):
    path = write(tmp_path, "稿.txt", "同志们：\n")
    code, _, err = run_cli("check", path, "--date", "明年")
    assert code == 2 and "--date" in err


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples/ 不存在")
def test_samples_fail_the_check(run_cli):
    code, out, _ = run_cli("check", *sorted(SAMPLES.glob("*.txt")), "--date", "2026-01-20")
    assert code == 1
    assert "抓好抓好" in out and "也是是" in out and "十三五" in out


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples/ 不存在")
def test_outline_command_reports_declared_and_actual(run_cli):
    code, out, _ = run_cli("outline", SAMPLES / "2-review-meeting-schools.txt")
    assert code == 0
    assert "宣布“讲三点意见”（3 点），实有 3 个部分，一致" in out
    code, out, _ = run_cli("outline", SAMPLES / "3-review-meeting-company.txt", "--format", "json")
    assert code == 0 and json.loads(out)["files"][0]["declared"] == 2
    code, _, err = run_cli("outline", SAMPLES / "3-review-meeting-company.txt", "--format", "xml")
    assert code == 2 and "--format" in err


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples/ 不存在")
def test_mine_command_writes_candidates_and_refuses_to_overwrite(run_cli, tmp_path):
    out_file = tmp_path / "候选.yaml"
    code, out, err = run_cli("mine", SAMPLES / "2-review-meeting-schools.txt", "-o", out_file)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "candidates:" in text and "directive_headline" in text
    code, _, err = run_cli("mine", SAMPLES / "2-review-meeting-schools.txt", "-o", out_file)
    assert code == 2 and "已存在" in err
    from conftest import ROOT

    code, _, err = run_cli("mine", SAMPLES / "2-review-meeting-schools.txt", "-o", ROOT / "phrasebank" / "x.yaml")
    assert code == 2 and not (ROOT / "phrasebank" / "x.yaml").exists()
