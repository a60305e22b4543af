"""The LP's structure, built once per dataset; numbers.py puts a Scenario's numbers into it.

Columns (t/yr of the mineral's unit unless said):
  q[p,r]  >= 0   output of project p sent along route r (a processing destination x a corridor)
  u[p]    in [0,1] share of p's new capacity built (binary in whole-project mode)
  f[p,j]  >= 0   M USD of commitment j (a financier's envelope or a project-specific letter) lent to p
  o[p,d]  >= 0   tonnes that leave the buyers at destination d that take them without the plan
  y[p,r]  >= 0   tonnes the plan adds to route r beyond the baseline (their freight is paid)

Rows (named, grouped; a Scenario changes only their bounds, the columns' bounds and the costs):
  balance[p]     sum_r q = y_p + n_p u_p                     output all goes somewhere
  keep[p,d]      sum_{r->d} q - e_pd n_p u_p >= L_pd         owners' equity offtake and running contracts stay
  leave[p,d]     o_pd + sum_{r->d} q >= B_pd                 a tonne leaving its buyer is counted (and paid)
  added[p,r]     y_pr - q_pr + n_p u_p >= -q0_pr             tonnes added to a route (output of capacity the plan
                                                             builds travels free: the financing buys its offtake)
  money          sum P pi o / 1e6 + sum k c_r y / 1e6 <= O   the offtake money pays premiums and the freight
                                                             of every tonne it sends along a new route
  capex[p]       c_p u_p - sum_j f_pj <= 0                    financing covers what is built
  budget[j]      sum_p f_pj <= A_j                            each envelope and letter of interest
  exposure[p,k]  sum_{j of k} f_pj <= E_k                     a financier's cap per project
  processing[d,m] sum q to d of mineral m <= K_dm             outside China
  corridor[c]    sum cargo / 1000 <= C_c                      kt of cargo a year

Only partner money moves a tonne: with no offtake money and no financing the only plan is the
baseline (today's flows, plus new capacity that is already funded), so D equals it exactly.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from analytics.model.data import Base
from analytics.model.exposure import DESTINATIONS, transit_countries
from analytics.model.numbers import Numbers
from analytics.model.numbers import numbers as scenario_numbers
from analytics.model.scenario import FINANCIER_FIELDS, Scenario

D_IDX = {d: i for i, d in enumerate(DESTINATIONS)}
LIMIT_DESTINATIONS = ("allied", "domestic", "russia")  # China is the one unbounded processing sink


class Formulation:
    """Index maps and the constraint matrix for one dataset (see the module docstring)."""

    def __init__(self, base: Base, corridors: pd.DataFrame | None = None,
                 processing: pd.DataFrame | None = None) -> None:
        self.base = b = base
        P, R = b.n_projects, b.n_routes
        self.P, self.R = P, R
        names: list[str] = []
        pid = list(b.projects.project_id)
        rid = list(b.routes.route_id)
        # --- columns
        self.q0 = 0
        names += [f"offtake[{pid[p]},{rid[r]}]" for p in range(P) for r in range(R)]
        has_new = b.new_tpy > 1e-9
        self.u_proj = np.flatnonzero(has_new)  # projects with a build column
        self.u0 = len(names)
        names += [f"build[{pid[p]}]" for p in self.u_proj]
        self.u_of = {int(p): self.u0 + i for i, p in enumerate(self.u_proj)}
        # financing pairs: unfunded projects with capital to raise x commitments open to them
        fin = b.financiers.set_index("financier_id")
        cn_max = pd.to_numeric(fin.get("max_cn_stake_pct", pd.Series(100.0, index=fin.index)), errors="coerce")
        ru_max = pd.to_numeric(fin.get("max_ru_stake_pct", pd.Series(100.0, index=fin.index)), errors="coerce")
        self.commitments = self._commitments_with_envelopes()
        pairs = []
        for p in self.u_proj:
            if b.funded[p] or b.capex_musd[p] <= 0:
                continue
            for j, c in self.commitments.iterrows():
                k = c.financier_id
                eligible = b.stake_cn_pct[p] <= cn_max.get(k, 100.0) + 1e-9 and b.stake_ru_pct[p] <= ru_max.get(k, 100.0) + 1e-9
                if (c.general and eligible) or pid[p] in c.projects:
                    pairs.append((int(p), int(j)))
        self.f_pairs = np.array(pairs, int).reshape(-1, 2)
        self.f0 = len(names)
        names += [f"finance[{pid[p]},{self.commitments.commitment_id[j]}]" for p, j in self.f_pairs]
        self.o0 = len(names)
        names += [f"leave[{pid[p]},{d}]" for p in range(P) for d in DESTINATIONS]
        self.y0 = len(names)
        names += [f"added[{pid[p]},{rid[r]}]" for p in range(P) for r in range(R)]
        self.col_names = names
        self.n = len(names)
        self.integer_candidates = np.zeros(self.n, bool)
        self.integer_candidates[[self.u_of[int(p)] for p in self.u_proj if not b.funded[p]]] = True
        self._build_rows()

    # ------------------------------------------------------------------ helpers
    def qi(self, p, r):
        return self.q0 + np.asarray(p) * self.R + np.asarray(r)

    def _commitments_with_envelopes(self) -> pd.DataFrame:
        """The data's project-specific commitments plus one general envelope per partner financier
        (its size is a scenario input whose default is the data's general commitments)."""
        b = self.base
        c = b.commitments
        specific = c[~c.general].copy()
        general = pd.DataFrame({"commitment_id": [f"{k}-envelope" for k in b.financiers.financier_id],
                                "financier_id": list(b.financiers.financier_id), "general": True,
                                "projects": [[] for _ in range(len(b.financiers))], "amount_musd": 0.0})
        cols = ["commitment_id", "financier_id", "general", "projects", "amount_musd"]
        return pd.concat([specific[cols], general[cols]], ignore_index=True)

    def _build_rows(self) -> None:
        b = self.base
        P, R = self.P, self.R
        pid = list(b.projects.project_id)
        rid = list(b.routes.route_id)
        mineral = b.projects.mineral_id.to_numpy()
        rows_i: list[np.ndarray] = []
        rows_j: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        names: list[str] = []
        groups: list[str] = []
        self.row_meta: list[dict | None] = []

        def add(name, group, cols, coef, **meta) -> int:
            i = len(names)
            cols = np.asarray(cols, int)
            rows_i.append(np.full(len(cols), i))
            rows_j.append(cols)
            vals.append(np.asarray(coef, float) * np.ones(len(cols)))
            names.append(name)
            groups.append(group)
            self.row_meta.append(meta)
            return i

        all_r = np.arange(R)
        kappa = b.cargo_t_per_t
        cost = pd.to_numeric(b.routes.cost_usd_per_t, errors="coerce").fillna(0.0).to_numpy(float)
        self.route_cost = cost
        self.balance = np.empty(P, int)
        self.keep: dict[tuple[int, int], int] = {}
        self.leave: dict[tuple[int, int], int] = {}
        for p in range(P):
            cols, coef = list(self.qi(p, all_r)), [1.0] * R
            if p in self.u_of:
                cols.append(self.u_of[p])
                coef.append(-b.new_tpy[p])
            self.balance[p] = add(f"balance[{pid[p]}]", "balance", cols, coef, project=p)
            may_lock = b.equity_share[p] > 0
            cset = b.contracts[b.contracts.project_idx == p]
            may_lock[cset.destination.to_numpy(int)] = True
            for d, dname in enumerate(DESTINATIONS):
                to_d = np.flatnonzero(b.route_dest == d)
                if may_lock[d]:
                    cols, coef = list(self.qi(p, to_d)), [1.0] * len(to_d)
                    if p in self.u_of and not b.funded[p] and b.equity_share[p, d] > 0:
                        cols.append(self.u_of[p])
                        coef.append(-b.equity_share[p, d] * b.new_tpy[p])
                    self.keep[(p, d)] = add(f"keep[{pid[p]},{dname}]", "keep", cols, coef, project=p, dest=d)
                if b.offtake_share[p, d] > 0:
                    self.leave[(p, d)] = add(f"leave[{pid[p]},{dname}]", "leave",
                                             [self.o0 + p * 4 + d, *self.qi(p, to_d)], [1.0] * (1 + len(to_d)),
                                             project=p, dest=d)
        # output of capacity the plan builds is sold with its freight (the financing buys the offtake):
        # any route takes up to the new tonnes free, so only existing tonnes moved are paid for.
        # One row per (project, route): built in bulk, P x R of them.
        first = len(names)
        self.added = first + np.arange(P * R)
        pp, rr = np.divmod(np.arange(P * R), R)
        free = np.array([p in self.u_of and not b.funded[p] for p in range(P)], bool)
        rows_i += [self.added, self.added]
        rows_j += [self.y0 + np.arange(P * R), self.qi(pp, rr)]
        vals += [np.ones(P * R), -np.ones(P * R)]
        fr = free[pp]
        rows_i.append(self.added[fr])
        rows_j.append(np.array([self.u_of[p] for p in pp[fr]], int))
        vals.append(b.new_tpy[pp[fr]])
        names += [f"added[{pid[p]},{rid[r]}]" for p, r in zip(pp, rr)]
        groups += ["added"] * (P * R)
        self.row_meta += [None] * (P * R)
        freight = (kappa[:, None] * cost[None, :] / 1e6).ravel()  # M USD per tonne added, by (p, r)
        self.freight_musd_per_t = freight
        # premiums (M USD per tonne won) depend on the scenario's least premium: set per scenario
        self.money_cols = self.o0 + np.arange(P * 4)
        self.money = add("money", "offtake", [*self.money_cols, *(self.y0 + np.arange(P * R))],
                         [*np.full(P * 4, 1e-6), *freight])
        self.capex: dict[int, int] = {}
        for p in map(int, self.u_proj):
            fj = np.flatnonzero(self.f_pairs[:, 0] == p)
            if b.funded[p] or b.capex_musd[p] <= 0:
                continue
            self.capex[int(p)] = add(f"capex[{pid[p]}]", "capex", [self.u_of[p], *(self.f0 + fj)],
                                     [b.capex_musd[p], *(-np.ones(len(fj)))], project=int(p))
        self.budget = np.empty(len(self.commitments), int)
        for j, c in self.commitments.iterrows():
            fj = np.flatnonzero(self.f_pairs[:, 1] == j)
            self.budget[j] = add(f"budget[{c.commitment_id}]", "budget", self.f0 + fj, 1.0, commitment=int(j))
        fin = b.financiers.set_index("financier_id")
        caps = pd.to_numeric(fin.get("exposure_cap_musd", pd.Series(np.nan, index=fin.index)), errors="coerce")
        shares = pd.to_numeric(fin.get("max_capex_share_pct", pd.Series(np.nan, index=fin.index)), errors="coerce")
        self.exposure_rows: dict[tuple[int, str], int] = {}
        fin_of = self.commitments.financier_id.to_numpy()
        for p in np.unique(self.f_pairs[:, 0]) if len(self.f_pairs) else []:
            for k in np.unique(fin_of[self.f_pairs[self.f_pairs[:, 0] == p, 1]]):
                fj = np.flatnonzero((self.f_pairs[:, 0] == p) & (fin_of[self.f_pairs[:, 1]] == k))
                cap = float(caps.get(k, np.nan))
                if np.isfinite(cap):
                    self.exposure_rows[(int(p), k)] = add(f"exposure[{pid[p]},{k}]", "exposure", self.f0 + fj, 1.0,
                                                          project=int(p), financier=k, cap=cap)
                share = float(shares.get(k, np.nan))
                if np.isfinite(share):  # lends at most this share of what is built
                    add(f"cost_share[{pid[p]},{k}]", "cost_share", [*(self.f0 + fj), self.u_of[p]],
                        [*np.ones(len(fj)), -share / 100.0 * b.capex_musd[p]], project=int(p), financier=k)
        self.processing: dict[tuple[str, str], int] = {}
        for dname in LIMIT_DESTINATIONS:
            to_d = np.flatnonzero(b.route_dest == D_IDX[dname])
            for m in sorted(set(mineral)):
                ps = np.flatnonzero(mineral == m)
                cols = self.qi(ps[:, None], to_d[None, :]).ravel()
                if len(cols):
                    self.processing[(dname, m)] = add(f"processing[{dname},{m}]", "processing", cols, 1.0,
                                                      dest=dname, mineral=m)
        self.corridors: dict[str, int] = {}
        self.corridor_routes: dict[str, np.ndarray] = {}
        for cid in b.routes.corridor_id.unique():
            on = b.routes.corridor_id.to_numpy() == cid
            if cid == "russia_rail":  # Russia's own imports are trade, not transit: the slider cuts transit
                on &= b.route_dest != D_IDX["russia"]
            rs = np.flatnonzero(on)
            if cid == "domestic" or not len(rs):
                continue
            self.corridor_routes[cid] = rs
            cols = self.qi(np.arange(P)[:, None], rs[None, :]).ravel()
            kt = np.repeat(kappa / 1000.0, len(rs))  # kt per tonne of the mineral's unit
            self.corridors[cid] = add(f"corridor[{cid}]", "corridor", cols, kt, corridor=cid)
        self.row_names, self.row_groups = names, groups
        self.m = len(names)
        self.A = sparse.csr_array((np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(rows_j))),
                                  shape=(self.m, self.n))
        self.transit = [transit_countries(v) for v in b.routes.get("transit_countries", pd.Series([""] * R))]
        self._precompute()

    def attach(self, corridors: pd.DataFrame, processing: pd.DataFrame) -> Formulation:
        """Read the data-only limits (stated corridor and processing capacities) once."""
        b = self.base
        self.stated_corridor_kt = {}
        for cid, v in zip(corridors.corridor_id, pd.to_numeric(corridors.get("capacity_kt_per_yr"), errors="coerce")):
            self.stated_corridor_kt[cid] = float(v) if np.isfinite(v) else np.inf
        stated = {(d, m): c for d, m, c in zip(processing.destination, processing.mineral_id,
                                              pd.to_numeric(processing.capacity_tpy, errors="coerce"))}
        today = b.output_tpy[:, None] * b.offtake_share  # P x 4
        self.proc_now = np.array([today[self.proc_mask[k], self.proc_dest[k]].sum() for k in range(len(self.proc_rows))])
        cap = np.array([stated.get(key, np.nan) for key in self.proc_keys], dtype=float)
        has = np.isfinite(cap)
        self.proc_notes = tuple(
            f"{key[0].capitalize()} processing of {key[1]}: stated {c:,.0f} t/yr is below today's flow {now:,.0f} t/yr; "
            "today's flow is used." for key, c, now, h in zip(self.proc_keys, cap, self.proc_now, has)
            if h and c < now - 1e-6)
        self.proc_stated = np.maximum(np.where(has, cap, self.proc_now), self.proc_now)
        return self

    def _precompute(self) -> None:
        """Index arrays that turn a scenario into bounds without Python loops."""
        b = self.base
        self.keep_rows = np.array(list(self.keep.values()), int)
        self.keep_pd = np.array(list(self.keep.keys()), int).reshape(-1, 2)
        self.leave_rows = np.array(list(self.leave.values()), int)
        self.leave_pd = np.array(list(self.leave.keys()), int).reshape(-1, 2)
        self.capex_rows = np.array(list(self.capex.values()), int)
        self.exposure_idx = np.array(list(self.exposure_rows.values()), int)
        self.exposure_caps = np.array([self.row_meta[i]["cap"] for i in self.exposure_idx])
        self.cost_share_rows = np.array([i for i, g in enumerate(self.row_groups) if g == "cost_share"], int)
        self.proc_keys = list(self.processing)
        self.proc_rows = np.array(list(self.processing.values()), int)
        mineral = b.projects.mineral_id.to_numpy()
        self.proc_dest = np.array([D_IDX[d] for d, _ in self.proc_keys], int)
        self.proc_mask = [mineral == m for _, m in self.proc_keys]
        self.proc_matrix = np.array(self.proc_mask, dtype=float).reshape(len(self.proc_keys), len(mineral))
        self.proc_allied = np.array([d == "allied" for d, _ in self.proc_keys], bool)
        self.u_cols = np.array([self.u_of[int(p)] for p in self.u_proj], dtype=int)
        self.general = self.commitments.general.to_numpy(bool)
        self.envelope_field = [FINANCIER_FIELDS.get(k) for k in self.commitments.financier_id]
        self.amounts = self.commitments.amount_musd.to_numpy(float)
        self.financier_names = dict(zip(b.financiers.financier_id, b.financiers.name))
        self.q_today = (b.output_tpy[:, None] * b.offtake_share)[:, b.route_dest] * b.route_share
        self.route_table = pd.DataFrame({
            "route_id": b.routes.route_id.to_numpy(), "destination": b.routes.destination.to_numpy(),
            "corridor_id": b.routes.corridor_id.to_numpy(),
            "crosses": b.routes.get("transit_countries", pd.Series("", index=b.routes.index)).fillna("").astype(str)
            .to_numpy()})
        groups = np.array(self.row_groups)
        from analytics.model.results import LIMIT_GROUPS  # noqa: PLC0415 (results imports this module)
        self.limit_rows = np.flatnonzero(np.isin(groups, LIMIT_GROUPS))
        self.limit_names = np.array(self.row_names, dtype=object)[self.limit_rows]
        self.limit_groups = groups[self.limit_rows]
        self.A_limits = self.A[self.limit_rows]
        self._mineral_names: dict[str, str] | None = None
        self.exposure_cache: dict[tuple[float, float], np.ndarray] = {}

    def mineral_names(self, minerals: pd.DataFrame) -> dict[str, str]:
        if self._mineral_names is None:
            self._mineral_names = dict(zip(minerals.mineral_id, minerals.name))
        return self._mineral_names

    # ------------------------------------------------------------------ a scenario's numbers

    def numbers(self, s: Scenario) -> Numbers:
        """The scenario's bounds, costs and baseline (attach() must have read the data's limits)."""
        return scenario_numbers(self, s)
