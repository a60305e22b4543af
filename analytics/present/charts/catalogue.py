"""Altair charts for the Projects and Global supply chains pages (functions of DataFrames)."""
from __future__ import annotations

from typing import cast

import altair as alt
import pandas as pd

from analytics.analyses.supply import HHI_HIGH, HHI_MODERATE, STAGE_LABELS
from analytics.present import charts
from analytics.present.charts.words import destination_colours, heading, wrap
from analytics.present.display.names import data_name
from analytics.present.i18n import N_, _

# stage -> colour: mining brown, processing stages reds, reserves grey
STAGE_COLOURS = {"mine": "#8c6d31", "refinery": "#d62728", "smelter": "#ff7f0e", "conversion_capacity": "#9467bd",
                 "enrichment_capacity": "#e377c2", "reserves": "#7f7f7f"}


def _stage_order() -> list[str]:
    return [_(STAGE_LABELS[s]) for s in STAGE_COLOURS]


def _stages(df: pd.DataFrame) -> alt.Scale:
    """Stage colours by readable label (supply.STAGE_LABELS), the legend listing only the stages shown."""
    shown = [s for s in STAGE_COLOURS if s in set(df.stage)]
    return alt.Scale(domain=[_(STAGE_LABELS[s]) for s in shown], range=[STAGE_COLOURS[s] for s in shown])


def _words(df: pd.DataFrame) -> pd.DataFrame:
    """Minerals and stages in the reader's language; a long mineral label (a series with its unit) in lines
    of about 34 characters, joined by '|' for the axis to split (MINERAL_AXIS)."""
    df = df.copy()
    if "mineral" in df.columns:
        df["mineral"] = df.mineral.map(data_name)
        df["mineral_lines"] = ["|".join(wrap(m, 34)) for m in df.mineral]
    if "stage_label" in df.columns:
        df["stage_label"] = df.stage_label.map(_)
    return df


LABELS = alt.Axis(labelLimit=260)
# a world-supply series may carry its unit ('Silicon (ferrosilicon) (kt Si content (silicon metal))'): in lines
MINERAL_AXIS = alt.Axis(labelLimit=260, labelExpr="split(datum.label, '|')")
STAGE_LEGEND = alt.Legend(orient="top", columns=3, labelLimit=260, titleLimit=200)
MAP_COLOUR_COLUMNS = {"owner_origin": N_("Owner origin"), "main_offtake": N_("Main offtake destination")}


def project_map(projects: pd.DataFrame, outline: pd.DataFrame, colour_by: str = "owner_origin") -> alt.LayerChart:
    """charts.project_map, with destination colours when coloured by main_offtake
    (projects from catalogue_projects.with_derived)."""
    if colour_by not in MAP_COLOUR_COLUMNS:
        raise ValueError(f"colour_by must be one of {', '.join(MAP_COLOUR_COLUMNS)}; got {colour_by!r}")
    chart = charts.project_map(projects, outline, colour_by=colour_by)
    points = chart.layer[-1]
    points.encoding.color.title = _(MAP_COLOUR_COLUMNS[colour_by])
    if colour_by == "main_offtake":
        points.encoding.color.scale = destination_colours()
    return chart


