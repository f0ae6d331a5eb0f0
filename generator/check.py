"""The checker: proofreading rules for speech drafts, run on a user's file or on a generated draft.

``check(doc)`` is pure: it reads a SourceDocument and returns findings sorted by line. Rule lists
(legitimate reduplications, stale formulas, standard name forms, phrases exempt from the repetition count)
live in ``phrasebank/rules/*.yaml`` so they can be extended by pull request; ``validate_rules`` checks them.

A user's file also gets the rules that need the segmenter: wrong characters (DG801, see ``typos``),
的/地/得 and stray characters (DG803/DG804). A generated draft does not (its text is the proofread bank);
there jieba is imported only when a doubled character or word survives the whitelist, so checking a clean
generated draft never pays for loading the segmenter. The genre's list of misused words (DG802/DG803) and
fixed phrases with a character left out (DG804) are plain patterns and run on everything.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

from . import regexcache
from .errors import BankError, InputError, RefusedError
from .paths import RULES_DIR
from .readers import Paragraph, SourceDocument, decode_text, read_document, read_documents

ERROR, DOUBT, HINT = "错误", "疑似", "提示"
SEVERITIES = (ERROR, DOUBT, HINT)

# Stable codes. Severity: slips, placeholders, count mismatches, stale formulas = 错误; doubtful = 疑似;
# style = 提示. Each code has one failing and one passing fixture under tests/fixtures/check/.
CODES: dict[str, tuple[str, str]] = {
    "DG101": (ERROR, "重复字词：同一个字或词多打了一遍（抓好抓好、也是是、不停停顿）"),
    "DG102": (DOUBT, "疑似重复字词：可能是有意的重叠（如“研究研究”），请核对"),
    "DG201": (ERROR, "宣布的条数（讲三点意见、三个方面）与其后的序号数目不符"),
    "DG202": (ERROR, "序号跳号、重号或顺序颠倒（一是、二是、四是；一、二、二、）"),
    "DG203": (DOUBT, "同一组序号体例混用（第一……二是；首先……其次……第三）"),
    "DG204": (DOUBT, "一组序号不是从“一”开始"),
    "DG205": (HINT, "宣布了“讲N点意见”，其后却没有相应的序号"),
    "DG301": (ERROR, "未填写的占位符（XXX、××、{{ }}、“党的--”）"),
    "DG302": (ERROR, "待补充标记尚未补写（【待补充：…】）"),
    "DG401": (ERROR, "过时提法：按讲话日期已不是当前说法（十九大、十三五收官之年、建党100周年）"),
    "DG501": (ERROR, "称谓或名称不规范（习总书记、总书记习近平）"),
    "DG502": (DOUBT, "称谓或名称疑似不规范"),
    "DG601": (HINT, "中文之间用了半角标点 , ; : ! ? ( )（可自动修正）"),
    "DG602": (DOUBT, "引号、书名号或括号不成对"),
    "DG603": (HINT, "标点重复（。。 ，，）（可自动修正）"),
    "DG604": (HINT, "用半角“--”代替了破折号“——”"),
    "DG701": (DOUBT, "同一句话重复出现"),
    "DG702": (HINT, "同一短语用得过多"),
    "DG801": (DOUBT, "疑似错别字：音近或形近的字写错（拼博 → 拼搏、总休方案 → 总体方案）"),
    "DG802": (ERROR, "常用易错词：写法错误（再接再励 → 再接再厉）"),
    "DG803": (DOUBT, "疑似易错词或“的、地、得”用错（截止目前 → 截至目前；清醒的认识到 → 清醒地认识到；做的很好 → 做得很好）"),
    "DG804": (DOUBT, "疑似多字、漏字或字序颠倒（最重要的是一条是；习近平中国特色社会主义思想；推动展发）"),
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    line: int
    message: str
    excerpt: str = ""
    suggestion: str = ""
    fixable: bool = False
    column: int = 0  # 1-based position in the paragraph as read (0: the paragraph as a whole)
    length: int = 0  # characters the finding is about, from ``column`` (0: not located)


def _finding(code: str, para: Paragraph, message: str, *, start: int = -1, end: int = -1, excerpt: str | None = None,
             suggestion: str = "", fixable: bool = False) -> Finding:
    if excerpt is None:
        excerpt = _excerpt(para.text, start, end) if start >= 0 else ""
    column = start + 1 if start >= 0 else 0
    length = max(0, end - start) if start >= 0 else 0
    return Finding(code, CODES[code][0], para.line, message, excerpt, suggestion, fixable, column, length)


# ---------------------------------------------------------------- characters

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_RUN = regexcache.compile(f"[{_HAN}]+")
_CN_PUNCT = "，。、；：！？“”‘’（）《》【】〔〕…—·「」『』"


def _is_han(c: str) -> bool:
    return bool(c) and ("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")


def _chinese_context(c: str) -> bool:
    """A neighbour that makes a half-width mark "between Chinese": an ideograph or Chinese punctuation."""
    return bool(c) and (_is_han(c) or c in _CN_PUNCT or "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff5e")


def _excerpt(text: str, start: int, end: int, width: int = 8) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    out = ("…" if left > 0 else "") + text[left:right] + ("…" if right < len(text) else "")
    return out.replace("\n", " ").strip()


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> Optional[int]:
    """一 → 1, 十二 → 12, 二十 → 20, 7 → 7; None for 几 or anything else."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return None
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None or t == 0:
            return None
        return t * 10 + o
    if len(s) == 1 and s in _CN_DIGITS and _CN_DIGITS[s] > 0:
        return _CN_DIGITS[s]
    return None


def cn_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    out = []
    for term in terms:
        start = text.find(term)
        while start >= 0:
            out.append((start, start + len(term)))
            start = text.find(term, start + 1)
    return out


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


# ---------------------------------------------------------------- rule data


@dataclass(frozen=True)
class Formula:
    """A time-bound formula (DG401) or a name form (DG501/502), as read from a rule file."""

    id: str
    patterns: tuple[re.Pattern, ...]
    message: str
    suggestion: str
    file: str
    line: int
    valid_from: Optional[dt.date] = None
    valid_until: Optional[dt.date] = None
    unless_after: tuple[str, ...] = ()
    unless_before: tuple[str, ...] = ()
    severity: str = ERROR
    campaign: bool = False  # a 主题教育/学习教育 with a start and an end: mentions of it can look back

    def stale_on(self, date: dt.date) -> bool:
        return bool((self.valid_from and date < self.valid_from) or (self.valid_until and date > self.valid_until))


@dataclass(frozen=True)
class Rules:
    words: frozenset[str]
    abab: frozenset[str]
    joins: tuple[str, ...]
    surnames: frozenset[str]
    name_followers: tuple[str, ...]
    cover: dict  # doubled string → ((whitelisted string, offset of the doubling in it), …)
    formulas: tuple[Formula, ...]
    names: tuple[Formula, ...]
    ignore: tuple[str, ...]
    min_count: int
    per_thousand: float
    misused: tuple[Formula, ...] = ()
    known_words: frozenset[str] = frozenset()
    missing: tuple[Optional[re.Pattern], dict] = (None, {})  # fixed phrases less a few characters → phrase


_ID_RE = regexcache.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Values a message or suggestion may refer to, filled in from the speech date.
TEXT_PLACEHOLDERS = {
    "year": "讲话年份，如 2026",
    "party_years": "建党周年数（年份 − 1921），如 105",
    "plan": "讲话年份所在的五年规划，如“十五五”",
}
_TEXT_PLACEHOLDER = regexcache.compile(r"\{([a-z_]+)\}")


def fill_placeholders(text: str, date: dt.date) -> str:
    values = {"year": str(date.year), "party_years": str(date.year - 1921),
              "plan": f"{cn_numeral((date.year - 1953) // 5 + 1)}五"}
    return _TEXT_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
_DOUBLED = regexcache.compile(r"(.{1,8})\1")

# What each rule file may contain: top-level key → kind.
_FILE_SCHEMAS: dict[str, dict[str, str]] = {
    "reduplication.yaml": {"words": "strings", "abab": "strings", "joins": "strings", "surnames": "strings",
                           "name_followers": "strings"},
    "stale.yaml": {"formulas": "formulas"},
    "names.yaml": {"names": "names"},
    "repetition.yaml": {"ignore": "strings", "min_count": "int", "per_thousand": "number"},
    "spelling.yaml": {"misused": "misused", "known_words": "strings", "fixed_phrases": "strings"},
}
# Plain-text rule data beside the YAML files (validated too).
_TEXT_FILES = ("shape-similar.txt", "sound-groups.txt", "genre-bigrams.txt", "sound-words.txt")
_RECORD_FIELDS = {
    "formulas": ({"id", "patterns", "message", "suggestion"},
                 {"valid_from", "valid_until", "unless_after", "unless_before", "note", "campaign"}),
    "names": ({"id", "patterns", "message", "suggestion"}, {"severity", "unless_after", "unless_before", "note"}),
    "misused": ({"id", "patterns", "message", "suggestion"}, {"severity", "unless_after", "unless_before", "note"}),
}


def _string_list(value, where: str, key: str, lines, problems: list[str], path: Path) -> list[str]:
    from .yamlio import line_of

    if not isinstance(value, list):
        problems.append(f"{where}: {key} 应为字符串列表")
        return []
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(value):
        line = line_of(lines, (key, i))
        if not isinstance(item, str) or not item.strip():
            problems.append(f"{path}:{line}: {key} 的第 {i + 1} 项应为非空字符串，实为“{item}”")
            continue
        item = item.strip()
        if item in seen:
            problems.append(f"{path}:{line}: “{item}”重复（已见于第 {seen[item]} 行）")
            continue
        seen[item] = line
        out.append(item)
    return out


def _date(value, where: str, field: str, problems: list[str]) -> Optional[dt.date]:
    from .yamlio import parse_date

    if value is None:
        return None
    if (date := parse_date(value)) is not None:
        return date
    problems.append(f"{where}: {field} 应写作 2026-01-20 形式的日期，实为“{value}”")
    return None


