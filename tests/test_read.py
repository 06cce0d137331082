"""Reading: a workbook is read once per command, and read ahead on a background thread."""

import json
import os
import subprocess
import sys

import xlsxwriter

from conftest import EXAMPLES, write_xlsx
from svcperf.cli import _read_ahead_early
from svcperf.io import read
from svcperf.io.read import open_book, read_ahead, session
from svcperf.pipeline import check_file
from svcperf.rules.load import load_rules

SHEET = EXAMPLES / "tiered-service.xlsx"


def test_a_book_is_opened_once_per_session_and_forgotten_after():
    with session():
        book = open_book(SHEET)
        assert open_book(SHEET) is book
        with session():  # a command run inside another keeps the outer one's books
            assert open_book(SHEET) is book
        assert open_book(SHEET) is book
    assert not read._Session.books and not read._Session.ahead
    assert open_book(SHEET) is not open_book(SHEET)  # outside a session nothing is kept


def test_a_changed_file_is_read_again(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["工号"], ["E1"]])
    with session():
        first = open_book(path).rows("Sheet1")
        write_xlsx(path, [["工号"], ["E1"], ["E2 is a longer id"]])
        assert open_book(path).rows("Sheet1") != first


def test_sheets_read_ahead_are_handed_to_the_book():
    plain = open_book(SHEET)
    names = [s.name for s in plain.sheets if s.worksheet]
    with session():
        read_ahead(SHEET)
        book = open_book(SHEET)
        assert book._ahead.opened.wait(30) and set(book._ahead.futures) == set(names)
        book._wb = None  # a sheet parsed here instead of taken from the thread would fail
        assert [book.rows(n) for n in names] == [plain.rows(n) for n in names]
        assert not book._ahead.futures  # every one was taken


def test_unneeded_sheets_are_not_read_on(tmp_path):
    path = tmp_path / "two.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        for name in ("Scores", "Raw"):
            wb.add_worksheet(name).write_row(0, 0, ["工号", name])
    with session():
        read_ahead(path)
        book = open_book(path)
        book.rows("Scores")
        book.done()
        assert not book._ahead.futures  # Raw: cancelled, or let go once parsed


def test_read_ahead_leaves_bad_files_to_open_book(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 cut short")
    with session():
        for path in (tmp_path / "none.xlsx", tmp_path, tmp_path / "bad.xlsx"):
            read_ahead(path)
        assert len(read._Session.ahead) == 1  # only the file that exists and looks like a zip
        report = check_file(tmp_path / "bad.xlsx", load_rules("tiered-service"))
    assert report.flatten(["code"]) == [["unreadable-file"]]


def test_read_ahead_is_off_outside_a_session():
    read_ahead(SHEET)
    assert not read._Session.ahead


def test_early_read_ahead_only_for_one_plain_sheet(tmp_path):
    other = write_xlsx(tmp_path / "b.xlsx", [["工号"], ["E1"]])
    cases = {("validate", str(SHEET), str(other)): True, ("rank", str(SHEET)): True,
             ("rank", str(SHEET), str(other)): False, ("rank", str(SHEET), "--out-dir", "o"): False,
             ("rank", "--rules", "x", str(SHEET)): False, ("rules", "show", str(SHEET)): False,
             ("rank", str(SHEET), "-o", str(other)): True}
    for args, expected in cases.items():
        with session():
            _read_ahead_early(list(args))
            assert bool(read._Session.ahead) == expected, args


def _rows_in_child(path):
    return len(open_book(path).rows(open_book(path).sheets[0].name))


def test_a_forked_worker_reads_for_itself(monkeypatch):
    """A batch worker forked while the parent is still opening a workbook to read ahead must
    not wait for the parent's thread, which the child does not have."""
    import multiprocessing
    import threading

    gate = threading.Event()
    parse = read.Ahead._parse
    monkeypatch.setattr(read.Ahead, "_parse", lambda self, *args: gate.wait() and parse(self, *args))
    try:
        with session():
            read_ahead(SHEET)
            with multiprocessing.get_context("fork").Pool(1) as pool:
                assert pool.apply_async(_rows_in_child, (SHEET,)).get(timeout=60) > 0
    finally:
        gate.set()


def test_options_that_take_a_value_are_known_to_the_entry_point():
    """`-o out.xlsx` must not look like a second sheet to the early read-ahead."""
    from typer.main import get_command

    from svcperf.cli import _TAKES_VALUE
    from svcperf.cli.app import app

    commands = get_command(app).commands  # type: ignore[attr-defined]
    for name in ("rank", "validate"):
        for param in commands[name].params:
            if param.param_type_name == "option" and not param.is_flag:
                assert set(param.opts) <= _TAKES_VALUE, (name, param.opts)


def test_a_file_written_again_is_a_new_file(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["工号"], ["E1"]])
    before = read._stamp(path)
    write_xlsx(path, [["工号"], ["E2"]])  # same size
    os.utime(path, ns=(before[3], before[3]))  # and the same modification time
    assert read._stamp(path) != before


def test_console_exit_code_and_output_survive_the_quick_exit():
    done = subprocess.run([sys.executable, "-m", "svcperf", "validate", str(SHEET), "--format",
                           "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and json.loads(done.stdout)["valid"] is False
    assert done.stderr == ""


def test_error_marker_across_a_block_boundary_is_found(tmp_path):
    import io
    import zipfile

    from svcperf.io.cells import _holds_errors_or_formulas

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        # each marker starts in one block of 1 MiB and ends in the next
        for n, (before, marker) in enumerate([(5, b'<c t="e">'), (1, b"<f>"), (1, b"<c>")]):
            zf.writestr(f"s{n}.xml", b" " * ((1 << 20) - before) + marker + b" " * 100)
    with zipfile.ZipFile(buf) as zf:
        assert [_holds_errors_or_formulas(zf, f"s{n}.xml") for n in range(3)] == \
            [True, True, False]
