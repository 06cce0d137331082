"""Calibration (pure): approved input corrections applied before scoring, grade overrides after
distribution (`rebalance` or `keep`), and the knock-on of both on everyone else.

An input correction replaces a checked cell's value; the row is then scored, graded,
distributed and ranked like any other. A grade override fixes one person's grade after
distribution: with `rebalance` the fixed people use up places of their grade and the others
are handed what is left, in rank order with the usual tie rule; with `keep` nobody else moves.
Knock-ons are found by comparing the run without adjustments with the run with them.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from svcperf.core.distribute import assign_exact
from svcperf.core.grade import coefficients, movements
from svcperf.core.rank import sort_keys
from svcperf.core.reasons import movement_reasons, row_reasons
from svcperf.core.validate import CellError, Checked, expected_text, parse_column
from svcperf.i18n import ADJUST, LABELS
from svcperf.issues import SEVERITY, FileError, Severity, make_issue
from svcperf.results import ROW, WHY, Adjustment, AdjustmentRow, KnockOn, PartResult, Table
from svcperf.rules.describe import choices_of
from svcperf.rules.headers import alias_index, match_header
from svcperf.rules.model import Distribution, FieldSpec, Quota, RuleSet, SheetRules
from svcperf.text import fold

GRADE_WORDS = frozenset({"grade", "等级", "最终等级", "final grade"})
COMPARED = ["score", "grade", "rank", "group_rank", "incentive_pct", "movement"]
REQUIRED = ["id", "item", "value", "reason", "approved_by"]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def show(value: Any, spec: FieldSpec | None = None, precision: int = 2) -> str:
    """A value as a person reads it: 95%, 84.00, 是; a blank as —."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool) or (spec is not None and spec.type == "yesno"):
        return "是" if value else "否"
    if isinstance(value, np.generic):
        value = value.item()
    if spec is not None and spec.type == "percent" and isinstance(value, int | float):
        return f"{value * 100:.10g}%"
    if spec is None and isinstance(value, float):
        return f"{value:.{precision}f}"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


# ---- checking the adjustments file against the sheet ---------------------------------------

