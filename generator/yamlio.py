"""Safe YAML reading that remembers where every value stood, so messages can say file:line.

YAML 1.1 traps are disarmed: only true/false are booleans (``no``/``on`` stay strings),
and numbers with a fraction stay strings (``3.10`` is not silently turned into 3.1).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

Loc = tuple  # a path into the document: ("meeting", "reporters") or ("achievements", 0, "facts", 1)


# The C parser when PyYAML was built with libyaml (much faster on the bank), else the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


# Drop the resolvers for bool, float and timestamp, then put back a strict bool. Dates stay text and are
# parsed by the models, so "2026-13-40" becomes a located message instead of a crash in the YAML library.
_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], duplicates: list[tuple[str, int]]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:  # YAML would silently keep the last one: the user meant one of them
                duplicates.append((dotted(loc + (key,)), key_node.start_mark.line + 1))
            seen.add(key)
            _walk(value_node, loc + (key,), lines, duplicates)
            # A key's own line is more useful than its value's (which may start on the next line).
            lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, loc + (i,), lines, duplicates)


def parse_yaml(text: str, filename: str) -> tuple[Any, dict[Loc, int]]:
    """Parse ``text``; return the data and a map from value paths to 1-based line numbers."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        what = e.problem or "格式错误"
        raise InputError(problems=[f"{filename}:{line}: YAML 格式错误（{what}），请检查缩进、冒号和引号"]) from e
    except yaml.YAMLError as e:
        raise InputError(problems=[f"{filename}:1: YAML 格式错误：{e}"]) from e
    lines: dict[Loc, int] = {}
    duplicates: list[tuple[str, int]] = []
    if node is not None:
        _walk(node, (), lines, duplicates)
    if duplicates:
        raise InputError(problems=[f"{filename}:{line}: {field}: 字段重复出现，请只保留一处" for field, line in duplicates])
    return data, lines


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int], str]:
    """Read a YAML file; return data, line map and the raw text."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as e:
        raise InputError(problems=[f"{path}: 文件不存在，请检查路径"]) from e
    except OSError as e:
        raise InputError(problems=[f"{path}: 无法读取（{e.strerror}）"]) from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(problems=[f"{path}: 不是 UTF-8 编码的文本，请在编辑器中另存为 UTF-8"]) from e
    data, lines = parse_yaml(text, str(path))
    return data, lines, text


def parse_date(value) -> "dt.date | None":
    """A YYYY-MM-DD value from a data file (the reader leaves dates as text), or None if it is not one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of ``loc`` or of its nearest ancestor that has one."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get((), 1)


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "（根）"
