"""Solving a sweep's scenarios: in this process with a work budget, or on Dask.

The one per-scenario call is make_solver(data): built once per process (once per Dask worker) and
reused for every scenario that process solves. model.run keeps one warm HiGHS engine per dataset in
the process, so every scenario after the first re-solves the model built once from the previous
basis, and its tables are never built (a sweep reads only the headline).

On Dask, the model data is scattered to every worker once; each task solves a chunk of consecutive
scenarios and returns their headline rows, which are put back in design order, so the same design gives
the same table on a LocalCluster, on a cluster reached by its scheduler address, or in this process.
"""
from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import model
from analytics.model.scenario import Scenario, encode
from analytics.sweep.design import Design, Range, cast

HEADLINE = ("status", "dependence_before_pct", "dependence_after_pct", "financing_used_musd", "message")
Progress = Callable[[int, int], None]  # (scenarios done, scenarios in all)
_log = logging.getLogger(__name__)


DIGITS = 6  # kept to 1e-6 points and 1e-6 M USD: solves on other engines differ only in bits far below that


def headline(result: model.Result) -> dict:
    """What a sweep keeps of one result: status, dependence before and after (%), financing used (M USD),
    rounded to DIGITS decimals so that the same scenario gives the same row on any worker."""
    after = result.dependence_after_pct if result.ok and result.dependence_after_pct is not None else math.nan
    return {"status": result.status.value, "dependence_before_pct": round(float(result.dependence_before_pct), DIGITS),
            "dependence_after_pct": round(float(after), DIGITS),
            "financing_used_musd": round(float(result.financing_used_musd), DIGITS) if result.ok else math.nan,
            "message": "" if result.ok else str(result.message)[:300]}


def make_solver(data: model.ModelData) -> Callable[[Scenario], dict]:
    """THE per-scenario call of every sweep: scenario -> headline row. Built once per process and reused;
    the model is built once (model.formulation) and each scenario re-solves the warm engine."""
    model.formulation(data)  # build the structure and an engine now, not inside the first task
    def solve(scenario: Scenario) -> dict:
        return headline(model.run(data, scenario))
    return solve


def solve_rows(solver: Callable[[Scenario], dict], base: Scenario, rs: tuple[Range, ...],
               values: np.ndarray) -> list[dict]:
    """Headline rows for consecutive design rows (values: one column per range). A scenario the model
    cannot take, or a solver failure, is a row with status 'error' and the reason, not a lost sweep."""
    names = [r.name for r in rs]
    out = []
    for row in values:
        try:
            scenario = base.replace(**cast(rs, dict(zip(names, row))))
        except ValueError as exc:
            out.append(_error_row(f"not a valid scenario: {exc}"))
            continue
        try:
            out.append(solver(scenario))
        except Exception as exc:  # noqa: BLE001 - one failed solve must not lose the other scenarios; it is counted
            _log.exception("sweep: solving %s failed", encode(scenario))
            out.append(_error_row(f"the solve failed ({type(exc).__name__})"))
    return out


def link_query(scenario: Scenario) -> str:
    """The scenario's share-link query ('v=2&offt=250'; '' for the defaults)."""
    return "&".join(f"{k}={v}" for k, v in encode(scenario).items())


def _error_row(message: str) -> dict:
    return {"status": "error", "dependence_before_pct": math.nan, "dependence_after_pct": math.nan,
            "financing_used_musd": math.nan, "message": message[:300]}


@dataclass(frozen=True)
class Sweep:
    """A solved design: results holds the design's rows that were solved, each with its headline and its
    link query (open any row in the app); complete is False when a work budget stopped it early."""

    design: Design
    results: pd.DataFrame
    complete: bool
    seconds: float
    workers: int = 1

    @property
    def solved(self) -> int:
        return len(self.results)

    def summary(self) -> dict:
        """Counts by status and the spread of dependence after the plan."""
        r = self.results
        after = r.dependence_after_pct.dropna()
        q = after.quantile([0.05, 0.5, 0.95]) if len(after) else pd.Series([math.nan] * 3, index=[0.05, 0.5, 0.95])
        return {"scenarios": len(r), "planned": len(self.design.table),
                "by_status": r.status.value_counts().to_dict(), "p5": float(q[0.05]), "median": float(q[0.5]),
                "p95": float(q[0.95]), "before_median": float(r.dependence_before_pct.median()) if len(r) else math.nan,
                "seconds": self.seconds, "per_second": len(r) / self.seconds if self.seconds > 0 else math.nan}


