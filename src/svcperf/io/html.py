"""Web pages saved as spreadsheets (a web system's "export to Excel"): each table is a sheet."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

from lxml import etree

SNIFF = 1 << 16  # the bytes that tell a web page, and where its <meta charset> is looked for
MAX_ACROSS, MAX_DOWN = 1000, 65534  # colspan and rowspan are clamped so, as browsers do
MAX_COLS, MAX_CELLS = 16_384, 10_000_000  # as wide as a sheet; what a grid may hold in memory
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_SEPARATE = ("br", "p", "div", "li")  # elements whose end is a space in a cell's text

Range = tuple[tuple[int, int], tuple[int, int]]


class TooLarge(ValueError):
    """The tables' spans reach further than any sheet (a crafted or damaged page)."""


@dataclass
class Table:
    """One table of a page: its sheet name, its grid of text from A1, its merged ranges."""

    name: str
    rows: list[list[str]]
    merged: list[Range]


def _bom(data: bytes) -> tuple[str | None, int]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None, 0


def _head(data: bytes) -> str:
    """The first bytes as lower-case text, enough to see tags by (after any BOM and blanks)."""
    encoding, skip = _bom(data[:SNIFF])
    return data[skip:SNIFF].decode(encoding or "latin-1", errors="ignore").lstrip(" \t\r\n\f").lower()


def xml_spreadsheet(data: bytes) -> bool:
    """Whether the file is Excel 2003's XML Spreadsheet (<Workbook>), which is no web page."""
    head = _head(data)
    return head.startswith("<?xml") and "<workbook" in head and "<html" not in head


def looks_like_html(data: bytes) -> bool:
    """Whether the file (its first 64 KiB suffice) is a web page: '<' first, an <html> or <table>."""
    head = _head(data)
    return head.startswith("<") and ("<html" in head or "<table" in head) and \
        not xml_spreadsheet(data)


def _codec(label: str) -> str | None:
    """Python's codec for a declared charset, read as browsers read it; None if unknown."""
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "gb18030"):
        return "gb18030"  # GBK pages hold GB18030 characters too; it decodes them all
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page read as ASCII cannot be UTF-16: the label is wrong
    return "cp1252" if name in ("iso8859-1", "ascii") else name  # as browsers read these labels


def _parse(data: bytes, encoding: str) -> Any:
    """The page's tree from libxml2's HTML parser (lxml.html's, without its element classes,
    which cost a second per million cells); None for a page with no element."""
    parser = etree.HTMLParser(encoding=encoding, remove_comments=True, remove_pis=True,
                              no_network=True)
    try:
        return etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return None


def declared_charset(data: bytes) -> str | None:
    """The codec a page's <meta charset> or http-equiv Content-Type names in its first 64 KiB."""
    doc = _parse(data[:SNIFF], "iso-8859-1")  # reads any byte; only the tags' ASCII matters
    for meta in () if doc is None else doc.iter("meta"):
        label = meta.get("charset")
        if label is None and (meta.get("http-equiv") or "").strip().lower() == "content-type":
            for param in (meta.get("content") or "").split(";"):
                key, _, value = param.partition("=")
                if key.strip().lower() == "charset":
                    label = value
        if label and (codec := _codec(label)):
            return codec
    return None


def decode(data: bytes) -> str:
    """A page's text: by its BOM, else its declared charset, else UTF-8, else GB18030."""
    encoding, skip = _bom(data)
    if encoding:
        return data[skip:].decode(encoding, errors="replace")
    for codec in dict.fromkeys(c for c in (declared_charset(data), "utf-8") if c):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def _text(elem: Any) -> str:
    """An element's text content, its whitespace collapsed and trimmed ('' for no element)."""
    if elem is None:
        return ""
    text = "".join(elem.itertext()) if len(elem) else elem.text or ""
    return " ".join(text.split())


def _span(value: str | None, most: int, zero: int = 1) -> int:
    """A colspan or rowspan as browsers read it: its leading digits, 1 if none, at most `most`."""
    if value is None:
        return 1
    digits = ""
    for ch in value.strip():
        if ch not in "0123456789":
            break
        digits += ch
    if not digits:
        return 1
    n = int(digits[:8])
    return min(most, n if n else zero)


