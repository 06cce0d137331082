"""Scoring kinds on tiny frames, and half-up rounding at the band edges."""

import numpy as np
import pandas as pd
import pytest

from svcperf.core.grade import band_grades
from svcperf.core.score import round_half_up, score
from svcperf.rules.model import Band, SheetRules


def part(**kw) -> SheetRules:
    fields = kw.pop("fields")
    return SheetRules.model_validate({"fields": {k: {"header": k, "type": t}
                                                 for k, t in fields.items()}, **kw})


def test_target_with_segmented_deduction():
    p = part(fields={"v": "percent", "seg": "text"}, items=[{
        "key": "pts", "kind": "target", "field": "v", "points": 40, "deduct_per_point": 5,
        "target": {"by": "seg", "table": {"百强": "93%", "A类": "90%"}}}])
    frame = pd.DataFrame({"v": [0.95, 0.90, 0.899, 0.80], "seg": ["百强", "百强", "A类", "A类"]})
    out, problems = score(frame, p, 2)
    assert out["pts"].tolist() == [40, 25, 39.5, 0] and not problems


def test_incident_capped_and_score_floor():
    p = part(fields={"n": "integer"}, score={"min": 0},
             items=[{"key": "d", "kind": "incident", "field": "n", "points_each": 2, "cap": 10}])
    out, _ = score(pd.DataFrame({"n": [0.0, 3.0, 9.0]}), p, 2)
    assert out["d"].tolist() == [0, -6, -10] and out["score"].tolist() == [0, 0, 0]


def test_weighted_raters_and_formula():
    p = part(fields={"a": "number", "b": "number", "x": "number"}, items=[
        {"key": "w", "kind": "weighted", "weights": {"a": "60%", "b": "40%"}},
        {"key": "r", "kind": "raters", "fields": ["a", "b"]},
        {"key": "f", "kind": "formula", "formula": "w - r + x"}], score={"formula": "f"})
    out, _ = score(pd.DataFrame({"a": [90.0], "b": [80.0], "x": [1.0]}), p, 2)
    assert (out["w"][0], out["r"][0], out["score"][0]) == (86.0, 85.0, 2.0)


def test_raters_skip_a_blank_rater():
    p = part(fields={"a": "number", "b": "number"},
             items=[{"key": "r", "kind": "raters", "fields": ["a", "b"]}])
    out, _ = score(pd.DataFrame({"a": [90.0], "b": [np.nan]}), p, 2)
    assert out["score"][0] == 90.0


def test_ratio_zero_denominator_is_a_problem_not_a_crash():
    p = part(fields={"n": "integer", "d": "integer"},
             items=[{"key": "q", "kind": "ratio", "numerator": "n", "denominator": "d",
                     "scale": 100}])
    out, problems = score(pd.DataFrame({"n": [2.0, 0.0], "d": [3.0, 0.0]}), p, 2)
    assert out["score"][0] == 66.67 and problems == [(1, "d", "ratio-zero")]


def test_levels_fold_labels():
    p = part(fields={"a": "text", "b": "text"}, score={"formula": "m * 25"},
             items=[{"key": "m", "kind": "levels", "fields": ["a", "b"],
                     "map": {"基本水平B": 1, "B": 1, "S": 4}}])
    out, _ = score(pd.DataFrame({"a": ["基本水平B"], "b": ["s"]}), p, 2)
    assert out["score"][0] == 62.5


@pytest.mark.parametrize("value, places, expected", [
    (89.995, 2, 90.0), (89.994999, 2, 89.99), (2.675, 2, 2.68), (0.5, 0, 1.0), (1.5, 0, 2.0),
    (66.666666, 2, 66.67), (-2.5, 0, -3.0), (100.0, 2, 100.0),
])
def test_round_half_up(value, places, expected):
    assert round_half_up([value], places)[0] == expected


def test_band_edge_compares_the_rounded_score():
    bands = [Band(grade="A", cutoff=90), Band(grade="B", cutoff=80), Band(grade="C")]
    scores = pd.Series(round_half_up([89.995, 89.994, 80.0, 10.0], 2))
    assert band_grades(scores, bands, {}).tolist() == ["A", "B", "B", "C"]
