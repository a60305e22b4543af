"""Known-answer tests of the allocation model (analytics/model/), each worked by hand.

Tiny data (tests/conftest.py): mineral x at 1 M USD per t, so the default least premium of 5 %
costs 0.05 M USD per tonne won from its buyer, and the freight on the route it is sent along adds
0.01 M USD: 0.06 M USD per tonne moved.
"""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROUTES, owner, project, tiny_data

from analytics import model
from analytics.model.scenario import Scenario

# every lever off; each test opens the ones it needs
OPEN = Scenario(offtake_musd=0, commitments_pct=100, middle_corridor_ktpy=5000, allied_capacity_pct=100,
                russia_transit_pct=100, target_year=2030, russia_weight_pct=100, transit_weight_pct=50,
                premium_floor_pct=5)


def after(r: model.Result) -> pd.DataFrame:
    return r.flows[r.flows.case == "after"]


# ----------------------------------------------------------------------------- what money buys

def test_no_money_keeps_todays_flows_and_money_buys_tonnes_at_the_premium():
    """100 t go to China; allied plants could take all of them. With no offtake money nothing moves
    (D stays 100 %). 2 M USD a year at 0.06 M USD per t wins 33.3 t: D = 66.7 %."""
    data = tiny_data([project("a", output=100)], allied_capacity={"x": 100})
    r0 = model.run(data, OPEN)
    assert r0.dependence_after_pct == pytest.approx(100) == r0.dependence_before_pct
    r = model.run(data, OPEN.replace(offtake_musd=2))
    assert r.dependence_after_pct == pytest.approx(100 - 100 / 3, abs=1e-6)
    assert r.spending_musd == pytest.approx(2, abs=1e-6)


def test_a_published_price_gap_above_the_least_premium_is_what_a_tonne_costs():
    """The mineral's own premium is 10 %: 2 M USD wins 2 / (0.1 + 0.01) = 18.18 t, D = 81.82 %."""
    minerals = [dict(mineral_id="x", name="X", price_usd_per_t=1e6, criticality_weight=1.0, cargo_t_per_t=1.0,
                     allied_premium_pct=10.0)]
    data = tiny_data([project("a", output=100)], minerals=minerals, allied_capacity={"x": 100})
    assert model.run(data, OPEN.replace(offtake_musd=2)).dependence_after_pct == pytest.approx(100 - 200 / 11, abs=1e-6)


def test_freight_on_a_new_route_is_paid_too():
    """The Middle Corridor costs 100,000 USD per t of cargo: each tonne won costs 0.05 + 0.1 M USD.
    Transit through Russia or China counts fully here, so only the Middle Corridor helps: 3 M USD
    moves 20 t, D = 80 %."""
    routes = [r if r[0] != "allied_via_middle" else (*r[:4], 100_000.0, r[5]) for r in ROUTES]
    data = tiny_data([project("a", output=100)], allied_capacity={"x": 100}, routes=routes)
    r = model.run(data, OPEN.replace(offtake_musd=3, transit_weight_pct=100))
    assert r.dependence_after_pct == pytest.approx(80, abs=1e-6)


def test_owners_lifting_their_share_keep_it_where_they_take_it():
    """A Chinese owner with 49 % lifts its share to China; the Kazakh owner's 51 % is sold on the
    market. Even with ample money only 51 t can leave: D = 49 %."""
    data = tiny_data([project("a", output=100)], allied_capacity={"x": 100},
                     owners=[owner("a", "CN", 49), owner("a", "KZ", 51)])
    assert model.run(data, OPEN.replace(offtake_musd=100)).dependence_after_pct == pytest.approx(49, abs=1e-6)


def test_a_contract_holds_its_tonnes_until_it_ends():
    """30 % of output is contracted to a Chinese buyer until 2028: in 2027 it holds (D = 30 %), in
    2029 the tonnes are free to be won (D = 0)."""
    data = tiny_data([project("a", output=100)], allied_capacity={"x": 100},
                     contracts=[("a", "china", 30.0, 2028)])
    assert model.run(data, OPEN.replace(offtake_musd=100, target_year=2027)).dependence_after_pct == pytest.approx(30)
    assert model.run(data, OPEN.replace(offtake_musd=100, target_year=2029)).dependence_after_pct == pytest.approx(0)


