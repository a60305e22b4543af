"""What the data pages share (Projects, Global supply chains, Methodology): the reference tables, the world-supply
views and the caption saying which years the figures are for; a plain error instead of a page that cannot load."""
from __future__ import annotations

import streamlit as st

from analytics.data import store
from analytics.present.i18n import N_, _, fill
from analytics.present.text import md_escape
from pages.common import reference_table, stop_page


def catalogue_tables():
    """The reference tables for the data pages, or a plain error and the end of the page."""
    from analytics.data import sources

    try:
        return sources.load_tables(reader=reference_table)
    except (store.DataError, OSError) as exc:
        st.error(_("The reference data could not be loaded, so this page cannot be shown.") + " " + md_escape(str(exc)))
        stop_page()


def world_supply():
    """The world-supply views (shares, China's share, concentration, Kazakhstan's place) for the data pages."""
    from analytics.analyses import supply

    try:
        return supply.load_world(reader=reference_table)
    except (store.DataError, OSError) as exc:
        st.error(_("The world-supply data could not be loaded, so this page cannot be shown.") + " "
                 + md_escape(str(exc)))
        stop_page()


def vintage_caption(*resources: str) -> None:
    """A caption saying which publication and which years the page's figures come from (datapackage.json)."""
    from analytics.data import package

    def words(name: str) -> str:  # package.vintage_caption, in the reader's language (publications keep their titles)
        r = package.resource(name)
        publishers = "; ".join(s["title"] for s in r.get("sources", []) if s.get("title"))
        years = package.vintage(name)
        return (_(r.get("title", name)) + (f": {publishers}" if publishers else "")
                + (", " + fill(N_("figures for {years}"), years=years) if years else ""))

    st.caption(" · ".join(words(r) for r in resources))  # the repository's own text, not a user's
