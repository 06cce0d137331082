"""Which rule file an argument means: a path must exist; a bare name is a shipped rule set."""

from pathlib import Path

import pytest

from conftest import EXAMPLES, cli
from svcperf.rules.load import SHIPPED, RulesError, load_rules, resolve

SHIPPED_NAMES = ("account-manager-levels, ambassador-circle, competency-potential, "
                 "data-submission, gas-service-center, tiered-service")
BASE = "name: local\nfields:\n  a: {header: A, type: number}\n"


def test_a_path_that_does_not_exist_is_an_error_not_the_shipped_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for typo in ("typo_dir/tiered-service.yaml", "tiered-service.yaml", "typo_dir/tiered-service",
                 "./tiered-service"):
        with pytest.raises(RulesError) as info:
            load_rules(typo)
        assert info.value.problems == [
            f"{typo}: no such rule file; check the path (shipped rule sets are named without a "
            f"folder or suffix: {SHIPPED_NAMES})"]
    result = cli("rules", "check", "typo_dir/tiered-service.yaml")
    assert result.exit_code == 2 and "no such rule file" in result.output
    assert "ok:" not in result.output


def test_an_unknown_bare_name_suggests_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RulesError) as info:
        resolve("tiered-servce")
    assert info.value.problems == [
        f"tiered-servce: no such rule file or shipped rule set; did you mean tiered-service? "
        f"(shipped: {SHIPPED_NAMES})"]


def test_a_file_in_the_current_folder_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("tiered-service").write_text(BASE, encoding="utf-8")
    assert load_rules("tiered-service").name == "local"
    Path("tiered-service").unlink()
    assert resolve("tiered-service") == SHIPPED / "tiered-service.yaml"


def test_a_folder_is_not_a_rule_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("typo_dir").mkdir()
    with pytest.raises(RulesError) as info:
        resolve("typo_dir/")
    assert info.value.problems[0].startswith("typo_dir/: is a folder, not a rule file; check the path")


@pytest.mark.parametrize("codec", ["gbk", "utf-16", "utf-8-sig"])
def test_a_rule_file_saved_as_notepad_saves_it_is_read(tmp_path, codec):
    """Notepad on a Chinese Windows saves "ANSI" (GBK) or "Unicode" (UTF-16): the same rule set
    as the UTF-8 file, not "cannot read the rule file ('utf-8' codec can't decode ...)"."""
    text = (SHIPPED / "tiered-service.yaml").read_text(encoding="utf-8")
    (tmp_path / "r.yaml").write_bytes(text.encode(codec))
    assert load_rules(tmp_path / "r.yaml") == load_rules("tiered-service")


