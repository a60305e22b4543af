"""What one solve tells a user: the Result and how a solution becomes its tables.

The headline figures are computed at once; the tables (flows, dependence by mineral, financing,
builds, limits) are plain DataFrames with units in their column names, built from the solution's
arrays the first time they are read, so a caller that needs only the headline (a sweep, a
frontier) never pays for them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from analytics.model.data import Base
from analytics.model.exposure import DESTINATION_LABELS, DESTINATIONS
from analytics.model.formulation import Formulation, Numbers
from analytics.model.scenario import Scenario
from analytics.model.solve import RawSolution, Status

FLOW_COLUMNS = ["case", "project_id", "mineral_id", "route_id", "destination", "corridor_id", "crosses", "tpy"]
UNITS = {"budget": "M USD", "corridor": "kt/yr", "processing": "t/yr", "offtake": "M USD/yr", "keep": "t/yr",
         "exposure": "M USD", "capex": "M USD", "balance": "t/yr"}
LIMIT_GROUPS = ("budget", "offtake", "corridor", "processing", "keep", "exposure")
_EMPTY = pd.DataFrame()


@dataclass(frozen=True)
class Payload:
    """The arrays a Result's tables are built from (small; pickles with the Result)."""

    project_ids: np.ndarray
    project_names: np.ndarray
    mineral_ids: np.ndarray
    mineral_names: dict[str, str]
    routes: pd.DataFrame            # route_id, destination, corridor_id, crosses
    weights: np.ndarray             # P: price x criticality, the value weight of a tonne
    exposure: np.ndarray            # R
    q_today: np.ndarray             # P x R
    q_baseline: np.ndarray          # P x R
    q_after: np.ndarray | None      # P x R, None without an optimal plan
    financing: dict | None          # columns of the financing table, as arrays
    builds: dict | None             # columns of the builds table, as arrays
    constraint_rows: tuple          # (names, groups, activity, lower, upper, marginal) of the limit rows
    label: Callable[[str], str] | None = None  # row name -> words (model.labels.Labeller.row)


