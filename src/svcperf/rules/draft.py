"""Draft a rule set from a sheet's headers and data, for the scheme owner to finish."""

from __future__ import annotations

import re
from typing import Any

from svcperf.text import fold, is_total_word

_ASCII_KEY = re.compile(r"[^a-z0-9]+")


def _key(header: str, n: int, taken: set[str]) -> str:
    key = _ASCII_KEY.sub("_", fold(header)).strip("_")
    if not key or key[0].isdigit():
        key = f"field_{n + 1}"
    while key in taken:
        key += "_2"
    taken.add(key)
    return key


def header_row(grid: list[list[Any]]) -> int:
    """The likeliest header row: the first of the rows with the most text cells (of 30)."""
    best, row = 0, 0
    for r, cells in enumerate(grid[:30]):
        texts = sum(isinstance(c, str) and bool(c.strip()) and not _number(c) for c in cells)
        if texts > best:
            best, row = texts, r
    return row


def _number(text: str) -> bool:
    try:
        float(text.strip().rstrip("%"))
        return True
    except ValueError:
        return False


def guess_field(values: list[Any]) -> dict[str, Any]:
    """Type, range and allowed values guessed from a column's cells."""
    filled = [v for v in values if v not in ("", None)]
    spec: dict[str, Any] = {}
    if len(filled) < len(values):
        spec["default"] = 0 if filled and all(isinstance(v, int | float) for v in filled) else None
    numbers = [v for v in filled if isinstance(v, int | float) and not isinstance(v, bool)]
    percents = [v for v in filled if isinstance(v, str) and v.strip().endswith("%")
                and _number(v)]
    if filled and len(numbers) + len(percents) == len(filled):
        floats = [float(v) for v in numbers]
        if percents or (floats and all(0 <= v <= 1 for v in floats) and
                        any(0 < v < 1 for v in floats)):
            spec["type"] = "percent"
        elif all(float(v).is_integer() for v in floats):
            spec.update(type="integer", min=0) if min(floats) >= 0 else spec.update(type="integer")
        else:
            spec["type"] = "number"
            if min(floats) >= 0 and max(floats) <= 100:
                spec.update(min=0, max=100)
    else:
        spec["type"] = "text"
        texts = [str(v).strip() for v in filled]
        distinct = sorted(set(texts))
        if texts and 1 < len(distinct) <= 12 and len(distinct) * 2 <= len(texts):
            spec["allowed"] = distinct
        spec["required"] = len(filled) == len(values) and bool(values)
    return spec


_ID_WORDS = ("工号", "编号", "员工号", "账号", "代码", "id", "code", "no")


def looks_like_id(header: str) -> bool:
    """'工号', 'Employee ID', '员工编号': a column that names each person once."""
    folded = fold(header)
    return any(w in folded for w in _ID_WORDS[:5]) or folded.endswith(_ID_WORDS[5:])


def _finish(spec: dict[str, Any], header: str, values: list[Any]) -> dict[str, Any]:
    """Mark an id-like column whose values are all there and all different as the unique id."""
    texts = [str(v).strip() for v in values if v not in ("", None)]
    if spec.get("type") == "text" and looks_like_id(header) and texts and \
            len(set(texts)) == len(texts) == len(values):
        spec["unique"] = True
    if spec.get("default") is None:
        spec.pop("default", None)
    return spec


def draft_rules(grid: list[list[Any]], name: str) -> str:
    """YAML text of a rule set with one field per column; scoring left for the owner."""
    import yaml

    r = header_row(grid)
    headers = [str(h).strip() for h in grid[r]] if grid else []
    data = [row for row in grid[r + 1:] if any(v not in ("", None) for v in row)
            and not any(is_total_word(v) for v in row[:3])]
    taken: set[str] = set()
    fields: dict[str, Any] = {}
    for c, header in enumerate(headers):
        if not header:
            continue
        column = [row[c] if c < len(row) else "" for row in data]
        fields[_key(header, c, taken)] = {"header": [header],
                                           **_finish(guess_field(column), header, column)}
    ident = next((k for k, f in fields.items() if f.get("unique")), None)
    body = yaml.safe_dump({"name": name, "language": "zh" if any(
        ord(ch) > 0x2E80 for h in headers for ch in h) else "en", "id": ident, "fields": fields},
        allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
    return (f"# Drafted by `svcperf init` from {len(data)} rows; check every guess.\n"
            "# Still to write: items (how the score is made), bands, distribution, incentives.\n"
            "# See README 'Rule files'. Check it with: svcperf rules check <this file>\n"
            + body.replace("id: null\n", ""))
