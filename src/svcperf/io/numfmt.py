"""The text Excel shows for numeric ids whose number format pads or decorates them (00124, E0124),
and which cells a percentage format shows as 95% (calamine gives 0.95 for both 95% and 0.95).

calamine gives such a cell as the float 124.0 and exposes no number formats. The styles part is
read first; only when one of its cell formats changes how an integer looks is the sheet's XML
streamed, for one column. A package that cannot be read gives {}: the reader reports it.
"""

from __future__ import annotations

import functools
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, NamedTuple
from xml.etree.ElementTree import fromstring

from svcperf.io.package import PACKAGE_ERRORS, SheetCursor, parse_part, sheet_part, styles_part

# Built-in formats (ECMA-376 18.8.30) that an id may carry; the others are dates, times,
# fractions, decimals and currencies, which leave the number as calamine reads it.
_BUILT_IN = {0: "General", 1: "0", 3: "#,##0", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
             49: "@"}
_COLOURS = {"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"}
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)(-?\d+(?:\.\d*)?)\]")
_DATE_LETTERS = set("yYmMdDhHsSeEgGbBaA")  # y m d h s, era and Buddhist years, AM/PM, A/P
_NOT_INTEGER = set(".%/")  # a decimal point, a percentage, a fraction
_PROBES = (0, 1, 7, 42, 1234, 123456789, -5)
_PERCENT = {9: "0%", 10: "0.00%"}  # the built-in percentage formats


def _sections(code: str) -> list[str]:
    """The code split on the semicolons outside quotes, escapes and brackets."""
    out, start, i = [], 0, 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            i = code.find('"', i + 1)
            i = len(code) if i < 0 else i
        elif ch in "\\_*":
            i += 1
        elif ch == "[":
            i = code.find("]", i + 1)
            i = len(code) if i < 0 else i
        elif ch == ";":
            out.append(code[start:i])
            start = i + 1
        i += 1
    out.append(code[start:])
    return out


def _tokens(section: str) -> list[str] | None:
    """The section as literals (each prefixed with "'"), digit placeholders (0 # ?), ","
    and "G" (General); None when it is not an integer format (decimals, dates, % ...)."""
    out: list[str] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append("'" + section[i + 1:end])
            i = end + 1
            continue
        if ch == "\\":
            out.append("'" + section[i + 1:i + 2])
            i += 2
            continue
        if ch in "_*":  # a space the width of the next character; a fill, which is no text
            out.append("' " if ch == "_" else "'")
            i += 2
            continue
        if ch == "[":
            end = section.find("]", i + 1)
            inner = section[i + 1:end] if end > 0 else ""
            if inner.startswith("$"):  # a currency or locale: [$€-407], [$-409]
                out.append("'" + inner[1:].partition("-")[0])
            elif not (inner.lower() in _COLOURS or re.fullmatch(r"(?i)color\d+", inner)
                      or _CONDITION.fullmatch(f"[{inner}]")):
                return None  # elapsed time [h], other numerals [DBNum1], or malformed
            i = end + 1
            continue
        if section[i:i + 7].lower() == "general":
            out.append("G")
            i += 7
            continue
        if ch in "0#?,":
            out.append(ch)
        elif ch == "@":
            out.append("G")
        elif ch in _DATE_LETTERS or ch in _NOT_INTEGER:
            return None
        else:
            out.append("'" + ch)
        i += 1
    return out


class _Layout(NamedTuple):
    """A section of an integer format, ready to show numbers in.

    literals: the text before, between and after the digit placeholders; with none, the
    pieces between the places where the whole number goes (General, @). padding[k]: what
    the placeholders show when k of them get no digit (0 -> 0, ? -> space, # -> nothing,
    kept as NUL until the digits are placed).
    """

    literals: tuple[str, ...]
    padding: tuple[str, ...]
    grouped: bool  # a comma between placeholders: thousands separators


def _layout(tokens: Sequence[str]) -> _Layout | None:
    places = [i for i, t in enumerate(tokens) if t in "0#?"]
    if not places:
        text = "".join(t[1:] if t != "G" else "\0G" for t in tokens if t != ",")
        return _Layout(tuple(text.split("\0G")), (), False)
    commas = [i for i, t in enumerate(tokens) if t == ","]
    grouped = any(places[0] < c < places[-1] for c in commas)
    between = [i for i in range(places[0], places[-1]) if i not in places and i not in commas]
    if "G" in tokens or any(c > places[-1] for c in commas) or (grouped and between):
        return None  # a comma after the digits scales by a thousand: not an id format
    literals = ["".join(t[1:] for t in tokens[:places[0]] if t != ",")]
    literals += ["".join(t[1:] for t in tokens[a + 1:b] if t != ",")
                 for a, b in zip(places, [*places[1:], len(tokens)], strict=True)]
    pads = "".join({"0": "0", "#": "\0", "?": " "}[tokens[i]] for i in places)
    return _Layout(tuple(literals), tuple(pads[:k] for k in range(len(places) + 1)), grouped)


