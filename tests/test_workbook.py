"""The result workbook as a person reads and prints it: one language, the Summary's answers,
each column's number format, the print setup, and LibreOffice rendering every page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, R1_HEADER, ROOT, cli, write_xlsx
from svcperf.api import rank_sheet
from svcperf.io.ledger import read_ledger
from svcperf.io.report import half_up
from svcperf.io.write import write_result
from svcperf.io.xlsx import decimals, kind_options, typed_options
from svcperf.issues import SEVERITY

SHEETS = {"tiered-service": {}, "data-submission": {"month": "9"}, "gas-service-center": {},
          "ambassador-circle": {}, "account-manager-levels": {}, "competency-potential": {}}
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
HEX = re.compile(r"[0-9a-f]{16,}")


def ranked(tmp_path: Path, name: str) -> tuple[Path, object]:
    """An example ranked with English messages (the workbook must still be the rule set's)."""
    run, _ = rank_sheet(EXAMPLES / f"{name}.xlsx", None, SHEETS[name], lang="en")
    return write_result(run, tmp_path / f"{name}.xlsx"), run


def typed_words(path: Path) -> set[str]:
    """Every ASCII word a clerk typed into the input workbook (ids, group names, headers)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    words: set[str] = set()
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            words |= {w for v in row if isinstance(v, str) for w in WORD.findall(v)}
    return words


def english_words(text: str, allowed: set[str]) -> set[str]:
    if "/" in text or "\\" in text or text.endswith((".xlsx", ".yaml")):
        return set()  # a path or file name
    return {w for w in WORD.findall(HEX.sub(" ", text)) if w not in allowed}


@pytest.mark.parametrize("name", sorted(SHEETS))
def test_a_zh_workbook_holds_no_english_label(tmp_path, name):
    """Sheet names, every header row, and the Overview, Summary and Run sheets whole: no ASCII
    word that is not an issue code, a grade, the rule set's name, a file, a hash or typed in."""
    out, run = ranked(tmp_path, name)
    allowed = typed_words(EXAMPLES / f"{name}.xlsx") | {w for c in SEVERITY
                                                         for w in [c, *c.split("-")]}
    allowed |= {run.rules.name, "svcperf", "SHA", *(g for p in run.parts
                                                   for g in p.part.grade_order)}
    allowed |= {w for p in run.parts for g in p.part.grade_order for w in WORD.findall(g)}
    wb = openpyxl.load_workbook(out)
    found: dict[str, set[str]] = {}
    for ws in wb.worksheets:
        found.setdefault("sheet names", set()).update(english_words(ws.title, allowed))
        whole = ws.title.split(" ")[0] in ("概览", "分组汇总", "运行信息")
        for row in ws.iter_rows(max_row=None if whole else 1, values_only=True):
            for v in row:
                if isinstance(v, str):
                    found.setdefault(ws.title, set()).update(english_words(v, allowed))
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("name", sorted(SHEETS))
def test_no_number_is_left_in_general_format(tmp_path, name):
    """Every numeric cell of every sheet carries a number format of its own."""
    out, _ = ranked(tmp_path, name)
    general = [(ws.title, c.coordinate) for ws in openpyxl.load_workbook(out).worksheets
               for row in ws.iter_rows() for c in row
               if isinstance(c.value, int | float) and not isinstance(c.value, bool)
               and c.number_format == "General"]
    assert not general


def test_lang_is_the_messages_the_workbook_stays_the_rule_sets(tmp_path):
    """--lang en made the labels English and left every reason Chinese: a workbook is in its
    rule set's language throughout (its reasons are made in it), --lang is the terminal's."""
    out = tmp_path / "r.xlsx"
    said = cli("rank", EXAMPLES / "gas-service-center.xlsx", "-o", out, "--lang", "en")
    assert "rejected" in said.stdout
    zh = tmp_path / "zh.xlsx"
    cli("rank", EXAMPLES / "gas-service-center.xlsx", "-o", zh, "-q")
    for path in (out, zh):
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames[0] == "概览" and "分组汇总 员工" in wb.sheetnames


def column(ws, header: str) -> list[openpyxl.cell.Cell]:
    at = [c.value for c in ws[1]].index(header) + 1
    return [ws.cell(r, at) for r in range(2, ws.max_row + 1) if ws.cell(r, at).value is not None]


def test_each_numeric_column_has_its_own_right_format(tmp_path):
    out, _ = ranked(tmp_path, "ambassador-circle")
    ws = openpyxl.load_workbook(out)["考核结果"]
    assert {c.number_format for c in column(ws, "请假天数")} == {"0"}  # not 15.00
    assert {c.number_format for c in column(ws, "得分")} == {"0.00"}
    assert {c.value for c in column(ws, "重大客诉")} <= {"是", "否"}  # not TRUE / FALSE
    out, _ = ranked(tmp_path, "tiered-service")
    ws = openpyxl.load_workbook(out)["考核结果"]
    incentive = column(ws, "激励比例%")
    assert {c.number_format for c in incentive} == {'+0"%";-0"%";0"%"'}  # never "+5.%"
    assert {c.number_format for c in column(ws, "客户经理知晓率")} == {"0.00%"}


def test_rejected_cells_show_as_typed_and_carried_columns_keep_their_format(tmp_path):
    sheet = write_xlsx(tmp_path / "s.xlsx", [
        [*R1_HEADER, "占比", "请假天数"],
        ["E1", "甲", "要客", "A类", 0.9, 0.85, 1.0, 0, 0, 0.35, 15],
        ["E2", "乙", "要客", "A类", 93, 0.85, 1.0, 0, 0, 0.5, 2],  # typed 93: not a share
        ["E3", "丙", "要客", "Z类", 0.93, 0.85, 1.0, 0, 0, 0.25, 3]], percent_cols=(4,))
    out = tmp_path / "r.xlsx"
    assert cli("rank", sheet, "--rules", "tiered-service", "-o", out, "-q").exit_code == 1
    wb = openpyxl.load_workbook(out)
    rejected = wb["未通过校验"]
    awareness = {c.value: c.number_format for c in column(rejected, "客户经理知晓率")}
    assert awareness[93] == "0" and awareness[0.93] == "0%"  # 93, and 93 % as typed
    results = wb["考核结果"]
    assert {c.number_format for c in column(results, "占比")} == {"0.00%"}
    assert {c.number_format for c in column(results, "请假天数")} == {"0"}


def test_every_sheet_prints_on_a4_one_page_wide_with_title_and_page_numbers(tmp_path):
    out, _ = ranked(tmp_path, "gas-service-center")
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title
        assert "燃气分公司客服中心员工考核结果" in ws.oddHeader.center.text, ws.title
        assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页", ws.title
        if ws.title.split(" ")[0] in ("考核结果", "未通过校验"):
            assert ws.print_title_rows == "$1:$1", ws.title
        if ws.title == "分组汇总 员工":  # too wide for one page: see the test below
            continue
        assert ws.sheet_properties.pageSetUpPr.fitToPage  # fitToWidth: absent means 1
        assert ws.page_setup.fitToWidth in (None, 1), ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title


def test_a_summary_too_wide_for_one_page_prints_readable_across_pages(tmp_path):
    """R3's staff Summary (19 columns) fitted one page wide printed at about half size
    (review: ~5 pt); it prints at 85 % across pages, the branch column on each, landscape."""
    out, _ = ranked(tmp_path, "gas-service-center")
    ws = openpyxl.load_workbook(out)["分组汇总 员工"]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 85 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_cols == "$A:$A"


def test_print_scale_fits_one_page_wide_only_while_readable():
    from svcperf.io.xlsx import MIN_SCALE, print_scale

    assert print_scale([10.0] * 5) == 1.0
    assert MIN_SCALE <= print_scale([8.0] * 18) < 1.0  # R3's Results: one page wide
    assert print_scale([7.0] * 14 + [26.0] * 5) < MIN_SCALE  # R3's staff Summary: too wide


def test_the_summary_puts_its_chart_and_data_on_one_page_without_the_tables_header(tmp_path):
    """R2's Summary took 3 pages, the table's header repeated over the chart's data (review):
    the table on one, the chart with its data on the next, no header repeated."""
    out, _ = ranked(tmp_path, "data-submission")
    ws = openpyxl.load_workbook(out)["分组汇总"]
    assert ws.print_title_rows is None
    rows = list(ws.iter_rows(values_only=True))
    data = next(i for i, r in enumerate(rows) if r[0] == "图表数据")
    assert [b.id for b in ws.row_breaks.brk] == [17]  # before the chart (below the target)
    assert len(rows) - data <= 14 and rows[data][1:3] == ("达标", "未达标")


def test_chart_breaks_keep_the_chart_whole_and_off_the_tables_page_only_when_needed():
    from svcperf.io.report import chart_breaks

    assert chart_breaks(200.0, 14, 24, 30, 498.0) == []  # 16 rows fit below the table
    assert chart_breaks(240.0, 16, 35, 48, 498.0) == [16]  # the chart and data on a page
    assert chart_breaks(240.0, 16, 50, 70, 498.0) == [16, 50]  # too tall together


def test_the_title_names_the_period(tmp_path):
    run, _ = rank_sheet(EXAMPLES / "tiered-service.xlsx", None, {}, period="2026-03")
    ws = openpyxl.load_workbook(write_result(run, tmp_path / "r.xlsx"))["概览"]
    assert ws["A1"].value == "2026年3月 集团客户分层分级服务考核结果"
    assert "2026年3月 集团客户分层分级服务考核结果" in ws.oddHeader.center.text


def test_column_widths_count_cjk_double_and_are_capped(tmp_path):
    out, _ = ranked(tmp_path, "gas-service-center")
    ws = openpyxl.load_workbook(out)["未通过校验 员工"]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert widths["原因"] <= 37 and widths["原因"] > widths["问题代码"] > widths["工号"]


def summary(path: Path, sheet: str) -> dict[str, dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    head, out = rows[0], {}
    for r in rows[1:]:  # the table's rows (the chart's data below it come later)
        if r[0] and isinstance(r[1], int):
            out.setdefault(str(r[0]), dict(zip(head, r, strict=False)))
    return out


def test_summary_answers_whether_the_quotas_held(tmp_path):
    out, run = ranked(tmp_path, "gas-service-center")
    staff = summary(out, "分组汇总 员工")
    assert staff["中区"]["人数"] == 0 and staff["中区"]["未通过校验行数"] == 2  # all rejected
    east = staff["东区"]
    assert (east["A+名额"], east["A+实际"]) == (2, 3) and "同分" in east["名额与实际"]
    assert "主管等级为 A+" in east["配额表"]
    total = staff["合计"]["人数"] + staff["合计"]["未通过校验行数"]
    assert total == run.parts[1].rows_in == 23  # every row counted
    wb = openpyxl.load_workbook(out)
    ws = wb["分组汇总 员工"]
    flagged = {(ws.cell(1, c.column).value, c.value) for row in ws.iter_rows(min_row=2)
               for c in row if c.fill.fgColor.rgb == "FFF8CBAD"}
    assert ("A+实际", 3) in flagged and ("A实际", 5) not in flagged
    assert ws._charts, "a chart below the table"  # openpyxl keeps what it read
    population = summary(ranked(tmp_path, "ambassador-circle")[0], "分组汇总")["全表"]
    assert (population["A名额"], population["A实际"]) == (2, 3)  # a whole-sheet scope
    sub = summary(ranked(tmp_path, "data-submission")[0], "分组汇总")
    assert sub["龙桥"]["平均分"] == 66.67  # (100 + 33.33) / 2, half-up once
    rows = list(openpyxl.load_workbook(tmp_path / "data-submission.xlsx")["分组汇总"]
                .iter_rows(values_only=True))
    assert ("本月目标", "70%（月份 9）") in [r[:2] for r in rows]


def test_results_run_by_group_then_group_rank(tmp_path):
    out, _ = ranked(tmp_path, "account-manager-levels")
    rows = list(openpyxl.load_workbook(out)["考核结果"].iter_rows(values_only=True))
    head = rows[0]
    groups = [r[head.index("区县")] for r in rows[1:]]
    ranks = [r[head.index("组内排名")] for r in rows[1:]]
    assert groups == sorted(groups, key=groups.index)  # each group in one block
    for g in set(groups):
        mine = [k for x, k in zip(groups, ranks, strict=True) if x == g]
        assert mine == sorted(mine)


def test_a_group_rank_column_only_where_some_group_holds_more_than_one_person(tmp_path):
    """gas-service-center: one supervisor a branch, so 组内排名 would read 1 on every 主管 row;
    the 员工 sheet, several a branch, keeps it."""
    out, _ = ranked(tmp_path, "gas-service-center")
    book = openpyxl.load_workbook(out)
    heads = {name: [c.value for c in book[name][1]] for name in ("考核结果 主管", "考核结果 员工")}
    assert "组内排名" not in heads["考核结果 主管"] and "排名" in heads["考核结果 主管"]
    assert "组内排名" in heads["考核结果 员工"]


def test_the_ledger_is_written_in_the_rule_sets_language_and_read_in_either(tmp_path):
    ledger = tmp_path / "points.xlsx"
    files = [EXAMPLES / f"ambassador-2026-0{m}.xlsx" for m in (1, 2, 3)]
    assert cli("rollup", *files, "--rules", "ambassador-circle", "--ledger", ledger, "-o",
               tmp_path / "q1.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(ledger)
    assert wb.sheetnames == ["积分余额", "积分明细", "连续等级"]
    assert [c.value for c in wb["积分明细"][1]] == ["记录时间", "期间", "编号", "姓名", "积分变动",
                                                  "原因"]
    english = tmp_path / "english.xlsx"
    write_xlsx(english, [["recorded_at", "period", "id", "name", "change", "reason"],
                         ["2026-04-01", "2026Q1", "A001", "林晓", 300, "A 2026Q1"],
                         [None, "2026Q1", "A001", "林晓", -100, "兑换"]], sheet="History")
    assert read_ledger(english).balances() == {"A001": 200}


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=20))
def test_decimals_are_the_fewest_that_show_each_number_to_two_places(values):
    d = decimals(values)
    assert all(round(v, d) == round(v, 2) for v in values)
    assert d == 0 or any(round(v, d - 1) != round(v, 2) for v in values)
    code = kind_options("pct_points", 2, values)["num_format"]
    assert '."' not in code and ".;" not in code  # no bare point: "+5.%" cannot show


@given(st.integers(-10**7, 10**7), st.integers(0, 3))
def test_half_up_rounds_the_decimal_text_once(thousandths, places):
    value = thousandths / 1000
    expected = float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
    assert half_up(value, places) == expected


@given(st.one_of(st.integers(-1000, 1000), st.floats(-2, 2, allow_nan=False)))
def test_a_typed_cell_keeps_what_was_typed(value):
    fmt = typed_options(value, percent=True)
    if isinstance(value, float) and not value.is_integer() and -1.5 <= value <= 1.5:
        assert fmt["num_format"].endswith("%")
    else:
        assert "%" not in fmt["num_format"]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not SOFFICE and not os.environ.get("CI"), reason="no LibreOffice here")
