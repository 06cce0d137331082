"""One person's whole derivation, step by step: items, score, rounding, band, quota table,
place, grade and why, ranks, move, incentive (pure; fed by what ranking computed).

The sentences come from i18n.REASONS, as the Results sheet's reasons do (core.reasons).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from svcperf.core.distribute import quota_counts
from svcperf.core.grade import cutoff_value
from svcperf.core.reasons import Group, number
from svcperf.core.score import unrounded
from svcperf.i18n import REASONS
from svcperf.results import WHY, PartResult
from svcperf.rules.model import (
    FormulaItem,
    Incident,
    Levels,
    Raters,
    Ratio,
    SheetRules,
    TargetDeduction,
    Weighted,
)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _signed(value: float) -> str:
    """A term of the score's sum: a deduction keeps its minus when it is 0 (− 0, a negated 0);
    float noise below 0 (0.3-0.2-0.1) is 0."""
    x = float(value)
    shown = number(abs(x))
    minus = (x < 0 and shown != "0") or (x == 0 and math.copysign(1.0, x) < 0)
    return ("-" if minus else "") + shown


def _pct(value: float) -> str:
    return f"{number(value * 100)}%"


def item_steps(part: SheetRules, row: pd.Series, raw: pd.Series,
               lang: str) -> list[dict[str, Any]]:
    """Each scoring item of one row: its inputs, the rule's arithmetic and its points."""
    t = REASONS[lang]
    out = []
    for item in part.items:
        label = item.label or item.key
        points = float(row[item.key])
        shown = number(points)
        entry: dict[str, Any] = {"key": item.key, "label": label, "kind": item.kind,
                                 "points": points}
        if isinstance(item, TargetDeduction):
            value = float(row[item.field])
            segment = ""
            if isinstance(item.target, float):
                target = item.target
            else:
                target = item.target.table[str(row[item.target.by])]
                segment = t["segment"].format(by=part.header_of(item.target.by),
                                              value=row[item.target.by])
            short = max(0.0, round((target - value) * 100, 9))
            lost = min(item.points, short * item.deduct_per_point)
            entry.update(value=value, target=target, shortfall=short, deducted=lost)
            key = "item_target" if short > 0 else "item_target_met"
            text = t[key].format(label=label, value=_pct(value), target=_pct(target),
                                 segment=segment, short=number(short),
                                 per=number(item.deduct_per_point), lost=number(lost),
                                 points=shown, full=number(item.points))
        elif isinstance(item, Incident):
            count = float(row[item.field])
            entry.update(value=count, each=item.points_each, cap=item.cap)
            cap = t["cap"].format(cap=number(item.cap)) if item.cap is not None else ""
            text = t["item_incident"].format(label=label, count=number(count),
                                             each=number(item.points_each),
                                             lost=number(count * item.points_each), cap=cap,
                                             points=shown)
        elif isinstance(item, Weighted):
            terms = " + ".join(f"{_pct(w)} × {number(row[f])}" for f, w in item.weights.items())
            entry["values"] = {f: float(row[f]) for f in item.weights}
            text = t["item_weighted"].format(label=label, terms=terms, points=shown)
        elif isinstance(item, Raters):
            values = [row[f] for f in item.fields]
            entry["values"] = {f: None if _blank(v) else float(v) for f, v in
                               zip(item.fields, values, strict=True)}
            text = t["item_raters"].format(
                label=label, values=", ".join(number(v) for v in values if not _blank(v)),
                points=shown)
        elif isinstance(item, Ratio):
            entry["values"] = {item.numerator: float(row[item.numerator]),
                               item.denominator: float(row[item.denominator])}
            text = t["item_ratio"].format(label=label, num=number(row[item.numerator]),
                                          den=number(row[item.denominator]),
                                          scale=number(item.scale), points=shown)
        elif isinstance(item, Levels):
            entry["values"] = {f: row[f] for f in item.fields}
            text = t["item_levels"].format(label=label, values=", ".join(
                str(row[f]) for f in item.fields), mean=number(raw[item.key]), points=shown)
        else:
            assert isinstance(item, FormulaItem)
            text = t["item_formula"].format(label=label, formula=item.formula, points=shown)
        entry["unrounded"] = float(raw[item.key])
        entry["text"] = text
        out.append(entry)
    return out


