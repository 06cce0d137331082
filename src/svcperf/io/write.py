"""Write results: an .xlsx workbook (Results, Summary, Rejected, Run), or CSV / JSON for scripts.

Every output goes to a temporary file beside the target and is renamed into place, so a crash
never leaves a half-written file. Text is always written as text, never as a formula.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from svcperf.core.validate import ROW
from svcperf.pipeline import COMPUTED, PartResult, RunResult
from svcperf.rules.model import FieldSpec
from svcperf.text import column_letter

LABELS = {
    "en": {"rank": "Rank", "group_rank": "Group rank", "score": "Score",
           "band_grade": "Band grade", "grade": "Grade", "coefficient": "Coefficient",
           "incentive_pct": "Incentive %", "reason": "Quota reason", "movement": "Move",
           "row": "Row", "codes": "Codes", "reasons": "Reasons", "group": "Group",
           "size": "Head count", "mean_score": "Mean score", "table": "Quota table",
           "mode": "Mode", "cutoffs": "At the cut-offs", "notice": "Notice", "place": "Place"},
    "zh": {"rank": "排名", "group_rank": "组内排名", "score": "得分", "band_grade": "分档等级",
           "grade": "最终等级", "coefficient": "系数", "incentive_pct": "激励比例%",
           "reason": "配额说明", "movement": "级别变动", "row": "行号", "codes": "问题代码",
           "reasons": "原因", "group": "分组", "size": "人数", "mean_score": "平均分",
           "table": "配额表", "mode": "方式", "cutoffs": "分界处人员", "notice": "提示",
           "place": "名次", "months": "在岗月数", "eligible": "奖励资格",
           "ineligible_reasons": "不符合原因", "points_earned": "本期积分", "points_balance": "积分余额",
           "streak": "连续等级", "consequence": "处理", "change": "积分变动", "period": "期间",
           "file": "文件", "source_row": "原行号"},
}
LABELS["en"].update({"months": "Months", "eligible": "Eligible", "ineligible_reasons": "Why not",
                     "points_earned": "Points earned", "points_balance": "Points balance",
                     "streak": "Streak", "consequence": "Consequence", "change": "Change",
                     "period": "Period", "file": "File", "source_row": "Source row"})
ROLLUP_KEYS = ["rank", "months", "score", "band_grade", "grade", "eligible", "ineligible_reasons",
               "points_earned", "points_balance", "streak_grade", "streak_months", "consequence"]
GRADE_COLOURS = ["#C6EFCE", "#DDEBF7", "#FFF2CC", "#FCE4D6", "#FFC7CE", "#E7E6E6"]


@dataclass
class Column:
    key: str  # frame column
    header: str
    kind: str  # text, number, percent, int, grade, pct_points, score


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
    if part.movement:
        cols.append(Column("movement", labels["movement"], "text"))
    if part.incentives:
        cols.append(Column("incentive_pct", labels["incentive_pct"], "pct_points"))
    if part.distribution:
        cols.append(Column("reason", labels["reason"], "text"))
    return cols


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


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_result(run: RunResult, out: Path, batch: list[dict[str, Any]] | None = None) -> Path:
    """Write by suffix: .xlsx, .csv or .json. `batch` (one dict per file) adds a Batch sheet."""
    suffix = out.suffix.lower()
    with atomic_path(out) as tmp:
        if suffix == ".csv":
            _write_csv(records(run), tmp)
        elif suffix == ".json":
            _write_json({"run": run.run_info(), "rows": records(run),
                         "issues": [i.model_dump(mode="json") for i in run.issues]}, tmp)
        else:
            _write_xlsx(run, tmp, batch)
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
            (["reason"] if p.part.distribution else [])
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
                out.append(rec)
    return out


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Records as UTF-8 CSV (with BOM, so Excel reads Chinese), formula-looking text defused."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        writer.writerows({k: _csv_safe(v) for k, v in r.items()} for r in rows)


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

class _Formats:
    def __init__(self, wb: Any, precision: int) -> None:
        self.header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "text_wrap": True, "valign": "top"})
        self.by_kind = {
            "percent": wb.add_format({"num_format": "0.00%"}),
            "score": wb.add_format({"num_format": "0." + "0" * precision if precision else "0"}),
            "number": wb.add_format({"num_format": "0.00"}),
            "int": wb.add_format({"num_format": "0"}),
            "pct_points": wb.add_format({"num_format": '+0.##"%";-0.##"%";0"%"'}),
            "text": None,
            "grade": wb.add_format({"align": "center"}),
        }
        self.bold = wb.add_format({"bold": True})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})


def _width(header: str, kind: str) -> float:
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header)
    return max(8.0, min(40.0, wide + 2.0, 28.0 if kind == "text" else 16.0))


def _sheet_name(base: str, p: PartResult, many: bool) -> str:
    return (f"{base} {p.table.sheet}" if many else base)[:31].replace("/", "-")


@dataclass
class _Pending:
    """A table sheet whose data rows are added after XlsxWriter has closed the workbook."""

    index: int
    data: list[list[Any]]
    formats: list[Any]


def _table_sheet(wb: Any, fmt: _Formats, name: str, columns: list[Column],
                 frame: pd.DataFrame, grades: list[str], pending: list[_Pending]) -> Any:
    ws = wb.add_worksheet(name)
    formats = [fmt.by_kind.get(col.kind) for col in columns]
    for c, col in enumerate(columns):
        width = 28.0 if col.key in ("reason", "reasons") else _width(col.header, col.kind)
        ws.set_column(c, c, width, formats[c])
    ws.write_row(0, 0, [c.header for c in columns], fmt.header)
    pending.append(_Pending(ws.index, [_column_values(frame, c.key) for c in columns], formats))
    n = len(frame)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # printed: all columns on one page width
    ws.repeat_rows(0)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n, 1), max(len(columns) - 1, 0))
    for c, col in enumerate(columns):
        if col.kind != "grade" or not n:
            continue
        for g, grade in enumerate(grades):
            colour = GRADE_COLOURS[min(g, len(GRADE_COLOURS) - 1)] if g < len(grades) - 1 \
                or len(grades) == 1 else GRADE_COLOURS[4]
            ws.conditional_format(1, c, n, c, {
                "type": "cell", "criteria": "==", "value": json.dumps(grade, ensure_ascii=False),
                "format": wb.add_format({"bg_color": colour})})
    return ws


def _open_workbook(path: Path, precision: int) -> tuple[Any, _Formats, list[_Pending]]:
    """An XlsxWriter workbook that never turns text into formulas, links or numbers."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    return wb, _Formats(wb, precision), []


