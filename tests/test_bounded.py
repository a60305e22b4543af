"""Bounded work (issue 8): every solve has a time limit, every many-solve analysis a work budget, and
a link that asks for more gets a cheaper answer with a sentence saying so."""
from __future__ import annotations

import importlib
import math
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import app_test
from streamlit.testing.v1 import AppTest

from analytics import model
from analytics.analyses import budget, compare, timeline, tradeoffs
from analytics.model import bounded, limits
from analytics.model.scenario import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
engine_mod = importlib.import_module("analytics.model.engine")


# ----------------------------------------------------------------------------- solve layer

def test_every_solve_passes_a_time_limit_to_highs(shipped_data, monkeypatch):
    """Each HiGHS run gets a limit: the engine's own, or what is left of an enclosing deadline."""
    seen = []
    real = engine_mod.Engine.solve

    def solve(self, **kw):
        out = real(self, **kw)
        seen.append(self.highs.getOptionValue("time_limit")[1] - self.highs.getRunTime())
        return out

    monkeypatch.setattr(engine_mod.Engine, "solve", solve)
    model.run(shipped_data, DEFAULTS)
    model.run(shipped_data, DEFAULTS.replace(project_mode="whole"))
    n = len(seen)
    with limits.deadline(5):
        model.run(shipped_data, DEFAULTS.replace(offtake_musd=110.0))
    assert seen and all(t <= engine_mod.DEFAULT_TIME_LIMIT_S for t in seen)
    assert len(seen) > n and max(seen[n:]) <= 5


def test_a_solve_past_its_deadline_raises_time_limit_reached(shipped_data):
    with limits.deadline(0.0), pytest.raises(limits.TimeLimitReached):
        model.run(shipped_data, DEFAULTS.replace(offtake_musd=120.0))


def test_a_milp_stopped_by_highs_at_a_deadline_raises(shipped_data, monkeypatch):
    """HiGHS itself stops the whole-project MILP at the deadline (far below what it needs)."""
    monkeypatch.setattr(limits, "time_left", lambda: 1e-6)
    with pytest.raises(limits.TimeLimitReached):
        model.run(shipped_data, DEFAULTS.replace(project_mode="whole", target_year=2035, allied_capacity_pct=500.0))


def test_a_solve_stopped_by_its_own_time_limit_is_a_result_that_says_so(shipped_data):
    r = model.run(shipped_data, DEFAULTS.replace(project_mode="whole", offtake_musd=130.0), time_limit_s=0.0)
    assert r.status is model.Status.TIME_LIMIT and "time limit" in r.message


def test_deadlines_nest_to_the_earlier():
    with limits.deadline(100):
        with limits.deadline(0.5):
            assert limits.time_left() <= 0.5
        assert 0.5 < limits.time_left() <= 100
    assert limits.time_left() is None


# ----------------------------------------------------------------------------- one scenario within a time limit

def _timing_out(data, calls):
    """A solve on which whole-project mode always runs out of time."""
    def solve(s):
        calls.append(s.project_mode)
        if s.project_mode == "whole":
            raise limits.TimeLimitReached("test")
        return model.run(data, s)
    return solve


def test_whole_project_mode_past_its_time_gives_the_partial_plan_with_a_sentence(shipped_data):
    calls = []
    s = DEFAULTS.replace(project_mode="whole", offtake_musd=141.0)
    r = bounded.solve_within(_timing_out(shipped_data, calls), s, key="test-whole")
    assert r.ok and r.scenario == s
    assert r.dependence_after_pct == pytest.approx(model.run(shipped_data, s.replace(project_mode="partial"))
                                                   .dependence_after_pct)
    assert r.notes[0] == bounded.whole_note(bounded.SOLVE_SECONDS) and "LP relaxation" in r.notes[0]
    assert calls == ["whole", "partial"]
    # reloading the same link does not spend another time limit on the MILP
    bounded.solve_within(_timing_out(shipped_data, calls), s, key="test-whole")
    assert calls == ["whole", "partial", "partial"]


def test_partial_mode_past_its_time_says_so_in_words():
    def solve(s):
        raise limits.TimeLimitReached("test")

    r = bounded.solve_within(solve, DEFAULTS.replace(offtake_musd=143.0), seconds=2.0)
    assert r.status is model.Status.ERROR and "did not finish within 2 s" in r.message


def test_remembered_timeouts_are_bounded():
    for i in range(bounded._REMEMBERED + 50):
        bounded._remember(("bound-test", i))
    assert len(bounded._timeouts) <= bounded._REMEMBERED


# ----------------------------------------------------------------------------- analyses within a work budget

