"""Text from hostile or broken files: never a formula, never terminal control, never nonsense."""

from __future__ import annotations

import csv

from conftest import R1_HEADER, cli
from svcperf.text import column_letter

GOOD = ["城东", "A类", "95%", "90%", "100%", "0", "0"]


def csv_sheet(path, rows, encoding="utf-8"):
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding=encoding)
    return path


def test_terminal_escapes_in_cells_never_reach_the_terminal(tmp_path):
    evil = "\x1b[2J\x1b]8;;http://example.com\x07click\x1b]8;;\x07\x1b]0;title\x07"
    sheet = csv_sheet(tmp_path / "s.csv", [R1_HEADER[:7], ["E1", evil, *GOOD[:5]],
                                           ["E1", "李四", *GOOD[:5]]])
    result = cli("validate", sheet, "--rules", "tiered-service")
    assert result.exit_code == 1 and "\x1b" not in result.output and "\x07" not in result.output
    assert "duplicate-id" in result.output


def test_terminal_escapes_in_a_name_never_reach_the_terminal_through_explain(tmp_path):
    evil = "\x1b]0;PWNED\x07\x1b[2J蔡"
    sheet = csv_sheet(tmp_path / "s\x1b[2J.csv", [R1_HEADER[:7], ["E1", evil, *GOOD[:5]],
                                                 ["E2", "李四", *GOOD[:5]]])
    result = cli("explain", sheet, "E1", "--rules", "tiered-service")
    assert result.exit_code == 0, result.output
    assert "蔡" in result.output and "\x1b" not in result.output and "\x07" not in result.output
    other = tmp_path / "t.csv"
    other.write_bytes(sheet.read_bytes())
    batch = cli("rank", sheet, other, "--rules", "tiered-service", "--out-dir", tmp_path / "o")
    assert batch.exit_code == 0, batch.output
    assert "\x1b" not in batch.output  # the file name in the progress lines


def test_a_rule_set_name_with_markup_is_printed_as_it_is(tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("name: simple[/]\nfields:\n  a: {header: A, type: number}\n", "utf-8")
    result = cli("rules", "check", rules)
    assert result.exit_code == 0 and "simple[/]" in result.output


def test_an_unknown_header_that_looks_like_a_formula_is_defused_in_csv(tmp_path):
    sheet = csv_sheet(tmp_path / "s.csv", [[*R1_HEADER[:7], '=HYPERLINK("http://x")'],
                                           ["E1", "张三", *GOOD[:5], "x"]])
    out = tmp_path / "r.csv"
    assert cli("rank", sheet, "--rules", "tiered-service", "-o", out, "-q").exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert "'=HYPERLINK(\"http://x\")" in header and '=HYPERLINK("http://x")' not in header


def test_a_csv_mixing_utf8_and_gbk_is_refused_with_the_lines(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes((",".join(R1_HEADER[:7]) + "\n").encode("utf-8")
                     + ",".join(["E1", "张三", *GOOD[:5]]).encode("gbk") + b"\n")
    result = cli("validate", path, "--rules", "tiered-service")
    assert result.exit_code == 2
    assert "line 2 is not UTF-8 but line 1 is" in result.output


def test_a_gbk_csv_is_read(tmp_path):
    path = csv_sheet(tmp_path / "gbk.csv", [R1_HEADER[:7], ["E1", "张三", *GOOD[:5]]], "gbk")
    assert cli("validate", path, "--rules", "tiered-service").exit_code == 0


def test_a_csv_field_longer_than_the_csv_modules_default_is_read(tmp_path):
    long = "备" * (200 << 10)
    path = csv_sheet(tmp_path / "long.csv", [[*R1_HEADER[:7], "备注"],
                                              ["E1", "张三", *GOOD[:5], long]])
    result = cli("validate", path, "--rules", "tiered-service", "--format", "json")
    assert result.exit_code == 0, result.output[-300:]


def test_a_read_only_folder_is_one_plain_line(tmp_path):
    import os

    from conftest import EXAMPLES

    if os.geteuid() == 0:  # root writes anywhere: a path under a file cannot be made by anyone
        out = tmp_path / "a-file" / "r.xlsx"
        (tmp_path / "a-file").write_text("x")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        out = locked / "r.xlsx"
    result = cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "-q")
    assert result.exit_code == 2 and "cannot be written" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_a_drop_down_value_with_a_comma_or_quote_stays_one_option(tmp_path):
    import openpyxl

    rules = tmp_path / "r.yaml"
    rules.write_text('name: commas\nfields:\n  id: {header: 工号, type: text}\n'
                     '  kind: {header: 类型, type: text, allowed: ["a,b", "say \\"hi\\"", c]}\n'
                     '  short: {header: 级别, type: text, allowed: [x, y]}\n', "utf-8")
    out = tmp_path / "blank.xlsx"
    result = cli("template", "--rules", rules, "-o", out)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    checks = {str(v.sqref).split(":")[0]: v.formula1 for v in
              wb.worksheets[0].data_validations.dataValidation if v.type == "list"}
    assert checks["C2"] == '"x,y"'  # short and plain: listed inline
    assert checks["B2"] == "Lists!$A$1:$A$3"  # each value in a cell of the hidden sheet
    lists = wb["Lists"]
    assert [lists.cell(r, 1).value for r in (1, 2, 3)] == ["a,b", 'say "hi"', "c"]
    assert lists.sheet_state == "hidden"


def test_a_cell_longer_than_excel_holds_is_whole_in_csv_and_json_and_cut_with_a_warning(tmp_path):
    import json

    import openpyxl

    long_name, note = "张" * 40_000, "x" * 33_000
    sheet = csv_sheet(tmp_path / "s.csv", [[*R1_HEADER[:7], "备注"],
                                           ["E1", long_name, *GOOD[:5], note],
                                           ["E2", "李四", *GOOD[:5], "ok"]])
    before = sheet.read_bytes()
    outs = {s: tmp_path / f"out.{s}" for s in ("xlsx", "csv", "json")}
    for out in outs.values():
        result = cli("rank", sheet, "--rules", "tiered-service", "-o", out, "-q")
        assert result.exit_code in (0, 1), result.output
    data = json.loads(outs["json"].read_text("utf-8"))
    names = [r.get("name") or r.get("manager") for r in data["rows"]]
    assert long_name in json.dumps(data, ensure_ascii=False) and note in outs["csv"].read_text("utf-8")
    warned = {i["cell"]: i["message"] for i in data["issues"] if i["code"] == "long-text"}
    assert set(warned) == {"B2", "H2"} and "40,000 characters" in warned["B2"], (warned, names)
    wb = openpyxl.load_workbook(outs["xlsx"], read_only=True)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str) and c.startswith("张张")]
    assert cells and all(len(c) == 32_767 for c in cells)
    assert sheet.read_bytes() == before


