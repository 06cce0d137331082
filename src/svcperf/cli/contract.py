"""The command-line contract every command keeps: exit codes, one error line, checked options.

Exit codes: OK (0) nothing to report beyond notices; DATA (1) data problems, and the output,
where the command writes one, is written; UNUSABLE (2) the command could not do its job (an
unreadable file, a usage error, a broken rule set, --strict refusing). Every error that is
not about a cell is one line on stderr: ``svcperf: error: <what>; <how to fix>``; Typer's and
click's usage errors are turned into that line by `ContractGroup`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from svcperf.i18n import cli_message
from svcperf.months import month_of_year
from svcperf.text import one_line, whole_digits
from svcperf.why import Why

OK, DATA, UNUSABLE = 0, 1, 2
PREFIX = "svcperf: error: "
LANG_CHOICES = ("en", "zh")
_LANG = {"now": "en"}  # the language of this run's own messages (set by ContractGroup.main)


def message_lang() -> str:
    """The language of the command line's own messages: --lang if given, else the locale's."""
    return _LANG["now"]


def said(ex: Exception) -> str:
    """An error's message in the user's language when it is a Why, else as it is."""
    first = ex.args[0] if ex.args else ""
    return first.render(message_lang()) if isinstance(first, Why) else str(ex)


def _lang_of(args: list[str]) -> str:
    for n, arg in enumerate(args):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else \
            args[n + 1] if arg == "--lang" and n + 1 < len(args) else None
        if value in LANG_CHOICES:
            return value
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG", "")
    return "zh" if locale.lower().startswith("zh") else "en"


def error_line(message: str) -> str:
    """The one error format: `svcperf: error: <what>; <how to fix>`, control characters shown."""
    return PREFIX + one_line(message.removeprefix(PREFIX))


def say_error(message: str) -> None:
    """Print one error line on stderr (never wrapped, never markup)."""
    sys.stderr.write(error_line(message) + "\n")
    sys.stderr.flush()


def fail(message: str, code: int = UNUSABLE) -> typer.Exit:
    """Print the error line and return the Exit to raise (`raise fail(...)`)."""
    say_error(message)
    return typer.Exit(code)


def worst(codes: list[int]) -> int:
    """The exit code of several files: the worst of them (none: OK)."""
    return max(codes, default=OK)


def usage_message(ex: typer.TyperException, root: Any = None, args: list[str] | None = None,
                  ) -> str:
    """A Typer usage error as `<what>; <how to fix>`, naming the command's --help (for an
    error click raises with no context, the command `args` name under `root`)."""
    ctx = getattr(ex, "ctx", None)
    named, command = named_command(root, args or []) if root is not None else ("svcperf", None)
    where = ctx.command_path if ctx is not None else named
    message = ex.format_message().strip().rstrip(".")
    if isinstance(ex, typer.BadParameter) and (";" in ex.message or "；" in ex.message):
        param = ex.param
        hint = ex.param_hint if isinstance(ex.param_hint, str) else "" if param is None else (
            param.human_readable_name if param.param_type_name == "argument"  # SHEET...
            else "/".join(param.opts))
        message = f"{hint}: {ex.message}" if hint else ex.message
        return message
    message = re.sub(r"\s+", " ", _in_lang(ex, message_lang(), command) or message)
    return cli_message("see-help", message_lang(), message=message, command=where)


def _in_lang(ex: typer.TyperException, lang: str, root: Any = None) -> str | None:
    """click's usage errors that its documented attributes describe, in `lang`; None for the
    others (click's English is said as it is). `root`: the command the arguments name (the
    root group, or a command under it)."""
    kind, param = type(ex).__name__, getattr(ex, "param", None)
    option = getattr(ex, "option_name", None)
    if kind == "NoSuchOption":
        like = sorted(getattr(ex, "possibilities", None) or [])
        return cli_message("no-such-option", lang, option=option) + (
            cli_message("did-you-mean" if len(like) == 1 else "possible-options", lang,
                        like=", ".join(like)) if like else "")
    if kind == "MissingParameter" and param is not None:
        if param.param_type_name == "argument":
            return cli_message("missing-argument", lang, name=param.human_readable_name)
        return cli_message("missing-option", lang, name=" / ".join(map(repr, param.opts)))
    if kind == "BadOptionUsage" and root is not None:  # (click raises it with no context)
        flags = {getattr(p, "is_flag", False) for p in _options(root) if option in p.opts}
        if len(flags) == 1:
            return cli_message("flag-with-value" if flags.pop() else "option-without-value",
                               lang, option=option)
    if kind == "UsageError" and (typo := getattr(ex, "typo", None)):
        return cli_message("no-such-command", lang, name=typo[0]) + (
            cli_message("did-you-mean", lang, like=", ".join(map(repr, typo[1])))
            if typo[1] else "")
    return None


def named_command(root: Any, args: list[str]) -> tuple[str, Any]:
    """The command an argument list names under the root group, and its path ('svcperf rank',
    'svcperf rules check'): the root's own options (and their values) are passed over."""
    path, command = [root.name or "svcperf"], root
    given = iter(args)
    for arg in given:
        if arg.startswith("-"):
            option = next((p for p in command.params if arg.split("=", 1)[0] in p.opts), None)
            if option is not None and not getattr(option, "is_flag", True) and "=" not in arg:
                next(given, None)  # its value
            continue
        sub = getattr(command, "commands", {}).get(arg)
        if sub is None:
            break
        path.append(arg)
        command = sub
        if not hasattr(sub, "commands"):
            break
    return " ".join(path), command