def test_rule_files_that_cannot_be_found_or_read_are_said_in_the_users_language(tmp_path,
                                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("mixed.yaml").write_bytes("name: 测试\nnote: 测试\n".encode()[:13] + "测试\n".encode("gbk"))
    Path("binary.yaml").write_bytes(b"name: x\n\x81\x20\xff\n")
    Path("folder").mkdir()
    shipped = f"内置规则集不带文件夹和后缀：{SHIPPED_NAMES}"
    said = {lang: cli("rules", "check", "tierd-service", "nope/x.yaml", "folder/", "mixed.yaml",
                      "binary.yaml", "--lang", lang) for lang in ("en", "zh")}
    assert said["en"].exit_code == said["zh"].exit_code == 2
    assert said["en"].stderr.splitlines() == [
        "svcperf: error: tierd-service: no such rule file or shipped rule set; did you mean "
        f"tiered-service? (shipped: {SHIPPED_NAMES})",
        "svcperf: error: nope/x.yaml: no such rule file; check the path (shipped rule sets are "
        f"named without a folder or suffix: {SHIPPED_NAMES})",
        "svcperf: error: folder/: is a folder, not a rule file; check the path (shipped rule "
        f"sets are named without a folder or suffix: {SHIPPED_NAMES})",
        "svcperf: error: mixed.yaml:2: not UTF-8 but line 1 is: the rule file mixes two text "
        "encodings; save it as UTF-8",
        "svcperf: error: binary.yaml:2: not text in UTF-8, UTF-16 or GBK (is this the rule "
        "file?); save it as UTF-8"]
    assert said["zh"].stderr.splitlines() == [
        "svcperf: error: tierd-service：没有这个规则文件或内置规则集；是不是 tiered-service？"
        f"（内置：{SHIPPED_NAMES}）",
        f"svcperf: error: nope/x.yaml：没有这个规则文件；请检查路径（{shipped}）",
        f"svcperf: error: folder/：是文件夹，不是规则文件；请检查路径（{shipped}）",
        "svcperf: error: mixed.yaml:2：不是 UTF-8 编码，而第 1 行是：规则文件混用了两种文字编码；"
        "请另存为 UTF-8",
        "svcperf: error: binary.yaml:2：不是 UTF-8、UTF-16 或 GBK 编码的文字（规则文件选对了吗？）；"
        "请另存为 UTF-8"]
    ranked = cli("rank", EXAMPLES / "tiered-service.xlsx", "-r", "nope/x.yaml", "-o",
                 tmp_path / "x.json", "--lang", "zh")
    assert ranked.exit_code == 2 and "nope/x.yaml：没有这个规则文件" in ranked.stderr


def test_what_is_wrong_inside_a_rule_file_is_said_in_the_users_language(tmp_path, monkeypatch):
    """Problems inside a rule file (a value, a name, a formula, a quota table, YAML itself)
    were English under --lang zh; the place (file:line key) stays as the file writes it."""
    monkeypatch.chdir(tmp_path)
    Path("values.yaml").write_text(
        "name: x\nfields:\n  a: {header: A, type: number, min: 5, max: 1}\nbands:\n"
        "  - {grade: A, cutoff: 九十}\n  - {grade: B, cutoff: 80}\n"
        "distribution:\n  quotas: [{grade: A, share: 0.5}, {grade: B, share: 0.2}]\nbogus: 1\n",
        encoding="utf-8")
    Path("names.yaml").write_text(
        "name: x\nfields:\n  a: {header: A, type: number}\n  score: {header: S, type: number}\n"
        "items:\n  - {key: p, kind: formula, formula: 'a / 0'}\n"
        "  - {key: q, kind: formula, formula: 'zz + 1'}\nbands: [{grade: A, cutoff: 90}]\n"
        "rank_by: scroe\n", encoding="utf-8")
    Path("twice.yaml").write_text("name: x\nname: y\n", encoding="utf-8")
    Path("broken.yaml").write_text("name: [x\n", encoding="utf-8")
    said = {lang: cli("rules", "check", "values.yaml", "names.yaml", "twice.yaml", "broken.yaml",
                      "--lang", lang).stderr.splitlines() for lang in ("en", "zh")}
    assert said["en"] == [f"svcperf: error: {line}" for line in [
        "values.yaml:3 fields.a: min 5.0 is above max 1.0",
        'values.yaml:5 bands[0].cutoff: expected a number, got "九十"',
        "values.yaml:7 distribution: shares add up to 70%, not 100%; fix them or give one "
        "grade 'rest'",
        "values.yaml:9 bogus: unknown key; check the spelling (see README: rule files)",
        "names.yaml:4 fields.score: field key 'score' is a name the results use for their own "
        "column; rename it (e.g. score_value), and keep its headers",
        "names.yaml:6 items[0].formula: formula 'a / 0' divides by zero",
        "names.yaml:7 items[1].formula: formula 'zz + 1' uses unknown name 'zz'; known: a, p, "
        "score",
        "names.yaml:9 rank_by: names unknown 'scroe' (did you mean 'score'?)",
        "twice.yaml:2 name: duplicate key 'name' (first at line 1); keep one",
        "twice.yaml:1 (top): a rule set needs fields (or sheets, each with fields)",
        "broken.yaml:1: not valid YAML: the quote or bracket opened at column 7 is never closed "
        "before the file ends; close it"]]
    assert said["zh"] == [f"svcperf: error: {line}" for line in [
        "values.yaml:3 fields.a：min 5.0 大于 max 1.0",
        'values.yaml:5 bands[0].cutoff：应为数字，实际为 "九十"',
        "values.yaml:7 distribution：比例合计 70%，不是 100%；请改正，或让一个等级取余下的名额（rest）",
        "values.yaml:9 bogus：未知的键；请检查拼写（见 README：规则文件）",
        "names.yaml:4 fields.score：字段键“score”是结果自身列的名称；请改名（如 score_value），表头不变",
        "names.yaml:6 items[0].formula：公式“a / 0”除以零",
        "names.yaml:7 items[1].formula：公式“zz + 1”用到未知名称“zz”；已知的有：a, p, score",
        "names.yaml:9 rank_by：指定了未知的“scroe”（是不是“score”？）",
        "twice.yaml:2 name：键“name”重复（第一次在第 1 行）；只保留一个",
        "twice.yaml:1 (top)：规则集需要 fields（或 sheets，每张表各有 fields）",
        "broken.yaml:1：不是有效的 YAML：第 7 列开始的引号或括号直到文件末尾都没有闭合；请把它闭合"]]


def test_every_rule_file_message_has_its_own_chinese():
    """A catalogue entry of rule-file problems copied without translating is caught here."""
    from svcperf.i18n import RULE_MESSAGES

    for key, (_en, zh) in RULE_MESSAGES.items():  # rule-at only places a message: "{where}："
        assert key == "rule-at" or any("\u4e00" <= ch <= "\u9fff" for ch in zh), key
