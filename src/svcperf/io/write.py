"""Write results: an .xlsx workbook (Results, Summary, Rejected, Run), or CSV / JSON for scripts.

Every output goes to a temporary file beside the target and is renamed into place, so a crash
never leaves a half-written file. Text is always written as text, never as a formula.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from svcperf.i18n import LABELS
from svcperf.io.adjustments import adjustments_json, adjustments_sheet
from svcperf.io.files import atomic_path
from svcperf.io.machine import rollup_document, run_document
from svcperf.io.xlsx import HEADER, Column, Workbook
from svcperf.results import COMPUTED, PAY, ROW, PartResult, RollupRun, RunResult, cents_total
from svcperf.rules.model import FieldSpec, SheetRules

ROLLUP_KEYS = ["rank", "months", "score", "band_grade", "grade", "eligible", "ineligible_reasons",
               "points_earned", "points_balance", "streak_grade", "streak_months", "consequence"]


def result_columns(p: PartResult, lang: str) -> list[Column]:
    """What Results shows, in order: ranks, the input columns as laid out, points, grades."""
    part, labels = p.part, LABELS[lang]
    cols = [Column("rank", labels["rank"], "int")]
    if part.group:
        cols.append(Column("group_rank", labels["group_rank"], "int"))
    laid_out = sorted([*((c, k, None) for k, c in p.table.columns.items()),
                       *((c, f"extra:{h}", h) for c, h in p.table.extras)])
    for _, key, extra in laid_out:
        if extra is not None:
            cols.append(Column(key, extra, "text"))
        else:
            cols.append(Column(key, p.table.headers[key], _kind(part.fields[key])))
    cols += [Column(i.key, i.label or i.key, "score") for i in part.items]
    cols.append(Column("score", labels["score"], "score"))
    if part.bands:
        cols.append(Column("band_grade", labels["band_grade"], "grade"))
    if part.bands or part.distribution:
        cols.append(Column("grade", labels["grade"], "grade"))
    if part.coefficients():
        cols.append(Column("coefficient", labels["coefficient"], "number"))
    cols += _pay_columns(p, lang, "performance_pay")
    if part.movement:
        cols.append(Column("movement", labels["movement"], "text"))
    if part.incentives:
        cols.append(Column("incentive_pct", labels["incentive_pct"], "pct_points"))
    cols += _pay_columns(p, lang, "incentive_amount")
    if has_reasons(part):
        cols.append(Column("reason", labels["reason"], "text"))
    if "adjustment" in p.results:  # svcperf rank --adjust: before, after and why
        cols.append(Column("adjustment", labels["adjustment"], "text"))
    return cols


def _pay_columns(p: PartResult, lang: str, key: str) -> list[Column]:
    """A pay amount's column, where the ranking worked it out (see core.pay)."""
    return [Column(key, LABELS[lang][key], "money")] if key in p.results else []


def has_reasons(part: SheetRules) -> bool:
    """A quota, a move or an incentive gives the rows of this rule sheet their reasons."""
    return bool(part.distribution or part.movement or part.incentives)


def _kind(spec: FieldSpec) -> str:
    return {"percent": "percent", "integer": "int", "number": "number"}.get(spec.type, "text")


def _cell(value: Any) -> Any:
    """A frame value as something XlsxWriter / JSON can take; blanks become None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _column_values(frame: pd.DataFrame, key: str) -> list[Any]:
    if key not in frame:
        return [None] * len(frame)
    series = frame[key]
    if pd.api.types.is_float_dtype(series):
        return [None if math.isnan(v) else int(v) if v.is_integer() and abs(v) < 1e15 else v
                for v in series.tolist()]
    return [_cell(v) for v in series.tolist()]


def write_result(run: RunResult, out: Path, batch: list[dict[str, Any]] | None = None,
                 bulk: bool = True) -> Path:
    """Write by suffix: .xlsx, .csv or .json. `batch` (one dict per file) adds a Batch sheet;
    `bulk=False` writes table rows through XlsxWriter's own cell path (see io.xlsx)."""
    suffix = out.suffix.lower()
    with atomic_path(out) as tmp:
        if suffix == ".csv":
            _write_csv(records(run), tmp)
        elif suffix == ".json":
            _write_json({**run_document(run, records(run)),  # the schema's rank_result
                         **({"adjustments": adjustments_json(run)} if run.calibration else {})},
                        tmp)
        else:
            _write_xlsx(run, tmp, batch, bulk)
    return out


# ---- machine-readable --------------------------------------------------------------------

