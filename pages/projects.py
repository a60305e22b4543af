"""Projects: the catalogue of Kazakh critical-mineral projects, a map, and one project in detail."""
import streamlit as st

from analytics.analyses import projects as catalogue_projects
from analytics.data import sources
from analytics.present.charts import catalogue as catalogue_charts
from pages import common

common.page_guard()
st.title("Projects")
st.caption("Kazakhstan's critical-mineral mines and plants as the model sees them: today's output, the capacity "
           "a project adds once built, the capital it still needs and where its output goes today. Every row "
           "cites its sources; figures that are not published numbers are marked as estimates.")
common.vintage_caption("projects", "world_production")

tables = common.catalogue_tables()

projects = catalogue_projects.with_derived(tables.projects, tables.minerals, tables.project_owners)
options = catalogue_projects.filter_options(projects)
names = sources.mineral_names(tables.minerals, options["mineral_id"])

c1, c2, c3, c4 = st.columns(4)
chosen_minerals = c1.multiselect("Mineral", options["mineral_id"], key="proj_mineral", format_func=names.get,
                                 placeholder="All minerals")
chosen_stages = c2.multiselect("Stage", options["stage"], key="proj_stage",
                               format_func=lambda s: catalogue_projects.STAGE_LABELS.get(s, s), placeholder="All stages")
chosen_owners = c3.multiselect("Owner origin", options["owner_origin"], key="proj_owner", placeholder="All owners",
                               help="The group holding 50 % or more of the project; Mixed where none does.")
chosen_regions = c4.multiselect("Region", options["region"], key="proj_region", placeholder="All regions")

shown = catalogue_projects.filter_projects(projects, minerals=chosen_minerals, stages=chosen_stages, owners=chosen_owners,
                                  regions=chosen_regions)
table = catalogue_projects.catalogue_table(shown, tables.minerals, tables.project_owners)
st.markdown(f"**{len(shown)} of {len(projects)} projects** match the filters.")

if shown.empty:
    st.info("No project matches these filters. Remove a filter to see more.")
else:
    colour_by = st.radio("Colour the map by", list(catalogue_charts.MAP_COLOUR_COLUMNS), horizontal=True,
                         key="proj_colour", format_func=catalogue_charts.MAP_COLOUR_COLUMNS.get)
    st.altair_chart(catalogue_charts.project_map(shown, tables.kazakhstan_outline, colour_by=colour_by),
                    width="stretch")
    located = int(shown.lat.notna().sum())
    st.caption(f"{located} of {len(shown)} projects have a published location and are on the map. Circle area grows "
               "with capacity (each mineral in its own unit). Main offtake destination: where the largest share of "
               "today's output is processed.")
    st.dataframe(
        table, hide_index=True, width="stretch", key="proj_table",
        column_config={
            "output_tpy": st.column_config.NumberColumn("output (t/yr)", format="localized"),
            "capacity_tpy": st.column_config.NumberColumn("capacity (t/yr)", format="localized"),
            "new_capacity_tpy": st.column_config.NumberColumn("new capacity (t/yr)", format="localized"),
            "unit": st.column_config.TextColumn("unit of t/yr"),
            "capex_musd": st.column_config.NumberColumn("capex still needed (M USD)", format="localized"),
            "cn_stake_pct": st.column_config.NumberColumn("Chinese stake (%)", format="%.0f"),
            "ru_stake_pct": st.column_config.NumberColumn("Russian stake (%)", format="%.0f"),
            "output_is_estimate": st.column_config.CheckboxColumn("output estimated"),
            "capacity_is_estimate": st.column_config.CheckboxColumn("capacity estimated"),
            "capex_is_estimate": st.column_config.CheckboxColumn("capex estimated"),
            "offtake_is_estimate": st.column_config.CheckboxColumn("offtake estimated"),
        })
common.download_csv(table, "the filtered catalogue", "projects")

st.subheader("Project detail")
if shown.empty:
    st.stop()
labels = dict(zip(shown.project_id, shown.name + " (" + shown.mineral + ")"))
pid = st.selectbox("Project", list(labels), key="proj_detail", format_func=labels.get)
detail = catalogue_projects.project_detail(pid, tables.projects, tables.minerals, tables.sources,
                                            tables.project_owners)
left, right = st.columns([3, 2])
with left:
    st.markdown(f"#### {sources.markdown_escape(detail.name)}")
    st.dataframe(detail.figures, hide_index=True, width="stretch", key="proj_figures",
                 height=35 * (len(detail.figures) + 1) + 3,  # every row, no inner scroll
                 column_config={"estimate": st.column_config.CheckboxColumn("estimate")})
with right:
    st.markdown("**Where today's output is processed**")
    st.dataframe(detail.offtake, hide_index=True, width="stretch", key="proj_offtake",
                 column_config={"share_pct": st.column_config.ProgressColumn("share (%)", min_value=0,
                                                                             max_value=100, format="%.0f %%")})
    if not detail.owners.empty:
        st.markdown("**Owners**")
        st.dataframe(detail.owners, hide_index=True, width="stretch", key="proj_owners", column_config={
            "stake_pct": st.column_config.NumberColumn("stake (%)", format="%.2f"),
            "state_owned": st.column_config.CheckboxColumn("state-owned"),
            "lifts_offtake": st.column_config.CheckboxColumn("takes its share of output")})
if detail.is_estimate:
    st.warning(f"Some figures of this project are estimates. Basis: "
               f"{sources.markdown_escape(detail.estimate_basis) or 'not stated'}",
               icon="📐")
else:
    st.caption("All figures of this project are published numbers.")
if detail.note:
    st.caption(f"Note: {sources.markdown_escape(detail.note)}")
st.markdown("**Sources**")
for row in detail.sources.to_dict("records"):
    st.markdown(f"- {sources.source_markdown(row)}" if row["found"]
                else f"- {sources.markdown_escape(row['source_id'])}: no such source in the data")
