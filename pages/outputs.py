"""What leaves a page: tables as a reader sees them, CSV downloads, the share link, this session's saves and
restored bundles (layout helpers shared by the pages; the words and numbers come from analytics.present)."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from analytics.model.scenario import Scenario
from analytics.present.display import tables as display_tables
from analytics.present.i18n import N_, _, fill
from pages import common


def restore_bundle() -> None:
    """Callback of the bundle uploader: load its scenario into the widgets, or say why not."""
    from analytics.present import exports

    upload = st.session_state.get("bundle_upload")
    if upload is None:
        return
    try:
        upload.seek(0)
        decoded = exports.read_bundle(upload, common.link_choices())  # reads at most MAX_BUNDLE_BYTES
    except ValueError as exc:
        st.session_state["bundle_error"] = str(exc)
        return
    common.set_widgets(decoded.scenario)
    st.session_state["_notices"] = ("Restored the scenario from the uploaded bundle.", *decoded.notices)


def remember_save(sid: str, name: str) -> None:
    """Keep a scenario this session saved, so it can list its own saves (and only those)."""
    mine = [m for m in st.session_state.get("my_saves", []) if m["id"] != sid]
    st.session_state["my_saves"] = [*mine, {"id": sid, "name": name}][-50:]


def my_saves() -> pd.DataFrame:
    """The scenarios this session saved (id, name), newest last. Saves are private: the store is never
    listed, so another session's saves are reachable only through their links."""
    return pd.DataFrame(st.session_state.get("my_saves", []), columns=["id", "name"])


def share_url(scenario: Scenario) -> str:
    """The address that opens this page with this scenario, in this language ('' when the page's own
    address is not known)."""
    from urllib.parse import urlencode

    base = st.context.url or ""
    query = urlencode(common.link_params(scenario))
    return f"{base}?{query}" if query else base


def share_link(scenario: Scenario) -> None:
    """The current view as a copyable link (st.code has a copy button)."""
    st.code(share_url(scenario) or _("(this page's address)"), language=None, wrap_lines=True)
    st.caption(_("Copy this link to share exactly this scenario: it opens the same page with the same results "
                 "on any machine, in the same language. Only values that differ from the defaults are in it."))


def _csv(table: pd.DataFrame | Callable[[], pd.DataFrame]) -> bytes:
    from analytics.present.exports import rounded, to_csv

    return to_csv(rounded(table() if callable(table) else table))


def download_csv(table: pd.DataFrame | Callable[[], pd.DataFrame], label: str, file_stem: str) -> None:
    """A CSV download button for one table (the file is built when clicked, not on every rerun): ids kept for
    machines, numbers rounded to what they mean, units in the column names. `table` may be a function that
    builds it, so a table no chart needs is not built on every rerun. `label` is already translated."""
    st.download_button(fill(N_("{table} (CSV)"), table=label), partial(_csv, table), icon=":material/download:",
                       file_name=f"heartland-{file_stem}.csv", mime="text/csv", key=f"dl_{file_stem}", wrap=True,
                       help=_("Download this table as CSV"))


def table(df: pd.DataFrame, *, key: str | None = None, height: int | str = "auto", width: str = "stretch",
          styler=None, widths: dict[str, str | int] | None = None, **options) -> None:
    """st.dataframe of a table as a reader should see it (display.tables.shown: no ids, key columns first,
    human headers with units, names in the reader's language, numbers for the locale)."""
    shown = display_tables.shown(df, **options)
    config = {}
    for col, spec in shown.columns.items():
        kind, label, size = spec["kind"], spec["label"], (widths or {}).get(col)
        if kind == "number":
            config[col] = st.column_config.NumberColumn(label, format=spec["format"], width=size)
        elif kind == "progress":
            config[col] = st.column_config.ProgressColumn(label, min_value=0, max_value=100, format=spec["format"],
                                                          width=size)
        elif kind == "bool":
            config[col] = st.column_config.CheckboxColumn(label, width=size)
        elif kind == "link":
            config[col] = st.column_config.LinkColumn(label, width=size)
        else:
            config[col] = st.column_config.TextColumn(label, width=size)
    data = styler(shown.frame) if styler is not None else shown.frame
    st.dataframe(data, hide_index=True, key=key, height=height, width=width, column_config=config,
                 column_order=shown.order)  # ids stay in the frame (for machines), never in the view