def records(run: RunResult) -> list[dict[str, Any]]:
    """Every input row once, ranked or rejected, under canonical keys."""
    out: list[dict[str, Any]] = []
    many = len(run.parts) > 1
    for p in run.parts:
        keys = [*p.part.fields, *(i.key for i in p.part.items)]
        extras = [f"extra:{h}" for _, h in p.table.extras]
        computed = COMPUTED
        optional = (["movement"] if p.part.movement else []) + \
            (["reason"] if has_reasons(p.part) else []) + [k for k in PAY if k in p.results] + \
            (["adjusted", "before", "adjustment"] if run.calibration else [])
        for status, frame in (("ranked", p.results), ("rejected", p.rejected)):
            columns = {k: _column_values(frame, k) for k in [*keys, *computed, *optional, *extras]}
            reasons = _column_values(frame, "reasons") if status == "rejected" else \
                [None] * len(frame)
            rows = _column_values(frame, ROW)
            for i in range(len(frame)):
                rec: dict[str, Any] = {"sheet": p.table.sheet} if many else {}
                rec["row"] = rows[i]
                for k in [*keys, *computed, *optional]:
                    rec[k] = columns[k][i]
                for k in extras:
                    rec[k.removeprefix("extra:")] = columns[k][i]
                rec["status"] = status
                rec["reasons"] = reasons[i]
                if run.calibration and status == "rejected":
                    rec["adjusted"] = False
                out.append(rec)
    return out


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Records as UTF-8 CSV (with BOM, so Excel reads Chinese), formula-looking text defused."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow([_csv_safe(n) for n in names])  # a clerk's header is text too
        writer.writerows([_csv_safe(_csv_json(r.get(k))) for k in names] for r in rows)


