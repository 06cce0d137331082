"""Open workbooks (xlsx, xlsm, xls, xlsb, ods, csv) with python-calamine; plain errors for bad files.

Within one command (`session`), a workbook opened twice (to pick its rule set, then to check
it) is read once, and `read_ahead` parses a workbook's sheets on a background thread: calamine
lets go of the GIL while it parses, so imports, rule loading and the checks of the previous
file go on meanwhile on the other core.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why and what to do."""


@dataclass
class SheetInfo:
    name: str
    visible: bool = True
    worksheet: bool = True


@dataclass
class Book:
    """An opened workbook: sheet names and a way to read each sheet's grid of cells."""

    path: Path
    sheets: list[SheetInfo]
    typed: bool = True  # False for CSV, where every cell is text by nature
    _wb: Any = None
    _csv_rows: list[list[Any]] | None = None
    _cache: dict[str, list[list[Any]]] = field(default_factory=dict)
    _merged: dict[str, list[Any]] = field(default_factory=dict)
    _ahead: dict[str, Future[Any]] = field(default_factory=dict)  # sheets parsed by read_ahead

    def _sheet(self, name: str) -> Any:
        """The calamine sheet: the one read ahead, else parsed now."""
        future = self._ahead.pop(name, None)
        if future is not None and not future.cancel():  # running or done: wait for it
            try:
                return future.result()
            except Exception:  # parse it here, so that the error is reported as usual
                pass
        return self._wb.get_sheet_by_name(name)

    @property
    def is_xlsx(self) -> bool:
        return self._wb is not None and _magic(self.path) == "zip" and \
            self.path.suffix.lower() in (".xlsx", ".xlsm")

    def rows(self, name: str) -> list[list[Any]]:
        """Every cell of a sheet from A1, as Python values ('' for a blank cell)."""
        if self._csv_rows is not None:
            return self._csv_rows
        if name not in self._cache:
            try:
                sheet = self._sheet(name)  # kept no longer than this: it holds every cell too
                self._cache[name] = sheet.to_python(skip_empty_area=False)
            except Exception as ex:  # calamine raises its own error types for broken parts
                raise UnreadableFile(f"{self.path}: sheet {name!r} cannot be read ({ex})") from None
            try:
                self._merged[name] = list(sheet.merged_cell_ranges or [])
            except Exception:
                self._merged[name] = []
        return self._cache[name]

    def merged(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges of a sheet as ((row0, col0), (row1, col1)), 0-based."""
        if self._csv_rows is not None:
            return []
        self.rows(name)
        return self._merged[name]


Key = tuple[str, int, int]
_BOOKS: OrderedDict[Key, Book] = OrderedDict()  # opened in this session, newest last
_AHEAD: dict[Key, dict[str, Future[Any]]] = {}  # sheets being parsed, until open_book takes them
_KEEP = 2  # books kept for reuse: the one being checked and the one read ahead
_depth = [0]  # sessions open (one command may run another's steps, e.g. batch in-process)


def _forget() -> None:
    """In a forked worker: the parent's read-ahead threads are not there to finish."""
    _AHEAD.clear()
    _BOOKS.clear()
    _depth[0] = 0


os.register_at_fork(after_in_child=_forget)


def _key(path: Path) -> Key | None:
    try:
        st = path.stat()
        return str(path.resolve()), st.st_size, st.st_mtime_ns
    except OSError:
        return None


@contextmanager
def session() -> Iterator[None]:
    """One command's reading: books are reused and `read_ahead` works until it ends."""
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1
        if _depth[0] == 0:
            for futures in _AHEAD.values():
                for future in futures.values():
                    future.cancel()
            _AHEAD.clear()
            _BOOKS.clear()


def read_ahead(path: str | Path) -> None:
    """Start parsing the worksheets of this workbook on a background thread (in a session).

    `open_book` hands the parsed sheets to the Book; a sheet it needs before the thread got
    to it is parsed where it is needed. Anything odd about the file is left to `open_book`.
    """
    path = Path(path)
    key = _key(path)
    if not _depth[0] or key is None or key in _AHEAD or key in _BOOKS \
            or path.suffix.lower() == ".csv":
        return
    import python_calamine as pc

    try:
        if _magic(path) not in ("zip", "ole"):
            return
        wb = pc.CalamineWorkbook.from_path(str(path))
        names = [m.name for m in wb.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
    except Exception:
        return
    futures: dict[str, Future[Any]] = {name: Future() for name in names}
    _AHEAD[key] = futures

    def parse() -> None:
        for name, future in list(futures.items()):  # the Book pops them as it takes them
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(wb.get_sheet_by_name(name))
                except BaseException as ex:  # handed to the reader, who reports it
                    future.set_exception(ex)

    threading.Thread(target=parse, name=f"read-ahead {path.name}", daemon=True).start()


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
        raise UnreadableFile(f"{path}: no such file")
    if path.is_dir():
        raise UnreadableFile(f"{path}: is a folder, not a spreadsheet")
    try:
        magic = _magic(path)
    except OSError as ex:
        raise UnreadableFile(f"{path}: cannot be opened ({ex.strerror})") from None
    suffix = path.suffix.lower()
    if magic == "empty":
        raise UnreadableFile(f"{path}: the file is empty (0 bytes); export the sheet again")
    if suffix == ".csv" or (magic == "other" and suffix in (".txt", ".tsv")):
        return _open_csv(path)
    if magic == "other":
        raise UnreadableFile(f"{path}: not a spreadsheet (not an Excel, OpenDocument or CSV "
                             "file); save it from Excel as .xlsx")
    key = _key(path) if _depth[0] else None
    if key is not None and key in _BOOKS:
        _BOOKS.move_to_end(key)
        return _BOOKS[key]
    book = _open_calamine(path, magic)
    if key is not None:
        book._ahead = _AHEAD.pop(key, {})
        _BOOKS[key] = book
        while len(_BOOKS) > _KEEP:
            _BOOKS.popitem(last=False)
    return book


def _open_calamine(path: Path, magic: str) -> Book:
    import python_calamine as pc

    protected = UnreadableFile(f"{path}: the workbook is password-protected; open it in Excel, "
                               "remove the password (File > Info > Protect Workbook) and save "
                               "it again")
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
            why = "the file is damaged or was cut short (incomplete zip); copy or download it again"
        elif "Cell limit" in text:
            why = "the file declares more cells than any sheet can hold; it looks crafted or damaged"
        elif magic == "ole":
            why = "an old-format or damaged Office file that cannot be read; open it in Excel " \
                  "and save it as .xlsx"
        else:
            why = f"cannot be read as a spreadsheet ({text})"
        raise UnreadableFile(f"{path}: {why}") from None
    sheets = [SheetInfo(m.name, visible=m.visible == pc.SheetVisibleEnum.Visible,
                        worksheet=m.typ == pc.SheetTypeEnum.WorkSheet) for m in metadata]
    if not any(s.worksheet for s in sheets):
        raise UnreadableFile(f"{path}: the workbook has no worksheets")
    return Book(path, sheets, _wb=wb)


def _encrypted_package(path: Path) -> bool:
    """An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    return "EncryptedPackage".encode("utf-16-le") in head


def _open_csv(path: Path) -> Book:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UnreadableFile(f"{path}: text encoding not recognised; save it as UTF-8 CSV")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    return Book(path, [SheetInfo(path.stem)], typed=False, _csv_rows=rows)
