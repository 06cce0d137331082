"""Limits checked from what a package really holds: a zip directory that lies about sizes, a
sheet whose cells span more than the cell limit, whatever the part's size or writer."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from svcperf.io import package
from test_hostile_packages import run, with_sheet

HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><sheetData>')
TAIL = "</sheetData></worksheet>"


def lying(path: Path, member: str, size: int, claim: int) -> Path:
    """The shipped example with one part replaced by `size` spaces, its size in the central
    directory rewritten to `claim` bytes (the ratio then looks harmless)."""
    with zipfile.ZipFile(EXAMPLES / "tiered-service.xlsx") as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item, src.read(item.filename))
        with dst.open(member, "w") as out:
            for _ in range(size >> 20):
                out.write(b" " * (1 << 20))
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    while True:  # find the member's central directory entry and rewrite its size
        name_length, = struct.unpack_from("<H", data, central + 28)
        extra, comment = struct.unpack_from("<HH", data, central + 30)
        if data[central + 46:central + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, central + 24, claim)
            break
        central += 46 + name_length + extra + comment
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("member, command", [("xl/sharedStrings.xml", "validate"),
                                             ("xl/worksheets/sheet1.xml", "rank")])
def test_a_directory_that_lies_about_sizes_is_caught_while_inflating(tmp_path, member, command):
    path = lying(tmp_path / "liar.xlsx", member, 80 << 20, 4000)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(member).file_size == 4000  # what the directory claims
    before = path.read_bytes()
    out = ["--out", tmp_path / "o.xlsx"] if command == "rank" else []
    done = run(command, path, "--rules", "tiered-service", *out, env={"SVCPERF_MAX_PART_MIB": "64"})
    assert done.returncode == 2, done.stderr[-400:]
    assert f"says {member} inflates to 4,000 bytes but it inflates to more" in \
        done.stdout + done.stderr
    assert "Traceback" not in done.stderr and path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liar.xlsx"]


def span_of(sheet: str, tmp_path: Path) -> str | None:
    path = with_sheet(tmp_path / "s.xlsx", HEAD + sheet + TAIL)
    with path.open("rb") as raw, zipfile.ZipFile(raw) as zf:
        return package.sheet_over(zf, raw, "10月考核")


@pytest.mark.parametrize("cells", [
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>',  # in one row
    '<row r="1"><c r="xfd1048576"><v>1</v></c><c r="A1"/></row>',  # lower case, empty cell
    '<row r="1"><c s="0" r="XFD1"/></row><row r="1048576"><c r="A1048576"/></row>',  # r not first
    "<row r='1'><c r='A1'/></row><row r='1048576'><c r='XFD1048576'/></row>",  # single quotes
    '<row r="1"><x:c xmlns:x="urn:x" r="A1"/></row><row r="1048576"><x:c xmlns:x="urn:x" '
    'r="XFD1048576"/></row>',  # any prefix
    '<row r="1048576"><c><v>1</v></c></row><row r="1">' + "<c/>" * 16384 + "</row>",  # no r
    '<row r="1"><c r="A1"/><c r="Z0009999999"/></row>',  # zeros
])
def test_cells_far_apart_are_found_however_they_are_written(tmp_path, cells):
    why = span_of(cells, tmp_path)
    assert why is not None and "SVCPERF_MAX_CELLS" in why


@pytest.mark.parametrize("cells", [
    '<row r="1"><c r="A1"/><c r="Z1153846"/></row>',  # 26 × 1,153,846 ≤ 30,000,000
    '<row r="1"><c r="A1"/></row><row r="2"><c s="1" r="ZZ2"/></row>',  # unusual, but small
    '<row r="1"><c r="A1" t="inlineStr"><is><t>r="XFD1048576"</t></is></c></row>',  # text
])
def test_a_sheet_within_the_cell_limit_is_read(tmp_path, cells):
    assert span_of(cells, tmp_path) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 1_100_000), st.integers(1, 16384)), min_size=1,
                max_size=6), st.integers(1, 40))
def test_the_quick_look_agrees_with_a_parse(cells, block):
    """Whatever the cells and wherever the blocks are cut, the quick look is never sure of a
    span within the limit when the parsed cells span more."""
    xml = (HEAD + "".join(f'<row r="{r}"><c r="{package._letters(c)}{r}"><v>1</v></c></row>'
                          for r, c in cells) + TAIL).encode()
    rows, cols = [r for r, _ in cells], [c for _, c in cells]
    parsed = (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
    assert package._parsed_span(io.BytesIO(xml)) == parsed
    span = package._Span()
    for start in range(0, len(xml), block):
        span.feed(xml[start:start + block])
    span.close()
    if parsed > package.limit("cells"):
        assert span.unsure


def test_merged_ranges_laid_over_one_another_are_refused(tmp_path):
    merges = "".join(f'<mergeCell ref="A1:CV{r}"/>' for r in range(2, 1002))  # one over another
    sheet = (HEAD + '<row r="1"><c r="A1"><v>1</v></c></row><row r="1001"><c r="CV1001"><v>1</v>'
             f'</c></row></sheetData><mergeCells count="1000">{merges}</mergeCells></worksheet>')
    path = with_sheet(tmp_path / "merged.xlsx", sheet)
    done = run("validate", path, "--rules", "tiered-service", "--format", "json")
    assert done.returncode == 2, done.stderr[-300:]
    assert "merged ranges of sheet '10月考核' cover 50,150,000 cells" in done.stdout + done.stderr
    assert "SVCPERF_MAX_CELLS" in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_deep_nesting_in_a_rule_file_is_refused_at_once(tmp_path):
    import time

    rules = tmp_path / "deep.yaml"
    rules.write_text("name: deep\nfields: " + "[" * 20_000 + "]" * 20_000 + "\n", "utf-8")
    start = time.perf_counter()
    done = run("rules", "check", rules)
    assert done.returncode == 2 and "nested too deeply" in done.stdout + done.stderr
    assert time.perf_counter() - start < 10 and "Traceback" not in done.stderr
    from svcperf.rules.load import RulesError, parse_rules
    start = time.perf_counter()
    with pytest.raises(RulesError, match="nested too deeply"):
        parse_rules(rules.read_text("utf-8"))
    assert time.perf_counter() - start < 0.3  # the parser took 1.3 s to say so


def test_block_sequences_nested_deep_on_one_line_are_refused_not_crashed():
    """'- - - ... x' nests 200,000 sequences in 400 KB without one bracket; libyaml's
    composer (ruamel.yaml.clib) recursed in C on it and the process died (signal 11)."""
    import time

    from svcperf.rules.load import RulesError, parse_rules
    start = time.perf_counter()
    with pytest.raises(RulesError, match="nested too deeply"):
        parse_rules("name: deep\nfields:\n" + "- " * 200_000 + "x\n")
    assert time.perf_counter() - start < 2


def test_a_limit_is_raised_with_a_flag_and_a_bad_one_is_a_plain_error(tmp_path):
    from test_hostile_packages import far_cells

    path = far_cells(tmp_path / "far.xlsx")
    refused = run("validate", path, "--rules", "tiered-service", "--format", "json")
    assert refused.returncode == 2 and "svcperf --limit cells=N" in refused.stdout
    raised = run("--limit", "cells=17179869184", "--limit", "member=2048", "validate", path,
                 "--rules", "tiered-service", "--format", "json", env={"RUST_BACKTRACE": "0"})
    assert "over the limit" not in raised.stdout  # the reader is let at it (and may abort)
    for bad, words in (("cell=5", "no limit named 'cell'"), ("cells=-1", "a whole number above"),
                       ("cells=0", "above 0"), ("cells=99999999999999999999",
                                                "too large; give a whole number of 99,999,999,999"),
                       ("cells=" + "9" * 5000, "too large")):
        done = run("--limit", bad, "validate", path)
        assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
    zh = run("--limit", "cells=x", "validate", path, "--lang", "zh")
    assert "--limit cells=x：不是大于 0 的整数；请给出一个" in zh.stderr


def test_small_parts_that_lie_together_past_the_package_limit_are_caught(tmp_path):
    path = lying(tmp_path / "liar.xlsx", "xl/sharedStrings.xml", 8 << 20, 4000)
    with path.open("rb") as raw, zipfile.ZipFile(raw) as zf:
        assert package.over_limits(zf, raw) is None  # 8 KiB deflated: under the part limit
    done = run("validate", path, "--rules", "tiered-service", env={"SVCPERF_MAX_PACKAGE_MIB": "2"})
    assert done.returncode == 2 and "inflates to 4,000 bytes but" in done.stdout + done.stderr


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2_000_000), st.integers(1, 2_000_000), st.booleans())
def test_the_quick_box_holds_exactly_the_numbers_up_to_its_bound(value, number, digits):
    """_upto is the quick look's box: a number (row digits, or column letters in upper case)
    matches it exactly when it is at most the bound; leading zeros and lower case never do."""
    import re

    written = str(number) if digits else package._letters(number)
    box = re.compile(package._upto(value, digits) + rb"\Z")
    assert bool(box.match(written.encode())) == (number <= value)
    assert not box.match(("0" + written if digits else written.lower()).encode())


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40_000_000), st.integers(1, 800), st.integers(1, 20_000_000))
def test_the_quickest_look_passes_only_cells_inside_the_box(deep, column, row):
    """_plain, tried before the quick look, lets a cell by only when it is within columns A-Z
    (inside any box, each being 26 or more wide) and the box's `deep` rows."""
    plain = package._plain(deep)
    tag = f'<c r="{package._letters(column)}{row}"/>'.encode()
    if plain is not None and not plain.search(tag):
        assert column <= 26 and row <= deep
    if plain is not None and column <= 26 and row < 10 ** (len(str(deep)) - 1):
        assert not plain.search(tag)  # the cells of most sheets pass it


