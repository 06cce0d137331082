"""Error cells and formulas without a saved value, found in the sheet XML whatever its prefixes.

Workbooks are written here part by part, so every odd form (a prefix, single quotes, cells
without r, Strict OOXML, UTF-16) is exactly what the test says. The byte pre-check is held to
the parser by a property test, and cell_errors to openpyxl and to a whole-document reference.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from conftest import CORPUS, R1_HEADER, cli
from svcperf.io import cells
from svcperf.io.cells import cell_errors
from svcperf.io.package import sheet_part
from svcperf.text import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
RELS = {MAIN: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        STRICT: "http://purl.oclc.org/ooxml/officeDocument/relationships"}
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
ERRORS = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"]
GOOD = ["E001", "张三", "要客", "A类", 0.9, 0.85, 1.0, 0, 0]
SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def worksheet(inner: str, prefix: str = "", ns: str = MAIN) -> str:
    """A worksheet part around sheetData's content; `{p}` in inner stands for the prefix."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{ns}"' if prefix else f'xmlns="{ns}"'
    inner = inner.replace("{p}", p)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {xmlns}>'
            f"<{p}sheetData>{inner}</{p}sheetData></{p}worksheet>")


def package(path: Path, sheet: str | bytes, prefix: str = "", ns: str = MAIN,
            name: str = "Sheet1") -> Path:
    """An .xlsx of one worksheet, its workbook in the same prefix and namespace as the sheet."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{ns}"' if prefix else f'xmlns="{ns}"'
    kind = RELS[ns]
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
                       f'Type="{kind}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<{p}workbook {xmlns} xmlns:r="{kind}"><{p}sheets><{p}sheet '
                           f'name="{name}" sheetId="1" r:id="rId7"/></{p}sheets></{p}workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId7" '
            f'Type="{kind}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)
    return path


@dataclass(frozen=True)
class Err:
    text: str


def rows_xml(rows: list[list[Any]], first: int = 1) -> str:
    """sheetData content for rows of values from A{first}: text, numbers, Err or None."""
    out = []
    for r, values in enumerate(rows, first):
        cells_ = []
        for c, value in enumerate(values):
            ref = f"{column_letter(c)}{r}"
            if isinstance(value, Err):
                cells_.append(f'<{{p}}c r="{ref}" t="e"><{{p}}v>{value.text}</{{p}}v></{{p}}c>')
            elif isinstance(value, str):
                cells_.append(f'<{{p}}c r="{ref}" t="inlineStr"><{{p}}is><{{p}}t>{value}</{{p}}t>'
                              "</{p}is></{p}c>")
            elif value is not None:
                cells_.append(f'<{{p}}c r="{ref}"><{{p}}v>{value}</{{p}}v></{{p}}c>')
        out.append(f'<{{p}}row r="{r}">{"".join(cells_)}</{{p}}row>')
    return "".join(out)


def calamine_grid(path: Path, sheet: str = "Sheet1") -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)


# ---- the bug: prefixed SpreadsheetML ----------------------------------------------------------

def test_prefixed_error_cell_is_an_excel_error_not_a_default_0(tmp_path):
    rows = [["10月考核"], [], R1_HEADER, GOOD, ["E002", *GOOD[1:7], Err("#DIV/0!"), 0]]
    path = package(tmp_path / "prefixed.xlsx", worksheet(rows_xml(rows), prefix="x"), prefix="x")
    grid = calamine_grid(path)
    assert grid[2] == R1_HEADER and grid[4][7] == ""  # calamine reads it, the error as blank
    assert cell_errors(path, "Sheet1") == {(5, 7): "#DIV/0!"}
    result = cli("validate", path, "--rules", "tiered-service", "--format", "json")
    assert result.exit_code == 1, result.output
    issues = json.loads(result.stdout)["issues"]
    assert [(i["code"], i["cell"], i["value"]) for i in issues if i["severity"] == "error"] == [
        ("excel-error", "H5", "#DIV/0!")]


# ---- odd forms ------------------------------------------------------------------------------

def errors_of(tmp_path: Path, inner: str, **kw: Any) -> dict[tuple[int, int], str]:
    return cell_errors(package(tmp_path / "t.xlsx", worksheet(inner, **kw), **kw), "Sheet1")


def test_cells_and_rows_without_r_follow_the_previous_one(tmp_path):
    inner = ('<row><c><v>1</v></c><c t="e"><v>#N/A</v></c></row>'
             '<row r="5"><c/><c><f>A1</f></c><c r="E5"><v>2</v></c><c t="e"/></row>'
             '<row><c r="C6" t="e"><v>#REF!</v></c><c><v>3</v></c><c t="e"><v>#NUM!</v></c></row>'
             # a reference to another row moves that cell only, not the next one
             '<row r="8"><c r="B9"><v>4</v></c><c t="e"><v>#NULL!</v></c><c><v>5</v></c></row>')
    assert errors_of(tmp_path, inner) == {(1, 1): "#N/A", (5, 1): "=", (5, 5): "#ERROR",
                                          (6, 2): "#REF!", (6, 4): "#NUM!", (8, 2): "#NULL!"}
    grid = calamine_grid(tmp_path / "t.xlsx")  # calamine puts the plain cells where we count
    assert (grid[0][0], grid[4][4], grid[5][3], grid[8][1], grid[7][3]) == (1.0, 2.0, 3.0, 4.0, 5.0)


def test_single_quotes_spaces_and_character_references(tmp_path):
    inner = ("<row r='2'><c r='A2' t = 'e'><v>#DIV/0!</v></c><c r='B2'\tt\n=\"e\"><v>#N/A</v></c>"
             "<c r='C2' t='&#101;'><v>#NAME?</v></c><c r='D2' t=\"&#x65;\"/><c r='E2' t='n'>"
             "<v>1</v></c><c r='F2'><f >1/0</f ></c></row>")
    assert errors_of(tmp_path, inner, prefix="ss") == {
        (2, 0): "#DIV/0!", (2, 1): "#N/A", (2, 2): "#NAME?", (2, 3): "#ERROR", (2, 5): "="}


def test_strict_ooxml(tmp_path):
    inner = '<{p}row r="3"><{p}c r="B3" t="e"><{p}v>#VALUE!</{p}v></{p}c></{p}row>'
    assert errors_of(tmp_path, inner, ns=STRICT) == {(3, 1): "#VALUE!"}
    assert errors_of(tmp_path, inner, ns=STRICT, prefix="x") == {(3, 1): "#VALUE!"}


def test_formulas_without_a_saved_value(tmp_path):
    inner = ('<row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f>1+1</f><v></v></c>'
             '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1" t="str"><f>"x"</f></c>'
             '<c r="E1"><f>1+1</f><v>2</v></c><c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    assert errors_of(tmp_path, inner) == {(1, 0): "=", (1, 1): "=", (1, 3): "=", (1, 5): "#DIV/0!"}


def test_rich_text_is_not_a_formula(tmp_path):  # <family> and <font> start with "<f"
    inner = ('<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><rFont val="Arial"/><family val="2"/>'
             '</rPr><t>x</t></r></is></c><c r="B1" t="inlineStr"><is><t>&lt;f&gt;</t></is></c></row>')
    assert errors_of(tmp_path, inner) == {}


def test_shared_formulas_with_cached_values_are_fine(tmp_path):
    inner = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f>'
             '<v>2</v></c></row><row r="2"><c r="B2"><f t="shared" si="0"/><v>4</v></c></row>'
             '<row r="3"><c r="B3"><f t="shared" si="0"/></c></row>')
    assert errors_of(tmp_path, inner) == {(3, 1): "="}
    assert cell_errors(CORPUS / "calamine" / "formula.issue.xlsx", "Sheet1") == {}


def test_utf16_latin1_and_doctype_sheets(tmp_path):
    doc = worksheet('<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1"><v>1</v></c>'
                    '<c r="C1" t="inlineStr"><is><t>café</t></is></c></row>')
    utf16 = doc.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert cell_errors(package(tmp_path / "u.xlsx", utf16), "Sheet1") == {(1, 0): "#N/A"}
    latin = doc.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    assert cell_errors(package(tmp_path / "l.xlsx", latin.encode("latin-1")), "Sheet1") == {
        (1, 0): "#N/A"}
    entity = doc.replace("?>\n", '?><!DOCTYPE worksheet [<!ENTITY err "e">]>').replace(
        't="e"', 't="&err;"')
    assert cell_errors(package(tmp_path / "d.xlsx", entity), "Sheet1") == {(1, 0): "#N/A"}
    unknown = doc.replace('encoding="UTF-8"', 'encoding="UTF-9"')
    assert cell_errors(package(tmp_path / "x.xlsx", unknown), "Sheet1") == {}  # not raised


def test_a_formula_in_every_row_finishes_quickly(tmp_path):
    value = "<{p}v>36</{p}v>"
    rows = [f'<{{p}}row r="{r}">'
            + "".join(f'<{{p}}c r="{column_letter(c)}{r}"><{{p}}v>{c}</{{p}}v></{{p}}c>' for c in range(9))
            + f'<{{p}}c r="J{r}"><{{p}}f>SUM(A{r}:I{r})</{{p}}f>{"" if r == 777 else value}</{{p}}c>'
            "</{p}row>" for r in range(1, 20_001)]
    path = package(tmp_path / "f.xlsx", worksheet("".join(rows), prefix="x"), prefix="x")
    start = time.perf_counter()
    assert cell_errors(path, "Sheet1") == {(777, 9): "="}
    assert time.perf_counter() - start < 3  # ~0.3 s: linear, 1.4 µs a cell


def test_plain_sheet_is_never_parsed(tmp_path):
    rows = [["id", "name", "score"], *[[f"E{i}", "x e f", i / 3] for i in range(2000)]]
    path = package(tmp_path / "p.xlsx", worksheet(rows_xml(rows), prefix="x"), prefix="x")
    with mock.patch.object(cells, "_scan", side_effect=AssertionError("parsed")):
        assert cell_errors(path, "Sheet1") == {}


def test_a_bad_package_gives_nothing_and_never_raises(tmp_path):
    good = package(tmp_path / "g.xlsx", worksheet('<row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>'))
    assert cell_errors(good, "Sheet1") == {(1, 0): "#N/A"}
    assert cell_errors(good, "Other") == {}
    data = good.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    (tmp_path / "text.xlsx").write_text("not a zip")
    broken = package(tmp_path / "b.xlsx", worksheet('<row r="1"><c r="A1" t="e"><v>#N/A</v></row>'))
    for path in (tmp_path / "cut.xlsx", tmp_path / "text.xlsx", tmp_path / "missing.xlsx", broken,
                 CORPUS / "calamine" / "pass_protected.xlsx"):
        assert cell_errors(path, "Sheet1") == {}
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "nowb.xlsx", "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/workbook.xml":
                dst.writestr(item, src.read(item))
    assert cell_errors(tmp_path / "nowb.xlsx", "Sheet1") == {}


DAMAGE = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(b'<>/="\' \n&#;:fvcrte019!?')),
                  min_size=1, max_size=4)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=DAMAGE, in_xml=st.booleans())
def test_a_damaged_package_never_raises(tmp_path, damage, in_xml):
    xml = worksheet('<row><c><f>1</f></c><c r="B1" t="e"/><c t="str"><f/><v/></c></row>'
                    + rows_xml([[1, Err("#N/A"), "x"]] * 5, first=2)).encode()
    data = bytearray(xml if in_xml else package(tmp_path / "g.xlsx", xml).read_bytes())
    for at, byte in damage:
        data[at % len(data)] = byte
    path = package(tmp_path / "d.xlsx", bytes(data)) if in_xml else tmp_path / "d.xlsx"
    if not in_xml:
        path.write_bytes(bytes(data))
    assert isinstance(cell_errors(path, "Sheet1"), dict)


# ---- part names -----------------------------------------------------------------------------

def test_part_names_in_another_case_and_absolute_targets(tmp_path):
    path = package(tmp_path / "c.xlsx", worksheet('<row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>'))
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp_path / "d.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item).replace(b'Target="worksheets/', b'Target="/xl/Worksheets/')
            dst.writestr(item.filename.replace("worksheets/sheet1", "WorkSheets/Sheet1"), data)
    assert cell_errors(tmp_path / "d.xlsx", "Sheet1") == {(1, 0): "#N/A"}


# ---- the pre-check against the parser, and both against others -------------------------------

@dataclass
class Sheet:
    xml: bytes
    expected: dict[tuple[int, int], str]  # the generator's own account of each cell
    ns: str
    prefix: str
    ascii: bool  # markup in ASCII bytes (not UTF-16)


QUOTES = st.sampled_from(['"', "'"])
EQUALS = st.sampled_from(["=", " = ", "\t=", "=\n", " ="])
E_VALUE = st.sampled_from(["e", "e", "&#101;", "&#x65;", "&#x0065;", "&#0101;"])
PLAIN = st.text("abcdefxyz 0123456789é中", max_size=6)
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "latin-1": "ISO-8859-1"}


@st.composite
def sheets(draw: st.DrawFn, findings: bool = True) -> Sheet:
    """Sheet XML in random form: any prefix, quoting, spacing around '=', character references,
    rows and cells with or without r, pretty-printed or not, in several encodings."""
    prefix = draw(st.sampled_from(["", "x", "s", "ns0", "main"]))
    ns = draw(st.sampled_from([MAIN, STRICT]))
    p = f"{prefix}:" if prefix else ""
    gap = draw(st.sampled_from(["", "\n", "\n  "]))

    def attr(name: str, value: str) -> str:
        q = draw(QUOTES)
        return f" {name}{draw(EQUALS)}{q}{value}{q}"

    def element(tag: str, body: str | None, attrs: str = "") -> str:
        if body is None:
            return f"<{p}{tag}{attrs}{draw(st.sampled_from(['', ' ']))}/>"
        return f"<{p}{tag}{attrs}>{body}</{p}{tag}{draw(st.sampled_from(['', ' ']))}>"

    expected: dict[tuple[int, int], str] = {}
    kinds = ["number", "text", "bool"] * 3 + (["error", "formula", "str"] if findings else [])
    rows, row = [], 0
    for _ in range(draw(st.integers(0, 8))):
        has_ref = draw(st.booleans())  # else the row follows the previous one
        row += draw(st.sampled_from([1, 2, 5])) if has_ref else 1
        cells_, col = [], -1
        for _ in range(draw(st.integers(0, 6))):
            ref = draw(st.booleans())  # else the cell follows the previous one
            col += draw(st.sampled_from([1, 3])) if ref else 1
            attrs = attr("r", f"{column_letter(col)}{row}") if ref else ""
            kind = draw(st.sampled_from(kinds))
            body: str | None
            if kind == "number":
                body = element("v", str(draw(st.integers(-5, 500))))
            elif kind == "text":
                attrs += attr("t", "inlineStr")
                body = element("is", element("t", draw(PLAIN)))
            elif kind == "bool":
                attrs += attr("t", "b")
                body = element("v", draw(st.sampled_from(["0", "1"])))
            elif kind == "error":
                attrs += attr("t", draw(E_VALUE))
                text = draw(st.sampled_from([*ERRORS, "", None]))
                formula = element("f", "1/0") if draw(st.booleans()) else ""
                body = formula + ("" if text is None else element("v", text))
                expected[row, col] = text or "#ERROR"
            else:  # a formula: with a value, without one, with an empty one; shared or not
                if kind == "str":
                    attrs += attr("t", "str")
                body = draw(st.sampled_from([element("f", "A1+1"),
                                             element("f", None, attr("t", "shared") + attr("si", "0"))]))
                value = draw(st.sampled_from([None, "", "7"]))
                body += "" if value is None else element("v", value)
                if value is None or (value == "" and kind != "str"):
                    expected[row, col] = "="
            cells_.append(element("c", body or None, attrs))
        rows.append(element("row", gap + gap.join(cells_) + gap, attr("r", str(row)) if has_ref else ""))
    q = draw(QUOTES)
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    doc = (f"<{p}worksheet {xmlns}={q}{ns}{q}><{p}sheetData>{gap}{gap.join(rows)}{gap}"
           f"</{p}sheetData></{p}worksheet>")
    encoding = draw(st.sampled_from([None, *ENCODINGS]))
    if encoding is None:
        xml = doc.encode()
    else:
        declared = f"<?xml version='1.0' encoding='{ENCODINGS[encoding]}'?>{gap}{doc}"
        xml = declared.encode(encoding, "replace")
    return Sheet(xml, expected, ns, prefix, encoding != "utf-16")


def local(tag: str) -> tuple[str, str]:
    ns, _, name = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    return ns, name


def reference(xml: bytes) -> dict[tuple[int, int], str]:
    """cell_errors the slow way: the whole document parsed into a tree, then walked."""
    def kids(parent: ET.Element, name: str) -> list[ET.Element]:
        return [e for e in parent if local(e.tag) in ((MAIN, name), (STRICT, name), ("", name))]

    found: dict[tuple[int, int], str] = {}
    row = 0
    root = ET.fromstring(xml)
    for data in kids(root, "sheetData"):
        for line in kids(data, "row"):
            row = int(line.get("r") or row + 1)
            col = -1
            for cell in kids(line, "c"):
                at = (row, col + 1)
                if cell.get("r"):
                    letters, number = openpyxl.utils.cell.coordinate_from_string(cell.get("r").upper())
                    at = (number, openpyxl.utils.cell.column_index_from_string(letters) - 1)
                col = at[1]
                values = [v.text or "" for v in kids(cell, "v")]
                if cell.get("t") == "e":
                    found[at] = values[0] if values and values[0] else "#ERROR"
                elif kids(cell, "f") and (not values or (not values[0] and cell.get("t") != "str")):
                    found[at] = "="
    return found


def openpyxl_errors(path: Path, sheet: str) -> dict[tuple[int, int], str] | None:
    """openpyxl's error cells (data_only: a formula's cached error too); None if it cannot."""
    try:
        ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    except Exception:  # KeyError for a part name in another case, none for Strict sheets
        return None
    if not isinstance(ws, openpyxl.worksheet.worksheet.Worksheet):
        return {}
    return {(c.row, c.column - 1): c.value or "#ERROR" for row in ws.iter_rows() for c in row
            if c.data_type == "e"}


@settings(SETTINGS, max_examples=300)
@given(sheet=sheets(), block=st.sampled_from([1, 2, 3, 7, 16, 61, 1 << 18]))
def test_the_pre_check_never_misses_what_the_parser_finds(sheet, block):
    assert cells._scan(io.BytesIO(sheet.xml)).found == sheet.expected == reference(sheet.xml)
    with mock.patch.object(cells, "_HEAD", 64):  # a small head: the block boundaries matter
        assert cells._may_hold_marks(io.BytesIO(sheet.xml), block) or not sheet.expected


ONE_FINDING = [
    '<{p}c r="A1" t="e"><{p}v>#N/A</{p}v></{p}c>', "<{p}c r='A1' t='e'/>", '<{p}c t = "e"/>',
    "<{p}c\tt\n=\n'e'/>", '<{p}c t="&#101;"/>', "<{p}c t='&#x65;'/>", '<{p}c t="&#x0065;"/>',
    '<{p}c t="&#0101;"/>', "<{p}c><{p}f>1</{p}f></{p}c>", "<{p}c><{p}f/></{p}c>",
    '<{p}c><{p}f t="shared" si="0"/></{p}c>', "<{p}c><{p}f\n>1</{p}f></{p}c>",
    "<{p}c><{p}f\t/></{p}c>", "<{p}c><{p}f>1</{p}f><{p}v></{p}v></{p}c>",
]


@pytest.mark.parametrize("prefix", ["", "x", "main"])
@pytest.mark.parametrize("cell", ONE_FINDING)
def test_each_form_alone_is_caught_at_every_block_boundary(prefix, cell):
    xml = worksheet(f"<{{p}}row>{cell}</{{p}}row>", prefix).encode()
    assert cells._scan(io.BytesIO(xml)).found != {}
    for block in range(1, 80):
        with mock.patch.object(cells, "_HEAD", 4):
            assert cells._may_hold_marks(io.BytesIO(xml[xml.index(b"<", 5):]), block)
        assert cells._may_hold_marks(io.BytesIO(xml), block)


@SETTINGS
@given(sheet=sheets(findings=False), block=st.sampled_from([1, 2, 7, 61, 1 << 18]))
def test_the_pre_check_lets_a_plain_sheet_through(sheet, block):
    with mock.patch.object(cells, "_HEAD", 64):
        assert cells._may_hold_marks(io.BytesIO(sheet.xml), block) is not sheet.ascii


@SETTINGS
@given(sheet=sheets())
def test_cell_errors_agree_with_openpyxl_on_generated_files(tmp_path, sheet):
    path = package(tmp_path / "g.xlsx", sheet.xml, prefix=sheet.prefix, ns=sheet.ns)
    found = cell_errors(path, "Sheet1")
    assert found == sheet.expected
    if sheet.ns == MAIN:  # openpyxl reads no Strict OOXML
        assert openpyxl_errors(path, "Sheet1") == {k: v for k, v in found.items() if v != "="}


CORPUS_BOOKS = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xlsx", ".xlsm")
                      and p.name != "pass_protected.xlsx")


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on odd files: no stylesheet, ...
@pytest.mark.parametrize("path", CORPUS_BOOKS, ids=lambda p: p.name)
def test_cell_errors_agree_with_openpyxl_and_the_reference_on_the_corpus(path):
    with zipfile.ZipFile(path) as zf:
        for sheet in CalamineWorkbook.from_path(str(path)).sheet_names:
            found = cell_errors(path, sheet)
            part = sheet_part(zf, sheet)  # None: a chartsheet, no cells
            assert found == (reference(zf.read(part)) if part else {})
            errors = openpyxl_errors(path, sheet)
            if errors is not None:
                assert errors == {k: v for k, v in found.items() if v != "="}


@st.composite
def layouts(draw: st.DrawFn) -> list[tuple[int, bool, list[tuple[int, bool]]]]:
    """Rows as (number, r written?, cells as (column, r written?)), rising as writers write them."""
    out, row = [], 0
    for _ in range(draw(st.integers(1, 6))):
        row += draw(st.integers(1, 3))
        cols, col = [], -1
        for _ in range(draw(st.integers(1, 5))):
            col += draw(st.integers(1, 3))
            cols.append(col)
        out.append((row, cols))
    return [(r, draw(st.booleans()), [(c, draw(st.booleans())) for c in cols]) for r, cols in out]


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts())
def test_cells_without_r_are_placed_where_calamine_places_them(tmp_path, layout):
    def xml(cell: str) -> str:
        out = []
        for r, written, cols in layout:
            row_attr = f' r="{r}"' if written else ""
            refs = [f' r="{column_letter(c)}{r}"' if ref else "" for c, ref in cols]
            cells_ = "".join(f"<c{ref}{cell}</c>" for ref in refs)
            out.append(f"<row{row_attr}>{cells_}</row>")
        return worksheet("".join(out))

    numbers = package(tmp_path / "n.xlsx", xml("><v>1</v>"))
    grid = calamine_grid(numbers)
    read = {(r + 1, c) for r, line in enumerate(grid) for c, v in enumerate(line) if v != ""}
    errors = package(tmp_path / "e.xlsx", xml(' t="e"><v>#N/A</v>'))
    assert set(cell_errors(errors, "Sheet1")) == read
