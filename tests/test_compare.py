"""Comparing scenarios (analytics/compare.py, pages/compare.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from streamlit.testing.v1 import AppTest

from analytics import compare, saved
from analytics.scenario import DEFAULTS

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.mark.parametrize("text", ["https://heartland.example/explorer?v=1&exim=1500", "?v=1&exim=1500",
                                  "v=1&exim=1500", "http://localhost:8501/?exim=1500&utm=x"])
def test_link_forms(text):
    scenario, notices = compare.parse_link(text)
    assert scenario == DEFAULTS.replace(budget_exim_musd=1500.0) and notices == ()


def test_saved_id_link(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path / "s.duckdb"))
    sid = saved.save(DEFAULTS.replace(lockin_pct=5.0), "five")
    assert compare.parse_link(f"https://x/explorer?s={sid}")[0].lockin_pct == 5.0
    assert compare.parse_link("?s=nothere")[0] is None


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_no_pasted_text_raises(text):
    scenario, notices = compare.parse_link(text)
    assert scenario is not None or notices


def test_inputs_diff_flags_exactly_the_changed_fields():
    table = compare.inputs_side_by_side({"a": DEFAULTS, "b": DEFAULTS.replace(lockin_pct=10.0, target_year=2033)})
    assert set(table.input[table.differs]) == {"Contract lock-in", "Target year"}


def test_compare_page_shows_two_scenarios_side_by_side():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/compare.py").run()
    at.multiselect(key="cmp_pick").set_value(["Preset: Status quo", "Preset: Advanced framework (Australia / Japan model)"]).run()
    assert not at.exception
    results = at.dataframe[0].value
    assert {"Preset: Status quo", "Preset: Advanced framework (Australia / Japan model)"} <= set(results.columns)
    assert results.set_index("measure").loc["Financing used (M USD)", "Preset: Status quo"] == 0
