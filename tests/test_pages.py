"""The pages through the entry point, with Streamlit's AppTest (no browser)."""
from __future__ import annotations

from pathlib import Path

import hostile
import pytest
from conftest import app_test
from streamlit.testing.v1 import AppTest

from analytics.present.text import md_escape

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _app(params: dict | None = None, page: str | None = None) -> AppTest:
    return app_test(params, page, timeout_s=60)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_the_headline():
    at = _app()
    assert _metric(at, "Dependence today").endswith("%")
    assert "How should the United States" in at.markdown[0].value


def test_explorer_slider_changes_the_plan_and_the_url():
    at = _app(page="pages/explorer.py")
    before = _metric(at, "Dependence, plan")
    at.slider(key="sc_russia_weight_pct").set_value(0.0).run()  # Russia no longer counts
    assert not at.exception
    assert _metric(at, "Dependence, plan") != before
    assert at.query_params["ruw"] in ("0", ["0"])


def test_link_restores_the_scenario():
    at = _app({"v": "2", "offt": "1000", "rutr": "0", "ruw": "0"}, page="pages/explorer.py")
    assert at.slider(key="sc_offtake_musd").value == 1000.0
    assert at.slider(key="sc_russia_transit_pct").value == 0.0
    fresh = _app(page="pages/explorer.py")
    assert _metric(at, "Dependence, plan") != _metric(fresh, "Dependence, plan")


def test_scenario_survives_page_switches():
    at = _app()
    at.slider(key="sc_offtake_musd").set_value(250.0).run()
    at.switch_page("pages/explorer.py").run()
    assert at.slider(key="sc_offtake_musd").value == 250.0
    assert at.slider(key="sc_budget_samruk_musd").value > 0


@pytest.mark.parametrize("objective", ["max_secure", "min_financing"])
def test_explorer_objective_choice_shows_a_plan_not_a_traceback(objective):
    at = _app(page="pages/explorer.py")
    at.selectbox(key="sc_objective").set_value(objective).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["obj"] in (objective, [objective])


@pytest.mark.parametrize("page", [None, "pages/explorer.py"])
def test_garbled_link_still_renders_with_a_notice(page):
    at = _app({"v": "2", "offt": "lots", "year": "1066", "zzz": "1", "exim": "1e999"}, page=page)
    warnings = " ".join(w.value for w in at.warning)
    assert "Allied offtake money" in warnings and "Target year" in warnings
    assert at.slider(key="sc_target_year").value == 2030


def test_unreachable_target_is_explained_in_words():
    """Least money to reach 0 % dependence cannot be met while owners hold their shares in China and
    Russia: the page says so and what is reachable, and shows no traceback."""
    at = _app({"v": "2", "obj": "min_financing", "dtgt": "0"}, page="pages/explorer.py")
    errors = " ".join(e.value for e in at.error)
    assert "cannot be reached" in errors and "lowest dependence" in errors


def test_share_link_holds_the_scenario():
    at = _app({"v": "2", "exim": "1500"}, page="pages/explorer.py")
    link = next(c.value for c in at.code if "exim=" in c.value)
    assert "v=2" in link and "exim=1500" in link


def test_preset_selector_sets_the_sliders_and_the_link():
    at = _app(page="pages/explorer.py")
    at.selectbox(key="preset_choice").set_value("russian_transit_closed").run()
    assert at.slider(key="sc_russia_transit_pct").value == 0.0
    assert "Russian transit closed" in " ".join(c.value for c in at.sidebar.caption)
    assert at.query_params["rutr"] in ("0", ["0"])


def test_saved_link_opens_the_saved_scenario(saved_store):
    """On either store: the DuckDB file, or PostgreSQL (HEARTLAND_DATABASE_URL, as replicas run)."""
    from analytics.data import saved
    from analytics.model.scenario import DEFAULTS

    sid = saved.save(DEFAULTS.replace(offtake_musd=150.0), "<b>bold</b> & *stars*")
    at = _app({"s": sid}, page="pages/explorer.py")
    assert at.slider(key="sc_offtake_musd").value == 150.0
    assert any(t.value == "Saved scenario: <b>bold</b> & *stars*" for t in at.text)
    missing = _app({"s": "doesnotexist"}, page="pages/explorer.py")
    assert "not found" in " ".join(w.value for w in missing.warning)


def test_saving_from_the_page_gives_a_link_that_opens_in_another_session(saved_store):
    at = _app({"v": "2", "trw": "35"}, page="pages/explorer.py")
    at.text_input(key="save_name").input("My plan")
    at.button(key="FormSubmitter:save_form-Save scenario").click().run()
    assert not at.exception
    sid = next(c.value for c in at.code if "?s=" in c.value).rsplit("?s=", 1)[1]
    other = _app({"s": sid}, page="pages/explorer.py")  # e.g. another replica sharing the store
    assert other.slider(key="sc_transit_weight_pct").value == 35.0
    assert any(t.value == "Saved scenario: My plan" for t in other.text)


def test_uploading_projects_changes_the_plan_for_this_session_only():
    import io

    import pandas as pd

    from analytics import model
    from analytics.data import upload

    at = _app({"v": "2", "offt": "3000"}, page="pages/explorer.py")
    before = _metric(at, "Dependence, plan")
    assert "user_projects" not in at.session_state
    # a producing project of the first mineral, all of it going to China today: dependence must rise
    df = pd.read_csv(io.BytesIO(upload.template_csv()))
    df["mineral_id"] = model.load_model_data().minerals.mineral_id.iloc[0]
    df["output_tpy"], df["capacity_tpy"] = 1e6, 1e6
    df["offtake_china_pct"], df["offtake_allied_pct"] = 100, 0
    data = model.load_model_data()
    merged = upload.merge_projects(data.projects, df, "extend")
    at.session_state["user_projects"] = merged
    at.session_state["user_projects_key"] = "test-upload"
    at.run()
    assert not at.exception
    assert "uploaded projects" in " ".join(i.value for i in at.info)
    assert _metric(at, "Dependence, plan") != before
    fresh = _app({"v": "2", "offt": "3000"}, page="pages/explorer.py")
    assert _metric(fresh, "Dependence, plan") == before


def test_a_hostile_link_value_is_shown_as_text_not_markup():
    """A link can put text into the notice: it must stay text (no image fetched, no formatting)."""
    at = _app({"v": "2", "exim": "![](http://evil.example/x.png)"}, page="pages/explorer.py")
    notice = next(w.value for w in at.warning if "US EXIM general envelope" in w.value)
    assert "\\!\\[\\]\\(http" in notice and "![](" not in notice


def test_risk_page_says_its_starting_odds_are_assumptions():
    at = _app(page="pages/risk.py")
    assert any("illustrative assumptions" in c.value for c in at.caption)


def _upload_csv(**values) -> bytes:
    import io

    import pandas as pd

    from analytics.data import upload

    df = pd.read_csv(io.BytesIO(upload.template_csv()), dtype=str, keep_default_na=False)
    for k, v in values.items():
        df[k] = str(v)
    return df.to_csv(index=False).encode()


