"""Write results: an .xlsx workbook (Results, Summary, Rejected, Run), or CSV / JSON for scripts.

Every output goes to a temporary file beside the target and is renamed into place, so a crash
never leaves a half-written file. Text is always written as text, never as a formula.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from svcperf.i18n import BATCH_HEADERS, BOOK, LABELS, READ_BACK
from svcperf.io.adjustments import adjustments_json, adjustments_sheet
from svcperf.io.files import atomic_path
from svcperf.io.machine import extra_names, rollup_document, run_document
from svcperf.io.report import (
    Context,
    book_title,
    half_up,
    issue_reasons,
    overview_sheet,
    run_sheet,
    summary_frame,
    summary_sheet,
    write_run,
)
from svcperf.io.xlsx import Column, Workbook, auto_kind
from svcperf.results import ROW, PartResult, RollupRun, RunResult
from svcperf.rules.model import COMPUTED, PAY, FieldSpec, SheetRules
from svcperf.text import cell_text, fold

ROLLUP_KEYS = ["rank", "months", "score", "band_grade", "grade", "eligible", "ineligible_reasons",
               "points_earned", "points_balance", "streak_grade", "streak_months", "consequence"]


# the headers of the computed columns a result is read back by, in every language, folded,
# and the key each heads (io.ranked reads them; `carried` keeps a sheet's own from them)
READ_BACK_LABELS = {fold(names[k]): k for names in LABELS.values() for k in READ_BACK}


def carried(header: str, labels: dict[str, str]) -> str:
    """A sheet's column the rule set does not know, headed as in the sheet; one headed like a
    computed column (score, 排名) is headed as the sheet's, so that neither a reader nor a
    result read back (io.ranked) takes it for the computed one."""
    return labels["carried"].format(header=header) if fold(header) in READ_BACK_LABELS \
        else header


def result_columns(p: PartResult, lang: str) -> list[Column]:
    """What Results shows, in order: ranks, the input columns as laid out, points, grades."""
    part, labels = p.part, LABELS[lang]
    cols = [Column("rank", labels["rank"], "int")]
    groups = p.results[part.group] if part.group and part.group in p.results else None
    if groups is not None and groups.duplicated().any():  # one person a group: always 1
        cols.append(Column("group_rank", labels["group_rank"], "int"))
    laid_out = sorted([*((c, k, None) for k, c in p.table.columns.items()),
                       *((c, f"extra:{h}", h) for c, h in p.table.extras)])
    for _, key, extra in laid_out:
        if extra is not None:
            cols.append(Column(key, carried(extra, labels), "text"))
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
    if has_reasons(part) or _any_text(p.results, "reason"):  # R3's 主管: its grade's reason
        cols.append(Column("reason", labels["reason"], "text"))
    if "adjustment" in p.results:  # svcperf rank --adjust: before, after and why
        cols.append(Column("adjustment", labels["adjustment"], "text"))
    return cols


def _any_text(frame: pd.DataFrame, key: str) -> bool:
    return key in frame and bool(frame[key].map(lambda v: isinstance(v, str) and bool(v)).any())


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
    `bulk=False` writes table rows through XlsxWriter's own cell path (see io.xlsx). A
    workbook is in its rule set's language throughout: the grades' reasons are made in it."""
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
        source = p.table.source_keys  # a merged table's rows say their sheet (file) and row
        extras = [k for k in (f"extra:{h}" for _, h in p.table.extras) if k not in (source or ())]
        named = extra_names(p)
        computed = COMPUTED
        optional = (["movement"] if p.part.movement else []) + \
            (["reason"] if has_reasons(p.part) or _any_text(p.results, "reason") else []) + \
            [k for k in PAY if k in p.results] + \
            (["adjusted", "before", "adjustment"] if run.calibration else [])
        texts = [k for k, f in p.part.fields.items() if f.type == "text"]
        for status, frame in (("ranked", p.results), ("rejected", p.rejected)):
            columns = {k: _column_values(frame, k) for k in [*keys, *computed, *optional, *extras]}
            if status == "rejected":  # cells as typed: an id typed 1005 is '1005', as if ranked
                columns.update({k: [cell_text(v) for v in columns[k]] for k in texts})
            reasons = _column_values(frame, "reasons") if status == "rejected" else \
                [None] * len(frame)
            rows = _column_values(frame, source[1] if source else ROW)
            where = _column_values(frame, source[0]) if source else []
            for i in range(len(frame)):
                rec: dict[str, Any] = {"sheet": p.table.sheet} if many else {}
                if source:
                    rec[p.table.merged_by] = where[i]
                rec["row"] = rows[i]
                for k in [*keys, *computed, *optional]:
                    rec[k] = columns[k][i]
                for k in extras:
                    rec[named[k]] = columns[k][i]
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
        writer.writerow([csv_safe(n) for n in names])  # a clerk's header is text too
        writer.writerows([csv_safe(_csv_json(r.get(k))) for k in names] for r in rows)


