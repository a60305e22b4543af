"""Heartland: entry point. Page config and navigation only."""
import streamlit as st

st.set_page_config(page_title="Heartland: Kazakhstan critical minerals", page_icon="⛰️", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True, url_path="overview"),
    st.Page("pages/explorer.py", title="Scenario explorer", icon="🎛️", url_path="explorer"),
    st.Page("pages/tradeoffs.py", title="Trade-offs", icon="📉", url_path="tradeoffs"),
    st.Page("pages/risk.py", title="Risk", icon="🎲", url_path="risk"),
    st.Page("pages/sensitivity.py", title="Sensitivity", icon=":material/insights:", url_path="sensitivity"),
    st.Page("pages/compare.py", title="Compare", icon="⚖️", url_path="compare"),
    st.Page("pages/projects.py", title="Projects", icon="⛏️", url_path="projects"),
    st.Page("pages/supply_chains.py", title="Global supply chains", icon="🌐", url_path="supply-chains"),
    st.Page("pages/methodology.py", title="Methodology & data", icon="📚", url_path="methodology"),
]
st.navigation(pages).run()
