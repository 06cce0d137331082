"""What a run produces, as data: where a table sat, each rule sheet's outcome, a run, a roll-up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svcperf import __version__
from svcperf.i18n import cli_message
from svcperf.issues import Issue
from svcperf.rules.load import rules_hash
from svcperf.rules.model import PAY, RuleSet, SheetRules
from svcperf.why import Why

if TYPE_CHECKING:
    import pandas as pd

ROW = "_row"  # frame column holding the 1-based sheet row of each record
# frame columns holding a ranked row's reasons one by one (the grade's, the move's, the
# incentive's); `reason` holds them joined, as Results shows it
WHY = ("_why_grade", "_why_move", "_why_incentive")
EXACT = "_score_exact"  # the score within its limits before the one rounding (Summary's means)


def cents_total(values: Iterable[Any]) -> float | None:
    """The exact sum of amounts in cents (blanks left out); None when all are blank."""
    cents = [Decimal(str(v)) for v in values if v is not None and v == v]  # NaN != NaN
    return float(sum(cents, Decimal(0))) if cents else None


@dataclass
class Table:
    """Where a rule sheet's table sits on a worksheet."""

    file: str
    sheet: str
    header_row: int  # 1-based, the header block's last row (data start below it)
    columns: dict[str, int]  # field key -> 0-based column
    headers: dict[str, str]  # field key -> header as written
    extras: list[tuple[int, str]] = field(default_factory=list)  # carried columns
    rows: list[int] = field(default_factory=list)  # 1-based rows holding people
    issues: list[Issue] = field(default_factory=list)
    header_top: int = 0  # 1-based first row of the header block (0: header_row)
    units: dict[str, str] = field(default_factory=dict)  # field key -> unit in its header
    left_out: dict[str, list[int]] = field(default_factory=dict)  # kind -> rows not people
    merged_by: str = ""  # "sheet" or "file": the rows of several tables, numbered anew
    sources: list[str] = field(default_factory=list)  # the sheets or files merged
    source_header_rows: list[int] = field(default_factory=list)  # each one's header row
    # the columns locate read of the rows below the header: (the grid, {0-based col: cells});
    # check takes its columns from them, then drops them (core.table.data_column)
    body: tuple[list[list[Any]], dict[int, list[Any]]] | None = field(
        default=None, repr=False, compare=False)

    @property
    def source_keys(self) -> tuple[str, str] | None:
        """A merged table's two carried columns, (where from, its own row): the last extras."""
        if not self.merged_by or len(self.extras) < 2:
            return None
        (_, where), (_, row) = self.extras[-2:]
        return f"extra:{where}", f"extra:{row}"

    @property
    def sheets(self) -> list[str]:
        """The worksheets the table was read from."""
        return self.sources if self.merged_by == "sheet" else [self.sheet]

    @property
    def unusable_headers(self) -> list[Issue]:
        """Header problems that make the table unusable for ranking: a required column that is
        absent, a column whose header only resembles its field's (nothing is defaulted), or a
        field's header on two columns (which one holds the scores is not known)."""
        return [i for i in self.issues
                if i.code in ("missing-header", "near-miss-header", "duplicate-header",
                              "moved-header", "grown-header")]


@dataclass
class GroupResult:
    """What distribution did to one group, for the Summary sheet and the terminal."""

    group: str
    size: int
    table: str  # which quota table, and why
    mode: str  # exact, cap, bands (small group) or rejected
    quota: dict[str, int] = field(default_factory=dict)
    actual: dict[str, int] = field(default_factory=dict)
    notice: str | None = None
    calibrated: str = ""  # calibration keep: the grades the overrides put off quota, and who
    # grades fixed in calibration moved it (no cut-off stands as ranked): the grades whose
    # head counts they changed; None when calibration moved nobody
    overridden: list[str] | None = None
    head: str | None = None  # a cascade: the grade of the group's head row, which chose the table


@dataclass
class PartResult:
    """One rule sheet's outcome: ranked rows, rejected rows, and what happened on the way."""

    part: SheetRules
    table: Table
    results: pd.DataFrame
    rejected: pd.DataFrame
    issues: list[Issue]
    groups: list[GroupResult] = field(default_factory=list)
    group_table: pd.DataFrame | None = None

    @property
    def rows_in(self) -> int:
        """People rows read: ranked + rejected."""
        return len(self.table.rows)

    @property
    def left_out(self) -> int:
        """Rows of the sheet left out as not people (subtotals, signatures, blank rows …)."""
        return sum(map(len, self.table.left_out.values()))

    @property
    def pay_totals(self) -> dict[str, float | None]:
        """Each pay amount's total over the ranked rows (where the sheet has pay)."""
        return {k: cents_total(self.results[k].tolist()) for k in PAY if k in self.results}


