"""Zip-packaged workbooks (.xlsx, .ods): find a sheet's part, stream XML parts in flat memory."""

from __future__ import annotations

import lzma
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, Any, Protocol, cast
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError, XMLParser

from isal import isal_zlib
from lxml import etree

from svcperf.text import whole_digits
from svcperf.why import Why

# Relationship types end so in both the transitional and the Strict (ISO 29500) vocabulary
_OFFICE_DOCUMENT = "/officedocument"
_WORKSHEET = "/worksheet"
# What a broken or unexpected package raises while it is read; calamine has read it already
# (LookupError: a missing part's KeyError, or an XML part's unknown encoding.)
PACKAGE_ERRORS = (OSError, EOFError, LookupError, ValueError, RuntimeError, NotImplementedError,
                  zipfile.BadZipFile, zlib.error, lzma.LZMAError, ParseError, etree.LxmlError,
                  # isal's stubs type its error as an instance; it is the class of its errors
                  cast("type[Exception]", isal_zlib.error))


# What a package may hold before anything is inflated, from the zip's own directory. Any real
# workbook is far inside these (a 1,000,000-row sheet is ~0.4 GiB of XML, deflated 8-15x); a
# decompression bomb is not. Raise them with the environment variables named in LIMITS.
LIMITS = {  # name -> (environment variable, default); what each bounds: i18n's limit-<name>
    "member": ("SVCPERF_MAX_PART_MIB", 1024),  # MiB of one part of the package, inflated
    "total": ("SVCPERF_MAX_PACKAGE_MIB", 2048),  # MiB of the whole package, inflated
    "ratio": ("SVCPERF_MAX_RATIO", 500),  # times a part may inflate (for parts over 10 MiB)
    "parts": ("SVCPERF_MAX_PARTS", 10000),  # parts in the package
    "cells": ("SVCPERF_MAX_CELLS", 30_000_000),  # cells in a sheet's used range or merged ranges
    "errors": ("SVCPERF_MAX_ERRORS", 100_000),  # cells in error on one sheet (core.validate)
}


_MOST = 10**11 - 1  # the largest value a limit takes (limit() reads up to 11 digits)


def limit(name: str) -> int:
    """A limit's value: its environment variable if set to a whole number, else the default."""
    variable, default = LIMITS[name]
    value = os.environ.get(variable, "")
    return int(value) if value.isascii() and value.isdecimal() and len(value) < 12 else default


def set_limits(given: list[str]) -> None:
    """Apply `--limit name=N` settings (cells=60000000) for this process and the workers it
    starts (through the limits' environment variables); ValueError names what is wrong."""
    for item in given:
        name, _, value = item.partition("=")
        name, value = name.strip().lower(), whole_digits(value) or ""
        if name not in LIMITS:
            raise ValueError(Why("limit-name", item=item, name=name, names=", ".join(LIMITS)))
        digits = value.lstrip("0") if value.isascii() and value.isdecimal() else ""
        if not digits or len(digits) > len(str(_MOST)):
            raise ValueError(Why("limit-too-large" if digits else "limit-value", item=item,
                                 most=_MOST, example=f"{name}={LIMITS[name][1] * 2}"))
        os.environ[LIMITS[name][0]] = digits


def over_limits(zf: zipfile.ZipFile, raw: IO[bytes]) -> Why | None:
    """Why this package is refused before it is read (a limit it exceeds and how to raise it),
    or None. The zip's directory first (nothing inflated); then, from `raw` (the package's
    bytes), each part but the sheets that could inflate past a limit is inflated once, a
    block at a time and stopping past its declared size, so a directory that lies about sizes
    is caught. The sheets are checked when they are read (sheet_over)."""
    items = zf.infolist()
    if len(items) > limit("parts"):
        return past_limit("parts", Why("span-parts", count=len(items)))
    total = 0
    for item in items:
        total += item.file_size
        if item.file_size > limit("member") << 20:
            return past_limit("member", Why("span-member", part=item.filename,
                                                mib=item.file_size >> 20))
        ratio = item.file_size / max(item.compress_size, 1)
        if item.file_size > 10 << 20 and ratio > limit("ratio"):
            return past_limit("ratio", Why("span-ratio", part=item.filename, ratio=ratio))
    if total > limit("total") << 20:
        return past_limit("total", Why("span-total", mib=total >> 20))
    return _inflated_parts(zf, raw)


_DEFLATE_MOST = 1032  # deflate never makes more than this many bytes of one
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature ... name length, extra length


class Reader(Protocol):
    """What reads a part's inflated bytes as they go by (see sheet_over)."""

    def feed(self, block: bytes) -> None: ...

    def close(self) -> None: ...


