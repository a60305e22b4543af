"""A solve a server can afford: one scenario within a time limit, and a cheaper answer past it.

Whole-project mode (a MILP) that runs out of time gives the partial-build plan (the LP relaxation,
usually well under a second) with a note saying so; anything else that runs out of time gives a
Result with Status.ERROR that says so. A whole-project scenario that ran out of time recently is
not tried again for a while (RETRY_AFTER_S), so a link cannot keep the server busy by reloading.

>>> from analytics import model
>>> from analytics.model.scenario import DEFAULTS
>>> data = model.load_model_data()
>>> solve_within(lambda s: model.run(data, s), DEFAULTS).ok
True
"""
from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from analytics.model import limits
from analytics.model.results import Result, error_result
from analytics.model.scenario import Scenario

SOLVE_SECONDS = 3.0        # one scenario: a page's main solve
FALLBACK_SECONDS = 1.0     # the partial-build plan, when whole projects ran out of time
RETRY_AFTER_S = 600.0      # a whole-project scenario that timed out is not retried for this long
_REMEMBERED = 256          # timed-out scenarios remembered (oldest forgotten first)

_timeouts: OrderedDict[Hashable, float] = OrderedDict()
_lock = threading.Lock()


def _timed_out_recently(key: Hashable) -> bool:
    with _lock:
        at = _timeouts.get(key)
        if at is None:
            return False
        if time.monotonic() - at > RETRY_AFTER_S:
            del _timeouts[key]
            return False
        return True


def _remember(key: Hashable) -> None:
    with _lock:
        _timeouts[key] = time.monotonic()
        _timeouts.move_to_end(key)
        while len(_timeouts) > _REMEMBERED:
            _timeouts.popitem(last=False)


def timed_out(scenario: Scenario, seconds: float) -> Result:
    """A Result that says the optimiser did not finish in time (nothing to show but the reason)."""
    mode = (" or choose partial builds" if scenario.project_mode == "whole" else "")
    return error_result(scenario, f"the optimiser did not finish within {seconds:g} s (the server may be busy); "
                                  f"try again{mode}")


def whole_note(seconds: float) -> str:
    return (f"Whole projects (a MILP) did not finish within {seconds:g} s, so this is the plan with partial builds "
            "allowed (the LP relaxation): the lowest dependence whole projects could approach. Switch to partial "
            "builds to explore it, or reduce the uploaded projects.")


def solve_within(solve: Callable[[Scenario], Result], scenario: Scenario, *, seconds: float = SOLVE_SECONDS,
                 key: Hashable = None) -> Result:
    """solve(scenario) within `seconds`. Never raises limits.TimeLimitReached: past the limit, whole-project
    mode answers with the partial-build plan and a note, anything else with timed_out(). `key` tells
    scenarios on different data apart (e.g. a session's uploaded projects)."""
    whole = scenario.project_mode == "whole"
    memo = (key, scenario)
    if not (whole and _timed_out_recently(memo)):
        try:
            with limits.deadline(seconds):
                return solve(scenario)
        except limits.TimeLimitReached:
            if not whole:
                return timed_out(scenario, seconds)
            _remember(memo)
    try:
        with limits.deadline(FALLBACK_SECONDS):
            relaxed = solve(scenario.replace(project_mode="partial"))
    except limits.TimeLimitReached:
        return timed_out(scenario, seconds)
    return dataclasses.replace(relaxed, scenario=scenario, notes=(whole_note(seconds), *relaxed.notes))
