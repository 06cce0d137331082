"""Write the sheet-layout corpus in tests/data/layouts/: sheets laid out as branch clerks make them.

Run `python tests/data/layouts/make_layouts.py` to write every file again (LibreOffice makes the
.xls and .ods variants; `--no-convert` skips them). The expected results are in expected.json,
worked out by hand from the rule sets (see README.md); nothing here computes a score.

One line per layout, [rule set]:

  instructions-first.xlsx [R1]: 填表说明 first (header + a 示例 row E0000), data sheet second, 6 people
  sheet-per-centre.xlsx [R1]: one sheet per centre (城东/城西/城北中心), same header, 10 people in all
  subtotals.xlsx [R4]: "城东中心 小计" rows (merged A:C) and a 平均分 row, all holding averages
  subtotals.xls [R4]: subtotals.xlsx saved as .xls by LibreOffice
  subtotals-county.xlsx [R5]: "金牛区 小计" rows (merged A:B, county kept) in each county; 平均分 row
  subtotals-r1.xlsx [R1]: "城东中心 小计" rows merged over A:D (averages, sums); a 平均分 row
  average-row.xlsx [R2]: a 平均 row in the 客户经理 (id) column below the people
  two-row-header.xlsx [R1]: 考核指标 over the rates, 扣分项 over the counts, left labels merged down
  two-row-header.xls [R1]: two-row-header.xlsx saved as .xls by LibreOffice
  two-row-header.ods [R1]: two-row-header.xlsx saved as .ods by LibreOffice
  two-row-header-unmerged.xlsx [R1]: the same after 取消合并: labels in the top cell only
  two-row-header-marked.xlsx [R1]: two-row header with required markers *工号 and ※中心
  noise-footer.xlsx [R1]: a "合　计" row (full-width space), a blank row, 制表人/审核人/日期 cells
  serial-only.xlsx [R1]: a 序号 column numbered 1..20, only rows 1..10 filled
  block-titles.xlsx [R1]: "一、城东中心" titles, repeated header rows, "合计：14人" (14 people)
  export-stamp.xlsx [R1]: "导出时间：2026-10-08 09:30" above the header, "共10条记录" below
  ids-00000.xlsx [R1]: numeric ids formatted 00000 (00121..00126) and "E"0000 (E0127, E0128)
  hidden-row.xlsx [R1]: K07 (备注 已离职) is a hidden row; still read and ranked
  percent-unit.xlsx [R1]: headers 客户经理知晓率(%) / 客户经理满意率（%） over 95, 91.5 ...
  percent-formatted.xlsx [R1]: the same headers over %-formatted fractions (0.95 shown as 95%) in
    the first two rate columns; points in the third, where E0103 typed 0.75 among 100, 95 ...
  percent-formatted.ods [R1]: percent-formatted.xlsx saved as .ods by LibreOffice (percentage cells)
  web-export.xls [R1]: an HTML table (<html><body><table>) under an .xls name, cells as text
  merged-centre.ods [R1]: 中心 merged down over each centre's people (城东 ×5, 城西 ×4)
  near-miss.xlsx [R2]: header 截至9月30日已报送 where the field is 已报 (a near miss, no alias)
  short-aliases.xlsx [R1]: headers 弱覆盖次数 and 超时次数 (short forms of the count fields)
  person-named-total.xlsx [R1]: a person named 合计 (E0108) and a real 合计 row below the table
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
STAMP = datetime(2026, 10, 8, 9, 30)  # every generated file carries this time, so reruns match
PCT = "0.0%"

# ---- R1 tiered-service: the people (inputs only; their scores are worked out in README.md) ----
R1_HEADER = ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率",
             "优惠活动知晓率", "网络弱覆盖次数", "业务办理超时次数"]
R1_RATES = (4, 5, 6)  # 0-based columns of the three percent fields
R1_PEOPLE: list[list[Any]] = [
    # 工号, 客户经理, 中心, 集团类型, 知晓率, 满意率, 优惠知晓率, 弱覆盖, 超时
    ["E0101", "王芳", "城东", "百强", 0.95, 0.88, 1.00, 0, 0],
    ["E0102", "李强", "城东", "A类", 0.88, 0.84, 1.00, 1, 0],
    ["E0103", "张敏", "城东", "B类", 0.865, 0.80, 0.75, 0, 2],
    ["E0104", "刘洋", "城西", "C类", 0.80, 0.80, 0.70, 6, 0],
    ["E0105", "陈静", "城西", "A类", 0.905, 0.835, 0.95, 0, 1],
    ["E0106", "杨帆", "城西", "百强", 0.85, 0.70, 0.60, 3, 12],
    ["E0107", "赵磊", "城北", "B类", 0.88, 0.82, 0.80, 0, 0],
    ["E0108", "黄丽", "城北", "C类", 0.87, 0.79, 0.70, 1, 0],
    ["E0109", "周杰", "城北", "A类", 0.899, 0.84, 1.00, 0, 0],
    ["E0110", "吴倩", "城北", "百强", 0.912, 0.853, 0.984, 2, 3],
    ["E0111", "孙悦", "城南", "B类", 0.90, 0.85, 0.78, 0, 0],
    ["E0112", "马超", "城南", "C类", 0.84, 0.775, 0.69, 0, 1],
    ["E0113", "朱婷", "城南", "百强", 0.93, 0.86, 1.00, 5, 0],
    ["E0114", "胡军", "城南", "A类", 0.90, 0.80, 0.96, 0, 0],
    ["E0115", "谢娜", "城北", "百强", 0.915, 0.86, 1.00, 0, 0],
]
TEN = R1_PEOPLE[:10]  # E0101..E0110 in 城东 / 城西 / 城北
CENTRES = {"城东": "一", "城西": "二", "城北": "三", "城南": "四"}
R1_TITLE = "2026年10月 集团客户分层分级服务考核表"

# ---- R2 data-submission (--month 9, target 70%) ----
R2_HEADER = ["中心", "客户经理", "A类集团数", "已报"]
R2_PEOPLE: list[list[Any]] = [
    ["城东", "蔡慧", 5, 2], ["城东", "陈迪", 3, None], ["城东", "段琴", 3, 2], ["城东", "何燕", 5, 5],
    ["城西", "赖玲", 10, 7], ["城西", "张姣", 8, 5], ["城西", "张静", 9, 7], ["城西", "刘超", 6, 5],
]

# ---- R4 ambassador-circle ----
R4_HEADER = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分", "是否持证"]
R4_PEOPLE: list[list[Any]] = [
    ["A01", "林晓", "城东中心", 95, 90, 2, "是"], ["A02", "郑敏", "城东中心", 90, 85, 0, "是"],
    ["A03", "钱多", "城东中心", 88, 92, 1, "是"], ["A04", "孔亮", "城东中心", 80, 75, 0, "否"],
    ["A05", "曹雪", "城东中心", 92, 96, -1, "是"], ["A06", "严冬", "城东中心", 70, 80, 0, "是"],
    ["A07", "华山", "城西中心", 85, 90, 0, "是"], ["A08", "金玉", "城西中心", 98, 94, 0, "是"],
    ["A09", "魏然", "城西中心", 75, 70, 3, "否"], ["A10", "陶然", "城西中心", 89, 88, 0, "是"],
    ["A11", "姜维", "城西中心", 82, 84, 0, "是"], ["A12", "戚风", "城西中心", 65, 72, -2, "是"],
]

# ---- R5 account-manager-levels ----
R5_HEADER = ["工号", "姓名", "区县", "当前级别", "年度得分"]
R5_PEOPLE: list[list[Any]] = [
    ["K01", "张伟", "金牛", "中级", 95], ["K02", "王静", "金牛", "高级", 88],
    ["K03", "李娜", "金牛", "中级", 86], ["K04", "刘涛", "金牛", "初级", 84.5],
    ["K05", "陈杰", "金牛", "中级", 79],
    ["K11", "赵敏", "武侯", "高级", 97], ["K12", "孙浩", "武侯", "高级", 93],
    ["K13", "周婷", "武侯", "中级", 90], ["K14", "吴磊", "武侯", "中级", 88],
    ["K15", "郑爽", "武侯", "初级", 85], ["K16", "冯涛", "武侯", "中级", 82],
    ["K17", "何静", "武侯", "初级", 76], ["K18", "许斌", "武侯", "中级", 72],
    ["K19", "韩雪", "武侯", "初级", 60],
]


# ---- writing helpers ----

def new_book(*titles: str) -> tuple[Workbook, list[Worksheet]]:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = titles[0]
    return wb, [first, *(wb.create_sheet(t) for t in titles[1:])]


def put_row(ws: Worksheet, r: int, values: list[Any], pct_cols: tuple[int, ...] = (),
            c0: int = 0) -> None:
    """Write `values` into row r (1-based) from column c0 (0-based); floats in pct_cols as %."""
    for c, value in enumerate(values):
        if value is None:
            continue
        cell = ws.cell(row=r, column=c0 + c + 1, value=value)
        if c in pct_cols and isinstance(value, float | int) and not isinstance(value, bool):
            cell.number_format = PCT


def put_rows(ws: Worksheet, r: int, rows: list[list[Any]], pct_cols: tuple[int, ...] = ()) -> int:
    """Write rows from row r; returns the next free row."""
    for row in rows:
        put_row(ws, r, row, pct_cols)
        r += 1
    return r


def mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4)


def save(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps (document properties and zip entries): reruns give the same bytes."""
    wb.properties.creator = "make_layouts.py"
    wb.properties.created = STAMP
    buf = io.BytesIO()
    wb.save(buf)
    stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)


