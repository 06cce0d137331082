"""The few functions the CLI calls: check a sheet, rank a sheet."""

from __future__ import annotations

import gc
import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svcperf import __version__
from svcperf.core.table import Table, header_match, header_score, locate
from svcperf.core.validate import ROW, Checked, Preparsed, check
from svcperf.io.cells import cell_errors
from svcperf.io.read import Book, UnreadableFile, each_read_ahead, open_book
from svcperf.report import Issue, Report, Severity, make_issue
from svcperf.rules.load import rules_hash
from svcperf.rules.model import RuleSet, SheetRules
from svcperf.text import column_letter, fold

if TYPE_CHECKING:  # pandas and the ranking steps load only when ranking (validate is lighter)
    from collections.abc import Callable

    import pandas as pd

    from svcperf.core.distribute import GroupResult

# keys every ranked row gets in CSV / JSON, besides the fields' and items' own
COMPUTED = ["score", "band_grade", "grade", "coefficient", "rank", "group_rank", "incentive_pct"]


class FileError(Exception):
    """A sheet that cannot be ranked at all (unreadable, no matching table, missing columns)."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


@dataclass
class PartResult:
    """One rule sheet's outcome: ranked rows, rejected rows, and what happened on the way."""

    part: SheetRules
    table: Table
    results: pd.DataFrame
    rejected: pd.DataFrame
    issues: list[Issue]
    groups: list[GroupResult] = field(default_factory=list)
    group_table: pd.DataFrame | None = None

    @property
    def rows_in(self) -> int:
        return len(self.table.rows)


@dataclass
class RunResult:
    rules: RuleSet
    rules_source: str
    input: Path
    input_sha256: str
    params: dict[str, str]
    parts: list[PartResult]
    started: str
    lang: str = "en"
    period: str | None = None  # the month ranked, e.g. 2026-01 (for roll-ups)

    @property
    def issues(self) -> list[Issue]:
        return [i for p in self.parts for i in p.issues]

    @property
    def rows_in(self) -> int:
        return sum(p.rows_in for p in self.parts)

    @property
    def ranked(self) -> int:
        return sum(len(p.results) for p in self.parts)

    @property
    def rejected(self) -> int:
        return sum(len(p.rejected) for p in self.parts)

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    def run_info(self) -> dict[str, Any]:
        return {"svcperf version": __version__, "rule set": self.rules.name,
                "rule file": self.rules_source, "rule set hash": rules_hash(self.rules),
                "input file": str(self.input), "input sha256": self.input_sha256,
                "period": self.period or "-", "run at": self.started,
                "params": ", ".join(f"{k}={v}" for k, v in self.params.items()) or "-",
                "rows read": self.rows_in, "rows ranked": self.ranked,
                "rows rejected": self.rejected}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_params(rules: RuleSet, given: dict[str, str]) -> tuple[dict[str, str], dict[str, float]]:
    """Chosen parameter labels and their values; a missing or unknown choice is a usage error."""
    chosen, values = {}, {}
    for name, param in rules.params.items():
        label = given.get(name, param.default)
        if label is None:
            raise ValueError(f"rule set {rules.name!r} needs --{name} "
                             f"(one of {', '.join(param.values)})")
        label = str(label).strip()
        if label not in param.values:
            raise ValueError(f"--{name} {label!r} is not one of {', '.join(param.values)}")
        chosen[name], values[name] = label, param.values[label]
    return chosen, values


def find_sheet(book: Book, part: SheetRules, taken: set[str]) -> str | None:
    """The worksheet for a rule sheet: by declared name, else the best header match."""
    sheets = [s for s in book.sheets if s.worksheet and s.name not in taken]
    if len(sheets) == 1 and not part.sheet:
        return sheets[0].name
    if part.sheet:
        wanted = {fold(n) for n in part.sheet}
        named = [s.name for s in sheets if fold(s.name) in wanted]
        if named:
            return named[0]
    scored = [(header_score(book.rows(s.name), part)[0], s.visible, -i, s.name)
              for i, s in enumerate(sheets)]
    best = max(scored, default=None)
    return best[3] if best and best[0] > 0 else None


