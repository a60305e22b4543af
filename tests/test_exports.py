"""Downloads: Excel workbook and scenario bundle (analytics/present/exports.py)."""
from __future__ import annotations

import io
import json
import zipfile

import hostile
import openpyxl
import pandas as pd
import pytest

from analytics import model
from analytics.data import store
from analytics.model.scenario import DEFAULTS, FIELDS
from analytics.present import exports


@pytest.fixture(scope="module")
def result(shipped_data):
    return model.run(shipped_data, DEFAULTS.replace(offtake_musd=3000.0, transit_weight_pct=20.0, russia_weight_pct=50.0))


@pytest.fixture(scope="module")
def sources(shipped_con):
    return store.table("sources", shipped_con)


def _sheet(wb, name) -> pd.DataFrame:
    rows = list(wb[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_excel_has_every_sheet_and_the_numbers_of_the_result(result, sources):
    wb = openpyxl.load_workbook(io.BytesIO(exports.excel_workbook(result, sources)))
    assert {"about", "inputs", "sources", "financing", "builds", "offtake_flows", "dependence_by_mineral",
            "limits_shadow_prices"} <= set(wb.sheetnames)
    assert all(len(n) <= 31 for n in wb.sheetnames)
    inputs = _sheet(wb, "inputs").set_index("field")
    assert list(inputs.index) == [f.name for f in FIELDS]
    assert inputs.loc["offtake_musd", "value"] == 3000 and inputs.loc["offtake_musd", "unit"] == "M USD/yr"
    assert inputs.loc["transit_weight_pct", "url_key"] == "trw" and inputs.loc["transit_weight_pct", "input"] == "Weight on transit"
    dep = _sheet(wb, "dependence_by_mineral")
    assert list(dep.dependence_after_pct) == pytest.approx(list(result.by_mineral.dependence_after_pct), nan_ok=True)
    fin = _sheet(wb, "financing")
    assert fin.amount_musd.sum() == pytest.approx(result.financing_used_musd)
    assert len(_sheet(wb, "sources")) == len(sources)
    about = dict(_sheet(wb, "about").values)
    assert about["data_version"] == store.data_version() and about["app_version"] == exports.APP_VERSION


def test_typed_text_stays_text_in_excel():
    """A name a user typed ('=HYPERLINK(...)', control characters) is written as text, never a formula."""
    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://evil\",\"x\")", "bell\x07 and nul\x00", "ok"], "n": [1, 2, 3]})
    wb = openpyxl.load_workbook(io.BytesIO(exports.tables_workbook({"a/b:c*d?[e]" + "x" * 40: df, "empty": pd.DataFrame()})))
    ws = wb.worksheets[0]
    assert ws["A2"].value == "=HYPERLINK(\"http://evil\",\"x\")" and ws["A2"].data_type == "s"
    assert ws["A3"].value == "bell and nul"
    assert len(ws.title) <= 31 and not set("[]:*?/\\") & set(ws.title)


def test_sheet_names_are_unique_after_cutting():
    names = exports.sheet_names(["x" * 40, "x" * 35, "Results", "results"])
    assert len({n.lower() for n in names}) == 4 and all(len(n) <= 31 for n in names)


def test_excel_of_an_unsolvable_scenario_still_opens(shipped_data, sources):
    broken = shipped_data.replace_projects(shipped_data.projects.assign(offtake_china_pct=0.0))  # shares != 100
    r = model.run(broken, DEFAULTS)
    assert r.status is model.Status.ERROR
    wb = openpyxl.load_workbook(io.BytesIO(exports.excel_workbook(r, sources)))
    assert "financing" in wb.sheetnames
    assert "cannot be used" in dict(_sheet(wb, "about").values)["message"]


def test_bundle_holds_inputs_outputs_metadata_sources_readme(result, sources):
    blob = exports.bundle(result, sources)
    z = zipfile.ZipFile(io.BytesIO(blob))
    assert {"inputs.json", "metadata.json", "sources.csv", "README.txt", "outputs/financing.csv", "outputs/builds.csv",
            "outputs/offtake_flows.csv", "outputs/dependence_by_mineral.csv",
            "outputs/limits_shadow_prices.csv"} <= set(z.namelist())
    inputs = json.loads(z.read("inputs.json"))
    assert inputs["url_version"] == 2 and inputs["link"] == {"v": "2", "offt": "3000", "trw": "20", "ruw": "50"}
    assert inputs["values"]["budget_exim_musd"] == DEFAULTS.budget_exim_musd and len(inputs["values"]) == len(FIELDS)
    meta = json.loads(z.read("metadata.json"))
    assert meta["data_version"] == store.data_version() and "HiGHS" in meta["solver"] and meta["created_utc"]
    assert meta["dependence_after_pct"] == pytest.approx(result.dependence_after_pct)
    assert "Restore a bundle" in z.read("README.txt").decode()
    dep = pd.read_csv(z.open("outputs/dependence_by_mineral.csv"))
    assert list(dep.dependence_after_pct) == pytest.approx(list(result.by_mineral.dependence_after_pct), nan_ok=True)


def test_bundle_round_trip_reproduces_the_results(result, shipped_data, sources):
    decoded = exports.read_bundle(exports.bundle(result, sources))
    assert decoded.scenario == result.scenario and decoded.notices == ()
    again = model.run(shipped_data, decoded.scenario)
    assert again.dependence_after_pct == pytest.approx(result.dependence_after_pct)
    assert again.financing_used_musd == pytest.approx(result.financing_used_musd)
    pd.testing.assert_frame_equal(again.by_mineral, result.by_mineral)
    pd.testing.assert_frame_equal(again.financing, result.financing)


def test_a_session_with_uploaded_projects_says_so_and_ships_them(result, sources, shipped_data):
    blob = exports.bundle(result, sources, projects=shipped_data.projects)
    z = zipfile.ZipFile(io.BytesIO(blob))
    assert "user_projects.csv" in z.namelist()
    assert json.loads(z.read("metadata.json"))["projects"].startswith("uploaded")
    wb = openpyxl.load_workbook(io.BytesIO(exports.excel_workbook(result, sources, projects=shipped_data.projects)))
    assert "user_projects" in wb.sheetnames


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("blob,message", [
    (b"", "empty"),
    (b"not a zip at all", "not a zip"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a zip"),
    (_zip({"other.txt": b"x"}), "no inputs.json"),
    (_zip({"inputs.json": b"{broken"}), "not valid JSON"),
    (_zip({"inputs.json": b"\xff\xfe\x00"}), "not valid JSON"),
    (_zip({"inputs.json": b"[" * 50_000}), "not valid JSON"),
    (_zip({"inputs.json": json.dumps({"link": [1, 2]}).encode()}), "expected a 'link' object"),
    (_zip({"inputs.json": json.dumps(["link"]).encode()}), "expected a 'link' object"),
    (_zip({"inputs.json": json.dumps({"link": {str(i): 1 for i in range(500)}}).encode()}), "far more entries"),
    (_zip({"inputs.json": b" " * (exports.MAX_INPUTS_BYTES + 1)}), "too large"),
    (b"0" * (exports.MAX_BUNDLE_BYTES + 1), "at most 5 MB"),
])
def test_malformed_bundles_say_why(blob, message):
    with pytest.raises(ValueError, match=message):
        exports.read_bundle(blob)


def test_a_damaged_bundle_says_why(result, sources):
    blob = exports.bundle(result, sources)
    with pytest.raises(ValueError, match="not a zip file"):
        exports.read_bundle(blob[: len(blob) // 2])


def test_bad_values_in_a_bundle_fall_back_with_notices():
    blob = _zip({"inputs.json": json.dumps({"url_version": 1, "link": {"exim": "lots", "trw": "30"}}).encode()})
    decoded = exports.read_bundle(blob)
    from analytics.model.scenario import DEFAULTS_BY_VERSION

    # a version-1 bundle keeps version 1's defaults for what it does not set
    assert decoded.scenario.transit_weight_pct == 30
    assert decoded.scenario.budget_exim_musd == DEFAULTS_BY_VERSION[1]["budget_exim_musd"]
    assert any("US EXIM general envelope" in n for n in decoded.notices)


def test_hand_edited_values_that_disagree_with_the_link_are_named(result, sources):
    z = zipfile.ZipFile(io.BytesIO(exports.bundle(result, sources)))
    inputs = json.loads(z.read("inputs.json"))
    inputs["values"]["transit_weight_pct"] = 90
    decoded = exports.read_bundle(_zip({"inputs.json": json.dumps(inputs).encode()}))
    assert decoded.scenario == result.scenario
    assert any("Weight on transit" in n and "the link was used" in n for n in decoded.notices)


# ----------------------------------------------------------------------------- hostile bundles (issue 8)

def _peak_mb(fn) -> float:
    """Peak Python memory (MB) allocated while fn runs."""
    import tracemalloc

    tracemalloc.start()
    try:
        fn()
    except ValueError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1e6


def test_bundle_zip_bomb_stays_under_300_mb():
    """A 1 MB bundle whose inputs.json inflates to 1 GiB while its headers claim 200 bytes: refused,
    and memory stays small because bytes are counted while inflating (it peaked at 2.2 GB)."""
    blob = hostile.zip_bytes([hostile.bomb("inputs.json", n_mib=1024, claim=200)])
    assert len(blob) < exports.MAX_BUNDLE_BYTES
    with pytest.raises(ValueError, match="not a zip file|damaged|unpacks to more"):
        exports.read_bundle(blob)
    assert _peak_mb(lambda: exports.read_bundle(blob)) < 300


def test_bundle_zip_bomb_with_a_small_claim_inside_the_limit_is_cut_while_unpacking():
    """Headers claim 60 kB (under the limit); the entry inflates to 1 GiB: refused after the limit."""
    blob = hostile.zip_bytes([hostile.bomb("inputs.json", n_mib=1024, claim=60_000)])
    with pytest.raises(ValueError):
        exports.read_bundle(blob)
    assert _peak_mb(lambda: exports.read_bundle(blob)) < 20


def test_bundle_zip_bomb_with_a_truthful_header_is_refused_by_its_size():
    blob = hostile.zip_bytes([hostile.bomb("inputs.json", n_mib=1024, claim=None)])
    with pytest.raises(ValueError, match="too large"):
        exports.read_bundle(blob)


def test_bundle_with_ten_thousand_entries_is_refused():
    blob = hostile.zip_bytes([hostile.entry(f"f{i}", b"") for i in range(10_000)]
                             + [hostile.entry("inputs.json", b'{"link": {}}')])
    with pytest.raises(ValueError, match="holds 10,001 files"):
        exports.read_bundle(blob)


def test_bundle_with_bzip2_inputs_is_refused():
    blob = hostile.zip_bytes([hostile.entry("inputs.json", b'{"link": {}}', method=hostile.BZIP2)])
    with pytest.raises(ValueError, match="compression"):
        exports.read_bundle(blob)


def test_bundle_larger_than_5_mb_is_refused_after_reading_only_5_mb():
    class Endless(io.RawIOBase):
        read_bytes = 0

        def readable(self):
            return True

        def readinto(self, b):
            b[:] = b"P" * len(b)
            self.read_bytes += len(b)
            return len(b)

    f = Endless()
    with pytest.raises(ValueError, match="at most 5 MB"):
        exports.read_bundle(f)
    assert f.read_bytes <= exports.MAX_BUNDLE_BYTES + 1


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|'/c calc'!A1", "-2+3", "@SUM(A1)",
            "\tleading tab", "\uff1dfullwidth"]


def test_bundle_user_projects_csv_formula_is_neutralised(result, sources, shipped_data):
    projects = shipped_data.projects.head(len(FORMULAS)).assign(name=FORMULAS)
    z = zipfile.ZipFile(io.BytesIO(exports.bundle(result, sources, projects=projects)))
    names = pd.read_csv(z.open("user_projects.csv"), dtype=str, keep_default_na=False).name
    assert list(names) == ["'" + f for f in FORMULAS]
    # numbers stay numbers: negative values are not text
    back = pd.read_csv(z.open("user_projects.csv"))
    assert back.output_tpy.dtype.kind == "f" and list(back.output_tpy) == list(projects.output_tpy)


def test_every_csv_download_neutralises_formula_text():
    df = pd.DataFrame({"name": FORMULAS + ["plain", "a=b"], "value": [-1.5] * (len(FORMULAS) + 2)})
    out = pd.read_csv(io.BytesIO(exports.to_csv(df)), dtype=str, keep_default_na=False)
    assert all(v.startswith("'") for v in out.name[: len(FORMULAS)]) and list(out.name[-2:]) == ["plain", "a=b"]
    assert set(out.value) == {"-1.5"}
