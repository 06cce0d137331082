"""One workbook per group, in one folder written atomically (`rank --split-by group`).

Each file is named after its group: characters no file system takes are replaced (pathvalidate,
which also knows Windows' reserved names), Chinese is kept, and two groups whose names would
give one file (东区/一 and 东区_一, or Ab and ab on a case-blind disk) get -2, -3 … The folder
holds `.svcperf-split.json`, which lists each group, its file and its rows; a folder without it
that holds files is never replaced.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from pathvalidate import sanitize_filename

from svcperf.io.files import atomic_dir
from svcperf.io.write import write_result
from svcperf.issues import FileError
from svcperf.results import RunResult

MANIFEST = ".svcperf-split.json"
MAX_STEM = 80  # characters of a group's name kept in its file name


def split_folder(out: Path, given: Path | None = None) -> Path:
    """Where the group workbooks of `out` go: `given`, else `<out stem>.by-group` beside it.
    FileError when that is a file, or a folder of other files (it would be replaced)."""
    folder = given if given is not None else out.with_name(f"{out.stem}.by-group")
    check_replaceable(folder)
    return folder


def check_replaceable(folder: Path) -> None:
    """FileError unless `folder` is absent, empty, or one svcperf wrote (it is replaced)."""
    if folder.exists() and not folder.is_dir():
        raise FileError(f"{folder} is a file; the group workbooks need a folder there (choose "
                        "another with --split-dir)")
    if folder.is_dir() and not (folder / MANIFEST).is_file() and any(folder.iterdir()):
        raise FileError(f"{folder} holds files svcperf did not write; it would be replaced by the "
                        "group workbooks. Empty it, or choose another folder with --split-dir")


def file_names(groups: list[str], suffix: str) -> list[str]:
    """A safe, distinct file name per group, in order."""
    taken: set[str] = set()
    names = []
    for group in groups:
        stem = sanitize_filename(group, replacement_text="_", platform="universal",
                                 max_len=MAX_STEM).lstrip(". ") or "_"  # never a hidden file
        name, n = f"{stem}{suffix}", 1
        while _folded(name) in taken:
            n += 1
            name = f"{stem}-{n}{suffix}"
        taken.add(_folded(name))
        names.append(name)
    return names


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def write_groups(runs: list[RunResult], folder: Path, suffix: str) -> list[Path]:
    """Write each group's run (its `group` names it) into `folder`, all or nothing."""
    check_replaceable(folder)
    names = file_names([str(r.group) for r in runs], suffix)
    entries = []
    with atomic_dir(folder) as tmp:
        for run, name in zip(runs, names, strict=True):
            write_result(run, tmp / name)
            entries.append({"group": run.group, "file": name, "rows_ranked": run.ranked,
                            "rows_rejected": run.rejected})
        (tmp / MANIFEST).write_text(json.dumps({"input": str(runs[0].input) if runs else None,
                                                "groups": entries}, ensure_ascii=False,
                                               indent=1), encoding="utf-8")
    return [folder / name for name in names]