def test_owners_from_one_country_holding_a_majority_decide_where_output_goes():
    """Two Chinese owners hold 30 % and 25 % and lift nothing themselves; together they control
    the company, so their 55 % stays in China whatever the money (D = 55 %). At 30 % and 15 % they
    do not control it and the output can be won (D = 0)."""
    controlled = tiny_data([project("a", output=100)], allied_capacity={"x": 100},
                           owners=[owner("a", "CN", 30, lifts=False), owner("a", "HK", 25, lifts=False),
                                   owner("a", "KZ", 45)])
    assert model.run(controlled, OPEN.replace(offtake_musd=100)).dependence_after_pct == pytest.approx(55, abs=1e-6)
    minority = tiny_data([project("a", output=100)], allied_capacity={"x": 100},
                         owners=[owner("a", "CN", 30, lifts=False), owner("a", "CN", 15, lifts=False),
                                 owner("a", "KZ", 55)])
    assert model.run(minority, OPEN.replace(offtake_musd=100)).dependence_after_pct == pytest.approx(0, abs=1e-6)


def test_a_sellers_general_contract_holds_todays_deliveries_from_its_projects_of_that_mineral():
    """Seller Co owns part of A (x: 60 t of 100 go to China today) and of C (mineral y); B (x, 100 t to
    China) is someone else's. Seller Co's contract to China for mineral x, volume undisclosed, until
    2028: in 2027 A's 60 t stay (D = 60 / 300 = 20 %), B's and C's tonnes can be won; in 2029 all can."""
    minerals = [dict(mineral_id=m, name=m.upper(), price_usd_per_t=1e6, criticality_weight=1.0, cargo_t_per_t=1.0)
                for m in ("x", "y")]
    data = tiny_data([project("a", output=100, china=60, allied=40), project("b", output=100),
                      project("c", mineral="y", output=100)], minerals=minerals,
                     allied_capacity={"x": 1000, "y": 1000},
                     owners=[owner("a", "KZ", 51, name="Seller Co"), owner("b", "KZ", 100, name="Other"),
                             owner("c", "KZ", 100, name="Seller Co")],
                     contracts=[("", "china", None, 2028, "Seller Co", "x")])
    r27 = model.run(data, OPEN.replace(offtake_musd=1000, target_year=2027))
    assert r27.dependence_after_pct == pytest.approx(20, abs=1e-6)
    assert model.run(data, OPEN.replace(offtake_musd=1000, target_year=2029)).dependence_after_pct == pytest.approx(0)


# ----------------------------------------------------------------------------- building

def _build_case(**kw):
    """A: 100 t today, all to China, held there by its Chinese owner. B: new, 100 t/yr for 10 M USD,
    Kazakh-owned; allied plants take 50 t."""
    return tiny_data([project("a", output=100), project("b", capacity=100, capex=10, **kw)],
                     allied_capacity={"x": 50}, owners=[owner("a", "CN", 100)])


def test_building_lowers_the_ratio_without_lowering_chinese_tonnes():
    """Building B at level u sends min(100u, 50) to allies, so D(u) = (100 + max(0, 100u - 50)) /
    (100 + 100u), least at u = 1/2: D = 2/3, for 5 M USD (B's output needs no offtake money: the
    financing buys it)."""
    r = model.run(_build_case(), OPEN.replace(budget_dfc_musd=10))
    assert r.dependence_after_pct == pytest.approx(200 / 3, abs=1e-4)
    assert r.builds.set_index("project_id").build_pct["b"] == pytest.approx(50, abs=1e-3)
    assert r.financing_used_musd == pytest.approx(5, abs=1e-4)
    assert after(r)[after(r).destination == "china"].tpy.sum() == pytest.approx(100)


