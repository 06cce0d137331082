"""A rule sheet described for people: the labels each field allows, what to enter in a column."""

from __future__ import annotations

from svcperf.i18n import TEMPLATE
from svcperf.rules.model import FieldSpec, Levels, SheetRules


def choices_of(part: SheetRules) -> dict[str, list[str]]:
    """Allowed labels per field: declared ones, or the labels a levels item maps."""
    out = {k: list(s.allowed) for k, s in part.fields.items() if s.allowed}
    for item in part.items:
        if isinstance(item, Levels):
            for f in item.fields:
                out.setdefault(f, list(item.map))
    return out


def _show(value: float, spec: FieldSpec) -> str:
    return f"{value:.0%}" if spec.type == "percent" else f"{value:g}"


def describe_field(spec: FieldSpec, choices: list[str] | None, lang: str) -> str:
    """What to enter in a column, in one line: type, required, allowed values, range, default."""
    t = TEMPLATE[lang]
    parts = [t[spec.type], t["required"] if spec.required else t["optional"]]
    if spec.unique:
        parts.append(t["unique"])
    if choices:
        parts.append(t["one_of"].format(values=" / ".join(choices)))
    lo, hi = spec.bounds
    if lo is not None and hi is not None:
        parts.append(t["between"].format(lo=_show(lo, spec), hi=_show(hi, spec)))
    elif lo is not None:
        parts.append(t["atleast"].format(lo=_show(lo, spec)))
    elif hi is not None:
        parts.append(t["atmost"].format(hi=_show(hi, spec)))
    if spec.default is not None:
        shown = f"{spec.default:g}" if isinstance(spec.default, float) else spec.default
        parts.append(t["blank"].format(default=shown))
    return "; ".join(parts)
