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


# Bounds on what a document may expand to through aliases (&a / *a): a "billion laughs" file is a few lines
# that stand for billions of values. The phrase bank, the largest real file, has about 20,000 values.
MAX_NODES = 200_000
MAX_DEPTH = 60
MAX_CHARS = 8_000_000  # total text of all values, counting each alias as many times as it is used


class _TooBig(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _walk(root: yaml.Node, lines: dict[Loc, int], duplicates: list[tuple[str, int]]) -> None:
    """Record the line of every value path; refuse recursive, too deep or too large alias expansions.

    Iterative, so a deeply nested file cannot exhaust Python's stack before the depth bound is met."""
    budget = {"nodes": 0, "chars": 0}
    stack: list[tuple[yaml.Node, Loc, tuple]] = [(root, (), ())]
    while stack:
        node, loc, ancestors = stack.pop()
        line = node.start_mark.line + 1
        lines.setdefault(loc, line)
        budget["nodes"] += 1
        if budget["nodes"] > MAX_NODES:
            raise _TooBig(f"内容过多（展开别名后超过 {MAX_NODES} 个值）；请检查是否误用了 & 和 * 别名", line)
        if len(loc) > MAX_DEPTH:
            raise _TooBig(f"嵌套过深（超过 {MAX_DEPTH} 层）", line)
        if id(node) in ancestors:
            raise _TooBig("别名（*）引用了包含它自身的内容，形成循环；请删去该别名", line)
        if isinstance(node, yaml.ScalarNode):
            budget["chars"] += len(node.value)
            if budget["chars"] > MAX_CHARS:
                raise _TooBig("文字总量过大（展开别名后超过 800 万字）；请检查是否误用了 & 和 * 别名", line)
            continue
        inner = ancestors + (id(node),)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            children = []
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _TooBig("字段名应为文字，不能是列表或映射", key_node.start_mark.line + 1)
                key = key_node.value
                if key in seen:  # YAML would silently keep the last one: the user meant one of them
                    duplicates.append((dotted(loc + (key,)), key_node.start_mark.line + 1))
                seen.add(key)
                # A key's own line is more useful than its value's (which may start on the next line).
                lines[loc + (key,)] = key_node.start_mark.line + 1
                children.append((value_node, loc + (key,), inner))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(child, loc + (i,), inner) for i, child in enumerate(node.value)]))


def parse_yaml(text: str, filename: str) -> tuple[Any, dict[Loc, int]]:
    """Parse ``text``; return the data and a map from value paths to 1-based line numbers."""
    lines: dict[Loc, int] = {}
    duplicates: list[tuple[str, int]] = []
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                # Walk (and bound) the node graph before building values from it.
                _walk(node, lines, duplicates)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _TooBig as e:
        raise InputError(problems=[f"{filename}:{e.line}: YAML {e}"]) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        what = _yaml_problem(e.problem or "")
        what = f"（{what}）" if what else ""
        raise InputError(problems=[f"{filename}:{line}: YAML 格式错误{what}，请检查缩进、冒号和引号"]) from e
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as e:
        # ValueError/TypeError: a value the safe constructor cannot build (e.g. an unhashable key).
        raise InputError(problems=[f"{filename}:1: YAML 格式错误，请检查缩进、冒号和引号"]) from e
    if duplicates:
        raise InputError(problems=[f"{filename}:{line}: {field}: 字段重复出现，请只保留一处" for field, line in duplicates])
    return data, lines


# What PyYAML's most common complaints mean, in the words of someone editing a brief.
_PROBLEMS = (
    ("but found another document", "文件中有多个用 --- 分隔的 YAML 文档，只能保留一个"),
    ("that cannot start any token", "含有不能出现在此处的字符（常见的是制表符 Tab，请改用空格缩进）"),
    ("found a tab character", "含有制表符（Tab），请改用空格缩进"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有成对，或列表项之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有成对，或各项之间缺少逗号"),
    ("mapping values are not allowed", "此处不能再写“字段: 值”，冒号后的文字含“: ”时请加引号"),
    ("could not find expected ':'", "缺少冒号，或引号没有成对"),
    ("did not find expected key", "缩进不一致"),
    ("did not find expected '-' indicator", "列表的缩进不一致"),
    ("found undefined alias", "使用了未定义的别名（*）"),
    ("found duplicate anchor", "锚点（&）重复"),
    ("exceeded maximum nesting depth", "嵌套过深"),
    ("found unhashable key", "字段名应为文字，不能是列表或映射"),
    ("found unexpected end of stream", "文件意外结束，可能是引号或括号没有成对"),
    ("found invalid Unicode character escape code", "含有无效的转义字符（\\u 或 \\U）"),
    ("found unknown escape character", "含有无效的转义字符（反斜杠 \\）"),
    ("expected <block end>, but found", "缩进不一致"),
    ("while scanning a quoted scalar", "引号没有成对"),
    ("found unacceptable character", "含有不允许的字符"),
    ("could not determine a constructor for the tag", "使用了不支持的标签（!!…）"),
)


def _yaml_problem(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if problem.startswith(english) or english in problem:
            return chinese
    return ""


def excerpt(text: str, limit: int = 30) -> str:
    """A short, single-line excerpt: messages never echo a file's contents."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int], str]:
    """Read a YAML file (UTF-8, UTF-8 with BOM or GB18030); return data, line map and the raw text."""
    from .readers import YAML_LIMIT, decode_text, read_regular_file

    raw = read_regular_file(path, YAML_LIMIT)
    try:
        text, _ = decode_text(raw, path)
    except InputError as e:
        raise InputError(problems=[f"{path}: 无法识别文本编码（支持 UTF-8 和 GB18030），请在编辑器中另存为 UTF-8"]) from e
    if text.startswith("\ufeff"):
        text = text[1:]
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
            out += ("." if out else "") + excerpt(part, 40)
    return out or "（根）"
