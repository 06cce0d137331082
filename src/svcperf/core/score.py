"""Score each row from the rule set's items; round half-up once, at the end."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from svcperf.core.validate import more_than_whole
from svcperf.results import EXACT
from svcperf.rules.expr import Formula
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
from svcperf.text import fold

# (frame index, field key, issue code): rows the scoring itself cannot score
Problem = tuple[Any, str, str]


def round_half_up(values: Any, precision: int) -> np.ndarray:
    """Half-up rounding that is not fooled by binary floats: 89.995 -> 90.0 at 2 places."""
    x = np.asarray(values, dtype=float)
    scale = 10.0**precision
    scaled = np.round(np.abs(x) * scale, 6)  # 8999.499999999999 -> 8999.5
    return np.sign(x) * np.floor(scaled + 0.5) / scale


def _item_points(item: Any, frame: pd.DataFrame, env: dict[str, Any],
                 problems: list[Problem]) -> np.ndarray:
    if isinstance(item, Weighted):
        return sum((w * frame[f].to_numpy(float) for f, w in item.weights.items()),
                   np.zeros(len(frame)))
    if isinstance(item, TargetDeduction):
        value = frame[item.field].to_numpy(float)
        if isinstance(item.target, float):
            target = np.full(len(frame), item.target)
        else:
            segment = frame[item.target.by]
            target = segment.map(item.target.table).to_numpy(float)
            for idx in frame.index[segment.notna() & np.isnan(target)]:
                problems.append((idx, item.target.by, "not-allowed"))
        short = np.round((target - value) * 100, 9)  # percentage points short
        points = np.where(short <= 0, item.points, item.points - item.deduct_per_point * short)
        return np.clip(points, 0, None)
    if isinstance(item, Incident):
        lost = frame[item.field].to_numpy(float) * item.points_each
        return -np.minimum(lost, item.cap) if item.cap is not None else -lost
    if isinstance(item, Raters):
        block = frame[item.fields].to_numpy(float)
        with np.errstate(invalid="ignore"):
            return np.nanmean(np.where(np.isnan(block).all(axis=1, keepdims=True), 0, block), axis=1)
    if isinstance(item, Ratio):
        num = frame[item.numerator].to_numpy(float)
        den = frame[item.denominator].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den * item.scale
        zero = den == 0
        if item.on_zero == "reject":
            problems.extend((idx, item.denominator, "ratio-zero") for idx in frame.index[zero])
        else:
            ratio[zero] = float(item.on_zero)
        if item.share:
            problems.extend((idx, item.numerator, "share-over") for idx in frame.index[
                more_than_whole(num, den)])
        return ratio
    if isinstance(item, Levels):
        mapping = {fold(k): v for k, v in item.map.items()}
        block = np.column_stack([frame[f].map(lambda s: mapping.get(fold(s), np.nan)).to_numpy(float)
                                 for f in item.fields])
        return block.mean(axis=1)
    assert isinstance(item, FormulaItem)
    return np.broadcast_to(np.asarray(Formula(item.formula, set(env))(env), float),
                           (len(frame),)).copy()


def score(frame: pd.DataFrame, part: SheetRules, precision: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Add one column per item and `score`; return the frame and rows that cannot be scored."""
    out, total, problems = unrounded(frame, part)
    out[EXACT] = np.clip(total, part.score.min, part.score.max)
    out["score"] = round_half_up(out[EXACT].to_numpy(float), precision)
    for item in part.items:  # item points are shown at the same precision
        out[item.key] = round_half_up(out[item.key], precision)
    return out, problems


def unrounded(frame: pd.DataFrame, part: SheetRules) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """The frame with one column per item, and the total, before the score's limits and the
    one rounding (`explain` shows each step)."""
    out = frame.copy()
    problems: list[Problem] = []
    env: dict[str, Any] = {k: _column(out[k]) for k in part.fields}
    for item in part.items:
        points = _item_points(item, out, env, problems)
        out[item.key] = points
        env[item.key] = points
    if part.score.formula:
        raw = np.asarray(Formula(part.score.formula, set(env))(env), float)
        total = np.broadcast_to(raw, (len(out),)).astype(float)
    elif part.items:
        total = sum((out[i.key].to_numpy(float) for i in part.items), np.zeros(len(out)))
    else:
        total = np.zeros(len(out))
    return out, total, problems


def _column(series: pd.Series) -> Any:
    if pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(float)
    return series.to_numpy(object)
