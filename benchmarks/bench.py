"""End-to-end benchmark of ``svcperf`` against the IO floor and a naive pandas pipeline.

Run from the repository root::

    python benchmarks/bench.py       # 100,000 and 1,000,000 rows, results in benchmarks/out
    python benchmarks/bench.py --rows 20000 --big-rows 0 --repeat 3 --out-dir /tmp/bench

What it does, in one run:

1. Generates the score sheets for the shipped rule set ``tiered-service`` with XlsxWriter in
   ``constant_memory`` mode and seeded random data: ``--rows`` rows (default 100,000, in
   ``--centres`` centres), a ``--small-rows`` one (default 2,000) and, for case m,
   ``--big-rows`` rows (default 1,000,000; Excel's limit is 1,048,576) in ``--big-centres``
   centres (default 25,000). Row 1 a title, row 2 blank, row 3 the headers, data from row 4.
   The ``--big-rows`` sheet takes minutes to generate, so it is cached:
   ``<out-dir>/sheet-<big-rows>.xlsx`` is reused when its sidecar ``sheet-<big-rows>.json``
   records the same rows, centres, seed, generator version (``GENERATOR_VERSION``) and file
   size. The other sheets are generated afresh on every run.
2. Compiles svcperf's bytecode (as pip does when it installs), then times each case below
   as a separate child process, so interpreter start-up is included
   and peak memory is per process. Wall time is measured in this process around the child.
   Peak RSS comes from ``/usr/bin/time -v`` (GNU time) when it is there, else from a tiny
   Python wrapper that runs the child and reports ``getrusage(RUSAGE_CHILDREN).ru_maxrss``.
   Either way the child is forked from a small process: Linux carries the RSS of the
   process that forks into the child's ``ru_maxrss``, so forking straight from this
   script (which holds the generated data) would inflate every figure.

   a. ``svcperf rank <big> --rules tiered-service -o a.xlsx -q`` (exit 0 or 1 is fine)
   b. IO floor: python-calamine reads the big sheet, XlsxWriter writes a table of the same
      shape as a.xlsx's Results sheet
   c. naive pandas: ``read_excel`` + the rule set's arithmetic + ``to_excel``
   d. ``svcperf rank <small>`` at least three times (best and median)
   e. ``svcperf validate <big> --format json`` and the read floor (python-calamine reading
      the big sheet, nothing else); for comparison only, ``frictionless validate <big>``
      with a Table Schema holding the same checks (required, unique id, allowed values,
      ranges; header on row 3). frictionless runs only when installed; this script never
      installs it. To keep it out of the project's environment: ``python -m venv /tmp/fl &&
      /tmp/fl/bin/pip install 'frictionless[excel]'``, then run with
      ``FRICTIONLESS=/tmp/fl/bin/frictionless``.
   f. ``svcperf rank`` with tiered-service plus grade bands (f0), and plus forced
      distribution in each of the 2,500 centres (f): what distribution adds is f / f0.
   g. a month-end batch done naively: one ``svcperf rank`` call per submission
      (``--submissions`` sheets of ``--submission-rows`` rows, default 200 x 500), and
   h. the same submissions in one ``svcperf rank folder/ --jobs 2`` call.
   m. the ``--big-rows`` sheet: ``svcperf rank`` end to end, then ``svcperf validate
      --format json`` and the read floor of that sheet. Each runs once per ``--repeat``
      round, as they are slow; ``--big-rows 0`` skips case m. The naive pandas pipeline (c)
      and frictionless are never run on this sheet.

   The cases of one ratio (e's three, m's validate and read floor, f0 and f) run round by
   round (x, y, x, y, ...), so a drift in the machine's speed between their runs does not
   skew the ratio.

3. Prints a table of timings and peak memory, then the checks, and writes everything to
   ``<out-dir>/results.json``. Ratios are of best times. Targets, each PASS or FAIL:

   - a / b <= 0.8, c / a >= 3, peak RSS of a < 1 GiB, and a and c agree on every row;
   - d: median wall time <= 0.8 s, interpreter start-up included;
   - e: validate / read floor <= 1.5;
   - m: rank median wall time <= 60 s with peak RSS <= 2 GiB, validate / read floor <= 1.5;
   - h / g < 0.7.

   Informational, value printed without a verdict: frictionless / validate (e), and f / f0.

Standard library plus pandas, python-calamine, xlsxwriter and openpyxl (pandas' default
Excel engine) only.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import functools
import importlib.util
import json
import os
import pickle
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RULES = "tiered-service"
HEADERS = ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率",
           "优惠活动知晓率", "网络弱覆盖次数", "业务办理超时次数"]
GROUP_CLASSES = ["百强", "A类", "B类", "C类"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建文斌宇浩凯晨欣怡子涵雨轩梓博思佳琪嘉俊峰云海波鑫婷雪琳"  # noqa: E501
GIB = 1024**3
# Part of the key of the cached --big-rows sheet: bump it whenever generate_sheet, or the
# constants and random_name it uses, would write different data for the same arguments.
GENERATOR_VERSION = 1

# --------------------------------------------------------------------------------------
# Child programs. Each is run as ``python -c CODE ARGS...`` and prints one JSON line with
# its own phase timings (informational; the headline number is the wall time of the
# whole process as seen from the parent).
# --------------------------------------------------------------------------------------

READ_FLOOR_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(json.dumps({"read_s": time.perf_counter() - t0, "rows": len(rows)}))
"""

