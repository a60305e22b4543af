"""The model on the shipped data: what a policy reader relies on, as properties.

- no money, no change: the status quo is today (plus capacity its owners already fund);
- more money never raises the optimal dependence; more Middle Corridor room never does either;
- each shadow-price sentence agrees with an independent re-solve of the changed scenario or data;
- partners never finance a project whose Chinese or Russian stake is above their rule;
- the waterfall's parts sum to the change it explains;
- a warm re-solve gives the same optimum as a cold one, and an independent formulation (the
  Charnes-Cooper LP on scipy's HiGHS interface) reaches the same optimum.
"""
from __future__ import annotations

import importlib
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import model
from analytics.model.presets import PRESETS
from analytics.model.scenario import DEFAULTS, FIELD_BY_NAME, FINANCIER_FIELDS, Scenario

run_mod = importlib.import_module("analytics.model.run")
solve_mod = importlib.import_module("analytics.model.solve")
engine_mod = importlib.import_module("analytics.model.engine")

MONEY_FIELDS = (*FINANCIER_FIELDS.values(), "commitments_pct", "offtake_musd")


def test_status_quo_preset_is_today_plus_owner_funded_capacity(shipped_data):
    s = PRESETS["status_quo"].scenario
    r = model.run(shipped_data, s)
    assert r.ok and r.financing_used_musd == 0 and r.spending_musd == pytest.approx(0, abs=1e-9)
    assert r.dependence_after_pct == pytest.approx(r.dependence_baseline_pct, abs=1e-9)
    # in 2026 only capacity producing that year separates the baseline from today; with every
    # funded expansion's lead time counted the change is exactly the waterfall's first step
    w = model.waterfall(shipped_data, s).set_index("step")
    assert w.loc[f"Without the plan, {s.target_year}", "end_pct"] == pytest.approx(r.dependence_baseline_pct)
    assert w.loc["Today", "end_pct"] == pytest.approx(r.dependence_before_pct)


@pytest.mark.parametrize("year", [2026, 2030, 2035])
def test_zero_money_moves_nothing(shipped_data, year):
    s = DEFAULTS.replace(**{f: 0.0 for f in MONEY_FIELDS}, target_year=year)
    r = model.run(shipped_data, s)
    assert r.dependence_after_pct == pytest.approx(r.dependence_baseline_pct, abs=1e-9)
    base = r.flows[r.flows.case == "baseline"].set_index(["project_id", "route_id"]).tpy
    plan = r.flows[r.flows.case == "after"].set_index(["project_id", "route_id"]).tpy
    assert plan.reindex(base.index, fill_value=0).to_numpy() == pytest.approx(base.to_numpy(), abs=1e-6)


@settings(max_examples=12, deadline=None)
@given(field=st.sampled_from(MONEY_FIELDS), start=st.floats(0, 1), extra=st.floats(0.05, 1),
       year=st.integers(2026, 2035), weight=st.sampled_from([0.0, 50.0, 100.0]))
def test_more_money_never_raises_dependence(shipped_data, field, start, extra, year, weight):
    f = FIELD_BY_NAME[field]
    lo = f.lo + start * (f.hi - f.lo) * 0.5
    base = DEFAULTS.replace(target_year=year, russia_weight_pct=weight, **{field: lo})
    richer = base.replace(**{field: min(f.hi, lo + extra * (f.hi - f.lo) * 0.5)})
    r0, r1 = model.run(shipped_data, base), model.run(shipped_data, richer)
    assert r0.ok and r1.ok
    assert r1.dependence_after_pct <= r0.dependence_after_pct + 1e-6


def test_more_middle_corridor_room_never_raises_dependence_with_russian_transit_closed(shipped_data):
    s = PRESETS["russian_transit_closed"].scenario.replace(offtake_musd=500)
    d = [model.run(shipped_data, s.replace(middle_corridor_ktpy=c)).dependence_after_pct for c in (0, 200, 1000, 3000)]
    assert all(b <= a + 1e-6 for a, b in zip(d, d[1:]))
    assert d[-1] < d[0] - 1  # the corridor matters: several points between closed and wide open


