"""One test per issue code, on small workbooks written here; `rank` uses the same checks."""

import json
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from conftest import R1_HEADER, cli, write_xlsx
from svcperf.api import check_file
from svcperf.io.read import UnreadableFile, open_book
from svcperf.rules.load import load_rules

R1 = load_rules("tiered-service")
GOOD = ["E001", "张三", "要客", "A类", 0.9, 0.85, 1.0, 0, 0]


def codes(path, rules=R1, keys=("code", "cell")):
    return check_file(path, rules).flatten(list(keys))


def sheet(tmp_path, *rows, header=R1_HEADER, name="s.xlsx"):
    return write_xlsx(tmp_path / name, [["标题"], header, *rows])


def test_clean_sheet_is_valid(tmp_path):
    report = check_file(sheet(tmp_path, GOOD), R1)
    assert report.valid and report.exit_code == 0 and report.issues == []


@pytest.mark.parametrize("cell, value, code, position", [
    (4, 93, "ambiguous-percent", "E3"),
    (4, "93%", "text-number", "E3"),
    (4, "９３％", "fullwidth-digits", "E3"),
    (4, "120%", "out-of-range", "E3"),
    (4, 1.2, "ambiguous-percent", "E3"),
    (4, "high", "type-error", "E3"),
    (3, "D类", "not-allowed", "D3"),
    (2, None, "required-missing", "C3"),
    (7, -1, "out-of-range", "H3"),
    (7, 1.5, "type-error", "H3"),
])
def test_cell_codes(tmp_path, cell, value, code, position):
    row = list(GOOD)
    row[cell] = value
    assert [code, position] in codes(sheet(tmp_path, row))


def test_percent_forms(tmp_path):
    rows = [[f"E{i}", "x", "要客", "A类", v, 0.85, 1.0, 0, 0]
            for i, v in enumerate([0.93, "93%", "93.5 %", "９３％", 1])]
    out = tmp_path / "o.json"
    cli("rank", sheet(tmp_path, *rows), "--rules", "tiered-service", "-o", out, "-q")
    values = [r["awareness"] for r in json.loads(out.read_text())["rows"]]
    assert values == pytest.approx([0.93, 0.93, 0.935, 0.93, 1.0])


def test_messages_say_what_where_and_how(tmp_path):
    row = list(GOOD)
    row[3] = "D类"
    [issue] = check_file(sheet(tmp_path, row), R1).issues
    assert (issue.sheet, issue.cell, issue.row, issue.header, issue.value) == \
        ("Sheet1", "D3", 3, "集团类型", "D类")
    assert issue.message == "集团类型 'D类' is not one of 百强, A类, B类, C类; pick one of these"
    zh = check_file(sheet(tmp_path, row), R1, lang="zh") if False else None
    assert zh is None


def test_chinese_messages(tmp_path):
    row = list(GOOD)
    row[3] = "D类"
    report = check_file(sheet(tmp_path, row), R1, lang="zh")
    assert report.issues[0].message.startswith("“集团类型”的值“D类”不在允许值")
    assert report.issues[0].code == "not-allowed"


def test_type_names_in_a_chinese_type_error_are_chinese(tmp_path):
    row = list(GOOD)
    row[4], row[7] = "high", 1.5  # a percentage, a whole number
    by_cell = {i.cell: i for i in check_file(sheet(tmp_path, row), R1, lang="zh").issues}
    assert by_cell["E3"].code == by_cell["H3"].code == "type-error"  # codes stay as they are
    assert "应为百分比（如 93%），实际为“high”" in by_cell["E3"].message
    assert "应为整数，实际为“1.5”" in by_cell["H3"].message
    assert not {"a", "number", "whole", "percentage"} & set(by_cell["H3"].message.split())
    english = {i.cell: i for i in check_file(sheet(tmp_path, row), R1).issues}
    assert "must be a percentage like 93%, got 'high'" in english["E3"].message
    assert "must be a whole number, got '1.5'" in english["H3"].message


def test_expected_words_follow_the_language():
    from svcperf.core.validate import expected_text

    fields = R1.parts[0].fields
    assert [expected_text(fields[k], None, "zh") for k in ("awareness", "weak_coverage")] == \
        ["百分比（如 93%）", "整数"]
    assert [expected_text(fields[k], None) for k in ("awareness", "weak_coverage")] == \
        ["a percentage like 93%", "a whole number"]
    assert expected_text(fields["awareness"], ["甲", "乙"], "zh") == "甲、乙"
    assert expected_text(fields["awareness"], ["甲", "乙"], "en") == "甲, 乙"

def test_duplicate_id_names_the_first_row(tmp_path):
    issues = check_file(sheet(tmp_path, GOOD, [*GOOD[:1], "李四", *GOOD[2:]], GOOD), R1).issues
    dup = [i for i in issues if i.code == "duplicate-id"]
    assert [i.row for i in dup] == [4, 5] and all("row 3" in i.message for i in dup)


