"""Seeded mutations of the example briefs, run through the CLI in-process.

Each case must end with exit code 0 (and the files it reports) or 2 (and not a single file written), never a
traceback or a hang. The suite runs a few hundred cases (tests/test_robustness.py); to run more:

    .venv/bin/python tests/fuzz_briefs.py 10000          # prints a summary, the failures and their seeds
    .venv/bin/python -m pytest -m fuzz                   # the same 10,000 as a test (FUZZ_CASES to change)
"""

from __future__ import annotations

import copy
import io
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

ODD_STRINGS = [
    "", " ", "\u3000\u3000", "\n", "第一行\n第二行", "  前后有空格  ", "王\n明", "甲\t乙", "多个    空格",
    "\x00", "含\x07响铃", "\x1b[31m红\x1b[0m", "\x7f", "\u0085", "\u2028行分隔", "\u202e反向", "\u200b零宽",
    "\ufeff", "\ufffe", "@h1 四、假标题", "\n@h1 四、假标题", "@p ", "# 标题", "> 引用", "- 列表", "1. 编号",
    "{{ ctx }}", "{% if %}", "【待补充：x】", "XXX", "&amp;<tag>", "'\"", "😀", "𠮷", "\\", "../../etc/passwd",
    "长" * 300, "很长的文字" * 2000, "a" * 70_000, "CON", "nul", "名称.", " .", "/", "a/b", "a:b", "*?<>|",
]
ODD_NUMBERS = [-1, 0, 1, 2, 5, 6, 999, 1000, 1499, 1500, 8000, 8001, 2**31, 2**32 - 1, 2**32, 2**63, 10**20,
               -(10**20), 1.5, float("inf"), float("nan"), True, False, None]
ODD_DATES = ["2026-13-40", "2026-02-30", "0001-01-01", "9999-12-31", "10000-01-01", "2026/1/20", "2026年1月20日",
             "2026-1-20", "20260120", "昨天", 2026, 20260120, "2026-01-20T10:00:00", "1900-01-01", "2100-12-31"]
KIND_VALUES = ["review", "work", "news", "host", "speech", ["review", "work"], ["review", "news", "host"],
               ["work", "news", "host"], [], ["news"], ["host", "host"], "review,news"]


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a nested structure of dicts and lists (the root excluded)."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append(prefix + (i,))
            out += _paths(v, prefix + (i,))
    return out


def _get(data, path):
    for p in path:
        data = data[p]
    return data


def _set(data, path, value):
    _get(data, path[:-1])[path[-1]] = value


def _odd_value(rng: random.Random, old: Any) -> Any:
    # A copy: the shared lists above must never become part of (and be mutated in) a brief.
    return copy.deepcopy(_odd_value_shared(rng, old))


def _odd_value_shared(rng: random.Random, old: Any) -> Any:
    choice = rng.random()
    if choice < 0.45:
        return rng.choice(ODD_STRINGS)
    if choice < 0.6:
        return rng.choice(ODD_NUMBERS)
    if choice < 0.7:
        return rng.choice(ODD_DATES)
    if choice < 0.8:  # a change of type
        return rng.choice([[old], {"x": old}, str(old), None, [], {}])
    if choice < 0.9 and isinstance(old, str):  # a plausible paste: the old text broken over lines
        cut = rng.randrange(len(old) + 1)
        return old[:cut] + rng.choice(["\n", "\n\n", "\r\n", "  ", "\t", "\u3000"]) + old[cut:]
    return rng.choice(KIND_VALUES)


