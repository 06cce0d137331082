"""Reading: a workbook is read once per command, and read ahead on a background thread."""

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
    assert not read._BOOKS and not read._AHEAD
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
        assert set(book._ahead) == set(names)
        assert [book.rows(n) for n in names] == [plain.rows(n) for n in names]
        assert not book._ahead  # every future was taken


def test_read_ahead_leaves_bad_files_to_open_book(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 cut short")
    with session():
        for path in (tmp_path / "bad.xlsx", tmp_path / "none.xlsx", tmp_path):
            read_ahead(path)
        assert not read._AHEAD
        report = check_file(tmp_path / "bad.xlsx", load_rules("tiered-service"))
    assert report.flatten(["code"]) == [["unreadable-file"]]


def test_read_ahead_is_off_outside_a_session():
    read_ahead(SHEET)
    assert not read._AHEAD


def test_early_read_ahead_only_for_one_plain_sheet(tmp_path):
    other = write_xlsx(tmp_path / "b.xlsx", [["工号"], ["E1"]])
    cases = {("validate", str(SHEET), str(other)): True, ("rank", str(SHEET)): True,
             ("rank", str(SHEET), str(other)): False, ("rank", str(SHEET), "--out-dir", "o"): False,
             ("rank", "--rules", "x", str(SHEET)): False, ("rules", "show", str(SHEET)): False,
             ("rank", str(SHEET), "-o", str(other)): True}
    for args, expected in cases.items():
        with session():
            _read_ahead_early(list(args))
            assert bool(read._AHEAD) == expected, args


def _rows_in_child(path):
    return len(open_book(path).rows(open_book(path).sheets[0].name))


def test_a_forked_worker_reads_for_itself():
    """A batch worker forked while the parent reads ahead must not wait for the parent's
    thread, which the child does not have."""
    import multiprocessing

    with session():
        read_ahead(SHEET)
        with multiprocessing.get_context("fork").Pool(1) as pool:
            assert pool.apply_async(_rows_in_child, (SHEET,)).get(timeout=60) > 0