def _parse_records(kind: str, value, path: Path, lines, problems: list[str]) -> list[Formula]:
    from .yamlio import line_of

    if not isinstance(value, list):
        problems.append(f"{path}:{line_of(lines, (kind,))}: {kind} 应为列表")
        return []
    required, optional = _RECORD_FIELDS[kind]
    out: list[Formula] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(value):
        line = line_of(lines, (kind, i))
        where = f"{path}:{line}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: 每一条应为映射（id、patterns、message、suggestion……）")
            continue
        for key in sorted(set(raw) - required - optional, key=str):
            problems.append(f"{path}:{line_of(lines, (kind, i, key))}: 未知字段“{key}”")
        missing = [k for k in sorted(required) if raw.get(k) in (None, "", [])]
        if missing:
            problems.append(f"{where}: 缺少必填字段 {'、'.join(missing)}")
            continue
        rid = str(raw["id"])
        if not _ID_RE.match(rid):
            problems.append(f"{where}: id“{rid}”只能由小写字母、数字和连字符组成")
        if rid in seen:
            problems.append(f"{where}: id“{rid}”重复（已见于第 {seen[rid]} 行）")
        seen.setdefault(rid, line)
        patterns = raw["patterns"]
        if isinstance(patterns, str):
            patterns = [patterns]
        compiled = []
        for j, pat in enumerate(patterns if isinstance(patterns, list) else []):
            pline = line_of(lines, (kind, i, "patterns", j))
            if not isinstance(pat, str):
                problems.append(f"{path}:{pline}: 正则表达式应为字符串，实为“{pat}”")
                continue
            try:
                rx = re.compile(pat)
            except re.error as e:
                problems.append(f"{path}:{pline}: 正则表达式“{pat}”有误：{e}")
                continue
            if rx.match(""):
                problems.append(f"{path}:{pline}: 正则表达式“{pat}”能匹配空字符串")
                continue
            compiled.append(rx)
        if not isinstance(patterns, list):
            problems.append(f"{where}: patterns 应为正则表达式列表")
        contexts = {}
        for key in ("unless_after", "unless_before"):
            v = raw.get(key) or []
            if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
                problems.append(f"{path}:{line_of(lines, (kind, i, key))}: {key} 应为非空字符串列表")
                v = []
            contexts[key] = tuple(v)
        severity = raw.get("severity", ERROR)
        if severity not in (ERROR, DOUBT):
            problems.append(f"{path}:{line_of(lines, (kind, i, 'severity'))}: severity 只能是“错误”或“疑似”，实为“{severity}”")
            severity = ERROR
        vf = _date(raw.get("valid_from"), where, "valid_from", problems)
        vu = _date(raw.get("valid_until"), where, "valid_until", problems)
        if vf and vu and vf > vu:
            problems.append(f"{where}: valid_from 晚于 valid_until")
        if kind == "formulas" and not (vf or vu):
            problems.append(f"{where}: 至少要有 valid_from 或 valid_until")
        for key in ("message", "suggestion"):
            if not isinstance(raw[key], str):
                problems.append(f"{path}:{line_of(lines, (kind, i, key))}: {key} 应为字符串")
                continue
            for name in _TEXT_PLACEHOLDER.findall(raw[key]):
                if name not in TEXT_PLACEHOLDERS:
                    problems.append(f"{path}:{line_of(lines, (kind, i, key))}: 未知占位符 {{{name}}}"
                                    f"（可用：{'、'.join('{' + k + '}' for k in TEXT_PLACEHOLDERS)}）")
        campaign = raw.get("campaign", False)
        if not isinstance(campaign, bool):
            problems.append(f"{path}:{line_of(lines, (kind, i, 'campaign'))}: campaign 应为 true 或 false，实为“{campaign}”")
            campaign = False
        out.append(Formula(rid, tuple(compiled), str(raw["message"]).strip(), str(raw["suggestion"]).strip(),
                           str(path), line, vf, vu, contexts["unless_after"], contexts["unless_before"], severity,
                           campaign))
    return out


def _read_rules(directory: Path, *, pairs: bool = False) -> tuple[dict, list[str]]:
    """Parsed rule data and its problems. The genre's word pairs (``pairs``) are only read for a full
    validation: every check, the build's included, loads the rules, and only DG801 needs the pairs."""
    from .yamlio import line_of, read_yaml  # PyYAML only when the rule files are read, not from their cache

    problems: list[str] = []
    parsed: dict[str, object] = {}
    if not directory.is_dir():
        return parsed, [f"{directory}: 规则目录不存在"]
    from .typos import read_genre_bigrams, read_shape_groups, read_sound_groups, read_sound_words

    for name, reader in zip(_TEXT_FILES, (read_shape_groups, read_sound_groups, read_genre_bigrams, read_sound_words)):
        if name in ("genre-bigrams.txt", "sound-words.txt") and not pairs:
            continue
        if not (directory / name).is_file():
            problems.append(f"{directory / name}: 缺少规则文件")
        else:
            problems += reader(directory / name)[1]
    present = {p.name for p in directory.glob("*.yaml")}
    for name in sorted(present - set(_FILE_SCHEMAS)):
        problems.append(f"{directory / name}:1: 未知的规则文件（可用的文件：{'、'.join(_FILE_SCHEMAS)}）")
    for name, schema in _FILE_SCHEMAS.items():
        path = directory / name
        if name not in present:
            problems.append(f"{path}: 缺少规则文件")
            continue
        try:
            data, lines, _ = read_yaml(path)
        except InputError as e:
            problems += e.problems or [str(e)]
            continue
        if not isinstance(data, dict):
            problems.append(f"{path}:1: 规则文件顶层应为映射（{'、'.join(schema)}）")
            continue
        for key in sorted(set(data) - set(schema), key=str):
            problems.append(f"{path}:{line_of(lines, (key,))}: 未知字段“{key}”（可用的字段：{'、'.join(schema)}）")
        for key, kind in schema.items():
            where = f"{path}:{line_of(lines, (key,))}"
            if key not in data:
                problems.append(f"{path}:1: 缺少字段“{key}”")
                continue
            value = data[key]
            if kind == "strings":
                parsed[key] = _string_list(value, where, key, lines, problems, path)
            elif kind in ("formulas", "names", "misused"):
                parsed[key] = _parse_records(kind, value, path, lines, problems)
            elif kind == "int":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    problems.append(f"{where}: {key} 应为正整数，实为“{value}”")
                    value = 1
                parsed[key] = value
            elif kind == "number":
                try:
                    value = float(value)  # the YAML loader keeps 1.6 as a string on purpose
                    assert value > 0
                except (TypeError, ValueError, AssertionError):
                    problems.append(f"{where}: {key} 应为正数，实为“{data[key]}”")
                    value = 1.0
                parsed[key] = value
        if name == "reduplication.yaml":
            # Every whitelisted string must actually contain a doubling, or it could never clear anything.
            for key in ("words", "joins"):
                for i, w in enumerate(data.get(key) or []):
                    if isinstance(w, str) and not _DOUBLED.search(w):
                        problems.append(f"{path}:{line_of(lines, (key, i))}: “{w}”中没有紧挨着重复的字或词")
            for i, w in enumerate(data.get("abab") or []):
                if isinstance(w, str) and len(w) != 2:
                    problems.append(f"{path}:{line_of(lines, ('abab', i))}: abab 的每一项应为两个字，实为“{w}”")
    return parsed, problems


def validate_rules(directory: Path | str | None = None) -> list[str]:
    """Schema problems of the rule files, each located ``file:line``; empty when the data is sound."""
    return _read_rules(Path(directory or RULES_DIR), pairs=True)[1]


