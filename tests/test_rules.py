"""Rule files: the shipped ones load; broken ones give file:line key: message."""

from pathlib import Path

import pytest

from svcperf.rules.load import RulesError, load_rules, parse_rules, shipped_rule_files

BASE = """name: t
fields:
  a: {header: A, type: number}
  b: {header: B, type: number}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(RulesError) as info:
        parse_rules(text, "rules/x.yaml")
    return info.value.problems


def test_every_shipped_rule_set_loads():
    names = {load_rules(p).name for p in shipped_rule_files()}
    assert names == {"tiered-service", "data-submission", "gas-service-center",
                     "ambassador-circle", "account-manager-levels", "competency-potential"}


def test_shipped_by_name_and_by_repo_path():
    assert load_rules("tiered-service").name == "tiered-service"
    root = Path(__file__).resolve().parents[1]
    assert load_rules(root / "rules" / "data-submission.yaml").name == "data-submission"


def test_non_number_cutoff_names_line_and_key():
    text = BASE + "bands:\n  - {grade: A, cutoff: 90}\n  - {grade: B, cutoff: 80}\n" \
                  "  - {grade: C, cutoff: 九十}\n"
    assert problems(text) == ['rules/x.yaml:8 bands[2].cutoff: expected a number, got "九十"']


def test_item_points_error_points_at_the_item_line():
    text = BASE + "items:\n  - key: s\n    kind: target\n    field: a\n    points: 九十\n" \
                  "    target: 90%\n    deduct_per_point: 5\n"
    assert problems(text) == ['rules/x.yaml:9 items[0].points: expected a number, got "九十"']


def test_unknown_key_is_reported():
    assert problems(BASE.replace("type: number}", "typ: number}", 1)) == [
        "rules/x.yaml:3 fields.a.typ: unknown key; check the spelling (see README: rule files)"]


def test_formula_cannot_run_code():
    text = BASE + "items:\n  - {key: s, kind: formula, formula: \"__import__('os').system('x')\"}\n"
    [problem] = problems(text)
    assert problem.startswith("rules/x.yaml:6 items[0].formula:") and "not allowed" in problem


def test_weights_must_sum_to_100_percent():
    text = BASE + "items:\n  - {key: s, kind: weighted, weights: {a: 60%, b: 30%}}\n"
    assert "weights sum to 0.9, not 100%" in problems(text)[0]


def test_bands_must_run_high_to_low():
    text = BASE + "bands:\n  - {grade: A, cutoff: 80}\n  - {grade: B, cutoff: 90}\n"
    assert "must run from high to low" in problems(text)[0]


@pytest.mark.parametrize("quotas, message", [
    ("{A: 30%, B: 80%}", "over 100%"),
    ("{A: 30%, B: 50%}", "not 100%"),
    ("{A: 30%, B: rest, C: rest}", "only one grade may take the rest"),
])
def test_quota_tables_are_checked(quotas, message):
    text = BASE + f"distribution:\n  scope: all\n  quotas: {quotas}\n"
    assert message in problems(text)[0]


def test_quotas_naming_unknown_band_grade():
    text = BASE + "bands:\n  - {grade: A, cutoff: 90}\n  - {grade: B}\n" \
                  "distribution:\n  scope: all\n  quotas: {A: 20%, X: rest}\n"
    assert "names grades ['X'] that no band has" in problems(text)[0]


def test_not_yaml():
    assert problems("name: [unclosed\n")[0].startswith("rules/x.yaml:2: not valid YAML")


def test_every_problem_is_reported_with_its_own_line():
    text = BASE + ("items:\n  - {key: s, kind: formula, formula: 'zz + 1'}\n"
                   "  - {key: t, kind: raters, fields: [a, nope]}\n"
                   "tie_breakers: [{field: ghost}]\n")
    found = problems(text)
    assert [p.split(": ")[0] for p in found] == [
        "rules/x.yaml:8 tie_breakers[0].field", "rules/x.yaml:6 items[0].formula",
        "rules/x.yaml:7 items[1]"]
    assert "unknown name 'zz'" in found[1] and "unknown field 'nope'" in found[2]


def test_numeric_default_must_be_a_number():
    assert problems(BASE.replace("type: number}", "type: number, default: 无}", 1)) == [
        "rules/x.yaml:3 fields.a.default: default '无' is not a number"]
    rules = parse_rules(BASE.replace("B, type: number}", "B, type: percent, default: 95%}"), "x")
    assert rules.parts[0].fields["b"].default == 0.95
