"""The compiled bank cache (correct, content-keyed, in the user's cache folder, safe with two processes),
jieba's cache location, batch builds, and the near-duplicate check of `bank lint` at scale."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest

from generator import bank as bankmod
from generator import layout
from generator.models import DocxOptions
from generator.banklint import bigrams, dice, lint_paths, similar_pairs
from generator.paths import PHRASEBANK_DIR, cache_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHOOL = EXAMPLES / "school" / "brief.yaml"


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("DRAFTGEN_NO_CACHE", raising=False)
    return home / "draftgen"


@pytest.fixture
def bank_copy(tmp_path):
    target = tmp_path / "bank"
    shutil.copytree(PHRASEBANK_DIR, target)
    return target


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("bank-*.pickle")) if folder.is_dir() else []


def _entries(bank) -> list[tuple]:
    return [(e.id, e.slot, e.text, e.file, e.line, e.topic, e.facet, e.org_types, e.valid_from) for e in bank.entries]


# ---------------------------------------------------------------- where the cache lives


def test_cache_dir_follows_xdg_and_falls_back_to_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "draftgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "draftgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the spec says to ignore a relative one
    assert cache_dir() == tmp_path / "home" / ".cache" / "draftgen"


def test_cached_bank_is_written_to_the_user_cache_and_equals_the_yaml(cache_home, bank_copy):
    fresh = bankmod.load_bank(bank_copy)
    first = bankmod.load_bank_cached(bank_copy)
    files = _cache_files(cache_home)
    assert len(files) == 1
    assert not any(p.name.startswith("bank-") for p in bank_copy.iterdir())
    second = bankmod.load_bank_cached(bank_copy)  # now from the cache
    assert _entries(first) == _entries(second) == _entries(fresh)
    assert second.topics == fresh.topics and second.profiles == fresh.profiles
    # Every entry keeps its file:line.
    assert all(e.file.endswith(".yaml") and e.line > 1 for e in second.entries)


def test_cache_is_really_read(cache_home, bank_copy):
    """The second load comes from the pickle: a doctored (but valid) pickle under the same key is returned."""
    import pickle

    bank = bankmod.load_bank_cached(bank_copy)
    path = _cache_files(cache_home)[0]
    key = bankmod._cache_key(bank_copy.resolve())
    marked = type(bank)(bank.topics, bank.groups, bank.entries[:1], bank.exclusive_vocabulary, bank.org_defaults,
                        bank.profiles, {})
    path.write_bytes(bankmod._CACHE_MAGIC + key.encode() + pickle.dumps(marked))
    assert len(bankmod.load_bank_cached(bank_copy).entries) == 1


@pytest.mark.parametrize("name", sorted(p.relative_to(PHRASEBANK_DIR).as_posix()
                                        for p in [*PHRASEBANK_DIR.glob("*.yaml"), *PHRASEBANK_DIR.glob("rules/*.yaml")]))
def test_editing_any_bank_or_rule_file_changes_the_key(bank_copy, name):
    before = bankmod._cache_key(bank_copy.resolve())
    with open(bank_copy / name, "a", encoding="utf-8") as f:
        f.write("\n# 修改\n")
    assert bankmod._cache_key(bank_copy.resolve()) != before


def test_an_edited_entry_is_seen_after_a_cached_load(cache_home, bank_copy):
    bankmod.load_bank_cached(bank_copy)
    path = bank_copy / "frames.yaml"
    text = path.read_text(encoding="utf-8")
    entry = next(e for e in bankmod.load_bank(bank_copy).entries if e.file.endswith("frames.yaml"))
    assert text.count(entry.text) == 1
    path.write_text(text.replace(entry.text, entry.text[:-1] + "，这是新改的说法。"), encoding="utf-8")
    again = bankmod.load_bank_cached(bank_copy)
    assert again.get(entry.id).text.endswith("这是新改的说法。")
    assert len(_cache_files(cache_home)) == 2  # a new key, a new file


def test_an_invalid_bank_is_never_cached_and_keeps_its_locations(cache_home, bank_copy):
    path = bank_copy / "frames.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("slot: opening", "slot: openin", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(bankmod.BankError) as err:
            bankmod.load_bank_cached(bank_copy)
        assert any("frames.yaml:" in p and "openin" in p for p in err.value.problems)
    assert _cache_files(cache_home) == []


@pytest.mark.parametrize("garbage", [b"", b"not a pickle at all", b"draftgen-bank\n" + b"0" * 64 + b"\x80\x05junk"])
def test_a_corrupt_cache_file_is_ignored_and_replaced(cache_home, bank_copy, garbage):
    good = _entries(bankmod.load_bank_cached(bank_copy))
    path = _cache_files(cache_home)[0]
    path.write_bytes(garbage)
    assert _entries(bankmod.load_bank_cached(bank_copy)) == good
    assert path.read_bytes().startswith(bankmod._CACHE_MAGIC) and len(path.read_bytes()) > 1000


def test_a_truncated_cache_file_is_ignored(cache_home, bank_copy):
    good = _entries(bankmod.load_bank_cached(bank_copy))
    path = _cache_files(cache_home)[0]
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert _entries(bankmod.load_bank_cached(bank_copy)) == good


def test_an_unwritable_cache_folder_is_no_error(tmp_path, monkeypatch, bank_copy):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # draftgen/ cannot be made under a file
    assert _entries(bankmod.load_bank_cached(bank_copy)) == _entries(bankmod.load_bank(bank_copy))


# ---------------------------------------------------------------- whole builds


def _env(cache: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DRAFTGEN_NO_CACHE"}
    env.update(XDG_CACHE_HOME=str(cache), SOURCE_DATE_EPOCH="1767225600", **extra)
    return env


def _build(out: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", str(SCHOOL), "-o", str(out),
                             "--format", "docx,md", "--seed", "7"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _contents(folder: Path) -> dict:
    """Every output file: .md as bytes, .docx as its zip members' names and bytes (the zip headers carry
    the time of writing, so the container itself differs from second to second)."""
    out = {}
    for p in sorted(folder.iterdir()):
        if p.suffix == ".docx":
            with zipfile.ZipFile(p) as z:
                out[p.name] = [(i.filename, z.read(i)) for i in z.infolist()]
        else:
            out[p.name] = p.read_bytes()
    return out


def test_cached_and_uncached_builds_are_identical(tmp_path):
    cache = tmp_path / "cache"
    results = {}
    for label, extra in (("uncached", {"DRAFTGEN_NO_CACHE": "1"}), ("cold", {}), ("warm", {})):
        out = tmp_path / label
        proc = _build(out, _env(cache, **extra))
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        results[label] = _contents(out)
        if label == "uncached":
            assert _cache_files(cache / "draftgen") == []
    assert len(_cache_files(cache / "draftgen")) == 1
    assert results["uncached"] == results["cold"] == results["warm"]
    assert {p.rsplit(".", 1)[1] for p in results["warm"]} == {"docx", "md"}


def test_damaged_compiled_templates_are_ignored(tmp_path):
    cache = tmp_path / "cache"
    proc = _build(tmp_path / "first", _env(cache))
    assert proc.communicate(timeout=120) and proc.returncode == 0
    compiled = sorted((cache / "draftgen" / "templates").glob("*.cache"))
    assert compiled
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40] + b"garbage")
    proc = _build(tmp_path / "second", _env(cache))
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert _contents(tmp_path / "first") == _contents(tmp_path / "second")


def test_two_concurrent_cold_builds_both_succeed(tmp_path):
    cache = tmp_path / "cache"
    procs = [_build(tmp_path / f"out{i}", _env(cache)) for i in range(2)]
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert "已生成" in stdout and not stderr.strip()
    assert _contents(tmp_path / "out0") == _contents(tmp_path / "out1")
    files = _cache_files(cache / "draftgen")
    assert len(files) == 1 and not list((cache / "draftgen").glob(".bank-*"))  # no temporary left behind
    assert bankmod._read_cache(files[0], files[0].read_bytes()[14:78].decode()) is not None


def test_jieba_keeps_its_dictionary_cache_in_the_user_cache(tmp_path):
    cache = tmp_path / "cache"
    code = "from generator.check import segmenter; j = segmenter(); print(j.dt.tmp_dir); j.lcut('学生生活')"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(cache), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(cache / "draftgen")
    assert (cache / "draftgen" / "jieba.cache").is_file()


def test_build_does_not_import_rich_for_a_small_run():
    code = ("import sys; from generator.cli import main; sys.argv = ['draftgen', 'kinds']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('rich' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().endswith("False"), proc.stdout + proc.stderr


def test_help_is_still_in_chinese(run_cli):
    code, out, _ = run_cli("build", "--help")
    assert code == 0
    assert "参数" in out and "选项" in out and "[必填]" in out


def test_the_installed_command_exits_with_the_right_code(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "generator", "build", str(SCHOOL), "-o", str(tmp_path), "-f", "md"],
                        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "已生成" in ok.stdout
    again = subprocess.run([sys.executable, "-m", "generator", "build", str(SCHOOL), "-o", str(tmp_path), "-f", "md"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr


# ---------------------------------------------------------------- batches


def test_a_folder_of_briefs_is_built(run_cli, tmp_path):
    code, out, err = run_cli("build", EXAMPLES, "-o", tmp_path / "out", "--format", "md")
    assert code == 0, err
    speeches = sorted((tmp_path / "out").glob("*-讲话稿.md"))
    assert len(speeches) == 4  # the org.yaml files beside the briefs are not briefs
    assert out.strip().splitlines()[-1].startswith("共 4 份简报：成功 4 份，失败 0 份；")


def test_briefs_of_one_meeting_into_one_folder_get_distinct_names(run_cli, tmp_path):
    for name in ("一中", "二中"):
        shutil.copytree(EXAMPLES / "school", tmp_path / name)
        org = tmp_path / name / "org.yaml"
        org.write_text(org.read_text(encoding="utf-8").replace("short_name: 学校党委", f"short_name: {name}党委"),
                       encoding="utf-8")
    code, out, err = run_cli("build", tmp_path / "一中", tmp_path / "二中", "-o", tmp_path / "out", "-f", "md")
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "out").glob("*.md"))
    assert len(names) == 2 and len(set(names)) == 2
    assert any("二中党委" in n for n in names)


def test_a_large_batch_reports_one_line_per_draft(run_cli, tmp_path):
    briefs = tmp_path / "briefs"
    for i in range(7):
        shutil.copytree(EXAMPLES / "school", briefs / f"s{i}")
    code, out, err = run_cli("build", briefs, "-f", "md")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert sum(1 for line in lines if line.startswith("已生成：")) == 7
    assert not any(line.startswith("字数：") for line in lines)  # the compact form
    assert lines[-1].startswith("共 7 份简报：成功 7 份，失败 0 份；写出 7 个文件")


def test_a_bad_brief_in_a_batch_stops_the_whole_set(run_cli, tmp_path):
    """One build is one set: a bad brief is reported with file and line, and nothing of the batch is written."""
    briefs = tmp_path / "briefs"
    for i in range(7):
        shutil.copytree(EXAMPLES / "school", briefs / f"s{i}")
    (briefs / "s3" / "brief.yaml").write_text("meeting:\n  name: 缺少很多字段\n", encoding="utf-8")
    code, out, err = run_cli("build", briefs, "-f", "md")
    assert code == 2
    assert "s3" in err and "brief.yaml" in err and "Traceback" not in err
    assert not list(briefs.rglob("*.md"))


def test_an_empty_folder_is_a_clear_error(run_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "org.yaml").write_text("name: 某单位\ntype: school\n", encoding="utf-8")
    code, out, err = run_cli("build", tmp_path / "empty")
    assert code == 2
    assert "目录中没有找到简报" in err


# ---------------------------------------------------------------- bank lint at scale


def test_similar_pairs_matches_comparing_every_pair():
    rng = random.Random(3)
    texts = [e.text for e in bankmod.load_bank(PHRASEBANK_DIR).entries[:400]]

    def reworded(t: str) -> str:
        chars = list(t)
        for _ in range(rng.randint(0, 8)):
            chars[rng.randrange(len(chars))] = rng.choice(texts[0])
        return "".join(chars)

    sets = [bigrams(t) for t in texts] + [bigrams(reworded(t)) for t in texts] + [frozenset(), frozenset({"甲乙"})]
    rng.shuffle(sets)
    brute = [(i, j) for i in range(len(sets)) for j in range(i) if dice(sets[i], sets[j]) >= 0.8]
    assert len(brute) > 50  # the reworded copies are really found
    assert similar_pairs(sets, 0.8) == brute


def test_lint_of_a_20000_entry_bank(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from lint_speed import grow_bank
    finally:
        sys.path.pop(0)
    total = grow_bank(tmp_path / "bank", 20000)
    assert total == 20000
    findings = lint_paths(bank_dir=tmp_path / "bank")
    # Each copy that differs in one character is caught (reported on whichever of the pair comes later).
    near = [f for f in findings if f.code == "BL007"]
    assert len(near) >= (20000 - len(bankmod.load_bank(PHRASEBANK_DIR).entries)) // 50
    assert all(f.line >= 1 for f in findings)
    # How long it takes is measured by benchmarks/lint_speed.py, not asserted here.


# ---------------------------------------------------------------- the command's own fast path for build

FAST_CASES = [
    ["build", "a.yaml"],
    ["build", "a.yaml", "b.yaml", "-o", "输出", "--format", "docx,md,txt"],
    ["build", "a.yaml", "--seed", "42", "--length=4000", "--variants", "3", "--plan", "--force"],
    ["build", "-f", "md", "a.yaml", "--kinds", "review,news", "--avoid-used", "old.plan.json", "--output=out"],
    ["build", "dir/", "--seed=7"],
]
SLOW_CASES = [
    ["build"], ["build", "--help"], ["build", "a.yaml", "-h"], ["build", "a.yaml", "--seed", "abc"],
    ["build", "a.yaml", "--seed", "-5"], ["build", "a.yaml", "--unknown"], ["build", "a.yaml", "--seed", "1", "--seed", "2"],
    ["build", "a.yaml", "--force=yes"], ["build", "a.yaml", "-o"], ["build", "a.yaml", "--", "b.yaml"],
    ["check", "a.yaml", "--unknown"], ["--version"], [], ["build", "a.yaml", "--seed", "1_000"],
    ["build", "a.yaml", "--seed", "²"], ["build", "a.yaml", "--length", "+3000"], ["kinds", "x"],
]


@pytest.mark.parametrize("argv", FAST_CASES, ids=" ".join)
def test_fast_build_parsing_agrees_with_the_cli(argv, monkeypatch, capsys):
    from generator import commands
    from generator.cli import main
    from generator.entry import fast_build_args

    seen = {}

    def fake_run_build(briefs, **kwargs):
        seen.update(kwargs, briefs=list(briefs))
        return 0

    monkeypatch.setattr(commands, "run_build", fake_run_build)
    monkeypatch.setattr(sys, "argv", ["draftgen", *argv])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0, capsys.readouterr().err
    for key in ("echo", "echo_err"):
        seen.pop(key)
    assert fast_build_args(argv) == seen


@pytest.mark.parametrize("argv", SLOW_CASES, ids=" ".join)
def test_anything_unusual_goes_to_the_cli(argv):
    from generator.entry import fast_build_args

    assert fast_build_args(argv) is None


def test_the_fast_path_reports_bad_input_like_the_cli(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "generator", "build", str(tmp_path / "无此简报.yaml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"{tmp_path / '无此简报.yaml'}: 文件不存在，请检查路径"
    assert proc.stdout == "" and not list(tmp_path.iterdir())


def test_the_same_seed_gives_the_same_draft_in_every_process():
    """Set iteration order changes with Python's per-process hash seed; the draft must not."""
    code = ("from generator.pipeline import generate\nfrom generator.export import to_markdown\n"
            "for seed in range(4):\n"
            "    for name in ('company', 'school', 'hospital', 'work'):\n"
            "        print(to_markdown(generate(f'examples/{name}/brief.yaml', seed=seed).draft))")
    outputs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": hashseed}).stdout
               for hashseed in ("0", "3", "7")}
    assert len(outputs) == 1 and len(next(iter(outputs))) > 10000


