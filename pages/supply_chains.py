"""Global supply chains: China's share of mining and processing, concentration, Kazakhstan's place,
export controls."""
import pandas as pd
import streamlit as st

from analytics.analyses import supply
from analytics.data import sources
from analytics.present.charts import catalogue as catalogue_charts
from analytics.present.display import formats
from analytics.present.display.names import data_name
from analytics.present.i18n import N_, _, fill
from pages import common, outputs, reference

common.page_guard()
st.title(_("Global supply chains"))
st.caption(_("Who mines and who processes each mineral worldwide, how concentrated that is, where Kazakhstan "
             "stands, and the export controls that turn concentration into leverage. Latest year in the data "
             "for each mineral and stage."))
reference.vintage_caption("world_production", "processing_shares")

tables = reference.catalogue_tables()
world = reference.world_supply()


def show_sources(df: pd.DataFrame) -> None:
    """The sources behind a table, as links in a collapsed box."""
    found = sources.sources_of(df, tables.sources)
    with st.expander(fill(N_("Sources ({n})"), n=str(len(found)))):
        for row in found.to_dict("records"):
            st.markdown(f"- {sources.source_markdown(row)}" if row["found"]
                        else "- " + fill(N_("{source}: no such source in the data"),
                                         source=sources.markdown_escape(row['source_id'])))


figures = supply.headline_figures(tables, world).set_index("key")
facts = [k for k in ("kz_uranium_mining_share_pct", "kz_uranium_mining_rank", "china_tungsten_mine_share_pct",
                     "china_gallium_refinery_share_pct") if k in figures.index]
if facts:
    for col, key in zip(st.columns(2) * 2, facts):  # two a row: the labels are sentences
        f = figures.loc[key]
        value = formats.pct(f.value) if f.unit == "%" else f"#{int(f.value)}"
        label = _(f.label)
        for mineral, stage in supply.HEADLINE_CHINA:  # 'China's share of world tungsten mining', in words
            if key == f"china_{mineral}_{stage}_share_pct":
                name = tables.minerals.set_index("mineral_id").name.get(mineral, mineral)
                label = fill(N_("China's share of world {stage}: {mineral}"), stage=_(supply.STAGE_LABELS[stage]).lower(),
                             mineral=data_name(name).lower())
        col.metric(label, value, help=sources.markdown_escape(
            fill(N_("{basis} Year {year}. Source: {source}."), basis=_(f.basis), year=str(f.year),
                 source=f.source_id)))

st.subheader(_("China's share of mining and processing"))
china = supply.china_share(world, tables.minerals)
if china.empty:
    st.info(_("The data holds no mining or processing shares yet."))
else:
    st.altair_chart(catalogue_charts.china_share_chart(china), width="stretch")
    st.caption(_("Each share is the country's row of the agency's table divided by the world total (the printed "
                 "total, or the sum of the printed rows where that is larger). Where China has no row of its own for "
                 "a stage it is shown at 0 and marked 'not listed': its share is then inside 'Other'. Processing "
                 "shares that only IEA or the Euratom Supply Agency give are older (2015-2023): the year column says "
                 "which."))
    outputs.table(china.assign(china_share_shown=china.china_share_pct.where(china.china_listed.astype(bool))),
                 key="supply_china", keys=("mineral", "stage_label"), hide=("china_share_pct",),
                 labels={"china_share_shown": _("China's share (%; blank: not listed)")}, digits={"china_share_shown": 1})
    outputs.download_csv(china, _("China's shares"), "china-shares")
    show_sources(china)

st.subheader(_("Concentration (HHI)"))
conc = supply.concentration(world, tables.minerals)
if conc.empty:
    st.info(_("The data holds no mining or processing shares yet."))
else:
    st.altair_chart(catalogue_charts.hhi_chart(conc), width="stretch")
    st.caption(_("Herfindahl-Hirschman index: the sum of the squared country shares in percent (10,000 = one "
                 "country has everything). The 'Other' row is not a country and is left out, so the bar is a lower "
                 "bound; the black tick is the upper bound if every country inside 'Other' were as large as the "
                 "smallest listed one. Dashed lines: 1,000 and 1,800, the US merger guidelines' thresholds for "
                 "moderately and highly concentrated markets."))
    outputs.table(conc, key="supply_hhi", keys=("mineral", "stage_label"))
    outputs.download_csv(conc, _("Concentration"), "concentration")
    show_sources(conc)

st.subheader(_("Kazakhstan's place"))
place = supply.kazakhstan_place(world, tables.minerals)
if place.empty:
    st.info(_("The data holds no shares yet."))
else:
    listed = place.dropna(subset=["kazakhstan_share_pct"])
    if not listed.empty:
        st.altair_chart(catalogue_charts.kazakhstan_share_chart(place), width="stretch")
    st.caption(_("Kazakhstan's share of the world total and its rank among the producing countries the table lists. "
                 "An empty share means Kazakhstan is not listed for that mineral and stage (it is inside 'Other'); "
                 "a share of 0 is not ranked."))
    outputs.table(place, key="supply_kz", keys=("mineral", "stage_label"))
    outputs.download_csv(place, _("Kazakhstan's place"), "kazakhstan-place")
    show_sources(place)

st.subheader(_("Export controls"))
timeline = supply.export_control_timeline(tables.export_controls, tables.minerals)
if timeline.empty:
    st.info(_("The data holds no export-control events yet."))
else:
    by_mineral = supply.export_controls_by_mineral(tables.export_controls, tables.minerals)
    st.altair_chart(catalogue_charts.export_control_chart(by_mineral), width="stretch")
    st.caption(_("Each point is a measure on one mineral (a measure on several minerals appears on each row): circles "
                 "are new or tighter controls, triangles suspensions of earlier ones. Hover for what each covers."))
    shown = timeline.assign(date=timeline.date.map(lambda d: formats.date(d.date()) if pd.notna(d) else ""))
    outputs.table(shown, key="supply_export_controls", keys=("date", "minerals", "measure"))
    outputs.download_csv(timeline.assign(date=timeline.date.dt.strftime("%Y-%m-%d")), _("Export controls"),
                        "export-controls")
    show_sources(timeline)
