"""Trade-offs: the financing-vs-dependence frontier, budget sweep, tornado, dependence by year."""
import streamlit as st

from analytics import model
from analytics.analyses import budget, timeline, tradeoffs
from analytics.model.scenario import OBJECTIVES, Scenario
from analytics.present.charts import insight as insight_charts
from analytics.present.display import formats, notices
from analytics.present.i18n import N_, _, fill
from analytics.present.text import md_escape
from pages import common, outputs

scenario = common.current_scenario()
common.draw_scenario_sidebar()


# Each analysis is cached on (scenario, data); inside, solves go through common.cached_solve, so the
# analyses share their solves with each other and with the other pages. All four share one work
# budget per run (_work, not hashed); an answer the budget cut short is shown but not cached.
@st.cache_data(show_spinner=False, max_entries=64)
def _frontier(s: Scenario, data_key: str, _work: budget.WorkBudget):
    return common.budgeted(tradeoffs.frontier, _work, common.session_data(), s, solve=common.cached_solve)


@st.cache_data(show_spinner=False, max_entries=64)
def _sweep(s: Scenario, data_key: str, _work: budget.WorkBudget):
    return common.budgeted(tradeoffs.budget_sweep, _work, common.session_data(), s, solve=common.cached_solve)


@st.cache_data(show_spinner=False, max_entries=64)
def _tornado(s: Scenario, data_key: str, _work: budget.WorkBudget):
    return common.budgeted(tradeoffs.tornado, _work, common.session_data(), s, solve=common.cached_solve)


@st.cache_data(show_spinner=False, max_entries=64)
def _timeline(s: Scenario, data_key: str, _work: budget.WorkBudget):
    return common.budgeted(timeline.dependence_by_year, _work, common.session_data(), s, solve=common.cached_solve)


st.title(_("Trade-offs"))
st.caption(_("How much does lower dependence cost, which inputs matter most, and how fast can it fall? "
             "Every figure here re-optimises the plan for the scenario in the sidebar."))

result = common.solve(scenario)
if result.status is model.Status.ERROR:
    st.error(fill(N_("This scenario cannot be solved: {reason}."), reason=md_escape(notices.translate(result.message))),
             icon=":material/block:")
    common.stop_page()

key = common.data_key()
work, notes = budget.affordable(scenario)  # whole projects: the analyses use partial builds
spend = budget.WorkBudget(budget.ANALYSES_SECONDS)
bar = st.progress(0.0, text=_("Tracing the financing frontier..."))
frontier, n_frontier = common.cut_short_ok(_frontier, work, key, spend)
bar.progress(0.3, text=_("Sweeping budgets..."))
sweep, n_sweep = common.cut_short_ok(_sweep, work, key, spend)
bar.progress(0.45, text=_("Varying each input (tornado)..."))
tornado, n_tornado = common.cut_short_ok(_tornado, work, key, spend)
bar.progress(0.8, text=_("Solving year by year..."))
years, n_years = common.cut_short_ok(_timeline, work, key, spend)
bar.empty()
for note in (*notes, *n_frontier, *n_sweep, *n_tornado, *n_years):
    st.info(md_escape(notices.translate(note)), icon=":material/timer:")

st.subheader(_("Least money to reach each level of dependence"))
reachable = frontier[frontier.feasible.astype(bool)]
if reachable.empty and n_frontier:
    st.write(_("The frontier could not be traced this time (see the note above); reload the page to try again."))
elif reachable.empty:
    st.warning(_("No plan satisfies this scenario's limits even without a dependence target, so there is no "
                 "frontier to draw. The Scenario explorer says which limits conflict."))
else:
    here = ((result.financing_used_musd + result.spending_musd, result.dependence_after_pct) if result.ok
            else (None, None))
    st.altair_chart(insight_charts.frontier_chart(frontier, *here), width="stretch")
    first, free = reachable.iloc[0], reachable[reachable.money_musd <= 1e-6]
    text = fill(N_("The lowest dependence these budgets and limits allow is **{pct}**, for at least **{money}** of "
                   "partner financing and **{money_yr}** of offtake money."),
                pct=formats.pct(first.target_pct), money=formats.musd(first.financing_musd),
                money_yr=formats.musd_yr(first.spending_musd))
    if not free.empty:
        text += " " + fill(N_("Without any partner money, **{pct}** is reachable."), pct=formats.pct(free.target_pct.min()))
    st.markdown(text)
    st.caption(_("Each point: the least partner money (financing plus a year's offtake spending), within the sidebar's "
                 "budgets, that keeps dependence at or below the target (the least-money objective with that "
                 "target). Below and left of the curve is out of reach.") + " "
               + (_("The diamond is this scenario's plan.") if result.ok
                  else _("This scenario has no feasible plan, so none is marked.")))
    outputs.download_csv(frontier, _("Frontier"), "frontier")

left, right = st.columns(2)
with left:
    st.subheader(_("Budget sweep"))
    st.altair_chart(insight_charts.sweep_chart(sweep), width="stretch")
    st.caption(_("The lowest dependence with every partner budget scaled together, from none to twice the "
                 "sidebar's (a budget stops at its slider's maximum)."))
    outputs.download_csv(sweep, _("Budget sweep"), "budget-sweep")
with right:
    st.subheader(_("Dependence by year"))
    st.altair_chart(insight_charts.timeline_chart(years.overall), width="stretch")
    note = ("" if scenario.objective == "min_dependence"
            else " " + fill(N_("The plan follows this scenario's objective ({objective})."),
                            objective=_(OBJECTIVES[scenario.objective]).lower()))
    if not years.overall.feasible.all():
        note += " " + _("Years with no feasible plan are left out.")
    st.caption(_("The best plan when each year is the target: a project adds output only once its lead time "
                 "allows. The status quo is today's flows.") + note)
    outputs.download_csv(years.overall, _("Dependence by year"), "timeline")
with st.expander(_("Dependence by year, per mineral")):
    st.altair_chart(insight_charts.timeline_mineral_chart(years.by_mineral), width="stretch")
    outputs.download_csv(years.by_mineral, _("Dependence by year and mineral"), "timeline-by-mineral")

st.subheader(_("What moves dependence most (tornado)"))
if tornado.dependence_base_pct.isna().all() and n_tornado:
    st.write(_("The tornado could not be computed this time (see the note above); reload the page to try again."))
elif tornado.dependence_base_pct.isna().all():
    st.warning(_("This scenario has no feasible plan, so there is no base to vary inputs around."))
else:
    st.altair_chart(insight_charts.tornado_chart(tornado), width="stretch")
    st.caption(_("The lowest dependence with one input at half and at one and a half times its value (years: "
                 "three either side; an input at zero: up to a quarter of its range), the others held. The black "
                 "line is this scenario."))
    outputs.download_csv(tornado, _("Tornado"), "tornado")