# The pickle holds the rows of a.xlsx's Results sheet, prepared by the parent outside any
# timing. Unpickling happens inside this child and so inside the wall time of (b); it is
# reported separately as unpickle_s (it is a few tens of ms, well within the noise).
IO_FLOOR_CHILD = r"""
import json, pickle, sys, time
t0 = time.perf_counter()
from python_calamine import CalamineWorkbook
import xlsxwriter
sheet_path, rows_pickle, out = sys.argv[1:4]
rows = CalamineWorkbook.from_path(sheet_path).get_sheet_by_index(0).to_python()
t1 = time.perf_counter()
with open(rows_pickle, "rb") as fh:
    result_rows = pickle.load(fh)
t2 = time.perf_counter()
wb = xlsxwriter.Workbook(out, {"constant_memory": True})
ws = wb.add_worksheet("Results")
for r, row in enumerate(result_rows):
    ws.write_row(r, 0, row)
wb.close()
t3 = time.perf_counter()
print(json.dumps({"read_s": t1 - t0, "unpickle_s": t2 - t1, "write_s": t3 - t2,
                  "rows_read": len(rows), "rows_written": len(result_rows)}))
"""

PANDAS_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
sheet_path, out = sys.argv[1:3]
df = pd.read_excel(sheet_path, header=2)
t1 = time.perf_counter()
ITEMS = [  # (column, points, targets by 集团类型)
    ("客户经理知晓率", 40, {"百强": 0.93, "A类": 0.90, "B类": 0.88, "C类": 0.86}),
    ("客户经理满意率", 30, {"百强": 0.86, "A类": 0.84, "B类": 0.82, "C类": 0.80}),
    ("优惠活动知晓率", 30, {"百强": 1.00, "A类": 1.00, "B类": 0.80, "C类": 0.70}),
]
score = 0.0
for col, points, targets in ITEMS:
    target = df["集团类型"].map(targets)
    short_pp = ((target - df[col]) * 100).clip(lower=0)  # percentage points short
    item = (points - 5 * short_pp).clip(lower=0)
    df[col + "得分"] = item
    score = score + item
weak = (df["网络弱覆盖次数"].fillna(0) * 2).clip(upper=10)
late = (df["业务办理超时次数"].fillna(0) * 1).clip(upper=10)
df["弱覆盖扣分"] = weak
df["超时扣分"] = late
df["得分"] = (score - weak - late).clip(lower=0).round(2)  # svcperf rounds before ranking
df["排名"] = df["得分"].rank(ascending=False, method="min").astype(int)
df["中心内排名"] = df.groupby("中心")["得分"].rank(ascending=False, method="min").astype(int)
df = df.sort_values("排名", kind="stable")
t2 = time.perf_counter()
df.to_excel(out)
t3 = time.perf_counter()
print(json.dumps({"read_s": t1 - t0, "compute_s": t2 - t1, "write_s": t3 - t2,
                  "rows": len(df)}))
