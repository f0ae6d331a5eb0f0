"""The command line: wires the stages and turns errors into messages. No logic of its own."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import DraftgenError, InputError
from .localize import localize_cli

localize_cli()

app = typer.Typer(
    name="draftgen",
    help="draftgen：基层党建会议讲话稿生成与校对工具。填写简报（brief.yaml），生成可在 Word 中编辑的讲话稿。",
    no_args_is_help=True,
    subcommand_metavar="命令 [参数]...",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"draftgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号并退出。"),
) -> None:
    """draftgen：基层党建会议讲话稿生成与校对工具。"""


def _err(line: str) -> None:
    typer.echo(line, err=True)


@app.command("init")
def init_cmd(
    directory: Path = typer.Argument(Path("."), metavar="[目录]", help="写入示例简报的目录（不存在时自动创建）。"),
) -> None:
    """在目录中写入带中文注释的示例简报 brief.yaml 和单位配置 org.yaml。已有文件时拒绝覆盖。"""
    from .starter import write_starter

    written = write_starter(directory)
    for path in written:
        typer.echo(f"已写入：{path}")
    typer.echo(f"下一步：编辑这两个文件，然后运行  draftgen build {directory / 'brief.yaml'} -o 输出/")


@app.command("build")
def build_cmd(
    briefs: List[Path] = typer.Argument(..., metavar="简报", help="一个或多个简报文件（brief.yaml）。", show_default=False),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出目录；默认为简报所在目录。"),
    formats: str = typer.Option("docx,md", "--format", "-f", help="输出格式，逗号分隔：docx、md、txt、pdf。"),
    seed: Optional[int] = typer.Option(None, "--seed", help="随机种子；同一简报、同一种子得到相同稿件。"),
    length: Optional[int] = typer.Option(None, "--length", help="目标字数（1500～8000），覆盖简报中的 length。"),
    variants: int = typer.Option(1, "--variants", help="用不同种子生成几份备选稿。"),
    avoid_used: Optional[Path] = typer.Option(None, "--avoid-used", help="往年稿件的记录文件（.plan.json），避免重复用语。"),
    plan_out: bool = typer.Option(False, "--plan", help="同时写出 .plan.json 记录（种子与所用词条），便于复现。"),
    kinds: Optional[str] = typer.Option(None, "--kinds", help="一次生成的文稿，逗号分隔，如 review,news,host（见 draftgen kinds）。"),
    force: bool = typer.Option(False, "--force", help="允许覆盖已存在的输出文件。"),
) -> None:
    """根据简报生成讲话稿（默认输出 .docx 和 .md），并报告字数、时长、种子和待补充之处。"""
    from .commands import run_build

    code = run_build(briefs, output=output, formats=formats, seed=seed, length=length, variants=variants,
                     avoid_used=avoid_used, plan_out=plan_out, force=force, echo=typer.echo, echo_err=_err,
                     kinds=kinds)
    raise typer.Exit(code)


@app.command("check")
def check_cmd(
    files: List[Path] = typer.Argument(..., metavar="文件", help="要校对的讲话稿（.docx、.md、.txt）。", show_default=False),
    date: Optional[str] = typer.Option(None, "--date", help="讲话日期（如 2026-01-20），据此判断提法是否过时；默认取简报或稿件中的日期，否则为今天。"),
    brief: Optional[Path] = typer.Option(None, "--brief", help="简报文件：其中的人名、单位名不会被当作问题，日期作为讲话日期。"),
    fmt: str = typer.Option("text", "--format", help="输出格式：text 或 json。"),
    fix: bool = typer.Option(False, "--fix", help="自动修正半角标点、重复标点等机械问题，另存为 *.fixed.* 文件。"),
    in_place: bool = typer.Option(False, "--in-place", help="与 --fix 一起使用：直接修改原文件。"),
) -> None:
    """校对讲话稿：重复字词、序号与“讲N点意见”不符、未填的 XXX、过时提法、不规范称谓、标点、重复表述。
    发现“错误”级问题时退出码为 1。"""
    from .commands import run_check

    text, code = run_check(files, date_text=date, brief=brief, fmt=fmt, fix=fix, in_place=in_place)
    if text:
        typer.echo(text)
    raise typer.Exit(code)


@app.command("outline")
def outline_cmd(
    files: List[Path] = typer.Argument(..., metavar="文件", help="要分析的讲话稿（.docx、.md、.txt）。", show_default=False),
    fmt: str = typer.Option("text", "--format", help="输出格式：text（树形）、yaml 或 json。"),
) -> None:
    """显示讲话稿的结构：标题、称呼、开场、肯定述职、成绩、问题、过渡句及其宣布的数目、各部分及其要点、结尾，并标出行号。"""
    from .outline import outline_paths

    if fmt not in ("text", "yaml", "json"):
        raise InputError(problems=[f"--format: 应为 text、yaml 或 json，实为“{fmt}”"])
    typer.echo(outline_paths(files, fmt))


@app.command("mine")
def mine_cmd(
    files: List[Path] = typer.Argument(..., metavar="文件", help="往年讲话稿等素材（.docx、.md、.txt）。", show_default=False),
    output: Path = typer.Option(..., "-o", "--output", help="候选条目写入的 YAML 文件（不能在 phrasebank/ 内）。"),
    force: bool = typer.Option(False, "--force", help="允许覆盖已存在的输出文件。"),
) -> None:
    """从讲话稿中提取候选词库条目（猜测槽位和主题、规范标点、换成占位符、标出与词库近似重复的条目），供人工审阅后通过 Pull Request 提交。"""
    from .mine import mine_paths

    typer.echo(mine_paths(files, output, force))


@app.command("topics")
def topics_cmd() -> None:
    """列出词库中可用的主题（简报 focus、achievements、problems 中的 topic）及其方面（facet）。"""
    from .bank import default_bank

    bank = default_bank()
    for topic in bank.topics.values():
        typer.echo(f"{topic.id}\t{topic.description}\t方面：{'、'.join(f.id for f in topic.facets)}")


@app.command("kinds")
def kinds_cmd() -> None:
    """列出可生成的文稿类型。"""
    from .models import KINDS

    for kind, description in KINDS.items():
        typer.echo(f"{kind}\t{description}")


@app.command("schema")
def schema_cmd(
    output: Path = typer.Option(Path("schemas"), "-o", "--output", help="写入 JSON Schema 的目录。"),
    force: bool = typer.Option(False, "--force", help="允许覆盖已存在的文件。"),
) -> None:
    """写出简报、单位配置和词库文件的 JSON Schema，供编辑器自动补全和校验。"""
    from .export import refuse_existing, write_text_atomic
    from .schema import render_schemas

    rendered = render_schemas()
    refuse_existing([output / name for name in rendered], force)
    for name, text in rendered.items():
        write_text_atomic(output / name, text)
        typer.echo(f"已写入：{output / name}")


bank_app = typer.Typer(help="词库维护：检查条目、查看覆盖情况。", no_args_is_help=True, subcommand_metavar="命令 [参数]...")
app.add_typer(bank_app, name="bank")


@bank_app.command("lint")
def bank_lint_cmd(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="文件", help="要检查的词库文件；默认检查整个词库。"),
) -> None:
    """检查词库条目：结构、重复、标签、占位符、近似重复、标点、时效、长度。有错误时退出码为 1。"""
    from .banklint import format_report, lint_paths

    for path in paths or []:
        if not path.is_file():
            raise InputError(problems=[f"{path}: 文件不存在"])
    findings = lint_paths(paths or None)
    typer.echo(format_report(findings))
    raise typer.Exit(1 if any(f.severity == "错误" for f in findings) else 0)


@bank_app.command("stats")
def bank_stats_cmd(
    drafts: int = typer.Option(12, "--drafts", help="用法审计时每类单位生成的稿件数。"),
) -> None:
    """词库覆盖矩阵（主题 × 槽位 × 单位类型，标出偏少的格）和用法审计（从未选中、过于常用的条目）。"""
    from .bank import default_bank
    from .bankstats import coverage_table, usage_report

    bank = default_bank()
    typer.echo(coverage_table(bank))
    typer.echo("")
    typer.echo(usage_report(bank, drafts))


def main() -> None:
    """Console entry point: one place where errors become messages and exit codes."""
    from typer._click.exceptions import ClickException

    try:
        code = app(prog_name="draftgen", standalone_mode=False)
    except ClickException as e:
        from .localize import usage_error_message

        message = usage_error_message(e)
        if message:
            _err(message)
        else:  # called with no arguments: show the help
            e.show()
        sys.exit(2)
    except DraftgenError as e:
        for line in e.problems or [str(e)]:
            _err(line)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        _err("已中断")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
