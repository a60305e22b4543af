"""A table as a page shows it: ids left out, key columns first, human headers with units, data
names in the reader's language, no 'None' or 'nan' cells, numbers rounded and written for the locale.

`shown(df)` returns the frame to draw and, per column, a plain description (kind, header, format)
that a page turns into st.column_config (Streamlit stays in pages/).

English keeps numbers as numbers (sortable, printf formats with thousands separators); Russian
writes them with Babel (decimal comma, no-break thousands space), which a printf format cannot.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from analytics.present.display import formats
from analytics.present.display.names import COLUMNS, ID_COLUMNS, data_name, header
from analytics.present.i18n import current

# columns whose values are names from the data or category words: shown in the reader's language
NAMED_VALUES = frozenset({"mineral", "financier", "destination", "owner_origin", "main_offtake", "stage_label",
                          "case", "country", "top_country", "leader", "band", "figure", "kind_label", "verdict",
                          "minerals", "unit"})
KEY_FIRST = ("project", "name", "mineral", "financier", "case", "label", "stage_label", "input_label", "figure",
             "destination", "owner", "country", "date", "table", "column", "claim", "source_id_shown", "title")


@dataclass(frozen=True)
class Shown:
    """A frame ready to draw and how to draw each visible column: {column: {"kind", "label", "format"}}.
    Ids stay in the frame, after the visible columns, for a program reading it; `order` leaves them out."""

    frame: pd.DataFrame
    columns: dict[str, dict] = field(default_factory=dict)

    @property
    def order(self) -> list[str]:
        return list(self.columns)


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return "" if text in ("None", "nan", "NaN", "<NA>") else text


def _translate_list(value: str) -> str:
    parts = [p.strip() for p in value.split(",")] if "," in value else [value]
    return ", ".join(data_name(p) for p in parts)


def shown(df: pd.DataFrame, *, keys: Iterable[str] = (), hide: Iterable[str] = (),
          labels: Mapping[str, str] | None = None, digits: Mapping[str, int] | None = None,
          keep_ids: Iterable[str] = ()) -> Shown:
    """The page's version of `df`. `keys`: columns to put first (default: the usual name columns);
    `hide`: more columns to leave out; `labels`: headers for columns COLUMNS does not know (already
    translated); `digits`: decimals by column, overriding COLUMNS; `keep_ids`: id-like columns to show."""
    keep = set(keep_ids)
    drop = (set(ID_COLUMNS) - keep) | set(hide)
    visible = [c for c in df.columns if c not in drop]
    first = [c for c in (*keys, *KEY_FIRST) if c in visible]
    order = list(dict.fromkeys(first)) + [c for c in visible if c not in first]
    ru = current() != "en"
    cols: dict[str, object] = {}  # built column by column, one frame at the end (pages draw three a rerun)
    spec: dict[str, dict] = {}
    for col in order:
        values = df[col]
        info = COLUMNS.get(col)
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        kind = info.kind if info else ("number" if numeric else "text")
        if kind == "number" and not numeric:
            kind = "text"
        label = (labels or {}).get(col) or header(col)
        n = (digits or {}).get(col, info.digits if info else 1)
        if kind in ("number", "progress"):
            rounded = pd.to_numeric(values, errors="coerce").round(n)
            if ru and kind == "number":
                cols[col] = [("" if v != v else formats.number(v, n)) for v in rounded.to_numpy(float)]
                spec[col] = {"kind": "text", "label": label}
            else:
                cols[col] = rounded.to_numpy()
                spec[col] = {"kind": kind, "label": label, "format": f"%,.{n}f" if kind == "number" else f"%.{n}f %%"}
        elif kind == "year":
            cols[col] = pd.to_numeric(values, errors="coerce").astype("Int64").array
            spec[col] = {"kind": "number", "label": label, "format": "%d"}
        elif kind == "bool":
            cols[col] = values.to_numpy()
            spec[col] = {"kind": "bool", "label": label}
        else:
            fix = (_translate_list if col == "minerals" else data_name) if col in NAMED_VALUES else None
            words = {}
            cells = []
            for v in values.tolist():  # each distinct value cleaned (and translated) once
                key = v if isinstance(v, (str, int, float, type(None))) and v == v else None
                if key not in words:
                    text = _cell_text(v)
                    words[key] = fix(text) if fix and text else text
                cells.append(words[key])
            cols[col] = cells
            spec[col] = {"kind": "link" if kind == "link" else "text", "label": label}
    for col in df.columns:  # ids stay, after what is shown, for a program reading the frame
        if col not in cols:
            cols[col] = df[col].to_numpy()
    return Shown(pd.DataFrame(cols), spec)


def for_download(df: pd.DataFrame, *, digits: Mapping[str, int] | None = None) -> pd.DataFrame:
    """A table for a CSV or Excel file: every column kept (ids too, for machines), numbers rounded to
    what they mean (shares 1e-6, tonnes 0.001 t, money 1e-6 M USD = 1 USD) and units in the headers."""
    from analytics.present.exports import rounded

    return rounded(df, digits=digits)


__all__ = ["KEY_FIRST", "NAMED_VALUES", "Shown", "for_download", "shown"]
