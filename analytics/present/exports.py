"""Downloads: every result table as an Excel workbook, and a scenario bundle (zip) that
uploads back to the same scenario and so the same results.

Text a user typed (a saved scenario's name, an uploaded project's name) reaches these files, so a
cell is always written as text, never as a formula, and characters Excel cannot hold are dropped.

Round trip: read_bundle(bundle(result, sources)).scenario == result.scenario (tests/test_exports.py).

>>> sheet_names(["dependence_by_mineral_and_destination", "a/b"])
['dependence_by_mineral_and_desti', 'a_b']
"""
from __future__ import annotations

import io
import json
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import BinaryIO

import pandas as pd

from analytics import APP_VERSION
from analytics.data import store
from analytics.model import Result
from analytics.model.scenario import FIELD_BY_NAME, FIELDS, URL_VERSION, Decoded, Scenario, decode, encode

MAX_BUNDLE_BYTES = 5 * 1024 * 1024
MAX_INPUTS_BYTES = 64 * 1024       # inputs.json, decompressed, as counted while reading it
MAX_ENTRIES = 32                   # a Heartland bundle has about ten
MAX_UNPACKED_BYTES = 1024 * 1024   # decompressed bytes read from one bundle, all entries together
_CHUNK = 64 * 1024
SOLVER = "HiGHS via scipy.optimize (linprog / milp)"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Decimals a downloaded number keeps, by the unit its column name ends with: tonnes to 0.001 t, shares,
# percentages and money (M USD) to 1e-6; any other float to 1e-6 too. Solver dust below that is noise.
DOWNLOAD_DIGITS = {"_tpy": 3, "tpy": 3, "_t": 3, "_pct": 6, "_musd": 6, "_ktpy": 3, "_kt_per_yr": 3, "_per_unit": 9}
DEFAULT_DIGITS = 6


def digits_for(column: str) -> int:
    """How many decimals a download keeps in `column` (by the unit suffix of its name)."""
    return next((d for suffix, d in DOWNLOAD_DIGITS.items() if str(column).endswith(suffix)), DEFAULT_DIGITS)


