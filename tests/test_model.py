"""Known-answer and property tests of the allocation model (analytics/model/)."""
from __future__ import annotations

import pytest
from conftest import project, tiny_data
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import model
from analytics.model.scenario import Scenario

# Scenario that opens everything: the tiny cases set their own limits in the data.
OPEN = Scenario(budget_dfc_musd=0, budget_exim_musd=0, budget_jbic_musd=0, budget_eib_musd=0,
                budget_private_musd=0, budget_samruk_musd=0, offtake_musd=10000, middle_corridor_ktpy=5000,
                allied_capacity_pct=100, russia_transit_pct=100, lockin_pct=100, target_year=2030)


def test_building_lowers_the_ratio_without_lowering_chinese_tonnes():
    """A: 100 t today, all to China, fully locked in. B: new, 100 t/yr for 10 M USD; allied
    processing takes 50 t. Building B at level u sends min(100u, 50) to allies, so
    D(u) = (100 + max(0, 100u - 50)) / (100 + 100u), least at u = 1/2: D = 100/150 = 2/3,
    costing 5 M USD. Minimising Chinese tonnes instead is indifferent to building (100 t either
    way) and its cheapest plan builds nothing, leaving D = 1."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=10))
    assert r.ok
    assert r.dependence_before_pct == pytest.approx(100)
    assert r.dependence_after_pct == pytest.approx(200 / 3, abs=1e-4)
    assert r.builds.set_index("project_id").build_pct["b"] == pytest.approx(50, abs=1e-3)
    assert r.financing_used_musd == pytest.approx(5, abs=1e-4)
    after = r.flows[r.flows.case == "after"]
    assert after[after.destination == "china"].tpy.sum() == pytest.approx(100)


def test_value_weighting_and_tonnes_disagree():
    """H: 10 t at 10 USD/t, cargo 5 t per t. L: 100 t at 1 USD/t, cargo 1 t per t. Both go to
    China today, unlocked; the Middle Corridor carries 100 t of cargo to allies.
    Fewest Chinese tonnes: ship 100 t of L, leaving 10 t of H in China (D = 100/200 = 0.5).
    Least dependence: ship all of H (50 t cargo) and 50 t of L: 50 t of L stay in China,
    D = 50/200 = 0.25 -- five times the Chinese tonnes, half the dependence."""
    minerals = [dict(mineral_id="h", name="H", price_usd_per_t=10.0, criticality_weight=1.0, cargo_t_per_t=5.0),
                dict(mineral_id="l", name="L", price_usd_per_t=1.0, criticality_weight=1.0, cargo_t_per_t=1.0)]
    data = tiny_data([project("h", mineral="h", output=10), project("l", mineral="l", output=100)],
                     minerals=minerals, allied_capacity={"h": 1000, "l": 1000})
    r = model.run(data, OPEN.replace(lockin_pct=0, middle_corridor_ktpy=0.1))
    assert r.dependence_after_pct == pytest.approx(25, abs=1e-4)
    after = r.flows[r.flows.case == "after"].groupby(["mineral_id", "destination"]).tpy.sum()
    assert after[("h", "allied")] == pytest.approx(10)
    assert after[("l", "china")] == pytest.approx(50)


def test_lock_in_keeps_contracted_tonnes_in_china():
    """100 t today, 80 % to China, 20 % allied, allied capacity 60 t. With 50 % lock-in, 40 t must
    stay in China; the other 60 t fill allied capacity: D = 40 %. With no lock-in the allied
    cap still keeps 40 t in China: same D. With 100 % lock-in, 80 t stay: D = 80 %."""
    data = tiny_data([project("a", output=100, china=80, allied=20)], allied_capacity={"x": 60})
    assert model.run(data, OPEN.replace(lockin_pct=50)).dependence_after_pct == pytest.approx(40)
    assert model.run(data, OPEN.replace(lockin_pct=0)).dependence_after_pct == pytest.approx(40)
    assert model.run(data, OPEN.replace(lockin_pct=100)).dependence_after_pct == pytest.approx(80)


def test_eligibility_keeps_us_money_out_of_chinese_projects():
    """Only project b (Chinese-owned) can add output; DFC excludes Chinese owners: nothing is built."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10, owner="chinese", china=0,
                                                             allied=100)],
                     allied_capacity={"x": 100}, financiers=[("dfc", 100.0, 100.0, "chinese;russian")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=100, lockin_pct=100))
    assert r.builds.empty and r.financing.empty
    assert r.dependence_after_pct == pytest.approx(100)


