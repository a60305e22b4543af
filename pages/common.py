"""What every page shares: cached data and solves, the scenario sidebar and its URL."""
from __future__ import annotations

import contextlib
import logging
import os
import runpy
import sys
import threading
from pathlib import Path
from typing import NoReturn

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import model
from analytics.analyses import budget
from analytics.data import saved, store
from analytics.model import bounded, limits
from analytics.model.presets import PRESETS, matching_preset
from analytics.model.scenario import DEFAULTS, FIELDS, OBJECTIVES, PROJECT_MODES, Decoded, Scenario, decode, encode
from analytics.present import i18n
from analytics.present.display import names as display_names
from analytics.present.display import notices as display_notices
from analytics.present.i18n import N_, _, fill
from analytics.present.text import INVISIBLE, md_escape
from pages import language

APP_FILE = Path(__file__).resolve().parent.parent / "app.py"

GROUPS = {
    N_("Money"): ("commitments_pct", "budget_dfc_musd", "budget_exim_musd", "budget_jbic_musd", "budget_eib_musd",
              "budget_ebrd_musd", "budget_private_musd", "budget_samruk_musd", "offtake_musd", "premium_floor_pct"),
    N_("Capacity and corridors"): ("middle_corridor_ktpy", "allied_capacity_pct", "russia_transit_pct"),
    N_("Time"): ("target_year",),
    N_("What counts"): ("russia_weight_pct", "transit_weight_pct"),
    N_("Objective"): ("objective", "project_mode", "financed_mineral", "dependence_target_pct"),
}


@st.cache_data(show_spinner=False, max_entries=1)
def model_data() -> model.ModelData:
    return model.load_model_data()


@st.cache_data(show_spinner=False, max_entries=32)
def reference_table(name: str) -> pd.DataFrame:
    return store.table(name)


# Model work takes turns: at most one solve fewer than the machine has cores at once (one core is left to
# Streamlit's own work), and other sessions wait their turn within their deadline. Twenty sessions solving at
# once spent more time contending than solving. load.py at 20 sessions on 2 cores: p95 2.7-3.4 s at
# 0.19-0.21 CPU s a rerun with no limit; 1.4-2.1 s at 0.13-0.15 s with two turns; 1.25-1.5 s at 0.12 s with one.
_MODEL_WORK = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) - 1))


@contextlib.contextmanager
def _model_slot():
    """A turn at the solver; past the enclosing deadline (analytics.model.limits) while waiting, TimeLimitReached."""
    left = limits.time_left()
    if not _MODEL_WORK.acquire(timeout=max(left, 0.0) if left is not None else None):
        raise limits.TimeLimitReached("the server is busy: no solver was free within the time limit")
    try:
        yield
    finally:
        _MODEL_WORK.release()


@st.cache_data(show_spinner=False, max_entries=512)
def _solve(scenario: Scenario, data_key: str) -> model.Result:
    # Raises limits.TimeLimitReached past an enclosing deadline: an exception is not cached.
    with _model_slot():
        return model.run(session_data(), scenario)


@st.cache_data(show_spinner=False, max_entries=256)
def _what_binds(scenario: Scenario, data_key: str) -> pd.DataFrame:
    result = _solve(scenario, data_key)  # its own turn: a turn is never held while asking for another
    with _model_slot():
        return model.what_binds(session_data(), result, max_rows=6)


@st.cache_data(show_spinner=False, max_entries=256)
def _waterfall(scenario: Scenario, data_key: str) -> pd.DataFrame:
    with _model_slot():
        return model.waterfall(session_data(), scenario)


def what_binds(scenario: Scenario) -> pd.DataFrame:
    """The binding limits worth relaxing, each checked by a re-solve (cached)."""
    return _what_binds(scenario, data_key())


def names():
    """This session's data names (projects, minerals, financiers, commitments) for sentences and labels."""
    from analytics.present.display.limits import Names

    ss = st.session_state
    held = ss.get("_names")
    if held is None or held[0] != data_key():
        held = ss["_names"] = (data_key(), Names.of(session_data()))
    return held[1]


