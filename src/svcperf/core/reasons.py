"""Why each grade is what it is — the quota, the tie, the cap, the small group — and why a move
or an incentive: sentences in the rule set's language (pure; the words are i18n.REASONS).

One source of text: the Results sheet's reason column and `svcperf explain` both take theirs
from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from svcperf.i18n import REASONS
from svcperf.results import WHY
from svcperf.rules.model import Quota, SheetRules


def number(x: Any) -> str:
    """A number as a person writes it: 91.2, 5, 0.4 (no float noise, no trailing zeros, and
    never -0: 0.3-0.2-0.1 is 0)."""
    return f"{round(float(x), 6) + 0.0:g}"


def share_text(share: float) -> str:
    return f"{number(share * 100)}%"


def pct_text(pct: float) -> str:
    """An incentive in percent of pay, signed: +5%, -3%."""
    return f"{round(float(pct), 6):+g}%"


def tie_runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows sorted best first: each row's first and one-past-last position among the rows
    tied with it (equal on every sort key)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    changed = np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)] if keys.ndim > 1 else \
        np.r_[True, keys[1:] != keys[:-1]]
    position = np.arange(n)
    start = np.maximum.accumulate(np.where(changed, position, 0))
    ends = np.r_[position[changed][1:], n]
    return start, ends[np.cumsum(changed) - 1]


@dataclass
class Group:
    """One distribution scope as the reasons name it."""

    lang: str
    name: str  # "" for the whole sheet
    n: int
    table: list[Quota]
    counts: list[int]
    method: str
    head: tuple[str, str] | None = None  # (heads' sheet, head's grade) when a cascade chose
    small: str | None = None  # small_bands, small_quotas or small_cap
    minimum: int = 1
    _calcs: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    @property
    def words(self) -> dict[str, str]:
        return REASONS[self.lang]

    def place(self, rank: int) -> str:
        key = "place_group" if self.name else "place_all"
        return self.words[key].format(group=self.name, rank=rank, n=self.n)

    def calc(self, grade: str) -> str:
        """How the grade's head count was worked out: ⌊20%×5⌋=1."""
        if not self._calcs:
            self._calcs = {q.grade: quota_calc(q, self.n, c, self.method, self.lang)
                           for q, c in zip(self.table, self.counts, strict=True)}
        return self._calcs[grade]

    def cap_calc(self, grade: str) -> tuple[str, int] | None:
        share = next((q.share for q in self.table if q.grade == grade), None)
        return None if share is None else (share_text(share), int(np.floor(round(self.n * share, 9))))

    def lead(self) -> list[str]:
        """What holds for the whole group: the table its head chose, a small group's rule."""
        out = []
        if self.head and self.small != "small_bands":  # a table is chosen only to be used
            out.append(self.words["cascade"].format(head_sheet=self.head[0], head=self.head[1],
                                                     group=self.name))
        if self.small and self.small != "small_bands":
            out.append(self.words[self.small].format(group=self.name, n=self.n,
                                                     minimum=self.minimum))
        return out

    def others(self, names: Sequence[Any], run: range, pos: int) -> str:
        """The other people of a tie run, at most five by name."""
        first = [j for j in run[:6] if j != pos][:5]
        shown = self.words["names"].join(str(names[j]) for j in first)
        more = len(run) - 1 - len(first)
        return self.words["more"].format(names=shown, count=more) if more > 0 else shown


def quota_calc(q: Quota, n: int, count: int, method: str, lang: str) -> str:
    t = REASONS[lang]
    if q.share is None:
        return t["calc_rest"].format(grade=q.grade, count=count)
    exact = n * q.share
    if q.round == "floor":
        key = "calc_floor"
    elif abs(exact - round(exact)) < 1e-9 and round(exact) == count:
        key = "calc_exact"
    elif q.round == "half_up" or method == "half_up_rest_last":
        key = "calc_half_up"
    else:
        key = "calc_largest"
    return t[key].format(grade=q.grade, share=share_text(q.share), n=n, exact=number(exact),
                         count=count)


