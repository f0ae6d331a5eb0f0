"""The installed command. A plain `draftgen build brief.yaml …` is parsed here and run without loading the CLI
framework (typer, and the validators it builds for every option, cost a small build about a quarter of its
time); everything else — help, any other command, anything this parser is not sure of — goes to cli.main.
Either way the process leaves without the interpreter's teardown."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

# Option → run_build keyword, as cli.build_cmd declares them.
_VALUED = {"-o": "output", "--output": "output", "-f": "formats", "--format": "formats", "--seed": "seed",
           "--length": "length", "--variants": "variants", "--avoid-used": "avoid_used", "--kinds": "kinds"}
_FLAGS = {"--plan": "plan_out", "--force": "force"}
_CONVERT = {"output": Path, "avoid_used": Path, "seed": int, "length": int, "variants": int, "formats": str,
            "kinds": str}
DEFAULTS = {"output": None, "formats": "docx,md", "seed": None, "length": None, "variants": 1, "avoid_used": None,
            "plan_out": False, "force": False, "kinds": None}


def fast_build_args(argv: list[str]) -> Optional[dict]:
    """run_build's arguments for ``draftgen build …`` when every word is plainly valid, else None (then typer
    parses it and gives its usual message)."""
    if len(argv) < 2 or argv[0] != "build":
        return None
    args, briefs, seen = dict(DEFAULTS), [], set()
    words = iter(argv[1:])
    for word in words:
        if not word.startswith("-") or word == "-":
            briefs.append(Path(word))
            continue
        name, eq, value = word.partition("=")
        key = _VALUED.get(name) or (_FLAGS.get(name) if not eq else None)
        if key is None or key in seen:
            return None  # help, an unknown option, a repeat, -- …: typer's business
        seen.add(key)
        if key in _FLAGS.values():
            args[key] = True
            continue
        if not eq:
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
        try:
            args[key] = _CONVERT[key](value)
        except ValueError:
            return None
        if isinstance(args[key], int) and not value.strip().lstrip("+-").isdigit():
            return None  # int() takes "1_000" and " 5 "; the option parser may not
    if not briefs:
        return None
    args["briefs"] = briefs
    return args


def _echo(line: str) -> None:
    print(line, flush=False)


def _echo_err(line: str) -> None:
    print(line, file=sys.stderr)


def _run_fast(args: dict) -> int:
    from .commands import run_build
    from .errors import DraftgenError

    try:
        return run_build(args.pop("briefs"), echo=_echo, echo_err=_echo_err, **args)
    except DraftgenError as e:
        for line in e.problems or [str(e)]:
            _echo_err(line)
        return e.exit_code
    except KeyboardInterrupt:
        _echo_err("已中断")
        return 130


def entry() -> None:
    # No pydantic plugins are wanted, and looking for them scans every installed package's metadata.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = fast_build_args(sys.argv[1:])
    if args is not None:
        code = _run_fast(args)
    else:
        from .cli import main

        try:
            main()
            code = 0
        except SystemExit as e:
            code = e.code
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
    # A build leaves tens of thousands of objects behind; collecting them at exit costs about a fifth of a
    # cold run, and every file is already closed and renamed into place by now.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        pass
    os._exit(code or 0)