def test_libreoffice_prints_every_sheet(tmp_path):
    """Each sheet of the R1 workbook fits one page (one page wide, a few rows): LibreOffice
    must produce exactly one page per sheet, the Run sheet included."""
    assert SOFFICE, "CI must install LibreOffice"
    out, _ = ranked(tmp_path, "tiered-service")
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / "tiered-service.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == len(openpyxl.load_workbook(out).sheetnames) == 5


def test_the_summary_chart_stays_readable_with_a_dozen_groups(tmp_path):
    """13 counties: one 100 % stacked bar per county for its quota and one for its actual
    grades (and two for the whole sheet), in the grades' own colours, below the table."""
    import zipfile

    counties = ["金牛", "武侯", "青羊", "锦江", "成华", "高新", "天府", "双流", "郫都", "温江",
                "新都", "龙泉", "彭州"]
    rows = [["工号", "姓名", "区县", "当前级别", "年度得分"]]
    rows += [[f"K{c}{i}", f"员工{c}{i}", county, "中级", 60 + (7 * i + 3 * c) % 40]
             for c, county in enumerate(counties) for i in range(6)]
    out = tmp_path / "r.xlsx"
    assert cli("rank", write_xlsx(tmp_path / "s.xlsx", rows), "--rules",
               "account-manager-levels", "-o", out, "-q").exit_code == 0
    with zipfile.ZipFile(out) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
        drawing = zf.read("xl/drawings/drawing1.xml").decode()
    assert '<c:grouping val="percentStacked"/>' in chart and '<c:barDir val="bar"/>' in chart
    assert f'<c:ptCount val="{2 * len(counties)}"/>' in chart  # no bars for the total row
    assert re.findall(r'<c:ser>.*?<a:srgbClr val="(\w+)"/>', chart) == ["63BE7B", "5B9BD5",
                                                                          "E0464B"]
    top = int(re.search(r"<xdr:from><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff>"
                        r"<xdr:row>(\d+)</xdr:row>", drawing).group(1))
    assert top > len(counties) + 1  # below the table's rows (13 counties and the total)


