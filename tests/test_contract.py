"""The command-line contract (README, "The command-line contract"): exit codes, the one error
line, checked options, JSON that follows schemas/svcperf.schema.json, inputs and outputs."""

import itertools
import json
import re
import shutil

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, cli, write_xlsx

SCHEMA = json.loads((ROOT / "schemas" / "svcperf.schema.json").read_text(encoding="utf-8"))
PREFIX = "svcperf: error: "
TIERED = EXAMPLES / "tiered-service.xlsx"  # one rejected row: exit 1


def conforms(doc, kind):
    """The document is valid against the schema, and against the definition it claims to be."""
    jsonschema.validate(doc, SCHEMA)
    jsonschema.validate(doc, {"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{kind}"})


def one_error_line(result):
    """Every error is one line on stderr in the one format, with a fix after the `;`."""
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith(PREFIX) and (";" in line or "；" in line)
                         for line in lines), result.stderr
    assert "Traceback" not in result.output and "╭" not in result.stderr
    return lines


# ---- exit codes --------------------------------------------------------------------------------

def test_a_missing_required_column_gives_2_in_rank_and_in_validate(tmp_path):
    sheet = write_xlsx(tmp_path / "s.xlsx", [["工号", "中心", "集团类型"], ["E1", "要客", "A类"]])
    ranked = cli("rank", sheet, "--rules", "tiered-service", "-o", tmp_path / "o.xlsx")
    checked = cli("validate", sheet, "--rules", "tiered-service")
    assert ranked.exit_code == checked.exit_code == 2, (ranked.output, checked.output)


def test_batch_exit_code_is_the_worst_and_strict_and_dry_run_work_there(tmp_path):
    (tmp_path / "in").mkdir()
    good = write_xlsx(tmp_path / "in" / "good.xlsx", [
        ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率", "优惠活动知晓率"],
        ["E1", "a", "c", "A类", 0.9, 0.85, 1.0]])
    shutil.copy(TIERED, tmp_path / "in" / "bad.xlsx")
    out = tmp_path / "out"
    assert cli("rank", good, "--rules", "tiered-service", "--out-dir", out, "-q").exit_code == 0
    assert cli("rank", tmp_path / "in", "--out-dir", out, "-q").exit_code == 1
    dry = cli("rank", tmp_path / "in", "--out-dir", tmp_path / "dry", "--dry-run")
    assert dry.exit_code == 1 and not (tmp_path / "dry").exists()
    strict = cli("rank", tmp_path / "in", "--out-dir", tmp_path / "strict", "--strict", "-q")
    assert strict.exit_code == 2 and "--strict refuses" in strict.stderr
    assert sorted(p.name for p in (tmp_path / "strict").glob("*.xlsx")) == ["good.ranked.xlsx"]


def test_rollup_with_a_month_of_the_period_missing_exits_1_with_its_output(tmp_path):
    out = tmp_path / "q.json"
    result = cli("rollup", EXAMPLES / "ambassador-2026-01.xlsx", EXAMPLES / "ambassador-2026-03.xlsx",
                 "--rules", "ambassador-circle", "--period", "2026q1", "-o", out)
    assert result.exit_code == 1 and out.exists()
    doc = json.loads(out.read_text(encoding="utf-8"))
    conforms(doc, "rollup_result")
    assert doc["run"]["period"] == "2026Q1" and doc["run"]["months_without_a_file"] == ["2026-02"]


