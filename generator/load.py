"""Stage 1 — load: the only reader of YAML briefs and org configs.

Every problem is reported as ``file:line: field: message`` in Chinese, all at once, so the user can fix
them in one pass.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import typing
from pathlib import Path
from typing import Any

from .errors import InputError
from .fields import FieldProblem, Unsure, fast_convert
from .models import ORG_TYPES, Brief, LoadedBrief, Org
from .yamlio import dotted, excerpt, line_of, read_yaml

MAX_PROBLEMS = 30
_TYPE_NAMES = {"int": "整数", "str": "文字", "list": "列表", "dict": "映射", "date": "日期（如 2026-01-20）"}


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "是/否" if value else "否"
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return f"“{excerpt(value)}”"


def _model_at(model, loc: tuple):
    """The pydantic model that owns the last key of ``loc`` (for did-you-mean on unknown keys)."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    from pydantic import BaseModel

    for arg in typing.get_args(annotation) or ():
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


def suggest(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f"，是否想写“{match[0]}”？" if match else ""


def _message(err: dict, model) -> str:
    kind, value, loc = err["type"], err.get("input"), err["loc"]
    ctx = err.get("ctx") or {}
    if kind.startswith("dg_"):  # our own text checks carry their Chinese message
        return err["msg"]
    if kind == "too_long":
        return f"条目过多（{ctx.get('actual_length')} 条，上限 {ctx.get('max_length')} 条）；请合并或删减"
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        allowed = owner.model_fields if owner else []
        hint = suggest(loc[-1], allowed) or (f"；可用字段：{'、'.join(allowed)}" if allowed else "")
        return f"未知字段“{excerpt(loc[-1])}”{hint}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"应为整数，实为{_describe(value)}"
    if kind in ("string_type",):
        return f"应为文字，实为{_describe(value)}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"应为日期（如 2026-01-20），实为{_describe(value)}"
    if kind == "list_type":
        return f"应为列表（如 [甲, 乙]），实为{_describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"应为映射（带缩进的“字段: 值”），实为{_describe(value)}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        names = "、".join(f"{o}（{ORG_TYPES[o]}）" if o in ORG_TYPES else o for o in options)
        return f"应为以下之一：{names}；实为{_describe(value)}{suggest(value, options)}"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}，实为{_describe(value)}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}，实为{_describe(value)}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "bool_type":
        return f"应为 true 或 false，实为{_describe(value)}"
    return f"取值不正确（{excerpt(err.get('msg'), 60)}）"


def _validate(cls: type, data: Any, filename: str, lines: dict, prefix: tuple = ()) -> tuple[Any, list[str]]:
    """An instance of the model dataclass ``cls`` from ``data``, or the problems found (file:line: field: …)."""
    if not isinstance(data, dict):
        # Never quote the file: it may not be a YAML file at all (a wrong path, /etc/passwd …).
        what = "空文件" if data is None else ("列表" if isinstance(data, list) else "一段文字，不像是 YAML 配置文件")
        return None, [f"{filename}:1: 文件内容应为“字段: 值”的映射，实为{what}"]
    known = [f.name for f in dataclasses.fields(cls)]
    if not prefix and len(data) >= 3 and not set(map(str, data)) & set(known):
        # Not one known field: some other file (a wrong path). Say so without echoing its keys.
        what = "简报" if cls is Brief else "单位配置文件"
        return None, [f"{filename}:1: 不像是{what}（没有一个已知字段，如 {'、'.join(known[:4])}）；"
                      f"请检查文件路径"]
    try:
        return fast_convert(cls, data), []
    except Unsure:
        pass  # pydantic decides, and words whatever is wrong
    from pydantic import ValidationError

    from .validation import model_for, validate

    model = model_for(cls)
    try:
        return validate(cls, data), []
    except ValidationError as e:
        problems = []
        errors = e.errors()
        if len(errors) > MAX_PROBLEMS:  # a screenful is enough to act on; the rest follow once these are fixed
            problems.append(f"{filename}:1: 问题过多（{len(errors)} 处），只列出前 {MAX_PROBLEMS} 处；"
                            f"请确认这是 draftgen 的简报或单位配置文件")
            errors = errors[:MAX_PROBLEMS]
        for err in errors:
            loc = tuple(err["loc"])
            line = line_of(lines, prefix + loc)
            problems.append(f"{filename}:{line}: {dotted(prefix + loc)}: {_message(err, model)}")
        return None, problems


