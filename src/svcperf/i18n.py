"""Every message, label and template text svcperf shows, in English and Chinese, in one place."""

from __future__ import annotations

import errno

LANGUAGES = ("en", "zh")

# issue code -> (English, Chinese); str.format fields of the Issue and its extra
MESSAGES: dict[str, tuple[str, str]] = {
    "missing-header": (
        "no column for {field!r}; add a column headed {expected}",
        "缺少“{header}”列；请添加表头为 {expected} 的列",
    ),
    "duplicate-header": (
        "header {header!r} names a field twice (also column {other}, headed {first!r}); keep one "
        "column or rename it",
        "表头“{header}”所指字段重复（另见第 {other} 列“{first}”）；请只保留一列或改名",
    ),
    "moved-header": (
        "row {at} repeats the header, but {header!r} is in column {column}, where the header on "
        "row {header_row} has it in column {other}: the rows below would be read into the wrong "
        "fields; put this block's columns in row {header_row}'s order, or move the block to a "
        "sheet of its own",
        "第 {at} 行重复了表头，但“{header}”在第 {column} 列，而第 {header_row} 行的表头中它在"
        "第 {other} 列：其下各行会读错列；请把这一块的列按第 {header_row} 行的顺序排列，"
        "或把这一块移到单独的工作表",
    ),
    "grown-header": (
        "row {at} repeats the header with {header!r} in column {column}, a column the header on "
        "row {header_row} does not have: the rows below would be read without it; give the "
        "header on row {header_row} that column too, or move the block to a sheet of its own",
        "第 {at} 行重复了表头，并在第 {column} 列多出“{header}”，第 {header_row} 行的表头没有这一列："
        "其下各行会缺少该列；请在第 {header_row} 行的表头也加上这一列，或把这一块移到单独的工作表",
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
    "date-in-text": (
        "{header} is the date or time {shown}: Excel turned what was typed into one, and what it "
        "was is lost; format the column as text and type it again",
        "“{header}”是日期或时间 {shown}：Excel 把输入的内容变成了日期，原来的内容已丢失；"
        "请把该列设为文本格式后重新输入",
    ),
    "long-number": (
        "{header} is the number {shown}: Excel keeps 15 digits of a number, so the last digits "
        "of this one are lost; format the column as text and type it again",
        "“{header}”是数字 {shown}：Excel 只保留数字的 15 位，这个数的末几位已丢失；"
        "请把该列设为文本格式后重新输入",
    ),
    "month-mismatch": (
        "the file name says {named} but month {month}'s targets were used (--month {month}); "
        "give the calendar month, --month {named}, if the file is right",
        "文件名表明是 {named}，却按第 {month} 月的目标计算（--month {month}）；如果文件无误，"
        "请给出年月 --month {named}",
    ),
    "decimal-comma": (
        "{header} is {value!r}: a comma inside a number is read only between thousands "
        "(1,234); for a decimal write {point}",
        "“{header}”为“{value}”：数字中的逗号只能用作千位分隔（1,234）；小数请写作 {point}",
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
        "{header} {value!r} already appears in row {other}{other_file}; each {header} must be "
        "unique",
        "“{header}”的值“{value}”与第 {other} 行{other_file}重复；{header} 必须唯一",
    ),
    "ambiguous-percent": (
        "{header} is {value}, which is ambiguous for a percentage; if it means {pct}, write "
        "{pct} or {frac} (a cell formatted as % shows {frac} as {pct})",
        "“{header}”为 {value}，百分比含义不明；如指 {pct}，请写成 {pct} 或 {frac}"
        "（设为百分比格式的单元格把 {frac} 显示为 {pct}）",
    ),
    "fraction-among-points": (
        "{header} is {value} under a header in %, read as {value}%, where the other rows hold "
        "percentage points (typically {typical}); write {points} if it means {pct}, or type "
        "{value}% if it really is {value}%",
        "“{header}”为 {value}，表头单位为 %，即 {value}%，而其他行是百分数（一般为 {typical}）；"
        "如指 {pct}，请写 {points}；如确为 {value}%，请输入 {value}%",
    ),
    "text-number": (
        "{header} {value!r} is a number stored as text; read as {repaired}",
        "“{header}”的值“{value}”是文本形式的数字；已按 {repaired} 读取",
    ),
    "fullwidth-digits": (
        "{header} {value!r} uses full-width characters; read as {repaired}",
        "“{header}”的值“{value}”使用了全角字符；已按 {repaired} 读取",
    ),
    "invisible-characters": (
        "{header} {value!r} holds {chars}, characters that do not show (pasted in with the "
        "text); read as {repaired!r}. Delete them from the cell",
        "“{header}”的值“{value}”含有看不见的字符 {chars}（随文字粘贴带入）；已按“{repaired}”读取。"
        "请从单元格中删除",
    ),
    "group-spelling": (
        "{header} {value!r} is spelled {repaired!r} on {count} other rows: read as {repaired!r}, "
        "the same group; give it a name of its own if it is another group",
        "“{header}”的值“{value}”在其他 {count} 行写作“{repaired}”：按同一组“{repaired}”计算；"
        "如果是另一个组，请另起名称",
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
        "cells {value} are merged: the first cell's value was taken for every row of them; "
        "unmerge and fill each row if that is not so",
        "单元格 {value} 已合并：合并区内每一行均按第一个单元格的值读取；如不是这样，请取消合并并逐行填写",
    ),
    "hidden-sheet": (
        "sheet {sheet!r} is hidden; it was read all the same",
        "工作表“{sheet}”被隐藏，仍已读取",
    ),
    "ratio-zero": (
        "{header} is 0, so the ratio cannot be computed; correct the cell or remove the row",
        "“{header}”为 0，无法计算比例；请修改该单元格或删除该行",
    ),
    "too-many-errors": (
        "sheet {sheet!r} has more than {limit:,} cells in error (the first: {first}); that many "
        "is no slip of a clerk: check that the rule set (--rules) and the sheet's columns are "
        "the right ones. If they are, raise the limit: svcperf --limit errors=N … (or set "
        "{variable}; default {default:,})",
        "工作表“{sheet}”中错误单元格超过 {limit:,} 个（第一个：{first}）；这么多错误不像是填报疏漏，"
        "请检查规则集（--rules）和表中各列是否对应。如确无误，请放宽上限：svcperf --limit errors=N …"
        "（或设置环境变量 {variable}；默认 {default:,}）",
    ),
    "more-repairs": (
        "{count} more cells of {header} were read the same way as the ones above ({value})",
        "“{header}”另有 {count} 个单元格按上述同样方式读取（{value}）",
    ),
    "share-over": (
        "{header} is {value}, more than {other} ({total}), of which it is a part; correct one "
        "of them",
        "“{header}”为 {value}，超过“{other}”（{total}），而前者是后者的一部分；请修正其中之一",
    ),
    "no-group-head": (
        "no row on sheet {other!r} for {header} {value!r}; its quota table cannot be chosen",
        "“{other}”表中没有{header}“{value}”，无法确定配额表",
    ),
    "group-head-rejected": (
        "the row for {header} {value!r} on sheet {other!r} was rejected, so its quota table "
        "cannot be chosen; correct {at} on {other!r} and this row is ranked too",
        "“{other}”表中{header}“{value}”的行未通过校验，无法确定配额表；请修正“{other}”表的 {at}，"
        "本行即可参与排名",
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
    "sheets-of-months": (
        "sheets {sheets} hold the same table but are named for different months: read together, "
        "last month's people would be ranked as this month's; hide the other months' sheets (a "
        "hidden sheet beside visible ones is not read) or move each month to a workbook of its own",
        "工作表 {sheets} 表头相同，但名称是不同的月份："
        "一起读取会把上月的人员当作本月排名；请隐藏其他月份的工作表（与可见工作表并存的隐藏工作表不会读取），或把每个月放到单独的工作簿",
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
        "rename it to {alias!r} if it holds that field, or add it to that field's header list "
        "in the rule set; if it is another column, give it a header unlike {alias!r}",
        "表头“{header}”不是规则中的表头，但与“{alias}”相似；如果这一列就是该字段，请改为“{alias}”，"
        "或在规则中把它加入该字段的表头；如果是另一列，请改用与“{alias}”不相似的表头",
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
    "all-under-one-percent": (
        "every number under {header!r} is read as under 1% (the largest {largest}%), because the "
        "header states % and they are 1 or less: if they are fractions (0.95 for 95%), take the "
        "% out of the header or write them as 95",
        "“{header}”下的数值都按不足 1% 读取（最大为 {largest}%），因为表头注明 % 而数值都不超过 1："
        "如果它们是小数（0.95 即 95%），请去掉表头中的 %，或写成 95",
    ),
    "sheet-skipped": (
        "sheet {sheet!r} was not read: {why}",
        "工作表“{sheet}”未读取：{why}",
    ),
    "people-sheet-skipped": (
        "sheet {sheet!r} holds people but was not read: {why}",
        "工作表“{sheet}”有人员数据但未读取：{why}",
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
           "title": "block titles", "hidden": "hidden rows", "note": "notes",
           "statistics": "statistics rows (head count, highest, lowest)"},
    "zh": {"blank": "空行", "serial": "仅有序号的行", "no-data": "无任何考核字段的行",
           "header": "重复的表头行", "example": "示例行", "subtotal": "小计行", "average": "平均行",
           "totals": "合计行", "count": "记录数行", "stamp": "导出时间行", "signature": "签字行",
           "title": "分块标题行", "hidden": "隐藏行", "note": "说明行",
           "statistics": "统计行（人数、最高分、最低分等）"},
}

# why a worksheet was not read (core.sheets), as the sheet-skipped message gives it
SKIPPED = {
    "en": {"instructions": "an instructions sheet (by its name)",
           "no-header": "no header of this rule set on it", "no-people": "no people on it",
           "only-examples": "only example rows (示例)",
           "fields-missing": "{people} rows, but no column for {detail}; rename its headers "
                             "to the rule set's, or pass --rules",
           "hidden-beside-visible": "a hidden sheet, beside visible ones holding the table "
                                    "(unhide it to read it too)",
           "hidden": "a hidden sheet (--skip-hidden)"},
    "zh": {"instructions": "按表名为填表说明", "no-header": "没有本规则的表头", "no-people": "没有人员数据",
           "only-examples": "只有示例行", "fields-missing": "有 {people} 行，但缺少 {detail} 列；"
                                                     "请按规则修改表头，或使用 --rules 指定规则",
           "hidden-beside-visible": "隐藏的工作表，而可见的工作表中已有本表（如需一并读取请取消隐藏）",
           "hidden": "隐藏的工作表（--skip-hidden）"},
}

# labels of result workbooks (the rule set's language)
LABELS = {
    "en": {"rank": "Rank", "group_rank": "Group rank", "score": "Score",
           "band_grade": "Band grade", "grade": "Grade", "coefficient": "Coefficient",
           "incentive_pct": "Incentive %", "reason": "Reason", "movement": "Move",
           "row": "Row", "codes": "Codes", "reasons": "Reasons", "group": "Group",
           "size": "Head count", "mean_score": "Mean score", "table": "Quota table",
           "mode": "Mode", "cutoffs": "At the cut-offs", "notice": "Notice", "place": "Place"},
    "zh": {"rank": "排名", "group_rank": "组内排名", "score": "得分", "band_grade": "分档等级",
           "grade": "最终等级", "coefficient": "系数", "incentive_pct": "激励比例%",
           "reason": "评定说明", "movement": "级别变动", "row": "行号", "codes": "问题代码",
           "reasons": "原因", "group": "分组", "size": "人数", "mean_score": "平均分",
           "table": "配额表", "mode": "方式", "cutoffs": "分界处人员", "notice": "提示",
           "place": "名次", "months": "在岗月数", "eligible": "奖励资格",
           "ineligible_reasons": "不符合原因", "points_earned": "本期积分", "points_balance": "积分余额",
           "streak": "连续等级", "consequence": "处理", "change": "积分变动", "period": "期间",
           "file": "文件", "source_row": "原行号", "sheet": "工作表"},
}
LABELS["en"]["carried"], LABELS["zh"]["carried"] = "{header} (sheet)", "{header}（原表）"
# the computed columns a ranked result is read back by (io.ranked); a sheet's own column headed
# like one of them is headed as the sheet's in Results (io.write.carried)
READ_BACK = ("rank", "group_rank", "score", "grade", "incentive_pct", "movement", "reason",
             "adjustment")
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

# pay amounts (a rule set's `pay:` field) and one workbook per group (`rank --split-by group`)
LABELS["en"].update({"performance_pay": "Performance pay", "incentive_amount": "Incentive amount",
                     "performance_pay_total": "Performance pay total",
                     "incentive_amount_total": "Incentive amount total", "total": "Total",
                     "no_group": "no group"})
LABELS["zh"].update({"performance_pay": "绩效工资", "incentive_amount": "激励金额",
                     "performance_pay_total": "绩效工资合计", "incentive_amount_total": "激励金额合计",
                     "total": "合计", "no_group": "未填分组"})

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
           "overridden": "grades fixed in calibration",
           "cap_below": "cap: fewer qualified by band", "bands_only": "bands only",
           "cutoff_at": "{upper}|{lower} at {hi}/{lo}: {who}",
           "cutoff_more": "{who} … ({n} in all)", "scope_all": "whole sheet",
           "target": "Target this month", "target_text": "{value} ({param} {choice})",
           "chart_quota": "quota", "chart_actual": "actual",
           "chart_share": "Grades per group: quota and actual (share of people)",
           "chart_share_actual": "Grades per group (share of people)",
           "chart_data": "chart data", "page": "Page &P of &N", "title": "Result",
           "combined_in": "ranked together", "combined_out": "left out: {why}",
           "status:ok": "ok", "status:rejected-rows": "rows rejected", "status:failed": "failed",
           "status:up-to-date": "up to date",
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
           "all": "all", "yes": "yes", "no": "no", "unspecified": "not given",
           "shipped_rules": "shipped rule set {name}", "adjusted": "Adjustments",
           "book_group": "Group", "group_only": "{group}: this workbook holds its rows only",
           "title_group": "{title} ({group})",
           "adjusted_text": "{n} adjustments applied; {changed} grades changed by them ({knock} "
                            "of them knock-ons); see {sheet}"},
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
           "tie_at": "分界处 {score} 分有 {k} 人同分", "overridden": "校准改定等级",
           "cap_below": "名额为上限：按分档达到者不足",
           "bands_only": "仅按分档", "cutoff_at": "{upper}|{lower} 分界 {hi}/{lo} 分：{who}",
           "cutoff_more": "{who} 等 {n} 人",
           "scope_all": "全表", "target": "本月目标", "target_text": "{value}（{param} {choice}）",
           "chart_quota": "名额", "chart_actual": "实际",
           "chart_share": "各组等级构成：名额与实际（占人数比例）", "chart_data": "图表数据",
           "chart_share_actual": "各组等级构成（占人数比例）",
           "page": "第 &P 页 / 共 &N 页", "title": "考核结果", "input": "输入文件",
           "combined_in": "一并排名", "combined_out": "未纳入：{why}", "status:ok": "成功",
           "status:rejected-rows": "有未通过校验的行", "status:failed": "失败",
           "status:up-to-date": "已是最新",
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
           "message": "说明", "all": "全部", "yes": "是", "no": "否", "unspecified": "未指定",
           "shipped_rules": "内置规则集 {name}", "adjusted": "调整",
           "book_group": "分组", "group_only": "{group}（本工作簿只含该组的行）",
           "title_group": "{title}（{group}）",
           "adjusted_text": "已应用 {n} 条调整，{changed} 人的等级因此变动（其中连带变动 {knock} "
                            "人），详见「{sheet}」"},
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
           "rows_rejected": "Rows rejected", "rows_left_out": "Rows left out (not people)",
           "seconds": "Seconds", "input_sha256": "Input SHA-256", "message": "Message",
           "groups_output": "Group workbooks", "combined": "Combined"},
    "zh": {"file": "文件", "status": "状态", "exit_code": "退出码", "output": "输出文件",
           "rule_set": "规则", "rows_read": "读取行数", "rows_ranked": "参与排名",
           "rows_rejected": "未通过校验", "rows_left_out": "非人员行（未计入）",
           "seconds": "用时（秒）", "input_sha256": "输入文件 SHA-256",
           "message": "说明", "groups_output": "分组工作簿", "combined": "合并排名"},
}

