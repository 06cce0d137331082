"""The used range of an .xlsb sheet, measured from its records before calamine parses it.

An .xlsb sheet part is a stream of BIFF12 records (MS-XLSB 2.1.4): a type and a size, each a
little-endian base-128 number, then the data. calamine places each cell record (types 2 to
10) at the column its first four bytes give, in the row of the last row header (type 0)
before it, and then allocates a grid spanning every cell: two cells far apart in a file of
2 KB make it ask for 512 GiB and abort the process. This walks the records as calamine reads
them (its buffer too: a record shorter than four bytes leaves the previous one's bytes in
place) and measures the span, so such a sheet is refused with a sentence instead.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator

from svcperf.io.package import members, past_limit, stream
from svcperf.why import Why

ROW_HEADER, BEGIN_SHEET_DATA, END_SHEET_DATA, BUNDLE_SHEET = 0x0000, 0x0091, 0x0092, 0x009C
CELLS = frozenset(range(0x0002, 0x000B))  # BrtCellRk ... BrtFmlaBool (BrtCellBlank is skipped)
LAST_ROW = 0x0010_0000  # a row header past it ends calamine's read


def records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(type, start, size) of each record, as calamine reads them: a type of one or two bytes,
    a size of one to four; a record cut short ends the walk (calamine stops there with an
    error, before it allocates anything)."""
    at, end = 0, len(data)
    while at < end:
        kind = data[at]
        at += 1
        if kind & 0x80:
            if at >= end:
                return
            kind = (kind & 0x7F) | ((data[at] & 0x7F) << 7)
            at += 1
        size = 0
        for shift in (0, 7, 14, 21):
            if at >= end:
                return
            byte = data[at]
            at += 1
            size |= (byte & 0x7F) << shift
            if not byte & 0x80:
                break
        if at + size > end:
            return
        yield kind, at, size
        at += size


def span(data: bytes) -> int:
    """How many cells the grid calamine builds for this sheet part would hold."""
    head = bytearray(4)  # the first bytes of calamine's reused record buffer
    held = 0  # how many of them the buffer holds (it only grows)
    row = 0  # calamine's, before any row header
    low_row = low_col = 1 << 40
    high_row = high_col = -1
    started = False
    for kind, start, size in records(data):
        if not started:
            started = kind == BEGIN_SHEET_DATA
            continue
        if kind == END_SHEET_DATA:
            break
        shown = min(size, 4)
        head[:shown] = data[start:start + shown]
        held = max(held, shown)
        if held < 4 or kind > 0x000A:
            continue
        value = int.from_bytes(head, "little")
        if kind == ROW_HEADER:
            row = value
            if row > LAST_ROW:
                break
        elif kind in CELLS:
            low_row, high_row = min(low_row, row), max(high_row, row)
            low_col, high_col = min(low_col, value), max(high_col, value)
    if high_row < 0:
        return 0
    return (high_row - low_row + 1) * (high_col - low_col + 1)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, list[str]]:
    """Each sheet's name (xl/workbook.bin) -> the members that may hold it: its relationship's
    target joined to xl/ as calamine joins it, and the same path resolved."""
    names = members(zf)
    workbook = names.get("xl/workbook.bin")
    if workbook is None:
        return {}
    targets = _targets(zf, names)
    data = zf.read(workbook)
    found: dict[str, list[str]] = {}
    for kind, start, size in records(data):
        if kind != BUNDLE_SHEET or size < 16:
            continue
        record = data[start:start + size]
        rid_chars = int.from_bytes(record[8:12], "little")
        at = 12 + 2 * rid_chars
        if rid_chars == 0xFFFF_FFFF or at + 4 > size:
            continue
        rid = record[12:at].decode("utf-16-le", "replace")
        name_chars = int.from_bytes(record[at:at + 4], "little")
        name = record[at + 4:at + 4 + 2 * name_chars].decode("utf-16-le", "replace")
        target = targets.get(rid, "").replace("\\", "/")
        paths = {f"xl/{target}", posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                                    else posixpath.join("xl", target))}
        found[name] = [names[p.lower()] for p in sorted(paths) if p.lower() in names]
    return found


def _targets(zf: zipfile.ZipFile, names: dict[str, str]) -> dict[str, str]:
    """Each workbook relationship's id -> its Target as written."""
    rels = names.get("xl/_rels/workbook.bin.rels")
    if rels is None:
        return {}
    with zf.open(rels) as fh:
        return {elem.get("Id", ""): elem.get("Target", "") for event, elem
                in stream(fh, ["{*}Relationship"]) if event == "start"}


def sheet_over(zf: zipfile.ZipFile, sheet: str, cells: int) -> Why | None:
    """Why this .xlsb sheet is refused before calamine parses it, or None: its cells span
    more than `cells`."""
    for member in sheet_parts(zf).get(sheet, []):
        spanned = span(zf.read(member))
        if spanned > cells:
            return past_limit("cells", Why("span-sheet", sheet=sheet, cells=spanned))
    return None
