"""Which inputs a sweep varies, over what ranges, and the sample of scenarios.

Everything is read from Scenario's FIELDS: an input is any numeric field (a slider), named by its field
name or its link key ('budget_exim_musd' or 'exim'), and its range defaults to the slider's. Inputs
that are not varied keep the base scenario's value (a link, a preset or the defaults), as do the
choices (objective, build mode, financed mineral).

Two designs, both from SALib:
- 'sobol': Saltelli's design on a scrambled Sobol' sequence. n scenarios make n // (D + 2) base samples
  of D + 2 scenarios each (A, D columns of A with one input from B, and B); first-order and total
  Sobol' indices follow from it. Its balance is best when n // (D + 2) is a power of two.
- 'lhs': a Latin hypercube of n scenarios (first-order indices only, by RBD-FAST).

>>> d = sample(ranges(["trw=20:60", "offt"]), n=16, method="sobol", seed=3)
>>> d.n_base, d.block_size, list(d.table.columns)
(4, 4, ['sample', 'part', 'transit_weight_pct', 'offtake_musd'])
>>> float(d.table.transit_weight_pct.min()) >= 20 and float(d.table.offtake_musd.max()) <= 10000
True
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analytics.model.scenario import DEFAULTS, FIELD_BY_KEY, FIELD_BY_NAME, FIELDS, Field, Scenario

METHODS = {
    "sobol": "Sobol' sequence in Saltelli's design: first-order and total Sobol' indices",
    "lhs": "Latin hypercube: first-order indices only (RBD-FAST)",
}
MAX_SCENARIOS = 1_000_000
# Numeric inputs left out when no inputs are named: they change what is measured, not the world.
NOT_BY_DEFAULT = {
    "russia_weight_pct": "it changes what the dependence index counts, so results would not be comparable",
    "transit_weight_pct": "it changes what the dependence index counts, so results would not be comparable",
    "dependence_target_pct": "it matters only with the least-financing objective",
}


def sweepable() -> tuple[Field, ...]:
    """Every numeric input (a slider with a range); choices and free text are held at the base value."""
    return tuple(f for f in FIELDS if not f.choices and not f.pattern and f.lo is not None and f.hi is not None)


def field_for(name: str) -> Field:
    """The numeric field named by its field name or link key; ValueError listing the valid names."""
    name = name.strip()
    f = FIELD_BY_NAME.get(name) or FIELD_BY_KEY.get(name)
    if f is None or f not in sweepable():
        valid = ", ".join(f"{x.key} ({x.name})" for x in sweepable())
        raise ValueError(f"{name!r} is not an input a sweep can vary; choose from: {valid}")
    return f


def slider_span(f: Field) -> tuple[float, float]:
    """A sweepable field's slider range (low, high)."""
    return f.bounds


def is_integer(f: Field) -> bool:
    return type(getattr(DEFAULTS, f.name)) is int


@dataclass(frozen=True)
class Range:
    """One varied input and its range, in the field's unit."""

    field: Field
    lo: float
    hi: float

    @property
    def name(self) -> str:
        return self.field.name

    def __post_init__(self) -> None:
        f = self.field
        f_lo, f_hi = slider_span(f)
        if not (math.isfinite(self.lo) and math.isfinite(self.hi)) or not (f_lo <= self.lo < self.hi <= f_hi):
            raise ValueError(f"{f.label}: the range must lie within {f_lo:g} to {f_hi:g} {f.unit} with its low "
                             f"end below its high end; got {self.lo:g} to {self.hi:g}".rstrip())


def parse_range(text: str) -> Range:
    """'exim' (the slider's whole range) or 'exim=0:3000' (or budget_exim_musd=0:3000)."""
    name, sep, span = str(text).partition("=")
    f = field_for(name)
    if not sep:
        return Range(f, *slider_span(f))
    lo, colon, hi = span.partition(":")
    try:
        if not colon:
            raise ValueError
        return Range(f, float(lo), float(hi))
    except ValueError as exc:
        if "range must lie" in str(exc):
            raise
        raise ValueError(f"{text!r}: write a range as {f.key}=LOW:HIGH, e.g. {f.key}={f.lo:g}:{f.hi:g}") from None


def ranges(specs: Iterable[str | Range]) -> tuple[Range, ...]:
    """Ranges from 'key' / 'key=lo:hi' texts (or Range values); each input at most once."""
    out = [s if isinstance(s, Range) else parse_range(s) for s in specs]
    names = [r.name for r in out]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"each input may be given once; repeated: {', '.join(repeated)}")
    if not out:
        raise ValueError("name at least one input to vary")
    return tuple(out)