def resolve(rows: list[AdjustmentRow], rules: RuleSet, loaded: Sequence[tuple[Table, Checked]],
            typed: bool, lang: str) -> list[Adjustment]:
    """Each row of an adjustments file as an Adjustment on a person of the sheet.

    Every problem is collected; if there is any, FileError names each one's file and cell
    and nothing is applied.
    """
    say = ADJUST[lang]
    problems: list[str] = []
    out: list[Adjustment] = []
    seen: dict[tuple[str, int, str], str] = {}
    ids = [_id_index(part, table, checked) for part, (table, checked) in
           zip(rules.parts, loaded, strict=True)]
    for line in rows:
        v, where = line.values, line.where
        blank = [k for k in REQUIRED if _blank(v.get(k))]
        problems += [say[f"blank-{k}"].format(where=where[k]) for k in blank]
        if "id" in blank or "item" in blank:
            continue
        person, item = _text(v["id"]), _text(v["item"])
        found = [(n, ids[n][fold(person)]) for n in range(len(rules.parts))
                 if fold(person) in ids[n]]
        if not found:
            problems.append(_unknown_id(person, where["id"], rules, loaded, say))
            continue
        is_grade = fold(item) in GRADE_WORDS
        keys = {n: None if is_grade else _adjustable(item, rules.parts[n]) for n, _ in found}
        usable = [(n, r) for n, r in found if is_grade or keys[n]]
        if not usable:
            part = rules.parts[found[0][0]]
            fields = [f.header[0] for k, f in part.fields.items() if k != part.id]
            choices = say["choices"].join([*fields, LABELS[lang]["grade_item"]])
            problems.append(say["unknown-item"].format(where=where["item"], value=item,
                                                       rules=rules.name, choices=choices))
            continue
        n, row = next(((n, r) for n, r in usable if is_grade and rules.parts[n].grade_order),
                      usable[0])
        part, (table, checked) = rules.parts[n], loaded[n]
        key = "grade" if is_grade else keys[n]
        assert key is not None
        if "value" in blank:
            continue
        if is_grade:
            header = LABELS[rules.language]["grade"]
            parsed, problem = _grade(v["value"], part, say, where["value"], rules.name, header)
            before, old = "", None
        else:
            header = table.headers.get(key, part.fields[key].header[0])
            parsed, problem = _field_value(v["value"], part, key, typed, lang, header, say,
                                           where["value"])
            old = _plain(_value_of(checked, table, key, row))
            before = show(old, part.fields[key])
        if problem:
            problems.append(problem)
            continue
        mark = (part.key, row, key)
        if mark in seen:
            problems.append(say["twice"].format(where=line.line, id=person, header=header,
                                                other=seen[mark]))
            continue
        seen[mark] = line.line
        spec = None if is_grade else part.fields[key]
        kind = _kind(v.get("kind"), is_grade)
        date = None if _blank(v.get("date")) else _date(v["date"])
        if kind is None:
            kinds = say["choices"].join(f"{ADJUST['zh'][f'kind-{k}']} / {k}" for k in _KINDS)
            problems.append(say["unknown-kind"].format(where=where["kind"], value=_text(v["kind"]),
                                                       choices=kinds))
        if date == "":
            problems.append(say["bad-date"].format(where=where["date"], value=_text(v["date"])))
        if kind is None or date == "":
            continue
        out.append(Adjustment(part.key, table.sheet, person, row, key, header, parsed,
                              parsed if is_grade else show(parsed, spec),
                              _text(v["reason"]) if not _blank(v.get("reason")) else "",
                              _text(v["approved_by"]) if not _blank(v.get("approved_by")) else "",
                              date, kind, line.line, before, old, place=line.place))
    if problems:
        raise FileError(_all_of(problems, say))
    return out


def _unknown_id(person: str, where: str, rules: RuleSet,
                loaded: Sequence[tuple[Table, Checked]], say: dict[str, str]) -> str:
    """No row has this id: the one row whose other text field holds it, when only one does
    (R3's supervisors are named by their 分公司, not their 工号), else where to look."""
    wanted = fold(person)
    found = [(part, table, checked, key, i)
             for part, (table, checked) in zip(rules.parts, loaded, strict=True)
             if part.id and part.id in checked.columns
             for key, spec in part.fields.items()
             if key != part.id and spec.type == "text" and key in checked.columns
             for i, v in enumerate(checked.columns[key]) if not _blank(v) and fold(v) == wanted]
    if len(found) == 1:  # a name two rows have, a centre: no row to point to
        part, table, checked, key, i = found[0]
        assert part.id is not None
        return say["id-of-row"].format(where=where, value=person, header=part.header_of(key),
                                       sheet=table.sheet, id_header=part.header_of(part.id),
                                       id=_text(checked.columns[part.id][i]))
    last = rules.parts[-1]
    return say["unknown-id"].format(where=where, value=person,
                                    header=last.header_of(last.id or next(iter(last.fields))))


def _adjustable(item: str, part: SheetRules) -> str | None:
    """The field an adjustment's item names; never the id, which says whom it adjusts."""
    key = match_header(item, alias_index(part))
    return None if key == part.id else key


def _all_of(problems: list[str], say: dict[str, str]) -> str:
    """Every problem on the one error line, numbered: (1) … (2) …."""
    if len(problems) == 1:
        return problems[0]
    return say["problems"].format(count=len(problems), list=" ".join(
        f"({n}) {p}" for n, p in enumerate(problems, 1)))


_KINDS = ("appeal", "calibration")
_KIND_WORDS = {fold(w): k for k in _KINDS for w in (k, *(ADJUST[lang][f"kind-{k}"]
                                                        for lang in ADJUST))}
