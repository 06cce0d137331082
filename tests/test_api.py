"""The public API: what `import svcperf` offers, and that it matches the command line."""

import json

import svcperf
from conftest import EXAMPLES, cli
from svcperf.i18n import LABELS, MESSAGES
from svcperf.issues import SEVERITY


def test_every_public_name_loads():
    for name in svcperf.__all__:
        assert getattr(svcperf, name) is not None, name


def test_rank_file_is_what_the_cli_writes(tmp_path):
    rules = svcperf.load_rules("tiered-service")
    run = svcperf.rank_file(EXAMPLES / "tiered-service.xlsx", rules)
    out = tmp_path / "r.json"
    assert cli("rank", EXAMPLES / "tiered-service.xlsx", "-o", out, "-q").exit_code == 1
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [r["employee_id"] for r in rows if r["status"] == "ranked"] == \
        list(run.parts[0].results["employee_id"])


def test_every_issue_code_has_a_severity_and_both_messages():
    assert set(SEVERITY) == set(MESSAGES)
    assert all(len(pair) == 2 and all(pair) for pair in MESSAGES.values())
    assert set(LABELS["en"]) == set(LABELS["zh"])