def _options(command: Any) -> Iterator[Any]:
    """Every parameter of a command and of the commands under it."""
    yield from command.params
    for sub in getattr(command, "commands", {}).values():
        yield from _options(sub)


class ContractCommand(TyperCommand):
    """A command whose arguments past the last it takes are said in the user's language
    (click's own "Got unexpected extra argument" has nothing to build that from): they are
    let through click's parse into `ctx.args`, then refused here."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        rest = super().parse_args(ctx, args)
        ctx.allow_extra_args = allowed
        if ctx.args and not allowed and not ctx.resilient_parsing:
            ctx.fail(cli_message("extra-args", message_lang(), args=" ".join(ctx.args)))
        return rest


class ContractGroup(TyperGroup):
    """The root command group: usage errors become the one error line, exit 2."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """click's, with a command name it does not know kept on the error (said in the
        user's language by usage_message) with the commands it is close to."""
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as ex:
            if args and type(ex).__name__ == "UsageError":
                import difflib

                ex.typo = (args[0], difflib.get_close_matches(args[0], list(self.commands)))  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        """click's, with a Ctrl-C (or kill, see app.run) given back as click's Abort: Typer
        turns a KeyboardInterrupt into a bare exit 130, even with standalone_mode=False, so
        `main` could not say "interrupted"."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise typer.Abort() from None

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode,
                                windows_expand_args, **extra)
        _LANG["now"] = _lang_of([str(a) for a in (sys.argv[1:] if args is None else args)])
        if not (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()):
            plain_help(self)  # a pipe or a log: click's plain help, no boxes
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args,
                                **extra)
        except typer.TyperException as ex:  # Typer's (vendored click's) usage errors
            ctx = getattr(ex, "ctx", None)
            if ctx is not None and type(ex).__name__ == "NoArgsIsHelpError":  # `svcperf` alone
                text = ctx.get_help()  # rich help prints itself and returns ""
                if text:
                    typer.echo(text)
                sys.exit(OK)
            say_error(usage_message(ex, self, [str(a) for a in (sys.argv[1:] if args is None
                                                                else args)]))
            sys.exit(UNUSABLE)
        except typer.Abort:
            say_error(cli_message("interrupted", message_lang()))
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else OK)


def plain_help(command: Any) -> None:
    """Help without rich's boxes for this command and every command under it."""
    command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        plain_help(sub)


# ---- option checks (Typer callbacks: a bad value is a usage error, exit 2) -------------------

def choice(*values: str, allow_blank: bool = False) -> Callable[[str | None], str | None]:
    """An option that takes one of `values` (case-insensitive); the message lists them."""

    def check(value: str | None) -> str | None:
        if value is None or (allow_blank and value == ""):
            return value
        if value.lower() in values:
            return value.lower()
        raise typer.BadParameter(cli_message("choice", message_lang(), value=value,
                                             choices=cli_message("or", message_lang()).join(values)))

    return check


def named(text: str) -> str:
    """A file, folder, pattern or rule set named on the command line (Typer's `parser=`): an
    empty name is a usage error. Else a script's unset variable (`rank "$SHEET"`) would name
    the current folder, and rank every sheet in it."""
    if text == "":
        raise typer.BadParameter(cli_message("empty-name", message_lang()))
    return text


def named_path(text: str) -> Path:
    """`named`, as a Path."""
    return Path(named(text))


