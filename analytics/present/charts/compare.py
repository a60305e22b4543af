"""Altair charts of a scenario comparison: each a function of a DataFrame from analytics/compare.py."""
from __future__ import annotations

import altair as alt
import pandas as pd

TODAY_COLOUR = "#999999"
# One clearly different colour per scenario (red is kept for China elsewhere in the app).
SCENARIO_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf")


def _colours(order: list[str]) -> alt.Scale:
    return alt.Scale(domain=order, range=list(SCENARIO_COLOURS[: max(1, len(order))]))


def dependence_by_mineral_chart(long: pd.DataFrame) -> alt.Chart:
    """Each scenario's planned dependence per mineral as coloured points on one axis, overlaid, with
    today's dependence as a grey tick.

    `long` has columns scenario, mineral_id, mineral, case ('today' / 'plan'), dependence_pct
    (compare.dependence_by_mineral).
    """
    today = long[long.case == "today"].drop_duplicates(["mineral_id", "dependence_pct"])
    plan = long[long.case == "plan"]
    order = list(dict.fromkeys(long.scenario))
    y = alt.Y("mineral:N", title=None, sort=sorted(long.mineral.dropna().unique()))
    x = alt.X("dependence_pct:Q", title="Dependence on China (%)", scale=alt.Scale(domain=[0, 100]))
    ticks = alt.Chart(today).mark_tick(color=TODAY_COLOUR, thickness=2, size=14).encode(
        y=y, x=x, tooltip=["mineral", alt.Tooltip("dependence_pct:Q", format=".1f", title="today %")])
    # hollow shapes, one per scenario, so equal values stay visible on top of each other
    points = alt.Chart(plan).mark_point(filled=False, size=110, strokeWidth=2, opacity=0.9).encode(
        y=y, x=x,
        color=alt.Color("scenario:N", title="Plan (points); grey tick = today", scale=_colours(order),
                        legend=alt.Legend(orient="top", direction="horizontal", labelLimit=320)),
        shape=alt.Shape("scenario:N", sort=order, legend=None),
        tooltip=["scenario", "mineral", alt.Tooltip("dependence_pct:Q", format=".1f", title="plan %")])
    return (ticks + points).properties(height=alt.Step(22))


def headline_chart(summary: pd.DataFrame) -> alt.Chart:
    """Dumbbell per scenario: overall dependence today (grey) to the plan (coloured).

    `summary` has columns scenario, dependence_before_pct, dependence_after_pct, financing_used_musd
    (compare.summary).
    """
    df = summary.copy()
    order = list(df.scenario)
    y = alt.Y("scenario:N", title=None, sort=order)
    scale = alt.Scale(domain=[0, 100])
    base = alt.Chart(df)
    rule = base.mark_rule(color="#bbbbbb", strokeWidth=2).encode(
        y=y, x=alt.X("dependence_before_pct:Q", scale=scale), x2="dependence_after_pct:Q")
    today = base.mark_point(filled=True, size=110, color=TODAY_COLOUR).encode(
        y=y, x=alt.X("dependence_before_pct:Q", title="Dependence on China (%)", scale=scale),
        tooltip=["scenario", alt.Tooltip("dependence_before_pct:Q", format=".1f", title="today %")])
    plan = base.mark_point(filled=True, size=140).encode(
        y=y, x=alt.X("dependence_after_pct:Q", scale=scale),
        color=alt.Color("scenario:N", scale=_colours(order), legend=None),
        tooltip=["scenario", alt.Tooltip("dependence_after_pct:Q", format=".1f", title="plan %"),
                 alt.Tooltip("financing_used_musd:Q", format=",.0f", title="financing used, M USD")])
    return (rule + today + plan).properties(height=alt.Step(32))