def test_a_sheet_over_the_limit_is_refused_when_read_not_the_workbook(tmp_path):
    """The limits are checked for every sheet before any is parsed, but a refused sheet
    refuses only itself: the other sheets of the workbook are read."""
    import xlsxwriter

    from svcperf.io.read import UnreadableFile, open_book

    path = tmp_path / "two.xlsx"
    with xlsxwriter.Workbook(str(path)) as wb:
        wb.add_worksheet("kept").write("A1", "工号")
        wb.add_worksheet("far").write("A1", 1)
    far = (HEAD + '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576">'
           "<v>2</v></c></row>" + TAIL)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, far if item.filename == "xl/worksheets/sheet2.xml"
                         else src.read(item.filename))
    book = open_book(path).prefetch()
    assert book.rows("kept") == [["工号"]]
    with pytest.raises(UnreadableFile, match="SVCPERF_MAX_CELLS"):
        book.rows("far")


def _inflated(path: Path) -> dict[str, bytes]:
    """Each part of a package as the limits check inflates it (package._blocks, with isal's
    inflater), for comparing with the standard library's zipfile."""
    with path.open("rb") as raw, zipfile.ZipFile(raw) as zf:
        return {item.filename: b"".join(package._blocks(zf, raw, item)) for item in zf.infolist()}


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.xlsx")))
def test_the_limits_check_inflates_every_part_as_zipfile_does(example):
    path = EXAMPLES / example
    with zipfile.ZipFile(path) as zf:
        assert _inflated(path) == {name: zf.read(name) for name in zf.namelist()}


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=1 << 16) | st.text(alphabet="<c r=\"A1\"/>0123456789 ",
                                                  max_size=1 << 18).map(str.encode),
       level=st.integers(0, 9), stored=st.booleans())