CHECK_FAST = [
    ["check", "a.txt"],
    ["check", "a.docx", "b.md", "--date", "2026-01-20", "--format", "json"],
    ["check", "a.txt", "--fix", "--in-place", "--brief", "brief.yaml"],
    ["check", "--date=2026-01-20", "a.txt", "--fix"],
]


@pytest.mark.parametrize("argv", CHECK_FAST, ids=" ".join)
def test_fast_check_parsing_agrees_with_the_cli(argv, monkeypatch, capsys):
    from generator import commands
    from generator.cli import main
    from generator.entry import fast_args

    seen = {}

    def fake_run_check(paths, **kwargs):
        seen.update(kwargs, paths=list(paths))
        return "", 0

    monkeypatch.setattr(commands, "run_check", fake_run_check)
    monkeypatch.setattr(sys, "argv", ["draftgen", *argv])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 0, capsys.readouterr().err
    assert fast_args(argv) == ("check", seen)


@pytest.mark.parametrize("argv", [["check"], ["check", "a.txt", "--date", "2026-13-01"], ["check", "a.txt", "-h"],
                                  ["check", "a.txt", "--fix=1"]], ids=" ".join)
def test_unusual_checks_go_to_the_cli(argv):
    from generator.entry import fast_args

    assert fast_args(argv) is None


