"""The command line as a user meets it: init, build, exit codes, messages, nothing overwritten."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

STEM = "2025年度基层党组织书记抓基层党建工作述职评议会-讲话稿"


def test_help_and_version_are_chinese(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    assert "用法：draftgen" in out and "命令" in out and "生成" in out
    assert "Show this message" not in out and "Usage" not in out
    code, out, _ = run_cli("build", "--help")
    assert code == 0 and "输出目录" in out and "--force" in out
    code, out, _ = run_cli("--version")
    assert code == 0 and re.fullmatch(r"draftgen \d+\.\d+\.\d+\n", out)


def test_init_writes_starter_that_builds_and_refuses_to_overwrite(run_cli, tmp_path):
    target = tmp_path / "我的讲话"
    code, out, _ = run_cli("init", target)
    assert code == 0
    brief = target / "brief.yaml"
    assert brief.is_file() and (target / "org.yaml").is_file()
    assert "# 会议全称" in brief.read_text(encoding="utf-8")
    before = brief.read_text(encoding="utf-8")
    code, _, err = run_cli("init", target)
    assert code == 2 and "已存在" in err
    assert brief.read_text(encoding="utf-8") == before
    code, out, err = run_cli("build", brief, "-o", tmp_path / "输出", "--format", "md")
    assert code == 0, err
    assert (tmp_path / "输出" / f"{STEM}.md").is_file()


def test_build_writes_docx_and_md_and_reports(run_cli, tmp_path):
    code, out, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", tmp_path)
    assert code == 0, err
    docx, md = tmp_path / f"{STEM}.docx", tmp_path / f"{STEM}.md"
    assert docx.is_file() and md.is_file()
    assert zipfile.is_zipfile(docx)
    assert str(docx) in out and str(md) in out
    chars = int(re.search(r"字数：(\d+) 字", out).group(1))
    minutes = int(re.search(r"预计讲话约 (\d+) 分钟", out).group(1))
    assert abs(minutes - chars / 220) <= 1
    assert re.search(r"种子：\d+", out)
    # The terminal lists every gap the draft carries (here: the effect of the brief's named example).
    gaps = re.findall(r"【待补充：[^】]+】", md.read_text(encoding="utf-8"))
    assert gaps and all(g in out for g in gaps)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_existing_output_is_not_replaced_without_force(run_cli, tmp_path):
    md = tmp_path / f"{STEM}.md"
    md.write_text("用户改过的稿子", encoding="utf-8")
    code, _, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", tmp_path, "--format", "docx,md")
    assert code == 2
    assert f"{md}: 文件已存在，未覆盖；如需替换请加 --force" in err
    assert md.read_text(encoding="utf-8") == "用户改过的稿子"
    assert not (tmp_path / f"{STEM}.docx").exists(), "nothing may be written when one target is refused"
    code, _, _ = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", tmp_path, "--format", "md", "--force")
    assert code == 0 and md.read_text(encoding="utf-8").startswith("# 在2025年度")


def test_bad_brief_gives_located_message_exit_2_and_writes_nothing(run_cli, tmp_path, example_copy):
    brief = example_copy("school")
    text = brief.read_text(encoding="utf-8").replace("reporters: 13", "reporters: 十三")
    brief.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "reporters: 十三" in l)
    out_dir = tmp_path / "out"
    code, out, err = run_cli("build", brief, "-o", out_dir)
    assert code == 2
    assert err.strip() == f"{brief}:{line}: meeting.reporters: 应为整数，实为“十三”"
    assert "Traceback" not in err
    assert not out_dir.exists()


@pytest.mark.parametrize("args, message", [
    (["--format", "doc"], "--format: 不支持的格式“doc”"),
    (["--length", "900"], "--length: 应在 1500～8000 之间"),
    (["--bogus"], "未知选项 --bogus"),
])
def test_bad_options_exit_2(run_cli, tmp_path, args, message):
    code, _, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", tmp_path, *args)
    assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []


def test_missing_brief_file(run_cli, tmp_path):
    code, _, err = run_cli("build", tmp_path / "无此文件.yaml", "-o", tmp_path)
    assert code == 2 and "文件不存在" in err


def test_pdf_without_libreoffice_is_refused_cleanly(run_cli, tmp_path, monkeypatch):
    import generator.docx_export as dx

    monkeypatch.setattr(dx, "find_soffice", lambda: None)
    code, _, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", tmp_path, "--format", "docx,pdf")
    assert code == 2 and "未找到 LibreOffice" in err
    assert list(tmp_path.iterdir()) == []


def test_seed_option_reproduces_and_plan_records_choices(run_cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        code, _, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", out, "--format", "md", "--seed", "9",
                               "--plan")
        assert code == 0, err
    assert (a / f"{STEM}.md").read_text(encoding="utf-8") == (b / f"{STEM}.md").read_text(encoding="utf-8")
    record = json.loads((a / f"{STEM}.plan.json").read_text(encoding="utf-8"))
    assert record["seed"] == 9 and len(record["entry_ids"]) > 20


def test_variants_and_avoid_used(run_cli, tmp_path):
    code, out, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", tmp_path, "--format", "md",
                             "--variants", "2", "--plan")
    assert code == 0, err
    one, two = (tmp_path / f"{STEM}-备选{i}.md" for i in (1, 2))
    assert one.read_text(encoding="utf-8") != two.read_text(encoding="utf-8")
    last_year = tmp_path / f"{STEM}-备选1.plan.json"
    used = set(json.loads(last_year.read_text(encoding="utf-8"))["entry_ids"])
    code, _, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", "-o", tmp_path / "new", "--format", "md",
                           "--plan", "--avoid-used", last_year)
    assert code == 0, err
    now = set(json.loads((tmp_path / "new" / f"{STEM}.plan.json").read_text(encoding="utf-8"))["entry_ids"])
    # Dated formulas and the frames that only wrap the brief's own facts (fr-f…) may recur; nothing else.
    assert {i for i in now & used if not i.startswith(("fml-", "fr-f", "frh-f"))} == set()


def test_several_briefs_in_one_run(run_cli, tmp_path):
    code, out, err = run_cli("build", EXAMPLES / "school" / "brief.yaml", EXAMPLES / "company" / "brief.yaml",
                             "-o", tmp_path, "--format", "md")
    assert code == 0, err
    assert len(list(tmp_path.glob("*.md"))) == 2


def test_installed_wheel_carries_its_data_and_runs_elsewhere(tmp_path):
    """Build the wheel, install it into a fresh virtual environment and run `draftgen build` from an
    unrelated folder; the dependencies are borrowed from this environment so the test runs offline."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist,
                    ROOT], check=True, cwd=tmp_path)
    wheel = next(dist.glob("draftgen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/templates/review.j2" in names
    assert "generator/templates/init/brief.yaml" in names
    assert "generator/phrasebank/directives.yaml" in names
    assert any(n.startswith("generator/phrasebank/rules/") for n in names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    py = venv / "bin" / "python"
    site = Path(subprocess.check_output([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel], check=True)
    # Third-party dependencies from this environment, appended after the venv's own site-packages.
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "zz_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([py, "-m", "generator", "init", "稿"], cwd=work, check=True, env=env, capture_output=True)
    run = subprocess.run([py, "-m", "generator", "build", "稿/brief.yaml", "-o", "输出", "--format", "docx,md"],
                         cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (work / "输出" / f"{STEM}.docx").is_file()
    where = subprocess.check_output([py, "-c", "import generator; print(generator.__file__)"], cwd=work, env=env,
                                    text=True)
    assert where.startswith(str(site)), where


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="未安装 LibreOffice（soffice），跳过 PDF 导出测试")
def test_pdf_export_through_libreoffice(run_cli, tmp_path):
    code, out, err = run_cli("build", EXAMPLES / "company" / "brief.yaml", "-o", tmp_path, "--format", "pdf")
    assert code == 0, err
    pdf = tmp_path / "2025年度党支部书记抓基层党建工作述职评议会-讲话稿.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == [pdf.name]  # no stray .docx or temporary files
