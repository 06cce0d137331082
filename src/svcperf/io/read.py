"""Open workbooks (xlsx, xlsm, xls, xlsb, ods, csv) with python-calamine; plain errors for bad files.

Within one command (`session`), a workbook opened twice (to pick its rule set, then to check
it) is read once, and `read_ahead` parses a workbook's sheets on a background thread: calamine
lets go of the GIL while it parses, so imports, rule loading and the checks of the previous
file go on meanwhile on the other core. A big .xlsx sheet is parsed in pieces (io.split), and
`Book.pieces` hands out each piece's rows as soon as it is parsed.
"""

from __future__ import annotations

import csv
import io
import os
import queue
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from svcperf.io.split import Piece, packages

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
    _ahead: Ahead | None = None  # its sheets being parsed on a background thread
    _taken: dict[str, Any] = field(default_factory=dict)  # from _ahead, until read

    def _take(self, name: str) -> Any:
        """What the read-ahead thread made of a sheet: its calamine sheet, its Pieces, or None."""
        if name not in self._taken:
            self._taken[name] = self._ahead.take(name) if self._ahead is not None else None
        return self._taken[name]

    def pieces(self, name: str) -> Iterator[list[list[Any]]]:
        """A big sheet's rows a piece at a time, each as soon as it is parsed, when it is read
        ahead in pieces (see io.split); nothing otherwise. `rows` is the pieces joined."""
        got = self._take(name) if self.in_pieces(name) else None
        return iter(got) if isinstance(got, Pieces) else iter(())

    def in_pieces(self, name: str) -> bool:
        """Whether this sheet is being read in pieces (see `pieces`); never waits for a parse."""
        if name in self._taken:
            return isinstance(self._taken[name], Pieces)
        return self._ahead is not None and self._ahead.in_pieces(name)

    def piece_errors(self, name: str) -> dict[tuple[int, int], str] | None:
        """The error cells of a sheet read in pieces, once all are taken; else None."""
        got = self._taken.get(name)
        return got.errors if isinstance(got, Pieces) and got.complete else None

    def done(self) -> None:
        """Every sheet needed is read: stop reading ahead the others."""
        if self._ahead is not None:
            self._ahead.drop()

    @property
    def is_xlsx(self) -> bool:
        return self._wb is not None and _magic(self.path) == "zip" and \
            self.path.suffix.lower() in (".xlsx", ".xlsm")

    def rows(self, name: str) -> list[list[Any]]:
        """Every cell of a sheet from A1, as Python values ('' for a blank cell)."""
        if self._csv_rows is not None:
            return self._csv_rows
        if name not in self._cache:
            sheet = self._take(name)
            if isinstance(sheet, Pieces):
                for _ in sheet:  # the pieces not taken yet
                    pass
                if sheet.complete:
                    self._cache[name], self._merged[name] = sheet.rows, sheet.merged
                    return sheet.rows
                sheet = None  # an odd piece: parse the sheet whole, to read it or say why not
            self._taken[name] = None  # kept no longer than this: it holds every cell too
            try:
                if sheet is None:
                    sheet = self._wb.get_sheet_by_name(name)
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


_handovers = [0, 0.0]  # pieces being parsed, and the switch interval before
_handover_lock = threading.Lock()


@contextmanager
def _quick_handover() -> Iterator[None]:
    """Hand the GIL on every 0.5 ms, not 5, while a sheet is parsed in pieces.

    The parser thread needs the GIL for a moment between pieces; while the checks hold it, it
    would otherwise wait up to 5 ms each time (the 100,000-row sheet: 0.05 s in all).
    """
    with _handover_lock:
        if not _handovers[0]:
            _handovers[1] = sys.getswitchinterval()
            sys.setswitchinterval(0.0005)
        _handovers[0] += 1
    try:
        yield
    finally:
        with _handover_lock:
            _handovers[0] -= 1
            if not _handovers[0]:
                sys.setswitchinterval(_handovers[1])


