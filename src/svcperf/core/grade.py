"""Grade bands (score >= cutoff -> grade), pay coefficients, and moves against a current grade."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from svcperf.rules.model import Band, Movement


def cutoff_value(band: Band, params: Mapping[str, float]) -> float:
    """A band's cut-off as a number ($param resolved; -inf for the catch-all band)."""
    if band.cutoff is None:
        return -np.inf
    if isinstance(band.cutoff, str):
        return float(params[band.cutoff.lstrip("$")])
    return float(band.cutoff)


def band_grades(scores: pd.Series, bands: list[Band], params: Mapping[str, float]) -> pd.Series:
    """The first band whose cut-off the (already rounded) score reaches; None below them all."""
    out = np.full(len(scores), None, dtype=object)
    values = scores.to_numpy(float)
    done = np.zeros(len(scores), dtype=bool)
    for band in bands:
        hit = ~done & (values >= cutoff_value(band, params))
        out[hit] = band.grade
        done |= hit
    return pd.Series(out, index=scores.index, dtype=object)


def coefficients(grades: pd.Series, table: Mapping[str, float]) -> pd.Series:
    return grades.map(lambda g: table.get(g, np.nan) if g is not None else np.nan).astype(float)


def movements(current: pd.Series, new: pd.Series, order: list[str], rule: Movement) -> pd.Series:
    """晋升 / 降级 / 保持 by comparing positions in `order` (best first)."""
    position = {g: i for i, g in enumerate(order)}

    def move(old: object, grade: object) -> str | None:
        if old not in position or grade not in position:
            return None
        a, b = position[str(old)], position[str(grade)]
        return rule.same if a == b else (rule.up if b < a else rule.down)

    return pd.Series([move(o, g) for o, g in zip(current, new, strict=True)], index=new.index,
                     dtype=object)