"""


# --------------------------------------------------------------------------------------
# Sheet generation
# --------------------------------------------------------------------------------------


def random_name(rng: random.Random) -> str:
    """A 2–3 character Chinese name: a surname and one or two given-name characters."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def generate_sheet(path: Path, rows: int, centres: int, seed: int) -> float:
    """Write a ``tiered-service`` score sheet with ``rows`` data rows; return seconds taken."""
    import xlsxwriter

    t0 = time.perf_counter()
    rng = random.Random(seed)
    centre_names = [f"中心{i:04d}" for i in range(1, centres + 1)]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("考核数据")
    pct = wb.add_format({"num_format": "0.00%"})
    bold = wb.add_format({"bold": True})
    ws.write_string(0, 0, "集团客户分层分级服务考核（基准测试数据）", bold)
    # row 2 (index 1) stays blank
    ws.write_row(2, 0, HEADERS, bold)
    for i in range(rows):
        r = i + 3
        ws.write_string(r, 0, f"E{i + 1:06d}")
        ws.write_string(r, 1, random_name(rng))
        ws.write_string(r, 2, rng.choice(centre_names))
        ws.write_string(r, 3, rng.choice(GROUP_CLASSES))
        for c in (4, 5, 6):
            ws.write_number(r, c, round(rng.uniform(0.6, 1.0), 4), pct)
        for c in (7, 8):
            if rng.random() >= 0.2:  # ~20% left blank
                ws.write_number(r, c, rng.randint(0, 6))
    wb.close()
    return time.perf_counter() - t0


def cached_sheet(path: Path, rows: int, centres: int, seed: int) -> float | None:
    """``generate_sheet`` unless ``path`` is already there with a sidecar JSON (``path`` with
    the suffix .json) recording the same rows, centres, seed, generator version and file
    size. Returns the seconds spent generating, or None when the cached sheet is reused."""
    sidecar = path.with_suffix(".json")
    key = {"rows": rows, "centres": centres, "seed": seed, "generator": GENERATOR_VERSION}
    with contextlib.suppress(OSError, ValueError):
        kept = json.loads(sidecar.read_text(encoding="utf-8"))
        if (isinstance(kept, dict) and {k: kept.get(k) for k in key} == key
                and kept.get("bytes") == path.stat().st_size):
            return None
    sidecar.unlink(missing_ok=True)
    # Written under another name and renamed, so an interrupted run leaves no sheet behind
    # that a later run could take for a finished one.
    partial = path.with_name(f"{path.stem}.partial{path.suffix}")
    secs = generate_sheet(partial, rows, centres, seed)
    partial.replace(path)
    sidecar.write_text(json.dumps({**key, "bytes": path.stat().st_size,
                                   "generate_s": round(secs, 1)}), encoding="utf-8")
    return secs


# --------------------------------------------------------------------------------------
# Running children
# --------------------------------------------------------------------------------------


@dataclass
class Run:
    """One execution of a child process."""

    wall_s: float
    peak_rss_bytes: int
    exit_code: int
    report: dict[str, Any] = field(default_factory=dict)
    stderr_tail: str = ""


@dataclass
class Step:
    """A benchmark case: a command, its runs, and whether it could be run at all."""

    key: str
    label: str
    cmd: list[str]
    ok_codes: tuple[int, ...] = (0,)
    runs: list[Run] = field(default_factory=list)
    skipped: str = ""  # reason, when the command is not available

    @property
    def failed(self) -> bool:
        return any(r.exit_code not in self.ok_codes for r in self.runs)

    @property
    def usable(self) -> bool:
        return bool(self.runs) and not self.skipped and not self.failed

    @property
    def best(self) -> float | None:
        return min(r.wall_s for r in self.runs) if self.usable else None

    @property
    def median(self) -> float | None:
        return statistics.median(r.wall_s for r in self.runs) if self.usable else None

    @property
    def peak_rss(self) -> int | None:
        return max(r.peak_rss_bytes for r in self.runs) if self.usable else None


# Fallback RSS meter: runs argv[2:], writes {"exit", "maxrss"} as JSON to argv[1].
RSS_WRAPPER = r"""
import json, resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as fh:
    json.dump({"exit": code, "maxrss": usage.ru_maxrss}, fh)
sys.exit(code)
"""


