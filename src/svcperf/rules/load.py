"""Load a YAML rule file into a RuleSet; every problem is reported as file:line key: message."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.parser import ParserError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import ScannerError

from svcperf.i18n import RULE_TYPES_ZH
from svcperf.rules.checks import Loc, Problem, key_path, reference_problems
from svcperf.rules.model import RuleSet, shown
from svcperf.text import Undecodable, decode, did_you_mean
from svcperf.why import Why, render

SHIPPED = Path(__file__).parent / "shipped"
# what a rule file may be, checked before and while it is read (a shipped one is ~3 KB)
MAX_FILE = 1 << 20  # bytes
MAX_NODES = 100_000  # values once YAML aliases are expanded
MAX_DEPTH = 64  # levels of nesting
LineMap = dict[Loc, int]  # the 1-based line of every key and list item, by its path


class RulesError(Exception):
    """A rule file that cannot be used; `problems` holds one 'file:line key: message' each
    (those about finding and reading the file are Whys: `said` gives them in a language)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def said(self, lang: str = "en") -> list[str]:
        """The problems in `lang` (en or zh)."""
        return [render(p, lang) for p in self.problems]


def shipped_rule_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml"))


def resolve(name_or_path: str | Path) -> Path:
    """A rule file, or a shipped rule set by its bare name ('tiered-service').

    An argument with a folder or a .yaml/.yml suffix is a path and must exist; it never falls
    back to a shipped rule set. A bare name is a file in the current folder if there is one."""
    path, text = Path(name_or_path), str(name_or_path)
    if path.is_file():
        return path
    names = [p.stem for p in shipped_rule_files()]
    if _is_path(text):
        raise RulesError([Why("rules-folder" if path.is_dir() else "rules-no-file", path=text,
                              names=", ".join(names))])
    if text in names:
        return SHIPPED / f"{text}.yaml"
    hint = did_you_mean(text, names)
    raise RulesError([Why("rules-no-name-like" if hint else "rules-no-name", name=text,
                          hint=hint, names=", ".join(names))])


def shipped_name(source: str | Path) -> str | None:
    """The name of the shipped rule set a rule file is ('tiered-service'), else None: what
    --rules takes on any machine, where the file's path is only where this one installed it."""
    path = Path(source)
    try:
        return path.stem if path.resolve().parent == SHIPPED.resolve() else None
    except OSError:
        return None


def _is_path(text: str) -> bool:
    """A folder part ('./x', 'rules/x') or a YAML suffix makes an argument a path, not a name."""
    return any(sep in text for sep in ("/", os.sep, os.altsep or "/")) or \
        text.lower().endswith((".yaml", ".yml"))


def load_rules(name_or_path: str | Path) -> RuleSet:
    """The rule set of a rule file or shipped name (a RulesError lists every problem). A file
    read before and unchanged since is not parsed again (rule sets are frozen)."""
    path = resolve(name_or_path)
    try:
        stat = path.stat()
        return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size, str(path))
    except OSError as ex:
        raise RulesError([Why("rules-unreadable", path=str(path), reason=ex.strerror)]) from None


@functools.lru_cache(maxsize=32)
def _load(resolved: str, mtime_ns: int, size: int, shown: str) -> RuleSet:
    if size > MAX_FILE:
        raise RulesError([Why("rules-too-big", path=shown, size=size, most=MAX_FILE)])
    try:
        raw = Path(resolved).read_bytes()
    except OSError as ex:
        raise RulesError([Why("rules-unreadable", path=shown, reason=ex.strerror)]) from None
    try:
        text = decode(raw)  # UTF-8, or as Notepad saves it: UTF-16 ("Unicode"), GBK ("ANSI")
    except Undecodable as ex:
        raise RulesError([Why("rules-mixed-encodings", path=shown, line=ex.line, utf8=ex.utf8)
                          if ex.utf8 else Why("rules-not-text", path=shown, line=ex.line)]
                         ) from None
    return parse_rules(text, shown)


def rules_hash(rules: RuleSet) -> str:
    return hashlib.sha256(rules.model_dump_json().encode()).hexdigest()[:16]


def parse_rules(text: str, source: str = "<rules>") -> RuleSet:
    """The rule set in `text`, or a RulesError listing every problem found as file:line."""
    data, lines, duplicates = _read_yaml(text, source)
    try:
        rules = rules_from(data, source, lines)
    except RulesError as ex:  # one run reports the duplicate keys and every other problem
        raise RulesError(duplicates + ex.problems) from None
    if duplicates:
        raise RulesError(duplicates)
    return rules