def _check_topics(brief: Brief, topics, filename: str, lines: dict) -> list[str]:
    problems = []
    places = [(("focus", i), t) for i, t in enumerate(brief.focus)]
    places += [(("achievements", i, "topic"), a.topic) for i, a in enumerate(brief.achievements)]
    places += [(("problems", i, "topic"), p.topic) for i, p in enumerate(brief.problems)]
    for loc, topic in places:
        if topic not in topics:
            problems.append(
                f"{filename}:{line_of(lines, loc)}: {dotted(loc)}: 未知主题“{topic}”{suggest(topic, topics)}"
                f"（可用主题见 draftgen topics）"
            )
    for part in ("achievements", "problems"):
        for i, tf in enumerate(getattr(brief, part)):
            facets = [f.id for f in getattr(topics.get(tf.topic), "facets", ())] if hasattr(topics, "get") else []
            if tf.facet is not None and tf.topic in topics and facets and tf.facet not in facets:
                loc = (part, i, "facet")
                problems.append(f"{filename}:{line_of(lines, loc)}: {dotted(loc)}: 主题“{tf.topic}”下没有方面"
                                f"“{tf.facet}”；可选：{'、'.join(facets)}（或删去 facet，由程序按关键词归类）")
    return problems


def _check_reporters(brief: Brief, filename: str, lines: dict) -> list[str]:
    """The list of reporters and the counts must tell the same story, or the news and host scripts disagree."""
    m = brief.meeting
    if not m.reporters_list:
        return []
    out = []
    for count, field, written in ((m.reporters, "reporters", False), (m.written_reporters, "written_reporters", True)):
        listed = sum(1 for r in m.reporters_list if r.written == written)
        if count is not None and count != listed:
            what = "书面" if written else "现场"
            out.append(f"{filename}:{line_of(lines, ('meeting', field))}: meeting.{field}: 为 {count}，但 "
                       f"meeting.reporters_list 中{what}述职的有 {listed} 人；请改为一致，或删去其中之一")
    return out


def _location(message: str) -> tuple[str, int]:
    """Sort key: messages of one file together, in line order."""
    path, _, rest = message.partition(":")
    line = rest.split(":", 1)[0]
    return (path, int(line) if line.isdigit() else 0)


def _check_combinations(brief: Brief, filename: str, lines: dict) -> list[str]:
    """Settings that are each valid but cannot go together."""
    out = []
    kinds = set(brief.kinds) if brief.kinds else {brief.kind}
    if ("kind",) in lines:  # kind given explicitly (it defaults to review) names the speech as well
        kinds.add(brief.kind)
    if {"review", "work"} <= kinds:
        field = ("kinds",) if brief.kinds else ("kind",)
        out.append(f"{filename}:{line_of(lines, field)}: {dotted(field)}: review（述职评议会讲话）与 work（工作会议讲话）"
                   f"是两种不同会议的讲话，一份简报只能选其一；请分成两份简报")
    if brief.layout == "two_part" and brief.points not in (None, 2):
        out.append(f"{filename}:{line_of(lines, ('points',))}: points: layout 为 two_part 时固定为“讲两点意见”，"
                   f"与 points: {brief.points} 矛盾；请删去其一")
    return out


