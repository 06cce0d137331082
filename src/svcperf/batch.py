"""Many sheets at once: expand files, folders and globs; rank each in its own process; report.

One bad file never stops the others. Outputs are written atomically, and a state file in each
output folder remembers what produced every output (input hash, rule set hash, options, the
output's own hash), so a re-run skips what is already up to date unless forced, and an existing
file that is not such an output is never replaced without --force. Each worker records its
own output, so a batch killed at any moment loses nothing that was finished.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from svcperf import __version__
from svcperf.i18n import cli_message, os_error
from svcperf.io.read import SPREADSHEET_SUFFIXES, UnreadableFile
from svcperf.months import BadInput
from svcperf.why import Why

STATE_FILE = ".svcperf-state.json"


def expand_inputs(args: Iterable[str | Path]) -> tuple[list[Path], list[UnreadableFile]]:
    """Files, folders (their spreadsheets, not recursing) and glob patterns -> sorted files.

    Returns the files (each once, however it was named: in/a.xlsx, ./in/a.xlsx, /x/in/a.xlsx)
    and, for arguments that matched nothing, why (str(): the English).
    """
    files: dict[str, Path] = {}
    missing: list[UnreadableFile] = []
    for arg in args:
        text = str(arg)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            hits = [p for p in map(Path, sorted(glob.glob(text))) if p.is_file() and not _is_own(p)]
            why = Why("no-pattern-match")
        elif Path(text).is_dir():
            hits = sorted(p for p in Path(text).iterdir()
                          if p.suffix.lower() in SPREADSHEET_SUFFIXES and not _is_own(p))
            why = Why("folder-without-sheets", suffixes=" ".join(sorted(SPREADSHEET_SUFFIXES)))
        else:
            hits = [Path(text)]
        if not hits:
            missing.append(UnreadableFile(text, why))
        for hit in hits:
            files.setdefault(os.path.abspath(hit), hit)
    return list(files.values()), missing


def _is_own(path: Path) -> bool:
    """Our outputs, state and temporary files (and Excel's lock files), which a folder of
    submissions may also hold: never taken as inputs by a folder or a glob."""
    name = path.name
    return name.startswith((".", "~$")) or ".ranked." in name or ".rollup." in name \
        or name == STATE_FILE


def strict_refusal(sheet: Path, rejected: int) -> str:
    """Why --strict refused a sheet (exit 2, nothing written), and what to do."""
    rows = "1 row has" if rejected == 1 else f"{rejected} rows have"
    return (f"{sheet}: {rows} errors, so --strict refuses to rank it; see them with "
            f"`svcperf validate {sheet}`, fix them, or rank without --strict")


@dataclass
class Job:
    """One sheet to rank, and where its result goes."""

    sheet: Path
    out: Path
    rules: str | None  # a rule file or shipped name; None: find one per sheet
    params: dict[str, str] = field(default_factory=dict)
    lang: str = "en"
    skip_hidden: bool = False
    split_dir: Path | None = None  # --split-by group: the folder of its group workbooks
    strict: bool = False  # a sheet with row errors is refused (failed, exit 2), not written
    dry_run: bool = False  # ranked and reported, nothing written
    period: str | None = None  # --month 2026-09: the month of every result (else its file name)
    force: bool = False  # an existing output is replaced even when svcperf did not write it


def split_dir(out: Path, split: bool, given: Path | None = None) -> Path | None:
    """Where an output's group workbooks go with --split-by group: `<out stem>.by-group`
    beside it, or in `given` (--split-dir); None without --split-by."""
    if not split:
        return None
    return (given or out.parent) / f"{out.stem}.by-group"


@dataclass
class Outcome:
    """What happened to one sheet; one line of the batch summary."""

    file: str
    status: str  # ok, rejected-rows, failed, up-to-date
    exit_code: int
    output: str | None = None
    rule_set: str | None = None
    rows_read: int = 0  # every row below the header: people and the rows left out
    rows_ranked: int = 0
    rows_rejected: int = 0
    rows_left_out: int = 0  # not people (totals, signatures, blank rows ...)
    seconds: float = 0.0
    input_sha256: str | None = None
    message: str = ""
    groups_output: str | None = None  # the folder of its group workbooks (--split-by group)
    key: dict[str, Any] = field(default_factory=dict, repr=False)  # what the output depends on


def output_paths(sheets: list[Path], out_dir: Path | None, suffix: str,
                 lang: str = "en") -> list[Path]:
    """`<stem>.ranked<suffix>` in out_dir (or beside each sheet); clashing stems get the name
    of their folder (march.xlsx and ../march.xlsx: the current folder's and the parent's)."""
    stems = [s.stem for s in sheets]
    out = []
    for sheet in sheets:
        folder = out_dir or sheet.parent
        stem = sheet.stem if stems.count(sheet.stem) == 1 or out_dir is None else \
            f"{Path(os.path.abspath(sheet)).parent.name}_{sheet.stem}"
        out.append(folder / f"{stem}.ranked{suffix}")
    first: dict[Path, Path] = {}
    inputs = {sheet.resolve(): sheet for sheet in sheets}
    for sheet, target in zip(sheets, out, strict=True):
        if (given := inputs.get(target.resolve())) is not None:  # x.xlsx and x.ranked.xlsx
            raise BadInput(cli_message("batch-out-is-input", lang, sheet=sheet, out=target,
                                       input=given))
        other = first.setdefault(target.resolve(), sheet)
        if other != sheet:  # jan/branch.xlsx and jan/branch.csv: one would overwrite the other
            raise BadInput(f"{other} and {sheet} would both be written to {target}; rename "
                             "one of them, or rank them in separate runs")
    return out


def _worker_setup() -> None:
    """In a worker: die when the batch's process dies, even by kill -9 (Linux's parent-death
    signal), so no worker goes on writing outputs that no state records. SIGKILL, because a
    pool worker survives any catchable signal; the temporary file it was writing is swept by
    the next run (remove_stale_parts). A worker says everything through its Outcome, so its
    stderr goes nowhere: a native reader that aborts prints no trace to the user.
    Ctrl-C and kill stop the sheet in hand and every one after it (`_stop_worker`)."""
    signal.signal(signal.SIGINT, _stop_worker)
    signal.signal(signal.SIGTERM, _stop_worker)
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_WORKER = {"stopped": False, "busy": False}  # in a worker: asked to stop; ranking a sheet


def _stop_worker(signum: int, frame: Any) -> None:
    """In a worker, Ctrl-C or kill (the batch sends one to each worker when it is stopped):
    the sheet in hand stops as a single rank does (its temporary file removed), and the sheets
    already queued to this worker are not started. Only the first signal stops, so a second
    one cannot break into that clean-up; an idle worker just waits for the pool to end it."""
    if not _WORKER["stopped"]:
        _WORKER["stopped"] = True
        if _WORKER["busy"]:
            raise KeyboardInterrupt


def _run_in_worker(job: Job) -> Outcome:
    """run_job in a pool worker, unless the batch has been stopped."""
    _WORKER["busy"] = True  # (before the check: a stop in between raises here)
    try:
        if _WORKER["stopped"]:
            raise KeyboardInterrupt
        return run_job(job)
    finally:
        _WORKER["busy"] = False


def _rules_for(job: Job) -> Any:
    """The rule set this job's sheet would be ranked with (reading the sheet only to match it)."""
    from svcperf.api import choose_rules, open_sheet
    from svcperf.rules.load import load_rules, resolve

    if job.rules:
        return load_rules(resolve(job.rules))
    return choose_rules(open_sheet(job.sheet, job.lang), None, job.lang).rules