def brief_pdf(lang: str, result: model.Result, data: model.ModelData, link: str, scenario: Scenario) -> bytes:
    """The one-page brief of this scenario in `lang` (run when the download is clicked, maybe outside the
    script's thread: the language is passed, not read from the context)."""
    from analytics.present.brief import plan_sources
    from analytics.present.brief.reader import brief_in

    # nothing here reads the session: the data is passed in, and the model remembers the waterfall's solves
    binding = (model.what_binds(data, result, max_rows=8) if result.ok and scenario.objective == "min_dependence"
               else None)
    return brief_in(lang, result, data=data, link=link or "", waterfall=model.waterfall(data, scenario),
                    what_binds=binding, sources=plan_sources(data, result, reference_table("sources")),
                    data_version=store.data_version())


def waterfall(scenario: Scenario) -> pd.DataFrame:
    """Today -> without the plan -> each lever -> the plan (cached)."""
    return _waterfall(scenario, data_key())


def data_key() -> str:
    """'shipped', or a fingerprint of this session's uploaded projects (part of every cache key)."""
    return st.session_state.get("user_projects_key", "shipped")


def session_data() -> model.ModelData:
    """The shipped data, with this session's uploaded projects if any (never shared).

    The same object for the whole session (while its projects do not change): the model recognises
    data it has seen by identity and then skips hashing it again on every solve."""
    if get_script_run_ctx() is None:  # server start (warm_caches): the shipped data
        return model_data()
    ss = st.session_state
    key = data_key()
    held = ss.get("_model_data")
    if held is None or held[0] != key:
        projects = ss.get("user_projects")
        held = ss["_model_data"] = (key, model_data() if projects is None else model_data().replace_projects(projects))
    return held[1]


def cached_solve(scenario: Scenario) -> model.Result:
    """The cached optimal plan for this scenario on this session's data; raises limits.TimeLimitReached
    past an enclosing deadline (the analyses' work budgets)."""
    return _solve(scenario, data_key())


def solve(scenario: Scenario, *, seconds: float = bounded.SOLVE_SECONDS) -> model.Result:
    """The cached optimal plan for this scenario on this session's data, within `seconds` (past it: the
    partial-build plan for whole projects, else a result that says so; never an exception)."""
    return bounded.solve_within(cached_solve, scenario, seconds=seconds, key=data_key())


def budgeted(analysis, work: budget.WorkBudget, *args, **kwargs):
    """(value, notes) of an analysis run within `work`, for a cached function: an answer cut short by
    the budget is raised (budget.Incomplete), so it is shown but not cached."""
    value, notes, complete = budget.run(analysis, work, *args, **kwargs)
    if not complete:
        raise budget.Incomplete(value, notes)
    return value, notes


def cut_short_ok(cached, *args):
    """(value, notes) of a cached function built on `budgeted`, whether or not the budget cut it short."""
    try:
        return cached(*args)
    except budget.Incomplete as cut:
        return cut.value, cut.notes


def use_projects(projects: pd.DataFrame | None, label: str = "") -> None:
    """Solve this session with these projects (None: back to the shipped ones)."""
    ss = st.session_state
    if projects is None:
        ss.pop("user_projects", None)
        ss.pop("user_projects_key", None)
    else:
        ss["user_projects"] = projects
        ss["user_projects_key"] = f"upload:{pd.util.hash_pandas_object(projects, index=False).sum()}:{label}"


_routing = threading.local()


@contextlib.contextmanager
def routed():
    """Mark the pages run inside it as reached through app.py's st.navigation (app.py wraps its run)."""
    _routing.depth = getattr(_routing, "depth", 0) + 1
    try:
        yield
    finally:
        _routing.depth -= 1


def page_guard() -> None:
    """Make sure this run went through app.py's st.navigation.

    Streamlit starts a fresh server in its old "pages/ directory" mode whenever a pages/ folder
    exists, and only leaves it once a run reaches st.navigation. A shared link that opens a
    deep page (/explorer) first would then run the page file bare: wrong page list, no page
    config. A page run that app.py did not start (no routed() around it on this script thread)
    hands itself to app.py, which calls st.navigation and runs the page the URL names.
    tests/test_browser.py covers a cold deep link.
    """
    if getattr(_routing, "depth", 0) == 0:
        # End the bare run after app.py has drawn the page. No rerun, so a click in this run is kept.
        runpy.run_path(str(APP_FILE), run_name="__main__")
        st.stop()