def _close_workbook(wb: Any, path: Path, pending: list[_Pending]) -> None:
    """Close; the formats have their style numbers then, so add every table sheet's rows."""
    from svcperf.io.cells_xml import SheetRows, rows_xml, splice

    wb.close()
    splice(path, [SheetRows(t.index, rows_xml(t.data, [f.xf_index if f else None
                                                       for f in t.formats]),
                            f"{column_letter(max(len(t.data) - 1, 0))}{len(t.data[0]) + 1}")
                  for t in pending if t.data and len(t.data[0])])


def _write_xlsx(run: RunResult, path: Path, batch: list[dict[str, Any]] | None = None) -> None:
    wb, fmt, pending = _open_workbook(path, run.rules.precision)
    lang = run.rules.language
    many = len(run.parts) > 1
    for p in run.parts:
        _table_sheet(wb, fmt, _sheet_name("Results", p, many), result_columns(p, lang),
                     p.results, p.part.grade_order, pending)
    for p in run.parts:
        _summary_sheet(wb, fmt, _sheet_name("Summary", p, many), p, lang, run.rules.precision,
                       pending)
    for p in run.parts:
        labels = LABELS[lang]
        cols = [Column(ROW, labels["row"], "int")]
        cols += [Column(k, p.table.headers[k], _kind(p.part.fields[k]))
                 for k in sorted(p.table.columns, key=p.table.columns.__getitem__)]
        cols += [Column(f"extra:{h}", h, "text") for _, h in p.table.extras]
        cols += [Column("codes", labels["codes"], "text"), Column("reasons", labels["reasons"],
                                                                  "text")]
        _table_sheet(wb, fmt, _sheet_name("Rejected", p, many), cols, p.rejected, [], pending)
    if batch is not None:
        files = pd.DataFrame(batch)
        _table_sheet(wb, fmt, "Batch", [Column(str(c), str(c), "number" if c == "seconds" else
                                               "int" if str(c).startswith("rows") else "text")
                                        for c in files.columns], files, [], pending)
    _run_sheet(wb, fmt, run.run_info(), run.issues)
    _close_workbook(wb, path, pending)


def write_rollup(run: Any, out: Path) -> Path:
    """A roll-up as .xlsx (Rollup, Ledger, Summary, Run), .csv or .json, by suffix."""
    suffix = out.suffix.lower()
    with atomic_path(out) as tmp:
        if suffix == ".csv":
            _write_csv(rollup_records(run), tmp)
        elif suffix == ".json":
            _write_json({"run": run.run_info(), "rows": rollup_records(run)}, tmp)
        else:
            _rollup_xlsx(run, tmp)
    return out