def china_share_chart(china: pd.DataFrame) -> alt.LayerChart:
    """China's share of world mining and processing per mineral (supply.china_share)."""
    df = _words(china)
    df["listed"] = df.china_listed.map({True: _("listed"), False: _("not listed (within Other)")})
    df["mark"] = df.china_listed.map({True: "", False: _("not listed")})
    y = alt.Y("mineral_lines:N", title=None, axis=MINERAL_AXIS,
              sort=alt.EncodingSortField("china_share_pct", op="max", order="descending"))
    y_offset = alt.YOffset("stage_label:N", sort=_stage_order())
    tooltip = [alt.Tooltip("mineral:N", title=_("Mineral")), alt.Tooltip("stage_label:N", title=_("Stage")),
               alt.Tooltip("china_share_pct:Q", title=_("China's share (%)"), format=".1f"),
               alt.Tooltip("listed:N", title=_("China")), alt.Tooltip("other_pct:Q", title=_("'Other' in the table (%)"),
                                                                      format=".1f"),
               alt.Tooltip("year:Q", title=_("Year")), alt.Tooltip("source_id:N", title=_("Source"))]
    base = alt.Chart(df).encode(y=y, yOffset=y_offset, tooltip=tooltip)
    bars = base.mark_bar().encode(
        x=alt.X("china_share_pct:Q", title=_("China's share of world total (%)"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("stage_label:N", title=_("Stage"), scale=_stages(df), legend=STAGE_LEGEND))
    # a stage where China has no row of its own: said in words at 0, not left as a missing bar
    missing = base.transform_filter(alt.datum.mark != "").mark_text(align="left", dx=3, fontSize=9, color="#555").encode(
        x=alt.value(0), text="mark:N")
    return cast(alt.LayerChart, alt.layer(bars, missing).properties(
        height=alt.Step(11), title=heading(_("How much of each mineral does China mine and process?"))))


def hhi_chart(conc: pd.DataFrame) -> alt.TopLevelMixin:
    """HHI per mineral and stage (supply.concentration): bars to the lower bound, a tick at the
    upper bound, and the 1,000 / 1,800 guideline thresholds."""
    df = _words(conc)
    for col in ("top_country", "band"):
        if col in df.columns:
            df[col] = df[col].map(data_name)
    sort = alt.EncodingSortField("hhi", op="max", order="descending")
    base = alt.Chart(df).encode(
        y=alt.Y("mineral_lines:N", title=None, axis=MINERAL_AXIS, sort=sort),
        yOffset=alt.YOffset("stage_label:N", sort=_stage_order()),
        color=alt.Color("stage_label:N", title=_("Stage"), scale=_stages(df), legend=STAGE_LEGEND),
        tooltip=[alt.Tooltip("mineral:N", title=_("Mineral")), alt.Tooltip("stage_label:N", title=_("Stage")),
                 alt.Tooltip("hhi:Q", title=_("HHI (lower bound)"), format=",.0f"),
                 alt.Tooltip("hhi_upper:Q", title=_("HHI (upper bound)"), format=",.0f"),
                 alt.Tooltip("other_pct:Q", title=_("'Other' in the table (%)"), format=".1f"),
                 alt.Tooltip("top_country:N", title=_("Largest country")),
                 alt.Tooltip("top_share_pct:Q", title=_("Its share (%)"), format=".1f"),
                 alt.Tooltip("band:N", title=_("Concentration")), alt.Tooltip("year:Q", title=_("Year")),
                 alt.Tooltip("source_id:N", title=_("Source"))],
    )
    bars = base.mark_bar().encode(
        x=alt.X("hhi:Q", title=_("Herfindahl-Hirschman index (0-10,000)"), scale=alt.Scale(domain=[0, 10000])))
    ticks = base.mark_tick(thickness=2, opacity=0.7).encode(x="hhi_upper:Q", color=alt.value("black"))
    bands = pd.DataFrame({"hhi": [HHI_MODERATE, HHI_HIGH],
                          "label": [_("1,000: moderately concentrated"), _("1,800: highly concentrated")]})
    rules = alt.Chart(bands).mark_rule(strokeDash=[4, 3], color="#555").encode(
        x="hhi:Q", tooltip=[alt.Tooltip("label:N", title=_("Threshold"))])
    return alt.layer(bars, ticks, rules).properties(
        height=alt.Step(11), title=heading(_("How concentrated is each mineral's mining and processing?")))


def export_control_chart(by_mineral: pd.DataFrame) -> alt.Chart:
    """Export-control events on a time axis, a row per mineral, coloured by the imposing country
    (supply.export_controls_by_mineral)."""
    df = _words(by_mineral)
    df["country"] = df.country.replace("", _("(unspecified)")).map(data_name)
    df["kind_label"] = [_("Suspension of a control") if str(m).lower().startswith("suspension")
                        else _("New or tighter control") for m in df.measure]
    kinds = [_("New or tighter control"), _("Suspension of a control")]
    dates = pd.to_datetime(df.date)
    # a month either side, so the first and last points sit inside the axis
    domain = ([(dates.min() - pd.DateOffset(months=2)).strftime("%Y-%m-%d"),
               (dates.max() + pd.DateOffset(months=2)).strftime("%Y-%m-%d")] if len(df) else alt.Undefined)
    return (
        alt.Chart(df, title=heading(_("When did China restrict (or suspend restrictions on) exports of each mineral?")))
        .mark_point(filled=True, size=120, opacity=0.85)
        .encode(
            x=alt.X("date:T", title=None, scale=alt.Scale(domain=domain),
                    axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount={"interval": "month", "step": 3},
                                  labelOverlap=True)),
            y=alt.Y("mineral:N", title=None, axis=LABELS, sort=alt.EncodingSortField("date", op="min")),
            color=alt.Color("kind_label:N", title=_("Measure"), scale=alt.Scale(domain=kinds,
                                                                               range=["#d62728", "#2ca02c"]),
                            legend=alt.Legend(orient="top", labelLimit=260)),
            shape=alt.Shape("kind_label:N", title=_("Measure"), scale=alt.Scale(domain=kinds,
                                                                               range=["circle", "triangle-down"])),
            tooltip=[alt.Tooltip("date:T", format="%d %b %Y", title=_("Date")),
                     alt.Tooltip("country:N", title=_("Imposed by")), alt.Tooltip("mineral:N", title=_("Mineral")),
                     alt.Tooltip("kind_label:N", title=_("Kind")), alt.Tooltip("measure:N", title=_("Measure")),
                     alt.Tooltip("covers:N", title=_("Covers")), alt.Tooltip("source_id:N", title=_("Source"))],
        )
        .properties(height=alt.Step(24))
    )


def kazakhstan_share_chart(place: pd.DataFrame) -> alt.Chart:
    """Kazakhstan's share per mineral and stage where it is listed (supply.kazakhstan_place)."""
    df = _words(place.dropna(subset=["kazakhstan_share_pct"]))
    df["rank"] = df["rank"].astype(float)
    if "leader" in df.columns:
        df["leader"] = df.leader.map(data_name)
    return (
        alt.Chart(df, title=heading(_("How much of the world's supply of each mineral does Kazakhstan provide?")))
        .mark_bar()
        .encode(
            x=alt.X("kazakhstan_share_pct:Q", title=_("Kazakhstan's share of world total (%)"),
                    scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("mineral_lines:N", title=None, axis=MINERAL_AXIS,
                    sort=alt.EncodingSortField("kazakhstan_share_pct", op="max", order="descending")),
            yOffset=alt.YOffset("stage_label:N", sort=_stage_order()),
            color=alt.Color("stage_label:N", title=_("Stage"), scale=_stages(df), legend=STAGE_LEGEND),
            tooltip=[alt.Tooltip("mineral:N", title=_("Mineral")), alt.Tooltip("stage_label:N", title=_("Stage")),
                     alt.Tooltip("kazakhstan_share_pct:Q", title=_("Kazakhstan's share (%)"), format=".1f"),
                     alt.Tooltip("rank:Q", title=_("Rank"), format=".0f"),
                     alt.Tooltip("leader:N", title=_("Largest producer")),
                     alt.Tooltip("leader_share_pct:Q", title=_("Its share (%)"), format=".1f"),
                     alt.Tooltip("year:Q", title=_("Year")), alt.Tooltip("source_id:N", title=_("Source"))],
        )
        .properties(height=alt.Step(11))
    )