def _rows(table: Any) -> list[Any]:
    """The table's own <tr> elements (not a nested table's), a <tfoot>'s last as browsers show."""
    body: list[Any] = []
    foot: list[Any] = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        if child.tag == "tr":
            body.append(child)
        else:
            (foot if child.tag == "tfoot" else body).extend(child.iterchildren("tr"))
    return body + foot


def grid(rows: list[Any]) -> tuple[list[list[str]], list[Range]]:
    """Lay the <td> and <th> cells of these <tr> out as a browser does: a spanned cell's text
    in its top-left cell, '' in the rest.

    A rowspan reaches no further than the table's last row (rowspan="0": to that row).
    """
    height = len(rows)
    placed: list[list[str]] = []
    merged: list[Range] = []
    below: list[tuple[int, int, int]] = []  # (first col, past col, rows left) of rowspans above
    width = 0
    for r, tr in enumerate(rows):
        cells = list(tr.iterchildren("td", "th"))
        if not below and not any(c.get("colspan") or c.get("rowspan") for c in cells):
            values = [_text(cell) for cell in cells]  # most rows: one cell a column
            new: list[tuple[int, int, int]] = []
        else:
            values, new = _lay_out(r, cells, below, height, merged)
        width = max(width, len(values))
        if width > MAX_COLS or height * width > MAX_CELLS:
            raise TooLarge(f"wider than {MAX_COLS} columns or more than {MAX_CELLS} cells")
        placed.append(values)
        below = [(a, b, n - 1) for a, b, n in below if n > 1] + new
    for values in placed:
        values.extend([""] * (width - len(values)))
    return placed, merged


def _lay_out(r: int, cells: list[Any], below: list[tuple[int, int, int]], height: int,
             merged: list[Range]) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Row r's values, around the columns cells above reach down into; adds its merges, and
    returns the rowspans it starts."""
    spans = sorted((a, b) for a, b, _ in below)
    values: list[str] = []
    new: list[tuple[int, int, int]] = []
    c, i = 0, 0
    for cell in cells:
        while i < len(spans) and spans[i][0] <= c:  # the columns a cell above reaches down to
            c, i = max(c, spans[i][1]), i + 1
        across = _span(cell.get("colspan"), MAX_ACROSS)
        down = min(_span(cell.get("rowspan"), MAX_DOWN, zero=height - r), height - r)
        if c + across > MAX_COLS:
            raise TooLarge(f"wider than {MAX_COLS} columns")
        values.extend([""] * (c + across - len(values)))
        values[c] = _text(cell)
        if across > 1 or down > 1:
            merged.append(((r, c), (r + down - 1, c + across - 1)))
        if down > 1:
            new.append((c, c + across, down - 1))
        c += across
    values.extend([""] * (max((b for _, b in spans), default=0) - len(values)))
    return values, new


def read_tables(data: bytes) -> list[Table]:
    """Each table of the page that has a cell, as a sheet named by its caption or the page title.

    Tables holding other tables are page layout and are left out; the tables inside them are
    read. Unnamed tables are 'Table 1', 'Table 2'...; a name already taken gets ' (2)' and on.
    """
    doc = _parse(decode(data).encode("utf-8"), "utf-8")
    if doc is None:
        return []
    for inner in doc.iter(*_SEPARATE):  # <br>, <p>... part words in a cell's text
        inner.tail = " " + (inner.tail or "")
    title = _text(doc.find(".//title"))
    found: list[Table] = []
    names: set[str] = set()
    for table in doc.iter("table"):
        if next(table.iterdescendants("table"), None) is not None:
            continue
        cells, merged = grid(_rows(table))
        if not any(cells):  # no <td> or <th>
            continue
        name = base = _text(table.find("caption")) or title or f"Table {len(found) + 1}"
        n = 1
        while name in names:
            n += 1
            name = f"{base} ({n})"
        names.add(name)
        found.append(Table(name, cells, merged))
    return found