def test_months_ranked_in_either_language_roll_up_the_same(tmp_path):
    """A quarter from monthly workbooks written in English (a rule set in English) and in
    Chinese."""
    files = [EXAMPLES / f"ambassador-2026-0{m}.xlsx" for m in (1, 2, 3)]
    english = tmp_path / "ambassador-en.yaml"
    english.write_text((ROOT / "src/svcperf/rules/shipped/ambassador-circle.yaml")
                       .read_text("utf-8").replace("language: zh", "language: en"), "utf-8")
    ranked = []
    for n, sheet in enumerate(files):
        out = tmp_path / f"{sheet.stem}.ranked.xlsx"
        rules = ("--rules", english) if n != 1 else ()
        assert cli("rank", sheet, "-o", out, "-q", *rules).exit_code == 0
        ranked.append(out)
    assert openpyxl.load_workbook(ranked[0]).sheetnames[1] == "Results"
    assert openpyxl.load_workbook(ranked[1]).sheetnames[1] == "考核结果"
    for name, inputs, code in (("a.csv", ranked, 1), ("b.csv", files, 0)):
        done = cli("rollup", *inputs, "--rules", "ambassador-circle", "-o", tmp_path / name)
        assert done.exit_code == code  # months of the English copy: another version, said
        assert ("was ranked with another version of rule set ambassador-circle" in done.output) \
            == (code == 1)
    assert (tmp_path / "a.csv").read_text(encoding="utf-8-sig") == \
        (tmp_path / "b.csv").read_text(encoding="utf-8-sig")


