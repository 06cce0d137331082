"""Formats beyond .xlsx: web pages saved as .xls, merges alike in every format, hidden rows."""

import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import CORPUS, ROOT, write_xlsx
from svcperf.io import html, package
from svcperf.io.read import UnreadableFile, open_book

FORMATS = ROOT / "tests" / "data" / "formats"  # made by make.py there, from one layout.xlsx

PAGE = """<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=GBK"><title>考核导出</title></head>
<body><table border="1"><caption> 10月
 考核 </caption>
<tr><th rowspan="2">工号</th><th rowspan="2">中心</th><th colspan="3">指标</th></tr>
<tr><th>知晓率</th><th>满意率</th><th>超时</th></tr>
<tr><td>E1</td><td rowspan="3">东区</td><td>95%</td><td>0.8</td><td> 1 </td></tr>
<tr><td>E2</td><td>90%</td><td>0.6</td><td>2</td></tr>
<tr><td>E3</td><td>85%</td><td>0.4</td><td>3&nbsp;</td></tr>
<tr><td>E4</td><td>西区<br>二组</td><td>1</td><td>1</td><td><b>0</b></td></tr>
</table></body></html>"""

# the layout of tests/data/formats/layout.*: a 2-row header, 中心 merged down over 3 rows, a title
# merged over A1:G1, wider than the table (A:E), so clipped; A10:B11 is below the data: left out
LAYOUT_MERGES = [((0, 0), (0, 4)), ((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 2), (1, 4)),
                 ((3, 1), (5, 1))]


MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/></manifest:manifest>')


