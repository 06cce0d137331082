"""Quarter roll-ups of R4: composite, classes, eligibility, points ledger, streaks."""

import csv
import itertools
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, cli, write_xlsx
from svcperf.core.rollup import Month, parse_month, period_months, roll_up, runs
from svcperf.io.ledger import read_ledger
from svcperf.rules.load import load_rules

R4 = load_rules("ambassador-circle")
Q1 = [EXAMPLES / f"ambassador-2026-0{m}.xlsx" for m in (1, 2, 3)]
HEADER = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分", "是否持证",
          "请假天数", "重大客诉"]


def rollup(tmp_path, files, *extra, out="q.csv"):
    result = cli("rollup", *files, "--rules", "ambassador-circle", "-o", tmp_path / out, *extra)
    assert result.exit_code == 0, result.output
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
    assert rows["A001"]["grade_2026-02"] == "A" and rows["J011"]["score_2026-01"] == ""
    assert rows["A001"]["period"] == "2026Q1"
    ledger = read_ledger(tmp_path / "points.xlsx")
    assert ledger.balances() == {"A001": 300, "J011": 300, "A005": 150}


def test_workbook_sheets(tmp_path):
    rollup(tmp_path, Q1, out="q1.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "q1.xlsx")
    assert wb.sheetnames == ["Rollup", "Ledger", "Summary", "Run"]
    header = [c.value for c in wb["Rollup"][1]]
    assert {"2026-01 得分", "最终等级", "奖励资格", "积分余额", "处理"} <= set(header)
    assert wb["Ledger"].max_row == 4  # three people earned points
    streak = header.index("连续等级") + 1
    assert {wb["Rollup"].cell(r, streak).value for r in range(2, 13)} >= {"A×3", "C×3"}


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
    rows = rollup(tmp_path, [april(tmp_path)], "--period", "2026Q2", "--ledger", ledger)
    assert (rows["A005"]["streak_months"], rows["A005"]["consequence"]) == ("2", "警告")
    assert (rows["A007"]["streak_months"], rows["A007"]["consequence"]) == ("4", "取消资格")
    assert rows["A001"]["points_balance"] == "600"  # 300 carried + 300 for April's A


def test_streaks_carry_by_the_previous_quarters_files(tmp_path):
    rows = rollup(tmp_path, [*Q1, april(tmp_path)], "--period", "2026Q2")
    assert rows["A005"]["consequence"] == "警告" and rows["A007"]["streak_months"] == "4"
    assert set(rows) == {"A001", "A005", "A007", "J011", "A002"}


def test_month_problems_are_reported_not_merged(tmp_path):
    twice = cli("rollup", Q1[0], Q1[0], "--rules", "ambassador-circle", "-o", tmp_path / "x.csv")
    assert twice.exit_code == 2 and "given twice" in twice.output
    after = cli("rollup", *Q1, "--rules", "ambassador-circle", "--period", "2025Q4", "-o",
                tmp_path / "x.csv")
    assert after.exit_code == 2 and "after period 2025Q4" in after.output
    half = rollup(tmp_path, Q1, "--period", "2026H1", out="h.csv")
    assert half["A001"]["score"] == "95"
    shown = cli("rollup", *Q1, "--rules", "ambassador-circle", "--period", "2026H1", "-o",
                tmp_path / "h.csv")
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
    wb["History"].append([None, "2026Q1", "A001", "林晓", -100, "兑换礼品"])
    wb.save(ledger)
    assert rollup(tmp_path, Q1, "--ledger", ledger)["A001"]["points_balance"] == "200"
    wb = openpyxl.load_workbook(ledger)
    wb["History"].append([None, "2026Q1", "A005", "罗兰", -500, "兑换"])
    wb.save(ledger)
    result = cli("rollup", *Q1, "--rules", "ambassador-circle", "--ledger", ledger, "-o",
                 tmp_path / "x.csv")
    assert result.exit_code == 2 and "would go below zero" in result.output


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