def _csv_json(value: Any) -> Any:
    """An object (the `before` values of an adjusted row) as JSON text in its cell."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict) \
        else value


def _csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _write_json(doc: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


# ---- workbook ----------------------------------------------------------------------------

def _sheet_name(base: str, p: PartResult, many: bool) -> str:
    return (f"{base} {p.table.sheet}" if many else base)[:31].replace("/", "-")


def _table(book: Workbook, name: str, columns: list[Column], frame: pd.DataFrame,
           grades: list[str]) -> Any:
    return book.table(name, columns, [_column_values(frame, c.key) for c in columns], grades)


def _write_xlsx(run: RunResult, path: Path, batch: list[dict[str, Any]] | None = None,
                bulk: bool = True) -> None:
    book = Workbook(path, run.rules.precision, bulk)
    lang = run.rules.language
    labels = LABELS[lang]
    many = len(run.parts) > 1
    for p in run.parts:
        _table(book, _sheet_name(labels["results"], p, many), result_columns(p, lang), p.results,
               p.part.grade_order)
    for p in run.parts:
        _summary_sheet(book, _sheet_name(labels["summary"], p, many), p, lang, run.rules.precision)
    for p in run.parts:
        cols = [Column(ROW, labels["row"], "int")]
        cols += [Column(k, p.table.headers[k], _kind(p.part.fields[k]))
                 for k in sorted(p.table.columns, key=p.table.columns.__getitem__)]
        cols += [Column(f"extra:{h}", h, "text") for _, h in p.table.extras]
        cols += [Column("codes", labels["codes"], "text"), Column("reasons", labels["reasons"],
                                                                  "text")]
        _table(book, _sheet_name(labels["rejected"], p, many), cols, p.rejected, [])
    if run.calibration is not None:
        adjustments_sheet(book, run)
    if batch is not None:
        files = pd.DataFrame(batch)
        _table(book, labels["batch"], [Column(str(c), str(c), "number" if c == "seconds" else
                                              "int" if str(c).startswith("rows") else "text")
                                       for c in files.columns], files, [])
    _run_sheet(book, labels, run.run_info(), run.issues)
    book.close()


def write_rollup(run: RollupRun, out: Path) -> Path:
    """A roll-up as .xlsx (Rollup, Ledger, Summary, Run), .csv or .json, by suffix."""
    suffix = out.suffix.lower()
    with atomic_path(out) as tmp:
        if suffix == ".csv":
            _write_csv(rollup_records(run), tmp)
        elif suffix == ".json":
            _write_json(rollup_document(run, rollup_records(run)), tmp)  # schema: rollup_result
        else:
            _rollup_xlsx(run, tmp)
    return out


def _rollup_columns(run: RollupRun) -> list[Column]:
    part, labels = run.rules.parts[-1], LABELS[run.rules.language]
    key = part.id or next(iter(part.fields))
    cols = [Column("rank", labels["rank"], "int"), Column(key, part.header_of(key), "text")]
    cols += [Column(k, part.header_of(k), "text") for k in ("name", part.group)
             if k and k in part.fields and k != key]
    for m in run.months:
        cols += [Column(f"score_{m.label}", f"{m.label} {labels['score']}", "score"),
                 Column(f"grade_{m.label}", f"{m.label} {labels['grade']}", "grade")]
    cols += [Column("months", labels["months"], "int"), Column("score", labels["score"], "score")]
    if part.bands:
        cols.append(Column("band_grade", labels["band_grade"], "grade"))
    cols += [Column("grade", labels["grade"], "grade"), Column("eligible", labels["eligible"],
                                                                "text"),
             Column("ineligible_reasons", labels["ineligible_reasons"], "text"),
             Column("points_earned", labels["points_earned"], "number"),
             Column("points_balance", labels["points_balance"], "number"),
             Column("streak", labels["streak"], "text"),
             Column("consequence", labels["consequence"], "text")]
    return cols


def rollup_records(run: RollupRun) -> list[dict[str, Any]]:
    """One record per person under canonical keys (field keys, rollup keys, per-month keys)."""
    part = run.rules.parts[-1]
    frame = run.result.frame
    keys = [k for k in part.fields if k in frame] + \
        [f"{w}_{m.label}" for m in run.months for w in ("score", "grade")] + ROLLUP_KEYS
    columns = {k: _column_values(frame, k) for k in keys}
    return [{"period": run.period, **{k: columns[k][i] for k in keys}} for i in range(len(frame))]


def _rollup_xlsx(run: RollupRun, path: Path) -> None:
    book = Workbook(path, run.rules.precision)
    lang = run.rules.language
    labels = LABELS[lang]
    part = run.rules.parts[-1]
    frame = run.result.frame.copy()
    frame["streak"] = [f"{g}×{n}" if g else None
                       for g, n in zip(frame["streak_grade"], frame["streak_months"], strict=True)]
    frame["eligible"] = [labels["yes"] if ok else labels["no"] for ok in frame["eligible"]]
    _table(book, labels["rollup"], _rollup_columns(run), frame, part.grade_order)
    changes = pd.DataFrame(run.result.earned or [], columns=["period", "id", "name", "change",
                                                              "reason"])
    key = part.id or next(iter(part.fields))
    _table(book, labels["ledger"], [Column("period", labels["period"], "text"),
                                     Column("id", part.header_of(key), "text"),
                                     Column("name", part.header_of("name"), "text"),
                                     Column("change", labels["change"], "number"),
                                     Column("reason", labels["reasons"], "text")],
           changes, [])
    counts = frame.groupby("grade", sort=False).agg(
        size=("score", "size"), mean=("score", "mean"),
        eligible=("points_earned", lambda s: int((s > 0).sum())),
        points=("points_earned", "sum")).reindex([g for g in part.grade_order
                                                  if g in set(frame["grade"])])
    summary = counts.reset_index().rename(columns={"grade": labels["grade"], "size": labels["size"],
                                                    "mean": labels["mean_score"],
                                                    "eligible": labels["eligible"],
                                                    "points": labels["points_earned"]})
    summary[labels["mean_score"]] = summary[labels["mean_score"]].round(run.rules.precision)
    kinds = {labels["mean_score"]: "score", labels["points_earned"]: "number"}
    _table(book, labels["summary"], [Column(str(c), str(c), kinds.get(str(c), "text" if
                                            summary[c].dtype == object else "int"))
                                     for c in summary.columns], summary, [])
    _run_sheet(book, labels, run.run_info(), [])
    book.close()


def summary_frame(p: PartResult, lang: str, precision: int = 2) -> pd.DataFrame:
    """Per group: head count, mean score, quota vs actual per grade, cut-offs, notices."""
    labels = LABELS[lang]
    group = p.part.group
    frame = p.results
    keys = frame[group] if group else pd.Series("all", index=frame.index)
    table = frame.groupby(keys, sort=False)["score"].agg(["size", "mean"])
    table.columns = [labels["size"], labels["mean_score"]]
    table[labels["mean_score"]] = table[labels["mean_score"]].round(precision)
    grades = p.part.grade_order
    by_group = {g.group: g for g in p.groups}
    if grades:
        counts = frame.groupby([keys, frame["grade"]], sort=False).size()
        for g in grades:
            if p.part.distribution:
                table[f"{g} quota"] = [by_group[k].quota.get(g) if k in by_group else None
                                       for k in table.index]
            table[g] = [int(counts.get((k, g), 0)) for k in table.index]
    if p.part.distribution:
        table[labels["table"]] = [by_group[k].table if k in by_group else "" for k in table.index]
        table[labels["mode"]] = [by_group[k].mode if k in by_group else "" for k in table.index]
        table[labels["cutoffs"]] = ["; ".join(by_group[k].cutoffs) if k in by_group else ""
                                    for k in table.index]
        table[labels["notice"]] = [by_group[k].notice or "" if k in by_group else ""
                                   for k in table.index]
    if p.group_table is not None:
        table[labels["place"]] = p.group_table["place"].reindex(table.index)
        table[labels["incentive_pct"]] = p.group_table["incentive_pct"].reindex(table.index)
        table = table.sort_values(labels["place"], kind="stable")
    else:
        table = table.sort_values(labels["mean_score"], ascending=False, kind="stable")
    table.index.name = p.table.headers.get(group, labels["group"]) if group else labels["group"]
    return _pay_totals(table.reset_index(), frame, keys, labels)


def _pay_totals(table: pd.DataFrame, frame: pd.DataFrame, keys: pd.Series,
                labels: dict[str, str]) -> pd.DataFrame:
    """Each pay amount's total per group, and a last row with the totals of the whole sheet
    (exact sums of the cents)."""
    pay = [k for k in PAY if k in frame]
    if not pay or table.empty:
        return table
    group = table.columns[0]
    for k in pay:
        sums = {g: cents_total(v.tolist()) for g, v in frame[k].groupby(keys, sort=False)}
        table[labels[f"{k}_total"]] = [sums.get(g) for g in table[group]]
    last = {group: labels["total"], labels["size"]: int(table[labels["size"]].sum()),
            **{labels[f"{k}_total"]: cents_total(frame[k].tolist()) for k in pay}}
    return pd.concat([table, pd.DataFrame([last])], ignore_index=True)


def _summary_sheet(book: Workbook, name: str, p: PartResult, lang: str, precision: int) -> None:
    table = summary_frame(p, lang, precision)
    kinds = {LABELS[lang]["mean_score"]: "score", LABELS[lang]["incentive_pct"]: "pct_points",
             **{LABELS[lang][f"{k}_total"]: "money" for k in PAY}}
    cols = [Column(str(c), str(c), kinds.get(str(c), "text" if table[c].dtype == object
                                              else "int")) for c in table.columns]
    ws = _table(book, name, cols, table, [])
    n = len(table) - any(LABELS[lang][f"{k}_total"] in table for k in PAY)  # not the totals row
    if not n:
        return
    chart = book.wb.add_chart({"type": "column"})
    grades = [g for g in p.part.grade_order if g in table.columns]
    shown = min(n, 30)
    if grades:
        for g in grades:
            c = list(table.columns).index(g)
            chart.add_series({"name": [name, 0, c], "categories": [name, 1, 0, shown, 0],
                              "values": [name, 1, c, shown, c]})
        chart.set_title({"name": LABELS[lang]["chart_grades"]})
    else:
        c = list(table.columns).index(LABELS[lang]["mean_score"])
        chart.add_series({"name": [name, 0, c], "categories": [name, 1, 0, shown, 0],
                          "values": [name, 1, c, shown, c]})
        chart.set_title({"name": LABELS[lang]["chart_means"]})
        chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(1, len(cols) + 1, chart)


def _run_sheet(book: Workbook, labels: dict[str, str], info: dict[str, Any],
               issues: list[Any]) -> None:
    """What produced the workbook (version, rule set, input, hashes, options), and notices."""
    ws = book.wb.add_worksheet(labels["run"])
    bold = book.format({"bold": True})
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 70, book.format({"text_wrap": True, "valign": "top"}))
    r = 0
    for key, value in info.items():
        ws.write_string(r, 0, key, bold)
        ws.write(r, 1, value)
        r += 1
    r += 1
    notes = [i for i in issues if i.row is None or i.severity.value != "error"]
    if notes:
        ws.write_row(r, 0, [labels["notes"], ""], book.format(HEADER))
        r += 1
        ws.write_row(r, 0, [labels["where"], labels["message"]], bold)
        r += 1
        for i in notes[:5000]:
            where = " ".join(str(x) for x in (i.sheet, i.cell) if x)
            ws.write_row(r, 0, [f"{i.code} {where}".strip(), i.message])
            r += 1
