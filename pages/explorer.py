"""Scenario explorer: sliders in, optimised plan out."""
from functools import partial

import streamlit as st

from analytics import model
from analytics.data import saved, upload
from analytics.model.scenario import OBJECTIVES
from analytics.present.display import formats, limits, notices
from analytics.present.i18n import N_, _, current, fill
from analytics.present.text import md_escape
from pages import common, outputs

scenario = common.current_scenario()
st.title(_("Scenario explorer"))
st.caption(fill(N_("Objective: {objective}. Target year {year}. Move the sliders on the left; the address bar always "
                   "holds this scenario, so copying it shares exactly what you see."),
                objective=_(OBJECTIVES[scenario.objective]), year=str(scenario.target_year)))


def projects_upload() -> None:
    """Upload a projects CSV for this session, or go back to the shipped projects. Drawn below the headline:
    the solve reads the projects in use from the session, and a browser then draws the uploader only once the
    figures are on screen."""
    with st.expander(_("Use your own projects (this session only)")):
        st.download_button(_("Projects template (CSV)"), upload.template_csv, icon=":material/download:",
                           file_name="heartland-projects-template.csv", mime="text/csv", key="dl_template", wrap=True)
        mode = st.radio(_("Your projects"), ["extend", "replace"], horizontal=True, key="upload_mode",
                        format_func={"extend": _("add to the shipped projects"), "replace": _("replace them")}.get)
        file = st.file_uploader(_("Projects CSV"), type=["csv"], key="projects_upload", max_upload_size=1,
                                help=fill(N_("At most {rows} rows and 1 MB. Nothing is written to the shared data."),
                                          rows=str(upload.MAX_ROWS)))
        if file is not None:
            shipped = common.model_data()
            file.seek(0)  # read from the start on every rerun; at most MAX_BYTES are read
            projects, problems = upload.validate_projects(
                file, set(shipped.minerals.mineral_id), set(shipped.projects.project_id), mode)
            if problems:
                st.error(_("The file was not used:") + "\n\n" + "\n".join(f"- {md_escape(p)}" for p in problems))
            elif st.button(fill(N_("Use these {n} projects"), n=str(len(projects))), key="use_upload"):
                common.use_projects(upload.merge_projects(shipped.projects, projects, mode), file.name)
                st.rerun()
        if st.session_state.get("user_projects") is not None and st.button(_("Back to the shipped projects"),
                                                                              key="drop_upload"):
            common.use_projects(None)
            st.rerun()


# No st.spinner: it starts a thread on every rerun, which under many sessions waited for the GIL longer
# than the solve took (load.py); Streamlit's own running indicator shows a slow solve.
result = common.solve(scenario)
minerals = common.reference_table("minerals")
names = dict(zip(minerals.mineral_id, minerals.name))

for note in result.notes:
    st.info(md_escape(notices.translate(note)), icon=":material/info:")  # notes may quote a user's upload

if result.status is model.Status.ERROR:
    st.error(fill(N_("This scenario cannot be solved: {reason}."), reason=md_escape(notices.translate(result.message))),
             icon=":material/block:")
elif not result.ok:
    if result.diagnosis.empty:
        st.error(fill(N_("No plan is possible in this scenario: {reason}."),
                      reason=md_escape(notices.translate(result.message))), icon=":material/block:")
    else:
        st.error(_("No plan is possible in this scenario. These limits conflict; relaxing them by these "
                   "amounts would make a plan possible:"), icon=":material/block:")
        for sentence in result.diagnosis.sentence:
            st.markdown(f"- {md_escape(notices.translate(sentence))}")  # sentences name projects a user may upload
    st.metric(_("Dependence today"), formats.pct(result.dependence_before_pct))
if not result.ok:
    projects_upload()  # an upload that leaves no plan can be taken back here
    common.stop_page()

c1, c2, c3, c4 = st.columns([1, 1, 1, 1.4])  # money in words is the widest figure
c1.metric(_("Dependence, plan"), formats.pct(result.dependence_after_pct),
          delta=fill(N_("{change} pts vs today"),
                     change=formats.signed(result.dependence_after_pct - result.dependence_before_pct)),
          delta_color="inverse",
          help=_("Value- and criticality-weighted share of Kazakh critical-mineral output processed in China or "
                 "Russia (Russia at its weight), with cargo crossing either counted at the transit weight."))
