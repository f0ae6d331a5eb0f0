"""Every input a careless or unlucky user can hand the tool: a Chinese message with file:line, exit 2, no
traceback, nothing written; every output written as a whole set or not at all."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

sys.path.insert(0, str(Path(__file__).parent))
import fuzz_briefs  # noqa: E402

STEM = "2025年度基层党组织书记抓基层党建工作述职评议会-讲话稿"
DRAFTGEN = [sys.executable, "-m", "generator"]


def school(tmp_path: Path, edit=None, encoding: str = "utf-8") -> Path:
    """A copy of the school example, its brief text changed by ``edit``."""
    d = tmp_path / "in"
    shutil.copytree(EXAMPLES / "school", d)
    brief = d / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    if edit:
        text = edit(text)
    brief.write_bytes(text.encode(encoding))
    return brief


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def files_in(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def assert_refused(result, out: Path, *fragments: str) -> str:
    code, stdout, err = result
    assert code == 2, (stdout, err)
    assert "Traceback" not in err
    for f in fragments:
        assert f in err, err
    assert not out.exists() or files_in(out) == [], files_in(out)
    return err


# ---------------------------------------------------------------- brief text is data


def test_line_breaks_and_space_runs_are_folded_and_cannot_make_headings(run_cli, tmp_path):
    def edit(t):
        t = t.replace("facts: [调整成立党支部8个, 评选示范党支部3个]",
                      "facts:\n      - |\n        调整成立党支部8个，\n        评选示范党支部3个\n"
                      "      - \"\\n@h1 四、假标题\"\n      - \"# 假的一级标题\"")
        return t.replace("name: 王明", 'name: "王\\n明"').replace("title: 党委书记", "title: 党委   书记")

    brief = school(tmp_path, edit)
    out = tmp_path / "out"
    code, _, err = run_cli("build", brief, "-o", out, "--format", "md,docx")
    assert code == 0, err
    md = (out / f"{STEM}.md").read_text(encoding="utf-8")
    assert "党委书记王明" in md.splitlines()[2]
    assert "调整成立党支部8个，评选示范党支部3个" in md
    assert "＠h1 四、假标题" in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert not any("假" in h for h in headings), headings
    from generator.docx_export import read_docx_text

    styles = {text: style for style, text in read_docx_text(out / f"{STEM}.docx")}
    assert not any("假" in t and s.startswith("Heading") for t, s in styles.items())


@pytest.mark.parametrize("char", ["\\0", "\\a", "\\e", "\\x7f", "\\u202e", "\\uffff", "\\x9b"])
def test_control_characters_are_refused_with_line(run_cli, tmp_path, char):
    brief = school(tmp_path, lambda t: t.replace("did: 牵头开展", f'did: "牵头{char}开展').replace(
        "“党员先锋课堂”展示活动}", "“党员先锋课堂”展示活动\"}"))
    out = tmp_path / "out"
    line = line_of(brief, "牵头")
    err = assert_refused(run_cli("build", brief, "-o", out), out,
                         f"brief.yaml:{line}: achievements[2].examples[0].did: 第 3 个字符是不可见的控制字符")


def test_field_length_limits_are_located(run_cli, tmp_path):
    brief = school(tmp_path, lambda t: t.replace("deployed_by: 区委教育工委", "deployed_by: " + "很长" * 100))
    out = tmp_path / "out"
    line = line_of(brief, "deployed_by")
    assert_refused(run_cli("build", brief, "-o", out), out,
                   f"brief.yaml:{line}: meeting.deployed_by: 过长（200 字，上限 80 字）")


def test_every_field_at_its_limit_builds_a_valid_docx(run_cli, tmp_path):
    """The longest values the loader allows fit every document property and every file name."""
    def edit(t):
        t = t.replace("2025年度基层党组织书记抓基层党建工作述职评议会", "会" * 80)
        t = t.replace("deployed_by: 区委教育工委", "deployed_by: " + "部" * 80)
        t = t.replace("name: 王明", "name: " + "名" * 40).replace("title: 党委书记", "title: " + "职" * 60)
        return t.replace("focus: [责任落实, 组织建设, 党员教育管理, 党建与业务融合]",
                         "focus: [责任落实, 组织建设, 党员教育管理, 党建与业务融合, 政治建设, 理论武装, 作风建设, 考核督查问责]")
    brief = school(tmp_path, edit)
    org = brief.parent / "org.yaml"
    org.write_text(re.sub(r"(?m)^name: .*$", "name: " + "单" * 80, org.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli("build", brief, "-o", out, "--format", "docx,md", "--variants", "2", "--plan",
                           "--kinds", "review,news,host")
    assert code == 0, err
    names = files_in(out)
    assert len(names) == 2 * 3 * 2 + 2
    assert all(len(n.encode("utf-8")) <= 255 for n in names)
    from docx import Document

    for n in names:
        if n.endswith(".docx"):
            props = Document(str(out / n)).core_properties
            assert all(len(v or "") <= 255 for v in (props.title, props.subject, props.keywords, props.comments))


def test_two_speeches_from_one_brief_are_refused(run_cli, tmp_path):
    brief = school(tmp_path, lambda t: t.replace("kind: review ", "kinds: [review, work]"))
    out = tmp_path / "out"
    assert_refused(run_cli("build", brief, "-o", out), out, f"brief.yaml:{line_of(brief, 'kinds:')}: kinds: review")
    work = tmp_path / "w"
    shutil.copytree(EXAMPLES / "work", work)
    assert_refused(run_cli("build", work / "brief.yaml", "-o", out, "--kinds", "review,news"), out,
                   "brief.yaml:", "与 --kinds 中的 review")


def test_layout_points_conflict_is_located(run_cli, tmp_path):
    brief = school(tmp_path, lambda t: t.replace("points: 3 ", "points: 3\nlayout: two_part\n"))
    out = tmp_path / "out"
    assert_refused(run_cli("build", brief, "-o", out), out, f"brief.yaml:{line_of(brief, 'points: 3')}: points:")


def test_docx_settings_are_located_in_the_org_file(run_cli, tmp_path):
    brief = school(tmp_path)
    org = brief.parent / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "docx:\n  fonts: {bodyy: 仿宋, title: '  '}\n"
                   "  reference: 没有这个.docx\n", encoding="utf-8")
    out = tmp_path / "out"
    err = assert_refused(run_cli("build", brief, "-o", out), out)
    lines = err.strip().splitlines()
    assert any(re.match(r".*org\.yaml:\d+: docx\.fonts\.bodyy: 未知的字体角色", m) for m in lines), err
    assert any(re.match(r".*org\.yaml:\d+: docx\.fonts\.title: 字体名称不能为空", m) for m in lines), err
    assert any(re.match(r".*org\.yaml:\d+: docx\.reference: 找不到参考文档", m) for m in lines), err
    # A reference that exists but is no .docx is found by the exporter: still located, still nothing written.
    (brief.parent / "坏模板.docx").write_text("不是 zip", encoding="utf-8")
    org.write_text((EXAMPLES / "school" / "org.yaml").read_text(encoding="utf-8") + "docx:\n  reference: 坏模板.docx\n",
                   encoding="utf-8")
    err = assert_refused(run_cli("build", brief, "-o", out, "--format", "md,docx"), out)
    assert re.search(r"org\.yaml:\d+: docx\.reference", err), err


def test_nul_in_org_path(run_cli, tmp_path):
    brief = school(tmp_path, lambda t: t.replace("org: org.yaml ", 'org: "org.yaml\\0.txt" '))
    out = tmp_path / "out"
    assert_refused(run_cli("build", brief, "-o", out), out, f"brief.yaml:{line_of(brief, 'org:')}: org: 第 9 个字符")


def test_a_file_that_is_not_yaml_is_not_echoed(run_cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("".join(f"user{i}:hash-{i}-topsecret:19000:0:99999:7:::\n" for i in range(200)), encoding="utf-8")
    brief = school(tmp_path, lambda t: t.replace("org: org.yaml ", f"org: {secret} "))
    out = tmp_path / "out"
    err = assert_refused(run_cli("build", brief, "-o", out), out, "secret.txt:1:")
    assert "topsecret" not in err and len(err.strip().splitlines()) == 1
    keys = tmp_path / "keys.yaml"  # YAML, but not an org config: its keys are not echoed either
    keys.write_text("".join(f"key{i}: value-{i}\n" for i in range(200)), encoding="utf-8")
    brief.write_text(brief.read_text(encoding="utf-8").replace(f"org: {secret} ", f"org: {keys} "), encoding="utf-8")
    err = assert_refused(run_cli("build", brief, "-o", out), out, "keys.yaml:1: 不像是单位配置文件")
    assert len(err.strip().splitlines()) == 1 and "key1" not in err


def test_many_problems_are_capped(run_cli, tmp_path):
    items = "".join(f"  - {{topic: 组织建设, facts: [{i}], a{i}: x, b{i}: x, c{i}: x}}\n" for i in range(15))
    brief = school(tmp_path, lambda t: t.replace("problems:\n", "problems:\n" + items, 1))
    out = tmp_path / "out"
    err = assert_refused(run_cli("build", brief, "-o", out), out, "问题过多")
    assert len(err.strip().splitlines()) <= 32


def test_gb18030_brief_is_accepted(run_cli, tmp_path):
    brief = school(tmp_path, encoding="gb18030")
    org = brief.parent / "org.yaml"
    org.write_bytes(org.read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "out"
    code, _, err = run_cli("build", brief, "-o", out, "--format", "md")
    assert code == 0, err
    assert "王明" in (out / f"{STEM}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("seed, ok", [("0", True), (str(2**32 - 1), True), (str(2**32), False), ("-1", False),
                                      ("99999999999999999999", False)])
def test_seed_range(run_cli, tmp_path, seed, ok):
    brief = school(tmp_path)
    out = tmp_path / "out"
    result = run_cli("build", brief, "-o", out, "--format", "md", "--seed", seed)
    if ok:
        assert result[0] == 0 and f"种子：{seed}" in result[1]
    else:
        assert_refused(result, out, "--seed: 应为 0～4294967295 之间的整数")


def test_seed_range_in_brief(run_cli, tmp_path):
    brief = school(tmp_path, lambda t: t.replace("# seed: 42 ", "seed: 99999999999999999999 "))
    out = tmp_path / "out"
    assert_refused(run_cli("build", brief, "-o", out), out, f"brief.yaml:{line_of(brief, 'seed:')}: seed: 应不大于 4294967295")


# ---------------------------------------------------------------- YAML bounds, one loader everywhere

BOMB = fuzz_briefs.BOMB


@pytest.mark.parametrize("extra, message", [(BOMB, "内容过多"), ("recur: &r [*r]\n", "形成循环"),
                                            ("deep: " + "[" * 100 + "]" * 100 + "\n", "嵌套过深"),
                                            ("? [a]\n: b\n", "字段名应为文字")])
def test_yaml_alias_bombs_and_recursion_are_bounded(run_cli, tmp_path, extra, message):
    brief = school(tmp_path, lambda t: t + extra)
    out = tmp_path / "out"
    started = time.monotonic()
    assert_refused(run_cli("build", brief, "-o", out), out, "brief.yaml:", message)
    assert time.monotonic() - started < 10
    org = brief.parent / "org.yaml"
    brief.write_text((EXAMPLES / "school" / "brief.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    org.write_text(org.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert_refused(run_cli("build", brief, "-o", out), out, "org.yaml:", message)


@pytest.mark.parametrize("text, message", [("a:\tb\n\tc: d\n", "制表符"), ("a: 1\n---\nb: 2\n", "YAML 文档，只能保留一个"),
                                           ("a: [1, 2\n", "方括号"), ("a: *nope\n", "未定义的别名"),
                                           ("a: !!python/object:os.system {}\n", "不支持的标签")])
def test_yaml_syntax_messages_are_chinese(run_cli, tmp_path, text, message):
    brief = tmp_path / "brief.yaml"
    brief.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert_refused(run_cli("build", brief, "-o", out), out, f"{brief}:", message)


def test_bank_lint_uses_the_same_bounded_loader(run_cli, tmp_path):
    bad = tmp_path / "frames.yaml"
    bad.write_text("entries: []\n" + BOMB, encoding="utf-8")
    started = time.monotonic()
    code, out, err = run_cli("bank", "lint", bad)
    assert code == 1 and "BL001" in out and "内容过多" in out, (out, err)
    assert time.monotonic() - started < 10


# ---------------------------------------------------------------- output side


def test_output_path_problems_are_messages(run_cli, tmp_path):
    brief = school(tmp_path)
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    assert_refused(run_cli("build", brief, "-o", a_file), tmp_path / "none", f"{a_file}: 不是文件夹而是文件")
    assert_refused(run_cli("build", brief, "-o", a_file / "sub"), tmp_path / "none", f"{a_file}: 不是文件夹而是文件")
    out = tmp_path / "out"
    (out / f"{STEM}.md").mkdir(parents=True)
    code, _, err = run_cli("build", brief, "-o", out, "--force")
    assert code == 2 and "已存在同名文件夹" in err and files_in(out) == [f"{STEM}.md"]
    assert files_in(out / f"{STEM}.md") == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_refused(run_cli("build", brief, "-o", empty, "--avoid-used", empty), empty, "是目录，不是文件")


def test_avoid_used_fifo_is_refused(run_cli, tmp_path):
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    assert_refused(run_cli("build", school(tmp_path), "-o", out, "--avoid-used", fifo), out, "不是普通文件")


def _unprivileged() -> list[str] | None:
    """A command prefix that drops root, so permission checks are real; [] when not root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if setpriv else None