def test_header_codes(tmp_path):
    header = [*R1_HEADER[:4], "客户经理知晓率", "客户经理知晓率", "客户经理满意", None, "备注"]
    path = write_xlsx(tmp_path / "h.xlsx", [header, [*GOOD[:6], 1, 0, "x"]])
    found = codes(path, keys=("code", "cell"))
    assert ["duplicate-header", "F1"] in found and ["near-miss-header", "G1"] in found
    assert ["blank-header", "H1"] in found and ["unknown-header", "I1"] in found
    assert ["missing-header", None] in found  # 优惠活动知晓率
    near = next(i for i in check_file(path, R1).issues if i.code == "near-miss-header")
    assert near.field == "satisfaction" and "rename it to '客户经理满意率'" in near.message


@pytest.mark.parametrize("header, alias, near", [
    ("客户经理满意", "客户经理满意率", True), ("满意客户", "客户满意", True),
    ("Satisfaction %", "satisfaction", True), ("Satisfation", "satisfaction", True),
    ("complaints", "complaint count", True),
    ("sheet:score", "late cases", False), ("valid", "id", False), ("Notes", "stone", False)])
def test_a_latin_header_resembles_an_alias_by_its_words_not_its_letters(header, alias, near):
    """'sheet:score' (a results file read again) was taken for a misspelt 'late cases': the
    letters they share made them alike, as characters do in Chinese."""
    from svcperf.core.table import _resembles

    assert _resembles(header, alias) is near


def test_blank_and_totals_rows(tmp_path):
    path = sheet(tmp_path, GOOD, [None] * 9, ["E002", *GOOD[1:]], ["合计", None, None, None,
                                                                   None, None, None, 0, 0])
    left_out = [(i.value, i.rows) for i in check_file(path, R1).issues
                if i.code == "non-person-rows"]
    assert left_out == [("blank", [4]), ("totals", [6])]
    assert check_file(path, R1).stats["rows"] == 2


def test_rows_left_out_are_listed_in_the_language_of_the_message(tmp_path):
    blank = [None] * 9
    path = sheet(tmp_path, GOOD, blank, ["E002", *GOOD[1:]], blank, blank, ["E003", *GOOD[1:]],
                 blank, ["E004", *GOOD[1:]])
    said = {lang: next(i.message for i in check_file(path, R1, lang=lang).issues
                       if i.code == "non-person-rows") for lang in ("en", "zh")}
    assert said["en"].endswith("rows 4, 6–7, 9") and said["zh"].endswith("第 4、6–7、9 行")


def test_header_found_under_a_title_block(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [["2026年10月"], ["填报人：张"], [], [], R1_HEADER, GOOD])
    report = check_file(path, R1)
    assert report.valid and report.stats["rows"] == 1


def _with_error_and_formula(path: Path) -> Path:
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet()
        ws.write_row(0, 0, R1_HEADER)
        ws.write_row(1, 0, GOOD)
        ws.write_row(2, 0, ["E002", *GOOD[1:]])
        ws.write_formula(1, 4, "=1/0", None, "#DIV/0!")
        ws.write_row(3, 0, ["E003", *GOOD[1:]])
    # a formula with no saved value, as some exporters write: drop the cached <v> of F3
    raw = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    raw = raw.replace('<c r="F3"', '<c r="F3_"', 1)
    raw = raw.replace('<c r="F3_"><v>0.85</v></c>', '<c r="F3"><f>E3*1</f></c>')
    raw = raw.replace('<c r="F3_" s="0"><v>0.85</v></c>', '<c r="F3"><f>E3*1</f></c>')
    out = path.with_name("errors.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = raw.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item, data)
    return out


def test_excel_errors_and_formulas_without_values(tmp_path):
    found = codes(_with_error_and_formula(tmp_path / "e.xlsx"))
    assert ["excel-error", "E2"] in found and ["formula-no-value", "F3"] in found


def test_merged_cells_fill_down_with_a_warning(tmp_path):
    path = tmp_path / "m.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet()
        ws.write_row(0, 0, R1_HEADER)
        for r in range(1, 4):
            ws.write_row(r, 0, [f"E{r}", "x", None, *GOOD[3:]])
        ws.merge_range(1, 2, 3, 2, "要客")
    report = check_file(path, R1)
    assert report.flatten(["code", "value"]) == [["merged-cell", "C2:C4"]] and report.valid


def test_hidden_sheet_is_read_with_a_warning(tmp_path):
    path = tmp_path / "hid.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        wb.add_worksheet("说明").write(0, 0, "见隐藏表")
        ws = wb.add_worksheet("数据")
        ws.write_row(0, 0, R1_HEADER)
        ws.write_row(1, 0, GOOD)
        ws.hide()
    assert ["hidden-sheet", None] in codes(path)


def test_csv_in_gbk_is_read(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes((",".join(R1_HEADER) + "\n" + "E1,张三,要客,A类,90%,85%,100%,,\n")
                     .encode("gb18030"))
    report = check_file(path, R1)
    assert report.valid and report.stats["rows"] == 1


CSV_TEXT = ",".join(R1_HEADER) + "\n" + "E1,张三,要客,A类,90%,85%,100%,,\n"


@pytest.mark.parametrize("codec, newline", [
    ("utf-16", "\n"),  # Excel's "Unicode Text": UTF-16 with its byte order mark
    ("utf-16-be", "\n"), ("utf-32", "\n"), ("utf-8", "\r"),  # \r: an old Mac export
])
def test_csv_in_unicode_and_with_bare_cr_lines_is_read(tmp_path, codec, newline):
    path = tmp_path / "s.csv"
    bom = "\ufeff" if codec == "utf-16-be" else ""
    path.write_bytes((bom + CSV_TEXT.replace("\n", newline)).encode(codec))
    report = check_file(path, R1)
    assert report.valid and report.stats["rows"] == 1


def test_a_csv_that_is_no_text_is_refused_with_its_line(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"id,name\nE1,x\n" + b"\x80\xff\x81\n" * 3)  # binary data after text
    with pytest.raises(UnreadableFile) as info:
        open_book(path)
    assert "line 3 is not text in UTF-8, UTF-16 or GBK" in info.value.message("en")
    assert "第 3 行不是" in info.value.message("zh")


def test_a_workbook_named_csv_is_read_as_the_workbook_it_is(tmp_path):
    path = tmp_path / "s.csv"
    write_xlsx(path, [R1_HEADER, GOOD])
    assert check_file(path, R1).stats["rows"] == 1


@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"hello, this is text", "not a spreadsheet"),
    (b"PK\x03\x04" + b"\0" * 50, "damaged or was cut short"),
])
def test_unreadable_files_get_one_line_and_exit_2(tmp_path, content, words):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    result = cli("validate", path, "--rules", "tiered-service")
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output


