"""What each field of a brief or org config may hold, and the plain reading of a valid one.

The models (models.py) are frozen dataclasses whose field types carry the markers below in ``Annotated``. Two
readers honour the markers:

- ``fast_convert`` reads the plain case — every value already of its type and within its limits — without
  loading pydantic, which would cost a small build a third of its time;
- validation.py builds pydantic models from the same dataclasses and words every problem with file and line.

``fast_convert`` gives up (raises ``Unsure``) on anything that is not plainly valid: a number where a text is
wanted, a value with spaces around it, an unusual date. The two readers can therefore differ only in how often
pydantic is asked, never in what a brief means; tests/test_fields.py holds them to the same results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
import unicodedata
from typing import Annotated, Any, Callable, Literal, Union

# ---------------------------------------------------------------- text from a brief is data

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_LINE_BREAKS = re.compile(r"[ \t\u3000\u00a0]*(?:\r\n|[\r\n\x0b\x0c\x85\u2028\u2029])+[ \t\u3000\u00a0]*")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2000-\u200a\u202f\u205f]+")
_SPACE_IN_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")  # zero-width and soft hyphen: pasted, never meant
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class FieldProblem(ValueError):
    """A value a field refuses, with its Chinese message (``template`` filled from ``ctx``)."""

    def __init__(self, code: str, template: str, ctx: dict | None = None):
        self.code, self.template, self.ctx = code, template, ctx or {}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.template.format(**self.ctx)


class Unsure(Exception):
    """The fast reader cannot vouch for a value; pydantic decides and words the answer."""


def _bad_char(ch: str) -> bool:
    if ch in "\t\n\r\x0b\x0c\x85":  # whitespace and line breaks are folded, not refused
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cs") or ch in _BIDI or (ord(ch) & 0xFFFE) == 0xFFFE


def fold_text(text: str) -> str:
    """One line of text, as a field of a document needs: line breaks and runs of spaces pasted from Word are
    folded (nothing between two Chinese characters, one space elsewhere) and "@" is written full-width, so
    no text can start a paragraph or heading of its own."""
    text = _INVISIBLE.sub("", text)

    def join(m: re.Match) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        if not before or not after:
            return ""
        return "" if _CJK_CHAR.match(before) or _CJK_CHAR.match(after) else " "

    text = _LINE_BREAKS.sub(join, text)
    text = _SPACES.sub(" ", text)
    # "@" starts a block marker in the rendered text; the full-width sign reads the same in Chinese.
    text = text.replace("@", "＠")
    return _SPACE_IN_CJK.sub("", text).strip()


def clean_text(value: str, limit: int, required: bool = False) -> str:
    for i, ch in enumerate(value):
        if _bad_char(ch):
            raise FieldProblem(
                "dg_control", "第 {pos} 个字符是不可见的控制字符 {code}，不能写进文稿；请删去它（常见于从其他软件复制的文字）",
                {"pos": i + 1, "code": f"U+{ord(ch):04X}"})
    text = fold_text(value)
    if required and not text:
        raise FieldProblem("dg_empty", "不能为空")
    if len(text) > limit:
        raise FieldProblem("dg_long", "过长（{n} 字，上限 {limit} 字）；请精简", {"n": len(text), "limit": limit})
    return text


def clean_path(value: str) -> str:
    for i, ch in enumerate(value):
        if _bad_char(ch) or ch in "\t\n\r\x0b\x0c\x85":
            raise FieldProblem("dg_control", "第 {pos} 个字符是控制字符 {code}，不能出现在文件路径中；请删去它",
                               {"pos": i + 1, "code": f"U+{ord(ch):04X}"})
    if len(value) > 1000:
        raise FieldProblem("dg_long", "路径过长（{n} 字，上限 1000 字）", {"n": len(value)})
    return value


def _for_pydantic(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``func`` with its FieldProblem raised as pydantic's own error, so it is reported with the others."""
    from pydantic_core import PydanticCustomError

    def call(value):
        try:
            return func(value)
        except FieldProblem as e:
            raise PydanticCustomError(e.code, e.template, e.ctx) from None

    return call


# ---------------------------------------------------------------- markers (used inside Annotated)


