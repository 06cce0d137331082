"""The svcperf command line: parse, call one library function, render, exit."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from svcperf import __version__
from svcperf.cli.contract import (
    LANG_CHOICES,
    ContractCommand,
    ContractGroup,
    at_least,
    calendar_months,
    choice,
    complete_lang,
    complete_rules,
    error_line,
    fail,
    message_lang,
    month_option,
    month_parts,
    named,
    named_path,
    need_folder,
    period_upper,
    refuse_batch_output,
    refuse_existing,
    refuse_input,
    said,
    say_error,
    whole_number,
)
from svcperf.cli.explain import explain
from svcperf.i18n import cli_message, os_error
from svcperf.months import BadInput
from svcperf.text import printable

app = typer.Typer(
    name="svcperf",
    cls=ContractGroup,  # usage errors: one line `svcperf: error: ...`, exit 2
    help="Turn monthly service score sheets into validated scores, grades, quotas and ranks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion
    context_settings={"help_option_names": ["-h", "--help"]},
)

RulesOpt = Annotated[str | None, typer.Option(
    "--rules", "-r", parser=named, metavar="RULES", autocompletion=complete_rules,
    help="Rule file, or the name of a shipped rule set (tiered-service). "
    "Default: svcperf.yaml beside the sheet, else the shipped rule set whose headers match.")]
LangOpt = Annotated[str, typer.Option(
    "--lang", metavar="LANG", autocompletion=complete_lang,
    callback=choice(*LANG_CHOICES, allow_blank=True), show_default=False,
    help="Language of messages: en or zh. Default: zh under a zh_* locale, else en.")]
ForceOpt = Annotated[bool, typer.Option(
    "--force", metavar="", help="Replace an output file that already exists.")]
SkipHiddenOpt = Annotated[bool, typer.Option(
    "--skip-hidden", metavar="",
    help="Leave hidden rows and hidden sheets out (listed) instead of reading them with a "
    "warning.")]


def _default_lang() -> str:
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG", "")
    return "zh" if locale.lower().startswith("zh") else "en"


def _console(stderr: bool = False) -> Any:
    """A rich console; when the output is a log or a pipe, lines are never wrapped at 80."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    wide = None if tty or os.environ.get("COLUMNS") else 200
    return Console(stderr=stderr, highlight=False, soft_wrap=not tty, width=wide)


def _version(value: bool) -> None:
    if value:
        print(f"svcperf {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                metavar="",
                                                help="Show the version and exit.")] = False,
          limit: Annotated[list[str] | None, typer.Option(
              "--limit", metavar="NAME=N", help="Raise a limit on what a file may hold, for a "
              "genuine file refused as too big: cells, member, total, ratio, parts or errors "
              "(see the README, Limits and safety), e.g. --limit cells=60000000.")] = None,
          ) -> None:
    """svcperf: service score sheets in, grades, quotas, ranks and result workbooks out."""
    if limit:
        from svcperf.io.package import set_limits

        try:
            set_limits(limit)
        except ValueError as ex:
            raise fail(said(ex)) from None


def rules_failed(ex: Any) -> typer.Exit:
    """Print every problem of a broken rule set (file:line key: message); exit 2."""
    for problem in ex.said(message_lang()):
        sys.stderr.write(error_line(problem) + "\n")
    return typer.Exit(2)


@contextlib.contextmanager
def plain_errors() -> Iterator[None]:
    """A sheet or rule set that cannot be used, or a bad option value: plain lines, exit 2."""
    from svcperf.issues import FileError
    from svcperf.rules.load import RulesError

    try:
        yield
    except RulesError as ex:
        raise rules_failed(ex) from None
    except (FileError, BadInput) as ex:  # BadInput: a missing or unknown --month
        raise fail(said(ex)) from None
    except OSError as ex:  # a read-only folder, a full disk: the path and the fix, no traceback
        raise fail(os_error(ex, message_lang())) from None


def named_rules(given: str) -> Any:
    """The rule set --rules names; a broken one prints its problems, exit 2."""
    from svcperf.rules.load import load_rules, resolve

    with plain_errors():
        return load_rules(resolve(given))