@given(st.lists(st.tuples(st.sampled_from(["金牛", "武侯", "青羊", "锦江"]),
                          st.one_of(st.integers(0, 100), st.just("缺考")),
                          st.sampled_from(["初级", "中级", "高级"])), min_size=1, max_size=30))
def test_the_summary_accounts_for_every_row(people):
    """Whatever the sheet: every group appears (all-rejected ones too), head counts and
    rejected counts add up to the whole sheet's row, and each group's grades to its head count."""
    import tempfile

    from svcperf.io.report import summary_frame

    rows = [["工号", "姓名", "区县", "当前级别", "年度得分"]]
    rows += [[f"K{i:02d}", f"员工{i}", county, level, score]
             for i, (county, score, level) in enumerate(people)]
    with tempfile.TemporaryDirectory() as tmp:
        sheet = write_xlsx(Path(tmp) / "s.xlsx", rows)
        run, _ = rank_sheet(sheet, "account-manager-levels", {}, lang="zh")
    p = run.parts[0]
    table = summary_frame(p, "zh")
    groups, total = table.iloc[:-1], table.iloc[-1]
    assert set(groups["区县"]) == {county for county, _, _ in people}
    assert groups["人数"].sum() == total["人数"] == len(p.results)
    assert groups["未通过校验行数"].sum() == total["未通过校验行数"] == len(p.rejected)
    assert total["人数"] + total["未通过校验行数"] == len(people)
    actual = groups[[f"{g}实际" for g in p.part.grade_order]].sum(axis=1)
    assert actual.tolist() == groups["人数"].tolist()