@lru_cache(maxsize=8)
def _load_rules_cached(directory: str) -> Rules:
    """The rules of ``directory``, from the user's cache when its files are unchanged (reading the YAML is
    most of the cost of a small check); rules with problems are never cached, so they are always reported."""
    digest = _rules_digest(Path(directory))
    if digest is not None:
        from . import diskcache

        blob = diskcache.read(f"rules-{digest[:32]}.pickle", digest)
        if blob is not None:
            import pickle

            try:
                with regexcache.installed():  # the rules' patterns are compiled again as they are unpickled
                    rules = pickle.loads(blob)
                if isinstance(rules, Rules):
                    return rules
            except Exception:  # damaged: read the files again, and replace it
                pass
    rules = _compile_rules(directory)
    if digest is not None:
        import pickle

        from . import diskcache

        diskcache.write(f"rules-{digest[:32]}.pickle", digest, pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
    return rules


def _rules_digest(directory: Path) -> Optional[str]:
    """A digest of every rule file and of the code that reads them; None when caching is off or a file is
    unreadable (then the normal reading reports it)."""
    if os.environ.get("DRAFTGEN_NO_CACHE"):
        return None
    import hashlib
    import sys

    h = hashlib.sha256(f"rules|{sys.version}|{directory}".encode())
    here = Path(__file__)
    try:
        files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.txt"))
        for path in [*files, here, here.with_name("typos.py"), here.with_name("yamlio.py")]:
            data = path.read_bytes()
            h.update(f"\0{path.name}\0{len(data)}\0".encode())
            h.update(data)
    except OSError:
        return None
    return h.hexdigest()


def _compile_rules(directory: str) -> Rules:
    parsed, problems = _read_rules(Path(directory))
    if problems:
        raise BankError(problems=problems)
    words = frozenset(parsed["words"])
    joins = tuple(parsed["joins"])
    cover: dict[str, list[tuple[str, int]]] = {}
    for w in (*words, *joins):
        for k in range(1, len(w) // 2 + 1):
            for off in range(0, len(w) - 2 * k + 1):
                unit = w[off:off + k]
                if w[off + k:off + 2 * k] == unit:
                    cover.setdefault(unit + unit, []).append((w, off))
    return Rules(
        words=words,
        abab=frozenset(parsed["abab"]),
        joins=joins,
        surnames=frozenset(parsed["surnames"]),
        name_followers=tuple(parsed["name_followers"]),
        cover={k: tuple(v) for k, v in cover.items()},
        formulas=tuple(parsed["formulas"]),
        names=tuple(parsed["names"]),
        ignore=tuple(sorted(parsed["ignore"], key=len, reverse=True)),
        min_count=parsed["min_count"],
        per_thousand=parsed["per_thousand"],
        misused=tuple(parsed["misused"]),
        known_words=frozenset(parsed["known_words"]),
        missing=_missing_variants(parsed["fixed_phrases"]),
    )


def _missing_variants(phrases: Sequence[str]) -> tuple[Optional[re.Pattern], dict]:
    """Each fixed phrase of 5+ characters with one inner character left out (two or three for long ones)."""
    variants: dict[str, str] = {}
    for phrase in phrases:
        if len(phrase) < 5:
            continue
        for k in (1, 2, 3) if len(phrase) >= 10 else (1,):
            for i in range(2 if len(phrase) >= 10 else 1, len(phrase) - k):  # 学习|新时代… is no slip
                v = phrase[:i] + phrase[i + k:]
                if "、" in phrase[i:i + k] or any(v in p for p in phrases):
                    continue
                variants.setdefault(v, phrase)
    if not variants:
        return None, {}
    rx = re.compile("|".join(map(re.escape, sorted(variants, key=len, reverse=True))))
    return rx, variants


def load_rules(directory: Path | str | None = None) -> Rules:
    """The rule data, validated; BankError lists every problem ``file:line``."""
    return _load_rules_cached(str(Path(directory or RULES_DIR).resolve()))


# ---------------------------------------------------------------- DG101/DG102 doubled words

_DOUBLE_RE = regexcache.compile(f"([{_HAN}]{{1,8}})\\1")
# Second syllables of resultative/complement compounds (抓好, 加强, 落实): such verbs never reduplicate ABAB.
_COMPLEMENTS = set("好强实紧牢高大深细严全到住完成化明清快准足硬优")

_NUMERALS = set("〇零一二三四五六七八九十百千万亿两")

_JIEBA = None


# jieba's dictionary as this checker keeps it in the user's cache: the words run together in one string and
# their counts packed, which loads in less time than jieba's own cache (a dict of half a million entries built
# by marshal), and beside them the dictionary's two-character keys (see ``typos.two_char_keys``).
_DICTIONARY_FORMAT = 1
_DICTIONARY_KIND = "dictionary"
# (the FREQ dict they were read with, its size then, first character → second characters, second → first)
_TWO_CHAR_KEYS: Optional[tuple[dict, int, dict[str, str], dict[str, str]]] = None


def _dictionary_digest(jieba) -> Optional[str]:
    """What the kept dictionary is made from: jieba's default dictionary file (path, size, time), jieba's version
    and this format. None when another dictionary is in use, the file is not found, or caching is off."""
    import hashlib

    dt = jieba.dt
    if os.environ.get("DRAFTGEN_NO_CACHE") or dt.initialized or dt.cache_file or dt.dictionary != jieba.DEFAULT_DICT:
        return None
    path = os.path.join(os.path.dirname(os.path.abspath(jieba.__file__)), jieba.DEFAULT_DICT_NAME)
    try:
        st = os.stat(path)
    except OSError:
        return None
    tag = f"{_DICTIONARY_KIND}|{_DICTIONARY_FORMAT}|{jieba.__version__}|{path}|{st.st_size}|{st.st_mtime_ns}"
    return hashlib.sha256(tag.encode()).hexdigest()


def _load_dictionary(jieba, digest: str) -> bool:
    """Set jieba's dictionary from the user's cache; False when it is missing, foreign or damaged."""
    global _TWO_CHAR_KEYS
    import array
    import marshal

    from . import diskcache

    blob = diskcache.read(f"{_DICTIONARY_KIND}-{digest[:12]}.marshal", digest)
    if blob is None:
        return False
    try:
        words, packed, total, after, before = marshal.loads(blob)
        counts = array.array("q")
        counts.frombytes(packed)
        words = words.split("\n")
        if len(words) != len(counts) or not isinstance(total, int) or not isinstance(after, dict) or \
                not isinstance(before, dict):
            return False
    except Exception:  # damaged: jieba loads its own, and the file is written anew
        return False
    freq = dict(zip(words, counts))
    jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = freq, total, True
    _TWO_CHAR_KEYS = (freq, len(freq), after, before)
    return True


def _save_dictionary(jieba, digest: str) -> None:
    """Keep jieba's freshly loaded dictionary in the user's cache (failing to is no error)."""
    global _TWO_CHAR_KEYS
    import array
    import marshal

    from . import diskcache
    from .typos import two_char_keys

    freq = jieba.dt.FREQ
    if any("\n" in w for w in freq):
        return  # the words could not be told apart again
    after, before = two_char_keys(freq)
    _TWO_CHAR_KEYS = (freq, len(freq), after, before)
    try:
        blob = marshal.dumps(("\n".join(freq), array.array("q", freq.values()).tobytes(), jieba.dt.total, after,
                              before))
    except (ValueError, OverflowError, TypeError):
        return
    diskcache.write(f"{_DICTIONARY_KIND}-{digest[:12]}.marshal", digest, blob)


def two_char_keys_now(freq: dict) -> Optional[tuple[dict[str, str], dict[str, str]]]:
    """The two-character keys read or made with the dictionary, while ``freq`` is that dictionary unchanged."""
    if _TWO_CHAR_KEYS is not None and _TWO_CHAR_KEYS[0] is freq and _TWO_CHAR_KEYS[1] == len(freq):
        return _TWO_CHAR_KEYS[2], _TWO_CHAR_KEYS[3]
    return None


def segmenter():
    """jieba's cut without HMM (dictionary words only, deterministic), loaded once per process, quietly."""
    global _JIEBA
    if _JIEBA is None:
        import logging
        import sys

        # jieba finds its dictionary through pkg_resources when that imports, which alone costs a fifth of
        # a second (and a deprecation warning); its own fallback opens the file beside the module.
        hidden = "pkg_resources" not in sys.modules
        if hidden:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            with regexcache.installed():  # its patterns of Chinese characters, compiled as it is imported
                import jieba
        finally:
            if hidden:
                del sys.modules["pkg_resources"]

        jieba.setLogLevel(logging.CRITICAL)  # its startup chatter goes to stderr otherwise
        from .paths import cache_dir

        # jieba's dictionary cache, by default a predictable name in /tmp, goes to the user's own cache folder.
        # If that folder cannot be made, jieba still works: it only fails (quietly) to keep its cache.
        try:
            cache_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            pass
        jieba.dt.tmp_dir = str(cache_dir())
        digest = _dictionary_digest(jieba)
        if digest is None or not _load_dictionary(jieba, digest):
            jieba.initialize()
            if digest is not None:
                _save_dictionary(jieba, digest)
        _JIEBA = jieba
    return _JIEBA


# What jieba's cut takes as one block of Chinese text (its re_han_default, less the Latin letters and signs).
_JIEBA_HAN = regexcache.compile("[\u4e00-\u9fd5]+")


@lru_cache(maxsize=4096)
def _cut(run: str) -> tuple[tuple[int, int], ...]:
    """The spans of ``jieba.lcut(run, HMM=False)``."""
    jieba = segmenter()
    if _JIEBA_HAN.fullmatch(run):
        return _dictionary_cut(run, jieba.dt.FREQ, jieba.dt.total)
    spans, pos = [], 0
    for token in jieba.lcut(run, HMM=False):
        spans.append((pos, pos + len(token)))
        pos += len(token)
    return tuple(spans)


def _dictionary_cut(text: str, freq: dict, total: int) -> tuple[tuple[int, int], ...]:
    """jieba's cut without HMM of a block of Chinese characters, as its get_DAG and calc work it out (the most
    probable route through the dictionary's words; of two routes as probable, the one whose first word is
    longer), in one loop rather than through its generators: the checker cuts every run of a user's file."""
    n = len(text)
    log_total = math.log(total)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best, best_end = -math.inf, -1
        j = i
        while j < n:
            f = freq.get(text[i:j + 1])
            if f is None:
                break  # no key starts so: no longer word either
            if f:
                s = math.log(f) - log_total + score[j + 1]
                if s >= best:
                    best, best_end = s, j
            j += 1
        if best_end < 0:  # no word starts here: the character alone (jieba scores it as a count of 1)
            best, best_end = math.log(freq.get(text[i]) or 1) - log_total + score[i + 1], i
        score[i], end[i] = best, best_end
    spans, i = [], 0
    while i < n:
        spans.append((i, end[i] + 1))
        i = end[i] + 1
    return tuple(spans)


@dataclass(frozen=True)
class _Doubling:
    para: Paragraph
    start: int
    unit: str


def _cleared(text: str, p: int, unit: str, rules: Rules) -> bool:
    """Whitelist and pattern checks that need no segmentation."""
    k = len(unit)
    for word, off in rules.cover.get(unit + unit, ()):
        if p - off >= 0 and text.startswith(word, p - off):
            return True
    if k == 1 and unit in _NUMERALS and (text[p - 1:p] in _NUMERALS or text[p + 2:p + 3] in _NUMERALS):
        return True  # digits of a number written out: 十五五, 二〇二二
    if k == 1:
        # AABB (扎扎实实, 认认真真): the neighbouring pair is doubled too.
        after, before = text[p + 2:p + 4], text[max(0, p - 2):p]
        if len(after) == 2 and after[0] == after[1] and after[0] != unit and _is_han(after[0]):
            return True
        if len(before) == 2 and before[0] == before[1] and before[0] != unit and _is_han(before[0]):
            return True
        # A name with a doubled given name (张丹丹同志).
        rest = text[p + 2:]
        if (text[max(0, p - 1):p] in rules.surnames or text[max(0, p - 2):p] in rules.surnames) and (
                not rest or rest.startswith(rules.name_followers)):
            return True
    if unit[0] == "一" or (k == 2 and unit in rules.abab):  # 研究研究, 一个一个, 一个台阶一个台阶
        return True
    if k == 1 and text[p - 1:p] == "一" and unit not in _NUMERALS:
        return True  # 一次次, 一个个: a measure word doubled after 一
    return False


def _doubling_candidates(para: Paragraph, rules: Rules, terms: Sequence[str]) -> list[_Doubling]:
    text = para.text
    protected = _spans(text, terms)
    out = []
    for m in _DOUBLE_RE.finditer(text):
        unit = m.group(1)
        if _cleared(text, m.start(), unit, rules) or _overlaps(protected, m.start(), m.end()):
            continue
        out.append(_Doubling(para, m.start(), unit))
    return out


def _judge_doubling(c: _Doubling) -> Optional[Finding]:
    """Decide with word boundaries whether a doubling is a slip (抓好抓好) or two words meeting (学生生活)."""
    text, unit, k = c.para.text, c.unit, len(c.unit)
    a, b = c.start, c.start  # the run of Han characters holding the doubling, found from it outwards
    while a > 0 and _is_han(text[a - 1]):
        a -= 1
    while b < len(text) and _is_han(text[b]):
        b += 1
    run, p = text[a:b], c.start - a
    spans = _cut(run)
    if any(s <= p and e >= p + 2 * k for s, e in spans):
        return None  # one dictionary word holds the whole doubling: 层层, 沉甸甸
    bounds = {s for s, _ in spans} | {len(run)}
    start, end = c.start, c.start + 2 * k
    shown = f"{unit}{unit}"
    dedup = text[max(0, start - 3):start] + unit + text[end:end + 3]
    suggestion = f"删去一个“{unit}”：{dedup}"
    if {p, p + k, p + 2 * k} <= bounds:
        # Both halves stand as words of their own: 也/是/是, 抓好/抓好.
        if k == 2 and unit[1] not in _COMPLEMENTS:
            return _finding("DG102", c.para, f"“{shown}”重复，如不是有意重叠请删去一个", start=start, end=end,
                            suggestion=suggestion)
        return _finding("DG101", c.para, f"“{shown}”重复，疑为多打了“{unit}”", start=start, end=end,
                        suggestion=suggestion)
    # The halves belong to different words. A slip if removing one copy leaves a word across the seam
    # (不停停顿 → 不停顿); two words that merely meet (学生生活, 会议议程) leave none.
    undoubled = run[:p] + run[p + k:]
    left = next((run[s:e] for s, e in spans if e == p + k and e - s > k), None)
    right = next((run[s:e] for s, e in spans if s == p + k and e - s > k), None)
    if left and right:
        nouns = all(word_tag(w)[:1] in ("n", "j") for w in (left, right))
        if nouns or len(left) >= 3:
            return None  # two words meeting: 中小学|学生, 领导小组|组长, 会议|议程
    if any(s < p and e > p + k for s, e in _cut(undoubled)):
        return _finding("DG101", c.para, f"“{shown}”重复，疑为多打了“{unit}”", start=start, end=end,
                        suggestion=suggestion)
    if unit == "是" and (p + 1, p + 2) in spans:  # 总是是, 就是是: a standalone 是 after a word ending in 是
        return _finding("DG102", c.para, f"“{shown}”重复，疑为多打了“{unit}”", start=start, end=end,
                        suggestion=suggestion)
    return None


# ---------------------------------------------------------------- DG2xx enumeration

_NUMS = "一二三四五六七八九十"
_H1 = regexcache.compile(f"^\\s*([{_NUMS}]{{1,3}})\\s*[、．]")
_H2 = regexcache.compile(f"^\\s*[（(]\\s*([{_NUMS}]{{1,3}})\\s*[）)]")
_PAR = regexcache.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]")
_AR = regexcache.compile(r"^\s*(\d{1,2})\s*[.．、](?!\d)")
# A series marker stands at the start of a clause: paragraph start or after punctuation.
_CLAUSE_START = "(?<![^\\s，,。．.；;：:！!？?、“\"‘（(【》）)])"
_INLINE = regexcache.compile(
    _CLAUSE_START
    + f"(?:(?P<num>[{_NUMS}]{{1,3}})(?P<style>是|要)"
    + f"|第(?P<ord>[{_NUMS}]{{1,3}})(?:(?=[，,、：:；;])|点|条|个方面)"
    + "|(?P<seq>首先|其次)(?=[，,、：:；;]|要|是)|(?P<seq3>再次)(?=[，,、：:；;]))"
)
_SEQ_NUMBERS = {"首先": 1, "其次": 2, "再次": 3}
_RANKING = regexcache.compile(f"(?:名列|排名|位列|排在|排|位居|居|列|获得|荣获)(?:全[国省市区县]|同类|全系统)?(?:前)?"
                      f"第[{_NUMS}]{{1,3}}(?:[、和至到—-]第?[{_NUMS}]{{1,3}})*")
# "各支部一要……；二要……": a first marker right after its subject, accepted when the second follows anchored.
_LOOSE_FIRST = regexcache.compile("一(是|要)")
_DECL_SPEECH = regexcache.compile(
    "(?:讲|谈|提|说|强调|提出)(?:以下|如下|这么|这样)?(?P<num>[一二两三四五六七八九十几]{1,3}|\\d{1,2})(?:点|个方面|条)"
    "(?:意见|要求|看法|体会|建议|想法|希望|认识)?")
_DECL_LIST = regexcache.compile(
    f"(?<![第“])(?P<num>[一二两三四五六七八九十几]{{1,3}}|\\d{{1,2}})(?:个|点|条|项)[{_HAN}]{{0,6}}?[：:]")


@dataclass
class Marker:
    order: int
    para: Paragraph
    pidx: int
    pos: int
    family: str  # h1 一、 / h2 （一） / ar 1. / par （1） / 是 / 要 / 第 / 序 / reset
    number: int
    label: str


@dataclass
class Series:
    family: str
    items: list
    mixed: bool = False


def _label(family: str, n: int) -> str:
    if family == "h1":
        return f"{cn_numeral(n)}、"
    if family == "h2":
        return f"（{cn_numeral(n)}）"
    if family == "ar":
        return f"{n}."
    if family == "par":
        return f"（{n}）"
    if family == "第":
        return f"第{cn_numeral(n)}"
    if family == "序":
        return {1: "首先", 2: "其次", 3: "再次"}.get(n, f"第{cn_numeral(n)}")
    return f"{cn_numeral(n)}{family}"


def find_markers(paragraphs: Sequence[Paragraph]) -> list[Marker]:
    out: list[Marker] = []
    for pidx, para in enumerate(paragraphs):
        if para.role in ("title", "meta"):
            continue
        text, start = para.text, 0
        for family, rx in (("h1", _H1), ("h2", _H2), ("par", _PAR), ("ar", _AR)):
            m = rx.match(text)
            if m and (n := cn_number(m.group(1))):
                out.append(Marker(len(out), para, pidx, m.start(1), family, n, m.group(0).strip()))
                start = m.end()
                break
        else:
            if para.role == "heading1":  # an unnumbered section heading still closes the open series
                out.append(Marker(len(out), para, pidx, 0, "reset", 0, ""))
        found = []
        ranks = [(r.start(), r.end()) for r in _RANKING.finditer(text)]
        for m in _INLINE.finditer(text, start):
            if ranks and _overlaps(ranks, m.start(), m.end()):
                continue  # 名列第六、第七: a ranking, not a series
            if m.group("num"):
                n, family = cn_number(m.group("num")), m.group("style")
            elif m.group("ord"):
                n, family = cn_number(m.group("ord")), "第"
            else:
                word = m.group("seq") or m.group("seq3")
                n, family = _SEQ_NUMBERS[word], "序"
            if n:
                found.append((m.start(), family, n, m.group(0)))
        for pos, family, n, label in list(found):
            if n == 2 and family in ("是", "要") and not any(f == family and x == 1 and p < pos for p, f, x, _ in found):
                loose = [m for m in _LOOSE_FIRST.finditer(text, start, pos) if m.group(1) == family]
                if loose:
                    found.append((loose[-1].start(), family, 1, loose[-1].group(0)))
        for pos, family, n, label in sorted(found):
            out.append(Marker(len(out), para, pidx, pos, family, n, label))
    return out


def group_series(markers: list[Marker]) -> tuple[list[Finding], dict[int, Series]]:
    """Group markers into series and report gaps, repeats, reversals, mixed styles and bad starts."""
    findings: list[Finding] = []
    of_marker: dict[int, Series] = {}
    headings: dict[str, Optional[Series]] = {"h1": None, "h2": None, "ar": None, "par": None}
    inline: dict[str, Series] = {}
    outer: dict[str, list[Series]] = {}  # series interrupted by a nested one of the same style (一是…（一是…三是）…二是)
    below = {"h1": ("h2", "ar", "par"), "h2": ("ar", "par"), "ar": (), "par": (), "reset": ("h2", "ar", "par")}

    def start(family: str, m: Marker) -> Series:
        s = Series(family, [m])
        if m.number != 1:
            findings.append(_finding("DG204", m.para, f"这一组序号从“{m.label}”开始，前面没有“{_label(family, 1)}”",
                                     start=m.pos, end=m.pos + len(m.label), suggestion="补上前面的条目，或重新编号"))
        return s

    def append(s: Series, m: Marker) -> None:
        numbers = [i.number for i in s.items]
        last = s.items[-1]
        fam = s.items[0].family
        if m.number == last.number + 1:
            pass
        elif m.number in numbers:
            first = s.items[numbers.index(m.number)]
            findings.append(_finding("DG202", m.para, f"序号重复：“{m.label}”已在第 {first.para.line} 行出现过",
                                     start=m.pos, end=m.pos + len(m.label), suggestion="重新编号"))
        elif m.number > last.number + 1:
            missing = "、".join(f"“{_label(fam, n)}”" for n in range(last.number + 1, m.number))
            findings.append(_finding("DG202", m.para, f"序号不连续：“{last.label}”之后是“{m.label}”，缺少{missing}",
                                     start=m.pos, end=m.pos + len(m.label), suggestion="重新编号"))
        else:
            findings.append(_finding("DG202", m.para, f"序号顺序颠倒：“{m.label}”出现在“{last.label}”之后",
                                     start=m.pos, end=m.pos + len(m.label), suggestion="调整顺序或重新编号"))
        s.items.append(m)

    for m in markers:
        f = m.family
        if f in headings or f == "reset":
            for lower in below[f]:
                headings[lower] = None
            if f in ("h1", "h2", "reset"):
                inline.clear()
                outer.clear()
            if f == "reset":
                continue
            s = headings[f]
            if s is None or m.number == 1:
                s = headings[f] = start(f, m)
            else:
                append(s, m)
            of_marker[m.order] = s
            continue
        own = inline.get(f)
        if own is not None and m.number != 1 and m.number != own.items[-1].number + 1:
            back = next((x for x in reversed(outer.get(f, [])) if x.items[-1].number + 1 == m.number
                         and x.items[-1].pidx == own.items[0].pidx), None)  # nested inside the outer's last item
            if back is not None:  # the nested series is over: the outer one goes on
                stack = outer[f]
                del stack[stack.index(back):]
                inline[f] = own = back
        if m.number == 1:
            if own is not None:
                outer.setdefault(f, []).append(own)
            s = inline[f] = start(f, m)
        elif own is not None:
            s = own
            append(s, m)
        else:
            # No open series in this style: an adjacent series in another style continues here → mixed styles.
            waiting = [x for x in inline.values() if x.items[-1].number + 1 == m.number]
            if waiting:
                s = max(waiting, key=lambda x: x.items[-1].order)
                if not s.mixed:
                    s.mixed = True
                    findings.append(_finding(
                        "DG203", m.para, f"序号体例不一致：前面用“{s.items[0].label}”，这里用“{m.label}”",
                        start=m.pos, end=m.pos + len(m.label),
                        suggestion=f"统一为“{_label(s.items[0].family, m.number)}”"))
                s.items.append(m)
                inline[f] = s
            else:
                s = inline[f] = start(f, m)
        of_marker[m.order] = s
    return findings, of_marker


def _enumeration(paragraphs: Sequence[Paragraph]) -> list[Finding]:
    markers = find_markers(paragraphs)
    findings, of_marker = group_series(markers)
    real = [m for m in markers if m.family != "reset"]
    nonempty = [i for i, p in enumerate(paragraphs) if p.text.strip()]
    for pidx, para in enumerate(paragraphs):
        if para.role in ("title", "meta") or not para.text.strip():
            continue
        for speech, rx in ((True, _DECL_SPEECH), (False, _DECL_LIST)):
            for d in rx.finditer(para.text):
                if speech is False and _DECL_SPEECH.search(para.text, max(0, d.start() - 6), d.end()):
                    continue  # already handled as 讲N点
                declared = cn_number(d.group("num"))
                if declared == 1 or speech and (d.group("num").isdigit() and declared >= 10 or
                                                para.text[d.end():d.end() + 1] == "的"):
                    continue  # 强调一点, 提出12个方面的措施: a remark, not the speech's own outline
                nxt = next((m for m in real if (m.pidx == pidx and m.pos >= d.end()) or m.pidx > pidx), None)
                ok = False
                if nxt is not None and nxt.number == 1:
                    between = sum(1 for i in nonempty if pidx < i < nxt.pidx)
                    if nxt.pidx == pidx:
                        ok = speech or para.text[d.end():nxt.pos].strip() == ""
                    else:
                        ok = between <= (1 if speech else 0) and (speech or nxt.pos <= len(
                            paragraphs[nxt.pidx].text) - len(paragraphs[nxt.pidx].text.lstrip()))
                if not ok:
                    if speech:
                        findings.append(_finding("DG205", para, f"宣布了“{d.group(0)}”，其后没有找到“一、”或“一是”等序号",
                                                 start=d.start(), end=d.end(), suggestion="按宣布的条数逐条编号"))
                    continue
                if declared is None:
                    continue  # 几点: only the series itself is checked
                s = of_marker[nxt.order]
                from_here = s.items[s.items.index(nxt):]
                count = len({m.number for m in from_here})
                if count != declared:
                    where = "、".join(str(line) for line in dict.fromkeys(m.para.line for m in from_here))
                    said = d.group(0).rstrip("：:")
                    findings.append(_finding(
                        "DG201", para,
                        f"宣布“{said}”，其后实有 {count} 条（“{from_here[0].label}”至“{from_here[-1].label}”，第 {where} 行）",
                        start=d.start(), end=d.end(),
                        suggestion=f"把“{d.group('num')}”改为“{'两' if count == 2 else cn_numeral(count)}”，或补齐条目"))
    return findings


# ---------------------------------------------------------------- DG301/DG302 placeholders

_GAP_MARK = regexcache.compile(r"[【〔\[［]\s*(?:待补充|待补|待填|请补充|请填写|待核实|待定)[^】〕\]］]*[】〕\]］]")
_PLACEHOLDERS = (
    re.compile(r"(?<![A-Za-z0-9])[XxＸｘ]{2,}(?![A-Za-z0-9])"),
    re.compile(r"[×✕╳]{2,}"),
    re.compile(r"[○□]{2,}"),
    re.compile(r"\{\{.*?\}\}"),
    re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}"),
    re.compile(r"\(\([A-Za-z_][A-Za-z0-9_]*\)\)"),
    re.compile(r"(?<![A-Za-z0-9_])_{2,}(?![A-Za-z0-9_])"),
    re.compile(r"(?<=\d)[*＊]{2,}|[*＊]{2,}(?=[年月日号届次])"),  # 20**年
    # A lone X among Chinese (X个区县, 富有X特色), but not X光 or X射线.
    re.compile(f"(?<![A-Za-z0-9])[XＸ](?![A-Za-z0-9-]|光|射线|型|轴)(?=\\s?[{_HAN}])"
               f"|(?<=[{_HAN}])[XＸ](?![A-Za-z0-9-]|光|射线|型|轴)"),
)
_ASCII_DASHES = regexcache.compile(r"-{2,}")
_WIDE_DASHES = regexcache.compile(r"[—─－]{2,}")
# Words that follow a blanked-out name: 党的--精神, --同志, 省委--号文件.
_NAME_TAILS = ("精神", "全会", "大会", "会议", "同志", "书记", "文件", "号", "讲话", "指示", "决定", "意见", "通知",
               "年", "届", "次", "》", "”")


