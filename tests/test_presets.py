"""Policy presets (analytics/model/presets.py), and the Trade-offs and Risk pages through app.py."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from analytics import model
from analytics.analyses import tradeoffs
from analytics.model import presets
from analytics.model.scenario import DEFAULTS, Scenario, decode, encode

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EXPECTED_IDS = {"status_quo", "china_only", "basic_mou", "advanced_framework", "tungsten_pilot",
                "middle_corridor_expansion", "russian_transit_closed"}


# ----------------------------------------------------------------------------- presets

def test_the_debate_presets_are_there():
    assert set(presets.PRESETS) == EXPECTED_IDS
    for pid, p in presets.PRESETS.items():
        assert p.preset_id == p.id == pid
        assert p.name and 20 < len(p.description) < 500


@pytest.mark.parametrize("preset_id", sorted(EXPECTED_IDS))
def test_preset_is_a_valid_linkable_scenario_that_solves(shipped_data, preset_id):
    p = presets.PRESETS[preset_id]
    assert isinstance(p.scenario, Scenario) and p.scenario != DEFAULTS
    assert Scenario(**vars(p.scenario)) == p.scenario  # passes validation
    assert decode(encode(p.scenario)).scenario == p.scenario
    assert not decode(encode(p.scenario)).notices
    assert presets.matching_preset(p.scenario) is p
    assert model.run(shipped_data, p.scenario).ok


def test_presets_differ_and_the_defaults_are_no_preset():
    assert len({p.scenario for p in presets.PRESETS.values()}) == len(presets.PRESETS)
    assert presets.matching_preset(DEFAULTS) is None
    assert presets.matching_preset(presets.PRESETS["basic_mou"].scenario.replace(target_year=2031)) is None


def test_preset_table_lists_changes_and_links():
    t = presets.preset_table()
    assert list(t.preset_id) == list(presets.PRESETS)
    row = t.set_index("preset_id").loc["russian_transit_closed"]
    assert row.changes_from_defaults == "Russian transit available 0 % of stated"
    for pid, query in zip(t.preset_id, t.link_query):
        assert decode(dict(parse_qsl(query))).scenario == presets.PRESETS[pid].scenario


def test_status_quo_preset_spends_nothing(shipped_data):
    r = model.run(shipped_data, presets.PRESETS["status_quo"].scenario)
    assert r.financing_used_musd == 0 and r.financing.empty and r.spending_musd == 0
    assert r.builds.funded.all()  # only capacity its owners already fund


def test_an_advanced_framework_beats_an_mou_which_beats_the_status_quo(shipped_data):
    d = {pid: model.run(shipped_data, presets.PRESETS[pid].scenario).dependence_after_pct
         for pid in ("status_quo", "basic_mou", "advanced_framework")}
    assert d["advanced_framework"] <= d["basic_mou"] + 1e-9 <= d["status_quo"] + 2e-9
    assert d["advanced_framework"] < d["status_quo"] - 1


def test_tungsten_pilot_finances_tungsten_only_with_us_money(shipped_data):
    r = model.run(shipped_data, presets.PRESETS["tungsten_pilot"].scenario)
    assert set(r.financing.financier_id) <= {"exim", "dfc"}
    minerals = shipped_data.projects.set_index("project_id").mineral_id
    assert set(r.financing.project_id.map(minerals)) <= {"tungsten"}


def test_russian_transit_closed_sends_nothing_through_russia(shipped_data):
    r = model.run(shipped_data, presets.PRESETS["russian_transit_closed"].scenario)
    after = r.flows[r.flows.case == "after"]
    transit = after[(after.corridor_id == "russia_rail") & (after.destination != "russia")]
    assert transit.tpy.sum() == pytest.approx(0, abs=1e-6)  # Russia's own imports are trade, not transit


# ----------------------------------------------------------------------------- pages

def _page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_tradeoffs_page_shows_every_analysis(shipped_data):
    at = _page("pages/tradeoffs.py")
    assert [s.value for s in at.subheader] == ["Least money to reach each level of dependence", "Budget sweep",
                                               "Dependence by year", "What moves dependence most (tornado)"]
    assert not at.error and not at.warning
    lowest = tradeoffs.frontier(shipped_data, DEFAULTS).target_pct.iloc[0]
    assert any(f"**{lowest:.1f}\xa0%**" in m.value for m in at.markdown)  # a no-break space keeps '%' with its number


def test_a_preset_link_opens_the_tradeoffs_of_that_preset():
    p = presets.PRESETS["advanced_framework"]
    at = _page("pages/tradeoffs.py", encode(p.scenario))
    assert at.slider(key="sc_allied_capacity_pct").value == 200.0
    assert p.name in " ".join(c.value for c in at.sidebar.caption)
    assert not at.exception


def test_risk_sliders_change_the_metrics_and_the_seed_holds_them():
    at = _page("pages/risk.py")
    label = "Scenario plan: expected secure supply"
    before = _metric(at, label)
    assert before.endswith("M USD/yr")
    at.run()
    assert _metric(at, label) == before  # seeded: a rerun gives the same draws
    at.slider(key="risk_russia_closure_prob").set_value(100.0).run()
    assert not at.exception
    assert _metric(at, label) != before
    quo = "Without the plan: expected secure supply"
    quo_before = _metric(at, quo)
    at.slider(key="risk_caspian_disruption_prob").set_value(100.0).run()
    assert _metric(at, quo) != quo_before  # today's Middle Corridor cargo is exposed
    chance = "Scenario plan: chance of losing more than 25\xa0%"
    assert chance in [m.label for m in at.metric]
    at.slider(key="risk_loss_threshold").set_value(5.0).run()
    assert "Scenario plan: chance of losing more than 5\xa0%" in [m.label for m in at.metric]
