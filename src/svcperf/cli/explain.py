"""`svcperf explain SHEET ID`: one person's whole derivation, as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from svcperf.cli.contract import (
    LANG_CHOICES,
    choice,
    complete_lang,
    complete_rules,
    fail,
    message_lang,
    month_option,
    month_parts,
    named,
    named_path,
    said,
)
from svcperf.months import BadInput
from svcperf.text import printable


def explain(
    sheet: Annotated[Path, typer.Argument(
        parser=named_path, metavar="SHEET", help="The score sheet the person is on.",
        show_default=False)],
    person: Annotated[str, typer.Argument(metavar="ID", help="The person's id (or a name only "
                                          "one row has).", show_default=False)],
    rules: Annotated[str | None, typer.Option(
        "--rules", "-r", parser=named, metavar="RULES", autocompletion=complete_rules,
        help="Rule file, or the name of a shipped rule set. Default: chosen as for rank.")
    ] = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMAT", callback=choice("text", "json"),
        help="text (for people) or json (the same as data).")] = "text",
    month: Annotated[str | None, typer.Option(
        "--month", metavar="YYYY-MM", callback=month_option,
        help="The sheet's month (2026-09), whose targets rule sets with monthly targets use; "
        "a bare 9 (or 09) names the target month alone.")] = None,
    lang: Annotated[str, typer.Option(
        "--lang", metavar="LANG", autocompletion=complete_lang,
        callback=choice(*LANG_CHOICES, allow_blank=True), show_default=False,
        help="en or zh. Default: the rule set's language, as its result workbook.")] = "",
    skip_hidden: Annotated[bool, typer.Option(
        "--skip-hidden", metavar="", help="Leave hidden rows and sheets out, as rank --skip-hidden does.")
    ] = False,
    adjust: Annotated[Path | None, typer.Option(
        "--adjust", metavar="FILE", parser=named_path,
        help="The adjustments file the result was ranked with (rank --adjust): the person "
        "as adjusted.")] = None,
) -> None:
    """Explain one person's result, step by step.

    Every item (value, target, shortfall, points), deductions and limits, the
    rounding, the band, the quota table and why it was chosen, the counts and
    cut-offs, the grade and why, the ranks, the move and the incentive. The
    words are the Results sheet's own. --format json gives the same as data:
    the canonical keys of the CSV (score, band_grade, grade, rank, group_rank,
    incentive_pct, ...) plus items and steps.

    Exit 0: explained; 1: the person's row was rejected (the reasons are
    shown); 2: no such person, or the sheet or the rule set could not be used.

    Example:

    \b
        svcperf explain examples/account-manager-levels.xlsx W01
        svcperf explain march.xlsx E0105 --format json
    """
    from svcperf.api import explain_person
    from svcperf.issues import FileError
    from svcperf.rules.load import RulesError

    try:
        target = month_parts(month)[0]
        doc = explain_person(sheet, person, rules, {"month": target} if target else None,
                             lang or None, skip_hidden, adjust)
    except RulesError as ex:
        raise fail("; ".join(ex.said(message_lang()))) from None
    except (FileError, BadInput) as ex:
        raise fail(said(ex)) from None
    if output_format == "json":
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        _print(doc)
    raise typer.Exit(1 if doc["status"] == "rejected" else 0)


def _print(doc: dict[str, Any]) -> None:
    from rich.console import Console

    from svcperf.i18n import LABELS, REASONS, cli_message

    words, labels = REASONS[doc["lang"]], LABELS[doc["lang"]]
    console = Console(highlight=False, soft_wrap=True)
    ident = doc["person"] or doc["row"]
    name = doc.get("name") or ident
    # every text here may come from the sheet (a name, an id, a sheet's name, a label grade)
    console.print(printable(words["title"].format(name=name, id=ident, sheet=doc["sheet"])),
                  markup=False)
    shown = [(labels[k], doc[k]) for k in ("score", "band_grade", "grade", "coefficient", "rank",
                                           "group_rank", "incentive_pct", "movement")
             if doc.get(k) is not None]
    if shown:  # 激励比例 -3%, not 激励比例% -3
        console.print(printable(" · ".join(
            f"{k.rstrip('%').rstrip()} {v:+g}%" if k == labels["incentive_pct"]
            and isinstance(v, int | float) else f"{k} {v}" for k, v in shown)), markup=False)
    for note in doc.get("notes", []):
        console.print(printable(f"({note})"), markup=False)
    console.print(cli_message("heading", doc["lang"], label=words["steps"]), markup=False)
    for n, step in enumerate(doc["steps"], start=1):
        console.print(f"  {n}. {printable(step['text'])}", markup=False)
