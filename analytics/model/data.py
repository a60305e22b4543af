"""The model's inputs from the reference tables: ModelData (plain DataFrames) and what is derived
from the data alone, once per dataset (the Base: aligned arrays the formulation reads).

Nothing here depends on a Scenario; `prepare` in formulation.py applies one.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from analytics.data import store
from analytics.model.exposure import DESTINATIONS, HOLDERS

BASE_YEAR = 2026
MODEL_TABLES = ("minerals", "projects", "project_owners", "contracts", "commitments", "financiers", "routes",
                "corridors", "processing_capacity", "route_shares")
# A commitment is money the plan can still spend if a partner made it for a named project, as a letter of
# interest, a loan or a guarantee not yet disbursed, from 2024 on (older loans built what exists today).
LIVE_INSTRUMENTS = ("loi", "loan", "guarantee")
LIVE_STATUSES = ("loi", "announced", "signed")
LIVE_FROM_YEAR = 2024


@dataclass(frozen=True)
class ModelData:
    """The reference tables the model reads (plain DataFrames; never modified in place)."""

    minerals: pd.DataFrame
    projects: pd.DataFrame
    project_owners: pd.DataFrame
    contracts: pd.DataFrame
    commitments: pd.DataFrame
    financiers: pd.DataFrame
    routes: pd.DataFrame
    corridors: pd.DataFrame
    processing_capacity: pd.DataFrame
    route_shares: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["mineral_id", "route_id", "share_pct"]))

    def replace(self, **tables: pd.DataFrame) -> ModelData:
        return ModelData(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **tables})

    def replace_projects(self, projects: pd.DataFrame, owners: pd.DataFrame | None = None) -> ModelData:
        """These projects instead of the shipped ones; owners of projects not in `owners` are kept
        where the project still exists."""
        keep = self.project_owners[self.project_owners.project_id.isin(projects.project_id)]
        if owners is not None:
            keep = pd.concat([keep[~keep.project_id.isin(owners.project_id)], owners], ignore_index=True)
        return self.replace(projects=projects, project_owners=keep)


def load_model_data(con=None) -> ModelData:
    """Read the model's tables from the reference database."""
    return ModelData(*(store.table(n, con) for n in MODEL_TABLES))


def fingerprint(data: ModelData) -> str:
    """A content hash of the model's tables: equal data, equal fingerprint (copies included)."""
    parts = []
    for f in fields(data):
        df = getattr(data, f.name)
        parts.append(f"{f.name}:{list(df.columns)}:{int(pd.util.hash_pandas_object(df, index=False).sum())}")
    return "|".join(parts)


