"""Calibration: adjustments files, appeals with their knock-on, grade overrides, `svcperf diff`.

The hand-worked cases use the shipped examples; every expected grade below is worked out in
the comments from the sheet's scores and the rule set's quotas.
"""

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, cli, write_xlsx
from svcperf.api import open_sheet, rank_adjusted, rank_file
from svcperf.core.adjust import caps_of
from svcperf.i18n import RUN_KEYS
from svcperf.io.adjustments import read_adjustments
from svcperf.issues import FileError
from svcperf.rules.load import load_rules

R4_SHEET = EXAMPLES / "ambassador-circle.xlsx"
R3_SHEET = EXAMPLES / "gas-service-center.xlsx"
R5_SHEET = EXAMPLES / "account-manager-levels.xlsx"
HEAD = ["工号", "调整项", "调整为", "原因", "批准人", "日期"]
R5_YAML = (ROOT / "src/svcperf/rules/shipped/account-manager-levels.yaml").read_text("utf-8")


def adjustments(tmp_path: Path, *rows: list, name: str = "adj.xlsx") -> Path:
    return write_xlsx(tmp_path / name, [HEAD, *[list(r) for r in rows]])


def ranked(tmp_path: Path, sheet: Path, *extra: str, name: str = "out.json") -> tuple[int, dict]:
    out = tmp_path / name
    result = cli("rank", sheet, "-o", out, "-q", *extra)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(out.read_text("utf-8"))


def by_id(doc: dict, key: str = "employee_id") -> dict[str, dict]:
    return {r[key]: r for r in doc["rows"] if r["status"] == "ranked"}


def knocked(doc: dict) -> set[str]:
    return {k["id"] for k in doc["adjustments"]["knock_ons"]}