def test_the_limits_check_inflates_any_part_as_zipfile_does(data, level, stored):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                         compresslevel=None if stored else level) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", data)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as zf:
        item = zf.infolist()[0]
        assert b"".join(package._blocks(zf, buffer, item)) == data


def test_a_broken_deflate_stream_is_a_package_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", HEAD + '<row r="1"><c r="A1"/></row>' * 500 + TAIL)
    data = bytearray(path.read_bytes())
    start = data.index(b"sheet1.xml") + len(b"sheet1.xml")
    data[start + 20:start + 60] = b"\xff" * 40  # garbage inside the compressed bytes
    path.write_bytes(bytes(data))
    with path.open("rb") as raw, zipfile.ZipFile(raw) as zf, pytest.raises(package.PACKAGE_ERRORS):
        b"".join(package._blocks(zf, raw, zf.infolist()[0]))


@pytest.mark.parametrize("text, words", [
    ("工号,姓名,服务中心,满意度得分,客诉控制得分" + "," * 31_000_000 + "\nA1,a,c,90,80\n",
     "spans 31,000,010 cells, over the limit of 30,000,000"),
    ("工号,姓名,服务中心,满意度得分,客诉控制得分" + ",x" * 20_000 + "\nA1,a,c,90,80\n",
     "line 1 has 20,005 fields; a sheet holds at most 16,384 columns"),
    ("工号,姓名,服务中心,满意度得分,客诉控制得分\nA1,a,c,90,80\n" + "\n" * 2_000_000 +
     "A2,b,c,80,80\n", "2,000,003 rows; a sheet holds at most 1,048,576 (Excel's limit)"),
    ('工号,姓名,服务中心,满意度得分,客诉控制得分\nA1,"a\nb",c,90,80\n' + "\n" * 1_100_000 +
     "A2,b,c,80,80\n", "1,100,003 rows; a sheet holds at most 1,048,576"),
], ids=["cells", "columns", "rows", "quoted-rows"])
def test_a_csv_past_a_sheets_bounds_is_refused_quickly(tmp_path, text, words):
    """A CSV of 31 million commas was never refused (it ran past 20 s); 20,000 fields on a
    line went on to be matched against the rule set's headers one by one; 2 million empty
    lines between two people (2 MB) took 4 s and 0.75 GiB to be left out one by one."""
    import time

    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    done = run("validate", path, "--rules", "ambassador-circle")
    assert done.returncode == 2 and words in done.stderr, done.stderr[-300:]
    assert time.perf_counter() - start < 5 and "Traceback" not in done.stderr