def whole_number(text: str | int) -> int:
    """A whole-number option (Typer's `parser=`; its default comes as an int): 12, 1_000 or
    1,000; anything else is a usage error in the user's language."""
    if isinstance(text, int):
        return text
    digits = whole_digits(text)
    if digits is None or len(digits) > 4000:  # (int() takes up to 4,300 digits)
        raise typer.BadParameter(cli_message("whole-number", message_lang(), value=text))
    return int(digits)


def at_least(low: int, most: int | None = None) -> Callable[[int | None], int | None]:
    """A whole-number option that must be `low` or more (and `most` or less, when given)."""

    def check(value: int | None) -> int | None:
        if value is not None and value < low:
            raise typer.BadParameter(cli_message("at-least", message_lang(), value=value,
                                                 low=low))
        if value is not None and most is not None and value > most:
            raise typer.BadParameter(cli_message("at-most", message_lang(), value=value,
                                                 most=most))
        return value

    return check


_CALENDAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def calendar_month(value: str) -> str | None:
    """2026-09 (or 2026-9) as '2026-09'; None when it is not a calendar month so written."""
    hit = _CALENDAR_MONTH.fullmatch(value.strip())
    return f"{hit[1]}-{int(hit[2]):02d}" if hit and 1 <= int(hit[2]) <= 12 else None


def month_option(value: str | None) -> str | None:
    """`--month` of rank and explain: a calendar month, 2026-09; or the shorthand 9 (09) that
    names the target month alone. Anything else is a usage error listing both forms."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit() and 1 <= int(text) <= 12:
        return str(int(text))
    month = calendar_month(text)
    if month is None:
        raise typer.BadParameter(cli_message("month", message_lang(), value=value))
    return month


def month_parts(month: str | None) -> tuple[str | None, str | None]:
    """A checked --month as (the target month '9', the calendar month '2026-09' or None)."""
    if month is None:
        return None, None
    return (str(month_of_year(month)), month) if "-" in month else (month, None)


def calendar_months(values: list[str] | None) -> list[str] | None:
    """`rollup --month`, once per file: each a calendar month 2026-09."""
    months = []
    for value in values or []:
        month = calendar_month(value)
        if month is None:
            raise typer.BadParameter(cli_message("calendar-month", message_lang(), value=value))
        months.append(month)
    return months or None


def complete_lang(incomplete: str) -> list[str]:
    """Shell completion of --lang."""
    return [x for x in LANG_CHOICES if x.startswith(incomplete)]


def complete_rules(incomplete: str) -> list[str]:
    """Shell completion of --rules: the shipped rule-set names."""
    from svcperf.rules.load import shipped_rule_files

    return [p.stem for p in shipped_rule_files() if p.stem.startswith(incomplete)]


# ---- files a command writes ------------------------------------------------------------------

def refuse_existing(path: Path, force: bool, option: str = "-o") -> None:
    """The one rule for outputs: an existing file is replaced only with --force; a folder never."""
    if path.is_dir():
        raise fail(cli_message("is-folder", message_lang(), option=option, path=path,
                               example=path / "out.xlsx"))
    if path.exists() and not force:
        raise fail(cli_message("exists", message_lang(), path=path, option=option))


def refuse_input(path: Path, inputs: Iterable[Path | None], option: str = "-o") -> None:
    """The other rule for outputs: never a file the same command reads (a sheet, a result, an
    adjustments file, a ledger, another output), by any name (./x, a link), --force or not."""
    for given in inputs:
        if given is not None and _same_file(path, given):
            raise fail(cli_message("out-is-input", message_lang(), option=option, out=path,
                                   input=given))


def refuse_batch_output(path: Path, sheets: list[Path], outs: list[Path], option: str) -> None:
    """Nor a file the batch itself writes (--summary, --combined): a sheet's output, where the
    batch would replace it unasked, or the state file of the outputs' folder."""
    from svcperf.batch import STATE_FILE

    for sheet, out in zip(sheets, outs, strict=True):
        if _same_file(path, out):
            raise fail(cli_message("out-is-output", message_lang(), option=option, out=path,
                                   sheet=sheet))
        if _same_file(path, out.parent / STATE_FILE):
            raise fail(cli_message("out-is-state", message_lang(), option=option, out=path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except (OSError, RuntimeError):  # a name too long, a loop of links: not the same file
        return False


def need_folder(path: Path, option: str) -> None:
    """An option that names a folder: an existing file there is a plain error."""
    if path.exists() and not path.is_dir():
        raise fail(cli_message("not-folder", message_lang(), option=option, path=path))



def period_upper(value: str | None) -> str | None:
    """`rollup --period`: 2026q1 is 2026Q1 (the form it is echoed and written in)."""
    return value.strip().upper() if value is not None else None
