"""Ranks (1, 2, 2, 4) within groups, and top/bottom incentives by group mean."""

import numpy as np
import pandas as pd

from svcperf.core.rank import incentives, min_ranks, place_incentives
from svcperf.rules.model import Incentives


def test_ties_share_the_better_number():
    assert min_ranks([-np.array([90.0, 80, 80, 70])]).tolist() == [1, 2, 2, 4]


def test_ranks_within_groups_and_tie_breakers():
    scores = -np.array([90.0, 80, 80, 70, 95])
    complaints = np.array([0.0, 2, 1, 0, 0])  # fewer complaints is better
    groups = np.array(["x", "x", "x", "y", "y"])
    assert min_ranks([scores], groups).tolist() == [1, 2, 2, 2, 1]
    assert min_ranks([scores, complaints]).tolist() == [2, 4, 3, 5, 1]


R1 = Incentives(top=[5, 3], bottom=[-5, -3])


def test_places_with_four_three_and_two_units():
    assert place_incentives(np.array([1, 2, 3, 4]), R1).tolist() == [5, 3, -3, -5]
    assert place_incentives(np.array([1, 2, 3]), R1).tolist() == [5, 3, -5]
    assert place_incentives(np.array([1, 2]), R1).tolist() == [5, 3]


def test_tied_units_share_the_better_place():
    assert place_incentives(np.array([1, 1, 3, 4, 5]), R1).tolist() == [5, 5, 0, -3, -5]
    assert place_incentives(np.array([1, 2, 3, 4, 4]), R1).tolist() == [5, 3, 0, -3, -3]


def test_group_incentive_by_mean_score_reaches_every_member():
    frame = pd.DataFrame({"c": ["a", "a", "b", "c", "d"], "score": [90.0, 80, 70, 100, 10]})
    pct, table = incentives(frame, R1, "c", 2)
    assert pct.tolist() == [3, 3, -3, 5, -5]
    assert table is not None and table.loc["a", "mean_score"] == 85.0
