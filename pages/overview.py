"""Overview: the question, the headline, key facts."""
import streamlit as st

from analytics.present import charts
from analytics.present.text import md_escape
from pages import common

scenario = common.current_scenario()
st.title("Heartland")
st.markdown(
    "**How should the United States and its partners allocate financing and offtake across Kazakh mining "
    "and processing projects so that Kazakh critical-mineral supply depends as little as possible on Chinese "
    "processing?** Heartland optimises that allocation for the scenario on the left: financier budgets, "
    "allied offtake commitments, corridor and processing capacity, contract lock-in and the target year.")

result = common.solve(scenario)
if result.status.value == "error":
    st.error(f"This scenario cannot be solved: {md_escape(result.message)}. Open the Scenario explorer to change the data.")
    st.stop()
c1, c2, c3 = st.columns(3)
c1.metric("Dependence on China today", f"{result.dependence_before_pct:.1f} %")
if result.ok:
    c2.metric("With this scenario's plan", f"{result.dependence_after_pct:.1f} %",
              delta=f"{result.dependence_after_pct - result.dependence_before_pct:+.1f} pts",
              delta_color="inverse")
    c3.metric("Financing used", f"{result.financing_used_musd:,.0f} M USD")
else:
    c2.metric("With this scenario's plan", "no feasible plan")
st.caption("Dependence = value- and criticality-weighted share of Kazakh critical-mineral output processed "
           "in China. Open the Scenario explorer to see the plan and what binds.")

projects = common.reference_table("projects")
outline = common.reference_table("kazakhstan_outline")
st.subheader("Kazakhstan's projects by owner origin")
st.vega_lite_chart(spec=charts.project_map_spec(projects, outline), width="stretch")  # template: no Altair per rerun
