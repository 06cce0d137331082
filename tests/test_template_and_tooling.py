"""Templates a branch fills in, `rules show`, and `init` drafting a rule set."""

import shutil
import subprocess

import openpyxl
import pytest
import yaml

from conftest import EXAMPLES, cli
from svcperf.api import check_file
from svcperf.rules.load import load_rules, parse_rules
from test_libreoffice import SOFFICE, needs_soffice

R1 = load_rules("tiered-service")
ROWS = [["E1", "张三", "要客", "A类", 0.91, 0.85, 1.0, None, 2],
        ["E2", "李四", "新繁", "百强", 0.95, 0.9, 0.98, 1, None]]


def template(tmp_path, rules="tiered-service"):
    out = tmp_path / "blank.xlsx"
    result = cli("template", "--rules", rules, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def fill(path, rows, sheet=None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    wb.save(path)
    return path


def test_template_has_headers_dropdowns_ranges_and_instructions(tmp_path):
    wb = openpyxl.load_workbook(template(tmp_path))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [f.header[0] for f in R1.fields.values()]
    assert ws.freeze_panes == "A2" and "填写说明" in wb.sheetnames
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert rules["D2:D1001"].type == "list" and "百强" in rules["D2:D1001"].formula1
    percent = rules["E2:E1001"]
    assert (percent.type, float(percent.formula1), float(percent.formula2)) == ("decimal", 0, 1)
    assert rules["H2:H1001"].type == "whole" and rules["A1"].promptTitle == "工号"
    assert "必填" in rules["A1"].prompt


def test_filled_template_validates_and_forbidden_values_are_rejected(tmp_path):
    path = fill(template(tmp_path), ROWS)
    assert check_file(path, R1).valid
    other = tmp_path / "other"
    other.mkdir()
    bad = fill(template(other), [["E3", "王五", "要客", "D类", 0.9, 0.8, 1.0, 0, 0]])
    codes = check_file(bad, R1).flatten(["code", "cell"])
    assert ["not-allowed", "D2"] in codes


def test_cascade_template_has_a_sheet_per_part(tmp_path):
    wb = openpyxl.load_workbook(template(tmp_path, "gas-service-center"))
    assert wb.sheetnames[:2] == ["主管", "员工"]


def test_a_cascades_group_column_drops_down_the_heads_of_their_sheet(tmp_path):
    """R3's 员工 分公司 was free text, though a branch with no 主管 row is rejected: it lists the
    分公司 typed on 主管, and its hint (and rules show) says so."""
    path = template(tmp_path, "gas-service-center")
    staff = {str(v.sqref): v for v in openpyxl.load_workbook(path)["员工"].data_validations
             .dataValidation}
    assert (staff["A2:A1001"].type, staff["A2:A1001"].formula1) == ("list",
                                                                    "'主管'!$A$2:$A$1001")
    assert staff["A2:A1001"].errorStyle == "warning"  # 员工 may be filled before 主管
    assert "须为“主管”表中已填的“分公司”之一" in staff["A1"].prompt
    fill(path, [["东区", "S1", "甲", 96, 95]], "主管")
    fill(path, [["东区", f"E{i}", f"员{i}", 90 - i] for i in range(5)], "员工")
    assert check_file(path, load_rules("gas-service-center")).valid
    shown = cli("rules", "show", "gas-service-center", "--lang", "en").output
    assert "one of the 分公司 on sheet 主管" in " ".join(shown.split())


@needs_soffice
def test_template_round_trips_through_libreoffice(tmp_path):
    assert SOFFICE
    path = fill(template(tmp_path), ROWS)
    out = tmp_path / "lo"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    again = out / "blank.xlsx"
    assert check_file(again, R1).valid
    kinds = {v.type for v in openpyxl.load_workbook(again).worksheets[0].data_validations
             .dataValidation}
    assert {"list", "decimal", "whole"} <= kinds


def test_rules_show_prints_fields_bands_and_quotas():
    result = cli("rules", "show", "gas-service-center")
    assert result.exit_code == 0
    assert "cascade from sheet supervisors" in result.output and "20%" in result.output


def test_rules_list_names_every_shipped_rule_set():
    result = cli("rules", "list")
    assert result.exit_code == 0 and "competency-potential" in result.output


def test_init_drafts_a_rule_set_that_checks_the_sheet(tmp_path):
    out = tmp_path / "draft.yaml"
    result = cli("init", EXAMPLES / "tiered-service.xlsx", "-o", out, "--name", "draft")
    assert result.exit_code == 0, result.output
    rules = parse_rules(out.read_text(encoding="utf-8"), str(out))
    types = {f.header[0]: f.type for f in rules.fields.values()}
    assert types["客户经理知晓率"] == "percent" and types["网络弱覆盖次数"] == "integer"
    assert rules.fields[rules.id].header == ["工号"]
    assert rules.fields["ji_tuan_lei_xing"].allowed == ["A类", "B类", "C类", "百强"]  # pinyin keys
    assert rules.id == "gong_hao" and not any(k.startswith("field_") for k in rules.fields)
    errors = check_file(EXAMPLES / "tiered-service.xlsx", rules).flatten(["code", "cell"])
    assert ["ambiguous-percent", "E16"] in errors
    assert cli("init", EXAMPLES / "tiered-service.xlsx", "-o", out).exit_code == 2  # no overwrite


@pytest.mark.parametrize("name", ["tiered-service", "ambassador-circle", "competency-potential"])
def test_every_shipped_template_accepts_its_own_example_data(tmp_path, name):
    shutil.copy(template(tmp_path, name), tmp_path / "t.xlsx")
    found = check_file(tmp_path / "t.xlsx", load_rules(name)).flatten(["code", "sheet"])
    skipped = [sheet for code, sheet in found if code == "sheet-skipped"]
    assert [c for c, _ in found if c != "sheet-skipped"] == ["no-rows"]
    assert len(skipped) == 1 and skipped[0] in ("填写说明", "Instructions")  # the instructions


def test_the_template_refuses_a_zero_where_a_ratio_divides_by_it(tmp_path):
    """data-submission divides by A类集团数 and rejects 0 there: the template let a 0 in (and
    validate then passed it, rank rejected it)."""
    out = tmp_path / "t.xlsx"
    assert cli("template", "-r", "data-submission", "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation if dv.type}
    assert (float(rules["C2:C1001"].formula1), float(rules["D2:D1001"].formula1)) == (1, 0)
    assert "不能为 0（用作比例的分母）" in rules["C2:C1001"].prompt


def test_the_templates_instructions_read_whole_and_print_one_page_wide(tmp_path):
    """The lead paragraph sat in a 24-character column and was cut off; the sheet printed on
    two pages, its columns apart."""
    for extra in ([], ["--adjust"]):
        out = tmp_path / f"t{len(extra)}.xlsx"
        assert cli("template", "-r", "data-submission", "-o", out, *extra).exit_code == 0
        ws = openpyxl.load_workbook(out)["填写说明"]
        assert "A2:B2" in {str(r) for r in ws.merged_cells.ranges}
        setup = ws.page_setup  # fitToWidth left out: 1
        assert (setup.fitToWidth in (None, 1), setup.fitToHeight, ws.sheet_properties.pageSetUpPr
                .fitToPage) == (True, 0, True)


def test_init_of_a_csv_types_its_numbers_and_avoids_the_results_own_names(tmp_path):
    """A CSV's cells are all text: every column was drafted as text; headers Score and Grade
    became the keys score and grade, which the draft's own `rules check` refused."""
    sheet = tmp_path / "en.csv"
    sheet.write_text("Employee ID,Name,Team,Score,Grade,Leave days\n"
                     "E1,Ann,North,95,A,0\nE2,Bo,South,88,B,2\nE3,Cy,North,79,C,1\n", "utf-8")
    out = tmp_path / "en.yaml"
    assert cli("init", sheet, "-o", out).exit_code == 0
    fields = yaml.safe_load(out.read_text("utf-8"))["fields"]
    assert {"score_2", "grade_2"} <= set(fields) and not {"score", "grade"} & set(fields)
    assert fields["score_2"]["type"] == "integer" and fields["leave_days"]["type"] == "integer"
    assert cli("rules", "check", out).exit_code == 0


def test_a_shares_part_is_described_as_not_more_than_its_whole(tmp_path):
    """R2's 已报 over A类集团数 is share-over in validate; the template's hint said only
    '整数；选填；不小于 0', so a clerk filled in 5 of 3."""
    out = tmp_path / "t.xlsx"
    assert cli("template", "--rules", "data-submission", "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    texts = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
             if c.value]
    assert any("不超过“A类集团数”" in t for t in texts)


def test_init_finds_an_id_column_of_numbers(tmp_path):
    """工号 1001, 1002 (and a CSV's Staff no 00107) were drafted as integers with no id; an
    id is the text its cell shows. A bare No. (a serial number) and Paid stay numbers."""
    sheet = tmp_path / "ids.csv"
    sheet.write_text("No.,Staff no,Name,Paid\n1,00107,Ann,300\n2,00108,Bo,250\n3,00109,Cy,200\n",
                     "utf-8")
    out = tmp_path / "ids.yaml"
    assert cli("init", sheet, "-o", out).exit_code == 0
    drafted = yaml.safe_load(out.read_text("utf-8"))
    assert drafted["id"] == "staff_no" and drafted["fields"]["staff_no"] == {
        "header": ["Staff no"], "type": "text", "required": True, "unique": True}
    assert drafted["fields"]["no"]["type"] == drafted["fields"]["paid"]["type"] == "integer"
    book = tmp_path / "ids.xlsx"
    wb = openpyxl.Workbook()
    for row in (["工号", "姓名", "得分"], [1001, "甲", 90], [1002, "乙", 85]):
        wb.active.append(row)
    wb.save(book)
    rules = parse_rules(cli("init", book).stdout, "draft.yaml")
    assert rules.id == "gong_hao" and rules.fields["gong_hao"].type == "text"
    assert check_file(book, rules).valid
