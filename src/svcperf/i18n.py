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

# the result workbook in one language (issue 15): sheet names, the overview, the Summary's
# values, the Run sheet's keys, the ledger's headers; these override the entries above
BOOK = {
    "en": {"overview": "Overview", "title_period": "{title}: results {period}", "results": "Results",
           "summary": "Summary", "rejected": "Rejected", "run": "Run", "batch": "Batch",
           "rollup": "Rollup", "ledger": "Ledger", "quota_of": "{grade} quota",
           "actual_of": "{grade}", "rejected_rows": "Rejected", "total": "All",
           "diff": "Quota vs actual", "mode:exact": "exact quota", "mode:cap": "quota as a cap",
           "mode:bands": "bands (group too small)", "mode:rejected": "not distributed",
           "table:quotas": "one quota table for all", "table:none": "no quota",
           "table:cascade": "{sheet} graded {grade}: its table",
           "table:no-head": "no row on {sheet}: its rows rejected",
           "small:bands": "fewer than {n} people: bands only",
           "small:cap": "fewer than {n} people: quotas as a ceiling only",
           "small:exact": "fewer than {n} people: quotas applied",
           "all_rejected": "all {n} rows rejected", "over": "{grade}: {actual} against a quota of {quota}",
           "tie_at": "{k} people tie at {score} by the cut-off",
           "cap_below": "cap: fewer qualified by band", "bands_only": "bands only",
           "cutoff_at": "{upper}|{lower} at {hi}/{lo}: {who}", "scope_all": "whole sheet",
           "target": "Target this month", "target_text": "{value} ({param} {choice})",
           "chart_quota": "quota", "chart_actual": "actual",
           "chart_share": "Grades per group: quota and actual (share of people)",
           "chart_share_actual": "Grades per group (share of people)",
           "chart_data": "chart data", "page": "Page &P of &N", "title": "Result",
           "input": "Input file", "input_files": "{n} files (see {batch})",
           "sha": "Input SHA-256", "rows_read": "Rows read",
           "rows_ranked": "Rows ranked", "rows_rejected": "Rows rejected",
           "rows_left_out": "Rows left out (not people)", "params": "Parameters",
           "distribution": "Grades overall", "rejected_by_group": "Rejected rows per group",
           "look": "Where to look", "none": "none",
           "look_text": "{results}: every person, ranked, with each grade's reason; {summary}: "
                        "quota against actual per group; {rejected}: rows to correct and "
                        "send again; {run}: how the workbook was made.",
           "grade_col": "Grade", "quota_col": "Quota", "actual_col": "Actual",
           "param:month": "month", "generated": "Made by svcperf {version} at {at}",
           "history": "History", "streaks": "Streaks", "balances": "Balances",
           "recorded_at": "recorded at", "id": "id", "name": "name", "change": "change",
           "reason": "reason", "balance": "balance", "last_month": "last month",
           "grade": "grade", "months": "months", "period": "period",
           "notes": "Notices and warnings", "where": "code / where", "message": "message",
           "all": "all", "yes": "yes", "no": "no"},
    "zh": {"overview": "概览", "title_period": "{period} {title}结果", "results": "考核结果",
           "summary": "分组汇总", "rejected": "未通过校验", "run": "运行信息", "batch": "批量文件",
           "rollup": "期间汇总", "ledger": "积分变动", "quota_of": "{grade}名额",
           "actual_of": "{grade}实际", "rejected_rows": "未通过校验行数", "total": "合计",
           "diff": "名额与实际", "mode:exact": "按名额", "mode:cap": "名额为上限",
           "mode:bands": "按分档（人数不足）", "mode:rejected": "未分配",
           "table:quotas": "统一名额表", "table:none": "无名额",
           "table:cascade": "{sheet}等级为 {grade}，用其名额表",
           "table:no-head": "{sheet}中无对应行，本组各行未通过校验",
           "small:bands": "不足 {n} 人：仅按分档评定", "small:cap": "不足 {n} 人：名额仅作上限",
           "small:exact": "不足 {n} 人：仍按名额", "all_rejected": "全部 {n} 行未通过校验",
           "over": "{grade}实际 {actual} 人，名额 {quota} 人",
           "tie_at": "分界处 {score} 分有 {k} 人同分", "cap_below": "名额为上限：按分档达到者不足",
           "bands_only": "仅按分档", "cutoff_at": "{upper}|{lower} 分界 {hi}/{lo} 分：{who}",
           "scope_all": "全表", "target": "本月目标", "target_text": "{value}（{param} {choice}）",
           "chart_quota": "名额", "chart_actual": "实际",
           "chart_share": "各组等级构成：名额与实际（占人数比例）", "chart_data": "图表数据",
           "chart_share_actual": "各组等级构成（占人数比例）",
           "page": "第 &P 页 / 共 &N 页", "title": "考核结果", "input": "输入文件",
           "input_files": "共 {n} 个文件（见「{batch}」）",
           "sha": "输入文件 SHA-256", "rows_read": "读取行数", "rows_ranked": "参与排名",
           "rows_rejected": "未通过校验", "rows_left_out": "非人员行（未计入）",
           "params": "参数", "distribution": "总体等级分布", "rejected_by_group": "各组未通过校验行数",
           "look": "查看指引", "none": "无",
           "look_text": "「{results}」：每人排名、等级及原因；「{summary}」：各组名额与实际对照；"
                        "「{rejected}」：需更正后重新提交的行；「{run}」：本工作簿的生成信息。",
           "grade_col": "等级", "quota_col": "名额", "actual_col": "实际",
           "param:month": "月份", "generated": "由 svcperf {version} 于 {at} 生成",
           "history": "积分明细", "streaks": "连续等级", "balances": "积分余额",
           "recorded_at": "记录时间", "id": "编号", "name": "姓名", "change": "积分变动",
           "reason": "原因", "balance": "余额", "last_month": "截至月份", "grade": "等级",
           "months": "月数", "period": "期间", "notes": "提示与警告", "where": "代码 / 位置",
           "message": "说明", "all": "全部", "yes": "是", "no": "否"},
}
for _lang in LANGUAGES:  # the sheet names and notices are the book's; other labels stay
    LABELS[_lang].update({k: v for k, v in BOOK[_lang].items()
                          if k not in LABELS[_lang] or k in (
                              "results", "summary", "rejected", "run", "batch", "rollup",
                              "ledger", "notes", "where", "message", "all", "yes", "no")})

