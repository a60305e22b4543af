"""Sweeps (analytics/sweep): the design read from FIELDS, Sobol' indices on functions with known indices,
solving in process with a work budget and on Dask (a LocalCluster and a cluster reached by its address give
the same table), and the Parquet file read back with its limits."""
from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics import model
from analytics.model.scenario import DEFAULTS, FIELDS, decode
from analytics.sweep import design, files, indices, solve


def _numeric_fields():
    return [f for f in FIELDS if not f.choices and not f.pattern]


# ----------------------------------------------------------------------------- design

def test_every_numeric_input_can_be_swept_by_key_or_name_over_its_slider():
    assert {f.name for f in design.sweepable()} == {f.name for f in _numeric_fields()}
    for f in _numeric_fields():
        by_key, by_name = design.parse_range(f.key), design.parse_range(f.name)
        assert by_key == by_name and (by_key.lo, by_key.hi) == (f.lo, f.hi)
    r = design.parse_range("exim=100:2500")
    assert (r.name, r.lo, r.hi) == ("budget_exim_musd", 100.0, 2500.0)


@pytest.mark.parametrize("spec,says", [
    ("obj", "not an input a sweep can vary"), ("nonsense=1:2", "not an input a sweep can vary"),
    ("exim=-5:100", "within 0 to 5000"), ("exim=300:100", "low end below its high end"),
    ("trw=1:1", "low end below"), ("exim=1-2", "write a range as exim=LOW:HIGH"), ("exim=a:b", "LOW:HIGH"),
    ("exim=nan:5", "within"),
])
def test_bad_ranges_say_what_is_allowed(spec, says):
    with pytest.raises(ValueError, match=says):
        design.ranges([spec])


def test_an_input_given_twice_or_none_is_refused():
    with pytest.raises(ValueError, match="repeated: budget_exim_musd"):
        design.ranges(["exim", "budget_exim_musd=0:10"])
    with pytest.raises(ValueError, match="at least one input"):
        design.ranges([])


def test_default_inputs_leave_out_what_changes_the_measure():
    names = {r.name for r in design.default_ranges()}
    assert names == {f.name for f in _numeric_fields()} - set(design.NOT_BY_DEFAULT)


def test_sobol_design_holds_blocks_within_the_ranges_and_repeats_with_its_seed():
    rs = design.ranges(["trw=20:60", "year", "offt"])
    d = design.sample(rs, n=80, method="sobol", seed=7, base=DEFAULTS.replace(budget_dfc_musd=0.0))
    assert (d.n_base, d.block_size, len(d.table)) == (16, 5, 80)
    assert d.table.groupby("sample").part.apply(list).map(lambda p: p == [0, 1, 2, 3, 4]).all()
    assert d.table.transit_weight_pct.between(20, 60).all() and d.table.offtake_musd.between(0, 5000).all()
    assert d.table.target_year.dtype.kind == "i" and d.table.target_year.between(2026, 2035).all()
    # in Saltelli's design, row j of a block differs from row 0 (A) in input j only
    block = d.table[d.table["sample"] == 3][d.names].to_numpy()
    for j in range(3):
        assert [k for k in range(3) if block[j + 1, k] != block[0, k]] in ([j], [])
    assert d.scenario(d.table.iloc[0]).budget_dfc_musd == 0.0  # the rest is the base scenario's
    assert d.table.equals(design.sample(rs, n=80, method="sobol", seed=7).table)
    assert not d.table.equals(design.sample(rs, n=80, method="sobol", seed=8).table)
    assert d.note == ""  # 16 base samples: a power of two
    assert "not a power of two" in design.sample(rs, n=60, seed=7).note


def test_latin_hypercube_has_n_scenarios_one_per_stratum():
    d = design.sample(design.ranges(["trw", "mc=0:1000"]), n=50, method="lhs", seed=1)
    assert len(d.table) == 50 and d.block_size == 1
    strata = np.floor(d.table.transit_weight_pct.to_numpy() / 100 * 50).clip(0, 49)
    assert sorted(strata) == list(range(50))


