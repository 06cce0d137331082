"""Which column is which field: a sheet's header block matched to a rule sheet's aliases.

A header is compared folded (`text.fold`: trimmed, full-width folded, inner spaces dropped,
case folded), without a required marker (`*工号`, `※工号`) and without a trailing unit in
brackets (`知晓率(40分)`, `满意率（%）`). The header may be one, two or three rows: group labels
merged over sub-headers (考核指标 over three rates) and left labels merged down; each column's
labels are tried from the bottom up, so a sub-header wins over its group label, and a left
label written only in the top cell (after unmerging) is found too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from svcperf.rules.model import SheetRules
from svcperf.text import fold

HEADER_SCAN_ROWS = 30  # the header block is looked for in this many rows from the top
MAX_HEADER_ROWS = 3  # rows a header block may span
_UNIT = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]$")  # "知晓率(40分)" -> "知晓率", unit "40分"
_MARKERS = "*※＊"  # required-field markers clerks put before or after a header


def alias_index(part: SheetRules) -> dict[str, str]:
    """Folded header alias -> field key."""
    index: dict[str, str] = {}
    for key, spec in part.fields.items():
        for alias in [*spec.header, key]:
            index.setdefault(clean(alias)[0], key)
    return index


def clean(text: Any) -> tuple[str, str]:
    """(folded header without marker or unit, the unit in its brackets folded, '' if none)."""
    folded = fold(text).strip(_MARKERS)
    unit = _UNIT.search(folded)
    if unit and unit.start() > 0:
        return folded[:unit.start()].strip(_MARKERS), unit.group(1)
    return folded, ""


def match_header(text: Any, aliases: dict[str, str]) -> str | None:
    """The field a header names, or None."""
    folded, _ = clean(text)
    return aliases.get(folded) if folded else None


@dataclass
class HeaderBlock:
    """Where a rule sheet's header sits: its rows (0-based, top and last), and per matched
    field the column and the cell its label was found in."""

    top: int
    last: int
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (row, col)

    @property
    def fields(self) -> set[str]:
        return set(self.cells)


def header_block(grid: list[list[Any]], part: SheetRules) -> HeaderBlock | None:
    """The likeliest header block in the first rows of a grid: the one matching the most
    fields; among equals the highest, then the shortest. None when nothing matches.

    Once a block holds every required field, none starting below it is taken: what follows
    it is the table, and a copy of the header further down with one more column (over a
    second block) must not make the people above it a title."""
    aliases = alias_index(part)
    required = {k for k, f in part.fields.items() if f.required}
    rows = grid[:HEADER_SCAN_ROWS + MAX_HEADER_ROWS - 1]
    keys = [[match_header(c, aliases) if c not in ("", None) else None for c in row]
            for row in rows]
    best: HeaderBlock | None = None
    full: int | None = None  # the last row of the first block with every required field
    for last in range(min(len(rows), HEADER_SCAN_ROWS + MAX_HEADER_ROWS - 1)):
        for height in range(1, MAX_HEADER_ROWS + 1):
            top = last - height + 1
            if top < 0 or top >= HEADER_SCAN_ROWS or (full is not None and top > full):
                continue
            block = _match_block(keys, top, last)
            if block.cells and (best is None or len(block.cells) > len(best.cells)):
                best = block  # heights ascend for each last row: the shortest of equals stays
            if full is None and required and required <= block.cells.keys():
                full = last
    return best


def _match_block(keys: list[list[str | None]], top: int, last: int) -> HeaderBlock:
    """Each column's labels from the bottom up: the first that names a field is the column's
    label (a later column naming the same field again is a duplicate, reported by locate)."""
    block = HeaderBlock(top, last)
    width = max((len(keys[r]) for r in range(top, last + 1)), default=0)
    for c in range(width):
        for r in range(last, top - 1, -1):
            key = keys[r][c] if c < len(keys[r]) else None
            if key is not None:
                if key not in block.cells:
                    block.cells[key] = (r, c)
                break
    return block


def header_match(grid: list[list[Any]], part: SheetRules) -> tuple[set[str], int]:
    """(fields matched, 0-based last header row) of the likeliest header block; (set(), -1)."""
    block = header_block(grid, part)
    return (block.fields, block.last) if block else (set(), -1)
