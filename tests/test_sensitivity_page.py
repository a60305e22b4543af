"""The Sensitivity page through app.py (AppTest): a bounded sweep around the sidebar's scenario, with progress
and a sentence when the work budget cuts it short, and a sweep file opened from an upload."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.model.scenario import DEFAULTS
from analytics.present.charts import sensitivity as charts
from analytics.sweep import design, files, indices, solve

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _page(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/sensitivity.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _indices(at: AppTest):
    return next(d.value for d in at.dataframe if "label" in d.value.columns)


def _run_sweep(at: AppTest, inputs: list[str], n_base: int) -> AppTest:
    at.multiselect(key="sens_inputs").set_value(inputs)
    at.select_slider(key="sens_n").set_value(n_base)
    at.button(key="sens_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_sweep_around_the_sidebar_shows_what_drives_dependence():
    at = _run_sweep(_page({"v": "2", "offt": "2000"}), ["premium_floor_pct", "allied_capacity_pct"], 4)
    assert _metric(at, "Scenarios solved") == "16" and _metric(at, "With a plan") == "16"
    table = _indices(at)
    assert table.label.tolist() == ["Least premium to win a tonne", "Allied processing room"]
    assert table[["S1", "ST", "S1_conf", "ST_conf"]].notna().all().all()
    assert not [w for w in at.warning if "work budget" in w.value]
    assert len(at.get("vega_lite_chart")) >= 2  # the indices and the distribution
    sweep = at.session_state["sens_result"][1]
    assert sweep.design.base == DEFAULTS.replace(offtake_musd=2000.0)  # around the sidebar's scenario
    assert "offtake_musd" not in sweep.results  # only the chosen inputs vary
    spread = 0.2 * 100  # default ±20 % of the slider's span
    assert sweep.results.premium_floor_pct.between(max(0, 5 - spread), 5 + spread).all()  # around the default 5 %

    at.slider(key="sc_premium_floor_pct").set_value(10.0).run()  # the sidebar moves on: the old results say so
    assert any("run it again" in w.value for w in at.warning)


def test_when_the_work_budget_runs_out_the_page_says_so(monkeypatch):
    monkeypatch.setattr(solve, "PAGE_BUDGET_S", 0.0)
    at = _run_sweep(_page(), ["premium_floor_pct", "offtake_musd", "budget_exim_musd"], 8)
    cut = next(w.value for w in at.warning if "work budget" in w.value)
    assert "ran out after 1 of 8 base samples (5 of 40 scenarios)" in cut
    assert _metric(at, "Scenarios solved") == "5"
    assert any("at least 2 complete base samples" in i.value for i in at.info)  # no indices from one sample


def _sweep_file() -> bytes:
    from analytics import model

    d = design.sample(design.ranges(["prem", "offt=0:4000"]), n=32, seed=2)
    sweep = solve.run_local(model.load_model_data(), d)
    return files.to_bytes(sweep, indices.sobol(d, sweep.results))


def test_a_sweep_file_opens_with_its_indices():
    at = _page()
    at.file_uploader(key="sens_upload").set_value(("sweep.parquet", _sweep_file(), "application/octet-stream"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = _indices(at)
    assert table.label.tolist() == ["Least premium to win a tonne", "Allied offtake money"]
    assert _metric(at, "Scenarios solved") == "32"


@pytest.mark.parametrize("content", [b"not parquet at all", b"PAR1" + b"\0" * 100])
def test_a_file_that_is_not_a_sweep_is_refused_in_words(content):
    at = _page()
    at.file_uploader(key="sens_upload").set_value(("evil.parquet", content, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert "not a Heartland sweep file" in at.error[0].value


def test_charts_hold_every_input_and_interval():
    d = design.sample(design.ranges(["prem", "offt", "mc"]), n=5 * 64, seed=1)
    y = d.table.premium_floor_pct + d.table.offtake_musd / 100
    ix = indices.sobol(d, d.table.assign(dependence_after_pct=y))
    spec = charts.indices_chart(ix.table).to_dict()
    rows = [r for ds in spec["datasets"].values() for r in ds]
    assert {r["label"] for r in rows} == {"Least premium to win a tonne", "Allied offtake money", "Middle Corridor capacity"}
    assert all(r["lo"] <= r["value"] <= r["hi"] for r in rows) and {r["kind"] for r in rows} == {"First-order", "Total"}
    hist = solve.histogram(d.table.assign(dependence_after_pct=y), bins=10)
    assert hist.scenarios.sum() == len(d.table) and len(hist) == 10
    charts.outcomes_chart(hist, 46.0, 20.0).to_dict()