# the Run sheet's keys (results.run_info), in the workbook's language
RUN_KEYS = {
    "zh": {"svcperf version": "程序版本", "rule set": "规则", "rule file": "规则文件",
           "rule set hash": "规则哈希", "input file": "输入文件", "input sha256": "输入文件 SHA-256",
           "period": "期间", "run at": "运行时间", "params": "参数", "sheets read": "读取的工作表",
           "rows read": "读取行数", "rows ranked": "参与排名", "rows rejected": "未通过校验",
           "rows left out (not people)": "非人员行（未计入）", "left out by kind": "非人员行类别",
           "months": "月份", "history months": "此前月份", "months without a file": "缺少文件的月份",
           "ledger": "积分台账", "people": "人数", "notices": "提示", "group": "分组",
           "performance pay total": "绩效工资合计", "incentive amount total": "激励金额合计",
           "adjustments file": "调整文件", "adjustments sha256": "调整文件 SHA-256",
           "adjustments": "调整条数", "knock-ons": "连带变动人数"},
}

# the blank submission template and `rules show`
TEMPLATE = {
    "en": {"instructions": "Instructions", "required": "required", "optional": "optional",
           "unique": "each value once", "blank": "blank means {default}",
           "one_of": "one of: {values}", "between": "from {lo} to {hi}", "atleast": "at least {lo}",
           "atmost": "at most {hi}", "not_zero": "not 0 (a ratio divides by it)",
           "not_over": "not more than {header}",
           "one_of_heads": "one of the {header} on sheet {sheet} (a row whose {header} is not "
                           "there is rejected)",
           "percent": "a percentage such as 93% (or 0.93)",
           "number": "a number", "integer": "a whole number", "text": "text",
           "yesno": "是 or 否", "column": "Column", "what": "What to enter",
           "lead": "Fill in one row per person below the header row. Keep the headers as they "
                   "are; extra columns of your own (remarks) are kept but not checked. Check the "
                   "sheet before sending it: svcperf validate <file> --rules {name}"},
    "zh": {"instructions": "填写说明", "required": "必填", "optional": "选填",
           "unique": "不可重复", "blank": "空白按 {default} 计", "one_of": "可选：{values}",
           "between": "{lo} 至 {hi}", "atleast": "不小于 {lo}", "atmost": "不大于 {hi}",
           "not_zero": "不能为 0（用作比例的分母）", "not_over": "不超过“{header}”",
           "one_of_heads": "须为“{sheet}”表中已填的“{header}”之一（不在其中的行不通过校验）",
           "percent": "百分比，如 93%（或 0.93）", "number": "数字", "integer": "整数",
           "text": "文本", "yesno": "是 或 否", "column": "列", "what": "填写要求",
           "lead": "表头下每行填写一人。请勿修改表头；自行添加的列（如备注）会保留但不校验。"
                   "提交前请先检查：svcperf validate <文件> --rules {name}"},
}

# why a grade, a move or an incentive is what it is (core.reasons), and each step `explain`
# prints (core.explain): one source of text for the Results sheet and the terminal
REASONS = {
    "en": {
        "sep": "; ", "names": ", ", "more": "{names} and {count} more",
        "place_group": " ({group}: rank {rank} of {n})",
        "place_all": " (rank {rank} of {n})",
        "calc_floor": "{grade} quota ⌊{share}×{n}⌋ = {count}",
        "calc_exact": "{grade} quota {share}×{n} = {count}",
        "calc_half_up": "{grade} quota {share}×{n} = {exact}, rounded half-up to {count}",
        "calc_largest": "{grade} quota {share}×{n} = {exact}, {count} by largest remainder",
        "calc_rest": "{grade} takes the rest: {count}",
        "cascade": "the {head_sheet} row of {group} is graded {head}, which picks the quota "
                   "table",
        "by_place": "{calcs}; graded {grade} by place{place}",
        "tie_better": "{calc}; tied with {others} at {score} points: the tie rule (ties share "
                      "the better grade) gives all {count} of them {grade}, and {next} shrinks"
                      "{place}",
        "tie_worse": "{calc}; tied with {others} at {score} points: the tie rule (ties stay "
                     "below the cut-off) leaves all {count} of them out of {better}, graded "
                     "{grade}{place}",
        "tie_broken": "{calc}; tied with {others} at {score} points, told apart by {fields}: "
                      "graded {grade}{place}",
        "raised": "{calc}, only {banded} by band; filled by place: band {band}, graded {grade}"
                  "{place}",
        "lowered": "{calc}, full; band {band}, graded {grade}{place}",
        "as_band": "{calc}; band {band}, graded {grade} by place{place}",
        "head": "{score}{cut}: graded {grade} by band, which picks the quota table of {group} "
                "on {sheet}",
        "head_at": " ≥ {cutoff}", "head_below": ", below {cutoff}",
        "no_quota": "the quota table has no {band}; band {band}, graded {grade} by place{place}",
        "cap_full": "{band} cap ⌊{share}×{n}⌋ = {cap}, full; band {band}, moved down to {grade}"
                    "{place}",
        "cap_tie": "{band} cap ⌊{share}×{n}⌋ = {cap}; tied with {others} at {score} points at "
                   "the cap: all move down together to {grade}{place}",
        "cap_none": "below every band, and quotas only cap: graded {grade}{place}",
        "small_bands": "{group} has {n} people, fewer than {minimum}: no quotas, graded {grade} "
                       "by band{place}",
        "small_quotas": "{group} has {n} people, fewer than {minimum}: quotas applied all the same",
        "small_cap": "{group} has {n} people, fewer than {minimum}: quotas only as a ceiling",
        "actual": "{group} holds {actual} {grade} against a quota of {quota}, through a tie at "
                  "a cut-off",
        "movement": "current level {current}, graded {grade}: {move}",
        "incentive_top": "{header} {group} mean score {mean}, place {place} of {units}: "
                         "incentive {pct}",
        "incentive_bottom": "{header} {group} mean score {mean}, place {from_bottom} from the "
                            "bottom of {units}: incentive {pct}",
        "incentive_person": "place {place} of {units}: incentive {pct}",
        # explain
        "title": "{name} ({id}), {sheet}",
        "item_target": "{label}: {value} against the target {target}{segment}: {short} "
                       "points short × {per} = −{lost}; {points} of {full}",
        "item_target_met": "{label}: {value} reaches the target {target}{segment}: full {points}",
        "segment": " (for {by} {value})",
        "item_incident": "{label}: {count} × {each} = {lost}{cap}: {points}",
        "cap": ", at most {cap}",
        "item_weighted": "{label}: {terms} = {points}",
        "item_raters": "{label}: mean of {values} = {points}",
        "item_ratio": "{label}: {num} / {den} × {scale} = {points}",
        "item_levels": "{label}: {values} → mean {mean} = {points}",
        "item_formula": "{label}: {formula} = {points}",
        "score_sum": "score: {terms} = {raw}",
        "score_formula": "score: {formula} = {raw}",
        "score_limit": "kept within {lo} … {hi}: {value}",
        "score_round": "rounded half-up to {precision} decimals: {score}",
        "band": "band: {score} ≥ {cutoff} → {grade}",
        "band_none": "band: {score} is below every cut-off",
        "band_below": "band: {score} < {cutoff} → {grade}",
        "param": "{cutoff} (--{name} {label})",
        "table": "quota table ({why}): {counts}; {group} has {n} people",
        "table_all": "quota table ({why}): {counts}; {n} people in all",
        "table_quotas": "the rule set's quotas",
        "small": "{group} has {n} people, fewer than {minimum}: {how}",
        "actual_counts": "given: {counts}",
        "cutoffs": "at the cut-offs: {cutoffs}",
        "grade_reason": "grade {grade}: {reason}",
        "grade_band": "grade {grade}, as its band",
        "rank": "rank {rank} of {total}",
        "group_rank": "{group}: rank {rank} of {n}",
        "incentive_none": "incentive: none ({header} {group} mean {mean}, place {place} of "
                          "{units})",
        "rejected": "row {row} is rejected, not ranked: {reasons}",
        "cut": "{upper}|{lower}: lowest {upper} {low}, highest {lower} {high}",
        "person_missing": "no ranked or rejected row has {id_header} {id!r} in {file}; ids "
                          "there look like {examples}",
        "person_ambiguous": "rows {rows} of {file} all have {person!r}; give the {id_header} "
                            "of the one you mean",
        "person_left_out": "row {row} of {file} holds {person!r} but is not a person: it was "
                           "left out with the {kind}; if it is a person, give the row the "
                           "person's id and scores",
        "a_result": "{file} is a result svcperf wrote (its sheet {sheet!r}), not a score sheet: "
                    "explain the sheet it was ranked from (with --adjust FILE for an adjusted "
                    "result)",
        "adjusted": "adjusted: {text}",
        "same_id": "the same id {id!r} is also on {rows}", "row_status": "row {row} ({status})",
        "status_ranked": "ranked", "status_rejected": "rejected", "and": ", ",
        "steps": "steps", "items": "items",
    },
    "zh": {
        "sep": "；", "names": "、", "more": "{names} 等 {count} 人",
        "place_group": "（{group}第 {rank} 名，共 {n} 人）",
        "place_all": "（第 {rank} 名，共 {n} 人）",
        "calc_floor": "{grade}名额 ⌊{share}×{n}⌋={count}",
        "calc_exact": "{grade}名额 {share}×{n}={count}",
        "calc_half_up": "{grade}名额 {share}×{n}={exact}，四舍五入为 {count}",
        "calc_largest": "{grade}名额 {share}×{n}={exact}，按最大余数法为 {count}",
        "calc_rest": "{grade}为其余 {count} 人",
        "cascade": "{group}在“{head_sheet}”表中评为 {head}，按其配额表",
        "by_place": "{calcs}；按名次评为{grade}{place}",
        "tie_better": "{calc}；与 {others} 同为 {score} 分，按同分规则（同分从优）{count} 人都"
                      "评为{grade}，{next}名额相应减少{place}",
        "tie_worse": "{calc}；与 {others} 同为 {score} 分，按同分规则（同分不占名额）{count} 人"
                     "都不占{better}名额，评为{grade}{place}",
        "tie_broken": "{calc}；与 {others} 同为 {score} 分，按{fields}区分先后，评为{grade}{place}",
        "raised": "{calc}，按分档仅 {banded} 人，按名次补足；分档为{band}，评为{grade}{place}",
        "lowered": "{calc}，已满；分档为{band}，评为{grade}{place}",
        "as_band": "{calc}；分档为{band}，按名次评为{grade}{place}",
        "head": "{score} 分{cut}，按分档评为{grade}；“{sheet}”表中{group}的配额表按此等级选用",
        "head_at": " ≥ {cutoff}", "head_below": "，低于 {cutoff}",
        "no_quota": "配额表中没有{band}；分档为{band}，按名次评为{grade}{place}",
        "cap_full": "{band}上限 ⌊{share}×{n}⌋={cap}，已满；分档为{band}，降为{grade}{place}",
        "cap_tie": "{band}上限 ⌊{share}×{n}⌋={cap}；与 {others} 同为 {score} 分，同分者一并降为"
                   "{grade}{place}",
        "cap_none": "未达到任何分档，配额只作上限：评为{grade}{place}",
        "small_bands": "{group}仅 {n} 人，少于 {minimum} 人，不按配额，按分档评为{grade}{place}",
        "small_quotas": "{group}仅 {n} 人，少于 {minimum} 人，仍按配额",
        "small_cap": "{group}仅 {n} 人，少于 {minimum} 人，配额只作上限",
        "actual": "因分界处同分，{group}{grade}实有 {actual} 人（名额 {quota}）",
        "movement": "当前级别{current}，评为{grade}：{move}",
        "incentive_top": "{header}“{group}”平均分 {mean}，在 {units} 个{header}中排第 {place}："
                         "激励 {pct}",
        "incentive_bottom": "{header}“{group}”平均分 {mean}，在 {units} 个{header}中排倒数第 "
                            "{from_bottom}：激励 {pct}",
        "incentive_person": "第 {place} 名（共 {units} 人）：激励 {pct}",
        "title": "{name}（{id}），{sheet}",
        "item_target": "{label}：{value}，目标 {target}{segment}，差 {short} 个百分点 × {per} = "
                       "扣 {lost}；得 {points}（满分 {full}）",
        "item_target_met": "{label}：{value}，达到目标 {target}{segment}：得满分 {points}",
        "segment": "（{by}为{value}）",
        "item_incident": "{label}：{count} × {each} = {lost}{cap}：{points}",
        "cap": "，最多 {cap}",
        "item_weighted": "{label}：{terms} = {points}",
        "item_raters": "{label}：{values} 的平均 = {points}",
        "item_ratio": "{label}：{num} / {den} × {scale} = {points}",
        "item_levels": "{label}：{values} → 平均 {mean} = {points}",
        "item_formula": "{label}：{formula} = {points}",
        "score_sum": "得分：{terms} = {raw}",
        "score_formula": "得分：{formula} = {raw}",
        "score_limit": "限定在 {lo} 至 {hi}：{value}",
        "score_round": "四舍五入保留 {precision} 位小数：{score}",
        "band": "分档：{score} ≥ {cutoff} → {grade}",
        "band_none": "分档：{score} 低于所有分档线",
        "band_below": "分档：{score} < {cutoff} → {grade}",
        "param": "{cutoff}（--{name} {label}）",
        "table": "配额表（{why}）：{counts}；{group}共 {n} 人",
        "table_all": "配额表（{why}）：{counts}；全体共 {n} 人",
        "table_quotas": "规则中的配额",
        "small": "{group}仅 {n} 人，少于 {minimum} 人：{how}",
        "actual_counts": "实际：{counts}",
        "cutoffs": "分界处：{cutoffs}",
        "grade_reason": "最终等级 {grade}：{reason}",
        "grade_band": "最终等级 {grade}，与分档相同",
        "rank": "排名：第 {rank} 名，共 {total} 人",
        "group_rank": "{group}内排名：第 {rank} 名，共 {n} 人",
        "incentive_none": "激励：无（{header}“{group}”平均分 {mean}，在 {units} 个{header}中排第 "
                          "{place}）",
        "rejected": "第 {row} 行未参与排名：{reasons}",
        "cut": "{upper}/{lower}：{upper}最低 {low} 分，{lower}最高 {high} 分",
        "person_missing": "{file} 中没有{id_header}为“{id}”的行（已排名或未通过校验的都没有）；"
                          "表中的{id_header}形如 {examples}",
        "person_ambiguous": "{file} 的第 {rows} 行都是“{person}”；请给出所指那一行的{id_header}",
        "person_left_out": "{file} 第 {row} 行是“{person}”，但不是人员：作为{kind}未参与排名；"
                           "如果是人员，请在该行填写其编号和各项得分",
        "a_result": "{file} 是 svcperf 写出的结果（含工作表“{sheet}”），不是考核表：请说明排名所用的"
                    "原表（调整后的结果加 --adjust 调整文件）",
        "adjusted": "调整：{text}",
        "same_id": "同一编号“{id}”还在{rows}", "row_status": "第 {row} 行（{status}）",
        "status_ranked": "已排名", "status_rejected": "未通过校验", "and": "、",
        "steps": "推导过程", "items": "考核项",
    },
}


