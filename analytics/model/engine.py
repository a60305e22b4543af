"""A solver engine over HiGHS (highspy): a model built once, re-solved warm.

Analyses that solve the same model with other numbers (another budget, target year or weight)
change only column bounds, row bounds and costs, and HiGHS re-solves from the previous basis.
Every column and row keeps a structured name ("budget[exim-general]", "corridor[middle_corridor]")
and a group, so duals and ranging map back to words.

>>> import numpy as np
>>> from scipy import sparse
>>> A = sparse.csr_array(np.array([[1.0, 2.0], [3.0, 1.0]]))
>>> e = Engine(["x", "y"], ["cap[a]", "cap[b]"], ["cap", "cap"], A)
>>> e.set_rows(np.array([-np.inf, -np.inf]), np.array([4.0, 6.0]))
>>> e.set_costs(np.array([-1.0, -1.0]))
>>> s = e.solve()
>>> s.ok, np.round(s.x, 3).tolist(), round(s.objective, 3)
(True, [1.6, 1.2], -2.8)
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from analytics.model import limits

INF = highspy.kHighsInf
DEFAULT_TIME_LIMIT_S = 10.0
LARGE_LP = 20_000  # columns above which a cold LP starts by interior point


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner on the process's stdout when a model is created; a command's
    stdout (e.g. `solve --json`) must hold only what the command writes."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real stdout (a notebook, a captured stream)
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _finite(a: np.ndarray) -> np.ndarray:
    return np.where(np.isposinf(a), INF, np.where(np.isneginf(a), -INF, a)).astype(float)


@dataclass(frozen=True)
class Solution:
    status: str                 # "optimal", "infeasible", "time_limit", "error"
    x: np.ndarray               # the plan (empty unless optimal)
    row_dual: np.ndarray | None  # d(objective) / d(row bound), per row
    objective: float            # nan unless optimal
    iterations: int
    col_dual: np.ndarray | None = None  # reduced costs, per column (LP only)

    @property
    def ok(self) -> bool:
        return self.status == "optimal"


class Engine:
    """min c'x s.t. lo <= A x <= hi, lb <= x <= ub (some x integer), built once, solved warm.

    Not thread-safe: one thread uses an engine at a time (see EnginePool)."""

    def __init__(self, col_names: list[str], row_names: list[str], row_groups: list[str], A: sparse.csr_array,
                 *, time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> None:
        self.col_names, self.row_names, self.row_groups = col_names, row_names, row_groups
        self.n, self.m = len(col_names), len(row_names)
        self.A = sparse.csr_array(A)
        with _quiet_stdout():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        self.money_row = -1                  # the row whose coefficients a scenario changes (set by its owner)
        self.money_cols = np.zeros(0, np.int64)
        self.time_limit_s = float(time_limit_s)  # per solve (see solve: HiGHS's own limit counts from creation)
        h.setOptionValue("mip_rel_gap", 1e-9)
        if len(col_names) > LARGE_LP:  # large LPs: HiGHS's parallel dual simplex uses both cores
            h.setOptionValue("simplex_strategy", 4)
        zeros = np.zeros(self.n)
        h.addCols(self.n, zeros, zeros, np.full(self.n, INF), 0, np.array([], np.int32), np.array([], np.int32),
                  np.array([]))
        csr = self.A
        h.addRows(self.m, np.full(self.m, -INF), np.full(self.m, INF), csr.nnz, csr.indptr.astype(np.int32),
                  csr.indices.astype(np.int32), csr.data.astype(float))
        self.highs = h
        self._all_cols = np.arange(self.n, dtype=np.int32)
        self._all_rows = np.arange(self.m, dtype=np.int32)
        self._integer = np.zeros(self.n, bool)
        self.row_lo = np.full(self.m, -np.inf)
        self.row_hi = np.full(self.m, np.inf)
        self.col_lb = np.zeros(self.n)
        self.col_ub = np.full(self.n, np.inf)
        self.costs = np.zeros(self.n)
        self.solves = 0
        self.last_dependence: float | None = None  # the last optimal D found on this engine (a hint)

    # ------------------------------------------------------------------ changing numbers
    def set_cols(self, lb: np.ndarray, ub: np.ndarray) -> None:
        self.col_lb, self.col_ub = np.asarray(lb, float), np.asarray(ub, float)
        self.highs.changeColsBounds(self.n, self._all_cols, _finite(self.col_lb), _finite(self.col_ub))

    def set_rows(self, lo: np.ndarray, hi: np.ndarray) -> None:
        self.row_lo, self.row_hi = np.asarray(lo, float), np.asarray(hi, float)
        self.highs.changeRowsBounds(  # type: ignore[attr-defined]
            self.m, self._all_rows, _finite(self.row_lo), _finite(self.row_hi))

    def set_row(self, i: int, lo: float, hi: float) -> None:
        self.row_lo[i], self.row_hi[i] = lo, hi
        self.highs.changeRowsBounds(  # type: ignore[attr-defined]
            1, np.array([i], np.int32), _finite(np.array([lo])), _finite(np.array([hi])))

    def set_costs(self, c: np.ndarray) -> None:
        self.costs = np.asarray(c, float)
        self.highs.changeColsCost(self.n, self._all_cols, self.costs)

    def set_row_coeffs(self, row: int, cols: np.ndarray, values: np.ndarray) -> None:
        """Change some coefficients of one row (only those that differ from the current ones)."""
        current = self.A[[row]].toarray().ravel()[cols] if not hasattr(self, "_coef_cache") else self._coef_cache.get(row)
        if current is None:
            current = self.A[[row]].toarray().ravel()[cols]
        changed = np.flatnonzero(np.abs(current - values) > 1e-15)
        for j in changed:
            self.highs.changeCoeff(int(row), int(cols[j]), float(values[j]))
        if not hasattr(self, "_coef_cache"):
            self._coef_cache: dict[int, np.ndarray] = {}
        self._coef_cache[row] = np.asarray(values, float).copy()
        if len(changed):
            self.A = self.A.tolil()
            self.A[row, cols] = values
            self.A = sparse.csr_array(self.A)

    def set_integer(self, mask: np.ndarray) -> None:
        mask = np.asarray(mask, bool)
        if not np.array_equal(mask, self._integer):
            self._integer = mask.copy()
            self.highs.changeColsIntegrality(self.n, self._all_cols, mask.astype(np.uint8))

    @property
    def is_mip(self) -> bool:
        return bool(self._integer.any())

    @contextlib.contextmanager
    def extra_row(self, coeffs: np.ndarray, lo: float, hi: float) -> Iterator[int]:
        """A row (dense coefficients) for the duration of a with-block; the basis stays usable."""
        nz = np.flatnonzero(coeffs)
        row = int(self.highs.getNumRow())  # extra rows nest: each removes its own
        self.highs.addRow(float(max(lo, -INF)), float(min(hi, INF)), len(nz), nz.astype(np.int32),
                          np.asarray(coeffs, float)[nz])
        try:
            yield row
        finally:
            self.highs.deleteRows(1, np.array([row], np.int32))

    # ------------------------------------------------------------------ solving
    def solve(self, *, start: np.ndarray | None = None) -> Solution:
        """Solve from the current basis (warm); `start` offers a MIP a feasible starting point."""
        h = self.highs
        # from no basis a large LP solves faster by interior point (with crossover, so the next
        # solve is warm again); from a basis, dual simplex re-solves in a few iterations
        cold = not h.getBasis().valid
        left = limits.time_left()
        limit = self.time_limit_s if left is None else min(self.time_limit_s, left)
        if limit <= 0:
            if left is not None and left <= self.time_limit_s:
                raise limits.TimeLimitReached("no time left for another solve")
            return Solution("time_limit", np.empty(0), None, float("nan"), 0)
        # HiGHS compares time_limit with its run clock, which counts from the model's creation, not
        # from this run: without moving the limit, a long-lived engine stops every solve after 10 s
        h.setOptionValue("time_limit", h.getRunTime() + limit)
        h.setOptionValue("solver", "ipm" if cold and self.n > LARGE_LP and not self.is_mip else "choose")
        if start is not None and self.is_mip:
            sol = highspy.HighsSolution()
            sol.col_value = list(np.asarray(start, float))
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        info = h.getInfo()
        iters = int(info.simplex_iteration_count)
        if status == highspy.HighsModelStatus.kOptimal:
            s = h.getSolution()
            x = np.asarray(s.col_value, float)
            dual = None if self.is_mip else np.asarray(s.row_dual, float)[: self.m]
            reduced = None if self.is_mip else np.asarray(s.col_dual, float)
            return Solution("optimal", x, dual, float(info.objective_function_value), iters, reduced)
        if status == highspy.HighsModelStatus.kTimeLimit and limit < self.time_limit_s:
            raise limits.TimeLimitReached("the solve reached the enclosing deadline")
        name = {highspy.HighsModelStatus.kInfeasible: "infeasible",
                highspy.HighsModelStatus.kTimeLimit: "time_limit"}.get(status, "error")
        if name == "error" and status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
            name = "infeasible"
        return Solution(name, np.empty(0), None, float("nan"), iters)

    @contextlib.contextmanager
    def kept_basis(self) -> Iterator[None]:
        """Whatever the with-block solves, the next solve starts from the basis held now (LP only):
        the tie-breaks solve from scratch and change rows, and the next scenario should start warm."""
        basis = None if self.is_mip else self.highs.getBasis()
        try:
            yield
        finally:
            if basis is not None and basis.valid and self.highs.getNumRow() == self.m:
                self.highs.setBasis(basis)

    @contextlib.contextmanager
    def fixed(self, col_lb: np.ndarray, col_ub: np.ndarray, row_lo: np.ndarray, row_hi: np.ndarray) -> Iterator[None]:
        """Other column and row bounds for the duration of a with-block."""
        saved = self.col_lb, self.col_ub, self.row_lo, self.row_hi
        self.set_cols(col_lb, col_ub)
        self.set_rows(row_lo, row_hi)
        try:
            yield
        finally:
            self.set_cols(saved[0], saved[1])
            self.set_rows(saved[2], saved[3])

    def ranging_up(self) -> np.ndarray:
        """For each row: how far its bound can rise (in the row's unit) with the basis staying
        optimal, so a dual read as a rate holds (LP only; inf where HiGHS gives no limit)."""
        status, r = self.highs.getRanging()
        if status != highspy.HighsStatus.kOk or not r.valid:
            return np.full(self.m, np.nan)
        up = np.asarray(r.row_bound_up.value_, float)[: self.m]
        current = np.where(np.isfinite(self.row_hi), self.row_hi, self.row_lo)
        return np.where(np.abs(up) >= INF, np.inf, up - current)

    def ranging_down(self) -> np.ndarray:
        status, r = self.highs.getRanging()
        if status != highspy.HighsStatus.kOk or not r.valid:
            return np.full(self.m, np.nan)
        dn = np.asarray(r.row_bound_dn.value_, float)[: self.m]
        current = np.where(np.isfinite(self.row_lo), self.row_lo, self.row_hi)
        return np.where(np.abs(dn) >= INF, np.inf, current - dn)

    def activity(self, x: np.ndarray) -> np.ndarray:
        return self.A @ x


class EnginePool:
    """Engines by key (a data fingerprint), lent to one thread at a time; built on demand."""

    def __init__(self, size: int = 4) -> None:
        self._free: dict[str, list[Engine]] = {}
        self._lock = threading.Lock()
        self._size = size

    @contextlib.contextmanager
    def borrow(self, key: str, build: Callable[[], Engine]) -> Iterator[Engine]:
        with self._lock:
            free = self._free.setdefault(key, [])
            item = free.pop() if free else None
            if len(self._free) > 8:  # old datasets (e.g. many uploads): forget their engines
                for k in list(self._free)[:-8]:
                    self._free.pop(k, None)
        if item is None:
            item = build()
        try:
            yield item
        finally:
            with self._lock:
                free = self._free.setdefault(key, [])
                if len(free) < self._size:
                    free.append(item)