def test_validate_json_is_exactly_the_library_report(tmp_path):
    row = list(GOOD)
    row[4] = 93
    path = sheet(tmp_path, row)
    result = cli("validate", path, "--rules", "tiered-service", "--format", "json")
    from svcperf.api import validate_files

    assert result.exit_code == 1
    expected = validate_files([path], "tiered-service").model_dump_json(indent=2)
    assert result.stdout.strip() == expected.strip()
    assert json.loads(result.stdout)["issues"][0]["code"] == "ambiguous-percent"


def test_max_issues_caps_printing_not_counting(tmp_path):
    rows = [[f"E{i}", "x", "要客", "Z类", 0.9, 0.85, 1.0, 0, 0] for i in range(30)]
    result = cli("validate", sheet(tmp_path, *rows), "--rules", "tiered-service",
                 "--max-issues", "3")
    assert result.exit_code == 1 and "27 more issues not shown" in result.output
    assert "30 errors" in result.output and "1 row" not in result.output


def test_header_without_data_rows(tmp_path):
    report = check_file(write_xlsx(tmp_path / "e.xlsx", [R1_HEADER]), R1)
    assert report.flatten(["code"]) == [["no-rows"]] and report.valid


def test_ids_differing_only_in_case_or_width_are_duplicates(tmp_path):
    rows = [[v, "x", "要客", "A类", 0.9, 0.85, 1.0, 0, 0] for v in ("E001", "e001", "Ｅ００１", "E 002")]
    dup = [i for i in check_file(sheet(tmp_path, *rows), R1).issues if i.code == "duplicate-id"]
    assert [(i.row, i.value) for i in dup] == [(4, "e001"), (5, "Ｅ００１")]


def test_validate_finds_staff_whose_branch_has_no_supervisor():
    from conftest import EXAMPLES

    report = check_file(EXAMPLES / "gas-service-center.xlsx", load_rules("gas-service-center"))
    heads = [i for i in report.issues if i.code == "no-group-head"]
    assert [(i.cell, i.value) for i in heads] == [("A26", "中区"), ("A27", "中区")]
    assert "'主管'" in heads[0].message


def test_staff_whose_supervisor_row_was_rejected_are_pointed_at_that_row(tmp_path):
    """西区's supervisor row lacks 客户服务部评分 (主管 E6): its staff are not told their branch
    has no supervisor row, but which cell to correct; validate and rank say the same."""
    import openpyxl

    from conftest import EXAMPLES

    book = openpyxl.load_workbook(EXAMPLES / "gas-service-center.xlsx")
    assert book["主管"]["A6"].value == "西区"
    book["主管"]["E6"] = None
    path = tmp_path / "gas.xlsx"
    book.save(path)
    report = check_file(path, load_rules("gas-service-center"))
    told = {i.code for i in report.issues if i.sheet == "员工" and i.value == "西区"}
    assert told == {"group-head-rejected"}
    out = tmp_path / "o.json"
    cli("rank", path, "-o", out, "-q")
    rows = json.loads(out.read_text())["rows"]
    west = [r for r in rows if r.get("sheet") == "员工" and r["branch"] == "西区"]
    assert west and all(r["status"] == "rejected" for r in west)
    pointed = [r for r in west if any("correct E6 on '主管'" in x for x in r["reasons"])]
    assert len(pointed) >= 5 and not any("no row on sheet" in x for r in west for x in r["reasons"])



LAYOUTS = Path(__file__).parent / "data" / "layouts"


@pytest.mark.parametrize("name", sorted(p.name for p in LAYOUTS.iterdir()
                                        if p.suffix in (".xlsx", ".xls", ".ods")))
