"""Read one month for a roll-up from a ranked workbook (its Run and Results sheets)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from svcperf.i18n import LABELS, LANGUAGES, RUN_KEYS
from svcperf.io.read import Book
from svcperf.months import parse_month
from svcperf.rules.headers import alias_index, match_header
from svcperf.rules.load import rules_hash
from svcperf.rules.model import COMPUTED, RuleSet, SheetRules
from svcperf.text import cell_text, fold
from svcperf.why import Why

_COMPUTED = {fold(label): key for labels in LABELS.values() for key, label in labels.items()}
# a result column's own label wins over any other label that reads the same ("Grade")
_COMPUTED.update({fold(LABELS[lang][key]): key for lang in LANGUAGES
                  for key in (*COMPUTED, "movement", "reason") if key in LABELS[lang]})


class MonthError(Exception):
    """A monthly file that cannot be used in a roll-up; the message says why."""


_YESNO = {LABELS[lang][word]: word == "yes" for lang in LANGUAGES for word in ("yes", "no")}
# a Run key in any workbook language -> its English key (results.run_info)
_RUN_KEYS = {label: key for keys in RUN_KEYS.values() for key, label in keys.items()}


def result_sheets(book: Book) -> tuple[str | None, list[str]]:
    """The Run sheet and every Results sheet ('考核结果', 'Results 主管', ...), named in any
    workbook language."""
    names = [s.name for s in book.sheets]
    runs = {LABELS[lang]["run"] for lang in LANGUAGES}
    titles = {LABELS[lang]["results"] for lang in LANGUAGES}
    results = [n for n in names if n in titles or n.split(" ", 1)[0] in titles]
    return next((n for n in names if n in runs), None), results


def _results_sheet(book: Book) -> tuple[str | None, str | None]:
    """The Run and (last) Results sheet, named in any workbook language."""
    run, results = result_sheets(book)
    return run, (results[-1] if results else None)


def run_info(book: Book, sheet: str) -> dict[str, Any]:
    """The Run sheet's facts under their English keys, whichever language it was written in."""
    return {_RUN_KEYS.get(str(row[0]), str(row[0])): row[1] for row in book.rows(sheet)
            if len(row) > 1 and row[0]}


def _from_results(book: Book, sheet: str, part: SheetRules) -> pd.DataFrame:
    rows = book.rows(sheet)
    if not rows:
        raise MonthError(Why("month-empty", path=str(book.path), sheet=sheet))
    aliases = alias_index(part)
    items = {fold(i.label or i.key): i.key for i in part.items}
    columns: dict[str, int] = {}
    for c, header in enumerate(rows[0]):
        key = match_header(header, aliases) or items.get(fold(header)) or \
            _COMPUTED.get(fold(header))
        if key and key not in columns:
            columns[key] = c
    missing = [k for k in ("score", "grade", part.id) if k and k not in columns]
    if missing:
        raise MonthError(Why("month-columns", path=str(book.path), sheet=sheet,
                             missing=", ".join(missing)))
    data = {k: [row[c] if c < len(row) and row[c] != "" else None for row in rows[1:]]
            for k, c in columns.items()}
    frame = pd.DataFrame(data)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    for key, spec in part.fields.items():  # 是/否 as written back to True/False
        if spec.type == "yesno" and key in frame:
            frame[key] = frame[key].map(lambda v: _YESNO.get(v, v) if isinstance(v, str) else v)
    return frame


def _rejected_sheet(book: Book, results: str) -> str | None:
    """The Rejected sheet beside a Results sheet ('未通过校验' for '考核结果', 'Rejected 主管'
    for 'Results 主管')."""
    title, space, rest = results.partition(" ")
    names = {s.name for s in book.sheets}
    for lang in LANGUAGES:
        if LABELS[lang]["results"] in (results, title):
            name = LABELS[lang]["rejected"] + (space + rest if title != results else "")
            if name in names:
                return name
    return None


def _rejected(book: Book, sheet: str | None, part: SheetRules) -> list[tuple[str, int | None]]:
    """(id, sheet row) of every row the month's Rejected sheet lists (a blank id as '')."""
    rows = book.rows(sheet) if sheet else []
    if not rows:
        return []
    aliases = alias_index(part)
    at_id = next((c for c, h in enumerate(rows[0]) if match_header(h, aliases) == part.id), None)
    row_labels = {LABELS[lang][k] for lang in LANGUAGES for k in ("row", "source_row")}
    at_row = next((c for c, h in enumerate(rows[0]) if h in row_labels), None)
    out = []
    for row in rows[1:]:
        pid = row[at_id] if at_id is not None and at_id < len(row) else ""
        number = row[at_row] if at_row is not None and at_row < len(row) else None
        out.append((str(cell_text(pid)), int(number) if isinstance(number, int | float) else None))
    return out


def read_ranked(book: Book, rules: RuleSet) -> tuple[
        pd.DataFrame, str | None, list[tuple[str, int | None]], str | None] | None:
    """A ranked workbook's Results rows under canonical keys, the month its Run sheet (or
    file name) names, the (id, row) of each row it rejected, and the rule file it was ranked
    with when that was another version of the rule set (its hash differs); None when the
    workbook is not a ranked result (an input sheet)."""
    run, results = _results_sheet(book)
    if not (run and results):
        return None
    info = run_info(book, run)
    if info.get("rule set") not in (None, rules.name):
        raise MonthError(Why("month-other-rules", path=str(book.path), used=info.get("rule set"),
                             name=rules.name))
    frame = _from_results(book, results, rules.parts[-1])
    used = info.get("rule set hash")
    other = str(info.get("rule file") or used) if used and used != rules_hash(rules) else None
    return frame, parse_month(str(info.get("period") or "")) or parse_month(book.path.stem), \
        _rejected(book, _rejected_sheet(book, results), rules.parts[-1]), other
