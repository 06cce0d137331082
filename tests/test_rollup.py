"""Quarter roll-ups of R4: composite, classes, eligibility, points ledger, streaks."""

import csv
import itertools
import json
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, cli, write_xlsx
from svcperf.core.rollup import roll_up, runs
from svcperf.io.ledger import LedgerError, read_ledger
from svcperf.months import BadInput, months_between, parse_month, period_months
from svcperf.results import Month
from svcperf.rules.load import load_rules

R4 = load_rules("ambassador-circle")
Q1 = [EXAMPLES / f"ambassador-2026-0{m}.xlsx" for m in (1, 2, 3)]
HEADER = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分", "是否持证",
          "请假天数", "重大客诉"]


def rollup(tmp_path, files, *extra, out="q.csv", code=0):
    """Roll up into tmp_path/out (--force: the tests roll a period up again on purpose); a
    period with a month that has no file exits 1 (the output is written)."""
    result = cli("rollup", *files, "--rules", "ambassador-circle", "-o", tmp_path / out,
                 "--force", *extra)
    assert result.exit_code == code, result.output
    if out.endswith(".csv"):
        return {r["employee_id"]: r for r in csv.DictReader((tmp_path / out).open(
            encoding="utf-8-sig"))}
    return result


def test_quarter_by_hand(tmp_path):
    rows = rollup(tmp_path, Q1, "--ledger", tmp_path / "points.xlsx")
    got = {k: (r["months"], r["score"], r["grade"], r["ineligible_reasons"], r["points_earned"],
               r["consequence"]) for k, r in rows.items()}
    assert got == {
        "A001": ("3", "95", "A", "", "300", ""),
        "J011": ("2", "90.5", "A", "", "300", ""),  # joined in February: mean of two months
        "A002": ("3", "89.67", "B", "请假超过14天", "0", ""),  # 5 + 6 + 4 = 15 days
        "A003": ("3", "85", "B", "有重大客诉", "0", ""),
        "A004": ("3", "80.33", "B", "未持证", "0", ""),
        "A005": ("3", "76.67", "B", "", "150", "观察"),  # B, B, C
        "A006": ("3", "75.33", "C", "等级不是A或B", "0", "观察"),  # B, C, B
        "A007": ("3", "65", "C", "等级不是A或B", "0", "取消资格"),  # C, C, C
        "A008": ("3", "61", "C", "等级不是A或B", "0", "取消资格"),
        "A009": ("3", "56.67", "C", "等级不是A或B", "0", "取消资格"),
        "A010": ("3", "47.67", "C", "等级不是A或B", "0", "取消资格"),
    }
    assert rows["A001"]["grade_2026_02"] == "A" and rows["J011"]["score_2026_01"] == ""
    assert rows["A001"]["period"] == "2026Q1"
    ledger = read_ledger(tmp_path / "points.xlsx")
    assert ledger.balances() == {"A001": 300, "J011": 300, "A005": 150}


def test_csv_and_json_name_the_columns_alike(tmp_path):
    """One key per column in both machine formats, a month's as score_2026_01 (snake_case,
    as JSON keys are)."""
    rows = rollup(tmp_path, Q1)
    rollup(tmp_path, Q1, out="q.json")
    doc = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    assert list(doc["rows"][0]) == list(rows["A001"])
    assert {"score_2026_01", "grade_2026_03"} <= set(rows["A001"])


