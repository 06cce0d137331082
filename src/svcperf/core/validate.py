"""Turn a located table's cells into typed columns, with an Issue for every bad or repaired cell."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from svcperf.core.table import Table
from svcperf.report import Issue, Severity, make_issue
from svcperf.rules.model import FieldSpec, Levels, SheetRules
from svcperf.text import column_letter, fold

ROW = "_row"  # frame column holding the 1-based sheet row of each record
YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "持证"})
NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "无", "未持证"})


@dataclass
class Checked:
    """The typed frame of every data row, and the issues; rows with errors are `rejected`."""

    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    rejected: dict[int, list[Issue]] = field(default_factory=dict)  # sheet row -> errors
    grid: list[list[Any]] = field(default_factory=list)  # the cells as read

    def raw(self, rows: list[int], table: Table) -> pd.DataFrame:
        """The cells of these sheet rows as typed in, under field keys (for Rejected)."""
        def cell(r: int, c: int) -> Any:
            line = self.grid[r - 1]
            return line[c] if c < len(line) else None

        data: dict[str, Any] = {ROW: rows}
        for key, c in table.columns.items():
            data[key] = [cell(r, c) for r in rows]
        for c, header in table.extras:
            data[f"extra:{header}"] = [cell(r, c) for r in rows]
        return pd.DataFrame(data)


class CellError(str):
    """An Excel error cell ('#DIV/0!'), or '=' for a formula with no saved value."""


class _Bad(Exception):
    def __init__(self, code: str, **extra: Any) -> None:
        self.code, self.extra = code, extra


def _number_text(text: str, typed: bool) -> tuple[float, bool, str | None]:
    """'１２３' -> 123; '93%' -> (93, True, code). Returns (number, had_percent, warning code)."""
    folded = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    code = "fullwidth-digits" if folded != text.strip().replace(",", "") else (
        "text-number" if typed else None)
    percent = folded.endswith("%")
    try:
        number = float(folded[:-1] if percent else folded)
    except ValueError:
        raise _Bad("type-error") from None
    if not math.isfinite(number):
        raise _Bad("type-error")
    return number, percent, code


def _as_number(value: Any, spec: FieldSpec, typed: bool) -> tuple[float, str | None]:
    if isinstance(value, (bool, datetime | date | time | timedelta)):
        raise _Bad("type-error")
    warn = None
    if isinstance(value, int | float):
        number, percent = float(value), False
    else:
        number, percent, warn = _number_text(str(value), typed)
    if spec.type == "percent":
        if percent:
            number /= 100
        elif number > (spec.max if spec.max is not None else 1.0) and number <= 100:
            raise _Bad("ambiguous-percent", hint=f"{_fmt(number)}% or {_fmt(number / 100)}")
    elif percent:
        raise _Bad("type-error")
    if spec.type == "integer" and abs(number - round(number)) > 1e-9:
        raise _Bad("type-error")
    lo = spec.min if spec.min is not None else (0.0 if spec.type == "percent" else None)
    hi = spec.max if spec.max is not None else (1.0 if spec.type == "percent" else None)
    if (lo is not None and number < lo - 1e-12) or (hi is not None and number > hi + 1e-12):
        raise _Bad("out-of-range", expected=_range_text(spec, lo, hi))
    return number, warn


def _fmt(x: float) -> str:
    return f"{x:.10g}"


def _range_text(spec: FieldSpec, lo: float | None, hi: float | None) -> str:
    def show(v: float) -> str:
        return f"{v:.0%}" if spec.type == "percent" else _fmt(v)

    if lo is not None and hi is not None:
        return f"{show(lo)}–{show(hi)}"
    if lo is not None:
        return f"≥ {show(lo)}"
    return f"≤ {show(hi)}" if hi is not None else "any value"


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _expected(spec: FieldSpec, choices: list[str] | None) -> str:
    if choices:
        return ", ".join(choices)
    return {"number": "a number", "integer": "a whole number", "percent": "a percentage like 93%",
            "yesno": "是 or 否 (yes/no)", "text": "text"}[spec.type]


def choices_of(part: SheetRules) -> dict[str, list[str]]:
    """Allowed labels per field: declared ones, or the labels a levels item maps."""
    out = {k: list(s.allowed) for k, s in part.fields.items() if s.allowed}
    for item in part.items:
        if isinstance(item, Levels):
            for f in item.fields:
                out.setdefault(f, list(item.map))
    return out


def parse_column(values: list[Any], spec: FieldSpec, choices: list[str] | None,
                 typed: bool) -> tuple[list[Any], list[tuple[int, str, dict[str, Any]]], int]:
    """Typed values, (index, code, extra) problems, and how many blanks took the default."""
    out: list[Any] = []
    problems: list[tuple[int, str, dict[str, Any]]] = []
    defaults = 0
    folded_choices = {fold(c): c for c in choices or []}
    numeric = spec.type in ("number", "integer", "percent")
    default: Any = spec.default
    if spec.type == "yesno" and isinstance(default, str):
        default = fold(default) in YES
    for i, value in enumerate(values):
        if isinstance(value, CellError):
            out.append(math.nan if numeric else None)
            problems.append((i, "formula-no-value" if value == "=" else "excel-error", {}))
            continue
        if value is None or value == "" or (isinstance(value, str) and not value.strip()):
            if default is not None:
                out.append(default)
                defaults += 1
            else:
                out.append(math.nan if numeric else None)
                if spec.required:
                    problems.append((i, "required-missing", {}))
            continue
        try:
            if numeric:
                number, warn = _as_number(value, spec, typed)
                out.append(number)
                if warn:
                    shown = f"{number:.2%}" if spec.type == "percent" else _fmt(number)
                    problems.append((i, warn, {"repaired": shown}))
            elif spec.type == "yesno":
                word = fold(_as_text(value))
                if isinstance(value, bool):
                    out.append(value)
                elif word in YES or word in NO:
                    out.append(word in YES)
                else:
                    raise _Bad("not-allowed")
            else:
                text = _as_text(value)
                if folded_choices:
                    hit = folded_choices.get(fold(text))
                    if hit is None:
                        raise _Bad("not-allowed")
                    text = hit
                out.append(text)
        except _Bad as bad:
            out.append(math.nan if numeric else None)
            problems.append((i, bad.code, bad.extra))
    return out, problems, defaults


def check(grid: list[list[Any]], table: Table, part: SheetRules, typed: bool = True,
          lang: str = "en", cell_errors: dict[tuple[int, int], str] | None = None) -> Checked:
    """Parse every field of every data row; collect issues; mark rows with errors rejected."""
    rows = table.rows
    data: dict[str, Any] = {ROW: rows}
    issues: list[Issue] = list(table.issues)
    choices = choices_of(part)
    cell_errors = cell_errors or {}
    position = {r: i for i, r in enumerate(rows)}

    def issue(code: str, r: int, key: str | None, col: int, value: Any, **extra: Any) -> Issue:
        header = table.headers.get(key, key) if key else None
        return make_issue(code, lang, file=table.file, sheet=table.sheet, row=r,
                          cell=f"{column_letter(col)}{r}", field=key, header=header,
                          value=None if value in (None, "") else value, extra=extra)

    for key, spec in part.fields.items():
        col = table.columns.get(key)
        if col is None:
            data[key] = [spec.default] * len(rows) if spec.default is not None else [None] * len(rows)
            continue
        raw = [grid[r - 1][col] if col < len(grid[r - 1]) else "" for r in rows]
        for (r, c), text in cell_errors.items():
            if c == col and r in position:
                raw[position[r]] = CellError(text)
        values, problems, defaults = parse_column(raw, spec, choices.get(key), typed)
        for i, code, extra in problems:
            extra.setdefault("expected", _expected(spec, choices.get(key)))
            shown = None if raw[i] == "=" and code == "formula-no-value" else raw[i]
            issues.append(issue(code, rows[i], key, col, shown, **extra))
        if defaults:
            issues.append(make_issue("default-used", lang, file=table.file, sheet=table.sheet,
                                     field=key, header=table.headers[key], value=spec.default,
                                     extra={"count": defaults}))
        if spec.unique:
            first: dict[Any, int] = {}
            for i, v in enumerate(values):
                if v is None or (isinstance(v, float) and math.isnan(v)):
                    continue
                norm = fold(v)
                if norm in first:
                    issues.append(issue("duplicate-id", rows[i], key, col, raw[i],
                                        other=first[norm]))
                else:
                    first[norm] = rows[i]
        data[key] = values
    for c, header in table.extras:
        data[f"extra:{header}"] = [grid[r - 1][c] if c < len(grid[r - 1]) else "" for r in rows]
    frame = pd.DataFrame(data)
    for key, spec in part.fields.items():
        if spec.type in ("number", "integer", "percent"):
            frame[key] = pd.to_numeric(frame[key], errors="coerce").astype("float64")
    rejected: dict[int, list[Issue]] = {}
    for found in issues:
        if found.severity == Severity.ERROR and found.row in position:  # data rows only
            rejected.setdefault(found.row, []).append(found)
    return Checked(frame, issues, rejected, grid)
