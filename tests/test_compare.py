"""Comparing scenarios (analytics/analyses/compare.py, analytics/present/charts/compare.py, pages/compare.py)."""
from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from analytics import model
from analytics.analyses import compare
from analytics.data import saved
from analytics.model.presets import PRESETS
from analytics.model.scenario import DEFAULTS, FIELDS
from analytics.present.charts import compare as compare_charts
from analytics.present.text import md_escape

ROOT = Path(__file__).resolve().parent.parent
EXIM = DEFAULTS.replace(budget_exim_musd=1500.0)


@pytest.fixture(autouse=True)
def saved_db(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path / "saved.duckdb"))


# ----------------------------------------------------------------------------- parse_link

@pytest.mark.parametrize("text", [
    "https://heartland.example/explorer?v=2&exim=1500", "http://localhost:8501/compare?exim=1500&utm_source=mail",
    "?v=2&exim=1500", "v=2&exim=1500", "  v=2&exim=1500  ", "heartland.example/explorer?v=2&exim=1500",
])
def test_link_forms_give_the_scenario(text):
    label, scenario, notices = compare.parse_link(text)
    assert scenario == EXIM and notices == ()
    assert label == "Link: US EXIM general envelope 1,500"


def test_a_page_address_without_a_query_is_the_defaults():
    assert compare.parse_link("https://heartland.example/explorer") == ("Link: defaults", DEFAULTS, ())


@pytest.mark.parametrize("form", ["https://x.example/explorer?s={}", "?s={}", "s={}", "{}"])
def test_saved_ids_in_every_form(form):
    sid = saved.save(DEFAULTS.replace(transit_weight_pct=5.0), "<b>five</b>")
    label, scenario, notices = compare.parse_link(form.format(sid))
    assert scenario.transit_weight_pct == 5.0 and label == "Saved: <b>five</b>" and notices == ()


def test_unknown_saved_id_and_unavailable_store_give_notices():
    label, scenario, notices = compare.parse_link("?s=nothere1")
    assert scenario is None and "No saved scenario has the id 'nothere1'" in notices[0]

    def broken(sid):
        raise saved.StoreUnavailable("Saved scenarios are unavailable right now.")

    assert compare.parse_link("?s=abcdefgh", load=broken) == ("", None, ("Saved scenarios are unavailable right now.",))


def test_bad_values_in_a_link_fall_back_with_notices():
    label, scenario, notices = compare.parse_link("?v=2&exim=lots&trw=30")
    assert scenario == DEFAULTS.replace(transit_weight_pct=30.0)
    assert any("US EXIM general envelope" in n for n in notices)


@pytest.mark.parametrize("text,says", [
    ("", "empty"), ("   ", "empty"), (None, "empty"), (12, "empty"),
    ("hello world", "not a Heartland link"), ("<script>alert(1)</script>", "not a Heartland link"),
    ("javascript:alert(document.cookie)", "not a Heartland link"),
    ("https://example.com/?q=kazakhstan", "holds no Heartland scenario values"),
    ("x=1&y=2", "holds no Heartland scenario values"),
    ("?" + "v=2&" * 300, "far more values"), ("a" * 5000, "longer than 4,000"),
    ("\x00\x01\x02=\x03", "holds no Heartland scenario values"),
    ("s=../../../etc/passwd", "No saved scenario"), ("?s=' OR 1=1 --", "No saved scenario"),
    ("%%%%=%%%", "holds no Heartland scenario values"),
], ids=lambda v: repr(v)[:30] if isinstance(v, str) else repr(v))
def test_hostile_or_foreign_text_gives_a_notice_not_an_error(text, says):
    label, scenario, notices = compare.parse_link(text)
    assert scenario is None and label == "" and any(says in n for n in notices), notices


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300),
                 st.lists(st.tuples(st.sampled_from([f.key for f in FIELDS] + ["v", "s", "zz"]),
                                    st.text(max_size=20)), max_size=8).map(
                     lambda kv: "?" + "&".join(f"{k}={v}" for k, v in kv))))
