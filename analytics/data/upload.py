"""A user's own projects CSV: validated row by row, used for one session only.

The columns, which are required, their types, the allowed stage / owner values and the simple
range rules are read from the projects table the store builds (store.create_tables, which follows
data/datapackage.json), so the template and the checks follow the schema. Nothing is written to the shared tables: the caller solves with
`solve_with_projects(data, projects, scenario)`, i.e. `model.run(data.replace_projects(projects), ...)`.

>>> projects, problems = validate_projects(template_csv(), {"tungsten"})
>>> problems, list(projects.project_id)
([], ['my-tungsten'])
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pandas as pd

from analytics.data import store

MAX_BYTES = 1_000_000
MAX_ROWS = 500
MAX_TEXT = 200          # characters in any one text cell
MAX_MESSAGES = 50
LAT, LON = (40.5, 55.5), (46.4, 87.4)  # Kazakhstan's bounding box, degrees
OFFTAKE = ("offtake_china_pct", "offtake_russia_pct", "offtake_domestic_pct", "offtake_allied_pct")
MODES = ("extend", "replace")

EXAMPLE = dict(project_id="my-tungsten", name="My tungsten project", mineral_id="tungsten",
               product="WO3 concentrate", region="Karaganda", lat=47.9, lon=75.1, location_is_approximate=True,
               stage="feasibility", operator="Example LLP", output_tpy=0, output_year=2025, output_is_estimate=False,
               capacity_tpy=5000, capacity_is_estimate=True, capex_musd=300, capex_is_estimate=True, funded_by="",
               lead_time_years=3, offtake_china_pct=0, offtake_russia_pct=0, offtake_domestic_pct=0,
               offtake_allied_pct=100, offtake_is_estimate=True, estimate_basis="my own estimate",
               source_id="user-upload", note="")


@dataclass(frozen=True)
class ProjectsSchema:
    """The projects table as the store creates it."""

    columns: tuple[str, ...]
    required: tuple[str, ...]                   # NOT NULL columns
    numeric: tuple[str, ...]                    # DOUBLE columns
    boolean: tuple[str, ...]                    # BOOLEAN columns
    choices: dict[str, tuple[str, ...]]         # column -> allowed values (CHECK col IN (...))
    at_least: tuple[tuple[str, str], ...]       # (column, column-or-number): CHECK (a >= b)


@lru_cache(maxsize=1)
def projects_schema() -> ProjectsSchema:
    """Read the projects table's columns and CHECKs from the table the store creates (an empty in-memory DB)."""
    con = duckdb.connect()
    try:
        store.create_tables(con)
        cols = con.execute("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                           "WHERE table_name = 'projects' ORDER BY ordinal_position").fetchall()
        checks = [e for (e,) in con.execute("SELECT expression FROM duckdb_constraints() "
                                            "WHERE table_name = 'projects' AND constraint_type = 'CHECK'").fetchall()]
    finally:
        con.close()
    choices: dict[str, tuple[str, ...]] = {}
    at_least: list[tuple[str, str]] = []
    for expr in checks:
        m = re.fullmatch(r"\(?(\w+) IN \((.*)\)\)?", expr.strip())
        if m:
            choices[m.group(1)] = tuple(re.findall(r"'([^']*)'", m.group(2)))
            continue
        m = re.fullmatch(r"\(?(\w+) >= (\w+|\d+(?:\.\d+)?)\)?", expr.strip())
        if m and m.group(1) not in ("lat", "lon"):  # the location has its own message (outside Kazakhstan)
            at_least.append((m.group(1), m.group(2)))
    return ProjectsSchema(
        columns=tuple(c for c, _, _ in cols),
        required=tuple(c for c, _, null in cols if null == "NO"),
        numeric=tuple(c for c, t, _ in cols if t in ("DOUBLE", "BIGINT", "INTEGER")),
        boolean=tuple(c for c, t, _ in cols if t == "BOOLEAN"),
        choices=choices,
        at_least=tuple(at_least),
    )


def template_csv() -> bytes:
    """A projects CSV: every schema column, one example row to edit."""
    schema = projects_schema()
    return pd.DataFrame([{c: EXAMPLE.get(c, "") for c in schema.columns}]).to_csv(index=False).encode("utf-8")


def _known(minerals: pd.DataFrame | Iterable[str]) -> set[str]:
    if isinstance(minerals, pd.DataFrame):
        return set(minerals.mineral_id.astype(str))
    return set(minerals)


def _show(value: object) -> str:
    text = str(value)
    return repr(text[:30] + ("..." if len(text) > 30 else ""))


def _read(data: bytes) -> tuple[pd.DataFrame | None, str | None]:
    """The raw CSV as strings, or a message saying why it cannot be read."""
    if not isinstance(data, (bytes, bytearray)) or not data:
        return None, "The file is empty."
    if len(data) > MAX_BYTES:
        return None, f"The file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB."
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, "The file is UTF-16 text: in your spreadsheet, save it as 'CSV UTF-8' and upload again."
    if b"\x00" in data:
        return None, "The file contains binary data, not text; upload a CSV file (the template shows the layout)."
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "The file is not UTF-8 text: in your spreadsheet, save it as 'CSV UTF-8' and upload again."
    if not text.strip():
        return None, "The file is empty."
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (ValueError, csv.Error) as exc:  # pandas' ParserError / EmptyDataError are ValueErrors
        return None, f"The file could not be read as CSV: {str(exc).splitlines()[0][:200]}"
    df.columns = [str(c).strip() for c in df.columns]
    return df, None


def validate_projects(data: bytes, known_minerals: pd.DataFrame | Iterable[str],
                      shipped_ids: Iterable[str] = frozenset(), mode: str = "extend",
                      ) -> tuple[pd.DataFrame | None, list[str]]:
    """Parse and check an uploaded projects CSV.

    `known_minerals`: the minerals table (or its ids); `shipped_ids`: the shipped project ids
    (an uploaded id may not reuse one in 'extend' mode). Returns (projects, []) when every row is
    valid, else (None, messages); each message names the row as a spreadsheet numbers it
    (header = row 1) and the column, e.g. "row 3: capacity_tpy must be >= output_tpy (got 10 < 20)."
    """
    if mode not in MODES:
        raise ValueError(f"mode must be 'extend' or 'replace', not {mode!r}")
    schema = projects_schema()
    df, problem = _read(data)
    if problem:
        return None, [problem]
    missing = [c for c in schema.required if c not in df.columns]
    if missing:
        hint = " The file seems to use ';' between values: save it with commas." \
            if len(df.columns) == 1 and ";" in df.columns[0] else ""
        return None, [f"Missing column(s): {', '.join(missing)}. Download the template to see them all.{hint}"]
    if len(df) == 0:
        return None, ["The file has a header but no projects."]
    if len(df) > MAX_ROWS:
        return None, [f"The file has {len(df)} projects; the limit is {MAX_ROWS}."]

    known = _known(known_minerals)
    errors: list[str] = []
    out = df[[c for c in schema.columns if c in df.columns]].copy()
    for col in out.columns:
        out[col] = out[col].str.strip()
    rows = {i: f"row {i + 2}" for i in out.index}

    for col in out.columns:
        if col in schema.numeric:
            continue
        for i in out.index[out[col].str.len() > MAX_TEXT]:
            errors.append(f"{rows[i]}: {col} is longer than {MAX_TEXT} characters.")
    for col in schema.required:
        if col in schema.numeric:
            continue
        for i in out.index[out[col] == ""]:
            errors.append(f"{rows[i]}: {col} is empty" + (": say where the figures come from." if col == "source_id"
                                                         else "."))
    bad_number: set[int] = set()
    for col in schema.numeric:
        if col not in out.columns:
            continue
        text = out[col]
        num = pd.to_numeric(text, errors="coerce")
        finite = num.notna() & num.abs().lt(float("inf"))
        for i in out.index[~finite]:
            if text[i] == "" and col not in schema.required:
                continue
            errors.append(f"{rows[i]}: {col} must be a number (got {_show(text[i])}).")
            bad_number.add(i)
        out[col] = num.where(finite).astype(float)
    for col in schema.boolean:
        if col not in out.columns:
            continue
        low = out[col].str.lower()
        for i in out.index[~low.isin(["true", "false", "1", "0", "yes", "no", ""])]:
            errors.append(f"{rows[i]}: {col} must be true or false (got {_show(out.at[i, col])}).")
        out[col] = low.map({"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False})
    for i in out.index[(out.mineral_id != "") & ~out.mineral_id.isin(known)]:
        errors.append(f"{rows[i]}: mineral_id {_show(out.at[i, 'mineral_id'])} is not one of the shipped minerals "
                      "(see the Projects or Methodology page for their ids).")
    for col, allowed in schema.choices.items():
        if col in out.columns:
            for i in out.index[~out[col].isin(allowed)]:
                errors.append(f"{rows[i]}: {col} must be one of {', '.join(allowed)} (got {_show(out.at[i, col])}).")

    ok = out.index.difference(sorted(bad_number))
    for col, lo in schema.at_least:
        bound = out[lo] if lo in out.columns else float(lo)
        below = out.loc[ok, col] < (bound.loc[ok] if isinstance(bound, pd.Series) else bound)
        for i in below.index[below]:
            got = f"{out.at[i, col]:g} < {out.at[i, lo]:g}" if isinstance(bound, pd.Series) else f"{out.at[i, col]:g}"
            errors.append(f"{rows[i]}: {col} must be >= {lo} (got {got}).")
    for col, (lo, hi) in (("lat", LAT), ("lon", LON)):
        outside = ~out.loc[ok, col].between(lo, hi) & out.loc[ok, col].notna()  # a location is optional
        for i in outside.index[outside]:
            errors.append(f"{rows[i]}: {col} {out.at[i, col]:g} is outside Kazakhstan ({lo:g} to {hi:g}).")
    for col in OFFTAKE:
        outside = ~out.loc[ok, col].between(0, 100)
        for i in outside.index[outside]:
            errors.append(f"{rows[i]}: {col} must be between 0 and 100 (got {out.at[i, col]:g}).")
    total = out.loc[ok, list(OFFTAKE)].sum(axis=1)
    for i in total.index[(total - 100).abs() > 1]:
        errors.append(f"{rows[i]}: offtake shares ({', '.join(OFFTAKE)}) sum to {total[i]:g}, not 100.")

    ids = out.project_id
    for pid, group in out[ids != ""].groupby("project_id").groups.items():
        if len(group) > 1:
            where = ", ".join(rows[i] for i in group)
            errors.append(f"{rows[group[1]]}: project_id {_show(pid)} appears more than once ({where}).")
    if mode == "extend":
        for i in out.index[ids.isin(set(shipped_ids))]:
            errors.append(f"{rows[i]}: project_id {_show(ids[i])} is already a shipped project; "
                          "rename it, or choose 'replace'.")
    if errors:
        errors.sort(key=lambda e: (int(m.group(1)) if (m := re.match(r"row (\d+)", e)) else 0))
        more = len(errors) - MAX_MESSAGES
        return None, errors[:MAX_MESSAGES] + ([f"... and {more} more."] if more > 0 else [])
    for col in schema.columns:
        if col not in out.columns:
            out[col] = pd.NA if col in schema.numeric or col in schema.boolean else ""
    for flag in ("output_is_estimate", "capacity_is_estimate", "capex_is_estimate", "offtake_is_estimate"):
        out[flag] = out[flag].fillna(True) if flag in out else True
    if "estimate_basis" in out:
        out["estimate_basis"] = out["estimate_basis"].replace("", "user upload")
    return out[list(schema.columns)].reset_index(drop=True), []


def merge_projects(shipped: pd.DataFrame, uploaded: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The projects a session solves with: shipped + uploaded ('extend') or uploaded only ('replace')."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'extend' or 'replace', not {mode!r}")
    if mode == "replace":
        return uploaded.copy().reset_index(drop=True)
    return pd.concat([shipped, uploaded[[c for c in uploaded.columns if c in shipped.columns]]], ignore_index=True)


def solve_with_projects(data, projects: pd.DataFrame, scenario):
    """Solve a scenario on the shipped data with these projects instead (nothing shared changes)."""
    from analytics import model

    return model.run(data.replace_projects(projects), scenario)