@app.command(cls=ContractCommand)
def rank(
    sheets: Annotated[list[str], typer.Argument(
        parser=named, metavar="SHEET...", help="Score sheets (.xlsx .xlsm .xls .xlsb .ods .csv), folders of "
        "them, or glob patterns.", show_default=False)],
    rules: RulesOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", parser=named_path, metavar="FILE",
        help="Output file for one sheet; .xlsx, .csv or .json by "
        "suffix. Default: <sheet>.ranked.xlsx beside the sheet.")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out-dir", parser=named_path, metavar="DIR",
        help="Folder for the outputs (<sheet>.ranked.xlsx each); "
        "created if missing. An up-to-date output there is skipped; a file there that svcperf "
        "did not write from the same sheet, rules and options is kept unless --force.")] = None,
    output_format: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT", callback=choice("xlsx", "csv", "json"),
        help="Output type: xlsx, csv or json. Default: the suffix of -o, else xlsx.")] = None,
    month: Annotated[str | None, typer.Option(
        "--month", metavar="YYYY-MM", callback=month_option,
        help="The month these results are for (2026-09), kept for roll-ups, and the month "
        "whose targets rule sets with monthly targets use (data-submission). Default: from the "
        "file name. A bare 9 (or 09) names the target month alone.")] = None,
    period: Annotated[str | None, typer.Option(
        "--period", metavar="YYYY-MM", hidden=True,
        help="The old name of --month YYYY-MM.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", metavar="",
        help="Rank and show grade head counts per group; write nothing.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", metavar="",
        help="Refuse a sheet with any row error: nothing written, exit 2.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", metavar="N", parser=whole_number, callback=at_least(1), show_default=False,
        help="Sheets ranked in parallel processes. Default: one per core.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", metavar="", help="Replace an existing output (-o, --combined, and in a "
        "batch any file at an output's path); in a batch, also rank again outputs that are up "
        "to date.")] = False,
    summary: Annotated[Path | None, typer.Option(
        "--summary", parser=named_path, metavar="FILE",
        help="Write a JSON summary of every file to this path.")
    ] = None,
    combined: Annotated[Path | None, typer.Option(
        "--combined", parser=named_path, metavar="FILE", help="Also rank all the sheets together as one "
        "population into this workbook (with a Batch sheet listing every file).")] = None,
    lang: LangOpt = "",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", metavar="",
                                        help="Print only errors.")] = False,
    skip_hidden: SkipHiddenOpt = False,
    split_by: Annotated[str | None, typer.Option(
        "--split-by", metavar="group", help="Also write one workbook per group (its people, "
        "rejected rows and Summary row) into <output stem>.by-group/ beside each output. "
        "Only: group.")] = None,
    split_dir: Annotated[Path | None, typer.Option(
        "--split-dir", parser=named_path, metavar="DIR", help="With --split-by: the folder for the group "
        "workbooks (with several sheets: the folder holding one <output stem>.by-group/ per sheet).")] = None,
    adjust: Annotated[Path | None, typer.Option(
        "--adjust", parser=named_path, metavar="FILE",
        help="Apply an adjustments file (.xlsx, .csv, .yaml): approved input "
        "corrections and calibrated grades, with their knock-on (one sheet).")] = None,
) -> None:
    """Rank score sheets and write result workbooks.

    Every input row ends up ranked or in Rejected with its reasons. Exit 0: all
    rows ranked; 1: some rows rejected (the outputs are still written); 2: a
    file, the rule set or the options could not be used, or --strict refused.
    With several sheets one bad file never stops the others; the exit code is
    the worst of them.

    Example:

    \b
        svcperf rank examples/tiered-service.xlsx
        svcperf rank 2026-09.xlsx --rules data-submission --month 2026-09 \\
            -o 2026-09.csv
        svcperf rank submissions/ --out-dir results/ \\
            --summary results/summary.json
        svcperf rank march.xlsx --split-by group
    """
    from svcperf.batch import expand_inputs

    split = _split_option(split_by, split_dir)
    lang = lang or _default_lang()
    target, calendar = month_parts(month)
    calendar = _month_of(period, calendar)  # --period: the old name of --month YYYY-MM
    target = target or month_parts(calendar)[0]
    params = {"month": target} if target is not None else {}
    if out is not None and out_dir is not None:
        raise fail(cli_message("out-and-out-dir", message_lang()))
    if out_dir is not None:
        need_folder(out_dir, "--out-dir")
    files, missing = expand_inputs(sheets)
    if len(sheets) == len(files) == 1 and not missing and not Path(sheets[0]).is_dir() \
            and out_dir is None and summary is None and combined is None:
        raise typer.Exit(_rank_one(files[0], rules, _single_target(files[0], out, output_format),
                                   params, lang, dry_run, strict, quiet, calendar, skip_hidden,
                                   force, split, adjust))
    if adjust is not None:
        raise fail(cli_message("adjust-one", message_lang()))
    if out is not None and len(files) == 1 and (summary or combined):
        raise fail(cli_message("out-in-batch", message_lang(),
                               option="--summary" if summary else "--combined"))
    if out is not None:
        raise fail(cli_message("out-one", message_lang()))
    if summary is not None:
        refuse_input(summary, files, "--summary")
    if combined is not None:
        refuse_input(combined, [*files, summary], "--combined")
        refuse_existing(combined, force, "--combined")
    code, outcomes = _rank_batch(files, missing, rules, out_dir, f".{output_format or 'xlsx'}",
                                 params, lang, jobs or 0, force, summary, quiet, skip_hidden,
                                 strict, dry_run, split, calendar, combined)
    if combined is not None and not dry_run:
        code = max(code, _rank_combined(files, rules, combined, params, lang, quiet, outcomes,
                                        skip_hidden, split, calendar))
    raise typer.Exit(code)