def exact_reasons(group: Group, keys: np.ndarray, idx: np.ndarray, bands: Sequence[Any],
                  order: list[str], scores: Sequence[float], names: Sequence[Any],
                  cuts: list[tuple[int, int]], ties: Sequence[str],
                  breakers: Sequence[str] = ()) -> list[str | None]:
    """Exact mode: a reason for every row, since the quota placed each (its head count, the
    place), for every row of a tie run that a tie rule moved a cut-off through, and for the
    people of one score that tie-breaker fields (`breakers`: their headers) split."""
    t, n = group.words, group.n
    grades = [q.grade for q in group.table]
    start, run_end = tie_runs(keys)
    ranks = (start + 1).tolist()
    given = idx.tolist()
    actual = np.bincount(idx, minlength=len(grades)).tolist()
    banded = {g: sum(1 for b in bands if b == g) for g in grades}
    tied: dict[int, str] = {}
    begin = 0
    for g, (nominal, end) in enumerate(cuts):
        if nominal != end:  # the tie rule moved this cut-off: the whole run is explained
            lo = int(start[nominal - 1]) if ties[g] == "better" else end
            hi = end if ties[g] == "better" else int(run_end[nominal - 1])
            run = range(max(lo, begin), hi)
            for pos in run:
                key = "tie_better" if ties[g] == "better" else "tie_worse"
                tied[pos] = t[key].format(
                    calc=group.calc(grades[g]), others=group.others(names, run, pos),
                    score=number(scores[pos]), count=len(run), grade=grades[given[pos]],
                    next=grades[min(g + 1, len(grades) - 1)], better=grades[g],
                    place=group.place(ranks[pos]))
        begin = end
    if breakers:
        _broken_ties(group, cuts, scores, names, given, ranks, breakers, tied)
    lead = "".join(x + t["sep"] for x in group.lead())
    heads: dict[tuple[int, Any], tuple[str, str]] = {}  # the text around the place
    out: list[str | None] = []
    for pos in range(n):
        if pos in tied:
            out.append(lead + tied[pos])
            continue
        g, band = given[pos], bands[pos]
        if (g, band) not in heads:
            heads[(g, band)] = _around_place(group, g, band, order, banded, actual)
        around = heads[(g, band)]
        out.append(f"{lead}{around[0]}{group.place(ranks[pos])}{around[1]}")
    return out


def _broken_ties(group: Group, cuts: list[tuple[int, int]], scores: Sequence[float],
                 names: Sequence[Any], given: list[int], ranks: list[int],
                 breakers: Sequence[str], tied: dict[int, str]) -> None:
    """People of one score on both sides of a cut-off that the tie-breakers placed."""
    t, n = group.words, group.n
    grades = [q.grade for q in group.table]
    marks = np.asarray(scores, dtype=float)
    fields = t["names"].join(breakers)
    for g, (nominal, end) in enumerate(cuts[:-1]):
        if nominal != end or not 0 < end < n or marks[end - 1] != marks[end]:
            continue
        same = np.flatnonzero(marks == marks[end])
        run = range(int(same[0]), int(same[-1]) + 1)
        for pos in run:
            tied.setdefault(pos, t["tie_broken"].format(
                calc=group.calc(grades[g]), others=group.others(names, run, pos),
                score=number(marks[pos]), fields=fields, grade=grades[given[pos]],
                place=group.place(ranks[pos])))


def _around_place(group: Group, g: int, band: Any, order: list[str], banded: dict[str, int],
                  actual: list[int]) -> tuple[str, str]:
    """A reason without the person's place, as the text before and after it (a quota decides
    every grade of its group, the ones that agree with their band too). The same for everyone
    of one group with one band and one grade."""
    t = group.words
    grades = [q.grade for q in group.table]
    grade = grades[g]
    if band is None or band not in order:  # the better grades too when one of them has none
        shown = grades[:g + 1] if 0 in group.counts[:g] else [grade]
        calcs = t["sep"].join(group.calc(x) for x in shown)
        before = t["by_place"].format(calcs=calcs, grade=grade, place="")
    elif band == grade:  # the quota placed it where its band is: still the quota's grade
        before = t["as_band"].format(calc=group.calc(grade), band=band, grade=grade, place="")
    elif band not in grades:
        before = t["no_quota"].format(band=band, grade=grade, place="")
    elif order.index(grade) < order.index(band):
        before = t["raised"].format(calc=group.calc(grade), banded=banded[grade], band=band,
                                    grade=grade, place="")
    else:
        before = t["lowered"].format(calc=group.calc(band), band=band, grade=grade, place="")
    after = ""
    if actual[g] != group.counts[g]:
        after = t["sep"] + t["actual"].format(group=group.name, grade=grade, actual=actual[g],
                                              quota=group.counts[g])
    return before, after


