"""Scenario explorer: sliders in, optimised plan out."""
from functools import partial

import streamlit as st

from analytics import model
from analytics.data import saved, upload
from analytics.model.scenario import OBJECTIVES
from analytics.present import charts, exports
from analytics.present.text import md_escape
from pages import common

scenario = common.current_scenario()
st.title("Scenario explorer")
st.caption(f"Objective: {OBJECTIVES[scenario.objective]}. Target year {scenario.target_year}. "
           "Move the sliders on the left; the address bar always holds this scenario, so copying it shares "
           "exactly what you see.")

with st.expander("Use your own projects (this session only)"):
    st.download_button("Download the projects template (CSV)", upload.template_csv,
                       file_name="heartland-projects-template.csv", mime="text/csv", key="dl_template")
    mode = st.radio("Your projects", ["extend", "replace"], horizontal=True, key="upload_mode",
                    format_func={"extend": "add to the shipped projects", "replace": "replace them"}.get)
    file = st.file_uploader("Projects CSV", type=["csv"], key="projects_upload", max_upload_size=1,
                            help=f"At most {upload.MAX_ROWS} rows and 1 MB. Nothing is written to the shared data.")
    if file is not None:
        shipped = common.model_data()
        file.seek(0)  # read from the start on every rerun; at most MAX_BYTES are read
        projects, problems = upload.validate_projects(
            file, set(shipped.minerals.mineral_id), set(shipped.projects.project_id), mode)
        if problems:
            st.error("The file was not used:\n\n" + "\n".join(f"- {md_escape(p)}" for p in problems))
        elif st.button(f"Use these {len(projects)} projects", key="use_upload"):
            common.use_projects(upload.merge_projects(shipped.projects, projects, mode), file.name)
            st.rerun()
    if st.session_state.get("user_projects") is not None and st.button("Back to the shipped projects",
                                                                          key="drop_upload"):
        common.use_projects(None)
        st.rerun()

# No st.spinner: it starts a thread on every rerun, which under many sessions waited for the GIL longer
# than the solve took (load.py); Streamlit's own running indicator shows a slow solve.
result = common.solve(scenario)
minerals = common.reference_table("minerals")
names = dict(zip(minerals.mineral_id, minerals.name))

for note in result.notes:
    st.info(md_escape(note), icon="ℹ️")  # notes quote the data, which may be a user's upload

if result.status is model.Status.ERROR:
    st.error(f"This scenario cannot be solved: {md_escape(result.message)}.", icon="🚫")
elif not result.ok:
    if result.diagnosis.empty:
        st.error(f"No plan is possible in this scenario: {md_escape(result.message)}.", icon="🚫")
    else:
        st.error("No plan is possible in this scenario. These limits conflict; relaxing them by these "
                 "amounts would make a plan possible:", icon="🚫")
        for sentence in result.diagnosis.sentence:
            st.markdown(f"- {md_escape(sentence)}")  # sentences name projects, which a user may have uploaded
    st.metric("Dependence on China today", f"{result.dependence_before_pct:.1f} %")
if not result.ok:
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric("Dependence, plan", f"{result.dependence_after_pct:.1f} %",
          delta=f"{result.dependence_after_pct - result.dependence_before_pct:+.1f} pts vs today",
          delta_color="inverse",
          help="Value- and criticality-weighted share of Kazakh critical-mineral output processed in China or "
               "Russia (Russia at its weight), with cargo crossing either counted at the transit weight.")
c2.metric("Dependence today", f"{result.dependence_before_pct:.1f} %")
c3.metric(f"Without a plan, {scenario.target_year}", f"{result.dependence_baseline_pct:.1f} %",
          help="Today's flows plus new capacity its owners already fund, producing by the target year, and cargo "
               "a cut corridor pushes to its cheapest other route. With no partner money the plan is exactly this.")
c4.metric("Money used", f"{result.financing_used_musd:,.0f} M USD",
          delta=f"+ {result.spending_musd:,.0f} M USD/yr offtake", delta_color="off",
          help="Partner financing of new capacity (one-off), and allied offtake money spent a year on premiums "
               "and freight.")

st.subheader("What each lever buys")
with st.spinner("Working out each lever's part (32 warm re-solves)..."):
    steps = common.waterfall(scenario)
st.vega_lite_chart(spec=charts.waterfall_spec(steps), width="stretch")
st.caption("From today to the plan: first what happens without partner money by the target year, then each "
           "lever's part, as its Shapley value (its average effect over every order of switching the levers "
           "on), so the parts add up exactly to the total."
           + (" Shown for the least-dependence plan of this scenario." if scenario.objective != "min_dependence"
              else ""))

st.subheader("Where each mineral is processed")
# Charts as Vega-Lite specs built from cached templates: Altair's validation on every rerun cost more
# than the solve (load.py measures it).
st.vega_lite_chart(spec=charts.offtake_spec(result.offtake_by_destination, names), width="content")
if scenario.russia_weight_pct == 0 and result.russia_share_change_pts > 0.5:
    st.caption(f"Note: the plan sends {result.russia_share_change_pts:.1f} points more of all output to Russian "
               "processing. With the weight on Russia at 0, that counts as lowering dependence; raise that weight "
               "in the sidebar to count Russia too.")

