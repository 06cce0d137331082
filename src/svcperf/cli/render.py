"""Rich rendering of a run and of a validation report for the terminal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from rich.markup import escape as _markup_escape
from rich.table import Table

from svcperf.i18n import BOOK, ROW_KINDS, cli_message
from svcperf.issues import Report, Severity
from svcperf.results import RunResult
from svcperf.text import one_line, printable


def escape(text: str) -> str:
    """Text from a sheet or a file name as rich shows it: no markup, no terminal control."""
    return _markup_escape(printable(text))

_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTICE: "dim"}


def print_run(console: Any, run: RunResult, written: Path | None, how: str, dry_run: bool,
              quiet: bool) -> None:
    """Rows read / ranked / rejected, grade counts, distribution per group, where output went,
    in the run's language."""
    if quiet:
        return
    lang = run.lang

    def say(key: str, **values: object) -> str:
        return cli_message(key, lang, **values)

    console.print(say("run-head", file=f"[bold]{escape(str(run.input))}[/]",
                      name=f"[bold]{escape(run.rules.name)}[/]", how=escape(how)))
    sheets = {p.part.key: p.table.sheet for p in run.parts}
    for p in run.parts:
        rows = list(dict.fromkeys(p.table.source_header_rows)) or [p.table.header_row]
        where = escape(say("part-where", sheet=p.table.sheet,
                           row=say("sep").join(map(str, rows))))  # merged: each its own
        rejected = say("part-rejected", n=len(p.rejected))
        counts = [say("part-read", n=p.rows_in + p.left_out),
                  f"[green]{say('part-ranked', n=len(p.results))}[/]",
                  f"[red]{rejected}[/]" if len(p.rejected) else rejected]
        if p.left_out:
            counts.append(say("part-left-out", n=p.left_out))
        console.print("  " + say("part-line", where=where, counts=say("sep").join(counts)))
        for issue in p.issues:
            if issue.code in ("sheet-skipped", "non-person-rows", "month-mismatch"):
                whose = f"{Path(issue.file).name}: " if issue.file and \
                    Path(issue.file) != Path(run.input) else ""
                console.print(f"  {escape(whose + issue.message)}")  # whose: files combined
        grades = Counter(g for g in p.results["grade"] if g is not None)
        if grades:
            order = [g for g in p.part.grade_order if g in grades]
            console.print("  " + say("grades", counts=say("list").join(
                say("grade-count", grade=g, n=grades[g]) for g in order)), markup=False)
        if p.groups and (dry_run or len(p.groups) <= 12):
            console.print(_groups_table(p, lang, sheets))
        for reasons in p.rejected.get("reasons", [])[:5]:
            console.print(f"  [red]{say('rejected')}[/] {escape(str(reasons))}")
        if len(p.rejected) > 5:
            console.print("  " + say("more-rejected", n=len(p.rejected) - 5,
                                     sheet=BOOK[lang]["rejected"]), markup=False)
    for severity, key in ((Severity.WARNING, "warnings"), (Severity.NOTICE, "notices")):
        codes = Counter(i.code for i in run.issues if i.severity == severity)
        if codes:
            console.print("  " + say(key, codes=say("sep").join(
                f"{c} ×{n}" for c, n in codes.most_common())), markup=False)
    if written:
        console.print("  " + say("written", path=f"[bold]{escape(str(written))}[/]"))
    elif dry_run:
        console.print("  " + say("dry-run"))


def _groups_table(p: Any, lang: str, sheets: dict[str, str]) -> Table:
    """Each group's head count, quota table, actual/quota per grade and notice."""
    def say(key: str, **values: object) -> str:
        return cli_message(key, lang, **values)

    grades = p.part.grade_order
    d = p.part.distribution
    scope = d.scope if d else "all"
    title = say("dist-group", group=p.part.group, header=p.table.headers.get(p.part.group,
                                                                             p.part.group)) \
        if scope == "group" else say("dist-all")
    table = Table(title=escape(title), title_justify="left", caption=say("dist-caption"),
                  caption_justify="left")
    for name in ["group", "n", "table"]:
        table.add_column(say(f"dist-col-{name}"), justify="right" if name == "n" else "left")
    for grade in grades:
        table.add_column(escape(grade), justify="right")
    table.add_column(say("dist-col-notice"))
    for g in p.groups:
        cells = [f"{g.actual.get(x, 0)}/{g.quota[x]}" if x in g.quota else str(g.actual.get(x, 0))
                 for x in grades]
        notice = say("join").join(x for x in (_small(g, d, lang), g.calibrated) if x)
        group = say("dist-everyone") if scope != "group" and g.group == "all" else g.group
        table.add_row(escape(group), str(g.size), escape(_quota_table(g, d, lang, sheets)), *cells,
                      escape(notice))
    return table


