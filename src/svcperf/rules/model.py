"""Pydantic models of a rule set: fields, scoring items, bands, quotas, ranking, incentives."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from svcperf.why import Why

# keys every ranked row gets in CSV / JSON, besides the fields' and items' own
COMPUTED = ["score", "band_grade", "grade", "coefficient", "rank", "group_rank", "incentive_pct"]
# keys of the pay amounts, where a rule set declares a pay field and the sheet has its column
PAY = ["performance_pay", "incentive_amount"]
# what a result row holds besides the rule set's fields and items (io.write.records, the JSON
# rows): no field or item may take one of these names (rules.checks)
RECORD_KEYS = frozenset({"sheet", "row", *COMPUTED, "movement", "reason", *PAY, "adjusted",
                         "before", "adjustment", "status", "reasons", "extra"})

class Strict(BaseModel):
    # unknown keys are errors; .nan and .inf are never a number a rule means
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def shown(value: Any) -> str:
    """A rule file's value as its messages quote it: text in quotes, anything else as Python
    writes it ("x%", [1])."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def parse_share(value: Any) -> float:
    """20%, '20%', 0.2 -> 0.2 (a share of a group); anything else (a list, 'x%') is a
    ValueError holding the rule file's message."""
    try:
        if isinstance(value, str):
            text = value.strip()
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    except ValueError:
        pass
    raise ValueError(Why("rule-expected-share", shown=shown(value)))


FieldType = Literal["text", "number", "integer", "percent", "yesno"]
NUMERIC = frozenset({"number", "integer", "percent"})  # the field types that hold a number


class FieldSpec(Strict):
    """One input column: its headers (aliases), type and checks."""

    header: list[str] = Field(min_length=1)
    type: FieldType = "text"
    required: bool = False
    unique: bool = False
    allowed: list[str] | None = None
    min: float | None = None
    max: float | None = None
    default: float | str | None = None

    _h = field_validator("header", mode="before")(_as_list)

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """(lowest, highest) allowed value; a percent is 0–100% unless declared otherwise."""
        percent = self.type == "percent"
        return (self.min if self.min is not None else (0.0 if percent else None),
                self.max if self.max is not None else (1.0 if percent else None))

    @field_validator("max")
    @classmethod
    def _percent_max(cls, value: float | None, info: ValidationInfo) -> float | None:
        """A percent's max is a fraction (1 for 100%): said at max, its own line."""
        if info.data.get("type") == "percent" and value is not None and value > 1.5:
            raise ValueError(Why("rule-percent-fractions"))
        return value

    @model_validator(mode="after")
    def _check_range(self) -> FieldSpec:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(Why("rule-min-above-max", low=self.min, high=self.max))
        return self

    @field_validator("default")
    @classmethod
    def _numeric_default(cls, value: float | str | None, info: ValidationInfo) -> float | str | None:
        kind = info.data.get("type")
        if kind in NUMERIC and isinstance(value, str):
            try:  # '0', or '95%' for a percent: kept as the number it means
                number = parse_share(value) if kind == "percent" else float(value)
            except ValueError:
                raise ValueError(Why("rule-default-not-number", value=value)) from None
            if not math.isfinite(number):
                raise ValueError(Why("rule-default-not-finite", value=value))
            return number
        return value


class Segmented(Strict):
    """A value looked up by a segment field: `{by: group_class, table: {百强: 93%, A类: 90%}}`."""

    by: str
    table: dict[str, float]

    @field_validator("table", mode="before")
    @classmethod
    def _shares(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): parse_share(v) for k, v in value.items()}
        return value


class ItemBase(Strict):
    key: str
    label: str | None = None

    def inputs(self) -> list[str]:
        raise NotImplementedError


