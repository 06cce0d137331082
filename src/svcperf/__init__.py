"""svcperf: service score sheets in, validated grades, quotas and ranks out.

The library's public API (the command line is a thin layer over it)::

    import svcperf

    rules = svcperf.load_rules("tiered-service")       # a shipped rule set, or a YAML path
    report = svcperf.check_file("march.xlsx", rules)   # every problem, as data
    run = svcperf.rank_file("march.xlsx", rules)       # a RunResult: parts, results, rejected
    svcperf.write_result(run, Path("march.ranked.xlsx"))

Names load on first use, so `import svcperf` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_PUBLIC = {
    "load_rules": "svcperf.rules.load", "RulesError": "svcperf.rules.load",
    "check_file": "svcperf.api", "validate_files": "svcperf.api", "rank_file": "svcperf.api",
    "rank_sheet": "svcperf.api", "rank_together": "svcperf.api", "rollup_files": "svcperf.api",
    "rank_adjusted": "svcperf.api",
    "write_result": "svcperf.io.write", "write_rollup": "svcperf.io.write",
    "Report": "svcperf.issues", "Issue": "svcperf.issues", "FileError": "svcperf.issues",
    "RunResult": "svcperf.results", "PartResult": "svcperf.results",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'svcperf' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
