"""Find the table on a sheet: the header row, which column is which field, and the data rows."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from svcperf.issues import make_issue
from svcperf.results import Table
from svcperf.rules.headers import alias_index, header_score, match_header
from svcperf.rules.model import SheetRules
from svcperf.text import column_letter, did_you_mean, is_total_word, total_words_at


def locate(grid: list[list[Any]], part: SheetRules, file: str, sheet: str,
           lang: str = "en") -> Table | None:
    """The table of `part` on this grid, or None when no row looks like its header."""
    hits, r = header_score(grid, part)
    if hits == 0:
        return None
    aliases = alias_index(part)
    where = {"file": file, "sheet": sheet, "row": r + 1}
    table = Table(file, sheet, r + 1, {}, {})
    header_cells = grid[r]
    for c, text in enumerate(header_cells):
        cell = f"{column_letter(c)}{r + 1}"
        key = match_header(text, aliases)
        if key is None:
            if str(text).strip():
                hint = did_you_mean(str(text), [h for s in part.fields.values() for h in s.header])
                table.extras.append((c, str(text).strip()))
                table.issues.append(make_issue(
                    "unknown-header", lang, cell=cell, header=str(text).strip(),
                    extra={"hint": f"; did you mean {hint!r}?" if hint else ""}, **where))
            elif any(_filled(row, c) for row in grid[r + 1:]):
                table.issues.append(make_issue("blank-header", lang, cell=cell,
                                               extra={"column": column_letter(c)}, **where))
            continue
        if key in table.columns:
            table.issues.append(make_issue(
                "duplicate-header", lang, cell=cell, field=key, header=str(text).strip(),
                extra={"other": column_letter(table.columns[key])}, **where))
            continue
        table.columns[key] = c
        table.headers[key] = str(text).strip()
    for key, spec in part.fields.items():
        if key not in table.columns and spec.required:
            expected = " or ".join(repr(h) for h in spec.header)
            table.issues.append(make_issue("missing-header", lang, field=key, header=spec.header[0],
                                           extra={"expected": expected}, **where))
    _data_rows(grid, table, part, lang)
    if not table.rows:
        table.issues.append(make_issue("no-rows", lang, file=file, sheet=sheet))
    return table


def column_of(rows: list[list[Any]], c: int, width: int) -> list[Any]:
    """Column c of these rows; width is the shortest row's length (CSV rows may be ragged)."""
    if c < width:
        return list(map(itemgetter(c), rows))
    return [row[c] if c < len(row) else "" for row in rows]


def _filled(row: list[Any], c: int) -> bool:
    return c < len(row) and row[c] not in ("", None)


def _data_rows(grid: list[list[Any]], table: Table, part: SheetRules, lang: str) -> None:
    """Keep data rows; note blank rows between them and leave totals rows out.

    Only rows whose first, lead or id cell is blank or a totals word can be either (without
    an id column, a totals word anywhere), so only those are looked at one by one.
    """
    used = sorted({*table.columns.values(), *(c for c, _ in table.extras)})
    id_col = table.columns.get(part.id) if part.id else None
    body = grid[table.header_row:]
    suspects: set[int] = set()
    width = min(map(len, body), default=0)
    keys = {0, used[0] if used else 0, id_col if id_col is not None else 0}
    every = range(max(map(len, body), default=0)) if id_col is None else keys
    for c in keys | set(every):
        cells = column_of(body, c, width)
        if c in keys and ("" in cells or None in cells):
            suspects.update(i for i, v in enumerate(cells) if v == "" or v is None)
        suspects.update(total_words_at(cells))
    blank: list[int] = []
    totals: dict[int, str] = {}
    for i in sorted(suspects):
        if not any(_filled(body[i], c) for c in used or [0]):
            blank.append(i)
        elif word := _totals_word(body[i], id_col):
            totals[i] = word
    last = len(body) - 1
    while blank and last == blank[-1]:  # blank rows below the table are not gaps in it
        blank.pop()
        last -= 1
    first = table.header_row + 1  # sheet row of body[0]
    found = [(i, make_issue("blank-row", lang, file=table.file, sheet=table.sheet, row=first + i,
                            cell=f"A{first + i}")) for i in blank]
    found += [(i, make_issue("totals-row", lang, file=table.file, sheet=table.sheet,
                             row=first + i, cell=f"A{first + i}", value=word))
              for i, word in totals.items()]
    table.issues += [issue for _, issue in sorted(found, key=lambda f: f[0])]
    skip = {*blank, *totals, *range(last + 1, len(body))}
    table.rows = [first + i for i in range(len(body)) if i not in skip] if skip else \
        list(range(first, first + len(body)))


def _totals_word(row: list[Any], id_col: int | None) -> str | None:
    """The totals word ('合计', 'Total') when this row is a totals row.

    It is one when its first filled cell or its id cell is such a word, or when any cell is
    and the id cell is blank; a person who happens to be called 'Total' keeps their row.
    """
    own = row[id_col] if id_col is not None and id_col < len(row) else ""
    first = row[0] if row and row[0] != "" and row[0] is not None else \
        next((v for v in row if v != "" and v is not None), "")
    if is_total_word(first):
        return str(first).strip()
    if is_total_word(own):
        return str(own).strip()
    if own in ("", None):  # no id: any totals word in the row marks it
        words = [v.strip() for v in row if is_total_word(v)]
        return words[0] if words else None
    return None


def unmerge(grid: list[list[Any]], merged: list[Any]) -> tuple[list[list[Any]], list[Any]]:
    """Copy each merged range's value into every cell it covers (what the clerk meant)."""
    spans = [m for m in merged if m[1][0] > m[0][0] or m[1][1] > m[0][1]]
    if not spans:
        return grid, []
    grid = [list(row) for row in grid]
    for (r0, c0), (r1, c1) in spans:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
    return grid, spans