def load_table(book: Book, part: SheetRules, taken: set[str], lang: str) -> tuple[Table, Checked]:
    """Locate and check one rule sheet's table in the workbook (raises FileError if absent).

    The cyclic garbage collector is paused meanwhile: a big sheet's cells are a million new
    objects with no cycles among them, and the collector would walk them again and again
    (100,000 rows: to_python 0.07 s instead of 0.11 s).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_table(book, part, taken, lang)
    finally:
        if was_enabled:
            gc.enable()


def _load_table(book: Book, part: SheetRules, taken: set[str], lang: str) -> tuple[Table, Checked]:
    name = find_sheet(book, part, taken)
    expected = ", ".join(repr(s.header[0]) for s in part.fields.values() if s.required)
    if name is None:
        issue = make_issue("sheet-not-found", lang, file=str(book.path),
                           extra={"expected": f"{part.key} (headers {expected})"})
        raise FileError(f"{book.path}: {issue.message}", [issue])
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # the XML scan (mostly zlib) overlaps calamine's read
        xlsx = book.is_xlsx
        scan = xlsx and not book.in_pieces(name)  # pieces are scanned as they are cut
        ahead = pool.submit(cell_errors, book, name) if scan else None
        pre = Preparsed(part, book.typed)
        for rows in book.pieces(name):  # a big sheet: check its rows while the rest is parsed
            pre.feed(rows)
        grid, merged = _unmerge(book.rows(name), book.merged(name))
        errors = ahead.result() if ahead else cell_errors(book, name) if xlsx else {}
    table = locate(grid, part, str(book.path), name, lang)
    if table is None:
        issue = make_issue("no-header-row", lang, file=str(book.path), sheet=name,
                           extra={"expected": expected})
        raise FileError(f"{book.path}: {issue.message}", [issue])
    for (r0, c0), (r1, c1) in merged:
        if r1 >= table.header_row:  # inside the data, not a title block
            cells = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
            table.issues.append(make_issue("merged-cell", lang, file=str(book.path), sheet=name,
                                           cell=f"{column_letter(c0)}{r0 + 1}", row=None,
                                           value=cells))
    info = next(s for s in book.sheets if s.name == name)
    if not info.visible:
        table.issues.append(make_issue("hidden-sheet", lang, file=str(book.path), sheet=name))
    # merged cells in the table were filled in after the pieces were parsed
    fits = not any(r1 >= table.header_row - 1 for _, (r1, _) in merged)
    return table, check(grid, table, part, book.typed, lang, errors, pre if fits else None)


def load_parts(book: Book, rules: RuleSet, lang: str,
               need_headers: bool = True) -> list[tuple[Table, Checked]]:
    """Every rule sheet's table, each on its own worksheet. With need_headers (ranking), a
    missing required column makes the file unusable: FileError."""
    taken: set[str] = set()
    out = []
    for part in rules.parts:
        table, checked = load_table(book, part, taken, lang)
        taken.add(table.sheet)
        if need_headers and table.missing_required:
            names = "; ".join(i.message for i in table.missing_required)
            raise FileError(f"{book.path} sheet {table.sheet!r}: {names}", table.missing_required)
        out.append((table, checked))
    book.done()
    return out


def best_rules(sheet: str | Path, candidates: list[Path]) -> tuple[Path, RuleSet] | None:
    """The rule set whose headers this sheet matches best, all its required headers present."""
    from svcperf.rules.load import load_rules

    try:
        book = open_book(sheet)
    except UnreadableFile as ex:
        raise FileError(str(ex)) from None
    grids = [book.rows(s.name) for s in book.sheets if s.worksheet]
    best: tuple[float, Path, RuleSet] | None = None
    for path in candidates:
        rules = load_rules(path)
        matched, total, complete = 0, 0, True
        for part in rules.parts:
            hits = max((header_match(g, part)[0] for g in grids), key=len, default=set())
            required = {k for k, f in part.fields.items() if f.required}
            complete &= required <= hits
            matched, total = matched + len(hits), total + len(part.fields)
        if complete and total and (best is None or matched / total > best[0]):
            best = (matched / total, path, rules)
    return (best[1], best[2]) if best else None


def _unmerge(grid: list[list[Any]], merged: list[Any]) -> tuple[list[list[Any]], list[Any]]:
    """Copy each merged range's value into every cell it covers (what the clerk meant)."""
    spans = [m for m in merged if m[1][0] > m[0][0] or m[1][1] > m[0][1]]
    if not spans:
        return grid, []
    grid = [list(row) for row in grid]
    for (r0, c0), (r1, c1) in spans:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
    return grid, spans