def test_fast_check_prints_what_the_cli_prints(run_cli, tmp_path):
    draft = tmp_path / "稿.txt"
    draft.write_text("同志们：\n\n我们要抓好抓好落实，XXX同志要带头。\n", encoding="utf-8")
    code, out, err = run_cli("check", draft, "--date", "2026-01-20")
    fast = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "check", str(draft), "--date",
                           "2026-01-20"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (fast.returncode, fast.stdout) == (code, out) and code == 1
    imported = {line.split("|")[-1].strip().split(".")[0] for line in fast.stderr.splitlines() if "|" in line}
    assert not imported & {"typer", "pydantic", "jinja2", "rich"}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_cache_file_owned_by_someone_else_is_never_unpickled(cache_home, bank_copy):
    bankmod.load_bank_cached(bank_copy)
    path = _cache_files(cache_home)[0]
    key = bankmod._cache_key(bank_copy.resolve())
    os.chown(path, 65534, 65534)
    assert bankmod._read_cache(path, key) is None
    assert _entries(bankmod.load_bank_cached(bank_copy)) == _entries(bankmod.load_bank(bank_copy))
    assert path.stat().st_uid == os.getuid()  # replaced by this user's own


def test_a_large_batch_on_a_terminal_shows_a_progress_bar(monkeypatch, capsys):
    from generator import commands

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with commands._progress(commands.BATCH_MIN + 2) as advance:
        for _ in range(commands.BATCH_MIN + 2):
            advance()
    assert "生成中" in capsys.readouterr().err
    with commands._progress(commands.BATCH_MIN) as advance:  # a few briefs: no bar
        advance()
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- the standard layout without python-docx


