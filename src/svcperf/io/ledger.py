"""The points ledger: every change with its period and reason, streaks carried between periods.

A workbook with sheets History (one row per change), Streaks (the run of consecutive months
at one grade that each person had at the end of each period) and Balances (derived, for people
to read). Rolling up a period again replaces that period's rows, so points are never counted
twice; rows someone added by hand (redemptions, as negative changes) are kept, told from
svcperf's own by what svcperf writes in them (`written_by_svcperf`). Points belong to
one person: a balance is only ever the sum of that person's own changes, and never negative.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from svcperf.i18n import BOOK, LANGUAGES
from svcperf.io.files import atomic_path
from svcperf.io.xlsx import new_workbook
from svcperf.months import month_label, month_number, parse_month, previous_month
from svcperf.text import cell_text
from svcperf.why import Why

HISTORY = ["recorded_at", "period", "id", "name", "change", "reason"]
# the time svcperf writes in recorded_at of the rows it adds: text, to the second, with the UTC
# offset (2026-04-01T09:30:00+08:00); a person types or picks a date (a date cell, 2026-03-30)
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)")
STREAKS = ["period", "id", "last_month", "grade", "months"]
BALANCES = ["id", "name", "balance"]


def _names(key: str) -> set[str]:
    """A sheet's or column's name in every language (the ledger is written in the rule set's,
    and read in any: a clerk may have typed under English headers)."""
    return {key, *(BOOK[lang][key.lower()] for lang in LANGUAGES)}


def _sheet(names: set[str], key: str) -> str | None:
    return next((n for n in names if n in _names(key)), None)


class LedgerError(Exception):
    """A ledger that cannot be used; the message names the sheet, row and fix."""


@dataclass
class Ledger:
    path: Path
    history: list[dict[str, Any]] = field(default_factory=list)
    streaks: list[dict[str, Any]] = field(default_factory=list)
    sheet: str = "History"  # the History sheet as the workbook names it (积分明细)
    own: list[str] = field(default_factory=list)  # History columns a clerk added (备注): kept

    def balances(self, without: str | None = None) -> dict[str, float]:
        """Each person's balance from their own history, leaving out the points one period
        earned (it is being rolled up again); changes typed in by hand always count."""
        out: dict[str, float] = defaultdict(float)
        for row in self.history:
            if row["period"] != without or row.get("manual"):
                out[row["id"]] += row["change"]
        return dict(out)

    def carried(self, first_month: str, without: str | None = None) -> dict[str, tuple[str, int]]:
        """Each person's streak as it stood the month before `first_month`, to continue into
        it: one that ended then, or one that ran on past it (the files from `first_month` on
        were rolled up before: wound back by those months, the files then count them again)."""
        before = month_number(previous_month(first_month))
        out: dict[str, tuple[str, int]] = {}
        for row in sorted(self.streaks, key=lambda r: str(r["last_month"]), reverse=True):
            after = month_number(row["last_month"]) - before  # months it ran past `before`
            if row["period"] != without and after >= 0 and int(row["months"]) > after:
                out[row["id"]] = (row["grade"], int(row["months"]) - after)  # nearest wins
        return out

    def apply(self, period: str, earned: list[dict[str, Any]],
              streaks: list[dict[str, Any]]) -> None:
        """Replace the period's rows with these (a re-run never counts points twice)."""
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        kept = [r for r in self.history if r["period"] != period or r.get("manual")]
        fresh = [{"recorded_at": now, "manual": False, **r} for r in earned]
        # by period; within one, the points it earned come before changes typed in by hand
        self.history = sorted([*kept, *fresh], key=lambda r: (str(r["period"]),
                                                              bool(r.get("manual"))))
        self.streaks = [r for r in self.streaks if r["period"] != period] + streaks
        _check_never_negative(self.history, self.path, self.sheet)


def _check_never_negative(history: list[dict[str, Any]], path: Path, sheet: str) -> None:
    """A balance that a change takes below zero is refused, naming that change's row: where
    it stands in the file (a row read), else where it will stand (a row this run adds)."""
    running: dict[str, float] = defaultdict(float)
    for n, row in enumerate(history, start=2):
        running[row["id"]] += row["change"]
        if running[row["id"]] < -1e-9:
            raise LedgerError(Why("ledger-negative", path=str(path), sheet=sheet,
                                  row=row.get("sheet_row", n), id=row["id"],
                                  balance=f"{running[row['id']]:g}"))


