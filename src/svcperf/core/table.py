"""Find the table on a sheet: the header block, which column is which field, and which rows
are people.

Rows below the header that are not people are left out and listed by kind, never ranked and
never rejected (README, How a sheet is read, says what each kind is). The test is conservative: a row with a
plausible id (shaped like the other ids in its column) and values is a person, even one named
合计, unless its numbers are the sum or the mean of the rows above it (a subtotal or average
row whose label happens to look like a name).
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections import Counter
from operator import itemgetter
from typing import Any

from svcperf.i18n import ROW_KINDS, cli_message
from svcperf.issues import Issue, make_issue
from svcperf.results import Table
from svcperf.rules.headers import HeaderBlock, alias_index, clean, header_block, match_header
from svcperf.rules.model import SheetRules
from svcperf.text import NUMBER, FoldedColumn, cell_text, column_letter, did_you_mean, fold, half_width

# kind -> the words (folded) a cell of such a row holds; checked in this order
KEYWORDS: dict[str, tuple[str, ...]] = {
    "example": ("示例", "样例", "范例", "example"),
    "subtotal": ("小计", "subtotal", "subtotals"),
    "average": ("平均", "均值", "average", "mean"),
    "totals": ("合计", "总计", "汇总", "total", "totals", "grandtotal", "sum"),
    "count": ("条记录", "记录数", "人数:", "共计:"),
    "stamp": ("导出时间", "导出日期", "打印时间", "打印日期", "生成时间", "导出人", "exported",
              "printed"),
    "signature": ("制表", "审核", "复核", "负责人", "签字", "签名", "批准", "填表人", "日期:", "填报",
                  "经办人", "联系人", "联系电话"),
    "note": ("说明", "备注:", "注:"),
    "statistics": ("人数", "最高分", "最低分", "中位数", "标准差", "优秀率", "及格率"),
}
# words that name such a row only where a cell opens with them (填报人：张敏, 说明：…, 人数 12),
# and, but for the signatures', as a word of their own: 说明华 is a name, 个人数字金融部 a centre
_OPENING = {w: re.compile(re.escape(w) + ("" if kind == "signature" else "(?![\u3400-\u9fff])"))
            for kind, words in KEYWORDS.items() for w in words
            if kind in ("note", "statistics") or w in ("填报", "经办人", "联系人", "联系电话")}
_COUNT = re.compile(r"^共\d+(条|人|行|项|名)")  # 共10条记录, 共14人
_WORD = {w: re.compile(rf"(?<![a-z]){re.escape(w)}(?![a-z])")  # an English keyword as a word
         for words in KEYWORDS.values() for w in words if w.isascii()}
_AGGREGATES = ("subtotal", "average", "totals")  # kinds whose numbers sum or average a block
def locate(grid: list[list[Any]], part: SheetRules, file: str, sheet: str,
           lang: str = "en") -> Table | None:
    """The table of `part` on this grid, or None when no row looks like its header."""
    block = header_block(grid, part)
    if block is None:
        return None
    table = Table(file, sheet, block.last + 1, {}, {}, header_top=block.top + 1)
    _columns(grid, block, table, part, lang)
    _data_rows(grid, table, part, lang)
    if not table.rows:
        table.issues.append(make_issue("no-rows", lang, file=file, sheet=sheet))
    return table


def _label(grid: list[list[Any]], block: HeaderBlock, c: int) -> tuple[int, str] | None:
    """The bottom-most label of column c in the header block: (row, text)."""
    for r in range(block.last, block.top - 1, -1):
        row = grid[r]
        if c < len(row) and (text := _header_text(row[c])):
            return r, text
    return None


def _header_text(value: Any) -> str:
    """A header cell as it shows: 2026, not 2026.0."""
    return str(cell_text(value)).strip()


EXCEL_COLUMNS = 16384  # the most columns an Excel sheet holds
LOOKED_AT = 256  # unknown headers compared with the aliases for a near miss or a hint


def _columns(grid: list[list[Any]], block: HeaderBlock, table: Table, part: SheetRules,
             lang: str) -> None:
    """Matched columns, their units, carried columns, and what is wrong with the header."""
    aliases = alias_index(part)
    where = {"file": table.file, "sheet": table.sheet}
    taken = {c: key for key, (_, c) in block.cells.items()}
    width = max(len(grid[r]) for r in range(block.top, block.last + 1))
    unmatched: list[tuple[int, int, str]] = []  # (row, col, label)
    seen = {h for _, h in table.extras}  # the extras' headers so far
    for c in range(width):
        label = _label(grid, block, c)
        if c in taken:
            key = taken[c]
            r, _ = block.cells[key]
            table.columns[key] = c
            table.headers[key] = _header_text(grid[r][c])
            if unit := clean(grid[r][c])[1]:
                table.units[key] = unit
            continue
        if label is None:
            if any(_filled(row, c) for row in grid[block.last + 1:]):
                table.issues.append(make_issue(
                    "blank-header", lang, cell=f"{column_letter(c)}{block.last + 1}",
                    row=block.last + 1, extra={"column": column_letter(c)}, **where))
            continue
        r, text = label
        again = match_header(text, aliases)
        if again is not None:  # a second column for a field already matched
            at, col = block.cells[again]
            table.issues.append(make_issue(  # 满意度 and 满意度得分: two names of one field
                "duplicate-header", lang, cell=f"{column_letter(c)}{r + 1}", row=r + 1,
                field=again, header=text, extra={"other": column_letter(col),
                                                 "first": _header_text(grid[at][col])}, **where))
            continue
        carried = text if text not in seen else f"{text} ({column_letter(c)})"  # two 备注
        seen.add(carried)  # columns: both carried through
        table.extras.append((c, carried))
        unmatched.append((r, c, text))
    room = EXCEL_COLUMNS - len(part.fields) - len(part.items) - 32  # ranks, grades, reasons
    if len(table.extras) > max(room, 0):
        (first, _), *_ = dropped = table.extras[max(room, 0):]
        del table.extras[max(room, 0):]
        table.issues.append(make_issue(
            "columns-dropped", lang, cell=f"{column_letter(first)}{block.last + 1}",
            row=block.last + 1, extra={"count": f"{len(dropped):,}", "column": column_letter(first)},
            **where))
        unmatched = unmatched[:len(table.extras)]
    # near misses and hints are looked for among the first unknown headers (each costs a
    # comparison with every alias: a sheet thousands of columns wide must not take minutes)
    near = _near_misses(part, table, unmatched[:LOOKED_AT], lang)
    aliases_all = [h for s in part.fields.values() for h in s.header]
    for n, (r, c, text) in enumerate(unmatched):
        if (r, c) not in near:
            hint = did_you_mean(text, aliases_all) if n < LOOKED_AT else None
            table.issues.append(make_issue(
                "unknown-header", lang, cell=f"{column_letter(c)}{r + 1}", row=r + 1,
                header=text, extra={"hint": f"; did you mean {hint!r}?" if hint else ""},
                **where))
    table.issues += near.values()
    for key, spec in part.fields.items():
        if key in table.columns or any(i.field == key for i in near.values()):
            continue
        if spec.required:
            expected = (" 或 " if lang == "zh" else " or ").join(
                f"“{h}”" if lang == "zh" else repr(h) for h in spec.header)
            table.issues.append(make_issue("missing-header", lang, field=key,
                                           header=spec.header[0], row=table.header_row,
                                           extra={"expected": expected}, **where))
        elif spec.default is not None:
            table.issues.append(make_issue("default-column", lang, field=key,
                                           header=spec.header[0], value=spec.default, **where))


def _near_misses(part: SheetRules, table: Table, unmatched: list[tuple[int, int, str]],
                 lang: str) -> dict[tuple[int, int], Issue]:
    """Unmatched headers that resemble an alias of a field that has no column."""
    found: dict[tuple[int, int], Issue] = {}
    for key, spec in part.fields.items():
        if key in table.columns:
            continue
        for r, c, text in unmatched:
            alias = next((h for h in spec.header if _resembles(text, h)), None)
            if alias is not None and (r, c) not in found:
                found[(r, c)] = make_issue(
                    "near-miss-header", lang, file=table.file, sheet=table.sheet,
                    cell=f"{column_letter(c)}{r + 1}", row=r + 1, field=key, header=text,
                    extra={"alias": alias})
                break
    return found


def _resembles(header: str, alias: str) -> bool:
    """A header that is not an alias but looks like one: one holds the other, they share most
    of their characters (Chinese: each character is a word), or they are a small edit apart.
    Latin letters spell words: a word holds another only at its start or end, three letters
    or more ('satisfaction %', not 'valid' for 'id'), and letters in common are no likeness
    ('sheet:score' is not 'late cases')."""
    import difflib

    a, b = clean(header)[0], clean(alias)[0]
    if len(a) < 2 or len(b) < 2:
        return False
    close = difflib.SequenceMatcher(None, a, b).ratio() >= 0.75
    if not any("\u3400" <= ch <= "\u9fff" for ch in a + b):
        short, long = sorted((a, b), key=len)
        return close or (len(short) >= 3 and (long.startswith(short) or long.endswith(short)))
    if a in b or b in a:
        return True
    return len(set(a) & set(b)) / len(set(b)) >= 0.6 or close


def column_of(rows: list[list[Any]], c: int, width: int) -> list[Any]:
    """Column c of these rows; width is the shortest row's length (CSV rows may be ragged)."""
    if c < width:
        return list(map(itemgetter(c), rows))
    return [row[c] if c < len(row) else "" for row in rows]


