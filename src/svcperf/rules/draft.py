"""Draft a rule set from a sheet's headers and data, for the scheme owner to finish."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from svcperf.rules.model import RECORD_KEYS
from svcperf.text import NUMBER, fold, half_width, is_total_word

_ASCII_KEY = re.compile(r"[^a-z0-9]+")


def _key(header: str, n: int, taken: set[str]) -> str:
    """A YAML-friendly key for a header: its pinyin for Chinese (客户经理 -> ke_hu_jing_li), the
    header itself folded for others; field_N only when neither gives letters. Never a name the
    results use for their own columns (a sheet's Score is score_2: score is computed)."""
    words = unicodedata.normalize("NFKC", header).casefold()  # Leave days -> leave_days
    key = _ASCII_KEY.sub("_", romanized(words).lower()).strip("_")
    if not key or key[0].isdigit():
        key = f"field_{n + 1}"
    while key in taken or key in RECORD_KEYS:
        key += "_2"
    taken.add(key)
    return key


def romanized(text: str) -> str:
    """Chinese characters as pinyin syllables (pypinyin, without tones); the rest unchanged."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text))


def header_row(grid: list[list[Any]]) -> int:
    """The likeliest header row: the first of the rows with the most text cells (of 30)."""
    best, row = 0, 0
    for r, cells in enumerate(grid[:30]):
        texts = sum(isinstance(c, str) and bool(c.strip()) and not _number(c) for c in cells)
        if texts > best:
            best, row = texts, r
    return row


def _number(text: str) -> bool:
    """Text a spreadsheet reads as a number (95, 1,234, 95%)."""
    return bool(NUMBER.fullmatch(half_width(text).strip().replace(",", "")))


def _as_number(value: Any) -> Any:
    """A CSV's (or a web page's) text cell as the number it holds, if it is one: every cell
    of theirs is text, and `validate` reads 95 in them as 95."""
    if isinstance(value, str) and _number(value) and not value.strip().endswith("%"):
        number = float(half_width(value).strip().replace(",", ""))
        return int(number) if number.is_integer() else number
    return value


def guess_field(values: list[Any]) -> dict[str, Any]:
    """Type, range and allowed values guessed from a column's cells."""
    values = list(map(_as_number, values))
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


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")  # EmployeeID -> Employee, ID


def names_ids(header: str) -> bool:
    """A header whose words say it numbers people ('工号', 'Staff no', 'EmployeeID'; not 'Paid',
    nor a bare 'No.', a row's serial number): a column of whole numbers under it is an id."""
    words = [w.casefold() for w in _WORDS.findall(unicodedata.normalize("NFKC", header))]
    return any(w in fold(header) for w in _ID_WORDS[:5]) or \
        (words != ["no"] and any(w in _ID_WORDS[5:] for w in words))


def _finish(spec: dict[str, Any], header: str, values: list[Any]) -> dict[str, Any]:
    """Mark an id-like column whose values are all there and all different as the unique id;
    one of whole numbers (工号 1001) too, as text: an id is the text its cell shows."""
    texts = [str(v).strip() for v in values if v not in ("", None)]
    distinct = bool(texts) and len(set(texts)) == len(texts) == len(values)
    if spec.get("type") == "integer" and distinct and names_ids(header):
        spec = {"type": "text", "required": True}
    if spec.get("type") == "text" and looks_like_id(header) and distinct:
        spec["unique"] = True
    if spec.get("default") is None:
        spec.pop("default", None)
    return spec


def _sheet_rules(grid: list[list[Any]]) -> tuple[dict[str, Any], int, bool]:
    """One sheet's id and fields, how many data rows they were guessed from, and whether the
    headers are Chinese."""
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
    chinese = any(ord(ch) > 0x2E80 for h in headers for ch in h)
    return ({"id": ident, "fields": fields} if ident else {"fields": fields}), len(data), chinese


NEEDS_ITEMS = "it has no items yet, so ranking with it is refused until you add them"


def draft_rules(grid: list[list[Any]], name: str) -> str:
    """YAML text of a rule set with one field per column; scoring left for the owner."""
    return draft_book([("", grid)], name)


def draft_book(sheets: list[tuple[str, list[list[Any]]]], name: str) -> str:
    """YAML text of a rule set drafted from the data sheets: one field per column, and one
    part (`sheets:`) per sheet when there are several; scoring left for the owner."""
    import yaml

    drafted = [(sheet, *_sheet_rules(grid)) for sheet, grid in sheets]
    rows = sum(n for _, _, n, _ in drafted)
    doc: dict[str, Any] = {"name": name,
                           "language": "zh" if any(c for *_, c in drafted) else "en"}
    if len(drafted) == 1:
        doc.update(drafted[0][1])
    else:
        taken: set[str] = set()
        doc["sheets"] = [{"key": _key(sheet, n, taken), "sheet": [sheet], **part}
                         for n, (sheet, part, _, _) in enumerate(drafted)]
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=100)
    return (f"# Drafted by `svcperf init` from {rows} rows"
            + (f" on {len(drafted)} sheets" if len(drafted) > 1 else "") + "; check every guess.\n"
            "# Still to write: items (how the score is made), bands, distribution, incentives;\n"
            f"# {NEEDS_ITEMS}.\n"
            "# See README 'Rule files'. Check it with: svcperf rules check <this file>\n" + body)