def _split_option(split_by: str | None, split_dir: Path | None) -> tuple[bool, Path | None]:
    """--split-by and --split-dir as (split or not, the folder given); a bad value is an error."""
    if split_by is not None and split_by != "group":
        raise fail(cli_message("split-by", message_lang(), value=split_by))
    if split_dir is not None and split_by is None:
        raise fail(cli_message("split-dir", message_lang()))
    return split_by is not None, split_dir


def _single_target(sheet: Path, out: Path | None, output_format: str | None) -> Path:
    """Where one sheet's result goes: -o, else <sheet>.ranked.<format> beside it."""
    if out is None:
        return sheet.with_name(f"{sheet.stem}.ranked.{output_format or 'xlsx'}")
    if output_format and out.suffix.lower() != f".{output_format}":
        raise fail(cli_message("out-format", message_lang(), out=out, format=output_format,
                               name=out.with_suffix("." + output_format).name))
    return out


def _month_of(period: str | None, month: str | None) -> str | None:
    """The calendar month of --month YYYY-MM and of --period, its old name (both: the same
    month); None when neither gives one. A --period that is not a month is a usage error."""
    from svcperf.months import parse_month

    if period is None:
        return month
    given = parse_month(period)
    if given is None:
        raise fail("--period: " + cli_message("calendar-month", message_lang(), value=period))
    if month is not None and month != given:
        raise fail(cli_message("month-disagree", message_lang(), month=month, period=period))
    return given


def _rank_combined(files: list[Path], rules: str | None, out: Path, params: dict[str, str],
                   lang: str, quiet: bool, outcomes: list[Any], skip_hidden: bool,
                   split: tuple[bool, Path | None] = (False, None),
                   period: str | None = None) -> int:
    """All sheets as one population; the Batch sheet lists every file and its own result."""
    from svcperf.api import choose_rules, left_out_reason, open_sheet, rank_together, write_by_group
    from svcperf.batch import split_dir, summary
    from svcperf.cli.render import print_run
    from svcperf.io.write import write_result

    if not files:
        raise fail(cli_message("combined-none", message_lang()))
    from svcperf.issues import FileError

    with plain_errors():
        for file in files:  # the rule set of the first file that can be read: one that cannot
            try:            # is left out of the whole, and listed, by rank_together
                chosen = choose_rules(open_sheet(file, lang), rules, lang)
                break
            except FileError:
                continue
        else:
            raise fail(cli_message("combined-none", message_lang()))
        run, left_out = rank_together(files, chosen.rules, chosen.source, params, lang,
                                      skip_hidden, period)
    batch = summary(outcomes)["files"]
    other = {o.file: o.rule_set for o in outcomes if rules is None and o.rule_set
             and o.rule_set != chosen.rules.name}  # a sheet of another scheme: its headers are fine

    def why_out(path: Path, why: str, said_in: str) -> str:
        return cli_message("combined-other-rules", said_in, file=path, rules=other[str(path)],
                           chosen=chosen.rules.name) if str(path) in other else why

    book = chosen.rules.language  # the Batch sheet says why in the workbook's language
    why_left_out = {str(path): why_out(path, why if book == lang else
                                       left_out_reason(path, chosen.rules, book, skip_hidden)
                                       or why, book) for path, why in left_out}
    left_out = [(path, why_out(path, why, lang)) for path, why in left_out]
    for entry in batch:
        entry["combined"] = why_left_out.get(entry["file"], "")
    with plain_errors():
        if (folder := split_dir(out, *split)) is not None:  # one workbook per group of them all
            write_by_group(run, out, folder)
        write_result(run, out, batch)
    print_run(_console(), run, out, cli_message("chosen-together", lang, how=chosen.said(lang)),
              dry_run=False, quiet=quiet)
    for _, why in left_out:
        _console(stderr=True).print(cli_message("combined-left-out", lang, why=printable(why)),
                                    markup=False, soft_wrap=True)
    return 2 if left_out else run.exit_code