def test_eligibility_keeps_us_money_out_of_a_chinese_project():
    """B is 100 % Chinese-owned; the financier's limit is 25 %: nothing is built."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10)], allied_capacity={"x": 50},
                     owners=[owner("a", "CN", 100), owner("b", "CN", 100, lifts=False)])
    r = model.run(data, OPEN.replace(budget_dfc_musd=100))
    assert r.financing.empty
    assert r.dependence_after_pct == pytest.approx(100)


def test_an_expansion_with_no_capital_figure_and_no_funder_is_not_built():
    """B has new capacity but no capex and no funding source: money cannot build it."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=0)], allied_capacity={"x": 50})
    r = model.run(data, OPEN.replace(budget_dfc_musd=100))
    assert r.builds.empty and r.dependence_after_pct == pytest.approx(100)


def test_funded_capacity_joins_the_baseline_when_it_produces():
    """B is funded by its owner, produces 100 t from 2027 and sells via Russia to allied buyers
    (transit weight 50 %): without the plan D is 100 % in 2026 and (100 + 50) / 200 = 75 % in 2027,
    and with no money the plan is exactly that."""
    data = tiny_data([project("a", output=100),
                      project("b", capacity=100, lead=1, funded_by="its owner", china=0, allied=100)])
    r26 = model.run(data, OPEN.replace(target_year=2026))
    r27 = model.run(data, OPEN.replace(target_year=2027))
    assert r26.dependence_baseline_pct == pytest.approx(100) == r26.dependence_after_pct
    assert r27.dependence_baseline_pct == pytest.approx(75) == r27.dependence_after_pct
    assert r27.dependence_before_pct == pytest.approx(100)


def test_target_year_excludes_projects_not_ready():
    """B needs 6 years: in 2030 it cannot produce, in 2032 it can."""
    data = tiny_data([project("a", output=100), project("b", capacity=100, capex=10, lead=6)],
                     allied_capacity={"x": 50}, owners=[owner("a", "CN", 100)])
    s = OPEN.replace(budget_dfc_musd=10)
    assert model.run(data, s.replace(target_year=2030)).dependence_after_pct == pytest.approx(100)
    assert model.run(data, s.replace(target_year=2032)).dependence_after_pct == pytest.approx(200 / 3, abs=1e-4)


def test_letters_of_interest_fund_only_the_projects_they_name():
    """A 10 M USD letter of interest names B; C is the same project under another name. With no
    general envelope only B can be built, and only while the letter goes ahead."""
    data = tiny_data([project("a", output=100), project("b", capacity=50, capex=10),
                      project("c", capacity=50, capex=10)], allied_capacity={"x": 100},
                     owners=[owner("a", "CN", 100)],
                     commitments=[("loi-b", "dfc", "b", 10.0, "loi", "loi", "2025-11-06")])
    r = model.run(data, OPEN)
    assert set(r.builds.project_id) == {"b"}
    assert model.run(data, OPEN.replace(commitments_pct=0)).builds.empty


# ----------------------------------------------------------------------------- what counts

def test_russia_weight_counts_russian_processing():
    """50 t to China, 50 t to Russia, each held by its owner: D = 100 % with Russia counted as much as
    China, 50 % with Russia not counted."""
    data = tiny_data([project("a", output=100, china=50, russia=50)],
                     owners=[owner("a", "CN", 50), owner("a", "RU", 50)])
    assert model.run(data, OPEN).dependence_after_pct == pytest.approx(100)
    assert model.run(data, OPEN.replace(russia_weight_pct=0)).dependence_after_pct == pytest.approx(50)


def test_cargo_crossing_china_counts_at_the_transit_weight():
    """100 t go to allied buyers through Chinese ports: exposed at the transit weight."""
    routes = [(r[0], r[1], r[2], r[3], r[4], 100.0 if r[0] == "allied_via_china" else
               (0.0 if r[1] == "allied" else r[5])) for r in ROUTES]
    data = tiny_data([project("a", output=100, china=0, allied=100)], routes=routes)
    assert model.run(data, OPEN).dependence_after_pct == pytest.approx(50)
    assert model.run(data, OPEN.replace(transit_weight_pct=100)).dependence_after_pct == pytest.approx(100)
    assert model.run(data, OPEN.replace(transit_weight_pct=0)).dependence_after_pct == pytest.approx(0)


