"""The bulk row writer (io.xlsx) against XlsxWriter's public cell path: equal cell for cell."""

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from svcperf.api import rank_sheet
from svcperf.io.write import write_result
from svcperf.io.xlsx import Column, Workbook

KINDS = ["text", "number", "percent", "int", "grade", "pct_points", "score"]


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cells as (coordinate, value, data type, number format), blanks left out.

    Types and formats as openpyxl reads them; values as calamine (svcperf's reader) does,
    because openpyxl leaves Excel's _xHHHH_ escapes in inline strings as they are.
    """
    wb = openpyxl.load_workbook(path)
    values = python_calamine.CalamineWorkbook.from_path(str(path))
    out = {}
    for ws in wb.worksheets:
        grid = values.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        out[ws.title] = [(c.coordinate, grid[c.row - 1][c.column - 1], c.data_type,
                          c.number_format)
                         for row in ws.iter_rows() for c in row if c.value is not None]
    return out


def both_ways(tmp_path: Path, write: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    bulk, plain = tmp_path / "bulk.xlsx", tmp_path / "plain.xlsx"
    write(bulk, True)
    write(plain, False)
    return cells(bulk), cells(plain)


VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    st.sampled_from(["=SUM(A1)", "http://example.com", "A&B<c>", " edge ", "_x0041_", "张三",
                     "line\nbreak", "00124", "1e5", "x" * 40000]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.tuples(st.sampled_from(KINDS), st.lists(VALUE, min_size=3, max_size=3)),
                      min_size=1, max_size=6), precision=st.integers(0, 3))
def test_generated_tables_read_back_the_same(tmp_path, table, precision):
    columns = [Column(f"k{i}", f"列{i}", kind) for i, (kind, _) in enumerate(table)]
    values = [list(v) for _, v in table]

    def write(path: Path, bulk: bool) -> None:
        book = Workbook(path, precision, bulk)
        book.table("T", columns, values, ["A", "B"])
        book.close()

    bulk, plain = both_ways(tmp_path, write)
    assert bulk == plain


@pytest.mark.parametrize("sheet", sorted(EXAMPLES.glob("*.xlsx")), ids=lambda p: p.name)
def test_every_example_writes_the_same_both_ways(tmp_path, sheet):
    params = {"month": "9"} if sheet.stem == "data-submission" else {}
    run, _ = rank_sheet(sheet, None, params)

    def write(path: Path, bulk: bool) -> None:
        write_result(run, path, bulk=bulk)

    bulk, plain = both_ways(tmp_path, write)
    assert bulk == plain and bulk


@pytest.mark.parametrize("sheet", ["tiered-service", "gas-service-center"])
def test_every_column_format_has_its_own_style(tmp_path, sheet):
    """Score and number columns share '0.00' (precision 2): both must carry it."""
    run, _ = rank_sheet(EXAMPLES / f"{sheet}.xlsx")
    out = write_result(run, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    for label in ("得分", "系数"):
        if label in header:
            col = header.index(label) + 1
            shown = {ws.cell(r, col).number_format for r in range(2, ws.max_row + 1)
                     if ws.cell(r, col).value is not None}
            assert shown == {"0.00"}, label
