"""Heartland benchmark: prints solve times, scaling, browser latency and memory.

    python3 benchmark.py            # everything (needs chromium for the browser part)
    python3 benchmark.py --no-browser
    python3 benchmark.py --only-sweep [--sweep-n 10000]   # the Dask sweep section alone (about 15 minutes)

Figures are printed, never asserted: speed is measured here, not in flaky timed tests.
"""
from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from analytics.model.lp import solve as lp_solve  # noqa: E402

from analytics import model
from analytics.data import store  # noqa: E402
from analytics.model.scenario import Scenario  # noqa: E402


def timed(fn, repeat: int = 20) -> tuple[float, float]:
    """(median, best) wall time in ms over `repeat` calls, after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t0))
    return statistics.median(times), min(times)


def row(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")


def synthetic(data: model.ModelData, n_projects: int, seed: int = 0) -> model.ModelData:
    """n projects drawn from the shipped ones with jittered sizes and costs; capacities scaled
    so the instance stays comparable (same minerals, routes and financiers)."""
    rng = np.random.default_rng(seed)
    base = data.projects
    idx = rng.integers(0, len(base), n_projects)
    p = base.iloc[idx].reset_index(drop=True).copy()
    jitter = rng.uniform(0.5, 1.5, n_projects)
    p["project_id"] = [f"syn-{i}" for i in range(n_projects)]
    p["name"] = [f"Synthetic {i}" for i in range(n_projects)]
    for col in ("output_tpy", "capacity_tpy", "capex_musd"):
        p[col] = p[col] * jitter
    scale = n_projects / len(base)
    corridors = data.corridors.copy()
    corridors["capacity_kt_per_yr"] = corridors.capacity_kt_per_yr * scale
    cap = data.processing_capacity.copy()
    cap["capacity_tpy"] = cap.capacity_tpy * scale
    return model.ModelData(data.minerals, p, data.financiers, data.routes, corridors, cap)


def section_shipped(data: model.ModelData) -> None:
    s = Scenario()
    prep = model.check(data, s)
    built = model.build(prep)
    print(f"\nShipped data: {len(data.projects)} projects, {data.projects.mineral_id.nunique()} minerals; "
          f"LP {built.lp.n} variables x {len(built.lp.rows)} rows")
    row("check (validate + derive inputs)", "%.1f ms median" % timed(lambda: model.check(data, s))[0])
    row("build (named rows)", "%.1f ms median" % timed(lambda: model.build(prep))[0])
    row("solve (Charnes-Cooper + tie-break + duals, HiGHS)", "%.1f ms median" % timed(lambda: model.solve_built(built))[0])
    med, best = timed(lambda: model.run(data, s))
    row("full run: check -> build -> solve -> summarise", f"{med:.1f} ms median, {best:.1f} ms best")
    whole = s.replace(project_mode="whole")
    med, _ = timed(lambda: model.run(data, whole), repeat=10)
    row("full run, whole-project MILP (Dinkelbach + fixed-binary duals)", f"{med:.1f} ms median")


def section_scaling(data: model.ModelData) -> None:
    print("\nSynthetic instances (LP, default scenario): how the cost grows")
    s = Scenario()
    for n in (100, 1000, 5000):
        syn = synthetic(data, n)
        t0 = time.perf_counter()
        prep = model.check(syn, s)
        built = model.build(prep)
        t1 = time.perf_counter()
        raw = model.solve_built(built)
        t2 = time.perf_counter()
        row(f"{n:>5} projects: {built.lp.n:>6} vars x {len(built.lp.rows):>6} rows",
            f"build {1000 * (t1 - t0):7.0f} ms, solve {1000 * (t2 - t1):7.0f} ms ({raw.status.value})")


def section_pulp(data: model.ModelData) -> None:
    """The same LP (the parametric form at the optimum, min N - D* Dn) in PuLP + CBC, side by side."""
    try:
        import pulp
    except ImportError:
        row("PuLP + CBC", "pulp not installed (pip install -r requirements-test.txt)")
        return
    print("\nSame LP, HiGHS via scipy vs PuLP + CBC (parametric LP at the optimal D)")
    for n in (None, 1000):
        d = data if n is None else synthetic(data, n)
        prep = model.check(d, Scenario())
        built = model.build(prep)
        raw = model.solve_built(built)
        c = built.numerator - raw.dependence * built.denominator
        lp = built.lp
        t0 = time.perf_counter()
        sol = lp_solve(lp, c)
        t_highs = time.perf_counter() - t0

        t0 = time.perf_counter()
        prob = pulp.LpProblem("heartland", pulp.LpMinimize)
        xs = [pulp.LpVariable(f"x{j}", lowBound=lo, upBound=(None if not np.isfinite(hi) else hi))
              for j, (lo, hi) in enumerate(zip(lp.lb, lp.ub))]
        prob += pulp.lpSum(float(c[j]) * xs[j] for j in np.flatnonzero(c))
        A = lp.matrix().tocsr()
        for i, r in enumerate(lp.rows):
            lo, hi = A.indptr[i], A.indptr[i + 1]
            expr = pulp.lpSum(float(v) * xs[j] for j, v in zip(A.indices[lo:hi], A.data[lo:hi]))
            prob += (expr <= r.rhs) if r.sense == "<=" else (expr >= r.rhs) if r.sense == ">=" else (expr == r.rhs)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        prob.solve(pulp.PULP_CBC_CMD(msg=False))
        t_cbc = time.perf_counter() - t0
        label = "shipped" if n is None else f"{n} projects"
        row(f"{label}: HiGHS (scipy) solve", f"{1000 * t_highs:.1f} ms, objective {sol.objective:.3e}")
        row(f"{label}: PuLP build + CBC solve", f"{1000 * t_build:.1f} ms + {1000 * t_cbc:.1f} ms, "
            f"objective {pulp.value(prob.objective) or 0.0:.3e} ({pulp.LpStatus[prob.status]})")


def section_insight(data: model.ModelData) -> None:
    """Frontier and Monte Carlo timings, when those modules are present."""
    s = Scenario()
    try:
        from analytics.analyses import tradeoffs
    except ImportError:
        tradeoffs = None
    if tradeoffs is not None and hasattr(tradeoffs, "frontier"):
        t0 = time.perf_counter()
        f = tradeoffs.frontier(data, s)
        row(f"trade-off frontier ({len(f)} targets)", f"{1000 * (time.perf_counter() - t0):.0f} ms")
    try:
        from analytics.analyses import risk
    except ImportError:
        risk = None
    if risk is not None and hasattr(risk, "simulate"):
        result = model.run(data, s)
        prices = dict(zip(data.minerals.mineral_id, data.minerals.price_usd_per_t))
        t0 = time.perf_counter()
        risk.simulate(result.flows, prices, risk.RiskInputs(), n_draws=10_000, seed=1)
        row("Monte Carlo, 10,000 draws, plan vs status quo", f"{1000 * (time.perf_counter() - t0):.0f} ms")
    for name in ("tornado", "timeline", "budget_sweep"):
        t0 = time.perf_counter()
        getattr(tradeoffs, name)(data, s)
        row(f"{name.replace('_', ' ')}", f"{1000 * (time.perf_counter() - t0):.0f} ms")


def section_browser(repeats: int = 10) -> None:
    from browser import launch, metric_values, streamlit_server, wait_for_metrics
    from playwright.sync_api import sync_playwright

    print("\nReal browser (Debian chromium, Playwright) against `streamlit run` on loopback")
    with streamlit_server() as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        page.goto(f"{base}/explorer")
        wait_for_metrics(page)
        row("first render of the explorer (cold server)", f"{1000 * (time.perf_counter() - t0):.0f} ms")
        slider = page.get_by_role("slider", name="Weight on Russian transit (%)")
        lat = []
        for i in range(repeats):
            before = metric_values(page)
            slider.focus()
            t0 = time.perf_counter()
            slider.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            while metric_values(page) == before and time.perf_counter() - t0 < 10:
                page.wait_for_timeout(5)  # poll: the sample ends when the new value is on screen
            if metric_values(page) != before:
                lat.append(1000 * (time.perf_counter() - t0))
            wait_for_metrics(page)
        if lat:
            row(f"slider step -> updated metric ({len(lat)} samples)",
                f"median {statistics.median(lat):.0f} ms, max {max(lat):.0f} ms")
        browser.close()


# ----------------------------------------------------------------------------- sweeps on Dask

SWEEP_INPUTS = ["offt", "allied", "lock", "mc", "exim", "dfc", "rutr", "year"]  # 8 inputs: blocks of 10


def section_sweep(data: model.ModelData, n: int = 10_000) -> None:
    """n scenarios (Sobol' design over 8 inputs) in process, on a LocalCluster of 1 and of 2 workers, and on a
    two-worker cluster started by address; throughput per core, 1 -> 2 worker scaling, same results."""
    import os

    import pandas as pd
    from daskcluster import dask_cluster
    from distributed import Client

    from analytics.sweep import design, indices, solve

    d = design.sample(design.ranges(SWEEP_INPUTS), n, method="sobol", seed=0)
    print(f"\nSweeps (other work on this machine slows them: see the load averages): {len(d.table):,} scenarios (Sobol' design, {d.n_base:,} base samples over {len(d.ranges)} inputs), "
          f"{os.cpu_count()} cores; the per-scenario call is model.run (check -> build -> solve -> summarise)")
    probe = design.sample(d.ranges, 300, method="sobol", seed=1)
    t0 = time.perf_counter()
    solve.run_local(data, probe)
    here = len(probe.table) / (time.perf_counter() - t0)
    row("in process, one core (300-scenario probe)", f"{here:.1f} scenarios/s ({1000 / here:.1f} ms each)")

    runs = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        sweep = solve.run_dask(data, d, workers=workers)
        wall = time.perf_counter() - t0
        runs[workers] = sweep
        rate = sweep.solved / sweep.seconds
        row(f"LocalCluster, {workers} worker{'s' if workers > 1 else ''}",
            f"{sweep.seconds:6.1f} s solving ({wall:.1f} s with cluster start): {rate:.1f} scenarios/s, "
            f"{rate / workers:.1f} per core (load average after: {os.getloadavg()[0]:.1f})")
    s1, s2 = runs[1].seconds, runs[2].seconds
    row("scaling 1 -> 2 workers", f"x{s1 / s2:.2f} (ideal x2.00; efficiency {100 * s1 / s2 / 2:.0f} %)")
    with dask_cluster(2) as address, Client(address) as client:
        t0 = time.perf_counter()
        remote = solve.run_dask(data, d, client=client)
        row(f"cluster by address ({address}), 2 workers",
            f"{remote.seconds:6.1f} s: {remote.solved / remote.seconds:.1f} scenarios/s")
    same = runs[2].results.equals(remote.results) and runs[1].results.equals(runs[2].results)
    row("same table on every cluster", "yes" if same else "NO")
    if not same:
        diff = pd.concat([runs[2].results, remote.results]).drop_duplicates(keep=False)
        row("rows that differ", f"{len(diff) // 2}")
    t0 = time.perf_counter()
    ix = indices.sobol(d, runs[2].results)
    row("Sobol' indices (SALib, 100 bootstrap resamples)", f"{1000 * (time.perf_counter() - t0):.0f} ms")
    summary = runs[2].summary()
    row("outcomes", f"{summary['by_status']}; dependence after: median {summary['median']:.1f} %, "
                    f"5-95 % {summary['p5']:.1f}-{summary['p95']:.1f} %")
    for r in ix.table.sort_values("ST", ascending=False).itertuples():
        row(f"  {r.label}", f"S1 {r.S1:6.3f} ± {r.S1_conf:.3f}   ST {r.ST:6.3f} ± {r.ST_conf:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-sweep", action="store_true", help="skip the Dask sweep section (about 15 minutes)")
    ap.add_argument("--only-sweep", action="store_true", help="run only the Dask sweep section")
    ap.add_argument("--sweep-n", type=int, default=10_000, help="scenarios in the sweep section (default 10,000)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    con = store.build_database()
    print("Heartland benchmark")
    row("build DuckDB from data/ (in memory)", f"{1000 * (time.perf_counter() - t0):.0f} ms")
    data = model.load_model_data(con)
    if args.only_sweep:
        section_sweep(data, args.sweep_n)
        return
    section_shipped(data)
    section_scaling(data)
    section_pulp(data)
    print("\nDecision insight")
    section_insight(data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak memory of this process (model runs up to 5,000 projects): {peak_mb:.0f} MB")
    if not args.no_browser:
        section_browser()
    if not args.no_sweep:
        section_sweep(data, args.sweep_n)


if __name__ == "__main__":
    main()
