"""Workbooks written with XlsxWriter: one writer configuration, one format cache, table sheets.

XlsxWriter builds everything about a sheet (column widths and formats, frozen header, filter,
conditional colours, charts). A table's data rows are the exception: XlsxWriter spends ~10 µs
of Python per cell, most of a 100,000-row run, so by default they are generated here as sheet
XML, column by column, and streamed into XlsxWriter's own sheet part before `</sheetData>`
once it has closed the workbook. `bulk=False` writes the same cells through XlsxWriter's
public `write` instead: the slow twin the tests hold the bulk path equal to, cell for cell.

Strings are always written as text (inline strings in bulk, never formulas or links); each
cell's style is the xf index XlsxWriter gave its column's format. Formats come from one cache,
one Format per distinct set of options (as polars' `_XLFormatCache`), because XlsxWriter gives
an xf index only to the first of two Formats with equal options.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from svcperf.text import column_letter

# every workbook svcperf writes: text stays text, never a formula, a link or a number
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
MAX_TEXT = 32767  # Excel's limit for one cell
GRADE_COLOURS = ["#C6EFCE", "#DDEBF7", "#FFF2CC", "#FCE4D6", "#FFC7CE", "#E7E6E6"]
HEADER = {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}


@dataclass
class Column:
    """One column of a table sheet: the frame column it shows, its header, how it is formatted."""

    key: str
    header: str
    kind: str  # text, number, percent, int, grade, pct_points, score


def kind_options(kind: str, precision: int) -> dict[str, Any] | None:
    """The cell format of a column kind (None: General)."""
    return {
        "percent": {"num_format": "0.00%"},
        "score": {"num_format": "0." + "0" * precision if precision else "0"},
        "number": {"num_format": "0.00"},
        "money": {"num_format": "#,##0.00"},
        "int": {"num_format": "0"},
        "pct_points": {"num_format": '+0.##"%";-0.##"%";0"%"'},
        "grade": {"align": "center"},
    }.get(kind)


def new_workbook(path: Path) -> Any:
    """An XlsxWriter workbook with the options every svcperf workbook uses."""
    return xlsxwriter.Workbook(str(path), OPTIONS)


class Workbook:
    """A workbook of table sheets (and any other sheet XlsxWriter can build)."""

    def __init__(self, path: Path, precision: int = 2, bulk: bool = True) -> None:
        self.path, self.precision, self.bulk = path, precision, bulk
        self.wb = new_workbook(path)
        self._formats: dict[str, Format] = {}
        self._pending: list[_Pending] = []

    def format(self, options: dict[str, Any] | None) -> Format | None:
        """The one Format for these options."""
        if not options:
            return None
        key = json.dumps(options, sort_keys=True)
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(options)
        return self._formats[key]

    def table(self, name: str, columns: list[Column], values: list[list[Any]],
              grades: Sequence[str] = ()) -> Any:
        """A sheet holding one table: header row, `values` column by column, grades coloured."""
        ws = self.wb.add_worksheet(name)
        formats = [self.format(kind_options(col.kind, self.precision)) for col in columns]
        for c, col in enumerate(columns):
            width = 28.0 if col.key in ("reason", "reasons") else 40.0 if col.key == "adjustment" \
                else _width(col.header, col.kind)
            ws.set_column(c, c, width, formats[c])
        ws.write_row(0, 0, [c.header for c in columns], self.format(HEADER))
        n = len(values[0]) if values else 0
        if self.bulk:
            self._pending.append(_Pending(ws.index, values, formats))
        else:
            for c, column in enumerate(values):
                for r, value in enumerate(column, start=1):
                    if _writable(value):
                        ws.write(r, c, value, formats[c])
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # printed: all columns on one page width
        ws.repeat_rows(0)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(n, 1), max(len(columns) - 1, 0))
        for c, col in enumerate(columns):
            if col.kind != "grade" or not n:
                continue
            for g, grade in enumerate(grades):
                colour = GRADE_COLOURS[min(g, len(GRADE_COLOURS) - 1)] if g < len(grades) - 1 \
                    or len(grades) == 1 else GRADE_COLOURS[4]
                ws.conditional_format(1, c, n, c, {
                    "type": "cell", "criteria": "==",
                    "value": json.dumps(grade, ensure_ascii=False),
                    "format": self.format({"bg_color": colour})})
        return ws

    def close(self) -> None:
        """Close; the formats have their xf indices then, so add every table's rows."""
        self.wb.close()
        tables = [t for t in self._pending if t.data and len(t.data[0])]
        if tables:
            _splice(self.path, tables)


