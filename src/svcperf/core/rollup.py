"""Roll monthly results up into a quarter or half-year: composite, grade, eligibility, points, streaks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from svcperf.core.grade import band_grades
from svcperf.core.rank import min_ranks, sort_keys
from svcperf.core.score import round_half_up
from svcperf.months import parse_month, period_months, previous_month
from svcperf.results import Month
from svcperf.rules.model import Condition, Rollup, SheetRules

__all__ = ["Month", "parse_month", "period_months", "previous_month"]

@dataclass
class RollupResult:
    frame: pd.DataFrame  # one row per person
    earned: list[dict[str, Any]] = field(default_factory=list)  # ledger history rows
    streaks: list[dict[str, Any]] = field(default_factory=list)  # streak state after the period


def runs(grades: list[str | None], grade: str, carry: int = 0) -> tuple[int, int]:
    """(longest run of `grade`, run still going at the end), `carry` months at it before."""
    longest, current = 0, carry
    for g in grades:
        current = current + 1 if g == grade else 0
        longest = max(longest, current)
    return longest, current


def aggregate(values: list[Any], how: str) -> Any:
    """One value from a person's months (blanks left out)."""
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not present:
        return None
    if how == "sum":
        return float(sum(present))
    if how == "any":
        return any(bool(v) for v in present)
    if how == "all":
        return all(bool(v) for v in present)
    if how == "max":
        return max(present)
    if how == "min":
        return min(present)
    if how == "mean":
        return float(sum(present)) / len(present)
    return present[-1]


def failed(condition: Condition, values: list[Any], grade: Any) -> bool:
    """True when a person does not meet the condition."""
    if condition.grade is not None:
        return grade not in condition.grade
    value = aggregate(values, condition.agg)
    if value is None:
        return True
    if condition.equals is not None and value != condition.equals:
        return True
    if condition.min is not None and value < condition.min:
        return True
    return condition.max is not None and value > condition.max