def test_middle_corridor_room_is_worth_money_when_russian_transit_closes():
    """100 t go to allied buyers through Russia. Russian transit closes: without the plan the cargo
    takes the cheaper other route, through China (D = 50 %, transit). The plan can pay the Middle
    Corridor's freight (0.1 M USD per t; 10 M USD pays for all 100 t), as far as its room allows:
    D = 50 % x (1 - moved / 100) with moved = min(100, 1000 x capacity in kt)."""
    routes = [(r[0], r[1], r[2], r[3], {"allied_via_china": 50_000.0, "allied_via_middle": 100_000.0}.get(r[0], 0.0),
               r[5]) for r in ROUTES]
    data = tiny_data([project("a", output=100, china=0, allied=100)], routes=routes)
    closed = OPEN.replace(russia_transit_pct=0, offtake_musd=10)
    d = [model.run(data, closed.replace(middle_corridor_ktpy=c)) for c in (0, 0.025, 0.05, 0.2, 1.0)]
    assert d[0].dependence_baseline_pct == pytest.approx(50)
    assert [x.dependence_after_pct for x in d] == pytest.approx([50, 37.5, 25, 0, 0], abs=1e-6)
    binds = model.what_binds(data, d[2]).set_index("constraint")
    assert binds.loc["corridor[middle_corridor]", "change_pts"] < 0


# ----------------------------------------------------------------------------- whole projects (MILP)

def test_whole_project_mode_builds_all_or_nothing():
    """Binary builds: not building leaves D = 1; building B fully sends 50 t to allies and 50 t to
    China: D = 150/200 = 0.75, so the MILP builds it, where the LP built half."""
    r = model.run(_build_case(), OPEN.replace(budget_dfc_musd=10, project_mode="whole"))
    assert r.dependence_after_pct == pytest.approx(75, abs=1e-4)
    assert r.builds.build_pct.tolist() == pytest.approx([100])
    assert after(r)[after(r).destination == "china"].tpy.sum() == pytest.approx(150, abs=1e-3)


def test_dinkelbach_picks_the_better_ratio_not_the_bigger_project():
    """Budget for one of P (100 t, allies take 20 -> D = 180/200 = 0.9) and Q (30 t of mineral y,
    allies take 30 -> D = 100/130 = 0.769). Q wins."""
    minerals = [dict(mineral_id=m, name=m.upper(), price_usd_per_t=1e6, criticality_weight=1.0, cargo_t_per_t=1.0)
                for m in ("x", "y")]
    data = tiny_data([project("a", output=100), project("p", capacity=100, capex=10),
                      project("q", mineral="y", capacity=30, capex=10)], minerals=minerals,
                     allied_capacity={"x": 20, "y": 30}, owners=[owner("a", "CN", 100)])
    r = model.run(data, OPEN.replace(budget_dfc_musd=10, project_mode="whole"))
    assert r.builds.project_id.tolist() == ["q"]
    assert r.dependence_after_pct == pytest.approx(100 * 100 / 130, abs=1e-3)


def test_milp_marginal_values_come_from_the_lp_with_builds_fixed():
    """With B built, one more t of allied capacity moves 1 t from China to allies: -1/200 per t."""
    r = model.run(_build_case(), OPEN.replace(budget_dfc_musd=10, project_mode="whole"))
    row = r.constraints.set_index("constraint").loc["processing[allied,x]"]
    assert row.marginal_pts_per_unit == pytest.approx(-100 / 200, rel=1e-4)


# ----------------------------------------------------------------------------- other objectives

def test_unreachable_target_says_what_is_reachable():
    r = model.run(_build_case(), OPEN.replace(budget_dfc_musd=10, objective="min_financing",
                                              dependence_target_pct=50))
    assert r.status is model.Status.INFEASIBLE
    assert "lowest dependence these budgets and limits allow is 66.7 %" in r.message


def test_least_money_meets_the_target_exactly():
    """D(u) = 100/(100 + 100u) <= 0.8 needs u >= 0.25: 2.5 M USD."""
    r = model.run(_build_case(), OPEN.replace(budget_dfc_musd=10, objective="min_financing",
                                              dependence_target_pct=80))
    assert r.financing_used_musd == pytest.approx(2.5, abs=1e-5)
    assert r.dependence_after_pct == pytest.approx(80, abs=1e-4)


