"""The sheets of a result workbook that are not one table of rows: Overview, Summary, Run.

Every sheet is a function of one `Context` (the workbook being written, the run, the
workbook's language), so a new sheet is one more function in `io.write.SHEETS`. Everything a
person reads is in the workbook's language (the rule set's, or `--lang`); issue codes stay
kebab-case.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from svcperf.i18n import BOOK, LABELS, ROW_KINDS, RUN_KEYS, TEMPLATE, cli_message, row_of
from svcperf.io.xlsx import (
    CHART_COLOURS,
    HEADER,
    PAGE_POINTS,
    ROW_POINTS,
    Column,
    Workbook,
    grade_colour,
    row_heights,
)
from svcperf.issues import Issue
from svcperf.months import parse_month
from svcperf.results import EXACT, GroupResult, PartResult, RunResult, cents_total
from svcperf.rules.load import shipped_name
from svcperf.rules.model import PAY

FLAG = {"bg_color": "#F8CBAD", "bold": True, "num_format": "0", "valign": "top"}  # quota missed


@dataclass
class Context:
    """One workbook being written: where, from which run, in which language."""

    book: Workbook
    run: RunResult
    lang: str
    batch: list[dict[str, Any]] | None = None

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.lang]

    @property
    def many(self) -> bool:
        return len(self.run.parts) > 1

    def name(self, base: str, p: PartResult | None = None) -> str:
        """A sheet's name: its label, and the rule sheet's when there are several."""
        label = self.labels[base]
        return (f"{label} {p.table.sheet}" if p is not None and self.many else label)[:31] \
            .replace("/", "-")


def book_title(title: str, period: str | None, lang: str) -> str:
    """`2026年3月 集团客户分层分级服务考核结果`: the rule set's title with the period."""
    shown = period_text(period, lang)
    return BOOK[lang]["title_period"].format(period=shown, title=title).strip().rstrip(":")


def period_text(period: str | None, lang: str) -> str:
    """2026-03 as 2026年3月 (zh) or 2026-03 (en); a quarter or other label as it is."""
    if not period or period == "-":
        return ""
    month = parse_month(period)
    if month and lang == "zh":
        year, m = month.split("-")
        return f"{year}年{int(m)}月"
    span = re.fullmatch(r"(\d{4})([QH])([1-4])", period)
    if span and lang == "zh":  # 2026Q1 -> 2026年第1季度, 2026H2 -> 2026年下半年
        year, kind, n = span.groups()
        return f"{year}年第{n}季度" if kind == "Q" else f"{year}年{'上' if n == '1' else '下'}半年"
    return period


def half_up(value: float, places: int) -> float:
    """Round once, half-up, from the decimal text of the float (66.665 -> 66.67)."""
    if value is None or not math.isfinite(value):
        return value
    step = Decimal(1).scaleb(-places)
    near = round(value, places + 6)  # 66.66499999999999 (binary noise) -> 66.665
    return float(Decimal(repr(near)).quantize(step, rounding=ROUND_HALF_UP))


# ---- Overview ----------------------------------------------------------------------------

