"""Compare: 2-4 scenarios (presets, saved, pasted links, the current one) side by side."""
from functools import partial

import streamlit as st

from analytics.analyses import budget, compare
from analytics.present.charts import compare as compare_charts
from analytics.present.display import notices as display_notices
from analytics.present.i18n import N_, _, fill
from analytics.present.text import md_escape
from pages import common, outputs

try:
    from analytics.model.presets import PRESETS
except ImportError:  # presets are optional here: compare the sidebar with the defaults
    PRESETS = {}

current = common.current_scenario()
common.draw_scenario_sidebar()
st.title(_("Compare scenarios"))
st.caption(_("Pick two to four scenarios: the one in the sidebar, the defaults, presets from the policy debate, "
             "scenarios you saved in this session, or share and saved links pasted from colleagues. Each is "
             "optimised on the same data, and the inputs that differ are highlighted."))


def label(text: str) -> str:
    """A scenario's label in the reader's language ('Preset: Status quo' -> its translation)."""
    for prefix, template in (("Preset: ", N_("Preset: {name}")), ("Saved: ", N_("Saved: {name}"))):
        if text.startswith(prefix):
            return fill(template, name=_(text.removeprefix(prefix)) if prefix == "Preset: " else text[len(prefix):])
    return _(text)


options = compare.choices(PRESETS, outputs.my_saves())  # saves are private: only this session's own are listed
picked = st.multiselect(_("Scenarios"), list(options), default=compare.default_pick(options),
                          max_selections=compare.MAX_SCENARIOS, format_func={k: label(v) for k, v in options.items()}.get, key="cmp_pick",
                          help=_("Up to four, counting pasted links."))
pasted = st.text_area(_("Or paste share links, one per line"), key="cmp_links", height=90,
                         placeholder="https://.../explorer?v=1&exim=1500\n?s=AbC123xy",
                         help=_("A whole link, just its query (v=1&exim=1500), or a saved link or id."))

scenarios, notices = compare.gather(picked, pasted, current=current, presets=PRESETS, choices=common.link_choices())
scenarios = {label(k): v for k, v in scenarios.items()}
for notice in notices:
    st.warning(md_escape(display_notices.translate(notice)), icon=":material/warning:")
if len(scenarios) < compare.MIN_SCENARIOS:
    st.info(_("Choose at least two scenarios to compare (above), or paste links."))
    common.stop_page()

with st.spinner(_("Optimising each scenario...")):
    cmp = compare.compare(scenarios, common.solve, seconds=budget.COMPARE_SECONDS)
for name, r in cmp.results.items():
    if not r.ok:
        st.warning(fill(N_("{scenario}: no feasible plan ({reason})."), scenario=md_escape(name),
                        reason=md_escape(display_notices.translate(r.message))), icon=":material/block:")

per_scenario = {name: 1 for name in cmp.scenarios}  # decimals of each scenario's column
st.subheader(_("Headline results"))
st.altair_chart(compare_charts.headline_chart(cmp.summary), width="stretch")
headline = cmp.headline.drop(columns=["key"]).assign(measure=cmp.headline.measure.map(_),
                                                     unit=cmp.headline.unit.map(_))
outputs.table(headline, key="cmp_results", keys=("measure", "unit"), digits=per_scenario,
             labels={"measure": _("Measure")})

st.subheader(_("Dependence by mineral"))
st.altair_chart(compare_charts.dependence_by_mineral_chart(cmp.by_mineral), width="stretch")
with st.expander(_("As a table (%)")):
    wide = cmp.by_mineral_wide.rename(columns={"Today (%)": _("Today (%)")})
    outputs.table(wide, key="cmp_by_mineral", keys=("mineral",), digits={c: 1 for c in wide.columns})

st.subheader(_("Inputs"))
only_diff = st.toggle(_("Only inputs that differ"), value=True, key="cmp_only_diff")
inputs = compare.inputs_side_by_side(cmp.scenarios, as_text=True)
shown = inputs[inputs.differs] if only_diff else inputs
if shown.empty:
    st.write(_("These scenarios have the same inputs."))
else:
    shown = shown.assign(input_label=shown.input.map(_), unit=shown.unit.map(lambda u: _(u) if u else u))
    outputs.table(shown, key="cmp_inputs", keys=("input_label", "unit"),
                 styler=lambda df: df.style.apply(
                     lambda r: ["background-color: #fff3cd" if r.differs else ""] * len(r), axis=1))

st.subheader(_("Projects built (% of each project's new capacity)"))
if cmp.builds.empty:
    st.write(_("No scenario builds a project."))
else:
    outputs.table(cmp.builds, key="cmp_builds", keys=("project",), digits={name: 0 for name in cmp.scenarios})
st.subheader(_("Financing by financier (M USD)"))
if cmp.financing.empty:
    st.write(_("No scenario uses partner financing."))
else:
    outputs.table(cmp.financing, key="cmp_financing", keys=("financier",), digits={name: 0 for name in cmp.scenarios})

st.subheader(_("Downloads"))
d1, d2 = st.columns(2)
# Files are built when clicked (a callable), not on every rerun.
d1.download_button(_("The comparison (CSV)"), partial(compare.to_csv, cmp), file_name="heartland-comparison.csv",
                   mime="text/csv", key="cmp_dl_csv", icon=":material/download:", wrap=True,
                   help=_("One tidy table: section, item, unit, scenario, value."))
d2.download_button(_("The comparison (Excel)"), partial(compare.to_excel, cmp, common.reference_table("sources")),
                   file_name="heartland-comparison.xlsx", key="cmp_dl_xlsx", icon=":material/download:", wrap=True,
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   help=_("A sheet per table, each scenario's link, and the sources."))