def _respecting(shipped_data, r: model.Result) -> None:
    owners = shipped_data.project_owners.assign(stake=pd.to_numeric(shipped_data.project_owners.stake_pct,
                                                                     errors="coerce").fillna(0))
    cn = owners[owners.owner_country.isin(["CN", "HK"])].groupby("project_id").stake.sum()
    ru = owners[owners.owner_country == "RU"].groupby("project_id").stake.sum()
    rules = shipped_data.financiers.set_index("financier_id")
    for row in r.financing.itertuples():
        k = rules.loc[row.financier_id]
        assert cn.get(row.project_id, 0) <= float(np.nan_to_num(k.max_cn_stake_pct, nan=100)) + 1e-9, row
        assert ru.get(row.project_id, 0) <= float(np.nan_to_num(k.max_ru_stake_pct, nan=100)) + 1e-9, row


def test_partners_never_finance_projects_over_their_ownership_rules(shipped_data):
    rich = DEFAULTS.replace(**{f: 5000.0 for f in FINANCIER_FIELDS.values()}, offtake_musd=2000)
    for s in (DEFAULTS, rich, rich.replace(russia_weight_pct=0)):
        r = model.run(shipped_data, s)
        assert r.ok
        _respecting(shipped_data, r)


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_waterfall_parts_sum_to_the_change(shipped_data, preset):
    s = DEFAULTS if preset is None else PRESETS[preset].scenario
    w = model.waterfall(shipped_data, s)
    r = model.run(shipped_data, s.replace(objective="min_dependence"))
    parts = w[w.kind == "change"].change_pts.sum()
    assert w.end_pct.iloc[-1] == pytest.approx(r.dependence_after_pct, abs=1e-6)
    assert w.end_pct.iloc[0] + parts == pytest.approx(r.dependence_after_pct, abs=1e-6)


# ----------------------------------------------------------------------------- shadow prices

def _independent(data: model.ModelData, s: Scenario, row: pd.Series) -> tuple[model.ModelData, Scenario]:
    """The scenario or data with the row's limit moved by row.step, built without the engine."""
    group, _, rest = row.constraint.partition("[")
    args = rest.rstrip("]").split(",")
    step = float(row.step)
    if group == "budget":
        cid = args[0]
        if cid.endswith("-envelope"):
            field = FINANCIER_FIELDS[cid.removesuffix("-envelope")]
            return data, s.replace(**{field: getattr(s, field) + step})
        if s.commitments_pct == 0:  # no single data change moves only this letter
            return None, None
        c = data.commitments.copy()
        i = c.index[c.commitment_id == cid]
        c.loc[i, "amount_musd"] = pd.to_numeric(c.loc[i, "amount_musd"]) + step * 100 / s.commitments_pct
        return data.replace(commitments=c), s
    if group == "offtake":
        return data, s.replace(offtake_musd=s.offtake_musd + step)
    if group == "corridor" and args[0] == "middle_corridor":
        return data, s.replace(middle_corridor_ktpy=s.middle_corridor_ktpy + step)
    if group == "processing":
        dest, mineral = args
        p = data.processing_capacity.copy()
        hit = (p.destination == dest) & (p.mineral_id == mineral)
        scale = 100 / s.allied_capacity_pct if dest == "allied" else 1.0
        new = float(row.limit) + step * scale if dest != "allied" else None
        if hit.any():
            cur = float(pd.to_numeric(p.loc[hit, "capacity_tpy"]).iloc[0])
            p.loc[hit, "capacity_tpy"] = cur + step * scale if dest == "allied" else new
        else:
            p = pd.concat([p, pd.DataFrame([dict(destination=dest, mineral_id=mineral,
                                                 capacity_tpy=row.limit + step * scale)])], ignore_index=True)
        return data.replace(processing_capacity=p), s
    return None, None


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_shadow_sentences_match_a_re_solve(shipped_data, preset):
    s = DEFAULTS if preset is None else PRESETS[preset].scenario
    r = model.run(shipped_data, s)
    binds = model.what_binds(shipped_data, r)
    checked = 0
    for row in binds.itertuples():
        data2, s2 = _independent(shipped_data, s, pd.Series(row._asdict()))
        if data2 is None:
            continue
        d2 = model.run(data2, s2).dependence_after_pct
        assert d2 - r.dependence_after_pct == pytest.approx(row.change_pts, rel=0.10, abs=1e-6), row.sentence
        assert f"{abs(row.change_pts):.2f} points" in row.sentence
        checked += 1
    if s.objective == "min_dependence" and not binds.empty:
        assert checked >= 1