def test_columns_beyond_what_a_result_sheet_holds_are_dropped_with_a_warning(tmp_path):
    import openpyxl

    from svcperf.api import rank_sheet
    from svcperf.io.write import write_result

    extra = [f"x{i}" for i in range(16_384 - 7)]
    sheet = csv_sheet(tmp_path / "wide.csv", [[*R1_HEADER[:7], *extra],
                                              ["E1", "张三", *GOOD[:5], *["1"] * len(extra)]])
    run, _ = rank_sheet(sheet, "tiered-service")
    dropped = [i for i in run.issues if i.code == "columns-dropped"]
    assert len(dropped) == 1 and "not in the results" in dropped[0].message
    kept = len(run.parts[0].table.extras)
    assert kept > 16_000 and dropped[0].cell == f"{column_letter(7 + kept)}1"
    out = write_result(run, tmp_path / "wide.xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert all(ws.max_column <= 16_384 for ws in wb.worksheets)


def test_people_named_total_with_ids_and_scores_are_ranked(tmp_path):
    import json

    rows = [R1_HEADER[:7], ["E1", "张三", *GOOD[:5]], ["E2", "合计", *GOOD[:5]],
            ["E3", "Total", "城东", "A类", "91%", "85%", "99%"], ["E4", "李四", *GOOD[:5]],
            ["合计", "", "", "", "372%", "350%", "399%"]]  # a totals row: no id, sums
    sheet = csv_sheet(tmp_path / "s.csv", rows)
    out = tmp_path / "s.json"
    result = cli("rank", sheet, "--rules", "tiered-service", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    ranked = {r["row"]: r["name"] for r in data["rows"] if r.get("rank") is not None}
    assert ranked == {2: "张三", 3: "合计", 4: "Total", 5: "李四"}
    assert [i["code"] for i in data["issues"] if i["code"] == "non-person-rows"]


def test_a_gbk_csv_whose_name_is_utf8_bytes_too_is_read(tmp_path):
    """郑伟 in GBK (D6 A3 CE B0) is valid UTF-8 for two Hebrew and Greek letters: the file was
    refused as mixing two encodings."""
    header = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"]
    path = csv_sheet(tmp_path / "gbk.csv", [header, ["A1", "张三", "East", "90", "85"],
                                            ["A2", "郑伟", "East", "91", "85"]], "gbk")
    assert b"A2,\xd6\xa3\xce\xb0,East" in path.read_bytes()
    result = cli("validate", path, "--rules", "ambassador-circle", "--format", "json")
    assert result.exit_code == 0, result.output[-300:]


def test_a_gbk_csv_with_a_line_of_accented_utf8_is_refused_not_garbled(tmp_path):
    """José Martín appended in UTF-8 to GBK lines became Jos茅 Mart铆n, ranked, exit 0."""
    header = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"]
    path = tmp_path / "mixed.csv"
    path.write_bytes(("\n".join(",".join(r) for r in [header, ["A1", "张三", "East", "90", "85"]])
                      + "\n").encode("gbk") + "A2,José Martín,East,91,85\n".encode())
    result = cli("validate", path, "--rules", "ambassador-circle")
    assert result.exit_code == 2 and "the file mixes two text encodings" in result.output