class Pieces:
    """A sheet parsed piece by piece (see io.split); iterating takes each piece's rows in turn.

    The rows of every piece are aligned as calamine aligns a whole sheet's: from A1, blank rows
    between pieces filled in, and, once all are taken, every row as wide as the widest.
    `complete` says they all came; otherwise a piece was odd and the sheet is parsed whole.
    """

    def __init__(self) -> None:
        self._ready: queue.SimpleQueue[Future[Any] | None] = queue.SimpleQueue()
        self.rows: list[list[Any]] = []
        self.merged: list[Any] = []
        self.errors: dict[tuple[int, int], str] = {}  # error cells found while cutting
        self.complete = self.failed = False

    def parse(self, cut: Iterator[Piece], name: str, stop: Callable[[], bool]) -> None:
        """Parse each package as it is cut; calamine parses one while the next is inflated."""
        import python_calamine as pc

        def parse_one(package: bytes) -> Any:
            return pc.CalamineWorkbook.from_filelike(io.BytesIO(package)).get_sheet_by_name(name)

        with _quick_handover(), ThreadPoolExecutor(1, thread_name_prefix=name) as parser:
            try:
                for package, errors in cut:
                    if stop():
                        raise RuntimeError("no longer needed")
                    self._ready.put(parser.submit(parse_one, package))
                    self.errors.update(errors)
            except BaseException as ex:  # e.g. a damaged part: the sheet is parsed whole, and fails there
                failed: Future[Any] = Future()
                failed.set_exception(ex)
                self._ready.put(failed)
            self._ready.put(None)

    def __iter__(self) -> Iterator[list[list[Any]]]:
        while not (self.complete or self.failed):
            future = self._ready.get()
            if future is None:
                self.complete, self.failed = bool(self.rows), not self.rows
                width = max(map(len, self.rows), default=0)
                for row in self.rows:
                    if len(row) < width:
                        row.extend([""] * (width - len(row)))
                return
            try:
                yield self._add(future.result())
            except Exception:
                self.failed = True

    def _add(self, sheet: Any) -> list[list[Any]]:
        block = sheet.to_python(skip_empty_area=True)
        self.merged += sheet.merged_cell_ranges or []
        if not block:
            return []
        top, left = sheet.start
        if top < len(self.rows):
            raise ValueError("rows out of order across pieces")
        if left:
            block = [[""] * left + row for row in block]
        if top > len(self.rows):  # blank rows between the pieces
            block[:0] = [[""] * len(block[0]) for _ in range(top - len(self.rows))]
        self.rows += block
        return block


