"""Adjustments files (.xlsx, .csv, .yaml): read them, write the blank one, and show what they did
as the Adjustments sheet of a result workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svcperf.i18n import ADJUST, ADJUST_HEADERS, LABELS, TEMPLATE
from svcperf.io.files import atomic_path
from svcperf.io.read import UnreadableFile, open_book
from svcperf.io.template import instructions_sheet
from svcperf.io.xlsx import HEADER, Workbook, new_workbook
from svcperf.issues import FileError
from svcperf.results import Adjustment, AdjustmentRow, RunResult
from svcperf.rules.model import RuleSet
from svcperf.text import column_letter, fold, keep_together

_KEY_OF = {fold(h): key for key, heads in ADJUST_HEADERS.items() for h in (*heads, key)}
_REQUIRED = ("id", "item", "value", "reason", "approved_by")
HEADER_ROWS = 10  # the header row is looked for in this many rows from the top


def read_adjustments(path: Path, lang: str, rules: str) -> list[AdjustmentRow]:
    """Every filled row of an adjustments file, each cell with where it is; FileError when the
    file cannot be read or has no header row."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path, lang)
    try:
        book = open_book(path)
    except UnreadableFile as ex:
        raise FileError(ex.message(lang)) from None
    for sheet in book.worksheets:
        grid = book.rows(sheet.name)
        for r, line in enumerate(grid[:HEADER_ROWS]):
            keys = {c: _KEY_OF.get(fold(v)) for c, v in enumerate(line) if isinstance(v, str)}
            if set(_REQUIRED) <= set(keys.values()):
                return _rows(path.name, grid, r, {c: k for c, k in keys.items() if k}, line)
    raise FileError(ADJUST[lang]["no-header"].format(file=path, rules=rules))


def _rows(name: str, grid: list[list[Any]], header: int, keys: dict[int, str],
          heads: list[Any]) -> list[AdjustmentRow]:
    out = []
    for r in range(header + 1, len(grid)):
        line = grid[r]
        values = {k: (line[c] if c < len(line) and line[c] != "" else None)
                  for c, k in keys.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue  # a blank row
        where = {k: f"{name} {column_letter(c)}{r + 1} {str(heads[c]).strip()}"
                 for c, k in keys.items()}
        for k in _REQUIRED:
            where.setdefault(k, f"{name} row {r + 1} {k}")
        out.append(AdjustmentRow(values, where, f"{name} row {r + 1}", (name, "row", r + 1)))
    return out


def _read_yaml(path: Path, lang: str) -> list[AdjustmentRow]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from svcperf.rules.load import not_valid_yaml

    if not path.is_file():
        raise FileError(f"{path}: no such file")
    text = None
    try:
        text = path.read_text(encoding="utf-8")
        data = YAML(typ="rt").load(text)
    except YAMLError as ex:  # where and what, not the parser's multi-line dump
        raise FileError(not_valid_yaml(ex, str(path), text)) from None
    except (OSError, UnicodeDecodeError, ValueError) as ex:  # ValueError: 2026-02-30
        raise FileError(f"{path}: cannot be read as YAML ({str(ex).split(';')[0]})") from None
    if isinstance(data, dict) and len(data) == 1 and \
            isinstance(next(iter(data.values())), list | None):  # `adjustments: [...]`
        data = next(iter(data.values()))
    if data is None:  # an empty file: nothing to apply
        data = []
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise FileError(ADJUST[lang]["not-a-list"].format(file=path))
    out = []
    for entry in data:
        line = entry.lc.line + 1 if hasattr(entry, "lc") else 0
        values: dict[str, Any] = {}
        for k, v in entry.items():
            key = _KEY_OF.get(fold(str(k)))
            if key:
                values[key] = None if v is None else v
        where = {k: f"{path.name} line {line} {k}" for k in ADJUST_HEADERS}
        out.append(AdjustmentRow(values, where, f"{path.name} line {line}",
                                 (path.name, "line", line)))
    return out


# ---- the blank adjustments file ------------------------------------------------------------

def write_adjustments_template(rules: RuleSet, out: Path, rows: int = 500) -> Path:
    """The blank adjustments workbook for a rule set: headers, drop-downs for items, grades and
    kinds, an input hint on each column, and instructions (the rule set's language)."""
    lang = rules.language
    t, say = TEMPLATE[lang], ADJUST[lang]
    zh = lang == "zh"
    items = list(dict.fromkeys(f.header[0] for p in rules.parts for f in p.fields.values()))
    items.append(LABELS[lang]["grade_item"])
    grades = list(dict.fromkeys(g for p in rules.parts for g in p.grade_order))
    kinds = [say["kind-appeal"], say["kind-calibration"]]
    last = rules.parts[-1]
    id_header = last.header_of(last.id or next(iter(last.fields)))
    hints = {"id": t["hint_id"].format(header=id_header), "item": t["hint_item"],
             "value": t["hint_value"].format(grades=", ".join(grades) or "—"),
             "reason": t["hint_reason"], "approved_by": t["hint_approved_by"],
             "date": t["hint_date"], "kind": t["hint_kind"]}
    with atomic_path(out) as tmp:
        wb = new_workbook(tmp)
        ws = wb.add_worksheet(LABELS[lang]["adjustments"])
        lists = wb.add_worksheet("Lists")
        head = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
        required = wb.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1})
        for c, (key, heads) in enumerate(ADJUST_HEADERS.items()):
            header = heads[0] if zh else key
            ws.write_string(0, c, header, required if key in _REQUIRED else head)
            ws.set_column(c, c, 30 if key in ("reason", "value", "item") else 14)
            rule: dict[str, Any] = {"validate": "any"}
            source = {"item": (0, items), "value": (1, grades), "kind": (2, kinds)}.get(key)
            if source and source[1]:
                col, values = source
                for r, value in enumerate(values):
                    lists.write_string(r, col, value)
                letter = column_letter(col)
                rule = {"validate": "list", "source": f"=Lists!${letter}$1:${letter}${len(values)}",
                        # a corrected value is any value: the grade list only offers the grades
                        "error_type": "information" if key != "item" else "stop"}
            rule.update({"input_title": header[:32], "input_message": hints[key][:255]})
            if rule["validate"] != "any":
                rule.update({"error_title": header[:32], "error_message": hints[key][:255]})
            ws.data_validation(1, c, rows, c, rule)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        info, bold = instructions_sheet(wb, rules, t["adjust_lead"].format(name=rules.name))
        info.write_row(3, 0, [t["column"], t["what"]], bold)
        r = 4
        for key, heads in ADJUST_HEADERS.items():
            info.write_string(r, 0, heads[0] if zh else key)
            info.write_string(r, 1, hints[key])
            r += 1
        r += 1
        for title, values in ((t["adjust_items"], items), (t["adjust_grades"], grades)):
            info.write_string(r, 0, title, bold)
            info.write_string(r, 1, ", ".join(values) or "—")
            r += 1
        lists.hide()
        wb.close()
    return out