def check_file(path: str | Path, rules: RuleSet, lang: str = "en") -> Report:
    """Validate one sheet against a rule set: every problem at once, as a Report."""
    report = Report()
    rows = 0
    try:
        loaded: dict[str, tuple[Table, Checked]] = {}
        parts = load_parts(open_book(path), rules, lang, need_headers=False)
        for part, (table, checked) in zip(rules.parts, parts, strict=True):
            rows += len(table.rows)
            report.add(checked.issues)
            report.add(_missing_heads(part, table, checked, loaded, lang))
            loaded[part.key] = (table, checked)
    except UnreadableFile as ex:
        report.add([make_issue("unreadable-file", lang, file=str(path), extra={"hint": str(ex)})])
    except FileError as ex:
        report.add(ex.issues)
    errors = report.issues_of(Severity.ERROR)
    report.stats = {"files": 1, "rows": rows,
                    "rows_with_errors": len({(i.sheet, i.row) for i in errors if i.row}),
                    "errors": len(errors), "warnings": len(report.issues_of(Severity.WARNING)),
                    "notices": len(report.issues_of(Severity.NOTICE))}
    return report


def _missing_heads(part: SheetRules, table: Table, checked: Checked,
                   loaded: dict[str, tuple[Table, Checked]], lang: str) -> list[Issue]:
    """Rows whose group has no head row on the cascade's sheet (what `rank` would reject)."""
    cascade = part.distribution.cascade if part.distribution else None
    if cascade is None or cascade.sheet not in loaded or not part.group:
        return []
    head_table, head_checked = loaded[cascade.sheet]
    heads = {fold(v) for r, v in zip(head_table.rows, head_checked.columns[cascade.key],
                                     strict=True) if v is not None and r not in head_checked.rejected}
    col = table.columns.get(part.group)
    return [make_issue("no-group-head", lang, file=table.file, sheet=table.sheet, row=r,
                       cell=f"{column_letter(col)}{r}" if col is not None else None,
                       field=part.group, header=table.headers.get(part.group), value=v,
                       extra={"other": head_table.sheet})
            for r, v in zip(table.rows, checked.columns[part.group], strict=True)
            if v is not None and fold(v) not in heads and r not in checked.rejected]


def validate_files(paths: list[Path], rules_for: Callable[[Path], RuleSet | str],
                   lang: str = "en") -> Report:
    """Validate many sheets into one Report; stats add up, `per_file` gives each one's verdict.

    `rules_for` gives each sheet's rule set, or a string saying why the sheet cannot be used.
    The next sheet is read ahead while one is checked.
    """
    total = Report()
    per_file = []
    for path in each_read_ahead(paths, pieces=True):
        rules = rules_for(path)
        if isinstance(rules, str):
            one = Report()
            one.add([make_issue("unreadable-file", lang, file=str(path), extra={"hint": rules})])
            one.stats = {"files": 1, "rows": 0, "rows_with_errors": 0, "errors": 1,
                         "warnings": 0, "notices": 0}
        else:
            one = check_file(path, rules, lang)
        total.add(one.issues)
        per_file.append({"file": str(path), "valid": one.valid, "exit_code": one.exit_code,
                         "rule_set": None if isinstance(rules, str) else rules.name, **one.stats})
        for key, value in one.stats.items():
            total.stats[key] = total.stats.get(key, 0) + value
    total.stats["per_file"] = per_file
    return total


def rank_file(path: str | Path, rules: RuleSet, rules_source: str = "",
              params: dict[str, str] | None = None, lang: str = "en",
              period: str | None = None) -> RunResult:
    """Load, check, score, grade, distribute and rank every rule sheet of a workbook.

    `period` (the month, e.g. 2026-01) is recorded for roll-ups; by default it is read from
    the file name when the name holds one ('2026-01', '202601', '2026年1月').
    """
    from svcperf.core.rollup import parse_month

    chosen, values = resolve_params(rules, params or {})
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        book = open_book(path)
    except UnreadableFile as ex:
        raise FileError(str(ex)) from None
    parts: list[PartResult] = []
    for part, (table, checked) in zip(rules.parts, load_parts(book, rules, lang), strict=True):
        parts.append(_rank_part(part, table, checked, rules, values, parts, lang))
    return RunResult(rules, rules_source, book.path, file_sha256(book.path), chosen, parts,
                     started, lang, period or parse_month(book.path.stem))


