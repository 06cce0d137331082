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