def _key(name: str) -> str:
    return f"sc_{name}"


def _reset() -> None:
    set_widgets(DEFAULTS)


def set_widgets(scenario: Scenario) -> None:
    """Put a scenario into the sidebar widgets (before they are drawn, or from a callback)."""
    for f in FIELDS:
        st.session_state[_key(f.name)] = getattr(scenario, f.name)


def _load_saved(sid: str, fallback: Decoded) -> tuple[Decoded, str | None]:
    """The saved scenario behind ?s=, or the link's other values with a notice saying why not."""
    try:
        hit = saved.load(sid)
    except saved.StoreUnavailable as exc:
        return Decoded(fallback.scenario, fallback.notices + (str(exc),)), None
    if hit is None:
        return Decoded(fallback.scenario, fallback.notices + (
            "The saved scenario in this link was not found; showing the link's other values.",)), None
    return Decoded(hit.scenario, hit.notices), hit.name


def link_choices() -> dict[str, tuple[str, ...]]:
    """The values the data allows for the free-text inputs (Field.pattern): 'all' and the mineral ids."""
    minerals = tuple(reference_table("minerals").mineral_id)
    return {f.name: ("all", *minerals) for f in FIELDS if f.pattern}


def _decode_link(params: dict) -> Decoded:
    return decode({k: v for k, v in params.items() if k != "s"}, link_choices())


def _apply_preset() -> None:
    preset = PRESETS.get(st.session_state.get("preset_choice"))
    if preset is not None:
        set_widgets(preset.scenario)


def current_scenario() -> Scenario:
    """The Scenario the sidebar describes (its widgets are drawn after the page: draw_scenario_sidebar).

    The URL is the source on a session's first run; after that the widgets are, and the URL is
    rewritten to follow them.
    """
    page_guard()
    ss = st.session_state
    params = {k: st.query_params.get_all(k) for k in st.query_params}  # a key may repeat in a link
    # A link is read on the session's first run only: later the URL changes only by our own writes
    # or by page navigation (a URL typed into the address bar reloads into a new session), and a
    # rerun request may carry the query string one step behind what we last wrote.
    if "scenario" not in ss:
        decoded, ss["_loaded_name"] = _decode_link(params), None
        if params.get("s"):
            decoded, ss["_loaded_name"] = _load_saved(params["s"][-1], decoded)
        ss["scenario"] = decoded.scenario
        ss["_notices"] = decoded.notices
        set_widgets(decoded.scenario)
    page = sys._getframe(1).f_code.co_filename  # the page file that asked, whatever Streamlit's mode
    if ss.get("_page") != page:
        # Widget state is tied to the page that drew it; re-assigning carries it to this page.
        # Only on a page change: doing it every run would push the server's value back into a
        # slider the user is still moving.
        for f in FIELDS:
            key = _key(f.name)
            ss[key] = ss[key] if key in ss else getattr(ss["scenario"], f.name)
        ss["_page"] = page

    minerals = ("all", *reference_table("minerals").mineral_id)
    for f in FIELDS:
        if f.pattern and ss[_key(f.name)] not in minerals:  # financed_mineral: choices come from the data
            ss[_key(f.name)] = "all"
    values = {f.name: ss[_key(f.name)] for f in FIELDS}
    values["target_year"] = int(values["target_year"])
    for f in FIELDS:
        if not f.choices and not f.pattern and f.name != "target_year":
            values[f.name] = float(values[f.name])
    scenario = Scenario(**values)
    ss["scenario"] = scenario
    encoded = link_params(scenario)
    if {k: [v] for k, v in encoded.items()} != params:
        st.query_params.from_dict(encoded)

    _routing.sidebar = scenario  # drawn by draw_scenario_sidebar() once the page has drawn its own content
    if "user_projects" in ss:
        st.info(_("This session uses your uploaded projects. A share link carries the scenario only: others "
                  "will see it on the shipped projects."), icon=":material/upload_file:")
    if ss.get("_loaded_name"):
        # plain text: a user's name is never rendered as markup; control and text-direction characters
        # (terminal escapes, right-to-left overrides) are dropped so the name cannot disguise itself
        st.text(fill(N_("Saved scenario: {name}"), name=INVISIBLE.sub(' ', ss['_loaded_name'])))
    for notice in ss.get("_notices", ()):
        # notices quote the link: never render them as markup
        st.warning(md_escape(display_notices.translate(notice)), icon=":material/warning:")
    return scenario


