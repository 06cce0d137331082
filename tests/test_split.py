"""A big sheet read in pieces (io.split) reads and checks exactly as the sheet read whole."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import python_calamine as pc
import xlsxwriter

from conftest import CORPUS, R1_HEADER, cli
from svcperf.core import validate
from svcperf.io import split
from svcperf.io.cells import cell_errors
from svcperf.io.read import UnreadableFile, open_book, read_ahead, session
from svcperf.io.split import packages


@pytest.fixture
def tiny_pieces(monkeypatch: pytest.MonkeyPatch):
    """Cut every .xlsx sheet, however small, into about `n` pieces."""

    def cut_into(n: int) -> None:
        monkeypatch.setattr(split, "SPLIT_AT", 0)
        monkeypatch.setattr(split, "SHARED_SHARE", 0)
        monkeypatch.setattr(split, "PIECES", n)

    return cut_into


def read_in_pieces(path: Path, name: str) -> tuple[int, list[list[Any]], Any, Any]:
    """(pieces taken, grid, merged ranges, error cells) of a sheet read ahead in pieces."""
    with session():
        read_ahead(path, pieces=True)
        book = open_book(path)
        taken = sum(1 for _ in book.pieces(name))
        return taken, book.rows(name), book.merged(name), cell_errors(book, name)


def read_whole(path: Path, name: str) -> tuple[list[list[Any]], Any, Any]:
    sheet = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
    with session():
        book = open_book(path)
        errors = cell_errors(book, name)
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or []), errors


def odd_workbook(path: Path, constant_memory: bool = False) -> Path:
    """Shared or inline strings, a title merged over the header, data from column B, blank rows,
    dates, percents, a formula with its value, an error cell, a row wider than the others."""
    with xlsxwriter.Workbook(path, {"constant_memory": constant_memory,
                                    "strings_to_numbers": False}) as wb:
        ws = wb.add_worksheet("考核")
        pct = wb.add_format({"num_format": "0.00%"})
        day = wb.add_format({"num_format": "yyyy-mm-dd"})
        ws.merge_range(0, 1, 0, 4, "10月考核")
        ws.write_row(2, 1, ["工号", "姓名", "得分", "日期"])
        for i in range(300):
            r = 3 + i + (i // 50) * 2  # two blank rows after every 50
            ws.write_string(r, 1, f"E{i:05d}")
            ws.write_string(r, 2, "张三" if i % 3 else f"李四{i}")
            ws.write_number(r, 3, i / 300, pct)
            ws.write_datetime(r, 4, dt.datetime(2026, 1, 1) + dt.timedelta(days=i), day)
            if i == 120:
                ws.write_formula(r, 5, "=D1+1", None, 7)
            if i == 250:
                ws.write_formula(r, 6, "=1/0", None, "#DIV/0!")
    return path


@pytest.mark.parametrize("constant_memory", [False, True])
@pytest.mark.parametrize("n", [2, 3, 7, 40])
def test_pieces_read_as_the_whole_sheet(tmp_path: Path, tiny_pieces, constant_memory: bool,
                                        n: int) -> None:
    path = odd_workbook(tmp_path / "odd.xlsx", constant_memory)
    tiny_pieces(n)
    taken, grid, merged, errors = read_in_pieces(path, "考核")
    assert taken >= min(n, 3)  # it was read in pieces, not whole
    assert (grid, merged, errors) == read_whole(path, "考核")
    assert errors  # the error cell was found while cutting
    assert len({len(row) for row in grid}) == 1


def test_no_pieces_for_small_sheets_many_shared_strings_or_other_formats(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = odd_workbook(tmp_path / "odd.xlsx")
    assert packages(path, "考核") is None  # smaller than SPLIT_AT
    monkeypatch.setattr(split, "SPLIT_AT", 0)
    assert packages(path, "考核") is None  # each piece would read its 100 names again
    inline = odd_workbook(tmp_path / "inline.xlsx", constant_memory=True)
    assert packages(inline, "考核") is not None
    csv = tmp_path / "a.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    assert packages(csv, "a") is None


def edited(path: Path, change: Any) -> Path:
    """A copy of the workbook with its first sheet's XML changed."""
    out = path.with_name(f"edited-{path.name}")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, change(data) if info.filename.endswith("sheet1.xml")
                         else data)
    return out


