"""The use-cases the command line and batch runs call: validate, rank, rank together, roll up.

Orchestration only: files are read and written by `io`, every step on the data is a pure
function of `core`, and what comes back is a `results` type or an `issues.Report`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from svcperf.core import sheets as sheets_of
from svcperf.core.table import locate, spans, unmerge
from svcperf.core.validate import Checked, TooManyErrors, check, missing_heads, zero_denominators
from svcperf.i18n import LABELS, SKIPPED, cli_message
from svcperf.io import ods
from svcperf.io.files import file_sha256
from svcperf.io.numfmt import percent_rows, shown_values
from svcperf.io.package import LIMITS, limit
from svcperf.io.read import Book, SheetInfo, UnreadableFile, open_book
from svcperf.issues import FileError, Issue, Report, Severity, make_issue
from svcperf.months import BadInput
from svcperf.results import ROW, PartResult, RollupRun, RunResult, Table
from svcperf.rules.model import RuleSet, SheetRules
from svcperf.rules.select import Chosen, choose
from svcperf.text import cell_text, column_letter, fold
from svcperf.why import Why


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def open_sheet(path: str | Path | Book, lang: str = "en") -> Book:
    """The workbook at path (or the Book already opened); FileError with one plain sentence
    in `lang` when it cannot be read."""
    if isinstance(path, Book):
        return path
    try:
        return open_book(path)
    except UnreadableFile as ex:
        raise FileError(ex.message(lang)) from None


def choose_rules(book: Book, given: str | None, lang: str = "en") -> Chosen:
    """The rule set for this workbook (see rules.select.choose); `lang` for why none fits."""
    try:
        return choose(book.path, given, lambda: [book.rows(s.name) for s in book.worksheets],
                      lang)
    except UnreadableFile as ex:  # a sheet over a limit, or one calamine cannot parse
        raise FileError(ex.message(lang)) from None


def resolve_params(rules: RuleSet, given: dict[str, str], lang: str = "en",
                   ) -> tuple[dict[str, str], dict[str, float]]:
    """Chosen parameter labels and their values; a missing or unknown choice is a usage error
    (BadInput, in `lang`)."""
    chosen, values = {}, {}
    for name, param in rules.params.items():
        label = given.get(name, param.default)
        forms = cli_message("month-forms", lang) if name == "month" else ""
        if label is None:
            raise BadInput(cli_message("param-missing", lang, rules=rules.name, name=name,
                                       values=", ".join(param.values), forms=forms))
        label = str(label).strip()
        if label not in param.values:
            raise BadInput(cli_message("param-unknown", lang, rules=rules.name, name=name,
                                       label=label, values=", ".join(param.values),
                                       forms=forms))
        chosen[name], values[name] = label, param.values[label]
    return chosen, values


# ---- reading a rule sheet's table -----------------------------------------------------------

def _candidates(book: Book, part: SheetRules, taken: set[str]) -> list[SheetInfo]:
    """The worksheets a rule sheet may be on: those it names (when it names any that exist),
    else every sheet not taken by another rule sheet."""
    sheets = [s for s in book.worksheets if s.name not in taken]
    if part.sheet:
        wanted = {fold(n) for n in part.sheet}
        named = [s for s in sheets if fold(s.name) in wanted]
        if named:
            return named
    return sheets


def load_table(book: Book, part: SheetRules, taken: set[str], lang: str,
               skip_hidden: bool = False, labels: str = "en",
               ) -> tuple[Table, Checked, list[sheets_of.Skipped]]:
    """Locate and check a rule sheet's table in the workbook: on the sheet or the sheets that
    hold it (several read together), and the other sheets with why not. FileError if absent.

    `lang` is the messages' language, `labels` the workbook's (the rule set's), which heads
    the sheet and source-row columns of sheets read together."""
    expected = ", ".join(repr(s.header[0]) for s in part.fields.values() if s.required)
    sheets = _candidates(book, part, taken)
    hidden = frozenset(s.name for s in sheets if not s.visible)
    skipped: list[sheets_of.Skipped] = []
    if skip_hidden and hidden:  # left out, as hidden rows are
        skipped += [sheets_of.Skipped(s.name, "hidden") for s in sheets if not s.visible]
        sheets = [s for s in sheets if s.visible]
    if not sheets:
        issue = make_issue("sheet-not-found", lang, file=str(book.path), extra={
            "expected": f"{part.key} (headers {expected})"})
        raise FileError(f"{book.path}: {issue.message}", [issue])
    book.prefetch()  # parse, and find error cells and hidden rows, beside what follows
    grids: dict[str, tuple[list[list[Any]], list[Any]]] = {}
    found: list[sheets_of.Found] = []
    for s in sheets:
        if len(sheets) > 1 and sheets_of.is_instructions(s.name):
            skipped.append(sheets_of.Skipped(s.name, "instructions"))
            continue
        grids[s.name] = unmerge(book.rows(s.name), book.merged(s.name))
        found.append(sheets_of.Found(s.name, locate(grids[s.name][0], part, str(book.path),
                                                    s.name, lang)))
    required = {k for k, f in part.fields.items() if f.required}
    chosen, others = sheets_of.choose(found, required, hidden)
    if not chosen:
        issue = make_issue("no-header-row", lang, file=str(book.path), sheet=sheets[0].name,
                           extra={"expected": expected})
        raise FileError(f"{book.path}: {issue.message}", [issue])
    if months := sheets_of.other_months(chosen):
        issue = make_issue("sheets-of-months", lang, file=str(book.path), extra={
            "sheets": cli_message("sep", lang).join(
                cli_message("sheet-month", lang, sheet=s, month=m if "-" in m else
                            cli_message("month-n", lang, n=m)) for s, m in months.items())})
        raise FileError(f"{book.path}: {issue.message}", [issue])
    loaded = [(f.name, _checked(book, f.name, f.table, grids[f.name], part, lang, skip_hidden))
              for f in chosen if f.table is not None]
    if len(loaded) == 1:
        return (*loaded[0][1], skipped + others)
    from svcperf.core.ranking import merge_tables

    heads = LABELS[labels]
    return (*merge_tables(loaded, part, lang, (heads["sheet"], heads["source_row"]),
                          file=str(book.path), by="sheet"), skipped + others)


def _sheets_not_read(book: Book, skipped: list[sheets_of.Skipped], taken: set[str],
                     lang: str) -> list[Issue]:
    """One issue per worksheet no rule sheet read: a warning when it seemed to hold people."""
    issues: dict[str, Issue] = {}
    for s in skipped:
        if s.name in taken or s.name in issues:
            continue
        why = SKIPPED[lang][s.why].format(people=s.people, detail=s.detail)
        issues[s.name] = make_issue("people-sheet-skipped" if s.people else "sheet-skipped",
                                    lang, file=str(book.path), sheet=s.name, extra={"why": why})
    return list(issues.values())


def _checked(book: Book, name: str, table: Table, grid: tuple[list[list[Any]], list[Any]],
             part: SheetRules, lang: str, skip_hidden: bool) -> tuple[Table, Checked]:
    """One sheet's table checked: merged cells, hidden rows, a hidden sheet and a web page
    noted (hidden rows left out with `skip_hidden`), every cell parsed."""
    cells, merged = grid
    hidden_rows = book.hidden_rows(name)
    hidden = [r for r in table.rows if r in hidden_rows] if hidden_rows else []
    if hidden and skip_hidden:
        table.rows = [r for r in table.rows if r not in hidden_rows]
        table.left_out["hidden"] = hidden
        table.issues.append(make_issue("hidden-rows-skipped", lang, file=str(book.path),
                                       sheet=name, rows=hidden, extra={
                                           "count": len(hidden), "rows": spans(hidden, lang)}))
    else:
        table.issues += [make_issue("hidden-row", lang, file=str(book.path), sheet=name, row=r,
                                    cell=f"A{r}") for r in hidden]
    if book.kind == "html":
        table.issues.append(make_issue("web-page", lang, file=str(book.path), sheet=name))
    if book.is_xlsx and part.id in table.columns:  # an id is the text the cell shows: 00124
        col = table.columns[part.id]
        shown = shown_values(book.path, name, col)
        if shown:
            cells = list(cells)  # the Book's rows stay as calamine read them
            for r, text in shown.items():
                if r - 1 < len(cells) and col < len(cells[r - 1]):
                    cells[r - 1] = [*cells[r - 1][:col], text, *cells[r - 1][col + 1:]]
    for (r0, c0), (r1, c1) in merged:
        if r1 >= table.header_row:  # inside the data, not a title block
            span = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            table.issues.append(make_issue("merged-cell", lang, file=str(book.path), sheet=name,
                                           cell=f"{column_letter(c0)}{r0 + 1}", value=span))
    if not next(s for s in book.sheets if s.name == name).visible:
        table.issues.append(make_issue("hidden-sheet", lang, file=str(book.path), sheet=name))
    units = {table.columns[k] for k, unit in table.units.items() if unit == "%" and k in table.columns}
    shown_as_percent = {} if not units else \
        percent_rows(book.path, name, units) if book.is_xlsx else \
        ods.percent_rows(book.path, name, units, len(cells)) if book.kind == "ods" else {}
    # (95% under 满意率(%) is 0.95, not 0.95%; .xls and .xlsb keep no such mark calamine gives)
    try:
        return table, check(cells, table, part, book.typed, lang, book.cell_errors(name),
                            shown_as_percent, limit("errors"))
    except TooManyErrors as ex:
        variable, default = LIMITS["errors"]
        issue = make_issue("too-many-errors", lang, file=str(book.path), sheet=name, extra={
            "limit": ex.limit, "first": f"{ex.first.cell} {ex.first.message}",
            "variable": variable, "default": default})
        raise FileError(f"{book.path}: {issue.message}", [issue]) from None


def load_parts(book: Book, rules: RuleSet, lang: str, need_headers: bool = True,
               skip_hidden: bool = False) -> list[tuple[Table, Checked]]:
    """Every rule sheet's table, each on its own worksheets; the sheets no rule sheet read are
    listed with why. With need_headers (ranking), a missing required column makes the file
    unusable: FileError."""
    taken: set[str] = set()
    skipped: list[sheets_of.Skipped] = []
    out = []
    for part in rules.parts:
        table, checked, others = load_table(book, part, taken, lang, skip_hidden, rules.language)
        taken.update(table.sheets)
        skipped += others
        if need_headers and table.unusable_headers:
            raise FileError(cli_message("sheet-headers", lang, path=book.path, sheet=table.sheet,
                                        problems=cli_message("and", lang).join(
                                            i.message for i in table.unusable_headers)),
                            table.unusable_headers)
        out.append((table, checked))
    notes = _sheets_not_read(book, skipped, taken, lang)
    out[0][0].issues.extend(notes)
    out[0][1].issues.extend(notes)
    return out


# ---- validate -------------------------------------------------------------------------------

def check_book(book: Book, rules: RuleSet, lang: str = "en", skip_hidden: bool = False) -> Report:
    """Validate one workbook against a rule set: every problem at once, as a Report."""
    report = Report()
    rows = 0
    try:
        loaded: dict[str, tuple[Table, Checked]] = {}
        parts = load_parts(book, rules, lang, need_headers=False, skip_hidden=skip_hidden)
        for part, (table, checked) in zip(rules.parts, parts, strict=True):
            rows += len(table.rows)
            report.add(checked.issues)
            report.add(missing_heads(part, table, checked, loaded, lang))
            report.add(zero_denominators(part, table, checked, lang))
            loaded[part.key] = (table, checked)
    except UnreadableFile as ex:
        report.add([make_issue("unreadable-file", lang, file=str(book.path),
                               extra={"hint": ex.message(lang)})])
    except FileError as ex:
        report.add(ex.issues)
    report.stats = _stats(report, rows)
    return report


def _stats(report: Report, rows: int) -> dict[str, Any]:
    errors = report.issues_of(Severity.ERROR)
    return {"files": 1, "rows": rows,
            "rows_with_errors": len({(i.sheet, i.row) for i in errors if i.row}),
            "errors": len(errors), "warnings": len(report.issues_of(Severity.WARNING)),
            "notices": len(report.issues_of(Severity.NOTICE))}


def check_file(path: str | Path, rules: RuleSet, lang: str = "en",
               skip_hidden: bool = False) -> Report:
    """Validate one sheet file against a rule set."""
    try:
        book = open_book(path)
    except UnreadableFile as ex:
        return _unusable(path, ex.message(lang), lang)
    return check_book(book, rules, lang, skip_hidden)


def _unusable(path: str | Path, why: str, lang: str) -> Report:
    report = Report()
    report.add([make_issue("unreadable-file", lang, file=str(path), extra={"hint": why})])
    report.stats = _stats(report, 0)
    return report


def validate_files(paths: list[Path], given: str | None, lang: str = "en",
                   unusable: dict[Path, str] | None = None, first: Book | None = None,
                   skip_hidden: bool = False) -> Report:
    """Validate many sheets into one Report; stats add up, `per_file` gives each one's verdict.

    Each sheet is checked against `given` (a rule file or shipped name), else the rule set
    chosen for it; `unusable` maps paths already known to be unusable to the reason; `first`
    is the first sheet already opened (and maybe prefetched) by the caller. While one sheet
    is checked, the next is parsed (Book.prefetch). A broken rule set raises RulesError.
    """
    total = Report()
    per_file = []
    unusable = unusable or {}
    usable = [p for p in paths if p not in unusable]
    books = iter(_prefetched(usable, first))
    for path in paths:
        name = None
        if path in unusable:
            one = _unusable(path, unusable[path], lang)
        else:
            try:
                book = next(books)
                if isinstance(book, UnreadableFile):
                    raise book
                chosen = choose_rules(book, given, lang)
                name = chosen.rules.name
                one = check_book(book, chosen.rules, lang, skip_hidden)
            except UnreadableFile as ex:
                one = _unusable(path, ex.message(lang), lang)
            except FileError as ex:
                one = _unusable(path, str(ex), lang)
        total.add(one.issues)
        per_file.append({"file": str(path), "valid": one.valid, "exit_code": one.exit_code,
                         "rule_set": name, **one.stats})
        for key, value in one.stats.items():
            total.stats[key] = total.stats.get(key, 0) + value
    total.stats["per_file"] = per_file
    return total


def _prefetched(paths: list[Path], first: Book | None) -> Iterator[Book | UnreadableFile]:
    """Each path's Book in turn, the next one parsing while the caller works on this one;
    for a file that cannot be opened, why."""
    ahead: Book | UnreadableFile | None = first if first is not None and paths and \
        first.path == paths[0] else None
    for n, path in enumerate(paths):
        current = ahead if ahead is not None else _try_open(path)
        ahead = _try_open(paths[n + 1], prefetch=True) if n + 1 < len(paths) else None
        yield current


def _try_open(path: Path, prefetch: bool = False) -> Book | UnreadableFile:
    try:
        book = open_book(path)
    except UnreadableFile as ex:
        return ex
    return book.prefetch() if prefetch else book


# ---- rank -----------------------------------------------------------------------------------

def rank_book(book: Book, rules: RuleSet, rules_source: str = "",
              params: dict[str, str] | None = None, lang: str = "en",
              period: str | None = None, skip_hidden: bool = False,
              words: str | None = None) -> RunResult:
    """Load, check, score, grade, distribute and rank every rule sheet of a workbook.

    `period` (the month, e.g. 2026-01) is recorded for roll-ups; by default it is read from
    the file name when the name holds one ('2026-01', '202601', '2026年1月'). `words` is the
    language of the grades' reasons (default: the rule set's).
    """
    from svcperf.core.ranking import rank_part  # pandas: only when ranking
    from svcperf.months import month_of_year, parse_month

    refuse_without_items(rules, rules_source)
    chosen, values = resolve_params(rules, params or {}, lang)
    started = _now()
    parts: list[PartResult] = []
    try:
        loaded = load_parts(book, rules, lang, skip_hidden=skip_hidden)
    except UnreadableFile as ex:  # a sheet over a limit, or one calamine cannot parse
        raise FileError(ex.message(lang)) from None
    for part, (table, checked) in zip(rules.parts, loaded, strict=True):
        parts.append(rank_part(part, table, checked, rules, values, parts, lang, words))
    named = parse_month(book.path.stem)
    if period is None and named and "month" in chosen and \
            chosen["month"] != str(month_of_year(named)):
        parts[0].issues.append(make_issue(  # 2026-09.xlsx ranked with month 10's targets
            "month-mismatch", lang, file=str(book.path), value=chosen["month"],
            extra={"named": named, "month": chosen["month"]}))
    return RunResult(rules, rules_source, book.path, file_sha256(book.path), chosen, parts,
                     started, lang, period or named)


def refuse_without_items(rules: RuleSet, rules_source: str = "") -> None:
    """A rule sheet with no items and no score formula would score everyone 0 (a fresh
    `svcperf init` draft): a rules error when ranked, naming what to add."""
    from svcperf.rules.load import RulesError

    empty = [p.key for p in rules.parts if not p.items and not p.score.formula]
    if empty:
        where = f" sheet {', '.join(empty)}:" if len(rules.parts) > 1 else ""
        raise RulesError([f"{rules_source or rules.name}:{where} no items, so every score would "
                          "be 0; add items (how the score is made, see README 'Rule files'), "
                          "then `svcperf rules check` it"])


def rank_file(path: str | Path, rules: RuleSet, rules_source: str = "",
              params: dict[str, str] | None = None, lang: str = "en",
              period: str | None = None, skip_hidden: bool = False) -> RunResult:
    """rank_book of the workbook at path (FileError when it cannot be read)."""
    return rank_book(open_sheet(path, lang), rules, rules_source, params, lang, period, skip_hidden)


def rank_sheet(path: str | Path | Book, given: str | None = None,
               params: dict[str, str] | None = None,
               lang: str = "en", period: str | None = None,
               skip_hidden: bool = False) -> tuple[RunResult, Chosen]:
    """Rank one sheet with the rule set chosen for it (`given`: --rules), reading it once."""
    book = open_sheet(path, lang)
    chosen = choose_rules(book, given, lang)
    return rank_book(book, chosen.rules, chosen.source, params, lang, period,
                     skip_hidden), chosen


def rank_together(paths: list[Path], rules: RuleSet, rules_source: str = "",
                  params: dict[str, str] | None = None, lang: str = "en",
                  skip_hidden: bool = False, period: str | None = None
                  ) -> tuple[RunResult, list[tuple[Path, str]]]:
    """Rank many submissions as one population (a company-wide ranking); `period` (2026-09)
    is the month the results are for, recorded for roll-ups.

    Each sheet is read and checked on its own; the checked rows are then put together, with
    the file and the row they came from as two extra columns, and ranked once. Files that
    cannot be read are left out, each with its message in the second value returned.
    """
    from svcperf.core.ranking import merge_tables, rank_part

    chosen, values = resolve_params(rules, params or {}, lang)
    started = _now()
    loaded: list[tuple[Path, list[tuple[Table, Checked]]]] = []
    left_out: list[tuple[Path, str]] = []
    for path in paths:
        try:
            loaded.append((Path(path), load_parts(open_sheet(path, lang), rules, lang,
                                                  skip_hidden=skip_hidden)))
        except FileError as ex:
            left_out.append((Path(path), str(ex)))
    labels = LABELS[rules.language]
    parts: list[PartResult] = []
    for n, part in enumerate(rules.parts):
        table, checked = merge_tables([(p.name, tables[n]) for p, tables in loaded], part,
                                      lang, (labels["file"], labels["source_row"]))
        parts.append(rank_part(part, table, checked, rules, values, parts, lang))
    digest = hashlib.sha256("".join(file_sha256(p) for p, _ in loaded).encode()).hexdigest()
    return RunResult(rules, rules_source, Path(f"{len(loaded)} files"), digest, chosen, parts,
                     started, lang, period), left_out


def left_out_reason(path: Path, rules: RuleSet, lang: str, skip_hidden: bool = False) -> str:
    """Why rank_together leaves this file out, in `lang` (the combined workbook's, where the
    terminal's differs); '' if it would not."""
    try:
        load_parts(open_sheet(path, lang), rules, lang, skip_hidden=skip_hidden)
    except FileError as ex:
        return str(ex)
    return ""


def explain_person(path: str | Path | Book, person: str, given: str | None = None,
                   params: dict[str, str] | None = None, lang: str | None = None,
                   skip_hidden: bool = False, adjust: Path | None = None) -> dict[str, Any]:
    """One person's whole derivation: the row under the CSV's canonical keys, plus `items`
    (each scoring item's inputs, arithmetic and points) and `steps` (score, rounding, band,
    quota table, counts, cut-offs, grade and why, ranks, move, incentive), in `lang` (default:
    the rule set's language). `person` is an id, or a staff number or name only one row has;
    `adjust`, an adjustments file: the person as ranked with it. FileError when no row is that
    person, or the file is a result svcperf wrote (a Results sheet ranked again explains
    nothing it says)."""
    from dataclasses import replace

    from svcperf.core.explain import explain_row
    from svcperf.i18n import REASONS
    from svcperf.io.monthly import result_sheets
    from svcperf.io.write import records

    book = open_sheet(path, lang or "en")
    chosen = choose_rules(book, given, lang or "en")
    rules = chosen.rules
    lang = lang or rules.language
    t = REASONS[lang]
    run_sheet, results = result_sheets(book)
    if run_sheet and results:
        raise FileError(t["a_result"].format(file=book.path, sheet=run_sheet))
    run = rank_adjusted(book, rules, adjust, chosen.source, params, lang,
                        skip_hidden=skip_hidden, words=lang)[0] if adjust is not None else \
        rank_book(book, rules, chosen.source, params, lang, skip_hidden=skip_hidden, words=lang)
    _, values = resolve_params(rules, params or {}, lang)
    wanted = fold(person)
    found = []
    for p in run.parts:
        keys = [k for k in dict.fromkeys([p.part.id, "employee_id", "name"])
                if k and k in p.part.fields]  # the id first; a staff number or a name if unique
        for at, rec in enumerate(records(replace(run, parts=[p]))):  # ranked first, in order
            for n, key in enumerate(keys):
                if rec.get(key) is not None and fold(str(rec[key])) == wanted:
                    found.append((n, p, {**rec, "_at": at}))
    by_id = sorted((f for f in found if f[0] == 0), key=lambda f: f[2]["status"] != "ranked")
    if not by_id and len(found) > 1:  # a staff number or a name two rows have
        raise FileError(t["person_ambiguous"].format(
            person=person, file=book.path, rows=", ".join(str(f[2]["row"]) for f in found),
            id_header=found[0][1].table.headers.get(found[0][1].part.id or "", "id")))
    if not by_id and len(found) != 1:
        _refuse_left_out(run, book, wanted, person, lang)
        p = run.parts[-1]
        ids = [str(x) for x in p.results[p.part.id].head(3)] if p.part.id else []
        raise FileError(t["person_missing"].format(
            id_header=p.table.headers.get(p.part.id or "", p.part.id or ""), id=person,
            file=book.path, examples=", ".join(ids) or "-"))
    _, p, rec = (by_id or found)[0]
    at = rec.pop("_at")
    out: dict[str, Any] = {"sheet": p.table.sheet, **rec, "rule_set": rules.name,
                           "file": str(book.path), "person": rec.get(p.part.id or ""),
                           "lang": lang, "same_id_rows": [f[2]["row"] for f in by_id[1:]]}
    if out["same_id_rows"]:  # the ranked one is explained; the others are said first
        out["notes"] = [t["same_id"].format(id=out["person"], rows=t["and"].join(
            t["row_status"].format(row=f[2]["row"], status=t["status_" + f[2]["status"]])
            for f in by_id[1:]))]
    out["reasons"] = []  # as a row of rank's JSON: one entry per problem
    if rec["status"] == "rejected":
        if "reason_list" in p.rejected:
            out["reasons"] = list(p.rejected["reason_list"].iloc[at - len(p.results)])
        out["items"], out["steps"] = [], [{"step": "rejected", "text": t["rejected"].format(
            row=rec["row"], reasons=rec["reasons"])}]
        return out
    index = p.results.index[at]
    cascade = p.part.distribution.cascade if p.part.distribution else None
    heads = next((h.table.sheet for h in run.parts if cascade and h.part.key == cascade.sheet),
                 None)
    out["items"], out["steps"] = explain_row(p, index, values, rules.precision, lang,
                                             run.params, heads)
    if rec.get("adjustment"):  # what an adjustment did to this person, or to their place
        out["steps"].insert(0, {"step": "adjusted",
                                "text": t["adjusted"].format(text=rec["adjustment"])})
    return out


def _refuse_left_out(run: RunResult, book: Book, wanted: str, person: str, lang: str) -> None:
    """FileError when a row left out as not a person (合计, 全市均值) is the one asked for."""
    from svcperf.i18n import REASONS, ROW_KINDS

    for p in run.parts:
        if p.table.merged_by:  # rows of several sheets: not looked up
            continue
        grid = book.rows(p.table.sheet)
        for kind, rows in p.table.left_out.items():
            for r in rows:
                cells = grid[r - 1] if 0 < r <= len(grid) else []
                if any(isinstance(v, str) and fold(v) == wanted for v in cells):
                    raise FileError(REASONS[lang]["person_left_out"].format(
                        file=book.path, row=r, person=person, kind=ROW_KINDS[lang][kind]))


# ---- roll up --------------------------------------------------------------------------------

def _infer_period(labels: list[str]) -> str:
    from svcperf.months import period_months

    # the quarter or half whose first and last months the files are (a month between them
    # without a file is said as a gap): January and March are 2026Q1, February missing
    year = labels[0][:4]
    for candidate in [*(f"{year}Q{q}" for q in range(1, 5)), f"{year}H1", f"{year}H2"]:
        months = period_months(candidate)
        if (months[0], months[-1]) == (labels[0], labels[-1]):
            return candidate
    return labels[0] if len(labels) == 1 else f"{labels[0]}..{labels[-1]}"


def load_month(path: Path, rules: RuleSet, source: str, lang: str,
               given: str | None = None) -> Any:
    """One month for a roll-up: a ranked workbook's Results, or an input sheet ranked now.

    Its label comes from `given` (--month), else the Run sheet, else the file name.
    """
    from svcperf.io.monthly import MonthError, read_ranked
    from svcperf.months import parse_month
    from svcperf.results import Month

    book = open_sheet(path, lang)
    try:
        ranked = read_ranked(book, rules)
    except MonthError as ex:
        raise FileError(ex.args[0]) from None  # a Why: said in the user's language
    other = None
    if ranked is not None:
        frame, label, rejected, other = ranked
    else:
        try:
            last = rank_book(book, rules, source, {}, lang).parts[-1]
        except BadInput as ex:
            raise FileError(str(ex)) from None
        frame, label = last.results, parse_month(path.stem)
        key = last.part.id
        rejected = [("" if key is None or _blank(v) else str(cell_text(v)), int(r)) for v, r in zip(
            last.rejected.get(key, [None] * len(last.rejected)), last.rejected[ROW], strict=True)]
    label = given or label
    if label is None:
        raise FileError(Why("rollup-which-month", path=str(path)))
    return Month(label, frame, str(path), rejected, other)


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def _rejected_notice(month: Any) -> Why:
    """A month whose sheet rejected rows: those people count as absent from it."""
    def listed(values: list[Any]) -> str:
        return ", ".join(map(str, values[:10])) + (", …" if len(values) > 10 else "") or "-"

    return Why("month-rejected", month=month.label, file=Path(month.source).name,
               count=len(month.rejected), rows=listed([r for _, r in month.rejected if r]),
               ids=listed([pid for pid, _ in month.rejected if pid]))


def _renamed(months: list[Any], part: SheetRules) -> list[Why]:
    """An id named differently in the months of a period (乙 in January, 乙乙 in February): the
    same person retyped, or an id given to someone else; said, not decided."""
    if not part.id or "name" not in part.fields:
        return []
    names: dict[str, dict[str, str]] = {}  # id -> {name: the first month it is so named}
    for m in months:
        if part.id in m.frame and "name" in m.frame:
            for pid, name in zip(m.frame[part.id], m.frame["name"], strict=True):
                if isinstance(name, str) and name.strip():
                    names.setdefault(str(cell_text(pid)), {}).setdefault(name.strip(), m.label)
    return [Why("id-renamed", id=pid, names=", ".join(f"{n} ({m})" for n, m in seen.items()))
            for pid, seen in names.items() if len(seen) > 1][:20]


def _gap_notice(month: str, period: str, first: str, last_file: str) -> Why:
    """A calendar month with no file: before the last file it breaks every streak."""
    if month < first:
        return Why("gap-history", month=month)
    return Why("gap-inside" if month < last_file else "gap-after", month=month, period=period)


def rollup_files(paths: list[Path], rules: RuleSet, rules_source: str = "",
                 period: str | None = None, months_given: list[str] | None = None,
                 ledger_path: Path | None = None, lang: str = "en") -> RollupRun:
    """Roll monthly files (ranked workbooks or input sheets) up into a quarter or half-year."""
    from svcperf.core.rollup import roll_up
    from svcperf.io.ledger import LedgerError, read_ledger
    from svcperf.months import parse_month, period_months

    part = rules.parts[-1]
    if part.rollup is None:
        raise FileError(Why("rollup-no-section", name=rules.name))
    if months_given and len(months_given) != len(paths):
        raise BadInput(Why("rollup-month-count", given=len(months_given), files=len(paths)))
    months = []
    for i, path in enumerate(paths):
        given = None
        if months_given:
            given = parse_month(months_given[i])
            if given is None:
                raise BadInput(Why("rollup-month-form", value=months_given[i]))
        months.append(load_month(path, rules, rules_source, lang, given))
    seen: dict[str, str] = {}
    for m in months:
        if m.label in seen:
            raise FileError(Why("rollup-twice", month=m.label, first=seen[m.label], second=m.source))
        seen[m.label] = m.source
    months.sort(key=lambda m: m.label)  # the order of the file arguments does not matter
    try:
        expected = period_months(period) if period else [m.label for m in months]
    except BadInput:  # said in the user's language
        raise BadInput(Why("rollup-period", period=period)) from None
    label = period or _infer_period(expected)
    after = [m.label for m in months if m.label > expected[-1]]
    if after:
        raise FileError(Why("rollup-after", after=", ".join(after), period=label))
    inside = [m for m in months if m.label in expected]
    history = [m for m in months if m.label < expected[0]]
    if not inside:
        raise FileError(Why("rollup-none-inside", period=label, months=", ".join(expected)))
    try:
        people = {str(cell_text(pid)) for m in months if part.id in m.frame
                  for pid in m.frame[part.id]}
        ledger = read_ledger(ledger_path, {*part.grade_order, *part.rollup.points}, people) \
            if ledger_path else None
    except LedgerError as ex:
        raise FileError(ex.args[0]) from None
    first = history[0].label if history else expected[0]  # streaks are laid out from here
    carried = ledger.carried(first, without=label) if ledger else {}
    balances = ledger.balances(without=label) if ledger else {}
    result = roll_up(inside, part, rules.precision, label, carried, balances, history,
                     rules.language)
    notices = [_gap_notice(x, label, expected[0], inside[-1].label) for x in result.gaps]
    notices += [_rejected_notice(m) for m in [*history, *inside] if m.rejected]
    notices += [Why("month-other-version", month=m.label, file=Path(m.source).name,
                    used=m.other_rules, name=rules.name) for m in [*history, *inside] if m.other_rules]
    notices += _renamed(inside, part)
    if ledger:
        try:
            ledger.apply(label, result.earned, result.streaks)
        except LedgerError as ex:
            raise FileError(ex.args[0]) from None
    return RollupRun(rules, rules_source, label, inside, history, result, ledger, notices, _now())


# ---- one workbook per group (rank --split-by group) -----------------------------------------

def split_folder(out: Path, given: Path | None = None) -> Path:
    """Where `out`'s group workbooks go (`given`, else `<out stem>.by-group` beside it);
    FileError, before anything is written, when that folder holds files of someone else."""
    from svcperf.io.split import split_folder as folder_of

    return folder_of(out, given)


def write_by_group(run: RunResult, out: Path, folder: Path | None = None) -> list[Path]:
    """Beside `out`, one workbook per group of the run (its people, its rejected rows, its
    Summary row), written by the same writer as `out`, into one folder, atomically."""
    from svcperf.core.split import group_names, narrow
    from svcperf.io.split import write_groups

    runs = [narrow(run, g) for g in group_names(run)]
    return write_groups(runs, folder or split_folder(out), out.suffix)


# ---- rank with adjustments (calibration and appeals) ----------------------------------------

def rank_adjusted(book: Book, rules: RuleSet, adjustments: Path, rules_source: str = "",
                  params: dict[str, str] | None = None, lang: str = "en",
                  period: str | None = None, skip_hidden: bool = False,
                  words: str | None = None) -> tuple[RunResult, RunResult]:
    """Rank a workbook with an adjustments file applied: (the adjusted run, the run without).

    The adjustments are checked against the sheet first; any problem is a FileError naming the
    adjustments file and cell, and nothing is ranked. Input corrections replace cells before
    scoring; grade overrides are applied after each rule sheet's distribution (so a corrected
    supervisor's grade picks the staff's quota table); the adjusted run's `calibration` lists
    every adjustment with its effect and every knock-on, found by comparing the two runs.
    `words` is the language of the grades' reasons (default: the rule set's).
    """
    from svcperf.core.adjust import compare, corrected, fresh, heads_of, override, resolve
    from svcperf.core.ranking import rank_part
    from svcperf.io.adjustments import read_adjustments
    from svcperf.months import parse_month
    from svcperf.results import Calibration

    chosen, values = resolve_params(rules, params or {}, lang)
    rows = read_adjustments(adjustments, lang, rules.name)
    started = _now()
    loaded = load_parts(book, rules, lang, skip_hidden=skip_hidden)
    applied = resolve(rows, rules, loaded, book.typed, lang)

    def run(adjust: bool) -> RunResult:
        parts: list[PartResult] = []
        for part, (table, checked) in zip(rules.parts, loaded, strict=True):
            cells = corrected(part, table, checked, applied) if adjust else fresh(checked)
            result = rank_part(part, table, cells, rules, values, parts, lang, words)
            fixed = [a for a in applied if adjust and a.part == part.key and a.is_grade]
            if fixed:
                override(result, fixed, heads_of(part, parts), words or rules.language, lang)
            parts.append(result)
        return RunResult(rules, rules_source, book.path, file_sha256(book.path), chosen, parts,
                         started, lang, period or parse_month(book.path.stem))

    before, after = run(False), run(True)
    after.calibration = Calibration(str(adjustments), file_sha256(adjustments), applied,
                                    compare(before.parts, after.parts, applied, rules, words))
    return after, before
