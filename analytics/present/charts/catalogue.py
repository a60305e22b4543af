"""Altair charts for the Projects and Global supply chains pages (functions of DataFrames)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from analytics.analyses.supply import HHI_HIGH, HHI_MODERATE, STAGE_LABELS
from analytics.present import charts

# stage -> colour: mining brown, processing stages reds, reserves grey
STAGE_COLOURS = {"mine": "#8c6d31", "refinery": "#d62728", "smelter": "#ff7f0e", "conversion_capacity": "#9467bd",
                 "enrichment_capacity": "#e377c2", "reserves": "#7f7f7f"}
STAGE_ORDER = [STAGE_LABELS[s] for s in STAGE_COLOURS]


def _stages(df: pd.DataFrame) -> alt.Scale:
    """Stage colours by readable label (supply.STAGE_LABELS), the legend listing only the stages shown."""
    shown = [s for s in STAGE_COLOURS if s in set(df.stage)]
    return alt.Scale(domain=[STAGE_LABELS[s] for s in shown], range=[STAGE_COLOURS[s] for s in shown])
LABELS = alt.Axis(labelLimit=220)
MAP_COLOUR_COLUMNS = {"owner_origin": "Owner origin", "main_offtake": "Main offtake destination"}


def project_map(projects: pd.DataFrame, outline: pd.DataFrame, colour_by: str = "owner_origin") -> alt.LayerChart:
    """charts.project_map, with destination colours when coloured by main_offtake
    (projects from catalogue_projects.with_derived)."""
    if colour_by not in MAP_COLOUR_COLUMNS:
        raise ValueError(f"colour_by must be one of {', '.join(MAP_COLOUR_COLUMNS)}; got {colour_by!r}")
    chart = charts.project_map(projects, outline, colour_by=colour_by)
    points = chart.layer[-1]
    points.encoding.color.title = MAP_COLOUR_COLUMNS[colour_by]
    if colour_by == "main_offtake":
        colours = charts.DESTINATION_COLOURS
        points.encoding.color.scale = alt.Scale(domain=list(colours), range=list(colours.values()))
    return chart


def china_share_chart(china: pd.DataFrame) -> alt.Chart:
    """China's share of world mining and processing per mineral (supply.china_share)."""
    df = china.copy()
    df["listed"] = df.china_listed.map({True: "listed", False: "not listed (within Other)"})
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("china_share_pct:Q", title="China's share of world total (%)", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("mineral:N", title=None, axis=LABELS,
                    sort=alt.EncodingSortField("china_share_pct", op="max", order="descending")),
            yOffset=alt.YOffset("stage_label:N", sort=STAGE_ORDER),
            color=alt.Color("stage_label:N", title="Stage", scale=_stages(df)),
            tooltip=["mineral", alt.Tooltip("stage_label:N", title="stage"), alt.Tooltip("china_share_pct:Q", title="China %", format=".1f"),
                     alt.Tooltip("listed:N", title="China"), alt.Tooltip("other_pct:Q", title="Other %", format=".1f"),
                     "year", "source_id"],
        )
        .properties(height=alt.Step(11))
    )


def hhi_chart(conc: pd.DataFrame) -> alt.TopLevelMixin:
    """HHI per mineral and stage (supply.concentration): bars to the lower bound, a tick at the
    upper bound, and the 1,000 / 1,800 guideline thresholds."""
    df = conc.copy()
    sort = alt.EncodingSortField("hhi", op="max", order="descending")
    base = alt.Chart(df).encode(
        y=alt.Y("mineral:N", title=None, axis=LABELS, sort=sort),
        yOffset=alt.YOffset("stage_label:N", sort=STAGE_ORDER),
        color=alt.Color("stage_label:N", title="Stage", scale=_stages(df)),
        tooltip=["mineral", alt.Tooltip("stage_label:N", title="stage"), alt.Tooltip("hhi:Q", title="HHI (lower bound)", format=",.0f"),
                 alt.Tooltip("hhi_upper:Q", title="HHI (upper bound)", format=",.0f"),
                 alt.Tooltip("other_pct:Q", title="Other %", format=".1f"), "top_country",
                 alt.Tooltip("top_share_pct:Q", title="top share %", format=".1f"), "band", "year", "source_id"],
    )
    bars = base.mark_bar().encode(
        x=alt.X("hhi:Q", title="Herfindahl-Hirschman index (0-10,000)", scale=alt.Scale(domain=[0, 10000])))
    ticks = base.mark_tick(thickness=2, opacity=0.7).encode(x="hhi_upper:Q", color=alt.value("black"))
    bands = pd.DataFrame({"hhi": [HHI_MODERATE, HHI_HIGH],
                          "label": ["1,000: moderately concentrated", "1,800: highly concentrated"]})
    rules = alt.Chart(bands).mark_rule(strokeDash=[4, 3], color="#555").encode(x="hhi:Q", tooltip=["label"])
    return alt.layer(bars, ticks, rules).properties(height=alt.Step(11))


def export_control_chart(by_mineral: pd.DataFrame) -> alt.Chart:
    """Export-control events on a time axis, a row per mineral, coloured by the imposing country
    (supply.export_controls_by_mineral)."""
    df = by_mineral.copy()
    df["country"] = df.country.replace("", "(unspecified)")
    return (
        alt.Chart(df)
        .mark_point(filled=True, size=120, opacity=0.85)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month")),
            y=alt.Y("mineral:N", title=None, axis=LABELS, sort=alt.EncodingSortField("date", op="min")),
            color=alt.Color("country:N", title="Imposed by"),
            tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "country", "mineral", "measure", "covers",
                     "source_id"],
        )
        .properties(height=alt.Step(24))
    )


def kazakhstan_share_chart(place: pd.DataFrame) -> alt.Chart:
    """Kazakhstan's share per mineral and stage where it is listed (supply.kazakhstan_place)."""
    df = place.dropna(subset=["kazakhstan_share_pct"]).copy()
    df["rank"] = df["rank"].astype(float)
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("kazakhstan_share_pct:Q", title="Kazakhstan's share of world total (%)",
                    scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("mineral:N", title=None, axis=LABELS,
                    sort=alt.EncodingSortField("kazakhstan_share_pct", op="max", order="descending")),
            yOffset=alt.YOffset("stage_label:N", sort=STAGE_ORDER),
            color=alt.Color("stage_label:N", title="Stage", scale=_stages(df)),
            tooltip=["mineral", alt.Tooltip("stage_label:N", title="stage"), alt.Tooltip("kazakhstan_share_pct:Q", title="Kazakhstan %", format=".1f"),
                     alt.Tooltip("rank:Q", title="rank", format=".0f"), "leader",
                     alt.Tooltip("leader_share_pct:Q", title="leader %", format=".1f"), "year", "source_id"],
        )
        .properties(height=alt.Step(11))
    )