def cap_reasons(group: Group, keys: np.ndarray, start_idx: np.ndarray, idx: np.ndarray,
                grades: list[str], scores: Sequence[float], names: Sequence[Any],
                bands: Sequence[Any]) -> list[str | None]:
    """Cap mode: a reason for every row moved below its band, naming the cap it met, and for
    every row that reached no band (it takes the last grade)."""
    t = group.words
    runs, ends = tie_runs(keys)
    run_start = runs.tolist()
    out: list[str | None] = []
    lead = group.lead()
    for pos in range(group.n):
        was, now = int(start_idx[pos]), int(idx[pos])
        place = group.place(run_start[pos] + 1)
        if bands[pos] is None:
            out.append(t["sep"].join([*lead, t["cap_none"].format(grade=grades[now],
                                                                  place=place)]))
            continue
        if now <= was:
            out.append(None)
            continue
        band, grade = grades[was], grades[now]
        cap = group.cap_calc(band)
        members = np.flatnonzero(start_idx == was)
        share, limit = cap if cap else ("", 0)
        if cap and 0 < limit <= len(members) and run_start[pos] <= members[limit - 1]:
            # tied with someone within the cap: the whole tie moved down
            run = range(run_start[pos], int(ends[pos]))
            text = t["cap_tie"].format(band=band, share=share, n=group.n, cap=limit,
                                       others=group.others(names, run, pos),
                                       score=number(scores[pos]), grade=grade, place=place)
        else:
            text = t["cap_full"].format(band=band, share=share, n=group.n, cap=limit,
                                        grade=grade, place=place)
        out.append(t["sep"].join([*lead, text]))
    return out


def small_reasons(group: Group, keys: np.ndarray, bands: Sequence[Any]) -> list[str | None]:
    """A group below the minimum size, graded by its bands: every row says so."""
    runs, _ = tie_runs(keys)
    lead = group.lead()
    return [None if b is None else group.words["sep"].join([*lead, group.words["small_bands"].format(
        group=group.name, n=group.n, minimum=group.minimum, grade=b,
        place=group.place(int(r) + 1))]) for b, r in zip(bands, runs.tolist(), strict=True)]


def head_reason(score: float, grade: Any, cutoff: float | None, below: float | None,
                group: Any, sheet: str, lang: str) -> str | None:
    """A head's grade (R3's 主管), set by its band, and what it decides: the quota table its
    group is graded by on the other sheet. `cutoff` is the band's, `below` the next band up's
    when the band has none (the catch-all); None when there is no grade."""
    if grade is None:
        return None
    t = REASONS[lang]
    cut = t["head_at"].format(cutoff=number(cutoff)) if cutoff is not None else \
        t["head_below"].format(cutoff=number(below)) if below is not None else ""
    return t["head"].format(score=number(score), cut=cut, grade=grade, group=group, sheet=sheet)


def movement_reason(current: Any, grade: Any, move: Any, same: str, lang: str) -> str | None:
    """晋升 / 降级 in words; None when the level is kept or cannot be compared."""
    if move is None or move == same:
        return None
    return REASONS[lang]["movement"].format(current=current, grade=grade, move=move)


def incentive_reason(pct: float, group: Any, table: Any, header: str, lang: str,
                     place: int | None = None, units: int | None = None) -> str | None:
    """Why a person carries a non-zero incentive: their unit's place (group table: mean_score,
    place), or their own place when incentives go to people."""
    if pct is None or np.isnan(pct) or pct == 0:
        return None
    t = REASONS[lang]
    if table is None:
        return t["incentive_person"].format(place=place, units=units, pct=pct_text(pct))
    row = table.loc[group]
    units = len(table)
    key = "incentive_top" if pct > 0 else "incentive_bottom"
    return t[key].format(header=header, group=group, mean=number(row["mean_score"]),
                         place=int(row["place"]), from_bottom=units - int(row["place"]) + 1,
                         units=units, pct=pct_text(pct))


def join(parts: Sequence[str | None], lang: str) -> str | None:
    """The reasons of one row in one cell, None when there are none."""
    kept = [p for p in parts if isinstance(p, str) and p]  # a missing one may read back as NaN
    return REASONS[lang]["sep"].join(kept) if kept else None


def movement_reasons(frame: Any, part: SheetRules, lang: str) -> list[str | None]:
    """Each row's move in words (movement_reason), from its current level, grade and move."""
    assert part.movement is not None
    same = part.movement.same
    return [movement_reason(c, g, m, same, lang) for c, g, m in zip(
        frame[part.movement.field], frame["grade"], frame["movement"], strict=True)]


def row_reasons(frame: Any, lang: str) -> list[str | None]:
    """The Results sheet's reason of each row: its grade's, move's and incentive's (WHY)
    together."""
    return [join(parts, lang) for parts in zip(*(frame[k].tolist() for k in WHY), strict=True)]