# calibration: the adjustments file, its errors, and what adjustments did (issue 16)
ADJUST_HEADERS = {  # key -> the headers an adjustments file may use (zh first: the template's)
    "id": ("工号", "id"), "item": ("调整项", "item"), "value": ("调整为", "value"),
    "reason": ("原因", "reason"), "approved_by": ("批准人", "approved_by", "approved by"),
    "date": ("日期", "date"), "kind": ("类型", "kind"),
}
ADJUST = {
    "en": {
        "no-header": "{file}: no header row with 工号/id, 调整项/item, 调整为/value, 原因/reason and "
                     "批准人/approved_by in its first rows; write the blank file with "
                     "svcperf template --adjust --rules {rules}",
        "not-a-list": "{file}: expected a list of adjustments (one mapping each, keys id, item, "
                      "value, reason, approved_by)",
        "at-row": "{file} row {n}", "at-line": "{file} line {n}",
        "blank-id": "{where} is blank; every adjustment names the person's id",
        "blank-item": "{where} is blank; name a field of the rule set or grade",
        "blank-value": "{where} is blank; write the corrected value or the grade",
        "blank-reason": "{where} is blank; every adjustment needs a reason",
        "blank-approved_by": "{where} is blank; every adjustment needs an approver",
        "unknown-id": "{where} {value!r}: nobody on the sheet has this id; check it against the "
                      "sheet's {header} column",
        "id-of-row": "{where} {value!r} is the {header} of a row on sheet {sheet!r}, whose rows "
                     "are named by {id_header}: write {id!r}",
        "problems": "{count} problems in the adjustments file, nothing applied: {list}",
        "choices": ", ",
        "unknown-item": "{where} {value!r} is not a field of rule set {rules} nor grade; use one "
                        "of: {choices}",
        "bad-value": "{where} {value!r} for {header}: {why}",
        "unknown-grade": "{where} {value!r}: rule set {rules} has no such grade; use one of: "
                         "{choices}",
        "no-grades": "{where}: {header} has no grades to override in rule set {rules}",
        "twice": "{where}: {id} {header} is adjusted twice (also {other}); keep one row",
        "over-cap": "{where}: {id} into {grade} would give {group} {count} × {grade}, over its "
                    "cap of {cap}; choose another grade, or set allow_over_cap: true in the rule "
                    "set's distribution",
        "kind-appeal": "appeal", "kind-calibration": "calibration",
        "unknown-kind": "{where} {value!r} is not a kind of adjustment; use one of: {choices} "
                        "(or leave it blank)",
        "bad-date": "{where} {value!r} is not a date; write it as 2026-11-05 (or leave it blank)",
        "changed": "{kind}: {header} {old} → {new}, approved by {approver} ({reason})",
        "fixed": "{kind}: grade {old} → {new}, approved by {approver} ({reason})",
        "rejected": "{where}: {id} cannot be given a grade, the row is rejected ({why}); "
                    "correct its input first (an adjustment of the field will do)",
        "because": "because of {cause}: {changes}",
        "table": "because {head} is now {grade}, {group} uses quota table {grade}: {changes}",
        "at": "{group} place {pos} of {n}",
        "full": "{grade} has {quota} places, all taken", "room": "{grade} has {quota} places",
        "rebalanced": "calibration: {who} fixed at {grade}; places left {left}; moved to {new} "
                      "(rank {pos} of {n})",
        "rebalanced-kept": "calibration: {who} fixed at {grade}; places left {left}; stays {new} "
                           "(rank {pos} of {n})",
        "now-rejected": "{changes}: the row is now rejected ({why})",
        "keep-off": "calibration keep: {grade} {actual}/{quota} ({who}, approved by {approver})",
        "arrow": "{label} {old} → {new}",
    },
    "zh": {
        "no-header": "{file}：前几行中没有含 工号、调整项、调整为、原因、批准人 的表头；可用 "
                     "svcperf template --adjust --rules {rules} 生成空白调整表",
        "not-a-list": "{file}：应为调整列表（每项含 id、item、value、reason、approved_by）",
        "at-row": "{file} 第 {n} 行", "at-line": "{file} 第 {n} 行",
        "blank-id": "{where} 为空；每条调整须写明工号",
        "blank-item": "{where} 为空；请填写规则中的字段或“等级”",
        "blank-value": "{where} 为空；请填写更正后的值或等级",
        "blank-reason": "{where} 为空；每条调整都须写明原因",
        "blank-approved_by": "{where} 为空；每条调整都须有批准人",
        "unknown-id": "{where}“{value}”：表中没有此工号；请与“{header}”列核对",
        "id-of-row": "{where}“{value}”是工作表“{sheet}”中一行的“{header}”，该表按“{id_header}”"
                     "区分各行：请写“{id}”",
        "problems": "调整文件有 {count} 处问题，均未应用：{list}",
        "choices": "、",
        "unknown-item": "{where}“{value}”不是规则 {rules} 的字段，也不是等级；可用：{choices}",
        "bad-value": "{where}“{value}”（{header}）：{why}",
        "unknown-grade": "{where}“{value}”：规则 {rules} 没有此等级；可用：{choices}",
        "no-grades": "{where}：规则 {rules} 的“{header}”没有可调整的等级",
        "twice": "{where}：{id} 的“{header}”调整了两次（另见 {other}）；请只保留一行",
        "over-cap": "{where}：{id} 调为 {grade} 后 {group} 的 {grade} 为 {count} 人，超过上限 "
                    "{cap}；请改选等级，或在规则的 distribution 中设置 allow_over_cap: true",
        "kind-appeal": "申诉", "kind-calibration": "校准",
        "unknown-kind": "{where}“{value}”不是调整类型；可用：{choices}（或留空）",
        "bad-date": "{where}“{value}”不是日期；请写成 2026-11-05（或留空）",
        "changed": "{kind}：{header} {old} → {new}，批准人 {approver}（{reason}）",
        "fixed": "{kind}：等级 {old} → {new}，批准人 {approver}（{reason}）",
        "rejected": "{where}：{id} 所在行未通过校验（{why}），不能调整等级；请先更正其输入（可用字段调整）",
        "because": "因 {cause} 调整：{changes}",
        "table": "因 {head} 改为 {grade}，{group} 改用 {grade} 配额表：{changes}",
        "at": "{group}第 {pos} 名，共 {n} 人",
        "full": "{grade} 名额 {quota} 人已满", "room": "{grade} 名额 {quota} 人",
        "rebalanced": "校准：{who} 定为 {grade}，剩余名额 {left}；调为 {new}（第 {pos} 名，共 {n} 人）",
        "rebalanced-kept": "校准：{who} 定为 {grade}，剩余名额 {left}；仍为 {new}（第 {pos} 名，共 {n} 人）",
        "now-rejected": "{changes}：调整后该行未通过校验（{why}）",
        "keep-off": "校准不调他人：{grade} {actual}/{quota}（{who}，批准人 {approver}）",
        "arrow": "{label} {old} → {new}",
    },
}
LABELS["en"].update({"adjustment": "Adjustment", "adjustments": "Adjustments",
                     "knock_ons": "Knock-on", "id": "Id", "item": "Item", "before": "Before",
                     "after": "After", "approved_by": "Approved by", "date": "Date",
                     "kind": "Kind", "effect": "Effect", "where_from": "From",
                     "grade_item": "grade", "diff": "Diff", "diff_summary": "Summary",
                     "change_kind": "Change",
                     "old": "Old", "new": "New", "name": "Name", "changes": "Changes",
                     "added": "added", "removed": "removed", "changed": "changed",
                     "rose": "rose", "fell": "fell", "unchanged": "unchanged",
                     "old_count": "People before", "new_count": "People after",
                     "diff_item": "What", "n_changed": "People whose {what} changed"})
LABELS["zh"].update({"adjustment": "调整说明", "adjustments": "调整记录",
                     "knock_ons": "连带变动", "id": "工号", "item": "调整项", "before": "调整前",
                     "after": "调整后", "approved_by": "批准人", "date": "日期", "kind": "类型",
                     "effect": "影响", "where_from": "来源", "grade_item": "等级", "diff": "变动对比",
                     "diff_summary": "变动汇总",
                     "change_kind": "变动", "old": "原值", "new": "新值", "name": "姓名",
                     "changes": "变动内容", "added": "新增", "removed": "移除", "changed": "变动",
                     "rose": "上升", "fell": "下降", "unchanged": "未变",
                     "old_count": "原结果人数", "new_count": "新结果人数", "diff_item": "变动项",
                     "n_changed": "变动人数：{what}"})
