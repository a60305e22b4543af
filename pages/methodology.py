"""Methodology & data: the formulation in words and maths, every assumption, every source,
the op-ed's claims beside primary figures, data downloads, app and data version."""
import streamlit as st

from analytics import APP_VERSION
from analytics.analyses import supply
from analytics.data import sources, store
from analytics.present import methodology
from analytics.present.i18n import N_, _, current, fill
from pages import common, outputs, reference

common.page_guard()
st.title(_("Methodology & data"))

tables = reference.catalogue_tables()
data_version = store.data_version()
lang = current()

st.caption(fill(N_("Heartland {app} · data version {data} (a hash of every file in data/: it changes whenever a "
                   "figure does, so a downloaded result can be matched to the data it came from)."),
                app=APP_VERSION, data=data_version))

st.header(_("The model"))
st.markdown(methodology.text("formulation", lang))
with st.expander(_("Symbols")):
    st.markdown(methodology.text("symbols", lang))

st.header(_("Assumptions"))
st.markdown(methodology.text("assumptions", lang))

st.header(_("Scenario inputs"))
st.caption(_("Every input that changes a result. The link key is what a share link carries (only values that differ "
             "from the defaults)."))
inputs = methodology.scenario_inputs_table()
inputs = inputs.assign(input_label=inputs.input.map(_), unit=inputs.unit.map(lambda u: _(u) if u else u),
                       meaning=inputs.meaning.map(lambda m: _(m) if m else m))
outputs.table(inputs, key="method_inputs", keys=("input_label",))

st.header(_("The op-ed's claims beside primary figures"))
st.caption(_("Claims from \"Bring Kazakhstan Into America's Critical Minerals Club\" (The National Interest, 2025) "
             "next to what primary sources say. 'see note' means the two are not directly comparable numbers."))
claims = supply.claims_table(tables.claims, tables.sources)
outputs.table(claims, key="method_claims", keys=("claim",))

st.header(_("Sources"))
listed = sources.sources_table(tables)
st.caption(fill(N_("{n} sources. 'Cited in' lists the tables that use each one."), n=str(len(listed))))
outputs.table(listed.assign(source=listed.source_id), key="method_sources", keys=("source", "publisher", "title"),
             labels={"source": _("Source id")})

st.header(_("Data dictionary"))
st.caption(_("Every column of the reference tables as data/datapackage.json (a Frictionless Data Package) describes "
             "it: type, unit, constraints, meaning, and the years the table's figures describe. Units are also in the "
             "column names: _tpy tonnes a year of the mineral's unit, _musd million US dollars, _pct percent, "
             "_kt_per_yr thousand tonnes of cargo a year."))
outputs.table(methodology.data_dictionary(), key="method_dictionary", keys=("table", "column"))

st.header(_("Downloads"))
st.caption(_("Each reference table as CSV, exactly as the model reads it."))
columns = st.columns(3)
for i, (name, df) in enumerate(tables.as_dict().items()):
    with columns[i % 3]:
        outputs.download_csv(df, _(name.replace("_", " ").capitalize()), f"data-{name.replace('_', '-')}")
with columns[len(tables.as_dict()) % 3]:
    outputs.download_csv(methodology.data_dictionary(), _("Data dictionary"), "data-dictionary")