# ---- the one error format, and every option checked ---------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["rank", TIERED, "--lang", "fr"], "--lang: 'fr' is not accepted; use en or zh"),
    (["validate", TIERED, "--max-issues", "-1"], "--max-issues: -1 is too small"),
    (["template", "--rules", "tiered-service", "-o", "t.xlsx", "--rows", "-5"], "--rows: -5"),
    (["rank", TIERED, "-j", "-1"], "-1 is too small"),
    (["rank", TIERED, "--month", "13"], "'13' is not a month; write the calendar month as 2026-09"),
    (["rank", TIERED, "--month", "2026/09"], "'2026/09' is not a month"),
    (["explain", TIERED, "E1", "--month", "0"], "'0' is not a month; write the calendar month"),
    (["rollup", TIERED, "--rules", "ambassador-circle", "--month", "9"],
     "'9' is not a calendar month; write it as 2026-09"),
    (["rank", TIERED, "--month", "2026-09", "--period", "2026-10"],
     "--month 2026-09 and --period 2026-10 name different months"),
    (["rank", TIERED, "--format", "pdf"], "use xlsx or csv or json"),
    (["validate", TIERED, "--format", "xml"], "use table or json"),
    (["rank", TIERED, "--nope"], "No such option: --nope"),
    (["rnak", TIERED], "Did you mean 'rank'"),
    (["rank"], "Missing argument 'SHEET...'"),
    (["rollup", TIERED], "Missing option '--rules'"),
    (["rank", TIERED, "-o", "x.csv", "--out-dir", "r"], "--out and --out-dir cannot be used"),
    (["rank", TIERED, "-o", "x.csv", "--format", "json"], "disagree"),
    (["rank", TIERED, "-o", "x.json", "--summary", "s.json"],
     "--out cannot be used with --summary, which makes this a batch run; give the outputs'"),
    (["rank", TIERED, "-o", "x.json", "--combined", "c.xlsx"], "--out cannot be used with --comb"),
    (["rank", TIERED, TIERED, "-o", "x.json"], "--out takes one sheet"),
])
def test_usage_errors_are_one_line_with_a_fix_and_exit_2(tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2
    assert words in one_error_line(result)[0], result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args, where", [
    (["rank", ""], "SHEET..."), (["validate", ""], "SHEET..."),
    (["rank", "s.xlsx", "-r", ""], "--rules/-r"), (["rank", "s.xlsx", "--out-dir", ""], "--out-dir"),
    (["rank", "s.xlsx", "-o", ""], "--out/-o"), (["rank", "s.xlsx", "--summary", ""], "--summary"),
    (["rollup", "", "-r", "ambassador-circle"], "FILE..."), (["diff", "s.xlsx", ""], "NEW"),
    (["explain", "", "E1"], "SHEET"), (["rules", "check", ""], "FILE..."),
    (["template", "-r", "tiered-service", "-o", ""], "--out/-o"), (["init", ""], "SHEET"),
])
def test_an_empty_name_is_refused_not_taken_as_the_current_folder(tmp_path, monkeypatch, args,
                                                                   where):
    """`rank "$SHEET"` with the variable unset ranked every sheet in the current folder (and
    `--out-dir ""` wrote into it): an empty name is a usage error, and nothing is written."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(TIERED, tmp_path / "s.xlsx")
    result = cli(*args)
    assert result.exit_code == 2
    assert one_error_line(result) == [f"{PREFIX}{where}: an empty name was given; name a file, "
                                      "folder or rule set (in a script, check that the variable "
                                      "is set)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]
    zh = cli(*args, "--lang", "zh") if args[0] in ("rank", "validate") else None
    assert zh is None or "给出的名称为空" in zh.stderr


@pytest.mark.parametrize("args, en, zh", [
    (["rank", TIERED, "--nope"], "No such option: --nope", "没有选项 --nope"),
    (["rank", TIERED, "--fore"], "(Possible options: --force, --format, --rules)",
     "没有选项 --fore（相近的选项：--force, --format, --rules）"),
    (["rank"], "Missing argument 'SHEET...'", "缺少参数 SHEET..."),
    (["rollup", TIERED], "Missing option '--rules' / '-r'", "缺少选项 '--rules' / '-r'"),
    (["rank", TIERED, "--force=3"], "Option '--force' does not take a value",
     "选项 --force 不带值"),
    (["rnak", TIERED], "No such command 'rnak'. Did you mean 'rank'?",
     "没有命令“rnak”（是不是 'rank'？）"),
    (["rules", "chek", "x"], "No such command 'chek'. Did you mean 'check'?", "没有命令“chek”"),
    (["rank", TIERED, "-j", "abc"], "--jobs/-j: 'abc' is not a whole number; give one such as 4",
     "--jobs/-j: “abc”不是整数"),
    (["validate", TIERED, "--max-issues", "1.5"], "'1.5' is not a whole number", "“1.5”不是整数"),
    (["rank", TIERED, "-j", "1,2"], "'1,2' is not a whole number", "“1,2”不是整数"),
    (["--limit", "cells=1,2", "validate", TIERED], "not a whole number above 0; give one",
     "--limit cells=1,2：不是大于 0 的整数；请给出一个"),
    (["explain", TIERED, "E1", "extra", "two"], "unexpected extra argument(s): extra two",
     "多余的参数：extra two"),
    (["rules", "show", "tiered-service", "more"], "unexpected extra argument(s): more",
     "多余的参数：more"),
])
def test_usage_errors_are_said_in_the_users_language(tmp_path, monkeypatch, args, en, zh):
    """click's own usage errors were English under --lang zh (and a zh locale)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    for lang, words in (("en", en), ("zh", zh)):  # by the locale: --lang may be what is wrong
        monkeypatch.setenv("LANG", "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8")
        result = cli(*args)
        assert result.exit_code == 2
        assert words in one_error_line(result)[0], result.stderr


