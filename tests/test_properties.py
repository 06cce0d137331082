"""Invariants of the whole pipeline: every row accounted for, order-free, repeatable."""

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_xlsx
from svcperf.pipeline import rank_file
from svcperf.rules.load import load_rules

R4 = load_rules("ambassador-circle")
R3 = load_rules("gas-service-center")
HEADER = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分"]

person = st.tuples(st.integers(40, 100), st.integers(40, 100), st.integers(-10, 10) | st.none(),
                   st.sampled_from(["城东", "城西", "城南"]))
bad = st.sampled_from(["x", 120, None])  # a cell that rejects the row


def sheet_from(tmp: Path, people, name: str) -> Path:
    rows = [[f"A{i:03d}", f"p{i}", c, s, cc, e] for i, (s, cc, e, c) in enumerate(people)]
    return write_xlsx(tmp / name, [HEADER, *rows])


def outcome(path: Path, rules=R4) -> dict[str, tuple]:
    run = rank_file(path, rules)
    frame = pd.concat([p.results for p in run.parts])
    return {r.employee_id: (r.score, r.grade, r.rank, r.group_rank)
            for r in frame.itertuples()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(person, min_size=1, max_size=40), seed=st.randoms(use_true_random=False),
       bad_cells=st.lists(st.tuples(st.integers(0, 39), bad), max_size=4))
def test_rows_accounted_for_and_shuffling_changes_nothing(tmp_path, people, seed, bad_cells):
    people = [list(p) for p in people]
    for i, value in bad_cells:
        if i < len(people):
            people[i][0] = value
    first = sheet_from(tmp_path, people, "a.xlsx")
    run = rank_file(first, R4)
    assert run.rows_in == len(people) == run.ranked + run.rejected
    ranked = run.parts[0].results
    assert sorted(ranked["rank"]) == sorted(pd.Series(-ranked["score"]).rank(method="min")
                                            .astype(int))
    order = list(enumerate(people))
    seed.shuffle(order)
    rows = [[f"A{i:03d}", f"p{i}", c, s, cc, e] for i, (s, cc, e, c) in order]
    shuffled = write_xlsx(tmp_path / "b.xlsx", [HEADER, *rows])
    assert outcome(first) == outcome(shuffled)
    assert outcome(first) == outcome(first)  # identical across runs


def test_cascade_is_order_free(tmp_path):
    import random

    sup = [["分公司", "主管经理评分", "客户服务部评分"],
           *[[f"B{b}", 80 + 4 * b, 82 + 3 * b] for b in range(4)]]
    staff = [[f"B{i % 4}", f"S{i:03d}", 60 + (i * 37) % 41] for i in range(60)]

    def book(name, rows):
        import xlsxwriter

        path = tmp_path / name
        with xlsxwriter.Workbook(path) as wb:
            ws = wb.add_worksheet("主管")
            for r, row in enumerate(sup):
                ws.write_row(r, 0, row)
            ws = wb.add_worksheet("员工")
            ws.write_row(0, 0, ["分公司", "工号", "月度考核得分"])
            for r, row in enumerate(rows, start=1):
                ws.write_row(r, 0, row)
        return path

    shuffled = staff[:]
    random.Random(7).shuffle(shuffled)
    assert outcome(book("a.xlsx", staff), R3) == outcome(book("b.xlsx", shuffled), R3)
