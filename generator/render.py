"""Stage 4 — render: decide *how it reads*.

Jinja templates arrange the plan into a sequence of lines, each beginning with a role marker
(``@title``, ``@meta``, ``@salutation``, ``@h1``, ``@h2``, ``@p``, ``@closing``); this module turns them
into a Draft. Counts and ordinal markers come from filters fed by the plan, never from template text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .models import Block, Draft, Plan
from .paths import TEMPLATES_DIR

_DIGITS = "零一二三四五六七八九"
ROLE_MARKERS = {"@title": "title", "@meta": "meta", "@salutation": "salutation", "@h1": "heading1",
                "@h2": "heading2", "@p": "paragraph", "@closing": "closing", "@cue": "cue"}
_LINE_RE = re.compile(r"^(@[a-z0-9]+)\s(.*)$")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (speeches never count past a few dozen)."""
    if not 0 < n < 100:
        raise ValueError(f"cannot write {n} as a Chinese ordinal")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def count_word(n: int) -> str:
    """The cardinal used before a measure word: 2 → 两 (两点意见), otherwise as chinese_number."""
    return "两" if n == 2 else chinese_number(n)


def date_cn(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def date_md(d) -> str:
    """News style: 1月20日 (the year is the report's own)."""
    return f"{d.month}月{d.day}日"


# What each kind of document is called, in its file name and its document properties.
DOCUMENT_NAMES = {"review": "讲话稿", "work": "讲话稿", "news": "新闻稿", "host": "主持词"}


@lru_cache(maxsize=1)
def _bytecode_cache():
    """Compiled templates in the user's cache folder (checked against each template's source by Jinja, written
    atomically), so a new process does not compile them again; none when that folder cannot be made."""
    import os

    from jinja2 import FileSystemBytecodeCache

    from .paths import cache_dir

    if os.environ.get("DRAFTGEN_NO_CACHE"):
        return None

    class _Tolerant(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged file: compile afresh (and overwrite it)
                bucket.reset()

    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _Tolerant(str(folder))


def _environment() -> Environment:
    env = Environment(
        bytecode_cache=_bytecode_cache(),
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )
    env.filters.update(cn=chinese_number, count=count_word, date_cn=date_cn, date_md=date_md)
    return env


def _blocks(text: str, template: str) -> list[Block]:
    blocks = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _LINE_RE.match(line)
        if not m or m.group(1) not in ROLE_MARKERS:
            raise RuntimeError(f"{template}: line without a role marker: {line[:40]!r}")
        body = m.group(2).strip()
        if re.search(r"@(?:%s)\s" % "|".join(k[1:] for k in ROLE_MARKERS), body):
            raise RuntimeError(f"{template}: two blocks ran into one line (a lost line break): {body[:40]!r}")
        if body:
            blocks.append(Block(ROLE_MARKERS[m.group(1)], body))
    return blocks


def _reporting_sentence(ctx) -> str:
    """Who reported and how, for the news report: names only as the brief gives them."""
    onsite = [r.name for r in ctx.reporters_list if not r.written]
    if onsite:
        names = "、".join(onsite) if len(onsite) <= 5 else "、".join(onsite[:3]) + "等"
        text = f"会上，{names}{len(onsite)}名{ctx.secretaries}先后进行现场述职"
    elif ctx.reporters:
        text = f"会上，{ctx.reporters}名{ctx.secretaries}先后进行现场述职"
    else:
        text = f"会上，各{'党支部书记' if ctx.secretaries == '党支部书记' else '基层党组织书记'}进行了述职"
    if ctx.written_reporters:
        text += f"，{ctx.written_reporters}名书记以书面形式述职"
    return text + "，并接受评议。"


def _host_agenda(plan: Plan) -> list[str]:
    ctx = plan.context
    speaker = f"{ctx.speaker_title}{ctx.speaker_name}同志讲话"
    if plan.kind == "review":
        return ["党组织书记现场述职", "评议和民主测评", speaker]
    report = ctx.preceding_report
    return ([f"{report.title or ''}{report.by}同志作工作报告"] if report else []) + [speaker]


def render(plan: Plan, kind: str | None = None) -> Draft:
    """Render one document of the meeting's paper set (default: the speech) from the shared plan."""
    ctx = plan.context
    kind = kind or plan.kind
    template_name = f"{kind}.j2"
    text = _environment().get_template(template_name).render(
        plan=plan, ctx=ctx, frames=plan.frames, reporting_sentence=_reporting_sentence(ctx),
        host_agenda=_host_agenda(plan))
    blocks = _blocks(text, template_name)
    title = next(b.text for b in blocks if b.role == "title")
    name = DOCUMENT_NAMES[kind]
    return Draft(
        kind=kind,
        title=title,
        blocks=tuple(blocks),
        meeting_date=ctx.meeting_date,
        seed=ctx.seed,
        entry_ids=tuple(plan.entry_ids()),
        digest=ctx.digest,
        subject=f"{ctx.org.name}{ctx.meeting_name}{name}（草稿）",
        keywords=(name, "基层党建", *ctx.focus),
    )
