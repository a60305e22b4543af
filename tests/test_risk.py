"""Disruption Monte Carlo (analytics/analyses/risk.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import project, tiny_data
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import model
from analytics.analyses import risk
from analytics.model.scenario import Scenario

FLOWS = pd.DataFrame([
    # case, project, mineral, route, destination, corridor, countries crossed, tpy
    ("after", "a", "x", "allied_via_russia", "allied", "russia_rail", "RU", 60.0),
    ("after", "a", "x", "allied_via_middle", "allied", "middle_corridor", "AZ;GE", 40.0),
    ("after", "a", "x", "allied_via_china", "allied", "china_border", "CN", 20.0),
    ("after", "a", "x", "domestic_local", "domestic", "domestic", "", 10.0),
    ("after", "a", "x", "china_via_border", "china", "china_border", "", 100.0),
    ("after", "a", "x", "russia_via_rail", "russia", "russia_rail", "", 30.0),
    ("baseline", "a", "x", "allied_via_russia", "allied", "russia_rail", "RU", 100.0),
    ("baseline", "a", "x", "china_via_border", "china", "china_border", "", 160.0),
], columns=["case", "project_id", "mineral_id", "route_id", "destination", "corridor_id", "crosses", "tpy"])
PRICES = {"x": 1e6}  # 1 M USD per t: secure value in M USD/yr equals allied + domestic tonnes
NONE = risk.RiskInputs(**{f"{e}_prob_pct": 0.0 for e in risk.EVENTS})


def only(event: str, severity: float = 100.0) -> risk.RiskInputs:
    """Just this event, every year, at this severity."""
    return risk.RiskInputs(**{**{f"{e}_prob_pct": 0.0 for e in risk.EVENTS},
                              f"{event}_prob_pct": 100.0, f"{event}_severity_pct": severity})


def expected(inputs: risk.RiskInputs, case: str) -> float:
    return risk.summary(risk.simulate(FLOWS, PRICES, inputs, n_draws=200)).set_index("case").loc[case, "expected_musd"]


def test_same_seed_same_draws_whatever_the_chunks():
    a = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=2500, seed=7)
    b = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=2500, seed=7, chunk=333)
    pd.testing.assert_frame_equal(a, b)
    c = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=2500, seed=8)
    assert not a.secure_musd.equals(c.secure_musd)


def test_no_events_means_exactly_the_undisrupted_value():
    d = risk.simulate(FLOWS, PRICES, NONE, n_draws=500)
    plan = d[d.case == "after"]
    secure = FLOWS[(FLOWS.case == "after") & FLOWS.destination.isin(["allied", "domestic"])]
    assert plan.undisrupted_musd.iloc[0] == pytest.approx(secure.tpy.sum(), rel=1e-12)
    assert (plan.secure_musd == plan.undisrupted_musd).all()  # exactly, not approximately
    s = risk.summary(d).set_index("case")
    assert s.loc["Scenario plan", "p5_musd"] == s.loc["Scenario plan", "undisrupted_musd"] == pytest.approx(130)
    assert s.loc["Without the plan", "expected_musd"] == pytest.approx(100)  # China-bound tonnes are not secure
    assert (s.prob_loss_pct == 0).all()


def test_a_certain_russian_closure_removes_exactly_the_russian_rail_flows():
    assert expected(only("russia_closure"), "Scenario plan") == pytest.approx(130 - 60)
    assert expected(only("russia_closure"), "Without the plan") == pytest.approx(0)


@pytest.mark.parametrize("event, severity, plan_left", [
    ("china_ban", 100, 130 - 20),          # allied cargo through Chinese ports
    ("caspian_disruption", 50, 130 - 20),  # half of the Middle Corridor's 40 t
    ("price_shock", 30, 0.7 * 130),        # the value of everything
])
def test_each_event_cuts_what_it_touches(event, severity, plan_left):
    assert expected(only(event, severity), "Scenario plan") == pytest.approx(plan_left)


def test_mean_matches_the_closed_form_and_events_their_probabilities():
    """Independent events: E[secure] = (1 - p s)_price * sum_c v_c prod_{e on c} (1 - p_e s_e)."""
    inputs = risk.RiskInputs()
    d = risk.simulate(FLOWS, PRICES, inputs, n_draws=20000, seed=3)
    plan = d[d.case == "after"]
    keep = {e: 1 - inputs.prob(e) * inputs.severity(e) for e in risk.EVENTS}
    exact = keep["price_shock"] * (60 * keep["russia_closure"] + 40 * keep["caspian_disruption"]
                                   + 20 * keep["china_ban"] + 10)
    se = plan.secure_musd.std() / np.sqrt(len(plan))
    assert abs(plan.secure_musd.mean() - exact) < 4 * se
    for e in risk.EVENTS:
        assert plan[e].mean() == pytest.approx(inputs.prob(e), abs=0.01)
    # both cases see the same events in the same draw
    before = d[d.case == "baseline"]
    assert (before[list(risk.EVENTS)].to_numpy() == plan[list(risk.EVENTS)].to_numpy()).all()


def test_p5_is_below_the_mean_with_the_default_inputs():
    d = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=5000, seed=1)
    s = risk.summary(d)
    assert (s.p5_musd <= s.expected_musd).all()


@settings(max_examples=25, deadline=None)
@given(probs=st.lists(st.floats(0, 100), min_size=4, max_size=4),
       sevs=st.lists(st.floats(0, 100), min_size=4, max_size=4), seed=st.integers(0, 1000))
def test_p5_and_mean_never_above_the_undisrupted_value(probs, sevs, seed):
    """(P5 <= mean is not a law: with rare small losses P5 is the undisrupted value, above the mean.)"""
    inputs = risk.RiskInputs(**{f"{e}_prob_pct": p for e, p in zip(risk.EVENTS, probs)},
                             **{f"{e}_severity_pct": s for e, s in zip(risk.EVENTS, sevs)})
    d = risk.simulate(FLOWS, PRICES, inputs, n_draws=400, seed=seed)
    s = risk.summary(d).set_index("case")
    worst = d.groupby(d.case.map(risk.CASE_LABELS)).secure_musd.min()
    assert (s.p5_musd <= s.undisrupted_musd + 1e-9).all()
    assert (s.expected_musd <= s.undisrupted_musd + 1e-9).all()
    assert (s.p5_musd >= worst[s.index] - 1e-9).all()
    assert s.prob_loss_pct.between(0, 100).all()


def test_loss_probability_counts_losses_above_the_threshold():
    d = risk.simulate(FLOWS, PRICES, only("russia_closure"), n_draws=100)
    s = risk.summary(d, loss_threshold_pct=40).set_index("case")
    assert s.loc["Scenario plan", "prob_loss_pct"] == pytest.approx(100)  # 60 of 130 lost: 46 %
    s = risk.summary(d, loss_threshold_pct=50).set_index("case")
    assert s.loc["Scenario plan", "prob_loss_pct"] == pytest.approx(0)
    assert s.loc["Without the plan", "prob_loss_pct"] == pytest.approx(100)


def test_progress_reports_each_chunk():
    seen = []
    risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=2500, chunk=1000, progress=seen.append)
    assert seen == [pytest.approx(0.4), pytest.approx(0.8), 1.0]


def test_histogram_holds_every_draw():
    d = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=3000, seed=2)
    h = risk.histogram(d, bins=30)
    assert h.groupby("case").draws.sum().to_dict() == {"Scenario plan": 3000, "Without the plan": 3000}
    assert len(h) == 60 and (h.bin_end_musd > h.bin_start_musd).all()
    same = risk.histogram(risk.simulate(FLOWS, PRICES, NONE, n_draws=10))  # every draw equal: still one bin
    assert same.draws.sum() == 20


def test_a_solved_plan_is_simulated_from_its_flows():
    """A: 100 t today to China; money wins 50 t for allies (through the Middle Corridor, which crosses
    Azerbaijan) at 2 M USD/t."""
    data = tiny_data([project("a", output=100)], allied_capacity={"x": 50},
                     minerals=[dict(mineral_id="x", name="X", price_usd_per_t=2e6, criticality_weight=1.0,
                                    cargo_t_per_t=1.0)])
    r = model.run(data, Scenario(offtake_musd=5000))
    assert r.ok
    prices = risk.prices(data.minerals)
    s = risk.summary(risk.simulate(r.flows, prices, NONE, n_draws=50)).set_index("case")
    assert s.loc["Scenario plan", "expected_musd"] == pytest.approx(50 * 2)  # 50 t x 2 M USD/t
    assert s.loc["Without the plan", "expected_musd"] == pytest.approx(0)
    cut = risk.summary(risk.simulate(r.flows, prices, only("caspian_disruption"), n_draws=50)).set_index("case")
    assert cut.loc["Scenario plan", "expected_musd"] == pytest.approx(0)


def test_no_flows_no_draws():
    empty = risk.simulate(FLOWS.iloc[:0], PRICES, risk.RiskInputs())
    assert empty.empty and list(empty.columns) == risk.DRAW_COLUMNS
    assert risk.summary(empty).empty


@pytest.mark.parametrize("bad", [140, -1, float("nan"), True, "20"])
def test_risk_inputs_are_validated(bad):
    with pytest.raises(ValueError, match="china_ban_prob_pct"):
        risk.RiskInputs(china_ban_prob_pct=bad)


def test_risk_chart_builds_from_the_summary():
    from analytics.present.charts import insight as insight_charts

    d = risk.simulate(FLOWS, PRICES, risk.RiskInputs(), n_draws=1000)
    spec = insight_charts.risk_chart(risk.histogram(d), risk.summary(d)).to_dict()
    assert "$schema" in spec
    # one panel per case, on a shared axis: two histograms never overlap and blur into one colour
    panels = spec["vconcat"]
    assert [p["title"] for p in panels] == ["Scenario plan", "Without the plan"]
    for panel in panels:
        rules = next(layer for layer in panel["layer"] if layer["mark"]["type"] == "rule")
        assert rules["encoding"]["strokeDash"]["field"] == "stat"
    assert spec["resolve"]["scale"]["x"] == "shared"


def test_equal_chances_of_a_large_loss_are_explained_by_the_events_that_cause_them():
    """With only a price crash possible, both cases lose more than the threshold in exactly the draws with a
    crash (it cuts the value of everything alike): the page can say so instead of leaving equal figures bare."""
    only_price = risk.RiskInputs(china_ban_prob_pct=0, russia_closure_prob_pct=0, caspian_disruption_prob_pct=0,
                                 price_shock_prob_pct=30, price_shock_severity_pct=40)
    d = risk.simulate(FLOWS, PRICES, only_price, n_draws=500, seed=3)
    s = risk.summary(d, 25).set_index("case")
    assert s.prob_loss_pct.nunique() == 1
    assert risk.shared_loss_events(d, 25) == ("price_shock",)
    uneven = risk.simulate(FLOWS, PRICES, risk.RiskInputs(price_shock_prob_pct=0), n_draws=500, seed=3)
    if risk.summary(uneven, 25).prob_loss_pct.nunique() > 1:
        assert risk.shared_loss_events(uneven, 25) is None