def _check_docx(org: Org, filename: str, lines: dict, prefix: tuple, base: Path) -> list[str]:
    """The Word settings, checked here (with file:line) rather than when the .docx is being written."""
    from .layout import FONT_ROLES

    out = []
    opts = org.docx
    for role in opts.fonts:
        if role not in FONT_ROLES:
            loc = prefix + ("docx", "fonts", role)
            out.append(f"{filename}:{line_of(lines, loc)}: {dotted(loc)}: 未知的字体角色“{role}”{suggest(role, FONT_ROLES)}；"
                       f"可用的有 {'、'.join(FONT_ROLES)}")
        elif not opts.fonts[role]:
            loc = prefix + ("docx", "fonts", role)
            out.append(f"{filename}:{line_of(lines, loc)}: {dotted(loc)}: 字体名称不能为空")
    if opts.reference:
        loc = prefix + ("docx", "reference")
        where = f"{filename}:{line_of(lines, loc)}: {dotted(loc)}"
        ref = Path(opts.reference).expanduser()
        ref = ref if ref.is_absolute() else base / ref
        if ref.suffix.lower() != ".docx":
            out.append(f"{where}: 参考文档应为 .docx 文件，实为“{excerpt(opts.reference, 60)}”；请在 Word 或 WPS 中另存为 .docx 后再指定")
        elif not ref.is_file():
            out.append(f"{where}: 找不到参考文档“{excerpt(opts.reference, 60)}”（查找位置：{ref}）")
    return out


def _org_path_problem(value: str) -> bool:
    """Whether the brief's validation refuses this path (and says why); then it is not looked up at all."""
    from .fields import clean_path

    try:
        clean_path(value)
    except FieldProblem:
        return True
    return False


def load_brief(path: Path | str, topics: typing.Iterable[str] | None = None) -> LoadedBrief:
    """Read and validate a brief and its organisation config. Raises InputError listing every problem."""
    path = Path(path)
    data, lines, text = read_yaml(path)
    label = str(path)
    org_data = data.get("org") if isinstance(data, dict) else None
    brief, problems = _validate(Brief, data, label, lines)

    org, org_text = None, ""
    # Relative paths in the org config (docx.reference) start at the brief's folder, as they always have.
    org_label, org_lines, org_prefix, org_dir = label, lines, ("org",), path.parent
    if isinstance(org_data, str) and _org_path_problem(org_data):
        pass  # the brief's own validation names the bad character or length
    elif isinstance(org_data, str):
        org_path = path.parent / org_data
        if not os.path.exists(org_path):
            problems.append(f"{label}:{line_of(lines, ('org',))}: org: 找不到单位配置文件“{excerpt(org_data, 60)}”"
                            f"（相对于简报所在目录）")
        else:
            try:
                odata, olines, org_text = read_yaml(org_path)
            except InputError as e:
                problems += e.problems
            else:
                org_label, org_lines, org_prefix = str(org_path), olines, ()
                org, more = _validate(Org, odata, org_label, olines)
                problems += more
    elif isinstance(org_data, dict):
        org, more = _validate(Org, org_data, label, lines, prefix=("org",))
        problems += more
    elif isinstance(data, dict) and "org" in data:
        problems.append(f"{label}:{line_of(lines, ('org',))}: org: 应为单位配置文件的路径，或带缩进的单位信息")

    if org is not None:
        problems += _check_docx(org, org_label, org_lines, org_prefix, org_dir)
    if brief is not None:
        problems += _check_reporters(brief, label, lines)
        problems += _check_combinations(brief, label, lines)
        if topics is None:
            from .bank import default_bank

            topics = default_bank().topics
        problems += _check_topics(brief, topics, label, lines)
    if problems:
        raise InputError(problems=sorted(dict.fromkeys(problems), key=_location))
    if brief is None or org is None:  # every path that leaves one unset reports why; this is a safety net
        raise InputError(problems=[f"{label}:1: 简报或单位配置无效，请检查 org 字段"])
    digest = hashlib.sha256((text + "\n---\n" + org_text).encode("utf-8")).hexdigest()
    docx_where = f"{org_label}:{line_of(org_lines, org_prefix + ('docx',))}"
    return LoadedBrief(brief=brief, org=org, path=label, digest=digest, org_dir=str(org_dir), docx_where=docx_where)