class Text:
    """A one-line string of at most ``limit`` characters after folding."""

    def __init__(self, limit: int, required: bool = False):
        self.limit, self.required = limit, required

    def check(self, value: str) -> str:
        return clean_text(value, self.limit, self.required)

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_for_pydantic(self.check), handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        out = handler(schema)
        out["maxLength"] = self.limit
        return out


class PathText:
    """A file path as written in a config: kept as it is, refused when it holds control characters."""

    def check(self, value: str) -> str:
        return clean_path(value)

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(_for_pydantic(self.check), handler(source))


class Int:
    """A whole number (never a string or true/false) within ``ge`` … ``le``."""

    def __init__(self, ge: int, le: int):
        self.ge, self.le = ge, le

    def check(self, value: int) -> int:
        if not self.ge <= value <= self.le:
            raise Unsure  # pydantic words the bound that is broken
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        return core_schema.int_schema(strict=True, ge=self.ge, le=self.le)


class Items:
    """A list of at most ``max_length`` items."""

    def __init__(self, max_length: int):
        self.max_length = max_length

    def check(self, value: list) -> list:
        if len(value) > self.max_length:
            raise Unsure
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        schema = handler(source)
        schema["max_length"] = self.max_length
        return schema


class Before:
    """A reading applied to the raw value first (2026年1月20日 → 2026-01-20)."""

    def __init__(self, func: Callable[[Any], Any]):
        self.func = func

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_for_pydantic(self.func), handler(source))


def text(limit: int, required: bool = False):
    """The type of a one-line text field."""
    return Annotated[str, Text(limit, required)]


# ---------------------------------------------------------------- the plain reading

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HINTS: dict[type, dict[str, Any]] = {}


def hints(cls: type) -> dict[str, Any]:
    """The resolved field types of a model dataclass, markers included (computed once per class)."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls, include_extras=True)
    return found


def fast_convert(cls: type, data: Any) -> Any:
    """``cls`` built from plain YAML data when every value is plainly valid; raises Unsure otherwise."""
    if type(data) is not dict:
        raise Unsure
    types = hints(cls)
    if not all(type(k) is str and k in types for k in data):
        raise Unsure
    for f in dataclasses.fields(cls):
        if f.name not in data and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise Unsure
    try:
        return cls(**{name: _value(types[name], value) for name, value in data.items()})
    except FieldProblem:
        raise Unsure from None


def _value(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is Annotated:
        base, *marks = typing.get_args(tp)
        for mark in marks:
            if isinstance(mark, Before):
                value = mark.func(value)
        value = _value(base, value)
        for mark in marks:
            if not isinstance(mark, Before):
                value = mark.check(value)
        return value
    if origin is Union:
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        for arg in args:  # the types a union of this project holds never overlap: str, dict, a model
            if arg is not type(None) and _plain_type(arg) is type(value):
                return _value(arg, value)
        raise Unsure
    if origin is Literal:
        if type(value) is str and value in typing.get_args(tp):
            return value
        raise Unsure
    if origin is list:
        if type(value) is not list:
            raise Unsure
        (item,) = typing.get_args(tp)
        return [_value(item, v) for v in value]
    if origin is dict:
        if type(value) is not dict:
            raise Unsure
        key, val = typing.get_args(tp)
        return {_value(key, k): _value(val, v) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return fast_convert(tp, value)
    if tp is str:
        # pydantic strips surrounding spaces by its own notion of a space; a value that has any is left to it.
        if type(value) is not str or (value and (value[0].isspace() or value[-1].isspace())):
            raise Unsure
        return value
    if tp is dt.date:
        if type(value) is dt.date:
            return value
        if type(value) is str and _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise Unsure from None
        raise Unsure
    if tp in (int, bool, dict) and type(value) is tp:
        return value
    raise Unsure


def _plain_type(tp: Any) -> Any:
    """The Python type a value of ``tp`` has in YAML data: str for texts, dict for models and mappings."""
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    if dataclasses.is_dataclass(tp) or typing.get_origin(tp) is dict:
        return dict
    if typing.get_origin(tp) is Literal:
        return type(typing.get_args(tp)[0])
    return typing.get_origin(tp) or tp
