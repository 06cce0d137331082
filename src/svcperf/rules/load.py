"""Load a YAML rule file into a RuleSet; every problem is reported as file:line key: message."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from svcperf.rules.model import RuleSet

SHIPPED = Path(__file__).parent / "shipped"


class RulesError(Exception):
    """A rule file that cannot be used; `problems` holds one 'file:line key: message' each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def shipped_rule_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml"))


def resolve(name_or_path: str | Path) -> Path:
    """A path to a rule file, or the name of a shipped rule set ('tiered-service')."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    shipped = SHIPPED / f"{path.stem if path.suffix in ('.yaml', '.yml') else path.name}.yaml"
    if shipped.is_file() and len(path.parts) <= 2:
        return shipped
    names = ", ".join(p.stem for p in shipped_rule_files())
    raise RulesError([f"{name_or_path}: no such rule file, and no shipped rule set of that name "
                      f"(shipped: {names})"])


def load_rules(name_or_path: str | Path) -> RuleSet:
    path = resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as ex:
        raise RulesError([f"{path}: cannot read the rule file ({ex})"]) from None
    return parse_rules(text, str(path))


def rules_hash(rules: RuleSet) -> str:
    return hashlib.sha256(rules.model_dump_json().encode()).hexdigest()[:16]


def parse_rules(text: str, source: str = "<rules>") -> RuleSet:
    try:
        data = yaml.safe_load(text)
        lines = _line_map(yaml.compose(text))
    except yaml.YAMLError as ex:
        mark = getattr(ex, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        problem = getattr(ex, "problem", None) or str(ex)
        raise RulesError([f"{where}: not valid YAML: {problem}"]) from None
    if not isinstance(data, dict):
        raise RulesError([f"{source}:1: a rule file is a mapping of keys (name:, fields:, ...)"])
    try:
        return RuleSet.model_validate(data)
    except ValidationError as ex:
        raise RulesError([line for err in ex.errors()
                          for line in _describe(err, data, lines, source)]) from None


def _line_map(node: yaml.Node | None, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    lines: dict[tuple[Any, ...], int] = {}
    if node is None:
        return lines
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, str(key.value))
            lines.update(_line_map(value, sub))
            lines[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            lines.update(_line_map(value, (*path, i)))
    return lines


def _describe(err: Any, data: Any, lines: dict[tuple[Any, ...], int], source: str) -> list[str]:
    """A pydantic error as 'file:line key.path: plain message' lines (a validator may report
    several problems at once, one per line, each with its own '@path|')."""
    return [_locate(err, message, data, lines, source) for message in _plain(err).split("\n")]


def _locate(err: Any, message: str, data: Any, lines: dict[tuple[Any, ...], int],
            source: str) -> str:
    path: list[Any] = []
    node = data
    loc = list(err["loc"])
    tagged = len(loc)  # only pydantic's own part of the path can hold union tags
    if message.startswith("@"):  # a validator named a deeper place: "@items.0.formula|text"
        where, message = message[1:].split("|", 1)
        loc += [int(p) if p.isdigit() else p for p in where.split(".")]
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and 0 < i < tagged and isinstance(loc[i - 1], int)
                and node.get("kind") == part):
            continue  # the union tag pydantic puts after a list index
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
            path.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            path.append(part)
        elif err["type"] in ("missing", "extra_forbidden") and i == len(loc) - 1:
            path.append(str(part))
            break
        # anything else is a union tag or a model name pydantic adds; it is not in the file
    line = 1
    for cut in range(len(path), -1, -1):
        if tuple(path[:cut]) in lines:
            line = lines[tuple(path[:cut])]
            break
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return f"{source}:{line} {key or '(top)'}: {message}"


def _plain(err: Any) -> str:
    kind, value = err["type"], err.get("input")
    shown = f'"{value}"' if isinstance(value, str) else repr(value)
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        return f"expected {what}, got {shown}"
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "unknown key; check the spelling (see README: rule files)"
    if kind == "literal_error":
        return f"expected {err['ctx']['expected']}, got {shown}"
    if kind == "union_tag_invalid":
        return f"unknown kind {err['ctx']['tag']!r}; expected {err['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return "needs a kind: (weighted, target, incident, raters, ratio, levels or formula)"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind in ("dict_type", "list_type", "model_type", "model_attributes_type"):
        return f"{err['msg'].lower()}, got {shown}"
    return f"{err['msg']}, got {shown}"
