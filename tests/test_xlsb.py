"""An .xlsb sheet's used range, measured from its records before calamine parses it: the same
span calamine builds (real files, and generated ones), and a crafted sheet refused, not
allocated (calamine asked for 512 GiB for two cells and aborted the process)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
import python_calamine as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from svcperf.io import xlsb
from test_hostile_packages import run

TEMPLATE = CORPUS / "calamine" / "date.xlsb"
SHEET = "xl/worksheets/sheet1.bin"


def record(kind: int, data: bytes) -> bytes:
    """A BIFF12 record: type and size as base-128 numbers, then the data."""
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, out = len(data), bytearray()
    while True:
        out.append((size & 0x7F) | (0x80 if size > 0x7F else 0))
        size >>= 7
        if not size:
            break
    return head + bytes(out) + data


def with_cells(path: Path, body: bytes) -> Path:
    """The template workbook with its sheet data replaced by `body` (records)."""
    with zipfile.ZipFile(TEMPLATE) as src:
        part = src.read(SHEET)
        spans = {kind: (start, size) for kind, start, size in xlsb.records(part)}
        begin = sum(spans[xlsb.BEGIN_SHEET_DATA])  # just past BrtBeginSheetData
        end = spans[xlsb.END_SHEET_DATA][0] - len(record(xlsb.END_SHEET_DATA, b""))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = part[:begin] + body + part[end:] if item.filename == SHEET \
                    else src.read(item.filename)
                dst.writestr(item, data)
    return path


def row(r: int) -> bytes:
    return record(0x0000, struct.pack("<I", r) + bytes(21))


def number(c: int, value: int = 7) -> bytes:  # BrtCellRk: column, style, an integer RK
    return record(0x0002, struct.pack("<IIi", c, 0, (value << 2) | 2))


def calamine_span(path: Path, sheet: str) -> int:
    found = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    return found.height * found.width


@pytest.mark.parametrize("name", ["date.xlsb", "issues.xlsb", "any_sheets.xlsb"])
def test_the_span_of_every_sheet_is_the_one_calamine_builds(name):
    path = CORPUS / "calamine" / name
    book = pc.CalamineWorkbook.from_path(str(path))
    with zipfile.ZipFile(path) as zf:
        parts = xlsb.sheet_parts(zf)
        for meta in book.sheets_metadata:
            if meta.typ == pc.SheetTypeEnum.WorkSheet:
                assert [xlsb.span(zf.read(p)) for p in parts[meta.name]] == \
                    [calamine_span(path, meta.name)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3000), st.lists(st.integers(0, 300), max_size=4)),
                min_size=1, max_size=8),
       st.booleans(), st.lists(st.integers(0, 300), max_size=2))
def test_generated_sheets_span_what_calamine_builds(tmp_path_factory, rows, short, lead):
    """Rows in any order, rows without cells, cells before any row header (lead: calamine
    puts them in row 1), and (short) a record too short to hold a column, which leaves the
    bytes of the record before it in calamine's buffer."""
    body = b"".join(number(c) for c in lead) + \
        b"".join(row(r) + b"".join(number(c) for c in cols) for r, cols in rows)
    if short:
        body += record(0x0002, b"\x01")
    path = with_cells(tmp_path_factory.mktemp("xlsb") / "g.xlsb", body)
    with zipfile.ZipFile(path) as zf:
        assert xlsb.span(zf.read(SHEET)) == calamine_span(path, "Sheet1")


@pytest.mark.parametrize("command", ["validate", "rank"])
def test_cells_far_apart_in_a_binary_workbook_are_refused_not_allocated(tmp_path, command):
    path = with_cells(tmp_path / "far.xlsb", row(0) + number(0) + row(1_048_575) + number(16_383))
    assert path.stat().st_size < 20 << 10
    out = ["--out", tmp_path / "o.xlsx"] if command == "rank" else []
    done = run(command, path, "--rules", "tiered-service", *out)
    assert done.returncode == 2, done.stderr[-500:]
    text = done.stdout + done.stderr
    assert "spans 17,179,869,184 cells" in text and "SVCPERF_MAX_CELLS" in text
    assert "Traceback" not in text and "panicked" not in text
