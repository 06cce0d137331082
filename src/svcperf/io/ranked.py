"""Read a ranked result (.xlsx Results sheets, .csv or .json rows) back under canonical keys, for
`svcperf diff`; write a diff as a workbook."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svcperf.i18n import LABELS
from svcperf.io.files import atomic_path
from svcperf.io.monthly import result_sheets, run_info
from svcperf.io.read import UnreadableFile, open_book
from svcperf.io.write import READ_BACK_LABELS, csv_safe  # csv_safe: undone by _csv_text
from svcperf.io.xlsx import Column, Workbook
from svcperf.issues import FileError
from svcperf.rules.headers import alias_index, match_header
from svcperf.rules.load import RulesError, load_rules, resolve, shipped_rule_files
from svcperf.rules.model import RuleSet, SheetRules
from svcperf.text import NO_BREAK, fold
from svcperf.why import Why

Key = tuple[str, str]


@dataclass
class ReadBack:
    """A ranked result read back: its people by (sheet, id), and its rule set."""

    rows: dict[Key, dict[str, Any]]
    rules: RuleSet


def read_result(path: Path, given: str | None = None) -> ReadBack:
    """Every ranked person of a result under canonical keys, by (sheet, id); the sheet is ''
    for a one-sheet rule set. The rule set is `given`, else the one the result names."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            # run facts under the Run sheet's keys: JSON's rule_file is its "rule file"
            rows = doc.get("rows", [])
            info = {str(k).replace("_", " "): v for k, v in (doc.get("run") or {}).items()}
        elif suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = [{_csv_text(k): _csv_text(v) for k, v in row.items()}
                        for row in csv.DictReader(fh)]
            info = {}
        else:
            return _from_workbook(path, given)
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as ex:
        raise FileError(Why("ranked-unreadable", path=str(path), error=str(ex))) from None
    rules = _rules(path, given, info, set(rows[0]) if rows else set())
    out: dict[Key, dict[str, Any]] = {}
    for row in rows:
        if row.get("status", "ranked") != "ranked":
            continue
        sheet = str(row.get("sheet") or "")
        part = _part(rules, sheet)
        key = part.id or next(iter(part.fields))
        out[(sheet, str(row.get(key)))] = dict(row)
    return ReadBack(out, rules)


def _csv_text(value: Any) -> Any:
    """A CSV cell or header as svcperf's writer had it: the apostrophe that defuses text a
    spreadsheet would run as a formula ('=1+2) taken off, exactly where the writer puts one."""
    if isinstance(value, str) and value[:1] == "'" and csv_safe(value[1:]) == value:
        return value[1:]
    return value


def _rules(path: Path, given: str | None, info: dict[str, Any], keys: set[str]) -> RuleSet:
    """The rule set named by --rules, by the result's run info, or whose id and fields the
    rows carry."""
    try:
        if given:
            return load_rules(resolve(given))
        shown = info.get("rule file")  # a workbook's Run sheet shows only the file's name:
        beside = str(path.parent / str(shown)) if shown else None  # look beside the result too
        for name in (shown, beside, info.get("rule set")):
            if name:
                try:
                    return load_rules(resolve(str(name)))
                except RulesError:
                    continue
        for file in shipped_rule_files():
            rules = load_rules(file)
            if keys and all(p.id in keys and set(p.fields) <= keys for p in rules.parts if p.id):
                return rules
    except RulesError as ex:
        raise FileError("; ".join(ex.problems)) from None
    raise FileError(Why("ranked-which-rules", path=str(path)))


def _part(rules: RuleSet, sheet: str) -> SheetRules:
    if sheet:
        for part in rules.parts:
            if fold(sheet) in {fold(n) for n in [*part.sheet, part.key]}:
                return part
    return rules.parts[-1]


def _from_workbook(path: Path, given: str | None) -> ReadBack:
    try:
        book = open_book(path)
    except UnreadableFile as ex:
        raise FileError(Why("at-file", path=str(ex.path), why=ex.why)) from None
    run, results = result_sheets(book)
    if not results:
        raise FileError(Why("ranked-no-results", path=str(path)))
    info = run_info(book, run) if run else {}
    rules = _rules(path, given, info, set())
    out: dict[Key, dict[str, Any]] = {}
    for name in results:
        sheet = name.split(" ", 1)[1] if " " in name else ""
        part = _part(rules, sheet)
        grid = book.rows(name)
        if not grid:
            continue
        aliases = alias_index(part)
        columns: dict[str, int] = {}
        for c, header in enumerate(grid[0]):
            key = READ_BACK_LABELS.get(fold(header)) or match_header(header, aliases)
            if key and key not in columns:
                columns[key] = c
        id_key = part.id or next(iter(part.fields))
        if id_key not in columns:
            raise FileError(Why("ranked-no-id", path=str(path), sheet=name,
                                header=part.header_of(id_key), name=rules.name))
        for line in grid[1:]:
            row = {k: (line[c].replace(NO_BREAK, " ") if isinstance(line[c], str) else line[c])
                   if c < len(line) else None for k, c in columns.items()}  # 第 2 名 as written
            ident = row.get(id_key)
            if ident in (None, ""):
                continue
            text = str(int(ident)) if isinstance(ident, float) and ident.is_integer() \
                else str(ident)
            out[(sheet, text)] = row
    return ReadBack(out, rules)


def write_diff(diff: dict[str, Any], out: Path, lang: str) -> Path:
    """A diff as a workbook: one row per change (added, removed, each changed value)."""
    labels = LABELS[lang]
    rows: list[list[Any]] = []
    for kind in ("added", "removed"):
        for r in diff[kind]:
            rows.append([labels[kind], r.get("sheet"), r["id"], r.get("name"), None, None, None,
                         None])
    for r in diff["changed"]:
        for what, (old, new) in r["changes"].items():
            rows.append([labels["changed"], r.get("sheet"), r["id"], r.get("name"),
                         labels.get(what, what),
                         old, new, r.get("reason")])
    heads = [("change", labels["change_kind"]), ("sheet", labels["sheet"]),
             ("id", labels["id"]), ("name", labels["name"]), ("item", labels["diff_item"]),
             ("old", labels["old"]), ("new", labels["new"]), ("reason", labels["reasons"])]
    with atomic_path(out) as tmp:
        book = Workbook(tmp)
        book.table(labels["diff"], [Column(k, h, "text") for k, h in heads],
                   [[_text(row[c]) for row in rows] for c in range(len(heads))])
        summary = book.wb.add_worksheet(labels["diff_summary"])
        summary.set_column(0, 0, 28)
        for r, (k, v) in enumerate(diff["summary"].items()):
            summary.write_string(r, 0, _summary_label(k, labels))
            summary.write_number(r, 1, v)
        book.close()
    return out


def _summary_label(key: str, labels: dict[str, str]) -> str:
    """A diff summary's count in the workbook's language: 原结果人数, 新增, 变动人数：得分 ..."""
    if key in ("old", "new"):
        return labels[f"{key}_count"]
    if key.endswith("_changed"):
        what = key.removesuffix("_changed")
        return labels["n_changed"].format(what=labels.get(what, what))
    return labels.get(key, key)


def _text(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float) else str(value)
