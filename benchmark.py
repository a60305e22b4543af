"""Heartland benchmark: prints solve times, scaling, the same LP in PuLP + CBC, page analyses,
browser latency and memory.

    python3 benchmark.py                  # everything (needs chromium for the browser part; the sweep takes ~15 min)
    python3 benchmark.py --no-sweep       # without the Dask sweep section
    python3 benchmark.py --no-browser --no-sweep
    python3 benchmark.py --only-sweep [--sweep-n 10000]

Figures are printed, never asserted: speed is measured here, not in flaky timed tests. Every model
figure is also given as a ratio to the raw HiGHS solve of the same LP, so a slower or faster machine
does not hide where the time goes.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from analytics import model  # noqa: E402
from analytics.data import store  # noqa: E402
from analytics.model import solve as solving  # noqa: E402
from analytics.model.engine import _quiet_stdout  # noqa: E402
from analytics.model.scenario import FIELDS, Scenario  # noqa: E402

running = importlib.import_module("analytics.model.run")  # the module (analytics.model.run is also the function)


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


def once_ms(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return 1000 * (time.perf_counter() - t0), out


def row(label: str, value: str) -> None:
    print(f"  {label:<62} {value}")


def synthetic(data: model.ModelData, n_projects: int, seed: int = 0) -> model.ModelData:
    """n projects drawn from the shipped ones with sizes and costs jittered by x0.5-1.5, with their owners;
    corridor and processing capacities scaled by n / shipped so the instance stays comparable. No contracts."""
    rng = np.random.default_rng(seed)
    base = data.projects
    idx = rng.integers(0, len(base), n_projects)
    p = base.iloc[idx].reset_index(drop=True).copy()
    old_ids = p.project_id.tolist()
    jitter = rng.uniform(0.5, 1.5, n_projects)
    p["project_id"] = [f"syn-{i}" for i in range(n_projects)]
    p["name"] = [f"Synthetic {i}" for i in range(n_projects)]
    for col in ("output_tpy", "capacity_tpy", "capex_musd"):
        p[col] = pd.to_numeric(p[col], errors="coerce") * jitter
    owners = data.project_owners
    by_project = {pid: g for pid, g in owners.groupby("project_id")}
    parts = [by_project[pid].assign(project_id=f"syn-{i}") for i, pid in enumerate(old_ids) if pid in by_project]
    owners = pd.concat(parts, ignore_index=True) if parts else owners.iloc[:0]
    scale = n_projects / len(base)
    cap = data.processing_capacity.copy()
    cap["capacity_tpy"] = pd.to_numeric(cap.capacity_tpy, errors="coerce") * scale
    corridors = data.corridors.copy()
    corridors["capacity_kt_per_yr"] = pd.to_numeric(corridors.capacity_kt_per_yr, errors="coerce") * scale
    return data.replace(projects=p, project_owners=owners, processing_capacity=cap, corridors=corridors,
                        contracts=data.contracts.iloc[:0])


def parametric_lp(data: model.ModelData, scenario: Scenario):
    """The LP the optimiser ends on, min N - D* Dn over the scenario's bounds, with D* from model.run:
    (form, numbers, costs, result). Its optimum is 0 (up to tolerance) at the optimal plan."""
    _, form, _ = model.formulation(data)
    numbers = form.numbers(scenario)
    result = model.run(data, scenario, time_limit_s=300)
    d_star = result.dependence_after_pct / 100
    return form, numbers, numbers.numerator - d_star * numbers.denominator, result


def raw_highs(form, numbers, costs):
    """A fresh highspy model of the LP (no warm start): (solve ms, objective, iterations, the matrix as loaded)."""
    engine = running.new_engine(form)
    solving.load(engine, numbers)
    engine.set_costs(costs)
    with _quiet_stdout():
        ms, sol = once_ms(lambda: engine.solve())
    return ms, sol.objective, sol.iterations, engine.A


def section_shipped(data: model.ModelData) -> float:
    """Returns the raw cold HiGHS solve (ms) of the default scenario's LP, the unit of the ratios."""
    s = Scenario()
    running._FORMS.clear()
    from analytics.model import data as model_data
    model_data._BASES.clear()
    model_data._LAST.clear()
    build_ms, (_, form, _) = once_ms(lambda: model.formulation(data))
    print(f"\nShipped data: {len(data.projects)} projects, {data.projects.mineral_id.nunique()} minerals; "
          f"LP {form.n:,} columns x {len(form.row_names):,} rows, {form.A.nnz:,} non-zeros")
    row("formulation, built once per dataset (cold)", f"{build_ms:.0f} ms")
    form, numbers, costs, result = parametric_lp(data, s)
    raw_ms, _, iters, _ = raw_highs(form, numbers, costs)
    raw_ms = min(raw_ms, *(raw_highs(form, numbers, costs)[0] for _ in range(4)))
    row("raw HiGHS: one cold solve of the final LP (best of 5)", f"{raw_ms:.1f} ms ({iters} simplex iterations)")
    row("scenario -> numbers (check and derive)", f"{timed(lambda: form.numbers(s))[0]:.1f} ms median")
    key, _, _ = model.formulation(data)

    def solve_only():
        with running.engine_for(key, form) as engine:
            return running.solve_numbers(form, engine, numbers, s)

    med, _ = timed(solve_only)
    row("solve on the warm engine (Dinkelbach + least-money tie-break)", f"{med:.1f} ms median = x{med / raw_ms:.1f} raw")
    med, best = timed(lambda: model.run(data, s))
    row("model.run, default scenario (all four steps)", f"{med:.1f} ms median, {best:.1f} best = x{med / raw_ms:.1f} raw")
    # moves to new values: each run a scenario not solved before
    moves = [s.replace(offtake_musd=100.0 + 25 * i) for i in range(1, 41)]
    times = [once_ms(lambda sc=sc: model.run(data, sc))[0] for sc in moves]
    row("model.run, 40 successive new offtake values", f"{statistics.median(times):.1f} ms median, "
        f"{max(times):.1f} max")
    tables_ms, _ = once_ms(lambda: (result.flows, result.builds, result.financing, result.by_mineral))
    row("result tables built on first read (flows, builds, financing, minerals)", f"{tables_ms:.1f} ms")
    whole = s.replace(project_mode="whole")
    med, _ = timed(lambda: model.run(data, whole), repeat=10)
    row("model.run, whole projects (MILP + fixed-build LP for prices)", f"{med:.1f} ms median = x{med / raw_ms:.1f} raw")
    for name, fn in (("what binds (each limit checked by a re-solve)", lambda: model.what_binds(data, model.run(data, s))),
                     ("lever waterfall (Shapley over 5 lever groups, 32 solves)", lambda: model.waterfall(data, s))):
        med, _ = timed(fn, repeat=5)
        row(name, f"{med:.0f} ms median = x{med / raw_ms:.0f} raw")
    return raw_ms


