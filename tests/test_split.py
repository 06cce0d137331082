"""rank --split-by group: one workbook per group beside the full one, in one folder, atomically."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, R1_HEADER, cli, write_xlsx
from svcperf.api import rank_sheet
from svcperf.core.split import group_names, narrow
from svcperf.io import split as split_io
from svcperf.io.split import MANIFEST, file_names

CENTERS = {"要客": ["E001", "E002", "E003"], "新繁": ["E004", "E005", "E006"],
           "桂湖": ["E007", "E008", "E009"], "大丰": ["E010", "E011"]}  # E012 (大丰) is rejected


def _ids(path: Path, sheet: str, header: str = "工号") -> list[str]:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    col = rows[0].index(header)
    return [r[col] for r in rows[1:]]


def test_one_workbook_per_center_beside_the_full_one(tmp_path):
    sheet = shutil.copy(EXAMPLES / "tiered-service-pay.xlsx", tmp_path / "oct.xlsx")
    result = cli("rank", sheet, "--split-by", "group")
    assert result.exit_code == 1, result.output
    folder = tmp_path / "oct.ranked.by-group"
    assert "oct.ranked.by-group (4 workbooks, one per group)" in result.output
    assert (tmp_path / "oct.ranked.xlsx").is_file()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [MANIFEST, "要客.xlsx", "新繁.xlsx", "桂湖.xlsx", "大丰.xlsx"])
    for center, ids in CENTERS.items():
        book = folder / f"{center}.xlsx"
        assert sorted(_ids(book, "考核结果")) == ids
        assert _ids(book, "未通过校验") == (["E012"] if center == "大丰" else [])
        summary = list(openpyxl.load_workbook(book)["分组汇总"].iter_rows(values_only=True))
        assert summary[1][0] == center and summary[-1][0] == "合计"  # its row, then its total
        assert len(summary) == 3
        run = dict(openpyxl.load_workbook(book)["运行信息"].iter_rows(max_col=2, values_only=True))
        assert run["分组"] == center and run["参与排名"] == len(ids)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert [(g["group"], g["rows_ranked"], g["rows_rejected"]) for g in manifest["groups"]] == \
        [("要客", 3, 0), ("桂湖", 3, 0), ("大丰", 2, 1), ("新繁", 3, 0)]  # as first met in rank order


def test_a_group_workbook_has_its_head_and_its_staff(tmp_path):
    """R3: a branch's workbook holds its supervisor (主管) and its staff; 中区, whose staff were
    all rejected (no supervisor row), still gets one, with them in Rejected."""
    out = tmp_path / "r3.xlsx"
    assert cli("rank", EXAMPLES / "gas-service-center.xlsx", "-o", out, "--split-by", "group",
               "-q").exit_code == 1
    folder = tmp_path / "r3.by-group"
    east = folder / "东区.xlsx"
    assert _ids(east, "考核结果 主管", "分公司") == ["东区"]
    assert sorted(_ids(east, "考核结果 员工")) == [f"D{i:02d}" for i in range(1, 11)]
    middle = folder / "中区.xlsx"
    assert _ids(middle, "考核结果 员工") == [] and _ids(middle, "未通过校验 员工") == ["Z01", "Z02"]


@pytest.mark.parametrize("name", ["tiered-service", "data-submission", "gas-service-center",
                                  "ambassador-circle", "account-manager-levels",
                                  "competency-potential"])
def test_every_row_is_in_exactly_one_group_workbook(name):
    params = {"month": "9"} if name == "data-submission" else {}
    run, _ = rank_sheet(EXAMPLES / f"{name}.xlsx", params=params)
    runs = [narrow(run, g) for g in group_names(run)]
    for i, part in enumerate(run.parts):
        for which in ("results", "rejected"):
            rows = sorted(r for g in runs for r in getattr(g.parts[i], which)["_row"])
            assert rows == sorted(getattr(part, which)["_row"]), (part.part.key, which)
    assert sum(g.ranked for g in runs) == run.ranked
    assert sum(g.rejected for g in runs) == run.rejected


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(["东区", "西区", "南区", ""]), min_size=1, max_size=12))
def test_groups_partition_the_rows_of_any_sheet(tmp_path_factory, centers):
    rows = [[f"E{i:03d}", f"人{i}", c, "A类", 0.9, 0.84, 1.0, 0, 0]
            for i, c in enumerate(centers)]
    sheet = write_xlsx(tmp_path_factory.mktemp("p") / "s.xlsx", [R1_HEADER, *rows])
    run, _ = rank_sheet(sheet, "tiered-service")
    names = group_names(run)
    assert set(names) == {c or None for c in centers}
    seen: list[str] = []
    for g in names:
        part = narrow(run, g).parts[0]
        seen += [*part.results["employee_id"], *part.rejected["employee_id"]]
        assert set(part.results["center"]) <= {g}
        if g is None:  # a blank 中心 is rejected (required); its rows get a workbook of their own
            assert part.results.empty and len(part.rejected) == centers.count("")
    assert sorted(seen) == sorted(r[0] for r in rows)


def test_rows_with_a_blank_group_get_a_workbook_of_their_own(tmp_path):
    sheet = write_xlsx(tmp_path / "s.xlsx", [R1_HEADER, ["E1", "甲", "东区", "A类", 0.9, 0.9, 1, 0, 0],
                                             ["E2", "乙", None, "A类", 0.9, 0.9, 1, 0, 0]])
    assert cli("rank", sheet, "--split-by", "group", "-q").exit_code == 1
    folder = tmp_path / "s.ranked.by-group"
    assert sorted(p.name for p in folder.glob("*.xlsx")) == ["东区.xlsx", "未填分组.xlsx"]
    assert _ids(folder / "未填分组.xlsx", "未通过校验") == ["E2"]


def test_file_names_are_safe_distinct_and_keep_chinese():
    assert file_names(["东区/一部", "东区_一部", "Ab", "ab", "CON", "a:b*c?", "..", "新区"],
                      ".xlsx") == ["东区_一部.xlsx", "东区_一部-2.xlsx", "Ab.xlsx", "ab-2.xlsx",
                                   "CON_.xlsx", "a_b_c_.xlsx", "_.xlsx", "新区.xlsx"]
    assert len(file_names(["长" * 300], ".xlsx")[0]) <= 85


def test_csv_output_splits_into_csv_files(tmp_path):
    out = tmp_path / "r.csv"
    cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "--split-by", "group", "-q")
    files = sorted(p.name for p in (tmp_path / "r.by-group").glob("*.csv"))
    assert files == sorted(f"{c}.csv" for c in CENTERS)
    assert (tmp_path / "r.by-group" / "大丰.csv").read_text("utf-8-sig").count("E01") == 3


def test_a_failure_leaves_no_partial_folder_and_the_old_one_intact(tmp_path, monkeypatch):
    sheet = shutil.copy(EXAMPLES / "tiered-service.xlsx", tmp_path / "oct.xlsx")
    folder = tmp_path / "oct.ranked.by-group"
    real = split_io.write_result
    calls = []

    def failing(run, path):  # the disk fills up at the third group workbook
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        return real(run, path)

    monkeypatch.setattr(split_io, "write_result", failing)
    result = cli("rank", sheet, "--split-by", "group")
    assert result.exit_code == 2 and "cannot be written" in result.output
    assert not folder.exists() and not list(tmp_path.glob(".*"))  # no folder, no temporary one
    monkeypatch.setattr(split_io, "write_result", real)
    assert cli("rank", sheet, "--split-by", "group", "-q").exit_code == 1
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls.clear()
    monkeypatch.setattr(split_io, "write_result", failing)
    assert cli("rank", sheet, "--split-by", "group", "-q").exit_code == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # as it was
    assert not list(tmp_path.glob(".*"))


def test_a_folder_of_other_files_is_never_replaced(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine")
    out = tmp_path / "r.xlsx"
    result = cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "--split-by", "group",
                 "--split-dir", mine)
    assert result.exit_code == 2 and "svcperf did not write" in result.output
    assert [p.name for p in mine.iterdir()] == ["keep.txt"] and not out.exists()
    (mine / "keep.txt").unlink()  # an empty folder is fine, and a re-run replaces what we wrote
    for _ in range(2):
        assert cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "--split-by", "group",
                   "--split-dir", mine, "-q", "--force").exit_code == 1
    assert len(list(mine.glob("*.xlsx"))) == 4


def test_split_options_are_checked(tmp_path):
    sheet = EXAMPLES / "tiered-service.xlsx"
    assert "only split is --split-by group" in cli("rank", sheet, "--split-by", "team").output
    assert "--split-dir needs --split-by" in cli("rank", sheet, "--split-dir", tmp_path).output
    rules = tmp_path / "flat.yaml"
    rules.write_text("name: flat\nfields:\n  id: {header: 工号, type: text}\n"
                     "  s: {header: 得分, type: number}\nscore: {formula: s}\n", encoding="utf-8")
    flat = write_xlsx(tmp_path / "flat.xlsx", [["工号", "得分"], ["A1", 90], ["A2", 80]])
    result = cli("rank", flat, "--rules", rules, "--split-by", "group")
    assert result.exit_code == 2 and "has no group field" in result.output
    assert not (tmp_path / "flat.ranked.xlsx").exists()  # refused before anything is written


def test_batch_writes_one_group_folder_per_sheet_and_skips_them_when_up_to_date(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    for name in ("tiered-service", "account-manager-levels"):
        shutil.copy(EXAMPLES / f"{name}.xlsx", folder / f"{name}.xlsx")
    out = tmp_path / "r"
    args = ["rank", folder, "--out-dir", out, "--split-by", "group", "-j", "1",
            "--summary", tmp_path / "s.json"]
    assert cli(*args).exit_code == 1
    assert len(list((out / "tiered-service.ranked.by-group").glob("*.xlsx"))) == 4
    assert {p.name for p in (out / "account-manager-levels.ranked.by-group").glob("*.xlsx")} == \
        {"金牛.xlsx", "武侯.xlsx"}
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert {Path(f["groups_output"]).name for f in doc["files"]} == \
        {"tiered-service.ranked.by-group", "account-manager-levels.ranked.by-group"}
    assert "2 up-to-date" in cli(*args).output
    shutil.rmtree(out / "tiered-service.ranked.by-group")  # a missing group folder: ranked again
    again = cli(*args)
    assert "1 up-to-date" in again.output and (out / "tiered-service.ranked.by-group").is_dir()
    elsewhere = tmp_path / "heads"
    assert cli(*args, "--split-dir", elsewhere).exit_code == 1
    assert sorted(p.name for p in elsewhere.iterdir()) == [
        "account-manager-levels.ranked.by-group", "tiered-service.ranked.by-group"]


def test_a_stale_temporary_group_folder_is_swept_by_the_next_batch(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    shutil.copy(EXAMPLES / "tiered-service.xlsx", folder / "t.xlsx")
    out = tmp_path / "r"
    stale = out / ".t.ranked.by-group.x1y2.part"  # what a kill -9 mid-write leaves
    stale.mkdir(parents=True)
    (stale / "东区.xlsx").write_bytes(b"half")
    assert cli("rank", folder, "--out-dir", out, "--split-by", "group", "-q").exit_code == 1
    assert not stale.exists() and (out / "t.ranked.by-group").is_dir()


def test_combined_ranking_splits_by_group_too(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    shutil.copy(EXAMPLES / "ambassador-2026-01.xlsx", folder / "a.xlsx")
    shutil.copy(EXAMPLES / "ambassador-2026-02.xlsx", folder / "b.xlsx")
    out = tmp_path / "r"
    all_of = tmp_path / "all.xlsx"
    cli("rank", folder, "--out-dir", out, "--combined", all_of, "--split-by", "group", "-q")
    groups = tmp_path / "all.by-group"
    run, _ = rank_sheet(EXAMPLES / "ambassador-2026-01.xlsx")
    centers = set(run.parts[0].results["center"])
    assert {p.stem for p in groups.glob("*.xlsx")} == centers
    total = sum(len(_ids(p, "考核结果")) for p in groups.glob("*.xlsx"))
    assert total == len(_ids(all_of, "考核结果"))


def test_two_sheets_of_one_name_cannot_share_a_split_dir(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(EXAMPLES / "tiered-service.xlsx", tmp_path / name / "march.xlsx")
    result = cli("rank", tmp_path / "a" / "march.xlsx", tmp_path / "b" / "march.xlsx",
                 "--split-by", "group", "--split-dir", tmp_path / "g")
    assert result.exit_code == 2 and "into one folder" in result.output
    assert not (tmp_path / "g").exists() and not (tmp_path / "a" / "march.ranked.xlsx").exists()


def _facts(path: Path, sheet: str) -> dict[str, object]:
    return {r[0]: r[1] for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)
            if r[0]}


def test_a_group_workbook_names_its_group_and_counts_its_own_rows(tmp_path):
    """The review: a group's workbook did not name its group on the Overview, and its Run
    notices counted the whole sheet (SA: "已报 has 5 blank cells", SA has one person)."""
    sheet = shutil.copy(EXAMPLES / "data-submission.xlsx", tmp_path / "ds.xlsx")
    cli("rank", sheet, "--month", "9", "--split-by", "group", "-q")
    folder = tmp_path / "ds.ranked.by-group"
    overview = _facts(folder / "SA.xlsx", "概览")
    assert overview["分组"] == "SA（本工作簿只含该组的行）"
    assert openpyxl.load_workbook(folder / "SA.xlsx")["概览"]["A1"].value.endswith("（SA）")
    notices = {k: v for k, v in _facts(folder / "SA.xlsx", "运行信息").items()
               if str(k).startswith("default-used")}
    assert list(notices.values()) == ["“已报”有 1 个空单元格，按 0 处理"]
    whole = _facts(tmp_path / "ds.ranked.xlsx", "运行信息")
    assert whole["default-used 报送情况"] == "“已报”有 5 个空单元格，按 0 处理"
    assert "分组" not in _facts(tmp_path / "ds.ranked.xlsx", "概览")
    # a group with no blank 已报 has no such notice at all
    full = {k for k in _facts(folder / "泰兴.xlsx", "运行信息") if str(k).startswith("default")}
    assert not full