class _Lie(Exception):
    """A part inflates to more than the zip's directory says (or than a limit allows)."""


def _inflated_parts(zf: zipfile.ZipFile, raw: IO[bytes]) -> Why | None:
    """Inflate, bounded, each part other than a sheet whose compressed size could inflate
    past the part limit, or every such part that could inflate past its declared size when
    together they could pass the package limit (calamine reads them when it opens the file;
    the sheets: sheet_over)."""
    sheets = set(sheet_parts(zf).values())
    others = [item for item in zf.infolist() if item.filename not in sheets]
    could = {item.filename: item.compress_size * _DEFLATE_MOST
             if item.compress_type == zipfile.ZIP_DEFLATED else item.compress_size
             if item.compress_type == zipfile.ZIP_STORED else 1 << 62 for item in others}
    bound = limit("member") << 20
    if sum(could.values()) > limit("total") << 20:
        bound = 0
    for item in others:
        if could[item.filename] > max(bound, item.file_size) and \
                (lie := _lying(item, _blocks(zf, raw, item))):
            return lie
    return None


def _lying(item: zipfile.ZipInfo, blocks: Iterator[bytes], *readers: Reader) -> Why | None:
    """Why the part is refused if it inflates to more than the directory says, else None;
    the readers are fed each block on the way, and closed at the end."""
    try:
        for block in blocks:
            for reader in readers:
                reader.feed(block)
        for reader in readers:
            reader.close()
    except _Lie as lie:
        return Why("zip-lies", part=item.filename, size=item.file_size, bound=lie.args[0])
    return None


def sheet_over(zf: zipfile.ZipFile, raw: IO[bytes], sheet: str) -> Why | None:
    """Why this sheet is refused before calamine parses it, or None: its part inflates to
    more than the directory says, or its cells span more than the cell limit (calamine
    would allocate for every cell between the first and the last and abort). The part is
    inflated once, bounded, and searched on the way (_Span); parsed only when that is
    unsure."""
    member = sheet_part(zf, sheet)
    if member is None:
        return None
    item = zf.getinfo(member)
    span = _Span()
    if lie := _lying(item, _blocks(zf, raw, item), span):
        return lie
    if span.unsure:  # cells the quick look cannot place: parse them
        with zf.open(item) as fh:
            cells = _parsed_span(fh)
        if cells > limit("cells"):
            return past_limit("cells", Why("span-sheet", sheet=sheet, cells=cells))
    return None


