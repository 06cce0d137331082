"""Zip-packaged workbooks (.xlsx, .ods): find a sheet's part, stream XML parts in flat memory."""

from __future__ import annotations

import lzma
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from typing import IO, Any
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError, XMLParser

from lxml import etree

# Relationship types end so in both the transitional and the Strict (ISO 29500) vocabulary
_OFFICE_DOCUMENT = "/officedocument"
_WORKSHEET = "/worksheet"
# What a broken or unexpected package raises while it is read; calamine has read it already
# (LookupError: a missing part's KeyError, or an XML part's unknown encoding.)
PACKAGE_ERRORS = (OSError, EOFError, LookupError, ValueError, RuntimeError, NotImplementedError,
                  zipfile.BadZipFile, zlib.error, lzma.LZMAError, ParseError, etree.LxmlError)


# What a package may hold before anything is inflated, from the zip's own directory. Any real
# workbook is far inside these (a 1,000,000-row sheet is ~0.4 GiB of XML, deflated 8-15x); a
# decompression bomb is not. Raise them with the environment variables named in LIMITS.
LIMITS = {  # name -> (environment variable, default, what it bounds)
    "member": ("SVCPERF_MAX_PART_MIB", 1024, "MiB of one part of the package, inflated"),
    "total": ("SVCPERF_MAX_PACKAGE_MIB", 2048, "MiB of the whole package, inflated"),
    "ratio": ("SVCPERF_MAX_RATIO", 500, "times a part may inflate (for parts over 10 MiB)"),
    "parts": ("SVCPERF_MAX_PARTS", 10000, "parts in the package"),
    "cells": ("SVCPERF_MAX_CELLS", 30_000_000, "cells in a sheet's used range (rows × columns)"),
}
_SMALL_SHEET = 8 << 20  # a sheet part this small is scanned for its used range before calamine
_CELL_REF = re.compile(rb"""<(?:[^\s<>/:!?=]+:)?c\b[^>]*?\sr\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d{1,7})""")


def limit(name: str) -> int:
    """A limit's value: its environment variable if set to a whole number, else the default."""
    variable, default, _ = LIMITS[name]
    value = os.environ.get(variable, "")
    return int(value) if value.isascii() and value.isdecimal() and len(value) < 12 else default


def over_limits(zf: zipfile.ZipFile) -> str | None:
    """Why this package is refused before it is read (a limit it exceeds and how to raise it),
    or None. Only the zip's directory is read: nothing is inflated."""
    items = zf.infolist()
    if len(items) > limit("parts"):
        return _over("parts", f"{len(items)} parts")
    total = 0
    for item in items:
        total += item.file_size
        if item.file_size > limit("member") << 20:
            return _over("member", f"{item.filename} inflates to {item.file_size >> 20} MiB")
        ratio = item.file_size / max(item.compress_size, 1)
        if item.file_size > 10 << 20 and ratio > limit("ratio"):
            return _over("ratio", f"{item.filename} inflates {ratio:.0f} times")
    if total > limit("total") << 20:
        return _over("total", f"the parts inflate to {total >> 20} MiB")
    return _far_cells(zf)


def _far_cells(zf: zipfile.ZipFile) -> str | None:
    """A small sheet whose cells span more than the cell limit (A1 and XFD1048576: calamine
    would allocate for every cell between). Only sheets of a few MiB are scanned, so that
    reading stays fast; such a span is what a crafted file holds."""
    for name, member in sheet_parts(zf).items():
        if zf.getinfo(member).file_size > _SMALL_SHEET:
            continue
        with zf.open(member) as fh:
            refs = _CELL_REF.findall(fh.read(_SMALL_SHEET + 1))
        if not refs:
            continue
        cols = [_column_number(letters) for letters, _ in refs]
        rows = [int(digits) for _, digits in refs]
        span = (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
        if span > limit("cells"):
            return _over("cells", f"sheet {name!r} spans {span:,} cells")
    return None


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _over(name: str, what: str) -> str:
    variable, value, bound = LIMITS[name]
    return (f"{what}, over the limit of {limit(name)} {bound}; a file this size looks crafted "
            f"or damaged. If it is genuine, set {variable} higher (default {value})")


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
