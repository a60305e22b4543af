"""The reference data as a user reads it: the project catalogue, global supply-chain
concentration, Kazakhstan's place, export controls, the op-ed's claims, sources, the data
dictionary and the model's formulation in words and maths.

Every function takes plain DataFrames (the reference tables) and returns plain outputs; nothing
here imports streamlit. Functions rely on the columns of data/SCHEMA.md, never on particular rows.

Concentration (HHI) is the sum of squared shares in percent, 0-10,000:

>>> hhi([50, 30, 20])
3800.0

The `Other` row of a (mineral, stage) in mineral_shares lumps many small countries together, so
it is left out of the HHI, which is then a lower bound; `concentration()` also gives the upper
bound reached if every country in `Other` were as large as the smallest listed one.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analytics import store
from analytics.model import BASE_YEAR, DESTINATION_LABELS, DESTINATIONS
from analytics.scenario import DEFAULTS, FIELDS, OBJECTIVES, PROJECT_MODES

STAGES = ("operating", "expansion", "construction", "feasibility", "exploration")
STAGE_LABELS = {"operating": "Operating", "expansion": "Expansion", "construction": "Construction",
                "feasibility": "Feasibility", "exploration": "Exploration"}
OWNER_LABELS = {
    "kazakh_state": "Kazakh state", "kazakh_private": "Kazakh private", "chinese": "Chinese",
    "russian": "Russian", "western": "Western", "japanese_korean": "Japanese / Korean", "mixed": "Mixed",
}
SHARE_STAGES = ("mining", "processing", "reserves")
# US merger-guideline bands for HHI (1992 guidelines; the 2023 guidelines restored 1,800 as "highly").
HHI_MODERATE, HHI_HIGH = 1000.0, 1800.0


# ----------------------------------------------------------------------------- tables

@dataclass(frozen=True)
class Tables:
    """Every reference table, as loaded from the database (one DataFrame each)."""

    sources: pd.DataFrame
    minerals: pd.DataFrame
    mineral_shares: pd.DataFrame
    projects: pd.DataFrame
    financiers: pd.DataFrame
    corridors: pd.DataFrame
    routes: pd.DataFrame
    processing_capacity: pd.DataFrame
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


def _is_other(country: pd.Series) -> pd.Series:
    c = country.fillna("").astype(str).str.strip().str.lower()
    return c.str.startswith("other") | c.isin(["rest of world", "rest of the world", "row"])


def _is_country(country: pd.Series, name: str) -> pd.Series:
    return country.fillna("").astype(str).str.strip().str.lower() == name.lower()


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
    link = f"[{title}]({safe_url})" if url.startswith(("http://", "https://")) else title
    publisher = markdown_escape(row["publisher"])
    return f"{publisher}{year_txt}. {link}" if publisher else link


def source_columns(df: pd.DataFrame) -> list[str]:
    """The columns of a table that hold source ids (their names end in source_id)."""
    return [c for c in df.columns if c.endswith("source_id")]


KEY_COLUMNS = {
    "sources": ("source_id",), "minerals": ("mineral_id",), "mineral_shares": ("mineral_id", "stage", "country"),
    "projects": ("project_id",), "financiers": ("financier_id",), "corridors": ("corridor_id",),
    "routes": ("route_id",), "processing_capacity": ("destination", "mineral_id"),
    "export_controls": ("event_id",), "claims": ("claim_id",), "kazakhstan_outline": ("ring",),
}


def citations(tables: Tables | dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every source id cited anywhere: table, row (its key), column, source_id. One row per citation."""
    items = tables.as_dict() if isinstance(tables, Tables) else tables
    out = []
    for name, df in items.items():
        if name == "sources":
            continue
        keys = [k for k in KEY_COLUMNS.get(name, ()) if k in df.columns] or [df.columns[0]]
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


# ----------------------------------------------------------------------------- projects