def r5_rules(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "r5.yaml"
    path.write_text(R5_YAML.replace("  mode: exact\n", f"  mode: exact\n{extra}"), "utf-8")
    return path


# ---- hand-worked cases ---------------------------------------------------------------------

def test_r4_appeal_crosses_the_a_cutoff_and_pushes_a_tied_pair(tmp_path):
    # 10 ranked, A = round(2.0) = 2, B = round(4.0) = 4, C the rest. Before: A001 95, then A002
    # and A003 tied at 91.2 (both A: ties go to the better class), A004 86.8 is B (rank 4).
    # A004's appeal: satisfaction 88 -> 98, score 0.6*98 + 0.4*85 = 92.8, rank 2. The two A
    # places go to A001 and A004; the tied pair at 91.2 both fall to B (ranks 3 and 3).
    _, plain = ranked(tmp_path, R4_SHEET, name="plain.json")
    adj = adjustments(tmp_path, ["A004", "满意度得分", 98, "回访记录错误", "王芳", "2026-11-05"])
    _, doc = ranked(tmp_path, R4_SHEET, "--adjust", adj)
    before, after = by_id(plain), by_id(doc)
    assert [before[i]["grade"] for i in ("A001", "A002", "A003", "A004")] == ["A", "A", "A", "B"]
    assert {i: (r["grade"], r["rank"]) for i, r in after.items() if r["grade"] == "A"} == \
        {"A001": ("A", 1), "A004": ("A", 2)}
    assert (after["A002"]["grade"], after["A002"]["rank"]) == ("B", 3)
    assert (after["A003"]["grade"], after["A003"]["rank"]) == ("B", 3)
    assert after["A004"]["score"] == 92.8 and after["A004"]["adjusted"] is True
    assert after["A004"]["before"] == {"satisfaction": 88, "score": 86.8, "grade": "B",
                                       "rank": 4, "group_rank": 2}
    assert after["A004"]["adjustment"].startswith("申诉：满意度得分 88 → 98，批准人 王芳")
    assert "最终等级 B → A" in after["A004"]["adjustment"]
    # A003 is also second in 城西 now (behind A004): its group rank moved 1 -> 2
    assert knocked(doc) == {"A002", "A003"}
    assert after["A003"]["before"] == {"grade": "A", "rank": 2, "group_rank": 1}
    assert after["A002"]["adjustment"] == \
        "因 A004 调整：最终等级 A → B，排名 2 → 3（A 名额 2 人已满，第 3 名，共 10 人）"
    assert all(not r["adjusted"] and r["before"] is None for i, r in after.items()
               if i not in {"A002", "A003", "A004"})
    assert doc["run"]["adjustments_sha256"] == doc["adjustments"]["sha256"]


def test_r3_supervisor_appeal_changes_the_branch_quota_table(tmp_path):
    # 西区's supervisor: manager 92, hq 89 -> 90.5, A. Corrected manager score 80: (80+89)/2 =
    # 84.5, band C. 西区's 7 staff then use table C (A 10%, B 70%, C 20%): floors A 0, B 4, C 1,
    # the 2 spare seats by largest fraction to B (.9) and A (.7): A 1, B 5, C 1. Before, table
    # A (A+ 10%, A 30%, B 60%) gave A+ 1 (X01), A 2 (X02, X03), B 4.
    # After: X01 91 A, X02..X06 B, X07 78 C. 南区's supervisor (85.5) moves up to rank 2.
    adj = adjustments(tmp_path, ["西区", "主管经理评分", 80, "评分录入错误", "张总", None])
    _, doc = ranked(tmp_path, R3_SHEET, "--adjust", adj)
    staff = {r["employee_id"]: r for r in doc["rows"] if r.get("sheet") == "员工"
             and r["status"] == "ranked"}
    heads = {r["branch"]: r for r in doc["rows"] if r.get("sheet") == "主管"}
    assert (heads["西区"]["score"], heads["西区"]["grade"]) == (84.5, "C")
    assert [staff[x]["grade"] for x in ("X01", "X02", "X03", "X04", "X05", "X06", "X07")] == \
        ["A", "B", "B", "B", "B", "B", "C"]
    assert knocked(doc) == {"南区", "X01", "X02", "X03", "X07"}
    ko = {k["id"]: k for k in doc["adjustments"]["knock_ons"]}
    assert ko["X01"]["before"] == {"grade": "A+"} and ko["X07"]["after"] == {"grade": "C"}
    assert ko["南区"]["before"] == {"rank": 3} and ko["南区"]["after"] == {"rank": 2}
    assert ko["X02"]["reason"].startswith("因 西区 改为 C，西区 改用 C 配额表")
    assert staff["D01"]["adjusted"] is False and staff["D01"]["adjustment"] is None


def test_r5_override_into_the_capped_grade_rebalances(tmp_path):
    # 金牛, 7 people: 高级 ⌊1.4⌋ = 1 (a cap: ties go worse), 中级 round(3.5) = 4, 初级 2.
    # Before: K01 95 高级, K02 92 .. K05 85 中级, K06, K07 初级. K02 calibrated to 高级 takes
    # the one 高级 place; the others share 中级 4 and 初级 2 in rank order: K01 falls to 中级.
    adj = adjustments(tmp_path, ["K02", "等级", "高级", "年度述职优秀", "王芳", None])
    _, doc = ranked(tmp_path, R5_SHEET, "--adjust", adj)
    rows = by_id(doc)
    assert rows["K02"]["grade"] == "高级" and rows["K02"]["movement"] == "保持"  # was 高级
    assert rows["K01"]["grade"] == "中级" and rows["K01"]["movement"] == "保持"
    assert [rows[k]["grade"] for k in ("K03", "K04", "K05", "K06", "K07")] == \
        ["中级", "中级", "中级", "初级", "初级"]
    assert knocked(doc) == {"K01"}
    assert "K02 定为 高级" in rows["K01"]["reason"]
    assert rows["K02"]["adjustment"].startswith("校准：等级 中级 → 高级，批准人 王芳")


def test_r5_override_with_keep_is_refused_over_the_cap_unless_allowed(tmp_path):
    adj = adjustments(tmp_path, ["K02", "等级", "高级", "年度述职优秀", "王芳", None])
    out = tmp_path / "keep.xlsx"
    result = cli("rank", R5_SHEET, "--rules", r5_rules(tmp_path, "  calibration: keep\n"),
                 "--adjust", adj, "-o", out)
    assert result.exit_code == 2
    assert "adj.xlsx row 2: K02 into 高级 would give 金牛 2 × 高级, over its cap of 1" in \
        " ".join(result.stderr.split())
    assert not out.exists()
    rules = r5_rules(tmp_path, "  calibration: keep\n  allow_over_cap: true\n")
    _, doc = ranked(tmp_path, R5_SHEET, "--rules", rules, "--adjust", adj)
    rows = by_id(doc)
    assert rows["K01"]["grade"] == rows["K02"]["grade"] == "高级"  # nobody else moved
    assert knocked(doc) == set()
    summary = openpyxl.load_workbook(_xlsx(tmp_path, R5_SHEET, "--rules", rules, "--adjust",
                                           adj))["分组汇总"]
    notices = [str(c.value) for row in summary.iter_rows() for c in row if c.value]
    assert any("高级\u00a02/1" in n and "王芳" in n for n in notices)  # held on one line


def _xlsx(tmp_path: Path, sheet: Path, *extra: str) -> Path:
    out = tmp_path / "out.xlsx"
    result = cli("rank", sheet, "-o", out, "-q", *extra)
    assert result.exit_code in (0, 1), result.output
    return out


def test_workbook_has_adjustment_column_sheet_and_run_hash(tmp_path):
    adj = adjustments(tmp_path, ["A004", "满意度得分", 98, "回访记录错误", "王芳", "2026-11-05"])
    wb = openpyxl.load_workbook(_xlsx(tmp_path, R4_SHEET, "--adjust", adj))
    results = [[c.value for c in row] for row in wb["考核结果"].iter_rows()]
    col = results[0].index("调整说明")
    assert sum(1 for r in results[1:] if r[col]) == 3  # A004 and its two knock-ons
    sheet = [[c.value for c in row] for row in wb["调整记录"].iter_rows()]
    assert sheet[0][:4] == ["类型", "工号", "调整项", "调整前"]
    assert [r[0] for r in sheet[1:]] == ["申诉", "连带变动", "连带变动"]
    assert sheet[1][1:7] == ["A004", "满意度得分", "88", "98", "回访记录错误", "王芳"]
    run = {r[0].value: r[1].value for r in wb["运行信息"].iter_rows() if r[0].value}
    assert run["调整文件"] == str(adj) and len(run["调整文件 SHA-256"]) == 64
    # the workbook is Chinese throughout: where in the file, 第 2 行 (it said "row 2")
    assert sheet[0][-1] == "来源" and sheet[1][-1] == "adj.xlsx 第\u00a02\u00a0行"  # one line
    # the Overview says what the adjustments did and where to look (it said nothing)
    overview = {r[0].value: r[1].value for r in wb["概览"].iter_rows() if r[0].value}
    assert overview["调整"] == "已应用 1 条调整，3 人的等级因此变动（其中连带变动 2 人），详见「调整记录」"


# ---- errors: the file and the cell; nothing written -----------------------------------------

@pytest.mark.parametrize(("row", "message"), [
    (["A004", "满意度得分", 98, "回访记录错误", None],
     "adj.xlsx E2 批准人 is blank; every adjustment needs an approver"),
    (["A004", "满意度得分", 98, None, "王芳"],
     "adj.xlsx D2 原因 is blank; every adjustment needs a reason"),
    (["A099", "满意度得分", 98, "x", "王芳"], "adj.xlsx A2 工号 'A099': nobody on the sheet"),
    (["A004", "满意率", 98, "x", "王芳"], "adj.xlsx B2 调整项 '满意率' is not a field"),
    (["A004", "满意度得分", 120, "x", "王芳"], "adj.xlsx C2 调整为 '120' for 满意度得分: "
     "满意度得分 is 120, out of range (allowed: 0–100)"),
    (["A004", "等级", "D", "x", "王芳"], "adj.xlsx C2 调整为 'D': rule set ambassador-circle "
     "has no such grade; use one of: A, B, C"),
])
def test_a_bad_adjustment_names_file_and_cell_and_writes_nothing(tmp_path, row, message):
    adj = adjustments(tmp_path, row)
    out = tmp_path / "out.xlsx"
    result = cli("rank", R4_SHEET, "--adjust", adj, "-o", out, "--lang", "en")
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert not out.exists() and "Traceback" not in result.output


def test_the_same_item_twice_and_every_problem_at_once(tmp_path):
    adj = adjustments(tmp_path, ["A004", "满意度得分", 98, "x", "王芳"],
                      ["a004", "satisfaction", 97, "y", "王芳"], ["A005", "等级", "A", None, None])
    with pytest.raises(FileError) as ex:
        rank_adjusted(open_sheet(R4_SHEET), load_rules("ambassador-circle"), adj)
    assert str(ex.value) == (  # one line (the error line's contract), each problem numbered
        "3 problems in the adjustments file, nothing applied: "
        "(1) adj.xlsx row 3: a004 满意度得分 is adjusted twice (also adj.xlsx row 2); keep one row "
        "(2) adj.xlsx D4 原因 is blank; every adjustment needs a reason "
        "(3) adj.xlsx E4 批准人 is blank; every adjustment needs an approver")


def test_the_id_is_no_item_to_adjust(tmp_path):
    adj = adjustments(tmp_path, ["A004", "工号", "A099", "x", "王芳"])
    with pytest.raises(FileError) as ex:
        rank_adjusted(open_sheet(R4_SHEET), load_rules("ambassador-circle"), adj)
    assert "'工号' is not a field" in str(ex.value)
    assert "use one of: 姓名, 服务中心," in str(ex.value)  # the id column is not offered


def test_yaml_and_csv_adjustments(tmp_path):
    yaml = tmp_path / "adj.yaml"
    yaml.write_text("- {id: A004, item: satisfaction, value: 98, reason: 回访, approved_by: 王芳}\n"
                    "- {id: A005, item: 等级, value: A, reason: 校准会}\n", "utf-8")
    with pytest.raises(FileError, match=r"adj\.yaml line 2 approved_by is blank"):
        rank_adjusted(open_sheet(R4_SHEET), load_rules("ambassador-circle"), yaml)
    text = tmp_path / "adj.csv"
    text.write_text("id,item,value,reason,approved_by\nA004,满意度得分,98,回访,王芳\n", "utf-8")
    run, _ = rank_adjusted(open_sheet(R4_SHEET), load_rules("ambassador-circle"), text)
    assert run.calibration is not None and len(run.calibration.knock_ons) == 2


# ---- invariants --------------------------------------------------------------------------------

def _plain_keys(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("adjusted", "before", "adjustment")}
            for r in rows]


