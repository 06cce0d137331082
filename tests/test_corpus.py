"""The odd real spreadsheets in tests/data/corpus (SOURCES.md there): none crashes; each gets its code."""

import pytest

from conftest import CORPUS, ROOT, cli
from svcperf.api import check_file
from svcperf.rules.load import load_rules

FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xlsx", ".xls", ".xlsb", ".ods"))


def test_the_corpus_is_in_the_repository():
    """A fresh clone has everything the tests read (nothing outside the checkout)."""
    assert CORPUS.is_relative_to(ROOT) and len(FILES) >= 30
R1 = load_rules("tiered-service")

# what each odd file must give against a rule set it does not fit (the interesting ones)
EXPECTED = {
    "pass_protected.xlsx": "password-protected",
    "too_small.xls": "not a spreadsheet",
    "issue_594_dos.ods": "spans 999,999,998,000,000,001 cells",  # refused before calamine opens it
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_corpus_file_crashes_validate(path):
    result = cli("validate", path, "--rules", "tiered-service", "--format", "json")
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if path.name in EXPECTED:
        assert result.exit_code == 2 and EXPECTED[path.name] in result.output


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_corpus_file_crashes_rank(path, tmp_path):
    result = cli("rank", path, "--rules", "tiered-service", "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_error_cells_are_found_by_the_xml_pass():
    from svcperf.io.cells import cell_errors

    assert sorted(cell_errors(CORPUS / "calamine" / "errors.xlsx", "Feuil1").values()) == sorted(
        ["#DIV/0!", "#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"])


def test_header_row_under_notes_is_found(tmp_path):
    from svcperf.rules.load import rules_from

    rules = rules_from({"name": "t", "fields": {
        "a": {"header": "Column A", "type": "number", "required": True},
        "b": {"header": "Column B", "type": "number"}}})
    report = check_file(CORPUS / "calamine" / "header-row.xlsx", rules)
    assert report.valid and report.stats["rows"] >= 1


def test_frictionless_blank_and_duplicate_labels(tmp_path):
    from svcperf.rules.load import rules_from

    rules = rules_from({"name": "t", "fields": {
        "id": {"header": "id", "type": "integer", "required": True},
        "name": {"header": "name", "type": "text"}}})
    found = check_file(CORPUS / "frictionless-py" / "issue-312.xlsx", rules).flatten(
        ["code", "value"])
    assert ["duplicate-header", None] in found and ["non-person-rows", "blank"] in found