def test_max_secure_supply_fills_allied_capacity():
    """Allies can process 60 t and the money wins all of them: 60 t reach allies, D = 40 %."""
    data = tiny_data([project("a", output=100)], allied_capacity={"x": 60})
    r = model.run(data, OPEN.replace(offtake_musd=100, objective="max_secure"))
    assert after(r).groupby("destination").tpy.sum()["allied"] == pytest.approx(60)
    assert r.dependence_after_pct == pytest.approx(40)


def test_financing_one_mineral_restricts_money_not_the_market():
    """Two new projects of x and y with budget for both: restricted to y, only y is financed, while
    offtake money still wins today's x tonnes."""
    minerals = [dict(mineral_id=m, name=m.upper(), price_usd_per_t=1e6, criticality_weight=1.0, cargo_t_per_t=1.0)
                for m in ("x", "y")]
    data = tiny_data([project("a", output=100), project("bx", capacity=50, capex=10),
                      project("by", mineral="y", capacity=50, capex=10)], minerals=minerals,
                     allied_capacity={"x": 150, "y": 50})
    both = model.run(data, OPEN.replace(budget_dfc_musd=20))
    only_y = model.run(data, OPEN.replace(budget_dfc_musd=20, financed_mineral="y", offtake_musd=1))
    assert set(both.builds.project_id) == {"bx", "by"}
    assert set(only_y.builds.project_id) == {"by"}
    moved = after(only_y)[(after(only_y).project_id == "a") & (after(only_y).destination == "allied")].tpy.sum()
    assert moved == pytest.approx(1 / 0.06)  # 1 M USD at 0.06 M USD per t
    unknown = model.run(data, OPEN.replace(budget_dfc_musd=20, financed_mineral="unobtainium"))
    assert unknown.ok and any("unobtainium" in n for n in unknown.notes)


def test_what_binds_is_empty_when_no_limit_is_worth_relaxing():
    """Nothing to move and nothing to build: every limit is slack, and the answer is an empty table."""
    data = tiny_data([project("a", output=100, china=0, allied=100)], allied_capacity={"x": 100})
    r = model.run(data, OPEN.replace(transit_weight_pct=0))
    assert r.ok and r.dependence_after_pct == pytest.approx(0) and model.what_binds(data, r).empty


def test_unusable_data_gives_an_error_result_not_an_exception():
    r = model.run(tiny_data([project("a", output=0, capacity=10)]), OPEN)
    assert r.status is model.Status.ERROR and "no current output" in r.message


def test_the_plan_reports_a_shift_to_russian_processing():
    """Russia states 30 t of processing open to more feed. With Russia not counted, money moves 30 t
    there (+30 points of all output); with Russia counted, none."""
    data = tiny_data([project("a", output=100)], russia_capacity={"x": 30})
    s = OPEN.replace(offtake_musd=100)
    assert model.run(data, s.replace(russia_weight_pct=0)).russia_share_change_pts == pytest.approx(30)
    assert model.run(data, s).russia_share_change_pts == pytest.approx(0)


def test_copies_of_the_data_share_derived_inputs_but_changed_data_does_not():
    """Streamlit hands out copies of the cached data: they must reuse the derivation, while an edited
    table (e.g. uploaded projects) must never be solved with the old one."""
    import pickle

    data = _build_case()
    copy = pickle.loads(pickle.dumps(data))
    assert model.fingerprint(copy) == model.fingerprint(data)
    edited = data.replace_projects(data.projects.assign(output_tpy=[200.0, 0.0], capacity_tpy=[200.0, 100.0]))
    assert model.fingerprint(edited) != model.fingerprint(data)
    s = OPEN.replace(budget_dfc_musd=10)
    assert model.run(data, s).dependence_after_pct == pytest.approx(200 / 3, abs=1e-4)
    # A's 200 t stay in China; half of B reaches allies: D = 200 / 250
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