@pytest.mark.parametrize("sheet", [R3_SHEET, R4_SHEET, R5_SHEET])
def test_an_empty_adjustments_file_changes_nothing(tmp_path, sheet):
    _, plain = ranked(tmp_path, sheet, name="plain.json")
    _, doc = ranked(tmp_path, sheet, "--adjust", adjustments(tmp_path))
    assert _plain_keys(doc["rows"]) == _plain_keys(plain["rows"])
    assert doc["adjustments"]["applied"] == doc["adjustments"]["knock_ons"] == []
    assert not any(r["adjusted"] for r in doc["rows"])


def test_reproducible_and_removing_the_adjustments_gives_the_plain_result(tmp_path):
    adj = adjustments(tmp_path, ["A004", "满意度得分", 98, "回访记录错误", "王芳", "2026-11-05"])
    one, two, plain = tmp_path / "1.csv", tmp_path / "2.csv", tmp_path / "p.csv"
    for out in (one, two):
        assert cli("rank", R4_SHEET, "--adjust", adj, "-o", out, "-q").exit_code == 1
    assert one.read_bytes() == two.read_bytes()
    cli("rank", R4_SHEET, "-o", plain, "-q")
    _, before = rank_adjusted(open_sheet(R4_SHEET), load_rules("ambassador-circle"), adj)
    assert before.parts[0].results.equals(rank_file(R4_SHEET, load_rules("ambassador-circle"))
                                          .parts[0].results)
    with plain.open(encoding="utf-8-sig") as fh:
        assert {r["employee_id"]: r["grade"] for r in csv.DictReader(fh)}["A004"] == "B"