def _prefetch(sheet: Path) -> Any:
    """The sheet opened and being parsed (Book.prefetch) while the ranking modules load; the
    sheet's path when it cannot be opened (the API then says why)."""
    from svcperf.io.read import UnreadableFile, open_book

    try:
        return open_book(sheet).prefetch()
    except UnreadableFile:
        return sheet


def _rank_one(sheet: Path, rules: str | None, target: Path, params: dict[str, str],
              lang: str, dry_run: bool, strict: bool, quiet: bool, period: str | None,
              skip_hidden: bool, force: bool = False,
              split: tuple[bool, Path | None] = (False, None), adjust: Path | None = None
              ) -> int:
    if target.suffix.lower() not in (".xlsx", ".csv", ".json"):
        raise fail(cli_message("out-suffix", message_lang(), out=target))
    if sheet.is_dir():
        raise fail(cli_message("sheet-is-folder", message_lang(), sheet=sheet))
    refuse_input(target, [sheet, adjust])
    if not dry_run:
        refuse_existing(target, force)
    from svcperf.batch import strict_refusal

    book = _prefetch(sheet)
    from svcperf.api import rank_sheet, split_folder, write_by_group
    from svcperf.cli.render import print_run
    from svcperf.io.write import write_result

    if adjust is not None:
        from svcperf.cli import calibrate

        with plain_errors():  # a bad adjustment: exit 2, and nothing is written
            folder = split_folder(target, split[1]) if split[0] and not dry_run else None
            run, before, chosen = calibrate.rank_adjusted(book, rules, adjust, params, lang,
                                                          period, skip_hidden)
            keep = not dry_run and not (strict and run.rejected)
            groups = write_by_group(run, target, folder) if folder is not None and keep else []
            written = write_result(run, target) if keep else None
        if strict and run.rejected:  # refused: nothing written, no grades shown
            raise fail(strict_refusal(sheet, run.rejected))
        calibrate.print_adjusted(_console(), run, before, written, chosen.said(lang), dry_run,
                                 quiet)
        _print_groups(folder if keep else None, groups, quiet, lang)
        return run.exit_code
    with plain_errors():
        folder = split_folder(target, split[1]) if split[0] and not dry_run else None
        run, chosen = rank_sheet(book, rules, params, lang, period, skip_hidden)
    how = chosen.said(lang)
    if strict and run.rejected:  # refused: nothing written, no grades shown
        raise fail(strict_refusal(sheet, run.rejected))
    with plain_errors():  # the group workbooks first: a rule set without groups writes nothing
        groups = write_by_group(run, target, folder) if folder is not None else []
        written = None if dry_run else write_result(run, target)
    print_run(_console(), run, written, how, dry_run=dry_run, quiet=quiet)
    _print_groups(folder, groups, quiet, lang)
    return run.exit_code


def _print_groups(folder: Path | None, groups: list[Path], quiet: bool, lang: str = "en") -> None:
    if folder is not None and not quiet:
        _console().print("  " + cli_message("written-groups", lang, path=printable(str(folder)),
                                            n=len(groups)), markup=False)