TEMPLATE["en"].update({
    "adjust_lead": "One row per approved adjustment for rule set {name}. 调整项 is a field of the "
                   "rule set (an input correction, as after an appeal) or 等级 / grade (a "
                   "calibrated final grade). Every row needs a reason and an approver. Apply it "
                   "with: svcperf rank <sheet> --adjust <this file> --rules {name}",
    "adjust_items": "Items", "adjust_grades": "Grades",
    "hint_id": "The person's id as on the sheet ({header})",
    "hint_item": "A field (its header) or 等级 for the final grade",
    "hint_value": "The corrected value, or the grade: {grades}",
    "hint_reason": "Why (required)", "hint_approved_by": "Who approved it (required)",
    "hint_date": "When it was approved (optional)", "hint_kind": "申诉 (appeal) or 校准 "
                                                                  "(calibration), optional"})
TEMPLATE["zh"].update({
    "adjust_lead": "每行一条已批准的调整（规则 {name}）。“调整项”填规则中的字段（输入更正，如申诉）"
                   "或“等级”（校准后的最终等级）。每行必须写明原因和批准人。使用方法：svcperf rank "
                   "<考核表> --adjust <本文件> --rules {name}",
    "adjust_items": "调整项", "adjust_grades": "等级",
    "hint_id": "与考核表“{header}”列一致的工号",
    "hint_item": "字段（表头）或“等级”",
    "hint_value": "更正后的值，或等级：{grades}",
    "hint_reason": "调整原因（必填）", "hint_approved_by": "批准人（必填）",
    "hint_date": "批准日期（选填）", "hint_kind": "申诉 或 校准（选填）"})


# the command-line contract's own errors (svcperf.cli.contract): `svcperf: error: <what>; <fix>`
CLI_MESSAGES: dict[str, tuple[str, str]] = {
    "choice": ("{value!r} is not accepted; use {choices}", "不接受“{value}”；请用 {choices}"),
    "empty-name": ("an empty name was given; name a file, folder or rule set (in a script, check "
                   "that the variable is set)",
                   "给出的名称为空；请写出文件、文件夹或规则集的名称（在脚本中请检查变量是否已设置）"),
    "whole-number": ("{value!r} is not a whole number; give one such as 4",
                     "“{value}”不是整数；请给出整数，例如 4"),
    "at-least": ("{value} is too small; give a whole number of {low} or more",
                 "{value} 太小；请给出不小于 {low} 的整数"),
    "at-most": ("{value} is too large; give a whole number of {most:,} or less",
                "{value} 太大；请给出不大于 {most:,} 的整数"),
    "month": ("{value!r} is not a month; write the calendar month as 2026-09, or 9 (1 to 12) "
              "for that month's targets alone",
              "“{value}”不是月份；请按 2026-09 的格式写年月，只选该月目标时也可写 9（1 到 12）"),
    "param-missing": ("rule set {rules!r} needs --{name}; give one of {values}{forms}",
                      "规则集“{rules}”需要 --{name}；请给出 {values} 之一{forms}"),
    "param-unknown": ("--{name} {label!r}: rule set {rules!r} has no value for it; give one of "
                      "{values}{forms}", "--{name} {label}：规则集“{rules}”没有这一项；请给出 "
                      "{values} 之一{forms}"),
    "month-forms": (" as the sheet's month, e.g. --month 2026-09 (or 9 alone)",
                    "，写成表的年月，例如 --month 2026-09（也可只写 9）"),
    "calendar-month": ("{value!r} is not a calendar month; write it as 2026-09",
                       "“{value}”不是年月；请按 2026-09 的格式写"),
    "month-disagree": ("--month {month} and --period {period} name different months; give "
                       "--month {month} alone (--period is its old name)",
                       "--month {month} 与 --period {period} 不是同一个月；只写 --month {month} 即可"
                       "（--period 是它的旧名）"),
    # click's usage errors (contract._in_lang); the English as click says it
    "no-such-option": ("No such option: {option}", "没有选项 {option}"),
    "did-you-mean": (". Did you mean {like}?", "（是不是 {like}？）"),
    "possible-options": (" (Possible options: {like})", "（相近的选项：{like}）"),
    "missing-argument": ("Missing argument '{name}'", "缺少参数 {name}"),
    "missing-option": ("Missing option {name}", "缺少选项 {name}"),
    "flag-with-value": ("Option '{option}' does not take a value",
                        "选项 {option} 不带值（它是开关：只写 {option}）"),
    "option-without-value": ("Option '{option}' requires an argument", "选项 {option} 后面缺少值"),
    "no-such-command": ("No such command '{name}'", "没有命令“{name}”"),
    "extra-args": ("unexpected extra argument(s): {args}", "多余的参数：{args}"),
    "see-help": ("{message}; see `{command} --help`", "{message}；用法见 `{command} --help`"),
    "is-folder": ("{option} {path} is a folder; give a file name, e.g. {example}",
                  "{option} {path} 是文件夹；请给出文件名，例如 {example}"),
    "exists": ("{path} already exists; add --force to replace it, or choose another name with "
               "{option}", "{path} 已存在；加 --force 可替换，或用 {option} 另起文件名"),
    "not-folder": ("{option} {path} is a file, not a folder; give a folder (created if missing)",
                   "{option} {path} 是文件而非文件夹；请给出文件夹（不存在时自动创建）"),
    "interrupted": ("interrupted; no output was left half-written", "已中断；没有留下写了一半的输出"),
    # a batch's output that is already there (svcperf.batch): never replaced without --force
    "batch-foreign": ("{sheet}: {out} already exists and svcperf did not write it there (the "
                      "folder's {state} does not list it); move it away, or rank again with "
                      "--force to replace it",
                      "{sheet}：{out} 已存在，且不是 svcperf 在此写出的（该文件夹的 {state} 中没有它）；"
                      "请先移走，或加 --force 重新排名以替换"),
    "batch-other-run": ("{sheet}: {out} already exists, written by an earlier run from {why}; "
                        "rank again with --force to replace it, or write to another --out-dir",
                        "{sheet}：{out} 已存在，是之前一次按{why}写出的；加 --force 重新排名可替换，"
                        "或换一个 --out-dir"),
    "why-input": ("another version of this sheet (or another sheet of that name)",
                  "此表的另一版本（或同名的另一张表）"),
    "why-rules": ("another rule set", "另一套规则"),
    "why-options": ("other options (--month, --skip-hidden)", "另一组选项（--month、--skip-hidden）"),
    "batch-edited": ("{sheet}: {out} has been changed since svcperf wrote it; move it away to "
                     "keep it, or rank again with --force to replace it",
                     "{sheet}：{out} 在 svcperf 写出后被改动过；要保留请先移走，或加 --force "
                     "重新排名以替换"),
    "batch-ranking": ("ranking", "正在排名"),
    "batch-line": ("{file}: {status} — {ranked} ranked, {rejected} rejected -> {output} "
                   "({seconds:.2f} s)", "{file}：{status} — 排名 {ranked} 人，退回 {rejected} 行 -> "
                   "{output}（{seconds:.2f} 秒）"),
    "batch-nothing": ("nothing written", "未写出"),
    "batch-totals": ("{files}: {counts}; {ranked} rows ranked, {rejected} rejected",
                     "{files}：{counts}；排名 {ranked} 人，退回 {rejected} 行"),
    "batch-sep": (", ", "，"),
    "batch-ok": ("ok", "完成"),
    "batch-rejected-rows": ("rejected-rows", "有退回行"),
    "batch-up-to-date": ("up-to-date", "已是最新"),
    "batch-failed": ("failed", "失败"),
    "batch-folder": ("{sheet}: {out} is a folder, where this sheet's output goes; move it away "
                     "or rank into another --out-dir",
                     "{sheet}：{out} 是文件夹，而此表的输出要写在这里；请移走它，或换一个 --out-dir"),
}


# the terminal's own frame around the messages (svcperf.cli.render, issue 14): the validate
# table and its verdicts, the rank summary, explain's headings; merged into CLI_MESSAGES
TERMINAL: dict[str, tuple[str, str]] = {
    "sep": (", ", "，"), "list": (", ", "、"),
    "sheet-month": ("{sheet!r} ({month})", "“{sheet}”（{month}）"),
    "month-n": ("month {n}", "{n}月"), "join": ("; ", "；"), "heading": ("{label}:", "{label}："),
    # validate: the issue table, its severities, the verdict of each file and the total
    "col-severity": ("severity", "级别"), "col-sheet": ("sheet", "工作表"), "col-cell": ("cell", "单元格"),
    "col-header": ("header", "表头"), "col-value": ("value", "值"), "col-code": ("code", "代码"),
    "col-message": ("message", "说明"),
    "severity-error": ("error", "错误"), "severity-warning": ("warning", "警告"),
    "severity-notice": ("notice", "提示"),
    "n-row": ("{n} row", "{n} 行"), "n-rows": ("{n} rows", "{n} 行"),
    "rows-left-out": (" (and {n} left out: not people)", "（另有 {n} 行不是人员，未计入）"),
    "n-file": ("{n} file", "{n} 个文件"), "n-files": ("{n} files", "{n} 个文件"),
    "n-error": ("{n} error", "{n} 个错误"), "n-errors": ("{n} errors", "{n} 个错误"),
    "n-warning": ("{n} warning", "{n} 个警告"), "n-warnings": ("{n} warnings", "{n} 个警告"),
    "n-notice": ("{n} notice", "{n} 个提示"), "n-notices": ("{n} notices", "{n} 个提示"),
    "more-issues": ("… {n} more issues not shown ({what}); raise --max-issues to see them (all are "
                    "counted)",
                    "… 另有 {n} 个问题未列出（{what}）；调大 --max-issues 可全部列出（统计已全部计入）"),
    "verdict-valid": ("valid", "通过"), "verdict-invalid": ("invalid", "未通过"),
    "verdict-unusable": ("cannot be used", "无法使用"),
    "verdict": ("{file}: {verdict} — {counts}{rules}", "{file}：{verdict} — {counts}{rules}"),
    "verdict-rules": (" (rule set {name})", "（规则集 {name}）"),
    "total": ("total: {files} files, {verdicts} — {counts}", "合计：{files} 个文件，{verdicts} — {counts}"),
    "total-verdict": ("{n} {verdict}", "{verdict} {n} 个"),
    # rank: how the rule set was chosen, each sheet's counts, the distribution, the outputs
    "chosen-rules": ("--rules", "由 --rules 指定"),
    "chosen-beside": ("svcperf.yaml beside the sheet", "表格旁的 svcperf.yaml"),
    "chosen-headers": ("matched by headers", "按表头匹配"),
    "chosen-together": ("{how}, all sheets together", "{how}，所有表一并排名"),
    "run-head": ("{file} — rule set {name} ({how})", "{file} — 规则集 {name}（{how}）"),
    "part-where": ("sheet {sheet!r}, header row {row}", "工作表“{sheet}”，表头在第 {row} 行"),
    "part-line": ("{where}: {counts}", "{where}：{counts}"),
    "part-read": ("{n} rows read", "读取 {n} 行"), "part-ranked": ("{n} ranked", "排名 {n} 人"),
    "part-rejected": ("{n} rejected", "未通过校验 {n} 行"),
    "part-left-out": ("{n} left out (not people)", "非人员 {n} 行（未计入）"),
    "grades": ("grades: {counts}", "等级：{counts}"), "grade-count": ("{grade} {n}", "{grade} {n} 人"),
    "dist-group": ("distribution within each {group}", "按{header}分别分配等级"),
    "dist-all": ("distribution over the whole sheet", "全表统一分配等级"),
    "dist-caption": ("per grade: actual/quota head count (ties at a cut-off can move it)",
                     "各等级：实际人数/名额（分界处同分可能使实际人数与名额不同）"),
    "dist-col-group": ("group", "分组"), "dist-col-n": ("n", "人数"), "dist-col-table": ("table", "配额表"),
    "dist-col-notice": ("notice", "提示"),
    "dist-quotas": ("quotas", "规则中的配额"),
    "dist-cascade": ("{sheet} grade {grade}", "按“{shown}”等级 {grade} 的配额表"),
    "dist-no-head": ("no head row: rejected", "“{shown}”表中没有对应行：本组未通过校验"),
    "dist-small-bands": ("fewer than {n}: bands only", "不足 {n} 人：仅按分档评定"),
    "dist-small-cap": ("fewer than {n}: quotas as a ceiling only", "不足 {n} 人：名额仅作上限"),
    "dist-small-exact": ("fewer than {n}: quotas applied", "不足 {n} 人：仍按名额"),
    "rejected": ("rejected", "未通过校验"),
    "more-rejected": ("… and {n} more rejected rows (see {sheet})",
                      "… 另有 {n} 行未通过校验（见“{sheet}”表）"),
    "warnings": ("warnings: {codes}", "警告：{codes}"), "notices": ("notices: {codes}", "提示：{codes}"),
    "written": ("written: {path}", "已写出：{path}"),
    "diff-summary": ("{earlier} → {later}: {added} added, {removed} removed, {changed} changed ({rose} "
                     "rose, {fell} fell), {unchanged} unchanged",
                     "{earlier} → {later}：新增 {added}，移除 {removed}，变动 {changed}（上升 {rose}，"
                     "下降 {fell}），未变 {unchanged}"),
    "written-groups": ("written: {path} ({n} workbooks, one per group)",
                       "已写出：{path}（{n} 个工作簿，每组一个）"),
    "dry-run": ("dry run: nothing written", "试运行：未写出文件"),
    "combined-left-out": ("left out of --combined: {why}", "未纳入 --combined 一并排名：{why}"),
    "combined-other-rules": ("{file} matches the rule set {rules} by its headers, not {chosen}, "
                             "the one the sheets are ranked together by: only sheets of one rule "
                             "set can be ranked together; leave it out of --combined",
                             "{file} 按表头匹配的是规则集 {rules}，而不是一并排名所用的 {chosen}："
                             "只有同一规则集的表才能一并排名；请不要把它纳入 --combined"),
    "dist-everyone": ("all", "全体"),
    # rank --adjust: before and after (--dry-run), each adjustment and each knock-on
    "adjust-before": ("before adjustments", "调整前"), "adjust-after": ("after adjustments", "调整后"),
    "adjust-applied": ("adjustments: {n} applied from {file} (sha256 {sha}…), {knock_ons} knock-ons",
                       "调整：按 {file}（sha256 {sha}…）调整 {n} 条，连带变动 {knock_ons} 人"),
    "adjust-line": ("{id} {header} {before} → {after} ({approver}): {effect}",
                    "{id} {header} {before} → {after}（批准人 {approver}）：{effect}"),
    "adjust-knock-on": ("knock-on {id} {name}: {reason}", "连带变动 {id} {name}：{reason}"),
    "adjust-more": ("… and {n} more knock-ons (see {sheet})", "… 另有 {n} 人连带变动（见“{sheet}”表）"),
}
CLI_MESSAGES.update(TERMINAL)