def rules_from(data: Any, source: str = "<rules>", lines: LineMap | None = None) -> RuleSet:
    """A rule set from data (a rule file's mapping), checked as a rule file is: a RulesError
    lists every problem, located by `lines` (path -> line) where known."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise RulesError([_at(f"{source}:1", Why("rule-not-mapping"))])
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as ex:
        found = _validation_problems(ex, data, lines, source)
        raise RulesError(found + _references_past(ex, data, lines, source, found)) from None
    problems = reference_problems(rules)
    if problems:
        raise RulesError([_place(p, lines, source) for p in problems])
    return rules


def _read_yaml(text: str, source: str) -> tuple[Any, LineMap, list[str]]:
    """The data of a rule file, the line of every key and item, and one problem per duplicate
    key (its first value is the one kept, so the rest of the file is still checked)."""
    yaml = YAML(typ="safe", pure=True)  # not libyaml: it is 6x faster, but its composer
    # recurses in C and crashes the process on "- - - ... x" 200,000 deep (pure raises, refused)
    yaml.allow_duplicate_keys = True  # found and reported by _line_map, with their paths
    if _bracket_depth(text) > 4 * MAX_DEPTH:  # the YAML parser would take seconds to say so
        raise RulesError([_at(source, Why("rule-too-deep", most=MAX_DEPTH))])
    try:
        root = yaml.compose(text)
        nodes, depth = _expanded(root)
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise RulesError([_at(source, Why("rule-expands", nodes=nodes, depth=depth,
                                              most_nodes=MAX_NODES, most_depth=MAX_DEPTH))])
        lines, duplicates = _line_map(root, functools.partial(_key_of, yaml.constructor))
        problems: list[str] = [_at(f"{source}:{line} {key_path(loc)}",
                                   Why("rule-duplicate-key", name=loc[-1], first=first))
                               for loc, line, first in duplicates]
        # the data from the nodes just composed: the text is parsed once
        try:
            data = yaml.constructor.construct_document(root) if root is not None else None
        except ValueError as ex:  # a date that is no day (2026-02-30), a 5,000-digit number
            fresh = YAML(typ="safe", pure=True).constructor  # the failed one keeps state
            line, value, error = _unreadable_scalar(root, fresh) or \
                (1, "", str(ex).split(";")[0])
            raise RulesError([_at(f"{source}:{line}", Why("rule-bad-scalar", value=_cut(value),
                                                          error=error))]
                             ) from None
        return data, lines, problems
    except DuplicateKeyError as ex:  # keys that differ as text, not as values (1 and 01)
        mark = ex.problem_mark
        raise RulesError([_at(f"{source}:{mark.line + 1 if mark else 1}",
                              Why("rule-yaml-duplicate", problem=ex.problem))]) from None
    except RecursionError:
        raise RulesError([_at(source, Why("rule-too-deep", most=MAX_DEPTH))]) from None
    except YAMLError as ex:
        raise RulesError([not_valid_yaml(ex, source, text)]) from None


def not_valid_yaml(ex: YAMLError, source: str, text: str | None = None) -> str:
    """A YAML syntax error as one line: file:line, what kind of mistake is there and how to
    fix it, in the catalogue's words. The kind comes from the error's class and its marks
    (line, column), never from the parser's English; `text` (the file's) tells a quote or
    bracket left open to the end and the line of a control character."""
    mark, begun = getattr(ex, "problem_mark", None), getattr(ex, "context_mark", None)
    said = str(getattr(ex, "problem", None) or ex).splitlines()[0]
    if isinstance(ex, ReaderError):  # a control character: the reader gives its offset
        line = text[:ex.position].count("\n") + 1 if text is not None else None
        code = ex.character if isinstance(ex.character, int) else 0
        return _at(f"{source}:{line}" if line else source, Why("rule-yaml-control", code=code))
    if mark is None:
        return _at(source, Why("rule-not-yaml", problem=said))
    if begun is not None and text is not None and mark.index >= len(text.rstrip()):
        return _at(f"{source}:{begun.line + 1}", Why("rule-yaml-ends", col=begun.column + 1))
    key = ("rule-yaml-structure" if isinstance(ex, ParserError) else
           "rule-yaml-character" if isinstance(ex, ScannerError) else
           "rule-yaml-composer" if isinstance(ex, ComposerError) else
           "rule-yaml-constructor" if isinstance(ex, ConstructorError) else "rule-not-yaml")
    after = Why("rule-yaml-begun", line=begun.line + 1) \
        if begun is not None and begun.line < mark.line else ""
    return _at(f"{source}:{mark.line + 1}", Why(key, col=mark.column + 1, begun=after,
                                                problem=said))


def _at(where: str, message: str) -> Why:
    """A problem placed: 'file:line key: message', said in any language."""
    return Why("rule-at", where=where, message=message)


_QUOTED_OR_COMMENT = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?:^|(?<=\s))#[^\n]*""", re.M)
_BRACKET = re.compile(r"[\[\]{}]")