def _draft_variety():
    """Drafts of every kind from every example, and one whose texts need escaping and hold line breaks."""
    from generator.models import Block, Draft
    from generator.pipeline import generate

    drafts = []
    for brief in sorted((ROOT / "examples").glob("*/brief.yaml")):
        for seed in (1, 2):
            drafts += generate(brief, seed=seed, kinds=["review", "news", "host"] if "work" not in str(brief)
                               else ["work", "news", "host"]).documents.values()
    drafts.append(Draft(kind="review", title="关于“A&B<C>”的讲话\n（草稿）", seed=None, keywords=("甲", "乙&丙"),
                        blocks=(Block("title", "关于“A&B<C>”的讲话"), Block("meta", "王明\n（2026年1月20日）"),
                                Block("paragraph", " 前有空格的一段【待补充：A&B】，\n第二行。 "),
                                Block("closing", "谢谢大家！"))))
    return drafts


def test_standard_layout_is_byte_for_byte_what_python_docx_writes(monkeypatch, cache_home):
    from generator import docx_export as dx

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    for options in (DocxOptions(), DocxOptions(profile="reading"), DocxOptions(fonts={"body": "宋体", "title": "黑体"})):
        fonts = {k: v.strip() for k, v in options.fonts.items()}
        profile = layout.get_profile(options.profile, fonts)
        for draft in _draft_variety():
            fast = dx._standard_members(draft, options.profile, fonts, profile)
            slow = dx._python_docx_members(draft, None, options.profile, fonts, profile)
            assert [n for n, _ in fast] == [n for n, _ in slow]
            for (name, a), (_, b) in zip(fast, slow):
                assert a == b, f"{draft.title[:20]}: {name} differs"