# `rules show`: a rule set laid out for the scheme owner to check (svcperf.cli.render); the
# rule file's own keys and values (weighted, group, better) are shown as the file has them
SHOWN: dict[str, tuple[str, str]] = {
    "show-precision": ("  (precision {precision})", "（保留 {precision} 位小数）"),
    "show-sheet": ("sheet {name}", "工作表 {name}"), "show-sheet-of": (" ({sheets})", "（{sheets}）"),
    "show-any-sheet": ("any", "任意工作表"),
    "show-fields": ("fields", "字段"), "show-field": ("field", "字段"),
    "show-headers": ("headers", "表头"), "show-what": ("what to enter", "填写要求"),
    "show-id": (" (id)", "（人员标识）"), "show-group": (" (group)", "（分组）"),
    "show-items": ("items", "考核项"), "show-item": ("item", "考核项"), "show-kind": ("kind", "类型"),
    "show-rule": ("rule", "计分规则"),
    "show-score": ("score = {score}{limits}", "得分 = {score}{limits}"),
    "show-sum": ("sum of items", "各考核项之和"), "show-limits": (" {limits}", "，{limits}"),
    "show-min": ("at least {n}", "不低于 {n}"), "show-max": ("at most {n}", "不高于 {n}"),
    "show-bands": ("bands", "分档"), "show-grade": ("grade", "等级"),
    "show-cutoff": ("score ≥", "得分 ≥"), "show-coefficient": ("coefficient", "系数"),
    "show-otherwise": ("otherwise", "其余"),
    "show-distribution": ("distribution: scope {scope}, {method}, mode {mode}, {ties}, min group "
                          "{min} (smaller: {small}){cascade}",
                          "强制分布：范围 {scope}，{method}，方式 {mode}，{ties}，每组至少 {min} 人"
                          "（不足时：{small}）{cascade}"),
    "show-cascade": (", cascade from sheet {sheet} by {field}", "，按工作表 {sheet} 的 {field} 逐级分配"),
    "show-ties-cap": ("ties at a cap move down together", "名额为上限时同分者一并下移"),
    "show-ties-better": ("all tied people get the better grade", "同分者都得较高等级"),
    "show-ties-worse": ("all tied people stay below the cut-off", "同分者都留在分界以下"),
    "show-ties-one": ("ties {rule} at every cut-off ({what})", "各分界处同分规则 {rule}（{what}）"),
    "show-ties-each": ("ties at the cut-offs: {each}", "各分界处同分规则：{each}"),
    "show-tie-at": ("{cut} {rule} ({what})", "{cut} {rule}（{what}）"),
    "show-quotas": ("quotas", "名额"), "show-table": ("table", "配额表"),
    "show-rest": ("rest", "其余"), "show-all": ("all", "全体"),
    "show-incentives": ("incentives by {by} (% of monthly pay): first places {top}; last places "
                        "{bottom}", "奖惩按 {by}（占月度绩效工资的 %）：前几名 {top}；后几名 {bottom}"),
    "show-pay": ("pay: {header} ({field}), where the sheet has it: {made}; to the cent, half-up",
                 "绩效工资：{header}（{field}），表中有此列时：{made}；计至分，四舍五入"),
    "show-pay-coefficient": ("performance pay = pay × coefficient", "绩效工资 = 工资基数 × 系数"),
    "show-pay-incentive": ("incentive amount = pay × incentive %", "奖惩金额 = 工资基数 × 奖惩比例"),
    "show-rollup": ("roll-up: composite {composite} of the months; missing months: {missing}",
                    "季度/半年汇总：各月得分{composite}；缺月：{missing}"),
    "show-composite-mean": ("mean", "平均"), "show-composite-weighted": ("weighted", "加权平均"),
    "show-missing-mean_of_present": ("mean of present", "按有成绩的月份取平均"),
    "show-missing-ineligible": ("ineligible", "不参评"),
    "show-eligible": ("  eligible only if {test} (else: {reason})", "  仅当 {test} 时参评（否则：{reason}）"),
    "show-grade-is": ("grade is {grades}", "等级为 {grades}"), "show-or": (" or ", " 或 "),
    "show-points": ("  points: {points}", "  积分：{points}"),
    "show-streak": ("  {months} consecutive {grade} months → {label}",
                    "  连续 {months} 个月 {grade} → {label}"),
    # each scoring item in words (describe_item)
    "item-target": ("{points} points when {field} reaches its target ({target}); {per} points off "
                    "per percentage point short, not below 0",
                    "{field} 达到目标（{target}）得 {points} 分；每差 1 个百分点扣 {per} 分，扣完为止"),
    "item-target-by": ("by {by}: {table}", "按 {by}：{table}"),
    "item-incident": ("−{points} per {field}{cap}", "每次 {field} 扣 {points} 分{cap}"),
    "item-cap": (", at most {cap}", "，最多扣 {cap} 分"),
    "item-raters": ("mean of {fields}", "{fields} 的平均"),
    "item-ratio": ("{num} / {den} × {scale} ({den} = 0: {zero})",
                   "{num} / {den} × {scale}（{den} 为 0 时：{zero}）"),
    "item-rejected": ("rejected", "该行不通过校验"),
    "item-levels": ("mean over {n} fields of {map}", "{n} 个字段按 {map} 计分后取平均"),
}
assert not SHOWN.keys() & CLI_MESSAGES.keys()
CLI_MESSAGES.update(SHOWN)

# `rollup`: why the months given cannot be rolled up, a calendar month with no file (on the
# terminal in the user's language, in the workbook in the rule set's), and the summary lines
ROLLUP_MESSAGES: dict[str, tuple[str, str]] = {
    "rollup-no-section": ("rule set {name!r} has no rollup section",
                          "规则集“{name}”没有 rollup（汇总）部分；请换用带汇总规则的规则集"),
    "rollup-period": ("--period {period!r}: write it as a quarter (2026Q1 to 2026Q4), a half-year "
                      "(2026H1 or 2026H2) or a month (2026-03)",
                      "--period {period!r}：请写成季度（2026Q1 至 2026Q4）、半年（2026H1 或 2026H2）"
                      "或月份（2026-03）"),
    "rollup-weight-zero": ("only in months weighted 0 ({months}): no weighted score, not graded",
                           "仅出现在权重为 0 的月份（{months}），没有加权得分，不评等级"),
    "rollup-weights": ("the rule set's rollup weights are for {weights} months, but period {period} "
                       "has {months}: roll up a period of {weights} months (for a quarter so far, "
                       "name it: --period 2026Q1), or give the rule set one weight per month of "
                       "the period",
                       "规则集的汇总权重对应 {weights} 个月，期间 {period} 却有 {months} 个月：请汇总 "
                       "{weights} 个月的期间（季度尚未结束时请写明，如 --period 2026Q1），或在规则集中"
                       "为期间的每个月各给一个权重"),
    "rollup-month-count": ("--month was given {given} times for {files} files; give one per file, "
                           "in the same order",
                           "--month 给了 {given} 次，文件却有 {files} 个；请每个文件给一个，顺序与文件相同"),
    "rollup-month-form": ("--month {value!r}: write it as 2026-01",
                          "--month {value!r}：请写成 2026-01 这样的年月"),
    "rollup-which-month": ("{path}: cannot tell which month this is; rank it with --month 2026-01, "
                           "name the file with its month, or pass --month",
                           "{path}：看不出是哪个月的；请用 --month 2026-01 排名，或在文件名中写明月份，"
                           "或给出 --month"),
    "rollup-twice": ("month {month} is given twice ({first} and {second}); each month once",
                     "{month} 给了两次（{first} 和 {second}）；每个月只能给一次"),
    "rollup-after": ("months {after} are after period {period}; leave those files out",
                     "{after} 在 {period} 之后；请去掉这些月份的文件"),
    "rollup-none-inside": ("no file is for a month of {period} ({months})",
                           "没有一个文件属于 {period} 的月份（{months}）"),
    "gap-history": ("history month {month} has no file; streaks break there",
                    "此前的 {month} 没有文件；连续记录在此中断"),
    "gap-inside": ("month {month} of {period} has no file; streaks break there",
                   "{period} 的 {month} 没有文件；连续记录在此中断"),
    "gap-after": ("month {month} of {period} has no file", "{period} 的 {month} 没有文件"),
    "month-other-version": ("{file} ({month}) was ranked with another version of rule set "
                            "{name} ({used}): its grades are rolled up as they were given; rank "
                            "the month again with this version if they should follow it",
                            "{file}（{month}）是用规则 {name} 的另一版本（{used}）排名的：按其原有等级"
                            "汇总；如应按当前版本，请用当前版本重新排名该月"),
    "id-renamed": ("{id} has other names in other months ({names}): the same person retyped, "
                   "or an id given to someone else? Check the sheets; the months are rolled up "
                   "as one person",
                   "{id} 在不同月份的姓名不同（{names}）：是同一人重新录入，还是编号给了别人？请核对各月"
                   "的表；各月仍按同一人汇总"),
    "month-rejected": ("{file} ({month}) rejected {count} rows (sheet rows {rows}; ids {ids}): "
                       "they count as absent from {month}, which breaks their streaks; correct "
                       "those rows, rank the month again and roll up again",
                       "{file}（{month}）有 {count} 行未通过校验（第 {rows} 行；{ids}）：这些人按"
                       " {month} 缺席计算，连续记录在此中断；请修正这些行，重新排名该月后再汇总"),
    "rollup-summary": ("{period}: {people} people from {n} months ({months}); {eligible} eligible, "
                       "{points} points earned",
                       "{period}：{people} 人，共 {n} 个月（{months}）；参评 {eligible} 人，"
                       "获得积分 {points}"),
    "rollup-notice": ("  notice: {notice}", "  提示：{notice}"),
    "rollup-written": ("  written: {path}{ledger}", "  已写出：{path}{ledger}"),
    "rollup-ledger": ("; ledger: {path}", "；积分台账：{path}"),
}
assert not ROLLUP_MESSAGES.keys() & CLI_MESSAGES.keys()
CLI_MESSAGES.update(ROLLUP_MESSAGES)

