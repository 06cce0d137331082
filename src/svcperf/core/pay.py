"""Pay (pure): performance pay = pay × coefficient, incentive amount = pay × incentive %.

Each amount is worked out in decimal and rounded once to the cent, half-up (2.675 → 2.68), as
HR pays it; totals are the sums of those cents. A blank pay cell gives blank amounts: nothing
is invented.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from svcperf.results import Table
from svcperf.rules.model import PAY, SheetRules

CENT = Decimal("0.01")
PERFORMANCE_PAY, INCENTIVE_AMOUNT = PAY


def pay_keys(part: SheetRules, table: Table) -> list[str]:
    """The amounts this sheet gets: none when the rule set declares no pay field or the sheet
    has no column for it."""
    if part.pay is None or part.pay.field not in table.columns:
        return []
    return ([PERFORMANCE_PAY] if part.coefficients() else []) + \
        ([INCENTIVE_AMOUNT] if part.incentives else [])


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return Decimal(str(value))  # the shortest text of the float: 1.1 is 1.1, not 1.1000000000000000888


def amount(pay: Any, factor: Any, scale: int = 1) -> float | None:
    """pay × factor / scale to the cent, half-up; None when either is blank."""
    p, f = _decimal(pay), _decimal(factor)
    if p is None or f is None:
        return None
    return float((p * f / scale).quantize(CENT, rounding=ROUND_HALF_UP))


def add_pay(frame: pd.DataFrame, part: SheetRules, table: Table) -> None:
    """Add the pay amounts this sheet gets (see pay_keys) to the ranked rows, in place."""
    keys = pay_keys(part, table)
    if not keys:
        return
    assert part.pay is not None
    pay = frame[part.pay.field].tolist()
    for key, factor, scale in ((PERFORMANCE_PAY, "coefficient", 1),
                               (INCENTIVE_AMOUNT, "incentive_pct", 100)):
        if key in keys:
            frame[key] = pd.Series([amount(p, f, scale) for p, f in
                                    zip(pay, frame[factor].tolist(), strict=True)],
                                   index=frame.index, dtype="float64")