def overview_sheet(ctx: Context) -> None:
    """The first sheet: what this is, from which file, how many rows went where, the grades
    overall against their quotas, the parameters, rejected rows per group, where to look."""
    run, book, t = ctx.run, ctx.book, BOOK[ctx.lang]
    ws = book.wb.add_worksheet(ctx.name("overview"))
    bold, head = book.format({"bold": True, "valign": "top"}), book.format(HEADER)
    wrap = book.format({"text_wrap": True, "valign": "top"})
    whole, left = book.format({"num_format": "0"}), book.format({"num_format": "0", "align": "left"})
    ws.set_column(0, 0, 26)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 4, 40)
    ws.merge_range(0, 0, 0, 4, book.header, book.format({"bold": True, "font_size": 14}))
    source = t["input_files"].format(n=len(ctx.batch), batch=ctx.labels["batch"]) \
        if ctx.batch is not None else str(run.input)
    facts: list[tuple[str, Any]] = [(t["book_group"], t["group_only"].format(group=run.group))] \
        if run.group is not None else []  # one group's workbook (--split-by group)
    facts += [
        (t["input"], source), (t["sha"], run.input_sha256),
        (t["rows_read"], run.rows_in + run.left_out), (t["rows_ranked"], run.ranked),
        (t["rows_rejected"], run.rejected), (t["rows_left_out"], run.left_out),
        (t["params"], params_text(run, ctx.lang) or t["none"])]
    target = month_target(run, ctx.lang)
    if target:
        facts.append((t["target"], target))
    if run.calibration is not None:  # --adjust: how many grades it changed, and where to look
        facts.append((t["adjusted"], adjusted_text(ctx)))
    r = 2
    for label, value in facts:
        ws.write_string(r, 0, label, bold)
        if isinstance(value, int):
            ws.write_number(r, 1, value, left)
        else:
            ws.merge_range(r, 1, r, 4, str(value), wrap)
        r += 1
    r += 1
    for p in run.parts:
        grades = p.part.grade_order
        if not grades:
            continue
        title = t["distribution"] + (f"（{p.table.sheet}）" if ctx.many and ctx.lang == "zh"
                                     else f" ({p.table.sheet})" if ctx.many else "")
        ws.write_string(r, 0, title, bold)
        r += 1
        ws.write_row(r, 0, [t["grade_col"], t["quota_col"], t["actual_col"]], head)
        r += 1
        quota = {g: sum(x.quota.get(g, 0) for x in p.groups) for g in grades} \
            if any(x.quota for x in p.groups) else {}
        held = {g: sum(x.actual.get(g, 0) for x in p.groups if x.quota) for g in grades}
        actual = p.results["grade"].value_counts() if "grade" in p.results else pd.Series()
        flag = book.format(FLAG)
        for g in grades:  # flagged: a grade whose count, in the groups with quotas, is not it
            ws.write_string(r, 0, g)
            if quota:
                ws.write_number(r, 1, quota[g], whole)
            n = int(actual.get(g, 0))
            ws.write_number(r, 2, n, flag if quota and int(held.get(g, 0)) != quota[g] else whole)
            r += 1
        r += 1
    rejected = [(p, k, n) for p in run.parts for k, n in rejected_by_group(p).items()]
    if rejected:
        ws.write_string(r, 0, t["rejected_by_group"], bold)
        r += 1
        for p, k, n in rejected:
            ws.write_string(r, 0, f"{p.table.sheet} {k}" if ctx.many else k)
            ws.write_number(r, 1, n, whole)
            r += 1
        r += 1
    ws.write_string(r, 0, t["look"], bold)
    look = t["look_text"].format(**{k: ctx.labels[k] for k in ("results", "summary", "rejected",
                                                               "run")})
    ws.merge_range(r, 1, r + 1, 4, look, wrap)
    ws.set_row(r, 30)
    ws.set_row(r + 1, 30)
    book.page(ws, landscape=False, repeat=None)


def adjusted_text(ctx: Context) -> str:
    """`已应用 2 条调整，5 人的等级因此变动（其中连带变动 3 人），详见「调整记录」`."""
    run = ctx.run
    assert run.calibration is not None
    changed = knock = 0
    for p in run.parts:
        if "before" not in p.results or "grade" not in p.results:
            continue
        for before, grade, own in zip(p.results["before"], p.results["grade"],
                                      p.results.get("adjusted", [False] * len(p.results)),
                                      strict=True):
            if isinstance(before, dict) and "grade" in before and before["grade"] != grade:
                changed += 1
                knock += not own
    return BOOK[ctx.lang]["adjusted_text"].format(n=len(run.calibration.adjustments),
                                                  changed=changed, knock=knock,
                                                  sheet=ctx.labels["adjustments"])


def params_text(run: RunResult, lang: str) -> str:
    """The run's parameters, each under its name in the workbook's language (月份 9)."""
    t = BOOK[lang]
    return ("；" if lang == "zh" else ", ").join(f"{t.get('param:' + k, k)} {v}"
                                                for k, v in run.params.items())