def test_option_values_keep_their_forms(tmp_path, monkeypatch):
    """Whole numbers as 1,000 and 1_000; -o with no file name says so at the end of a line."""
    out = tmp_path / "t.xlsx"
    assert cli("template", "-r", "tiered-service", "-o", out, "--rows", "1_000").exit_code == 0
    said = cli("rank", TIERED, "-o").stderr  # click gives this error no command: found from
    assert "Option '-o' requires an argument; see `svcperf rank --help`" in said  # the args
    assert "see `svcperf rules show --help`" in cli("rules", "show", "-x").stderr
    assert "see `svcperf rank --help`" in cli("--limit", "cells=9", "rank", TIERED,
                                              "--dry-run=yes").stderr
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    result = cli("rank", TIERED, "-o")
    assert result.exit_code == 2 and "选项 -o 后面缺少值" in result.stderr


@pytest.mark.parametrize("text, digits", [
    ("12", "12"), (" 1,000 ", "1000"), ("1_000", "1000"), ("-3", "-3"), ("+30,000,000", "+30000000"),
    ("1,2", None), ("1,2345", None), ("12,34,567", None), (",100", None), ("1__0", None),
    ("1.5", None), ("", None), ("1e3", None)])
def test_a_whole_number_groups_thousands_by_threes_only(text, digits):
    """`--jobs 1,2` was 12 jobs and `--limit cells=1,2` a limit of 12 cells."""
    from svcperf.text import whole_digits

    assert whole_digits(text) == digits


def test_month_09_is_month_9(tmp_path):
    sheet = EXAMPLES / "data-submission.xlsx"
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("rank", sheet, "--month", "09", "-o", a, "-q").exit_code == 0
    assert cli("rank", sheet, "--month", "9", "-o", b, "-q").exit_code == 0
    rows = [[r["grade"] for r in json.loads(p.read_text(encoding="utf-8"))["rows"]] for p in (a, b)]
    assert rows[0] == rows[1]


def test_month_is_a_calendar_month_that_also_picks_the_target(tmp_path):
    sheet = EXAMPLES / "data-submission.xlsx"
    docs = {}
    for name, args in (("calendar", ["--month", "2026-09"]), ("shorthand", ["--month", "9"]),
                       ("old-name", ["--period", "2026-09"]),
                       ("both", ["--month", "9", "--period", "2026-09"])):
        out = tmp_path / f"{name}.json"
        assert cli("rank", sheet, *args, "-o", out, "-q").exit_code == 0, name
        docs[name] = json.loads(out.read_text(encoding="utf-8"))
        conforms(docs[name], "rank_result")
    grades = {name: [r["grade"] for r in doc["rows"]] for name, doc in docs.items()}
    assert len({tuple(g) for g in grades.values()}) == 1  # month 9's target every time
    assert {name: (doc["run"]["period"], doc["run"]["params"]) for name, doc in docs.items()} == {
        "calendar": ("2026-09", {"month": "9"}), "shorthand": (None, {"month": "9"}),
        "old-name": ("2026-09", {"month": "9"}), "both": ("2026-09", {"month": "9"})}
    no_target = cli("rank", sheet, "--month", "2026-03", "-o", tmp_path / "m.json")
    assert no_target.exit_code == 2 and not (tmp_path / "m.json").exists()
    assert "no value for it; give one of 5, 6" in no_target.stderr and "2026-09" in no_target.stderr


