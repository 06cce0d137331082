"""The terminal frame around the messages follows --lang (issue 14): Chinese under zh, and the
English output exactly as it was."""

import re

from conftest import EXAMPLES, cli

GAS = EXAMPLES / "gas-service-center.xlsx"
TIERED = EXAMPLES / "tiered-service.xlsx"
ENGLISH = re.compile(r"\b(rows?|errors?|warnings?|notices?|valid|invalid|total|written|rejected|"
                     r"ranked|read|severity|sheet|cell|header|value|code|message|grades?|group|"
                     r"table|distribution|quotas?|steps|number|more|shown|rule set)\b")


def english_words(output: str, *paths: object) -> list[str]:
    """English words left once identifiers are taken out: issue codes and rule-set names
    (kebab-case), options (--max-issues) and the files named."""
    for path in paths:
        output = output.replace(str(path), "")
    output = re.sub(r"--[a-z-]+", "", output)
    output = re.sub(r"\b[a-z]+(?:-[a-z]+)+\b", "", output)
    return ENGLISH.findall(output) + re.findall(r"[A-Za-z]{3,}", output)


def test_validate_table_verdict_and_total_in_chinese():
    result = cli("validate", GAS, TIERED, "--lang", "zh", "--max-issues", "2")
    assert result.exit_code == 1
    out = result.stdout
    assert re.search(r"级别\s*┃\s*工作表\s*┃\s*单元格\s*┃\s*表头\s*┃\s*值\s*┃\s*代码\s*┃\s*说明", out)
    assert "│ 错误 │" in out and "type-error" in out  # codes stay identifiers
    assert "“月度考核得分”应为数字，实际为“八十”" in out
    assert "… 另有 2 个问题未列出（1 个错误、1 个提示）；调大 --max-issues 可全部列出" in out
    assert f"{GAS}：未通过 — 28 行（另有 1 行不是人员，未计入）、3 个错误、0 个警告、1 个提示（规则集 " \
        "gas-service-center）" in out
    assert out.splitlines()[-1] == \
        "合计：2 个文件，未通过 2 个 — 40 行、4 个错误、2 个警告、5 个提示"
    assert english_words(out, GAS, TIERED) == []


def test_validate_in_english_is_unchanged():
    out = cli("validate", GAS, TIERED, "--lang", "en", "--max-issues", "2").stdout
    assert re.search(r"severity\s*┃\s*sheet\s*┃\s*cell\s*┃\s*header\s*┃\s*value\s*┃\s*code\s*┃"
                     r"\s*message", out)
    assert "│ error    │" in out and "must be a number, got '八十'" in out
    assert "… 2 more issues not shown (1 error, 1 notice); raise --max-issues to see them " \
        "(all are counted)" in out
    assert f"{GAS}: invalid — 28 rows (and 1 left out: not people), 3 errors, 0 warnings, " \
        "1 notice (rule set gas-service-center)" in out  # rank: 29 rows read, 1 left out
    assert out.splitlines()[-1] == \
        "total: 2 files, 2 invalid — 40 rows, 4 errors, 2 warnings, 5 notices"


def test_rank_summary_in_chinese(tmp_path):
    out_file = tmp_path / "g.xlsx"
    result = cli("rank", GAS, "-o", out_file, "--lang", "zh")
    assert result.exit_code == 1
    out = result.stdout
    assert f"{GAS} — 规则集 gas-service-center（按表头匹配）" in out
    assert "  工作表“员工”，表头在第 4 行：读取 24 行，排名 20 人，未通过校验 3 行，" \
        "非人员 1 行（未计入）" in out
    assert "  等级：A+ 4 人、A 5 人、B 9 人、C 1 人、C- 1 人" in out
    assert "按分公司分别分配等级" in out and "各等级：实际人数/名额" in out
    assert re.search(r"分组\s*┃\s*人数\s*┃\s*配额表", out)
    assert "按“主管”等级 A+ 的配额表" in out and "“主管”表中没有对应行：本组未通过校验" in out
    assert "不足 5 人：仅按分档评定" in out
    assert "  未通过校验 D22 “月度考核得分”应为数字" in out
    assert "  提示：head-without-group ×2，non-person-rows ×1，small-group ×1" in out
    assert f"  已写出：{out_file}" in out
    assert english_words(out, GAS, out_file) == []


def test_rank_summary_in_english_is_unchanged(tmp_path):
    out_file = tmp_path / "g.xlsx"
    out = cli("rank", GAS, "-o", out_file, "--lang", "en").stdout
    assert f"{GAS} — rule set gas-service-center (matched by headers)" in out
    assert "  sheet '员工', header row 4: 24 rows read, 20 ranked, 3 rejected, 1 left out (not " \
        "people)" in out
    assert "  grades: A+ 4, A 5, B 9, C 1, C- 1" in out
    assert "distribution within each branch" in out
    assert "per grade: actual/quota head count (ties at a cut-off can move it)" in out
    assert "supervisors grade A+" in out and "no head row: rejected" in out
    assert "fewer than 5: bands only" in out
    assert "  rejected D22 月度考核得分 must be a number" in out
    assert "  notices: head-without-group ×2, non-person-rows ×1, small-group ×1" in out
    assert f"  written: {out_file}" in out


