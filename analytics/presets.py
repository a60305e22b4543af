"""Presets from the policy debate: named overrides of the default Scenario, as data.

Each preset is a Scenario, so its link is just encode(preset.scenario).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.scenario import DEFAULTS, FIELD_BY_NAME, Scenario

NO_FINANCE = dict(budget_dfc_musd=0.0, budget_exim_musd=0.0, budget_jbic_musd=0.0, budget_eib_musd=0.0,
                  budget_private_musd=0.0, budget_samruk_musd=0.0)


@dataclass(frozen=True)
class Preset:
    preset_id: str
    name: str
    description: str
    scenario: Scenario


def _preset(preset_id: str, name: str, description: str, **overrides) -> Preset:
    return Preset(preset_id, name, description, DEFAULTS.replace(**overrides))


PRESETS: dict[str, Preset] = {p.preset_id: p for p in (
    _preset("status_quo", "Status quo",
            "No partner financing and no new allied offtake: today's flows, re-optimised only within "
            "today's allied purchases and capacities.",
            **NO_FINANCE, offtake_musd=0.0),
    _preset("basic_mou", "Basic MOU (Thailand / Malaysia model)",
            "A memorandum of understanding: no dedicated financing, a modest offtake intent by allied buyers.",
            **NO_FINANCE, offtake_musd=250.0),
    _preset("advanced_framework", "Advanced framework (Australia / Japan model)",
            "Financing from US, Japanese and European lenders, offtake guarantees and a build-out of allied "
            "processing, as in the US frameworks with Australia and Japan.",
            budget_dfc_musd=1000.0, budget_exim_musd=1500.0, budget_jbic_musd=500.0, budget_eib_musd=700.0,
            budget_private_musd=500.0, budget_samruk_musd=500.0, offtake_musd=3000.0,
            allied_capacity_pct=200.0),
    _preset("tungsten_pilot", "Tungsten pilot alone",
            "US EXIM and DFC back tungsten projects only (the op-ed's pilot: Upper Kairakty and Severny "
            "Katpar), with offtake for their output; no other partner money.",
            **{**NO_FINANCE, "budget_exim_musd": 900.0, "budget_dfc_musd": 300.0},
            offtake_musd=500.0, financed_mineral="tungsten"),
    _preset("middle_corridor", "Middle Corridor expansion",
            "Default financing with four times today's Trans-Caspian capacity for Kazakh mineral cargo.",
            middle_corridor_ktpy=min(5000.0, 4 * DEFAULTS.middle_corridor_ktpy)),
    _preset("russia_closed", "Russian transit closed",
            "The northern route through Russia is closed to Kazakh cargo; everything it carried must find "
            "another corridor.", russia_transit_pct=0.0),
    _preset("china_ban_shock", "Chinese export-ban shock",
            "China bans exports of processed minerals: output processed in China no longer reaches allies. "
            "In the short run (target 2027) Chinese contracts hold (100 % lock-in) and allies answer with "
            "emergency offtake and 50 % more processing capacity.",
            target_year=2027, lockin_pct=100.0, offtake_musd=5000.0, allied_capacity_pct=150.0),
)}


def matching_preset(scenario: Scenario) -> Preset | None:
    """The preset this scenario equals, if any."""
    return next((p for p in PRESETS.values() if p.scenario == scenario), None)


def preset_table() -> pd.DataFrame:
    """One row per preset: name, description and the inputs it changes from the defaults."""
    rows = []
    for p in PRESETS.values():
        changes = [f"{FIELD_BY_NAME[k].label} {v:g}" if isinstance(v, (int, float)) else f"{FIELD_BY_NAME[k].label} {v}"
                   for k, v in vars(p.scenario).items() if v != getattr(DEFAULTS, k)]
        rows.append({"preset_id": p.preset_id, "name": p.name, "description": p.description,
                     "changes_from_defaults": "; ".join(changes) or "none"})
    return pd.DataFrame(rows)
