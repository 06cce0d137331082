"""Hostile packages are refused from the zip's directory, fast and in little memory.

Each file is built here (none is checked in) and given to the CLI in a subprocess with a
wall-clock bound and an address-space limit, so a failure cannot take the test run with it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES

LIMIT = 400 << 20  # bytes of address space the refusing process may use


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT + (600 << 20), LIMIT + (600 << 20)))


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "svcperf", *map(str, args)], capture_output=True,
                          text=True, timeout=60, preexec_fn=_bounded, env={**os.environ, **(env or {})},
                          stdin=subprocess.DEVNULL)


def bomb(path: Path, member: str, size: int) -> Path:
    """The shipped example with one part replaced by `size` bytes of one repeated byte (it
    deflates about a thousand times)."""
    with zipfile.ZipFile(EXAMPLES / "tiered-service.xlsx") as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item, src.read(item.filename))
        with dst.open(member, "w", force_zip64=True) as out:
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                out.write(block)
    return path


@pytest.mark.parametrize("member, size, words", [
    ("xl/worksheets/sheet1.xml", 1100 << 20, "over the limit of 1,024 MiB of one part"),
    ("xl/sharedStrings.xml", 600 << 20, "inflates"),
])
def test_a_decompression_bomb_is_refused_before_it_is_read(tmp_path, member, size, words):
    path = bomb(tmp_path / "bomb.xlsx", member, size)
    assert path.stat().st_size < 8 << 20  # a few MiB on disk
    before = path.read_bytes()
    start = time.perf_counter()
    done = run("validate", path, "--rules", "tiered-service")
    assert time.perf_counter() - start < 10  # well under a second of work, plus start-up
    assert done.returncode == 2 and words in done.stdout + done.stderr
    assert "SVCPERF_MAX" in done.stdout + done.stderr  # and how to raise the limit
    assert "Traceback" not in done.stderr and path.read_bytes() == before


def test_a_limit_can_be_raised(tmp_path):
    path = bomb(tmp_path / "big.xlsx", "xl/sharedStrings.xml", 20 << 20)
    refused = run("validate", path, "--rules", "tiered-service", "--format", "json")
    assert refused.returncode == 2 and "times a part may inflate" in refused.stdout
    raised = run("validate", path, "--rules", "tiered-service", "--format", "json",
                 env={"SVCPERF_MAX_RATIO": "100000"})
    assert "times a part may inflate" not in raised.stdout + raised.stderr


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "sheet.csv"
    os.mkfifo(fifo)
    done = run("validate", fifo, "--rules", "tiered-service")
    assert done.returncode == 2 and "not a regular file" in done.stdout + done.stderr


def with_sheet(path: Path, sheet: str) -> Path:
    """The shipped example with its sheet's XML replaced by `sheet`."""
    with zipfile.ZipFile(EXAMPLES / "tiered-service.xlsx") as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else \
                src.read(item.filename)
            dst.writestr(item, data)
    return path


def far_cells(path: Path) -> Path:
    """The example with its sheet replaced by two cells, A1 and XFD1048576 (calamine would
    allocate for the 17 billion cells between them and abort the process)."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
             'formats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c>'
             '</row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>')
    return with_sheet(path, sheet)


@pytest.mark.parametrize("command", ["validate", "rank"])
def test_cells_far_apart_are_refused_not_allocated(tmp_path, command):
    path = far_cells(tmp_path / "far.xlsx")
    assert path.stat().st_size < 20 << 10
    done = run(command, path, "--rules", "tiered-service")
    assert done.returncode == 2, done.stderr[-500:]
    assert "spans 17,179,869,184 cells" in done.stdout + done.stderr
    assert "SVCPERF_MAX_CELLS" in done.stdout + done.stderr and "Traceback" not in done.stderr


def crashing(path: Path) -> Path:
    """Cells far apart in a sheet part of 10 MiB (padded with text that does not compress):
    refused before it is read, and with the cell limit raised past it the native reader
    aborts the process on it."""
    import base64
    import random

    pad = base64.b64encode(random.Random(5).randbytes(7 << 20)).decode()
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
             'formats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr">'
             f'<is><t>{pad}</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c>'
             '</row></sheetData></worksheet>')
    return with_sheet(path, sheet)


def test_a_file_that_aborts_the_reader_costs_only_itself_in_a_batch(tmp_path):
    import json
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "c"):
        shutil.copy(EXAMPLES / "tiered-service.xlsx", folder / f"{name}.xlsx")
    crashing(folder / "b.xlsx")
    summary = tmp_path / "summary.json"
    done = subprocess.run([sys.executable, "-m", "svcperf", "rank", str(folder), "--out-dir",
                           str(tmp_path / "out"), "--rules", "tiered-service", "-j", "2",
                           "--summary", str(summary)], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "SVCPERF_MAX_CELLS": "99999999999"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    files = {Path(f["file"]).name: f for f in json.loads(summary.read_text())["files"]}
    assert files["b.xlsx"]["status"] == "failed"
    assert "stopped abnormally" in files["b.xlsx"]["message"]
    assert files["a.xlsx"]["status"] == files["c.xlsx"]["status"] == "rejected-rows"
    assert sorted(p.name for p in (tmp_path / "out").glob("*.ranked.xlsx")) == \
        ["a.ranked.xlsx", "c.ranked.xlsx"]


def test_a_big_sheet_part_with_cells_far_apart_is_refused_in_a_single_rank(tmp_path):
    path = crashing(tmp_path / "crash.xlsx")
    done = run("rank", path, "--rules", "tiered-service", "--out", tmp_path / "out.xlsx")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-500:]
    assert "spans 17,179,869,184 cells" in done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == [path]


def test_a_zip_declaring_a_version_no_workbook_uses_is_refused_plainly(tmp_path):
    """Found by the mutation test: 'version needed to extract' 8.4 in the central directory
    made zipfile raise NotImplementedError where the reader expected BadZipFile (internal
    error); calamine would read it, but its error cells could not be looked for."""
    import struct

    data = bytearray((EXAMPLES / "tiered-service.xlsx").read_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 6:at + 8] = struct.pack("<H", 84)
    path = tmp_path / "v84.xlsx"
    path.write_bytes(bytes(data))
    done = run("validate", path, "--rules", "tiered-service")
    assert done.returncode == 2 and "internal error" not in done.stderr
    assert "zip structure is not one a workbook uses (zip file version 8.4)" in done.stderr