def test_empty_fields_at_the_end_of_csv_lines_are_blank_columns(tmp_path):
    """Excel saves a sheet's blank formatted columns as ,,,: 3 million of them took 10 s."""
    import time

    path = tmp_path / "trailing.csv"
    path.write_text("工号,姓名,服务中心,满意度得分,客诉控制得分" + "," * 3_000_000 +
                    "\nA1,a,c,90,80,,,\n", encoding="utf-8")
    start = time.perf_counter()
    done = run("validate", path, "--rules", "ambassador-circle", "--format", "json")
    assert done.returncode == 0, done.stderr[-300:]
    assert time.perf_counter() - start < 5 and '"rows": 1' in done.stdout


def test_empty_lines_at_the_end_of_a_csv_are_no_rows(tmp_path):
    """A workbook has no rows below its last cell; a CSV's empty lines at the end were read as
    rows (2 million of them: 4 s, 0.6 GiB) and counted against a sheet's rows."""
    import time

    path = tmp_path / "tail.csv"
    path.write_text("工号,姓名,服务中心,满意度得分,客诉控制得分\nA1,a,c,90,80\n" + "\r\n" * 1_000_000
                    + ",,,\n" * 100_000, encoding="utf-8")
    start = time.perf_counter()
    done = run("validate", path, "--rules", "ambassador-circle", "--format", "json")
    assert done.returncode == 0, done.stderr[-300:]
    assert time.perf_counter() - start < 5 and '"rows": 1' in done.stdout
    assert '"notices": 0' in done.stdout  # no 1,100,000 blank rows left out


def test_quoted_delimiters_and_crlf_line_ends_are_not_counted_as_cells(tmp_path):
    """A 66-cell CRLF file with a quoted note of commas was refused as 157 cells under
    --limit cells=80 (CRLF counted twice, the quoted commas as cells)."""
    rows = ["工号,姓名,服务中心,满意度得分,客诉控制得分,备注",
            *[f'A{i},n,c,90,80,"a,b,c,d,e,f,g,h,i,j"' for i in range(10)]]
    path = tmp_path / "crlf.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode())
    done = run("--limit", "cells=80", "validate", path, "--rules", "ambassador-circle")
    assert done.returncode == 0, done.stderr[-300:]
    refused = run("--limit", "cells=60", "validate", path, "--rules", "ambassador-circle")
    assert refused.returncode == 2 and "over the limit of 60 cells" in refused.stderr


def test_a_sheet_with_more_cells_in_error_than_the_limit_is_refused_before_its_issues(tmp_path):
    """200,000 rows each with two cells out of range held 400,000 issues: rank took 59 s and
    7.6 GB. Past the declared limit the sheet is refused, in bounded memory (run's rlimit)."""
    header = ("工号,客户经理,中心,集团类型,客户经理知晓率,客户经理满意率,优惠活动知晓率,"
              "网络弱覆盖次数,业务办理超时次数\n")
    path = tmp_path / "bad.csv"
    path.write_text(header + "".join(f"E{i:06d},x,要客,A类,150%,0.85,1.0,-1,0\n"
                                     for i in range(30_000)), encoding="utf-8")
    for command in ("validate", "rank"):
        done = run(command, path, "--rules", "tiered-service",
                   env={"SVCPERF_MAX_ERRORS": "25000"})
        assert done.returncode == 2, done.stderr[-300:]
        assert "more than 25,000 cells in error (the first: E2 " in (done.stdout + done.stderr)
        assert "--limit errors=N" in done.stdout + done.stderr and "Traceback" not in done.stderr
    done = run("validate", path, "--rules", "tiered-service", "--max-issues", "1",
               env={"SVCPERF_MAX_ERRORS": "60000"})  # at the limit: every one is reported
    assert done.returncode == 1 and "60000 errors" in done.stdout, done.stdout[-300:]