class Weighted(ItemBase):
    """Σ weight × value; weights must sum to 100% unless `check_sum: false`."""

    kind: Literal["weighted"]
    weights: dict[str, float]
    check_sum: bool = True

    @field_validator("weights", mode="before")
    @classmethod
    def _shares(cls, value: Any) -> Any:
        return {k: parse_share(v) for k, v in value.items()} if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _sum(self) -> Weighted:
        total = sum(self.weights.values())
        if self.check_sum and not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(Why("rule-weights-sum", total=total))
        return self

    def inputs(self) -> list[str]:
        return list(self.weights)


class TargetDeduction(ItemBase):
    """Full points at or above target; `deduct_per_point` per percentage point short, floored at 0."""

    kind: Literal["target"]
    field: str
    points: float
    target: float | Segmented
    deduct_per_point: float

    @field_validator("target", mode="before")
    @classmethod
    def _share(cls, value: Any) -> Any:
        return parse_share(value) if isinstance(value, str | int | float) else value

    def inputs(self) -> list[str]:
        return [self.field] + ([self.target.by] if isinstance(self.target, Segmented) else [])


class Incident(ItemBase):
    """`points_each` deducted per incident, at most `cap` in all (a negative contribution)."""

    kind: Literal["incident"]
    field: str
    points_each: float
    cap: float | None = None

    def inputs(self) -> list[str]:
        return [self.field]


class Raters(ItemBase):
    """Mean of several raters' scores (blank raters are left out of the mean)."""

    kind: Literal["raters"]
    fields: list[str] = Field(min_length=1)

    def inputs(self) -> list[str]:
        return list(self.fields)


class Ratio(ItemBase):
    """numerator / denominator × scale; 0 / 0 rejects the row unless `on_zero` is a number.
    With `share: true` the numerator is a part of the denominator (已报 of A类集团数): a row
    with more than the whole is rejected, never scored over 100%."""

    kind: Literal["ratio"]
    numerator: str
    denominator: str
    scale: float = 1.0
    on_zero: Literal["reject"] | float = "reject"
    share: bool = False

    def inputs(self) -> list[str]:
        return [self.numerator, self.denominator]


class Levels(ItemBase):
    """Rubric labels mapped to numbers; the mean over the listed fields."""

    kind: Literal["levels"]
    fields: list[str] = Field(min_length=1)
    map: dict[str, float] = Field(min_length=1)

    _f = field_validator("fields", mode="before")(_as_list)

    def inputs(self) -> list[str]:
        return list(self.fields)


class FormulaItem(ItemBase):
    """An arithmetic expression over fields and earlier items."""

    kind: Literal["formula"]
    formula: str

    def inputs(self) -> list[str]:
        return []


Item = Annotated[
    Weighted | TargetDeduction | Incident | Raters | Ratio | Levels | FormulaItem,
    Field(discriminator="kind"),
]


class ScoreSpec(Strict):
    """How items become the score: a formula (default: the sum of items) and limits."""

    formula: str | None = None
    min: float | None = None
    max: float | None = None


class Band(Strict):
    """`score >= cutoff -> grade`; a band without cutoff catches everything below."""

    grade: str
    cutoff: float | str | None = None  # a number, or "$param"
    coefficient: float | None = None
    label: str | None = None

    @field_validator("cutoff", mode="before")
    @classmethod
    def _number_or_param(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip().startswith("$"):
            try:
                return float(value.strip().rstrip("%")) if value.strip() else None
            except ValueError:
                raise ValueError(Why("rule-expected-number", shown=f'"{value}"')) from None
        return value


class Quota(Strict):
    """One grade's share of a group, and how it is rounded."""

    grade: str
    share: float | None = None  # None: the rest
    round: Literal["floor", "half_up"] | None = None
    ties: Literal["better", "worse"] | None = None

    @field_validator("share", mode="before")
    @classmethod
    def _share(cls, value: Any) -> Any:
        return None if value is None or value == "rest" else parse_share(value)


def _quota_list(value: Any) -> Any:
    """`{A: 20%, B: 40%, C: rest}` -> [Quota, ...] in order; lists pass through."""
    if not isinstance(value, dict):
        return value
    out = []
    for grade, spec in value.items():
        if isinstance(spec, dict):
            out.append({"grade": str(grade), **spec})
        else:
            out.append({"grade": str(grade), "share": None if spec in (None, "rest") else spec})
    return out


class TieBreaker(Strict):
    field: str
    order: Literal["asc", "desc"] = "desc"


class Cascade(Strict):
    """Pick each group's quota table by the grade its head got on another sheet."""

    sheet: str  # the rule set sheet that holds the heads
    key: str  # field on the heads' sheet matching this sheet's group field
    tables: dict[str, list[Quota]]

    @field_validator("tables", mode="before")
    @classmethod
    def _tables(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): _quota_list(v) for k, v in value.items()}
        return value


