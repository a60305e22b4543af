"""Charts of a sweep: which inputs drive dependence (Sobol' indices with intervals) and the spread of outcomes."""
from __future__ import annotations

import altair as alt
import pandas as pd

from analytics.present.charts.words import heading
from analytics.present.i18n import _


def _kinds() -> alt.Scale:
    return alt.Scale(domain=[_("First-order"), _("Total")], range=["#1f77b4", "#ff7f0e"])


def indices_chart(table: pd.DataFrame) -> alt.TopLevelMixin:
    """Sobol' first-order and total index per input (indices.Indices.table), each with its 95 % interval,
    inputs ordered by total index (first-order where there is none). Indices are shares of the variance of
    dependence: 0 = does not matter over its range, 1 = explains all of it."""
    table = table.assign(label=table.label.map(_))
    order_by = "ST" if table.ST.notna().any() else "S1"
    order = table.sort_values(order_by, ascending=False).label.tolist()
    long = pd.concat([
        pd.DataFrame({"label": table.label, "kind": _("First-order"), "value": table.S1, "conf": table.S1_conf}),
        pd.DataFrame({"label": table.label, "kind": _("Total"), "value": table.ST, "conf": table.ST_conf}),
    ], ignore_index=True).dropna(subset=["value"])
    long["lo"], long["hi"] = long.value - long.conf, long.value + long.conf
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(long).encode(y=y, yOffset=alt.YOffset("kind:N", sort=[_("First-order"), _("Total")]),
                                  color=alt.Color("kind:N", title=_("Sobol' index"), scale=_kinds(),
                                                  legend=alt.Legend(orient="top")))
    tooltip = [alt.Tooltip("label:N", title=_("Input")), alt.Tooltip("kind:N", title=_("Index")),
               alt.Tooltip("value:Q", format=".3f", title=_("Index value")),
               alt.Tooltip("lo:Q", format=".3f", title=_("95 % low")),
               alt.Tooltip("hi:Q", format=".3f", title=_("95 % high"))]
    # indices are shares (0-1); a small sweep's estimates and intervals can stray past them: drawn to the edge
    x = alt.X("value:Q", title=_("Share of the variance of dependence"),
              scale=alt.Scale(domain=[-0.2, 1.2], clamp=True))
    bars = base.mark_bar(opacity=0.75, clip=True).encode(x=x, tooltip=tooltip)
    errors = base.mark_rule(color="black", clip=True).encode(x="lo:Q", x2="hi:Q", tooltip=tooltip)
    return alt.layer(bars, errors).properties(height=max(160, 46 * len(order)),
                                              title=heading(_("Which inputs drive dependence, alone and together?")))


def outcomes_chart(hist: pd.DataFrame, today_pct: float | None = None, base_pct: float | None = None) -> alt.TopLevelMixin:
    """Histogram of dependence after the plan across the sweep (solve.histogram), with today's dependence and
    the base scenario's plan as rules where given."""
    bars = (alt.Chart(hist).mark_bar(color="#1f77b4")
            .encode(x=alt.X("lo:Q", bin="binned", title=_("Dependence, plan (%)")), x2="hi:Q",
                    y=alt.Y("scenarios:Q", title=_("Scenarios")),
                    tooltip=[alt.Tooltip("lo:Q", format=".1f", title=_("From (%)")),
                             alt.Tooltip("hi:Q", format=".1f", title=_("To (%)")),
                             alt.Tooltip("scenarios:Q", title=_("Scenarios")),
                             alt.Tooltip("share_pct:Q", format=".1f", title=_("Share (%)"))]))
    title = heading(_("How widely does the plan's dependence vary across the sweep?"))
    marks = pd.DataFrame([(v, name) for v, name in ((today_pct, _("today")), (base_pct, _("this scenario")))
                          if v is not None], columns=["x", "label"])
    if marks.empty:
        return alt.layer(bars).properties(height=260, title=title)
    rules = alt.Chart(marks).mark_rule(strokeDash=[4, 3], color="#d62728").encode(
        x="x:Q", tooltip=[alt.Tooltip("label:N", title=_("Mark")), alt.Tooltip("x:Q", format=".1f", title="%")])
    text = alt.Chart(marks).mark_text(align="left", dx=4, dy=-6, color="#d62728").encode(
        x="x:Q", y=alt.value(8), text="label:N")
    return alt.layer(bars, rules, text).properties(height=260, title=title)
