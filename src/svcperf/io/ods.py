"""OpenDocument sheets: merged cells and hidden rows from content.xml (calamine reports neither),
and the used range of each sheet, measured before calamine parses it."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from svcperf.io.package import PACKAGE_ERRORS, members, mentions, stream

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TABLE, ROW, CELL, COVERED = (f"{_T}table", f"{_T}table-row", f"{_T}table-cell",
                             f"{_T}covered-table-cell")
NAME, VISIBILITY = f"{_T}name", f"{_T}visibility"
VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
ROWS_REPEATED, COLS_REPEATED = f"{_T}number-rows-repeated", f"{_T}number-columns-repeated"
ROWS_SPANNED, COLS_SPANNED = f"{_T}number-rows-spanned", f"{_T}number-columns-spanned"
MAX_ROWS, MAX_COLS = 1_048_576, 16_384  # a merge reaches no further than a sheet can

Range = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class Layout:
    """What content.xml says of a sheet beyond its values."""

    merged: list[Range] = field(default_factory=list)  # ((row0, col0), (row1, col1)), 0-based
    hidden: set[int] = field(default_factory=set)  # 1-based numbers of hidden rows


def _count(value: str | None) -> int:
    """A repeat or span count as written (1 if absent or not a number)."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def layout(path: Path, sheet: str, rows: int, cols: int) -> Layout:
    """The merges starting in, and the hidden rows among, the first `rows` x `cols` cells.

    Repeated rows and cells only move the position (a crafted count of 10^9 costs nothing),
    and the reading stops at the first row past `rows`. A content.xml that spans and hides
    nothing (most files) is only inflated. Nothing when content.xml cannot be read.
    """
    found = Layout()
    try:
        with zipfile.ZipFile(path) as zf:
            content = members(zf)["content.xml"]
            if mentions(zf, content, b"-spanned", b"visibility"):
                with zf.open(content) as fh:
                    _follow(fh, sheet, rows, cols, found)
    except PACKAGE_ERRORS:
        return Layout()  # calamine read the sheet; a part we cannot follow is not an error
    return found


def _follow(fh: IO[bytes], sheet: str, rows: int, cols: int, found: Layout) -> None:
    """Fill `found` from the rows of the sheet's own table in content.xml, each once it ends."""
    depth, mine = 0, 0  # how deep in tables the parser is; the depth of the sheet's own table
    row = 0  # the next row (0-based)
    # whether a row has a cell that spans others, asked of libxml2 (no Python per cell); one
    # per call, as lxml's XPath objects are not to be shared between threads
    spans = etree.XPath("t:table-cell[@t:number-columns-spanned or @t:number-rows-spanned]",
                        namespaces={"t": _T[1:-1]}, smart_strings=False)
    for event, elem in stream(fh, [TABLE, ROW]):
        if elem.tag == TABLE:
            if event == "start":
                depth += 1
                if not mine and elem.get(NAME) == sheet:
                    mine = depth
            elif depth == mine:
                return
            else:
                depth -= 1
        elif event == "end" and depth == mine:
            r, row = row, row + _count(elem.get(ROWS_REPEATED))
            if r >= rows:
                return
            if elem.get(VISIBILITY) in ("collapse", "filter"):
                found.hidden.update(range(r + 1, min(row, rows) + 1))
            if spans(elem):  # most rows have none: their cells are not looked at one by one
                _merges(elem, r, cols, found.merged)


def _merges(row: Any, r: int, cols: int, merged: list[Range]) -> None:
    """Add the merges that start in this row (row r) and in its first `cols` columns."""
    col = 0
    for cell in row.iterchildren(CELL, COVERED):
        c, col = col, col + _count(cell.get(COLS_REPEATED))
        if c >= cols:
            return
        across, down = cell.get(COLS_SPANNED), cell.get(ROWS_SPANNED)
        if cell.tag == CELL and (across or down):
            end = (min(r + _count(down), MAX_ROWS) - 1, min(c + _count(across), MAX_COLS) - 1)
            if end != (r, c):
                merged.append(((r, c), end))


def percent_rows(path: Path, sheet: str, columns: set[int], rows: int) -> dict[int, set[int]]:
    """{0-based column: the 1-based rows, among the first `rows`, whose cell is a percentage
    (office:value-type "percentage": 0.95 shown as 95%)} for these columns; {} when
    content.xml has none. Repeats only move the position, as in `layout`."""
    found: dict[int, set[int]] = {c: set() for c in columns}
    last = max(columns, default=-1)
    try:
        with zipfile.ZipFile(path) as zf:
            content = members(zf)["content.xml"]
            if not columns or not mentions(zf, content, b'"percentage"'):
                return {}
            with zf.open(content) as fh:
                depth, mine, row = 0, 0, 0
                for event, elem in stream(fh, [TABLE, ROW]):
                    if elem.tag == TABLE:
                        if event == "start":
                            depth += 1
                            mine = mine or (depth if elem.get(NAME) == sheet else 0)
                        elif depth == mine:
                            break
                        else:
                            depth -= 1
                    elif event == "end" and depth == mine:
                        r, row = row, row + _count(elem.get(ROWS_REPEATED))
                        if r >= rows:
                            break
                        col = 0
                        for cell in elem.iterchildren(CELL, COVERED):
                            c, col = col, col + _count(cell.get(COLS_REPEATED))
                            if c > last:
                                break
                            if cell.get(VALUE_TYPE) == "percentage":
                                for k in (k for k in columns if c <= k < col):
                                    found[k].update(range(r + 1, min(row, rows) + 1))
    except PACKAGE_ERRORS:
        return {}
    return found


def spans(path: Path) -> dict[str, int]:
    """How many cells the grid calamine builds for each sheet would hold, by sheet name.

    calamine keeps a sheet's smallest area holding every cell with a value, and fills it
    whole: repeated rows and cells inside it cost a cell each, so a file of 2 KB can ask for
    90 million cells (6 GB, and 19 s). A cell with a value type or any content counts as
    holding a value (never fewer than calamine's). Nothing when content.xml cannot be read:
    calamine then reports the file.
    """
    found: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            content = members(zf).get("content.xml")
            if content is not None:
                with zf.open(content) as fh:
                    _measure(fh, found)
    except PACKAGE_ERRORS:
        return {}
    return found


def _measure(fh: IO[bytes], found: dict[str, int]) -> None:
    """Fill `found` with the span of every top-level table of content.xml, row by row."""
    depth, name = 0, ""
    row = 0
    first_row = last_row = first_col = last_col = -1
    for event, elem in stream(fh, [TABLE, ROW]):
        if elem.tag == TABLE:
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                name, row, first_row, last_row, first_col, last_col = \
                    elem.get(NAME, ""), 0, -1, -1, -1, -1
            elif event == "end" and depth == 0:
                found.setdefault(name, 0 if last_row < 0 else
                                 (last_row - first_row + 1) * (last_col - first_col + 1))
        elif event == "end" and depth == 1:
            r, row = row, row + _count(elem.get(ROWS_REPEATED))
            col, low, high = 0, -1, -1
            for cell in elem.iterchildren(CELL, COVERED):
                width = _count(cell.get(COLS_REPEATED))
                if cell.get(VALUE_TYPE) is not None or len(cell):
                    low = col if low < 0 else low
                    high = col + width - 1
                col += width
            if high >= 0:
                first_row = r if first_row < 0 else first_row
                last_row = row - 1
                first_col = low if first_col < 0 else min(first_col, low)
                last_col = max(last_col, high)
