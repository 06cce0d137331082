"""Loading rule files: duplicate keys, every problem in one pass with its line, NaN."""

import pytest

from svcperf.rules.load import RulesError, load_rules, parse_rules, rules_from, shipped_rule_files

BASE = """name: t
fields:
  a: {header: A, type: number}
  b: {header: B, type: number}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(RulesError) as info:
        parse_rules(text, "rules/x.yaml")
    return info.value.problems


def test_a_second_bands_block_is_an_error_naming_both_lines():
    text = BASE + "bands:\n  - {grade: A, cutoff: 90}\n  - {grade: B}\nbands:\n  - {grade: C}\n"
    assert problems(text) == [
        "rules/x.yaml:8 bands: duplicate key 'bands' (first at line 5); keep one"]


def test_a_key_repeated_inside_one_field_is_an_error():
    text = BASE.replace("  b: {header: B, type: number}\n",
                        "  b:\n    header: B\n    type: number\n    type: percent\n")
    assert problems(text) == [
        "rules/x.yaml:7 fields.b.type: duplicate key 'type' (first at line 6); keep one"]


def test_every_duplicate_key_is_reported_at_once():
    text = BASE.replace("type: number}", "type: number, header: AA}", 1) + "name: u\n"
    assert problems(text) == [
        "rules/x.yaml:3 fields.a.header: duplicate key 'header' (first at line 3); keep one",
        "rules/x.yaml:5 name: duplicate key 'name' (first at line 1); keep one"]


CASCADE = """name: two-sheets
sheets:
  - key: heads
    fields:
      branch: {header: 分公司}
    bands:
      - {grade: A, cutoff: 90}
      - {grade: B}
  - key: staff
    id: employee
    group: branch
    fields:
      branch: {header: 分公司}
      score: {header: 得分, type: number}
    tie_breakers: [{field: seniority}]
    movement: {field: level}
    bands:
      - {grade: A, cutoff: 90}
      - {grade: B}
    distribution:
      cascade:
        sheet: heads
        key: branch_name
        tables:
          A: {A: 30%, B: rest}
          B: {A: 10%, B: rest}
"""


def test_unknown_fields_and_a_bad_cascade_key_are_all_reported_with_their_lines():
    fields = "fields are ['branch', 'score']"
    assert problems(CASCADE) == [
        f"rules/x.yaml:10 sheets[1].id: names unknown field 'employee'; {fields}",
        f"rules/x.yaml:15 sheets[1].tie_breakers[0].field: names unknown field 'seniority'; {fields}",
        f"rules/x.yaml:16 sheets[1].movement.field: names unknown field 'level'; {fields}",
        "rules/x.yaml:23 sheets[1].distribution.cascade.key: cascade key 'branch_name' is not a "
        "field of 'heads'"]


def test_sheet_keys_cascade_tables_and_params_are_all_reported():
    text = """name: two-sheets
params:
  month: {values: {"9": 80}}
sheets:
  - key: heads
    fields:
      branch: {header: 分公司}
    bands:
      - {grade: A, cutoff: $month}
      - {grade: B}
  - key: heads
    group: branch
    fields:
      branch: {header: 分公司}
    bands:
      - {grade: A, cutoff: $quarter}
      - {grade: B}
    distribution:
      cascade:
        sheet: heads
        key: branch
        tables:
          A: {A: 30%, B: rest}
          C: {A: 10%, B: rest}
"""
    assert problems(text) == [
        "rules/x.yaml:11 sheets[1].key: sheet key 'heads' is also the key of sheets[0]; keys must "
        "differ",
        "rules/x.yaml:24 sheets[1].distribution.cascade.tables.C: cascade table for grade 'C': "
        "sheet 'heads' never gives it; it gives ['A', 'B']",
        "rules/x.yaml:22 sheets[1].distribution.cascade.tables: cascade has no table for grades "
        "['B']",
        "rules/x.yaml:16 sheets[1].bands[0].cutoff: band 'A' cutoff '$quarter' must be a number "
        "or $param, params are ['month']"]


def test_a_rule_set_built_in_code_is_checked_as_a_file_is():
    with pytest.raises(RulesError) as info:
        rules_from({"name": "t", "id": "x", "rank_by": "y", "fields": {"a": {"header": "A"}}})
    assert info.value.problems == [
        "<rules>:1 id: names unknown field 'x'; fields are ['a']",
        "<rules>:1 rank_by: names unknown 'y'"]


@pytest.mark.parametrize("rules, where", [
    ("bands:\n  - {grade: A, cutoff: .nan}\n  - {grade: B}\n", "6 bands[0].cutoff"),
    ("bands:\n  - {grade: A, cutoff: 90}\n  - {grade: B, cutoff: -.inf}\n", "7 bands[1].cutoff"),
    ("distribution:\n  scope: all\n  quotas: {A: .inf, B: rest}\n", "7 distribution.quotas"),
    ("items:\n  - key: s\n    kind: target\n    field: a\n    points: .nan\n    target: 90%\n"
     "    deduct_per_point: 1\n", "9 items[0].points"),
    ("params:\n  month: {values: {'9': .NaN}}\n", "6 params.month.values.9"),
])
def test_nan_and_infinity_are_not_numbers(rules, where):
    [problem] = problems(BASE + rules)
    assert problem.startswith(f"rules/x.yaml:{where}: expected a finite number, got ")


@pytest.mark.parametrize("path", shipped_rule_files(), ids=lambda p: p.stem)
def test_every_shipped_rule_file_loads_by_path_and_by_name(path):
    assert load_rules(path) == load_rules(path.stem)
    assert load_rules(path).name == path.stem
