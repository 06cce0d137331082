"""The JSON documents svcperf writes, as the schema in `schemas/svcperf.schema.json` says.

snake_case keys, null for a missing value (never "" or "-"), lists for lists (a rejected row's
`reasons`, the sheets read), and the same shape for one sheet as for each file of a batch.
"""

from __future__ import annotations

import re
from typing import Any

from svcperf.results import PartResult, RollupRun, RunResult
from svcperf.rules.load import shipped_name
from svcperf.rules.model import RECORD_KEYS
from svcperf.text import column_letter

SCHEMA_VERSION = 1


def snake(label: str) -> str:
    """A display label as a JSON key: "rows left out (not people)" -> "rows_left_out",
    "score_2026-01" -> "score_2026_01"."""
    return re.sub(r"[^0-9a-z]+", "_", re.sub(r"\s*\(.*?\)", "", label).lower()).strip("_")


def _value(value: Any) -> Any:
    return None if value in ("", "-") else value


def run_section(info: dict[str, Any]) -> dict[str, Any]:
    """A Run sheet's rows (display labels) under snake_case keys, "-" as null; a shipped rule
    file by its name (what --rules takes), not the folder this machine installed it in."""
    facts = {snake(label): _value(value) for label, value in info.items()}
    if facts.get("rule_file"):
        facts["rule_file"] = shipped_name(facts["rule_file"]) or facts["rule_file"]
    return facts


def _split(text: Any, sep: str = "; ") -> list[str]:
    return [x for x in str(text).split(sep) if x] if text not in (None, "", "-") else []


def run_document(run: RunResult, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One ranked sheet: run facts, every input row (ranked or rejected), every issue."""
    facts = run_section(run.run_info())
    kinds: dict[str, int] = {}
    for p in run.parts:
        for kind, left in p.table.left_out.items():
            kinds[kind] = kinds.get(kind, 0) + len(left)
    facts.update({"params": dict(run.params), "sheets_read": [p.table.sheet for p in run.parts],
                  "left_out_by_kind": kinds})
    return {"schema_version": SCHEMA_VERSION, "run": facts,
            "rows": [_row(row, extras, reasons)
                     for row, (extras, reasons) in zip(rows, _row_facts(run), strict=True)],
            "issues": [i.model_dump(mode="json") for i in run.issues]}


def extra_names(p: PartResult) -> dict[str, str]:
    """The record key of each column the rule set does not know: its header, or `sheet:` and
    the header when that is a key the record holds already (a sheet's own `score` or `rank`
    column must not take the place of the computed one)."""
    taken = {*p.part.fields, *(i.key for i in p.part.items), *RECORD_KEYS}
    names: dict[str, str] = {}
    for c, h in p.table.extras:  # a column headed sheet:score beside one headed score: both
        name = f"sheet:{h}" if h in taken else h
        names[f"extra:{h}"] = name if name not in names.values() else f"{name} ({column_letter(c)})"
    return names


def _row(row: dict[str, Any], extras: dict[str, str], reasons: list[str]) -> dict[str, Any]:
    """A record with its columns the rule set does not know under `extra` (keyed by header)."""
    out = {k: _value(v) for k, v in row.items() if k not in extras}
    out["reasons"] = reasons
    out["extra"] = {extras[k]: _value(v) for k, v in row.items() if k in extras}
    return out


def _row_facts(run: RunResult) -> list[tuple[dict[str, str], list[str]]]:
    """Each row's extra columns (record key -> header) and reasons (a list), in the order
    `io.write.records` lists the rows: part by part, ranked then rejected."""
    out: list[tuple[dict[str, str], list[str]]] = []
    for p in run.parts:
        extras = {name: key.removeprefix("extra:") for key, name in extra_names(p).items()}
        out += [(extras, []) for _ in range(len(p.results))]
        column = p.rejected["reason_list"] if "reason_list" in p.rejected else \
            [_split(r) for r in p.rejected.get("reasons", [""] * len(p.rejected))]
        out += [(extras, list(r)) for r in column]
    return out


def rollup_document(run: RollupRun, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One roll-up: run facts and one row per person."""
    facts = run_section(run.run_info())
    facts.update({"months": [{"month": m.label, "source": str(m.source)} for m in run.months],
                  "history_months": [m.label for m in run.history],
                  "months_without_a_file": list(run.result.gaps),
                  "notices": list(run.notices)})
    frame = run.result.frame
    lists = list(frame["ineligible_reason_list"]) if "ineligible_reason_list" in frame else \
        [_split(row.get("ineligible_reasons")) for row in rows]
    return {"schema_version": SCHEMA_VERSION, "run": facts,
            "rows": [{**{snake(k): _value(v) for k, v in row.items()},
                      "ineligible_reasons": list(why)}
                     for row, why in zip(rows, lists, strict=True)]}