def section_scaling(data: model.ModelData, sizes=(100, 1000, 5000)) -> None:
    print("\nSynthetic instances (LP, default scenario): how the cost grows")
    s = Scenario()
    for n in sizes:
        syn = synthetic(data, n)
        build_ms, (_, form, _) = once_ms(lambda d=syn: model.formulation(d))
        first_ms, first = once_ms(lambda d=syn: model.run(d, s))
        next_ms, _ = once_ms(lambda d=syn: model.run(d, s.replace(offtake_musd=s.offtake_musd + 25)))
        _, numbers, costs, _ = parametric_lp(syn, s)
        raw_ms, _, _, _ = raw_highs(form, numbers, costs)
        row(f"{n:>5} projects: {form.n:>7,} cols x {len(form.row_names):>6,} rows",
            f"build {build_ms:6.0f} ms; first run {first_ms:6.0f} ms, next move {next_ms:6.0f} ms; "
            f"raw HiGHS {raw_ms:6.0f} ms ({first.status.value})")


def _pulp_problem(pulp, matrix, numbers, costs):
    A = matrix.tocsr()
    lb, ub = numbers.col_lb, numbers.col_ub
    xs = [pulp.LpVariable(f"x{j}", lowBound=float(lo) if np.isfinite(lo) else None,
                          upBound=float(hi) if np.isfinite(hi) else None) for j, (lo, hi) in enumerate(zip(lb, ub))]
    prob = pulp.LpProblem("heartland", pulp.LpMinimize)
    prob += pulp.lpSum(float(costs[j]) * xs[j] for j in np.flatnonzero(costs))
    for i in range(A.shape[0]):
        lo_i, hi_i = numbers.row_lo[i], numbers.row_hi[i]
        if not (np.isfinite(lo_i) or np.isfinite(hi_i)):
            continue
        a, b = A.indptr[i], A.indptr[i + 1]
        expr = pulp.lpSum(float(v) * xs[j] for j, v in zip(A.indices[a:b], A.data[a:b]))
        if np.isfinite(lo_i) and np.isfinite(hi_i) and lo_i == hi_i:
            prob += expr == float(lo_i)
            continue
        if np.isfinite(lo_i):
            prob += expr >= float(lo_i)
        if np.isfinite(hi_i):
            prob += expr <= float(hi_i)
    return prob, xs


