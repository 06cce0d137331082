"""Folding of headers and labels so that 'Ｔｏｔａｌ ', '总计' and 'total' compare equal."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "汇总", "total", "totals", "sum", "grandtotal"})
# first characters a totals word can start with, in any width or case (a cheap pre-check)
_TOTAL_FIRST = frozenset(c for w in TOTAL_WORDS for c in (w[0], w[0].upper(),
                                                            chr(ord(w[0].upper()) + 0xFEE0),
                                                            chr(ord(w[0]) + 0xFEE0))
                         if w[0].isascii()) | frozenset(w[0] for w in TOTAL_WORDS)

_TOTAL_LINE = re.compile("^\\s*[" + re.escape("".join(sorted(_TOTAL_FIRST))) + "]", re.M)


def fold(text: object) -> str:
    """Trim, fold full-width to half-width (NFKC), drop inner white space, fold case."""
    if text is None:
        return ""
    if isinstance(text, str) and text.isascii():  # NFKC changes no ASCII: the common fast path
        return "".join(text.split()).lower()
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


def is_total_word(value: object) -> bool:
    """'合计', ' Total ', 'ＴＯＴＡＬ' and the like: a totals-row label."""
    if not isinstance(value, str) or len(value) > 24:
        return False
    head = value.lstrip()[:1]
    return head in _TOTAL_FIRST and fold(value) in TOTAL_WORDS


def total_words_at(values: list[object]) -> list[int]:
    """Positions of the totals words in a column; one regex over its text rules most out."""
    try:
        text = "\n".join(values)  # type: ignore[arg-type]  # TypeError: not all text
    except TypeError:
        text = "\n".join(v for v in values if type(v) is str)
    if not _TOTAL_LINE.search(text):
        return []
    return [i for i, v in enumerate(values) if is_total_word(v)]


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
