"""Which rule set a sheet is checked against: --rules, else svcperf.yaml beside it, else the best match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svcperf.i18n import cli_message
from svcperf.issues import FileError
from svcperf.rules.headers import header_block, header_match
from svcperf.rules.load import load_rules, resolve, shipped_rule_files
from svcperf.rules.model import RuleSet
from svcperf.text import did_you_mean

Grid = list[list[Any]]


@dataclass
class Chosen:
    """A rule set, the file it came from, and how it was chosen: `way` is rules (--rules),
    beside (svcperf.yaml beside the sheet) or headers (matched by headers)."""

    rules: RuleSet
    source: str
    way: str

    def said(self, lang: str = "en") -> str:
        """How the rule set was chosen, in words, for the user."""
        return cli_message(f"chosen-{self.way}", lang)

    @property
    def how(self) -> str:
        return self.said("en")


def choose(sheet: Path, given: str | None, grids: Callable[[], list[Grid]],
           lang: str = "en") -> Chosen:
    """--rules, else `svcperf.yaml` beside the sheet, else the shipped rule set whose headers
    the sheet's worksheets (`grids`, read only if needed) match best.

    Raises RulesError for a broken rule file and FileError when nothing fits the sheet (said
    in `lang`).
    """
    if given:
        path = resolve(given)
        return Chosen(load_rules(path), str(path), "rules")
    local = sheet.parent / "svcperf.yaml"
    if local.is_file():
        return Chosen(load_rules(local), str(local), "beside")
    # the rule sets are read first: `grids` may wait for the sheet to be parsed meanwhile
    shipped = [(path, load_rules(path)) for path in shipped_rule_files()]
    seen = grids()
    found = best_match(seen, shipped)
    if found is None:
        names = cli_message("list", lang).join(path.stem for path, _ in shipped)
        raise FileError(cli_message("no-rule-set", lang, sheet=sheet, names=names,
                                    closest=closest(seen, shipped, lang)))
    return Chosen(found[1], str(found[0]), "headers")


def closest(grids: list[Grid], candidates: list[tuple[Path, RuleSet]], lang: str = "en") -> str:
    """What the nearest rule set saw: its header row, the headers it matched, and each required
    field it missed with the nearest header on that row ('' when nothing matched at all)."""
    best: tuple[tuple[int, float], str] | None = None
    for _, rules in candidates:
        for part in rules.parts:
            for grid in grids:
                block = header_block(grid, part)
                if block is None:
                    continue
                labels = [str(v).strip() for r in range(block.top, block.last + 1)
                          for v in grid[r] if str(v).strip()]
                matched = [str(grid[r][c]).strip() for r, c in block.cells.values()]
                missing = []
                for key, spec in part.fields.items():
                    if spec.required and key not in block.cells:
                        near = did_you_mean(spec.header[0], [x for x in labels
                                                             if x not in matched])
                        missing.append(cli_message("closest-near", lang, header=spec.header[0],
                                                   near=near) if near else spec.header[0])
                score = (len(block.cells), len(block.cells) / len(part.fields))
                rows = f"{block.top + 1}" if block.top == block.last else \
                    f"{block.top + 1}–{block.last + 1}"
                sep = cli_message("list", lang)
                text = cli_message("closest", lang, name=rules.name, rows=rows,
                                   matched=sep.join(matched), n=len(matched),
                                   total=len(part.fields)) \
                    + (cli_message("closest-missing", lang, missing=sep.join(missing))
                       if missing else "")
                if best is None or score > best[0]:
                    best = (score, text)
    return best[1] if best else ""


def best_match(grids: list[Grid], candidates: list[tuple[Path, RuleSet]],
               ) -> tuple[Path, RuleSet] | None:
    """The rule set (of the candidates, each with its file) whose headers these sheets match
    best, all its required headers present."""
    best: tuple[float, Path, RuleSet] | None = None
    for path, rules in candidates:
        matched, total, complete = 0, 0, True
        for part in rules.parts:
            hits = max((header_match(g, part)[0] for g in grids), key=len, default=set())
            required = {k for k, f in part.fields.items() if f.required}
            complete &= required <= hits
            matched, total = matched + len(hits), total + len(part.fields)
        if complete and total and (best is None or matched / total > best[0]):
            best = (matched / total, path, rules)
    return (best[1], best[2]) if best else None
