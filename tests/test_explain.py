"""`svcperf explain SHEET ID`: one person's derivation, as text and as JSON with the CSV's keys."""

from __future__ import annotations

import csv
import json

import pytest

from conftest import EXAMPLES, cli, write_xlsx


def explain_json(*args):
    result = cli("explain", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def csv_row(tmp_path, sheet, key, value, *extra):
    out = tmp_path / "out.csv"
    assert cli("rank", sheet, "-o", out, "-q", *extra).exit_code in (0, 1)
    with out.open(encoding="utf-8-sig") as fh:
        return next(r for r in csv.DictReader(fh) if r[key] == value)


def test_r1_json_items_and_the_csvs_keys(tmp_path):
    code, doc = explain_json(EXAMPLES / "tiered-service.xlsx", "E005")
    assert code == 0
    row = csv_row(tmp_path, EXAMPLES / "tiered-service.xlsx", "employee_id", "E005")
    assert set(row) <= set(doc)  # every CSV key, with the same values
    for key in ("score", "rank", "group_rank", "incentive_pct"):
        assert float(row[key]) == doc[key]
    assert doc["reason"] == row["reason"]
    # 舒飞, A类: satisfaction 83.5% against 84%: 0.5 points short × 5 = 2.5 off 30
    items = {i["key"]: i for i in doc["items"]}
    sat = items["satisfaction_points"]
    assert (sat["target"], sat["shortfall"], sat["deducted"], sat["points"]) == \
        (0.84, 0.5, 2.5, 27.5)
    assert items["late_deduction"]["points"] == -1
    texts = [s["text"] for s in doc["steps"]]
    assert "满意率得分：83.5%，目标 84%（集团类型为A类），差 0.5 个百分点 × 5 = 扣 2.5；得 27.5（满分 30）" \
        in texts
    assert "得分：40 + 27.5 + 5 − 0 − 1 = 71.5" in texts
    assert texts[-1] == "中心“新繁”平均分 43.83，在 4 个中心中排倒数第 1：激励 -5%"


def test_r5_text_tells_the_tie_at_the_cap_and_the_move():
    result = cli("explain", EXAMPLES / "account-manager-levels.xlsx", "W01")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "黄勇（W01），年度评定"
    assert "最终等级 中级" in lines[1] and "级别变动 降级" in lines[1]
    assert any("配额表（规则中的配额）：高级名额 ⌊20%×6⌋=1；中级名额 50%×6=3；初级为其余 2 人；武侯共 6 人"
               in x for x in lines)
    assert any("与 周杰 同为 93 分，按同分规则（同分不占名额）2 人都不占高级名额" in x for x in lines)
    assert any(x.endswith("当前级别高级，评为中级：降级") for x in lines)


def test_r3_cascade_explains_the_table_in_english_on_request():
    code, doc = explain_json(EXAMPLES / "gas-service-center.xlsx", "X01", "--lang", "en")
    assert (code, doc["sheet"], doc["band_grade"], doc["grade"]) == (0, "员工", "A", "A+")
    steps = {s["step"]: s["text"] for s in doc["steps"]}
    assert steps["band"] == "band: 91 ≥ 90 → A"
    assert steps["quota"].startswith("quota table (the 主管 row of 西区 is graded A, which picks "
                                     "the quota table): A+ quota 10%×7 = 0.7, 1 by largest")
    assert steps["grade"].startswith("grade A+: ") and "only 0 by band" in steps["grade"]


@pytest.mark.parametrize("month", ["9", "2026-09"])  # the calendar month, or its shorthand
def test_r2_band_names_the_months_target(month):
    code, doc = explain_json(EXAMPLES / "data-submission.xlsx", "刘超", "--month", month)
    assert code == 0 and doc["grade"] == "未达标"
    steps = {s["step"]: s["text"] for s in doc["steps"]}
    assert steps["band"] == "分档：66.67 < 70（--month 9） → 未达标"
    assert steps["grade"] == "最终等级 未达标，与分档相同"


def test_a_rejected_row_is_explained_with_its_reasons_exit_1():
    result = cli("explain", EXAMPLES / "tiered-service.xlsx", "E012")
    assert result.exit_code == 1
    assert "第 16 行未参与排名：E16" in result.stdout and "93%" in result.stdout


def test_json_reasons_are_a_list_as_in_ranks_rows():
    code, doc = explain_json(EXAMPLES / "tiered-service.xlsx", "E012")
    assert code == 1 and len(doc["reasons"]) == 1 and doc["reasons"][0].startswith("E16 ")
    assert explain_json(EXAMPLES / "tiered-service.xlsx", "E005")[1]["reasons"] == []


def test_no_such_person_is_one_plain_line_exit_2():
    result = cli("explain", EXAMPLES / "tiered-service.xlsx", "E999", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("svcperf: error: no ranked or rejected row has 工号 'E999'")
    assert "Traceback" not in result.output
    assert cli("explain", EXAMPLES / "tiered-service.xlsx", "E001", "-f", "xml").exit_code == 2


def test_explain_and_the_workbook_say_the_same_for_every_example_row():
    """One source of text: each ranked row's reason is in explain's steps word for word."""
    from svcperf.api import rank_file
    from svcperf.core.explain import explain_row
    from test_reasons import SHIPPED, _rules_for

    for sheet, params in SHIPPED:
        rules = _rules_for(sheet)
        run = rank_file(EXAMPLES / sheet, rules, params=params)
        values = {k: rules.params[k].values[v] for k, v in run.params.items()}
        for p in run.parts:
            for index, row in p.results.iterrows():
                items, steps = explain_row(p, index, values, rules.precision, rules.language)
                assert len(items) == len(p.part.items)
                texts = [s["text"] for s in steps]
                if isinstance(row["reason"], str):
                    for part in row["reason"].split("；"):
                        assert any(part in x for x in texts), (sheet, part)
                assert any(s["step"] == "rank" for s in steps)


def test_a_supervisor_is_found_by_staff_number_where_the_branch_is_the_id():
    code, doc = explain_json(EXAMPLES / "gas-service-center.xlsx", "S01")
    assert (code, doc["sheet"], doc["branch"], doc["grade"]) == (0, "主管", "东区", "A+")
    assert [s["text"] for s in doc["steps"]][:3] == [
        "平均分：96, 95 的平均 = 95.5", "四舍五入保留 2 位小数：95.5", "分档：95.5 ≥ 95 → A+"]


def test_an_id_two_rows_have_explains_the_ranked_one_and_names_the_other(tmp_path):
    """explain A001 showed the first row and never said a second row had that id; a name two
    rows had was 'no row whose 工号 is 张三'."""
    sheet = write_xlsx(tmp_path / "m7.xlsx", [
        ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"], ["A001", "张三", "c", 90, 80],
        ["A002", "张三", "c", 85, 80], ["A001", "王五", "c", 70, 80]])
    shown = cli("explain", sheet, "A001", "--lang", "en")
    assert shown.exit_code == 0 and "张三 (A001)" in shown.stdout.splitlines()[0]
    assert "(the same id 'A001' is also on row 4 (rejected))" in shown.stdout
    doc = json.loads(cli("explain", sheet, "A001", "--format", "json").stdout)
    assert (doc["row"], doc["same_id_rows"]) == (2, [4])
    named = cli("explain", sheet, "张三", "--lang", "en")
    assert named.exit_code == 2
    assert "rows 2, 3 of" in named.stderr and "give the 工号 of the one you mean" in named.stderr


def test_float_noise_in_an_item_is_0_in_every_step(tmp_path):
    """附加项得分 of 0.3-0.2-0.1 (-2.8e-17) was 'extra_score = -0' and '90 − 0 = 90'."""
    sheet = write_xlsx(tmp_path / "n.xlsx", [
        ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分"],
        ["A000", "a", "c", 90, 90, 0.3 - 0.2 - 0.1], ["A001", "b", "c", 80, 90, 1]])
    text = cli("explain", sheet, "A000", "-r", "ambassador-circle").stdout
    assert "extra_score = 0" in text and "90 + 0 = 90" in text and "-0" not in text


def test_a_row_left_out_as_not_a_person_is_said_so(tmp_path):
    """全市均值 on row 4 was 'no ranked or rejected row has 工号 全市均值'."""
    from conftest import R1_HEADER

    good = ["要客", "A类", 0.9, 0.85, 1.0, 0, 0]
    path = write_xlsx(tmp_path / "s.xlsx", [R1_HEADER, ["E1", "张三", *good],
                                            ["E2", "李四", *good], ["全市均值", None, None, None,
                                                                    0.9, 0.85, 1.0, 0, 0]])
    result = cli("explain", path, "全市均值", "--lang", "en")
    assert result.exit_code == 2
    assert "row 4 of " in result.stderr and "holds '全市均值' but is not a person: it was left " \
        "out with the average rows" in " ".join(result.stderr.split())


def test_explain_adjusted_speaks_one_language(tmp_path):
    """--lang en --adjust: the adjustment step was in the rule set's Chinese."""
    shown = cli("explain", EXAMPLES / "ambassador-circle.xlsx", "A002", "--adjust",
                EXAMPLES / "ambassador-appeal.csv", "--lang", "en")
    step = next(line for line in shown.stdout.splitlines() if "adjusted:" in line)
    assert "because of A004: Grade A → B" in step and "因" not in step