# the Batch sheet's headers (batch.Outcome's fields)
BATCH_HEADERS = {
    "en": {"file": "File", "status": "Status", "exit_code": "Exit code", "output": "Output",
           "rule_set": "Rule set", "rows_read": "Rows read", "rows_ranked": "Rows ranked",
           "rows_rejected": "Rows rejected", "seconds": "Seconds", "input_sha256": "Input SHA-256",
           "message": "Message", "combined": "Combined"},
    "zh": {"file": "文件", "status": "状态", "exit_code": "退出码", "output": "输出文件",
           "rule_set": "规则", "rows_read": "读取行数", "rows_ranked": "参与排名",
           "rows_rejected": "未通过校验", "seconds": "用时（秒）", "input_sha256": "输入文件 SHA-256",
           "message": "说明", "combined": "合并排名"},
}

# the Run sheet's keys (results.run_info), in the workbook's language
RUN_KEYS = {
    "zh": {"svcperf version": "程序版本", "rule set": "规则", "rule file": "规则文件",
           "rule set hash": "规则哈希", "input file": "输入文件", "input sha256": "输入文件 SHA-256",
           "period": "期间", "run at": "运行时间", "params": "参数", "sheets read": "读取的工作表",
           "rows read": "读取行数", "rows ranked": "参与排名", "rows rejected": "未通过校验",
           "rows left out (not people)": "非人员行（未计入）", "left out by kind": "非人员行类别",
           "months": "月份", "history months": "此前月份", "months without a file": "缺少文件的月份",
           "ledger": "积分台账", "people": "人数", "notices": "提示"},
}

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