# 2026-11-05, 2026/11/5, 2026年11月5日, with a time of day after it or not (it is dropped,
# as a date cell's is)
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                  r"(?:[\sT]+\d{1,2}:\d{2}(?::\d{2})?)?", re.ASCII)


def _kind(value: Any, is_grade: bool) -> str | None:
    """appeal or calibration (申诉, 校准 too); the item's usual one when blank; None if neither."""
    if _blank(value):
        return "calibration" if is_grade else "appeal"
    return _KIND_WORDS.get(fold(_text(value)))


def _date(value: Any) -> str:
    """A date cell, or text such as 2026-11-05, 2026/11/5 or 2026年11月5日, as 2026-11-05;
    '' for text that is no date."""
    if hasattr(value, "date") and callable(value.date):
        return str(value.date().isoformat())
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    hit = _DAY.fullmatch(_text(value).strip())
    try:
        return datetime.date(*map(int, hit.groups())).isoformat() if hit else ""
    except ValueError:  # 2026-02-30
        return ""


def _id_index(part: SheetRules, table: Table, checked: Checked) -> dict[str, int]:
    """Folded id -> sheet row, for a rule sheet with an id field: an id's first row, the one
    that stands (a later one is a duplicate, rejected)."""
    if not part.id or part.id not in checked.columns:
        return {}
    index: dict[str, int] = {}
    for r, v in zip(table.rows, checked.columns[part.id], strict=True):
        if not _blank(v):
            index.setdefault(fold(v), r)
    return index


def _value_of(checked: Checked, table: Table, key: str, row: int) -> Any:
    """The checked value of a person's cell; the cell as typed when checking rejected it
    (a 105 out of range is corrected from 105, not from a blank)."""
    value = checked.columns[key][table.rows.index(row)]
    value = value.item() if isinstance(value, np.generic) else value
    if _blank(value) and row in checked.rejected and checked.grid and key in table.columns:
        line, c = checked.grid[row - 1], table.columns[key]
        typed = line[c] if c < len(line) else None
        return value if _blank(typed) or isinstance(typed, CellError) else typed
    return value


def _grade(value: Any, part: SheetRules, say: dict[str, str], where: str, rules: str,
           header: str) -> tuple[Any, str | None]:
    if not part.grade_order:
        return None, say["no-grades"].format(where=where, header=header, rules=rules)
    hit = {fold(g): g for g in part.grade_order}.get(fold(_text(value)))
    if hit is None:
        return None, say["unknown-grade"].format(where=where, value=_text(value), rules=rules,
                                                 choices=say["choices"].join(part.grade_order))
    return hit, None


def _field_value(value: Any, part: SheetRules, key: str, typed: bool, lang: str, header: str,
                 say: dict[str, str], where: str) -> tuple[Any, str | None]:
    """The value parsed as the field's cells are; what the field would reject, why."""
    spec = part.fields[key]
    choices = choices_of(part).get(key)
    values, found, _ = parse_column([value], spec, choices, typed)
    problems = [p for p in found if SEVERITY.get(p[1]) == Severity.ERROR]  # not repairs
    if problems:
        _, code, extra = problems[0]
        extra.setdefault("expected", expected_text(spec, choices, lang))
        why = make_issue(code, lang, header=header, value=value, extra=extra).message
        return None, say["bad-value"].format(where=where, value=_text(value), header=header,
                                             why=why)
    parsed = values[0]
    return (parsed.item() if isinstance(parsed, np.generic) else parsed), None


# ---- input corrections -----------------------------------------------------------------------

def fresh(checked: Checked) -> Checked:
    """A copy that ranking may change (it adds issues) without touching the original."""
    columns = {k: v.copy() if isinstance(v, np.ndarray) else list(v)
               for k, v in checked.columns.items()}
    return Checked(columns, list(checked.numeric), list(checked.issues),
                   {r: list(i) for r, i in checked.rejected.items()}, checked.grid)


