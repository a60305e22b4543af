"""The numbers a Scenario puts into the formulation's structure: column and row bounds, the
objectives' coefficients, the baseline flows (after cargo a cut corridor pushes elsewhere) and
the notes that say what the scenario changed. `self` is the dataset's Formulation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analytics.model.exposure import DESTINATIONS, route_exposure
from analytics.model.labels import CORRIDOR_LABELS
from analytics.model.scenario import Scenario

if TYPE_CHECKING:
    from analytics.model.formulation import Formulation

D_ALLIED = DESTINATIONS.index("allied")
SLIDER_CORRIDORS = ("middle_corridor", "russia_rail")


@dataclass
class Numbers:
    """What a Scenario puts into the structure."""

    col_lb: np.ndarray
    col_ub: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    integer: np.ndarray
    numerator: np.ndarray     # N(x) = sum a exposure q
    denominator: np.ndarray   # Dn(x) = sum a q
    financing: np.ndarray     # sum f, M USD
    spending: np.ndarray      # offtake money spent, M USD/yr
    secure: np.ndarray        # value-weighted unexposed supply to allied processors
    exposure: np.ndarray      # R
    baseline_q: np.ndarray    # P x R: flows without the plan in the target year (after forced reroutes)
    rerouted_q: np.ndarray    # P x R: part of baseline_q that left a corridor the scenario cut
    money_coeffs: np.ndarray  # the money row's coefficients on the leave columns (M USD per tonne won)
    notes: tuple[str, ...]


def numbers(self: Formulation, s: Scenario) -> Numbers:
    """The scenario's bounds, costs and baseline (attach() must have read the data's limits)."""
    b = self.base
    T = s.target_year
    notes: list[str] = list(self.proc_notes)
    a = b.price_usd_per_t * b.weight / 1e6  # value x criticality, M USD per tonne
    key = (s.russia_weight_pct, s.transit_weight_pct)
    exposure = self.exposure_cache.get(key)
    if exposure is None:
        exposure = route_exposure(list(b.routes.destination), self.transit, russia_weight=key[0] / 100,
                                  transit_weight=key[1] / 100)
        self.exposure_cache[key] = exposure
    # baseline: today's output + funded new capacity producing by T, by today's routes
    base_pd = b.baseline_tpy(T)
    q0 = base_pd[:, b.route_dest] * b.route_share
    cap_kt = _corridor_caps(self, s, _corridor_use(self, q0))
    q0, moved = _forced_reroutes(self, q0, cap_kt, notes)

    col_lb, col_ub = np.zeros(self.n), np.full(self.n, np.inf)
    online = b.online_year[self.u_proj] <= T
    funded = b.funded[self.u_proj]
    col_lb[self.u_cols] = np.where(funded & online, 1.0, 0.0)
    col_ub[self.u_cols] = np.where(funded, np.where(online, 1.0, 0.0),
                                   np.where(online & (b.capex_musd[self.u_proj] > 0), 1.0, 0.0))
    if s.financed_mineral != "all" and len(self.f_pairs):
        if s.financed_mineral in set(b.projects.mineral_id):
            other = b.projects.mineral_id.to_numpy()[self.f_pairs[:, 0]] != s.financed_mineral
            col_ub[self.f0 + np.flatnonzero(other)] = 0.0
        else:
            notes.append(f"No projects of '{s.financed_mineral}' in the data; financing is not restricted.")
    integer = self.integer_candidates & (col_ub > 0) & (s.project_mode == "whole")

    lo, hi = np.full(self.m, -np.inf), np.full(self.m, np.inf)
    lo[self.balance] = hi[self.balance] = b.output_tpy
    if len(self.keep_rows):
        lo[self.keep_rows] = b.locked_tpy(T)[self.keep_pd[:, 0], self.keep_pd[:, 1]]
    if len(self.leave_rows):
        lo[self.leave_rows] = base_pd[self.leave_pd[:, 0], self.leave_pd[:, 1]]
    lo[self.added] = -q0.ravel()
    hi[self.money] = s.offtake_musd
    hi[self.capex_rows] = 0.0
    hi[self.budget] = _budgets(self, s)
    hi[self.exposure_idx] = self.exposure_caps
    hi[self.cost_share_rows] = 0.0
    # processing outside China: the stated capacity (at least today's flow); the allied slider
    # scales the room above today's flow; never below the target year's baseline flow
    cap = np.where(self.proc_allied,
                   self.proc_now + (self.proc_stated - self.proc_now) * s.allied_capacity_pct / 100.0,
                   self.proc_stated)
    base_flow = (self.proc_matrix * base_pd[:, self.proc_dest].T).sum(axis=1)  # by (destination, mineral)
    hi[self.proc_rows] = np.maximum(cap, base_flow)
    use = _corridor_use(self, q0)
    for cid, i in self.corridors.items():
        hi[i] = max(cap_kt.get(cid, np.inf), use.get(cid, 0.0))
    premium = b.price_usd_per_t * np.maximum(b.premium_pct, s.premium_floor_pct) / 100.0 / 1e6
    num, den, fin, spend, secure = _objectives(self, a, exposure, premium)
    return Numbers(col_lb, col_ub, lo, hi, integer, num, den, fin, spend, secure, exposure, q0, moved,
                   np.repeat(premium, 4), tuple(notes))

def _budgets(self: Formulation, s: Scenario) -> np.ndarray:
    """General envelopes are the scenario's; letters of interest the data's, scaled."""
    envelopes = np.array([float(getattr(s, f)) if f else 0.0 for f in self.envelope_field])
    return np.where(self.general, envelopes, self.amounts * s.commitments_pct / 100.0)

def _objectives(self: Formulation, a: np.ndarray, exposure: np.ndarray, premium: np.ndarray):
    P, R = self.P, self.R
    qa = np.repeat(a, R)
    num, den = np.zeros(self.n), np.zeros(self.n)
    qs = slice(self.q0, self.q0 + P * R)
    num[qs] = qa * np.tile(exposure, P)
    den[qs] = qa
    fin = np.zeros(self.n)
    fin[self.f0:self.f0 + len(self.f_pairs)] = 1.0
    spend = np.zeros(self.n)
    spend[self.o0:self.o0 + 4 * P] = np.repeat(premium, 4)
    spend[self.y0:self.y0 + P * R] = self.freight_musd_per_t
    secure = np.zeros(self.n)
    allied = (self.base.route_dest == D_ALLIED).astype(float)
    secure[qs] = qa * np.tile(allied * (1 - exposure), P)
    return num, den, fin, spend, secure

def _corridor_caps(self: Formulation, s: Scenario, use: dict[str, float]) -> dict[str, float]:
    """kt/yr of cargo each corridor can carry. The Middle Corridor is the scenario's; transit through
    Russia is its stated capacity (or, with none published, today's cargo) times the scenario's share."""
    caps = dict(self.stated_corridor_kt)
    caps["middle_corridor"] = float(s.middle_corridor_ktpy)
    if "russia_rail" in self.corridor_routes:
        stated = caps.get("russia_rail", np.inf)
        base = stated if np.isfinite(stated) else use.get("russia_rail", 0.0)
        caps["russia_rail"] = base * s.russia_transit_pct / 100.0
    return caps

def _corridor_use(self: Formulation, q: np.ndarray) -> dict[str, float]:
    k = self.base.cargo_t_per_t[:, None]
    return {cid: float((q[:, rs] * k).sum() / 1000.0) for cid, rs in self.corridor_routes.items()}

def _forced_reroutes(self: Formulation, q0: np.ndarray, caps: dict[str, float], notes: list[str]):
    """Without the plan, cargo a cut corridor can no longer carry goes by the cheapest other
    route to the same destination (the market's answer, at no cost to the plan)."""
    b = self.base
    q = q0.copy()
    use = _corridor_use(self, q)
    cut = [c for c in SLIDER_CORRIDORS if c in use and use[c] > caps.get(c, np.inf) + 1e-9]
    for cid in cut:
        keep = caps[cid] / use[cid] if use[cid] > 0 else 1.0
        for r in self.corridor_routes[cid]:
            d = b.route_dest[r]
            others = [x for x in np.flatnonzero(b.route_dest == d) if x != r
                      and b.routes.corridor_id.iloc[x] not in cut]
            if not others:
                continue
            to = min(others, key=lambda x: self.route_cost[x])
            shift = q[:, r] * (1 - keep)
            q[:, r] -= shift
            q[:, to] += shift
        limit = CORRIDOR_LABELS.get(cid, f"{cid.replace('_', ' ')} capacity")
        notes.append(f"Without the plan, {use[cid] - caps[cid]:,.0f} kt/yr of cargo over the {limit} goes by the "
                     f"cheapest other route to the same buyers.")
    return q, q - q0
