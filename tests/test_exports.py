"""Downloads: Excel workbook and scenario bundle (analytics/exports.py)."""
from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from analytics import exports, model, store
from analytics.scenario import DEFAULTS


@pytest.fixture(scope="module")
def result(shipped_data):
    return model.run(shipped_data, DEFAULTS.replace(offtake_musd=3000, lockin_pct=20))


def test_excel_opens_with_every_sheet_and_the_numbers(result, shipped_con):
    wb = openpyxl.load_workbook(io.BytesIO(exports.excel_workbook(result, store.table("sources", shipped_con))))
    assert {"about", "inputs", "sources", "financing", "builds", "offtake_flows", "dependence_by_mineral",
            "limits_shadow_prices"} <= set(wb.sheetnames)
    inputs = {row[4]: row[1] for row in wb["inputs"].iter_rows(min_row=2, values_only=True)}
    assert inputs["offtake_musd"] == 3000
    dep = wb["dependence_by_mineral"]
    header = [c.value for c in dep[1]]
    col = header.index("dependence_after_pct")
    values = [row[col] for row in dep.iter_rows(min_row=2, values_only=True)]
    assert values == pytest.approx(list(result.by_mineral.dependence_after_pct), nan_ok=True)


def test_bundle_round_trip_reproduces_the_results(result, shipped_data, shipped_con):
    blob = exports.bundle(result, store.table("sources", shipped_con))
    names = set(zipfile.ZipFile(io.BytesIO(blob)).namelist())
    assert {"inputs.json", "metadata.json", "sources.csv", "README.txt", "outputs/financing.csv"} <= names
    decoded = exports.read_bundle(blob)
    assert decoded.scenario == result.scenario and decoded.notices == ()
    again = model.run(shipped_data, decoded.scenario)
    assert again.dependence_after_pct == pytest.approx(result.dependence_after_pct)
    assert again.financing_used_musd == pytest.approx(result.financing_used_musd)


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("blob,message", [
    (b"not a zip at all", "not a zip"),
    (_zip({"other.txt": b"x"}), "no inputs.json"),
    (_zip({"inputs.json": b"{broken"}), "not readable"),
    (_zip({"inputs.json": json.dumps({"link": [1, 2]}).encode()}), "not readable"),
    (b"0" * (exports.MAX_BUNDLE_BYTES + 1), "at most 5 MB"),
])
def test_malformed_bundles_say_why(blob, message):
    with pytest.raises(ValueError, match=message):
        exports.read_bundle(blob)


def test_bad_values_in_a_bundle_fall_back_with_notices():
    blob = _zip({"inputs.json": json.dumps({"url_version": 1, "link": {"exim": "lots", "lock": "30"}}).encode()})
    decoded = exports.read_bundle(blob)
    assert decoded.scenario.lockin_pct == 30 and decoded.scenario.budget_exim_musd == DEFAULTS.budget_exim_musd
    assert decoded.notices