R4 = load_rules("ambassador-circle")
R4_HEADER = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"]
R5 = load_rules("account-manager-levels")
R5_HEADER = ["工号", "姓名", "区县", "当前级别", "年度得分"]
scores = st.lists(st.integers(60, 100), min_size=1, max_size=14)


def _sheet(tmp_path: Path, header: list[str], rows: list[list]) -> Path:
    path = tmp_path / "s.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=scores, picks=st.lists(st.tuples(st.integers(0, 13), st.sampled_from("ABC")),
                                     max_size=3))
def test_keep_moves_only_the_adjusted_people(tmp_path, values, picks):
    rows = [[f"E{i}", f"p{i}", "城东", v, v] for i, v in enumerate(values)]
    fixed = {f"E{i}": g for i, g in picks if i < len(values)}
    adj = write_xlsx(tmp_path / "adj.xlsx", [HEAD, *[[i, "等级", g, "r", "w"]
                                                    for i, g in fixed.items()]])
    rules = tmp_path / "keep.yaml"
    text = (ROOT / "src/svcperf/rules/shipped/ambassador-circle.yaml").read_text("utf-8")
    rules.write_text(text.replace("  mode: exact\n", "  mode: exact\n  calibration: keep\n"),
                     "utf-8")
    after, before = rank_adjusted(open_sheet(_sheet(tmp_path, R4_HEADER, rows)),
                                  load_rules(rules), adj)
    old = dict(zip(before.parts[0].results["employee_id"], before.parts[0].results["grade"],
                   strict=True))
    new = dict(zip(after.parts[0].results["employee_id"], after.parts[0].results["grade"],
                   strict=True))
    assert {k for k in new if new[k] != old[k]} <= set(fixed)
    assert all(new[k] == g for k, g in fixed.items())
    assert after.calibration is not None and not after.calibration.knock_ons


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=scores, counties=st.lists(st.sampled_from(["金牛", "武侯"]), min_size=14,
                                        max_size=14),
       picks=st.lists(st.tuples(st.integers(0, 13), st.sampled_from(["高级", "中级", "初级"])),
                      max_size=3))
def test_rebalance_fills_every_group_and_never_exceeds_a_cap(tmp_path, values, counties, picks):
    rows = [[f"K{i}", f"p{i}", counties[i], "中级", v] for i, v in enumerate(values)]
    fixed = {f"K{i}": g for i, g in picks if i < len(values)}
    adj = write_xlsx(tmp_path / "adj.xlsx", [HEAD, *[[i, "等级", g, "r", "w"]
                                                    for i, g in fixed.items()]])
    try:
        after, _ = rank_adjusted(open_sheet(_sheet(tmp_path, R5_HEADER, rows)), R5, adj)
    except FileError as ex:  # only when the fixed people alone are over a cap
        assert "over its cap" in str(ex)
        return
    frame = after.parts[0].results
    assert len(frame) == len(values)
    for group in after.parts[0].groups:
        members = frame[frame["county"] == group.group]
        assert sum(group.actual.values()) == group.size == len(members)
        d = R5.distribution
        assert d is not None
        for grade, cap in caps_of(d, d.quotas or [], group.quota, group.size, group.mode).items():
            assert (members["grade"] == grade).sum() <= cap
    assert all(frame.loc[frame["employee_id"] == k, "grade"].iloc[0] == g
               for k, g in fixed.items())


# ---- template --------------------------------------------------------------------------------

def test_template_adjust_writes_the_blank_adjustments_file(tmp_path):
    out = tmp_path / "blank-adj.xlsx"
    result = cli("template", "--adjust", "--rules", "ambassador-circle", "-o", out)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["工号", "调整项", "调整为", "原因", "批准人", "日期", "类型"]
    lists = [[c.value for c in col if c.value] for col in wb["Lists"].iter_cols()]
    assert lists[0][-1] == "等级" and "满意度得分" in lists[0] and lists[1] == ["A", "B", "C"]
    kinds = {str(dv.sqref)[0]: dv.type for dv in ws.data_validations.dataValidation}
    assert kinds["B"] == kinds["C"] == "list"
    assert "填写说明" in wb.sheetnames
    assert read_adjustments(out, "en", "ambassador-circle") == []  # blank: nothing to apply
    fill = openpyxl.load_workbook(out)
    fill.worksheets[0].append(["A004", "满意度得分", 98, "回访", "王芳"])
    fill.save(out)
    run, _ = rank_adjusted(open_sheet(R4_SHEET), R4, out)
    assert run.calibration is not None and [a.id for a in run.calibration.adjustments] == ["A004"]


# ---- diff ------------------------------------------------------------------------------------

def test_diff_of_a_result_with_itself_is_empty(tmp_path):
    out = _xlsx(tmp_path, R3_SHEET)
    result = cli("diff", out, out, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["added"], doc["removed"], doc["changed"]) == ([], [], [])
    assert doc["summary"]["unchanged"] == doc["summary"]["new"] > 0


def test_diff_after_an_appeal_across_formats(tmp_path):
    plain = _xlsx(tmp_path, R4_SHEET)
    adj = adjustments(tmp_path, ["A004", "满意度得分", 98, "回访记录错误", "王芳", "2026-11-05"])
    _, _ = ranked(tmp_path, R4_SHEET, "--adjust", adj, name="after.json")
    book = tmp_path / "diff.xlsx"
    result = cli("diff", plain, tmp_path / "after.json", "--format", "json", "-o", book)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    changed = {c["id"]: c for c in doc["changed"]}
    assert set(changed) == {"A002", "A003", "A004"}
    assert changed["A004"]["changes"]["grade"] == ["B", "A"]
    assert changed["A004"]["changes"]["rank"] == [4, 2]
    assert changed["A002"]["reason"].startswith("因 A004 调整")
    assert doc["summary"]["rose"] == 1 and doc["summary"]["fell"] == 2
    assert book.exists()
    table = cli("diff", plain, tmp_path / "after.json")
    assert table.exit_code == 1 and "3 changed (1 rose, 2 fell)" in table.stdout