# ---- what the adjustments did, in a result workbook ----------------------------------------

def adjustments_frame(run: RunResult, lang: str | None = None) -> Any:
    """One row per adjustment (approver, date, effect, where in the file it is: 第 2 行), then
    one per knock-on; in the workbook's language (by default the rule set's)."""
    import pandas as pd

    cal = run.calibration
    assert cal is not None
    lang = lang or run.rules.language
    say, labels = ADJUST[lang], LABELS[lang]
    rows: list[dict[str, Any]] = []
    for a in cal.adjustments:
        rows.append({"kind": say.get(f"kind-{a.kind}", a.kind), "sheet": a.sheet, "id": a.id,
                     "item": a.header, "before": a.before, "after": a.shown, "reason": a.reason,
                     "approved_by": a.approved_by, "date": a.date, "effect": a.effect,
                     "where_from": where_from(a, lang)})
    for k in cal.knock_ons:
        rows.append({"kind": labels["knock_ons"], "sheet": k.sheet, "id": k.id,
                     "item": ", ".join(labels.get(x, x) for x in k.before),
                     "before": ", ".join(_shown(v) for v in k.before.values()),
                     "after": ", ".join(_shown(v) for v in k.after.values()),
                     "reason": k.reason, "approved_by": None, "date": None, "effect": None,
                     "where_from": None})
    keys = ["kind", "sheet", "id", "item", "before", "after", "reason", "approved_by", "date",
            "effect", "where_from"]
    return pd.DataFrame(rows, columns=keys)


def where_from(a: Adjustment, lang: str) -> str:
    """Where in the adjustments file an adjustment is, in the workbook's language."""
    name, unit, number = a.place
    if not name:
        return a.line
    return ADJUST[lang][f"at-{unit}"].format(file=name, n=number)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def adjustments_sheet(book: Workbook, run: RunResult, lang: str | None = None) -> None:
    """The Adjustments sheet: every adjustment with its approver, date and effect, then every
    knock-on (in the workbook's language, by default the rule set's). Written cell by cell (it
    is short), so that long reasons wrap in rows tall enough to show them."""
    labels = LABELS[lang or run.rules.language]
    frame = adjustments_frame(run, lang)
    keys = [k for k in frame.columns if k != "sheet" or len(run.parts) > 1]
    heads = {**labels, "reason": labels["reasons"]}
    widths = {"kind": 10, "sheet": 10, "id": 10, "item": 18, "before": 14, "after": 14,
              "reason": 44, "approved_by": 10, "date": 11, "effect": 44, "where_from": 18}
    ws = book.wb.add_worksheet(labels["adjustments"])
    wrap = book.format({"text_wrap": True, "valign": "top"})
    for c, k in enumerate(keys):
        ws.set_column(c, c, widths[k], wrap)
    ws.write_row(0, 0, [heads[k] for k in keys], book.format(HEADER))
    for r, row in enumerate(frame[keys].itertuples(index=False), start=1):
        lines = 1
        for c, (k, value) in enumerate(zip(keys, row, strict=True)):
            if value is None or value != value:
                continue
            ws.write_string(r, c, keep_together(str(value)), wrap)
            wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))
            lines = max(lines, -(-wide // max(widths[k] - 1, 1)))
        ws.set_row(r, 15 * lines)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(frame), 1), len(keys) - 1)
    book.page(ws)


def adjustments_json(run: RunResult) -> dict[str, Any]:
    """JSON's top-level `adjustments`: the file, its hash, each adjustment, each knock-on."""
    from dataclasses import asdict

    cal = run.calibration
    assert cal is not None
    return {"file": cal.file, "sha256": cal.sha256,
            "applied": [{k: v for k, v in asdict(a).items() if k != "place"}
                        for a in cal.adjustments],
            "knock_ons": [asdict(k) for k in cal.knock_ons]}
