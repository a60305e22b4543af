"""Solves in worker processes, so concurrent sessions are not queued on one core.

A solve is Python and HiGHS under the GIL: in one server process every session's solve waits for the
others. workers() processes (HEARTLAND_SOLVE_WORKERS; by default one per core beside the server's,
1 or 2; 0 solves in the calling process) each load the shipped data once and run model.run for the callers; a session with
uploaded projects sends them along (a worker keeps the last few by key). The caller's deadline
(lp.deadline) travels with the request as a wall-clock time, so time spent queueing counts, and
lp.TimeLimitReached comes back as it was raised. Until the workers have started (a few seconds on a
cold server), and if one dies, solves run in the calling process.

>>> from analytics.model.scenario import DEFAULTS
>>> from analytics.model.core import load_model_data
>>> run("shipped", None, DEFAULTS, load_model_data()).ok
True
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

from analytics.model import lp
from analytics.model.core import ModelData, Result, load_model_data
from analytics.model.scenario import Scenario

_KEEP = 8  # data sets a worker keeps (the shipped one and recent uploads)
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_warm: list[Future] = []
_DATA: OrderedDict[str, ModelData] = OrderedDict()  # in a worker


def workers() -> int:
    """How many solver processes: HEARTLAND_SOLVE_WORKERS, else one per core beside the server's own,
    at least 1 and at most 2 (each holds about 240 MB)."""
    raw = os.environ.get("HEARTLAND_SOLVE_WORKERS", "").strip()
    if not raw:
        return min(2, max(1, (os.cpu_count() or 1) - 1))
    return max(0, int(raw)) if raw.isdigit() else 0


def _ready_pool() -> ProcessPoolExecutor | None:
    """The pool once every worker has loaded the data; starts it (in the background) on first use."""
    global _pool, _warm
    with _lock:
        if _pool is None:
            n = workers()
            if n == 0:
                return None
            # spawn, not fork: the server has threads, and a forked child could inherit a held lock
            _pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"))
            _warm = [_pool.submit(_data, "shipped", None) for _ in range(n)]
        if not all(f.done() for f in _warm):
            return None
        if any(f.exception() is not None for f in _warm):
            return None  # the workers cannot load the data: solve here (the page says what is wrong)
        return _pool


def _reset_pool() -> None:
    global _pool, _warm
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool, _warm = None, []


atexit.register(_reset_pool)


def _data(key: str, projects: pd.DataFrame | None) -> ModelData:
    """In a worker: the shipped data, or it with these projects, kept by key."""
    if "shipped" not in _DATA:
        _DATA["shipped"] = load_model_data()
    if key not in _DATA:
        if projects is None:
            raise ValueError(f"no projects sent for data {key!r}")
        _DATA[key] = _DATA["shipped"].replace_projects(projects)
    _DATA.move_to_end(key)
    while len(_DATA) > _KEEP:
        del _DATA[next(k for k in _DATA if k != "shipped")]
    return _DATA[key]


def run_here(data: ModelData, scenario: Scenario) -> Result:
    """model.run in this process (looked up when called, so a test can watch it)."""
    import analytics.model

    return analytics.model.run(data, scenario)


def _solve_in_worker(key: str, projects: pd.DataFrame | None, scenario: Scenario, until: float | None) -> Result:
    data = _data(key, projects)
    if until is None:
        return run_here(data, scenario)
    with lp.deadline(until - time.time()):
        return run_here(data, scenario)


def run(key: str, projects: pd.DataFrame | None, scenario: Scenario, data: ModelData) -> Result:
    """model.run(data, scenario) in a worker process when there is one, else here. `key` names the data
    ('shipped', or one per set of uploaded projects) and `projects` are the projects of an upload
    (None for the shipped data); `data` is what to solve on here."""
    pool = _ready_pool()
    left = lp.time_left()
    if pool is not None:
        try:
            future = pool.submit(_solve_in_worker, key, projects, scenario,
                                 None if left is None else time.time() + left)
            return future.result(timeout=None if left is None else max(0.0, left) + 2.0)
        except TimeoutError:
            raise lp.TimeLimitReached("the solver process did not answer in time") from None
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh, solve here now
            _reset_pool()
    return run_here(data, scenario)
