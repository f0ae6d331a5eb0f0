"""What each CLI command does, as plain functions (the CLI only parses options and prints)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Optional

from .context import CHARS_PER_MINUTE
from .errors import DraftgenError, InputError, RefusedError
from .export import (FORMATS, OutputSet, output_stem, planned_paths, refuse_existing, require_pdf_converter,
                     stage_draft, terminate_as_exception)
from .models import SEED_MAX, Draft
from .pipeline import Result, generate_variants, plan_json
from .render import DOCUMENT_NAMES, count_word

Echo = Callable[[str], None]


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower().lstrip(".") for f in text.replace("，", ",").split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(problems=[f"--format: 不支持的格式“{'、'.join(unknown) or text}”；可选：{'、'.join(FORMATS)}"])
    return formats


def read_avoid_file(path: Optional[Path]) -> set[str]:
    """Entry ids used in earlier drafts, from one .plan.json file (or a JSON list of them)."""
    if path is None:
        return set()
    from .readers import JSON_LIMIT, read_regular_file

    raw = read_regular_file(path, JSON_LIMIT, "--avoid-used 指定的记录文件")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise InputError(problems=[f"{path}: 不是有效的 .plan.json 记录文件，应为 draftgen build --plan 写出的记录"]) from e
    records = data if isinstance(data, list) else [data]
    ids: set[str] = set()
    for rec in records:
        if not isinstance(rec, dict) or not isinstance(rec.get("entry_ids"), list):
            raise InputError(problems=[f"{path}: 缺少 entry_ids 列表，应为 draftgen build --plan 写出的记录"])
        ids.update(str(i) for i in rec["entry_ids"])
    return ids


def check_draft(draft: Draft, allowed_terms: Iterable[str]) -> list:
    """Run the proofreader on a generated draft (the same rules as `draftgen check`)."""
    from .check import check
    from .readers import document_from_draft

    return check(document_from_draft(draft), date=draft.meeting_date, allowed_terms=allowed_terms)


def _allowed_terms(result: Result) -> list[str]:
    return result.plan.context.own_terms()


def report(result: Result, draft: Draft, paths: list[Path], findings: list, echo: Echo) -> None:
    plan = result.plan
    chars = draft.char_count()
    minutes = chars / CHARS_PER_MINUTE
    echo("已生成：" + "\n        ".join(str(p) for p in paths))
    if draft.kind == plan.kind:
        echo(f"字数：{chars} 字（目标 {plan.target_length} 字），预计讲话约 {minutes:.0f} 分钟（按每分钟 {CHARS_PER_MINUTE} 字）")
        echo(f"结构：讲{count_word(plan.points)}点意见"
             f"（版式 {plan.layout}）；种子：{plan.context.seed}（加 --seed {plan.context.seed} 可复现）")
    else:
        echo(f"字数：{chars} 字（{DOCUMENT_NAMES[draft.kind]}，与讲话稿出自同一计划）")
    gaps = draft.gaps()
    if gaps:
        echo(f"待补充（{len(gaps)} 处，请在稿件中补上本单位的实际内容）：")
        for i, gap in enumerate(gaps, 1):
            echo(f"  {i}. {gap}")
    else:
        echo("待补充：无")
    real = [f for f in findings if f.code != "DG302"]  # the gaps are listed above
    if real:
        echo(f"校对：发现 {len(real)} 处需要注意：")
        for f in real:
            # Findings are numbered by .md line (block i on line 2i+1); the user counts paragraphs.
            echo(f"  第{(f.line + 1) // 2}段 {f.code} {f.severity} {f.message}「{f.excerpt}」→ {f.suggestion}")
    else:
        echo("校对：未发现问题")


def parse_kinds(text: Optional[str]) -> Optional[list[str]]:
    from .models import KINDS

    if not text:
        return None
    kinds = [k.strip() for k in text.replace("，", ",").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise InputError(problems=[f"--kinds: 未知的文稿类型“{'、'.join(unknown) or text}”；可选：{'、'.join(KINDS)}"])
    if "review" in kinds and "work" in kinds:
        raise InputError(problems=["--kinds: review 与 work 是两种不同会议的讲话，一次只能选其一"])
    return list(dict.fromkeys(kinds))


def check_seed(seed: Optional[int], where: str = "--seed") -> None:
    if seed is not None and not 0 <= seed <= SEED_MAX:
        raise InputError(problems=[f"{where}: 应为 0～{SEED_MAX} 之间的整数，实为 {_short_number(seed)}"])


def _short_number(n: int) -> str:
    text = str(n)
    return text if len(text) <= 24 else text[:20] + "…"


def run_build(briefs: list[Path], *, output: Optional[Path], formats: str, seed: Optional[int],
              length: Optional[int], variants: int, avoid_used: Optional[Path], plan_out: bool, force: bool,
              echo: Echo, echo_err: Echo, kinds: Optional[str] = None) -> int:
    """Build every brief as one set: all briefs are validated and rendered first, and either every file of
    every brief is written, or (on any problem) none is. Returns the exit code."""
    fmt_list = list(dict.fromkeys(parse_formats(formats)))
    if length is not None and not 1500 <= length <= 8000:
        raise InputError(problems=[f"--length: 应在 1500～8000 之间，实为 {_short_number(length)}"])
    if variants < 1 or variants > 20:
        raise InputError(problems=[f"--variants: 应在 1～20 之间，实为 {_short_number(variants)}"])
    check_seed(seed)
    avoid = read_avoid_file(avoid_used)
    kind_list = parse_kinds(kinds)
    require_pdf_converter(fmt_list)
    briefs = expand_briefs(briefs)
    started = time.perf_counter()

    # One validation pass over every brief before anything is written.
    jobs, problems = [], []
    # The same file named twice (a.yaml ./a.yaml) is one brief, not a clash with itself.
    seen_briefs: set[str] = set()
    briefs = [b for b in briefs if not (os.path.realpath(b) in seen_briefs or seen_briefs.add(os.path.realpath(b)))]
    batch = len(briefs) > BATCH_MIN
    taken: set[Path] = set()
    with _progress(len(briefs)) as advance:
        for brief in briefs:
            try:
                jobs.append(_prepare_one(brief, output, fmt_list, seed, length, variants, avoid, plan_out,
                                         kind_list, taken=taken))
            except DraftgenError as e:
                problems += e.problems or [str(e)]
            advance()
    if problems:
        raise InputError(problems=problems)
    planned = [t for job in jobs for t in job.targets()]
    seen: dict[Path, Path] = {}
    clashes, pairs = [], set()
    for job in jobs:
        for t in job.targets():
            key = Path(os.path.abspath(t))
            if key in seen and seen[key] != job.brief and (seen[key], job.brief) not in pairs:
                pairs.add((seen[key], job.brief))
                clashes.append(f"{t}: 简报 {seen[key]} 和 {job.brief} 要写入同名文件（会议名称相同）；"
                               f"请改用不同的会议名称，或分开生成并用 -o 指定不同的输出目录")
            seen.setdefault(key, job.brief)
    if clashes:
        raise RefusedError(problems=clashes)
    refuse_existing(planned, force)

    with terminate_as_exception(), OutputSet(force=force) as out:
        for job in jobs:
            job.stage(out)
        out.commit()
    written: list[Path] = []
    for job in jobs:
        for result, draft, paths, findings in job.reports:
            if batch:
                report_line(draft, paths, findings, echo)
            else:
                report(result, draft, paths, findings, echo)
            written += paths
    if len(briefs) > 1:
        seconds = time.perf_counter() - started
        docx = sum(1 for p in written if p.suffix == ".docx")
        echo(f"共 {len(briefs)} 份简报：成功 {len(briefs)} 份，失败 0 份；写出 {len(written)} 个文件"
             f"（其中 .docx {docx} 个），用时 {seconds:.1f} 秒")
    return 0


# More briefs than this in one run: a progress bar (on a terminal) and one line per draft instead of the report.
BATCH_MIN = 5
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__"}


def _is_brief(path: Path) -> bool:
    """A brief names its meeting at the top level; an org config next to it does not."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            return any(line.startswith("meeting:") for line in f)
    except OSError:
        return False