def _key(sheet_sha256: str | None, rules: Any, job: Job) -> dict[str, Any]:
    from svcperf.rules.load import rules_hash

    split = {"split_dir": str(job.split_dir)} if job.split_dir else {}
    period = {"period": job.period} if job.period else {}
    return {"input_sha256": sheet_sha256, "rules": rules_hash(rules), "params": job.params,
            "skip_hidden": job.skip_hidden, "version": __version__, **split, **period}


def run_job(job: Job) -> Outcome:
    """Rank one sheet and write its output; never raises for a bad sheet or rule set."""
    from svcperf.api import rank_sheet, write_by_group
    from svcperf.io.files import file_sha256
    from svcperf.io.write import write_result
    from svcperf.issues import FileError
    from svcperf.rules.load import RulesError

    start = time.perf_counter()
    outcome = Outcome(str(job.sheet), "failed", 2)
    try:
        outcome.input_sha256 = file_sha256(job.sheet) if job.sheet.is_file() else None
        run, _ = rank_sheet(job.sheet, job.rules, job.params, job.lang, job.period,
                            skip_hidden=job.skip_hidden)
        outcome.rule_set = run.rules.name
        outcome.key = _key(outcome.input_sha256, run.rules, job)
        outcome.rows_read, outcome.rows_ranked = run.rows_in + run.left_out, run.ranked
        outcome.rows_rejected, outcome.rows_left_out = run.rejected, run.left_out
        state = State(job.out.parent)
        if job.strict and run.rejected:
            outcome.message = strict_refusal(job.sheet, run.rejected)
        elif not job.dry_run and (refused := state.claim(job, outcome.key)):
            outcome.message = refused
        else:
            if not job.dry_run:
                if job.split_dir is not None:  # first: a rule set without groups writes nothing
                    write_by_group(run, job.out, job.split_dir)
                    outcome.groups_output = str(job.split_dir)
                write_result(run, job.out)
                outcome.output = str(job.out)
            outcome.exit_code = run.exit_code
            outcome.status = "ok" if run.exit_code == 0 else "rejected-rows"
            if outcome.output:  # recorded here, not by the batch: its death loses nothing
                outcome.seconds = round(time.perf_counter() - start, 3)
                state.finished(job.out, outcome)
    except RulesError as ex:
        outcome.message = "; ".join(ex.said(job.lang))
    except (FileError, BadInput) as ex:
        outcome.message = str(ex)
    except OSError as ex:  # a folder it may not write, a full disk: the path and what to do
        outcome.message = os_error(ex, job.lang)
    except Exception as ex:  # a bug must not stop the other files
        outcome.message = f"internal error: {type(ex).__name__}: {ex}"
    outcome.seconds = round(time.perf_counter() - start, 3)
    return outcome


