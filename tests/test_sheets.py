"""Which rows are people and which sheets hold them: the cases a review found risky."""

import json

import openpyxl
import xlsxwriter

from conftest import R1_HEADER, cli, write_xlsx

R2_HEADER = ["中心", "客户经理", "A类集团数", "已报"]
GOOD = ["城东", "A类", 0.95, 0.9, 1.0, 0, 0]


def r1_sheets(path, sheets):
    """A workbook of R1 sheets, {name: ids}: each a header and one good row per id."""
    with xlsxwriter.Workbook(path) as wb:
        for name, ids in sheets.items():
            ws = wb.add_worksheet(name)
            ws.write_row(0, 0, R1_HEADER)
            for r, ident in enumerate(ids, start=1):
                ws.write_row(r, 0, [ident, "张三", *GOOD])
    return path


def ranked(path, tmp_path, *args):
    out = tmp_path / "out.json"
    result = cli("rank", path, "-o", out, "-q", *args)
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    return result.exit_code, doc


def test_english_names_holding_sum_or_mean_are_people(tmp_path):
    """In R2 the name is the id: 'Su Ming' folds to 'suming', which holds no word 'sum'."""
    path = write_xlsx(tmp_path / "r2.xlsx", [R2_HEADER, ["东", "Su Ming", 3, 2],
                                             ["东", "Meany Li", 4, 4], ["东", "Sumner", 5, 5],
                                             ["东", "平均", 4, 3.67]])
    code, doc = ranked(path, tmp_path, "--rules", "data-submission", "--month", "9")
    names = {r["name"] for r in doc["rows"] if r["status"] == "ranked"}
    assert code == 0 and names == {"Su Ming", "Meany Li", "Sumner"}
    assert doc["run"]["left_out_by_kind"] == {"average": 1}


def test_a_template_sheet_with_the_full_header_does_not_hide_the_data(tmp_path):
    """The data sheet lacks an optional column the empty template has: the data is read."""
    path = tmp_path / "t.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        wb.add_worksheet("模板").write_row(0, 0, R1_HEADER)
        data = wb.add_worksheet("10月")
        data.write_row(0, 0, R1_HEADER[:-1])
        data.write_row(1, 0, ["E1", "张三", *GOOD[:-1]])
    code, doc = ranked(path, tmp_path)
    assert code == 0 and [r["employee_id"] for r in doc["rows"] if r["status"] == "ranked"] == ["E1"]


def test_sheets_with_people_and_different_optional_columns_are_read_together(tmp_path):
    path = tmp_path / "two.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        a = wb.add_worksheet("城东, 城西")  # a comma in a sheet name is only a name
        a.write_row(0, 0, [*R1_HEADER, "备注"])
        a.write_row(1, 0, ["E1", "张三", *GOOD, "新"])
        b = wb.add_worksheet("城北")
        b.write_row(0, 0, R1_HEADER[:-1])
        b.write_row(1, 0, ["E2", "李四", "城北", *GOOD[1:-1]])
    code, doc = ranked(path, tmp_path)
    rows = {r["employee_id"]: r for r in doc["rows"] if r["status"] == "ranked"}
    assert code == 0 and set(rows) == {"E1", "E2"}
    assert rows["E1"]["extra"]["备注"] == "新" and rows["E2"]["late_cases"] == 0


def test_a_sheet_with_people_that_is_not_read_is_a_warning(tmp_path):
    path = tmp_path / "w.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        good = wb.add_worksheet("城东")
        good.write_row(0, 0, R1_HEADER)
        good.write_row(1, 0, ["E1", "张三", *GOOD])
        odd = wb.add_worksheet("城西")
        odd.write_row(0, 0, [h for h in R1_HEADER if h != "集团类型"])
        odd.write_row(1, 0, ["E2", "李四", "城西", 0.9, 0.9, 1.0, 0, 0])
    _, doc = ranked(path, tmp_path)
    [issue] = [i for i in doc["issues"] if i["sheet"] == "城西"]
    assert issue["code"] == "people-sheet-skipped" and issue["severity"] == "warning"
    assert "group_class" in issue["message"]


def test_a_repeated_header_below_a_two_row_header_keeps_the_people_above(tmp_path):
    top = ["工号", "客户经理", "中心", "集团类型", "考核指标", "", "", "扣分项", ""]
    sub = ["", "", "", "", "客户经理知晓率", "客户经理满意率", "优惠活动知晓率", "网络弱覆盖次数",
           "业务办理超时次数"]
    people = [[f"E{i}", f"人{i}", *GOOD] for i in range(1, 4)]
    later = [[f"E{i}", f"人{i}", *GOOD] for i in range(4, 6)]
    path = write_xlsx(tmp_path / "h.xlsx", [top, sub, *people, R1_HEADER, *later])
    code, doc = ranked(path, tmp_path)
    ids = sorted(r["employee_id"] for r in doc["rows"] if r["status"] == "ranked")
    assert code == 0 and ids == ["E1", "E2", "E3", "E4", "E5"]
    assert doc["run"]["left_out_by_kind"] == {"header": 1}