def test_rank_dry_run_of_a_whole_sheet_in_chinese(tmp_path):
    out = cli("rank", TIERED, "-o", tmp_path / "t.xlsx", "--lang", "zh", "--dry-run").stdout
    assert "试运行：未写出文件" in out
    assert english_words(out, TIERED) == []


def test_explain_in_chinese_and_english():
    zh = cli("explain", GAS, "X08", "--lang", "zh")
    assert zh.exit_code == 1
    assert zh.stdout.splitlines()[1:] == [
        "推导过程：", "  1. 第 22 行未参与排名：D22 “月度考核得分”应为数字，实际为“八十”；请修改该单元格"]
    assert english_words(zh.stdout, GAS) == []
    en = cli("explain", GAS, "X08", "--lang", "en")
    assert en.stdout.splitlines()[1:] == [
        "steps:", "  1. row 22 is rejected, not ranked: D22 月度考核得分 must be a number, got "
        "'八十'; correct the cell"]
    ranked = cli("explain", TIERED, "E001", "--lang", "zh").stdout
    assert "推导过程：" in ranked and english_words(ranked, TIERED) == []


def test_rank_combined_in_chinese_names_the_other_file_in_chinese(tmp_path):
    sheets = [EXAMPLES / f"ambassador-2026-0{m}.xlsx" for m in (1, 2)]
    combined = tmp_path / "all.xlsx"
    out = cli("rank", *sheets, "--out-dir", tmp_path / "each", "--combined", combined,
              "--lang", "zh").stdout
    assert "规则集 ambassador-circle（按表头匹配，所有表一并排名）" in out
    assert "“工号”的值“A001”与第 5 行（ambassador-2026-01.xlsx）重复" in out
    assert f"已写出：{combined}" in out
    en = cli("rank", *sheets, "--out-dir", tmp_path / "each-en", "--combined", tmp_path / "en.xlsx",
             "--lang", "en").stdout
    assert "rule set ambassador-circle (matched by headers, all sheets together)" in en
    assert "'A001' already appears in row 5 of ambassador-2026-01.xlsx" in en


def test_no_matching_rule_set_is_said_in_chinese():
    sheet = EXAMPLES / "ambassador-appeal.csv"
    zh = " ".join(cli("validate", sheet, "--lang", "zh").stderr.split())
    assert "没有与此表表头相符的内置规则集。最接近的是 ambassador-circle：第 1–2 行表头中有 " \
        "工号、满意度得分（共 9 个字段，对上 2 个）；缺少 服务中心、客诉控制得分；请用 --rules 指定规则" in zh
    en = " ".join(cli("validate", sheet, "--lang", "en").stderr.split())
    assert "no shipped rule set matches this sheet's headers. Closest: ambassador-circle, header " \
        "row 1–2 matches 工号, 满意度得分 (2 of 9 fields); missing 服务中心, 客诉控制得分; pass " \
        "--rules (shipped: account-manager-levels, " in en


def test_usage_errors_of_rank_in_chinese(tmp_path):
    zh = cli("rank", GAS, "-o", tmp_path / "x.txt", "--lang", "zh")
    assert zh.exit_code == 2 and "x.txt：请用 .xlsx、.csv 或 .json 文件名" in zh.stderr
    zh = cli("rank", GAS, TIERED, "-o", tmp_path / "x.xlsx", "--lang", "zh")
    assert "--out 只能用于一张表；多张表请用 --out-dir 文件夹" in zh.stderr
    en = cli("rank", GAS, "-o", tmp_path / "x.txt", "--lang", "en")
    assert "x.txt: use a .xlsx, .csv or .json file name" in en.stderr


def test_rules_show_in_chinese_keeps_only_the_rule_files_own_words():
    """`rules show --lang zh`: the words around the rule file's keys and values are Chinese;
    none of the English text of the catalogue is left (its fragments between placeholders)."""
    from svcperf.i18n import SHOWN, TEMPLATE
    from svcperf.rules.load import shipped_rule_files

    fragments = {part.strip(" (),:;.") for en, _ in SHOWN.values()
                 for part in re.split(r"\{[a-z_]+\}", en)} | set(TEMPLATE["en"].values())
    # several words (one word may be a key or value of the rule file: group, points, rest)
    phrases = {f for f in fragments if re.search(r"[a-z]{2,} [a-z]{2,}", f)}
    titles = {SHOWN[k][0] for k in ("show-fields", "show-items", "show-bands", "show-quotas")}
    assert {"what to enter", "sum of items", "all tied people get the better grade"} <= phrases
    for path in shipped_rule_files():
        zh = cli("rules", "show", path.stem, "--lang", "zh")
        en = cli("rules", "show", path.stem)
        assert zh.exit_code == en.exit_code == 0, zh.output
        left = sorted(f for f in phrases if f in zh.stdout)
        assert not left, (path.stem, left)
        lines = {line.strip() for line in zh.stdout.splitlines()}
        assert not titles & lines and "字段" in lines and "fields" in en.stdout
        assert "得分 = " in zh.stdout
