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

import numpy as np
import pandas as pd

from analytics.model.scenario import DEFAULTS, FIELD_BY_NAME, FINANCIER_FIELDS, Scenario, encode

NO_FINANCE: Mapping[str, float] = MappingProxyType({name: 0.0 for name in FINANCIER_FIELDS.values()})
NO_MONEY: Mapping[str, float] = MappingProxyType({**NO_FINANCE, "commitments_pct": 0.0, "offtake_musd": 0.0})

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
    """Default Middle Corridor room grown by `ratio`, rounded to the slider's step."""
    f = FIELD_BY_NAME["middle_corridor_ktpy"]
    hi, step = float(f.hi or np.inf), float(f.step or 1.0)
    return float(min(hi, round(DEFAULTS.middle_corridor_ktpy * ratio / step) * step))


_PRESETS = (
    _preset("status_quo", "Status quo",
            "No partner money at all: no letters of interest, envelopes or allied offtake. Output goes where it goes "
            "today; the only changes by the target year are new capacity already funded by its owners and cargo a "
            "closed route pushes elsewhere.",
            NO_MONEY),
    _preset("china_only", "China only",
            "The same plan scored the way the first version of Heartland did: processing in Russia and transit "
            "through it do not count; only China's processing (and transit, at its weight) does.",
            {"russia_weight_pct": 0.0}),
    _preset("basic_mou", "Basic MOU (Thailand / Malaysia model)",
            "A critical-minerals memorandum of understanding like the US ones with Thailand and Malaysia: no "
            "dedicated financing and no letters of interest; allied buyers state a modest offtake intent "
            "(50 M USD/yr, illustrative).",
            {**NO_MONEY, "offtake_musd": 50.0}),
    _preset("advanced_framework", "Advanced framework (Australia / Japan model)",
            "A framework like the US ones with Australia and Japan, which the op-ed argues Kazakhstan fits: the "
            "announced letters of interest, general envelopes of 1,000 M USD each from DFC and EXIM and 500 M USD "
            "from the EU, offtake guarantees of 500 M USD/yr and twice the allied processing room (illustrative "
            "sizes).",
            {"budget_dfc_musd": 1000.0, "budget_exim_musd": 1000.0, "budget_eib_musd": 500.0, "offtake_musd": 500.0,
             "allied_capacity_pct": 200.0}),
    _preset("tungsten_pilot", "Tungsten pilot alone",
            "The op-ed's US-backed tungsten pilot: EXIM's letter of interest for up to 900 M USD and DFC's for up "
            "to 700 M USD behind Cove Kaz's Northern Katpar / Upper Kairakty development, no other partner money "
            "and no offtake money, partner financing restricted to tungsten.",
            {**NO_MONEY, "commitments_pct": 100.0, "financed_mineral": "tungsten"}),
    _preset("middle_corridor_expansion", "Middle Corridor expansion",
            "The Trans-Caspian route grows from about 6 to 10 Mt/yr, Kazakhstan's target for 2028, and the new room "
            f"is open to minerals: {_corridor_grown(10 / 6):,.0f} kt/yr instead of {DEFAULTS.middle_corridor_ktpy:,.0f}.",
            {"middle_corridor_ktpy": _corridor_grown(10 / 6)}),
    _preset("russian_transit_closed", "Russian transit closed",
            "The northern route through Russia (today a main way out for Kazakh metals and 36 % of Western-bound "
            "uranium, via St Petersburg) closes to Kazakh cargo, by sanctions or Russian retaliation; what it "
            "carried takes another corridor.",
            {"russia_transit_pct": 0.0}),
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
