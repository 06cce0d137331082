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


def tiered_service(path: Path, pay: bool = False) -> None:
    """R1: 12 account managers in 4 centers; E012's 93 is a bare number (rejected).

    With `pay`, a 月度薪酬 column (the month's pay) before 备注; E009's is blank."""
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
    totals = ["合计", "", "", "", "", "", "", 13, 15, ""]
    if pay:
        headers.insert(9, "月度薪酬")
        for row, amount in zip(rows, TIERED_PAY, strict=True):
            row.insert(9, amount)
        totals.insert(9, sum(a for a in TIERED_PAY if a is not None))
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        write_sheet(wb, "10月考核", "2026年10月 集团客户分层分级服务考核表", headers, rows,
                    percent_cols=(4, 5, 6), totals=totals)


# 月度薪酬 of E001..E012: 6789.5 × 5% = 339.475 and 8650.3 × 3% = 259.509 test the cents
TIERED_PAY = [6789.5, 7200, 5400, 6100, 8650.3, 5900, 6400, 7000, None, 9200, 5600, 6000]


SEED_001_TABLE = [  # 集团基础资料报送情况, as printed in seed 001 (blank 已报 = none yet)
    ("要客", "蔡慧倩", 5, 2), ("要客", "陈迪", 3, None), ("要客", "段太琴", 3, 2),
    ("要客", "何晓燕", 5, 5), ("要客", "赖维玲", 2, 2), ("要客", "张姣", 8, 5),
    ("要客", "张静", 9, 5), ("新繁", "刘超", 3, 2), ("新繁", "舒飞", 1, None),
    ("新繁", "吴婷婷", 3, 2), ("泰兴", "李华艳", 2, 2), ("石板滩", "刘斌", 1, 1),
    ("三河", "付小凤", 2, None), ("三河", "曾俊韬", 2, None), ("木兰", "黄秀艺", 3, 3),
    ("龙桥", "郜静", 2, 2), ("龙桥", "亢寒", 3, 1), ("军屯", "蒋莉丽", 6, 3),
    ("桂湖", "何云龙", 10, 4), ("桂湖", "谭琪琪", 4, 2), ("桂湖", "王萍", 1, 1),
    ("桂湖", "熊丽", 5, 1), ("大丰", "黄磊", 5, 3), ("大丰", "曾茗霞", 4, 1),
    ("斑竹园", "李由", 6, 3), ("SA", "余锐", 1, None),
]


def data_submission(path: Path) -> None:
    """R2: seed 001's table, with the clerk's 占比 formula column and the 总计 row."""
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        ws = wb.add_worksheet("报送情况")
        pct = wb.add_format({"num_format": "0.00%"})
        head = wb.add_format({"bold": True, "border": 1})
        ws.write(0, 0, "集团基础资料报送情况", wb.add_format({"bold": True, "font_size": 14}))
        ws.write_row(1, 0, ["中心", "客户经理", "A类集团数", "已报", "占比"], head)
        for r, (center, name, groups, done) in enumerate(SEED_001_TABLE, start=2):
            ws.write_row(r, 0, [center, name, groups])
            if done is not None:
                ws.write_number(r, 3, done)
            ws.write_formula(r, 4, f"=IF(C{r + 1}=0,0,D{r + 1}/C{r + 1})", pct,
                             (done or 0) / groups)
        last = 2 + len(SEED_001_TABLE)
        ws.write_row(last, 0, ["", "总计"], head)
        ws.write_formula(last, 2, f"=SUM(C3:C{last})", head, 99)
        ws.write_formula(last, 3, f"=SUM(D3:D{last})", head, 52)
        ws.write_formula(last, 4, f"=D{last + 1}/C{last + 1}", pct, 52 / 99)


