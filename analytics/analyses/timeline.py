"""Dependence by year: the scenario's optimal plan when each year 2026-2035 is the target,
against the same year without the plan.

For a target year y only projects whose lead time lets them produce by y can be built, so
the plan for y is model.run(data, scenario.replace(target_year=y)): one solve per year. The
status quo for y is today's flows plus new capacity its owners fund that produces by y (so it
can rise, e.g. when a Chinese-owned expansion comes on stream). Ten solves for 2026-2035; the
per-mineral table comes from the same solves at no extra cost.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import model
from analytics.analyses.budget import WorkBudget, spread
from analytics.model import ModelData, Result
from analytics.model.scenario import Scenario

YEARS = tuple(range(2026, 2036))
PLAN = "Scenario plan"
STATUS_QUO = "Without the plan"

Solve = Callable[[Scenario], Result]
Progress = Callable[[float], None]

OVERALL_COLUMNS = ["year", "case", "dependence_pct", "financing_musd", "feasible"]
MINERAL_COLUMNS = ["year", "case", "mineral_id", "mineral", "dependence_pct"]


@dataclass(frozen=True)
class Timeline:
    """overall: year, case, dependence_pct, financing_musd, feasible (one row per year and case).
    by_mineral: year, case, mineral_id, mineral, dependence_pct."""

    overall: pd.DataFrame
    by_mineral: pd.DataFrame


def dependence_by_year(data: ModelData, scenario: Scenario, *, years: Iterable[int] = YEARS,
                       solve: Solve | None = None, progress: Progress | None = None,
                       budget: WorkBudget | None = None) -> Timeline:
    """Dependence (%) of the scenario's optimal plan with each year as the target, and of the
    status quo, overall and per mineral. A year with no feasible plan has dependence NaN and
    feasible False (e.g. a dependence target that cannot be met that early).

    `solve` replaces model.run(data, .) (a page passes its cached solve); `progress` is called
    with the fraction done after each year; `budget` limits the solves (years are solved coarse to
    fine, and a year left out is said in budget.notes).
    """
    solve = solve or (lambda s: model.run(data, s))
    budget = budget if budget is not None else WorkBudget()
    years = [int(y) for y in years]
    overall, minerals = [], []
    done = 0
    for i, j in enumerate(spread(len(years))):
        y = years[j]
        r = budget.solve(solve, scenario.replace(target_year=y))
        if progress:
            progress((i + 1) / len(years))
        if r is None:
            continue
        done += 1
        after = r.dependence_after_pct if r.ok else np.nan
        overall.append((y, PLAN, after, r.financing_used_musd if r.ok else np.nan, r.ok))
        overall.append((y, STATUS_QUO, r.dependence_baseline_pct, 0.0, True))
        if not r.by_mineral.empty:
            bm = r.by_mineral
            plan = bm.dependence_after_pct if r.ok and "dependence_after_pct" in bm else np.nan
            minerals.append(pd.DataFrame({"year": y, "case": PLAN, "mineral_id": bm.mineral_id,
                                          "mineral": bm.mineral, "dependence_pct": plan}))
            minerals.append(pd.DataFrame({"year": y, "case": STATUS_QUO, "mineral_id": bm.mineral_id,
                                          "mineral": bm.mineral, "dependence_pct": bm.dependence_baseline_pct}))
    if done < len(years):
        budget.note(f"Dependence by year shows {done} of {len(years)} years: the rest did not fit in the work budget "
                    f"({budget.describe()}).")
    by_mineral = (pd.concat(minerals, ignore_index=True).sort_values(["year", "case"], kind="stable",
                                                                     ignore_index=True)
                  if minerals else pd.DataFrame(columns=MINERAL_COLUMNS))
    overall_df = pd.DataFrame(overall, columns=OVERALL_COLUMNS).sort_values("year", kind="stable", ignore_index=True)
    return Timeline(overall_df, by_mineral[MINERAL_COLUMNS])


def timeline(data: ModelData, scenario: Scenario, years: Iterable[int] = YEARS, *,
             solve: Solve | None = None) -> pd.DataFrame:
    """The overall table of dependence_by_year: year, case, dependence_pct, financing_musd, feasible."""
    return dependence_by_year(data, scenario, years=years, solve=solve).overall
