"""Reading: a workbook is opened once per command and each sheet is parsed once, when read."""

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, write_xlsx
from svcperf.api import check_file, rank_sheet
from svcperf.io import read
from svcperf.io.read import open_book
from svcperf.rules.load import load_rules

SHEET = EXAMPLES / "tiered-service.xlsx"


def test_each_sheet_is_parsed_once_per_book(monkeypatch):
    book = open_book(SHEET)
    name = book.worksheets[0].name
    first = book.rows(name)
    book._wb = None  # parsing again would fail
    assert book.rows(name) is first


def test_rank_sheet_reads_the_workbook_once(monkeypatch):
    """Choosing the rule set by headers and ranking share one opened workbook."""
    opened = []
    real = read._open_calamine
    monkeypatch.setattr(read, "_open_calamine", lambda *a: opened.append(a) or real(*a))
    run, chosen = rank_sheet(SHEET)
    assert chosen.how == "matched by headers" and run.ranked and len(opened) == 1


def test_bad_files_are_one_plain_issue(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 cut short")
    report = check_file(tmp_path / "bad.xlsx", load_rules("tiered-service"))
    assert report.flatten(["code"]) == [["unreadable-file"]]
    assert "damaged or was cut short" in report.issues[0].message


@pytest.mark.parametrize("command", [["validate", str(SHEET), "--format", "json"],
                                     ["rules", "list"]])
def test_the_entry_point_exits_normally_with_its_output_flushed(command):
    """No interpreter tricks: the process ends through the normal exit path."""
    done = subprocess.run([sys.executable, "-X", "dev", "-m", "svcperf", *command],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1) and done.stdout and "Traceback" not in done.stderr
    if command[0] == "validate":
        assert done.returncode == 1 and json.loads(done.stdout)["valid"] is False


def test_a_second_sheet_is_read_from_the_same_book(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["工号"], ["E1"]])
    book = open_book(path)
    assert book.rows("Sheet1")[1] == ["E1"]
