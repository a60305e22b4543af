"""A small named-row LP builder over scipy.optimize (HiGHS).

Every variable and every row has a structured name ("budget[exim]", "corridor[middle_corridor]")
and a group, so duals and infeasibilities can be reported in a user's words.

Every solve has a time limit (HiGHS's time_limit): `time_limit_s`, else DEFAULT_TIME_LIMIT_S, and
never past the deadline of an enclosing `with deadline(seconds):` block (per thread of execution).
A solve that reaches it raises TimeLimitReached rather than returning a half-finished answer.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

DEFAULT_TIME_LIMIT_S = 60.0
_DEADLINE: ContextVar[float | None] = ContextVar("heartland_solve_deadline", default=None)


class TimeLimitReached(RuntimeError):
    """HiGHS stopped at its time limit (or the enclosing deadline had already passed)."""


@contextmanager
def deadline(seconds: float):
    """Solves inside the with-block stop `seconds` from now (or at an enclosing block's earlier deadline)."""
    end = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds to the enclosing deadline (None: no deadline)."""
    end = _DEADLINE.get()
    return None if end is None else end - time.monotonic()


def _time_limit(time_limit_s: float | None) -> float:
    limit = DEFAULT_TIME_LIMIT_S if time_limit_s is None else float(time_limit_s)
    end = _DEADLINE.get()
    if end is not None:
        limit = min(limit, end - time.monotonic())
    if limit <= 0:
        raise TimeLimitReached("no time left for another solve")
    return limit


@dataclass
class Row:
    name: str
    group: str
    sense: str  # "<=", ">=", "=="
    rhs: float


@dataclass
class LP:
    """Rows are kept as triplets; `matrices()` turns them into scipy's A_ub/A_eq form."""

    var_names: list[str] = field(default_factory=list)
    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    _r: list[int] = field(default_factory=list)
    _c: list[int] = field(default_factory=list)
    _v: list[float] = field(default_factory=list)

    def var(self, name: str, lb: float = 0.0, ub: float = np.inf, integer: bool = False) -> int:
        self.var_names.append(name)
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        return len(self.var_names) - 1

    def row(self, name: str, group: str, coeffs: dict[int, float], sense: str, rhs: float) -> int:
        i = len(self.rows)
        self.rows.append(Row(name, group, sense, float(rhs)))
        for j, v in coeffs.items():
            if v:
                self._r.append(i)
                self._c.append(j)
                self._v.append(float(v))
        return i

    @contextmanager
    def temporary_row(self, name: str, group: str, coeffs: np.ndarray, sense: str, rhs: float):
        """Add a row (dense coefficients) for the duration of a with-block, then remove it."""
        nnz = len(self._v)
        i = self.row(name, group, {j: v for j, v in enumerate(coeffs) if v}, sense, rhs)
        try:
            yield i
        finally:
            del self._r[nnz:], self._c[nnz:], self._v[nnz:]
            self.rows.pop(i)

    @property
    def n(self) -> int:
        return len(self.var_names)

    def matrix(self) -> sparse.csr_array:
        return sparse.csr_array((self._v, (self._r, self._c)), shape=(len(self.rows), self.n))

    def split(self):
        """(A_ub, b_ub, ub_rows, ub_signs, A_eq, b_eq, eq_rows) with >= rows negated into <=."""
        A = self.matrix()
        senses = np.array([r.sense for r in self.rows])
        rhs = np.array([r.rhs for r in self.rows])
        ub_rows = np.flatnonzero(senses != "==")
        eq_rows = np.flatnonzero(senses == "==")
        signs = np.where(senses[ub_rows] == ">=", -1.0, 1.0)
        A_ub = sparse.diags_array(signs) @ A[ub_rows] if len(ub_rows) else None
        b_ub = signs * rhs[ub_rows] if len(ub_rows) else None
        A_eq = A[eq_rows] if len(eq_rows) else None
        b_eq = rhs[eq_rows] if len(eq_rows) else None
        return A_ub, b_ub, ub_rows, signs, A_eq, b_eq, eq_rows


@dataclass(frozen=True)
class LPSolution:
    ok: bool
    status: int
    message: str
    x: np.ndarray | None
    objective: float | None
    duals: np.ndarray | None  # d(objective)/d(rhs) per row, in the row's own sense


def solve(lp: LP, c: np.ndarray, *, integral: bool = False, time_limit_s: float | None = None) -> LPSolution:
    """Minimise c @ x over the LP's rows and bounds. Duals are per row in its written sense.

    Raises TimeLimitReached when HiGHS stops at the time limit (see the module's docstring)."""
    limit = _time_limit(time_limit_s)
    A_ub, b_ub, ub_rows, signs, A_eq, b_eq, eq_rows = lp.split()
    bounds = list(zip(lp.lb, lp.ub))
    if integral and any(lp.integer):
        cons = []
        A = lp.matrix()
        senses = [r.sense for r in lp.rows]
        rhs = np.array([r.rhs for r in lp.rows])
        lo = np.where([s in (">=", "==") for s in senses], rhs, -np.inf)
        hi = np.where([s in ("<=", "==") for s in senses], rhs, np.inf)
        if len(lp.rows):
            cons.append(LinearConstraint(A, lo, hi))
        res = milp(c, constraints=cons, integrality=np.array(lp.integer), bounds=Bounds(lp.lb, lp.ub),
                   options={"disp": False, "time_limit": limit})
        if res.status == 1:  # iteration or time limit; no iteration limit is set
            raise TimeLimitReached(f"the MILP stopped at its time limit of {limit:.1f} s")
        ok = res.status == 0
        return LPSolution(ok, res.status, res.message, res.x if ok else None, res.fun if ok else None, None)
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs",
                  options={"time_limit": limit})
    if res.status == 1:  # iteration or time limit; no iteration limit is set
        raise TimeLimitReached(f"the LP stopped at its time limit of {limit:.1f} s")
    if res.status != 0:
        return LPSolution(False, res.status, res.message, None, None, None)
    duals = np.zeros(len(lp.rows))
    if len(ub_rows):
        duals[ub_rows] = signs * res.ineqlin.marginals
    if len(eq_rows):
        duals[eq_rows] = res.eqlin.marginals
    return LPSolution(True, 0, res.message, res.x, res.fun, duals)
