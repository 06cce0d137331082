"""Turn a located table's cells into typed columns, with an Issue for every bad or repaired cell."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from svcperf.core.table import data_column, joined
from svcperf.i18n import EXPECTED
from svcperf.issues import SEVERITY, Issue, Severity, make_issue
from svcperf.results import ROW, Table
from svcperf.rules.describe import choices_of
from svcperf.rules.model import FieldSpec, Ratio, SheetRules
from svcperf.text import INVISIBLE, NUMBER, cell_text, column_letter, fold, half_width

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "持证"})
NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "无", "未持证"})


# A column's cells repaired the same way (numbers stored as text in an export) are each an
# issue up to this many; the rest are counted in one (each issue holds about 1 KB).
REPAIRS_SHOWN = 100


class TooManyErrors(Exception):
    """More cells in error than the declared limit: `first` is the first of the column that
    passed it (the caller names the limit and how to raise it)."""

    def __init__(self, limit: int, first: Issue) -> None:
        super().__init__(limit, first)
        self.limit, self.first = limit, first


@dataclass
class Checked:
    """The typed columns of every data row, and the issues; rows with errors are `rejected`."""

    columns: dict[str, Any]
    numeric: list[str]
    issues: list[Issue] = field(default_factory=list)
    rejected: dict[int, list[Issue]] = field(default_factory=dict)  # sheet row -> errors
    grid: list[list[Any]] = field(default_factory=list)  # the cells as read

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The columns as a DataFrame (built on first use: `validate` never needs it)."""
        import pandas as pd

        frame = pd.DataFrame(self.columns)
        for key in self.numeric:
            frame[key] = pd.to_numeric(frame[key], errors="coerce").astype("float64")
        return frame

    def raw(self, rows: list[int], table: Table) -> pd.DataFrame:
        """The cells of these sheet rows as typed in, under field keys (for Rejected)."""
        import pandas as pd

        def cell(r: int, c: int) -> Any:
            line = self.grid[r - 1]
            return line[c] if c < len(line) else None

        data: dict[str, Any] = {ROW: rows}
        for key, c in table.columns.items():
            data[key] = [cell(r, c) for r in rows]
        for c, header in table.extras:
            data[f"extra:{header}"] = [cell(r, c) for r in rows]
        return pd.DataFrame(data)