def _quota_table(g: Any, d: Any, lang: str, sheets: dict[str, str]) -> str:
    """Which quota table a group used: the rule set's, its head row's grade's, or none."""
    if d is None or d.cascade is None:
        return cli_message("dist-quotas", lang) if g.table == "quotas" else g.table
    shown = sheets.get(d.cascade.sheet, d.cascade.sheet)
    if g.mode == "rejected":
        return cli_message("dist-no-head", lang, shown=shown)
    if g.head is not None:
        return cli_message("dist-cascade", lang, sheet=d.cascade.sheet, shown=shown, grade=g.head)
    return str(g.table)


def _small(g: Any, d: Any, lang: str) -> str | None:
    """A group smaller than the rule set's minimum: what was done instead."""
    if g.notice is None or d is None:
        return g.notice
    key = {"bands": "dist-small-bands", "cap": "dist-small-cap"}.get(g.mode, "dist-small-exact")
    return cli_message(key, lang, n=d.min_group_size)


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


def print_report(console: Any, report: Report, max_issues: int, lang: str = "en") -> None:
    """A table of issues per file, errors first (at most max_issues each, errors counted first),
    a verdict line per file, and a total line over several files, in `lang`. A file that cannot
    be used at all is one error line on stderr."""
    from svcperf.cli.contract import say_error

    def say(key: str, **values: object) -> str:
        return cli_message(key, lang, **values)

    def counts(of: dict[str, Any], left_out: int = 0) -> str:
        shown = [_count(of.get(k, 0), k.rstrip("s"), lang)
                 for k in ("rows", "errors", "warnings", "notices")]
        if left_out:  # the rows rank counts as read but that are not people (a totals row)
            shown[0] += say("rows-left-out", n=left_out)
        return say("list").join(shown)

    by_file: dict[str, list[Any]] = {}
    for issue in report.issues:
        by_file.setdefault(issue.file or "", []).append(issue)
    per_file = report.stats.get("per_file", [])
    for entry in per_file:
        issues = sorted(by_file.get(entry["file"], []), key=lambda i: _ORDER[i.severity])
        if len(issues) == 1 and issues[0].code == "unreadable-file":
            say_error(issues[0].message)
            continue
        if issues:
            table = Table(title=escape(one_line(entry["file"])), title_justify="left",
                          show_lines=False)
            for name in ("severity", "sheet", "cell", "header", "value", "code", "message"):
                table.add_column(say(f"col-{name}"), overflow="fold",
                                 no_wrap=name in ("severity", "cell", "code"))
            for i in issues[:max_issues]:
                style = _STYLE[i.severity]
                table.add_row(f"[{style}]{say(f'severity-{i.severity.value}')}[/]",
                              *(escape(x or "") for x in (i.sheet, i.cell, i.header,
                                                          _value(i, lang))),
                              f"[{style}]{i.code}[/]", escape(i.message))
            if max_issues:
                console.print(table)
            hidden = issues[max_issues:]
            if hidden:
                kinds = Counter(i.severity for i in hidden)
                what = say("list").join(_count(kinds[s], s.value, lang) for s in _ORDER if kinds[s])
                console.print(say("more-issues", n=len(hidden), what=what), markup=False)
        verdict = _verdict(entry)
        shown = f"[{'green' if verdict == 'valid' else 'red'}]{say(f'verdict-{verdict}')}[/]"
        rules = say("verdict-rules", name=escape(entry["rule_set"])) if entry.get("rule_set") else ""
        left_out = sum(len(i.rows or []) for i in issues if i.code == "non-person-rows")
        console.print(say("verdict", file=escape(one_line(entry["file"])), verdict=shown,
                          counts=counts(entry, left_out), rules=rules))
    if len(per_file) > 1:
        verdicts = Counter(_verdict(e) for e in per_file)
        console.print(say("total", files=len(per_file), verdicts=say("list").join(
            say("total-verdict", n=verdicts[v], verdict=say(f"verdict-{v}"))
            for v in ("valid", "invalid", "unusable") if verdicts[v]),
            counts=counts(report.stats)), markup=False)


def _value(issue: Any, lang: str) -> str | None:
    """The value column: the cell's value; for rows left out, their kind (in Chinese, in words)."""
    if issue.code == "non-person-rows" and lang == "zh":
        return ROW_KINDS["zh"].get(issue.value or "", issue.value)
    return issue.value