def _pulp_dinkelbach(pulp, matrix, numbers, lam: float, max_steps: int = 30):
    """What model.run returns, in PuLP + CBC: min N/Dn by Dinkelbach from lam, then the plan spending the least
    money at that dependence (Heartland's tie-break; its last step, fixed weights among plans tied on money too,
    is left out here). (total ms including the build, CBC solves, D)."""
    t0 = time.perf_counter()
    prob, xs = _pulp_problem(pulp, matrix, numbers, numbers.numerator - lam * numbers.denominator)
    steps = 0
    while steps < max_steps:
        steps += 1
        costs = numbers.numerator - lam * numbers.denominator
        prob.setObjective(pulp.lpSum(float(costs[j]) * xs[j] for j in np.flatnonzero(costs)))
        prob.solve(pulp.PULP_CBC_CMD(msg=False))
        x = np.array([v.value() or 0.0 for v in xs])
        den = float(numbers.denominator @ x)
        if float(costs @ x) >= -solving._REL_TOL * max(den, 1.0):
            break
        lam = solving.ratio(numbers, x)
    cap = lam * (1 + solving._TIE_TOL) + 1e-12  # D <= D*, as model.run's tie-break
    within = numbers.numerator - cap * numbers.denominator
    prob += pulp.lpSum(float(within[j]) * xs[j] for j in np.flatnonzero(within)) <= 0
    money = numbers.financing + numbers.spending
    prob.setObjective(pulp.lpSum(float(money[j]) * xs[j] for j in np.flatnonzero(money)))
    prob.solve(pulp.PULP_CBC_CMD(msg=False))
    x = np.array([v.value() or 0.0 for v in xs])
    return 1000 * (time.perf_counter() - t0), steps + 1, solving.ratio(numbers, x), float(money @ x)


def section_pulp(data: model.ModelData, sizes=(None, 100, 1000, 5000)) -> None:
    """The LP the optimiser ends on (min N - D* Dn) in PuLP + CBC beside a cold HiGHS solve: same optimum?"""
    try:
        import pulp
    except ImportError:
        row("PuLP + CBC", "pulp not installed (pip install -r requirements-test.txt)")
        return
    print("\nSame LP (min N - D* Dn at the optimal D*), raw HiGHS (highspy, cold) vs PuLP + CBC: "
          "the dependence of each solver's plan")
    for n in sizes:
        d = data if n is None else synthetic(data, n)
        form, numbers, costs, result = parametric_lp(d, Scenario())
        h_ms, _, _, matrix = raw_highs(form, numbers, costs)
        build_ms, (prob, xs) = once_ms(lambda a=matrix, nb=numbers, c=costs: _pulp_problem(pulp, a, nb, c))
        cbc_ms, _ = once_ms(lambda pr=prob: pr.solve(pulp.PULP_CBC_CMD(msg=False)))
        x_cbc = np.array([v.value() or 0.0 for v in xs])
        d_cbc = 100 * solving.ratio(numbers, x_cbc)
        label = "shipped" if n is None else f"{n} projects"
        row(f"{label}: HiGHS solve", f"{h_ms:8.1f} ms; optimal dependence {result.dependence_after_pct:.6f} %")
        row(f"{label}: PuLP build + CBC solve", f"{build_ms:8.1f} + {cbc_ms:8.1f} ms = x{(build_ms + cbc_ms) / h_ms:.1f} "
            f"HiGHS; CBC's plan: {d_cbc:.6f} % ({pulp.LpStatus[prob.status]}, "
            f"{abs(d_cbc - result.dependence_after_pct):.1e} points apart)")
        # What a PuLP user needs for the same answer: the ratio, by the same Dinkelbach iterations from the
        # plan without partner money, a CBC solve per step, then the least money at that ratio; beside one
        # Heartland model.run on a warm engine (which does the same, plus one more tie-break solve).
        run_ms = statistics.median(once_ms(lambda dd=d: model.run(dd, Scenario()))[0] for _ in range(5))
        total_ms, steps, d_dk, money_dk = _pulp_dinkelbach(pulp, matrix, numbers, result.dependence_baseline_pct / 100)
        money_run = result.financing_used_musd + result.spending_musd
        row(f"{label}: model.run's answer in PuLP + CBC (Dinkelbach, least money)", f"{total_ms:8.1f} ms in {steps} CBC solves = "
            f"x{total_ms / run_ms:.1f} a Heartland run ({run_ms:.1f} ms); "
            f"{abs(100 * d_dk - result.dependence_after_pct):.1e} points and {abs(money_dk - money_run):.1e} M USD apart")