def test_group_means_come_from_unrounded_scores_rounded_once(tmp_path):
    """1.005 and 1.004 show as 1.01 and 1.00; their mean is 1.0045, so 1.00 (not the mean of
    the shown scores, 1.005, which rounds to 1.01)."""
    from svcperf.io.report import summary_frame
    from svcperf.rules.load import parse_rules

    rules = parse_rules("name: exact\nlanguage: en\nfields:\n  id: {header: id, type: text}\n"
                        "  team: {header: team, type: text}\n  s: {header: s, type: number}\n"
                        "id: id\ngroup: team\nscore: {formula: s / 3}\n")
    sheet = tmp_path / "s.csv"
    sheet.write_text("id,team,s\nA1,x,3.015\nA2,x,3.012\n", encoding="utf-8")
    from svcperf.api import rank_file

    run = rank_file(sheet, rules)
    part = run.parts[0]
    assert sorted(part.results["score"]) == [1.0, 1.01]
    table = summary_frame(part, "en", rules.precision)
    assert table.iloc[0]["Mean score"] == 1.0


def test_a_percent_column_is_wide_enough_for_100_percent(tmp_path):
    """R2's carried 占比 holds 1 (100.00%): fitted to the text "1" it showed ### (review)."""
    out, _ = ranked(tmp_path, "data-submission")
    ws = openpyxl.load_workbook(out)["考核结果"]
    col = next(c for c in ws[1] if c.value == "占比")
    assert ws.cell(2, col.column).number_format == "0.00%"
    assert ws.column_dimensions[col.column_letter].width >= len("100.00%") + 1