def expand_briefs(paths: Iterable[Path]) -> list[Path]:
    """Briefs named on the command line, with each folder replaced by the briefs in it and its subfolders
    (every .yaml/.yml file with a top-level ``meeting:``, in path order; org configs are left out)."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                       and not (set(p.relative_to(path).parts[:-1]) & _SKIP_DIRS) and _is_brief(p))
        if not found:
            raise InputError(problems=[f"{path}: 目录中没有找到简报（含“meeting:”的 .yaml 文件）"])
        out += found
    return list(dict.fromkeys(out))


@contextlib.contextmanager
def _progress(total: int):
    """Yield a function that counts one brief done; a bar on the terminal only when the batch is large
    (rich is imported only then: it costs a small build a sixth of its time)."""
    if total <= BATCH_MIN or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("生成中"), BarColumn(), MofNCompleteColumn(), TextColumn("剩余"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("build", total=total)
        yield lambda: bar.advance(task)


class _Job:
    """One brief's documents, rendered and checked, waiting to be written."""

    def __init__(self, brief: Path, results: list[Result], out_dir: Path, fmt_list: list[str], plan_out: bool,
                 stems: dict, plan_stems: dict):
        self.brief, self.results, self.out_dir, self.fmt_list = Path(brief), results, out_dir, fmt_list
        self.plan_out, self.stems, self.plan_stems = plan_out, stems, plan_stems
        self.reports: list = []

    def targets(self) -> list[Path]:
        out = [p for stem in self.stems.values() for p in planned_paths(self.out_dir, stem, self.fmt_list)]
        if self.plan_out:
            out += [self.out_dir / f"{stem}.plan.json" for stem in self.plan_stems.values()]
        return out

    def stage(self, out: OutputSet) -> None:
        for i, result in enumerate(self.results):
            loaded = result.loaded
            for kind, draft in result.documents.items():
                findings = check_draft(draft, _allowed_terms(result))
                paths = stage_draft(out, draft, self.out_dir, self.stems[(i, kind)], self.fmt_list,
                                    docx_options=loaded.org.docx, base_dir=Path(loaded.org_dir),
                                    where=loaded.docx_where)
                if self.plan_out and kind == next(iter(result.documents)):
                    plan_path = self.out_dir / f"{self.plan_stems[i]}.plan.json"
                    out.add_text(plan_path, plan_json(result))
                    paths.append(plan_path)
                self.reports.append((result, draft, paths, findings))