@functools.cache
def gnu_time() -> str | None:
    """``/usr/bin/time`` if it is GNU time (it has ``-v``), else None."""
    exe = "/usr/bin/time"
    if not os.access(exe, os.X_OK):
        return None
    ok = subprocess.run([exe, "-v", "-o", os.devnull, "true"], capture_output=True)
    return exe if ok.returncode == 0 else None


def measured(cmd: list[str], meter_file: str) -> list[str]:
    """``cmd`` wrapped so that its peak RSS lands in ``meter_file``.

    GNU time adds about a millisecond to the wall time; the Python fallback adds its own
    start-up (some 20 ms), which matters only for the small-sheet case (d).
    """
    exe = gnu_time()
    if exe:
        return [exe, "-v", "-o", meter_file, *cmd]
    return [sys.executable, "-c", RSS_WRAPPER, meter_file, *cmd]


def read_meter(meter_file: str) -> int:
    """Peak RSS in bytes from GNU time's report or the wrapper's JSON (0 if unreadable)."""
    text = Path(meter_file).read_text(errors="replace")
    if text.lstrip().startswith("{"):
        kib = int(json.loads(text)["maxrss"])
    else:
        line = next((ln for ln in text.splitlines() if "Maximum resident set size" in ln), "")
        kib = int(line.rsplit(":", 1)[1]) if line else 0
    return kib if sys.platform == "darwin" else kib * 1024  # Linux reports KiB, macOS bytes


def run_child(cmd: list[str], stdout_to_null: bool = False) -> Run:
    """Run ``cmd`` once: wall time measured here, peak RSS via ``measured``."""
    with tempfile.NamedTemporaryFile(suffix=".rss", delete=False) as fh:
        meter_file = fh.name
    try:
        t0 = time.perf_counter()
        proc = subprocess.run(measured(cmd, meter_file), stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL if stdout_to_null else subprocess.PIPE)
        wall = time.perf_counter() - t0
        rss = read_meter(meter_file)
    finally:
        os.unlink(meter_file)
    out = (proc.stdout or b"").decode(errors="replace")
    err = (proc.stderr or b"").decode(errors="replace")
    report: dict[str, Any] = {}
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                report = json.loads(line)
            break
    tail = "\n".join(err.strip().splitlines()[-15:])
    return Run(wall, rss, proc.returncode, report, tail)


def run_step(step: Step, repeat: int, stdout_to_null: bool = False) -> Step:
    """Run a step ``repeat`` times (unless skipped), printing progress to stderr."""
    run_rounds([(step, stdout_to_null)], repeat)
    return step


def run_rounds(steps: list[tuple[Step, bool]], repeat: int) -> None:
    """Run steps round by round (x, y, x, y, ...), so that a ratio between two of them is not
    skewed by the machine getting faster or slower between one step's runs and the other's.
    Each pair is (step, send its stdout to /dev/null)."""
    for step, _ in steps:
        if step.skipped:
            print(f"  {step.label}: skipped ({step.skipped})", file=sys.stderr)
    for i in range(repeat):
        for step, stdout_to_null in steps:
            if step.skipped or (step.runs and step.runs[-1].exit_code not in step.ok_codes):
                continue
            run = run_child(step.cmd, stdout_to_null)
            step.runs.append(run)
            print(f"  {step.label} [{i + 1}/{repeat}]: {run.wall_s:.2f} s, "
                  f"{run.peak_rss_bytes / 2**20:.0f} MiB, exit {run.exit_code}", file=sys.stderr)
            if run.exit_code not in step.ok_codes:
                print(f"    FAILED: {' '.join(step.cmd)}\n    {run.stderr_tail}", file=sys.stderr)


def find_svcperf() -> str | None:
    """The ``svcperf`` console script of this interpreter (not a pyenv shim), else PATH's."""
    beside = Path(sys.executable).with_name("svcperf")
    return str(beside) if beside.is_file() else shutil.which("svcperf")


def find_frictionless() -> tuple[str | None, str]:
    """The ``frictionless`` CLI: $FRICTIONLESS (e.g. from its own venv), or the one installed
    beside this Python; else None and the reason."""
    given = os.environ.get("FRICTIONLESS")
    if given:
        return (given, "") if Path(given).is_file() else (None, f"FRICTIONLESS={given} not found")
    if importlib.util.find_spec("frictionless") is None:
        return None, "frictionless not installed (pip install frictionless)"
    beside = Path(sys.executable).with_name("frictionless")
    exe = str(beside) if beside.is_file() else shutil.which("frictionless")
    return (exe, "") if exe else (None, "frictionless CLI not found on PATH")