def test_read_only_directory_is_a_message(tmp_path):
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="draftgen-ro-"))  # pytest's own folder is closed to other users
    tmp_path.chmod(0o755)
    brief = school(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    brief.parent.chmod(0o755)
    for f in brief.parent.iterdir():
        f.chmod(0o644)
    ro.chmod(0o555)
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    for args, where in ((["build", str(brief), "-o", str(ro)], f"{ro}/{STEM}.docx"),
                        (["build", str(brief), "-o", str(ro / "sub")], str(ro)),
                        (["init", str(ro / "new")], str(ro)), (["init", str(ro)], str(ro / "brief.yaml"))):
        run = subprocess.run(prefix + DRAFTGEN + args, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert run.returncode == 2, (args, run.stderr)
        assert "Traceback" not in run.stderr and f"{where}: 没有写入权限" in run.stderr, run.stderr
        assert files_in(ro) == []
    shutil.rmtree(tmp_path)


def test_init_refuses_symlinks_and_never_writes_through_them(run_cli, tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "brief.yaml").symlink_to(tmp_path / "nowhere.yaml")
    code, _, err = run_cli("init", d)
    assert code == 2 and f"{d / 'brief.yaml'}: 是符号链接" in err
    assert not (tmp_path / "nowhere.yaml").exists() and files_in(d) == ["brief.yaml"]
    assert os.path.islink(d / "brief.yaml")


def test_failed_build_leaves_nothing_not_even_the_output_folder(run_cli, tmp_path):
    brief = school(tmp_path)
    out = tmp_path / "new" / "deeper"
    (brief.parent / "second.yaml").write_text(brief.read_text(encoding="utf-8").replace("王明", "\"王\\a明\""),
                                              encoding="utf-8")
    code, _, err = run_cli("build", brief, brief.parent / "second.yaml", "-o", out)
    assert code == 2 and "second.yaml:" in err
    assert not (tmp_path / "new").exists()


def test_the_same_brief_named_twice_is_built_once(run_cli, tmp_path):
    brief = school(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run_cli("build", brief, brief.parent / "." / "brief.yaml", "-o", out, "--format", "md")
    assert code == 0 and stdout.count("已生成：") == 1 and files_in(out) == [f"{STEM}.md"], err


def test_two_briefs_into_one_name_are_refused(run_cli, tmp_path):
    brief = school(tmp_path)
    other = brief.parent / "other.yaml"
    other.write_text(brief.read_text(encoding="utf-8").replace("王明", "张强"), encoding="utf-8")
    out = tmp_path / "out"
    # Two briefs of one meeting into one folder: the second's files take the unit's (then the brief's) name,
    # so neither replaces the other.
    code, _, err = run_cli("build", brief, other, "-o", out, "--format", "md")
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and len(set(names)) == 2, names


def test_modes_follow_the_umask(run_cli, tmp_path):
    old = os.umask(0o027)
    try:
        out = tmp_path / "out"
        assert run_cli("build", school(tmp_path), "-o", out, "--format", "docx,md", "--plan")[0] == 0
        assert run_cli("init", tmp_path / "starter")[0] == 0
        assert run_cli("schema", "-o", tmp_path / "schemas")[0] == 0
        draft = tmp_path / "稿.txt"
        draft.write_text("同志们：\n我们要抓好落实,推动工作。。\n", encoding="utf-8")
        run_cli("check", draft, "--fix")
        mined = tmp_path / "候选.yaml"
        assert run_cli("mine", out / f"{STEM}.md", "-o", mined)[0] == 0
        made = [*out.iterdir(), *(tmp_path / "starter").iterdir(), *(tmp_path / "schemas").iterdir(),
                tmp_path / "稿.fixed.txt", mined]
    finally:
        os.umask(old)
    assert len(made) == 3 + 2 + 3 + 2
    assert {oct(p.stat().st_mode & 0o777) for p in made} == {oct(0o640)}


def test_stale_temporary_files_of_a_killed_run_are_removed(run_cli, tmp_path, monkeypatch):
    from generator import export

    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = out / f".draftgen-{export._host_tag()}-{dead.pid}-0123abcd.tmp"
    stale.write_text("half", encoding="utf-8")
    alive = out / f".draftgen-{export._host_tag()}-{os.getpid()}-0123abcd.tmp"
    alive.write_text("in use", encoding="utf-8")
    foreign = out / ".draftgen-ffffffff-1-0123abcd.tmp"  # another machine's, recent: left alone
    foreign.write_text("x", encoding="utf-8")
    monkeypatch.setattr(export, "_HAVE_TMPFILE", False)  # the named-temporary path of other systems
    assert run_cli("build", school(tmp_path), "-o", out, "--format", "docx,md")[0] == 0
    assert files_in(out) == sorted([alive.name, foreign.name, f"{STEM}.docx", f"{STEM}.md"])


def test_named_temporaries_are_removed_when_a_format_fails(run_cli, tmp_path, monkeypatch):
    from generator import export

    monkeypatch.setattr(export, "_HAVE_TMPFILE", False)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_write_docx", broken)
    out = tmp_path / "out"
    err = assert_refused(run_cli("build", school(tmp_path), "-o", out, "--format", "md,docx"), out)
    assert f"{out / STEM}.docx: 磁盘空间不足" in err
    assert not out.exists()


# ---------------------------------------------------------------- readers


def _docx_bytes(tmp_path: Path) -> bytes:
    from generator.docx_export import write_docx
    from generator.pipeline import generate

    path = tmp_path / "ok.docx"
    write_docx(generate(EXAMPLES / "school" / "brief.yaml", seed=1).draft, path)
    return path.read_bytes()


def _rezip(tmp_path: Path, name: str, compression=zipfile.ZIP_DEFLATED, change=None, extra=None) -> Path:
    src = tmp_path / "ok.docx"
    if not src.exists():
        _docx_bytes(tmp_path)
    target = tmp_path / name
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", compression) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(info.filename, data) if change else data)
        for fname, data in (extra or {}).items():
            zout.writestr(fname, data)
    return target


def _bad_docx(tmp_path: Path, kind: str) -> Path:
    if kind == "bzip2":
        return _rezip(tmp_path, "bz.docx", zipfile.ZIP_BZIP2)
    if kind == "crc":
        p = _rezip(tmp_path, "crc.docx", zipfile.ZIP_STORED)
        raw = bytearray(p.read_bytes())
        raw[raw.find(b"<w:body>") + 3] ^= 1
        p.write_bytes(bytes(raw))
        return p
    if kind == "encrypted-entry":
        p = _rezip(tmp_path, "enc.docx", zipfile.ZIP_STORED)
        raw = bytearray(p.read_bytes())
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = raw.find(sig)
            while i >= 0:
                raw[i + off] |= 1
                i = raw.find(sig, i + 4)
        p.write_bytes(bytes(raw))
        return p
    if kind == "password":  # Word saves a password-protected file as an OLE container
        p = tmp_path / "pw.docx"
        p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
        return p
    if kind == "bomb":
        return _rezip(tmp_path, "bomb.docx", extra={"word/media/zero.bin": b"\0" * (210 * 1024 * 1024)})
    if kind == "broken-xml":
        return _rezip(tmp_path, "xml.docx", change=lambda n, d: b"<w:document" if n == "word/document.xml" else d)
    if kind == "no-document":
        return _rezip(tmp_path, "nodoc.docx", change=lambda n, d: b"<x/>" if n == "[Content_Types].xml" else d)
    if kind == "not-zip":
        p = tmp_path / "text.docx"
        p.write_text("只是文字", encoding="utf-8")
        return p
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["bzip2", "crc", "encrypted-entry", "password", "bomb", "broken-xml",
                                  "no-document", "not-zip"])
@pytest.mark.parametrize("command", ["check", "outline"])
def test_any_damaged_docx_is_one_message(run_cli, tmp_path, kind, command):
    path = _bad_docx(tmp_path, kind)
    code, out, err = run_cli(command, path)
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"{path}: 不是有效的 .docx 文件（"), err


def test_mine_refuses_a_damaged_docx_and_writes_nothing(run_cli, tmp_path):
    path = _bad_docx(tmp_path, "crc")
    code, _, err = run_cli("mine", path, "-o", tmp_path / "候选.yaml")
    assert code == 2 and "不是有效的 .docx 文件（" in err and not (tmp_path / "候选.yaml").exists()


@pytest.mark.parametrize("command", ["check", "outline"])
def test_fifo_and_devices_are_refused(run_cli, tmp_path, command):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        code, _, err = run_cli(command, path)
        assert code == 2 and f"{path}: 不是普通文件" in err


def test_size_limit_of_text_files(run_cli, tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: no time or disk spent
    code, _, err = run_cli("check", big)
    assert code == 2 and "文件过大（21 MB，上限 20 MB）" in err


def test_yaml_size_limit(run_cli, tmp_path):
    brief = tmp_path / "brief.yaml"
    with open(brief, "wb") as fh:
        fh.truncate(17 * 1024 * 1024)
    out = tmp_path / "out"
    assert_refused(run_cli("build", brief, "-o", out), out, "文件过大（17 MB，上限 16 MB）")


# ---------------------------------------------------------------- processes: concurrency, kill -9, SIGTERM


def _briefs(tmp_path: Path, n: int, same_name: bool) -> list[Path]:
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES / "hospital", src)
    text = (src / "brief.yaml").read_text(encoding="utf-8")
    out = []
    speakers = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六", "庚七", "辛八"]
    for i in range(n):
        t = text.replace("何志远", speakers[i])
        if not same_name:
            t = t.replace("name: 2025年度党支部书记抓基层党建工作述职评议会", f"name: 2025年度第{i + 1}场述职评议会")
        p = src / f"brief{i}.yaml"
        p.write_text(t, encoding="utf-8")
        out.append(p)
    return out


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _wait_until_staging(proc: subprocess.Popen, timeout: float = 30) -> bool:
    """Wait until the build holds an unnamed staged file open (Linux), i.e. it is writing its set."""
    fd_dir = Path(f"/proc/{proc.pid}/fd")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            links = [os.readlink(fd_dir / n) for n in os.listdir(fd_dir)]
        except OSError:
            links = []
        if any(link.endswith("(deleted)") and "/#" in link for link in links):
            return True
        time.sleep(0.005)
    return False


def test_concurrent_builds_cannot_both_create_a_set(tmp_path):
    briefs = _briefs(tmp_path, 4, same_name=True)
    for round_ in range(2):
        out = tmp_path / f"out{round_}"
        procs = [subprocess.Popen(DRAFTGEN + ["build", str(b), "-o", str(out), "--format", "docx,md"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
                 for b in briefs]
        results = [(p.wait(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = [c for c, _ in results]
        assert codes.count(0) == 1 and codes.count(2) == 3, results
        assert all("Traceback" not in e for _, e in results)
        names = files_in(out)
        assert len(names) == 6 and not any(n.startswith(".") for n in names), names
        winner = ["甲一", "乙二", "丙三", "丁四"][codes.index(0)]
        from generator.readers import read_document

        for n in names:
            assert winner in read_document(out / n).text, (n, winner)


def test_kill_9_during_a_multi_file_build_leaves_all_or_nothing(tmp_path):
    briefs = _briefs(tmp_path, 4, same_name=False)
    args = ["build", *map(str, briefs), "--format", "docx,md", "--kinds", "review,news,host"]
    full = tmp_path / "full"
    run = subprocess.run(DRAFTGEN + args + ["-o", str(full)], capture_output=True, text=True, env=_env())
    assert run.returncode == 0, run.stderr
    complete = files_in(full)
    assert len(complete) == 4 * 3 * 2
    outcomes = set()
    for i, delay in enumerate([None, None, 0.3, 0.9, 1.6, 2.4]):
        out = tmp_path / f"k{i}"
        proc = subprocess.Popen(DRAFTGEN + args + ["-o", str(out)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=_env())
        if delay is None:  # right while the set is being written
            _wait_until_staging(proc)
        else:
            time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        names = files_in(out)
        assert names in ([], complete), (delay, names)
        assert names or not out.exists(), "a killed build must not leave even its output folder"
        outcomes.add(len(names))
    assert 0 in outcomes, "no kill landed during the build: make the build longer"


@pytest.mark.parametrize("sig, code, message", [(signal.SIGTERM, 143, "已终止，未写入任何文件"),
                                                (signal.SIGINT, 130, "已中断")])
def test_sigterm_or_ctrl_c_during_a_build_writes_nothing(tmp_path, sig, code, message):
    briefs = _briefs(tmp_path, 4, same_name=False)
    out = tmp_path / "out"
    proc = subprocess.Popen(DRAFTGEN + ["build", *map(str, briefs), "-o", str(out), "--format", "docx,md",
                                        "--kinds", "review,news,host"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    if not _wait_until_staging(proc):
        proc.kill()
        proc.communicate()
        pytest.skip("no unnamed staging files on this system, or the build finished first")
    proc.send_signal(sig)
    _, err = proc.communicate()
    if proc.returncode == 0:
        pytest.skip("the build finished before the signal")
    assert proc.returncode == code and message in err and "Traceback" not in err, (proc.returncode, err)
    assert not out.exists()


# ---------------------------------------------------------------- fuzz

QUICK_CASES = 300


def test_fuzzed_briefs_keep_the_contract():
    """A few hundred seeded mutations of the examples: exit 0 with its files, or 2 with nothing written."""
    tally, failures = fuzz_briefs.run_many(QUICK_CASES)
    assert not failures, "\n".join(f"seed {s}: {p}" for s, p in failures[:5])
    assert tally["ok"] > 20 and tally["refused"] > 100, tally


@pytest.mark.fuzz
def test_fuzzed_briefs_many():
    count = int(os.environ.get("FUZZ_CASES", "10000"))
    tally, failures = fuzz_briefs.run_many(count, start=QUICK_CASES)
    assert not failures, "\n".join(f"seed {s}: {p}" for s, p in failures[:10])


_HALF_NAMED = """
import os, sys
from pathlib import Path
from generator.export import OutputSet
out = OutputSet(force=False)
d = Path(sys.argv[1])
out.add_text(d / "a.md", "甲")
out.add_text(d / "b.md", "乙")
out._journal()
out._link(out._staged[0])  # the first name is given, then the process dies before the second
os._exit(0)
"""


def test_a_set_killed_between_two_names_is_taken_back_by_the_next_run(tmp_path):
    """kill -9 can fall between naming one file of a set and the next: the journal the run left lets the
    next run in that folder remove the half-named set (and only files that are still the ones it made)."""
    import subprocess
    import sys

    from conftest import ROOT

    from generator.export import OutputSet

    done = subprocess.run([sys.executable, "-c", _HALF_NAMED, str(tmp_path)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.md").exists() and not (tmp_path / "b.md").exists()
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".set")]
    with OutputSet() as out:
        out.add_text(tmp_path / "c.md", "丙")
        out.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.md"]


def test_a_file_someone_else_made_under_a_journalled_name_stays(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    from generator.export import OutputSet

    done = subprocess.run([sys.executable, "-c", _HALF_NAMED, str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.md").exists(), sorted(p.name for p in tmp_path.iterdir())
    (tmp_path / "a.md").unlink()
    (tmp_path / "a.md").write_text("用户自己的文件", encoding="utf-8")  # another file under that name
    with OutputSet() as out:
        out.add_text(tmp_path / "c.md", "丙")
        out.commit()
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "用户自己的文件"
