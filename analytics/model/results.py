"""What one solve tells a user: the Result and how a solution becomes its tables.

Tables are plain DataFrames with units in the column names, built from numpy arrays.
"""
from __future__ import annotations

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
    by_mineral: pd.DataFrame                # mineral_id, mineral, dependence_before_pct, dependence_after_pct
    flows: pd.DataFrame                     # FLOW_COLUMNS; case before = today, baseline, after = the plan
    financing: pd.DataFrame                 # project_id, project, commitment_id, financier_id, financier, amount_musd
    builds: pd.DataFrame                    # project_id, project, mineral_id, build_pct, new_output_tpy, capex_musd, online_year, funded
    constraints: pd.DataFrame               # constraint, group, label, used, limit, unit, binding, marginal_pts_per_unit
    notes: tuple[str, ...]
    diagnosis: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return self.status is Status.OPTIMAL

    @cached_property
    def russia_share_change_pts(self) -> float:
        """Change in the share of all output (t/yr) processed in Russia, plan minus today, in points."""
        if not self.ok:
            return 0.0
        share = {case: 100 * g[g.destination == "russia"].tpy.sum() / g.tpy.sum() for case, g in self.flows.groupby("case")}
        return share.get("after", 0.0) - share.get("before", 0.0)

    @cached_property
    def offtake_by_destination(self) -> pd.DataFrame:
        """t/yr and share by mineral x destination, today ('before') and with the plan ('after')."""
        f = self.flows[self.flows.case.isin(["before", "after"])]
        g = f.groupby(["case", "mineral_id", "destination"], as_index=False).tpy.sum()
        g["share_pct"] = 100 * g.tpy / g.groupby(["case", "mineral_id"]).tpy.transform("sum")
        return g


def error_result(scenario: Scenario, message: str) -> Result:
    empty = pd.DataFrame()
    return Result(scenario, Status.ERROR, message, float("nan"), float("nan"), None, 0.0, 0.0, empty, empty, empty,
                  empty, empty, ())


def _flows_frame(case: str, q: np.ndarray, b: Base) -> pd.DataFrame:
    P, R = q.shape
    keep = q.ravel() > 1e-6
    pi, ri = np.divmod(np.flatnonzero(keep), R)
    routes = b.routes
    return pd.DataFrame({"case": case, "project_id": b.projects.project_id.to_numpy()[pi],
                         "mineral_id": b.projects.mineral_id.to_numpy()[pi], "route_id": routes.route_id.to_numpy()[ri],
                         "destination": routes.destination.to_numpy()[ri],
                         "corridor_id": routes.corridor_id.to_numpy()[ri],
                         "crosses": routes.get("transit_countries", pd.Series("", index=routes.index)).fillna("")
                         .astype(str).to_numpy()[ri],
                         "tpy": q.ravel()[keep].round(6)})


def dependence(q: np.ndarray, a: np.ndarray, exposure: np.ndarray) -> float:
    w = a[:, None] * q
    return float(100 * (w * exposure[None, :]).sum() / w.sum())


def dependence_by_mineral(q: np.ndarray, a: np.ndarray, exposure: np.ndarray, minerals: np.ndarray) -> pd.Series:
    w = (a[:, None] * q)
    codes, uniq = pd.factorize(minerals, sort=True)
    num = np.bincount(codes, (w * exposure[None, :]).sum(axis=1), len(uniq))
    den = np.bincount(codes, w.sum(axis=1), len(uniq))
    return pd.Series(100 * np.divide(num, den, out=np.full_like(num, np.nan), where=den > 0), index=uniq)


def today_q(b: Base) -> np.ndarray:
    return (b.output_tpy[:, None] * b.offtake_share)[:, b.route_dest] * b.route_share