class Distribution(Strict):
    """Forced-distribution quotas: who may hold which grade within a scope."""

    scope: Literal["all", "group"] = "group"
    method: Literal["largest_remainder", "half_up_rest_last"] = "largest_remainder"
    mode: Literal["exact", "cap"] = "exact"
    ties: Literal["better", "worse"] = "better"
    tie_breakers: list[TieBreaker] = Field(default_factory=list)
    min_group_size: int = Field(default=1, ge=1)
    small_groups: Literal["bands", "cap", "quotas"] = "quotas"
    quotas: list[Quota] | None = None
    cascade: Cascade | None = None
    # grade overrides from an adjustments file: `rebalance` hands the other places out again,
    # `keep` moves nobody else; a grade whose ties go `worse` (or any in cap mode) is a cap
    calibration: Literal["rebalance", "keep"] = "rebalance"
    allow_over_cap: bool = False

    _q = field_validator("quotas", mode="before")(_quota_list)

    @model_validator(mode="after")
    def _one_table(self) -> Distribution:
        if (self.quotas is None) == (self.cascade is None):
            raise ValueError(Why("rule-quotas-or-cascade"))
        for name, table in self.tables().items():
            check_quota_table(table, name)
        return self

    def tables(self) -> dict[str, list[Quota]]:
        return self.cascade.tables if self.cascade else {"": self.quotas or []}


def check_quota_table(table: list[Quota], name: str = "") -> None:
    where: str = Why("rule-quota-table", name=name) if name else ""
    rest = [q.grade for q in table if q.share is None]
    total = sum(q.share or 0.0 for q in table)
    if len(rest) > 1:
        raise ValueError(Why("rule-one-rest", where=where, rest=rest))
    if total > 1 + 1e-9:
        raise ValueError(Why("rule-shares-over", where=where, total=total))
    if not rest and not math.isclose(total, 1.0, abs_tol=1e-9):
        raise ValueError(Why("rule-shares-under", where=where, total=total))
    if any((q.share or 0) < 0 for q in table):
        raise ValueError(Why("rule-share-negative", where=where))


class Incentives(Strict):
    """Top-N / bottom-N incentives (% of monthly pay) to groups by mean score, or to people."""

    by: Literal["group", "person"] = "group"
    top: list[float] = Field(default_factory=list)  # first place, second place, ...
    bottom: list[float] = Field(default_factory=list)  # last place, second last, ...


class Movement(Strict):
    """Compare the new grade with a field holding the current one (晋升 / 降级 / 保持)."""

    field: str
    up: str = "晋升"
    down: str = "降级"
    same: str = "保持"


class Pay(Strict):
    """The field holding each person's pay (绩效工资基数, 月度薪酬): with it Results gains
    performance pay = pay × coefficient and incentive amount = pay × incentive %, to the cent."""

    field: str


class Condition(Strict):
    """One eligibility rule for a period: a field aggregated over the months, or the grade."""

    reason: str  # shown when the condition fails
    field: str | None = None
    agg: Literal["sum", "any", "all", "last", "max", "min", "mean"] = "last"
    equals: bool | float | str | None = None
    min: float | None = None
    max: float | None = None
    grade: list[str] | None = None  # the period grade must be one of these

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.field is None) == (self.grade is None):
            raise ValueError(Why("rule-condition-one"))
        if self.field is not None and self.equals is None and self.min is None and self.max is None:
            raise ValueError(Why("rule-condition-test", field=self.field))
        return self


