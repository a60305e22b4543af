"""Altair charts for the trade-offs and risk pages: each a function of DataFrames."""
from __future__ import annotations

import altair as alt
import pandas as pd

from analytics.present.charts.words import heading
from analytics.present.display.names import data_name
from analytics.present.i18n import N_, _

CASES = (N_("Status quo"), N_("Without the plan"), N_("Scenario plan"))
HERE = "#ff7f0e"


def _case_colours() -> alt.Scale:
    return alt.Scale(domain=[_(c) for c in CASES], range=["#d62728", "#d62728", "#1f77b4"])


def _cases(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its 'case' (and 'mineral') values in the reader's language."""
    df = df.copy()
    if "case" in df.columns:
        df["case"] = df.case.map(_)
    if "mineral" in df.columns:
        df["mineral"] = df.mineral.map(data_name)
    return df


def timeline_chart(overall: pd.DataFrame) -> alt.Chart:
    """Dependence by target year, plan vs status quo (timeline.Timeline.overall)."""
    return (
        alt.Chart(_cases(overall), title=heading(_("How fast can dependence fall, year by year?"))).mark_line(point=True)
        .encode(x=alt.X("year:O", title=_("Target year"), axis=alt.Axis(labelAngle=0)),
                y=alt.Y("dependence_pct:Q", title=_("Dependence (%)"), scale=alt.Scale(domain=[0, 100])),
                color=alt.Color("case:N", title=None, scale=_case_colours(),
                                legend=alt.Legend(orient="top", labelLimit=220)),
                tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("case:N", title=_("Case")),
                         alt.Tooltip("dependence_pct:Q", format=".1f", title=_("Dependence (%)")),
                         alt.Tooltip("financing_musd:Q", format=",.0f", title=_("Financing (M USD)"))])
        .properties(height=260)
    )


def timeline_mineral_chart(by_mineral: pd.DataFrame) -> alt.Chart:
    """Dependence by target year per mineral: the plan as solid lines, the status quo dashed."""
    return (
        alt.Chart(_cases(by_mineral), title=heading(_("How fast can each mineral's dependence fall?"))).mark_line(point=True)
        .encode(x=alt.X("year:O", title=_("Target year"), axis=alt.Axis(labelAngle=0)),
                y=alt.Y("dependence_pct:Q", title=_("Dependence (%)"), scale=alt.Scale(domain=[0, 100])),
                color=alt.Color("mineral:N", title=_("Mineral"), legend=alt.Legend(labelLimit=220, columns=2)),
                strokeDash=alt.StrokeDash("case:N", title=None, scale=alt.Scale(
                    domain=[_("Scenario plan"), _("Without the plan")], range=[[1, 0], [4, 3]]),
                    legend=alt.Legend(labelLimit=220)),
                tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("mineral:N", title=_("Mineral")),
                         alt.Tooltip("case:N", title=_("Case")),
                         alt.Tooltip("dependence_pct:Q", format=".1f", title=_("Dependence (%)"))])
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
        .encode(x=alt.X("money_musd:Q", title=_("Least money needed (M USD: financing + a year's offtake)")),
                y=alt.Y("target_pct:Q", title=_("Dependence at most (%)"), scale=alt.Scale(zero=False)),
                order="target_pct:Q",
                tooltip=[alt.Tooltip("target_pct:Q", format=".2f", title=_("Target (%)")),
                         alt.Tooltip("money_musd:Q", format=",.0f", title=_("Money (M USD)")),
                         alt.Tooltip("financing_musd:Q", format=",.0f", title=_("Of which financing (M USD)")),
                         alt.Tooltip("dependence_pct:Q", format=".2f", title=_("Plan's dependence (%)"))])
    )
    title = heading(_("How much money does each level of dependence take?"))
    if current_money_musd is None or current_dependence_pct is None:
        return alt.layer(line).properties(height=320, title=title)
    here = pd.DataFrame({"money_musd": [current_money_musd], "target_pct": [current_dependence_pct],
                         "label": [_("this scenario")]})
    point = (alt.Chart(here).mark_point(shape="diamond", size=180, color=HERE, filled=True)
             .encode(x="money_musd:Q", y="target_pct:Q",
                     tooltip=[alt.Tooltip("label:N", title=_("Point")),
                              alt.Tooltip("money_musd:Q", format=",.0f", title=_("Money (M USD)")),
                              alt.Tooltip("target_pct:Q", format=".2f", title=_("Dependence (%)"))]))
    text = (alt.Chart(here).mark_text(dx=-10, dy=-10, align="right", color=HERE)
            .encode(x="money_musd:Q", y="target_pct:Q", text="label"))
    return (line + point + text).properties(height=320, title=title)


def sweep_chart(sweep: pd.DataFrame) -> alt.Chart:
    """Lowest dependence against the total partner budget (all budgets scaled together)."""
    return (
        alt.Chart(sweep, title=heading(_("What do bigger budgets buy?"))).mark_line(point=True)
        .encode(x=alt.X("budget_musd:Q", title=_("Total partner budget (M USD)")),
                y=alt.Y("dependence_pct:Q", title=_("Dependence (%)"), scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip("budget_factor:Q", format=".2f", title=_("x the scenario's budgets")),
                         alt.Tooltip("budget_musd:Q", format=",.0f", title=_("Budget (M USD)")),
                         alt.Tooltip("financing_used_musd:Q", format=",.0f", title=_("Used (M USD)")),
                         alt.Tooltip("dependence_pct:Q", format=".2f", title=_("Dependence (%)"))])
        .properties(height=260)
    )


