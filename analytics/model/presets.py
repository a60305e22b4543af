"""Presets from the policy debate: named overrides of the default Scenario, as data.

Each preset is a Scenario built as DEFAULTS.replace(**overrides), so its link is just
encode(preset.scenario), and matching_preset tells which preset (if any) a scenario is.
Figures that are illustrative (not a published commitment) say so in the description.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from analytics.model.scenario import DEFAULTS, FIELD_BY_NAME, FINANCIER_FIELDS, Scenario, encode

NO_FINANCE: Mapping[str, float] = MappingProxyType({name: 0.0 for name in FINANCIER_FIELDS.values()})


@dataclass(frozen=True)
class Preset:
    preset_id: str
    name: str
    description: str  # what it is and its policy basis, 1-2 sentences
    scenario: Scenario

    @property
    def id(self) -> str:
        return self.preset_id


def _preset(preset_id: str, name: str, description: str, overrides: Mapping[str, Any]) -> Preset:
    return Preset(preset_id, name, description, DEFAULTS.replace(**overrides))


def _corridor_grown(ratio: float) -> float:
    """Default Middle Corridor slice grown by `ratio`, rounded to the slider's step."""
    f = FIELD_BY_NAME["middle_corridor_ktpy"]
    return float(min(f.hi, round(DEFAULTS.middle_corridor_ktpy * ratio / f.step) * f.step))


def _doubled_budgets() -> dict[str, float]:
    return {name: min(FIELD_BY_NAME[name].hi, 2 * getattr(DEFAULTS, name)) for name in FINANCIER_FIELDS.values()}


_PRESETS = (
    _preset("status_quo", "Status quo",
            "No partner financing and no new allied offtake: today's projects and purchases, with flows "
            "re-optimised only within today's contracts, corridors and capacities.",
            {**NO_FINANCE, "offtake_musd": 0.0}),
    _preset("basic_mou", "Basic MOU (Thailand / Malaysia model)",
            "A critical-minerals memorandum of understanding like the US ones with Thailand and Malaysia: no "
            "dedicated financing, and allied buyers state a modest offtake intent (250 M USD/yr, illustrative).",
            {**NO_FINANCE, "offtake_musd": 250.0}),
    _preset("advanced_framework", "Advanced framework (Australia / Japan model)",
            "A framework like the US ones with Australia and Japan, which the op-ed argues Kazakhstan fits: "
            "partner financing at twice the base case, offtake guarantees of 3,000 M USD/yr and twice today's "
            "allied processing capacity (illustrative sizes).",
            {**_doubled_budgets(), "offtake_musd": 3000.0, "allied_capacity_pct": 200.0}),
    _preset("tungsten_pilot", "Tungsten pilot alone",
            "The op-ed's US-backed tungsten pilot: EXIM's letter of interest for up to 900 M USD and DFC's for up "
            "to 700 M USD behind the Upper Kairakty / Severny Katpar development, no other partner money, and "
            "partner financing restricted to tungsten projects.",
            {**NO_FINANCE, "budget_exim_musd": 900.0, "budget_dfc_musd": 700.0, "financed_mineral": "tungsten"}),
    _preset("middle_corridor_expansion", "Middle Corridor expansion",
            "The Trans-Caspian route grows from about 6 to 10 Mt/yr, Kazakhstan's target for 2027-28 backed by "
            f"the EU's Global Gateway transport money, and minerals keep their share of it: "
            f"{_corridor_grown(10 / 6):,.0f} kt/yr instead of {DEFAULTS.middle_corridor_ktpy:,.0f}.",
            {"middle_corridor_ktpy": _corridor_grown(10 / 6)}),
    _preset("russian_transit_closed", "Russian transit closed",
            "The northern route through Russia (today the main way out for Kazakh uranium, via St Petersburg) "
            "closes to Kazakh cargo, by sanctions or Russian retaliation; all it carried must find another "
            "corridor.",
            {"russia_transit_pct": 0.0}),
    _preset("china_export_ban_shock", "Chinese export-ban shock",
            "China bans exports of processed minerals to the West (as for gallium, germanium and antimony to the "
            "US in Dec 2024), so what is processed in China is lost to allies. Expressed as: Chinese buyers hold "
            "every contract (100 % lock-in), routes and plants in Russia, China's partner, count half as much as "
            "China (Russia weight 50 %), and allies commit emergency offtake of 5,000 M USD/yr.",
            {"lockin_pct": 100.0, "russia_weight_pct": 50.0, "offtake_musd": 5000.0}),
)
PRESETS: dict[str, Preset] = {p.preset_id: p for p in _PRESETS}


def matching_preset(scenario: Scenario) -> Preset | None:
    """The preset this scenario equals, if any."""
    return next((p for p in PRESETS.values() if p.scenario == scenario), None)


def link_query(preset: Preset) -> str:
    """The query string that opens this preset ('' for the defaults)."""
    return urlencode(encode(preset.scenario))


def _show(name: str, value: Any) -> str:
    if name == "target_year":
        return str(value)
    return f"{value:,g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def preset_table() -> pd.DataFrame:
    """One row per preset: id, name, description, the inputs it changes from the defaults (with
    units), and its link query string."""
    rows = []
    for p in PRESETS.values():
        s = p.scenario
        changes = []
        for name in vars(s):
            value = getattr(s, name)
            if value != getattr(DEFAULTS, name):
                f = FIELD_BY_NAME[name]
                unit = "" if name == "target_year" else f.unit
                changes.append(f"{f.label} {_show(name, value)} {unit}".strip())
        rows.append({"preset_id": p.preset_id, "name": p.name, "description": p.description,
                     "changes_from_defaults": "; ".join(changes) or "none", "link_query": link_query(p)})
    return pd.DataFrame(rows)