@pytest.mark.parametrize("n,method,says", [(5, "sobol", "at least 8 scenarios"), (0, "lhs", "from 1 to"),
                                          (10, "morris", "method must be one of"), (2.5, "lhs", "whole number")])
def test_bad_sizes_and_methods_are_refused(n, method, says):
    with pytest.raises(ValueError, match=says):
        design.sample(design.ranges(["trw", "offt"]), n=n, method=method)


# ----------------------------------------------------------------------------- indices (closed form)

def test_sobol_indices_of_a_linear_function_match_the_closed_form():
    """Y = 3 x1 + x2 + 0 x3 with x uniform on [0, 1]: Var = (9 + 1) / 12, so S1 = ST = 0.9, 0.1, 0."""
    rs = design.ranges(["trw=0:100", "offt=0:5000", "mc"])
    d = design.sample(rs, n=1024 * 5, method="sobol", seed=2)
    x1, x2 = d.table.transit_weight_pct / 100, d.table.offtake_musd / 5000
    ix = indices.sobol(d, d.table.assign(dependence_after_pct=3 * x1 + x2), seed=1)
    t = ix.table.set_index("input")
    assert t.S1.to_numpy() == pytest.approx([0.9, 0.1, 0.0], abs=0.05)
    assert t.ST.to_numpy() == pytest.approx([0.9, 0.1, 0.0], abs=0.05)
    assert (t.S1_conf.iloc[:2] > 0).all() and (t.S1_conf < 0.1).all() and ix.used == 1024 and ix.left_out == 0


def test_interactions_show_in_total_not_first_order():
    """Y = x1 * x2 on [-1, 1]^2 (centred): no first-order effect at all, everything is interaction."""
    rs = design.ranges(["trw=0:100", "offt=0:5000"])
    d = design.sample(rs, n=1024 * 4, method="sobol", seed=3)
    y = (d.table.transit_weight_pct / 50 - 1) * (d.table.offtake_musd / 2500 - 1)
    t = indices.sobol(d, d.table.assign(dependence_after_pct=y)).table
    assert t.S1.to_numpy() == pytest.approx([0, 0], abs=0.05)
    assert t.ST.to_numpy() == pytest.approx([1, 1], abs=0.1)


def test_latin_hypercube_gives_first_order_indices():
    d = design.sample(design.ranges(["trw", "offt"]), n=600, method="lhs", seed=1)
    y = 3 * d.table.transit_weight_pct / 100 + d.table.offtake_musd / 5000
    t = indices.sobol(d, d.table.assign(dependence_after_pct=y)).table
    assert t.S1.to_numpy() == pytest.approx([0.9, 0.1], abs=0.08) and t.ST.isna().all()


def test_base_samples_without_a_plan_are_left_out_whole_and_said():
    d = design.sample(design.ranges(["trw", "offt"]), n=64, method="sobol", seed=1)
    y = d.table.transit_weight_pct.astype(float).copy()
    y[(d.table["sample"] == 5) & (d.table.part == 2)] = math.nan  # one infeasible scenario
    ix = indices.sobol(d, d.table.assign(dependence_after_pct=y))
    assert (ix.used, ix.left_out) == (15, 1) and "1 base samples were left out" in ix.note
    flat = indices.sobol(d, d.table.assign(dependence_after_pct=5.0))
    assert (flat.table.ST == 0).all() and "the same in every scenario" in flat.note
    few = indices.sobol(d, d.table.head(7).assign(dependence_after_pct=1.0))
    assert not few.ok and "at least 2 complete base samples" in few.note


# ----------------------------------------------------------------------------- solving

@pytest.fixture(scope="module")
def small_design():
    return design.sample(design.ranges(["trw", "offt=0:5000", "allied=50:300", "year"]), n=36, seed=4,
                         base=DEFAULTS.replace(middle_corridor_ktpy=600.0))