def tornado_chart(tornado: pd.DataFrame) -> alt.TopLevelMixin:
    """Bars from the base dependence to the dependence at each input's low and high value,
    widest swing on top."""
    tornado = tornado.assign(input=tornado.input.map(_), unit=tornado.unit.map(_))
    order = list(tornado.input)
    low_word, high_word = _("low"), _("high")
    low = tornado.assign(end=low_word, value=tornado.low_value, dependence_pct=tornado.dependence_at_low_pct)
    high = tornado.assign(end=high_word, value=tornado.high_value, dependence_pct=tornado.dependence_at_high_pct)
    df = pd.concat([low, high], ignore_index=True)[["input", "unit", "end", "value", "dependence_pct",
                                                     "dependence_base_pct"]]
    bars = (alt.Chart(df).mark_bar()
            .encode(y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
                    x=alt.X("dependence_pct:Q", title=_("Lowest dependence (%)"), scale=alt.Scale(zero=False)),
                    x2=alt.X2("dependence_base_pct:Q"),
                    color=alt.Color("end:N", title=_("Input at"), scale=alt.Scale(domain=[low_word, high_word],
                                                                                  range=["#9ecae1", "#3182bd"]),
                                    legend=alt.Legend(orient="top")),
                    tooltip=[alt.Tooltip("input:N", title=_("Input")), alt.Tooltip("end:N", title=_("Input at")),
                             alt.Tooltip("value:Q", format=",g", title=_("Value")), alt.Tooltip("unit:N", title=_("Unit")),
                             alt.Tooltip("dependence_pct:Q", format=".2f", title=_("Dependence (%)"))]))
    base = (alt.Chart(tornado.head(1)).mark_rule(color="black")
            .encode(x="dependence_base_pct:Q",
                    tooltip=[alt.Tooltip("dependence_base_pct:Q", format=".2f", title=_("This scenario (%)"))]))
    return (bars + base).properties(height=alt.Step(22), title=heading(_("Which inputs move dependence most?")))


def risk_chart(histogram: pd.DataFrame, summary: pd.DataFrame) -> alt.TopLevelMixin:
    """Distribution of secure supply (risk.histogram), one panel per case (the plan above, the same year
    without it below, on one shared axis, so the two never blur into one colour), each with its expected
    value (solid rule) and 5th percentile (dashed rule) (risk.summary)."""
    hist_df, summary = _cases(histogram), _cases(summary)
    stats = summary.melt(id_vars="case", value_vars=["expected_musd", "p5_musd"], var_name="stat")
    expected, p5 = _("expected"), _("5th percentile")
    stats["stat"] = stats.stat.map({"expected_musd": expected, "p5_musd": p5})
    x_scale = alt.Scale(domain=[float(histogram.bin_start_musd.min()), float(histogram.bin_end_musd.max())]
                        if len(histogram) else alt.Undefined)
    panels = []
    order = [c for c in (_("Scenario plan"), _("Without the plan"), _("Status quo")) if c in set(hist_df.case)]
    for case in order:
        hist = (alt.Chart(hist_df[hist_df.case == case]).mark_bar(binSpacing=0)
                .encode(x=alt.X("bin_start_musd:Q", bin="binned", title=_("Secure supply (M USD/yr)"), scale=x_scale),
                        x2="bin_end_musd:Q",
                        y=alt.Y("draws:Q", title=_("Draws")),
                        color=alt.Color("case:N", title=None, scale=_case_colours(),
                                        legend=alt.Legend(orient="top", labelLimit=220)),
                        tooltip=[alt.Tooltip("case:N", title=_("Case")),
                                 alt.Tooltip("bin_start_musd:Q", format=",.0f", title=_("From (M USD/yr)")),
                                 alt.Tooltip("bin_end_musd:Q", format=",.0f", title=_("To (M USD/yr)")),
                                 alt.Tooltip("draws:Q", title=_("Draws"))]))
        rules = (alt.Chart(stats[stats.case == case]).mark_rule(strokeWidth=2, color="black")
                 .encode(x=alt.X("value:Q", scale=x_scale),
                         strokeDash=alt.StrokeDash("stat:N", title=None, scale=alt.Scale(
                             domain=[expected, p5], range=[[1, 0], [5, 3]]), legend=alt.Legend(orient="top")),
                         tooltip=[alt.Tooltip("case:N", title=_("Case")), alt.Tooltip("stat:N", title=_("Figure")),
                                  alt.Tooltip("value:Q", format=",.0f", title=_("M USD/yr"))]))
        panels.append((hist + rules).properties(height=150, width="container", title=case))
    if not panels:
        return alt.layer(alt.Chart(hist_df).mark_bar()).properties(height=150)
    return (alt.vconcat(*panels, title=heading(_("How much secure supply survives disruptions, with and without the plan?")))
            .resolve_scale(x="shared", color="shared", strokeDash="shared"))