def _bracket_depth(text: str) -> int:
    """How deep the flow collections ([...] and {...}) of a YAML text nest, outside quotes and
    comments, counted in one pass (a bracket in a plain scalar can only make it deeper)."""
    if "[" not in text and "{" not in text:
        return 0
    depth = deepest = 0
    for found in _BRACKET.finditer(_QUOTED_OR_COMMENT.sub("", text)):
        if found[0] in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest


def _expanded(root: Node | None) -> tuple[int, int]:
    """(nodes, depth) of the data once every alias is expanded, without expanding them: an
    alias bomb (billion laughs) is measured, never built."""
    sizes: dict[int, tuple[int, int]] = {}

    def measure(node: Node) -> tuple[int, int]:
        if id(node) not in sizes:
            sizes[id(node)] = (1, 1)  # a node inside itself counts once
            parts = [measure(child) for child in _children(node)]
            sizes[id(node)] = (1 + sum(n for n, _ in parts), 1 + max((d for _, d in parts),
                                                                      default=0))
        return sizes[id(node)]

    return measure(root) if root is not None else (0, 0)


def _cut(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _unreadable_scalar(root: Node | None, constructor: Any) -> tuple[int, str, str] | None:
    """(line, text, why) of the first plain value the constructor refuses, walking the nodes."""
    todo = [root] if root is not None else []
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            try:
                constructor.construct_object(node)
            except ValueError as ex:
                return node.start_mark.line + 1, str(node.value), str(ex).split(";")[0]
        todo.extend(reversed(_children(node)))
    return None


def _children(node: Node) -> list[Node]:
    """A mapping's keys and values in order, a sequence's items; none for a scalar."""
    if isinstance(node, MappingNode):
        return [v for pair in node.value for v in pair]
    return list(node.value) if isinstance(node, SequenceNode) else []


def _key_of(constructor: Any, node: Node) -> Any:
    """What a mapping key is as a value (1 and 01 are one key), else its tag and text."""
    if isinstance(node, ScalarNode):
        with contextlib.suppress(Exception):  # a tag the constructor does not know: its text
            value = constructor.construct_object(node)
            hash(value)
            return "value", value
    return node.tag, str(node.value)


def _line_map(root: Node | None, key_of: Callable[[Node], Any] | None = None
              ) -> tuple[LineMap, list[tuple[Loc, int, int]]]:
    """The line of every key and list item, and each key given again in its mapping as
    (path, line, line of the first); `key_of` says when two keys are the same."""
    same = key_of or (lambda key: (key.tag, str(key.value)))
    lines: LineMap = {}
    duplicates: list[tuple[Loc, int, int]] = []

    seen: set[int] = set()  # an alias repeats a node (maybe inside itself): walk it once

    def walk(node: Node, path: Loc) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[Any, int] = {}
            for key, value in node.value:
                sub, line, ident = (*path, str(key.value)), key.start_mark.line + 1, same(key)
                if ident in first:
                    duplicates.append((sub, line, first[ident]))
                first.setdefault(ident, line)
                lines.setdefault(sub, line)
                walk(value, sub)
        elif isinstance(node, SequenceNode):
            for i, value in enumerate(node.value):
                walk(value, (*path, i))

    if root is not None:
        walk(root, ())
    return lines, duplicates


def _line_of(lines: LineMap, loc: Loc) -> tuple[int, Loc]:
    """The line of the deepest part of `loc` that is in the file, and that part."""
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]], loc[:cut]
    return 1, loc  # no line map (rules built in code): the whole path


def _place(problem: Problem, lines: LineMap, source: str) -> str:
    line, loc = _line_of(lines, problem.loc)
    return _at(f"{source}:{line} {key_path(loc) or '(top)'}", problem.message)


def _validation_problems(ex: ValidationError, data: Any, lines: LineMap, source: str) -> list[str]:
    """pydantic's errors as 'file:line key.path: plain message'; a value a union rejects for not
    being finite is reported once, not once per member of the union."""
    errors: dict[Loc, list[Any]] = {}
    for err in ex.errors():
        errors.setdefault(_data_path(err, data), []).append(err)
    out: list[str] = []
    for loc, errs in errors.items():
        finite = [err for err in errs if err["type"] == "finite_number"]
        kinds = [_kind(err) for err in errs]
        if finite or len(errs) == 1 or None in kinds:
            messages = [_plain(err) for err in finite or errs]
        else:  # each member of a union refused the value: one line says what it may be
            what = functools.reduce(lambda a, b: Why("rule-either", a=a, b=b), kinds)
            messages = [Why("rule-expected-kinds", kinds=what, shown=_shown(errs[0]))]
        out += [_at(f"{source}:{_line_of(lines, loc)[0]} {key_path(loc) or '(top)'}", message)
                for message in messages]
    return out


