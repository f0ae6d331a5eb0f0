"""Regular expressions compiled once per machine rather than once per run.

Python compiles every pattern afresh in each new process, and a pattern with a class of Chinese characters
([\u4e00-\u9fff]) costs about a millisecond: the proofreader's few hundred patterns took a fifth of a small
build. ``compile`` keeps what the compiler made of each fixed pattern (its code, a list of integers) in the
user's cache folder and rebuilds the pattern object from it directly. The record is keyed by the exact Python
build, so another interpreter never reads it; anything unexpected — an unknown Python, an unreadable or
damaged file, a record the regular-expression engine refuses — falls back to ``re.compile``. A rebuilt pattern
is equal to the one ``re.compile`` gives (same pattern, flags and code); tests/test_regexcache.py checks it.

The command installs the cache in front of re's compiler (``install``) as it starts, so every fixed pattern —
ours, the rule files', PyYAML's and Jinja's — is covered without a change at each use; the records are capped,
so patterns made from a user's text cannot make the file grow without end.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import re
import sys
from typing import Optional

try:  # CPython 3.11+: the compiler's own steps
    import _sre
    from re import _compiler, _parser

    if array.array("I").itemsize != _sre.CODESIZE:
        raise ImportError("the engine's code unit is not array's 'I'")
except ImportError:  # pragma: no cover — another Python: plain re.compile
    _sre = None

_FORMAT = 2
# The engine's code unit: array's 'I' where it is that wide (it is on every CPython in use), else no cache.
_CODE_TYPE = "I"
_LIMIT = 1500  # records kept: a few times what one command uses; beyond it, only the last run's are kept
_table: Optional[dict] = None
_added = False
_used: set = set()  # the records this process asked for


def _digest() -> str:
    tag = f"{_FORMAT}|{sys.version}|{sys.implementation.name}|{getattr(_sre, 'MAGIC', '')}|{getattr(_sre, 'CODESIZE', '')}"
    return hashlib.sha256(tag.encode()).hexdigest()


def _name(digest: str) -> str:
    return f"regex-{digest[:32]}.marshal"


def _load() -> dict:
    global _table
    if _table is None:
        _table = {}
        if _sre is not None:
            from . import diskcache

            digest = _digest()
            _table = diskcache.read_table(_name(digest), digest)
    return _table


def _record(pattern: str, flags: int) -> Optional[tuple]:
    """What re.compile passes to the engine for this pattern, as plain data."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        # The code as packed machine words: a list of ints a thousand long for each class of Chinese
        # characters would make the file slow to read back.
        return (int(flags | parsed.state.flags), array.array(_CODE_TYPE, code).tobytes(),
                int(parsed.state.groups - 1), groupindex, tuple(indexgroup))
    except Exception:  # an internal step that differs in this Python: do without the cache
        return None


def _compile(p, flags=0):
    """re's compiler step, from the cache when this pattern was compiled before."""
    if not isinstance(p, str) or flags & re.DEBUG:
        return _original(p, flags)
    table = _load()
    key = (p, int(flags))
    _used.add(key)
    record = table.get(key)
    if record is not None:
        try:
            return _build(p, record)
        except Exception:  # a record the engine refuses: compile it properly, and record it anew
            del table[key]
    record = _record(p, int(flags))
    if record is None:
        return _original(p, flags)
    global _added
    table[key] = record
    _added = True
    return _build(p, record)


def _build(p: str, record: tuple) -> re.Pattern:
    final_flags, packed, groups, groupindex, indexgroup = record
    code = array.array(_CODE_TYPE)
    code.frombytes(packed)
    return _sre.compile(p, final_flags, code.tolist(), groups, groupindex, indexgroup)


_original = _compiler.compile if _sre is not None else None


def compile(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile`` for a module's own fixed pattern, through the cache whether or not the command installed
    it: a program that imports the checker pays for its patterns of Chinese characters as the command would
    (DRAFTGEN_NO_CACHE=1 or another Python: plain re.compile). ``save`` keeps what was added."""
    import os

    if _sre is None or os.environ.get("DRAFTGEN_NO_CACHE"):
        return re.compile(pattern, flags)
    return _compile(pattern, int(flags))


@contextlib.contextmanager
def installed():
    """The cache in front of re's compiler for a block only (unpickling the rule files' patterns, importing
    jieba), then re as it was; nothing changes when the command has installed it already."""
    import os

    if _sre is None or _compiler.compile is not _original or os.environ.get("DRAFTGEN_NO_CACHE"):
        yield
        return
    _compiler.compile = _compile
    try:
        yield
    finally:
        _compiler.compile = _original


def install() -> None:
    """Put the cache in front of re's compiler for the rest of this process (the draftgen command only:
    a program that imports the package keeps its re untouched; DRAFTGEN_NO_CACHE=1 turns it off)."""
    import os

    if _sre is not None and _compiler.compile is _original and not os.environ.get("DRAFTGEN_NO_CACHE"):
        _compiler.compile = _compile


def save() -> None:
    """Write the records when this run added any (called once, as a command finishes)."""
    global _added
    if not _added or _table is None:
        return
    from . import diskcache

    digest = _digest()
    diskcache.write_table(_name(digest), digest, _table, _used, _LIMIT)
    _added = False
