"""What each lever buys: shadow-price sentences checked by re-solving, and the waterfall from
today's dependence to the plan's.

What binds: for each binding limit, the plan is re-solved (warm) with that limit moved by a step
it can take (inside the range where its marginal value holds, and never more than the limit
itself for a contract), and the sentence quotes that re-solve's change in D.

Waterfall: today -> the target year without the plan (funded new capacity, cargo that a cut
corridor pushes elsewhere) -> each lever's part -> the plan. The levers' parts are Shapley values
over the lever groups (each group's average marginal effect over every order of switching them
on), so they sum exactly to the plan's D minus the baseline's, whatever the interactions.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from itertools import combinations

import numpy as np
import pandas as pd

from analytics.model import solve as solving
from analytics.model.data import ModelData
from analytics.model.formulation import Formulation, Numbers
from analytics.model.results import UNITS, Result, today_q
from analytics.model.run import engine_for, formulation, numbers_for
from analytics.model.scenario import FINANCIER_FIELDS, Scenario

# one more of this (in the row's unit) is the natural step a sentence is quoted for
NATURAL_STEP = {"budget": 100.0, "offtake": 100.0, "corridor": 100.0, "processing": 1000.0, "keep": 1000.0,
                "exposure": 100.0}
MIN_POINTS = 0.005  # sentences for smaller effects are not worth a reader's time
WHAT_BINDS_COLUMNS = ["constraint", "group", "label", "step", "unit", "change_pts", "limit", "sentence"]


def nice_step(limit: float) -> float:
    """The largest 1-2-5 number not above `limit` (at least 1e-3)."""
    if not math.isfinite(limit) or limit <= 0:
        return 0.0
    e = math.floor(math.log10(limit))
    for m in (5, 2, 1):
        if m * 10 ** e <= limit * (1 + 1e-9):
            return float(m * 10 ** e)
    return float(10 ** e)


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.3g}"


def _step(group: str, limit: float, room: float) -> float:
    """The step quoted for a limit: its natural unit, never beyond the range where its marginal value
    holds (room), and for a contract never more than the tonnes it holds."""
    step = NATURAL_STEP[group]
    if group in ("processing", "keep") and limit > 0:
        step = min(step, nice_step(0.1 * limit) if limit >= 10 else limit)
    if group == "keep":
        step = min(step, limit)
    if np.isfinite(room) and room > 0:
        step = min(step, nice_step(room) if room >= 1 else room)
    return float(step)


def _dependence(engine, numbers: Numbers, start: np.ndarray) -> float:
    raw = solving.min_dependence(engine, numbers, start)
    return 100 * raw.dependence if raw.status is solving.Status.OPTIMAL else np.nan


def sentence(label: str, group: str, step: float, unit: str, change_pts: float) -> str:
    verb = "lowers" if change_pts < 0 else "raises"
    if group == "keep":
        return (f"Releasing {_fmt(step)} {unit} held by {label} would {verb[:-1]} dependence by "
                f"{abs(change_pts):.2f} points.")
    return f"One more {_fmt(step)} {unit} of {label} {verb} dependence by {abs(change_pts):.2f} points."


def what_binds(data: ModelData, result: Result, *, max_rows: int = 12) -> pd.DataFrame:
    """The binding limits worth relaxing, largest effect first, each with its step and the change in
    dependence (points) that a re-solve gives for that step. Empty unless the scenario minimises
    dependence and was solved."""
    s = result.scenario
    c = result.constraints
    if not result.ok or s.objective != "min_dependence" or c.empty:
        return pd.DataFrame(columns=WHAT_BINDS_COLUMNS)
    key, form, _ = formulation(data)
    numbers = numbers_for(form, data, s)
    cand = c[c.binding & (c.marginal_pts_per_unit.abs() > 0)].copy()
    # marginal estimate for the natural step, to choose which rows to re-solve
    cand["estimate"] = cand.marginal_pts_per_unit.abs() * cand.group.map(NATURAL_STEP).astype(float)
    cand = cand.sort_values("estimate", ascending=False).head(2 * max_rows)
    rows = []
    index = {n: i for i, n in enumerate(form.row_names)}
    with engine_for(key, form) as engine:
        solving.load(engine, numbers)
        base = solving.min_dependence(engine, numbers, solving.baseline_x(form, numbers))
        if base.status is not solving.Status.OPTIMAL:
            return pd.DataFrame(columns=WHAT_BINDS_COLUMNS)
        d0 = 100 * base.dependence
        up, down = engine.ranging_up(), engine.ranging_down()
        for r in cand.itertuples():
            i = index[r.constraint]
            lower = r.group == "keep"
            step = _step(r.group, float(r.limit), float(down[i] if lower else up[i]))
            if step <= 0:
                continue
            lo, hi = numbers.row_lo[i], numbers.row_hi[i]
            engine.set_row(i, lo - step, hi) if lower else engine.set_row(i, lo, hi + step)
            d1 = _dependence(engine, numbers, base.x)
            engine.set_row(i, lo, hi)
            change = d1 - d0
            if np.isfinite(change) and abs(change) >= MIN_POINTS:
                rows.append((r.constraint, r.group, r.label, step, UNITS[r.group], change, float(r.limit),
                             sentence(r.label, r.group, step, UNITS[r.group], change)))
    out = pd.DataFrame(rows, columns=WHAT_BINDS_COLUMNS)
    return out.sort_values("change_pts", key=abs, ascending=False, ignore_index=True).head(max_rows)


# ----------------------------------------------------------------------------- waterfall

def lever_groups(s: Scenario, baseline_mc_kt: float) -> dict[str, dict]:
    """Each lever group and the scenario values that switch it off."""
    return {
        "Letters of interest and loans for named projects": {"commitments_pct": 0.0},
        "General financing envelopes": {name: 0.0 for name in FINANCIER_FIELDS.values()},
        "Allied offtake money": {"offtake_musd": 0.0},
        "Middle Corridor room beyond today's use": {"middle_corridor_ktpy": min(s.middle_corridor_ktpy, baseline_mc_kt)},
        "Allied processing room": {"allied_capacity_pct": 0.0},
    }


WATERFALL_COLUMNS = ["step", "kind", "change_pts", "start_pct", "end_pct"]


class _Memo:
    """The optimal D of recent (data, scenario) pairs, at most `size` (oldest forgotten first): moving
    one slider leaves half of the waterfall's 32 lever subsets as they were."""

    def __init__(self, size: int = 4096) -> None:
        self._d: OrderedDict[tuple[str, Scenario], float] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, Scenario]) -> float | None:
        with self._lock:
            hit = self._d.get(key)
            if hit is not None:
                self._d.move_to_end(key)
            return hit

    def put(self, key: tuple[str, Scenario], value: float) -> None:
        with self._lock:
            self._d[key] = value
            while len(self._d) > self._size:
                self._d.popitem(last=False)


