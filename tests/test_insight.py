"""Presets, trade-offs, timeline and risk (analytics/presets.py, tradeoffs.py, risk.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics import model, presets, risk, tradeoffs
from analytics.scenario import DEFAULTS, decode, encode
from conftest import project, tiny_data
from test_model import OPEN

# The hand case: A 100 t to China, locked; B new 100 t/yr for 10 M USD; allies take 50 t.
# Building B at level u <= 1/2 gives D(u) = 100 / (100 + 100 u), so reaching D <= t needs
# u = 100/t - 1 (t as a fraction), i.e. financing 10 u M USD.
HAND = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                 allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
HAND_SCENARIO = OPEN.replace(budget_dfc_musd=10)


def test_frontier_known_answer_and_monotone():
    f = tradeoffs.frontier(HAND, HAND_SCENARIO, n_points=6)
    assert f.feasible.all()
    assert f.target_pct.iloc[0] == pytest.approx(200 / 3, abs=1e-3)
    for t, money in zip(f.target_pct, f.financing_musd):
        u = max(0.0, 100 / (t / 100) / 100 - 1)
        assert money == pytest.approx(10 * u, abs=1e-4)
    assert (np.diff(f.financing_musd) <= 1e-6).all()  # a laxer target never costs more


def test_frontier_monotone_on_shipped_data(shipped_data):
    f = tradeoffs.frontier(shipped_data, DEFAULTS.replace(offtake_musd=5000), n_points=8)
    ok = f[f.feasible]
    assert len(ok) >= 2
    assert (np.diff(ok.financing_musd) <= 1e-6).all()
    assert (ok.dependence_pct <= ok.target_pct + 1e-6).all()


def test_budget_sweep_never_rises(shipped_data):
    s = tradeoffs.budget_sweep(shipped_data, DEFAULTS.replace(offtake_musd=5000))
    assert (np.diff(s.dependence_pct) <= 1e-6).all()


def test_tornado_sorted_by_swing(shipped_data):
    t = tradeoffs.tornado(shipped_data, DEFAULTS)
    assert list(t.swing_pts) == sorted(t.swing_pts, reverse=True)
    assert set(t.field) == set(tradeoffs.TORNADO_FIELDS)


def test_timeline_respects_lead_times():
    """B needs 4 years: before 2030 the plan cannot use it (D = 1), from 2030 it can (D = 2/3)."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10, lead=4)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    t = tradeoffs.timeline(data, HAND_SCENARIO).query("case == 'Scenario plan'").set_index("year").dependence_pct
    assert t[2029] == pytest.approx(100)
    assert t[2030] == pytest.approx(200 / 3, abs=1e-3)
    assert (np.diff(t.to_numpy()) <= 1e-6).all()


# ----------------------------------------------------------------------------- presets

@pytest.mark.parametrize("preset_id", list(presets.PRESETS))
def test_preset_solves_and_links(shipped_data, preset_id):
    p = presets.PRESETS[preset_id]
    assert decode(encode(p.scenario)).scenario == p.scenario
    assert presets.matching_preset(p.scenario) is p
    assert model.run(shipped_data, p.scenario).status is not model.Status.ERROR


def test_status_quo_preset_spends_nothing(shipped_data):
    r = model.run(shipped_data, presets.PRESETS["status_quo"].scenario)
    assert r.financing_used_musd == 0 and r.financing.empty


def test_advanced_framework_beats_an_mou(shipped_data):
    mou = model.run(shipped_data, presets.PRESETS["basic_mou"].scenario)
    adv = model.run(shipped_data, presets.PRESETS["advanced_framework"].scenario)
    assert adv.dependence_after_pct <= mou.dependence_after_pct


# ----------------------------------------------------------------------------- risk

FLOWS = pd.DataFrame([
    # case, project, mineral, route, destination, corridor, tpy
    ("after", "a", "x", "allied_via_russia", "allied", "russia_rail", 60.0),
    ("after", "a", "x", "allied_via_middle", "allied", "middle_corridor", 40.0),
    ("after", "a", "x", "china_via_border", "china", "china_border", 100.0),
    ("before", "a", "x", "allied_via_russia", "allied", "russia_rail", 100.0),
], columns=["case", "project_id", "mineral_id", "route_id", "destination", "corridor_id", "tpy"])
PRICES = {"x": 1e6}  # 1 M USD per t: secure value equals tonnes


def test_same_seed_same_draws():
    a = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=2000, seed=7)
    b = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=2000, seed=7)
    pd.testing.assert_frame_equal(a, b)


def test_no_events_means_the_undisrupted_value():
    zero = risk.RiskInputs(**{f"{e}_prob_pct": 0.0 for e in risk.EVENTS})
    s = risk.summary(risk.simulate(FLOWS, PRICES, zero, n_draws=500)).set_index("case")
    assert s.loc["Scenario plan", "expected_musd"] == pytest.approx(100)  # China-bound tonnes are not secure
    assert s.loc["Status quo", "p5_musd"] == pytest.approx(100)


def test_certain_russian_closure_removes_exactly_the_russian_rail_flows():
    only_russia = risk.RiskInputs(**{**{f"{e}_prob_pct": 0.0 for e in risk.EVENTS},
                                     "russia_closure_prob_pct": 100.0, "russia_closure_severity_pct": 100.0})
    s = risk.summary(risk.simulate(FLOWS, PRICES, only_russia, n_draws=300)).set_index("case")
    assert s.loc["Scenario plan", "expected_musd"] == pytest.approx(40)  # the Middle Corridor part survives
    assert s.loc["Status quo", "expected_musd"] == pytest.approx(0)


def test_p5_never_above_the_mean_and_progress_reaches_one():
    seen = []
    d = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=3000, chunk=1000, progress=seen.append)
    s = risk.summary(d)
    assert (s.p5_musd <= s.expected_musd + 1e-9).all()
    assert seen == [pytest.approx(1 / 3), pytest.approx(2 / 3), 1.0]


def test_risk_inputs_are_validated():
    with pytest.raises(ValueError, match="china_ban_prob_pct"):
        risk.RiskInputs(china_ban_prob_pct=140)