left, right = st.columns(2)
with left:
    st.subheader("Dependence by mineral")
    st.vega_lite_chart(spec=charts.dependence_spec(result.by_mineral), width="stretch")
with right:
    st.subheader("What binds")
    if scenario.objective != "min_dependence":
        st.write("Shadow prices are quoted for the least-dependence objective; switch to it to see what binds.")
    else:
        binding = common.what_binds(scenario)
        if binding.empty:
            st.write("No limit is worth relaxing: one more unit of any budget or capacity would not lower "
                     "dependence.")
        for sentence in binding.sentence.head(8):
            st.markdown(f"- {md_escape(sentence)}")
        if not binding.empty:
            st.caption("Each figure is a re-solve of the plan with that limit moved by the step quoted.")

st.subheader("Financing by project and financier")
if result.financing.empty:
    st.write("The plan finances no project: under these limits new output would not lower dependence, or no "
             "letter of interest or envelope can reach an eligible project (try a general envelope, or more "
             "allied processing room).")
else:
    chart_col, table_col = st.columns([3, 2])
    chart_col.vega_lite_chart(spec=charts.financing_spec(result.financing), width="stretch")
    table_col.dataframe(result.financing.drop(columns=["project_id", "financier_id", "commitment_id"]), hide_index=True,
                        column_config={"amount_musd": st.column_config.NumberColumn("Amount (M USD)", format="%.1f")})
st.subheader("Projects built")
if not result.builds.empty:
    st.dataframe(result.builds.drop(columns=["project_id"]), hide_index=True, column_config={
        "funded": st.column_config.CheckboxColumn("funded by its owners"),
        "build_pct": st.column_config.NumberColumn("Built (%)", format="%.0f"),
        "new_output_tpy": st.column_config.NumberColumn("New output (t/yr)", format="%.0f"),
        "capex_musd": st.column_config.NumberColumn("Capex (M USD)", format="%.0f"),
        "online_year": st.column_config.NumberColumn("Producing from", format="%d"),
    })

st.subheader("How full each limit is")
st.vega_lite_chart(spec=charts.utilisation_spec(result.constraints), width="stretch")
with st.expander("All limits and their shadow prices"):
    st.dataframe(result.constraints, hide_index=True)

st.subheader("Share this scenario")
common.share_link(scenario)
with st.expander("Save it under a short link"):
    with st.form("save_form", clear_on_submit=False):
        name = st.text_input("Name", max_chars=saved.MAX_NAME, key="save_name")
        note = st.text_area("Note (optional)", max_chars=saved.MAX_NOTE, key="save_note")
        submitted = st.form_submit_button("Save scenario")
    if submitted:
        try:
            sid = saved.save(scenario, name, note)
        except (ValueError, saved.StoreUnavailable) as exc:
            st.error(md_escape(str(exc)))
        else:
            common.remember_save(sid, name.strip())
            st.success("Saved. Its short link (only people you give it to can open it):")
            st.code(f"{st.context.url or ''}?s={sid}", language=None)
    mine = common.my_saves()
    if not mine.empty:
        st.caption("Saved in this session (they are not listed anywhere else; keep the links):")
        for row in mine.itertuples():
            st.text(f"{row.name}: {st.context.url or ''}?s={row.id}")  # plain text: a user's name is never markup

st.subheader("Downloads")
d1, d2, d3, d4, d5 = st.columns(5)
with d1:
    common.download_csv(result.financing, "financing", "financing")
with d2:
    common.download_csv(result.builds, "builds", "builds")
with d3:
    common.download_csv(result.flows, "offtake flows", "offtake")
with d4:
    common.download_csv(result.by_mineral, "dependence by mineral", "dependence")
with d5:
    common.download_csv(result.constraints, "limits and shadow prices", "constraints")
sources = common.reference_table("sources")
e1, e2, e3 = st.columns(3)
user_projects = st.session_state.get("user_projects")
# Built only when clicked: the workbook takes ~0.1 s, too much for every slider move.
e1.download_button("Download all tables (Excel)", partial(exports.excel_workbook, result, sources, projects=user_projects),
                   file_name="heartland-scenario.xlsx", key="dl_excel",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
e2.download_button("Download scenario bundle (zip)", partial(exports.bundle, result, sources, projects=user_projects),
                   file_name="heartland-bundle.zip", mime="application/zip", key="dl_bundle",
                   help="Inputs, outputs, metadata and sources; upload it here later to restore this scenario.")
e3.file_uploader("Restore a bundle", type=["zip"], key="bundle_upload", on_change=common.restore_bundle,
                 max_upload_size=5,
                 help="A zip downloaded from Heartland restores its scenario.")
if st.session_state.get("bundle_error"):
    st.error(md_escape(st.session_state.pop("bundle_error")))