def rounded(df: pd.DataFrame, digits: Mapping[str, int] | None = None) -> pd.DataFrame:
    """A copy with every float column rounded to what it means (digits_for, or `digits` by column):
    57.36265385545583 % -> 57.362654; 1192.8270000001 t/yr -> 1192.827."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round((digits or {}).get(col, digits_for(col)))
    return out


def result_tables(result: Result) -> dict[str, pd.DataFrame]:
    """The tables a user takes away, by sheet / file name, rounded to meaningful precision; ids kept for
    machines, units in the column names (_musd million USD, _tpy tonnes a year, _pct percent)."""
    return {name: rounded(df) for name, df in {
        "financing": result.financing,
        "builds": result.builds,
        "offtake_flows": result.flows,
        "dependence_by_mineral": result.by_mineral,
        "limits_shadow_prices": result.constraints,
    }.items()}


def _value(scenario: Scenario, name: str):
    return getattr(scenario, name)


def inputs_table(scenario: Scenario) -> pd.DataFrame:
    """Every Scenario input with its label, value, unit and URL key."""
    return pd.DataFrame([{"input": f.label, "value": _value(scenario, f.name), "unit": f.unit, "url_key": f.key,
                          "field": f.name} for f in FIELDS])


def metadata(result: Result, *, user_projects: bool = False) -> dict:
    """App and data version, time, solver and the headline figures of one result."""
    return {"app": "Heartland", "app_version": APP_VERSION, "data_version": store.data_version(),
            "projects": "uploaded by the user for this session (user_projects.csv)" if user_projects else "shipped",
            "url_version": URL_VERSION, "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "solver": SOLVER, "status": result.status.value, "message": result.message,
            "dependence_before_pct": _finite(result.dependence_before_pct),
            "dependence_after_pct": _finite(result.dependence_after_pct),
            "financing_used_musd": _finite(result.financing_used_musd)}


def _finite(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


# ----------------------------------------------------------------------------- CSV

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Text that a spreadsheet would run as a formula, made plain text by a leading apostrophe
    ("=HYPERLINK(...)" -> "'=HYPERLINK(...)"). Numbers and other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names cannot run as formulas when the CSV is opened."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """A table as the CSV a user downloads: UTF-8, no index, formula-like text neutralised."""
    return csv_safe(df).to_csv(index=False).encode("utf-8")


# ----------------------------------------------------------------------------- Excel

def sheet_names(names: list[str]) -> list[str]:
    """Excel-safe, unique sheet names: at most 31 characters, none of []:*?/\\ ."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # here, not at import: openpyxl is only for Excel

    out: list[str] = []
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", ILLEGAL_CHARACTERS_RE.sub("", str(name))).strip("'") or "sheet"
        candidate, k = base[:31], 2
        while candidate.lower() in {o.lower() for o in out}:
            suffix = f" ({k})"
            candidate, k = base[:31 - len(suffix)] + suffix, k + 1
        out.append(candidate)
    return out


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Drop characters Excel cannot store from text cells and column names."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(v):
        return ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v

    out = df.copy()
    out.columns = [clean(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(clean)
    return out


def tables_workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per table (names made Excel-safe); text is never a formula."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in zip(sheet_names(list(tables)), tables.values()):
            df = _excel_safe(df)
            if df.columns.empty:
                df = pd.DataFrame({"note": ["(no rows)"]})
            df.to_excel(xl, sheet_name=name, index=False)
            for row in xl.sheets[name].iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # openpyxl reads text starting with '=' as a formula
                        cell.data_type = "s"
    return buf.getvalue()


def excel_workbook(result: Result, sources: pd.DataFrame, *, projects: pd.DataFrame | None = None) -> bytes:
    """One .xlsx: 'about', 'inputs', a sheet per result table, 'sources' (and 'user_projects')."""
    about = pd.DataFrame(list(metadata(result, user_projects=projects is not None).items()), columns=["item", "value"])
    about["value"] = about["value"].map(lambda v: "" if v is None else str(v))
    tables = {"about": about, "inputs": inputs_table(result.scenario), **result_tables(result), "sources": sources}
    if projects is not None:
        tables["user_projects"] = projects
    return tables_workbook(tables)


# ----------------------------------------------------------------------------- bundle

README = """Heartland scenario bundle
=========================
inputs.json        the scenario. `link` is the share-link query (only values that differ from the
                   defaults of `url_version`); `values` lists every input in full, for reading.
                   To re-import: open the Scenario explorer, "Restore a bundle", and upload this
                   zip unchanged. The scenario comes back exactly and re-solving it reproduces the
                   outputs below (on the same data version; see metadata.json). If you edit the
                   scenario by hand, edit `link`: it is what is read back.
outputs/*.csv      the result tables: financing, builds, offtake flows, dependence by mineral,
                   limits and shadow prices. Units are in the column names (_musd million USD,
                   _tpy tonnes a year, _pct percent).
metadata.json      app and data version, time created (UTC), solver, headline figures.
sources.csv        every source the reference data cites (publisher, title, year, URL).
user_projects.csv  only if the session used uploaded projects: the projects it solved with. To
                   reproduce the results, upload it too ("Use your own projects", mode 'replace').
"""


def scenario_inputs(scenario: Scenario) -> dict:
    """inputs.json: the versioned link and every value in full."""
    return {"url_version": URL_VERSION, "link": encode(scenario),
            "values": {f.name: _value(scenario, f.name) for f in FIELDS},
            "units": {f.name: f.unit for f in FIELDS}}


def bundle(result: Result, sources: pd.DataFrame, *, projects: pd.DataFrame | None = None) -> bytes:
    """A zip: inputs.json, outputs/*.csv, metadata.json, sources.csv, README.txt (user_projects.csv)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inputs.json", json.dumps(scenario_inputs(result.scenario), indent=2))
        z.writestr("metadata.json", json.dumps(metadata(result, user_projects=projects is not None), indent=2))
        for name, df in result_tables(result).items():
            z.writestr(f"outputs/{name}.csv", to_csv(df))
        z.writestr("sources.csv", to_csv(sources))
        if projects is not None:
            z.writestr("user_projects.csv", to_csv(projects))
        z.writestr("README.txt", README)
    return buf.getvalue()


def _not_readable(why: str) -> ValueError:
    return ValueError(f"inputs.json in the bundle is not readable: {why}. Upload a zip downloaded from Heartland, "
                      "unchanged.")


class _Refused(ValueError):
    """A bundle refused for a reason this module states (other ValueErrors come from a damaged zip)."""


def _unpack(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: list[int]) -> bytes:
    """One entry's bytes, decompressed in small chunks and counted as they come (headers can lie about
    sizes): ValueError past `limit` or past what is left of the bundle's `budget` ([bytes left])."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refused(f"{info.filename[:60]} in the zip uses a compression Heartland does not write; "
                         "upload a zip downloaded from Heartland, unchanged.")
    if info.file_size > limit:
        raise _Refused(f"{info.filename[:60]} in the bundle is too large to be part of a Heartland scenario.")
    cap = min(limit, budget[0])
    chunks, total = [], 0
    with z.open(info) as f:
        while chunk := f.read(_CHUNK):  # zipfile inflates at most _CHUNK bytes per read
            total += len(chunk)
            if total > cap:
                raise _Refused(f"{info.filename[:60]} in the bundle unpacks to more than {cap:,} bytes: it is "
                                 "not a Heartland scenario.")
            chunks.append(chunk)
    budget[0] -= total
    return b"".join(chunks)