def _rollup_columns(run: Any) -> list[Column]:
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


def rollup_records(run: Any) -> list[dict[str, Any]]:
    """One record per person under canonical keys (field keys, rollup keys, per-month keys)."""
    part = run.rules.parts[-1]
    frame = run.result.frame
    keys = [k for k in part.fields if k in frame] + \
        [f"{w}_{m.label}" for m in run.months for w in ("score", "grade")] + ROLLUP_KEYS
    columns = {k: _column_values(frame, k) for k in keys}
    return [{"period": run.period, **{k: columns[k][i] for k in keys}} for i in range(len(frame))]


def _rollup_xlsx(run: Any, path: Path) -> None:
    wb, fmt, pending = _open_workbook(path, run.rules.precision)
    lang = run.rules.language
    labels = LABELS[lang]
    part = run.rules.parts[-1]
    frame = run.result.frame.copy()
    frame["streak"] = [f"{g}×{n}" if g else None
                       for g, n in zip(frame["streak_grade"], frame["streak_months"], strict=True)]
    frame["eligible"] = [("是" if lang == "zh" else "yes") if ok else ("否" if lang == "zh"
                                                                     else "no")
                         for ok in frame["eligible"]]
    _table_sheet(wb, fmt, "Rollup", _rollup_columns(run), frame, part.grade_order, pending)
    changes = pd.DataFrame(run.result.earned or [], columns=["period", "id", "name", "change",
                                                              "reason"])
    key = part.id or next(iter(part.fields))
    _table_sheet(wb, fmt, "Ledger", [Column("period", labels["period"], "text"),
                                     Column("id", part.header_of(key), "text"),
                                     Column("name", part.header_of("name"), "text"),
                                     Column("change", labels["change"], "number"),
                                     Column("reason", labels["reasons"], "text")],
                 changes, [], pending)
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
    _table_sheet(wb, fmt, "Summary", [Column(str(c), str(c), kinds.get(str(c), "text" if
                                             summary[c].dtype == object else "int"))
                                      for c in summary.columns], summary, [], pending)
    _run_sheet(wb, fmt, run.run_info(), [])
    _close_workbook(wb, path, pending)


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
    return table.reset_index()


def _summary_sheet(wb: Any, fmt: _Formats, name: str, p: PartResult, lang: str,
                   precision: int, pending: list[_Pending]) -> None:
    table = summary_frame(p, lang, precision)
    kinds = {LABELS[lang]["mean_score"]: "score", LABELS[lang]["incentive_pct"]: "pct_points"}
    cols = [Column(str(c), str(c), kinds.get(str(c), "text" if table[c].dtype == object
                                              else "int")) for c in table.columns]
    ws = _table_sheet(wb, fmt, name, cols, table, [], pending)
    n = len(table)
    if not n:
        return
    chart = wb.add_chart({"type": "column"})
    grades = [g for g in p.part.grade_order if g in table.columns]
    shown = min(n, 30)
    if grades:
        for g in grades:
            c = list(table.columns).index(g)
            chart.add_series({"name": [name, 0, c], "categories": [name, 1, 0, shown, 0],
                              "values": [name, 1, c, shown, c]})
        chart.set_title({"name": "Grades per group" if lang == "en" else "各组等级人数"})
    else:
        c = list(table.columns).index(LABELS[lang]["mean_score"])
        chart.add_series({"name": [name, 0, c], "categories": [name, 1, 0, shown, 0],
                          "values": [name, 1, c, shown, c]})
        chart.set_title({"name": "Mean score per group" if lang == "en" else "各组平均分"})
        chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(1, len(cols) + 1, chart)


def _run_sheet(wb: Any, fmt: _Formats, info: dict[str, Any], issues: list[Any]) -> None:
    """What produced the workbook (version, rule set, input, hashes, options), and notices."""
    ws = wb.add_worksheet("Run")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 70, fmt.wrap)
    r = 0
    for key, value in info.items():
        ws.write_string(r, 0, key, fmt.bold)
        ws.write(r, 1, value)
        r += 1
    r += 1
    notes = [i for i in issues if i.row is None or i.severity.value != "error"]
    if notes:
        ws.write_row(r, 0, ["Notices and warnings", ""], fmt.header)
        r += 1
        ws.write_row(r, 0, ["code / where", "message"], fmt.bold)
        r += 1
        for i in notes[:5000]:
            where = " ".join(str(x) for x in (i.sheet, i.cell) if x)
            ws.write_row(r, 0, [f"{i.code} {where}".strip(), i.message])
            r += 1
