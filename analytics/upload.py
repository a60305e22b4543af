"""A user's own projects CSV: validated row by row, used for one session only.

Nothing is written to the shared tables: the caller builds a new ModelData with
ModelData.replace_projects() and solves with it.
"""
from __future__ import annotations

import io

import pandas as pd

MAX_BYTES = 1_000_000
MAX_ROWS = 500
STAGES = ("operating", "expansion", "construction", "feasibility", "exploration")
OWNER_ORIGINS = ("kazakh_state", "kazakh_private", "chinese", "russian", "western", "japanese_korean", "mixed")
LAT, LON = (40.5, 55.5), (46.4, 87.4)  # Kazakhstan's bounding box
REQUIRED = ("project_id", "name", "mineral_id", "lat", "lon", "stage", "owner_origin", "output_tpy", "capacity_tpy",
            "capex_musd", "lead_time_years", "offtake_china_pct", "offtake_russia_pct", "offtake_domestic_pct",
            "offtake_allied_pct", "source_id")
NUMERIC = ("lat", "lon", "output_tpy", "capacity_tpy", "capex_musd", "lead_time_years", "offtake_china_pct",
           "offtake_russia_pct", "offtake_domestic_pct", "offtake_allied_pct")
OFFTAKE = ("offtake_china_pct", "offtake_russia_pct", "offtake_domestic_pct", "offtake_allied_pct")


def template_csv() -> bytes:
    """A projects CSV with the required columns and one example row to edit."""
    example = dict(project_id="my-tungsten", name="My tungsten project", mineral_id="tungsten", product="WO3 concentrate",
                   region="Karaganda", lat=47.9, lon=75.1, stage="feasibility", operator="Example LLP",
                   owner_origin="western", output_tpy=0, capacity_tpy=5000, capex_musd=300, lead_time_years=3,
                   offtake_china_pct=0, offtake_russia_pct=0, offtake_domestic_pct=0, offtake_allied_pct=100,
                   is_estimate=True, estimate_basis="my own estimate", source_id="user-upload", note="")
    return pd.DataFrame([example]).to_csv(index=False).encode()


def validate_projects(data: bytes, known_minerals: set[str], shipped_ids: set[str] = frozenset(),
                      mode: str = "extend") -> tuple[pd.DataFrame | None, list[str]]:
    """Parse and check an uploaded projects CSV. Returns (projects, []) or (None, messages);
    each message names the row (as numbered in a spreadsheet, header = row 1) and the column."""
    if mode not in ("extend", "replace"):
        raise ValueError(f"mode must be 'extend' or 'replace', not {mode!r}")
    if not data:
        return None, ["The file is empty."]
    if len(data) > MAX_BYTES:
        return None, [f"The file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB."]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, ["The file is not UTF-8 text: save it as 'CSV UTF-8' and upload again."]
    if "\x00" in text:
        return None, ["The file contains binary data; upload a CSV file."]
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [f"The file could not be read as CSV: {str(exc).splitlines()[0]}"]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        return None, [f"Missing column(s): {', '.join(missing)}. Download the template to see them all."]
    if len(df) == 0:
        return None, ["The file has a header but no projects."]
    if len(df) > MAX_ROWS:
        return None, [f"The file has {len(df)} projects; the limit is {MAX_ROWS}."]

    errors: list[str] = []
    out = df.copy()
    for col in NUMERIC:
        num = pd.to_numeric(out[col].str.strip(), errors="coerce")
        for i in out.index[num.isna() | ~num.apply(lambda v: pd.notna(v) and abs(v) != float("inf"))]:
            errors.append(f"row {i + 2}: {col} must be a number (got {df.at[i, col][:20]!r}).")
        out[col] = num
    for i, r in out.iterrows():
        row = f"row {i + 2}"
        if not str(r.project_id).strip():
            errors.append(f"{row}: project_id is empty.")
        if r.mineral_id not in known_minerals:
            errors.append(f"{row}: mineral_id {r.mineral_id[:30]!r} is not one of the shipped minerals.")
        if r.stage not in STAGES:
            errors.append(f"{row}: stage must be one of {', '.join(STAGES)}.")
        if r.owner_origin not in OWNER_ORIGINS:
            errors.append(f"{row}: owner_origin must be one of {', '.join(OWNER_ORIGINS)}.")
        if not str(r.source_id).strip():
            errors.append(f"{row}: source_id is empty: say where the figures come from.")
        if any(pd.isna(r[c]) for c in NUMERIC):
            continue  # already reported as not a number
        if not (LAT[0] <= r.lat <= LAT[1]) or not (LON[0] <= r.lon <= LON[1]):
            errors.append(f"{row}: lat/lon ({r.lat:g}, {r.lon:g}) is outside Kazakhstan.")
        if r.output_tpy < 0:
            errors.append(f"{row}: output_tpy must be >= 0.")
        if r.capacity_tpy < r.output_tpy:
            errors.append(f"{row}: capacity_tpy must be >= output_tpy.")
        if r.capex_musd < 0 or r.lead_time_years < 0:
            errors.append(f"{row}: capex_musd and lead_time_years must be >= 0.")
        shares = [r[c] for c in OFFTAKE]
        if any(not 0 <= s <= 100 for s in shares):
            errors.append(f"{row}: offtake shares must each be between 0 and 100.")
        elif abs(sum(shares) - 100) > 1:
            errors.append(f"{row}: offtake shares sum to {sum(shares):g}, not 100.")
    dupes = out.project_id[out.project_id.duplicated()]
    for pid in sorted(set(dupes)):
        errors.append(f"project_id {pid[:30]!r} appears more than once.")
    if mode == "extend":
        for pid in sorted(set(out.project_id) & set(shipped_ids)):
            errors.append(f"project_id {pid[:30]!r} is already a shipped project; rename it or use 'replace'.")
    if errors:
        return None, errors[:50] + ([f"... and {len(errors) - 50} more."] if len(errors) > 50 else [])
    for col, default in (("product", ""), ("region", ""), ("operator", ""), ("is_estimate", "true"),
                         ("estimate_basis", "user upload"), ("note", "")):
        if col not in out.columns:
            out[col] = default
    return out.reset_index(drop=True), []


def merge_projects(shipped: pd.DataFrame, uploaded: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The projects a session solves with: shipped + uploaded ('extend') or uploaded only ('replace')."""
    if mode == "replace":
        return uploaded.copy()
    return pd.concat([shipped, uploaded[[c for c in uploaded.columns if c in shipped.columns]]], ignore_index=True)
