"""Chinese wording for the few English strings the CLI framework prints itself."""

from __future__ import annotations


_RICH_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中断",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
}


def _localize_rich() -> None:
    """Translate typer's rich help panels. Called just before help is drawn: importing rich costs about a
    fifth of a cold build, and only help needs it."""
    try:
        import typer.rich_utils as ru
    except ImportError:  # typer without rich: plain help, nothing to translate here
        return
    for name, text in _RICH_TITLES.items():
        setattr(ru, name, text)


def _localized_help(original):
    def format_help(self, ctx, formatter):
        _localize_rich()
        return original(self, ctx, formatter)
    return format_help


def localize_cli() -> None:
    from typer._click import core as click_core

    if getattr(click_core.Command, "_draftgen_localized", False):
        return
    original_help_option = click_core.Command.get_help_option
    original_pieces = click_core.Command.collect_usage_pieces

    def get_help_option(self, ctx):
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def collect_usage_pieces(self, ctx):
        pieces = original_pieces(self, ctx)
        names = (("[OPTIONS]", "[选项]"), ("COMMAND", "命令"), ("[ARGS]", "[参数]"))
        out = []
        for piece in pieces:
            for old, new in names:
                piece = piece.replace(old, new)
            if piece.startswith("{") and "}" in piece:  # {简报}... → 简报...
                piece = piece[1:].replace("}", "", 1)
            out.append(piece)
        return out

    import typer.core as typer_core

    type_names = {"bool": None, "path": "路径", "int": "整数", "str": "文字", "list[Path]": "路径"}

    def localized_type(original):
        def display_type_rich(self, ctx):
            shown = original(self, ctx)
            if not isinstance(shown, str) or not shown.startswith("<"):
                return shown  # a metavar the command set itself
            inner = shown.strip("<>.")
            if inner not in type_names:
                return shown
            name = type_names[inner]
            return None if name is None else f"<{name}>" + ("..." if shown.endswith("...") else "")
        return display_type_rich

    for cls in (typer_core.TyperOption, typer_core.TyperArgument):
        cls.display_type_rich = localized_type(cls.display_type_rich)
    for cls in (typer_core.TyperCommand, typer_core.TyperGroup):
        cls.format_help = _localized_help(cls.format_help)
    click_core.Command.get_help_option = get_help_option
    click_core.Command.format_usage = format_usage
    click_core.Command.collect_usage_pieces = collect_usage_pieces
    click_core.Command._draftgen_localized = True


def usage_error_message(error) -> str:
    """A Chinese message for the framework's own usage errors (unknown option, missing argument…)."""
    from typer._click import exceptions as ex

    name = type(error).__name__
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "draftgen"
    hint = f"运行 {command} --help 查看用法。"
    if isinstance(error, ex.NoSuchOption):
        possibilities = getattr(error, "possibilities", None) or []
        mean = f"，是否想写 {'、'.join(sorted(possibilities))}？" if possibilities else ""
        return f"错误：未知选项 {error.option_name}{mean}\n{hint}"
    if isinstance(error, ex.MissingParameter):
        param = error.param
        if param is None:
            label = "参数"
        elif getattr(param, "param_type_name", "") == "argument":
            label = f"参数 {getattr(param, 'metavar', None) or param.name}"
        else:
            label = f"选项 {'/'.join(param.opts)}"
        return f"错误：缺少{label}\n{hint}"
    if isinstance(error, ex.BadParameter):
        param = error.param
        label = "/".join(param.opts) if param is not None and getattr(param, "opts", None) else ""
        return f"错误：{label} 的取值不正确（{error.message}）\n{hint}"
    if name == "NoArgsIsHelpError":
        return ""
    return f"错误：{error.format_message()}\n{hint}"