def rank_together(paths: list[Path], rules: RuleSet, rules_source: str = "",
                  params: dict[str, str] | None = None,
                  lang: str = "en") -> tuple[RunResult, list[tuple[Path, str]]]:
    """Rank many submissions as one population (a company-wide ranking).

    Each sheet is read and checked on its own; the checked rows are then put together, with
    the file and the row they came from as two extra columns, and ranked once. Files that
    cannot be read are left out, each with its message in the second value returned.
    """
    chosen, values = resolve_params(rules, params or {})
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    loaded: list[tuple[Path, list[tuple[Table, Checked]]]] = []
    left_out: list[tuple[Path, str]] = []
    for path in each_read_ahead(paths):
        try:
            loaded.append((Path(path), load_parts(open_book(path), rules, lang)))
        except (UnreadableFile, FileError) as ex:
            left_out.append((Path(path), str(ex)))
    parts: list[PartResult] = []
    for n, part in enumerate(rules.parts):
        table, checked = _merge([(p, tables[n]) for p, tables in loaded], part, lang,
                                rules.language)
        parts.append(_rank_part(part, table, checked, rules, values, parts, lang))
    digest = hashlib.sha256("".join(file_sha256(p) for p, _ in loaded).encode()).hexdigest()
    return RunResult(rules, rules_source, Path(f"{len(loaded)} files"), digest, chosen, parts,
                     started, lang), left_out


def _merge(loaded: list[tuple[Path, tuple[Table, Checked]]], part: SheetRules,
           lang: str, labels: str) -> tuple[Table, Checked]:
    """One table out of many sheets' checked rows, under the rule set's own headers.

    `lang` is for messages, `labels` the workbook's language (the rule set's).
    """
    from svcperf.io.write import LABELS

    keys = list(part.fields)
    source_file, source_row = LABELS[labels]["file"], LABELS[labels]["source_row"]
    grid: list[list[Any]] = []
    columns: dict[str, list[Any]] = {ROW: [], **{k: [] for k in keys},
                                     f"extra:{source_file}": [], f"extra:{source_row}": []}
    rejected: dict[int, list[Issue]] = {}
    issues: list[Issue] = []
    first_seen: dict[str, str] = {}  # folded id -> "row 5 of a.xlsx"
    for path, (table, checked) in loaded:
        new_row = {r: len(grid) + i + 1 for i, r in enumerate(table.rows)}
        if part.id:  # within a file this was checked already; across files it is checked here
            for r, value in zip(table.rows, checked.columns[part.id], strict=True):
                if value is None or r in checked.rejected:
                    continue
                where = f"{r} of {path.name}"  # "already appears in row 5 of a.xlsx"
                other = first_seen.setdefault(fold(value), where)
                if other != where:
                    col = table.columns[part.id]
                    issue = make_issue("duplicate-id", lang, file=str(path), sheet=table.sheet,
                                       row=r, cell=f"{column_letter(col)}{r}", field=part.id,
                                       header=table.headers[part.id], value=value,
                                       extra={"other": other})
                    issues.append(issue)
                    rejected.setdefault(new_row[r], []).append(issue)
        for r in table.rows:
            cells = checked.grid[r - 1]
            grid.append([cells[c] if (c := table.columns.get(k)) is not None and c < len(cells)
                         else "" for k in keys] + [path.name, r])
        for k in keys:
            columns[k].extend(checked.columns[k])  # a numeric column is an array
        columns[ROW] += [new_row[r] for r in table.rows]
        columns[f"extra:{source_file}"] += [path.name] * len(table.rows)
        columns[f"extra:{source_row}"] += table.rows
        for r, errors in checked.rejected.items():
            rejected.setdefault(new_row[r], []).extend(errors)
        issues += checked.issues
    merged = Table("combined", "combined", 1,
                   {k: i for i, k in enumerate(keys)},
                   {k: part.fields[k].header[0] for k in keys},
                   [(len(keys), source_file), (len(keys) + 1, source_row)],
                   list(range(1, len(grid) + 1)))
    numeric = [k for k, f in part.fields.items() if f.numeric]
    return merged, Checked(columns, numeric, issues, rejected, grid)


