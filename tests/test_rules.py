"""Rule files: the shipped ones load; broken ones give every problem as file:line key: message
(duplicate keys, references, NaN), in one pass."""

import re
from pathlib import Path

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
        "rules/x.yaml:3 fields.a.typ: unknown key; did you mean 'type'? (see README: rule files)"]
    assert problems(BASE.replace("type: number}", "qqqqqq: number}", 1)) == [
        "rules/x.yaml:3 fields.a.qqqqqq: unknown key; check the spelling (see README: rule files)"]


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
    assert problems("name: [unclosed\n")[0].startswith("rules/x.yaml:1: not valid YAML")


@pytest.mark.parametrize(("text", "en", "zh"), [
    ("name: x\nfields:\n  a: {header: [A, type: text}\n", "rules/x.yaml:3: not valid YAML at "
     "column 29: a line indented", "rules/x.yaml:3：第 29 列不符合 YAML 的结构：某行的缩进"),
    ("name: x\nfields:\n  a:\n    header: A\n   type: text\n", "rules/x.yaml:5: not valid YAML "
     "at column 4 (in the part begun at line 3)", "rules/x.yaml:5：第 4 列（在第 3 行开始的部分中）"),
    ("name: x\n\tfields: {}\n", "rules/x.yaml:2: not valid YAML at column 1: a character",
     "rules/x.yaml:2：第 1 列有 YAML 在此处不接受的字符（制表符"),
    ('name: x\nfields:\n  a: {header: "A}\n', "rules/x.yaml:3: not valid YAML: the quote or "
     "bracket opened at column 15 is never closed", "rules/x.yaml:3：不是有效的 YAML：第 15 列开始的"
     "引号或括号直到文件末尾都没有闭合"),
    ("name: *x\n", "rules/x.yaml:1: not valid YAML at column 7: a second document (---) or an "
     "alias", "rules/x.yaml:1：第 7 列不是有效的 YAML：有第二个文档（---），或别名"),
    ("name: x\x07\n", "rules/x.yaml:1: not valid YAML: a control character (U+0007)",
     "rules/x.yaml:1：不是有效的 YAML：含有 YAML 不接受的控制字符（U+0007）"),
])
def test_a_yaml_syntax_error_says_where_and_how_to_fix_in_the_users_language(text, en, zh):
    """The kind of mistake comes from the parser's error class and marks; in Chinese not one
    word of the parser's English is shown."""
    with pytest.raises(RulesError) as info:
        parse_rules(text, "rules/x.yaml")
    [said_en], [said_zh] = info.value.said("en"), info.value.said("zh")
    assert said_en.startswith(en) and said_zh.startswith(zh)
    assert "；请" in said_zh and not re.search(r"[a-z]{3,}", said_zh.split("：", 1)[1]), said_zh


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


def test_a_second_bands_block_is_an_error_naming_both_lines():
    text = BASE + "bands:\n  - {grade: A, cutoff: 90}\n  - {grade: B}\nbands:\n  - {grade: C}\n"
    assert problems(text) == [
        "rules/x.yaml:8 bands: duplicate key 'bands' (first at line 5); keep one"]


def test_a_key_repeated_inside_one_field_is_an_error():
    text = BASE.replace("  b: {header: B, type: number}\n",
                        "  b:\n    header: B\n    type: number\n    type: percent\n")
    assert problems(text) == [
        "rules/x.yaml:7 fields.b.type: duplicate key 'type' (first at line 6); keep one"]


@pytest.mark.parametrize("value, why", [
    ("2026-02-30", "day is out of range for month"),  # YAML reads it as a date
    ("1" + "0" * 5000, "Exceeds the limit (4300 digits)"),
])
def test_a_value_yaml_cannot_read_is_reported_at_its_line(value, why):
    (problem,) = problems(BASE + f"note:\n  when: {value}\n")
    assert problem.startswith("rules/x.yaml:6: a value YAML cannot read, ") and why in problem
    assert "write it in quotes if it is text" in problem


