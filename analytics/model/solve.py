"""Solving a prepared model for the scenario's objective, on a warm engine.

Minimise dependence: D = N(x) / Dn(x) is a ratio of linear functions. Dinkelbach's method solves
min N(x) - lam Dn(x) for lam = D of the last plan until the minimum is 0; each step changes only
the costs, so HiGHS re-solves from the previous basis (two to four steps in practice). It starts
from the baseline plan (always feasible), so every lam is a plan's D and the sequence falls to the
exact optimum. The same loop solves the MILP of whole-project mode. Ties in D then go to the plan
that spends the least money (financing plus offtake spending).

The ties are the optimal face of the last LP: by complementary slackness, a feasible plan is
optimal exactly when every column with a non-zero reduced cost sits at its bound and every row
with a non-zero dual at its limit. The tie-break fixes those and minimises money over what is
left, a much smaller LP, from scratch so that the plan a link shows does not depend on what the
engine solved before; then the engine gets the optimum's basis back, so the next scenario starts
warm. (Whole projects, a MILP with no duals, keep a row N - D* Dn <= 0 instead.)
"""
from __future__ import annotations

import contextlib
import enum
from dataclasses import dataclass

import numpy as np

from analytics.model.engine import LARGE_LP, Engine, Solution
from analytics.model.formulation import Formulation, Numbers

_REL_TOL = 1e-9    # Dinkelbach stops when min N - lam Dn >= -_REL_TOL * Dn
_TIE_TOL = 1e-9    # plans within this relative distance of the optimal D count as ties
_MAX_STEPS = 30


NO_PLAN = np.empty(0)