def test_a_repeated_header_in_another_column_order_refuses_the_sheet(tmp_path):
    """A block below a header copied with two columns swapped would be read with the first
    header's columns (customer satisfaction scored as awareness): the sheet cannot be used."""
    swapped = [0, 1, 3, 2, 5, 4, 6, 7, 8]  # 中心 and 集团类型, two rates swapped
    header = [R1_HEADER[i] for i in swapped]
    later = [[["E9", "人9", *GOOD][i] for i in swapped]]
    path = write_xlsx(tmp_path / "h.xlsx", [R1_HEADER, ["E1", "人1", *GOOD], [], header, *later])
    result = cli("validate", path, "--format", "json")
    [issue] = [i for i in json.loads(result.output)["issues"] if i["code"] == "moved-header"]
    assert result.exit_code == 2 and issue["cell"] == "C4" and issue["severity"] == "error"
    assert "row 4 repeats the header" in issue["message"] and "column D" in issue["message"]
    assert cli("rank", path, "-o", tmp_path / "r.json").exit_code == 2


def test_sheets_read_together_are_named_in_the_workbooks_language(tmp_path):
    import openpyxl

    path = r1_sheets(tmp_path / "two.xlsx", {"城东": ["E1"], "城西": ["E2"]})
    out = tmp_path / "r.xlsx"
    assert cli("rank", path, "-o", out, "-q").exit_code == 0
    header = [c.value for c in openpyxl.load_workbook(out)["考核结果"][1]]
    assert "工作表" in header and "原行号" in header and "Sheet" not in header


def test_a_title_in_a_table_of_ids_alone_is_left_out():
    """With the id the only matched column there is nothing to compare a label with: every
    row is looked at, so a title among the ids is not ranked."""
    from svcperf.core.table import locate
    from svcperf.rules.load import load_rules

    part = load_rules("ambassador-circle").parts[0]
    ids = [[f"E{i:04d}", ""] for i in range(1, 13)]
    grid = [["工号", "备注"], *ids[:6], ["三月报告", ""], *ids[6:]]
    table = locate(grid, part, "f.xlsx", "S")
    assert table.left_out == {"title": [8]} and len(table.rows) == 12


def _months(path, visible_too=True):
    """A workbook with last month's sheet hidden (8月) and this month's visible (9月), or
    with only an instructions sheet (说明) visible beside 8月."""
    with xlsxwriter.Workbook(path) as wb:
        if not visible_too:
            wb.add_worksheet("说明").write(0, 0, "每月填写")
        for name, base in (("8月", 70), ("9月", 90))[:2 if visible_too else 1]:
            ws = wb.add_worksheet(name)
            ws.write_row(0, 0, R1_HEADER)
            for i in range(3):
                ws.write_row(i + 1, 0, [f"E{i}", f"n{i}", "城东", "A类", (base + i) / 100,
                                        0.9, 1.0, 0, 0])
            if name == "8月":
                ws.hide()
            else:
                ws.activate()
    return path


def test_a_hidden_sheet_beside_a_visible_one_is_not_read(tmp_path):
    """A hidden 8月 kept beside 9月 was read with it: August ranked, September's every row
    rejected as a duplicate id, with --skip-hidden too."""
    path = _months(tmp_path / "m.xlsx")
    for extra in ([], ["--skip-hidden"]):
        code, doc = ranked(path, tmp_path, "--rules", "tiered-service", "--force", *extra)
        assert code == 0 and doc["run"]["sheets_read"] == ["9月"]
        assert sorted(r["awareness"] for r in doc["rows"]) == [0.90, 0.91, 0.92]
        said = [i["message"] for i in doc["issues"] if i["sheet"] == "8月"]
        assert said == ["sheet '8月' was not read: a hidden sheet (--skip-hidden)"] if extra else \
            ["sheet '8月' holds people but was not read: a hidden sheet, beside visible ones "
             "holding the table (unhide it to read it too)"]


def test_a_hidden_sheet_alone_is_read_unless_skip_hidden(tmp_path):
    path = _months(tmp_path / "m.xlsx", visible_too=False)
    _, doc = ranked(path, tmp_path, "--rules", "tiered-service")
    assert doc["run"]["sheets_read"] == ["8月"] and len(doc["rows"]) == 3
    refused = cli("rank", path, "--rules", "tiered-service", "-o", tmp_path / "x.json",
                  "--skip-hidden")
    assert refused.exit_code == 2 and not (tmp_path / "x.json").exists()