def test_workbook_sheets(tmp_path):
    rollup(tmp_path, Q1, out="q1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "q1.xlsx")
    assert wb.sheetnames == ["期间汇总", "积分变动", "分组汇总", "运行信息"]
    header = [c.value for c in wb["期间汇总"][1]]
    assert {"2026-01 得分", "最终等级", "奖励资格", "积分余额", "处理"} <= set(header)
    assert wb["积分变动"].max_row == 4  # three people earned points
    streak = header.index("连续等级") + 1
    assert {wb["期间汇总"].cell(r, streak).value for r in range(2, 13)} >= {"A×3", "C×3"}


def test_rerun_and_file_order_change_nothing(tmp_path):
    ledger = tmp_path / "points.xlsx"
    first = rollup(tmp_path, Q1, "--ledger", ledger)
    for order in itertools.permutations(Q1):
        assert rollup(tmp_path, list(order), "--ledger", ledger) == first
    assert read_ledger(ledger).balances()["A001"] == 300  # never counted twice


def test_ranked_monthly_workbooks_roll_up_the_same(tmp_path):
    ranked = []
    for sheet in Q1:
        copy = shutil.copy(sheet, tmp_path / sheet.name)
        assert cli("rank", copy, "-q").exit_code == 0
        ranked.append(tmp_path / f"{sheet.stem}.ranked.xlsx")
    assert rollup(tmp_path, ranked, out="a.csv") == rollup(tmp_path, Q1, out="b.csv")


def april(tmp_path) -> Path:
    rows = [["A001", "林晓", "城东中心", 95, 95, None, "是", 0, "否"],
            ["A005", "罗兰", "城东中心", 60, 60, None, "是", 0, "否"],
            ["A007", "宋雨", "城东中心", 50, 50, None, "是", 0, "否"],
            ["J011", "冯琳", "城东中心", 90, 90, None, "是", 0, "否"],
            ["A002", "黄敏", "城东中心", 80, 80, None, "是", 0, "否"]]
    return write_xlsx(tmp_path / "ambassador-2026-04.xlsx", [HEADER, *rows])


def test_streaks_and_points_carry_into_the_next_quarter_by_ledger(tmp_path):
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    rows = rollup(tmp_path, [april(tmp_path)], "--period", "2026Q2", "--ledger", ledger,
                  code=1)
    assert (rows["A005"]["streak_months"], rows["A005"]["consequence"]) == ("2", "警告")
    assert (rows["A007"]["streak_months"], rows["A007"]["consequence"]) == ("4", "取消资格")
    assert rows["A001"]["points_balance"] == "600"  # 300 carried + 300 for April's A
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert left == [".points.xlsx.lock"]  # the lock file stays (see io.ledger.locked), hidden


def test_a_ledger_streak_carries_into_a_period_given_a_month_before_it(tmp_path):
    """Q1 rolled up with a ledger (A007 C through March), then Q2 given March's file as well as
    April's: the ledger's streak is wound back to the month before March and continued by the
    files, C×4 as without March's file; it was dropped (C×2, 警告), having ended in March and
    not the month before the first file."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    rows = rollup(tmp_path, [Q1[2], april(tmp_path)], "--period", "2026Q2", "--ledger", ledger,
                  code=1)
    assert (rows["A007"]["streak_months"], rows["A007"]["consequence"]) == ("4", "取消资格")
    assert (rows["A005"]["streak_months"], rows["A005"]["consequence"]) == ("2", "警告")


def test_streaks_carry_by_the_previous_quarters_files(tmp_path):
    rows = rollup(tmp_path, [*Q1, april(tmp_path)], "--period", "2026Q2", code=1)
    assert rows["A005"]["consequence"] == "警告" and rows["A007"]["streak_months"] == "4"
    assert set(rows) == {"A001", "A005", "A007", "J011", "A002"}


def test_month_problems_are_reported_not_merged(tmp_path):
    twice = cli("rollup", Q1[0], Q1[0], "--rules", "ambassador-circle", "-o", tmp_path / "x.csv")
    assert twice.exit_code == 2 and "given twice" in twice.output
    after = cli("rollup", *Q1, "--rules", "ambassador-circle", "--period", "2025Q4", "-o",
                tmp_path / "x.csv")
    assert after.exit_code == 2 and "after period 2025Q4" in after.output
    half = rollup(tmp_path, Q1, "--period", "2026H1", out="h.csv", code=1)
    assert half["A001"]["score"] == "95"
    shown = cli("rollup", *Q1, "--rules", "ambassador-circle", "--period", "2026H1", "-o",
                tmp_path / "h.csv", "--force")
    assert "month 2026-04 of 2026H1 has no file" in shown.output


def test_explicit_months_per_file(tmp_path):
    renamed = [shutil.copy(f, tmp_path / f"m{i}.xlsx") for i, f in enumerate(Q1)]
    missing = cli("rollup", *renamed, "--rules", "ambassador-circle", "-o", tmp_path / "x.csv")
    assert missing.exit_code == 2 and "cannot tell which month" in missing.output
    rows = rollup(tmp_path, renamed, "--month", "2026-01", "--month", "2026-02", "--month",
                  "2026-03")
    assert rows["J011"]["score"] == "90.5"


def test_a_redemption_is_kept_and_a_negative_balance_refused(tmp_path):
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    wb["积分明细"].append([None, "2026Q1", "A001", "林晓", -100, "兑换礼品"])
    wb.save(ledger)
    assert rollup(tmp_path, Q1, "--ledger", ledger)["A001"]["points_balance"] == "200"
    wb = openpyxl.load_workbook(ledger)
    wb["积分明细"].append([None, "2026Q1", "A005", "罗兰", -500, "兑换"])
    wb.save(ledger)
    result = cli("rollup", *Q1, "--rules", "ambassador-circle", "--ledger", ledger, "-o",
                 tmp_path / "x.csv")
    assert result.exit_code == 2 and "would go below zero" in result.output


@pytest.mark.parametrize("typed_at", ["2026-03-30", datetime(2026, 3, 30), "copied"])
def test_a_redemption_with_its_date_filled_in_is_kept_by_a_second_rollup(tmp_path, typed_at):
    """Clerks fill 记录时间: a typed date, a date cell, or svcperf's own time stamp left in a
    row copied from one of svcperf's and changed into a redemption. None is svcperf's."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    history = wb["积分明细"]
    stamp = history["A2"].value if typed_at == "copied" else typed_at
    history.append([stamp, "2026Q1", "A001", "林晓", -200, "兑换礼品"])
    wb.save(ledger)
    assert rollup(tmp_path, Q1, "--ledger", ledger)["A001"]["points_balance"] == "100"
    assert read_ledger(ledger).balances()["A001"] == 100
    kept = [r for r in openpyxl.load_workbook(ledger)["积分明细"].iter_rows(values_only=True)
            if r[5] == "兑换礼品"]
    assert [r[1:5] for r in kept] == [("2026Q1", "A001", "林晓", -200)]
    assert rollup(tmp_path, Q1, "--ledger", ledger)["A001"]["points_balance"] == "100"


@pytest.mark.parametrize(("change", "reason"), [(-100, "兑换 2026Q1"), (50, "补发 2026Q1"),
                                              (-300, "A 2026Q1")])
def test_a_row_copied_from_svcperfs_and_retyped_is_kept(tmp_path, change, reason):
    """A clerk copies one of svcperf's rows (its time stamp too) and types a redemption:
    "兑换 2026Q1" read as the grade 兑换 of 2026Q1, a row of svcperf's, and the next roll-up
    of the period dropped it without a word."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    history = wb["积分明细"]
    history.append([history["A2"].value, "2026Q1", "A001", "林晓", change, reason])
    wb.save(ledger)
    assert rollup(tmp_path, Q1, "--ledger", ledger)["A001"]["points_balance"] == f"{300 + change}"
    assert rollup(tmp_path, Q1, "--ledger", ledger)["A001"]["points_balance"] == f"{300 + change}"


@pytest.mark.parametrize("swap", ["headers", "one row"])
def test_a_ledger_with_id_and_name_swapped_is_refused(tmp_path, swap):
    """编号 and 姓名 swapped by hand: 林晓's 300 points of 2026Q1 were carried as the balance of a
    person 林晓, A001's Q2 balance left them out, and nothing was said."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    history = wb["积分明细"]
    if swap == "headers":
        history["C1"], history["D1"] = "姓名", "编号"
    else:
        history.append(["2026-04-02", "2026Q1", "罗兰", "A005", 20, "补发"])
    wb.save(ledger)
    done = cli("rollup", april(tmp_path), "--rules", "ambassador-circle", "--period", "2026Q2",
               "--ledger", ledger, "-o", tmp_path / "q2.csv", "--lang", "zh")
    said = " ".join(done.output.split())
    row, name, pid = (2, "林晓", "A001") if swap == "headers" else (5, "罗兰", "A005")
    assert done.exit_code == 2 and f"第 {row} 行：编号是“{name}”，姓名却是所汇总月份中的编号“{pid}”" \
        in said, said
    assert not (tmp_path / "q2.csv").exists()


@pytest.mark.parametrize("change", [-100, 100])
def test_a_typed_ledger_row_without_an_id_is_refused(tmp_path, change):
    """A redemption typed with 编号 left blank: "row 5: 's balance would go below zero"; a
    bonus so typed became the balance of a person with no id."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    wb["积分明细"].append(["2026-04-02", "2026Q1", None, "林晓", change, "兑换"])
    wb.save(ledger)
    done = cli("rollup", *Q1, "--rules", "ambassador-circle", "--ledger", ledger, "-o",
               tmp_path / "q.csv", "--force", "--lang", "en")
    said = " ".join(done.output.split())
    assert done.exit_code == 2 and "sheet '积分明细' row 5: 编号 / id is blank; type the id" \
        in said, said


def test_a_streak_month_retyped_as_a_date_cell_still_carries(tmp_path):
    """截至月份 retyped in Excel (2026-03 becomes the date 2026/3/1): A007's three C months of
    Q1 were no longer carried, and April's C was a first month (观察, not 取消资格)."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    streaks = wb["连续等级"]
    for r in range(2, streaks.max_row + 1):
        streaks.cell(r, 3).value = datetime(2026, 3, 1)
    wb.save(ledger)
    rows = rollup(tmp_path, [april(tmp_path)], "--period", "2026Q2", "--ledger", ledger, code=1)
    assert (rows["A007"]["streak_months"], rows["A007"]["consequence"]) == ("4", "取消资格")


@pytest.mark.parametrize(("column", "value", "said"), [
    (5, "三", "row 2: 月数 / months '三' is not a whole number of months"),
    (5, 2.5, "row 2: 月数 / months 2.5 is not a whole number of months"),
    (3, "三月", "row 2: 截至月份 / last month '三月' is not a month; type it as 2026-03")])
def test_a_streak_cell_retyped_into_nonsense_is_named(tmp_path, column, value, said):
    """月数 typed 三 stopped the roll-up with "internal error: ValueError: invalid literal for
    int()"."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    wb["连续等级"].cell(2, column).value = value
    wb.save(ledger)
    done = cli("rollup", *Q1, "--rules", "ambassador-circle", "--ledger", ledger, "-o",
               tmp_path / "q.csv", "--force", "--lang", "en")
    assert done.exit_code == 2 and f"sheet '连续等级' {said}" in " ".join(done.output.split()), \
        done.output


def test_an_id_typed_with_spaces_in_the_ledger_is_that_persons(tmp_path):
    """" A001 " typed under 编号: a person of its own, whose redemption went below zero (a
    sheet's id cells are read without the spaces around them)."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    wb["积分明细"].append(["2026-04-02", "2026Q1", " A001 ", "林晓", -100, "兑换"])
    wb.save(ledger)
    assert rollup(tmp_path, Q1, "--ledger", ledger)["A001"]["points_balance"] == "200"
    assert read_ledger(ledger).balances() == {"A001": 200, "A005": 150, "J011": 300}


def test_a_ledger_not_named_xlsx_is_refused(tmp_path):
    """--ledger points.csv was written as an .xlsx workbook under that name (a CSV reader
    opened a zip), over whatever the file held."""
    done = cli("rollup", *Q1, "--rules", "ambassador-circle", "--ledger", tmp_path / "points.csv",
               "-o", tmp_path / "q.csv", "--lang", "en")
    assert done.exit_code == 2 and "a ledger is an .xlsx workbook" in done.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("period", ["2026Q5", "2026H3", "foo"])
def test_a_period_that_is_not_one_is_said_in_the_users_language(tmp_path, period):
    """--lang zh: "period '2026Q5': write it as 2026Q1, 2026H1 or 2026-03", in English."""
    done = cli("rollup", Q1[0], "--rules", "ambassador-circle", "--period", period, "-o",
               tmp_path / "q.csv", "--lang", "zh")
    said = " ".join(done.output.split())
    assert done.exit_code == 2 and f"--period '{period.upper()}'：请写成季度（2026Q1 至 2026Q4）" \
        in said, said


def test_a_column_a_clerk_added_to_the_ledger_is_kept(tmp_path):
    """备注 added beside a redemption (the gift card, who handed it out): the next roll-up
    wrote the ledger back without that column."""
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    wb["积分明细"]["G1"] = "备注"
    wb["积分明细"].append(["2026-04-02", "2026Q1", "A001", "林晓", -100, "兑换", "礼品卡 #123"])
    wb.save(ledger)
    rollup(tmp_path, Q1, "--ledger", ledger)
    rows = list(openpyxl.load_workbook(ledger)["积分明细"].iter_rows(values_only=True))
    assert rows[0][-1] == "备注" and rows[-1][2:] == ("A001", "林晓", -100, "兑换", "礼品卡 #123")
    assert [r[-1] for r in rows[1:-1]] == [None] * 3  # svcperf's own rows: nothing to note


def test_a_typed_row_of_the_next_period_is_kept_by_that_periods_rollup(tmp_path):
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    wb["积分明细"].append(["2026-04-02", "2026Q2", "A001", "林晓", -200, "兑换礼品"])
    wb.save(ledger)
    q2 = [april(tmp_path)]
    rows = rollup(tmp_path, q2, "--period", "2026Q2", "--ledger", ledger, code=1)
    assert rows["A001"]["points_balance"] == "400"  # 300 + 300 for April's A - 200
    again = rollup(tmp_path, q2, "--period", "2026Q2", "--ledger", ledger, code=1)
    assert again["A001"]["points_balance"] == "400"
    assert read_ledger(ledger).balances()["A001"] == 400


@pytest.mark.parametrize(("sheet", "header"), [
    ("积分明细", ["记录时间", "期间", "编号", "姓名", "积分变动", "原因"]),
    ("History", ["recorded at", "period", "id", "name", "change", "reason"])])
def test_a_negative_balance_names_the_sheet_and_row_as_the_workbook_has_them(tmp_path, sheet,
                                                                             header):
    path = write_xlsx(tmp_path / "points.xlsx", [
        header, ["2026-04-01T09:30:00+08:00", "2026Q1", "A005", "罗兰", 150, "B 2026Q1"],
        [None] * 6,  # a blank row: the rows below keep their numbers as Excel shows them
        ["2026-04-03", "2026Q2", "A005", "罗兰", -500, "兑换大礼"]], sheet=sheet)
    with pytest.raises(LedgerError) as caught:
        read_ledger(path)
    why = caught.value.args[0]
    assert (why.key, why.values["sheet"], why.values["row"], why.values["id"]) == \
        ("ledger-negative", sheet, 4, "A005")
    assert f"sheet {sheet!r} row 4: A005's balance would go below zero (-350)" in why
    assert f"工作表“{sheet}”第 4 行：A005 的积分余额会低于 0（-350）" in why.render("zh")


def test_periods_and_months():
    assert period_months("2026Q2") == ["2026-04", "2026-05", "2026-06"]
    assert len(period_months("2026H2")) == 6 and period_months("2026-3") == ["2026-03"]
    with pytest.raises(ValueError):
        period_months("2026Q5")
    assert [parse_month(x) for x in ("march-2026-03", "202601", "2026年1月考核", "x")] == \
        ["2026-03", "2026-01", "2026-01", None]


def test_runs_count_consecutive_months():
    assert runs(["C", "C", "B", "C"], "C") == (2, 1)
    assert runs(["C", None, "C"], "C", carry=2) == (3, 1)  # an absent month breaks a streak


people = st.dictionaries(st.sampled_from([f"P{i}" for i in range(12)]),
                         st.tuples(st.integers(40, 100), st.booleans()), min_size=1)


@settings(max_examples=40, deadline=None)
@given(months=st.lists(people, min_size=1, max_size=3), balances=st.dictionaries(
    st.sampled_from([f"P{i}" for i in range(12)]), st.integers(0, 1000)))
def test_balances_never_negative_and_month_order_free(months, balances):
    part = R4.parts[-1]
    frames = [Month(f"2026-0{i + 1}", pd.DataFrame(
        [{"employee_id": p, "score": float(s), "grade": "A" if s > 80 else "C",
          "certified": c, "leave_days": 0.0, "major_complaint": False}
         for p, (s, c) in month.items()])) for i, month in enumerate(months)]
    a = roll_up(frames, part, 2, "2026Q1", balances=balances).frame
    b = roll_up(list(reversed(frames)), part, 2, "2026Q1", balances=balances).frame
    assert (a["points_balance"] >= 0).all()
    assert a.equals(b)


# Streaks and weights over calendar months: a month with no file breaks a run.

PART = R4.parts[-1]
SCORES = {"A": 95.0, "B": 80.0, "C": 60.0}
COLUMNS = ["employee_id", "score", "grade", "certified", "leave_days", "major_complaint"]


def month(label: str, grades: dict[str, str], scores: dict[str, float] | None = None) -> Month:
    """One month's ranked rows: each person's grade (and score, by default one for the grade)."""
    scores = scores or {}
    return Month(label, pd.DataFrame(
        [[p, scores.get(p, SCORES[g]), g, True, 0.0, False] for p, g in grades.items()],
        columns=COLUMNS))


def person(result, pid: str) -> dict:
    """One person's row, blanks as None (a text column may hold them as NaN)."""
    row = next(r for r in result.frame.to_dict("records") if r["employee_id"] == pid)
    return {k: None if v is None or (isinstance(v, float) and v != v) else v
            for k, v in row.items()}


def streak_of(result, pid: str) -> tuple:
    row = person(result, pid)
    return row["consequence"], row["streak_grade"], row["streak_months"]


def test_a_month_with_no_file_breaks_a_streak():
    result = roll_up([month("2026-01", {"P": "C"}), month("2026-03", {"P": "C"})], PART, 2,
                     "2026Q1")
    assert streak_of(result, "P") == ("观察", "C", 1)  # not 警告: February is missing
    assert result.gaps == ["2026-02"]


def test_three_calendar_months_at_c():
    result = roll_up([month(f"2026-0{m}", {"P": "C"}) for m in (1, 2, 3)], PART, 2, "2026Q1")
    assert streak_of(result, "P") == ("取消资格", "C", 3)
    assert result.gaps == []


def test_a_history_month_before_a_gap_does_not_continue_a_streak():
    result = roll_up([month("2026-01", {"P": "C"}), month("2026-02", {"P": "C"})], PART, 2,
                     "2026Q1", history=[month("2025-11", {"P": "C"})])
    assert streak_of(result, "P") == ("警告", "C", 2)  # November, gap, January, February
    assert result.gaps == ["2025-12", "2026-03"]
    assert result.streaks[0]["last_month"] == "2026-02"  # the run as of its last file


def test_a_carried_streak_stops_at_a_gap():
    # carried: ended the month before the first month laid out (here the period's January)
    carried = {"P": ("C", 2)}
    result = roll_up([month("2026-02", {"P": "C"}), month("2026-03", {"P": "C"})], PART, 2,
                     "2026Q1", carried=carried)
    assert streak_of(result, "P") == ("警告", "C", 2)  # January has no file
    assert result.gaps == ["2026-01"]
    # with history: carried ended in October; November C, December missing, January C
    result = roll_up([month("2026-01", {"P": "C"})], PART, 2, "2026Q1", carried={"P": ("C", 1)},
                     history=[month("2025-11", {"P": "C"})])
    assert streak_of(result, "P") == ("观察", "C", 1)
    assert result.gaps == ["2025-12", "2026-02", "2026-03"]


def test_weights_belong_to_calendar_months():
    part = PART.model_copy(update={"rollup": PART.rollup.model_copy(
        update={"composite": "weighted", "weights": [0.2, 0.3, 0.5]})})
    jan = month("2026-01", {"P": "B", "Q": "B"}, {"P": 80.0, "Q": 80.0})
    feb = month("2026-02", {"Q": "C"}, {"Q": 70.0})
    mar = month("2026-03", {"P": "A", "Q": "A"}, {"P": 91.0, "Q": 91.0})
    result = roll_up([jan, feb, mar], part, 2, "2026Q1")
    assert person(result, "Q")["score"] == 82.5  # 16 + 21 + 45.5
    assert person(result, "P")["score"] == 87.86  # (0.2*80 + 0.5*91) / 0.7 = 87.857..
    without_feb = roll_up([jan, mar], part, 2, "2026Q1")  # no February file at all
    assert person(without_feb, "Q")["score"] == 87.86 and without_feb.gaps == ["2026-02"]
    # a period that is not a quarter: its months run from the first label to the last
    span = roll_up([jan, mar], part, 2, "2026-01..2026-03")
    assert person(span, "Q")["score"] == 87.86 and span.gaps == ["2026-02"]


def test_weights_for_another_length_of_period_are_refused():
    """A quarter's three weights on a half-year: April to June weighed 0, their scores left
    out of everyone's composite without a word."""
    part = PART.model_copy(update={"rollup": PART.rollup.model_copy(
        update={"composite": "weighted", "weights": [0.2, 0.3, 0.5]})})
    months = [month(f"2026-0{m}", {"P": "B"}, {"P": 60.0 + m}) for m in range(1, 7)]
    with pytest.raises(BadInput) as caught:
        roll_up(months, part, 2, "2026H1")
    why = caught.value.args[0]
    assert "rollup weights are for 3 months, but period 2026H1 has 6" in why
    assert "规则集的汇总权重对应 3 个月，期间 2026H1 却有 6 个月" in why.render("zh")


def test_a_person_missing_from_a_months_file_breaks_a_streak():
    result = roll_up([month("2026-01", {"P": "C", "Q": "B"}), month("2026-02", {"Q": "B"}),
                      month("2026-03", {"P": "C", "Q": "B"})], PART, 2, "2026Q1")
    assert streak_of(result, "P") == ("观察", "C", 1)
    assert result.gaps == []  # February has a file: only P is missing from it


def test_calendar_months():
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between("2026-03", "2026-03") == ["2026-03"]
    with pytest.raises(ValueError, match="not in period"):
        roll_up([month("2026-04", {"P": "C"})], PART, 2, "2026Q1")
    with pytest.raises(ValueError, match="not before period"):
        roll_up([month("2026-02", {"P": "C"})], PART, 2, "2026Q1",
                history=[month("2026-01", {"P": "C"})])


CALENDAR = months_between("2025-10", "2026-03")  # three history months, then 2026Q1
IDS = [f"P{i}" for i in range(5)]
grades_of = st.dictionaries(st.sampled_from(IDS), st.sampled_from("ABC"))
some_months = st.dictionaries(st.sampled_from(CALENDAR), grades_of).filter(
    lambda ms: any(label >= "2026-01" for label in ms))
carried_of = st.dictionaries(st.sampled_from(IDS), st.tuples(st.sampled_from("BC"),
                                                             st.integers(1, 4)))


def roll(given: dict[str, dict[str, str]], carried: dict, order=lambda ms: ms):
    months = order([month(label, g) for label, g in given.items() if label >= "2026-01"])
    history = order([month(label, g) for label, g in given.items() if label < "2026-01"])
    return roll_up(months, PART, 2, "2026Q1", carried=carried, history=history)


@settings(max_examples=60, deadline=None)
@given(given=some_months, carried=carried_of, seed=st.randoms(use_true_random=False))
def test_month_order_never_matters(given, carried, seed):
    a = roll(given, carried)
    b = roll(given, carried, order=lambda ms: seed.sample(ms, len(ms)))
    assert a.frame.equals(b.frame)
    assert (a.earned, a.streaks, a.gaps) == (b.earned, b.streaks, b.gaps)


@settings(max_examples=80, deadline=None)
@given(given=some_months, carried=carried_of, data=st.data())
def test_a_month_without_c_in_a_gap_adds_no_c_streak(given, carried, data):
    before = roll(given, carried)
    assume(before.gaps)
    gap = data.draw(st.sampled_from(before.gaps))
    added = data.draw(st.dictionaries(st.sampled_from(IDS), st.sampled_from("AB")))
    after = roll({**given, gap: added}, carried)
    trailing = gap > max(given)  # after the last file: the run had not been counted that far
    for pid in before.frame["employee_id"]:
        was, now = person(before, pid), person(after, pid)
        assert now["consequence"] == was["consequence"]  # a gap breaks as a month without C
        c_was = was["streak_months"] if was["streak_grade"] == "C" else 0
        c_now = now["streak_months"] if now["streak_grade"] == "C" else 0
        assert c_now <= c_was and (trailing or c_now == c_was)


def test_a_month_without_a_file_breaks_a_streak_and_is_said(tmp_path):
    """January and March with no February: two C months, but not consecutive ones."""
    jan, mar = Q1[0], Q1[2]
    rows = rollup(tmp_path, [jan, mar], "--period", "2026Q1", code=1)
    shown = cli("rollup", jan, mar, "--rules", "ambassador-circle", "--period", "2026Q1", "-o",
                tmp_path / "q.csv", "--force")
    assert "month 2026-02 of 2026Q1 has no file; streaks break there" in shown.output
    twice_c = [k for k, r in rows.items() if r["grade_2026_01"] == r["grade_2026_03"] == "C"]
    assert twice_c and all(rows[k]["consequence"] == "观察" for k in twice_c)


def test_a_month_without_a_file_is_said_in_the_users_and_the_workbooks_language(tmp_path):
    """The terminal speaks --lang; the workbook's Run sheet the rule set's language (zh for
    ambassador-circle) whatever the terminal's: no English notice in a Chinese workbook."""
    jan, mar = Q1[0], Q1[2]
    zh = cli("rollup", jan, mar, "--rules", "ambassador-circle", "--period", "2026Q1", "-o",
             tmp_path / "zh.xlsx", "--lang", "zh")
    assert zh.exit_code == 1, zh.output
    assert "  提示：2026Q1 的 2026-02 没有文件；连续记录在此中断" in zh.output
    assert "2026Q1：" in zh.output and "已写出：" in zh.output and "notice" not in zh.output
    cli("rollup", jan, mar, "--rules", "ambassador-circle", "--period", "2026Q1", "-o",
        tmp_path / "en.xlsx")  # an English terminal: the workbook is still the rule set's
    for name in ("zh.xlsx", "en.xlsx"):
        run = openpyxl.load_workbook(tmp_path / name)["运行信息"]
        facts = {row[0].value: row[1].value for row in run.iter_rows() if row[0].value}
        assert facts["提示"] == "2026Q1 的 2026-02 没有文件；连续记录在此中断", facts
    twice = cli("rollup", jan, jan, "--rules", "ambassador-circle", "--lang", "zh")
    assert twice.exit_code == 2 and "给了两次" in twice.output and "given" not in twice.output


def test_two_rollups_of_one_ledger_at_once_lose_nothing(tmp_path):
    """Each holds the ledger's lock from reading to writing: the second waits, then adds."""
    import subprocess
    import sys

    ledger = tmp_path / "points.xlsx"
    runs = [subprocess.Popen([sys.executable, "-m", "svcperf", "rollup", *map(str, files),
                              "--rules", "ambassador-circle", "--period", period, "--ledger",
                              str(ledger), "-o", str(tmp_path / f"{period}.csv")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL)
            for period, files in (("2026Q1", Q1), ("2026-01", Q1[:1]))]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    history = openpyxl.load_workbook(ledger)["积分明细"]
    periods = {row[1] for row in history.iter_rows(min_row=2, values_only=True)}
    assert periods == {"2026Q1", "2026-01"}


def test_a_ledger_change_that_is_not_a_finite_number_is_refused(tmp_path):
    ledger = tmp_path / "points.xlsx"
    rollup(tmp_path, Q1, "--ledger", ledger)
    wb = openpyxl.load_workbook(ledger)
    wb["积分明细"].append([None, "2026Q1", "A001", "林晓", "nan", "typo"])
    wb.save(ledger)
    result = cli("rollup", *Q1, "--rules", "ambassador-circle", "--ledger", ledger, "-o",
                 tmp_path / "x.csv")
    assert result.exit_code == 2 and "is not a number" in result.output


def test_the_period_of_january_and_march_is_the_quarter_with_february_missing(tmp_path):
    """It was labelled 2026-01..2026-03; a partial quarter (January and February) keeps its
    range, as the quarter's March may not have come in yet."""
    out = tmp_path / "q.json"
    done = cli("rollup", Q1[0], Q1[2], "--rules", "ambassador-circle", "-o", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert done.exit_code == 1 and (doc["run"]["period"], doc["run"]["months_without_a_file"]) \
        == ("2026Q1", ["2026-02"])
    assert "month 2026-02 of 2026Q1 has no file" in done.stdout
    partial = cli("rollup", Q1[0], Q1[1], "--rules", "ambassador-circle", "-o", out, "--force")
    assert partial.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["run"]["period"] == "2026-01..2026-02"


@pytest.mark.parametrize("ranked_first", [False, True])
def test_rows_a_month_rejected_are_named_and_exit_1(tmp_path, ranked_first):
    """February's A010 scores 150 and A009's score is blank: both are rejected there, so
    they count as absent from February; the roll-up says so and exits 1, never quietly."""
    book = openpyxl.load_workbook(Q1[1])
    sheet = book.active
    assert sheet is not None and sheet["A14"].value == "A010" and sheet["A13"].value == "A009"
    sheet["D14"], sheet["D13"] = 150, None
    feb = tmp_path / "bad-2026-02.xlsx"
    book.save(feb)
    files = [Q1[0], feb, Q1[2]]
    if ranked_first:
        files = [shutil.copy(f, tmp_path / f.name) if f != feb else f for f in files]
        for f in files:
            assert cli("rank", f, "-q").exit_code in (0, 1)
        files = [tmp_path / f"{Path(f).stem}.ranked.xlsx" for f in files]
    result = rollup(tmp_path, files, out="q.xlsx", code=1)
    assert "rejected 2 rows (sheet rows 13, 14; ids A009, A010)" in result.output
    assert "absent from 2026-02" in result.output
    people = rollup(tmp_path, files, code=1)
    assert people["A010"]["months"] == "2"  # January and March only


def test_a_person_who_left_before_the_last_month_does_not_stop_the_ledger(tmp_path):
    """P05 in January and February, gone in March: its missing streak grade was NaN, a Streaks
    row the ledger could not write ('internal error: NAN/INF not supported')."""
    people = [[f"P0{i}", f"人{i}", "东", 95 - 5 * i, 95 - 5 * i, 0, "是", 0, "否"] for i in range(1, 5)]
    leaver = ["P05", "戊", "东", 75, 75, 0, "是", 0, "否"]
    months = [write_xlsx(tmp_path / f"2026-0{m}.xlsx", [HEADER, *people, *([leaver] if m < 3 else [])])
              for m in (1, 2, 3)]
    rows = rollup(tmp_path, months, "--period", "2026Q1", "--ledger", tmp_path / "L.xlsx")
    assert set(rows) == {"P01", "P02", "P03", "P04", "P05"}
    streaks = {r["id"] for r in read_ledger(tmp_path / "L.xlsx").streaks}
    assert streaks == {"P01", "P02", "P03", "P04"}
    rollup(tmp_path, months, "--period", "2026Q1", out="q.xlsx")  # its streak: blank, not nan×0
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx")["期间汇总"]
    header = [c.value for c in sheet[1]]
    streak = {r[header.index("工号")]: r[header.index("连续等级")]
              for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert (streak["P05"], streak["P01"]) == (None, "A×3")


def test_a_month_ranked_with_another_version_of_the_rule_set_is_said(tmp_path):
    """February ranked with A at 40% rolled up beside January at 20%, only the name checked:
    its grades fed the streaks and nobody was told."""
    other = tmp_path / "amb-v2.yaml"
    other.write_text((ROOT / "src/svcperf/rules/shipped/ambassador-circle.yaml").read_text("utf-8")
                     .replace("A: 20%", "A: 40%"), "utf-8")
    assert "A: 40%" in other.read_text("utf-8")
    jan, feb = tmp_path / "jan.ranked.xlsx", tmp_path / "feb.ranked.xlsx"
    cli("rank", Q1[0], "-o", jan, "-q")
    cli("rank", Q1[1], "--rules", other, "-o", feb, "-q")
    done = rollup(tmp_path, [jan, feb], "--period", "2026Q1", out="q.json", code=1)
    assert "feb.ranked.xlsx (2026-02) was ranked with another version of rule set " \
        "ambassador-circle (amb-v2.yaml)" in " ".join(done.output.split())


def test_a_ledger_header_edited_by_hand_is_named_with_the_one_to_give_back(tmp_path):
    """积分变动 retyped 变动积分: "missing columns ['change']" named an internal key."""
    rollup(tmp_path, Q1, "--ledger", tmp_path / "points.xlsx")
    book = openpyxl.load_workbook(tmp_path / "points.xlsx")
    sheet = book["积分明细"]
    at = next(c for c in sheet[1] if c.value == "积分变动")
    at.value = "变动积分"
    book.save(tmp_path / "points.xlsx")
    done = cli("rollup", *Q1, "--rules", "ambassador-circle", "--ledger", tmp_path / "points.xlsx",
               "-o", tmp_path / "q.csv", "--force", "--lang", "en")
    said = " ".join(done.output.split())
    assert done.exit_code == 2 and "sheet '积分明细': no column headed 积分变动 / change (its " \
        "headers:" in said and "变动积分" in said


def test_an_id_named_differently_across_months_is_said(tmp_path):
    """P02 was 乙 in January and 乙乙 in February: rolled up as one person, nothing said."""
    def month(m, second):
        people = [["P01", "甲", "东", 90, 90, 0, "是", 0, "否"],
                  ["P02", second, "东", 80, 80, 0, "是", 0, "否"]]
        return write_xlsx(tmp_path / f"2026-0{m}.xlsx", [HEADER, *people])

    done = rollup(tmp_path, [month(1, "乙"), month(2, "乙乙"), month(3, "乙")], "--period", "2026Q1",
                  out="q.json")
    said = " ".join(done.output.split())
    assert "P02 has other names in other months (乙 (2026-01), 乙乙 (2026-02))" in said
    assert "P01 has other names" not in said


def test_someone_only_in_months_weighted_zero_is_not_graded():
    """weights 0, 0.5, 0.5 and P only in January: P has no composite, and was graded C all
    the same (the lowest place), with 等级不是A或B as if it were earned."""
    part = PART.model_copy(update={"rollup": PART.rollup.model_copy(
        update={"composite": "weighted", "weights": [0, 0.5, 0.5]})})
    jan = month("2026-01", {"P": "A", "Q": "B"}, {"P": 95.0, "Q": 80.0})
    result = roll_up([jan, month("2026-02", {"Q": "B"}), month("2026-03", {"Q": "B"})], part, 2,
                     "2026Q1", lang="zh")
    p, q = person(result, "P"), person(result, "Q")
    assert (p["score"], p["grade"], p["eligible"]) == (None, None, False)
    assert p["reason"] == "仅出现在权重为 0 的月份（2026-01），没有加权得分，不评等级"
    assert q["grade"] is not None and q["score"] == 80.0