def _rank_part(part: SheetRules, table: Table, checked: Checked, rules: RuleSet,
               params: dict[str, float], done: list[PartResult], lang: str) -> PartResult:
    import numpy as np

    from svcperf.core.distribute import distribute
    from svcperf.core.grade import band_grades, coefficients, movements
    from svcperf.core.rank import incentives, min_ranks, sort_keys
    from svcperf.core.score import score

    issues = checked.issues
    rejected: dict[int, list[Issue]] = dict(checked.rejected)
    frame = checked.frame[~checked.frame[ROW].isin(list(rejected))]

    def reject(idx_list: list[Any], code: str, key: str, **extra: Any) -> None:
        for idx in idx_list:
            r = int(frame.at[idx, ROW])  # type: ignore[arg-type]
            col = table.columns.get(key)
            value = frame.at[idx, key]
            issue = make_issue(code, lang, file=table.file, sheet=table.sheet, row=r, field=key,
                               header=table.headers.get(key, key),
                               cell=f"{column_letter(col)}{r}" if col is not None else None,
                               value=None if _blank(value) else value, extra=extra)
            issues.append(issue)
            rejected.setdefault(r, []).append(issue)

    scored, problems = score(frame, part, rules.precision)
    for idx, key, code in problems:
        reject([idx], code, key, other=key)
    for idx in scored.index[scored["score"].isna()]:
        if int(scored.at[idx, ROW]) in rejected:  # type: ignore[arg-type]
            continue
        blanks = [k for k in part.fields if k in scored and _blank(scored.at[idx, k])
                  and part.fields[k].numeric]
        for key in blanks[:1] or [next(iter(part.fields))]:
            reject([idx], "required-missing", key)
    scored = scored[~scored[ROW].isin(list(rejected))].copy()
    scored["band_grade"] = band_grades(scored["score"], part.bands, params)
    groups: list[GroupResult] = []
    if part.distribution:
        heads = _heads(part, done)
        result = distribute(scored, part, scored["band_grade"], heads, _label_field(part))
        groups = result.groups
        if result.no_head:
            cascade = part.distribution.cascade
            assert part.group is not None and cascade is not None
            head_sheet = next(p.table.sheet for p in done if p.part.key == cascade.sheet)
            reject(result.no_head, "no-group-head", part.group, other=head_sheet)
            keep = ~scored.index.isin(result.no_head)
            scored, result.grade, result.reason = scored[keep], result.grade[keep], \
                result.reason[keep]
        scored["grade"], scored["reason"] = result.grade, result.reason
        if heads is not None and part.group:
            head_part = next(p for p in done if p.part.key == part.distribution.cascade.sheet)  # type: ignore[union-attr]
            present = set(scored[part.group])
            for head in sorted(set(heads) - present):
                issues.append(make_issue("head-without-group", lang, file=table.file,
                                         sheet=head_part.table.sheet, value=head,
                                         header=head_part.table.headers.get(part.group),
                                         extra={"other": table.sheet}))
    else:
        scored["grade"], scored["reason"] = scored["band_grade"], None
    for g in groups:
        if g.notice:
            minimum = part.distribution.min_group_size if part.distribution else 0
            issues.append(make_issue("small-group", lang, file=table.file, sheet=table.sheet,
                                     value=g.group, extra={"count": g.size, "hint": g.notice,
                                                           "minimum": minimum}))
    scored["coefficient"] = coefficients(scored["grade"], part.coefficients())
    if part.movement:
        scored["movement"] = movements(scored[part.movement.field], scored["grade"],
                                       part.grade_order, part.movement)
    keys = sort_keys(scored, part.rank_by, part.tie_breakers)
    scored["rank"] = min_ranks(keys)
    scored["group_rank"] = min_ranks(keys, scored[part.group].to_numpy()) if part.group else \
        scored["rank"]
    group_table = None
    if part.incentives:
        scored["incentive_pct"], group_table = incentives(scored, part.incentives, part.group,
                                                          rules.precision)
    else:
        scored["incentive_pct"] = np.nan
    scored = scored.sort_values(["rank", ROW], kind="stable")
    return PartResult(part, table, scored, _rejected_frame(table, rejected, checked),
                      issues, groups, group_table)


def _heads(part: SheetRules, done: list[PartResult]) -> dict[str, str] | None:
    cascade = part.distribution.cascade if part.distribution else None
    if cascade is None:
        return None
    head = next(p for p in done if p.part.key == cascade.sheet)
    frame = head.results
    return {str(k): str(g) for k, g in zip(frame[cascade.key], frame["grade"], strict=True)
            if g is not None}


