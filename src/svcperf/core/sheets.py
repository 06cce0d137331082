"""Which worksheets hold a rule sheet's table; why each other sheet is not read.

Each worksheet is a data table for the rule sheet, instructions (a name like 说明 / 填表说明 /
示例), or neither. The data sheets are those whose header matches the most fields and that hold
people; a tie is broken by how many people they hold, never by sheet order. Several sheets
with the same header (one per county or centre) are read together as one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from svcperf.results import Table
from svcperf.text import fold

INSTRUCTION_NAMES = ("说明", "须知", "instructions", "readme", "示例", "样例", "范例", "example",
                     "模板说明")


@dataclass
class Found:
    """One worksheet as seen for a rule sheet: its name and its located table (if any)."""

    name: str
    table: Table | None


def is_instructions(name: str) -> bool:
    """A sheet named like 填表说明, 说明, 示例 or Instructions."""
    folded = fold(name)
    return any(word in folded for word in INSTRUCTION_NAMES)


def choose(found: list[Found], total_fields: int) -> tuple[list[Found], list[tuple[str, str]]]:
    """The sheets to read (best first, in workbook order) and (sheet, why not) for the rest."""
    tables = [f for f in found if f.table is not None]
    skipped = [(f.name, "no header of this rule set on it") for f in found if f.table is None]
    if not tables:
        return [], skipped
    best = max(tables, key=lambda f: (len(f.table.columns), len(f.table.rows)))  # type: ignore[union-attr]
    assert best.table is not None
    fields = set(best.table.columns)
    chosen = [f for f in tables if f.table and set(f.table.columns) == fields and f.table.rows] \
        or [best]
    for f in tables:
        if f in chosen:
            continue
        assert f.table is not None
        if not f.table.rows:
            why = "only example rows (示例)" if "example" in f.table.left_out else \
                "no people on it"
        else:
            why = f"its header matches {len(f.table.columns)} of the {total_fields} fields; " \
                  f"{best.name!r} matches {len(fields)}"
        skipped.append((f.name, why))
    return chosen, skipped