def gas_service_center(path: Path, pay: bool = False) -> None:
    """R3: supervisors grade the branches; staff quotas follow their supervisor's grade.

    With `pay`, both sheets gain a 绩效工资基数 column (the performance pay base)."""
    supervisors = [
        ["东区", "S01", "王强", 96, 95], ["西区", "S02", "李娜", 92, 89],
        ["南区", "S03", "赵敏", 86, 85], ["北区", "S04", "周杰", 82, 79],
        ["新区", "S05", "陈晨", 70, 75],
    ]
    staff = [
        *[["东区", f"D{i:02d}", n, s] for i, (n, s) in enumerate(
            [("刘一", 98), ("陈二", 95), ("张三", 95), ("李四", 93), ("王五", 90),
             ("赵六", 88), ("孙七", 85), ("周八", 84), ("吴九", 80), ("郑十", 76)], start=1)],
        *[["西区", f"X{i:02d}", n, s] for i, (n, s) in enumerate(
            [("钱甲", 91), ("冯乙", 89), ("褚丙", 87), ("卫丁", 86), ("蒋戊", 86),
             ("沈己", 83), ("韩庚", 78), ("杨辛", "八十")], start=1)],
        ["南区", "N01", "朱一", 92], ["南区", "N02", None, 84], ["南区", "N03", "许三", 79],
        ["中区", "Z01", "何一", 88], ["中区", "Z02", "吕二", 81],
    ]
    heads = ["分公司", "工号", "姓名", "主管经理评分", "客户服务部评分"]
    staff_heads = ["分公司", "工号", "姓名", "月度考核得分"]
    totals: list[Any] = ["合计", f"{len(staff)}人", "", ""]
    if pay:
        heads.append("绩效工资基数")
        staff_heads.append("绩效工资基数")
        for row in supervisors:
            row.append(5000)
        for row in staff:  # D04: 3456.75 × 1.1 = 3802.425 tests the cents; D10's is blank
            row.append(STAFF_PAY.get(row[1], 3000))
        totals.append("")
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        write_sheet(wb, "主管", "2026年10月 客服主管考核汇总", heads, supervisors)
        write_sheet(wb, "员工", "2026年10月 客服员工考核汇总表", staff_heads, staff,
                    totals=totals)


STAFF_PAY = {"D04": 3456.75, "X01": 3456.75, "N02": 2345.65, "D10": None}


def ambassador_circle(path: Path) -> None:
    """R4: ten valid ambassadors with a tie at the A cut-off (A 3, B 3, C 4); A011 is out of range."""
    headers = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分", "是否持证",
               "请假天数", "重大客诉"]
    rows = [
        ["A001", "林晓", "城东中心", 95, 90, 2, "是", None, "否"],
        ["A002", "黄敏", "城东中心", 92, 90, 0, "是", 2, "否"],
        ["A003", "郭佳", "城西中心", 90, 93, None, "否", 0, "否"],
        ["A004", "马丽", "城西中心", 88, 85, 0, "是", 15, "否"],
        ["A005", "罗兰", "城东中心", 85, 88, -1, "是", 0, "是"],
        ["A006", "梁静", "城西中心", 84, 80, 0, "是", None, None],
        ["A007", "宋雨", "城东中心", 80, 80, 1, "否", 3, "否"],
        ["A008", "谢婷", "城西中心", 78, 75, 0, "是", 0, "否"],
        ["A009", "唐悦", "城东中心", 70, 72, 0, "是", 1, "否"],
        ["A010", "韩雪", "城西中心", 60, 65, -10, "是", 0, "否"],
        ["A011", "冯琳", "城东中心", 105, 80, 0, "是", 0, "否"],
    ]
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        write_sheet(wb, "10月", "2026年10月 服务大使月度考核", headers, rows,
                    totals=["合计", "", "", "", "", "", "", 21, ""])


def account_manager_levels(path: Path) -> None:
    """R5: 金牛 (7 people: 高级 1, 中级 4, 初级 2); 武侯 tied at the senior cap; one bad level."""
    headers = ["工号", "姓名", "区县", "当前级别", "年度得分"]
    rows = [
        ["K01", "张伟", "金牛", "中级", 95], ["K02", "王芳", "金牛", "高级", 92],
        ["K03", "李娜", "金牛", "中级", 88], ["K04", "刘洋", "金牛", "初级", 88],
        ["K05", "陈静", "金牛", "中级", 85], ["K06", "杨帆", "金牛", "中级", 80],
        ["K07", "赵磊", "金牛", "初级", 70],
        ["W01", "黄勇", "武侯", "高级", 93], ["W02", "周杰", "武侯", "中级", 93],
        ["W03", "吴昊", "武侯", "初级", 90], ["W04", "徐丽", "武侯", "中级", 85],
        ["W05", "孙浩", "武侯", "中级", 82], ["W06", "胡静", "武侯", None, 75],
        ["W07", "朱琳", "武侯", "特级", 88],
    ]
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        write_sheet(wb, "年度评定", "2026年度 客户经理分级评定表", headers, rows,
                    totals=["合计", "14人", "", "", ""])