def mutate_data(rng: random.Random, data: dict) -> dict:
    data = copy.deepcopy(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        paths = _paths(data)
        if not paths:
            break
        path = rng.choice(paths)
        op = rng.random()
        try:
            if op < 0.25:  # delete a key or item
                del _get(data, path[:-1])[path[-1]]
            elif op < 0.75:
                _set(data, path, _odd_value(rng, _get(data, path)))
            elif op < 0.85:  # an unknown key
                target = _get(data, path[:-1])
                if isinstance(target, dict):
                    target[rng.choice(["nmae", "kinds", "seed", "focus", "x" * 300, "layout", "points"])] = \
                        copy.deepcopy(rng.choice(ODD_STRINGS + KIND_VALUES))
            elif op < 0.95:  # a top-level setting with an odd value
                key = rng.choice(["seed", "points", "length", "layout", "kind", "kinds", "review_year", "focus"])
                data[key] = copy.deepcopy(rng.choice(ODD_NUMBERS + KIND_VALUES + ["two_part", "separate"] + ODD_STRINGS[:5]))
            else:  # many items
                target = _get(data, path[:-1])
                if isinstance(target, list) and target:
                    target.extend(copy.deepcopy(target[0]) for _ in range(rng.choice([10, 50, 400])))
        except (KeyError, IndexError, TypeError):
            pass
    return data


BOMB = ("lol: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"l{i}: &{c} [{', '.join(['*' + p] * 10)}]\n" for i, (p, c) in enumerate(zip("abcdefg", "bcdefgh")))
        + "facts_bomb: *h\n")


def mutate_text(rng: random.Random, text: str) -> str | bytes:
    lines = text.splitlines(keepends=True)
    op = rng.random()
    if op < 0.15 and lines:
        del lines[rng.randrange(len(lines))]
    elif op < 0.3 and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif op < 0.4:
        return text[: rng.randrange(len(text) + 1)]
    elif op < 0.5:
        return text + rng.choice([BOMB, "recur: &r [*r]\n", "deep: " + "[" * 500 + "]" * 500 + "\n",
                                  "? [a, b]\n: c\n", "x: !!python/object:os.system {}\n", "x: !!binary aGVsbG8=\n",
                                  "seed: !!float 1e400\n", "<<: {a: 1}\n", "meeting: *missing\n"])
    elif op < 0.6:
        raw = bytearray(text.encode("utf-8"))
        for _ in range(rng.choice([1, 3, 10])):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    elif op < 0.7:
        return text.encode(rng.choice(["gb18030", "utf-16", "utf-8-sig"]), errors="replace")
    elif op < 0.8 and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i].replace(": ", ":\t", 1) if rng.random() < 0.5 else "\t" + lines[i]
    else:
        i = rng.randrange(len(lines) + 1) if lines else 0
        lines.insert(i, rng.choice(["  \"\\x00\"\n", "seed: 99999999999999999999\n", "kinds: [review, work]\n",
                                    "org: \"org.yaml\\0.txt\"\n", "org: /etc/passwd\n", "org: /dev/zero\n",
                                    "org: .\n", "org: 'org.yaml'\n", "\ufeff\n", "---\n", "...\n"]))
    return "".join(lines)


@dataclass
class Case:
    seed: int
    example: str
    brief: str | bytes
    org: Optional[str | bytes]
    args: list[str]


def _examples() -> list[tuple[str, str, str]]:
    out = []
    for d in sorted(EXAMPLES.iterdir()):
        if (d / "brief.yaml").is_file():
            out.append((d.name, (d / "brief.yaml").read_text(encoding="utf-8"), (d / "org.yaml").read_text(encoding="utf-8")))
    return out


_EXAMPLES = None