def test_rows_without_numbers_are_never_cut_apart(tmp_path: Path, tiny_pieces) -> None:
    """calamine counts a row without r="…" from the one before, which a piece would not know."""
    plain = edited(odd_workbook(tmp_path / "odd.xlsx"),
                   lambda xml: re.sub(rb'(<row) r="\d+"', rb"\1", xml))
    tiny_pieces(7)
    taken, grid, merged, errors = read_in_pieces(plain, "考核")
    assert taken == 1
    assert (grid, merged, errors) == read_whole(plain, "考核")


def test_a_broken_piece_reads_the_sheet_whole_and_says_why(tmp_path: Path, tiny_pieces) -> None:
    broken = edited(odd_workbook(tmp_path / "odd.xlsx"),
                    lambda xml: xml.replace(b'<c r="B200"', b'<c r="B200" t="n"><v>x</v></c><c', 1))
    with pytest.raises(pc.CalamineError, match="invalid float"):
        read_whole(broken, "考核")  # calamine rejects the sheet whole
    tiny_pieces(5)
    with pytest.raises(UnreadableFile, match=r"sheet '考核' cannot be read .*invalid float"):
        read_in_pieces(broken, "考核")


@pytest.mark.parametrize("path", sorted(CORPUS.rglob("*.xlsx")), ids=lambda p: p.name)
def test_corpus_sheets_in_pieces(path: Path, tiny_pieces) -> None:
    tiny_pieces(4)
    try:
        names = pc.CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception:
        pytest.skip("calamine cannot open it whole either")
    for name in names:
        try:
            whole = read_whole(path, name)
        except Exception:
            continue
        assert read_in_pieces(path, name)[1:] == whole, name


def r1_rows(n: int) -> list[list[Any]]:
    rows: list[list[Any]] = [["10月考核"], [], R1_HEADER]
    for i in range(n):
        rows.append([f"E{i:04d}", f"经理{i}", "中心一", "ABC"[i % 3] + "类",
                     0.9 - i / 1000, 0.8, 0.7, i % 4, i % 2])
    return rows


def write_rows(path: Path, rows: list[list[Any]], merge: bool = False,
               notes_first: bool = False) -> Path:
    with xlsxwriter.Workbook(path) as wb:
        if notes_first:
            wb.add_worksheet("说明").write_row(0, 0, ["填表说明", "工号必填"])
        ws = wb.add_worksheet("考核")
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
        if merge:
            ws.merge_range(100, 2, 101, 2, "中心一")
    return path


@pytest.mark.parametrize("case", ["clean", "bad cells", "blank and totals rows", "merged",
                                  "notes sheet first"])
def test_validate_in_pieces_matches_whole(tmp_path: Path, tiny_pieces,
                                          monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """Two files: the first read ahead as the command starts, the second while the first is
    checked; the report is the same as when both are read whole."""
    rows = r1_rows(400)
    if case == "bad cells":
        rows[10][4], rows[200][7], rows[300][0], rows[350][3] = "九十", -1, "E0005", "D类"
        rows[390][4] = 93
    if case == "blank and totals rows":
        rows[150:150] = [[], []]
        rows.append(["合计", None, None, None, 0.8])
    path = write_rows(tmp_path / "r1.xlsx", rows, merge=case == "merged",
                      notes_first=case == "notes sheet first")
    second = write_rows(tmp_path / "second.xlsx", r1_rows(0) + r1_rows(300)[3:][::-1])
    used: list[int] = []
    real = validate.joined

    def spy(parts: list[Any]) -> Any:
        used.append(len(parts))
        return real(parts)

    monkeypatch.setattr(validate, "joined", spy)

    def run() -> tuple[int, str]:
        result = cli("validate", path, second, "-r", "tiered-service", "--format", "json")
        return result.exit_code, result.stdout

    whole = run()
    assert not used
    tiny_pieces(6)
    assert run() == whole
    assert len(used) == 9 * (1 + (case in ("clean", "bad cells")))  # pieces used where they fit