def default_ranges() -> tuple[Range, ...]:
    """Every numeric input over its whole slider range, except those in NOT_BY_DEFAULT."""
    return tuple(Range(f, *slider_span(f)) for f in sweepable() if f.name not in NOT_BY_DEFAULT)


def around(base: Scenario, names: Iterable[str], spread: float) -> tuple[Range, ...]:
    """Each named input from base - spread to base + spread of its slider's span, kept within the slider."""
    if not 0 < spread <= 1:
        raise ValueError(f"spread must be above 0 and at most 1 (a share of each slider's span); got {spread!r}")
    out = []
    for name in names:
        f = field_for(name)
        f_lo, f_hi = slider_span(f)
        value, half = float(getattr(base, f.name)), spread * (f_hi - f_lo)
        lo, hi = max(f_lo, value - half), min(f_hi, value + half)
        out.append(Range(f, float(lo), float(hi)))
    return ranges(out)


@dataclass(frozen=True)
class Design:
    """The sampled scenarios: table holds 'sample' (base sample), 'part' (position in it) and one column
    per varied input; every other input is the base scenario's."""

    base: Scenario
    ranges: tuple[Range, ...]
    method: str
    n_base: int
    seed: int
    table: pd.DataFrame

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.ranges]

    @property
    def block_size(self) -> int:
        """Scenarios per base sample: D + 2 in Saltelli's design, 1 in a Latin hypercube."""
        return len(self.ranges) + 2 if self.method == "sobol" else 1

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem (names and bounds)."""
        return {"num_vars": len(self.ranges), "names": self.names, "bounds": [[r.lo, r.hi] for r in self.ranges]}

    @property
    def note(self) -> str:
        """A caveat about the design's size, or ''."""
        if self.method == "sobol" and self.n_base & (self.n_base - 1):
            k = 2 ** int(math.log2(self.n_base))
            return (f"{self.n_base} base samples is not a power of two, so the Sobol' sequence is not fully "
                    f"balanced; n = {k * self.block_size:,} or {2 * k * self.block_size:,} would be.")
        return ""

    def scenario(self, values: Mapping[str, float]) -> Scenario:
        """The base scenario with these input values (raises ValueError if the Scenario rejects them)."""
        return self.base.replace(**cast(self.ranges, values))


def cast(rs: Iterable[Range], values: Mapping[str, float]) -> dict[str, float | int]:
    """Plain Python numbers of each field's type (whole years are rounded)."""
    out: dict[str, float | int] = {}
    for r in rs:
        v = float(values[r.name])
        out[r.name] = int(round(v)) if is_integer(r.field) else v
    return out


def sample(rs: tuple[Range, ...], n: int, *, method: str = "sobol", seed: int = 0,
           base: Scenario = DEFAULTS) -> Design:
    """About n scenarios over these ranges (exactly n for 'lhs'; n // (D + 2) base samples for 'sobol')."""
    from SALib.sample import latin
    from SALib.sample import sobol as sobol_sample

    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SCENARIOS:
        raise ValueError(f"n must be a whole number of scenarios from 1 to {MAX_SCENARIOS:,}; got {n!r}")
    d = len(rs)
    problem = {"num_vars": d, "names": [r.name for r in rs], "bounds": [[r.lo, r.hi] for r in rs]}
    if method == "sobol":
        n_base = int(n) // (d + 2)
        if n_base < 2:
            raise ValueError(f"a Sobol' design over {d} inputs needs at least {2 * (d + 2)} scenarios "
                             f"(2 base samples of {d + 2}); got n = {n}")
        with warnings.catch_warnings():  # not a power of two: Design.note says so in words
            warnings.simplefilter("ignore")
            x = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
        sample_id, part = np.divmod(np.arange(len(x)), d + 2)
    else:
        n_base = int(n)
        x = latin.sample(problem, n_base, seed=seed)
        sample_id, part = np.arange(len(x)), np.zeros(len(x), dtype=int)
    table = pd.DataFrame(x, columns=problem["names"])
    for r in rs:
        if is_integer(r.field):
            table[r.name] = table[r.name].round().astype(int)
    table.insert(0, "part", part.astype(np.int32))
    table.insert(0, "sample", sample_id.astype(np.int32))
    return Design(base, tuple(rs), method, n_base, int(seed), table)
