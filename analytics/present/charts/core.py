"""Altair charts: each a function of a DataFrame, testable without Streamlit."""
from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import cast

import altair as alt
import pandas as pd

DESTINATION_COLOURS = {
    "China": "#d62728", "Russia": "#9467bd", "Kazakhstan (domestic)": "#2ca02c", "Allied": "#1f77b4",
}
ORIGIN_COLOURS = {
    "Chinese": "#d62728", "Russian": "#9467bd", "Kazakh state": "#2ca02c", "Kazakh private": "#98df8a",
    "Western": "#1f77b4", "Japanese / Korean": "#17becf", "Other": "#7f7f7f", "Not published": "#c7c7c7",
}


def spec(layout: Callable[..., alt.TopLevelMixin], datasets: dict[str, pd.DataFrame], *args: Hashable) -> dict:
    """The Vega-Lite spec of layout(alt.Data(name) for each dataset, *args) with these rows in it.

    A chart's structure depends on its columns and options, not on its rows: the spec is built with
    Altair once per layout and options (a few tens of ms of Altair's validation), and every later call
    only copies it and puts the rows in (well under a millisecond). Streamlit draws it with
    st.vega_lite_chart, which sends the named datasets as Arrow.
    """
    return {**copy.deepcopy(_template(layout, tuple(datasets), args)), "datasets": dict(datasets)}


@lru_cache(maxsize=64)
def _template(layout: Callable[..., alt.TopLevelMixin], names: tuple[str, ...], args: tuple) -> dict:
    d = layout(*(alt.Data(name=n) for n in names), *args).to_dict()
    d.pop("datasets", None)
    if d.get("config") == _DEFAULT_THEME_CONFIG:  # Altair's default theme: Streamlit draws without it
        del d["config"]
    return d


_DEFAULT_THEME_CONFIG = {"view": {"continuousWidth": 300, "continuousHeight": 300}}


def _offtake_data(offtake: pd.DataFrame, mineral_names: dict[str, str] | None = None) -> pd.DataFrame:
    from analytics.model import DESTINATION_LABELS

    df = offtake.copy()
    df["destination"] = df.destination.map(DESTINATION_LABELS)
    df["mineral"] = df.mineral_id.map(mineral_names or {}).fillna(df.mineral_id)
    df["case"] = df.case.map({"before": "Today (status quo)", "after": "Scenario plan"})
    return df


def _offtake_layout(data) -> alt.FacetChart:
    colours = alt.Scale(domain=list(DESTINATION_COLOURS), range=list(DESTINATION_COLOURS.values()))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("share_pct:Q", title="Share of output (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("mineral:N", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=170)),
            color=alt.Color("destination:N", title="Processed in", scale=colours),
            order=alt.Order("destination:N"),
            tooltip=["case:N", "mineral:N", "destination:N",
                     alt.Tooltip("tpy:Q", title="t/yr", format=",.0f"),
                     alt.Tooltip("share_pct:Q", title="share %", format=".1f")],
        )
        .properties(width=320, height=alt.Step(20))
        .facet(column=alt.Column("case:N", title=None, sort=["Today (status quo)", "Scenario plan"]))
    )


def offtake_chart(offtake: pd.DataFrame, mineral_names: dict[str, str] | None = None) -> alt.FacetChart:
    """Stacked share of each mineral's output by processing destination, before vs after.

    `offtake` has columns case, mineral_id, destination, tpy, share_pct.
    """
    return _offtake_layout(_offtake_data(offtake, mineral_names))


def offtake_spec(offtake: pd.DataFrame, mineral_names: dict[str, str] | None = None) -> dict:
    """offtake_chart as a Vega-Lite spec (see spec())."""
    return spec(_offtake_layout, {"table": _offtake_data(offtake, mineral_names)})


def _dependence_data(by_mineral: pd.DataFrame) -> pd.DataFrame:
    df = by_mineral.melt(id_vars=["mineral_id", "mineral"],
                         value_vars=["dependence_before_pct", "dependence_after_pct"],
                         var_name="case", value_name="dependence_pct").dropna()
    df["case"] = df.case.map({"dependence_before_pct": "Today", "dependence_after_pct": "Scenario plan"})
    return df