def roll_up(months: list[Month], part: SheetRules, precision: int, period: str,
            carried: dict[str, tuple[str, int]] | None = None,
            balances: dict[str, float] | None = None,
            history: list[Month] | None = None) -> RollupResult:
    """The period result per person. `history` months (before the period) only feed streaks."""
    rule: Rollup = part.rollup or Rollup()
    key = part.id or next(iter(part.fields))
    carried, balances = carried or {}, balances or {}
    months = sorted(months, key=lambda m: m.label)  # the order given never matters
    history = sorted(history or [], key=lambda m: m.label)
    labels = [m.label for m in months]
    by_month = [m.frame.set_index(m.frame[key].astype(str)) for m in months]
    people = sorted({str(p) for f in by_month for p in f.index})
    out = pd.DataFrame(index=pd.Index(people, name=key))
    for f, label in zip(by_month, labels, strict=True):
        out[f"score_{label}"] = f["score"].reindex(out.index).astype(float)
        out[f"grade_{label}"] = f["grade"].reindex(out.index).astype(object)
    scores = out[[f"score_{m}" for m in labels]].to_numpy(float)
    present = ~np.isnan(scores)
    out["months"] = present.sum(axis=1)
    if rule.composite == "weighted" and rule.weights:
        weights = np.array((rule.weights + [0.0] * len(labels))[:len(labels)])
        w = np.where(present, weights, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            composite = np.nansum(np.nan_to_num(scores) * w, axis=1) / w.sum(axis=1)
    else:
        composite = np.nanmean(np.where(present, scores, np.nan), axis=1)
    out["score"] = round_half_up(composite, precision)
    for name in part.fields:  # the latest month's values stand for the person
        if name == key:
            continue
        latest: pd.Series = pd.Series(None, index=out.index, dtype=object)
        for f in by_month:
            if name in f:
                month_values = f[name].reindex(out.index)
                latest = month_values.where(month_values.notna(), latest)
        out[name] = latest
    out[key] = out.index
    out = out.reset_index(drop=True)
    _grade(out, part, precision)
    reasons: list[list[str]] = [[] for _ in range(len(out))]
    people_index = pd.Index(out[key].astype(str))
    present_months = out["months"].tolist()
    grades = out["grade"].tolist()
    if rule.missing == "ineligible":
        for i, count in enumerate(present_months):
            if count < len(labels):
                reasons[i].append(rule.missing_reason)
    for condition in rule.eligibility:
        # one column per month, aligned to the people (None where absent or not recorded)
        months_of = [f[condition.field].reindex(people_index).to_numpy(dtype=object)
                     if condition.field and condition.field in f else
                     np.full(len(out), None, dtype=object) for f in by_month]
        for i in range(len(out)):
            values = [column[i] for column in months_of] if condition.field else []
            if failed(condition, values, grades[i]):
                reasons[i].append(condition.reason)
    out["eligible"] = [not r for r in reasons]
    out["ineligible_reasons"] = ["; ".join(r) or None for r in reasons]
    out["points_earned"] = [float(rule.points.get(g, 0.0)) if ok else 0.0
                            for g, ok in zip(out["grade"], out["eligible"], strict=True)]
    out["points_balance"] = [balances.get(str(p), 0.0) + e
                             for p, e in zip(out[key], out["points_earned"], strict=True)]
    _streaks(out, key, months, history, rule, carried)
    name_field = "name" if "name" in part.fields else key
    earned = [{"period": period, "id": str(r[key]), "name": r.get(name_field),
               "change": r["points_earned"], "reason": f"{r['grade']} {period}"}
              for r in out.to_dict("records") if r["points_earned"]]
    streaks = [{"period": period, "id": str(r[key]), "last_month": labels[-1],
                "grade": r["streak_grade"], "months": int(r["streak_months"])}
               for r in out.to_dict("records") if r["streak_grade"]]
    return RollupResult(out.sort_values(["rank", key], kind="stable").reset_index(drop=True),
                        earned, streaks)


def _grade(out: pd.DataFrame, part: SheetRules, precision: int) -> None:
    """The period grade from the composite, by the sheet's own bands and quotas."""
    from svcperf.core.distribute import distribute

    out["band_grade"] = band_grades(out["score"], part.bands, {})
    if part.distribution and len(out):
        usable = part.model_copy(update={"tie_breakers": [t for t in part.tie_breakers
                                                          if t.field in out]})
        result = distribute(out, usable, out["band_grade"])
        out["grade"], out["reason"] = result.grade, result.reason
    else:
        out["grade"], out["reason"] = out["band_grade"], None
    out["rank"] = min_ranks(sort_keys(out, "score", [])) if len(out) else []


def _streaks(out: pd.DataFrame, key: str, months: list[Month], history: list[Month],
             rule: Rollup, carried: dict[str, tuple[str, int]]) -> None:
    """Consecutive months at a grade -> the consequence; and the streak left running."""
    frames = [m.frame.set_index(m.frame[key].astype(str))["grade"] for m in [*history, *months]]
    inside = len(history)
    consequence, streak_grade, streak_months = [], [], []
    for pid in out[key]:
        seq = [f.get(pid) for f in frames]
        label, grade, count = None, None, 0
        carry = carried.get(pid, ("", 0))
        for streak in sorted(rule.streaks, key=lambda s: -s.months):  # the longest rule first
            start = carry[1] if carry[0] == streak.grade else 0
            _, running_in = runs(seq[:inside], streak.grade, start)  # history months feed in
            longest, _ = runs(seq[inside:], streak.grade, running_in)
            if longest >= streak.months:
                label = streak.label
                break
        last = seq[-1] if seq else None
        if last is not None:
            start = carry[1] if carry[0] == last else 0
            grade, count = last, runs(seq, str(last), start)[1]
        consequence.append(label)
        streak_grade.append(grade)
        streak_months.append(count)
    out["streak_grade"], out["streak_months"] = streak_grade, streak_months
    out["consequence"] = consequence