def test_diff_names_added_and_removed(tmp_path):
    old = tmp_path / "old.csv"
    new = tmp_path / "new.csv"
    rows = [["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"],
            ["A1", "甲", "城东", 90, 90], ["A2", "乙", "城东", 80, 80]]
    cli("rank", write_xlsx(tmp_path / "a.xlsx", rows), "-o", old, "-q")
    cli("rank", write_xlsx(tmp_path / "b.xlsx", [*rows[:2], ["A3", "丙", "城东", 85, 85]]),
        "-o", new, "-q")
    doc = json.loads(cli("diff", old, new, "--format", "json").stdout)
    assert [r["id"] for r in doc["added"]] == ["A3"]
    assert [r["id"] for r in doc["removed"]] == ["A2"]


def test_diff_takes_the_rule_set_from_a_json_results_run(tmp_path):
    """R3's rows alone do not say their rule set (two sheets); the JSON result's run does,
    as rule_file / rule_set, as the workbook's Run sheet does as 规则文件 / 规则."""
    for out in ("r3.json", "r3.csv"):
        assert cli("rank", R3_SHEET, "-o", tmp_path / out, "-q").exit_code in (0, 1)
    assert json.loads((tmp_path / "r3.json").read_text(encoding="utf-8"))["run"]["rule_file"] \
        == "gas-service-center"
    for old, new in (("r3.csv", "r3.json"), ("r3.json", "r3.json")):
        result = cli("diff", tmp_path / old, tmp_path / new, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["summary"]["unchanged"] > 0


def test_diff_reads_back_the_text_the_csv_writer_defused(tmp_path):
    """An id or name a spreadsheet would run (=1+2, =cmd) is written to CSV behind an
    apostrophe; read back it is the same person, named the same, as in the JSON result."""
    from svcperf.io.ranked import read_result

    rows = [["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"],
            ["=1+2", "bob", "城东", 90, 90], ["A2", "\t=cmd", "城东", 80, 80],
            ["A3", "-2", "城东", 85, 85], ["A4", "+1", "城东", 70, 70]]
    sheet = write_xlsx(tmp_path / "inj.xlsx", rows)
    for out in ("r.json", "r.csv"):
        assert cli("rank", sheet, "-o", tmp_path / out, "-q").exit_code == 0
    assert "'=1+2" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    result = cli("diff", tmp_path / "r.json", tmp_path / "r.csv", "--format", "json")
    doc = json.loads(result.stdout)
    assert (doc["added"], doc["removed"], doc["changed"]) == ([], [], [])
    assert result.exit_code == 0 and doc["summary"]["unchanged"] == 4
    names = {k: r["name"] for k, r in read_result(tmp_path / "r.csv").rows.items()}
    assert names == {k: r["name"] for k, r in read_result(tmp_path / "r.json").rows.items()}
    assert names[("", "=1+2")] == "bob" and names[("", "A3")] == "-2"
    assert names[("", "A2")].endswith("=cmd") and not names[("", "A2")].startswith("'")


@given(st.text(max_size=8))
def test_a_csv_cell_reads_back_as_the_writer_had_it(text):
    from svcperf.io.ranked import _csv_text
    from svcperf.io.write import csv_safe

    if not text.startswith("'"):  # '=x and =x are both written '=x: the one the writer makes
        assert _csv_text(csv_safe(text)) == text


def test_messages_in_chinese_and_a_rejected_row_takes_no_grade(tmp_path):
    adj = adjustments(tmp_path, ["A004", "满意度得分", 98, "回访记录错误", None])
    result = cli("rank", R4_SHEET, "--adjust", adj, "--lang", "zh")
    assert result.exit_code == 2
    assert "adj.xlsx E2 批准人 为空；每条调整都须有批准人" in " ".join(result.stderr.split())
    # A011's satisfaction 105 rejects the row: it has no grade to calibrate ...
    adj = adjustments(tmp_path, ["A011", "等级", "A", "校准会", "王芳"], name="grade.xlsx")
    with pytest.raises(FileError, match=r"grade\.xlsx row 2: A011 cannot be given a grade"):
        rank_adjusted(open_sheet(R4_SHEET), R4, adj)
    # ... until the same file corrects it: 0.6*95 + 0.4*80 = 89, and the grade is fixed at A
    adj = adjustments(tmp_path, ["A011", "满意度得分", 95, "录入错误", "王芳"],
                      ["A011", "等级", "A", "校准会", "王芳"], name="both.xlsx")
    run, _ = rank_adjusted(open_sheet(R4_SHEET), R4, adj)
    row = run.parts[0].results.set_index("employee_id").loc["A011"]
    assert (row["score"], row["grade"], run.rejected) == (89.0, "A", 0)


def test_diff_across_months_says_who_rose_and_who_fell(tmp_path):
    jan, feb = (_xlsx(tmp_path, EXAMPLES / f"ambassador-2026-0{m}.xlsx").rename(
        tmp_path / f"{m}.xlsx") for m in (1, 2))
    doc = json.loads(cli("diff", jan, feb, "--format", "json").stdout)
    ranks = [c["changes"]["rank"] for c in doc["changed"] if "rank" in c["changes"]]
    assert doc["summary"]["rose"] == sum(new < old for old, new in ranks)
    assert doc["summary"]["fell"] == sum(new > old for old, new in ranks)
    assert doc["summary"]["changed"] + doc["summary"]["unchanged"] + doc["summary"]["added"] \
        == doc["summary"]["new"]


def test_diff_speaks_the_users_language_and_its_workbook_the_rule_sets(tmp_path):
    """diff --lang zh printed '0 added, 0 removed, ...' and English headers; its workbook said
    added / changed and old / new (for head counts) in a Chinese rule set's workbook."""
    jan, feb = (_xlsx(tmp_path, EXAMPLES / f"ambassador-2026-0{m}.xlsx").rename(
        tmp_path / f"{m}.xlsx") for m in (1, 2))
    out = tmp_path / "d.xlsx"
    zh = cli("diff", jan, feb, "--lang", "zh", "-o", out)
    assert zh.exit_code == 1 and "：新增 " in zh.stdout and "未变" in zh.stdout
    assert "变动内容" in zh.stdout and "added" not in zh.stdout and "已写出" in zh.stdout
    en = cli("diff", jan, feb, "--lang", "en")
    assert " added, " in en.stdout and "Changes" in en.stdout
    assert cli("diff", jan, feb, "--lang", "en", "-o", out, "--force").exit_code == 1
    wb = openpyxl.load_workbook(out)  # --lang en: the terminal's; the workbook, the rule set's
    rows = [[c.value for c in r] for r in wb["变动对比"].iter_rows()]
    assert rows[0][:5] == ["变动", "工作表", "工号", "姓名", "变动项"]
    assert {r[0] for r in rows[1:]} <= {"新增", "移除", "变动"}
    names = [c.value for c in wb["变动汇总"]["A"]]  # its sheets too: was "Summary"
    assert names[:3] == ["原结果人数", "新结果人数", "新增"] and "变动人数：得分" in names
    assert not [n for n in names if "_" in n]  # no key such as score_changed


def test_the_adjusted_workbook_has_the_same_cell_values_every_run(tmp_path):
    adj = adjustments(tmp_path, ["K02", "等级", "高级", "年度述职优秀", "王芳", None])

    def cells(out: Path) -> list:
        wb = openpyxl.load_workbook(out)
        return [[c.value for c in row] for ws in wb.worksheets for row in ws.iter_rows()
                if ws.title != "运行信息" or row[0].value != RUN_KEYS["zh"]["run at"]]

    one = cells(_xlsx(tmp_path, R5_SHEET, "--adjust", adj).rename(tmp_path / "one.xlsx"))
    assert one == cells(_xlsx(tmp_path, R5_SHEET, "--adjust", adj))


def test_an_english_rule_set_gets_an_english_workbook(tmp_path):
    rules = tmp_path / "r4en.yaml"
    text = (ROOT / "src/svcperf/rules/shipped/ambassador-circle.yaml").read_text("utf-8")
    rules.write_text(text.replace("language: zh", "language: en"), "utf-8")
    adj = adjustments(tmp_path, ["A004", "satisfaction", 98, "callback record", "Wang", None])
    wb = openpyxl.load_workbook(_xlsx(tmp_path, R4_SHEET, "--rules", rules, "--adjust", adj))
    sheet = [[c.value for c in row] for row in wb["Adjustments"].iter_rows()]
    assert sheet[0][:3] == ["Kind", "Id", "Item"]
    assert [r[0] for r in sheet[1:]] == ["appeal", "Knock-on", "Knock-on"]
    results = [[c.value for c in row] for row in wb["Results"].iter_rows()]
    col = results[0].index("Adjustment")
    texts = [r[col].replace("\u00a0", " ") for r in results[1:] if r[col]]  # 得分 88: one line
    assert any(t.startswith("appeal: 满意度得分 88 → 98, approved by Wang (callback record)")
               for t in texts)
    assert any(t.startswith("because of A004: Grade A → B, Rank 2 → 3") for t in texts)


def test_diff_of_a_cascade_across_csv_and_xlsx_lists_the_adjusted_and_knock_ons(tmp_path):
    plain = tmp_path / "plain.csv"
    cli("rank", R3_SHEET, "-o", plain, "-q")
    adj = adjustments(tmp_path, ["西区", "主管经理评分", 80, "评分录入错误", "张总", None])
    after = _xlsx(tmp_path, R3_SHEET, "--adjust", adj)
    doc = json.loads(cli("diff", plain, after, "--format", "json").stdout)
    assert {(c["sheet"], c["id"]) for c in doc["changed"]} == {
        ("主管", "西区"), ("主管", "南区"), ("员工", "X01"), ("员工", "X02"), ("员工", "X03"),
        ("员工", "X07")}
    west = next(c for c in doc["changed"] if c["id"] == "西区")
    assert west["changes"] == {"score": [90.5, 84.5], "grade": ["A", "C"], "rank": [2, 3]}


def test_a_file_that_is_not_an_adjustments_file_is_refused_plainly(tmp_path):
    out = tmp_path / "out.xlsx"
    for bad, message in ((write_xlsx(tmp_path / "x.xlsx", [["工号", "备注"], ["A004", "x"]]),
                          "no header row with 工号/id, 调整项/item"),
                         (tmp_path / "x.yaml", "expected a list of adjustments"),
                         (tmp_path / "y.yaml", "y.yaml:1: not valid YAML: the quote or bracket opened")):
        if bad.name == "x.yaml":
            bad.write_text("id: A004\nitem: 等级\n", "utf-8")
        if bad.name == "y.yaml":
            bad.write_text("- [unclosed\n", "utf-8")
        result = cli("rank", R4_SHEET, "--adjust", bad, "-o", out)
        assert result.exit_code == 2 and message in " ".join(result.stderr.split())
        assert not out.exists() and "Traceback" not in result.output


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=scores, picks=st.lists(st.integers(0, 13), max_size=4),
       policy=st.sampled_from(["rebalance", "keep"]))