def month_target(run: RunResult, lang: str) -> str:
    """The value a parameter sets (R2: --month 9 sets the target 70 %), as text."""
    out = []
    for key, choice in run.params.items():
        param = run.rules.params.get(key)
        if param is None or choice not in param.values:
            continue
        value = param.values[choice]
        percent = any(getattr(i, "scale", None) == 100 for p in run.rules.parts for i in p.items)
        shown = f"{value:g}%" if percent else f"{value:g}"
        out.append(BOOK[lang]["target_text"].format(value=shown, param=BOOK[lang].get(
            "param:" + key, key), choice=choice))
    return "；".join(out)


def rejected_by_group(p: PartResult) -> dict[str, int]:
    """Rejected rows per group as typed (blank groups under their own label)."""
    group = p.part.group
    if not len(p.rejected):
        return {}
    if not group or group not in p.rejected:
        return {"": len(p.rejected)}
    keys = [str(_text(v)) for v in p.rejected[group]]
    return {k: keys.count(k) for k in dict.fromkeys(keys)}


def _text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# ---- Summary -----------------------------------------------------------------------------

def summary_frame(p: PartResult, lang: str, precision: int = 2,
                  sheets: dict[str, str] | None = None) -> pd.DataFrame:
    """Per group (those whose rows were all rejected too): head count, rejected rows, mean
    score, quota and actual per grade, quota vs actual with the reason, the quota table and
    why, how it was applied, who stands at each cut-off; a last row for the whole sheet.
    `sheets` names the worksheet each rule sheet was read from (a cascade's heads)."""
    labels, t = LABELS[lang], BOOK[lang]
    part, frame = p.part, p.results
    group = part.group
    d = part.distribution
    scope_all = d is not None and d.scope == "all"
    keys = frame[group].map(lambda v: str(_text(v))) if group else \
        pd.Series(t["scope_all"], index=frame.index, dtype=object)
    rejected = rejected_by_group(p) if group else {}
    names = list(dict.fromkeys([*keys.tolist(), *rejected]))
    by_group = {g.group: g for g in p.groups}
    grades = part.grade_order
    rows: list[dict[str, Any]] = []
    whole = _Members.of(frame, [EXACT, "score", "grade", group, _label(p), part.id, *PAY])
    parts = whole.split(keys.tolist())
    lines = p.group_table.to_dict("index") if p.group_table is not None else {}
    for name in names:
        members = parts.get(name, whole.none())
        info = by_group.get(name) if not scope_all else None
        rows.append(_summary_row(p, name, members, info, rejected.get(name, 0), lang, precision,
                                 sheets=sheets, lines=lines))
    place = labels["place"]
    rows.sort(key=lambda x: (x[labels["size"]] == 0, x.get(place) or 0,  # best group first
                             -(x[labels["mean_score"]] or 0)))
    total = by_group.get("all") if scope_all else None
    if group or not rows:
        rows.append(_summary_row(p, t["scope_all"] if scope_all else t["total"], whole,
                                 total, len(p.rejected), lang, precision, total_row=True))
    elif total is not None:  # one population: its row is the whole sheet's
        rows[0] = _summary_row(p, t["scope_all"], whole, total, len(p.rejected), lang, precision)
    table = pd.DataFrame(rows)
    head = p.table.headers.get(group, labels["group"]) if group else labels["group"]
    table = table.rename(columns={"group": head})
    order = [head, labels["size"], t["rejected_rows"], labels["mean_score"]]
    for g in grades:
        if d is not None:
            order.append(t["quota_of"].format(grade=g))
        order.append(t["actual_of"].format(grade=g))
    if d is not None:
        order += [t["diff"], labels["table"], labels["mode"], labels["cutoffs"], labels["notice"]]
    if p.group_table is not None:
        order += [labels["place"], labels["incentive_pct"]]
    order += [labels[f"{k}_total"] for k in PAY if k in frame]
    for c in order:
        if c not in table:
            table[c] = None
    return table[order]