def summarise(form: Formulation, numbers: Numbers, raw: RawSolution, scenario: Scenario,
              minerals: pd.DataFrame, constraint_labels) -> Result:
    """Turn a solve into tables a page can draw and a user can download."""
    b = form.base
    a = b.price_usd_per_t * b.weight
    q_today = today_q(b)
    before = dependence(q_today, a, numbers.exposure)
    baseline = dependence(numbers.baseline_q, a, numbers.exposure)
    names = dict(zip(minerals.mineral_id, minerals.name))
    mineral_ids = b.projects.mineral_id.to_numpy()
    by_min = pd.DataFrame({"dependence_before_pct": dependence_by_mineral(q_today, a, numbers.exposure, mineral_ids),
                           "dependence_baseline_pct": dependence_by_mineral(numbers.baseline_q, a, numbers.exposure,
                                                                            mineral_ids)})
    flows = pd.concat([_flows_frame("before", q_today, b), _flows_frame("baseline", numbers.baseline_q, b)],
                      ignore_index=True)
    empty = pd.DataFrame()
    if raw.status is not Status.OPTIMAL:
        by_min.insert(0, "mineral", by_min.index.map(names))
        return Result(scenario, raw.status, raw.message, before, baseline, None, 0.0, 0.0,
                      by_min.rename_axis("mineral_id").reset_index(), flows, empty, empty, empty, numbers.notes)
    x = np.where(np.abs(raw.x) < 1e-7, 0.0, raw.x)  # solver dust: a plan that spends nothing says 0, not 1e-11
    q = x[form.q0:form.q0 + form.P * form.R].reshape(form.P, form.R)
    q = np.where(q > 1e-6, q, 0.0)  # tonnes below a gram a year are rounding, not flows
    flows = pd.concat([flows, _flows_frame("after", q, b)], ignore_index=True)
    by_min["dependence_after_pct"] = dependence_by_mineral(q, a, numbers.exposure, mineral_ids)
    by_min.insert(0, "mineral", by_min.index.map(names))
    by_min = by_min.rename_axis("mineral_id").reset_index()

    pid, pname = b.projects.project_id.to_numpy(), b.projects.name.to_numpy()
    c = form.commitments
    fin_names = dict(zip(b.financiers.financier_id, b.financiers.name))
    fx = x[form.f0:form.f0 + len(form.f_pairs)]
    used = np.flatnonzero(fx > 1e-6)
    pj = form.f_pairs[used]
    financing = pd.DataFrame({"project_id": pid[pj[:, 0]] if len(pj) else [], "project": pname[pj[:, 0]] if len(pj) else [],
                              "commitment_id": c.commitment_id.to_numpy()[pj[:, 1]] if len(pj) else [],
                              "financier_id": c.financier_id.to_numpy()[pj[:, 1]] if len(pj) else [],
                              "amount_musd": fx[used]})
    financing.insert(4, "financier", financing.financier_id.map(fin_names))
    ux = np.array([x[form.u_of[p]] for p in form.u_proj])
    built = form.u_proj[ux > 1e-6] if len(form.u_proj) else np.array([], int)
    uval = ux[ux > 1e-6] if len(form.u_proj) else np.array([])
    builds = pd.DataFrame({"project_id": pid[built], "project": pname[built], "mineral_id": mineral_ids[built],
                           "build_pct": 100 * uval, "new_output_tpy": uval * b.new_tpy[built],
                           "capex_musd": uval * b.capex_musd[built], "online_year": b.online_year[built].astype(int),
                           "funded": b.funded[built]})
    constraints = constraint_table(form, numbers, x, raw.duals_d, constraint_labels)
    return Result(scenario, Status.OPTIMAL, raw.message, before, baseline, dependence(q, a, numbers.exposure),
                  float(numbers.financing @ x), float(numbers.spending @ x), by_min, flows, financing, builds,
                  constraints, numbers.notes)


def constraint_table(form: Formulation, numbers: Numbers, x: np.ndarray, duals_d: np.ndarray | None,
                     label) -> pd.DataFrame:
    """Every limit row: what it allows, how much is used, and what one more unit is worth
    (the marginal change in D, points per unit; NaN where the objective has no such reading)."""
    groups = np.array(form.row_groups)
    rows = np.flatnonzero(np.isin(groups, LIMIT_GROUPS))
    act = form.A[rows] @ x
    lo, hi = numbers.row_lo[rows], numbers.row_hi[rows]
    lower = groups[rows] == "keep"  # locks are >= rows: their limit is the lower bound
    limit = np.where(lower, lo, hi)
    binding = np.abs(act - limit) <= 1e-6 * np.maximum(1.0, np.abs(limit))
    marginal = duals_d[rows] * 100.0 if duals_d is not None else np.full(len(rows), np.nan)
    names = [form.row_names[i] for i in rows]
    out = pd.DataFrame({"constraint": names, "group": groups[rows], "label": [label(n) for n in names],
                        "used": act, "limit": limit, "unit": [UNITS[g] for g in groups[rows]], "binding": binding,
                        "marginal_pts_per_unit": marginal})
    # a lock releasing tonnes lowers dependence when the dual is positive: say it per tonne released
    out.loc[lower, "marginal_pts_per_unit"] = -out.loc[lower, "marginal_pts_per_unit"]
    return out[np.isfinite(out.limit)].reset_index(drop=True)


def destination_label(d: str) -> str:
    return DESTINATION_LABELS.get(d, d)


__all__ = ["DESTINATIONS", "FLOW_COLUMNS", "LIMIT_GROUPS", "Result", "UNITS", "constraint_table", "dependence",
           "error_result", "summarise"]