def test_confirming_grades_moves_nobody(tmp_path, values, picks, policy):
    # ties at the A cut-off included: confirming one of a tied pair keeps the other's grade
    rows = [[f"E{i}", f"p{i}", "城东", v, v] for i, v in enumerate(values)]
    sheet = _sheet(tmp_path, R4_HEADER, rows)
    plain = rank_file(sheet, R4).parts[0].results.set_index("employee_id")["grade"]
    chosen = sorted({f"E{i}" for i in picks if i < len(values)})
    adj = write_xlsx(tmp_path / "adj.xlsx", [HEAD, *[[i, "等级", plain[i], "r", "w"]
                                                    for i in chosen]])
    rules = tmp_path / "policy.yaml"
    text = (ROOT / "src/svcperf/rules/shipped/ambassador-circle.yaml").read_text("utf-8")
    rules.write_text(text.replace("  mode: exact\n", f"  mode: exact\n  calibration: {policy}\n"),
                     "utf-8")
    after, _ = rank_adjusted(open_sheet(sheet), load_rules(rules), adj)
    assert after.parts[0].results.set_index("employee_id")["grade"].to_dict() == plain.to_dict()
    assert after.calibration is not None and not after.calibration.knock_ons


def test_diff_finds_a_users_rule_file_beside_the_workbook_that_names_it(tmp_path):
    """The Run sheet shows a user's rule file by its name only (not the folder it sat in):
    `diff` still finds it beside the result workbook."""
    rules = tmp_path / "我的规则.yaml"
    rules.write_text((ROOT / "src/svcperf/rules/shipped/gas-service-center.yaml").read_text(
        "utf-8").replace("name: gas-service-center", "name: my-gas"), "utf-8")
    out = tmp_path / "r3.xlsx"
    assert cli("rank", R3_SHEET, "--rules", rules, "-o", out, "-q").exit_code == 1
    result = cli("diff", out, out, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["unchanged"] > 0


def test_an_adjustment_of_an_id_on_two_rows_goes_to_the_row_that_stands(tmp_path):
    """A001 typed again on row 7 (rejected as a duplicate): the correction went to that row
    (60 -> 70, said as applied) and the ranked A001 kept 90; a grade was refused outright."""
    header = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分", "是否持证",
              "请假天数", "重大客诉"]
    people = [[f"A00{i}", f"人{i}", "东", 95 - 5 * i, 95 - 5 * i, 0, "是", 0, "否"]
              for i in range(1, 6)]
    sheet = write_xlsx(tmp_path / "s.xlsx", [header, *people,
                                             ["A001", "人1（重复录入）", "东", 60, 60, 0, "是", 0, "否"]])
    adj = adjustments(tmp_path, ["A001", "满意度得分", 70, "申诉更正", "王芳", "2026-11-05"])
    _, doc = ranked(tmp_path, sheet, "--rules", "ambassador-circle", "--adjust", adj)
    (applied,) = doc["adjustments"]["applied"]
    assert (applied["row"], applied["old"], applied["value"]) == (2, 90, 70)
    assert by_id(doc)["A001"]["satisfaction"] == 70
    grade = adjustments(tmp_path, ["A001", "最终等级", "C", "校准", "王芳", "2026-11-05"],
                        name="g.xlsx")
    _, doc = ranked(tmp_path, sheet, "--rules", "ambassador-circle", "--adjust", grade,
                    name="g.json")
    assert by_id(doc)["A001"]["grade"] == "C"