class _Members:
    """Some rows of Results as plain lists, a column each (a frame per group would cost a
    third of a millisecond a group: seconds for 25,000 centres)."""

    def __init__(self, columns: dict[str, list[Any]], n: int) -> None:
        self.columns, self.n = columns, n

    @classmethod
    def of(cls, frame: pd.DataFrame, keys: list[str | None]) -> _Members:
        return cls({k: frame[k].tolist() for k in dict.fromkeys(keys) if k and k in frame},
                   len(frame))

    def split(self, keys: list[Any]) -> dict[Any, _Members]:
        at: dict[Any, list[int]] = {}
        for i, key in enumerate(keys):
            at.setdefault(key, []).append(i)
        return {key: _Members({c: [v[i] for i in rows] for c, v in self.columns.items()},
                              len(rows)) for key, rows in at.items()}

    def none(self) -> _Members:
        return _Members({c: [] for c in self.columns}, 0)

    def __len__(self) -> int:
        return self.n

    def __contains__(self, key: object) -> bool:
        return key in self.columns

    def __getitem__(self, key: str) -> list[Any]:
        return self.columns[key]


def _summary_row(p: PartResult, name: str, members: _Members, info: GroupResult | None,
                 rejected: int, lang: str, precision: int, total_row: bool = False,
                 sheets: dict[str, str] | None = None,
                 lines: dict[Any, dict[Any, Any]] | None = None) -> dict[str, Any]:
    labels, t = LABELS[lang], BOOK[lang]
    part = p.part
    d = part.distribution
    row: dict[str, Any] = {"group": name, labels["size"]: len(members),
                           t["rejected_rows"]: rejected}
    exact = members[EXACT] if EXACT in members else members["score"]  # unrounded when known
    mean = math.fsum(exact) / len(members) if len(members) else None
    if lines and not total_row and len(members) and p.part.group:
        line = lines[members[p.part.group][0]]  # the group as typed
        mean = float(line["mean_score"])
        row[labels["place"]] = int(line["place"])
        row[labels["incentive_pct"]] = float(line["incentive_pct"])
    row[labels["mean_score"]] = half_up(mean, precision) if mean is not None else None
    for k in PAY:  # pay amounts: exact sums of the cents (the whole sheet's in its row)
        if k in members:
            row[labels[f"{k}_total"]] = cents_total(members[k])
    grades = part.grade_order
    counts = Counter(members["grade"]) if "grade" in members else Counter()
    for g in grades:
        row[t["actual_of"].format(grade=g)] = int(counts.get(g, 0))
    if d is None:
        return row
    quota = dict(info.quota) if info is not None else {}
    if total_row and info is None:  # the whole sheet of a group-scoped rule set: the sum
        quota = {g: sum(x.quota.get(g, 0) for x in p.groups) for g in grades} \
            if any(x.quota for x in p.groups) else {}
    for g in grades:
        row[t["quota_of"].format(grade=g)] = quota.get(g) if quota else None
    row[t["diff"]] = "" if total_row and info is None else _differences(members, quota, grades,
                                                                          info, lang)
    if not len(members) and rejected and info is None:
        row[t["diff"]] = t["all_rejected"].format(n=rejected)
    if info is not None:
        row[labels["table"]] = _table_why(p, info, lang, sheets or {})
        row[labels["mode"]] = t.get(f"mode:{info.mode}", info.mode)
        cuts = cutoffs(members, grades, _label(p), lang, p.part.id) \
            if info.overridden is None else []  # none stands after grades fixed in calibration
        row[labels["cutoffs"]] = cli_message("join", lang).join(cuts)
        if info.size < d.min_group_size and info.mode in ("bands", "cap", "exact"):
            row[labels["notice"]] = t[f"small:{info.mode}"].format(n=d.min_group_size)
        elif info.mode == "rejected":
            row[labels["notice"]] = t["all_rejected"].format(n=info.size)
        if info.calibrated:  # calibration keep: the grades off quota, with the approver
            said = [x for x in (row.get(labels["notice"]), info.calibrated) if x]
            row[labels["notice"]] = cli_message("join", lang).join(said)
    return row