def data_column(grid: list[list[Any]], table: Table, c: int, data_rows: list[list[Any]],
                width: int) -> list[Any]:
    """Column c of the table's data rows (`data_rows`, of `grid`): a slice of the column that
    locate read (Table.body) when it read this same grid and the rows run without a gap,
    else read from the rows (a walk over every row, slow on big sheets: cache misses)."""
    rows = table.rows
    if table.body is not None and table.body[0] is grid and c in table.body[1] and rows \
            and rows[-1] - rows[0] + 1 == len(rows):
        start = rows[0] - 1 - table.header_row
        return table.body[1][c][start:start + len(rows)]
    return column_of(data_rows, c, width)


def _filled(row: list[Any], c: int) -> bool:
    return c < len(row) and row[c] not in ("", None)


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _data_rows(grid: list[list[Any]], table: Table, part: SheetRules, lang: str) -> None:
    """Sort the rows below the header into people and rows left out (by kind, in one notice
    per kind). Only suspect rows are looked at one by one (`suspects`); every other row is a
    person, which `classify` would also say."""
    body = grid[table.header_row:]
    rows = Rows(body, table, part)
    suspects = sorted(rows.suspects())
    # a row with no cell at all (a CSV's empty line) is blank, said at once: a million of them
    # are left out in a second, not classified one by one
    rows.kinds.update((i, "blank") for i in suspects if not body[i])
    kinds = dict(rows.kinds)
    for i in suspects:
        if i not in kinds and (kind := rows.classify(i)) is not None:
            kinds[i] = kind
    last = len(body) - 1
    while last >= 0 and kinds.get(last) == "blank":  # blank rows below the table: not rows
        del kinds[last]
        last -= 1
    first = table.header_row + 1  # sheet row of body[0]
    for i, kind in sorted(kinds.items()):
        table.left_out.setdefault(kind, []).append(first + i)
        if kind == "header" and (moved := _moved(body[i], table, rows.aliases)) is not None:
            c, key = moved
            table.issues.append(make_issue(  # a column moved, or one the header lacks
                "moved-header" if key in table.columns else "grown-header", lang,
                file=table.file, sheet=table.sheet,
                cell=f"{column_letter(c)}{first + i}", row=first + i, field=key,
                header=str(body[i][c]).strip(), extra={
                    "column": column_letter(c), "at": first + i, "header_row": table.header_row,
                    "other": column_letter(table.columns[key]) if key in table.columns else "-"}))
    for kind, at in table.left_out.items():
        table.issues.append(make_issue("non-person-rows", lang, file=table.file,
                                       sheet=table.sheet, value=kind, rows=at,
                                       extra={"count": len(at), "rows": spans(at, lang),
                                              "kind_text": ROW_KINDS[lang][kind]}))
    table.rows = [first + i for i in range(last + 1) if i not in kinds] if kinds else \
        list(range(first, first + last + 1))
    table.body = (grid, rows.columns)


