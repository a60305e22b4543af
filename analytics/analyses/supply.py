"""World supply as a user reads it: China's share and concentration (HHI) per mineral and stage,
Kazakhstan's place, the export-control timeline, the op-ed's claims beside primary figures and
the headline facts.

Every share, rank and concentration figure is computed in SQL (analytics/data/views.sql) from the
agencies' raw tables, data/world_production.csv and data/processing_shares.csv; the functions here
pick the latest year, name the minerals and stages, and order the rows for a page.

Concentration (HHI) is the sum of squared shares in percent, 0-10,000:

>>> hhi([50, 30, 20])
3800.0

"Other" (the rest of the world) lumps many small countries together, so it is left out of the HHI,
which is then a lower bound; `concentration()` also gives the upper bound reached if every country in
"Other" were as large as the smallest named producer (the same formula as `hhi_upper`).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

import duckdb
import pandas as pd

from analytics.data import package, store
from analytics.data.sources import (
    Tables,
    _flag,
    _join_ids,
    _text,
    mineral_names,
    resolve_sources,
    split_ids,
)
from analytics.present.i18n import N_

MINE_STAGES = ("mine",)
PROCESSING_STAGES = ("refinery", "smelter", "conversion_capacity", "enrichment_capacity")
PRODUCTION_STAGES = MINE_STAGES + PROCESSING_STAGES
SHARE_STAGES = PRODUCTION_STAGES + ("reserves",)
STAGE_LABELS = {"mine": N_("Mining"), "refinery": N_("Refining"), "smelter": N_("Smelting"),
                "conversion_capacity": N_("Conversion (capacity)"), "enrichment_capacity": N_("Enrichment (capacity)"),
                "reserves": N_("Reserves"), "capacity": N_("Production capacity")}
# US merger-guideline bands for HHI (1992 guidelines; the 2023 guidelines restored 1,800 as "highly").
HHI_MODERATE, HHI_HIGH = 1000.0, 1800.0

# ----------------------------------------------------------------------------- the derived views


@dataclass(frozen=True)
class WorldSupply:
    """The world-supply views of views.sql, one DataFrame each (every year; `is_latest` marks the latest)."""

    world_shares: pd.DataFrame
    china_shares: pd.DataFrame
    concentration: pd.DataFrame
    kazakhstan_place: pd.DataFrame


VIEW_NAMES = tuple(f.name for f in fields(WorldSupply))
assert VIEW_NAMES == store.VIEWS


def load_world(con=None, *, reader: Callable[[str], pd.DataFrame] | None = None) -> WorldSupply:
    """The views as the reference database computes them (read with `reader(name)`, default store.table)."""
    read = reader or (lambda name: store.table(name, con))
    return WorldSupply(**{name: read(name) for name in VIEW_NAMES})


def derive_world(world_production: pd.DataFrame, processing_shares: pd.DataFrame | None = None) -> WorldSupply:
    """The same views computed from raw rows given as DataFrames (the columns of world_production.csv and
    processing_shares.csv), in a throwaway in-memory database: the SQL of the shipped data, on any rows."""
    con = duckdb.connect()
    try:
        for name, df in (("world_production", world_production), ("processing_shares", processing_shares)):
            con.execute(package.create_table_sql(name))
            if df is not None and len(df):
                con.register("_rows", df)
                con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _rows')  # name from the tuple above
                con.unregister("_rows")
        store.create_views(con)
        return load_world(con)
    finally:
        con.close()


def _latest(view: pd.DataFrame, minerals: pd.DataFrame, stages: Sequence[str]) -> pd.DataFrame:
    """The latest year of each (mineral, stage, unit) for Heartland's minerals and the given stages, with the
    mineral's name (and the unit where one mineral and stage has two tables) and a readable stage label."""
    v = view[view.is_latest.astype(bool) & view.stage.isin(stages)]
    if "mineral_id" in minerals:
        v = v[v.mineral_id.isin(set(minerals.mineral_id))]
    v = v.copy()
    names = mineral_names(minerals, v.mineral_id)
    twice = v.duplicated(["mineral_id", "stage"], keep=False)
    v["mineral"] = [f"{names[m]} ({u})" if dup else names[m] for m, u, dup in zip(v.mineral_id, v.unit, twice)]
    v["stage_label"] = v.stage.map(lambda st: STAGE_LABELS.get(st, st))
    order = {st: i for i, st in enumerate(stages)}
    v["_order"] = v.stage.map(order)
    v = v.sort_values(["mineral_id", "_order", "unit"]).drop(columns="_order").reset_index(drop=True)
    v["year"] = v.year.astype("Int64")
    v["is_estimate"] = _flag(v.is_estimate)
    return v


def china_share(world: WorldSupply, minerals: pd.DataFrame, stages: Sequence[str] = PRODUCTION_STAGES) -> pd.DataFrame:
    """China's share (%) of each mineral's world mining and processing, latest year (views.sql china_shares).

    Where China has no row of its own its share is reported as 0 with china_listed=False: it is
    then at most the `Other` share (other_pct).
    """
    cols = ["mineral_id", "mineral", "stage", "stage_label", "unit", "china_share_pct", "china_listed", "other_pct",
            "year", "is_estimate", "source_id"]
    c = _latest(world.china_shares, minerals, stages)
    c["china_listed"] = _flag(c.china_listed)
    return c[cols]