def _label(p: PartResult) -> str | None:
    fields = p.part.fields
    return "name" if "name" in fields else p.part.id


def _table_why(p: PartResult, info: GroupResult, lang: str, sheets: dict[str, str]) -> str:
    """Which quota table a group used and why, from what distribution recorded."""
    t, d = BOOK[lang], p.part.distribution
    if d is None:
        return ""
    if d.cascade is None:
        return t["table:quotas"]
    shown = sheets.get(d.cascade.sheet, d.cascade.sheet)
    for head in d.cascade.tables:
        if info.table == f"{d.cascade.sheet} grade {head}":
            return t["table:cascade"].format(sheet=shown, grade=head)
    if info.mode == "rejected":
        return t["table:no-head"].format(sheet=shown)
    return info.table


def _differences(members: _Members, quota: dict[str, int], grades: list[str],
                 info: GroupResult | None, lang: str) -> str:
    """Each grade whose actual count is not its quota, and why (a tie at the cut-off, a cap,
    a group too small for quotas)."""
    t = BOOK[lang]
    if not quota:
        return t["bands_only"] if info is not None and info.mode == "bands" else ""
    scores = sorted(members["score"], reverse=True)
    counts = Counter(members["grade"])
    out, top = [], 0
    for g in grades:
        q = quota.get(g)
        if q is None:
            continue
        n = int(counts.get(g, 0))
        if n != q:
            why = ""
            pos = top + q - 1
            if 0 <= pos < len(scores) - 1 and scores[pos] == scores[pos + 1]:
                tied = scores[pos]
                why = t["tie_at"].format(k=scores.count(tied), score=f"{tied:g}")
            elif info is not None and info.mode == "cap":
                why = t["cap_below"]
            if info is not None and g in (info.overridden or []):  # the overrides' doing too
                why = cli_message("join", lang).join(filter(None, (why, t["overridden"])))
            text = t["over"].format(grade=g, actual=n, quota=q)
            out.append(f"{text}（{why}）" if why and lang == "zh" else
                       f"{text} ({why})" if why else text)
        top += q
    return "；".join(out) if lang == "zh" else "; ".join(out)


def cutoffs(members: _Members, grades: list[str], label: str | None,
            lang: str, ident: str | None = None) -> list[str]:
    """`A|B 分界 91/89 分：张三 (A)、李四 (B)` for each boundary between two grades given."""
    if not len(members) or "grade" not in members:
        return []
    order = sorted(range(len(members)), key=lambda i: -members["score"][i])  # stable
    scores, given = [members["score"][i] for i in order], [members["grade"][i] for i in order]
    who = [members[label][i] for i in order] if label and label in members else [""] * len(order)
    ids = [members[ident][i] for i in order] if ident and ident in members else who
    who = [w if isinstance(w, str) and w else str(_text(i)) for w, i in zip(who, ids, strict=True)]
    out = []
    for i in range(len(given) - 1):
        if given[i] == given[i + 1]:
            continue
        hi, lo = scores[i], scores[i + 1]
        near = [f"{w} ({g})" for w, s, g in zip(who, scores, given, strict=True)
                if s in (hi, lo)]
        named = cli_message("list", lang).join(near[:8])
        if len(near) > 8:  # a tie of dozens: eight named, and how many there are
            named = BOOK[lang]["cutoff_more"].format(who=named, n=len(near))
        out.append(BOOK[lang]["cutoff_at"].format(upper=given[i], lower=given[i + 1],
                                                  hi=f"{hi:g}", lo=f"{lo:g}", who=named))
    return out


