"""Broken workbooks and killed runs: real files mutated at random, runs killed at random
moments. Whatever happens: exit 0, 1 or 2, a plain message, no traceback, no file left half
written, the input unchanged, and the next run completes."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, big_r1_sheet
from test_hostile_packages import _bounded

SOURCES = ["tiered-service.xlsx", "gas-service-center.xlsx", "ambassador-2026-01.xlsx"]


def truncated(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(len(data))]


def flipped(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def dropped(data: bytes, rng: random.Random, path: Path) -> bytes:
    """The package without one of its parts (a sheet, the shared strings, the workbook...)."""
    src = path.with_suffix(".src.xlsx")
    src.write_bytes(data)
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        gone = rng.choice(names)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in names:
                if name != gone:
                    zout.writestr(name, zin.read(name))
    src.unlink()
    return path.read_bytes()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(SOURCES), st.sampled_from(["truncate", "flip", "drop"]),
                          st.integers(0, 2**32)), min_size=4, max_size=6))
def test_mutated_workbooks_give_a_plain_answer(tmp_path_factory, mutations):
    folder = tmp_path_factory.mktemp("mutated")
    paths = []
    for n, (source, how, seed) in enumerate(mutations):
        rng, data, path = random.Random(seed), (EXAMPLES / source).read_bytes(), folder / f"m{n}.xlsx"
        data = truncated(data, rng) if how == "truncate" else flipped(data, rng) \
            if how == "flip" else dropped(data, rng, path)
        path.write_bytes(data)
        paths.append((path, data))
    done = subprocess.run([sys.executable, "-m", "svcperf", "validate", *(str(p) for p, _ in paths),
                           "--format", "json"], capture_output=True, text=True, timeout=60,
                          preexec_fn=_bounded, stdin=subprocess.DEVNULL)
    assert done.returncode in (0, 1, 2), (mutations, done.stderr[-800:])
    assert "Traceback" not in done.stderr and "internal error" not in done.stdout + done.stderr, \
        (mutations, done.stderr[-800:], done.stdout[-800:])
    assert all(p.read_bytes() == data for p, data in paths)  # the inputs are never changed


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_single_rank_killed_at_a_random_moment_leaves_the_next_run_complete(tmp_path, sig):

    sheet = tmp_path / "big.xlsx"
    big_r1_sheet(sheet, 10000)
    before = sheet.read_bytes()
    out = tmp_path / "out.xlsx"
    cmd = [sys.executable, "-m", "svcperf", "rank", str(sheet), "--rules", "tiered-service",
           "-o", str(out), "-q", "--force"]  # a run killed after its rename left a whole output
    rng = random.Random(sig)
    for _ in range(2):
        run = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.2, 1.2))
        run.send_signal(sig)
        _, err = run.communicate(timeout=60)
        assert b"Traceback" not in err
        if sig != signal.SIGKILL:  # Ctrl-C cleans up after itself; kill -9 cannot
            assert not list(tmp_path.glob(".*.part*")), err[-300:]
        if out.exists():  # an output is there whole or not at all
            assert zipfile.ZipFile(out).testzip() is None
    done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert done.returncode == 0 and zipfile.ZipFile(out).testzip() is None
    assert not list(tmp_path.glob(".*.part*")) and sheet.read_bytes() == before


def test_a_batch_interrupted_at_a_random_moment_is_finished_by_the_next_run(tmp_path):
    import json

    from conftest import R1_HEADER, write_xlsx

    folder = tmp_path / "in"
    folder.mkdir()
    rows = [[f"E{r:05d}", "张三", f"C{r % 30}", "A类", 0.95, 0.9, 1.0, 0, 0] for r in range(6000)]
    for n in range(4):
        write_xlsx(folder / f"s{n}.xlsx", [R1_HEADER, *rows])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "svcperf", "rank", str(folder), "--out-dir", str(out),
           "--rules", "tiered-service", "-j", "2", "-q"]
    run = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    time.sleep(random.Random(7).uniform(0.8, 2.5))
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert b"Traceback" not in err
    assert not list(out.glob(".*.part*"))
    again = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr[-500:]
    state = json.loads((out / ".svcperf-state.json").read_text("utf-8"))
    made = {p.name for p in out.glob("*.ranked.xlsx")}
    assert made == set(state) == {f"s{n}.ranked.xlsx" for n in range(4)}
    assert not list(out.glob(".*.part*"))


@pytest.mark.parametrize("args", [
    ["validate", "{long}.xlsx"],
    ["rank", "{sheet}", "-o", "{long}.xlsx", "-q"],
    ["rank", "{sheet}", "--adjust", "{long}.csv", "--dry-run"],
    ["rules", "check", "{long}.yaml"],
])
def test_a_name_longer_than_the_file_system_allows_is_one_plain_line(tmp_path, args):
    long = str(tmp_path / ("a" * 300))
    argv = [a.format(long=long, sheet=EXAMPLES / "tiered-service.xlsx") for a in args]
    done = subprocess.run([sys.executable, "-m", "svcperf", *argv], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "the name is longer than the file system allows" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_a_temporary_file_that_cannot_be_made_is_said_of_the_output(tmp_path, monkeypatch):
    import tempfile

    from svcperf.io.files import atomic_path

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".r.xlsx.x1y2.part"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as info, atomic_path(tmp_path / "r.xlsx"):
        pass
    assert info.value.filename == str(tmp_path / "r.xlsx")


def test_a_folder_that_cannot_step_aside_leaves_nothing_behind(tmp_path, monkeypatch):
    import os

    from svcperf.io.files import atomic_dir

    target = tmp_path / "groups"
    target.mkdir()
    (target / "old.xlsx").write_text("x")

    def refuse(src, dst):  # a folder it may not write cannot be moved (its '..' changes)
        raise PermissionError(13, "Permission denied", str(src))

    with pytest.raises(PermissionError), atomic_dir(target) as tmp:
        (tmp / "new.xlsx").write_text("y")
        monkeypatch.setattr(os, "replace", refuse)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["groups"]
    assert [p.name for p in target.iterdir()] == ["old.xlsx"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("folder", [False, True])
def test_a_stop_just_after_the_temporary_file_is_made_removes_it(tmp_path, monkeypatch, sig,
                                                                  folder):
    """Ctrl-C or kill the moment mkstemp (mkdtemp) has made the file, before the code that
    removes it on failure is reached: it is removed all the same."""
    import tempfile

    from svcperf.io.files import atomic_dir, atomic_path, install_term_handler

    make = "mkdtemp" if folder else "mkstemp"
    real = getattr(tempfile, make)

    def made_then_stopped(*args, **kwargs):
        made = real(*args, **kwargs)
        signal.raise_signal(sig)  # as a user's Ctrl-C or a kill would, at this very moment
        return made

    previous = signal.getsignal(signal.SIGTERM)
    install_term_handler()  # what every svcperf command runs under: kill stops as Ctrl-C
    try:
        monkeypatch.setattr(tempfile, make, made_then_stopped)
        with pytest.raises(KeyboardInterrupt), (atomic_dir if folder else atomic_path)(
                tmp_path / "out.xlsx"):
            pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert list(tmp_path.iterdir()) == []


# Runs svcperf's real entry point with XlsxWriter's Workbook.close sending this process a real
# signal first: the stop comes at a known moment, while the command's temporary output exists.
STOPPED_IN_CLOSE = """
import os, signal, sys
import xlsxwriter.workbook as workbook
close = workbook.Workbook.close
def stopped(self):
    os.kill(os.getpid(), signal.{sig})
    return close(self)
