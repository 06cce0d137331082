"""Open workbooks (xlsx, xlsm, xls, xlsb, ods with python-calamine; csv; web pages); plain errors."""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from svcperf.io import html, ods, xlsb
from svcperf.io.cells import Marks, sheet_marks
from svcperf.io.package import PACKAGE_ERRORS, limit, members, over_limits, past_limit, sheet_over
from svcperf.text import Undecodable, decode
from svcperf.why import Why

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")

Range = tuple[tuple[int, int], tuple[int, int]]


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet: why and what to do, as a catalogue key and its
    values (svcperf.why.Why; `UnreadableFile(path, "no-such-file")`). str() is the English sentence
    `path: why`; `message(lang)` says it in the user's language."""

    def __init__(self, path: str | Path, why: str, **values: Any) -> None:
        self.path = path
        self.why = why if isinstance(why, Why) else Why(why, **values)
        super().__init__(f"{path}: {self.why}")

    def message(self, lang: str = "en") -> str:
        """`path: why` in `lang` (en or zh)."""
        return Why("at-file", path=str(self.path), why=self.why).render(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return UnreadableFile, (self.path, self.why)


@dataclass
class SheetInfo:
    name: str
    visible: bool = True
    worksheet: bool = True


@dataclass
class Book:
    """An opened workbook: sheet names and a way to read each sheet's grid of cells.

    Each sheet is parsed once, when first read; a command opens a workbook once and hands
    the Book to every step that needs it (choosing the rule set, then checking the sheet).
    A CSV file or a web page is read whole when opened; its sheets are text.
    """

    path: Path
    sheets: list[SheetInfo]
    typed: bool = True  # False for CSV and web pages, where every cell is text by nature
    # what the file holds, whatever its name says: "xlsx" (also .xlsm), "xls", "xlsb", "ods",
    # "csv" or "html" (a web page, often saved as .xls by a web system's "export to Excel")
    kind: str = "xlsx"
    _wb: Any = None
    _cache: dict[str, list[list[Any]]] = field(default_factory=dict)
    _merged: dict[str, list[Range]] = field(default_factory=dict)
    _hidden: dict[str, set[int]] = field(default_factory=dict)
    _parsing: dict[str, Future[Any]] = field(default_factory=dict)  # see prefetch
    _scanned: dict[str, Marks] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)  # one thread reads _wb
    _prefetched: bool = False
    # an .xlsx or .xlsb sheet's limits are checked once, before calamine parses it (_check):
    # the sheets checked, and the refused ones with why
    _checked: set[str] = field(default_factory=set)
    _refused: dict[str, UnreadableFile] = field(default_factory=dict)

    def prefetch(self) -> Book:
        """Check every worksheet against the limits here, then start parsing them on a
        background thread, and return the Book.

        calamine lets go of the GIL while it parses, so whatever the caller does next (load
        modules, check another file) runs beside it; `rows` takes each parsed sheet, waiting
        for it if need be, and scans an .xlsx sheet for what calamine does not say (`_marks`)
        while it waits. The limits are checked first, in the caller's thread: calamine is
        never handed a sheet over them. A refused sheet is refused when it is read.
        """
        if self._wb is not None and not self._prefetched:
            self._prefetched = True
            todo = [s.name for s in self.worksheets if s.name not in self._cache]
            for name in todo:
                self._check(name)
            self._parsing = {name: Future() for name in todo if name not in self._refused}
            threading.Thread(target=_run_all, args=(self._parsing, self._parse), daemon=True,
                             name=f"parse {self.path.name}").start()
        return self

    def _check(self, name: str) -> bool:
        """Check an .xlsx or .xlsb sheet against the limits, once (io.package.sheet_over,
        io.xlsb.sheet_over); a refused sheet is kept with why. Whether the sheet may be read
        (False for a refused one, and for a book calamine does not read)."""
        if self._wb is None:
            return False
        if self.kind in ("xlsx", "xlsb") and name not in self._checked:
            self._checked.add(name)
            try:
                _check_sheet(self.path, name, self.kind)
            except UnreadableFile as ex:
                self._refused[name] = ex
        return name not in self._refused

    def _marks(self, name: str) -> Marks:
        """What calamine does not say about an .xlsx sheet (io.cells): error cells, hidden
        rows. Read once; none for a sheet over the limits."""
        if name not in self._scanned:
            self._scanned[name] = sheet_marks(self.path, name) \
                if self.kind == "xlsx" and self._check(name) else Marks()
        return self._scanned[name]

    def _parse(self, name: str) -> Any:
        """calamine's parse of one sheet; never two at once (the prefetch thread and a reader).
        An .xlsx sheet is first checked against the limits (_check)."""
        self._check(name)
        if name in self._refused:
            raise self._refused[name]
        with self._lock:
            return self._wb.get_sheet_by_name(name)

    def cell_errors(self, name: str) -> dict[tuple[int, int], str]:
        """The sheet's error cells and formulas without a value (see io.cells), {} if none."""
        return dict(self._marks(name).errors)

    @property
    def is_xlsx(self) -> bool:
        return self._wb is not None and self.kind == "xlsx"

    @property
    def worksheets(self) -> list[SheetInfo]:
        return [s for s in self.sheets if s.worksheet]

    def rows(self, name: str) -> list[list[Any]]:
        """Every cell of a sheet from A1, as Python values ('' for a blank cell)."""
        if name not in self._cache and self._wb is None:
            raise UnreadableFile(self.path, "no-such-sheet", sheet=name)
        if name not in self._cache:
            future = self._parsing.pop(name, None)
            if future is not None and future.running():
                self._marks(name)  # while calamine parses (mostly zlib: it lets go of the GIL)
            try:
                # a sheet the prefetch thread has not started is parsed here, not waited for
                sheet = self._parse(name) if future is None or future.cancel() else future.result()
                self._cache[name] = sheet.to_python(skip_empty_area=False)
            except UnreadableFile:
                raise
            except Exception as ex:  # calamine raises its own error types for broken parts
                raise UnreadableFile(self.path, "sheet-unreadable", sheet=name, error=str(ex)) from None
            try:  # .xlsx and .xls; None for .ods (read from content.xml instead) and .xlsb
                ranges = sheet.merged_cell_ranges
            except Exception:
                ranges = None
            if ranges is not None:
                self._merged[name] = self._bounded(name, _in_grid(ranges, self._cache[name]))
        return self._cache[name]

    def _bounded(self, name: str, ranges: list[Range]) -> list[Range]:
        """The ranges, unless together they cover more cells than the cell limit (crafted
        ranges laid over one another: filling them in would take hours)."""
        area = _merged_area(ranges)
        if area > limit("cells"):
            raise UnreadableFile(self.path, past_limit(
                "cells", Why("span-merged", sheet=name, cells=area)))
        return ranges

    def merged(self, name: str) -> list[Range]:
        """Merged ranges of a sheet as ((row0, col0), (row1, col1)), 0-based and inclusive.

        Clipped to the grid `rows` returns (see _in_grid), sorted: the same for one layout
        saved as .xlsx, .xls, .ods or a web page ([] for CSV, and for .xlsb, which calamine
        does not report). Only a range's top-left cell holds its value.
        """
        self.rows(name)
        if name not in self._merged:
            self._merged[name] = self._ods(name).merged if self.kind == "ods" else []
        return self._merged[name]

    def hidden_rows(self, name: str) -> set[int]:
        """1-based numbers of the hidden rows among the sheet's rows (those `rows` returns).

        Read from .xlsx and .ods files; always empty for .xls, .xlsb, CSV and web pages.
        """
        grid = self.rows(name)
        if name not in self._hidden:
            if self.kind == "ods":
                self._ods(name)
            else:
                self._hidden[name] = {r for r in self._marks(name).hidden if r <= len(grid)}
        return set(self._hidden[name])

    def _ods(self, name: str) -> ods.Layout:
        """An .ods sheet's merges and hidden rows, read together from content.xml."""
        grid = self.rows(name)
        found = ods.layout(self.path, name, len(grid), max(map(len, grid), default=0))
        found.merged = self._bounded(name, _in_grid(found.merged, grid))
        self._merged.setdefault(name, found.merged)
        self._hidden.setdefault(name, found.hidden)
        return found


