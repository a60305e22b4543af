"""The project catalogue as a user reads it: derived columns, filters, the table and one
project's detail with its sources."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.data.sources import _flag, _text, mineral_names, resolve_sources
from analytics.model import BASE_YEAR, DESTINATION_LABELS, DESTINATIONS

STAGES = ("operating", "expansion", "construction", "feasibility", "exploration")
STAGE_LABELS = {"operating": "Operating", "expansion": "Expansion", "construction": "Construction",
                "feasibility": "Feasibility", "exploration": "Exploration"}
OWNER_LABELS = {
    "kazakh_state": "Kazakh state", "kazakh_private": "Kazakh private", "chinese": "Chinese",
    "russian": "Russian", "western": "Western", "japanese_korean": "Japanese / Korean", "mixed": "Mixed",
}

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