def corrected(part: SheetRules, table: Table, checked: Checked,
              adjustments: list[Adjustment]) -> Checked:
    """The checked table with this rule sheet's input corrections in place of the cells; an
    error the corrected cell had is gone with it."""
    out = fresh(checked)
    for a in adjustments:
        if a.part != part.key or a.is_grade:
            continue
        out.columns[a.item][table.rows.index(a.row)] = a.value
        out.issues = [i for i in out.issues if not (i.row == a.row and i.field == a.item)]
        left = [i for i in out.rejected.get(a.row, []) if i.field != a.item]
        if left:
            out.rejected[a.row] = left
        else:
            out.rejected.pop(a.row, None)
    return out


# ---- grade overrides -----------------------------------------------------------------------

def quota_table(d: Distribution, group: str, heads: dict[str, str] | None) -> list[Quota]:
    """The quota table a group was distributed by (the cascade's by its head's grade)."""
    if d.cascade is None:
        return d.quotas or []
    return d.cascade.tables[(heads or {})[group]]


def caps_of(d: Distribution, table: list[Quota], quota: dict[str, int], n: int,
            mode: str) -> dict[str, int]:
    """Grades that can never be exceeded: in cap mode each share; else a grade whose ties go
    `worse` (R5's 高级: ⌊0.2 N⌋, people tied at it stay below)."""
    if mode == "cap":
        return {q.grade: math.floor(round(n * q.share, 9)) for q in table if q.share is not None}
    if mode != "exact":
        return {}
    return {q.grade: quota[q.grade] for q in table if (q.ties or d.ties) == "worse"}


def override(p: PartResult, fixed: list[Adjustment], heads: dict[str, str] | None,
             language: str, lang: str) -> None:
    """Fix the overridden grades of one rule sheet's result and settle the rest of each group
    by the rule set's calibration policy; coefficient, movement and reasons follow.

    `language` is the workbook's (reasons), `lang` the messages' (errors).
    """
    part, d = p.part, p.part.distribution
    frame = p.results.copy()
    say, words = ADJUST[language], ADJUST[lang]
    by_group: dict[str, list[tuple[Any, Adjustment]]] = {}
    for a in fixed:
        at = frame.index[frame[ROW] == a.row]
        if not len(at):  # the person's row was rejected: there is no grade to fix
            why = p.rejected.loc[p.rejected[ROW] == a.row, "reasons"]
            raise FileError(words["rejected"].format(where=a.line, id=a.id,
                                                     why=why.iloc[0] if len(why) else "-"))
        idx = at[0]
        a.old = _plain(frame.at[idx, "grade"])
        a.before = str(a.old)
        frame.at[idx, "grade"] = a.value
        frame.at[idx, WHY[0]] = _fixed_text(a, say)
        name = str(frame.at[idx, part.group]) if d and d.scope == "group" and part.group \
            else "all"
        by_group.setdefault(name, []).append((idx, a))
    for name, members in by_group.items():
        gr = next((g for g in p.groups if g.group == name), None)
        if d is None or gr is None or all(a.value == a.old for _, a in members):
            continue  # grades confirmed: their places were theirs already, nobody moves
        in_group = frame.index[frame[part.group].astype(str) == name] \
            if d.scope == "group" and part.group else frame.index
        table = quota_table(d, name, heads)
        caps = caps_of(d, table, gr.quota, gr.size, gr.mode)
        fixed_idx = {idx for idx, _ in members}
        fixed_count: dict[str, int] = {}
        for _, a in members:
            fixed_count[a.value] = fixed_count.get(a.value, 0) + 1
        if d.calibration == "rebalance" and gr.mode == "exact":
            _check_caps(members, fixed_count, caps, name, d, words)
            _rebalance(frame, part, d, table, gr.quota, [i for i in in_group
                                                         if i not in fixed_idx],
                       fixed_count, members, gr.size, say)
        else:
            counts = frame.loc[in_group, "grade"].value_counts().to_dict()
            _check_caps(members, counts, caps, name, d, words)
        counts = frame.loc[in_group, "grade"].value_counts().to_dict()
        was = dict(gr.actual)
        gr.actual = {g: int(counts[g]) for g in part.grade_order if counts.get(g)}
        if d.calibration == "keep" and gr.quota:  # off quota because of the overrides
            who = ", ".join(a.id for _, a in members)
            approvers = ", ".join(dict.fromkeys(a.approved_by for _, a in members))
            off = [say["keep-off"].format(grade=g, actual=gr.actual.get(g, 0), quota=q, who=who,
                                          approver=approvers)
                   for g, q in gr.quota.items()
                   if gr.actual.get(g, 0) != q and gr.actual.get(g, 0) != was.get(g, 0)]
            gr.calibrated = ("；" if language == "zh" else "; ").join(off)
        gr.overridden = [g for g in part.grade_order if gr.actual.get(g, 0) != was.get(g, 0)]
    frame["coefficient"] = coefficients(frame["grade"], part.coefficients())
    if part.movement:
        frame["movement"] = movements(frame[part.movement.field], frame["grade"],
                                      part.grade_order, part.movement)
        frame[WHY[1]] = movement_reasons(frame, part, language)
    frame["reason"] = row_reasons(frame, language)
    p.results = frame