def make_case(seed: int) -> Case:
    global _EXAMPLES
    if _EXAMPLES is None:
        _EXAMPLES = _examples()
    rng = random.Random(seed)
    name, brief_text, org_text = rng.choice(_EXAMPLES)
    org: Optional[str | bytes] = org_text
    r = rng.random()
    if r < 0.55:
        brief: str | bytes = yaml.safe_dump(mutate_data(rng, yaml.safe_load(brief_text)), allow_unicode=True,
                                            sort_keys=False)
    elif r < 0.8:
        brief = mutate_text(rng, brief_text)
    elif r < 0.9:
        brief = brief_text
        org_data = yaml.safe_load(org_text)
        if rng.random() < 0.4:  # the Word settings, valid or not
            org_data["docx"] = {"fonts": {rng.choice(["body", "title", "heading1", "meta", "bodyy", "页码"]):
                                          rng.choice(["仿宋", "", " ", "\x00", "长" * 100, 3, None])},
                                "reference": rng.choice([None, "没有.docx", "org.yaml", "brief.yaml", ".", "/dev/zero",
                                                         "a.doc", "\x00.docx", 5]),
                                "profile": rng.choice(["standard", "reading", "large", 1, None])}
        org = yaml.safe_dump(mutate_data(rng, org_data), allow_unicode=True, sort_keys=False)
    else:
        brief = brief_text
        org = mutate_text(rng, org_text)
    args = ["--format", rng.choice(["md", "md", "md", "docx,md", "txt,md"])]
    if rng.random() < 0.2:
        args += ["--seed", str(rng.choice([0, 1, 42, 2**32 - 1, 2**32, -5, 10**20]))]
    if rng.random() < 0.1:
        args += ["--variants", str(rng.choice([1, 2, 3, 0, 21]))]
    if rng.random() < 0.1:
        args += ["--length", str(rng.choice([1500, 8000, 1499, 8001, 3000]))]
    if rng.random() < 0.1:
        args += ["--kinds", rng.choice(["review,news,host", "work,news", "review,work", "news", "x"])]
    if rng.random() < 0.1:
        args += ["--plan"]
    return Case(seed, name, brief, org, args)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run_case(case: Case, workdir: Path, timeout_s: int = 20) -> Optional[str]:
    """Run one case; return None if it kept the contract, else what went wrong."""
    from generator.cli import main

    src = workdir / "in"
    out = workdir / "out"
    shutil.rmtree(workdir, ignore_errors=True)
    src.mkdir(parents=True)
    for name, content in (("brief.yaml", case.brief), ("org.yaml", case.org)):
        if content is not None:
            data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
            (src / name).write_bytes(data)
    argv = ["draftgen", "build", str(src / "brief.yaml"), "-o", str(out), *case.args]
    stdout, stderr = io.StringIO(), io.StringIO()
    old_argv = sys.argv
    sys.argv = argv
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout_s)
    code: Any = None
    started = time.monotonic()
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            main()
    except SystemExit as e:
        code = e.code
    except Hang:
        return f"over {timeout_s} s"
    except BaseException:  # noqa: BLE001 — exactly what the contract forbids
        return "traceback:\n" + traceback.format_exc(limit=-6)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.argv = old_argv
    elapsed = time.monotonic() - started
    written = sorted(p.name for p in out.rglob("*")) if out.exists() else []
    err = stderr.getvalue()
    if code not in (0, 2):
        return f"exit code {code!r}: {err[-300:]}"
    if "Traceback" in err:
        return "traceback in output: " + err[-300:]
    if code == 2:
        if written or out.exists():
            return f"exit 2 but wrote {written[:5]}"
        if not err.strip():
            return "exit 2 without a message"
        if any(not line.strip() or line.isascii() for line in err.strip().splitlines()):
            return "a message line that is not Chinese: " + err[:300]
    else:
        reported = [line.split("：", 1)[-1].strip() for line in stdout.getvalue().splitlines()
                    if line.startswith("已生成：") or line.startswith("        ")]
        missing = [p for p in reported if p and not Path(p).exists()]
        if missing or not written:
            return f"exit 0 but files missing: {missing[:3]}"
        hidden = [n for n in written if n.startswith(".")]
        if hidden:
            return f"temporary files left: {hidden}"
    if elapsed > timeout_s:
        return f"took {elapsed:.1f} s"
    return None


def run_many(count: int, start: int = 0, progress: Optional[Callable[[int], None]] = None) -> tuple[dict, list]:
    """Run ``count`` cases from seed ``start``; return (exit-code tally, failures as (seed, problem))."""
    tally = {"ok": 0, "refused": 0}
    failures = []
    with tempfile.TemporaryDirectory(prefix="draftgen-fuzz-") as tmp:
        work = Path(tmp) / "case"
        for seed in range(start, start + count):
            case = make_case(seed)
            problem = run_case(case, work)
            if problem is None:
                tally["ok" if (work / "out").exists() else "refused"] += 1
            else:
                failures.append((seed, problem))
            if progress and (seed - start + 1) % 500 == 0:
                progress(seed - start + 1)
    return tally, failures


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    t0 = time.monotonic()
    tally, failures = run_many(n, first, progress=lambda k: print(f"  {k} …", file=sys.stderr, flush=True))
    print(f"{n} cases from seed {first} in {time.monotonic() - t0:.0f} s: exit 0 {tally['ok']}, "
          f"exit 2 {tally['refused']}, broken {len(failures)}")
    for seed, problem in failures[:40]:
        print(f"--- seed {seed}: {problem}")
    sys.exit(1 if failures else 0)
