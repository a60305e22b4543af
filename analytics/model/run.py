"""check -> build -> solve -> summarise for one scenario, on a warm engine per dataset.

The formulation (structure and matrix) is built once per distinct dataset; engines (HiGHS models
holding it) are lent from a pool, one thread at a time, and keep their basis between scenarios.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from analytics.model import solve as solving
from analytics.model.data import ModelData, cached_base, cached_key
from analytics.model.engine import DEFAULT_TIME_LIMIT_S, Engine, EnginePool
from analytics.model.formulation import Formulation, Numbers
from analytics.model.labels import Labeller
from analytics.model.results import Result, error_result, summarise
from analytics.model.scenario import Scenario

_FORMS: dict[str, tuple[Formulation, Labeller]] = {}
_lock = threading.Lock()
_POOL = EnginePool(size=8)  # engines kept per dataset: one per concurrent solve up to 8; more are built and dropped


def formulation(data: ModelData) -> tuple[str, Formulation, Labeller]:
    """The dataset's formulation and row labeller, built once per distinct content.

    Raises ValueError (naming the table and rows) when the data cannot be used."""
    key = cached_key(data)
    with _lock:
        hit = _FORMS.get(key)
    if hit is None:
        form = Formulation(cached_base(data)).attach(data.corridors, data.processing_capacity)
        hit = (form, Labeller(form, data))
        with _lock:
            if len(_FORMS) > 16:
                _FORMS.clear()
            _FORMS[key] = hit
    return key, *hit


def new_engine(form: Formulation) -> Engine:
    """A fresh HiGHS model of this formulation (no basis yet)."""
    engine = Engine(form.col_names, form.row_names, form.row_groups, form.A)
    engine.money_row, engine.money_cols = form.money, form.money_cols
    return engine


@contextmanager
def engine_for(key: str, form: Formulation, time_limit_s: float | None = None) -> Iterator[Engine]:
    """An engine holding this formulation, lent to the calling thread."""
    with _POOL.borrow(key, lambda: new_engine(form)) as engine:
        limit = DEFAULT_TIME_LIMIT_S if time_limit_s is None else float(time_limit_s)
        engine.time_limit_s = limit
        yield engine


def numbers_for(form: Formulation, data: ModelData, scenario: Scenario) -> Numbers:
    return form.numbers(scenario)


def solve_numbers(form: Formulation, engine: Engine, numbers: Numbers, scenario: Scenario) -> solving.RawSolution:
    """Load the numbers and solve; in whole-project mode the shadow prices come from the LP with
    the build decisions fixed at the MILP's answer."""
    solving.load(engine, numbers)
    raw = solving.solve(form, engine, numbers, scenario.objective, scenario.dependence_target_pct)
    if raw.status is solving.Status.OPTIMAL and numbers.integer.any() and scenario.objective == "min_dependence":
        lb, ub = numbers.col_lb.copy(), numbers.col_ub.copy()
        fixed = np.flatnonzero(numbers.integer)
        lb[fixed] = ub[fixed] = np.round(raw.x[fixed])
        engine.set_integer(np.zeros(form.n, bool))
        engine.set_cols(lb, ub)
        lp = solving.min_dependence(engine, numbers, raw.x)
        if lp.status is solving.Status.OPTIMAL:
            raw = solving.RawSolution(raw.status, raw.x, raw.dependence, lp.duals_d, raw.message, raw.steps)
    return raw


def run(data: ModelData, scenario: Scenario, *, time_limit_s: float | None = None) -> Result:
    """The optimal plan for one scenario. Whole-project mode (scenario.project_mode == "whole")
    makes build decisions binary (a MILP). Bad data gives a Result that says why, not an exception."""
    try:
        key, form, labels = formulation(data)
        numbers = numbers_for(form, data, scenario)
    except ValueError as exc:
        return error_result(scenario, f"the data cannot be used: {exc}")
    with engine_for(key, form, time_limit_s) as engine:
        raw = solve_numbers(form, engine, numbers, scenario)
    if raw.status is solving.Status.TIME_LIMIT:
        raw = solving.RawSolution(raw.status, solving.NO_PLAN, np.nan, None,
                                  f"the solver stopped at its time limit ({time_limit_s or DEFAULT_TIME_LIMIT_S:g} s) "
                                  "before proving a plan optimal; try partial builds (LP) instead of whole projects")
    return summarise(form, numbers, raw, scenario, data.minerals, labels.row)


def dependence_with(data: ModelData, scenarios: list[Scenario], *, time_limit_s: float | None = None) -> pd.Series:
    """The optimal D (%) of several scenarios on one warm engine (sweeps, frontiers): NaN where
    no optimal plan was found. Faster than run() per scenario because no tables are built."""
    key, form, _ = formulation(data)
    out = []
    with engine_for(key, form, time_limit_s) as engine:
        for s in scenarios:
            raw = solve_numbers(form, engine, numbers_for(form, data, s), s)
            out.append(100 * raw.dependence if raw.status is solving.Status.OPTIMAL else np.nan)
    return pd.Series(out, dtype=float)