def _moved(row: list[Any], table: Table, aliases: dict[str, str]) -> tuple[int, str] | None:
    """(column, field) of the first header in a repeated header row that names a field the
    table's header has in another column, or has not: the rows below it are laid out
    differently."""
    for c, value in enumerate(row):
        key = match_header(value, aliases) if isinstance(value, str) else None
        if key is not None and table.columns.get(key) != c:
            return c, key
    return None


def spans(rows: list[int], lang: str = "en") -> str:
    """5, 6, 7, 9 -> '5–7, 9' (in Chinese '5–7、9')."""
    out: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(f"{start}–{prev}" if prev > start else f"{start}")
        if r is not None:
            start = prev = r
    return cli_message("list", lang).join(out)


def _shape(value: Any) -> str:
    """An id's shape: digits 0, letters a, CJK 中 ('E0105' -> 'a0000', '张三' -> '中中')."""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return "".join("0" if ch.isdigit() else "a" if ch.isascii() and ch.isalpha()
                   else "中" if "\u3400" <= ch <= "\u9fff" else ch for ch in text.strip())


_CLAUSE = re.compile(r"[:：,，。;；!！?？]")


def _sentence(value: Any, longest: int) -> bool:
    """Text no id is: a clause mark (注：本表由各中心填报) or far longer than the longest id."""
    text = str(value).strip()
    return isinstance(value, str) and (bool(_CLAUSE.search(text)) or len(text) > longest + 4)