TARGETS = """name: t
fields:
  id: {header: 工号, type: text}
  kind: {header: 类型, type: text, allowed: [百强, A类, "true"]}
  rate: {header: 知晓率, type: percent}
items:
  - {key: r, kind: target, field: rate, points: 10, deduct_per_point: 1,
     target: {by: kind, table: TABLE}}
"""


@pytest.mark.parametrize("table, found", [
    ('{百强: 93%, A类: 90%, "true": 80%}', []),
    ('{A类: 90%, "true": 80%}', ["rules/x.yaml:8 items[0].target.table: no target for ['百强'], "
                                "which field 'kind' allows; add them to the table"]),
    ("{百强: 93%, A类: 90%, true: 80%}",  # a bare true is a yes/no value, not the label
     ["rules/x.yaml:8 items[0].target.table: no target for ['true'], which field 'kind' allows; "
      "add them to the table",
      "rules/x.yaml:8 items[0].target.table: targets for ['True'], which field 'kind' does not "
      "allow (it allows ['百强', 'A类', 'true']); correct or remove them (a bare true or false "
      "is read as a yes/no value: quote it)"]),
])
def test_a_target_table_has_a_target_for_each_allowed_label_and_no_other(table, found):
    text = TARGETS.replace("TABLE", table)
    if not found:
        parse_rules(text, "rules/x.yaml")
    else:
        assert problems(text) == found


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
      monthly: {header: 得分, type: number}
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
    fields = "fields are ['branch', 'monthly']"
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


def test_a_yaml_alias_bomb_is_measured_not_built():
    rows = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    [problem] = problems(rows + BASE)
    assert "expands to 490,329,080 values" in problem and "at most 100,000" in problem


def test_nesting_too_deep_is_a_rules_error():
    [problem] = problems(BASE + "x: " + "[" * 3000 + "]" * 3000 + "\n")
    assert "nested too deeply" in problem or "levels" in problem