def test_check_reads_the_same_cells_from_locates_columns_as_from_the_rows(name, monkeypatch):
    """check takes a column from those locate read (a slice, when the people's rows run
    without a gap) instead of walking the rows again: the same values and issues, cell for
    cell, as when it walks them, on every layout (title blocks, subtotals, gaps, merges)."""
    import svcperf.core.validate as validate_module
    from svcperf.api import load_parts
    from svcperf.core.table import column_of
    from svcperf.io.read import open_book

    rules = load_rules(json.loads((LAYOUTS / "expected.json").read_text("utf-8"))
                       ["files"][name]["rule_set"])

    def read() -> list[tuple[list[int], dict[str, list[str]], list[str]]]:
        return [(table.rows, {k: list(map(repr, v)) for k, v in checked.columns.items()},
                 [i.message for i in checked.issues])
                for table, checked in load_parts(open_book(LAYOUTS / name), rules, "zh",
                                                 need_headers=False)]

    taken = read()
    monkeypatch.setattr(validate_module, "data_column",
                        lambda grid, table, c, data_rows, width: column_of(data_rows, c, width))
    assert taken == read()


def test_a_label_a_target_table_lacks_is_refused_with_the_labels_it_has(tmp_path):
    """A field without `allowed` that a target table is looked up by takes the table's labels:
    validate says so, as rank would reject the row (before, with an empty list of choices)."""
    rules = tmp_path / "r.yaml"
    rules.write_text("name: t\nfields:\n  id: {header: 工号, type: text}\n"
                     "  kind: {header: 类型, type: text}\n  rate: {header: 知晓率, type: percent}\n"
                     "items:\n  - {key: r, kind: target, field: rate, points: 10, deduct_per_point: 1,"
                     "\n     target: {by: kind, table: {百强: 93%, A类: 90%}}}\n", "utf-8")
    sheet = tmp_path / "s.csv"
    sheet.write_text("工号,类型,知晓率\nE1,Z类,90%\nE2,A类,91%\n", "utf-8")
    report = check_file(sheet, load_rules(rules))
    assert [i.message for i in report.issues if i.code == "not-allowed"] == [
        "类型 'Z类' is not one of 百强, A类; pick one of these"]



def test_float_noise_is_taken_as_the_number_it_is_off(tmp_path):
    """A formula's 100% can come out as 1.0000000000001: it was rejected as "1, which is
    ambiguous for a percentage"; a count of 2.0000000001 was kept as it, a 0% of -1e-300 was
    shown as -0% and a count of 1e-320 as -0 points."""
    sheet = write_xlsx(tmp_path / "noise.xlsx", [R1_HEADER,
                       ["E1", "a", "c", "A类", 1.0000000000001, 0.9, 1.0, 1e-320, 2.0000000001],
                       ["E2", "b", "c", "A类", -1e-300, 0.9, 1.0, 0, 0]])
    out = tmp_path / "noise.json"
    assert cli("rank", sheet, "--rules", "tiered-service", "-o", out, "-q").exit_code == 0
    rows = {r["employee_id"]: r for r in json.loads(out.read_text(encoding="utf-8"))["rows"]}
    assert [(rows[i]["awareness"], rows[i]["weak_coverage"], rows[i]["late_cases"])
            for i in ("E1", "E2")] == [(1, 0, 2), (0, 0, 0)]
    said = cli("explain", sheet, "E2", "--rules", "tiered-service").stdout
    assert "-0" not in said and "0%" in said
    assert "-0" not in cli("explain", sheet, "E1", "--rules", "tiered-service").stdout


@pytest.mark.parametrize("cell, code", [
    ("8,5", "decimal-comma"), ("0,95", "decimal-comma"), ("9,5%", "decimal-comma"),
    ("8，5", "decimal-comma"), ("1,2345", "decimal-comma"), ("12,345", None), ("1,234.5", None),
])
def test_a_decimal_comma_is_an_error_not_a_number_ten_times_bigger(tmp_path, cell, code):
    """'8,5' (a European decimal comma) was read as 85 with a mere text-number warning."""
    from svcperf.core.validate import _parse_cell
    from svcperf.rules.model import FieldSpec

    value, problem, _ = _parse_cell(cell, FieldSpec(header=["h"], type="number"), {}, True, None)
    if code is None:
        assert value == float(cell.replace(",", "")) and problem[0] == "text-number"
    else:
        assert value != value and problem == (code, {"point": cell.replace(",", ".")
                                                     .replace("，", ".")})


