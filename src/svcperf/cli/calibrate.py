"""Calibration on the command line: `rank --adjust`, `template --adjust` and `diff OLD NEW`.

The commands are declared in `app` (one option each, or one short command); what they do beyond
parsing is here, so `app` stays a list of commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from svcperf.cli.render import escape, print_run
from svcperf.i18n import LABELS, cli_message


def rank_adjusted(book: Any, rules: str | None, adjust: Path, params: dict[str, str], lang: str,
                  period: str | None, skip_hidden: bool) -> tuple[Any, Any, Any]:
    """(adjusted run, run without adjustments, chosen rule set) of one sheet."""
    from svcperf.api import choose_rules, open_sheet
    from svcperf.api import rank_adjusted as rank

    book = open_sheet(book, lang)
    chosen = choose_rules(book, rules, lang)
    after, before = rank(book, chosen.rules, adjust, chosen.source, params, lang, period,
                         skip_hidden)
    return after, before, chosen


def print_adjusted(console: Any, run: Any, before: Any, written: Path | None, how: str,
                   dry_run: bool, quiet: bool) -> None:
    """The run as usual (with --dry-run: the head counts before, then after), then each
    adjustment with its effect and each knock-on."""
    if quiet:
        return
    from svcperf.i18n import LABELS, cli_message

    lang = run.lang

    def say(key: str, **values: object) -> str:
        return cli_message(key, lang, **values)

    if dry_run:
        console.print(f"[bold]{say('adjust-before')}[/]")
        print_run(console, before, None, how, dry_run=True, quiet=False)
        console.print(f"[bold]{say('adjust-after')}[/]")
    print_run(console, run, written, how, dry_run=dry_run, quiet=False)
    cal = run.calibration
    console.print("  " + say("adjust-applied", n=len(cal.adjustments), file=escape(cal.file),
                             sha=cal.sha256[:12], knock_ons=len(cal.knock_ons)))
    for a in cal.adjustments:
        console.print("    " + say("adjust-line", id=escape(a.id), header=escape(a.header),
                                   before=escape(a.before), after=escape(a.shown),
                                   approver=escape(a.approved_by), effect=escape(a.effect or "-")))
    for k in cal.knock_ons[:20]:
        console.print("    " + say("adjust-knock-on", id=escape(k.id), name=escape(k.name),
                                   reason=escape(k.reason)))
    if len(cal.knock_ons) > 20:
        console.print("    " + say("adjust-more", n=len(cal.knock_ons) - 20,
                                    sheet=LABELS[lang]["adjustments"]),
                      markup=False)


def write_template(rules: Any, out: Path) -> Path:
    from svcperf.io.adjustments import write_adjustments_template

    return write_adjustments_template(rules, out)


def run_diff(old: Path, new: Path, rules: str | None, output_format: str, out: Path | None,
             lang: str, console: Any) -> int:
    """Compare two ranked results; print a table or JSON, write a workbook with -o.

    0 when nothing changed, 1 when something did."""
    from svcperf.core.diff import diff_results, is_empty
    from svcperf.io.ranked import read_result, write_diff

    earlier, later = read_result(old, rules), read_result(new, rules)
    diff = diff_results(earlier.rows, later.rows)
    if out is not None:  # a workbook in its rule set's language, as its reasons are
        write_diff(diff, out, later.rules.language)
    if output_format == "json":
        sys.stdout.write(json.dumps(diff, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        _print_diff(console, diff, old, new, out, lang)
    return 0 if is_empty(diff) else 1


def _print_diff(console: Any, diff: dict[str, Any], old: Path, new: Path,
                out: Path | None, lang: str) -> None:
    from rich.table import Table

    labels = LABELS[lang]
    console.print(escape(cli_message("diff-summary", lang, earlier=old, later=new,
                                     **diff["summary"])))
    if diff["added"] or diff["removed"]:
        for kind in ("added", "removed"):
            for r in diff[kind]:
                console.print(f"  {labels[kind]} {escape(_who(r))}")
    if diff["changed"]:
        table = Table(title_justify="left")
        for name in ("id", "name", "changes", "reason"):
            table.add_column(labels[name], overflow="fold")
        for r in diff["changed"]:
            changes = ", ".join(f"{labels.get(k, k)} {_show(o)} → {_show(n)}"
                                for k, (o, n) in r["changes"].items())
            table.add_row(escape(_who(r, name=False)), escape(str(r.get("name") or "")),
                          escape(changes), escape(str(r.get("reason") or "")))
        console.print(table)
    if out is not None:
        console.print("  " + escape(cli_message("written", lang, path=out)))


def _who(r: dict[str, Any], name: bool = True) -> str:
    parts = [str(r[k]) for k in ("sheet", "id") if r.get(k)]
    if name and r.get("name"):
        parts.append(str(r["name"]))
    return " ".join(parts)


def _show(value: Any) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
