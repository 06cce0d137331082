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

import io
import json
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from svcperf.text import column_letter, keep_together

# every workbook svcperf writes: text stays text, never a formula, a link or a number
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
MAX_TEXT = 32767  # Excel's limit for one cell
GRADE_COLOURS = ["#C6EFCE", "#DDEBF7", "#FFF2CC", "#FCE4D6", "#FFC7CE", "#E7E6E6"]
# the same hues, strong enough for a chart's bars
CHART_COLOURS = ["#63BE7B", "#5B9BD5", "#FFC000", "#ED7D31", "#E0464B", "#A5A5A5"]
WRAP_KEYS = ("reason", "reasons", "notice", "cutoffs", "diff", "ineligible_reasons", "adjustment",
             "quota_table")
HEADER = {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}


@dataclass
class Column:
    """One column of a table sheet: the frame column it shows, its header, how it is formatted."""

    key: str
    header: str
    kind: str  # text, number, percent, int, grade, pct_points, score, typed, auto


def kind_options(kind: str, precision: int, values: Sequence[Any] = ()) -> dict[str, Any] | None:
    """The cell format of a column kind (None: General). `number` and `pct_points` show as
    many decimals as their values need (at most 2), so 15 days is not 15.00 and +5 % is not
    "+5.%" (Excel keeps the point of an optional-digit format like 0.##)."""
    if kind == "number":
        return {"num_format": _decimal_format(decimals(values))}
    if kind == "pct_points":
        d = _decimal_format(decimals(values)) + '"%"'
        return {"num_format": f"+{d};-{d};{d}", "align": "right"}
    return {
        "percent": {"num_format": "0.00%"},
        "score": {"num_format": _decimal_format(precision)},
        "money": {"num_format": "#,##0.00"},
        "int": {"num_format": "0"},
        "grade": {"align": "center"},
    }.get(kind)


def _decimal_format(places: int) -> str:
    return "0." + "0" * places if places else "0"


def decimals(values: Sequence[Any], most: int = 2) -> int:
    """The fewest decimals (up to `most`) that show every number of `values` as it is."""
    places = 0
    for v in values:
        if isinstance(v, float) and math.isfinite(v) and not v.is_integer():
            while places < most and round(v, places) != round(v, most):
                places += 1
            if places == most:
                break
    return places


