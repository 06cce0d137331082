"""Every message, label and template text svcperf shows, in English and Chinese, in one place."""

from __future__ import annotations

LANGUAGES = ("en", "zh")

# issue code -> (English, Chinese); str.format fields of the Issue and its extra
MESSAGES: dict[str, tuple[str, str]] = {
    "missing-header": (
        "no column for {field!r}; add a column headed {expected}",
        "缺少“{field}”列；请添加表头为 {expected} 的列",
    ),
    "duplicate-header": (
        "header {header!r} appears twice (also in column {other}); keep one column or rename it",
        "表头“{header}”重复（另见第 {other} 列）；请只保留一列或改名",
    ),
    "unknown-header": (
        "column {header!r} is not in the rule set; carried through unchanged{hint}",
        "“{header}”列不在规则中，原样保留{hint}",
    ),
    "blank-header": (
        "column {column} has data but no header; give it a header or delete it",
        "第 {column} 列有数据但无表头；请补表头或删除该列",
    ),
    "type-error": (
        "{header} must be {expected}, got {value!r}; correct the cell",
        "“{header}”应为{expected}，实际为“{value}”；请修改该单元格",
    ),
    "out-of-range": (
        "{header} is {value}, out of range (allowed: {expected}); correct the cell",
        "“{header}”为 {value}，超出范围（允许 {expected}）；请修改该单元格",
    ),
    "not-allowed": (
        "{header} {value!r} is not one of {expected}; pick one of these",
        "“{header}”的值“{value}”不在允许值 {expected} 中；请从中选择",
    ),
    "required-missing": (
        "{header} is blank but required; fill it in",
        "“{header}”为必填项，不能为空；请填写",
    ),
    "duplicate-id": (
        "{header} {value!r} already appears in row {other}; each {header} must be unique",
        "“{header}”的值“{value}”与第 {other} 行重复；{header} 必须唯一",
    ),
    "ambiguous-percent": (
        "{header} is {value}, which is ambiguous for a percentage; write {pct} or {frac} (or "
        "format the cell as %)",
        "“{header}”为 {value}，百分比含义不明；请写成 {pct} 或 {frac}（或把单元格设为百分比格式）",
    ),
    "text-number": (
        "{header} {value!r} is a number stored as text; read as {repaired}",
        "“{header}”的值“{value}”是文本形式的数字；已按 {repaired} 读取",
    ),
    "fullwidth-digits": (
        "{header} {value!r} uses full-width characters; read as {repaired}",
        "“{header}”的值“{value}”使用了全角字符；已按 {repaired} 读取",
    ),
    "excel-error": (
        "{header} holds the Excel error {value}; fix the formula or type the value",
        "“{header}”为 Excel 错误值 {value}；请修正公式或直接填写数值",
    ),
    "formula-no-value": (
        "{header} holds a formula with no saved value; open and save the file in Excel, or type the value",
        "“{header}”是没有计算结果的公式；请在 Excel 中打开并保存，或直接填写数值",
    ),
    "merged-cell": (
        "cells {value} are merged; only the first cell holds a value — unmerge and fill each row",
        "单元格 {value} 已合并，只有第一个单元格有值；请取消合并并逐行填写",
    ),
    "hidden-sheet": (
        "sheet {sheet!r} is hidden; it was read all the same",
        "工作表“{sheet}”被隐藏，仍已读取",
    ),
    "ratio-zero": (
        "{header} is 0, so the ratio cannot be computed; correct the cell or remove the row",
        "“{header}”为 0，无法计算比例；请修改该单元格或删除该行",
    ),
    "no-group-head": (
        "no row on sheet {other!r} for {header} {value!r}; its quota table cannot be chosen",
        "“{other}”表中没有{header}“{value}”，无法确定配额表",
    ),
    "head-without-group": (
        "{header} {value!r} on sheet {sheet!r} has no rows on {other!r}",
        "“{sheet}”中的{header}“{value}”在“{other}”中没有对应行",
    ),
    "small-group": (
        "group {value!r} has {count} rows, fewer than {minimum}; {hint}",
        "“{value}”组仅 {count} 人，少于 {minimum} 人；{hint}",
    ),
    "default-used": (
        "{count} blank {header} cells taken as {value}",
        "“{header}”有 {count} 个空单元格，按 {value} 处理",
    ),
    "sheet-not-found": (
        "no sheet in the workbook looks like {expected}",
        "工作簿中没有符合 {expected} 的工作表",
    ),
    "no-header-row": (
        "no header row found on sheet {sheet!r}; expected headers such as {expected}",
        "工作表“{sheet}”中找不到表头行；应包含 {expected} 等表头",
    ),
    "near-miss-header": (
        "header {header!r} is not one of the rule set's headers but looks like {alias!r}; "
        "rename it to {alias!r}, or add it to that field's header list in the rule set",
        "表头“{header}”不是规则中的表头，但与“{alias}”相似；请改为“{alias}”，"
        "或在规则中把它加入该字段的表头",
    ),
    "default-column": (
        "no column for {header!r}; every row takes its default {value}. Add the column if the "
        "sheet has these values",
        "缺少“{header}”列，所有行按默认值 {value} 计算；如表中有此数据，请添加该列",
    ),
    "non-person-rows": (
        "{kind_text} left out (not people), {count} in all: rows {rows}",
        "{count} 行为{kind_text}，不是人员，未参与排名：第 {rows} 行",
    ),
    "percent-unit": (
        "header {header!r} states the unit %: its numbers are read as percentage points "
        "(95 = 95%)",
        "表头“{header}”注明单位 %：数值按百分数读取（95 即 95%）",
    ),
    "sheet-skipped": (
        "sheet {sheet!r} was not read: {why}",
        "工作表“{sheet}”未读取：{why}",
    ),
    "people-sheet-skipped": (
        "sheet {sheet!r} holds people but was not read: {why}; rename its headers to the rule "
        "set's, or pass --rules",
        "工作表“{sheet}”有人员数据但未读取：{why}；请按规则修改表头，或使用 --rules 指定规则",
    ),
    "columns-dropped": (
        "the sheet has {count} more columns than a result sheet can carry (Excel holds 16,384 "
        "columns): the columns from {column} on are not in the results; delete the columns "
        "nobody needs, or split the sheet",
        "表中有 {count} 列超出结果工作表能带上的列数（Excel 最多 16,384 列）：从 {column} 列起的列"
        "不写入结果；请删除不需要的列，或把表拆开",
    ),
    "long-text": (
        "cell holds {length} characters, more than an Excel cell holds (32,767): the result "
        "workbook keeps the first 32,767, the CSV and JSON outputs the whole text",
        "单元格有 {length} 个字符，超过 Excel 单元格的上限（32,767）：结果工作簿只保留前 32,767 个，"
        "CSV 和 JSON 输出保留全文",
    ),
    "hidden-row": (
        "row is hidden in the sheet; it was read and ranked all the same (use --skip-hidden "
        "to leave hidden rows out)",
        "该行在表中被隐藏，仍已读取并参与排名（如需排除隐藏行，请使用 --skip-hidden）",
    ),
    "hidden-rows-skipped": (
        "{count} hidden rows left out (--skip-hidden): rows {rows}",
        "按 --skip-hidden 排除了 {count} 个隐藏行：第 {rows} 行",
    ),
    "web-page": (
        "this file is a web page (an HTML table), not a spreadsheet; it was read as one. "
        "Save it from Excel as .xlsx to keep cell types",
        "此文件是网页（HTML 表格），不是电子表格，已按表格读取；"
        "如需保留单元格格式，请在 Excel 中另存为 .xlsx",
    ),
    "unreadable-file": (
        "{hint}",
        "{hint}",
    ),
    "no-rows": (
        "sheet {sheet!r} has no data rows",
        "工作表“{sheet}”没有数据行",
    ),
}

