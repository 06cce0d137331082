"""Ids as the text Excel shows: number formats that pad or decorate an integer (00124, E0124).

format_shown is held to a table and to properties; shown_values to workbooks written here with
openpyxl and XlsxWriter, to openpyxl's own reading of each cell's number format, and to a
big sheet (never parsed when no style could change an id).
"""

from __future__ import annotations

import json
import random
import warnings
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from svcperf.io import numfmt
from svcperf.io.numfmt import format_shown, percent_rows, shown_values

LAYOUTS = ROOT / "tests" / "data" / "layouts"
BOOKS = sorted((ROOT / "tests" / "data").rglob("*.xlsx"))


@pytest.mark.parametrize("code, number, shown", [
    ("00000", 124, "00124"),
    ('"E"0000', 124, "E0124"),
    ("\\E0000", 5, "E0005"),
    ("000000", 1234567, "1234567"),
    ("0", 12, "12"),
    ("#,##0", 1234, "1,234"),
    ("@", 12, "12"),
    ("0.00", 12, None),
    ("yyyy-mm-dd", 45000, None),
    ("0%", 1, None),
    ("[Red]00000", 12, "00012"),
    ("00000;[Red]-00000", -12, "-00012"),
    # beyond the brief's table
    ('"K"00', 7, "K07"),
    ("General", 10023, "10023"),
    ("#,##0", 1234567, "1,234,567"),
    ("0,000", 5, "0,005"),
    ("#", 0, ""),  # Excel shows nothing for 0 in #
    ("000-000", 1234, "001-234"),
    ("000-000", 12345678, "12345-678"),
    ('"E"0000', -5, "-E0005"),  # one section: the minus goes first
    ('0;-0;"none"', 0, "none"),
    ("#,##0; (#,##0); 0", 0, " 0"),
    ("[$-409]00000", 42, "00042"),
    ("[$€-407]0", 3, "€3"),
    ("[Color10]0000", 9, "0009"),
    ('[>999]"big"0;0', 1000, "big1000"),
    ('[>999]"big"0;0', 10, "10"),
    ('"ID"@', 3, "3"),  # @ is the text section: numbers show as General
    ("0;@", -3, "-3"),
    ("00000_)", 12, "00012 "),
    ("0,", 3000, None),  # scaled by a thousand
    ("0.00E+00", 12, None),
    ("# ?/?", 1, None),
    ("[h]:mm", 1, None),
    ("hh:mm AM/PM", 1, None),
    ("00000", 12.5, None),
    ("00000", float("nan"), None),
    ("00000", 1e16, None),  # past Excel's 15 digits
])
def test_format_shown(code: str, number: float, shown: str | None) -> None:
    assert format_shown(number, code) == shown


PREFIX = st.text(st.characters(codec="utf-8", exclude_characters='"\\;\0'), max_size=4)


@settings(max_examples=300, deadline=None, database=None)
@given(prefix=PREFIX, zeros=st.integers(1, 12), n=st.integers(0, 10**9 - 1), escaped=st.booleans())
def test_a_literal_prefix_and_zeros_pad_like_zfill(prefix: str, zeros: int, n: int, escaped: bool) -> None:
    literal = "".join(f"\\{ch}" for ch in prefix) if escaped else f'"{prefix}"'
    code = literal + "0" * zeros
    assert format_shown(n, code) == prefix + str(n).zfill(zeros)
    assert format_shown(-n, code) == (f"-{prefix}{str(n).zfill(zeros)}" if n else format_shown(0, code))
    assert format_shown(n + 0.5, code) is None


@settings(max_examples=200, deadline=None, database=None)
@given(n=st.integers(-10**14, 10**14))
def test_grouping_is_pythons(n: int) -> None:
    assert format_shown(n, "#,##0") == f"{n:,}"
    assert format_shown(n, "0") == format_shown(n, "General") == str(n)


# ---- shown_values on workbooks written here ---------------------------------------------------