def test_russia_weight_counts_russian_routes():
    """100 t today: 50 to China, 50 to Russia, fully locked (China) and Russia full.
    D = 50 % with weight 0; with weight 100 % Russian tonnes count too: D = 100 %."""
    data = tiny_data([project("a", output=100, china=50, russia=50)])
    assert model.run(data, OPEN).dependence_after_pct == pytest.approx(50)
    assert model.run(data, OPEN.replace(russia_weight_pct=100)).dependence_after_pct == pytest.approx(100)


def test_target_year_excludes_projects_not_ready():
    """The same first case, but B needs 6 years: in 2030 it cannot produce, so D stays 1."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10, lead=6)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    assert model.run(data, OPEN.replace(budget_dfc_musd=10, target_year=2030)).dependence_after_pct == pytest.approx(100)
    assert model.run(data, OPEN.replace(budget_dfc_musd=10, target_year=2032)).dependence_after_pct == pytest.approx(200 / 3, abs=1e-4)


def test_budget_shadow_price_matches_a_hand_derivative():
    """Budget B < 5 builds u = B/10, so D(B) = 100 / (100 + 10 B): dD/dB at B = 2 is
    -1000/120^2 per M USD; per 100 M USD in points that is -1000/14400*100*100 -- the quoted step
    shrinks until the effect is at most 10 points, so compare the per-M-USD slope."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 2.0, 100.0, "")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=2))
    row = r.constraints.set_index("constraint").loc["budget[dfc]"]
    slope_points_per_musd = row.shadow_points_per_step / row.step
    assert slope_points_per_musd == pytest.approx(-1000 / 120**2 * 100, rel=1e-4)
    assert row.binding


def test_infeasible_scenario_is_reported_not_raised():
    """All 100 t go to Russia today; the scenario closes Russian transit, and no other corridor or
    processor can take them (China border 0, no allied or domestic capacity): no plan exists."""
    data = tiny_data([project("a", output=100, china=0, russia=100)],
                     corridors={"china_border": 0.0, "russia_rail": 1e6, "middle_corridor": 1e6})
    r = model.run(data, OPEN.replace(russia_transit_pct=0))
    assert r.status is model.Status.INFEASIBLE
    assert not r.ok and r.dependence_after_pct is None


# ----------------------------------------------------------------------------- shipped data

def test_shipped_data_solves_at_defaults(shipped_data):
    r = model.run(shipped_data, Scenario())
    assert r.ok
    assert 0 <= r.dependence_after_pct <= r.dependence_before_pct <= 100
    assert r.financing_used_musd <= Scenario().total_budget_musd + 1e-6


def test_more_budget_never_raises_dependence(shipped_data):
    base = Scenario()
    d0 = model.run(shipped_data, base).dependence_after_pct
    for name in ("budget_dfc_musd", "budget_exim_musd", "budget_jbic_musd", "budget_eib_musd",
                 "budget_private_musd", "budget_samruk_musd", "offtake_musd"):
        more = base.replace(**{name: getattr(base, name) + 1000})
        assert model.run(shipped_data, more).dependence_after_pct <= d0 + 1e-6, name


@settings(max_examples=25, deadline=None)
@given(budget=st.floats(0, 3000), extra=st.floats(0, 2000), offtake=st.floats(0, 5000),
       lock=st.floats(0, 100), year=st.integers(2026, 2035))
def test_property_more_money_never_worse(shipped_data, budget, extra, offtake, lock, year):
    base = Scenario(budget_exim_musd=budget, offtake_musd=offtake, lockin_pct=lock, target_year=year)
    richer = base.replace(budget_exim_musd=min(5000, budget + extra))
    r0, r1 = model.run(shipped_data, base), model.run(shipped_data, richer)
    if r0.ok:
        assert r1.ok
        assert r1.dependence_after_pct <= r0.dependence_after_pct + 1e-6


def test_shadow_prices_agree_with_finite_differences(shipped_data):
    """For each binding budget or capacity row with a non-zero dual, nudging its scenario input
    moves the optimal D by about the dual times the nudge."""
    base = Scenario(offtake_musd=3000)
    r = model.run(shipped_data, base)
    rows = r.constraints.set_index("constraint")
    checked = 0
    for row_name, field, per_unit in [("budget[exim]", "budget_exim_musd", 1.0),
                                      ("offtake[allied]", "offtake_musd", 1.0),
                                      ("corridor[middle_corridor]", "middle_corridor_ktpy", 1.0)]:
        if row_name not in rows.index:
            continue
        row = rows.loc[row_name]
        slope = row.shadow_points_per_step / row.step  # points per unit of the row
        h = 1.0
        bumped = model.run(shipped_data, base.replace(**{field: getattr(base, field) + h * per_unit}))
        fd = (bumped.dependence_after_pct - r.dependence_after_pct) / h
        assert fd == pytest.approx(slope, abs=2e-3), row_name
        checked += 1
    assert checked >= 2


