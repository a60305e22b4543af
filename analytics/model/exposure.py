"""Exposure, defined once: how much a tonne sent along a route counts towards dependence.

A tonne is exposed by where it is processed and by the countries its cargo crosses:

    exposure(r) = min(1, w[processing country of r] + t * max(w[c] for c crossed by r))

with w[China] = 1, w[Russia] = the Russia weight (an input, 1 by default) and t the transit weight
(an input). The dependence index, the Risk page and every chart read this one function.

>>> route_exposure(["china", "allied", "allied"], [[], ["CN"], ["AZ", "GE"]], russia_weight=1.0, transit_weight=0.5)
array([1. , 0.5, 0. ])
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DESTINATIONS = ("china", "russia", "domestic", "allied")
DESTINATION_LABELS = {"china": "China", "russia": "Russia", "domestic": "Kazakhstan (domestic)", "allied": "Allied"}
# Where an owner from this country takes the share of output it lifts (other countries: allied;
# Hong Kong owners count as Chinese).
HOLDERS = {"CN": "china", "HK": "china", "RU": "russia"}
# Destinations whose buyers are in China's or Russia's orbit: a tonne that leaves them for another
# buyer has to be won (priced) away.
ORBIT = ("china", "russia")


def country_weights(russia_weight: float) -> dict[str, float]:
    """How much processing in, or transit through, each country counts (0-1)."""
    return {"CN": 1.0, "RU": float(russia_weight)}


def route_exposure(destinations: Sequence[str], transit: Sequence[Sequence[str]], *, russia_weight: float,
                   transit_weight: float) -> np.ndarray:
    """Exposure (0-1) of each route, given its processing destination and the countries it crosses."""
    w = country_weights(russia_weight)
    proc = {"china": w["CN"], "russia": w["RU"]}
    out = np.empty(len(destinations))
    for i, (d, crossed) in enumerate(zip(destinations, transit)):
        through = max((w.get(c.strip().upper(), 0.0) for c in crossed), default=0.0)
        out[i] = min(1.0, proc.get(d, 0.0) + transit_weight * through)
    return out


def transit_countries(cell) -> list[str]:
    """'CN' / 'RU;BY' / '' -> list of ISO codes."""
    if cell is None or not isinstance(cell, str):
        return []
    return [c.strip().upper() for c in cell.split(";") if c.strip()]