def test_a_build_of_the_standard_layout_imports_no_python_docx(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("DRAFTGEN_NO_CACHE", None)
    for run in (1, 2):  # the first run makes the layout package with python-docx; the second only reads it
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "build",
                               str(ROOT / "examples" / "school" / "brief.yaml"), "-o", str(tmp_path / f"out{run}"),
                               "-f", "docx"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
    tmp_path = tmp_path / "out2"
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert "docx" not in imported
    (written,) = tmp_path.glob("*.docx")
    assert docx.Document(str(written)).paragraphs[0].style.name == "Title"


def test_the_cached_word_package_is_reused_and_a_damaged_one_is_replaced(monkeypatch, cache_home, tmp_path):
    from generator import docx_export as dx

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    draft = _draft_variety()[-1]
    monkeypatch.setattr(dx, "_SKELETONS", {})
    dx.write_docx(draft, tmp_path / "a.docx")
    (cached,) = cache_home.glob("docx-*.zip")
    first, made = cached.read_bytes(), (cached.stat().st_ino, cached.stat().st_mtime_ns)
    monkeypatch.setattr(dx, "_SKELETONS", {})
    dx.write_docx(draft, tmp_path / "b.docx")
    # read, not rebuilt: a rebuild would rename a new file into place
    assert cached.read_bytes() == first and (cached.stat().st_ino, cached.stat().st_mtime_ns) == made
    cached.write_bytes(first[: len(first) // 2])  # a half-written file from a crash
    monkeypatch.setattr(dx, "_SKELETONS", {})
    dx.write_docx(draft, tmp_path / "c.docx")
    # Made afresh and written whole again (its zip entries carry the time of writing, so compare members).
    assert _cached_members(cached) == _cached_members_of(first)
    contents = [_members(tmp_path / f"{n}.docx") for n in "abc"]
    assert contents[0] == contents[1] == contents[2]


def _cached_members_of(blob: bytes):
    import io

    with zipfile.ZipFile(io.BytesIO(blob.split(b"\n", 2)[2])) as zf:  # after the magic and digest lines
        return [(name, zf.read(name)) for name in zf.namelist()]


def _cached_members(path):
    return _cached_members_of(path.read_bytes())


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def test_the_rules_cache_follows_the_rule_files_and_survives_damage(cache_home, tmp_path):
    from generator import check

    rules_dir = tmp_path / "rules"
    shutil.copytree(PHRASEBANK_DIR / "rules", rules_dir)
    first = check._load_rules_cached.__wrapped__(str(rules_dir))
    (cached,) = cache_home.glob("rules-*.pickle")
    assert check._load_rules_cached.__wrapped__(str(rules_dir)) == first
    spelling = rules_dir / "repetition.yaml"
    text = spelling.read_text(encoding="utf-8")
    assert "min_count:" in text
    spelling.write_text(re.sub(r"min_count: *\d+", "min_count: 97", text), encoding="utf-8")
    edited = check._load_rules_cached.__wrapped__(str(rules_dir))
    assert edited.min_count == 97 != first.min_count  # an edited file is read again, not taken from the cache
    for path in cache_home.glob("rules-*.pickle"):
        path.write_bytes(path.read_bytes()[:100])
    assert check._load_rules_cached.__wrapped__(str(rules_dir)) == edited
    assert cached.exists()


def test_old_cache_files_of_a_kind_are_pruned(cache_home):
    from generator import diskcache

    for i in range(7):
        diskcache.write(f"rules-{i:032d}.pickle", "d" * 64, b"x")
        os.utime(cache_home / f"rules-{i:032d}.pickle", (1000 + i, 1000 + i))
    diskcache.write("docx-" + "9" * 32 + ".zip", "d" * 64, b"y")
    left = sorted(p.name for p in cache_home.iterdir())
    # The four newest rules files stay, and a file of another kind is not touched.
    assert left == sorted([f"rules-{i:032d}.pickle" for i in (3, 4, 5, 6)] + ["docx-" + "9" * 32 + ".zip"])
    assert diskcache.read(f"rules-{6:032d}.pickle", "d" * 64) == b"x"


def test_temp_files_of_killed_writers_are_cleared_after_an_hour(cache_home):
    from generator import diskcache

    cache_home.mkdir(parents=True, exist_ok=True)
    old, fresh = cache_home / ".cache-abandoned.tmp", cache_home / ".bank-inflight.tmp"
    old.write_bytes(b"half"), fresh.write_bytes(b"being written")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    diskcache.write("rules-" + "1" * 32 + ".pickle", "d" * 64, b"x")
    assert not old.exists() and fresh.exists()  # another build may be writing the fresh one right now