def _placeholders(para: Paragraph, terms: Sequence[str]) -> list[Finding]:
    text = para.text
    if not text.strip() or re.fullmatch(r"[\s\-—─－_*=]+", text):
        return []
    protected = _spans(text, terms)
    out: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(code: str, s: int, e: int, message: str, suggestion: str) -> None:
        if _overlaps(protected, s, e) or _overlaps(taken, s, e):
            return
        taken.append((s, e))
        out.append(_finding(code, para, message, start=s, end=e, suggestion=suggestion))

    for m in _GAP_MARK.finditer(text):
        add("DG302", m.start(), m.end(), f"待补充的内容尚未补写：{m.group(0)}", "按提示补写具体内容后删去标记")
    for rx in _PLACEHOLDERS:
        for m in rx.finditer(text):
            add("DG301", m.start(), m.end(), f"占位符“{m.group(0)}”未填写", "填写实际的名称、人名或数字")
    for m in _ASCII_DASHES.finditer(text):
        before, after = text[max(0, m.start() - 1):m.start()], text[m.end():]
        if not (_is_han(before) or _is_han(after[:1]) or before in "“《" and before):
            continue  # "- 1 -", "a--b": not Chinese running text
        if before in ("的", "之", "《", "“", "") or after.startswith(_NAME_TAILS):
            add("DG301", m.start(), m.end(), f"“{_excerpt(text, m.start(), m.end(), 2)}”中的“{m.group(0)}”像是空着未填的名称",
                "填写实际的会议或文件名称")
        else:
            add("DG604", m.start(), m.end(), f"用半角“{m.group(0)}”代替了破折号", "改为“——”")
    for m in _WIDE_DASHES.finditer(text):
        before, after = text[max(0, m.start() - 1):m.start()], text[m.end():]
        if not (_is_han(before) or _is_han(after[:1])):
            continue  # "— 1 —" page numbers, separator lines
        if before in ("的", "之") or len(m.group(0)) > 3 or after.startswith(("精神", "全会", "会议", "同志", "号文件")):
            add("DG301", m.start(), m.end(), f"“{_excerpt(text, m.start(), m.end(), 2)}”中的“{m.group(0)}”像是空着未填的名称",
                "填写实际的会议或文件名称")
    return out


