"""Folding of headers and labels so that 'Ｔｏｔａｌ ', '总计' and 'total' compare equal."""

from __future__ import annotations

import bisect
import itertools
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


def cells_holding(values: list[object], words: list[str], exact: bool = False) -> list[int]:
    """Positions of the text cells whose folded text holds one of `words` (folded), or is one
    with `exact`: what `word in fold(v)` of each cell says, computed faster.

    The column's text cells are folded as one string, joined by NUL (a starter that folding
    neither changes, drops nor composes across, so each cell folds as it would alone), and
    searched once per word; a column holding NUL itself is folded cell by cell.
    """
    texts = [v if type(v) is str else "" for v in values]
    wanted = [w for w in map(fold, words) if w]
    parts = fold("\0".join(texts)).split("\0")
    if len(parts) != len(texts):  # a cell held NUL itself
        parts = [fold(t) for t in texts]
    if exact:
        wordset = set(wanted)
        return [i for i, f in enumerate(parts) if f in wordset]
    joined = "\0".join(parts)
    starts = list(itertools.accumulate((len(f) + 1 for f in parts[:-1]), initial=0))
    found: set[int] = set()
    for word in wanted:
        at = joined.find(word)
        while at >= 0:
            found.add(bisect.bisect_right(starts, at) - 1)
            at = joined.find(word, at + 1)
    return sorted(found)


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