def _label_field(part: SheetRules) -> str | None:
    return "name" if "name" in part.fields else part.id


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _rejected_frame(table: Table, rejected: dict[int, list[Issue]],
                    checked: Checked) -> pd.DataFrame:
    """Rejected rows as the clerk typed them, with codes and reasons."""
    rows = checked.raw(sorted(rejected), table)
    def where(i: Issue) -> str:  # a combined run names the file each row came from
        cell = i.cell or ""
        return f"{Path(i.file).name} {cell}".strip() if table.file == "combined" and i.file \
            else cell

    rows["reasons"] = [
        "; ".join(f"{where(i)} {i.message}".strip() for i in rejected[int(r)])
        for r in rows[ROW]]
    rows["codes"] = [", ".join(dict.fromkeys(i.code for i in rejected[int(r)])) for r in rows[ROW]]
    return rows


@dataclass
class RollupRun:
    """A period rolled up from monthly files, with the ledger it updates (if any)."""

    rules: RuleSet
    rules_source: str
    period: str
    months: list[Any]  # core.rollup.Month, in the period
    history: list[Any]  # months before the period, used for streaks only
    result: Any  # core.rollup.RollupResult
    ledger: Any | None
    notices: list[str]
    started: str

    def run_info(self) -> dict[str, Any]:
        return {"svcperf version": __version__, "rule set": self.rules.name,
                "rule file": self.rules_source, "rule set hash": rules_hash(self.rules),
                "period": self.period, "run at": self.started,
                "months": ", ".join(f"{m.label} ({m.source})" for m in self.months),
                "history months": ", ".join(m.label for m in self.history) or "-",
                "ledger": str(self.ledger.path) if self.ledger else "-",
                "people": len(self.result.frame), "notices": "; ".join(self.notices) or "-"}


def _infer_period(labels: list[str]) -> str:
    from svcperf.core.rollup import period_months

    year = labels[0][:4]
    for candidate in [*(f"{year}Q{q}" for q in range(1, 5)), f"{year}H1", f"{year}H2"]:
        if period_months(candidate) == labels:
            return candidate
    return labels[0] if len(labels) == 1 else f"{labels[0]}..{labels[-1]}"


def rollup_files(paths: list[Path], rules: RuleSet, rules_source: str = "",
                 period: str | None = None, months_given: list[str] | None = None,
                 ledger_path: Path | None = None, lang: str = "en") -> RollupRun:
    """Roll monthly files (ranked workbooks or input sheets) up into a quarter or half-year."""
    from svcperf.core.rollup import parse_month, period_months, roll_up
    from svcperf.io.ledger import LedgerError, read_ledger
    from svcperf.io.monthly import MonthError, load_month

    if rules.parts[-1].rollup is None:
        raise FileError(f"rule set {rules.name!r} has no rollup section")
    if months_given and len(months_given) != len(paths):
        raise ValueError(f"--month was given {len(months_given)} times for {len(paths)} files; "
                         "give one per file, in the same order")
    months = []
    for i, path in enumerate(paths):
        given = None
        if months_given:
            given = parse_month(months_given[i])
            if given is None:
                raise ValueError(f"--month {months_given[i]!r}: write it as 2026-01")
        try:
            months.append(load_month(path, rules, rules_source, lang, given))
        except MonthError as ex:
            raise FileError(str(ex)) from None
    seen: dict[str, str] = {}
    for m in months:
        if m.label in seen:
            raise FileError(f"month {m.label} is given twice ({seen[m.label]} and {m.source}); "
                            "each month once")
        seen[m.label] = m.source
    months.sort(key=lambda m: m.label)  # the order of the file arguments does not matter
    expected = period_months(period) if period else [m.label for m in months]
    label = period or _infer_period(expected)
    after = [m.label for m in months if m.label > expected[-1]]
    if after:
        raise FileError(f"months {after} are after period {label}; leave those files out")
    inside = [m for m in months if m.label in expected]
    history = [m for m in months if m.label < expected[0]]
    if not inside:
        raise FileError(f"no file is for a month of {label} ({', '.join(expected)})")
    notices = [f"month {x} of {label} has no file" for x in expected if x not in seen]
    try:
        ledger = read_ledger(ledger_path) if ledger_path else None
    except LedgerError as ex:
        raise FileError(str(ex)) from None
    first = (history or inside)[0].label
    carried = ledger.carried(first, without=label) if ledger else {}
    balances = ledger.balances(without=label) if ledger else {}
    result = roll_up(inside, rules.parts[-1], rules.precision, label, carried, balances, history)
    if ledger:
        try:
            ledger.apply(label, result.earned, result.streaks)
        except LedgerError as ex:
            raise FileError(str(ex)) from None
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    return RollupRun(rules, rules_source, label, inside, history, result, ledger, notices, started)
