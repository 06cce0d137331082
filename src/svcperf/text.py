"""Text: headers and labels folded so that 'Ｔｏｔａｌ ', '总计' and 'total' compare equal, and
text files decoded as Windows programs save them."""

from __future__ import annotations

import bisect
import codecs
import datetime
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal

# characters a cell holds but nobody sees: zero-width spaces and joiners, a byte order mark
# pasted in with a CSV's first cell, soft hyphens, direction marks (Unicode's "format" class)
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
_SPACE = re.compile(rf"[{_INVISIBLE}\s]+")  # what fold drops
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "汇总", "total", "totals", "sum", "grandtotal"})


class Undecodable(ValueError):
    """Bytes that are not text in one encoding: `line` (1-based) is the first that breaks;
    `utf8`, when the file mixes encodings, a line that is UTF-8."""

    def __init__(self, line: int, utf8: int | None = None) -> None:
        super().__init__(f"line {line} is not text" + (f" (line {utf8} is UTF-8)" if utf8 else ""))
        self.line, self.utf8 = line, utf8


_UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                 (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(raw: bytes) -> str:
    """A text file's text, as Windows programs save it: UTF-16 or UTF-32 by its byte order mark
    (Excel's "Unicode Text", Notepad's "Unicode"), UTF-8 (with or without BOM), else GBK /
    GB18030 (Notepad's "ANSI" on a Chinese Windows). Bytes in two of these, or in none (binary
    data), raise Undecodable with the first line that breaks: never decoded into nonsense."""
    for bom, codec in _UNICODE_BOMS:  # UTF-32 LE's mark starts with UTF-16 LE's: 32 first
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as ex:
                raise Undecodable(_line_of(raw, ex.start, codec)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as ex:
        broken = _line_of(raw, ex.start)
    utf8 = next((n for n, line in enumerate(raw.split(b"\n"), start=1)
                 if not line.isascii() and _utf8_text(line)), None)
    if utf8 is not None:
        raise Undecodable(broken, utf8)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as ex:
        raise Undecodable(_line_of(raw, ex.start)) from None


def _line_of(raw: bytes, at: int, codec: str = "utf-8") -> int:
    """The 1-based line of byte `at` of text in this codec (which can decode what is before it)."""
    return raw[:at].decode(codec, errors="replace").count("\n") + 1


def _utf8_text(line: bytes) -> bool:
    """A line of UTF-8 Chinese or accented Latin (José), not GBK bytes that happen to be UTF-8
    too: 郑伟 in GBK (D6 A3 CE B0) is UTF-8 for a Hebrew and a Greek letter. A GBK line read
    as Latin letters stays a line of UTF-8: the file is refused, never decoded into nonsense."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any("\u3400" <= ch <= "\u9fff" or "\u00c0" <= ch <= "\u024f" for ch in text)


# a number as a spreadsheet reads one typed as text: 95, .5, 1.5E+2, 95% (ASCII digits only:
# float() also takes 9_5, and \d ١٠٠)
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?%?", re.ASCII)
_HALF = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def half_width(text: str) -> str:
    """Full-width letters, digits and signs as their ASCII selves (１００％ -> 100%); nothing
    else changes (NFKC would also make ⑨⑤ 95 and 9² 92, which no spreadsheet reads as
    numbers)."""
    return text.translate(_HALF)


def fold(text: object) -> str:
    """Trim, fold full-width to half-width (NFKC), drop inner white space and invisible
    characters, fold case."""
    if text is None:
        return ""
    if isinstance(text, str) and text.isascii():  # NFKC changes no ASCII: the common fast path
        return "".join(text.split()).lower()
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


# a space between a number and the Chinese word it goes with (第 2 名, 共 10 人, 93 分, 名额 3):
# where a wrapped cell may not break a line (Chinese text breaks between any two characters)
_LOOSE = re.compile(r" (?:(?<=[0-9%] )(?=[\u3400-\u9fff\uff08])"
                    r"|(?<=[\u3400-\u9fff] )(?=[0-9⌊+\-−]))")
NO_BREAK = "\u00a0"


def keep_together(text: str) -> str:
    """Text for a wrapped cell: each number held to its Chinese word by a no-break space, so a
    line breaks at a space between words or at punctuation, never between 第 2 and 名. Text
    without such a space (all English text) is returned as it is."""
    return _LOOSE.sub(NO_BREAK, text) if " " in text and not text.isascii() else text


def is_total_word(value: object) -> bool:
    """'合计', ' Total ', 'ＴＯＴＡＬ' and the like: a totals-row label."""
    return isinstance(value, str) and len(value) <= 24 and fold(value) in TOTAL_WORDS


class FoldedColumn:
    """A column's text cells folded (`fold`) in one pass, to search for words.

    The cells are folded as one string, joined by NUL (a starter that folding neither
    changes, drops nor composes across, so each cell folds as it would alone), and searched as
    one; a column holding NUL itself is folded cell by cell. What `holding` answers is what
    `fold` of each cell says (a property test holds them to it).
    """

    def __init__(self, values: list[object]) -> None:
        try:
            texts: list[str] = values  # type: ignore[assignment]  # TypeError if they are not
            joined = fold("\0".join(texts))
        except TypeError:
            texts = [v if type(v) is str else "" for v in values]
            joined = fold("\0".join(texts))
        if joined.count("\0") != len(texts) - 1 and texts:  # a cell held NUL: that NUL is
            joined = "\0".join(fold(t).replace("\0", "\uffff") for t in texts)  # no word's
        self._joined = joined  # the folded cells, NUL between them
        self._starts: list[int] = []

    def holding(self, words: list[str]) -> list[int]:
        """Positions of the cells whose folded text holds one of the words (folded)."""
        wanted = sorted({w for w in map(fold, words) if w})
        if not wanted:
            return []
        joined = self._joined
        if joined.isascii():  # one find per word: a word not in ASCII is ruled out at once
            hits: Iterable[int] = (at for word in wanted for at in _finds(joined, word))
        else:  # one search for every word (a find per word would read the text each time)
            hits = (m.start() for m in re.finditer("|".join(map(re.escape, wanted)), joined))
        found: set[int] = set()
        for at in hits:  # a word holds no NUL: each hit lies in one cell
            if not self._starts:  # where each cell starts, once something is found
                self._starts = list(itertools.accumulate(
                    (len(f) + 1 for f in joined.split("\0")[:-1]), initial=0))
            found.add(bisect.bisect_right(self._starts, at) - 1)
        return sorted(found)


def _finds(text: str, word: str) -> Iterator[int]:
    """Where the word starts in the text, each place."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


# what a terminal would act on rather than show: escape sequences (CSI, OSC: colours, screen
# clearing, links, window titles) and the other control characters but tab and newline
_TERMINAL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]"
                       r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text as it may go to a terminal: escape sequences and control characters removed."""
    return _TERMINAL.sub("", text)


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates


def one_line(text: str) -> str:
    """Text as one line of a terminal or a log: `printable`, line breaks and tabs as spaces,
    and no bidirectional controls (a right-to-left override would turn what follows around)."""
    return _BIDI.sub("", printable(text).replace("\r\n", " ").replace("\n", " ")
                     .replace("\t", " "))


_WHOLE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)")


def whole_digits(text: str) -> str | None:
    """A whole number as a person writes it (12, 1_000, or 1,000: a comma only between
    groups of three), as its sign and digits; None for anything else ('1,2', '1.5', '')."""
    text = text.strip()
    return text.replace(",", "").replace("_", "") if _WHOLE.fullmatch(text) else None


def cell_text(value: object) -> object:
    """A number or a date in a text field as the text Excel shows: an id typed as 1005 is
    '1005', an id card's 18 digits 15 significant ones, as Excel keeps them; a date 2026/1/1,
    a time 8:00:00, a duration 30:00:00 (not Python's '1 day, 6:00:00'). Anything else as it
    is."""
    if type(value) is int or (type(value) is float and math.isfinite(value)):  # not a bool
        if abs(value) >= 1e15:
            return f"{Decimal(f'{value:.15g}'):f}"
        return str(int(value)) if float(value).is_integer() else f"{value:.15g}"
    if isinstance(value, datetime.datetime):
        day = f"{value.year}/{value.month}/{value.day}"
        return day if value.time() == datetime.time() else f"{day} {value:%H:%M:%S}".replace(
            " 0", " ", 1)
    if isinstance(value, datetime.date):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, datetime.time):
        return f"{value.hour}:{value:%M:%S}"
    if isinstance(value, datetime.timedelta):
        seconds = int(abs(value.total_seconds()))
        sign = "-" if value < datetime.timedelta(0) else ""
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return value


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
