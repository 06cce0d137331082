"""Invariants of the whole pipeline: every row accounted for, order-free, repeatable."""

import math
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import write_xlsx
from svcperf.api import rank_file
from svcperf.core.validate import CellError, _parse_cell, _repeats, parse_column
from svcperf.rules.load import load_rules
from svcperf.rules.model import FieldSpec
from svcperf.text import fold

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


CELL = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False), st.integers(-1000, 1000), st.booleans(), st.none(),
    st.sampled_from([1.0000000000000002, -1e-300, 2.0000000001, 1e-320, -0.0]),  # float noise
    st.sampled_from(["", " ", "93%", "0.5", "１２", "12", " 7 ", "1,234", "8,5", "0,95%", "abc",
                     "A类", " a类", "是", "否", "yes", "N", "合计", "#N/A"]),
    st.text(max_size=3), st.datetimes(), st.builds(CellError, st.sampled_from(["#DIV/0!", "="])))
SPEC = st.builds(lambda kind, **kw: FieldSpec(header=["h"], type=kind, **kw,
                                             default={"yesno": "是", "text": "无"}.get(kind, 0)),
                 kind=st.sampled_from(["text", "number", "integer", "percent", "yesno"]),
                 required=st.booleans(), min=st.sampled_from([None, 0.0, -0.5]),
                 max=st.sampled_from([None, 1.0, 0.5])) | st.builds(
    FieldSpec, header=st.just(["h"]), required=st.booleans(),
    type=st.sampled_from(["text", "number", "integer", "percent", "yesno"]))


@settings(max_examples=300, deadline=None)
@given(column=st.lists(CELL, max_size=30), spec=SPEC, typed=st.booleans(),
       choices=st.sampled_from([None, ["A类", "B类"]]), lane=st.sampled_from([1, 2, 50]))
@example(column=[101.0, 2], spec=FieldSpec(header=["h"], type="percent"), typed=True,
         choices=None, lane=1)  # problems in row order, not in the order the checks ran
def test_column_lanes_give_what_each_cell_gives_alone(column, spec, typed, choices, lane):
    """parse_column's fast lanes (numpy, strip, one parse per distinct value) must agree with
    `_parse_cell` cell by cell: the same values, problems and cells that took the default."""
    if spec.type != "text":
        choices = None
    column = column * lane  # long columns with repeats take the per-value lane
    before = list(column)
    values, problems, defaults = parse_column(column, spec, choices, typed)
    assert column == before  # the cells as read are left as they were (Rejected shows them)
    folded = {fold(c): c for c in choices or []}
    default = spec.default if spec.type != "yesno" or not isinstance(spec.default, str) else True
    alone = [_parse_cell(v, spec, folded, typed, default) for v in column]
    same = [(a == b and (type(a) is type(b) or isinstance(a, float))) or (a != a and b != b)
            for a, (b, _, _) in zip(list(values), alone, strict=True)]  # True is not 1
    assert all(same), [(v, a[0]) for v, a, ok in zip(column, alone, same, strict=True) if not ok]
    assert problems == [(i, p[0], p[1]) for i, (_, p, _) in enumerate(alone) if p]
    assert defaults == [i for i, (_, _, used) in enumerate(alone) if used]
    if spec.numeric:  # a number off a whole number or a bound by noise is taken as it, never -0
        kept = [float(v) for v in values if v == v]
        assert all(math.copysign(1, v) > 0 for v in kept if v == 0), kept
        assert spec.type != "integer" or all(v.is_integer() for v in kept), kept
        lo, hi = spec.bounds
        assert all((lo is None or v >= lo) and (hi is None or v <= hi) for v in kept), kept


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["E001", "e001", "E002", "A 1", "７", "7", "x", "", None]) |
                st.text(alphabet="Ee0１ -", max_size=4), max_size=8))
def test_repeated_ids_match_a_folded_reading(ids):
    first: dict[str, int] = {}
    expected = []
    for i, v in enumerate(ids):
        if v is not None:
            j = first.setdefault(fold(v), i)
            if j != i:
                expected.append((i, j))
    assert _repeats(ids) == expected


