"""Pay: 绩效工资 = pay × coefficient, 激励金额 = pay × incentive %, to the cent half-up (Decimal).

The amounts below are worked out by hand from examples/*-pay.xlsx (make_examples.py).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, cli, rank_json
from svcperf.core.pay import amount
from svcperf.rules.load import RulesError, parse_rules


@pytest.mark.parametrize(("pay", "factor", "scale", "cents"), [
    (6789.5, -3, 100, -203.69),   # −203.685: half away from zero; float round() gives −203.68
    (8650.3, -5, 100, -432.52),   # −432.515
    (6789.5, 3, 100, 203.69),     # +203.685
    (3456.75, 1.1, 1, 3802.43),   # 3802.425
    (2345.65, 0.8, 1, 1876.52),   # exact
    (2.675, 1, 1, 2.68),          # 2.675 is 2.67499… as a float; as typed it is 2.675
    (5000, 0, 1, 0.0),
    (7000, 5, 100, 350.0),
])
def test_amounts_are_rounded_once_to_the_cent_half_up(pay, factor, scale, cents):
    assert amount(pay, factor, scale) == cents


@pytest.mark.parametrize(("pay", "factor"), [(None, 1.1), (5000, None), (float("nan"), 1.0),
                                             (5000, float("nan"))])
def test_a_blank_pay_or_factor_gives_a_blank_amount(pay, factor):
    assert amount(pay, factor) is None


@given(st.decimals(min_value=0, max_value=10**6, places=2),
       st.sampled_from(["0", "0.8", "1", "1.1", "1.2"]))
def test_an_amount_is_the_decimal_product_to_the_nearest_cent(pay, factor):
    got = Decimal(str(amount(float(pay), float(factor))))
    exact = pay * Decimal(factor)
    assert abs(got - exact) <= Decimal("0.005")
    assert got == got.quantize(Decimal("0.01"))
    if abs(got - exact) == Decimal("0.005"):  # a tie goes up (away from zero)
        assert got > exact


def _rows(doc, key="employee_id"):
    return {r[key]: r for r in doc["rows"]}


def test_tiered_service_pay_example_incentive_amounts(tmp_path):
    code, doc = rank_json(EXAMPLES / "tiered-service-pay.xlsx", tmp_path)
    assert code == 1  # E012's bare 93, as in the example without pay
    rows = _rows(doc)
    assert rows["E001"]["monthly_pay"] == 6789.5 and rows["E001"]["incentive_pct"] == -3
    assert rows["E001"]["incentive_amount"] == -203.69
    assert rows["E005"]["incentive_amount"] == -432.52  # 8650.3 × −5 %
    assert rows["E007"]["incentive_amount"] == 320  # 6400 × 5 %
    assert rows["E010"]["incentive_amount"] == 276  # 9200 × 3 %
    assert rows["E009"]["monthly_pay"] is None and rows["E009"]["incentive_amount"] is None
    assert rows["E012"]["status"] == "rejected" and rows["E012"]["incentive_amount"] is None
    assert "performance_pay" not in rows["E001"]  # R1 has no coefficients


def test_gas_service_center_pay_example_performance_pay(tmp_path):
    _, doc = rank_json(EXAMPLES / "gas-service-center-pay.xlsx", tmp_path)
    staff = {r["employee_id"]: r for r in doc["rows"] if r.get("sheet") == "员工"}
    heads = {r["branch"]: r for r in doc["rows"] if r.get("sheet") == "主管"}
    assert (staff["D04"]["grade"], staff["D04"]["performance_pay"]) == ("A", 3802.43)
    assert (staff["X01"]["grade"], staff["X01"]["performance_pay"]) == ("A+", 4148.1)
    assert (staff["N02"]["grade"], staff["N02"]["performance_pay"]) == ("C", 1876.52)
    assert staff["D10"]["pay_base"] is None and staff["D10"]["performance_pay"] is None
    assert heads["东区"]["performance_pay"] == 6000  # 5000 × 1.2
    assert heads["新区"]["performance_pay"] == 0  # C- has coefficient 0
    assert "incentive_amount" not in staff["D04"]  # R3 has no incentives


def _sheet(path: Path, name: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def test_results_and_summary_show_pay_with_totals_per_group_and_overall(tmp_path):
    out = tmp_path / "r1.xlsx"
    assert cli("rank", EXAMPLES / "tiered-service-pay.xlsx", "-o", out, "-q").exit_code == 1
    results = openpyxl.load_workbook(out)["考核结果"]
    header = [c.value for c in results[1]]
    col = header.index("激励金额")
    assert header[col - 1] == "激励比例%"
    cells = [results.cell(r, col + 1) for r in range(2, results.max_row + 1)]
    assert {c.number_format for c in cells if c.value is not None} == {"#,##0.00"}
    summary = _sheet(out, "分组汇总")
    head = list(summary[0])
    total = head.index("激励金额合计")
    by_center = {row[0]: row[total] for row in summary[1:]}
    assert by_center["要客"] == pytest.approx(-581.69)  # −203.69 − 216 − 162
    assert by_center["桂湖"] == pytest.approx(670)  # 320 + 350; 王萍's pay is blank
    # the last row: the whole sheet, 11 ranked; the sum of every amount in cents
    assert summary[-1][0] == "合计" and summary[-1][head.index("人数")] == 11
    assert summary[-1][total] == pytest.approx(-500.21)


def test_without_the_pay_column_the_rule_set_ranks_as_before(tmp_path):
    out = tmp_path / "r1.xlsx"
    assert cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "-q").exit_code == 1
    header = _sheet(out, "考核结果")[0]
    assert "激励金额" not in header and "月度薪酬" not in header
    summary = _sheet(out, "分组汇总")
    assert "激励金额合计" not in summary[0]
    csv_out = tmp_path / "r1.csv"
    cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", csv_out, "-q")
    with csv_out.open(encoding="utf-8-sig") as fh:
        names = next(csv.reader(fh))
    assert "incentive_amount" not in names and "performance_pay" not in names


def test_csv_carries_the_amounts_under_canonical_keys(tmp_path):
    out = tmp_path / "g.csv"
    cli("rank", EXAMPLES / "gas-service-center-pay.xlsx", "-o", out, "-q")
    with out.open(encoding="utf-8-sig") as fh:
        rows = {r["employee_id"]: r for r in csv.DictReader(fh) if r["sheet"] == "员工"}
    assert rows["D04"]["performance_pay"] == "3802.43"


BASE = """name: t
fields:
  a: {header: A, type: number}
  p: {header: P, type: %s}
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(RulesError) as info:
        parse_rules(text, "rules/x.yaml")
    return info.value.problems