def _csv_json(value: Any) -> Any:
    """An object (the `before` values of an adjusted row) as JSON text in its cell."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict) \
        else value


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _write_json(doc: dict[str, Any], path: Path) -> None:
    """The document with each entry of a top-level list (a row, an issue) on its own line.

    Written entry by entry with json's C encoder: `indent=` takes the pure-Python encoder,
    which for 100,000 rejected rows took 7 s and held the whole text as a million pieces."""
    def dump(value: Any, indent: int | None = None) -> str:
        return json.dumps(value, ensure_ascii=False, default=str, indent=indent)

    with path.open("w", encoding="utf-8") as fh:
        fh.write("{")
        for n, (key, value) in enumerate(doc.items()):
            fh.write(f'{"," if n else ""}\n {dump(key)}: ')
            if isinstance(value, list) and value:
                for i, entry in enumerate(value):
                    fh.write(f'{"," if i else "["}\n  {dump(entry)}')
                fh.write("\n ]")
            else:  # the run's facts: small, indented to read
                fh.write(dump(value, 1).replace("\n", "\n "))
        fh.write("\n}\n")


# ---- workbook ----------------------------------------------------------------------------

def _table(book: Workbook, name: str, columns: list[Column], frame: pd.DataFrame,
           grades: list[str], percent: list[bool] | None = None, keys: int = 1) -> Any:
    return book.table(name, columns, [_column_values(frame, c.key) for c in columns], grades,
                      percent or [], keys=keys)


def key_columns(p: PartResult, columns: list[Column]) -> int:
    """How many leading columns say who a row is: up to its id and name (at most 5)."""
    who = [i for i, c in enumerate(columns[:5]) if c.key in (p.part.id, "name")]
    return max(who) + 1 if who else 1


def _open(run: RunResult | RollupRun, path: Path, lang: str, bulk: bool = True) -> Workbook:
    header = book_title(run.rules.title or run.rules.name, run.period, lang)
    group = getattr(run, "group", None)  # one group's workbook names it in its title
    if group is not None:
        header = BOOK[lang]["title_group"].format(title=header, group=group)
    return Workbook(path, run.rules.precision, bulk, header=header,
                    footer=BOOK[lang]["page"])


def results_sheets(ctx: Context) -> None:
    """Results: every ranked person; by group, then group rank, where the rule set groups."""
    for p in ctx.run.parts:
        frame = shown_results(p, ctx.lang)
        cols = result_columns(p, ctx.lang)
        for c in cols:
            if c.key.startswith("extra:"):
                c.kind = auto_kind(_column_values(frame, c.key), c.header)
        _table(ctx.book, ctx.name("results", p), cols, frame, p.part.grade_order,
               keys=key_columns(p, cols))


def shown_results(p: PartResult, lang: str) -> pd.DataFrame:
    """The Results rows as shown: yes/no fields as 是/否, ordered by group then group rank."""
    frame = p.results.copy()
    for key, spec in p.part.fields.items():
        if spec.type == "yesno" and key in frame:
            frame[key] = [None if v is None or v != v else LABELS[lang]["yes"] if v else
                          LABELS[lang]["no"] for v in frame[key]]
    group = p.part.group
    if group and group in frame and "group_rank" in frame and len(frame):
        if p.group_table is not None:
            order = {k: i for i, k in enumerate(p.group_table.index)}
        else:
            order = {k: i for i, k in enumerate(dict.fromkeys(frame[group].tolist()))}
        at = frame[group].map(lambda k: order.get(k, len(order)))
        frame = frame.assign(_at=at).sort_values(["_at", "group_rank", "rank"], kind="stable") \
            .drop(columns="_at")
    return frame


def summary_sheets(ctx: Context) -> None:
    for p in ctx.run.parts:
        summary_sheet(ctx, p)


def rejected_sheets(ctx: Context) -> None:
    """Rejected: the cells exactly as typed (a typed 93 stays 93), codes and reasons."""
    labels = ctx.labels
    for p in ctx.run.parts:
        fields = sorted(p.table.columns, key=p.table.columns.__getitem__)
        extras = [Column(f"extra:{h}", carried(h, labels), "typed") for _, h in p.table.extras]
        if p.table.merged_by:  # the sheet (file) and its own row first, not a made-up number
            extras, cols = extras[:-2], extras[-2:]
        else:
            cols = [Column(ROW, labels["row"], "int")]
        percent = [False] * len(cols) + [p.part.fields[k].type == "percent" for k in fields]
        cols += [Column(k, p.table.headers[k], "typed") for k in fields]
        cols += [*extras, Column("codes", labels["codes"], "text"),
                 Column("reasons", labels["reasons"], "text")]
        frame = p.rejected.copy()
        if len(frame):
            frame["reasons"] = issue_reasons(p, ctx.lang, ctx.run)
        _table(ctx.book, ctx.name("rejected", p), cols, frame, [], percent)


def adjustments_sheets(ctx: Context) -> None:
    if ctx.run.calibration is not None:
        adjustments_sheet(ctx.book, ctx.run, ctx.lang)


def batch_sheet(ctx: Context) -> None:
    if ctx.batch is None:
        return
    t = BOOK[ctx.lang]
    files = pd.DataFrame(ctx.batch)
    if "status" in files:
        files["status"] = [t.get(f"status:{v}", v) for v in files["status"]]
    if "combined" in files:  # '' ranked together, else why it was left out
        files["combined"] = [t["combined_out"].format(why=v) if v else t["combined_in"]
                             for v in files["combined"]]
    _table(ctx.book, ctx.labels["batch"], [
        Column(str(c), BATCH_HEADERS[ctx.lang].get(str(c), str(c)), "number" if c == "seconds" else
               "int" if str(c).startswith("rows") else "text") for c in files.columns], files, [])


# the workbook's sheets, in order: each a function of the Context; add one to add a sheet
SHEETS: list[Callable[[Context], None]] = [overview_sheet, results_sheets, summary_sheets,
                                           rejected_sheets, adjustments_sheets, batch_sheet,
                                           run_sheet]


def _write_xlsx(run: RunResult, path: Path, batch: list[dict[str, Any]] | None = None,
                bulk: bool = True) -> None:
    language = run.rules.language
    book = _open(run, path, language, bulk)
    ctx = Context(book, run, language, batch)
    for sheet in SHEETS:
        sheet(ctx)
    book.close()


def write_rollup(run: RollupRun, out: Path) -> Path:
    """A roll-up as .xlsx (Rollup, Ledger, Summary, Run), .csv or .json, by suffix; the
    workbook in the rule set's language."""
    suffix = out.suffix.lower()
    with atomic_path(out) as tmp:
        if suffix == ".csv":
            _write_csv(rollup_records(run), tmp)
        elif suffix == ".json":
            _write_json(rollup_document(run, rollup_records(run)), tmp)  # schema: rollup_result
        else:
            _rollup_xlsx(run, tmp, run.rules.language)
    return out


