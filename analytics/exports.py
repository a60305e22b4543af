"""Downloads: every result table as an Excel workbook, and a scenario bundle (zip) that
uploads back to the same scenario and so the same results."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timezone

import pandas as pd

from analytics import store
from analytics.model import Result
from analytics.scenario import FIELDS, URL_VERSION, Decoded, Scenario, decode, encode

APP_VERSION = "0.1.0"
MAX_BUNDLE_BYTES = 5 * 1024 * 1024


def result_tables(result: Result) -> dict[str, pd.DataFrame]:
    """The tables a user takes away, by sheet / file name."""
    return {
        "financing": result.financing,
        "builds": result.builds,
        "offtake_flows": result.flows,
        "dependence_by_mineral": result.by_mineral,
        "limits_shadow_prices": result.constraints,
    }


def inputs_table(scenario: Scenario) -> pd.DataFrame:
    """Every Scenario input with its label, value, unit and URL key."""
    return pd.DataFrame([{"input": f.label, "value": getattr(scenario, f.name), "unit": f.unit, "url_key": f.key,
                          "field": f.name} for f in FIELDS])


def metadata(result: Result) -> dict:
    return {"app": "Heartland", "app_version": APP_VERSION, "data_version": store.data_version(),
            "url_version": URL_VERSION, "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "solver": "HiGHS via scipy.optimize", "status": result.status.value,
            "dependence_before_pct": result.dependence_before_pct,
            "dependence_after_pct": result.dependence_after_pct,
            "financing_used_musd": result.financing_used_musd}


def tables_workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per table (names cut to Excel's 31 characters)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in tables.items():
            df.to_excel(xl, sheet_name=name[:31], index=False)
    return buf.getvalue()


def excel_workbook(result: Result, sources: pd.DataFrame) -> bytes:
    """One .xlsx: a sheet per result table, plus 'about', 'inputs' and 'sources'."""
    about = pd.DataFrame(list(metadata(result).items()), columns=["item", "value"])
    return tables_workbook({"about": about, "inputs": inputs_table(result.scenario), **result_tables(result),
                            "sources": sources})


README = """Heartland scenario bundle
=========================
inputs.json     the scenario: `link` is the share-link query (only non-default values, versioned);
                `values` lists every input in full. Upload this zip on the Scenario explorer page
                (Bundle upload) to restore the scenario; the model then reproduces these outputs.
outputs/*.csv   the result tables (financing, builds, offtake flows, dependence by mineral,
                limits and shadow prices); units are in the column names.
metadata.json   app and data version, time created, solver, headline figures.
sources.csv     every source the reference data cites (publisher, title, year, URL).
"""


def bundle(result: Result, sources: pd.DataFrame) -> bytes:
    """A zip: inputs.json, outputs/*.csv, metadata.json, sources.csv, README.txt."""
    s = result.scenario
    inputs = {"url_version": URL_VERSION, "link": encode(s), "values": {f.name: getattr(s, f.name) for f in FIELDS}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inputs.json", json.dumps(inputs, indent=2))
        z.writestr("metadata.json", json.dumps(metadata(result), indent=2))
        for name, df in result_tables(result).items():
            z.writestr(f"outputs/{name}.csv", df.to_csv(index=False))
        z.writestr("sources.csv", sources.to_csv(index=False))
        z.writestr("README.txt", README)
    return buf.getvalue()


def read_bundle(data: bytes) -> Decoded:
    """The Scenario in a bundle. Raises ValueError with a message a user can act on."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise ValueError(f"The file is {len(data) / 1e6:.1f} MB; a Heartland bundle is at most "
                         f"{MAX_BUNDLE_BYTES / 1e6:.0f} MB.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("inputs.json")
            if info.file_size > 64 * 1024:
                raise ValueError("inputs.json in the bundle is too large to be a Heartland scenario.")
            raw = z.read(info)
    except zipfile.BadZipFile:
        raise ValueError("This is not a Heartland bundle: it is not a zip file.") from None
    except KeyError:
        raise ValueError("This zip has no inputs.json: it is not a Heartland bundle.") from None
    try:
        inputs = json.loads(raw)
        link = inputs["link"]
        if not isinstance(link, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise ValueError("inputs.json in the bundle is not readable (expected a 'link' object).") from None
    params = {str(k): str(v) for k, v in link.items()}
    params.setdefault("v", str(inputs.get("url_version", URL_VERSION)))
    return decode(params)