def _fixed_text(a: Adjustment, say: dict[str, str]) -> str:
    kind = say.get(f"kind-{a.kind}", a.kind)
    return say["fixed"].format(kind=kind, old=a.before, new=a.value, approver=a.approved_by,
                               reason=a.reason)


def _check_caps(members: list[tuple[Any, Adjustment]], counts: dict[str, int],
                caps: dict[str, int], group: str, d: Distribution, say: dict[str, str]) -> None:
    if d.allow_over_cap:
        return
    for _, a in members:
        cap = caps.get(a.value)
        if cap is not None and counts.get(a.value, 0) > cap:
            raise FileError(say["over-cap"].format(where=a.line, id=a.id, grade=a.value,
                                                   group=group, count=counts[a.value], cap=cap))


def _rebalance(frame: pd.DataFrame, part: SheetRules, d: Distribution, table: list[Quota],
               quota: dict[str, int], others: list[Any], fixed_count: dict[str, int],
               members: list[tuple[Any, Adjustment]], n: int, say: dict[str, str]) -> None:
    """The places left after the fixed people, handed to the others in rank order."""
    grades = [q.grade for q in table]
    left = [max(0, quota.get(g, 0) - fixed_count.get(g, 0)) for g in grades]
    excess = sum(left) - len(others)  # fixed people outside their grade's places
    rest = next((i for i, q in enumerate(table) if q.share is None), len(table) - 1)
    for i in [rest, *reversed(range(len(grades)))]:
        take = min(excess, left[i])
        left[i] -= take
        excess -= take
    if not others:
        return
    sub = frame.loc[others]
    keys = sort_keys(sub, part.rank_by, [*d.tie_breakers] or [*part.tie_breakers])
    order = np.lexsort(list(reversed(keys)))
    ranked = [others[i] for i in order]
    idx = assign_exact(np.column_stack([k[order] for k in keys]), left,
                       [q.ties or d.ties for q in table])
    who = ", ".join(a.id for _, a in members)
    fixed_grade = "/".join(dict.fromkeys(a.value for _, a in members))
    place = {i: int(pos) + 1 for pos, i in enumerate(
        frame.loc[[*others, *(m for m, _ in members)]].sort_values(["rank", ROW]).index)}
    places = ", ".join(f"{grades[i]} {left[i]}" for i in range(len(grades)))
    for row, g in zip(ranked, idx.tolist(), strict=True):  # every reason of the group is of
        new = grades[g]  # the places left now: who kept a grade kept it by them too
        kept = frame.at[row, "grade"] == new
        frame.at[row, "grade"] = new
        frame.at[row, WHY[0]] = say["rebalanced-kept" if kept else "rebalanced"].format(
            who=who, grade=fixed_grade, left=places, new=new, pos=place[row], n=n)


