"""One group's share of a ranked run (pure): its people, its rejected rows, its Summary row.

`rank --split-by group` writes each narrowed run with the same writer as the whole workbook,
so a branch head's workbook is laid out exactly like the full one.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from svcperf.i18n import LABELS
from svcperf.issues import Issue
from svcperf.months import BadInput
from svcperf.results import ROW, PartResult, RunResult
from svcperf.rules.model import RuleSet, SheetRules


def group_field(part: SheetRules, rules: RuleSet) -> str | None:
    """The field that names each row's group on this sheet: its group, or, on the heads' sheet
    of a cascade (R3's 主管), the key that matches the groups of the sheet it cascades to."""
    if part.group:
        return part.group
    for other in rules.parts:
        cascade = other.distribution.cascade if other.distribution else None
        if cascade is not None and cascade.sheet == part.key:
            return cascade.key
    return None


def label(value: Any) -> str | None:
    """A group cell as a group's name (None when blank); rejected rows hold it as typed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _labels(frame: pd.DataFrame, key: str | None) -> list[str | None]:
    if key is None or key not in frame:
        return [None] * len(frame)
    return [label(v) for v in frame[key].tolist()]


def group_names(run: RunResult) -> list[str | None]:
    """Every group of the run, in the order first met (ranked rows, then rejected ones); None
    stands for rows whose group cell is blank (only rejected rows can have one)."""
    if not any(group_field(p.part, run.rules) for p in run.parts):
        raise BadInput(f"rule set {run.rules.name!r} has no group field; --split-by group "
                         "needs one (set group: in the rule set)")
    seen: dict[str | None, None] = {}
    for which in ("results", "rejected"):
        for p in run.parts:
            if (key := group_field(p.part, run.rules)) is not None:
                seen.update(dict.fromkeys(_labels(getattr(p, which), key)))
    return list(seen)


def narrow(run: RunResult, group: str | None) -> RunResult:
    """The run as if its sheets held only `group`'s rows (None: rows with a blank group cell).

    Sheets without a group field keep no rows. Each sheet keeps its notices about the whole
    sheet and the issues of the rows kept; notices that name another group are left out, and
    so are rows left out as not people (they belong to no group)."""
    names = {g for g in group_names(run) if g is not None}
    parts = [_narrow_part(p, group_field(p.part, run.rules), group, names) for p in run.parts]
    return replace(run, parts=parts, group=group or LABELS[run.rules.language]["no_group"])


def counted(issue: Issue, kept: set[int]) -> Issue | None:
    """A notice that counts rows of the whole sheet (`default-used`: 5 blank cells taken as 0)
    counted again over the rows kept; None when none of them is."""
    at = issue.extra.get("at")
    if at is None:
        return issue
    mine = [r for r in at if r in kept]
    if not mine:
        return None
    lang = "zh" if issue.message and issue.message == issue.render("zh") else "en"
    moved = issue.model_copy(update={"extra": {**issue.extra, "count": len(mine), "at": mine}})
    return moved.model_copy(update={"message": moved.render(lang)})


def _narrow_part(p: PartResult, key: str | None, group: str | None,
                 names: set[str]) -> PartResult:
    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        if key is None:
            return frame.iloc[0:0]
        return frame.loc[np.array([g == group for g in _labels(frame, key)], dtype=bool)]

    results, rejected = mine(p.results), mine(p.rejected)
    rows = sorted(int(r) for r in [*results[ROW].tolist(), *rejected[ROW].tolist()])
    kept = set(rows)

    def keep(i: Issue) -> bool:
        if i.rows:  # rows left out as not people, hidden rows skipped: no group's
            return False
        if i.row is not None:  # a merged table numbers its rows anew: its row issues stay out
            return i.row in kept and not p.table.merged_by
        return i.value is None or i.value == group or i.value not in names

    group_table = p.group_table
    if group_table is not None:
        group_table = group_table.loc[np.array([label(g) == group for g in group_table.index],
                                               dtype=bool)]
    def mine_only(issues: list[Issue]) -> list[Issue]:
        return [x for x in (counted(i, kept) for i in issues if keep(i)) if x is not None]

    table = replace(p.table, rows=rows, left_out={}, issues=mine_only(p.table.issues))
    return replace(p, table=table, results=results, rejected=rejected,
                   issues=mine_only(p.issues),
                   groups=[g for g in p.groups if g.group == group], group_table=group_table)