# ---------------------------------------------------------------- DG401 stale formulas, DG50x name forms


def _table_matches(text: str, table: Sequence[Formula]) -> list[tuple[int, int, Formula]]:
    """Non-overlapping matches of a rule table, the longest first, so 十三五收官之年 shields 十三五."""
    screen = _table_screen(table)
    if screen is not None and not any(rx.search(text) for rx in screen):
        return []  # the usual case: no pattern of the table occurs at all
    found = []
    for rule in table:
        for rx in rule.patterns:
            for m in rx.finditer(text):
                if m.end() == m.start():
                    continue
                if rule.unless_after and text[m.end():].startswith(rule.unless_after):
                    continue
                if rule.unless_before and text[:m.start()].endswith(rule.unless_before):
                    continue
                found.append((m.start(), m.end(), rule))
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    chosen: list[tuple[int, int, Formula]] = []
    for s, e, rule in found:
        if not any(s < ce and cs < e for cs, ce, _ in chosen):
            chosen.append((s, e, rule))
    return sorted(chosen, key=lambda x: x[0])


def _table_screen(table: Sequence[Formula]) -> list[re.Pattern] | None:
    """One alternation per set of flags of all a table's patterns: where none of them finds anything, no
    pattern of the table matches (a pattern that matches somewhere makes its alternation match there or
    earlier). None when the patterns cannot be joined (numbered or named groups that would clash)."""
    cached = _SCREENS.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    by_flags: dict[int, list[str]] = {}
    for rule in table:
        for rx in rule.patterns:
            by_flags.setdefault(rx.flags, []).append(rx.pattern)
    try:
        if any(re.search(r"\\[1-9]|\(\?P=", p) for patterns in by_flags.values() for p in patterns):
            raise re.error("a back-reference would point at another pattern's group")
        screen = [re.compile("|".join(f"(?:{p})" for p in patterns), flags) for flags, patterns in by_flags.items()]
    except re.error:
        screen = None
    _SCREENS[id(table)] = (table, screen)
    return screen


_SCREENS: dict[int, tuple[Sequence[Formula], list[re.Pattern] | None]] = {}
_QUOTE = regexcache.compile("“[^“”]*”")
_XI_SAYS = regexcache.compile("(?:习近平|总书记)[^。“”]{0,16}$")


def _xi_quotations(text: str) -> list[tuple[int, int]]:
    """Quotations introduced as 习近平's words: 习近平总书记指出：“……”."""
    if "习近平" not in text and "总书记" not in text:
        return []
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text) if _XI_SAYS.search(text, max(0, m.start() - 24),
                                                                                        m.start())]


def xi_is_speaker(paragraphs: Sequence[Paragraph]) -> bool:
    """A speech by 习近平 himself: his name on the title or byline (the first short lines)."""
    for para in [p for p in paragraphs if p.text.strip()][:5]:
        t = para.text.strip().lstrip("#").strip()
        if t.strip("（）() 　") == "习近平" or _XI_TITLE.match(t):
            return True
    return False


# 习近平在……上的讲话 / 习近平：…… (a title naming him as the speaker, not a talk about his speech)
_XI_TITLE = regexcache.compile(r"^习近平(?:在[^。]{2,40}(?:上|时|中)的(?:讲话|发言|致辞|报告|重要讲话)|[：:])")


def _bare(term: str) -> str:
    """A matched term without its own quotation marks, to be quoted once in a message."""
    return term.replace("“", "").replace("”", "")


# A campaign named in passing, looking back: 先后开展了……主题教育, 巩固深化……成果, 在……期间.
_LOOKING_BACK = regexcache.compile("开展了|先后开展|组织开展了|深入开展了|扎实开展了|开展过|完成了|参加了|经过|通过|巩固|回顾|"
                           "以来|曾经|此前|前期|去年|上一年|过去一年|一年来|历次")
_AFTER_BACK = ("成果", "以来", "期间", "中", "的成果", "的经验", "经验", "的基础上", "基础上", "取得", "的成效", "成效")
_YEAR = regexcache.compile(r"(\d{4})年")


def _looks_back(text: str, s: int, e: int, rule: Formula) -> bool:
    sentence_start = max(text.rfind(c, 0, s) for c in "。！？；") + 1
    before = text[max(sentence_start, s - 24):s]
    if _LOOKING_BACK.search(before) or text[e:].startswith(_AFTER_BACK):
        return True
    return _in_its_years(text, s, rule)


def _in_its_years(text: str, s: int, rule: Formula) -> bool:
    """2025年，我们开展了……; 2026年是“十五五”开局之年 said in 2027: a year named earlier in the sentence, within
    the formula's own years, makes it a statement about that year, which stays true."""
    sentence_start = max(text.rfind(c, 0, s) for c in "。！？；") + 1
    years = [int(y) for y in _YEAR.findall(text[sentence_start:s])]
    lo = rule.valid_from.year if rule.valid_from else 0
    hi = rule.valid_until.year if rule.valid_until else 9999
    return any(lo <= y <= hi for y in years)


def _formulas(para: Paragraph, rules: Rules, date: dt.date, terms: Sequence[str], *,
              xi_speech: bool = False) -> list[Finding]:
    out: list[Finding] = []
    protected = _spans(para.text, terms)
    for s, e, rule in _table_matches(para.text, rules.formulas):
        if rule.campaign and (rule.valid_from and date < rule.valid_from or _looks_back(para.text, s, e, rule)):
            continue  # not started yet (announced ahead), or a retrospective mention
        if rule.stale_on(date) and not _overlaps(protected, s, e) and not _in_its_years(para.text, s, rule):
            out.append(_finding("DG401", para, f"“{_bare(para.text[s:e])}”：{fill_placeholders(rule.message, date)}",
                                start=s, end=e, suggestion=fill_placeholders(rule.suggestion, date)))
    quoted = _xi_quotations(para.text)
    for s, e, rule in _table_matches(para.text, rules.names):
        if not _overlaps(protected, s, e):
            code = "DG501" if rule.severity == ERROR else "DG502"
            if code == "DG502" and (xi_speech or _overlaps(quoted, s, e)):
                continue  # his own words: the speech is his, or the text quotes him
            out.append(_finding(code, para, f"“{_bare(para.text[s:e])}”：{fill_placeholders(rule.message, date)}",
                                start=s, end=e, suggestion=fill_placeholders(rule.suggestion, date)))
    return out


# ---------------------------------------------------------------- DG60x punctuation (shared with --fix)

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_NO_DOUBLE = "，、；："
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〔": "〕", "「": "」", "『": "』"}
_MARK_NAMES = {"“": "左引号", "”": "右引号", "‘": "左单引号", "’": "右单引号", "《": "左书名号", "》": "右书名号",
               "（": "左括号", "）": "右括号", "【": "左方头括号", "】": "右方头括号", "〔": "左六角括号", "〕": "右六角括号",
               "「": "左直角引号", "」": "右直角引号", "『": "左双直角引号", "』": "右双直角引号"}


def _unmatched(para: Paragraph, mark: str, at: int) -> Finding:
    other = _PAIRS.get(mark) or _CLOSERS[mark]
    return _finding("DG602", para, f"{_MARK_NAMES[mark]} {mark} 没有配对的{_MARK_NAMES[other]}", start=at, end=at + 1,
                    suggestion=f"补上 {other} 或删去 {mark}")
_CLOSERS = {v: k for k, v in _PAIRS.items()}


@dataclass(frozen=True)
class _Edit:
    index: int
    kind: str  # half / double / ellipsis (reported, not fixed)
    original: str


def _punctuation_edits(text: str, protected: Sequence[tuple[int, int]] = ()) -> tuple[list[str], list[_Edit]]:
    """Per-character replacements for the safe punctuation fixes, and what they are.

    The result keeps one entry per input character ('' deletes it), so a .docx fix can hand each run
    exactly its own characters back and keep the run's formatting.
    """
    out = list(text)
    edits: list[_Edit] = []
    n = len(text)

    def shielded(i: int) -> bool:
        return any(s <= i < e for s, e in protected)

    def next_visible(i: int) -> str:
        j = i + 1
        while j < n and text[j] == " ":
            j += 1
        return text[j] if j < n else ""

    # Parentheses go by pairs, so "(总支)" becomes "（总支）" as a whole.
    stack, pairs, singles = [], [], []
    for i, c in enumerate(text):
        if c == "(":
            stack.append(i)
        elif c == ")":
            (pairs.append((stack.pop(), i)) if stack else singles.append(i))
    singles += stack
    for a, b in pairs:
        if text[a - 1:a] == "]":  # a Markdown link target
            continue
        inside_or_beside = any(_is_han(c) for c in text[a + 1:b]) or _chinese_context(text[a - 1:a]) or \
            _chinese_context(text[b + 1:b + 2])
        if inside_or_beside:
            for i in (a, b):
                if not shielded(i):
                    out[i] = _HALF_TO_FULL[text[i]]
                    edits.append(_Edit(i, "half", text[i]))
    for i in singles:
        beside = _chinese_context(text[i - 1:i]) or _chinese_context(text[i + 1:i + 2])
        if text[i - 1:i] != "]" and beside and not shielded(i):
            out[i] = _HALF_TO_FULL[text[i]]
            edits.append(_Edit(i, "half", text[i]))
    for i, c in enumerate(text):
        if c not in ",;:!?" or shielded(i):
            continue
        prev, nxt = text[i - 1:i], next_visible(i)
        if prev.isdigit() and text[i + 1:i + 2].isdigit():
            continue  # 1,000 and 12:30
        if c == ":" and text[i + 1:i + 3] == "//":
            continue  # URLs
        if _chinese_context(prev) or _chinese_context(nxt):
            out[i] = _HALF_TO_FULL[c]
            edits.append(_Edit(i, "half", c))
            j = i + 1
            if _chinese_context(nxt):
                while j < n and text[j] == " ":  # "中文, 中文" → "中文，中文"
                    out[j] = ""
                    j += 1
    # Doubled marks, judged on the converted text: "，," is as doubled as "，，".
    prev_i = None
    i = 0
    while i < n:
        c = out[i]
        if c == "":
            i += 1
            continue
        if c == "。":
            j = i
            while j + 1 < n and out[j + 1] == "。":
                j += 1
            run = j - i + 1
            if run == 2 and not shielded(i + 1):
                out[i + 1] = ""
                edits.append(_Edit(i + 1, "double", "。。"))
            elif run >= 3:
                edits.append(_Edit(i, "ellipsis", "。" * run))  # meant as an ellipsis: a person should decide
            prev_i = j
            i = j + 1
            continue
        if c in _NO_DOUBLE and prev_i is not None and out[prev_i] == c and not shielded(i):
            out[i] = ""
            edits.append(_Edit(i, "double", c + c))
            i += 1
            continue
        prev_i = i
        i += 1
    edits.sort(key=lambda e: e.index)
    return out, edits