def histogram(results: pd.DataFrame, bins: int = 30, column: str = "dependence_after_pct") -> pd.DataFrame:
    """Pre-binned distribution of an outcome over the scenarios with a plan: lo, hi, scenarios, share_pct."""
    values = pd.to_numeric(results[column], errors="coerce").dropna().to_numpy(float)
    if not len(values):
        return pd.DataFrame(columns=["lo", "hi", "scenarios", "share_pct"])
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(values, bins=bins, range=(lo, hi))
    return pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "scenarios": counts,
                         "share_pct": 100 * counts / len(values)})


def _assemble(design: Design, rows: list[dict], seconds: float, complete: bool, workers: int = 1) -> Sweep:
    table = design.table.iloc[: len(rows)].reset_index(drop=True)
    heads = pd.DataFrame(rows, columns=list(HEADLINE))
    results = pd.concat([table, heads], axis=1)
    results["link_query"] = [_row_link(design, v) for v in table[design.names].to_dict("records")]
    return Sweep(design, results, complete, seconds, workers)


def _row_link(design: Design, values: dict) -> str:
    try:
        return link_query(design.scenario(values))
    except ValueError:  # a row the Scenario rejects has status 'error' and no link
        return ""


# ----------------------------------------------------------------------------- in this process

def run_local(data: model.ModelData, design: Design, *, budget_s: float | None = None,
              progress: Progress | None = None) -> Sweep:
    """Solve the design here, base sample by base sample. With budget_s, stop at the first base sample
    that ends after the budget (a Sobol' block is never cut in half); Sweep.complete says whether all ran."""
    solver = make_solver(data)
    values = design.table[design.names].to_numpy()
    n, step = len(values), design.block_size
    rows: list[dict] = []
    t0 = time.perf_counter()
    for start in range(0, n, step):
        rows += solve_rows(solver, design.base, design.ranges, values[start:start + step])
        if progress:
            progress(len(rows), n)
        if budget_s is not None and time.perf_counter() - t0 > budget_s and len(rows) < n:
            break
    return _assemble(design, rows, time.perf_counter() - t0, len(rows) == n)


# ----------------------------------------------------------------------------- on Dask

_worker_lock = threading.Lock()
_worker_solver: dict[str, Callable[[Scenario], dict]] = {}  # data token -> solver, in each worker process
_worker_builds = [0]                                          # how many solvers this process built (tests)


def _solve_chunk(data: model.ModelData, token: str, base: Scenario, rs: tuple[Range, ...],
                 values: np.ndarray) -> list[dict]:
    """A Dask task: solve consecutive rows with this worker's solver (built on its first task)."""
    with _worker_lock:
        solver = _worker_solver.get(token)
        if solver is None:
            _worker_solver.clear()  # one data set at a time
            solver = _worker_solver[token] = make_solver(data)
            _worker_builds[0] += 1
    return solve_rows(solver, base, rs, values)


def worker_builds() -> tuple[int, int]:
    """(pid, solvers built) of the calling process: run on each worker to check reuse."""
    return os.getpid(), _worker_builds[0]