def summary_sheet(ctx: Context, p: PartResult) -> None:
    """The Summary of one rule sheet: the table, the month's target, then the chart below."""
    lang, book, t = ctx.lang, ctx.book, BOOK[ctx.lang]
    name = ctx.name("summary", p)
    table = summary_frame(p, lang, ctx.run.rules.precision,
                          {q.part.key: q.table.sheet for q in ctx.run.parts})
    labels = ctx.labels
    kinds = {labels["mean_score"]: "score", labels["incentive_pct"]: "pct_points",
             **{labels[f"{k}_total"]: "money" for k in PAY}}
    text = {c for c in table.columns if table[c].dtype == object and
            not all(isinstance(v, int | float) or v is None for v in table[c])}
    cols = [Column("diff" if c == t["diff"] else "cutoffs" if c == labels.get("cutoffs")
                   else "notice" if c == labels.get("notice") else "quota_table"
                   if c == labels.get("table") else str(c), str(c),
                   kinds.get(str(c), "text" if c in text else "int")) for c in table.columns]
    values = [[_cell(v) for v in table[c].tolist()] for c in table.columns]
    ws = book.table(name, cols, values, [], cap=20.0, bulk=False, repeat=None)
    n = len(table)
    flag = book.format(FLAG)
    grades = p.part.grade_order
    if p.part.distribution is not None:  # mark each actual count that is not its quota
        said = values[list(table.columns).index(t["diff"])]
        for g in grades:
            qc = list(table.columns).index(t["quota_of"].format(grade=g))
            ac = list(table.columns).index(t["actual_of"].format(grade=g))
            for r in range(n):
                q, a = values[qc][r], values[ac][r]
                if q is not None and a is not None and q != a and said[r]:
                    ws.write_number(r + 1, ac, a, flag)
    r = n + 2
    target = month_target(ctx.run, lang)
    if target:
        ws.write_string(r, 0, t["target"], book.format({"bold": True}))
        ws.write_string(r, 1, target)
        r += 2
    tall = book.row_heights.get(name, {})
    above = sum(tall.get(i, ROW_POINTS) for i in range(r))  # the table and the target
    page = PAGE_POINTS[True][1] / book.scales.get(name, 1.0)
    if above > page:  # a table of more than a page: its header over each page of it
        ws.repeat_rows(0)
    if n:
        data, end = _chart(ctx, ws, name, p, table, r)
        ws.set_h_pagebreaks(chart_breaks(above, r, data, end, page))


