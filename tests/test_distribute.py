"""Quota counting, tie rules, cap mode; hand-worked tables and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcperf.core.distribute import apply_caps, assign_exact, quota_counts
from svcperf.rules.model import Quota


def table(*shares, **kw):
    return [Quota(grade=f"G{i}", share=s, **kw) for i, s in enumerate(shares)]


A_B_C = table(0.2, 0.3, 0.5)  # seed 003: supervisor 优秀 -> 20 / 30 / 50


@pytest.mark.parametrize("n, expected", [
    (1, [0, 0, 1]), (2, [0, 1, 1]), (3, [1, 1, 1]), (7, [1, 2, 4]), (10, [2, 3, 5]),
    (11, [2, 3, 6]),
])
def test_largest_remainder(n, expected):
    assert quota_counts(n, A_B_C, "largest_remainder") == expected


@pytest.mark.parametrize("n, expected", [
    (1, [0, 0, 1]), (2, [0, 1, 1]), (3, [1, 1, 1]), (7, [1, 3, 3]), (10, [2, 4, 4]),
    (11, [2, 4, 5]),
])
def test_half_up_rest_last(n, expected):
    abc = [Quota(grade="A", share=0.2), Quota(grade="B", share=0.4), Quota(grade="C")]
    assert quota_counts(n, abc, "half_up_rest_last") == expected


def test_half_up_never_goes_negative():
    over = [Quota(grade="A", share=0.5), Quota(grade="B", share=0.5), Quota(grade="C")]
    assert quota_counts(1, over, "half_up_rest_last") == [1, 0, 0]
    assert quota_counts(3, over, "half_up_rest_last") == [2, 1, 0]


def test_senior_floor_cap_with_half_up_middle():
    levels = [Quota(grade="高级", share=0.2, round="floor"), Quota(grade="中级", share=0.5),
              Quota(grade="初级")]
    assert quota_counts(7, levels, "half_up_rest_last") == [1, 4, 2]
    assert quota_counts(4, levels, "half_up_rest_last") == [0, 2, 2]


def keys(*scores):
    return -np.array(scores, dtype=float).reshape(-1, 1)


def test_tie_at_a_cutoff_goes_better_and_next_grade_shrinks():
    # N = 10, A 2, B 4, C 4; ranks 2 and 3 tied -> A 3, B 3, C 4 (DOMAIN R4)
    k = keys(95, 91.2, 91.2, 86.8, 85.2, 82.4, 81, 76.8, 70.8, 52)
    idx = assign_exact(k, [2, 4, 4], ["better"] * 3)
    assert np.bincount(idx, minlength=3).tolist() == [3, 3, 4]


def test_tie_at_a_cutoff_goes_worse():
    k = keys(93, 93, 90, 85, 82, 75)
    idx = assign_exact(k, [1, 3, 2], ["worse", "better", "better"])
    assert idx.tolist() == [1, 1, 1, 1, 2, 2]


def test_cap_mode_moves_the_excess_down_lowest_first():
    k = keys(99, 98, 97, 96, 80)
    grades = np.array([0, 0, 0, 0, 1])
    assert apply_caps(k, grades, [2, None, None]).tolist() == [0, 0, 1, 1, 1]


def test_cap_mode_moves_a_tie_at_the_cap_down_together():
    k = keys(99, 98, 98, 96)
    assert apply_caps(k, np.array([0, 0, 0, 0]), [2, None]).tolist() == [0, 1, 1, 1]


shares = st.lists(st.integers(0, 100), min_size=1, max_size=6).map(
    lambda xs: [x / sum(xs) for x in xs] if sum(xs) else [1.0] + [0.0] * (len(xs) - 1))


@settings(max_examples=300, deadline=None)
@given(n=st.integers(0, 400), shares=shares, method=st.sampled_from(
    ["largest_remainder", "half_up_rest_last"]))
def test_counts_always_sum_to_the_group_size(n, shares, method):
    counts = quota_counts(n, [Quota(grade=str(i), share=s) for i, s in enumerate(shares)], method)
    assert sum(counts) == n and min(counts) >= 0


scores = st.lists(st.integers(50, 100), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(values=scores, ties=st.sampled_from(["better", "worse"]))
def test_better_score_never_gets_a_worse_grade(values, ties):
    values = sorted(values, reverse=True)
    counts = quota_counts(len(values), A_B_C, "largest_remainder")
    idx = assign_exact(keys(*values), counts, [ties] * 3)
    assert (np.diff(idx) >= 0).all()  # sorted best first -> grade index never decreases
    for a, b in zip(values, idx, strict=True):  # equal scores, equal grades
        assert all(b == idx[j] for j, v in enumerate(values) if v == a)


@settings(max_examples=200, deadline=None)
@given(values=scores, cap_share=st.floats(0, 1))
def test_no_grade_over_its_cap(values, cap_share):
    values = sorted(values, reverse=True)
    n = len(values)
    cap = int(np.floor(round(n * cap_share, 9)))
    out = apply_caps(keys(*values), np.zeros(n, dtype=np.int64), [cap, None])
    assert (out == 0).sum() <= cap


def test_a_sheet_whose_every_row_is_rejected_still_ranks(tmp_path):
    from conftest import cli, write_xlsx

    sheet = write_xlsx(tmp_path / "s.xlsx", [["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分"],
                                             ["A1", "x", "城东", "x", 80]])
    result = cli("rank", sheet, "--rules", "ambassador-circle", "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 1 and "0 ranked" in result.output


@settings(max_examples=200, deadline=None)
@given(marks=st.lists(st.sampled_from([95.0, 90.0, 90.0, 85.0, 80.0]), min_size=2, max_size=30),
       cuts=st.lists(st.integers(0, 4), min_size=2, max_size=30))
def test_summary_cutoffs_name_everyone_at_either_edge_score(marks, cuts):
    """The Summary names the people at each boundary between two grades given: all those with
    either score there, as a scan of the whole group finds them, eight at most and then how
    many there are in all."""
    from svcperf.io.report import _Members, cutoffs

    scores = sorted(marks, reverse=True)
    grades = ["A", "B", "C", "D", "E"]
    given = [grades[i] for i in sorted(cuts + [4] * len(scores))[:len(scores)]]
    names = [f"p{i}" for i in range(len(scores))]
    members = _Members({"score": scores, "grade": given, "name": names}, len(scores))
    expected = []
    for pos in range(len(scores) - 1):
        if given[pos] != given[pos + 1]:
            near = [f"{n} ({g})" for n, s, g in zip(names, scores, given, strict=True)
                    if s in (scores[pos], scores[pos + 1])]
            who = ", ".join(near[:8]) + (f" … ({len(near)} in all)" if len(near) > 8 else "")
            expected.append(f"{given[pos]}|{given[pos + 1]} at {scores[pos]:g}/"
                            f"{scores[pos + 1]:g}: {who}")
    assert cutoffs(members, grades, "name", "en") == expected
