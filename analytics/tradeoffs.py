"""Trade-offs around one scenario: the financing-vs-dependence frontier, budget sweeps,
a tornado of the inputs that move dependence most, and dependence by year."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from analytics import model
from analytics.model import ModelData
from analytics.scenario import FIELD_BY_NAME, FINANCIER_FIELDS, Scenario

Progress = Callable[[float], None]


def _noop(_: float) -> None:
    pass


def frontier(data: ModelData, scenario: Scenario, *, n_points: int = 12, progress: Progress = _noop) -> pd.DataFrame:
    """Least financing (M USD) to reach dependence <= target, for targets from the lowest reachable
    dependence (with the scenario's budgets) up to today's: the epsilon-constraint frontier.

    Returns target_pct, financing_musd, dependence_pct, feasible.
    """
    best = model.run(data, scenario.replace(objective="min_dependence"))
    if not best.ok:
        return pd.DataFrame(columns=["target_pct", "financing_musd", "dependence_pct", "feasible"])
    lo, hi = best.dependence_after_pct, best.dependence_before_pct
    targets = np.linspace(lo + 1e-6 * max(1.0, lo), max(lo, hi), n_points)
    rows = []
    for i, t in enumerate(targets):
        r = model.run(data, scenario.replace(objective="min_financing", dependence_target_pct=float(min(100.0, t))))
        rows.append((float(t), r.financing_used_musd if r.ok else np.nan,
                     r.dependence_after_pct if r.ok else np.nan, r.ok))
        progress((i + 1) / len(targets))
    return pd.DataFrame(rows, columns=["target_pct", "financing_musd", "dependence_pct", "feasible"])


def budget_sweep(data: ModelData, scenario: Scenario, factors=(0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3)) -> pd.DataFrame:
    """Dependence when every partner budget is scaled by a factor (clipped to the slider range)."""
    rows = []
    for k in factors:
        changes = {name: min(FIELD_BY_NAME[name].hi, getattr(scenario, name) * k) for name in FINANCIER_FIELDS.values()}
        s = scenario.replace(**changes, objective="min_dependence")
        r = model.run(data, s)
        rows.append((k, s.total_budget_musd, r.dependence_after_pct if r.ok else np.nan, r.financing_used_musd))
    return pd.DataFrame(rows, columns=["budget_factor", "budget_musd", "dependence_pct", "financing_used_musd"])


TORNADO_FIELDS = ("budget_dfc_musd", "budget_exim_musd", "budget_jbic_musd", "budget_eib_musd",
                  "budget_private_musd", "budget_samruk_musd", "offtake_musd", "middle_corridor_ktpy",
                  "allied_capacity_pct", "russia_transit_pct", "lockin_pct", "target_year")


def _low_high(scenario: Scenario, name: str) -> tuple[float, float]:
    f = FIELD_BY_NAME[name]
    v = getattr(scenario, name)
    if name == "target_year":
        return max(f.lo, v - 3), min(f.hi, v + 3)
    if v == 0:
        return f.lo, min(f.hi, f.lo + (f.hi - f.lo) / 4)
    return max(f.lo, v * 0.5), min(f.hi, v * 1.5)


def tornado(data: ModelData, scenario: Scenario, *, progress: Progress = _noop) -> pd.DataFrame:
    """Dependence with each input at a low and a high value (others held), sorted by swing."""
    base = model.run(data, scenario.replace(objective="min_dependence"))
    rows = []
    for i, name in enumerate(TORNADO_FIELDS):
        lo, hi = _low_high(scenario, name)
        cast = int if name == "target_year" else float
        d = []
        for v in (lo, hi):
            r = model.run(data, scenario.replace(objective="min_dependence", **{name: cast(v)}))
            d.append(r.dependence_after_pct if r.ok else np.nan)
        f = FIELD_BY_NAME[name]
        rows.append((name, f.label, f.unit, lo, hi, d[0], d[1], base.dependence_after_pct))
        progress((i + 1) / len(TORNADO_FIELDS))
    out = pd.DataFrame(rows, columns=["field", "input", "unit", "low_value", "high_value",
                                      "dependence_at_low_pct", "dependence_at_high_pct", "dependence_base_pct"])
    out["swing_pts"] = (out.dependence_at_high_pct - out.dependence_at_low_pct).abs()
    return out.sort_values("swing_pts", ascending=False, ignore_index=True)


def timeline(data: ModelData, scenario: Scenario, years=range(2026, 2036)) -> pd.DataFrame:
    """Dependence by year: the optimal plan when each year is the target (projects produce only
    once their lead time allows) vs the status quo."""
    rows = []
    for y in years:
        r = model.run(data, scenario.replace(target_year=int(y)))
        rows.append((int(y), "Scenario plan", r.dependence_after_pct if r.ok else np.nan))
        rows.append((int(y), "Status quo", r.dependence_before_pct))
    return pd.DataFrame(rows, columns=["year", "case", "dependence_pct"])