def _merged_area(ranges: list[Range]) -> int:
    return sum((r1 - r0 + 1) * (c1 - c0 + 1) for (r0, c0), (r1, c1) in ranges)


def _in_grid(ranges: list[Any], grid: list[list[Any]]) -> list[Range]:
    """The ranges that cover more than one cell of the grid, clipped to it, sorted.

    Merged cells past the data (a title merged wider than the table, say) hold nothing; left
    in, crafted ranges could make whoever fills the merged areas build rows without end.
    """
    found = set()
    for (r0, c0), (r1, c1) in ranges:
        if r0 < len(grid) and c0 < len(grid[r0]):
            r1, c1 = min(r1, len(grid) - 1), min(c1, len(grid[r0]) - 1)
            if r1 >= r0 and c1 >= c0 and (r1, c1) != (r0, c0):
                found.add(((int(r0), int(c0)), (int(r1), int(c1))))
    return sorted(found)


def _run_all(todo: dict[str, Future[Any]], work: Callable[[str], Any]) -> None:
    """Each sheet's work in turn, unless the reader took (cancelled) it meanwhile."""
    for name, future in list(todo.items()):
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(work(name))
            except BaseException as ex:  # the reader reports it, with the file's name
                future.set_exception(ex)


def _magic(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "empty" if not head else "other"


def open_book(path: str | Path) -> Book:
    """Open a spreadsheet, or raise UnreadableFile with one plain sentence."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(path, "no-such-file")
    if path.is_dir():
        raise UnreadableFile(path, "file-is-folder")
    if not path.is_file():  # a FIFO, socket or device would block or never end
        raise UnreadableFile(path, "not-regular-file")
    try:
        magic = _magic(path)
    except OSError as ex:
        raise UnreadableFile(path, "cannot-open", reason=ex.strerror) from None
    suffix = path.suffix.lower()
    if magic == "empty":
        raise UnreadableFile(path, "empty-file")
    if magic == "other":
        with path.open("rb") as fh:
            head = fh.read(html.SNIFF)
        if html.looks_like_html(head):
            return _open_html(path)
        if html.xml_spreadsheet(head):
            raise UnreadableFile(path, "excel-2003-xml")
    if magic == "other" and suffix in (".csv", ".txt", ".tsv"):  # a workbook named .csv: below
        return _open_csv(path)
    if magic == "other":
        raise UnreadableFile(path, "not-spreadsheet")
    if magic == "zip":
        _check_package(path)
        _check_ods(path)
    return _open_calamine(path, magic)


def _check_package(path: Path) -> None:
    """Refuse a zip package over the declared limits (io.package.LIMITS) before calamine
    inflates anything; a zip that cannot even be listed is left to calamine to report."""
    try:
        with path.open("rb") as raw, zipfile.ZipFile(raw) as zf:
            why = over_limits(zf, raw)
    except NotImplementedError as ex:  # a version or method no workbook uses: calamine may
        # still read it, but its error cells could not be looked for (io.cells): refused
        raise UnreadableFile(path, Why("zip-unsupported", error=str(ex))) from None
    except PACKAGE_ERRORS:  # not a zip that can be listed, or a part that cannot be
        return              # inflated: calamine says what is wrong
    if why:
        raise UnreadableFile(path, why)


def _check_ods(path: Path) -> None:
    """Refuse an OpenDocument file with a sheet whose used range, as calamine would build
    it, is over the cell limit (io.ods.spans): calamine reads every sheet of an .ods file
    when it opens it, so the check comes first."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = members(zf)
    except PACKAGE_ERRORS:
        return
    if "content.xml" not in names or "xl/workbook.xml" in names:
        return
    for name, cells in ods.spans(path).items():
        if cells > limit("cells"):
            raise UnreadableFile(path, past_limit("cells", Why("span-sheet", sheet=name,
                                                               cells=cells)))


def _check_sheet(path: Path, sheet: str, kind: str = "xlsx") -> None:
    """Refuse an .xlsx or .xlsb sheet over the limits before calamine parses it (see
    _check_package)."""
    try:
        with path.open("rb") as raw, zipfile.ZipFile(raw) as zf:
            why = xlsb.sheet_over(zf, sheet, limit("cells")) if kind == "xlsb" else \
                sheet_over(zf, raw, sheet)
    except PACKAGE_ERRORS:
        return
    if why:
        raise UnreadableFile(path, why)


def _open_calamine(path: Path, magic: str) -> Book:
    import python_calamine as pc

    protected = UnreadableFile(path, "password-protected")
    suffix = path.suffix.lower()
    natural = (magic == "zip" and suffix in (".xlsx", ".xlsm", ".xlsb", ".ods")) or \
        (magic == "ole" and suffix == ".xls")
    if magic == "ole" and _encrypted_package(path):
        raise protected
    try:
        if natural:
            wb = pc.CalamineWorkbook.from_path(str(path))
        else:  # e.g. an .xls saved under an .xlsx name: read it by its content
            with path.open("rb") as fh:
                wb = pc.CalamineWorkbook.from_filelike(fh)
        metadata = wb.sheets_metadata
    except pc.PasswordError:
        raise protected from None
    except Exception as ex:
        text = str(ex)
        if magic == "zip" and ("EOCD" in text or "Zip" in type(ex).__name__
                               or "detect file format" in text):
            why = Why("damaged-zip")
        elif "Cell limit" in text:
            why = Why("many-cells")
        elif magic == "ole":
            why = Why("old-office")
        else:
            why = (_no_workbook(path) if magic == "zip" else None) or \
                Why("not-readable", error=text)
        raise UnreadableFile(path, why) from None
    sheets = [SheetInfo(m.name, visible=m.visible == pc.SheetVisibleEnum.Visible,
                        worksheet=m.typ == pc.SheetTypeEnum.WorkSheet) for m in metadata]
    if not any(s.worksheet for s in sheets):
        raise UnreadableFile(path, "no-worksheets")
    return Book(path, sheets, kind="xls" if magic == "ole" else _zip_kind(path, suffix), _wb=wb)


def _no_workbook(path: Path) -> Why | None:
    """Why a zip file calamine cannot read is not a workbook, by its members: a text document
    (Word, OpenDocument), a presentation, an OpenDocument file without its mimetype, any other
    zip archive; None when it holds what a workbook holds (damaged: calamine's reason is said)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = members(zf)
            kind = ""
            if "mimetype" in names:
                with zf.open(names["mimetype"]) as fh:  # its first bytes only
                    kind = fh.read(100).decode("ascii", "replace")
    except PACKAGE_ERRORS:
        return None
    if any(n.startswith("xl/") for n in names) or "spreadsheet" in kind:
        return None
    if "word/document.xml" in names or kind.endswith("opendocument.text"):
        return Why("text-document")
    if "ppt/presentation.xml" in names or kind.endswith("opendocument.presentation"):
        return Why("presentation")
    if "content.xml" in names and not kind:
        return Why("ods-no-mimetype")
    shown = sorted(n[:60] for n in names.values() if not n.endswith("/"))
    if not shown:
        return Why("zip-empty")
    return Why("zip-archive", names=", ".join(shown[:3]) + (", ..." if len(shown) > 3 else ""))


def _zip_kind(path: Path, suffix: str) -> str:
    """'xlsx', 'xlsb' or 'ods', by the package's members (by the suffix if they cannot be listed)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = members(zf)
    except PACKAGE_ERRORS:
        return {".xlsb": "xlsb", ".ods": "ods"}.get(suffix, "xlsx")
    if any(n.endswith("workbook.bin") for n in names):
        return "xlsb"
    return "ods" if "content.xml" in names else "xlsx"


def _encrypted_package(path: Path) -> bool:
    """An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    return "EncryptedPackage".encode("utf-16-le") in head


CSV_FIELD = 32 << 20  # the longest CSV field read (Excel's cells hold 32,767 characters)
# the rows and columns a sheet holds (A1:XFD1048576): a CSV file may have no more
SHEET_ROWS, SHEET_COLUMNS = ods.MAX_ROWS, ods.MAX_COLS


def _open_csv(path: Path) -> Book:
    """A CSV file as one sheet of text. Held to the cell limit before it is parsed (its
    fields, counted by delimiters and line ends; where quotes hold delimiters, up to twice the
    limit, by its rows), and to a sheet's 1,048,576 rows and 16,384 columns. Empty lines at
    the end are no rows (nor lines of empty fields: ,,,), and empty fields at the end of a
    line (a sheet's blank formatted columns, saved as ,,,) are left out."""
    raw = path.read_bytes()
    text = _decode_csv(raw, path)
    # the delimiter is told by the lines that hold something: empty ones tell nothing (and
    # cost the sniffer up to a second)
    sample = _BREAKS.sub("\n", text[:1 << 20])[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:  # a title line above the header, ragged rows: the commonest delimiter
        common = max(",;\t", key=sample.count)
        dialect = type("found", (csv.excel,), {"delimiter": common})
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD))
    text = text.rstrip("\r\n" + dialect.delimiter)  # empty lines at the end are no rows
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    cells = text.count(str(dialect.delimiter)) + lines + 1  # every field, if none is quoted
    if cells > limit("cells") and '"' in text and cells <= 2 * limit("cells"):
        cells = _csv_span(text, dialect)  # quoted fields hold delimiters too: count the rows
    if cells > limit("cells"):
        raise UnreadableFile(path, past_limit("cells", Why("span-sheet", sheet=path.stem,
                                                           cells=cells)))
    if lines >= SHEET_ROWS:  # a line is a row, unless quotes hold line breaks: count them
        count = lines + 1 if '"' not in text else _csv_count(text, dialect)
        if count > SHEET_ROWS:
            raise UnreadableFile(path, "csv-long", rows=f"{count:,}")
    rows: list[list[Any]] = []
    try:
        for line, row in enumerate(_csv_rows(text, dialect), 1):
            if len(row) > SHEET_COLUMNS:
                raise UnreadableFile(path, "csv-wide", line=line, count=len(row))
            rows.append(row)
    except csv.Error as ex:
        raise UnreadableFile(path, "csv-unreadable", error=str(ex)) from None
    return Book(path, [SheetInfo(path.stem)], typed=False, kind="csv", _cache={path.stem: rows},
                _merged={path.stem: []})


_BREAKS = re.compile(r"[\r\n]+")


def _csv_rows(text: str, dialect: Any) -> Iterator[list[str]]:
    """A CSV text's rows, without the empty fields at the end of a line (newline=None: lines
    may end in \r\n, \n or a bare \r, as old Mac exports do)."""
    for row in csv.reader(io.StringIO(text, newline=None), dialect):
        while row and row[-1] == "":
            row.pop()
        yield row


def _csv_count(text: str, dialect: Any) -> int:
    """How many rows a CSV text has (csv's own reader: 1,000,000 rows in a tenth of a second)."""
    try:
        return sum(1 for _ in csv.reader(io.StringIO(text, newline=None), dialect))
    except csv.Error:
        return 0  # said when the rows are read


def _csv_span(text: str, dialect: Any) -> int:
    """The cells a CSV file's rows span (rows times the widest), read a row at a time and
    none kept."""
    rows = width = 0
    try:
        for row in _csv_rows(text, dialect):
            rows, width = rows + 1, max(width, len(row))
    except csv.Error:
        pass  # said when the rows are read
    return rows * width


def _decode_csv(raw: bytes, path: Path) -> str:
    """The text of a CSV file (text.decode), or UnreadableFile with the line that breaks."""
    try:
        return decode(raw)
    except Undecodable as ex:
        if ex.utf8 is not None:
            raise UnreadableFile(path, "mixed-encodings", broken=ex.line, utf8=ex.utf8) from None
        raise UnreadableFile(path, "csv-encoding", line=ex.line) from None


def _open_html(path: Path) -> Book:
    """A web page (a web system's "export to Excel"): each table with a cell is a sheet of text."""
    try:
        tables = html.read_tables(path.read_bytes())
    except html.TooLarge:
        raise UnreadableFile(path, "many-cells") from None
    if not tables:
        raise UnreadableFile(path, "web-no-table")
    return Book(path, [SheetInfo(t.name) for t in tables], typed=False, kind="html",
                _cache={t.name: t.rows for t in tables},
                _merged={t.name: _in_grid(t.merged, t.rows) for t in tables})
