"""Overview: the question, the headline, key facts."""
import streamlit as st

from analytics.analyses import projects as catalogue_projects
from analytics.present import charts
from analytics.present.display import formats, notices
from analytics.present.i18n import N_, _, fill
from analytics.present.text import md_escape
from pages import common

scenario = common.current_scenario()
st.title("Heartland")
st.markdown(_(
    "**How should the United States and its partners allocate financing and offtake across Kazakh mining "
    "and processing projects so that Kazakh critical-mineral supply depends as little as possible on Chinese "
    "processing, without trading it for dependence on Russia?** Heartland optimises that allocation for the "
    "scenario on the left: letters of interest and financing envelopes, allied offtake money, corridor and "
    "processing capacity, and the target year."))

result = common.solve(scenario)
if result.status.value == "error":
    st.error(fill(N_("This scenario cannot be solved: {reason}. Open the Scenario explorer to change the data."),
                  reason=md_escape(notices.translate(result.message))))
    common.stop_page()
c1, c2, c3, c4 = st.columns([1, 1, 1, 1.4])  # money in words is the widest figure
c1.metric(_("Dependence today"), formats.pct(result.dependence_before_pct))
c2.metric(fill(N_("Without a plan, {year}"), year=str(scenario.target_year)), formats.pct(result.dependence_baseline_pct),
          help=_("Today's flows plus new capacity its owners already fund, producing by the target year."))
if result.ok:
    c3.metric(_("With this scenario's plan"), formats.pct(result.dependence_after_pct),
              delta=fill(N_("{change} pts vs today"),
                         change=formats.signed(result.dependence_after_pct - result.dependence_before_pct)),
              delta_color="inverse")
    c4.metric(_("Money used"), formats.musd(result.financing_used_musd),
              delta=fill(N_("+ {money} offtake"), money=formats.musd_yr(result.spending_musd)), delta_color="off",
              help=_("Partner financing of new capacity, plus allied offtake money spent a year."))
else:
    c3.metric(_("With this scenario's plan"), _("no feasible plan"))
st.caption(_("Dependence = value- and criticality-weighted share of Kazakh critical-mineral output processed in China "
             "or Russia, with cargo crossing either counted at the transit weight. Open the Scenario explorer to see "
             "the plan, what each lever buys and what binds."))
if not common.rest_of_page_now():
    common.stop_page()

projects = catalogue_projects.with_derived(common.reference_table("projects"), common.reference_table("minerals"),
                                           common.reference_table("project_owners"))
outline = common.reference_table("kazakhstan_outline")
st.subheader(_("Kazakhstan's projects by owner origin"))
st.vega_lite_chart(spec=charts.project_map_spec(projects, outline), width="stretch")  # template: no Altair per rerun
st.caption(_("Circle area grows with capacity (each mineral in its own unit); hover a circle for the project. City "
             "positions are approximate."))