def _show(layout: _Layout, digits: str) -> str:
    """The number's digits put into the placeholders from the right; digits beyond the
    placeholders go into the first one."""
    literals, padding, grouped = layout
    if not padding:
        return digits.join(literals)
    significant = digits.lstrip("0")  # 0 in "#" shows nothing
    width = len(padding) - 1
    body = padding[max(width - len(significant), 0)] + significant
    if grouped:  # a separator left of every third position from the right, after a digit
        body = "".join(ch + ("," if ch.isdigit() else " " if ch == " " else "")
                       if q and q % 3 == 0 else ch
                       for q, ch in reversed(list(enumerate(reversed(body)))))
    if len(literals) == 2:
        return literals[0] + body.replace("\0", "") + literals[1]
    first = len(body) - width + 1
    pieces = [body[:first], *body[first:]]
    return literals[0] + "".join(piece.replace("\0", "") + literal
                                 for piece, literal in zip(pieces, literals[1:], strict=True))


def _unquoted(section: str) -> str:
    """The section without its quoted and escaped literals."""
    return re.sub(r'"[^"]*"?|\\.', "", section)


# a section's condition ([>100] as (">", 100.0)) and layout (None: not an integer format)
_Section = tuple[tuple[str, float] | None, _Layout | None]


@functools.lru_cache(maxsize=1024)
def _numeric_sections(code: str) -> tuple[_Section, ...]:
    """The sections a number may be shown in: up to three, not the text one (with @)."""
    sections = _sections(code) if code.strip() else ["General"]
    out: list[_Section] = []
    for section in [s for s in sections[:3] if "@" not in _unquoted(s)] or ["General"]:
        condition = _CONDITION.search(_unquoted(section))
        tokens = _tokens(section)
        out.append((None if condition is None else (condition[1], float(condition[2])),
                    None if tokens is None else _layout(tokens)))
    return tuple(out)


def format_shown(number: float, code: str) -> str | None:
    """The text Excel shows for an integral number in this number format, or None when the
    number is not integral or the code is not an integer format (decimals, dates, %)."""
    if not math.isfinite(number) or number != int(number) or abs(number) >= 1e15:
        return None  # (Excel shows 15 significant digits only)
    n = int(number)
    sections = _numeric_sections(code)
    if any(condition for condition, _ in sections):
        if n < 0:
            return None  # how a conditional section signs a negative is not worth guessing
        held = [layout for condition, layout in sections
                if condition is None or _holds(n, *condition)]
        if not held:
            return None
        layout, sign = held[0], ""
    elif len(sections) >= 3 and n == 0:
        layout, sign = sections[2][1], ""
    elif len(sections) >= 2 and n < 0:
        layout, sign = sections[1][1], ""
    else:
        layout, sign = sections[0][1], "-" if n < 0 else ""
    return None if layout is None else sign + _show(layout, str(abs(n)))


def _holds(n: int, op: str, bound: float) -> bool:
    return {"<": n < bound, ">": n > bound, "=": n == bound, "<=": n <= bound,
            ">=": n >= bound, "<>": n != bound}[op]


def _changes_integers(code: str) -> bool:
    """Whether integers in this format look other than as their plain digits (00124, E0124)."""
    for probe in _PROBES:
        text = format_shown(probe, code)
        if text is not None and text.strip() != str(probe):
            return True
    return False


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _styles_where(styles: bytes, built_in: dict[int, str],
                  wanted: Callable[[str], bool]) -> dict[str, str]:
    """{cell style index (the s attribute, as text): number format code} for the cellXfs
    entries whose format code is wanted."""
    root = fromstring(styles)
    codes: dict[int, str] = dict(built_in)
    for fmt in (f for part in root if _local(part.tag) == "numFmts" for f in part):
        number = fmt.get("numFmtId", "")
        if _local(fmt.tag) == "numFmt" and number.isdigit():
            codes[int(number)] = fmt.get("formatCode", "")
    chosen = {number: wanted(code) for number, code in codes.items()}
    found: dict[str, str] = {}
    for part in (p for p in root if _local(p.tag) == "cellXfs"):
        for index, xf in enumerate(x for x in part if _local(x.tag) == "xf"):
            number = xf.get("numFmtId", "0")
            if number.isdigit() and chosen.get(int(number)):
                found[str(index)] = codes[int(number)]
    return found


