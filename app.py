"""Heartland: entry point. Page config and navigation only."""
import streamlit as st

from pages import common

st.set_page_config(page_title="Heartland: Kazakhstan critical minerals", page_icon=":material/landscape:",
                   layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True, url_path="overview"),
    st.Page("pages/explorer.py", title="Scenario explorer", icon=":material/tune:", url_path="explorer"),
    st.Page("pages/tradeoffs.py", title="Trade-offs", icon=":material/show_chart:", url_path="tradeoffs"),
    st.Page("pages/risk.py", title="Risk", icon=":material/casino:", url_path="risk"),
    st.Page("pages/sensitivity.py", title="Sensitivity", icon=":material/insights:", url_path="sensitivity"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/projects.py", title="Projects", icon=":material/factory:", url_path="projects"),
    st.Page("pages/supply_chains.py", title="Global supply chains", icon=":material/public:",
            url_path="supply-chains"),
    st.Page("pages/methodology.py", title="Methodology & data", icon=":material/menu_book:", url_path="methodology"),
]
with common.routed():
    st.navigation(pages).run()
