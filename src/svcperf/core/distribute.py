"""Forced distribution: quota head counts per grade, handed out by rank, with declared tie rules."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from svcperf.core.rank import sort_keys
from svcperf.core.reasons import Group, cap_reasons, exact_reasons, small_reasons
from svcperf.results import GroupResult
from svcperf.rules.model import Distribution, Quota, SheetRules


def _half_up(x: float) -> int:
    return math.floor(round(x, 9) + 0.5)


def _floor(x: float) -> int:
    return math.floor(round(x, 9))


def quota_counts(n: int, table: list[Quota], method: str) -> list[int]:
    """Head counts per grade (in table order) that always sum to n.

    largest_remainder: ⌊n × share⌋ each, spare seats to the largest fractions (the better grade
    first among equal fractions). half_up_rest_last: n × share rounded half-up in order, the
    rest to the rest grade (or the last one), never a negative count. A grade may declare its
    own `round: floor | half_up`, which it keeps under either method.
    """
    declared = sum(q.share or 0.0 for q in table)
    shares = [q.share if q.share is not None else max(0.0, 1.0 - declared) for q in table]
    rest = next((i for i, q in enumerate(table) if q.share is None), len(table) - 1)
    counts = [0] * len(table)
    if method == "largest_remainder":
        fixed = [q.round is not None for q in table]
        for i, (q, s) in enumerate(zip(table, shares, strict=True)):
            counts[i] = (_half_up if q.round == "half_up" else _floor)(n * s)
        spare = n - sum(counts)
        fractions = sorted((i for i in range(len(table)) if not fixed[i]),
                           key=lambda i: (-(round(n * shares[i], 9) % 1), i))
        for i in fractions[:max(spare, 0)]:
            counts[i] += 1
        spare = n - sum(counts)
    else:
        left = n
        for i, (q, s) in enumerate(zip(table, shares, strict=True)):
            if i == rest:
                continue
            counts[i] = min(left, (_floor if q.round == "floor" else _half_up)(n * s))
            left -= counts[i]
        spare = left
        counts[rest] = 0
    # whatever is still unplaced (or over-placed) settles on the rest grade, never below zero
    counts[rest] += spare
    i = len(table) - 1
    while counts[rest] < 0 and i >= 0:
        take = min(counts[i], -counts[rest]) if i != rest else 0
        counts[i] -= take
        counts[rest] += take
        i -= 1
    return counts


def _tie_run_end(keys: np.ndarray, end: int) -> int:
    """First position after the run of rows tied with row end-1."""
    n = len(keys)
    while end < n and (keys[end] == keys[end - 1]).all():
        end += 1
    return end


def _tie_run_start(keys: np.ndarray, end: int, floor: int) -> int:
    """First position of the run tied with row end (so rows before it are strictly better)."""
    while end > floor and (keys[end - 1] == keys[end]).all():
        end -= 1
    return end


def exact_cuts(keys: np.ndarray, counts: list[int], ties: Sequence[str]) -> list[tuple[int, int]]:
    """Where each grade ends, rows sorted best first: (where its quota ends, where it ends).

    Grade g ends at its cumulative quota; if that splits a run of tied rows, `better` takes
    the whole run into g (the next grade shrinks), `worse` pushes it all to the next grade.
    """
    n = len(keys)
    out = []
    start, target = 0, 0
    for g, count in enumerate(counts):
        target += count
        nominal = n if g == len(counts) - 1 else min(max(start, target), n)
        end = nominal
        if start < end < n and (keys[end - 1] == keys[end]).all():
            end = _tie_run_end(keys, end) if ties[g] == "better" else \
                _tie_run_start(keys, end, start)
        out.append((nominal, end))
        start = end
    return out


def assign_exact(keys: np.ndarray, counts: list[int], ties: Sequence[str]) -> np.ndarray:
    """Grade index per row, rows sorted best first (keys: one row of sort keys per person),
    cut where `exact_cuts` ends each grade."""
    return _fill(exact_cuts(keys, counts, ties), len(keys))


def _fill(cuts: list[tuple[int, int]], n: int) -> np.ndarray:
    out = np.empty(n, dtype=np.int64)
    start = 0
    for g, (_, end) in enumerate(cuts):
        out[start:end] = g
        start = end
    return out


def apply_caps(keys: np.ndarray, grades: np.ndarray, caps: list[int | None]) -> np.ndarray:
    """Cap mode: a grade holds at most its cap; the excess moves down, lowest scores first.

    Rows tied at a cap all move down, so no grade is ever over its cap.
    """
    out = grades.copy()
    last = len(caps) - 1
    for g, cap in enumerate(caps):
        if cap is None or g == last:
            continue
        members = np.flatnonzero(out == g)  # already best first
        if len(members) <= cap:
            continue
        keep = cap
        if keep > 0 and (keys[members[keep - 1]] == keys[members[keep]]).all():
            while keep > 0 and (keys[members[keep - 1]] == keys[members[keep]]).all():
                keep -= 1
        out[members[keep:]] = g + 1
    return out


@dataclass
class Distributed:
    grade: pd.Series
    reason: pd.Series
    groups: list[GroupResult]
    no_head: list[Any]  # frame index of rows whose group has no head


def distribute(frame: pd.DataFrame, part: SheetRules, band_grade: pd.Series,
               heads: dict[str, str] | None = None, label: str | None = None,
               lang: str = "en", head_sheet: str | None = None) -> Distributed:
    """Hand out grades per group by the distribution rules; explain, in `lang`, every grade a
    quota, a tie, a cap or a small-group rule decided (core.reasons). `head_sheet` names the
    heads' worksheet in those reasons (default: the cascade's sheet key)."""
    d = part.distribution
    assert d is not None
    grades = part.grade_order
    by = [*d.tie_breakers] or [*part.tie_breakers]
    keys = np.column_stack(sort_keys(frame, part.rank_by, by)) if len(frame) else \
        np.zeros((0, 1))
    group_values = frame[part.group] if d.scope == "group" and part.group else \
        pd.Series("all", index=frame.index)
    out = band_grade.to_numpy(dtype=object).copy()
    reason = np.full(len(frame), None, dtype=object)
    results: list[GroupResult] = []
    no_head: list[Any] = []
    if frame.empty:  # every row was rejected before distribution
        return Distributed(pd.Series(out, index=frame.index, dtype=object),
                           pd.Series(reason, index=frame.index, dtype=object), results, no_head)
    positions = np.arange(len(frame))
    order = np.lexsort([*reversed(keys.T), pd.factorize(group_values)[0]])
    sorted_groups = group_values.to_numpy()[order]
    bounds = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1], True])
    names = frame[label].to_numpy(dtype=object) if label and label in frame else positions
    if label and label in frame and part.id and part.id in frame and part.id != label:
        # a blank name: the id stands in for it where a reason names the people tied
        names = np.where(pd.isna(frame[label]).to_numpy(), frame[part.id].to_numpy(dtype=object),
                         names)
    score_values = frame[part.rank_by].to_numpy(float)
    counts_by_size: dict[tuple[int, int], list[int]] = {}
    for a, b in itertools.pairwise(bounds):
        rows = positions[order[a:b]]
        name = str(sorted_groups[a])
        table, why = _table_for(d, name, heads)
        n = len(rows)
        if table is None:
            no_head.extend(frame.index[rows])
            results.append(GroupResult(name, n, why, "rejected"))
            continue
        result = GroupResult(name, n, why, d.mode, head=(heads or {}).get(name) if d.cascade else None)
        quota_grades = [q.grade for q in table]
        known = (n, id(table))
        if known not in counts_by_size:  # groups of one size share their head counts
            counts_by_size[known] = quota_counts(n, table, d.method)
        counts = counts_by_size[known]
        result.quota = dict(zip(quota_grades, counts, strict=True))
        k = keys[rows]
        bands = out[rows]
        words = Group(lang, name if d.scope == "group" else "", n, table, counts, d.method,
                      (head_sheet or d.cascade.sheet, heads[name])
                      if d.cascade and heads else None, minimum=d.min_group_size)
        marks, who = score_values[rows].tolist(), names[rows].tolist()
        if n < d.min_group_size and d.small_groups == "bands" and part.bands:
            result.mode, result.notice = "bands", f"fewer than {d.min_group_size}: bands only"
            result.quota = {}
            given = bands
            words.small = "small_bands"
            why_rows = small_reasons(words, k, bands.tolist())
        else:
            mode = "cap" if n < d.min_group_size and d.small_groups == "cap" else d.mode
            result.mode = mode
            if n < d.min_group_size:
                words.small = "small_cap" if mode == "cap" else "small_quotas"
                result.notice = f"fewer than {d.min_group_size}: quotas as a ceiling only" \
                    if mode == "cap" else f"fewer than {d.min_group_size}: quotas applied"
            if mode == "cap":  # every grade in play; those without a share are uncapped
                shares = {q.grade: q.share for q in table}
                quota_grades = grades
                caps = [None if shares.get(g) is None else _floor(n * shares[g])  # type: ignore[operator]
                        for g in grades]
                start = np.array([_grade_index(g, grades) for g in bands], dtype=np.int64)
                idx = apply_caps(k, start, caps)
                why_rows = cap_reasons(words, k, start, idx, grades, marks, who,
                                       bands.tolist())
            else:
                ties = [q.ties or d.ties for q in table]
                cuts = exact_cuts(k, counts, ties)
                idx = _fill(cuts, n)
                why_rows = exact_reasons(words, k, idx, bands.tolist(), grades, marks, who,
                                         cuts, ties, [part.header_of(b.field) for b in by])
            given = np.array(quota_grades, dtype=object)[idx]
            result.actual = {g: int(c) for g, c in zip(
                quota_grades, np.bincount(idx, minlength=len(quota_grades)), strict=True) if c}
        out[rows] = given
        if result.mode == "bands":
            result.actual = {g: int((given == g).sum()) for g in grades if (given == g).any()}
        for row, text in zip(rows.tolist(), why_rows, strict=True):
            reason[row] = text
        results.append(result)
    return Distributed(pd.Series(out, index=frame.index, dtype=object),
                       pd.Series(reason, index=frame.index, dtype=object), results, no_head)


def _grade_index(grade: Any, order: list[str]) -> int:
    return order.index(grade) if grade in order else len(order) - 1


def _table_for(d: Distribution, group: str,
               heads: dict[str, str] | None) -> tuple[list[Quota] | None, str]:
    if d.cascade is None:
        return d.quotas, "quotas"
    head = (heads or {}).get(group)
    if head is None:
        return None, "no head row: rejected"
    return d.cascade.tables[head], f"{d.cascade.sheet} grade {head}"
