"""Disruption Monte Carlo: a fixed plan's secure supply under random disruption events.

Exposure is the model's own (analytics/model/exposure.py): a tonne is exposed where it is
processed and by the countries its cargo crosses (Result.flows.crosses). Secure supply = value
(M USD/yr, at the data's prices) of Kazakh output processed outside China and Russia (allied or
domestic destinations). Each draw is one year in which every event happens independently with
its probability; an event that happens removes its severity share of the secure cargo that
crosses its country:

- Chinese export ban: secure cargo crossing China (e.g. allied cargo shipped through Chinese ports);
- Russian transit closure: secure cargo crossing Russia (the northern route);
- Caspian disruption: secure cargo crossing the Caspian (Azerbaijan, the Middle Corridor);
- price crash: the value of all secure supply.

So for a case with secure value v_c on crossing c, in draw i
    secure_i = (1 - s_price h_price,i) * sum_c v_c * prod_{e touching c} (1 - s_e h_e,i)
with h_e,i = 1 if event e happens in draw i. The plan is evaluated as it stands: cargo cut
off is lost, not rerouted, and nothing is re-optimised per draw. Draws are vectorised with
numpy (the only loops are over chunks, events and crossings); the same seed gives the same
draws, whatever the chunk size.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

EVENTS = ("china_ban", "russia_closure", "caspian_disruption", "price_shock")
EVENT_LABELS = {"china_ban": "Chinese export ban", "russia_closure": "Russian transit closure",
                "caspian_disruption": "Caspian (Middle Corridor) disruption", "price_shock": "Price crash"}
# Which crossed countries' secure cargo each event cuts (the price crash cuts the value of everything).
EVENT_COUNTRIES: dict[str, tuple[str, ...]] = {"china_ban": ("CN",), "russia_closure": ("RU",),
                                               "caspian_disruption": ("AZ",), "price_shock": ()}
SECURE_DESTINATIONS = ("allied", "domestic")
CASE_LABELS = {"baseline": "Without the plan", "after": "Scenario plan"}
DRAW_COLUMNS = ["draw", "case", "secure_musd", "undisrupted_musd", *EVENTS]


@dataclass(frozen=True)
class RiskInputs:
    """Annual probability (%) and severity (% of the affected flow or value lost) of each event.

    The defaults are illustrative assumptions, not published estimates: no public source gives
    annual probabilities for these events (said on the Risk and Methodology pages)."""

    china_ban_prob_pct: float = 20.0
    china_ban_severity_pct: float = 100.0
    russia_closure_prob_pct: float = 10.0
    russia_closure_severity_pct: float = 80.0
    caspian_disruption_prob_pct: float = 10.0
    caspian_disruption_severity_pct: float = 50.0
    price_shock_prob_pct: float = 15.0
    price_shock_severity_pct: float = 30.0

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 100:
                raise ValueError(f"{f.name} must be a number between 0 and 100; got {v!r}")

    def prob(self, event: str) -> float:
        return getattr(self, f"{event}_prob_pct") / 100.0

    def severity(self, event: str) -> float:
        return getattr(self, f"{event}_severity_pct") / 100.0


def prices(minerals: pd.DataFrame) -> dict[str, float]:
    """USD per tonne by mineral_id, from the minerals table."""
    return dict(zip(minerals.mineral_id, minerals.price_usd_per_t.astype(float)))


def exposure(flows: pd.DataFrame, prices: dict[str, float]) -> pd.DataFrame:
    """Secure value (M USD/yr) by case and the countries its cargo crosses: what the simulation cuts.

    Columns case, crosses (';'-separated ISO codes, '' for none), value_musd. A mineral missing
    from `prices` is valued at 0.
    """
    secure = flows[flows.destination.isin(SECURE_DESTINATIONS)]
    value = secure.tpy.to_numpy(float) * secure.mineral_id.map(prices).fillna(0.0).to_numpy(float) / 1e6
    crosses = secure.crosses.fillna("").astype(str) if "crosses" in secure else pd.Series("", index=secure.index)
    out = (pd.DataFrame({"case": secure.case.to_numpy(), "crosses": crosses.to_numpy(), "value_musd": value})
           .groupby(["case", "crosses"], as_index=False).value_musd.sum())
    return out


def _evaluate(values: np.ndarray, crossings: list[str], hits: np.ndarray, inputs: RiskInputs) -> np.ndarray:
    """secure_i for each row of hits (n x len(EVENTS), bool). Sums over crossings in a fixed
    order so that a draw without events equals the undisrupted value exactly."""
    n = hits.shape[0]
    total = np.zeros(n)
    for value, crosses in zip(values, crossings):
        countries = {c.strip().upper() for c in crosses.split(";") if c.strip()}
        keep = np.ones(n)
        for k, event in enumerate(EVENTS):
            if countries & set(EVENT_COUNTRIES[event]):
                keep = keep * (1.0 - inputs.severity(event) * hits[:, k])
        total = total + value * keep
    k = EVENTS.index("price_shock")
    return total * (1.0 - inputs.severity("price_shock") * hits[:, k])


def simulate(flows: pd.DataFrame, prices: dict[str, float], inputs: RiskInputs, *, n_draws: int = 5000,
             seed: int = 0, chunk: int = 1000, progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Secure supply per draw for each case in flows ('baseline' = without the plan, 'after' = the plan).

    Returns draw, case, secure_musd, undisrupted_musd and one boolean column per event (did it
    happen in that draw; the same events hit both cases). `progress` is called with the
    fraction done after each chunk of draws.
    """
    if n_draws < 1 or chunk < 1:
        raise ValueError(f"n_draws and chunk must be at least 1; got {n_draws}, {chunk}")
    if flows.empty:
        return pd.DataFrame(columns=DRAW_COLUMNS)
    expo = exposure(flows, prices)
    cases = [c for c in CASE_LABELS if c in set(flows.case)]
    by_case = {c: expo[expo.case == c] for c in cases}
    undisrupted = {c: float(_evaluate(e.value_musd.to_numpy(), list(e.crosses),
                                      np.zeros((1, len(EVENTS)), bool), inputs)[0]) for c, e in by_case.items()}
    probs = np.array([inputs.prob(e) for e in EVENTS])
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {c: [] for c in cases}
    all_hits = []
    for start in range(0, n_draws, chunk):
        n = min(chunk, n_draws - start)
        hits = rng.random((n, len(EVENTS))) < probs  # row-major: independent of the chunk size
        all_hits.append(hits)
        for c, e in by_case.items():
            parts[c].append(_evaluate(e.value_musd.to_numpy(), list(e.crosses), hits, inputs))
        if progress:
            progress(min(1.0, (start + n) / n_draws))
    hits = np.concatenate(all_hits)
    frames = [pd.DataFrame({"draw": np.arange(n_draws), "case": c, "secure_musd": np.concatenate(parts[c]),
                            "undisrupted_musd": undisrupted[c], **{e: hits[:, k] for k, e in enumerate(EVENTS)}})
              for c in cases]
    return pd.concat(frames, ignore_index=True)[DRAW_COLUMNS]


