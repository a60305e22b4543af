"""Trade-offs around one scenario, each built from optimal solves of model.run:

- frontier: least financing F(t) to reach dependence D <= t (the epsilon-constraint method),
  for t from the lowest D the scenario's budgets allow up to today's D. F is non-increasing
  in t: a laxer target never needs more money.
- budget_sweep: the lowest D when every partner budget is scaled by a common factor.
- tornado: the lowest D with one input at a low and at a high value, the others held.

Every function takes `solve` (Scenario -> Result); the default is model.run on `data`,
memoised within the call, and a page passes its cached solve so analyses share solves.
The shipped data needs about 55 solves for all three plus the timeline.

Every function also takes a `budget` (analyses.budget.WorkBudget): points are solved coarse to fine
and, once the budget is spent, the rest are left out and a note in budget.notes says so.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from analytics import model
from analytics.analyses.budget import WorkBudget, spread
from analytics.analyses.timeline import timeline  # re-exported: tradeoffs.timeline
from analytics.model import ModelData, Result
from analytics.model.data import live_commitments
from analytics.model.scenario import FIELD_BY_NAME, FIELDS, FINANCIER_FIELDS, Scenario

__all__ = ["budget_sweep", "frontier", "low_high", "memoised", "timeline", "tornado"]

Solve = Callable[[Scenario], Result]
Progress = Callable[[float], None]

FRONTIER_COLUMNS = ["target_pct", "money_musd", "financing_musd", "spending_musd", "dependence_pct", "feasible"]
SWEEP_FACTORS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
# Every numeric input except the dependence target, which only the least-financing objective reads.
TORNADO_FIELDS = tuple(f.name for f in FIELDS
                       if not f.choices and not f.pattern and f.name != "dependence_target_pct")
# The lowest target is nudged up by this much (percentage points, relative) so that the
# solver's tolerances never make the exact optimum look unreachable.
_NUDGE = 1e-6


def memoised(data: ModelData) -> Solve:
    """model.run on `data`, remembering each Scenario's result (analyses revisit scenarios)."""
    cache: dict[Scenario, Result] = {}

    def solve(s: Scenario) -> Result:
        if s not in cache:
            cache[s] = model.run(data, s)
        return cache[s]

    return solve


MONEY_FIELDS = (*FINANCIER_FIELDS.values(), "commitments_pct", "offtake_musd")


def _no_budgets(s: Scenario) -> Scenario:
    """No partner money at all: no envelopes, letters of interest or offtake money."""
    return s.replace(**{name: 0.0 for name in MONEY_FIELDS})


def frontier(data: ModelData, scenario: Scenario, *, n_points: int = 12, solve: Solve | None = None,
             progress: Progress | None = None, budget: WorkBudget | None = None) -> pd.DataFrame:
    """Least partner money (financing of new capacity plus a year's offtake spending, M USD, within the
    scenario's budgets) to reach dependence <= target.

    Targets run evenly from the lowest reachable dependence (min_dependence with the scenario's
    budgets) to the dependence reachable with no money at all (above it the answer is 0), plus
    today's dependence as the last point. Returns target_pct, money_musd (= financing_musd +
    spending_musd), dependence_pct (of the least-money plan, <= target) and feasible; empty if the
    scenario has no feasible plan. About n_points + 3 solves.
    """
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2; got {n_points}")
    solve = solve or memoised(data)
    budget = budget if budget is not None else WorkBudget()
    base = scenario.replace(objective="min_dependence")
    best = budget.solve(solve, base)
    if best is None:
        budget.note(f"The frontier could not be traced within the work budget ({budget.describe()}).")
        return pd.DataFrame(columns=FRONTIER_COLUMNS)
    if not best.ok:
        return pd.DataFrame(columns=FRONTIER_COLUMNS)
    lo, today = best.dependence_after_pct, best.dependence_before_pct
    free = budget.solve(solve, _no_budgets(base))
    free_pct = free.dependence_after_pct if free is not None and free.ok else today
    targets = list(np.linspace(lo, max(lo, free_pct), n_points)) if free_pct > lo + 1e-9 else [lo]
    if today > targets[-1] + 1e-9:
        targets.append(today)
    targets[0] = lo + _NUDGE * max(1.0, lo)
    rows = []
    for i, k in enumerate(spread(len(targets))):  # coarse to fine: a frontier cut short still spans the range
        t = float(min(100.0, targets[k]))
        r = budget.solve(solve, scenario.replace(objective="min_financing", dependence_target_pct=t))
        if r is not None:
            money = (r.financing_used_musd + r.spending_musd) if r.ok else np.nan
            rows.append((t, money, r.financing_used_musd if r.ok else np.nan, r.spending_musd if r.ok else np.nan,
                         r.dependence_after_pct if r.ok else np.nan, r.ok))
        if progress:
            progress((i + 1) / len(targets))
    if len(rows) < len(targets):
        budget.note(f"The frontier shows {len(rows)} of its {len(targets)} points: the rest did not fit in the work "
                    f"budget ({budget.describe()}).")
    return pd.DataFrame(rows, columns=FRONTIER_COLUMNS).sort_values("target_pct", ignore_index=True)