# ---- knock-ons -------------------------------------------------------------------------------

def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if a is None and isinstance(b, float) and math.isnan(b):
        return True
    if b is None and isinstance(a, float) and math.isnan(a):
        return True
    return bool(a == b)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def compare(before: list[PartResult], after: list[PartResult], adjustments: list[Adjustment],
            rules: RuleSet, language: str | None = None) -> list[KnockOn]:
    """Mark every adjusted and knock-on row of the adjusted run (columns `adjusted`, `before`,
    `adjustment`), fill each adjustment's effect, and list the knock-ons; in `language`
    (default: the rule set's, the workbook's)."""
    language = language or rules.language
    say, labels = ADJUST[language], LABELS[language]
    precision = rules.precision
    knock: list[KnockOn] = []
    old_heads = {p.part.key: p for p in before}
    for p in after:
        part = p.part
        keys = [k for k in COMPARED if k in p.results and (k != "group_rank" or part.group)]
        old_frame = old_heads[part.key].results
        was = {r: dict(zip(keys, values, strict=True)) for r, *values in
               zip(old_frame[ROW].tolist(), *(old_frame[k].tolist() for k in keys), strict=True)}
        now = {k: p.results[k].tolist() for k in keys}
        mine = [a for a in adjustments if a.part == part.key]
        frame = p.results
        adjusted: list[bool] = []
        olds: list[dict[str, Any] | None] = []
        texts: list[str | None] = []
        group_of = dict(zip(frame[ROW].tolist(), frame[part.group].astype(str).tolist(),
                            strict=True)) if part.group else {}
        tables_before = {g.group: g.table for g in old_heads[part.key].groups}
        tables_after = {g.group: g.table for g in p.groups}
        for i, row in enumerate(frame[ROW].tolist()):
            old = was.get(row, {})
            changed = {k: (_plain(old.get(k)), _plain(now[k][i])) for k in keys
                       if not _same(_plain(old.get(k)), _plain(now[k][i]))}
            if not changed and not mine:
                adjusted.append(False)
                olds.append(None)
                texts.append(None)
                continue
            changes = ("，" if language == "zh" else ", ").join(
                say["arrow"].format(label=labels[k], old=_shown(k, o, precision),
                                    new=_shown(k, n, precision)) for k, (o, n) in changed.items())
            here = [a for a in mine if a.row == row]
            group = str(frame[part.group].iat[i]) if part.group else "all"
            if here:
                sep = "；" if language == "zh" else "; "
                own = [_fixed_text(a, say) if a.is_grade else say["changed"].format(
                    kind=say.get(f"kind-{a.kind}", a.kind), header=a.header, old=a.before,
                    new=a.shown, approver=a.approved_by, reason=a.reason) for a in here]
                for a in here:
                    a.effect = changes
                adjusted.append(True)
                olds.append({**{a.item: a.old for a in here},
                             **{k: o for k, (o, _) in changed.items()}})
                texts.append(sep.join([*own, *([changes] if changes else [])]))
                continue
            adjusted.append(False)
            if not changed:
                olds.append(None)
                texts.append(None)
                continue
            if "grade" in changed:
                changes += _place(part, frame, i, group, p.groups, changed["grade"],
                                  language)
            if tables_before.get(group) != tables_after.get(group) and part.distribution \
                    and part.distribution.cascade:
                head = str(frame[part.group].iat[i])
                grade = str(tables_after.get(group, "")).rsplit(" ", 1)[-1]
                text = say["table"].format(head=head, grade=grade, group=group, changes=changes)
            else:
                near = [a.id for a in mine if part.group and group_of.get(a.row) == group]
                cause = ", ".join(dict.fromkeys(near or [a.id for a in mine] or
                                                [a.id for a in adjustments]))
                text = say["because"].format(cause=cause, changes=changes)
            olds.append({k: o for k, (o, _) in changed.items()})
            texts.append(text)
            knock.append(KnockOn(part.key, p.table.sheet, str(frame[part.id].iat[i])
                                 if part.id else str(row),
                                 str(frame["name"].iat[i]) if "name" in frame else "", int(row),
                                 {k: o for k, (o, _) in changed.items()},
                                 {k: n for k, (_, n) in changed.items()}, text))
        ranked_now = set(frame[ROW].tolist())
        for a in mine:  # corrected into a row checking rejects: what it had, and why not now
            if a.row in was and a.row not in ranked_now:
                why = [f"{i.cell or ''} {i.render(language)}".strip() for i in p.issues
                       if i.row == a.row and i.severity == Severity.ERROR]
                a.effect = say["now-rejected"].format(
                    changes=("，" if language == "zh" else ", ").join(
                        say["arrow"].format(label=labels[k], old=_shown(k, was[a.row][k],
                                                                         precision), new="—")
                        for k in ("grade", "rank") if k in keys and was[a.row][k] is not None),
                    why=("；" if language == "zh" else "; ").join(why) or "-")
        frame = frame.copy()
        frame["adjusted"] = adjusted
        frame["before"] = pd.Series(olds, index=frame.index, dtype=object)
        frame["adjustment"] = pd.Series(texts, index=frame.index, dtype=object)
        p.results = frame
    return knock