def r1_sheet(ws: Worksheet, people: list[list[Any]], title: str = R1_TITLE,
             header: list[str] = R1_HEADER) -> int:
    """Title in row 1, header in row 2, the people below; returns the next free row."""
    ws["A1"] = title
    put_row(ws, 2, header)
    return put_rows(ws, 3, people, R1_RATES)


def r1_book(path: Path, people: list[list[Any]], header: list[str] = R1_HEADER) -> None:
    wb, (ws,) = new_book("10月考核")
    r1_sheet(ws, people, header=header)
    save(wb, path)


# ---- the layouts ----

def instructions_first(path: Path) -> None:
    wb, (notes, data) = new_book("填表说明", "10月考核")
    lines = ["填表说明", "1. 每位客户经理一行，工号必填且不得重复。",
             "2. 三项知晓率/满意率按百分比填写（如 93%）。",
             "3. 扣分项无则填 0 或留空。", "4. 填写示例如下（请勿在本页填写数据）："]
    for r, line in enumerate(lines, start=1):
        notes.cell(row=r, column=1, value=line)
    put_row(notes, 7, R1_HEADER)
    put_row(notes, 8, ["E0000", "张三（示例）", "城东", "A类", 0.90, 0.85, 1.00, 0, 0], R1_RATES)
    r1_sheet(data, R1_PEOPLE[:6])
    save(wb, path)