def test_each_row_is_the_model_run_of_its_scenario(shipped_data, small_design):
    sweep = solve.run_local(shipped_data, small_design)
    assert sweep.complete and sweep.solved == 36 and set(sweep.results.status) == {"optimal"}
    for i in (0, 17, 35):
        row = sweep.results.iloc[i]
        scenario = small_design.scenario(row)
        assert decode(dict(kv.split("=") for kv in row.link_query.split("&"))).scenario == scenario
        r = model.run(shipped_data, scenario)  # the sweep keeps solve.DIGITS decimals
        assert row.dependence_after_pct == round(r.dependence_after_pct, solve.DIGITS)
        assert row.financing_used_musd == round(r.financing_used_musd, solve.DIGITS)
        assert row.dependence_before_pct == round(r.dependence_before_pct, solve.DIGITS)


def test_a_work_budget_stops_at_a_whole_base_sample(shipped_data, small_design):
    seen = []
    sweep = solve.run_local(shipped_data, small_design, budget_s=0.0, progress=lambda done, n: seen.append((done, n)))
    assert not sweep.complete and sweep.solved == small_design.block_size == 6
    assert seen == [(6, 36)]
    assert not indices.sobol(small_design, sweep.results).ok  # one base sample is not enough


def test_a_scenario_the_model_rejects_is_a_row_not_a_lost_sweep(shipped_data):
    def failing(scenario):
        if scenario.transit_weight_pct > 50:
            raise RuntimeError("solver crashed")
        return {"status": "optimal", "dependence_before_pct": 1.0, "dependence_after_pct": 1.0,
                "financing_used_musd": 0.0, "message": ""}
    rs = design.ranges(["trw"])
    rows = solve.solve_rows(failing, DEFAULTS, rs, np.array([[10.0], [90.0], [500.0]]))
    assert [r["status"] for r in rows] == ["optimal", "error", "error"]
    assert "RuntimeError" in rows[1]["message"] and "not a valid scenario" in rows[2]["message"]


def test_local_cluster_and_cluster_by_address_give_the_in_process_table(shipped_data, small_design, dask_address):
    here = solve.run_local(shipped_data, small_design).results
    seen = []
    local = solve.run_dask(shipped_data, small_design, workers=2, chunk=4, progress=lambda d, n: seen.append(d))
    pd.testing.assert_frame_equal(local.results, here)
    assert local.workers == 2 and seen[-1] == 36 and seen == sorted(seen)

    from distributed import Client

    with Client(dask_address) as client:
        remote = solve.run_dask(shipped_data, small_design, client=client, chunk=3)
        builds = client.run(solve.worker_builds)
    pd.testing.assert_frame_equal(remote.results, here)
    # 12 tasks over two workers: each built its solver once and reused it
    assert sorted(b for _, b in builds.values()) == [1, 1] and len({pid for pid, _ in builds.values()}) == 2


# ----------------------------------------------------------------------------- the file

def _sweep(shipped_data, small_design):
    s = solve.run_local(shipped_data, small_design)
    return s, indices.sobol(small_design, s.results)


def test_the_file_reads_back_to_the_same_sweep_and_indices(shipped_data, small_design, tmp_path):
    sweep, ix = _sweep(shipped_data, small_design)
    path = files.write(sweep, tmp_path / "s.parquet", ix)
    loaded = files.read(path.read_bytes())
    got = loaded.sweep
    assert got.design.ranges == small_design.ranges and got.design.base == small_design.base
    assert got.design.method == "sobol" and got.design.n_base == small_design.n_base and loaded.notices == ()
    cols = ["sample", "part", *small_design.names, *files.NUMERIC]
    pd.testing.assert_frame_equal(got.results[cols], sweep.results[cols], check_dtype=False)
    again = indices.sobol(got.design, got.results)
    pd.testing.assert_frame_equal(again.table, ix.table)
    meta = json.loads(pq.read_schema(path).metadata[files.META_KEY])
    assert meta["indices"]["table"][0]["input"] == "transit_weight_pct" and meta["base_link_query"] == {"v": "2", "mc": "600"}
    full = pd.read_parquet(path)  # what another tool sees
    assert {"status", "message", "link_query", "dependence_after_pct"} <= set(full.columns) and len(full) == 36


