"""Trade-offs and dependence by year (analytics/analyses/tradeoffs.py, analytics/analyses/timeline.py)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import owner, project, tiny_data

from analytics import model
from analytics.analyses import timeline, tradeoffs
from analytics.model.data import live_commitments
from analytics.model.scenario import DEFAULTS, FIELD_BY_NAME, Scenario

# Only the DFC envelope is open; the tiny cases set their own limits in the data.
OPEN = Scenario(budget_dfc_musd=10, budget_samruk_musd=0, commitments_pct=0, offtake_musd=0,
                middle_corridor_ktpy=5000, allied_capacity_pct=100, russia_transit_pct=100, target_year=2030)


def hand(lead: float = 0.0):
    """A: 100 t/yr today, all to China, held there by its Chinese owner. B: new, 100 t/yr for
    10 M USD. Allies process 50 t/yr. Building B at level u <= 1/2 sends 100u t to allies, so
    D(u) = 100 / (100 + 100u): reaching D <= t (a fraction) needs u = 1/t - 1, i.e. 10u M USD."""
    return tiny_data([project("a", output=100), project("b", capacity=100, capex=10, lead=lead)],
                     allied_capacity={"x": 50}, owners=[owner("a", "CN", 100)])


def least_financing(target_pct: float) -> float:
    return 10 * max(0.0, 100 / target_pct - 1)


# ----------------------------------------------------------------------------- frontier

def test_frontier_known_answer():
    f = tradeoffs.frontier(hand(), OPEN, n_points=6)
    assert f.feasible.all()
    # from the lowest reachable dependence (build half of B: 2/3) to today's (100 %)
    assert f.target_pct.iloc[0] == pytest.approx(200 / 3, abs=1e-3)
    assert f.target_pct.iloc[-1] == pytest.approx(100)
    for t, money, d in zip(f.target_pct, f.money_musd, f.dependence_pct):
        assert money == pytest.approx(least_financing(t), abs=1e-4)
        assert d <= t + 1e-6


def test_frontier_is_monotone_in_the_target():
    f = tradeoffs.frontier(hand(), OPEN, n_points=9)
    assert (np.diff(f.target_pct) > 0).all()
    assert (np.diff(f.money_musd) <= 1e-6).all()  # a laxer target never needs more money


def test_frontier_with_whole_projects():
    """Whole projects: B is built fully (D = 150/200 = 75 %, 10 M USD) or not at all (100 %)."""
    f = tradeoffs.frontier(hand(), OPEN.replace(project_mode="whole"), n_points=5)
    assert f.target_pct.iloc[0] == pytest.approx(75, abs=1e-3)
    below_today = f[f.target_pct < 100 - 1e-6]
    assert below_today.financing_musd.to_numpy() == pytest.approx([10.0] * len(below_today), abs=1e-6)
    assert f.financing_musd.iloc[-1] == pytest.approx(0, abs=1e-6)


def test_frontier_on_shipped_data(shipped_data):
    f = tradeoffs.frontier(shipped_data, DEFAULTS)
    best = model.run(shipped_data, DEFAULTS.replace(objective="min_dependence"))
    assert f.feasible.all()
    assert f.target_pct.iloc[0] == pytest.approx(best.dependence_after_pct, abs=1e-3)
    assert f.target_pct.iloc[-1] == pytest.approx(best.dependence_before_pct)
    assert f.money_musd.iloc[0] <= best.financing_used_musd + best.spending_musd + 1e-3
    assert (np.diff(f.money_musd) <= 1e-6).all()
    assert (f.dependence_pct <= f.target_pct + 1e-6).all()
    assert f.money_musd.iloc[-1] == pytest.approx(0, abs=1e-6)


# ----------------------------------------------------------------------------- budget sweep

def test_budget_sweep_never_rises_and_matches_the_scenario(shipped_data):
    s = DEFAULTS.replace(objective="min_dependence")
    sweep = tradeoffs.budget_sweep(shipped_data, s)
    assert list(sweep.budget_factor) == list(tradeoffs.SWEEP_FACTORS)
    assert (np.diff(sweep.dependence_pct) <= 1e-6).all()  # more money never raises the lowest dependence
    at_one = sweep.set_index("budget_factor").loc[1.0]
    assert at_one.dependence_pct == pytest.approx(model.run(shipped_data, s).dependence_after_pct)
    assert sweep.financing_used_musd.iloc[0] == 0
    assert (sweep.financing_used_musd <= sweep.budget_musd + 1e-6).all()


def test_budget_sweep_clips_budgets_at_the_slider_maximum(shipped_data):
    s = DEFAULTS.replace(budget_exim_musd=4000.0)
    sweep = tradeoffs.budget_sweep(shipped_data, s, factors=[2.0])
    hi = FIELD_BY_NAME["budget_exim_musd"].hi
    others = s.total_budget_musd - s.budget_exim_musd
    letters = live_commitments(shipped_data).amount_musd.sum()  # already at 100 %: cannot double
    assert sweep.budget_musd.iloc[0] == pytest.approx(hi + 2 * others + letters)


def test_budget_sweep_known_answer():
    sweep = tradeoffs.budget_sweep(hand(), OPEN, factors=[0, 0.25, 0.5, 1])
    # 10 M USD of DFC budget scaled: 0 -> no build (100 %), 2.5 -> u = 1/4 (80 %), 5 or more -> u = 1/2 (2/3)
    assert sweep.dependence_pct.to_numpy() == pytest.approx([100, 80, 200 / 3, 200 / 3], abs=1e-4)


# ----------------------------------------------------------------------------- tornado

def test_tornado_sorted_by_swing_over_every_numeric_input(shipped_data):
    t = tradeoffs.tornado(shipped_data, DEFAULTS)
    assert list(t.swing_pts) == sorted(t.swing_pts, reverse=True)
    assert set(t.field) == set(tradeoffs.TORNADO_FIELDS)
    assert "dependence_target_pct" not in set(t.field)
    base = model.run(shipped_data, DEFAULTS.replace(objective="min_dependence")).dependence_after_pct
    assert t.dependence_base_pct.to_numpy() == pytest.approx([base] * len(t))
    for row in t.itertuples():
        f = FIELD_BY_NAME[row.field]
        assert f.lo <= row.low_value <= row.high_value <= f.hi
    assert t.swing_pts.iloc[0] > 0


def test_tornado_known_answer():
    """DFC at 4 M USD: halved (2) builds u = 0.2, D = 100/120; one and a half times (6) builds the
    useful half of B, D = 2/3. EXIM has no money here: no swing."""
    t = tradeoffs.tornado(hand(), OPEN.replace(budget_dfc_musd=4), fields=["budget_exim_musd", "budget_dfc_musd"])
    t = t.set_index("field")
    dfc = t.loc["budget_dfc_musd"]
    assert (dfc.low_value, dfc.high_value) == (2.0, 6.0)
    assert dfc.dependence_at_low_pct == pytest.approx(100 / 1.2, abs=1e-4)
    assert dfc.dependence_at_high_pct == pytest.approx(200 / 3, abs=1e-4)
    assert t.loc["budget_exim_musd"].swing_pts == pytest.approx(0, abs=1e-6)
    assert list(t.index) == ["budget_dfc_musd", "budget_exim_musd"]


def test_low_high_stays_in_range():
    assert tradeoffs.low_high(DEFAULTS.replace(target_year=2034), "target_year") == (2031, 2035)
    assert tradeoffs.low_high(DEFAULTS.replace(russia_weight_pct=0.0), "russia_weight_pct") == (0.0, 25.0)
    assert tradeoffs.low_high(DEFAULTS.replace(russia_weight_pct=100.0), "russia_weight_pct") == (50.0, 100.0)
    assert tradeoffs.low_high(DEFAULTS.replace(russia_transit_pct=100.0), "russia_transit_pct") == (50.0, 100.0)


# ----------------------------------------------------------------------------- timeline

def test_timeline_respects_lead_times():
    """B needs 4 years: before 2030 the plan cannot use it (D = 100 %), from 2030 it can (2/3)."""
    t = timeline.dependence_by_year(hand(lead=4), OPEN)
    plan = t.overall[t.overall.case == timeline.PLAN].set_index("year")
    assert list(plan.index) == list(timeline.YEARS)
    assert plan.dependence_pct[2029] == pytest.approx(100)
    assert plan.financing_musd[2029] == pytest.approx(0)
    assert plan.dependence_pct[2030] == pytest.approx(200 / 3, abs=1e-3)
    assert np.allclose(t.overall[t.overall.case == timeline.STATUS_QUO].dependence_pct, 100)
    # one mineral: its line is the overall line
    mineral = t.by_mineral[t.by_mineral.case == timeline.PLAN].set_index("year").dependence_pct
    assert mineral.to_numpy() == pytest.approx(plan.dependence_pct.to_numpy())


def test_timeline_marks_years_where_a_target_is_out_of_reach():
    """Least financing to reach 70 %: impossible before B can produce (2030), then 10 (100/70 - 1)."""
    t = tradeoffs.timeline(hand(lead=4), OPEN.replace(objective="min_financing", dependence_target_pct=70))
    plan = t[t.case == timeline.PLAN].set_index("year")
    assert not plan.feasible[2029] and np.isnan(plan.dependence_pct[2029])
    assert plan.feasible[2030]
    assert plan.financing_musd[2030] == pytest.approx(least_financing(70), abs=1e-4)


def test_timeline_plan_never_above_the_year_without_it_on_shipped_data(shipped_data):
    t = timeline.dependence_by_year(shipped_data, DEFAULTS)
    plan = t.overall[t.overall.case == timeline.PLAN].set_index("year").dependence_pct
    without = t.overall[t.overall.case == timeline.STATUS_QUO].set_index("year").dependence_pct
    assert t.overall.feasible.all()
    assert (plan <= without + 1e-6).all()
    for y in (2026, 2030, 2035):  # "without the plan" is that year's baseline, funded expansions included
        assert without[y] == pytest.approx(model.run(shipped_data, DEFAULTS.replace(target_year=y)).dependence_baseline_pct)
    assert set(t.by_mineral.mineral_id) == set(shipped_data.projects.mineral_id)


# ----------------------------------------------------------------------------- solve budget

def test_all_analyses_share_under_sixty_solves(shipped_data, monkeypatch):
    calls = []
    run = model.run
    monkeypatch.setattr(model, "run", lambda data, s: calls.append(s) or run(data, s))
    solve = tradeoffs.memoised(shipped_data)
    progress = []
    tradeoffs.frontier(shipped_data, DEFAULTS, solve=solve, progress=progress.append)
    tradeoffs.budget_sweep(shipped_data, DEFAULTS, solve=solve)
    tradeoffs.tornado(shipped_data, DEFAULTS, solve=solve)
    timeline.dependence_by_year(shipped_data, DEFAULTS, solve=solve)
    assert len(calls) == len(set(calls)) <= 60
    assert progress[-1] == 1.0 and progress == sorted(progress)


def test_charts_build_from_the_analyses(shipped_data):
    from analytics.present.charts import insight as insight_charts

    solve = tradeoffs.memoised(shipped_data)
    r = solve(DEFAULTS)
    t = timeline.dependence_by_year(shipped_data, DEFAULTS, solve=solve)
    specs = [
        insight_charts.frontier_chart(tradeoffs.frontier(shipped_data, DEFAULTS, solve=solve),
                                      r.financing_used_musd + r.spending_musd, r.dependence_after_pct).to_dict(),
        insight_charts.frontier_chart(tradeoffs.frontier(shipped_data, DEFAULTS, solve=solve), None, None).to_dict(),
        insight_charts.sweep_chart(tradeoffs.budget_sweep(shipped_data, DEFAULTS, solve=solve)).to_dict(),
        insight_charts.tornado_chart(tradeoffs.tornado(shipped_data, DEFAULTS, solve=solve)).to_dict(),
        insight_charts.timeline_chart(t.overall).to_dict(),
        insight_charts.timeline_mineral_chart(t.by_mineral).to_dict(),
    ]
    assert all("$schema" in s for s in specs)
