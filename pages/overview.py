"""Overview: the question, the headline, key facts."""
import streamlit as st

from analytics.analyses import projects as catalogue_projects
from analytics.present import charts
from analytics.present.text import md_escape
from pages import common

scenario = common.current_scenario()
st.title("Heartland")
st.markdown(
    "**How should the United States and its partners allocate financing and offtake across Kazakh mining "
    "and processing projects so that Kazakh critical-mineral supply depends as little as possible on Chinese "
    "processing, without trading it for dependence on Russia?** Heartland optimises that allocation for the "
    "scenario on the left: letters of interest and financing envelopes, allied offtake money, corridor and "
    "processing capacity, and the target year.")

result = common.solve(scenario)
if result.status.value == "error":
    st.error(f"This scenario cannot be solved: {md_escape(result.message)}. Open the Scenario explorer to change the data.")
    st.stop()
c1, c2, c3, c4 = st.columns(4)
c1.metric("Dependence today", f"{result.dependence_before_pct:.1f} %")
c2.metric(f"Without a plan, {scenario.target_year}", f"{result.dependence_baseline_pct:.1f} %",
          help="Today's flows plus new capacity its owners already fund, producing by the target year.")
if result.ok:
    c3.metric("With this scenario's plan", f"{result.dependence_after_pct:.1f} %",
              delta=f"{result.dependence_after_pct - result.dependence_before_pct:+.1f} pts vs today",
              delta_color="inverse")
    c4.metric("Money used", f"{result.financing_used_musd:,.0f} M USD + {result.spending_musd:,.0f} M USD/yr",
              help="Partner financing of new capacity, plus allied offtake money spent a year.")
else:
    c3.metric("With this scenario's plan", "no feasible plan")
st.caption("Dependence = value- and criticality-weighted share of Kazakh critical-mineral output processed in China "
           "or Russia, with cargo crossing either counted at the transit weight. Open the Scenario explorer to see "
           "the plan, what each lever buys and what binds.")

projects = catalogue_projects.with_derived(common.reference_table("projects"), None,
                                           common.reference_table("project_owners"))
outline = common.reference_table("kazakhstan_outline")
st.subheader("Kazakhstan's projects by owner origin")
st.vega_lite_chart(spec=charts.project_map_spec(projects, outline), width="stretch")  # template: no Altair per rerun