def split_list(cell) -> list[str]:
    """'a; b;;a' -> ['a', 'b'] (ids in a ;-separated cell)."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return list(dict.fromkeys(x.strip() for x in str(cell).split(";") if x.strip()))


def _num(df: pd.DataFrame, col: str, default: float = 0.0) -> np.ndarray:
    if col not in df:
        return np.full(len(df), default)
    return pd.to_numeric(df[col], errors="coerce").fillna(default).to_numpy(float)


def _flag(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df:
        return np.zeros(len(df), bool)
    return df[col].map(lambda v: str(v).strip().lower() in ("true", "1", "yes")
                       if not isinstance(v, (bool, np.bool_)) else bool(v)).to_numpy(bool)


@dataclass(frozen=True)
class Base:
    """What the data alone determines, as arrays aligned with `projects` (P rows), `routes`
    (R rows) and `commitments` (J rows). Tonnages in the mineral's unit a year."""

    projects: pd.DataFrame        # the projects, reset index, with mineral columns joined
    routes: pd.DataFrame
    financiers: pd.DataFrame      # partner financiers only
    commitments: pd.DataFrame     # partner commitments only, with `projects` (list of ids) and `general`
    output_tpy: np.ndarray        # today's output y_p
    new_tpy: np.ndarray           # new capacity n_p = capacity - output
    capex_musd: np.ndarray        # capital still needed for the new capacity
    funded: np.ndarray            # bool: the new capacity is funded already (by its owners or others)
    online_year: np.ndarray       # year the new capacity produces
    price_usd_per_t: np.ndarray   # P_m of each project's mineral
    weight: np.ndarray            # criticality weight w_m
    cargo_t_per_t: np.ndarray     # cargo per tonne of the unit
    premium_pct: np.ndarray       # allied premium pi_m, % of price
    offtake_share: np.ndarray     # P x 4: today's (or expected) share of output by destination, 0-1
    route_share: np.ndarray       # P x R: share of a destination's flow taking this route today, 0-1
    route_dest: np.ndarray        # R: index into DESTINATIONS
    equity_share: np.ndarray      # P x 4: share of output lifted by owners, by holder destination, 0-1
    stake_cn_pct: np.ndarray      # P: Chinese owners' stake
    stake_ru_pct: np.ndarray      # P: Russian owners' stake
    contracts: pd.DataFrame       # project_idx, destination index, share (0-1), end_year
    _locked: dict[int, np.ndarray] = field(default_factory=dict, repr=False, compare=False)  # by target year

    @property
    def n_projects(self) -> int:
        return len(self.projects)

    @property
    def n_routes(self) -> int:
        return len(self.routes)

    def baseline_tpy(self, target_year: int) -> np.ndarray:
        """P x 4: output by destination in the target year without the plan: today's output plus
        funded new capacity producing by then, split by each project's offtake shares."""
        out = self.output_tpy + np.where(self.funded & (self.online_year <= target_year), self.new_tpy, 0.0)
        return out[:, None] * self.offtake_share

    def locked_tpy(self, target_year: int) -> np.ndarray:
        """P x 4: tonnes that stay with their destination in the target year: owners' equity offtake
        of today's output and contracts running past the target year (the larger of the two per
        destination, as contracts usually cover the equity share), never above the baseline.
        Worked out once per year (read-only)."""
        hit = self._locked.get(target_year)
        if hit is None:
            hit = self._locked[target_year] = self._locked_tpy(target_year)
            hit.flags.writeable = False
        return hit

    def _locked_tpy(self, target_year: int) -> np.ndarray:
        base = self.baseline_tpy(target_year)
        total = base.sum(axis=1)
        locked = self.equity_share * total[:, None]
        c = self.contracts[self.contracts.end_year > target_year]
        if len(c):
            contracted = np.zeros_like(locked)
            np.add.at(contracted, (c.project_idx.to_numpy(int), c.destination.to_numpy(int)),
                      c.share.to_numpy(float) * total[c.project_idx.to_numpy(int)])
            locked = np.maximum(locked, contracted)
        return np.minimum(locked, base)


def _contract_shares(contracts: pd.DataFrame, owners: pd.DataFrame, projects: pd.DataFrame, idx: dict[str, int],
                     shares: np.ndarray) -> pd.DataFrame:
    """project_idx, destination, share (0-1), end_year: the part of each project's output held by a contract.

    A project's own contract holds its stated share. A seller's contract for its output in general
    (no project, volume undisclosed: Kazatomprom's long-term contracts with CNNC, CNUC and SNURDC)
    holds today's deliveries to that destination from every project of that mineral the seller owns
    part of, until the contract ends (through the horizon when no end is published)."""
    empty = pd.DataFrame(columns=["project_idx", "destination", "share", "end_year"])
    if not len(contracts):
        return empty
    dest = contracts.destination.map({d: i for i, d in enumerate(DESTINATIONS)})
    end = _num(contracts, "end_year", 9999)
    own = contracts.project_id.isin(idx).to_numpy()
    parts = [pd.DataFrame({"project_idx": contracts.project_id[own].map(idx).to_numpy(int),
                           "destination": dest[own].to_numpy(), "share": (_num(contracts, "share_pct") / 100.0)[own],
                           "end_year": end[own]})]
    seller = contracts.get("seller", pd.Series("", index=contracts.index)).fillna("").astype(str).str.strip()
    general = (~contracts.project_id.fillna("").astype(str).str.strip().astype(bool)) & seller.astype(bool)
    mineral = contracts.get("mineral_id", pd.Series("", index=contracts.index)).fillna("").astype(str)
    mineral_of = dict(zip(projects.project_id, projects.mineral_id))
    for i in np.flatnonzero(general.to_numpy() & dest.notna().to_numpy()):
        name = seller.iloc[i].lower()
        held = [pid for pid in owners[owners.owner.fillna("").str.lower().str.contains(name, regex=False)].project_id.unique()
                if pid in idx and mineral_of.get(pid) == mineral.iloc[i]]
        rows = np.array([idx[pid] for pid in held], dtype=int)
        d = int(dest.iloc[i])
        parts.append(pd.DataFrame({"project_idx": rows, "destination": d, "share": shares[rows, d],
                                   "end_year": end[i]}))
    out = pd.concat([x for x in parts if len(x)], ignore_index=True) if any(len(x) for x in parts) else empty
    return out.dropna(subset=["destination"]).astype({"destination": int, "project_idx": int})


