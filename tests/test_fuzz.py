"""Fuzzing (issue 8): hostile links on every page, malformed uploads and bundles, through AppTest and
the functions behind them.

Properties: no exception on any page; no user text rendered as markup; every link value not taken
as written produces a notice that says what is allowed; uploads refused or held to their bounds;
a bundle never costs more than a few MB to read.

CI runs a fixed, derandomised example budget per test (a few minutes in all). A longer run, random
and remembered in .hypothesis/, is on demand:

    HEARTLAND_FUZZ_EXAMPLES=1000 python3 -m pytest -s tests/test_fuzz.py

which also prints what it measured (examples, slowest page run per page, peak memory of a read).
"""
from __future__ import annotations

import os
import re
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from analytics import model
from analytics.data import upload
from analytics.model import scenario as sc
from analytics.present import exports
from analytics.present.text import md_escape

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LONG = int(os.environ.get("HEARTLAND_FUZZ_EXAMPLES", "0") or 0)
S = hostile.strategies()
PAGES = [None, "pages/explorer.py", "pages/tradeoffs.py", "pages/risk.py", "pages/sensitivity.py", "pages/compare.py",
         "pages/projects.py", "pages/supply_chains.py", "pages/methodology.py"]
STATS: dict[str, list[float]] = defaultdict(list)


def fuzz(ci_examples: int):
    """CI: a fixed, derandomised budget; HEARTLAND_FUZZ_EXAMPLES=N: N random examples each."""
    return settings(max_examples=LONG or ci_examples, deadline=None, derandomize=not LONG,
                    database=None if not LONG else settings.default.database,
                    suppress_health_check=list(HealthCheck), print_blob=True)


@pytest.fixture(autouse=True)
def saved_db(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path_factory.getbasetemp() / "fuzz-saved.duckdb"))


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if not STATS:
        return
    print("\nFuzz figures (examples; worst and median seconds or MB):")
    for name, values in sorted(STATS.items()):
        values = sorted(values)
        print(f"  {name:<40} n={len(values):>5}  worst {values[-1]:9.3f}  median {values[len(values) // 2]:9.3f}")


@pytest.fixture(scope="module")
def minerals():
    return tuple(model.load_model_data().minerals.mineral_id)


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def unexplained(at, link: dict, minerals) -> list[str]:
    """Link values that are not what the sidebar holds, with no notice saying what is allowed."""
    warnings = _warnings(at)
    choices = {f.name: ("all", *minerals) for f in sc.FIELDS if f.pattern}
    missing = []
    for key, raw in link.items():
        f = sc.FIELD_BY_KEY.get(key)
        if f is None:
            continue
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw])]
        text, held = values[-1], at.session_state[f"sc_{f.name}"]
        if f.choices or f.pattern:
            as_written = text == held
        else:
            as_written = bool(re.fullmatch(r"[0-9]+(\.[0-9]+)?", text)) and float(text) == held
        if len(set(values)) > 1 and not any(md_escape(f"{f.label} {len(values)} times") in w for w in warnings):
            missing.append(f"{key}={values!r}: repeated with no notice")
        said = md_escape(f"Ignored {f.label} = ")
        allowed = md_escape(f"allowed {sc.allowed(f, choices.get(f.name))}")
        if not as_written and not any(said in w and allowed in w for w in warnings):
            missing.append(f"{key}={text!r}: held {held!r} with no notice stating what is allowed")
    return missing


def _check(at, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    leaks = hostile.markup_leaks(at)
    assert leaks == [], (where, leaks)


# ----------------------------------------------------------------------------- links

@fuzz(48)
@given(link=S["link"], page=st.sampled_from(PAGES))
def test_fuzzed_links_on_every_page(link, page, minerals):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in link.items():
        at.query_params[k] = v
    t0 = time.perf_counter()
    at.run()
    STATS["link: first page (overview)"].append(time.perf_counter() - t0)
    _check(at, "overview")
    assert unexplained(at, link, minerals) == []
    if page:
        t0 = time.perf_counter()
        at.switch_page(page).run()
        STATS[f"link: {page}"].append(time.perf_counter() - t0)
        _check(at, page)


@pytest.mark.parametrize("page", PAGES[1:6])
@pytest.mark.parametrize("objective", list(sc.OBJECTIVES))
@pytest.mark.parametrize("mode", list(sc.PROJECT_MODES))
def test_every_objective_and_mode_on_every_scenario_page(page, objective, mode):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"v": "2", "obj": objective, "mode": mode, "exim": "<img src=x>"})
    at.run()
    at.switch_page(page).run()
    _check(at, page)
    assert any("US EXIM general envelope" in w for w in _warnings(at))


