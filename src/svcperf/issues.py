"""Issues (one problem, where it is, how to fix it), the Report that collects them, FileError."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from svcperf.i18n import LANGUAGES, MESSAGES


class Severity(StrEnum):
    ERROR = "error"  # blocks the row (or the file) from being ranked
    WARNING = "warning"  # repaired or skipped; ranking goes on
    NOTICE = "notice"  # for information only


def _codes(severity: Severity, codes: str) -> dict[str, Severity]:
    return dict.fromkeys(codes.split(), severity)


# every issue code and its severity; the messages are in i18n.MESSAGES
SEVERITY: dict[str, Severity] = {
    **_codes(Severity.ERROR, "missing-header duplicate-header type-error out-of-range not-allowed "
                             "required-missing duplicate-id ambiguous-percent fraction-among-points "
                             "decimal-comma long-number excel-error formula-no-value ratio-zero "
                             "no-group-head sheet-not-found no-header-row unreadable-file near-miss-header"),
    **_codes(Severity.WARNING, "blank-header text-number fullwidth-digits merged-cell "
                               "hidden-sheet no-rows default-column hidden-row web-page "
                               "people-sheet-skipped long-text columns-dropped month-mismatch"),
    **_codes(Severity.NOTICE, "unknown-header head-without-group small-group default-used "
                              "non-person-rows percent-unit sheet-skipped hidden-rows-skipped"),
}
# the file is unusable: it cannot be ranked at all, so validate exits 2 as rank does
FATAL = frozenset({"unreadable-file", "sheet-not-found", "no-header-row", "missing-header",
                   "near-miss-header", "duplicate-header"})


class Issue(BaseModel):
    """One problem found in a sheet, located down to the cell."""

    code: str
    severity: Severity
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    rows: list[int] | None = None  # rows this one issue is about (rows left out, by kind)
    field: str | None = None
    header: str | None = None
    value: str | None = None
    message: str = ""
    extra: dict[str, Any] = Field(default_factory=dict, exclude=True)

    def render(self, lang: str = "en") -> str:
        """The message in `lang` ('en' or 'zh')."""
        template = MESSAGES[self.code][LANGUAGES.index(lang) if lang in LANGUAGES else 0]
        values = {"field": self.field, "header": self.header, "value": self.value,
                  "sheet": self.sheet, **self.extra}
        try:
            return template.format_map(_Missing(values))
        except (ValueError, KeyError, IndexError):
            return self.message


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def make_issue(code: str, lang: str = "en", **kw: Any) -> Issue:
    """Build an Issue of a known code, with its severity and rendered message."""
    extra = kw.pop("extra", {})
    value = kw.get("value")
    if isinstance(value, bool):  # as a spreadsheet shows it
        kw["value"] = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        kw["value"] = f"{value:.10g}"
    elif value is not None:
        kw["value"] = str(value)
    issue = Issue(code=code, severity=SEVERITY[code], extra=extra, **kw)
    issue.message = issue.render(lang)
    return issue


class Report(BaseModel):
    """Everything a validation found, for one or many files."""

    valid: bool = True
    stats: dict[str, Any] = Field(default_factory=dict)
    issues: list[Issue] = Field(default_factory=list)

    def add(self, issues: list[Issue]) -> None:
        self.issues.extend(issues)
        if any(i.severity == Severity.ERROR for i in issues):
            self.valid = False

    @property
    def exit_code(self) -> int:
        """0 valid, 1 data problems, 2 some file could not be used at all."""
        if any(i.code in FATAL for i in self.issues):
            return 2
        return 0 if self.valid else 1

    def issues_of(self, severity: Severity) -> list[Issue]:
        return [i for i in self.issues if i.severity == severity]

    def flatten(self, keys: list[str]) -> list[list[Any]]:
        """Issues as lists of the named attributes: compact to assert on in tests."""
        return [[getattr(i, k) for k in keys] for i in self.issues]


class FileError(Exception):
    """A sheet that cannot be used at all (unreadable, no matching table, missing columns)."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []
