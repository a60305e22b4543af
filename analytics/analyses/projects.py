"""The project catalogue as a user reads it: derived columns, filters, the table and one
project's detail with its sources."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.data.sources import _flag, _text, mineral_names, resolve_sources
from analytics.model import BASE_YEAR, DESTINATION_LABELS, DESTINATIONS
from analytics.present.i18n import N_

STAGES = ("operating", "expansion", "construction", "feasibility", "exploration")
STAGE_LABELS = {"operating": "Operating", "expansion": "Expansion", "construction": "Construction",
                "feasibility": "Feasibility", "exploration": "Exploration"}
# owner origin, derived from project_owners: the group holding 50 % or more, else "Mixed"
OWNER_ORIGINS = ("Chinese", "Russian", "Kazakh state", "Kazakh private", "Western", "Japanese / Korean", "Mixed",
                 "Not published")


def _origin_of(country: str, state: bool) -> str:
    c = (country or "").upper()
    if c in ("CN", "HK"):
        return "Chinese"
    if c == "RU":
        return "Russian"
    if c == "KZ":
        return "Kazakh state" if state else "Kazakh private"
    if c in ("JP", "KR"):
        return "Japanese / Korean"
    return "Western" if c else "Not published"


def ownership(projects: pd.DataFrame, owners: pd.DataFrame | None) -> pd.DataFrame:
    """Per project: owner_origin (the group holding 50 % or more; "Mixed" if none does), the Chinese
    and Russian stakes (%), and the owners in words ("CGN (CN) 49 %; Kazatomprom (KZ) 51 %")."""
    out = pd.DataFrame({"project_id": projects.project_id.to_numpy(), "owner_origin": "Not published",
                        "cn_stake_pct": 0.0, "ru_stake_pct": 0.0, "owners": ""})
    if owners is None or owners.empty or out.empty:
        return out
    o = owners.copy()
    o["stake"] = pd.to_numeric(o.stake_pct, errors="coerce")
    o["origin"] = [_origin_of(_text(c), bool(_flag(pd.Series([s])).iloc[0]))
                   for c, s in zip(o.owner_country, o.state_owned)]
    rows = []
    for pid in out.project_id:
        g = o[o.project_id == pid]
        if g.empty:
            rows.append(("Not published", 0.0, 0.0, ""))
            continue
        by = g.groupby("origin").stake.sum(min_count=1)
        top = by.idxmax() if by.notna().any() else g.origin.iloc[0]
        origin = top if (by.max() >= 50 or len(by) == 1 or by.isna().all()) else "Mixed"
        words = "; ".join(f"{_text(r.owner)} ({_text(r.owner_country) or '?'})"
                          + (f" {r.stake:g} %" if pd.notna(r.stake) else "") for r in g.itertuples())
        rows.append((origin, float(g[g.owner_country.isin(["CN", "HK"])].stake.sum()),
                     float(g[g.owner_country == "RU"].stake.sum()), words))
    out[["owner_origin", "cn_stake_pct", "ru_stake_pct", "owners"]] = pd.DataFrame(rows, index=out.index)
    return out

# ----------------------------------------------------------------------------- projects

def with_derived(projects: pd.DataFrame, minerals: pd.DataFrame | None = None,
                 owners: pd.DataFrame | None = None) -> pd.DataFrame:
    """Projects plus derived columns: main_offtake (destination taking the largest share of output,
    China > Russia > domestic > allied on a tie), new_capacity_tpy, online_year (empty when no start
    is published), owner origin and stakes (from project_owners), stage label, and the mineral's
    name and unit."""
    p = projects.copy()
    own = ownership(p, owners)
    for c in ("owner_origin", "cn_stake_pct", "ru_stake_pct", "owners"):
        p[c] = own[c].to_numpy()
    cols = [f"offtake_{d}_pct" for d in DESTINATIONS]
    if len(p):
        shares = p[cols].astype(float).fillna(0.0).to_numpy()
        p["main_offtake"] = [DESTINATION_LABELS[DESTINATIONS[i]] for i in shares.argmax(axis=1)]
    else:
        p["main_offtake"] = pd.Series(dtype=str)
    p["new_capacity_tpy"] = (p.capacity_tpy.astype(float) - p.output_tpy.astype(float)).clip(lower=0.0)
    p["online_year"] = (BASE_YEAR + np.ceil(pd.to_numeric(p.lead_time_years, errors="coerce"))).astype("Int64")
    p["owner"] = p.owner_origin
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
        "owner_origin": [o for o in OWNER_ORIGINS if o in values("owner_origin")],
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


CATALOGUE_COLUMNS = ["project_id", "name", "mineral", "product", "stage", "owner_origin", "owners", "cn_stake_pct",
                     "ru_stake_pct", "operator", "region", "output_tpy", "output_year", "capacity_tpy",
                     "new_capacity_tpy", "unit", "capex_musd", "funded_by", "lead_time_years", "online_year",
                     "main_offtake", "offtake_china_pct", "offtake_russia_pct", "offtake_domestic_pct",
                     "offtake_allied_pct", "output_is_estimate", "capacity_is_estimate", "capex_is_estimate",
                     "offtake_is_estimate", "estimate_basis", "source_id"]
ESTIMATE_FLAGS = ("output_is_estimate", "capacity_is_estimate", "capex_is_estimate", "offtake_is_estimate")


def catalogue_table(projects: pd.DataFrame, minerals: pd.DataFrame, owners: pd.DataFrame | None = None) -> pd.DataFrame:
    """The catalogue as shown and downloaded: one row per project, units in the column names
    (tonnages in the mineral's `unit`)."""
    p = with_derived(projects, minerals, owners)
    return p[[c for c in CATALOGUE_COLUMNS if c in p.columns]].reset_index(drop=True)


def _fmt(value, fmt: str = "{:,.0f}", missing: str = "not published") -> str:
    v = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return missing if pd.isna(v) else fmt.format(float(v))


@dataclass(frozen=True)
class ProjectDetail:
    """One project as the detail panel shows it."""

    project_id: str
    name: str
    figures: pd.DataFrame     # figure, value, unit, estimate (True where the figure is an estimate)
    offtake: pd.DataFrame     # destination, share_pct
    owners: pd.DataFrame      # owner, country, stake_pct, state_owned, lifts_offtake
    is_estimate: bool
    estimate_basis: str
    note: str
    sources: pd.DataFrame     # resolve_sources() of its source_id


def project_detail(project_id: str, projects: pd.DataFrame, minerals: pd.DataFrame,
                   sources: pd.DataFrame, owners: pd.DataFrame | None = None) -> ProjectDetail:
    """A project's figures with units, which of them are estimates and how they were derived, its
    owners and its resolved sources. Raises KeyError if there is no such project.
    """
    rows = projects[projects.project_id == project_id]
    if rows.empty:
        raise KeyError(f"no project {project_id!r}")
    p = with_derived(rows, minerals, owners).iloc[0]
    unit = p["unit"]
    flag = {k: bool(_flag(pd.Series([p.get(k)])).iloc[0]) for k in ESTIMATE_FLAGS}
    has_location = pd.notna(pd.to_numeric(p.get("lat"), errors="coerce"))
    online = p["online_year"]
    figures = pd.DataFrame([
        (N_("Mineral"), p["mineral"], "", False),
        (N_("Product"), _text(p.get("product")), "", False),
        (N_("Stage"), p["stage_label"], "", False),
        (N_("Operator"), _text(p.get("operator")), "", False),
        (N_("Owners"), p["owners"] or N_("not published"), "", False),
        (N_("Owner origin"), p["owner"], "", False),
        (N_("Region"), _text(p.get("region")) or N_("not published"), "", False),
        (N_("Location"), f"{float(p['lat']):.2f} N, {float(p['lon']):.2f} E" if has_location else N_("not published"),
         N_("degrees"), bool(_flag(pd.Series([p.get("location_is_approximate")])).iloc[0])),
        (N_("Output"), _fmt(p["output_tpy"]) + (f" ({int(p['output_year'])})" if pd.notna(pd.to_numeric(
            p.get("output_year"), errors="coerce")) else ""), f"{unit} per year", flag["output_is_estimate"]),
        (N_("Capacity once built"), _fmt(p["capacity_tpy"]), f"{unit} per year", flag["capacity_is_estimate"]),
        (N_("New capacity to build"), _fmt(p["new_capacity_tpy"]), f"{unit} per year", flag["capacity_is_estimate"]),
        (N_("Capital still needed"), _fmt(p["capex_musd"]), N_("M USD"), flag["capex_is_estimate"]),
        (N_("Funded by"), _text(p.get("funded_by")) or N_("not yet funded"), "", False),
        (N_("Lead time"), _fmt(p["lead_time_years"], "{:g}"), N_("years from 2026"), False),
        (N_("New capacity producing from"), str(int(online)) if p["new_capacity_tpy"] > 0 and pd.notna(online)
         else N_("n/a"), N_("year"), False),
        (N_("Main offtake destination today"), p["main_offtake"], "", flag["offtake_is_estimate"]),
    ], columns=["figure", "value", "unit", "estimate"])
    offtake = pd.DataFrame({"destination": [DESTINATION_LABELS[d] for d in DESTINATIONS],
                            "share_pct": [float(p[f"offtake_{d}_pct"]) for d in DESTINATIONS]})
    own = (owners[owners.project_id == project_id] if owners is not None else pd.DataFrame())
    own = own.reindex(columns=["owner", "owner_country", "stake_pct", "state_owned", "lifts_offtake"]).rename(
        columns={"owner_country": "country"}).reset_index(drop=True)
    return ProjectDetail(str(p["project_id"]), str(p["name"]), figures, offtake, own, any(flag.values()),
                         _text(p.get("estimate_basis")), _text(p.get("note")),
                         resolve_sources(_text(p["source_id"]), sources))