def hhi(shares_pct: Iterable[float]) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares in percent (0-10,000)."""
    return float(sum(float(s) ** 2 for s in shares_pct))


def hhi_upper(named_pct: Sequence[float], other_pct: float) -> float:
    """Largest HHI possible if `other_pct` is split among countries none larger than the smallest
    named producer (or than 100 % if none is named): whole pieces of that size plus a remainder.
    views.sql computes the same in the concentration view."""
    producing = [p for p in named_pct if p > 0]
    cap = min(producing) if producing else 100.0
    if other_pct <= 0:
        return hhi(named_pct)
    whole = math.floor(other_pct / cap + 1e-9)
    rest = max(other_pct - whole * cap, 0.0)
    return hhi(named_pct) + whole * cap ** 2 + rest ** 2


def hhi_band(value: float) -> str:
    if value > HHI_HIGH:
        return N_("highly concentrated")
    if value >= HHI_MODERATE:
        return N_("moderately concentrated")
    return N_("unconcentrated")


def concentration(world: WorldSupply, minerals: pd.DataFrame,
                  stages: Sequence[str] = PRODUCTION_STAGES) -> pd.DataFrame:
    """HHI per mineral and stage (latest year), from the named countries only (views.sql concentration).

    `Other` is excluded, so `hhi` is a lower bound whenever other_pct > 0; `hhi_upper` is the bound if
    each country inside `Other` were as large as the smallest named producer. `band` reads the lower
    bound against the US merger-guideline thresholds (1,000 and 1,800).
    """
    cols = ["mineral_id", "mineral", "stage", "stage_label", "unit", "hhi", "hhi_upper", "is_lower_bound", "other_pct",
            "countries_n", "top_country", "top_share_pct", "band", "year", "is_estimate", "source_id"]
    c = _latest(world.concentration, minerals, stages)
    c["is_lower_bound"] = _flag(c.is_lower_bound)
    c["countries_n"] = c.countries_n.astype(int)
    return c[cols]


def kazakhstan_place(world: WorldSupply, minerals: pd.DataFrame,
                     stages: Sequence[str] = SHARE_STAGES) -> pd.DataFrame:
    """Kazakhstan's share (%) and rank among the named countries per mineral and stage (views.sql).

    Rank 1 = largest; ties share the better rank; `Other` is not a country and is not ranked, nor is a
    country listed with a share of 0 (rank is empty). Where Kazakhstan is not listed, share and rank are
    empty (it is then inside `Other`).
    """
    cols = ["mineral_id", "mineral", "stage", "stage_label", "unit", "kazakhstan_share_pct", "rank", "countries_n",
            "leader", "leader_share_pct", "year", "is_estimate", "source_id"]
    k = _latest(world.kazakhstan_place, minerals, stages)
    k["rank"] = pd.array([None if pd.isna(r) else int(r) for r in k["rank"]], dtype="Int64")
    k["kazakhstan_share_pct"] = k.kazakhstan_share_pct.astype(float)
    k["countries_n"] = k.countries_n.astype(int)
    return k[cols]


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

# China's share of these (mineral, stage) pairs is a headline fact where the data gives it.
HEADLINE_CHINA = (("tungsten", "mine"), ("rare_earths", "mine"), ("gallium", "refinery"))


def headline_figures(t: Tables, world: WorldSupply) -> pd.DataFrame:
    """The key facts the Overview and Supply-chain pages display, computed from the tables and views.

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
    minerals = m if {"mineral_id", "name"} <= set(m.columns) else pd.DataFrame({"mineral_id": [], "name": []})
    names = mineral_names(minerals, world.kazakhstan_place.mineral_id)
    every = pd.DataFrame({"mineral_id": list(names), "name": list(names.values())})  # facts beyond the model's minerals
    place = kazakhstan_place(world, every, stages=MINE_STAGES)
    kz_u = place[(place.mineral_id == "uranium") & place.kazakhstan_share_pct.notna()]
    if len(kz_u):
        r = kz_u.iloc[0]
        rows.append(("kz_uranium_mining_share_pct", N_("Kazakhstan's share of world uranium mining"),
                     float(r.kazakhstan_share_pct), "%", r.year, _text(r.source_id),
                     N_("world_production: Kazakhstan's row / world total, latest year.")))
        if not pd.isna(r["rank"]):
            rows.append(("kz_uranium_mining_rank", N_("Kazakhstan's rank in world uranium mining"), int(r["rank"]),
                         "rank", r.year, _text(r.source_id), N_("Rank among the producing countries of the table.")))
    china = china_share(world, every)
    for mineral, stage in HEADLINE_CHINA:
        cn = china[(china.mineral_id == mineral) & (china.stage == stage) & china.china_listed]
        if len(cn):
            r = cn.iloc[0]
            name = names.get(mineral, mineral).lower()
            rows.append((f"china_{mineral}_{stage}_share_pct",
                         f"China's share of world {name} {STAGE_LABELS[stage].lower()}", float(r.china_share_pct),
                         "%", r.year, _text(r.source_id), N_("China's row / world total, latest year.")))
    out = pd.DataFrame(rows, columns=["key", "label", "value", "unit", "year", "source_id", "basis"])
    out["value"] = pd.Series([r[2] for r in rows], dtype=object)  # counts stay whole numbers
    out["year"] = pd.array([None if y is None or pd.isna(y) else int(y) for y in out.year], dtype="Int64")
    return out
