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
    **_codes(Severity.ERROR, "missing-header duplicate-header moved-header grown-header type-error "
                             "out-of-range not-allowed required-missing duplicate-id ambiguous-percent "
                             "fraction-among-points decimal-comma long-number date-in-text excel-error "
                             "formula-no-value ratio-zero share-over no-group-head group-head-rejected "
                             "sheet-not-found sheets-of-months no-header-row unreadable-file "
                             "near-miss-header too-many-errors"),
    **_codes(Severity.WARNING, "blank-header text-number fullwidth-digits invisible-characters "
                               "group-spelling all-under-one-percent merged-cell "
                               "hidden-sheet no-rows default-column hidden-row web-page "
                               "people-sheet-skipped long-text columns-dropped month-mismatch more-repairs"),
    **_codes(Severity.NOTICE, "unknown-header head-without-group small-group default-used "
                              "non-person-rows percent-unit sheet-skipped hidden-rows-skipped"),
}
# the file is unusable: it cannot be ranked at all, so validate exits 2 as rank does
FATAL = frozenset({"unreadable-file", "sheet-not-found", "sheets-of-months", "no-header-row",
                   "missing-header", "near-miss-header", "duplicate-header", "moved-header", "grown-header",
                   "too-many-errors"})


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
        return _render(self.code, lang, self.message, {
            "field": self.field, "header": self.header, "value": self.value,
            "sheet": self.sheet, **self.extra})


def _render(code: str, lang: str, fallback: str, values: dict[str, Any]) -> str:
    template = MESSAGES[code][LANGUAGES.index(lang) if lang in LANGUAGES else 0]
    try:
        return template.format_map(_Missing(values))
    except (ValueError, KeyError, IndexError):
        return fallback


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


# Every field counts as set (no output leaves out unset ones), so all issues share one set
# of names: pydantic's own would be 0.7 KB an issue, half of one, for sheets of 100,000s.
_EVERY_FIELD = set(Issue.model_fields)
_KEYS = frozenset(_EVERY_FIELD - {"code", "severity", "extra", "message"})


def make_issue(code: str, lang: str = "en", **kw: Any) -> Issue:
    """Build an Issue of a known code, with its severity and rendered message.

    The values are this module's callers' own (text, row numbers), so the model is built as
    given (`model_construct`) rather than validated again, for every cell of a bad sheet."""
    extra = kw.pop("extra", {})
    if not kw.keys() <= _KEYS:
        raise TypeError(f"make_issue: unknown fields {sorted(kw.keys() - _KEYS)}")
    value = kw.get("value")
    if isinstance(value, bool):  # as a spreadsheet shows it
        kw["value"] = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        kw["value"] = f"{value:.10g}"
    elif value is not None:
        kw["value"] = str(value)
    fields = dict.fromkeys(_KEYS)
    fields.update(kw)
    message = _render(code, lang, "", {"field": fields["field"], "header": fields["header"],
                                       "value": fields["value"], "sheet": fields["sheet"],
                                       **extra})
    return Issue.model_construct(_EVERY_FIELD, code=code, severity=SEVERITY[code], extra=extra,
                                 message=message, **fields)


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
