"""Sensitivity: which inputs drive dependence, from a small sweep around the sidebar's scenario or a sweep file."""
from functools import partial

import streamlit as st

from analytics.present.charts import sensitivity as charts
from analytics.present.text import md_escape
from analytics.sweep import design, files, solve
from pages import common

scenario = common.current_scenario()
st.title("Sensitivity")
st.caption("Which inputs move dependence on China most, all at once rather than one at a time? A sweep solves "
           "many scenarios sampled around this one (a Sobol' design) and splits the variance of the plan's "
           "dependence among the inputs: the first-order index is what an input explains alone, the total index "
           "what it explains with its interactions. Bars show 95 % confidence intervals.")

FIELDS = {f.name: f for f in design.sweepable()}


def show(sweep, ix, *, key: str, base_pct: float | None = None) -> None:
    """Draw one sweep's results: counts, indices chart and table, distribution, download."""
    s = sweep.summary()
    c1, c2, c3 = st.columns(3)
    c1.metric("Scenarios solved", f"{s['scenarios']:,}", help=f"Of {s['planned']:,} in the design.")
    c2.metric("With a plan", f"{s['by_status'].get('optimal', 0):,}")
    c3.metric("Dependence, plan: median", f"{s['median']:.1f} %",
              help=f"5th to 95th percentile: {s['p5']:.1f} to {s['p95']:.1f} %.")
    st.subheader("What drives dependence")
    if ix.ok:
        st.altair_chart(charts.indices_chart(ix.table), width="stretch")
        st.dataframe(ix.table.drop(columns=["input"]), hide_index=True, key=f"{key}_indices", column_config={
            "label": st.column_config.TextColumn("Input"), "unit": st.column_config.TextColumn("Unit"),
            "lo": st.column_config.NumberColumn("From", format="%g"), "hi": st.column_config.NumberColumn("To", format="%g"),
            **{c: st.column_config.NumberColumn(c.replace("_conf", " ± (95 %)"), format="%.3f")
               for c in ("S1", "S1_conf", "ST", "ST_conf")}})
    if ix.note:
        st.info(ix.note)
    st.subheader("Dependence on China across the scenarios")
    st.altair_chart(charts.outcomes_chart(solve.histogram(sweep.results), s["before_median"], base_pct),
                    width="stretch")


tab_run, tab_file = st.tabs(["Sweep around this scenario", "Open a sweep file"])
with tab_run:
    names = st.multiselect("Inputs to vary", list(FIELDS), default=solve.around_default(), max_selections=8,
                           format_func=lambda n: FIELDS[n].label, key="sens_inputs",
                           help="Each varies around its value in the sidebar; the other inputs stay as they are.")
    c1, c2 = st.columns(2)
    spread = c1.slider("Range around each value (± % of its slider's span)", 5, 50, 20, 5, key="sens_spread")
    n_base = c2.select_slider("Base samples", [4, 8, 16, 32, 64], value=8, key="sens_n",
                              help="Each base sample is (inputs + 2) scenarios. More samples, narrower intervals.")
    st.caption(f"{n_base * (len(names) + 2):,} scenarios, solved here within a work budget of "
               f"{solve.PAGE_BUDGET_S:g} s; the command line (python -m heartland sweep) runs larger sweeps on Dask.")
    if st.button("Run the sweep", key="sens_run", disabled=not names, type="primary"):
        bar = st.progress(0.0, text="Solving scenarios...")
        sweep, ix = solve.around(common.session_data(), scenario, names, spread=spread / 100, n_base=n_base,
                                 progress=lambda done, n: bar.progress(done / n, text=f"Solving scenarios... {done:,} of {n:,}"))
        bar.empty()
        st.session_state["sens_result"] = (scenario, sweep, ix)
    if not names:
        st.info("Choose at least one input to vary.")
    result = st.session_state.get("sens_result")
    if result is not None:
        for_scenario, sweep, ix = result
        if for_scenario != scenario:
            st.warning("These results are for the scenario as it was when the sweep ran; run it again for the "
                       "sidebar's current scenario.")
        cut = solve.budget_sentence(sweep)
        if cut:
            st.warning(cut)
        show(sweep, ix, key="sens_run", base_pct=common.solve(for_scenario).dependence_after_pct)
        st.download_button("Download this sweep (Parquet)", partial(files.to_bytes, sweep, ix),  # built on click
                           file_name="heartland-sweep.parquet", mime="application/octet-stream", key="sens_dl",
                           help="Inputs, results and the design; open it here later or in any Parquet reader.")

with tab_file:
    upload = st.file_uploader("A sweep file from `python -m heartland sweep` (Parquet)", type=["parquet"],
                              key="sens_upload", max_upload_size=files.MAX_FILE_BYTES // (1024 * 1024),
                              help=f"At most {files.MAX_FILE_BYTES // (1024 * 1024)} MB and "
                                   f"{files.MAX_ROWS:,} scenarios.")
    if upload is not None:
        cached = st.session_state.get("sens_file")
        if cached is None or cached[0] != upload.file_id:
            try:
                cached = (upload.file_id, *files.open_sweep(upload.getvalue()))
            except ValueError as exc:
                cached = (upload.file_id, None, str(exc))
            st.session_state["sens_file"] = cached  # read once per file, not on every rerun
        _, loaded, ix = cached
        if loaded is None:
            st.error(md_escape(ix))
        else:
            for notice in loaded.notices:
                st.warning(md_escape(notice))
            d = loaded.sweep.design
            st.caption(f"{d.method} design over {', '.join(r.field.label for r in d.ranges)}, seed {d.seed}, "
                       f"around the scenario ?{md_escape(solve.link_query(d.base))}.")
            if not loaded.sweep.complete:
                st.warning("The sweep that wrote this file was stopped before it finished.")
            show(loaded.sweep, ix, key="sens_file")