def run_sheet_rows(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)["运行信息"]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}


def test_the_run_sheet_names_the_rule_set_not_a_folder_and_says_no_period_was_given(tmp_path):
    """It showed the shipped rule file's absolute path and 期间 "-" (review)."""
    out, _ = ranked(tmp_path, "gas-service-center")
    rows = run_sheet_rows(out)
    assert rows["规则文件"] == "内置规则集 gas-service-center"
    assert rows["期间"] == "未指定" and rows["参数"] == "无"  # as the Overview says it, not "-"
    own = tmp_path / "mine" / "燃气.yaml"
    own.parent.mkdir()
    own.write_bytes((EXAMPLES.parent / "rules" / "gas-service-center.yaml").read_bytes())
    done = tmp_path / "own.xlsx"
    cli("rank", str(EXAMPLES / "gas-service-center.xlsx"), "--rules", str(own), "-o", str(done),
        "--period", "2026-03", "-q")
    rows = run_sheet_rows(done)
    assert rows["规则文件"] == "燃气.yaml" and rows["期间"] == "2026-03"


def test_a_wrapped_reason_breaks_between_words_never_between_a_number_and_its_word(tmp_path):
    """The review: 评定说明 lines fell as "（东区第 / 4 名" and "实有 2 / 人". In the workbook a
    number is held to its Chinese word by a no-break space; no hard line break is written;
    the machine outputs keep plain spaces."""
    out, run = ranked(tmp_path, "gas-service-center")
    ws = openpyxl.load_workbook(out)["考核结果 员工"]
    head = [c.value for c in ws[1]]
    reasons = [r[head.index("评定说明")] for r in ws.iter_rows(min_row=2, values_only=True)]
    d04 = next(r for r in reasons if r and "东区第\u00a04\u00a0名" in r)
    assert "共\u00a010\u00a0人" in d04 and "A名额\u00a030%×10=3" in d04
    assert not any("\n" in r for r in reasons if r)
    assert "与 张三 同为" in next(r for r in reasons if r and "张三" in r)  # names still wrap
    staff = run.parts[1].results
    assert not staff["reason"].str.contains("\u00a0").any()


def test_keep_together_glues_numbers_to_chinese_words_only():
    from svcperf.text import keep_together

    assert keep_together("（东区第 4 名，共 10 人）；与 张三 同为 95 分") == \
        "（东区第\u00a04\u00a0名，共\u00a010\u00a0人）；与 张三 同为\u00a095\u00a0分"
    assert keep_together("A cap ⌊40%×5⌋ = 2 (T: rank 4 of 5)") == \
        "A cap ⌊40%×5⌋ = 2 (T: rank 4 of 5)"


def test_results_printed_across_pages_repeat_who_each_row_is(tmp_path):
    """R1 with its pay columns is too wide for one readable page: each page repeats the ranks,
    工号 and 客户经理, so a printed second page still says whose numbers they are."""
    out = tmp_path / "pay.xlsx"
    cli("rank", EXAMPLES / "tiered-service-pay.xlsx", "-o", out, "-q")
    ws = openpyxl.load_workbook(out)["考核结果"]
    assert ws.page_setup.scale == 85 and ws.print_title_cols == "$A:$D"
    assert [c.value for c in ws[1]][2:4] == ["工号", "客户经理"]