@dataclass(frozen=True)
class Result:
    """One scenario's answer. Dependence figures are percentages (0-100) of the value- and
    criticality-weighted exposed share of Kazakh critical-mineral output."""

    scenario: Scenario
    status: Status
    message: str
    dependence_before_pct: float            # today
    dependence_baseline_pct: float          # the target year without the plan (funded builds, forced reroutes)
    dependence_after_pct: float | None      # with the plan
    financing_used_musd: float
    spending_musd: float                    # offtake money spent on premiums and freight, M USD/yr
    notes: tuple[str, ...]
    payload: Payload | None = field(default=None, repr=False, compare=False)
    diagnosis: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status is Status.OPTIMAL

    # ------------------------------------------------------------------ tables, built on first read
    @cached_property
    def flows(self) -> pd.DataFrame:
        """FLOW_COLUMNS; case 'before' = today, 'baseline' = the target year without the plan, 'after' = the plan."""
        p = self.payload
        if p is None:
            return pd.DataFrame(columns=FLOW_COLUMNS)
        cases = [("before", p.q_today), ("baseline", p.q_baseline)]
        if self.ok and p.q_after is not None:
            cases.append(("after", p.q_after))
        return pd.concat([_flows_frame(case, q, p) for case, q in cases], ignore_index=True)

    @cached_property
    def by_mineral(self) -> pd.DataFrame:
        """mineral_id, mineral, dependence_before_pct, dependence_baseline_pct, dependence_after_pct."""
        p = self.payload
        if p is None:
            return _EMPTY
        out = pd.DataFrame({
            "dependence_before_pct": dependence_by_mineral(p.q_today, p.weights, p.exposure, p.mineral_ids),
            "dependence_baseline_pct": dependence_by_mineral(p.q_baseline, p.weights, p.exposure, p.mineral_ids)})
        if self.ok and p.q_after is not None:
            out["dependence_after_pct"] = dependence_by_mineral(p.q_after, p.weights, p.exposure, p.mineral_ids)
        out.insert(0, "mineral", out.index.map(p.mineral_names))
        return out.rename_axis("mineral_id").reset_index()

    @cached_property
    def financing(self) -> pd.DataFrame:
        """project_id, project, commitment_id, financier_id, financier, amount_musd."""
        p = self.payload
        return pd.DataFrame(p.financing) if p is not None and p.financing is not None else _EMPTY

    @cached_property
    def builds(self) -> pd.DataFrame:
        """project_id, project, mineral_id, build_pct, new_output_tpy, capex_musd, online_year, funded."""
        p = self.payload
        return pd.DataFrame(p.builds) if p is not None and p.builds is not None else _EMPTY

    @cached_property
    def constraints(self) -> pd.DataFrame:
        """Every limit row: what it allows, how much is used, and what one more unit is worth
        (the marginal change in D, points per unit; NaN where the objective has no such reading)."""
        p = self.payload
        if p is None or not self.ok:
            return _EMPTY
        names, groups, act, lo, hi, marginal = p.constraint_rows
        lower = groups == "keep"  # locks are >= rows: their limit is the lower bound
        limit = np.where(lower, lo, hi)
        binding = np.abs(act - limit) <= 1e-6 * np.maximum(1.0, np.abs(limit))
        label: Callable[[str], str] = p.label or (lambda n: n)
        out = pd.DataFrame({"constraint": names, "group": groups, "label": [label(n) for n in names],
                            "used": act, "limit": limit, "unit": [UNITS[g] for g in groups], "binding": binding,
                            # a lock releasing tonnes lowers dependence when its dual is positive: per tonne released
                            "marginal_pts_per_unit": np.where(lower, -marginal, marginal)})
        return out[np.isfinite(out.limit)].reset_index(drop=True)

    @cached_property
    def russia_share_change_pts(self) -> float:
        """Change in the share of all output (t/yr) processed in Russia, plan minus today, in points."""
        p = self.payload
        if not self.ok or p is None or p.q_after is None:
            return 0.0
        russia = (p.routes.destination.to_numpy() == "russia")
        share = lambda q: 100 * q[:, russia].sum() / q.sum()  # noqa: E731
        return share(p.q_after) - share(p.q_today)

    @cached_property
    def offtake_by_destination(self) -> pd.DataFrame:
        """t/yr and share by mineral x destination, today ('before') and with the plan ('after'): the
        flows table summed by (case, mineral, destination), computed on the arrays (a slider move shows it,
        and building the flows table for it cost more than the solve)."""
        p = self.payload
        if p is None:
            return pd.DataFrame(columns=["case", "mineral_id", "destination", "tpy", "share_pct"])
        minerals, m = np.unique(p.mineral_ids.astype(str), return_inverse=True)
        destinations, d = np.unique(p.routes.destination.to_numpy().astype(str), return_inverse=True)
        cases = [("after", p.q_after)] if self.ok and p.q_after is not None else []
        frames = []
        for case, q in [*cases, ("before", p.q_today)]:  # sorted by case, as a groupby would
            kept = q > 1e-6  # the cells the flows table keeps, at its precision
            tpy = np.zeros((len(minerals), len(destinations)))
            cells = np.zeros(tpy.shape, dtype=int)
            rows, cols = np.broadcast_arrays(m[:, None], d[None, :])
            np.add.at(tpy, (rows[kept], cols[kept]), q[kept].round(6))
            np.add.at(cells, (rows[kept], cols[kept]), 1)
            mi, di = np.nonzero(cells)
            total = tpy.sum(axis=1)
            frames.append(pd.DataFrame({"case": case, "mineral_id": minerals[mi], "destination": destinations[di],
                                        "tpy": tpy[mi, di], "share_pct": 100 * tpy[mi, di] / total[mi]}))
        return pd.concat(frames, ignore_index=True)


def error_result(scenario: Scenario, message: str) -> Result:
    return Result(scenario, Status.ERROR, message, float("nan"), float("nan"), None, 0.0, 0.0, ())


def _flows_frame(case: str, q: np.ndarray, p: Payload) -> pd.DataFrame:
    keep = q.ravel() > 1e-6
    pi, ri = np.divmod(np.flatnonzero(keep), q.shape[1])
    r = p.routes
    return pd.DataFrame({"case": case, "project_id": p.project_ids[pi], "mineral_id": p.mineral_ids[pi],
                         "route_id": r.route_id.to_numpy()[ri], "destination": r.destination.to_numpy()[ri],
                         "corridor_id": r.corridor_id.to_numpy()[ri], "crosses": r.crosses.to_numpy()[ri],
                         "tpy": q.ravel()[keep].round(6)})


def dependence(q: np.ndarray, a: np.ndarray, exposure: np.ndarray) -> float:
    """Weighted share (%) of the flows q that is exposed; NaN when nothing flows."""
    w = a[:, None] * q
    total = w.sum()
    return float(100 * (w * exposure[None, :]).sum() / total) if total > 0 else float("nan")


