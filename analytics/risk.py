"""Disruption Monte Carlo: a fixed plan's secure supply under random disruption events.

Secure supply = value (M USD/yr, at the shipped prices) of Kazakh output processed outside
China and Russia (allied or domestic destinations) that still arrives. Events, each drawn
independently per trial with its own probability, cut the flows they touch by their severity:
- Chinese export ban: allied-bound cargo that transits China (china_border corridor);
- Russian transit closure: cargo on the russia_rail corridor;
- Caspian disruption: cargo on the Middle Corridor;
- price shock: the value of all secure supply.
The plan is evaluated as is (no re-optimisation per draw), vectorised with numpy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Callable

import numpy as np
import pandas as pd

EVENTS = ("china_ban", "russia_closure", "caspian_disruption", "price_shock")
EVENT_LABELS = {"china_ban": "Chinese export ban", "russia_closure": "Russian transit closure",
                "caspian_disruption": "Caspian (Middle Corridor) disruption", "price_shock": "Price crash"}
_EVENT_CORRIDOR = {"china_ban": "china_border", "russia_closure": "russia_rail",
                   "caspian_disruption": "middle_corridor"}


@dataclass(frozen=True)
class RiskInputs:
    """Annual probability (%) and severity (% of the affected flow lost) of each event."""

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
            if not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 100:
                raise ValueError(f"{f.name} must be between 0 and 100; got {v!r}")

    def prob(self, event: str) -> float:
        return getattr(self, f"{event}_prob_pct") / 100.0

    def severity(self, event: str) -> float:
        return getattr(self, f"{event}_severity_pct") / 100.0


def exposure(flows: pd.DataFrame, prices: dict[str, float]) -> pd.DataFrame:
    """Secure value (M USD/yr) by case and corridor: the inputs the simulation scales."""
    secure = flows[flows.destination.isin(["allied", "domestic"])].copy()
    secure["value_musd"] = secure.tpy * secure.mineral_id.map(prices) / 1e6
    return secure.groupby(["case", "corridor_id"], as_index=False).value_musd.sum()


def simulate(flows: pd.DataFrame, prices: dict[str, float], inputs: RiskInputs, *, n_draws: int = 5000,
             seed: int = 0, chunk: int = 1000, progress: Callable[[float], None] | None = None) -> pd.DataFrame:
    """Secure supply per draw for each case ('before' = status quo, 'after' = the plan).

    Returns columns draw, case, secure_musd, plus one boolean column per event. Same seed, same draws.
    """
    columns = ["draw", "case", "secure_musd", *EVENTS]
    if flows.empty:
        return pd.DataFrame(columns=columns)
    expo = exposure(flows, prices)
    cases = sorted(expo.case.unique())
    rng = np.random.default_rng(seed)
    out = []
    for start in range(0, n_draws, chunk):
        n = min(chunk, n_draws - start)
        hits = {e: rng.random(n) < inputs.prob(e) for e in EVENTS}
        for case in cases:
            e = expo[expo.case == case]
            total = np.zeros(n)
            for corridor, value in zip(e.corridor_id, e.value_musd):
                keep = np.ones(n)
                for event, c in _EVENT_CORRIDOR.items():
                    if c == corridor:
                        keep = keep * (1.0 - inputs.severity(event) * hits[event])
                total += value * keep
            total *= 1.0 - inputs.severity("price_shock") * hits["price_shock"]
            out.append(pd.DataFrame({"draw": np.arange(start, start + n), "case": case, "secure_musd": total,
                                     **{e: hits[e] for e in EVENTS}}))
        if progress:
            progress(min(1.0, (start + n) / n_draws))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)


def summary(draws: pd.DataFrame) -> pd.DataFrame:
    """Expected and 5th-percentile secure supply (M USD/yr) per case, and the chance of losing a
    quarter or more of the undisrupted value."""
    rows = []
    for case, g in draws.groupby("case"):
        undisrupted = g.secure_musd.max()
        rows.append({
            "case": {"before": "Status quo", "after": "Scenario plan"}.get(case, case),
            "expected_musd": g.secure_musd.mean(),
            "p5_musd": float(np.percentile(g.secure_musd, 5)),
            "undisrupted_musd": undisrupted,
            "prob_loss_25pct": float((g.secure_musd < 0.75 * undisrupted).mean()) * 100 if undisrupted > 0 else 0.0,
        })
    return pd.DataFrame(rows)