_SUBSETS = _Memo()


def waterfall(data: ModelData, scenario: Scenario) -> pd.DataFrame:
    """Today -> without the plan -> each lever -> the plan, for the min-dependence plan of this
    scenario. Rows: step, kind (total / change), change_pts, start_pct, end_pct. The changes sum
    exactly to the plan's D minus today's (Shapley values over the lever groups: 2^5 warm solves)."""
    s = scenario.replace(objective="min_dependence")
    key, form, _ = formulation(data)
    full = numbers_for(form, data, s)
    b = form.base
    a = b.price_usd_per_t * b.weight
    today = 100 * _ratio_q(today_q(b), a, full.exposure)
    baseline = 100 * _ratio_q(full.baseline_q, a, full.exposure)
    mc_routes = form.corridor_routes.get("middle_corridor", np.array([], int))
    mc_use = float((full.baseline_q[:, mc_routes] * b.cargo_t_per_t[:, None]).sum() / 1000) if len(mc_routes) else 0.0
    groups = lever_groups(s, mc_use)
    names = list(groups)
    n = len(names)
    value: dict[frozenset, float] = {}
    todo: list[tuple[frozenset, Scenario]] = []
    for code in range(2 ** n):
        gray = code ^ (code >> 1)  # neighbours differ by one lever: each solve starts near the last
        on = frozenset(i for i in range(n) if gray >> i & 1)
        sub = s.replace(**{k: v for i, g in enumerate(names) if i not in on for k, v in groups[g].items()})
        hit = _SUBSETS.get((key, sub))
        if hit is None:
            todo.append((on, sub))
        else:
            value[on] = hit
    if todo:
        with engine_for(key, form) as engine:
            for on, sub in todo:
                num = numbers_for(form, data, sub)
                solving.load(engine, num)
                raw = solving.min_dependence(engine, num, solving.baseline_x(form, num))
                value[on] = 100 * raw.dependence if raw.status is solving.Status.OPTIMAL else np.nan
                _SUBSETS.put((key, sub), value[on])
    shapley = []
    for i in range(n):
        phi = 0.0
        for size in range(n):
            for subset in combinations([j for j in range(n) if j != i], size):
                w = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                phi += w * (value[frozenset(subset) | {i}] - value[frozenset(subset)])
        shapley.append(phi)
    free = value[frozenset()] - baseline  # moves the model makes at no cost (only with a 0 % premium floor)
    rows = [("Today", "total", 0.0, today, today)]
    level = today
    steps = [(f"Without the plan, {s.target_year}", baseline - today)]
    if abs(free) > 1e-9:
        steps.append(("Moves that cost nothing", free))
    steps += list(zip(names, shapley))
    for name, change in steps:
        rows.append((name, "change", change, level, level + change))
        level += change
    rows.append(("With the plan", "total", 0.0, level, level))
    return pd.DataFrame(rows, columns=WATERFALL_COLUMNS)


def _ratio_q(q: np.ndarray, a: np.ndarray, exposure: np.ndarray) -> float:
    w = a[:, None] * q
    return float((w * exposure[None, :]).sum() / w.sum())


__all__ = ["WATERFALL_COLUMNS", "WHAT_BINDS_COLUMNS", "nice_step", "waterfall", "what_binds", "Formulation"]