def draw_scenario_sidebar() -> None:
    """The scenario's widgets in the sidebar, for a page that called current_scenario() in this run.

    app.py calls this after the page has run (also when the page stopped early): the scenario is read
    from the widgets' session state, so the widgets need not come first, and a browser shows the page's
    headline without waiting for some twenty sliders to be drawn (about half a second on a cold page).
    """
    scenario = getattr(_routing, "sidebar", None)
    if scenario is None:
        return
    _routing.sidebar = None
    by_name = {f.name: f for f in FIELDS}
    with st.sidebar:
        st.header(_("Scenario"))
        st.selectbox(_("Start from a preset"), ["", *PRESETS], key="preset_choice", on_change=_apply_preset,
                     format_func={"": _("Choose a preset..."), **{k: _(p.name) for k, p in PRESETS.items()}}.get,
                     help=_("Presets from the policy debate; they set the sliders below, which you can then move."))
        for group, names in GROUPS.items():
            with st.expander(_(group), expanded=True):
                for name in names:
                    f = by_name[name]
                    label = f"{_(f.label)} ({_(f.unit)})" if f.unit else _(f.label)
                    help_ = _(f.help) if f.help else None
                    if f.pattern:  # financed_mineral: choices come from the data
                        minerals = reference_table("minerals")
                        options = ["all", *minerals.mineral_id]
                        labels = {"all": _("All minerals"),
                                  **{m: display_names.data_name(n) for m, n in zip(minerals.mineral_id, minerals.name)}}
                        st.selectbox(label, options, key=_key(name), help=help_, format_func=labels.get)
                    elif f.choices:
                        names_ = {**OBJECTIVES, **PROJECT_MODES}
                        st.selectbox(label, f.choices, key=_key(name), help=help_,
                                     format_func={c: _(names_.get(c, c)) for c in f.choices}.get)
                    elif name == "target_year":
                        st.slider(label, int(f.lo), int(f.hi), step=int(f.step), key=_key(name), help=help_)
                    else:  # whole-number steps: '700', not '700.00'
                        whole = float(f.step) == int(f.step)
                        st.slider(label, float(f.lo), float(f.hi), step=float(f.step), key=_key(name), help=help_,
                                  format="%d" if whole else None)
        st.button(_("Reset to defaults"), on_click=_reset, key="reset_scenario")
        st.caption(scenario_caption(scenario))


def scenario_caption(scenario: Scenario) -> str:
    """'Default scenario', the preset it matches, or how many inputs differ from the defaults (markdown)."""
    if scenario == DEFAULTS:
        return _("**Default scenario**: the shipped data's base case (announced commitments, today's corridors).")
    preset = matching_preset(scenario)
    if preset is not None:
        return fill(N_("Matches preset: **{name}**. {description}"), name=_(preset.name),  # our own words
                    description=_(preset.description))
    changed = len(encode(scenario)) - 1
    return i18n.ngettext("Custom scenario: {n} input differs from the defaults.",
                         "Custom scenario: {n} inputs differ from the defaults.", changed).format(n=changed)


def link_params(scenario: Scenario) -> dict[str, str]:
    """What the address bar holds: the scenario's link values and the language."""
    return {**encode(scenario), **language.lang_param()}


