"""Risk: disruption Monte Carlo for the chosen plan vs the same target year without it."""
import streamlit as st

from analytics import model
from analytics.analyses import risk
from analytics.present.charts import insight as insight_charts
from analytics.present.text import md_escape
from pages import common

scenario = common.current_scenario()
st.title("Risk")
st.caption("How much secure supply (Kazakh output processed outside China and Russia, valued at the data's "
           "prices) survives random disruptions? Each draw is a year in which each event happens or not; the "
           "plan is held fixed, and cargo that is cut off is lost, not rerouted.")

defaults = risk.RiskInputs()
values = {}
with st.expander("Disruption events", expanded=True):
    st.caption("The starting probabilities and severities are illustrative assumptions, not published estimates "
               "(no public source gives annual odds for these events): set them to your own view.")
    cols = st.columns(len(risk.EVENTS))
    for col, event in zip(cols, risk.EVENTS):
        with col:
            st.markdown(f"**{risk.EVENT_LABELS[event]}**")
            values[f"{event}_prob_pct"] = st.slider(
                "Probability (% a year)", 0.0, 100.0, float(getattr(defaults, f"{event}_prob_pct")), 5.0,
                key=f"risk_{event}_prob")
            values[f"{event}_severity_pct"] = st.slider(
                "Severity (% lost)", 0.0, 100.0, float(getattr(defaults, f"{event}_severity_pct")), 5.0,
                key=f"risk_{event}_sev",
                help="Share of the affected cargo (the price crash: of the value of all secure supply) lost when "
                     "the event happens.")
    c1, c2, c3 = st.columns(3)
    n_draws = c1.select_slider("Draws", [1000, 5000, 10000, 20000], value=5000, key="risk_draws")
    threshold = c2.slider("Count a loss above (% of undisrupted)", 5.0, 95.0, 25.0, 5.0, key="risk_loss_threshold")
    seed = c3.number_input("Random seed", 0, 1_000_000, 1, key="risk_seed",
                           help="The same seed and inputs give the same draws.")
inputs = risk.RiskInputs(**values)

result = common.solve(scenario)
if result.status is model.Status.ERROR:
    st.error(f"This scenario cannot be solved: {md_escape(result.message)}.", icon="🚫")
    st.stop()
if not result.ok:
    st.warning("This scenario has no feasible plan; only the status quo is simulated. The Scenario explorer says "
               "which limits conflict.")

bar = st.progress(0.0, text="Simulating disruptions...")
draws = risk.simulate(result.flows, risk.prices(common.session_data().minerals), inputs, n_draws=int(n_draws),
                      seed=int(seed), progress=lambda f: bar.progress(f, text=f"Simulating disruptions... {f:.0%}"))
bar.empty()
summary = risk.summary(draws, threshold)
if summary.empty:
    st.error("There is nothing to simulate: this scenario's data has no output to disrupt.")
    st.stop()

by_case = summary.set_index("case")
cases = [c for c in ("Scenario plan", "Without the plan") if c in by_case.index]
cols = st.columns(3)
for case in cases:
    row = by_case.loc[case]
    cols[0].metric(f"{case}: expected secure supply", f"{row.expected_musd:,.0f} M USD/yr",
                   help=f"Undisrupted: {row.undisrupted_musd:,.0f} M USD/yr.")
    cols[1].metric(f"{case}: 5th percentile", f"{row.p5_musd:,.0f} M USD/yr",
                   help="In one year in twenty, secure supply is at or below this.")
    cols[2].metric(f"{case}: chance of losing more than {threshold:.0f} %", f"{row.prob_loss_pct:.1f} %")

st.subheader("Secure supply across the draws")
st.altair_chart(insight_charts.risk_chart(risk.histogram(draws), summary), width="stretch")
st.caption("Solid lines: expected value; dashed: 5th percentile. Events are independent. A Chinese export ban cuts "
           "secure cargo that transits China (shipped through Chinese ports), a Russian closure the northern rail "
           "route, a Caspian disruption the Middle Corridor, each by its severity; a price crash cuts the value of "
           "everything.")

st.dataframe(summary, hide_index=True, column_config={
    "case": st.column_config.TextColumn("Case"),
    "expected_musd": st.column_config.NumberColumn("Expected (M USD/yr)", format="%.0f"),
    "p5_musd": st.column_config.NumberColumn("5th percentile (M USD/yr)", format="%.0f"),
    "undisrupted_musd": st.column_config.NumberColumn("Undisrupted (M USD/yr)", format="%.0f"),
    "loss_threshold_pct": st.column_config.NumberColumn("Loss threshold (%)", format="%.0f"),
    "prob_loss_pct": st.column_config.NumberColumn("P(loss above threshold) (%)", format="%.1f"),
})
d1, d2 = st.columns(2)
with d1:
    common.download_csv(summary, "risk summary", "risk-summary")
with d2:
    common.download_csv(draws, "every draw", "risk-draws")
st.caption(f"Seed {int(seed)}, {int(n_draws):,} draws: the same inputs give the same draws on any machine.")
