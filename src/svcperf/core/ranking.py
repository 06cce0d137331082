"""One rule sheet from checked rows to ranked results: score, grade, distribute, rank (pure)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from svcperf.core.distribute import distribute
from svcperf.core.grade import band_grades, coefficients, cutoff_value, movements
from svcperf.core.pay import add_pay
from svcperf.core.rank import incentives, min_ranks, sort_keys
from svcperf.core.reasons import head_reason, incentive_reason, movement_reasons, row_reasons
from svcperf.core.score import score
from svcperf.core.validate import Checked, head_issue, rejected_heads
from svcperf.i18n import row_of
from svcperf.issues import Issue, Severity, make_issue
from svcperf.results import ROW, WHY, GroupResult, PartResult, Table
from svcperf.rules.model import Ratio, RuleSet, SheetRules
from svcperf.text import column_letter, fold


def rank_part(part: SheetRules, table: Table, checked: Checked, rules: RuleSet,
              params: dict[str, float], done: list[PartResult], lang: str,
              words: str | None = None) -> PartResult:
    """Score, grade, distribute and rank one rule sheet's checked rows. `lang` is the
    messages' language; `words` the reasons' (default: the rule set's, as its workbook)."""
    words = words or rules.language
    issues = checked.issues
    rejected: dict[int, list[Issue]] = dict(checked.rejected)
    frame = checked.frame[~checked.frame[ROW].isin(list(rejected))]

    def reject(idx_list: list[Any], code: str, key: str, **extra: Any) -> None:
        for idx in idx_list:
            r = int(frame.at[idx, ROW])  # type: ignore[arg-type]
            col = table.columns.get(key)
            value = frame.at[idx, key]
            issue = make_issue(code, lang, file=table.file, sheet=table.sheet, row=r, field=key,
                               header=table.headers.get(key, key),
                               cell=f"{column_letter(col)}{r}" if col is not None else None,
                               value=None if _blank(value) else value, extra=extra)
            issues.append(issue)
            rejected.setdefault(r, []).append(issue)

    scored, problems = score(frame, part, rules.precision)
    shares = {i.numerator: i.denominator for i in part.items if isinstance(i, Ratio) and i.share}
    for idx, key, code in problems:
        if code == "share-over":  # 已报 6 of A类集团数 5: says both
            whole = shares[key]
            reject([idx], code, key, other=table.headers.get(whole, whole),
                   total=f"{float(frame.at[idx, whole]):.10g}")  # type: ignore[arg-type]
        else:
            reject([idx], code, key, other=key)
    for idx in scored.index[scored["score"].isna()]:
        if int(scored.at[idx, ROW]) in rejected:  # type: ignore[arg-type]
            continue
        blanks = [k for k in part.fields if k in scored and _blank(scored.at[idx, k])
                  and part.fields[k].numeric]
        for key in blanks[:1] or [next(iter(part.fields))]:
            reject([idx], "required-missing", key)
    scored = scored[~scored[ROW].isin(list(rejected))].copy()
    scored["band_grade"] = band_grades(scored["score"], part.bands, params)
    groups: list[GroupResult] = []
    if part.distribution:
        heads = _heads(part, done, scored[part.group] if part.group else None)
        head_sheet = next((p.table.sheet for p in done if part.distribution.cascade
                           and p.part.key == part.distribution.cascade.sheet), None)
        result = distribute(scored, part, scored["band_grade"], heads, _label_field(part), words,
                            head_sheet)
        groups = result.groups
        if result.no_head:
            cascade = part.distribution.cascade
            assert part.group is not None and cascade is not None
            head_part = next(p for p in done if p.part.key == cascade.sheet)
            gone = _rejected_heads(head_part, cascade.key)
            col = table.columns.get(part.group)
            for idx in result.no_head:
                r, group = int(scored.at[idx, ROW]), scored.at[idx, part.group]  # type: ignore[arg-type]
                issue = head_issue(gone, group, lang, head_part.table.sheet, file=table.file,
                                   sheet=table.sheet, row=r, field=part.group,
                                   header=table.headers.get(part.group, part.group),
                                   cell=f"{column_letter(col)}{r}" if col is not None else None)
                issues.append(issue)
                rejected.setdefault(r, []).append(issue)
            keep = ~scored.index.isin(result.no_head)
            scored, result.grade, result.reason = scored[keep], result.grade[keep], \
                result.reason[keep]
        scored["grade"], scored["reason"] = result.grade, result.reason
        if heads is not None and part.group:
            head_part = next(p for p in done if p.part.key == part.distribution.cascade.sheet)  # type: ignore[union-attr]
            present = {fold(g) for g in scored[part.group]}
            for head in sorted(h for h in _heads(part, done) or {} if fold(h) not in present):
                issues.append(make_issue("head-without-group", lang, file=table.file,
                                         sheet=head_part.table.sheet, value=head,
                                         header=head_part.table.headers.get(part.group),
                                         extra={"other": table.sheet}))
    else:
        scored["grade"] = scored["band_grade"]
        scored["reason"] = _head_reasons(scored, part, rules, params, words)
    for g in groups:
        if g.notice:
            minimum = part.distribution.min_group_size if part.distribution else 0
            issues.append(make_issue("small-group", lang, file=table.file, sheet=table.sheet,
                                     value=g.group, extra={"count": g.size, "hint": g.notice,
                                                           "minimum": minimum}))
    scored["coefficient"] = coefficients(scored["grade"], part.coefficients())
    if part.movement:
        scored["movement"] = movements(scored[part.movement.field], scored["grade"],
                                       part.grade_order, part.movement)
    keys = sort_keys(scored, part.rank_by, part.tie_breakers)
    scored["rank"] = min_ranks(keys)
    scored["group_rank"] = min_ranks(keys, scored[part.group].to_numpy()) if part.group else \
        scored["rank"]
    group_table = None
    if part.incentives:
        scored["incentive_pct"], group_table = incentives(scored, part.incentives, part.group,
                                                          rules.precision)
    else:
        scored["incentive_pct"] = np.nan
    add_pay(scored, part, table)
    _more_reasons(scored, part, group_table, table, words)
    scored = scored.sort_values(["rank", ROW], kind="stable")
    return PartResult(part, table, scored, _rejected_frame(table, rejected, checked),
                      issues, groups, group_table)


def _head_reasons(scored: pd.DataFrame, part: SheetRules, rules: RuleSet,
                  params: dict[str, float], lang: str) -> pd.Series:
    """On the heads' sheet of a cascade (R3's 主管) each grade, set by its band, picks its
    group's quota table on the other sheet: its reason says both. None elsewhere."""
    staff = next((p for p in rules.parts if p.distribution and p.distribution.cascade
                  and p.distribution.cascade.sheet == part.key), None)
    if staff is None or staff.distribution is None or staff.distribution.cascade is None:
        return pd.Series([None] * len(scored), index=scored.index, dtype=object)
    key = staff.distribution.cascade.key
    cuts = [cutoff_value(b, params) for b in part.bands]
    cut_of = {b.grade: (c if math.isfinite(c) else None, up)  # its cut-off, the next band's
              for b, c, up in zip(part.bands, cuts, [None, *cuts[:-1]], strict=True)}
    sheet = staff.sheet[0] if staff.sheet else staff.key
    return pd.Series([head_reason(s, g, *cut_of.get(g, (None, None)), b, sheet, lang)
                      for s, g, b in zip(scored["score"], scored["grade"], scored[key],
                                         strict=True)], index=scored.index, dtype=object)


def _more_reasons(scored: pd.DataFrame, part: SheetRules, group_table: pd.DataFrame | None,
                  table: Table, lang: str) -> None:
    """The grade's reason, the move's (晋升 / 降级) and the incentive's, each in its own column
    (WHY, for explain) and together in `reason` (for Results)."""
    n = len(scored)
    grade = scored["reason"].tolist() if "reason" in scored else [None] * n
    moves: list[str | None] = [None] * n
    if part.movement:
        moves = movement_reasons(scored, part, lang)
    paid: list[str | None] = [None] * n
    if part.incentives:
        pcts = scored["incentive_pct"].tolist()
        if group_table is not None and part.group:
            header = table.headers.get(part.group, part.header_of(part.group))
            paid = [incentive_reason(p, g, group_table, header, lang)
                    for p, g in zip(pcts, scored[part.group], strict=True)]
        else:
            places = min_ranks([-scored["score"].to_numpy(float)]).tolist()
            paid = [incentive_reason(p, None, None, "", lang, r, n)
                    for p, r in zip(pcts, places, strict=True)]
    for key, values in zip(WHY, (grade, moves, paid), strict=True):
        scored[key] = pd.Series(values, index=scored.index, dtype=object)
    scored["reason"] = row_reasons(scored, lang)


def _rejected_heads(head: PartResult, key: str) -> dict[str, str]:
    """{folded group: the cell to correct} for the head rows (主管) the head sheet rejected."""
    errors: dict[int, list[Issue]] = {}
    for i in head.issues:
        if i.severity == Severity.ERROR and i.row is not None and i.sheet == head.table.sheet:
            errors.setdefault(i.row, []).append(i)
    groups = head.rejected[key].tolist() if key in head.rejected else [None] * len(head.rejected)
    return rejected_heads(head.rejected[ROW].tolist(), groups, errors)


def _heads(part: SheetRules, done: list[PartResult],
           groups: pd.Series | None = None) -> dict[str, str] | None:
    """The grade of each group's head row on a cascade's heads' sheet, by the head's spelling
    of the group, or by the spelling of `groups` (the staff rows') where one folds alike: 东 区
    on the staff's sheet is the 东区 of the heads' (validate matches them so too)."""
    cascade = part.distribution.cascade if part.distribution else None
    if cascade is None:
        return None
    head = next(p for p in done if p.part.key == cascade.sheet)
    frame = head.results
    grades = {str(k): str(g) for k, g in zip(frame[cascade.key], frame["grade"], strict=True)
              if g is not None}
    if groups is None:
        return grades
    folded = {fold(k): g for k, g in grades.items()}
    return {str(g): folded[fold(g)] for g in set(groups) if fold(g) in folded}


def _label_field(part: SheetRules) -> str | None:
    return "name" if "name" in part.fields else part.id


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _rejected_frame(table: Table, rejected: dict[int, list[Issue]],
                    checked: Checked) -> pd.DataFrame:
    """Rejected rows as the clerk typed them, with codes and reasons."""
    rows = checked.raw(sorted(rejected), table)
    def where(i: Issue) -> str:  # a merged table names the file or sheet each row came from
        cell = i.cell or ""
        source = Path(i.file).name if table.merged_by == "file" and i.file else \
            i.sheet if table.merged_by == "sheet" and i.sheet else ""
        return f"{source} {cell}".strip()

    rows["reason_list"] = [[f"{where(i)} {i.message}".strip() for i in rejected[int(r)]]
                           for r in rows[ROW]]  # JSON's `reasons`, one entry per problem
    rows["reasons"] = ["; ".join(reasons) for reasons in rows["reason_list"]]
    rows["codes"] = [", ".join(dict.fromkeys(i.code for i in rejected[int(r)])) for r in rows[ROW]]
    return rows


def _unused(label: str, taken: list[str]) -> str:
    """`label`, or `label (2)`, `label (3)` … when a column of the sheet has that header."""
    name, n = label, 2
    while name in taken:
        name, n = f"{label} ({n})", n + 1
    return name


def merge_tables(loaded: list[tuple[str, tuple[Table, Checked]]], part: SheetRules,
                 lang: str, labels: tuple[str, str], file: str = "combined",
                 by: str = "file") -> tuple[Table, Checked]:
    """One table out of several checked tables, under the rule set's own headers: the
    sheets of one workbook (`by="sheet"`) or the submissions of a batch (`by="file"`), each
    named by its label in `loaded`. Ids must be unique across them all.

    `lang` is for messages; `labels` head the two extra columns (where from, source row), in
    the workbook's language.
    """
    keys = list(part.fields)
    carried = list(dict.fromkeys(h for _, (table, _) in loaded for _, h in table.extras))
    source_file, source_row = (_unused(label, carried) for label in labels)  # a clerk's own
    grid: list[list[Any]] = []
    columns: dict[str, list[Any]] = {ROW: [], **{k: [] for k in keys},
                                     **{f"extra:{h}": [] for h in carried},
                                     f"extra:{source_file}": [], f"extra:{source_row}": []}
    rejected: dict[int, list[Issue]] = {}
    issues: list[Issue] = []
    first_seen: dict[str, tuple[int, str]] = {}  # folded id -> (row, label) it appears first
    left_out: dict[str, list[int]] = {}
    for label, (table, checked) in loaded:
        new_row = {r: len(grid) + i + 1 for i, r in enumerate(table.rows)}
        if part.id:  # within a table this was checked already; across tables it is checked here
            for r, value in zip(table.rows, checked.columns[part.id], strict=True):
                if value is None or r in checked.rejected:
                    continue
                first = first_seen.setdefault(fold(value), (r, label))
                if first != (r, label):
                    col = table.columns[part.id]
                    issue = make_issue("duplicate-id", lang, file=table.file, sheet=table.sheet,
                                       row=r, cell=f"{column_letter(col)}{r}", field=part.id,
                                       header=table.headers[part.id], value=value,
                                       extra={**row_of(first[0], first[1], lang),
                                              "first": first})
                    issues.append(issue)
                    rejected.setdefault(new_row[r], []).append(issue)
        at = {h: c for c, h in table.extras}
        for r in table.rows:
            cells = checked.grid[r - 1]
            grid.append([cells[c] if (c := table.columns.get(k)) is not None and c < len(cells)
                         else "" for k in keys]
                        + [cells[c] if (c := at.get(h)) is not None and c < len(cells) else ""
                           for h in carried] + [label, r])
        for k in keys:
            columns[k].extend(checked.columns[k])  # a numeric column is an array
        for h in carried:
            columns[f"extra:{h}"] += checked.columns.get(f"extra:{h}", [None] * len(table.rows))
        columns[ROW] += [new_row[r] for r in table.rows]
        columns[f"extra:{source_file}"] += [label] * len(table.rows)
        columns[f"extra:{source_row}"] += table.rows
        for r, errors in checked.rejected.items():
            rejected.setdefault(new_row[r], []).extend(errors)
        issues += checked.issues
        for kind, rows in table.left_out.items():
            left_out.setdefault(kind, []).extend(rows)
    width = len(keys) + len(carried)
    merged = Table(file, ", ".join(label for label, _ in loaded) if by == "sheet" else file, 1,
                   {k: i for i, k in enumerate(keys)},
                   {k: part.fields[k].header[0] for k in keys},
                   [*((len(keys) + j, h) for j, h in enumerate(carried)), (width, source_file),
                    (width + 1, source_row)],
                   list(range(1, len(grid) + 1)), left_out=left_out, merged_by=by,
                   sources=[label for label, _ in loaded],
                   source_header_rows=[table.header_row for _, (table, _) in loaded])
    numeric = [k for k, f in part.fields.items() if f.numeric]
    return merged, Checked(columns, numeric, issues, rejected, grid)