def _writable(value: Any) -> bool:
    """Whether a cell is written at all: blanks, empty text (XlsxWriter writes it blank) and
    non-finite numbers are left empty."""
    return value is not None and value != "" and \
        not (isinstance(value, float) and not math.isfinite(value))


def _width(header: str, kind: str) -> float:
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header)
    return max(8.0, min(40.0, wide + 2.0, 28.0 if kind == "text" else 16.0))


@dataclass
class _Pending:
    """A table sheet whose data rows are added after XlsxWriter has closed the workbook."""

    index: int  # the worksheet's index in the workbook
    data: list[list[Any]]  # column by column
    formats: list[Format | None]

    def rows(self) -> Iterator[bytes]:
        return rows_xml(self.data, [f.xf_index if f else None for f in self.formats])

    @property
    def last_cell(self) -> str:
        return f"{column_letter(len(self.data) - 1)}{len(self.data[0]) + 1}"


# ---- the bulk path: sheet XML for a table's rows -------------------------------------------

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


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


def cells_xml(values: Sequence[Any], letter: str, style: int | None, first_row: int) -> list[str]:
    """One column's cells as XML ('' for a blank), for rows first_row, first_row + 1, …

    A column of plain numbers, or of text with nothing to escape, is written in one pass
    without looking at each value's type; anything else cell by cell (`each_cell_xml`).
    """
    s = f' s="{style}"' if style else ""
    kinds = set(map(type, values)) - {type(None)}
    present = [v for v in values if v is not None] if None in values else values
    if kinds <= {int, float} and (float not in kinds or all(map(math.isfinite, present))):
        return [f'<c r="{letter}{r}"{s}><v>{v:.16g}</v></c>' if v is not None else ""
                for r, v in enumerate(values, start=first_row)]
    if kinds == {str} and _plain(present):
        return [f'<c r="{letter}{r}"{s} t="inlineStr"><is><t>{v}</t></is></c>' if v
                else "" for r, v in enumerate(values, start=first_row)]
    return each_cell_xml(values, letter, s, first_row)


def each_cell_xml(values: Sequence[Any], letter: str, s: str, first_row: int) -> list[str]:
    """Cell by cell: booleans, infinities, text to escape or with spaces at its edges."""
    out: list[str] = []
    append = out.append
    for r, v in enumerate(values, start=first_row):
        if not _writable(v):
            append("")
        elif isinstance(v, bool):
            append(f'<c r="{letter}{r}"{s} t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float):
            append(f'<c r="{letter}{r}"{s}><v>{v:.16g}</v></c>')
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
        part = [cells_xml(col[start:start + chunk], letters[c], styles[c], first_row + start)
                for c, col in enumerate(columns)]
        yield "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in
                      enumerate(zip(*part, strict=True), start=first_row + start)).encode()


def _splice(path: Path, tables: list[_Pending]) -> None:
    """Stream row XML into the sheets of an XlsxWriter workbook, before each `</sheetData>`."""
    parts = {f"xl/worksheets/sheet{t.index + 1}.xml": t for t in tables}
    tmp = path.with_name(path.name + ".splice")
    try:
        with zipfile.ZipFile(path) as src, \
                zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                table = parts.get(item.filename)
                if table is None:
                    dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
                    continue
                data = _DIMENSION.sub(f'<dimension ref="A1:{table.last_cell}"/>'.encode(), data, 1)
                head, tail = data.split(b"</sheetData>", 1)
                info = zipfile.ZipInfo(item.filename, item.date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as out:
                    out.write(head)
                    for chunk in table.rows():
                        out.write(chunk)
                    out.write(b"</sheetData>" + tail)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