c2.metric(_("Dependence today"), formats.pct(result.dependence_before_pct))
c3.metric(fill(N_("Without a plan, {year}"), year=str(scenario.target_year)),
          formats.pct(result.dependence_baseline_pct),
          help=_("Today's flows plus new capacity its owners already fund, producing by the target year, and cargo "
                 "a cut corridor pushes to its cheapest other route. With no partner money the plan is exactly this."))
c4.metric(_("Money used"), formats.musd(result.financing_used_musd),
          delta=fill(N_("+ {money} offtake"), money=formats.musd_yr(result.spending_musd)), delta_color="off",
          help=_("Partner financing of new capacity (one-off), and allied offtake money spent a year on premiums "
                 "and freight."))

if not common.rest_of_page_now():
    common.stop_page()
projects_upload()

# Charts and downloads are imported once the headline is on screen: in a fresh server process altair and
# openpyxl take about half a second to import, which the first visitor would otherwise wait for.
from analytics.present import charts, exports  # noqa: E402

st.subheader(_("What each lever buys"))
steps = common.waterfall(scenario)  # no st.spinner: it starts a timer thread on every rerun (see the solve above)
st.vega_lite_chart(spec=charts.waterfall_spec(steps), width="stretch")
# The scenario's widgets after the headline and its first chart: a browser that receives twenty sliders with
# the headline draws them all before showing it (about half a second more on a cold page).
common.draw_scenario_sidebar()
st.caption(_("From today to the plan: first what happens without partner money by the target year, then each "
             "lever's part, as its Shapley value (its average effect over every order of switching the levers "
             "on), so the parts add up exactly to the total.")
           + (" " + _("Shown for the least-dependence plan of this scenario.")
              if scenario.objective != "min_dependence" else ""))

st.subheader(_("Where each mineral is processed"))
# Charts as Vega-Lite specs built from cached templates: Altair's validation on every rerun cost more
# than the solve (load.py measures it).
st.vega_lite_chart(spec=charts.offtake_spec(result.offtake_by_destination, names), width="content")
if scenario.russia_weight_pct == 0 and result.russia_share_change_pts > 0.5:
    st.caption(fill(N_("Note: the plan sends {points} points more of all output to Russian processing. With the weight "
                       "on Russia at 0, that counts as lowering dependence; raise that weight in the sidebar to count "
                       "Russia too."), points=formats.number(result.russia_share_change_pts, 1)))

left, right = st.columns(2)
with left:
    st.subheader(_("Dependence by mineral"))
    st.vega_lite_chart(spec=charts.dependence_spec(result.by_mineral), width="stretch")
with right:
    st.subheader(_("What binds"))
    if scenario.objective != "min_dependence":
        st.write(_("Shadow prices are quoted for the least-dependence objective; switch to it to see what binds."))
    else:
        binding = common.what_binds(scenario)
        said = limits.sentences(binding, common.names())
        if not said:
            st.write(_("No limit is worth relaxing: one more unit of any budget or capacity would not lower "
                       "dependence."))
        for s in said[:limits.SHOWN]:
            st.markdown(f"- {md_escape(s.text)}")  # sentences name projects, which a user may have uploaded
        if len(said) > limits.SHOWN:
            with st.expander(fill(N_("{n} more limits"), n=str(len(said) - limits.SHOWN))):
                for s in said[limits.SHOWN:]:
                    st.markdown(f"- {md_escape(s.text)}")
        if said:
            st.caption(_("Largest effect first. Each figure is a re-solve of the plan with that limit moved by the step "
                         "quoted; limits of one kind are added up, which is approximate when they interact."))

st.subheader(_("Financing by project and financier"))
if result.financing.empty:
    st.write(_("The plan finances no project: under these limits new output would not lower dependence, or no "
               "letter of interest or envelope can reach an eligible project (try a general envelope, or more "
               "allied processing room)."))
else:
    st.vega_lite_chart(spec=charts.financing_spec(result.financing), width="stretch")
    # project, financier and amount in view at 1280 px without scrolling sideways; long names show whole on hover
    outputs.table(limits.financing_rows(result.financing, common.names()), key="fin_table",
                 keys=("project", "financier", "amount_musd"),
                 widths={"project": 200, "financier": 330, "amount_musd": 130, "through": 150})