def _blocks(zf: zipfile.ZipFile, raw: IO[bytes], item: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's inflated bytes a block at a time, from the package's raw bytes: never more
    than the directory declares (nor the part limit), so a lying directory raises _Lie."""
    if item.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) or item.flag_bits & 1:
        with zf.open(item) as fh:  # zipfile stops at the declared size; calamine reports these
            while block := fh.read(1 << 20):
                yield block
        return
    raw.seek(item.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {item.filename}")
    raw.seek(name_length + extra_length, os.SEEK_CUR)
    bound = min(item.file_size, limit("member") << 20)
    inflate = isal_zlib.decompressobj(-15) if item.compress_type == zipfile.ZIP_DEFLATED else None
    left, made = item.compress_size, 0
    while left > 0 and not (inflate is not None and inflate.eof):
        chunk = raw.read(min(left, 1 << 18))
        if not chunk:
            break
        left -= len(chunk)
        while chunk:
            if inflate is None:
                block, chunk = chunk, b""
            else:  # at most one byte past the bound: enough to know it lies
                block = inflate.decompress(chunk, bound - made + 1)
                chunk = inflate.unconsumed_tail
            made += len(block)
            if made > bound:
                raise _Lie(bound)  # more bytes than this
            yield block
            if inflate is not None and inflate.eof:
                break


def _after(value: int, digits: bool) -> bytes:
    """A regex for a number (a column's letters, or a row's digits) greater than `value`,
    written as calamine reads it: letters in either case, digits with leading zeros."""
    if digits:
        text, high, any_ = str(value), "9", rb"\d"
    else:
        text, high, any_ = _letters(value), "Z", rb"[A-Za-z]"
    longer = (rb"[1-9]\d{%d,}" % len(text)) if digits else (rb"[A-Za-z]{%d,}" % (len(text) + 1))
    same = []
    for i, ch in enumerate(text):
        if ch == high:
            continue
        nxt = chr(ord(ch) + 1)
        cls = f"[{nxt}-{high}]" if digits else f"[{nxt}-Z{nxt.lower()}-z]"
        head = "".join(f"[{c}{c.lower()}]" for c in text[:i]) if not digits else text[:i]
        same.append(head.encode() + cls.encode() + (any_ + b"{%d}" % (len(text) - i - 1)))
    end = rb"(?!\d)" if digits else rb"(?![A-Za-z])"
    return rb"(?:" + rb"|".join([longer, *same]) + rb")" + end


def _letters(column: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


_DIMENSION = re.compile(
    rb"""<(?:[^\s<>/:!?=]+:)?dimension\s[^>]*?ref\s*=\s*["'][^"':]*:?\$?([A-Za-z]{1,3})""")
# a cell's start tag with a namespace prefix (calamine reads <x:c> as a cell, whatever x is)
_PREFIXED_CELL = re.compile(rb":c[\s/>]")


def _outside(wide: int, deep: int) -> re.Pattern[bytes]:
    """A search for a cell outside the first `wide` columns and `deep` rows, or a cell start
    tag not written as Excel writes it (<c r="B7"...>: r first, in double quotes). Made to
    fail in a few steps on each cell Excel writes, as it runs over every cell of the sheet."""
    digits = len(str(deep))
    return re.compile(
        rb'<c(?: r="(?:[^A-Za-z]|' + _after(wide, False)  # no letters first; or far right
        + rb"|[A-Za-z]{1,3}+(?:[^\d]|0*+(?=\d{%d})" % digits + _after(deep, True) + rb"))"
        rb'|(?! r=")[\s/>])')  # r not first, or no r


def _upto(value: int, digits: bool) -> bytes:
    """A regex for the numbers 1 to `value` written as Excel writes them: a column's letters
    in upper case, or a row's digits without leading zeros (the quick look's box)."""
    text = str(value) if digits else _letters(value)
    low, any_ = ("0", rb"\d") if digits else ("A", rb"[A-Z]")
    shorter = [(rb"[1-9]\d{0,%d}" % (len(text) - 2)) if digits else (rb"[A-Z]{1,%d}" % (len(text) - 1))
               ] if len(text) > 1 else []
    same = []  # as long as `text`: the same up to i, then less (up to the last: no more)
    for i, ch in enumerate(text):
        first, rest = ("1" if digits and i == 0 else low), len(text) - i - 1
        top = chr(ord(ch) - 1) if rest else ch
        if top >= first:
            same.append(text[:i].encode() + f"[{first}-{top}]".encode()
                        + (any_ + b"{%d}" % rest if rest else b""))
    return rb"(?:" + rb"|".join([*shorter, *same]) + rb")"


def _inside(wide: int, deep: int) -> re.Pattern[bytes]:
    """A search for a cell start tag that is not <c r="B7"... with B7 within the first `wide`
    columns and `deep` rows: the quick look, which most sheets pass at one step a cell."""
    return re.compile(rb'<c(?! r="' + _upto(wide, False) + _upto(deep, True) + rb'")[\s/>]')


def _plain(deep: int) -> re.Pattern[bytes] | None:
    """The quickest look, tried before _inside: a cell start tag that is not <c r="B7"... with
    one letter and fewer digits than `deep` has (so within columns A-Z and rows below the
    largest power of ten up to `deep`: inside the box when the box is 26 or more columns
    wide). Twice as fast as _inside, having no choices to try; most sheets pass it."""
    more = len(str(deep)) - 2  # digits after the first: rows up to 10^(more + 1) - 1 < deep
    return re.compile(rb'<c(?! r="[A-Z][1-9]\d{0,%d}")[\s/>]' % more) if more >= 0 else None


class _Span:
    """Whether a sheet's cells may span more than the cell limit, fed its XML a block at a
    time, cheaply. The cells are taken to lie in a box of at most the limit (as wide as the
    sheet's <dimension> says, or 26 columns, and as deep as the limit allows). A quick search
    per block (_inside) finds each cell written as Excel writes it (<c r="B7"...) inside the
    box; from the first block where it finds one that is not, a closer search (_outside) looks
    for a cell outside the box, or a cell written otherwise (r not first, no r, a prefix).
    Either makes the span `unsure`: then the sheet is parsed (_parsed_span). Before the quick
    search, a quicker one (_plain) takes each block whose cells lie in A-Z and rows of fewer
    digits (a smaller box inside the first)."""

    def __init__(self) -> None:
        self.unsure = False
        self.head = b""  # the first KiBs, where <dimension> is
        self.tail = b""  # what follows the last '>' of the previous block
        self.outside: re.Pattern[bytes] | None = None
        self.inside: re.Pattern[bytes] | None = None  # until a block fails the quick look
        self.plain: re.Pattern[bytes] | None = None  # until a block fails the quickest look

    def feed(self, block: bytes) -> None:
        if self.outside is None:
            self.head += block
            if len(self.head) >= 4096 or not block:
                self._start()
            return
        if self.unsure:
            return
        text = self.tail + block
        # a tag cut by the block's end is searched with the next block (and the last with b"")
        cut = text.rfind(b">") + 1 if block else len(text)
        if self.plain is not None and self.plain.search(text, 0, cut):
            self.plain = None  # this block and every later one get the quick search
        if self.plain is None and self.inside is not None and self.inside.search(text, 0, cut):
            self.inside = None  # this block and every later one get the closer search
        if (self.inside is None and self.outside.search(text, 0, cut)) \
                or _PREFIXED_CELL.search(text, 0, cut):
            self.unsure = True
        self.tail = text[cut:]
        if len(self.tail) > 1 << 16:  # a tag longer than 64 KiB: look properly
            self.unsure = True

    def close(self) -> None:
        self.feed(b"")

    def _start(self) -> None:
        head, self.head = self.head, b""
        found = _DIMENSION.search(head)
        wide = max(_column_number(found[1]) if found else 0, 26)
        deep = max(limit("cells") // wide, 1)
        self.outside, self.inside = _outside(wide, deep), _inside(wide, deep)
        self.plain = _plain(deep)  # wide >= 26: columns A-Z are inside the box
        if not _ascii_markup(head):
            self.unsure = True
        self.feed(head)


def _ascii_markup(head: bytes) -> bool:
    """Whether the XML is written in bytes the search reads (not UTF-16 or the like)."""
    return not head.startswith((b"\xfe\xff", b"\xff\xfe")) and b"\0" not in head[:4]


class _Extent:
    """An XMLParser target that keeps the first and last row and column of the cells,
    placed as calamine places them (a cell without r follows the one before)."""

    def __init__(self) -> None:
        self.at = SheetCursor()
        self.rows: list[int] = []
        self.cols: list[int] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = self.at.local(tag)
        if tag == "c":
            self.at.enter_cell(attrs)
            row, col = self.at.where()
            self.rows.append(row)
            self.cols.append(col)
            if len(self.rows) > 1 << 16:  # keep the extremes only
                self.rows = [min(self.rows), max(self.rows)]
                self.cols = [min(self.cols), max(self.cols)]
        elif tag == "row":
            self.at.enter_row(attrs)

    def end(self, tag: str) -> None:
        return None


def _parsed_span(fh: IO[bytes]) -> int:
    """How many cells the used range of a sheet's XML spans, from its parsed cells."""
    extent = _Extent()
    parse_part(fh, extent)
    if not extent.rows:
        return 0
    return (max(extent.rows) - min(extent.rows) + 1) * (max(extent.cols) - min(extent.cols) + 1)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def past_limit(name: str, what: Why) -> Why:
    """Why a file is refused for passing a limit: `what` was found, the limit, how to raise it."""
    variable, value = LIMITS[name]
    return Why("over-limit", what=what, bound=Why(f"limit-{name}", limit=limit(name)), name=name,
               variable=variable, default=value)


def members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Each member as a lower-case path with forward slashes -> its name in the zip."""
    return {n.replace("\\", "/").lstrip("/").lower(): n for n in zf.namelist()}


def stream(fh: IO[bytes], tags: Sequence[str]) -> Iterator[tuple[str, Any]]:
    """('start' | 'end', element) for the elements with these tags ('{*}row' matches any namespace).

    An element has its attributes at 'start' and its children too at 'end'; once the caller
    moves on from its 'end' it is emptied and dropped with its earlier siblings, so a part of
    any size is read in flat memory, one tagged element at a time. Entities are not expanded
    and nothing is fetched.
    """
    events = etree.iterparse(fh, events=("start", "end"), tag=list(tags), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False)
    for event, elem in events:
        yield event, elem
        if event == "end":
            elem.clear()
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]


def _resolve(base: str, target: str) -> str:
    """A relationship target as a member path: relative to the part's folder unless absolute."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def relationships(zf: zipfile.ZipFile, names: dict[str, str], part: str) -> list[tuple[str, str, str]]:
    """(id, type, target member path) of each relationship of a part (its _rels/*.rels)."""
    folder, base = posixpath.split(part)
    rels = names.get(posixpath.join(folder, "_rels", f"{base}.rels").lower())
    if rels is None:
        return []
    found = []
    with zf.open(rels) as fh:
        for event, elem in stream(fh, ["{*}Relationship"]):
            if event == "start" and elem.get("TargetMode", "Internal") != "External":
                found.append((elem.get("Id", ""), elem.get("Type", "").lower(),
                              _resolve(part, elem.get("Target", ""))))
    return found


def _member(names: dict[str, str], path: str) -> str | None:
    """The zip member at a part path, found as Excel finds it: any case, %-escapes or not."""
    return names.get(path.lower()) or names.get(unquote(path).lower())


def workbook_part(zf: zipfile.ZipFile, names: dict[str, str] | None = None) -> str | None:
    """The member holding workbook.xml: the package's officeDocument, else xl/workbook.xml."""
    names = members(zf) if names is None else names
    for _id, kind, target in relationships(zf, names, ""):
        if kind.endswith(_OFFICE_DOCUMENT) and (member := _member(names, target)):
            return member
    return names.get("xl/workbook.xml")


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name -> the zip member holding its XML (workbook.xml and its rels)."""
    names = members(zf)
    workbook = workbook_part(zf, names)
    if workbook is None:
        return {}
    part = workbook.replace("\\", "/").lstrip("/")
    targets = {rid: target for rid, kind, target in relationships(zf, names, part)
               if kind.endswith(_WORKSHEET)}
    found: dict[str, str] = {}
    with zf.open(workbook) as fh:
        for event, elem in stream(fh, ["{*}sheet"]):
            if event != "start":
                continue
            # r:id, whatever prefix (or Strict namespace) the relationships namespace has
            rid = next((v for k, v in elem.attrib.items() if k.endswith("}id")), None)
            name = elem.get("name")
            if name is not None and rid in targets:
                member = _member(names, targets[rid])
                if member is not None:
                    found.setdefault(name, member)
    return found


def sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding this worksheet's XML, or None when the package does not say."""
    return sheet_parts(zf).get(sheet)


def styles_part(zf: zipfile.ZipFile) -> str | None:
    """The member holding the workbook's styles (the workbook's styles relationship, else
    xl/styles.xml), or None."""
    names = members(zf)
    workbook = workbook_part(zf, names)
    if workbook is not None:
        part = workbook.replace("\\", "/").lstrip("/")
        for _id, kind, target in relationships(zf, names, part):
            if kind.endswith("/styles") and (member := _member(names, target)):
                return member
    return names.get("xl/styles.xml")


def mentions(zf: zipfile.ZipFile, member: str, *needles: bytes) -> bool:
    """Whether the member's inflated bytes hold one of the needles, read a block at a time.

    An XML part in UTF-16 (which needles in ASCII would not match) counts as a yes.
    """
    keep = max(map(len, needles)) - 1  # carried over: a needle cut in two by a block's end
    with zf.open(member) as fh:
        window = fh.read(4)
        if window[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in window:
            return True
        while True:
            if any(needle in window for needle in needles):
                return True
            block = fh.read(1 << 20)
            if not block:
                return False
            window = window[max(0, len(window) - keep):] + block


def cell_ref(ref: str) -> tuple[int, int] | None:
    """'B12' -> (12, 1): 1-based row, 0-based column; None for anything else."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not ref.isascii() or not letters.isalpha() or not digits.isdigit():
        return None
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(digits), col - 1


class SheetCursor:
    """Where a streaming parser is in a worksheet's XML, as calamine places cells: a row without
    r follows the previous row; a cell without r follows the previous cell of its row. Elements
    are known by their local name in any namespace (calamine reads any)."""

    def __init__(self) -> None:
        self.row = 0
        self.ref: str | None = None  # the row's last cell reference, and cells since it
        self.since = -1
        self._locals: dict[str, str] = {}

    def local(self, tag: str) -> str:
        """'{namespace}c' -> 'c'."""
        name = self._locals.get(tag)
        if name is None:
            name = self._locals[tag] = tag.rpartition("}")[2]
        return name

    def enter_row(self, attrs: dict[str, str]) -> None:
        number = attrs.get("r", "")
        self.row = int(number) if number.isascii() and number.isdigit() else self.row + 1
        self.ref, self.since = None, -1

    def enter_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref is None:
            self.since += 1
        else:
            self.ref, self.since = ref, 0

    def where(self) -> tuple[int, int]:
        """(1-based row, 0-based column) of the current cell."""
        at = cell_ref(self.ref) if self.ref is not None else None
        if at is None:
            return self.row, self.since
        return (at[0], at[1]) if self.since == 0 else (self.row, at[1] + self.since)


def parse_part(fh: IO[bytes], target: Any) -> None:
    """Feed an XML part to ElementTree's parser with this target (its start/end/data methods
    are called; no tree is built, so memory stays flat)."""
    parser = XMLParser(target=target)
    while chunk := fh.read(1 << 16):
        parser.feed(chunk)
    parser.close()
