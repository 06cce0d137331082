"""Cross-reference checks of a rule set: every name it uses exists; all problems, not the first."""

from __future__ import annotations

from dataclasses import dataclass

from svcperf.rules.expr import Formula, FormulaError
from svcperf.rules.model import (
    RECORD_KEYS,
    FormulaItem,
    RuleSet,
    Segmented,
    SheetRules,
    TargetDeduction,
)
from svcperf.text import did_you_mean
from svcperf.why import Why

Loc = tuple[str | int, ...]  # a path into the rule file's data: ("sheets", 0, "items", 2, "formula")


def key_path(loc: Loc) -> str:
    """("items", 0, "formula") -> 'items[0].formula', as a problem names its place."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


@dataclass(frozen=True)
class Problem:
    """One problem of a rule set: where it is in the file's data, and what is wrong (a Why:
    English as a str, any language by render)."""

    loc: Loc
    message: str

    def __str__(self) -> str:
        return f"{key_path(self.loc) or '(top)'}: {self.message}"




def reference_problems(rules: RuleSet) -> list[Problem]:
    """Every problem across the rule set: each sheet's names, sheet keys, cascades, $params."""
    if not rules.sheets and not rules.fields:
        return [Problem(("fields",), Why("rule-needs-fields"))]
    out: list[Problem] = []
    if rules.sheets and rules.fields:
        out.append(Problem(("fields",), Why("rule-fields-twice")))
    places: list[Loc] = [("sheets", i) for i in range(len(rules.sheets))] if rules.sheets else [()]
    first: dict[str, int] = {}
    for i, part in enumerate(rules.sheets):
        if part.key in first:
            out.append(Problem(("sheets", i, "key"), Why("rule-sheet-key-twice", name=part.key,
                                                         other=first[part.key])))
        first.setdefault(part.key, i)
    for part, at in zip(rules.parts, places, strict=True):
        out += sheet_problems(part, at)
        if part.distribution and part.distribution.cascade:
            out += _cascade_problems(rules, part, (*at, "distribution", "cascade"))
        for j, band in enumerate(part.bands):
            if isinstance(band.cutoff, str) and (not band.cutoff.startswith("$")
                                                 or band.cutoff.lstrip("$") not in rules.params):
                out.append(Problem((*at, "bands", j, "cutoff"), Why(
                    "rule-band-cutoff", grade=band.grade, cutoff=band.cutoff,
                    params=sorted(rules.params))))
    return out


def _hint(name: str, names: set[str]) -> str:
    """ " (did you mean 'x'?)" for a misspelt name, else nothing."""
    near = did_you_mean(name, sorted(names))
    return Why("rule-did-you-mean", near=near) if near else ""


def sheet_problems(part: SheetRules, at: Loc = ()) -> list[Problem]:
    """Every name one sheet's rules use that it does not have: fields, items, grades."""
    fields = set(part.fields)
    out: list[Problem] = []

    def add(message: str, *loc: str | int) -> None:
        out.append(Problem((*at, *loc), message))

    for ref, loc in [(part.id, ("id",)), (part.group, ("group",)),
                     *[(t.field, ("tie_breakers", i, "field")) for i, t in enumerate(part.tie_breakers)],
                     (part.movement.field if part.movement else None, ("movement", "field")),
                     (part.pay.field if part.pay else None, ("pay", "field"))]:
        if ref is not None and ref not in fields:
            add(Why("rule-unknown-field", ref=ref, hint=_hint(ref, fields),
                    fields=sorted(fields)), *loc)
    for key in sorted(fields & RECORD_KEYS):
        add(Why("rule-field-result-name", name=key), "fields", key)
    known = set(fields)
    for n, item in enumerate(part.items):
        for name in item.inputs():
            if name not in fields:
                add(Why("rule-item-unknown-field", item=item.key, name=name,
                        hint=_hint(name, fields), fields=sorted(fields)), "items", n)
        if isinstance(item, FormulaItem):
            out += _formula_problems(item.formula, known, (*at, "items", n, "formula"))
        if isinstance(item, TargetDeduction) and isinstance(item.target, Segmented):
            out += _table_problems(part, item.target, (*at, "items", n, "target", "table"))
        if item.key in known:
            add(Why("rule-key-taken", name=item.key), "items", n, "key")
        elif item.key in RECORD_KEYS:
            add(Why("rule-item-result-name", name=item.key), "items", n, "key")
        known.add(item.key)
    if part.score.formula:
        out += _formula_problems(part.score.formula, known, (*at, "score", "formula"))
    if part.rollup:
        for i, c in enumerate(part.rollup.eligibility):
            if c.field is not None and c.field not in fields:
                add(Why("rule-unknown-field-short", ref=c.field, hint=_hint(c.field, fields)),
                    "rollup", "eligibility", i, "field")
    if part.rank_by not in known | {"score"}:
        add(Why("rule-unknown-name", ref=part.rank_by,
                hint=_hint(part.rank_by, known | {"score"})), "rank_by")
    if part.distribution:
        out += _distribution_problems(part, at)
    if part.pay:
        out += _pay_problems(part, at)
    return out


