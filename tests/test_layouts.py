"""Sheet layouts as branch clerks make them (tests/data/layouts): the right people, ranked right.

Each file in tests/data/layouts is ranked with `-o out.json` and checked against expected.json,
whose numbers were worked out by hand from the rule sets (README.md there shows the sums). A
property test then adds non-person rows (subtotals, averages, totals, blank rows, footers, title
blocks, repeated headers, an instructions sheet) to clean R1 sheets: nobody may appear, vanish or
change score.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from conftest import R1_HEADER, ROOT, cli

LAYOUTS = ROOT / "tests" / "data" / "layouts"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (LAYOUTS / "expected.json").read_text(encoding="utf-8"))["files"]
NOT_LAYOUTS = {"make_layouts.py", "README.md", "expected.json"}


def generator() -> ModuleType:
    """tests/data/layouts/make_layouts.py, imported (it is not in a package)."""
    spec = importlib.util.spec_from_file_location("make_layouts", LAYOUTS / "make_layouts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rank(sheet: Path, out_dir: Path, *args: str) -> tuple[int, dict[str, Any] | None, str]:
    """(exit code, the JSON output or None when none was written, what was printed)."""
    out = out_dir / f"{sheet.name}.json"
    result = cli("rank", sheet, "-o", out, "-q", *args)
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return result.exit_code, data, result.output


def validate_codes(sheet: Path, args: list[str]) -> set[str]:
    """Issue codes from `validate --format json` (for a sheet rank refuses with exit 2)."""
    keep = [a for i, a in enumerate(args) if a != "--month" and (i == 0 or args[i - 1] != "--month")]
    result = cli("validate", sheet, "--format", "json", *keep)
    return {issue["code"] for issue in json.loads(result.stdout)["issues"]}


def people(data: dict[str, Any], id_key: str, status: str = "ranked") -> dict[str, dict[str, Any]]:
    """Rows of one status by id (the id as text: a number read as 121.0 shows as '121.0')."""
    return {str(row.get(id_key)): row for row in data["rows"] if row["status"] == status}


def same_ids(got: set[str], want: set[str], what: str) -> None:
    lost, invented = sorted(want - got), sorted(got - want)
    assert not lost and not invented, f"{what}: lost {lost}, invented {invented}"


def explain(data: dict[str, Any], id_key: str) -> str:
    """The ranked ids and the rejected rows with their reasons, for a failure message."""
    rejected = [(row["row"], row.get(id_key), row["reasons"]) for row in data["rows"]
                if row["status"] == "rejected"]
    return f"ranked {sorted(people(data, id_key))}; rejected {rejected}"


def check_fields(pid: str, row: dict[str, Any], want: dict[str, Any]) -> None:
    for key, value in want.items():
        got = row.get(key)
        if key == "score":
            assert got is not None and round(got, 2) == value, f"{pid} score {got}, expected {value}"
        elif isinstance(value, float):
            assert got == pytest.approx(value, abs=1e-9), f"{pid} {key} {got!r}, expected {value!r}"
        else:
            assert got == value, f"{pid} {key} {got!r}, expected {value!r}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout(name: str, tmp_path: Path) -> None:
    want = EXPECTED[name]
    sheet = LAYOUTS / name
    code, data, output = rank(sheet, tmp_path, *want["args"])
    if want["exit"] is not None:
        assert code == want["exit"], f"exit {code}, expected {want['exit']}: {output}" + (
            explain(data, want["id_key"]) if data else "")
    if code == 2:  # nothing written: only an allowed refusal gets here
        missing = set(want.get("issue_codes", [])) - validate_codes(sheet, want["args"])
        assert not missing, f"issue codes missing: {sorted(missing)}: {output}"
        return
    assert data is not None, output
    assert data["run"]["rule_set"] == want["rule_set"]
    if want["ranked"] is not None:
        ranked = people(data, want["id_key"])
        same_ids(set(ranked), set(want["ranked"]), "ranked")
        for pid, fields in want["ranked"].items():
            check_fields(pid, ranked[pid], fields)
    if "rejected" in want:
        same_ids(set(people(data, want["id_key"], "rejected")), set(want["rejected"]), "rejected")
    codes = {issue["code"] for issue in data["issues"]}
    missing = set(want.get("issue_codes", [])) - codes
    assert not missing, f"issue codes missing: {sorted(missing)} (got {sorted(codes)})"
    present = set(want.get("absent_codes", [])) & codes
    assert not present, f"issue codes that should not be there: {sorted(present)}"
    severities = {issue["severity"] for issue in data["issues"]}
    assert set(want.get("severities", [])) <= severities, f"severities {sorted(severities)}"


def test_every_file_is_listed_and_written_by_the_generator() -> None:
    on_disk = {p.name for p in LAYOUTS.iterdir() if p.is_file()} - NOT_LAYOUTS
    assert on_disk == set(EXPECTED), "files and expected.json differ"
    assert set(generator().file_names()) == on_disk, "files and make_layouts.file_names() differ"


def snapshot(path: Path) -> list[Any]:
    """What a sheet holds: values, number formats, merged ranges and hidden rows of every sheet."""
    if path.suffix == ".xls":  # the HTML export
        return [path.read_text(encoding="utf-8")]
    wb = load_workbook(path)
    return [(ws.title,
             [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()],
             sorted(str(m) for m in ws.merged_cells.ranges),
             sorted(r for r, d in ws.row_dimensions.items() if d.hidden))
            for ws in wb.worksheets]


def test_generator_is_deterministic_and_matches_the_committed_files(tmp_path: Path) -> None:
    make = generator()
    first = {p.name: p for p in make.build(tmp_path / "a", converted=False)}
    second = {p.name: p for p in make.build(tmp_path / "b", converted=False)}
    assert set(first) == set(make.DIRECT) == set(second)
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), f"{name} differs between runs"
        assert snapshot(path) == snapshot(LAYOUTS / name), f"{name}: run make_layouts.py again"


# ---- property: non-person rows never change who is ranked or how ----

CENTRES = ["城东", "城西", "城北"]
RATE = st.integers(600, 1000).map(lambda n: n / 1000)
PERSON = st.tuples(st.sampled_from(["王芳", "李强", "张敏", "刘洋", "陈静", "赵磊"]),
                   st.sampled_from(CENTRES), st.sampled_from(["百强", "A类", "B类", "C类"]),
                   RATE, RATE, RATE, st.integers(0, 6), st.integers(0, 12))
PEOPLE = st.lists(PERSON, min_size=8, max_size=12).map(
    lambda rows: [[f"E{201 + i:04d}", *row] for i, row in enumerate(rows)])
NOISE_ROWS = ["subtotal", "average", "total", "blank", "header"]
NOISE = st.fixed_dictionaries({
    "title_rows": st.integers(0, 3),
    "inserts": st.lists(st.tuples(st.sampled_from(NOISE_ROWS), st.integers(0, 12)), max_size=6),
    "footer": st.booleans(),
    "instructions": st.sampled_from([None, "first", "last"]),
})
TITLES = ["2026年10月 集团客户分层分级服务考核表", "填报单位：市场部", "填报日期：2026-10-08"]
INSTRUCTIONS = ["填表说明", "1. 每位客户经理一行，工号必填且不得重复。",
                "2. 知晓率、满意率按百分比填写（如 93%）。", "3. 扣分项无则留空。"]


def summary_row(kind: str, above: list[list[Any]]) -> tuple[list[Any], bool]:
    """A non-person row over the people above it, and whether its label is merged over A:D."""
    block = above or [["", "", CENTRES[0], "", 0.9, 0.9, 0.9, 0, 0]]
    counts = [sum(p[7] for p in block), sum(p[8] for p in block)]
    rates = [round(sum(p[c] for p in block) / len(block), 4) for c in (4, 5, 6)]
    if kind == "subtotal":
        return [f"{block[-1][2]}中心 小计", None, None, None, *rates, *counts], True
    if kind == "average":
        return ["平均分", None, None, None, *rates, *(round(n / len(block), 2) for n in counts)], True
    if kind == "total":
        return ["合计", None, None, None, None, None, None, *counts], False
    if kind == "header":
        return list(R1_HEADER), False
    return [], False  # blank


def write_r1(path: Path, rows: list[tuple[list[Any], bool]], instructions: str | None = None) -> Path:
    """An R1 workbook of these rows (each with its merge-A:D flag); rates formatted as %."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "10月考核"
    for r, (values, merged) in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if 5 <= c <= 7 and isinstance(value, float):
                    cell.number_format = "0.00%"
        if merged:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    if instructions:
        notes = wb.create_sheet("填表说明", 0 if instructions == "first" else None)
        for r, line in enumerate(INSTRUCTIONS, start=1):
            notes.cell(row=r, column=1, value=line)
    wb.save(path)
    return path