def joined(cells: list[Any]) -> str | None:
    """A column's cells as one text, when every cell is text (else None): what no cell holds,
    the whole text does not hold, which rules out most columns in one step."""
    try:
        return "".join(cells)
    except TypeError:
        return None


def _blanks(cells: list[Any], text: str | None = None) -> list[int]:
    """Positions of the blank cells (None, '' or only white space) of a column; `text` is
    `joined(cells)` when known."""
    if text is not None and " " not in text and text.isprintable():  # no white space at all
        return [i for i, v in enumerate(cells) if not v] if "" in cells else []
    try:
        spaces = list(map(str.isspace, cells))  # TypeError: not every cell is text
    except TypeError:
        return [i for i, v in enumerate(cells) if v is None or v == "" or
                (v.__class__ is str and v.isspace())]
    if "" not in cells and True not in spaces:
        return []
    return [i for i, (v, space) in enumerate(zip(cells, spaces, strict=True)) if space or not v]


def _is_name(value: Any, names: set[str]) -> bool:
    return value.__class__ is str and value.strip() in names


def _names_at(cells: list[Any], names: set[str], text: str | None = None) -> list[int]:
    """Positions of the cells holding one of these header names (`_is_name`); `text` is
    `joined(cells)` when known."""
    if text is not None and "" not in names and not any(name in text for name in names):
        return []
    try:
        stripped = list(map(str.strip, cells))  # TypeError: not every cell is text
    except TypeError:
        return [i for i, v in enumerate(cells) if _is_name(v, names)]
    hits = list(map(names.__contains__, stripped))
    return [i for i, hit in enumerate(hits) if hit] if True in hits else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = half_width(str(value)).strip().replace(",", "")
    return float(text.rstrip("%")) if NUMBER.fullmatch(text) else None