def _rows_validate_and_rank_reject(sheet, tmp_path, *args, month=()):
    report = json.loads(cli("validate", sheet, "--format", "json", *args).stdout)
    errors = {(i["sheet"], i["row"]) for i in report["issues"]
              if i["severity"] == "error" and i["row"] is not None}
    out = tmp_path / f"{sheet.stem}.json"
    assert cli("rank", sheet, "-o", out, "-q", "--force", *args, *month).exit_code in (0, 1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    sheets = doc["run"]["sheets_read"]
    rejected = {(r.get("sheet", sheets[0]), r["row"]) for r in doc["rows"]
                if r["status"] == "rejected"}
    return errors, rejected


def test_a_zero_denominator_is_found_by_validate_as_by_rank(tmp_path):
    """validate said 'valid' for a row whose ratio divides by 0; rank then rejected it."""
    sheet = tmp_path / "ds.csv"
    sheet.write_text("中心,客户经理,A类集团数,已报\n东区,张三,0,0\n东区,李四,5,3\n", encoding="utf-8")
    errors, rejected = _rows_validate_and_rank_reject(sheet, tmp_path, "-r", "data-submission",
                                                      month=("--month", "2026-09"))
    assert errors == rejected == {("ds", 2)}


@pytest.mark.parametrize("name", ["tiered-service", "ambassador-circle", "data-submission",
                                  "gas-service-center", "account-manager-levels",
                                  "competency-potential"])
def test_validate_finds_the_rows_rank_rejects_on_every_example(tmp_path, name):
    from conftest import EXAMPLES

    month = ("--month", "2026-09") if name == "data-submission" else ()
    errors, rejected = _rows_validate_and_rank_reject(EXAMPLES / f"{name}.xlsx", tmp_path,
                                                      month=month)
    assert errors == rejected


def test_an_id_card_number_typed_as_a_number_is_not_taken_as_an_id(tmp_path):
    """110101199001011234 typed as a number is stored as 1.10101199001011E+17: ranked under
    the invented id 110101199001011200, the second such person rejected as a duplicate."""
    sheet = write_xlsx(tmp_path / "ids.xlsx", [
        ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"],
        [110101199001011234, "a", "c", 90, 80], [110101199001011299, "b", "c", 80, 80],
        ["E3", "c", "c", 70, 80], [123456789012345, "d", "c", 60, 80]])
    out = tmp_path / "ids.json"
    assert cli("rank", sheet, "-r", "ambassador-circle", "-o", out, "-q").exit_code == 1
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [(r["row"], r["status"], r["employee_id"]) for r in rows if r["status"] == "ranked"] \
        == [(4, "ranked", "E3"), (5, "ranked", "123456789012345")]  # 15 digits: Excel keeps them
    said = ("工号 is the number 110101199001011000: Excel keeps 15 digits of a number, so the "
            "last digits of this one are lost; format the column as text and type it again")
    assert [r["reasons"] for r in rows if r["status"] == "rejected"] == [[f"A2 {said}"],
                                                                         [f"A3 {said}"]]


@pytest.mark.parametrize("cell, code", [(-30, "ambiguous-percent"), (30, "ambiguous-percent"),
                                        (-0.3, None), ("-30%", "text-number"),
                                        (-150, "out-of-range")])
def test_a_bare_negative_number_in_a_percent_that_may_be_negative_is_ambiguous(cell, code):
    """With a growth rate of -50%..50%, a bare 30 was ambiguous (30% or 0.3?) but a bare -30
    was out of range: the clerk was told the range, not that -30% is what to write."""
    from svcperf.core.validate import _parse_cell, parse_column
    from svcperf.rules.model import FieldSpec

    spec = FieldSpec(header=["增长率"], type="percent", min=-0.5, max=0.5)
    _, problem, _ = _parse_cell(cell, spec, {}, True, None)
    assert (problem[0] if problem else None) == code
    _, problems, _ = parse_column([cell] * 3, spec, None, True)  # the numpy lane says the same
    assert [p[1] for p in problems] == ([code] * 3 if code else [])
    plain = FieldSpec(header=["满意率"], type="percent")  # 0..100%: -30 is out of range
    assert _parse_cell(-30, plain, {}, True, None)[1][0] == "out-of-range"


def test_a_true_or_false_cell_is_no_id_name_or_label(tmp_path):
    """A TRUE cell in the id column was ranked as the person 'True' (no such id is on the
    sheet: it shows TRUE); a FALSE centre made a group 'False'."""
    sheet = write_xlsx(tmp_path / "bools.xlsx", [
        ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"],
        ["E1", "a", "c", 90, 80], [True, "b", "c", 80, 80], ["E3", "c", False, 70, 80]])
    out = tmp_path / "bools.json"
    assert cli("rank", sheet, "-r", "ambassador-circle", "-o", out, "-q").exit_code == 1
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [(r["row"], r["status"]) for r in rows] == [(2, "ranked"), (3, "rejected"),
                                                       (4, "rejected")]
    assert rows[1]["reasons"] == ["A3 工号 must be text, got 'TRUE'; correct the cell"]
    assert rows[2]["reasons"] == ["C4 服务中心 must be text, got 'FALSE'; correct the cell"]


@pytest.mark.parametrize("cell", ["1,234元", "￥1,234", "(1,234)", "1,23,456", "12,345.678,9"])
def test_text_with_a_comma_that_is_no_number_is_a_type_error_not_a_decimal_comma(cell):
    """'1,234元' was told 'for a decimal write 1.234元': a clerk following it types a number a
    thousand times too small."""
    from svcperf.core.validate import _parse_cell
    from svcperf.rules.model import FieldSpec

    _, problem, _ = _parse_cell(cell, FieldSpec(header=["h"], type="number"), {}, True, None)
    assert problem == ("type-error", {})


def test_a_semicolon_csv_with_a_title_line_is_read_by_its_delimiter(tmp_path):
    """A title line above the header made the delimiter sniffer fail; the file was read as
    comma-separated and 'no header row' was all it said."""
    sheet = tmp_path / "clerk.csv"
    sheet.write_text("集团客户考核表\n" + ";".join(R1_HEADER) + "\nE1;张三;东区;A类;95%;90%;100%;0;0\n"
                     "E2;李四;东区;B类;90%;85%;80%;1;0\n合计;;;;;;;;\n", encoding="utf-8")
    out = tmp_path / "o.json"
    assert cli("rank", sheet, "-r", "tiered-service", "-o", out, "-q").exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["employee_id"] for r in doc["rows"]] == ["E1", "E2"]
    assert doc["run"]["left_out_by_kind"] == {"totals": 1}


