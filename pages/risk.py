"""Risk: disruption Monte Carlo for the chosen plan vs the same target year without it."""
import streamlit as st

from analytics import model
from analytics.analyses import risk
from analytics.present.charts import insight as insight_charts
from analytics.present.display import formats, notices
from analytics.present.i18n import N_, _, fill
from analytics.present.text import md_escape
from pages import common, outputs

scenario = common.current_scenario()
common.draw_scenario_sidebar()
st.title(_("Risk"))
st.caption(_("How much secure supply (Kazakh output processed outside China and Russia, valued at the data's "
             "prices) survives random disruptions? Each draw is a year in which each event happens or not; the "
             "plan is held fixed, and cargo that is cut off is lost, not rerouted."))

defaults = risk.RiskInputs()
values = {}
with st.expander(_("Disruption events"), expanded=True):
    st.caption(_("The starting probabilities and severities are illustrative assumptions, not published estimates "
                 "(no public source gives annual odds for these events): set them to your own view."))
    cols = st.columns(len(risk.EVENTS))
    for col, event in zip(cols, risk.EVENTS):
        with col:
            st.markdown(f"**{_(risk.EVENT_LABELS[event])}**")
            values[f"{event}_prob_pct"] = st.slider(
                _("Probability (% a year)"), 0.0, 100.0, float(getattr(defaults, f"{event}_prob_pct")), 5.0,
                key=f"risk_{event}_prob", format="%d")
            values[f"{event}_severity_pct"] = st.slider(
                _("Severity (% lost)"), 0.0, 100.0, float(getattr(defaults, f"{event}_severity_pct")), 5.0,
                key=f"risk_{event}_sev", format="%d",
                help=_("Share of the affected cargo (the price crash: of the value of all secure supply) lost when "
                       "the event happens."))
    c1, c2, c3 = st.columns(3)
    n_draws = c1.select_slider(_("Draws"), [1000, 5000, 10000, 20000], value=5000, key="risk_draws",
                               format_func={n: formats.number(n) for n in (1000, 5000, 10000, 20000)}.get)
    threshold = c2.slider(_("Count a loss above (% of undisrupted)"), 5.0, 95.0, 25.0, 5.0, key="risk_loss_threshold",
                          format="%d")
    seed = c3.number_input(_("Random seed"), 0, 1_000_000, 1, key="risk_seed",
                           help=_("The same seed and inputs give the same draws."))
inputs = risk.RiskInputs(**values)

result = common.solve(scenario)
if result.status is model.Status.ERROR:
    st.error(fill(N_("This scenario cannot be solved: {reason}."), reason=md_escape(notices.translate(result.message))),
             icon=":material/block:")
    common.stop_page()
if not result.ok:
    st.warning(_("This scenario has no feasible plan; only the status quo is simulated. The Scenario explorer says "
                 "which limits conflict."))

bar = st.progress(0.0, text=_("Simulating disruptions..."))
draws = risk.simulate(result.flows, risk.prices(common.session_data().minerals), inputs, n_draws=int(n_draws),
                      seed=int(seed), progress=lambda f: bar.progress(f, text=_("Simulating disruptions...")))
bar.empty()
summary = risk.summary(draws, threshold)
if summary.empty:
    st.error(_("There is nothing to simulate: this scenario's data has no output to disrupt."))
    common.stop_page()

by_case = summary.set_index("case")
cases = [c for c in ("Scenario plan", "Without the plan") if c in by_case.index]
for case, col in zip(cases, st.columns(2)):  # one column per case: long figures and labels stay whole
    row = by_case.loc[case]
    cols = [col] * 3
    cols[0].metric(fill(N_("{case}: expected secure supply"), case=_(case)), formats.musd_yr(row.expected_musd),
                   help=fill(N_("Undisrupted: {money}."), money=formats.musd_yr(row.undisrupted_musd)))
    cols[1].metric(fill(N_("{case}: 5th percentile"), case=_(case)), formats.musd_yr(row.p5_musd),
                   help=_("In one year in twenty, secure supply is at or below this."))
    cols[2].metric(fill(N_("{case}: chance of losing more than {threshold}"), case=_(case),
                        threshold=formats.pct(threshold, 0)), formats.pct(row.prob_loss_pct))
if len(cases) == 2 and by_case.loc[cases[0], "prob_loss_pct"] == by_case.loc[cases[1], "prob_loss_pct"]:
    events = risk.shared_loss_events(draws, threshold)
    if events:
        st.caption(fill(N_("The chance of losing more than {threshold} is the same with and without the plan: in both, "
                           "exactly the years with {events} lose that much. Those events cut secure supply whatever "
                           "the plan does (a price crash lowers the value of every tonne; a closed route cuts the "
                           "cargo both cases send along it), so the plan changes how much is left, not how often "
                           "that threshold is crossed."),
                        threshold=formats.pct(threshold, 0),
                        events=_(" or ").join(_(risk.EVENT_LABELS[e]).lower() for e in events)))
    else:
        st.caption(fill(N_("The chance of losing more than {threshold} is the same with and without the plan: the same "
                           "combinations of events push both past it. Compare the expected values and the 5th "
                           "percentiles to see what the plan changes."), threshold=formats.pct(threshold, 0)))

st.subheader(_("Secure supply across the draws"))
st.altair_chart(insight_charts.risk_chart(risk.histogram(draws), summary), width="stretch")
st.caption(_("Solid lines: expected value; dashed: 5th percentile. Events are independent. A Chinese export ban cuts "
             "secure cargo that transits China (shipped through Chinese ports), a Russian closure the northern rail "
             "route, a Caspian disruption the Middle Corridor, each by its severity; a price crash cuts the value of "
             "everything."))

outputs.table(summary, key="risk_summary", keys=("case",))
d1, d2 = st.columns(2)
with d1:
    outputs.download_csv(summary, _("Risk summary"), "risk-summary")
with d2:
    outputs.download_csv(draws, _("Every draw"), "risk-draws")
st.caption(fill(N_("Seed {seed}, {draws} draws: the same inputs give the same draws on any machine."),
                seed=str(int(seed)), draws=formats.number(int(n_draws))))
