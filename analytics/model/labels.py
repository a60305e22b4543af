"""Row names in a user's words: 'budget[exim-envelope]' -> 'US EXIM general envelope'."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analytics.model.data import ModelData
from analytics.model.exposure import DESTINATION_LABELS

if TYPE_CHECKING:
    from analytics.model.formulation import Formulation

CORRIDOR_LABELS = {"middle_corridor": "Middle Corridor capacity", "russia_rail": "Russian transit capacity",
                   "china_border": "China border crossing capacity"}


def _parts(name: str) -> tuple[str, list[str]]:
    group, _, rest = name.partition("[")
    return group, rest.rstrip("]").split(",") if rest else []


class Labeller:
    """Knows the dataset's project, mineral, financier and commitment names."""

    def __init__(self, form: Formulation, data: ModelData) -> None:
        b = form.base
        self.projects = dict(zip(b.projects.project_id, b.projects.name))
        self.minerals = dict(zip(data.minerals.mineral_id, data.minerals.name))
        self.financiers = dict(zip(data.financiers.financier_id, data.financiers.name))
        c = data.commitments
        self.commitments: dict[str, str] = {}
        for row in c.itertuples():
            named = [self.projects.get(p.strip(), p.strip()) for p in str(row.project_id or "").split(";") if p.strip()]
            what = {"loi": "letter of interest", "loan": "loan", "equity": "equity", "guarantee": "guarantee",
                    "grant": "grant"}.get(str(getattr(row, "instrument", "") or "").lower(), "commitment")
            who = self.financiers.get(row.financier_id, row.financier_id)
            self.commitments[row.commitment_id] = f"{who} {what}" + (f" for {', '.join(named)}" if named else "")
        for k in form.commitments.financier_id.unique():
            self.commitments[f"{k}-envelope"] = f"{self.financiers.get(k, k)} general envelope"

    def row(self, name: str) -> str:
        group, args = _parts(name)
        if group == "budget":
            return self.commitments.get(args[0], f"{args[0]} budget")
        if group == "corridor":
            return CORRIDOR_LABELS.get(args[0], f"{args[0].replace('_', ' ')} capacity")
        if group == "processing":
            return (f"{DESTINATION_LABELS.get(args[0], args[0])} processing capacity for "
                    f"{self.minerals.get(args[1], args[1]).lower()}")
        if group == "offtake" or name == "money":
            return "allied offtake money"
        if group == "keep":
            where = DESTINATION_LABELS.get(args[1], args[1])
            return f"contracts and owners' offtake at {self.projects.get(args[0], args[0])} (to {where})"
        if group == "exposure":
            return f"{self.financiers.get(args[1], args[1])}'s limit per project at {self.projects.get(args[0], args[0])}"
        if group == "capex":
            return f"capital for {self.projects.get(args[0], args[0])}"
        return name

    def table(self, names: pd.Series) -> pd.Series:
        return names.map(self.row)