def dependence_by_mineral(q: np.ndarray, a: np.ndarray, exposure: np.ndarray, minerals: np.ndarray) -> pd.Series:
    w = (a[:, None] * q)
    codes, uniq = pd.factorize(minerals, sort=True)
    num = np.bincount(codes, (w * exposure[None, :]).sum(axis=1), len(uniq))
    den = np.bincount(codes, w.sum(axis=1), len(uniq))
    return pd.Series(100 * np.divide(num, den, out=np.full_like(num, np.nan), where=den > 0), index=uniq)


def today_q(b: Base) -> np.ndarray:
    return (b.output_tpy[:, None] * b.offtake_share)[:, b.route_dest] * b.route_share


def _tables(form: Formulation, x: np.ndarray) -> tuple[dict, dict]:
    """The financing and builds tables' columns, as arrays (the DataFrames are made when read)."""
    b = form.base
    pid, pname = b.projects.project_id.to_numpy(), b.projects.name.to_numpy()
    c = form.commitments
    fx = x[form.f0:form.f0 + len(form.f_pairs)]
    used = np.flatnonzero(fx > 1e-6)
    pj = form.f_pairs[used].reshape(-1, 2)
    financier_ids = c.financier_id.to_numpy()[pj[:, 1]]
    financing = {"project_id": pid[pj[:, 0]], "project": pname[pj[:, 0]],
                 "commitment_id": c.commitment_id.to_numpy()[pj[:, 1]], "financier_id": financier_ids,
                 "financier": np.array([form.financier_names.get(k, k) for k in financier_ids], dtype=object),
                 "amount_musd": fx[used]}
    ux = x[form.u_cols] if len(form.u_cols) else np.array([])
    built = form.u_proj[ux > 1e-6] if len(form.u_proj) else np.array([], int)
    uval = ux[ux > 1e-6] if len(form.u_proj) else np.array([])
    builds = {"project_id": pid[built], "project": pname[built], "mineral_id": b.projects.mineral_id.to_numpy()[built],
              "build_pct": 100 * uval, "new_output_tpy": uval * b.new_tpy[built],
              "capex_musd": uval * b.capex_musd[built], "online_year": b.online_year[built].astype(int),
              "funded": b.funded[built]}
    return financing, builds


def summarise(form: Formulation, numbers: Numbers, raw: RawSolution, scenario: Scenario,
              minerals: pd.DataFrame, constraint_labels) -> Result:
    """The headline now; the tables when they are read."""
    b = form.base
    a = b.price_usd_per_t * b.weight
    q_today = form.q_today
    before = dependence(q_today, a, numbers.exposure)
    baseline = dependence(numbers.baseline_q, a, numbers.exposure)
    payload = dict(project_ids=b.projects.project_id.to_numpy(), project_names=b.projects.name.to_numpy(),
                   mineral_ids=b.projects.mineral_id.to_numpy(),
                   mineral_names=form.mineral_names(minerals), routes=form.route_table, weights=a,
                   exposure=numbers.exposure, q_today=q_today, q_baseline=numbers.baseline_q, label=constraint_labels)
    if raw.status is not Status.OPTIMAL:
        return Result(scenario, raw.status, raw.message, before, baseline, None, 0.0, 0.0, numbers.notes,
                      Payload(**payload, q_after=None, financing=None, builds=None, constraint_rows=()))
    x = np.where(np.abs(raw.x) < 1e-7, 0.0, raw.x)  # solver dust: a plan that spends nothing says 0, not 1e-11
    q = x[form.q0:form.q0 + form.P * form.R].reshape(form.P, form.R)
    q = np.where(q > 1e-6, q, 0.0)  # tonnes below a gram a year are rounding, not flows
    financing, builds = _tables(form, x)
    rows = form.limit_rows
    marginal = raw.duals_d[rows] * 100.0 if raw.duals_d is not None else np.full(len(rows), np.nan)
    constraint_rows = (form.limit_names, form.limit_groups, form.A_limits @ x, numbers.row_lo[rows],
                       numbers.row_hi[rows], marginal)
    return Result(scenario, Status.OPTIMAL, raw.message, before, baseline, dependence(q, a, numbers.exposure),
                  float(numbers.financing @ x), float(numbers.spending @ x), numbers.notes,
                  Payload(**payload, q_after=q, financing=financing, builds=builds, constraint_rows=constraint_rows))


def destination_label(d: str) -> str:
    return DESTINATION_LABELS.get(d, d)


__all__ = ["DESTINATIONS", "FLOW_COLUMNS", "LIMIT_GROUPS", "Payload", "Result", "UNITS", "dependence", "error_result",
           "summarise"]