def test_pay_rules_are_checked():
    bands = "bands: [{grade: A, cutoff: 90, coefficient: 1.1}, {grade: B}]\n"
    assert _problems(BASE % "number" + "pay: {field: q}\n" + bands) == [
        "rules/x.yaml:5 pay.field: names unknown field 'q'; fields are ['a', 'p']"]
    assert _problems(BASE % "text" + "pay: {field: p}\n" + bands) == [
        "rules/x.yaml:5 pay.field: pay field 'p' is of type 'text'; give it type: number"]
    assert _problems(BASE % "number" + "pay: {field: p}\n") == [
        "rules/x.yaml:5 pay: pay needs band coefficients or incentives to multiply it by; add "
        "them or remove pay"]
    parse_rules(BASE % "number" + "pay: {field: p}\n" + bands, "rules/x.yaml")


def test_rules_show_states_how_pay_is_used():
    out = cli("rules", "show", "tiered-service").output
    assert "pay: 月度薪酬 (monthly_pay), where the sheet has it: incentive amount = pay × " \
        "incentive %; to the cent, half-up" in out
    assert "performance pay = pay × coefficient" in cli("rules", "show",
                                                        "gas-service-center").output


def test_overall_totals_are_in_the_run_info(tmp_path):
    _, doc = rank_json(EXAMPLES / "tiered-service-pay.xlsx", tmp_path)
    assert doc["run"]["incentive_amount_total"] == -500.21
    _, doc = rank_json(EXAMPLES / "gas-service-center-pay.xlsx", tmp_path)
    staff = [r["performance_pay"] for r in doc["rows"] if r["status"] == "ranked"]
    assert doc["run"]["performance_pay_total"] == pytest.approx(sum(x for x in staff if x))
    _, doc = rank_json(EXAMPLES / "tiered-service.xlsx", tmp_path)
    assert "incentive amount total" not in doc["run"]
