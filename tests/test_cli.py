"""The CLI's contract: workbook shape, text never a formula, exit codes, help, no tracebacks."""

import csv
import json

import openpyxl
import pytest
from typer.main import get_command

from conftest import EXAMPLES, R1_HEADER, cli, write_xlsx
from svcperf.cli.app import app

GOOD = ["E001", "张三", "要客", "A类", 0.9, 0.85, 1.0, 0, 0]


def test_result_workbook_has_the_four_sheets_frozen_and_filtered(tmp_path):
    out = tmp_path / "r.xlsx"
    assert cli("rank", EXAMPLES / "gas-service-center.xlsx", "-o", out).exit_code == 1
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["概览", "考核结果 主管", "考核结果 员工", "分组汇总 主管",
                             "分组汇总 员工", "未通过校验 主管", "未通过校验 员工", "运行信息"]
    ws = wb["考核结果 员工"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    assert header[:2] == ["排名", "组内排名"] and "最终等级" in header and "评定说明" in header
    assert ws.conditional_formatting  # grades coloured
    summary = [c.value for c in wb["分组汇总 员工"][1]]
    assert {"A+名额", "A+实际", "配额表", "未通过校验行数"} <= set(summary)
    rejected = wb["未通过校验 员工"]
    assert rejected.max_row == 4 and "八十" in [c.value for c in rejected[2]]
    run = {r[0].value: r[1].value for r in wb["运行信息"].iter_rows(max_row=11)}
    assert run["规则"] == "gas-service-center" and len(run["输入文件 SHA-256"]) == 64


def test_percent_cells_are_formatted_as_percent(tmp_path):
    out = tmp_path / "r.xlsx"
    cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "-q")
    ws = openpyxl.load_workbook(out)["考核结果"]
    col = [c.value for c in ws[1]].index("客户经理知晓率") + 1
    assert ws.cell(2, col).number_format == "0.00%"


def test_text_is_never_written_as_a_formula(tmp_path):
    evil = '=HYPERLINK("http://x","y")'
    sheet = write_xlsx(tmp_path / "s.xlsx", [
        ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率",
         "优惠活动知晓率", "备注"],
        ["E1", evil, "=1+1", "A类", 0.9, 0.85, 1.0, "@SUM(A1)"]])
    out = tmp_path / "r.xlsx"
    assert cli("rank", sheet, "--rules", "tiered-service", "-o", out, "-q").exit_code == 0
    ws = openpyxl.load_workbook(out)["考核结果"]
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=2) for c in row}
    assert cells[evil] == "s" and cells["=1+1"] == "s" and cells["@SUM(A1)"] == "s"
    csv_out = tmp_path / "r.csv"
    cli("rank", sheet, "--rules", "tiered-service", "-o", csv_out, "-q")
    row = next(csv.DictReader(csv_out.open(encoding="utf-8-sig")))
    assert row["name"] == "'" + evil and row["center"] == "'=1+1"


def test_csv_and_json_use_canonical_keys_and_account_for_every_row(tmp_path):
    out = tmp_path / "r.csv"
    cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "-q")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {"employee_id", "awareness", "score", "band_grade", "grade", "coefficient", "rank",
            "group_rank", "incentive_pct", "status", "reasons"} <= set(rows[0])
    assert len(rows) == 12 and [r["status"] for r in rows].count("rejected") == 1