def test_no_pasted_text_raises(text):
    label, scenario, notices = compare.parse_link(text)
    assert (scenario is not None and label.startswith(("Link: ", "Saved: "))) or notices


# ----------------------------------------------------------------------------- choosing

def test_gather_caps_at_four_with_unique_labels_and_notices():
    sid = saved.save(EXIM, "exim")
    picked = ["current", "defaults", f"saved:{sid}", "saved:gone1234"]
    scenarios, notices = compare.gather(picked, "v=2&exim=1500\n\nnot a link\n?trw=10", current=EXIM)
    assert list(scenarios) == ["Current scenario", "Defaults", "Saved: exim", "Link: US EXIM general envelope 1,500"]
    assert list(scenarios.values()) == [EXIM, DEFAULTS, EXIM, EXIM]
    assert any(n.startswith("Saved scenario gone1234: No saved scenario") for n in notices)
    assert any(n.startswith("Pasted line 2:") and "not a Heartland link" in n for n in notices)
    assert "5 scenarios chosen; comparing the first 4." in notices


def test_same_labels_are_told_apart():
    scenarios, _ = compare.gather([], "exim=1500\nexim=1500", current=DEFAULTS)
    assert list(scenarios) == ["Link: US EXIM general envelope 1,500", "Link: US EXIM general envelope 1,500 (2)"]


def test_choices_list_presets_and_this_sessions_saves():
    sid = saved.save(DEFAULTS, "mine")
    options = compare.choices(PRESETS, pd.DataFrame([{"id": sid, "name": "mine"}]))
    assert options["current"] and options["defaults"] == "Defaults"
    assert options["preset:status_quo"] == "Preset: Status quo" and options[f"saved:{sid}"] == f"Saved: mine ({sid})"
    assert compare.default_pick(options) == ["current", "preset:status_quo"]
    assert compare.default_pick(compare.choices()) == ["current", "defaults"]


# ----------------------------------------------------------------------------- side by side

def test_inputs_diff_flags_exactly_the_changed_fields():
    table = compare.inputs_side_by_side({"a": DEFAULTS, "b": DEFAULTS.replace(transit_weight_pct=10.0, target_year=2033),
                                         "c": DEFAULTS})
    assert set(table.field[table.differs]) == {"transit_weight_pct", "target_year"}
    assert list(table.columns) == ["field", "input", "unit", "url_key", "a", "b", "c", "differs"]
    row = table.set_index("field").loc["transit_weight_pct"]
    assert (row.input, row.unit, row.url_key, row.a, row.b) == ("Weight on transit", "% of processing", "trw",
                                                                  50.0, 10.0)
    text = compare.inputs_side_by_side({"a": DEFAULTS, "b": DEFAULTS.replace(project_mode="whole")}, as_text=True)
    assert text.set_index("field").loc["project_mode", "b"] == "Whole projects only (MILP)"
    assert text.set_index("field").loc["budget_samruk_musd", "a"] == "1,000"


MORE = DEFAULTS.replace(budget_dfc_musd=2000.0, offtake_musd=300.0)


@pytest.fixture(scope="module")
def comparison(shipped_data):
    scenarios = {"Status quo": PRESETS["status_quo"].scenario, "More money": MORE}
    return compare.compare(scenarios, lambda s: model.run(shipped_data, s))