def _dependence_layout(data) -> alt.LayerChart:
    base = alt.Chart(data).encode(y=alt.Y("mineral:N", title=None))
    rule = base.mark_rule(color="#999").encode(x="min(dependence_pct):Q", x2="max(dependence_pct):Q")
    dots = base.mark_circle(size=90).encode(
        x=alt.X("dependence_pct:Q", title="Dependence on China and Russia (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("case:N", title=None, scale=alt.Scale(domain=["Today", "Scenario plan"],
                                                             range=["#d62728", "#1f77b4"])),
        tooltip=["mineral:N", "case:N", alt.Tooltip("dependence_pct:Q", format=".1f", title="dependence %")],
    )
    return (rule + dots).properties(height=alt.Step(22))


def dependence_chart(by_mineral: pd.DataFrame) -> alt.LayerChart:
    """Dumbbell of dependence per mineral: today vs the plan (percent)."""
    return _dependence_layout(_dependence_data(by_mineral))


def dependence_spec(by_mineral: pd.DataFrame) -> dict:
    """dependence_chart as a Vega-Lite spec (see spec())."""
    return spec(_dependence_layout, {"table": _dependence_data(by_mineral)})


def _project_map_layout(outline, projects, colour_by: str = "owner_origin", with_outline: bool = True
                        ) -> alt.LayerChart:
    layers = []
    if with_outline:
        layers.append(
            alt.Chart(outline).mark_line(color="#888", strokeWidth=1)
            .encode(longitude="lon:Q", latitude="lat:Q", order="order:Q", detail="ring:N"))
    scale = (alt.Scale(domain=list(ORIGIN_COLOURS), range=list(ORIGIN_COLOURS.values()))
             if colour_by == "owner_origin" else alt.Undefined)
    layers.append(
        alt.Chart(projects).mark_circle(opacity=0.85, stroke="white", strokeWidth=0.5)
        .encode(
            longitude="lon:Q", latitude="lat:Q",
            size=alt.Size("capacity_tpy:Q", legend=None, scale=alt.Scale(type="sqrt", range=[40, 400])),
            color=alt.Color(f"{colour_by}:N", scale=scale, title=colour_by.replace("_", " ")),
            tooltip=["name:N", "mineral_id:N", "stage:N", "operator:N", "owner_origin:N",
                     alt.Tooltip("output_tpy:Q", format=",.0f", title="output t/yr"),
                     alt.Tooltip("capacity_tpy:Q", format=",.0f", title="capacity t/yr")],
        ))
    return cast(alt.LayerChart, alt.layer(*layers).project(type="equirectangular").properties(height=380))


def project_map(projects: pd.DataFrame, outline: pd.DataFrame, colour_by: str = "owner_origin") -> alt.LayerChart:
    """Projects with a published location on a plain map of Kazakhstan (no tile server needed),
    coloured by a column (projects from analyses.projects.with_derived)."""
    return _project_map_layout(outline, projects.dropna(subset=["lat", "lon"]), colour_by, not outline.empty)


def project_map_spec(projects: pd.DataFrame, outline: pd.DataFrame, colour_by: str = "owner_origin") -> dict:
    """project_map as a Vega-Lite spec (see spec())."""
    return spec(_project_map_layout, {"outline": outline, "projects": projects.dropna(subset=["lat", "lon"])},
                colour_by, not outline.empty)


def _financing_layout(data) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("sum(amount_musd):Q", title="Financing (M USD)"),
            y=alt.Y("project:N", title=None, sort="-x"),
            color=alt.Color("financier:N", title="Financier"),
            tooltip=["project:N", "financier:N", alt.Tooltip("amount_musd:Q", title="M USD", format=",.1f")],
        )
        .properties(height=alt.Step(22))
    )