def openpyxl_book(path: Path, cells: dict[str, tuple[Any, str | None]], sheet: str = "Sheet1") -> Path:
    """A workbook of `cells`: {"A2": (value, number format or None)}."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for ref, (value, code) in cells.items():
        ws[ref] = value
        if code is not None:
            ws[ref].number_format = code
    wb.save(path)
    return path


SHEET = {
    "A1": ("工号", None), "B1": ("姓名", None), "C1": ("得分", None), "D1": ("编号", None),
    "A2": (124, "00000"), "B2": ("张三", None), "C2": (91.5, "0.00"), "D2": (7, "00000"),
    "A3": (5, "00000"), "B3": ("李四", None), "C3": (88, "0.00"),
    "A4": (77, None), "B4": ("王五", None), "C4": (60, "0"),  # an id without a format
    "A5": ("00088", "00000"), "B5": ("赵六", None),  # a text id: calamine's value stands
    "A6": (124, '"E"0000'), "B6": ("钱七", None), "C6": (70, "0.00"),
    "A7": (None, "00000"),  # formatted, blank
    "A8": (12.5, "00000"),  # not an integer
    "A9": (True, "00000"),  # a boolean
    "A10": (10023, "0"), "A11": (10024, "General"),
    "A12": (5, "\\E0000"), "A13": (3, '"K"00'), "A14": (31, "000000"),
}


def test_only_the_cells_whose_format_changes_the_id(tmp_path: Path) -> None:
    path = openpyxl_book(tmp_path / "ids.xlsx", SHEET, sheet="10月考核")
    assert shown_values(path, "10月考核", 0) == {2: "00124", 3: "00005", 6: "E0124", 12: "E0005",
                                               13: "K03", 14: "000031"}
    assert shown_values(path, "10月考核", 3) == {2: "00007"}  # one column at a time
    assert shown_values(path, "10月考核", 2) == {}  # 0.00 and 0: calamine's value stands
    assert shown_values(path, "10月考核", 40) == {}
    assert shown_values(path, "Other", 0) == {}


def test_percent_rows_are_the_numbers_a_percentage_format_shows(tmp_path: Path) -> None:
    path = openpyxl_book(tmp_path / "pct.xlsx", {
        "A1": ("满意率(%)", None), "B1": ("其他", None),
        "A2": (0.95, "0%"), "A3": (0.9, "0.00%"), "A4": (0.5, "[Blue]0.0%;-0.0%"),
        "A5": (95, None), "A6": (95, '0"%"'),  # a quoted % shows 95%: the number is points
        "A7": ("95%", "0%"), "A8": (0.8, "0.0"), "B2": (0.7, "0%"),
    }, sheet="10月考核")
    assert percent_rows(path, "10月考核", {0}) == {0: {2, 3, 4}}
    assert percent_rows(path, "10月考核", {0, 1}) == {0: {2, 3, 4}, 1: {2}}
    assert percent_rows(path, "Other", {0}) == {}
    assert percent_rows(tmp_path / "missing.xlsx", "10月考核", {0}) == {}


def test_a_sheet_is_not_parsed_when_no_style_could_change_an_id(tmp_path: Path) -> None:
    plain = {ref: (value, code if code in (None, "0", "0.00", "General") else "0.00")
             for ref, (value, code) in SHEET.items()}
    path = openpyxl_book(tmp_path / "plain.xlsx", plain)
    with mock.patch.object(numfmt, "_scan", side_effect=AssertionError("parsed")):
        assert shown_values(path, "Sheet1", 0) == {}


def test_the_ids_00000_layout() -> None:
    expected = json.loads((LAYOUTS / "expected.json").read_text(encoding="utf-8"))
    found = shown_values(LAYOUTS / "ids-00000.xlsx", "10月考核", 0)
    assert list(found.values()) == list(expected["files"]["ids-00000.xlsx"]["ranked"])
    assert list(found) == list(range(3, 11))


def package_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def repack(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_styles_part_by_relationship_in_any_case_or_slash(tmp_path: Path) -> None:
    parts = package_parts(openpyxl_book(tmp_path / "ids.xlsx", SHEET))
    want = shown_values(tmp_path / "ids.xlsx", "Sheet1", 0)
    assert want
    odd = {("xl\\Styles.XML" if name == "xl/styles.xml" else
            name.replace("/", "\\") if name.startswith("xl/worksheets/") else name): data
           for name, data in parts.items()}
    assert shown_values(repack(tmp_path / "odd.xlsx", odd), "Sheet1", 0) == want
    # elsewhere, found only through the workbook's relationships
    rels = parts["xl/_rels/workbook.xml.rels"].replace(b'Target="styles.xml"', b'Target="s/st.xml"')
    assert rels != parts["xl/_rels/workbook.xml.rels"]
    moved = {**{n: d for n, d in parts.items() if n != "xl/styles.xml"},
             "xl/s/st.xml": parts["xl/styles.xml"], "xl/_rels/workbook.xml.rels": rels}
    assert shown_values(repack(tmp_path / "moved.xlsx", moved), "Sheet1", 0) == want
    # no relationship: xl/styles.xml
    bare = {**parts, "xl/_rels/workbook.xml.rels": rels.replace(b"/styles", b"/nothing")}
    assert shown_values(repack(tmp_path / "bare.xlsx", bare), "Sheet1", 0) == want


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"


@pytest.mark.parametrize("ns", [MAIN, STRICT])
@pytest.mark.parametrize("prefix", ["", "x:"])
def test_prefixes_strict_and_cells_without_r(tmp_path: Path, ns: str, prefix: str) -> None:
    """Sheet and styles rewritten by hand: any prefix, either namespace, cells without r."""
    parts = package_parts(openpyxl_book(tmp_path / "ids.xlsx", {"A1": (1, None), "B1": (2, "00000")}))
    p = prefix
    xmlns = f'xmlns{":" + p[:-1] if p else ""}="{ns}"'
    parts["xl/styles.xml"] = (
        f'<{p}styleSheet {xmlns}><{p}numFmts count="1"><{p}numFmt numFmtId="164" formatCode="00000"/>'
        f'</{p}numFmts><{p}cellXfs count="2"><{p}xf numFmtId="0"/><{p}xf numFmtId="164"/></{p}cellXfs>'
        f"</{p}styleSheet>").encode()
    rows = [f'<{p}row r="2"><{p}c r="A2" s="1"><{p}v>12</{p}v></{p}c>'
            f'<{p}c s="1"><{p}v>34</{p}v></{p}c></{p}row>',
            f'<{p}row><{p}c s="1"><{p}v>56</{p}v></{p}c>'
            f'<{p}c s="1"><{p}f>1+1</{p}f><{p}v>2</{p}v></{p}c></{p}row>',
            f'<{p}row r="7"><{p}c r="B7" s="1" t="s"><{p}v>0</{p}v></{p}c>'
            f'<{p}c s="1" t="n"><{p}v>1.2E1</{p}v></{p}c><{p}c r="B8" s="1"><{p}v>9</{p}v></{p}c></{p}row>']
    parts["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0"?><{p}worksheet {xmlns}><{p}sheetData>'
                                         + "".join(rows) + f"</{p}sheetData></{p}worksheet>").encode()
    workbook = parts["xl/workbook.xml"].decode()
    if ns == STRICT:
        workbook = workbook.replace(MAIN, STRICT)
    parts["xl/workbook.xml"] = workbook.encode()
    path = repack(tmp_path / "hand.xlsx", parts)
    assert shown_values(path, "Sheet1", 0) == {2: "00012", 3: "00056"}
    assert shown_values(path, "Sheet1", 1) == {2: "00034", 3: "00002", 8: "00009"}
    assert shown_values(path, "Sheet1", 2) == {7: "00012"}


def test_a_bad_package_gives_nothing_and_never_raises(tmp_path: Path) -> None:
    good = openpyxl_book(tmp_path / "good.xlsx", SHEET)
    assert shown_values(good, "Sheet1", 0)
    data = good.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    (tmp_path / "text.xlsx").write_text("not a zip")
    parts = package_parts(good)
    bad_styles = repack(tmp_path / "styles.xlsx", {**parts, "xl/styles.xml": b"<styleSheet><oops"})
    no_styles = repack(tmp_path / "nostyles.xlsx",
                       {n: d for n, d in parts.items() if n != "xl/styles.xml"})
    sheet = parts["xl/worksheets/sheet1.xml"]
    bad_sheet = repack(tmp_path / "sheet.xlsx",
                       {**parts, "xl/worksheets/sheet1.xml": sheet[: len(sheet) // 2]})
    no_workbook = repack(tmp_path / "nowb.xlsx", {n: d for n, d in parts.items() if n != "xl/workbook.xml"})
    for path in (tmp_path / "cut.xlsx", tmp_path / "text.xlsx", tmp_path / "missing.xlsx", tmp_path,
                 bad_styles, no_styles, bad_sheet, no_workbook,
                 ROOT / "tests" / "data" / "corpus" / "calamine" / "pass_protected.xlsx"):
        assert shown_values(path, "Sheet1", 0) == {}


# ---- against openpyxl's reading of the number formats -----------------------------------------

def by_openpyxl(path: Path) -> dict[tuple[str, int], dict[int, str]]:
    """{(sheet, column): {row: shown}} from openpyxl's number_format of each cell and
    format_shown, for the cells shown_values should give."""
    out: dict[tuple[str, int], dict[int, str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value, code = cell.value, cell.number_format
                if type(value) in (int, float) and numfmt._changes_integers(code):
                    shown = format_shown(value, code)
                    if shown is not None:
                        out.setdefault((ws.title, cell.column - 1), {})[cell.row] = shown
    return out


CODES = ["General", "0", "0.00", "00000", '"E"0000', "\\E0000", '"K"00', "000000", "#,##0",
         "@", "[Red]00000", "00000;[Red]-00000", "0%", "yyyy-mm-dd", "000-000", '0;-0;"none"',
         "#", "0.0E+0", '"编号"0000', "[$-409]0000"]


def random_cells(rng: random.Random, rows: int, columns: int) -> list[list[tuple[Any, str | None]]]:
    def value() -> Any:
        kind = rng.random()
        if kind < 0.55:
            return rng.choice([0, 7, 124, 10023, 99999, 123456, -12, 10**9])
        if kind < 0.7:
            return rng.choice([12.5, 0.25, 3.0, -0.5])
        if kind < 0.85:
            return rng.choice(["E0001", "00124", "张三", ""])
        return None

    return [[(value(), rng.choice([*CODES, None])) for _ in range(columns)] for _ in range(rows)]


def xlsxwriter_book(path: Path, grid: list[list[tuple[Any, str | None]]]) -> Path:
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        ws = wb.add_worksheet("Sheet1")
        formats: dict[str, Any] = {}
        for r, row in enumerate(grid):
            for c, (value, code) in enumerate(row):
                if code is not None and code not in formats:
                    formats[code] = wb.add_format({"num_format": code})
                style = None if code is None else formats[code]
                if value is None:
                    if style is not None:
                        ws.write_blank(r, c, None, style)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, style)
                else:
                    ws.write_number(r, c, value, style)
    return path


@pytest.mark.parametrize("seed", range(8))
def test_shown_values_agree_with_openpyxl(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    grid = random_cells(rng, 40, 6)
    written = [xlsxwriter_book(tmp_path / "x.xlsx", grid)]
    written.append(openpyxl_book(tmp_path / "o.xlsx", {
        f"{chr(65 + c)}{r + 1}": cell for r, row in enumerate(grid) for c, cell in enumerate(row)
        if cell[0] is not None}))
    for path in written:
        expected = by_openpyxl(path)
        assert any(expected.values())
        for column in range(7):
            assert shown_values(path, "Sheet1", column) == expected.get(("Sheet1", column), {}), path.name


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_the_corpus_agrees_with_openpyxl(path: Path) -> None:
    """Every .xlsx of tests/data; some openpyxl cannot read (which is why they are there):
    those only never raise."""
    try:
        expected: dict[tuple[str, int], dict[int, str]] | None = by_openpyxl(path)
        sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
    except Exception:
        expected, sheets = None, ["Sheet1", "Sheet2"]
    for sheet in sheets:
        for column in range(40):
            found = shown_values(path, sheet, column)
            assert found == expected.get((sheet, column), {}) if expected is not None else found == {}


# ---- a big sheet --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_sheets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """benchmarks/bench.py's sheet shape (title, blank, header, 20,000 rows of 9 columns) with
    numeric ids formatted 00000; and the same package with that format made 0."""
    folder = tmp_path_factory.mktemp("big")
    formatted = folder / "formatted.xlsx"
    rng = random.Random(7)
    wb = xlsxwriter.Workbook(formatted, {"constant_memory": True})
    ws = wb.add_worksheet("考核数据")
    ids, pct = wb.add_format({"num_format": "00000"}), wb.add_format({"num_format": "0.00%"})
    ws.write_string(0, 0, "集团客户分层分级服务考核")
    ws.write_row(2, 0, ["工号", "姓名", "中心", "客户类别", "a", "b", "c", "d", "e"])
    for i in range(20_000):
        r = i + 3
        ws.write_number(r, 0, i + 1, ids)
        ws.write_string(r, 1, f"姓名{i % 977}")
        ws.write_string(r, 2, f"中心{rng.randint(1, 2500):04d}")
        ws.write_string(r, 3, rng.choice(["战略客户", "重点客户", "普通客户"]))
        for c in (4, 5, 6):
            ws.write_number(r, c, round(rng.uniform(0.6, 1.0), 4), pct)
        for c in (7, 8):
            if rng.random() >= 0.2:
                ws.write_number(r, c, rng.randint(0, 6))
    wb.close()
    parts = package_parts(formatted)
    assert b'formatCode="00000"' in parts["xl/styles.xml"]
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b'formatCode="00000"', b'formatCode="0"')
    plain = repack(folder / "plain.xlsx", parts)
    return formatted, plain


def test_a_big_sheet(big_sheets: tuple[Path, Path]) -> None:
    """Every id of a big sheet, and none read when no style could change one (speed is the
    benchmark's to measure, not a test's)."""
    formatted, plain = big_sheets
    found = shown_values(formatted, "考核数据", 0)
    assert len(found) == 20_000 and found[4] == "00001" and found[20_003] == "20000"
    with mock.patch.object(numfmt, "_scan", side_effect=AssertionError("parsed")):
        assert shown_values(plain, "考核数据", 0) == {}
