"""Which column is which field: headers matched to a rule sheet's aliases, folded."""

from __future__ import annotations

import re
from typing import Any

from svcperf.rules.model import SheetRules
from svcperf.text import fold

HEADER_SCAN_ROWS = 30  # the header row is looked for in this many rows from the top
_UNIT = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]$")  # "知晓率(40分)" -> "知晓率"


def alias_index(part: SheetRules) -> dict[str, str]:
    """Folded header alias -> field key."""
    index: dict[str, str] = {}
    for key, spec in part.fields.items():
        for alias in [*spec.header, key]:
            index.setdefault(fold(alias), key)
    return index


def match_header(text: Any, aliases: dict[str, str]) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    if folded in aliases:
        return aliases[folded]
    bare = _UNIT.sub("", folded)
    return aliases.get(bare) if bare != folded else None


def header_match(grid: list[list[Any]], part: SheetRules) -> tuple[set[str], int]:
    """(fields matched, 0-based row) of the likeliest header row; (set(), -1) if none."""
    aliases = alias_index(part)
    best: tuple[set[str], int] = (set(), -1)
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        hits = {k for c in row if (k := match_header(c, aliases))}
        if len(hits) > len(best[0]):
            best = (hits, r)
    return best


def header_score(grid: list[list[Any]], part: SheetRules) -> tuple[int, int]:
    """(matched header count, 0-based row) of the likeliest header row; (0, -1) if none."""
    hits, row = header_match(grid, part)
    return len(hits), row
