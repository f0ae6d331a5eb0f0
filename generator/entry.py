"""The installed command. A plain `draftgen build brief.yaml …` or `draftgen check draft.docx …` is parsed here
and run without loading the CLI framework (typer, and the validators it builds for every option, cost a small
build about a quarter of its time); everything else — help, any other command, anything this parser is not
sure of — goes to cli.main.
Either way the process leaves without the interpreter's teardown."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

# Per command: option → keyword of its run_* function, as cli.py declares them; flags; value types; defaults.
_SPECS = {
    "build": {
        "valued": {"-o": "output", "--output": "output", "-f": "formats", "--format": "formats", "--seed": "seed",
                   "--length": "length", "--variants": "variants", "--avoid-used": "avoid_used", "--kinds": "kinds"},
        "flags": {"--plan": "plan_out", "--force": "force"},
        "convert": {"output": Path, "avoid_used": Path, "seed": int, "length": int, "variants": int},
        "defaults": {"output": None, "formats": "docx,md", "seed": None, "length": None, "variants": 1,
                     "avoid_used": None, "plan_out": False, "force": False, "kinds": None},
        "positional": "briefs",
    },
    "check": {
        "valued": {"--date": "date_text", "--brief": "brief", "--format": "fmt"},
        "flags": {"--fix": "fix", "--in-place": "in_place"},
        "convert": {"brief": Path},
        "defaults": {"date_text": None, "brief": None, "fmt": "text", "fix": False, "in_place": False},
        "positional": "paths",
    },
}


def fast_args(argv: list[str]) -> Optional[tuple[str, dict]]:
    """(command, its run_* arguments) for ``draftgen build …`` or ``draftgen check …`` when every word is
    plainly valid, else None (then typer parses it and gives its usual message)."""
    if len(argv) < 2 or argv[0] not in _SPECS:
        return None
    spec = _SPECS[argv[0]]
    args, positional, seen = dict(spec["defaults"]), [], set()
    words = iter(argv[1:])
    for word in words:
        if not word.startswith("-") or word == "-":
            positional.append(Path(word))
            continue
        name, eq, value = word.partition("=")
        key = spec["valued"].get(name) or (spec["flags"].get(name) if not eq else None)
        if key is None or key in seen:
            return None  # help, an unknown option, a repeat, -- …: typer's business
        seen.add(key)
        if key in spec["flags"].values():
            args[key] = True
            continue
        if not eq:
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
        convert = spec["convert"].get(key, str)
        if convert is int and not (value.isascii() and value.isdigit()):
            return None  # int() also takes " 5", "+5", "1_000" and other scripts' digits; let typer judge
        args[key] = convert(value)
    if not positional:
        return None
    if args.get("date_text") is not None and not _iso_date(args["date_text"]):
        return None  # run_check words that message
    args[spec["positional"]] = positional
    return argv[0], args


def _iso_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def fast_build_args(argv: list[str]) -> Optional[dict]:
    found = fast_args(argv)
    return found[1] if found and found[0] == "build" else None


def _echo(line: str) -> None:
    print(line, flush=False)


def _echo_err(line: str) -> None:
    print(line, file=sys.stderr)


def _run_fast(command: str, args: dict) -> int:
    from .errors import DraftgenError

    try:
        if command == "build":
            from .commands import run_build

            return run_build(args.pop("briefs"), echo=_echo, echo_err=_echo_err, **args)
        text, code = _check(**args)
        if text:
            _echo(text)
        return code
    except DraftgenError as e:
        for line in e.problems or [str(e)]:
            _echo_err(line)
        return e.exit_code
    except KeyboardInterrupt:
        _echo_err("已中断")
        return 130
    except BrokenPipeError:  # the reader of our output went away (draftgen build … | head): nothing to say
        return 0


def _check(paths, date_text, brief, fmt, fix, in_place) -> tuple[str, int]:
    """commands.run_check without importing the generator: a check with no brief needs only the checker."""
    import datetime as dt

    if brief is not None:
        from .commands import run_check

        return run_check(paths, date_text=date_text, brief=brief, fmt=fmt, fix=fix, in_place=in_place)
    from .check import check_paths

    date = dt.date.fromisoformat(date_text) if date_text else None  # checked by fast_args
    return check_paths(paths, date=date, allowed_terms=[], fmt=fmt, fix=fix, in_place=in_place)


def entry() -> None:
    # No pydantic plugins are wanted, and looking for them scans every installed package's metadata.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A build allocates a few hundred thousand objects, nearly all kept to the end: the collector's default
    # pace (every 700) ran sixty collections, a twentieth of the run, that freed nothing. A batch still
    # collects, every hundred thousand.
    import gc

    gc.set_threshold(100_000, 50, 100)
    from . import classcache, regexcache

    regexcache.install()
    classcache.install()
    fast = fast_args(sys.argv[1:])
    if fast is not None:
        code = _run_fast(*fast)
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
    regexcache.save()
    classcache.save()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        pass
    os._exit(code or 0)