st.subheader(_("Projects built"))
if not result.builds.empty:
    builds = result.builds.assign(mineral=result.builds.mineral_id.map(names))
    outputs.table(builds, key="builds_table", keys=("project", "mineral"))

st.subheader(_("How full each limit is"))
constraints = result.constraints.assign(label=limits.labels(result.constraints, common.names()))
st.vega_lite_chart(spec=charts.utilisation_spec(constraints.assign(label_shown=constraints.label)), width="stretch")
with st.expander(_("All limits and their shadow prices")):
    outputs.table(constraints, key="limits_table", keys=("label",))

st.subheader(_("Share this scenario"))
outputs.share_link(scenario)
with st.expander(_("Save it under a short link")):
    with st.form("save_form", clear_on_submit=False):
        name = st.text_input(_("Name"), max_chars=saved.MAX_NAME, key="save_name")
        note = st.text_area(_("Note (optional)"), max_chars=saved.MAX_NOTE, key="save_note")
        submitted = st.form_submit_button(_("Save scenario"))
    if submitted:
        try:
            sid = saved.save(scenario, name, note)
        except (ValueError, saved.StoreUnavailable) as exc:
            st.error(md_escape(notices.translate(str(exc))))
        else:
            outputs.remember_save(sid, name.strip())
            st.success(_("Saved. Its short link (only people you give it to can open it):"))
            st.code(f"{st.context.url or ''}?s={sid}", language=None)
    mine = outputs.my_saves()
    if not mine.empty:
        st.caption(_("Saved in this session (they are not listed anywhere else; keep the links):"))
        for row in mine.itertuples():
            st.text(f"{row.name}: {st.context.url or ''}?s={row.id}")  # plain text: a user's name is never markup

st.subheader(_("Downloads"))
lang = current()
link = outputs.share_url(scenario)
data = common.session_data()
st.download_button(_("Download a one-page brief (PDF)"), type="primary", icon=":material/picture_as_pdf:",
                   data=partial(common.brief_pdf, lang, result, data, link, scenario),  # built when clicked
                   file_name=f"heartland-brief-{lang}.pdf", mime="application/pdf", key="dl_brief", wrap=True,
                   help=_("The headline, what each lever buys, where each mineral goes, the largest financing, what "
                          "binds, the share link and the sources, on one A4 page in this language."))
d1, d2, d3 = st.columns(3)  # three to a row: a button's words stay whole in Russian at 1280 px
with d1:
    outputs.download_csv(result.financing, _("Financing"), "financing")
    outputs.download_csv(result.by_mineral, _("Dependence by mineral"), "dependence")
with d2:
    outputs.download_csv(result.builds, _("Builds"), "builds")
    outputs.download_csv(result.constraints, _("Limits and shadow prices"), "constraints")
with d3:
    outputs.download_csv(lambda: result.flows, _("Offtake flows"), "offtake")  # built when clicked
sources = common.reference_table("sources")
e1, e2, e3 = st.columns(3)
user_projects = st.session_state.get("user_projects")
# Built only when clicked: the workbook takes ~0.1 s, too much for every slider move.
e1.download_button(_("All tables (Excel)"), partial(exports.excel_workbook, result, sources, projects=user_projects),
                   file_name="heartland-scenario.xlsx", key="dl_excel", icon=":material/download:", wrap=True,
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
e2.download_button(_("Scenario bundle (zip)"), partial(exports.bundle, result, sources, projects=user_projects),
                   file_name="heartland-bundle.zip", mime="application/zip", key="dl_bundle",
                   icon=":material/download:", wrap=True,
                   help=_("Inputs, outputs, metadata and sources; upload it here later to restore this scenario."))
e3.file_uploader(_("Restore a bundle"), type=["zip"], key="bundle_upload", on_change=outputs.restore_bundle,
                 max_upload_size=5,
                 help=_("A zip downloaded from Heartland restores its scenario."))
if st.session_state.get("bundle_error"):
    st.error(md_escape(notices.translate(st.session_state.pop("bundle_error"))))
