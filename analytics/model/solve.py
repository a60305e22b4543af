"""Solving a prepared model for the scenario's objective, on a warm engine.

Minimise dependence: D = N(x) / Dn(x) is a ratio of linear functions. Dinkelbach's method solves
min N(x) - lam Dn(x) for lam = D of the last plan until the minimum is 0; each step changes only
the costs, so HiGHS re-solves from the previous basis (two to four steps in practice). It starts
from the baseline plan (always feasible), so every lam is a plan's D and the sequence falls to the
exact optimum. The same loop solves the MILP of whole-project mode. Ties in D then go to the plan
that spends the least money (financing plus offtake spending).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from analytics.model.engine import Engine, Solution
from analytics.model.formulation import Formulation, Numbers

_REL_TOL = 1e-9    # Dinkelbach stops when min N - lam Dn >= -_REL_TOL * Dn
_TIE_TOL = 1e-9    # plans within this relative distance of the optimal D count as ties
_MAX_STEPS = 30


class Status(enum.Enum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    ERROR = "error"


@dataclass(frozen=True)
class RawSolution:
    status: Status
    x: np.ndarray | None
    dependence: float | None   # D of x (0-1)
    duals_d: np.ndarray | None  # dD/d(row bound) at the optimum, per row (min-dependence LP only)
    message: str
    steps: int = 0


def load(engine: Engine, numbers: Numbers) -> None:
    """Put a scenario's numbers into the engine (bounds, integrality); costs are set per solve."""
    engine.set_cols(numbers.col_lb, numbers.col_ub)
    engine.set_rows(numbers.row_lo, numbers.row_hi)
    engine.set_integer(numbers.integer)
    engine.set_row_coeffs(engine.money_row, engine.money_cols, numbers.money_coeffs)


def baseline_x(form: Formulation, numbers: Numbers) -> np.ndarray:
    """The plan that changes nothing: baseline flows, funded builds, no money. Always feasible."""
    x = np.zeros(form.n)
    x[form.q0:form.q0 + form.P * form.R] = numbers.baseline_q.ravel()
    for p in form.u_proj:
        x[form.u_of[p]] = numbers.col_lb[form.u_of[p]]
    return x


def ratio(numbers: Numbers, x: np.ndarray) -> float:
    return float(numbers.numerator @ x / (numbers.denominator @ x))


def _status(sol: Solution) -> Status:
    return {"optimal": Status.OPTIMAL, "infeasible": Status.INFEASIBLE,
            "time_limit": Status.TIME_LIMIT}.get(sol.status, Status.ERROR)


def min_dependence(engine: Engine, numbers: Numbers, start: np.ndarray) -> RawSolution:
    """Dinkelbach from the plan `start`; returns the optimal plan and its D."""
    x, lam = start, ratio(numbers, start)
    for step in range(1, _MAX_STEPS + 1):
        engine.set_costs(numbers.numerator - lam * numbers.denominator)
        sol = engine.solve(start=x)
        if not sol.ok:
            return RawSolution(_status(sol), None, None, None, f"the solver stopped: {sol.status}", step)
        value, den = sol.objective, float(numbers.denominator @ sol.x)
        if value >= -_REL_TOL * max(den, 1.0):
            # x (lam's plan) is optimal; sol.x ties with it: keep whichever has the lower D
            best = sol.x if ratio(numbers, sol.x) <= lam else x
            return RawSolution(Status.OPTIMAL, best, min(lam, ratio(numbers, sol.x)), _duals(sol, den), "optimal", step)
        x, lam = sol.x, ratio(numbers, sol.x)
    return RawSolution(Status.ERROR, None, None, None, "the ratio iterations did not converge", _MAX_STEPS)


def _duals(sol: Solution, den: float) -> np.ndarray | None:
    """dD*/db = dF/db / Dn(x*) at the optimum of F = min N - D* Dn (envelope theorem)."""
    return None if sol.row_dual is None else sol.row_dual / den


def least_money(engine: Engine, numbers: Numbers, cap: float, start: np.ndarray | None = None) -> Solution:
    """The plan spending the least money (financing + offtake spending) with D <= cap.

    Solved from a cleared basis: when several plans tie, the one reported must not depend on what
    the engine solved before, so that a shared link shows the same plan on any server."""
    engine.set_costs(numbers.financing + numbers.spending)
    with engine.extra_row(numbers.numerator - cap * numbers.denominator, -np.inf, 0.0):
        engine.highs.clearSolver()
        return engine.solve(start=start)


def solve(form: Formulation, engine: Engine, numbers: Numbers, objective: str, target_pct: float) -> RawSolution:
    """Solve for one objective; the engine already holds the scenario's numbers (see load)."""
    start = baseline_x(form, numbers)
    if objective == "min_dependence":
        best = min_dependence(engine, numbers, start)
        if best.status is not Status.OPTIMAL:
            return best
        # D* rounded to 12 digits: the warm steps that found it may differ in the last bits from one
        # server to another, and the plan reported must not (the tie-break itself starts cold)
        cap = float(f"{best.dependence:.12g}") * (1 + _TIE_TOL) + 1e-12
        tie = least_money(engine, numbers, cap, start=best.x)
        x = tie.x if tie.ok else best.x
        return RawSolution(Status.OPTIMAL, x, ratio(numbers, x), best.duals_d, "optimal", best.steps)
    if objective == "max_secure":
        engine.set_costs(-numbers.secure)
        sol = engine.solve(start=start)
        if not sol.ok:
            return RawSolution(_status(sol), None, None, None, f"the solver stopped: {sol.status}")
        engine.set_costs(numbers.financing + numbers.spending)
        with engine.extra_row(-numbers.secure, -np.inf, sol.objective + _TIE_TOL * max(1.0, abs(sol.objective))):
            engine.highs.clearSolver()  # ties resolved the same way whatever was solved before
            tie = engine.solve(start=sol.x)
        x = tie.x if tie.ok else sol.x
        return RawSolution(Status.OPTIMAL, x, ratio(numbers, x), None, "optimal")
    if objective == "min_financing":
        target = target_pct / 100.0
        sol = least_money(engine, numbers, target, start=start)
        if sol.ok:
            return RawSolution(Status.OPTIMAL, sol.x, ratio(numbers, sol.x), None, "optimal")
        if sol.status == "time_limit":
            return RawSolution(Status.TIME_LIMIT, None, None, None, "the solver ran out of time")
        best = min_dependence(engine, numbers, start)
        if best.status is not Status.OPTIMAL:
            return best
        return RawSolution(Status.INFEASIBLE, None, None, None,
                           f"the dependence target of {target_pct:.1f} % cannot be reached; the lowest dependence "
                           f"these budgets and limits allow is {100 * best.dependence:.1f} %")
    raise ValueError(f"objective: unknown {objective!r}")
