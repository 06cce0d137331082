"""An .ods sheet's used range, measured from content.xml before calamine opens the file (it
reads every sheet when it opens one): the span calamine builds, and a crafted file refused at
once (2 KB that made calamine fill 90 million cells: 6.4 GB and 19 s)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, ROOT
from svcperf.io import ods
from test_hostile_packages import run

HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:'
        'names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:'
        'xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet>')
TAIL = "</office:spreadsheet></office:body></office:document-content>"
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
            'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>")


def ods_file(path: Path, tables: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", HEAD + "".join(f'<table:table table:name="{name}">{rows}'
                                                 "</table:table>" for name, rows in tables.items())
                   + TAIL)
        z.writestr("META-INF/manifest.xml", MANIFEST)
    return path


def cell(kind: str, repeat: int) -> str:
    """A cell: empty, a number, or a text; repeated `repeat` times."""
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if kind == "empty":
        return f"<table:table-cell{rep}/>"
    if kind == "number":
        return (f'<table:table-cell{rep} office:value-type="float" office:value="7">'
                "<text:p>7</text:p></table:table-cell>")
    return f'<table:table-cell{rep} office:value-type="string"><text:p>x</text:p></table:table-cell>'


def calamine_spans(path: Path) -> dict[str, int]:
    book = pc.CalamineWorkbook.from_path(str(path))
    return {name: (lambda s: s.height * s.width)(book.get_sheet_by_name(name))
            for name in book.sheet_names}


def test_the_span_of_a_real_file_is_the_one_calamine_builds():
    path = ROOT / "tests" / "data" / "formats" / "layout.ods"  # saved by LibreOffice
    assert ods.spans(path) == calamine_spans(path)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 300),  # rows repeated
                          st.lists(st.tuples(st.sampled_from(["empty", "number", "text"]),
                                             st.integers(1, 60)), max_size=5)),
                min_size=1, max_size=8))
def test_generated_sheets_span_what_calamine_builds(tmp_path_factory, rows):
    body = "".join(f'<table:table-row{f" table:number-rows-repeated={chr(34)}{r}{chr(34)}" if r > 1 else ""}>'
                   + "".join(cell(k, n) for k, n in cells) + "</table:table-row>" for r, cells in rows)
    path = ods_file(tmp_path_factory.mktemp("ods") / "g.ods", {"S": body})
    assert ods.spans(path) == calamine_spans(path)


def test_empty_rows_repeated_between_two_values_are_refused_at_once(tmp_path):
    rows = (f'<table:table-row>{cell("number", 1)}</table:table-row>'
            '<table:table-row table:number-rows-repeated="900000">'
            '<table:table-cell table:number-columns-repeated="100"/></table:table-row>'
            f'<table:table-row>{cell("empty", 99)}{cell("number", 1)}</table:table-row>')
    path = ods_file(tmp_path / "bomb.ods", {"成绩": rows})
    assert path.stat().st_size < 4 << 10
    done = run("validate", path, "--rules", "tiered-service")  # under a memory limit
    assert done.returncode == 2, done.stderr[-400:]
    text = done.stdout + done.stderr
    assert "sheet '成绩' spans 90,000,200 cells" in text and "SVCPERF_MAX_CELLS" in text
    assert "Traceback" not in text


def test_a_sheet_of_the_corpus_over_every_limit_is_refused_by_its_span():
    assert ods.spans(CORPUS / "calamine" / "issue_594_dos.ods")["Sheet1"] > 10 ** 17


def test_percentage_cells_are_found_by_row_and_column_and_repeats_cost_nothing(tmp_path):
    pct = ('<table:table-cell{rep} office:value-type="percentage" office:value="0.95">'
           "<text:p>95%</text:p></table:table-cell>")
    rows = ("<table:table-row>" + cell("text", 1) + pct.format(rep="") + "</table:table-row>"
            '<table:table-row table:number-rows-repeated="3">' + cell("number", 2)
            + "</table:table-row>"
            '<table:table-row table:number-rows-repeated="1000000000">' + cell("empty", 1)
            + pct.format(rep=' table:number-columns-repeated="1000000000"') + "</table:table-row>")
    path = ods_file(tmp_path / "p.ods", {"Other": rows.replace("percentage", "float"), "S": rows})
    assert ods.percent_rows(path, "S", {1, 3}, 8) == {1: {1, 5, 6, 7, 8}, 3: {5, 6, 7, 8}}
    assert ods.percent_rows(path, "Other", {1}, 8) == {1: set()}
    assert ods.percent_rows(path, "S", set(), 8) == {}