def written_by_svcperf(row: dict[str, Any], grades: Collection[str] | None = None) -> bool:
    """Whether a History row is one a roll-up added (the points a period earned, replaced when
    the period is rolled up again) rather than one a person typed (a redemption, a correction:
    always kept). svcperf's rows carry its time stamp as text (`_STAMP`), points earned (more
    than 0: a rule set's points are never negative) and the reason `<grade> <period>` of their
    own period, the grade one of the rule set's `grades` where they are known; a clerk fills
    记录时间 with a date, and a row copied from svcperf's and then changed into a redemption
    has a change or a reason of its own (兑换 2026Q1 names no grade)."""
    stamp, reason = row.get("recorded_at"), row.get("reason")
    if not isinstance(stamp, str) or not _STAMP.fullmatch(stamp.strip()) or \
            not row.get("change", 0) > 0:
        return False
    grade, _, period = str(reason or "").strip().rpartition(" ")
    grade = grade.strip()
    return bool(grade) and (grades is None or grade in grades) and \
        period == str(row.get("period") or "").strip()


def read_ledger(path: Path, grades: Collection[str] | None = None,
                people: Collection[str] | None = None) -> Ledger:
    """The ledger at path, or a new empty one when the file does not exist yet; `grades` (the
    rule set's) tell the rows svcperf wrote from rows typed in by hand, and `people` (the ids
    of the months rolled up) a History whose id and name columns were swapped."""
    from svcperf.io.read import UnreadableFile, open_book

    ledger = Ledger(path)
    if not path.exists():
        return ledger
    try:
        book = open_book(path)
    except UnreadableFile as ex:
        raise LedgerError(Why("at-file", path=str(ex.path), why=ex.why)) from None
    names = {s.name for s in book.sheets}
    history = _sheet(names, "History")
    if history is None:
        raise LedgerError(Why("ledger-not", path=str(path)))
    ledger.sheet = history
    ledger.own = _own_columns(book.rows(history), HISTORY)
    for row in _records(book.rows(history), HISTORY, path, history):
        n = row["sheet_row"]
        try:
            row["change"] = float(row["change"])
            if not math.isfinite(row["change"]):
                raise ValueError
        except (TypeError, ValueError):
            raise LedgerError(Why("ledger-change", path=str(path), sheet=history, row=n,
                                  change=row["change"])) from None
        if row["id"] is None or not str(row["id"]).strip():
            raise LedgerError(Why("ledger-id-blank", path=str(path), sheet=history, row=n))
        row["id"] = _text(row["id"])
        if people is not None and row["id"] not in people and _text(row["name"]) in people:
            raise LedgerError(Why("ledger-swapped", path=str(path), sheet=history, row=n,
                                  id=row["id"], name=_text(row["name"])))
        row["manual"] = not written_by_svcperf(row, grades)  # typed in by a person, e.g. a redemption
        ledger.history.append(row)
    streaks = _sheet(names, "Streaks")
    if streaks is not None:
        for row in _records(book.rows(streaks), STREAKS, path, streaks):
            row["id"] = _text(row["id"])
            ledger.streaks.append(_streak(row, path, streaks))
    _check_never_negative(ledger.history, path, history)
    return ledger


def _streak(row: dict[str, Any], path: Path, sheet: str) -> dict[str, Any]:
    """A Streaks row with its month as a label and its months as a whole number: a month
    retyped by hand is a date cell (2026-03 becomes 2026/3/1), still that month."""
    month, count = row["last_month"], row["months"]
    month = month_label(month.year, month.month) if isinstance(month, date) else \
        parse_month(str(month or ""))
    if month is None:
        raise LedgerError(Why("ledger-streak-month", path=str(path), sheet=sheet,
                              row=row["sheet_row"], value=row["last_month"]))
    if isinstance(count, str):
        with contextlib.suppress(ValueError):
            count = float(count.strip())
    if isinstance(count, bool) or not isinstance(count, int | float) or \
            not math.isfinite(count) or count < 0 or count != int(count):
        raise LedgerError(Why("ledger-streak-months", path=str(path), sheet=sheet,
                              row=row["sheet_row"], value=row["months"]))
    return {**row, "last_month": month, "months": int(count)}


