"""Write the example workbooks in examples/ the way a branch clerk lays them out.

Each has a title block above the header, Chinese headers, a few blank cells, one bad row,
and most a totals row. Run `python examples/make_examples.py` to write them again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import xlsxwriter

HERE = Path(__file__).parent


def write_sheet(wb: Any, name: str, title: str, headers: list[str], rows: list[list[Any]],
                percent_cols: tuple[int, ...] = (), totals: list[Any] | None = None) -> None:
    ws = wb.add_worksheet(name)
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    pct = wb.add_format({"num_format": "0.00%"})
    ws.write(0, 0, title, bold)
    ws.write(1, 0, "填报单位：市场部    填报人：张敏    日期：2026-11-05")
    ws.write_row(3, 0, headers, head)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            if value is None:
                continue
            ws.write(r, c, value, pct if c in percent_cols and isinstance(value, float) else None)
    if totals:
        ws.write_row(4 + len(rows), 0, totals, head)
    ws.set_column(0, len(headers), 14)


def tiered_service(path: Path) -> None:
    """R1: 12 account managers in 4 centers; E012's 93 is a bare number (rejected)."""
    headers = ["工号", "客户经理", "中心", "集团类型", "客户经理知晓率", "客户经理满意率",
               "优惠活动知晓率", "网络弱覆盖次数", "业务办理超时次数", "备注"]
    rows = [
        ["E001", "蔡慧倩", "要客", "百强", 0.95, 0.88, 1.0, None, None, None],
        ["E002", "陈迪", "要客", "A类", 0.88, 0.84, 1.0, 1, None, None],
        ["E003", "段太琴", "要客", "B类", "90%", 0.80, 0.75, 0, 2, "知晓率为手填"],
        ["E004", "刘超", "新繁", "C类", 0.80, 0.80, 0.70, 6, None, None],
        ["E005", "舒飞", "新繁", "A类", 0.905, 0.835, 0.95, None, 1, None],
        ["E006", "吴婷婷", "新繁", "百强", 0.85, 0.70, 0.60, 3, 12, "新入职"],
        ["E007", "何云龙", "桂湖", "B类", 0.88, 0.82, 0.80, None, None, None],
        ["E008", "谭琪琪", "桂湖", "C类", 0.87, 0.79, 0.70, 1, None, None],
        ["E009", "王萍", "桂湖", "A类", 0.899, 0.84, 1.0, None, None, None],
        ["E010", "黄磊", "大丰", "百强", 0.93, 0.86, 1.0, 0, 0, None],
        ["E011", "曾茗霞", "大丰", "B类", "86%", 0.82, 0.80, 2, None, None],
        ["E012", "李由", "大丰", "A类", 93, 0.85, 1.0, None, None, "知晓率漏了%"],
    ]
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        write_sheet(wb, "10月考核", "2026年10月 集团客户分层分级服务考核表", headers, rows,
                    percent_cols=(4, 5, 6), totals=["合计", "", "", "", "", "", "", 13, 15, ""])


EXAMPLES = {"tiered-service.xlsx": tiered_service}


def main(names: list[str]) -> None:
    for name, make in EXAMPLES.items():
        if not names or name in names:
            make(HERE / name)
            print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
