"""Altair charts: each a function of a DataFrame, testable without Streamlit."""
from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import cast

import altair as alt
import pandas as pd

from analytics.present.charts.words import (  # noqa: F401
    CITIES,
    DESTINATION_COLOURS,
    ORIGIN_COLOURS,
    case_name,
    destination_colours,
    heading,
    locale_config,
    origin_colours,
    step_name,
    wrap,
)
from analytics.present.display import formats
from analytics.present.display.names import data_name, data_names, short
from analytics.present.i18n import N_, _, current, language


def spec(layout: Callable[..., alt.TopLevelMixin], datasets: dict[str, pd.DataFrame], *args: Hashable) -> dict:
    """The Vega-Lite spec of layout(alt.Data(name) for each dataset, *args) with these rows in it.

    A chart's structure depends on its columns and options, not on its rows: the spec is built with
    Altair once per layout and options (a few tens of ms of Altair's validation), and every later call
    only copies it and puts the rows in (well under a millisecond). Streamlit draws it with
    st.vega_lite_chart, which sends the named datasets as Arrow.
    """
    return {**copy.deepcopy(_template(layout, tuple(datasets), args, current())), "datasets": dict(datasets)}


@lru_cache(maxsize=128)
def _template(layout: Callable[..., alt.TopLevelMixin], names: tuple[str, ...], args: tuple, lang: str) -> dict:
    """One template per layout, options and language (titles, legends and scales are in the reader's words)."""
    with language(lang):
        d = layout(*(alt.Data(name=n) for n in names), *args).to_dict()
        d.pop("datasets", None)
        if d.get("config") == _DEFAULT_THEME_CONFIG:  # Altair's default theme: Streamlit draws without it
            del d["config"]
        if lang != "en":  # numbers and dates on axes written for the locale
            d["config"] = {**d.get("config", {}), "locale": locale_config()}
    return d


_DEFAULT_THEME_CONFIG = {"view": {"continuousWidth": 300, "continuousHeight": 300}}


def _offtake_data(offtake: pd.DataFrame, mineral_names: dict[str, str] | None = None) -> pd.DataFrame:
    df = offtake.copy()
    df["destination"] = data_names(df.destination)
    df["mineral"] = data_names(df.mineral_id.map(mineral_names or {}).fillna(df.mineral_id))
    df["case"] = df.case.map({c: case_name(c) for c in df.case.unique()})
    return df


def _offtake_layout(data) -> alt.FacetChart:
    colours = destination_colours()
    cases = [case_name("before"), case_name("after")]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("share_pct:Q", title=_("Share of output (%)"), scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("mineral:N", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=220)),
            color=alt.Color("destination:N", title=_("Processed in"), scale=colours,
                            legend=alt.Legend(orient="bottom", direction="horizontal", labelLimit=260)),
            order=alt.Order("destination:N"),
            tooltip=[alt.Tooltip("case:N", title=_("Case")), alt.Tooltip("mineral:N", title=_("Mineral")),
                     alt.Tooltip("destination:N", title=_("Processed in")),
                     alt.Tooltip("tpy:Q", title=_("t/yr"), format=",.0f"),
                     alt.Tooltip("share_pct:Q", title=_("Share (%)"), format=".1f")],
        )
        .properties(width=300, height=alt.Step(20))
        .facet(column=alt.Column("case:N", title=None, sort=cases, header=alt.Header(labelFontSize=13,
                                                                                        labelLimit=300)))
        .properties(title=heading(_("Where is each mineral processed, today and with the plan?")))
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
    df["case"] = df.case.map({"dependence_before_pct": _("Today"), "dependence_after_pct": _("Scenario plan")})
    df["mineral"] = data_names(df.mineral)
    return df