def read_bundle(data: bytes | BinaryIO, choices: Mapping[str, Collection[str]] | None = None) -> Decoded:
    """The Scenario in a bundle, with notices for any value that fell back to its default.

    Raises ValueError with a message a user can act on: not a zip, no inputs.json, unreadable
    JSON, a file over 5 MB, more entries than a bundle has, an entry that unpacks to more than
    it may (counted while unpacking, whatever the zip's headers say). `choices`: as for decode().
    """
    from analytics.data.upload import read_capped

    if data is None or (isinstance(data, (bytes, bytearray)) and not data):
        raise ValueError("The file is empty: upload a zip downloaded from Heartland.")
    blob = read_capped(data, MAX_BUNDLE_BYTES)
    if blob is None:
        raise ValueError(f"The file is larger than {MAX_BUNDLE_BYTES / 1e6:.0f} MB; a Heartland bundle is at most "
                         f"{MAX_BUNDLE_BYTES / 1e6:.0f} MB.")
    if not blob:
        raise ValueError("The file is empty: upload a zip downloaded from Heartland.")
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            infos = z.infolist()
            if len(infos) > MAX_ENTRIES:
                raise _Refused(f"This zip holds {len(infos):,} files; a Heartland bundle holds about ten.")
            info = z.getinfo("inputs.json")
            raw = _unpack(z, info, MAX_INPUTS_BYTES, [MAX_UNPACKED_BYTES])
    except _Refused:
        raise
    except KeyError:
        raise ValueError("This zip has no inputs.json: it is not a Heartland bundle.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error):
        raise ValueError("This is not a Heartland bundle: it is not a zip file (or the zip is damaged).") from None
    except (RuntimeError, NotImplementedError):  # encrypted, or a compression method zipfile lacks
        raise ValueError("This zip is encrypted or uses an unsupported compression; it is not a Heartland "
                         "bundle.") from None
    try:
        inputs = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _not_readable("it is not valid JSON") from None
    if not isinstance(inputs, dict) or not isinstance(inputs.get("link"), dict):
        raise _not_readable("expected a 'link' object")
    link = inputs["link"]
    if len(link) > 2 * len(FIELDS) + 5:
        raise _not_readable("its 'link' has far more entries than a scenario has inputs")
    params = {str(k)[:50]: str(v)[:100] for k, v in link.items()}
    params.setdefault("v", str(inputs.get("url_version", URL_VERSION))[:10])
    decoded = decode(params, choices)
    values = inputs.get("values")
    if isinstance(values, dict):
        differ = [FIELD_BY_NAME[k].label for k in FIELD_BY_NAME
                  if k in values and values[k] != _value(decoded.scenario, k)]
        if differ:
            decoded = Decoded(decoded.scenario, decoded.notices + (
                f"inputs.json: 'values' differ from 'link' for {', '.join(differ[:5])}"
                f"{' and more' if len(differ) > 5 else ''}; the link was used.",))
    return decoded
