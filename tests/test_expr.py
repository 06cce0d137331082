"""Safe formulas: arithmetic over names, nothing else."""

import numpy as np
import pytest

from svcperf.rules.expr import Formula, FormulaError


def test_arithmetic_and_functions_vectorised():
    f = Formula("0.6 * a + 0.4 * b + max(c, 0) - min(c, 1)", {"a", "b", "c"})
    out = f({"a": np.array([100.0, 50.0]), "b": np.array([50.0, 100.0]), "c": np.array([-1, 3])})
    assert out.tolist() == [81.0, 72.0]


def test_conditional_and_comparison():
    f = Formula("10 if a >= 5 else 0", {"a"})
    assert f({"a": np.array([4, 5, 6])}).tolist() == [0, 10, 10]


@pytest.mark.parametrize("text", [
    "__import__('os')", "a.__class__", "open('x')", "[a]", "a[0]", "lambda: 1",
    "'text'", "exec('1')", "(a := 1)",
])
def test_anything_but_arithmetic_is_refused(text):
    with pytest.raises(FormulaError):
        Formula(text, {"a"})


def test_unknown_name_is_refused_with_the_known_ones():
    with pytest.raises(FormulaError, match="unknown name 'x'; known: a"):
        Formula("x + 1", {"a"})
