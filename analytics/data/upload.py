"""A user's own projects CSV: validated row by row, used for one session only.

The columns, which are required, their types, the allowed stage / owner values and the simple
range rules are read from the projects table the store creates from data/datapackage.json, so the template and the checks
follow the schema. Nothing is written to the shared tables: the caller solves with
`solve_with_projects(data, projects, scenario)`, i.e. `model.run(data.replace_projects(projects), ...)`.

>>> projects, problems = validate_projects(template_csv(), {"tungsten"})
>>> problems, list(projects.project_id)
([], ['my-tungsten'])
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

import duckdb
import pandas as pd

from analytics.data import store

MAX_BYTES = 1_000_000
MAX_ROWS = 500
MAX_TEXT = 200          # characters in any one text cell
MAX_MESSAGES = 50
_CHUNK = 64 * 1024
MODES = ("extend", "replace")


@dataclass(frozen=True)
class Bound:
    """A plausible range for one numeric column (inclusive), and whether it takes whole numbers only."""

    lo: float
    hi: float
    whole: bool = False
    tiny: float = 1e-6  # a non-zero value closer to 0 than this is refused (1e-320 t/yr is no figure)


# The one table of plausible ranges for the numeric columns of an uploaded project. The schema's own
# CHECKs (e.g. output_tpy >= 0, capacity_tpy >= output_tpy, share BETWEEN 0 AND 100) apply as well;
# where both bound a column the narrower wins. A numeric column the schema gains without an entry here
# is held to DEFAULT_BOUND (tests/test_upload.py asks for an entry for each).
BOUNDS: dict[str, Bound] = {
    "lat": Bound(40.5, 55.5),                       # Kazakhstan's bounding box, degrees
    "lon": Bound(46.4, 87.4),
    "output_tpy": Bound(0, 1e9, tiny=1e-3),         # the largest shipped project: 7 Mt/yr; at least 1 kg/yr
    "capacity_tpy": Bound(0, 1e9, tiny=1e-3),
    "capex_musd": Bound(0, 1e5),                    # 100 bn USD; the largest shipped: 1 bn
    "lead_time_years": Bound(0, 30, whole=True),
    "output_year": Bound(1990, 2035, whole=True),   # the year the output figure describes
    "offtake_china_pct": Bound(0, 100),
    "offtake_russia_pct": Bound(0, 100),
    "offtake_domestic_pct": Bound(0, 100),
    "offtake_allied_pct": Bound(0, 100),
}
DEFAULT_BOUND = Bound(-1e9, 1e9)
# Units, read from a column name's suffix (data/SCHEMA.md: units are in the names).
UNITS = {"_tpy": "t/yr", "_musd": "M USD", "_pct": "%", "_years": "years", "lat": "degrees north (inside Kazakhstan)",
         "lon": "degrees east (inside Kazakhstan)"}
# Characters refused in any text cell: C0 and C1 controls (terminal escapes start with ESC or CSI),
# DEL, and the marks, embeddings, overrides and isolates that reorder how text is shown.
UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

EXAMPLE = dict(project_id="my-tungsten", name="My tungsten project", mineral_id="tungsten",
               product="WO3 concentrate", region="Karaganda", lat=47.9, lon=75.1, location_is_approximate=True,
               stage="feasibility", operator="Example LLP", output_tpy=0, output_year=2025, output_is_estimate=False,
               capacity_tpy=5000, capacity_is_estimate=True, capex_musd=300, capex_is_estimate=True, funded_by="",
               lead_time_years=3, offtake_china_pct=0, offtake_russia_pct=0, offtake_domestic_pct=0,
               offtake_allied_pct=100, offtake_is_estimate=True, estimate_basis="my own estimate",
               source_id="user-upload", note="")


@dataclass(frozen=True)
class ProjectsSchema:
    """The projects table as the store creates it from data/datapackage.json."""

    columns: tuple[str, ...]
    required: tuple[str, ...]                   # NOT NULL columns
    numeric: tuple[str, ...]                    # DOUBLE columns
    boolean: tuple[str, ...]                    # BOOLEAN columns
    choices: dict[str, tuple[str, ...]]         # column -> allowed values (CHECK col IN (...))
    at_least: tuple[tuple[str, str], ...]       # (column, other column): CHECK (a >= b)
    ranges: dict[str, Bound]                    # numeric column -> allowed range (schema CHECKs and BOUNDS)

    def unit(self, column: str) -> str:
        return next((u for suffix, u in UNITS.items() if column.endswith(suffix)), "")


@lru_cache(maxsize=1)
def projects_schema() -> ProjectsSchema:
    """Read the projects table's columns and CHECKs from the table the store creates (store.create_tables,
    which follows data/datapackage.json) in an empty in-memory DB."""
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
    numeric = tuple(c for c, t, _ in cols if t in ("DOUBLE", "FLOAT", "INTEGER", "BIGINT", "DECIMAL"))
    integer = {c for c, t, _ in cols if t in ("INTEGER", "BIGINT")}
    ranges = {c: BOUNDS.get(c, DEFAULT_BOUND) for c in numeric}
    number = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"
    for expr in checks:
        expr = expr.strip()
        if m := re.fullmatch(r"\(?(\w+) IN \((.*)\)\)?", expr):
            choices[m.group(1)] = tuple(re.findall(r"'([^']*)'", m.group(2)))
        elif m := re.fullmatch(rf"\(?(\w+) >= ({number})\)?", expr):
            col, lo = m.group(1), float(m.group(2))
            ranges[col] = dataclasses.replace(ranges[col], lo=max(lo, ranges[col].lo))
        elif m := re.fullmatch(rf"\(?(\w+) BETWEEN ({number}) AND ({number})\)?", expr):
            col, lo, hi = m.group(1), float(m.group(2)), float(m.group(3))
            ranges[col] = dataclasses.replace(ranges[col], lo=max(lo, ranges[col].lo), hi=min(hi, ranges[col].hi))
        elif m := re.fullmatch(r"\(?(\w+) >= (\w+)\)?", expr):
            at_least.append((m.group(1), m.group(2)))
    for c in integer:
        ranges[c] = dataclasses.replace(ranges[c], whole=True)
    return ProjectsSchema(
        columns=tuple(c for c, _, _ in cols),
        required=tuple(c for c, _, null in cols if null == "NO"),
        numeric=numeric,
        boolean=tuple(c for c, t, _ in cols if t == "BOOLEAN"),
        choices=choices,
        at_least=tuple(at_least),
        ranges=ranges,
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
    text = UNSAFE_TEXT.sub("?", str(value))
    return repr(text[:30] + ("..." if len(text) > 30 else ""))


def _num(x: float) -> str:
    """A bound or a value as a reader writes it: 0, 55.5, 1e9, 1e308."""
    return re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", f"{x:g}")


def read_capped(data: bytes | bytearray | BinaryIO, limit: int) -> bytes | None:
    """At most `limit` bytes of an upload, read in chunks; None if there is more (the size is what was
    actually read, never what a header or the uploader claims)."""
    if isinstance(data, (bytes, bytearray)):
        return bytes(data) if len(data) <= limit else None
    chunks, total = [], 0
    while total <= limit:
        chunk = data.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks) if total <= limit else None


def _read(data: bytes | BinaryIO) -> tuple[pd.DataFrame | None, str | None]:
    """The raw CSV as strings, or a message saying why it cannot be read.

    Parsed row by row with the csv module (bounded work: a header or a row wider than a projects
    file can be stops the parse at once), every row checked for as many values as the header.
    """
    if data is None or (isinstance(data, (bytes, bytearray)) and not data):
        return None, "The file is empty."
    if not isinstance(data, (bytes, bytearray)) and not hasattr(data, "read"):
        return None, "The file is empty."
    raw = read_capped(data, MAX_BYTES)
    if raw is None:
        return None, f"The file is larger than {MAX_BYTES / 1e6:.0f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB."
    if not raw:
        return None, "The file is empty."
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None, "The file is UTF-16 text: in your spreadsheet, save it as 'CSV UTF-8' and upload again."
    if b"\x00" in raw:
        return None, "The file contains binary data, not text; upload a CSV file (the template shows the layout)."
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "The file is not UTF-8 text: in your spreadsheet, save it as 'CSV UTF-8' and upload again."
    if not text.strip():
        return None, "The file is empty."
    max_columns = 2 * len(projects_schema().columns) + 10
    rows: list[list[str]] = []
    try:
        reader = csv.reader(io.StringIO(text), strict=True)
        header = next((r for r in reader if any(c.strip() for c in r)), None)
        if header is None:
            return None, "The file is empty."
        header = [c.strip() for c in header]
        if len(header) > max_columns:
            return None, (f"The header has {len(header):,} columns; a projects file has {len(projects_schema().columns)}. "
                          "Download the template to see them.")
        dupes = sorted({c for c in header if c and header.count(c) > 1})
        if dupes:
            return None, f"Column(s) {', '.join(_show(c) for c in dupes[:5])} appear more than once in the header."
        for row in reader:
            if not any(c.strip() for c in row):
                continue  # blank line
            line = len(rows) + 2  # as a spreadsheet numbers it (header = row 1), blank lines aside
            if len(row) > len(header):
                extra = row[len(header):]
                hint = " (a trailing comma?)" if not any(c.strip() for c in extra) else ""
                return None, (f"row {line} has {len(row)} values but the header has {len(header)} columns{hint}: "
                              "every row must have one value per column.")
            if len(rows) >= MAX_ROWS:
                return None, f"The file has more than {MAX_ROWS} projects; the limit is {MAX_ROWS}."
            rows.append(row + [""] * (len(header) - len(row)))  # missing trailing values are empty
    except csv.Error as exc:
        return None, f"The file could not be read as CSV: {str(exc).splitlines()[0][:200]}"
    return pd.DataFrame(rows, columns=header, dtype=str), None


def validate_projects(data: bytes | BinaryIO, known_minerals: pd.DataFrame | Iterable[str],
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
    if problem or df is None:
        return None, [problem or "The file could not be read."]
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
        for i in out.index[out[col].str.contains(UNSAFE_TEXT)]:
            codes = sorted({f"U+{ord(c):04X}" for c in UNSAFE_TEXT.findall(out.at[i, col])})
            errors.append(f"{rows[i]}: {col} contains control or text-direction characters ({', '.join(codes[:3])}"
                          f"{', ...' if len(codes) > 3 else ''}); remove them (they can hide or reorder text).")
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
        bound, unit = schema.ranges[col], schema.unit(col)
        for i in out.index[finite & ~num.between(bound.lo, bound.hi)]:
            errors.append(f"{rows[i]}: {col} must be between {_num(bound.lo)} and {_num(bound.hi)}"
                          f"{' ' + unit if unit else ''} (got {_num(num[i])}).")
            bad_number.add(i)
        inside = finite & num.between(bound.lo, bound.hi)
        tiny = inside & (num != 0) & (num.abs() < bound.tiny)
        for i in out.index[tiny]:
            errors.append(f"{rows[i]}: {col} must be 0 or at least {_num(bound.tiny)}"
                          f"{' ' + unit if unit else ''} (got {_num(num[i])}).")
            bad_number.add(i)
        if bound.whole:
            for i in out.index[inside & ~tiny & (num != num.round())]:
                errors.append(f"{rows[i]}: {col} must be a whole number{' of ' + unit if unit else ''} "
                              f"(got {_num(num[i])}).")
                bad_number.add(i)
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
    for col, other in schema.at_least:
        if col in out.columns and other in out.columns:
            below = out.loc[ok, col] < out.loc[ok, other]
            for i in below.index[below]:
                errors.append(f"{rows[i]}: {col} must be >= {other} (got {_num(out.at[i, col])} < "
                              f"{_num(out.at[i, other])}).")
    offtake = [c for c in schema.numeric if c.startswith("offtake_") and c.endswith("_pct") and c in out.columns]
    if offtake:
        total = out.loc[ok, offtake].sum(axis=1)
        for i in total.index[(total - 100).abs() > 1]:
            errors.append(f"{rows[i]}: offtake shares ({', '.join(offtake)}) sum to {_num(total[i])}, not 100.")

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