class State:
    """What produced each output in one folder: an entry per output name with the key it was
    made from (`_key`) and, once written, its own SHA-256 and outcome.

    Every change is made under an OS file lock to what is on disk then, so the workers of a
    batch, and two batches writing into one folder, keep each other's entries.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_FILE
        self.entries: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        """The entries; none before the folder's first run. A file that is not svcperf's JSON
        (cut short by a full disk, edited by hand) is a BadInput: taken as empty, every
        output it listed would be refused, and the file written over."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as ex:
            raise BadInput(Why("batch-state-unreadable", path=str(self.path),
                               error=ex.strerror or type(ex).__name__)) from None
        try:
            entries = json.loads(text)
        except json.JSONDecodeError as ex:
            raise BadInput(Why("batch-state-unreadable", path=str(self.path),
                               error=Why("batch-state-not-json", line=ex.lineno))) from None
        if not isinstance(entries, dict):
            raise BadInput(Why("batch-state-unreadable", path=str(self.path),
                               error=Why("batch-state-not-json", line=1)))
        return entries

    @contextlib.contextmanager
    def _changing(self) -> Iterator[dict[str, Any]]:
        """The entries as on disk, under the folder's lock; written back when the block ends."""
        from filelock import FileLock

        from svcperf.io.files import atomic_path

        with FileLock(str(self.path.with_name(self.path.name + ".lock")), timeout=60):
            self.entries = self._read()
            yield self.entries
            with atomic_path(self.path) as tmp:
                tmp.write_text(json.dumps(self.entries, ensure_ascii=False, indent=1), "utf-8")

    def current(self, job: Job, key: dict[str, Any]) -> bool:
        """The output is there, written from this key, and unchanged since: up to date."""
        entry = self.entries.get(job.out.name)
        return isinstance(entry, dict) and entry.get("key") == key and job.out.is_file() \
            and entry.get("output_sha256") == _sha256(job.out)

    def claim(self, job: Job, key: dict[str, Any]) -> str | None:
        """May `job` write its output? None, and the output is recorded as being written from
        `key`; else why not (an existing file svcperf did not write from this key), and how.

        A file that this key's run was writing when it was killed (recorded, never finished)
        may be written again: that run had the right to replace whatever was there."""
        with self._changing() as entries:
            entry = entries.get(job.out.name)
            refused = _refusal(job, entry if isinstance(entry, dict) else None, key) \
                if job.out.is_dir() or (job.out.exists() and not job.force) else None
            if refused is None:
                entries[job.out.name] = {"key": key, "written": False}
        return refused

    def finished(self, out: Path, outcome: Outcome) -> None:
        """The output is written: its hash and outcome, which make it up to date next time."""
        digest = _sha256(out)
        with self._changing() as entries:
            entries[out.name] = {"key": outcome.key, "written": True, "output_sha256": digest,
                                 "outcome": {k: v for k, v in asdict(outcome).items()
                                             if k != "key"}}


