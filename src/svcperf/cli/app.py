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
from svcperf.text import printable

app = typer.Typer(
    name="svcperf",
    help="Turn monthly service score sheets into validated scores, grades, quotas and ranks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

RulesOpt = Annotated[str | None, typer.Option(
    "--rules", "-r", help="Rule file, or the name of a shipped rule set (tiered-service). "
    "Default: svcperf.yaml beside the sheet, else the shipped rule set whose headers match.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of messages: en or zh.")]
SkipHiddenOpt = Annotated[bool, typer.Option(
    "--skip-hidden", help="Leave hidden rows out (listed) instead of reading them with a warning.")]


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


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a plain error on stderr and return the Exit to raise."""
    from rich.markup import escape

    _console(stderr=True).print(f"[bold red]error:[/] {escape(printable(message))}",
                                highlight=False)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        print(f"svcperf {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Show the version and exit.")] = False,
          limit: Annotated[list[str] | None, typer.Option(
              "--limit", metavar="NAME=N", help="Raise a limit on what a file may hold, for a "
              "genuine file refused as too big: cells, member, total, ratio or parts (see the "
              "README, Limits and safety), e.g. --limit cells=60000000.")] = None,
          ) -> None:
    """svcperf: service score sheets in, grades, quotas, ranks and result workbooks out."""
    if limit:
        from svcperf.io.package import set_limits

        try:
            set_limits(limit)
        except ValueError as ex:
            raise fail(str(ex)) from None


def rules_failed(ex: Any) -> typer.Exit:
    """Print every problem of a broken rule set (file:line key: message); exit 2."""
    for problem in ex.problems:
        _console(stderr=True).print(f"rules error: {printable(problem)}", markup=False,
                                    soft_wrap=True)
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
    except (FileError, ValueError) as ex:  # ValueError: a missing or unknown --month
        raise fail(str(ex)) from None
    except OSError as ex:  # a read-only folder, a full disk: the path and the fix, no traceback
        where = f"{ex.filename}: " if ex.filename else ""
        raise fail(f"{where}cannot be written ({ex.strerror or ex}); check that the folder "
                   "exists and is writable and that the disk has room, or write elsewhere "
                   "with -o") from None


def named_rules(given: str) -> Any:
    """The rule set --rules names; a broken one prints its problems, exit 2."""
    from svcperf.rules.load import load_rules, resolve

    with plain_errors():
        return load_rules(resolve(given))


@app.command()
def rank(
    sheets: Annotated[list[str], typer.Argument(
        help="Score sheets (.xlsx .xlsm .xls .xlsb .ods .csv), folders of them, or glob "
             "patterns.", show_default=False)],
    rules: RulesOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output file for one sheet; .xlsx, .csv or .json by suffix. "
        "Default: <sheet>.ranked.xlsx beside the sheet.")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out-dir", help="Folder for the outputs (<sheet>.ranked.xlsx each).")] = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help="Output type with --out-dir or several sheets: xlsx, csv, json.")
    ] = "xlsx",
    month: Annotated[str | None, typer.Option(help="Month, for rule sets with monthly targets.")] = None,
    period: Annotated[str | None, typer.Option(
        help="The month these results are for (2026-01), kept for roll-ups. Default: from the "
             "file name.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show grade head counts per group; "
                                          "write nothing (one sheet).")] = False,
    strict: Annotated[bool, typer.Option(help="Refuse to rank a sheet with any error (one sheet).")
                      ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Sheets ranked in parallel "
                                      "processes (default: the number of cores).")] = 0,
    force: Annotated[bool, typer.Option(help="Rank again even where the output is up to date.")
                     ] = False,
    summary: Annotated[Path | None, typer.Option(
        "--summary", help="Write a JSON summary of every file to this path.")] = None,
    combined: Annotated[Path | None, typer.Option(
        "--combined", help="Also rank all the sheets together as one population into this "
        "workbook (with a Batch sheet listing every file).")] = None,
    lang: LangOpt = "",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    skip_hidden: SkipHiddenOpt = False,
) -> None:
    """Rank score sheets and write result workbooks.

    Every input row ends up ranked or in Rejected with its reasons.
    Exit 0: all rows ranked; 1: some rows rejected (the outputs are still written);
    2: a file, the rule set or the options could not be used. With several sheets one bad
    file never stops the others; the exit code is the worst of them.

    Example:

        svcperf rank examples/tiered-service.xlsx

        svcperf rank march.xlsx --rules data-submission --month 9 -o march.csv

        svcperf rank submissions/ --out-dir results/ --summary results/summary.json
    """
    from svcperf.batch import expand_inputs

    lang = lang or _default_lang()
    params = {"month": month} if month is not None else {}
    files, missing = expand_inputs(sheets)
    if len(sheets) == len(files) == 1 and not missing and not Path(sheets[0]).is_dir() \
            and out_dir is None and summary is None and combined is None:
        raise typer.Exit(_rank_one(files[0], rules, out, params, lang, dry_run, strict, quiet,
                                   _month_of(period), skip_hidden))
    if period is not None:
        raise fail("--period takes one sheet; name batch files with their month instead")
    if out is not None:
        raise fail("--out takes one sheet; with several use --out-dir (and --format)")
    if dry_run or strict:
        raise fail("--dry-run and --strict take one sheet")
    if output_format not in ("xlsx", "csv", "json"):
        raise fail(f"--format {output_format!r}: use xlsx, csv or json")
    code, outcomes = _rank_batch(files, missing, rules, out_dir, f".{output_format}", params,
                                 lang, jobs, force, summary, quiet, skip_hidden)
    if combined is not None:
        code = max(code, _rank_combined(files, rules, combined, params, lang, quiet, outcomes,
                                        skip_hidden))
    raise typer.Exit(code)


def _month_of(period: str | None) -> str | None:
    """--period as 2026-01 (None when not given); anything else is a usage error."""
    from svcperf.months import parse_month

    if period is None:
        return None
    month = parse_month(period)
    if month is None:
        raise fail(f"--period {period!r}: write the month as 2026-01")
    return month


def _rank_combined(files: list[Path], rules: str | None, out: Path, params: dict[str, str],
                   lang: str, quiet: bool, outcomes: list[Any], skip_hidden: bool) -> int:
    """All sheets as one population; the Batch sheet lists every file and its own result."""
    from svcperf.api import choose_rules, open_sheet, rank_together
    from svcperf.batch import summary
    from svcperf.cli.render import print_run
    from svcperf.io.write import write_result

    if not files:
        raise fail("--combined: no sheets to rank")
    with plain_errors():
        chosen = choose_rules(open_sheet(files[0]), rules)
        run, left_out = rank_together(files, chosen.rules, chosen.source, params, lang,
                                      skip_hidden)
    batch = summary(outcomes)["files"]
    why_left_out = {str(path): why for path, why in left_out}
    for entry in batch:
        why = why_left_out.get(entry["file"])
        entry["combined"] = f"left out: {why}" if why else "ranked together"
    with plain_errors():
        write_result(run, out, batch)
    print_run(_console(), run, out, chosen.how + ", all sheets together", dry_run=False,
              quiet=quiet)
    for _, why in left_out:
        _console(stderr=True).print(f"left out of --combined: {printable(why)}", markup=False,
                                    soft_wrap=True)
    return 2 if left_out else run.exit_code


def _prefetch(sheet: Path) -> Any:
    """The sheet opened and being parsed (Book.prefetch) while the ranking modules load; the
    sheet's path when it cannot be opened (the API then says why)."""
    from svcperf.io.read import UnreadableFile, open_book

    try:
        return open_book(sheet).prefetch()
    except UnreadableFile:
        return sheet


def _rank_one(sheet: Path, rules: str | None, out: Path | None, params: dict[str, str],
              lang: str, dry_run: bool, strict: bool, quiet: bool, period: str | None,
              skip_hidden: bool) -> int:
    target = out or sheet.with_name(f"{sheet.stem}.ranked.xlsx")
    if target.suffix.lower() not in (".xlsx", ".csv", ".json"):
        raise fail(f"--out {target}: use a .xlsx, .csv or .json file name")
    if sheet.exists() and target.exists() and target.resolve() == sheet.resolve():
        raise fail(f"--out {target} is the input sheet; the input is never overwritten")
    from svcperf.batch import install_term_handler

    install_term_handler()  # kill (SIGTERM) stops as Ctrl-C does: no temporary file left
    book = _prefetch(sheet)
    from svcperf.api import rank_sheet
    from svcperf.cli.render import print_run
    from svcperf.io.write import write_result

    with plain_errors():
        run, chosen = rank_sheet(book, rules, params, lang, period, skip_hidden)
    how = chosen.how
    if strict and run.rejected:
        print_run(_console(), run, None, how, dry_run=False, quiet=quiet)
        raise fail(f"{sheet}: {run.rejected} rows have errors; --strict refuses to rank it", 1)
    with plain_errors():
        written = None if dry_run else write_result(run, target)
    print_run(_console(), run, written, how, dry_run=dry_run, quiet=quiet)
    return run.exit_code


def _rank_batch(files: list[Path], missing: list[str], rules: str | None, out_dir: Path | None,
                suffix: str, params: dict[str, str], lang: str, jobs: int, force: bool,
                summary_path: Path | None, quiet: bool,
                skip_hidden: bool) -> tuple[int, list[Any]]:
    import json

    from svcperf.batch import (
        Job,
        Outcome,
        default_workers,
        exit_code,
        install_term_handler,
        output_paths,
        rank_many,
        summary,
    )
    from svcperf.cli.render import BatchProgress, print_batch
    from svcperf.io.files import atomic_path

    if rules:  # a broken rule set is one error, not one per file
        named_rules(rules)
    install_term_handler()
    with plain_errors():  # two inputs for one output: refused before anything is written
        outs = output_paths(files, out_dir, suffix)
    work = [Job(f, o, rules, params, lang, skip_hidden) for f, o in zip(files, outs, strict=True)]
    console = _console()
    with BatchProgress(console, len(work), quiet) as progress:
        outcomes = rank_many(work, jobs or default_workers(), force, progress.done)
    outcomes += [Outcome(m.split(":")[0], "failed", 2, message=m) for m in missing]
    print_batch(console, outcomes, quiet)
    if summary_path:
        with plain_errors(), atomic_path(summary_path) as tmp:
            tmp.write_text(json.dumps(summary(outcomes), ensure_ascii=False, indent=1), "utf-8")
    return exit_code(outcomes), outcomes


@app.command()
def validate(
    sheets: Annotated[list[str], typer.Argument(
        help="Score sheets, folders of them, or glob patterns.", show_default=False)],
    rules: RulesOpt = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    max_issues: Annotated[int, typer.Option(help="Print at most this many issues per file "
                                            "(all are counted).")] = 200,
    lang: LangOpt = "",
    skip_hidden: SkipHiddenOpt = False,
) -> None:
    """Check sheets against a rule set and list every problem with its cell and a fix.

    Exit 0: valid; 1: data problems; 2: a file, the rule set or the options could not be used.

    Example:

        svcperf validate sheet.xlsx --rules tiered-service

        svcperf validate submissions/ --format json > report.json
    """
    from svcperf.batch import expand_inputs

    if output_format not in ("table", "json"):
        raise fail(f"--format {output_format!r}: use table or json")
    lang = lang or _default_lang()
    paths, missing = expand_inputs(sheets)
    unusable = {Path(m.split(":")[0]): m for m in missing}
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

        print_report(_console(), report, max_issues)
    raise typer.Exit(report.exit_code)


rules_app = typer.Typer(help="List, show and check rule sets.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def rules_check(path: Annotated[list[str], typer.Argument(help="Rule files to check.")]) -> None:
    """Check rule files; print every problem as file:line key: message.

    Example:

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
            for problem in ex.problems:
                _console(stderr=True).print(printable(problem), markup=False)
    raise typer.Exit(2 if bad else 0)


@rules_app.command("show")
def rules_show(name: Annotated[str, typer.Argument(help="A rule file or shipped rule set name.")]
               ) -> None:
    """Print a rule set as a person would check it: fields, items, bands, quotas.

    Example:

        svcperf rules show gas-service-center
    """
    from svcperf.cli.render import print_rules
    from svcperf.rules.load import RulesError, load_rules

    try:
        rules = load_rules(name)
    except RulesError as ex:
        raise rules_failed(ex) from None
    print_rules(_console(), rules)


@rules_app.command("list")
def rules_list() -> None:
    """List the shipped rule sets.

    Example:

        svcperf rules list
    """
    from svcperf.rules.load import load_rules, shipped_rule_files

    for p in shipped_rule_files():
        rs = load_rules(p)
        _console().print(f"{p.stem:28} {printable(rs.title or '')}", markup=False)


@app.command()
def rollup(
    files: Annotated[list[Path], typer.Argument(
        help="Monthly results (ranked workbooks) or monthly input sheets, any order.",
        show_default=False)],
    rules: Annotated[str, typer.Option("--rules", "-r", help="Rule file or shipped rule set.")],
    period: Annotated[str | None, typer.Option(
        help="2026Q1, 2026H1 … Default: from the months given. Earlier months feed streaks only.")
    ] = None,
    month: Annotated[list[str] | None, typer.Option(
        "--month", help="The month of each file, in the same order (when the files do not say).")
    ] = None,
    ledger: Annotated[Path | None, typer.Option(
        help="Points ledger (.xlsx) to carry balances and streaks; created if missing, updated "
             "atomically.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output .xlsx, .csv or .json. Default: <period>.rollup.xlsx beside "
        "the first file.")] = None,
    lang: LangOpt = "",
) -> None:
    """Roll monthly results up into a quarter or half-year: composite, grade, eligibility,
    points with carry-over, and streak consequences.

    Exit 0 on success; 2 when a file, the months, the ledger or the rule set cannot be used.

    Example:

        svcperf rollup jan.ranked.xlsx feb.ranked.xlsx mar.ranked.xlsx --rules ambassador-circle
        --period 2026Q1 --ledger points.xlsx -o q1.xlsx
    """
    from svcperf.api import rollup_files
    from svcperf.io.ledger import LedgerError, locked, write_ledger
    from svcperf.io.write import write_rollup
    from svcperf.rules.load import resolve

    lang = lang or _default_lang()
    ruleset = named_rules(rules)
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv", ".json"):
        raise fail(f"--out {out}: use a .xlsx, .csv or .json file name")
    try:
        with plain_errors(), locked(ledger):  # read, update and write the ledger as one
            run = rollup_files(files, ruleset, str(resolve(rules)), period, month, ledger, lang)
            target = out or files[0].with_name(f"{run.period}.rollup.xlsx")
            if run.ledger is not None:  # the ledger first: no output claims points it lacks
                write_ledger(run.ledger)
            write_rollup(run, target)
    except LedgerError as ex:
        raise fail(str(ex)) from None
    frame = run.result.frame
    console = _console()
    console.print(f"{run.period}: {len(frame)} people from {len(run.months)} months "
                  f"({', '.join(m.label for m in run.months)}); "
                  f"{int(frame['eligible'].sum())} eligible, "
                  f"{frame['points_earned'].sum():g} points earned", markup=False)
    for notice in run.notices:
        console.print(f"  notice: {printable(notice)}", markup=False)
    consequences = frame["consequence"].dropna().value_counts()
    if len(consequences):
        console.print("  " + ", ".join(f"{k} {v}" for k, v in consequences.items()), markup=False)
    console.print(f"  written: {target}" + (f"; ledger: {run.ledger.path}" if run.ledger else ""),
                  markup=False)


@app.command()
def template(
    rules: Annotated[str, typer.Option("--rules", "-r", help="Rule file or shipped rule set.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The blank workbook to write.")],
    rows: Annotated[int, typer.Option(help="Rows that get drop-downs and range checks.")] = 1000,
) -> None:
    """Write the blank sheet a branch fills in: headers, drop-downs, ranges, hints, instructions.

    Example:

        svcperf template --rules tiered-service -o blank.xlsx
    """
    from svcperf.io.template import write_template

    ruleset = named_rules(rules)
    if out.suffix.lower() != ".xlsx":
        raise fail(f"--out {out}: a template is an .xlsx workbook")
    with plain_errors():
        write_template(ruleset, out, rows)
    _console().print(f"written: {out}")


@app.command()
def init(
    sheet: Annotated[Path, typer.Argument(help="A filled-in sheet to draft the rule set from.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Rule file to write "
                                             "(default: print it).")] = None,
    name: Annotated[str | None, typer.Option(help="Rule set name (default: the sheet's name).")
                    ] = None,
) -> None:
    """Draft a rule set from a sheet's headers, with types guessed from the data.

    Example:

        svcperf init march.xlsx -o rules/march.yaml
    """
    from svcperf.io.files import atomic_path
    from svcperf.io.read import UnreadableFile, open_book
    from svcperf.rules.draft import draft_rules

    try:
        book = open_book(sheet)
        first = book.worksheets[0].name
        text = draft_rules(book.rows(first), name or sheet.stem)
    except UnreadableFile as ex:
        raise fail(str(ex)) from None
    if out is None:
        sys.stdout.write(text)
        return
    if out.exists():
        raise fail(f"{out} exists; choose another name (a rule file is never overwritten)")
    with plain_errors(), atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    _console().print(f"written: {out} — add items, bands and quotas, then "
                     f"`svcperf rules check {out}`")


def run() -> None:
    """Run the app; no traceback ever reaches the user."""
    try:
        app()
    except KeyboardInterrupt:
        _console(stderr=True).print("interrupted; no output was left half-written")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as ex:  # the last guard: a bug must still not show a traceback
        from svcperf.rules.load import RulesError

        if isinstance(ex, RulesError):
            sys.exit(rules_failed(ex).exit_code)
        if os.environ.get("SVCPERF_DEBUG"):
            raise
        _console(stderr=True).print(
            f"internal error: {type(ex).__name__}: {ex}. Nothing was overwritten. "
            "Please report this with the file (set SVCPERF_DEBUG=1 for details).", markup=False)
        sys.exit(2)