def chart_breaks(above: float, chart: int, data: int, end: int, page: float) -> list[int]:
    """Where the Summary's pages break: nowhere when the chart and its data fit below the
    table; else before the chart, never cutting it in two, and before its data too when the
    two do not fit one page. `above`: points the table takes, `page`: points a page holds."""
    block = (end - chart) * ROW_POINTS
    left = page - above % page
    if block <= left:
        return []
    return [chart] if block <= page else [chart, data]


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _chart(ctx: Context, ws: Any, name: str, p: PartResult, table: pd.DataFrame,
           row: int) -> tuple[int, int]:
    """Below the table: one 100 % stacked bar per group for the quota and one for the actual
    grades, in the grade colours (readable with a dozen groups); means when there are no
    grades. The chart's data sit under it, labelled. Returns the rows where its data start
    and end (one past the last). On a sheet printed across pages with its first column
    repeated, both start in the second column, so no page shows a strip of them."""
    at = 1 if name in ctx.book.across else 0
    book, t, labels = ctx.book, BOOK[ctx.lang], ctx.labels
    grades = p.part.grade_order
    groups = [str(g) for g in table.iloc[:, 0]]
    if len(groups) > 1 and groups[-1] in (t["total"], t["scope_all"]):
        groups = groups[:-1]  # the whole sheet's row is not a group: not a bar of its own
    groups = groups[:40]
    has_quota = p.part.distribution is not None
    if not grades:
        chart = book.wb.add_chart({"type": "bar"})
        c = list(table.columns).index(labels["mean_score"])
        chart.add_series({"name": [name, 0, c], "categories": [name, 1, 0, len(groups), 0],
                          "values": [name, 1, c, len(groups), c],
                          "fill": {"color": CHART_COLOURS[1]}, "data_labels": {"value": True}})
        chart.set_title({"name": labels["chart_means"]})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        height = 120 + 26 * len(groups)
        chart.set_size({"width": 760, "height": height})
        ws.insert_chart(row, at, chart)
        end = row + math.ceil(height / 20) + 1
        return end, end
    # the chart's data: one line per bar (group × quota / actual), one column per grade
    lines: list[tuple[str, list[Any]]] = []
    for i, g in enumerate(groups):
        if has_quota:
            quota = [table.iloc[i][t["quota_of"].format(grade=x)] for x in grades]
            if any(q is not None and not pd.isna(q) for q in quota):
                lines.append((f"{g} {t['chart_quota']}", [_cell(q) or 0 for q in quota]))
        lines.append((f"{g} {t['chart_actual']}" if has_quota else g,
                      [_cell(table.iloc[i][t["actual_of"].format(grade=x)]) or 0
                       for x in grades]))
    height = max(260, 110 + 20 * len(lines))
    start = row + max(14, math.ceil(height / 20) + 1)
    ws.write_row(start, at, [t["chart_data"], *grades], book.format(HEADER))  # titled on the left
    whole = book.format({"num_format": "0"})
    for k, (label, counts) in enumerate(lines):
        ws.write_string(start + 1 + k, at, label)
        ws.write_row(start + 1 + k, at + 1, counts, whole)
    first, last = start + 1, start + len(lines)
    chart = book.wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
    for j, g in enumerate(grades):
        chart.add_series({"name": g, "categories": [name, first, at, last, at],
                          "values": [name, first, at + j + 1, last, at + j + 1], "gap": 60,
                          "fill": {"color": grade_colour(j, len(grades), CHART_COLOURS)},
                          "border": {"color": "#FFFFFF"}})
    chart.set_title({"name": t["chart_share" if has_quota else "chart_share_actual"],
                     "name_font": {"size": 11}})
    chart.set_x_axis({"num_format": "0%", "major_unit": 0.2, "min": 0, "max": 1})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
    chart.set_legend({"position": "top"})
    chart.set_size({"width": 760, "height": height})
    ws.insert_chart(row, at, chart)
    return start, last + 1


# ---- Run ---------------------------------------------------------------------------------

def run_sheet(ctx: Context) -> None:
    write_run(ctx.book, ctx.lang, ctx.run.run_info(), ctx.run.issues, ctx.run)


def write_run(book: Workbook, lang: str, info: dict[str, Any], issues: list[Issue],
              run: RunResult | None = None) -> None:
    """What produced the workbook (version, rule set, input, hashes, options), and notices,
    in the workbook's language; printable (portrait, one page wide, long values wrapped)."""
    labels, keys = LABELS[lang], RUN_KEYS.get(lang, {})
    ws = book.wb.add_worksheet(labels["run"])
    bold = book.format({"bold": True, "valign": "top"})
    wrap = book.format({"text_wrap": True, "valign": "top"})
    ws.set_column(0, 0, 26, wrap)
    ws.set_column(1, 1, 80, wrap)
    shown = dict(info)
    if "rule file" in shown:
        shown["rule file"] = rule_file_text(str(shown["rule file"] or ""), lang)
    if shown.get("period") in (None, "", "-"):
        shown["period"] = BOOK[lang]["unspecified"]
    if run is not None:
        shown["params"] = params_text(run, lang) or BOOK[lang]["none"]  # as on the Overview
        kinds: dict[str, int] = {}
        for p in run.parts:
            for kind, rows in p.table.left_out.items():
                kinds[kind] = kinds.get(kind, 0) + len(rows)
        shown["left out by kind"] = cli_message("list", lang).join(
            f"{ROW_KINDS[lang].get(k, k)} {n}" for k, n in kinds.items()) or BOOK[lang]["none"]
    r = 0
    left = book.format({"num_format": "0", "align": "left", "valign": "top"})
    names = [keys.get(key, key) for key in shown]
    for at, height in row_heights([names, list(shown.values())], [26, 80], first=0).items():
        ws.set_row(at, height)  # a long value (the months and their files) shows whole
    for name, value in zip(names, shown.values(), strict=True):
        ws.write_string(r, 0, name, bold)
        ws.write(r, 1, value, left if isinstance(value, int) else None)
        r += 1
    r += 1
    notes = [i for i in issues if i.row is None or i.severity.value != "error"]
    if notes:
        ws.write_row(r, 0, [labels["notes"], ""], book.format(HEADER))
        r += 1
        ws.write_row(r, 0, [labels["where"], labels["message"]], bold)
        r += 1
        lines = [(f"{i.code} {' '.join(str(x) for x in (i.sheet, i.cell) if x)}".strip(),
                  book_message(i, lang, run)) for i in notes[:5000]]
        for at, height in row_heights([[w for w, _ in lines], [m for _, m in lines]], [26, 80],
                                      first=r).items():
            ws.set_row(at, height)
        for line in lines:
            ws.write_row(r, 0, line)
            r += 1
    book.page(ws, landscape=False, repeat=None)