def financing_chart(financing: pd.DataFrame) -> alt.Chart:
    """Stacked bars: M USD per project, coloured by financier."""
    return _financing_layout(financing)


def financing_spec(financing: pd.DataFrame) -> dict:
    """financing_chart as a Vega-Lite spec (see spec())."""
    return spec(_financing_layout, {"table": financing})


def _utilisation_data(constraints: pd.DataFrame) -> pd.DataFrame:
    df = constraints[constraints.group.isin(["budget", "corridor", "offtake"]) & (constraints.limit > 0)].copy()
    df["used_pct"] = (100 * df.used / df.limit).clip(0, 100)
    df["state"] = df.binding.map({True: "binding", False: "slack"})
    return df


def _utilisation_layout(data) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("used_pct:Q", title="Used (% of limit)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("label:N", title=None, sort="-x"),
            color=alt.Color("state:N", title=None, scale=alt.Scale(domain=["binding", "slack"],
                                                                  range=["#d62728", "#9ecae1"])),
            tooltip=["label:N", alt.Tooltip("used:Q", format=",.1f"), alt.Tooltip("limit:Q", format=",.1f"),
                     "unit:N"],
        )
        .properties(height=alt.Step(20))
    )


def utilisation_chart(constraints: pd.DataFrame) -> alt.Chart:
    """How full each budget, corridor and offtake limit is (% of its limit), binding ones marked."""
    return _utilisation_layout(_utilisation_data(constraints))


def utilisation_spec(constraints: pd.DataFrame) -> dict:
    """utilisation_chart as a Vega-Lite spec (see spec())."""
    return spec(_utilisation_layout, {"table": _utilisation_data(constraints)})



WATERFALL_COLOURS = alt.Scale(domain=["total", "lower", "higher"], range=["#7f7f7f", "#2ca02c", "#d62728"])


def _waterfall_data(waterfall: pd.DataFrame) -> pd.DataFrame:
    df = waterfall.copy()
    df["order"] = range(len(df))
    df["lo"] = df[["start_pct", "end_pct"]].min(axis=1).where(df.kind == "change", 0.0)
    df["hi"] = df[["start_pct", "end_pct"]].max(axis=1)
    df["colour"] = ["total" if k == "total" else ("lower" if c < 0 else "higher")
                    for k, c in zip(df.kind, df.change_pts)]
    df["text"] = [f"{e:.1f} %" if k == "total" else f"{c:+.1f}" for k, c, e in zip(df.kind, df.change_pts, df.end_pct)]
    return df


def _waterfall_layout(data) -> alt.LayerChart:
    x = alt.X("step:N", sort=alt.SortField("order"), title=None,
              axis=alt.Axis(labelAngle=0, labelLimit=130, labelExpr="split(datum.label, ' ')"))
    bars = alt.Chart(data).mark_bar(size=34).encode(
        x=x, y=alt.Y("lo:Q", title="Dependence (%)", scale=alt.Scale(domain=[0, 100])), y2="hi:Q",
        color=alt.Color("colour:N", scale=WATERFALL_COLOURS, legend=None),
        tooltip=[alt.Tooltip("step:N", title="Step"), alt.Tooltip("change_pts:Q", title="Change (points)", format="+.2f"),
                 alt.Tooltip("end_pct:Q", title="Dependence after (%)", format=".1f")])
    labels = alt.Chart(data).mark_text(dy=-8, fontSize=11).encode(x=x, y="hi:Q", text="text:N")
    return (bars + labels).properties(height=300)


def waterfall_chart(waterfall: pd.DataFrame) -> alt.LayerChart:
    """Today -> without the plan -> each lever -> the plan (levers.waterfall): one bar per step,
    totals grey, changes green when they lower dependence, red when they raise it."""
    return _waterfall_layout(_waterfall_data(waterfall))


def waterfall_spec(waterfall: pd.DataFrame) -> dict:
    """waterfall_chart as a Vega-Lite spec (see spec())."""
    return spec(_waterfall_layout, {"table": _waterfall_data(waterfall)})