def test_spread_visits_every_point_coarse_to_fine():
    for n in range(0, 40):
        order = budget.spread(n)
        assert sorted(order) == list(range(n))
        if n >= 3:
            assert order[:3] == [0, n - 1, (n - 1) // 2]


def test_frontier_cut_short_by_its_budget_still_spans_the_range_and_says_so(shipped_data):
    full = tradeoffs.frontier(shipped_data, DEFAULTS)
    work = budget.WorkBudget(max_solves=2 + 4)  # best, free, then 4 targets
    cut = tradeoffs.frontier(shipped_data, DEFAULTS, budget=work)
    assert len(cut) == 4 < len(full)
    assert cut.target_pct.iloc[0] == pytest.approx(full.target_pct.iloc[0])
    assert cut.target_pct.iloc[-1] == pytest.approx(full.target_pct.iloc[-1])
    assert set(np.round(cut.financing_musd, 6)) <= set(np.round(full.financing_musd, 6))
    assert work.notes == [f"The frontier shows 4 of its {len(full)} points: the rest did not fit in the work budget "
                          "(6 solves)."]


def test_tornado_and_timeline_cut_short_name_what_they_left_out(shipped_data):
    work = budget.WorkBudget(max_solves=5)
    t = tradeoffs.tornado(shipped_data, DEFAULTS, budget=work)
    assert t.dependence_at_low_pct.notna().sum() == 2 and "could not vary" in work.notes[0]
    work = budget.WorkBudget(max_solves=3)
    years = timeline.dependence_by_year(shipped_data, DEFAULTS, budget=work)
    assert sorted(years.overall.year.unique()) == [2026, 2030, 2035]
    assert work.notes == ["Dependence by year shows 3 of 10 years: the rest did not fit in the work budget (3 solves)."]


def test_a_spent_budget_solves_nothing(shipped_data):
    calls = []
    work = budget.WorkBudget(seconds=0.0)
    out = tradeoffs.budget_sweep(shipped_data, DEFAULTS, solve=lambda s: calls.append(s), budget=work)
    assert calls == [] and out.empty and work.short == len(tradeoffs.SWEEP_FACTORS)


def test_whole_project_scenarios_are_analysed_as_their_lp_relaxation():
    s = DEFAULTS.replace(project_mode="whole")
    work, notes = budget.affordable(s)
    assert work == s.replace(project_mode="partial") and "LP relaxation" in notes[0]
    assert budget.affordable(DEFAULTS) == (DEFAULTS, ())


def test_compare_shares_its_budget_between_the_scenarios(shipped_data):
    given = []

    def solve(s, seconds):
        given.append(seconds)
        return model.run(shipped_data, s)

    compare.compare({"a": DEFAULTS, "b": DEFAULTS.replace(offtake_musd=110.0), "c": DEFAULTS.replace(offtake_musd=120.0),
                     "d": DEFAULTS.replace(offtake_musd=130.0)}, solve, seconds=8.0)
    assert len(given) == 4 and sum(given) + 4 * bounded.FALLBACK_SECONDS <= 8.0 + 1e-9


# ----------------------------------------------------------------------------- pages

def _count_runs(monkeypatch):
    runs = []
    real = model.run

    def run(data, s):
        runs.append(s)
        return real(data, s)

    monkeypatch.setattr(model, "run", run)
    return runs


def test_tradeoffs_whole_project_link_solves_one_milp_and_says_the_rest_are_relaxed(monkeypatch):
    """The link once kept the server busy 53-70 s (a MILP for each of ~55 points)."""
    runs = _count_runs(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"v": "2", "mode": "whole", "offt": "470", "mc": "425"})
    at.run()
    at.switch_page("pages/tradeoffs.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert sum(s.project_mode == "whole" for s in runs) <= 1
    assert sum(s.project_mode == "partial" for s in runs) >= 20
    assert any("LP relaxation" in i.value for i in at.info)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_tradeoffs_page_with_its_budget_spent_says_so_and_shows_no_traceback(monkeypatch):
    monkeypatch.setattr(budget, "ANALYSES_SECONDS", 0.0)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"v": "2", "offt": "530"})
    at.run()
    at.switch_page("pages/tradeoffs.py").run()
    assert not at.exception, [e.value for e in at.exception]
    infos = " ".join(i.value for i in at.info)
    assert "frontier could not be traced" in infos and "Dependence by year shows 0 of 10 years" in infos
    assert "No plan satisfies" not in " ".join(w.value for w in at.warning)
    # not cached: with the budget back, the same link gets every analysis
    monkeypatch.setattr(budget, "ANALYSES_SECONDS", 60.0)
    at.run()
    assert not at.exception
    assert not any("did not fit" in i.value or "could not" in i.value for i in at.info)


def test_every_cache_in_the_app_is_bounded():
    """A cache keyed by link values must hold a bounded number of entries (many values cannot fill memory)."""
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("analytics/**/*.py")]:
        for line in path.read_text().splitlines():
            if re.search(r"@st\.cache_(data|resource)|@(functools\.)?lru_cache|@cache\b", line):
                assert "max_entries" in line or "maxsize=" in line, f"{path.name}: {line.strip()}"
    assert not math.isinf(bounded._REMEMBERED)


def test_a_busy_server_says_so_within_the_time_limit_instead_of_waiting(monkeypatch):
    """Every solver turn is taken (other sessions are solving): a new scenario waits at most its deadline,
    then the explorer says the server is busy, with no traceback; once a turn is free, it solves."""
    common = importlib.import_module("pages.common")
    monkeypatch.setattr(common, "_MODEL_WORK", common.threading.BoundedSemaphore(1))
    common._MODEL_WORK.acquire()
    try:
        at = app_test({"v": "2", "offt": "613"}, "pages/explorer.py", timeout_s=60)  # fails on any exception
        errors = " ".join(e.value for e in at.error)
        assert "did not finish within" in errors and "busy" in errors
    finally:
        common._MODEL_WORK.release()
    at.run()  # the timeout was not cached: the same link now gets its plan
    assert not at.exception and not at.error
    assert at.metric


def test_a_ready_server_answers_the_default_explorer_from_its_warmed_caches(monkeypatch):
    """serve.py warms the caches before it lets visitors in: the first visit to the explorer then solves nothing."""
    import serve

    serve.warm()
    calls = []
    for name in ("run", "what_binds", "waterfall"):
        monkeypatch.setattr(model, name, lambda *a, _n=name, **k: calls.append(_n))
    at = app_test({}, "pages/explorer.py")
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["Dependence, plan", "Dependence today"]
    assert calls == []