def typed_options(value: Any, percent: bool) -> dict[str, Any] | None:
    """A cell as the clerk typed it (Rejected): a number in a percent column that is a fraction
    was typed as a percentage (93 %); every other number shows as written (93, 15, 0.5)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    if percent and -1.5 <= value <= 1.5 and value != 0 and not float(value).is_integer():
        return {"num_format": _decimal_format(decimals([value * 100])) + "%"}
    return {"num_format": _decimal_format(decimals([value], 6)) if isinstance(value, float)
            else "0"}


def auto_kind(values: Sequence[Any], header: str) -> str:
    """The kind of a carried-through column from its values: whole numbers, a share (占比, 率,
    %, between -1 and 1) or decimals; anything holding text stays text."""
    numbers = [v for v in values if v is not None and v != ""]
    if not numbers or not all(isinstance(v, int | float) and not isinstance(v, bool)
                              for v in numbers):
        return "text"
    if all(float(v).is_integer() for v in numbers):
        return "int"
    share = any(mark in header.lower() for mark in ("比", "率", "%", "％", "share", "rate"))
    return "percent" if share and all(-1 <= v <= 1 for v in numbers) else "number"


def new_workbook(path: Path) -> Any:
    """An XlsxWriter workbook with the options every svcperf workbook uses, built in memory
    (XlsxWriter's documented BytesIO target, `in_memory`) and written to `path` when closed: a
    full disk is then our own write's error, with nothing of XlsxWriter's left open (its zip
    file, left open by a FileCreateError, wrote itself again when collected) and no temporary
    file of XlsxWriter's to outlive a kill."""
    return _Book(path)


class _Book(xlsxwriter.Workbook):
    def __init__(self, path: Path) -> None:
        self.svcperf_path, self.svcperf_package = path, io.BytesIO()
        self.svcperf_tables: list[_Pending] = []  # rows streamed in as the package is written
        super().__init__(self.svcperf_package, {**OPTIONS, "in_memory": True})

    def close(self) -> None:
        super().close()  # the formats have their xf indices now: the rows can be written
        if self.svcperf_tables:
            _splice(self.svcperf_package, self.svcperf_path, self.svcperf_tables)
        else:
            self.svcperf_path.write_bytes(self.svcperf_package.getbuffer())


class Workbook:
    """A workbook of table sheets (and any other sheet XlsxWriter can build)."""

    def __init__(self, path: Path, precision: int = 2, bulk: bool = True,
                 header: str = "", footer: str = "&P / &N") -> None:
        self.path, self.precision, self.bulk = path, precision, bulk
        self.header, self.footer = header, footer  # printed on every page
        self.wb = new_workbook(path)
        self._formats: dict[str, Format] = {}
        self._pending: list[_Pending] = []
        self.scales: dict[str, float] = {}  # each sheet's printed scale, as page() set it
        self.across: set[str] = set()  # sheets printed across pages, their first column repeated
        self.row_heights: dict[str, dict[int, float]] = {}  # a table's rows not 15 pt high

    def format(self, options: dict[str, Any] | None) -> Format | None:
        """The one Format for these options."""
        if not options:
            return None
        key = json.dumps(options, sort_keys=True)
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(options)
        return self._formats[key]

    def page(self, ws: Any, landscape: bool = True, repeat: int | None = 0,
             widths: Sequence[float] = (), keys: int = 1) -> None:
        """Print setup of every sheet: A4, one page wide, title and period in the header,
        page numbers in the footer, the header row repeated on each page. A table too wide to
        be read at one page wide (`widths`, its columns') prints at a readable scale across
        pages instead, its first `keys` columns (who a row is) repeated on each."""
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        scale = print_scale(widths, landscape)
        if scale < MIN_SCALE:
            ws.set_print_scale(round(READABLE_SCALE * 100))
            ws.repeat_columns(0, max(keys, 1) - 1)
            self.across.add(ws.name)
            scale = READABLE_SCALE
        else:
            ws.fit_to_pages(1, 0)
        self.scales[ws.name] = scale
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
        if self.header:
            ws.set_header("&C" + self.header.replace("&", "&&"), {"margin": 0.3})
        ws.set_footer("&C" + self.footer, {"margin": 0.3})
        if repeat is not None:
            ws.repeat_rows(repeat)

    def table(self, name: str, columns: list[Column], values: list[list[Any]],
              grades: Sequence[str] = (), percent: Sequence[bool] = (),
              cap: float = 30.0, bulk: bool | None = None, repeat: int | None = 0,
              keys: int = 1) -> Any:
        """A sheet holding one table: header row, `values` column by column, grades coloured.

        A column of kind `typed` (Rejected) gets a format per cell, the cell as typed; a
        `percent` flag per column says which of them were percentages. `bulk=False` for a
        sheet that gets more cells written afterwards (Summary: flags, a chart's data);
        `repeat=None` when its header row must not be printed above what follows the table;
        `keys`: how many of the first columns say who a row is (printed on every page of a
        table too wide for one)."""
        ws = self.wb.add_worksheet(name)
        wraps = [col.key in WRAP_KEYS for col in columns]
        values = [[keep_together(v) if isinstance(v, str) else v for v in column]
                  if c < len(wraps) and wraps[c] else column for c, column in enumerate(values)]
        columns_values = [values[c] if c < len(values) else [] for c in range(len(columns))]
        widths = [fit_width(col.header, shown_values(column, col.kind, self.precision),
                            cap + 6.0 if wrap else cap)
                  for col, column, wrap in zip(columns, columns_values, wraps, strict=True)]
        heights = row_heights([v for v, w in zip(columns_values, wraps, strict=True) if w],
                           [x for x, w in zip(widths, wraps, strict=True) if w])
        top = {"valign": "top"} if heights else {}  # tall rows: every cell at the top
        formats: list[Format | list[Format | None] | None] = []
        for c, col in enumerate(columns):
            column = columns_values[c]
            if col.kind == "typed":
                share = c < len(percent) and percent[c]
                formats.append([self.format({**(typed_options(v, share) or {}), **top} or None)
                                for v in column])
                ws.set_column(c, c, widths[c])
                continue
            options = kind_options(col.kind, self.precision, column) or {}
            if wraps[c]:
                options = {**options, "text_wrap": True, "valign": "top"}
            formats.append(self.format({**options, **top} if options or top else None))
            ws.set_column(c, c, widths[c], formats[-1])
        ws.write_row(0, 0, [c.header for c in columns], self.format(HEADER))
        lines = max((math.ceil(display_width(c.header) / max(w - 1, 1))
                     for c, w in zip(columns, widths, strict=True)), default=1)
        ws.set_row(0, 15 * max(lines, 1) + 2)  # a wrapped header shows whole
        self.row_heights[name] = {0: 15.0 * max(lines, 1) + 2, **heights}
        n = len(values[0]) if values else 0
        if bulk is None:  # a format per cell has an xf index only once XlsxWriter writes it
            bulk = self.bulk and not any(isinstance(f, list) for f in formats)
        if bulk:
            self._pending.append(_Pending(ws.index, values, formats, heights))
        else:
            for r, h in heights.items():
                ws.set_row(r, h)
            for c, column in enumerate(values):
                for r, value in enumerate(column, start=1):
                    if _writable(value):
                        fmt = formats[c]
                        ws.write(r, c, value, fmt[r - 1] if isinstance(fmt, list) else fmt)
        self.page(ws, repeat=repeat, widths=widths, keys=keys)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(n, 1), max(len(columns) - 1, 0))
        for c, col in enumerate(columns):
            if col.kind != "grade" or not n:
                continue
            for g, grade in enumerate(grades):
                colour = grade_colour(g, len(grades))
                ws.conditional_format(1, c, n, c, {
                    "type": "cell", "criteria": "==",
                    "value": json.dumps(grade, ensure_ascii=False),
                    "format": self.format({"bg_color": colour})})
        return ws

    def close(self) -> None:
        """Close: XlsxWriter's package, with every table's rows streamed into it."""
        self.wb.svcperf_tables = [t for t in self._pending if t.data and len(t.data[0])]
        self.wb.close()