def _rates_under_a_percent_header(tmp_path, values, percent_cols=()):
    header = [h + "(%)" if h == "客户经理知晓率" else h for h in R1_HEADER]
    rows = [[f"E{i}", "x", "要客", "A类", v, 0.85, 1.0, 0, 0] for i, v in enumerate(values)]
    return write_xlsx(tmp_path / "s.xlsx", [["标题"], header, *rows], percent_cols=percent_cols)


def test_cells_a_percent_format_shows_are_not_read_as_points_again(tmp_path):
    path = _rates_under_a_percent_header(tmp_path, [0.95, 0.88, 1.0], percent_cols=(4,))
    out = tmp_path / "o.json"
    assert cli("rank", path, "-o", out, "-q").exit_code == 0
    data = json.loads(out.read_text())
    read = {r["employee_id"]: r["awareness"] for r in data["rows"]}
    assert read == pytest.approx({"E0": 0.95, "E1": 0.88, "E2": 1.0})
    assert "percent-unit" not in {i["code"] for i in data["issues"]}  # nothing read as points


@pytest.mark.parametrize("values, flagged", [
    ([95, 0.9, 88, 91.5], ["E4"]),  # 0.9 among points over 10: a fraction, not 0.9%
    ([0.3, 1.2, 0.8, 0.5], []),  # a complaint rate in points: under 1% is what it is
    ([95, 0, 88], []),  # 0 is 0 either way
])
def test_a_fraction_among_percentage_points_is_rejected(tmp_path, values, flagged):
    found = codes(_rates_under_a_percent_header(tmp_path, values))
    assert [cell for code, cell in found if code == "fraction-among-points"] == flagged


def test_a_note_under_a_few_people_is_left_out_but_a_bare_id_is_a_person(tmp_path):
    people = [[f"E00{i}", "x", "要客", "A类", 0.9, 0.85, 1.0, 0, 0] for i in range(1, 6)]
    path = sheet(tmp_path, *people, ["E006"], ["注：本表由各中心填报"])
    out = tmp_path / "o.json"
    assert cli("rank", path, "-o", out, "-q").exit_code == 1  # E006 is rejected, not lost
    data = json.loads(out.read_text())
    assert {r["employee_id"]: r["status"] for r in data["rows"]} == {
        **{f"E00{i}": "ranked" for i in range(1, 6)}, "E006": "rejected"}
    assert data["run"]["rows_left_out"] == 1  # the note, row 9, listed
    left = [i for i in data["issues"] if i["code"] == "non-person-rows"]
    assert [i["rows"] for i in left] == [[9]]


