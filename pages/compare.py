"""Compare: 2-4 scenarios (presets, saved, pasted links, the current one) side by side."""
from functools import partial

import streamlit as st

from analytics.analyses import budget, compare
from analytics.present.charts import compare as compare_charts
from analytics.present.text import md_escape
from pages import common

try:
    from analytics.model.presets import PRESETS
except ImportError:  # presets are optional here: compare the sidebar with the defaults
    PRESETS = {}

current = common.current_scenario()
st.title("Compare scenarios")
st.caption("Pick two to four scenarios: the one in the sidebar, the defaults, presets from the policy debate, "
           "scenarios you saved in this session, or share and saved links pasted from colleagues. Each is "
           "optimised on the same data, and the inputs that differ are highlighted.")

options = compare.choices(PRESETS, common.my_saves())  # saves are private: only this session's own are listed
left, right = st.columns([3, 2])
picked = left.multiselect("Scenarios", list(options), default=compare.default_pick(options),
                          max_selections=compare.MAX_SCENARIOS, format_func=options.get, key="cmp_pick",
                          help="Up to four, counting pasted links.")
pasted = right.text_area("Or paste share links, one per line", key="cmp_links", height=90,
                         placeholder="https://.../explorer?v=1&exim=1500\n?s=AbC123xy",
                         help="A whole link, just its query (v=1&exim=1500), or a saved link or id.")

scenarios, notices = compare.gather(picked, pasted, current=current, presets=PRESETS, choices=common.link_choices())
for notice in notices:
    st.warning(md_escape(notice), icon="⚠️")
if len(scenarios) < compare.MIN_SCENARIOS:
    st.info("Choose at least two scenarios to compare (above), or paste links.")
    st.stop()

with st.spinner("Optimising each scenario..."):
    cmp = compare.compare(scenarios, common.solve, seconds=budget.COMPARE_SECONDS)
for label, r in cmp.results.items():
    if not r.ok:
        st.warning(f"{md_escape(label)}: no feasible plan ({md_escape(r.message)}).", icon="🚫")

st.subheader("Headline results")
st.altair_chart(compare_charts.headline_chart(cmp.summary), width="stretch")
number = st.column_config.NumberColumn(format="%.1f")
st.dataframe(cmp.headline.drop(columns=["key"]), hide_index=True, key="cmp_results",
             column_config={label: number for label in cmp.scenarios})

st.subheader("Dependence by mineral")
st.altair_chart(compare_charts.dependence_by_mineral_chart(cmp.by_mineral), width="stretch")
with st.expander("As a table (%)"):
    st.dataframe(cmp.by_mineral_wide.drop(columns=["mineral_id"]), hide_index=True,
                 column_config={c: number for c in cmp.by_mineral_wide.columns if c not in ("mineral_id", "mineral")})

st.subheader("Inputs")
only_diff = st.toggle("Only inputs that differ", value=True, key="cmp_only_diff")
inputs = compare.inputs_side_by_side(cmp.scenarios, as_text=True)
shown = inputs[inputs.differs] if only_diff else inputs
if shown.empty:
    st.write("These scenarios have the same inputs.")
else:
    highlight = shown.style.apply(lambda r: ["background-color: #fff3cd" if r.differs else ""] * len(r), axis=1)
    st.dataframe(highlight, hide_index=True, key="cmp_inputs",
                 column_order=["input", "unit", *cmp.scenarios, "differs"],
                 column_config={"differs": st.column_config.CheckboxColumn("Differs")})

st.subheader("Projects built (% of each project's new capacity)")
if cmp.builds.empty:
    st.write("No scenario builds a project.")
else:
    st.dataframe(cmp.builds.drop(columns=["project_id"]), hide_index=True, key="cmp_builds",
                 column_config={label: st.column_config.NumberColumn(format="%.0f") for label in cmp.scenarios}
                 | {"differs": st.column_config.CheckboxColumn("Differs")})
st.subheader("Financing by financier (M USD)")
if cmp.financing.empty:
    st.write("No scenario uses partner financing.")
else:
    st.dataframe(cmp.financing.drop(columns=["financier_id"]), hide_index=True, key="cmp_financing",
                 column_config={label: st.column_config.NumberColumn(format="%.0f") for label in cmp.scenarios})

st.subheader("Downloads")
d1, d2 = st.columns(2)
# Files are built when clicked (a callable), not on every rerun.
d1.download_button("Download the comparison (CSV)", partial(compare.to_csv, cmp), file_name="heartland-comparison.csv",
                   mime="text/csv", key="cmp_dl_csv", help="One tidy table: section, item, unit, scenario, value.")
d2.download_button("Download the comparison (Excel)", partial(compare.to_excel, cmp, common.reference_table("sources")),
                   file_name="heartland-comparison.xlsx", key="cmp_dl_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   help="A sheet per table, each scenario's link, and the sources.")