@settings(max_examples=300, deadline=None)
@given(body=st.lists(st.lists(st.sampled_from(
    ["", None, "x", 7, 95.5, "合计", " Total", "ｓｕｍ", "E1", "E2", "E3", "城东 小计", "平均",
     "工号", "姓名", "制表人：张", "共3条记录", "示例", "一、城东"]), min_size=0, max_size=6),
    max_size=12), lead=st.booleans(), with_id=st.booleans())
def test_only_suspect_rows_can_be_left_out(body, lead, with_id):
    """locate looks at suspect rows only; classifying every row one by one gives the same."""
    from svcperf.core.table import Rows, locate

    header = (["note"] if lead else []) + ["工号", "姓名", "服务中心", "满意度得分"]
    grid = [["title"], header, *body]
    part = R4.parts[0] if with_id else R4.parts[0].model_copy(update={"id": None})
    table = locate(grid, part, "f.xlsx", "S")
    rows = Rows(grid[table.header_row:], table, part)
    rows.suspects()  # what the plausible-id test compares with
    kinds = {i: k for i in range(len(rows.body)) if (k := rows.classify(i)) is not None}
    last = len(rows.body) - 1
    while last >= 0 and kinds.get(last) == "blank":
        del kinds[last]
        last -= 1
    first = table.header_row + 1
    assert table.rows == [first + i for i in range(last + 1) if i not in kinds]
    left_out: dict[str, list[int]] = {}
    for i, kind in sorted(kinds.items()):
        left_out.setdefault(kind, []).append(first + i)
    assert table.left_out == left_out


@settings(max_examples=300, deadline=None)
@given(column=st.lists(st.one_of(
    st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.text(max_size=6), st.sampled_from(["A&B", " x", "y ", "_x0041_", "张三"])),
    max_size=20), style=st.sampled_from([None, 3]))
def test_column_xml_fast_paths_match_cell_by_cell(column, style):
    from svcperf.io.xlsx import cells_xml as _cells
    from svcperf.io.xlsx import each_cell_xml as _each

    s = f' s="{style}"' if style else ""
    assert _cells(column, "C", style, 2) == _each(column, "C", s, 2)
    numbers = [v for v in column if type(v) in (int, float) and v == v and abs(v) != float("inf")]
    texts = [v for v in column if type(v) is str]
    for same_kind in (numbers, texts):  # the one-pass lanes
        assert _cells(same_kind, "C", style, 2) == _each(same_kind, "C", s, 2)


CELLS = st.lists(st.none() | st.integers() | st.sampled_from(["", " ", "工号", " 工号 ", "id"]) |
                 st.text(alphabet=st.sampled_from(list("工号 ia\t\n\u3000\xa0\x1f\x85\u2028E0")),
                         max_size=4), max_size=12)


@settings(max_examples=300)
@given(CELLS, st.sets(st.sampled_from(["工号", "id", "工", "E0", ""]), max_size=3))
def test_blank_and_header_cells_whatever_the_column_as_one_text(cells, names):
    """The one-text look at a column (table.joined) finds the blank cells and the cells holding
    a header name that the cell-by-cell definitions find."""
    from svcperf.core.table import _blanks, _names_at, joined

    blank = [i for i, v in enumerate(cells) if v is None or v == "" or
             (isinstance(v, str) and not v.strip())]
    named = [i for i, v in enumerate(cells) if isinstance(v, str) and v.strip() in names]
    for text in (None, joined(cells)):
        assert _blanks(cells, text) == blank
        assert _names_at(cells, names, text) == named


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.none(), st.floats(), st.integers(),
    st.text(alphabet=st.sampled_from(list("合计总小汇 tTotalsSumＴｏ\u3000\u0301\u00df\x00\x1cⓣ")),
            max_size=8),
    st.text(max_size=30)), max_size=30),
    st.lists(st.sampled_from(["合计", "小计", "total", "ｓｕｍ", "ss", "\u0301", "t"]), max_size=3))
def test_cells_holding_a_word_are_each_cells_own(values, words):
    """The one-string fold of a column (text.FoldedColumn) finds what each cell's fold holds."""
    from svcperf.text import FoldedColumn

    wanted = [fold(w) for w in words if fold(w)]
    assert FoldedColumn(values).holding(words) == [
        i for i, v in enumerate(values) if isinstance(v, str) and any(w in fold(v) for w in wanted)]
