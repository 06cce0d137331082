"""A big .xlsx sheet cut between rows into small packages, parsed one after another.

calamine parses a sheet whole before its first cell reaches Python, and the checks then wait
for it. Cut into pieces, the rows of one piece are checked while calamine parses the next.
Each piece is a stand-alone package: the sheet's XML head, a run of its rows and the closing
tags (the sheet's tail, with its merged ranges, closes the last piece), stored uncompressed,
beside every other part of the workbook copied byte for byte, so calamine reads each piece
exactly as it reads the whole sheet (styles, dates, shared strings).

The sheet is read whole instead when it is small, when the workbook's shared strings are not
small beside it (each piece reads them again), when its XML is not laid out plainly
(`<sheetData>` with a namespace prefix), or when anything about the package is unusual.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from svcperf.io.cells import errors_in, sheet_part

SPLIT_AT = 16 << 20  # a sheet's XML smaller than this (about 40,000 rows) is parsed whole
PIECES = 10  # into how many pieces a big sheet is cut, about evenly (4 MB each for 100,000 rows)
# Every piece reads the workbook's shared strings again: a sheet is cut only when they are at
# most 1/200 of its XML (ten pieces then parse 5 % more). Names and ids typed in Excel are
# shared strings, and such a sheet is parsed whole; sheets exported with inline strings (as
# streaming writers do) or holding mostly numbers and a few labels are cut.
SHARED_SHARE = 200
_OPEN, _CLOSE, _END = b"<sheetData>", b"</sheetData>", b"</row>"
_HEAD = 1 << 20  # no <sheetData> in the first MB: namespace-prefixed XML, parsed whole
_LOCAL = struct.Struct("<IHHHHHIIIHH")  # a zip entry's local header
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_EOCD = struct.Struct("<IHHHHIIH")


Piece = tuple[bytes, dict[tuple[int, int], str]]  # a package, and its error cells (io.cells)


def packages(path: Path, sheet: str) -> Iterator[Piece] | None:
    """The pieces of a big sheet, cut as they are read; None when it is better read whole."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, ValueError, zipfile.BadZipFile):
        return None
    try:
        part = sheet_part(zf, sheet)
        info = zf.getinfo(part) if part is not None else None
        strings = sum(i.file_size for i in zf.infolist()
                      if i.filename.lower().endswith("sharedstrings.xml"))
        if info is not None and info.file_size >= max(SPLIT_AT, strings * SHARED_SHARE):
            return _cut(zf, info, _kept_parts(zf, path, info.filename))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, UnicodeDecodeError, struct.error):
        pass
    zf.close()
    return None


def _kept_parts(zf: zipfile.ZipFile, path: Path, part: str) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every part but the worksheets, as its compressed bytes (raises ValueError if odd)."""
    folder = part.rsplit("/", 1)[0] + "/"
    kept = []
    with path.open("rb") as fh:
        for info in zf.infolist():
            name = info.filename
            inside = name.startswith(folder) and "/" not in name[len(folder):]
            if name == part or (inside and name.lower().endswith(".xml")):
                continue  # the worksheets: this one is cut, the others are not read
            if info.flag_bits & 1 or max(info.compress_size, info.file_size,
                                         info.header_offset) >= 0xFFFFFFFF:
                raise ValueError("encrypted or zip64 entry")
            fh.seek(info.header_offset)
            header = _LOCAL.unpack(fh.read(_LOCAL.size))
            fh.seek(header[9] + header[10], 1)  # past the name and the extra field
            kept.append((info, fh.read(info.compress_size)))
    return kept


def _cut(zf: zipfile.ZipFile, part: zipfile.ZipInfo, kept: list[tuple[zipfile.ZipInfo, bytes]]
         ) -> Iterator[Piece]:
    """Inflate the sheet a block at a time; hand out a package at each block's last row end.

    A cut is made only before a row that says which row it is (`<row r="…">`): calamine counts
    rows without `r` from the one before, which another piece would not know.
    """
    with zf, zf.open(part) as fh:
        block = max(part.file_size // PIECES, 1)
        pending = fh.read(block // 2)  # a smaller first piece: calamine starts sooner
        while (start := pending.find(_OPEN)) < 0 and len(pending) < _HEAD and (more := fh.read(block)):
            pending += more
        if start < 0:
            return  # nothing handed out: the caller parses the sheet whole
        start += len(_OPEN)
        head, pending = pending[:start], pending[start:]
        while True:
            cut = _last_cut(pending)
            if cut > 0:
                rows = pending[:cut]
                yield _package(part, head, rows, _CLOSE + b"</worksheet>", kept), errors_in(rows)
                pending = pending[cut:]
            more = fh.read(block)
            if not more:
                break
            pending += more
        end = pending.rfind(_CLOSE)
        if end < 0:
            raise ValueError(f"{part.filename}: no {_CLOSE.decode()}")
        rows = pending[:end]
        yield _package(part, head, rows, pending[end:], kept), errors_in(rows)


def _last_cut(text: bytes) -> int:
    """Where the last row in `text` ends, if the row after it carries its number; else 0."""
    end = text.rfind(_END)
    while end >= 0:
        after = text.find(b"<", end + len(_END))
        tag_end = text.find(b">", after)
        if after < 0 or tag_end < 0:
            end = text.rfind(_END, 0, end)  # the next row is not all here yet
            continue
        tag = text[after:tag_end]
        return end + len(_END) if tag.startswith(b"<row") and b' r="' in tag else 0
    return 0


def _package(part: zipfile.ZipInfo, head: bytes, rows: bytes, tail: bytes,
             kept: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    """A stored zip of the kept parts and the sheet's XML holding just `rows`."""
    size = len(head) + len(rows) + len(tail)
    sheet = zipfile.ZipInfo(part.filename)
    sheet.flag_bits, sheet.compress_type = part.flag_bits, zipfile.ZIP_STORED
    sheet.CRC = zlib.crc32(tail, zlib.crc32(rows, zlib.crc32(head)))
    sheet.compress_size = sheet.file_size = size
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for info, data in [*kept, (sheet, b"")]:
        name = info.filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
        flags = info.flag_bits & 0x800  # only "the name is UTF-8": sizes are in the header
        stamp = (0, 0x21)  # 1980-01-01 00:00: calamine does not read it
        local = _LOCAL.pack(0x04034B50, 20, flags, info.compress_type, *stamp, info.CRC,
                            info.compress_size, info.file_size, len(name), 0)
        chunks += [local, name, *([data] if info is not sheet else [head, rows, tail])]
        central.append(_CENTRAL.pack(0x02014B50, 20, 20, flags, info.compress_type, *stamp,
                                     info.CRC, info.compress_size, info.file_size, len(name),
                                     0, 0, 0, 0, 0, offset) + name)
        offset += len(local) + len(name) + info.compress_size
    directory = b"".join(central)
    chunks += [directory, _EOCD.pack(0x06054B50, 0, 0, len(central), len(central),
                                     len(directory), offset, 0)]
    return b"".join(chunks)