def with_derived(projects: pd.DataFrame, minerals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Projects plus derived columns: main_offtake (destination taking the largest share of output,
    China > Russia > domestic > allied on a tie), new_capacity_tpy, online_year, owner and stage
    labels, and the mineral's name and unit."""
    p = projects.copy()
    cols = [f"offtake_{d}_pct" for d in DESTINATIONS]
    if len(p):
        shares = p[cols].astype(float).fillna(0.0).to_numpy()
        p["main_offtake"] = [DESTINATION_LABELS[DESTINATIONS[i]] for i in shares.argmax(axis=1)]
    else:
        p["main_offtake"] = pd.Series(dtype=str)
    p["new_capacity_tpy"] = (p.capacity_tpy.astype(float) - p.output_tpy.astype(float)).clip(lower=0.0)
    p["online_year"] = (BASE_YEAR + np.ceil(p.lead_time_years.astype(float))).astype(int)
    p["owner"] = p.owner_origin.map(OWNER_LABELS).fillna(p.owner_origin)
    p["stage_label"] = p.stage.map(STAGE_LABELS).fillna(p.stage)
    if minerals is not None:
        names = mineral_names(minerals, p.mineral_id)
        p["mineral"] = p.mineral_id.map(names)
        p["unit"] = p.mineral_id.map(dict(zip(minerals.mineral_id, minerals.unit))).fillna("t")
    return p


def filter_options(projects: pd.DataFrame) -> dict[str, list[str]]:
    """The values each catalogue filter can take, from the data (stages in life-cycle order)."""
    def values(col):
        return sorted({_text(v) for v in projects[col] if _text(v)})
    stages = values("stage")
    return {
        "mineral_id": values("mineral_id"),
        "stage": [s for s in STAGES if s in stages] + [s for s in stages if s not in STAGES],
        "owner_origin": [o for o in OWNER_LABELS if o in values("owner_origin")],
        "region": values("region"),
    }


def filter_projects(projects: pd.DataFrame, *, minerals: Iterable[str] = (), stages: Iterable[str] = (),
                    owners: Iterable[str] = (), regions: Iterable[str] = ()) -> pd.DataFrame:
    """Projects matching every filter given; an empty filter keeps all. (Matches the
    `projects_filtered` query in queries.sql for single values, and adds region and lists.)"""
    keep = pd.Series(True, index=projects.index)
    for col, chosen in (("mineral_id", minerals), ("stage", stages), ("owner_origin", owners), ("region", regions)):
        chosen = [c for c in chosen if c is not None]
        if chosen:
            keep &= projects[col].isin(chosen)
    return projects[keep].reset_index(drop=True)


CATALOGUE_COLUMNS = ["project_id", "name", "mineral", "product", "stage", "owner_origin", "operator", "region",
                     "output_tpy", "capacity_tpy", "new_capacity_tpy", "unit", "capex_musd", "lead_time_years",
                     "online_year", "main_offtake", "offtake_china_pct", "offtake_russia_pct",
                     "offtake_domestic_pct", "offtake_allied_pct", "is_estimate", "estimate_basis", "source_id"]


def catalogue_table(projects: pd.DataFrame, minerals: pd.DataFrame) -> pd.DataFrame:
    """The catalogue as shown and downloaded: one row per project, units in the column names
    (tonnages in the mineral's `unit`)."""
    p = with_derived(projects, minerals)
    return p[[c for c in CATALOGUE_COLUMNS if c in p.columns]].reset_index(drop=True)


@dataclass(frozen=True)
class ProjectDetail:
    """One project as the detail panel shows it."""

    project_id: str
    name: str
    figures: pd.DataFrame     # figure, value, unit
    offtake: pd.DataFrame     # destination, share_pct
    is_estimate: bool
    estimate_basis: str
    note: str
    sources: pd.DataFrame     # resolve_sources() of its source_id


def project_detail(project_id: str, projects: pd.DataFrame, minerals: pd.DataFrame,
                   sources: pd.DataFrame) -> ProjectDetail:
    """A project's figures with units, its estimate flag and basis, and its resolved sources.

    Raises KeyError if there is no such project.
    """
    rows = projects[projects.project_id == project_id]
    if rows.empty:
        raise KeyError(f"no project {project_id!r}")
    p = with_derived(rows, minerals).iloc[0]
    unit = p["unit"]
    figures = pd.DataFrame([
        ("Mineral", p["mineral"], ""),
        ("Product", _text(p.get("product")), ""),
        ("Stage", p["stage_label"], ""),
        ("Operator", _text(p.get("operator")), ""),
        ("Owner origin", p["owner"], ""),
        ("Region", _text(p.get("region")), ""),
        ("Location", f"{float(p['lat']):.2f} N, {float(p['lon']):.2f} E", "degrees"),
        ("Current output", f"{float(p['output_tpy']):,.0f}", f"{unit} per year"),
        ("Capacity once built", f"{float(p['capacity_tpy']):,.0f}", f"{unit} per year"),
        ("New capacity to build", f"{float(p['new_capacity_tpy']):,.0f}", f"{unit} per year"),
        ("Capital still needed", f"{float(p['capex_musd']):,.0f}", "M USD"),
        ("Lead time", f"{float(p['lead_time_years']):g}", "years from 2026"),
        ("New capacity producing from", str(int(p["online_year"])) if p["new_capacity_tpy"] > 0 else "n/a", "year"),
        ("Main offtake destination today", p["main_offtake"], ""),
    ], columns=["figure", "value", "unit"])
    offtake = pd.DataFrame({"destination": [DESTINATION_LABELS[d] for d in DESTINATIONS],
                            "share_pct": [float(p[f"offtake_{d}_pct"]) for d in DESTINATIONS]})
    estimate = bool(_flag(pd.Series([p.get("is_estimate")])).iloc[0])
    return ProjectDetail(str(p["project_id"]), str(p["name"]), figures, offtake, estimate,
                         _text(p.get("estimate_basis")), _text(p.get("note")),
                         resolve_sources(_text(p["source_id"]), sources))


# ----------------------------------------------------------------------------- supply chains

def latest_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """mineral_shares restricted to the latest year of each (mineral, stage)."""
    s = shares.copy()
    year = pd.to_numeric(s.year, errors="coerce").fillna(-1)
    return s[year == year.groupby([s.mineral_id, s.stage]).transform("max")].reset_index(drop=True)


def _group_meta(g: pd.DataFrame) -> dict:
    years = pd.to_numeric(g.year, errors="coerce").dropna()
    return dict(year=int(years.max()) if len(years) else None,
                is_estimate=bool(_flag(g.is_estimate).any()) if "is_estimate" in g else False,
                source_id=_join_ids(g.source_id))


def _groups(shares: pd.DataFrame, stages: Sequence[str]):
    s = latest_shares(shares)
    s = s[s.stage.isin(stages)]
    order = {st: i for i, st in enumerate(stages)}
    keys = sorted(s.groupby(["mineral_id", "stage"]).groups, key=lambda k: (k[0], order[k[1]]))
    for key in keys:
        g = s[(s.mineral_id == key[0]) & (s.stage == key[1])]
        yield key, g


def china_share(shares: pd.DataFrame, minerals: pd.DataFrame,
                stages: Sequence[str] = ("mining", "processing")) -> pd.DataFrame:
    """China's share (%) of each mineral's world mining and processing, latest year.

    Where China has no row of its own its share is reported as 0 with china_listed=False: it is
    then at most the `Other` share (other_pct).
    """
    names = mineral_names(minerals, shares.mineral_id)
    out = []
    for (m, stage), g in _groups(shares, stages):
        china = g[_is_country(g.country, "China")]
        listed = not china.empty
        meta = _group_meta(china if listed else g)
        out.append(dict(mineral_id=m, mineral=names[m], stage=stage,
                        china_share_pct=float(china.share_pct.sum()) if listed else 0.0,
                        china_listed=listed, other_pct=float(g[_is_other(g.country)].share_pct.sum()), **meta))
    cols = ["mineral_id", "mineral", "stage", "china_share_pct", "china_listed", "other_pct", "year",
            "is_estimate", "source_id"]
    return pd.DataFrame(out, columns=cols)


def hhi(shares_pct: Iterable[float]) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares in percent (0-10,000)."""
    return float(sum(float(s) ** 2 for s in shares_pct))


def hhi_upper(named_pct: Sequence[float], other_pct: float) -> float:
    """Largest HHI possible if `other_pct` is split among countries none larger than the smallest
    named one (or than 100 % if none is named): whole pieces of that size plus a remainder."""
    cap = min(named_pct) if len(named_pct) else 100.0
    if other_pct <= 0 or cap <= 0:
        return hhi(named_pct)
    whole = math.floor(other_pct / cap + 1e-9)
    rest = max(other_pct - whole * cap, 0.0)
    return hhi(named_pct) + whole * cap ** 2 + rest ** 2


def hhi_band(value: float) -> str:
    if value > HHI_HIGH:
        return "highly concentrated"
    if value >= HHI_MODERATE:
        return "moderately concentrated"
    return "unconcentrated"


def concentration(shares: pd.DataFrame, minerals: pd.DataFrame,
                  stages: Sequence[str] = ("mining", "processing")) -> pd.DataFrame:
    """HHI per mineral and stage (latest year), from the listed countries only.

    The `Other` row is excluded, so `hhi` is a lower bound whenever other_pct > 0; `hhi_upper`
    is the bound if each country inside `Other` were as large as the smallest listed one. `band`
    reads the lower bound against the US merger-guideline thresholds (1,000 and 1,800).
    """
    names = mineral_names(minerals, shares.mineral_id)
    out = []
    for (m, stage), g in _groups(shares, stages):
        other = _is_other(g.country)
        named = g[~other].sort_values("share_pct", ascending=False)
        named_pct = named.share_pct.astype(float).tolist()
        other_pct = float(g[other].share_pct.sum())
        value = hhi(named_pct)
        out.append(dict(mineral_id=m, mineral=names[m], stage=stage, hhi=value,
                        hhi_upper=hhi_upper(named_pct, other_pct), is_lower_bound=other_pct > 0,
                        other_pct=other_pct, countries_n=len(named),
                        top_country=_text(named.country.iloc[0]) if len(named) else "",
                        top_share_pct=named_pct[0] if named_pct else float("nan"),
                        band=hhi_band(value), **_group_meta(g)))
    cols = ["mineral_id", "mineral", "stage", "hhi", "hhi_upper", "is_lower_bound", "other_pct", "countries_n",
            "top_country", "top_share_pct", "band", "year", "is_estimate", "source_id"]
    return pd.DataFrame(out, columns=cols)


def kazakhstan_place(shares: pd.DataFrame, minerals: pd.DataFrame,
                     stages: Sequence[str] = SHARE_STAGES) -> pd.DataFrame:
    """Kazakhstan's share (%) and rank among the listed countries per mineral and stage.

    Rank 1 = largest; ties share the better rank; `Other` is not a country and is not ranked, nor is a
    country listed with a share of 0 (rank is empty). Where Kazakhstan is not listed, share and rank are
    empty (it is then inside `Other`).
    """
    names = mineral_names(minerals, shares.mineral_id)
    out = []
    for (m, stage), g in _groups(shares, stages):
        named = g[~_is_other(g.country)].copy()
        named["rank"] = named.share_pct.astype(float).rank(ascending=False, method="min")
        kz = named[_is_country(named.country, "Kazakhstan")]
        leader = named.sort_values("share_pct", ascending=False).head(1)
        listed = not kz.empty
        out.append(dict(mineral_id=m, mineral=names[m], stage=stage,
                        kazakhstan_share_pct=float(kz.share_pct.sum()) if listed else float("nan"),
                        rank=int(kz["rank"].min()) if listed and kz.share_pct.sum() > 0 else pd.NA,
                        countries_n=len(named),
                        leader=_text(leader.country.iloc[0]) if len(leader) else "",
                        leader_share_pct=float(leader.share_pct.iloc[0]) if len(leader) else float("nan"),
                        **_group_meta(kz if listed else g)))
    cols = ["mineral_id", "mineral", "stage", "kazakhstan_share_pct", "rank", "countries_n", "leader",
            "leader_share_pct", "year", "is_estimate", "source_id"]
    df = pd.DataFrame(out, columns=cols)
    df["rank"] = df["rank"].astype("Int64")
    return df


def export_control_timeline(events: pd.DataFrame, minerals: pd.DataFrame) -> pd.DataFrame:
    """Export-control events in date order, with mineral names resolved from mineral_ids."""
    e = events.copy()
    ids = [i for v in e.mineral_ids for i in split_ids(v)]
    names = mineral_names(minerals, ids)
    e["date"] = pd.to_datetime(e.date)
    e["minerals"] = e.mineral_ids.map(lambda v: ", ".join(names[i] for i in split_ids(v)))
    e["country"] = e.country.map(_text)
    e["covers"] = e.covers.map(_text)
    cols = ["date", "country", "minerals", "measure", "covers", "mineral_ids", "event_id", "source_id"]
    return e.sort_values(["date", "event_id"])[cols].reset_index(drop=True)


def export_controls_by_mineral(events: pd.DataFrame, minerals: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, mineral) it concerns, for a timeline with a row per mineral."""
    tl = export_control_timeline(events, minerals)
    names = mineral_names(minerals, [i for v in tl.mineral_ids for i in split_ids(v)])
    rows = [dict(date=r.date, mineral=names[m], mineral_id=m, country=r.country, measure=r.measure, covers=r.covers,
                 event_id=r.event_id, source_id=r.source_id)
            for r in tl.itertuples() for m in split_ids(r.mineral_ids)]
    return pd.DataFrame(rows, columns=["date", "mineral", "mineral_id", "country", "measure", "covers", "event_id",
                                       "source_id"])


def _as_number(text: str) -> float | None:
    t = _text(text).replace(",", "").replace("%", "").strip()
    try:
        return float(t)
    except ValueError:
        return None


def claims_table(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The op-ed's claims beside the primary figures, with each side's source in words.

    `verdict` is 'agrees' or 'differs' where both values are plain numbers (within 5 %),
    otherwise 'see note'.
    """
    def cite(cell):
        r = resolve_sources(cell, sources)
        return "; ".join(f"{x.publisher} ({int(x.year)})" if x.found and not pd.isna(x.year) else
                         (x.publisher or x.source_id) for x in r.itertuples())

    def verdict(row):
        a, b = _as_number(row.claimed_value), _as_number(row.primary_value)
        if a is None or b is None:
            return "see note"
        return "agrees" if abs(a - b) <= 0.05 * max(abs(a), abs(b), 1e-12) else "differs"

    c = claims.copy()
    c["verdict"] = c.apply(verdict, axis=1) if len(c) else pd.Series(dtype=str)
    c["claim_source"] = c.claim_source_id.map(cite)
    c["primary_source"] = c.primary_source_id.map(cite)
    cols = ["claim_id", "claim", "claimed_value", "primary_value", "unit", "verdict", "claim_source",
            "primary_source", "note", "claim_source_id", "primary_source_id"]
    return c[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------- headline figures

def _share(shares: pd.DataFrame, mineral: str, stage: str, country: str) -> pd.Series | None:
    s = latest_shares(shares)
    rows = s[(s.mineral_id == mineral) & (s.stage == stage) & _is_country(s.country, country)]
    return None if rows.empty else rows.iloc[0]


def headline_figures(t: Tables) -> pd.DataFrame:
    """The key facts the Overview and Supply-chain pages display, computed from the tables.

    Columns: key, label, value, unit, year, source_id, basis. A figure the data cannot give
    (e.g. no uranium row) is left out rather than shown as zero.
    """
    p, m = t.projects, t.minerals
    rows = [
        ("projects_n", "Projects in the catalogue", len(p), "projects", None, _join_ids(p.source_id),
         "Count of rows in projects.csv."),
        ("producing_projects_n", "Projects producing today", int((p.output_tpy > 0).sum()), "projects", None,
         _join_ids(p[p.output_tpy > 0].source_id), "Projects with output_tpy > 0."),
        ("minerals_n", "Minerals covered", len(m), "minerals", None, _join_ids(m.source_id),
         "Count of rows in minerals.csv."),
        ("us_critical_2025_n", "Of which on the 2025 US critical list", int(_flag(m.us_critical_2025).sum()),
         "minerals", None, _join_ids(m.source_id), "minerals.us_critical_2025 = true."),
        ("capex_needed_musd", "Capital still needed across the catalogue", float(p.capex_musd.sum()), "M USD",
         None, _join_ids(p[p.capex_musd > 0].source_id), "Sum of projects.capex_musd."),
        ("export_controls_n", "Export-control events recorded", len(t.export_controls), "events", None,
         _join_ids(t.export_controls.source_id), "Count of rows in export_controls.csv."),
    ]
    kz_u = _share(t.mineral_shares, "uranium", "mining", "Kazakhstan")
    if kz_u is not None:
        rows.append(("kz_uranium_mining_share_pct", "Kazakhstan's share of world uranium mining",
                     float(kz_u.share_pct), "%", kz_u.year, _text(kz_u.source_id), "mineral_shares, latest year."))
        place = kazakhstan_place(t.mineral_shares, m, stages=("mining",))
        rank = place[place.mineral_id == "uranium"]["rank"]
        if len(rank) and not pd.isna(rank.iloc[0]):
            rows.append(("kz_uranium_mining_rank", "Kazakhstan's rank in world uranium mining", int(rank.iloc[0]),
                         "rank", kz_u.year, _text(kz_u.source_id), "Rank among the listed countries."))
    for stage in ("mining", "processing"):
        cn = _share(t.mineral_shares, "tungsten", stage, "China")
        if cn is not None:
            rows.append((f"china_tungsten_{stage}_share_pct", f"China's share of world tungsten {stage}",
                         float(cn.share_pct), "%", cn.year, _text(cn.source_id), "mineral_shares, latest year."))
    out = pd.DataFrame(rows, columns=["key", "label", "value", "unit", "year", "source_id", "basis"])
    out["value"] = pd.Series([r[2] for r in rows], dtype=object)  # counts stay whole numbers
    out["year"] = pd.array([None if y is None or pd.isna(y) else int(y) for y in out.year], dtype="Int64")
    return out


# ----------------------------------------------------------------------------- methodology text

def scenario_inputs_table() -> pd.DataFrame:
    """Every Scenario input: label, unit, range, default, URL key and meaning (from scenario.FIELDS)."""
    names = {**OBJECTIVES, **PROJECT_MODES}
    rows = []
    for f in FIELDS:
        if f.choices:
            rng = "; ".join(f"{c} ({names.get(c, c)})" for c in f.choices)
        elif f.pattern:
            rng = "'all' or a mineral_id from minerals.csv"
        else:
            rng = f"{f.lo:g} to {f.hi:g}, step {f.step:g}"
        rows.append(dict(input=f.label, unit=f.unit, range=rng, default=str(getattr(DEFAULTS, f.name)),
                         url_key=f.key, field=f.name, meaning=f.help))
    return pd.DataFrame(rows)


_UNIT_BY_SUFFIX = (("_tpy", "t/yr of the mineral's unit"), ("_musd", "M USD"), ("_pct", "%"),
                   ("_kt_per_yr", "kt cargo/yr"), ("_mt_per_yr", "Mt cargo/yr"), ("_usd_per_t", "USD/t"),
                   ("_t_per_t", "t cargo per t"), ("_years", "years"), ("_days", "days"))

# (table, column, meaning); unit comes from the column name's suffix unless given in UNIT_OVERRIDES.
_DICTIONARY: tuple[tuple[str, str, str], ...] = (
    ("sources", "source_id", "Short id of a source; cited by every *source_id column."),
    ("sources", "publisher", "Who published it."),
    ("sources", "title", "Title of the document or page."),
    ("sources", "year", "Year of publication."),
    ("sources", "url", "Where to read it."),
    ("sources", "accessed", "Date the figure was read (ISO)."),
    ("sources", "note", "Which figure was taken and why this source."),
    ("minerals", "mineral_id", "Short id of the mineral."),
    ("minerals", "name", "Display name."),
    ("minerals", "unit", "The unit every tonnage of this mineral is counted in (e.g. t U, t WO3)."),
    ("minerals", "us_critical_2022", "On the 2022 US critical minerals list."),
    ("minerals", "us_critical_2025", "On the 2025 US critical minerals list."),
    ("minerals", "price_usd_per_t", "Price per tonne of the mineral's unit (recent annual average)."),
    ("minerals", "price_year", "Year of that price."),
    ("minerals", "price_source_id", "Source of the price."),
    ("minerals", "criticality_weight", "Weight 1-5 in the dependence index (basis in criticality_basis)."),
    ("minerals", "criticality_basis", "Why that weight."),
    ("minerals", "cargo_t_per_t", "Tonnes of physical cargo shipped per tonne of the unit (concentrate vs metal)."),
    ("minerals", "cargo_basis", "Why that cargo factor."),
    ("minerals", "source_id", "Source of the US-list membership."),
    ("minerals", "note", "Remarks."),
    ("mineral_shares", "mineral_id", "Mineral."),
    ("mineral_shares", "stage", "mining, processing or reserves."),
    ("mineral_shares", "country", "Country, or Other for the rest of the world."),
    ("mineral_shares", "share_pct", "Country's share of world output (or reserves) at that stage; "
                                    "sums to 100 per mineral and stage."),
    ("mineral_shares", "year", "Year of the figure."),
    ("mineral_shares", "is_estimate", "True if not a published number."),
    ("mineral_shares", "estimate_basis", "How an estimate was derived."),
    ("mineral_shares", "source_id", "Source(s) of the share."),
    ("mineral_shares", "note", "Remarks."),
    ("projects", "project_id", "Short id of the project."),
    ("projects", "name", "Project name."),
    ("projects", "mineral_id", "Mineral produced (its unit counts every tonnage of the row)."),
    ("projects", "product", "What leaves the site (ore, concentrate, metal...)."),
    ("projects", "region", "Kazakh oblast."),
    ("projects", "lat", "Latitude."),
    ("projects", "lon", "Longitude."),
    ("projects", "stage", "operating, expansion, construction, feasibility or exploration."),
    ("projects", "operator", "Operating company."),
    ("projects", "owner_origin", "Where the controlling owner is from."),
    ("projects", "output_tpy", "Current output (0 if not producing)."),
    ("projects", "capacity_tpy", "Capacity once the project or expansion is built (>= output)."),
    ("projects", "capex_musd", "Capital still needed to build the new capacity (0 if none)."),
    ("projects", "lead_time_years", "Years from 2026 until the new capacity produces."),
    ("projects", "offtake_china_pct", "Share of output processed in China today (or expected to be)."),
    ("projects", "offtake_russia_pct", "Share processed in Russia."),
    ("projects", "offtake_domestic_pct", "Share processed in Kazakhstan."),
    ("projects", "offtake_allied_pct", "Share processed in allied countries."),
    ("projects", "is_estimate", "True if any figure of the row is not a published number."),
    ("projects", "estimate_basis", "How the estimates were derived."),
    ("projects", "source_id", "Source(s) of the row."),
    ("projects", "note", "Remarks."),
    ("financiers", "financier_id", "Short id of the financier."),
    ("financiers", "name", "Name."),
    ("financiers", "group", "us, japan, eu, private_western, kazakh or china."),
    ("financiers", "is_partner", "Partner financier (optimised) or status-quo lender (shown only)."),
    ("financiers", "default_budget_musd", "Default budget for Kazakh projects (the scenario slider's default)."),
    ("financiers", "max_budget_musd", "Largest plausible budget."),
    ("financiers", "exposure_cap_musd", "Most it lends to one project."),
    ("financiers", "excluded_owner_origins", "Owner origins it will not fund (;-separated)."),
    ("financiers", "basis", "Why these figures."),
    ("financiers", "source_id", "Source(s)."),
    ("corridors", "corridor_id", "china_border, russia_rail, middle_corridor or domestic."),
    ("corridors", "name", "Name."),
    ("corridors", "capacity_kt_per_yr",
     "Cargo capacity available to Kazakh critical-mineral cargo (empty = unlimited)."),
    ("corridors", "total_capacity_mt_per_yr", "Total capacity of the corridor for all cargo, for context."),
    ("corridors", "is_estimate", "True if not a published number."),
    ("corridors", "estimate_basis", "How an estimate was derived."),
    ("corridors", "source_id", "Source(s)."),
    ("corridors", "note", "Remarks."),
    ("routes", "route_id", "Short id: processing destination x corridor."),
    ("routes", "destination", "china, russia, domestic or allied: where the output is processed."),
    ("routes", "corridor_id", "Corridor the cargo travels."),
    ("routes", "cost_usd_per_t", "Transport cost per tonne of the mineral's unit."),
    ("routes", "transit_days", "Typical transit time."),
    ("routes", "status_quo_share_pct",
     "Share of today's flow to that destination using this route (sums to 100 per destination)."),
    ("routes", "is_estimate", "True if not a published number."),
    ("routes", "estimate_basis", "How an estimate was derived."),
    ("routes", "source_id", "Source(s)."),
    ("processing_capacity", "destination", "allied, domestic or russia."),
    ("processing_capacity", "mineral_id", "Mineral."),
    ("processing_capacity", "capacity_tpy", "Processing capacity open to Kazakh feed (empty = unlimited)."),
    ("processing_capacity", "is_estimate", "True if not a published number."),
    ("processing_capacity", "estimate_basis", "How an estimate was derived."),
    ("processing_capacity", "source_id", "Source(s)."),
    ("processing_capacity", "note", "Remarks."),
    ("export_controls", "event_id", "Short id of the event."),
    ("export_controls", "date", "Date the measure was announced or took effect."),
    ("export_controls", "country", "Country imposing it."),
    ("export_controls", "mineral_ids", "Minerals concerned (;-separated; may include minerals outside the model)."),
    ("export_controls", "measure", "What was imposed."),
    ("export_controls", "covers", "Products and technologies covered."),
    ("export_controls", "source_id", "Source(s)."),
    ("claims", "claim_id", "Short id of the claim."),
    ("claims", "claim", "What the op-ed says."),
    ("claims", "claimed_value", "The op-ed's figure."),
    ("claims", "primary_value", "What the primary source says."),
    ("claims", "unit", "Unit of both values."),
    ("claims", "claim_source_id", "The op-ed."),
    ("claims", "primary_source_id", "The primary source(s)."),
    ("claims", "note", "How the two compare."),
    ("kazakhstan_outline", "ring", "Polygon ring of the national border."),
    ("kazakhstan_outline", "order", "Order of the point along its ring."),
    ("kazakhstan_outline", "lon", "Longitude."),
    ("kazakhstan_outline", "lat", "Latitude."),
    ("kazakhstan_outline", "source_id", "Source of the outline."),
)
_UNIT_OVERRIDES = {
    ("projects", "lat"): "degrees N", ("projects", "lon"): "degrees E",
    ("kazakhstan_outline", "lat"): "degrees N", ("kazakhstan_outline", "lon"): "degrees E",
    ("minerals", "criticality_weight"): "1-5", ("sources", "year"): "year", ("minerals", "price_year"): "year",
    ("mineral_shares", "year"): "year", ("export_controls", "date"): "date",
    ("corridors", "total_capacity_mt_per_yr"): "Mt cargo/yr",
}


def _unit(table: str, column: str) -> str:
    if (table, column) in _UNIT_OVERRIDES:
        return _UNIT_OVERRIDES[(table, column)]
    for suffix, unit in _UNIT_BY_SUFFIX:
        if column.endswith(suffix):
            return unit
    if column.startswith("is_") or column.startswith("us_critical"):
        return "true/false"
    return ""


def data_dictionary() -> pd.DataFrame:
    """Every column of every reference table: table, column, unit, meaning."""
    return pd.DataFrame([dict(table=t, column=c, unit=_unit(t, c), meaning=m) for t, c, m in _DICTIONARY])


FORMULATION: tuple[tuple[str, str, str], ...] = (
    ("The question",
     "For one steady-state target year, choose how much each partner financier lends to each Kazakh project, how "
     "much of each project's new capacity is built, and where every tonne of output is processed and by which "
     "corridor it travels, so that the share of Kazakh critical-mineral output processed in China is as small "
     "as possible.",
     r"\min_{f,\,u,\,q}\; D(q) \quad\text{subject to the constraints below}"),
    ("Dependence index",
     "Output is weighted by value and criticality: a tonne of a mineral counts its price times its criticality "
     "weight. A route processed in China counts fully; a route processed in or passing through Russia counts "
     "with the Russia weight (a slider, 0 by default); every other route counts zero.",
     r"D = \frac{\sum_{p,r} a_p\,\pi_r\,q_{pr}}{\sum_{p,r} a_p\,q_{pr}},\qquad a_p = P_{m(p)}\,w_{m(p)},\qquad "
     r"\pi_r = \begin{cases}1 & r \text{ processed in China}\\ \rho & r \text{ in or through Russia}\\ 0 & "
     r"\text{otherwise}\end{cases}"),
    ("Financing covers what is built",
     "A project's new capacity is built to a level u between 0 and 1; its remaining capital must be covered by "
     "partner financing. Each financier has a budget and a cap per project, and lends only to projects whose "
     "owner origin it accepts.",
     r"c_p\,u_p \le \sum_k f_{pk},\qquad \sum_p f_{pk} \le B_k,\qquad 0 \le f_{pk} \le E_k,\qquad "
     r"f_{pk} = 0 \text{ if } o(p) \in X_k"),
    ("Output goes somewhere",
     "Today's output plus what is built is all shipped along some route (destination x corridor). New capacity "
     "counts only if its lead time lets it produce by the target year.",
     r"\sum_r q_{pr} = y_p + n_p\,u_p,\qquad u_p \in [0,1]\;(\{0,1\}\text{ in whole-project mode}),\qquad "
     r"u_p = 0 \text{ if } 2026 + \lceil L_p \rceil > T"),
    ("Contracts lock in part of today's Chinese offtake",
     "A share lambda (a slider) of each project's current flow to China cannot move before the target year.",
     r"\sum_{r \to \text{China}} q_{pr} \ge \lambda\, y_p\, s^{\text{CN}}_p"),
    ("Processing and corridor capacity",
     "Processing outside China is limited per destination and mineral; each corridor carries at most its "
     "capacity of physical cargo (tonnes of the unit times the cargo factor).",
     r"\sum_{p:\,m(p)=m}\;\sum_{r \to d} q_{pr} \le K_{dm}\;\; (d \ne \text{China}),\qquad "
     r"\sum_p \sum_{r \text{ via } c} \kappa_{m(p)}\, q_{pr} / 1000 \le C_c"),
    ("Allied offtake",
     "Allied buyers take at most today's allied purchases plus the new offtake commitments, valued at the "
     "minerals' prices.",
     r"\sum_p \sum_{r \to \text{allied}} P_{m(p)}\, q_{pr} / 10^6 \le O_0 + O"),
    ("Solving the ratio exactly",
     "D is a ratio of two linear functions. With partial builds (an LP) it is minimised exactly by the "
     "Charnes-Cooper transformation; with whole projects (a MILP) by Dinkelbach's iterations. Among the plans "
     "that reach the optimal D, the one with the least financing (then the least transport cost) is reported.",
     r"\text{LP: } y = t\,x,\; t \ge 0,\; \min \textstyle\sum a\pi y \;\text{s.t.}\; A y \le b\,t,\; "
     r"\textstyle\sum a\, y = 1 \qquad \text{MILP: } \lambda_{k+1} = \frac{N(x_k)}{D(x_k)},\; "
     r"x_k = \arg\min_x N(x) - \lambda_k D(x)"),
    ("Other objectives",
     "Maximise secure supply: the value-weighted tonnes reaching allied processors by routes that avoid China "
     "(and Russia, by its weight). Least financing: the smallest total financing that brings D to a target "
     "(an epsilon-constraint, which also traces the trade-off frontier).",
     r"\max \sum_{p,\,r \to \text{allied}} a_p (1-\pi_r)\, q_{pr} \qquad\text{or}\qquad "
     r"\min \sum_{p,k} f_{pk} \;\text{s.t.}\; D(q) \le D^{\text{target}}"),
    ("Shadow prices",
     "How much D moves per unit of each limit (one more 100 M USD, one more kt of corridor): the duals of the LP "
     "min N - D* Dn at the optimum D*, divided by Dn (envelope theorem). In whole-project mode, of that LP with "
     "the build decisions fixed.",
     r"\frac{\partial D^*}{\partial b_i} = \frac{\partial F/\partial b_i}{Dn(x^*)},\qquad "
     r"F(b) = \min_x N(x) - D^*\,Dn(x)"),
)

SYMBOLS: tuple[tuple[str, str], ...] = (
    (r"q_{pr}", "t/yr of project p's output sent along route r"),
    (r"f_{pk}", "M USD lent by partner financier k to project p"),
    (r"u_p", "share of project p's new capacity built"),
    (r"y_p,\; n_p",
     "project p's current output and new capacity, t/yr (projects.output_tpy, capacity_tpy - output_tpy)"),
    (r"c_p,\; L_p", "capital still needed (M USD) and lead time (years) of project p"),
    (r"P_m,\; w_m,\; \kappa_m", "price (USD/t), criticality weight (1-5) and cargo factor (t/t) of mineral m"),
    (r"B_k,\; E_k,\; X_k", "budget, per-project cap (M USD) and excluded owner origins of financier k"),
    (r"K_{dm},\; C_c", "processing capacity (t/yr) and corridor capacity (kt cargo/yr)"),
    (r"\lambda,\; \rho,\; T,\; O", "lock-in share, Russia weight, target year, new allied offtake (M USD/yr): sliders"),
    (r"s^{\text{CN}}_p,\; O_0",
     "project p's share of output going to China today; today's allied purchases (M USD/yr)"),
)

ASSUMPTIONS: tuple[tuple[str, str], ...] = (
    ("One steady-state year",
     "The model looks at one target year (a slider). New capacity produces in 2026 + lead time, rounded up to a "
     "whole year; a project whose new capacity cannot produce by the target year cannot be built in the plan."),
    ("Today's flows",
     "Today's flow of each project = current output x its offtake share per destination x each route's share of "
     "today's traffic to that destination (routes.status_quo_share_pct)."),
    ("Only China is an unbounded processing sink",
     "China can process any amount of Kazakh output. Allied and domestic processing are limited to the capacities "
     "in processing_capacity.csv (with no stated figure: today's flow), allied capacity then scaled by the "
     "allied-capacity slider."),
    ("Stated capacities below today's flows are lifted to today's flows",
     "Today's flow proves that at least that much capacity exists, so a stated processing or corridor capacity "
     "below it is replaced by today's flow, and the page says so in a note. This happens before any slider "
     "scaling."),
    ("Russian processing capped at today's flow",
     "Russia's processing open to Kazakh feed is its stated capacity if one is given, otherwise today's flow: "
     "the model never sends Russia more than it takes today (no new Russian demand)."),
    ("Corridor capacities",
     "The Middle Corridor's capacity is the slider's value; the northern route through Russia is its stated "
     "capacity times the Russian-transit slider; Chinese border crossings are as stated. Cargo is the mineral "
     "tonnage times its cargo factor (concentrate weighs more than metal)."),
    ("Partners finance all remaining capital",
     "A project's new capacity is built only as far as partner financing covers its remaining capital "
     "(projects.capex_musd). Status-quo lenders (Chinese policy banks) are shown, not optimised."),
    ("Eligibility",
     "Each financier funds only projects whose owner origin is not in its excluded list (by default US, "
     "Japanese and European financiers do not fund Chinese- or Russian-controlled projects)."),
    ("Contract lock-in",
     "A share of each project's current flow to China (a slider) is under contract and stays in China in the "
     "target year."),
    ("Allied offtake is a value limit",
     "Allied buyers take at most today's allied purchases plus the new commitments (M USD/yr), valued at "
     "minerals.price_usd_per_t; prices do not respond to the plan."),
    ("What dependence weighs",
     "Minerals are weighed by price x criticality weight (minerals.criticality_weight, 1-5, with its basis). "
     "Processing in Kazakhstan counts as not dependent. Routes through Russia count by the Russia weight."),
    ("Ties",
     "Among plans with the same optimal objective, the one with the least financing is reported, then the "
     "least transport cost."),
    ("Concentration (HHI)",
     "HHI = sum of squared country shares in percent (0-10,000), per mineral and stage, latest year. The 'Other' "
     "row is not a country and is left out, so the HHI shown is a lower bound; the upper bound assumes each "
     "country inside 'Other' is at most as large as the smallest listed one. Bands: below 1,000 "
     "unconcentrated, 1,000-1,800 moderately, above 1,800 highly concentrated (US merger guidelines)."),
    ("China's share where China is not listed",
     "If a source lists no row for China at a stage, China's share is shown as 0 and marked as not listed: it "
     "is then within the 'Other' share."),
    ("Estimates are flagged",
     "Every row whose figure is not a published number has is_estimate = true and an estimate_basis saying how "
     "it was derived; the Projects page shows it beside the figure."),
    ("Disruption probabilities are illustrative",
     "The Risk page's default probabilities and severities (e.g. a Chinese export ban 20 % a year, losing all "
     "allied cargo that transits China) are Heartland's illustrative assumptions: no public source gives annual "
     "probabilities for these events. They are sliders so users can set their own view."),
)
