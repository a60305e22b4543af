"""Which inputs drive dependence: Sobol' indices of a sweep's output, with confidence intervals (SALib).

First-order index S1 of an input: the share of the output's variance it explains alone. Total index ST:
the share it explains with all its interactions (ST >= S1; ST near 0 means the input does not matter
over its range). Confidence intervals come from SALib's bootstrap (95 %, `conf` is the half-width).

Saltelli's estimators need every scenario of a base sample: a base sample with a scenario that has no
plan (infeasible, error) or that a work budget did not reach is left out whole, and the note says how
many. A Latin hypercube gives first-order indices by RBD-FAST (no total indices).

>>> import numpy as np, pandas as pd
>>> from analytics.sweep import design
>>> d = design.sample(design.ranges(["prem", "offt"]), n=512, method="sobol", seed=1)
>>> y = 2 * d.table.premium_floor_pct / 100 + 0.1 * d.table.offtake_musd / 5000   # the premium dominates
>>> ix = sobol(d, d.table.assign(dependence_after_pct=y))
>>> ix.table.set_index("input").ST.idxmax()
'premium_floor_pct'
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.sweep.design import Design

OUTPUT = "dependence_after_pct"
COLUMNS = ["input", "label", "unit", "lo", "hi", "S1", "S1_conf", "ST", "ST_conf"]
MIN_LHS = 50


@dataclass(frozen=True)
class Indices:
    """One row per varied input (COLUMNS); used/left_out count base samples (scenarios for 'lhs')."""

    table: pd.DataFrame
    method: str
    used: int
    left_out: int
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.table.empty


def _frame(design: Design, s1, s1c, st, stc) -> pd.DataFrame:
    rows = [{"input": r.name, "label": r.field.label, "unit": r.field.unit, "lo": r.lo, "hi": r.hi,
             "S1": float(a), "S1_conf": float(b), "ST": float(c), "ST_conf": float(e)}
            for r, a, b, c, e in zip(design.ranges, s1, s1c, st, stc)]
    return pd.DataFrame(rows, columns=COLUMNS)


def sobol(design: Design, results: pd.DataFrame, *, output: str = OUTPUT, seed: int = 0,
          resamples: int = 100) -> Indices:
    """Indices of `output` over the design's inputs, from the results of its rows ('sample', 'part' and
    the output column; rows in any order)."""
    from SALib.analyze import rbd_fast
    from SALib.analyze import sobol as sobol_analyze

    empty = pd.DataFrame(columns=COLUMNS)
    seed = int(seed) + 1  # SALib takes a seed of 0 as "no seed": its intervals would change on every call
    y = pd.to_numeric(results[output], errors="coerce")
    if design.method == "lhs":
        ok = np.isfinite(y.to_numpy(float))
        used, left = int(ok.sum()), int((~ok).sum())
        if used < MIN_LHS:
            return Indices(empty, "lhs", used, left, f"First-order indices need at least {MIN_LHS} scenarios "
                                                     f"with a plan; this sweep has {used}.")
        yv = y.to_numpy(float)[ok]
        zeros, nan = np.zeros(len(design.ranges)), np.full(len(design.ranges), math.nan)
        if np.ptp(yv) == 0:
            return Indices(_frame(design, zeros, zeros, nan, nan), "lhs", used, left,
                           "Dependence is the same in every scenario: no input moves it over these ranges.")
        x = results[design.names].to_numpy(float)[ok]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            res = rbd_fast.analyze(design.problem, x, yv, seed=seed, num_resamples=resamples)
        return Indices(_frame(design, res["S1"], res["S1_conf"], nan, nan), "lhs", used, left,
                       _left_out(left, "scenarios"))

    size = design.block_size
    frame = pd.DataFrame({"sample": results["sample"].to_numpy(), "part": results["part"].to_numpy(), "y": y})
    counts = frame.groupby("sample").agg(n=("y", "size"), finite=("y", lambda v: bool(np.isfinite(v).all())))
    good = counts.index[(counts.n == size) & counts.finite]
    planned = design.n_base
    used, left = len(good), planned - len(good)
    if used < 2:
        return Indices(empty, "sobol", used, left, f"Sobol' indices need at least 2 complete base samples of "
                                                   f"{size} scenarios with a plan; this sweep has {used}.")
    ordered = frame[frame["sample"].isin(good)].sort_values(["sample", "part"])
    yv = ordered.y.to_numpy(float)
    if np.ptp(yv) == 0:
        zeros = np.zeros(len(design.ranges))
        return Indices(_frame(design, zeros, zeros, zeros, zeros), "sobol", used, left,
                       "Dependence is the same in every scenario: no input moves it over these ranges.")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = sobol_analyze.analyze(design.problem, yv, calc_second_order=False, num_resamples=resamples,
                                    conf_level=0.95, seed=seed)
    note = _left_out(left, "base samples")
    if used < 32:
        note = (note + " " if note else "") + (f"With {used} base samples the intervals are wide: read the "
                                               "ranking, not the decimals.")
    return Indices(_frame(design, res["S1"], res["S1_conf"], res["ST"], res["ST_conf"]), "sobol", used, left, note)


def _left_out(n: int, what: str) -> str:
    if not n:
        return ""
    return (f"{n:,} {what} were left out (a scenario in them has no plan, or was not solved within the "
            "work budget).")