def explain_row(p: PartResult, index: Any, params: Mapping[str, float], precision: int,
                lang: str, labels: Mapping[str, str] | None = None, head_sheet: str | None = None,
                ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(items, steps) of the ranked row at frame `index` of a rule sheet's results.

    `params` are the parameters' values (`labels` what was chosen: month 9); `head_sheet` is
    the worksheet of the heads whose grades chose the quota tables (a cascade)."""
    t, part, frame = REASONS[lang], p.part, p.results
    row = frame.loc[index]
    raw_frame, total, _ = unrounded(frame.loc[[index]], part)
    items = item_steps(part, row, raw_frame.iloc[0], lang)
    steps = [{"step": "item", "text": i["text"]} for i in items]
    raw = float(total[0])
    if part.score.formula:
        steps.append({"step": "score", "text": t["score_formula"].format(
            formula=part.score.formula, raw=number(raw))})
    elif len(items) > 1:
        terms = " + ".join(_signed(i["unrounded"]) for i in items).replace("+ -", "− ")
        steps.append({"step": "score", "text": t["score_sum"].format(terms=terms,
                                                                     raw=number(raw))})
    limited = float(np.clip(raw, part.score.min, part.score.max))
    if limited != raw:
        lo = "" if part.score.min is None else number(part.score.min)
        hi = "" if part.score.max is None else number(part.score.max)
        steps.append({"step": "limit", "text": t["score_limit"].format(lo=lo, hi=hi,
                                                                       value=number(limited))})
    steps.append({"step": "round", "text": t["score_round"].format(
        precision=precision, score=number(row["score"]))})
    if part.bands:
        steps.append(_band_step(part, row, params, labels or {}, t))
    steps += _distribution_steps(p, row, lang, head_sheet)
    steps += _rank_steps(p, row, t)
    return items, steps


def _band_step(part: SheetRules, row: pd.Series, params: Mapping[str, float],
               labels: Mapping[str, str], t: dict[str, str]) -> dict[str, str]:
    """The band the score reached: its cut-off, or (the catch-all band) the one above."""
    band = row.get("band_grade")
    at = next((i for i, b in enumerate(part.bands) if b.grade == band), None)
    if at is None:
        return {"step": "band", "text": t["band_none"].format(score=number(row["score"]))}
    key = "band"
    hit = part.bands[at]
    if hit.cutoff is None and at > 0:
        key, hit = "band_below", part.bands[at - 1]
    cutoff = number(cutoff_value(hit, params))
    if isinstance(hit.cutoff, str):  # $month: the value the run's parameter chose
        name = hit.cutoff.lstrip("$")
        cutoff = t["param"].format(cutoff=cutoff, name=name, label=labels.get(name, ""))
    return {"step": "band", "text": t[key].format(score=number(row["score"]), cutoff=cutoff,
                                                  grade=band)}


def _group_name(p: PartResult, row: pd.Series) -> str:
    d = p.part.distribution
    if (d is not None and d.scope == "all") or not p.part.group:
        return "all"
    return str(row[p.part.group])


def _distribution_steps(p: PartResult, row: pd.Series, lang: str,
                        head_sheet: str | None) -> list[dict[str, str]]:
    t, d = REASONS[lang], p.part.distribution
    out: list[dict[str, str]] = []
    grade = row.get("grade")
    if d is not None:
        name = _group_name(p, row)
        result = next((g for g in p.groups if g.group == name), None)
        if result is not None:
            label = "" if name == "all" else name
            head = result.table.rsplit(" ", 1)[-1] if d.cascade else None
            tables = d.tables()
            table = tables[head] if head else tables[""]
            group = Group(lang, label, result.size, table,
                          quota_counts(result.size, table, d.method), d.method,
                          (head_sheet or d.cascade.sheet, head) if d.cascade and head else None)
            why = group.lead()[0] if d.cascade else t["table_quotas"]
            calcs = t["sep"].join(group.calc(q.grade) for q in table)
            if result.mode != "bands":
                out.append({"step": "quota", "text": t["table" if label else "table_all"].format(
                    why=why, counts=calcs, group=label, n=result.size)})
            if result.mode == "bands" or result.notice:
                how = {"bands": "small_bands", "cap": "small_cap"}.get(result.mode, "small_quotas")
                text = t[how].format(group=label, n=result.size, minimum=d.min_group_size,
                                     grade=grade, place="")
                out.append({"step": "small-group", "text": text})
            if result.actual:
                counts = t["names"].join(f"{g} {c}" for g, c in result.actual.items())
                out.append({"step": "actual", "text": t["actual_counts"].format(counts=counts)})
            cuts = _cuts(p, row, name, t) if result.overridden is None else ""  # as Summary:
            if cuts:  # after grades fixed in calibration no cut-off stands as ranked
                out.append({"step": "cutoffs", "text": t["cutoffs"].format(cutoffs=cuts)})
    if grade is not None and not (isinstance(grade, float) and np.isnan(grade)):
        decided = row.get(WHY[0])
        out.append({"step": "grade", "text": t["grade_reason"].format(grade=grade, reason=decided)
                    if isinstance(decided, str) else t["grade_band"].format(grade=grade)})
    move = row.get(WHY[1])
    if isinstance(move, str):
        out.append({"step": "movement", "text": move})
    return out


def _cuts(p: PartResult, row: pd.Series, name: str, t: dict[str, str]) -> str:
    """Between each two grades given in the person's group: the lowest score of the better
    one and the highest of the worse one."""
    frame = p.results
    if name != "all" and p.part.group:
        frame = frame[frame[p.part.group].astype(str) == name]
    order = [g for g in p.part.grade_order if (frame["grade"] == g).any()]
    out = []
    for upper, lower in itertools.pairwise(order):
        low = frame.loc[frame["grade"] == upper, "score"].min()
        high = frame.loc[frame["grade"] == lower, "score"].max()
        out.append(t["cut"].format(upper=upper, lower=lower, low=number(low), high=number(high)))
    return t["sep"].join(out)


def _rank_steps(p: PartResult, row: pd.Series, t: dict[str, str]) -> list[dict[str, str]]:
    part, frame = p.part, p.results
    out = [{"step": "rank", "text": t["rank"].format(rank=int(row["rank"]), total=len(frame))}]
    if part.group:
        size = int((frame[part.group] == row[part.group]).sum())
        out.append({"step": "group-rank", "text": t["group_rank"].format(
            group=row[part.group], rank=int(row["group_rank"]), n=size)})
    if part.incentives:
        paid = row.get(WHY[2])
        if isinstance(paid, str):
            out.append({"step": "incentive", "text": paid})
        elif p.group_table is not None and part.group:
            g = row[part.group]
            out.append({"step": "incentive", "text": t["incentive_none"].format(
                header=p.table.headers.get(part.group, part.group), group=g,
                mean=number(p.group_table.loc[g, "mean_score"]),
                place=int(p.group_table.loc[g, "place"]), units=len(p.group_table))})
    return out