def section_analyses(data: model.ModelData) -> None:
    """What the Trade-offs and Risk pages compute for the default scenario, cold (a fresh memo each time)."""
    from analytics.analyses import risk, timeline, tradeoffs

    print("\nPage analyses, default scenario, each from a cold memo")
    s = Scenario()
    total = 0.0
    for name, fn in (("trade-off frontier", lambda: tradeoffs.frontier(data, s)),
                     ("budget sweep", lambda: tradeoffs.budget_sweep(data, s)),
                     ("tornado (every input low and high)", lambda: tradeoffs.tornado(data, s)),
                     ("dependence by year, 2026-2035", lambda: timeline.dependence_by_year(data, s).overall)):
        ms, out = once_ms(fn)
        total += ms
        row(f"{name} ({len(out)} rows)", f"{ms:.0f} ms")
    row("the Trade-offs page's analyses together", f"{total:.0f} ms")
    result = model.run(data, s)
    ms, _ = once_ms(lambda: risk.simulate(result.flows, risk.prices(data.minerals), risk.RiskInputs(),
                                          n_draws=10_000, seed=1))
    row("Monte Carlo, 10,000 draws, plan and status quo", f"{ms:.0f} ms")


OFFTAKE = next(f for f in FIELDS if f.name == "offtake_musd")
OFFTAKE_SLIDER = f"{OFFTAKE.label} ({OFFTAKE.unit})"


# In the page's own clock (from the navigation's start): the frame in which the first headline figure is laid
# out, so painted. Playwright's selector polling runs on the page's busy main thread and can see it late.
FIRST_FIGURE_CLOCK = """(() => { const look = () => {
  const figure = document.querySelector('[data-testid="stMetricValue"]');
  if (figure && figure.getClientRects().length) window.__firstFigureMs = performance.now();
  else requestAnimationFrame(look); }; requestAnimationFrame(look); })();"""
WHOLE_EXPLORER = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'


def wait_for_whole_explorer(page) -> None:
    """Until the explorer's five charts are drawn."""
    page.wait_for_function(f"document.querySelectorAll('{WHOLE_EXPLORER}').length >= 5", timeout=120_000, polling=20)


