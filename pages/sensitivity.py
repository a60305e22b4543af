"""Sensitivity: which inputs drive dependence, from a small sweep around the sidebar's scenario or a sweep file."""
from functools import partial

import streamlit as st

from analytics.present.charts import sensitivity as charts
from analytics.present.display import formats, notices
from analytics.present.i18n import N_, _, fill
from analytics.present.text import md_escape
from analytics.sweep import design, files, solve
from pages import common, outputs

scenario = common.current_scenario()
common.draw_scenario_sidebar()
st.title(_("Sensitivity"))
st.caption(_("Which inputs move dependence most, all at once rather than one at a time? A sweep solves "
             "many scenarios sampled around this one (a Sobol' design) and splits the variance of the plan's "
             "dependence among the inputs: the first-order index is what an input explains alone, the total index "
             "what it explains with its interactions. Bars show 95 % confidence intervals."))

FIELDS = {f.name: f for f in design.sweepable()}


def show(sweep, ix, *, key: str, base_pct: float | None = None) -> None:
    """Draw one sweep's results: counts, indices chart and table, distribution, download."""
    s = sweep.summary()
    c1, c2, c3 = st.columns(3)
    c1.metric(_("Scenarios solved"), formats.number(s['scenarios']),
              help=fill(N_("Of {n} in the design."), n=formats.number(s['planned'])))
    c2.metric(_("With a plan"), formats.number(s['by_status'].get('optimal', 0)))
    c3.metric(_("Dependence, plan: median"), formats.pct(s['median']),
              help=fill(N_("5th to 95th percentile: {low} to {high}."), low=formats.pct(s['p5']),
                        high=formats.pct(s['p95'])))
    st.subheader(_("What drives dependence"))
    if ix.ok:
        st.altair_chart(charts.indices_chart(ix.table), width="stretch")
        table = ix.table.assign(label=ix.table.label.map(_), unit=ix.table.unit.map(lambda u: _(u) if u else u))
        outputs.table(table, key=f"{key}_indices", keys=("label",),
                     labels={"label": _("Input"), "lo": _("From"), "hi": _("To"), "S1": _("First-order index"),
                             "S1_conf": _("First-order ± (95 %)"), "ST": _("Total index"),
                             "ST_conf": _("Total ± (95 %)")},
                     digits={"lo": 2, "hi": 2, "S1": 3, "S1_conf": 3, "ST": 3, "ST_conf": 3})
    if ix.note:
        st.info(md_escape(notices.translate(ix.note)))
    st.subheader(_("Dependence across the scenarios"))
    st.altair_chart(charts.outcomes_chart(solve.histogram(sweep.results), s["before_median"], base_pct),
                    width="stretch")


tab_run, tab_file = st.tabs([_("Sweep around this scenario"), _("Open a sweep file")])
with tab_run:
    names = st.multiselect(_("Inputs to vary"), list(FIELDS), default=solve.around_default(), max_selections=8,
                           format_func={n: _(f.label) for n, f in FIELDS.items()}.get, key="sens_inputs",
                           help=_("Each varies around its value in the sidebar; the other inputs stay as they are."))
    c1, c2 = st.columns(2)
    spread = c1.slider(_("Range around each value (± % of its slider's span)"), 5, 50, 20, 5, key="sens_spread")
    n_base = c2.select_slider(_("Base samples"), [4, 8, 16, 32, 64], value=8, key="sens_n",
                              help=_("Each base sample is (inputs + 2) scenarios. More samples, narrower intervals."))
    st.caption(fill(N_("{n} scenarios, solved here within a work budget of {seconds} s; the command line (python -m "
                       "heartland sweep) runs larger sweeps on Dask."),
                    n=formats.number(n_base * (len(names) + 2)), seconds=f"{solve.PAGE_BUDGET_S:g}"))
    if st.button(_("Run the sweep"), key="sens_run", disabled=not names, type="primary"):
        bar = st.progress(0.0, text=_("Solving scenarios..."))
        sweep, ix = solve.around(common.session_data(), scenario, names, spread=spread / 100, n_base=n_base,
                                 progress=lambda done, n: bar.progress(done / n, text=_("Solving scenarios...")))
        bar.empty()
        st.session_state["sens_result"] = (scenario, sweep, ix)
    if not names:
        st.info(_("Choose at least one input to vary."))
    result = st.session_state.get("sens_result")
    if result is not None:
        for_scenario, sweep, ix = result
        if for_scenario != scenario:
            st.warning(_("These results are for the scenario as it was when the sweep ran; run it again for the "
                         "sidebar's current scenario."))
        cut = solve.budget_sentence(sweep)
        if cut:
            st.warning(notices.translate(cut))  # the work budget's own words, no user text
        show(sweep, ix, key="sens_run", base_pct=common.solve(for_scenario).dependence_after_pct)
        st.download_button(_("This sweep (Parquet)"), partial(files.to_bytes, sweep, ix),  # built on click
                           file_name="heartland-sweep.parquet", mime="application/octet-stream", key="sens_dl",
                           icon=":material/download:", wrap=True,
                           help=_("Inputs, results and the design; open it here later or in any Parquet reader."))

with tab_file:
    upload = st.file_uploader(_("A sweep file from `python -m heartland sweep` (Parquet)"), type=["parquet"],
                              key="sens_upload", max_upload_size=files.MAX_FILE_BYTES // (1024 * 1024),
                              help=fill(N_("At most {mb} MB and {n} scenarios."),
                                        mb=str(files.MAX_FILE_BYTES // (1024 * 1024)), n=formats.number(files.MAX_ROWS)))
    if upload is not None:
        cached = st.session_state.get("sens_file")
        if cached is None or cached[0] != upload.file_id:
            try:
                cached = (upload.file_id, *files.open_sweep(upload.getvalue()))
            except ValueError as exc:
                cached = (upload.file_id, None, str(exc))
            st.session_state["sens_file"] = cached  # read once per file, not on every rerun
        _file_id, loaded, ix = cached
        if loaded is None:
            st.error(md_escape(notices.translate(ix)))
        else:
            for notice in loaded.notices:
                st.warning(md_escape(notices.translate(notice)))
            d = loaded.sweep.design
            st.caption(fill(N_("{method} design over {inputs}, seed {seed}, around the scenario ?{query}."),
                            method=d.method, inputs=", ".join(_(r.field.label) for r in d.ranges), seed=str(d.seed),
                            query=md_escape(solve.link_query(d.base))))
            if not loaded.sweep.complete:
                st.warning(_("The sweep that wrote this file was stopped before it finished."))
            show(loaded.sweep, ix, key="sens_file")
