"""Projects: the catalogue of Kazakh critical-mineral projects, a map, and one project in detail."""
import streamlit as st

from analytics.analyses import projects as catalogue_projects
from analytics.data import sources
from analytics.present.charts import catalogue as catalogue_charts
from analytics.present.display.names import data_name, short
from analytics.present.i18n import N_, _, fill
from pages import common, outputs, reference

common.page_guard()
st.title(_("Projects"))
st.caption(_("Kazakhstan's critical-mineral mines and plants as the model sees them: today's output, the capacity "
             "a project adds once built, the capital it still needs and where its output goes today. Every row "
             "cites its sources; figures that are not published numbers are marked as estimates."))
reference.vintage_caption("projects", "world_production")

tables = reference.catalogue_tables()

projects = catalogue_projects.with_derived(tables.projects, tables.minerals, tables.project_owners)
options = catalogue_projects.filter_options(projects)
names = sources.mineral_names(tables.minerals, options["mineral_id"])

c1, c2, c3, c4 = st.columns(4)
chosen_minerals = c1.multiselect(_("Mineral"), options["mineral_id"], key="proj_mineral",
                                 format_func={m: data_name(names.get(m, m)) for m in options["mineral_id"]}.get,
                                 placeholder=_("All minerals"))
chosen_stages = c2.multiselect(_("Stage"), options["stage"], key="proj_stage",
                               format_func={s: _(catalogue_projects.STAGE_LABELS.get(s, s)) for s in options["stage"]}.get,
                               placeholder=_("All stages"))
chosen_owners = c3.multiselect(_("Owner origin"), options["owner_origin"], key="proj_owner",
                               format_func={o: data_name(o) for o in options["owner_origin"]}.get,
                               placeholder=_("All owners"),
                               help=_("The group holding 50 % or more of the project; Mixed where none does."))
chosen_regions = c4.multiselect(_("Region"), options["region"], key="proj_region", placeholder=_("All regions"))

shown = catalogue_projects.filter_projects(projects, minerals=chosen_minerals, stages=chosen_stages, owners=chosen_owners,
                                  regions=chosen_regions)
table = catalogue_projects.catalogue_table(shown, tables.minerals, tables.project_owners)
st.markdown(fill(N_("**{shown} of {total} projects** match the filters."), shown=str(len(shown)),
                 total=str(len(projects))))

if shown.empty:
    st.info(_("No project matches these filters. Remove a filter to see more."))
else:
    colour_by = st.radio(_("Colour the map by"), list(catalogue_charts.MAP_COLOUR_COLUMNS), horizontal=True,
                         key="proj_colour",
                         format_func={c: _(t) for c, t in catalogue_charts.MAP_COLOUR_COLUMNS.items()}.get)
    st.altair_chart(catalogue_charts.project_map(shown, tables.kazakhstan_outline, colour_by=colour_by),
                    width="stretch")
    located = int(shown.lat.notna().sum())
    st.caption(fill(N_("{located} of {total} projects have a published location and are on the map. Circle area "
                       "grows with capacity (each mineral in its own unit). Main offtake destination: where the "
                       "largest share of today's output is processed. City positions are approximate."),
                    located=str(located), total=str(len(shown))))
    outputs.table(table.assign(stage_label=table.stage.map(catalogue_projects.STAGE_LABELS).fillna(table.stage)),
                 key="proj_table", keys=("name", "mineral", "stage_label", "owner_origin"))
outputs.download_csv(table, _("The filtered catalogue"), "projects")

st.subheader(_("Project detail"))
if shown.empty:
    common.stop_page()
labels = dict(zip(shown.project_id, shown.name.map(short) + " (" + shown.mineral.map(data_name) + ")"))
pid = st.selectbox(_("Project"), list(labels), key="proj_detail", format_func=labels.get)
detail = catalogue_projects.project_detail(pid, tables.projects, tables.minerals, tables.sources,
                                            tables.project_owners)
left, right = st.columns([3, 2])
with left:
    st.markdown(f"#### {sources.markdown_escape(detail.name)}")
    figures = detail.figures.assign(figure=detail.figures.figure.map(_),
                                    value=detail.figures.value.map(lambda v: _(v) if isinstance(v, str) else v),
                                    unit=detail.figures.unit.map(lambda u: _(u) if u else u))
    outputs.table(figures, key="proj_figures", height=35 * (len(detail.figures) + 1) + 3)  # every row, no inner scroll
with right:
    st.markdown(f"**{_('Where today’s output is processed')}**")
    outputs.table(detail.offtake, key="proj_offtake")
    if not detail.owners.empty:
        st.markdown(f"**{_('Owners')}**")
        outputs.table(detail.owners, key="proj_owners")
if detail.is_estimate:
    st.warning(_("Some figures of this project are estimates. Basis:") + " "
               + (sources.markdown_escape(detail.estimate_basis) or _("not stated")), icon=":material/straighten:")
else:
    st.caption(_("All figures of this project are published numbers."))
if detail.note:
    st.caption(fill(N_("Note: {note}"), note=sources.markdown_escape(detail.note)))
st.markdown(f"**{_('Sources')}**")
for row in detail.sources.to_dict("records"):
    st.markdown(f"- {sources.source_markdown(row)}" if row["found"]
                else "- " + fill(N_("{source}: no such source in the data"),
                                 source=sources.markdown_escape(row['source_id'])))
