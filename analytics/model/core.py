"""The allocation model: check -> build -> solve -> summarise.

Decision variables (one steady-state target year):
  u[p]    in [0, 1]  build level of project p's new capacity (only if its lead time allows)
  f[p,k]  >= 0       M USD from partner financier k to project p (eligible pairs only)
  q[p,r]  >= 0       t/yr of p's output sent along route r (destination x corridor)

Dependence index (what "depends on China" means here):
  D = sum a_p * pen_r * q[p,r] / sum a_p * q[p,r]
with a_p = price x criticality weight of p's mineral, pen_r = 1 for routes processed in China
and rho (the Russia weight) for routes processed in or passing through Russia.
D is a ratio of linear functions, minimised exactly by the Charnes-Cooper transformation;
ties are then broken by least financing (and, below that, least transport cost).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from analytics.data import store
from analytics.model.lp import LP, solve
from analytics.model.scenario import FINANCIER_FIELDS, Scenario

BASE_YEAR = 2026
DESTINATIONS = ("china", "russia", "domestic", "allied")
DESTINATION_LABELS = {"china": "China", "russia": "Russia", "domestic": "Kazakhstan (domestic)", "allied": "Allied"}
_TOL = 1e-7


@dataclass(frozen=True)
class ModelData:
    """The reference tables the model reads (plain DataFrames; copies are made before use)."""

    minerals: pd.DataFrame
    projects: pd.DataFrame
    financiers: pd.DataFrame
    routes: pd.DataFrame
    corridors: pd.DataFrame
    processing_capacity: pd.DataFrame

    def replace_projects(self, projects: pd.DataFrame) -> ModelData:
        return ModelData(self.minerals, projects, self.financiers, self.routes, self.corridors,
                         self.processing_capacity)


def load_model_data(con=None) -> ModelData:
    """Read the model's tables from the reference database."""
    names = ("minerals", "projects", "financiers", "routes", "corridors", "processing_capacity")
    return ModelData(*(store.table(n, con) for n in names))


