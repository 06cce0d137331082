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
from svcperf.months import BadInput, month_number, months_between, period_months
from svcperf.results import Month
from svcperf.rules.model import Condition, Rollup, SheetRules
from svcperf.why import Why


def period_calendar(period: str, labels: list[str]) -> list[str]:
    """The period's calendar months: from `period` when it names one (2026Q1, 2026H1, 2026-03),
    else every month from the first to the last of `labels`."""
    try:
        calendar = period_months(period)
    except ValueError:
        ordered = sorted(labels)
        return months_between(ordered[0], ordered[-1]) if ordered else []
    outside = sorted(set(labels) - set(calendar))
    if outside:
        raise BadInput(f"months {outside} are not in period {period}")
    return calendar


@dataclass
class RollupResult:
    frame: pd.DataFrame  # one row per person
    earned: list[dict[str, Any]] = field(default_factory=list)  # ledger history rows
    streaks: list[dict[str, Any]] = field(default_factory=list)  # streak state after the period
    # calendar months of the history span and the period with no file; streaks break there
    gaps: list[str] = field(default_factory=list)


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
            history: list[Month] | None = None, lang: str = "en") -> RollupResult:
    """The period result per person. `history` months (before the period) only feed streaks.

    Streaks run over calendar months, from the first history month (else the period's first
    month) to the last month with a file; a month with no file, or a person missing from a
    month's file, breaks them. `carried` streaks ended the month before that first month.
    Weights belong to the period's calendar months in order, whichever of them have a file."""
    rule: Rollup = part.rollup or Rollup()
    key = part.id or next(iter(part.fields))
    carried, balances = carried or {}, balances or {}
    months = sorted(months, key=lambda m: m.label)  # the order given never matters
    history = sorted(history or [], key=lambda m: m.label)
    labels = [m.label for m in months]
    calendar = period_calendar(period, labels)
    if rule.composite == "weighted" and rule.weights and len(rule.weights) != len(calendar):
        raise BadInput(Why("rollup-weights", weights=len(rule.weights), period=period,
                           months=len(calendar)))
    laid_out, before, gaps = _lay_out_calendar(calendar, labels, [m.label for m in history], period)
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
        weights = np.array(_weights_of(rule.weights, calendar, labels))
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
    _grade(out, part, precision, lang)
    if rule.composite == "weighted" and rule.weights:  # only in months weighted 0: ungraded
        for i in np.flatnonzero(np.isnan(composite) & present.any(axis=1)).tolist():
            seen = [m for m, here in zip(labels, present[i], strict=True) if here]
            out.loc[i, "reason"] = Why("rollup-weight-zero", months=", ".join(seen)).render(lang)
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
    out["ineligible_reason_list"] = [list(r) for r in reasons]  # JSON's list of the same
    out["points_earned"] = [float(rule.points.get(g, 0.0)) if ok else 0.0
                            for g, ok in zip(out["grade"], out["eligible"], strict=True)]
    out["points_balance"] = [balances.get(str(p), 0.0) + e
                             for p, e in zip(out[key], out["points_earned"], strict=True)]
    _streaks(out, key, _lay_out(laid_out, [*history, *months], key), before, rule, carried)
    name_field = "name" if "name" in part.fields else key
    earned = [{"period": period, "id": str(r[key]), "name": r.get(name_field),
               "change": r["points_earned"], "reason": f"{r['grade']} {period}"}
              for r in out.to_dict("records") if r["points_earned"]]
    streaks = [{"period": period, "id": str(r[key]), "last_month": laid_out[-1],
                "grade": r["streak_grade"], "months": int(r["streak_months"])}
               for r in out.to_dict("records")  # a missing grade reads back as NaN
               if isinstance(r["streak_grade"], str)]
    return RollupResult(out.sort_values(["rank", key], kind="stable").reset_index(drop=True),
                        earned, streaks, gaps)


def _lay_out_calendar(calendar: list[str], labels: list[str], history: list[str],
                      period: str) -> tuple[list[str], int, list[str]]:
    """(calendar months streaks run over, how many of them are before the period, months with
    no file). Streaks start at the first history month, or the period's first month with none,
    and end at the last month with a file: later months have not been counted yet."""
    if not calendar or not labels:
        return [], 0, [m for m in calendar if m not in history]
    early = [m for m in history if m >= calendar[0]]
    if early:
        raise BadInput(f"history months {early} are not before period {period}")
    first = min(history, default=calendar[0])
    laid_out = months_between(first, max(labels))
    given = {*labels, *history}
    gaps = [m for m in months_between(first, calendar[-1]) if m not in given]
    return laid_out, month_number(calendar[0]) - month_number(first), gaps


def _weights_of(weights: list[float], calendar: list[str], labels: list[str]) -> list[float]:
    """The weight of each given month: weights[i] is the period's i-th calendar month."""
    by_month = dict(zip(calendar, weights, strict=True))
    return [by_month[label] for label in labels]


def _lay_out(calendar: list[str], months: list[Month], key: str) -> list[pd.Series | None]:
    """Each calendar month's grades by person id; None for a month with no file."""
    by_label = {m.label: m.frame.set_index(m.frame[key].astype(str))["grade"] for m in months}
    return [by_label.get(label) for label in calendar]


def _grade(out: pd.DataFrame, part: SheetRules, precision: int, lang: str) -> None:
    """The period grade from the composite, by the sheet's own bands and quotas (reasons in
    `lang`)."""
    from svcperf.core.distribute import distribute

    out["band_grade"] = band_grades(out["score"], part.bands, {})
    out["grade"], out["reason"] = out["band_grade"], None
    scored = out["score"].notna()
    if part.distribution and scored.any():  # no composite, no place in the quotas
        usable = part.model_copy(update={"tie_breakers": [t for t in part.tie_breakers
                                                          if t.field in out]})
        result = distribute(out[scored], usable, out["band_grade"][scored], lang=lang)
        out["reason"] = out["reason"].astype(object)
        out.loc[scored, "grade"], out.loc[scored, "reason"] = result.grade, result.reason
    out["rank"] = min_ranks(sort_keys(out, "score", [])) if len(out) else []


def _grade_in(grades: pd.Series | None, pid: str) -> str | None:
    """A person's grade in one calendar month: None with no file, no row or no grade."""
    grade = None if grades is None else grades.get(pid)
    return None if grade is None or pd.isna(grade) else str(grade)


def _streaks(out: pd.DataFrame, key: str, frames: list[pd.Series | None], inside: int,
             rule: Rollup, carried: dict[str, tuple[str, int]]) -> None:
    """Consecutive months at a grade -> the consequence; and the streak left running.

    `frames` is one entry per calendar month laid out, the first `inside` before the period."""
    consequence, streak_grade, streak_months = [], [], []
    for pid in out[key]:
        seq = [_grade_in(f, pid) for f in frames]
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
            grade, count = last, runs(seq, last, start)[1]
        consequence.append(label)
        streak_grade.append(grade)
        streak_months.append(count)
    out["streak_grade"], out["streak_months"] = streak_grade, streak_months
    out["consequence"] = consequence
