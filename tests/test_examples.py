"""The CLI on every shipped example, checked against hand-worked numbers."""

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, cli, rank_json


def by(rows, key="employee_id"):
    return {r[key]: r for r in rows if r["status"] == "ranked"}


def rejected(doc):  # JSON reasons are a list; joined here to search them
    return {r["row"]: "; ".join(r["reasons"]) for r in doc["rows"] if r["status"] == "rejected"}


def test_r1_tiered_service(tmp_path):
    code, doc = rank_json(EXAMPLES / "tiered-service.xlsx", tmp_path)
    rows = by(doc["rows"])
    assert code == 1  # one row rejected, output still written
    scores = {k: r["score"] for k, r in rows.items()}
    assert scores == {"E001": 100, "E002": 88, "E003": 63, "E004": 60, "E005": 71.5, "E006": 0,
                      "E007": 100, "E008": 93, "E009": 99.5, "E010": 100, "E011": 86}
    assert rows["E005"]["satisfaction_points"] == 27.5 and rows["E004"]["weak_coverage_deduction"] == -10
    pct = {r["center"]: r["incentive_pct"] for r in rows.values()}
    assert pct == {"桂湖": 5, "大丰": 3, "要客": -3, "新繁": -5}
    assert [rows[k]["rank"] for k in ("E001", "E007", "E010", "E009")] == [1, 1, 1, 4]
    assert rows["E003"]["awareness"] == 0.9  # "90%" typed as text
    assert rows["E006"]["extra"]["备注"] == "新入职"  # the clerk's own column is carried through
    [reason] = rejected(doc).values()
    assert "E16" in reason and "ambiguous" in reason and "93% or 0.93" in reason
    run = doc["run"]  # every row accounted for: the totals row is left out, not a person
    assert run["rows_read"] == 13 == run["rows_ranked"] + run["rows_rejected"] + \
        run["rows_left_out"]
    assert run["left_out_by_kind"] == {"totals": 1}


SEED_PERCENT = {  # 占比 as printed in seed 001
    "蔡慧倩": 40.00, "陈迪": 0.00, "段太琴": 66.67, "何晓燕": 100.00, "赖维玲": 100.00,
    "张姣": 62.50, "张静": 55.56, "刘超": 66.67, "舒飞": 0.00, "吴婷婷": 66.67, "李华艳": 100.00,
    "刘斌": 100.00, "付小凤": 0.00, "曾俊韬": 0.00, "黄秀艺": 100.00, "郜静": 100.00,
    "亢寒": 33.33, "蒋莉丽": 50.00, "何云龙": 40.00, "谭琪琪": 50.00, "王萍": 100.00,
    "熊丽": 20.00, "黄磊": 60.00, "曾茗霞": 25.00, "李由": 50.00, "余锐": 0.00,
}


def test_r2_reproduces_the_seed_percentages(tmp_path):
    code, doc = rank_json(EXAMPLES / "data-submission.xlsx", tmp_path, "--month", "9")
    rows = by(doc["rows"], "name")
    assert code == 0 and {k: r["score"] for k, r in rows.items()} == SEED_PERCENT
    assert "总计" not in rows and rows["陈迪"]["submitted"] == 0
    met = sorted(k for k, r in rows.items() if r["grade"] == "达标")
    assert met == sorted(k for k, v in SEED_PERCENT.items() if v >= 70)
    _, may = rank_json(EXAMPLES / "data-submission.xlsx", tmp_path, "--month", "5")
    assert {r["name"] for r in may["rows"] if r["grade"] == "达标"} == \
        {k for k, v in SEED_PERCENT.items() if v >= 20}


def test_r2_needs_a_month():
    result = cli("rank", EXAMPLES / "data-submission.xlsx", "-o", "/dev/null/x.xlsx")
    assert result.exit_code == 2 and "needs --month" in result.output
    result = cli("rank", EXAMPLES / "data-submission.xlsx", "-o", "/dev/null/x.xlsx", "--lang", "zh")
    assert result.exit_code == 2 and "需要 --month" in result.output and "2026-09" in result.output
    result = cli("rank", EXAMPLES / "data-submission.xlsx", "-o", "/dev/null/x.xlsx", "--month", "3",
                 "--lang", "zh")
    assert result.exit_code == 2 and "没有这一项" in result.output


