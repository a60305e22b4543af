"""Sources and the reference tables as a whole: every table loaded at once, source ids split,
resolved to publisher, title and address, and every citation in the data listed."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

import pandas as pd

from analytics.data import package, store

# ----------------------------------------------------------------------------- tables

@dataclass(frozen=True)
class Tables:
    """Every reference table, as loaded from the database (one DataFrame each): the resources of
    data/datapackage.json, in its order."""

    sources: pd.DataFrame
    minerals: pd.DataFrame
    projects: pd.DataFrame
    project_owners: pd.DataFrame
    contracts: pd.DataFrame
    commitments: pd.DataFrame
    financiers: pd.DataFrame
    corridors: pd.DataFrame
    routes: pd.DataFrame
    route_shares: pd.DataFrame
    processing_capacity: pd.DataFrame
    world_production: pd.DataFrame
    processing_shares: pd.DataFrame
    export_controls: pd.DataFrame
    claims: pd.DataFrame
    kazakhstan_outline: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


TABLE_NAMES = tuple(f.name for f in fields(Tables))


def load_tables(con=None, *, reader: Callable[[str], pd.DataFrame] | None = None) -> Tables:
    """All reference tables, read with `reader(name)` (default: store.table on `con`)."""
    read = reader or (lambda name: store.table(name, con))
    return Tables(**{name: read(name) for name in TABLE_NAMES})


# ----------------------------------------------------------------------------- small helpers

def split_ids(value) -> list[str]:
    """The ids in a `;`-separated source_id (or mineral_ids) cell, in order, without blanks.

    >>> split_ids("usgs-2025; iea-2024;;usgs-2025")
    ['usgs-2025', 'iea-2024']
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    out: list[str] = []
    for part in str(value).split(";"):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def _flag(series: pd.Series) -> pd.Series:
    """A boolean column with missing values read as False."""
    return series.map(lambda v: False if v is None or (not isinstance(v, str) and pd.isna(v)) else bool(v)).astype(bool)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def mineral_names(minerals: pd.DataFrame, ids: Iterable[str] = ()) -> dict[str, str]:
    """mineral_id -> display name; ids not in the minerals table get a readable fallback."""
    names = dict(zip(minerals.mineral_id, minerals.name))
    for i in ids:
        names.setdefault(i, str(i).replace("_", " ").capitalize())
    return names


def markdown_escape(text: str) -> str:
    """Text safe to put inside Streamlit markdown (no links, emphasis or LaTeX from data)."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|$~-])", r"\\\1", _text(text))


def _join_ids(values: Iterable) -> str:
    out: list[str] = []
    for v in values:
        for i in split_ids(v):
            if i not in out:
                out.append(i)
    return ";".join(out)


# ----------------------------------------------------------------------------- sources

def resolve_sources(ids: str | Sequence[str], sources: pd.DataFrame) -> pd.DataFrame:
    """The sources rows for the given ids (a `;`-separated cell or a list), in the given order.

    An id with no source row is kept, with found=False, so a gap is shown rather than hidden.
    """
    wanted = split_ids(ids) if isinstance(ids, str) or ids is None else [i for v in ids for i in split_ids(v)]
    wanted = list(dict.fromkeys(wanted))
    by_id = sources.set_index("source_id")
    rows = []
    for sid in wanted:
        if sid in by_id.index:
            r = by_id.loc[sid]
            rows.append(dict(source_id=sid, publisher=_text(r.publisher), title=_text(r.title),
                             year=r.year, url=_text(r.url), note=_text(r.get("note")), found=True))
        else:
            rows.append(dict(source_id=sid, publisher="", title="(no such source in the data)", year=None,
                             url="", note="", found=False))
    return pd.DataFrame(rows, columns=["source_id", "publisher", "title", "year", "url", "note", "found"])


def source_markdown(row) -> str:
    """'Publisher (2025). [Title](url)' with the data's text escaped; no link for a non-http URL."""
    title = markdown_escape(row["title"])
    url = _text(row["url"])
    year = row["year"]
    year_txt = f" ({int(year)})" if year is not None and not pd.isna(year) else ""
    safe_url = url.replace(")", "%29").replace(" ", "%20")
    if url.startswith(("http://", "https://")):
        link = f"[{title}]({safe_url})"
    elif re.fullmatch(r"docs/[\w./-]+(#[\w-]+)?", url):  # a method note in this repository
        link = f"{title} (`{url}` in the repository)"
    else:
        link = title
    publisher = markdown_escape(row["publisher"])
    return f"{publisher}{year_txt}. {link}" if publisher else link


def source_columns(df: pd.DataFrame) -> list[str]:
    """The columns of a table that hold source ids (their names end in source_id)."""
    return [c for c in df.columns if c.endswith("source_id")]


def key_columns(name: str) -> tuple[str, ...]:
    """The columns that name a row of a table: its primary key in datapackage.json."""
    try:
        return package.primary_key(name)
    except KeyError:
        return ()


def citations(tables: Tables | dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every source id cited anywhere: table, row (its key), column, source_id. One row per citation."""
    items = tables.as_dict() if isinstance(tables, Tables) else tables
    out = []
    for name, df in items.items():
        if name == "sources":
            continue
        keys = [k for k in key_columns(name) if k in df.columns] or [df.columns[0]]
        for col in source_columns(df):
            for key_vals, cell in zip(df[keys].astype(str).agg(" / ".join, axis=1), df[col]):
                for sid in split_ids(cell):
                    out.append((name, key_vals, col, sid))
    cit = pd.DataFrame(out, columns=["table", "row", "column", "source_id"])
    return cit.drop_duplicates().reset_index(drop=True)


def sources_table(tables: Tables) -> pd.DataFrame:
    """Every source with the tables that cite it (`cited_in`) and how many rows do (`citations_n`)."""
    cit = citations(tables)
    used = cit.groupby("source_id").agg(cited_in=("table", lambda t: ", ".join(sorted(set(t)))),
                                        citations_n=("row", "size"))
    s = tables.sources.copy()
    s = s.merge(used, left_on="source_id", right_index=True, how="left")
    s["cited_in"] = s.cited_in.fillna("")
    s["citations_n"] = s.citations_n.fillna(0).astype(int)
    cols = ["source_id", "publisher", "title", "year", "url", "accessed", "note", "cited_in", "citations_n"]
    return s[[c for c in cols if c in s.columns]].sort_values("source_id").reset_index(drop=True)


def sources_of(df: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources cited by the rows of any table (all of its *source_id columns), resolved."""
    cells = [v for c in source_columns(df) for v in df[c]]
    return resolve_sources(cells, sources)