@fuzz(400)
@given(link=S["link"])
def test_decode_never_raises_and_explains_every_value_it_does_not_take(link):
    choices = {"financed_mineral": ("all", "tungsten", "uranium")}
    decoded = sc.decode(link, choices)
    for key, raw in link.items():
        f = sc.FIELD_BY_KEY.get(key)
        if f is None:
            continue
        text = str(raw[-1] if isinstance(raw, list) else raw)
        held = getattr(decoded.scenario, f.name)
        as_written = text == held if (f.choices or f.pattern) else (
            bool(re.fullmatch(r"[0-9]+(\.[0-9]+)?", text)) and float(text) == held)
        if not as_written:
            assert any(n.startswith(f"Ignored {f.label} = ") and f"allowed {sc.allowed(f, choices.get(f.name))}" in n
                       for n in decoded.notices), (key, text, decoded.notices)


# ----------------------------------------------------------------------------- uploads

def _peak_mb(fn):
    tracemalloc.start()
    try:
        return fn(), tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


@fuzz(150)
@given(data=S["csv"], mode=st.sampled_from(upload.MODES))
def test_fuzzed_csv_is_refused_with_messages_or_held_to_its_bounds(data, mode, shipped_data):
    (projects, problems), peak = _peak_mb(lambda: upload.validate_projects(
        data, shipped_data.minerals, set(shipped_data.projects.project_id), mode))
    STATS["upload CSV: peak MB (validate)"].append(peak)
    assert peak < 300
    if projects is None:
        assert problems and all(isinstance(p, str) and p for p in problems)
        return
    assert problems == []
    schema = upload.projects_schema()
    for col in schema.numeric:
        b = schema.ranges[col]
        assert projects[col].dropna().between(b.lo, b.hi).all(), col
    for col in set(schema.columns) - set(schema.numeric) - set(schema.boolean):
        assert not projects[col].astype(str).str.contains(upload.UNSAFE_TEXT).any(), col
    merged = upload.merge_projects(shipped_data.projects, projects, mode)
    r = upload.solve_with_projects(shipped_data, merged, sc.DEFAULTS)
    assert isinstance(r, model.Result)


@fuzz(120)
@given(data=S["bundle"])
def test_fuzzed_bundle_is_refused_in_words_or_read_within_a_few_mb(data):
    def read():
        try:
            return exports.read_bundle(data)
        except ValueError as exc:
            return str(exc)

    out, peak = _peak_mb(read)
    STATS["bundle: peak MB (read_bundle)"].append(peak)
    assert peak < 300
    assert isinstance(out, (str, sc.Decoded))


@fuzz(16)
@given(data=st.one_of(S["good_csv"], S["csv"]), mode=st.sampled_from(upload.MODES),
       tradeoffs=st.sampled_from([True, False, False, False]))
def test_fuzzed_upload_through_the_explorer(data, mode, tradeoffs):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/explorer.py").run()
    at.radio(key="upload_mode").set_value(mode)
    at.file_uploader(key="projects_upload").set_value(("projects.csv", data, "text/csv"))
    t0 = time.perf_counter()
    at.run()
    _check(at, "explorer after upload")
    use = [b for b in at.button if b.key == "use_upload"]
    if use:
        use[0].click()
        at.run()
        _check(at, "explorer with the uploaded projects")
        if tradeoffs:  # the page that re-solves most (about 55 solves on the new data)
            at.switch_page("pages/tradeoffs.py").run()
            _check(at, "trade-offs with the uploaded projects")
    else:
        assert any("The file was not used" in e.value for e in at.error)
    STATS["upload: explorer (and trade-offs)"].append(time.perf_counter() - t0)


@fuzz(16)
@given(data=S["bundle"])
def test_fuzzed_bundle_through_the_explorer(data):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/explorer.py").run()
    at.file_uploader(key="bundle_upload").set_value(("bundle.zip", data, "application/zip"))
    t0 = time.perf_counter()
    at.run()
    STATS["bundle: explorer"].append(time.perf_counter() - t0)
    _check(at, "explorer after a bundle")