# ----------------------------------------------------------------------------- whole projects (MILP)

def test_whole_project_mode_builds_all_or_nothing():
    """The first case with binary builds: not building leaves D = 1; building B fully sends
    50 t to allies and 50 t to China: D = 150/200 = 0.75, better, so the MILP builds it --
    raising Chinese tonnes from 100 to 150, where the LP built half and kept them at 100."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=10, project_mode="whole"))
    assert r.dependence_after_pct == pytest.approx(75, abs=1e-3)
    assert r.builds.build_pct.tolist() == pytest.approx([100])
    after = r.flows[r.flows.case == "after"]
    assert after[after.destination == "china"].tpy.sum() == pytest.approx(150, abs=1e-2)


def test_dinkelbach_picks_the_better_ratio_not_the_bigger_project():
    """Two whole projects, budget for one (10 M USD). P: 100 t/yr, allied 20 -> D = (100+80)/200 = 0.9.
    Q: 30 t/yr, allied 30 (its own mineral y with allied room) -> D = 100/130 = 0.769. Q wins."""
    minerals = [dict(mineral_id="x", name="X", price_usd_per_t=1.0, criticality_weight=1.0, cargo_t_per_t=1.0),
                dict(mineral_id="y", name="Y", price_usd_per_t=1.0, criticality_weight=1.0, cargo_t_per_t=1.0)]
    data = tiny_data([project("a", output=100), project("p", capacity=100, capex=10),
                      project("q", mineral="y", capacity=30, capex=10)],
                     minerals=minerals, allied_capacity={"x": 20, "y": 30}, financiers=[("dfc", 10.0, 10.0, "")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=10, project_mode="whole"))
    assert r.builds.project_id.tolist() == ["q"]
    assert r.dependence_after_pct == pytest.approx(100 * 100 / 130, abs=1e-3)


def test_milp_shadow_prices_come_from_the_lp_with_binaries_fixed():
    """With B fixed built, one more t/yr of allied capacity moves 1 t from China to allies:
    dD = -1/200 per t, i.e. -0.5 points per 100 t."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=10, project_mode="whole"))
    row = r.constraints.set_index("constraint").loc["processing[allied,x]"]
    assert row.shadow_points_per_step / row.step == pytest.approx(-100 / 200, rel=1e-4)


# ----------------------------------------------------------------------------- infeasibility in words

def test_infeasibility_names_the_conflicting_limit():
    """100 t go to Russia today; Russian transit closes; the only other exit, the China border,
    carries 0.04 kt (40 t) of cargo: it is 0.06 kt short. The diagnosis names it and the amount."""
    data = tiny_data([project("a", output=100, china=0, russia=100)],
                     corridors={"china_border": 0.04, "russia_rail": 1e6, "middle_corridor": 1e6})
    r = model.run(data, OPEN.replace(russia_transit_pct=0))
    assert r.status is model.Status.INFEASIBLE
    assert r.diagnosis.constraint.tolist() == ["corridor[china_border]"]
    assert r.diagnosis.shortfall.iloc[0] == pytest.approx(0.06)
    assert "China border crossing capacity is 0.06 kt/yr short" in r.message


def test_unreachable_target_says_what_is_reachable():
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=10, objective="min_financing", dependence_target_pct=50))
    assert r.status is model.Status.INFEASIBLE
    assert "lowest dependence these budgets and limits allow is 66.7 %" in r.message


