"""Safe arithmetic formulas over columns: parsed with `ast`, never passed to eval/exec."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from svcperf.why import Why

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _mean(*xs: Any) -> Any:
    return np.nanmean(np.vstack(np.broadcast_arrays(*[np.asarray(x, float) for x in xs])), axis=0)


def _reduce(fn: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    def apply(*xs: Any) -> Any:
        out = xs[0]
        for x in xs[1:]:
            out = fn(out, x)
        return out

    return apply


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": _reduce(np.minimum),
    "max": _reduce(np.maximum),
    "abs": np.abs,
    "mean": _mean,
    "clamp": lambda x, lo, hi: np.clip(x, lo, hi),
}


# what a formula may do, checked when the rule file is loaded (a rule file can never hang or
# crash a run): its length, nesting, each function's number of arguments, and constant powers
MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_POWER = 100  # |exponent| of a power of constants
ARITY = {"min": (1, None), "max": (1, None), "abs": (1, 1), "mean": (1, None), "clamp": (3, 3)}


class FormulaError(ValueError):
    """A formula uses something that is not plain arithmetic over known names: args[0] is
    the Why, said in any language."""


class Formula:
    """A checked formula: `Formula("0.6*a + 0.4*b", {"a", "b"})(columns)`."""

    def __init__(self, text: str, names: set[str] | frozenset[str]) -> None:
        self.text = text
        if len(text) > MAX_LENGTH:
            raise FormulaError(Why("rule-formula-long", length=len(text), most=MAX_LENGTH))
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as ex:
            raise FormulaError(Why("rule-formula-syntax", text=text, error=ex.msg)) from None
        except (RecursionError, MemoryError):
            raise FormulaError(Why("rule-formula-deep", most=MAX_DEPTH)) from None
        self.names: set[str] = set()
        self._check(tree.body, names)
        self._tree = tree.body

    def _check(self, node: ast.AST, names: set[str] | frozenset[str], depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise FormulaError(Why("rule-formula-nested", text=self.text, most=MAX_DEPTH))
        self._check_node(node, names, depth + 1)

    def _check_node(self, node: ast.AST, names: set[str] | frozenset[str], depth: int) -> None:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise FormulaError(Why("rule-formula-constant", text=self.text))
        elif isinstance(node, ast.Name):
            if node.id not in names:
                known = ", ".join(sorted(names))
                raise FormulaError(Why("rule-formula-name", text=self.text, name=node.id,
                                       known=known))
            self.names.add(node.id)
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            self._check(node.left, names, depth)
            self._check(node.right, names, depth)
            self._check_operation(node)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            self._check(node.operand, names, depth)
        elif isinstance(node, ast.Compare) and all(type(o) in _COMPARE for o in node.ops):
            for part in (node.left, *node.comparators):
                self._check(part, names, depth)
        elif isinstance(node, ast.IfExp):
            for part in (node.test, node.body, node.orelse):
                self._check(part, names, depth)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in FUNCTIONS and not node.keywords and node.args):
            low, high = ARITY[node.func.id]
            if len(node.args) < low or (high is not None and len(node.args) > high):
                wanted = str(low) if low == high else Why("rule-or-more", low=low)
                raise FormulaError(Why("rule-formula-arity", text=self.text, func=node.func.id,
                                       wanted=wanted, count=len(node.args)))
            for arg in node.args:
                self._check(arg, names, depth)
        else:
            what = ast.unparse(node) if hasattr(ast, "unparse") else type(node).__name__
            allowed = ", ".join(FUNCTIONS)
            raise FormulaError(Why("rule-formula-not-allowed", text=self.text, what=what,
                                   allowed=allowed))

    def _check_operation(self, node: ast.BinOp) -> None:
        """What no column can rescue: a literal zero divisor, 0 to a negative power, a power of
        constants too large to compute."""
        right = _constant(node.right)
        if isinstance(node.op, ast.Div | ast.Mod) and right == 0:
            raise FormulaError(Why("rule-formula-zero", text=self.text))
        if isinstance(node.op, ast.Pow):
            if _constant(node.left) == 0 and right is not None and right < 0:
                raise FormulaError(Why("rule-formula-zero-power", text=self.text))
            if not _names_in(node.right) and (right is None or abs(right) > MAX_POWER):
                raise FormulaError(Why("rule-formula-power", text=self.text, most=MAX_POWER))

    def __call__(self, env: Mapping[str, Any]) -> Any:
        return self._eval(self._tree, env)

    def _eval(self, node: ast.AST, env: Mapping[str, Any]) -> Any:
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)  # _check allowed only numbers
            return float(node.value)  # never Python's unbounded integers
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.BinOp):
            left, right = self._eval(node.left, env), self._eval(node.right, env)
            if isinstance(node.op, ast.Div):
                with np.errstate(divide="ignore", invalid="ignore"):
                    return np.divide(np.asarray(left, float), right)
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, env)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Compare):
            result: Any = True
            left = self._eval(node.left, env)
            for op, comp in zip(node.ops, node.comparators, strict=True):
                right = self._eval(comp, env)
                result = np.logical_and(result, _COMPARE[type(op)](left, right))
                left = right
            return result
        if isinstance(node, ast.IfExp):
            return np.where(self._eval(node.test, env), self._eval(node.body, env),
                            self._eval(node.orelse, env))
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        return FUNCTIONS[node.func.id](*(self._eval(a, env) for a in node.args))


def _constant(node: ast.AST) -> float | None:
    """The value of a number written in the formula (-3 too), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
            and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _constant(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    return None


def _names_in(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) for n in ast.walk(node))