def sheet_per_centre(path: Path) -> None:
    centres = ["城东", "城西", "城北"]
    wb, sheets = new_book(*(f"{c}中心" for c in centres))
    for ws, centre in zip(sheets, centres, strict=True):
        r1_sheet(ws, [p for p in TEN if p[2] == centre], title=f"{centre}中心 10月考核")
    save(wb, path)


def subtotal_values(people: list[list[Any]], width: int) -> list[Any]:
    """An R1 小计 / 平均分 row's numbers: the rates averaged, the counts summed."""
    row: list[Any] = [None] * width
    for c in R1_RATES:
        row[c] = mean([p[c] for p in people])
    row[7] = sum(p[7] for p in people)
    row[8] = sum(p[8] for p in people)
    return row


def subtotals_r1(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    r = r1_sheet(ws, [])
    for centre in ("城东", "城西", "城北"):
        block = [p for p in TEN if p[2] == centre]
        r = put_rows(ws, r, block, R1_RATES)
        put_row(ws, r, subtotal_values(block, 9), R1_RATES)
        ws.cell(row=r, column=1, value=f"{centre}中心 小计")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        r += 1
    put_row(ws, r, subtotal_values(TEN, 9), R1_RATES)
    ws.cell(row=r, column=1, value="平均分")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    save(wb, path)


def subtotals(path: Path) -> None:
    """R4, 12 people: the 小计 and 平均分 rows hold averages, all inside the fields' ranges."""
    wb, (ws,) = new_book("10月考核")
    ws["A1"] = "2026年10月 服务大使月度考核"
    put_row(ws, 2, R4_HEADER)
    r = 3
    for centre in ("城东中心", "城西中心"):
        block = [p for p in R4_PEOPLE if p[2] == centre]
        r = put_rows(ws, r, block)
        put_row(ws, r, [f"{centre} 小计", None, None, *(round(sum(p[c] for p in block) / len(block), 2)
                                                       for c in (3, 4, 5))])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        r += 1
    put_row(ws, r, ["平均分", None, None, *(round(sum(p[c] for p in R4_PEOPLE) / len(R4_PEOPLE), 2)
                                         for c in (3, 4, 5))])
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    save(wb, path)


def subtotals_county(path: Path) -> None:
    """R5: each county's 小计 row keeps the county, so a reader that ranks it changes N there."""
    wb, (ws,) = new_book("年度评定")
    ws["A1"] = "2026年 客户经理分级评定"
    put_row(ws, 2, R5_HEADER)
    r = 3
    for county in ("金牛", "武侯"):
        block = [p for p in R5_PEOPLE if p[2] == county]
        r = put_rows(ws, r, block)
        put_row(ws, r, [f"{county}区 小计", None, county, None,
                        round(sum(p[4] for p in block) / len(block), 2)])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        r += 1
    put_row(ws, r, ["平均分", None, None, None, round(sum(p[4] for p in R5_PEOPLE) / len(R5_PEOPLE), 2)])
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    save(wb, path)


def average_row(path: Path) -> None:
    wb, (ws,) = new_book("报送情况")
    ws["A1"] = "集团基础资料报送情况（截至9月30日）"
    put_row(ws, 2, R2_HEADER)
    r = put_rows(ws, 3, R2_PEOPLE)
    put_row(ws, r, [None, "平均", 6, 4])  # the clerk's ROUND(AVERAGE(...), 0): whole numbers
    save(wb, path)


def near_miss(path: Path) -> None:
    wb, (ws,) = new_book("报送情况")
    ws["A1"] = "集团基础资料报送情况"
    put_row(ws, 2, ["中心", "客户经理", "A类集团数", "截至9月30日已报送"])
    put_rows(ws, 3, R2_PEOPLE)
    save(wb, path)


def two_row_header_sheet(ws: Worksheet, labels: dict[str, str], merged: bool = True) -> None:
    """Row 1 title; rows 2-3 the header: 考核指标 over the rates, 扣分项 over the counts."""
    ws["A1"] = R1_TITLE
    left = [labels.get(h, h) for h in R1_HEADER[:4]]
    put_row(ws, 2, [*left, "考核指标", None, None, "扣分项", None])
    put_row(ws, 3, R1_HEADER[4:], c0=4)
    if merged:
        for c in range(1, 5):
            ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
        ws.merge_cells("E2:G2")
        ws.merge_cells("H2:I2")
    put_rows(ws, 4, TEN, R1_RATES)


def two_row_header(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    two_row_header_sheet(ws, {})
    save(wb, path)


def two_row_header_unmerged(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    two_row_header_sheet(ws, {}, merged=False)
    save(wb, path)


def two_row_header_marked(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    two_row_header_sheet(ws, {"工号": "*工号", "中心": "※中心"})
    save(wb, path)


def noise_footer(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    r = r1_sheet(ws, TEN)
    put_row(ws, r, ["合　计", None, None, None, None, None, None,
                    sum(p[7] for p in TEN), sum(p[8] for p in TEN)])
    put_row(ws, r + 2, ["制表人：张三", None, None, "审核人：李四", None, None, "日期：2026-10-08"])
    save(wb, path)


def serial_only(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    ws["A1"] = R1_TITLE
    put_row(ws, 2, ["序号", *R1_HEADER])
    for n in range(1, 21):
        ws.cell(row=2 + n, column=1, value=n)
        if n <= len(TEN):
            put_row(ws, 2 + n, TEN[n - 1], R1_RATES, c0=1)
    save(wb, path)


def block_titles(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    r = r1_sheet(ws, [])
    for i, (centre, numeral) in enumerate(CENTRES.items()):
        if i:  # the header is repeated above every block after the first (pasted in)
            put_row(ws, r, R1_HEADER)
            r += 1
        ws.cell(row=r, column=1, value=f"{numeral}、{centre}中心")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
        r = put_rows(ws, r + 1, [p for p in R1_PEOPLE[:14] if p[2] == centre], R1_RATES)
    ws.cell(row=r, column=1, value="合计：14人")
    save(wb, path)


def export_stamp(path: Path) -> None:
    wb, (ws,) = new_book("导出数据")
    r = r1_sheet(ws, TEN, title="导出时间：2026-10-08 09:30")
    ws.cell(row=r, column=1, value=f"共{len(TEN)}条记录")
    save(wb, path)


def ids_00000(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    people = R1_PEOPLE[:8]
    r1_sheet(ws, [[None, *p[1:]] for p in people])
    for i in range(len(people)):
        cell = ws.cell(row=3 + i, column=1, value=121 + i)
        cell.number_format = "00000" if i < 6 else '"E"0000'
    save(wb, path)


def hidden_row(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    people = [[f"K{i + 1:02d}", *p[1:], "已离职" if i == 6 else None]
              for i, p in enumerate(R1_PEOPLE[:8])]
    r1_sheet(ws, people, header=[*R1_HEADER, "备注"])
    ws.row_dimensions[3 + 6].hidden = True
    save(wb, path)


def percent_unit(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    header = [*R1_HEADER[:4], "客户经理知晓率(%)", "客户经理满意率（%）", "优惠活动知晓率(%)", *R1_HEADER[7:]]
    people = [[*p[:4], *(round(p[c] * 100, 1) for c in R1_RATES), *p[7:]]
              for p in [*R1_PEOPLE[:8], R1_PEOPLE[14]]]
    ws["A1"] = R1_TITLE
    put_row(ws, 2, header)
    put_rows(ws, 3, [[int(v) if isinstance(v, float) and v.is_integer() else v for v in p]
                     for p in people])
    save(wb, path)


def percent_formatted(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    header = [*R1_HEADER[:4], "客户经理知晓率(%)", "客户经理满意率（%）", "优惠活动知晓率(%)", *R1_HEADER[7:]]
    people = [[*p[:6], p[6] if p[0] == "E0103" else round(p[6] * 100, 1), *p[7:]]
              for p in [*R1_PEOPLE[:8], R1_PEOPLE[14]]]
    ws["A1"] = R1_TITLE
    put_row(ws, 2, header)
    put_rows(ws, 3, people, R1_RATES[:2])
    save(wb, path)


def web_export(path: Path) -> None:
    def cells(tag: str, row: list[Any]) -> str:
        return "<tr>" + "".join(f"<{tag}>{'' if v is None else v}</{tag}>" for v in row) + "</tr>"

    body = "\n".join([cells("th", R1_HEADER), *(cells("td", p) for p in R1_PEOPLE[:8])])
    path.write_text(
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "<title>考核数据导出</title></head>\n"
        f'<body>\n<table border="1">\n{body}\n</table>\n</body>\n</html>\n', encoding="utf-8")


def merged_centre(path: Path) -> None:
    """The .xlsx that LibreOffice turns into merged-centre.ods (not kept itself)."""
    wb, (ws,) = new_book("10月考核")
    people = [[p[0], p[1], None, *p[3:]] for p in R1_PEOPLE[:9]]
    r1_sheet(ws, people)
    ws["C3"] = "城东"
    ws.merge_cells("C3:C7")
    ws["C8"] = "城西"
    ws.merge_cells("C8:C11")
    save(wb, path)


def short_aliases(path: Path) -> None:
    r1_book(path, TEN, header=[*R1_HEADER[:7], "弱覆盖次数", "超时次数"])


def person_named_total(path: Path) -> None:
    wb, (ws,) = new_book("10月考核")
    people = [[*p[:1], "合计", *p[2:]] if p[0] == "E0108" else p for p in R1_PEOPLE[:8]]
    r = r1_sheet(ws, people)
    put_row(ws, r, ["合计", None, None, None, None, None, None,
                    sum(p[7] for p in people), sum(p[8] for p in people)])
    save(wb, path)


Builder = Callable[[Path], None]

# files written directly (openpyxl, or plain text for the HTML one)
DIRECT: dict[str, Builder] = {
    "instructions-first.xlsx": instructions_first,
    "sheet-per-centre.xlsx": sheet_per_centre,
    "subtotals.xlsx": subtotals,
    "subtotals-county.xlsx": subtotals_county,
    "subtotals-r1.xlsx": subtotals_r1,
    "average-row.xlsx": average_row,
    "two-row-header.xlsx": two_row_header,
    "two-row-header-unmerged.xlsx": two_row_header_unmerged,
    "two-row-header-marked.xlsx": two_row_header_marked,
    "noise-footer.xlsx": noise_footer,
    "serial-only.xlsx": serial_only,
    "block-titles.xlsx": block_titles,
    "export-stamp.xlsx": export_stamp,
    "ids-00000.xlsx": ids_00000,
    "hidden-row.xlsx": hidden_row,
    "percent-unit.xlsx": percent_unit,
    "percent-formatted.xlsx": percent_formatted,
    "web-export.xls": web_export,
    "near-miss.xlsx": near_miss,
    "short-aliases.xlsx": short_aliases,
    "person-named-total.xlsx": person_named_total,
}
# files LibreOffice converts: output name -> the .xlsx builder it is converted from
CONVERTED: dict[str, Builder] = {
    "subtotals.xls": subtotals,
    "two-row-header.xls": two_row_header,
    "two-row-header.ods": two_row_header,
    "percent-formatted.ods": percent_formatted,
    "merged-centre.ods": merged_centre,
}


def file_names() -> list[str]:
    """Every file the script writes, without writing anything."""
    return sorted([*DIRECT, *CONVERTED])


def convert(xlsx: Path, suffix: str, out_dir: Path, work: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed for the .xls and .ods files")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
                    "--convert-to", suffix, "--outdir", str(out_dir), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    out = out_dir / f"{xlsx.stem}.{suffix}"
    if not out.exists():
        raise SystemExit(f"LibreOffice did not write {out}")
    return out


def build(out_dir: Path = HERE, converted: bool = True) -> list[Path]:
    """Write the corpus into out_dir; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in DIRECT.items():
        builder(out_dir / name)
        written.append(out_dir / name)
    if converted:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for name, builder in CONVERTED.items():
                source = work / "src" / f"{Path(name).stem}.xlsx"
                source.parent.mkdir(exist_ok=True)
                builder(source)
                written.append(convert(source, Path(name).suffix[1:], out_dir, work))
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out-dir", type=Path, default=HERE)
    parser.add_argument("--no-convert", action="store_true", help="skip the LibreOffice files")
    args = parser.parse_args(argv)
    for path in build(args.out_dir, converted=not args.no_convert):
        print(path.name)


if __name__ == "__main__":
    main(sys.argv[1:])
