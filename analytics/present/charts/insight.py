"""Altair charts for the trade-offs and risk pages: each a function of DataFrames."""
from __future__ import annotations

import altair as alt
import pandas as pd

CASE_COLOURS = alt.Scale(domain=["Status quo", "Without the plan", "Scenario plan"],
                         range=["#d62728", "#d62728", "#1f77b4"])
HERE = "#ff7f0e"


def timeline_chart(overall: pd.DataFrame) -> alt.Chart:
    """Dependence by target year, plan vs status quo (timeline.Timeline.overall)."""
    return (
        alt.Chart(overall).mark_line(point=True)
        .encode(x=alt.X("year:O", title="Target year"),
                y=alt.Y("dependence_pct:Q", title="Dependence (%)", scale=alt.Scale(domain=[0, 100])),
                color=alt.Color("case:N", title=None, scale=CASE_COLOURS),
                tooltip=["year", "case", alt.Tooltip("dependence_pct:Q", format=".1f", title="dependence (%)"),
                         alt.Tooltip("financing_musd:Q", format=",.0f", title="financing (M USD)")])
        .properties(height=260)
    )


def timeline_mineral_chart(by_mineral: pd.DataFrame) -> alt.Chart:
    """Dependence by target year per mineral: the plan as solid lines, the status quo dashed."""
    return (
        alt.Chart(by_mineral).mark_line(point=True)
        .encode(x=alt.X("year:O", title="Target year"),
                y=alt.Y("dependence_pct:Q", title="Dependence (%)", scale=alt.Scale(domain=[0, 100])),
                color=alt.Color("mineral:N", title="Mineral"),
                strokeDash=alt.StrokeDash("case:N", title=None, scale=alt.Scale(
                    domain=["Scenario plan", "Without the plan"], range=[[1, 0], [4, 3]])),
                tooltip=["year", "mineral", "case",
                         alt.Tooltip("dependence_pct:Q", format=".1f", title="dependence (%)")])
        .properties(height=300)
    )


def frontier_chart(frontier: pd.DataFrame, current_money_musd: float | None,
                   current_dependence_pct: float | None) -> alt.TopLevelMixin:
    """Least partner money (x: financing plus a year's offtake spending) to keep dependence at or
    below each target (y); this scenario's plan as a marked point. Points up and to the right of the
    curve are reachable, below-left are not. Targets above the first one reachable with no money
    are left off the chart."""
    ok = frontier[frontier.feasible.astype(bool)]
    free = ok[ok.money_musd <= 1e-6]
    if len(free) > 1:  # above the first target reachable without money the curve is just x = 0: drop it
        ok = ok[ok.target_pct <= free.target_pct.min()]
    line = (
        alt.Chart(ok).mark_line(point=True)
        .encode(x=alt.X("money_musd:Q", title="Least money needed (M USD: financing + a year's offtake)"),
                y=alt.Y("target_pct:Q", title="Dependence at most (%)", scale=alt.Scale(zero=False)),
                order="target_pct:Q",
                tooltip=[alt.Tooltip("target_pct:Q", format=".2f", title="target (%)"),
                         alt.Tooltip("money_musd:Q", format=",.0f", title="money (M USD)"),
                         alt.Tooltip("financing_musd:Q", format=",.0f", title="of which financing (M USD)"),
                         alt.Tooltip("dependence_pct:Q", format=".2f", title="plan's dependence (%)")])
    )
    if current_money_musd is None or current_dependence_pct is None:
        return alt.layer(line).properties(height=320)
    here = pd.DataFrame({"money_musd": [current_money_musd], "target_pct": [current_dependence_pct],
                         "label": ["this scenario"]})
    point = (alt.Chart(here).mark_point(shape="diamond", size=180, color=HERE, filled=True)
             .encode(x="money_musd:Q", y="target_pct:Q",
                     tooltip=["label", alt.Tooltip("money_musd:Q", format=",.0f", title="money (M USD)"),
                              alt.Tooltip("target_pct:Q", format=".2f", title="dependence (%)")]))
    text = (alt.Chart(here).mark_text(dx=-10, dy=-10, align="right", color=HERE)
            .encode(x="money_musd:Q", y="target_pct:Q", text="label"))
    return (line + point + text).properties(height=320)