class Ahead:
    """The sheets of one workbook being parsed on a background thread, by name.

    The thread opens the workbook (calamine reads its shared strings and styles then), names
    a future per worksheet, and parses them in order; a sheet taken before its turn is parsed
    by whoever needs it, and `drop` cancels whatever nobody took.
    """

    def __init__(self, path: Path, pieces: bool = False) -> None:
        self.opened = threading.Event()
        self.dropped = False
        self.futures: dict[str, Future[Any]] = {}
        self.cut: set[str] = set()  # the sheets read in pieces
        threading.Thread(target=self._parse, args=(path, pieces), name=f"read-ahead {path.name}",
                         daemon=True).start()

    def _parse(self, path: Path, pieces: bool) -> None:
        try:
            import python_calamine as pc

            wb = pc.CalamineWorkbook.from_path(str(path))
            names = [m.name for m in wb.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
            plans = {name: packages(path, name) if pieces else None for name in names}
            self.cut = {name for name, cut in plans.items() if cut is not None}
            if not self.dropped:
                self.futures = {name: Future() for name in names}
        except BaseException:  # anything odd about the file is open_book's to report
            return
        finally:
            self.opened.set()
        for name in names:
            future = self.futures.get(name)  # the Book pops the ones it takes
            if future is not None and future.set_running_or_notify_cancel():
                cut = plans.pop(name)
                if cut is not None:
                    split = Pieces()
                    future.set_result(split)
                    split.parse(cut, name, lambda: self.dropped)
                    continue
                try:
                    future.set_result(wb.get_sheet_by_name(name))
                except BaseException as ex:  # handed to the reader, who reports it
                    future.set_exception(ex)
            del future

    def in_pieces(self, name: str) -> bool:
        """Whether this sheet is to be read in pieces (known once the workbook is open)."""
        self.opened.wait()
        return name in self.cut and name in self.futures

    def take(self, name: str) -> Any:
        """The parsed sheet, waiting for it if it is being parsed; None to parse it here."""
        self.opened.wait()
        future = self.futures.pop(name, None)
        if future is None or future.cancel():
            return None
        try:
            return future.result()
        except Exception:  # parse it again where it is needed, so the error is reported there
            return None

    def drop(self) -> None:
        """Stop: sheets not started are not parsed, and parsed ones are let go."""
        for future in self.futures.values():
            future.cancel()
        self.dropped = True
        self.futures = {}
        self.opened.set()  # nobody waits for a workbook that is no longer read


Stamp = tuple[str, int, int, int, int]  # the file as it is now: path, inode, size, mtime, ctime


class _Session:
    depth = 0  # sessions open (one command may run another's steps, e.g. a batch in-process)
    books: ClassVar[OrderedDict[Stamp, Book]] = OrderedDict()  # opened, newest last
    ahead: ClassVar[dict[Stamp, Ahead]] = {}  # being read, until open_book takes them


_KEEP = 2  # books kept for reuse: the one being checked and the one read ahead


def _stamp(path: Path) -> Stamp | None:
    """Where the file is and when it last changed; a file written again gets a new stamp."""
    try:
        st = path.stat()
        return str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns
    except OSError:
        return None


def _forget() -> None:
    """Drop what this session reads ahead or keeps."""
    for ahead in _Session.ahead.values():
        ahead.drop()
    for book in _Session.books.values():
        if book._ahead is not None:
            book._ahead.drop()
    _Session.ahead.clear()
    _Session.books.clear()


def _in_forked_child() -> None:
    """A forked worker starts afresh: the parent's read-ahead threads are not there."""
    _forget()
    _Session.depth = 0


if hasattr(os, "register_at_fork"):  # not on Windows, where workers are spawned, not forked
    os.register_at_fork(after_in_child=_in_forked_child)


@contextmanager
def session() -> Iterator[None]:
    """One command's reading: books are reused and `read_ahead` works until it ends."""
    _Session.depth += 1
    try:
        yield
    finally:
        _Session.depth -= 1
        if _Session.depth == 0:
            _forget()


def read_ahead(path: str | Path, pieces: bool = False) -> None:
    """Start parsing the worksheets of this workbook on a background thread (in a session).

    `open_book` hands them to the Book. Anything odd about the file is left to `open_book`.
    With `pieces`, a big .xlsx sheet is parsed in pieces (see `Book.pieces`). That pays when
    checking follows the read (validate); rank imports pandas for longer than the parse
    takes, gains nothing, and wrote its 100,000-row workbook 0.1 s slower from pieces.
    """
    path = Path(path)
    stamp = _stamp(path)
    if not _Session.depth or stamp is None or stamp in _Session.ahead \
            or stamp in _Session.books or path.suffix.lower() == ".csv":
        return
    try:
        if _magic(path) not in ("zip", "ole"):
            return
    except OSError:
        return
    _Session.ahead[stamp] = Ahead(path, pieces)


def each_read_ahead(paths: list[Path], pieces: bool = False) -> Iterator[Path]:
    """The paths in turn; the next one is read ahead while the caller works on this one."""
    for n, path in enumerate(paths):
        if n + 1 < len(paths):
            read_ahead(paths[n + 1], pieces)
        yield path


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
    stamp = _stamp(path) if _Session.depth else None
    if stamp is not None and stamp in _Session.books:
        _Session.books.move_to_end(stamp)
        return _Session.books[stamp]
    book = _open_calamine(path, magic)
    if stamp is not None:
        book._ahead = _Session.ahead.pop(stamp, None)
        _Session.books[stamp] = book
        while len(_Session.books) > _KEEP:
            _, old = _Session.books.popitem(last=False)
            old.done()
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