def check_data(data: ModelData) -> None:
    """Raise ValueError naming the table and rows when the data cannot be used."""
    p = data.projects
    unknown = sorted(set(p.mineral_id) - set(data.minerals.mineral_id))
    if unknown:
        raise ValueError(f"projects: unknown mineral_id {unknown}")
    shares = np.column_stack([_num(p, f"offtake_{d}_pct") for d in DESTINATIONS])
    bad = p.project_id[np.abs(shares.sum(axis=1) - 100) > 1.0].tolist()
    if bad:
        raise ValueError(f"projects: offtake shares do not sum to 100 for {bad}")
    below = p.project_id[_num(p, "capacity_tpy") < _num(p, "output_tpy") - 1e-9].tolist()
    if below:
        raise ValueError(f"projects: capacity_tpy below output_tpy for {below}")
    bad_share = data.routes.route_id[~data.routes.destination.isin(DESTINATIONS)].tolist()
    if bad_share:
        raise ValueError(f"routes: unknown destination for {bad_share}")
    total_tpy = _num(p, "output_tpy").sum()
    if total_tpy <= 0:
        raise ValueError("projects: no current output at all, dependence is undefined")
    if total_tpy < 1e-9:  # 5e-324 t/yr once made the weights infinite (NaN in the LP)
        raise ValueError(f"projects: the current outputs ({total_tpy:.3g} t/yr in all) are too small to weigh; "
                         "dependence is undefined")
    owners = data.project_owners
    if len(owners):
        stray = sorted(set(owners.project_id.dropna().astype(str)) - set(p.project_id.astype(str)))
        if stray:
            raise ValueError(f"project_owners: unknown project_id {stray}")


def live_commitments(data: ModelData) -> pd.DataFrame:
    """The project-specific commitments the plan can spend (see LIVE_INSTRUMENTS), with a
    `projects` list and amount_musd as numbers."""
    fin = data.financiers[_flag(data.financiers, "is_partner")]
    return _commitments(data, fin, set(data.projects.project_id))


def _commitments(data: ModelData, fin: pd.DataFrame, project_ids: set[str]) -> pd.DataFrame:
    c = data.commitments
    year = pd.to_numeric(c.get("date", pd.Series("", index=c.index)).astype(str).str[:4], errors="coerce")
    live = (c.get("instrument", "loi").isin(LIVE_INSTRUMENTS) & c.get("status", "loi").isin(LIVE_STATUSES)
            & (year.fillna(LIVE_FROM_YEAR) >= LIVE_FROM_YEAR))
    c = c[c.financier_id.isin(fin.financier_id) & live & c.project_id.fillna("").astype(str).str.strip().ne("")].copy()
    c["projects"] = pd.Series([[x for x in split_list(v) if x in project_ids] for v in c.project_id], index=c.index,
                              dtype=object)
    c["general"] = pd.Series([not split_list(v) for v in c.project_id], index=c.index, dtype=bool)
    c["amount_musd"] = _num(c, "amount_musd")
    # a commitment naming only projects that are not in the data (e.g. after an upload) funds nothing
    c = c[c.general | c.projects.map(bool)]
    return c.reset_index(drop=True)


