"""What changed between two ranked results (pure): people added and removed, and for everyone
else the changes of score, grade, rank, group rank, incentive and movement, with the reason
the new result gives."""

from __future__ import annotations

import math
from typing import Any

DIFFED = ["score", "grade", "rank", "group_rank", "incentive_pct", "movement"]
Key = tuple[str, str]  # (sheet, id); the sheet is "" for a one-sheet rule set


def _value(v: Any) -> Any:
    """Cells compared as values: blanks are None, 3.0 is 3, '84.5' is 84.5."""
    if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            return v.strip()
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 9)
    return v


def diff_results(old: dict[Key, dict[str, Any]], new: dict[Key, dict[str, Any]]) -> dict[str, Any]:
    """{"added", "removed", "changed", "summary"}; a key is listed in the order of the new
    result (removed ones in the old result's order)."""
    many = any(sheet for sheet, _ in [*old, *new])

    def who(key: Key, row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"sheet": key[0]} if many else {}
        out["id"] = key[1]
        if row.get("name") not in (None, ""):
            out["name"] = row["name"]
        return out

    added = [{**who(k, r), **{f: _value(r.get(f)) for f in ("score", "grade", "rank")}}
             for k, r in new.items() if k not in old]
    removed = [{**who(k, r), **{f: _value(r.get(f)) for f in ("score", "grade", "rank")}}
               for k, r in old.items() if k not in new]
    changed = []
    counts = dict.fromkeys(DIFFED, 0)
    rose = fell = 0
    for k, r in new.items():
        if k not in old:
            continue
        o = old[k]
        changes = {f: [_value(o[f]), _value(r[f])] for f in DIFFED  # a column both show
                   if f in o and f in r and _value(o[f]) != _value(r[f])}
        if not changes:
            continue
        for f in changes:
            counts[f] += 1
        before, after = changes.get("rank", [None, None])
        if isinstance(before, int | float) and isinstance(after, int | float):
            rose += after < before
            fell += after > before
        reason = r.get("adjustment") or (r.get("reason") if "grade" in changes else None)
        changed.append({**who(k, r), "changes": changes, "reason": reason or None})
    summary = {"old": len(old), "new": len(new), "added": len(added), "removed": len(removed),
               "changed": len(changed), "unchanged": len(new) - len(added) - len(changed),
               "rose": int(rose), "fell": int(fell),
               **{f"{f}_changed": n for f, n in counts.items()}}
    return {"added": added, "removed": removed, "changed": changed, "summary": summary}


def is_empty(diff: dict[str, Any]) -> bool:
    return not (diff["added"] or diff["removed"] or diff["changed"])
