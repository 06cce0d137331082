"""Calendar months as labels ('2026-01'), periods of them (2026Q1, 2026H2) and months in names."""

from __future__ import annotations

import re


class BadInput(ValueError):
    """A value the user gave that cannot be used (a period, a month, a parameter, an option):
    its message says why and how to fix it. Any other ValueError is a bug, never shown as the
    user's mistake."""

_PERIOD = re.compile(r"^(\d{4})\s*(?:([QqHh])([1-4])|-?(\d{1,2}))$")
_IN_NAME = re.compile(r"(20\d\d)\s*[-_.年/]?\s*(1[0-2]|0?[1-9])(?!\d)\s*月?")


_DIGIT_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月")  # 9月, 9月东区, 10 月份
# 九月, 十一月份, 九月考核: the whole name; 五月花中心 and 十月广场 are places
_CHINESE_MONTH = re.compile(r"(?:20\d\d\s*年)?\s*(十[一二]?|[一二三四五六七八九])月份?"
                            r"(?:考核|汇总|数据|明细|成绩|评分|报表)?")
_CHINESE_MONTHS = {n: i for i, n in enumerate(
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"], start=1)}


def month_of_name(name: str) -> str | None:
    """The month a sheet's name names: '2026-09' for 2026年9月 or 202609, '9' for 9月, 9月东区
    or 九月; None when it names none (五月花中心 names a place)."""
    full = parse_month(name)
    if full is not None:
        return full
    if hit := _DIGIT_MONTH.search(name):
        return str(int(hit.group(1)))
    if hit := _CHINESE_MONTH.fullmatch(name.strip()):
        return str(_CHINESE_MONTHS[hit.group(1)])
    return None


def month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_month(text: str) -> str | None:
    """'2026-01', '202601', '2026年1月', '2026_1' -> '2026-01'; None if it is not a month."""
    hit = _IN_NAME.search(str(text))
    return month_label(int(hit.group(1)), int(hit.group(2))) if hit else None


def period_months(period: str) -> list[str]:
    """'2026Q1' -> the three months; '2026H2' -> six; '2026-03' -> one."""
    hit = _PERIOD.match(period.strip())
    if not hit:
        raise BadInput(f"period {period!r}: write it as 2026Q1, 2026H1 or 2026-03")
    year = int(hit.group(1))
    if hit.group(4):
        return [month_label(year, int(hit.group(4)))]
    n = int(hit.group(3))
    if hit.group(2).upper() == "Q":
        return [month_label(year, m) for m in range(3 * n - 2, 3 * n + 1)]
    if n > 2:
        raise BadInput(f"period {period!r}: a year has two halves, H1 and H2")
    return [month_label(year, m) for m in range(6 * n - 5, 6 * n + 1)]


def previous_month(label: str) -> str:
    year, month = int(label[:4]), int(label[5:7])
    return month_label(year - 1, 12) if month == 1 else month_label(year, month - 1)


def month_of_year(label: str) -> int:
    """'2026-09' -> 9: the month a rule set's monthly targets are keyed by."""
    return int(label[5:7])


def month_number(label: str) -> int:
    """Months since year 0: consecutive calendar months get consecutive numbers."""
    return int(label[:4]) * 12 + int(label[5:7]) - 1


def months_between(first: str, last: str) -> list[str]:
    """Every calendar month from `first` to `last`, both included ('2025-11'..'2026-02': four)."""
    return [month_label(n // 12, n % 12 + 1)
            for n in range(month_number(first), month_number(last) + 1)]