class CellError:
    """An Excel error cell ('#DIV/0!'), or '=' for a formula with no saved value.

    Not a str, so the text lanes of `parse_column` cannot take it for a label.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"CellError({self.text!r})"


class _Bad(Exception):
    def __init__(self, code: str, **extra: Any) -> None:
        self.code, self.extra = code, extra


# How far a number may be off a whole number or a bound and still be taken as it (a formula's
# float noise: =1.1-0.1 is 1.0000000000000002, not a 1 that might mean 1%); it is then taken
# as the whole number or the bound itself.
WHOLE_NOISE, NOISE = 1e-9, 1e-12

# a number with commas only as thousands separators: 1,234 and 12,345.5, not 8,5 or 0,95
# ASCII digits only (re.ASCII): ١٠٠ is no number a spreadsheet reads
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?%?", re.ASCII)
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)%?", re.ASCII)  # a decimal comma's number
_BEFORE_PERCENT = re.compile(r"\s+%$")


def _number_text(text: str, typed: bool) -> tuple[float, bool, str | None]:
    """'１２３' -> 123; '93%' -> (93, True, code); '1,234' -> 1234. Returns (number,
    had_percent, warning code). A comma that is not a thousands separator (8,5: a decimal
    comma?) is an error, never dropped (it made 8,5 into 85)."""
    folded = half_width(text).strip()
    if "," in folded and not _GROUPED.fullmatch(folded):  # 8,5 reads as 8.5: a decimal comma
        point = folded.replace(",", ".")
        raise _Bad("decimal-comma", point=point) if _FLOAT.fullmatch(point) else _Bad("type-error")
    folded = _BEFORE_PERCENT.sub("%", folded.replace(",", ""))  # 95 % is 95%
    code = "fullwidth-digits" if half_width(text) != text else (
        "text-number" if typed else None)
    percent = folded.endswith("%")
    if not NUMBER.fullmatch(folded):  # as a spreadsheet reads one: float() takes 9_5
        raise _Bad("type-error")
    number = float(folded[:-1] if percent else folded)
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
        elif _percent_ceiling(spec) + NOISE < number <= 100 or \
                -100 <= number < _percent_floor(spec) - NOISE:  # -30 for -50%..50%
            raise _Bad("ambiguous-percent", pct=f"{_fmt(number)}%", frac=_fmt(number / 100))
    elif percent:
        raise _Bad("type-error")
    if spec.type == "integer":
        if abs(number - round(number)) > WHOLE_NOISE:
            raise _Bad("type-error")
        number = float(round(number))
    lo, hi = spec.bounds
    if (lo is not None and number < lo - NOISE) or (hi is not None and number > hi + NOISE):
        raise _Bad("out-of-range", expected=_range_text(spec))
    number = max(number, lo) if lo is not None else number
    number = min(number, hi) if hi is not None else number
    return number + 0.0, warn  # + 0.0: never -0 (a -1e-300 taken as 0 is 0, not -0%)



def _percent_floor(spec: FieldSpec) -> float:
    """The lowest share a percent field takes when it may be negative (below it is suspect as
    its ceiling's other side: -30 for -30%); -inf when it may not (-30 is then out of range)."""
    floor = spec.bounds[0]
    return floor if floor is not None and floor < 0 else -math.inf


def _percent_ceiling(spec: FieldSpec) -> float:
    """The highest share a percent field takes (100% unless declared); above it is suspect."""
    ceiling = spec.bounds[1]
    assert ceiling is not None  # a percent always has one
    return ceiling


def _as_points(value: Any) -> Any:
    """A cell under a header that states the unit %: 95 -> 0.95, '95' -> '95%'."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value / 100
    if isinstance(value, str):
        text = half_width(value).strip().replace(",", "")
        return value.strip() + "%" if NUMBER.fullmatch(text) else value
    return value


def _fractions_among_points(values: np.ndarray, points: list[int]) -> list[Problem]:
    """Cells under 1% in a column of percentage points mostly over 10%: 0.95 among 95, 91.5
    is a fraction typed where points were asked for, not 0.95% (grades set pay: no guess)."""
    read = values[points] * 100
    held = read[np.isfinite(read) & (read != 0)]
    if len(held) < 2 or float(np.median(np.abs(held))) < 10:
        return []
    return [(points[int(k)], "fraction-among-points",
             {"pct": f"{_fmt(read[k] * 100)}%", "points": _fmt(read[k] * 100),
              "typical": _fmt(float(np.median(held)))})
            for k in np.flatnonzero(np.isfinite(read) & (read != 0) & (np.abs(read) < 1))]


def _fmt(x: float) -> str:
    return f"{x:.10g}"


def _range_text(spec: FieldSpec) -> str:
    lo, hi = spec.bounds

    def show(v: float) -> str:
        return f"{v:.0%}" if spec.type == "percent" else _fmt(v)

    if lo is not None and hi is not None:
        return f"{show(lo)}–{show(hi)}"
    if lo is not None:
        return f"≥ {show(lo)}"
    return f"≤ {show(hi)}" if hi is not None else "any value"


_WHEN = (date, time, timedelta)  # datetime is a date


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _WHEN):
        return str(cell_text(value))
    return str(value).strip()


def expected_text(spec: FieldSpec, choices: list[str] | None, lang: str = "en") -> str:
    """What a cell of this field must hold, in `lang`: its choices, or its type in words."""
    words = EXPECTED["zh" if lang == "zh" else "en"]
    return words["choices"].join(choices) if choices else words[spec.type]


def _blank_value(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


Problem = tuple[int, str, dict[str, Any]]
Parsed = tuple[Any, "tuple[str, dict[str, Any]] | None", bool]  # value, (code, extra), default?


def _parse_cell(value: Any, spec: FieldSpec, folded_choices: dict[str, str], typed: bool,
                default: Any) -> Parsed:
    """(typed value, (code, extra) or None, whether the default was used) for one cell."""
    numeric = spec.numeric
    blank: Any = math.nan if numeric else None
    hidden = _invisible(value)
    if hidden:
        value = INVISIBLE.sub("", value)
    if isinstance(value, CellError):
        return blank, ("formula-no-value" if value.text == "=" else "excel-error", {}), False
    if value is None or value == "" or (isinstance(value, str) and not value.strip()):
        if default is not None:
            return default, None, True
        return blank, (("required-missing", {}) if spec.required else None), False
    try:
        if numeric:
            number, warn = _as_number(value, spec, typed)
            shown = f"{number:.2%}" if spec.type == "percent" else _fmt(number)
            if hidden and not warn:
                return number, ("invisible-characters", {"repaired": shown, "chars": hidden}), False
            return number, ((warn, {"repaired": shown}) if warn else None), False
        if spec.type == "yesno":
            if isinstance(value, bool):
                return value, None, False
            word = fold(_as_text(value))
            if word in YES or word in NO:
                return word in YES, _hidden(hidden, _as_text(value)), False
            raise _Bad("not-allowed")
        if isinstance(value, bool):  # a TRUE/FALSE cell: no id, name or label is one
            raise _Bad("type-error")
        if type(value) in (int, float) and abs(value) >= 1e15:  # an id card's 18 digits
            raise _Bad("long-number", shown=cell_text(value))  # as Excel shows
        if spec.unique and isinstance(value, _WHEN):  # 1-1 typed, Excel made it January 1st
            raise _Bad("date-in-text", shown=cell_text(value))
        text = _as_text(value)
        if folded_choices:
            hit = folded_choices.get(fold(text))
            if hit is None:
                raise _Bad("not-allowed")
            text = hit
        return text, _hidden(hidden, text), False
    except _Bad as bad:
        return blank, (bad.code, bad.extra), False


def _invisible(value: Any) -> str:
    """The invisible characters of a text cell, as code points ('U+200B'); '' for none."""
    if type(value) is not str or value.isascii():
        return ""
    return ", ".join(sorted({f"U+{ord(ch):04X}" for ch in INVISIBLE.findall(value)}))


def _hidden(chars: str, text: str) -> tuple[str, dict[str, Any]] | None:
    return ("invisible-characters", {"repaired": text, "chars": chars}) if chars else None


def parse_column(values: list[Any], spec: FieldSpec, choices: list[str] | None,
                 typed: bool) -> tuple[Any, list[Problem], list[int]]:
    """Typed values, (index, code, extra) problems, and the positions of the blank cells that
    took the field's default.

    Numeric fields come back as a float array (NaN for blank or bad cells), others as a list.

    Fast lanes keep big sheets quick: cells that already are numbers are checked with numpy,
    plain text is stripped, and every other cell is parsed once per distinct value.
    Everything goes through `_parse_cell` in the end, or gives the answers it would give.
    """
    folded_choices = {fold(c): c for c in choices or []}
    default: Any = spec.default
    if spec.type == "yesno" and isinstance(default, str):
        default = fold(default) in YES
    problems: list[Problem] = []
    out: Any
    slow: Sequence[int]
    if spec.numeric:
        out, slow = _numbers_fast(values, spec, problems)
    elif spec.type == "text" and not folded_choices:
        out, slow = _texts_fast(values)
    else:
        out, slow = values, range(len(values))
    if not slow:
        return out, problems, []
    every = len(slow) == len(values)
    cells = values if every else [values[i] for i in slow]
    if set(map(type, cells)) == {str}:  # parse each text once
        parsed = {v: _parse_cell(v, spec, folded_choices, typed, default) for v in set(cells)}
        if len(parsed) == 1:  # every cell left is the same, typically blank
            _, problem, used_default = next(iter(parsed.values()))
            if problem:
                problems += [(i, problem[0], dict(problem[1])) for i in slow]
                problems.sort(key=lambda p: p[0])
            return _spread(out, slow, cells, parsed, every), problems, \
                list(slow) if used_default else []
        if not any(r[1] or r[2] for r in parsed.values()):
            return _spread(out, slow, cells, parsed, every), problems, []
        results = list(map(parsed.__getitem__, cells))
    else:  # 1 and 1.0 and True are equal keys: tell them apart by type; never share errors
        memo: dict[Any, Parsed] = {}
        results = []
        for value in cells:
            key = (type(value), value)
            if key not in memo or isinstance(value, CellError):
                memo[key] = _parse_cell(value, spec, folded_choices, typed, default)
            results.append(memo[key])
    if every and isinstance(out, list):
        out = [r[0] for r in results]
    else:
        for i, r in zip(slow, results, strict=True):
            out[i] = r[0]
    problems += [(slow[k], r[1][0], dict(r[1][1])) for k, r in enumerate(results) if r[1]]
    problems.sort(key=lambda p: p[0])
    return out, problems, [slow[k] for k, r in enumerate(results) if r[2]]


def _spread(out: Any, slow: Sequence[int], cells: list[Any], parsed: dict[Any, Parsed],
            every: bool) -> Any:
    """Put each cell's parsed value in place, for cells parsed once per distinct value.

    When every cell was parsed and each reads as written (labels spelt as allowed), the
    cells are the column already.
    """
    if len(parsed) == 1 and isinstance(out, np.ndarray):
        out[slow] = next(iter(parsed.values()))[0]
        return out
    value_of = {v: r[0] for v, r in parsed.items()}
    if every and isinstance(out, list):
        if all(type(v) is type(value) and v == value for v, value in value_of.items()):
            return cells
        return list(map(value_of.__getitem__, cells))
    for i, v in zip(slow, cells, strict=True):
        out[i] = value_of[v]
    return out


def _texts_fast(values: list[Any]) -> tuple[list[Any], list[int]]:
    """Text cells stripped; the positions of the others and of blank ones, to parse one by one."""
    out: list[Any]
    try:
        out = list(map(str.strip, values))  # TypeError: not every cell is text
    except TypeError:
        out = [v.strip() if type(v) is str else None for v in values]
        return out, [i for i, v in enumerate(out) if not v or _invisible(v)]
    slow = [i for i, v in enumerate(out) if not v] if "" in out else []
    if INVISIBLE.search("".join(out)):  # a zero-width space in A001: parsed, said, dropped
        slow = sorted({*slow, *(i for i, v in enumerate(out) if _invisible(v))})
    return out, slow


def _numbers_fast(values: list[Any], spec: FieldSpec,
                  problems: list[Problem]) -> tuple[np.ndarray, list[int]]:
    """Check the cells that are already numbers in one go; return the others' positions."""
    kinds = set(map(type, values))
    if kinds <= {float, int}:  # fromiter: numpy's quickest way from a list of numbers
        nums = np.fromiter(values, dtype=float, count=len(values))
        slow: list[int] = []
        fast = np.ones(len(nums), dtype=bool)
    else:
        nums = np.fromiter([v if type(v) is float or type(v) is int else math.nan for v in values],
                           dtype=float, count=len(values))
        fast = ~np.isnan(nums)
        slow = np.flatnonzero(~fast).tolist()
    bad = np.zeros(len(nums), dtype=bool)
    if spec.type == "percent":
        ceiling, floor = _percent_ceiling(spec), _percent_floor(spec)
        ambiguous = fast & (((nums > ceiling + NOISE) & (nums <= 100))
                            | ((nums < floor - NOISE) & (nums >= -100)))
        for i in np.flatnonzero(ambiguous):
            x = float(nums[i])
            problems.append((int(i), "ambiguous-percent", {"pct": f"{_fmt(x)}%", "frac": _fmt(x / 100)}))
        bad |= ambiguous
    if spec.type == "integer":
        fraction = fast & ~bad & (np.abs(nums - np.round(nums)) > WHOLE_NOISE)
        problems.extend((int(i), "type-error", {}) for i in np.flatnonzero(fraction))
        bad |= fraction
        np.round(nums, out=nums)
    lo, hi = spec.bounds
    outside = np.zeros(len(nums), dtype=bool)
    if lo is not None:
        outside |= nums < lo - NOISE
    if hi is not None:
        outside |= nums > hi + NOISE
    outside &= fast & ~bad
    expected = _range_text(spec)
    problems.extend((int(i), "out-of-range", {"expected": expected}) for i in np.flatnonzero(outside))
    bad |= outside
    if lo is not None or hi is not None:  # what is left is inside, or off a bound by noise
        np.clip(nums, lo, hi, out=nums)
    nums += 0.0  # never -0
    nums[bad] = math.nan
    problems.sort(key=lambda p: p[0])  # in row order, whichever check found them
    return nums, slow


EXCEL_TEXT = 32767  # the most characters an Excel cell holds


def _long_texts(values: Sequence[Any]) -> list[int]:
    """Positions of the text cells longer than an Excel cell holds (most columns: none,
    decided in C)."""
    try:
        if max(map(len, values), default=0) <= EXCEL_TEXT:  # TypeError: not all text
            return []
    except TypeError:
        pass
    return [i for i, v in enumerate(values) if type(v) is str and len(v) > EXCEL_TEXT]


def _width_folded(values: list[Any]) -> list[tuple[int, str, dict[str, Any]]]:
    """(index, NFKC form, {}) of the text cells with full-width letters or digits (ＮＡ区)."""
    forms = {v: folded for v in set(values) if type(v) is str and not v.isascii()
             and (folded := unicodedata.normalize("NFKC", v)) != v}  # few distinct groups
    return [(i, forms[v], {}) for i, v in enumerate(values) if v in forms] if forms else []


def _respelled(values: list[Any]) -> list[tuple[int, str, dict[str, Any]]]:
    """(index, spelling, {"count": rows spelled so}) of the group cells spelled another way than most
    of their group's (要 客 among 要客: the same group, not a fourth one): spellings that fold
    alike are one group, named as most of its rows name it (the first, between equals)."""
    groups: dict[str, list[str]] = {}
    for spelling in dict.fromkeys(values):  # a few distinct groups, in order of appearance
        if type(spelling) is str:
            groups.setdefault(fold(spelling), []).append(spelling)
    alike = [same for same in groups.values() if len(same) > 1]
    if not alike:  # the usual case, decided without counting
        return []
    counts = Counter(values)
    usual = {v: max(same, key=counts.__getitem__) for same in alike for v in same}
    return [(i, usual[v], {"count": counts[usual[v]]}) for i, v in enumerate(values)
            if v in usual and usual[v] != v]


def _repeats(values: list[Any]) -> list[tuple[int, int]]:
    """(index, index of its first appearance) for every repeated value; ids compare folded."""
    text = joined(values)  # None when not all text (a blank id is None)
    if text is not None and text.isascii() and text.isprintable() and " " not in text \
            and text in (text.upper(), text.lower()) \
            and len(set(values)) == len(values):
        return []  # plain ids of one case (or no letters), all different: decided in C
    first: dict[str, int] = {}
    repeats = []
    for i, v in enumerate(values):
        if not _blank_value(v):
            j = first.setdefault(fold(v), i)
            if j != i:
                repeats.append((i, j))
    return repeats


def check(grid: list[list[Any]], table: Table, part: SheetRules, typed: bool = True,
          lang: str = "en", cell_errors: dict[tuple[int, int], str] | None = None,
          shown_as_percent: dict[int, set[int]] | None = None,
          max_errors: int | None = None) -> Checked:
    """Parse every field of every data row; collect issues; mark rows with errors rejected.

    shown_as_percent: {column: rows} whose number a percentage format shows (0.95 as 95%);
    under a header that states the unit % they are fractions already, the others points.
    max_errors: TooManyErrors once more cells than this are in error, column by column,
    before their issues are made (each holds about 1 KB)."""
    rows = table.rows
    data: dict[str, Any] = {ROW: rows}
    issues: list[Issue] = list(table.issues)
    choices = choices_of(part)
    cell_errors = cell_errors or {}
    data_rows = grid[rows[0] - 1:rows[-1]] if rows and rows[-1] - rows[0] + 1 == len(rows) \
        else [grid[r - 1] for r in rows]
    width = min(map(len, data_rows), default=0)  # CSV rows may be ragged

    position = {r: i for i, r in enumerate(rows)} if cell_errors else {}
    erred = 0  # cells in error so far

    def column(c: int) -> list[Any]:
        return data_column(grid, table, c, data_rows, width)

    def issue(code: str, r: int, key: str | None, col: int, value: Any, **extra: Any) -> Issue:
        header = table.headers.get(key, key) if key else None
        return make_issue(code, lang, file=table.file, sheet=table.sheet, row=r,
                          cell=f"{column_letter(col)}{r}", field=key, header=header,
                          value=None if value in (None, "") else
                          cell_text(value) if isinstance(value, _WHEN) else value, extra=extra)

    def more(key: str, code: str, at: list[int]) -> Issue:  # the cells past REPAIRS_SHOWN
        return make_issue("more-repairs", lang, file=table.file, sheet=table.sheet, field=key,
                          header=table.headers[key], value=code,
                          extra={"count": len(at) - REPAIRS_SHOWN, "at": at[REPAIRS_SHOWN:]})

    for key, spec in part.fields.items():
        col = table.columns.get(key)
        if col is None:
            data[key] = [spec.default] * len(rows) if spec.default is not None else [None] * len(rows)
            continue
        raw = column(col)
        for (r, c), text in cell_errors.items():
            if c == col and r in position:
                raw[position[r]] = CellError(text)
        cells = raw
        points: list[int] = []  # the cells read as percentage points
        if spec.type == "percent" and table.units.get(key) == "%":  # 满意率(%) over 95, 91.5
            fractions = (shown_as_percent or {}).get(col, set())
            points = [i for i, r in enumerate(rows) if r not in fractions]
            cells = list(raw)
            for i in points:
                cells[i] = _as_points(raw[i])
            if points:
                issues.append(make_issue("percent-unit", lang, file=table.file, sheet=table.sheet,
                                         field=key, header=table.headers[key]))
        values, problems, defaults = parse_column(cells, spec, choices.get(key), typed)
        if points:
            problems += _fractions_among_points(values, points)
            problems.sort(key=lambda p: p[0])
            read = values[points]
            if np.isfinite(read).any() and 0 < np.nanmax(read) <= 0.01:  # 0.95 .. 0.91 all
                issues.append(make_issue(  # under 1%: fractions (95%) or a rate this small
                    "all-under-one-percent", lang, file=table.file, sheet=table.sheet,
                    field=key, header=table.headers[key],
                    extra={"largest": _fmt(float(np.nanmax(read)) * 100)}))
        erred += sum(SEVERITY[code] == Severity.ERROR for _, code, _ in problems)
        if max_errors is not None and erred > max_errors:
            i, code, extra = next(p for p in problems if SEVERITY[p[1]] == Severity.ERROR)
            extra.setdefault("expected", expected_text(spec, choices.get(key), lang))
            raise TooManyErrors(max_errors, issue(code, rows[i], key, col, raw[i], **extra))
        repaired: dict[str, list[int]] = {}  # code -> rows past the first REPAIRS_SHOWN
        for i, code, extra in problems:
            if SEVERITY[code] == Severity.WARNING:
                seen = repaired.setdefault(code, [])
                seen.append(rows[i])
                if len(seen) > REPAIRS_SHOWN:
                    continue
            extra.setdefault("expected", expected_text(spec, choices.get(key), lang))
            shown = raw[i]
            if isinstance(shown, CellError):  # '#DIV/0!' is shown; a formula's '=' is not
                shown = None if shown.text == "=" else shown.text
            issues.append(issue(code, rows[i], key, col, shown, **extra))
        issues += [more(key, code, at) for code, at in repaired.items() if len(at) > REPAIRS_SHOWN]
        if defaults:  # the blanks' rows, for one group's
            issues.append(make_issue("default-used", lang, file=table.file, sheet=table.sheet,
                                     field=key, header=table.headers[key], value=spec.default,
                                     extra={"count": len(defaults),
                                            "at": [rows[i] for i in defaults]}))
        if key == part.group and spec.type == "text":  # ＮＡ区 is NA区, 要 客 is 要客
            for code, respell in (("fullwidth-digits", _width_folded),
                                  ("group-spelling", _respelled)):  # in turn: on the folded
                renamed = respell(values)
                for n, (i, spelling, extra) in enumerate(renamed):
                    if n < REPAIRS_SHOWN:
                        issues.append(issue(code, rows[i], key, col, raw[i], repaired=spelling,
                                            **extra))
                    values[i] = spelling
                if len(renamed) > REPAIRS_SHOWN:
                    issues.append(more(key, code, [rows[i] for i, _, _ in renamed]))
        if spec.unique:
            issues += [issue("duplicate-id", rows[i], key, col, raw[i], other=rows[j])
                       for i, j in _repeats(values)]
        data[key] = values
        if not spec.numeric:
            issues += [issue("long-text", rows[i], key, col, None, length=f"{len(raw[i]):,}")
                       for i in _long_texts(raw)]
    for c, header in table.extras:
        cells = data[f"extra:{header}"] = column(c)
        issues += [make_issue("long-text", lang, file=table.file, sheet=table.sheet, row=rows[i],
                              cell=f"{column_letter(c)}{rows[i]}", header=header,
                              extra={"length": f"{len(cells[i]):,}"}) for i in _long_texts(cells)]
    numeric = [k for k, spec in part.fields.items() if spec.numeric]
    rejected: dict[int, list[Issue]] = {}
    errors = [found for found in issues if found.severity == Severity.ERROR]
    data_row = set(rows) if errors else set()
    for found in errors:
        if found.row in data_row:
            rejected.setdefault(found.row, []).append(found)
    table.body = None  # locate's columns are not kept past the check
    return Checked(data, numeric, issues, rejected, grid)


def zero_denominators(part: SheetRules, table: Table, checked: Checked, lang: str) -> list[Issue]:
    """Rows whose ratio item divides by 0 where the rule set rejects that, or whose share is
    more than its whole (what `rank` would reject: core.score), so that a sheet validate
    passes is a sheet rank ranks whole."""
    out = []
    for item in part.items:
        if not isinstance(item, Ratio) or item.on_zero != "reject" \
                or item.denominator not in checked.columns:
            continue
        col = table.columns.get(item.denominator)
        key = item.denominator
        out += [make_issue("ratio-zero", lang, file=table.file, sheet=table.sheet, row=r,
                           cell=f"{column_letter(col)}{r}" if col is not None else None,
                           field=key, header=table.headers.get(key, key), value=0,
                           extra={"other": key})
                for r, v in zip(table.rows, checked.columns[key], strict=True)
                if v == 0 and r not in checked.rejected]
    return out + _shares_over(part, table, checked, lang)


def more_than_whole(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """Where a share's part is more than its whole (6 of 5 groups submitted); here, not in
    core.score, so that validate never imports pandas."""
    with np.errstate(invalid="ignore"):
        return part > whole + 1e-9


def _shares_over(part: SheetRules, table: Table, checked: Checked, lang: str) -> list[Issue]:
    """Rows whose share is more than its whole (`share: true` ratios), as rank rejects them."""
    out = []
    for item in part.items:
        if not isinstance(item, Ratio) or not item.share \
                or not {item.numerator, item.denominator} <= checked.columns.keys():
            continue
        num, den = (np.asarray(checked.columns[k], float) for k in (item.numerator, item.denominator))
        col, key = table.columns.get(item.numerator), item.numerator
        out += [make_issue("share-over", lang, file=table.file, sheet=table.sheet, row=r,
                           cell=f"{column_letter(col)}{r}" if col is not None else None,
                           field=key, header=table.headers.get(key, key), value=num[i],
                           extra={"other": table.headers.get(item.denominator, item.denominator),
                                  "total": f"{den[i]:.10g}"})
                for i in np.flatnonzero(more_than_whole(num, den))
                if (r := table.rows[i]) not in checked.rejected]
    return out


def rejected_heads(rows: Sequence[Any], groups: Sequence[Any],
                   errors: dict[int, list[Issue]]) -> dict[str, str]:
    """{folded group: the cell of its head row's first error} for the head rows rejected."""
    out: dict[str, str] = {}
    for r, group in zip(rows, groups, strict=True):
        found = errors.get(int(r))
        if found and not _blank_value(group):
            out.setdefault(fold(str(group)), found[0].cell or f"A{int(r)}")
    return out


def head_issue(rejected: dict[str, str], group: Any, lang: str, head_sheet: str,
               **where: Any) -> Issue:
    """A row whose group has no head row (`no-group-head`), or whose head row was rejected
    (`group-head-rejected`, pointing at the cell to correct)."""
    at = rejected.get(fold(str(group)))
    extra = {"other": head_sheet, **({"at": at} if at else {})}
    return make_issue("group-head-rejected" if at else "no-group-head", lang, value=group,
                      extra=extra, **where)


def missing_heads(part: SheetRules, table: Table, checked: Checked,
                   loaded: dict[str, tuple[Table, Checked]], lang: str) -> list[Issue]:
    """Rows whose group has no head row on the cascade's sheet (what `rank` would reject)."""
    cascade = part.distribution.cascade if part.distribution else None
    if cascade is None or cascade.sheet not in loaded or not part.group:
        return []
    head_table, head_checked = loaded[cascade.sheet]
    heads = {fold(v) for r, v in zip(head_table.rows, head_checked.columns[cascade.key],
                                     strict=True) if v is not None and r not in head_checked.rejected}
    rejected = rejected_heads(head_table.rows, head_checked.columns[cascade.key],
                              head_checked.rejected)
    col = table.columns.get(part.group)
    return [head_issue(rejected, v, lang, head_table.sheet, file=table.file, sheet=table.sheet,
                       row=r, cell=f"{column_letter(col)}{r}" if col is not None else None,
                       field=part.group, header=table.headers.get(part.group))
            for r, v in zip(table.rows, checked.columns[part.group], strict=True)
            if v is not None and fold(v) not in heads and r not in checked.rejected]