def test_json_names_a_shipped_rule_set_as_rules_takes_it_on_any_machine(tmp_path):
    """run.rule_file was where this machine installed the shipped file (site-packages/...):
    a path that means nothing where the result is read; a user's file stays as given."""
    from svcperf.rules.load import SHIPPED

    out = tmp_path / "r.json"
    cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "-q")
    assert json.loads(out.read_text(encoding="utf-8"))["run"]["rule_file"] == "tiered-service"
    mine = tmp_path / "mine.yaml"
    mine.write_text((SHIPPED / "tiered-service.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    cli("rank", EXAMPLES / "tiered-service.xlsx", "-r", mine, "-o", out, "-q", "--force")
    assert json.loads(out.read_text(encoding="utf-8"))["run"]["rule_file"] == str(mine)


def test_rules_error_exits_2_with_file_line_and_key(tmp_path):
    rules = tmp_path / "x.yaml"
    rules.write_text("name: x\nfields:\n  a: {header: A, type: number}\nbands:\n"
                     "  - {grade: A, cutoff: 九十}\n", encoding="utf-8")
    result = cli("rank", EXAMPLES / "tiered-service.xlsx", "--rules", rules, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2
    assert f'{rules}:5 bands[0].cutoff: expected a number, got "九十"' in result.output
    assert "Traceback" not in result.output


def test_rules_check_command(tmp_path):
    assert cli("rules", "check", "tiered-service").exit_code == 0
    bad = tmp_path / "b.yaml"
    bad.write_text("name: b\nfields: {}\n", encoding="utf-8")
    assert cli("rules", "check", bad).exit_code == 2


def test_strict_refuses_a_sheet_with_errors(tmp_path):
    out = tmp_path / "r.xlsx"
    result = cli("rank", EXAMPLES / "tiered-service.xlsx", "--strict", "-o", out)
    # the contract: --strict refusing is "could not do its job", exit 2, and no grades shown
    assert result.exit_code == 2 and "--strict refuses" in result.stderr and not out.exists()
    assert result.stderr.startswith("svcperf: error: ") and "grades:" not in result.output


def test_dry_run_writes_nothing_and_shows_quota_counts(tmp_path):
    out = tmp_path / "r.xlsx"
    result = cli("rank", EXAMPLES / "ambassador-circle.xlsx", "--dry-run", "-o", out)
    assert "3/2" in result.output and "dry run" in result.output and not out.exists()


def test_missing_required_column_is_a_file_error(tmp_path):
    sheet = write_xlsx(tmp_path / "s.xlsx", [["工号", "中心", "集团类型"], ["E1", "要客", "A类"]])
    result = cli("rank", sheet, "--rules", "tiered-service", "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2 and "客户经理知晓率" in result.output


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_field_headed_on_two_columns_is_not_ranked(tmp_path, suffix):
    """满意度得分 and 满意度 both name the satisfaction field: rank scored the first column
    and exited 0 (with --strict too), while validate called it an error."""
    head = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "满意度"]
    rows = [head, *[[f"A{i}", f"n{i}", "c", 50 + i, 80, 90 - i] for i in range(5)]]
    sheet = tmp_path / f"s{suffix}"
    if suffix == ".csv":
        sheet.write_text("\n".join(",".join(map(str, r)) for r in rows), encoding="utf-8")
    else:
        write_xlsx(sheet, rows)
    for strict in ([], ["--strict"]):
        result = cli("rank", sheet, "-r", "ambassador-circle", "-o", tmp_path / "o.json", *strict)
        assert result.exit_code == 2 and not (tmp_path / "o.json").exists()
        assert "header '满意度' names a field twice (also column D, headed '满意度得分')" in result.stderr
    zh = cli("rank", sheet, "-r", "ambassador-circle", "-o", tmp_path / "o.json", "--lang", "zh")
    assert f"s{suffix} 工作表“" in zh.stderr
    assert "表头“满意度”所指字段重复（另见第 D 列“满意度得分”）" in zh.stderr


def test_unknown_sheet_layout_without_rules_is_exit_2(tmp_path):
    sheet = write_xlsx(tmp_path / "s.xlsx", [["a", "b"], [1, 2]])
    result = cli("rank", sheet)
    assert result.exit_code == 2 and "no shipped rule set matches" in result.output


def test_no_match_names_the_closest_rule_set_and_what_it_missed(tmp_path):
    sheet = write_xlsx(tmp_path / "s.xlsx", [["10月"], ["工号", "客户经理", "中心", "集团"],
                                             ["E1", "a", "b", "A类"]])
    result = cli("rank", sheet)
    assert result.exit_code == 2
    assert "Closest: tiered-service, header row 2 matches 工号, 客户经理, 中心 (3 of 10 fields)" \
        in result.output
    assert "missing 集团类型 (nearest: 集团)" in result.output


def test_output_never_overwrites_the_input(tmp_path):
    sheet = write_xlsx(tmp_path / "s.xlsx", [["工号"]])
    result = cli("rank", sheet, "--rules", "tiered-service", "-o", sheet)
    assert result.exit_code == 2 and "never overwritten" in result.output


AMBASSADOR = [f"ambassador-2026-0{m}.xlsx" for m in (1, 2, 3)]


@pytest.mark.parametrize("args, clash", [
    (["rank", "tiered-service.xlsx", "--summary", "tiered-service.xlsx", "-q"], "--summary"),
    (["rank", "tiered-service.xlsx", "--combined", "./tiered-service.xlsx", "--force"],
     "--combined"),
    (["rank", "a.xlsx", "b.xlsx", "--summary", "s.json", "--combined", "s.json"], "--combined"),
    (["rank", "ambassador-circle.xlsx", "-o", "ambassador-appeal.csv", "--adjust",
      "ambassador-appeal.csv", "--force"], "-o"),
    (["rollup", *AMBASSADOR, "-r", "ambassador-circle", "-o", AMBASSADOR[0], "--force"], "-o"),
    (["rollup", *AMBASSADOR, "-r", "ambassador-circle", "--ledger", "l.xlsx", "-o", "l.xlsx"],
     "-o"),
    (["rollup", *AMBASSADOR, "-r", "ambassador-circle", "--ledger", AMBASSADOR[1]], "--ledger"),
    (["diff", AMBASSADOR[0], AMBASSADOR[1], "-o", AMBASSADOR[0], "--force"], "-o"),
    (["init", "tiered-service.xlsx", "-o", "tiered-service.xlsx", "--force"], "-o"),
])
def test_no_output_is_ever_one_of_the_inputs(tmp_path, monkeypatch, args, clash):
    """Every option that writes a file refuses a file the same command reads (or writes
    already), --force or not, before anything is read or written."""
    for name in ["tiered-service.xlsx", "ambassador-circle.xlsx", "ambassador-appeal.csv",
                 *AMBASSADOR]:
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    for name in ("a.xlsx", "b.xlsx"):
        (tmp_path / name).write_bytes((EXAMPLES / "tiered-service.xlsx").read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert f"{clash} " in result.output and "inputs are never overwritten" in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing new either


def test_validate_chinese_messages(tmp_path):
    row = list(GOOD)
    row[3] = "Z类"
    sheet = write_xlsx(tmp_path / "s.xlsx", [["工号", "客户经理", "中心", "集团类型",
                                              "客户经理知晓率", "客户经理满意率",
                                              "优惠活动知晓率"], row[:7]])
    result = cli("validate", sheet, "--lang", "zh", "--format", "json")
    assert any("不在允许值" in i["message"] for i in json.loads(result.stdout)["issues"])
    table = cli("validate", sheet)  # the verdict names the rule set it was checked against
    assert table.stdout.rstrip().endswith("(rule set tiered-service)"), table.stdout


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


@pytest.mark.parametrize("path, command", list(_commands(get_command(app))))
def test_every_command_has_help_with_an_example(path, command):
    assert command.help and "Example:" in command.help, path
    assert cli(*path, "--help").exit_code == 0


def test_odd_text_survives_the_workbook(tmp_path):
    odd = ["a & b <c>", "tab\there", "bell\x07", "_x0041_", "  padded  ", "x" * 40000]
    sheet = write_xlsx(tmp_path / "s.xlsx", [
        ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率", "优惠活动知晓率"],
        *[[f"E{i}", text, "要客", "A类", 0.9, 0.85, 1.0] for i, text in enumerate(odd)]])
    out = tmp_path / "r.xlsx"
    assert cli("rank", sheet, "--rules", "tiered-service", "-o", out, "-q").exit_code == 0
    # read back the way Excel does: _xHHHH_ escapes decoded (openpyxl leaves them as written)
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(out).get_sheet_by_name("考核结果").to_python()
    col = rows[0].index("客户经理")
    names = {row[col] for row in rows[1:]}
    assert {"a & b <c>", "tab\there", "_x0041_", "bell\x07", "padded", "x" * 32767} <= names


def test_brackets_in_names_and_cells_are_shown_not_parsed_as_markup(tmp_path):
    sheet = write_xlsx(tmp_path / "march[1].xlsx", [
        ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率", "优惠活动知晓率"],
        ["E1", "[/bold]", "要客", "[/x]", 0.9, 0.9, 1.0]])
    for args in (["validate", sheet], ["rank", sheet, "-o", tmp_path / "o.xlsx"]):
        result = cli(*args, "--rules", "tiered-service")
        assert result.exit_code == 1 and "internal error" not in result.output
        assert "[/x]" in result.output and "march[1].xlsx" in result.output


def test_template_rows_past_a_sheet_are_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "t.xlsx"
    result = cli("template", "-r", "tiered-service", "-o", out, "--rows", "1048576")
    assert result.exit_code == 2 and "give a whole number of 1,048,575 or less" in result.output
    assert not out.exists()


def test_a_sheets_own_score_and_rank_columns_never_take_the_computed_ones_place(tmp_path):
    """A clerk's columns headed rank and score (last month's) overwrote the computed score
    and rank in CSV, and took them out of the JSON rows; two columns headed 备注 kept one."""
    sheet = tmp_path / "uk.csv"
    sheet.write_text("工号,姓名,服务中心,满意度得分,客诉控制得分,rank,score,备注,备注\n"
                     "A1,a,c,90,80,上月第5,99,x,x2\nA2,b,c,70,80,上月第1,98,y,y2\n",
                     encoding="utf-8")
    outs = {s: tmp_path / f"out{s}" for s in (".csv", ".json", ".xlsx")}
    for out in outs.values():
        assert cli("rank", sheet, "-r", "ambassador-circle", "-o", out, "-q").exit_code == 0
    import csv

    rows = list(csv.DictReader(outs[".csv"].open(encoding="utf-8-sig")))
    assert [(r["score"], r["rank"], r["sheet:score"], r["sheet:rank"], r["备注"], r["备注 (I)"])
            for r in rows] == [("86", "1", "99", "上月第5", "x", "x2"),
                               ("74", "2", "98", "上月第1", "y", "y2")]
    doc = json.loads(outs[".json"].read_text(encoding="utf-8"))["rows"][0]
    assert (doc["score"], doc["rank"], doc["extra"]) == (
        86, 1, {"rank": "上月第5", "score": "99", "备注": "x", "备注 (I)": "x2"})
    diff = cli("diff", outs[".xlsx"], outs[".csv"])  # one run read back from both: the same
    assert diff.exit_code == 0 and "2 unchanged" in diff.stdout


def test_a_field_may_not_take_a_name_the_results_use(tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("name: r\nfields:\n  id: {header: 工号, type: text}\n"
                     "  status: {header: 状态, type: text}\n", encoding="utf-8")
    result = cli("rules", "check", rules)
    assert result.exit_code == 2
    assert "r.yaml:4 fields.status: field key 'status' is a name the results use" in result.stderr


def test_carried_columns_keep_distinct_names_however_they_are_headed(tmp_path):
    """A column headed sheet:score beside one headed score: the CSV had one sheet:score column
    (the clerk's NOTE) and OLD-SCORE was gone."""
    sheet = tmp_path / "col.csv"
    sheet.write_text(",".join(R1_HEADER) + ",score,sheet:score\n"
                     "E1,a,c,A类,95%,90%,100%,0,0,OLD-SCORE,NOTE\n", encoding="utf-8")
    out = tmp_path / "o.json"
    assert cli("rank", sheet, "-r", "tiered-service", "-o", out, "-q").exit_code == 0
    assert json.loads(out.read_text("utf-8"))["rows"][0]["extra"] == {
        "score": "OLD-SCORE", "sheet:score": "NOTE"}  # under extra: by their headers
    table = tmp_path / "o.csv"
    assert cli("rank", sheet, "-r", "tiered-service", "-o", table, "-q").exit_code == 0
    import csv

    row = next(csv.DictReader(table.open(encoding="utf-8-sig")))
    assert (row["sheet:score"], row["sheet:score (K)"]) == ("OLD-SCORE", "NOTE")


def test_an_error_line_is_one_line_whatever_a_name_holds(tmp_path):
    """A zip member named with a newline and a right-to-left override split the error line in
    two and turned its end around; an empty zip said '(it holds )'."""
    import zipfile

    path = tmp_path / "esc.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("\x1b[31mred\nfake: ok\u202e.txt", "x")
    done = cli("validate", path)
    assert done.exit_code == 2 and len(done.stderr.splitlines()) == 1
    assert "\u202e" not in done.stderr and "red fake: ok.txt" in done.stderr
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w"):
        pass
    assert "an empty zip archive, not a workbook" in cli("validate", tmp_path / "empty.xlsx").stderr


def test_json_output_is_one_line_per_row_and_issue(tmp_path):
    rows = [[f"E{i}", "x", "要客", "A类", 1.5 if i % 2 else 0.9, 0.85, 1.0, 0, 0] for i in range(6)]
    sheet = write_xlsx(tmp_path / "s.xlsx", [R1_HEADER, *rows])
    out = tmp_path / "o.json"
    assert cli("rank", sheet, "-o", out, "-q").exit_code == 1  # E1, E3, E5 rejected
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    lines = text.splitlines()
    for key in ("rows", "issues"):  # each entry is one line, read back as it was written
        start = lines.index(f' "{key}": [')
        entries = [line.strip().rstrip(",") for line in lines[start + 1:start + 1 + len(doc[key])]]
        assert [json.loads(e) for e in entries] == doc[key]
    assert len(doc["rows"]) == 6 and len(doc["issues"]) >= 3
    assert doc["schema_version"] == 1 and doc["run"]["rows_rejected"] == 3


def test_a_rejected_rows_numeric_id_is_text_as_a_ranked_ones(tmp_path):
    rows = [[1000 + i, "x", "要客", "A类", 0.9, 0.85, 1.0, 0, 0] for i in range(1, 4)]
    rows += [[1004, "y", "要客", "A类", 93, 0.85, 1, 0, 0],  # ambiguous 93: rejected
             [110101199001011234, "z", "要客", "A类", 0.9, 0.85, 1, 0, 0]]  # long-number
    sheet = write_xlsx(tmp_path / "s.xlsx", [R1_HEADER, *rows])
    out = tmp_path / "o.json"
    assert cli("rank", sheet, "-o", out, "-q").exit_code == 1
    ids = {r["employee_id"]: r["status"] for r in json.loads(out.read_text())["rows"]}
    assert ids == {"1001": "ranked", "1002": "ranked", "1003": "ranked", "1004": "rejected",
                   "110101199001011000": "rejected"}  # the 15 digits Excel kept, none made up


def test_a_bug_raising_valueerror_is_an_internal_error_not_the_users(monkeypatch, capsys):
    """Every ValueError was said as a plain error about the file (pandas' 'All arrays must be
    of the same length' read as the sheet's fault, SVCPERF_DEBUG showing nothing)."""
    import sys

    import svcperf.api
    from svcperf.cli.app import run

    def broken(*args, **kwargs):
        raise ValueError("All arrays must be of the same length")

    monkeypatch.setattr(svcperf.api, "rank_book", broken)
    monkeypatch.setattr(sys, "argv", ["svcperf", "rank", str(EXAMPLES / "ambassador-circle.xlsx"),
                                      "--dry-run"])
    with pytest.raises(SystemExit) as done:
        run()
    assert done.value.code == 2
    assert "internal error: ValueError: All arrays must be of the same length" in capsys.readouterr().err