def _rank_batch(files: list[Path], missing: list[Any], rules: str | None, out_dir: Path | None,
                suffix: str, params: dict[str, str], lang: str, jobs: int, force: bool,
                summary_path: Path | None, quiet: bool,
                skip_hidden: bool, strict: bool = False, dry_run: bool = False,
                split: tuple[bool, Path | None] = (False, None),
                period: str | None = None, combined: Path | None = None
                ) -> tuple[int, list[Any]]:
    import json

    from svcperf.batch import (
        Job,
        Outcome,
        default_workers,
        exit_code,
        output_paths,
        rank_many,
        split_dir,
        summary,
    )
    from svcperf.cli.render import BatchProgress, print_batch
    from svcperf.io.files import atomic_path

    if rules:  # a broken rule set is one error, not one per file
        named_rules(rules)
    with plain_errors():  # two inputs for one output: refused before anything is written
        outs = output_paths(files, out_dir, suffix, message_lang())
    for option, path in (("--summary", summary_path), ("--combined", combined)):
        if path is not None:
            refuse_batch_output(path, files, outs, option)
    work = [Job(f, o, rules, params, lang, skip_hidden, split_dir=split_dir(o, *split),
                strict=strict, dry_run=dry_run, period=period)
            for f, o in zip(files, outs, strict=True)]
    folders = [j.split_dir.resolve() for j in work if j.split_dir is not None]
    if len(set(folders)) < len(folders):  # a/march.xlsx and b/march.xlsx with one --split-dir
        raise fail(cli_message("split-dir-shared", message_lang(), folder=split[1]))
    console = _console()
    with plain_errors(), BatchProgress(console, len(work), quiet, lang) as progress:
        outcomes = rank_many(work, jobs or default_workers(), force, progress.done)
    outcomes += [Outcome(str(m.path), "failed", 2, message=m.message(lang)) for m in missing]
    print_batch(console, outcomes, quiet, lang)
    for o in outcomes:  # every file that failed, with its reason, on stderr
        if o.status == "failed":
            say_error(o.message if o.message.startswith(o.file) else f"{o.file}: {o.message}")
    if summary_path:
        with plain_errors(), atomic_path(summary_path) as tmp:
            tmp.write_text(json.dumps(summary(outcomes), ensure_ascii=False, indent=1), "utf-8")
    return exit_code(outcomes), outcomes


@app.command(cls=ContractCommand)
def validate(
    sheets: Annotated[list[str], typer.Argument(
        parser=named, metavar="SHEET...", help="Score sheets, folders of them, or glob patterns.",
        show_default=False)],
    rules: RulesOpt = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", callback=choice("table", "json"),
        help="table (for people) or json (the report, on stdout).")] = "table",
    max_issues: Annotated[int, typer.Option(
        "--max-issues", metavar="N", parser=whole_number, callback=at_least(0),
        help="Print at most N issues per file, errors first (all are counted).")] = 200,
    lang: LangOpt = "",
    skip_hidden: SkipHiddenOpt = False,
) -> None:
    """Check sheets and list every problem with its cell and a fix.

    Each sheet is checked against --rules, else the rule set chosen for it.

    Exit 0: valid; 1: data problems; 2: a file, the rule set or the options could not be used.

    Example:

    \b
        svcperf validate sheet.xlsx --rules tiered-service
        svcperf validate submissions/ --format json > report.json
    """
    from svcperf.batch import expand_inputs

    lang = lang or _default_lang()
    paths, missing = expand_inputs(sheets)
    unusable = {Path(m.path): m.message(lang) for m in missing}
    # the first sheet parses while the checks and the rule set load
    first = _prefetch(paths[0]) if paths and not unusable else None
    from svcperf.api import validate_files

    if rules:  # a broken rule set is one error, not one per file
        named_rules(rules)
    with plain_errors():
        report = validate_files([*unusable, *paths], rules, lang, unusable,
                                first if not isinstance(first, Path) else None, skip_hidden)
    if output_format == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        from svcperf.cli.render import print_report

        print_report(_console(), report, max_issues, lang)
    raise typer.Exit(report.exit_code)