class Status(enum.Enum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    ERROR = "error"


# ----------------------------------------------------------------------------- check

@dataclass(frozen=True)
class Prepared:
    """Validated model inputs for one scenario, as aligned arrays and small tables."""

    scenario: Scenario
    projects: pd.DataFrame      # one row per project, with a_p, new_tpy, buildable, ...
    routes: pd.DataFrame
    financiers: pd.DataFrame    # partner financiers with their scenario budgets
    corridor_cap_kt: dict[str, float]
    processing_cap_tpy: dict[tuple[str, str], float]
    sq_flows: pd.DataFrame      # status quo q[p,r], t/yr
    allied_offtake_sq_musd: float
    penalty: pd.Series          # pen_r by route_id
    notes: tuple[str, ...]


@dataclass(frozen=True)
class _Base:
    """What check() derives from the data alone; computed once per ModelData."""

    projects: pd.DataFrame
    routes: pd.DataFrame
    sq_flows: pd.DataFrame
    sq_cargo_kt: dict[str, float]
    sq_dest_tpy: dict[tuple[str, str], float]
    allied_offtake_sq_musd: float
    financiers: pd.DataFrame


def _base(data: ModelData) -> _Base:
    minerals = data.minerals.set_index("mineral_id")
    p = data.projects.copy()
    unknown = set(p.mineral_id) - set(minerals.index)
    if unknown:
        raise ValueError(f"projects: unknown mineral_id {sorted(unknown)}")
    offtake_cols = [f"offtake_{d}_pct" for d in DESTINATIONS]
    bad = p.index[(p[offtake_cols].sum(axis=1) - 100).abs() > 1.0]
    if len(bad):
        raise ValueError(f"projects: offtake shares do not sum to 100 for {list(p.loc[bad, 'project_id'])}")
    if (p.capacity_tpy < p.output_tpy).any():
        raise ValueError("projects: capacity_tpy below output_tpy")
    if p.output_tpy.sum() <= 0:
        raise ValueError("projects: no current output at all, dependence is undefined")

    p["price_usd_per_t"] = p.mineral_id.map(minerals.price_usd_per_t).astype(float)
    p["weight"] = p.mineral_id.map(minerals.criticality_weight).astype(float)
    p["cargo_t_per_t"] = p.mineral_id.map(minerals.cargo_t_per_t).astype(float)
    value = p.price_usd_per_t * p.weight
    p["a"] = value / float((value * p.output_tpy).sum())  # scaled so status-quo denominator is 1
    if not np.isfinite(p["a"]).all():  # e.g. outputs of 1e-320 t/yr: too small to weigh (found by fuzzing)
        raise ValueError("projects: today's output is too small to weigh (every output_tpy is nearly 0)")
    p["new_tpy"] = (p.capacity_tpy - p.output_tpy).astype(float)
    p["online_year"] = BASE_YEAR + np.ceil(p.lead_time_years.astype(float))
    p = p.reset_index(drop=True)
    routes = data.routes.copy().reset_index(drop=True)

    # Status quo flows: today's output split by destination, then by today's route shares.
    share = routes.set_index("route_id").status_quo_share_pct / 100.0
    sq = p[["project_id", "output_tpy", *offtake_cols]].merge(routes[["route_id", "destination"]], how="cross")
    dest_pct = np.select([sq.destination == d for d in DESTINATIONS], [sq[f"offtake_{d}_pct"] for d in DESTINATIONS])
    sq["tpy"] = sq.output_tpy * dest_pct / 100.0 * sq.route_id.map(share).to_numpy()
    sq = sq[["project_id", "route_id", "tpy"]]
    sq = sq.merge(routes[["route_id", "destination", "corridor_id"]], on="route_id")
    sq = sq.merge(p[["project_id", "mineral_id", "cargo_t_per_t", "price_usd_per_t"]], on="project_id")
    sq_cargo_kt = ((sq.tpy * sq.cargo_t_per_t).groupby(sq.corridor_id).sum() / 1000.0).to_dict()
    sq_dest = sq.groupby(["destination", "mineral_id"]).tpy.sum().to_dict()
    allied_sq = sq[sq.destination == "allied"]
    allied_offtake_sq = float((allied_sq.tpy * allied_sq.price_usd_per_t).sum() / 1e6)

    fin = data.financiers[data.financiers.is_partner.astype(bool)].copy()
    missing = set(fin.financier_id) - set(FINANCIER_FIELDS)
    if missing:
        raise ValueError(f"financiers: no scenario budget for {sorted(missing)}")
    fin["excluded"] = fin.excluded_owner_origins.fillna("").map(
        lambda s: frozenset(x.strip() for x in str(s).split(";") if x.strip()))
    fin = fin.reset_index(drop=True)
    return _Base(p, routes, sq, sq_cargo_kt, sq_dest, allied_offtake_sq, fin)


_BASES: dict[str, _Base] = {}


def fingerprint(data: ModelData) -> str:
    """A content hash of the model's tables: equal data, equal fingerprint (copies included)."""
    parts = []
    for name in ("minerals", "projects", "financiers", "routes", "corridors", "processing_capacity"):
        df = getattr(data, name)
        parts.append(f"{name}:{list(df.columns)}:{int(pd.util.hash_pandas_object(df, index=False).sum())}")
    return "|".join(parts)


_LAST: list[tuple[ModelData, str]] = []  # (data, fingerprint) of recent callers: skips rehashing the same object
_LAST_SIZE = 64  # one per concurrent app session (each holds its own ModelData) and then some


def _cached_base(data: ModelData) -> _Base:
    # Keyed by content, not identity: Streamlit's cache hands each caller a fresh copy of the data.
    key = next((k for d, k in _LAST if d is data), None)
    if key is None:
        key = fingerprint(data)
        _LAST[:] = [(data, key), *_LAST[:_LAST_SIZE - 1]]
    if key not in _BASES:
        if len(_BASES) > 16:
            _BASES.clear()
        _BASES[key] = _base(data)
    return _BASES[key]


def check(data: ModelData, scenario: Scenario) -> Prepared:
    """Validate the data against the scenario and derive the model's inputs.

    Raises ValueError naming the offending table and row.
    """
    base = _cached_base(data)
    notes: list[str] = []
    p = base.projects.copy()
    p["buildable"] = (p.new_tpy > 0) & (p.online_year <= scenario.target_year)
    if scenario.financed_mineral != "all":
        if scenario.financed_mineral in set(p.mineral_id):
            p["buildable"] &= p.mineral_id == scenario.financed_mineral
        else:
            notes.append(f"No projects of '{scenario.financed_mineral}' in the data; financing is not restricted.")
    routes = base.routes
    rho = scenario.russia_weight_pct / 100.0
    penalty = pd.Series(
        np.where(routes.destination == "china", 1.0,
                 np.where((routes.destination == "russia") | (routes.corridor_id == "russia_rail"), rho, 0.0)),
        index=routes.route_id)

    # Capacities. Today's flow proves at least that much capacity exists, so a stated
    # capacity below it is lifted to it (and said), before any scenario scaling.
    corridor_cap: dict[str, float] = {}
    for row in data.corridors.itertuples():
        cap = row.capacity_kt_per_yr
        if cap is None or pd.isna(cap):
            continue
        today = float(base.sq_cargo_kt.get(row.corridor_id, 0.0))
        if cap < today - 1e-9:
            notes.append(f"{row.name}: stated capacity {cap:,.4g} kt/yr is below today's flow "
                         f"{today:,.4g} kt/yr; today's flow is used.")
            cap = today
        corridor_cap[row.corridor_id] = float(cap)
    if "middle_corridor" in set(data.corridors.corridor_id):
        corridor_cap["middle_corridor"] = float(scenario.middle_corridor_ktpy)
    if "russia_rail" in corridor_cap:
        corridor_cap["russia_rail"] *= scenario.russia_transit_pct / 100.0

    # Only China is an unbounded sink; elsewhere capacity is what the data states, and at
    # least today's flow (Russia with no stated figure: today's flow, no new Russian demand).
    proc: dict[tuple[str, str], float] = {}
    stated = {(r.destination, r.mineral_id): r.capacity_tpy for r in data.processing_capacity.itertuples()}
    for d in ("allied", "domestic", "russia"):
        for m in sorted(set(p.mineral_id)):
            cap = stated.get((d, m))
            cap = 0.0 if cap is None or pd.isna(cap) else float(cap)
            today = float(base.sq_dest_tpy.get((d, m), 0.0))
            if cap < today - 1e-6:
                if (d, m) in stated:
                    notes.append(f"{DESTINATION_LABELS[d]} processing of {m}: stated {cap:,.0f} t/yr is below "
                                 f"today's flow {today:,.0f} t/yr; today's flow is used.")
                cap = today
            if d == "allied":
                cap *= scenario.allied_capacity_pct / 100.0
            proc[(d, m)] = cap

    fin = base.financiers.copy()
    fin["budget_musd"] = fin.financier_id.map(scenario.budgets_musd).astype(float)
    return Prepared(scenario, p, routes, fin, corridor_cap, proc, base.sq_flows, base.allied_offtake_sq_musd,
                    penalty, tuple(notes))


# ----------------------------------------------------------------------------- build

@dataclass
class Built:
    lp: LP
    prep: Prepared
    u: dict[str, int]                 # project_id -> var
    f: dict[tuple[str, str], int]     # (project_id, financier_id) -> var
    q: dict[tuple[str, str], int]     # (project_id, route_id) -> var
    numerator: np.ndarray             # sum a p q
    denominator: np.ndarray           # sum a q
    financing: np.ndarray             # sum f, M USD
    transport: np.ndarray             # transport cost, M USD/yr
    secure: np.ndarray                # value-weighted secure supply to allies


def build(prep: Prepared, *, whole_projects: bool = False) -> Built:
    """Build the LP (or MILP, with whole_projects) with named rows."""
    s = prep.scenario
    lp = LP()
    projects = prep.projects.to_dict("records")
    routes = prep.routes.to_dict("records")
    financiers = prep.financiers.to_dict("records")
    u: dict[str, int] = {}
    f: dict[tuple[str, str], int] = {}
    q: dict[tuple[str, str], int] = {}
    f_of: dict[str, list[int]] = {}
    for pr in projects:
        pid = pr["project_id"]
        if pr["buildable"]:
            u[pid] = lp.var(f"build[{pid}]", 0.0, 1.0, integer=whole_projects)
            if pr["capex_musd"] > 0:
                for fr in financiers:
                    if pr["owner_origin"] in fr["excluded"]:
                        continue
                    j = lp.var(f"finance[{pid},{fr['financier_id']}]", 0.0, float(fr["exposure_cap_musd"]))
                    f[(pid, fr["financier_id"])] = j
                    f_of.setdefault(pid, []).append(j)
        for r in routes:
            q[(pid, r["route_id"])] = lp.var(f"offtake[{pid},{r['route_id']}]")

    # capex coverage: financing covers the capex of what is built
    for pr in projects:
        pid = pr["project_id"]
        if pid in u and pr["capex_musd"] > 0:
            coeffs = {u[pid]: pr["capex_musd"], **{j: -1.0 for j in f_of.get(pid, [])}}
            lp.row(f"capex[{pid}]", "capex", coeffs, "<=", 0.0)
    # financier budgets
    for fr in financiers:
        k = fr["financier_id"]
        lp.row(f"budget[{k}]", "budget", {j: 1.0 for (_, kk), j in f.items() if kk == k}, "<=", fr["budget_musd"])
    # output balance: existing output plus built capacity all go somewhere
    for pr in projects:
        pid = pr["project_id"]
        coeffs = {q[(pid, r["route_id"])]: 1.0 for r in routes}
        if pid in u:
            coeffs[u[pid]] = -pr["new_tpy"]
        lp.row(f"balance[{pid}]", "balance", coeffs, "==", pr["output_tpy"])
    # contract lock-in on today's Chinese offtake
    china_routes = [r["route_id"] for r in routes if r["destination"] == "china"]
    lock = s.lockin_pct / 100.0
    for pr in projects:
        locked = lock * pr["output_tpy"] * pr["offtake_china_pct"] / 100.0
        if locked > 0:
            lp.row(f"lockin[{pr['project_id']}]", "lockin",
                   {q[(pr["project_id"], r)]: 1.0 for r in china_routes}, ">=", locked)
    # processing capacity per destination and mineral
    for (d, m), cap in prep.processing_cap_tpy.items():
        rids = [r["route_id"] for r in routes if r["destination"] == d]
        cols = {q[(pr["project_id"], r)]: 1.0 for pr in projects if pr["mineral_id"] == m for r in rids}
        if cols:
            lp.row(f"processing[{d},{m}]", "processing", cols, "<=", cap)
    # corridor capacity, in kt of cargo
    for cid, cap in prep.corridor_cap_kt.items():
        rids = [r["route_id"] for r in routes if r["corridor_id"] == cid]
        cols = {q[(pr["project_id"], r)]: pr["cargo_t_per_t"] / 1000.0 for pr in projects for r in rids}
        if cols:
            lp.row(f"corridor[{cid}]", "corridor", cols, "<=", cap)
    # allied offtake: today's allied purchases plus new commitments, M USD/yr
    allied = [r["route_id"] for r in routes if r["destination"] == "allied"]
    cols = {q[(pr["project_id"], r)]: pr["price_usd_per_t"] / 1e6 for pr in projects for r in allied}
    lp.row("offtake[allied]", "offtake", cols, "<=", prep.allied_offtake_sq_musd + s.offtake_musd)

    n = lp.n
    numerator, denominator = np.zeros(n), np.zeros(n)
    financing, transport, secure = np.zeros(n), np.zeros(n), np.zeros(n)
    cost = {r["route_id"]: r["cost_usd_per_t"] for r in routes}
    dest = {r["route_id"]: r["destination"] for r in routes}
    a = {pr["project_id"]: pr["a"] for pr in projects}
    pen = prep.penalty.to_dict()
    for (pid, rid), j in q.items():
        numerator[j] = a[pid] * pen[rid]
        denominator[j] = a[pid]
        transport[j] = cost[rid] / 1e6
        if dest[rid] == "allied":
            secure[j] = a[pid] * (1.0 - pen[rid])
    for j in f.values():
        financing[j] = 1.0
    return Built(lp, prep, u, f, q, numerator, denominator, financing, transport, secure)


# ----------------------------------------------------------------------------- solve

@dataclass(frozen=True)
class RawSolution:
    status: Status
    x: np.ndarray | None
    dependence: float | None
    duals_d: np.ndarray | None   # dD/d(rhs) per row (D as a fraction)
    message: str


def _charnes_cooper(b: Built) -> tuple[float, np.ndarray] | None:
    """min N(x)/Dn(x) over the LP by the Charnes-Cooper transformation: y = t x, Dn(y) = 1."""
    lp = b.lp
    cc = LP()
    for name, lo, hi in zip(lp.var_names, lp.lb, lp.ub):
        cc.var(name, 0.0, np.inf)  # bounds become rows below (they scale with t)
    t = cc.var("t", 0.0, np.inf)
    A = lp.matrix().tocoo()
    by_row: dict[int, dict[int, float]] = {}
    for i, j, v in zip(A.row, A.col, A.data):
        by_row.setdefault(int(i), {})[int(j)] = float(v)
    for i, row in enumerate(lp.rows):
        coeffs = dict(by_row.get(i, {}))
        coeffs[t] = -row.rhs
        cc.row(row.name, row.group, coeffs, row.sense, 0.0)
    for j, (lo, hi) in enumerate(zip(lp.lb, lp.ub)):
        if np.isfinite(hi):
            cc.row(f"ub[{j}]", "bound", {j: 1.0, t: -hi}, "<=", 0.0)
        if lo > 0:
            cc.row(f"lb[{j}]", "bound", {j: 1.0, t: -lo}, ">=", 0.0)
    cc.row("normalise", "normalise", {j: v for j, v in enumerate(b.denominator) if v}, "==", 1.0)
    c = np.append(b.numerator, 0.0)
    sol = solve(cc, c)
    if not sol.ok or sol.x[t] <= 0:
        return None
    return float(sol.objective), sol.x[:-1] / sol.x[t]


def _parametric_duals(b: Built, dependence: float, fixed: dict[int, float] | None = None) -> np.ndarray | None:
    """dD*/d(rhs) from the LP  min N(x) - D* Dn(x)  whose optimum is 0 at D*.

    By the envelope theorem dD*/db = (dF/db) / Dn(x*), F being that LP's optimal value.
    With `fixed`, the given variables are fixed (the MILP's binaries) first.
    """
    lp = b.lp
    saved = (list(lp.lb), list(lp.ub))
    try:
        for j, v in (fixed or {}).items():
            lp.lb[j] = lp.ub[j] = v
        sol = solve(lp, b.numerator - dependence * b.denominator)
    finally:
        lp.lb, lp.ub = saved
    if not sol.ok:
        return None
    return sol.duals / float(b.denominator @ sol.x)


def _dinkelbach(b: Built, *, max_iter: int = 30) -> tuple[float, np.ndarray] | None:
    """min N(x)/Dn(x) over the MILP by Dinkelbach's method: solve min N - lam Dn, set
    lam = N(x)/Dn(x), until the optimum is 0. Starts from lam = 1, an upper bound on D."""
    lam = 1.0
    x = None
    for _ in range(max_iter):
        sol = solve(b.lp, b.numerator - lam * b.denominator, integral=True)
        if not sol.ok:
            return None
        x = sol.x
        if sol.objective >= -_TOL * max(1.0, float(b.denominator @ x)):
            break
        lam = _ratio(b, x)
    return lam, x


def _fmt(x: float) -> str:
    """A quantity with as many digits as a reader needs: 12,345 / 12.3 / 0.123."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.1f}" if abs(x) >= 1 else f"{x:.3g}"


_ELASTIC_GROUPS = ("budget", "corridor", "processing", "lockin", "offtake")


def diagnose(b: Built) -> pd.DataFrame:
    """Why no plan exists: an elastic relaxation of the limit rows (budgets, corridors,
    processing, lock-in, offtake) minimising the relative violation. Rows that must give
    way, by how much, in the row's unit."""
    lp = b.lp
    elastic = LP(list(lp.var_names), list(lp.lb), list(lp.ub), [0] * lp.n, list(lp.rows),
                 list(lp._r), list(lp._c), list(lp._v))
    slack: dict[int, int] = {}
    weights = []
    for i, row in enumerate(lp.rows):
        if row.group not in _ELASTIC_GROUPS:
            continue
        j = elastic.var(f"slack[{row.name}]")
        elastic._r.append(i)
        elastic._c.append(j)
        # a slack moves the row's limit in the direction that loosens it
        elastic._v.append(-1.0 if row.sense == "<=" else 1.0)
        slack[i] = j
        weights.append((j, 1.0 / max(1.0, abs(row.rhs))))
    c = np.zeros(elastic.n)
    for j, w in weights:
        c[j] = w
    sol = solve(elastic, c)
    if not sol.ok:
        return pd.DataFrame(columns=["constraint", "group", "label", "shortfall", "unit", "sentence"])
    names = dict(zip(b.prep.projects.project_id, b.prep.projects.name))
    out = []
    for i, j in slack.items():
        amount = float(sol.x[j])
        if amount <= 1e-6 * max(1.0, abs(lp.rows[i].rhs)):
            continue
        row = lp.rows[i]
        label = describe_row(row.name, names)
        unit = _UNITS[row.group]
        if row.group == "lockin":
            sentence = f"{label[0].upper()}{label[1:]} would have to release {_fmt(amount)} {unit}."
        else:
            sentence = (f"{label[0].upper()}{label[1:]} is {_fmt(amount)} {unit} short "
                        f"(it allows {_fmt(row.rhs)} {unit}).")
        out.append((row.name, row.group, label, amount, unit, sentence))
    return pd.DataFrame(out, columns=["constraint", "group", "label", "shortfall", "unit", "sentence"])


def solve_built(b: Built) -> RawSolution:
    """Solve the built model for the scenario's objective."""
    obj = b.prep.scenario.objective
    tie = b.financing + 1e-3 * b.transport
    integral = any(b.lp.integer)
    if obj == "min_dependence":
        # exact ratio minimum: Dinkelbach over the MILP, Charnes-Cooper over the LP
        found = _dinkelbach(b) if integral else _charnes_cooper(b)
        if found is None:
            return RawSolution(Status.INFEASIBLE, None, None, None, "no plan satisfies every constraint")
        d_star, x = found
        # tie-break: least financing among plans within tolerance of D* (else keep the optimum found)
        with b.lp.temporary_row("dependence_at_optimum", "optimum",
                                b.numerator - (d_star + _TOL) * b.denominator, "<=", 0.0):
            sol = solve(b.lp, tie, integral=integral)
        if sol.ok:
            x = sol.x
        fixed = {j: float(round(x[j])) for j in b.u.values()} if integral else None
        return RawSolution(Status.OPTIMAL, x, d_star, _parametric_duals(b, d_star, fixed), "optimal")
    if obj == "max_secure":
        sol = solve(b.lp, -b.secure, integral=integral)
        if not sol.ok:
            return RawSolution(Status.INFEASIBLE, None, None, None, "no plan satisfies every constraint")
        best = -sol.objective
        with b.lp.temporary_row("secure_at_optimum", "optimum", -b.secure, "<=", -best + _TOL):
            sol2 = solve(b.lp, tie, integral=integral)
        x = sol2.x if sol2.ok else sol.x
        return RawSolution(Status.OPTIMAL, x, _ratio(b, x), None, "optimal")
    if obj == "min_financing":
        target = b.prep.scenario.dependence_target_pct / 100.0
        with b.lp.temporary_row("dependence_target", "target", b.numerator - target * b.denominator, "<=", 0.0):
            sol = solve(b.lp, tie, integral=integral)
        if not sol.ok:
            best = (_dinkelbach(b) if integral else _charnes_cooper(b))
            if best is None:
                return RawSolution(Status.INFEASIBLE, None, None, None, "no plan satisfies every constraint")
            return RawSolution(Status.INFEASIBLE, None, None, None,
                               f"the dependence target of {100 * target:.1f} % cannot be reached; the lowest "
                               f"dependence these budgets and limits allow is {100 * best[0]:.1f} %")
        return RawSolution(Status.OPTIMAL, sol.x, _ratio(b, sol.x), None, "optimal")
    raise ValueError(f"objective: unknown {obj!r}")


def _ratio(b: Built, x: np.ndarray) -> float:
    return float(b.numerator @ x / (b.denominator @ x))


# ----------------------------------------------------------------------------- summarise

@dataclass(frozen=True)
class Result:
    """What one solve tells a user. Tables are plain DataFrames with units in column names."""

    scenario: Scenario
    status: Status
    message: str
    dependence_before_pct: float
    dependence_after_pct: float | None
    financing_used_musd: float
    by_mineral: pd.DataFrame        # mineral_id, name, dependence_before_pct, dependence_after_pct
    flows: pd.DataFrame             # case, project_id, mineral_id, route_id, destination, corridor_id, tpy
    financing: pd.DataFrame         # project_id, name, financier_id, financier, amount_musd
    builds: pd.DataFrame            # project_id, name, mineral_id, build_pct, new_output_tpy, capex_musd
    constraints: pd.DataFrame       # constraint, group, label, used, limit, unit, binding, shadow_*
    notes: tuple[str, ...]
    diagnosis: pd.DataFrame = field(default_factory=pd.DataFrame)  # when infeasible: limits that must give way

    @property
    def ok(self) -> bool:
        return self.status is Status.OPTIMAL

    @cached_property
    def russia_share_change_pts(self) -> float:
        """Change in the share of all output (t/yr) processed in Russia, plan minus today, in points."""
        if not self.ok:
            return 0.0
        f = self.flows
        share = {case: 100 * g[g.destination == "russia"].tpy.sum() / g.tpy.sum() for case, g in f.groupby("case")}
        return share.get("after", 0.0) - share.get("before", 0.0)

    @cached_property
    def offtake_by_destination(self) -> pd.DataFrame:
        """t/yr and share by mineral x destination, before and after."""
        g = self.flows.groupby(["case", "mineral_id", "destination"], as_index=False).tpy.sum()
        g["share_pct"] = 100 * g.tpy / g.groupby(["case", "mineral_id"]).tpy.transform("sum")
        return g


def _weighted(flows: pd.DataFrame, prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Per flow: value weight x tonnes, and its dependence penalty."""
    # positional look-ups (get_indexer): Series.map over string columns was most of summarise's time
    a = prep.projects.a.to_numpy(float)[pd.Index(prep.projects.project_id).get_indexer(flows.project_id)]
    w = a * flows.tpy.to_numpy(float)
    pen = prep.penalty.to_numpy(float)[pd.Index(prep.penalty.index).get_indexer(flows.route_id)]
    return w, pen


def _dependence_by_mineral(flows: pd.DataFrame, prep: Prepared) -> pd.Series:
    w, pen = _weighted(flows, prep)
    codes, minerals = pd.factorize(flows.mineral_id)
    num = np.bincount(codes, w * pen, len(minerals))
    den = np.bincount(codes, w, len(minerals))
    # np.full, not full_like: with no flows bincount returns integers, and NaN cannot be cast to them
    return pd.Series(100 * np.divide(num, den, out=np.full(len(minerals), np.nan), where=den > 0), index=minerals)


def _overall(flows: pd.DataFrame, prep: Prepared) -> float:
    w, pen = _weighted(flows, prep)
    return float(100 * (w * pen).sum() / w.sum())


def summarise(b: Built, raw: RawSolution, minerals: pd.DataFrame) -> Result:
    """Turn a solve into tables a page can draw and a user can download."""
    prep = b.prep
    sq = prep.sq_flows.assign(case="before")[["case", "project_id", "mineral_id", "route_id", "destination",
                                              "corridor_id", "tpy"]]
    before_pct = _overall(sq, prep)
    names = minerals.set_index("mineral_id").name
    by_min = pd.DataFrame({"dependence_before_pct": _dependence_by_mineral(sq, prep)})
    empty = pd.DataFrame()
    if raw.status is not Status.OPTIMAL:
        by_min.insert(0, "mineral", by_min.index.map(names))
        diagnosis = diagnose(b) if raw.status is Status.INFEASIBLE else empty
        message = raw.message
        if not diagnosis.empty and "target" not in message:
            message = "no plan satisfies every limit. " + " ".join(diagnosis.sentence)
        return Result(prep.scenario, raw.status, message, before_pct, None, 0.0,
                      by_min.rename_axis("mineral_id").reset_index(), sq, empty, empty, empty, prep.notes, diagnosis)
    x = raw.x
    routes = prep.routes.set_index("route_id")
    p = prep.projects.set_index("project_id")
    after = pd.DataFrame([(pid, rid, x[j]) for (pid, rid), j in b.q.items()], columns=["project_id", "route_id", "tpy"])
    after["tpy"] = after.tpy.clip(lower=0).round(6)
    after["case"] = "after"
    after["mineral_id"] = after.project_id.map(p.mineral_id)
    after["destination"] = after.route_id.map(routes.destination)
    after["corridor_id"] = after.route_id.map(routes.corridor_id)
    flows = pd.concat([sq, after[sq.columns]], ignore_index=True)
    flows = flows[flows.tpy > 1e-6].reset_index(drop=True)
    by_min["dependence_after_pct"] = _dependence_by_mineral(flows[flows.case == "after"], prep)
    by_min.insert(0, "mineral", by_min.index.map(names))
    by_min = by_min.rename_axis("mineral_id").reset_index()

    fin_names = prep.financiers.set_index("financier_id").name.to_dict()
    pinfo = p[["name", "mineral_id", "new_tpy", "capex_musd", "online_year"]].to_dict("index")
    financing = pd.DataFrame(
        [(pid, pinfo[pid]["name"], k, fin_names[k], x[j]) for (pid, k), j in b.f.items() if x[j] > 1e-6],
        columns=["project_id", "project", "financier_id", "financier", "amount_musd"])
    builds = pd.DataFrame(
        [(pid, pinfo[pid]["name"], pinfo[pid]["mineral_id"], 100 * x[j], x[j] * pinfo[pid]["new_tpy"],
          x[j] * pinfo[pid]["capex_musd"], int(pinfo[pid]["online_year"])) for pid, j in b.u.items() if x[j] > 1e-6],
        columns=["project_id", "project", "mineral_id", "build_pct", "new_output_tpy", "capex_musd", "online_year"])
    constraints = constraint_table(b, x, raw.duals_d)
    after_pct = _overall(flows[flows.case == "after"], prep)
    return Result(prep.scenario, Status.OPTIMAL, raw.message, before_pct, after_pct,
                  float(b.financing @ x), by_min, flows, financing, builds, constraints, prep.notes)


_UNITS = {"budget": "M USD", "corridor": "kt/yr", "processing": "t/yr", "offtake": "M USD/yr", "lockin": "t/yr",
          "capex": "M USD", "balance": "t/yr"}
# One more of this (in the row's unit) is what the shadow price is quoted per.
_STEP = {"budget": 100.0, "corridor": 100.0, "processing": 1000.0, "offtake": 100.0, "lockin": 1000.0}


def constraint_table(b: Built, x: np.ndarray, duals_d: np.ndarray | None) -> pd.DataFrame:
    """Every capacity-like row: what it allows, how much is used, and what one more unit is worth."""
    A = b.lp.matrix()
    used = A @ x
    project_names = dict(zip(b.prep.projects.project_id, b.prep.projects.name))
    rows = []
    for i, row in enumerate(b.lp.rows):
        if row.group not in _STEP:
            continue
        dual = float(duals_d[i]) if duals_d is not None else np.nan
        step = _STEP[row.group]
        # A dual is a marginal value: quote it per a step small enough for the linear reading
        # to stay plausible (at most 10 points), not extrapolated over a large step.
        while np.isfinite(dual) and abs(dual * step * 100) > 10 and step > 1:
            step /= 10
        rows.append({
            "constraint": row.name, "group": row.group, "label": describe_row(row.name, project_names),
            "used": float(used[i]), "limit": row.rhs, "unit": _UNITS[row.group],
            "binding": bool(abs(used[i] - row.rhs) <= 1e-6 * max(1.0, abs(row.rhs))),
            "step": step,
            # change in D (percentage points) for one more `step` of the limit
            "shadow_points_per_step": dual * step * 100.0,
        })
    return pd.DataFrame(rows)


def describe_row(name: str, project_names: dict[str, str] | None = None) -> str:
    """A row name in the words of the UI: 'budget[exim]' -> 'US EXIM budget'."""
    group, _, rest = name.partition("[")
    args = rest.rstrip("]").split(",")
    if group == "budget":
        return {"dfc": "DFC budget", "exim": "US EXIM budget", "jbic": "JBIC / JOGMEC budget",
                "eib": "EIB / Global Gateway budget", "private": "private western capital",
                "samruk": "Samruk-Kazyna co-financing"}.get(args[0], f"{args[0]} budget")
    if group == "corridor":
        return {"middle_corridor": "Middle Corridor capacity", "russia_rail": "Russian rail transit capacity",
                "china_border": "China border crossing capacity"}.get(args[0], f"{args[0]} corridor capacity")
    if group == "processing":
        return f"{DESTINATION_LABELS.get(args[0], args[0])} processing capacity for {args[1].replace('_', ' ')}"
    if group == "offtake":
        return "allied offtake commitments"
    if group == "lockin":
        return f"contract lock-in at {(project_names or {}).get(args[0], args[0])}"
    return name


def binding_constraints(result: Result, min_points: float = 0.005) -> pd.DataFrame:
    """The binding rows whose shadow price is worth saying, largest effect first."""
    c = result.constraints
    if c.empty:
        return c
    worth = c.binding & (c.shadow_points_per_step.abs() >= min_points)
    out = c[worth].copy()
    # no rows (e.g. objectives without shadow prices): apply() would return a frame, not a column
    out["sentence"] = [shadow_sentence(row) for _, row in out.iterrows()]
    return out.sort_values("shadow_points_per_step", key=abs, ascending=False).reset_index(drop=True)


def shadow_sentence(row: pd.Series) -> str:
    """'One more 100 M USD of US EXIM budget lowers dependence by 0.8 points.'"""
    pts = row.shadow_points_per_step
    if pd.isna(pts):
        return f"{row.label[0].upper()}{row.label[1:]} is binding."
    verb = "lowers" if pts < 0 else "raises"
    step = f"{row.step:,.0f} {row.unit}"
    margin = " at the margin" if row.step < _STEP.get(row.group, row.step) else ""
    if row.group == "lockin":
        return f"Releasing {step} of {row.label} would lower dependence by {abs(pts):.2f} points{margin}."
    return f"One more {step} of {row.label} {verb} dependence by {abs(pts):.2f} points{margin}."


def run(data: ModelData, scenario: Scenario) -> Result:
    """check -> build -> solve -> summarise, for one scenario.

    Whole-project mode (scenario.project_mode == "whole") makes build decisions binary (a MILP).
    """
    try:
        prep = check(data, scenario)
    except ValueError as exc:  # bad data (e.g. a user's upload): a result that says why, not a traceback
        empty = pd.DataFrame()
        return Result(scenario, Status.ERROR, f"the data cannot be used: {exc}", float("nan"), None, 0.0,
                      empty, empty, empty, empty, empty, ())
    built = build(prep, whole_projects=scenario.project_mode == "whole")
    raw = solve_built(built)
    return summarise(built, raw, data.minerals)