def test_rows_of_sheets_read_together_are_their_own_sheets_rows(tmp_path):
    """东区 and 西区 under a title, header on row 3: a row is named by its sheet and its row
    there, in the terminal, JSON, the Rejected sheet (in the book's language) and explain."""
    path = tmp_path / "two.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        for name, first in (("东区", 1), ("西区", 11)):
            ws = wb.add_worksheet(name)
            ws.write(0, 0, f"{name} 考核表")
            ws.write_row(2, 0, R1_HEADER)
            for k in range(4):
                pid = first + k
                ws.write_row(3 + k, 0, [f"E{pid:03d}", "x", name, "A类", 93 if pid == 13 else 0.9,
                                        0.85, 1.0, 0, 0])
    result = cli("rank", path, "-o", tmp_path / "two.xlsx.ranked.xlsx")
    assert "'东区, 西区', header row 3:" in result.output, result.output
    code, doc = ranked(path, tmp_path)
    assert code == 1  # E013 rejected
    where = {r["employee_id"]: (r["sheet"], r["row"], r["status"]) for r in doc["rows"]}
    assert where["E013"] == ("西区", 6, "rejected") and where["E011"] == ("西区", 4, "ranked")
    assert where["E004"] == ("东区", 7, "ranked") and doc["rows"][0]["extra"] == {}
    book = openpyxl.load_workbook(tmp_path / "two.xlsx.ranked.xlsx")
    rejected = list(book["未通过校验"].values)
    assert rejected[0][:3] == ("工作表", "原行号", "工号") and rejected[1][:3] == ("西区", 6, "E013")
    assert rejected[1][-1].startswith("西区 E6 “客户经理知晓率”为")
    explained = cli("explain", path, "E013", "--lang", "zh").output
    assert "第 6 行未参与排名" in explained and "西区" in explained


def test_sheets_named_for_different_months_are_not_read_as_one_month(tmp_path):
    """9月 kept beside 10月: its people were ranked into October (one only in September among
    them); hidden, it is left out as last month's."""
    path = r1_sheets(tmp_path / "m.xlsx", {"10月": ["E1", "E2"], "9月": ["E1", "E3"]})
    result = cli("rank", path, "-o", tmp_path / "r.json")
    assert result.exit_code == 2
    assert "sheets '10月' (month 10), '9月' (month 9) hold the same table but are named for " \
        "different months" in " ".join(result.stderr.split())
    book = openpyxl.load_workbook(path)
    book["9月"].sheet_state = "hidden"
    book.save(path)
    code, doc = ranked(path, tmp_path)
    assert code == 0 and sorted(r["employee_id"] for r in doc["rows"]) == ["E1", "E2"]


def test_sheets_named_for_places_with_a_month_in_them_are_read_together(tmp_path):
    """五月花中心 and 十月广场中心 are centres, not May and October."""
    path = r1_sheets(tmp_path / "p.xlsx", {"五月花中心": ["E1"], "十月广场中心": ["E2"]})
    code, doc = ranked(path, tmp_path)
    assert code == 0 and sorted(r["employee_id"] for r in doc["rows"]) == ["E1", "E2"]


def test_a_header_copied_below_with_one_more_column_keeps_the_people_above(tmp_path):
    """The second block's header has an optional column more: it matched more fields, was
    taken as the header, and the six people above it vanished (6 rows, exit 0)."""
    people = [[f"E{i}", f"人{i}", *GOOD[:-1]] for i in range(1, 4)]
    later = [[f"E{i}", f"人{i}", *GOOD] for i in range(4, 6)]
    path = write_xlsx(tmp_path / "h.xlsx", [R1_HEADER[:-1], *people, R1_HEADER, *later])
    result = cli("validate", path, "--format", "json")
    doc = json.loads(result.output)
    (grown,) = [i for i in doc["issues"] if i["code"] == "grown-header"]
    assert result.exit_code == 2 and grown["cell"] == "I5" and doc["stats"]["rows"] == 5


def test_sheets_read_together_with_a_column_headed_like_the_sheet_column_are_ranked(tmp_path):
    """A clerk's own column 工作表 on one of two sheets read together: rank stopped with
    pandas' 'All arrays must be of the same length' (validate said valid)."""
    path = tmp_path / "two.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        for name, ident, extra in (("城东", "E1", []), ("城西", "E2", ["工作表"])):
            ws = wb.add_worksheet(name)
            ws.write_row(0, 0, [*R1_HEADER, *extra])
            ws.write_row(1, 0, [ident, "张三", *GOOD, *(["西1"] if extra else [])])
    code, doc = ranked(path, tmp_path)
    rows = {r["employee_id"]: r for r in doc["rows"]}
    assert code == 0 and rows["E2"]["sheet"] == "城西" and rows["E2"]["extra"]["工作表"] == "西1"