class Status(enum.Enum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    ERROR = "error"


@dataclass(frozen=True)
class RawSolution:
    status: Status
    x: np.ndarray              # the plan (empty unless optimal)
    dependence: float          # D of x (0-1; nan unless optimal)
    duals_d: np.ndarray | None  # dD/d(row bound) at the optimum, per row (min-dependence LP only)
    message: str
    steps: int = 0
    final: Solution | None = None  # the last LP's solution (its duals describe the optimal face)


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
    x[form.u_cols] = numbers.col_lb[form.u_cols]
    return x


def ratio(numbers: Numbers, x: np.ndarray) -> float:
    return float(numbers.numerator @ x / (numbers.denominator @ x))


def _status(sol: Solution) -> Status:
    return {"optimal": Status.OPTIMAL, "infeasible": Status.INFEASIBLE,
            "time_limit": Status.TIME_LIMIT}.get(sol.status, Status.ERROR)


def min_dependence(engine: Engine, numbers: Numbers, start: np.ndarray) -> RawSolution:
    """Dinkelbach from the plan `start`; returns the optimal plan and its D.

    On an LP engine that has solved a scenario before, the first step uses that scenario's optimal
    D instead of start's: the costs then barely change from the last solve, so the old basis is
    nearly optimal and the step takes a few iterations instead of a cold-like re-solve. That step's
    plan (or start, if lower) then starts the usual iterations, so the answer is the same."""
    x, lam = start, ratio(numbers, start)
    probe = engine.last_dependence if not engine.is_mip else None
    probe = probe if probe is not None and probe < lam else None
    if engine.n > LARGE_LP:
        # warm simplex on a new scenario of a large LP took anywhere from 0.4 to 5 s at 84,000
        # columns (benchmark.py); interior point from scratch takes about 1.4 s every time
        engine.highs.clearSolver()
    for step in range(1, _MAX_STEPS + 1):
        engine.set_costs(numbers.numerator - (lam if probe is None else probe) * numbers.denominator)
        sol = engine.solve(start=x)
        if not sol.ok:
            return RawSolution(_status(sol), NO_PLAN, np.nan, None, f"the solver stopped: {sol.status}", step)
        if probe is not None:
            probe = None
            if ratio(numbers, sol.x) < lam:
                x, lam = sol.x, ratio(numbers, sol.x)
            continue
        value, den = sol.objective, float(numbers.denominator @ sol.x)
        if value >= -_REL_TOL * max(den, 1.0):
            # x (lam's plan) is optimal; sol.x ties with it: keep whichever has the lower D
            best = sol.x if ratio(numbers, sol.x) <= lam else x
            engine.last_dependence = min(lam, ratio(numbers, sol.x))
            return RawSolution(Status.OPTIMAL, best, engine.last_dependence, _duals(sol, den), "optimal", step, sol)
        x, lam = sol.x, ratio(numbers, sol.x)
    return RawSolution(Status.ERROR, NO_PLAN, np.nan, None, "the ratio iterations did not converge", _MAX_STEPS)


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


def _tie_weights(n: int) -> np.ndarray:
    """Fixed positive weights per column (1 to 2) for the last tie-break: drawn once from a seeded
    generator, so no sum of some columns' weights equals another's (evenly spaced weights do, and
    left swaps between two mines tied)."""
    return 1.0 + np.random.default_rng(20261129).random(n)


def least_money_on_face(engine: Engine, numbers: Numbers, final: Solution,
                        keep: tuple[np.ndarray, float] | None = None) -> Solution:
    """The plan spending the least money among the optimal plans of the LP `final` solved: columns
    with a non-zero reduced cost fixed at their bound, rows with a non-zero dual at their limit
    (non-zero: beyond HiGHS's dual feasibility tolerance). Solved from a cleared basis. `keep`
    (coefficients, upper limit) adds the objective's own limit, so that columns whose reduced
    cost is within the tolerance but not zero cannot move the plan off the optimum.

    Plans can tie on money too, and which of them a solver returns depends on how the face was
    written down (which duals were non-zero can differ with the path that led there), so a last
    step keeps the money at its least and minimises fixed distinct weights: one plan, whatever
    the engine solved before."""
    tol = float(engine.highs.getOptionValue("dual_feasibility_tolerance")[1])
    rc, dual = final.col_dual, final.row_dual
    if rc is None or dual is None:  # a MILP's answer has no duals, so no face to read
        return Solution("error", NO_PLAN, None, float("nan"), 0)
    lb, ub = engine.col_lb.copy(), engine.col_ub.copy()
    at_lb, at_ub = rc > tol, rc < -tol          # minimising: rc > 0 holds a column at its lower bound
    ub[at_lb], lb[at_ub] = lb[at_lb], ub[at_ub]
    lo, hi = engine.row_lo.copy(), engine.row_hi.copy()
    at_lo, at_hi = dual > tol, dual < -tol
    hi[at_lo], lo[at_hi] = lo[at_lo], hi[at_hi]
    money = numbers.financing + numbers.spending
    engine.set_costs(money)
    with engine.fixed(lb, ub, lo, hi), contextlib.ExitStack() as limits:
        if keep is not None:
            limits.enter_context(engine.extra_row(keep[0], -np.inf, keep[1]))
        engine.highs.clearSolver()
        least = engine.solve()
        if not least.ok:
            return least
        with engine.extra_row(money, -np.inf, least.objective + _TIE_TOL * max(1.0, abs(least.objective))):
            engine.set_costs(_tie_weights(engine.n))
            engine.highs.clearSolver()
            one = engine.solve()
    return one if one.ok else least


def _least_money_tie(engine: Engine, numbers: Numbers, best: RawSolution, cap: float) -> np.ndarray:
    """The least-money plan among those tying with `best` (its own plan when the tie-break fails)."""
    with engine.kept_basis():
        within = (numbers.numerator - cap * numbers.denominator, 0.0)  # D <= cap
        tie = least_money_on_face(engine, numbers, best.final, within) if best.final is not None else None
        if tie is None or not tie.ok:
            tie = least_money(engine, numbers, cap, start=best.x)
    return tie.x if tie.ok else best.x


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
        x = _least_money_tie(engine, numbers, best, cap)
        return RawSolution(Status.OPTIMAL, x, ratio(numbers, x), best.duals_d, "optimal", best.steps, best.final)
    if objective == "max_secure":
        engine.set_costs(-numbers.secure)
        sol = engine.solve(start=start)
        if not sol.ok:
            return RawSolution(_status(sol), NO_PLAN, np.nan, None, f"the solver stopped: {sol.status}")
        with engine.kept_basis():
            floor = sol.objective + _TIE_TOL * max(1.0, abs(sol.objective))
            tie = least_money_on_face(engine, numbers, sol, (-numbers.secure, floor))
            if not tie.ok:
                engine.set_costs(numbers.financing + numbers.spending)
                with engine.extra_row(-numbers.secure, -np.inf,
                                      sol.objective + _TIE_TOL * max(1.0, abs(sol.objective))):
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
            return RawSolution(Status.TIME_LIMIT, NO_PLAN, np.nan, None, "the solver ran out of time")
        best = min_dependence(engine, numbers, start)
        if best.status is not Status.OPTIMAL:
            return best
        return RawSolution(Status.INFEASIBLE, NO_PLAN, np.nan, None,
                           f"the dependence target of {target_pct:.1f} % cannot be reached; the lowest dependence "
                           f"these budgets and limits allow is {100 * best.dependence:.1f} %")
    raise ValueError(f"objective: unknown {objective!r}")