def _text(value: Any) -> str:
    """An id as a sheet's is read: the text the cell shows, spaces typed around it left out."""
    return str(cell_text(value)).strip()


def _records(rows: list[list[Any]], columns: list[str], path: Path,
             sheet: str) -> list[dict[str, Any]]:
    """The sheet's rows under `columns`, blank rows left out; each with its `sheet_row` (as
    Excel numbers it, for messages) and the cells of its `own` columns (`_own_columns`)."""
    if not rows:
        return []
    header = [str(h).strip() for h in rows[0]]
    at = {c: next((i for i, h in enumerate(header) if h in _names(c)), -1) for c in columns}
    missing = [c for c, i in at.items() if i < 0]
    if missing:  # said by the headers svcperf writes, in both languages: 积分变动 / change
        named = ", ".join(" / ".join(dict.fromkeys(BOOK[lang][c.lower()] for lang in ("zh", "en")))
                          for c in missing)
        raise LedgerError(Why("ledger-columns", path=str(path), sheet=sheet, missing=named,
                              found=", ".join(h for h in header if h) or "-"))
    own = {i: h for i, h in enumerate(header) if h in _own_columns(rows, columns)}
    return [{**{c: (row[i] if i < len(row) else None) for c, i in at.items()}, "sheet_row": n,
             "own": {h: row[i] for i, h in own.items() if i < len(row)}}
            for n, row in enumerate(rows[1:], start=2) if any(v not in ("", None) for v in row)]


def _own_columns(rows: list[list[Any]], columns: list[str]) -> list[str]:
    """The headers of the columns someone added to a sheet (备注), in their order."""
    header = [str(h).strip() for h in rows[0]] if rows else []
    return list(dict.fromkeys(h for h in header if h and not any(h in _names(c) for c in columns)))


@contextlib.contextmanager
def locked(path: Path | None, timeout: float = 600) -> Iterator[None]:
    """Hold the ledger's lock (an OS file lock beside it, `.<ledger>.lock`) for a whole roll-up:
    read, update, write. A second roll-up of the same ledger waits for the first, so neither
    loses the other's points. Nothing is locked without a ledger. The lock file stays, hidden:
    removing it could let a waiting run and a new one each lock a file of that name at once."""
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(path.with_name(f".{path.name}.lock")), timeout=timeout):
            yield
    except Timeout:
        raise LedgerError(Why("ledger-locked", path=str(path), timeout=f"{timeout:g}")) from None


def write_ledger(ledger: Ledger, lang: str = "en") -> Path:
    """Write History, Streaks and Balances atomically, named and headed in `lang` (the rule
    set's): a clerk types redemptions under these headers."""
    names = {r["id"]: r.get("name") for r in ledger.history if r.get("name")}
    balances = ledger.balances()
    t = BOOK[lang if lang in LANGUAGES else "en"]
    with atomic_path(ledger.path) as tmp:
        wb = new_workbook(tmp)
        bold = wb.add_format({"bold": True, "bg_color": "#D9E1F2"})
        for name, columns, rows in (
                ("balances", BALANCES,
                 [{"id": k, "name": names.get(k), "balance": v}
                  for k, v in sorted(balances.items())]),
                ("history", HISTORY, ledger.history),
                ("streaks", STREAKS, ledger.streaks)):
            own = ledger.own if name == "history" else []
            ws = wb.add_worksheet(t[name])
            ws.write_row(0, 0, [*(t[c] for c in columns), *own], bold)
            for r, row in enumerate(rows, start=1):
                ws.write_row(r, 0, [*(row.get(c) for c in columns),
                                    *(row.get("own", {}).get(h) for h in own)])
            ws.freeze_panes(1, 0)
            for c, key in enumerate(columns):  # printable: each column wide enough, A4
                ws.set_column(c, c, {"recorded_at": 26, "reason": 28, "name": 16}.get(key, 12))
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(0)
            ws.set_footer("&C&P / &N")
        wb.close()
    return ledger.path