def _sha256(path: Path) -> str | None:
    from svcperf.io.files import file_sha256

    try:
        return file_sha256(path) if path.is_file() else None
    except OSError:
        return None


_OPTIONS = ("params", "skip_hidden", "period")  # those that shape the output's content


def _made_from(key: dict[str, Any]) -> dict[str, Any]:
    """What an output's content is made from: its sheet, rules and options. An output that an
    older svcperf, or a run with its group workbooks elsewhere, wrote from these is still this
    sheet's own output: replaced without --force (it is not up to date, so it is ranked again)."""
    return {k: key.get(k) for k in ("input_sha256", "rules", *_OPTIONS)}


def _refusal(job: Job, entry: dict[str, Any] | None, key: dict[str, Any]) -> str | None:
    """Why the existing file at job.out must not be replaced without --force; None when it is
    the output of this sheet, rules and options (written, or being written when a run was
    killed), unchanged since."""
    words = {"sheet": job.sheet, "out": job.out, "state": STATE_FILE}
    if job.out.is_dir():
        return cli_message("batch-folder", job.lang, **words)
    if entry is None:
        return cli_message("batch-foreign", job.lang, **words)
    made = _made_from(entry["key"] if isinstance(entry.get("key"), dict) else {})
    if made != _made_from(key):
        why = "why-input" if made["input_sha256"] != key.get("input_sha256") else \
            "why-rules" if made["rules"] != key.get("rules") else "why-options"
        return cli_message("batch-other-run", job.lang, why=cli_message(why, job.lang), **words)
    if entry.get("written") and entry.get("output_sha256") != _sha256(job.out):
        return cli_message("batch-edited", job.lang, **words)
    return None


def _expected_key(job: Job) -> dict[str, Any] | None:
    """The key an up-to-date output would have; None when the sheet or rules cannot be used."""
    from svcperf.io.files import file_sha256
    from svcperf.issues import FileError
    from svcperf.rules.load import RulesError

    if not job.out.is_file() or not job.sheet.is_file():
        return None
    if job.split_dir is not None and not job.split_dir.is_dir():
        return None
    try:
        rules = _rules_for(job)
    except (RulesError, FileError, OSError):
        return None
    return _key(file_sha256(job.sheet), rules, job)


