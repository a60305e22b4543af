"""Work budgets for the analyses that re-solve a scenario many times (frontier, sweep, tornado,
timeline, comparison).

An analysis takes a WorkBudget (seconds of wall time and a number of solves) and asks it for each
solve; once the budget is spent it stops and says what it left out, so a page gets a coarser answer
rather than minutes of server time. Grids are visited coarse to fine (`spread`), so an answer cut
short is still spread over the whole range. `affordable` swaps a scenario the analyses cannot
afford (whole-project mode: one MILP per point) for a cheaper one, with a sentence saying so.

>>> spread(5)
[0, 4, 2, 1, 3]
>>> b = WorkBudget(seconds=0.0)
>>> b.solve(lambda s: s, "scenario") is None, b.short
(True, 1)
"""
from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from analytics.model import limits
from analytics.model.scenario import Scenario

ANALYSES_SECONDS = 4.0   # the Trade-offs page's four analyses together (about 55 solves, 1-2 s cold)
COMPARE_SECONDS = 8.0    # the Compare page's two to four solves together

WHOLE_NOTE = ("Whole projects (a MILP, about a second a solve) would make these analyses take minutes: they are "
              "solved with partial builds allowed (the LP relaxation), which shows the lowest dependence whole "
              "projects could approach. The scenario's own plan is solved with whole projects.")


def spread(n: int) -> list[int]:
    """0..n-1 ordered coarse to fine: both ends, then midpoints of ever smaller intervals."""
    if n <= 2:
        return list(range(n))
    order, seen, intervals = [0, n - 1], {0, n - 1}, deque([(0, n - 1)])
    while intervals:
        a, b = intervals.popleft()
        if b - a < 2:
            continue
        m = (a + b) // 2
        if m not in seen:
            order.append(m)
            seen.add(m)
        intervals.extend([(a, m), (m, b)])
    return order


@dataclass
class WorkBudget:
    """What the analyses of one page may spend: wall seconds from creation, and a number of solves.

    `short` counts the solves refused or cut off; `notes` hold the sentences that say what was left out."""

    seconds: float = math.inf
    max_solves: int | None = None
    started: float = field(default_factory=time.monotonic)
    solves: int = 0
    short: int = 0
    notes: list[str] = field(default_factory=list)

    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def solve(self, solve: Callable[[Scenario], Any], scenario: Scenario) -> Any | None:
        """solve(scenario) within what is left, or None when the budget is spent or the solve ran out of it."""
        if self.left() <= 0 or (self.max_solves is not None and self.solves >= self.max_solves):
            self.short += 1
            return None
        self.solves += 1
        try:
            if math.isfinite(self.seconds):
                with limits.deadline(self.left()):
                    return solve(scenario)
            return solve(scenario)
        except limits.TimeLimitReached:
            self.short += 1
            return None

    def note(self, text: str) -> None:
        self.notes.append(text)

    def describe(self) -> str:
        limit = [f"{self.seconds:g} s" if math.isfinite(self.seconds) else "",
                 f"{self.max_solves} solves" if self.max_solves is not None else ""]
        return " and ".join(x for x in limit if x) or "no limit"


class Incomplete(Exception):  # noqa: N818 - a result, not an error: carries the partial answer
    """An analysis cut short by its budget: its partial answer and the notes that say so (raised from a
    cached function so the partial answer is not kept)."""

    def __init__(self, value: Any, notes: tuple[str, ...]):
        super().__init__("analysis cut short by its work budget")
        self.value, self.notes = value, notes


def run(analysis: Callable[..., Any], budget: WorkBudget, *args, **kwargs) -> tuple[Any, tuple[str, ...], bool]:
    """analysis(*args, budget=budget, **kwargs) -> (value, the notes it added, whether it is complete)."""
    short, n_notes = budget.short, len(budget.notes)
    value = analysis(*args, budget=budget, **kwargs)
    return value, tuple(budget.notes[n_notes:]), budget.short == short


def affordable(scenario: Scenario) -> tuple[Scenario, tuple[str, ...]]:
    """The scenario the many-solve analyses use, and why it differs: whole-project mode is swapped for
    partial builds (its LP relaxation)."""
    if scenario.project_mode == "whole":
        return scenario.replace(project_mode="partial"), (WHOLE_NOTE,)
    return scenario, ()