def _parquet(df: pd.DataFrame, meta: dict | bytes | None) -> bytes:
    t = pa.Table.from_pandas(df, preserve_index=False)
    if meta is not None:
        t = t.replace_schema_metadata({files.META_KEY: meta if isinstance(meta, bytes) else json.dumps(meta).encode()})
    buf = io.BytesIO()
    pq.write_table(t, buf, compression="zstd")
    return buf.getvalue()


GOOD_META = {"format": 1, "method": "sobol", "seed": 0, "n_base": 2, "inputs": [{"name": "transit_weight_pct", "lo": 0, "hi": 100}]}
GOOD_ROWS = pd.DataFrame({"sample": [0, 0, 0, 1, 1, 1], "part": [0, 1, 2] * 2, "transit_weight_pct": [1.0, 2, 3, 4, 5, 6],
                          "dependence_before_pct": 46.0, "dependence_after_pct": [1.0, 2, 3, 4, 5, 6],
                          "financing_used_musd": 0.0})


def test_a_minimal_foreign_file_opens():
    got = files.read(_parquet(GOOD_ROWS, GOOD_META)).sweep
    assert len(got.results) == 6 and list(got.results.status.unique()) == ["optimal"]


@pytest.mark.parametrize("content,says", [
    (b"PAR1 not really", "not a Parquet file"),
    (b"", "not a Parquet file"),
    (_parquet(GOOD_ROWS, None), "no Heartland sweep description"),
    (_parquet(GOOD_ROWS, b"{not json"), "description cannot be read"),
    (_parquet(GOOD_ROWS, {**GOOD_META, "method": "morris"}), "description cannot be read"),
    (_parquet(GOOD_ROWS, {**GOOD_META, "inputs": [{"name": "objective", "lo": 0, "hi": 1}]}), "not an input"),
    (_parquet(GOOD_ROWS, {**GOOD_META, "inputs": [{"name": "transit_weight_pct", "lo": 0, "hi": 1e308}]}), "within 0 to 100"),
    (_parquet(GOOD_ROWS, {**GOOD_META, "inputs": []}), "at least one input"),
    (_parquet(GOOD_ROWS.drop(columns="dependence_after_pct"), GOOD_META), "columns missing: dependence_after_pct"),
    (_parquet(GOOD_ROWS.assign(transit_weight_pct="<script>"), GOOD_META), "not numbers: transit_weight_pct"),
    (_parquet(pd.DataFrame({c: np.zeros(1_500_000) for c in GOOD_ROWS.columns}), GOOD_META), "at most 1,000,000 rows"),
    (_parquet(GOOD_ROWS.assign(sample=[-1, 0, 0, 1, 1, 1]), GOOD_META), "sample numbers"),
], ids=["garbage", "empty", "no-meta", "bad-json", "bad-method", "choice-input", "huge-range", "no-inputs",
        "missing-column", "text-column", "row-bomb", "negative-sample"])
def test_files_that_are_not_sweeps_are_refused_in_words(content, says):
    with pytest.raises(ValueError, match=says):
        files.read(content)


def test_a_row_bomb_is_refused_before_it_is_decoded():
    bomb = _parquet(pd.DataFrame({c: np.zeros(1_500_000) for c in GOOD_ROWS.columns}), GOOD_META)
    assert len(bomb) < 200_000  # 72 MB of zeros in a small file
    pool = pa.default_memory_pool()
    before = pool.bytes_allocated()
    with pytest.raises(ValueError):
        files.read(bomb)
    assert pool.bytes_allocated() - before < 10_000_000


def test_a_file_over_the_size_limit_is_not_read(monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    with pytest.raises(ValueError, match="MB are read"):
        files.read(_parquet(GOOD_ROWS, GOOD_META))