def remove_stale_parts(folders: Iterable[Path]) -> None:
    """Temporary files left by a run that was killed hard (kill -9) are removed first; those
    another run is writing now (it holds them locked) are left to it."""
    from svcperf.io.files import remove_unowned

    for folder in folders:
        remove_unowned(part for part in folder.glob(".*.part*")  # (also a folder: --split-by)
                       if ".ranked." in part.name or part.name.startswith(f".{STATE_FILE}"))


def rank_many(jobs: list[Job], workers: int, force: bool = False,
              on_done: Callable[[Outcome, int, int], None] | None = None) -> list[Outcome]:
    """Rank every job (in `workers` processes), skipping up-to-date outputs unless forced."""
    folders = {j.out.parent for j in jobs}
    for folder in {j.out.parent for j in jobs if not j.dry_run}:
        folder.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(f for f in folders if f.is_dir())
    states = {f: State(f) for f in folders}
    outcomes: list[Outcome] = []
    todo: list[Job] = []
    for job in jobs:
        key = None if force or job.strict or job.dry_run else _expected_key(job)
        state = states[job.out.parent]
        if key is not None and state.current(job, key):
            saved = state.entries[job.out.name]["outcome"]
            done = Outcome(**{**saved, "status": "up-to-date", "seconds": 0.0, "key": key})
            outcomes.append(done)
            if on_done:
                on_done(done, len(outcomes), len(jobs))
        else:
            todo.append(replace(job, force=force))

    def finish(outcome: Outcome) -> None:  # its worker has recorded it in the state
        outcomes.append(outcome)
        if on_done:
            on_done(outcome, len(outcomes), len(jobs))

    broken = _in_pool(todo, max(1, workers), finish)
    for job in broken:  # a worker died under these: each alone again, to tell which did it
        again = _in_pool([job], 1, finish)
        if again:
            finish(Outcome(str(job.sheet), "failed", 2,
                           message=UnreadableFile(job.sheet, "reader-crashed").message(job.lang)))
    order = {str(j.sheet): i for i, j in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: order.get(o.file, 0))


def _in_pool(jobs: list[Job], workers: int, finish: Callable[[Outcome], None]) -> list[Job]:
    """Run the jobs in worker processes, where a reader that aborts (a native library on a
    crafted file) costs its own file, not the batch; the jobs a dying worker took down with
    it are returned, unfinished. The pool's modules (multiprocessing, ~20 ms) load here:
    a single sheet never needs them, and `rank` and `validate` import this module first."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    if not jobs:
        return []
    broken: list[Job] = []
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                             initializer=_worker_setup) as pool:
        futures = {pool.submit(_run_in_worker, job): job for job in jobs}
        try:
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken.append(futures[future])
                    continue
                finish(outcome)
        except BaseException:  # Ctrl-C or kill: the workers stop now, not after their sheet
            for f in futures:
                f.cancel()
            for worker in multiprocessing.active_children():  # (a kill reaches this process
                worker.terminate()                            # alone, Ctrl-C every one)
            raise
    return broken


def exit_code(outcomes: list[Outcome]) -> int:
    """2 if any file could not be processed, else 1 if any had rejected rows, else 0."""
    codes = {o.exit_code for o in outcomes}
    return 2 if 2 in codes else (1 if 1 in codes else 0)


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """The batch summary (the schema's batch_summary): every file, and the totals; snake_case
    keys, null where a file has no output, rule set or message."""
    files = [{k: (v if v != "" else None) for k, v in asdict(o).items() if k != "key"}
             for o in outcomes]
    totals = {"files": len(outcomes),
              **{s.replace("-", "_"): sum(o.status == s for o in outcomes)
                 for s in ("ok", "rejected-rows", "failed", "up-to-date")},
              # the rows of the outputs there are: a failed file (refused, --strict) wrote none
              "rows_ranked": sum(o.rows_ranked for o in outcomes if o.status != "failed"),
              "rows_rejected": sum(o.rows_rejected for o in outcomes if o.status != "failed")}
    return {"schema_version": 1, "svcperf": __version__, "exit_code": exit_code(outcomes),
            "totals": totals, "files": files}


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)