# a points ledger, a ranked result read back (diff, explain, rollup) and a month's Results
RESULT_MESSAGES: dict[str, tuple[str, str]] = {
    "ledger-negative": ("{path} sheet {sheet!r} row {row}: {id}'s balance would go below zero "
                        "({balance}); fix that change",
                        "{path} 工作表“{sheet}”第 {row} 行：{id} 的积分余额会低于 0（{balance}）；"
                        "请更正这一笔变动"),
    "ledger-not": ("{path}: not a svcperf ledger (no History / 积分明细 sheet)",
                   "{path}：不是 svcperf 的积分台账（没有 History / 积分明细 工作表）"),
    "ledger-change": ("{path} sheet {sheet!r} row {row}: change {change!r} is not a number; type a "
                      "number of points (e.g. -100)",
                      "{path} 工作表“{sheet}”第 {row} 行：积分变动 {change!r} 不是数字；请填写积分数"
                      "（如 -100）"),
    "ledger-columns": ("{path} sheet {sheet!r}: no column headed {missing} (its headers: "
                       "{found}); give the column that header back",
                       "{path} 工作表“{sheet}”：没有表头为 {missing} 的列（现有表头：{found}）；"
                       "请把该列的表头改回"),
    "ledger-id-blank": ("{path} sheet {sheet!r} row {row}: 编号 / id is blank; type the id of the "
                        "person whose points change",
                        "{path} 工作表“{sheet}”第 {row} 行：编号为空；请填写积分变动者的编号"),
    "ledger-streak-month": ("{path} sheet {sheet!r} row {row}: 截至月份 / last month {value!r} is "
                            "not a month; type it as 2026-03",
                            "{path} 工作表“{sheet}”第 {row} 行：截至月份 {value!r} 不是月份；"
                            "请写成 2026-03"),
    "ledger-streak-months": ("{path} sheet {sheet!r} row {row}: 月数 / months {value!r} is not a "
                             "whole number of months; type one, e.g. 3",
                             "{path} 工作表“{sheet}”第 {row} 行：月数 {value!r} 不是整数个月；"
                             "请填写整数，如 3"),
    "ledger-swapped": ("{path} sheet {sheet!r} row {row}: 编号 / id is {id!r} but 姓名 / name is "
                       "{name!r}, an id of the months rolled up; the two columns look swapped: "
                       "put each id under 编号 and each name under 姓名",
                       "{path} 工作表“{sheet}”第 {row} 行：编号是“{id}”，姓名却是所汇总月份中的"
                       "编号“{name}”；这两列像是填反了：请把编号填在“编号”列、姓名填在“姓名”列"),
    "ledger-locked": ("{path}: another roll-up has held the ledger for {timeout} s; wait for it to "
                      "finish and run again",
                      "{path}：另一个汇总已占用积分台账 {timeout} 秒；请等它完成后再运行"),
    "ranked-unreadable": ("{path}: cannot be read as a ranked result ({error})",
                          "{path}：无法作为排名结果读取（{error}）"),
    "ranked-which-rules": ("{path}: cannot tell which rule set this result is of; pass --rules",
                           "{path}：看不出这份结果用的是哪个规则集；请给出 --rules"),
    "ranked-no-results": ("{path}: no Results sheet; is it a ranked result of svcperf rank?",
                          "{path}：没有“考核结果”（Results）工作表；这是 svcperf rank 的排名结果吗？"),
    "ranked-no-id": ("{path}: sheet {sheet!r} has no {header} column; is it a result of rule set "
                     "{name!r}?", "{path}：工作表“{sheet}”没有“{header}”列；这是规则集“{name}”的结果吗？"),
    "month-empty": ("{path}: sheet {sheet!r} is empty", "{path}：工作表“{sheet}”是空的"),
    "month-columns": ("{path}: sheet {sheet!r} has no column for {missing}; is it a result of this "
                      "rule set?", "{path}：工作表“{sheet}”没有 {missing} 列；这是该规则集的结果吗？"),
    "month-other-rules": ("{path}: ranked with rule set {used!r}, not {name!r}",
                          "{path}：是按规则集“{used}”排名的，不是“{name}”"),
}
assert not RESULT_MESSAGES.keys() & CLI_MESSAGES.keys()
CLI_MESSAGES.update(RESULT_MESSAGES)

# what a cell must hold, as a type-error or not-allowed message says it (core.validate)
EXPECTED = {
    "en": {"number": "a number", "integer": "a whole number", "percent": "a percentage like 93%",
           "yesno": "是 or 否 (yes/no)", "text": "text", "choices": ", "},
    "zh": {"number": "数字", "integer": "整数", "percent": "百分比（如 93%）", "yesno": "“是”或“否”",
           "text": "文本", "choices": "、"},
}
# a row of another file, as a duplicate-id message across the files of --combined names it
# (the {other} of "already appears in row {other}" / "与第 {other} 行重复")
ROW_OF_FILE = {"en": " of {file}", "zh": "（{file}）"}


def row_of(row: int, file: str, lang: str) -> dict[str, str | int]:
    """A row of one of the sheets or files read together, as a message's `other` and
    `other_file`: 'row 5 of a.xlsx', '第 5 行（a.xlsx）'."""
    return {"other": row, "other_file": ROW_OF_FILE["zh" if lang == "zh" else "en"].format(file=file)}

# no rule set given, none beside the sheet, and no shipped one fits (rules.select)
CLI_MESSAGES.update({
    "no-rule-set": ("{sheet}: no shipped rule set matches this sheet's headers{closest}; pass "
                    "--rules (shipped: {names})",
                    "{sheet}：没有与此表表头相符的内置规则集{closest}；请用 --rules 指定规则"
                    "（内置：{names}）"),
    "closest": (". Closest: {name}, header row {rows} matches {matched} ({n} of {total} fields)",
                "。最接近的是 {name}：第 {rows} 行表头中有 {matched}（共 {total} 个字段，对上 {n} 个）"),
    "closest-missing": ("; missing {missing}", "；缺少 {missing}"),
    "closest-near": ("{header} (nearest: {near})", "{header}（最接近的是 {near}）"),
})

# the command line's usage errors (svcperf.cli.app): what is wrong with the options, and the fix
CLI_MESSAGES.update({
    "cannot-write": ("{where}cannot be written ({why}); check that the folder exists and is "
                     "writable and that the disk has room, or write elsewhere with -o",
                     "{where}无法写入（{why}）；请检查文件夹是否存在、是否可写、磁盘是否有空间，"
                     "或用 -o 写到别处"),
    "at-path": ("{path}: ", "{path}："),
    "name-too-long": ("{where}the name is longer than the file system allows; use a shorter file "
                      "or folder name",
                      "{where}名称超过了文件系统允许的长度；请用短一些的文件名或文件夹名"),
    "out-and-out-dir": ("--out and --out-dir cannot be used together; give -o FILE for one sheet, "
                        "or --out-dir DIR for one output per sheet",
                        "--out 与 --out-dir 不能同时使用；单张表用 -o 文件，"
                        "每张表各出一份用 --out-dir 文件夹"),
    "adjust-one": ("--adjust takes one sheet; rank the others without it",
                   "--adjust 只能用于一张表；其余的表请不带它另行排名"),
    "out-one": ("--out takes one sheet; for several sheets use --out-dir DIR (and --format)",
                "--out 只能用于一张表；多张表请用 --out-dir 文件夹（可加 --format）"),
    "out-in-batch": ("--out cannot be used with {option}, which makes this a batch run; give the "
                     "outputs' folder with --out-dir DIR (and --format), or leave out {option}",
                     "--out 不能与 {option} 一起使用（{option} 表示批量运行）；请用 --out-dir 文件夹"
                     "指定输出位置（可加 --format），或去掉 {option}"),
    "split-by": ("--split-by {value!r}: the only split is --split-by group",
                 "--split-by {value}：只支持 --split-by group"),
    "split-dir": ("--split-dir needs --split-by group", "--split-dir 需与 --split-by group 一起使用"),
    "out-format": ("-o {out} and --format {format} disagree; name the output {name}, or leave "
                   "--format out", "-o {out} 与 --format {format} 不一致；请把输出命名为 {name}，"
                   "或去掉 --format"),
    "combined-none": ("--combined: no sheets to rank", "--combined：没有可排名的表"),
    "out-suffix": ("--out {out}: use a .xlsx, .csv or .json file name",
                   "--out {out}：请用 .xlsx、.csv 或 .json 文件名"),
    "sheet-is-folder": ("{sheet} is a folder; to rank every sheet in it give --out-dir DIR",
                        "{sheet} 是文件夹；要为其中每张表排名，请给出 --out-dir 文件夹"),
    "out-is-input": ("{option} {out} is also an input ({input}); inputs are never overwritten: "
                     "choose another file name",
                     "{option} {out} 也是输入文件（{input}）；输入文件不会被覆盖，请换一个文件名"),
    "batch-state-unreadable": ("{path} cannot be read ({error}): it records which outputs in its "
                               "folder svcperf wrote; delete it and rank again (the outputs it "
                               "listed are then replaced only with --force)",
                               "{path} 无法读取（{error}）：它记录该文件夹中哪些结果由 svcperf "
                               "写出；请删除它后重新排名（它记录过的结果此后只有加 --force 才会"
                               "被替换）"),
    "batch-state-not-json": ("not svcperf's JSON from line {line}", "自第 {line} 行起不是 svcperf 写的 JSON"),
    "batch-out-is-input": ("the result of {sheet} would be written to {out}, which is also an "
                           "input of this run ({input}); inputs are never overwritten: leave "
                           "one of them out, or write the results elsewhere with --out-dir DIR",
                           "{sheet} 的结果会写到 {out}，而它也是本次运行的输入（{input}）；"
                           "输入文件不会被覆盖：请去掉其中一个，或用 --out-dir 文件夹另存结果"),
    "out-is-output": ("{option} {out} is also where the batch writes the result of {sheet}; "
                      "choose another file name",
                      "{option} {out} 也是本次批量运行写 {sheet} 结果的位置；请换一个文件名"),
    "out-is-state": ("{option} {out} is the batch's own record of its outputs; choose another "
                     "file name", "{option} {out} 是本次批量运行记录其输出的文件；请换一个文件名"),
    "split-dir-shared": ("two sheets would write their group workbooks into one folder under "
                         "--split-dir {folder}; rank them with --out-dir, or in separate runs",
                         "两张表会把各组工作簿写进 --split-dir {folder} 下的同一个文件夹；"
                         "请用 --out-dir，或分开运行"),
    "ledger-suffix": ("--ledger {ledger}: a ledger is an .xlsx workbook; name it like points.xlsx",
                      "--ledger {ledger}：积分台账是 .xlsx 工作簿；请命名为 points.xlsx 这样的文件名"),
    "template-suffix": ("--out {out}: a template is an .xlsx workbook; name it like blank.xlsx",
                        "--out {out}：模板是 .xlsx 工作簿；请命名为 blank.xlsx 这样的文件名"),
    "diff-suffix": ("--out {out}: a diff is written as an .xlsx workbook; name it like diff.xlsx",
                    "--out {out}：对比结果写成 .xlsx 工作簿；请命名为 diff.xlsx 这样的文件名"),
})


