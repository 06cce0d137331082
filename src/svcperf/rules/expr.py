"""Safe arithmetic formulas over columns: parsed with `ast`, never passed to eval/exec."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

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


class FormulaError(ValueError):
    """A formula uses something that is not plain arithmetic over known names."""


class Formula:
    """A checked formula: `Formula("0.6*a + 0.4*b", {"a", "b"})(columns)`."""

    def __init__(self, text: str, names: set[str] | frozenset[str]) -> None:
        self.text = text
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as ex:
            raise FormulaError(f"formula {text!r} is not valid arithmetic: {ex.msg}") from None
        self.names: set[str] = set()
        self._check(tree.body, names)
        self._tree = tree.body

    def _check(self, node: ast.AST, names: set[str] | frozenset[str]) -> None:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise FormulaError(f"formula {self.text!r}: only numbers are allowed as constants")
        elif isinstance(node, ast.Name):
            if node.id not in names:
                known = ", ".join(sorted(names))
                raise FormulaError(
                    f"formula {self.text!r} uses unknown name {node.id!r}; known: {known}")
            self.names.add(node.id)
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            self._check(node.left, names)
            self._check(node.right, names)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            self._check(node.operand, names)
        elif isinstance(node, ast.Compare) and all(type(o) in _COMPARE for o in node.ops):
            for part in (node.left, *node.comparators):
                self._check(part, names)
        elif isinstance(node, ast.IfExp):
            for part in (node.test, node.body, node.orelse):
                self._check(part, names)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in FUNCTIONS and not node.keywords and node.args):
            for arg in node.args:
                self._check(arg, names)
        else:
            what = ast.unparse(node) if hasattr(ast, "unparse") else type(node).__name__
            allowed = ", ".join(FUNCTIONS)
            raise FormulaError(
                f"formula {self.text!r}: {what!r} is not allowed; use numbers, names, "
                f"+ - * / ** %, comparisons, 'a if cond else b' and {allowed}")

    def __call__(self, env: Mapping[str, Any]) -> Any:
        return self._eval(self._tree, env)

    def _eval(self, node: ast.AST, env: Mapping[str, Any]) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
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