def test_results_side_by_side_are_the_model_results(comparison, shipped_data):
    direct = model.run(shipped_data, MORE)
    head = comparison.headline.set_index("key")
    assert head.loc["dependence_after_pct", "More money"] == pytest.approx(direct.dependence_after_pct)
    assert head.loc["financing_used_musd", "More money"] == pytest.approx(direct.financing_used_musd)
    assert head.loc["financing_used_musd", "Status quo"] == 0
    assert head.loc["projects_built", "More money"] == len(direct.builds)
    assert head.loc["change_pts", "More money"] == pytest.approx(direct.dependence_after_pct
                                                                 - direct.dependence_before_pct)
    wide = comparison.by_mineral_wide.set_index("mineral_id")
    mine = direct.by_mineral.set_index("mineral_id")
    assert list(wide["More money"]) == pytest.approx(list(mine.dependence_after_pct.reindex(wide.index)), nan_ok=True)
    assert "Today (%)" in wide.columns  # both scenarios see today alike
    assert comparison.financing["More money"].sum() == pytest.approx(direct.financing_used_musd)
    assert comparison.financing["Status quo"].sum() == 0
    built = comparison.builds.set_index("project_id")
    planned = direct.builds.set_index("project_id").build_pct
    assert set(planned.index) <= set(built.index)
    assert list(built["More money"].reindex(planned.index)) == pytest.approx(list(planned))
    assert (built.differs == ((built["More money"] - built["Status quo"]).abs() > 0.5)).all()


def test_an_infeasible_scenario_is_shown_without_numbers_it_does_not_have(shipped_data):
    unreachable = DEFAULTS.replace(objective="min_financing", dependence_target_pct=0.0)
    c = compare.compare({"ok": DEFAULTS, "impossible": unreachable}, lambda s: model.run(shipped_data, s))
    head = c.headline.set_index("key")
    assert math.isnan(head.loc["dependence_after_pct", "impossible"])
    assert head.loc["dependence_before_pct", "impossible"] == pytest.approx(head.loc["dependence_before_pct", "ok"])
    assert set(c.by_mineral[c.by_mineral.case == "plan"].scenario) == {"ok"}


def test_two_to_four_scenarios_only():
    with pytest.raises(ValueError, match="2 to 4"):
        compare.compare({"one": DEFAULTS}, lambda s: None)


def test_downloads_hold_every_scenario(comparison):
    wb = openpyxl.load_workbook(io.BytesIO(compare.to_excel(comparison)))
    assert {"results", "inputs", "dependence_by_mineral", "projects_built_pct", "financing_musd",
            "scenario_links"} <= set(wb.sheetnames)
    header = [c.value for c in wb["results"][1]]
    assert {"Status quo", "More money"} <= set(header)
    links = {r[0]: r[1] for r in wb["scenario_links"].iter_rows(min_row=2, values_only=True)}
    assert links["More money"] == "v=2&dfc=2000&offt=300"
    tidy = pd.read_csv(io.BytesIO(compare.to_csv(comparison)))
    assert list(tidy.columns) == ["section", "item", "unit", "scenario", "value"]
    assert set(tidy.scenario) == {"Status quo", "More money"}
    assert {"inputs", "results", "dependence_today", "dependence_plan", "build", "financing"} <= set(tidy.section)
    row = tidy[(tidy.section == "results") & (tidy.item == "Financing used") & (tidy.scenario == "More money")]
    assert float(row.value.iloc[0]) == pytest.approx(comparison.results["More money"].financing_used_musd)


def test_charts_draw_each_scenario(comparison):
    spec = compare_charts.dependence_by_mineral_chart(comparison.by_mineral).to_dict()
    assert {"Status quo", "More money"} <= {row["scenario"] for ds in spec["datasets"].values() for row in ds}
    compare_charts.headline_chart(comparison.summary).to_dict()


def test_markdown_in_user_text_is_shown_as_characters():
    escaped = md_escape("![x](http://t.example/p.png) **b** :red[c] $x$ <b>")
    assert "![" not in escaped and "](" not in escaped and "**" not in escaped and ":red[" not in escaped
    assert escaped.replace("\\", "") == "![x](http://t.example/p.png) **b** :red[c] $x$ <b>"


# ----------------------------------------------------------------------------- the page

APP = str(ROOT / "app.py")