def _check_kinds_against_brief(brief: Path, kinds: Optional[list[str]]) -> None:
    """--kinds may change the paper set, not the meeting: a 工作会议 brief cannot give a 述职评议会 speech."""
    if not kinds or "review" not in kinds:
        return
    from .bank import default_bank
    from .load import load_brief
    from .yamlio import line_of, read_yaml

    loaded = load_brief(brief, default_bank().topics)
    if loaded.brief.kind == "work" or "work" in (loaded.brief.kinds or ()):
        _, lines, _ = read_yaml(Path(brief))
        field = "kind" if loaded.brief.kind == "work" else "kinds"
        raise InputError(problems=[f"{brief}:{line_of(lines, (field,))}: {field}: 简报是工作会议讲话（work），"
                                   f"与 --kinds 中的 review（述职评议会讲话）矛盾；请改 --kinds 或简报"])


def _prepare_one(brief: Path, output, fmt_list, seed, length, variants, avoid, plan_out, kinds=None, *,
                 taken: Optional[set] = None) -> _Job:
    _check_kinds_against_brief(brief, kinds)
    results = generate_variants(brief, variants, seed=seed, length=length, avoid=avoid, kinds=kinds)
    first = results[0]
    out_dir = Path(output) if output else Path(brief).parent
    meeting = first.plan.context.meeting_name
    suffix = "" if variants == 1 else "-备选{n}"
    if taken is not None and (out_dir / output_stem(meeting)) in taken:
        # Several units' briefs for the same meeting into one folder: each unit's drafts get its name.
        meeting = f"{meeting}-{first.loaded.org.short_name or first.loaded.org.name}"
        if (out_dir / output_stem(meeting)) in taken:
            meeting = f"{meeting}-{Path(brief).parent.name}-{Path(brief).stem}"
    if taken is not None:
        taken.add(out_dir / output_stem(meeting))
    stems = {(i, kind): output_stem(meeting, DOCUMENT_NAMES[kind]) + suffix.format(n=i + 1)
             for i, r in enumerate(results) for kind in r.documents}
    plan_stems = {i: output_stem(meeting, "讲话稿") + suffix.format(n=i + 1) for i in range(len(results))}
    return _Job(brief, results, out_dir, fmt_list, plan_out, stems, plan_stems)


def report_line(draft: Draft, paths: list[Path], findings: list, echo: Echo) -> None:
    """One line per draft in a large batch: where it went and what still needs the writer's hand."""
    real = sum(1 for f in findings if f.code != "DG302")
    echo(f"已生成：{'、'.join(str(p) for p in paths)}（{draft.char_count()} 字，待补充 {len(draft.gaps())} 处，"
         f"校对{'未发现问题' if not real else f'发现 {real} 处需要注意'}）")


def run_check(paths: list[Path], *, date_text: Optional[str], brief: Optional[Path], fmt: str, fix: bool,
              in_place: bool) -> tuple[str, int]:
    """`draftgen check`: the date from --date, else the brief's meeting, else the draft's own date line, else
    today; the names and units of a brief are never flagged."""
    import datetime as dt

    from .check import check_paths

    date = None
    if date_text:
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError as e:
            raise InputError(problems=[f"--date: 应为日期（如 2026-01-20），实为“{date_text}”"]) from e
    terms: list[str] = []
    if brief is not None:
        from .bank import default_bank
        from .context import build_context
        from .load import load_brief

        loaded = load_brief(brief)
        ctx = build_context(loaded, default_bank())
        date = date or ctx.meeting_date
        terms = ctx.own_terms()
    return check_paths(paths, date=date, allowed_terms=terms, fmt=fmt, fix=fix, in_place=in_place)
