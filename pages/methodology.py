"""Methodology & data: the formulation in words and maths, every assumption, every source,
the op-ed's claims beside primary figures, data downloads, app and data version."""
import streamlit as st

from analytics.analyses import supply
from analytics.data import sources, store
from analytics.present import methodology
from analytics.present.exports import APP_VERSION
from pages import common

common.page_guard()
st.title("Methodology & data")

tables = common.catalogue_tables()
data_version = store.data_version()

st.caption(f"Heartland {APP_VERSION} · data version {data_version} (a hash of every file in data/: it changes "
           "whenever a figure does, so a downloaded result can be matched to the data it came from).")

st.header("The model")
st.markdown(methodology.text("formulation"))
with st.expander("Symbols"):
    st.markdown(methodology.text("symbols"))

st.header("Assumptions")
st.markdown(methodology.text("assumptions"))

st.header("Scenario inputs")
st.caption("Every input that changes a result. The URL key is what a share link carries (only values that differ "
           "from the defaults).")
inputs = methodology.scenario_inputs_table()
st.dataframe(inputs, hide_index=True, width="stretch", key="method_inputs")

st.header("The op-ed's claims beside primary figures")
st.caption("Claims from \"Bring Kazakhstan Into America's Critical Minerals Club\" (The National Interest, 2025) "
           "next to what primary sources say. 'see note' means the two are not directly comparable numbers.")
claims = supply.claims_table(tables.claims, tables.sources)
st.dataframe(claims, hide_index=True, width="stretch", key="method_claims")

st.header("Sources")
sources = sources.sources_table(tables)
st.caption(f"{len(sources)} sources. 'cited in' lists the tables that use each one.")
st.dataframe(sources, hide_index=True, width="stretch", key="method_sources",
             column_config={"url": st.column_config.LinkColumn("link"),
                            "year": st.column_config.NumberColumn("year", format="%d")})

st.header("Data dictionary")
st.caption("Every column of the reference tables as data/datapackage.json (a Frictionless Data Package) describes "
           "it: type, unit, constraints, meaning, and the years the table's figures describe. Units are also in the "
           "column names: _tpy tonnes a year of the mineral's unit, _musd million US dollars, _pct percent, "
           "_kt_per_yr thousand tonnes of cargo a year.")
st.dataframe(methodology.data_dictionary(), hide_index=True, width="stretch", key="method_dictionary")

st.header("Downloads")
st.caption("Each reference table as CSV, exactly as the model reads it.")
columns = st.columns(3)
for i, (name, df) in enumerate(tables.as_dict().items()):
    with columns[i % 3]:
        common.download_csv(df, name.replace("_", " "), f"data-{name.replace('_', '-')}")
with columns[len(tables.as_dict()) % 3]:
    common.download_csv(methodology.data_dictionary(), "data dictionary", "data-dictionary")