def test_a_huge_rule_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(BASE + "# " + "x" * (2 << 20) + "\n", encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert "at most 1,048,576" in info.value.problems[0]


@pytest.mark.parametrize("formula, words", [
    ("9 ** 9 ** 9", "a power of at most 100"), ("a % 0", "divides by zero"),
    ("b / 0", "divides by zero"), ("0 ** -1", "0 to a negative power"),
    ("clamp(a)", "clamp() takes 3 arguments, got 1"), ("abs(a, b)", "abs() takes 1 arguments"),
    ("a" + " + a" * 700, "at most 2000"),
])
def test_formulas_that_would_hang_or_crash_a_run_are_rules_errors(formula, words):
    text = BASE + f"items:\n  - {{key: s, kind: formula, formula: \"{formula}\"}}\n"
    [problem] = problems(text)
    assert problem.startswith("rules/x.yaml:") and words in problem


@pytest.mark.parametrize(("part", "key"), [
    ("items:\n  - {key: s, kind: weighted, weights: {a: [1]}}\n", "items[0].weights"),
    ("items:\n  - {key: s, kind: weighted, weights: {a: x%}}\n", "items[0].weights"),
    ("bands: [{grade: A, cutoff: 1}, {grade: B}]\n"
     "distribution: {scope: all, quotas: {A: {share: [1]}, B: rest}}\n", "distribution.quotas"),
    ("items:\n  - {key: s, kind: target, field: a, points: 10, deduct_per_point: 1,\n"
     "     target: {by: b, table: {x: [90%]}}}\n", "items[0].target.table"),
])
def test_a_share_that_is_not_one_is_a_plain_problem_not_an_internal_error(part, key):
    """A list where a share goes raised float()'s TypeError (svcperf: internal error); 'x%'
    was said as Python's 'could not convert string to float'."""
    found = problems(BASE + part)
    assert any(p.startswith("rules/x.yaml:") and f" {key}: expected a share such as 20% or 0.2, "
               "got " in p for p in found), found


@pytest.mark.parametrize(("text", "zh"), [
    (BASE.replace("type: number}", "type: number, required: maybe}", 1),
     'rules/x.yaml:3 fields.a.required：应为 true 或 false，实际为 "maybe"'),
    (BASE.replace("name: t", "name: [t]"), "rules/x.yaml:1 name：应为文本，实际为 ['t']"),
    ("title: 2026\n" + BASE, "rules/x.yaml:1 title：应为文本，实际为数字 2026；作文本请加引号（'2026'）"),
    (BASE + "items:\n  - {key: s, kind: raters, fields: []}\n",
     "rules/x.yaml:6 items[0].fields：至少应有 1 项，实际为 []"),
    (BASE + "precision: 9\n", "rules/x.yaml:5 precision：应不大于 6，实际为 9"),
    (BASE + "bands: [{grade: A, cutoff: 1}, {grade: B}]\n"
     "distribution: {scope: all, quotas: {A: 50%, B: rest}, min_group_size: 0}\n",
     "rules/x.yaml:6 distribution.min_group_size：应不小于 1，实际为 0"),
])
def test_a_value_of_the_wrong_kind_is_said_in_chinese_under_lang_zh(text, zh):
    """pydantic's English ('Input should be a valid boolean') stood in the Chinese messages."""
    with pytest.raises(RulesError) as info:
        parse_rules(text, "rules/x.yaml")
    assert info.value.said("zh") == [zh]


def test_a_value_yaml_cannot_read_is_shown_and_said_in_chinese():
    """--lang zh said Python's 'day is out of range for month' and not the value."""
    with pytest.raises(RulesError) as info:
        parse_rules("name: x\nversion: 2026-02-30\n" + BASE.split("\n", 1)[1], "rules/x.yaml")
    assert info.value.said("zh") == ["rules/x.yaml:2：YAML 无法读取的值“2026-02-30”（不是有效的日期"
                                     "或数）；若是文本请加引号，否则请改正"]
    assert info.value.said("en")[0].startswith("rules/x.yaml:2: a value YAML cannot read, "
                                               "2026-02-30 (day is out of range for month)")



@pytest.mark.parametrize(("line", "said", "zh"), [
    ("bands:\n  - {grade: A, cutoff: [1]}",
     "bands[0].cutoff: expected a number or text, got [1]", "应为数字或文本，实际为 [1]"),
    ("  - {key: r, kind: ratio, numerator: s, denominator: s, on_zero: zero}\nbands:\n"
     "  - {grade: A, cutoff: 90}",
     "items[1].on_zero: expected 'reject' or a number, got \"zero\"",
     "应为'reject'或数字，实际为 \"zero\""),
])
def test_a_value_every_kind_of_a_key_refuses_is_one_problem(tmp_path, line, said, zh):
    """A key taking a number or text (a band's cutoff: 90 or $month) refused [1] in two lines,
    one per kind, as a ratio's on_zero ('reject' or a number) refused zero: one line says
    what it may be."""
    from conftest import cli

    rules = tmp_path / "r.yaml"
    rules.write_text("name: r\nid: id\nfields:\n  id: {header: [ID], type: text}\n"
                     "  s: {header: [S], type: number}\nitems:\n"
                     "  - {key: t, kind: formula, formula: s}\n" + line + "\n", encoding="utf-8")
    for lang, text in (("en", said), ("zh", zh)):
        out = [ln for ln in cli("rules", "check", rules, "--lang", lang).output.splitlines()
               if ln.strip()]
        assert len(out) == 1 and out[0].endswith(text), out


def test_a_percent_max_over_one_is_said_at_max_and_nothing_else(tmp_path):
    """max: 100 on a percent field was said at the field's first line, and the field was
    then left out of the rest of the check, so a formula using it got 'unknown name'."""
    from conftest import cli

    rules = tmp_path / "r.yaml"
    rules.write_text("name: r\nid: id\nfields:\n  id: {header: [ID], type: text}\n  t:\n"
                     "    header: [T]\n    type: percent\n    max: 100\nitems:\n"
                     "  - {key: x, kind: formula, formula: t}\nbands:\n  - {grade: A, cutoff: 1}\n",
                     encoding="utf-8")
    out = [ln for ln in cli("rules", "check", rules).output.splitlines() if ln.strip()]
    assert out == [f"svcperf: error: {rules}:8 fields.t.max: percent limits are fractions: "
                   "write max: 1 for 100%"]