def test_r3_supervisor_grade_picks_the_staff_quotas(tmp_path):
    code, doc = rank_json(EXAMPLES / "gas-service-center.xlsx", tmp_path)
    sup = {r["branch"]: r["grade"] for r in doc["rows"] if r["sheet"] == "主管"}
    assert sup == {"东区": "A+", "西区": "A", "南区": "B", "北区": "C", "新区": "C-"}
    staff = by([r for r in doc["rows"] if r["sheet"] == "员工"])
    grades = {k: r["grade"] for k, r in staff.items()}
    # 东区 (A+ table 20/30/50 of 10 -> 2/3/5): 95 tied at the A+ cut-off -> both A+, A shrinks
    assert [grades[f"D{i:02d}"] for i in range(1, 11)] == ["A+"] * 3 + ["A"] * 2 + ["B"] * 5
    # 西区 (A table 10/30/60 of 7 -> 1/2/4 by largest remainder); X08 "八十" rejected
    assert [grades[f"X{i:02d}"] for i in range(1, 8)] == ["A+", "A", "A", "B", "B", "B", "B"]
    assert staff["X01"]["reason"] == ("西区在“主管”表中评为 A，按其配额表；A+名额 10%×7=0.7，"
                                      "按最大余数法为 1，按分档仅 0 人，按名次补足；分档为A，"
                                      "评为A+（西区第 1 名，共 7 人）")
    # 南区 has 3 staff: bands only
    assert [grades[k] for k in ("N01", "N02", "N03")] == ["A", "C", "C-"]
    reasons = rejected(doc)
    assert len(reasons) == 3 and sum("中区" in r for r in reasons.values()) == 2
    assert code == 1


def test_r4_classes_with_a_tie_at_the_a_cutoff(tmp_path):
    _, doc = rank_json(EXAMPLES / "ambassador-circle.xlsx", tmp_path)
    rows = by(doc["rows"])
    assert rows["A002"]["score"] == rows["A003"]["score"] == 91.2
    classes = [rows[f"A{i:03d}"]["grade"] for i in range(1, 11)]
    assert classes == ["A"] * 3 + ["B"] * 3 + ["C"] * 4
    assert rows["A006"]["major_complaint"] is False and rows["A001"]["leave_days"] == 0
    assert next(iter(rejected(doc).values())).startswith(
        "D15 满意度得分 is 105, out of range (allowed: 0–100)")


def test_r5_senior_cap_and_moves(tmp_path):
    _, doc = rank_json(EXAMPLES / "account-manager-levels.xlsx", tmp_path)
    rows = by(doc["rows"])
    assert [rows[f"K0{i}"]["grade"] for i in range(1, 8)] == \
        ["高级", "中级", "中级", "中级", "中级", "初级", "初级"]
    # 武侯: ⌊0.2 × 6⌋ = 1 senior place, but W01 and W02 tie at it: both stay below
    assert [rows[f"W0{i}"]["grade"] for i in range(1, 7)] == \
        ["中级", "中级", "中级", "中级", "初级", "初级"]
    assert (rows["K01"]["movement"], rows["K02"]["movement"], rows["K03"]["movement"]) == \
        ("晋升", "降级", "保持")
    assert rows["W06"]["movement"] is None  # no current level given


def test_r6_high_potential_flag(tmp_path):
    _, doc = rank_json(EXAMPLES / "competency-potential.xlsx", tmp_path)
    rows = by(doc["rows"])
    assert rows["P01"]["score"] == rows["P06"]["score"] == 87.5
    assert rows["P09"]["score"] == 62.5  # lower-case d / e fold to the levels
    assert sorted(k for k, r in rows.items() if r["grade"] == "高潜") == ["P01", "P06"]
    assert "'专家' is not one of" in next(iter(rejected(doc).values()))


@pytest.mark.parametrize("name", ["tiered-service", "gas-service-center", "ambassador-circle",
                                  "account-manager-levels", "competency-potential"])
def test_default_output_lands_beside_the_input_and_input_is_unchanged(tmp_path, name):
    sheet = shutil.copy(EXAMPLES / f"{name}.xlsx", tmp_path / f"{name}.xlsx")
    before = Path(sheet).read_bytes()
    result = cli("rank", sheet)
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / f"{name}.ranked.xlsx").is_file()
    assert Path(sheet).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.ranked.xlsx", f"{name}.xlsx"]