def competency_potential(path: Path) -> None:
    """R6: ten people rated on eight competencies; labels full, bare or lower-case; one bad label."""
    comps = ["成就事业", "关注客户", "影响力", "领导他人", "发展员工", "优化流程", "经营意识",
             "分析总结"]
    ratings = {
        "P01": "S S E E S E S E", "P02": "E E E E E E E E", "P03": "D E D E D E D E",
        "P04": "D D D D D D D D", "P05": "B D B D B D B D", "P06": "E S E S E S E S",
        "P07": "B B B B B B B B", "P08": "D D E E D D E E", "P09": "d e d e d e d e",
        "P10": "E E D D E E D D", "P11": "D D D 专家 D D D D",
    }
    full = {"B": "基本水平B", "D": "进阶水平D", "E": "专家水平E", "S": "战略水平S"}
    rows = []
    for i, (pid, text) in enumerate(ratings.items()):
        labels = [full.get(x, x) if i % 2 == 0 else x for x in text.split()]
        rows.append([pid, f"员工{pid[1:]}", "一组" if i < 5 else "二组", *labels])
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        write_sheet(wb, "评估", "2026年 素质能力与潜力评估", ["工号", "姓名", "团队", *comps], rows)


# A quarter of R4 monthly sheets. Score = satisfaction = complaint control (extra 0), so each
# month's score is the number below. J011 joins in February; A002 takes 5 + 6 + 4 = 15 days'
# leave; A003 has a major complaint in February; A004's certificate lapses in March.
QUARTER = {  # id: (name, centre, [Jan, Feb, Mar] scores, None = not there)
    "A001": ("林晓", "城东中心", [95, 94, 96]), "A002": ("黄敏", "城东中心", [90, 88, 91]),
    "A003": ("郭佳", "城西中心", [85, 86, 84]), "A004": ("马丽", "城西中心", [80, 79, 82]),
    "A005": ("罗兰", "城东中心", [75, 77, 78]), "A006": ("梁静", "城西中心", [70, 71, 85]),
    "A007": ("宋雨", "城东中心", [65, 66, 64]), "A008": ("谢婷", "城西中心", [60, 61, 62]),
    "A009": ("唐悦", "城东中心", [55, 58, 57]), "A010": ("韩雪", "城西中心", [50, 45, 48]),
    "J011": ("冯琳", "城东中心", [None, 92, 89]),
}
LEAVE = {("A002", 0): 5, ("A002", 1): 6, ("A002", 2): 4, ("A009", 0): 1}
MAJOR = {("A003", 1)}
UNCERTIFIED = {("A004", 2)}


def ambassador_month(path: Path, m: int) -> None:
    headers = ["工号", "姓名", "服务中心", "满意度得分", "客诉控制得分", "附加项得分", "是否持证",
               "请假天数", "重大客诉"]
    rows = []
    for pid, (name, centre, scores) in QUARTER.items():
        if scores[m] is None:
            continue
        rows.append([pid, name, centre, scores[m], scores[m], None,
                     "否" if (pid, m) in UNCERTIFIED else "是", LEAVE.get((pid, m)),
                     "是" if (pid, m) in MAJOR else "否"])
    with xlsxwriter.Workbook(path, {"strings_to_numbers": False}) as wb:
        write_sheet(wb, f"{m + 1}月", f"2026年{m + 1}月 服务大使月度考核", headers, rows,
                    totals=["合计", f"{len(rows)}人", "", "", "", "", "", "", ""])


EXAMPLES = {
    "tiered-service.xlsx": tiered_service,
    "data-submission.xlsx": data_submission,
    "gas-service-center.xlsx": gas_service_center,
    "tiered-service-pay.xlsx": lambda path: tiered_service(path, pay=True),
    "gas-service-center-pay.xlsx": lambda path: gas_service_center(path, pay=True),
    "ambassador-circle.xlsx": ambassador_circle,
    "account-manager-levels.xlsx": account_manager_levels,
    "competency-potential.xlsx": competency_potential,
    **{f"ambassador-2026-0{m + 1}.xlsx": (lambda path, m=m: ambassador_month(path, m))
       for m in range(3)},
}


def main(names: list[str]) -> None:
    for name, make in EXAMPLES.items():
        if not names or name in names:
            make(HERE / name)
            print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