def section_browser(moves: int = 18, cold_starts: int = 5) -> None:
    from browser import launch, metric_values, streamlit_server, wait_for_metrics, wait_until_stable
    from playwright.sync_api import sync_playwright

    print("\nReal browser (Debian chromium, Playwright) against `streamlit run serve.py` on loopback")
    with sync_playwright() as p:
        browser = launch(p)
        ready, first, polled, whole = [], [], [], []
        for _ in range(cold_starts):  # a fresh server each time; a browser page with nothing cached
            t0 = time.perf_counter()
            with streamlit_server() as base:
                ready.append(time.perf_counter() - t0)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(FIRST_FIGURE_CLOCK)
                t0 = time.perf_counter()
                page.goto(f"{base}/explorer")
                page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
                polled.append(time.perf_counter() - t0)
                wait_for_whole_explorer(page)
                whole.append(time.perf_counter() - t0)
                first.append(page.evaluate("window.__firstFigureMs") / 1000)
                page.close()

        def spread(xs: list[float]) -> str:
            return f"median {statistics.median(xs):.2f} s (range {min(xs):.2f}-{max(xs):.2f}, {cold_starts} starts)"

        row("server start -> ready (imports, reference database, default plan warmed)", spread(ready))
        row("explorer on a ready, never-visited server: first metric shown", spread(first))
        row("  (the same, as Playwright's polling saw it: late while the page draws the rest)", spread(polled))
        row("  whole explorer drawn (its five charts)", spread(whole))
    with streamlit_server() as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        page.goto(f"{base}/explorer?v=2&offt=25")  # 25 -> 475 M USD/yr: every step changes the plan
        wait_for_metrics(page)
        headline_ms = 1000 * (time.perf_counter() - t0)
        wait_for_whole_explorer(page)
        wait_until_stable(page, timeout_s=120)
        row("explorer, new session on a warm server (a shared link)",
            f"headline {headline_ms:.0f} ms, whole page {1000 * (time.perf_counter() - t0):.0f} ms")
        slider = page.get_by_role("slider", name=OFFTAKE_SLIDER)
        lat = []
        for _ in range(moves):  # always up: every step is a value this server has never solved
            before = metric_values(page)
            slider.focus()
            t0 = time.perf_counter()
            slider.press("ArrowRight")
            while metric_values(page) == before and time.perf_counter() - t0 < 5:
                page.wait_for_timeout(5)  # poll: the sample ends when the new value is on screen
            if metric_values(page) != before:
                lat.append(1000 * (time.perf_counter() - t0))
            wait_for_metrics(page)
        if lat:
            row(f"slider step to a new value -> updated metric ({len(lat)} of {moves})",
                f"median {statistics.median(lat):.0f} ms, max {max(lat):.0f} ms")
        for path, what in (("tradeoffs", "Trade-offs"), ("risk", "Risk"), ("projects", "Projects")):
            t0 = time.perf_counter()
            page.goto(f"{base}/{path}?v=2&offt={400 + len(path)}")
            page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
            page.wait_for_timeout(200)
            wait_until_stable(page, timeout_s=120)
            row(f"{what} page, new scenario: until the script finished", f"{1000 * (time.perf_counter() - t0):.0f} ms")
        browser.close()


# ----------------------------------------------------------------------------- sweeps on Dask

SWEEP_INPUTS = ["offt", "allied", "lois", "mc", "exim", "dfc", "rutr", "year"]  # 8 inputs: blocks of 10


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
        for col in ("dependence_after_pct", "financing_used_musd"):
            gap = max((runs[k].results[col] - remote.results[col]).abs().max() for k in (1, 2))
            row(f"  largest difference in {col}", f"{gap:.3g}")
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
    ap.add_argument("--no-pulp-5000", action="store_true", help="PuLP + CBC up to 1,000 projects only")
    args = ap.parse_args()
    print(f"Heartland benchmark ({os.cpu_count()} cores, highspy {importlib.metadata.version('highspy')}, "
          f"load average {os.getloadavg()[0]:.1f})")
    t0 = time.perf_counter()
    con = store.build_database()
    row("build DuckDB from data/ (in memory)", f"{1000 * (time.perf_counter() - t0):.0f} ms")
    data = model.load_model_data(con)
    if args.only_sweep:
        section_sweep(data, args.sweep_n)
        return
    section_shipped(data)
    section_scaling(data)
    section_pulp(data, (None, 100, 1000) if args.no_pulp_5000 else (None, 100, 1000, 5000))
    section_analyses(data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak memory of this process (model runs up to 5,000 projects): {peak_mb:.0f} MB")
    if not args.no_browser:
        section_browser()
    if not args.no_sweep:
        section_sweep(data, args.sweep_n)


if __name__ == "__main__":
    main()