def _dependence_layout(data) -> alt.LayerChart:
    base = alt.Chart(data).encode(y=alt.Y("mineral:N", title=None, axis=alt.Axis(labelLimit=220)))
    rule = base.mark_rule(color="#999").encode(x="min(dependence_pct):Q", x2="max(dependence_pct):Q")
    dots = base.mark_circle(size=90).encode(
        x=alt.X("dependence_pct:Q", title=_("Dependence on China and Russia (%)"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("case:N", title=None, scale=alt.Scale(domain=[_("Today"), _("Scenario plan")],
                                                             range=["#d62728", "#1f77b4"]),
                        legend=alt.Legend(orient="top", labelLimit=200)),
        tooltip=[alt.Tooltip("mineral:N", title=_("Mineral")), alt.Tooltip("case:N", title=_("Case")),
                 alt.Tooltip("dependence_pct:Q", format=".1f", title=_("Dependence (%)"))],
    )
    return (rule + dots).properties(height=alt.Step(22),
                                    title=heading(_("How far does the plan lower each mineral's dependence?")))


def dependence_chart(by_mineral: pd.DataFrame) -> alt.LayerChart:
    """Dumbbell of dependence per mineral: today vs the plan (percent)."""
    return _dependence_layout(_dependence_data(by_mineral))


def dependence_spec(by_mineral: pd.DataFrame) -> dict:
    """dependence_chart as a Vega-Lite spec (see spec())."""
    return spec(_dependence_layout, {"table": _dependence_data(by_mineral)})


MAP_COLOUR_TITLES = {"owner_origin": N_("Owner origin"), "main_offtake": N_("Main offtake destination")}


def _map_points(projects: pd.DataFrame, colour_by: str) -> pd.DataFrame:
    """The located projects, with the words the map shows in the reader's language."""
    p = projects.dropna(subset=["lat", "lon"]).copy()
    p["project"] = p["name"].map(short)
    if "mineral" in p.columns:
        p["mineral_name"] = p["mineral"].map(data_name)
    else:
        p["mineral_name"] = p.get("mineral_id", pd.Series("", index=p.index)).map(data_name)
    for col in ("owner_origin", "main_offtake", "stage_label"):
        if col in p.columns:
            p[col] = p[col].map(data_name)
    if colour_by in p.columns and colour_by not in ("owner_origin", "main_offtake"):
        p[colour_by] = p[colour_by].map(data_name)
    return p


def _cities() -> pd.DataFrame:
    return pd.DataFrame([{"city": _(name), "lat": lat, "lon": lon} for name, lat, lon in CITIES])


def _project_map_layout(outline, projects, cities, colour_by: str = "owner_origin", with_outline: bool = True
                        ) -> alt.LayerChart:
    layers = []
    if with_outline:
        layers.append(
            alt.Chart(outline).mark_line(color="#888", strokeWidth=1)
            .encode(longitude="lon:Q", latitude="lat:Q", order="order:Q", detail="ring:N"))
    # a few cities for bearings (approximate coordinates, charts.words.CITIES)
    layers.append(alt.Chart(cities).mark_point(shape="square", size=18, color="#444", filled=True)
                  .encode(longitude="lon:Q", latitude="lat:Q", tooltip=[alt.Tooltip("city:N", title=_("City"))]))
    layers.append(alt.Chart(cities).mark_text(align="left", dx=5, dy=-6, fontSize=11, color="#333")
                  .encode(longitude="lon:Q", latitude="lat:Q", text="city:N"))
    scale = (origin_colours() if colour_by == "owner_origin"
             else destination_colours() if colour_by == "main_offtake" else alt.Undefined)
    layers.append(
        alt.Chart(projects).mark_circle(opacity=0.85, stroke="white", strokeWidth=0.5)
        .encode(
            longitude="lon:Q", latitude="lat:Q",
            size=alt.Size("capacity_tpy:Q", title=_("Capacity (t/yr, each mineral in its own unit)"),
                          scale=alt.Scale(type="sqrt", range=[40, 400], zero=False),
                          legend=alt.Legend(orient="bottom", direction="horizontal", format=",.0f", titleLimit=0,
                                            labelLimit=200, tickCount=4)),
            color=alt.Color(f"{colour_by}:N", scale=scale, title=_(MAP_COLOUR_TITLES.get(colour_by, colour_by)),
                            legend=alt.Legend(orient="right", labelLimit=220, titleLimit=320)),
            tooltip=[alt.Tooltip("name:N", title=_("Project")), alt.Tooltip("mineral_name:N", title=_("Mineral")),
                     alt.Tooltip("owner_origin:N", title=_("Owner origin")),
                     alt.Tooltip("operator:N", title=_("Operator")),
                     alt.Tooltip("output_tpy:Q", format=",.0f", title=_("Output (t/yr)")),
                     alt.Tooltip("capacity_tpy:Q", format=",.0f", title=_("Capacity (t/yr)"))],
        ))
    title = (_("Who owns Kazakhstan's critical-mineral projects, and where are they?") if colour_by == "owner_origin"
             else _("Where does each project's output go today?"))
    return cast(alt.LayerChart, alt.layer(*layers).project(type="equirectangular").properties(height=400, title=heading(title)))


def project_map(projects: pd.DataFrame, outline: pd.DataFrame, colour_by: str = "owner_origin") -> alt.LayerChart:
    """Projects with a published location on a plain map of Kazakhstan (no tile server needed), with a few
    cities for bearings and a legend for circle size, coloured by a column (projects from
    analyses.projects.with_derived)."""
    return _project_map_layout(outline, _map_points(projects, colour_by), _cities(), colour_by, not outline.empty)


def project_map_spec(projects: pd.DataFrame, outline: pd.DataFrame, colour_by: str = "owner_origin") -> dict:
    """project_map as a Vega-Lite spec (see spec())."""
    return spec(_project_map_layout, {"outline": outline, "projects": _map_points(projects, colour_by),
                                      "cities": _cities()}, colour_by, not outline.empty)


def _financing_data(financing: pd.DataFrame) -> pd.DataFrame:
    df = financing.copy()
    if "project" in df.columns:
        df["project_short"] = df.project.map(short)
    if "financier" in df.columns:
        df["financier"] = df.financier.map(data_name)
    return df


def _financing_layout(data) -> alt.Chart:
    return (
        alt.Chart(data, title=heading(_("Who finances which project?")))
        .mark_bar()
        .encode(
            x=alt.X("sum(amount_musd):Q", title=_("Financing (M USD)")),
            y=alt.Y("project_short:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
            color=alt.Color("financier:N", title=_("Financier"),
                            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0, titleLimit=0)),
            tooltip=[alt.Tooltip("project:N", title=_("Project")), alt.Tooltip("financier:N", title=_("Financier")),
                     alt.Tooltip("amount_musd:Q", title=_("M USD"), format=",.1f")],
        )
        .properties(height=alt.Step(22))
    )


def financing_chart(financing: pd.DataFrame) -> alt.Chart:
    """Stacked bars: M USD per project, coloured by financier."""
    return _financing_layout(_financing_data(financing))


def financing_spec(financing: pd.DataFrame) -> dict:
    """financing_chart as a Vega-Lite spec (see spec())."""
    return spec(_financing_layout, {"table": _financing_data(financing)})


def _utilisation_data(constraints: pd.DataFrame) -> pd.DataFrame:
    df = constraints[constraints.group.isin(["budget", "corridor", "offtake"]) & (constraints.limit > 0)].copy()
    df["used_pct"] = (100 * df.used / df.limit).clip(0, 100)
    df["state"] = df.binding.map({True: _("binding (full)"), False: _("room left")})
    if "label_shown" not in df.columns:
        df["label_shown"] = df.label
    df["label_short"] = [t if len(t) <= 48 else t[:47].rstrip() + "…" for t in df.label_shown.tolist()]
    df["unit"] = df.unit.map({u: _(u) for u in df.unit.unique()})
    return df


def _utilisation_layout(data) -> alt.Chart:
    return (
        alt.Chart(data, title=heading(_("How full is each budget, corridor and offtake limit?")))
        .mark_bar()
        .encode(
            x=alt.X("used_pct:Q", title=_("Used (% of limit)"), scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("label_short:N", title=None, sort="-x", axis=alt.Axis(labelLimit=340)),
            color=alt.Color("state:N", title=None, scale=alt.Scale(domain=[_("binding (full)"), _("room left")],
                                                                  range=["#d62728", "#9ecae1"]),
                            legend=alt.Legend(orient="top", labelLimit=200)),
            tooltip=[alt.Tooltip("label_shown:N", title=_("Limit")),
                     alt.Tooltip("used:Q", format=",.1f", title=_("Used")),
                     alt.Tooltip("limit:Q", format=",.1f", title=_("Limit")), alt.Tooltip("unit:N", title=_("Unit"))],
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
    df["text"] = [formats.pct(e) if k == "total" else formats.signed(c) for k, c, e in
                  zip(df.kind, df.change_pts, df.end_pct)]
    df["step_lines"] = [_step_lines(s, current()) for s in df.step]
    df["step"] = df.step.map(step_name)
    return df


@lru_cache(maxsize=256)
def _step_lines(step: str, lang: str) -> str:
    """A step's name in `lang`, in lines of about 14 characters joined by '|' (the axis splits them)."""
    with language(lang):
        return "|".join(wrap(step_name(step), 14))


def _waterfall_layout(data) -> alt.LayerChart:
    x = alt.X("step_lines:N", sort=alt.SortField("order"), title=None,
              axis=alt.Axis(labelAngle=0, labelLimit=150, labelOverlap=False, labelFontSize=10,
                            labelExpr="split(datum.label, '|')"))
    bars = alt.Chart(data).mark_bar(size=34).encode(
        x=x, y=alt.Y("lo:Q", title=_("Dependence (%)"), scale=alt.Scale(domain=[0, 100])), y2="hi:Q",
        color=alt.Color("colour:N", scale=WATERFALL_COLOURS, legend=None),
        tooltip=[alt.Tooltip("step:N", title=_("Step")),
                 alt.Tooltip("change_pts:Q", title=_("Change (points)"), format="+.2f"),
                 alt.Tooltip("end_pct:Q", title=_("Dependence after (%)"), format=".1f")])
    labels = alt.Chart(data).mark_text(dy=-8, fontSize=11).encode(x=x, y="hi:Q", text="text:N")
    return (bars + labels).properties(height=300, title=heading(_("What does each lever buy, from today to the plan?")))


def waterfall_chart(waterfall: pd.DataFrame) -> alt.LayerChart:
    """Today -> without the plan -> each lever -> the plan (levers.waterfall): one bar per step,
    totals grey, changes green when they lower dependence, red when they raise it."""
    return _waterfall_layout(_waterfall_data(waterfall))


def waterfall_spec(waterfall: pd.DataFrame) -> dict:
    """waterfall_chart as a Vega-Lite spec (see spec())."""
    return spec(_waterfall_layout, {"table": _waterfall_data(waterfall)})