def row_heights(texts: Sequence[Sequence[Any]], widths: Sequence[float],
                first: int = 1) -> dict[int, float]:
    """{0-based sheet row: height} for the rows whose wrapped text takes more than one line
    (LibreOffice and Excel do not grow a row's height for wrapped text they did not write);
    the texts are columns of cells from sheet row `first` down (1: below a header)."""
    out: dict[int, float] = {}
    for column, width in zip(texts, widths, strict=True):
        room = max(width * 1.1 - 1.0, 1.0)  # a column holds about 1.1 characters a unit
        for r, v in enumerate(column, start=first):
            if isinstance(v, str) and 2 * len(v) > room:  # else one line, even all CJK
                lines = math.ceil(display_width(v) / room)
                if lines > 1:
                    out[r] = max(out.get(r, 0.0), min(13.5 * lines + 3.0, 400.0))
    return out


# A4 landscape between the margins page() sets: 11.69 in - 0.8 in wide, 8.27 in - 1.35 in
# high (in points); portrait the other way round
PAGE_POINTS = {True: (784.0, 498.0), False: (537.0, 745.0)}
ROW_POINTS = 15.0  # a row's default height
MIN_SCALE = 0.7  # below this a sheet fitted one page wide is too small to read printed
READABLE_SCALE = 0.85  # what such a sheet prints at instead, across pages


def column_points(width: float) -> float:
    """A column's printed width in points at 100 % (Calibri 11: 7 pixels a unit, 5 of padding)."""
    return (7.0 * width + 5.0) * 0.75


def print_scale(widths: Sequence[float], landscape: bool = True) -> float:
    """The scale at which columns of these widths fit one A4 page wide (1 at most)."""
    total = sum(map(column_points, widths))
    return min(1.0, PAGE_POINTS[landscape][0] / total) if total else 1.0


def grade_colour(g: int, n: int, palette: Sequence[str] = GRADE_COLOURS) -> str:
    """The colour of the g-th of n grades: green for the best, red for the last."""
    return palette[min(g, len(palette) - 1)] if g < n - 1 or n == 1 else palette[4]


def _writable(value: Any) -> bool:
    """Whether a cell is written at all: blanks, empty text (XlsxWriter writes it blank) and
    non-finite numbers are left empty."""
    return value is not None and value != "" and \
        not (isinstance(value, float) and not math.isfinite(value))