def run_dask(data: model.ModelData, design: Design, *, scheduler: str | None = None, workers: int = 2,
             chunk: int | None = None, progress: Progress | None = None, client=None) -> Sweep:
    """Solve the design on Dask: a LocalCluster of `workers` single-threaded processes by default, or the
    cluster whose scheduler listens at `scheduler` (tcp://host:port), or an open `client`."""
    from distributed import Client, LocalCluster

    if client is not None:
        return _run_on(client, data, design, chunk, progress)
    if scheduler:
        with Client(scheduler, timeout="30s") as c:
            return _run_on(c, data, design, chunk, progress)
    if not 1 <= workers <= 256:
        raise ValueError(f"workers must be from 1 to 256; got {workers}")
    # ":0": its status server (dashboard, health) on a free port, never a fixed one another user holds
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as c:
        return _run_on(c, data, design, chunk, progress)


def _run_on(client, data: model.ModelData, design: Design, chunk: int | None, progress: Progress | None) -> Sweep:
    from distributed import as_completed

    values = design.table[design.names].to_numpy()
    n = len(values)
    n_workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    if chunk is None:  # about 20 tasks per worker: even load and a smooth progress bar
        chunk = max(1, min(100, math.ceil(n / (20 * n_workers))))
    t0 = time.perf_counter()
    token = model.fingerprint(data)
    data_future = client.scatter(data, broadcast=True, hash=False)  # sent once to each worker
    starts = list(range(0, n, chunk))
    futures = [client.submit(_solve_chunk, data_future, token, design.base, design.ranges, values[s:s + chunk],
                             pure=False) for s in starts]
    index = {f.key: i for i, f in enumerate(futures)}
    parts: list[list[dict] | None] = [None] * len(futures)
    done = 0
    try:
        for future in as_completed(futures):
            part = future.result()
            parts[index[future.key]] = part
            done += len(part)
            if progress:
                progress(done, n)
    finally:
        client.cancel(futures)
    rows = [row for part in parts for row in (part or [])]
    return _assemble(design, rows, time.perf_counter() - t0, True, n_workers)


# ----------------------------------------------------------------------------- around one scenario (the app)

PAGE_BUDGET_S = 5.0
AROUND_DEFAULT = ("offtake_musd", "allied_capacity_pct", "premium_floor_pct", "middle_corridor_ktpy",
                  "budget_exim_musd", "budget_dfc_musd", "commitments_pct")  # the levers a first look asks about; any numeric input can be chosen


def around_default() -> list[str]:
    """AROUND_DEFAULT, less any input the Scenario no longer has."""
    from analytics.sweep.design import sweepable

    names = {f.name for f in sweepable()}
    return [n for n in AROUND_DEFAULT if n in names]


def around(data: model.ModelData, base: Scenario, names: list[str], *, spread: float = 0.2, n_base: int = 8,
           seed: int = 0, budget_s: float | None = None, progress: Progress | None = None):
    """A small Sobol' sweep around `base` (each named input within +/- spread of its slider's span), solved
    here within the work budget (default PAGE_BUDGET_S): (Sweep, Indices). For a page; large sweeps belong on
    Dask (run_dask)."""
    from analytics.sweep import design as design_mod
    from analytics.sweep import indices

    rs = design_mod.around(base, names, spread)
    if not 2 <= n_base <= 1024:
        raise ValueError(f"n_base must be from 2 to 1024; got {n_base}")
    d = design_mod.sample(rs, n_base * (len(rs) + 2), method="sobol", seed=seed, base=base)
    sweep = run_local(data, d, budget_s=PAGE_BUDGET_S if budget_s is None else budget_s, progress=progress)
    return sweep, indices.sobol(d, sweep.results, seed=seed)


def budget_sentence(sweep: Sweep, budget_s: float | None = None) -> str:
    """'' when the sweep ran in full, else what the work budget cut, in words."""
    if sweep.complete:
        return ""
    budget_s = PAGE_BUDGET_S if budget_s is None else budget_s
    d = sweep.design
    done = sweep.solved // d.block_size
    return (f"The work budget of {budget_s:g} s ran out after {done} of {d.n_base} base samples ({sweep.solved:,} of "
            f"{len(d.table):,} scenarios): the results below use those, so the intervals are wider. The command line "
            "runs the whole sweep on every core: python -m heartland sweep.")
