"""Compare: 2-4 scenarios (presets, saved, pasted links, the current one) side by side."""
import pandas as pd
import streamlit as st

from analytics import charts, compare, exports, saved
from analytics.presets import PRESETS
from pages import common

current = common.current_scenario()
st.title("Compare scenarios")
st.caption("Pick two to four scenarios: presets from the policy debate, scenarios saved with a short link, "
           "links pasted from colleagues, and the one in the sidebar.")

options = {"Current scenario (sidebar)": current}
options.update({f"Preset: {p.name}": p.scenario for p in PRESETS.values()})
recent = saved.recent(limit=30)
options.update({f"Saved: {row['name'][:60]} ({row.id})": row.id for _, row in recent.iterrows()})

chosen = st.multiselect("Scenarios", list(options), default=list(options)[:2], max_selections=4, key="cmp_pick")
pasted = st.text_area("Or paste links, one per line", key="cmp_links", height=80,
                      placeholder="https://.../explorer?v=1&exim=1500 or ?s=AbC123")

scenarios: dict[str, object] = {}
for label in chosen:
    value = options[label]
    if isinstance(value, str):  # a saved id
        hit = saved.load(value)
        if hit is None:
            st.warning(f"{label}: no longer found.")
            continue
        value = hit.scenario
    scenarios[label] = value
for i, line in enumerate(l for l in pasted.splitlines() if l.strip()):
    scenario, notices = compare.parse_link(line)
    for n in notices:
        st.warning(f"Link {i + 1}: {n}")
    if scenario is not None:
        scenarios[f"Link {i + 1}"] = scenario
if len(scenarios) > 4:
    st.info("Showing the first four scenarios.")
    scenarios = dict(list(scenarios.items())[:4])
if len(scenarios) < 2:
    st.info("Choose at least two scenarios to compare.")
    st.stop()

with st.spinner("Optimising each scenario..."):
    results = {label: common.solve(s) for label, s in scenarios.items()}

for label, r in results.items():
    if not r.ok:
        st.warning(f"{label}: no feasible plan ({r.message}).")
st.subheader("Results")
res = compare.results_side_by_side(results)
st.dataframe(res, hide_index=True)
st.subheader("Dependence by mineral")
st.altair_chart(charts.compare_chart(compare.dependence_by_mineral(results)), width="stretch")
st.subheader("Inputs")
inputs = compare.inputs_side_by_side(scenarios)
only_diff = st.toggle("Only inputs that differ", value=True, key="cmp_only_diff")
shown = inputs[inputs.differs] if only_diff else inputs
st.dataframe(shown.style.apply(lambda r: ["background-color: #fff3cd" if r.differs else ""] * len(r), axis=1),
             hide_index=True)

c1, c2 = st.columns(2)
with c1:
    common.download_csv(pd.concat([res.assign(table="results"), inputs.assign(table="inputs")]), "comparison",
                        "comparison")
with c2:
    buf = exports.tables_workbook({"results": res, "inputs": inputs,
                                   "by_mineral": compare.dependence_by_mineral(results)})
    st.download_button("Download comparison (Excel)", buf, file_name="heartland-comparison.xlsx", key="dl_cmp_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
