"""Heartland: entry point. Page config, the reader's language and navigation only."""
import streamlit as st

from analytics.present.i18n import _
from pages import common, language

st.set_page_config(page_title="Heartland: Kazakhstan critical minerals", page_icon=":material/landscape:",
                   layout="wide")
language.choose_language()  # before the page titles: they are in the reader's language

pages = [
    st.Page("pages/overview.py", title=_("Overview"), icon=":material/home:", default=True, url_path="overview"),
    st.Page("pages/explorer.py", title=_("Scenario explorer"), icon=":material/tune:", url_path="explorer"),
    st.Page("pages/tradeoffs.py", title=_("Trade-offs"), icon=":material/show_chart:", url_path="tradeoffs"),
    st.Page("pages/risk.py", title=_("Risk"), icon=":material/casino:", url_path="risk"),
    st.Page("pages/sensitivity.py", title=_("Sensitivity"), icon=":material/insights:", url_path="sensitivity"),
    st.Page("pages/compare.py", title=_("Compare"), icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/projects.py", title=_("Projects"), icon=":material/factory:", url_path="projects"),
    st.Page("pages/supply_chains.py", title=_("Global supply chains"), icon=":material/public:",
            url_path="supply-chains"),
    st.Page("pages/methodology.py", title=_("Methodology & data"), icon=":material/menu_book:",
            url_path="methodology"),
]
with common.routed():
    try:
        st.navigation(pages).run()
    finally:  # the scenario's widgets are drawn in every run (a page that stops early draws them itself:
        # common.stop_page), except a new session's first run, held back after its headline
        if not common.sidebar_held_back():
            common.draw_scenario_sidebar()