def _ods(path: Path, rows_xml: str, name: str = "S") -> Path:
    """An .ods whose one sheet has these <table:table-row> elements."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{name}">{rows_xml}'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", MANIFEST)
    return path


def _cell(text: str, attrs: str = "") -> str:
    return f'<table:table-cell office:value-type="string" {attrs}><text:p>{text}</text:p></table:table-cell>'


def test_a_web_page_saved_as_xls_is_read_as_a_sheet_of_text(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_bytes(PAGE.encode("gbk"))
    book = open_book(path)
    assert (book.kind, book.typed, [s.name for s in book.sheets]) == ("html", False, ["10月 考核"])
    assert book.rows("10月 考核") == [
        ["工号", "中心", "指标", "", ""],
        ["", "", "知晓率", "满意率", "超时"],
        ["E1", "东区", "95%", "0.8", "1"],
        ["E2", "", "90%", "0.6", "2"],
        ["E3", "", "85%", "0.4", "3"],
        ["E4", "西区 二组", "1", "1", "0"],
    ]
    assert book.merged("10月 考核") == [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 4)),
                                       ((2, 1), (4, 1))]
    assert book.hidden_rows("10月 考核") == set()
    assert book.cell_errors("10月 考核") == {}


def test_each_table_of_a_page_is_a_sheet_and_layout_tables_are_left_out(tmp_path):
    tables = "<table><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table>"
    titled = tmp_path / "two.html"
    titled.write_text(f"\n <!DOCTYPE html><html><head><title>导出</title></head><body>{tables}",
                      encoding="utf-8")
    book = open_book(titled)
    assert [s.name for s in book.sheets] == ["导出", "导出 (2)"]
    assert book.rows("导出 (2)") == [["b"]]
    # a table holding tables lays the page out; a table without a cell is no sheet
    nested = tmp_path / "nested.htm"
    nested.write_text(f"<table><tr><td>{tables}</td><td>menu</td></tr></table><table></table>",
                      encoding="utf-8")
    book = open_book(nested)
    assert [(s.name, book.rows(s.name)) for s in book.sheets] == [("Table 1", [["a"]]),
                                                                  ("Table 2", [["b"]])]


@pytest.mark.parametrize(("data", "text"), [
    ("\ufeff<table><tr><td>中心</td></tr></table>".encode(), "中心"),  # BOM: UTF-8
    ("<table><tr><td>中心</td></tr></table>".encode("utf-16"), "中心"),  # BOM: UTF-16
    ("<table><tr><td>中心</td></tr></table>".encode("gbk"), "中心"),  # no charset, not UTF-8
    ('<meta charset="utf-8"><table><tr><td>中心</td></tr></table>'.encode("gb18030"), "中心"),
    ('<META charset="windows-1252"><table><tr><td>café</td></tr></table>'.encode("cp1252"), "café"),
    ('<meta charset="iso-8859-1"><table><tr><td>“x”</td></tr></table>'.encode("cp1252"), "“x”"),
])
def test_a_page_is_decoded_by_its_bom_its_charset_else_utf8_else_gb18030(tmp_path, data, text):
    path = tmp_path / "page.csv"  # the content decides, not the name
    path.write_bytes(data)
    book = open_book(path)
    assert book.kind == "html" and book.rows(book.sheets[0].name) == [[text]]


def test_a_page_with_no_table_is_one_plain_sentence(tmp_path):
    path = tmp_path / "login.xls"
    path.write_text("<html><body><p>Session expired, please log in</p></body></html>")
    with pytest.raises(UnreadableFile, match="a web page with no table"):
        open_book(path)


def test_spans_are_clamped_and_a_page_wider_than_a_sheet_is_refused(tmp_path):
    path = tmp_path / "spans.html"
    path.write_text('<table><tr><td rowspan="99">a</td><td colspan="0">b</td><td>c</td></tr>'
                    '<tr><td rowspan="0">d</td></tr><tr><td>e</td><td>f</td></tr></table>')
    book = open_book(path)
    assert book.rows("Table 1") == [["a", "b", "c", ""], ["", "d", "", ""], ["", "", "e", "f"]]
    assert book.merged("Table 1") == [((0, 0), (2, 0)), ((1, 1), (2, 1))]
    wide = tmp_path / "wide.xls"
    wide.write_text("<table>" + '<tr><td colspan="1000">x</td></tr>' * 5
                    + "<tr>" + '<td colspan="1000">x</td>' * 17 + "</tr></table>")
    with pytest.raises(UnreadableFile, match="more cells than any sheet can hold"):
        open_book(wide)


def test_every_format_gives_the_same_grid_and_merges_for_one_layout():
    books = {f: open_book(FORMATS / f"layout.{f}") for f in ("xlsx", "ods", "xls")}
    assert {f: b.kind for f, b in books.items()} == {"xlsx": "xlsx", "ods": "ods", "xls": "xls"}
    grids = {f: b.rows("成绩") for f, b in books.items()}
    assert grids["xlsx"] == grids["ods"] == grids["xls"] and len(grids["xlsx"]) == 7
    for book in books.values():
        assert book.merged("成绩") == LAYOUT_MERGES


def test_hidden_rows_of_an_xlsx_and_an_ods_sheet(tmp_path):
    path = tmp_path / "hidden.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for n in range(1, 8):
        ws.append([f"E{n}", n])
    ws.row_dimensions[5].hidden = True
    ws.row_dimensions[50].hidden = True  # below the data: not one of the sheet's rows
    wb.save(path)
    assert open_book(path).hidden_rows("Sheet") == {5}
    assert open_book(FORMATS / "layout.ods").hidden_rows("成绩") == {6}
    assert open_book(write_xlsx(tmp_path / "plain.xlsx", [["a"], ["b"]])).hidden_rows("Sheet1") == set()
    csv = tmp_path / "a.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    assert (open_book(csv).kind, open_book(csv).hidden_rows("a"), open_book(csv).merged("a")) == \
        ("csv", set(), [])


def test_an_ods_with_huge_repeat_counts_is_read_at_once(tmp_path):
    huge = "999999999"
    spanned = _cell("m", f'table:number-columns-spanned="{huge}"')
    path = _ods(tmp_path / "bomb.ods",
                f'<table:table-row table:number-rows-repeated="3" table:visibility="filter">'
                f'<table:table-cell table:number-columns-repeated="{huge}"/></table:table-row>'
                f'<table:table-row>{_cell("a")}{_cell("b")}{_cell("c")}</table:table-row>'
                f'<table:table-row>{_cell("工号")}{spanned}'
                f'<table:covered-table-cell table:number-columns-repeated="{huge}"/></table:table-row>'
                f'<table:table-row table:number-rows-repeated="{huge}" table:visibility="collapse">'
                f'<table:table-cell table:number-columns-repeated="{huge}" '
                f'table:number-columns-spanned="{huge}" table:number-rows-spanned="{huge}"/>'
                "</table:table-row>")
    start = time.perf_counter()
    book = open_book(path)
    grid = book.rows("S")
    hidden, merged = book.hidden_rows("S"), book.merged("S")
    assert time.perf_counter() - start < 1
    assert grid == [["", "", ""]] * 3 + [["a", "b", "c"], ["工号", "m", ""]]
    assert hidden == {1, 2, 3} and merged == [((4, 1), (4, 2))]  # clipped to the grid


def test_a_file_is_known_by_its_content_whatever_its_name(tmp_path):
    xlsx = write_xlsx(tmp_path / "a.xlsx", [["工号"], ["E1"]])
    renamed = tmp_path / "a.xls"
    shutil.copy(xlsx, renamed)
    assert open_book(renamed).kind == "xlsx" and open_book(renamed).rows("Sheet1") == [["工号"], ["E1"]]


@pytest.mark.parametrize(("name", "sheet", "part"), [
    ("issue_419.xlsx", "Sheet1", "xl/worksheets/sheet1.xml"),  # rels name SharedStrings.xml
    ("issue_530.xlsx", "出勤分类组织汇总表", "xl\\worksheets\\sheet26.xml"),  # backslashes in the zip
    ("minimal_package.xlsx", "Sheet1", "sheet1.xml"),  # workbook.xml at the root
    ("nonstandard-xml-ns-prefix.xlsx", "Sheet1", "xl/worksheets/sheet1.xml"),  # ns:id
    ("strict_iso_paths.xlsx", "ml_out", "xl/worksheets/sheet1.xml"),  # ISO 29500 Strict
    ("any_sheets.xlsx", "Chart", None),  # a chartsheet has no worksheet part
])
def test_a_sheets_part_is_found_as_excel_finds_it(name, sheet, part):
    with zipfile.ZipFile(CORPUS / "calamine" / name) as zf:
        assert package.sheet_part(zf, sheet) == part


def test_the_hidden_precheck_finds_a_word_cut_by_a_block_end(tmp_path):
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("cut", b"x" * ((1 << 20) + 4 - 3) + b"hidden")  # 3 bytes before the end
        zf.writestr("none", b"hidde" * 500_000)
    with zipfile.ZipFile(path) as zf:
        assert package.mentions(zf, "cut", b"hidden") and not package.mentions(zf, "none", b"hidden")


def test_an_excel_2003_xml_spreadsheet_is_no_web_page(tmp_path):
    path = tmp_path / "old.xls"
    path.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:'
                    'spreadsheet"><Worksheet><Table><Row><Cell/></Row></Table></Worksheet></Workbook>')
    assert not html.looks_like_html(path.read_bytes())
    with pytest.raises(UnreadableFile, match="Excel 2003 XML spreadsheet"):
        open_book(path)


def test_hidden_rows_are_ranked_with_a_warning_or_left_out(tmp_path):
    """A hidden row is a person: read and warned about, or with --skip-hidden left out."""
    import json

    from conftest import EXAMPLES, cli

    sheet = EXAMPLES.parent / "tests" / "data" / "layouts" / "hidden-row.xlsx"
    out = tmp_path / "r.json"
    assert cli("rank", sheet, "-o", out, "-q").exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    hidden = [i for i in doc["issues"] if i["code"] == "hidden-row"]
    ranked = {r["employee_id"] for r in doc["rows"] if r["status"] == "ranked"}
    assert len(hidden) == 1 and "K07" in ranked
    assert cli("rank", sheet, "-o", out, "-q", "--skip-hidden", "--force").exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "K07" not in {r["employee_id"] for r in doc["rows"]}
    assert doc["run"]["left_out_by_kind"] == {"hidden": 1}