class Streak(Strict):
    """`months` consecutive months at `grade` lead to `label` (e.g. three C months: 取消资格)."""

    grade: str
    months: int = Field(ge=1)
    label: str


class Rollup(Strict):
    """How monthly results become a quarter or half-year: composite, eligibility, points."""

    composite: Literal["mean", "weighted"] = "mean"
    weights: list[float] | None = None  # per calendar month of the period, with composite: weighted
    missing: Literal["mean_of_present", "ineligible"] = "mean_of_present"
    missing_reason: str = "not present every month"
    eligibility: list[Condition] = Field(default_factory=list)
    points: dict[str, float] = Field(default_factory=dict)
    streaks: list[Streak] = Field(default_factory=list)

    @model_validator(mode="after")
    def _weights(self) -> Rollup:
        if self.composite == "weighted" and not self.weights:
            raise ValueError(Why("rule-weighted-weights"))
        if any(p < 0 for p in self.points.values()):
            raise ValueError(Why("rule-points-negative"))
        return self


class Param(Strict):
    """A run-time choice, e.g. the month, mapped to a value used as `$name` in cut-offs."""

    values: dict[str, float]
    default: str | None = None
    help: str | None = None

    @field_validator("values", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


class SheetRules(Strict):
    """The rules for one kind of sheet: fields, scoring, grading, distribution, ranking."""

    key: str = "main"
    sheet: list[str] = Field(default_factory=list)  # worksheet names to look for; [] = any
    id: str | None = None
    group: str | None = None
    fields: dict[str, FieldSpec] = Field(min_length=1)
    items: list[Item] = Field(default_factory=list)
    score: ScoreSpec = ScoreSpec()
    bands: list[Band] = Field(default_factory=list)
    distribution: Distribution | None = None
    rank_by: str = "score"
    tie_breakers: list[TieBreaker] = Field(default_factory=list)
    incentives: Incentives | None = None
    movement: Movement | None = None
    rollup: Rollup | None = None
    pay: Pay | None = None

    _s = field_validator("sheet", mode="before")(_as_list)

    @field_validator("bands")
    @classmethod
    def _ordered(cls, bands: list[Band]) -> list[Band]:
        numbers = [b.cutoff for b in bands if isinstance(b.cutoff, int | float)]
        if numbers != sorted(numbers, reverse=True):
            raise ValueError(Why("rule-bands-order", numbers=numbers))
        if len(set(numbers)) != len(numbers):
            raise ValueError(Why("rule-bands-same", numbers=numbers))
        if any(b.cutoff is None for b in bands[:-1]):
            raise ValueError(Why("rule-band-last-open"))
        return bands

    @cached_property
    def grade_order(self) -> list[str]:
        """Every grade, best first: bands, then quota grades not already banded."""
        order = [b.grade for b in self.bands]
        if self.distribution:
            for table in self.distribution.tables().values():
                order += [q.grade for q in table if q.grade not in order]
        return order

    def coefficients(self) -> dict[str, float]:
        return {b.grade: b.coefficient for b in self.bands if b.coefficient is not None}

    def header_of(self, key: str) -> str:
        if key in self.fields:
            return self.fields[key].header[0]
        for item in self.items:
            if item.key == key:
                return item.label or key
        return key


class RuleSet(SheetRules):
    """A whole scheme: one sheet's rules at the top level, or several under `sheets`."""

    name: str
    title: str | None = None
    version: str | int | None = None
    description: str | None = None
    precision: int = Field(default=2, ge=0, le=6)
    language: Literal["en", "zh"] = "en"  # of the result workbook's own labels
    params: dict[str, Param] = Field(default_factory=dict)
    sheets: list[SheetRules] = Field(default_factory=list)
    fields: dict[str, FieldSpec] = Field(default_factory=dict)

    @property
    def parts(self) -> list[SheetRules]:
        """The sheet rules, in processing order (heads before the sheets they cascade to)."""
        return self.sheets or [self]
