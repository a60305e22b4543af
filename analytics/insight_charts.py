"""Altair charts for the trade-offs and risk pages (functions of DataFrames)."""
from __future__ import annotations

import altair as alt
import pandas as pd

CASE_COLOURS = alt.Scale(domain=["Status quo", "Scenario plan"], range=["#d62728", "#1f77b4"])


def timeline_chart(timeline: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(timeline).mark_line(point=True)
        .encode(x=alt.X("year:O", title="Target year"),
                y=alt.Y("dependence_pct:Q", title="Dependence on China (%)", scale=alt.Scale(domain=[0, 100])),
                color=alt.Color("case:N", title=None, scale=CASE_COLOURS),
                tooltip=["year", "case", alt.Tooltip("dependence_pct:Q", format=".1f", title="dependence %")])
        .properties(height=260)
    )


def frontier_chart(frontier: pd.DataFrame, current_financing_musd: float, current_dependence_pct: float) -> alt.LayerChart:
    """Least financing to reach each dependence target; the current scenario as a marked point."""
    line = (
        alt.Chart(frontier[frontier.feasible]).mark_line(point=True, interpolate="step-after")
        .encode(x=alt.X("financing_musd:Q", title="Least financing needed (M USD)"),
                y=alt.Y("dependence_pct:Q", title="Dependence on China (%)"),
                tooltip=[alt.Tooltip("target_pct:Q", format=".1f", title="target %"),
                         alt.Tooltip("financing_musd:Q", format=",.0f", title="M USD")])
    )
    here = pd.DataFrame({"financing_musd": [current_financing_musd], "dependence_pct": [current_dependence_pct],
                         "label": ["this scenario"]})
    point = (alt.Chart(here).mark_point(shape="diamond", size=160, color="#ff7f0e", filled=True)
             .encode(x="financing_musd:Q", y="dependence_pct:Q", tooltip=["label"]))
    text = (alt.Chart(here).mark_text(dx=10, align="left", color="#ff7f0e")
            .encode(x="financing_musd:Q", y="dependence_pct:Q", text="label"))
    return (line + point + text).properties(height=300)


def sweep_chart(sweep: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(sweep).mark_line(point=True)
        .encode(x=alt.X("budget_musd:Q", title="Total partner budget (M USD)"),
                y=alt.Y("dependence_pct:Q", title="Dependence on China (%)"),
                tooltip=["budget_factor", alt.Tooltip("budget_musd:Q", format=",.0f"),
                         alt.Tooltip("dependence_pct:Q", format=".1f")])
        .properties(height=260)
    )


def tornado_chart(tornado: pd.DataFrame) -> alt.LayerChart:
    """Bars from dependence at each input's low value to its high value, widest swing on top."""
    order = list(tornado.input)
    low = tornado.assign(end="low", dependence_pct=tornado.dependence_at_low_pct)
    high = tornado.assign(end="high", dependence_pct=tornado.dependence_at_high_pct)
    df = pd.concat([low, high])
    bars = (alt.Chart(df).mark_bar()
            .encode(y=alt.Y("input:N", sort=order, title=None),
                    x=alt.X("dependence_pct:Q", title="Dependence on China (%)"),
                    x2=alt.X2("dependence_base_pct:Q"),
                    color=alt.Color("end:N", title="Input at", scale=alt.Scale(domain=["low", "high"],
                                                                               range=["#9ecae1", "#3182bd"])),
                    tooltip=["input", "end", "unit", alt.Tooltip("low_value:Q", format=",.0f"),
                             alt.Tooltip("high_value:Q", format=",.0f"),
                             alt.Tooltip("dependence_pct:Q", format=".2f")]))
    base = alt.Chart(tornado.head(1)).mark_rule(color="black").encode(x="dependence_base_pct:Q")
    return (bars + base).properties(height=alt.Step(22))


def risk_chart(draws: pd.DataFrame, summary: pd.DataFrame) -> alt.LayerChart:
    """Distribution of secure supply per draw, plan vs status quo, with expected and P5 rules."""
    df = draws.assign(case=draws.case.map({"before": "Status quo", "after": "Scenario plan"}))
    hist = (alt.Chart(df).mark_bar(opacity=0.55)
            .encode(x=alt.X("secure_musd:Q", bin=alt.Bin(maxbins=40), title="Secure supply (M USD/yr)"),
                    y=alt.Y("count():Q", stack=None, title="Draws"),
                    color=alt.Color("case:N", title=None, scale=CASE_COLOURS)))
    rules_df = summary.melt(id_vars="case", value_vars=["expected_musd", "p5_musd"], var_name="stat")
    rules = (alt.Chart(rules_df).mark_rule(strokeDash=[4, 3])
             .encode(x="value:Q", color=alt.Color("case:N", scale=CASE_COLOURS, legend=None),
                     tooltip=["case", "stat", alt.Tooltip("value:Q", format=",.0f")]))
    return (hist + rules).properties(height=300)