def test_a_lock_sentence_never_releases_more_than_the_lock_holds(shipped_data):
    r = model.run(shipped_data, DEFAULTS.replace(offtake_musd=3000))
    binds = model.what_binds(shipped_data, r, max_rows=50)
    locks = binds[binds.group == "keep"]
    assert (locks.step <= locks.limit + 1e-9).all()


# ----------------------------------------------------------------------------- solver checks

def _cold_solve(data, s):
    """A fresh engine (no basis) for the same formulation."""
    key, form, _ = run_mod.formulation(data)
    num = run_mod.numbers_for(form, data, s)
    return run_mod.solve_numbers(form, run_mod.new_engine(form), num, s)


def test_a_long_lived_engine_keeps_solving_past_its_time_limit_in_total(shipped_data):
    """The time limit is per solve: a server's engine that has spent more than the limit in total
    (thousands of slider moves) still solves each new scenario."""
    _, form, _ = run_mod.formulation(shipped_data)
    engine = run_mod.new_engine(form)
    engine.time_limit_s = 0.5
    scenarios = [DEFAULTS.replace(offtake_musd=float(25 * (i % 120)), russia_weight_pct=float(5 * (i % 21)))
                 for i in range(4000)]
    statuses = []
    for s in scenarios:
        raw = run_mod.solve_numbers(form, engine, run_mod.numbers_for(form, shipped_data, s), s)
        statuses.append(raw.status)
        if engine.highs.getRunTime() > 3 * engine.time_limit_s:
            break
    assert engine.highs.getRunTime() > 3 * engine.time_limit_s, "the scenarios did not use the limit up"
    assert set(statuses) == {solve_mod.Status.OPTIMAL}


@settings(max_examples=10, deadline=None)
@given(offtake=st.floats(0, 3000), dfc=st.floats(0, 3000), mc=st.floats(0, 3000), year=st.integers(2026, 2035),
       rutr=st.sampled_from([0.0, 50.0, 100.0]), weight=st.sampled_from([0.0, 100.0]))
def test_warm_re_solve_equals_cold_solve(shipped_data, offtake, dfc, mc, year, rutr, weight):
    s = DEFAULTS.replace(offtake_musd=offtake, budget_dfc_musd=dfc, middle_corridor_ktpy=mc, target_year=year,
                         russia_transit_pct=rutr, russia_weight_pct=weight)
    warm = model.run(shipped_data, s).dependence_after_pct
    cold = _cold_solve(shipped_data, s)
    assert cold.status is solve_mod.Status.OPTIMAL
    assert warm == pytest.approx(100 * cold.dependence, rel=1e-6, abs=1e-7)


@settings(max_examples=int(os.environ.get("HEARTLAND_TIE_EXAMPLES", 20)), deadline=None)
@given(first=st.fixed_dictionaries({"offtake_musd": st.floats(0, 3000), "budget_dfc_musd": st.floats(0, 3000),
                                    "russia_transit_pct": st.sampled_from([0.0, 100.0])}),
       then=st.fixed_dictionaries({"offtake_musd": st.floats(0, 3000), "budget_exim_musd": st.floats(0, 3000),
                                   "objective": st.sampled_from(["min_dependence", "max_secure", "min_financing"]),
                                   "dependence_target_pct": st.floats(55, 80)}))
def test_a_link_gives_the_same_plan_whatever_the_engine_solved_before(shipped_data, first, then):
    """Two servers, one fresh and one that has just solved another scenario, show the same plan:
    same dependence, same tonnes on every route, same money to every project (ties broken alike)."""
    s1, s2 = DEFAULTS.replace(**first), DEFAULTS.replace(**then)
    _, form, _ = run_mod.formulation(shipped_data)
    used = run_mod.new_engine(form)
    run_mod.solve_numbers(form, used, run_mod.numbers_for(form, shipped_data, s1), s1)
    after = run_mod.solve_numbers(form, used, run_mod.numbers_for(form, shipped_data, s2), s2)
    fresh = run_mod.solve_numbers(form, run_mod.new_engine(form), run_mod.numbers_for(form, shipped_data, s2), s2)
    assert after.status is fresh.status
    if fresh.status is solve_mod.Status.OPTIMAL:
        np.testing.assert_allclose(after.x, fresh.x, rtol=1e-6, atol=1e-4)
    else:  # a target out of reach says so, with the same lowest dependence
        assert after.message == fresh.message


