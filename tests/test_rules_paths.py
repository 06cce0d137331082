"""Which rule file an argument means: a path must exist; a bare name is a shipped rule set."""

from pathlib import Path

import pytest

from conftest import cli
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
