"""Trade-offs: the frontier of financing vs dependence, budget sweep, tornado, timeline."""
import streamlit as st

from analytics import insight_charts, tradeoffs
from analytics.scenario import Scenario
from pages import common

scenario = common.current_scenario()


@st.cache_data(show_spinner=False, max_entries=64)
def _frontier(s: Scenario, data_key: str):
    return tradeoffs.frontier(common.session_data(), s)


@st.cache_data(show_spinner=False, max_entries=64)
def _sweep(s: Scenario, data_key: str):
    return tradeoffs.budget_sweep(common.session_data(), s)


@st.cache_data(show_spinner=False, max_entries=64)
def _tornado(s: Scenario, data_key: str):
    return tradeoffs.tornado(common.session_data(), s)


@st.cache_data(show_spinner=False, max_entries=64)
def _timeline(s: Scenario, data_key: str):
    return tradeoffs.timeline(common.session_data(), s)


st.title("Trade-offs")
st.caption("How much does lower dependence cost, which inputs matter most, and how fast can it fall? "
           "Every figure here re-optimises the plan of the scenario in the sidebar.")
result = common.solve(scenario)
progress = st.progress(0.0, text="Tracing the financing frontier...")
frontier = _frontier(scenario, common.data_key())
progress.progress(0.35, text="Sweeping budgets...")
sweep = _sweep(scenario, common.data_key())
progress.progress(0.55, text="Varying each input (tornado)...")
tornado = _tornado(scenario, common.data_key())
progress.progress(0.85, text="Solving year by year...")
timeline = _timeline(scenario, common.data_key())
progress.empty()

st.subheader("Least financing to reach each level of dependence")
if frontier.empty or not result.ok:
    st.warning("This scenario has no feasible plan, so there is no frontier to draw.")
else:
    st.altair_chart(insight_charts.frontier_chart(frontier, result.financing_used_musd, result.dependence_after_pct),
                    width="stretch")
    st.caption("Each point: the least partner financing (within the sidebar's budgets) that reaches a dependence "
               "target. Left of the curve is impossible; the diamond is this scenario's plan.")
    common.download_csv(frontier, "frontier", "frontier")

left, right = st.columns(2)
with left:
    st.subheader("Budget sweep")
    st.altair_chart(insight_charts.sweep_chart(sweep), width="stretch")
    st.caption("All partner budgets scaled together (0x to 3x the sidebar's).")
    common.download_csv(sweep, "budget sweep", "budget-sweep")
with right:
    st.subheader("Dependence by year")
    st.altair_chart(insight_charts.timeline_chart(timeline), width="stretch")
    st.caption("The best plan when each year is the target: projects count only once their lead time allows.")
    common.download_csv(timeline, "dependence by year", "timeline")

st.subheader("What moves dependence most (tornado)")
st.altair_chart(insight_charts.tornado_chart(tornado), width="stretch")
st.caption("Each input at half and one and a half times its value (years: three either side), others held.")
common.download_csv(tornado, "tornado", "tornado")
