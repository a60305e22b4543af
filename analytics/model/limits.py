"""Deadlines for solving: a with-block that no solve inside may outlast.

Every engine solve has its own time limit (Engine.time_limit_s, 10 s by default); inside
`with deadline(seconds):` it also stops at the block's end (or an enclosing block's earlier one),
and a solve that reaches a deadline raises TimeLimitReached rather than returning half an answer.
Deadlines follow the thread of execution (contextvars), so sessions do not share them.

>>> with deadline(5.0):
...     0 < time_left() <= 5.0
True
>>> time_left() is None
True
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_DEADLINE: ContextVar[float | None] = ContextVar("heartland_solve_deadline", default=None)


class TimeLimitReached(RuntimeError):
    """A solve reached the enclosing deadline (or the deadline had already passed)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
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