def derive(data: ModelData) -> Base:
    """Validate the data and derive the Base (see check_data for what is refused)."""
    check_data(data)
    minerals = data.minerals.set_index("mineral_id")
    p = data.projects.reset_index(drop=True).copy()
    m = lambda col, default=0.0: p.mineral_id.map(minerals[col] if col in minerals else {}).pipe(  # noqa: E731
        pd.to_numeric, errors="coerce").fillna(default).to_numpy(float)
    idx = {pid: i for i, pid in enumerate(p.project_id)}
    output = _num(p, "output_tpy")
    new = np.maximum(_num(p, "capacity_tpy") - output, 0.0)
    funded = np.array([bool(str(v).strip()) if isinstance(v, str) else False
                       for v in p.get("funded_by", pd.Series([""] * len(p)))])
    online = BASE_YEAR + np.ceil(_num(p, "lead_time_years"))
    shares = np.column_stack([_num(p, f"offtake_{d}_pct") for d in DESTINATIONS]) / 100.0
    shares = shares / np.where(shares.sum(axis=1, keepdims=True) > 0, shares.sum(axis=1, keepdims=True), 1.0)

    routes = data.routes.reset_index(drop=True).copy()
    route_dest = routes.destination.map({d: i for i, d in enumerate(DESTINATIONS)}).to_numpy(int)
    route_share = np.tile(_num(routes, "status_quo_share_pct") / 100.0, (len(p), 1))
    rs = data.route_shares
    if len(rs):
        ridx = {r: i for i, r in enumerate(routes.route_id)}
        for mid, g in rs.groupby("mineral_id"):
            rows = np.flatnonzero(p.mineral_id.to_numpy() == mid)
            cols = np.array([ridx[r] for r in g.route_id if r in ridx], dtype=int)
            if len(rows) and len(cols):
                dests = set(route_dest[cols])
                route_share[np.ix_(rows, np.flatnonzero(np.isin(route_dest, list(dests))))] = 0.0
                route_share[np.ix_(rows, cols)] = (_num(g, "share_pct") / 100.0)[[r in ridx for r in g.route_id]]

    # owners: equity offtake by where the owner takes it (its country's holder destination)
    o = data.project_owners
    equity = np.zeros((len(p), len(DESTINATIONS)))
    cn = np.zeros(len(p))
    ru = np.zeros(len(p))
    if len(o):
        o = o[o.project_id.isin(idx)]
        rows = o.project_id.map(idx).to_numpy(int)
        stake = _num(o, "stake_pct") / 100.0
        country = o.owner_country.fillna("").astype(str).str.upper().to_numpy()
        np.add.at(cn, rows, np.where(country == "CN", stake * 100, 0.0))
        np.add.at(ru, rows, np.where(country == "RU", stake * 100, 0.0))
        # Kazakh owners sell their share on the market (it is not locked); foreign owners that lift their
        # share take it home (China, Russia) or to allied buyers. Owners from one foreign country that hold
        # more than half of a project control where it sells, so their whole stake counts as lifted: a
        # premium does not buy a Chinese-controlled mine's output; buying the mine would. (Owners are
        # grouped by where they take output: Hong Kong with China, the allies together.)
        holder = np.array([DESTINATIONS.index(HOLDERS.get(c, "allied")) for c in country])
        foreign = (country != "KZ") & (country != "")
        held = pd.Series(np.where(foreign, stake, 0.0)).groupby([rows, holder]).transform("sum").to_numpy()
        lifts = (_flag(o, "lifts_offtake") | (held > 0.5 + 1e-9)) & foreign
        np.add.at(equity, (rows[lifts], holder[lifts]), stake[lifts])

    c = _contract_shares(data.contracts, data.project_owners, p, idx, shares)

    fin = data.financiers[_flag(data.financiers, "is_partner")].reset_index(drop=True).copy()
    commitments = _commitments(data, fin, set(p.project_id))
    p["name"] = p.get("name", p.project_id)
    return Base(p, routes, fin, commitments, output, new, _num(p, "capex_musd"), funded, online,
                m("price_usd_per_t"), m("criticality_weight", 1.0), m("cargo_t_per_t", 1.0),
                m("allied_premium_pct"), shares, route_share, route_dest, equity, cn, ru, c)


_BASES: dict[str, Base] = {}
_LAST: list[tuple[ModelData, str]] = []  # recent (data, fingerprint): skips rehashing the same object
_LAST_SIZE = 64  # each app session holds one ModelData object: remember that many callers
_lock = threading.Lock()


def cached_key(data: ModelData) -> str:
    """The data's fingerprint, with an identity fast path for the last _LAST_SIZE callers."""
    with _lock:
        key = next((k for d, k in _LAST if d is data), None)
    if key is None:
        key = fingerprint(data)
        with _lock:
            _LAST[:] = [(data, key), *_LAST[:_LAST_SIZE - 1]]
    return key


def cached_base(data: ModelData) -> Base:
    """derive(data), once per distinct content (Streamlit's cache hands each caller a copy)."""
    key = cached_key(data)
    with _lock:
        hit = _BASES.get(key)
    if hit is None:
        hit = derive(data)
        with _lock:
            if len(_BASES) > 16:
                _BASES.clear()
            _BASES[key] = hit
    return hit