def _rollup_columns(run: RollupRun, lang: str) -> list[Column]:
    part, labels = run.rules.parts[-1], LABELS[lang]
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
             Column("points_balance", labels["points_balance"], "number"),  # 300, not 300.00
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
    # a month's key as JSON has it (snake_case): score_2026_01 in CSV and JSON alike
    named = {k: k.replace("-", "_") for k in keys}
    return [{"period": run.period, **{named[k]: columns[k][i] for k in keys}}
            for i in range(len(frame))]


def _rollup_xlsx(run: RollupRun, path: Path, lang: str) -> None:
    book = _open(run, path, lang)
    labels = LABELS[lang]
    part = run.rules.parts[-1]
    frame = run.result.frame.copy()
    frame["streak"] = [f"{g}×{n}" if isinstance(g, str) else None  # gone by the last month: NaN
                       for g, n in zip(frame["streak_grade"], frame["streak_months"], strict=True)]
    frame["eligible"] = [labels["yes"] if ok else labels["no"] for ok in frame["eligible"]]
    _table(book, labels["rollup"], _rollup_columns(run, lang), frame, part.grade_order)
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
    summary[labels["mean_score"]] = [half_up(v, run.rules.precision)
                                     for v in summary[labels["mean_score"]]]
    kinds = {labels["mean_score"]: "score", labels["points_earned"]: "number"}
    _table(book, labels["summary"], [Column(str(c), str(c), kinds.get(str(c), "text" if
                                            summary[c].dtype == object else "int"))
                                     for c in summary.columns], summary, [])
    write_run(book, lang, run.run_info(lang), [])
    book.close()


__all__ = ["records", "result_columns", "rollup_records", "summary_frame", "write_result",
           "write_rollup"]