_MAY_FIX = regexcache.compile("[,;:!?()]|[。，、；：]{2}")


def fix_text(text: str, *, allowed_terms: Iterable[str] = ()) -> str:
    """Apply only the mechanical safe fixes: half-width ,;:!?() next to Chinese → full width; 。。/，， → one."""
    if not _MAY_FIX.search(text):
        return text  # the usual case, and a long file of short lines is mostly made of it
    protected = _spans(text, [t for t in allowed_terms if t])
    return "".join(_punctuation_edits(text, protected)[0])


def _punctuation(para: Paragraph, terms: Sequence[str]) -> list[Finding]:
    text = para.text
    out: list[Finding] = []
    _, edits = _punctuation_edits(text, _spans(text, terms))
    half = [e for e in edits if e.kind == "half"]
    if half:
        first = half[0].index
        marks = "".join(dict.fromkeys(e.original for e in half))
        count = f"共 {len(half)} 处" if len(half) > 1 else "1 处"
        full = "".join(_HALF_TO_FULL[c] for c in marks)
        out.append(_finding("DG601", para, f"中文之间用了半角标点 {' '.join(marks)}（{count}）", start=first, end=first + 1,
                            suggestion=f"改为全角标点 {' '.join(full)}（可用 --fix 自动修正）", fixable=True))
    for e in edits:
        if e.kind == "double":
            out.append(_finding("DG603", para, f"标点“{e.original}”重复", start=e.index - 1, end=e.index + 1,
                                suggestion=f"改为“{e.original[0]}”（可用 --fix 自动修正）", fixable=True))
        elif e.kind == "ellipsis":
            out.append(_finding("DG603", para, f"用“{e.original}”表示省略", start=e.index, end=e.index + len(e.original),
                                suggestion="省略号应为“……”"))
    return out


def _unpaired(paragraphs: Sequence[Paragraph], terms: Sequence[str]) -> list[Finding]:
    out: list[Finding] = []
    texts = [p.text for p in paragraphs]
    for idx, para in enumerate(paragraphs):
        text = para.text.replace("(", "（").replace(")", "）")  # width mismatches are DG601's business
        protected = _spans(text, terms)
        stack: list[tuple[str, int]] = []
        for i, c in enumerate(text):
            if (c not in _PAIRS and c not in _CLOSERS) or (protected and _overlaps(protected, i, i + 1)):
                continue
            if c in _PAIRS:
                stack.append((c, i))
            elif c in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[c]:
                    stack.pop()
                elif any(o == _CLOSERS[c] for o, _ in stack):
                    # close the matching opener; what lies between was left open
                    while stack[-1][0] != _CLOSERS[c]:
                        o, j = stack.pop()
                        out.append(_unmatched(para, o, j))
                    stack.pop()
                else:
                    out.append(_unmatched(para, c, i))
        for o, j in stack:
            if o == "“":
                # A quotation running over several paragraphs opens each one with “ and closes only at its end.
                nxt = next((t for t in texts[idx + 1:] if t.strip()), "")
                if nxt.lstrip().startswith("“"):
                    continue
            out.append(_unmatched(para, o, j))
    return out


# ---------------------------------------------------------------- DG70x repetition

_SENTENCE = regexcache.compile(r"[^。！？!?]+[。！？!?]?")


def _repeated_sentences(paragraphs: Sequence[Paragraph], terms: Sequence[str]) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for para in paragraphs:
        if para.role == "meta":
            continue
        for m in _SENTENCE.finditer(para.text):
            sentence = re.sub(r"\s+", "", m.group(0))
            key = sentence.rstrip("。！？!?")
            if len("".join(_HAN_RUN.findall(key))) < 10 or key in terms:
                continue
            if key in seen:
                out.append(_finding("DG701", para, f"这句话与第 {seen[key]} 行的一句完全相同",
                                    excerpt=sentence if len(sentence) <= 24 else sentence[:24] + "…",
                                    start=m.start(), end=m.end(), suggestion="删去重复的一句或换一种说法"))
            else:
                seen[key] = para.line
    return out


_ORG_SUFFIXES = ("党委", "党组", "支部", "总支", "委员会", "学校", "医院", "公司", "集团", "大学", "学院", "中心", "街道",
                 "社区", "政府", "工委", "组织部", "宣传部", "机关")


def _subject_text(paragraphs: Sequence[Paragraph]) -> str:
    """The title and byline: what the speech is about and who gives it, which it may name as often as it likes."""
    lines = []
    for para in [p for p in paragraphs if p.text.strip()][:4]:
        t = para.text.strip()
        if para.role in ("title", "meta") or (len(t) <= 60 and not t.endswith(("。", "；", "：", ":"))):
            lines.append(t)
    return "\n".join(lines)


