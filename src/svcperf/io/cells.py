"""Error cells (#DIV/0!, #N/A) and formulas with no saved value: what calamine reads as blank.

The sheet's part is found through the package's relationships, and its XML is read with
ElementTree's streaming parser; cells are matched by their local name in any namespace and
prefix (transitional or Strict OOXML, or whatever else calamine reads).
Parsing a 40 MB sheet costs more than calamine's whole read, and most sheets have neither
errors nor formulas, so a byte search over the inflated XML first decides whether to parse:
it may say yes for nothing, never no for something (`t="e"` or an element named f, in any
prefix, quoting or ASCII-based encoding, even when cut by a block's end)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from svcperf.io.package import PACKAGE_ERRORS, SheetCursor, parse_part, sheet_part

_BLOCK = 1 << 18
# Whatever makes a cell an error or a formula for the parser below, in the raw bytes: an
# attribute t whose value is e (perhaps as a character reference), a start tag of an element
# whose local name is f, or a DOCTYPE (whose entities or attribute defaults could add either).
_MAYBE = re.compile(rb"""t\s*=\s*(?:"(?:e|&\#0*101;|&\#[xX]0*65;)"|'(?:e|&\#0*101;|&\#[xX]0*65;)')"""
                    rb"""|<(?:[^\s<>/:!?=]+:)?f[\s/>]|<!DOCTYPE|hidden\s*=""")
# Each match of _MAYBE holds one of these needles, which a search for the needle alone finds
# far faster than _MAYBE (sre looks for a literal with memchr on its first byte: 2-3 times
# quicker than bytes' `in` for needles this short), and faster still a byte of the needle
# (memchr) that rules it out: the byte chosen is one that the cells of most sheets lack (no f,
# h, &, ' or ! in <c r="A1" s="2" t="s"><v>7</v>).
_HINTS = tuple((byte, re.compile(re.escape(needle))) for byte, needle in (
    (b"e", b'"e"'), (b"'", b"'e'"), (b"&", b"&#"), (b"f", b"<f"), (b"f", b":f"),
    (b"!", b"<!DOCTYPE"), (b"h", b"hidden")))
_ENCODING = re.compile(rb"""\bencoding\s*=\s*["']([^"']*)["']""")
_PROBE = "<!DOCTYPE x:f t = \"e\" 'e' &#x65;\t\r\n/>"  # what the search looks for, as bytes
_HEAD = 1 << 10  # the XML declaration, if any, is in the first KB
_TAIL = 1 << 20  # no ">" in a whole MB (a crafted file?) is not worth bounding the search: look


def _ascii_markup(head: bytes) -> bool:
    """Whether the XML's markup is written as ASCII bytes (UTF-8 and the like), as the byte
    search assumes; UTF-16 or an EBCDIC code page are not."""
    if head.startswith((b"\xfe\xff", b"\xff\xfe")) or b"\0" in head[:4]:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"<?xml"):
        return not b"<?xml".startswith(head)  # no declaration, UTF-8 (or too short to tell)
    end = head.find(b"?>")
    if end < 0:
        return False  # a declaration longer than the head: look
    declared = _ENCODING.search(head, 0, end)
    if declared is None:
        return True  # no encoding declared: UTF-8
    try:
        return _PROBE.encode(declared[1].decode("ascii")) == _PROBE.encode("ascii")
    except (LookupError, ValueError):
        return False


class MarksHint:
    """Whether a sheet's XML may hold an error cell, a formula or a hidden row, fed a block
    at a time: `maybe` is False only if it certainly holds none. A match cut by a block's
    end holds no '>' before its last byte, so it starts after the last '>' of what was read:
    that tail is searched again with the next block."""

    def __init__(self) -> None:
        self.maybe = False
        self.started = False
        self.text = b""

    def feed(self, block: bytes) -> None:
        if self.maybe:
            return
        text = self.text + block
        if not self.started:
            if len(text) < _HEAD and block:
                self.text = text
                return
            self.started = True
            if not _ascii_markup(text):
                self.maybe = True
                return
        if any(byte in text and needle.search(text) for byte, needle in _HINTS) and \
                _MAYBE.search(text):
            self.maybe = True
            return
        self.text = text[text.rfind(b">") + 1:]
        if len(self.text) > _TAIL:
            self.maybe = True

    def close(self) -> None:
        self.feed(b"")


def _may_hold_marks(fh: IO[bytes], block: int = _BLOCK) -> bool:
    """False only if the sheet's XML certainly has no error cell, no formula and no hidden row.

    Read a block at a time, so a 40 MB sheet is never held whole (see MarksHint).
    """
    hint = MarksHint()
    while not hint.maybe and (chunk := fh.read(block)):
        hint.feed(chunk)
    hint.close()
    return hint.maybe


class _Cells:
    """An XMLParser target that collects error cells, formulas without a saved value and
    hidden rows. Called for every element, so it does little per cell: a cell's position is
    worked out only for a cell it keeps."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, int], str] = {}
        self.hidden: set[int] = set()  # rows marked hidden
        self.at = SheetCursor()
        self.type: str | None = None
        self.formula = False
        self.value: str | None = None
        self.text: list[str] = []
        self.data = self.text.append  # called from C for every run of text

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = self.at.local(tag)
        if tag == "c":
            self.at.enter_cell(attrs)
            self.type, self.formula, self.value = attrs.get("t"), False, None
            self.text.clear()
        elif tag == "row":
            self.at.enter_row(attrs)
            if attrs.get("hidden", "").strip() in ("1", "true"):
                self.hidden.add(self.at.row)
        elif tag == "v":
            self.text.clear()
        elif tag == "f":
            self.formula = True

    def end(self, tag: str) -> None:
        tag = self.at.local(tag)
        if tag == "v":
            self.value = "".join(self.text)
        elif tag == "c":
            if self.type == "e":
                self.found[self.at.where()] = self.value or "#ERROR"
            elif self.formula and (self.value is None or (not self.value and self.type != "str")):
                self.found[self.at.where()] = "="


def _scan(fh: IO[bytes]) -> _Cells:
    """The error cells, formulas without a value and hidden rows of a sheet's XML, streamed."""
    cells = _Cells()
    parse_part(fh, cells)
    return cells


@dataclass
class Marks:
    """What calamine does not say about an .xlsx sheet's cells: which are error cells or
    formulas without a value ({(1-based row, 0-based col): '#DIV/0!' or '='}), which rows
    are hidden (1-based)."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden: set[int] = field(default_factory=set)


def sheet_marks(path: Path, sheet: str) -> Marks:
    """The error cells and hidden rows of a sheet, in one read of its XML (none when the byte
    search rules both out). Nothing for a package that cannot be mapped or parsed: calamine
    reports an unreadable sheet."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = sheet_part(zf, sheet)
            if part is None:
                return Marks()
            with zf.open(part) as fh:
                if not _may_hold_marks(fh):
                    return Marks()
            with zf.open(part) as fh:
                found = _scan(fh)
            return Marks(found.found, found.hidden)
    except PACKAGE_ERRORS:
        return Marks()


def cell_errors(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """{(1-based row, 0-based col): '#DIV/0!' or '=' (formula without a value)} for a sheet."""
    return sheet_marks(path, sheet).errors