def sweep_chart(sweep: pd.DataFrame) -> alt.Chart:
    """Lowest dependence against the total partner budget (all budgets scaled together)."""
    return (
        alt.Chart(sweep).mark_line(point=True)
        .encode(x=alt.X("budget_musd:Q", title="Total partner budget (M USD)"),
                y=alt.Y("dependence_pct:Q", title="Dependence (%)", scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip("budget_factor:Q", format=".2f", title="x the scenario's budgets"),
                         alt.Tooltip("budget_musd:Q", format=",.0f", title="budget (M USD)"),
                         alt.Tooltip("financing_used_musd:Q", format=",.0f", title="used (M USD)"),
                         alt.Tooltip("dependence_pct:Q", format=".2f", title="dependence (%)")])
        .properties(height=260)
    )


def tornado_chart(tornado: pd.DataFrame) -> alt.TopLevelMixin:
    """Bars from the base dependence to the dependence at each input's low and high value,
    widest swing on top."""
    order = list(tornado.input)
    low = tornado.assign(end="low", value=tornado.low_value, dependence_pct=tornado.dependence_at_low_pct)
    high = tornado.assign(end="high", value=tornado.high_value, dependence_pct=tornado.dependence_at_high_pct)
    df = pd.concat([low, high], ignore_index=True)[["input", "unit", "end", "value", "dependence_pct",
                                                     "dependence_base_pct"]]
    bars = (alt.Chart(df).mark_bar()
            .encode(y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
                    x=alt.X("dependence_pct:Q", title="Lowest dependence on China (%)", scale=alt.Scale(zero=False)),
                    x2=alt.X2("dependence_base_pct:Q"),
                    color=alt.Color("end:N", title="Input at", scale=alt.Scale(domain=["low", "high"],
                                                                               range=["#9ecae1", "#3182bd"])),
                    tooltip=["input", "end", alt.Tooltip("value:Q", format=",g", title="value"), "unit",
                             alt.Tooltip("dependence_pct:Q", format=".2f", title="dependence (%)")]))
    base = (alt.Chart(tornado.head(1)).mark_rule(color="black")
            .encode(x="dependence_base_pct:Q",
                    tooltip=[alt.Tooltip("dependence_base_pct:Q", format=".2f", title="this scenario (%)")]))
    return (bars + base).properties(height=alt.Step(22))


def risk_chart(histogram: pd.DataFrame, summary: pd.DataFrame) -> alt.TopLevelMixin:
    """Distribution of secure supply (risk.histogram) for plan vs status quo, with the expected
    value (solid rule) and the 5th percentile (dashed rule) of each (risk.summary)."""
    hist = (alt.Chart(histogram).mark_bar(opacity=0.55, binSpacing=0)
            .encode(x=alt.X("bin_start_musd:Q", bin="binned", title="Secure supply (M USD/yr)"),
                    x2="bin_end_musd:Q",
                    y=alt.Y("draws:Q", stack=None, title="Draws"),
                    color=alt.Color("case:N", title=None, scale=CASE_COLOURS),
                    tooltip=["case", alt.Tooltip("bin_start_musd:Q", format=",.0f", title="from (M USD/yr)"),
                             alt.Tooltip("bin_end_musd:Q", format=",.0f", title="to (M USD/yr)"), "draws"]))
    stats = summary.melt(id_vars="case", value_vars=["expected_musd", "p5_musd"], var_name="stat")
    stats["stat"] = stats.stat.map({"expected_musd": "expected", "p5_musd": "5th percentile"})
    rules = (alt.Chart(stats).mark_rule(strokeWidth=2)
             .encode(x="value:Q", color=alt.Color("case:N", title=None, scale=CASE_COLOURS),
                     strokeDash=alt.StrokeDash("stat:N", title=None, scale=alt.Scale(
                         domain=["expected", "5th percentile"], range=[[1, 0], [5, 3]])),
                     tooltip=["case", "stat", alt.Tooltip("value:Q", format=",.0f", title="M USD/yr")]))
    return (hist + rules).properties(height=300)