def _table_problems(part: SheetRules, target: Segmented, at: Loc) -> list[Problem]:
    """A target table looked up by a field with allowed labels has a value for each of them,
    and only for them: a label it lacks would reject every row holding it, as if the cell were
    wrong; a key no cell can hold is a misspelling (or a bare true read as a yes/no value)."""
    spec = part.fields.get(target.by)
    if spec is None or not spec.allowed:
        return []
    missing = [a for a in spec.allowed if a not in target.table]
    unused = [k for k in target.table if k not in spec.allowed]
    out = []
    if missing:
        out.append(Problem(at, Why("rule-target-missing", missing=missing, field=target.by)))
    if unused:
        out.append(Problem(at, Why("rule-target-unused", unused=unused, field=target.by,
                                   allowed=list(spec.allowed))))
    return out


def _pay_problems(part: SheetRules, at: Loc) -> list[Problem]:
    """A pay field holds a number, and something multiplies it: coefficients or incentives."""
    assert part.pay is not None
    spec = part.fields.get(part.pay.field)
    out: list[Problem] = []
    if spec is not None and spec.type not in ("number", "integer"):
        out.append(Problem((*at, "pay", "field"), Why("rule-pay-type", field=part.pay.field,
                                                      type=spec.type)))
    if not part.coefficients() and not part.incentives:
        out.append(Problem((*at, "pay"), Why("rule-pay-needs")))
    return out


def _distribution_problems(part: SheetRules, at: Loc) -> list[Problem]:
    d = part.distribution
    assert d is not None
    out: list[Problem] = []
    if d.scope == "group" and part.group is None:
        out.append(Problem((*at, "distribution", "scope"), Why("rule-scope-group")))
    grades = [b.grade for b in part.bands]
    for name, table in d.tables().items():
        unknown = [q.grade for q in table if grades and q.grade not in grades]
        if unknown:
            where = ("cascade", "tables", name) if name else ("quotas",)
            out.append(Problem((*at, "distribution", *where), Why(
                "rule-quota-grades", name=name or "quotas", unknown=unknown, grades=grades)))
    if d.mode == "cap" and not part.bands:
        out.append(Problem((*at, "distribution", "mode"), Why("rule-cap-bands")))
    for i, t in enumerate(d.tie_breakers):
        if t.field not in part.fields:
            out.append(Problem((*at, "distribution", "tie_breakers", i, "field"),
                               Why("rule-unknown-field-short", ref=t.field, hint="")))
    return out


def _cascade_problems(rules: RuleSet, part: SheetRules, at: Loc) -> list[Problem]:
    """A cascade names another sheet here, a field of it, and one table per grade it gives."""
    assert part.distribution is not None and part.distribution.cascade is not None
    cascade = part.distribution.cascade
    heads = next((s for s in rules.parts if s.key == cascade.sheet), None)
    if heads is None or heads is part:
        return [Problem((*at, "sheet"), Why("rule-cascade-sheet", sheet=cascade.sheet))]
    out: list[Problem] = []
    if cascade.key not in heads.fields:
        out.append(Problem((*at, "key"), Why("rule-cascade-key", name=cascade.key,
                                             sheet=cascade.sheet)))
    for grade in cascade.tables:
        if grade not in heads.grade_order:
            out.append(Problem((*at, "tables", grade), Why(
                "rule-cascade-grade", grade=grade, sheet=cascade.sheet, grades=heads.grade_order)))
    missing = [g for g in heads.grade_order if g not in cascade.tables]
    if missing:
        out.append(Problem((*at, "tables"), Why("rule-cascade-missing", missing=missing)))
    return out


def _formula_problems(text: str, names: set[str], loc: Loc) -> list[Problem]:
    try:
        Formula(text, names)
        return []
    except FormulaError as ex:
        return [Problem(loc, ex.args[0])]  # a Why