rules_app = typer.Typer(cls=ContractGroup, help="List, show and check rule sets.",
                        no_args_is_help=True,
                        context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(rules_app, name="rules")


@rules_app.command("check", cls=ContractCommand)
def rules_check(path: Annotated[list[str], typer.Argument(
        parser=named, metavar="FILE...", help="Rule files (or shipped rule-set names) to check.",
        autocompletion=complete_rules)], lang: LangOpt = "") -> None:
    """Check rule files; print every problem as file:line key: message.

    Exit 0 when every file is a usable rule set, else 2.

    Example:

    \b
        svcperf rules check my-rules.yaml
    """
    from svcperf.rules.load import RulesError, load_rules

    bad = 0
    for p in path:
        try:
            rs = load_rules(p)
            _console().print(f"ok: {printable(str(p))} ({printable(rs.name)})", markup=False)
        except RulesError as ex:
            bad += 1
            for problem in ex.said(message_lang()):
                say_error(problem)
    raise typer.Exit(2 if bad else 0)


@rules_app.command("show", cls=ContractCommand)
def rules_show(name: Annotated[str, typer.Argument(
        parser=named, metavar="RULES", help="A rule file or shipped rule set name.",
        autocompletion=complete_rules)], lang: LangOpt = "") -> None:
    """Print a rule set readably: fields, items, bands, quotas.

    Example:

    \b
        svcperf rules show gas-service-center --lang zh
    """
    from svcperf.cli.render import print_rules
    from svcperf.rules.load import RulesError, load_rules

    try:
        rules = load_rules(name)
    except RulesError as ex:
        raise rules_failed(ex) from None
    print_rules(_console(), rules, lang or _default_lang())


@rules_app.command("list", cls=ContractCommand)
def rules_list() -> None:
    """List the shipped rule sets.

    Example:

    \b
        svcperf rules list
    """
    from svcperf.rules.load import load_rules, shipped_rule_files

    for p in shipped_rule_files():
        rs = load_rules(p)
        _console().print(f"{p.stem:28} {printable(rs.title or '')}", markup=False)


@app.command(cls=ContractCommand)
def rollup(
    files: Annotated[list[Path], typer.Argument(
        parser=named_path, metavar="FILE...",
        help="Monthly results (ranked workbooks) or monthly input sheets, "
        "any order.", show_default=False)],
    rules: Annotated[str, typer.Option(
        "--rules", "-r", parser=named, metavar="RULES", autocompletion=complete_rules,
        help="Rule file or shipped rule set.")],
    period: Annotated[str | None, typer.Option(
        "--period", metavar="PERIOD", callback=period_upper,
        help="2026Q1, 2026H1 … Default: from the months given. Earlier months feed streaks only.")
    ] = None,
    month: Annotated[list[str] | None, typer.Option(
        "--month", metavar="YYYY-MM", callback=calendar_months, help="The month of each file "
        "(2026-01), in the same order, when the files do not say.")] = None,
    ledger: Annotated[Path | None, typer.Option(
        "--ledger", parser=named_path, metavar="FILE",
        help="Points ledger (.xlsx) to carry balances and streaks; "
        "created if missing, updated atomically.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", parser=named_path, metavar="FILE", help="Output .xlsx, .csv or .json. Default: "
        "<period>.rollup.xlsx beside the first file.")] = None,
    lang: LangOpt = "",
    force: ForceOpt = False,
) -> None:
    """Roll monthly results up into a quarter or half-year.

    Composite, grade, eligibility, points with carry-over (a ledger), and
    streak consequences.

    Exit 0 on success; 1 when a month of the period has no file, or a month's
    sheet rejected rows (the output is written); 2 when a file, the months, the
    ledger or the rule set cannot be used.

    Example:

    \b
        svcperf rollup jan.ranked.xlsx feb.ranked.xlsx mar.ranked.xlsx \\
            --rules ambassador-circle --period 2026Q1 \\
            --ledger points.xlsx -o q1.xlsx
    """
    from svcperf.api import rollup_files
    from svcperf.io.ledger import LedgerError, locked, write_ledger
    from svcperf.io.write import write_rollup
    from svcperf.rules.load import resolve

    lang = lang or _default_lang()
    ruleset = named_rules(rules)
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv", ".json"):
        raise fail(cli_message("out-suffix", message_lang(), out=out))
    if ledger is not None and ledger.suffix.lower() != ".xlsx":
        raise fail(cli_message("ledger-suffix", message_lang(), ledger=ledger))
    if ledger is not None:
        refuse_input(ledger, files, "--ledger")
    if out is not None:
        refuse_input(out, [*files, ledger])
    try:
        with plain_errors(), locked(ledger):  # read, update and write the ledger as one
            run = rollup_files(files, ruleset, str(resolve(rules)), period, month, ledger, lang)
            target = out or files[0].with_name(f"{run.period}.rollup.xlsx")
            if out is None:  # a given -o is checked above, before anything is read
                refuse_input(target, [*files, ledger])
            refuse_existing(target, force)
            if run.ledger is not None:  # the ledger first: no output claims points it lacks
                write_ledger(run.ledger, ruleset.language)
            write_rollup(run, target)
    except LedgerError as ex:
        raise fail(said(ex)) from None
    frame = run.result.frame
    console = _console()
    sep = cli_message("sep", lang)
    console.print(cli_message("rollup-summary", lang, period=run.period, people=len(frame),
                              n=len(run.months), months=sep.join(m.label for m in run.months),
                              eligible=int(frame["eligible"].sum()),
                              points=f"{frame['points_earned'].sum():g}"), markup=False)
    for notice in run.notices:
        console.print(cli_message("rollup-notice", lang, notice=printable(notice.render(lang))),
                      markup=False)
    consequences = frame["consequence"].dropna().value_counts()
    if len(consequences):
        console.print("  " + sep.join(f"{k} {v}" for k, v in consequences.items()), markup=False)
    kept = cli_message("rollup-ledger", lang, path=run.ledger.path) if run.ledger else ""
    console.print(cli_message("rollup-written", lang, path=target, ledger=kept), markup=False)
    # a month with no file, or rows a month rejected, is a data problem
    raise typer.Exit(1 if run.result.gaps or any(m.rejected or m.other_rules
                                                 for m in [*run.months, *run.history])
                     else 0)


@app.command(cls=ContractCommand)
def template(
    rules: Annotated[str, typer.Option(
        "--rules", "-r", parser=named, metavar="RULES", autocompletion=complete_rules,
        help="Rule file or shipped rule set.")],
    out: Annotated[Path, typer.Option("--out", "-o", parser=named_path, metavar="FILE",
                                      help="The blank workbook (.xlsx) to write.")],
    rows: Annotated[int, typer.Option(
        "--rows", metavar="N", parser=whole_number,
        callback=at_least(1, most=1_048_575),  # a sheet's rows, less the header
        help="Rows that get drop-downs and range checks.")] = 1000,
    force: ForceOpt = False,
    adjust: Annotated[bool, typer.Option(
        "--adjust", metavar="", help="Write the blank adjustments file (for rank --adjust) "
        "instead.")] = False,
) -> None:
    """Write the blank sheet a branch fills in.

    Headers, drop-downs, ranges, hints and an instructions sheet, matching
    what validate accepts.

    Example:

    \b
        svcperf template --rules tiered-service -o blank.xlsx
    """
    from svcperf.io.template import write_template

    ruleset = named_rules(rules)
    if out.suffix.lower() != ".xlsx":
        raise fail(cli_message("template-suffix", message_lang(), out=out))
    refuse_existing(out, force)
    with plain_errors():
        if adjust:
            from svcperf.cli.calibrate import write_template as write_adjustments

            write_adjustments(ruleset, out)
        else:
            write_template(ruleset, out, rows)
    _console().print(cli_message("written", message_lang(), path=printable(str(out))),
                     markup=False)


@app.command(cls=ContractCommand)
def diff(
    old: Annotated[Path, typer.Argument(parser=named_path, metavar="OLD", show_default=False,
                                        help="The earlier result (.xlsx, .csv or .json).")],
    new: Annotated[Path, typer.Argument(parser=named_path, metavar="NEW", show_default=False,
                                        help="The later result (.xlsx, .csv or .json).")],
    rules: RulesOpt = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", callback=choice("table", "json"),
        help="table (for people) or json (the diff, on stdout).")] = "table",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", parser=named_path, metavar="FILE", help="Also write the diff as this .xlsx workbook.")
    ] = None,
    lang: LangOpt = "",
    force: ForceOpt = False,
) -> None:
    """Show what changed between two ranked results.

    People added and removed, and everyone else's changes of score, grade,
    rank, group rank, incentive and movement, each with the new run's reason.

    Exit 0: nothing changed; 1: something did; 2: a result could not be read.

    Example:

    \b
        svcperf diff march.ranked.xlsx march.appeal.ranked.xlsx
        svcperf diff feb.ranked.json mar.ranked.csv --format json
    """
    from svcperf.cli.calibrate import run_diff

    if out is not None and out.suffix.lower() != ".xlsx":
        raise fail(cli_message("diff-suffix", message_lang(), out=out))
    if out is not None:
        refuse_input(out, [old, new])
        refuse_existing(out, force)
    with plain_errors():
        code = run_diff(old, new, rules, output_format, out, lang or _default_lang(), _console())
    raise typer.Exit(code)


