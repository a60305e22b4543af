"""Altair charts of a scenario comparison: each a function of a DataFrame from analytics/compare.py."""
from __future__ import annotations

import altair as alt
import pandas as pd

from analytics.present.charts.words import heading
from analytics.present.display.names import data_name
from analytics.present.i18n import _

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
    long = long.assign(mineral=long.mineral.map(data_name))
    today = long[long.case == "today"].drop_duplicates(["mineral_id", "dependence_pct"])
    plan = long[long.case == "plan"]
    order = list(dict.fromkeys(long.scenario))
    y = alt.Y("mineral:N", title=None, sort=sorted(long.mineral.dropna().unique()))
    x = alt.X("dependence_pct:Q", title=_("Dependence (%)"), scale=alt.Scale(domain=[0, 100]))
    ticks = alt.Chart(today).mark_tick(color=TODAY_COLOUR, thickness=2, size=14).encode(
        y=y, x=x, tooltip=[alt.Tooltip("mineral:N", title=_("Mineral")),
                           alt.Tooltip("dependence_pct:Q", format=".1f", title=_("Today (%)"))])
    # hollow shapes, one per scenario, so equal values stay visible on top of each other
    points = alt.Chart(plan).mark_point(filled=False, size=110, strokeWidth=2, opacity=0.9).encode(
        y=y, x=x,
        color=alt.Color("scenario:N", title=_("Plan (points); grey tick = today"), scale=_colours(order),
                        legend=alt.Legend(orient="top", direction="vertical", labelLimit=0, titleLimit=0)),
        shape=alt.Shape("scenario:N", sort=order, legend=None),
        tooltip=[alt.Tooltip("scenario:N", title=_("Scenario")), alt.Tooltip("mineral:N", title=_("Mineral")),
                 alt.Tooltip("dependence_pct:Q", format=".1f", title=_("Plan (%)"))])
    return (ticks + points).properties(height=alt.Step(22),
                                       title=heading(_("How does each scenario change each mineral's dependence?")))


def headline_chart(summary: pd.DataFrame) -> alt.Chart:
    """Dumbbell per scenario: overall dependence today (grey) to the plan (coloured).

    `summary` has columns scenario, dependence_before_pct, dependence_after_pct, financing_used_musd
    (compare.summary).
    """
    df = summary.copy()
    order = list(df.scenario)
    y = alt.Y("scenario:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    scale = alt.Scale(domain=[0, 100])
    base = alt.Chart(df)
    rule = base.mark_rule(color="#bbbbbb", strokeWidth=2).encode(
        y=y, x=alt.X("dependence_before_pct:Q", scale=scale), x2="dependence_after_pct:Q")
    today = base.mark_point(filled=True, size=110, color=TODAY_COLOUR).encode(
        y=y, x=alt.X("dependence_before_pct:Q", title=_("Dependence (%)"), scale=scale),
        tooltip=[alt.Tooltip("scenario:N", title=_("Scenario")),
                 alt.Tooltip("dependence_before_pct:Q", format=".1f", title=_("Today (%)"))])
    plan = base.mark_point(filled=True, size=140).encode(
        y=y, x=alt.X("dependence_after_pct:Q", scale=scale),
        color=alt.Color("scenario:N", scale=_colours(order), legend=None),
        tooltip=[alt.Tooltip("scenario:N", title=_("Scenario")),
                 alt.Tooltip("dependence_after_pct:Q", format=".1f", title=_("Plan (%)")),
                 alt.Tooltip("financing_used_musd:Q", format=",.0f", title=_("Financing used (M USD)"))])
    return (rule + today + plan).properties(height=alt.Step(32),
                                            title=heading(_("How far does each scenario's plan lower dependence from today?")))
