"""Which worksheets hold a rule sheet's table; why each other sheet is not read.

Each worksheet is a data table for the rule sheet, instructions (a name like 说明 / 填表说明 /
示例), or neither. The data sheets are those that hold people and whose header has every
required field; the best of them (most fields matched, then most people: never sheet order)
leads, and every other one is read together with it (one sheet per county or centre). When no
sheet holds people, the best header is read alone, so that its problems are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from svcperf.months import month_of_name
from svcperf.results import Table
from svcperf.text import fold

INSTRUCTION_NAMES = ("说明", "须知", "instructions", "readme", "示例", "样例", "范例", "example",
                     "模板说明")


@dataclass
class Found:
    """One worksheet as seen for a rule sheet: its name and its located table (if any)."""

    name: str
    table: Table | None


@dataclass
class Skipped:
    """A worksheet not read for a rule sheet: why (a key of i18n.SKIPPED), and the people it
    seemed to hold (0 for none)."""

    name: str
    why: str
    people: int = 0
    detail: str = ""


def is_instructions(name: str) -> bool:
    """A sheet named like 填表说明, 说明, 示例 or Instructions."""
    folded = fold(name)
    return any(word in folded for word in INSTRUCTION_NAMES)


def choose(found: list[Found], required: set[str], hidden: frozenset[str] = frozenset(),
           ) -> tuple[list[Found], list[Skipped]]:
    """The sheets to read (in workbook order) and the others with why not. A hidden sheet is
    read only when no visible one holds the table (a hidden 8月 kept beside the visible 9月
    is last month's, not more people)."""
    tables = [f for f in found if f.table is not None]
    skipped = [Skipped(f.name, "no-header") for f in found if f.table is None]
    if not tables:
        return [], skipped

    def rank(f: Found) -> tuple[bool, int, int]:
        assert f.table is not None
        return bool(f.table.rows), len(f.table.columns), len(f.table.rows)

    best = max(tables, key=rank)
    assert best.table is not None
    chosen = [f for f in tables if f.table and f.table.rows
              and required <= set(f.table.columns)] or [best]
    if best not in chosen:
        chosen = [best]
    for f in tables:
        if f in chosen:
            continue
        assert f.table is not None
        if not f.table.rows:
            why = "only-examples" if "example" in f.table.left_out else "no-people"
            skipped.append(Skipped(f.name, why))
        else:
            missing = sorted(required - set(f.table.columns))
            skipped.append(Skipped(f.name, "fields-missing", len(f.table.rows),
                                   ", ".join(missing)))
    if any(f.name not in hidden for f in chosen):
        skipped += [Skipped(f.name, "hidden-beside-visible", len(f.table.rows))
                    for f in chosen if f.name in hidden and f.table is not None]
        chosen = [f for f in chosen if f.name not in hidden]
    return chosen, skipped


def other_months(chosen: list[Found]) -> dict[str, str]:
    """The sheets read together whose names name different months (9月 beside 10月: last
    month's people are not this month's), each with the month it names ('9', '2026-09');
    {} when at most one month is named."""
    named = {f.name: m for f in chosen if (m := month_of_name(f.name))}
    months = {m.split("-")[-1].lstrip("0") for m in named.values()}
    dated = {m for m in named.values() if "-" in m}  # 2025-09 and 2026-09 differ too
    return named if len(months) > 1 or len(dated) > 1 else {}