def _use_upload(at: AppTest, data: bytes, mode: str = "replace") -> AppTest:
    at.radio(key="upload_mode").set_value(mode)
    at.file_uploader(key="projects_upload").set_value(("projects.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="use_upload").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_uploaded_project_name_with_markup_is_shown_as_text():
    """An uploaded project's name reaches the explorer's tables when the plan builds it: shown as plain
    text, never as markup (it once loaded an image from an outside address through "What binds")."""
    name = " ".join(hostile.MARKERS)
    at = _use_upload(_app({"v": "2", "dfc": "5000"}, page="pages/explorer.py"),
                     _upload_csv(name=name, output_tpy=0, capacity_tpy=3000, capex_musd=50), mode="extend")
    assert "user_projects" in at.session_state
    shown = [df.value for df in at.dataframe]  # a table cell is text whatever it holds
    assert any(frame["project"].astype(str).str.contains(hostile.MARKERS[0], regex=False).any()
               for frame in shown if "project" in frame)
    assert hostile.markup_leaks(at) == []


def test_upload_row_with_a_trailing_comma_is_refused_on_the_page_with_a_message():
    data = _upload_csv()
    header, row = data.decode().splitlines()
    at = _app(page="pages/explorer.py")
    at.file_uploader(key="projects_upload").set_value(("p.csv", f"{header}\n{row},\n".encode(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "trailing comma" in " ".join(e.value for e in at.error)
    assert "user_projects" not in at.session_state


def test_link_fmin_whole_shows_a_notice_instead_of_a_silent_reset():
    at = _app({"v": "2", "fmin": "whole"}, page="pages/explorer.py")
    assert at.selectbox(key="sc_financed_mineral").value == "all"
    warnings = " ".join(w.value for w in at.warning)
    assert "Finance projects of" in warnings and "whole" in warnings and "tungsten" in warnings


@pytest.mark.parametrize("raw", ["  250  ", "1_000"])
def test_link_budget_written_loosely_is_refused_with_its_range_on_the_page(raw):
    at = _app({"v": "2", "exim": raw}, page="pages/explorer.py")
    assert at.slider(key="sc_budget_exim_musd").value == 0.0
    assert any(md_escape("allowed 0 to 5,000 M USD; using the default 0 M USD") in w.value for w in at.warning)


def test_link_with_a_repeated_key_says_which_value_is_used():
    at = _app({"v": "2", "exim": ["1500", "2000"]}, page="pages/explorer.py")
    assert at.slider(key="sc_budget_exim_musd").value == 2000.0
    assert any("2 times" in w.value for w in at.warning)


def test_saved_name_with_a_right_to_left_override_is_shown_without_it(saved_store):
    """A row an older app left with such a name (saving one is now refused) is shown cleaned."""
    import json
    from datetime import datetime

    from analytics.data import saved, store

    saved.count()  # creates the table
    saved_store[1]({"id": "AbCdEfGhIjKlMnOp", "name": "plan\u202eexe.txt \x1b[31mred", "note": None,
                    "created_utc": datetime(2025, 1, 1), "params": json.dumps({"v": "2", "offt": "160"}),
                    "url_version": 2, "app_version": "0.0.1", "data_version": store.data_version()})
    at = _app({"s": "AbCdEfGhIjKlMnOp"}, page="pages/explorer.py")
    shown = next(t.value for t in at.text if t.value.startswith("Saved scenario:"))
    assert "\u202e" not in shown and "\x1b" not in shown and "exe.txt" in shown




def test_a_held_back_first_run_shows_the_headline_alone_and_the_next_run_the_whole_page(monkeypatch):
    """As serve.py serves it: a session's first run stops after the headline, sidebar included; the next run
    (the browser's answer once it has painted, or any input) draws the whole page with the link's scenario."""
    from pages import common

    monkeypatch.setattr(common, "HEADLINE_FIRST", True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"v": "2", "offt": "150"})
    at.run()
    assert not at.exception
    assert _metric(at, "Dependence today").endswith("%")
    assert "Drawing the charts" in " ".join(c.value for c in at.caption)
    assert not at.slider and not at.get("vega_lite_chart")
    at.run()
    assert not at.exception
    assert at.slider(key="sc_offtake_musd").value == 150
    assert len(at.get("vega_lite_chart")) == 1  # the overview's map
    assert "Drawing the charts" not in " ".join(c.value for c in at.caption)


def test_a_page_that_stops_early_keeps_the_scenario_sliders():
    """No st call runs after st.stop(), app.py's sidebar included: a page that stops early (no plan is
    possible, fewer than two scenarios to compare, an empty project filter) draws the scenario's sliders first
    (common.stop_page), in the very first run of a session too."""
    script = """
from pages import common
with common.routed():
    common.current_scenario()
    common.stop_page()
"""
    at = AppTest.from_string(script, default_timeout=60)
    at.query_params.update({"v": "2", "offt": "150"})
    at.run()
    assert not at.exception
    assert len(at.slider) >= 15 and at.slider(key="sc_offtake_musd").value == 150
