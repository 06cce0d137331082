"""Ranks (ties share the better number: 1, 2, 2, 4) and top-N / bottom-N incentives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcperf.rules.model import Incentives, TieBreaker


def sort_keys(frame: pd.DataFrame, by: str, tie_breakers: list[TieBreaker]) -> list[np.ndarray]:
    """Keys that sort best first: each one ascending, blanks last."""
    keys = [-frame[by].to_numpy(float)]
    for t in tie_breakers:
        values = frame[t.field].to_numpy(float)
        keys.append(-values if t.order == "desc" else values.copy())
    for k in keys:
        k[np.isnan(k)] = np.inf
    return keys


def min_ranks(keys: list[np.ndarray], groups: np.ndarray | None = None) -> np.ndarray:
    """Competition ranks within each group: equal keys share the lowest number."""
    n = len(keys[0]) if keys else 0
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    codes = np.zeros(n, dtype=np.int64) if groups is None else pd.factorize(groups)[0]
    order = np.lexsort([*reversed(keys), codes])  # lexsort: last key is primary
    sorted_codes = codes[order]
    new_group = np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]
    changed = new_group.copy()
    for k in keys:
        ks = k[order]
        changed[1:] |= ks[1:] != ks[:-1]
    position = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    run_start = np.maximum.accumulate(np.where(changed, position, 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = run_start - group_start + 1
    return ranks


def place_incentives(ranks: np.ndarray, rule: Incentives) -> np.ndarray:
    """% of pay per ranked unit: bonuses by place first, then deductions among the rest."""
    n = len(ranks)
    out = np.zeros(n)
    rewarded = np.zeros(n, dtype=bool)
    for place, pct in enumerate(rule.top, start=1):
        hit = ranks == place
        out[hit] = pct
        rewarded |= hit
    # Tied units share the better place, the one nearer the top: counted from the bottom
    # that is n - r + 1 for the shared rank r (two tied last of 5 are both second-last).
    from_bottom = n - ranks + 1
    for place, pct in enumerate(rule.bottom, start=1):
        hit = (from_bottom == place) & ~rewarded
        out[hit] = pct
    return out


def incentives(frame: pd.DataFrame, rule: Incentives, group: str | None,
               precision: int) -> tuple[pd.Series, pd.DataFrame | None]:
    """incentive_pct per row; for groups also the group table (mean score, place, pct)."""
    if rule.by == "person" or group is None:
        ranks = min_ranks([-frame["score"].to_numpy(float)])
        return pd.Series(place_incentives(ranks, rule), index=frame.index), None
    from svcperf.core.score import round_half_up

    means = frame.groupby(group, sort=False)["score"].mean()
    table = pd.DataFrame({"mean_score": round_half_up(means.to_numpy(), precision)},
                         index=means.index)
    table["place"] = min_ranks([-table["mean_score"].to_numpy(float)])
    table["incentive_pct"] = place_incentives(table["place"].to_numpy(), rule)
    table = table.sort_values(["place"], kind="stable")
    return frame[group].map(table["incentive_pct"]).astype(float), table