# kinds of rows that are not people (core.table), as a message names them
ROW_KINDS = {
    "en": {"blank": "blank rows", "serial": "serial-number-only rows", "no-data":
           "rows without any field", "header": "repeated header rows", "example": "example rows",
           "subtotal": "subtotal rows", "average": "average rows", "totals": "totals rows",
           "count": "count lines", "stamp": "export stamps", "signature": "signature lines",
           "title": "block titles", "hidden": "hidden rows"},
    "zh": {"blank": "空行", "serial": "仅有序号的行", "no-data": "无任何考核字段的行",
           "header": "重复的表头行", "example": "示例行", "subtotal": "小计行", "average": "平均行",
           "totals": "合计行", "count": "记录数行", "stamp": "导出时间行", "signature": "签字行",
           "title": "分块标题行", "hidden": "隐藏行"},
}

# why a worksheet was not read (core.sheets), as the sheet-skipped message gives it
SKIPPED = {
    "en": {"instructions": "an instructions sheet (by its name)",
           "no-header": "no header of this rule set on it", "no-people": "no people on it",
           "only-examples": "only example rows (示例)",
           "fields-missing": "{people} rows, but no column for {detail}"},
    "zh": {"instructions": "按表名为填表说明", "no-header": "没有本规则的表头", "no-people": "没有人员数据",
           "only-examples": "只有示例行", "fields-missing": "有 {people} 行，但缺少 {detail} 列"},
}