def test_after_an_override_every_reason_and_the_summary_are_of_the_grades_as_calibrated(tmp_path):
    """A010 (52, C) fixed at A: A001 kept its A but its reason still said the tie at 91.2 gave
    A 3 people, and Summary listed a C|A cut-off between 70.8 and 52; with `keep` the extra A
    was put down to that tie alone."""
    adj = adjustments(tmp_path, ["A010", "等级", "A", "校准会议", "李总", "2026-11-06"])
    _, doc = ranked(tmp_path, R4_SHEET, "--adjust", adj)
    rows = by_id(doc)
    assert rows["A001"]["grade"] == "A" and rows["A001"]["reason"] == \
        "校准：A010 定为 A，剩余名额 A 1, B 4, C 4；仍为 A（第 1 名，共 10 人）"
    assert all(r["reason"].startswith("校准：") for r in rows.values())
    out = tmp_path / "r.xlsx"
    assert cli("rank", R4_SHEET, "--adjust", adj, "-o", out, "-q").exit_code in (0, 1)
    summary = list(openpyxl.load_workbook(out)["分组汇总"].iter_rows(values_only=True))
    at = summary[0].index("分界处人员")
    assert [r[at] for r in summary[1:4]] == [None, None, None]
    keep = tmp_path / "keep.yaml"
    text = (ROOT / "src/svcperf/rules/shipped/ambassador-circle.yaml").read_text("utf-8")
    keep.write_text(text.replace("  mode: exact\n", "  mode: exact\n  calibration: keep\n"), "utf-8")
    out = tmp_path / "k.xlsx"
    assert cli("rank", R4_SHEET, "--rules", keep, "--adjust", adj, "-o", out, "-q").exit_code in (0, 1)
    summary = list(openpyxl.load_workbook(out)["分组汇总"].iter_rows(values_only=True))
    said = summary[3][summary[0].index("名额与实际")].replace("\xa0", " ")
    assert said.startswith("A实际 4 人，名额 2 人（分界处 91.2 分有 2 人同分；校准改定等级）")


