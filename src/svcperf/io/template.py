"""The blank sheet a branch fills in: exact headers, drop-downs and ranges, hints, instructions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from svcperf.i18n import TEMPLATE
from svcperf.io.files import atomic_path
from svcperf.io.xlsx import new_workbook
from svcperf.rules.describe import choices_of, describe_field, divisors, heads_of, sheet_title
from svcperf.rules.model import FieldSpec, RuleSet, SheetRules


def _inline(choices: list[str]) -> bool:
    """Whether a drop-down can list these values inline: Excel caps an inline list at 255
    characters and cuts it at every comma (a quote would end it), so 'a,b' stays one option
    only on the hidden list sheet."""
    return sum(len(c) + 1 for c in choices) <= 250 and not any("," in c or '"' in c
                                                             for c in choices)


def _validation(spec: FieldSpec, choices: list[str] | None, lists: list[list[str]],
                divisor: bool = False) -> dict[str, Any] | None:
    """XlsxWriter data validation matching what `svcperf validate` accepts (a ratio's divisor:
    not 0)."""
    if spec.type == "yesno":
        choices = ["是", "否"]
    if choices:
        if _inline(choices):
            return {"validate": "list", "source": choices}
        lists.append(choices)  # other lists go to the hidden sheet, a value to a cell
        letter = xl_col_to_name(len(lists) - 1)
        return {"validate": "list", "source": f"=Lists!${letter}$1:${letter}${len(choices)}"}
    if spec.numeric:
        lo, hi = spec.bounds
        lo, hi = -1e15 if lo is None else lo, 1e15 if hi is None else hi
        kind = "integer" if spec.type == "integer" else "decimal"
        if divisor and lo >= 0:  # the smallest value above 0 the cell can take
            lo = max(lo, 1 if kind == "integer" else 1e-9)
        return {"validate": kind, "criteria": "between", "minimum": lo, "maximum": hi}
    return None


def _heads_list(rules: RuleSet, part: SheetRules, rows: int) -> dict[str, Any] | None:
    """The drop-down of a cascade's group column: the heads' column on their sheet (员工 分公司
    from 主管 分公司), since a group with no head row is rejected. A warning, not a stop: a
    clerk who fills 员工 before 主管 may type a branch and is told it is not there yet."""
    heads = heads_of(rules, part)
    if heads is None:
        return None
    col = xl_col_to_name(list(heads[0].fields).index(heads[1]))
    sheet = sheet_title(heads[0]).replace("'", "''")
    return {"validate": "list", "source": f"='{sheet}'!${col}$2:${col}${rows + 1}",
            "error_type": "warning"}


def _part_sheet(wb: Any, rules: RuleSet, part: SheetRules, rows: int,
                lists: list[list[str]]) -> None:
    lang = rules.language
    ws = wb.add_worksheet(sheet_title(part) if len(rules.parts) > 1 else
                          (part.sheet[0] if part.sheet else "Sheet1")[:31])
    head = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    required = wb.add_format({"bold": True, "bg_color": "#F8CBAD", "border": 1, "text_wrap": True})
    pct = wb.add_format({"num_format": "0.00%"})
    choices = choices_of(part)
    for c, (key, spec) in enumerate(part.fields.items()):
        header = spec.header[0]
        ws.write_string(0, c, header, required if spec.required else head)
        ws.set_column(c, c, max(10, min(30, 2 * len(header) + 2)),
                      pct if spec.type == "percent" else None)
        hint = describe_field(part, key, choices.get(key), lang, rules)
        ws.data_validation(0, c, 0, c, {"validate": "any", "input_title": header[:32],
                                        "input_message": hint[:255]})
        rule = (_heads_list(rules, part, rows) if key == part.group else None) or \
            _validation(spec, choices.get(key), lists, key in divisors(part))
        if rule:
            rule.update({"input_title": header[:32], "input_message": hint[:255],
                         "error_title": header[:32], "error_message": hint[:255]})
            ws.data_validation(1, c, rows, c, rule)
    ws.freeze_panes(1, 0)


def instructions_sheet(wb: Any, rules: RuleSet, lead: str) -> tuple[Any, Any]:
    """A template's instructions sheet, titled with the rule set's title, its lead paragraph
    across both columns, printed one page wide; and the bold format of its headings."""
    info = wb.add_worksheet(TEMPLATE[rules.language]["instructions"])
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    info.set_column(0, 0, 24)
    info.set_column(1, 1, 90, wrap)
    info.write_string(0, 0, rules.title or rules.name, wb.add_format({"bold": True,
                                                                      "font_size": 14}))
    info.merge_range(1, 0, 1, 1, lead, wrap)
    info.set_row(1, 64)
    info.fit_to_pages(1, 0)
    return info, bold


def write_template(rules: RuleSet, out: Path, rows: int = 1000) -> Path:
    """Write the blank submission workbook for a rule set (atomically)."""
    lang = rules.language
    t = TEMPLATE[lang]
    with atomic_path(out) as tmp:
        wb = new_workbook(tmp)
        lists: list[list[str]] = []  # the drop-downs that are not inline, a column each
        many = len(rules.parts) > 1
        for part in rules.parts:
            _part_sheet(wb, rules, part, rows, lists)
        info, bold = instructions_sheet(wb, rules, t["lead"].format(name=rules.name))
        r = 3
        for part in rules.parts:
            choices = choices_of(part)
            if many:
                info.write_string(r, 0, sheet_title(part), bold)
                r += 1
            info.write_row(r, 0, [t["column"], t["what"]], bold)
            r += 1
            for key, spec in part.fields.items():
                info.write_string(r, 0, spec.header[0])
                info.write_string(r, 1, describe_field(part, key, choices.get(key), lang, rules))
                r += 1
            r += 1
        if lists:  # after the sheets a branch fills in, hidden
            sheet = wb.add_worksheet("Lists")
            for col, values in enumerate(lists):
                for r, value in enumerate(values):
                    sheet.write_string(r, col, value)
            sheet.hide()
        wb.close()
    return out