def noisy_rows(persons: list[list[Any]], noise: dict[str, Any]) -> list[tuple[list[Any], bool]]:
    rows: list[tuple[list[Any], bool]] = [([t], False) for t in TITLES[:noise["title_rows"]]]
    rows.append((list(R1_HEADER), False))
    before: dict[int, list[str]] = {}
    for kind, at in noise["inserts"]:
        before.setdefault(min(at, len(persons)), []).append(kind)
    for i in range(len(persons) + 1):
        for kind in before.get(i, []):
            rows.append(summary_row(kind, persons[:i]))
        if i < len(persons):
            rows.append((persons[i], False))
    if noise["footer"]:
        rows += [([], False), (["制表人：张三", None, None, "审核人：李四", None, None,
                                "日期：2026-10-08"], False)]
    return rows


def outcome(data: dict[str, Any]) -> dict[str, tuple[float, Any]]:
    return {pid: (round(row["score"], 2), row["grade"])
            for pid, row in people(data, "employee_id").items()}


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(persons=PEOPLE, noise=NOISE)
def test_non_person_rows_change_nobody(persons: list[list[Any]], noise: dict[str, Any],
                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    work = tmp_path_factory.mktemp("noise")
    clean = write_r1(work / "clean.xlsx", [(list(R1_HEADER), False), *((p, False) for p in persons)])
    code, data, output = rank(clean, work)
    assert code == 0 and data is not None, output
    want = outcome(data)
    assert set(want) == {p[0] for p in persons}

    note(f"noise: {noise}")
    noisy = write_r1(work / "noisy.xlsx", noisy_rows(persons, noise), noise["instructions"])
    code, data, output = rank(noisy, work)
    assert data is not None, f"exit {code}: {output}"
    assert code == 0, f"exit {code}: {explain(data, 'employee_id')}"
    assert not people(data, "employee_id", "rejected"), "non-person rows were rejected"
    got = outcome(data)
    same_ids(set(got), set(want), "ranked")
    assert got == want
