"""Folding of headers and labels so that 'Ｔｏｔａｌ ', '总计' and 'total' compare equal."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "汇总", "total", "totals", "sum", "grandtotal"})


def fold(text: object) -> str:
    """Trim, fold full-width to half-width (NFKC), drop inner white space, fold case."""
    if text is None:
        return ""
    if isinstance(text, str) and text.isascii():  # NFKC changes no ASCII: the common fast path
        return "".join(text.split()).lower()
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


def is_total_word(value: object) -> bool:
    """'合计', ' Total ', 'ＴＯＴＡＬ' and the like: a totals-row label."""
    return isinstance(value, str) and len(value) <= 24 and fold(value) in TOTAL_WORDS


def column_letter(index: int) -> str:
    """0-based column index to an Excel column name: 0 -> A, 27 -> AB."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def did_you_mean(word: str, choices: list[str]) -> str | None:
    """The closest choice to `word`, compared folded, or None when nothing is close."""
    import difflib

    folded = {fold(c): c for c in choices}
    hit = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0.6)
    return folded[hit[0]] if hit else None
