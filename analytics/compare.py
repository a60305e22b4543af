"""Compare 2-4 scenarios: inputs and results side by side, differences flagged."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlparse

import pandas as pd

from analytics import model, saved
from analytics.scenario import FIELDS, Scenario, decode

MAX_LINK_CHARS = 4000


def parse_link(text: str) -> tuple[Scenario | None, tuple[str, ...]]:
    """A Scenario from a pasted link: a full URL, a bare query string or a saved id (?s=ID).
    Never raises; what could not be read is said in the notices."""
    text = (text or "").strip()
    if not text:
        return None, ("The link is empty.",)
    if len(text) > MAX_LINK_CHARS:
        return None, (f"The link is longer than {MAX_LINK_CHARS} characters; it is not a Heartland link.",)
    try:
        query = urlparse(text).query if "://" in text else text.split("?", 1)[-1]
        params = dict(parse_qsl(query, keep_blank_values=True))
    except ValueError:
        return None, ("The link could not be read.",)
    if "s" in params:
        hit = saved.load(params["s"])
        if hit is None:
            return None, ("No saved scenario has this link's id.",)
        return hit.scenario, hit.notices
    if not any(f.key in params for f in FIELDS) and "v" not in params:
        return None, ("The link holds no Heartland scenario values.",)
    decoded = decode(params)
    return decoded.scenario, decoded.notices


def inputs_side_by_side(scenarios: dict[str, Scenario]) -> pd.DataFrame:
    """Rows: every input (label, unit); columns: one per scenario; 'differs' where they disagree."""
    rows = []
    for f in FIELDS:
        values = {label: getattr(s, f.name) for label, s in scenarios.items()}
        rows.append({"input": f.label, "unit": f.unit, **values, "differs": len(set(values.values())) > 1})
    return pd.DataFrame(rows)


def results_side_by_side(results: dict[str, model.Result]) -> pd.DataFrame:
    """Headline results per scenario (rows: measures with units)."""
    measures = {
        "Dependence on China today (%)": lambda r: r.dependence_before_pct,
        "Dependence on China, plan (%)": lambda r: r.dependence_after_pct,
        "Financing used (M USD)": lambda r: r.financing_used_musd,
        "Projects built": lambda r: float(len(r.builds)),
    }
    rows = [{"measure": name, **{label: fn(r) for label, r in results.items()}} for name, fn in measures.items()]
    return pd.DataFrame(rows)


def dependence_by_mineral(results: dict[str, model.Result]) -> pd.DataFrame:
    """Long table for the overlaid chart: scenario, mineral, dependence_after_pct."""
    frames = []
    for label, r in results.items():
        if r.ok:
            frames.append(r.by_mineral[["mineral_id", "mineral", "dependence_after_pct"]].assign(scenario=label))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["mineral_id", "mineral", "dependence_after_pct", "scenario"])