def _verdict(entry: dict[str, Any]) -> str:
    """valid, invalid, or unusable (a file that cannot be used: exit 2)."""
    return "valid" if entry["valid"] else "unusable" if entry["exit_code"] == 2 else "invalid"


def _count(n: int, word: str, lang: str = "en") -> str:
    """'1 error', '3 errors' (singular and plural in the catalogue)."""
    return cli_message(f"n-{word}" if n == 1 else f"n-{word}s", lang, n=n)


class BatchProgress:
    """A progress bar on a terminal; one plain line per finished file otherwise (CI, cron)."""

    def __init__(self, console: Any, total: int, quiet: bool, lang: str = "en") -> None:
        self.console, self.total, self.quiet, self.lang = console, total, quiet, lang
        self.bar: Any = None

    def __enter__(self) -> BatchProgress:
        if self.console.is_terminal and not self.quiet and self.total > 1:
            from rich.progress import Progress

            self.bar = Progress(console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(cli_message("batch-ranking", self.lang), total=self.total)
        return self

    def done(self, outcome: Any, count: int, total: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)
        elif not self.quiet and outcome.status != "failed":  # failures: on stderr at the end
            self.console.print(f"[{count}/{total}] {_outcome_line(outcome, self.lang)}",
                               markup=False)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _outcome_line(o: Any, lang: str) -> str:
    """One line per file, even in a log: file names may hold control characters and breaks."""
    return one_line(cli_message("batch-line", lang, file=o.file, status=_status(o.status, lang),
                       ranked=o.rows_ranked, rejected=o.rows_rejected, seconds=o.seconds,
                       output=o.output or cli_message("batch-nothing", lang)))


def _status(status: str, lang: str) -> str:
    return cli_message(f"batch-{status}", lang)


def print_batch(console: Any, outcomes: list[Any], quiet: bool, lang: str = "en") -> None:
    """Totals of a batch run (the files that failed are printed on stderr by the caller); the
    rows counted are those of the outputs there are (a failed file wrote none)."""
    if quiet:
        return
    counts = Counter(o.status for o in outcomes)
    written = [o for o in outcomes if o.status != "failed"]
    console.print(cli_message(
        "batch-totals", lang, files=_count(len(outcomes), "file", lang),
        counts=cli_message("batch-sep", lang).join(
            f"{counts[s]} {_status(s, lang)}" for s in ("ok", "rejected-rows", "up-to-date", "failed")
            if counts[s]),
        ranked=sum(o.rows_ranked for o in written),
        rejected=sum(o.rows_rejected for o in written)), markup=False)


def print_rules(console: Any, rules: Any, lang: str = "en") -> None:
    """A rule set as tables: fields, items, bands, distribution, incentives, parameters; the
    words around the rule file's own keys and values in `lang`."""
    from svcperf.rules.describe import choices_of, describe_field, tie_rules

    def say(what: str, **values: Any) -> str:
        return cli_message(f"show-{what}", lang, **values)

    sep = cli_message("sep", lang)
    console.print(f"[bold]{escape(rules.name)}[/] {escape(rules.title or '')}"
                  + escape(say("precision", precision=rules.precision)))
    for name, param in rules.params.items():
        values = ", ".join(f"{k} → {v:g}" for k, v in param.values.items())
        console.print(f"  --{name}: {values}", markup=False)
    for part in rules.parts:
        if len(rules.parts) > 1:
            sheets = " / ".join(part.sheet) or say("any-sheet")
            console.print(f"\n[bold]{escape(say('sheet', name=part.key))}[/]"
                          + escape(say("sheet-of", sheets=sheets)))
        fields = Table(say("field"), say("headers"), say("what"), title=say("fields"),
                       title_justify="left")
        choices = choices_of(part)
        for key, spec in part.fields.items():
            mark = say("id") if key == part.id else say("group") if key == part.group else ""
            fields.add_row(escape(key + mark), escape(" / ".join(spec.header)),
                           escape(describe_field(part, key, choices.get(key), lang, rules)))
        console.print(_folded(fields))
        if part.items:
            items = Table(say("item"), say("kind"), say("rule"), title=say("items"),
                          title_justify="left")
            for item in part.items:
                items.add_row(escape(f"{item.key} {item.label or ''}"), item.kind,
                              escape(describe_item(item, lang)))
            console.print(_folded(items))
        limits = [say("min", n=f"{part.score.min:g}") if part.score.min is not None else "",
                  say("max", n=f"{part.score.max:g}") if part.score.max is not None else ""]
        shown = sep.join(x for x in limits if x)
        console.print(say("score", score=part.score.formula or say("sum"),
                          limits=say("limits", limits=shown) if shown else ""), markup=False)
        if part.bands:
            bands = Table(say("grade"), say("cutoff"), say("coefficient"), title=say("bands"),
                          title_justify="left")
            for b in part.bands:
                bands.add_row(escape(f"{b.grade} {b.label or ''}"),
                              say("otherwise") if b.cutoff is None else str(b.cutoff),
                              "" if b.coefficient is None else f"{b.coefficient:g}")
            console.print(_folded(bands))
        d = part.distribution
        if d:
            cascade = say("cascade", sheet=d.cascade.sheet, field=d.cascade.key) if d.cascade else ""
            console.print(say("distribution", scope=d.scope, method=d.method, mode=d.mode,
                              ties=tie_rules(d, lang), min=d.min_group_size, small=d.small_groups,
                              cascade=cascade), markup=False)
            grades = part.grade_order
            quotas = Table(say("table"), *grades, title=say("quotas"), title_justify="left")
            for name, table in d.tables().items():
                share = {q.grade: (say("rest") if q.share is None else f"{q.share:.0%}")
                         + (f" {q.round}" if q.round else "") for q in table}
                quotas.add_row(escape(name or say("all")), *(escape(share.get(g, "")) for g in grades))
            console.print(_folded(quotas))
        if part.incentives:
            i = part.incentives
            console.print(say("incentives", by=i.by, top=sep.join(f"{x:+g}%" for x in i.top),
                              bottom=sep.join(f"{x:+g}%" for x in i.bottom)), markup=False)
        if part.pay:
            made = ([say("pay-coefficient")] if part.coefficients() else []) + \
                ([say("pay-incentive")] if part.incentives else [])
            console.print(say("pay", header=part.header_of(part.pay.field), field=part.pay.field,
                              made=cli_message("join", lang).join(made)), markup=False)
        if part.rollup:
            r = part.rollup
            console.print(say("rollup", composite=say(f"composite-{r.composite}"),
                              missing=say(f"missing-{r.missing}")), markup=False)
            for c in r.eligibility:
                test = say("grade-is", grades=say("or").join(c.grade)) if c.grade else \
                    f"{c.agg}({c.field})" + "".join(
                        f" {op} {v:g}" if isinstance(v, float) else f" {op} {v}"
                        for op, v in (("=", c.equals), ("≥", c.min), ("≤", c.max))
                        if v is not None)
                console.print(say("eligible", test=test, reason=c.reason), markup=False)
            if r.points:
                console.print(say("points", points=sep.join(f"{g} {p:g}" for g, p in r.points.items())),
                              markup=False)
            for st in r.streaks:
                console.print(say("streak", months=st.months, grade=st.grade, label=st.label),
                              markup=False)


def _folded(table: Table) -> Table:
    """Long text (Chinese headers, rules in words) folds onto more lines, never cut with "…"."""
    for column in table.columns:
        column.overflow = "fold"
    return table


def describe_item(item: Any, lang: str = "en") -> str:
    """One scoring item in words, as a scheme owner would check it."""
    from svcperf.rules.model import (
        FormulaItem,
        Incident,
        Levels,
        Raters,
        Ratio,
        TargetDeduction,
        Weighted,
    )

    def say(what: str, **values: Any) -> str:
        return cli_message(f"item-{what}", lang, **values)

    sep = cli_message("sep", lang)
    if isinstance(item, Weighted):
        return " + ".join(f"{w:.0%} × {f}" for f, w in item.weights.items())
    if isinstance(item, TargetDeduction):
        target = f"{item.target:.0%}" if isinstance(item.target, float) else \
            say("target-by", by=item.target.by, table=sep.join(
                f"{k} {v:.0%}" for k, v in item.target.table.items()))
        return say("target", points=f"{item.points:g}", field=item.field, target=target,
                   per=f"{item.deduct_per_point:g}")
    if isinstance(item, Incident):
        cap = say("cap", cap=f"{item.cap:g}") if item.cap is not None else ""
        return say("incident", points=f"{item.points_each:g}", field=item.field, cap=cap)
    if isinstance(item, Raters):
        return say("raters", fields=sep.join(item.fields))
    if isinstance(item, Ratio):
        zero = say("rejected") if item.on_zero == "reject" else f"{item.on_zero:g}"
        return say("ratio", num=item.numerator, den=item.denominator, scale=f"{item.scale:g}",
                   zero=zero)
    if isinstance(item, Levels):
        return say("levels", n=len(item.fields),
                   map=sep.join(f"{k} → {v:g}" for k, v in item.map.items()))
    assert isinstance(item, FormulaItem)
    return item.formula
