"""Issues (one problem, where it is, how to fix it) and the Report that collects them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class Severity(StrEnum):
    ERROR = "error"  # blocks the row (or the file) from being ranked
    WARNING = "warning"  # repaired or skipped; ranking goes on
    NOTICE = "notice"  # for information only


# code -> (severity, English, Chinese). Templates use str.format fields of Issue.extra.
CODES: dict[str, tuple[Severity, str, str]] = {
    "missing-header": (
        Severity.ERROR,
        "no column for {field!r}; add a column headed {expected}",
        "缺少“{field}”列；请添加表头为 {expected} 的列",
    ),
    "duplicate-header": (
        Severity.ERROR,
        "header {header!r} appears twice (also in column {other}); keep one column or rename it",
        "表头“{header}”重复（另见第 {other} 列）；请只保留一列或改名",
    ),
    "unknown-header": (
        Severity.NOTICE,
        "column {header!r} is not in the rule set; carried through unchanged{hint}",
        "“{header}”列不在规则中，原样保留{hint}",
    ),
    "blank-header": (
        Severity.WARNING,
        "column {column} has data but no header; give it a header or delete it",
        "第 {column} 列有数据但无表头；请补表头或删除该列",
    ),
    "type-error": (
        Severity.ERROR,
        "{header} must be {expected}, got {value!r}; correct the cell",
        "“{header}”应为{expected}，实际为“{value}”；请修改该单元格",
    ),
    "out-of-range": (
        Severity.ERROR,
        "{header} is {value}, out of range (allowed: {expected}); correct the cell",
        "“{header}”为 {value}，超出范围（允许 {expected}）；请修改该单元格",
    ),
    "not-allowed": (
        Severity.ERROR,
        "{header} {value!r} is not one of {expected}; pick one of these",
        "“{header}”的值“{value}”不在允许值 {expected} 中；请从中选择",
    ),
    "required-missing": (
        Severity.ERROR,
        "{header} is blank but required; fill it in",
        "“{header}”为必填项，不能为空；请填写",
    ),
    "duplicate-id": (
        Severity.ERROR,
        "{header} {value!r} already appears in row {other}; each {header} must be unique",
        "“{header}”的值“{value}”与第 {other} 行重复；{header} 必须唯一",
    ),
    "ambiguous-percent": (
        Severity.ERROR,
        "{header} is {value}, which is ambiguous for a percentage; write {pct} or {frac} "
        "(or format the cell as %)",
        "“{header}”为 {value}，百分比含义不明；请写成 {pct} 或 {frac}（或把单元格设为百分比格式）",
    ),
    "text-number": (
        Severity.WARNING,
        "{header} {value!r} is a number stored as text; read as {repaired}",
        "“{header}”的值“{value}”是文本形式的数字；已按 {repaired} 读取",
    ),
    "fullwidth-digits": (
        Severity.WARNING,
        "{header} {value!r} uses full-width characters; read as {repaired}",
        "“{header}”的值“{value}”使用了全角字符；已按 {repaired} 读取",
    ),
    "excel-error": (
        Severity.ERROR,
        "{header} holds the Excel error {value}; fix the formula or type the value",
        "“{header}”为 Excel 错误值 {value}；请修正公式或直接填写数值",
    ),
    "formula-no-value": (
        Severity.ERROR,
        "{header} holds a formula with no saved value; open and save the file in Excel, "
        "or type the value",
        "“{header}”是没有计算结果的公式；请在 Excel 中打开并保存，或直接填写数值",
    ),
    "merged-cell": (
        Severity.WARNING,
        "cells {value} are merged; only the first cell holds a value — unmerge and fill each row",
        "单元格 {value} 已合并，只有第一个单元格有值；请取消合并并逐行填写",
    ),
    "blank-row": (Severity.NOTICE, "row is blank; skipped", "空行，已跳过"),
    "totals-row": (
        Severity.NOTICE,
        "totals row ({value}) left out of the ranking",
        "合计行（{value}）不参与排名",
    ),
    "hidden-sheet": (
        Severity.WARNING,
        "sheet {sheet!r} is hidden; it was read all the same",
        "工作表“{sheet}”被隐藏，仍已读取",
    ),
    "ratio-zero": (
        Severity.ERROR,
        "{header} is 0, so the ratio cannot be computed; correct the cell or remove the row",
        "“{header}”为 0，无法计算比例；请修改该单元格或删除该行",
    ),
    "no-group-head": (
        Severity.ERROR,
        "no row on sheet {other!r} for {header} {value!r}; its quota table cannot be chosen",
        "“{other}”表中没有{header}“{value}”，无法确定配额表",
    ),
    "head-without-group": (
        Severity.NOTICE,
        "{header} {value!r} on sheet {sheet!r} has no rows on {other!r}",
        "“{sheet}”中的{header}“{value}”在“{other}”中没有对应行",
    ),
    "small-group": (
        Severity.NOTICE,
        "group {value!r} has {count} rows, fewer than {minimum}; {hint}",
        "“{value}”组仅 {count} 人，少于 {minimum} 人；{hint}",
    ),
    "default-used": (
        Severity.NOTICE,
        "{count} blank {header} cells taken as {value}",
        "“{header}”有 {count} 个空单元格，按 {value} 处理",
    ),
    "sheet-not-found": (
        Severity.ERROR,
        "no sheet in the workbook looks like {expected}",
        "工作簿中没有符合 {expected} 的工作表",
    ),
    "no-header-row": (
        Severity.ERROR,
        "no header row found on sheet {sheet!r}; expected headers such as {expected}",
        "工作表“{sheet}”中找不到表头行；应包含 {expected} 等表头",
    ),
    "unreadable-file": (Severity.ERROR, "{hint}", "{hint}"),
    "no-rows": (Severity.WARNING, "sheet {sheet!r} has no data rows", "工作表“{sheet}”没有数据行"),
}

_LANG = {"en": 1, "zh": 2}


class Issue(BaseModel):
    """One problem found in a sheet, located down to the cell."""

    code: str
    severity: Severity
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    field: str | None = None
    header: str | None = None
    value: str | None = None
    message: str = ""
    extra: dict[str, Any] = Field(default_factory=dict, exclude=True)

    def render(self, lang: str = "en") -> str:
        """The message in `lang` ('en' or 'zh')."""
        template = CODES[self.code][_LANG.get(lang, 1)]
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
    if isinstance(value, float):
        kw["value"] = f"{value:.10g}"
    elif value is not None:
        kw["value"] = str(value)
    issue = Issue(code=code, severity=CODES[code][0], extra=extra, **kw)
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
        fatal = {"unreadable-file", "sheet-not-found", "no-header-row"}
        if any(i.code in fatal for i in self.issues):
            return 2
        return 0 if self.valid else 1

    def issues_of(self, severity: Severity) -> list[Issue]:
        return [i for i in self.issues if i.severity == severity]

    def flatten(self, keys: list[str]) -> list[list[Any]]:
        """Issues as lists of the named attributes: compact to assert on in tests."""
        return [[getattr(i, k) for k in keys] for i in self.issues]
