"""Risk: disruption Monte Carlo for the chosen plan vs the status quo."""
import streamlit as st

from analytics import insight_charts, risk
from pages import common

scenario = common.current_scenario()
st.title("Risk")
st.caption("How much secure supply (Kazakh output processed outside China and Russia, valued at shipped prices) "
           "survives random disruptions? Each draw decides which events happen in a year; the plan is held fixed.")

with st.expander("Disruption events", expanded=True):
    values = {}
    cols = st.columns(len(risk.EVENTS))
    defaults = risk.RiskInputs()
    for col, event in zip(cols, risk.EVENTS):
        with col:
            st.markdown(f"**{risk.EVENT_LABELS[event]}**")
            values[f"{event}_prob_pct"] = st.slider("Probability (%/yr)", 0.0, 100.0,
                                                    getattr(defaults, f"{event}_prob_pct"), 5.0,
                                                    key=f"risk_{event}_prob")
            values[f"{event}_severity_pct"] = st.slider("Severity (% lost)", 0.0, 100.0,
                                                        getattr(defaults, f"{event}_severity_pct"), 5.0,
                                                        key=f"risk_{event}_sev")
    n_draws = st.select_slider("Draws", [1000, 5000, 10000, 20000], value=5000, key="risk_draws")
inputs = risk.RiskInputs(**values)

result = common.solve(scenario)
if not result.ok:
    st.warning("This scenario has no feasible plan; only the status quo can be simulated.")
minerals = common.reference_table("minerals")
prices = dict(zip(minerals.mineral_id, minerals.price_usd_per_t))

bar = st.progress(0.0, text="Simulating disruptions...")
draws = risk.simulate(result.flows, prices, inputs, n_draws=n_draws, seed=1,
                      progress=lambda f: bar.progress(f, text=f"Simulating disruptions... {f:.0%}"))
bar.empty()
summary = risk.summary(draws)
if summary.empty:
    st.error("There is nothing to simulate: this scenario's data has no secure supply to disrupt.")
    st.stop()

by_case = summary.set_index("case")
cols = st.columns(4)
for i, case in enumerate(["Status quo", "Scenario plan"]):
    if case in by_case.index:
        cols[2 * i].metric(f"{case}: expected secure supply", f"{by_case.loc[case, 'expected_musd']:,.0f} M USD/yr")
        cols[2 * i + 1].metric(f"{case}: 5th percentile", f"{by_case.loc[case, 'p5_musd']:,.0f} M USD/yr")

st.altair_chart(insight_charts.risk_chart(draws, summary), width="stretch")
st.dataframe(summary, hide_index=True, column_config={
    "expected_musd": st.column_config.NumberColumn("Expected (M USD/yr)", format="%.0f"),
    "p5_musd": st.column_config.NumberColumn("5th percentile (M USD/yr)", format="%.0f"),
    "undisrupted_musd": st.column_config.NumberColumn("Undisrupted (M USD/yr)", format="%.0f"),
    "prob_loss_25pct": st.column_config.NumberColumn("P(loss >= 25 %) (%)", format="%.1f"),
})
common.download_csv(summary, "risk summary", "risk-summary")
st.caption("Seeded (seed 1): the same inputs give the same draws. Events are independent; a Chinese export ban "
           "cuts allied cargo transiting China, a Russian closure cuts the northern rail route, a Caspian "
           "disruption cuts the Middle Corridor, a price crash cuts the value of everything.")