class Rows:
    """The rows below a header, and what tells people from rows that are not people.

    Call `suspects` first (the plausible-id test compares with the rows it did not suspect),
    then `classify` in ascending row order (a subtotal sums the people since the one before).
    """

    def __init__(self, body: list[list[Any]], table: Table, part: SheetRules) -> None:
        self.body, self.table, self.part = body, table, part
        self.used = sorted({*table.columns.values(), *(c for c, _ in table.extras)})
        self.fields = sorted(table.columns.values())
        key = part.id if part.id in table.columns else "name" if "name" in table.columns \
            else None
        self.id_col = table.columns.get(key) if key else None
        self.extras = {c for c, _ in table.extras}
        self.numeric = [c for k, c in table.columns.items() if part.fields[k].numeric]
        self.aliases = alias_index(part)
        self.keys = {c: k for k, c in table.columns.items()}
        # each matched column's headers as a clerk writes them: the sheet's own, the aliases
        self.names = {c: {table.headers[k], *part.fields[k].header, k}
                      for k, c in table.columns.items()}
        self.need = max(2, (len(self.keys) + 1) // 2)  # columns a repeated header fills
        self._shapes: Counter[str] | None = None
        self._numbers: dict[int, list[float | None]] = {}
        self.kinds: dict[int, str] = {}  # what classify said so far (aggregate blocks)
        self.suspect: set[int] = set()
        self.columns: dict[int, list[Any]] = {}  # the body's columns read so far (cells)
        self._texts: dict[int, str | None] = {}
        self.width = min(map(len, body), default=0)

    def cells(self, c: int) -> list[Any]:
        """Column c of the body, read once."""
        if c not in self.columns:
            self.columns[c] = column_of(self.body, c, self.width)
        return self.columns[c]

    def text(self, c: int) -> str | None:
        """Column c's cells as one text (`joined`), made once."""
        if c not in self._texts:
            self._texts[c] = joined(self.cells(c))
        return self._texts[c]

    def lead_columns(self) -> list[int]:
        """The columns that label a row: the first, the first matched, the id and the name."""
        lead = {0, *self.used[:1]}
        if self.id_col is not None:
            lead.add(self.id_col)
        if "name" in self.table.columns:
            lead.add(self.table.columns["name"])
        return sorted(lead)

    def suspects(self) -> set[int]:
        """Rows that may not be people: a blank or odd id cell, a keyword in a lead column, a
        blank first or second label (a title, a footer), or without an id column any row."""
        second = next((c for c in self.fields if c != self.id_col), None)
        if self.id_col is None or second is None:  # nothing to compare a label with: all rows
            self.suspect = set(range(len(self.body)))
            return self.suspect
        cells = self.cells
        blank_too = {self.id_col, *(c for c in self.lead_columns() if c <= self.used[0])}
        if second is not None:
            blank_too.add(second)
        out: set[int] = set()
        for c in blank_too:  # the row's label is further right, or the row is a title/footer
            out.update(_blanks(cells(c), self.text(c)))
        words = [w for kind in KEYWORDS.values() for w in kind] + ["共"]
        for c in self.lead_columns():
            folded = FoldedColumn(cells(c))
            out.update(folded.holding(words))
        if second is not None:  # a title or label merged across the row repeats the id cell
            same = list(map(operator.eq, cells(self.id_col), cells(second)))
            if True in same:
                out.update(i for i, equal in enumerate(same) if equal)
        out.update(_names_at(cells(self.id_col), self.names[self.id_col],  # the header repeated
                             self.text(self.id_col)))
        self.suspect = out
        return out

    def classify(self, i: int) -> str | None:
        """The kind of row i when it is not a person; None for a person."""
        kind = self._kind(i)
        if kind is not None:
            self.kinds[i] = kind
        return kind

    def _kind(self, i: int) -> str | None:
        row = self.body[i]
        filled = [c for c, v in enumerate(row) if not _blank(v)]
        if not filled:
            return "blank"
        if not any(c in self.keys for c in filled):
            if all(c in self.extras and _is_serial(row[c]) for c in filled):
                return "serial"
            return self._word_kind(row, filled) or "no-data"
        if self._repeats_header(row):
            return "header"
        labels = sorted({filled[0], *(c for c in self.lead_columns() if c in filled)})
        kind = self._word_kind(row, labels)
        plausible = self._plausible_id(row, kind)
        if kind == "example":
            return kind
        if kind in _AGGREGATES:
            return kind if not plausible or self._aggregates(i) else None
        if kind is not None:
            return None if plausible else kind
        texts = {row[c] for c in filled}  # as suspects compares them: a merged label repeats
        numbers = any(_number(row[c]) is not None for c in self.numeric if c < len(row)
                      and not _blank(row[c]))
        if len(texts) == 1 and not plausible and not numbers:
            return "title"
        return None

    def _word_kind(self, row: list[Any], filled: list[int]) -> str | None:
        """The kind a keyword in these cells names: Chinese words anywhere in the folded text,
        English ones as whole words only (Su Ming holds no 'sum', Meany no 'mean')."""
        texts = [row[c] for c in filled if isinstance(row[c], str)]
        folded = [fold(t) for t in texts]
        spaced = [unicodedata.normalize("NFKC", t).casefold() for t in texts]
        for kind, words in KEYWORDS.items():
            for word in words:
                if kind == "example":  # a marker: the cell starts with it (示例, Example: …)
                    if any(t.startswith(word) for t in folded):
                        return kind
                elif word.isascii():
                    if any(_WORD[word].search(t) for t in spaced):
                        return kind
                elif word in _OPENING:
                    if any(_OPENING[word].match(t) for t in folded):
                        return kind
                elif any(word in t for t in folded):
                    return kind
        return "count" if any(_COUNT.match(t) for t in folded) else None

    def _repeats_header(self, row: list[Any]) -> bool:
        """The header copied down (as clerks do above each block): the id column holds its
        header, and so do half or more of the matched columns (at least two), as written."""
        if self.id_col is not None and not (self.id_col < len(row)
                                            and _is_name(row[self.id_col], self.names[self.id_col])):
            return False
        same = sum(1 for c, names in self.names.items() if c < len(row) and _is_name(row[c], names))
        return same >= self.need

    def _plausible_id(self, row: list[Any], kind: str | None) -> bool:
        """An id cell that is not itself the row's label (合计, 城东中心 小计) and is shaped like
        the ids of the rows that are plainly people (when there are enough to tell)."""
        if self.id_col is None or self.id_col >= len(row) or _blank(row[self.id_col]):
            return False
        value = row[self.id_col]
        if kind is not None and self._word_kind(row, [self.id_col]) is not None:
            return False
        if self._shapes is None:
            ids = self.cells(self.id_col)
            plain = len(self.suspect) < len(self.body)  # else every row is looked at: use all
            self._shapes = Counter(_shape(v) for i, v in enumerate(ids[:5000])
                                   if not (plain and i in self.suspect) and not _blank(v))
        known = sum(self._shapes.values())
        if known >= 10:
            return self._shapes[_shape(value)] >= 3
        return not _sentence(value, max(map(len, self._shapes), default=0))  # too few to tell

    def _aggregates(self, i: int) -> bool:
        """Whether row i's numbers are the sums or means of the people rows above it, since
        the last such row (a block), or of all of them (a grand total)."""
        start = max((j for j, k in self.kinds.items() if j < i and k in _AGGREGATES),
                    default=-1) + 1
        people = [j for j in range(i) if j not in self.kinds]
        block = [j for j in people if j >= start]
        checked = 0
        for c in self.numeric:
            x = _number(self.body[i][c]) if c < len(self.body[i]) else None
            if x is None:
                continue
            column = self._column_numbers(c)
            # of two people at least: one person's numbers are their own mean (a person
            # named 合计 scored like the one above is a person)
            if not any(_sum_or_mean(x, [column[j] for j in group])
                       for group in (block, people) if len(group) > 1):
                return False
            checked += 1
        return checked > 0

    def _column_numbers(self, c: int) -> list[float | None]:
        if c not in self._numbers:
            self._numbers[c] = [_number(r[c]) if c < len(r) else None for r in self.body]
        return self._numbers[c]


def _sum_or_mean(x: float, values: list[float | None]) -> bool:
    present = [v for v in values if v is not None]
    if not present:
        return False
    total = sum(present)
    close = max(0.005, 1e-9 * abs(total))  # means are often rounded to two decimals
    return abs(x - total) <= close or abs(x - total / len(present)) <= close


def _is_serial(value: Any) -> bool:
    number = _number(value)
    return number is not None and number.is_integer() and not isinstance(value, bool)


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