def _interesting_styles(styles: bytes) -> dict[str, str]:
    """The styles whose format changes how an integer looks."""
    return _styles_where(styles, _BUILT_IN, _changes_integers)


def _is_percent(code: str) -> bool:
    """Whether a positive number shows multiplied by 100 with a % (0%, 0.0%, [Blue]0.00%)."""
    return "%" in _unquoted(_sections(code)[0])


class _Column:
    """An XMLParser target that keeps the numeric cells of one column in the given styles.

    It has no `end`, so the parser calls back only at start tags: a kept cell's value is the
    text after its <v> (which only its <f> may precede), taken at the next start tag or at the
    end of the document.
    """

    def __init__(self, column: int, styles: dict[str, str]) -> None:
        self.column = column
        self.styles = styles
        self.default = styles.get("0")  # a cell without s has style 0
        self.shown: dict[int, str] = {}
        self.at = SheetCursor()
        self.kept: tuple[int, str] | None = None  # (row, code) of a cell whose <v> is awaited
        self.value = False  # that cell's <v> has started
        self.text: list[str] = []
        self.data = self.text.append

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = self.at.local(tag)
        if self.kept is not None:
            if not self.value and tag == "v":
                self.value = True
                self.text.clear()
                return
            if not self.value and tag == "f":  # before the cell's <v>
                return
            self._keep()
        if tag == "c":
            self.at.enter_cell(attrs)
            style = attrs.get("s")
            code = self.default if style is None else self.styles.get(style)
            if code is not None and attrs.get("t", "n") == "n":
                row, col = self.at.where()
                if col == self.column:
                    self.kept, self.value = (row, code), False
        elif tag == "row":
            self.at.enter_row(attrs)
            self.text.clear()

    def _keep(self) -> None:
        assert self.kept is not None
        (row, code), self.kept = self.kept, None
        if self.value:
            try:
                shown = format_shown(float("".join(self.text).strip()), code)
            except ValueError:
                shown = None
            if shown is not None:
                self.shown[row] = shown

    def finish(self) -> dict[int, str]:
        if self.kept is not None:
            self._keep()
        return self.shown


def _scan(fh: IO[bytes], column: int, styles: dict[str, str]) -> dict[int, str]:
    target = _Column(column, styles)
    parse_part(fh, target)
    return target.finish()


def shown_values(path: Path, sheet: str, column: int) -> dict[int, str]:
    """{1-based row: the text Excel shows} for the numeric cells of one 0-based column whose
    number format changes how an integer looks (00124, E0124, 1,234). Other cells, and any
    package that cannot be read, give nothing: the caller keeps calamine's value."""
    if column < 0:
        return {}
    try:
        with zipfile.ZipFile(path) as zf:
            part = styles_part(zf)
            if part is None:
                return {}
            styles = _interesting_styles(zf.read(part))
            if not styles:
                return {}
            sheet_name = sheet_part(zf, sheet)
            if sheet_name is None:
                return {}
            with zf.open(sheet_name) as fh:
                return _scan(fh, column, styles)
    except PACKAGE_ERRORS:
        return {}


class _Percent:
    """An XMLParser target that notes the numeric cells of some columns in a percent style."""

    def __init__(self, columns: set[int], styles: dict[str, str]) -> None:
        self.columns = columns
        self.styles = styles
        self.found: dict[int, set[int]] = {c: set() for c in columns}
        self.at = SheetCursor()

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = self.at.local(tag)
        if tag == "c":
            self.at.enter_cell(attrs)
            if attrs.get("s", "0") in self.styles and attrs.get("t", "n") == "n":
                row, col = self.at.where()
                if col in self.columns:
                    self.found[col].add(row)
        elif tag == "row":
            self.at.enter_row(attrs)


def percent_rows(path: Path, sheet: str, columns: set[int]) -> dict[int, set[int]]:
    """{0-based column: the 1-based rows whose number a percentage format shows (0.95 as 95%)}
    for these columns; a package that cannot be read, or has no percent style, gives {}."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = styles_part(zf)
            styles = {} if part is None else _styles_where(zf.read(part), _PERCENT, _is_percent)
            sheet_name = sheet_part(zf, sheet) if styles and columns else None
            if sheet_name is None:
                return {}
            target = _Percent(columns, styles)
            with zf.open(sheet_name) as fh:
                parse_part(fh, target)
            return target.found
    except PACKAGE_ERRORS:
        return {}