# why a file cannot be read (svcperf.why.Why, io.read.UnreadableFile), issue 14: the
# readers name a key and its values, and whoever tells the user renders it in the run's
# language (str() is the English). Limit names, flags and environment variables stay as they are.
FILE_MESSAGES: dict[str, tuple[str, str]] = {
    "at-file": ("{path}: {why}", "{path}：{why}"),
    "no-such-file": ("no such file; check the name and the folder",
                     "文件不存在；请检查文件名和所在文件夹"),
    "file-is-folder": ("is a folder, not a spreadsheet",
                       "是文件夹，不是电子表格；请给出其中的表格文件"),
    "not-regular-file": ("is not a regular file (a pipe, socket or device); save the sheet to a "
                         "file first", "不是普通文件（而是管道、套接字或设备）；请先把表格保存成文件"),
    "cannot-open": ("cannot be opened ({reason})", "无法打开（{reason}）；请检查此文件是否可读"),
    "empty-file": ("the file is empty (0 bytes); export the sheet again",
                   "文件是空的（0 字节）；请重新导出表格"),
    "excel-2003-xml": ("an Excel 2003 XML spreadsheet, which cannot be read; open it in Excel and "
                       "save it as .xlsx", "这是 Excel 2003 XML 格式的表格，无法读取；请在 Excel 中打开，"
                       "另存为 .xlsx"),
    "not-spreadsheet": ("not a spreadsheet (not an Excel, OpenDocument or CSV file); save it from "
                        "Excel as .xlsx", "不是电子表格（不是 Excel、OpenDocument 或 CSV 文件）；"
                        "请在 Excel 中另存为 .xlsx"),
    "password-protected": ("the workbook is password-protected; open it in Excel, remove the "
                           "password (File > Info > Protect Workbook) and save it again",
                           "工作簿设有密码；请在 Excel 中打开，去掉密码（文件 > 信息 > 保护工作簿）"
                           "后重新保存"),
    "damaged-zip": ("the file is damaged or was cut short (incomplete zip); copy or download it "
                    "again", "文件已损坏或不完整（zip 不完整）；请重新复制或下载"),
    "many-cells": ("the file declares more cells than any sheet can hold; it looks crafted or "
                   "damaged", "文件声明的单元格比任何工作表能容纳的都多，看起来是伪造或已损坏的文件；"
                   "请在 Excel 中打开并重新保存"),
    "old-office": ("an old-format or damaged Office file that cannot be read; open it in Excel and "
                   "save it as .xlsx", "是旧格式或已损坏的 Office 文件，无法读取；请在 Excel 中打开，"
                   "另存为 .xlsx"),
    "not-readable": ("cannot be read as a spreadsheet ({error})",
                     "无法作为电子表格读取（{error}）；请在 Excel 中打开，另存为 .xlsx"),
    "text-document": ("a text document (Word or OpenDocument), not a spreadsheet; copy its table "
                      "into Excel and save it as .xlsx",
                      "这是文字文档（Word 或 OpenDocument），不是电子表格；请把其中的表格复制到 Excel，"
                      "另存为 .xlsx"),
    "presentation": ("a presentation, not a spreadsheet; copy its table into Excel and save it "
                     "as .xlsx", "这是演示文稿，不是电子表格；请把其中的表格复制到 Excel，另存为 .xlsx"),
    "ods-no-mimetype": ("an OpenDocument file without its 'mimetype' part (damaged?); open it in "
                        "LibreOffice and save it again",
                        "OpenDocument 文件缺少 mimetype 部件（已损坏？）；请用 LibreOffice 打开后重新保存"),
    "zip-unsupported": ("the file's zip structure is not one a workbook uses ({error}); it looks "
                        "damaged: open it in Excel and save it again",
                        "文件的 zip 结构不是工作簿所用的（{error}），看起来已损坏；"
                        "请在 Excel 中打开后重新保存"),
    "zip-empty": ("an empty zip archive, not a workbook; copy or download the sheet again",
                  "这是空的 zip 压缩包，不是工作簿；请重新复制或下载表格"),
    "zip-archive": ("a zip archive with no workbook in it (it holds {names}); unzip it and give "
                    "the sheet inside", "这是不含工作簿的 zip 压缩包（其中有 {names}）；"
                    "请解压后给出其中的表格文件"),
    "no-worksheets": ("the workbook has no worksheets", "工作簿中没有工作表；请把数据放在工作表中再保存"),
    "csv-wide": ("line {line} has {count:,} fields; a sheet holds at most 16,384 columns (is "
                 "this really a CSV file?)",
                 "第 {line} 行有 {count:,} 个字段；工作表最多 16,384 列（这真的是 CSV 文件吗？）"),
    "csv-long": ("{rows} rows; a sheet holds at most 1,048,576 (Excel's limit): split the file "
                 "into sheets of fewer rows",
                 "共 {rows} 行；工作表最多 1,048,576 行（Excel 的上限）：请把文件拆成行数更少的几张表"),
    "csv-unreadable": ("not a readable CSV file ({error}); save it again from Excel as CSV UTF-8",
                       "不是可读取的 CSV 文件（{error}）；请在 Excel 中重新另存为“CSV UTF-8”"),
    "csv-encoding": ("line {line} is not text in UTF-8, UTF-16 or GBK (is this really a CSV "
                     "file?); save it again from Excel as CSV UTF-8",
                     "第 {line} 行不是 UTF-8、UTF-16 或 GBK 编码的文字（这真的是 CSV 文件吗？）；"
                     "请在 Excel 中重新另存为“CSV UTF-8”"),
    "mixed-encodings": ("line {broken} is not UTF-8 but line {utf8} is: the file mixes two text "
                        "encodings; save it again from Excel as CSV UTF-8",
                        "第 {broken} 行不是 UTF-8 编码，而第 {utf8} 行是：文件混用了两种文字编码；"
                        "请在 Excel 中重新另存为“CSV UTF-8”"),
    "web-no-table": ("a web page with no table, so nothing to read; save the data from the web "
                     "system as Excel (.xlsx) or CSV",
                     "是网页，其中没有表格，没有可读取的内容；请从网页系统中把数据导出为 Excel（.xlsx）"
                     "或 CSV"),
    # a SHEET argument that names nothing to read (batch.expand_inputs)
    "no-pattern-match": ("no spreadsheet matches this pattern; check it (svcperf's own outputs, "
                         "*.ranked.*, are never inputs)",
                         "没有与此模式相符的表格文件；请检查模式（svcperf 自己写出的 *.ranked.* 文件"
                         "不会被当作输入）"),
    "folder-without-sheets": ("the folder holds no spreadsheet ({suffixes}); put the sheets there "
                              "or name them one by one",
                              "文件夹中没有表格文件（{suffixes}）；请把表格放进去，或逐个写出文件名"),
    "reader-crashed": ("the reader stopped abnormally on this file (it looks crafted or damaged); "
                       "open it in Excel and save it again as .xlsx",
                       "读取程序在此文件上异常中止（文件看起来是伪造或已损坏的）；请在 Excel 中打开，"
                       "重新另存为 .xlsx"),
    "init-folder": ("{sheet} is a folder; give one filled-in sheet, e.g. {example}",
                    "{sheet} 是文件夹；请给出一张填好的表，例如 {example}"),
    "init-no-data": ("{sheet}: no sheet holds a header row and data; fill in a few rows first",
                     "{sheet}：没有一张工作表既有表头又有数据；请先填几行"),
    "init-shipped-name": ("--name {name} is a shipped rule set; choose another name",
                          "--name {name} 是内置规则集的名字；请换一个名字"),
    "init-drafted": ("drafted rule set {name!r} from {parts}; it has no items yet, so ranking "
                     "with it is refused until you add them: add items, bands and quotas",
                     "已按 {parts}起草规则集“{name}”；其中还没有考核项，补上之前用它排名会被拒绝："
                     "请补上考核项（items）、分档（bands）和名额（quotas）"),
    "init-sheets": ("{n} sheets ({sheets}), one part each", "{n} 张工作表（{sheets}，每张一部分）"),
    "init-sheet": ("sheet {sheets}", "工作表“{sheets}”"),
    "init-written": ("written: {out} — add items, bands and quotas, then `svcperf rules check {out}`",
                     "已写出：{out} — 补上考核项、分档和名额后运行 `svcperf rules check {out}`"),
    "no-such-sheet": ("there is no sheet {sheet!r}", "没有名为“{sheet}”的工作表"),
    "sheet-unreadable": ("sheet {sheet!r} cannot be read ({error})",
                         "工作表“{sheet}”无法读取（{error}）；请在 Excel 中打开并重新保存"),
    # the limits (io.package.LIMITS): what was found, the limit, and how to raise it
    "over-limit": ("{what}, over the limit of {bound}; a file this size looks crafted or damaged. "
                   "If it is genuine, raise the limit: svcperf --limit {name}=N … (or set "
                   "{variable}; default {default:,})",
                   "{what}，超出上限（{bound}）；这么大的文件看起来是伪造或已损坏的。"
                   "如果文件确实无误，请放宽上限：svcperf --limit {name}=N …"
                   "（或设置环境变量 {variable}；默认 {default:,}）"),
    "limit-member": ("{limit:,} MiB of one part of the package, inflated",
                     "包内单个部件解压后最多 {limit:,} MiB"),
    "limit-total": ("{limit:,} MiB of the whole package, inflated", "整个包解压后最多 {limit:,} MiB"),
    "limit-ratio": ("{limit:,} times a part may inflate (for parts over 10 MiB)",
                    "10 MiB 以上的部件解压后最多膨胀 {limit:,} 倍"),
    "limit-parts": ("{limit:,} parts in the package", "包内最多 {limit:,} 个部件"),
    "limit-errors": ("{limit:,} cells in error on one sheet", "每张工作表最多 {limit:,} 个错误单元格"),
    "limit-cells": ("{limit:,} cells in a sheet's used range (rows × columns) or under its merged "
                    "ranges", "每张工作表已用区域的行数乘列数，或合并区域内的单元格，最多 {limit:,} 个"),
    # rule files that cannot be found or read (svcperf.rules.load)
    "rules-folder": ("{path}: is a folder, not a rule file; check the path (shipped rule sets are "
                     "named without a folder or suffix: {names})",
                     "{path}：是文件夹，不是规则文件；请检查路径（内置规则集不带文件夹和后缀：{names}）"),
    "rules-no-file": ("{path}: no such rule file; check the path (shipped rule sets are named "
                      "without a folder or suffix: {names})",
                      "{path}：没有这个规则文件；请检查路径（内置规则集不带文件夹和后缀：{names}）"),
    "rules-no-name": ("{name}: no such rule file or shipped rule set (shipped: {names})",
                      "{name}：没有这个规则文件或内置规则集（内置：{names}）"),
    "rules-no-name-like": ("{name}: no such rule file or shipped rule set; did you mean {hint}? "
                           "(shipped: {names})",
                           "{name}：没有这个规则文件或内置规则集；是不是 {hint}？（内置：{names}）"),
    "rules-unreadable": ("{path}: cannot read the rule file ({reason})",
                         "{path}：无法读取规则文件（{reason}）"),
    "rules-not-text": ("{path}:{line}: not text in UTF-8, UTF-16 or GBK (is this the rule "
                       "file?); save it as UTF-8",
                       "{path}:{line}：不是 UTF-8、UTF-16 或 GBK 编码的文字（规则文件选对了吗？）；"
                       "请另存为 UTF-8"),
    "rules-mixed-encodings": ("{path}:{line}: not UTF-8 but line {utf8} is: the rule file mixes "
                              "two text encodings; save it as UTF-8",
                              "{path}:{line}：不是 UTF-8 编码，而第 {utf8} 行是：规则文件混用了"
                              "两种文字编码；请另存为 UTF-8"),
    "rules-too-big": ("{path}: a rule file of {size:,} bytes; at most {most:,} (a rule set is a "
                      "page of YAML: is this the right file?)",
                      "{path}：规则文件有 {size:,} 字节，最多 {most:,}"
                      "（规则集只是一页 YAML：文件选对了吗？）"),
    "sheet-headers": ("{path} sheet {sheet!r}: {problems}", "{path} 工作表“{sheet}”：{problems}"),
    "and": ("; ", "；"),
    "or": (" or ", " 或 "),
    "limit-name": ("--limit {item!r}: there is no limit named {name!r}; the limits are {names} "
                   "(e.g. --limit cells=60000000)",
                   "--limit {item}：没有名为“{name}”的限制；可用的限制有 {names}"
                   "（例如 --limit cells=60000000）"),
    "limit-value": ("--limit {item!r}: not a whole number above 0; give one, e.g. --limit "
                    "{example}",
                    "--limit {item}：不是大于 0 的整数；请给出一个，例如 --limit {example}"),
    "limit-too-large": ("--limit {item!r}: too large; give a whole number of {most:,} or less, "
                        "e.g. --limit {example}",
                        "--limit {item}：太大；请给出不大于 {most:,} 的整数，例如 --limit {example}"),
    "span-parts": ("{count} parts", "包内有 {count} 个部件"),
    "span-member": ("{part} inflates to {mib} MiB", "部件 {part} 解压后有 {mib} MiB"),
    "span-ratio": ("{part} inflates {ratio:.0f} times", "部件 {part} 解压后膨胀 {ratio:.0f} 倍"),
    "span-total": ("the parts inflate to {mib} MiB", "各部件解压后共 {mib} MiB"),
    "span-sheet": ("sheet {sheet!r} spans {cells:,} cells", "工作表“{sheet}”的范围有 {cells:,} 个单元格"),
    "span-merged": ("the merged ranges of sheet {sheet!r} cover {cells:,} cells",
                    "工作表“{sheet}”的合并区域覆盖 {cells:,} 个单元格"),
    "zip-lies": ("the zip's directory says {part} inflates to {size:,} bytes but it inflates to "
                 "more than {bound:,} bytes; the file is crafted or damaged. Save the sheet again "
                 "from Excel", "zip 目录记载部件 {part} 解压后为 {size:,} 字节，实际却超过 {bound:,} "
                 "字节；文件是伪造或已损坏的。请在 Excel 中重新保存该表"),
}
assert not FILE_MESSAGES.keys() & CLI_MESSAGES.keys()
CLI_MESSAGES.update(FILE_MESSAGES)