def _scaled_budgets(scenario: Scenario, factor: float) -> Scenario:
    """Every money lever (envelopes, letters of interest, offtake money) times `factor`, clipped to
    its slider's range (letters of interest cannot go above 100 % of what was announced)."""
    return scenario.replace(**{name: float(min(FIELD_BY_NAME[name].hi, getattr(scenario, name) * factor))
                               for name in MONEY_FIELDS})


def budget_sweep(data: ModelData, scenario: Scenario, factors: Iterable[float] = SWEEP_FACTORS, *,
                 solve: Solve | None = None, progress: Progress | None = None,
                 budget: WorkBudget | None = None) -> pd.DataFrame:
    """The lowest dependence when every partner budget is scaled by each factor (0 = no
    financing, 1 = the scenario, 2 = double; a budget is clipped at its slider's maximum).

    Returns budget_factor, budget_musd (general envelopes and letters of interest after scaling),
    dependence_pct,
    financing_used_musd, feasible. One solve per factor.
    """
    solve = solve or memoised(data)
    letters = float(live_commitments(data).amount_musd.sum())
    factors = [float(k) for k in factors]
    if any(k < 0 for k in factors):
        raise ValueError(f"factors must be >= 0; got {factors}")
    budget = budget if budget is not None else WorkBudget()
    rows = []
    for i, j in enumerate(spread(len(factors))):
        k = factors[j]
        s = _scaled_budgets(scenario.replace(objective="min_dependence"), k)
        r = budget.solve(solve, s)
        if r is not None:
            rows.append((j, k, s.total_budget_musd + letters * s.commitments_pct / 100,
                         r.dependence_after_pct if r.ok else np.nan, r.financing_used_musd if r.ok else np.nan, r.ok))
        if progress:
            progress((i + 1) / len(factors))
    if len(rows) < len(factors):
        budget.note(f"The budget sweep shows {len(rows)} of its {len(factors)} budget levels: the rest did not fit "
                    f"in the work budget ({budget.describe()}).")
    out = pd.DataFrame(rows, columns=["order", "budget_factor", "budget_musd", "dependence_pct", "financing_used_musd",
                                      "feasible"])
    return out.sort_values("order", ignore_index=True).drop(columns="order")


def low_high(scenario: Scenario, name: str) -> tuple[float, float]:
    """The low and high values the tornado tries for one input: half and one and a half times
    its value (years: three either side; a zero value: up to a quarter of the range),
    clipped to the input's range."""
    lo, hi = FIELD_BY_NAME[name].bounds
    v = getattr(scenario, name)
    if name == "target_year":
        return int(max(lo, v - 3)), int(min(hi, v + 3))
    if v == 0:
        return lo, min(hi, lo + (hi - lo) / 4)
    return max(lo, v * 0.5), min(hi, v * 1.5)


def tornado(data: ModelData, scenario: Scenario, *, fields: Iterable[str] = TORNADO_FIELDS,
            solve: Solve | None = None, progress: Progress | None = None,
            budget: WorkBudget | None = None) -> pd.DataFrame:
    """The lowest dependence with each input at its low and high value (others held), widest
    swing first. The Russia weight changes what dependence counts, not the world, and is kept
    because how much the answer hinges on it is itself worth seeing.

    Returns field, input, unit, low_value, high_value, dependence_at_low_pct,
    dependence_at_high_pct, dependence_base_pct, swing_pts. At most 2 solves per input + 1.
    """
    solve = solve or memoised(data)
    budget = budget if budget is not None else WorkBudget()
    fields = list(fields)
    base_s = scenario.replace(objective="min_dependence")
    base = budget.solve(solve, base_s)
    base_pct = base.dependence_after_pct if base is not None and base.ok else np.nan
    rows, missed = [], []
    for i, name in enumerate(fields):
        f = FIELD_BY_NAME[name]
        lo, hi = low_high(scenario, name)
        d = []
        for v in (lo, hi):
            r = budget.solve(solve, base_s.replace(**{name: v}))
            d.append(r.dependence_after_pct if r is not None and r.ok else np.nan)
            if r is None:
                missed.append(f.label)
        rows.append((name, f.label, f.unit, lo, hi, d[0], d[1], base_pct))
        if progress:
            progress((i + 1) / len(fields))
    if base is None or missed:
        inputs = ", ".join(dict.fromkeys(missed)) or "every input"
        budget.note(f"The tornado could not vary {inputs} within the work budget ({budget.describe()}).")
    out = pd.DataFrame(rows, columns=["field", "input", "unit", "low_value", "high_value",
                                      "dependence_at_low_pct", "dependence_at_high_pct", "dependence_base_pct"])
    out["swing_pts"] = (out.dependence_at_high_pct - out.dependence_at_low_pct).abs()
    return out.sort_values("swing_pts", ascending=False, kind="stable", na_position="last", ignore_index=True)