def test_least_financing_meets_the_target_exactly():
    """D(u) = 100/(100 + 100u) <= 0.8 needs u >= 0.25: 2.5 M USD."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    r = model.run(data, OPEN.replace(budget_dfc_musd=10, objective="min_financing", dependence_target_pct=80))
    assert r.financing_used_musd == pytest.approx(2.5, abs=1e-5)
    assert r.dependence_after_pct == pytest.approx(80, abs=1e-4)


def test_max_secure_supply_fills_allied_capacity():
    """100 t today, all to China, unlocked; allies can process 60 t: the most secure supply is
    60 t to allies, leaving D = 40 %."""
    data = tiny_data([project("a", output=100)], allied_capacity={"x": 60})
    r = model.run(data, OPEN.replace(lockin_pct=0, objective="max_secure"))
    after = r.flows[r.flows.case == "after"].groupby("destination").tpy.sum()
    assert after["allied"] == pytest.approx(60)
    assert r.dependence_after_pct == pytest.approx(40)


def test_financing_can_be_restricted_to_one_mineral():
    """Two identical new projects of minerals x and y, budget for both: restricted to y, only y is built."""
    minerals = [dict(mineral_id=m, name=m.upper(), price_usd_per_t=1.0, criticality_weight=1.0, cargo_t_per_t=1.0)
                for m in ("x", "y")]
    data = tiny_data([project("a", output=100), project("bx", capacity=50, capex=10),
                      project("by", mineral="y", capacity=50, capex=10)],
                     minerals=minerals, allied_capacity={"x": 50, "y": 50}, financiers=[("dfc", 20.0, 20.0, "")])
    both = model.run(data, OPEN.replace(budget_dfc_musd=20))
    only_y = model.run(data, OPEN.replace(budget_dfc_musd=20, financed_mineral="y"))
    assert set(both.builds.project_id) == {"bx", "by"}
    assert set(only_y.builds.project_id) == {"by"}
    unknown = model.run(data, OPEN.replace(budget_dfc_musd=20, financed_mineral="unobtainium"))
    assert unknown.ok and any("unobtainium" in n for n in unknown.notes)


def test_unusable_data_gives_an_error_result_not_an_exception():
    data = tiny_data([project("a", output=0, capacity=10)])
    r = model.run(data, OPEN)
    assert r.status is model.Status.ERROR and "no current output" in r.message


def test_the_plan_reports_a_shift_to_russian_processing():
    """A: 100 t to China, unlocked; Russia states 30 t of processing open to it. With the Russia
    weight at 0 the plan moves 30 t there (+30 points of all output); at weight 100 it moves none."""
    import pandas as pd

    data = tiny_data([project("a", output=100)])
    extra = pd.DataFrame([("russia", "x", 30.0)], columns=["destination", "mineral_id", "capacity_tpy"])
    data = model.ModelData(data.minerals, data.projects, data.financiers, data.routes, data.corridors,
                           pd.concat([data.processing_capacity, extra], ignore_index=True))
    assert model.run(data, OPEN.replace(lockin_pct=0)).russia_share_change_pts == pytest.approx(30)
    assert model.run(data, OPEN.replace(lockin_pct=0, russia_weight_pct=100)).russia_share_change_pts == pytest.approx(0)


def test_copies_of_the_data_share_derived_inputs_but_changed_data_does_not():
    """Streamlit hands out copies of the cached data: they must reuse the derivation, while an edited
    table (e.g. uploaded projects) must never be solved with the old one."""
    import pickle

    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)],
                     allied_capacity={"x": 50}, financiers=[("dfc", 10.0, 10.0, "")])
    copy = pickle.loads(pickle.dumps(data))
    assert model.fingerprint(copy) == model.fingerprint(data)
    edited = data.replace_projects(data.projects.assign(output_tpy=[200.0, 0.0], capacity_tpy=[200.0, 100.0]))
    assert model.fingerprint(edited) != model.fingerprint(data)
    s = OPEN.replace(budget_dfc_musd=10)
    assert model.run(data, s).dependence_after_pct == pytest.approx(200 / 3, abs=1e-4)
    # A's 200 t stay locked in China; half of B reaches allies: D = 200 / 250
    assert model.run(edited, s).dependence_after_pct == pytest.approx(80, abs=1e-4)


def test_outputs_too_small_to_weigh_are_an_error_in_words_not_a_crash():
    """Found by fuzzing: an output of 5e-324 t/yr made the dependence weights infinite (NaN in the LP)."""
    data = tiny_data([project("a", output=5e-324, capacity=10.0)])
    r = model.run(data, Scenario())
    assert r.status is model.Status.ERROR and "too small to weigh" in r.message


def test_a_plan_whose_flows_all_round_to_nothing_is_summarised_not_a_crash():
    """Found by fuzzing: one project of 1e-6 t/yr left no flow above the summary's 1e-6 cut, and the
    per-mineral table failed to cast NaN to integers."""
    data = tiny_data([project("a", output=1e-6, capacity=1e-6)])
    r = model.run(data, Scenario())
    assert r.ok and r.by_mineral.dependence_after_pct.isna().all()