def test_ties_go_to_the_plan_spending_least_money(shipped_data):
    """Among plans with the optimal dependence, the one reported spends no more than the first
    optimal plan Dinkelbach finds, and has the same dependence."""
    s = DEFAULTS.replace(offtake_musd=1500.0, budget_dfc_musd=2000.0)
    _, form, _ = run_mod.formulation(shipped_data)
    engine = run_mod.new_engine(form)
    numbers = run_mod.numbers_for(form, shipped_data, s)
    solve_mod.load(engine, numbers)
    first = solve_mod.min_dependence(engine, numbers, solve_mod.baseline_x(form, numbers))
    reported = run_mod.solve_numbers(form, engine, numbers, s)
    money = numbers.financing + numbers.spending
    assert reported.dependence == pytest.approx(first.dependence, rel=1e-9, abs=1e-12)
    assert money @ reported.x <= money @ first.x + 1e-6


@pytest.mark.parametrize("scenario", [DEFAULTS, DEFAULTS.replace(offtake_musd=1500, budget_dfc_musd=2000),
                                      PRESETS["russian_transit_closed"].scenario,
                                      PRESETS["china_only"].scenario])
def test_charnes_cooper_on_scipy_reaches_the_same_optimum(shipped_data, scenario):
    """min N y s.t. Dn y = 1, A y within bounds x t, t >= 0: the ratio's exact minimum in one LP."""
    from scipy import sparse
    from scipy.optimize import linprog

    key, form, _ = run_mod.formulation(shipped_data)
    num = run_mod.numbers_for(form, shipped_data, scenario)
    A = form.A.tolil()
    A[form.money, form.money_cols] = num.money_coeffs
    A = sparse.csr_array(A)
    n = form.n
    rows, rhs = [], []
    for i in range(form.m):  # lo <= a x <= hi  ->  a y - hi t <= 0 and -a y + lo t <= 0
        a = A[[i]]
        if np.isfinite(num.row_hi[i]):
            rows.append(sparse.hstack([a, sparse.csr_array([[-num.row_hi[i]]])]))
            rhs.append(0.0)
        if np.isfinite(num.row_lo[i]):
            rows.append(sparse.hstack([-a, sparse.csr_array([[num.row_lo[i]]])]))
            rhs.append(0.0)
    for j in range(n):  # lb t <= y <= ub t
        e = sparse.csr_array(([1.0], ([0], [j])), shape=(1, n + 1))
        if np.isfinite(num.col_ub[j]):
            rows.append(e - sparse.csr_array(([num.col_ub[j]], ([0], [n])), shape=(1, n + 1)))
            rhs.append(0.0)
        if num.col_lb[j] > 0:
            rows.append(-e + sparse.csr_array(([num.col_lb[j]], ([0], [n])), shape=(1, n + 1)))
            rhs.append(0.0)
    A_ub = sparse.vstack(rows)
    A_eq = sparse.csr_array(np.append(num.denominator, 0.0)[None, :])
    res = linprog(np.append(num.numerator, 0.0), A_ub=A_ub, b_ub=np.array(rhs), A_eq=A_eq, b_eq=[1.0],
                  bounds=(0, None), method="highs")
    assert res.status == 0
    assert 100 * res.fun == pytest.approx(model.run(shipped_data, scenario).dependence_after_pct, abs=1e-5)


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_where_output_goes_adds_up_the_flows_table(shipped_data, preset):
    """The 'where each mineral is processed' chart reads offtake_by_destination; it must be the flows
    table (what the CSV download holds) summed by case, mineral and destination."""
    r = model.run(shipped_data, DEFAULTS if preset is None else PRESETS[preset].scenario)
    f = r.flows[r.flows.case.isin(["before", "after"])]
    expected = f.groupby(["case", "mineral_id", "destination"], as_index=False).tpy.sum()
    expected["share_pct"] = 100 * expected.tpy / expected.groupby(["case", "mineral_id"]).tpy.transform("sum")
    got = r.offtake_by_destination
    keys = ["case", "mineral_id", "destination"]
    assert got[keys].astype(str).values.tolist() == expected[keys].astype(str).values.tolist()
    assert np.allclose(got.tpy, expected.tpy, rtol=1e-12, atol=1e-6)
    assert np.allclose(got.share_pct, expected.share_pct, rtol=1e-9)