def test_a_batch_takes_the_calendar_month_for_every_sheet(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        shutil.copy(EXAMPLES / "data-submission.xlsx", folder / f"{name}.xlsx")
    result = cli("rank", folder, "--out-dir", tmp_path / "out", "--rules", "data-submission",
                 "--month", "2026-09", "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    for name in ("a", "b"):
        doc = json.loads((tmp_path / "out" / f"{name}.ranked.json").read_text(encoding="utf-8"))
        assert doc["run"]["period"] == "2026-09" and doc["run"]["params"] == {"month": "9"}


def test_files_and_folders_mixed_up_are_plain_errors(tmp_path):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "empty").mkdir()
    as_dir = cli("rank", TIERED, "--out-dir", tmp_path / "a-file")
    assert as_dir.exit_code == 2 and "is a file, not a folder" in one_error_line(as_dir)[0]
    empty = cli("rank", tmp_path / "empty")
    assert empty.exit_code == 2 and "holds no spreadsheet" in one_error_line(empty)[0]
    glob = cli("rank", str(tmp_path / "nomatch*.xlsx"), "--out-dir", tmp_path / "r")
    assert glob.exit_code == 2 and "no spreadsheet matches" in one_error_line(glob)[0]
    folder_out = cli("template", "--rules", "tiered-service", "-o", tmp_path / "empty")
    assert folder_out.exit_code == 2
    missing = cli("rank", tmp_path / "nothere.xlsx")
    assert missing.exit_code == 2 and "no such file; check" in one_error_line(missing)[0]
    two = cli("rank", tmp_path / "nothere.xlsx", tmp_path / "gone.xlsx", "--out-dir", tmp_path / "o")
    assert two.exit_code == 2 and len(one_error_line(two)) == 2  # each file's reason, on stderr


def test_a_broken_rule_set_is_the_one_error_format(tmp_path):
    rules = tmp_path / "x.yaml"
    rules.write_text("name: x\nfields: {}\n", encoding="utf-8")
    result = cli("rank", TIERED, "--rules", rules)
    assert result.exit_code == 2
    assert all(line.startswith(PREFIX) for line in result.stderr.strip().splitlines())


# ---- outputs: never replaced without --force, inputs never our own outputs ----------------------

@pytest.mark.parametrize("command", [
    ["rank", TIERED, "-q", "-o"],
    ["template", "--rules", "tiered-service", "-o"],
    ["init", TIERED, "-o"],
])
def test_no_command_replaces_an_existing_output_without_force(tmp_path, command):
    suffix = ".yaml" if command[0] == "init" else ".xlsx"
    out = tmp_path / f"out{suffix}"
    out.write_bytes(b"mine")
    refused = cli(*command, out)
    assert refused.exit_code == 2 and "--force" in one_error_line(refused)[0]
    assert out.read_bytes() == b"mine"
    assert cli(*command, out, "--force").exit_code in (0, 1) and out.read_bytes() != b"mine"


def test_globs_and_folders_never_take_svcperfs_own_outputs(tmp_path):
    shutil.copy(TIERED, tmp_path / "march.xlsx")
    assert cli("rank", tmp_path / "march.xlsx", "-q").exit_code == 1
    assert (tmp_path / "march.ranked.xlsx").exists()
    for args in ([str(tmp_path / "*.xlsx")], [tmp_path]):
        result = cli("validate", *args, "--format", "json")
        files = [f["file"] for f in json.loads(result.stdout)["stats"]["per_file"]]
        assert files == [str(tmp_path / "march.xlsx")], args


# ---- JSON: every document follows the schema; stdout is only the document ------------------------

def test_every_json_output_follows_the_schema(tmp_path):
    validated = cli("validate", TIERED, EXAMPLES / "gas-service-center.xlsx", "--format", "json")
    conforms(json.loads(validated.stdout), "validation_report")
    for example in ("tiered-service", "gas-service-center", "data-submission"):
        out = tmp_path / f"{example}.json"
        extra = ["--month", "9"] if example == "data-submission" else []
        assert cli("rank", EXAMPLES / f"{example}.xlsx", "-o", out, "-q", *extra).exit_code in (0, 1)
        doc = json.loads(out.read_text(encoding="utf-8"))
        conforms(doc, "rank_result")
        rejected = [r for r in doc["rows"] if r["status"] == "rejected"]
        assert all(r["reasons"] for r in rejected) and all(
            not r["reasons"] for r in doc["rows"] if r["status"] == "ranked")
    summary = tmp_path / "summary.json"
    batch = cli("rank", TIERED, str(tmp_path / "none*.xlsx"), "--out-dir", tmp_path / "r",
                "--format", "json", "--summary", summary)
    assert batch.exit_code == 2
    doc = json.loads(summary.read_text(encoding="utf-8"))
    conforms(doc, "batch_summary")
    single = json.loads((tmp_path / "tiered-service.json").read_text(encoding="utf-8"))
    in_batch = json.loads((tmp_path / "r" / "tiered-service.ranked.json").read_text("utf-8"))
    conforms(in_batch, "rank_result")
    assert single.keys() == in_batch.keys() and single["run"].keys() == in_batch["run"].keys()
    assert [r.keys() for r in single["rows"]] == [r.keys() for r in in_batch["rows"]]


def test_the_schema_refuses_what_the_contract_forbids():
    """The schema is not a rubber stamp: display labels, "-" and joined reasons fail it."""
    good = {"schema_version": 1, "svcperf": "0.1.0", "exit_code": 0,
            "totals": {"files": 0, "ok": 0, "rejected_rows": 0, "failed": 0, "up_to_date": 0,
                       "rows_ranked": 0, "rows_rejected": 0}, "files": []}
    jsonschema.validate(good, SCHEMA)
    for bad in ({**good, "totals": {**good["totals"], "rejected-rows": 0}},
                {**good, "files": [{"file": "a", "status": "ok", "exit_code": 0, "output": "-",
                                    "rule_set": None, "rows_read": 0, "rows_ranked": 0,
                                    "rows_rejected": 0, "seconds": 0, "input_sha256": None,
                                    "message": None}]}):
        with pytest.raises(jsonschema.ValidationError):
            conforms(bad, "batch_summary")


# ---- help ----------------------------------------------------------------------------------------

def _leaf_commands():
    from typer.main import get_command

    from svcperf.cli.app import app

    def walk(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    return list(walk(get_command(app)))


@pytest.mark.parametrize("path, command", _leaf_commands())
def test_help_reads_at_80_columns_with_examples_that_copy_and_paste(monkeypatch, path, command):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli(*path, "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert "╭" not in text  # plain through a pipe
    assert not re.search(r"<(?:bool|str|int|path|list\[\w+\])>", text), text  # no Python types
    assert all(len(line) <= 80 for line in text.splitlines()), text
    description = command.help.strip().splitlines()[0]
    assert len(description) <= 66 and description in text  # one short line in `svcperf --help`
    example = command.help.split("Example:", 1)[1]
    commands = [line.strip() for line in example.splitlines() if line.strip() and line.strip() != "\b"]
    assert commands and commands[0].startswith("svcperf ")
    for line in commands:  # each line of an example is shown whole, as written
        assert line in text, (line, text)
    for first, nxt in itertools.pairwise(commands):
        assert nxt.startswith("svcperf ") or first.endswith("\\"), (first, nxt)


def test_the_readme_command_reference_is_what_help_says():
    from svcperf.cli.reference import BEGIN, END, spliced

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert BEGIN in readme and END in readme
    assert spliced(readme) == readme, "run: python -m svcperf.cli.reference"


def test_completion_offers_rule_set_names_and_languages():
    from svcperf.cli.contract import complete_lang, complete_rules

    assert complete_lang("z") == ["zh"] and complete_lang("") == ["en", "zh"]
    assert "tiered-service" in complete_rules("tier") and complete_rules("nope") == []
    assert cli("--help").stdout.count("--install-completion") == 1


# ---- validate's table ------------------------------------------------------------------------------

def test_validate_table_has_severity_errors_first_and_a_total_line(tmp_path):
    for name in ("tiered-service", "data-submission"):
        shutil.copy(EXAMPLES / f"{name}.xlsx", tmp_path / f"{name}.xlsx")
    result = cli("validate", tmp_path, "--max-issues", "1")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "severity" in line)
    assert header.index("severity") < header.index("code")
    tiered = result.stdout.split(str(tmp_path / "tiered-service.xlsx"))[1]
    shown = [line for line in tiered.splitlines() if "│ error" in line or "│ notice" in line
             or "│ warning" in line]
    assert shown and "│ error" in shown[0] and "ambiguous-percent" in shown[0]  # the error, not a notice
    assert "more issues not shown (2 warnings, 4 notices)" in tiered
    assert lines[-1].startswith("total: 2 files, 1 valid, 1 invalid — ")


# ---- rules check -----------------------------------------------------------------------------------

def test_rules_check_reports_every_file_with_did_you_mean(tmp_path):
    key = tmp_path / "key.yaml"
    key.write_text("name: k\nfields:\n  a: {header: A, type: number}\nitems:\n"
                   "  - {key: s, kind: formula, formula: a}\nbands:\n  - {grade: A, cutof: 90}\n",
                   encoding="utf-8")
    field = tmp_path / "field.yaml"
    field.write_text("name: f\nid: employe\nfields:\n  employee: {header: 工号}\n"
                     "  a: {header: A, type: number}\nitems:\n"
                     "  - {key: s, kind: formula, formula: a}\nbands:\n  - {grade: A, cutoff: 90}\n",
                     encoding="utf-8")
    result = cli("rules", "check", key, field, "tierd-service", "tiered-service")
    assert result.exit_code == 2
    lines = one_error_line(result)
    assert f"{key}:7 bands[0].cutof: unknown key; did you mean 'cutoff'?" in lines[0]
    assert any(f"{field}:2 id: names unknown field 'employe' (did you mean 'employee'?)" in line
               for line in lines), lines
    assert any("tierd-service" in line and "did you mean tiered-service?" in line for line in lines)
    assert "ok: tiered-service" in result.stdout


# ---- init ------------------------------------------------------------------------------------------

def test_init_drafts_one_part_per_sheet_under_a_new_name_and_ranking_it_is_refused(tmp_path):
    out = tmp_path / "draft.yaml"
    result = cli("init", EXAMPLES / "gas-service-center.xlsx", "-o", out)
    assert result.exit_code == 0
    assert "svcperf: note: drafted rule set 'gas-service-center-draft' from 2 sheets (主管, 员工)" \
        in result.stderr and "no items yet" in result.stderr
    from svcperf.rules.load import load_rules

    rules = load_rules(out)
    assert rules.name == "gas-service-center-draft"
    assert [(p.key, p.sheet) for p in rules.parts] == [("zhu_guan", ["主管"]), ("yuan_gong", ["员工"])]
    assert "xing_ming" in rules.parts[0].fields
    ranked = cli("rank", EXAMPLES / "gas-service-center.xlsx", "--rules", out, "-o",
                 tmp_path / "r.xlsx")
    assert ranked.exit_code == 2 and "no items, so every score would be 0" in one_error_line(ranked)[0]
    assert not (tmp_path / "r.xlsx").exists()
    shipped = cli("init", EXAMPLES / "tiered-service.xlsx", "--name", "tiered-service")
    assert shipped.exit_code == 2 and "is a shipped rule set" in shipped.stderr


def test_init_speaks_the_locales_language(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = tmp_path / "draft.yaml"
    result = cli("init", EXAMPLES / "gas-service-center.xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert "已按 2 张工作表（主管，员工，每张一部分）起草规则集“gas-service-center-draft”" \
        in result.stderr and f"已写出：{out}" in result.stdout
    shipped = cli("init", EXAMPLES / "tiered-service.xlsx", "--name", "tiered-service")
    assert shipped.exit_code == 2 and "是内置规则集的名字" in shipped.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("工号\n", encoding="utf-8")
    none = cli("init", empty)
    assert none.exit_code == 2 and "没有一张工作表既有表头又有数据" in none.stderr


def test_format_on_one_sheet_does_what_it_says(tmp_path):
    shutil.copy(TIERED, tmp_path / "march.xlsx")
    result = cli("rank", tmp_path / "march.xlsx", "--format", "json", "-q")
    assert result.exit_code == 1
    doc = json.loads((tmp_path / "march.ranked.json").read_text(encoding="utf-8"))
    conforms(doc, "rank_result")
    assert not (tmp_path / "march.ranked.xlsx").exists()


def test_rules_show_folds_long_text_instead_of_cutting_it(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    result = cli("rules", "show", "gas-service-center")
    assert result.exit_code == 0 and "…" not in result.stdout and "客户服务部评分" in result.stdout


def test_the_contracts_own_messages_follow_lang_or_the_locale(tmp_path, monkeypatch):
    zh = cli("rank", TIERED, "--lang", "zh", "-j", "0")
    assert zh.exit_code == 2 and "0 太小；请给出不小于 1 的整数" in one_error_line(zh)[0]
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"x")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    exists = cli("template", "--rules", "tiered-service", "-o", out)
    assert exists.exit_code == 2 and "已存在；加 --force 可替换" in exists.stderr
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "already exists; add --force" in cli("template", "--rules", "tiered-service",
                                                 "-o", out).stderr


def test_rules_check_reports_validation_and_reference_problems_in_one_run(tmp_path):
    both = tmp_path / "both.yaml"
    both.write_text("name: x\nid: employe\nfields:\n  employee: {header: 工号}\n"
                    "  a: {header: A, type: number}\nitems:\n  - {key: s, kind: formula, formula: a}\n"
                    "bands:\n  - {grade: A, cutof: 90}\n", encoding="utf-8")
    lines = one_error_line(cli("rules", "check", both))
    assert len(lines) == 2, lines  # the misspelt key and the unknown id, not one round each
    assert "cutof: unknown key" in lines[0] and "names unknown field 'employe'" in lines[1]


def test_rules_check_reports_a_duplicate_key_with_the_other_problems_in_one_run(tmp_path):
    rules = tmp_path / "three.yaml"
    rules.write_text("name: x\nid: employee\nfields:\n  employee: {header: 工号}\n"
                     "  a: {header: A, type: number, min: lots}\nitems:\n"
                     "  - {key: s, kind: formula, formula: a}\nbands:\n  - {grade: A, cutof: 90}\n"
                     "  - {grade: B}\nname: y\n", encoding="utf-8")
    result = cli("rules", "check", rules)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [  # all three in one run, each with its line
        f"{PREFIX}{rules}:11 name: duplicate key 'name' (first at line 1); keep one",
        f'{PREFIX}{rules}:5 fields.a.min: expected a number, got "lots"',
        f"{PREFIX}{rules}:9 bands[0].cutof: unknown key; did you mean 'cutoff'? "
        "(see README: rule files)"]


def test_a_bare_month_that_is_not_the_file_names_is_warned(tmp_path):
    """2026-09.xlsx ranked with --month 10 took October's targets and recorded September, with
    nothing said."""
    sheet = tmp_path / "ds-2026-09.xlsx"
    shutil.copy(EXAMPLES / "data-submission.xlsx", sheet)
    out = tmp_path / "o.json"
    said = cli("rank", sheet, "--month", "10", "-o", out, "--lang", "en")
    assert "the file name says 2026-09 but month 10's targets were used (--month 10)" in said.stdout
    assert [i["code"] for i in json.loads(out.read_text("utf-8"))["issues"]
            if i["severity"] == "warning"] == ["month-mismatch"]
    for agreeing in ("9", "2026-09", "2026-10"):
        done = cli("rank", sheet, "--month", agreeing, "-o", out, "--force")
        assert "month-mismatch" not in done.stdout, agreeing


def test_validate_never_imports_pandas():
    """validate needs no frames: pandas is a quarter of a second of its start-up."""
    import subprocess
    import sys

    code = ("import runpy, sys\nsys.argv = ['svcperf', 'validate', sys.argv[1]]\n"
            "try:\n    runpy.run_module('svcperf', run_name='__main__')\n"
            "except SystemExit:\n    pass\nprint('pandas' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "tiered-service.xlsx")],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.stderr.strip().endswith("False"), done.stderr[-300:]