def _kind(err: Any) -> Why | str | None:
    """What a type error says the value should be (a number, text, 'reject'); None for others."""
    kind = err["type"]
    if kind in ("float_parsing", "float_type"):
        return Why("rule-kind-number")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return Why("rule-kind-integer")
    if kind == "string_type":
        return Why("rule-kind-text")
    if kind in ("bool_type", "bool_parsing"):
        return Why("rule-kind-bool")
    return str(err["ctx"]["expected"]) if kind == "literal_error" else None


def _shown(err: Any) -> str:
    return shown(err.get("input"))


def _references_past(ex: ValidationError, data: Any, lines: LineMap, source: str,
                     found: list[str]) -> list[str]:
    """The cross-reference problems a file also has, so that one run reports them with its
    validation errors: the keys in error are left out and the rest checked when that makes a
    valid rule set (a misspelt or mistyped optional key); nothing when it does not."""
    import copy

    pruned = copy.deepcopy(data)
    for loc in {_data_path(err, data) for err in ex.errors()}:
        node: Any = pruned
        for part in loc[:-1]:
            node = _child(node, part)
        if loc and isinstance(node, dict) and loc[-1] in node:
            del node[loc[-1]]
    try:
        rules = RuleSet.model_validate(pruned)
    except ValidationError:
        return []
    return [line for line in (_place(p, lines, source) for p in reference_problems(rules))
            if line not in found]


def _child(node: Any, part: str | int) -> Any:
    """node[part] of a rule file's data, or None where there is no such key or item."""
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and part < len(node):
        return node[part]
    return None


def _data_path(err: Any, data: Any) -> Loc:
    """The path in the file's data of a pydantic error: its loc less union tags and model names."""
    path: list[str | int] = []
    node = data
    loc = err["loc"]
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and i > 0 and isinstance(loc[i - 1], int)
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
        # anything else is a union tag or a model name pydantic adds; it is not in the file
    return tuple(path)


@functools.cache
def known_keys() -> list[str]:
    """Every key a rule file may use (the fields of every model and their aliases)."""
    import inspect

    from pydantic import BaseModel

    from svcperf.rules import model

    keys: set[str] = set()
    for _, cls in inspect.getmembers(model, inspect.isclass):
        if issubclass(cls, BaseModel):
            for name, info in cls.model_fields.items():
                keys.add(info.alias or name)
    return sorted(keys)


def _plain(err: Any) -> str:
    """A pydantic error as a plain message (a Why): what the key holds and what it should."""
    kind, value, shown = err["type"], err.get("input"), _shown(err)
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return Why("rule-expected-integer" if kind.startswith("int") else "rule-expected-number",
                   shown=shown)
    if kind == "finite_number":
        return Why("rule-expected-finite", shown=shown)
    if kind == "missing":
        return Why("rule-missing")
    if kind == "string_type":
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return Why("rule-expected-text-quote" if number else "rule-expected-text", shown=shown)
    if kind in ("bool_type", "bool_parsing"):
        return Why("rule-expected-bool", shown=shown)
    if kind == "too_short":
        return Why("rule-too-short", least=err["ctx"]["min_length"], shown=shown)
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = err["ctx"]["ge" if kind == "greater_than_equal" else "le"]
        return Why("rule-at-least" if kind == "greater_than_equal" else "rule-at-most",
                   bound=bound, shown=shown)
    if kind == "extra_forbidden":
        near = did_you_mean(str(err["loc"][-1]), known_keys())
        return Why("rule-unknown-key-near", near=near) if near else Why("rule-unknown-key")
    if kind == "literal_error":
        return Why("rule-expected", expected=err["ctx"]["expected"], shown=shown)
    if kind == "union_tag_invalid":
        return Why("rule-unknown-kind", tag=err["ctx"]["tag"], expected=err["ctx"]["expected_tags"])
    if kind == "union_tag_not_found":
        return Why("rule-needs-kind")
    if kind == "value_error":  # a validator's ValueError, its Why in ctx (pydantic keeps it)
        raised = err.get("ctx", {}).get("error")
        said = raised.args[0] if isinstance(raised, ValueError) and raised.args else None
        return said if isinstance(said, Why) else str(err["msg"]).removeprefix("Value error, ")
    msg = err["msg"].lower() if kind in RULE_TYPES_ZH else err["msg"]
    return Why("rule-type", msg=msg, zh=RULE_TYPES_ZH.get(kind, msg), shown=shown)
