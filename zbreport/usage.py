"""A mistyped command line, said in Chinese: typer's parser words its errors in English."""

from __future__ import annotations

import re

from typer._click import exceptions as click_errors

_QUOTED = re.compile(r"'([^']*)'")


def usage_message(exc: click_errors.UsageError) -> str:
    """What was wrong with the command line, for a clerk."""
    if isinstance(exc, click_errors.NoSuchOption):
        hint = f"，是否应为 {'、'.join(sorted(exc.possibilities))}？" if exc.possibilities else ""
        return f"没有 {exc.option_name} 这个选项{hint}"
    if isinstance(exc, click_errors.MissingParameter):
        return f"缺少{_parameter(exc.param)}"
    if isinstance(exc, click_errors.BadParameter):
        return f"{_parameter(exc.param)} 的值无效：{_bad_value(exc)}"
    if isinstance(exc, click_errors.BadOptionUsage) and "requires an argument" in exc.message:
        return f"选项 {exc.option_name} 后面要写一个值"
    message = exc.message
    if match := re.match(r"No such command '([^']+)'(?:\. Did you mean '([^']+)')?", message):
        hint = f"，是否应为“{match.group(2)}”？" if match.group(2) else "；可用的命令见 zbreport --help"
        return f"没有“{match.group(1)}”这个命令{hint}"
    if match := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", message):
        return f"多余的参数：{match.group(1)}"
    return f"命令行有误：{message}"


def _parameter(param: object) -> str:
    """参数 FOLDER, or 选项 --year."""
    if param is None:
        return "参数"
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return f"选项 {max(opts, key=len)}"
    return f"参数 {str(getattr(param, 'name', '') or '').upper()}"


def _bad_value(exc: click_errors.BadParameter) -> str:
    quoted = _QUOTED.findall(exc.message)
    value = f"“{quoted[0]}”" if quoted else "所写的值"
    kind = getattr(exc.param, "type", None)
    choices = getattr(kind, "choices", None)
    if choices:
        return f"{value}不是可选的值；可选：{'、'.join(str(getattr(c, 'value', c)) for c in choices)}"
    name = getattr(kind, "name", "")
    if name in ("integer", "int", "integer range"):
        return f"{value}不是整数"
    if name in ("float", "decimal"):
        return f"{value}不是数字"
    if "does not exist" in exc.message:
        return f"{value}不存在"
    return f"{value}无效"