@app.command(cls=ContractCommand)
def init(
    sheet: Annotated[Path, typer.Argument(
        parser=named_path, metavar="SHEET", help="A filled-in sheet to draft the rule set from.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", parser=named_path, metavar="FILE",
        help="Rule file to write (default: print it).")] = None,
    name: Annotated[str | None, typer.Option(
        "--name", metavar="NAME", help="Rule set name (default: the sheet's name).")] = None,
    force: ForceOpt = False,
) -> None:
    """Draft a rule set from a sheet's headers.

    Types, ranges and allowed values are guessed from the data; add the items,
    bands and quotas, then run `svcperf rules check`.

    Example:

    \b
        svcperf init march.xlsx -o rules/march.yaml
    """
    from svcperf.core.sheets import is_instructions
    from svcperf.io.files import atomic_path
    from svcperf.io.read import UnreadableFile, open_book
    from svcperf.rules.draft import draft_book
    from svcperf.rules.load import shipped_rule_files

    if sheet.is_dir():
        raise fail(cli_message("init-folder", message_lang(), sheet=sheet,
                               example=sheet / "march.xlsx"))
    if out is not None:
        refuse_input(out, [sheet])
        refuse_existing(out, force)
    try:
        book = open_book(sheet)
        grids = [(ws.name, book.rows(ws.name)) for ws in book.worksheets
                 if not is_instructions(ws.name)]
    except UnreadableFile as ex:
        raise fail(ex.message(message_lang())) from None
    data = [(n, g) for n, g in grids if sum(any(v not in ("", None) for v in row)
                                            for row in g) >= 2]  # a header and a row at least
    lang = message_lang()
    if not data:
        raise fail(cli_message("init-no-data", lang, sheet=sheet))
    shipped = {p.stem for p in shipped_rule_files()}
    draft_name = name or sheet.stem
    if draft_name in shipped and name is None:  # never a shipped rule set's name
        draft_name += "-draft"
    elif draft_name in shipped:
        raise fail(cli_message("init-shipped-name", lang, name=draft_name))
    text = draft_book(data, draft_name)
    sheets = cli_message("sep", lang).join(n for n, _ in data)
    parts = cli_message("init-sheets", lang, n=len(data), sheets=sheets) if len(data) > 1 else \
        cli_message("init-sheet", lang, sheets=sheets)
    note = cli_message("init-drafted", lang, name=draft_name, parts=parts)
    sys.stderr.write(f"svcperf: note: {note}\n")  # the prefix is the contract's, as error's
    if out is None:
        sys.stdout.write(text)
        return
    with plain_errors(), atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    _console().print(cli_message("init-written", lang, out=out), markup=False)


app.command(cls=ContractCommand)(explain)  # svcperf explain SHEET ID (cli/explain.py)


def run() -> None:
    """Run the app; no traceback ever reaches the user. kill (SIGTERM) stops every command as
    Ctrl-C does: the file being written is removed, "interrupted", exit 130."""
    from svcperf.io.files import install_term_handler

    install_term_handler()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write(error_line("interrupted; no output was left half-written") + "\n")
        sys.exit(130)
    except SystemExit:
        raise
    except OSError as ex:  # a name too long, a folder it may not write: outside any command's own
        sys.stderr.write(error_line(os_error(ex, message_lang())) + "\n")
        sys.exit(2)
    except Exception as ex:  # the last guard: a bug must still not show a traceback
        from svcperf.rules.load import RulesError

        if isinstance(ex, RulesError):
            sys.exit(rules_failed(ex).exit_code)
        if os.environ.get("SVCPERF_DEBUG"):
            raise
        sys.stderr.write(error_line(
            f"internal error: {type(ex).__name__}: {ex}. Nothing was overwritten; please report "
            "this with the file (set SVCPERF_DEBUG=1 for details)") + "\n")
        sys.exit(2)