# A new visitor's first page shows its headline first and the rest once the browser has painted it. A browser
# that receives the explorer's charts, tables and twenty sidebar widgets with its headline draws them all
# before it shows any of them (on two cores the headline then appeared 1.7-2.3 s after the page was asked
# for; alone, about 1.1 s). The first run of a session therefore stops after the headline and draws a small
# script element that answers once the headline's figures are laid out in a frame (or after 2 s); its answer,
# like any other input, reruns the page in full. AppTest runs no JavaScript, so only a server started by
# serve.py (which sets HEADLINE_FIRST) holds a first run back.
HEADLINE_FIRST = False
_PAINTED_JS = """export default function ({ setTriggerValue }) {
  let sent = false;
  const send = () => { if (!sent) { sent = true; setTimeout(() => setTriggerValue("painted", true), 0); } };
  const look = () => {
    const figure = document.querySelector('[data-testid="stMetricValue"]');
    if (figure && figure.getClientRects().length) requestAnimationFrame(send);  // laid out: painted this frame
    else if (!sent) requestAnimationFrame(look);
  };
  look();
  setTimeout(send, 2000);  // never wait longer for a headline
}"""
_painted = st.components.v2.component("heartland.headline_painted", js=_PAINTED_JS)


def rest_of_page_now() -> bool:
    """False in the first run of a session under serve.py: the page then stops after its headline, the
    sidebar waits too, and the browser's answer once it shows the headline reruns the page in full."""
    ss = st.session_state
    if not HEADLINE_FIRST or ss.get("_headline_first_done"):
        return True
    ss["_headline_first_done"] = _routing.held_back = True
    st.caption(_("Drawing the charts and the scenario's sliders..."))
    _painted(key="headline_painted", on_painted_change=lambda: None, height=0)
    return False


def sidebar_held_back() -> bool:
    """True once: in the run where rest_of_page_now() held the page back. (No st call: after st.stop() every
    one raises StopException again.)"""
    held, _routing.held_back = getattr(_routing, "held_back", False), False
    return held


def stop_page() -> NoReturn:
    """End this page's run here, with the scenario's sidebar drawn first: after st.stop() no st call runs, not
    even app.py's (a page that stopped early used to lose the sliders that could change its scenario). In a
    held-back first run the sidebar waits; app.py's sidebar_held_back() then says so and draws nothing."""
    if not getattr(_routing, "held_back", False):
        draw_scenario_sidebar()
    st.stop()


def warm_caches() -> None:
    """At server start (serve.py), outside any session: import what a page draws with, load the reference
    data, put the default scenario's plan, what binds and waterfall into the shared caches, and draw the
    explorer's and the overview's charts once."""
    from analytics.present import charts  # noqa: F401  (imported for its import time)
    from pages import outputs  # noqa: F401
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "missing ScriptRunContext": expected outside a session
    try:
        model_data()
        scenario = Scenario()
        _solve(scenario, "shipped")
        _what_binds(scenario, "shipped")
        _waterfall(scenario, "shipped")
        _draw_charts_nowhere(scenario)
    finally:
        quiet.setLevel(level)


def _draw_charts_nowhere(scenario: Scenario) -> None:
    """Draw the explorer's and the overview's charts for `scenario` outside any session, so on no page. The
    first drawing in a process is the slow one: Altair builds each chart's template once (tens of ms each, the
    waterfall's about 100 ms), Arrow converts its first frames, and Streamlit's first element reads the whole
    call stack once. The first visitor's page would otherwise wait for all of it."""
    from analytics.analyses import projects as catalogue_projects
    from analytics.present import charts
    from analytics.present.display import limits as display_limits

    result = _solve(scenario, "shipped")
    minerals = reference_table("minerals")
    constraints = result.constraints.assign(
        label=display_limits.labels(result.constraints, display_limits.Names.of(model_data())))
    for spec in (charts.waterfall_spec(_waterfall(scenario, "shipped")),
                 charts.offtake_spec(result.offtake_by_destination, dict(zip(minerals.mineral_id, minerals.name))),
                 charts.dependence_spec(result.by_mineral), charts.financing_spec(result.financing),
                 charts.utilisation_spec(constraints.assign(label_shown=constraints.label)),
                 charts.project_map_spec(catalogue_projects.with_derived(reference_table("projects"), minerals,
                                                                         reference_table("project_owners")),
                                         reference_table("kazakhstan_outline"))):
        st.vega_lite_chart(spec=spec, width="stretch")