def results_rows(xlsx: Path) -> list[list[Any]]:
    """Rows of the Results sheet of an svcperf workbook (named in either workbook language)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(xlsx))
    name = next(n for n in wb.sheet_names if n.startswith(("Results", "考核结果")))
    return wb.get_sheet_by_name(name).to_python()


def keyed(rows: list[list[Any]], cols: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """{工号: values of ``cols``} from a sheet whose first row holds the headers."""
    head = [str(h) for h in rows[0]]
    at = [head.index(c) for c in ("工号", *cols)]
    return {str(r[at[0]]): tuple(round(float(r[i]), 6) for i in at[1:]) for r in rows[1:]}


def disagreements(a_xlsx: Path, c_xlsx: Path) -> int | None:
    """Rows whose score, rank or rank within 中心 differ between (a) and (c); None if unknown."""
    from python_calamine import CalamineWorkbook

    try:
        a = keyed(results_rows(a_xlsx), ("得分", "排名", "组内排名"))
        c = keyed(CalamineWorkbook.from_path(str(c_xlsx)).get_sheet_by_index(0).to_python(),
                  ("得分", "排名", "中心内排名"))
    except (OSError, ValueError, IndexError, TypeError):
        return None
    return sum(a.get(k) != v for k, v in c.items()) + abs(len(a) - len(c))


# --------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    value: float | None
    target: str  # "" for an informational figure, which gets no verdict
    passed: bool | None  # None: could not be computed, or informational

    @property
    def verdict(self) -> str:
        if not self.target:
            return "info"
        return "n/a" if self.passed is None else ("PASS" if self.passed else "FAIL")


def ratio(num: float | None, den: float | None) -> float | None:
    return None if num is None or den is None or den == 0 else num / den


def make_checks(steps: dict[str, Step], mismatches: int | None) -> list[Check]:
    a, b, c, d, f, g, h, m = (steps[k] for k in "abcdfghm")
    f0, val, fric, floor = steps["f0"], steps["validate"], steps["frictionless"], steps["read_floor"]
    m_val, m_floor = steps["m_validate"], steps["m_read_floor"]

    def check(name: str, value: float | None, target: str, ok: Any) -> Check:
        return Check(name, value, target, None if value is None else bool(ok(value)))

    def info(name: str, value: float | None) -> Check:
        return Check(name, value, "", None)

    def gib(step: Step) -> float | None:
        return None if step.peak_rss is None else step.peak_rss / GIB

    return [
        check("a / b  (svcperf rank vs IO floor)", ratio(a.best, b.best), "<= 0.8",
              lambda v: v <= 0.8),
        check("c / a  (naive pandas vs svcperf rank)", ratio(c.best, a.best), ">= 3",
              lambda v: v >= 3),
        check("a peak RSS (GiB)", gib(a), "< 1", lambda v: v < 1),
        check("d median wall (s)", d.median, "<= 0.8", lambda v: v <= 0.8),
        check("validate / read floor", ratio(val.best, floor.best), "<= 1.5",
              lambda v: v <= 1.5),
        info("frictionless / validate", ratio(fric.best, val.best)),
        check("m rank median wall (s)", m.median, "<= 60", lambda v: v <= 60),
        check("m rank peak RSS (GiB)", gib(m), "<= 2", lambda v: v <= 2),
        check("m validate / read floor", ratio(m_val.best, m_floor.best), "<= 1.5",
              lambda v: v <= 1.5),
        check("rows where a and c disagree", mismatches, "0", lambda v: v == 0),
        check("h / g  (batch --jobs 2 vs one call each)", ratio(h.best, g.best), "< 0.7",
              lambda v: v < 0.7),
        info("f / f0 (what distribution adds)", ratio(f.best, f0.best)),
    ]


def fmt_s(v: float | None) -> str:
    return "-" if v is None else str(v) if isinstance(v, int) else f"{v:.2f}"


def print_table(steps: dict[str, Step], checks: list[Check], gen: dict[str, float],
                reused: list[str]) -> None:
    print()
    for name, secs in gen.items():
        print(f"generated {name} in {secs:.1f} s")
    for name in reused:
        print(f"reused {name} (cached: same rows, centres, seed and generator version)")
    print()
    width = max(len(s.label) for s in steps.values())
    head = (f"{'case':<{width}} {'best s':>8} {'median s':>9} {'peak RSS MiB':>13} {'runs':>5}"
            "  status")
    print(head)
    print("-" * len(head))
    for s in steps.values():
        status = ("skipped" if s.skipped else
                  f"FAILED (exit {s.runs[-1].exit_code})" if s.failed else
                  f"ok (exit {','.join(sorted({str(r.exit_code) for r in s.runs}))})")
        rss = "-" if s.peak_rss is None else f"{s.peak_rss / 2**20:.0f}"
        print(f"{s.label:<{width}} {fmt_s(s.best):>8} {fmt_s(s.median):>9} {rss:>13} "
              f"{len(s.runs):>5}  {status}")
    print()
    head = f"{'check':<40} {'value':>8}  {'target':<8} result"
    print(head)
    print("-" * len(head))
    for ch in checks:
        print(f"{ch.name:<40} {fmt_s(ch.value):>8}  {ch.target or '-':<8} {ch.verdict}")
    print()


def write_json(path: Path, args: argparse.Namespace, steps: dict[str, Step],
               checks: list[Check], gen: dict[str, float], reused: list[str]) -> None:
    doc = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "params": {"rows": args.rows, "small_rows": args.small_rows, "centres": args.centres,
                   "big_rows": args.big_rows, "big_centres": args.big_centres,
                   "submissions": args.submissions, "submission_rows": args.submission_rows,
                   "seed": args.seed, "repeat": args.repeat},
        "generate_s": gen,
        "reused_sheets": reused,
        "steps": {
            k: {"label": s.label, "cmd": s.cmd, "skipped": s.skipped or None,
                "failed": s.failed, "best_s": s.best, "median_s": s.median,
                "peak_rss_bytes": s.peak_rss, "runs": [asdict(r) for r in s.runs]}
            for k, s in steps.items()
        },
        "checks": [{"name": c.name, "value": c.value, "target": c.target,
                    "result": c.verdict} for c in checks],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000, help="rows of the big sheet")
    p.add_argument("--small-rows", type=int, default=2_000, help="rows of the small sheet")
    p.add_argument("--centres", "--groups", dest="centres", type=int, default=2_500,
                   help="number of distinct 中心 (rank groups)")
    p.add_argument("--big-rows", type=int, default=1_000_000,
                   help="rows of case m's sheet (cached between runs); 0 skips case m")
    p.add_argument("--big-centres", type=int, default=25_000,
                   help="number of distinct 中心 in case m's sheet")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--submissions", type=int, default=200,
                   help="sheets in the batch case (g, h); 0 skips it")
    p.add_argument("--submission-rows", type=int, default=500, help="rows of each submission")
    p.add_argument("--repeat", type=int, default=1,
                   help="rounds of each timed case; (d) always runs >= 3 times, (g) once")
    p.add_argument("--out-dir", type=Path, default=Path("benchmarks/out"))
    args = p.parse_args(argv)
    if args.big_rows and args.big_rows in (args.rows, args.small_rows):
        p.error("--big-rows must differ from --rows and --small-rows (sheets are named by rows)")
    return args


BANDS = """
bands:
  - {grade: A, cutoff: 90}
  - {grade: B, cutoff: 75}
  - {grade: C}