workbook.Workbook.close = stopped
sys.argv = ["svcperf", *sys.argv[1:]]
from svcperf.cli import main
main()
"""
INTERRUPTED = "svcperf: error: interrupted; no output was left half-written\n"
MONTHS = [str(EXAMPLES / f"ambassador-2026-0{n}.xlsx") for n in (1, 2)]


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("args", [
    ["template", "--rules", "tiered-service", "-o", "out.xlsx"],
    ["template", "--adjust", "--rules", "tiered-service", "-o", "out.xlsx"],
    ["diff", "{results}/old.json", "{results}/new.json", "-o", "out.xlsx"],
    ["rollup", *MONTHS, "--rules", "ambassador-circle", "-o", "out.xlsx"],
    ["rollup", *MONTHS, "--rules", "ambassador-circle", "--ledger", "points.xlsx", "-o",
     "out.csv"],
    ["rank", str(EXAMPLES / "tiered-service.xlsx"), "-o", "out.xlsx", "-q"],
], ids=["template", "template-adjust", "diff", "rollup", "rollup-ledger", "rank"])
def test_every_command_stopped_while_writing_says_so_and_leaves_nothing(tmp_path_factory, args,
                                                                       sig):
    from conftest import cli

    results, work = tmp_path_factory.mktemp("results"), tmp_path_factory.mktemp("work")
    if args[0] == "diff":
        for name, month in (("old", 1), ("new", 2)):
            cli("rank", EXAMPLES / f"ambassador-2026-0{month}.xlsx", "-o", results / f"{name}.json",
                "-q")
    argv = [a.format(results=results) for a in args]
    done = subprocess.run([sys.executable, "-c", STOPPED_IN_CLOSE.format(sig=sig), *argv],
                          cwd=work, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stderr) == (130, INTERRUPTED)
    # no temporary file, no output, no ledger (its lock file stays, as after any roll-up)
    assert [p.name for p in work.iterdir() if p.name != ".points.xlsx.lock"] == []


def _rank_writing(tmp_path: Path, rows: int, out: Path) -> subprocess.Popen[str]:
    """A rank of a big sheet (tmp_path/big.xlsx) to `out`, returned once its temporary output
    is there (or it ended)."""
    sheet = big_r1_sheet(tmp_path / "big.xlsx", rows)
    run = subprocess.Popen([sys.executable, "-m", "svcperf", "rank", str(sheet), "--rules",
                            "tiered-service", "-o", str(out), "-q"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while run.poll() is None and not list(tmp_path.glob(f".{out.name}.*.part*")):
        assert time.monotonic() < deadline
        time.sleep(0.002)
    return run


def test_a_kill_from_outside_while_rank_writes_says_so_and_leaves_nothing(tmp_path):
    """kill (SIGTERM) from another process, the moment the temporary output appears."""
    run = _rank_writing(tmp_path, 20000, tmp_path / "out.xlsx")
    assert run.returncode is None, "the run ended before its output was being written"
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert (run.returncode, err) == (130, INTERRUPTED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.xlsx"]


def test_a_second_run_writing_the_same_output_leaves_the_first_runs_temporary_file(tmp_path):
    """Two runs writing one output: the second's sweep of stale temporary files removes only
    those no live run holds; both finish, the last rename wins, nothing is left behind."""
    from svcperf.batch import remove_stale_parts
    from svcperf.io.files import atomic_dir, atomic_path

    target = tmp_path / "out.ranked.xlsx"
    stale = tmp_path / ".out.ranked.xlsx.k1ll3d.part"  # what a kill -9 leaves: nobody holds it
    stale.write_bytes(b"stale")
    with atomic_path(target) as first:
        assert not stale.exists()
        first.write_bytes(b"first")
        remove_stale_parts([tmp_path])  # a batch's sweep at its start
        with atomic_path(target) as second:  # its sweep runs while `first` is being written
            second.write_bytes(b"second")
        assert first.read_bytes() == b"first" and target.read_bytes() == b"second"
    assert target.read_bytes() == b"first"
    folder = tmp_path / "groups"
    with atomic_dir(folder) as one:
        (one / "a.xlsx").write_bytes(b"one")
        with atomic_dir(folder) as two:
            (two / "a.xlsx").write_bytes(b"two")
    assert (folder / "a.xlsx").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["groups", "out.ranked.xlsx"]


def test_a_run_started_while_another_writes_the_same_output_lets_it_finish(tmp_path):
    """The tester's race, made certain: a rank is writing its output (its .part is there) when
    another command starts writing the same file; before, the second one's sweep removed the
    first one's temporary file and the first failed ("cannot be written (No such file or
    directory)"). Both succeed; the output is the last one renamed into place, whole."""
    import openpyxl

    out = tmp_path / "race.xlsx"
    first = _rank_writing(tmp_path, 40000, out)
    second = subprocess.run([sys.executable, "-m", "svcperf", "template", "--rules",
                             "tiered-service", "-o", str(out), "--force"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert first.poll() is None, "the rank ended before the template was written: no race"
    _, err = first.communicate(timeout=60)
    assert (first.returncode, err) == (0, "")
    assert zipfile.ZipFile(out).testzip() is None
    assert "考核结果" in openpyxl.load_workbook(out, read_only=True).sheetnames  # the rank's
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.xlsx", "race.xlsx"]


def _no_room() -> None:
    """In the child: no file may grow past 512 bytes (RLIMIT_FSIZE), and a write past that
    fails with EFBIG instead of killing the process (SIGXFSZ ignored). A portable full disk:
    every output is larger, and its write fails as under ENOSPC, through the same code (an
    OSError naming no file from write or close, wrapped by XlsxWriter in FileCreateError);
    only the errno is EFBIG. Python's own check of the temporary folder (4 bytes) passes."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, resource.RLIM_INFINITY))


@pytest.mark.parametrize(("args", "named"), [
    (["rank", "{sheet}", "-o", "{out}/r.xlsx"], "{out}/r.xlsx"),
    (["rank", "{sheet}", "-o", "{out}/r.csv"], "{out}/r.csv"),
    (["rank", "{sheet}", "-o", "{out}/r.json"], "{out}/r.json"),
    (["rank", "{sheet}", "--adjust", "{adjust}", "-o", "{out}/r.xlsx"], "{out}/r.xlsx"),
    (["rank", "{sheet}", "-o", "{out}/r.xlsx", "--split-by", "group", "--split-dir",
      "{out}/groups"], ["{out}/groups/"]),  # the group workbook's name in the folder
    (["rank", "{sheet}", "--out-dir", "{out}/d", "-j", "1"],  # the sheet, then its output
     ["{sheet}: {out}/d/ambassador-circle.ranked.xlsx"]),
    (["rank", "{sheet}", "--out-dir", "{out}/d", "--combined", "{out}/all.xlsx", "-j", "1"],
     ["{sheet}: {out}/d/ambassador-circle.ranked.xlsx", "{out}/all.xlsx"]),
    (["template", "--rules", "ambassador-circle", "-o", "{out}/t.xlsx"], "{out}/t.xlsx"),
    (["template", "--adjust", "--rules", "ambassador-circle", "-o", "{out}/t.xlsx"],
     "{out}/t.xlsx"),
    (["diff", "{results}/old.json", "{results}/new.json", "-o", "{out}/d.xlsx"], "{out}/d.xlsx"),
    (["rollup", "{month}", "--rules", "ambassador-circle", "--ledger", "{out}/p.xlsx"],
     "{out}/p.xlsx"),
    (["init", "{sheet}", "-o", "{out}/rules.yaml"], "{out}/rules.yaml"),
], ids=["rank-xlsx", "rank-csv", "rank-json", "adjust", "split-dir", "out-dir", "combined",
        "template", "template-adjust", "diff", "rollup-ledger", "init"])
def test_an_output_the_disk_has_no_room_for_is_one_line_naming_it(tmp_path_factory, args, named):
    from conftest import cli

    results, out = tmp_path_factory.mktemp("results"), tmp_path_factory.mktemp("full")
    if args[0] == "diff":
        for name, month in (("old", 1), ("new", 2)):
            cli("rank", EXAMPLES / f"ambassador-2026-0{month}.xlsx", "-o", results / f"{name}.json",
                "-q")
    words = {"sheet": EXAMPLES / "ambassador-circle.xlsx", "out": out, "results": results,
             "adjust": EXAMPLES / "ambassador-appeal.csv",
             "month": EXAMPLES / "ambassador-2026-01.xlsx"}
    quiet = ["-q"] if args[0] == "rank" else []
    # no bytecode written in the child: Python writes a .pyc with one write and does not look
    # at how much of it went out, so under the limit it would leave truncated ones behind
    done = subprocess.run([sys.executable, "-B", "-m", "svcperf",
                           *(a.format(**words) for a in args), *quiet], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL, preexec_fn=_no_room)
    lines = [line for line in done.stderr.splitlines() if not line.startswith("svcperf: note:")]
    assert done.returncode == 2, done.stderr
    paths = named if isinstance(named, list) else [named]
    assert len(lines) == len(paths), done.stderr  # one line a failure: no traceback
    for line, path in zip(lines, paths, strict=True):
        assert line.startswith(f"svcperf: error: {path.format(**words)}"), done.stderr
        assert ": cannot be written (File too large); " in line, done.stderr
    assert [p.name for p in out.rglob("*") if not p.name.endswith(".lock")
            and p.name != ".svcperf-state.json"] in ([], ["d"]), "a partial file was left"