def display_width(value: Any) -> int:
    """How many narrow characters a value takes on screen: CJK and full-width count double."""
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    if text.isascii():
        return len(text)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def shown_values(values: Sequence[Any], kind: str, precision: int = 2,
                 sample: int = 2000) -> list[Any]:
    """The first `sample` values as their number format shows them (1 as 100.00% in a percent
    column), so a column fitted to them never shows ### instead."""
    head = values[:sample]
    shown = {"percent": "{:.2%}", "money": "{:,.2f}", "score": f"{{:.{precision}f}}"}.get(kind)
    if shown is None:
        return list(head)
    return [shown.format(v) if isinstance(v, int | float) and not isinstance(v, bool)
            and math.isfinite(v) else v for v in head]


def fit_width(header: str, values: Sequence[Any], cap: float = 40.0, sample: int = 2000) -> float:
    """A column's width fitted to its header (which wraps onto two lines if it must) and its
    widest value among the first `sample`, capped; longer text wraps or is cut on screen."""
    seen = {v for v in values[:sample] if v is not None and not isinstance(v, list | dict)}
    widest = max(map(display_width, seen), default=0)
    head = display_width(header)
    head = min(head, max(widest, (head + 1) // 2))  # a long header may take two lines
    return max(6.0, min(cap, max(widest, head) + 2.0))


@dataclass
class _Pending:
    """A table sheet whose data rows are added after XlsxWriter has closed the workbook."""

    index: int  # the worksheet's index in the workbook
    data: list[list[Any]]  # column by column
    formats: list[Format | list[Format | None] | None]  # a list: one format per cell
    heights: dict[int, float] = field(default_factory=dict)  # 0-based row: height

    def rows(self) -> Iterator[bytes]:
        return rows_xml(self.data, [[x.xf_index if x else None for x in f]
                                    if isinstance(f, list) else f.xf_index if f else None
                                    for f in self.formats], heights=self.heights)

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


def cells_xml(values: Sequence[Any], letter: str, style: int | Sequence[int | None] | None,
              first_row: int) -> list[str]:
    """One column's cells as XML ('' for a blank), for rows first_row, first_row + 1, …

    A column of plain numbers, or of text with nothing to escape, is written in one pass
    without looking at each value's type; anything else cell by cell (`each_cell_xml`).
    A sequence of styles gives each cell its own.
    """
    if not isinstance(style, int | None):
        return [each_cell_xml([v], letter, f' s="{x}"' if x else "", r)[0]
                for r, (v, x) in enumerate(zip(values, style, strict=True), start=first_row)]
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


def rows_xml(columns: Sequence[Sequence[Any]],
             styles: Sequence[int | Sequence[int | None] | None],
             first_row: int = 2, chunk: int = 5000,
             heights: dict[int, float] | None = None) -> Iterator[bytes]:
    """<row> elements for columns of equal length from sheet row first_row, in chunks;
    `heights` (0-based row: points) sets the height of rows holding wrapped text."""
    tall = heights or {}
    total = len(columns[0]) if columns else 0
    letters = [column_letter(c) for c in range(len(columns))]
    for start in range(0, total, chunk):
        part = [cells_xml(col[start:start + chunk], letters[c], _slice(styles[c], start, chunk),
                          first_row + start) for c, col in enumerate(columns)]
        yield "".join(f'<row r="{r}"{_height(tall, r)}>{"".join(cells)}</row>' for r, cells in
                      enumerate(zip(*part, strict=True), start=first_row + start)).encode()


def _height(heights: dict[int, float], r: int) -> str:
    h = heights.get(r - 1)
    return f' ht="{h:g}" customHeight="1"' if h else ""


def _slice(style: int | Sequence[int | None] | None, start: int,
           chunk: int) -> int | Sequence[int | None] | None:
    return style if isinstance(style, int | None) else style[start:start + chunk]


def _splice(package: io.BytesIO, path: Path, tables: list[_Pending]) -> None:
    """Write XlsxWriter's package (in memory: without the table rows it is small) to `path`
    with row XML streamed into its sheets, before each `</sheetData>`. `path` is written in
    place (io.files holds it locked while it is written, see atomic_path)."""
    parts = {f"xl/worksheets/sheet{t.index + 1}.xml": t for t in tables}
    with zipfile.ZipFile(package) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
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