# labels of result workbooks (the rule set's language)
LABELS = {
    "en": {"rank": "Rank", "group_rank": "Group rank", "score": "Score",
           "band_grade": "Band grade", "grade": "Grade", "coefficient": "Coefficient",
           "incentive_pct": "Incentive %", "reason": "Quota reason", "movement": "Move",
           "row": "Row", "codes": "Codes", "reasons": "Reasons", "group": "Group",
           "size": "Head count", "mean_score": "Mean score", "table": "Quota table",
           "mode": "Mode", "cutoffs": "At the cut-offs", "notice": "Notice", "place": "Place"},
    "zh": {"rank": "排名", "group_rank": "组内排名", "score": "得分", "band_grade": "分档等级",
           "grade": "最终等级", "coefficient": "系数", "incentive_pct": "激励比例%",
           "reason": "配额说明", "movement": "级别变动", "row": "行号", "codes": "问题代码",
           "reasons": "原因", "group": "分组", "size": "人数", "mean_score": "平均分",
           "table": "配额表", "mode": "方式", "cutoffs": "分界处人员", "notice": "提示",
           "place": "名次", "months": "在岗月数", "eligible": "奖励资格",
           "ineligible_reasons": "不符合原因", "points_earned": "本期积分", "points_balance": "积分余额",
           "streak": "连续等级", "consequence": "处理", "change": "积分变动", "period": "期间",
           "file": "文件", "source_row": "原行号", "sheet": "工作表"},
}
LABELS["en"].update({"months": "Months", "eligible": "Eligible", "ineligible_reasons": "Why not",
                     "points_earned": "Points earned", "points_balance": "Points balance",
                     "streak": "Streak", "consequence": "Consequence", "change": "Change",
                     "period": "Period", "file": "File", "source_row": "Source row",
                     "sheet": "Sheet"})
LABELS["en"].update({"results": "Results", "summary": "Summary", "rejected": "Rejected",
                     "run": "Run", "batch": "Batch", "rollup": "Rollup", "ledger": "Ledger",
                     "yes": "yes", "no": "no", "chart_grades": "Grades per group",
                     "chart_means": "Mean score per group", "notes": "Notices and warnings",
                     "where": "code / where", "message": "message", "all": "all"})
LABELS["zh"].update({"results": "Results", "summary": "Summary", "rejected": "Rejected",
                     "run": "Run", "batch": "Batch", "rollup": "Rollup", "ledger": "Ledger",
                     "yes": "是", "no": "否", "chart_grades": "各组等级人数",
                     "chart_means": "各组平均分", "notes": "Notices and warnings",
                     "where": "code / where", "message": "message", "all": "all"})

# the blank submission template and `rules show`
TEMPLATE = {
    "en": {"instructions": "Instructions", "required": "required", "optional": "optional",
           "unique": "each value once", "blank": "blank means {default}",
           "one_of": "one of: {values}", "between": "from {lo} to {hi}", "atleast": "at least {lo}",
           "atmost": "at most {hi}", "percent": "a percentage such as 93% (or 0.93)",
           "number": "a number", "integer": "a whole number", "text": "text",
           "yesno": "是 or 否", "column": "Column", "what": "What to enter",
           "lead": "Fill in one row per person below the header row. Keep the headers as they "
                   "are; extra columns of your own (remarks) are kept but not checked. Check the "
                   "sheet before sending it: svcperf validate <file> --rules {name}"},
    "zh": {"instructions": "填写说明", "required": "必填", "optional": "选填",
           "unique": "不可重复", "blank": "空白按 {default} 计", "one_of": "可选：{values}",
           "between": "{lo} 至 {hi}", "atleast": "不小于 {lo}", "atmost": "不大于 {hi}",
           "percent": "百分比，如 93%（或 0.93）", "number": "数字", "integer": "整数",
           "text": "文本", "yesno": "是 或 否", "column": "列", "what": "填写要求",
           "lead": "表头下每行填写一人。请勿修改表头；自行添加的列（如备注）会保留但不校验。"
                   "提交前请先检查：svcperf validate <文件> --rules {name}"},
}