def _shown(key: str, value: Any, precision: int) -> str:
    if value is None:
        return "—"
    if key == "score":
        return f"{float(value):.{precision}f}"
    if key == "incentive_pct":
        return f"{float(value):g}%"
    return show(value)


def heads_of(part: SheetRules, done: list[PartResult]) -> dict[str, str] | None:
    """Each group's head grade, for a rule sheet whose quotas cascade from another sheet."""
    cascade = part.distribution.cascade if part.distribution else None
    if cascade is None:
        return None
    head = next(p for p in done if p.part.key == cascade.sheet).results
    return {str(k): str(g) for k, g in zip(head[cascade.key], head["grade"], strict=True)
            if g is not None}


def _place(part: SheetRules, frame: pd.DataFrame, i: int, group: str, groups: list[Any],
           grade: tuple[Any, Any], language: str) -> str:
    """' (A has 2 places, all taken; place 3 of 10)': why a knock-on's grade moved and where
    the person now stands within the distribution's scope; the reason calibration gave when it
    moved them, or distribution's where the places do not say it."""
    zh = language == "zh"
    say = ADJUST[language]
    scoped = part.distribution is not None and part.distribution.scope == "group" and part.group
    result = next((g for g in groups if g.group == (group if scoped else "all")), None)
    old, new = grade
    order = part.grade_order
    why = frame[WHY[0]].iat[i] if WHY[0] in frame else None
    moved = result is not None and old in order and new in order and old in result.quota
    calibrated = result is not None and result.overridden is not None  # its reasons say it
    if (calibrated or not moved) and isinstance(why, str) and why:
        return f"（{why}）" if zh else f" ({why})"
    pos = frame["group_rank" if scoped else "rank"].iat[i]
    n = result.size if result else len(frame)
    label = ("组内" if scoped else "") if zh else ("group" if scoped else "overall")
    text = say["at"].format(group=label, pos=pos, n=n)
    if moved and result is not None:
        key = "full" if order.index(new) > order.index(old) else "room"
        places = result.quota[old] if key == "full" else result.quota.get(new, "-")
        text = say[key].format(grade=old if key == "full" else new, quota=places) + \
            ("，" if zh else "; ") + text
    return f"（{text}）" if zh else f" ({text})"