# What is wrong with a rule file's content (rules.load, rules.model, rules.checks, rules.expr),
# each placed as "file:line key: message" by rule-at; key names and values stay as written
RULE_MESSAGES: dict[str, tuple[str, str]] = {
    "rule-at": ("{where}: {message}", "{where}：{message}"),
    "rule-not-mapping": ("a rule file is a mapping of keys (name:, fields:, ...)",
                         "规则文件应是键的映射（name:、fields: 等）"),
    "rule-too-deep": ("nested too deeply to read (at most {most} levels)",
                      "嵌套太深，无法读取（最多 {most} 层）"),
    "rule-expands": ("the rule file expands to {nodes:,} values {depth} levels deep (through YAML "
                     "aliases or nesting); at most {most_nodes:,} values and {most_depth} levels",
                     "规则文件展开后有 {nodes:,} 个值、{depth} 层（经 YAML 别名或嵌套）；最多 "
                     "{most_nodes:,} 个值、{most_depth} 层"),
    "rule-duplicate-key": ("duplicate key {name!r} (first at line {first}); keep one",
                           "键“{name}”重复（第一次在第 {first} 行）；只保留一个"),
    "rule-yaml-duplicate": ("{problem}; keep one", "{problem}；只保留一个"),
    "rule-bad-scalar": ("a value YAML cannot read, {value} ({error}); write it in quotes if it "
                        "is text, or correct it", "YAML 无法读取的值“{value}”（不是有效的日期或数）；"
                        "若是文本请加引号，否则请改正"),
    "rule-not-yaml": ("not valid YAML ({problem}); check this line's indent, colons, brackets "
                      "and quotes", "不是有效的 YAML；请检查这一行的缩进、冒号、括号和引号"),
    # a YAML syntax error, told by the parser's error class and where it stopped (line, column)
    "rule-yaml-structure": ("not valid YAML at column {col}{begun}: a line indented out of step "
                            "with the keys around it, or a bracket [ ] {{ }} left open or closed "
                            "twice; indent with spaces so that the keys of one level line up, "
                            "and pair every bracket (YAML: {problem})",
                            "第 {col} 列{begun}不符合 YAML 的结构：某行的缩进与同级的键没有对齐，"
                            "或括号 [ ] {{ }} 没有成对；请用空格缩进，让同一级的键对齐，并让每个"
                            "括号成对"),
    "rule-yaml-character": ("not valid YAML at column {col}{begun}: a character YAML does not "
                            "take there (a tab, text starting with @ or `, text holding ': ' or "
                            "' #', a quote left open); indent with spaces and put such text in "
                            "quotes (YAML: {problem})",
                            "第 {col} 列{begun}有 YAML 在此处不接受的字符（制表符、以 @ 或 ` 开头"
                            "的文本、含“: ”或“ #”的文本、没有闭合的引号）；请用空格缩进，并给这类"
                            "文本加上引号"),
    "rule-yaml-composer": ("not valid YAML at column {col}{begun}: a second document (---) or an "
                           "alias (*name) with no anchor (&name) before it; keep one document, "
                           "and define each anchor before its alias or write the value out "
                           "(YAML: {problem})",
                           "第 {col} 列{begun}不是有效的 YAML：有第二个文档（---），或别名（*名称）"
                           "之前没有对应的锚点（&名称）；请只保留一个文档，并先定义锚点再使用别名，"
                           "或直接写出值"),
    "rule-yaml-constructor": ("a value YAML cannot build at column {col}{begun}: a tag (!!name) "
                              "it does not know, or a merge (<<) of something that is not a "
                              "mapping; remove the tag, or put the value in quotes "
                              "(YAML: {problem})",
                              "第 {col} 列{begun}的值 YAML 无法生成：它不认识的标签（!!名称），"
                              "或合并（<<）的不是映射；请删除该标签，或给值加上引号"),
    "rule-yaml-ends": ("not valid YAML: the quote or bracket opened at column {col} is never "
                       "closed before the file ends; close it",
                       "不是有效的 YAML：第 {col} 列开始的引号或括号直到文件末尾都没有闭合；"
                       "请把它闭合"),
    "rule-yaml-control": ("not valid YAML: a control character (U+{code:04X}) YAML does not "
                          "take; delete it (a copy and paste may have brought it)",
                          "不是有效的 YAML：含有 YAML 不接受的控制字符（U+{code:04X}）；请删除它"
                          "（可能是复制粘贴带进来的）"),
    "rule-yaml-begun": (" (in the part begun at line {line})", "（在第 {line} 行开始的部分中）"),
    "rule-expected-integer": ("expected a whole number, got {shown}", "应为整数，实际为 {shown}"),
    "rule-expected-number": ("expected a number, got {shown}", "应为数字，实际为 {shown}"),
    "rule-expected-share": ("expected a share such as 20% or 0.2, got {shown}",
                            "应为比例，如 20% 或 0.2，实际为 {shown}"),
    "rule-expected-finite": ("expected a finite number, got {shown}", "应为有限的数，实际为 {shown}"),
    "rule-expected-text": ("expected text, got {shown}", "应为文本，实际为 {shown}"),
    "rule-expected-text-quote": ("expected text, got the number {shown}; put it in quotes "
                                 "('{shown}') to have it as text",
                                 "应为文本，实际为数字 {shown}；作文本请加引号（'{shown}'）"),
    "rule-expected-bool": ("expected true or false, got {shown}",
                           "应为 true 或 false，实际为 {shown}"),
    "rule-too-short": ("expected at least {least} item(s), got {shown}",
                       "至少应有 {least} 项，实际为 {shown}"),
    "rule-at-least": ("expected {bound} or more, got {shown}", "应不小于 {bound}，实际为 {shown}"),
    "rule-at-most": ("expected {bound} or less, got {shown}", "应不大于 {bound}，实际为 {shown}"),
    "rule-missing": ("is required but missing", "必须给出，但缺少"),
    "rule-unknown-key-near": ("unknown key; did you mean {near!r}? (see README: rule files)",
                              "未知的键；是不是“{near}”？（见 README：规则文件）"),
    "rule-unknown-key": ("unknown key; check the spelling (see README: rule files)",
                         "未知的键；请检查拼写（见 README：规则文件）"),
    "rule-expected": ("expected {expected}, got {shown}", "应为 {expected}，实际为 {shown}"),
    # a key that takes either of two kinds (a number or text): one message, not one per kind
    "rule-expected-kinds": ("expected {kinds}, got {shown}", "应为{kinds}，实际为 {shown}"),
    "rule-either": ("{a} or {b}", "{a}或{b}"),
    "rule-kind-number": ("a number", "数字"), "rule-kind-integer": ("a whole number", "整数"),
    "rule-kind-text": ("text", "文本"), "rule-kind-bool": ("true or false", "true 或 false"),
    "rule-unknown-kind": ("unknown kind {tag!r}; expected {expected}",
                          "未知的 kind“{tag}”；应为 {expected}"),
    "rule-needs-kind": ("needs a kind: (weighted, target, incident, raters, ratio, levels or "
                        "formula)", "需要 kind:（weighted、target、incident、raters、ratio、levels "
                        "或 formula）"),
    "rule-type": ("{msg}, got {shown}", "{zh}，实际为 {shown}"),
    # rules.model
    "rule-min-above-max": ("min {low} is above max {high}", "min {low} 大于 max {high}"),
    "rule-percent-fractions": ("percent limits are fractions: write max: 1 for 100%",
                               "百分比的上下限写成小数：100% 写作 max: 1"),
    "rule-default-not-number": ("default {value!r} is not a number", "default“{value}”不是数字"),
    "rule-default-not-finite": ("default {value!r}: expected a finite number",
                                "default“{value}”：应为有限的数"),
    "rule-weights-sum": ("weights sum to {total:.4g}, not 100%; fix them or set check_sum: false",
                         "权重合计为 {total:.4g}，不是 100%；请改正，或设 check_sum: false"),
    "rule-quotas-or-cascade": ("give either quotas or cascade", "quotas 与 cascade 只给一个"),
    "rule-quota-table": ("quota table {name!r}: ", "配额表“{name}”："),
    "rule-one-rest": ("{where}only one grade may take the rest, got {rest}",
                      "{where}只能有一个等级取余下的名额（rest），实际为 {rest}"),
    "rule-shares-over": ("{where}shares add up to {total:.0%}, over 100%",
                         "{where}比例合计 {total:.0%}，超过 100%"),
    "rule-shares-under": ("{where}shares add up to {total:.0%}, not 100%; fix them or give one "
                          "grade 'rest'", "{where}比例合计 {total:.0%}，不是 100%；请改正，或让一个"
                          "等级取余下的名额（rest）"),
    "rule-share-negative": ("{where}a share is negative", "{where}有比例为负数"),
    "rule-condition-one": ("a condition names either a field or grades",
                           "条件只能指定 field 或 grade 中的一个"),
    "rule-condition-test": ("condition on {field!r} needs equals, min or max",
                            "对“{field}”的条件需要 equals、min 或 max"),
    "rule-weighted-weights": ("composite: weighted needs weights (one per month)",
                              "composite: weighted 需要 weights（每月一个）"),
    "rule-points-negative": ("points per grade cannot be negative", "各等级的积分不能为负数"),
    "rule-bands-order": ("band cut-offs must run from high to low, got {numbers}",
                         "分档分数线须从高到低排列，实际为 {numbers}"),
    "rule-bands-same": ("two bands share a cut-off: {numbers}", "两个分档的分数线相同：{numbers}"),
    "rule-band-last-open": ("only the last band may leave out its cutoff",
                            "只有最后一档可以不写 cutoff"),
    # rules.checks
    "rule-needs-fields": ("a rule set needs fields (or sheets, each with fields)",
                          "规则集需要 fields（或 sheets，每张表各有 fields）"),
    "rule-fields-twice": ("give fields at the top level or under sheets, not both",
                          "fields 写在顶层或 sheets 下，不能两处都写"),
    "rule-sheet-key-twice": ("sheet key {name!r} is also the key of sheets[{other}]; keys must "
                             "differ", "表键“{name}”与 sheets[{other}] 的键相同；键必须各不相同"),
    "rule-band-cutoff": ("band {grade!r} cutoff {cutoff!r} must be a number or $param, params are "
                         "{params}", "分档“{grade}”的 cutoff“{cutoff}”须为数字或 $参数，现有参数："
                         "{params}"),
    "rule-did-you-mean": (" (did you mean {near!r}?)", "（是不是“{near}”？）"),
    "rule-unknown-field": ("names unknown field {ref!r}{hint}; fields are {fields}",
                           "指定了未知字段“{ref}”{hint}；字段有 {fields}"),
    "rule-unknown-field-short": ("names unknown field {ref!r}{hint}", "指定了未知字段“{ref}”{hint}"),
    "rule-field-result-name": ("field key {name!r} is a name the results use for their own "
                               "column; rename it (e.g. {name}_value), and keep its headers",
                               "字段键“{name}”是结果自身列的名称；请改名（如 {name}_value），表头不变"),
    "rule-item-unknown-field": ("item {item!r} uses unknown field {name!r}{hint}; fields are "
                                "{fields}", "项目“{item}”用到了未知字段“{name}”{hint}；字段有 "
                                "{fields}"),
    "rule-key-taken": ("{name!r} is already a field or item", "“{name}”已是字段或项目"),
    "rule-item-result-name": ("item key {name!r} is a name the results use for their own column; "
                              "rename it", "项目键“{name}”是结果自身列的名称；请改名"),
    "rule-unknown-name": ("names unknown {ref!r}{hint}", "指定了未知的“{ref}”{hint}"),
    "rule-target-missing": ("no target for {missing}, which field {field!r} allows; add them to "
                            "the table", "字段“{field}”允许 {missing}，但表中没有它们的目标值；"
                            "请补上"),
    "rule-target-unused": ("targets for {unused}, which field {field!r} does not allow (it allows "
                           "{allowed}); correct or remove them (a bare true or false is read as a "
                           "yes/no value: quote it)", "表中有 {unused} 的目标值，但字段“{field}”"
                           "不允许这些值（允许 {allowed}）；请改正或删除（不加引号的 true 或 false "
                           "会读作是/否值：请加引号）"),
    "rule-pay-type": ("pay field {field!r} is of type {type!r}; give it type: number",
                      "薪酬字段“{field}”的类型是“{type}”；请设 type: number"),
    "rule-pay-needs": ("pay needs band coefficients or incentives to multiply it by; add them or "
                       "remove pay", "pay 需要分档系数或激励比例与之相乘；请添加，或删除 pay"),
    "rule-scope-group": ("scope 'group' needs a group field", "scope 'group' 需要 group 字段"),
    "rule-quota-grades": ("quota table {name} names grades {unknown} that no band has; bands are "
                          "{grades}", "配额表 {name} 中的等级 {unknown} 没有对应的分档；分档有 "
                          "{grades}"),
    "rule-cap-bands": ("mode 'cap' needs bands to cap", "mode 'cap' 需要分档"),
    "rule-cascade-sheet": ("cascade sheet {sheet!r} is not another sheet here",
                           "cascade 的表“{sheet}”不是本规则集中的另一张表"),
    "rule-cascade-key": ("cascade key {name!r} is not a field of {sheet!r}",
                         "cascade 的键“{name}”不是“{sheet}”的字段"),
    "rule-cascade-grade": ("cascade table for grade {grade!r}: sheet {sheet!r} never gives it; it "
                           "gives {grades}", "等级“{grade}”的 cascade 表：表“{sheet}”从不给出此"
                           "等级；它给出 {grades}"),
    "rule-cascade-missing": ("cascade has no table for grades {missing}",
                             "cascade 缺少等级 {missing} 的表"),
    # rules.expr
    "rule-formula-long": ("formula of {length} characters; at most {most}",
                          "公式有 {length} 个字符；最多 {most} 个"),
    "rule-formula-syntax": ("formula {text!r} is not valid arithmetic: {error}",
                            "公式“{text}”不是有效的算式：{error}"),
    "rule-formula-deep": ("formula nested too deeply; at most {most} levels",
                          "公式嵌套太深；最多 {most} 层"),
    "rule-formula-nested": ("formula {text!r} is nested more than {most} levels",
                            "公式“{text}”嵌套超过 {most} 层"),
    "rule-formula-constant": ("formula {text!r}: only numbers are allowed as constants",
                              "公式“{text}”：常量只能是数字"),
    "rule-formula-name": ("formula {text!r} uses unknown name {name!r}; known: {known}",
                          "公式“{text}”用到未知名称“{name}”；已知的有：{known}"),
    "rule-formula-arity": ("formula {text!r}: {func}() takes {wanted} arguments, got {count}",
                           "公式“{text}”：{func}() 的参数应为 {wanted} 个，实际为 {count} 个"),
    "rule-or-more": ("{low} or more", "{low} 个或以上的"),
    "rule-formula-not-allowed": ("formula {text!r}: {what!r} is not allowed; use numbers, names, "
                                 "+ - * / ** %, comparisons, 'a if cond else b' and {allowed}",
                                 "公式“{text}”：不允许“{what}”；可用数字、名称、+ - * / ** %、"
                                 "比较、'a if cond else b' 以及 {allowed}"),
    "rule-formula-zero": ("formula {text!r} divides by zero", "公式“{text}”除以零"),
    "rule-formula-zero-power": ("formula {text!r}: 0 to a negative power",
                                "公式“{text}”：0 的负数次幂"),
    "rule-formula-power": ("formula {text!r}: a power of at most {most} is allowed for numbers "
                           "written in the formula", "公式“{text}”：公式中直接写出的数，幂次最多为 "
                           "{most}"),
}
assert not RULE_MESSAGES.keys() & CLI_MESSAGES.keys()
CLI_MESSAGES.update(RULE_MESSAGES)
# pydantic's words for a value of the wrong shape (rule-type), in Chinese
RULE_TYPES_ZH = {"dict_type": "应为映射（键: 值）", "model_type": "应为映射（键: 值）",
                 "model_attributes_type": "应为映射（键: 值）", "list_type": "应为列表"}

def cli_message(key: str, lang: str = "en", **values: object) -> str:
    """One of the command line's own messages in `lang` (en or zh), filled in."""
    return CLI_MESSAGES[key][1 if lang == "zh" else 0].format(**values)


def os_error(ex: OSError, lang: str = "en") -> str:
    """A file-system error as a plain sentence: the path, what happened, what to do."""
    where = cli_message("at-path", lang, path=ex.filename) if ex.filename else ""
    if ex.errno == errno.ENAMETOOLONG:
        return cli_message("name-too-long", lang, where=where)
    return cli_message("cannot-write", lang, where=where, why=ex.strerror or ex)