@dataclass
class RunResult:
    """A ranked workbook: every rule sheet's outcome, and what produced it."""

    rules: RuleSet
    rules_source: str
    input: Path
    input_sha256: str
    params: dict[str, str]
    parts: list[PartResult]
    started: str
    lang: str = "en"
    period: str | None = None  # the month ranked, e.g. 2026-01 (for roll-ups)
    group: str | None = None  # one group's workbook (rank --split-by group): that group
    calibration: Calibration | None = None  # the adjustments applied (svcperf rank --adjust)

    @property
    def issues(self) -> list[Issue]:
        return [i for p in self.parts for i in p.issues]

    @property
    def rows_in(self) -> int:
        return sum(p.rows_in for p in self.parts)

    @property
    def ranked(self) -> int:
        return sum(len(p.results) for p in self.parts)

    @property
    def rejected(self) -> int:
        return sum(len(p.rejected) for p in self.parts)

    @property
    def left_out(self) -> int:
        return sum(p.left_out for p in self.parts)

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    @property
    def pay_totals(self) -> dict[str, float | None]:
        """Each pay amount's total over every sheet of the run (where a sheet has pay)."""
        keys = [k for k in PAY if any(k in p.pay_totals for p in self.parts)]
        return {k: cents_total(p.pay_totals.get(k) for p in self.parts) for k in keys}

    def run_info(self) -> dict[str, Any]:
        kinds: dict[str, int] = {}
        for p in self.parts:
            for kind, rows in p.table.left_out.items():
                kinds[kind] = kinds.get(kind, 0) + len(rows)
        info: dict[str, Any] = {"group": self.group} if self.group is not None else {}
        return {**info, "svcperf version": __version__, "rule set": self.rules.name,
                "rule file": self.rules_source, "rule set hash": rules_hash(self.rules),
                "input file": str(self.input), "input sha256": self.input_sha256,
                "period": self.period or "-", "run at": self.started,
                "params": ", ".join(f"{k}={v}" for k, v in self.params.items()) or "-",
                "sheets read": "; ".join(p.table.sheet for p in self.parts),
                "rows read": self.rows_in + self.left_out, "rows ranked": self.ranked,
                "rows rejected": self.rejected, "rows left out (not people)": self.left_out,
                "left out by kind": ", ".join(f"{k} {n}" for k, n in kinds.items()) or "-",
                **{f"{k.replace('_', ' ')} total": v for k, v in self.pay_totals.items()},
                **({"adjustments file": self.calibration.file,
                    "adjustments sha256": self.calibration.sha256,
                    "adjustments": len(self.calibration.adjustments),
                    "knock-ons": len(self.calibration.knock_ons)} if self.calibration else {})}


@dataclass
class AdjustmentRow:
    """One row of an adjustments file as written: cell values under canonical keys (id, item,
    value, reason, approved_by, date, kind) and where each cell is ('adj.xlsx E2 批准人')."""

    values: dict[str, Any]
    where: dict[str, str]
    line: str  # 'adj.xlsx row 2' / 'adj.yaml line 4'
    place: tuple[str, str, int] = ("", "", 0)  # the same as (file name, 'row' or 'line', number)


@dataclass
class Adjustment:
    """One approved adjustment, checked against the sheet: an input correction of a field, or
    a calibrated final grade (item 'grade')."""

    part: str  # the rule sheet's key
    sheet: str  # the worksheet the person is on
    id: str
    row: int  # the person's sheet row
    item: str  # field key, or 'grade'
    header: str  # the field's header as on the sheet, or the grade label
    value: Any  # the parsed value, or the grade
    shown: str  # the value as a person reads it
    reason: str
    approved_by: str
    date: str | None
    kind: str  # 'appeal' (a field corrected) or 'calibration' (a grade), unless the file says
    line: str  # where in the adjustments file
    before: str = ""  # the value or grade before, as shown
    old: Any = None  # the value or grade before, as a value
    effect: str = ""  # what it did to this person (filled after the run)
    place: tuple[str, str, int] = ("", "", 0)  # `line` as (file name, 'row' or 'line', number)

    @property
    def is_grade(self) -> bool:
        return self.item == "grade"


@dataclass
class KnockOn:
    """Someone not adjusted whose grade, rank, group rank or incentive changed because of one."""

    part: str
    sheet: str
    id: str
    name: str
    row: int
    before: dict[str, Any]  # changed keys -> old value
    after: dict[str, Any]  # changed keys -> new value
    reason: str


@dataclass
class Calibration:
    """The adjustments applied to a run, the file they came from, and everyone else they moved."""

    file: str
    sha256: str
    adjustments: list[Adjustment]
    knock_ons: list[KnockOn] = field(default_factory=list)


@dataclass
class Month:
    """One month's ranked rows under canonical keys (id field, score, grade, input fields)."""

    label: str
    frame: pd.DataFrame
    source: str = ""
    rejected: list[tuple[str, int | None]] = field(default_factory=list)  # (id, sheet row)
    other_rules: str | None = None  # ranked with another version of the rule set: its file


@dataclass
class RollupRun:
    """A period rolled up from monthly files, with the ledger it updates (if any)."""

    rules: RuleSet
    rules_source: str
    period: str
    months: list[Month]  # in the period
    history: list[Month]  # months before the period, used for streaks only
    result: Any  # core.rollup.RollupResult
    ledger: Any | None  # io.ledger.Ledger
    notices: list[Why]  # a calendar month with no file (api._gap_notice)
    started: str

    def run_info(self, lang: str = "en") -> dict[str, Any]:
        """The run's facts; the notices in `lang` (the workbook's Run sheet: the rule set's)."""
        notices = cli_message("join", lang).join(n.render(lang) for n in self.notices)
        return {"svcperf version": __version__, "rule set": self.rules.name,
                "rule file": self.rules_source, "rule set hash": rules_hash(self.rules),
                "period": self.period, "run at": self.started,
                "months": ", ".join(f"{m.label} ({Path(m.source).name})" for m in self.months),
                "history months": ", ".join(m.label for m in self.history) or "-",
                "months without a file": ", ".join(self.result.gaps) or "-",
                "ledger": str(self.ledger.path) if self.ledger else "-",
                "people": len(self.result.frame), "notices": notices or "-"}