"""
DISTRIBUTION = """
distribution:
  scope: group
  method: largest_remainder
  ties: better
  quotas: {A: 20%, B: 50%, C: rest}
"""


def variant_rules(out: Path, quotas: bool) -> Path:
    """tiered-service plus bands (f0), and plus forced distribution in each centre (f)."""
    import svcperf.rules.load as load

    text = (load.SHIPPED / f"{RULES}.yaml").read_text(encoding="utf-8")
    name = "distributed" if quotas else "banded"
    path = out / f"{RULES}-{name}.yaml"
    path.write_text(text.replace("name: tiered-service", f"name: tiered-service-{name}")
                    + BANDS + (DISTRIBUTION if quotas else ""), encoding="utf-8")
    return path


def frictionless_schema(out: Path) -> Path:
    """A Table Schema with the same checks as the rule set, so both tools do the same work."""
    number = {"type": "number", "constraints": {"required": True, "minimum": 0, "maximum": 1}}
    count = {"type": "integer", "constraints": {"minimum": 0}}
    fields = [
        {"name": "工号", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "客户经理", "type": "string"},
        {"name": "中心", "type": "string", "constraints": {"required": True}},
        {"name": "集团类型", "type": "string",
         "constraints": {"required": True, "enum": ["百强", "A类", "B类", "C类"]}},
        *({"name": h, **number} for h in ("客户经理知晓率", "客户经理满意率", "优惠活动知晓率")),
        *({"name": h, **count} for h in ("网络弱覆盖次数", "业务办理超时次数")),
    ]
    path = out / "frictionless-schema.json"
    path.write_text(json.dumps({"fields": fields}, ensure_ascii=False), encoding="utf-8")
    return path


SEQUENTIAL_CHILD = """
import subprocess, sys
svc, folder, out = sys.argv[1:4]
from pathlib import Path
for sheet in sorted(Path(folder).glob("*.xlsx")):
    code = subprocess.run([svc, "rank", str(sheet), "--rules", "tiered-service", "-o",
                           str(Path(out) / (sheet.stem + ".ranked.xlsx")), "-q", "--force"]).returncode
    if code not in (0, 1):
        sys.exit(code)
