"""A rule sheet described for people: the labels each field allows, what to enter in a column."""

from __future__ import annotations

import itertools

from svcperf.i18n import TEMPLATE, cli_message
from svcperf.rules.model import (
    Distribution,
    FieldSpec,
    Levels,
    Ratio,
    RuleSet,
    Segmented,
    SheetRules,
    TargetDeduction,
)


def choices_of(part: SheetRules) -> dict[str, list[str]]:
    """Allowed labels per field: declared ones, or the labels a levels item maps, or those a
    target table is looked up by (any other label would find no target)."""
    out = {k: list(s.allowed) for k, s in part.fields.items() if s.allowed}
    for item in part.items:
        if isinstance(item, Levels):
            for f in item.fields:
                out.setdefault(f, list(item.map))
        if isinstance(item, TargetDeduction) and isinstance(item.target, Segmented):
            out.setdefault(item.target.by, list(item.target.table))
    return out


def _show(value: float, spec: FieldSpec) -> str:
    return f"{value:.0%}" if spec.type == "percent" else f"{value:g}"


def divisors(part: SheetRules) -> set[str]:
    """The fields a ratio item divides by and rejects 0 for (`on_zero: reject`): a 0 there is a
    rejected row, so the template and the hints say so."""
    return {i.denominator for i in part.items if isinstance(i, Ratio) and i.on_zero == "reject"}


def heads_of(rules: RuleSet, part: SheetRules) -> tuple[SheetRules, str] | None:
    """The heads' sheet and field that a sheet's group names, where its quotas cascade from
    another sheet (R3's 员工 分公司 names a 主管 分公司): a group with no head row is rejected."""
    d = part.distribution
    if d is None or d.cascade is None or part.group is None:
        return None
    heads = next((p for p in rules.parts if p.key == d.cascade.sheet), None)
    return (heads, d.cascade.key) if heads and d.cascade.key in heads.fields else None


def sheet_title(part: SheetRules) -> str:
    """The worksheet a rule sheet is looked for by first (its key where it names none)."""
    return (part.sheet[0] if part.sheet else part.key)[:31]


def describe_field(part: SheetRules, key: str, choices: list[str] | None, lang: str,
                   rules: RuleSet | None = None) -> str:
    """What to enter in a field's column, in one line: type, required, allowed values, range,
    default; for a ratio's divisor, not 0; for a share's part, not over its whole (已报 not
    over A类集团数: validate rejects it as share-over); for the group of a cascade (with
    `rules`), one of the heads on their sheet."""
    t, spec = TEMPLATE[lang], part.fields[key]
    parts = [t[spec.type], t["required"] if spec.required else t["optional"]]
    if spec.unique:
        parts.append(t["unique"])
    if choices:
        parts.append(t["one_of"].format(values=" / ".join(choices)))
    heads = heads_of(rules, part) if rules is not None and key == part.group else None
    if heads:
        parts.append(t["one_of_heads"].format(header=heads[0].header_of(heads[1]),
                                              sheet=sheet_title(heads[0])))
    lo, hi = spec.bounds
    if lo is not None and hi is not None:
        parts.append(t["between"].format(lo=_show(lo, spec), hi=_show(hi, spec)))
    elif lo is not None:
        parts.append(t["atleast"].format(lo=_show(lo, spec)))
    elif hi is not None:
        parts.append(t["atmost"].format(hi=_show(hi, spec)))
    if key in divisors(part):
        parts.append(t["not_zero"])
    wholes = [i.denominator for i in part.items if isinstance(i, Ratio) and i.share
              and i.numerator == key]
    if wholes:
        parts.append(t["not_over"].format(header=part.header_of(wholes[0])))
    if spec.default is not None:
        shown = f"{spec.default:g}" if isinstance(spec.default, float) else spec.default
        parts.append(t["blank"].format(default=shown))
    return cli_message("join", lang).join(parts)


def tie_rules(d: Distribution, lang: str = "en") -> str:
    """The tie rule at each cut-off exactly as distribution applies it: a grade's own `ties`,
    else the distribution's (in cap mode people tied at a cap always move down together)."""
    if d.mode == "cap":
        return cli_message("show-ties-cap", lang)
    at: dict[str, str] = {}
    for table in d.tables().values():
        for upper, lower in itertools.pairwise(table):
            at.setdefault(f"{upper.grade}|{lower.grade}", upper.ties or d.ties)
    rules = set(at.values()) or {d.ties}

    def what(rule: str) -> str:
        return cli_message(f"show-ties-{rule}", lang)

    if len(rules) == 1:
        rule = rules.pop()
        return cli_message("show-ties-one", lang, rule=rule, what=what(rule))
    each = cli_message("join", lang).join(cli_message("show-tie-at", lang, cut=cut, rule=rule,
                                                      what=what(rule)) for cut, rule in at.items())
    return cli_message("show-ties-each", lang, each=each)