def test_a_corrected_cell_that_was_rejected_is_shown_as_it_was_typed(tmp_path):
    """A011's 满意度得分 105 (out of range) corrected to 95: before was '—' everywhere."""
    adj = adjustments(tmp_path, ["A011", "满意度得分", 95, "申诉更正", "李总"])
    _, doc = ranked(tmp_path, R4_SHEET, "--adjust", adj)
    (applied,) = doc["adjustments"]["applied"]
    assert (applied["id"], applied["before"], applied["old"]) == ("A011", "105", 105)
    assert by_id(doc)["A011"]["satisfaction"] == 95


def test_a_correction_that_gets_the_row_rejected_says_so(tmp_path):
    """D01 (A+, rank 1) moved to 中区, a branch with no supervisor row: its effect was '-'."""
    adj = adjustments(tmp_path, ["D01", "分公司", "中区", "调岗", "王芳"])
    _, doc = ranked(tmp_path, R3_SHEET, "--adjust", adj)
    (applied,) = doc["adjustments"]["applied"]
    assert applied["effect"].startswith("最终等级 A+ → —，排名 1 → —：调整后该行未通过校验（A")
    assert "“主管”表中没有分公司“中区”" in applied["effect"]


def test_an_adjustments_kind_and_date_are_checked_and_read_as_written(tmp_path):
    """类型 '-2' and 日期 'notadate' were taken as they were; 申诉 and 2026年11月5日 10:30 are
    the kind appeal and the date 2026-11-05 (a time of day dropped, as a date cell's is)."""
    head = [*HEAD, "类型"]
    bad = write_xlsx(tmp_path / "bad.xlsx", [head, ["A004", "满意度得分", 98, "复核", "王芳",
                                                    "notadate", "-2"]])
    result = cli("rank", R4_SHEET, "--adjust", bad, "-o", tmp_path / "x.json", "--lang", "en")
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2 and not (tmp_path / "x.json").exists()
    assert "G2 类型 '-2' is not a kind of adjustment; use one of: 申诉 / appeal, 校准 / calibration" in said
    assert "F2 日期 'notadate' is not a date; write it as 2026-11-05" in said
    good = write_xlsx(tmp_path / "good.xlsx", [head, ["A004", "满意度得分", 98, "复核", "王芳",
                                                      "2026年11月5日 10:30", "申诉"]])
    _, doc = ranked(tmp_path, R4_SHEET, "--adjust", good)
    (applied,) = doc["adjustments"]["applied"]
    assert (applied["kind"], applied["date"]) == ("appeal", "2026-11-05")


def test_a_supervisors_staff_number_points_to_the_branch_that_names_the_row(tmp_path):
    """R3's 主管 rows are named by 分公司: S02 was 'nobody on the sheet has this id'."""
    adj = adjustments(tmp_path, ["S02", "客户服务部评分", 98, "复核", "王芳"])
    result = cli("rank", R3_SHEET, "--adjust", adj, "-o", tmp_path / "x.json", "--lang", "en")
    assert result.exit_code == 2
    assert "'S02' is the 工号 of a row on sheet '主管', whose rows are named by 分公司: write " \
           "'西区'" in " ".join(result.stderr.split())


def test_an_override_keeps_the_moves_reason_and_explain_shows_the_adjusted_result(tmp_path):
    """An override replaced a row's whole reason (the move's and the incentive's went with it);
    explain had no --adjust, and given the adjusted workbook it ranked that again as a sheet."""
    adj = adjustments(tmp_path, ["W02", "等级", "初级", "述职", "王芳", None])
    _, doc = ranked(tmp_path, R5_SHEET, "--adjust", adj)
    reason = by_id(doc)["W02"]["reason"]
    assert reason.startswith("校准：等级 中级 → 初级，批准人 王芳（述职）")
    assert reason.endswith("当前级别中级，评为初级：降级")
    shown = cli("explain", R5_SHEET, "W02", "--adjust", adj, "--format", "json")
    steps = {s["step"]: s["text"] for s in json.loads(shown.stdout)["steps"]}
    assert shown.exit_code == 0 and steps["adjusted"].startswith("调整：校准：等级 中级 → 初级")
    assert steps["grade"].startswith("最终等级 初级：校准：") and "cutoffs" not in steps
    out = tmp_path / "r.xlsx"
    cli("rank", R5_SHEET, "--adjust", adj, "-o", out, "-q")
    again = cli("explain", out, "W02", "--lang", "en")
    assert again.exit_code == 2 and "is a result svcperf wrote (its sheet '运行信息'), not a " \
        "score sheet" in " ".join(again.stderr.split())


def test_a_name_or_centre_that_several_rows_have_gets_no_id_suggested(tmp_path):
    """城东中心 (five rows) was 'write A001': following it corrects the wrong person."""
    adj = adjustments(tmp_path, ["城东中心", "满意度得分", 98, "复核", "王芳"])
    result = cli("rank", R4_SHEET, "--adjust", adj, "--dry-run", "--lang", "en")
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "nobody on the sheet has this id" in said
    assert "write 'A" not in said
