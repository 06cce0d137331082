"""Shared helpers: tiny workbooks written on the fly, and a CLI runner with a fixed width."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from typer.testing import CliRunner

from svcperf.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT / "tests" / "data" / "corpus"  # copied from two MIT test suites: SOURCES.md
os.environ["COLUMNS"] = "160"  # rich output stays on one line per row
# A suite started in the background by a script (`nohup ... &`) inherits Ctrl-C ignored, and
# so would every svcperf it starts: the tests of what Ctrl-C does could not send one. Python's
# own handler here; each child starts with the default one again, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _limits_of_the_test_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--limit` sets its environment variables in the process it runs in: an in-process run
    (`cli`) must not leave one to the tests after it."""
    from svcperf.io.package import LIMITS

    for variable, _ in LIMITS.values():
        monkeypatch.delenv(variable, raising=False)


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "Sheet1",
               percent_cols: tuple[int, ...] = ()) -> Path:
    """A workbook whose cells are exactly `rows` (None = blank cell), from A1."""
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False,
                                    "strings_to_urls": False}) as wb:
        ws = wb.add_worksheet(sheet)
        pct = wb.add_format({"num_format": "0.00%"})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value, pct if c in percent_cols else None)
    return path


def big_r1_sheet(path: Path, rows: int, centres: int = 50) -> Path:
    """An R1 sheet of `rows` people in `centres` centres, written in constant memory: big
    enough that a run is still writing when a test sends it a signal."""
    with xlsxwriter.Workbook(path, {"constant_memory": True}) as wb:
        ws = wb.add_worksheet("S")
        ws.write_row(0, 0, R1_HEADER[:7])
        for r in range(1, rows + 1):
            ws.write_row(r, 0, [f"E{r:05d}", "张三", f"C{r % centres}", "A类", 0.95, 0.9, 1.0])
    return path


def cli(*args: str) -> Any:
    """Run svcperf in-process; returns the click Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def rank_json(sheet: Path, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / f"{sheet.stem}.json"
    result = cli("rank", sheet, "-o", out, "-q", "--force", *extra)  # a test may rank twice
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(out.read_text(encoding="utf-8"))


R1_HEADER = ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率",
             "优惠活动知晓率", "网络弱覆盖次数", "业务办理超时次数"]


@pytest.fixture
def r1_sheet(tmp_path: Path):
    """Build an R1 sheet from data rows (a title row above the header)."""

    def make(rows: list[list[Any]], name: str = "r1.xlsx") -> Path:
        return write_xlsx(tmp_path / name, [["10月考核"], [], R1_HEADER, *rows])

    return make