@pytest.fixture
def compare_page():
    """The Compare page through app.py, as a user reaches it."""
    def open_page(params: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for k, v in (params or {}).items():
            at.query_params[k] = v
        at.run()
        at.switch_page("pages/compare.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    return open_page


def _results(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value.set_index("measure")


def test_compare_page_shows_the_sidebar_against_the_status_quo(compare_page):
    at = compare_page({"v": "2", "dfc": "2000"})
    results = _results(at)
    assert list(results.columns) == ["unit", "Current scenario", "Preset: Status quo"]
    assert results.loc["Financing used", "Preset: Status quo"] == 0
    assert results.loc["Financing used", "Current scenario"] > 0
    inputs = next(d.value for d in at.dataframe if "input" in d.value.columns)
    assert inputs.differs.all() and "DFC general envelope" in set(inputs.input)


def test_compare_page_picks_two_presets_and_a_pasted_link(compare_page):
    at = compare_page()
    at.multiselect(key="cmp_pick").set_value(["preset:status_quo", "preset:advanced_framework"]).run()
    assert not at.exception
    assert list(_results(at).columns) == ["unit", "Preset: Status quo",
                                          "Preset: Advanced framework (Australia / Japan model)"]
    at.text_area(key="cmp_links").input("https://elsewhere.example/explorer?v=2&trw=20\n<img src=x>").run()
    assert not at.exception
    assert "Link: Weight on transit 20" in _results(at).columns
    assert any("Pasted line 2" in w.value and "holds no Heartland scenario values" in w.value for w in at.warning)


def test_compare_page_lists_only_this_sessions_saves(compare_page):
    """Saves are private: a save made elsewhere is not offered; pasting its link opens it."""
    elsewhere = saved.save(DEFAULTS.replace(transit_weight_pct=15.0), "SECRET **L15** [x](http://evil.example)")
    at = compare_page()
    assert not [o for o in at.multiselect(key="cmp_pick").options if "SECRET" in o or o.startswith("Saved")]
    at.session_state["my_saves"] = [{"id": elsewhere, "name": "SECRET **L15** [x](http://evil.example)"}]
    at.run()  # as if this session had saved it
    label = f"Saved: SECRET **L15** [x](http://evil.example) ({elsewhere})"
    assert label in at.multiselect(key="cmp_pick").options
    at.multiselect(key="cmp_pick").set_value([f"saved:{elsewhere}"]).run()
    assert "at least two" in at.info[-1].value and not at.dataframe
    at.multiselect(key="cmp_pick").set_value([f"saved:{elsewhere}", "defaults"]).run()
    assert not at.exception
    assert "Saved: SECRET **L15** [x](http://evil.example)" in _results(at).columns


def test_a_fresh_session_cannot_see_another_sessions_saves(compare_page):
    """Session A saves a plan on the explorer and sees it on its Compare page; session B, fresh, sees no
    trace of it on either page until it is given the link."""
    a = compare_page()
    a.switch_page(str(ROOT / "pages/explorer.py")).run()
    a.text_input(key="save_name").input("SECRET plan A")
    a.button(key="FormSubmitter:save_form-Save scenario").click().run()
    assert not a.exception
    sid = next(c.value for c in a.code if "?s=" in c.value).rsplit("?s=", 1)[1]
    assert any(t.value.startswith("SECRET plan A:") for t in a.text)  # A lists its own save
    a.switch_page(str(ROOT / "pages/compare.py")).run()
    assert f"Saved: SECRET plan A ({sid})" in a.multiselect(key="cmp_pick").options

    b = compare_page()
    shown = [*b.multiselect(key="cmp_pick").options, *(t.value for t in b.text), *(c.value for c in b.caption)]
    assert not [x for x in shown if "SECRET" in x or sid in x]
    b.switch_page(str(ROOT / "pages/explorer.py")).run()
    assert not [t.value for t in b.text if "SECRET" in t.value or sid in t.value]
    b.switch_page(str(ROOT / "pages/compare.py")).run()
    b.text_area(key="cmp_links").input(f"https://heartland.example/explorer?s={sid}").run()
    assert "Saved: SECRET plan A" in _results(b).columns  # the link is the way in
