"""What the command line writes: the headline in the explorer's words and formats, the result tables as files,
a sweep's summary and its progress bar."""
from __future__ import annotations

import math
import sys
from pathlib import Path

from analytics.model.scenario import Scenario


def link_query(s: Scenario) -> str:
    """A scenario's link query, or "(the defaults)" when it has none."""
    from analytics.sweep.solve import link_query as query_of

    return query_of(s) or "(the defaults)"


def headline(result) -> dict:
    """The figures the explorer's metrics show, at full precision (None where there is no plan)."""
    def num(x):
        return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else float(x)
    return {"status": result.status.value, "message": result.message,
            "dependence_before_pct": num(result.dependence_before_pct),
            "dependence_baseline_pct": num(result.dependence_baseline_pct),
            "dependence_after_pct": num(result.dependence_after_pct) if result.ok else None,
            "financing_used_musd": num(result.financing_used_musd) if result.ok else None,
            "spending_musd": num(result.spending_musd) if result.ok else None,
            "envelopes_available_musd": result.scenario.total_budget_musd,
            "projects_financed": int((~result.builds.funded).sum()) if result.ok and len(result.builds) else 0,
            "link_query": link_query(result.scenario).removeprefix("(the defaults)")}


def print_headline(result, out=sys.stdout, data=None) -> None:
    """The headline in the explorer's words and formats; what binds needs the model data."""
    from analytics import model
    from analytics.analyses.compare import describe
    from analytics.present.display import formats as fmt
    from analytics.present.display import limits

    s = result.scenario
    w = out.write
    w(f"Scenario: {describe(s)}\nLink query: {link_query(s)}\n")
    if not result.ok:
        w(f"No plan ({result.status.value}): {result.message}.\n")
        if math.isfinite(result.dependence_before_pct):
            w(f"  Dependence today               {result.dependence_before_pct:.1f} %\n")
        for sentence in getattr(result.diagnosis, "sentence", []):
            w(f"  - {sentence}\n")
        return
    change = result.dependence_after_pct - result.dependence_before_pct
    # the explorer's formats (analytics.present.display.formats), so a figure reads the same in both places
    w(f"  Dependence, plan               {fmt.pct(result.dependence_after_pct)}  ({fmt.signed(change)} pts vs today)\n"
      f"  Dependence today               {fmt.pct(result.dependence_before_pct)}\n"
      f"  Without a plan, {s.target_year}         {fmt.pct(result.dependence_baseline_pct)}\n"
      f"  Money used                     {fmt.musd(result.financing_used_musd)} "
      f"+ {fmt.musd_yr(result.spending_musd)} offtake\n")
    binding = model.what_binds(data, result, max_rows=8) if data is not None else None
    if binding is not None and not binding.empty:
        w("What binds:\n")
        for said in limits.sentences(binding, limits.Names.of(data))[:5]:  # grouped as the explorer says it
            w(f"  - {said.text}\n")
    for note in result.notes:
        w(f"Note: {note}\n")


def write_tables(result, out_dir: Path, fmt: str) -> list[Path]:
    """The explorer's downloads: one file per table (CSV, Parquet) or one workbook (Excel)."""
    from analytics.data import store
    from analytics.present import exports

    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path = out_dir / "heartland-scenario.xlsx"
        path.write_bytes(exports.excel_workbook(result, store.table("sources")))
        return [path]
    tables = {"inputs": exports.inputs_table(result.scenario), **exports.result_tables(result)}
    paths = []
    for name, df in tables.items():
        path = out_dir / f"heartland-{name.replace('_', '-')}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False)
        else:  # a column mixing numbers and words (an input's value) is stored as text
            mixed = [c for c in df.columns if df[c].dtype == object and df[c].map(type).nunique() > 1]
            df.astype({c: str for c in mixed}).to_parquet(path, index=False)
        paths.append(path)
    return paths


def print_sweep(sweep, ix, out=sys.stdout) -> None:
    s = sweep.summary()
    w = out.write
    status = ", ".join(f"{v:,} {k}" for k, v in s["by_status"].items())
    w(f"{s['scenarios']:,} scenarios in {s['seconds']:.1f} s ({s['per_second']:.1f} a second on {sweep.workers} "
      f"worker{'s' if sweep.workers != 1 else ''}): {status}.\n")
    w(f"Dependence on China, plan: median {s['median']:.1f} %, 5th-95th percentile {s['p5']:.1f} - {s['p95']:.1f} % "
      f"(today {s['before_median']:.1f} %).\n")
    if not ix.ok:
        w(f"No sensitivity indices: {ix.note}\n")
        return
    used = f"{ix.used:,} base samples" if ix.method == "sobol" else f"{ix.used:,} scenarios"
    w(f"What drives it ({'Sobol' if ix.method == 'sobol' else 'RBD-FAST'} indices, 95 % intervals; {used}):\n")
    w(f"  {'input':<36} {'first-order':>18} {'total':>18}\n")
    for row in ix.table.sort_values("ST" if ix.method == "sobol" else "S1", ascending=False).itertuples():
        total = "" if math.isnan(row.ST) else f"{row.ST:6.3f} ± {row.ST_conf:.3f}"
        w(f"  {row.label[:36]:<36} {row.S1:9.3f} ± {row.S1_conf:.3f} {total:>18}\n")
    if ix.note:
        w(f"{ix.note}\n")


class progress_bar:
    """tqdm on stderr (drawn only on a terminal), fed with (done, total)."""

    def __init__(self, total: int, enabled: bool = True):
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="scenario", disable=None if enabled else True, file=sys.stderr,
                        smoothing=0.1, dynamic_ncols=True)

    def update_to(self, done: int, total: int) -> None:
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()
