"""The blank sheet a branch fills in: exact headers, drop-downs and ranges, hints, instructions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from svcperf.i18n import TEMPLATE
from svcperf.io.files import atomic_path
from svcperf.io.xlsx import new_workbook
from svcperf.rules.describe import choices_of, describe_field
from svcperf.rules.model import FieldSpec, RuleSet, SheetRules


def _validation(spec: FieldSpec, choices: list[str] | None, lists: Any,
                list_col: list[int]) -> dict[str, Any] | None:
    """XlsxWriter data validation matching what `svcperf validate` accepts."""
    if spec.type == "yesno":
        choices = ["是", "否"]
    if choices:
        if sum(len(c) + 1 for c in choices) <= 250:
            return {"validate": "list", "source": choices}
        col = list_col[0]  # long lists go to a hidden sheet: Excel caps inline lists at 255
        list_col[0] += 1
        for r, value in enumerate(choices):
            lists.write_string(r, col, value)
        letter = chr(65 + col)
        return {"validate": "list", "source": f"=Lists!${letter}$1:${letter}${len(choices)}"}
    if spec.numeric:
        lo, hi = spec.bounds
        lo, hi = -1e15 if lo is None else lo, 1e15 if hi is None else hi
        kind = "integer" if spec.type == "integer" else "decimal"
        return {"validate": kind, "criteria": "between", "minimum": lo, "maximum": hi}
    return None


def _part_sheet(wb: Any, part: SheetRules, lang: str, rows: int, lists: Any,
                list_col: list[int], many: bool) -> None:
    name = (part.sheet[0] if part.sheet else (part.key if many else "Sheet1"))[:31]
    ws = wb.add_worksheet(name)
    head = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    required = wb.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1, "text_wrap": True})
    pct = wb.add_format({"num_format": "0.00%"})
    choices = choices_of(part)
    for c, (key, spec) in enumerate(part.fields.items()):
        header = spec.header[0]
        ws.write_string(0, c, header, required if spec.required else head)
        ws.set_column(c, c, max(10, min(30, 2 * len(header) + 2)),
                      pct if spec.type == "percent" else None)
        hint = describe_field(spec, choices.get(key), lang)
        ws.data_validation(0, c, 0, c, {"validate": "any", "input_title": header[:32],
                                        "input_message": hint[:255]})
        rule = _validation(spec, choices.get(key), lists, list_col)
        if rule:
            rule.update({"input_title": header[:32], "input_message": hint[:255],
                         "error_title": header[:32], "error_message": hint[:255]})
            ws.data_validation(1, c, rows, c, rule)
    ws.freeze_panes(1, 0)


def write_template(rules: RuleSet, out: Path, rows: int = 1000) -> Path:
    """Write the blank submission workbook for a rule set (atomically)."""
    lang = rules.language
    t = TEMPLATE[lang]
    with atomic_path(out) as tmp:
        wb = new_workbook(tmp)
        lists = None
        many = len(rules.parts) > 1
        list_col = [0]
        for part in rules.parts:
            if lists is None and any(len(v) > 20 for v in choices_of(part).values()):
                lists = wb.add_worksheet("Lists")
            _part_sheet(wb, part, lang, rows, lists, list_col, many)
        info = wb.add_worksheet(t["instructions"])
        bold = wb.add_format({"bold": True})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        info.set_column(0, 0, 24)
        info.set_column(1, 1, 90, wrap)
        info.write_string(0, 0, rules.title or rules.name, wb.add_format({"bold": True,
                                                                          "font_size": 14}))
        info.write_string(1, 0, t["lead"].format(name=rules.name), wrap)
        r = 3
        for part in rules.parts:
            choices = choices_of(part)
            if many:
                info.write_string(r, 0, part.sheet[0] if part.sheet else part.key, bold)
                r += 1
            info.write_row(r, 0, [t["column"], t["what"]], bold)
            r += 1
            for key, spec in part.fields.items():
                info.write_string(r, 0, spec.header[0])
                info.write_string(r, 1, describe_field(spec, choices.get(key), lang))
                r += 1
            r += 1
        if lists is not None:
            lists.hide()
        wb.close()
    return out
