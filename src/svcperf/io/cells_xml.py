"""Bulk cell XML for the big table sheets of a workbook that XlsxWriter has built.

XlsxWriter writes everything about a sheet (column widths and formats, frozen header, filter,
conditional colours, charts) but spends ~10 µs of Python per cell. For a 100,000-row Results
sheet that is most of the run, so the data rows are generated here, column by column, and put
into XlsxWriter's own sheet part before `</sheetData>`. Strings are always inline strings
(never formulas); styles are the xf indices XlsxWriter gave the column formats.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svcperf.text import column_letter

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
MAX_TEXT = 32767  # Excel's limit for one cell


def _escape(text: str) -> str:
    if len(text) <= MAX_TEXT and not _SPECIAL.search(text):  # most names and ids: as they are
        return text
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _ILLEGAL.search(text):  # control characters and literal _xHHHH_ as Excel escapes them
        text = _ILLEGAL.sub(lambda m: "_x005F" + m.group(0) if len(m.group(0)) > 1
                            else f"_x{ord(m.group(0)):04X}_", text)
    return text


def _cells(values: Sequence[Any], letter: str, style: int | None, first_row: int) -> list[str]:
    """One column's cells as XML ('' for a blank), for rows first_row, first_row + 1, …

    A column of plain numbers, or of text with nothing to escape, is written in one pass
    without looking at each value's type; anything else cell by cell.
    """
    s = f' s="{style}"' if style else ""
    kinds = set(map(type, values)) - {type(None)}
    present = [v for v in values if v is not None] if None in values else values
    if kinds <= {int, float} and (float not in kinds or all(map(math.isfinite, present))):
        return [f'<c r="{letter}{r}"{s}><v>{v!r}</v></c>' if v is not None else ""
                for r, v in enumerate(values, start=first_row)]
    if kinds == {str} and _plain(present):
        return [f'<c r="{letter}{r}"{s} t="inlineStr"><is><t>{v}</t></is></c>' if v is not None
                else "" for r, v in enumerate(values, start=first_row)]
    return _each(values, letter, s, first_row)


def _each(values: Sequence[Any], letter: str, s: str, first_row: int) -> list[str]:
    """Cell by cell: booleans, infinities, text to escape or with spaces at its edges."""
    out: list[str] = []
    append = out.append
    for r, v in enumerate(values, start=first_row):
        if v is None:
            append("")
        elif isinstance(v, bool):
            append(f'<c r="{letter}{r}"{s} t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float):
            if isinstance(v, float) and not math.isfinite(v):
                append("")
            else:
                append(f'<c r="{letter}{r}"{s}><v>{v!r}</v></c>')
        else:
            text = _escape(str(v))
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            append(f'<c r="{letter}{r}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
    return out


def _plain(texts: Sequence[str]) -> bool:
    """Texts that go into XML as they are: nothing to escape, no edge spaces, none too long."""
    return not _SPECIAL.search("\n".join(texts)) and max(map(len, texts), default=0) <= MAX_TEXT \
        and list(map(str.strip, texts)) == list(texts)


def rows_xml(columns: Sequence[Sequence[Any]], styles: Sequence[int | None],
             first_row: int = 2, chunk: int = 5000) -> Iterator[bytes]:
    """<row> elements for columns of equal length from sheet row first_row, in chunks."""
    total = len(columns[0]) if columns else 0
    letters = [column_letter(c) for c in range(len(columns))]
    for start in range(0, total, chunk):
        part = [_cells(col[start:start + chunk], letters[c], styles[c], first_row + start)
                for c, col in enumerate(columns)]
        yield "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in
                      enumerate(zip(*part, strict=True), start=first_row + start)).encode()


@dataclass
class SheetRows:
    """Rows to add to one sheet of a closed XlsxWriter workbook."""

    index: int  # the worksheet's index in the workbook
    rows: Iterable[bytes]
    last_cell: str  # bottom-right cell of the table, for <dimension>


def splice(path: Path, sheets: list[SheetRows]) -> None:
    """Stream row XML into the sheets of an XlsxWriter workbook, before each `</sheetData>`."""
    parts = {f"xl/worksheets/sheet{s.index + 1}.xml": s for s in sheets}
    tmp = path.with_name(path.name + ".splice")
    with zipfile.ZipFile(path) as src, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            sheet = parts.get(item.filename)
            if sheet is None:
                dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            data = _DIMENSION.sub(f'<dimension ref="A1:{sheet.last_cell}"/>'.encode(), data, 1)
            head, tail = data.split(b"</sheetData>", 1)
            info = zipfile.ZipInfo(item.filename, item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w", force_zip64=True) as out:
                out.write(head)
                for chunk in sheet.rows:
                    out.write(chunk)
                out.write(b"</sheetData>" + tail)
    tmp.replace(path)
