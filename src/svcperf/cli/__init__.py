"""The command line. `main` is the entry point; the commands live in `app`, rendering in `render`."""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from pathlib import Path


def main() -> None:
    """Run svcperf. A sheet named first is read while Typer, pydantic and rich load."""
    from svcperf.io.read import session

    with session():
        _read_ahead_early(sys.argv[1:])
        from svcperf.cli.app import run

        try:
            run()
        except SystemExit as done:
            _leave(done.code)


# options of rank and validate followed by a value (`-o out.xlsx` is not a sheet to read)
_TAKES_VALUE = {"--rules", "-r", "--out", "-o", "--out-dir", "--format", "-f", "--month",
                "--period", "--jobs", "-j", "--summary", "--combined", "--lang", "--max-issues"}


def _read_ahead_early(args: list[str]) -> None:
    """`rank` or `validate` of one sheet: start reading it before the imports and options.

    Only when the sheet is plainly the first argument; the commands read ahead themselves
    too, later, which covers every other case.
    """
    from svcperf.io.read import SPREADSHEET_SUFFIXES, read_ahead

    if len(args) < 2 or args[0] not in ("rank", "validate"):
        return
    sheets = [a for before, a in itertools.pairwise(args) if before not in _TAKES_VALUE
              and Path(a).suffix.lower() in SPREADSHEET_SUFFIXES]
    batch = {"--out-dir", "--summary", "--combined", "--jobs", "-j"} & set(args)
    if sheets[:1] == [args[1]] and (args[0] == "validate" or (len(sheets) == 1 and not batch)):
        read_ahead(args[1], pieces=args[0] == "validate")


def _leave(code: object) -> None:
    """Exit now that every output is written and flushed.

    os._exit skips the interpreter's teardown: freeing a big sheet's million cells one by one
    and every module, a tenth of a second that buys nothing. Nothing svcperf runs is left
    behind: process pools and threads that matter are joined before a command returns.
    """
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`)
            stream.flush()
    os._exit(code or 0)