def test_a_share_more_than_its_whole_is_rejected_by_validate_and_rank(tmp_path):
    """R2: 6 of 5 A类 groups submitted is 120%, not a first place."""
    path = tmp_path / "r2.csv"
    path.write_text("中心,客户经理,A类集团数,已报\n东,甲,5,6\n东,乙,5,4\n西,丙,4,2\n东,丁,5,5\n",
                    encoding="utf-8")
    rules = load_rules("data-submission")
    found = [(c, cell) for c, cell in codes(path, rules) if c == "share-over"]
    assert found == [("share-over", "D2")]
    out = tmp_path / "o.json"
    assert cli("rank", path, "--rules", "data-submission", "--month", "9", "-o", out,
               "-q").exit_code == 1
    rows = {r["name"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows["甲"]["status"] == "rejected" and "A类集团数 (5)" in rows["甲"]["reasons"][0]
    assert rows["丁"]["status"] == "ranked" and rows["丁"]["ratio"] == 100  # all of them: fine


def test_a_group_typed_in_full_width_is_the_same_group(tmp_path):
    rows = [[f"E00{i}", "x", "NA区" if i < 4 else "ＮＡ区", "A类", 0.9 - i / 100, 0.85, 1.0, 0, 0]
            for i in range(1, 7)]
    path = write_xlsx(tmp_path / "s.xlsx", [R1_HEADER, *rows])
    assert [c for c, cell in codes(path) if c == "fullwidth-digits"] == ["fullwidth-digits"] * 3
    out = tmp_path / "o.json"
    assert cli("rank", path, "-o", out, "-q").exit_code == 0
    ranked = {r["employee_id"]: (r["center"], r["group_rank"]) for r in json.loads(out.read_text())["rows"]}
    assert ranked == {f"E00{i}": ("NA区", i) for i in range(1, 7)}  # one group of six


def test_a_column_of_numbers_stored_as_text_is_counted_past_the_first_hundred(tmp_path):
    """An export's numbers stored as text: each cell a warning up to 100 per column and
    kind, the rest one warning with their count (500,000 issues took 0.7 GB)."""
    from svcperf.core.validate import REPAIRS_SHOWN

    rows = [[f"E{i:04d}", "x", "要客", "A类", "0.9", 0.85, 1.0, 0, 0] for i in range(250)]
    report = check_file(sheet(tmp_path, *rows), R1)
    cells = [i for i in report.issues if i.code == "text-number"]
    assert len(cells) == REPAIRS_SHOWN == 100 and cells[-1].cell == "E102"
    (more,) = [i for i in report.issues if i.code == "more-repairs"]
    assert more.extra["count"] == 150 and more.extra["at"] == list(range(103, 253))
    assert more.message == "150 more cells of 客户经理知晓率 were read the same way as the ones " \
                           "above (text-number)"
    assert report.valid


def test_a_group_spelled_with_a_space_is_the_group_most_rows_spell(tmp_path):
    """要 客 among 要客 was a fourth centre: 要客's mean, and so every centre's incentive, moved."""
    rows = [[f"E00{i}", "x", "要 客" if i == 3 else "要客", "A类", 0.9 - i / 100, 0.85, 1.0, 0, 0]
            for i in range(1, 5)] + [["E009", "y", "政企", "A类", 0.95, 0.95, 1.0, 0, 0]]
    path = write_xlsx(tmp_path / "s.xlsx", [R1_HEADER, *rows])
    (spelled,) = [i for i in check_file(path, R1).issues if i.code == "group-spelling"]
    assert (spelled.cell, spelled.severity) == ("C4", "warning")
    assert spelled.message == "中心 '要 客' is spelled '要客' on 3 other rows: read as '要客', the " \
                              "same group; give it a name of its own if it is another group"
    out = tmp_path / "o.json"
    assert cli("rank", path, "-o", out, "-q").exit_code == 0
    centres = {r["employee_id"]: r["center"] for r in json.loads(out.read_text())["rows"]}
    assert centres == {"E001": "要客", "E002": "要客", "E003": "要客", "E004": "要客", "E009": "政企"}


def test_staff_whose_branch_is_spelled_with_a_space_find_their_supervisor(tmp_path):
    """Every 东区 staff row typed 东 区: validate matched them to 主管's 东区 (folded), rank
    rejected them all for a branch with no supervisor row."""
    import openpyxl

    from conftest import EXAMPLES

    book = openpyxl.load_workbook(EXAMPLES / "gas-service-center.xlsx")
    staff = book["员工"]
    east = [r for r in range(2, staff.max_row + 1) if staff.cell(r, 1).value == "东区"]
    for r in east:
        staff.cell(r, 1).value = "东 区"
    path = tmp_path / "gas.xlsx"
    book.save(path)
    out = tmp_path / "o.json"
    cli("rank", path, "-o", out, "-q")
    rows = [r for r in json.loads(out.read_text())["rows"] if r.get("sheet") == "员工"
            and r["row"] in east]
    assert len(rows) == len(east) >= 3 and {r["status"] for r in rows} == {"ranked"}


def test_an_id_with_a_zero_width_space_is_the_same_id(tmp_path):
    """A001 pasted from a web page with a zero-width space, A002 with a CSV's byte order mark:
    they looked like A001 and A002 and were ranked beside them, twice the same person."""
    rows = [["A001", "x", "要客", "A类", 0.9, 0.85, 1.0, 0, 0],
            ["A002", "y", "要客", "A类", 0.9, 0.85, 1.0, 0, 0],
            ["A001\u200b", "x", "要客", "A类", 0.9, 0.85, 1.0, 0, 0],
            ["\ufeffA002", "y", "要客\u200b", "A类", 0.9, 0.85, 1.0, 0, 0]]
    report = check_file(sheet(tmp_path, *rows), R1)
    found = [(i.code, i.cell) for i in report.issues]
    assert ("duplicate-id", "A5") in found and ("duplicate-id", "A6") in found
    assert ("invisible-characters", "C6") in found
    (zwsp,) = [i for i in report.issues if i.code == "invisible-characters" and i.cell == "A5"]
    assert zwsp.severity == "warning" and "U+200B" in zwsp.message and "'A001'" in zwsp.message


@pytest.mark.parametrize("value", ["9_5", "⑨⑤", "9²", "9 5"])
def test_text_no_spreadsheet_reads_as_a_number_is_a_type_error(tmp_path, value):
    """Python's float() takes 9_5 and NFKC makes ⑨⑤ 95 and 9² 92: nothing Excel reads so."""
    from svcperf.rules.load import load_rules as load

    amb = load("ambassador-circle")
    header = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"]
    path = write_xlsx(tmp_path / "a.xlsx", [header, ["A001", "x", "城东", value, 80]])
    assert ["type-error", "D2"] in check_file(path, amb).flatten(["code", "cell"])


def test_footer_lines_a_clerk_adds_are_left_out_not_rejected_people(tmp_path):
    """填报人, 填报日期, 说明 and head counts, highest and lowest scores under the table were
    rejected as people named 填报人 or 最高分: a clean sheet exited 1."""
    from datetime import datetime

    people = [[f"E{i:03d}", f"人{i}", *GOOD[2:]] for i in range(1, 13)]
    footers = [["填报日期", datetime(2026, 11, 5)], ["填报人", "张敏", None, "联系电话", "13800000000"],
               ["说明", "1.满意度得分取回访结果"], ["人数", 12, None, "平均分", 86.5],
               ["最高分", None, None, 0.95], ["最低分", None, None, 0.81]]
    report = check_file(sheet(tmp_path, *people, *footers), R1)
    left_out = {i.value: i.rows for i in report.issues if i.code == "non-person-rows"}
    assert left_out == {"signature": [15, 16], "note": [17], "statistics": [18, 19, 20]}
    assert report.valid and report.stats["rows"] == 12


def test_a_near_miss_header_says_what_to_do_when_it_is_another_column(tmp_path):
    """上月绩效工资 looks like 绩效工资基数: renaming it would make last month's pay the base;
    the only fix offered was to rename it."""
    header = [h if h != "客户经理满意率" else "客户经理满意度" for h in R1_HEADER]
    (near,) = [i for i in check_file(sheet(tmp_path, GOOD, header=header), R1).issues
               if i.code == "near-miss-header"]
    assert near.message.endswith("if it is another column, give it a header unlike '客户经理满意率'")
    assert near.render("zh").endswith("如果是另一列，请改用与“客户经理满意率”不相似的表头")


def test_an_id_excel_turned_into_a_date_is_rejected_and_dates_show_as_excel_shows_them(tmp_path):
    """An id typed 1-1 that Excel made January 1st was ranked as the person '2026-01-01'; a
    duration in a number field was said as '2 days, 0:00:00'."""
    from datetime import datetime, time, timedelta

    rows = [[datetime(2026, 1, 1), "x", "要客", "A类", 0.9, 0.85, 1.0, 0, 0],
            [time(8, 0), "y", "要客", "A类", 0.9, 0.85, 1.0, 0, 0],
            ["E003", "z", "要客", "A类", 0.9, 0.85, 1.0, timedelta(days=2), 0]]
    import openpyxl

    book = openpyxl.Workbook()
    for row in (["标题"], R1_HEADER, *rows):
        book.active.append(row)
    book.save(tmp_path / "d.xlsx")
    found = {i.cell: i for i in check_file(tmp_path / "d.xlsx", R1).issues}
    assert found["A3"].code == found["A4"].code == "date-in-text"
    assert "工号 is the date or time 2026/1/1: Excel turned what was typed into one" in \
        found["A3"].message and "8:00:00" in found["A4"].message
    assert found["H5"].code == "type-error" and "got '48:00:00'" in found["H5"].message


def test_a_header_cell_holding_a_number_or_date_is_named_as_it_shows(tmp_path):
    """A column headed by the number 2026 was '2026.0' in the messages and the outputs."""
    path = write_xlsx(tmp_path / "h.xlsx", [[*R1_HEADER, 2026], [*GOOD, 1]])
    (unknown,) = [i for i in check_file(path, R1).issues if i.code == "unknown-header"]
    assert (unknown.header, unknown.cell) == ("2026", "J1")


def test_footer_words_inside_a_name_or_a_centre_leave_the_person_a_person(tmp_path):
    """人数 inside 个人数字金融部 and 说明 opening 说明华 made both rows 'not people', dropped
    without a word (R2: the name is the id, the centre the first column)."""
    header = ["中心", "客户经理", "A类集团数", "已报"]
    people = [["要客", f"员工{i}", 4, 3] for i in range(1, 13)]
    rows = [header, *people, ["个人数字金融部", "欧阳明华", 4, 4], ["要客", "说明华", 5, 5],
            ["说明：本表由各中心填报"], ["人数", 14]]
    report = check_file(write_xlsx(tmp_path / "r2.xlsx", rows), load_rules("data-submission"))
    left_out = {i.value: i.rows for i in report.issues if i.code == "non-person-rows"}
    assert report.stats["rows"] == 14 and left_out == {"note": [16], "statistics": [17]}


@pytest.mark.parametrize("value", ["١٠٠%", "９５％"])
def test_only_digits_a_spreadsheet_reads_make_a_number(tmp_path, value):
    """Arabic-Indic ١٠٠ matched \\d and was read as 100%; full-width ９５％ is 95%, repaired."""
    row = list(GOOD)
    row[4] = value
    found = codes(sheet(tmp_path, row))
    assert (["type-error", "E3"] in found) == (value == "١٠٠%")


@pytest.mark.parametrize("values, warned", [
    ([0.95, 0.91, 0.88], True),  # fractions under a header in %: all 0.9%, everyone scores 0
    ([0.3, 1.2, 0.8, 0.5], False),  # a rate over 1% among them: points as written
    ([0.3, 0.5, 0.1], True),  # a complaint rate this small is possible: a warning, not an error
])
def test_a_column_read_all_under_one_percent_is_warned(tmp_path, values, warned):
    report = check_file(_rates_under_a_percent_header(tmp_path, values), R1)
    said = [i for i in report.issues if i.code == "all-under-one-percent"]
    assert bool(said) == warned and all(i.severity == "warning" for i in said)
    assert report.valid
