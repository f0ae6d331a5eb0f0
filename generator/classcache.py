"""The methods of dataclasses compiled once per machine rather than once per run.

A dataclass writes its methods (__init__, __eq__, __repr__, the frozen __setattr__…) as source text and
compiles it as the class is made, in every new process: the forty-odd model classes cost a small build about a
tenth of its time. ``install`` puts a caching ``exec`` into the dataclasses module's own namespace (where its
helper looks ``exec`` up before the builtin), so each generated source is compiled once and its code object
kept in the user's cache folder, keyed by the exact Python build. Compiling the text ourselves gives the same
code object the builtin would (same text, same file name "<string>", no inherited future flags);
tests/test_classcache.py checks that the classes behave alike. A damaged or foreign file, or an unexpected
Python, means plain compiling.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import sys
from typing import Optional

_FORMAT = 1
_LIMIT = 1000  # records kept: a few times what one command makes; beyond it, only the last run's
_table: Optional[dict] = None
_added = False
_used: set = set()
_builtin_exec = builtins.exec


def _digest() -> str:
    tag = f"{_FORMAT}|{sys.version}|{sys.implementation.name}|{sys.implementation.cache_tag}"
    return hashlib.sha256(tag.encode()).hexdigest()


def _name(digest: str) -> str:
    return f"classes-{digest[:32]}.marshal"


def _load() -> dict:
    global _table
    if _table is None:
        from . import diskcache

        digest = _digest()
        _table = diskcache.read_table(_name(digest), digest)
    return _table


def _exec(source, globals=None, locals=None, /):
    """exec as dataclasses calls it, with the compiled text remembered."""
    global _added
    if isinstance(source, str):
        table = _load()
        code = table.get(source)
        if type(code).__name__ != "code":
            code = table[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _added = True
        _used.add(source)
        source = code
    return _builtin_exec(source, globals, locals)


def install() -> None:
    """Cache the compiling of dataclass methods for the rest of this process (the draftgen command only;
    DRAFTGEN_NO_CACHE=1 turns it off, as it does the other caches)."""
    import dataclasses

    if sys.implementation.name == "cpython" and "exec" not in vars(dataclasses) and not os.environ.get("DRAFTGEN_NO_CACHE"):
        dataclasses.exec = _exec


def save() -> None:
    """Write the records when this run added any (called once, as a command finishes)."""
    global _added
    if not _added or _table is None:
        return
    from . import diskcache

    digest = _digest()
    diskcache.write_table(_name(digest), digest, _table, _used, _LIMIT)
    _added = False