"""


def generate_submissions(folder: Path, count: int, rows: int, seed: int) -> None:
    """`count` branch submissions of `rows` rows each (cases g and h)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    for k in range(count):
        generate_sheet(folder / f"branch-{k:03d}.xlsx", rows, max(1, rows // 40), seed + k)


def build_steps(out: Path, big: Path, small: Path, m_sheet: Path,
                rows_pickle: Path) -> dict[str, Step]:
    py = sys.executable
    svc = find_svcperf()
    fric, fric_why = find_frictionless()
    no_svc = "" if svc else "svcperf not found"
    svc = svc or "svcperf"

    def svcperf_step(key: str, label: str, args: list[str]) -> Step:
        return Step(key, label, [svc, *args], (0, 1), skipped=no_svc)

    return {
        "a": svcperf_step("a", f"a  svcperf rank ({big.stem})",
                          ["rank", str(big), "--rules", RULES, "-o", str(out / "a.xlsx"), "-q", "--force"]),
        "b": Step("b", "b  IO floor: calamine read + xlsxwriter write",
                  [py, "-c", IO_FLOOR_CHILD, str(big), str(rows_pickle), str(out / "b.xlsx")]),
        "c": Step("c", "c  naive pandas (read_excel/to_excel)",
                  [py, "-c", PANDAS_CHILD, str(big), str(out / "c.xlsx")]),
        "d": svcperf_step("d", f"d  svcperf rank ({small.stem})",
                          ["rank", str(small), "--rules", RULES, "-o", str(out / "small.xlsx"),
                           "-q", "--force"]),
        "validate": svcperf_step("validate", f"e  svcperf validate --format json ({big.stem})",
                                 ["validate", str(big), "--rules", RULES, "--format", "json"]),
        "frictionless": Step("frictionless", f"e  frictionless validate ({big.stem})",
                             [fric or "frictionless", "validate", "--trusted", "--header-rows", "3",
                              "--schema", str(frictionless_schema(out)), str(big)], (0, 1),
                             skipped=fric_why),
        "read_floor": Step("read_floor", f"e  read floor: calamine read only ({big.stem})",
                           [py, "-c", READ_FLOOR_CHILD, str(big)]),
        "g": Step("g", "g  batch: one `svcperf rank` call per submission",
                  [py, "-c", SEQUENTIAL_CHILD, svc, str(out / "submissions"),
                   str(out / "seq")]),
        "h": svcperf_step("h", "h  batch: `svcperf rank submissions/ --jobs 2`",
                          ["rank", str(out / "submissions"), "--out-dir", str(out / "par"),
                           "--rules", RULES, "--jobs", "2", "--force", "-q"]),
        "f0": svcperf_step("f0", f"f0 svcperf rank, bands only ({big.stem})",
                           ["rank", str(big), "--rules", str(variant_rules(out, False)), "-o",
                            str(out / "f0.xlsx"), "-q", "--force"]),
        "f": svcperf_step("f", f"f  svcperf rank, bands + quotas per centre ({big.stem})",
                          ["rank", str(big), "--rules", str(variant_rules(out, True)), "-o",
                           str(out / "f.xlsx"), "-q", "--force"]),
        "m": svcperf_step("m", f"m  svcperf rank ({m_sheet.stem})",
                          ["rank", str(m_sheet), "--rules", RULES, "-o", str(out / "m.xlsx"),
                           "-q", "--force"]),
        "m_validate": svcperf_step("m_validate",
                                   f"m  svcperf validate --format json ({m_sheet.stem})",
                                   ["validate", str(m_sheet), "--rules", RULES, "--format",
                                    "json"]),
        "m_read_floor": Step("m_read_floor", f"m  read floor: calamine read only ({m_sheet.stem})",
                             [py, "-c", READ_FLOOR_CHILD, str(m_sheet)]),
    }


def compile_package() -> None:
    """Write svcperf's bytecode before anything is timed, as pip does when it installs a
    wheel. An editable install under PYTHONDONTWRITEBYTECODE (or in a read-only tree) would
    otherwise compile every svcperf module again in every timed process (~0.07 s of case d),
    which no installed copy does after its first run."""
    spec = importlib.util.find_spec("svcperf")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    compile_package()
    out: Path = args.out_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    big = out / f"sheet-{args.rows}.xlsx"
    small = out / f"sheet-{args.small_rows}.xlsx"
    m_sheet = out / f"sheet-{args.big_rows}.xlsx"

    print(f"generating {big.name} and {small.name} ...", file=sys.stderr)
    gen = {big.name: generate_sheet(big, args.rows, args.centres, args.seed),
           small.name: generate_sheet(small, args.small_rows, args.centres, args.seed + 1)}
    reused: list[str] = []
    if args.big_rows:
        print(f"generating {m_sheet.name} unless cached ...", file=sys.stderr)
        secs = cached_sheet(m_sheet, args.big_rows, args.big_centres, args.seed + 2)
        if secs is None:
            reused.append(m_sheet.name)
        else:
            gen[m_sheet.name] = secs

    with tempfile.TemporaryDirectory() as tmp:
        rows_pickle = Path(tmp) / "results-rows.pickle"
        steps = build_steps(out, big, small, m_sheet, rows_pickle)
        repeat = max(1, args.repeat)

        run_step(steps["a"], repeat)
        # Shape for (b): a.xlsx's Results rows, extracted here, outside any timing.
        a_xlsx = out / "a.xlsx"
        if steps["a"].usable and a_xlsx.is_file():
            with rows_pickle.open("wb") as fh:
                pickle.dump(results_rows(a_xlsx), fh, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            steps["b"].skipped = "needs a.xlsx from (a)"
        run_step(steps["b"], repeat)
        run_step(steps["c"], repeat)
        run_step(steps["d"], max(3, repeat))
        run_rounds([(steps["validate"], True), (steps["frictionless"], True),
                    (steps["read_floor"], False)], repeat)
        if args.submissions:
            print(f"generating {args.submissions} submissions ...", file=sys.stderr)
            generate_submissions(out / "submissions", args.submissions, args.submission_rows,
                                 args.seed)
            (out / "seq").mkdir(exist_ok=True)
            run_step(steps["g"], 1)
            run_step(steps["h"], repeat)
        else:
            steps["g"].skipped = steps["h"].skipped = "--submissions 0"
        run_rounds([(steps["f0"], False), (steps["f"], False)], repeat)
        if not args.big_rows:
            for key in ("m", "m_validate", "m_read_floor"):
                steps[key].skipped = "--big-rows 0"
        run_step(steps["m"], repeat)
        run_rounds([(steps["m_validate"], True), (steps["m_read_floor"], False)], repeat)

    # Correctness cross-check, outside any timing: svcperf and the naive pipeline must agree.
    mismatches = (disagreements(out / "a.xlsx", out / "c.xlsx")
                  if steps["a"].usable and steps["c"].usable else None)
    checks = make_checks(steps, mismatches)
    print_table(steps, checks, gen, reused)
    write_json(out / "results.json", args, steps, checks, gen, reused)
    print(f"results written to {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