def _overused_phrases(paragraphs: Sequence[Paragraph], rules: Rules, terms: Sequence[str]) -> list[Finding]:
    body = [(i, p) for i, p in enumerate(paragraphs) if p.role not in ("title", "meta") and p.text.strip()]
    han_total = sum(len(r) for _, p in body for r in _HAN_RUN.findall(p.text))
    threshold = max(rules.min_count, math.ceil(han_total * rules.per_thousand / 1000))
    subject = _subject_text(paragraphs)
    # the title's own phrases (the meeting, the unit) are masked like the fixed formulas
    own = {g for line in subject.splitlines() for n in range(4, min(len(line), 16) + 1)
           for g in (line[j:j + n] for j in range(len(line) - n + 1)) if _HAN_RUN.fullmatch(g)}
    skip = sorted({*rules.ignore, *terms, *own}, key=len, reverse=True)
    runs: list[tuple[int, int, str]] = []
    for i, para in body:
        masked = para.text
        for term in skip:
            if term in masked:
                masked = masked.replace(term, "\x00" * len(term))  # same length: positions stay true
        runs += [(i, run.start(), run.group(0)) for run in _HAN_RUN.finditer(masked) if len(run.group(0)) >= 4]
    # Every phrase of 4+ characters contains a 4-gram at least as frequent: if none is over the threshold,
    # nothing is (the usual case, and the cheap one).
    # A 4-character string is most often a word, and a speech names its topic again and again (社会组织,
    # 纪检监察); longer strings are phrasing. So bare 4-character strings get a higher bar.
    threshold4 = threshold + max(2, threshold // 2)
    four = Counter(r[j:j + 4] for _, _, r in runs for j in range(len(r) - 3))
    hot = {g for g, c in four.items() if c > threshold}
    if not hot:
        return []
    counts: dict[str, list[tuple[int, int]]] = {}
    for i, start, r in runs:
        for j in range(len(r) - 3):
            if r[j:j + 4] not in hot:
                continue
            for n in range(4, min(10, len(r) - j) + 1):
                counts.setdefault(r[j:j + n], []).append((i, start + j))
    reported: list[str] = []
    out: list[Finding] = []
    for gram, places in sorted(counts.items(), key=lambda kv: (-len(kv[0]), kv[1][0])):
        limit = threshold4 if len(gram) == 4 else threshold
        if len(places) <= limit or any(gram in r for r in reported):
            continue
        if gram in subject or gram.endswith(_ORG_SUFFIXES):
            continue  # the speech's own subject: the meeting, the unit (its title says so)
        reported.append(gram)
        i, pos = places[limit]  # the first use beyond the limit
        para = paragraphs[i]
        out.append(_finding("DG702", para, f"“{gram}”在文中出现 {len(places)} 次（超过 {limit} 次），读起来重复",
                            start=pos, end=pos + len(gram), suggestion="换一种说法，或删去部分"))
    return out


# ---------------------------------------------------------------- DG801 wrong characters

_SCORER = None


def _scorer():
    global _SCORER
    if _SCORER is None:
        from .typos import Scorer

        jieba = segmenter()
        _SCORER = Scorer(jieba, load_rules().known_words, two_char_keys_now(jieba.dt.FREQ))
        _cut.cache_clear()  # the genre's words are in the dictionary now
    return _SCORER


def _name_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Personal names before a title or 同志 (王明同志, 李华书记), or right after a title (副书记刘洋作报告):
    their characters are nobody's slip."""
    out = []
    for follower in (f for f in rules.name_followers if len(f) >= 2):  # titles, not 、 or 等
        start = text.find(follower)
        while start >= 0:
            for k in (3, 2):
                if start - k >= 0 and (text[start - k] in rules.surnames or text[start - k:start - k + 2] in
                                       rules.surnames) and all(_is_han(c) for c in text[start - k:start]):
                    out.append((start - k, start))
                    break
            after = start + len(follower)
            if after < len(text) and (text[after] in rules.surnames or text[after:after + 2] in rules.surnames):
                # the name's length is unknown: its surname and the next two characters
                end = after + 3
                if all(_is_han(c) for c in text[after:end]):
                    out.append((after, end))
            start = text.find(follower, start + 1)
    return out


def _protected(text: str, rules: Rules, terms: Sequence[str]) -> set[int]:
    return {i for s, e in _spans(text, terms) + _name_spans(text, rules) for i in range(s, e)}


def typo_candidates(para: Paragraph, rules: Rules, terms: Sequence[str], threshold: float | None = None,
                    word_threshold: float | None = None, pair_threshold: float | None = None,
                    context_threshold: float | None = None, context_pair_threshold: float | None = None):
    """(position in the paragraph, Slip) for each probable wrong character; ``threshold`` as in find_slips,
    ``word_threshold`` as in find_word_slips, ``pair_threshold`` as in find_pair_slips, ``context_threshold``
    as in find_context_slips (``float("inf")``: neither context rule is run), ``context_pair_threshold`` as in
    find_context_pair_slips. A context slip within two characters of another kind's is left out: the same
    slip makes its neighbours read badly too."""
    from .typos import (find_context_pair_slips, find_context_slips, find_pair_slips, find_slips, find_word_slips,
                        known_positions)

    known = tuple(sorted(rules.known_words))
    out = []
    for start, run, skip in _runs_to_check(para.text, rules, terms):
        tokens = _cut(run)
        # the genre's own words are never questioned: found once here rather than by every finder
        known_skip = set(skip) | known_positions(run, known)
        pairs = find_pair_slips(run, tokens, _scorer(), known_skip, pair_threshold)
        taken = {p for x in pairs for p in (x.start, x.start + 1)}
        slips = [x for x in find_slips(run, tokens, _scorer(), known_skip, (), threshold) if x.start not in taken]
        taken |= {x.start for x in slips}
        slips += [x for x in find_word_slips(run, tokens, _scorer(), skip, word_threshold) if x.start not in taken]
        slips += pairs
        if context_threshold != float("inf"):
            for finder, t in ((find_context_slips, context_threshold), (find_context_pair_slips, context_pair_threshold)):
                near = {p + d for x in slips for p in range(x.start, x.start + len(x.wrong)) for d in range(-2, 3)}
                slips += [x for x in finder(run, tokens, _scorer(), known_skip, (), t)
                          if not near & set(range(x.start, x.start + len(x.wrong)))]
        out += [(start + slip.start, slip) for slip in sorted(slips, key=lambda x: x.start)]
    return out


def context_candidates(para: Paragraph, rules: Rules, terms: Sequence[str], threshold: float | None = None):
    """(position in the paragraph, Slip) for the context rules alone, one character and two, each slip as
    found on its own (benchmarks/typo_dev.py sweeps them)."""
    from .typos import find_context_pair_slips, find_context_slips

    known = tuple(sorted(rules.known_words))
    return [(start + x.start, x) for start, run, skip in _runs_to_check(para.text, rules, terms)
            for finder in (find_context_slips, find_context_pair_slips)
            for x in finder(run, _cut(run), _scorer(), skip, known, threshold)]


def _runs_to_check(text: str, rules: Rules, terms: Sequence[str]):
    """(offset, run, positions in the run not to question) for each run of two or more Chinese characters."""
    protected = _protected(text, rules, terms)
    for m in _HAN_RUN.finditer(text):
        run = m.group(0)
        if len(run) < 2:
            continue
        skip = [i - m.start() for i in range(m.start(), m.end()) if i in protected] if protected else []
        yield m.start(), run, skip


def _wrong_characters(para: Paragraph, rules: Rules, terms: Sequence[str]) -> list[Finding]:
    from .typos import find_swaps

    text = para.text
    out = []
    for start, run, skip in _runs_to_check(text, rules, terms):
        for swap in find_swaps(run, _cut(run), _scorer(), skip):
            at = start + swap.start
            out.append(_finding("DG804", para, f"“{swap.wrong}”疑为字序颠倒，应为“{swap.right}”", start=at, end=at + 2,
                                suggestion=f"改为“{swap.right}”：{text[max(0, at - 4):at]}{swap.right}{text[at + 2:at + 6]}"))
    for at, slip in typo_candidates(para, rules, terms):
        k = len(slip.wrong)
        fixed = text[max(0, at - 4):at] + slip.right + text[at + k:at + k + 4]
        word = "" if slip.word == slip.right else f"（{slip.word}）"
        out.append(_finding("DG801", para, f"“{slip.wrong}”疑为“{slip.right}”之误{word}", start=at, end=at + k,
                            suggestion=f"建议改为“{slip.right}”：{fixed}"))
    return out


# ---------------------------------------------------------------- DG802/DG803/DG804 misused words, 的/地/得, stray characters

# 最重要的是一条是: a stray 是 before the clause's real 是.
_STRAY_SHI = regexcache.compile(f"的(是)[{_HAN}]{{1,4}}?(?<!是)是(?![否非不])")


def _misused(para: Paragraph, rules: Rules, terms: Sequence[str]) -> list[Finding]:
    """The genre's own list of misused words, and fixed phrases with a character left out (no segmenter)."""
    text = para.text
    protected = _spans(text, terms)
    out: list[Finding] = []
    for s, e, rule in _table_matches(text, rules.misused):
        if not _overlaps(protected, s, e):
            code = "DG802" if rule.severity == ERROR else "DG803"
            out.append(_finding(code, para, f"“{_bare(text[s:e])}”：{rule.message}", start=s, end=e,
                                suggestion=f"改为“{rule.suggestion}”"))
    rx, variants = rules.missing
    if rx is not None:
        for m in rx.finditer(text):
            if not _overlaps(protected, m.start(), m.end()):
                phrase = variants[m.group(0)]
                out.append(_finding("DG804", para, f"“{m.group(0)}”疑似漏字，固定提法是“{phrase}”", start=m.start(),
                                    end=m.end(), suggestion=f"改为“{phrase}”"))
    for m in _STRAY_SHI.finditer(text):
        s = m.start(1)
        if not _overlaps(protected, s, m.end()):
            out.append(_finding("DG804", para, f"“{m.group(0)}”中“是”重复，疑为多了一个“是”", start=s, end=m.end(),
                                suggestion=f"删去前一个“是”：{text[max(0, s - 4):s]}{text[s + 1:m.end() + 4]}"))
    return out


# Adjectives that often stand before a verb as adverbials (扎实地推进); with 的 they need a second look.
_ADVERBIAL = ("认真|扎实|深入|积极|主动|切实|全面|牢牢|充分|清醒|稳步|有效|大力|持续|不断|坚决|自觉|广泛|严格|深刻|科学|"
              "系统|有序|扎扎实实|实实在在|认认真真|踏踏实实|不折不扣|毫不动摇|坚定不移|旗帜鲜明|密切|紧紧|努力|逐步|创造性|"
              "真正|精准|高效|及时|准确|彻底|明显|迅速|全力|尽快|主动积极|统筹|着力")
_DE_BEFORE_VERB = regexcache.compile(f"(?:{_ADVERBIAL})的(?=[{_HAN}])|[{_HAN}]的(?=[{_HAN}]{{1,2}}(?:到|好|起来|下去)(?!位|底|处|期))")
_DE_REDUP = regexcache.compile(f"(一[{_HAN}]{{1,3}})\\1的(?=[{_HAN}])")
_DEGREE = ("很", "非常", "十分", "相当", "比较", "特别", "更加", "越来越", "不够", "不太", "太", "较")
_DE_COMPLEMENT = regexcache.compile(f"[{_HAN}][的地](?=(?:{'|'.join(_DEGREE)})[{_HAN}]{{1,2}}(?:[，。；！？、]|$))")
# Words that make what follows a noun phrase: 有清醒的认识, 作出深刻的反思.
_NOMINAL_BEFORE = {"有", "作出", "做出", "取得", "形成", "保持", "进行", "加以", "得到", "是", "的", "了", "个", "种", "一", "这",
                   "那", "很", "更", "非常", "具有", "实现", "带来", "更加", "十分", "最", "要有", "没有", "缺乏", "给予"}
_MODALS = {"要", "必须", "应", "应当", "需要", "要求", "继续", "进一步", "能", "会", "就", "都", "也", "还", "才", "并", "又",
           "一定要", "务必", "必须要", "切实", "我们", "大家"}
_CLAUSE_MARKS = frozenset("，。；：！？、“”")
_PLACE_WORDS = ("上", "中", "下", "里", "内", "前", "后", "之际", "期间", "方面", "基础", "时", "以来", "领域", "层面", "范围",
                "过程", "环节", "之间", "当中", "一线", "身边", "基层", "实处", "心上", "点上", "身上", "岗位", "面前")
_YAO_ZAI = regexcache.compile(f"要在(?=[{_HAN}])")
_CLAUSE_END = regexcache.compile("[，。；：！？,;:!?\n]")


_DICT_TEXT = None


def _dict_line(buf: bytes, word: bytes) -> bytes | None:
    """The line of jieba's dictionary for ``word``, by binary search: the file is sorted by word (UTF-8
    bytes sort as code points), all but a few lines. Those few are found by the plain search after it."""
    lo, hi = 0, len(buf)
    while lo < hi:
        mid = (lo + hi) // 2
        start = buf.rfind(b"\n", 0, mid) + 1
        end = buf.find(b"\n", start)
        end = len(buf) if end < 0 else end
        space = buf.find(b" ", start, end)
        w = buf[start:space if space >= 0 else end]
        if w == word:
            return buf[start:end]
        if w < word:
            lo = end + 1
        else:
            hi = start
    at = buf.find(b"\n" + word + b" ")
    return None if at < 0 else buf[at + 1:buf.find(b"\n", at + 1)]


@lru_cache(maxsize=8192)
def word_tag(word: str) -> str:
    """jieba's part-of-speech tag of a dictionary word (what ``jieba.posseg`` reports for it without HMM),
    "x" for any other string. Looked up in jieba's own dictionary text: a few words are asked about only
    when a cheap pattern has fired, and finding each costs far less than loading ``jieba.posseg``."""
    global _DICT_TEXT
    if _DICT_TEXT is None:
        with segmenter().dt.get_dict_file() as fh:
            _DICT_TEXT = b"\n" + fh.read()
    line = _dict_line(_DICT_TEXT, word.encode("utf-8")) if word and "\n" not in word else None
    if line is None:
        return "x"
    parts = line.decode("utf-8", "replace").split()
    return parts[2] if len(parts) >= 3 else "x"


def _tagged_clause(text: str, at: int) -> tuple[list[tuple[int, str, str]], int]:
    """The clause around ``at`` segmented and tagged (start, word, tag), and the index of the token at ``at``."""
    start, end = _clause_span(text, at)
    if start == end:
        return [], -1
    clause = text[start:end]
    spans = _cut(clause)
    idx = next((k for k, (s, e) in enumerate(spans) if start + s <= at < start + e), -1)
    # Only the words next to ``at`` are ever looked at: tagging the rest would only cost dictionary look-ups.
    return [(start + s, clause[s:e], word_tag(clause[s:e]) if abs(k - idx) <= 2 else "?")
            for k, (s, e) in enumerate(spans)], idx


def _clause_span(text: str, at: int) -> tuple[int, int]:
    """The clause (between punctuation marks) holding position ``at``; found from ``at`` outwards, so a
    long paragraph costs no more than a short one."""
    if at >= len(text) or text[at] in _CLAUSE_MARKS:
        return at, at
    start = at
    while start > 0 and text[start - 1] not in _CLAUSE_MARKS:
        start -= 1
    end = at
    while end < len(text) and text[end] not in _CLAUSE_MARKS:
        end += 1
    return start, end


def _de_di_de(para: Paragraph, terms: Sequence[str]) -> list[Finding]:
    """的/地/得 where a cheap pattern fires and jieba's part-of-speech tags agree."""
    text = para.text
    protected = _spans(text, terms)
    out: list[Finding] = []
    seen: set[int] = set()

    def add(at: int, wrong: str, right: str, why: str, shown: tuple[int, int]) -> None:
        if at in seen or _overlaps(protected, at, at + 1):
            return
        seen.add(at)
        a, b = shown  # the words around the mark: 清醒的认识到, 做的很好
        fixed = text[a:at] + right + text[at + 1:b]
        out.append(_finding("DG803", para, f"“{text[a:b]}”中的“{wrong}”{why}，应为“{right}”",
                            start=at, end=at + 1, suggestion=f"改为“{fixed}”"))

    for m in _DE_REDUP.finditer(text):  # 一个位次一个位次的追
        add(m.end() - 1, "的", "地", "用在动词前的状语之后", (m.start(), _clause_span(text, m.end() - 1)[1]))
    for m in _DE_BEFORE_VERB.finditer(text):
        at = m.end() - 1
        tokens, i = _tagged_clause(text, at)
        if i <= 0 or i + 1 >= len(tokens) or tokens[i][1] != "的":
            continue
        prev, nxt = tokens[i - 1], tokens[i + 1]
        before = tokens[i - 2][1] if i >= 2 else ""
        adverbial = prev[2][:1] in ("a", "d", "z") or prev[1] in _ADVERBIAL.split("|")
        complement = nxt[1].endswith(("到", "好")) and len(nxt[1]) >= 2 or (
            i + 2 < len(tokens) and tokens[i + 2][1] in ("到", "好", "起来", "下去"))
        verbal = nxt[2] == "v" and (complement or i + 2 < len(tokens) and tokens[i + 2][2][:1] in ("n", "v", "r", "m"))
        # Only where the adjective opens the verb phrase (要扎实的推进), not where it modifies a noun
        # after another verb (建立有效的防范机制).
        opens = before == "" or before in _MODALS or (i >= 2 and tokens[i - 2][2][:1] in ("r", "d"))
        if adverbial and verbal and opens and before not in _NOMINAL_BEFORE:
            last = tokens[i + 2] if complement and i + 2 < len(tokens) and not nxt[1].endswith(("到", "好")) else nxt
            add(at, "的", "地", "用在动词前的状语之后", (prev[0], last[0] + len(last[1])))
    for m in _DE_COMPLEMENT.finditer(text):  # 做的很好
        at = m.start() + 1
        tokens, i = _tagged_clause(text, at)
        if i <= 0 or tokens[i][1] not in ("的", "地"):
            continue
        if tokens[i - 1][2] == "v":
            add(at, tokens[i][1], "得", "连接动词和补语", (tokens[i - 1][0], tokens[-1][0] + len(tokens[-1][1])))
    for m in _YAO_ZAI.finditer(text):  # 一定要在带头担当: a stray 在
        at = m.start() + 1
        # (to the end of the clause, over a list: 要在讲政治、守纪律、转作风上走在前列 is 在……上)
        stop = _CLAUSE_END.search(text, at)
        clause = text[at + 1:stop.start() if stop else len(text)]
        if any(w in clause for w in _PLACE_WORDS):
            continue
        tokens, i = _tagged_clause(text, at)
        if 0 <= i < len(tokens) - 1 and tokens[i][1] == "在" and tokens[i + 1][2] == "v" and not \
                _overlaps(protected, at, at + 1):
            out.append(_finding("DG804", para, "“要在”之后直接是动词，“在”疑为多字（或应为“再”）", start=at, end=at + 1,
                                suggestion=f"删去“在”：{text[max(0, at - 4):at]}{text[at + 1:at + 7]}"))
    return out


# ---------------------------------------------------------------- check


def check(doc: SourceDocument, *, date: dt.date | None = None, allowed_terms: Iterable[str] = (),
          spelling: bool | None = None) -> list[Finding]:
    """Every finding for ``doc``, sorted by line. ``date`` is the speech date (None: today).

    ``allowed_terms`` (names and units from a brief) are never flagged by any rule.
    ``spelling`` runs the segmenter-based rules (wrong characters, 的/地/得, stray characters); by default on
    for a user's file and off for a generated draft, whose bank text is proofread when it is added, so
    checking it on every build never loads jieba.
    """
    if spelling is None:
        spelling = doc.kind != "draft"
    date = date or dt.date.today()
    rules = load_rules()
    terms = tuple(sorted({t.strip() for t in allowed_terms if t and t.strip()}, key=len, reverse=True))
    paragraphs = doc.paragraphs
    findings: list[Finding] = []
    doubtful: list[_Doubling] = []
    xi_speech = xi_is_speaker(paragraphs)
    for para in paragraphs:
        if not para.text.strip():
            continue
        doubtful += _doubling_candidates(para, rules, terms)
        findings += _placeholders(para, terms)
        findings += _formulas(para, rules, date, terms, xi_speech=xi_speech)
        findings += _punctuation(para, terms)
        findings += _misused(para, rules, terms)
    for cand in doubtful:  # segmentation (and jieba's import) only for what the whitelist left over
        found = _judge_doubling(cand)
        if found:
            findings.append(found)
    if spelling:
        for para in paragraphs:
            if para.role != "meta" and para.text.strip():
                findings += _wrong_characters(para, rules, terms)
                findings += _de_di_de(para, terms)
    findings += _enumeration(paragraphs)
    findings += _unpaired(paragraphs, terms)
    findings += _repeated_sentences(paragraphs, terms)
    findings += _overused_phrases(paragraphs, rules, terms)
    listed = {(f.line, c) for f in findings if f.code in ("DG802", "DG803", "DG804")
              for c in range(f.column, f.column + max(1, f.length))}
    if listed:  # a slip the genre's own list names is reported once, by the list, with its reason
        findings = [f for f in findings if f.code != "DG801" or (f.line, f.column) not in listed]
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    regexcache.save()  # patterns compiled for the first time (a program that imports the checker keeps them too)
    return findings


# ---------------------------------------------------------------- output


def _counts(findings: Sequence[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {s: c.get(s, 0) for s in SEVERITIES}


def _summary(label: str, findings: Sequence[Finding]) -> str:
    if not findings:
        return f"{label}：未发现问题"
    c = _counts(findings)
    return f"{label}：" + "，".join(f"{s} {c[s]} 处" for s in SEVERITIES)


def _line(label: str, f: Finding) -> str:
    out = f"{label}:{f.line}: {f.code} {f.severity} {f.message}"
    if f.excerpt:
        out += f" 「{f.excerpt}」"
    if f.suggestion:
        out += f" → {f.suggestion}"
    return out


def _as_dict(label: str, findings: Sequence[Finding]) -> dict:
    return {"file": label, "counts": _counts(findings), "findings": [asdict(f) for f in findings]}


def format_findings(path_label: str, findings: Sequence[Finding], fmt: str = "text") -> str:
    """One file's findings: text lines ``file:line: CODE 严重度 说明 「摘录」 → 建议`` plus a summary, or JSON."""
    if fmt == "json":
        return json.dumps(_as_dict(path_label, findings), ensure_ascii=False, indent=2)
    if fmt != "text":
        raise InputError(problems=[f"未知的输出格式“{fmt}”，可用 text 或 json"])
    return "\n".join([*(_line(path_label, f) for f in findings), _summary(path_label, findings)])


# ---------------------------------------------------------------- --fix


def fixed_path(path: Path) -> Path:
    """讲话.md → 讲话.fixed.md, beside the input."""
    return path.with_name(f"{path.stem}.fixed{path.suffix}")


def _atomic_write(target: Path, write) -> None:
    """Write through a temporary file in the same directory, then rename over the target."""
    fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        else:  # a new file gets the mode the user's umask gives (mkstemp makes it private)
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _docx_paragraph_texts(document):
    """(paragraph element, its own w:t elements) for every paragraph of the body, tables included."""
    from docx.oxml.ns import qn

    w_p, w_t = qn("w:p"), qn("w:t")
    for p in document.element.body.iter(w_p):
        ts = [t for t in p.iter(w_t) if next(t.iterancestors(w_p)) is p]
        if ts:
            yield p, ts


def _fix_docx(document, terms: Sequence[str]) -> int:
    """Fix run text in place, each run keeping its formatting; return the number of edits."""
    from docx.oxml.ns import qn

    changed = 0
    for _, ts in _docx_paragraph_texts(document):
        full = "".join(t.text or "" for t in ts)
        repl, edits = _punctuation_edits(full, _spans(full, terms))
        fixable = [e for e in edits if e.kind != "ellipsis"]
        if not fixable:
            continue
        changed += len(fixable)
        pos = 0
        for t in ts:
            old = t.text or ""
            new = "".join(repl[pos:pos + len(old)])
            pos += len(old)
            if new != old:
                t.text = new
                if new != new.strip():
                    t.set(qn("xml:space"), "preserve")
    return changed


def count_fixes(path: str | Path, *, allowed_terms: Iterable[str] = ()) -> int:
    """How many mechanical fixes ``fix_file`` would make."""
    path = Path(path)
    terms = [t for t in allowed_terms if t]
    if path.suffix.lower() == ".docx":
        import docx

        read_document(path)  # located errors for a broken file
        document = docx.Document(str(path))
        return _fix_docx(document, terms)
    text, _ = decode_text(path.read_bytes(), path)
    return sum(1 for e in _punctuation_edits(text, _spans(text, terms))[1] if e.kind != "ellipsis")


def fix_file(path: str | Path, in_place: bool = False, *, allowed_terms: Iterable[str] = ()) -> Path:
    """Apply the mechanical fixes and write 讲话.fixed.md (.docx, .txt) beside the input, or the input itself
    with ``in_place``. Writes are atomic; an existing *.fixed.* file is never replaced (RefusedError)."""
    path = Path(path)
    target = path if in_place else fixed_path(path)
    if not in_place and target.exists():
        raise RefusedError(problems=[f"{target}: 已存在，未覆盖。请先删除或改名该文件，或用 --in-place 直接修改原文件"])
    terms = [t for t in allowed_terms if t]
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        read_document(path)
        document = docx.Document(str(path))
        _fix_docx(document, terms)
        _atomic_write(target, document.save)
    else:
        read_document(path)  # same checks and messages as `check`
        text, encoding = decode_text(path.read_bytes(), path)
        data = fix_text(text, allowed_terms=terms).encode(encoding)
        _atomic_write(target, lambda fh: fh.write(data))
    return target


# ---------------------------------------------------------------- the command, as one call


_DATE_LINE = regexcache.compile(r"^[（(]?\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*[）)]?$")


def speech_date(doc: SourceDocument) -> dt.date | None:
    """The date a speech states under its title, e.g. （2026年1月20日）, so a draft is judged by its own date."""
    for para in doc.paragraphs[:8]:
        m = _DATE_LINE.match(para.text.strip())
        if m:
            try:
                return dt.date(*map(int, m.groups()))
            except ValueError:
                return None
    return None


def check_paths(paths: Iterable[str | Path], *, date: dt.date | None = None, allowed_terms: Iterable[str] = (),
                fmt: str = "text", fix: bool = False, in_place: bool = False) -> tuple[str, int]:
    """What ``draftgen check FILE...`` prints and its exit code: 1 if any 错误 remains, else 0.

    Unreadable files raise InputError (all of them listed) before anything is checked or written.
    With ``fix`` the mechanical fixes are written first (beside the input, or over it with ``in_place``)
    and the report is about the fixed file.
    """
    if fmt not in ("text", "json"):
        raise InputError(problems=[f"未知的输出格式“{fmt}”，可用 text 或 json"])
    fix = fix or in_place
    terms = tuple(t for t in allowed_terms if t)
    paths = [Path(p) for p in paths]
    docs = read_documents(paths)
    if fix and not in_place:
        existing = [fixed_path(p) for p in paths if fixed_path(p).exists()]
        if existing:
            raise RefusedError(problems=[f"{t}: 已存在，未覆盖。请先删除或改名该文件，或用 --in-place 直接修改原文件"
                                         for t in existing])
    blocks, reports = [], []
    for path, doc in zip(paths, docs):
        note = ""
        label = str(path)
        if fix:
            n = count_fixes(path, allowed_terms=terms)
            if n:
                target = fix_file(path, in_place=in_place, allowed_terms=terms)
                doc = read_document(target)
                label = str(target)
                note = f"{path}：已自动修正 {n} 处标点，写入 {target}"
            else:
                note = f"{path}：没有可自动修正的问题，未写文件"
        findings = check(doc, date=date or speech_date(doc), allowed_terms=terms)
        reports.append((label, findings, note))
        if fmt == "text":
            blocks.append("\n".join(x for x in (note, format_findings(label, findings)) if x))
    all_findings = [f for _, fs, _ in reports for f in fs]
    exit_code = 1 if any(f.severity == ERROR for f in all_findings) else 0
    if fmt == "json":
        files = []
        for label, findings, note in reports:
            entry = _as_dict(label, findings)
            if note:
                entry["note"] = note
            files.append(entry)
        return json.dumps({"files": files, "counts": _counts(all_findings), "exit_code": exit_code},
                          ensure_ascii=False, indent=2), exit_code
    text = "\n\n".join(blocks)
    if len(reports) > 1:
        c = _counts(all_findings)
        text += f"\n\n共检查 {len(reports)} 个文件：" + "，".join(f"{s} {c[s]} 处" for s in SEVERITIES)
    return text, exit_code