def rule_file_text(source: str, lang: str) -> str:
    """The rule file as a reader knows it: a shipped rule set by its name, a user's file by
    its file name (the folders it sat in on the analyst's machine say nothing to them)."""
    if not source:
        return BOOK[lang]["unspecified"]
    name = shipped_name(source)
    return BOOK[lang]["shipped_rules"].format(name=name) if name else Path(source).name


def book_message(issue: Issue, lang: str, run: RunResult | None = None) -> str:
    """An issue's message in the workbook's language, with the words core put into it in the
    run's language (a row kind, a small group's rule, a field's expected type) said again."""
    extra = dict(issue.extra)
    if "first" in extra:  # a duplicate id across the sheets or files read together
        row, label = extra["first"]
        extra.update(row_of(row, label, lang))
    if issue.code == "non-person-rows" and issue.value in ROW_KINDS[lang]:
        extra["kind_text"] = ROW_KINDS[lang][issue.value]
    elif run is not None and issue.code == "small-group":
        for p in run.parts:
            d = p.part.distribution
            for g in p.groups:
                if d is not None and g.group == issue.value and g.mode in ("bands", "cap", "exact"):
                    extra["hint"] = BOOK[lang][f"small:{g.mode}"].format(n=d.min_group_size)
    elif run is not None and issue.code == "type-error" and issue.field:
        for p in run.parts:
            spec = p.part.fields.get(issue.field)
            if spec is not None and p.table.sheet == issue.sheet:
                extra["expected"] = "、".join(spec.allowed) if spec.allowed and lang == "zh" \
                    else ", ".join(spec.allowed) if spec.allowed else TEMPLATE[lang][spec.type]
    return issue.model_copy(update={"extra": extra}).render(lang)


def issue_reasons(p: PartResult, lang: str, run: RunResult | None = None) -> list[str]:
    """The Rejected sheet's reasons in the workbook's language, rebuilt from the issues of
    each rejected row (a merged table's name the sheet or file its row came from)."""
    if "reasons" not in p.rejected:
        return []
    from svcperf.results import ROW

    merged, source = p.table.merged_by, p.table.source_keys

    def origin(i: Issue) -> str:
        if not merged:
            return ""
        return (Path(i.file).name if merged == "file" and i.file else i.sheet or "") + " "

    by_row: dict[tuple[str, int], list[Issue]] = {}
    for i in p.issues:
        if i.row is not None and i.severity.value == "error":
            by_row.setdefault((origin(i).strip(), int(i.row)), []).append(i)
    rows = p.rejected[source[1] if source else ROW].tolist()
    where = p.rejected[source[0]].tolist() if source else [""] * len(rows)
    out = []
    for w, r, given in zip(where, rows, p.rejected["reasons"].tolist(), strict=True):
        found = by_row.get((str(w), int(r)))
        out.append(cli_message("join", lang).join(
            f"{origin(i)}{i.cell or ''} {book_message(i, lang, run)}".strip() for i in found)
            if found else given)
    return out