def summary(draws: pd.DataFrame, loss_threshold_pct: float = 25.0) -> pd.DataFrame:
    """Per case (labelled 'Status quo' / 'Scenario plan'): expected and 5th-percentile secure
    supply (M USD/yr), the undisrupted value, and the probability (%) of losing more than
    loss_threshold_pct % of the undisrupted value."""
    if not 0 <= loss_threshold_pct <= 100:
        raise ValueError(f"loss_threshold_pct must be between 0 and 100; got {loss_threshold_pct!r}")
    columns = ["case", "expected_musd", "p5_musd", "undisrupted_musd", "loss_threshold_pct", "prob_loss_pct"]
    rows = []
    for case in [c for c in CASE_LABELS if c in set(draws.case)]:
        g = draws[draws.case == case]
        secure = g.secure_musd.to_numpy(float)
        undisrupted = float(g.undisrupted_musd.iloc[0])
        lost = undisrupted - secure > loss_threshold_pct / 100.0 * undisrupted + 1e-9 * max(1.0, undisrupted)
        rows.append((CASE_LABELS[case], float(secure.mean()), float(np.percentile(secure, 5)), undisrupted,
                     float(loss_threshold_pct), 100.0 * float(lost.mean())))
    return pd.DataFrame(rows, columns=columns)


def histogram(draws: pd.DataFrame, bins: int = 40) -> pd.DataFrame:
    """Draw counts of secure supply in common bins for both cases (what the chart draws, so the
    browser gets ~2 x bins rows, not every draw). Columns case, bin_start_musd, bin_end_musd, draws."""
    columns = ["case", "bin_start_musd", "bin_end_musd", "draws"]
    if draws.empty:
        return pd.DataFrame(columns=columns)
    x = draws.secure_musd.to_numpy(float)
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-9 * max(1.0, abs(hi)):  # every draw the same: one bin around it
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    frames = []
    for case in [c for c in CASE_LABELS if c in set(draws.case)]:
        counts, _ = np.histogram(draws.secure_musd[draws.case == case], bins=edges)
        frames.append(pd.DataFrame({"case": CASE_LABELS[case], "bin_start_musd": edges[:-1],
                                    "bin_end_musd": edges[1:], "draws": counts}))
    return pd.concat(frames, ignore_index=True)[columns]


def shared_loss_events(draws: pd.DataFrame, loss_threshold_pct: float = 25.0) -> tuple[str, ...] | None:
    """Why the chance of a large loss is the same with and without the plan, when it is: the events
    (one or two of EVENTS) whose happening is exactly what makes a draw lose more than the threshold,
    in both cases alike. None when the cases lose in different draws, or no one or two events explain it."""
    cases = [c for c in CASE_LABELS if c in set(draws.case)]
    if len(cases) < 2:
        return None
    lost = {}
    for case in cases:
        g = draws[draws.case == case].sort_values("draw")
        undisrupted = float(g.undisrupted_musd.iloc[0])
        lost[case] = (undisrupted - g.secure_musd.to_numpy(float)
                      > loss_threshold_pct / 100.0 * undisrupted + 1e-9 * max(1.0, undisrupted))
    first = lost[cases[0]]
    if any((lost[c] != first).any() for c in cases[1:]) or not first.any():
        return None
    g = draws[draws.case == cases[0]].sort_values("draw")
    for size in (1, 2):
        for combo in _combinations(EVENTS, size):
            if (g[list(combo)].to_numpy(bool).any(axis=1) == first).all():
                return combo
    return None


def _combinations(items, size):
    from itertools import combinations

    return combinations(items, size)
